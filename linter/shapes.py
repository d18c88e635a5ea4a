"""Resource-shaped documents onto the Resource model (the expand stage): ARM resource objects (az CLI output,
ARM-shaped YAML) and Azure Service Operator v2 manifests. Exports (Resource Graph, PowerShell) are in
linter.exports; templates are expanded by linter.arm.expand.
"""
from __future__ import annotations

from typing import Any

from linter.arm.context import DeploymentContext
from linter.exports import name_from_id
from linter.kinds import ASO_API_RE
from linter.model import Resource, Unknown, join_pointer
from linter.roles import BY_NAME

# Keys an ARM resource carries at the top level; everything else in flattened az output is a property.
TOP_LEVEL = {
    "id", "name", "type", "apiversion", "location", "sku", "identity", "tags", "kind", "zones", "plan",
    "properties", "systemdata", "resourcegroup", "etag", "managedby", "extendedlocation", "scope",
}


# ---------------------------------------------------------------------------------------------------------------
# ARM resource objects (az output, ARM-shaped YAML)


def _flatten_map(path: tuple[Any, ...]) -> tuple[Any, ...]:
    if path and path[0] == "properties":
        return path[1:]
    return path


def resource_from_object(obj: dict[str, Any], *, file: str, doc: int, pointer: str, ctx: DeploymentContext,
                         source_kind: str) -> Resource:
    """One ARM resource object. ``az acr show`` and ``az role assignment list`` put properties at the top level."""
    flattened = "properties" not in obj and any(k.lower() not in TOP_LEVEL for k in obj)
    if flattened:
        body = {k: v for k, v in obj.items() if k.lower() in TOP_LEVEL and k.lower() != "scope"}
        body["properties"] = {k: v for k, v in obj.items() if k.lower() not in TOP_LEVEL or k.lower() == "scope"}
        path_map = _flatten_map
    else:
        body = dict(obj)
        path_map = None
    rtype = obj["type"]
    name = obj.get("name")
    rid = obj.get("id")
    if not isinstance(rid, str):
        if isinstance(name, str):
            types = rtype.split("/")
            names = name.split("/")
            if len(types) - 1 == len(names):
                segs = [types[0]] + [s for pair in zip(types[1:], names) for s in pair]
                rid = f"/subscriptions/{ctx.subscription_id}/resourceGroups/{ctx.resource_group}/providers/" + "/".join(segs)
            else:
                rid = Unknown("name does not match the type")
        else:
            rid = Unknown("resource without a name")
    elif isinstance(name, str) and "/" not in name and rtype.count("/") > 1:
        # az output gives the last name segment only; the full name comes from the ID
        name = name_from_id(rid) or name
    return Resource(
        type=rtype,
        name=name if isinstance(name, str) else Unknown("no name"),
        id=rid,
        body=body,
        file=file,
        pointer=pointer,
        doc=doc,
        api_version=obj.get("apiVersion"),
        path_map=path_map,
        source_kind=source_kind,
    )


def resources_from_objects(doc: Any, *, file: str, doc_index: int, ctx: DeploymentContext, source_kind: str) -> list[Resource]:
    if isinstance(doc, dict):
        return [resource_from_object(doc, file=file, doc=doc_index, pointer="", ctx=ctx, source_kind=source_kind)]
    return [
        resource_from_object(obj, file=file, doc=doc_index, pointer=join_pointer("", i), ctx=ctx, source_kind=source_kind)
        for i, obj in enumerate(doc)
        if isinstance(obj, dict)
    ]


# ---------------------------------------------------------------------------------------------------------------
# Azure Service Operator v2

