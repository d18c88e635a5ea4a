"""Suppressions: inline directives, resource metadata, and config entries (the filter stage).

API (used by the filter stage, linter/stages/filter.py)::

    parse_directives(text: str, fmt: str) -> list[InlineDirective]
        fmt "yaml": ``# acrlint: disable=ACR401,ACR402 -- reason`` covers its own line and the next one;
        ``# acrlint: disable-file=ACR401 -- reason`` covers the whole file. fmt "json" (JSON with comments):
        the same after ``//`` (or inside ``/* ... */`` on one line); fmt "bicep": the same after ``//`` or ``/*``
        (Bicep strings are single-quoted). One InlineDirective per rule id.
        Costs nothing on text without "acrlint:".
    metadata_suppressions(resource_body_metadata: dict) -> dict[str, str]
        From a resource's ``metadata: {acrlint: {disable: {ACR401: "reason"}}}`` (a list of ids is accepted
        too, with no reasons): rule id -> reason ("" when none was given).
    apply_suppressions(findings, *, directives_by_file, metadata_by_pointer, config_suppressions, today,
                       enabled_rules=None) -> list[Finding]
        Every finding not already suppressed that a suppression covers comes back with ``suppressed`` (the
        reason, or "(no reason given)") and ``suppression_kind`` ("inSource" for directives and metadata,
        "external" for config). Precedence when several cover it: line directive, file directive, metadata,
        config; all of them count as used. The input order is kept; new findings follow, sorted:
          ACR007 (warning) a suppression without a reason, and one that matches no finding;
          ACR008 (info)    a config suppression past its ``expires`` date (from that day on it no longer
                           suppresses; it is not also reported as unused).
        ``directives_by_file`` and ``metadata_by_pointer`` are keyed by ``Finding.file``;
        ``metadata_by_pointer[(file, resource_pointer)]`` covers a finding in that file whose pointer is the
        resource pointer or lies below it. ``config_suppressions`` are linter.config.Suppression objects
        (any object with rule, path, resource, reason, expires, and optionally source and index).
        ``enabled_rules`` (ids, or a mapping id -> effective severity), when given, limits what is reported:
        ACR007/ACR008 only when enabled (with the mapped severity), and a suppression of a rule that did not
        run is never "unused". New findings carry a pointer (metadata, config) or a span (inline directives);
        metadata and config ones have no span: locate them if you need lines.
"""
from __future__ import annotations

import dataclasses
import fnmatch
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from linter.config import path_matches, suggest_rule_id
from linter.constants import SUPPRESSION_EXPIRED, SUPPRESSION_PROBLEM
from linter.engine.rules import severity_of
from linter.model import Finding, Span, join_pointer

UNUSED_OR_NO_REASON_RULE = SUPPRESSION_PROBLEM
EXPIRED_RULE = SUPPRESSION_EXPIRED
NO_REASON = "(no reason given)"

# Where a directive may start: the comment marker and "acrlint:". The rest of its line is parsed with plain
# string operations (_directive_at), so the cost is linear in the text whatever a crafted comment holds (a
# single regular expression for the whole directive backtracked for minutes over a 3 KB line of blanks).
_HEAD = re.compile(r"(#|//|/\*)[ \t]*acrlint:")
_RULE_ID = re.compile(r"[A-Za-z0-9_-]+")  # an id, or a rule name (reported as unknown, with the id it names)
_BLANKS = " \t"


@dataclass
class InlineDirective:
    rule: str
    reason: str | None
    line: int  # 1-based line of the comment
    scope: str  # "line" | "file"
    used: bool = False
    column: int = 1  # where the comment starts (1-based)
    end_column: int = 1  # exclusive


class _StringState:
    """Whether a position is inside a string literal of its line, scanned left to right once per line (many
    candidates on one long line cost one pass, not one pass each)."""

    def __init__(self, text: str, kind: str) -> None:
        self.text, self.kind = text, kind
        self.quote = "'" if kind == "bicep" else '"'
        self.line_start = -1
        self.i = 0
        self.in_single = self.in_double = False
        self.quotes = 0

    def outside(self, line_start: int, pos: int) -> bool:
        if line_start != self.line_start:
            self.line_start, self.i = line_start, line_start
            self.in_single = self.in_double = False
            self.quotes = 0
        if self.kind == "yaml":
            self._advance_yaml(pos)
            if pos > line_start and not self.text[pos - 1].isspace():
                return False  # YAML: '#' starts a comment only at line start or after whitespace
            return not (self.in_single or self.in_double)
        text, i, quote, quotes = self.text, self.i, self.quote, self.quotes
        while i < pos:
            c = text[i]
            if c == "\\":
                i += 2
                continue
            if c == quote:
                quotes += 1
            i += 1
        self.i, self.quotes = i, quotes
        return quotes % 2 == 0

    def _advance_yaml(self, pos: int) -> None:
        text, i = self.text, self.i
        in_single, in_double = self.in_single, self.in_double
        while i < pos:
            c = text[i]
            if c == "\\" and in_double:
                i += 2
                continue
            if c == '"' and not in_single:
                in_double = not in_double
            elif c == "'" and not in_double:
                in_single = not in_single
            i += 1
        self.i, self.in_single, self.in_double = i, in_single, in_double


