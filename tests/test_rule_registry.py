"""The rule registry is closed at both ends: every Python check has a record that says `python`, every such record
has a check, every declarative record compiles, and every message a rule can report (its `message` and each variant
in `messages`) has all its {fields} filled: by the engine for declarative reports, by the call that builds the finding
for Python checks (read from the source: rule.finding(...) inside each @check function; the schema rules' problems).
Every variant is used somewhere, so that none goes stale."""
from __future__ import annotations

import ast
import json
import re
from pathlib import Path
from typing import Any

import pytest

from linter.engine import declarative
from linter.engine.conditions import RuleSpecError
from linter.engine.registry import CHECKS, FACTS, load_checks
from linter.engine.rules import load_rules, record_to_meta, rule_schema
from linter.model import RuleMeta

CHECKS_DIR = Path(__file__).resolve().parent.parent / "linter" / "checks"
GIVEN = {"resource", "type"}  # RuleRun.finding fills them for every rule
SCHEMA_PROBLEM_FIELDS = {"property", "version"}  # linter.checks.apischema: every problem's, and the analysis'

RULES = load_rules()
load_checks()


def _by(implementation: str) -> list[RuleMeta]:
    return [m for m in RULES.values() if m.implementation == implementation]


def test_every_python_check_has_a_python_record() -> None:
    for rule_id in CHECKS:
        assert rule_id in RULES, f"check {rule_id} has no rules/{rule_id}.yaml"
        assert RULES[rule_id].implementation == "python", f"check {rule_id}: its record says {RULES[rule_id].implementation}"


def test_every_python_record_has_a_check() -> None:
    missing = [m.id for m in _by("python") if m.id not in CHECKS]
    assert missing == []


# ----- where Python checks build findings --------------------------------------------------------------------------


class Site:
    """One place that builds a finding: its rule, the variants it may pick (None: the record's message), the fields
    it gives, and where it is."""

    def __init__(self, rule_id: str, variants: list[str | None], fields: set[str], where: str) -> None:
        self.rule_id, self.variants, self.fields, self.where = rule_id, variants, fields, where


def _variants(node: ast.expr | None, where: str) -> list[str | None]:
    """The variant names a `variant=` argument can take: a literal, None, or a conditional of those."""
    if node is None:
        return [None]
    if isinstance(node, ast.Constant) and (node.value is None or isinstance(node.value, str)):
        return [node.value]
    if isinstance(node, ast.IfExp):
        return _variants(node.body, where) + _variants(node.orelse, where)
    if isinstance(node, ast.Name):  # a local variable: every literal assigned to it in the function
        return [node.id]
    raise AssertionError(f"{where}: variant= must be a literal, None or a conditional of them")


def _check_id(fn: ast.FunctionDef) -> str | None:
    for deco in fn.decorator_list:
        if isinstance(deco, ast.Call) and getattr(deco.func, "id", "") == "check" and isinstance(deco.args[0], ast.Constant):
            return str(deco.args[0].value)
    return None


def _assigned(fn: ast.FunctionDef, name: str, where: str) -> list[str | None]:
    out: list[str | None] = []
    for node in ast.walk(fn):
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in node.targets):
            out += _variants(node.value, where)
    assert out and all(not isinstance(v, str) or v != name for v in out), f"{where}: cannot tell the variants of {name}"
    return out


