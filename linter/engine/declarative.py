"""Declarative rules: a record's ``report`` list, evaluated over the resources the rule applies to.

    applies_to: [Microsoft.ContainerRegistry/registries]
    when: <condition>              optional: what every report also needs
    each: <path with [*]>          optional: evaluate the reports once per item (``item:`` in conditions); a list of
                                   such paths takes their items one after the other; ``each: pulls`` takes every
                                   registry the resource pulls from (below)
    registry: <value>              optional: the registry in context is the one this value names (resource ID, login
                                   server or reference(), as linter.inventory resolves them); by default a registry is
                                   its own, a child resource's is its parent, and other resources have none
    report:
    - if: <condition>              a finding where it is true (and `when` too); unknown is silent
      at: <path>                   where: a path in the resource; {item: <path>} inside `each`; {pull: true}, where the
                                   resource names the registry it pulls from; or a list of paths (the first written with
                                   a value other than null; the first when none is)
      message: <variant>           optional: a name from the record's `messages`, or a list of {if: <condition>, use:
                                   <variant>} tried in order; by default (or when none is true) the record's message
      severity: info               optional: below the rule's severity, unless the configuration sets the rule's
      with: {<field>: <value>}     message fields: a path, {<subject>: ...}, {text: ...}; {resource} and {type} are given
      applies_to / each / registry optional: this report's own (applies_to: some of the rule's types)

``each: pulls``: the client relations linter.inventory resolves once (a container group's
imageRegistryCredentials[*].server, a Machine Learning workspace's containerRegistry, a registry task's registry, an App
Service's DOCKER| image, a Container App's configuration.registries[*].server): one evaluation per registry the resource
pulls from, with that registry in context, the credential entry as `item` when there is one, and {pull: true} its path.

Conditions and values: linter.engine.conditions. Facts: linter/checks/facts.py. Service defaults: rules/_defaults.yaml.
Each record is compiled once per process; every message a report can use must have its fields filled (RuleSpecError
otherwise, which the run reports as ACR003 and tests/test_rule_registry.py catches first).
"""
from __future__ import annotations

import string
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from linter.constants import SEVERITIES
from linter.engine.conditions import (
    STAR,
    Cond,
    Context,
    Getter,
    RuleSpecError,
    compile_condition,
    compile_value,
    iterate,
    parse_path,
)
from linter.model import MISSING, Finding, Resource, RuleMeta, value_at

if TYPE_CHECKING:
    from linter.engine.run import RuleRun
    from linter.inventory import Inventory

REGISTRY = "microsoft.containerregistry/registries"
PULLS = "pulls"  # each: pulls
REPORT_KEYS = frozenset({"if", "at", "message", "severity", "with", "applies_to", "each", "registry"})
_GIVEN_FIELDS = frozenset({"resource", "type"})  # every finding's message has them

Each = list[tuple[Any, ...]] | str | None  # paths with [*], PULLS, or nothing


@dataclass
class Report:
    cond: Cond | None
    at: list[tuple[str, tuple[Any, ...]]]  # ("field" | "item" | "pull", path) candidates
    variant: str | None
    variants: list[tuple[Cond, str]] | None
    severity: str | None
    fields: dict[str, Getter]
    types: frozenset[str] | None  # lower-case; None: every type of the rule
    each: Each
    registry: Getter | None
    fixed_at: tuple[Any, ...] | None = None  # `at` when it is one path in the resource


@dataclass
class CompiledRule:
    when: Cond | None
    reports: list[Report]


def placeholders(template: str) -> set[str]:
    """The field names a message template uses ({name}, {name!r}, {name:>5} -> name)."""
    return {name.split(".")[0].split("[")[0] for _, name, _, _ in string.Formatter().parse(template) if name}


def compile_rule(meta: RuleMeta, facts: dict[str, Any]) -> CompiledRule:
    spec = meta.spec
    reports = spec.get("report")
    if not isinstance(reports, list) or not reports:
        raise RuleSpecError(f"{meta.id}: a declarative rule needs a non-empty `report` list")
    base_each = _each(spec.get("each"))
    base_registry = spec.get("registry")
    if base_each == PULLS and base_registry is not None:
        raise RuleSpecError(f"{meta.id}: with `each: pulls` the registry in context is the one pulled from")
    when = None
    if "when" in spec:
        when = compile_condition(spec["when"], facts=facts, options=meta.options, in_each=base_each is not None)
    return CompiledRule(when, [_report(meta, r, facts, base_each, base_registry) for r in reports])


