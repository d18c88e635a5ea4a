"""Formatters: exact text for github, azure-devops and parsable; SARIF against the official schema; JUnit
parsed back."""
from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import linter
from linter.model import Finding, RuleMeta, Span
from linter.report import RunResult, available_formats, render
from linter.report.escape import shown

SARIF_SCHEMA = Path(__file__).resolve().parent / "data" / "sarif-schema-2.1.0.json"

RID = "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/reg1"
TRICKY = "100% sure; value ] bad, a:b\nsecond line\r"


def meta(rule_id: str, severity: str = "error", name: str = "", **kw: Any) -> RuleMeta:
    return RuleMeta(
        id=rule_id,
        name=name or f"rule-{rule_id.lower()}",
        title=f"Title of {rule_id}",
        severity=severity,
        message="{resource} is wrong",
        remediation=f"Fix {rule_id}.",
        docs={"what": f"Checks {rule_id}.", "why": "because", "fail": "{}", "pass": "{}"},
        **kw,
    )


RULES = {r.id: r for r in (meta("ACR101"), meta("ACR102", "warning"), meta("ACR103", "info"), meta("ACR104"))}


def findings() -> list[Finding]:
    return [
        Finding("ACR101", "error", TRICKY, "my dir/main template.json", "/resources/0/properties/adminUserEnabled",
                span=Span(3, 5, 3, 20), resource=RID),
        Finding("ACR102", "warning", "plain message", "dir:x/a,b.json", "/resources/1", span=Span(10, 1, 12, 2), resource="reg2"),
        Finding("ACR101", "error", "second on same resource", "my dir/main template.json", "/resources/0/sku",
                span=Span(7, 9, 7, 18), resource=RID),
        Finding("ACR103", "info", "no position", "x.json", resource="reg3"),
        Finding("ACR101", "error", "hidden", "x.json", "/resources/2", span=Span(2, 2, 2, 3), resource="reg4",
                suppressed="accepted risk", suppression_kind="inSource"),
        Finding("ACR102", "warning", "old one", "x.json", "/resources/3", span=Span(4, 1, 4, 5), resource="reg5",
                suppressed="baseline", suppression_kind="baseline"),
        Finding("ACR102", "warning", "config one", "x.json", "/resources/4", span=Span(5, 1, 5, 5), resource="reg6",
                suppressed="legacy registry", suppression_kind="external"),
    ]


def result(**kw: Any) -> RunResult:
    kw.setdefault("findings", findings())
    kw.setdefault("rules", dict(RULES))
    return RunResult(**kw)


def test_formats_are_discovered() -> None:
    for name in ("sarif", "junit", "github", "azure-devops", "parsable"):
        assert name in available_formats()


# ------------------------------------------------------------------------------------------------ github


def test_github_exact() -> None:
    assert render("github", result()) == (
        "::error file=my dir/main template.json,line=3,col=5,endLine=3,endColumn=20,title=ACR101"
        "::100%25 sure; value ] bad, a:b%0Asecond line%0D\n"
        "::warning file=dir%3Ax/a%2Cb.json,line=10,col=1,endLine=12,endColumn=2,title=ACR102::plain message\n"
        "::error file=my dir/main template.json,line=7,col=9,endLine=7,endColumn=18,title=ACR101::second on same resource\n"
        "::notice file=x.json,title=ACR103::no position\n"
    )


def test_github_clean_run_prints_nothing() -> None:
    assert render("github", result(findings=[])) == ""


def _parse_github(line: str) -> tuple[str, dict[str, str], str]:
    def unescape(s: str) -> str:
        return s.replace("%0D", "\r").replace("%0A", "\n").replace("%3A", ":").replace("%2C", ",").replace("%25", "%")

    assert line.startswith("::")
    head, _, data = line[2:].partition("::")
    command, _, prop_text = head.partition(" ")
    props = dict(p.split("=", 1) for p in prop_text.split(",")) if prop_text else {}
    return command, {k: unescape(v) for k, v in props.items()}, unescape(data)


