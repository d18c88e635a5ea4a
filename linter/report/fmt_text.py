"""Human-readable output: one line per finding, then a summary."""
from __future__ import annotations

from linter.report import RunResult
from linter.report.escape import line_safe, shown

_COLORS = {"error": "\033[31m", "warning": "\033[33m", "info": "\033[36m"}
_RESET = "\033[0m"
_BOLD = "\033[1m"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def render(result: RunResult, color: bool = False) -> str:
    lines: list[str] = []
    for f in result.active:
        where = line_safe(f"{f.file}:{f.span.line}:{f.span.column}" if f.span else f.file or "<run>")
        sev = f.severity
        if color:
            where = f"{_BOLD}{where}{_RESET}"
            sev = f"{_COLORS.get(sev, '')}{sev}{_RESET}"
        lines.append(f"{where}: {sev} {f.rule_id} {shown(f.message)}")
    counts = result.counts()
    parts = [_plural(counts["error"], "error"), _plural(counts["warning"], "warning"), f"{counts['info']} info"]
    summary = f"{', '.join(parts)} in {_plural(result.files_linted, 'file')} linted"
    summary += f", {result.files_skipped} skipped"
    if result.files_failed:
        summary += f", {result.files_failed} failed"
    suppressed = len(result.findings) - len(result.active)
    if suppressed:
        summary += f"; {suppressed} suppressed"
    if result.baseline is not None:
        summary += f"; {result.baseline.get('baselined', 0)} in baseline, {result.baseline.get('fixed', 0)} baseline entries fixed"
    lines.append(summary)
    return "\n".join(lines) + "\n"
