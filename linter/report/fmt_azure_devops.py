"""Azure Pipelines logging commands: one ``task.logissue`` per active finding, errors first, then ``task.complete``.

    ##vso[task.logissue type=error;sourcepath=PATH;linenumber=L;columnnumber=C;code=ACR101]MESSAGE
    ##vso[task.complete result=SucceededWithIssues;]

Azure Pipelines knows only two issue types, ``error`` and ``warning``, so ``info`` findings are logged as
warnings. Errors come first, then warnings, then info (each in ``result.findings`` order): the agent keeps only
the first ``ISSUE_LIMIT`` issues of each type on the run's summary and counts the rest (``_maxIssueCount`` in
azure-pipelines-agent's ``ExecutionContext.cs``). When a type has more, its ``ISSUE_LIMIT``-th issue says how many
more there are and where to read them, and every finding is still logged after it (the log keeps them all).

Escaping follows azure-pipelines-task-lib (``taskcommand.ts``): property values ``%`` -> ``%AZP25``, CR -> ``%0D``,
LF -> ``%0A``, ``]`` -> ``%5D``, ``;`` -> ``%3B``; the message escapes ``%``, CR and LF.

The final line is ``result=Failed`` when the run fails (``result.failing()``, unless ``--exit-zero``, or
``result.tool_failed``), ``result=SucceededWithIssues`` when there are active findings otherwise, and absent when
clean.
Suppressed findings are left out.
"""
from __future__ import annotations

from linter.constants import ERROR, INFO, SEVERITY_RANK, WARNING
from linter.model import Finding
from linter.report import RunResult
from linter.report.escape import shown

# info has no counterpart in Azure Pipelines (only error and warning exist): report it as a warning.
_TYPES = {ERROR: "error", WARNING: "warning", INFO: "warning"}  # the agent's issue types
ISSUE_LIMIT = 10  # issues of one type the agent shows on the summary (ExecutionContext._maxIssueCount)


def escape_data(text: str) -> str:
    # the agent's own escapes for CR and LF; shown(): no other control character reaches the log, and
    # ##vso[ inside a value is never a second command
    return shown(text, keep_breaks=True).replace("%", "%AZP25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace("]", "%5D").replace(";", "%3B")


def _issue(kind: str, message: str, props: list[tuple[str, str]]) -> str:
    prop_text = ";".join(f"{k}={escape_property(v)}" for k, v in [("type", kind), *props])
    return f"##vso[task.logissue {prop_text}]{escape_data(message)}"


def _finding(f: Finding) -> str:
    props: list[tuple[str, str]] = []
    if f.file:
        props.append(("sourcepath", f.file))
    if f.span:
        props += [("linenumber", str(f.span.line)), ("columnnumber", str(f.span.column))]
    props.append(("code", f.rule_id))
    return _issue(_TYPES.get(f.severity, "warning"), f.message, props)


def render(result: RunResult, color: bool = False) -> str:
    findings = sorted(result.active, key=lambda f: -SEVERITY_RANK.get(f.severity, 0))  # stable: errors first
    total = {kind: sum(1 for f in findings if _TYPES.get(f.severity, "warning") == kind) for kind in ("error", "warning")}
    lines: list[str] = []
    logged = {"error": 0, "warning": 0}
    for f in findings:
        kind = _TYPES.get(f.severity, "warning")
        if total[kind] > ISSUE_LIMIT and logged[kind] == ISSUE_LIMIT - 1:
            more = total[kind] - logged[kind]
            word = "errors" if kind == "error" else "warnings"
            lines.append(_issue(kind, f"acrlint: {more} more {word} follow in this step's log: Azure Pipelines lists "
                                      f"{ISSUE_LIMIT} issues of each type here ({total[kind]} {word} in all)", []))
            logged[kind] += 1
        lines.append(_finding(f))
        logged[kind] += 1
    if result.tool_failed or (result.failing() and not result.exit_zero):
        lines.append("##vso[task.complete result=Failed;]")
    elif result.active:
        lines.append("##vso[task.complete result=SucceededWithIssues;]")
    return "".join(line + "\n" for line in lines)
