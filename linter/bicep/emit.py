"""Translate a Bicep syntax tree into the ARM JSON template the Bicep compiler would emit, with a source map.

The template then goes through the ARM expander (linter.arm.expand) like any other: parameters, variables,
copy loops, conditions, symbolic references, nested deployments (Bicep modules) and Unknown values all behave
exactly as in the compiled JSON. The source map gives, for each JSON pointer of the template, the Bicep span
(character offsets) it was written at; pointers that exist only after expansion fall back to their longest
mapped prefix, as in JSON.

What is translated follows the compiler's emitter (Azure/bicep src/Bicep.Core/Emit): symbolic names
(languageVersion 2.0) under the same conditions, ``resource.id`` as resourceId()/extensionResourceId(),
``resource.name`` as the name expression, ``resource.properties.x`` as reference(), module outputs as
reference(...).outputs.x.value, loops as copy with the loop variables replaced by ``iterable[copyIndex()]``,
nested and ``parent:`` child resources as ``parent/child`` types and names.
"""
from __future__ import annotations

import base64
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from linter.arm.nodes import type_name
from linter.bicep import syntax as s
from linter.constants import DUPLICATE_KEY, NOT_FOLLOWED, READ_ERROR
from linter.decode import decode_text
from linter.model import join_pointer

__all__ = ["Problem", "Translation", "translate"]

DEPLOYMENTS = "Microsoft.Resources/deployments"
DEPLOYMENTS_API = "2025-04-01"
UNKNOWN_PARAM = "__acrlint_unknown"  # a parameter without a value: whatever cannot be known statically
UNKNOWN = f"parameters('{UNKNOWN_PARAM}')"
_SCHEMAS = {
    "resourceGroup": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
    "subscription": "https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentTemplate.json#",
    "managementGroup": "https://schema.management.azure.com/schemas/2019-08-01/managementGroupDeploymentTemplate.json#",
    "tenant": "https://schema.management.azure.com/schemas/2019-08-01/tenantDeploymentTemplate.json#",
}
_PRIMITIVES = {"string": "string", "int": "int", "bool": "bool", "object": "object", "array": "array"}
_BINARY = {
    "==": "equals", "<": "less", "<=": "lessOrEquals", ">": "greater", ">=": "greaterOrEquals", "&&": "and",
    "||": "or", "??": "coalesce", "+": "add", "-": "sub", "*": "mul", "/": "div", "%": "mod",
}
_RESOURCE_SPECIAL = ("id", "name", "type", "apiVersion", "properties")
_MAX_FILE_BYTES = 4 << 20  # load*Content: the compiler's own limits are lower (about 1 MB)


@dataclass
class Problem:
    """A finding produced while reading the Bicep file: rule id, severity (None: the rule's), message, span."""

    rule_id: str
    message: str
    start: int
    end: int
    severity: str | None = None


@dataclass
class Translation:
    template: dict[str, Any]
    source_map: dict[str, tuple[int, int]]
    problems: list[Problem] = field(default_factory=list)
    # pointer of each inlined module template -> the module file it came from (posix path as loaded)
    modules: dict[str, str] = field(default_factory=dict)
    symbolic: bool = False
    target_scope: str = "resourceGroup"
    outputs_secure: bool = False
    secure_outputs: set[str] = field(default_factory=set)
    path: str = ""
    emitter: Any = None  # the Emitter, for imports from this file


class TranslateError(Exception):
    """A construct that cannot be translated: one ACR000 finding at its span; the declaration is left out."""

    def __init__(self, message: str, node: s.Node | None = None, start: int | None = None, end: int | None = None):
        super().__init__(message)
        self.message = message
        self.start = start if start is not None else (node.start if node is not None else 0)
        self.end = end if end is not None else (node.end if node is not None else self.start + 1)


def lit(text: str) -> str:
    """An ARM expression string literal."""
    return "'" + text.replace("'", "''") + "'"


def call(name: str, *args: str) -> str:
    return f"{name}({', '.join(args)})"


def _json_string(text: str) -> str:
    """A literal JSON string value that the expander must not read as an expression."""
    if text.startswith("[") and text.endswith("]"):
        return "[" + text
    return text


def _expr_value(expr: str) -> str:
    return "[" + expr + "]"


def _as_value(expr: str) -> Any:
    """An expression as a JSON value: a constant (a literal name reached through resource.name, a literal scope)
    is written as the value itself, as the compiler does; anything else as "[expr]"."""
    if _STRING_LITERAL.match(expr):
        return _json_string(expr[1:-1].replace("''", "'"))
    if _INT_LITERAL.match(expr) and -(2 ** 31) <= int(expr) < 2 ** 31:
        return int(expr)
    return _expr_value(expr)


def _literal_expr(value: Any) -> str:
    """ARM expression text for a JSON value (loadJsonContent, a folded literal)."""
    if value is None:
        return "null()"
    if value is True:
        return "true()"
    if value is False:
        return "false()"
    if isinstance(value, int):
        return str(value) if -(2 ** 31) <= value < 2 ** 31 else call("json", lit(str(value)))
    if isinstance(value, float):
        return call("json", lit(repr(value)))
    if isinstance(value, str):
        return lit(value)
    if isinstance(value, list):
        return call("createArray", *(_literal_expr(v) for v in value))
    if isinstance(value, dict):
        parts: list[str] = []
        for k, v in value.items():
            parts += [lit(str(k)), _literal_expr(v)]
        return call("createObject", *parts)
    return UNKNOWN


def _format_string(parts: list[str]) -> str:
    out = []
    for i, part in enumerate(parts):
        out.append(part.replace("{", "{{").replace("}", "}}"))
        if i < len(parts) - 1:
            out.append("{" + str(i) + "}")
    return "".join(out)


# ------------------------------------------------------------------------------------------- semantic info

@dataclass(eq=False)
class ResInfo:
    decl: s.Resource
    symbol: str  # the symbolic name in the template: 'acr', 'vault::key' for a nested resource
    full_type: str
    api: str
    existing: bool
    body: s.Object
    loop: s.For | None
    condition: s.Expr | None
    lexical_parent: ResInfo | None
    parent: ResInfo | None = None  # lexical parent or parent: property
    parent_index: s.Expr | None = None
    name_expr: s.Expr | None = None
    scope_expr: s.Expr | None = None
    key: str = ""  # key (2.0) or index (1.0) in the template's resources
    children: dict[str, ResInfo] = field(default_factory=dict)

    @property
    def is_collection(self) -> bool:
        return self.loop is not None


@dataclass(eq=False)
class ModInfo:
    decl: s.Module
    body: s.Object
    loop: s.For | None
    condition: s.Expr | None
    name_expr: s.Expr | None
    scope_expr: s.Expr | None
    translation: Translation | None = None
    key: str = ""

    @property
    def is_collection(self) -> bool:
        return self.loop is not None


@dataclass
class Ctx:
    """Names bound in the current expression: loop and lambda variables -> ARM expression text; the nested
    resources visible by their short name; the copy loop that ``copyIndex()`` means here."""

    locals: dict[str, str] = field(default_factory=dict)
    nested: dict[str, ResInfo] = field(default_factory=dict)
    in_function: bool = False

    def bind(self, **names: str) -> Ctx:
        out = Ctx(dict(self.locals), self.nested, self.in_function)
        out.locals.update(names)
        return out


# a module loader: (the including file's path, the module path as written) -> Translation, or None when the
# module cannot be read (with the reason)
ModuleLoader = Callable[[str, str], "tuple[Translation | None, str | None]"]
# reads a file for load*Content: (the including file's path, the path as written) -> bytes, or None and why
FileReader = Callable[[str, str], "tuple[bytes | None, str | None]"]


