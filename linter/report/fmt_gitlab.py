"""GitLab Code Quality report (``artifacts: reports: codequality``): a JSON array with one object per active
finding, holding the fields GitLab documents (docs.gitlab.com, "Code Quality", "Code Quality report format"):

    {"description": "...", "check_name": "ACR401", "fingerprint": "<32 hex>", "severity": "critical",
     "location": {"path": "infra/main.json", "lines": {"begin": 28}}}

- ``check_name`` is the rule id; ``description`` the message;
- ``fingerprint`` is Finding.fingerprint (rule, file relative to the repository root, resource, pointer: no line),
  so GitLab matches a finding across pipelines when lines move; GitLab keeps one issue per fingerprint, so a
  second finding with the same one gets a fingerprint derived from it and its position in the report;
- ``severity``: error -> ``critical``, warning -> ``major``, info -> ``info``;
- ``location.path`` is the file relative to the repository root, never starting with ``./``; ``lines.begin`` its
  line (1 when the finding has no position).

Suppressed findings are left out. The JSON is UTF-8 without a byte order mark (GitLab refuses one), with the
escapes of linter.report.escape.json_safe.
"""
from __future__ import annotations

import hashlib
import json
from typing import Any

from linter.constants import ERROR, INFO, WARNING
from linter.report import RunResult
from linter.report.escape import json_safe

SEVERITY = {ERROR: "critical", WARNING: "major", INFO: "info"}  # Code Quality severities


def issues(result: RunResult) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    used: set[str] = set()
    for f in result.active:
        fingerprint = f.fingerprint
        n = 1
        while fingerprint in used:
            n += 1
            fingerprint = hashlib.sha256(f"{f.fingerprint}:{n}".encode()).hexdigest()[:32]
        used.add(fingerprint)
        path = (f.repo_path if f.repo_path is not None else f.file) or "."
        while path.startswith("./"):
            path = path[2:]
        out.append({
            "description": f.message,
            "check_name": f.rule_id,
            "fingerprint": fingerprint,
            "severity": SEVERITY.get(f.severity, "major"),
            "location": {"path": path, "lines": {"begin": f.span.line if f.span else 1}},
        })
    return out


def render(result: RunResult, color: bool = False) -> str:
    return json_safe(json.dumps(issues(result), indent=2, ensure_ascii=False)) + "\n"
