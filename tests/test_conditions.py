"""The declarative engine (linter.engine.conditions, linter.engine.declarative): three-valued conditions, service
defaults, `exists`, where a finding points, `each`, the registry in context, options, and what is refused."""
from __future__ import annotations

from typing import Any

import pytest

from linter.engine.rules import record_to_meta
from linter.engine.run import RuleRun, run_declarative, run_rules
from linter.inventory import Inventory
from linter.model import Resource, Unknown

BASE = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/acrlint-rg/providers/Microsoft.ContainerRegistry/registries"


def registry(name: str = "contosoacr", sku: Any = "Premium", file: str = "main.json", **props: Any) -> Resource:
    body: dict[str, Any] = {"type": "Microsoft.ContainerRegistry/registries", "name": name, "properties": props}
    if sku is not None:
        body["sku"] = {"name": sku}
    return Resource(type=body["type"], name=name, id=f"{BASE}/{name}", body=body, file=file, pointer="/resources/0")


def child(kind: str, name: str, file: str = "main.json", **props: Any) -> Resource:
    rtype = f"Microsoft.ContainerRegistry/registries/{kind}"
    body = {"type": rtype, "name": name, "properties": props}
    return Resource(type=rtype, name=name, id=f"{BASE}/{name.split('/')[0]}/{kind}/{name.split('/')[1]}", body=body,
                    file=file, pointer="/resources/1")


def rule(report: list[dict[str, Any]], *, applies_to: tuple[str, ...] = ("Microsoft.ContainerRegistry/registries",),
         message: str = "{resource}", **extra: Any) -> RuleRun:
    meta = record_to_meta({"id": "ACR999", "name": "x", "title": "title", "severity": "warning", "implementation": "declarative",
                           "applies_to": list(applies_to), "message": message, "report": report, "docs": {}, "references": [],
                           **extra})
    return RuleRun(meta, meta.severity)


def found(run: RuleRun, *resources: Resource) -> list[tuple[str, str, str]]:
    return [(f.pointer, f.message, f.severity) for f in run_declarative(Inventory(resources), run)]


ADMIN = {"if": {"field": "properties.adminUserEnabled", "equals": True}, "at": "properties.adminUserEnabled"}


def test_a_rule_decides_whatever_other_properties_are_unknown() -> None:
    reg = registry(adminUserEnabled=True, publicNetworkAccess=Unknown("parameter without a value"), policies=Unknown("p"))
    assert found(rule([ADMIN]), reg) == [("/resources/0/properties/adminUserEnabled", "contosoacr", "warning")]


def test_a_condition_on_an_unknown_value_is_silent_never_an_error() -> None:
    assert found(rule([ADMIN]), registry(adminUserEnabled=Unknown("p"))) == []
    assert found(rule([ADMIN]), registry(adminUserEnabled=False)) == []
    assert found(rule([ADMIN]), registry(adminUserEnabled="TRUE")) == [("/resources/0/properties/adminUserEnabled", "contosoacr", "warning")]


@pytest.mark.parametrize("condition,expected", [
    ({"allOf": [{"field": "properties.a", "equals": 1}, {"field": "properties.u", "equals": 1}]}, False),  # false wins
    ({"allOf": [{"field": "properties.b", "equals": 2}, {"field": "properties.u", "equals": 1}]}, None),
    ({"anyOf": [{"field": "properties.b", "equals": 2}, {"field": "properties.u", "equals": 1}]}, True),  # true wins
    ({"anyOf": [{"field": "properties.a", "equals": 1}, {"field": "properties.u", "equals": 1}]}, None),
    ({"not": {"field": "properties.u", "equals": 1}}, None),
    ({"not": {"field": "properties.a", "equals": 1}}, True),
    ({"field": "properties.u", "equals": 1, "unknown": True}, True),  # the rule's explicit assumption
    ({"field": "properties.u", "known": True}, False),
    ({"field": "properties.nested", "known": True}, False),  # an unknown anywhere inside
    ({"field": "properties.b", "known": True}, True),
])
def test_three_valued_logic(condition: dict[str, Any], expected: bool | None) -> None:
    from linter.engine.conditions import Context, compile_condition

    res = registry(a=2, b=2, u=Unknown("u"), nested={"x": [Unknown("y")]})
    ctx = Context(Inventory([res]), res, {}, {}, {})
    assert compile_condition(condition, facts={}, options={}, in_each=False)(ctx) is expected


def test_an_absent_or_null_property_reads_as_its_service_default() -> None:
    run = rule([{"if": {"field": "properties.publicNetworkAccess", "notEquals": "Disabled"}, "at": "properties.publicNetworkAccess",
                 "with": {"value": "properties.publicNetworkAccess"}}], message="{resource} {value}")
    assert found(run, registry()) == [("/resources/0/properties/publicNetworkAccess", "contosoacr Enabled", "warning")]
    assert found(run, registry(publicNetworkAccess=None)) == [("/resources/0/properties/publicNetworkAccess", "contosoacr Enabled", "warning")]
    assert found(run, registry(publicNetworkAccess="disabled")) == []


