"""Relations issue 13 added: literal IDs with a real subscription against registries declared with acrlint's
placeholders, identities named by client ID, the registries an AKS cluster uses, and declarative message variants."""
from __future__ import annotations

from typing import Any

from linter.checks._registry_state import attached_identities, can_restrict, client_id_problem, network_restricted
from linter.engine.rules import record_to_meta
from linter.engine.run import RuleRun, run_declarative
from linter.inventory import Inventory, ids_match
from linter.model import Resource, Unknown

PLACEHOLDER = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/acrlint-rg/providers"
REAL = "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/prod-rg/providers"


def registry(name: str = "contosoacr", base: str = PLACEHOLDER, file: str = "main.json", **props: Any) -> Resource:
    body = {"type": "Microsoft.ContainerRegistry/registries", "name": name, "sku": {"name": "Premium"}, "properties": props}
    return Resource(type=body["type"], name=name, id=f"{base}/Microsoft.ContainerRegistry/registries/{name}", body=body, file=file)


def test_a_literal_registry_id_names_the_registry_declared_with_placeholders() -> None:
    reg = registry()
    inv = Inventory([reg, registry("otheracr")])
    assert inv.registry_at(f"{REAL}/Microsoft.ContainerRegistry/registries/contosoacr") is reg
    assert inv.registry_at(f"{REAL}/Microsoft.ContainerRegistry/registries/CONTOSOACR/") is reg
    assert inv.registry_at(f"{REAL}/Microsoft.ContainerRegistry/registries/missingacr") is None
    assert inv.registry_at(Unknown("scope")) is None


def test_a_registry_with_a_known_resource_group_is_not_named_by_another_group() -> None:
    reg = registry(base="/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/test-rg/providers")
    inv = Inventory([reg])
    assert inv.registry_at(f"{REAL}/Microsoft.ContainerRegistry/registries/contosoacr") is None


def test_scope_covers_is_true_false_or_cannot_tell() -> None:
    reg = registry()
    inv = Inventory([reg])
    assert inv.scope_covers("/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/acrlint-rg", reg) is True
    assert inv.scope_covers(f"{REAL}/Microsoft.ContainerRegistry/registries/contosoacr", reg) is True
    # a real resource group: the template's registry may be deployed there, or not
    assert inv.scope_covers("/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/prod-rg", reg) is None
    assert inv.scope_covers(f"{REAL}/Microsoft.Storage/storageAccounts/data", reg) is False
    known = registry(base=REAL)
    assert Inventory([known]).scope_covers("/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/other", known) is False


def test_ids_match_ignores_case_and_placeholders_only() -> None:
    ua = "Microsoft.ManagedIdentity/userAssignedIdentities/pull"
    assert ids_match(f"{PLACEHOLDER}/{ua}", f"{REAL}/{ua}".upper())
    assert not ids_match(f"{REAL}/{ua}", f"{REAL}/{ua}2")
    assert not ids_match(f"{REAL}/{ua}", f"/subscriptions/22222222-2222-3333-4444-555555555555/resourceGroups/prod-rg/providers/{ua}")
    assert not ids_match(Unknown("x"), f"{REAL}/{ua}")


def test_network_restricted_knows_the_sku() -> None:
    assert network_restricted(registry(publicNetworkAccess="Disabled")) is True
    basic = registry(publicNetworkAccess="Disabled")
    basic.body["sku"] = {"name": "Basic"}
    assert can_restrict(basic) is False and network_restricted(basic) is False
    unknown = registry(publicNetworkAccess="Disabled")
    unknown.body["sku"] = {"name": Unknown("sku parameter")}
    assert network_restricted(unknown) is None


