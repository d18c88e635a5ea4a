"""Template expansion: copy loops, conditions, existing resources, nested deployments and modules, linked
templates, parameters files, deployment context, user functions; each with its exact outcome."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from linter.api import Options, lint
from linter.arm.context import DeploymentContext
from tests.helpers import SCHEMA, registry, template, write


def findings(paths: list[str] | str, select: str = "ACR401", **options: Any) -> list[tuple[str, int, int, str]]:
    result = lint([paths] if isinstance(paths, str) else paths, Options(select=select.split(","), preset="strict", **options))
    return [(f.rule_id, f.span.line if f.span else 0, f.span.column if f.span else 0, f.message) for f in result.findings]


def messages(*args: Any, **kwargs: Any) -> list[str]:
    return [m for _, _, _, m in findings(*args, **kwargs)]


ADMIN = "Registry '{}' has the admin user enabled: use Microsoft Entra identities (AcrPull/AcrPush, or repository-scoped tokens) and set adminUserEnabled to false"


def test_copy_loop_names_each_iteration(tmp_path):
    res = registry("[format('acr{0}demo', copyIndex(1))]", adminUserEnabled="[equals(copyIndex(), 2)]")
    res["copy"] = {"name": "registries", "count": 3}
    assert messages(write(tmp_path, template(res))) == [ADMIN.format("acr3demo [index 2]")]


def test_zero_count_copy_loop_deploys_nothing(tmp_path):
    res = registry("[format('acr{0}demo', copyIndex())]", adminUserEnabled=True)
    res["copy"] = {"name": "registries", "count": "[length(parameters('names'))]"}
    doc = template(res, parameters={"names": {"type": "array", "defaultValue": []}})
    assert findings(write(tmp_path, doc)) == []


def test_property_and_variable_copy_loops(tmp_path):
    doc = template(
        registry("contosoacr", networkRuleSet={"defaultAction": "Deny", "copy": [{"name": "ipRules", "count": 2, "input": {"action": "Allow", "value": "[variables('ranges')[copyIndex('ipRules')]]"}}]}),
        variables={"copy": [{"name": "ranges", "count": 2, "input": "[if(equals(copyIndex('ranges'), 1), '0.0.0.0/0', '203.0.113.0/24')]"}]},
    )
    assert [(r, m) for r, _, _, m in findings(write(tmp_path, doc), select="ACR421")] == [
        ("ACR421", "Registry 'contosoacr' has an IP rule allowing 0.0.0.0/0, which covers 4,294,967,296 addresses (prefix /0): allow only the addresses or ranges that need access")
    ]


def test_false_condition_is_not_checked_and_unknown_condition_is_stated(tmp_path):
    off = registry("offacr1", adminUserEnabled=True)
    off["condition"] = "[equals(parameters('env'), 'prod')]"
    maybe = registry("maybeacr", adminUserEnabled=True)
    maybe["condition"] = "[parameters('deployLegacy')]"
    doc = template(off, maybe, parameters={"env": {"type": "string", "defaultValue": "dev"}, "deployLegacy": {"type": "bool"}})
    assert messages(write(tmp_path, doc)) == [ADMIN.format("maybeacr") + " (when parameters('deployLegacy'))"]


def test_existing_resources_are_related_but_never_reported(tmp_path):
    doc = {
        "$schema": SCHEMA, "languageVersion": "2.0", "contentVersion": "1.0.0.0",
        "resources": {
            "registry": {"existing": True, **registry("sharedacr", adminUserEnabled=True, roleAssignmentMode="AbacRepositoryPermissions")},
            "pull": {"type": "Microsoft.Authorization/roleAssignments", "apiVersion": "2022-04-01",
                     "scope": "[format('Microsoft.ContainerRegistry/registries/{0}', 'sharedacr')]", "name": "[guid('pull')]",
                     "properties": {"roleDefinitionId": "[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '7f951dda-4ed3-4680-a7ca-43fe172d538d')]", "principalId": "11111111-2222-3333-4444-555555555555"},
                     "dependsOn": ["registry"]},
        },
    }
    path = write(tmp_path, doc)
    assert findings(path) == []  # the existing registry's adminUserEnabled is not ours to report
    assert [r for r, *_ in findings(path, select="ACR305")] == ["ACR305"]  # but the assignment relates to it


def test_inner_and_outer_nested_deployments(tmp_path):
    inner = {"type": "Microsoft.Resources/deployments", "apiVersion": "2022-09-01", "name": "inner",
             "properties": {"expressionEvaluationOptions": {"scope": "inner"}, "mode": "Incremental",
                            "parameters": {"name": {"value": "[concat(parameters('prefix'), 'inner')]"}},
                            "template": template(registry("[parameters('name')]", adminUserEnabled=True), parameters={"name": {"type": "string"}, "prefix": {"type": "string", "defaultValue": "wrong"}})}}
    outer = {"type": "Microsoft.Resources/deployments", "apiVersion": "2022-09-01", "name": "outer",
             "properties": {"mode": "Incremental",
                            "template": template(registry("[concat(parameters('prefix'), 'outer')]", adminUserEnabled=True), parameters={"prefix": {"type": "string", "defaultValue": "wrong"}})}}
    doc = template(inner, outer, parameters={"prefix": {"type": "string", "defaultValue": "contoso"}})
    assert findings(write(tmp_path, doc)) == [
        ("ACR401", 47, 37, ADMIN.format("contosoinner")),  # prefix from the outer template, passed in
        ("ACR401", 79, 37, ADMIN.format("contosoouter")),  # scope outer: the outer template's parameter
    ]


def test_module_parameter_built_by_a_copy_loop(tmp_path):
    # the Bicep compiler's form of `params: { names: [for i in range(0, 2): 'acr${i}x'] }`
    names = {"copy": [{"name": "value", "count": 2, "input": "[format('acr{0}x', copyIndex('value'))]"}]}
    module = {"type": "Microsoft.Resources/deployments", "apiVersion": "2025-04-01", "name": "registries",
              "properties": {"expressionEvaluationOptions": {"scope": "inner"}, "mode": "Incremental", "parameters": {"names": names},
                             "template": template(dict(registry("[parameters('names')[copyIndex()]]", adminUserEnabled=True),
                                                       copy={"name": "r", "count": "[length(parameters('names'))]"}),
                                                  parameters={"names": {"type": "array"}})}}
    assert messages(write(tmp_path, template(module)), select="ACR401,ACR004") == [
        ADMIN.format("acr0x [index 0]"), ADMIN.format("acr1x [index 1]")]


def test_deployment_to_another_resource_group_builds_ids_there(tmp_path):
    module = {"type": "Microsoft.Resources/deployments", "apiVersion": "2022-09-01", "name": "shared", "resourceGroup": "shared-rg",
              "subscriptionId": "11111111-0000-0000-0000-000000000000",
              "properties": {"expressionEvaluationOptions": {"scope": "inner"}, "mode": "Incremental", "template": template(registry("sharedacr", adminUserEnabled=True))}}
    result = lint([write(tmp_path, template(module))], Options(select=["ACR401"]))
    assert [f.resource for f in result.findings] == [
        "/subscriptions/11111111-0000-0000-0000-000000000000/resourceGroups/shared-rg/providers/Microsoft.ContainerRegistry/registries/sharedacr"
    ]


def test_module_outputs_feed_another_module(tmp_path):
    producer = {"type": "Microsoft.Resources/deployments", "apiVersion": "2022-09-01", "name": "naming",
                "properties": {"expressionEvaluationOptions": {"scope": "inner"}, "mode": "Incremental",
                               "template": {**template(), "outputs": {"registryName": {"type": "string", "value": "[format('{0}acr', 'fabrikam')]"}}}}}
    consumer = {"type": "Microsoft.Resources/deployments", "apiVersion": "2022-09-01", "name": "registry",
                "properties": {"expressionEvaluationOptions": {"scope": "inner"}, "mode": "Incremental",
                               "parameters": {"name": {"value": "[reference(resourceId('Microsoft.Resources/deployments', 'naming'), '2022-09-01').outputs.registryName.value]"}},
                               "template": template(registry("[parameters('name')]", adminUserEnabled=True), parameters={"name": {"type": "string"}})},
                "dependsOn": ["[resourceId('Microsoft.Resources/deployments', 'naming')]"]}
    assert messages(write(tmp_path, template(producer, consumer))) == [ADMIN.format("fabrikamacr")]


def test_linked_templates_local_and_remote(tmp_path):
    (tmp_path / "modules").mkdir()
    write(tmp_path, template(registry("[parameters('name')]", adminUserEnabled=True), parameters={"name": {"type": "string"}}), "modules/registry.json")
    local = {"type": "Microsoft.Resources/deployments", "apiVersion": "2022-09-01", "name": "local",
             "properties": {"mode": "Incremental", "templateLink": {"relativePath": "modules/registry.json"}, "parameters": {"name": {"value": "linkedacr"}}}}
    remote = {"type": "Microsoft.Resources/deployments", "apiVersion": "2022-09-01", "name": "remote",
              "properties": {"mode": "Incremental", "templateLink": {"uri": "https://example.com/registry.json"}}}
    main = write(tmp_path, template(local, remote))
    result = lint([main], Options(select=["ACR401", "ACR005"]))
    assert [(f.rule_id, Path(f.file).name, f.span.line, f.message) for f in result.findings] == [
        ("ACR005", "main.json", 27, "linked template of deployment 'remote' is not followed; its resources are not checked"),
        ("ACR401", "registry.json", 19, ADMIN.format("linkedacr")),
    ]


def test_parameters_file_key_vault_reference_is_unknown(tmp_path):
    doc = template(registry("[parameters('name')]", adminUserEnabled="[parameters('admin')]"), parameters={"name": {"type": "string"}, "admin": {"type": "bool"}})
    path = write(tmp_path, doc, "registry.json")
    write(tmp_path, {"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#", "contentVersion": "1.0.0.0",
                     "parameters": {"name": {"value": "vaultacr"}, "admin": {"reference": {"keyVault": {"id": "/subscriptions/x/resourceGroups/y/providers/Microsoft.KeyVault/vaults/kv"}, "secretName": "admin"}}}},
          "registry.parameters.json")
    assert findings(path) == []  # the secret's value is unknown: no guess
    assert messages(path, parameters={"admin": True}) == [ADMIN.format("vaultacr")]  # --parameter wins over the file


def test_parameter_values_are_checked_against_their_declaration(tmp_path):
    doc = template(registry("[parameters('name')]", adminUserEnabled=False),
                   parameters={"name": {"type": "string", "minLength": 5}, "sku": {"type": "string", "allowedValues": ["Basic", "Standard", "Premium"]},
                               "count": {"type": "int", "maxValue": 3}})
    path = write(tmp_path, doc)
    assert messages(path, select="ACR006", parameters={"name": "acr", "sku": "Gold", "count": 5}) == [
        "parameter 'name': length 3 is less than minLength 5",
        'parameter \'sku\': "Gold" is not one of the allowed values ["Basic", "Standard", "Premium"]',
        "parameter 'count': 5 is greater than maxValue 3",
    ]


def test_expression_errors_point_at_the_string(tmp_path):
    doc = template(registry("contosoacr", publicNetworkAccess="[if(parameters('isProd'), 'Disabled')]", adminUserEnabled="[toLower(]"),
                   parameters={"isProd": {"type": "bool", "defaultValue": True}})
    got = findings(write(tmp_path, doc), select="ACR004")
    assert got == [
        ("ACR004", 20, 32, "template expression error: function 'if' expects 3 arguments, got 2 (at offset 1)"),
        ("ACR004", 21, 29, "template expression error: unexpected end of expression (at offset 9)"),
    ]


def test_deployment_context_makes_ids_match_az_output(tmp_path):
    sub = "5f3e1a2b-0000-4000-8000-000000000000"
    doc = template(registry("contosoacr", roleAssignmentMode="AbacRepositoryPermissions"))
    tpl = write(tmp_path, doc)
    scope = f"/subscriptions/{sub}/resourceGroups/prod-rg/providers/Microsoft.ContainerRegistry/registries/contosoacr"
    roles = write(tmp_path, [{"id": f"{scope}/providers/Microsoft.Authorization/roleAssignments/a1", "name": "a1", "principalId": "11111111-2222-3333-4444-555555555555",
                              "principalType": "ServicePrincipal", "roleDefinitionId": f"/subscriptions/{sub}/providers/Microsoft.Authorization/roleDefinitions/7f951dda-4ed3-4680-a7ca-43fe172d538d",
                              "scope": scope, "type": "Microsoft.Authorization/roleAssignments"}], "roles.json")
    # default context: the IDs differ in the subscription and resource group acrlint made up, but registry names are
    # globally unique, so the literal scope still names the template's registry (Inventory.registry_at)
    assert [r for r, *_ in findings([tpl, roles], select="ACR305")] == ["ACR305"]
    ctx = DeploymentContext(subscription_id=sub, resource_group="prod-rg")
    assert [r for r, *_ in findings([tpl, roles], select="ACR305", ctx=ctx)] == ["ACR305"]
    # a real resource group other than the scope's: not the same registry
    ctx = DeploymentContext(subscription_id=sub, resource_group="test-rg")
    assert findings([tpl, roles], select="ACR305", ctx=ctx) == []


def test_user_defined_functions(tmp_path):
    doc = template(registry("[contoso.registryName('web')]", adminUserEnabled=True),
                   functions=[{"namespace": "contoso", "members": {"registryName": {"parameters": [{"name": "app", "type": "string"}],
                                                                                     "output": {"type": "string", "value": "[concat('contoso', parameters('app'), 'acr')]"}}}}])
    assert messages(write(tmp_path, doc)) == [ADMIN.format("contosowebacr")]


# ------------------------------------------------------------------ expression results remembered by text


def test_a_repeated_expression_is_evaluated_per_copy_iteration(tmp_path):
    # the same text, but copyIndex() makes each evaluation depend on the loop: never taken from the memo
    res = registry("[format('acr{0}demo', copyIndex())]", adminUserEnabled="[equals(copyIndex(), 1)]")
    res["copy"] = {"name": "registries", "count": 3}
    other = registry("[format('acr{0}demo', copyIndex())]", adminUserEnabled="[equals(copyIndex(), 0)]")
    other["copy"] = {"name": "registries2", "count": 2}
    assert messages(write(tmp_path, template(res, other))) == [ADMIN.format("acr1demo [index 1]"), ADMIN.format("acr0demo [index 0]")]


def test_a_repeated_failing_expression_is_reported_at_each_place(tmp_path):
    # errors are not remembered: each string that fails is reported where it is
    doc = template(registry("acr1", publicNetworkAccess="[parameters('missing')]"),
                   registry("acr2", publicNetworkAccess="[parameters('missing')]"))
    got = findings(write(tmp_path, doc), select="ACR004")
    message = "template expression error: the template parameter 'missing' is not found (at offset 1)"
    assert got == [("ACR004", 14, 32, message), ("ACR004", 26, 32, message)]


def test_a_repeated_reference_is_evaluated_each_time(tmp_path):
    # reference() consults expansion state: its result is never remembered; both registries get the same answer
    doc = template(
        {"type": "Microsoft.ManagedIdentity/userAssignedIdentities", "apiVersion": "2023-01-31", "name": "id1", "location": "westeurope"},
        registry("acr1", adminUserEnabled="[empty(reference(resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', 'id1')))]"),
        registry("acr2", adminUserEnabled="[empty(reference(resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', 'id1')))]"),
    )
    assert findings(write(tmp_path, doc), select="ACR004") == []
