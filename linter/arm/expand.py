"""Expand an ARM deployment template into Resources.

Parameters (defaults, parameters files, --parameter), variables (with copy), user functions, resource
``copy`` loops, ``condition``, symbolic names (languageVersion 2.0), child resources declared inline,
extension resources (``scope``), nested deployments (inner/outer evaluation scope, other resource groups
and subscriptions, outputs consumed through ``reference(...).outputs``) and local linked templates.
What cannot be known statically is ``Unknown``; no value is invented.
"""
from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from linter.arm.context import DeploymentContext
from linter.arm.expr import ExprError, evaluate
from linter.arm.functions_base import Budget
from linter.arm.types import TypeSystem
from linter.constants import NOT_FOLLOWED, PARAMETER_ERROR, TEMPLATE_ERROR
from linter.model import UNKNOWN_PART, Resource, Unknown, join_pointer

MAX_COPY = 800  # ARM's limit for a copy loop
MAX_DEPLOYMENT_DEPTH = 16
MAX_RESOURCES = 200_000

_SCHEMA_SCOPES = (
    ("subscriptiondeploymenttemplate", "subscription"),
    ("managementgroupdeploymenttemplate", "managementGroup"),
    ("tenantdeploymenttemplate", "tenant"),
)


class NotFollowed(Exception):
    """Raised by ``decode_file`` (expand_template) to say why a linked template is not followed."""


@dataclass
class TemplateIssue:
    """A finding produced while expanding (ACR004 expression error, ACR005 linked template, ACR006 parameter)."""

    rule_id: str
    message: str
    pointer: str
    severity: str | None = None
    file: str | None = None  # the file the pointer is in (a linked template's own), when known


@dataclass
class ExpandResult:
    resources: list[Resource] = field(default_factory=list)
    issues: list[TemplateIssue] = field(default_factory=list)
    deployments: int = 0


def target_scope_of(template: dict[str, Any]) -> str:
    schema = str(template.get("$schema", "")).lower()
    for key, scope in _SCHEMA_SCOPES:
        if key in schema:
            return scope
    return "resourceGroup"


def _ci_dict(obj: Any) -> dict[str, Any]:
    return {k.lower(): (k, v) for k, v in obj.items()} if isinstance(obj, dict) else {}


class _Ptr:
    """A JSON pointer built only when needed: evaluation visits every value, errors are rare."""

    __slots__ = ("_text", "key", "parent")

    def __init__(self, parent: str | _Ptr, key: Any) -> None:
        self.parent, self.key = parent, key
        self._text: str | None = None

    def __str__(self) -> str:
        if self._text is None:
            self._text = join_pointer(str(self.parent), self.key)
        return self._text


class _Doubt:
    """What the evaluation in progress depends on, shared by a template and its nested deployments.

    An expression error is a template error only when it holds for every value the template's inputs can take
    (issue: "ACR004/ACR006 are reported only when the template is wrong for every value the unknowns could take").
    Two things make an error depend on a choice the linted files do not make:
    - ``free`` counts reads of values derived from a *free input*: a nullable parameter that the deployment leaves
      unset. Its value is null (rules see the template as deployed without it), but a caller may supply one, and
      templates often need it exactly where they use it (Bicep's ``param!``). An error in an evaluation that read
      such a value is not reported.
    - ``speculative`` is above zero while expanding what may never be deployed: a resource (or nested deployment)
      whose condition is not known. Errors that depend on values are not reported there; static ones (syntax,
      unknown function, undeclared parameter) still are.
    """

    __slots__ = ("free", "speculative")

    def __init__(self) -> None:
        self.free = 0
        self.speculative = 0


class _Entry:
    """A resource declaration in a template, possibly expanded into several instances by copy."""

    __slots__ = ("copy_name", "expanding", "instances", "parent_name", "parent_type", "pointer", "raw", "symbol")

    def __init__(self, raw: dict[str, Any], pointer: str, symbol: str | None, parent_type: Any, parent_name: Any):
        self.raw = raw
        self.pointer = pointer
        self.symbol = symbol
        self.parent_type = parent_type
        self.parent_name = parent_name
        self.instances: list[Resource] | None = None
        self.expanding = False
        self.copy_name: str | None = None


