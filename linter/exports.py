"""What people export from a live subscription for a one-off audit, read into the Resource model:

- Azure Resource Graph results: ``az graph query -q "resources | ..."`` prints ``{"count", "data": [...],
  "skip_token", "total_records"}`` with each row an ARM resource (types lower-cased); the table form
  ``{"data": {"columns": [{"name", "type"}], "rows": [[...]]}}`` (Resource Graph's ``resultFormat: table``) too.
- Az PowerShell: ``Get-AzResource -ExpandProperties | ConvertTo-Json -Depth 100`` (capitalised keys:
  ``Name``, ``ResourceType``, ``ResourceId``, ``Location``, ``Sku``, ``Identity``, ``Properties``), the same shape as
  PSRule for Azure's ``Export-AzRuleData`` writes with each resource's children under ``resources``, and
  ``Get-AzRoleAssignment | ConvertTo-Json`` (``RoleAssignmentId``, ``Scope``, ``RoleDefinitionId``, ``ObjectId``,
  ``ObjectType``).

Each resource keeps a path map back to the keys as the export spells them, so findings point at the exact line.
``az acr list`` and ``az resource list`` are lists of ARM resources and need nothing here (linter.kinds).
"""
from __future__ import annotations

import re
from typing import Any

from linter.model import Resource, Unknown, join_pointer

GRAPH = "resource-graph"
POWERSHELL = "powershell"

_TYPE_RE = re.compile(r"^[A-Za-z][A-Za-z0-9]*\.[A-Za-z][A-Za-z0-9.]*/[A-Za-z0-9/]+$")
_GRAPH_KEYS = {"count", "data", "skip_token", "skiptoken", "total_records", "totalrecords", "resulttruncated", "facets"}


class KeyPathMap:
    """An ARM-shaped path in the source's spelling: the first key renamed by ``top``, the second by ``nested``
    (per first key), the rest as they are. A class, not a closure, so resources pickle for --jobs."""

    def __init__(self, top: dict[str, Any], nested: dict[str, dict[str, str]] | None = None) -> None:
        self.top = top
        self.nested = nested or {}

    def __call__(self, path: tuple[Any, ...]) -> tuple[Any, ...]:
        if not path:
            return path
        head = str(path[0]).lower()
        first = self.top.get(head, path[0])
        out: list[Any] = [] if first is None else [first]  # None: a level the source does not have
        if len(path) > 1 and head in self.nested:
            out.append(self.nested[head].get(str(path[1]).lower(), path[1]))
            out.extend(path[2:])
        else:
            out.extend(path[1:])
        return tuple(out)


# ------------------------------------------------------------------------------------------------ Resource Graph


def is_graph_result(doc: Any) -> bool:
    if not isinstance(doc, dict) or "data" not in doc or not set(k.lower() for k in doc) <= _GRAPH_KEYS:
        return False
    data = doc["data"]
    if isinstance(data, list):
        return bool(data) and all(isinstance(row, dict) and _is_typed(row.get("type")) for row in data)
    return isinstance(data, dict) and isinstance(data.get("columns"), list) and isinstance(data.get("rows"), list) and _table_types(data)


def _is_typed(value: Any) -> bool:
    return isinstance(value, str) and _TYPE_RE.match(value) is not None


def _table_types(data: dict[str, Any]) -> bool:
    names = [str(c.get("name", "")).lower() if isinstance(c, dict) else "" for c in data["columns"]]
    return "type" in names and ("id" in names or "name" in names)


def graph_resources(doc: dict[str, Any], *, file: str, doc_index: int) -> list[Resource]:
    data = doc["data"]
    out: list[Resource] = []
    if isinstance(data, list):
        for i, row in enumerate(data):
            out.append(_resource(row, file=file, doc=doc_index, pointer=join_pointer("", "data", i), source_kind=GRAPH))
        return out
    columns = [str(c.get("name", "")) if isinstance(c, dict) else "" for c in data["columns"]]
    index = {name.lower(): i for i, name in enumerate(columns)}
    for i, row in enumerate(data["rows"]):
        if not isinstance(row, list):
            continue
        obj = {name: row[j] for j, name in enumerate(columns) if j < len(row)}
        if not _is_typed(obj.get("type")):
            continue
        res = _resource(obj, file=file, doc=doc_index, pointer=join_pointer("", "data", "rows", i), source_kind=GRAPH)
        res.path_map = KeyPathMap(index)  # each column by its position in the row
        out.append(res)
    return out


