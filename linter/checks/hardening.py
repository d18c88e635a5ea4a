"""Registry hardening rules that stay Python (ACR405, ACR415, ACR421, ACR424): findings on several resources at once
(a registry's Premium features across its children and private endpoints; a registry's diagnostic settings), locations
from an option compared as Azure compares regions, and address parsing. Most hardening rules are declarative records
(rules/ACR4nn.yaml); the relations they ask about (private endpoints, replicas, clients that need ARM tokens) are
written here once and exposed to them as facts (linter/checks/facts.py).

Conventions: comparisons are case-insensitive; an absent property (or JSON null) takes the service default; a
value that cannot be evaluated makes the check say nothing.
"""
from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterator
from typing import Any

from linter.checks._registry_state import ci_eq, ip_rule_path, known, truthy
from linter.engine.registry import check
from linter.engine.run import RuleRun
from linter.inventory import PRIVATE_ENDPOINT, REGISTRY, Inventory, shape_of
from linter.model import MISSING, Finding, Resource, Unknown

REPLICATION = "microsoft.containerregistry/registries/replications"
TOKEN = "microsoft.containerregistry/registries/tokens"
AGENT_POOL = "microsoft.containerregistry/registries/agentpools"
CONNECTED_REGISTRY = "microsoft.containerregistry/registries/connectedregistries"
PE_CONNECTION = "microsoft.containerregistry/registries/privateendpointconnections"
DIAGNOSTIC_SETTING = "microsoft.insights/diagnosticsettings"
LEGACY_DIAGNOSTIC_SETTING = "microsoft.containerregistry/registries/providers/diagnosticsettings"

_POLICIES = ("properties", "policies")


# --------------------------------------------------------------------------------------------- helpers


def _sku(reg: Resource) -> str | None:
    """Lower-case SKU name, or None when absent or not known."""
    name = reg.get("sku", "name")
    return name.lower() if isinstance(name, str) else None


def location_key(value: Any) -> str | None:
    return value.replace(" ", "").lower() if isinstance(value, str) and value.strip() else None


def _parent_name(res: Resource) -> str:
    name = res.name
    if isinstance(name, str) and "/" in name:
        return name.split("/", 1)[0]
    return "<unknown registry>"


def child_name(res: Resource) -> str:
    """The last segment of a child resource's name (its label when the name cannot be evaluated)."""
    name = res.name
    if isinstance(name, str):
        return name.rsplit("/", 1)[-1]
    return res.label


def parent_label(inv: Inventory, child: Resource) -> str:
    """A child resource's registry as messages show it: its parent's name when the parent is in the linted files,
    else the first segment of the child's name."""
    parent = inv.parent(child)
    return parent.label if parent is not None else _parent_name(child)


# --------------------------------------------------------------------------------------------- network


_IPV4_TEXT = re.compile(r"^\d{1,3}(?:\.\d{1,3}){3}(?:/\d{1,2})?$")


@check("ACR421")
def broad_or_invalid_ip_rule(inv: Inventory, rule: RuleRun) -> Iterator[Finding]:
    for reg in inv.of_type(REGISTRY):
        rules = reg.get("properties", "networkRuleSet", "ipRules")
        if not isinstance(rules, list):
            continue
        for i in range(len(rules)):
            path = ip_rule_path(reg, i)
            value = reg.get(*path)
            if value is MISSING or isinstance(value, Unknown):
                continue
            text = value.strip() if isinstance(value, str) else None
            net = None
            if text is not None and _IPV4_TEXT.match(text):
                try:
                    net = ipaddress.IPv4Network(text, strict=False)
                except ValueError:
                    net = None
            if net is None:
                yield rule.finding(reg, path, variant="invalid-address", value=value)
            elif net.prefixlen < 8:
                yield rule.finding(reg, path, value=value, prefix=str(net.prefixlen), count=f"{net.num_addresses:,}")