class TemplateExpander:
    """Expands one template (and, recursively, its nested deployments). Implements linter.arm.context.Scope."""

    def __init__(
        self,
        template: dict[str, Any],
        *,
        file: str,
        doc: int = 0,
        pointer: str = "",
        ctx: DeploymentContext | None = None,
        parameter_values: dict[str, Any] | None = None,
        parameter_pointers: dict[str, str] | None = None,
        outer: TemplateExpander | None = None,
        deployment_path: tuple[str, ...] = (),
        result: ExpandResult | None = None,
        source_kind: str = "arm",
        load_linked: Callable[[str], Any] | None = None,
        depth: int = 0,
        doubt: _Doubt | None = None,
        free_parameters: set[str] | None = None,
        budget: Budget | None = None,
    ) -> None:
        self.template = template
        self.file = file
        self.doc = doc
        self.base = pointer
        self.ctx = (ctx or DeploymentContext()).child(template=template)
        if "$schema" in template or ctx is None:
            self.ctx.target_scope = target_scope_of(template)
        self.supplied = {k.lower(): v for k, v in (parameter_values or {}).items()}
        self.supplied_pointers = {k.lower(): v for k, v in (parameter_pointers or {}).items()}
        self.doubt = doubt if doubt is not None else _Doubt()
        self.budget = budget  # what this file's expressions may still produce (None: no limit but the per-value ones)
        # Parameters whose value derives from a free input. For the template the user deploys (no caller), an
        # unset nullable parameter is one; for a nested deployment, the caller says which values it passed are.
        self._top_level = doubt is None
        self._free: set[str] = {k.lower() for k in free_parameters} if free_parameters else set()
        self.types = TypeSystem(template.get("definitions"))
        self.outer = outer  # set for expressionEvaluationOptions.scope == outer: names resolve there
        self.deployment_path = deployment_path
        self.result = result if result is not None else ExpandResult()
        self.source_kind = source_kind
        self.load_linked = load_linked
        self.depth = depth
        self._params: dict[str, Any] = {}
        self._param_decl = _ci_dict(template.get("parameters"))
        self._vars: dict[str, Any] = {}
        self._var_decl = _ci_dict(template.get("variables"))
        self._var_busy: set[str] = set()
        self._free_vars: set[str] = set()
        self._param_busy: set[str] = set()
        self._loops: dict[str, Any] = {}
        # Expression results, by text. An evaluation that consulted expansion state (copyIndex(), reference(),
        # a symbolic resource) bumps _volatile and is not remembered; everything else an expression can see
        # (parameters, variables, the deployment context) is fixed for this expander.
        self._memo: dict[str, tuple[Any, bool]] = {}  # text -> (value, read a free input)
        self._volatile = 0
        self._functions: dict[tuple[str, str], dict[str, Any]] = {}
        for ns in template.get("functions") or []:
            if isinstance(ns, dict) and isinstance(ns.get("members"), dict):
                for name, definition in ns["members"].items():
                    self._functions[(str(ns.get("namespace", "")).lower(), str(name).lower())] = definition
        self._entries: list[_Entry] = []
        self._by_symbol: dict[str, _Entry] = {}
        self._base_speculative = self.doubt.speculative  # a nested deployment whose condition is not known: see _Doubt
        self._reported: set[str] = set()
        self._collect_entries()

    # ----- errors -------------------------------------------------------------------------------------------
    def issue(self, rule_id: str, message: str, pointer: str | _Ptr, severity: str | None = None) -> None:
        pointer = str(pointer)
        key = f"{rule_id}\x1f{pointer}\x1f{message}"
        if key in self._reported:
            return
        self._reported.add(key)
        self.result.issues.append(TemplateIssue(rule_id, message, pointer, severity, self.file))

    def _eval_string(self, text: str, pointer: str | _Ptr) -> Any:
        doubt = self.doubt
        hit = self._memo.get(text)
        if hit is not None:
            if hit[1]:
                doubt.free += 1
            return hit[0]
        volatile = self._volatile
        free = doubt.free
        try:
            value = evaluate(text, self)
            if self._volatile == volatile:
                self._memo[text] = (value, doubt.free != free)
            return value
        except ExprError as exc:
            if exc.static or not (doubt.speculative or doubt.free != free):
                self.issue(TEMPLATE_ERROR, f"template expression error: {exc}", pointer)
            return Unknown(f"expression error at {pointer}")
        except RecursionError:
            self.issue(TEMPLATE_ERROR, "template expression error: expression nested too deeply", pointer)
            return Unknown("recursion")

    def eval_tree(self, value: Any, pointer: str | _Ptr, allow_property_copy: bool = False) -> Any:
        if isinstance(value, str):
            if value.startswith("["):
                return self._eval_string(value, pointer)
            return value
        if isinstance(value, dict):
            out: dict[str, Any] = {}
            for k, v in value.items():
                if isinstance(v, str) and not (isinstance(k, str) and k.startswith("[")):
                    out[k] = self._eval_string(v, _Ptr(pointer, k)) if v.startswith("[") else v  # most values
                    continue
                p = _Ptr(pointer, k)
                if allow_property_copy and k == "copy" and isinstance(v, list) and all(isinstance(c, dict) for c in v):
                    out.update(self._property_copy(v, str(p)))
                    continue
                if isinstance(k, str) and k.startswith("["):
                    # ARM evaluates expressions in property names (userAssignedIdentities keys, tags)
                    key = self._eval_string(k, p)
                    k = key if isinstance(key, str) else k
                out[k] = self.eval_tree(v, p, allow_property_copy) if isinstance(v, (dict, list, str)) else v
            return out
        if isinstance(value, list):
            return [self.eval_tree(v, _Ptr(pointer, i), allow_property_copy) for i, v in enumerate(value)]
        return value

    def _count(self, raw: Any, pointer: str) -> Any:
        count = self.eval_tree(raw, pointer)
        if isinstance(count, bool) or not isinstance(count, (int, Unknown)):
            if isinstance(count, float) and count.is_integer():
                return int(count)
            self.issue(TEMPLATE_ERROR, f"copy count must be an integer, got {count!r}", pointer)
            return Unknown("bad count")
        if isinstance(count, int) and not 0 <= count <= MAX_COPY:
            self.issue(TEMPLATE_ERROR, f"copy count {count} is outside 0..{MAX_COPY}", pointer)
            return Unknown("count out of range")
        return count

    def _property_copy(self, loops: list[dict[str, Any]], pointer: str) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for i, loop in enumerate(loops):
            p = join_pointer(pointer, i)
            name = loop.get("name")
            if not isinstance(name, str):
                continue
            count = self._count(loop.get("count", 0), join_pointer(p, "count"))
            if isinstance(count, Unknown):
                out[name] = Unknown(f"copy count of {name}")
                continue
            out[name] = self._iterate(name.lower(), count, loop.get("input"), join_pointer(p, "input"))
        return out

    def _iterate(self, loop_key: str, count: int, body: Any, pointer: str, unnamed: bool = False) -> list[Any]:
        """``body`` evaluated for each index of a copy loop named ``loop_key`` (copyIndex('name')); ``unnamed`` makes
        copyIndex() without a name see it too, as output iteration does. Indices of enclosing loops are restored
        afterwards, so copyIndex('outer') still means the enclosing loop once an inner loop is done."""
        keys = (loop_key, "") if unnamed else (loop_key,)
        saved = {k: self._loops[k] for k in keys if k in self._loops}
        items = []
        try:
            for index in range(count):
                for k in keys:
                    self._loops[k] = index
                items.append(self.eval_tree(body, pointer, True))
        finally:
            for k in keys:
                if k in saved:
                    self._loops[k] = saved[k]
                else:
                    self._loops.pop(k, None)
        return items

    # ----- Scope protocol -----------------------------------------------------------------------------------
    def parameter(self, name: str) -> Any:
        if self.outer is not None:
            return self.outer.parameter(name)
        key = str(name).lower()
        if key in self._params:
            if key in self._free:
                self.doubt.free += 1
            return self._params[key]
        if key not in self._param_decl:
            raise ExprError(f"the template parameter '{name}' is not found", static=True)
        if key in self._param_busy:
            raise ExprError(f"parameter '{name}' refers to itself", static=True)
        self._param_busy.add(key)
        free = self.doubt.free
        try:
            value = self._resolve_parameter(key)
        finally:
            self._param_busy.discard(key)
        if key in self._free:
            self.doubt.free += 1
        elif self.doubt.free != free:  # a default value that reads a free input
            self._free.add(key)
        self._params[key] = value
        return value

    def _resolve_parameter(self, key: str) -> Any:
        """A parameter's value as ARM binds it.

        A null value is no value: "the ARM engine will interpret a null value as equivalent to no value having been
        supplied for the parameter" (Azure/bicep#11532, which lets .bicepparam files pass null for that reason), so the
        default applies, as it does when a Bicep module passes null to an optional parameter. With no value and no
        default, a nullable parameter is null ("the value may be null or omitted", ARM's definitions article); any
        other parameter is required and its value is not known here.
        """
        decl_name, decl = self._param_decl[key]
        decl = decl if isinstance(decl, dict) else {}
        pointer = join_pointer(self.base, "parameters", decl_name)
        value = self.supplied.get(key)
        if value is not None:
            if key not in self._free and not self.doubt.speculative:
                self._validate_parameter(decl_name, decl, value, self.supplied_pointers.get(key, pointer))
            return value
        if "defaultValue" in decl:
            return self.eval_tree(decl["defaultValue"], join_pointer(pointer, "defaultValue"))
        if self.types.nullable(decl):
            if self._top_level:
                self._free.add(key)
            return None
        return Unknown(f"parameter '{decl_name}' has no value")

    def _validate_parameter(self, name: str, decl: dict[str, Any], value: Any, pointer: str) -> None:
        for path, problem in self.types.problems(decl, value):
            self.issue(PARAMETER_ERROR, f"parameter '{name}'{problem}", join_pointer(pointer, *path) if path else pointer)

    def variable(self, name: str) -> Any:
        if self.outer is not None:
            return self.outer.variable(name)
        key = str(name).lower()
        if key in self._vars:
            if key in self._free_vars:
                self.doubt.free += 1
            return self._vars[key]
        if key in self._var_busy:
            raise ExprError(f"variable '{name}' refers to itself", static=True)
        self._var_busy.add(key)
        free = self.doubt.free
        try:
            value = self._resolve_variable(key, name)
        finally:
            self._var_busy.discard(key)
        if self.doubt.free != free:
            self._free_vars.add(key)
        self._vars[key] = value
        return value

    def _resolve_variable(self, key: str, name: str) -> Any:
        # variables declared by a top-level "copy" array in the variables section
        copy_decl = self._var_decl.get("copy")
        if copy_decl and isinstance(copy_decl[1], list):
            for i, loop in enumerate(copy_decl[1]):
                if isinstance(loop, dict) and str(loop.get("name", "")).lower() == key:
                    p = join_pointer(self.base, "variables", "copy", i)
                    return self._variable_copy(loop, p)
        if key not in self._var_decl:
            raise ExprError(f"the template variable '{name}' is not found", static=True)
        decl_name, raw = self._var_decl[key]
        return self.eval_tree(raw, join_pointer(self.base, "variables", decl_name), allow_property_copy=True)

    def _variable_copy(self, loop: dict[str, Any], pointer: str, unnamed: bool = False) -> Any:
        name = str(loop.get("name"))
        count = self._count(loop.get("count", 0), join_pointer(pointer, "count"))
        if isinstance(count, Unknown):
            return Unknown(f"copy count of {name}")
        return self._iterate(name.lower(), count, loop.get("input"), join_pointer(pointer, "input"), unnamed)

    def copy_index(self, loop: str | None, offset: int) -> Any:
        self._volatile += 1
        key = loop.lower() if isinstance(loop, str) else ""
        if key not in self._loops:
            if self.outer is not None and key in self.outer._loops:
                value = self.outer._loops[key]
            else:
                raise ExprError(f"copyIndex('{loop}') is used outside that copy loop" if loop else "copyIndex() is used outside a copy loop")
        else:
            value = self._loops[key]
        if isinstance(value, Unknown):
            return value
        return value + offset

    def user_function(self, namespace: str, name: str) -> dict[str, Any] | None:
        return self._functions.get((namespace.lower(), name.lower())) or (
            self.outer.user_function(namespace, name) if self.outer is not None else None
        )

    def resource_id_of_symbol(self, symbol: str) -> Any:
        self._volatile += 1
        entry, index = self._symbol(symbol)
        if entry is None:
            return None
        instances = self._instances(entry)
        if index is not None:
            one = _instance_at(entry, instances, index)
            return one.id if one is not None else Unknown(f"{symbol}")
        if len(instances) == 1:
            return instances[0].id
        return Unknown(f"resource collection {symbol}")

    def _symbol(self, text: Any) -> tuple[_Entry | None, int | None]:
        """The entry a symbolic name names, and the copy index of 'name[i]' (the compiler's form for one instance
        of a resource or module declared in a loop)."""
        if not isinstance(text, str):
            return None, None
        entry = self._by_symbol.get(text.lower())
        if entry is not None:
            return entry, None
        m = _INDEXED_SYMBOL.match(text)
        if m is not None:
            entry = self._by_symbol.get(m.group(1).lower())
            if entry is not None and entry.copy_name is not None:
                return entry, int(m.group(2))
        return None, None

    def reference(self, target: Any, api_version: Any, full: bool) -> Any:
        self._volatile += 1
        if isinstance(target, Unknown):
            return Unknown("reference to an unknown resource", target.origin and ("ref",) + target.origin[1:2])
        if not isinstance(target, str):
            raise ExprError("reference() expects a resource ID or a symbolic name")
        entry, index = self._symbol(target)
        if entry is not None:
            instances = self._instances(entry)
            if index is not None:
                one = _instance_at(entry, instances, index)
                if one is None:
                    return Unknown(f"reference to {target}")
                resource = one
            elif len(instances) != 1:
                return Unknown(f"reference to collection {target}")
            else:
                resource = instances[0]
        else:
            # "When referencing a resource in the current template, provide only the resource name" (ARM's
            # reference() documentation): a bare name is a resource of this template
            found = self._find_by_name(target) if "/" not in target else self._find_by_id(target)
            if found is None:
                rid = target if target.startswith("/") else self._absolute_id(target)
                return Unknown(f"reference({target})", ("ref", rid.lower(), full))
            resource = found
        if resource.type.lower() == "microsoft.resources/deployments":
            outputs = resource.extra.get("outputs")
            if isinstance(outputs, dict):
                props = {"outputs": outputs, "provisioningState": "Succeeded"}
                return {"properties": props, "id": resource.id, "name": resource.name} if full else props
        rid_lower = resource.id_lower
        return Unknown(f"runtime state of {resource.label}", ("ref", rid_lower, full) if rid_lower else None)

    def references(self, symbolic_name: str, full: bool) -> Any:
        self._volatile += 1
        entry = self._by_symbol.get(str(symbolic_name).lower())
        if entry is None:
            raise ExprError(f"references(): '{symbolic_name}' is not a resource collection in this template")
        return [self.reference(r.id, None, full) for r in self._instances(entry)]

    # ----- resources ----------------------------------------------------------------------------------------
    def _collect_entries(self) -> None:
        resources = self.template.get("resources")
        if isinstance(resources, dict):  # languageVersion 2.0: symbolic names
            for symbol, raw in resources.items():
                if isinstance(raw, dict):
                    self._add_entry(raw, join_pointer(self.base, "resources", symbol), symbol, None, None)
        elif isinstance(resources, list):
            for i, raw in enumerate(resources):
                if isinstance(raw, dict):
                    self._add_entry(raw, join_pointer(self.base, "resources", i), None, None, None)

    def _add_entry(self, raw: dict[str, Any], pointer: str, symbol: str | None, ptype: Any, pname: Any) -> None:
        entry = _Entry(raw, pointer, symbol, ptype, pname)
        self._entries.append(entry)
        if symbol:
            self._by_symbol[symbol.lower()] = entry
        copy = raw.get("copy")
        if isinstance(copy, dict) and isinstance(copy.get("name"), str):
            entry.copy_name = copy["name"]
            self._by_symbol.setdefault(copy["name"].lower(), entry)

    def _absolute_id(self, relative: str) -> str:
        return f"/subscriptions/{self.ctx.subscription_id}/resourceGroups/{self.ctx.resource_group}/providers/{relative}"

    def _find_by_id(self, rid: str) -> Resource | None:
        low = rid.lower()
        for entry in self._entries:
            if entry.expanding and entry.instances is None:
                continue
            # cheap pre-filter on the declared type's last segment
            raw_type = entry.raw.get("type")
            if isinstance(raw_type, str) and not raw_type.startswith("[") and raw_type.split("/")[-1].lower() not in low:
                continue
            for res in self._instances(entry):
                if isinstance(res.id, str) and res.id.lower() == low:
                    return res
        return None

    def _find_by_name(self, name: str) -> Resource | None:
        """The one resource of this template named ``name`` (its last name segment), None when none or several."""
        low = name.lower()
        found: list[Resource] = []
        for entry in list(self._entries):
            if entry.expanding and entry.instances is None:
                continue
            raw_name = entry.raw.get("name")
            if isinstance(raw_name, str) and not raw_name.startswith("[") and raw_name.split("/")[-1].lower() != low:
                continue
            found.extend(r for r in self._instances(entry) if isinstance(r.name, str) and r.name.split("/")[-1].lower() == low)
        return found[0] if len(found) == 1 else None

    def _instances(self, entry: _Entry) -> list[Resource]:
        if entry.instances is not None:
            return entry.instances
        if entry.expanding:
            raise ExprError("circular reference between resources")
        entry.expanding = True
        # an entry first needed by an expression inside something speculative is judged on its own condition (and
        # on its deployment's: see expand())
        speculative, self.doubt.speculative = self.doubt.speculative, self._base_speculative
        try:
            entry.instances = self._expand_entry(entry)
        finally:
            entry.expanding = False
            self.doubt.speculative = speculative
        return entry.instances

    def _expand_entry(self, entry: _Entry) -> list[Resource]:
        raw = entry.raw
        copy = raw.get("copy")
        if isinstance(copy, dict) and "count" in copy:
            name = str(copy.get("name", ""))
            count = self._count(copy["count"], join_pointer(entry.pointer, "copy", "count"))
            unknown_count = isinstance(count, Unknown)
            indices: list[Any] = [Unknown("copy index")] if unknown_count else list(range(count))
            keys = ("", name.lower()) if name else ("",)
            saved = {k: self._loops[k] for k in keys if k in self._loops}
            out: list[Resource] = []
            if unknown_count:
                self.doubt.speculative += 1  # perhaps no instance at all: see _Doubt
            try:
                for index in indices:
                    for k in keys:
                        self._loops[k] = index
                    out.extend(self._expand_instance(entry, index if isinstance(index, int) else None))
            finally:
                if unknown_count:
                    self.doubt.speculative -= 1
                for k in keys:
                    if k in saved:
                        self._loops[k] = saved[k]
                    else:
                        self._loops.pop(k, None)
            return out
        return self._expand_instance(entry, None)

    def _expand_instance(self, entry: _Entry, copy_index: int | None) -> list[Resource]:
        raw, pointer = entry.raw, entry.pointer
        condition_text: str | None = None
        if "condition" in raw:
            cond = self.eval_tree(raw["condition"], join_pointer(pointer, "condition"))
            if cond is False or (isinstance(cond, str) and cond.lower() == "false"):
                return []
            if isinstance(cond, Unknown):
                condition_text = _condition_text(raw["condition"])
        if condition_text is None:
            return self._build_instance(entry, copy_index, None)
        self.doubt.speculative += 1  # it may never be deployed: see _Doubt
        try:
            return self._build_instance(entry, copy_index, condition_text)
        finally:
            self.doubt.speculative -= 1

    def _build_instance(self, entry: _Entry, copy_index: int | None, condition_text: str | None) -> list[Resource]:
        raw, pointer = entry.raw, entry.pointer
        body: dict[str, Any] = {}
        static_text: str | None = None
        for key, value in raw.items():
            if key in ("resources", "copy", "condition", "dependsOn"):
                continue
            if key == "properties" and _is_deployment(raw):
                body[key] = value  # evaluated with the nested template below
                continue
            if key == "properties" and isinstance(value, dict):
                static_text = _static_text(value)
                if static_text is not None:
                    body[key] = value  # nothing to evaluate: shared, not copied (bodies are never mutated in place)
                    continue
            if isinstance(value, str):
                body[key] = self._eval_string(value, _Ptr(pointer, key)) if value.startswith("[") else value
                continue
            body[key] = self.eval_tree(value, _Ptr(pointer, key), allow_property_copy=(key == "properties"))
        if "dependsOn" in raw:
            body["dependsOn"] = raw["dependsOn"]
        rtype = body.get("type")
        rname = body.get("name")
        if entry.parent_type is not None:
            rtype = f"{entry.parent_type}/{rtype}" if isinstance(rtype, str) and isinstance(entry.parent_type, str) else rtype
            if isinstance(rname, str) and isinstance(entry.parent_name, str):
                rname = f"{entry.parent_name}/{rname}"
            elif not isinstance(rname, Unknown):
                rname = Unknown("child name")
        if not isinstance(rtype, str):
            self.issue(TEMPLATE_ERROR, "resource type could not be evaluated", join_pointer(pointer, "type"))
            return []
        existing = raw.get("existing") is True
        rid = self._resource_id(rtype, rname, body, pointer)
        res = Resource(
            type=_canonical_type(rtype),
            name=rname,
            id=rid,
            body=body,
            file=self.file,
            pointer=pointer,
            doc=self.doc,
            api_version=body.get("apiVersion"),
            copy_index=copy_index,
            condition=condition_text,
            existing=existing,
            source_kind=self.source_kind,
            symbolic_name=entry.symbol,
            deployment_path=self.deployment_path,
        )
        if len(self.result.resources) > MAX_RESOURCES:
            self.issue(TEMPLATE_ERROR, f"template expands to more than {MAX_RESOURCES} resources; expansion stopped", pointer)
            return []
        res.extra["scope_id"] = self._scope_id_of(body.get("scope"))
        if static_text is not None:
            res.extra["static_properties"] = static_text  # a free cache key for the schema analysis of properties
        if not isinstance(rname, str) and isinstance(raw.get("name"), str):
            res.extra["raw_name"] = raw["name"]  # names the resource in messages: "[parameters('acrName')]"
        out = [res]
        if _is_deployment(raw) and not existing:
            self._expand_deployment(res, raw, pointer)
        # child resources declared inline
        children = raw.get("resources")
        if isinstance(children, list):
            for i, child in enumerate(children):
                if isinstance(child, dict):
                    sub = _Entry(child, join_pointer(pointer, "resources", i), None, rtype, rname)
                    self._entries.append(sub)
                    out.extend(self._instances(sub))
        return out

    def _resource_id(self, rtype: str, rname: Any, body: dict[str, Any], pointer: str) -> Any:
        if isinstance(rname, Unknown):  # what is known of the ID: its type and scope (see Unknown.shape)
            rid = self._resource_id(rtype, rname.shape if rname.shape is not None else UNKNOWN_PART, body, pointer)
            shape = rid if isinstance(rid, str) else rid.shape if isinstance(rid, Unknown) else None
            return Unknown(f"ID of a {rtype} with an unknown name", shape=shape)
        if not isinstance(rname, str):
            return Unknown("resource name is not a string")
        types = rtype.split("/")
        names = rname.split("/")
        if len(types) < 2:
            return Unknown("malformed type")
        # legacy nested extension form: registries/providers/roleAssignments with name 'acr/Microsoft.Authorization/guid'
        segments = [types[0]]
        rest_types = types[1:]
        if len(rest_types) != len(names):
            return Unknown("name segments do not match the type")
        for t, n in zip(rest_types, names):
            segments.append(t)
            segments.append(n)
        relative = "/".join(segments)
        scope = body.get("scope")
        if isinstance(scope, Unknown):
            base = self.normalise_scope(scope.shape) if scope.shape else None
            shape = f"{base.rstrip('/')}/providers/{relative}" if base else None
            return Unknown("extension resource with an unknown scope", shape=shape)
        if isinstance(scope, str) and scope:
            base = self.normalise_scope(scope)
            if base is None:
                return Unknown("scope is not an ID")
            return _partly_known(f"{base.rstrip('/')}/providers/{relative}")
        return _partly_known(self._prefix_of(body) + relative)

    def _prefix_of(self, body: dict[str, Any]) -> str:
        """Where a resource's ID starts: the deployment's scope, or the subscription and resource group the resource
        names itself (an `existing` resource in another resource group, a deployment to another scope)."""
        sub, rg = body.get("subscriptionId"), body.get("resourceGroup")
        if sub is None and rg is None:
            return self._scope_prefix()
        sub_text = sub if isinstance(sub, str) else UNKNOWN_PART if isinstance(sub, Unknown) else self.ctx.subscription_id
        if rg is None:  # a subscription alone: the resource (a Bicep module with scope: subscription(...)) is at its level
            return f"/subscriptions/{sub_text}/providers/"
        rg_text = rg if isinstance(rg, str) else UNKNOWN_PART if isinstance(rg, Unknown) else self.ctx.resource_group
        return f"/subscriptions/{sub_text}/resourceGroups/{rg_text}/providers/"

    def normalise_scope(self, scope: str) -> str | None:
        """A scope as written (full ID, relative 'Microsoft.X/y/name', or a symbolic name) as a full ID."""
        if scope.startswith("/"):
            return scope
        entry = self._by_symbol.get(scope.lower())
        if entry is not None:
            rid = self.resource_id_of_symbol(scope)
            return rid if isinstance(rid, str) else None
        if "/" in scope:
            return self._scope_prefix() + scope
        return None

    def _scope_id_of(self, scope: Any) -> Any:
        """The ID of the scope a resource is deployed at: its `scope` property, or the deployment's scope."""
        if isinstance(scope, str) and scope:
            full = self.normalise_scope(scope)
            return _partly_known(full.rstrip("/")) if full else Unknown("scope is not an ID")
        if isinstance(scope, Unknown):
            full = self.normalise_scope(scope.shape) if scope.shape else None
            return Unknown("unknown scope", shape=full.rstrip("/") if full else None)
        if scope is not None and not isinstance(scope, str):
            return Unknown("unknown scope")
        return _partly_known(self._scope_prefix()[: -len("/providers/")] or "/")

    def _scope_prefix(self) -> str:
        scope = self.ctx.target_scope
        if scope == "subscription":
            return f"/subscriptions/{self.ctx.subscription_id}/providers/"
        if scope == "managementGroup":
            return f"/providers/Microsoft.Management/managementGroups/{self.ctx.management_group}/providers/"
        if scope == "tenant":
            return "/providers/"
        return f"/subscriptions/{self.ctx.subscription_id}/resourceGroups/{self.ctx.resource_group}/providers/"

    # ----- nested deployments -------------------------------------------------------------------------------
    def _expand_deployment(self, res: Resource, raw: dict[str, Any], pointer: str) -> None:
        self.result.deployments += 1
        props_raw = raw.get("properties")
        if not isinstance(props_raw, dict):
            return
        ppointer = join_pointer(pointer, "properties")
        options = props_raw.get("expressionEvaluationOptions")
        inner = isinstance(options, dict) and str(options.get("scope", "")).lower() == "inner"
        template = props_raw.get("template")
        tpointer = join_pointer(ppointer, "template")
        file, doc = self.file, self.doc
        link = props_raw.get("templateLink")
        # mode, parameters, templateLink: evaluated in this scope, whether or not the template is expanded
        evaluated, free_parameters = self._deployment_properties(res, props_raw, ppointer)
        if template is None and isinstance(link, dict):
            rel = self.eval_tree(link.get("relativePath"), join_pointer(ppointer, "templateLink", "relativePath"))
            loaded = self.load_linked(rel) if isinstance(rel, str) and self.load_linked else None
            if not isinstance(loaded, tuple):
                why = f" ({loaded})" if isinstance(loaded, str) else ""  # load_linked's reason, when it gives one
                self.issue(
                    NOT_FOLLOWED,
                    f"linked template of deployment '{res.label}' is not followed{why}; its resources are not checked",
                    join_pointer(ppointer, "templateLink"),
                )
                res.extra["outputs"] = None
                return
            template, file, tpointer = loaded
            doc, inner = 0, True
        if not isinstance(template, dict):
            return
        if self.depth >= MAX_DEPLOYMENT_DEPTH:
            self.issue(TEMPLATE_ERROR, f"nested deployments deeper than {MAX_DEPLOYMENT_DEPTH} levels are not expanded", pointer)
            return
        ctx = self.ctx.child(deployment_name=res.name if isinstance(res.name, str) else self.ctx.deployment_name)
        rg = res.body.get("resourceGroup")
        sub = res.body.get("subscriptionId")
        # a subscription or resource group that is not known makes the IDs in that deployment partly known: their
        # unknown part is written UNKNOWN_PART, and IDs holding one are Unknowns with that shape (see Unknown.shape)
        if isinstance(sub, str):
            ctx.subscription_id = sub
        elif isinstance(sub, Unknown):
            ctx.subscription_id = UNKNOWN_PART
        if sub is not None and rg is None:
            ctx.target_scope = "subscription"
        if isinstance(rg, str):
            ctx.resource_group = rg
            ctx.target_scope = "resourceGroup"
        elif isinstance(rg, Unknown):
            ctx.resource_group = UNKNOWN_PART
            ctx.target_scope = "resourceGroup"
        values: dict[str, Any] = {}
        pointers: dict[str, str] = {}
        params = evaluated.get("parameters")
        if isinstance(params, dict):
            for name, spec in params.items():
                if isinstance(spec, dict) and "value" in spec:
                    values[name] = spec["value"]
                    pointers[name] = join_pointer(ppointer, "parameters", name, "value")
                elif isinstance(spec, dict) and "reference" in spec:
                    values[name] = Unknown(f"Key Vault reference for parameter {name}")
        child = TemplateExpander(
            template,
            file=file,
            doc=doc,
            pointer=tpointer,
            ctx=ctx,
            parameter_values=values if inner else None,
            parameter_pointers=pointers,
            outer=None if inner else self,
            deployment_path=self.deployment_path + (res.label,),
            result=self.result,
            source_kind=self.source_kind,
            load_linked=self.load_linked if file == self.file else None,
            depth=self.depth + 1,
            doubt=self.doubt,
            free_parameters=free_parameters if inner else None,
            budget=self.budget,
        )
        child.expand()
        res.extra["outputs"] = child.outputs()

    def _deployment_properties(self, res: Resource, props_raw: dict[str, Any], ppointer: str) -> tuple[dict[str, Any], set[str]]:
        """The deployment's properties but its template (mode, parameters, templateLink), evaluated in this scope and
        set on ``res``; and the parameters whose values read a free input (see _Doubt). A parameter value may hold
        property copies ({"copy": [{"name": "value", ...}]} gives {"value": [...]}), as ARM allows there."""
        evaluated: dict[str, Any] = {}
        free_parameters: set[str] = set()
        for key, value in props_raw.items():
            if key == "template":
                continue
            if key == "parameters" and isinstance(value, dict):
                params_out: dict[str, Any] = {}
                for pname, spec in value.items():
                    free = self.doubt.free
                    params_out[pname] = self.eval_tree(spec, join_pointer(ppointer, key, pname), allow_property_copy=True)
                    if self.doubt.free != free:
                        free_parameters.add(str(pname))
                evaluated[key] = params_out
                continue
            evaluated[key] = self.eval_tree(value, join_pointer(ppointer, key))
        res.body["properties"] = dict(evaluated, template={"$ref": "nested"}) if "template" in props_raw else evaluated
        return evaluated, free_parameters

    def outputs(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        outputs = self.template.get("outputs")
        if not isinstance(outputs, dict):
            return out
        for name, spec in outputs.items():
            if not isinstance(spec, dict):
                continue
            p = join_pointer(self.base, "outputs", name)
            if "condition" in spec:
                cond = self.eval_tree(spec["condition"], join_pointer(p, "condition"))
                if cond is False:
                    continue
            if "copy" in spec and isinstance(spec["copy"], dict):
                # "copy": {"count", "input"} on an output: the input sees copyIndex() (ARM's "Output iteration")
                value: Any = self._variable_copy(dict(spec["copy"], name=f"<output {name}>"), join_pointer(p, "copy"), unnamed=True)
            else:
                value = self.eval_tree(spec.get("value"), join_pointer(p, "value"))
            out[name] = {"type": spec.get("type"), "value": value}
        return out

    def expand(self, scheduler: Any = None) -> ExpandResult:
        """Expand every resource. ``scheduler`` (a linter.parallel.Scheduler, from the expand stage) may split a
        big, flat template over two processes (see _splittable); the result is the same as without."""
        # supplied values are checked against their declarations even when nothing uses them
        for key, (name, _decl) in self._param_decl.items():
            if key in self.supplied and self.outer is None:
                self.parameter(name)
        tops = [entry for entry in self._entries if entry.parent_type is None]
        if self.depth == 0 and scheduler is not None and _splittable(tops, scheduler):
            self._expand_split(tops, scheduler)
        else:
            self._expand_entries(tops)
        return self.result

    def _expand_split(self, tops: list[_Entry], scheduler: Any) -> None:
        """Chunks of entries, claimed one at a time by this process or a forked child (Scheduler.claim: a child
        runs slower at first, its caches cold, so neither waits for the other). Resources come out in entry
        order, as without the split."""
        size = max(SPLIT_CHUNK, -(-len(tops) // scheduler.max_units))
        chunks = [tops[i:i + size] for i in range(0, len(tops), size)]
        for (resources, issues), in_child in scheduler.claim(len(chunks), lambda u: self._expand_apart(chunks[u])):
            if in_child:
                for issue in issues:  # an entry both processes needed (a reference) reported its problems twice
                    self.issue(issue.rule_id, issue.message, issue.pointer, issue.severity)
            else:
                self.result.issues.extend(issues)  # recorded as reported in this process when they were made
            self.result.resources.extend(resources)

    def _expand_entries(self, entries: list[_Entry]) -> None:
        for entry in entries:
            try:
                instances = self._instances(entry)
            except ExprError as exc:
                self.issue(TEMPLATE_ERROR, f"template expression error: {exc}", entry.pointer)
                continue
            self.result.resources.extend(instances)

    def _expand_apart(self, entries: list[_Entry]) -> tuple[list[Resource], list[TemplateIssue]]:
        """The resources and issues of ``entries`` alone (a chunk of a split expansion)."""
        kept, self.result = self.result, ExpandResult()
        try:
            self._expand_entries(entries)
            return self.result.resources, self.result.issues
        finally:
            self.result = kept


def _instance_at(entry: _Entry, instances: list[Resource], index: int) -> Resource | None:
    """The instance of copy index ``index`` of a looped entry (its inline children come out beside it)."""
    return next((r for r in instances if r.copy_index == index and r.pointer == entry.pointer), None)


_INDEXED_SYMBOL = re.compile(r"^(.+)\[\s*(\d+)\s*\]$")
SPLIT_MIN_ENTRIES = 1000  # a fork, and pickling half the resources back, pays off from about here
SPLIT_CHUNK = 64  # entries per claimed unit of a split expansion (more on huge templates: Scheduler.max_units)


def _partly_known(rid: str) -> Any:
    """An ID built in a deployment whose subscription or resource group is not known: an Unknown with its shape."""
    return Unknown("an ID in a scope not known before deployment", shape=rid) if UNKNOWN_PART in rid else rid


def _splittable(tops: list[_Entry], scheduler: Any) -> bool:
    """A template whose top-level entries expand independently, into their own resources only: no nested
    deployment (its resources would be added wherever it is first expanded), no copy loop and no more
    resources than the cap (the cap counts across entries), and a literal type everywhere. `az group export`
    output is like this."""
    if len(tops) < 2 or not scheduler.wanted(len(tops), SPLIT_MIN_ENTRIES):
        return False
    stack = [entry.raw for entry in tops]
    count = 0
    while stack:
        raw = stack.pop()
        count += 1
        if count > MAX_RESOURCES:  # the cap would be counted per half: stay whole, stop where one process stops
            return False
        rtype = raw.get("type")
        if not isinstance(rtype, str) or rtype.startswith("[") or "copy" in raw:
            return False
        if rtype.lower().endswith("/deployments"):  # Microsoft.Resources/deployments, and look-alikes to be safe
            return False
        children = raw.get("resources")
        if children is not None:
            if not isinstance(children, list):
                return False
            stack.extend(c for c in children if isinstance(c, dict))
    return True


def _static_text(value: Any) -> str | None:
    """The JSON text of a subtree that holds no expression (and no property copy loop), None for any other,
    decided at C speed: evaluation walks every value in Python, and exported templates are mostly literals."""
    try:
        text = json.dumps(value, check_circular=False)
    except (TypeError, ValueError, RecursionError):
        return None
    return None if '"[' in text or '"copy"' in text else text


def _is_deployment(raw: dict[str, Any]) -> bool:
    t = raw.get("type")
    return isinstance(t, str) and t.lower() == "microsoft.resources/deployments"


def _condition_text(raw: Any) -> str:
    text = str(raw)
    if text.startswith("[") and text.endswith("]"):
        text = text[1:-1]
    return text if len(text) <= 120 else text[:117] + "..."


def _canonical_type(rtype: str) -> str:
    return rtype


def expand_template(
    template: dict[str, Any],
    *,
    file: str,
    doc: int = 0,
    ctx: DeploymentContext | None = None,
    parameter_values: dict[str, Any] | None = None,
    parameter_pointers: dict[str, str] | None = None,
    source_kind: str = "arm",
    base_dir: Path | None = None,
    decode_file: Callable[[Path], Any] | None = None,
    scheduler: Any = None,
    budget: Budget | None = None,
) -> ExpandResult:
    """Expand a whole template. ``decode_file`` loads a local linked template (relativePath) when given;
    ``scheduler`` (linter.parallel.Scheduler) may split a big flat template over two processes."""

    def load_linked(relative: str) -> Any:
        if base_dir is None or decode_file is None:
            return None
        if relative.startswith(("http:", "https:")):
            return None
        # keep the path relative when the template's was, so findings name it the way the user does
        path = Path(os.path.normpath(base_dir / relative))
        try:
            # only a regular *.json file: a device (/dev/zero), a FIFO or /proc/kcore would never end
            if not path.is_file() or not path.name.lower().endswith((".json", ".jsonc")):
                return None
            data = decode_file(path)
        except NotFollowed as exc:
            return str(exc)
        except Exception:
            return None
        if not isinstance(data, dict):
            return None
        return data, path.as_posix(), ""

    expander = TemplateExpander(
        template,
        file=file,
        doc=doc,
        ctx=ctx,
        parameter_values=parameter_values,
        parameter_pointers=parameter_pointers,
        source_kind=source_kind,
        load_linked=load_linked,
        budget=budget,
    )
    return expander.expand(scheduler)