text_st = st.text(st.characters(codec="utf-8"), min_size=1, max_size=40)


@given(path=text_st, message=text_st)
def test_github_escaping_round_trips(path: str, message: str) -> None:
    f = Finding("ACR101", "error", message, path, span=Span(1, 2, 3, 4))
    out = render("github", RunResult(findings=[f], rules={}))
    assert out.endswith("\n") and "\n" not in out[:-1]
    command, props, data = _parse_github(out[:-1])
    assert command == "error"
    # the runner gets the text back, except what must never reach a log raw (linter.report.escape)
    assert props["file"] == shown(path, keep_breaks=True) and props["title"] == "ACR101"
    assert data == shown(message, keep_breaks=True)


# ------------------------------------------------------------------------------------------ azure-devops


def test_azure_devops_exact() -> None:
    # errors first (the agent shows 10 issues of each type), then warnings, then info logged as warnings
    assert render("azure-devops", result()) == (
        "##vso[task.logissue type=error;sourcepath=my dir/main template.json;linenumber=3;columnnumber=5;code=ACR101]"
        "100%AZP25 sure; value ] bad, a:b%0Asecond line%0D\n"
        "##vso[task.logissue type=error;sourcepath=my dir/main template.json;linenumber=7;columnnumber=9;code=ACR101]"
        "second on same resource\n"
        "##vso[task.logissue type=warning;sourcepath=dir:x/a,b.json;linenumber=10;columnnumber=1;code=ACR102]plain message\n"
        "##vso[task.logissue type=warning;sourcepath=x.json;code=ACR103]no position\n"
        "##vso[task.complete result=Failed;]\n"
    )


def test_azure_devops_says_when_a_type_passes_the_agents_limit() -> None:
    errors = [Finding("ACR101", "error", f"e{i}", "a.json", span=Span(i, 1, i, 2)) for i in range(1, 13)]
    warnings = [Finding("ACR102", "warning", f"w{i}", "b.json", span=Span(i, 1, i, 2)) for i in range(1, 11)]
    lines = render("azure-devops", RunResult(findings=warnings + errors, rules={})).splitlines()
    issue = "##vso[task.logissue type={};sourcepath={};linenumber={};columnnumber=1;code={}]{}"
    assert lines == (
        [issue.format("error", "a.json", i, "ACR101", f"e{i}") for i in range(1, 10)]
        + ["##vso[task.logissue type=error]acrlint: 3 more errors follow in this step's log: Azure Pipelines lists 10 issues "
           "of each type here (12 errors in all)"]
        + [issue.format("error", "a.json", i, "ACR101", f"e{i}") for i in range(10, 13)]
        + [issue.format("warning", "b.json", i, "ACR102", f"w{i}") for i in range(1, 11)]  # exactly 10: no note
        + ["##vso[task.complete result=Failed;]"]
    )


def test_azure_devops_escapes_properties() -> None:
    f = Finding("ACR101", "warning", "m", "a;b]c%d\ne.json", span=Span(1, 1, 1, 2))
    out = render("azure-devops", RunResult(findings=[f], rules={}, fail_on="error"))
    assert out == (
        "##vso[task.logissue type=warning;sourcepath=a%3Bb%5Dc%AZP25d%0Ae.json;linenumber=1;columnnumber=1;code=ACR101]m\n"
        "##vso[task.complete result=SucceededWithIssues;]\n"
    )


