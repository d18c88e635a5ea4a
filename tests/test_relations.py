"""Findings that never depend on unrelated files (issue 11, item 5): a resource whose link to a registry cannot be
evaluated keeps a rule silent only for the registries it could be about (same name where the name is known, the
same deployment where it is not), never for every registry in the run. Each relating case is tested both ways."""
from __future__ import annotations

from helpers import findings, registry, template, write

ACR414 = ("Premium registry 'contosoacr' has no replica outside its home region (westeurope): add a registries/replications "
          "resource in another region so that pulls keep working during a regional outage")


def replication(name: str) -> dict:
    return {"type": "Microsoft.ContainerRegistry/registries/replications", "apiVersion": "2025-11-01", "name": name, "location": "northeurope"}


def private_endpoint(target: str) -> dict:
    return {"type": "Microsoft.Network/privateEndpoints", "apiVersion": "2024-05-01", "name": "pe", "location": "westeurope",
            "properties": {"subnet": {"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/s"},
                           "privateLinkServiceConnections": [{"name": "c", "properties": {"privateLinkServiceId": target, "groupIds": ["registry"]}}]}}


def test_a_replica_of_an_unknown_registry_in_another_file_does_not_silence_a_registry(tmp_path):
    acr = write(tmp_path, template(registry("contosoacr")), "acr.json")
    other = write(tmp_path, template(replication("[format('{0}/northeurope', parameters('registryName'))]"),
                                     parameters={"registryName": {"type": "string"}}), "replica.json")
    assert [m for *_, m in findings([acr], select="ACR414")] == [ACR414]
    assert [m for *_, m in findings([acr, other], select="ACR414")] == [ACR414]


def test_a_replica_of_an_unknown_registry_in_the_same_file_may_be_its_own(tmp_path):
    doc = template(registry("contosoacr"), replication("[format('{0}/northeurope', parameters('registryName'))]"),
                   parameters={"registryName": {"type": "string"}})
    assert findings(write(tmp_path, doc), select="ACR414") == []


def test_a_replica_that_names_the_registry_in_another_file_is_its_replica(tmp_path):
    acr = write(tmp_path, template(registry("contosoacr")), "acr.json")
    other = write(tmp_path, template(replication("contosoacr/northeurope")), "replica.json")
    assert findings([acr, other], select="ACR414") == []


def test_a_replica_with_a_known_name_but_an_unknown_resource_group_relates_by_name(tmp_path):
    acr = write(tmp_path, template(registry("contosoacr"), registry("fabrikamacr")), "acr.json")
    rep = replication("contosoacr/northeurope")
    rep["resourceGroup"] = "[parameters('rg')]"
    nested = {"type": "Microsoft.Resources/deployments", "apiVersion": "2022-09-01", "name": "rep", "resourceGroup": "[parameters('rg')]",
              "properties": {"mode": "Incremental", "expressionEvaluationOptions": {"scope": "inner"},
                             "template": template(replication("contosoacr/northeurope"))}}
    other = write(tmp_path, template(nested, parameters={"rg": {"type": "string"}}), "replica.json")
    assert [m for *_, m in findings([acr, other], select="ACR414")] == [ACR414.replace("contosoacr", "fabrikamacr")]


def test_a_private_endpoint_to_an_unknown_target_only_silences_its_own_deployment(tmp_path):
    acr = write(tmp_path, template(registry("contosoacr")), "acr.json")
    target = "[resourceId('Microsoft.ContainerRegistry/registries', parameters('registryName'))]"
    other = write(tmp_path, template(private_endpoint(target), parameters={"registryName": {"type": "string"}}), "pe.json")
    expected = [("ACR422", 13, 21, "Premium registry 'contosoacr' has no private endpoint: add a private endpoint (group 'registry') so "
                                  "clients in your virtual networks reach it privately, then disable public network access")]
    assert findings([acr], select="ACR422") == expected
    assert findings([acr, other], select="ACR422") == expected
    both = template(registry("contosoacr"), private_endpoint(target), parameters={"registryName": {"type": "string"}})
    assert findings(write(tmp_path, both), select="ACR422") == []


def test_a_private_endpoint_to_another_type_never_counts(tmp_path):
    target = "[resourceId('Microsoft.KeyVault/vaults', parameters('vaultName'))]"
    doc = template(registry("contosoacr"), private_endpoint(target), parameters={"vaultName": {"type": "string"}})
    assert [r for r, *_ in findings(write(tmp_path, doc), select="ACR422")] == ["ACR422"]


def test_a_diagnostic_setting_on_an_unknown_scope_in_another_file_does_not_silence_a_registry(tmp_path):
    acr = write(tmp_path, template(registry("contosoacr")), "acr.json")
    setting = {"type": "Microsoft.Insights/diagnosticSettings", "apiVersion": "2021-05-01-preview", "name": "audit",
               "scope": "[format('Microsoft.ContainerRegistry/registries/{0}', parameters('registryName'))]",
               "properties": {"logs": [{"categoryGroup": "audit", "enabled": True}]}}
    other = write(tmp_path, template(setting, parameters={"registryName": {"type": "string"}}), "diag.json")
    alone = findings([acr], select="ACR424")
    assert [r for r, *_ in alone] == ["ACR424"]
    assert findings([acr, other], select="ACR424") == alone
    setting["scope"] = "[format('Microsoft.ContainerRegistry/registries/{0}', 'contosoacr')]"
    assert findings([acr, write(tmp_path, template(setting), "diag.json")], select="ACR424") == []


def test_an_invalid_registry_name_is_one_finding(tmp_path):
    got = findings(write(tmp_path, template(registry("my-registry"))), select="ACR419,ACR503")
    assert got == [("ACR419", 8, 15, "Registry name 'my-registry' is invalid: a registry name has 5 to 50 characters, letters and digits only")]


def test_identical_findings_of_a_module_deployed_in_a_loop_are_reported_once(tmp_path):
    module = {"type": "Microsoft.Resources/deployments", "apiVersion": "2022-09-01", "name": "[format('mod{0}', copyIndex())]",
              "copy": {"name": "mods", "count": 3},
              "properties": {"mode": "Incremental", "expressionEvaluationOptions": {"scope": "inner"},
                             "template": template(registry("[parameters('name')]", adminUserEnabled=True), parameters={"name": {"type": "string", "defaultValue": "sameacr"}})}}
    assert findings(write(tmp_path, template(module)), select="ACR401") == [
        ("ACR401", 37, 37, "Registry 'sameacr' has the admin user enabled: use Microsoft Entra identities (AcrPull/AcrPush, or repository-scoped tokens) and set adminUserEnabled to false")]
