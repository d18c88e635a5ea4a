"""The locate stage: each finding's line and column, from its file's text and the finding's JSON pointer
(linter.locate.Locator for JSON and YAML, linter.bicep.pipeline.BicepLocator for Bicep). A file's locator is made
once in a run (RunContext.locators) and each finding is placed once: the filter stage places those it needs
first, this stage the rest."""
from __future__ import annotations

from typing import Any

from linter.bicep.pipeline import BicepLocator
from linter.context import RunContext
from linter.locate import Locator
from linter.model import Finding, Span
from linter.stages.decode import FileState, source_text

# file -> (text, format) of every file a finding can be in
Sources = dict[str, tuple[str, str]]

# Many findings: the second half (by file and pointer) is placed in a forked process (linter.parallel).
SPLIT_MIN_FINDINGS = 1000


def sources(ctx: RunContext, states: list[FileState]) -> Sources:
    """The text of every file read: those linted, and the linked templates read through them (a finding in a
    linked template names a file that was not linted itself)."""
    texts = {s.path: (s.text, s.fmt) for s in states if s.text is not None and s.fmt is not None}
    linked = {r.file for s in states for r in s.resources} | {p for s in states for p in s.read_also if p.lower().endswith((".json", ".jsonc"))}
    for path in sorted(linked - set(texts)):
        text = source_text(path, ctx.options)
        if text is not None:
            texts[path] = text
    return texts


def run(ctx: RunContext, findings: list[Finding], texts: Sources) -> list[Finding]:
    """``place``, the second half (by file and pointer) in a forked process when there are many."""
    todo = [i for i, f in enumerate(findings) if f.span is None and f.file in texts]
    if len(todo) < 2 or not ctx.scheduler.wanted(len(todo), SPLIT_MIN_FINDINGS):
        return place(ctx, findings, texts)
    todo.sort(key=lambda i: (findings[i].file, findings[i].doc, findings[i].pointer))
    half = len(todo) // 2
    first, second = todo[:half], todo[half:]
    child = ctx.scheduler.forked(_spans, ctx, [findings[i] for i in second], texts)
    out = list(findings)
    for i, f in zip(first, place(ctx, [findings[i] for i in first], texts)):
        out[i] = f
    for i, span in zip(second, child.result()):
        out[i] = findings[i].evolve(span=Span(*span) if span else None)
    return out


def place(ctx: RunContext, findings: list[Finding], texts: Sources, only: set[str] | None = None) -> list[Finding]:
    """``findings`` with a span each (those in ``only`` files, when given), from the run's locators."""
    locators = ctx.locators
    out: list[Finding] = []
    for f in findings:
        if f.span is not None or f.file not in texts or (only is not None and f.file not in only):
            out.append(f)
            continue
        loc = locators.get(f.file)
        if loc is None:
            loc = locators[f.file] = _locator(ctx, f.file, *texts[f.file])
        try:
            span, _found = loc.span(f.doc, f.pointer)
        except Exception:
            span = Span(1, 1, 1, 1)
        out.append(f.evolve(span=span))
    return out


def _locator(ctx: RunContext, path: str, text: str, fmt: str) -> Any:
    return BicepLocator(path, text, ctx.bicep) if fmt == "bicep" else Locator(text, fmt)


def _spans(ctx: RunContext, findings: list[Finding], texts: Sources) -> list[tuple[int, int, int, int] | None]:
    return [(s.line, s.column, s.end_line, s.end_column) if (s := f.span) else None for f in place(ctx, findings, texts)]
