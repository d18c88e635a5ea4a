"""The fixture convention: tests/fixtures/<RULE>/<case> where a case is a file (pass-*, fail-*, absent-*) or a
directory of files linted together, with <case>.expected.json beside it (fail-x.json -> fail-x.expected.json,
fail-x.yaml -> fail-x.yaml.expected.json, fail-x.bicep -> fail-x.bicep.expected.json) holding the findings of that rule:
[{"rule_id", "severity", "line", "column", "pointer", "message"}]. Optional <case>.options.json: {"rule_settings": {...},
"parameters": {...}} for rules with options."""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).resolve().parent / "fixtures"
RULE_DIR = re.compile(r"^ACR[0-9]{3}$")
CASE_PREFIXES = ("pass-", "fail-", "absent-")


def cases() -> list[tuple[str, Path]]:
    out = []
    for rule_dir in sorted(p for p in FIXTURES.iterdir() if p.is_dir() and RULE_DIR.match(p.name)):
        for entry in sorted(rule_dir.iterdir()):
            name = entry.name
            if not name.startswith(CASE_PREFIXES) or name.endswith((".expected.json", ".options.json")):
                continue
            out.append((rule_dir.name, entry))
    return out


def _stem(path: Path) -> str:
    """fail-x.json -> fail-x; fail-x.yaml -> fail-x.yaml (so a JSON and a YAML case may share a name); dir d -> d."""
    return path.name[:-5] if path.is_file() and path.name.endswith(".json") else path.name


def case_key(path: Path) -> Path:
    """fail-x.json -> fail-x.expected.json; fail-x.yaml -> fail-x.yaml.expected.json; directory d -> d.expected.json."""
    return path.with_name(_stem(path) + ".expected.json")


def lint_case(rule_id: str, path: Path) -> list[dict[str, Any]]:
    from linter.api import Options, lint

    opts_path = path.with_name(_stem(path) + ".options.json")
    options = Options(select=[rule_id], preset="strict")
    if opts_path.is_file():
        extra = json.loads(opts_path.read_text())
        options.rule_settings = extra.get("rule_settings", {})
        options.parameters = extra.get("parameters", {})
    result = lint([str(path)], options)
    base = path if path.is_dir() else path.parent
    out = []
    for f in result.findings:
        if f.rule_id != rule_id:
            continue
        rel = Path(f.file).resolve().relative_to(base.resolve()).as_posix() if path.is_dir() else None
        item = {"rule_id": f.rule_id, "severity": f.severity, "line": f.span.line if f.span else None,
                "column": f.span.column if f.span else None, "pointer": f.pointer, "message": f.message}
        if rel is not None:
            item = {"file": rel, **item}
        out.append(item)
    return out
