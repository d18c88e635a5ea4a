"""Conditions of declarative rules: a vocabulary close to Azure Policy's, evaluated with three values.

A condition is either a logical operator over conditions or one test of one subject::

    allOf: [<condition>, ...]      true when every one is true
    anyOf: [<condition>, ...]      true when one is true
    not: <condition>
    {<subject>: <name or path>, <operator>: <operand>}

Subjects (what is tested):

    field: <path>      the resource's property (``properties.networkRuleSet.defaultAction``; keys ignore case)
    registry: <path>   the same property of the registry in context (the registry itself, a child's registry, the
                       registry a client names): see linter.engine.declarative
    item: <path>       inside ``each``: the current item ('' is the item itself)
    fact: <name>       a fact about the resource and its registry that Python computes once (linter/checks/facts.py)
    option: <name>     the rule's option, as configured

Every operator but ``exists`` sees the *effective* value: a property that is absent or JSON null reads as its service
default (rules/_defaults.yaml), or as absent when it has none. Operators:

    equals / notEquals: <scalar>      strings compare ignoring case; true/false also match the strings "true"/"false"
    in / notIn: [<scalar>, ...]
    like / notLike: <text with *>     whole string, ignoring case
    contains / notContains: <text>    substring, ignoring case
    matches / notMatches: <regex>     Python regular expression, searched in the string
    fullMatch / notFullMatch: <regex> the regular expression matches the whole string
    type: <JSON type or list>         string, boolean, integer, number, object, array, null
    hasItems: true|false              an array with at least one item
    less / lessOrEquals / greater / greaterOrEquals: <number or text>
    schema: <JSON Schema>             the value is valid against a JSON Schema (linter.engine.minischema: a subset
                                      with draft 2020-12 semantics and the case-insensitive ``ienum``)
    exists: true|false                the property is written in the resource, whatever its value (null included);
                                      a value that cannot be evaluated on the way counts as written
    known: true|false                 the value holds nothing that cannot be evaluated (absent counts as known)

The operand of equals, in, like, contains and fullMatch (and their negations) may be a rule option, ``{option:
<name>}``: its configured value. A pattern from an option is matched in linear time (linear_regex), since a
configuration can come in a pull request like any template.

Three values: a test of a value that cannot be evaluated (Unknown) is neither true nor false but unknown; allOf is
false when one part is false, else unknown when one part is, else true; anyOf the reverse; not keeps unknown. A rule
reports only where its condition is *true*: what cannot be decided is silent, never a finding and never an error.
A test of another property (or of a fact) is not affected by an unknown value elsewhere in the resource. A test may
say what to assume instead, as an explicit decision of its rule: ``unknown: true`` (or false) is its result when its
value cannot be evaluated.

Conditions are compiled once per process into closures; compiling raises RuleSpecError for anything malformed (a
regular expression is compiled when a run first needs it, and a malformed one fails its rule then), so a record can
never silently test less than it says.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from linter.engine.linear_regex import PatternError, compile_pattern
from linter.engine.minischema import UnsupportedSchema, Validator
from linter.jsontypes import JSON_TYPES
from linter.model import MISSING, Resource, Unknown, contains_unknown, value_at

if TYPE_CHECKING:
    from linter.inventory import Inventory

Tri = bool | None  # True, False, or None: cannot tell


class RuleSpecError(Exception):
    """A declarative record that cannot be compiled."""


UNKNOWN = Unknown("cannot be evaluated")
STAR = "[*]"  # a path token: every item of an array (only in `each`)


class Context:
    """What one evaluation sees: the resource, the registry in context (and the value that named it), the current
    item of `each` (and, for `each: pulls`, where the resource names the registry), the rule's options."""

    __slots__ = ("defaults", "facts", "inv", "item", "item_path", "named_at", "options", "registry", "registry_ref", "res",
                 "res_defaults")

    def __init__(self, inv: Inventory, res: Resource, options: dict[str, Any], defaults: dict[str, dict[tuple[str, ...], Any]],
                 facts: dict[str, Callable[..., Any]]) -> None:
        self.inv, self.options = inv, options
        self.defaults, self.facts = defaults, facts
        self.res: Resource = res
        self.res_defaults: dict[tuple[str, ...], Any] | None = None
        self.at(res, res.type_lower)

    def at(self, res: Resource, type_lower: str) -> None:
        """Look at ``res`` (of type ``type_lower``) next."""
        self.res = res
        self.res_defaults = self.defaults.get(type_lower)  # its service defaults (None: it has none)
        self.registry: Resource | None = None
        self.registry_ref: Any = MISSING
        self.item: Any = MISSING
        self.item_path: tuple[Any, ...] = ()
        self.named_at: tuple[Any, ...] = ()

    def fact(self, name: str) -> Any:
        """A fact's value (None from the fact means it cannot tell: Unknown), computed once per run and context."""
        key = ("fact", name, id(self.res), id(self.registry), id(self.registry_ref), self.item_path)
        memo = self.inv.memo
        if key not in memo:
            value = self.facts[name](self)
            memo[key] = UNKNOWN if value is None else value
        return memo[key]