def test_azure_devops_completion() -> None:
    info = Finding("ACR103", "info", "just so you know", "a.json", span=Span(1, 1, 1, 2))
    assert render("azure-devops", RunResult(findings=[], rules={})) == ""
    # active findings below the threshold: the task succeeds with issues (info is logged as a warning)
    assert render("azure-devops", RunResult(findings=[info], rules={}, fail_on="warning")) == (
        "##vso[task.logissue type=warning;sourcepath=a.json;linenumber=1;columnnumber=1;code=ACR103]just so you know\n"
        "##vso[task.complete result=SucceededWithIssues;]\n"
    )
    assert render("azure-devops", RunResult(findings=[info], rules={}, fail_on="info")).endswith(
        "##vso[task.complete result=Failed;]\n"
    )
    # the tool failed with nothing to report: still Failed
    assert render("azure-devops", RunResult(findings=[], rules={}, tool_failed=True)) == "##vso[task.complete result=Failed;]\n"
    # only suppressed findings: clean
    hidden = Finding("ACR101", "error", "x", "a.json", suppressed="r", suppression_kind="inSource")
    assert render("azure-devops", RunResult(findings=[hidden], rules={})) == ""


# ---------------------------------------------------------------------------------------------- parsable


def test_parsable_exact() -> None:
    assert render("parsable", result()) == (
        "my dir/main template.json:3:5: [error] 100% sure; value ] bad, a:b second line (ACR101)\n"
        "dir:x/a,b.json:10:1: [warning] plain message (ACR102)\n"
        "my dir/main template.json:7:9: [error] second on same resource (ACR101)\n"
        "x.json:1:1: [info] no position (ACR103)\n"
    )


def test_parsable_run_level_finding_without_file() -> None:
    f = Finding("ACR003", "error", "rule ACR101 failed", "")
    assert render("parsable", RunResult(findings=[f], rules={})) == "<run>:1:1: [error] rule ACR101 failed (ACR003)\n"


# ------------------------------------------------------------------------------------------------- sarif


@pytest.fixture(scope="module")
def sarif_validator() -> Any:
    if not SARIF_SCHEMA.is_file():
        pytest.skip(f"{SARIF_SCHEMA} not available")
    import jsonschema

    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)  # the file declares its own draft
    cls.check_schema(schema)
    return cls(schema)


def _errors(validator: Any, doc: Any) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(doc)]


