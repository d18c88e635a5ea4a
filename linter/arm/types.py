"""Parameter types as ARM checks them: the built-in types and user-defined types (``definitions``).

Microsoft's "Type definitions in ARM templates" (learn.microsoft.com/azure/azure-resource-manager/templates/
definitions) decides every case below:
- "All properties are required unless the property's type definition has the "nullable": true constraint";
  "The nullable constraint indicates that the value may be null or omitted".
- "If no additionalProperties constraint is defined, the default value is true"; ``false`` allows no property
  beyond ``properties``; a type definition applies to every other property.
- ``discriminator`` picks the schema from ``mapping`` by the value of ``propertyName``.
- ``prefixItems`` types the elements at their index; ``items`` (a type, or a boolean, default true) types the rest,
  and ``false`` means the array has exactly as many elements as ``prefixItems``.
- ``allowedValues``, ``minLength``/``maxLength`` (strings and arrays), ``minValue``/``maxValue`` (integers).
A type is reached through ``"$ref": "#/definitions/<name>"``, from a parameter or from another definition, at
any depth; constraints written beside a ``$ref`` (``nullable`` above all) apply as well.

A value that holds Unknown is checked only where it is known: an Unknown part satisfies every constraint, so a
problem is reported only when it holds whatever the unknown parts turn out to be.
"""
from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from ..model import Unknown
from .nodes import type_name

_PYTHON_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,), "securestring": (str,), "int": (int,), "bool": (bool,),
    "object": (dict,), "secureobject": (dict,), "array": (list,),
}
_MAX_DEPTH = 64  # definitions referring to definitions: a cycle or an absurd chain ends here
_SHOWN = 60


def shown(value: Any) -> str:
    """A value as it is quoted in a message: JSON spelling (null, true), cut to a readable length."""
    if isinstance(value, Unknown):
        return "<unknown>"
    try:
        text = json.dumps(value, ensure_ascii=False, default=lambda v: "<unknown>")
    except (TypeError, ValueError, RecursionError):
        text = str(value)
    return text if len(text) <= _SHOWN else text[: _SHOWN - 3] + "..."