Getter = Callable[[Context], Any]
Cond = Callable[[Context], Tri]


# ----- paths ---------------------------------------------------------------------------------------------------

_SEGMENT = re.compile(r"^([^.\[\]]*)((?:\[(?:\*|\d+)\])*)$")


def parse_path(text: Any, *, star: bool = False) -> tuple[Any, ...]:
    """``properties.ipRules[0].value`` -> ("properties", "ipRules", 0, "value"); '' -> (); ``[*]`` only with star."""
    if not isinstance(text, str):
        raise RuleSpecError(f"a path must be a string, got {text!r}")
    if text == "":
        return ()
    if "[" not in text and "]" not in text and "" not in (parts := text.split(".")):
        return tuple(parts)  # the common case: plain keys
    out: list[Any] = []
    for part in text.split("."):
        m = _SEGMENT.match(part)
        if m is None or (not m.group(1) and not m.group(2)):
            raise RuleSpecError(f"malformed path {text!r}")
        if m.group(1):
            out.append(m.group(1))
        for index in re.findall(r"\[(\*|\d+)\]", m.group(2)):
            if index == "*":
                if not star:
                    raise RuleSpecError(f"[*] is only allowed in `each`: {text!r}")
                out.append(STAR)
            else:
                out.append(int(index))
    return tuple(out)


def iterate(node: Any, path: tuple[Any, ...], at: tuple[Any, ...] = ()) -> Iterator[tuple[Any, tuple[Any, ...]]]:
    """(value, path) of every item a path with [*] reaches; an array that is absent, not an array or Unknown has
    none."""
    for i, key in enumerate(path):
        if key == STAR:
            if isinstance(node, list):
                for n, item in enumerate(node):
                    yield from iterate(item, path[i + 1:], at + (n,))
            return
        node = value_at(node, (key,))
        if node is MISSING or isinstance(node, Unknown):
            return
        at += (key,)
    yield node, at


def _lower_path(path: tuple[Any, ...]) -> tuple[Any, ...]:
    return tuple(k.lower() if isinstance(k, str) else k for k in path)


# ----- subjects ------------------------------------------------------------------------------------------------

SUBJECTS = ("field", "registry", "item", "fact", "option")


def _effective(body: Any, path: tuple[Any, ...], key: tuple[Any, ...], table: dict[tuple[str, ...], Any] | None) -> Any:
    value = value_at(body, path)
    if (value is MISSING or value is None) and table is not None and key in table:
        return table[key]
    return value


class Subject:
    """A compiled subject: ``value(ctx)`` is the effective value, ``raw(ctx)`` the value as written."""

    def __init__(self, kind: str, ref: Any, *, facts: dict[str, Any], options: dict[str, Any], in_each: bool) -> None:
        self.value: Getter
        self.raw: Getter
        if kind in ("field", "registry", "item"):
            path = parse_path(ref)
            key = _lower_path(path)
            if kind == "item" and not in_each:
                raise RuleSpecError(f"item: {ref!r} outside `each`")
            if kind == "field":
                self.raw = lambda ctx: value_at(ctx.res.body, path)

                def field_value(ctx: Context) -> Any:  # the hot path of every rule: written out
                    value = value_at(ctx.res.body, path)
                    if value is MISSING or value is None:
                        table = ctx.res_defaults
                        if table is not None and key in table:
                            return table[key]
                    return value

                self.value = field_value
            elif kind == "registry":
                self.raw = lambda ctx: UNKNOWN if ctx.registry is None else value_at(ctx.registry.body, path)
                self.value = lambda ctx: (UNKNOWN if ctx.registry is None else
                                          _effective(ctx.registry.body, path, key, ctx.defaults.get(ctx.registry.type_lower)))
            else:
                self.raw = self.value = lambda ctx: value_at(ctx.item, path)
        elif kind == "fact":
            if ref not in facts:
                raise RuleSpecError(f"unknown fact {ref!r} (facts: {', '.join(sorted(facts))})")
            self.raw = self.value = lambda ctx: ctx.fact(ref)
        elif kind == "option":
            if ref not in options:
                raise RuleSpecError(f"option {ref!r} is not declared in the record's `options`")
            default = options[ref].get("default")
            self.raw = self.value = lambda ctx: ctx.options.get(ref, default)
        else:
            raise RuleSpecError(f"unknown subject {kind!r}")


