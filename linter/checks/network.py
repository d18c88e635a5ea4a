"""Network rules (ACR428, ACR433): private DNS for registry private endpoints, and network settings that have no
effect (address parsing, and a registry's rules against its private endpoints' networks).

Only Premium registries can have network rules or private endpoints (ACR405 reports them on lower SKUs), so these
rules look at Premium registries (or registries without a SKU in the input) only.
"""
from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterator
from typing import Any

from linter.checks._registry_state import can_restrict, ci_eq, ip_rule_path, public_access_disabled
from linter.checks.hardening import pe_connections
from linter.engine.registry import check
from linter.engine.run import RuleRun
from linter.inventory import PRIVATE_ENDPOINT, REGISTRY, Inventory
from linter.model import MISSING, Finding, Resource, Unknown

ZONE_GROUP = "microsoft.network/privateendpoints/privatednszonegroups"
DNS_A_RECORD = "microsoft.network/privatednszones/a"
_REGISTRY_ZONE = re.compile(r"/privatednszones/privatelink\.azurecr\.[a-z.]+$", re.I)
_TEMPLATE_KINDS = ("arm", "arm-yaml")

# Addresses that never reach a registry's public endpoint (RFC 1918, shared address space, loopback, link-local).
_PRIVATE_NETS = tuple(ipaddress.IPv4Network(n) for n in (
    "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16"))
_IPV4 = re.compile(r"^\d{1,3}(?:\.\d{1,3}){3}(?:/\d{1,2})?$")


# --------------------------------------------------------------------------------------------- ACR428


def _registry_connection(inv: Inventory, pe: Resource) -> tuple[tuple[Any, ...], str] | None:
    """(path, registry label) of a private endpoint connection to a container registry (group 'registry', or a target
    that is a registry in the inventory), or None."""
    for path, target, groups in pe_connections(pe):
        known_groups = isinstance(groups, list) and all(isinstance(g, str) for g in groups)
        registry_group = known_groups and any(g.lower() == "registry" for g in groups)
        if known_groups and not registry_group:
            continue
        reg = inv.registry_for(target) if isinstance(target, (str, Unknown)) else None
        if reg is not None:
            return path, reg.label
        if registry_group:
            label = target.rstrip("/").rsplit("/", 1)[-1] if isinstance(target, str) and target.strip() else "a container registry"
            return path, label
    return None


def _zone_ids(group: Resource) -> list[Any] | None:
    """The private DNS zone IDs a zone group links (values may be Unknown); None when its configs cannot be read."""
    configs = group.get("properties", "privateDnsZoneConfigs")
    if isinstance(configs, Unknown):
        return None
    if not isinstance(configs, list):
        return []
    out: list[Any] = []
    for i in range(len(configs)):
        zone = group.get("properties", "privateDnsZoneConfigs", i, "properties", "privateDnsZoneId")
        if zone is MISSING:
            zone = group.get("properties", "privateDnsZoneConfigs", i, "privateDnsZoneId")
        out.append(zone)
    return out


def _manual_registry_records(inv: Inventory) -> bool:
    """A records in a privatelink.azurecr.* zone: the DNS is managed by hand (the private-link article documents it)."""
    for record in inv.of_type(DNS_A_RECORD):
        name = record.name
        if not isinstance(name, str) or name.lower().startswith("privatelink.azurecr."):
            return True
    return False