def _resource(obj: dict[str, Any], *, file: str, doc: int, pointer: str, source_kind: str, path_map: Any = None) -> Resource:
    rid = obj.get("id")
    rtype = str(obj.get("type"))
    name = obj.get("name")
    if isinstance(rid, str) and isinstance(name, str) and "/" not in name and rtype.count("/") > 1:
        name = name_from_id(rid) or name
    return Resource(
        type=rtype,
        name=name if isinstance(name, str) else Unknown("no name"),
        id=rid if isinstance(rid, str) else Unknown("no resource ID in the export"),
        body=dict(obj),
        file=file,
        pointer=pointer,
        doc=doc,
        api_version=obj.get("apiVersion"),
        path_map=path_map,
        source_kind=source_kind,
    )


def name_from_id(rid: str) -> str | None:
    """'registry/replica' from a child resource's ID (exports give the last segment only)."""
    parts = rid.strip("/").split("/")
    try:
        i = max(idx for idx, p in enumerate(parts) if p.lower() == "providers")
    except ValueError:
        return None
    segs = parts[i + 1:]
    return "/".join(segs[2::2]) if len(segs) >= 3 else None


# ------------------------------------------------------------------------------------------------ Az PowerShell

# Get-AzResource (PSResource) keys -> ARM keys; the values of Properties are the service's own (camelCase)
_PS_TOP = {"name": "Name", "location": "Location", "properties": "Properties", "sku": "Sku", "identity": "Identity",
           "kind": "Kind", "tags": "Tags", "plan": "Plan", "managedby": "ManagedBy", "id": "ResourceId", "type": "ResourceType",
           "zones": "Zones"}
_PS_NESTED = {
    "sku": {"name": "Name", "tier": "Tier", "capacity": "Capacity", "family": "Family", "size": "Size"},
    "identity": {"type": "Type", "principalid": "PrincipalId", "tenantid": "TenantId", "userassignedidentities": "UserAssignedIdentities"},
}
_ROLE_ASSIGNMENT_MAP = {"name": "RoleAssignmentName", "id": "RoleAssignmentId"}
_ROLE_ASSIGNMENT_PROPS = {"roledefinitionid": "RoleDefinitionId", "principalid": "ObjectId", "principaltype": "ObjectType",
                          "scope": "Scope", "condition": "Condition", "description": "Description"}


def is_powershell(obj: Any) -> bool:
    """One Get-AzResource / Export-AzRuleData object, or one Get-AzRoleAssignment object."""
    if not isinstance(obj, dict):
        return False
    if _is_typed(obj.get("ResourceType")) and isinstance(obj.get("ResourceId") or obj.get("Id"), str):
        return True
    return isinstance(obj.get("RoleAssignmentId"), str) and "RoleDefinitionId" in obj and "ObjectId" in obj


def is_powershell_export(doc: Any) -> bool:
    if isinstance(doc, dict):
        return is_powershell(doc)
    return isinstance(doc, list) and bool(doc) and all(is_powershell(x) for x in doc)


def powershell_resources(doc: Any, *, file: str, doc_index: int) -> list[Resource]:
    out: list[Resource] = []
    items = [(doc, "")] if isinstance(doc, dict) else [(x, join_pointer("", i)) for i, x in enumerate(doc)]
    stack = list(reversed(items))
    while stack:
        obj, pointer = stack.pop()
        if not isinstance(obj, dict):
            continue
        res = _powershell_resource(obj, file=file, doc=doc_index, pointer=pointer)
        if res is not None:
            out.append(res)
        children = obj.get("resources")
        if isinstance(children, list):  # Export-AzRuleData: child and extension resources of this one
            stack.extend(reversed([(c, join_pointer(pointer, "resources", j)) for j, c in enumerate(children)]))
    return out


