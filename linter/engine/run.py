"""Run enabled rules over an inventory. Declarative rules are evaluated here; Python checks come from the
registry. A rule that raises becomes finding ACR003 and the run goes on."""
from __future__ import annotations

import traceback
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from linter.constants import ERROR, INTERNAL_ERROR, UNDEFINED_PROPERTY
from linter.engine import declarative
from linter.engine.registry import FACTS, load_checks
from linter.engine.rules import load_defaults
from linter.model import MAX_VALUE, Finding, Resource, RuleMeta, Unknown, cut

if TYPE_CHECKING:
    from linter.inventory import Inventory

INTERNAL_ERROR_RULE = INTERNAL_ERROR
_PROSE_FIELDS = frozenset({"problem", "what", "reason", "suggestion"})  # message fields that hold a rule's own sentence
_PROSE_LIMIT = 400


class _FormatDict(dict):  # type: ignore[type-arg]
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def render_value(value: Any) -> str:
    if isinstance(value, Unknown):
        return "<unknown>"
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, (dict, list)):
        import json

        text = json.dumps(value, default=str, sort_keys=True)
        return text if len(text) <= 80 else text[:77] + "..."
    return str(value)


def _ignored_note(ignored: dict[tuple[Any, ...], str], path: tuple[Any, ...], rule_id: str) -> str:
    """A finding about a property its resource's API version does not define (linter.checks.apischema.effective_view)
    says so: the rule saw it as absent, as Azure does."""

    if rule_id in UNDEFINED_PROPERTY:
        return ""
    for where, version in ignored.items():
        if path[: len(where)] == where:
            name = ".".join(str(t) for t in where[1:] if isinstance(t, str)) or str(where[-1])
            return f" ({name} is not defined in API version {version}: Azure ignores it)"
    return ""


@dataclass
class RuleRun:
    """What a check sees of its rule: metadata, effective severity and options; and how to report."""

    meta: RuleMeta
    severity: str
    options: dict[str, Any] = field(default_factory=dict)

    def finding(
        self,
        resource: Resource,
        path: Iterable[Any] = (),
        *,
        severity: str | None = None,
        variant: str | None = None,
        **fields: Any,
    ) -> Finding:
        """A finding at ``path`` in ``resource``, with the record's message or its variant ``variant`` (a name in
        the record's ``messages``), filled with ``fields`` ({resource} and {type} are given)."""
        # every value quoted in a message is cut (a name or value can be megabytes long); the sentences a rule
        # composes (which quote values themselves) get more room
        values = _FormatDict(resource=cut(resource.label), type=cut(str(resource.type)))
        for k, v in fields.items():
            values[k] = cut(v if isinstance(v, str) else render_value(v), _PROSE_LIMIT if k in _PROSE_FIELDS else MAX_VALUE)
        text = (self.meta.messages[variant] if variant is not None else self.meta.message).format_map(values)
        ignored = resource.extra.get("ignored")
        if ignored:
            text += _ignored_note(ignored, tuple(path), self.meta.id)
        if resource.condition:
            text += f" (when {resource.condition})"
        rid = resource.id
        return Finding.of_rule(
            self.meta.id,
            severity or self.severity,
            text,
            resource.file,
            resource.pointer_for(*path),
            resource.doc,
            rid if isinstance(rid, str) else resource.display,
        )


_COMPILED: dict[str, tuple[dict[str, Any], Any]] = {}


def run_declarative(inv: Inventory, rule: RuleRun) -> Iterator[Finding]:
    """The findings of a declarative rule (linter.engine.declarative), its record compiled once per process, when the
    inventory first holds a resource the rule applies to."""
    meta = rule.meta
    if not any(inv.of_type(t) for t in meta.applies_to):
        return iter(())
    cached = _COMPILED.get(meta.id)
    if cached is None or cached[0] is not meta.spec:
        load_checks()  # the facts are registered beside the checks
        cached = _COMPILED[meta.id] = (meta.spec, declarative.compile_rule(meta, FACTS))
    return declarative.run(inv, rule, cached[1], FACTS, load_defaults())


def run_rules(inv: Inventory, runs: list[RuleRun]) -> list[Finding]:
    return [f for part in run_rules_each(inv, runs) for f in part]


def run_rules_each(inv: Inventory, runs: list[RuleRun]) -> list[list[Finding]]:
    """The findings of each rule, in the order of ``runs``."""
    checks = load_checks()
    out: list[list[Finding]] = []
    for rule in runs:
        meta = rule.meta
        findings: list[Finding] = []
        out.append(findings)
        try:
            if meta.implementation == "declarative":
                findings.extend(run_declarative(inv, rule))
            elif meta.implementation == "python":
                fn = checks.get(meta.id)
                if fn is None:
                    raise RuntimeError(f"no Python check registered for {meta.id}")
                findings.extend(fn(inv, rule))
        except Exception as exc:
            last = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
            where = f" ({last.filename.rsplit('/', 1)[-1]}:{last.lineno})" if last else ""
            findings.append(
                Finding(
                    rule_id=INTERNAL_ERROR_RULE,
                    severity=ERROR,
                    message=f"rule {meta.id} failed: {type(exc).__name__}: {exc}{where}",
                    file=meta.source or "<rules>",
                    resource=None,
                )
            )
    return out
