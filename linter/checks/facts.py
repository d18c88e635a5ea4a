"""Facts that declarative rules ask of Python (``fact: <name>`` in rules/*.yaml, linter.engine.conditions).

A fact is computed once per run for a resource and the registry in its context (the registry itself, a child's
registry, the registry a client names), from relations the inventory knows or from several properties at once. It
answers True, False or a value; None when it cannot tell (then the condition that asks is unknown and the rule
silent). The relations stay here, written once; the rules that use them are data.
"""
from __future__ import annotations

from linter.checks._registry_state import can_restrict, network_restricted, public_access_disabled
from linter.checks.hardening import (
    REPLICATION,
    arm_token_clients,
    child_name,
    location_key,
    parent_label,
    private_endpoint_state,
)
from linter.engine.registry import fact
from linter.inventory import Inventory
from linter.model import Resource

_TRI = {"yes": True, "no": False, "maybe": None}


@fact("networkRestricted")
def _network_restricted(inv: Inventory, res: Resource, registry: Resource | None) -> bool | None:
    """The registry limits its public endpoint: publicNetworkAccess Disabled or networkRuleSet.defaultAction Deny
    (defaults Enabled, Allow), on a SKU that allows it (Premium, or no SKU in the input)."""
    return network_restricted(registry) if registry is not None else None


@fact("publicAccessDisabled")
def _public_access_disabled(inv: Inventory, res: Resource, registry: Resource | None) -> bool | None:
    """publicNetworkAccess Disabled on a registry whose SKU allows it (Premium, or no SKU in the input)."""
    return public_access_disabled(registry) if registry is not None else None


@fact("canRestrict")
def _can_restrict(inv: Inventory, res: Resource, registry: Resource | None) -> bool | None:
    """The registry's SKU allows network rules and disabling public access: false for Basic, Standard and Classic
    (the name trimmed), true for Premium or no SKU in the input."""
    return can_restrict(registry) if registry is not None else None


@fact("hasPrivateEndpoint")
def _has_private_endpoint(inv: Inventory, res: Resource, registry: Resource | None) -> bool | None:
    """A private endpoint reaches the registry: a connection it lists, a privateEndpointConnections child, or a
    Microsoft.Network/privateEndpoints resource that targets it (rejected and disconnected ones do not count). Unknown
    when a connection's state, or the target of an endpoint that may concern the registry, cannot be evaluated."""
    return _TRI[private_endpoint_state(inv, registry)] if registry is not None else None


@fact("hasReplicas")
def _has_replicas(inv: Inventory, res: Resource, registry: Resource | None) -> bool | None:
    """The registry has registries/replications children in the linted files; unknown when none does but a
    replication that cannot be attributed to a registry may be its own."""
    if registry is None:
        return None
    if inv.registry_children(registry, REPLICATION):
        return True
    return None if inv.unattributed_child(registry, REPLICATION) else False


@fact("geoReplicated")
def _geo_replicated(inv: Inventory, res: Resource, registry: Resource | None) -> bool | None:
    """The registry has a replica in a region other than its own (locations compared ignoring case and spaces);
    unknown when its location or a replica's cannot be evaluated, or when it has no replica but a replication that
    cannot be attributed may be its own."""
    if registry is None:
        return None
    replicas = inv.registry_children(registry, REPLICATION)
    if not replicas:
        return None if inv.unattributed_child(registry, REPLICATION) else False
    home = location_key(registry.get("location"))
    places = [location_key(r.get("location")) for r in replicas]
    if home is None or None in places:
        return None
    return any(p != home for p in places)


@fact("needsArmTokens")
def _needs_arm_tokens(inv: Inventory, res: Resource, registry: Resource | None) -> bool | None:
    """A client in the linted files pulls from the registry with a managed identity and so needs ARM-audience tokens
    (a Container App registries[] entry with an identity; an App Service with acrUseManagedIdentityCreds)."""
    return bool(arm_token_clients(inv, registry)) if registry is not None else None


@fact("registryLabel")
def _registry_label(inv: Inventory, res: Resource, registry: Resource | None) -> str | None:
    """The name of the registry in context, as messages show it."""
    return registry.label if registry is not None else None


@fact("parentName")
def _parent_name(inv: Inventory, res: Resource, registry: Resource | None) -> str:
    """A child resource's registry as messages show it: its parent's name when the parent is in the linted files,
    else the first segment of the child's name."""
    return parent_label(inv, res)


@fact("childName")
def _child_name(inv: Inventory, res: Resource, registry: Resource | None) -> str:
    """The last segment of a child resource's name (its label when the name cannot be evaluated)."""
    return child_name(res)
