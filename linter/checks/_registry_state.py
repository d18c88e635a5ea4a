"""Shared questions about a registry's configuration, answered True, False, or None when Unknown."""
from __future__ import annotations

from typing import Any

from linter.model import MISSING, Resource, Unknown, contains_unknown


def ci_eq(value: Any, text: str) -> bool:
    return isinstance(value, str) and value.lower() == text.lower()


def network_restricted(reg: Resource) -> bool | None:
    """publicNetworkAccess Disabled or networkRuleSet.defaultAction Deny (defaults Enabled / Allow)."""
    pna = reg.get("properties", "publicNetworkAccess", default="Enabled")
    action = reg.get("properties", "networkRuleSet", "defaultAction", default="Allow")
    if ci_eq(pna, "Disabled") or ci_eq(action, "Deny"):
        return True
    if isinstance(pna, Unknown) or isinstance(action, Unknown):
        return None
    return False


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


def known(*values: Any) -> bool:
    return not any(contains_unknown(v) for v in values)


def truthy(value: Any) -> bool | None:
    """A bool property: True/False, or None when Unknown; absent counts as False."""
    if isinstance(value, Unknown):
        return None
    if isinstance(value, str):
        return value.lower() == "true"
    return value is True
