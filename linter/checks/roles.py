"""Role rules (ACR301-ACR305): role breadth, custom-role wildcards, legacy roles on ABAC registries."""
from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from linter.checks._registry_state import abac_mode, pull_roles_text
from linter.engine.registry import check
from linter.engine.run import RuleRun
from linter.inventory import REGISTRY, ROLE_DEFINITION, Inventory, RoleAssignment, scope_contains
from linter.model import UNKNOWN_PART, Finding
from linter.roles import BUILTIN_ROLES, READER

BROAD_ROLES = {r.guid: r.name for r in BUILTIN_ROLES if r.broad}
LEGACY_DATA_ROLES = {r.guid: r.name for r in BUILTIN_ROLES if r.legacy_data}

_REGISTRY_SCOPE = re.compile(r"/providers/microsoft\.containerregistry/registries/[^/]+$", re.I)
_RG_OR_SUB = re.compile(r"^/subscriptions/[^/]+(/resourcegroups/[^/]+)?$", re.I)
_ROLE_PATH = ("properties", "roleDefinitionId")


def _registry_scope(ra: RoleAssignment) -> bool:
    """The assignment's scope is a registry: its ID, or what is known of it when the registry's name is not."""
    shape = ra.scope_shape
    return shape is not None and bool(_REGISTRY_SCOPE.search(shape.rstrip("/")))


def _registry_name(ra: RoleAssignment) -> str:
    name = (ra.scope_shape or "").rstrip("/").rsplit("/", 1)[-1]
    return "<unknown name>" if UNKNOWN_PART in name else name


def _registries_deployed_under(inv: Inventory, ra: RoleAssignment) -> list[Any]:
    """Registries from the same file as the assignment, inside its resource group or subscription scope."""
    if not isinstance(ra.scope, str) or not _RG_OR_SUB.match(ra.scope.rstrip("/")):
        return []
    return [
        reg
        for reg in inv.of_type(REGISTRY)
        if reg.file == ra.resource.file and reg.id_lower is not None and scope_contains(ra.scope, reg.id_lower)
    ]


@check("ACR301")
def broad_role(inv: Inventory, rule: RuleRun) -> Iterator[Finding]:
    for ra in inv.role_assignments:
        name = BROAD_ROLES.get(ra.role or "")
        if name is None:
            continue
        if _registry_scope(ra):
            reg = inv.registry_at(ra.scope)
            where = f"registry {_registry_name(ra)}"
        else:
            regs = _registries_deployed_under(inv, ra)
            if not regs:
                continue
            reg = regs[0]
            kind = "resource group" if "/resourcegroups/" in ra.scope.lower() else "subscription"
            where = f"the {kind} that holds registry {reg.label}"
        ptype = ra.principal_type
        # a principal type that cannot be evaluated is as unspecified as a missing one: the default severity
        severity = "info" if isinstance(ptype, str) and ptype.lower() in ("user", "group") else None
        push, pull = pull_roles_text(reg)
        yield rule.finding(ra.resource, _ROLE_PATH, severity=severity, role=name, scope=where, push=push, pull=pull)


@check("ACR302")
def reader_on_registry(inv: Inventory, rule: RuleRun) -> Iterator[Finding]:
    abac = ("Reader is assigned at registry {registry}'s scope (role assignment '{resource}'): the registry uses ABAC "
            "repository permissions, where Reader gives Resource Manager read access only and cannot pull; hosts that "
            "pull need Container Registry Repository Reader")
    for ra in inv.role_assignments:
        if ra.role == READER and _registry_scope(ra):
            reg = inv.registry_at(ra.scope)
            message = abac if reg is not None and abac_mode(reg) is True else None
            yield rule.finding(ra.resource, _ROLE_PATH, message=message, registry=_registry_name(ra))


def _permission_actions(res: Any) -> Iterator[tuple[tuple[Any, ...], str]]:
    perms = res.get("properties", "permissions")
    if not isinstance(perms, list):
        return
    for i, perm in enumerate(perms):
        if not isinstance(perm, dict):
            continue
        for key in ("actions", "dataActions"):
            actions = perm.get(key)
            if isinstance(actions, list):
                for j, action in enumerate(actions):
                    if isinstance(action, str):
                        yield ("properties", "permissions", i, key, j), action


@check("ACR303")
def acr_wildcard_action(inv: Inventory, rule: RuleRun) -> Iterator[Finding]:
    for role in inv.of_type(ROLE_DEFINITION):
        for path, action in _permission_actions(role):
            if action.lower().startswith("microsoft.containerregistry/") and "*" in action:
                yield rule.finding(role, path, action=action)


@check("ACR304")
def star_action(inv: Inventory, rule: RuleRun) -> Iterator[Finding]:
    for role in inv.of_type(ROLE_DEFINITION):
        for path, action in _permission_actions(role):
            if action.strip() == "*" and path[3] == "actions":
                yield rule.finding(role, path)


_REPLACEMENTS = {
    "AcrPull": "Container Registry Repository Reader (and Catalog Lister to list)",
    "AcrPush": "Container Registry Repository Writer",
    "AcrDelete": "Container Registry Repository Contributor",
}


@check("ACR305")
def legacy_role_on_abac_registry(inv: Inventory, rule: RuleRun) -> Iterator[Finding]:
    enclosing = ("{role} is assigned at the {kind} that holds registry '{registry}' (role assignment '{resource}'), which "
                 "uses ABAC repository permissions (roleAssignmentMode AbacRepositoryPermissions): {role} is not honoured "
                 "there; use {replacement}")
    abac: list[Any] | None = None  # the registries in ABAC mode, found once
    for ra in inv.role_assignments:
        name = LEGACY_DATA_ROLES.get(ra.role or "")
        if name is None or not isinstance(ra.scope, str):
            continue
        replacement = _REPLACEMENTS[name]
        if _registry_scope(ra):
            reg = inv.registry_at(ra.scope)
            if reg is not None and abac_mode(reg) is True:
                yield rule.finding(ra.resource, _ROLE_PATH, role=name, registry=reg.label, replacement=replacement)
            continue
        if not _RG_OR_SUB.match(ra.scope.rstrip("/")):
            continue
        # inherited at resource group or subscription scope: only registries the scope certainly holds
        if abac is None:
            abac = [reg for reg in inv.of_type(REGISTRY) if abac_mode(reg) is True]
        held = [reg for reg in abac if inv.scope_covers(ra.scope, reg) is True]
        if held:
            kind = "resource group" if "/resourcegroups/" in ra.scope.lower() else "subscription"
            yield rule.finding(ra.resource, _ROLE_PATH, message=enclosing, role=name, kind=kind,
                               registry="', '".join(r.label for r in held), replacement=replacement)
