"""JUnit XML for Azure Pipelines ``PublishTestResults`` (testResultsFormat: JUnit) and GitHub test reporters.

Layout: ``<testsuites name="acrlint">`` holding one ``<testsuite name="acrlint">``, in which

- every (rule, resource) pair with active findings is one failing ``<testcase classname="ACR101"
  name="<resource>">`` (the file when a finding has no resource), with one ``<failure message="..."
  type="ACR101">file:line:col: message</failure>`` per finding, in ``result.findings`` order;
- every enabled rule without active findings is one passing ``<testcase classname="ACR101" name="<rule name>">``,
  so the report shows what was checked. Enabled rules are read from ``result.enabled_rules`` (ids) when the
  RunResult has that attribute; otherwise every rule in ``result.rules`` counts as enabled.

``tests``/``failures`` count test cases (not findings); ``errors`` and ``skipped`` are 0. Suppressed findings are
left out. Control characters are escaped (linter.report.escape); other characters XML 1.0 cannot carry are
replaced with U+FFFD.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable

from linter.model import Finding
from linter.report import RunResult
from linter.report.escape import shown

_INVALID_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


# CR and LF inside element text are written as character references (ElementTree writes them raw there, and
# a raw line break would start a new line of the log that prints the file): marked here, replaced once
# serialised. The marks are C0 characters that _clean() never lets through from the input.
_LF_MARK, _CR_MARK = "\x00", "\x01"


def _clean(text: str) -> str:
    # shown(): control characters and ##vso[ escaped; CR and LF kept (ElementTree escapes them in attributes)
    return _INVALID_XML.sub("\ufffd", shown(text, keep_breaks=True))


def _clean_text(text: str) -> str:
    return _clean(text).replace("\r", _CR_MARK).replace("\n", _LF_MARK)


def _where(f: Finding) -> str:
    if f.span:
        return f"{f.file or '<run>'}:{f.span.line}:{f.span.column}"
    return f.file or "<run>"


def _enabled_ids(result: RunResult) -> list[str]:
    ids: Iterable[str] | None = getattr(result, "enabled_rules", None)
    return list(ids) if ids is not None else list(result.rules)


def to_xml(result: RunResult) -> ET.Element:
    cases: dict[tuple[str, str], list[Finding]] = {}
    for f in result.active:
        cases.setdefault((f.rule_id, f.resource or f.file or "<run>"), []).append(f)
    failing_rules = {rule_id for rule_id, _ in cases}

    root = ET.Element("testsuites", name="acrlint")
    suite = ET.SubElement(root, "testsuite", name="acrlint")
    for (rule_id, name), findings in cases.items():
        case = ET.SubElement(suite, "testcase", classname=rule_id, name=_clean(name), time="0")
        for f in findings:
            failure = ET.SubElement(case, "failure", message=_clean(f.message), type=_clean(f.rule_id))
            failure.text = _clean_text(f"{_where(f)}: {f.message}")
    passing = 0
    for rule_id in _enabled_ids(result):
        if rule_id in failing_rules:
            continue
        meta = result.rules.get(rule_id)
        ET.SubElement(suite, "testcase", classname=rule_id, name=meta.name if meta else rule_id, time="0")
        passing += 1
    counts = {"tests": str(len(cases) + passing), "failures": str(len(cases)), "errors": "0", "skipped": "0", "time": "0"}
    for element in (root, suite):
        element.attrib.update(counts)
    return root


def render(result: RunResult, color: bool = False) -> str:
    root = to_xml(result)
    ET.indent(root)
    text = ET.tostring(root, encoding="unicode").replace(_LF_MARK, "&#10;").replace(_CR_MARK, "&#13;")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + text + "\n"