def pe_connections(pe: Resource) -> Iterator[tuple[tuple[Any, ...], Any, Any]]:
    """(path, target, groupIds) for each connection of a Microsoft.Network/privateEndpoints resource."""
    for key in ("privateLinkServiceConnections", "manualPrivateLinkServiceConnections"):
        conns = pe.get("properties", key)
        if isinstance(conns, Unknown):
            yield ("properties", key), conns, MISSING
            continue
        if not isinstance(conns, list):
            continue
        for i, conn in enumerate(conns):
            base = ("properties", key, i)
            if isinstance(conn, Unknown):
                yield base, conn, MISSING
                continue
            if not isinstance(conn, dict):
                continue
            target = pe.get(*base, "properties", "privateLinkServiceId")
            groups = pe.get(*base, "properties", "groupIds")
            path: tuple[Any, ...] = base + ("properties", "privateLinkServiceId")
            if target is MISSING:  # Azure Service Operator flattens the connection's properties
                ref = pe.get(*base, "privateLinkServiceReference")
                groups = pe.get(*base, "groupIds")
                path = base + ("privateLinkServiceReference",)
                target = ref.get("armId", ref) if isinstance(ref, dict) else ref
            yield path, target, groups


def _targets(target: Any, reg: Resource) -> bool | None:
    """Does a private endpoint connection target ``reg``? None when it cannot be told."""
    rid = reg.id_lower
    if isinstance(target, str):
        return rid is not None and target.lower().rstrip("/") == rid
    if isinstance(target, dict):  # ASO reference to a Kubernetes resource: {group, kind, name}
        if str(target.get("kind", "")).lower() != "registry":
            return False
        return reg.source_kind == "aso" and str(target.get("name", "")).lower() == str(reg.extra.get("aso_name") or "").lower()
    if isinstance(target, Unknown):
        origin = target.origin
        if origin and len(origin) > 1 and isinstance(origin[1], str) and origin[1].startswith("/"):
            return rid is not None and origin[1].rstrip("/") == rid
        return None
    return False


def _not_a_registry_endpoint(groups: Any) -> bool:
    """groupIds known and without 'registry': the endpoint is for another kind of service."""
    return isinstance(groups, list) and bool(groups) and all(isinstance(g, str) for g in groups) and not any(
        g.lower() == "registry" for g in groups)


_DEAD_STATES = ("rejected", "disconnected")


def private_endpoint_state(inv: Inventory, reg: Resource) -> str:
    """'yes' when a private endpoint reaches the registry, 'no' when none can, 'maybe' when it cannot be told."""
    maybe = False
    listed = reg.get("properties", "privateEndpointConnections")
    if isinstance(listed, Unknown):
        maybe = True
    elif isinstance(listed, list):
        for i in range(len(listed)):
            status = reg.get("properties", "privateEndpointConnections", i, "properties", "privateLinkServiceConnectionState", "status")
            if status is MISSING:  # az output flattens each connection's properties too
                status = reg.get("properties", "privateEndpointConnections", i, "privateLinkServiceConnectionState", "status")
            if isinstance(status, Unknown):
                maybe = True
            elif not (isinstance(status, str) and status.lower() in _DEAD_STATES):
                return "yes"
    if inv.unattributed_child(reg, PE_CONNECTION):
        maybe = True
    for conn in inv.registry_children(reg, PE_CONNECTION):
        status = conn.get("properties", "privateLinkServiceConnectionState", "status")
        if isinstance(status, Unknown):
            maybe = True
        elif not (isinstance(status, str) and status.lower() in _DEAD_STATES):
            return "yes"
    for pe in inv.of_type(PRIVATE_ENDPOINT):
        for _path, target, groups in pe_connections(pe):
            hit = _targets(target, reg)
            if hit:
                return "yes"
            if hit is None and not _not_a_registry_endpoint(groups) and inv.may_concern(pe, reg, target):
                maybe = True
    return "maybe" if maybe else "no"