def _each(spec: Any) -> Each:
    """`each`: a path with [*], or a list of them (their items one after the other), or `pulls`."""
    if spec is None or spec == PULLS:
        return spec  # type: ignore[no-any-return]
    out = []
    for text in spec if isinstance(spec, list) else [spec]:
        path = parse_path(text, star=True)
        if STAR not in path:
            raise RuleSpecError(f"each: {text!r} has no [*] (or say `each: pulls`)")
        out.append(path)
    if not out:
        raise RuleSpecError("each: no path")
    return out


def _report(meta: RuleMeta, spec: Any, facts: dict[str, Any], base_each: Each, base_registry: Any) -> Report:
    if not isinstance(spec, dict) or set(spec) - REPORT_KEYS or "at" not in spec:
        raise RuleSpecError(f"{meta.id}: a report is a mapping with `at` and only {', '.join(sorted(REPORT_KEYS))}: {spec!r}")
    options = meta.options
    each = _each(spec["each"]) if "each" in spec else base_each
    in_each = each is not None
    registry_spec = spec.get("registry", base_registry)
    if each == PULLS and registry_spec is not None:
        raise RuleSpecError(f"{meta.id}: with `each: pulls` the registry in context is the one pulled from")
    cond = compile_condition(spec["if"], facts=facts, options=options, in_each=in_each) if "if" in spec else None
    registry = compile_value(registry_spec, facts=facts, options=options, in_each=in_each) if registry_spec is not None else None
    fields = {str(name): compile_value(v, facts=facts, options=options, in_each=in_each)
              for name, v in (spec.get("with") or {}).items()}
    at = _at(spec["at"], in_each, each == PULLS)
    severity = spec.get("severity")
    if severity is not None and severity not in SEVERITIES:
        raise RuleSpecError(f"{meta.id}: severity {severity!r}")
    types = None
    if "applies_to" in spec:
        types = frozenset(str(t).lower() for t in spec["applies_to"])
        if not types or not types <= {t.lower() for t in meta.applies_to}:
            raise RuleSpecError(f"{meta.id}: a report's applies_to names some of the rule's types")
    variant: str | None = None
    variants: list[tuple[Cond, str]] | None = None
    message = spec.get("message")
    if isinstance(message, str):
        variant = message
        used: list[str | None] = [message]
    elif isinstance(message, list):
        variants = []
        for choice in message:
            if not isinstance(choice, dict) or set(choice) != {"if", "use"}:
                raise RuleSpecError(f"{meta.id}: a message choice is {{if: <condition>, use: <variant>}}: {choice!r}")
            variants.append((compile_condition(choice["if"], facts=facts, options=options, in_each=in_each), str(choice["use"])))
        used = [name for _, name in variants] + [None]
    elif message is None:
        used = [None]
    else:
        raise RuleSpecError(f"{meta.id}: message must be a variant name or a list of choices")
    for name in used:
        if name is not None and name not in meta.messages:
            raise RuleSpecError(f"{meta.id}: message variant {name!r} is not in the record's `messages`")
        template = meta.messages[name] if name is not None else meta.message
        missing = placeholders(template) - set(fields) - _GIVEN_FIELDS
        if missing:
            raise RuleSpecError(f"{meta.id}: message {name or '(default)'} uses {', '.join(sorted(missing))}, "
                                "which the report does not give (`with`)")
    fixed = at[0][1] if len(at) == 1 and at[0][0] == "field" else None
    return Report(cond, at, variant, variants, severity, fields, types, each, registry, fixed)