def compile_value(spec: Any, *, facts: dict[str, Any], options: dict[str, Any], in_each: bool) -> Getter:
    """A message field: a path (the resource's property), {<subject>: ...}, {text: "..."}, or {<subject>: ..., else:
    "..."} (the text when the value is not a string)."""
    if isinstance(spec, str):
        return Subject("field", spec, facts=facts, options=options, in_each=in_each).value
    if not isinstance(spec, dict):
        raise RuleSpecError(f"a message field must be a path or a mapping, got {spec!r}")
    if set(spec) == {"text"}:
        text = spec["text"]
        return lambda ctx: text
    kinds = [k for k in spec if k in SUBJECTS]
    extra = set(spec) - set(kinds) - {"else"}
    if len(kinds) != 1 or extra:
        raise RuleSpecError(f"a message field names one subject (and optionally `else`): {spec!r}")
    getter = Subject(kinds[0], spec[kinds[0]], facts=facts, options=options, in_each=in_each).value
    if "else" not in spec:
        return getter
    fallback = spec["else"]
    return lambda ctx: value if isinstance(value := getter(ctx), str) else fallback


# ----- operators -----------------------------------------------------------------------------------------------


def _scalar_eq(operand: Any) -> Callable[[Any], bool]:
    """Equality with ``operand``: strings ignore case; a boolean also matches "true"/"false" in any case; a number
    never matches a boolean."""
    if isinstance(operand, bool):
        text = "true" if operand else "false"
        return lambda v: v is operand or (isinstance(v, str) and v.lower() == text)
    if isinstance(operand, str):
        low = operand.lower()
        return lambda v: isinstance(v, str) and v.lower() == low
    if isinstance(operand, (int, float)):
        return lambda v: isinstance(v, (int, float)) and not isinstance(v, bool) and v == operand
    if operand is None:
        return lambda v: v is None
    raise RuleSpecError(f"equals/in compare with scalars, got {operand!r}")


def _known(test: Callable[[Any], bool]) -> Callable[[Any], Tri]:
    return lambda v: None if isinstance(v, Unknown) else test(v)


def _ordered(compare: Callable[[Any, Any], bool], operand: Any) -> Callable[[Any], bool]:
    if isinstance(operand, bool) or not isinstance(operand, (int, float, str)):
        raise RuleSpecError(f"less/greater compare with a number or a string, got {operand!r}")
    if isinstance(operand, str):
        return lambda v: isinstance(v, str) and compare(v, operand)
    return lambda v: isinstance(v, (int, float)) and not isinstance(v, bool) and compare(v, operand)


def _string_test(operand: Any, name: str) -> str:
    if not isinstance(operand, str):
        raise RuleSpecError(f"{name} takes a string, got {operand!r}")
    return operand


def _regex_test(pattern: str, flags: int, whole: bool) -> Callable[[Any], bool]:
    """A test that the string matches ``pattern`` (searched, or ``whole``), compiled when first used: a run compiles
    only the patterns of the rules its resources reach (a malformed one fails its rule then, as ACR003; every pattern
    in rules/ is compiled by tests/test_rule_registry.py)."""
    compiled: list[re.Pattern[str]] = []

    def test(v: Any) -> bool:
        if not isinstance(v, str):
            return False
        if not compiled:
            compiled.append(re.compile(pattern, flags))
        return (compiled[0].fullmatch(v) if whole else compiled[0].search(v)) is not None

    return test