def _endpoints_of(inv: Inventory, reg: Resource) -> Iterator[tuple[Resource, tuple[Any, ...], str]]:
    """Private endpoints that certainly target ``reg``: (resource, path, description)."""
    listed = reg.get("properties", "privateEndpointConnections")
    if isinstance(listed, list) and listed:
        yield reg, ("properties", "privateEndpointConnections"), "private endpoint connections"
    for conn in inv.registry_children(reg, PE_CONNECTION):
        yield conn, (), f"private endpoint connection '{child_name(conn)}'"
    for pe in inv.of_type(PRIVATE_ENDPOINT):
        for path, target, _groups in pe_connections(pe):
            if _targets(target, reg):
                yield pe, path, f"private endpoint '{pe.label}'"
                break


# --------------------------------------------------------------------------------------------- SKU


def _premium_features(inv: Inventory, reg: Resource) -> Iterator[tuple[Resource, tuple[Any, ...], str]]:
    net = ("properties", "networkRuleSet")
    ips = reg.get(*net, "ipRules")
    if isinstance(ips, list) and ips:
        yield reg, net + ("ipRules",), "IP access rules (networkRuleSet.ipRules)"
    vnets = reg.get(*net, "virtualNetworkRules")
    if isinstance(vnets, list) and vnets:
        yield reg, net + ("virtualNetworkRules",), "virtual network rules (networkRuleSet.virtualNetworkRules)"
    if ci_eq(reg.get(*net, "defaultAction"), "Deny"):
        yield reg, net + ("defaultAction",), "network rules (networkRuleSet.defaultAction Deny)"
    yield from _endpoints_of(inv, reg)
    for repl in inv.registry_children(reg, REPLICATION):
        yield repl, ("location",), f"geo-replication (replication '{child_name(repl)}')"
    if ci_eq(reg.get(*_POLICIES, "retentionPolicy", "status"), "enabled"):
        yield reg, _POLICIES + ("retentionPolicy", "status"), "the retention policy"
    if ci_eq(reg.get(*_POLICIES, "exportPolicy", "status"), "disabled"):
        yield reg, _POLICIES + ("exportPolicy", "status"), "disabling exports (exportPolicy.status disabled)"
    if ci_eq(reg.get(*_POLICIES, "trustPolicy", "status"), "enabled"):
        yield reg, _POLICIES + ("trustPolicy", "status"), "content trust (trustPolicy)"
    if ci_eq(reg.get("properties", "encryption", "status"), "enabled"):
        yield reg, ("properties", "encryption", "status"), "customer-managed key encryption"
    if truthy(reg.get("properties", "dataEndpointEnabled")):
        yield reg, ("properties", "dataEndpointEnabled"), "dedicated data endpoints (dataEndpointEnabled)"
    if ci_eq(reg.get("properties", "regionalEndpoints"), "Enabled"):
        yield reg, ("properties", "regionalEndpoints"), "regional endpoints"
    for pool in inv.registry_children(reg, AGENT_POOL):
        yield pool, (), f"a dedicated agent pool ('{child_name(pool)}')"
    for conn in inv.registry_children(reg, CONNECTED_REGISTRY):
        yield conn, (), f"a connected registry ('{child_name(conn)}')"


@check("ACR405")
def premium_feature_on_lower_sku(inv: Inventory, rule: RuleRun) -> Iterator[Finding]:
    for reg in inv.of_type(REGISTRY):
        sku = _sku(reg)
        if sku not in ("basic", "standard"):
            continue
        shown = reg.get("sku", "name")
        for res, path, feature in _premium_features(inv, reg):
            yield rule.finding(res, path, registry=reg.label, sku=shown, feature=feature)
        if sku == "basic" and truthy(reg.get("properties", "anonymousPullEnabled")):
            yield rule.finding(reg, ("properties", "anonymousPullEnabled"), variant="anonymous-pull-on-basic", registry=reg.label)
        if ci_eq(reg.get("properties", "publicNetworkAccess"), "Disabled"):
            yield rule.finding(reg, ("properties", "publicNetworkAccess"), variant="public-access-disabled-on-lower-sku", registry=reg.label, sku=shown)


# --------------------------------------------------------------------------------------------- clients


