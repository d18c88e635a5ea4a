"""The Bicep differential: each Azure Verified Module folder holds main.bicep and main.json, the ARM template the official
Bicep compiler produced from it. acrlint must read both to the same resources and the same findings.

- parse: the .bicep files of the module read without an ACR000 finding;
- resources: the resources main.bicep expands to equal those of main.json (type, name, API version, whether a
  condition is left unknown, evaluated body without dependsOn, and the nested deployments they come from), with the
  parameters' defaults and the required parameters unknown;
- findings: the same (rule, severity, resource, property) in a preset; only the file and position differ (and the
  message names a resource whose name is unknown by its Bicep or its ARM expression). The property is the pointer
  below the resource (for a resource of a local module, below the module's template).
"""
from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from linter.api import Options, lint
from linter.arm.expand import expand_template
from linter.bicep.reader import read
from linter.model import Resource, Unknown

_TEMPLATE = re.compile(r"^.*/properties/template(?=/)")
_RESOURCE = re.compile(r"^/resources/[^/]+")
# the reader's own info findings (a registry module not followed, a file not read) have no JSON counterpart
BICEP_ONLY = {"ACR005"}


def module_dirs(root: Path) -> list[Path]:
    """Every folder below ``root`` with both main.bicep and main.json."""
    return sorted(p.parent for p in root.rglob("main.json") if (p.parent / "main.bicep").is_file())


def _plain(value: Any) -> Any:
    if isinstance(value, Unknown):
        return "<unknown>"
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def resource_key(res: Resource) -> str:
    # types are case-insensitive (the compiler writes them in the casing of its type catalog)
    body = {k: v for k, v in res.body.items() if k not in ("dependsOn", "type")}
    return json.dumps([res.type.lower(), _plain(res.name), res.api_version, res.condition is not None, _plain(body),
                       list(res.deployment_path)], sort_keys=True, default=str)


def _finding_key(f: Any) -> tuple[str, str, str, str]:
    """Rule, severity, resource and property. Not the message: a resource whose name is unknown is named by its
    name expression, which is written differently in Bicep and in ARM JSON."""
    prop = _RESOURCE.sub("", _TEMPLATE.sub("", f.pointer))
    return (f.rule_id, f.severity, f.resource or "", prop)


@dataclass
class ModuleResult:
    path: Path
    parse_errors: list[str] = field(default_factory=list)
    bicep_resources: list[str] = field(default_factory=list)
    json_resources: list[str] = field(default_factory=list)
    findings: dict[str, tuple[list[Any], list[Any]]] = field(default_factory=dict)  # preset -> (bicep, json)
    not_followed: list[str] = field(default_factory=list)  # registry modules, files not read

    @property
    def resources_equal(self) -> bool:
        return self.bicep_resources == self.json_resources

    def findings_equal(self, preset: str) -> bool:
        bicep, json_ = self.findings[preset]
        return bicep == json_

    def reason(self) -> str:
        """Why the two differ, as far as the reader can tell: what it did not follow."""
        if self.parse_errors:
            return "cannot read: " + self.parse_errors[0]
        if self.not_followed:
            return "not followed: " + "; ".join(self.not_followed)
        return ""


def compare(module: Path, presets: tuple[str, ...] = ("recommended", "strict"), tree: Path | None = None) -> ModuleResult:
    """``tree``: the linted tree, as a repository root would be (modules import '../modules/x.bicep')."""
    result = ModuleResult(module)
    bicep_path = module / "main.bicep"
    roots = [os.path.realpath(tree)] if tree is not None else None
    doc = read(bicep_path.as_posix(), bicep_path.read_text(encoding="utf-8-sig"), roots)
    result.parse_errors = [p.message for p in doc.problems if p.rule_id == "ACR000"]
    result.not_followed = sorted({p.message.split(" is not ")[0].split(" comes from")[0]
                                  for p in doc.problems if p.rule_id == "ACR005" and "imported from the registry" not in p.message})
    compiled = json.loads((module / "main.json").read_text(encoding="utf-8-sig"))
    result.bicep_resources = sorted(resource_key(r) for r in expand_template(doc.template, file=bicep_path.as_posix()).resources)
    result.json_resources = sorted(resource_key(r) for r in expand_template(compiled, file=(module / "main.json").as_posix()).resources)
    for preset in presets:
        found = []
        for path in (bicep_path, module / "main.json"):
            run = lint([path.as_posix()], Options(preset=preset, tree_roots=roots))
            found.append(sorted(_finding_key(f) for f in run.findings if f.rule_id not in BICEP_ONLY))
        result.findings[preset] = (found[0], found[1])
    return result


def parse_failures(root: Path) -> tuple[int, dict[str, str]]:
    """(number of .bicep files below ``root``, the ones with an ACR000 finding -> its first message)."""
    files = sorted(root.rglob("*.bicep"))
    failed = {}
    for path in files:
        doc = read(path.as_posix(), path.read_text(encoding="utf-8-sig"))
        errors = [p.message for p in doc.problems if p.rule_id == "ACR000"]
        if errors:
            failed[path.relative_to(root).as_posix()] = errors[0]
    return len(files), failed


def summary(results: list[ModuleResult], presets: tuple[str, ...] = ("recommended", "strict")) -> dict[str, Any]:
    out: dict[str, Any] = {
        "modules": len(results),
        "resources equal": sum(1 for r in results if r.resources_equal),
    }
    for preset in presets:
        out[f"findings equal ({preset})"] = sum(1 for r in results if r.findings_equal(preset))
    return out
