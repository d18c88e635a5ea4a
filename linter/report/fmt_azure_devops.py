"""Azure Pipelines logging commands: one ``task.logissue`` per active finding, then ``task.complete``.

    ##vso[task.logissue type=error;sourcepath=PATH;linenumber=L;columnnumber=C;code=ACR101]MESSAGE
    ##vso[task.complete result=SucceededWithIssues;]

Azure Pipelines knows only two issue types, ``error`` and ``warning``, so ``info`` findings are logged as
warnings. Escaping follows azure-pipelines-task-lib (``taskcommand.ts``): property values ``%`` -> ``%AZP25``,
CR -> ``%0D``, LF -> ``%0A``, ``]`` -> ``%5D``, ``;`` -> ``%3B``; the message escapes ``%``, CR and LF.

The final line is ``result=Failed`` when the run fails (``result.failing()`` or ``result.tool_failed``),
``result=SucceededWithIssues`` when there are active findings below the threshold, and absent when clean.
Suppressed findings are left out. Output order is ``result.findings`` order.
"""
from __future__ import annotations

from linter.report import RunResult
from linter.report.escape import shown

# info has no counterpart in Azure Pipelines (only error and warning exist): report it as a warning.
_TYPES = {"error": "error", "warning": "warning", "info": "warning"}


def escape_data(text: str) -> str:
    # the agent's own escapes for CR and LF; shown(): no other control character reaches the log, and
    # ##vso[ inside a value is never a second command
    return shown(text, keep_breaks=True).replace("%", "%AZP25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace("]", "%5D").replace(";", "%3B")


def render(result: RunResult, color: bool = False) -> str:
    lines: list[str] = []
    for f in result.active:
        props: list[tuple[str, str]] = [("type", _TYPES.get(f.severity, "warning"))]
        if f.file:
            props.append(("sourcepath", f.file))
        if f.span:
            props += [("linenumber", str(f.span.line)), ("columnnumber", str(f.span.column))]
        props.append(("code", f.rule_id))
        prop_text = ";".join(f"{k}={escape_property(v)}" for k, v in props)
        lines.append(f"##vso[task.logissue {prop_text}]{escape_data(f.message)}")
    if result.failing() or result.tool_failed:
        lines.append("##vso[task.complete result=Failed;]")
    elif result.active:
        lines.append("##vso[task.complete result=SucceededWithIssues;]")
    return "".join(line + "\n" for line in lines)
