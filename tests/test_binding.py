"""Parameter binding, copy loops and template errors as ARM decides them (issue 11): null is no value, nullable
types at any depth, user-defined types, copy everywhere ARM allows it, fail() only where evaluated, and template
errors reported only when they hold whatever the unknown inputs turn out to be."""
from __future__ import annotations

from helpers import deployment, findings, messages, registry, template, write

ADMIN = "Registry '{}' has the admin user enabled: use Microsoft Entra identities (AcrPull/AcrPush, or repository-scoped tokens) and set adminUserEnabled to false"


def module(*resources, parameters=None, **extra):
    """A languageVersion 2.0 inner template (as Bicep compiles a module) with ``parameters`` declared."""
    return {"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "languageVersion": "2.0",
            "contentVersion": "1.0.0.0", "parameters": parameters or {}, **extra, "resources": {f"r{i}": r for i, r in enumerate(resources)}}


# ------------------------------------------------------------------------------------------------- null is no value


def test_null_passed_to_a_module_parameter_means_its_default(tmp_path):
    inner = module(registry("modacr", adminUserEnabled="[parameters('admin')]"), parameters={"admin": {"type": "bool", "defaultValue": True}})
    doc = template(deployment("mod", inner, {"admin": {"value": None}}))
    assert messages(write(tmp_path, doc), select="ACR401,ACR006") == [ADMIN.format("modacr")]


def test_null_from_an_expression_means_the_default_too(tmp_path):
    inner = module(registry("modacr", adminUserEnabled="[parameters('admin')]"), parameters={"admin": {"type": "bool", "defaultValue": False}})
    doc = template(deployment("mod", inner, {"admin": {"value": "[tryGet(parameters('settings'), 'admin')]"}}),
                   parameters={"settings": {"type": "object", "defaultValue": {}}})
    assert findings(write(tmp_path, doc), select="ACR401,ACR004,ACR006") == []


def test_null_in_a_parameters_file_means_the_default(tmp_path):
    doc = template(registry("contosoacr", adminUserEnabled="[parameters('admin')]"), parameters={"admin": {"type": "bool", "defaultValue": True}})
    path = write(tmp_path, doc)
    write(tmp_path, {"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#",
                     "contentVersion": "1.0.0.0", "parameters": {"admin": {"value": None}}}, "main.parameters.json")
    assert messages(path, select="ACR401,ACR006") == [ADMIN.format("contosoacr")]


def test_a_required_parameter_without_a_value_is_unknown_never_null(tmp_path):
    inner = module(registry("modacr", adminUserEnabled="[parameters('admin')]", publicNetworkAccess="[split(parameters('pna'), '/')[0]]"),
                   parameters={"admin": {"type": "bool"}, "pna": {"type": "string"}})
    doc = template(deployment("mod", inner, {"admin": {"value": None}}))
    assert findings(write(tmp_path, doc), select="ACR401,ACR004,ACR006,ACR404") == []


def test_null_is_valid_for_a_nullable_type_reached_through_definitions(tmp_path):
    definitions = {"outer": {"$ref": "#/definitions/middle"}, "middle": {"$ref": "#/definitions/leaf", "nullable": True},
                   "leaf": {"type": "object", "properties": {"name": {"type": "string"}}}}
    inner = module(registry("modacr", adminUserEnabled=False), parameters={"cfg": {"$ref": "#/definitions/outer"}}, definitions=definitions)
    doc = template(deployment("mod", inner, {"cfg": {"value": None}}))
    assert findings(write(tmp_path, doc), select="ACR004,ACR006") == []


# ------------------------------------------------------------------------------------------------- user-defined types


def test_user_defined_types_are_checked_as_arm_checks_them(tmp_path):
    definitions = {
        "ruleType": {"type": "object", "properties": {"action": {"type": "string", "allowedValues": ["Allow"]},
                                                      "value": {"type": "string"}, "note": {"type": "string", "nullable": True}},
                     "additionalProperties": False},
        "rulesType": {"type": "array", "items": {"$ref": "#/definitions/ruleType"}},
        "identityType": {"type": "object", "discriminator": {"propertyName": "kind", "mapping": {
            "user": {"type": "object", "properties": {"id": {"type": "string"}}}, "system": {"type": "object", "properties": {}}}}},
        "pairType": {"type": "array", "prefixItems": [{"type": "int"}, {"type": "bool"}], "items": False},
    }
    inner = module(registry("modacr", adminUserEnabled=False),
                   parameters={"rules": {"$ref": "#/definitions/rulesType"}, "identity": {"$ref": "#/definitions/identityType"},
                               "pair": {"$ref": "#/definitions/pairType"}, "tags": {"type": "object", "additionalProperties": {"type": "string"}}},
                   definitions=definitions)
    doc = template(deployment("mod", inner, {
        "rules": {"value": [{"action": "allow", "value": "10.0.0.0/24"}, {"action": "Deny", "value": 5, "extra": 1}, {"action": "Allow"}]},
        "identity": {"value": {"kind": "user"}},
        "pair": {"value": [1, True, 3]},
        "tags": {"value": {"env": "prod", "cost": 12}},
    }))
    assert findings(write(tmp_path, doc), select="ACR006") == [  # each at the value it is about
        ("ACR006", 117, 27, 'parameter \'rules\': "Deny" at [1].action is not one of the allowed values ["Allow"]'),
        ("ACR006", 118, 26, "parameter 'rules' expects type string at [1].value, got int"),
        ("ACR006", 119, 26, "parameter 'rules' does not allow the property [1].extra"),
        ("ACR006", 121, 15, "parameter 'rules' is missing the required property [2].value"),
        ("ACR006", 127, 22, "parameter 'identity' is missing the required property id"),
        ("ACR006", 132, 22, "parameter 'pair' has 3 elements, expects 2"),
        ("ACR006", 141, 23, "parameter 'tags' expects type string at cost, got int"),
    ]


