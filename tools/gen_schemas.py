#!/usr/bin/env python3
"""Generate JSON Schemas (draft 2020-12) for ACR-family and role resources from Azure's bicep type definitions.

Input: ``<types>/{containerregistry_0,containerregistry_1,authorization}/<provider>/<api-version>/types.json``
(Azure/bicep-types-az ``generated/`` layout; default ``../shared/azure-types`` beside the repository).

Output, under ``schemas/azure/`` (deterministic: sorted keys, fixed traversal order):

* ``index.json``: resource type (lower case) -> canonical spelling, folder and known API versions (oldest first).
  The linter reads only this until it meets a resource of a listed type.
* ``<provider>/<type path joined with '.'>/<api-version>.json``: the schema of one type at one version, the
  resource body as an ARM template writes it (top-level template keys such as ``dependsOn`` are accepted).
* ``<provider>/<type path>/paths.json``: per writable property path, the versions that define it, and the values
  each extensible enum knows in any version. ACR426 ("defined only in a newer version") and ACR427 ("a newer
  stable version defines every property used") read it without loading other versions' schemas.

Translation: ObjectType -> object (``additionalProperties`` false unless the type has them); Required flag ->
``required`` unless the property is also ReadOnly; ReadOnly -> ``"readOnly": true``; UnionType of literals ->
``enum`` (closed) or, when the union also admits any string (an extensible enum), ``"x-knownValues"``;
DiscriminatedObjectType -> ``oneOf`` of the variants (base properties merged in) plus ``"x-discriminator"``
``{propertyName, mapping}``. The linter compares enum values and discriminators case-insensitively.
The root ``name`` carries ``"x-lastSegment"``: the type's name constraint applies to the last ``/`` segment,
because ARM templates name child resources ``parent/child``.

Run: ``python tools/gen_schemas.py [--types DIR] [--out DIR]``.
"""
from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
DEFAULT_TYPES = REPO.parent / "shared" / "azure-types"
DEFAULT_OUT = REPO / "schemas" / "azure"
SOURCE_FOLDERS = ("containerregistry_0", "containerregistry_1", "authorization")
AUTHORIZATION_TYPES = {"microsoft.authorization/roleassignments", "microsoft.authorization/roledefinitions"}
SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"

FLAG_REQUIRED = 1
FLAG_READONLY = 2

# Keys an ARM template resource may carry besides what the resource type defines. Accepted whatever their value
# when the type does not define them itself (then the type's definition applies).
ARM_TEMPLATE_KEYS = (
    "apiVersion", "comments", "condition", "copy", "dependsOn", "eTag", "existing", "extendedLocation", "identity",
    "import", "kind", "location", "managedBy", "metadata", "name", "plan", "properties", "resources", "scope", "sku",
    "tags", "type", "zones",
)


def version_key(version: str) -> tuple[str, int, str]:
    """Chronological order; a preview sorts before the stable version of the same date."""
    date = version[:10]
    rest = version[10:]
    return (date, 0 if rest else 1, rest)


def is_preview(version: str) -> bool:
    return len(version) > 10


def type_folder(resource_type: str) -> str:
    provider, _, path = resource_type.lower().partition("/")
    return f"{provider}/{path.replace('/', '.')}"


def wanted(resource_type: str) -> bool:
    low = resource_type.lower()
    return low.startswith("microsoft.containerregistry/") or low in AUTHORIZATION_TYPES


