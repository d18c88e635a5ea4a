"""Shared questions about a registry's configuration, answered True, False, or None when Unknown."""
from __future__ import annotations

import re
from typing import Any

from linter.inventory import UA_IDENTITY, ids_match
from linter.model import MISSING, Resource, Unknown, contains_unknown


def ci_eq(value: Any, text: str) -> bool:
    return isinstance(value, str) and value.lower() == text.lower()


_LOWER_SKUS = ("basic", "standard", "classic")


def can_restrict(reg: Resource) -> bool | None:
    """Only Premium registries can have network rules or disable public access (on Basic and Standard Azure
    rejects the deployment, which ACR405 reports): False for a lower SKU, None when the SKU is Unknown, True
    otherwise (Premium, or no SKU in the input)."""
    sku = reg.get("sku", "name")
    if isinstance(sku, str):
        return sku.strip().lower() not in _LOWER_SKUS
    if isinstance(sku, Unknown):
        return None
    return True


def _restricted_by_settings(reg: Resource) -> bool | None:
    pna = reg.get("properties", "publicNetworkAccess", default="Enabled")
    action = reg.get("properties", "networkRuleSet", "defaultAction", default="Allow")
    if ci_eq(pna, "Disabled") or ci_eq(action, "Deny"):
        return True
    if isinstance(pna, Unknown) or isinstance(action, Unknown):
        return None
    return False


def network_restricted(reg: Resource) -> bool | None:
    """publicNetworkAccess Disabled or networkRuleSet.defaultAction Deny (defaults Enabled / Allow), on a registry
    whose SKU can have network restrictions (Premium)."""
    restricted = _restricted_by_settings(reg)
    if restricted is not True:
        return restricted
    return can_restrict(reg)


def public_access_disabled(reg: Resource) -> bool | None:
    """publicNetworkAccess Disabled on a registry whose SKU allows it (Premium); None when either is Unknown."""
    pna = reg.get("properties", "publicNetworkAccess", default="Enabled")
    if isinstance(pna, Unknown):
        return None
    if not ci_eq(pna, "Disabled"):
        return False
    return can_restrict(reg)


def abac_mode(reg: Resource) -> bool | None:
    mode = reg.get("properties", "roleAssignmentMode", default="LegacyRegistryPermissions")
    if isinstance(mode, Unknown):
        return None
    return ci_eq(mode, "AbacRepositoryPermissions")


def pull_roles_text(reg: Resource | None) -> tuple[str, str]:
    """The roles to recommend for (pushing, pulling) on ``reg``: the Container Registry Repository roles on an ABAC
    registry, AcrPush/AcrPull otherwise (also when the registry or its mode is unknown)."""
    if reg is not None and abac_mode(reg) is True:
        return "Container Registry Repository Writer", "Container Registry Repository Reader"
    return "AcrPush", "AcrPull"


def demoted(rule: Any, severity: str) -> str:
    """The severity of a finding a rule reports below its default (``severity``), unless the configuration set the
    rule's severity, which then wins."""
    return severity if rule.severity == rule.meta.severity else str(rule.severity)


def known(*values: Any) -> bool:
    return not any(contains_unknown(v) for v in values)


def truthy(value: Any) -> bool | None:
    """A bool property: True/False, or None when Unknown; absent counts as False."""
    if isinstance(value, Unknown):
        return None
    if isinstance(value, str):
        return value.lower() == "true"
    return value is True


def attached_identities(res: Resource) -> tuple[bool, list[str]] | None:
    """(has a system-assigned identity, user-assigned identity IDs as written) of a resource; None when that cannot
    be told (an identity type, or a user-assigned key, that cannot be evaluated; an ASO reference by Kubernetes name)."""
    ident = res.get("identity")
    if ident is MISSING or ident is None:
        return False, []
    if not isinstance(ident, dict):
        return None
    itype = res.get("identity", "type")
    if itype is MISSING or itype is None:
        return False, []
    if not isinstance(itype, str):
        return None
    low = itype.replace(" ", "").lower()
    user: list[str] = []
    if "userassigned" in low:
        uas = res.get("identity", "userAssignedIdentities")
        if isinstance(uas, dict):
            for key in uas:
                if not isinstance(key, str) or key.startswith(("[", "aso:")):
                    return None
                user.append(key)
        elif uas not in (MISSING, None):
            return None
    return "systemassigned" in low, user


_GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.I)
_UA = "/microsoft.managedidentity/userassignedidentities/"


def client_id_problem(inv: Any, res: Resource, value: Any, user: list[str]) -> tuple[str, str] | None:
    """What is wrong with ``value``, a setting that must hold the client ID of one of ``res``'s user-assigned
    identities (``user``), as (kind, identity): ("principal-id", name), ("resource-id", name), ("not-attached", name)
    for the client ID of an identity ``res`` does not list, ("unknown-client-id", value) for a literal client ID none of
    its identities has (only when all their client IDs are known, as in az output); None when it is fine or cannot be
    told."""

    if isinstance(value, Unknown):
        origin = value.origin
        if not origin or origin[0] != "ref" or not isinstance(origin[1], str) or _UA not in origin[1]:
            return None
        target, name = origin[1], origin[1].rstrip("/").rsplit("/", 1)[-1]
        if origin[-1] == "principalid":
            return "principal-id", name
        if origin[-1] == "clientid" and not any(ids_match(target, u) for u in user):
            return "not-attached", name
        return None
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    if text.startswith("/"):
        return "resource-id", text.rstrip("/").rsplit("/", 1)[-1]
    if not _GUID.match(text) or not user:
        return None
    known: set[str] = set()
    info = res.get("identity", "userAssignedIdentities")
    for uid in user:
        entry = info.get(uid) if isinstance(info, dict) else None
        cid = entry.get("clientId") if isinstance(entry, dict) else None
        if not isinstance(cid, str):
            ua = inv.get(uid)
            cid = ua.get("properties", "clientId") if ua is not None and ua.type_lower == UA_IDENTITY else None
        if not isinstance(cid, str):
            return None
        known.add(cid.lower())
    return None if text.lower() in known else ("unknown-client-id", text)


def ip_rule_path(reg: Resource, i: int) -> tuple[Any, ...]:
    """Path of the address of IP rule ``i``: `value` in templates, `ipAddressOrRange` in `az acr show` output."""
    base = ("properties", "networkRuleSet", "ipRules", i)
    if reg.get(*base, "value") is MISSING and reg.get(*base, "ipAddressOrRange") is not MISSING:
        return (*base, "ipAddressOrRange")
    return (*base, "value")