def _directive_at(rest: str) -> tuple[str, list[str], str | None] | None:
    """(scope, rule ids, reason) of the text after "acrlint:" up to the end of its line, or None when it is not
    a directive: ``disable[-file] = ID[, ID...] [-- reason] [*/]``."""
    rest = rest.lstrip(_BLANKS)
    if rest.startswith("disable-file"):
        scope, rest = "disable-file", rest[len("disable-file"):]
    elif rest.startswith("disable"):
        scope, rest = "disable", rest[len("disable"):]
    else:
        return None
    rest = rest.lstrip(_BLANKS)
    if not rest.startswith("="):
        return None
    rest = rest[1:]
    reason: str | None = None
    dash = rest.find("--")
    if dash >= 0:
        rules_text, reason = rest[:dash], rest[dash + 2:].strip(_BLANKS)
        if reason.endswith("*/"):
            reason = reason[:-2].rstrip(_BLANKS)
    else:
        rules_text = rest.rstrip(_BLANKS)
        if rules_text.endswith("*/"):
            rules_text = rules_text[:-2]
    rules = [r.strip(_BLANKS) for r in rules_text.split(",")]
    if not all(_RULE_ID.fullmatch(r) for r in rules):
        return None
    return scope, rules, reason or None


def parse_directives(text: str, fmt: str) -> list[InlineDirective]:
    if "acrlint:" not in text:
        return []
    kind = "yaml" if fmt.lower() in ("yaml", "yml") else ("bicep" if fmt == "bicep" else "json")
    strings = _StringState(text, kind)
    out: list[InlineDirective] = []
    line = 1
    last = 0
    pos = 0
    while True:
        m = _HEAD.search(text, pos)
        if m is None:
            break
        start = m.start()
        line_end = text.find("\n", start)
        if line_end < 0:
            line_end = len(text)
        # a rejected candidate (inside a string, wrong comment style) may hide a real one later on its line
        pos = start + 1
        if (kind == "yaml") != (m.group(1) == "#"):
            continue
        line += text.count("\n", last, start)
        last = start
        line_start = text.rfind("\n", 0, start) + 1
        if not strings.outside(line_start, start):
            continue
        body_end = line_end - 1 if line_end > start and text[line_end - 1] == "\r" else line_end
        parsed = _directive_at(text[m.end():body_end])
        if parsed is None:
            continue
        scope_text, rules, reason = parsed
        pos = line_end
        scope = "file" if scope_text == "disable-file" else "line"
        column = start - line_start + 1
        end_column = body_end - start + column
        for rule in rules:
            out.append(InlineDirective(rule if "-" in rule else rule.upper(), reason, line, scope, False, column, end_column))
    return out


def metadata_suppressions(resource_body_metadata: dict[str, Any]) -> dict[str, str]:
    if not isinstance(resource_body_metadata, dict):
        return {}
    block = next((v for k, v in resource_body_metadata.items() if isinstance(k, str) and k.lower() == "acrlint"), None)
    if not isinstance(block, dict):
        return {}
    disable = block.get("disable")
    if isinstance(disable, dict):
        return {str(k).upper(): (v.strip() if isinstance(v, str) else "") for k, v in disable.items()}
    if isinstance(disable, list):
        return {x.upper(): "" for x in disable if isinstance(x, str)}
    if isinstance(disable, str):
        return {disable.upper(): ""}
    return {}


def _covered_by_line(d: InlineDirective, f: Finding) -> bool:
    return f.span is not None and f.span.line in (d.line, d.line + 1)


def _config_covers(s: Any, f: Finding) -> bool:
    if s.rule != f.rule_id:
        return False
    if s.path and not path_matches(s.path, f.file, getattr(s, "base", None)):
        return False
    return not s.resource or bool(f.resource and fnmatch.fnmatchcase(f.resource.lower(), s.resource.lower()))


def _config_where(s: Any) -> dict[str, Any]:
    """Where a configuration suppression is written: its pointer, and its line and column when known."""
    where: dict[str, Any] = {"pointer": f"/suppressions/{getattr(s, 'index', 0)}"}
    if getattr(s, "span", None) is not None:
        where["span"] = s.span
    return where


def _resource_pointers(pointer: str) -> list[str]:
    """The pointer and each of its ancestors, longest first ("" last)."""
    out = [pointer]
    while pointer:
        pointer = pointer[: pointer.rfind("/")]
        out.append(pointer)
    return out