class Converter:
    """Turns one types.json array, from one resource type's body, into a JSON Schema with ``$defs``."""

    def __init__(self, nodes: list[dict[str, Any]]) -> None:
        self.nodes = nodes
        self.defs: dict[str, Any] = {}
        self.def_names: dict[tuple[int, str], str] = {}

    @staticmethod
    def ref_index(ref: dict[str, str]) -> int:
        return int(ref["$ref"].rsplit("/", 1)[1])

    def node(self, ref: dict[str, str]) -> dict[str, Any]:
        return self.nodes[self.ref_index(ref)]

    def _def_name(self, index: int, kind: str, base: str) -> tuple[str, bool]:
        key = (index, kind)
        if key in self.def_names:
            return self.def_names[key], False
        name = re.sub(r"[^A-Za-z0-9_.-]", "_", base) or "Object"
        taken = set(self.def_names.values())
        candidate, n = name, 2
        while candidate in taken:
            candidate, n = f"{name}_{n}", n + 1
        self.def_names[key] = candidate
        return candidate, True

    def convert(self, ref: dict[str, str]) -> dict[str, Any]:
        index = self.ref_index(ref)
        node = self.nodes[index]
        kind = node["$type"]
        if kind == "StringType":
            out: dict[str, Any] = {"type": "string"}
            if "minLength" in node:
                out["minLength"] = node["minLength"]
            if "maxLength" in node:
                out["maxLength"] = node["maxLength"]
            if "pattern" in node:
                out["pattern"] = node["pattern"]
            return out
        if kind == "StringLiteralType":
            return {"type": "string", "const": node["value"]}
        if kind == "IntegerType":
            out = {"type": "integer"}
            if "minValue" in node:
                out["minimum"] = node["minValue"]
            if "maxValue" in node:
                out["maximum"] = node["maxValue"]
            return out
        if kind == "BooleanType":
            return {"type": "boolean"}
        if kind == "AnyType":
            return {}
        if kind == "ArrayType":
            out = {"type": "array", "items": self.convert(node["itemType"])}
            if "minLength" in node:
                out["minItems"] = node["minLength"]
            if "maxLength" in node:
                out["maxItems"] = node["maxLength"]
            return out
        if kind == "UnionType":
            return self.union(node)
        if kind == "ObjectType":
            name, new = self._def_name(index, "object", node.get("name", "Object"))
            if new:
                self.defs[name] = {}  # placeholder first: object types may be recursive
                self.defs[name] = self.object_schema(node.get("properties", {}), node.get("additionalProperties"))
            return {"$ref": f"#/$defs/{name}"}
        if kind == "DiscriminatedObjectType":
            name, new = self._def_name(index, "discriminated", node.get("name", "Variant"))
            if new:
                self.defs[name] = {}
                self.defs[name] = self.discriminated(node)
            return {"$ref": f"#/$defs/{name}"}
        raise ValueError(f"unsupported type node {kind} at #{index}")

    def union(self, node: dict[str, Any]) -> dict[str, Any]:
        literals: list[str] = []
        open_string = False
        others: list[dict[str, Any]] = []
        for element in node["elements"]:
            target = self.node(element)
            if target["$type"] == "StringLiteralType":
                if target["value"] not in literals:
                    literals.append(target["value"])
            elif target["$type"] == "StringType" and len(target) == 1:
                open_string = True
            else:
                others.append(self.convert(element))
        if others:
            branches: list[dict[str, Any]] = others[:]
            if literals:
                branches.insert(0, {"type": "string", "enum": literals})
            if open_string:
                branches.append({"type": "string"})
            return {"anyOf": branches}
        if open_string:
            return {"type": "string", "x-knownValues": literals}
        return {"type": "string", "enum": literals}

    def property_schema(self, prop: dict[str, Any]) -> dict[str, Any]:
        schema = dict(self.convert(prop["type"]))
        if prop.get("flags", 0) & FLAG_READONLY:
            schema["readOnly"] = True
        return schema

    def object_schema(
        self, properties: dict[str, Any], additional: dict[str, str] | None, extra: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        props: dict[str, Any] = {}
        required: list[str] = []
        for pname, prop in properties.items():
            props[pname] = self.property_schema(prop)
            flags = prop.get("flags", 0)
            if flags & FLAG_REQUIRED and not flags & FLAG_READONLY:
                required.append(pname)
        if extra:
            props.update(extra)
        out: dict[str, Any] = {"type": "object", "properties": props}
        if required:
            out["required"] = required
        out["additionalProperties"] = self.convert(additional) if additional else False
        return out

    def discriminated(self, node: dict[str, Any]) -> dict[str, Any]:
        disc = node["discriminator"]
        base = node.get("baseProperties", {})
        mapping: dict[str, str] = {}
        variants: list[dict[str, Any]] = []
        for value, ref in node["elements"].items():
            index = self.ref_index(ref)
            element = self.nodes[index]
            name, new = self._def_name(index, "variant", element.get("name", value))
            if new:
                self.defs[name] = {}
                merged = dict(base)
                merged.update(element.get("properties", {}))
                schema = self.object_schema(
                    {k: v for k, v in merged.items() if k != disc},
                    element.get("additionalProperties"),
                    {disc: {"type": "string", "const": value}},
                )
                schema["required"] = sorted(set(schema.get("required", [])) | {disc}, key=lambda k: (k != disc, k))
                self.defs[name] = schema
            mapping[value] = f"#/$defs/{name}"
            variants.append({"$ref": f"#/$defs/{name}"})
        return {
            "type": "object",
            "required": [disc],
            "oneOf": variants,
            "x-discriminator": {"propertyName": disc, "mapping": mapping},
        }

    def resource(self, resource_type: str, version: str, body_ref: dict[str, str]) -> dict[str, Any]:
        body = self.node(body_ref)
        root = self.object_schema(body.get("properties", {}), body.get("additionalProperties"))
        props = root["properties"]
        name_schema = props.get("name", {"type": "string"})
        props["name"] = {"type": "string"}
        segment = {k: v for k, v in name_schema.items() if k not in ("type", "readOnly")}
        if segment:
            props["name"]["x-lastSegment"] = {"type": "string", **segment}
        props["type"] = {"type": "string"}
        props["apiVersion"] = {"type": "string"}
        for key in ARM_TEMPLATE_KEYS:
            props.setdefault(key, {"x-armTemplateKey": True})
        root["required"] = [r for r in root.get("required", []) if r not in ("name", "type", "apiVersion")]
        if not root["required"]:
            del root["required"]
        return {
            "$schema": SCHEMA_DIALECT,
            "title": f"{resource_type}@{version}",
            "x-resourceType": resource_type,
            "x-apiVersion": version,
            **root,
            "$defs": self.defs,
        }


def writable_paths(schema: dict[str, Any]) -> dict[str, list[str]]:
    """Writable property paths of one version's schema -> known values of an extensible enum there (else [])."""
    defs = schema.get("$defs", {})
    out: dict[str, list[str]] = {}

    def resolve(node: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in node:
            node = defs[node["$ref"].rsplit("/", 1)[1]]
        return node

    def visit(node: dict[str, Any], prefix: str, stack: tuple[str, ...]) -> None:
        ref = node.get("$ref")
        if ref:
            if ref in stack or len(stack) > 12:
                return
            stack = stack + (ref,)
        node = resolve(node)
        for branch in node.get("oneOf", []) + node.get("anyOf", []):
            visit(branch, prefix, stack)
        if "x-knownValues" in node and prefix:
            values = out.setdefault(prefix, [])
            values.extend(v for v in node["x-knownValues"] if v not in values)
        if node.get("type") == "array" and "items" in node:
            visit(node["items"], f"{prefix}[]", stack)
        for pname, pschema in node.get("properties", {}).items():
            if pschema.get("readOnly") or pschema.get("x-armTemplateKey") or (not prefix and pname in ("name", "type", "apiVersion")):
                continue
            path = f"{prefix}.{pname.lower()}" if prefix else pname.lower()
            out.setdefault(path, [])
            visit(pschema, path, stack)
        additional = node.get("additionalProperties")
        if isinstance(additional, dict):
            path = f"{prefix}.*" if prefix else "*"
            out.setdefault(path, [])
            visit(additional, path, stack)

    visit(schema, "", ())
    return out


def collect(types_dir: Path) -> dict[str, dict[str, tuple[list[dict[str, Any]], dict[str, str], str]]]:
    """resource type (canonical) -> version -> (nodes, body ref, source file)."""
    found: dict[str, dict[str, tuple[list[dict[str, Any]], dict[str, str], str]]] = {}
    canonical: dict[str, str] = {}
    for folder in SOURCE_FOLDERS:
        for path in sorted((types_dir / folder).glob("*/*/types.json")):
            nodes = json.loads(path.read_text(encoding="utf-8"))
            for node in nodes:
                if node.get("$type") != "ResourceType":
                    continue
                rtype, _, version = node["name"].partition("@")
                if not wanted(rtype):
                    continue
                rtype = canonical.setdefault(rtype.lower(), rtype)
                versions = found.setdefault(rtype, {})
                if version in versions:
                    raise ValueError(f"{rtype}@{version} defined twice ({versions[version][2]} and {path})")
                versions[version] = (nodes, node["body"], str(path.relative_to(types_dir)))
    return found


def dump(data: Any) -> str:
    return json.dumps(data, sort_keys=True, indent=1, ensure_ascii=False) + "\n"


def generate(types_dir: Path, out_dir: Path) -> list[Path]:
    found = collect(types_dir)
    if not found:
        raise SystemExit(f"no resource types found under {types_dir}")
    if out_dir.exists():
        shutil.rmtree(out_dir)
    written: list[Path] = []
    index: dict[str, Any] = {}
    for rtype in sorted(found, key=str.lower):
        folder = type_folder(rtype)
        versions = sorted(found[rtype], key=version_key)
        paths: dict[str, dict[str, Any]] = {}
        for version in versions:
            nodes, body_ref, _source = found[rtype][version]
            schema = Converter(nodes).resource(rtype, version, body_ref)
            target = out_dir / folder / f"{version}.json"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(dump(schema), encoding="utf-8")
            written.append(target)
            for path, values in writable_paths(schema).items():
                entry = paths.setdefault(path, {"versions": [], "knownValues": []})
                entry["versions"].append(version)
                entry["knownValues"].extend(v for v in values if v not in entry["knownValues"])
        for entry in paths.values():
            if not entry["knownValues"]:
                del entry["knownValues"]
        target = out_dir / folder / "paths.json"
        target.write_text(dump({"type": rtype, "versions": versions, "paths": paths}), encoding="utf-8")
        written.append(target)
        index[rtype.lower()] = {"type": rtype, "folder": folder, "versions": versions}
    target = out_dir / "index.json"
    target.write_text(
        dump({"generator": "tools/gen_schemas.py", "source": "Azure/bicep-types-az generated/", "types": index}),
        encoding="utf-8",
    )
    written.append(target)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--types", type=Path, default=DEFAULT_TYPES, help="folder holding the bicep types.json trees")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder (replaced)")
    args = parser.parse_args(argv)
    written = generate(args.types, args.out)
    size = sum(p.stat().st_size for p in written)
    print(f"wrote {len(written)} files, {size / 1024:.0f} KiB, to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
