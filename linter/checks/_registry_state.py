"""Shared questions about a registry's configuration, answered True, False, or None when Unknown."""
from __future__ import annotations

from typing import Any

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


def bypass_on(reg: Resource) -> bool | None:
    """networkRuleBypassOptions AzureServices, or absent (the service default)."""
    value = reg.get("properties", "networkRuleBypassOptions", default="AzureServices")
    if value is None or ci_eq(value, "AzureServices"):
        return True
    if ci_eq(value, "None"):
        return False
    return None


def bypass_explicit(reg: Resource) -> bool:
    return reg.get("properties", "networkRuleBypassOptions") is not MISSING


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


def known(*values: Any) -> bool:
    return not any(contains_unknown(v) for v in values)


def truthy(value: Any) -> bool | None:
    """A bool property: True/False, or None when Unknown; absent counts as False."""
    if isinstance(value, Unknown):
        return None
    if isinstance(value, str):
        return value.lower() == "true"
    return value is True
