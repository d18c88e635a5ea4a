"""Suppressions: directive parsing, metadata, config entries, ACR007/ACR008."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

from linter.config import Suppression
from linter.data import rules_dir
from linter.engine.rules import validate_record
from linter.model import Finding, Span
from linter.suppress import InlineDirective, apply_suppressions, metadata_suppressions, parse_directives

TODAY = date(2026, 6, 1)


def d(rule: str, reason: str | None, line: int, scope: str = "line", column: int = 1, end: int = 1) -> InlineDirective:
    return InlineDirective(rule, reason, line, scope, False, column, end)


# ------------------------------------------------------------------------------------------------ parsing


def test_yaml_directives() -> None:
    text = (
        "registry:  # acrlint: disable=ACR401,acr402 -- legacy; see #12\n"
        "# acrlint: disable=ACR403\n"
        'b: "x # acrlint: disable=ACR404 -- inside a string"\n'
        "c: x#acrlint: disable=ACR405 -- not a comment in YAML\n"
        "# acrlint: disable-file=ACR406 -- whole file\n"
        "#acrlint:disable=ACR407--tight\r\n"
    )
    assert parse_directives(text, "yaml") == [
        d("ACR401", "legacy; see #12", 1, column=12, end=63),
        d("ACR402", "legacy; see #12", 1, column=12, end=63),
        d("ACR403", None, 2, end=26),
        d("ACR406", "whole file", 5, "file", end=45),
        d("ACR407", "tight", 6, end=31),
    ]


def test_json_directives() -> None:
    text = (
        "{\n"
        '  "a": "http://x // acrlint: disable=ACR401 -- in a string", // acrlint: disable=ACR402 -- yes, really\n'
        "  /* acrlint: disable-file=ACR403 -- block comment */\n"
        "  # acrlint: disable=ACR404 -- YAML style is not JSON\n"
        "}\n"
    )
    assert parse_directives(text, "json") == [
        d("ACR402", "yes, really", 2, column=62, end=103),
        d("ACR403", "block comment", 3, "file", column=3, end=54),
    ]


def test_no_marker_no_work() -> None:
    assert parse_directives("a: 1\n# disable=ACR401\n", "yaml") == []
    assert parse_directives("# acrlint: enable=ACR401\n", "yaml") == []


@pytest.mark.parametrize(
    ("metadata", "expected"),
    [
        ({"acrlint": {"disable": {"ACR401": "pulled by legacy agents", "acr402": ""}}}, {"ACR401": "pulled by legacy agents", "ACR402": ""}),
        ({"AcrLint": {"disable": ["ACR401"]}}, {"ACR401": ""}),
        ({"acrlint": {"disable": "ACR401"}}, {"ACR401": ""}),
        ({"acrlint": {"disable": {"ACR401": 3}}}, {"ACR401": ""}),
        ({"acrlint": "nonsense"}, {}),
        ({"owner": "team"}, {}),
        ({}, {}),
    ],
)
def test_metadata_suppressions(metadata: dict[str, object], expected: dict[str, str]) -> None:
    assert metadata_suppressions(metadata) == expected


# ------------------------------------------------------------------------------------------------ applying


def F(rule: str, file: str = "t.yaml", pointer: str = "", line: int | None = None, resource: str | None = None) -> Finding:
    span = Span(line, 1, line, 5) if line else None
    return Finding(rule, "error", f"{rule} problem", file, pointer, span=span, resource=resource)


def run(findings: list[Finding], directives: dict[str, list[InlineDirective]] | None = None,
        metadata: dict[tuple[str, str], dict[str, str]] | None = None, config: list[Suppression] | None = None,
        **kw: object) -> list[Finding]:
    return apply_suppressions(findings, directives_by_file=directives or {}, metadata_by_pointer=metadata or {},
                              config_suppressions=config or [], today=TODAY, **kw)  # type: ignore[arg-type]


def brief(findings: list[Finding]) -> list[tuple[object, ...]]:
    return [(f.rule_id, f.file, f.span.line if f.span else None, f.pointer, f.suppressed, f.suppression_kind) for f in findings]


def test_line_directive_covers_its_line_and_the_next() -> None:
    directives = {"t.yaml": [d("ACR401", "ok", 5)]}
    out = run([F("ACR401", line=5), F("ACR401", line=6), F("ACR401", line=7), F("ACR401", line=4), F("ACR402", line=5),
               F("ACR401", "other.yaml", line=5)], directives)
    assert brief(out) == [
        ("ACR401", "t.yaml", 5, "", "ok", "inSource"),
        ("ACR401", "t.yaml", 6, "", "ok", "inSource"),
        ("ACR401", "t.yaml", 7, "", None, None),
        ("ACR401", "t.yaml", 4, "", None, None),
        ("ACR402", "t.yaml", 5, "", None, None),
        ("ACR401", "other.yaml", 5, "", None, None),
    ]
    assert directives["t.yaml"][0].used


def test_file_directive_and_precedence() -> None:
    directives = {"t.yaml": [d("ACR401", "whole file", 1, "file"), d("ACR401", "this line", 9)]}
    out = run([F("ACR401", line=10), F("ACR401"), F("ACR401", line=30)], directives)
    assert [f.suppressed for f in out] == ["this line", "whole file", "whole file"]


def test_metadata_covers_the_resource_and_below_only() -> None:
    metadata = {("t.json", "/resources/1"): {"ACR401": "accepted"}}
    out = run([F("ACR401", "t.json", "/resources/1"), F("ACR401", "t.json", "/resources/1/properties/x"),
               F("ACR401", "t.json", "/resources/10/properties/x"), F("ACR401", "u.json", "/resources/1"),
               F("ACR402", "t.json", "/resources/1/sku")], metadata=metadata)
    assert [(f.suppressed, f.suppression_kind) for f in out] == [
        ("accepted", "inSource"), ("accepted", "inSource"), (None, None), (None, None), (None, None)]


def test_config_suppressions_match_rule_path_and_resource() -> None:
    config = [
        Suppression("ACR401", path="legacy/**", reason="moving off", source=".acrlint.yaml", index=0),
        Suppression("ACR402", resource="*/registries/OLD*", reason="retiring", source=".acrlint.yaml", index=1),
    ]
    rid = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/oldreg"
    out = run([F("ACR401", "legacy/a/t.json"), F("ACR401", "new/t.json"), F("ACR402", "x.json", resource=rid),
               F("ACR402", "x.json", resource="Microsoft.ContainerRegistry/registries/newreg"), F("ACR402", "x.json")], config=config)
    assert [(f.suppressed, f.suppression_kind) for f in out] == [
        ("moving off", "external"), (None, None), ("retiring", "external"), (None, None), (None, None)]


def test_unused_and_reasonless_suppressions_are_reported() -> None:
    directives = {"t.yaml": [d("ACR401", None, 3, column=5, end=30), d("ACR409", "stale", 8, column=1, end=40)]}
    metadata = {("t.yaml", "/resources/0"): {"ACR402": "", "ACR403": "kept"}}
    config = [Suppression("ACR404", reason=None, source=".acrlint.yaml", index=0),
              Suppression("ACR405", reason="nothing left", source=".acrlint.yaml", index=1)]
    out = run([F("ACR401", line=4), F("ACR402", pointer="/resources/0/x"), F("ACR404", "z.yaml")], directives, metadata, config)
    assert brief(out[:3]) == [
        ("ACR401", "t.yaml", 4, "", "(no reason given)", "inSource"),
        ("ACR402", "t.yaml", None, "/resources/0/x", "(no reason given)", "inSource"),
        ("ACR404", "z.yaml", None, "", "(no reason given)", "external"),
    ]
    new = [(f.rule_id, f.severity, f.file, f.span, f.pointer, f.message) for f in out[3:]]
    assert new == [
        ("ACR007", "warning", ".acrlint.yaml", None, "/suppressions/0", "config suppression of ACR404 has no reason"),
        ("ACR007", "warning", ".acrlint.yaml", None, "/suppressions/1", "config suppression of ACR405 matches no finding; remove it"),
        ("ACR007", "warning", "t.yaml", None, "/resources/0/metadata/acrlint/disable/ACR402",
         "suppression of ACR402 in metadata.acrlint.disable has no reason"),
        ("ACR007", "warning", "t.yaml", None, "/resources/0/metadata/acrlint/disable/ACR403",
         "suppression of ACR403 in metadata.acrlint.disable matches no finding; remove it"),
        ("ACR007", "warning", "t.yaml", Span(3, 5, 3, 30), "", "suppression of ACR401 has no reason; add one after ' -- '"),
        ("ACR007", "warning", "t.yaml", Span(8, 1, 8, 40), "", "suppression of ACR409 matches no finding; remove it"),
    ]
    # distinct fingerprints, so baselines and SARIF can tell them apart
    assert len({f.fingerprint for f in out[3:]}) == 6


def test_expired_config_suppression_no_longer_applies() -> None:
    config = [Suppression("ACR401", reason="until June", expires=date(2026, 6, 1), source="cfg.yaml", index=0),
              Suppression("ACR402", reason="until July", expires=date(2026, 7, 1), source="cfg.yaml", index=1)]
    out = run([F("ACR401"), F("ACR402")], config=config)
    assert [(f.rule_id, f.suppressed) for f in out[:2]] == [("ACR401", None), ("ACR402", "until July")]
    assert [(f.rule_id, f.severity, f.file, f.pointer, f.message) for f in out[2:]] == [
        ("ACR008", "info", "cfg.yaml", "/suppressions/0",
         "config suppression of ACR401 expired on 2026-06-01 and no longer applies; fix the findings or renew it"),
    ]


def test_already_suppressed_findings_are_left_alone() -> None:
    before = Finding("ACR401", "error", "m", "t.yaml", span=Span(2, 1, 2, 2), suppressed="baseline", suppression_kind="baseline")
    directives = {"t.yaml": [d("ACR401", "why", 2)]}
    out = run([before], directives)
    assert out[0] is before
    assert [f.message for f in out[1:]] == ["suppression of ACR401 matches no finding; remove it"]


def test_enabled_rules_limits_reports() -> None:
    directives = {"t.yaml": [d("ACR401", None, 3), d("ACR499", "rule not run", 5)]}
    config = [Suppression("ACR401", reason="old", expires=date(2020, 1, 1), source="c.yaml")]
    # ACR007 at error severity; ACR008 disabled; ACR499 did not run, so its directive is not "unused"
    out = run([], directives, config=config, enabled_rules={"ACR007": "error", "ACR401": "error"})
    assert [(f.rule_id, f.severity, f.message) for f in out] == [
        ("ACR007", "error", "suppression of ACR401 has no reason; add one after ' -- '"),
        ("ACR007", "error", "suppression of ACR401 matches no finding; remove it"),
    ]
    assert run([], directives, config=config, enabled_rules=[]) == []


def test_end_to_end_from_text() -> None:
    text = "resources:\n  - type: Microsoft.ContainerRegistry/registries  # acrlint: disable=ACR401 -- demo registry\n    name: demo\n"
    directives = {"demo.yaml": parse_directives(text, "yaml")}
    out = run([F("ACR401", "demo.yaml", "/resources/0/name", line=3), F("ACR401", "demo.yaml", "/resources/0/x", line=4)], directives)
    assert [f.suppressed for f in out] == ["demo registry", None]


@pytest.mark.parametrize("rule_id", ["ACR007", "ACR008"])
def test_rule_records_follow_the_schema(rule_id: str) -> None:
    path = Path(rules_dir()) / f"{rule_id}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert validate_record(data) == []
    assert data["id"] == rule_id and data["implementation"] == "builtin"
