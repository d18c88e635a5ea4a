"""Relate resources from every file of one invocation into an inventory indexed by resource ID.

Relations: child -> parent; role assignment -> scope, role definition GUID and principal; identity ->
principal; client -> registry (container groups, ML workspaces, registry tasks, App Service sites and slots,
Container Apps) by resource ID, login server or ``reference(...).loginServer``. A relation that cannot be
resolved is recorded as unresolved, never guessed.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from linter.arm.context import DEFAULT_RESOURCE_GROUP, DEFAULT_SUBSCRIPTION_ID
from linter.model import MISSING, UNKNOWN_PART, Resource, Unknown

REGISTRY = "microsoft.containerregistry/registries"
ROLE_ASSIGNMENT = "microsoft.authorization/roleassignments"
UA_IDENTITY = "microsoft.managedidentity/userassignedidentities"
CONTAINER_GROUP = "microsoft.containerinstance/containergroups"
ML_WORKSPACE = "microsoft.machinelearningservices/workspaces"
TASK = "microsoft.containerregistry/registries/tasks"
SITE = "microsoft.web/sites"
SLOT = "microsoft.web/sites/slots"
CONTAINER_APP = "microsoft.app/containerapps"
PRIVATE_ENDPOINT = "microsoft.network/privateendpoints"
CLUSTER = "microsoft.containerservice/managedclusters"
MANAGED_ENVIRONMENT = "microsoft.app/managedenvironments"

_GUID_RE = re.compile(r"([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\s*$")
_RA_SPLIT = re.compile(r"/providers/microsoft\.authorization/roleassignments/", re.I)
_REGISTRY_ID = re.compile(r"^/subscriptions/([^/]+)/resourcegroups/([^/]+)/providers/microsoft\.containerregistry/registries/([^/]+)$")
_RESOURCE_ID = re.compile(r"^/subscriptions/([^/]+)/resourcegroups/([^/]+)/(providers/.+)$")
_RG_OR_SUB_ID = re.compile(r"^/subscriptions/([^/]+)(?:/resourcegroups/([^/]+))?$")
_LOGIN_RE = re.compile(r"^(?:https?://)?([a-z0-9]+(?:-[a-z0-9]+)?\.azurecr\.(?:io|cn|us|de|microsoftazure\.de))(?:[/:].*)?$", re.I)


def role_guid(value: Any) -> str | None:
    """The trailing GUID of a roleDefinitionId in any of its forms, lower-case."""
    if not isinstance(value, str):
        return None
    m = _GUID_RE.search(value)
    return m.group(1).lower() if m else None


def login_server_of(value: Any) -> str | None:
    """'myreg.azurecr.io' from 'myreg.azurecr.io', 'https://myreg.azurecr.io/x', 'MyReg.azurecr.io/img:tag'."""
    if not isinstance(value, str):
        return None
    m = _LOGIN_RE.match(value.strip())
    return m.group(1).lower() if m else None


def scope_contains(scope: str, rid: str) -> bool:
    """True when ``scope`` is ``rid`` or an ancestor of it (resource group, subscription, parent)."""
    s, r = scope.rstrip("/").lower(), rid.rstrip("/").lower()
    return r == s or r.startswith(s + "/")


def shape_of(value: Any) -> str | None:
    """A resource ID or scope as far as it is known: the string itself, or an Unknown's shape."""
    return value if isinstance(value, str) else value.shape if isinstance(value, Unknown) else None


def shape_contains(shape: str, rid: str, exact: bool = False) -> bool:
    """Could ``shape`` (an ID with unknown parts, see Unknown.shape) turn out to be ``rid`` (or, unless ``exact``, an
    ancestor of it)? An unknown part may be anything, slashes included (format('{0}/providers/...', parameters('s')))."""
    if UNKNOWN_PART not in shape:
        return shape.rstrip("/").lower() == rid.rstrip("/").lower() if exact else scope_contains(shape, rid)
    pattern = ".*".join(re.escape(part) for part in shape.rstrip("/").lower().split(UNKNOWN_PART))
    return re.match(pattern + (r"\Z" if exact else r"(?:/|\Z)"), rid.rstrip("/").lower()) is not None


def tree_of(res: Resource) -> tuple[Any, ...]:
    """The deployment a resource came from: the file (and document) that was linted."""
    tree: tuple[Any, ...] = res.extra.get("tree") or (res.file, res.doc)
    return tree


