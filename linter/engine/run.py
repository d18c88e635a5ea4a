"""Run enabled rules over an inventory. Declarative rules are evaluated here; Python checks come from the
registry. A rule that raises becomes finding ACR003 and the run goes on."""
from __future__ import annotations

import traceback
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from linter.model import MAX_VALUE, Finding, Resource, RuleMeta, Unknown, contains_unknown, cut

if TYPE_CHECKING:
    from linter.inventory import Inventory

INTERNAL_ERROR_RULE = "ACR003"
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
    from linter.checks.apischema import UNDEFINED

    if rule_id in UNDEFINED:
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
        message: str | None = None,
        **fields: Any,
    ) -> Finding:
        # every value quoted in a message is cut (a name or value can be megabytes long); the sentences a rule
        # composes (which quote values themselves) get more room
        values = _FormatDict(resource=cut(resource.label), type=cut(str(resource.type)))
        for k, v in fields.items():
            values[k] = cut(v if isinstance(v, str) else render_value(v), _PROSE_LIMIT if k in _PROSE_FIELDS else MAX_VALUE)
        text = (message or self.meta.message).format_map(values)
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


_VALIDATORS: dict[str, Any] = {}


def compiled_validator(meta: RuleMeta) -> Any:
    """The rule's schema, compiled once per process (linter.engine.minischema: no jsonschema import)."""
    if meta.id not in _VALIDATORS:
        from linter.engine.minischema import Validator

        _VALIDATORS[meta.id] = Validator(meta.spec["schema"])
    return _VALIDATORS[meta.id]


_WHEN: dict[str, Any] = {}


def _when_matches(meta: RuleMeta, body: dict[str, Any]) -> bool:
    expr = meta.spec.get("when")
    if not expr:
        return True
    if expr not in _WHEN:
        import jmespath

        _WHEN[expr] = jmespath.compile(expr)
    try:
        result = _WHEN[expr].search(body)
    except Exception:
        return False
    return bool(result) and not isinstance(result, Unknown)


_VARIANTS: dict[str, list[tuple[Any, str]]] = {}


def _message_for(meta: RuleMeta, body: dict[str, Any]) -> str | None:
    """The first message variant (record key `messages`) whose `match` schema the resource satisfies, or None
    (the record's `message`). A value that cannot be evaluated matches no variant."""
    variants = _VARIANTS.get(meta.id)
    if variants is None:
        from linter.engine.minischema import Validator

        variants = _VARIANTS[meta.id] = [(Validator(v["match"]), str(v["message"])) for v in meta.spec.get("messages") or ()]
    for validator, message in variants:
        if validator.is_valid(body):
            return message
    return None


def _instance_at(body: Any, path: Iterable[Any]) -> Any:
    cur = body
    for key in path:
        try:
            cur = cur[key]
        except (KeyError, IndexError, TypeError):
            return None
    return cur


def run_declarative(inv: Inventory, rule: RuleRun) -> Iterator[Finding]:
    meta = rule.meta
    resources = inv.of_type(*meta.applies_to)
    if not resources:
        return
    validator = compiled_validator(meta)
    for res in resources:
        if not _when_matches(meta, res.body):
            continue
        seen: set[tuple[Any, ...]] = set()
        message = _message_for(meta, res.body) if "messages" in meta.spec else None
        for error in validator.iter_errors(res.body):
            path = tuple(error.absolute_path)
            # Unknown stays silent: an error on (or inside) a value that could not be evaluated is no finding.
            if error.validator == "required":
                # an absent property is known to be absent, whatever else its container holds
                if isinstance(error.instance, Unknown):
                    continue
            elif contains_unknown(error.instance) or contains_unknown(_instance_at(res.body, path)):
                continue
            target = path
            # `required` errors: point at the property that is absent (locate falls back to its container).
            if error.validator == "required":
                missing = [r for r in error.validator_value if not isinstance(error.instance, dict) or r not in error.instance]
                if missing:
                    target = path + (missing[0],)
            if target in seen:
                continue
            seen.add(target)
            yield rule.finding(res, target, message=message, value=_instance_at(res.body, path))


def run_rules(inv: Inventory, runs: list[RuleRun]) -> list[Finding]:
    return [f for part in run_rules_each(inv, runs) for f in part]


def run_rules_each(inv: Inventory, runs: list[RuleRun]) -> list[list[Finding]]:
    """The findings of each rule, in the order of ``runs``."""
    from linter.engine.registry import load_checks

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
                    severity="error",
                    message=f"rule {meta.id} failed: {type(exc).__name__}: {exc}{where}",
                    file=meta.source or "<rules>",
                    resource=None,
                )
            )
    return out