def _like(pattern: str) -> Callable[[Any], bool]:
    return _regex_test(".*".join(re.escape(p) for p in pattern.split("*")), re.IGNORECASE | re.DOTALL, True)


def _types(operand: Any) -> Callable[[Any], bool]:
    names = operand if isinstance(operand, list) else [operand]
    unknown = [n for n in names if n not in JSON_TYPES]
    if unknown or not names:
        raise RuleSpecError(f"type takes JSON type names ({', '.join(JSON_TYPES)}), got {operand!r}")
    checks = [JSON_TYPES[n] for n in names]
    return lambda v: any(c(v) for c in checks)


def _schema(operand: Any) -> Callable[[Any], Tri]:
    try:
        validator = Validator(operand)
    except UnsupportedSchema as exc:
        raise RuleSpecError(f"schema: {exc}") from None

    def test(v: Any) -> Tri:
        if v is MISSING:
            return False
        if contains_unknown(v):
            return None
        return validator.is_valid(v)

    return test


def _positive(name: str, operand: Any) -> Callable[[Any], Tri]:
    """The test of a value an operator makes (before negation), for every operator but exists."""
    if name == "equals":
        return _known(_scalar_eq(operand))
    if name == "in":
        if not isinstance(operand, list) or not operand:
            raise RuleSpecError(f"in/notIn take a list of scalars, got {operand!r}")
        tests = [_scalar_eq(o) for o in operand]
        return _known(lambda v: any(t(v) for t in tests))
    if name == "like":
        return _known(_like(_string_test(operand, name)))
    if name == "contains":
        low = _string_test(operand, name).lower()
        return _known(lambda v: isinstance(v, str) and low in v.lower())
    if name in ("matches", "fullMatch"):
        return _known(_regex_test(_string_test(operand, name), 0, name == "fullMatch"))
    if name == "type":
        return _known(_types(operand))
    if name == "hasItems":
        if not isinstance(operand, bool):
            raise RuleSpecError("hasItems takes true or false")
        return _known(lambda v: (isinstance(v, list) and len(v) > 0) is operand)
    if name == "less":
        return _known(_ordered(lambda a, b: a < b, operand))
    if name == "lessOrEquals":
        return _known(_ordered(lambda a, b: a <= b, operand))
    if name == "greater":
        return _known(_ordered(lambda a, b: a > b, operand))
    if name == "greaterOrEquals":
        return _known(_ordered(lambda a, b: a >= b, operand))
    if name == "schema":
        return _schema(operand)
    raise RuleSpecError(f"unknown operator {name!r}")


NEGATED = {"notEquals": "equals", "notIn": "in", "notLike": "like", "notContains": "contains", "notMatches": "matches",
           "notFullMatch": "fullMatch"}
OPERATORS = ("equals", "in", "like", "contains", "matches", "fullMatch", "type", "hasItems", "less", "lessOrEquals",
             "greater", "greaterOrEquals", "schema", "exists", "known", *NEGATED)
_FROM_OPTIONS = ("equals", "in", "like", "contains", "fullMatch")  # operators whose operand may be {option: x}


def _option_operand(name: str, option: str, options: dict[str, Any]) -> Callable[[Context], Callable[[Any], Tri]]:
    """The test of an operator whose operand is a rule option: compiled per value the option takes. A pattern from an
    option (configuration, which can come in a pull request) is compiled by linter.engine.linear_regex: linear time."""
    if option not in options:
        raise RuleSpecError(f"option {option!r} is not declared in the record's `options`")
    default = options[option].get("default")
    cache: dict[str, Callable[[Any], Tri]] = {}

    def tester(ctx: Context) -> Callable[[Any], Tri]:
        operand = ctx.options.get(option, default)
        key = repr(operand)
        if key not in cache:
            if name == "fullMatch":
                cache[key] = _linear(option, operand)
            else:
                try:
                    cache[key] = _positive(name, operand)
                except RuleSpecError as exc:
                    raise ValueError(f"option {option!r}: {exc}") from None
        return cache[key]

    return tester


def _linear(option: str, operand: Any) -> Callable[[Any], Tri]:
    if not isinstance(operand, str):
        raise ValueError(f"option {option!r} is not a regular expression")
    try:
        pattern = compile_pattern(operand)
    except PatternError as exc:
        raise ValueError(f"option {option!r} is not a usable regular expression: {exc}") from None
    return _known(lambda v: isinstance(v, str) and pattern.fullmatch(v))


