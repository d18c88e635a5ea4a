"""One line per active finding, for editors and grep (like yamllint's ``parsable``), no summary:

    file:line:col: [severity] message (ACR101)

A finding without a span is reported at ``1:1``; one without a file as ``<run>``. Line breaks inside a
message become spaces so that every finding stays on one line; other control characters are escaped
(linter.report.escape). Suppressed findings are left out.
"""
from __future__ import annotations

from linter.report import RunResult
from linter.report.escape import line_safe, shown


def render(result: RunResult, color: bool = False) -> str:
    lines: list[str] = []
    for f in result.active:
        line, col = (f.span.line, f.span.column) if f.span else (1, 1)
        message = shown(" ".join(f.message.splitlines()))
        lines.append(line_safe(f"{f.file or '<run>'}:{line}:{col}: [{f.severity}] {message} ({f.rule_id})"))
    return "".join(line + "\n" for line in lines)