def arm_token_clients(inv: Inventory, reg: Resource) -> list[Any]:
    """Clients that pull from ``reg`` with a managed identity and so need ARM-audience tokens: Container Apps (a
    registries[] entry with an identity) and App Service sites and slots (siteConfig.acrUseManagedIdentityCreds)."""
    out = []
    for use in inv.clients:
        if use.registry is not reg:
            continue
        if use.kind == "container-app":
            ident = (use.credential or {}).get("identity", MISSING)
            if isinstance(ident, str) and ident.strip():
                out.append(use)
        elif use.kind == "app-service" and truthy(use.client.get("properties", "siteConfig", "acrUseManagedIdentityCreds")):
            out.append(use)
    return out


# --------------------------------------------------------------------------------------------- replicas


@check("ACR415")
def replica_location_not_allowed(inv: Inventory, rule: RuleRun) -> Iterator[Finding]:
    allowed = rule.options.get("allowed_locations") or []
    if not allowed:
        return
    wanted = {location_key(a) for a in allowed if isinstance(a, str)}
    shown = ", ".join(str(a) for a in allowed)
    for repl in inv.of_type(REPLICATION):
        where = repl.get("location")
        place = location_key(where)
        if place is None or place in wanted:
            continue
        yield rule.finding(repl, ("location",), registry=parent_label(inv, repl), replica=child_name(repl),
                           value=where, allowed=shown)




# --------------------------------------------------------------------------------------------- logging


_LOGIN = "containerregistryloginevents"
_REPOSITORY = "containerregistryrepositoryevents"
_GROUPS = ("audit", "alllogs")


def _logged_categories(setting: Resource) -> set[str] | None:
    """Categories a diagnostic setting sends (a category group counts as both); None when it cannot be told."""
    logs = setting.get("properties", "logs")
    if isinstance(logs, Unknown):
        return None
    out: set[str] = set()
    if not isinstance(logs, list):
        return out
    for i in range(len(logs)):
        enabled = truthy(setting.get("properties", "logs", i, "enabled"))
        category = setting.get("properties", "logs", i, "category")
        group = setting.get("properties", "logs", i, "categoryGroup")
        if enabled is None or not known(category, group):
            return None
        if not enabled:
            continue
        if isinstance(group, str) and group.lower() in _GROUPS:
            out |= {_LOGIN, _REPOSITORY}
        if isinstance(category, str):
            out.add(category.lower())
    return out


def _setting_scope(setting: Resource) -> Any:
    """What is known of the resource a diagnostic setting whose ID is unknown is attached to."""
    shape = shape_of(setting.id)
    if shape is not None and "/providers/microsoft.insights/" in shape.lower():
        return Unknown("scope of a diagnostic setting", shape=shape[: shape.lower().rindex("/providers/microsoft.insights/")])
    return MISSING


@check("ACR424")
def no_audit_diagnostics(inv: Inventory, rule: RuleRun) -> Iterator[Finding]:
    settings = inv.of_type(DIAGNOSTIC_SETTING, LEGACY_DIAGNOSTIC_SETTING)
    unplaced = [s for s in settings if not isinstance(s.id, str)]
    for reg in inv.of_type(REGISTRY):
        rid = reg.id_lower
        if rid is None:
            continue
        if any(inv.may_concern(s, reg, _setting_scope(s)) for s in unplaced):
            continue  # a setting whose scope cannot be told might be on this registry
        prefix = rid + "/providers/microsoft.insights/diagnosticsettings/"
        mine = [s for s in settings if isinstance(s.id, str) and s.id.lower().startswith(prefix)]
        sent: set[str] = set()
        unknown = False
        for s in mine:
            got = _logged_categories(s)
            if got is None:
                unknown = True
            else:
                sent |= got
        if unknown or {_LOGIN, _REPOSITORY} <= sent:
            continue
        if not mine:
            yield rule.finding(reg, ())
            continue
        missing = [name for key, name in ((_LOGIN, "ContainerRegistryLoginEvents"), (_REPOSITORY, "ContainerRegistryRepositoryEvents")) if key not in sent]
        yield rule.finding(mine[0], ("properties", "logs"), registry=reg.label, variant="missing-categories", missing=" or ".join(missing))