def _test(subject: Subject, name: str, operand: Any, options: dict[str, Any]) -> Cond:
    if name == "known":
        if not isinstance(operand, bool):
            raise RuleSpecError("known takes true or false")
        value_of = subject.value
        return lambda ctx: (not contains_unknown(value_of(ctx))) is operand
    if isinstance(operand, dict) and set(operand) == {"option"}:
        positive_name = NEGATED.get(name, name)
        if positive_name not in _FROM_OPTIONS:
            raise RuleSpecError(f"{name} cannot take its operand from an option")
        tester = _option_operand(positive_name, str(operand["option"]), options)
        get = subject.value

        def from_option(ctx: Context) -> Tri:
            got = tester(ctx)(get(ctx))
            return got if got is None or positive_name == name else not got

        return from_option
    if name == "exists":
        if not isinstance(operand, bool):
            raise RuleSpecError("exists takes true or false")
        raw = subject.raw

        def exists(ctx: Context) -> Tri:
            got = raw(ctx)
            return None if got is UNKNOWN else (got is not MISSING) is operand  # UNKNOWN: no registry in context

        return exists
    value = subject.value
    if name in ("equals", "notEquals", "in", "notIn"):
        texts = operand if isinstance(operand, list) else [operand]
        if texts and all(isinstance(t, str) for t in texts):  # strings, ignoring case: the common test, written out
            lows = frozenset(t.lower() for t in texts)
            want = name in ("equals", "in")

            def text_test(ctx: Context) -> Tri:
                got = value(ctx)
                if isinstance(got, str):
                    return (got.lower() in lows) is want
                return None if isinstance(got, Unknown) else not want

            return text_test
    if name in NEGATED:
        test = _positive(NEGATED[name], operand)

        def negated(ctx: Context) -> Tri:
            got = test(value(ctx))
            return None if got is None else not got

        return negated
    positive = _positive(name, operand)
    return lambda ctx: positive(value(ctx))


def compile_condition(spec: Any, *, facts: dict[str, Any], options: dict[str, Any], in_each: bool) -> Cond:
    if not isinstance(spec, dict) or not spec:
        raise RuleSpecError(f"a condition must be a mapping, got {spec!r}")
    logical = [k for k in ("allOf", "anyOf", "not") if k in spec]
    if logical:
        if len(spec) != 1:
            raise RuleSpecError(f"{logical[0]} stands alone in its mapping: {spec!r}")
        key = logical[0]
        if key == "not":
            inner = compile_condition(spec["not"], facts=facts, options=options, in_each=in_each)

            def negation(ctx: Context) -> Tri:
                got = inner(ctx)
                return None if got is None else not got

            return negation
        parts = spec[key]
        if not isinstance(parts, list) or not parts:
            raise RuleSpecError(f"{key} takes a non-empty list of conditions")
        conds = [compile_condition(p, facts=facts, options=options, in_each=in_each) for p in parts]
        return _combine(conds, decisive=key == "anyOf")
    kinds = [k for k in spec if k in SUBJECTS]
    ops = [k for k in spec if k in OPERATORS]
    if len(kinds) != 1 or len(ops) != 1 or len(spec) != 2 + ("unknown" in spec):
        raise RuleSpecError(f"a test names one subject ({', '.join(SUBJECTS)}), one operator and optionally `unknown`: {spec!r}")
    subject = Subject(kinds[0], spec[kinds[0]], facts=facts, options=options, in_each=in_each)
    test = _test(subject, ops[0], spec[ops[0]], options)
    if "unknown" not in spec:
        return test
    assumed = spec["unknown"]
    if not isinstance(assumed, bool):
        raise RuleSpecError("unknown takes true or false")
    return lambda ctx: assumed if (got := test(ctx)) is None else got


def _combine(conds: list[Cond], decisive: bool) -> Cond:
    """allOf (decisive False) or anyOf (decisive True): the decisive value when one part has it, else unknown when
    one part is unknown, else the other value."""

    def run(ctx: Context) -> Tri:
        result: Tri = not decisive
        for cond in conds:
            got = cond(ctx)
            if got is decisive:
                return decisive
            if got is None:
                result = None
        return result

    return run
