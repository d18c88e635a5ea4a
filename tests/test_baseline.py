"""Baselines and the atomic writer."""
from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from linter.baseline import BaselineError, apply_baseline, write_baseline
from linter.model import Finding, Span
from linter.report.output import write_atomic


def F(rule: str, file: str, pointer: str, resource: str | None = None, line: int = 1, **kw: object) -> Finding:
    return Finding(rule, "error", f"{rule} message", file, pointer, span=Span(line, 1, line, 2), resource=resource, **kw)  # type: ignore[arg-type]


def test_write_baseline_exact(tmp_path: Path) -> None:
    findings = [
        F("ACR402", "b.json", "/resources/0", "reg"),
        F("ACR401", "a b.json", "/resources/1/properties/x", "/subscriptions/s/registries/r"),
        F("ACR401", "a b.json", "/resources/1/properties/x", "/subscriptions/s/registries/r", line=9),  # same fingerprint
        F("ACR403", "c.json", "/x", suppressed="inline reason", suppression_kind="inSource"),  # suppressed otherwise: left out
        F("ACR404", "c.json", "/y", suppressed="baseline", suppression_kind="baseline"),  # already baselined: kept
        Finding("ACR003", "error", "rule crashed", "<rules>"),  # internal errors never go in
    ]
    path = tmp_path / "baseline.json"
    write_baseline(path, findings)
    expected = {
        "version": 1,
        "findings": [
            {"fingerprint": findings[1].fingerprint, "rule_id": "ACR401", "file": "a b.json",
             "resource": "/subscriptions/s/registries/r", "pointer": "/resources/1/properties/x"},
            {"fingerprint": findings[0].fingerprint, "rule_id": "ACR402", "file": "b.json", "resource": "reg", "pointer": "/resources/0"},
            {"fingerprint": findings[4].fingerprint, "rule_id": "ACR404", "file": "c.json", "resource": None, "pointer": "/y"},
        ],
    }
    text = path.read_text(encoding="utf-8")
    assert text == json.dumps(expected, indent=2) + "\n"
    assert os.listdir(tmp_path) == ["baseline.json"]


def test_apply_baseline_marks_and_counts(tmp_path: Path) -> None:
    path = tmp_path / "baseline.json"
    old = [F("ACR401", "t.json", "/a", "r1"), F("ACR402", "t.json", "/b", "r1"), F("ACR403", "t.json", "/c", "r2")]
    write_baseline(path, old)
    now = [
        F("ACR405", "t.json", "/new", "r3"),  # new
        F("ACR401", "t.json", "/a", "r1", line=40),  # moved lines: still the same finding
        F("ACR402", "t.json", "/b", "r1", suppressed="inline", suppression_kind="inSource"),  # present, suppressed otherwise
    ]  # ACR403 is fixed
    out, counts = apply_baseline(path, now)
    assert counts == {"baselined": 1, "fixed": 1}
    assert [(f.rule_id, f.suppressed, f.suppression_kind) for f in out] == [
        ("ACR405", None, None), ("ACR401", "baseline", "baseline"), ("ACR402", "inline", "inSource")]
    assert out[1].span == Span(40, 1, 40, 2)


def test_round_trip_baselines_everything(tmp_path: Path) -> None:
    path = tmp_path / "b.json"
    findings = [F("ACR401", "t.json", "/a"), F("ACR401", "t.json", "/a", line=3), F("ACR402", "u.json", "/b")]
    write_baseline(path, findings)
    out, counts = apply_baseline(path, findings)
    assert counts == {"baselined": 3, "fixed": 0}
    assert all(f.suppression_kind == "baseline" for f in out)
    # rewriting from the baselined findings gives the same file
    before = path.read_text(encoding="utf-8")
    write_baseline(path, out)
    assert path.read_text(encoding="utf-8") == before


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("{", "invalid JSON at line 1, column 2: unexpected end of file"),
        ('{"version": 2, "findings": []}', "not an acrlint baseline version 1 (version: 2)"),
        ("[]", "not an acrlint baseline version 1 (version: null)"),
        ('{"version": 1}', "$.findings: expected a list"),
        ('{"version": 1, "findings": [{"rule_id": "ACR401"}]}', "$.findings[0].fingerprint: expected a non-empty string"),
    ],
)
def test_bad_baseline_files(tmp_path: Path, content: str, problem: str) -> None:
    path = tmp_path / "b.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(BaselineError) as info:
        apply_baseline(path, [])
    assert info.value.message == f"{path}: {problem}"


def test_missing_baseline_file(tmp_path: Path) -> None:
    with pytest.raises(BaselineError) as info:
        apply_baseline(tmp_path / "none.json", [])
    assert info.value.message == f"{tmp_path / 'none.json'}: baseline file not found"


def test_write_atomic_new_and_existing(tmp_path: Path) -> None:
    path = tmp_path / "out.sarif"
    old_umask = os.umask(0o022)
    try:
        write_atomic(path, "première\n")
    finally:
        os.umask(old_umask)
    assert path.read_bytes() == "première\n".encode()
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    path.chmod(0o600)
    write_atomic(path, "second\n")
    assert path.read_text(encoding="utf-8") == "second\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert os.listdir(tmp_path) == ["out.sarif"]


def test_write_atomic_failure_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "out.txt"
    path.write_text("old\n", encoding="utf-8")

    def broken_replace(src: object, dst: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        write_atomic(path, "new\n")
    assert path.read_text(encoding="utf-8") == "old\n"
    assert os.listdir(tmp_path) == ["out.txt"]
