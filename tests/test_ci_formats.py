"""Issue 14 item 6: JUnit, Azure DevOps and GitLab as their readers read them. JUnit: one test case per finding,
named by rule and resource name, failures exactly as --fail-on decides, valid against tests/data/junit-10.xsd;
azure-devops: errors first, a note where the agent's 10-per-type limit cuts the summary; gitlab: GitLab's
documented Code Quality fields (tests/data/gitlab-code-quality.schema.json)."""
from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from runner import ROOT, registry, repo, run, template, write

GITLAB_SCHEMA = json.loads((ROOT / "tests" / "data" / "gitlab-code-quality.schema.json").read_text(encoding="utf-8"))
JUNIT_XSD = ROOT / "tests" / "data" / "junit-10.xsd"


def junit_valid(text: str) -> ET.Element:
    lxml = pytest.importorskip("lxml.etree", reason="lxml (a development dependency) validates against the XSD")
    lxml.XMLSchema(lxml.parse(str(JUNIT_XSD))).assertValid(lxml.fromstring(text.encode("utf-8")))
    return ET.fromstring(text)


def project(root: Path) -> Path:
    repo(root)
    write(root / "infra" / "main.json", template(
        registry("contosoprod", publicNetworkAccess="Disabled", networkRuleBypassOptions="None", adminUserEnabled=True),
        registry("contosodev", publicNetworkAccess="Disabled", networkRuleBypassOptions="None"),
        registry("contosotest", publicNetworkAccess="Enabled"),  # ACR404 (info, strict)
    ))
    return root


SELECT = ["--select", "ACR0,ACR104,ACR401,ACR404"]


def cases(root: ET.Element) -> list[tuple[str | None, str | None, str]]:
    return [(c.get("classname"), c.get("name"), c[0].tag if len(c) else "passed") for c in root.iter("testcase")]


def test_junit_one_case_per_finding_valid_against_the_xsd(tmp_path: Path) -> None:
    root = project(tmp_path / "repo")
    rc, out, _ = run(root / "infra", ".", *SELECT, "--preset", "strict", "--format", "junit")
    assert rc == 1
    doc = junit_valid(out)
    assert cases(doc) == [
        ("infra/main.json", "ACR104 bypass-disabled: contosoprod", "failure"),
        ("infra/main.json", "ACR401 admin-user-enabled: contosoprod", "failure"),
        ("infra/main.json", "ACR104 bypass-disabled: contosodev", "failure"),
        ("infra/main.json", "ACR404 public-network-access-enabled: contosotest", "skipped"),  # info: below --fail-on warning
        ("acrlint.rules", "ACR000 file-unreadable", "passed"),
        ("acrlint.rules", "ACR001 duplicate-key", "passed"),
        ("acrlint.rules", "ACR002 invalid-configuration", "passed"),
        ("acrlint.rules", "ACR003 rule-failed", "passed"),
        ("acrlint.rules", "ACR004 template-expression-error", "passed"),
        ("acrlint.rules", "ACR005 linked-template-not-followed", "passed"),
        ("acrlint.rules", "ACR006 parameter-value-invalid", "passed"),
        ("acrlint.rules", "ACR007 suppression-unjustified-or-unused", "passed"),
        ("acrlint.rules", "ACR008 suppression-expired", "passed"),
    ]
    suite = doc.find("testsuite")
    assert suite is not None
    assert {k: suite.get(k) for k in ("tests", "failures", "errors", "skipped")} == {"tests": "13", "failures": "3", "errors": "0", "skipped": "1"}


@pytest.mark.parametrize(("fail_on", "code", "failures", "skipped"), [("info", 1, 4, 0), ("warning", 1, 3, 1), ("error", 1, 1, 3),
                                                                       ("never", 0, 0, 4)])
def test_junit_fails_exactly_when_the_run_fails(tmp_path: Path, fail_on: str, code: int, failures: int, skipped: int) -> None:
    root = project(tmp_path / "repo")
    rc, out, _ = run(root, "infra", *SELECT, "--preset", "strict", "--format", "junit", "--fail-on", fail_on)
    suite = junit_valid(out).find("testsuite")
    assert suite is not None
    assert (rc, suite.get("failures"), suite.get("skipped")) == (code, str(failures), str(skipped))


