"""Human-readable output: one line per finding, then a summary.

With ``result.sources`` (``--show-source``) each finding is followed by its line of the file, the span
underlined; with ``result.statistics`` the findings are replaced by the number of findings of each rule. Colours
(``color``) mark severities, locations and the underline.
"""
from __future__ import annotations

from linter.constants import ERROR, INFO, WARNING
from linter.model import Finding
from linter.report import RunResult
from linter.report.escape import line_safe, shown

_COLORS = {ERROR: "\033[31m", WARNING: "\033[33m", INFO: "\033[36m"}
_RESET = "\033[0m"
_BOLD = "\033[1m"
_DIM = "\033[2m"
_WINDOW = 160  # characters of a long source line shown around the finding


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _source(f: Finding, text: str, color: bool) -> list[str]:
    """The finding's line, numbered, and a caret under its span (to the end of the line when it goes on)."""
    s = f.span
    if s is None:
        return []
    lines = text.splitlines()
    if not 0 < s.line <= len(lines):
        return []
    line = lines[s.line - 1]
    start = min(max(s.column - 1, 0), len(line))
    end = min(s.end_column - 1, len(line)) if s.end_line == s.line else len(line)
    end = max(end, start + 1)
    head, tail = "", ""
    first = max(0, min(start - _WINDOW // 3, len(line) - _WINDOW))  # a minified template: a window, not the line
    if first > 0:
        head = "..."
    last = min(len(line), first + _WINDOW)
    if last < len(line):
        tail = "..."
    before = head + shown(line[first:start])
    marked = shown(line[start:min(end, last)])
    after = shown(line[min(end, last):last]) + tail
    gutter = f"{s.line:>5} | "
    blank = " " * (len(gutter) - 2) + "| "
    caret = "^" * max(len(marked), 1)
    if color:
        tint = _COLORS.get(f.severity, "")
        return [f"{_DIM}{gutter}{_RESET}{before}{marked}{after}", f"{_DIM}{blank}{_RESET}{' ' * len(before)}{tint}{caret}{_RESET}"]
    return [f"{gutter}{before}{marked}{after}", f"{blank}{' ' * len(before)}{caret}"]


def render(result: RunResult, color: bool = False) -> str:
    lines: list[str] = []
    if result.statistics:
        lines += result.statistics_lines()
    else:
        for f in result.active:
            where = line_safe(f"{f.file}:{f.span.line}:{f.span.column}" if f.span else f.file or "<run>")
            sev = f.severity
            if color:
                where = f"{_BOLD}{where}{_RESET}"
                sev = f"{_COLORS.get(sev, '')}{sev}{_RESET}"
            lines.append(f"{where}: {sev} {f.rule_id} {shown(f.message)}")
            if result.sources is not None and f.file in result.sources:
                lines += _source(f, result.sources[f.file], color)
    counts = result.counts()
    parts = [_plural(counts[ERROR], ERROR), _plural(counts[WARNING], WARNING), f"{counts[INFO]} {INFO}"]
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