def test_sarif_is_valid_and_complete(sarif_validator: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    run_findings = findings() + [Finding("ACR003", "error", "rule ACR104 crashed", "")]
    doc = json.loads(render("sarif", result(findings=run_findings, tool_failed=True, include_suppressed=True)))
    assert _errors(sarif_validator, doc) == []
    assert doc["version"] == "2.1.0"
    (run,) = doc["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "acrlint" and driver["version"] == linter.__version__
    assert driver["informationUri"] == "https://github.com/acrlint/acrlint"
    assert [r["id"] for r in driver["rules"]] == ["ACR101", "ACR102", "ACR103", "ACR104", "ACR003"]
    r101 = driver["rules"][0]
    assert r101["name"] == "rule-acr101"
    assert r101["shortDescription"] == {"text": "Title of ACR101"}
    assert r101["fullDescription"] == {"text": "Checks ACR101."}
    assert r101["help"]["text"] == "Fix ACR101."
    assert "Fix ACR101." in r101["help"]["markdown"]
    assert r101["helpUri"] == "https://github.com/acrlint/acrlint/blob/main/docs/rules/ACR101.md"
    assert [r["defaultConfiguration"]["level"] for r in driver["rules"][:4]] == ["error", "warning", "note", "error"]
    assert run["originalUriBaseIds"] == {"%SRCROOT%": {"uri": tmp_path.resolve().as_uri() + "/", "description": {"text": "the repository root"}}}
    assert run["invocations"] == [{"executionSuccessful": False, "workingDirectory": {"uri": tmp_path.resolve().as_uri() + "/"}}]

    results = run["results"]
    assert [r["ruleId"] for r in results] == ["ACR101", "ACR102", "ACR101", "ACR103", "ACR101", "ACR102", "ACR102", "ACR003"]
    assert [r["ruleIndex"] for r in results] == [0, 1, 0, 2, 0, 1, 1, 4]
    assert [r["level"] for r in results] == ["error", "warning", "error", "note", "error", "warning", "warning", "error"]
    first = results[0]
    assert first["message"] == {"text": TRICKY}
    loc = first["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"] == {"uri": "my%20dir/main%20template.json", "uriBaseId": "%SRCROOT%"}
    assert loc["region"] == {"startLine": 3, "startColumn": 5, "endLine": 3, "endColumn": 20}
    fingerprint = findings()[0].fingerprint
    assert first["partialFingerprints"] == {"acrlint/v1": fingerprint, "primaryLocationLineHash": fingerprint[:16] + ":1"}
    assert "suppressions" not in first
    # a ':' in the first segment would read as a URI scheme: it must be encoded
    assert results[1]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "dir%3Ax/a%2Cb.json"
    # no span: a location without a region
    assert results[3]["locations"][0]["physicalLocation"] == {"artifactLocation": {"uri": "x.json", "uriBaseId": "%SRCROOT%"}}
    # suppressed findings stay, with their kind and reason
    assert results[4]["suppressions"] == [{"kind": "inSource", "justification": "accepted risk"}]
    assert results[5]["suppressions"] == [{"kind": "external", "justification": "baseline"}]
    assert results[6]["suppressions"] == [{"kind": "external", "justification": "legacy registry"}]
    # no file at all: no location
    assert "locations" not in results[7]
    # by default suppressed and baselined findings are left out (GitHub ignores suppressions[])
    default = json.loads(render("sarif", result(findings=run_findings, tool_failed=True)))["runs"][0]["results"]
    assert [r["message"]["text"] for r in default] == [TRICKY, "plain message", "second on same resource", "no position", "rule ACR104 crashed"]


def test_sarif_uri_encoding() -> None:
    from linter.report.fmt_sarif import artifact_location

    assert artifact_location("a b/c#d%e?.json") == {"uri": "a%20b/c%23d%25e%3F.json", "uriBaseId": "%SRCROOT%"}
    assert artifact_location("./sub/ü.json") == {"uri": "sub/%C3%BC.json", "uriBaseId": "%SRCROOT%"}
    assert artifact_location("sub\\win.json") == {"uri": "sub/win.json", "uriBaseId": "%SRCROOT%"}
    assert artifact_location("/abs/x y.json") == {"uri": "file:///abs/x%20y.json"}


def test_sarif_with_every_real_rule_is_valid(sarif_validator: Any) -> None:
    from linter.engine.rules import load_rules

    try:
        rules = load_rules()
    except Exception as exc:  # noqa: BLE001 - rule records belong to other tests
        pytest.skip(f"rule records do not load: {exc}")
    doc = json.loads(render("sarif", RunResult(findings=findings(), rules=rules)))
    assert _errors(sarif_validator, doc) == []
    assert [r["id"] for r in doc["runs"][0]["tool"]["driver"]["rules"]][: len(rules)] == list(rules)


def test_sarif_clean_run_is_valid(sarif_validator: Any) -> None:
    doc = json.loads(render("sarif", RunResult(findings=[], rules={})))
    assert _errors(sarif_validator, doc) == []
    assert doc["runs"][0]["results"] == []


# ------------------------------------------------------------------------------------------------- junit


def test_junit_exact() -> None:
    # issue 14: one test case per finding, named by rule and resource name; at or above --fail-on a failure,
    # below it skipped (the default threshold is warning: ACR103 is info); suppressed findings left out
    assert render("junit", result()) == """<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="acrlint" tests="5" failures="3" errors="0" time="0">
  <testsuite name="acrlint" tests="5" failures="3" errors="0" skipped="1" time="0">
    <properties>
      <property name="acrlint.version" value="VERSION" />
      <property name="fail-on" value="warning" />
    </properties>
    <testcase classname="my dir/main template.json" name="ACR101 rule-acr101: reg1" time="0">
      <failure message="100% sure; value ] bad, a:b&#10;second line&#13;" type="ACR101">my dir/main template.json:3:5: 100% sure; value ] bad, a:b&#10;second line&#13;&#10;https://github.com/acrlint/acrlint/blob/main/docs/rules/ACR101.md</failure>
    </testcase>
    <testcase classname="dir:x/a,b.json" name="ACR102 rule-acr102: reg2" time="0">
      <failure message="plain message" type="ACR102">dir:x/a,b.json:10:1: plain message&#10;https://github.com/acrlint/acrlint/blob/main/docs/rules/ACR102.md</failure>
    </testcase>
    <testcase classname="my dir/main template.json" name="ACR101 rule-acr101: reg1 #2" time="0">
      <failure message="second on same resource" type="ACR101">my dir/main template.json:7:9: second on same resource&#10;https://github.com/acrlint/acrlint/blob/main/docs/rules/ACR101.md</failure>
    </testcase>
    <testcase classname="x.json" name="ACR103 rule-acr103: reg3" time="0">
      <skipped message="info, below the --fail-on threshold (warning): no position">x.json: no position&#10;https://github.com/acrlint/acrlint/blob/main/docs/rules/ACR103.md</skipped>
    </testcase>
    <testcase classname="acrlint.rules" name="ACR104 rule-acr104" time="0" />
  </testsuite>
</testsuites>
""".replace("VERSION", linter.__version__)


def test_junit_follows_fail_on_and_marks_tool_errors() -> None:
    crash = Finding("ACR003", "error", "rule ACR104 crashed", "", resource=None)
    never = ET.fromstring(render("junit", result(findings=findings() + [crash], fail_on="never"))).find("testsuite")
    assert never is not None
    assert [(c.get("name"), [e.tag for e in c if e.tag != "properties"]) for c in never.findall("testcase")][:6] == [
        ("ACR101 rule-acr101: reg1", ["skipped"]),
        ("ACR102 rule-acr102: reg2", ["skipped"]),
        ("ACR101 rule-acr101: reg1 #2", ["skipped"]),
        ("ACR103 rule-acr103: reg3", ["skipped"]),
        ("ACR003", ["error"]),  # acrlint could not do its job: an error whatever the threshold
        ("ACR104 rule-acr104", []),
    ]
    assert (never.get("failures"), never.get("errors"), never.get("skipped")) == ("0", "1", "4")
    info = ET.fromstring(render("junit", result(fail_on="info"))).find("testsuite")
    assert info is not None and (info.get("failures"), info.get("skipped")) == ("4", "0")


def test_junit_attribute_escaping_survives() -> None:
    f = Finding("ACR101", "error", 'a <b> & "c"\nd\x01', "f.json", span=Span(1, 1, 1, 2), resource="r&<>")
    text = render("junit", RunResult(findings=[f], rules={}))
    case = ET.fromstring(text).find("testsuite/testcase")
    assert case is not None and case.get("name") == "ACR101: r&<>"
    failure = case.find("failure")
    assert failure is not None
    # control characters are shown escaped (linter.report.escape); line breaks survive as character references
    assert failure.get("message") == 'a <b> & "c"\nd\\x01'
    assert failure.text == 'f.json:1:1: a <b> & "c"\nd\\x01\nhttps://github.com/acrlint/acrlint/blob/main/docs/rules/ACR101.md'


def test_junit_uses_enabled_rules_when_given() -> None:
    res = result(findings=[])
    res.enabled_rules = ["ACR102", "ACR104"]  # type: ignore[attr-defined]
    suite = ET.fromstring(render("junit", res)).find("testsuite")
    assert suite is not None
    assert [c.get("name") for c in suite.findall("testcase")] == ["ACR102 rule-acr102", "ACR104 rule-acr104"]
    assert (suite.get("tests"), suite.get("failures")) == ("2", "0")
