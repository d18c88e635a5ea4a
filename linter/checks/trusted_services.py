"""Trusted-services rules that stay Python (ACR204, ACR206): whether a client's identity has a role that grants pull
(role assignments by scope and principal) and which identity a registry task authenticates with. The registry's own
setting (ACR101-ACR104) and the clients that rely on it (ACR105, ACR201-ACR203, ACR205) are declarative records over
the client relations linter.inventory resolves (`each: pulls`)."""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from linter.checks._registry_state import (
    abac_mode,
    network_restricted,
    public_access_disabled,
    truthy,
)
from linter.engine.registry import check
from linter.engine.run import RuleRun
from linter.inventory import (
    ClientUse,
    Inventory,
    RoleAssignment,
    shape_contains,
    tree_of,
)
from linter.model import MISSING, Finding, Resource, Unknown
from linter.roles import BUILTIN_ROLES, BY_GUID

_SYSTEM_IDENTITY_VALUES = {"system", "[system]", "systemassigned"}



# Roles that allow pulling, by registry mode. Unknown or custom roles are treated as possibly granting pull.
LEGACY_PULL = frozenset(r.guid for r in BUILTIN_ROLES if r.pull_legacy)
ABAC_PULL = frozenset(r.guid for r in BUILTIN_ROLES if r.pull_abac)


def _client_identities(inv: Inventory, use: ClientUse) -> tuple[list[Any], str] | None:
    """Principal keys of the identity the client pulls with, and a description; None when it cannot be resolved."""
    client = use.client
    ident = inv.identity_of(client)
    if ident.unknown:
        return None
    if use.kind in ("container-group", "container-app"):
        value = (use.credential or {}).get("identity", MISSING)
        if isinstance(value, str) and value.lower() in _SYSTEM_IDENTITY_VALUES:
            return inv.principal_keys(client, system=True), "its system-assigned identity"
        if isinstance(value, str) and value.startswith("/"):
            return inv.principal_keys(client, user_id=value), f"user-assigned identity {value.rsplit('/', 1)[-1]}"
        return None
    if use.kind == "app-service":
        if truthy(client.get("properties", "siteConfig", "acrUseManagedIdentityCreds")) is not True:
            return None
        uid = client.get("properties", "siteConfig", "acrUserManagedIdentityID")
        if uid in (MISSING, None, "") and ident.system:
            return inv.principal_keys(client, system=True), "its system-assigned identity"
        return None  # a client ID cannot be matched to an identity resource statically
    if use.kind in ("ml-workspace", "task"):
        if ident.system:
            return inv.principal_keys(client, system=True), "its system-assigned identity"
        if len(ident.user) == 1:
            return inv.principal_keys(client, user_id=ident.user[0]), f"user-assigned identity {ident.user[0].rsplit('/', 1)[-1]}"
    return None


def _concerns(inv: Inventory, ra: RoleAssignment, client: Resource, registry: Resource) -> bool:
    """Is the assignment part of managing access for this client and registry? It is when it comes from the same
    deployment as either, or names the registry itself as its scope. Assignments of unrelated files in the run
    (at a resource group that only acrlint's placeholder context makes shared) are not (see Inventory.may_concern)."""
    tree = tree_of(ra.resource)
    if tree == tree_of(client) or tree == tree_of(registry):
        return True
    return (isinstance(ra.scope, str) and inv.registry_at(ra.scope) is registry) or (
        isinstance(ra.scope, Unknown) and inv.may_concern(ra.resource, registry, ra.scope))


def pull_granted(inv: Inventory, assignments: list[RoleAssignment], reg: Resource, mode: bool) -> bool:
    """Does one of ``assignments`` (those of the identity, and those whose principal could be anyone's here) grant
    pull on ``reg``? A scope, principal or role that cannot be told counts as granting (never report what may work)."""
    granting = ABAC_PULL if mode else LEGACY_PULL
    rid = reg.id_lower or ""
    for ra in assignments:
        if isinstance(ra.scope, str):
            # a literal scope that may hold the registry (placeholder subscription or group): it may cover it
            scope_ok = inv.scope_covers(ra.scope, reg) is not False
        else:  # cannot tell: it may cover the registry, unless what is known of it rules that out
            shape = ra.scope_shape
            scope_ok = shape is None or shape_contains(shape, rid)
        role_ok = ra.role is None or ra.role in granting or ra.role not in BY_GUID
        if scope_ok and role_ok:
            return True
    return False