class TypeSystem:
    """The ``definitions`` of one template, and checks of values against a parameter's declared type."""

    def __init__(self, definitions: Any) -> None:
        self.definitions: dict[str, Any] = definitions if isinstance(definitions, dict) else {}

    def resolve(self, decl: Any) -> dict[str, Any]:
        """The declaration with its ``$ref`` chain folded in: keys written beside a ``$ref`` win over the
        definition's, and ``nullable`` holds when any link of the chain says so."""
        out: dict[str, Any] = {}
        nullable = False
        seen = 0
        cur = decl
        while isinstance(cur, dict) and seen < _MAX_DEPTH:
            seen += 1
            for k, v in cur.items():
                if k not in out and k != "$ref":
                    out[k] = v
            nullable = nullable or cur.get("nullable") is True
            ref = cur.get("$ref")
            if not isinstance(ref, str) or not ref.startswith("#/definitions/"):
                break
            cur = self.definitions.get(ref[len("#/definitions/"):])
        if nullable:
            out["nullable"] = True
        return out

    def nullable(self, decl: Any) -> bool:
        return self.resolve(decl).get("nullable") is True

    def problems(self, decl: Any, value: Any) -> Iterator[tuple[tuple[Any, ...], str]]:
        """What is wrong with ``value`` for the declared type, as message tails to follow "parameter 'x'" (": ..." or
        " expects ..."); nothing when it fits."""
        yield from self._check(self.resolve(decl), value, (), 0)

    def _check(self, t: dict[str, Any], value: Any, path: tuple[Any, ...], depth: int) -> Iterator[tuple[tuple[Any, ...], str]]:
        if isinstance(value, Unknown) or depth > _MAX_DEPTH:
            return
        where = _where(path)
        at = f" at {where}" if where else ""
        if value is None:
            if t.get("nullable") is not True and where:
                yield path, f" expects a value{at}, got null"
            return
        ptype = str(t.get("type", "")).lower()
        expected = _PYTHON_TYPES.get(ptype)
        if expected is not None and (not isinstance(value, expected) or (ptype == "int" and isinstance(value, bool))):
            yield path, f" expects type {t.get('type')}{at}, got {type_name(value)}"
            return
        allowed = t.get("allowedValues")
        if isinstance(allowed, list):
            if isinstance(value, list) and ptype == "array":
                bad = [v for v in value if not _allowed(v, allowed)]
                if bad:
                    yield path, f": {shown(bad[0])}{at} is not one of the allowed values {shown(allowed)}"
            elif not _allowed(value, allowed):
                yield path, f": {shown(value)}{at} is not one of the allowed values {shown(allowed)}"
        if isinstance(value, int) and not isinstance(value, bool):
            lo, hi = t.get("minValue"), t.get("maxValue")
            if isinstance(lo, int) and not isinstance(lo, bool) and value < lo:
                yield path, f": {value}{at} is less than minValue {lo}"
            if isinstance(hi, int) and not isinstance(hi, bool) and value > hi:
                yield path, f": {value}{at} is greater than maxValue {hi}"
        if isinstance(value, (str, list)):
            lo, hi = t.get("minLength"), t.get("maxLength")
            if isinstance(lo, int) and not isinstance(lo, bool) and len(value) < lo:
                yield path, f": length {len(value)}{at} is less than minLength {lo}"
            if isinstance(hi, int) and not isinstance(hi, bool) and len(value) > hi:
                yield path, f": length {len(value)}{at} is greater than maxLength {hi}"
        if isinstance(value, dict):
            yield from self._check_object(t, value, path, depth)
        elif isinstance(value, list):
            yield from self._check_array(t, value, path, depth)

    def _check_object(self, t: dict[str, Any], value: dict[str, Any], path: tuple[Any, ...], depth: int) -> Iterator[tuple[tuple[Any, ...], str]]:
        where = _where(path)
        disc = t.get("discriminator")
        if isinstance(disc, dict) and isinstance(disc.get("propertyName"), str) and isinstance(disc.get("mapping"), dict):
            name = disc["propertyName"]
            tag = _ci_get(value, name)
            if isinstance(tag, Unknown):
                return
            mapping = {str(k).lower(): v for k, v in disc["mapping"].items()}
            if not isinstance(tag, str) or tag.lower() not in mapping:
                yield path, f": {_join(where, name)} is {shown(tag)}, not one of {shown(list(disc['mapping']))}"
                return
            yield from self._check(self.resolve(mapping[tag.lower()]), value, path, depth + 1)
        props = t.get("properties")
        declared: set[str] = set()
        if isinstance(props, dict):
            for name, sub in props.items():
                declared.add(str(name).lower())
                st = self.resolve(sub)
                v = _ci_get(value, name)
                if v is _ABSENT:
                    if st.get("nullable") is not True:
                        yield path, f" is missing the required property {_join(where, name)}"
                    continue
                yield from self._check(st, v, (*path, _actual_key(value, name)), depth + 1)
        extra_type = t.get("additionalProperties", True)
        for k, v in value.items():
            if str(k).lower() in declared or (isinstance(disc, dict) and str(k).lower() == str(disc.get("propertyName", "")).lower()):
                continue
            if extra_type is False:
                yield (*path, k), f" does not allow the property {_join(where, k)}"
            elif isinstance(extra_type, dict):
                yield from self._check(self.resolve(extra_type), v, (*path, k), depth + 1)

    def _check_array(self, t: dict[str, Any], value: list[Any], path: tuple[Any, ...], depth: int) -> Iterator[tuple[tuple[Any, ...], str]]:
        where = _where(path)
        prefix = t.get("prefixItems")
        prefix = prefix if isinstance(prefix, list) else []
        for i, sub in enumerate(prefix):
            if i >= len(value):
                yield path, f" has {len(value)} elements{' at ' + where if where else ''}, expects at least {len(prefix)}"
                return
            yield from self._check(self.resolve(sub), value[i], (*path, i), depth + 1)
        items = t.get("items", True)
        if items is False and len(value) > len(prefix):
            yield path, f" has {len(value)} elements{' at ' + where if where else ''}, expects {len(prefix)}"
        elif isinstance(items, dict):
            st = self.resolve(items)
            for i in range(len(prefix), len(value)):
                yield from self._check(st, value[i], (*path, i), depth + 1)


_ABSENT: Any = object()


def _ci_get(obj: dict[str, Any], name: str) -> Any:
    if name in obj:
        return obj[name]
    low = name.lower()
    for k, v in obj.items():
        if isinstance(k, str) and k.lower() == low:
            return v
    return _ABSENT


def _join(where: str, name: Any) -> str:
    return f"{where}.{name}" if where else str(name)


def _where(path: tuple[Any, ...]) -> str:
    """A path as the message names it: cost, [1].action, rules[0]."""
    out = ""
    for token in path:
        out += f"[{token}]" if isinstance(token, int) else (f".{token}" if out else str(token))
    return out


def _actual_key(obj: dict[str, Any], name: str) -> str:
    """The spelling the value uses for a property matched without regard to case."""
    if name in obj:
        return name
    low = name.lower()
    return next((k for k in obj if isinstance(k, str) and k.lower() == low), name)


def _allowed(value: Any, allowed: list[Any]) -> bool:
    """ARM compares allowed string values without regard to case: Bicep's @allowed is stricter "even though ARM
    doesn't require it" (Azure/bicep#2489, where 'eastus' passes ARM's check of ['EastUS', ...]). Where that is in
    doubt, acrlint errs on the side of no false alarm."""
    if isinstance(value, Unknown):
        return True
    for a in allowed:
        if isinstance(a, str) and isinstance(value, str):
            if a.lower() == value.lower():
                return True
        elif isinstance(a, bool) or isinstance(value, bool):
            if a is value:
                return True
        elif a == value:  # numbers (1 == 1.0), arrays, objects
            return True
    return False
