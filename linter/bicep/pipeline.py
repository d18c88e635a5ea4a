"""The Bicep hooks of the pipeline (the stages in linter/stages call these for .bicep/.bicepparam files):

    read_bicep(path, text, roots, documents)        load: the template (or parameters document) and the
                                                    reader's findings, at their Bicep positions
    find_bicepparam(template)                       load: the .bicepparam beside a template that is 'using' it
    parameter_values(path)                          load: the values a .bicepparam file supplies, evaluated
    attribute_modules(resources, issues, path, text, roots, documents)
                                                    expand: resources of inlined local modules move to their files
                                                    (and expression errors lose offsets into the generated ARM text)
    BicepLocator(path, text, documents)             locate: JSON pointer -> Span through the source map

``documents`` is the run's linter.bicep.document.Documents (RunContext.bicep).
"""
from __future__ import annotations

import os
import re
from bisect import bisect_right
from pathlib import Path
from typing import Any

from linter.arm.expand import TemplateExpander
from linter.bicep.document import Documents
from linter.constants import INTERNAL_ERROR
from linter.decode import bytes_to_text
from linter.engine.rules import severity_of
from linter.model import Finding, Span, Unknown


def _reader() -> Any:
    """The Bicep reader (lexer, parser, emitter), imported the first time a run reads a Bicep file: about 25 ms at
    start-up that a run without Bicep files (a pre-commit hook on one JSON file) does not pay."""
    from linter.bicep import reader

    return reader


_ARM_OFFSET = re.compile(r" \(at offset [0-9]+\)")


def read_bicep(path: str, text: str, roots: list[str] | None, documents: Documents) -> tuple[dict[str, Any] | None, list[Finding]]:
    """The document of a .bicep/.bicepparam file (None when the reader failed) and the reader's findings.
    ``roots``: the linted tree (linter.discover.tree_roots); nothing outside it is read. ``documents``: the run's."""
    try:
        doc = _reader().read(path, text, roots, documents)
    except Exception as exc:  # noqa: BLE001 - a bug on one odd input must not end the run: report it, lint the rest
        return None, [Finding(INTERNAL_ERROR, severity_of(INTERNAL_ERROR), f"internal error while reading this Bicep file: {type(exc).__name__}: {exc}", path)]
    findings = []
    located = [(doc, problem) for problem in doc.problems] + doc.module_problems(documents)
    locators: dict[str, BicepLocator] = {}
    for source, problem in located:
        locator = locators.get(source.path) or locators.setdefault(source.path, BicepLocator(source.path, source.text, documents))
        severity = problem.severity or severity_of(problem.rule_id)
        findings.append(Finding(problem.rule_id, severity, problem.message, source.path, span=locator.span_of(problem.start, problem.end)))
    return doc.template, findings


def find_bicepparam(template: Path) -> Path | None:
    """``<stem>.bicepparam`` beside the template, or the only .bicepparam there, when its ``using`` names the
    template."""
    directory = template.parent
    candidates = [template.with_suffix(".bicepparam")]
    try:
        others = sorted(p for p in directory.iterdir() if p.suffix.lower() == ".bicepparam" and p not in candidates)
    except OSError:
        others = []
    if len(others) == 1:
        candidates += others
    for candidate in candidates:
        if not candidate.is_file():
            continue
        try:
            with open(candidate, "rb") as fh:
                text = bytes_to_text(fh.read())
            using = _reader().read(candidate.as_posix(), text).using
        except Exception:
            continue
        if using and os.path.normpath(candidate.parent / using) == os.path.normpath(template):
            return candidate
    return None


def parameter_values(path: str) -> tuple[dict[str, Any], dict[str, str], str | None]:
    """(values, pointers, using) of a .bicepparam file; an expression the expander cannot evaluate gives
    Unknown. Raises OSError or the decoder's error when the file cannot be read."""
    with open(path, "rb") as fh:
        text = bytes_to_text(fh.read())
    doc = _reader().read(path, text)
    params = doc.template.get("parameters") or {}
    scope = doc.template.get("acrlint:scope") or {}
    template: dict[str, Any] = {
        "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
        "contentVersion": "1.0.0.0",
        "parameters": {_reader().UNKNOWN_PARAM: {"type": "object"}} if scope.get("unknown") else {},
        "variables": dict(scope.get("variables") or {}),
        "functions": scope.get("functions") or [],
        "resources": [],
    }
    for name, spec in params.items():
        template["variables"][f"__acrlint_param_{name}"] = spec.get("value")
    expander = TemplateExpander(template, file=path)
    values: dict[str, Any] = {}
    pointers: dict[str, str] = {}
    for name in params:
        try:
            values[name] = expander.variable(f"__acrlint_param_{name}")
        except Exception:
            values[name] = Unknown(f"value of parameter {name} in {path}")
        pointers[name] = f"/parameters/{name}/value"
    return values, pointers, doc.using


