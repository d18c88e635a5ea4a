"""Every rule fixture that is a valid template validates against the schemas generated from Azure's own types
(ACR426, ACR501-ACR506); the fixtures that are invalid on purpose are listed here with the finding they carry."""
from __future__ import annotations

import pytest
from fixture_harness import FIXTURES, cases

from linter.api import Options, lint

# fixture (relative to tests/fixtures) -> the schema findings it carries on purpose
INTENDED = {
    # the values a .bicepparam supplies are wrong on purpose: the schema says so too
    "ACR006/fail-bicepparam": [("ACR503", "/resources/0/name"), ("ACR503", "/resources/0/sku/name")],
    "ACR402/fail-arm-resource.yaml": [("ACR502", "/properties/anonymousPullEnabled")],  # a string "True", as some exports write it
    "ACR404/fail-not-defined-in-api-version.json": [("ACR426", "/resources/0/properties/publicNetworkAccess")],  # the point of it
    "ACR406/absent-sku.json": [("ACR504", "/resources/0/sku")],
    "ACR415/absent-replica-location.json": [("ACR504", "/resources/1/location")],
    "ACR419/fail-aso-metadata-name.yaml": [("ACR503", "/metadata/name")],
    "ACR419/fail-hyphen.json": [("ACR503", "/resources/0/name")],
    "ACR419/fail-too-long.json": [("ACR503", "/resources/0/name")],
    "ACR419/fail-too-short.json": [("ACR503", "/resources/0/name")],
    "ACR423/absent-service-uri.json": [("ACR504", "/resources/0/properties/serviceUri")],
    # properties the API version does not define, which the rule must read as absent: the point of them
    "ACR101/pass-stable-api-without-vnet-rules.json": [("ACR426", "/resources/0/properties/networkRuleSet/virtualNetworkRules")],
    "ACR206/fail-bypass-not-in-api-version.json": [("ACR426", "/resources/0/properties/networkRuleBypassAllowedForTasks")],
    "ACR408/fail-soft-delete-not-in-stable-api.json": [("ACR426", "/resources/0/properties/policies/softDeletePolicy")],
    "ACR433/pass-vnet-rules-not-in-api-version.json": [("ACR426", "/resources/0/properties/networkRuleSet/virtualNetworkRules")],
}
SCHEMA_RULES = ("ACR426", "ACR501", "ACR502", "ACR503", "ACR504", "ACR505", "ACR506")
CASES = [(r, p) for r, p in cases() if r not in SCHEMA_RULES and r != "ACR427"]


@pytest.mark.parametrize("rule_id,path", CASES, ids=[f"{r}/{p.name}" for r, p in CASES])
def test_fixture_is_valid_for_its_api_version(rule_id, path):
    result = lint([str(path)], Options(select=list(SCHEMA_RULES)))
    found = [(f.rule_id, f.pointer) for f in result.findings if f.rule_id in SCHEMA_RULES]
    name = path.relative_to(FIXTURES).as_posix()
    if path.suffix == ".bicep":  # a Bicep twin carries what its JSON twin carries
        name = name[: -len(".bicep")] + ".json"
    assert found == INTENDED.get(name, [])


def test_intended_exceptions_exist():
    names = {p.relative_to(FIXTURES).as_posix() for _, p in CASES}
    assert set(INTENDED) <= names