def concerning(inv: Inventory, client: Resource, registry: Resource) -> list[RoleAssignment]:
    """Assignments whose principal cannot be evaluated and that concern this client and registry."""
    return [ra for ra in inv.unresolved_principal if _concerns(inv, ra, client, registry)]


@check("ACR204")
def identity_without_pull_role(inv: Inventory, rule: RuleRun) -> Iterator[Finding]:
    for use in inv.clients:
        reg = use.registry
        if reg.id_lower is None:
            continue
        resolved = _client_identities(inv, use)
        if resolved is None:
            continue
        keys, description = resolved
        own = inv.assignments_for(keys)
        # only when the linted files manage this identity's or this registry's access: otherwise the role may well
        # be assigned elsewhere
        if not own and not any(_concerns(inv, ra, use.client, reg) for ra in inv.role_assignments):
            continue
        mode = abac_mode(reg)
        if mode is None:
            continue
        if not pull_granted(inv, own + concerning(inv, use.client, reg), reg, mode):
            role = "Container Registry Repository Reader" if mode else "AcrPull"
            yield rule.finding(use.client, use.path, registry=reg.label, identity=description, role=role)


def _task_uses_system_identity(inv: Inventory, task: Any) -> bool | None:
    """Does the task authenticate with its system-assigned identity's tokens? Decided by the identities its
    credentials name (sourceRegistry.identity, customRegistries.*.identity: '[system]' or a user-assigned client ID),
    else by the identity it has; None when that cannot be told (both kinds, and no credential names one)."""
    values: list[Any] = []
    source = task.get("properties", "credentials", "sourceRegistry", "identity")
    if source not in (MISSING, None):
        values.append(source)
    custom = task.get("properties", "credentials", "customRegistries")
    if isinstance(custom, Unknown):
        return None
    if isinstance(custom, dict):
        for entry in custom.values():
            if isinstance(entry, Unknown):
                return None
            if isinstance(entry, dict) and entry.get("identity") not in (MISSING, None):
                values.append(entry.get("identity"))
    if any(isinstance(v, Unknown) for v in values):
        return None
    if any(isinstance(v, str) and v.strip().lower() in _SYSTEM_IDENTITY_VALUES for v in values):
        return True
    if values:
        return False  # user-assigned client IDs or [caller]
    ident = inv.identity_of(task)
    if ident.unknown or (ident.system and ident.user):
        return None
    return ident.system


def _bypass_for_tasks(reg: Any) -> bool | None:
    """networkRuleBypassAllowedForTasks, read as false when absent (also when the API version does not define it:
    effective_view took it out)."""
    return truthy(reg.get("properties", "networkRuleBypassAllowedForTasks"))


@check("ACR206")
def task_system_identity_blocked(inv: Inventory, rule: RuleRun) -> Iterator[Finding]:
    for use in inv.clients_of("task"):
        reg, task = use.registry, use.client
        pool = task.get("properties", "agentPoolName")
        if isinstance(pool, Unknown) or (isinstance(pool, str) and pool.strip()):
            continue
        if network_restricted(reg) is not True:
            continue
        disabled = public_access_disabled(reg)
        allowed = _bypass_for_tasks(reg)
        uses_system = _task_uses_system_identity(inv, task)
        if disabled is None or allowed is None:
            continue
        if disabled:
            if allowed and uses_system is not False:
                continue  # the bypass lets tasks that use system-assigned tokens through
            yield rule.finding(task, ("properties", "agentPoolName"), variant="no-agent-pool", registry=reg.label)
        elif uses_system is True and not allowed:
            yield rule.finding(task, _system_identity_path(task), registry=reg.label)


def _system_identity_path(task: Any) -> tuple[Any, ...]:
    """Where the task names its system-assigned identity: the credential that does, else identity.type."""
    if isinstance(task.get("properties", "credentials", "sourceRegistry", "identity"), str):
        value = task.get("properties", "credentials", "sourceRegistry", "identity")
        if value.strip().lower() in _SYSTEM_IDENTITY_VALUES:
            return ("properties", "credentials", "sourceRegistry", "identity")
    custom = task.get("properties", "credentials", "customRegistries")
    if isinstance(custom, dict):
        for server, entry in custom.items():
            value = entry.get("identity") if isinstance(entry, dict) else None
            if isinstance(value, str) and value.strip().lower() in _SYSTEM_IDENTITY_VALUES:
                return ("properties", "credentials", "customRegistries", server, "identity")
    return ("identity", "type")