_ASO_GROUPS = {
    "containerregistry": "Microsoft.ContainerRegistry",
    "authorization": "Microsoft.Authorization",
    "managedidentity": "Microsoft.ManagedIdentity",
    "containerinstance": "Microsoft.ContainerInstance",
    "machinelearningservices": "Microsoft.MachineLearningServices",
    "web": "Microsoft.Web",
    "app": "Microsoft.App",
    "network": "Microsoft.Network",
    "insights": "Microsoft.Insights",
    "containerservice": "Microsoft.ContainerService",
    "resources": "Microsoft.Resources",
}
_ASO_KINDS = {
    ("containerregistry", "registry"): "registries",
    ("containerregistry", "registryreplication"): "registries/replications",
    ("containerregistry", "registriesreplication"): "registries/replications",
    ("containerregistry", "registrycacherule"): "registries/cacheRules",
    ("containerregistry", "registriestoken"): "registries/tokens",
    ("containerregistry", "registrywebhook"): "registries/webhooks",
    ("authorization", "roleassignment"): "roleAssignments",
    ("authorization", "roledefinition"): "roleDefinitions",
    ("managedidentity", "userassignedidentity"): "userAssignedIdentities",
    ("managedidentity", "federatedidentitycredential"): "userAssignedIdentities/federatedIdentityCredentials",
    ("containerinstance", "containergroup"): "containerGroups",
    ("machinelearningservices", "workspace"): "workspaces",
    ("web", "site"): "sites",
    ("app", "containerapp"): "containerApps",
    ("network", "privateendpoint"): "privateEndpoints",
    ("resources", "resourcegroup"): "resourceGroups",
}
_ASO_TOP = {"location": "location", "sku": "sku", "identity": "identity", "tags": "tags", "kind": "kind", "zones": "zones"}

class AsoPathMap:
    """Maps an ARM-shaped path onto an ASO manifest (a class, not a closure, so resources can be pickled for --jobs)."""

    def __init__(self, renames: dict[tuple[Any, ...], tuple[Any, ...]], name_path: tuple[Any, ...]) -> None:
        self.renames = renames
        self.name_path = name_path

    def __call__(self, path: tuple[Any, ...]) -> tuple[Any, ...]:
        if not path:
            return path
        for prefix, target in self.renames.items():
            if path[: len(prefix)] == prefix:
                return target + path[len(prefix):]
        head = path[0]
        if head == "properties":
            return ("spec",) + path[1:]
        if head == "name":
            return self.name_path
        if head in _ASO_TOP.values():
            return ("spec", head) + path[1:]
        return ("spec",) + path


def aso_type(doc: dict[str, Any]) -> str | None:
    m = ASO_API_RE.match(str(doc.get("apiVersion", "")))
    if not m:
        return None
    group = m.group(1)
    ns = _ASO_GROUPS.get(group)
    kind = _ASO_KINDS.get((group, str(doc.get("kind", "")).lower()))
    if ns is None or kind is None:
        return None
    return f"{ns}/{kind}"


