"""Machine-readable output, documented in schemas/findings.schema.json."""
from __future__ import annotations

import json
from typing import Any

from linter.report import RunResult


def finding_dict(f: Any) -> dict[str, Any]:
    s = f.span
    return {
        "rule_id": f.rule_id,
        "severity": f.severity,
        "message": f.message,
        "file": f.file,
        "line": s.line if s else None,
        "column": s.column if s else None,
        "end_line": s.end_line if s else None,
        "end_column": s.end_column if s else None,
        "pointer": f.pointer,
        "resource": f.resource,
        "suppressed": f.suppressed,
    }


def render(result: RunResult, color: bool = False) -> str:
    counts = result.counts()
    doc = {
        "version": 1,
        "findings": [finding_dict(f) for f in result.findings],
        "summary": {
            "files_linted": result.files_linted,
            "files_skipped": result.files_skipped,
            "files_failed": result.files_failed,
            "error": counts["error"],
            "warning": counts["warning"],
            "info": counts["info"],
        },
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
