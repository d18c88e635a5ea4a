"""The check stage: every enabled rule over the inventory (linter.engine runs declarative records and Python
checks alike), plus the findings the earlier stages made (read errors, template issues) for the rules that are
enabled; each with its effective severity, one finding per defect."""
from __future__ import annotations

from typing import Any

from linter.checks.apischema import RULE_IDS as SHARED_ANALYSIS
from linter.constants import READ_ERROR
from linter.context import RunContext
from linter.engine.registry import load_checks
from linter.engine.run import run_rules_each
from linter.inventory import Inventory
from linter.model import Finding
from linter.stages.decode import FileState

# One big input: its rules split over two processes (linter.parallel) when --jobs allows and there is enough
# work to pay for a fork (about 5 ms, plus pickling the findings back).
SPLIT_MIN_RESOURCES = 1000


def run(ctx: RunContext, inventory: Inventory, states: list[FileState], progress: Any = None) -> list[Finding]:
    findings = [f for s in states for f in s.findings if f.rule_id == READ_ERROR or ctx.is_enabled(f.rule_id)]
    findings.extend(_one_per_defect(ctx, _rules(ctx, inventory, progress)))
    return [ctx.with_severity(f) for f in findings]


def _rules(ctx: RunContext, inventory: Inventory, progress: Any = None) -> list[Finding]:
    """Every enabled rule's findings, in rule order (the same whether or not the work was split).

    Split: the rules are units (the schema rules together) that the two processes claim one at a time, so
    neither waits for the other while work is left, whatever the rules cost on this input."""
    runs = list(ctx.runs)
    if not 2 <= len(runs) <= ctx.scheduler.max_units or not ctx.scheduler.wanted(len(inventory.resources), SPLIT_MIN_RESOURCES):
        if progress is None:
            return [f for part in run_rules_each(inventory, runs) for f in part]
        out: list[Finding] = []
        for rule in runs:  # one at a time, for the bar
            out.extend(run_rules_each(inventory, [rule])[0])
            progress.step()
        return out
    load_checks()  # imported once, before the fork, not once in each process
    # the schema rules share one analysis per resource: one unit, claimed first
    schema = [i for i, rule in enumerate(runs) if rule.meta.id in SHARED_ANALYSIS]
    units = ([schema] if schema else []) + [[i] for i, rule in enumerate(runs) if rule.meta.id not in SHARED_ANALYSIS]
    parts: list[list[Finding]] = [[] for _ in runs]
    done = ctx.scheduler.claim(len(units), lambda u: run_rules_each(inventory, [runs[i] for i in units[u]]))
    for members, (results, _in_child) in zip(units, done):
        for i, part in zip(members, results):
            parts[i] = part
    return [f for part in parts for f in part]


def _one_per_defect(ctx: RunContext, findings: list[Finding]) -> list[Finding]:
    """One finding for one defect: a rule's finding is dropped where a rule that supersedes it reports the same
    place (an invalid registry name is ACR419, not also ACR503)."""
    superseded: set[tuple[str, str, int, str]] = set()
    for f in findings:
        for other in ctx.rules[f.rule_id].supersedes if f.rule_id in ctx.rules else ():
            superseded.add((other, f.file, f.doc, f.pointer))
    if not superseded:
        return findings
    return [f for f in findings if (f.rule_id, f.file, f.doc, f.pointer) not in superseded]