def test_client_id_problem_tells_what_is_wrong() -> None:
    uid = f"{PLACEHOLDER}/Microsoft.ManagedIdentity/userAssignedIdentities/pull"
    reg = registry()
    reg.body["identity"] = {"type": "UserAssigned", "userAssignedIdentities": {uid: {"clientId": "aaaaaaaa-0000-4000-8000-000000000001"}}}
    inv = Inventory([reg])
    user = attached_identities(reg)[1]  # type: ignore[index]
    client = Unknown("clientId", ("ref", uid.lower(), False, "clientid"))
    assert client_id_problem(inv, reg, client, user) is None
    principal = Unknown("principalId", ("ref", uid.lower(), False, "principalid"))
    assert client_id_problem(inv, reg, principal, user) == ("principal-id", "pull")
    other = Unknown("clientId", ("ref", uid.lower() + "2", False, "clientid"))
    assert client_id_problem(inv, reg, other, user) == ("not-attached", "pull2")
    assert client_id_problem(inv, reg, uid, user) == ("resource-id", "pull")
    assert client_id_problem(inv, reg, "aaaaaaaa-0000-4000-8000-000000000001", user) is None
    assert client_id_problem(inv, reg, "bbbbbbbb-0000-4000-8000-000000000002", user) == (
        "unknown-client-id", "bbbbbbbb-0000-4000-8000-000000000002")
    assert client_id_problem(inv, reg, Unknown("parameter"), user) is None


def test_attached_identities_cannot_tell_unevaluated_keys() -> None:
    reg = registry()
    reg.body["identity"] = {"type": "SystemAssigned, UserAssigned", "userAssignedIdentities": {"[parameters('id')]": {}}}
    assert attached_identities(reg) is None
    reg.body["identity"] = {"type": "SystemAssigned"}
    assert attached_identities(reg) == (True, [])
    del reg.body["identity"]
    assert attached_identities(reg) == (False, [])


def _cluster(file: str, **props: Any) -> Resource:
    body = {"type": "Microsoft.ContainerService/managedClusters", "name": "aks", "identity": {"type": "SystemAssigned"},
            "properties": props}
    return Resource(type=body["type"], name="aks", id=f"{PLACEHOLDER}/Microsoft.ContainerService/managedClusters/aks",
                    body=body, file=file)


def test_the_registries_a_cluster_uses() -> None:
    reg, other = registry(file="main.json"), registry("otheracr", file="other.json")
    named = _cluster("main.json", bootstrapProfile={"containerRegistryId": f"{REAL}/Microsoft.ContainerRegistry/registries/otheracr"})
    assert Inventory([reg, other, named]).cluster_registries(named) == [
        (other, ("properties", "bootstrapProfile", "containerRegistryId"), True)]
    beside = _cluster("main.json")
    assert Inventory([reg, other, beside]).cluster_registries(beside) == [(reg, (), False)]
    two = registry("secondacr", file="main.json")
    assert Inventory([reg, two, beside]).cluster_registries(beside) == []  # which one? never guess


def test_declarative_message_variants_pick_the_first_match() -> None:
    meta = record_to_meta({
        "id": "ACR999", "name": "x", "title": "title", "severity": "error", "implementation": "declarative",
        "applies_to": ["Microsoft.ContainerRegistry/registries"],
        "message": "default for {resource}",
        "messages": {"abac": "ABAC variant for {resource}", "never": "never {resource}"},
        "report": [{"if": {"field": "properties.adminUserEnabled", "equals": True}, "at": "properties.adminUserEnabled",
                    "message": [{"if": {"field": "properties.roleAssignmentMode", "equals": "AbacRepositoryPermissions"}, "use": "abac"},
                                {"if": {"field": "properties.roleAssignmentMode", "equals": "nonsense"}, "use": "never"}]}],
        "docs": {}, "references": [],
    })
    rule = RuleRun(meta, "error")
    legacy = registry(adminUserEnabled=True)
    abac = registry("abacacr", adminUserEnabled=True, roleAssignmentMode="abacRepositoryPermissions")
    unknown = registry("unknownacr", adminUserEnabled=True, roleAssignmentMode=Unknown("mode"))
    got = [f.message for f in run_declarative(Inventory([legacy, abac, unknown]), rule)]
    assert got == ["default for contosoacr", "ABAC variant for abacacr", "default for unknownacr"]
