"""Shared set-up for the Atheris harnesses: import path, a scratch directory, the pipeline invariants."""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SCRATCH = Path(tempfile.mkdtemp(prefix="acrlint-atheris-"))
CORPUS = Path(os.environ.get("ACRLINT_SHARED", ROOT.parent / "shared")) / "corpus"


def check_result(result: Any) -> None:
    """The invariants of tests/test_fuzz_pipeline.py: a result, exit 2 only with ACR000/ACR003, no rule crash."""
    ids = {f.rule_id for f in result.findings}
    if result.exit_code == 2 and not ids & {"ACR000", "ACR003"}:
        raise AssertionError(f"exit code 2 without ACR000/ACR003: {sorted(ids)}")
    if "ACR003" in ids:
        raise AssertionError("a rule crashed: " + "; ".join(f.message for f in result.findings if f.rule_id == "ACR003"))
    if result.files_linted + result.files_skipped + result.files_failed != 1:
        raise AssertionError("the input file was not accounted for")


def seed_files(limit: int = 64_000) -> list[Path]:
    if not CORPUS.is_dir():
        return []
    return [p for p in sorted(CORPUS.rglob("*")) if p.suffix in (".json", ".yaml", ".yml") and p.is_file()
            and p.stat().st_size <= limit]
