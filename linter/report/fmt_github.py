"""GitHub Actions workflow commands: one annotation per active finding.

    ::error file=PATH,line=L,col=C,endLine=EL,endColumn=EC,title=ACR101::MESSAGE

``error`` -> ``::error``, ``warning`` -> ``::warning``, ``info`` -> ``::notice``. Escaping follows the
runner's rules (actions/toolkit ``command.ts``): in the message (the command's data) ``%`` -> ``%25``,
CR -> ``%0D``, LF -> ``%0A``; in property values additionally ``:`` -> ``%3A`` and ``,`` -> ``%2C``.
Suppressed findings are left out; a finding without a span gets no line properties, one without a file
gets no ``file`` property. Output order is ``result.findings`` order.
"""
from __future__ import annotations

from linter.constants import ERROR, INFO, WARNING
from linter.report import RunResult
from linter.report.escape import shown

_COMMANDS = {ERROR: "error", WARNING: "warning", INFO: "notice"}  # workflow commands


def escape_data(text: str) -> str:
    # the runner's own escapes for CR and LF (it turns them back into line breaks inside the annotation);
    # shown(): no other control character, nor ##vso[, reaches the log
    return shown(text, keep_breaks=True).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render(result: RunResult, color: bool = False) -> str:
    lines: list[str] = []
    for f in result.active:
        props: list[tuple[str, str]] = []
        if f.file:
            props.append(("file", f.file))
        if f.span:
            s = f.span
            props += [("line", str(s.line)), ("col", str(s.column)), ("endLine", str(s.end_line)), ("endColumn", str(s.end_column))]
        props.append(("title", f.rule_id))
        command = _COMMANDS.get(f.severity, "warning")
        prop_text = ",".join(f"{k}={escape_property(v)}" for k, v in props)
        lines.append(f"::{command} {prop_text}::{escape_data(f.message)}")
    return "".join(line + "\n" for line in lines)