@dataclass
class RoleAssignment:
    resource: Resource
    scope: Any  # full scope ID, or Unknown
    role: str | None  # role definition GUID, lower-case; None when unknown
    principal: Any  # principalId value (often Unknown with an origin)
    principal_type: Any

    @property
    def scope_shape(self) -> str | None:
        """The scope ID, or what is known of it (Unknown.shape: its type, with UNKNOWN_PART for unknown names)."""
        scope = self.scope
        return scope if isinstance(scope, str) else scope.shape if isinstance(scope, Unknown) else None


@dataclass
class Identity:
    """The managed identities a resource has: its system-assigned principal and user-assigned identity IDs."""

    system: bool = False
    user: list[str] = field(default_factory=list)  # user-assigned identity resource IDs as written
    unknown: bool = False  # identity type could not be evaluated


@dataclass
class ClientUse:
    """A client resource that pulls from a registry."""

    client: Resource
    registry: Resource
    path: tuple[Any, ...]  # where in the client the registry is named
    kind: str  # container-group | ml-workspace | task | app-service | container-app
    credential: dict[str, Any] | None = None  # the imageRegistryCredentials / registries entry, when any


class Inventory:
    def __init__(self, resources: Iterable[Resource]) -> None:
        self.resources: list[Resource] = list(resources)
        self._aso_names: dict[tuple[str, str, str, str], list[Resource]] = {}
        for res in self.resources:
            if res.source_kind == "aso":
                self._aso_names.setdefault(_aso_key(res.extra.get("aso_group"), res.extra.get("aso_kind"), res.extra.get("aso_name"), res.extra.get("aso_namespace")), []).append(res)
        self._relate_aso_children()
        self.by_id: dict[str, Resource] = {}
        self.by_type: dict[str, list[Resource]] = {}
        for res in self.resources:
            self.by_type.setdefault(res.type_lower, []).append(res)
            rid = res.id_lower
            # an `existing` reference must not shadow the declaration
            if rid is not None and (rid not in self.by_id or self.by_id[rid].existing):
                self.by_id[rid] = res
        self.registries_by_login: dict[str, Resource] = {}
        self._registries_by_name: dict[str, list[Resource]] = {}
        for reg in self.by_type.get(REGISTRY, []):
            m = _REGISTRY_ID.match(reg.id_lower or "")
            if m:
                self._registries_by_name.setdefault(m.group(3), []).append(reg)
            for server in self._login_servers(reg):
                if server not in self.registries_by_login or self.registries_by_login[server].existing:
                    self.registries_by_login[server] = reg
        self.role_assignments = [self._role_assignment(r) for r in self.by_type.get(ROLE_ASSIGNMENT, []) if not r.existing]
        self.role_assignments += [
            self._role_assignment(r)
            for t, rs in self.by_type.items()
            if t.endswith("/providers/roleassignments")
            for r in rs
            if not r.existing
        ]
        self._principal_index: dict[Any, list[RoleAssignment]] = {}
        # assignments whose principal cannot be evaluated at all: they might be anyone's
        self.unresolved_principal: list[RoleAssignment] = []
        for ra in self.role_assignments:
            key = _principal_key(ra.principal)
            if key is not None:
                self._principal_index.setdefault(key, []).append(ra)
            else:
                self.unresolved_principal.append(ra)
        self._children: dict[str, dict[str, list[Resource]]] = {}
        self.memo: dict[Any, Any] = {}  # what rules compute once per run (linter.engine.facts)
        self.clients: list[ClientUse] = []
        self._relate_clients()

    # ----- Azure Service Operator owners ----------------------------------------------------------------------
    def _aso_owner(self, group: Any, kind: Any, name: Any, namespace: Any) -> Resource | None:
        """The one ASO resource a Kubernetes owner reference names (None when absent or ambiguous)."""
        found = self._aso_names.get(_aso_key(group, kind, name, namespace), [])
        return found[0] if len(found) == 1 else None

    def _relate_aso_children(self) -> None:
        """An ASO child (replication, cache rule, token) names its registry by Kubernetes name; its ID is the
        registry's ID plus its own segment, which only the registry's manifest (its resource group) can tell."""
        for res in self.resources:
            owner_ref = res.extra.get("aso_owner") if res.source_kind == "aso" else None
            if not isinstance(owner_ref, dict) or res.type.count("/") != 2 or not isinstance(owner_ref.get("name"), str):
                continue
            group = str(owner_ref.get("group") or res.extra.get("aso_group") or "")
            kind = str(owner_ref.get("kind") or "Registry")
            owner = self._aso_owner(group, kind, owner_ref["name"], res.extra.get("aso_namespace"))
            child_name = res.name.split("/")[-1] if isinstance(res.name, str) else None
            if owner is not None and isinstance(owner.id, str) and child_name:
                res.id = f"{owner.id}/{res.type.split('/')[-1]}/{child_name}"
            else:
                res.id = Unknown("ASO owner not found, or ambiguous")

    # ----- lookups ------------------------------------------------------------------------------------------
    def of_type(self, *types: str, include_existing: bool = False) -> list[Resource]:
        out: list[Resource] = []
        for t in types:
            out.extend(r for r in self.by_type.get(t.lower(), []) if include_existing or not r.existing)
        return out

    def may_concern(self, res: Resource, reg: Resource, target: Any = MISSING) -> bool:
        """Could ``res``, whose link to a registry cannot be evaluated, be about ``reg``?

        ``target`` is the value that should name the registry (a private endpoint's privateLinkServiceId, a role
        assignment's scope); by default ``res``'s parent, from its ID or name. A known registry name decides across
        the whole run (a resource in another file may name this registry); what else is known (the type and scope in
        the value's shape) can only rule the registry out. When the name is not known, only a resource of the same
        deployment (the same linted file) can be about the registry: an unrelated file never silences a rule for it.
        """
        rid = reg.id_lower
        reg_name = reg.name.rsplit("/", 1)[-1].lower() if isinstance(reg.name, str) else None
        if target is MISSING:
            shape = shape_of(res.id)
            if shape is not None and res.type.count("/") >= 2:
                shape = shape.rstrip("/").rsplit("/", 2)[0]
            else:
                name = res.name if isinstance(res.name, str) else shape_of(res.name)
                shape = name.split("/", 1)[0] if name is not None and "/" in name else None
        else:
            shape = shape_of(target)
        if shape is None:
            return tree_of(res) == tree_of(reg)
        if "/" in shape and (rid is None or not shape_contains(shape, rid, exact=True)):
            return False  # another type, or another scope
        name = shape.rstrip("/").rsplit("/", 1)[-1].lower()
        if UNKNOWN_PART not in name:
            return name == reg_name
        return tree_of(res) == tree_of(reg)

    def get(self, rid: Any) -> Resource | None:
        return self.by_id.get(rid.lower()) if isinstance(rid, str) else None

    def parent(self, res: Resource) -> Resource | None:
        rid = res.id_lower
        if rid is None:
            return None
        parts = rid.rsplit("/", 2)
        if len(parts) < 3 or res.type.count("/") < 2:
            return None
        return self.by_id.get(parts[0])

    def children(self, res: Resource, child_type: str) -> list[Resource]:
        """Resources of ``child_type`` whose parent is ``res`` (indexed once per child type)."""
        rid = res.id_lower
        if rid is None:
            return []
        key = child_type.lower()
        index = self._children.get(key)
        if index is None:
            index = self._children[key] = {}
            for child in self.by_type.get(key, []):
                cid = child.id_lower
                if cid is not None:
                    index.setdefault(cid.rsplit("/", 2)[0], []).append(child)
        return list(index.get(rid, ()))

    # ----- a registry's children ------------------------------------------------------------------------------
    def aso_owners(self, child: Resource) -> list[Resource] | None:
        """ASO registries a child manifest's owner reference (by Kubernetes name) can mean; None when it is not such a
        child. Manifests do not say the owner's resource group, so the child's resource ID cannot be matched."""
        owner = child.extra.get("aso_owner") if child.source_kind == "aso" else None
        if not isinstance(owner, dict) or owner.get("armId") or not isinstance(owner.get("name"), str):
            return None
        name = owner["name"].lower()
        return [r for r in self.of_type(REGISTRY) if r.source_kind == "aso" and str(r.extra.get("aso_name") or "").lower() == name]

    def registry_children(self, reg: Resource, child_type: str) -> list[Resource]:
        """Children of ``reg`` by resource ID; for ASO manifests by owner name, when exactly one ASO registry in the
        inventory has that name (samples linted together often reuse a name: then the owner is ambiguous)."""
        out = self.children(reg, child_type)
        if reg.source_kind == "aso":
            for child in self.of_type(child_type):
                owners = self.aso_owners(child)
                if owners is not None and len(owners) == 1 and owners[0] is reg and not any(child is c for c in out):
                    out.append(child)
        return out

    def registry_of(self, child: Resource) -> Resource | None:
        """The registry whose registry_children() hold ``child``. Should files linted together declare registries with
        the same ID (templates linted without --subscription-id share acrlint's placeholder), the one of the child's
        own deployment (tree_of), else the first."""
        by_id: dict[str, list[Resource]] | None = self.memo.get("registries by id")
        if by_id is None:
            by_id = self.memo["registries by id"] = {}
            for reg in self.of_type(REGISTRY):
                if reg.id_lower is not None:
                    by_id.setdefault(reg.id_lower, []).append(reg)
        cid = child.id_lower
        same = by_id.get(cid.rsplit("/", 2)[0], []) if cid is not None else []
        tree = tree_of(child)
        found = next((r for r in same if tree_of(r) == tree), same[0] if same else None)
        if found is None:
            owners = self.aso_owners(child)
            found = owners[0] if owners is not None and len(owners) == 1 else None
        return found

    def unattributed_child(self, reg: Resource, child_type: str) -> bool:
        """Some child of this type cannot be attributed to a registry (its ID cannot be evaluated, or its ASO owner
        name is ambiguous) and may belong to ``reg`` (see may_concern)."""
        for child in self.of_type(child_type):
            owners = self.aso_owners(child)
            if owners is not None:
                if len(owners) > 1 and any(o is reg for o in owners):
                    return True
            elif not isinstance(child.id, str) and self.may_concern(child, reg):
                return True
        return False

    def _login_servers(self, reg: Resource) -> list[str]:
        out = []
        name = reg.name
        if isinstance(name, str) and "/" not in name:
            out.append(f"{name.lower()}.azurecr.io")
        ls = reg.get("properties", "loginServer")
        if isinstance(ls, str):
            out.append(ls.lower())
        return out

    def registry_at(self, rid: Any) -> Resource | None:
        """The registry a resource ID names. Registries declared in a template carry the placeholder subscription
        (and resource group, unless one was given), while role assignment scopes and client references are often
        literal IDs with the real ones; registry names are globally unique, so such an ID names the registry of
        that name whose placeholder parts it can fill (exactly one, or None)."""
        if not isinstance(rid, str):
            return None
        low = rid.strip().rstrip("/").lower()
        reg = self.by_id.get(low)
        if reg is not None:
            return reg if reg.type_lower == REGISTRY else None
        m = _REGISTRY_ID.match(low)
        if not m:
            return None
        sub, group, name = m.groups()
        found = []
        for cand in self._registries_by_name.get(name, []):
            cm = _REGISTRY_ID.match(cand.id_lower or "")
            if cm and _fills(cm.group(1), sub, DEFAULT_SUBSCRIPTION_ID) and _fills(cm.group(2), group, DEFAULT_RESOURCE_GROUP.lower()):
                found.append(cand)
        declared = [r for r in found if not r.existing] or found
        return declared[0] if len({id(r) for r in declared}) == 1 else None

    def scope_covers(self, scope: Any, reg: Resource) -> bool | None:
        """Does a role assignment scope enclose ``reg``? True, False, or None when a placeholder subscription or
        resource group in the registry's ID (a template linted without --subscription-id/--resource-group) makes
        it impossible to tell whether a literal resource group or subscription scope holds it."""
        rid = reg.id_lower
        if not isinstance(scope, str) or rid is None:
            return None
        if scope_contains(scope, rid) or self.registry_at(scope) is reg:
            return True
        m = _RG_OR_SUB_ID.match(scope.strip().rstrip("/").lower())
        rm = _REGISTRY_ID.match(rid)
        if m is None or rm is None:
            return False
        sub, group = m.groups()
        placeholder_sub = rm.group(1) == DEFAULT_SUBSCRIPTION_ID
        placeholder_group = rm.group(2) == DEFAULT_RESOURCE_GROUP.lower()
        if not (placeholder_sub or placeholder_group):
            return False
        if _fills(rm.group(1), sub, DEFAULT_SUBSCRIPTION_ID) and (group is None or _fills(rm.group(2), group, DEFAULT_RESOURCE_GROUP.lower())):
            return None
        return False

    def registry_for(self, value: Any) -> Resource | None:
        """The registry a client names: by resource ID, login server, or reference(...).loginServer."""
        if isinstance(value, Unknown):
            origin = value.origin
            if origin and origin[0] == "ref" and isinstance(origin[1], str):
                reg = self.by_id.get(origin[1])
                if reg is not None and reg.type_lower == REGISTRY:
                    return reg
            return None
        if not isinstance(value, str):
            return None
        if value.startswith("/"):
            return self.registry_at(value)
        server = login_server_of(value)
        if server:
            return self.registries_by_login.get(server)
        return None

    # ----- role assignments ---------------------------------------------------------------------------------
    def _role_assignment(self, res: Resource) -> RoleAssignment:
        scope: Any = Unknown("scope of role assignment")
        declared = res.get("properties", "scope")
        id_shape = res.id if isinstance(res.id, str) else res.id.shape if isinstance(res.id, Unknown) else None
        if isinstance(res.id, str) and _RA_SPLIT.search(res.id):
            scope = _RA_SPLIT.split(res.id)[0]
        elif id_shape and _RA_SPLIT.search(id_shape) and UNKNOWN_PART in _RA_SPLIT.split(id_shape)[0]:
            scope = Unknown("scope of role assignment", shape=_RA_SPLIT.split(id_shape)[0])
        elif isinstance(declared, str) and declared.startswith("/"):
            scope = declared
        elif isinstance(res.extra.get("scope_id"), str):
            scope = res.extra["scope_id"]
        elif isinstance(declared, Unknown) and declared.origin and declared.origin[0] == "aso-owner":
            _, group, kind, name = declared.origin
            owner = self._aso_owner(group, kind, name, res.extra.get("aso_namespace"))
            scope = owner.id if owner is not None and owner.type_lower != "microsoft.resources/resourcegroups" else Unknown("ASO owner")
            if owner is None and kind in ("resourcegroup", ""):
                scope = f"/subscriptions/{_subscription_of(res)}/resourceGroups/{name}" if name else scope
        if isinstance(scope, str) and scope == "":
            scope = Unknown("empty scope")
        return RoleAssignment(
            resource=res,
            scope=scope,
            role=role_guid(res.get("properties", "roleDefinitionId")),
            principal=res.get("properties", "principalId"),
            principal_type=res.get("properties", "principalType"),
        )

    # ----- identities ---------------------------------------------------------------------------------------
    def identity_of(self, res: Resource) -> Identity:
        ident = res.get("identity")
        out = Identity()
        if ident is MISSING or ident is None:
            return out
        if isinstance(ident, Unknown) or not isinstance(ident, dict):
            out.unknown = True
            return out
        itype = ident.get("type")
        if isinstance(itype, Unknown):
            out.unknown = True
        elif isinstance(itype, str):
            low = itype.replace(" ", "").lower()
            out.system = "systemassigned" in low
            if "userassigned" in low:
                uas = ident.get("userAssignedIdentities")
                if isinstance(uas, dict):
                    out.user = [k for k in uas if isinstance(k, str)]
                elif isinstance(uas, Unknown):
                    out.unknown = True
        return out

    def principal_keys(self, res: Resource, *, system: bool = False, user_id: str | None = None) -> list[Any]:
        """Values a role assignment's principalId can take to mean this identity."""
        keys: list[Any] = []
        if system:
            rid = res.id_lower
            if rid:
                keys.append(("ref", rid, True, "identity", "principalid"))
            pid = res.get("identity", "principalId")
            if isinstance(pid, str):
                keys.append(pid.lower())
        if user_id is not None:
            uid = user_id.lower()
            keys.append(("ref", uid, False, "principalid"))
            keys.append(("ref", uid, True, "properties", "principalid"))
            ua = self.by_id.get(uid)
            if ua is not None:
                pid = ua.get("properties", "principalId")
                if isinstance(pid, str):
                    keys.append(pid.lower())
            info = res.get("identity", "userAssignedIdentities")
            if isinstance(info, dict):
                for k, v in info.items():
                    if isinstance(k, str) and k.lower() == uid and isinstance(v, dict) and isinstance(v.get("principalId"), str):
                        keys.append(v["principalId"].lower())
        return keys

    def assignments_for(self, keys: list[Any]) -> list[RoleAssignment]:
        out: list[RoleAssignment] = []
        for key in keys:
            out.extend(self._principal_index.get(key, []))
        return out

    # ----- clients ------------------------------------------------------------------------------------------
    def _relate_clients(self) -> None:
        for group in self.of_type(CONTAINER_GROUP):
            creds = group.get("properties", "imageRegistryCredentials")
            if isinstance(creds, list):
                for i, cred in enumerate(creds):
                    if isinstance(cred, dict):
                        reg = self.registry_for(cred.get("server"))
                        if reg is not None:
                            self.clients.append(ClientUse(group, reg, ("properties", "imageRegistryCredentials", i, "server"), "container-group", cred))
        for ws in self.of_type(ML_WORKSPACE):
            reg = self.registry_for(ws.get("properties", "containerRegistry"))
            if reg is not None:
                self.clients.append(ClientUse(ws, reg, ("properties", "containerRegistry"), "ml-workspace"))
        for task in self.of_type(TASK):
            reg = self.parent(task)
            if reg is not None:
                self.clients.append(ClientUse(task, reg, (), "task"))
        for site in self.of_type(SITE, SLOT):
            for key in ("linuxFxVersion", "windowsFxVersion"):
                fx = site.get("properties", "siteConfig", key)
                if isinstance(fx, str) and fx.lower().startswith("docker|"):
                    reg = self.registry_for(fx.split("|", 1)[1])
                    if reg is not None:
                        self.clients.append(ClientUse(site, reg, ("properties", "siteConfig", key), "app-service"))
        for app in self.of_type(CONTAINER_APP):
            regs = app.get("properties", "configuration", "registries")
            if isinstance(regs, list):
                for i, entry in enumerate(regs):
                    if isinstance(entry, dict):
                        reg = self.registry_for(entry.get("server"))
                        if reg is not None:
                            self.clients.append(ClientUse(app, reg, ("properties", "configuration", "registries", i, "server"), "container-app", entry))

    def clients_of(self, kind: str) -> list[ClientUse]:
        return [c for c in self.clients if c.kind == kind]

    def cluster_registries(self, cluster: Resource) -> list[tuple[Resource, tuple[Any, ...], bool]]:
        """Registries an AKS cluster pulls from, as (registry, path in the cluster, certain). Certain: named by
        properties.bootstrapProfile.containerRegistryId. Otherwise a cluster template names no registry (attaching one
        is a role assignment), so a cluster deployed in the same file as exactly one registry is taken to use it
        (certain False): rules that rely on this must also see that file manage the registry's role assignments."""
        named = cluster.get("properties", "bootstrapProfile", "containerRegistryId")
        if isinstance(named, str) and named.strip():
            reg = self.registry_at(named)
            return [(reg, ("properties", "bootstrapProfile", "containerRegistryId"), True)] if reg is not None else []
        if isinstance(named, Unknown):
            reg = self.registry_for(named)
            return [(reg, ("properties", "bootstrapProfile", "containerRegistryId"), True)] if reg is not None else []
        same_file: dict[Any, Resource] = {}
        for reg in self.by_type.get(REGISTRY, []):
            if reg.file == cluster.file and reg.doc == cluster.doc:
                key = reg.id_lower or id(reg)
                if key not in same_file or same_file[key].existing:
                    same_file[key] = reg
        if len(same_file) == 1:
            return [(next(iter(same_file.values())), (), False)]
        return []