@check("ACR428")
def endpoint_without_dns_zone(inv: Inventory, rule: RuleRun) -> Iterator[Finding]:
    groups = inv.of_type(ZONE_GROUP)
    if any(not isinstance(g.id, str) for g in groups) or _manual_registry_records(inv):
        return  # a zone group that cannot be attributed may be this endpoint's; hand-made records are DNS too
    for pe in inv.of_type(PRIVATE_ENDPOINT):
        if pe.source_kind not in _TEMPLATE_KINDS:
            continue  # az and ASO output carry no zone groups (they are separate resources)
        found = _registry_connection(inv, pe)
        if found is None:
            continue
        path, label = found
        mine = inv.children(pe, ZONE_GROUP)
        if not mine:
            yield rule.finding(pe, path, registry=label)
            continue
        zones: list[Any] = []
        for group in mine:
            ids = _zone_ids(group)
            if ids is None:
                zones.append(Unknown("zone configs"))
            else:
                zones.extend(ids)
        if any(isinstance(z, Unknown) or (isinstance(z, str) and _REGISTRY_ZONE.search(z.rstrip("/"))) for z in zones):
            continue
        yield rule.finding(mine[0], ("properties", "privateDnsZoneConfigs"), variant="zone-group-without-registry-zone", registry=label,
                           endpoint=pe.label)


# --------------------------------------------------------------------------------------------- ACR432


# --------------------------------------------------------------------------------------------- ACR433


def _network(value: Any) -> ipaddress.IPv4Network | None:
    if not isinstance(value, str) or not _IPV4.match(value.strip()):
        return None
    try:
        return ipaddress.IPv4Network(value.strip(), strict=False)
    except ValueError:
        return None


def _vnet_of(subnet_id: Any) -> str | None:
    """The virtual network ID of a subnet ID, lower-case, or None."""
    if not isinstance(subnet_id, str):
        return None
    low = subnet_id.strip().rstrip("/").lower()
    head, sep, _ = low.rpartition("/subnets/")
    return head if sep and "/virtualnetworks/" in head else None


def _endpoint_networks(inv: Inventory, reg: Resource) -> dict[str, Resource]:
    """Virtual networks of the private endpoints in the inventory that certainly target ``reg``."""
    out: dict[str, Resource] = {}
    for pe in inv.of_type(PRIVATE_ENDPOINT):
        if any(inv.registry_for(target) is reg for _path, target, _groups in pe_connections(pe)):
            vnet = _vnet_of(pe.get("properties", "subnet", "id"))
            if vnet:
                out[vnet] = pe
    return out


@check("ACR433")
def network_setting_without_effect(inv: Inventory, rule: RuleRun) -> Iterator[Finding]:
    for reg in inv.of_type(REGISTRY):
        if can_restrict(reg) is not True:
            continue  # Basic/Standard: ACR405 reports the settings
        disabled = public_access_disabled(reg)
        if disabled is None:
            continue
        net = ("properties", "networkRuleSet")
        ips = reg.get(*net, "ipRules")
        vnets = reg.get(*net, "virtualNetworkRules")
        action = reg.get(*net, "defaultAction", default="Allow")
        if disabled:
            if isinstance(ips, list) and ips:
                yield rule.finding(reg, net + ("ipRules",))
            if isinstance(vnets, list) and vnets:
                yield rule.finding(reg, net + ("virtualNetworkRules",), variant="vnet-rules-while-disabled")
            continue
        if isinstance(ips, list) and ips and ci_eq(action, "Allow"):
            yield rule.finding(reg, net + ("ipRules",), variant="ip-rules-while-allowed")
        if isinstance(ips, list):
            for i in range(len(ips)):
                path = ip_rule_path(reg, i)
                value = reg.get(*path)
                found = _network(value)
                if found is not None and any(found.subnet_of(p) for p in _PRIVATE_NETS if p.prefixlen <= found.prefixlen):
                    yield rule.finding(reg, path, variant="private-ip-rule", value=value)
        if isinstance(vnets, list) and vnets:
            endpoints = _endpoint_networks(inv, reg)
            for i in range(len(vnets)):
                subnet = reg.get(*net, "virtualNetworkRules", i, "id")
                if subnet is MISSING:
                    subnet = reg.get(*net, "virtualNetworkRules", i, "virtualNetworkSubnetResourceId")
                vnet = _vnet_of(subnet)
                pe = endpoints.get(vnet) if vnet else None
                if pe is not None:
                    yield rule.finding(reg, net + ("virtualNetworkRules", i), variant="vnet-with-private-endpoint", endpoint=pe.label)