def _powershell_resource(obj: dict[str, Any], *, file: str, doc: int, pointer: str) -> Resource | None:
    if isinstance(obj.get("RoleAssignmentId"), str):
        props = {arm: obj[ps] for arm, ps in (("roleDefinitionId", "RoleDefinitionId"), ("principalId", "ObjectId"),
                                                 ("principalType", "ObjectType"), ("scope", "Scope")) if ps in obj}
        ra_body = {"type": "Microsoft.Authorization/roleAssignments", "name": obj.get("RoleAssignmentName"), "properties": props}
        ra_id: str = obj["RoleAssignmentId"]
        return Resource(type="Microsoft.Authorization/roleAssignments", name=obj.get("RoleAssignmentName") or ra_id.rsplit("/", 1)[-1],
                        id=ra_id, body=ra_body, file=file, pointer=pointer, doc=doc, source_kind=POWERSHELL,
                        path_map=KeyPathMap({**_ROLE_ASSIGNMENT_MAP, "properties": None}, {"properties": _ROLE_ASSIGNMENT_PROPS}))
    rid = obj.get("ResourceId") or obj.get("Id")
    rtype = obj.get("ExtensionResourceType") or obj.get("ResourceType")
    if not isinstance(rid, str) or not _is_typed(rtype):
        return None  # pseudo-children such as listUsages
    body: dict[str, Any] = {"type": rtype, "id": rid}
    for arm, ps in _PS_TOP.items():
        if arm in ("id", "type") or ps not in obj or obj[ps] is None:
            continue
        value = _untruncated(obj[ps])
        sub = _PS_NESTED.get(arm)
        if sub is not None and isinstance(value, dict):
            back = {v: k for k, v in sub.items()}
            value = {_arm_key(back.get(str(k), str(k))): v for k, v in value.items() if v is not None}
        body[_arm_key(arm)] = value
    name = obj.get("Name") or obj.get("ResourceName")
    if isinstance(name, str) and "/" not in name and str(rtype).count("/") > 1:
        name = name_from_id(rid) or name
    body["name"] = name
    return Resource(type=str(rtype), name=name if isinstance(name, str) else Unknown("no name"), id=rid, body=body, file=file,
                    pointer=pointer, doc=doc, source_kind=POWERSHELL, path_map=KeyPathMap(_PS_TOP, _PS_NESTED))


_TRUNCATED = re.compile(r"^(?:@\{.*\}|System\.(?:Object\[\]|Collections\.[A-Za-z.`0-9\[\]]+|Management\.Automation\.PSCustomObject))$", re.S)


def _untruncated(value: Any, depth: int = 0) -> Any:
    """ConvertTo-Json writes what lies deeper than its -Depth (2 by default) as text such as "@{status=enabled}" or
    "System.Object[]": such a value is not known from the export (never read as the string it became)."""
    if isinstance(value, str) and _TRUNCATED.match(value):
        return Unknown("a value ConvertTo-Json cut off: export with -Depth 100")
    if depth > 64:
        return value
    if isinstance(value, dict):
        return {k: _untruncated(v, depth + 1) for k, v in value.items()}
    if isinstance(value, list):
        return [_untruncated(v, depth + 1) for v in value]
    return value


_ARM_SPELLING = {"managedby": "managedBy", "principalid": "principalId", "tenantid": "tenantId",
                 "userassignedidentities": "userAssignedIdentities"}


def _arm_key(key: str) -> str:
    return _ARM_SPELLING.get(key, key)


def recognise_export(doc: Any) -> tuple[str, str] | None:
    """(kind, description) when ``doc`` is one of the exports above."""
    if is_graph_result(doc):
        data = doc["data"]
        count = len(data) if isinstance(data, list) else len(data["rows"])
        return GRAPH, f"Azure Resource Graph result ({count} rows)"
    if is_powershell_export(doc):
        return POWERSHELL, "Az PowerShell export" + (f" ({len(doc)} objects)" if isinstance(doc, list) else "")
    return None


def resources_of(kind: str, doc: Any, *, file: str, doc_index: int) -> list[Resource]:
    if kind == GRAPH:
        return graph_resources(doc, file=file, doc_index=doc_index)
    return powershell_resources(doc, file=file, doc_index=doc_index)