class Emitter:
    def __init__(self, program: s.Program, path: str, load_module: ModuleLoader | None = None,
                 read_file: FileReader | None = None, load_import: ModuleLoader | None = None):
        self.prog = program
        self.text = program.text
        self.path = path
        self.load_module = load_module
        self.read_file = read_file
        self.load_import = load_import
        self.problems: list[Problem] = []
        self.smap: dict[str, tuple[int, int]] = {}
        self.modules_map: dict[str, str] = {}
        self.target_scope = "resourceGroup"
        self.params: dict[str, s.Param] = {}
        self.vars: dict[str, s.Var] = {}
        self.types: dict[str, s.TypeDecl] = {}
        self.funcs: dict[str, s.Func] = {}
        self.resources: dict[str, ResInfo] = {}  # top-level symbols
        self.all_resources: list[ResInfo] = []
        self.modules: dict[str, ModInfo] = {}
        self.outputs: list[s.Output] = []
        self.imported_vars: dict[str, Any] = {}  # local name -> (Emitter of the exporting file, name) or None
        self.imported_funcs: dict[str, Any] = {}
        self.imported_types: set[str] = set()
        self.imported_type_defs: dict[str, tuple[Emitter, str]] = {}  # local name -> (the exporting file, name)
        self.namespaces: dict[str, Any] = {}  # wildcard import alias -> Emitter or None (registry)
        self.extensions: set[str] = set()
        self.broken_names: set[str] = set()
        self.has_broken = False
        self.symbolic = False
        self.uses_unknown = False
        self.extra_functions: dict[str, dict[str, Any]] = {}  # imported functions copied into this template
        self.registry_import_reported = False

    # ----------------------------------------------------------------------------------------- problems
    def problem(self, message: str, start: int, end: int, rule_id: str = READ_ERROR, severity: str | None = None) -> None:
        self.problems.append(Problem(rule_id, message, start, max(end, start + 1), severity))

    def unknown(self) -> str:
        self.uses_unknown = True
        return UNKNOWN

    # ----------------------------------------------------------------------------------------- collect
    def collect(self) -> None:
        for stmt in self.prog.statements:
            if isinstance(stmt, s.Broken):
                self.has_broken = True
                what = f"'{stmt.keyword}' declaration" if stmt.keyword else "declaration"
                self.problem(f"cannot parse Bicep: {stmt.message} (this {what} is skipped)", stmt.at,
                             max(stmt.at + 1, min(stmt.end, self.text.find("\n", stmt.at) if "\n" in self.text[stmt.at:] else stmt.end)))
                name = self._broken_name(stmt)
                if name:
                    self.broken_names.add(name)
            elif isinstance(stmt, s.TargetScope):
                value = stmt.value
                if isinstance(value, s.Literal) and value.value in _SCHEMAS:
                    self.target_scope = value.value
                else:
                    self.problem("targetScope must be 'resourceGroup', 'subscription', 'managementGroup' or 'tenant'",
                                 stmt.start, stmt.end)
            elif isinstance(stmt, s.Param):
                self.params[stmt.name] = stmt
            elif isinstance(stmt, s.Var):
                self.vars[stmt.name] = stmt
            elif isinstance(stmt, s.TypeDecl):
                self.types[stmt.name] = stmt
            elif isinstance(stmt, s.Func):
                self.funcs[stmt.name] = stmt
            elif isinstance(stmt, s.Output):
                self.outputs.append(stmt)
            elif isinstance(stmt, s.Resource):
                self._collect_resource(stmt, None)
            elif isinstance(stmt, s.Module):
                self._collect_module(stmt)
            elif isinstance(stmt, s.Import):
                self._collect_import(stmt)
            elif isinstance(stmt, s.Extension):
                self.extensions.add(stmt.alias or stmt.spec)
        # parent: properties, once every resource is known
        for info in self.all_resources:
            if info.lexical_parent is not None:
                info.parent = info.lexical_parent
                continue
            parent_expr = _prop(info.body, "parent")
            if parent_expr is None:
                continue
            target, index = _strip_index(parent_expr)
            parent = self._resource_of(target, Ctx())
            if parent is None:
                self.problem("'parent' must be a resource declared in this file", parent_expr.start, parent_expr.end)
                continue
            info.parent, info.parent_index = parent, index
            if not info.full_type.lower().startswith(parent.full_type.lower() + "/") and "/" not in info.full_type:
                info.full_type = f"{parent.full_type}/{info.full_type}"

    def _broken_name(self, stmt: s.Broken) -> str | None:
        # the name after the keyword, when the declaration got that far
        if stmt.keyword in ("param", "var", "resource", "module", "type", "func", "output"):
            rest = self.text[stmt.start + len(stmt.keyword):stmt.end].split()
            if rest and rest[0].isidentifier():
                return rest[0]
        return None

    def _split_type(self, type_string: str, node: s.Resource) -> tuple[str, str]:
        if "@" not in type_string:
            raise TranslateError(f"resource type '{type_string}' has no API version ('type@version')", start=node.type_start, end=node.type_end)
        rtype, _, api = type_string.partition("@")
        return rtype, api

    def _collect_resource(self, decl: s.Resource, lexical_parent: ResInfo | None) -> None:
        try:
            if lexical_parent is not None and "@" not in decl.type_string:
                rtype, api = decl.type_string, lexical_parent.api  # a nested type without a version: the parent's
            else:
                rtype, api = self._split_type(decl.type_string, decl)
        except TranslateError as exc:
            self.problem(exc.message, exc.start, exc.end)
            self.broken_names.add(decl.name)
            return
        if lexical_parent is not None and "." not in rtype.split("/")[0]:
            rtype = f"{lexical_parent.full_type}/{rtype}"  # 'keys@2024-11-01' nested in a vault
        body, loop, cond = _unwrap_body(decl.body)
        symbol = f"{lexical_parent.symbol}::{decl.name}" if lexical_parent is not None else decl.name
        info = ResInfo(decl, symbol, rtype, api, decl.existing, body, loop, cond, lexical_parent)
        info.name_expr = _prop(body, "name")
        info.scope_expr = _prop(body, "scope")
        self.all_resources.append(info)
        if lexical_parent is None:
            self.resources[decl.name] = info
        else:
            lexical_parent.children[decl.name] = info
        for child in decl.children:
            self._collect_resource(child, info)

    def _collect_module(self, decl: s.Module) -> None:
        body, loop, cond = _unwrap_body(decl.body)
        info = ModInfo(decl, body, loop, cond, _prop(body, "name"), _prop(body, "scope"))
        self.modules[decl.name] = info

    def _collect_import(self, stmt: s.Import) -> None:
        path = stmt.path
        local = not _is_registry_ref(path)
        source: Emitter | None = None
        if local and self.load_import is not None:
            translation, why = self.load_import(self.path, path)
            source = getattr(translation, "emitter", None) if translation is not None else None
            if source is None:
                self.problem(f"cannot import from '{path}': {why or 'not readable'}", stmt.path_start, stmt.path_end)
        elif not local and not self.registry_import_reported:
            self.registry_import_reported = True
            self.problem(
                f"types, variables and functions imported from the registry ('{path}') are not read (acrlint works "
                "offline): values that depend on them are treated as unknown", stmt.path_start, stmt.path_end, NOT_FOLLOWED)
        if stmt.wildcard:
            self.namespaces[stmt.wildcard] = source
            return
        for original, alias in stmt.symbols:
            if source is None:
                self.imported_types.add(alias)
                self.imported_vars[alias] = None
                self.imported_funcs[alias] = None
                continue
            if original in source.types:
                self.imported_types.add(alias)
                self.imported_type_defs[alias] = (source, original)
            elif original in source.vars:
                self.imported_vars[alias] = (source, original)
            elif original in source.funcs:
                self.imported_funcs[alias] = (source, original)
            else:
                self.problem(f"'{original}' is not exported by '{path}'", stmt.path_start, stmt.path_end)
                self.imported_vars[alias] = None

    # ----------------------------------------------------------------------------------------- symbolic names
    def needs_symbolic(self) -> bool:
        """The compiler's conditions for languageVersion 2.0 (Bicep.Core.Emit.EmitterSettings)."""
        prog = self.prog
        if self.extensions or self.types or self.funcs:
            return True
        if any(isinstance(st, s.Import) for st in prog.statements):
            return True
        if any(v.type is not None for v in self.vars.values()):
            return True
        for info in self.all_resources:
            if info.existing and _prop(info.body, "dependsOn") is not None:
                return True
            if info.decl.decorator("onlyIfNotExists") is not None:
                return True
            if "." not in info.full_type.split("/")[0]:
                return True  # an extensible (non-Azure) resource
        for out in self.outputs:
            if out.decorator("secure") is not None:
                return True
        for mod in self.modules.values():
            if mod.name_expr is None:
                return True
            if mod.translation is not None and mod.translation.outputs_secure:
                return True
        for st in prog.statements:
            texpr = getattr(st, "type", None) if isinstance(st, (s.Param, s.Output)) else None
            if texpr is not None and _has_type_syntax(texpr):
                return True
        return self._collection_referenced_whole()

    def _collection_referenced_whole(self) -> bool:
        """A resource or module collection used as a value without an index needs references()."""
        names = {name for name, info in self.resources.items() if info.is_collection}
        names |= {name for name, info in self.modules.items() if info.is_collection}
        if not names:
            return False
        found = False

        def visit(node: Any, parent: Any) -> None:
            nonlocal found
            if found:
                return
            if isinstance(node, s.Name) and node.name in names and not isinstance(parent, (s.Index, s.Member)):
                found = True
                return
            for child in _children(node):
                visit(child, node)

        for st in self.prog.statements:
            if isinstance(st, (s.Var, s.Output)):
                visit(st.value, None)
            elif isinstance(st, (s.Resource, s.Module)):
                for item in _unwrap_body(st.body)[0].items:
                    if isinstance(item, s.Prop) and item.key == "dependsOn":
                        continue
                    visit(item, None)
        return found

    # ----------------------------------------------------------------------------------------- translate
    def translate(self) -> Translation:
        self.collect()
        for mod in self.modules.values():
            self._load_module(mod)
        self.symbolic = self.needs_symbolic()
        template: dict[str, Any] = {
            "$schema": _SCHEMAS[self.target_scope],
            "contentVersion": "1.0.0.0",
        }
        if self.symbolic:
            template = {"$schema": _SCHEMAS[self.target_scope], "languageVersion": "2.0", "contentVersion": "1.0.0.0"}
        metadata = self._metadata()
        if metadata:
            template["metadata"] = metadata
        params = self._parameters()
        own_functions = self._own_functions()
        variables = self._variables()
        resources = self._resources()
        outputs = self._outputs()
        functions = self.finish_imports(variables, own_functions)
        if self.uses_unknown:
            params[UNKNOWN_PARAM] = {"type": "object", "metadata": {"description": "acrlint: a value that cannot be known"}}
        if self.types or self.imported_type_defs:
            definitions = self._definitions()
            if definitions:
                template["definitions"] = definitions
        template["parameters"] = params
        if functions:
            template["functions"] = functions
        if variables:
            template["variables"] = variables
        template["resources"] = resources
        if outputs:
            template["outputs"] = outputs
        secure = {o.name for o in self.outputs if o.decorator("secure") is not None}
        return Translation(template, self.smap, self.problems, self.modules_map, self.symbolic, self.target_scope, bool(secure),
                           secure)

    def map(self, pointer: str | None, node: s.Node | tuple[int, int]) -> None:
        if pointer is None:
            return
        if isinstance(node, tuple):
            self.smap[pointer] = node
        else:
            self.smap[pointer] = (node.start, node.end)

    def _metadata(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for st in self.prog.statements:
            if isinstance(st, s.Metadata):
                try:
                    out[st.name] = self.value(st.value, Ctx(), join_pointer("", "metadata", st.name))
                except TranslateError:
                    continue
        return out

    # ----------------------------------------------------------------------------------------- parameters
    def _parameters(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, decl in self.params.items():
            pointer = join_pointer("", "parameters", name)
            self.map(pointer, decl)
            try:
                spec = self._type_spec(decl.type, decl)
                if decl.default is not None:
                    spec["defaultValue"] = self.value(decl.default, Ctx(), join_pointer(pointer, "defaultValue"))
                out[name] = spec
            except TranslateError as exc:
                self.problem(exc.message, exc.start, exc.end)
                out[name] = {}
        return out

    def _type_spec(self, texpr: s.TypeExpr | None, decl: s.Decl) -> dict[str, Any]:
        """A parameter's or output's declaration: the type schema of its type, with its decorators."""
        spec = self.schema(texpr, raw=True) if texpr is not None else {}
        spec = self._decorate(spec, decl.decorators, allowed_ok=True)
        if "allowedValues" in spec and not self._type_known(spec):
            # @allowed means "each item" on an array and "the value" otherwise: with a type acrlint cannot see
            # (derived from a resource schema, imported from a registry) it cannot tell which, so it checks neither
            del spec["allowedValues"]
        return spec

    def _type_known(self, spec: dict[str, Any]) -> bool:
        ref = spec.get("$ref")
        if isinstance(ref, str):
            name = ref[len("#/definitions/"):]
            return name in self.types or name in self.imported_type_defs
        return "type" in spec

    def _decorate(self, spec: dict[str, Any], decorators: list[s.Decorator], allowed_ok: bool = False) -> dict[str, Any]:
        spec = dict(spec)
        for deco in decorators:
            name = deco.call.name
            args = deco.call.args
            if deco.call.namespace not in (None, "sys"):
                continue
            if name == "secure":
                if spec.get("type") == "string":
                    spec["type"] = "securestring"
                elif spec.get("type") == "object":
                    spec["type"] = "secureObject"
            elif name == "sealed" and spec.get("type") == "object":
                spec["additionalProperties"] = False
            if not args:
                continue
            if name == "allowed" and allowed_ok:
                values = _const(args[0])
                if isinstance(values, list):
                    spec["allowedValues"] = values
            elif name in ("minValue", "maxValue", "minLength", "maxLength"):
                value = _const(args[0])
                if isinstance(value, int) and not isinstance(value, bool):
                    spec[name] = value
            elif name == "metadata":
                value = _const(args[0])
                if isinstance(value, dict):
                    spec["metadata"] = {**spec.get("metadata", {}), **value}
            elif name == "description":
                value = _const(args[0])
                if isinstance(value, str):
                    spec["metadata"] = {**spec.get("metadata", {}), "description": value}
            elif name == "discriminator":
                prop = _const(args[0])
                if isinstance(prop, str) and "discriminator" in spec:
                    spec["discriminator"] = {**spec["discriminator"], "propertyName": prop}
        return self._finish_discriminator(spec)

    def schema(self, texpr: s.TypeExpr, raw: bool = False) -> dict[str, Any]:
        """The ARM type schema the compiler writes for a Bicep type; {} (anything) for what acrlint cannot know
        (types derived from resource schemas, types imported from a registry). ``raw``: a union of object types is
        left for its @discriminator decorator to finish (_decorate)."""
        if isinstance(texpr, s.TypeNullable):
            return {**self.schema(texpr.inner, raw), "nullable": True}
        if isinstance(texpr, s.TypeArray):
            item = self.schema(texpr.item)
            if set(item) == {"type", "allowedValues"}:
                return {"type": "array", "allowedValues": item["allowedValues"]}  # ('a' | 'b')[]: each item allowed
            return {"type": "array", "items": item}
        if isinstance(texpr, s.TypeTuple):
            return {"type": "array", "prefixItems": [self.schema(i) for i in texpr.items], "items": False}
        if isinstance(texpr, s.TypeObject):
            props: dict[str, Any] = {}
            out: dict[str, Any] = {"type": "object"}
            for prop in texpr.props:
                prop_schema = self._decorate(self.schema(prop.type, raw=True), prop.decorators)
                if prop.name == "*":
                    out["additionalProperties"] = prop_schema
                else:
                    props[prop.name] = prop_schema
            out["properties"] = props
            if "additionalProperties" in out:
                out["additionalProperties"] = out.pop("additionalProperties")
            return out
        if isinstance(texpr, s.TypeLiteral):
            if texpr.value is None:
                return {"nullable": True}
            return {"type": _type_of_value(texpr.value), "allowedValues": [texpr.value]}
        if isinstance(texpr, s.TypeUnion):
            union = self._union_schema(texpr)
            return union if raw else self._finish_discriminator(union)
        # a named type
        name = texpr.name.removeprefix("sys.")
        if texpr.args:
            # resourceInput<'T@v'>.properties.x: from the resource's schema, which acrlint does not have (anything)
            return {"type": "object"} if texpr.path in ([], ["tags"]) else {}
        if texpr.path:
            return {}
        if name in _PRIMITIVES:
            return {"type": _PRIMITIVES[name]}
        # a declared or imported type (one imported from a registry has no definition here: anything fits)
        return {"$ref": "#/definitions/" + name}

    def _union_schema(self, texpr: s.TypeUnion) -> dict[str, Any]:
        values: list[Any] = []
        nullable = False
        kinds: set[str] = set()
        objects: list[s.TypeExpr] = []
        for member in texpr.members:
            if isinstance(member, s.TypeNullable):  # 'a' | 'b'?: the whole union is nullable
                nullable = True
                member = member.inner
            if isinstance(member, s.TypeLiteral):
                if member.value is None:
                    nullable = True
                else:
                    values.append(member.value)
                    kinds.add(_type_of_value(member.value) or "")
                continue
            resolved = self._named_type(member)
            if isinstance(resolved, s.TypeUnion):
                inner = self._union_schema(resolved)
                if "allowedValues" in inner:
                    values += inner["allowedValues"]
                    kinds.add(inner.get("type", ""))
                    nullable = nullable or inner.get("nullable", False)
                    continue
            objects.append(member)
        out: dict[str, Any] = {}
        if values and not objects and len(kinds) == 1:
            # the compiler lists a union's literals in sorted order
            out = {"type": kinds.pop(), "allowedValues": sorted(values, key=str)}
        elif objects and not values:
            out = {"type": "object", "discriminator": {"propertyName": "", "mapping": {}}}
            out["_members"] = objects  # resolved once the discriminator decorator names the property
        if nullable:
            out["nullable"] = True
        return out

    def _named_type(self, texpr: s.TypeExpr) -> s.TypeExpr | None:
        seen: set[str] = set()
        while isinstance(texpr, s.TypeRef) and not texpr.args and not texpr.path and texpr.name in self.types and texpr.name not in seen:
            seen.add(texpr.name)
            texpr = self.types[texpr.name].type
        return texpr

    def _finish_discriminator(self, spec: dict[str, Any]) -> dict[str, Any]:
        members = spec.pop("_members", None)
        disc = spec.get("discriminator")
        if members is None or not isinstance(disc, dict):
            return spec
        prop = disc.get("propertyName")
        if not prop:  # a union of object types without @discriminator: nothing acrlint can check
            return {k: v for k, v in spec.items() if k not in ("discriminator", "type")}
        mapping: dict[str, Any] = {}
        for member in members:
            resolved = self._named_type(member)
            if not isinstance(resolved, s.TypeObject):
                return {}
            tag = next((p.type for p in resolved.props if p.name == prop), None)
            if not isinstance(tag, s.TypeLiteral) or not isinstance(tag.value, str):
                return {}
            mapping[tag.value] = self.schema(member)
        disc["mapping"] = mapping
        return spec

    def _definitions(self) -> dict[str, Any]:
        """Type declarations as the compiler's "definitions" (the expander checks values against them)."""
        out: dict[str, Any] = {}
        for name, decl in self.types.items():
            try:
                out[name] = self._decorate(self.schema(decl.type, raw=True), decl.decorators)
            except RecursionError:
                out[name] = {}
        for alias, (source, original) in self.imported_type_defs.items():
            if alias in out:
                continue
            out[alias] = source._definitions().get(original, {})
            for other, schema in source._definitions().items():
                out.setdefault(other, schema)  # the types it refers to come along
        return out

    # ----------------------------------------------------------------------------------------- functions
    def finish_imports(self, variables: dict[str, Any], own_functions: dict[str, Any]) -> list[dict[str, Any]]:
        """Add the imported variables to ``variables`` and return the template's functions, once every expression
        that uses them is translated (an imported value may use more imports)."""
        done: set[str] = set()
        while True:
            pending = [alias for alias, src in self.imported_vars.items() if src is not None and alias not in done]
            if not pending:
                break
            for alias in pending:
                done.add(alias)
                source, original = self.imported_vars[alias]
                try:
                    variables[alias] = source.value(source.vars[original].value, Ctx(), None)
                except TranslateError:
                    variables[alias] = _expr_value(self.unknown())
        members = {**own_functions, **{k: v for k, v in self.extra_functions.items() if k not in own_functions}}
        return [{"namespace": "__bicep", "members": members}] if members else []

    def _own_functions(self) -> dict[str, Any]:
        members: dict[str, Any] = {}
        for name, decl in self.funcs.items():
            try:
                members[name] = self._function(decl, self)
            except TranslateError as exc:
                self.problem(exc.message, exc.start, exc.end)
        return members

    def _function(self, decl: s.Func, owner: Emitter) -> dict[str, Any]:
        ctx = Ctx(in_function=True)
        params = []
        for pname, ptype in decl.params:
            params.append({"name": pname, **owner.schema(ptype)})
            ctx.locals[pname] = call("parameters", lit(pname))
        body = owner.expr(decl.body, ctx)
        return {"parameters": params, "output": {**owner.schema(decl.returns), "value": _expr_value(body)}}

    # ----------------------------------------------------------------------------------------- variables
    def _variables(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        copies: list[dict[str, Any]] = []
        for name, decl in self.vars.items():
            pointer = join_pointer("", "variables", name)
            try:
                if isinstance(decl.value, s.For):
                    index = call("copyIndex", lit(name))
                    loop, loop_ptr = self._copy_loop(decl.value, name, index, Ctx(), join_pointer("", "variables", "copy", len(copies)),
                                                     pointer)
                    copies.append(loop)
                    self.map(loop_ptr, decl.value)
                    continue
                out[name] = self.value(decl.value, Ctx(), pointer)
            except TranslateError as exc:
                self.problem(exc.message, exc.start, exc.end)
                out[name] = _expr_value(self.unknown())
        if copies:
            out = {"copy": copies, **out}
        return out

    def _copy_loop(self, loop: s.For, name: str, index: str, ctx: Ctx, pointer: str | None,
                   expanded: str | None = None) -> tuple[dict[str, Any], str | None]:
        """``{"name", "count", "input"}`` for a variable or property loop; the loop variables are bound to
        ``iterable[index]``. ``expanded`` is where the items are after expansion: the body's positions are
        recorded there too, with "*" for the item index."""
        iterable = self.expr(loop.iterable, ctx)
        inner = self._loop_ctx(loop, iterable, index, ctx)
        if isinstance(loop.body, s.IfBody):
            raise TranslateError("a loop filter ('if') is only allowed on resources and modules", loop.body)
        self.map(_jp(pointer, "count"), loop.iterable)
        input_ptr = _jp(pointer, "input")
        body = self.value(loop.body, inner, input_ptr)
        if input_ptr is not None and expanded is not None:
            self.map(expanded, loop)
            items = expanded + "/*"
            for key in [k for k in self.smap if k == input_ptr or k.startswith(input_ptr + "/")]:
                self.smap[items + key[len(input_ptr):]] = self.smap[key]
        return {"name": name, "count": _expr_value(call("length", iterable)), "input": body}, pointer

    def _loop_ctx(self, loop: s.For, iterable: str, index: str, ctx: Ctx) -> Ctx:
        names: dict[str, str] = {}
        if loop.item:
            names[loop.item] = f"{iterable}[{index}]"
        if loop.index:
            names[loop.index] = index
        return ctx.bind(**names)

    # ----------------------------------------------------------------------------------------- outputs
    def _outputs(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for decl in self.outputs:
            pointer = join_pointer("", "outputs", decl.name)
            self.map(pointer, decl)
            try:
                spec = self._type_spec(decl.type, decl)
                if decl.resource_type:
                    spec["type"] = "string"
                spec.pop("allowedValues", None)
                if isinstance(decl.value, s.For):
                    loop = decl.value
                    iterable = self.expr(loop.iterable, Ctx())
                    inner = self._loop_ctx(loop, iterable, "copyIndex()", Ctx())
                    spec["copy"] = {
                        "count": _expr_value(call("length", iterable)),
                        "input": self.value(loop.body, inner, join_pointer(pointer, "copy", "input")),
                    }
                    self.map(join_pointer(pointer, "copy"), loop)
                else:
                    value_node = decl.value
                    if decl.resource_type:  # output x resource 'T' = res: its ID
                        spec["value"] = _expr_value(self.resource_id_expr(value_node, Ctx()))
                    else:
                        spec["value"] = self.value(value_node, Ctx(), join_pointer(pointer, "value"))
                out[decl.name] = spec
            except TranslateError as exc:
                self.problem(exc.message, exc.start, exc.end)
        return out

    # ----------------------------------------------------------------------------------------- resources
    def _resources(self) -> Any:
        emitted: list[tuple[str, dict[str, Any]]] = []
        order: list[Any] = list(self.all_resources) + list(self.modules.values())
        order.sort(key=lambda x: x.decl.start)
        index = 0
        for item in order:
            if not self.symbolic and isinstance(item, ResInfo) and item.existing:
                continue  # languageVersion 1.0 leaves existing resources out: references go by ID
            key = item.symbol if isinstance(item, ResInfo) else item.decl.name
            item.key = key if self.symbolic else str(index)
            pointer = join_pointer("", "resources", item.key)
            try:
                if isinstance(item, ResInfo):
                    body = self._resource(item, pointer)
                else:
                    body = self._module(item, pointer)
            except TranslateError as exc:
                self.problem(exc.message, exc.start, exc.end)
                item.key = ""
                continue
            self.map(pointer, item.decl)
            emitted.append((key, body))
            index += 1
        if self.symbolic:
            return dict(emitted)
        return [body for _, body in emitted]

    def _copy(self, decl: s.Decl, loop: s.For, name: str, ctx: Ctx, pointer: str) -> tuple[dict[str, Any], Ctx]:
        """The "copy" of a resource or module loop (serial with @batchSize), and the context of its body."""
        iterable = self.expr(loop.iterable, ctx)
        copy: dict[str, Any] = {"name": name, "count": _expr_value(call("length", iterable))}
        batch = decl.decorator("batchSize")
        size = _const(batch.call.args[0]) if batch is not None and batch.call.args else None
        if isinstance(size, int):
            copy["mode"] = "serial"
            copy["batchSize"] = size
        self.map(join_pointer(pointer, "copy"), loop)
        return copy, self._loop_ctx(loop, iterable, "copyIndex()", ctx)

    def _conditions(self, info: ResInfo, ctx: Ctx) -> str | None:
        """A nested resource is deployed when it and each of its ancestors are: and() of their conditions."""
        conds: list[str] = []
        for member in _lexical_chain(info):
            if member.condition is not None:
                conds.append(self.expr(member.condition, ctx if member is info else Ctx()))
        if not conds:
            return None
        out = conds[-1]
        for cond in reversed(conds[:-1]):
            out = call("and", cond, out)
        return out

    def _resource(self, info: ResInfo, pointer: str) -> dict[str, Any]:
        decl = info.decl
        ctx = Ctx(nested=self._visible_nested(info))
        out: dict[str, Any] = {}
        if info.loop is not None:
            copy, ctx = self._copy(decl, info.loop, info.symbol, ctx, pointer)
            cond = self._conditions(info, ctx)
            if cond is not None:
                out["condition"] = _expr_value(cond)
                self.map(join_pointer(pointer, "condition"), info.condition or info.loop)
            out["copy"] = copy
        else:
            cond = self._conditions(info, ctx)
            if cond is not None:
                out["condition"] = _expr_value(cond)
                self.map(join_pointer(pointer, "condition"), info.condition or decl)
        if info.existing:
            out["existing"] = True
        out["type"] = info.full_type
        out["apiVersion"] = info.api
        self.map(join_pointer(pointer, "type"), (decl.type_start, decl.type_end))
        self.map(join_pointer(pointer, "apiVersion"), (decl.type_start, decl.type_end))
        out.update(self._resource_scope(info, ctx))
        if info.name_expr is None:
            raise TranslateError(f"resource '{info.symbol}' has no name", decl, decl.start, decl.name_end)
        out["name"] = self._full_name_value(info, ctx)
        name_prop = _prop_node(info.body, "name")
        if name_prop is not None:
            self.map(join_pointer(pointer, "name"), name_prop.value)
        metadata = self._decorator_metadata(decl, pointer)
        self._duplicates(info.body.items)
        for item in info.body.items:
            if isinstance(item, s.Spread):
                raise TranslateError("a spread ('...') in a resource body is not supported", item)
            key = item.key
            if not isinstance(key, str):
                raise TranslateError("a resource property name must be a literal", item)
            if key in ("name", "parent", "scope", "dependsOn"):
                continue
            out[key] = self.value(item.value, ctx, join_pointer(pointer, key))
        if metadata:
            existing_meta = out.get("metadata")
            out["metadata"] = {**existing_meta, **metadata} if isinstance(existing_meta, dict) else metadata
        return out

    def _duplicates(self, items: list[s.Prop | s.Spread]) -> None:
        """A property written twice in one object: the last value is used (ACR001, as for JSON)."""
        seen: set[str] = set()
        for item in items:
            if isinstance(item, s.Prop) and isinstance(item.key, str):
                low = item.key.lower()
                if low in seen:
                    self.problem(f"duplicate key '{item.key}': the last value is used", item.key_start, item.key_end, DUPLICATE_KEY)
                seen.add(low)

    def _decorator_metadata(self, decl: s.Decl, pointer: str) -> dict[str, Any]:
        meta: dict[str, Any] = {}
        for deco in decl.decorators:
            if deco.call.namespace not in (None, "sys") or not deco.call.args:
                continue
            if deco.call.name == "metadata" and isinstance(deco.call.args[0], s.Object):
                value = self.value(deco.call.args[0], Ctx(), join_pointer(pointer, "metadata"))
                if isinstance(value, dict):
                    meta.update(value)
            elif deco.call.name == "description":
                value = _const(deco.call.args[0])
                if isinstance(value, str):
                    meta["description"] = value
        return meta

    def _visible_nested(self, info: ResInfo) -> dict[str, ResInfo]:
        """Nested resources visible by short name in ``info``'s body: its own children, and its lexical
        ancestors' children."""
        out: dict[str, ResInfo] = {}
        for member in _lexical_chain(info):
            out.update(member.children)
        return out

    def _resource_scope(self, info: ResInfo, ctx: Ctx) -> dict[str, Any]:
        """The scope properties of a resource: "scope" for extension resources and tenant resources,
        "subscriptionId"/"resourceGroup" for an existing resource elsewhere (2.0)."""
        # a child (nested or parent:) inherits the scope of its root resource
        cur = info
        while cur.parent is not None and cur.scope_expr is None:
            cur = cur.parent
        scope = cur.scope_expr
        if scope is None:
            return {}
        kind, args = self._scope_kind(scope, ctx)
        out: dict[str, Any] = {}
        if kind == "resource":
            target, index = args
            out["scope"] = _expr_value(self.resource_id_of(target, index, ctx))
        elif kind == "tenant":
            if self.target_scope != "tenant":
                out["scope"] = "/"
        elif kind == "resourceGroup" and info.existing and self.symbolic:
            if len(args) == 2:
                out["subscriptionId"] = _as_value(args[0])
                out["resourceGroup"] = _as_value(args[1])
            elif len(args) == 1:
                out["resourceGroup"] = _as_value(args[0])
        elif kind == "subscription" and info.existing and self.symbolic and args:
            out["subscriptionId"] = _as_value(args[0])
        elif kind == "managementGroup" and info.existing and self.symbolic and args:
            out["scope"] = _expr_value(call("tenantResourceId", lit("Microsoft.Management/managementGroups"), args[0]))
        return out

    def _scope_kind(self, scope: s.Expr, ctx: Ctx) -> tuple[str, Any]:
        """('resourceGroup'|'subscription'|'managementGroup'|'tenant', [arg expressions]) for a scope function,
        or ('resource', (ResInfo, index node)) for a resource."""
        node = scope
        while isinstance(node, s.NonNull):
            node = node.base
        if isinstance(node, s.Call) and node.namespace in (None, "az") and node.name in ("resourceGroup", "subscription", "managementGroup", "tenant"):
            return node.name, [self.expr(a, ctx) for a in node.args]
        if isinstance(node, s.MethodCall) and isinstance(node.base, s.Name) and node.base.name == "az" and node.name in (
                "resourceGroup", "subscription", "managementGroup", "tenant"):
            return node.name, [self.expr(a, ctx) for a in node.args]
        target, index = _strip_index(node)
        res = self._resource_of(target, ctx)
        if res is not None:
            if res.full_type.lower() == "microsoft.resources/resourcegroups":
                rg_name = self._name_expr(res, index, ctx)
                return "resourceGroup", [rg_name]
            return "resource", (res, index)
        raise TranslateError("this scope expression is not supported by acrlint (expected resourceGroup(), subscription(), "
                             "managementGroup(), tenant() or a resource)", scope)

    # ----------------------------------------------------------------------------------------- names and IDs
    def _index_ctx(self, info: ResInfo | ModInfo, index: s.Expr | None, ctx: Ctx) -> Ctx:
        """The context for evaluating ``info``'s name for the item ``index`` of its loop (from elsewhere)."""
        base = Ctx(nested=self._visible_nested(info) if isinstance(info, ResInfo) else {})
        if info.loop is None:
            return base
        if index is None:
            return self._loop_ctx(info.loop, self.expr(info.loop.iterable, base), "copyIndex()", base)
        return self._loop_ctx(info.loop, self.expr(info.loop.iterable, base), self.expr(index, ctx), base)

    def _name_expr(self, info: ResInfo, index: s.Expr | None, ctx: Ctx) -> str:
        if info.name_expr is None:
            raise TranslateError(f"resource '{info.symbol}' has no name", info.decl)
        return self.expr(info.name_expr, self._index_ctx(info, index, ctx))

    def _name_segments(self, info: ResInfo, index: s.Expr | None, ctx: Ctx) -> list[str]:
        """The name segments of a resource ID: the parent's segments, then this resource's name."""
        inner = self._index_ctx(info, index, ctx)
        segments: list[str] = []
        if info.parent is not None:
            segments = self._name_segments(info.parent, info.parent_index, inner)
        if info.name_expr is None:
            raise TranslateError(f"resource '{info.symbol}' has no name", info.decl)
        own = self.expr(info.name_expr, inner)
        expected = len(info.full_type.split("/")) - 1
        if len(segments) + 1 == expected or info.parent is not None:
            return segments + [own]
        # a top-level child resource named 'parent/child'
        return [f"split({own}, '/')[{i}]" for i in range(expected)]

    def _full_name_value(self, info: ResInfo, ctx: Ctx) -> Any:
        """The "name" of the emitted resource (the loop variables of its own loop bound in ``ctx``)."""
        if info.parent is None:
            assert info.name_expr is not None
            return self.value(info.name_expr, ctx, None)
        segments = self._name_segments(info.parent, info.parent_index, ctx)
        assert info.name_expr is not None
        segments.append(self.expr(info.name_expr, ctx))
        fmt = "/".join("{" + str(i) + "}" for i in range(len(segments)))
        return _expr_value(call("format", lit(fmt), *segments))

    def resource_id_of(self, info: ResInfo, index: s.Expr | None, ctx: Ctx, qualified: bool = True) -> str:
        segments = self._name_segments(info, index, ctx)
        rtype = lit(info.full_type)
        root = info
        while root.parent is not None:
            root = root.parent
        scope = root.scope_expr
        inner = self._index_ctx(root, index if root is info else None, ctx)
        if scope is None:
            return self._default_scope_id(info.full_type, segments, qualified)
        kind, args = self._scope_kind(scope, inner)
        if kind == "resource":
            target, tindex = args
            parent_id = self.resource_id_of(target, tindex, inner, qualified)
            return call("extensionResourceId", parent_id, rtype, *segments)
        if kind == "tenant":
            return call("tenantResourceId", rtype, *segments)
        if kind == "subscription":
            return call("subscriptionResourceId", *args, rtype, *segments)
        if kind == "managementGroup":
            if args:
                mg = call("tenantResourceId", lit("Microsoft.Management/managementGroups"), args[0])
                return call("extensionResourceId", mg, rtype, *segments)
            return self._default_scope_id(info.full_type, segments, qualified)
        # resourceGroup
        if not qualified:
            return call("format", lit(info.full_type.split("/")[0] + "/" + "/".join(
                f"{t}/{{{i}}}" for i, t in enumerate(info.full_type.split("/")[1:]))), *segments)
        if not args:
            return call("resourceId", rtype, *segments)
        if len(args) == 1:
            rg_scope = call("format", lit("/subscriptions/{0}/resourceGroups/{1}"), "subscription().subscriptionId", args[0])
        else:
            rg_scope = call("format", lit("/subscriptions/{0}/resourceGroups/{1}"), args[0], args[1])
        return call("extensionResourceId", rg_scope, rtype, *segments)

    def _default_scope_id(self, full_type: str, segments: list[str], qualified: bool) -> str:
        rtype = lit(full_type)
        if not qualified:
            types = full_type.split("/")
            fmt = types[0] + "/" + "/".join(f"{t}/{{{i}}}" for i, t in enumerate(types[1:]))
            return call("format", lit(fmt), *segments)
        if self.target_scope == "subscription":
            return call("subscriptionResourceId", rtype, *segments)
        if self.target_scope == "tenant":
            return call("tenantResourceId", rtype, *segments)
        if self.target_scope == "managementGroup":
            return call("extensionResourceId", "managementGroup().id", rtype, *segments)
        return call("resourceId", rtype, *segments)

    def resource_id_expr(self, node: s.Expr, ctx: Ctx) -> str:
        target, index = _strip_index(node)
        info = self._resource_of(target, ctx)
        if info is None:
            raise TranslateError("expected a resource", node)
        return self.resource_id_of(info, index, ctx)

    def reference(self, info: ResInfo, index: s.Expr | None, ctx: Ctx, full: bool) -> str:
        if self.symbolic:
            target = self._symbolic(info.symbol, info.is_collection, index, ctx)  # no index: the current item
            return call("reference", target, lit(info.api), lit("full")) if full else call("reference", target)
        rid = self.resource_id_of(info, index, ctx)
        if full:
            return call("reference", rid, lit(info.api), lit("full"))
        return call("reference", rid, lit(info.api))

    def symbol_ref(self, info: ResInfo, index: s.Expr | None, ctx: Ctx) -> str:
        """How list*() and friends name a resource: its symbolic name (2.0) or its ID."""
        if not self.symbolic:
            return self.resource_id_of(info, index, ctx)
        return self._symbolic(info.symbol, info.is_collection, index, ctx)

    def _symbolic(self, symbol: str, collection: bool, index: s.Expr | None, ctx: Ctx) -> str:
        """A symbolic name as reference() takes it: 'acr', or 'acrs[3]' for an item of a loop."""
        if collection and index is not None:
            return call("format", lit(symbol + "[{0}]"), self.expr(index, ctx))
        return lit(symbol)

    # ----------------------------------------------------------------------------------------- modules
    def _load_module(self, mod: ModInfo) -> None:
        path = mod.decl.path
        if _is_registry_ref(path):
            return
        if self.load_module is None:
            return
        translation, why = self.load_module(self.path, path)
        if translation is None:
            self.problem(f"module '{path}' cannot be read ({why}); its resources are not checked", mod.decl.path_start,
                         mod.decl.path_end, NOT_FOLLOWED)
        mod.translation = translation

    def _module(self, mod: ModInfo, pointer: str) -> dict[str, Any]:
        decl = mod.decl
        ctx = Ctx()
        out: dict[str, Any] = {}
        if mod.loop is not None:
            out["copy"], ctx = self._copy(decl, mod.loop, decl.name, ctx, pointer)
        if mod.condition is not None:
            out = {"condition": _expr_value(self.expr(mod.condition, ctx)), **out}
            self.map(join_pointer(pointer, "condition"), mod.condition)
        out["type"] = DEPLOYMENTS
        out["apiVersion"] = DEPLOYMENTS_API
        out["name"] = self._module_name_value(mod, ctx, pointer)
        if mod.scope_expr is not None:
            out.update(self._module_scope(mod, ctx))
            self.map(join_pointer(pointer, "scope"), mod.scope_expr)
        if mod.translation is not None and mod.translation.target_scope != "resourceGroup":
            out["location"] = "[deployment().location]"  # a deployment above resource group level has a location
        properties: dict[str, Any] = {"expressionEvaluationOptions": {"scope": "inner"}, "mode": "Incremental"}
        ppointer = join_pointer(pointer, "properties")
        params_prop = _prop_node(mod.body, "params")
        params: dict[str, Any] = {}
        if params_prop is not None:
            self.map(join_pointer(ppointer, "parameters"), params_prop.value)
            if not isinstance(params_prop.value, s.Object):
                raise TranslateError("module params must be an object literal", params_prop.value)
            for item in params_prop.value.items:
                if isinstance(item, s.Spread) or not isinstance(item.key, str):
                    raise TranslateError("a spread or computed name in module params is not supported", item)
                ptr = join_pointer(ppointer, "parameters", item.key)
                self.map(ptr, item)
                params[item.key] = self._module_param(item.value, ctx, ptr)
        properties["parameters"] = params
        for key in ("identity",):
            node = _prop(mod.body, key)
            if node is not None:
                out[key] = self.value(node, ctx, join_pointer(pointer, key))
        tpointer = join_pointer(ppointer, "template")
        path = decl.path
        if _is_registry_ref(path):
            self.problem(
                f"module '{path}' comes from a registry and is not followed (acrlint works offline): its resources are not "
                "checked and its outputs are unknown", decl.path_start, decl.path_end, NOT_FOLLOWED)
            properties.pop("expressionEvaluationOptions")
        elif mod.translation is not None:
            properties["template"] = mod.translation.template
            self.map(tpointer, (decl.path_start, decl.path_end))
            self.modules_map[tpointer] = mod.translation.path
            for inner_ptr, inner_path in mod.translation.modules.items():
                self.modules_map[tpointer + inner_ptr] = inner_path
        out["properties"] = properties
        return out

    def _module_name_value(self, mod: ModInfo, ctx: Ctx, pointer: str) -> Any:
        if mod.name_expr is None:
            # the compiler names an unnamed module after its symbol and the deployment
            return _expr_value(self._generated_module_name(mod, "copyIndex()" if mod.loop is not None else None))
        node = _prop_node(mod.body, "name")
        if node is not None:
            self.map(join_pointer(pointer, "name"), node.value)
        return self.value(mod.name_expr, ctx, None)

    def _module_name_expr(self, mod: ModInfo, index: s.Expr | None, ctx: Ctx) -> str:
        if mod.name_expr is None:
            item = None
            if mod.loop is not None:
                item = self.expr(index, ctx) if index is not None else "copyIndex()"
            return self._generated_module_name(mod, item)
        return self.expr(mod.name_expr, self._index_ctx(mod, index, ctx))

    def _generated_module_name(self, mod: ModInfo, item: str | None) -> str:
        """The name the compiler gives a module declared without one (with the loop index in a loop)."""
        symbol = mod.decl.name
        unique = call("uniqueString", lit(symbol), "deployment().name")
        if item is not None:
            return call("format", lit(symbol + "-{0}-{1}"), item, unique)
        return call("format", lit(symbol + "-{0}"), unique)

    def _module_scope(self, mod: ModInfo, ctx: Ctx) -> dict[str, Any]:
        assert mod.scope_expr is not None
        kind, args = self._scope_kind(mod.scope_expr, ctx)
        out: dict[str, Any] = {}
        if kind == "tenant":
            out["scope"] = "/"
        elif kind == "managementGroup":
            if args:
                if self.target_scope in ("tenant", "managementGroup"):
                    out["scope"] = _expr_value(call("format", lit("Microsoft.Management/managementGroups/{0}"), args[0]))
                else:
                    out["scope"] = _expr_value(call("tenantResourceId", lit("Microsoft.Management/managementGroups"), args[0]))
        elif kind == "subscription":
            if args:
                out["subscriptionId"] = _as_value(args[0])
            elif self.target_scope == "resourceGroup":
                out["subscriptionId"] = "[subscription().subscriptionId]"
        elif kind == "resourceGroup":
            if len(args) == 2:
                out["subscriptionId"] = _as_value(args[0])
                out["resourceGroup"] = _as_value(args[1])
            elif len(args) == 1:
                out["resourceGroup"] = _as_value(args[0])
        else:
            raise TranslateError("a module scope must be resourceGroup(), subscription(), managementGroup() or tenant()", mod.scope_expr)
        return out

    def _module_param(self, node: s.Expr, ctx: Ctx, pointer: str) -> Any:
        if isinstance(node, s.MethodCall) and node.name == "getSecret":
            target, index = _strip_index(node.base)
            vault = self._resource_of(target, ctx)
            if vault is not None and node.args:
                return {"reference": {"keyVault": {"id": _expr_value(self.resource_id_of(vault, index, ctx))},
                                      "secretName": self.value(node.args[0], ctx, None)}}
        if isinstance(node, s.For):
            loop, _ = self._copy_loop(node, "value", call("copyIndex", lit("value")), ctx, join_pointer(pointer, "copy", 0),
                                      join_pointer(pointer, "value"))
            return {"copy": [loop]}
        if isinstance(node, s.Ternary):
            # the compiler moves a conditional value's {"value": ...} into its branches
            self.map(pointer, node)
            return _expr_value(self._param_spec_expr(node, ctx))
        return {"value": self.value(node, ctx, join_pointer(pointer, "value"))}

    def _param_spec_expr(self, node: s.Expr, ctx: Ctx) -> str:
        if isinstance(node, s.Ternary):
            return call("if", self.expr(node.cond, ctx), self._param_spec_expr(node.then, ctx),
                        self._param_spec_expr(node.other, ctx))
        return call("createObject", lit("value"), self.expr(node, ctx))

    def _module_symbol_ref(self, mod: ModInfo, index: s.Expr | None, ctx: Ctx) -> str:
        if self.symbolic:
            return self._symbolic(mod.decl.name, mod.is_collection, index, ctx)
        return self.module_outputs_ref(mod, index, ctx)[len("reference("):].rsplit(", ", 1)[0]

    def module_outputs_ref(self, mod: ModInfo, index: s.Expr | None, ctx: Ctx) -> str:
        if self.symbolic:
            return call("reference", self._symbolic(mod.decl.name, mod.is_collection, index, ctx)) + ".outputs"
        name = self._module_name_expr(mod, index, ctx)
        rid = call("resourceId", lit(DEPLOYMENTS), name)
        if mod.scope_expr is not None:
            kind, args = self._scope_kind(mod.scope_expr, self._index_ctx(mod, index, ctx))
            if kind == "resourceGroup" and args:
                if len(args) == 2:
                    scope = call("format", lit("/subscriptions/{0}/resourceGroups/{1}"), args[0], args[1])
                else:
                    scope = call("format", lit("/subscriptions/{0}/resourceGroups/{1}"), "subscription().subscriptionId", args[0])
                rid = call("extensionResourceId", scope, lit(DEPLOYMENTS), name)
            elif kind == "subscription":
                rid = call("subscriptionResourceId", *(args[:1]), lit(DEPLOYMENTS), name)
            elif kind == "tenant":
                rid = call("tenantResourceId", lit(DEPLOYMENTS), name)
        return call("reference", rid, lit(DEPLOYMENTS_API)) + ".outputs"

    # ----------------------------------------------------------------------------------------- symbols
    def _resource_of(self, node: s.Expr, ctx: Ctx) -> ResInfo | None:
        """The resource a symbol expression names: ``acr``, ``vault::key``, a nested resource by short name."""
        while isinstance(node, s.NonNull):
            node = node.base
        if isinstance(node, s.Name):
            if node.name in ctx.locals:
                return None
            if node.name in ctx.nested:
                return ctx.nested[node.name]
            return self.resources.get(node.name)
        if isinstance(node, s.Child):
            parent = self._resource_of(node.base, ctx)
            if parent is None:
                return None
            return parent.children.get(node.name)
        return None

    def _module_of(self, node: s.Expr, ctx: Ctx) -> ModInfo | None:
        while isinstance(node, s.NonNull):
            node = node.base
        if isinstance(node, s.Name) and node.name not in ctx.locals and node.name not in ctx.nested:
            return self.modules.get(node.name)
        return None

    # ----------------------------------------------------------------------------------------- values
    def value(self, node: s.Expr, ctx: Ctx, pointer: str | None) -> Any:
        """A JSON value for ``node``: literals and object/array literals as JSON (so each property has its own
        pointer), anything else as an "[expression]" string. ``pointer`` None: nothing is recorded in the
        source map."""
        try:
            return self._value(node, ctx, pointer)
        except RecursionError:
            raise TranslateError("value nested too deeply", node) from None

    def _value(self, node: s.Expr, ctx: Ctx, pointer: str | None) -> Any:
        if pointer is not None:
            self.smap[pointer] = (node.start, node.end)
        if isinstance(node, s.Literal):
            v = node.value
            if isinstance(v, str):
                return _json_string(v)
            return v
        if isinstance(node, s.Object) and not any(isinstance(i, s.Spread) for i in node.items):
            out: dict[str, Any] = {}
            copies: list[dict[str, Any]] = []
            self._duplicates(node.items)
            for item in node.items:
                assert isinstance(item, s.Prop)
                key = item.key
                key_text = _expr_value(self.expr(key, ctx)) if isinstance(key, s.Interp) else key
                ptr = _jp(pointer, key_text)
                if isinstance(item.value, s.For):
                    if not isinstance(key, str):
                        raise TranslateError("a loop under a computed property name is not supported", item)
                    loop, _ = self._copy_loop(item.value, key, call("copyIndex", lit(key)), ctx, _jp(pointer, "copy", len(copies)), ptr)
                    copies.append(loop)
                    continue
                out[key_text] = self.value(item.value, ctx, ptr)
            if copies:
                out = {"copy": copies, **out}
            return out
        if isinstance(node, s.Array) and not any(isinstance(i, s.Spread) for i in node.items):
            return [self.value(item, ctx, _jp(pointer, i)) for i, item in enumerate(node.items)]  # type: ignore[arg-type]
        if isinstance(node, s.For):
            raise TranslateError("a for-expression is only allowed as the value of a variable, output, resource, "
                                 "module or property", node)
        if isinstance(node, s.Object) and pointer is not None:
            # an object with spreads: one expression; its plain properties still get their own positions
            for item in node.items:
                if isinstance(item, s.Prop) and isinstance(item.key, str):
                    self.smap[join_pointer(pointer, item.key)] = (item.value.start, item.value.end)
        return _as_value(self.expr(node, ctx))

    # ----------------------------------------------------------------------------------------- expressions
    def expr(self, node: s.Expr, ctx: Ctx) -> str:
        """ARM expression text (without the brackets) for ``node``."""
        handler = _EXPRESSIONS.get(type(node))
        if handler is None:
            raise TranslateError(f"unsupported expression ({type(node).__name__})", node)
        try:
            return handler(self, node, ctx)
        except RecursionError:
            raise TranslateError("expression nested too deeply", node) from None

    def _literal(self, node: s.Literal, ctx: Ctx) -> str:
        return _literal_expr(node.value)

    def _interp(self, node: s.Interp, ctx: Ctx) -> str:
        return call("format", lit(_format_string(node.parts)), *(self.expr(e, ctx) for e in node.exprs))

    def _binary(self, node: s.Binary, ctx: Ctx) -> str:
        left, right = self.expr(node.left, ctx), self.expr(node.right, ctx)
        op = node.op
        if op == "!=":
            return call("not", call("equals", left, right))
        if op == "=~":
            return call("equals", call("toLower", left), call("toLower", right))
        if op == "!~":
            return call("not", call("equals", call("toLower", left), call("toLower", right)))
        return call(_BINARY[op], left, right)

    def _ternary(self, node: s.Ternary, ctx: Ctx) -> str:
        return call("if", self.expr(node.cond, ctx), self.expr(node.then, ctx), self.expr(node.other, ctx))

    def _unary(self, node: s.Unary, ctx: Ctx) -> str:
        operand = self.expr(node.operand, ctx)
        if node.op == "!":
            return call("not", operand)
        if node.op == "-":
            return call("sub", "0", operand)
        return operand

    def _non_null(self, node: s.NonNull, ctx: Ctx) -> str:
        return self.expr(node.base, ctx)

    def _child(self, node: s.Child, ctx: Ctx) -> str:
        info = self._resource_of(node, ctx)
        if info is None:
            raise TranslateError("unknown nested resource", node)
        return self.reference(info, None, ctx, True)

    def _lambda(self, node: s.Lambda, ctx: Ctx) -> str:
        inner = ctx.bind(**{p: call("lambdaVariables", lit(p)) for p in node.params})
        return call("lambda", *(lit(p) for p in node.params), self.expr(node.body, inner))

    def _for(self, node: s.For, ctx: Ctx) -> str:
        raise TranslateError("a for-expression is only allowed as the value of a variable, output, resource, "
                             "module or property", node)

    def _object_expr(self, node: s.Object, ctx: Ctx) -> str:
        def pieces(item: s.Prop) -> list[str]:
            key = item.key
            return [self.expr(key, ctx) if isinstance(key, s.Interp) else lit(key), self.expr(item.value, ctx)]

        return self._with_spreads(node.items, ctx, pieces, "createObject", "shallowMerge")

    def _array_expr(self, node: s.Array, ctx: Ctx) -> str:
        return self._with_spreads(node.items, ctx, lambda item: [self.expr(item, ctx)], "createArray", "flatten")

    def _with_spreads(self, items: list[Any], ctx: Ctx, pieces: Callable[[Any], list[str]], build: str, merge: str) -> str:
        """``{a: 1, ...x, b: 2}`` is shallowMerge(createArray(createObject('a', 1), x, createObject('b', 2))), and
        ``[1, ...x]`` flatten(createArray(createArray(1), x)); without a spread, one createObject()/createArray()."""
        groups: list[str] = []
        pending: list[str] = []
        for item in items:
            if isinstance(item, s.Spread):
                if pending:
                    groups.append(call(build, *pending))
                    pending = []
                groups.append(self.expr(item.value, ctx))
            else:
                pending += pieces(item)
        if not groups:
            return call(build, *pending)
        if pending:
            groups.append(call(build, *pending))
        return call(merge, call("createArray", *groups))

    def _name(self, node: s.Name, ctx: Ctx) -> str:
        name = node.name
        local = ctx.locals.get(name)
        if local is not None:
            return local
        if name in ctx.nested:
            return self.reference(ctx.nested[name], None, ctx, True)
        if name in self.params:
            return call("parameters", lit(name))
        if name in self.vars:
            return call("variables", lit(name))
        if name in self.resources:
            return self.reference(self.resources[name], None, ctx, True)
        if name in self.imported_vars:
            if self.imported_vars[name] is None:
                return self.unknown()
            return call("variables", lit(name))
        if name in self.broken_names or name in self.imported_types:
            return self.unknown()
        if name in self.modules:
            raise TranslateError(f"module '{name}' cannot be used as a value (use {name}.outputs.x)", node)
        if self.has_broken:
            return self.unknown()
        raise TranslateError(f"the name '{name}' is not declared", node)

    def _member(self, node: s.Member, ctx: Ctx) -> str:
        base = node.base
        # resource.id / .name / .type / .apiVersion / .properties
        target, index = _strip_index(base)
        info = self._resource_of(target, ctx) if not isinstance(target, s.Member) else None
        if info is not None:
            if (index is None and info.is_collection and not (isinstance(target, s.Name) and target.name in ctx.nested)
                    and not self._inside_own_loop(info, ctx)):
                raise TranslateError(f"'{info.symbol}' is a resource collection: index it ({info.symbol}[i])", node)
            prop = node.name
            special: str | None = None
            if prop == "id":
                special = self.resource_id_of(info, index, ctx)
            elif prop == "name":
                special = self._name_expr(info, index, ctx)
            elif prop == "type":
                special = lit(info.full_type)
            elif prop == "apiVersion":
                special = lit(info.api)
            elif prop == "properties" and not node.safe:
                return self.reference(info, index, ctx, False)
            if special is not None:
                # res.?id of a conditional resource: null when it is not deployed
                return self._if_deployed(info, special, ctx, index) if node.safe else special
            ref = self.reference(info, index, ctx, True)
            return call("tryGet", self._if_deployed(info, ref, ctx, index), lit(prop)) if node.safe else f"{ref}.{prop}"
        mod = self._module_of(target, ctx)
        if mod is not None and node.name == "name":
            return self._module_name_expr(mod, index, ctx)
        if mod is not None and node.name == "outputs":
            outputs = self.module_outputs_ref(mod, index, ctx)
            if node.safe:
                return call("tryGet", self._if_deployed(mod, outputs[: -len(".outputs")], ctx), lit("outputs"))
            return outputs
        # module.outputs.x
        if isinstance(base, s.Member) and base.name == "outputs":
            mtarget, mindex = _strip_index(base.base)
            mod = self._module_of(mtarget, ctx)
            if mod is not None:
                if mod.translation is not None and node.name in mod.translation.secure_outputs:
                    # a @secure() output is read with listOutputsWithSecureValues(), as the compiler does
                    secure = call("listOutputsWithSecureValues", self._module_symbol_ref(mod, mindex, ctx), lit(DEPLOYMENTS_API))
                    return call("tryGet", secure, lit(node.name)) if node.safe or base.safe else f"{secure}.{node.name}"
                outputs = self.module_outputs_ref(mod, mindex, ctx)
                if base.safe:
                    deployed = self._if_deployed(mod, outputs[: -len(".outputs")], ctx)
                    if not node.safe:  # mod.?outputs.x: one chain
                        return call("tryGet", deployed, lit("outputs"), lit(node.name), lit("value"))
                    outputs = call("tryGet", deployed, lit("outputs"))
                if node.safe:
                    return call("tryGet", call("tryGet", outputs, lit(node.name)), lit("value"))
                return f"{outputs}.{node.name}.value"
        # a wildcard import: ns.variable
        if isinstance(base, s.Name) and base.name in self.namespaces and base.name not in ctx.locals:
            source = self.namespaces[base.name]
            if source is None or node.name not in source.vars:
                return self.unknown()
            alias = f"{base.name}.{node.name}"
            if alias not in self.imported_vars:
                self.imported_vars[alias] = (source, node.name)
            return call("variables", lit(alias))
        inner = self.expr(base, ctx)
        if node.safe:
            return call("tryGet", inner, lit(node.name))
        if _in_safe_chain(base) and inner.startswith("tryGet(") and inner.endswith(")"):
            # a.?b.c: once safe, the rest of the chain is too (null when b is absent)
            return f"{inner[:-1]}, {lit(node.name)})"
        return f"{inner}.{node.name}"

    def _if_deployed(self, info: ResInfo | ModInfo, ref: str, ctx: Ctx, index: s.Expr | None = None) -> str:
        """Safe access (``.?``) to a conditional resource or module: null when it is not deployed (for an item of
        a loop, its filter with the loop variables of that item)."""
        if info.condition is None or (info.loop is not None and index is None):
            return ref
        return call("if", self.expr(info.condition, self._index_ctx(info, index, ctx)), ref, "null()")

    def _inside_own_loop(self, info: ResInfo, ctx: Ctx) -> bool:
        loop = info.loop
        return loop is not None and (loop.item in ctx.locals or (loop.index is not None and loop.index in ctx.locals))

    def _index(self, node: s.Index, ctx: Ctx) -> str:
        info = self._resource_of(node.base, ctx)
        if info is not None and info.is_collection:
            return self.reference(info, node.index, ctx, True)
        idx = self.expr(node.index, ctx)
        base = self.expr(node.base, ctx)
        if node.safe:
            return call("tryGet", base, idx)
        if _in_safe_chain(node.base) and base.startswith("tryGet(") and base.endswith(")"):
            return f"{base[:-1]}, {idx})"
        return f"{base}[{idx}]"

    def _method(self, node: s.MethodCall, ctx: Ctx) -> str:
        base = node.base
        if isinstance(base, s.Name) and base.name not in ctx.locals:
            if base.name in ("az", "sys"):
                return self._call(s.Call(node.start, node.end, node.name, node.args, base.name), ctx)
            if base.name in self.namespaces:
                source = self.namespaces[base.name]
                if source is None or node.name not in source.funcs:
                    return self.unknown()
                self._import_function(node.name, source, node.name)
                return call(f"__bicep.{node.name}", *(self.expr(a, ctx) for a in node.args))
            if base.name in self.extensions:
                raise TranslateError(f"functions of the extension '{base.name}' are not supported", node)
        target, index = _strip_index(base)
        info = self._resource_of(target, ctx)
        if info is not None:
            name = node.name
            if name.lower().startswith("list"):
                rid = self.symbol_ref(info, index, ctx)
                args = [self.expr(a, ctx) for a in node.args]
                return call(name, rid, *(args or [lit(info.api)]))
            if name == "getSecret":
                return self.unknown()  # only valid as a module parameter (a Key Vault reference)
            raise TranslateError(f"the resource function '{name}' is not supported", node)
        raise TranslateError(f"'{node.name}()' cannot be called on this value", node)

    def _import_function(self, alias: str, source: Emitter, original: str) -> None:
        if alias in self.extra_functions or alias in self.funcs:
            return
        decl = source.funcs.get(original)
        if decl is None:
            return
        self.extra_functions[alias] = self._function(decl, source)
        # functions it calls in its own file come along
        for other in source.funcs:
            if other != original and other not in self.extra_functions and other not in self.funcs:
                try:
                    self.extra_functions[other] = self._function(source.funcs[other], source)
                except TranslateError:
                    continue

    # ----------------------------------------------------------------------------------------- functions
    def _call(self, node: s.Call, ctx: Ctx) -> str:
        name = node.name
        ns = node.namespace
        if ns is None and name in self.funcs:
            return call(f"__bicep.{name}", *(self.expr(a, ctx) for a in node.args))
        if ns is None and name in self.imported_funcs:
            src = self.imported_funcs[name]
            if src is None:
                return self.unknown()
            self._import_function(name, src[0], src[1])
            return call(f"__bicep.{name}", *(self.expr(a, ctx) for a in node.args))
        args = node.args
        if name == "any" and len(args) == 1:
            return self.expr(args[0], ctx)
        if name in ("loadTextContent", "loadJsonContent", "loadYamlContent", "loadFileAsBase64"):
            return self._load(node, ctx)
        if name == "nameof" and len(args) == 1:
            arg = args[0]
            if isinstance(arg, s.Member):
                return lit(arg.name)
            if isinstance(arg, s.Name):
                return lit(arg.name)
        if name in ("resourceGroup", "subscription") and args:
            # as a value: the scope's properties are only partly known
            if name == "resourceGroup":
                return call("createObject", lit("id"), call("format", lit("/subscriptions/{0}/resourceGroups/{1}"),
                            self.expr(args[0], ctx) if len(args) == 2 else "subscription().subscriptionId",
                            self.expr(args[-1], ctx)), lit("name"), self.expr(args[-1], ctx))
            return call("createObject", lit("id"), call("format", lit("/subscriptions/{0}"), self.expr(args[0], ctx)),
                        lit("subscriptionId"), self.expr(args[0], ctx))
        if name in ("managementGroup",) and args:
            return call("createObject", lit("id"), call("tenantResourceId", lit("Microsoft.Management/managementGroups"),
                        self.expr(args[0], ctx)), lit("name"), self.expr(args[0], ctx))
        if name in ("readEnvironmentVariable", "externalInput", "getSecret"):
            return self.unknown()
        return call(name, *(self.expr(a, ctx) for a in args))

    def _load(self, node: s.Call, ctx: Ctx) -> str:
        name = node.name
        if not node.args or not isinstance(node.args[0], s.Literal) or not isinstance(node.args[0].value, str):
            raise TranslateError(f"{name}() needs a literal file path", node)
        rel = node.args[0].value
        if self.read_file is None:
            return self.unknown()
        data, why = self.read_file(self.path, rel)
        if data is None:
            self.problem(f"{name}('{rel}') is not read ({why}): its value is unknown", node.args[0].start, node.args[0].end,
                         NOT_FOLLOWED)
            return self.unknown()
        if name == "loadFileAsBase64":
            return lit(base64.b64encode(data).decode("ascii"))
        encoding = "utf-8"
        enc_arg = node.args[-1] if len(node.args) >= 2 and name == "loadTextContent" else (node.args[2] if len(node.args) >= 3 else None)
        if enc_arg is not None and isinstance(enc_arg, s.Literal) and isinstance(enc_arg.value, str):
            encoding = {"utf-8": "utf-8", "utf-16": "utf-16", "utf-16BE": "utf-16-be", "us-ascii": "ascii",
                        "iso-8859-1": "latin-1"}.get(enc_arg.value, "utf-8")
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            self.problem(f"{name}('{rel}'): the file is not {encoding} text", node.args[0].start, node.args[0].end)
            return self.unknown()
        text = text.removeprefix("\ufeff")
        if name == "loadTextContent":
            return lit(text)
        try:
            if name == "loadJsonContent":

                value = decode_text(text, "json").documents[0]
            else:

                value = decode_text(text, "yaml").documents[0]
        except Exception as exc:
            self.problem(f"{name}('{rel}'): {exc}", node.args[0].start, node.args[0].end)
            return self.unknown()
        if len(node.args) >= 2 and isinstance(node.args[1], s.Literal) and isinstance(node.args[1].value, str) and node.args[1].value:
            value = _json_path(value, node.args[1].value)
        return _literal_expr(value)


# ------------------------------------------------------------------------------------------- helpers

_EXPRESSIONS: dict[type, Callable[[Emitter, Any, Ctx], str]] = {
    s.Literal: Emitter._literal, s.Name: Emitter._name, s.Member: Emitter._member, s.Call: Emitter._call,
    s.Interp: Emitter._interp, s.Binary: Emitter._binary, s.Ternary: Emitter._ternary, s.Unary: Emitter._unary,
    s.NonNull: Emitter._non_null, s.Index: Emitter._index, s.Object: Emitter._object_expr, s.Array: Emitter._array_expr,
    s.MethodCall: Emitter._method, s.Child: Emitter._child, s.Lambda: Emitter._lambda, s.For: Emitter._for,
}


def _lexical_chain(info: ResInfo) -> list[ResInfo]:
    """The outermost ancestor first, ``info`` last."""
    chain: list[ResInfo] = []
    cur: ResInfo | None = info
    while cur is not None:
        chain.append(cur)
        cur = cur.lexical_parent
    return chain[::-1]


def _in_safe_chain(node: s.Expr) -> bool:
    """Is ``node`` a safe access (``.?``, ``[?``) or an access after one in the same chain?"""
    while isinstance(node, (s.Member, s.Index, s.NonNull)):
        if not isinstance(node, s.NonNull) and node.safe:
            return True
        node = node.base
    return False


_STRING_LITERAL = re.compile(r"'(?:[^']|'')*'\Z")
_INT_LITERAL = re.compile(r"-?[0-9]+\Z")


def _jp(pointer: str | None, *tokens: Any) -> str | None:
    return None if pointer is None else join_pointer(pointer, *tokens)


def _is_registry_ref(path: str) -> bool:
    return path.startswith(("br:", "br/", "ts:", "ts/"))


def _unwrap_body(body: s.Expr) -> tuple[s.Object, s.For | None, s.Expr | None]:
    loop = None
    cond = None
    if isinstance(body, s.For):
        loop = body
        body = body.body
    if isinstance(body, s.IfBody):
        cond = body.cond
        body = body.body
    if not isinstance(body, s.Object):
        raise TranslateError("expected a resource body ('{ ... }')", body)
    return body, loop, cond


def _prop_node(obj: s.Object, key: str) -> s.Prop | None:
    for item in obj.items:
        if isinstance(item, s.Prop) and item.key == key:
            return item
    return None


def _prop(obj: s.Object, key: str) -> s.Expr | None:
    node = _prop_node(obj, key)
    return node.value if node is not None else None


def _strip_index(node: s.Expr) -> tuple[s.Expr, s.Expr | None]:
    while isinstance(node, s.NonNull):
        node = node.base
    if isinstance(node, s.Index) and not node.safe:
        base = node.base
        while isinstance(base, s.NonNull):
            base = base.base
        return base, node.index
    return node, None


def _const(node: s.Expr) -> Any:
    """The value of a constant expression (decorator arguments), or None when not constant."""
    if isinstance(node, s.Literal):
        return node.value
    if isinstance(node, s.Array):
        out = []
        for item in node.items:
            if isinstance(item, s.Spread):
                return None
            out.append(_const(item))
        return out
    if isinstance(node, s.Object):
        obj: dict[str, Any] = {}
        for prop in node.items:
            if isinstance(prop, s.Spread) or not isinstance(prop.key, str):
                return None
            obj[prop.key] = _const(prop.value)
        return obj
    if isinstance(node, s.Unary) and node.op == "-" and isinstance(node.operand, s.Literal) and isinstance(node.operand.value, int):
        return -node.operand.value
    return None


def _type_of_value(value: Any) -> str | None:
    """The ARM type of a literal a type may be (a string, an integer, a boolean), else None."""
    name = type_name(value)
    return name if name in ("bool", "int", "string") else None


def _has_type_syntax(texpr: s.TypeExpr) -> bool:
    """Object, array, tuple, union or nullable type syntax (which makes the compiler use languageVersion 2.0)."""
    return not isinstance(texpr, (s.TypeRef, s.TypeLiteral))


def _children(node: Any) -> list[Any]:
    out: list[Any] = []
    if isinstance(node, list):
        return node
    if not isinstance(node, s.Node):
        return out
    for klass in type(node).__mro__:
        for name in getattr(klass, "__slots__", ()):
            _add_child(out, getattr(node, name, None))
    return out


def _add_child(out: list[Any], value: Any) -> None:
    if isinstance(value, s.Node):
        out.append(value)
    elif isinstance(value, list):
        out.extend(v for v in value if isinstance(v, s.Node))


def _json_path(value: Any, path: str) -> Any:
    """A small subset of JSONPath for loadJsonContent(file, '$.a.b[0]')."""
    cur = value
    for m in re.finditer(r"\.([A-Za-z0-9_$-]+)|\[(\d+)\]|\['([^']*)'\]", path.lstrip("$")):
        key = m.group(1) or m.group(3)
        if key is not None:
            cur = cur.get(key) if isinstance(cur, dict) else None
        else:
            idx = int(m.group(2))
            cur = cur[idx] if isinstance(cur, list) and idx < len(cur) else None
    return cur


def translate(program: s.Program, path: str, load_module: ModuleLoader | None = None, read_file: FileReader | None = None,
              load_import: ModuleLoader | None = None) -> Translation:
    emitter = Emitter(program, path, load_module, read_file, load_import)
    result = emitter.translate()
    result.emitter = emitter
    result.path = path
    return result
