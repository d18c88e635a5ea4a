"""SARIF 2.1.0 (one run), for GitHub code scanning and Azure DevOps' SARIF viewer.

- ``tool.driver.rules`` lists every rule in ``result.rules`` (plus a minimal descriptor for any rule id a
  finding uses that is not there, so that every ``ruleIndex`` is valid).
- Each finding is a result with ``ruleId``, ``ruleIndex``, ``level`` (``info`` -> ``note``), ``message.text``,
  one physical location relative to ``%SRCROOT%`` (the working directory, given in ``originalUriBaseIds``)
  and ``partialFingerprints["acrlint/v1"]`` = ``Finding.fingerprint``.
- Suppressed findings are kept, with ``suppressions: [{kind, justification}]``: ``inSource`` for inline and
  metadata directives, ``external`` for config suppressions and the baseline.
- A finding without a span has a location without ``region``; one without a file has no location.
- Columns are Unicode code points (``columnKind``), end columns exclusive, as in ``Span``.
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import quote

import linter
from linter.model import Finding, RuleMeta
from linter.report import RunResult
from linter.report.escape import json_safe

SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
INFORMATION_URI = "https://github.com/acrlint/acrlint"
RULE_DOC_URI = "https://github.com/acrlint/acrlint/blob/main/docs/rules/{id}.md"
FINGERPRINT_KEY = "acrlint/v1"
SRCROOT = "%SRCROOT%"

_LEVELS = {"error": "error", "warning": "warning", "info": "note"}
_SUPPRESSION_KINDS = {"inSource": "inSource", "external": "external", "baseline": "external"}
_DRIVE = re.compile(r"^[A-Za-z]:[\\/]")


def srcroot_uri() -> str:
    """The working directory as a file URI ending in ``/`` (SARIF requires the trailing slash)."""
    uri = Path.cwd().resolve().as_uri()
    return uri if uri.endswith("/") else uri + "/"


def artifact_location(path: str) -> dict[str, Any]:
    """A relative path becomes a percent-encoded URI reference against %SRCROOT%; an absolute one a file URI."""
    posix = path.replace("\\", "/")
    if posix.startswith("/") or _DRIVE.match(posix):
        if _DRIVE.match(posix):
            posix = "/" + posix
        return {"uri": "file://" + quote(posix, safe="/:", errors="surrogateescape")}
    posix = posix.removeprefix("./")
    # surrogateescape: a file name that is not UTF-8 comes back as its own bytes, percent-encoded
    return {"uri": quote(posix, safe="/", errors="surrogateescape"), "uriBaseId": SRCROOT}


def rule_descriptor(meta: RuleMeta) -> dict[str, Any]:
    what = str(meta.docs.get("what") or meta.title)
    help_text = meta.remediation or what
    doc_uri = RULE_DOC_URI.format(id=meta.id)
    return {
        "id": meta.id,
        "name": meta.name,
        "shortDescription": {"text": meta.title},
        "fullDescription": {"text": what},
        "help": {"text": help_text, "markdown": f"{help_text}\n\n[{meta.id} documentation]({doc_uri})"},
        "helpUri": doc_uri,
        "defaultConfiguration": {"level": _LEVELS.get(meta.severity, "warning")},
        "properties": {"tags": ["acrlint"], "implementation": meta.implementation},
    }


def _result(f: Finding, index: int) -> dict[str, Any]:
    out: dict[str, Any] = {
        "ruleId": f.rule_id,
        "ruleIndex": index,
        "level": _LEVELS.get(f.severity, "warning"),
        "message": {"text": f.message},
    }
    if f.file:
        physical: dict[str, Any] = {"artifactLocation": artifact_location(f.file)}
        if f.span:
            s = f.span
            start_line, start_col = max(s.line, 1), max(s.column, 1)
            end_line = max(s.end_line, start_line)
            end_col = max(s.end_column, start_col if end_line == start_line else 1)
            physical["region"] = {"startLine": start_line, "startColumn": start_col, "endLine": end_line, "endColumn": end_col}
        location: dict[str, Any] = {"physicalLocation": physical}
        if f.pointer:
            location["logicalLocations"] = [{"fullyQualifiedName": f.pointer}]
        out["locations"] = [location]
    out["partialFingerprints"] = {FINGERPRINT_KEY: f.fingerprint}
    if f.resource:
        out["properties"] = {"resource": f.resource}
    if f.suppressed is not None:
        kind = _SUPPRESSION_KINDS.get(f.suppression_kind or "", "external")
        out["suppressions"] = [{"kind": kind, "justification": f.suppressed}]
    return out


def to_sarif(result: RunResult) -> dict[str, Any]:
    descriptors: list[dict[str, Any]] = []
    index: dict[str, int] = {}
    for rule_id, meta in result.rules.items():
        index[rule_id] = len(descriptors)
        descriptors.append(rule_descriptor(meta))
    for f in result.findings:
        if f.rule_id not in index:
            index[f.rule_id] = len(descriptors)
            descriptors.append({"id": f.rule_id, "shortDescription": {"text": f.rule_id}})
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "acrlint",
                "version": linter.__version__,
                "semanticVersion": linter.__version__,
                "informationUri": INFORMATION_URI,
                "rules": descriptors,
            }
        },
        "originalUriBaseIds": {SRCROOT: {"uri": srcroot_uri()}},
        "invocations": [{"executionSuccessful": not result.tool_failed}],
        "columnKind": "unicodeCodePoints",
        "results": [_result(f, index[f.rule_id]) for f in result.findings],
    }
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}


def render(result: RunResult, color: bool = False) -> str:
    return json_safe(json.dumps(to_sarif(result), indent=2, ensure_ascii=False)) + "\n"
