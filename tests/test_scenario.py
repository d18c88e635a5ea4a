"""One scenario written four ways (literal values; parameters, variables and a parameters file; Bicep-compiled
languageVersion 2.0; registries and clients in two modules of one deployment) gives the same findings."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from linter.api import Options, lint

SCENARIO = Path(__file__).resolve().parent / "fixtures" / "scenario"
VARIANTS = ["1-literal", "2-parameters", "3-bicep", "4-modules"]


def _run(variant: str):
    return lint([str(SCENARIO / variant)], Options(select=["ACR0", "ACR1", "ACR2", "ACR3"], preset="strict"))


def _meaning(result):
    return sorted((f.rule_id, f.severity, f.message) for f in result.findings)


def test_all_four_variants_give_the_same_findings():
    baseline = _meaning(_run(VARIANTS[0]))
    assert {r for r, _, _ in baseline} == {"ACR104", "ACR105", "ACR201", "ACR202", "ACR203", "ACR204", "ACR205", "ACR206", "ACR301", "ACR305"}
    for variant in VARIANTS[1:]:
        assert _meaning(_run(variant)) == baseline, variant


@pytest.mark.parametrize("variant", VARIANTS)
def test_variant_positions(variant, update_snapshots):
    result = _run(variant)
    actual = [
        {"file": Path(f.file).name, "rule_id": f.rule_id, "line": f.span.line, "column": f.span.column, "pointer": f.pointer}
        for f in result.findings
    ]
    expected_path = SCENARIO / f"{variant}.expected.json"
    if update_snapshots:
        expected_path.write_text(json.dumps(actual, indent=2) + "\n")
    assert actual == json.loads(expected_path.read_text())
    assert not any(f.rule_id.startswith("ACR00") for f in result.findings), "the scenario must expand without errors"
