"""A small JSON Schema validator for the declarative rules' schemas.

Why not jsonschema: importing it costs about 0.1 s (referencing, attrs, rpds), a third of the pre-commit
budget, and the rule schemas only use a handful of keywords. This module implements exactly those keywords
with draft 2020-12 semantics, plus ``ienum`` (a case-insensitive enum), and reports errors the way
``jsonschema.iter_errors`` does (an absolute path, the keyword, its value and the instance). An unsupported
keyword is an error when the schema is compiled, so a rule can never silently check less than it says.
tests/test_minischema.py compares it with jsonschema on every declarative rule and fixture.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from linter.jsontypes import is_json_type

ANNOTATIONS = {"$schema", "$id", "$comment", "title", "description", "default", "examples", "readOnly", "writeOnly", "deprecated"}


@dataclass
class SchemaError:
    absolute_path: tuple[Any, ...]
    validator: str
    validator_value: Any
    instance: Any
    message: str


class UnsupportedSchema(Exception):
    pass


def _is_type(value: Any, name: str) -> bool:
    try:
        return is_json_type(value, name)
    except KeyError:
        raise UnsupportedSchema(f"unknown type {name!r}") from None


def _equal(a: Any, b: Any) -> bool:
    # JSON equality: true is not 1
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    return bool(a == b)


Check = Callable[[Any, tuple[Any, ...]], Iterator[SchemaError]]


class Validator:
    """Compiled once per schema; ``iter_errors(instance)`` like jsonschema's."""

    def __init__(self, schema: Any) -> None:
        self.schema = schema
        self._check = self._compile(schema)

    def iter_errors(self, instance: Any) -> Iterator[SchemaError]:
        return self._check(instance, ())

    def is_valid(self, instance: Any) -> bool:
        return next(self.iter_errors(instance), None) is None

    def _compile(self, schema: Any) -> Check:
        if schema is True:
            return lambda inst, path: iter(())
        if schema is False:
            return lambda inst, path: iter((SchemaError(path, "false", False, inst, "False schema does not allow this value"),))
        if not isinstance(schema, dict):
            raise UnsupportedSchema(f"a schema must be an object or a boolean, got {schema!r}")
        checks: list[Check] = []
        for key, value in schema.items():
            if key in ANNOTATIONS or key in ("then", "else"):
                continue
            make = getattr(self, "_k_" + key, None)
            if make is None:
                raise UnsupportedSchema(f"keyword {key!r} is not supported by linter.engine.minischema")
            checks.append(make(value, schema))

        def run(inst: Any, path: tuple[Any, ...]) -> Iterator[SchemaError]:
            for c in checks:
                yield from c(inst, path)

        return run

    # ----- keywords ------------------------------------------------------------------------------------------
    def _k_type(self, value: Any, schema: dict[str, Any]) -> Check:
        names = value if isinstance(value, list) else [value]
        for n in names:
            _is_type(None, n)  # validates the name

        def check(inst: Any, path: tuple[Any, ...]) -> Iterator[SchemaError]:
            if not any(_is_type(inst, n) for n in names):
                yield SchemaError(path, "type", value, inst, f"{inst!r} is not of type {value!r}")

        return check

    def _k_enum(self, value: Any, schema: dict[str, Any]) -> Check:
        def check(inst: Any, path: tuple[Any, ...]) -> Iterator[SchemaError]:
            if not any(_equal(inst, e) for e in value):
                yield SchemaError(path, "enum", value, inst, f"{inst!r} is not one of {value!r}")

        return check

    def _k_ienum(self, value: Any, schema: dict[str, Any]) -> Check:
        lowered = [e.lower() if isinstance(e, str) else e for e in value]

        def check(inst: Any, path: tuple[Any, ...]) -> Iterator[SchemaError]:
            low = inst.lower() if isinstance(inst, str) else inst
            if not any(_equal(low, e) for e in lowered):
                yield SchemaError(path, "ienum", value, inst, f"{inst!r} is not one of {value!r}")

        return check

    def _k_const(self, value: Any, schema: dict[str, Any]) -> Check:
        def check(inst: Any, path: tuple[Any, ...]) -> Iterator[SchemaError]:
            if not _equal(inst, value):
                yield SchemaError(path, "const", value, inst, f"{value!r} was expected")

        return check

    def _k_properties(self, value: Any, schema: dict[str, Any]) -> Check:
        compiled = {name: self._compile(sub) for name, sub in value.items()}

        def check(inst: Any, path: tuple[Any, ...]) -> Iterator[SchemaError]:
            if isinstance(inst, dict):
                for name, sub in compiled.items():
                    if name in inst:
                        yield from sub(inst[name], path + (name,))

        return check

    def _k_additionalProperties(self, value: Any, schema: dict[str, Any]) -> Check:
        sub = self._compile(value)
        known = set(schema.get("properties", {}))

        def check(inst: Any, path: tuple[Any, ...]) -> Iterator[SchemaError]:
            if isinstance(inst, dict):
                for name, v in inst.items():
                    if name not in known:
                        yield from sub(v, path + (name,))

        return check

    def _k_required(self, value: Any, schema: dict[str, Any]) -> Check:
        def check(inst: Any, path: tuple[Any, ...]) -> Iterator[SchemaError]:
            if isinstance(inst, dict):
                for name in value:
                    if name not in inst:
                        yield SchemaError(path, "required", value, inst, f"{name!r} is a required property")

        return check

    def _k_items(self, value: Any, schema: dict[str, Any]) -> Check:
        sub = self._compile(value)

        def check(inst: Any, path: tuple[Any, ...]) -> Iterator[SchemaError]:
            if isinstance(inst, list):
                for i, item in enumerate(inst):
                    yield from sub(item, path + (i,))

        return check

    def _k_contains(self, value: Any, schema: dict[str, Any]) -> Check:
        sub = self._compile(value)

        def check(inst: Any, path: tuple[Any, ...]) -> Iterator[SchemaError]:
            if isinstance(inst, list) and not any(next(sub(item, path + (i,)), None) is None for i, item in enumerate(inst)):
                yield SchemaError(path, "contains", value, inst, f"{inst!r} does not contain items matching the given schema")

        return check

    def _bound(self, keyword: str, test: Callable[[Any, Any], bool], kind: Callable[[Any], bool], measure: Callable[[Any], Any]) -> Callable[[Any, dict[str, Any]], Check]:
        def make(value: Any, schema: dict[str, Any]) -> Check:
            def check(inst: Any, path: tuple[Any, ...]) -> Iterator[SchemaError]:
                if kind(inst) and not test(measure(inst), value):
                    yield SchemaError(path, keyword, value, inst, f"{inst!r} fails {keyword} {value!r}")

            return check

        return make

    def __getattr__(self, name: str) -> Any:
        is_num = lambda x: isinstance(x, (int, float)) and not isinstance(x, bool)
        same = lambda x: x
        bounds = {
            "_k_minLength": ("minLength", lambda a, b: a >= b, lambda x: isinstance(x, str), len),
            "_k_maxLength": ("maxLength", lambda a, b: a <= b, lambda x: isinstance(x, str), len),
            "_k_minItems": ("minItems", lambda a, b: a >= b, lambda x: isinstance(x, list), len),
            "_k_maxItems": ("maxItems", lambda a, b: a <= b, lambda x: isinstance(x, list), len),
            "_k_minProperties": ("minProperties", lambda a, b: a >= b, lambda x: isinstance(x, dict), len),
            "_k_maxProperties": ("maxProperties", lambda a, b: a <= b, lambda x: isinstance(x, dict), len),
            "_k_minimum": ("minimum", lambda a, b: a >= b, is_num, same),
            "_k_maximum": ("maximum", lambda a, b: a <= b, is_num, same),
            "_k_exclusiveMinimum": ("exclusiveMinimum", lambda a, b: a > b, is_num, same),
            "_k_exclusiveMaximum": ("exclusiveMaximum", lambda a, b: a < b, is_num, same),
        }
        if name in bounds:
            return self._bound(*bounds[name])
        raise AttributeError(name)

    def _k_pattern(self, value: Any, schema: dict[str, Any]) -> Check:
        regex = re.compile(value)

        def check(inst: Any, path: tuple[Any, ...]) -> Iterator[SchemaError]:
            if isinstance(inst, str) and not regex.search(inst):
                yield SchemaError(path, "pattern", value, inst, f"{inst!r} does not match {value!r}")

        return check

    def _k_not(self, value: Any, schema: dict[str, Any]) -> Check:
        sub = self._compile(value)

        def check(inst: Any, path: tuple[Any, ...]) -> Iterator[SchemaError]:
            if next(sub(inst, path), None) is None:
                yield SchemaError(path, "not", value, inst, f"{inst!r} should not be valid under {value!r}")

        return check

    def _k_anyOf(self, value: Any, schema: dict[str, Any]) -> Check:
        subs = [self._compile(s) for s in value]

        def check(inst: Any, path: tuple[Any, ...]) -> Iterator[SchemaError]:
            if not any(next(s(inst, path), None) is None for s in subs):
                yield SchemaError(path, "anyOf", value, inst, f"{inst!r} is not valid under any of the given schemas")

        return check

    def _k_oneOf(self, value: Any, schema: dict[str, Any]) -> Check:
        subs = [self._compile(s) for s in value]

        def check(inst: Any, path: tuple[Any, ...]) -> Iterator[SchemaError]:
            matches = sum(1 for s in subs if next(s(inst, path), None) is None)
            if matches != 1:
                yield SchemaError(path, "oneOf", value, inst, f"{inst!r} is valid under {matches} of the given schemas")

        return check

    def _k_allOf(self, value: Any, schema: dict[str, Any]) -> Check:
        subs = [self._compile(s) for s in value]

        def check(inst: Any, path: tuple[Any, ...]) -> Iterator[SchemaError]:
            for s in subs:
                yield from s(inst, path)

        return check

    def _k_if(self, value: Any, schema: dict[str, Any]) -> Check:
        cond = self._compile(value)
        then = self._compile(schema["then"]) if "then" in schema else None
        other = self._compile(schema["else"]) if "else" in schema else None

        def check(inst: Any, path: tuple[Any, ...]) -> Iterator[SchemaError]:
            branch = then if next(cond(inst, path), None) is None else other
            if branch is not None:
                yield from branch(inst, path)

        return check