def test_unknown_parts_of_a_value_satisfy_its_type(tmp_path):
    definitions = {"ruleType": {"type": "object", "properties": {"value": {"type": "string"}}, "additionalProperties": False}}
    inner = module(registry("modacr", adminUserEnabled=False), parameters={"rule": {"$ref": "#/definitions/ruleType"}}, definitions=definitions)
    doc = template(deployment("mod", inner, {"rule": {"value": {"value": "[parameters('ip')]"}}}), parameters={"ip": {"type": "string"}})
    assert findings(write(tmp_path, doc), select="ACR006") == []


# ------------------------------------------------------------------------------------------------- errors that hold for every value


def test_an_error_that_depends_on_an_unset_nullable_parameter_is_not_reported(tmp_path):
    # Bicep's `split(kvId!, '/')[2]`: the module needs the value where it uses it, and a caller may supply it
    doc = template(registry("[last(split(parameters('kvId'), '/'))]", adminUserEnabled=True), parameters={"kvId": {"type": "string", "nullable": True}})
    assert messages(write(tmp_path, doc), select="ACR004,ACR401") == [ADMIN.format("[last(split(parameters('kvId'), '/'))]")]


def test_the_same_error_with_a_definite_null_default_is_reported(tmp_path):
    doc = template(registry("[last(split(parameters('kvId'), '/'))]", adminUserEnabled=False), parameters={"kvId": {"type": "string", "defaultValue": None}})
    assert messages(write(tmp_path, doc), select="ACR004") == [
        "template expression error: split() expects its first argument to be a string, got null (at offset 6)"]


def test_runtime_errors_in_a_resource_that_may_not_be_deployed_are_not_reported(tmp_path):
    res = registry("contosoacr", adminUserEnabled="[greater(parameters('count'), 'x')]")
    res["condition"] = "[parameters('deploy')]"
    doc = template(res, parameters={"deploy": {"type": "bool"}, "count": {"type": "int", "defaultValue": 1}})
    assert findings(write(tmp_path, doc), select="ACR004") == []
    res["condition"] = True
    assert messages(write(tmp_path, doc), select="ACR004") == [
        "template expression error: greater() expects two integers or two strings, got int and string (at offset 1)"]


def test_static_errors_are_reported_even_where_the_resource_may_not_be_deployed(tmp_path):
    res = registry("contosoacr", adminUserEnabled="[toLowr('x')]")
    res["condition"] = "[parameters('deploy')]"
    doc = template(res, parameters={"deploy": {"type": "bool"}})
    assert messages(write(tmp_path, doc), select="ACR004") == ["template expression error: unknown function 'toLowr' (at offset 1)"]


# ------------------------------------------------------------------------------------------------- fail()


def test_fail_is_reported_where_it_is_evaluated(tmp_path):
    doc = template(registry("contosoacr", adminUserEnabled="[if(equals(parameters('sku'), 'Basic'), fail('Basic has no network rules'), false())]"),
                   parameters={"sku": {"type": "string", "defaultValue": "Basic"}})
    assert messages(write(tmp_path, doc), select="ACR004") == [
        "template expression error: the template calls fail(): Basic has no network rules (at offset 40)"]


def test_fail_in_a_branch_not_taken_or_not_known_is_silent(tmp_path):
    doc = template(
        registry("acrone", adminUserEnabled="[if(equals(parameters('sku'), 'Premium'), fail('no'), false())]"),
        registry("acrtwo", adminUserEnabled="[if(contains(parameters('name'), '.'), fail('no dots'), false())]"),
        parameters={"sku": {"type": "string", "defaultValue": "Basic"}, "name": {"type": "string"}})
    assert findings(write(tmp_path, doc), select="ACR004") == []