def attribute_modules(resources: list[Any], issues: list[Any], file: str, text: str, roots: list[str] | None,
                      documents: Documents) -> list[str]:
    """Move the resources of inlined local modules to the module's own file, with pointers into it (the module
    template is the module file's own translation). Returns the file of each issue, in order. ``roots``: the linted
    tree the file was read with (read_bicep); ``documents``: the run's."""
    for issue in issues:
        # an offset into the generated ARM expression means nothing in the Bicep text
        issue.message = _ARM_OFFSET.sub("", issue.message)
    doc = _reader().read(file, text, roots, documents)
    modules = doc.modules
    try:
        _bicep_names(resources, file, doc, documents)
    except Exception:  # noqa: BLE001 - a label is cosmetic: never fail the file for it
        pass
    if not modules:
        return [file] * len(issues)
    prefixes = sorted(modules, key=len, reverse=True)

    def owner(pointer: str) -> tuple[str, str]:
        for prefix in prefixes:
            if pointer.startswith(prefix) and (len(pointer) == len(prefix) or pointer[len(prefix)] == "/"):
                return modules[prefix], pointer[len(prefix):]
        return file, pointer

    for res in resources:
        if res.file == file:
            res.file, res.pointer = owner(res.pointer)
    files = []
    for issue in issues:
        where, issue.pointer = owner(issue.pointer)
        files.append(where)
    return files


def _bicep_names(resources: list[Any], file: str, doc: Any, documents: Documents) -> None:
    """A resource whose name is not known before deployment is named in messages by its name expression: as
    written in Bicep (``acr${suffix}``, ``${name}``), not as the generated ARM expression."""
    texts: dict[str, tuple[str, dict[str, tuple[int, int]]]] = {}
    for res in resources:
        if "raw_name" not in res.extra:
            continue
        path = res.file
        if path not in texts:
            source = doc if path == file else documents.get(path)
            if source is None:
                continue
            texts[path] = (source.text, source.source_map)
        text, smap = texts[path]
        span = smap.get(res.pointer + "/name")
        if span is None:
            continue
        written = " ".join(text[span[0]:span[1]].split())
        if len(written) >= 2 and written[0] == written[-1] == "'" and "'" not in written[1:-1].replace("\\'", ""):
            written = written[1:-1]
        else:
            written = "${" + written + "}"
        res.extra["raw_name"] = written if len(written) <= 80 else written[:77] + "..."


class BicepLocator:
    """Spans of JSON pointers into a Bicep file's template: the pointer's own entry in the source map, or that
    of its longest mapped prefix (array indices of loops match their loop body)."""

    def __init__(self, path: str, text: str, documents: Documents | None = None):
        self.text = text.removeprefix("\ufeff")
        try:
            self.smap = _reader().source_map_of(path, self.text, documents)
        except Exception:
            self.smap = {}
        self._lines: list[int] | None = None

    def span(self, doc: int, pointer: str) -> tuple[Span, str]:
        tokens = pointer.split("/")[1:] if pointer else []
        smap = self.smap
        digits = [i for i, t in enumerate(tokens) if t.isdigit()]
        for n in range(len(tokens), -1, -1):
            prefix = "/" + "/".join(tokens[:n]) if n else ""
            hit = smap.get(prefix)
            if hit is None:
                # an item made by a loop: its body is mapped with "*" for the item's index (one loop, or all)
                inside = [i for i in digits if i < n]
                for stars in [[i] for i in reversed(inside)] + ([inside] if len(inside) > 1 else []):
                    starred = ["*" if i in stars else t for i, t in enumerate(tokens[:n])]
                    hit = smap.get("/" + "/".join(starred))
                    if hit is not None:
                        break
            if hit is not None:
                return self._span(*hit), prefix
        return Span(1, 1, 1, 1), ""

    def span_of(self, start: int, end: int) -> Span:
        return self._span(start, end)

    def _span(self, start: int, end: int) -> Span:
        line, col = self._line_col(start)
        end_line, end_col = self._line_col(end)
        return Span(line, col, end_line, end_col)

    def _line_col(self, index: int) -> tuple[int, int]:
        if self._lines is None:
            starts = [0]
            text = self.text
            i = text.find("\n")
            while i >= 0:
                starts.append(i + 1)
                i = text.find("\n", i + 1)
            self._lines = starts
        lines = self._lines
        k = bisect_right(lines, index) - 1
        return k + 1, index - lines[k] + 1


__all__ = ["BicepLocator", "attribute_modules", "find_bicepparam", "parameter_values", "read_bicep"]
