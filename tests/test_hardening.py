"""Hardening rules ACR401-ACR425: what the fixture harness does not record (severity of a finding variant, presets,
a broken option)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from linter.api import Options, lint
from linter.engine.rules import load_rules

FIXTURES = Path(__file__).resolve().parent / "fixtures"
HARDENING = [f"ACR{n}" for n in range(401, 426)]


def _findings(path: Path, rule_id: str, **rule_settings: object) -> list:
    options = Options(select=[rule_id], preset="strict")
    if rule_settings:
        options.rule_settings = {rule_id: dict(rule_settings)}
    return lint([str(path)], options).findings


def test_presets_follow_severity() -> None:
    rules = load_rules()
    for rule_id in HARDENING:
        meta = rules[rule_id]
        if rule_id in ("ACR415", "ACR418", "ACR420") or meta.severity == "info":
            assert meta.presets == ("strict",), rule_id
        else:
            assert meta.presets == ("recommended", "strict"), rule_id


def test_private_endpoint_rule_severity_by_variant() -> None:
    warning = _findings(FIXTURES / "ACR422" / "fail-disabled-without-endpoint.json", "ACR422")
    info = _findings(FIXTURES / "ACR422" / "fail-premium-without-endpoint.json", "ACR422")
    assert [f.severity for f in warning] == ["warning"]
    assert [f.severity for f in info] == ["info"]
    raised = _findings(FIXTURES / "ACR422" / "fail-premium-without-endpoint.json", "ACR422", severity="error")
    assert [f.severity for f in raised] == ["error"]


def test_name_pattern_that_is_not_a_regex_is_reported_as_a_rule_failure() -> None:
    found = _findings(FIXTURES / "ACR420" / "fail-name-pattern.json", "ACR420", options={"pattern": "acr[a-z"})
    assert [(f.rule_id, f.severity) for f in found] == [("ACR003", "error")]
    assert "option 'pattern' is not a usable regular expression: unterminated character set" in found[0].message


@pytest.mark.parametrize("rule_id", ["ACR415", "ACR420"])
def test_option_rules_do_nothing_until_configured(rule_id: str) -> None:
    meta = load_rules()[rule_id]
    assert all(not spec["default"] for spec in meta.options.values())
    case = FIXTURES / rule_id / "pass-option-not-set.json"
    assert _findings(case, rule_id) == []


def test_fixture_options_files_name_only_declared_options() -> None:
    rules = load_rules()
    for path in sorted(FIXTURES.glob("ACR4[0-2][0-9]/*.options.json")):
        settings = json.loads(path.read_text())["rule_settings"]
        for rule_id, setting in settings.items():
            assert set(setting.get("options", {})) <= set(rules[rule_id].options), path