def apply_suppressions(
    findings: list[Finding],
    *,
    directives_by_file: dict[str, list[InlineDirective]],
    metadata_by_pointer: dict[tuple[str, str], dict[str, str]],
    config_suppressions: list[Any],
    today: date,
    enabled_rules: Collection[str] | Mapping[str, str] | None = None,
    known_rules: Mapping[str, Any] | None = None,
) -> list[Finding]:
    metadata_by_file: dict[str, dict[str, dict[str, str]]] = {}
    for (file, pointer), disabled in metadata_by_pointer.items():
        metadata_by_file.setdefault(file, {})[pointer] = disabled
    metadata_used: set[tuple[str, str, str]] = set()

    live = [s for s in config_suppressions if s.expires is None or today < s.expires]
    config_used: set[int] = set()

    out: list[Finding] = []
    for f in findings:
        if f.suppressed is not None:
            out.append(f)
            continue
        reasons: list[tuple[str | None, str]] = []  # (reason, kind) in precedence order
        directives = directives_by_file.get(f.file, ())
        for d in directives:
            if d.rule == f.rule_id and d.scope == "line" and _covered_by_line(d, f):
                d.used = True
                reasons.append((d.reason, "inSource"))
        for d in directives:
            if d.rule == f.rule_id and d.scope == "file":
                d.used = True
                reasons.append((d.reason, "inSource"))
        by_pointer = metadata_by_file.get(f.file)
        if by_pointer:
            for pointer in _resource_pointers(f.pointer):
                covering = by_pointer.get(pointer)
                if covering and f.rule_id in covering:
                    metadata_used.add((f.file, pointer, f.rule_id))
                    reasons.append((covering[f.rule_id], "inSource"))
        for i, s in enumerate(live):
            if _config_covers(s, f):
                config_used.add(i)
                reasons.append((s.reason, "external"))
        if reasons:
            reason, kind = reasons[0]
            out.append(dataclasses.replace(f, suppressed=reason or NO_REASON, suppression_kind=kind))
        else:
            out.append(f)

    ran = None if enabled_rules is None else set(enabled_rules)

    def reportable(rule_id: str) -> bool:
        return ran is None or rule_id in ran

    def severity(rule_id: str) -> str:
        if isinstance(enabled_rules, Mapping) and rule_id in enabled_rules:
            return str(enabled_rules[rule_id])
        return severity_of(rule_id)

    new: list[Finding] = []

    def report(rule_id: str, message: str, file: str, **where: Any) -> None:
        if reportable(rule_id):
            new.append(Finding(rule_id=rule_id, severity=severity(rule_id), message=message, file=file, **where))

    def unknown(rule_id: str) -> str | None:
        """"unknown rule id ...; did you mean ...?" for an id no rule has (None when known or not checked)."""
        if known_rules is None or rule_id in known_rules:
            return None

        names = {str(getattr(m, "name", "")).lower(): rid for rid, m in known_rules.items()}
        hint = f"; did you mean {names[rule_id.lower()]!r}?" if rule_id.lower() in names else suggest_rule_id(rule_id, known_rules)
        return f"unknown rule id {rule_id!r}{hint}"

    for file, directives in directives_by_file.items():
        for d in directives:
            where = {
                "span": Span(d.line, d.column, d.line, d.end_column),
                "resource": f"inline suppression of {d.rule} at line {d.line}",
            }
            problem = unknown(d.rule)
            if problem:
                report(UNUSED_OR_NO_REASON_RULE, f"suppression names an {problem}", file, **where)
                continue
            if not d.reason:
                report(UNUSED_OR_NO_REASON_RULE, f"suppression of {d.rule} has no reason; add one after ' -- '", file, **where)
            if not d.used and reportable(d.rule):
                report(UNUSED_OR_NO_REASON_RULE, f"suppression of {d.rule} matches no finding; remove it", file, **where)

    for (file, pointer), disabled in metadata_by_pointer.items():
        for rule_id, reason in disabled.items():
            where = {"pointer": join_pointer(pointer, "metadata", "acrlint", "disable", rule_id)}
            problem = unknown(rule_id)
            if problem:
                report(UNUSED_OR_NO_REASON_RULE, f"suppression in metadata.acrlint.disable names an {problem}", file, **where)
                continue
            if not reason:
                report(UNUSED_OR_NO_REASON_RULE, f"suppression of {rule_id} in metadata.acrlint.disable has no reason", file, **where)
            if (file, pointer, rule_id) not in metadata_used and reportable(rule_id):
                report(UNUSED_OR_NO_REASON_RULE, f"suppression of {rule_id} in metadata.acrlint.disable matches no finding; remove it", file, **where)

    for s in config_suppressions:
        source = getattr(s, "source", "") or "<config>"
        where = _config_where(s)
        if not s.reason:
            report(UNUSED_OR_NO_REASON_RULE, f"config suppression of {s.rule} has no reason", source, **where)
        if s.expires is not None and today >= s.expires:
            report(EXPIRED_RULE, f"config suppression of {s.rule} expired on {s.expires.isoformat()} and no longer applies; fix the findings or renew it", source, **where)
    for i, s in enumerate(live):
        if i not in config_used and reportable(s.rule):
            source = getattr(s, "source", "") or "<config>"
            report(UNUSED_OR_NO_REASON_RULE, f"config suppression of {s.rule} matches no finding; remove it", source, **_config_where(s))

    return out + sorted(new, key=Finding.sort_key)
