"""The filter stage: suppressions (inline directives, resource metadata, the configuration's) and the baseline.
Suppressed findings are kept, marked (the formats decide whether to show them); new findings say when a
suppression is unused, expired or has no reason.

It runs before the locate stage: only findings in files with inline directives need their line here, and they
get it from the run's locators (linter.stages.locate.place), so no position is computed twice."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from linter.baseline import apply_baseline
from linter.context import RunContext
from linter.model import Finding
from linter.paths import rooted
from linter.stages.decode import FileState
from linter.stages.locate import Sources, place
from linter.suppress import apply_suppressions, metadata_suppressions, parse_directives


def run(ctx: RunContext, findings: list[Finding], states: list[FileState], sources: Sources) -> tuple[list[Finding], dict[str, int] | None]:
    """The findings with suppressions and the baseline applied, and the baseline's counts (None: no baseline)."""
    findings = _with_repo_paths(_suppress(ctx, _once(findings), states, sources), ctx.root)
    counts = None
    if ctx.options.baseline:  # raises linter.baseline.BaselineError for a file that is missing or invalid
        findings, counts = apply_baseline(Path(ctx.options.baseline), findings)
    return findings, counts


def _once(findings: list[Finding]) -> list[Finding]:
    """Identical findings (same rule, file, place and message: the instances of a copy loop, or of a module
    deployed in a loop, at one place in the source) are reported once."""
    seen: set[tuple[Any, ...]] = set()
    out: list[Finding] = []
    for f in findings:
        key = (f.rule_id, f.file, f.doc, f.span, f.pointer, f.message, f.suppressed)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out


def _suppress(ctx: RunContext, findings: list[Finding], states: list[FileState], sources: Sources) -> list[Finding]:
    # every file a finding can be in: the files linted, and the linked templates and Bicep modules read through them
    directives = {path: parse_directives(text, fmt) for path, (text, fmt) in sources.items() if "acrlint:" in text}
    directives = {k: v for k, v in directives.items() if v}
    metadata: dict[tuple[str, str], dict[str, str]] = {}
    for s in states:
        for res in s.resources:
            meta = res.body.get("metadata")
            if isinstance(meta, dict) and "acrlint" in meta:
                disabled = metadata_suppressions(meta)
                if disabled:
                    metadata[(res.file, res.pointer)] = disabled
    if not directives and not metadata and not ctx.options.suppressions:
        return findings
    if directives:  # a line directive covers the findings on its line or the next: those need their line now
        findings = place(ctx, findings, sources, only=set(directives))
    return apply_suppressions(
        findings,
        directives_by_file=directives,
        metadata_by_pointer=metadata,
        config_suppressions=ctx.options.suppressions,
        today=ctx.today,
        enabled_rules=ctx.enabled,
        known_rules=ctx.rules,
    )


def _with_repo_paths(findings: list[Finding], root: str) -> list[Finding]:
    """Each finding with its file relative to ``root`` (``repo_path``): the same whether the file was reached as
    ``infra/x.json``, ``./infra/x.json`` or ``x.json`` from ``infra/``, so fingerprints and baselines match."""
    known: dict[str, str] = {}
    out: list[Finding] = []
    for f in findings:
        if not f.file or f.file == "<stdin>":
            out.append(f)
            continue
        path = known.get(f.file)
        if path is None:
            path = known[f.file] = rooted(f.file, root)
        out.append(f.evolve(repo_path=path))
    return out
