"""Client rules (ACR207-ACR209): the identity a client pulls with, AKS kubelet pull roles, and clients that cannot reach
a registry whose public access is disabled.

Conventions as elsewhere: a value that cannot be evaluated keeps a rule silent, and a relation the inventory cannot
resolve is never guessed.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from linter.checks._registry_state import (
    abac_mode,
    attached_identities,
    client_id_problem,
    demoted,
    public_access_disabled,
    truthy,
)
from linter.checks.hardening import private_endpoint_state
from linter.checks.trusted_services import concerning, pull_granted
from linter.constants import WARNING
from linter.engine.registry import check
from linter.engine.run import RuleRun
from linter.inventory import (
    CLUSTER,
    CONTAINER_APP,
    CONTAINER_GROUP,
    MANAGED_ENVIRONMENT,
    SITE,
    SLOT,
    Inventory,
    ids_match,
    login_server_of,
)
from linter.model import MISSING, Finding, Resource, Unknown

_SYSTEM_VALUES = {"system", "[system]", "systemassigned"}
_GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.I)



# --------------------------------------------------------------------------------------------- ACR207


def _short(rid: str) -> str:
    return rid.rstrip("/").rsplit("/", 1)[-1]


def _pulls_from_acr(inv: Inventory, server: Any) -> str | None:
    """The registry label when ``server`` is an Azure container registry (one in the inventory, or an azurecr login
    server), else None."""
    reg = inv.registry_for(server)
    if reg is not None:
        return reg.label
    return login_server_of(server)


def _credential_problem(value: Any, attached: tuple[bool, list[str]], what: str) -> str | None:
    """Why the identity ``value`` a container group or container app pulls with is not one it carries, or None."""
    system, user = attached
    if not isinstance(value, str) or not value.strip():
        return None
    if value.strip().lower() in _SYSTEM_VALUES:
        return None if system else f"its system-assigned identity, but the {what} has none (identity.type)"
    if value.startswith("/"):
        if any(ids_match(value, u) for u in user):
            return None
        return f"user-assigned identity '{_short(value)}', which is not in the {what}'s identity.userAssignedIdentities"
    return None


_SETTING = "acrUserManagedIdentityID"
_SITE_PROBLEMS = {
    "principal-id": "the principal ID of user-assigned identity '{0}' (" + _SETTING + " takes the identity's client ID)",
    "resource-id": "the resource ID of user-assigned identity '{0}' (" + _SETTING + " takes the identity's client ID)",
    "not-attached": "user-assigned identity '{0}', which is not in the site's identity.userAssignedIdentities",
    "unknown-client-id": "client ID {0}, which is not the client ID of any user-assigned identity the site has",
}


def _site_identity_problem(inv: Inventory, site: Resource, value: Any, attached: tuple[bool, list[str]]) -> str | None:
    """Why an App Service acrUserManagedIdentityID is not the client ID of an identity the site carries, or None."""
    system, user = attached
    if value in (MISSING, None, ""):
        return None if system else f"its system-assigned identity ({_SETTING} is empty), but the site has none"
    found = client_id_problem(inv, site, value, user)
    return _SITE_PROBLEMS[found[0]].format(found[1]) if found else None


# Where each client names the registry it pulls from and the identity it pulls with.
_CREDENTIALS = (
    (CONTAINER_GROUP, ("properties", "imageRegistryCredentials"), "Container group", "container group"),
    (CONTAINER_APP, ("properties", "configuration", "registries"), "Container app", "container app"),
)


@check("ACR207")
def identity_not_attached(inv: Inventory, rule: RuleRun) -> Iterator[Finding]:
    for rtype, base, kind, what in _CREDENTIALS:
        for client in inv.of_type(rtype):
            entries = client.get(*base)
            attached = attached_identities(client) if isinstance(entries, list) else None
            if attached is None:
                continue
            for i, entry in enumerate(entries):
                label = _pulls_from_acr(inv, entry.get("server")) if isinstance(entry, dict) else None
                problem = _credential_problem(entry.get("identity"), attached, what) if label else None
                if problem:
                    yield rule.finding(client, (*base, i, "identity"), registry=label, problem=problem, kind=kind)
    for site in inv.of_type(SITE, SLOT):
        label = _site_registry(inv, site)
        if label is None or truthy(site.get("properties", "siteConfig", "acrUseManagedIdentityCreds")) is not True:
            continue
        attached = attached_identities(site)
        if attached is None:
            continue
        path = ("properties", "siteConfig", _SETTING)
        problem = _site_identity_problem(inv, site, site.get(*path), attached)
        if problem:
            yield rule.finding(site, path, registry=label, problem=problem, kind="App Service")


def _site_registry(inv: Inventory, site: Resource) -> str | None:
    """The Azure container registry a site's DOCKER| image comes from (label), or None."""
    for key in ("linuxFxVersion", "windowsFxVersion"):
        fx = site.get("properties", "siteConfig", key)
        if isinstance(fx, str) and fx.lower().startswith("docker|"):
            label = _pulls_from_acr(inv, fx.split("|", 1)[1])
            if label:
                return label
    return None


# --------------------------------------------------------------------------------------------- ACR208


