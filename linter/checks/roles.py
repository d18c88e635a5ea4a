"""Role rules (ACR301, ACR302, ACR305): role assignments, by their scope (a registry, or a resource group or
subscription that holds one) and the registry's permission mode. Custom-role wildcards (ACR303, ACR304) are
declarative records."""
from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from linter.checks._registry_state import abac_mode, pull_roles_text
from linter.constants import INFO
from linter.engine.registry import check
from linter.engine.run import RuleRun
from linter.inventory import REGISTRY, Inventory, RoleAssignment, scope_contains
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
        severity = INFO if isinstance(ptype, str) and ptype.lower() in ("user", "group") else None
        push, pull = pull_roles_text(reg)
        yield rule.finding(ra.resource, _ROLE_PATH, severity=severity, role=name, scope=where, push=push, pull=pull)


@check("ACR302")
def reader_on_registry(inv: Inventory, rule: RuleRun) -> Iterator[Finding]:
    for ra in inv.role_assignments:
        if ra.role == READER and _registry_scope(ra):
            reg = inv.registry_at(ra.scope)
            variant = "abac-registry" if reg is not None and abac_mode(reg) is True else None
            yield rule.finding(ra.resource, _ROLE_PATH, variant=variant, registry=_registry_name(ra))


_REPLACEMENTS = {
    "AcrPull": "Container Registry Repository Reader (and Catalog Lister to list)",
    "AcrPush": "Container Registry Repository Writer",
    "AcrDelete": "Container Registry Repository Contributor",
}


@check("ACR305")
def legacy_role_on_abac_registry(inv: Inventory, rule: RuleRun) -> Iterator[Finding]:
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
            yield rule.finding(ra.resource, _ROLE_PATH, variant="inherited-from-scope", role=name, kind=kind,
                               registry="', '".join(r.label for r in held), replacement=replacement)