def _at(spec: Any, in_each: bool, pulls: bool) -> list[tuple[str, tuple[Any, ...]]]:
    candidates = spec if isinstance(spec, list) else [spec]
    out: list[tuple[str, tuple[Any, ...]]] = []
    for c in candidates:
        if isinstance(c, str):
            out.append(("field", parse_path(c)))
        elif isinstance(c, dict) and set(c) == {"item"} and in_each:
            out.append(("item", parse_path(c["item"])))
        elif c == {"pull": True} and pulls and not isinstance(spec, list):
            out.append(("pull", ()))
        else:
            raise RuleSpecError(f"at: a path, {{item: <path>}} inside `each`, or {{pull: true}} with `each: pulls`; got {c!r}")
    if not out:
        raise RuleSpecError("at: no path")
    return out


def _where(report: Report, ctx: Context) -> tuple[Any, ...]:
    first: tuple[Any, ...] | None = None
    for kind, path in report.at:
        if kind == "pull":
            return ctx.named_at
        full = ctx.item_path + path if kind == "item" else path
        if first is None:
            first = full
        if len(report.at) == 1:
            break
        value = value_at(ctx.item, path) if kind == "item" else value_at(ctx.res.body, path)
        if value is not MISSING and value is not None:
            return full
    assert first is not None
    return first


def _own_registry(inv: Inventory, res: Resource, low: str) -> Resource | None:
    """The registry in context when no value names one: the registry itself, or a child's registry."""
    if low == REGISTRY:
        return res
    if low.startswith(REGISTRY + "/"):
        return inv.registry_of(res)
    return None


def _contexts(inv: Inventory, res: Resource, report: Report, ctx: Context) -> Iterator[Context]:
    """``ctx`` set for each evaluation of ``report`` on ``res``: each item, with its registry in context."""
    each = report.each
    if each == PULLS:
        uses = inv.memo.get("clients by resource")
        if uses is None:
            uses = inv.memo["clients by resource"] = {}
            for use in inv.clients:
                uses.setdefault(id(use.client), []).append(use)
        for use in uses.get(id(res), ()):
            if use.client is res:
                ctx.registry, ctx.registry_ref = use.registry, MISSING
                ctx.item = use.credential if use.credential is not None else MISSING
                ctx.item_path = use.path[:-1] if use.credential is not None else use.path
                ctx.named_at = use.path
                yield ctx
        return
    items = [(MISSING, ())] if not isinstance(each, list) else [i for path in each for i in iterate(res.body, path)]
    own = _own_registry(inv, res, res.type_lower) if report.registry is None else None
    for item, item_path in items:
        ctx.item, ctx.item_path, ctx.named_at = item, item_path, ()
        ctx.registry, ctx.registry_ref = own, MISSING
        if report.registry is not None:
            ref = ctx.registry_ref = report.registry(ctx)
            ctx.registry = inv.registry_for(ref)
        yield ctx


def run(inv: Inventory, rule: RuleRun, compiled: CompiledRule, facts: dict[str, Any],
        defaults: dict[str, dict[tuple[str, ...], Any]]) -> Iterator[Finding]:
    meta = rule.meta
    when = compiled.when
    demoted = rule.severity == meta.severity
    base: Context | None = None
    for res in inv.of_type(*meta.applies_to):
        low = res.type_lower
        if base is None:
            base = Context(inv, res, rule.options, defaults, facts)
        else:
            base.at(res, low)
        own: Any = MISSING  # the registry in context of the simple reports, found once per resource
        for report in compiled.reports:
            if report.types is not None and low not in report.types:
                continue
            if report.each is None and report.registry is None:  # the common case: one evaluation
                if own is MISSING:
                    own = _own_registry(inv, res, low)
                base.registry = own
                contexts: Any = (base,)
            else:
                contexts = _contexts(inv, res, report, base)
            for ctx in contexts:
                if when is not None and when(ctx) is not True:
                    continue
                if report.cond is not None and report.cond(ctx) is not True:
                    continue
                variant = report.variant
                if report.variants is not None:
                    variant = next((name for cond, name in report.variants if cond(ctx) is True), None)
                severity = None
                if report.severity is not None:
                    severity = report.severity if demoted else rule.severity
                where = report.fixed_at if report.fixed_at is not None else _where(report, ctx)
                if report.fields:
                    yield rule.finding(res, where, severity=severity, variant=variant,
                                       **{name: get(ctx) for name, get in report.fields.items()})
                else:
                    yield rule.finding(res, where, severity=severity, variant=variant)