def kubelet_keys(inv: Inventory, cluster: Resource) -> list[Any] | None:
    """Values a role assignment's principalId takes to mean the cluster's kubelet identity; None when the kubelet
    identity cannot be told (a service principal cluster, a kubelet identity that cannot be evaluated)."""
    ident = cluster.get("identity", "type")
    profile = cluster.get("properties", "identityProfile", "kubeletidentity")
    if isinstance(ident, Unknown) or isinstance(profile, Unknown):
        return None
    rid = cluster.id_lower
    keys: list[Any] = []
    if rid:
        keys.append(("ref", rid, False, "identityprofile", "kubeletidentity", "objectid"))
        keys.append(("ref", rid, True, "properties", "identityprofile", "kubeletidentity", "objectid"))
    if isinstance(profile, dict):
        resource_id = profile.get("resourceId")
        object_id = profile.get("objectId")
        if isinstance(resource_id, Unknown) or isinstance(object_id, Unknown):
            return None
        if isinstance(resource_id, str) and resource_id:
            keys.extend(inv.principal_keys(cluster, user_id=resource_id))
        if isinstance(object_id, str) and object_id:
            keys.append(object_id.lower())
    elif not isinstance(ident, str) or ident.replace(" ", "").lower() in ("", "none"):
        return None  # a service-principal cluster: its nodes pull as the service principal
    return keys


def _control_plane_keys(inv: Inventory, cluster: Resource) -> list[Any]:
    attached = attached_identities(cluster)
    if attached is None:
        return []
    system, user = attached
    keys = inv.principal_keys(cluster, system=True) if system else []
    for uid in user:
        keys.extend(inv.principal_keys(cluster, user_id=uid))
    return keys


@check("ACR208")
def kubelet_without_pull_role(inv: Inventory, rule: RuleRun) -> Iterator[Finding]:
    if not inv.role_assignments:
        return
    for cluster in inv.of_type(CLUSTER):
        keys = kubelet_keys(inv, cluster)
        if keys is None:
            continue
        for reg, _path, certain in inv.cluster_registries(cluster):
            mode = abac_mode(reg)
            if mode is None or reg.id_lower is None:
                continue
            # a cluster merely deployed next to a registry is taken to use it only when that template manages the
            # registry's role assignments (otherwise attaching may happen elsewhere, e.g. az aks update --attach-acr)
            if not certain and not any(
                ra.resource.file == cluster.file and inv.scope_covers(ra.scope, reg) is True for ra in inv.role_assignments
            ):
                continue
            if pull_granted(inv, inv.assignments_for(keys) + concerning(inv, cluster, reg), reg, mode):
                continue
            role = "Container Registry Repository Reader" if mode else "AcrPull"
            how = ("az aks update --attach-acr does not support registries with ABAC repository permissions, so assign it "
                   "directly" if mode else "what az aks update --attach-acr does")
            where = _cluster_path(cluster)
            plane = _control_plane_keys(inv, cluster)
            if plane and pull_granted(inv, inv.assignments_for(plane), reg, mode):
                yield rule.finding(cluster, where, variant="role-on-cluster-identity", registry=reg.label, role=role)
            else:
                yield rule.finding(cluster, where, registry=reg.label, role=role, how=how)


def _cluster_path(cluster: Resource) -> tuple[Any, ...]:
    if cluster.get("properties", "identityProfile", "kubeletidentity") is not MISSING:
        return ("properties", "identityProfile", "kubeletidentity")
    if cluster.get("identity") is not MISSING:
        return ("identity",)
    return ()


# --------------------------------------------------------------------------------------------- ACR209


def _environment_subnet(inv: Inventory, app: Resource) -> tuple[Resource, Any] | None:
    """The app's managed environment in the inventory and its infrastructure subnet (MISSING when it has none)."""
    env_id = app.get("properties", "managedEnvironmentId")
    if env_id is MISSING:
        env_id = app.get("properties", "environmentId")
    env = inv.get(env_id) if isinstance(env_id, str) else None
    if env is None and isinstance(env_id, str):
        env = next((e for e in inv.of_type(MANAGED_ENVIRONMENT) if ids_match(e.id, env_id)), None)
    if env is None or env.type_lower != MANAGED_ENVIRONMENT:
        return None
    subnet = env.get("properties", "vnetConfiguration", "infrastructureSubnetId")
    if subnet is None or (isinstance(subnet, str) and not subnet.strip()):
        subnet = MISSING
    return env, subnet


@check("ACR209")
def client_cannot_reach_private_registry(inv: Inventory, rule: RuleRun) -> Iterator[Finding]:
    for use in inv.clients_of("container-app"):
        if public_access_disabled(use.registry) is not True:
            continue
        found = _environment_subnet(inv, use.client)
        if found is None:
            continue
        env, subnet = found
        if subnet is MISSING:
            yield rule.finding(use.client, use.path, registry=use.registry.label, environment=env.label)
    for cluster in inv.of_type(CLUSTER):
        for reg, path, _certain in inv.cluster_registries(cluster):
            if public_access_disabled(reg) is not True:
                continue
            if reg.file != cluster.file or private_endpoint_state(inv, reg) != "no":
                continue  # an endpoint may be declared elsewhere: only a template that deploys both can tell
            yield rule.finding(cluster, path or _cluster_path(cluster), severity=demoted(rule, WARNING), variant="aks-without-private-endpoint",
                               registry=reg.label)

