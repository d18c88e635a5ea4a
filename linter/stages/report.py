"""The report stage: the findings, sorted, and what the run did, as the RunResult every output format renders
(linter.report)."""
from __future__ import annotations

from linter.constants import TOOL_FAILURES
from linter.context import RunContext
from linter.discover import Target
from linter.model import Finding
from linter.report import RunResult
from linter.stages.decode import FileState
from linter.stages.locate import Sources


def run(ctx: RunContext, targets: list[Target], states: list[FileState], findings: list[Finding], texts: Sources,
        baseline: dict[str, int] | None) -> RunResult:
    options = ctx.options
    findings = sorted(findings, key=Finding.sort_key)
    return RunResult(
        findings=findings,
        rules=dict(ctx.rules),
        files_linted=sum(1 for s in states if not s.failed and s.skipped_why is None),
        files_skipped=sum(1 for s in states if not s.failed and s.skipped_why is not None),
        files_failed=sum(1 for s in states if s.failed),
        skipped=[(s.path, s.skipped_why) for s in states if s.skipped_why is not None],
        fail_on=options.fail_on,
        baseline=baseline,
        tool_failed=any(s.failed for s in states) or any(f.rule_id in TOOL_FAILURES for f in findings),
        enabled_rules=sorted(ctx.enabled),
        # what an output must never overwrite: the files linted (or that failed), not those skipped as not ours
        # (a report.json from the previous run in the directory linted is rewritten as usual)
        inputs=[t.path for t, s in zip(targets, states) if t.path != "-" and s.skipped_why is None]
        + ([options.parameters_file] if options.parameters_file else []) + [p for s in states for p in s.read_also],
        root=ctx.root,
        sources={f.file: texts[f.file][0] for f in findings if f.file in texts} if options.show_source else None,
    )