def ids_match(a: Any, b: Any) -> bool:
    """Two resource IDs name the same resource: equal ignoring case, or equal but for acrlint's placeholder
    subscription or resource group on one side (a template linted without --subscription-id/--resource-group
    against a literal ID)."""
    if not (isinstance(a, str) and isinstance(b, str)):
        return False
    x, y = a.strip().rstrip("/").lower(), b.strip().rstrip("/").lower()
    if x == y:
        return True
    mx, my = _RESOURCE_ID.match(x), _RESOURCE_ID.match(y)
    if mx is None or my is None or mx.group(3) != my.group(3):
        return False
    sub, group = DEFAULT_SUBSCRIPTION_ID, DEFAULT_RESOURCE_GROUP.lower()
    return (mx.group(1) == my.group(1) or sub in (mx.group(1), my.group(1))) and (
        mx.group(2) == my.group(2) or group in (mx.group(2), my.group(2)))


def _fills(have: str, want: str, placeholder: str) -> bool:
    """An ID segment matches a literal one when equal, or when it is acrlint's placeholder for an unknown value."""
    return have in (want, placeholder)


def _aso_key(group: Any, kind: Any, name: Any, namespace: Any) -> tuple[str, str, str, str]:
    return (str(group or "").lower().removesuffix(".azure.com"), str(kind or "").lower(), str(name or "").lower(), str(namespace or "default").lower())


def _principal_key(value: Any) -> Any:
    if isinstance(value, Unknown):
        return value.origin
    if isinstance(value, str):
        return value.lower()
    return None


def _subscription_of(res: Resource) -> str:
    if isinstance(res.id, str):
        parts = res.id.split("/")
        if len(parts) > 2 and parts[1].lower() == "subscriptions":
            return parts[2]
    return "00000000-0000-0000-0000-000000000000"
