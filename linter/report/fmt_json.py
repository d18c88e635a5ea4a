"""Machine-readable output, documented in schemas/findings.schema.json."""
from __future__ import annotations

import json
from typing import Any

from linter.constants import ERROR, INFO, WARNING
from linter.report import RunResult
from linter.report.escape import json_safe

# json.dumps with indent= runs the pure-Python encoder (about 25 us a finding); findings are flat records,
# so each is laid out here with the C string encoder instead, in exactly the text json.dumps(indent=2) gives.
_encode_str: Any = json.encoder.encode_basestring
_FIELDS = ("rule_id", "severity", "message", "file", "line", "column", "end_line", "end_column", "pointer", "resource", "suppressed")
_PLACEHOLDER = "\x00findings\x00"


def _scalar(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, str):
        return str(_encode_str(value))
    if isinstance(value, bool):
        return "true" if value else "false"
    return json.dumps(value)


_LAYOUT = "    {\n" + ",\n".join(f'      "{name}": %s' for name in _FIELDS) + "\n    }"


def _finding_text(f: Any) -> str:
    s = f.span
    enc = _encode_str
    return _LAYOUT % (
        enc(f.rule_id),
        enc(f.severity),
        enc(f.message),
        enc(f.file),
        s.line if s else "null",
        s.column if s else "null",
        s.end_line if s else "null",
        s.end_column if s else "null",
        enc(f.pointer),
        _scalar(f.resource),
        _scalar(f.suppressed),
    )


def render(result: RunResult, color: bool = False) -> str:
    counts = result.counts()
    doc = {
        "version": 1,
        "findings": [_PLACEHOLDER] if result.findings else [],
        "summary": {
            "files_linted": result.files_linted,
            "files_skipped": result.files_skipped,
            "files_failed": result.files_failed,
            ERROR: counts[ERROR],
            WARNING: counts[WARNING],
            INFO: counts[INFO],
        },
    }
    text = json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    if result.findings:
        text = text.replace("    " + _encode_str(_PLACEHOLDER), ",\n".join(_finding_text(f) for f in result.findings), 1)
    return json_safe(text)