def _sites() -> list[Site]:
    sites: list[Site] = []
    for path in sorted(CHECKS_DIR.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for fn in ast.walk(tree):
            if not isinstance(fn, ast.FunctionDef):
                continue
            rule_id = _check_id(fn)
            for call in ast.walk(fn):
                if not isinstance(call, ast.Call):
                    continue
                where = f"{path.name}:{call.lineno}"
                func = call.func
                if isinstance(func, ast.Attribute) and func.attr == "finding":
                    if fn.name == "_report":  # apischema's generic reporter: the problems below give the fields
                        continue
                    assert rule_id is not None, f"{where}: rule.finding outside a @check function"
                    keywords = {k.arg: k.value for k in call.keywords}
                    assert None not in keywords, f"{where}: **fields cannot be checked; name the fields"
                    variant = keywords.pop("variant", None)
                    names = _variants(variant, where)
                    if isinstance(variant, ast.Name):
                        names = _assigned(fn, variant.id, where)
                    fields = {k for k in keywords if k is not None} - {"severity"}
                    sites.append(Site(rule_id, names, fields, where))
                elif isinstance(func, ast.Attribute) and func.attr == "problem" and call.args and isinstance(call.args[0], ast.Constant):
                    fields = {k.arg for k in call.keywords if k.arg} | SCHEMA_PROBLEM_FIELDS
                    sites.append(Site(str(call.args[0].value), [None], fields, where))
                elif getattr(func, "id", "") == "Problem" and call.args and isinstance(call.args[0], ast.Constant):
                    given = call.args[2]
                    assert isinstance(given, ast.Dict), where
                    fields = {str(k.value) for k in given.keys if isinstance(k, ast.Constant)} | SCHEMA_PROBLEM_FIELDS
                    sites.append(Site(str(call.args[0].value), [None], fields, where))
    return sites


SITES = _sites()


def test_every_python_rule_builds_findings_somewhere() -> None:
    built = {s.rule_id for s in SITES}
    assert [m.id for m in _by("python") if m.id not in built] == []


@pytest.mark.parametrize("meta", _by("python"), ids=[m.id for m in _by("python")])
def test_python_checks_fill_every_placeholder(meta: RuleMeta) -> None:
    used: set[str | None] = set()
    for site in (s for s in SITES if s.rule_id == meta.id):
        for name in site.variants:
            assert name is None or name in meta.messages, f"{site.where}: {meta.id} has no message variant {name!r}"
            template = meta.message if name is None else meta.messages[name]
            missing = declarative.placeholders(template) - site.fields - GIVEN
            assert not missing, f"{site.where}: {meta.id} message {name or '(default)'} needs {sorted(missing)}"
            used.add(name)
    assert set(meta.messages) <= used, f"{meta.id}: variants never used: {sorted(set(meta.messages) - used)}"


# ----- declarative records --------------------------------------------------------------------------------------


@pytest.mark.parametrize("meta", _by("declarative"), ids=[m.id for m in _by("declarative")])
def test_declarative_records_compile_and_fill_every_placeholder(meta: RuleMeta) -> None:
    assert meta.id not in CHECKS, f"{meta.id} is declarative but a Python check is registered for it"
    compiled = declarative.compile_rule(meta, FACTS)
    used = {r.variant for r in compiled.reports} | {name for r in compiled.reports for _, name in r.variants or ()}
    assert set(meta.messages) <= used, f"{meta.id}: variants never used: {sorted(set(meta.messages) - used)}"


def test_builtin_records_have_no_check() -> None:
    assert [m.id for m in _by("builtin") if m.id in CHECKS] == []


def test_the_rule_schema_lists_exactly_the_registered_facts() -> None:
    assert sorted(rule_schema()["$defs"]["subject"]["properties"]["fact"]["enum"]) == sorted(FACTS)


def test_at_least_half_the_rules_are_declarative() -> None:
    assert len(_by("declarative")) * 2 >= len(RULES)


def _record(**spec: Any) -> RuleMeta:
    base: dict[str, Any] = {"id": "ACR999", "name": "x", "title": "title", "severity": "error", "implementation": "declarative",
                            "applies_to": ["Microsoft.ContainerRegistry/registries"], "message": "{resource} has {value}",
                            "docs": {}, "references": []}
    return record_to_meta({**base, **spec})


@pytest.mark.parametrize("spec,error", [
    ({"report": [{"at": "properties"}]}, "uses value"),
    ({"report": [{"at": "properties", "with": {"value": "properties.x"}, "message": "nope"}]}, "variant 'nope' is not"),
    ({"messages": {"other": "{resource} {missing}"}, "report": [
        {"at": "properties", "with": {"value": "properties.x"}, "message": [{"if": {"field": "x", "exists": True}, "use": "other"}]}]},
     "message other uses missing"),
    ({"report": [{"at": "properties", "with": {"value": {"fact": "noSuchFact"}}}]}, "unknown fact 'noSuchFact'"),
    ({"report": [{"at": "properties", "with": {"value": "x"}, "if": {"field": "x", "equalz": 1}}]}, "one operator"),
    ({"report": [{"at": {"item": "x"}, "with": {"value": "x"}}]}, "inside `each`"),
    ({"report": [{"at": "properties", "with": {"value": "x"}, "if": {"item": "", "equals": 1}}]}, "outside `each`"),
    ({"each": "properties.x", "report": [{"at": "x", "with": {"value": "x"}}]}, "has no [*]"),
    ({"report": [{"at": "properties", "with": {"value": "x"}, "if": {"field": "x", "schema": {"dependentRequired": {}}}}]},
     "is not supported"),
])
def test_a_malformed_record_does_not_compile(spec: dict[str, Any], error: str) -> None:
    with pytest.raises(RuleSpecError, match=error.replace("[", r"\[").replace("*", r"\*")):
        declarative.compile_rule(_record(**spec), FACTS)


def _patterns(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [v for k, v in node.items() if k in ("matches", "notMatches", "fullMatch", "notFullMatch") and isinstance(v, str)]
        return found + [p for v in node.values() for p in _patterns(v)]
    return [p for v in node for p in _patterns(v)] if isinstance(node, list) else []


@pytest.mark.parametrize("meta", _by("declarative"), ids=[m.id for m in _by("declarative")])
def test_every_pattern_in_a_record_compiles(meta: RuleMeta) -> None:
    """The engine compiles a pattern when a run first needs it; here every one is compiled."""
    for pattern in _patterns(meta.spec):
        re.compile(pattern)


def test_a_malformed_pattern_fails_its_rule_as_acr003() -> None:
    from linter.engine.run import RuleRun, run_rules
    from linter.inventory import Inventory
    from linter.model import Resource

    meta = _record(report=[{"at": "name", "with": {"value": "name"}, "if": {"field": "name", "matches": "("}}])
    reg = Resource(type="Microsoft.ContainerRegistry/registries", name="contosoacr", id="/x", body={"name": "contosoacr"}, file="a.json")
    found = run_rules(Inventory([reg]), [RuleRun(meta, "error")])
    assert [(f.rule_id, f.message.split(":")[0]) for f in found] == [("ACR003", "rule ACR999 failed")]
    assert "missing ), unterminated subpattern" in found[0].message


def test_every_record_is_valid_against_the_rule_schema() -> None:
    import jsonschema
    import yaml

    from linter.engine.rules import rule_files

    validator = jsonschema.Draft202012Validator(rule_schema())
    for path in rule_files():
        errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(yaml.safe_load(path.read_text()))]
        assert errors == [], path.name
    json.dumps(rule_schema())


def test_service_defaults_name_types_rules_apply_to_and_scalar_values() -> None:
    from linter.engine.rules import load_defaults

    types = {t.lower() for m in RULES.values() for t in m.applies_to}
    defaults = load_defaults()
    assert defaults
    for rtype, table in defaults.items():
        assert rtype in types, rtype
        for path, value in table.items():
            assert all(path), (rtype, path)
            assert isinstance(value, (str, bool, int)), (rtype, path, value)