def test_exists_asks_whether_the_property_is_written_null_included() -> None:
    run = rule([{"if": {"field": "properties.networkRuleBypassOptions", "exists": False}, "at": "properties"}])
    assert found(run, registry()) == [("/resources/0/properties", "contosoacr", "warning")]
    assert found(run, registry(networkRuleBypassOptions=None)) == []  # written, though it reads as AzureServices


def test_a_list_of_places_points_at_the_first_written_with_a_value() -> None:
    run = rule([{"at": ["properties.publicNetworkAccess", "properties.networkRuleSet.defaultAction"]}])
    assert found(run, registry(publicNetworkAccess=None, networkRuleSet={"defaultAction": "Allow"}))[0][0] == \
        "/resources/0/properties/networkRuleSet/defaultAction"
    assert found(run, registry())[0][0] == "/resources/0/properties/publicNetworkAccess"  # none: the first


def test_each_item_and_its_path() -> None:
    run = rule([{"each": ["properties.rules[*].actions[*]"], "if": {"item": "", "like": "acr/*"}, "at": {"item": ""},
                 "with": {"action": {"item": ""}}}], message="{action}")
    reg = registry(rules=[{"actions": ["ACR/push", 5, "other"]}, "not an object", {"actions": Unknown("u")}, {"actions": ["acr/x"]}])
    assert [p for p, _, _ in found(run, reg)] == ["/resources/0/properties/rules/0/actions/0", "/resources/0/properties/rules/3/actions/0"]


def test_a_child_resource_sees_its_registry_and_facts() -> None:
    run = rule([{"if": {"registry": "properties.policies.exportPolicy.status", "equals": "disabled"}, "at": "",
                 "with": {"registry": {"fact": "registryLabel"}, "pipeline": {"fact": "childName"}}}],
               applies_to=("Microsoft.ContainerRegistry/registries/exportPipelines",), message="{pipeline} of {registry}")
    pipe = child("exportPipelines", "contosoacr/nightly")
    disabled = registry(policies={"exportPolicy": {"status": "Disabled"}})
    assert found(run, disabled, pipe) == [("/resources/1", "nightly of contosoacr", "warning")]
    assert found(run, registry(), pipe) == []  # exports enabled by default
    assert found(run, pipe) == []  # the registry is not in the linted files: cannot tell


def test_each_pulls_takes_the_registries_a_client_pulls_from() -> None:
    group = Resource(type="Microsoft.ContainerInstance/containerGroups", name="cg", id="/x/cg", file="main.json", pointer="/resources/2",
                     body={"type": "Microsoft.ContainerInstance/containerGroups", "name": "cg", "properties": {"imageRegistryCredentials": [
                         {"server": "docker.io"}, {"server": "contosoacr.azurecr.io", "identity": "[system]"}]}})
    run = rule([{"each": "pulls", "if": {"registry": "properties.adminUserEnabled", "equals": True}, "at": {"pull": True},
                 "with": {"registry": {"fact": "registryLabel"}, "identity": {"item": "identity"}}}],
               applies_to=("Microsoft.ContainerInstance/containerGroups",), message="{registry} {identity}")
    assert found(run, registry(adminUserEnabled=True), group) == [
        ("/resources/2/properties/imageRegistryCredentials/1/server", "contosoacr [system]", "warning")]


def test_a_report_below_the_rule_severity_unless_configured() -> None:
    report = [{"at": "", "severity": "info"}]
    assert found(rule(report), registry())[0][2] == "info"
    run = rule(report)
    assert [f.severity for f in run_declarative(Inventory([registry()]), RuleRun(run.meta, "error"))] == ["error"]


def test_an_option_as_operand_and_a_pattern_from_it_in_linear_time() -> None:
    options = {"pattern": {"type": "regex", "default": "", "description": "d"}}
    report = [{"if": {"field": "name", "notFullMatch": {"option": "pattern"}}, "at": "name"}]
    meta = rule(report, options=options).meta
    assert found(RuleRun(meta, "warning", {"pattern": "acr[a-z]+"}), registry("contosoacr"), registry("acrprod")) == [
        ("/resources/0/name", "contosoacr", "warning")]
    failed = run_rules(Inventory([registry()]), [RuleRun(meta, "warning", {"pattern": "acr[a-z"})])
    assert [(f.rule_id, f.severity) for f in failed] == [("ACR003", "error")]
    assert "option 'pattern' is not a usable regular expression: unterminated character set" in failed[0].message


def test_message_variants_and_their_fields() -> None:
    run = rule([{"at": "", "message": [{"if": {"field": "sku.name", "equals": "Basic"}, "use": "basic"}], "with": {"sku": "sku.name"}}],
               messages={"basic": "{resource} is {sku}"})
    assert [m for _, m, _ in found(run, registry(sku="basic"), registry("other", sku=Unknown("s")))] == ["contosoacr is basic", "other"]
