"""Facts that declarative rules ask of Python (``fact: <name>`` in rules/*.yaml, linter.engine.conditions).

A fact is computed once per run for a resource and the registry in its context (the registry itself, a child's
registry, the registry a client names or pulls from), from relations the inventory knows or from several properties at
once. It answers True, False or a value; None when it cannot tell (then the condition that asks is unknown and the
rule silent). The relations stay here, written once; the rules that use them are data.
"""
from __future__ import annotations

from linter.checks._registry_state import (
    attached_identities,
    can_restrict,
    client_id_problem,
    network_restricted,
    public_access_disabled,
)
from linter.checks.hardening import (
    REPLICATION,
    arm_token_clients,
    child_name,
    location_key,
    parent_label,
    private_endpoint_state,
)
from linter.engine.conditions import Context
from linter.engine.registry import fact
from linter.inventory import login_server_of

_TRI = {"yes": True, "no": False, "maybe": None}


@fact("networkRestricted")
def _network_restricted(ctx: Context) -> bool | None:
    """The registry limits its public endpoint: publicNetworkAccess Disabled or networkRuleSet.defaultAction Deny
    (defaults Enabled, Allow), on a SKU that allows it (Premium, or no SKU in the input)."""
    return network_restricted(ctx.registry) if ctx.registry is not None else None


@fact("publicAccessDisabled")
def _public_access_disabled(ctx: Context) -> bool | None:
    """publicNetworkAccess Disabled on a registry whose SKU allows it (Premium, or no SKU in the input)."""
    return public_access_disabled(ctx.registry) if ctx.registry is not None else None


@fact("canRestrict")
def _can_restrict(ctx: Context) -> bool | None:
    """The registry's SKU allows network rules and disabling public access: false for Basic, Standard and Classic
    (the name trimmed), true for Premium or no SKU in the input."""
    return can_restrict(ctx.registry) if ctx.registry is not None else None


@fact("hasPrivateEndpoint")
def _has_private_endpoint(ctx: Context) -> bool | None:
    """A private endpoint reaches the registry: a connection it lists, a privateEndpointConnections child, or a
    Microsoft.Network/privateEndpoints resource that targets it (rejected and disconnected ones do not count). Unknown
    when a connection's state, or the target of an endpoint that may concern the registry, cannot be evaluated."""
    return _TRI[private_endpoint_state(ctx.inv, ctx.registry)] if ctx.registry is not None else None


@fact("hasReplicas")
def _has_replicas(ctx: Context) -> bool | None:
    """The registry has registries/replications children in the linted files; unknown when none does but a
    replication that cannot be attributed to a registry may be its own."""
    inv, registry = ctx.inv, ctx.registry
    if registry is None:
        return None
    if inv.registry_children(registry, REPLICATION):
        return True
    return None if inv.unattributed_child(registry, REPLICATION) else False


@fact("geoReplicated")
def _geo_replicated(ctx: Context) -> bool | None:
    """The registry has a replica in a region other than its own (locations compared ignoring case and spaces);
    unknown when its location or a replica's cannot be evaluated, or when it has no replica but a replication that
    cannot be attributed may be its own."""
    inv, registry = ctx.inv, ctx.registry
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
def _needs_arm_tokens(ctx: Context) -> bool | None:
    """A client in the linted files pulls from the registry with a managed identity and so needs ARM-audience tokens
    (a Container App registries[] entry with an identity; an App Service with acrUseManagedIdentityCreds)."""
    return bool(arm_token_clients(ctx.inv, ctx.registry)) if ctx.registry is not None else None


@fact("registryLabel")
def _registry_label(ctx: Context) -> str | None:
    """The name of the registry in context, as messages show it; when the registry a value names (`registry:`) is
    not in the linted files, the Azure login server it names (myregistry.azurecr.io); else none."""
    if ctx.registry is not None:
        return ctx.registry.label
    return login_server_of(ctx.registry_ref)


@fact("parentName")
def _parent_name(ctx: Context) -> str:
    """A child resource's registry as messages show it: its parent's name when the parent is in the linted files,
    else the first segment of the child's name."""
    return parent_label(ctx.inv, ctx.res)


@fact("childName")
def _child_name(ctx: Context) -> str:
    """The last segment of a child resource's name (its label when the name cannot be evaluated)."""
    return child_name(ctx.res)


@fact("hasManagedIdentity")
def _has_managed_identity(ctx: Context) -> bool | None:
    """The resource has a managed identity: system-assigned, or a user-assigned one listed in
    identity.userAssignedIdentities; unknown when its identity type or the identities cannot be evaluated."""
    attached = attached_identities(ctx.res)
    return None if attached is None else attached[0] or bool(attached[1])


def _key_identity(ctx: Context) -> tuple[str, str] | bool | None:
    """client_id_problem of encryption.keyVaultProperties.identity: (kind, identity), False when it is fine (or the
    resource has no identity at all, a problem of its own), None when it cannot be told."""
    attached = attached_identities(ctx.res)
    if attached is None:
        return None
    if not attached[0] and not attached[1]:
        return False
    value = ctx.res.get("properties", "encryption", "keyVaultProperties", "identity")
    return client_id_problem(ctx.inv, ctx.res, value, attached[1]) or False


@fact("keyVaultIdentityProblem")
def _key_vault_identity_problem(ctx: Context) -> str | bool | None:
    """What is wrong with encryption.keyVaultProperties.identity, which must hold the client ID of one of the
    resource's user-assigned identities: principal-id, resource-id (of such an identity), not-attached (the client ID
    of an identity the resource does not list), unknown-client-id (a literal client ID none of its identities has,
    told only when all their client IDs are known); false otherwise (nothing wrong, nothing that can be told, or no
    identity at all)."""
    found = _key_identity(ctx)
    return found[0] if isinstance(found, tuple) else found


@fact("keyVaultIdentityName")
def _key_vault_identity_name(ctx: Context) -> str | None:
    """The identity keyVaultIdentityProblem names (its name, or the client ID written)."""
    found = _key_identity(ctx)
    return found[1] if isinstance(found, tuple) else None
