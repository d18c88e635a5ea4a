"""Declarative rules: a record's ``report`` list, evaluated over the resources the rule applies to.

    applies_to: [Microsoft.ContainerRegistry/registries]
    when: <condition>              optional: what every report also needs
    each: <path with [*]>          optional: evaluate the reports once per item (``item:`` in conditions)
    registry: <value>              optional: the registry in context is the one this value names (by resource ID,
                                   login server or reference()); by default a registry is its own, a child resource's is
                                   its parent, and other resources have none
    report:
    - if: <condition>              a finding where it is true (and `when` too)
      at: <path>                   where: a path in the resource, {item: <path>}, or a list of paths (the first one
                                   written with a value other than null; the first when none is)
      message: <variant>           optional: a name from the record's `messages`, or a list of {if: <condition>, use:
                                   <variant>} tried in order; by default (or when none matches) the record's message
      severity: info               optional: below the rule's severity, unless the configuration sets the rule's
      with: {<field>: <value>}     message fields: a path, {<subject>: ...}, {text: ...}; {resource} and {type} are given
      each / registry              optional: this report's own

Conditions and values: linter.engine.conditions. Facts: linter/checks/facts.py. Service defaults: rules/_defaults.yaml.
Each record is compiled once per process; every message a report can use must have its fields filled (RuleSpecError
otherwise, which the run reports as ACR003 and tests/test_rule_registry.py catches first).
"""
from __future__ import annotations

import string
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

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
    value_at,
)
from linter.model import MISSING, Finding, Resource, RuleMeta

if TYPE_CHECKING:
    from linter.engine.run import RuleRun
    from linter.inventory import Inventory

REGISTRY = "microsoft.containerregistry/registries"
REPORT_KEYS = frozenset({"if", "at", "message", "severity", "with", "each", "registry"})
_GIVEN_FIELDS = frozenset({"resource", "type"})  # every finding's message has them


@dataclass
class Report:
    cond: Cond | None
    at: list[tuple[str, tuple[Any, ...]]]  # ("field" | "item", path) candidates
    variant: str | None
    variants: list[tuple[Cond, str]] | None
    severity: str | None
    fields: dict[str, Getter]
    each: list[tuple[Any, ...]] | None
    registry: Getter | None


@dataclass
class CompiledRule:
    when: Cond | None
    reports: list[Report]


def placeholders(template: str) -> set[str]:
    """The field names a message template uses ({name}, {name!r}, {name:>5} -> name)."""
    return {name.split(".")[0].split("[")[0] for _, name, _, _ in string.Formatter().parse(template) if name}


def compile_rule(meta: RuleMeta, facts: dict[str, Any]) -> CompiledRule:
    spec = meta.spec
    options = meta.options
    reports = spec.get("report")
    if not isinstance(reports, list) or not reports:
        raise RuleSpecError(f"{meta.id}: a declarative rule needs a non-empty `report` list")
    base_each = _each(spec.get("each"))
    when = None
    if "when" in spec:
        when = compile_condition(spec["when"], facts=facts, options=options, in_each=base_each is not None)
    base_registry = spec.get("registry")
    out = [_report(meta, r, facts, base_each, base_registry) for r in reports]
    return CompiledRule(when, out)


def _each(spec: Any) -> list[tuple[Any, ...]] | None:
    """`each`: a path with [*], or a list of them (their items one after the other)."""
    if spec is None:
        return None
    out = []
    for text in spec if isinstance(spec, list) else [spec]:
        path = parse_path(text, star=True)
        if STAR not in path:
            raise RuleSpecError(f"each: {text!r} has no [*]")
        out.append(path)
    if not out:
        raise RuleSpecError("each: no path")
    return out


def _report(meta: RuleMeta, spec: Any, facts: dict[str, Any], base_each: list[tuple[Any, ...]] | None, base_registry: Any) -> Report:
    if not isinstance(spec, dict) or set(spec) - REPORT_KEYS or "at" not in spec:
        raise RuleSpecError(f"{meta.id}: a report is a mapping with `at` and only {', '.join(sorted(REPORT_KEYS))}: {spec!r}")
    options = meta.options
    each = _each(spec["each"]) if "each" in spec else base_each
    in_each = each is not None
    cond = compile_condition(spec["if"], facts=facts, options=options, in_each=in_each) if "if" in spec else None
    registry_spec = spec.get("registry", base_registry)
    registry = compile_value(registry_spec, facts=facts, options=options, in_each=in_each) if registry_spec is not None else None
    fields = {str(name): compile_value(v, facts=facts, options=options, in_each=in_each)
              for name, v in (spec.get("with") or {}).items()}
    at = _at(spec["at"], in_each)
    severity = spec.get("severity")
    if severity is not None and severity not in ("error", "warning", "info"):
        raise RuleSpecError(f"{meta.id}: severity {severity!r}")
    variant: str | None = None
    variants: list[tuple[Cond, str]] | None = None
    used: list[str | None] = []
    message = spec.get("message")
    if isinstance(message, str):
        variant = message
        used = [message]
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
    return Report(cond, at, variant, variants, severity, fields, each, registry)


def _at(spec: Any, in_each: bool) -> list[tuple[str, tuple[Any, ...]]]:
    candidates = spec if isinstance(spec, list) else [spec]
    out: list[tuple[str, tuple[Any, ...]]] = []
    for c in candidates:
        if isinstance(c, str):
            out.append(("field", parse_path(c)))
        elif isinstance(c, dict) and set(c) == {"item"} and in_each:
            out.append(("item", parse_path(c["item"])))
        else:
            raise RuleSpecError(f"at: a path, or {{item: <path>}} inside `each`, got {c!r}")
    if not out:
        raise RuleSpecError("at: no path")
    return out


def _where(report: Report, ctx: Context) -> tuple[Any, ...]:
    first: tuple[Any, ...] | None = None
    for kind, path in report.at:
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


def _registry(inv: Inventory, res: Resource, report: Report, ctx: Context) -> Resource | None:
    if report.registry is not None:
        return inv.registry_for(report.registry(ctx))
    low = res.type_lower
    if low == REGISTRY:
        return res
    if low.startswith(REGISTRY + "/"):
        return inv.registry_of(res)
    return None


def _items(res: Resource, each: list[tuple[Any, ...]]) -> Iterator[tuple[Any, tuple[Any, ...]]]:
    for path in each:
        yield from iterate(res.body, path)


def run(inv: Inventory, rule: RuleRun, compiled: CompiledRule, facts: dict[str, Any],
        defaults: dict[str, dict[tuple[str, ...], Any]]) -> Iterator[Finding]:
    meta = rule.meta
    when = compiled.when
    for res in inv.of_type(*meta.applies_to):
        for report in compiled.reports:
            ctx = Context(inv, res, None, rule.options, defaults, facts)
            items = _items(res, report.each) if report.each is not None else ((MISSING, ()),)
            for item, item_path in items:
                ctx.item, ctx.item_path, ctx.registry = item, item_path, None
                ctx.registry = _registry(inv, res, report, ctx)
                if when is not None and when(ctx) is not True:
                    continue
                if report.cond is not None and report.cond(ctx) is not True:
                    continue
                variant = report.variant
                if report.variants is not None:
                    variant = next((name for cond, name in report.variants if cond(ctx) is True), None)
                severity = None
                if report.severity is not None:
                    severity = report.severity if rule.severity == meta.severity else rule.severity
                fields = {name: get(ctx) for name, get in report.fields.items()}
                yield rule.finding(res, _where(report, ctx), severity=severity, variant=variant, **fields)
