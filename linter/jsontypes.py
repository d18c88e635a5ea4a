"""The JSON type predicates, written once: the rule schemas (linter.engine.minischema), the rule conditions'
``type`` operator (linter.engine.conditions) and the Azure resource-type validator (linter.checks.apischema) all
ask "is this value a JSON <type>?" the same way. A JSON boolean is never a number; an integral float is an integer."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any


def _integer(value: Any) -> bool:
    return (isinstance(value, int) and not isinstance(value, bool)) or (isinstance(value, float) and value.is_integer())


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


JSON_TYPES: dict[str, Callable[[Any], bool]] = {
    "object": lambda value: isinstance(value, dict),
    "array": lambda value: isinstance(value, list),
    "string": lambda value: isinstance(value, str),
    "boolean": lambda value: isinstance(value, bool),
    "null": lambda value: value is None,
    "integer": _integer,
    "number": _number,
}


def is_json_type(value: Any, name: str) -> bool:
    """Is ``value`` of JSON type ``name``? KeyError for a name that is not a JSON type."""
    return JSON_TYPES[name](value)
