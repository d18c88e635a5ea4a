#!/usr/bin/env python3
"""Write the Bicep twin of the ARM template fixtures: tests/fixtures/<RULE>/<case>.json -> <case>.bicep.

    python tools/arm_to_bicep.py [--force] [FILE.json ...]

A small decompiler for the shapes the fixtures use (parameters, resources with nested children, condition, scope,
the common template functions): references to resources declared in the template become symbolic (``acr.id``,
``scope: acr``, ``acr.properties.x``), like a person would write them. A template it cannot express (copy loops,
an expression as scope, functions it does not know) is left without a twin. The twins' expected findings are made by
``pytest --update-snapshots`` and must equal their JSON twin's apart from positions (tests/test_fixtures.py checks it).
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from linter.arm import expr as arm  # noqa: E402

FIXTURES = REPO / "tests" / "fixtures"
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_KEYWORDS = {"true", "false", "null", "if", "for", "in", "resource", "module", "param", "var", "output", "existing"}
# an API version for resources the templates only name (scope targets): any version serves an `existing` reference
_EXISTING_API = {"microsoft.containerregistry/registries": "2025-11-01"}
_SKIP_KEYS = {"type", "apiVersion", "name", "dependsOn", "scope", "condition", "comments", "resources"}


class Unsupported(Exception):
    pass


def bicep_string(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'").replace("${", "\\${").replace("\n", "\\n") + "'"


def key_text(key: str) -> str:
    return key if _IDENT.match(key) and key not in _KEYWORDS else bicep_string(key)


class Converter:
    def __init__(self, template: dict[str, Any]):
        self.template = template
        self.params = template.get("parameters") or {}
        self.symbols: dict[tuple[str, str], str] = {}  # (type lower, name) -> symbol
        self.api: dict[str, str] = {}  # symbol -> api version
        self.existing: list[str] = []
        self.used: set[str] = set(self.params)

    # ------------------------------------------------------------------ symbols
    def symbol_for(self, rtype: str, name: Any, index: int) -> str:
        if isinstance(name, str) and not name.startswith("["):
            base = name.split("/")[-1]
        else:  # a computed name: after the type, 'roleAssignments' -> roleAssignment
            base = rtype.split("/")[-1]
            base = base[:-1] if base.endswith("s") else base
        base = re.sub(r"[^A-Za-z0-9_]", "_", base) or f"res{index}"
        if base[0].isdigit():
            base = "r" + base
        sym = base
        k = 2
        while sym in self.used or sym in _KEYWORDS:
            sym = f"{base}{k}"
            k += 1
        self.used.add(sym)
        return sym

    def target(self, rtype: str, names: list[str]) -> str | None:
        return self.symbols.get((rtype.lower(), "/".join(names)))

    def scope_target(self, scope: Any) -> str:
        """The symbol of a scope written as an ID, a relative ID or resourceId(); an `existing` declaration when the
        template does not declare it."""
        if isinstance(scope, str) and scope.startswith("[") and not scope.startswith("[["):
            node = arm._parse(scope)
            if isinstance(node, arm.Call) and node.name.lower() == "resourceid" and all(isinstance(a, arm.Literal) for a in node.args):
                values = [a.value for a in node.args]  # type: ignore[attr-defined]
                return self._declared_or_existing(values[0], values[1:], None)
            raise Unsupported("scope expression")
        if not isinstance(scope, str):
            raise Unsupported("scope")
        rg = None
        text = scope
        m = re.match(r"/subscriptions/[^/]+/resourceGroups/([^/]+)/providers/(.*)\Z", scope, re.IGNORECASE)
        if m:
            rg, text = m.group(1), m.group(2)
            if rg == "acrlint-rg":
                rg = None
        parts = text.split("/")
        if len(parts) < 3 or len(parts) % 2 == 0:
            raise Unsupported("scope id")
        rtype = parts[0] + "/" + "/".join(parts[1::2])
        names = parts[2::2]
        return self._declared_or_existing(rtype, names, rg)

    def _declared_or_existing(self, rtype: str, names: list[str], rg: str | None) -> str:
        found = self.target(rtype, names) if rg is None else None
        if found:
            return found
        sym = self.symbol_for(rtype, "/".join(names), len(self.existing) + 100)
        api = _EXISTING_API.get(rtype.lower(), "2023-07-01")
        scope = f"\n  scope: resourceGroup({bicep_string(rg)})" if rg else ""
        self.existing.append(f"resource {sym} '{rtype}@{api}' existing = {{\n  name: {bicep_string('/'.join(names))}{scope}\n}}\n")
        self.symbols[(rtype.lower(), "/".join(names))] = sym
        return sym

    # ------------------------------------------------------------------ expressions
    def expr(self, node: Any) -> str:
        if isinstance(node, arm.Literal):
            v = node.value
            if isinstance(v, str):
                return bicep_string(v)
            if v is None:
                return "null"
            if isinstance(v, bool):
                return "true" if v else "false"
            return str(v)
        if isinstance(node, arm.Member):
            base = self.expr(node.target)
            key = node.key
            if isinstance(key, arm.Literal) and isinstance(key.value, str) and _IDENT.match(key.value):
                return f"{base}.{key.value}"
            return f"{base}[{self.expr(key)}]"
        if isinstance(node, arm.Call):
            name = node.name
            low = name.lower()
            args = list(node.args)
            if low == "parameters" and len(args) == 1 and isinstance(args[0], arm.Literal):
                return str(args[0].value)
            if low == "resourceid" and args and all(isinstance(a, arm.Literal) for a in args):
                values = [a.value for a in args]
                sym = self.target(values[0], values[1:])
                if sym:
                    return f"{sym}.id"
            if low == "reference" and args and isinstance(args[0], arm.Call) and args[0].name.lower() == "resourceid":
                inner = args[0]
                if all(isinstance(a, arm.Literal) for a in inner.args):
                    values = [a.value for a in inner.args]
                    sym = self.target(values[0], values[1:])
                    full = len(args) >= 3 and isinstance(args[2], arm.Literal) and str(args[2].value).lower() == "full"
                    if sym:
                        return sym if full else f"{sym}.properties"
            if low in ("variables", "copyindex", "lambda", "lambdavariables", "createobject", "createarray", "if"):
                raise Unsupported(name)
            return f"{name}({', '.join(self.expr(a) for a in args)})"
        raise Unsupported(type(node).__name__)

    def value(self, value: Any, indent: int) -> str:
        pad = "  " * indent
        if isinstance(value, str):
            if value.startswith("[[") and value.endswith("]"):
                return bicep_string(value[1:])
            if value.startswith("[") and value.endswith("]"):
                return self.expr(arm._parse(value))
            return bicep_string(value)
        if value is None:
            return "null"
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, (int, float)):
            if isinstance(value, float):
                raise Unsupported("float")
            return str(value)
        if isinstance(value, list):
            if not value:
                return "[]"
            items = "".join(f"{pad}  {self.value(v, indent + 1)}\n" for v in value)
            return f"[\n{items}{pad}]"
        if isinstance(value, dict):
            if "copy" in value:
                raise Unsupported("property copy")
            if not value:
                return "{}"
            props = "".join(f"{pad}  {key_text(k)}: {self.value(v, indent + 1)}\n" for k, v in value.items())
            return f"{{\n{props}{pad}}}"
        raise Unsupported(type(value).__name__)

    # ------------------------------------------------------------------ template
    def convert(self) -> str:
        tpl = self.template
        if any(k in tpl for k in ("variables", "functions", "copy")) or tpl.get("languageVersion"):
            raise Unsupported("template features")
        resources = tpl.get("resources")
        if not isinstance(resources, list):
            raise Unsupported("resources")
        out: list[str] = []
        for name, spec in self.params.items():
            ptype = str(spec.get("type", "string"))
            low = ptype.lower()
            deco = ""
            if low in ("securestring", "secureobject"):
                deco = "@secure()\n"
                low = "string" if low == "securestring" else "object"
            if low not in ("string", "int", "bool", "object", "array"):
                raise Unsupported(f"parameter type {ptype}")
            if "allowedValues" in spec:
                deco += f"@allowed({self.value(spec['allowedValues'], 0)})\n"
            default = f" = {self.value(spec['defaultValue'], 0)}" if "defaultValue" in spec else ""
            out.append(f"{deco}param {name} {low}{default}\n")
        # symbols first: resources refer to each other in any order
        for i, res in enumerate(resources):
            if "copy" in res:
                raise Unsupported("copy loop")
            if isinstance(res.get("name"), str) and not res["name"].startswith("["):
                sym = self.symbol_for(res["type"], res["name"], i)
                self.symbols[(res["type"].lower(), res["name"])] = sym
            else:
                sym = self.symbol_for(res["type"], None, i)
            res["__symbol"] = sym
        body = [self.resource(res, res["type"], 0) for res in resources]
        if out:
            out.append("\n")
        text = "".join(out) + "".join(e + "\n" for e in self.existing) + "\n".join(body)
        outputs = tpl.get("outputs") or {}
        for name, spec in outputs.items():
            text += f"\noutput {name} {str(spec.get('type', 'string')).lower()} = {self.value(spec.get('value'), 0)}\n"
        return text

    def resource(self, res: dict[str, Any], full_type: str, indent: int, nested: bool = False) -> str:
        pad = "  " * indent
        if str(res.get("apiVersion", "")).startswith("[") or str(res.get("type", "")).startswith("["):
            raise Unsupported("a computed type or API version: Bicep has none")
        sym = res.get("__symbol") or self.symbol_for(full_type, res.get("name"), 0)
        rtype = res["type"] if nested else full_type
        head = f"{pad}resource {sym} '{rtype}@{res['apiVersion']}' "
        if res.get("existing") is True:
            head += "existing "
        head += "= "
        if "condition" in res:
            head += f"if ({self.value(res['condition'], indent)}) "
        lines = [f"{pad}  name: {self.value(res['name'], indent + 1)}\n"]
        if "scope" in res:
            lines.append(f"{pad}  scope: {self.scope_target(res['scope'])}\n")
        for key, value in res.items():
            if key in _SKIP_KEYS or key.startswith("__") or key == "existing":
                continue
            lines.append(f"{pad}  {key_text(key)}: {self.value(value, indent + 1)}\n")
        for child in res.get("resources") or []:
            child_type = child["type"] if "/" in child["type"] and "." in child["type"].split("/")[0] else f"{full_type}/{child['type']}"
            if child_type.lower() != f"{full_type}/{child['type'].split('/')[-1]}".lower():
                raise Unsupported("child type")
            child = dict(child, type=child["type"].split("/")[-1])
            lines.append("\n" + self.resource(child, child_type, indent + 1, nested=True))
        return head + "{\n" + "".join(lines) + f"{pad}}}\n"


def convert_file(path: Path) -> str | None:
    try:
        template = json.loads(path.read_text())
    except ValueError:
        return None
    if not isinstance(template, dict) or "deploymenttemplate.json" not in str(template.get("$schema", "")).lower():
        return None
    try:
        return Converter(template).convert()
    except (Unsupported, arm.ExprError, KeyError, TypeError):
        return None


def main(argv: list[str]) -> int:
    force = "--force" in argv
    files = [Path(a) for a in argv if not a.startswith("--")] or sorted(
        p for p in FIXTURES.glob("ACR*/*.json") if not p.name.endswith((".expected.json", ".options.json")))
    written = skipped = 0
    for path in files:
        target = path.with_suffix(".bicep")
        if target.exists() and not force:
            continue
        text = convert_file(path)
        if text is None:
            skipped += 1
            continue
        target.write_text(text)
        options = path.with_name(path.name[: -len(".json")] + ".options.json")
        if options.is_file():  # rule options of the case apply to its twin too
            target.with_name(target.name + ".options.json").write_text(options.read_text())
        written += 1
    print(f"wrote {written} Bicep twins, {skipped} templates left without one")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
