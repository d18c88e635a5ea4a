"""linter.engine.minischema agrees with jsonschema on every schema a declarative rule's conditions use (`schema:`)."""
from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from jsonschema import validators

from linter.engine.minischema import UnsupportedSchema, Validator
from linter.engine.rules import load_rules
from linter.model import walk

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def _reference_validator(schema):
    def ienum(validator, enums, instance, schema):
        low = instance.lower() if isinstance(instance, str) else instance
        if not any((e.lower() if isinstance(e, str) else e) == low for e in enums):
            yield jsonschema.ValidationError(f"{instance!r} is not one of {enums!r}")

    cls = validators.extend(jsonschema.Draft202012Validator, {"ienum": ienum})
    return cls(schema)


def _bodies():
    """Resource bodies from every JSON fixture template (any resource type)."""
    out = []
    for path in sorted(FIXTURES.rglob("*.json")):
        if path.name.endswith((".expected.json", ".options.json")):
            continue
        try:
            doc = json.loads(path.read_text())
        except ValueError:
            continue
        resources = doc.get("resources") if isinstance(doc, dict) else None
        if isinstance(resources, dict):
            resources = list(resources.values())
        for res in resources or []:
            if isinstance(res, dict):
                out.append(res)
    return out


def _schemas(node):
    """Every `schema:` operand in a declarative record."""
    if isinstance(node, dict):
        if "schema" in node and len(node) == 2:
            yield node["schema"]
        for value in node.values():
            yield from _schemas(value)
    elif isinstance(node, list):
        for value in node:
            yield from _schemas(value)


SCHEMAS = [(m.id, i, schema) for m in load_rules().values() if m.implementation == "declarative"
           for i, schema in enumerate(_schemas(m.spec))]


def test_some_rule_uses_a_schema():
    assert SCHEMAS


@pytest.mark.parametrize("rule_id,index,schema", SCHEMAS, ids=[f"{r}-{i}" for r, i, _ in SCHEMAS])
def test_same_errors_as_jsonschema(rule_id, index, schema):
    mine = Validator(schema)
    ref = _reference_validator(schema)
    bodies = _bodies()
    assert bodies
    for body in bodies:
        for _path, value in walk(body):
            expected = sorted((tuple(e.absolute_path), e.validator) for e in ref.iter_errors(value))
            actual = sorted((e.absolute_path, e.validator) for e in mine.iter_errors(value))
            assert actual == expected, (body.get("name"), value)


@pytest.mark.parametrize(
    "schema,instance,errors",
    [
        ({"type": "integer"}, True, [((), "type")]),
        ({"type": "integer"}, 3.0, []),
        ({"enum": [1]}, True, [((), "enum")]),
        ({"ienum": ["Enabled"]}, "ENABLED", []),
        ({"properties": {"a": {"const": "x"}}, "required": ["b"]}, {"a": "y"}, [((), "required"), (("a",), "const")]),
        ({"items": {"pattern": "^a"}}, ["ab", "ba"], [((1,), "pattern")]),
        ({"if": {"properties": {"sku": {"const": "Basic"}}}, "then": {"properties": {"x": False}}}, {"sku": "Basic", "x": 1}, [(("x",), "false")]),
        ({"anyOf": [{"required": ["a"]}, {"required": ["b"]}]}, {}, [((), "anyOf")]),
        ({"not": {"const": 0}}, 0, [((), "not")]),
        ({"oneOf": [{"minimum": 1}, {"maximum": 5}]}, 3, [((), "oneOf")]),
        ({"additionalProperties": False, "properties": {"a": {}}}, {"a": 1, "b": 2}, [(("b",), "false")]),
        ({"minItems": 1, "maxLength": 2}, [], [((), "minItems")]),
        ({"type": "object", "minProperties": 1}, {}, [((), "minProperties")]),
        ({"maxProperties": 1}, {"a": 1, "b": 2}, [((), "maxProperties")]),
        ({"minProperties": 1}, [], []),
    ],
)
def test_keywords(schema, instance, errors):
    assert sorted((e.absolute_path, e.validator) for e in Validator(schema).iter_errors(instance)) == sorted(errors)


def test_unsupported_keyword_fails_at_compile_time():
    with pytest.raises(UnsupportedSchema, match="'dependentRequired' is not supported"):
        Validator({"dependentRequired": {"a": ["b"]}})
