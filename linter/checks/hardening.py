"""Registry hardening rules (ACR401-ACR425) that need more than one resource, an option, address parsing, or a
service default for an absent property.

Why some single-resource checks are here rather than declarative: a declarative finding for an *absent*
property comes from a ``required`` error whose instance is the containing object, and the engine stays silent
when that object holds an Unknown anywhere (a parameter without a value elsewhere in ``properties``). The checks
below look only at the values they need, so an unrelated Unknown does not hide them.

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
CACHE_RULE = "microsoft.containerregistry/registries/cacherules"
AGENT_POOL = "microsoft.containerregistry/registries/agentpools"
CONNECTED_REGISTRY = "microsoft.containerregistry/registries/connectedregistries"
PE_CONNECTION = "microsoft.containerregistry/registries/privateendpointconnections"
EXPORT_PIPELINE = "microsoft.containerregistry/registries/exportpipelines"
DIAGNOSTIC_SETTING = "microsoft.insights/diagnosticsettings"
LEGACY_DIAGNOSTIC_SETTING = "microsoft.containerregistry/registries/providers/diagnosticsettings"

_POLICIES = ("properties", "policies")


# --------------------------------------------------------------------------------------------- helpers


def _setting(res: Resource, *path: Any, default: Any) -> Any:
    """The value at ``path``, or ``default`` when it is absent or null (the service default applies)."""
    value = res.get(*path)
    if value is MISSING or value is None:
        return default
    return value


def _sku(reg: Resource) -> str | None:
    """Lower-case SKU name, or None when absent or not known."""
    name = reg.get("sku", "name")
    return name.lower() if isinstance(name, str) else None


def _location(value: Any) -> str | None:
    return value.replace(" ", "").lower() if isinstance(value, str) and value.strip() else None


def _is_present(res: Resource, *path: Any) -> bool:
    return res.get(*path) not in (MISSING, None)


def _parent_name(res: Resource) -> str:
    name = res.name
    if isinstance(name, str) and "/" in name:
        return name.split("/", 1)[0]
    return "<unknown registry>"


def _child_name(res: Resource) -> str:
    name = res.name
    if isinstance(name, str):
        return name.rsplit("/", 1)[-1]
    return res.label


def _registry_label(inv: Inventory, child: Resource) -> str:
    parent = inv.parent(child)
    return parent.label if parent is not None else _parent_name(child)


def _aso_owners(inv: Inventory, child: Resource) -> list[Resource] | None:
    """ASO registries a child manifest's owner reference (by Kubernetes name) can mean; None when it is not such a
    child. Manifests do not say the owner's resource group, so the child's resource ID cannot be matched."""
    owner = child.extra.get("aso_owner") if child.source_kind == "aso" else None
    if not isinstance(owner, dict) or owner.get("armId") or not isinstance(owner.get("name"), str):
        return None
    name = owner["name"].lower()
    return [r for r in inv.of_type(REGISTRY) if r.source_kind == "aso" and str(r.extra.get("aso_name") or "").lower() == name]


def _children(inv: Inventory, reg: Resource, child_type: str) -> list[Resource]:
    """Children of ``reg`` by resource ID; for ASO manifests by owner name, when exactly one ASO registry in the
    inventory has that name (samples linted together often reuse a name: then the owner is ambiguous)."""
    out = list(inv.children(reg, child_type))
    if reg.source_kind == "aso":
        for child in inv.of_type(child_type):
            owners = _aso_owners(inv, child)
            if owners is not None and len(owners) == 1 and owners[0] is reg and not any(child is c for c in out):
                out.append(child)
    return out


def _unrelated(inv: Inventory, reg: Resource, child_type: str) -> bool:
    """Some child of this type cannot be attributed to a registry (its ID cannot be evaluated, or its ASO owner
    name is ambiguous) and may belong to ``reg`` (see Inventory.may_concern)."""
    for child in inv.of_type(child_type):
        owners = _aso_owners(inv, child)
        if owners is not None:
            if len(owners) > 1 and any(o is reg for o in owners):
                return True
        elif not isinstance(child.id, str) and inv.may_concern(child, reg):
            return True
    return False


# --------------------------------------------------------------------------------------------- network


@check("ACR403")
def unrestricted_network_access(inv: Inventory, rule: RuleRun) -> Iterator[Finding]:
    for reg in inv.of_type(REGISTRY):
        pna = _setting(reg, "properties", "publicNetworkAccess", default="Enabled")
        action = _setting(reg, "properties", "networkRuleSet", "defaultAction", default="Allow")
        if ci_eq(pna, "Disabled") or ci_eq(action, "Deny") or not known(pna, action):
            continue
        if not (ci_eq(pna, "Enabled") and ci_eq(action, "Allow")):
            continue  # a value outside the enum: the schema rules report it
        if _is_present(reg, "properties", "publicNetworkAccess"):
            path: tuple[Any, ...] = ("properties", "publicNetworkAccess")
        elif _is_present(reg, "properties", "networkRuleSet", "defaultAction"):
            path = ("properties", "networkRuleSet", "defaultAction")
        else:
            path = ("properties", "publicNetworkAccess")
        yield rule.finding(reg, path)


@check("ACR404")
def public_network_access_enabled(inv: Inventory, rule: RuleRun) -> Iterator[Finding]:
    for reg in inv.of_type(REGISTRY):
        pna = _setting(reg, "properties", "publicNetworkAccess", default="Enabled")
        if isinstance(pna, Unknown) or ci_eq(pna, "Disabled"):
            continue
        yield rule.finding(reg, ("properties", "publicNetworkAccess"), value=pna)


_IPV4_TEXT = re.compile(r"^\d{1,3}(?:\.\d{1,3}){3}(?:/\d{1,2})?$")


@check("ACR421")
def broad_or_invalid_ip_rule(inv: Inventory, rule: RuleRun) -> Iterator[Finding]:
    invalid = ("Registry '{resource}' has an IP rule with the invalid value '{value}': registry IP rules take an "
               "IPv4 address or an IPv4 CIDR range such as 203.0.113.0/24")
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
                yield rule.finding(reg, path, message=invalid, value=value)
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
    if _unrelated(inv, reg, PE_CONNECTION):
        maybe = True
    for conn in _children(inv, reg, PE_CONNECTION):
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
    for conn in _children(inv, reg, PE_CONNECTION):
        yield conn, (), f"private endpoint connection '{_child_name(conn)}'"
    for pe in inv.of_type(PRIVATE_ENDPOINT):
        for path, target, _groups in pe_connections(pe):
            if _targets(target, reg):
                yield pe, path, f"private endpoint '{pe.label}'"
                break


@check("ACR422")
def private_endpoint_missing(inv: Inventory, rule: RuleRun) -> Iterator[Finding]:
    info = ("Premium registry '{resource}' has no private endpoint: add a private endpoint (group 'registry') so "
            "clients in your virtual networks reach it privately, then disable public network access")
    for reg in inv.of_type(REGISTRY):
        pna = _setting(reg, "properties", "publicNetworkAccess", default="Enabled")
        if isinstance(pna, Unknown):
            continue
        if private_endpoint_state(inv, reg) != "no":
            continue
        if ci_eq(pna, "Disabled"):
            if _sku(reg) in ("basic", "standard", "classic"):
                continue  # it cannot have a private endpoint; ACR405 reports the SKU
            yield rule.finding(reg, ("properties", "publicNetworkAccess"))
        elif _sku(reg) == "premium":
            severity = "info" if rule.severity == rule.meta.severity else rule.severity
            yield rule.finding(reg, ("properties", "privateEndpointConnections"), severity=severity, message=info)


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
    for repl in _children(inv, reg, REPLICATION):
        yield repl, ("location",), f"geo-replication (replication '{_child_name(repl)}')"
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
    for pool in _children(inv, reg, AGENT_POOL):
        yield pool, (), f"a dedicated agent pool ('{_child_name(pool)}')"
    for conn in _children(inv, reg, CONNECTED_REGISTRY):
        yield conn, (), f"a connected registry ('{_child_name(conn)}')"


@check("ACR405")
def premium_feature_on_lower_sku(inv: Inventory, rule: RuleRun) -> Iterator[Finding]:
    anonymous = ("Registry '{registry}' uses the Basic SKU, but anonymous pull (anonymousPullEnabled) needs Standard "
                 "or Premium: upgrade the SKU or set anonymousPullEnabled to false")
    no_public = ("Registry '{registry}' uses the {sku} SKU but sets publicNetworkAccess to Disabled: Azure rejects the "
                 "deployment (DisablingPublicNetworkAccessNotSupported) because only Premium registries can disable public "
                 "access; upgrade the registry to Premium or keep public network access enabled")
    for reg in inv.of_type(REGISTRY):
        sku = _sku(reg)
        if sku not in ("basic", "standard"):
            continue
        shown = reg.get("sku", "name")
        for res, path, feature in _premium_features(inv, reg):
            yield rule.finding(res, path, registry=reg.label, sku=shown, feature=feature)
        if sku == "basic" and truthy(reg.get("properties", "anonymousPullEnabled")):
            yield rule.finding(reg, ("properties", "anonymousPullEnabled"), message=anonymous, registry=reg.label)
        if ci_eq(reg.get("properties", "publicNetworkAccess"), "Disabled"):
            yield rule.finding(reg, ("properties", "publicNetworkAccess"), message=no_public, registry=reg.label, sku=shown)


# --------------------------------------------------------------------------------------------- policies


def _policy_status(reg: Resource, policy: str, default: str) -> Any:
    return _setting(reg, *_POLICIES, policy, "status", default=default)


@check("ACR407")
def quarantine_disabled(inv: Inventory, rule: RuleRun) -> Iterator[Finding]:
    for reg in inv.of_type(REGISTRY):
        status = _policy_status(reg, "quarantinePolicy", "disabled")
        if isinstance(status, Unknown) or ci_eq(status, "enabled"):
            continue
        yield rule.finding(reg, _POLICIES + ("quarantinePolicy", "status"), value=status)


def _retention_on(reg: Resource) -> Any:
    status = _policy_status(reg, "retentionPolicy", "disabled")
    return status if isinstance(status, Unknown) else ci_eq(status, "enabled")


def _soft_delete_on(reg: Resource) -> Any:
    """softDeletePolicy enabled (True/False/Unknown); a policy the API version does not define is absent, so off."""
    status = _policy_status(reg, "softDeletePolicy", "disabled")
    return status if isinstance(status, Unknown) else ci_eq(status, "enabled")


@check("ACR408")
def retention_disabled(inv: Inventory, rule: RuleRun) -> Iterator[Finding]:
    for reg in inv.of_type(REGISTRY):
        if _sku(reg) != "premium":
            continue
        on = _retention_on(reg)
        # ACR does not allow the retention policy and the soft-delete policy together: soft delete is a choice.
        if on is False and _soft_delete_on(reg) is False:
            yield rule.finding(reg, _POLICIES + ("retentionPolicy", "status"))


_SOFT_DELETE_FIRST = "2022-02-01"


def _soft_delete_version(reg: Resource) -> bool:
    """A preview API version that defines policies.softDeletePolicy (2022-02-01-preview and later previews)."""
    version = reg.api_version if isinstance(reg.api_version, str) else reg.get("apiVersion")
    return isinstance(version, str) and "preview" in version.lower() and version[:10] >= _SOFT_DELETE_FIRST


@check("ACR409")
def soft_delete_disabled(inv: Inventory, rule: RuleRun) -> Iterator[Finding]:
    for reg in inv.of_type(REGISTRY):
        if not _soft_delete_version(reg):
            continue
        # The soft-delete preview cannot be combined with a retention policy or with geo-replication.
        if _retention_on(reg) is not False or _children(inv, reg, REPLICATION) or _unrelated(inv, reg, REPLICATION):
            continue
        status = _policy_status(reg, "softDeletePolicy", "disabled")
        if isinstance(status, Unknown) or ci_eq(status, "enabled"):
            continue
        yield rule.finding(reg, _POLICIES + ("softDeletePolicy", "status"))


@check("ACR410")
def exports_allowed(inv: Inventory, rule: RuleRun) -> Iterator[Finding]:
    public = ("Registry '{resource}' sets exportPolicy to disabled but publicNetworkAccess is {value}: exports are "
              "only blocked (and the setting only accepted) when publicNetworkAccess is Disabled")
    for reg in inv.of_type(REGISTRY):
        export = _policy_status(reg, "exportPolicy", "enabled")
        pna = _setting(reg, "properties", "publicNetworkAccess", default="Enabled")
        if isinstance(export, str) and not ci_eq(export, "disabled"):
            yield rule.finding(reg, _POLICIES + ("exportPolicy", "status"), value=export)
        elif ci_eq(export, "disabled") and isinstance(pna, str) and not ci_eq(pna, "Disabled"):
            yield rule.finding(reg, ("properties", "publicNetworkAccess"), message=public, value=pna)


@check("ACR434")
def export_pipeline_with_exports_disabled(inv: Inventory, rule: RuleRun) -> Iterator[Finding]:
    for reg in inv.of_type(REGISTRY):
        if not ci_eq(reg.get(*_POLICIES, "exportPolicy", "status"), "disabled"):
            continue
        for pipeline in _children(inv, reg, EXPORT_PIPELINE):
            yield rule.finding(pipeline, (), registry=reg.label, pipeline=_child_name(pipeline))


def _arm_token_clients(inv: Inventory, reg: Resource) -> list[Any]:
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


@check("ACR411")
def arm_audience_tokens_allowed(inv: Inventory, rule: RuleRun) -> Iterator[Finding]:
    for reg in inv.of_type(REGISTRY):
        status = _policy_status(reg, "azureADAuthenticationAsArmPolicy", "enabled")
        if isinstance(status, Unknown) or ci_eq(status, "disabled"):
            continue
        if _arm_token_clients(inv, reg):
            continue  # ACR425: a Container App in the inventory still needs them
        yield rule.finding(reg, _POLICIES + ("azureADAuthenticationAsArmPolicy", "status"))


@check("ACR412")
def no_customer_managed_key(inv: Inventory, rule: RuleRun) -> Iterator[Finding]:
    for reg in inv.of_type(REGISTRY):
        status = _setting(reg, "properties", "encryption", "status", default="disabled")
        if isinstance(status, Unknown) or ci_eq(status, "enabled"):
            continue
        yield rule.finding(reg, ("properties", "encryption", "status"))


# --------------------------------------------------------------------------------------------- replicas


@check("ACR414")
def no_geo_replica(inv: Inventory, rule: RuleRun) -> Iterator[Finding]:
    for reg in inv.of_type(REGISTRY):
        if _sku(reg) != "premium":
            continue
        replicas = _children(inv, reg, REPLICATION)
        if not replicas and _unrelated(inv, reg, REPLICATION):
            continue
        if replicas:
            home = _location(reg.get("location"))
            places = [_location(r.get("location")) for r in replicas]
            if home is None or None in places or any(p != home for p in places):
                continue
        yield rule.finding(reg, ("location",), value=reg.get("location"))


@check("ACR415")
def replica_location_not_allowed(inv: Inventory, rule: RuleRun) -> Iterator[Finding]:
    allowed = rule.options.get("allowed_locations") or []
    if not allowed:
        return
    wanted = {_location(a) for a in allowed if isinstance(a, str)}
    shown = ", ".join(str(a) for a in allowed)
    for repl in inv.of_type(REPLICATION):
        where = repl.get("location")
        place = _location(where)
        if place is None or place in wanted:
            continue
        yield rule.finding(repl, ("location",), registry=_registry_label(inv, repl), replica=_child_name(repl),
                           value=where, allowed=shown)


# --------------------------------------------------------------------------------------------- children


@check("ACR417")
def token_enabled(inv: Inventory, rule: RuleRun) -> Iterator[Finding]:
    for tok in inv.of_type(TOKEN):
        status = _setting(tok, "properties", "status", default="enabled")
        if isinstance(status, Unknown) or ci_eq(status, "disabled"):
            continue
        yield rule.finding(tok, ("properties", "status"), registry=_registry_label(inv, tok), token=_child_name(tok))


@check("ACR418")
def cache_rule_defined(inv: Inventory, rule: RuleRun) -> Iterator[Finding]:
    for cache in inv.of_type(CACHE_RULE):
        source = cache.get("properties", "sourceRepository")
        path = ("properties", "sourceRepository") if source is not MISSING else ()
        yield rule.finding(cache, path, registry=_registry_label(inv, cache), cache_rule=_child_name(cache),
                           value=source if isinstance(source, str) else "an upstream registry")


# --------------------------------------------------------------------------------------------- naming


_MAX_NAME_CHECKED = 1000  # longer names are invalid anyway (ACR419): not matched against the pattern


@check("ACR420")
def name_pattern(inv: Inventory, rule: RuleRun) -> Iterator[Finding]:
    from linter.engine.linear_regex import PatternError, compile_pattern

    pattern = rule.options.get("pattern") or ""
    if not pattern:
        return
    try:  # linear time whatever the pattern and the name (a configuration can come in a pull request)
        compiled = compile_pattern(pattern)
    except PatternError as exc:
        raise ValueError(f"option 'pattern' is not a usable regular expression: {exc}") from None
    for reg in inv.of_type(REGISTRY):
        if isinstance(reg.name, str) and len(reg.name) <= _MAX_NAME_CHECKED and not compiled.fullmatch(reg.name):
            yield rule.finding(reg, ("name",), value=reg.name, pattern=pattern)


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
    partial = ("Registry '{registry}' has diagnostic settings, but none sends {missing}: add the missing categories "
               "(or the 'audit' category group) so that logins and pushes, pulls and deletes are recorded")
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
        yield rule.finding(mine[0], ("properties", "logs"), registry=reg.label, message=partial, missing=" or ".join(missing))


# --------------------------------------------------------------------------------------------- clients


@check("ACR425")
def arm_tokens_needed(inv: Inventory, rule: RuleRun) -> Iterator[Finding]:
    web = ("App Service '{resource}' pulls from registry '{registry}' with a managed identity (acrUseManagedIdentityCreds), "
           "but the registry refuses ARM-audience tokens (azureADAuthenticationAsArmPolicy disabled): Web Apps image "
           "pulls rely on ARM-scoped credentials, so the pull fails; enable the policy on the registry or pull with "
           "other credentials")
    for reg in inv.of_type(REGISTRY):
        status = reg.get(*_POLICIES, "azureADAuthenticationAsArmPolicy", "status")
        if not ci_eq(status, "disabled"):
            continue
        for use in _arm_token_clients(inv, reg):
            if use.kind == "app-service":
                yield rule.finding(use.client, ("properties", "siteConfig", "acrUseManagedIdentityCreds"), message=web,
                                   registry=reg.label)
            else:
                yield rule.finding(use.client, use.path[:-1] + ("identity",), registry=reg.label)
