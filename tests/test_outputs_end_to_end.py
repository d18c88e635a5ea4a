"""Formats on a real run over every test fixture: SARIF validates against the official schema, JUnit parses
back to the same findings, and every format is deterministic."""
from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest

from linter.api import Options, lint
from linter.report import render

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SARIF_SCHEMA = Path(__file__).resolve().parent / "data" / "sarif-schema-2.1.0.json"


@pytest.fixture(scope="module")
def fixture_run():
    rule_dirs = sorted(str(p) for p in FIXTURES.iterdir() if p.is_dir() and p.name.startswith("ACR"))
    return lint(rule_dirs, Options(preset="strict"))


def test_sarif_over_every_fixture_is_valid(fixture_run):
    schema = json.loads(SARIF_SCHEMA.read_text())
    validator = jsonschema.validators.validator_for(schema)(schema)
    default = json.loads(render("sarif", fixture_run))
    validator.validate(default)
    assert len(default["runs"][0]["results"]) == len(fixture_run.active)
    fixture_run.include_suppressed = True
    try:
        doc = json.loads(render("sarif", fixture_run))
    finally:
        fixture_run.include_suppressed = False
    validator.validate(doc)
    results = doc["runs"][0]["results"]
    assert len(results) == len(fixture_run.findings)
    rules = doc["runs"][0]["tool"]["driver"]["rules"]
    for r in results:
        assert rules[r["ruleIndex"]]["id"] == r["ruleId"]
        assert r["partialFingerprints"]
    suppressed = [r for r in results if r.get("suppressions")]
    assert len(suppressed) == len([f for f in fixture_run.findings if f.suppressed])


def test_junit_parses_back_to_the_findings(fixture_run):
    """One test case per active finding (issue 14): a failure at or above --fail-on, skipped below, an error for
    ACR000/ACR003; valid against the JUnit schema of tests/data/junit-10.xsd when lxml is installed."""
    text = render("junit", fixture_run)
    root = ET.fromstring(text)
    outcomes = [(case.get("classname"), child.tag, child.get("type"), (child.text or "").split("\n")[0])
                for case in root.iter("testcase") for child in case if child.tag in ("failure", "error", "skipped")]
    active = fixture_run.active
    assert len(outcomes) == len(active)
    expected = sorted(f"{f.file}:{f.span.line}:{f.span.column}: {f.message}".split("\n")[0] for f in active if f.span)
    assert sorted(t for *_, t in outcomes if t.count(":") >= 3 and not t.startswith("<run>")) == expected
    assert {tag for _, tag, _, _ in outcomes} == {"failure", "error", "skipped"}
    assert [o for o in outcomes if o[1] == "error"] and all(o[2] in ("ACR000", "ACR003") for o in outcomes if o[1] == "error")
    passing = [case for case in root.iter("testcase") if not len(case)]
    assert passing, "enabled rules without findings are listed as passing test cases"
    lxml = pytest.importorskip("lxml.etree")
    schema = lxml.XMLSchema(lxml.parse(str(FIXTURES.parent / "data" / "junit-10.xsd")))
    schema.assertValid(lxml.fromstring(text.encode("utf-8")))


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "junit", "github", "azure-devops", "parsable", "gitlab"])
def test_every_format_is_deterministic(fixture_run, fmt):
    assert render(fmt, fixture_run) == render(fmt, fixture_run)
