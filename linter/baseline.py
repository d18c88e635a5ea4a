"""Baselines: accept today's findings, report only new ones.

API (used by the filter stage, linter/stages/filter.py, and linter/settings.py for --write-baseline)::

    write_baseline(path: Path, findings: list[Finding]) -> None
        Writes {"version": 1, "findings": [{"fingerprint", "rule_id", "file", "resource", "pointer"}, ...]}
        for every finding that is active or already baselined (inline/config-suppressed ones and internal
        errors, ACR000 and ACR003, are left out), one entry per fingerprint, sorted; atomically.
    apply_baseline(path: Path, findings: list[Finding]) -> tuple[list[Finding], dict[str, int]]
        Active findings whose fingerprint is in the baseline come back suppressed ("baseline", kind
        "baseline"); order is kept. Counts: {"baselined": findings marked, "fixed": entries that match no
        finding any more}. Raises BaselineError (one line, "<file>: <problem>") for a missing or invalid file.
    baseline_text(findings: list[Finding]) -> str
        The text write_baseline writes (the CLI writes it through linter.report.output, like every output).

The key is Finding.fingerprint (rule, file, resource, document index, pointer): a baseline survives lines
moving, but not a file being renamed. ``file`` is the path relative to the repository root (Finding.repo_path;
outside a repository, to the baseline file's directory), so ``acrlint infra/``, ``acrlint .``,
``acrlint ./infra/x.json``, both pre-commit hooks and a run from a subdirectory all match the same baseline.
"""
from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

from linter.constants import TOOL_FAILURES
from linter.decode import DecodeError, decode_bytes, read_bytes
from linter.model import Finding
from linter.report.escape import json_safe
from linter.report.output import write_atomic

BASELINE_VERSION = 1
BASELINE_REASON = "baseline"
# A file that cannot be read (ACR000) or a rule that crashed (ACR003) says the run is broken, not the
# configuration: never accept them into a baseline.
NEVER_BASELINED = TOOL_FAILURES


class BaselineError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _entry(f: Finding) -> dict[str, Any]:
    file = f.repo_path if f.repo_path is not None else f.file
    return {"fingerprint": f.fingerprint, "rule_id": f.rule_id, "file": file, "resource": f.resource, "pointer": f.pointer}


def _entry_key(e: dict[str, Any]) -> tuple[str, ...]:
    return (e["file"], e["rule_id"], e["resource"] or "", e["pointer"], e["fingerprint"])


def baseline_text(findings: list[Finding]) -> str:
    entries: dict[str, dict[str, Any]] = {}
    for f in findings:
        if f.rule_id in NEVER_BASELINED:
            continue
        if f.suppressed is None or f.suppression_kind == "baseline":
            entries.setdefault(f.fingerprint, _entry(f))
    doc = {"version": BASELINE_VERSION, "findings": sorted(entries.values(), key=_entry_key)}

    return json_safe(json.dumps(doc, indent=2, ensure_ascii=False)) + "\n"


def write_baseline(path: Path, findings: list[Finding]) -> None:
    """baseline_text written atomically (through linter.report.output, where all writing happens)."""

    write_atomic(path, baseline_text(findings))


def read_baseline(path: Path) -> set[str]:
    """Fingerprints recorded in a baseline file, read and decoded as templates are (linter.decode: regular
    files only, size, depth and number limits), so a hostile baseline is one BaselineError line."""

    try:
        data = read_bytes(str(path))
    except FileNotFoundError:
        raise BaselineError(f"{path}: baseline file not found") from None
    except OSError as exc:
        raise BaselineError(f"{path}: cannot read baseline: {exc.strerror or exc}") from None
    except DecodeError as exc:
        raise BaselineError(f"{path}: cannot read baseline: {exc.message}") from None
    try:
        decoded = decode_bytes(data, "json")
    except DecodeError as exc:
        where = f" at line {exc.line}, column {exc.column}" if exc.line else ""
        raise BaselineError(f"{path}: invalid JSON{where}: {exc.message}") from None
    doc = decoded.documents[0] if decoded.documents else None
    if not isinstance(doc, dict) or doc.get("version") != BASELINE_VERSION:
        version = doc.get("version") if isinstance(doc, dict) else None
        raise BaselineError(f"{path}: not an acrlint baseline version {BASELINE_VERSION} (version: {json.dumps(version)})")
    entries = doc.get("findings")
    if not isinstance(entries, list):
        raise BaselineError(f"{path}: $.findings: expected a list")
    out: set[str] = set()
    for i, entry in enumerate(entries):
        fingerprint = entry.get("fingerprint") if isinstance(entry, dict) else None
        if not isinstance(fingerprint, str) or not fingerprint:
            raise BaselineError(f"{path}: $.findings[{i}].fingerprint: expected a non-empty string")
        out.add(fingerprint)
    return out


def apply_baseline(path: Path, findings: list[Finding]) -> tuple[list[Finding], dict[str, int]]:
    known = read_baseline(path)
    seen: set[str] = set()
    out: list[Finding] = []
    baselined = 0
    for f in findings:
        fp = f.fingerprint
        if fp in known:
            seen.add(fp)  # still present (even if suppressed some other way): not fixed
            if f.suppressed is None and f.rule_id not in NEVER_BASELINED:
                f = dataclasses.replace(f, suppressed=BASELINE_REASON, suppression_kind="baseline")
                baselined += 1
        out.append(f)
    return out, {"baselined": baselined, "fixed": len(known - seen)}
