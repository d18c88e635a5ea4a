"""SARIF 2.1.0 (one run), for GitHub code scanning and Azure DevOps' SARIF viewer.

- ``tool.driver.rules`` lists every rule in ``result.rules`` (plus a minimal descriptor for any rule id a
  finding uses that is not there, so that every ``ruleIndex`` is valid). GitHub reads ``properties``: rules of
  the families that concern access and exposure (ACR1xx trusted services, ACR2xx clients, ACR3xx roles, ACR4xx
  registry hardening) are tagged ``security`` and their family, with ``security-severity`` from the rule's
  severity in this run (error 8.0, High; warning 5.0, Medium; info 2.0, Low), so alerts read High/Medium/Low; the
  others (ACR0xx input and configuration, ACR5xx resource schema) are tagged ``correctness`` and their family,
  with ``problem.severity``.
- Each finding is a result with ``ruleId``, ``ruleIndex``, ``level`` (``info`` -> ``note``), ``message.text``,
  one physical location and ``partialFingerprints``. The location's ``uri`` is the file relative to the
  repository root (Finding.repo_path), against ``%SRCROOT%`` (``originalUriBaseIds``: the run's root,
  RunResult.root), whatever the working directory; a file outside the root gets an absolute file URI.
  ``partialFingerprints`` holds ``acrlint/v1`` = Finding.fingerprint (rule, file relative to the root, resource,
  pointer: no line) and, from it, ``primaryLocationLineHash``, the only key GitHub reads (upload-sarif would
  otherwise hash the text of the line), so an alert survives lines moving and edits around it.
- Suppressed and baselined findings are left out: GitHub ignores SARIF ``suppressions`` and would open an
  alert for each. With ``result.include_suppressed`` (``--sarif-include-suppressed``) they are kept, with
  ``suppressions: [{kind, justification}]``: ``inSource`` for inline and metadata directives, ``external`` for
  configuration suppressions and the baseline.
- A finding without a span has a location without ``region``; one without a file has no location.
- Columns are Unicode code points (``columnKind``), end columns exclusive, as in ``Span``.
"""
from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any
from urllib.parse import quote

import linter
from linter.constants import ERROR, INFO, SEVERITY_RANK, WARNING
from linter.model import Finding, RuleMeta
from linter.report import RunResult
from linter.report.escape import json_safe

SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
INFORMATION_URI = "https://github.com/acrlint/acrlint"
RULE_DOC_URI = "https://github.com/acrlint/acrlint/blob/main/docs/rules/{id}.md"
FINGERPRINT_KEY = "acrlint/v1"
SRCROOT = "%SRCROOT%"

_LEVELS = {ERROR: "error", WARNING: "warning", INFO: "note"}  # SARIF levels
_SUPPRESSION_KINDS = {"inSource": "inSource", "external": "external", "baseline": "external"}
_DRIVE = re.compile(r"^[A-Za-z]:[\\/]")


def srcroot_uri(root: str | None = None) -> str:
    """``root`` (default: the working directory) as a file URI ending in ``/`` (SARIF requires the slash)."""
    uri = (Path(root) if root else Path.cwd()).resolve().as_uri()
    return uri if uri.endswith("/") else uri + "/"


def _file_uri(posix: str) -> dict[str, Any]:
    if _DRIVE.match(posix):
        posix = "/" + posix
    return {"uri": "file://" + quote(posix, safe="/:", errors="surrogateescape")}


def artifact_location(path: str, root: str | None = None) -> dict[str, Any]:
    """A path relative to %SRCROOT% becomes a percent-encoded URI reference against it; an absolute one, or one
    that leads out of the root (``../``), a file URI (``root`` makes the latter absolute)."""
    posix = path.replace("\\", "/")
    if posix.startswith("/") or _DRIVE.match(posix):
        return _file_uri(posix)
    while posix.startswith("./"):
        posix = posix[2:]
    if (posix == ".." or posix.startswith("../")) and root:
        return _file_uri(os.path.normpath(os.path.join(root, posix)).replace("\\", "/"))
    # surrogateescape: a file name that is not UTF-8 comes back as its own bytes, percent-encoded
    return {"uri": quote(posix, safe="/", errors="surrogateescape"), "uriBaseId": SRCROOT}