def resource_from_aso(doc: dict[str, Any], *, file: str, doc_index: int, ctx: DeploymentContext) -> Resource | None:
    rtype = aso_type(doc)
    if rtype is None:
        return None
    raw_spec, raw_meta = doc.get("spec"), doc.get("metadata")
    spec: dict[str, Any] = raw_spec if isinstance(raw_spec, dict) else {}
    meta: dict[str, Any] = raw_meta if isinstance(raw_meta, dict) else {}  # `metadata: x` may be a string
    name_path: tuple[Any, ...] = ("spec", "azureName") if "azureName" in spec else ("metadata", "name")
    name = spec.get("azureName") or meta.get("name")
    body: dict[str, Any] = {"type": rtype, "name": name}
    props: dict[str, Any] = {}
    for key, value in spec.items():
        if key in ("owner", "azureName", "operatorSpec"):
            continue
        if key in _ASO_TOP:
            body[_ASO_TOP[key]] = value
        else:
            props[key] = value
    if "identity" in body and isinstance(body["identity"], dict):
        ident = dict(body["identity"])
        uas = ident.get("userAssignedIdentities")
        if isinstance(uas, list):  # ASO writes a list of references; ARM a map keyed by resource ID
            mapped: dict[str, Any] = {}
            for i, ref in enumerate(uas):
                ref = ref.get("reference", ref) if isinstance(ref, dict) else ref
                ident_key = ref.get("armId") if isinstance(ref, dict) and ref.get("armId") else f"aso:{ref.get('name', i) if isinstance(ref, dict) else i}"
                mapped[str(ident_key)] = {}
            ident["userAssignedIdentities"] = mapped
        body["identity"] = ident
    body["properties"] = props
    owner = spec.get("owner")
    rg = owner.get("name") if isinstance(owner, dict) and isinstance(owner.get("name"), str) and str(owner.get("kind", "ResourceGroup")).lower() in ("resourcegroup", "") else ctx.resource_group
    kind_lower = rtype.lower()
    if kind_lower == "microsoft.authorization/roleassignments":
        ref = spec.get("roleDefinitionReference") or {}
        if isinstance(ref, dict):
            if isinstance(ref.get("armId"), str):
                props["roleDefinitionId"] = ref["armId"]
            elif isinstance(ref.get("wellKnownName"), str):
                known = BY_NAME.get(ref["wellKnownName"].lower())  # built-in role names
                guid = known.guid if known else None
                props["roleDefinitionId"] = f"/providers/Microsoft.Authorization/roleDefinitions/{guid}" if guid else Unknown(f"role {ref['wellKnownName']}")
            else:
                props["roleDefinitionId"] = Unknown("role definition given by a Kubernetes reference")
        if "principalId" not in spec:
            props["principalId"] = Unknown("principalIdFromConfig")
        owner_ref = owner if isinstance(owner, dict) else {}
        if isinstance(owner_ref.get("armId"), str):
            props["scope"] = owner_ref["armId"]
        else:
            group = str(owner_ref.get("group", "")).lower().removesuffix(".azure.com")
            props["scope"] = Unknown("ASO owner", ("aso-owner", group, str(owner_ref.get("kind", "")).lower(), str(owner_ref.get("name", "")).lower()))
    if kind_lower in ("microsoft.authorization/roleassignments", "microsoft.authorization/roledefinitions"):
        rid_value: Any = Unknown("ASO extension resource: its scope is its owner")
    elif isinstance(name, str):
        segs = rtype.split("/")
        if len(segs) == 3 and isinstance(owner, dict) and isinstance(owner.get("name"), str):
            parent_name = owner["name"]
            full_name = f"{parent_name}/{name}"
            body["name"] = full_name
            rid_value = f"/subscriptions/{ctx.subscription_id}/resourceGroups/{ctx.resource_group}/providers/{segs[0]}/{segs[1]}/{parent_name}/{segs[2]}/{name}"
            name = full_name
        elif len(segs) == 2:
            rid_value = f"/subscriptions/{ctx.subscription_id}/resourceGroups/{rg}/providers/{rtype}/{name}"
        else:
            rid_value = Unknown("nested ASO resource")
    else:
        rid_value = Unknown("ASO resource without a name")

    renames: dict[tuple[Any, ...], tuple[Any, ...]] = {}
    if kind_lower == "microsoft.authorization/roleassignments":
        renames[("properties", "roleDefinitionId")] = ("spec", "roleDefinitionReference")
        renames[("properties", "scope")] = ("spec", "owner")
        if "principalId" not in spec:
            renames[("properties", "principalId")] = ("spec", "principalIdFromConfig")

    path_map = AsoPathMap(renames, name_path)

    res = Resource(
        type=rtype,
        name=name if isinstance(name, str) else Unknown("no name"),
        id=rid_value,
        body=body,
        file=file,
        pointer="",
        doc=doc_index,
        api_version=None,
        path_map=path_map,
        source_kind="aso",
    )
    res.extra["aso_name"] = meta.get("name")
    res.extra["aso_kind"] = str(doc.get("kind", ""))
    res.extra["aso_group"] = ASO_API_RE.match(str(doc.get("apiVersion"))).group(1)  # type: ignore[union-attr]
    res.extra["aso_owner"] = owner
    res.extra["aso_namespace"] = meta.get("namespace") or "default"
    return res
