"""The pipeline as a library caller sees it (linter.api.lint with Options): baselines apply there too, and each
file's positions are computed by one locator, whichever stage needs them first."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from linter.api import Options, lint
from linter.baseline import BaselineError, baseline_text
from linter.stages import locate
from tests.helpers import registry, template, write


def _two_registries(tmp_path: Path) -> str:
    return write(tmp_path, template(registry("acrone", adminUserEnabled=True), registry("acrtwo", adminUserEnabled=True)))


def _lines_of(path: Path, text: str) -> list[int]:
    return [n for n, line in enumerate(path.read_text().splitlines(), 1) if text in line]


def test_a_library_caller_gets_the_baseline_applied(tmp_path: Path) -> None:
    path = _two_registries(tmp_path)
    first = lint([path], Options(select=["ACR401"], root=str(tmp_path)))
    one, two = _lines_of(Path(path), '"adminUserEnabled"')
    assert [(f.rule_id, f.span.line if f.span else None) for f in first.active] == [("ACR401", one), ("ACR401", two)]
    (tmp_path / "baseline.json").write_text(baseline_text(first.findings[:1]))
    again = lint([path], Options(select=["ACR401"], root=str(tmp_path), baseline=str(tmp_path / "baseline.json")))
    assert [(f.span.line if f.span else None, f.suppressed) for f in again.findings] == [(one, "baseline"), (two, None)]
    assert again.baseline == {"baselined": 1, "fixed": 0}


def test_a_missing_baseline_is_an_error_for_a_library_caller(tmp_path: Path) -> None:
    path = _two_registries(tmp_path)
    with pytest.raises(BaselineError, match=r"baseline\.json"):
        lint([path], Options(select=["ACR401"], baseline=str(tmp_path / "baseline.json")))


def test_positions_are_computed_by_one_locator_per_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The filter stage places the findings of the file with an inline directive (it needs their lines), the locate
    stage those of the other file: one locator per file, and no finding placed twice."""
    made: list[str] = []
    real = locate._locator

    def counting(ctx, path, text, fmt):  # type: ignore[no-untyped-def]
        made.append(Path(path).name)
        return real(ctx, path, text, fmt)

    monkeypatch.setattr(locate, "_locator", counting)
    doc = json.dumps(template(registry("acrone", adminUserEnabled=True), registry("acrtwo", adminUserEnabled=True)), indent=2)
    lines = doc.splitlines()
    at = next(i for i, line in enumerate(lines) if '"adminUserEnabled"' in line)
    lines.insert(at, "// acrlint: disable=ACR401 -- a lab registry")  # JSON with comments, as ARM accepts
    (tmp_path / "main.json").write_text("\n".join(lines) + "\n")
    (tmp_path / "other.json").write_text(json.dumps(template(registry("acrthree", adminUserEnabled=True)), indent=2))
    result = lint([str(tmp_path)], Options(select=["ACR401", "ACR007"]))
    one, two = _lines_of(tmp_path / "main.json", '"adminUserEnabled"')
    [three] = _lines_of(tmp_path / "other.json", '"adminUserEnabled"')
    assert one == at + 2  # the line after the directive
    assert [(Path(f.file).name, f.span.line if f.span else None, f.suppressed) for f in result.findings] == [
        ("main.json", one, "a lab registry"), ("main.json", two, None), ("other.json", three, None)]
    assert sorted(made) == ["main.json", "other.json"]