# The rule families, by the first digit of the id. Security ones get GitHub's security-severity.
FAMILIES = {"0": "input", "1": "trusted-services", "2": "client-access", "3": "roles", "4": "registry-hardening", "5": "schema"}
_SECURITY_FAMILIES = {"1", "2", "3", "4"}
SECURITY_SEVERITY = {ERROR: "8.0", WARNING: "5.0", INFO: "2.0"}  # High, Medium, Low in GitHub
_PROBLEM_SEVERITY = {ERROR: "error", WARNING: "warning", INFO: "recommendation"}


def rule_properties(rule_id: str, severity: str, implementation: str | None = None) -> dict[str, Any]:
    """``properties`` of a rule's descriptor as GitHub code scanning reads them (tags, security-severity or
    problem.severity), from the rule's family (its id) and its severity in this run."""
    digit = rule_id[3:4] if rule_id.startswith("ACR") else ""
    family = FAMILIES.get(digit, "other")
    props: dict[str, Any]
    if digit in _SECURITY_FAMILIES:
        props = {"tags": ["security", family], "security-severity": SECURITY_SEVERITY.get(severity, "5.0")}
    else:
        props = {"tags": ["correctness", family], "problem.severity": _PROBLEM_SEVERITY.get(severity, "warning")}
    if implementation:
        props["implementation"] = implementation
    return props


def _limited(text: str, limit: int = 1024) -> str:
    """GitHub limits a rule's name to 255 characters and its descriptions to 1,024."""
    return text if len(text) <= limit else text[: limit - 3].rstrip() + "..."


def rule_descriptor(meta: RuleMeta, severity: str | None = None) -> dict[str, Any]:
    """``severity``: the rule's severity in this run (configuration can change it; default: the rule's)."""
    severity = severity or meta.severity
    what = str(meta.docs.get("what") or meta.title)
    help_text = meta.remediation or what
    doc_uri = RULE_DOC_URI.format(id=meta.id)
    return {
        "id": meta.id,
        "name": _limited(meta.name, 255),
        "shortDescription": {"text": _limited(meta.title)},
        "fullDescription": {"text": _limited(what)},
        "help": {"text": help_text, "markdown": f"{help_text}\n\n[{meta.id} documentation]({doc_uri})"},
        "helpUri": doc_uri,
        "defaultConfiguration": {"level": _LEVELS.get(severity, "warning")},
        "properties": rule_properties(meta.id, severity, meta.implementation),
    }


def _result(f: Finding, index: int, root: str | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "ruleId": f.rule_id,
        "ruleIndex": index,
        "level": _LEVELS.get(f.severity, "warning"),
        "message": {"text": f.message},
    }
    if f.file:
        physical: dict[str, Any] = {"artifactLocation": artifact_location(f.repo_path if f.repo_path is not None else f.file, root)}
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
    fingerprint = f.fingerprint
    out["partialFingerprints"] = {FINGERPRINT_KEY: fingerprint, "primaryLocationLineHash": f"{fingerprint[:16]}:1"}
    if f.resource:
        out["properties"] = {"resource": f.resource}
    if f.suppressed is not None:
        kind = _SUPPRESSION_KINDS.get(f.suppression_kind or "", "external")
        out["suppressions"] = [{"kind": kind, "justification": f.suppressed}]
    return out


def to_sarif(result: RunResult) -> dict[str, Any]:
    findings = result.findings if result.include_suppressed else result.active
    severities: dict[str, str] = {}
    for f in result.findings:  # a rule's severity in this run: configuration may have changed it
        if SEVERITY_RANK.get(f.severity, 0) > SEVERITY_RANK.get(severities.get(f.rule_id, ""), 0):
            severities[f.rule_id] = f.severity
    descriptors: list[dict[str, Any]] = []
    index: dict[str, int] = {}
    for rule_id, meta in result.rules.items():
        index[rule_id] = len(descriptors)
        descriptors.append(rule_descriptor(meta, severities.get(rule_id)))
    for f in findings:
        if f.rule_id not in index:
            index[f.rule_id] = len(descriptors)
            descriptors.append({"id": f.rule_id, "shortDescription": {"text": f.rule_id},
                                "properties": rule_properties(f.rule_id, f.severity)})
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
        "originalUriBaseIds": {SRCROOT: {"uri": srcroot_uri(result.root), "description": {"text": "the repository root"}}},
        "invocations": [{"executionSuccessful": not result.tool_failed, "workingDirectory": {"uri": srcroot_uri()}}],
        "columnKind": "unicodeCodePoints",
        "results": [_result(f, index[f.rule_id], result.root) for f in findings],
    }
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}


def render(result: RunResult, color: bool = False) -> str:
    return json_safe(json.dumps(to_sarif(result), indent=2, ensure_ascii=False)) + "\n"
