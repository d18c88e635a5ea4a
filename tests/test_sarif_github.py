"""Issue 14 item 1: SARIF as GitHub code scanning reads it (docs.github.com, "SARIF support for code scanning"):
valid against the OASIS schema; rules with tags and security-severity (Critical/High/Medium/Low) or
problem.severity; suppressed and baselined results left out by default; artifact URIs relative to the repository
root with %SRCROOT% whatever the working directory; partialFingerprints (primaryLocationLineHash, the key GitHub
reads) stable when lines move."""
from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from runner import ROOT, registry, repo, run, template, write

from linter.engine.rules import load_rules
from linter.report import RunResult, render

SCHEMA = json.loads((ROOT / "tests" / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
VALIDATOR = jsonschema.validators.validator_for(SCHEMA)(SCHEMA)


def github_problems(doc: dict[str, Any]) -> list[str]:
    """What GitHub's documented SARIF support would reject, truncate or show badly."""
    problems: list[str] = []
    if doc.get("version") != "2.1.0":
        problems.append("version")
    runs = doc.get("runs", [])
    if not 1 <= len(runs) <= 20:
        problems.append("runs")
    for run_ in runs:
        driver = run_["tool"]["driver"]
        if not driver.get("name"):
            problems.append("tool.driver.name")
        rules = driver.get("rules", [])
        if len(rules) > 25_000 or len(run_.get("results", [])) > 25_000:
            problems.append("too many rules or results")
        for rule in rules:
            rid = rule.get("id") or "?"
            if not rule.get("id"):
                problems.append("rule without id")
            if len(rule.get("name", "")) > 255:
                problems.append(f"{rid}: name over 255 characters")
            for key in ("shortDescription", "fullDescription"):
                if key in rule and (not rule[key].get("text") or len(rule[key]["text"]) > 1024):
                    problems.append(f"{rid}: {key}.text empty or over 1024 characters")
            level = rule.get("defaultConfiguration", {}).get("level", "warning")
            if level not in ("note", "warning", "error"):
                problems.append(f"{rid}: defaultConfiguration.level {level}")
            props = rule.get("properties", {})
            tags = props.get("tags", [])
            if len(tags) > 10:  # GitHub keeps 10 of at most 20
                problems.append(f"{rid}: more than 10 tags")
            if "security-severity" in props:
                score = float(props["security-severity"])
                if "security" not in tags or not 0.0 < score <= 10.0:
                    problems.append(f"{rid}: security-severity {score} without the security tag or out of range")
            elif "security" in tags:
                problems.append(f"{rid}: tagged security without a security-severity")
            if "problem.severity" in props and props["problem.severity"] not in ("error", "warning", "recommendation"):
                problems.append(f"{rid}: problem.severity")
        for result in run_.get("results", []):
            if not result.get("ruleId") or not result.get("message", {}).get("text"):
                problems.append("result without ruleId or message")
            if not result.get("locations"):
                continue
            physical = result["locations"][0]["physicalLocation"]
            uri = physical["artifactLocation"]["uri"]
            if physical["artifactLocation"].get("uriBaseId") != "%SRCROOT%" or uri.startswith(("/", "./", "../", "file:")):
                problems.append(f"{uri}: not relative to the repository root")
            if "region" in physical and physical["region"]["startLine"] < 1:
                problems.append(f"{uri}: startLine")
            if "primaryLocationLineHash" not in result.get("partialFingerprints", {}):
                problems.append(f"{uri}: no primaryLocationLineHash")
        base = run_.get("originalUriBaseIds", {}).get("%SRCROOT%", {}).get("uri", "")
        if not (base.startswith("file:///") and base.endswith("/")):
            problems.append(f"%SRCROOT% {base!r}")
    return problems


def sarif(cwd: Path, *args: str) -> dict[str, Any]:
    rc, out, err = run(cwd, *args, "--format", "sarif")
    assert rc in (0, 1), err
    doc = json.loads(out)
    assert list(VALIDATOR.iter_errors(doc)) == []
    assert github_problems(doc) == []
    return doc


def test_every_rule_descriptor_carries_the_github_fields() -> None:
    rules = load_rules()
    doc = json.loads(render("sarif", RunResult(findings=[], rules=rules)))
    assert list(VALIDATOR.iter_errors(doc)) == [] and github_problems(doc) == []
    by_id = {r["id"]: r for r in doc["runs"][0]["tool"]["driver"]["rules"]}
    assert by_id["ACR401"]["properties"] == {"tags": ["security", "registry-hardening"], "security-severity": "8.0",
                                             "implementation": "declarative"}
    assert by_id["ACR104"]["properties"]["tags"] == ["security", "trusted-services"]
    assert by_id["ACR104"]["properties"]["security-severity"] == "5.0"  # warning: Medium
    assert by_id["ACR204"]["properties"]["tags"] == ["security", "client-access"]
    assert by_id["ACR302"]["properties"]["tags"] == ["security", "roles"]
    assert by_id["ACR302"]["properties"]["security-severity"] == "2.0"  # info: Low
    assert by_id["ACR000"]["properties"] == {"tags": ["correctness", "input"], "problem.severity": "error", "implementation": "builtin"}
    assert by_id["ACR505"]["properties"]["tags"] == ["correctness", "schema"]
    assert by_id["ACR505"]["properties"]["problem.severity"] == "warning"
    for rid, rule in by_id.items():
        family = int(rid[3])
        assert ("security-severity" in rule["properties"]) is (1 <= family <= 4), rid


def test_a_run_from_anywhere_in_the_repository_names_files_from_its_root(tmp_path: Path) -> None:
    root = repo(tmp_path / "repo")
    write(root / "infra" / "prod" / "main.json", template(registry()))
    base = root.resolve().as_uri() + "/"
    for cwd, path in [(root, "infra"), (root, "."), (root / "infra", "prod/main.json"), (root / "infra" / "prod", "."),
                      (tmp_path, "repo/infra/prod/main.json")]:
        doc = sarif(cwd, path, "--select", "ACR104")
        (result,) = doc["runs"][0]["results"]
        assert result["locations"][0]["physicalLocation"]["artifactLocation"] == {"uri": "infra/prod/main.json", "uriBaseId": "%SRCROOT%"}
        assert doc["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"] == base, cwd


def test_suppressed_and_baselined_results_stay_out_of_the_security_tab_unless_asked(tmp_path: Path) -> None:
    root = repo(tmp_path / "repo")
    resource = registry(publicNetworkAccess="Disabled", networkRuleBypassOptions="None", adminUserEnabled=True,
                        anonymousPullEnabled=True)
    resource["metadata"] = {"acrlint": {"disable": {"ACR402": "public images"}}}
    write(root / "main.json", template(resource))
    select = ["--select", "ACR104,ACR401,ACR402"]
    assert run(root, "main.json", "--select", "ACR401", "--write-baseline", "b.json")[0] == 1
    results = sarif(root, "main.json", *select, "--baseline", "b.json")["runs"][0]["results"]
    assert [r["ruleId"] for r in results] == ["ACR104"]
    results = sarif(root, "main.json", *select, "--baseline", "b.json", "--sarif-include-suppressed")["runs"][0]["results"]
    assert [(r["ruleId"], r.get("suppressions")) for r in results] == [
        ("ACR104", None),
        ("ACR401", [{"kind": "external", "justification": "baseline"}]),
        ("ACR402", [{"kind": "inSource", "justification": "public images"}]),
    ]


def test_fingerprints_survive_lines_moving(tmp_path: Path) -> None:
    root = repo(tmp_path / "repo")
    shutil.copy(ROOT / "examples" / "main.json", root / "main.json")
    shutil.copy(ROOT / "examples" / "main.parameters.json", root / "main.parameters.json")

    def fingerprints() -> list[tuple[str, str, int]]:
        results = sarif(root, "main.json", "--preset", "strict")["runs"][0]["results"]
        return [(r["ruleId"], r["partialFingerprints"]["primaryLocationLineHash"],
                 r["locations"][0]["physicalLocation"]["region"]["startLine"]) for r in results]

    before = fingerprints()
    text = (root / "main.json").read_text()
    (root / "main.json").write_text("\n\n\n" + json.dumps(json.loads(text), indent=4))  # moved and reformatted
    after = fingerprints()
    assert len(before) > 5
    assert sorted((rule, fp) for rule, fp, _ in before) == sorted((rule, fp) for rule, fp, _ in after)
    assert [line for _, _, line in before] != [line for _, _, line in after]
    assert len({fp for _, fp, _ in before}) == len(before)  # one alert per finding


def test_a_severity_changed_by_configuration_changes_the_security_severity(tmp_path: Path) -> None:
    root = repo(tmp_path / "repo")
    write(root / "main.json", template(registry()))
    write(root / ".acrlint.yaml", "rules:\n  ACR104: error\n")
    rules = {r["id"]: r for r in sarif(root, "main.json")["runs"][0]["tool"]["driver"]["rules"]}
    assert rules["ACR104"]["properties"]["security-severity"] == "8.0"
    assert rules["ACR104"]["defaultConfiguration"] == {"level": "error"}


@pytest.mark.parametrize("path", ["examples/", "examples/bicep/"])
def test_the_examples_are_valid_github_sarif(path: str) -> None:
    doc = sarif(ROOT, path, "--preset", "strict")
    assert doc["runs"][0]["results"]