def test_junit_reports_an_unreadable_file_as_an_error(tmp_path: Path) -> None:
    root = project(tmp_path / "repo")
    write(root / "infra" / "broken.json", '{"type": "Microsoft.ContainerRegistry/registries",')
    rc, out, _ = run(root, "infra", "--select", "ACR0", "--format", "junit", "--fail-on", "never")
    doc = junit_valid(out)
    assert rc == 2
    assert cases(doc)[0] == ("infra/broken.json", "ACR000 file-unreadable: broken.json", "error")


def test_junit_for_the_examples_is_valid() -> None:
    rc, out, _ = run(ROOT, "examples/", "--preset", "strict", "--format", "junit")
    assert rc == 1
    assert len([c for c in junit_valid(out).iter("testcase") if len(c)]) == 25


def test_azure_devops_lists_errors_first(tmp_path: Path) -> None:
    root = project(tmp_path / "repo")
    rc, out, _ = run(root, "infra", *SELECT, "--preset", "strict", "--format", "azure-devops")
    assert rc == 1
    assert [line.split(";code=")[1].split("]")[0] if ";code=" in line else line for line in out.splitlines()] == [
        "ACR401", "ACR104", "ACR104", "ACR404", "##vso[task.complete result=Failed;]"]


def test_azure_devops_notes_the_agents_limit_on_a_real_run(tmp_path: Path) -> None:
    root = repo(tmp_path / "repo")
    write(root / "many.json", template(*[registry(f"contosoacr{i:02d}", adminUserEnabled=True) for i in range(12)]))
    rc, out, _ = run(root, "many.json", "--select", "ACR401", "--format", "azure-devops")
    lines = out.splitlines()
    assert rc == 1 and len(lines) == 14
    assert lines[9] == ("##vso[task.logissue type=error]acrlint: 3 more errors follow in this step's log: Azure Pipelines lists 10 "
                        "issues of each type here (12 errors in all)")
    assert all(";code=ACR401]" in line for line in lines[:9] + lines[10:13])


def gitlab(cwd: Path, *args: str) -> list[dict[str, Any]]:
    rc, out, _ = run(cwd, *args, "--format", "gitlab")
    assert rc in (0, 1)
    assert not out.startswith("\ufeff")
    report = json.loads(out)
    jsonschema.validate(report, GITLAB_SCHEMA)
    assert len({issue["fingerprint"] for issue in report}) == len(report)  # GitLab keeps one issue per fingerprint
    return report


def test_gitlab_code_quality_exact(tmp_path: Path) -> None:
    root = project(tmp_path / "repo")
    write(root / ".acrlint.yaml", "suppressions:\n  - {rule: ACR104, resource: '*/contosodev', reason: dev}\n")
    report = gitlab(root, ".", *SELECT, "--preset", "strict")
    fingerprints = [issue.pop("fingerprint") for issue in report]
    assert report == [
        {"description": "Registry 'contosoprod' is network-restricted with networkRuleBypassOptions None: Microsoft Defender for "
                        "Cloud vulnerability scanning and image import to or from this registry are blocked",
         "check_name": "ACR104", "severity": "major", "location": {"path": "infra/main.json", "lines": {"begin": 15}}},
        {"description": "Registry 'contosoprod' has the admin user enabled: use Microsoft Entra identities (AcrPull/AcrPush, or "
                        "repository-scoped tokens) and set adminUserEnabled to false",
         "check_name": "ACR401", "severity": "critical", "location": {"path": "infra/main.json", "lines": {"begin": 16}}},
        {"description": "Registry 'contosotest' has public network access Enabled: set publicNetworkAccess to Disabled and reach "
                        "the registry through private endpoints (Premium SKU)",
         "check_name": "ACR404", "severity": "info", "location": {"path": "infra/main.json", "lines": {"begin": 41}}},
    ]  # contosodev's ACR104 is suppressed: left out
    # the same fingerprints from a subdirectory, and after lines move
    again = gitlab(root / "infra", "main.json", *SELECT, "--preset", "strict")
    assert [i["fingerprint"] for i in again] == fingerprints
    text = (root / "infra" / "main.json").read_text()
    (root / "infra" / "main.json").write_text("\n\n" + text)
    moved = gitlab(root, "infra", *SELECT, "--preset", "strict")
    assert [i["fingerprint"] for i in moved] == fingerprints
    assert [i["location"]["lines"]["begin"] for i in moved] == [17, 18, 43]


def test_gitlab_for_the_examples_is_valid() -> None:
    report = gitlab(ROOT, "examples/", "--preset", "strict")
    assert len(report) == 25 and {i["severity"] for i in report} == {"critical", "major", "info"}
