"""JUnit XML for Azure Pipelines ``PublishTestResults`` (testResultsFormat: JUnit), GitLab test reports, Jenkins
and GitHub test reporters. Valid against the JUnit schema those readers follow (tests/data/junit-10.xsd).

Layout: ``<testsuites name="acrlint">`` holding one ``<testsuite name="acrlint">`` with ``<properties>`` (the
acrlint version and the ``--fail-on`` threshold), then one ``<testcase>`` per active finding, in
``result.findings`` order, so that every finding shows as its own result:

- ``classname`` is the file (relative to the repository root), ``name`` the rule and the resource's name, as
  people write it (``ACR401 admin-user-enabled: contosoprod``; the file's name when there is no resource); a
  second finding with the same name in the same file gets `` #2``;
- a finding at or above the failure threshold is a ``<failure message="..." type="ACR401">``, one below it
  (``--fail-on``) a ``<skipped>`` that says so: the report fails exactly when the run does; a file that cannot be
  read (ACR000) or a rule that crashed (ACR003) is an ``<error>``;
- the text of each is ``file:line:col: message`` and the rule's documentation.

Then every enabled rule without active findings is one passing ``<testcase classname="acrlint.rules"
name="ACR101 bypass-ignored-with-service-endpoints">``, so the report shows what was checked (enabled rules are
read from ``result.enabled_rules``, else every rule in ``result.rules``). ``tests``, ``failures``, ``errors`` and
``skipped`` count test cases. Suppressed findings are left out. Control characters are escaped
(linter.report.escape); other characters XML 1.0 cannot carry are replaced with U+FFFD.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable

import linter
from linter.constants import SEVERITY_RANK, TOOL_FAILURES, WARNING
from linter.model import Finding
from linter.report import RunResult, resource_name
from linter.report.escape import shown

_INVALID_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
RULE_DOC_URI = "https://github.com/acrlint/acrlint/blob/main/docs/rules/{id}.md"
_TOOL_ERRORS = TOOL_FAILURES  # acrlint could not do its job: an error, not a failed check

# CR and LF inside element text are written as character references (ElementTree writes them raw there, and
# a raw line break would start a new line of the log that prints the file): marked here, replaced once
# serialised. The marks are C0 characters that _clean() never lets through from the input.
_LF_MARK, _CR_MARK = "\x00", "\x01"


def _clean(text: str) -> str:
    # shown(): control characters and ##vso[ escaped; CR and LF kept (ElementTree escapes them in attributes)
    return _INVALID_XML.sub("\ufffd", shown(text, keep_breaks=True))


def _clean_text(text: str) -> str:
    return _clean(text).replace("\r", _CR_MARK).replace("\n", _LF_MARK)


def _path(f: Finding) -> str:
    return (f.repo_path if f.repo_path is not None else f.file) or "<run>"


def _where(f: Finding) -> str:
    if f.span:
        return f"{f.file or '<run>'}:{f.span.line}:{f.span.column}"
    return f.file or "<run>"


def _enabled_ids(result: RunResult) -> list[str]:
    ids: Iterable[str] | None = getattr(result, "enabled_rules", None)
    return list(ids) if ids is not None else list(result.rules)


def _outcome(f: Finding, fail_on: str) -> str:
    if f.rule_id in _TOOL_ERRORS:
        return "error"
    if fail_on != "never" and SEVERITY_RANK.get(f.severity, 0) >= SEVERITY_RANK.get(fail_on, SEVERITY_RANK[WARNING]):
        return "failure"
    return "skipped"


def case_name(f: Finding, rule_name: str | None) -> str:
    """``ACR401 admin-user-enabled: contosoprod``: the rule, then what it is about (the resource's name, else the file's)."""
    about = resource_name(f.resource) or (_path(f).rsplit("/", 1)[-1] if f.file else "")
    head = f"{f.rule_id} {rule_name}" if rule_name else f.rule_id
    return f"{head}: {about}" if about else head


def to_xml(result: RunResult) -> ET.Element:
    root = ET.Element("testsuites", name="acrlint")
    suite = ET.SubElement(root, "testsuite", name="acrlint")
    properties = ET.SubElement(suite, "properties")
    ET.SubElement(properties, "property", name="acrlint.version", value=linter.__version__)
    ET.SubElement(properties, "property", name="fail-on", value=result.fail_on)

    counts = {"failure": 0, "error": 0, "skipped": 0}
    seen: dict[tuple[str, str], int] = {}
    reported: set[str] = set()
    for f in result.active:
        meta = result.rules.get(f.rule_id)
        classname, name = _path(f), case_name(f, meta.name if meta else None)
        seen[(classname, name)] = seen.get((classname, name), 0) + 1
        if seen[(classname, name)] > 1:
            name += f" #{seen[(classname, name)]}"
        case = ET.SubElement(suite, "testcase", classname=_clean(classname), name=_clean(name), time="0")
        outcome = _outcome(f, result.fail_on)
        counts[outcome] += 1
        reported.add(f.rule_id)
        text = f"{_where(f)}: {f.message}\n{RULE_DOC_URI.format(id=f.rule_id)}"
        if outcome == "skipped":
            element = ET.SubElement(case, "skipped", message=_clean(f"{f.severity}, below the --fail-on threshold ({result.fail_on}): {f.message}"))
        else:
            element = ET.SubElement(case, outcome, message=_clean(f.message), type=_clean(f.rule_id))
        element.text = _clean_text(text)
    passing = 0
    for rule_id in _enabled_ids(result):
        if rule_id in reported:
            continue
        meta = result.rules.get(rule_id)
        ET.SubElement(suite, "testcase", classname="acrlint.rules", name=f"{rule_id} {meta.name}" if meta else rule_id, time="0")
        passing += 1
    tests = len(result.active) + passing
    root.attrib.update(tests=str(tests), failures=str(counts["failure"]), errors=str(counts["error"]), time="0")
    suite.attrib.update(tests=str(tests), failures=str(counts["failure"]), errors=str(counts["error"]),
                        skipped=str(counts["skipped"]), time="0")
    return root


def render(result: RunResult, color: bool = False) -> str:
    root = to_xml(result)
    ET.indent(root)
    text = ET.tostring(root, encoding="unicode").replace(_LF_MARK, "&#10;").replace(_CR_MARK, "&#13;")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + text + "\n"
