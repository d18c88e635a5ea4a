"""Every rule fixture gives exactly its expected findings (rule, line, column, pointer, message)."""
from __future__ import annotations

import json

import pytest
from fixture_harness import CASE_PREFIXES, FIXTURES, case_key, cases, lint_case

from linter.engine.rules import load_rules

CASES = cases()


@pytest.mark.parametrize("rule_id,path", CASES, ids=[f"{r}/{p.name}" for r, p in CASES])
def test_fixture(rule_id, path, update_snapshots):
    actual = lint_case(rule_id, path)
    expected_path = case_key(path)
    if update_snapshots:
        expected_path.write_text(json.dumps(actual, indent=2) + "\n")
    assert expected_path.is_file(), f"missing {expected_path.name} (run pytest --update-snapshots and review it)"
    expected = json.loads(expected_path.read_text())
    assert actual == expected
    if path.name.startswith("pass-"):
        assert actual == [], "a pass- fixture must have no finding of its rule"
    if path.name.startswith("fail-"):
        assert actual, "a fail- fixture must have at least one finding of its rule"


def _rule_cases(rule_id):
    return [p for r, p in CASES if r == rule_id]


CHECKED_RULES = [m for m in load_rules().values() if m.implementation != "builtin"]


@pytest.mark.parametrize("meta", CHECKED_RULES, ids=[m.id for m in CHECKED_RULES])
def test_every_rule_has_pass_fail_and_absent_fixtures(meta):
    names = [p.name for p in _rule_cases(meta.id)]
    for prefix in CASE_PREFIXES:
        assert any(n.startswith(prefix) for n in names), f"{meta.id} has no {prefix}* fixture in {FIXTURES / meta.id}"


@pytest.mark.parametrize("meta", CHECKED_RULES, ids=[m.id for m in CHECKED_RULES])
def test_every_rule_has_a_yaml_or_aso_fixture(meta):
    paths = _rule_cases(meta.id)
    files = [f for p in paths for f in ([p] if p.is_file() else list(p.iterdir()))]
    assert any(f.suffix in (".yaml", ".yml") for f in files), f"{meta.id} has no YAML/ASO fixture"
    assert any(f.suffix == ".json" and not f.name.endswith((".expected.json", ".options.json")) for f in files), f"{meta.id} has no JSON fixture"


@pytest.mark.parametrize("meta", CHECKED_RULES, ids=[m.id for m in CHECKED_RULES])
def test_every_rule_has_bicep_fixtures(meta):
    names = [p.name for p in _rule_cases(meta.id) if p.suffix == ".bicep"]
    for prefix in ("pass-", "fail-"):
        assert any(n.startswith(prefix) for n in names), f"{meta.id} has no {prefix}*.bicep fixture in {FIXTURES / meta.id}"


# a Bicep case written beside a JSON one (tools/arm_to_bicep.py): the same template in Bicep
TWINS = [(r, p) for r, p in CASES if p.suffix == ".bicep" and p.with_suffix(".json").is_file()]


@pytest.mark.parametrize("rule_id,path", TWINS, ids=[f"{r}/{p.name}" for r, p in TWINS])
def test_bicep_twin_has_the_findings_of_its_json_twin(rule_id, path):
    """Same rule, severity and message; only the positions and pointers differ."""

    def key(f):
        return (f["rule_id"], f["severity"], f["message"])

    bicep = json.loads(case_key(path).read_text())
    template = json.loads(case_key(path.with_suffix(".json")).read_text())
    assert sorted(map(key, bicep)) == sorted(map(key, template))


def test_bicep_fixtures_are_valid_bicep():
    """Only the ACR000 cases are broken on purpose: every other Bicep fixture reads without a problem."""
    from linter.bicep.reader import read

    for path in sorted(FIXTURES.rglob("*.bicep*")):
        if path.suffix not in (".bicep", ".bicepparam") or path.relative_to(FIXTURES).parts[0] == "ACR000":
            continue
        problems = [p.message for p in read(str(path), path.read_text()).problems if p.rule_id == "ACR000"]
        assert problems == [], path


def test_every_rule_has_docs():
    for meta in load_rules().values():
        for key in ("what", "why", "fail", "pass"):
            assert meta.docs.get(key, "").strip(), f"{meta.id} docs.{key} is empty"