# ------------------------------------------------------------------------------------------------- copy everywhere


def test_property_copy_in_a_module_parameter_value(tmp_path):
    inner = module(registry("modacr", networkRuleSet={"defaultAction": "Deny", "ipRules": "[parameters('rules')]"}), parameters={"rules": {"type": "array"}})
    doc = template(deployment("mod", inner, {"rules": {"copy": [{"name": "value", "count": "[length(parameters('ranges'))]",
                                                                   "input": {"action": "Allow", "value": "[parameters('ranges')[copyIndex('value')]]"}}]}}),
                   parameters={"ranges": {"type": "array", "defaultValue": ["203.0.113.0/24", "0.0.0.0/0"]}})
    assert messages(write(tmp_path, doc), select="ACR421,ACR004") == [
        "Registry 'modacr' has an IP rule allowing 0.0.0.0/0, which covers 4,294,967,296 addresses (prefix /0): allow only the addresses or ranges that need access"]


def test_output_copy_sees_copy_index_and_feeds_the_caller(tmp_path):
    inner = module(parameters={"names": {"type": "array"}},
                   outputs={"ids": {"type": "array", "copy": {"count": "[length(parameters('names'))]", "input": "[format('{0}acr', parameters('names')[copyIndex()])]"}}})
    caller = registry("[reference('mod').outputs.ids.value[1]]", adminUserEnabled=True)
    caller["dependsOn"] = ["mod"]
    doc = template(deployment("mod", inner, {"names": {"value": ["one", "two"]}}), caller)
    assert messages(write(tmp_path, doc), select="ACR401,ACR004") == [ADMIN.format("twoacr")]


def test_copy_index_name_resolves_against_its_own_loop(tmp_path):
    res = registry("[format('acr{0}', copyIndex('regs'))]", networkRuleSet={"defaultAction": "Deny", "copy": [
        {"name": "ipRules", "count": 2, "input": {"action": "Allow", "value": "[format('10.{0}.{1}.0/24', copyIndex('regs'), copyIndex('ipRules'))]"}}]},
        adminUserEnabled="[equals(copyIndex('regs'), 1)]")
    res["copy"] = {"name": "regs", "count": 2}
    assert messages(write(tmp_path, template(res)), select="ACR401,ACR004") == [ADMIN.format("acr1 [index 1]")]


def test_runtime_errors_in_a_module_that_may_not_be_deployed_are_not_reported(tmp_path):
    inner = module(registry("modacr", adminUserEnabled="[greater(parameters('count'), 'x')]"), parameters={"count": {"type": "int", "defaultValue": 1}})
    mod = deployment("mod", inner)
    mod["condition"] = "[parameters('deploy')]"
    doc = template(mod, parameters={"deploy": {"type": "bool"}})
    assert findings(write(tmp_path, doc), select="ACR004") == []
    mod["condition"] = True
    assert messages(write(tmp_path, doc), select="ACR004") == [
        "template expression error: greater() expects two integers or two strings, got int and string (at offset 1)"]


def test_reference_to_one_instance_of_a_module_in_a_loop(tmp_path):
    inner = module(parameters={"name": {"type": "string"}}, outputs={"acr": {"type": "string", "value": "[format('{0}acr', parameters('name'))]"}})
    mods = deployment("[format('mod{0}', copyIndex())]", inner, {"name": {"value": "[createArray('one', 'two')[copyIndex()]]"}})
    mods["copy"] = {"name": "mods", "count": 2}
    caller = registry("[reference('mods[1]').outputs.acr.value]", adminUserEnabled=True)
    doc = {**template(), "languageVersion": "2.0", "resources": {"mods": mods, "caller": caller}}
    assert messages(write(tmp_path, doc), select="ACR401,ACR004") == [ADMIN.format("twoacr")]


def test_an_existing_resource_in_another_resource_group_has_its_own_id(tmp_path):
    existing = registry("sharedacr")
    existing.update(existing=True, resourceGroup="shared-rg", subscriptionId="11111111-2222-3333-4444-555555555555")
    role = {"type": "Microsoft.Authorization/roleAssignments", "apiVersion": "2022-04-01", "name": "[guid('x')]", "scope": "acr",
            "properties": {"roleDefinitionId": "[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'b24988ac-6180-42a0-ab88-20f7382dd24c')]",
                           "principalId": "11111111-0000-0000-0000-000000000000", "principalType": "ServicePrincipal"}}
    doc = {**template(), "languageVersion": "2.0", "resources": {"acr": existing, "role": role}}
    from linter.api import Options, lint
    result = lint([write(tmp_path, doc)], Options(select=["ACR301"]))
    assert [f.resource.rsplit("/providers/Microsoft.Authorization/", 1)[0] for f in result.findings if f.resource] == [
        "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/shared-rg/providers/Microsoft.ContainerRegistry/registries/sharedacr"]
