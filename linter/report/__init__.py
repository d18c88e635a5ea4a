"""Formatters. Each format is a module ``fmt_<name>.py`` here (``-`` in the name becomes ``_``) with
``render(result: RunResult, color: bool = False) -> str``. Formats are discovered from the module names:
there is no second list to keep."""
from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass, field
from typing import Any

from linter.constants import ERROR, INFO, SEVERITY_RANK, WARNING
from linter.model import Finding, RuleMeta
from linter.report.escape import MAX_MESSAGE, cut


@dataclass
class RunResult:
    findings: list[Finding]  # located and sorted; suppressed ones included (with .suppressed set)
    rules: dict[str, RuleMeta]  # every known rule, by id (SARIF lists them all)
    files_linted: int = 0
    files_skipped: int = 0
    files_failed: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (path, why) for -v
    fail_on: str = WARNING
    baseline: dict[str, int] | None = None  # {"baselined": n, "fixed": m} when --baseline was used
    tool_failed: bool = False  # something could not be read, or a rule crashed
    enabled_rules: list[str] | None = None  # ids of the rules that ran (JUnit lists the passing ones)
    inputs: list[str] = field(default_factory=list)  # files read and linted, or used (outputs must never overwrite one)
    root: str | None = None  # the directory Finding.repo_path is relative to (the repository root): SARIF's %SRCROOT%
    include_suppressed: bool = False  # SARIF keeps suppressed and baselined results (GitHub would show them as open)
    exit_zero: bool = False  # --exit-zero: findings never make the exit code 1 (nor fail an Azure Pipelines task)
    statistics: bool = False  # --statistics: text shows the number of findings of each rule instead of the findings
    sources: dict[str, str] | None = None  # --show-source: the text of each file with findings, by Finding.file

    @property
    def active(self) -> list[Finding]:
        return [f for f in self.findings if f.suppressed is None]

    def counts(self) -> dict[str, int]:
        out = {ERROR: 0, WARNING: 0, INFO: 0}
        for f in self.active:
            out[f.severity] = out.get(f.severity, 0) + 1
        return out

    def failing(self) -> bool:
        if self.fail_on == "never":
            return False
        threshold = SEVERITY_RANK[self.fail_on]
        return any(SEVERITY_RANK.get(f.severity, 0) >= threshold for f in self.active)

    @property
    def exit_code(self) -> int:
        if self.tool_failed:
            return 2
        return 1 if self.failing() and not self.exit_zero else 0

    def statistics_lines(self) -> list[str]:
        """``count  id  name`` for every rule with active findings, most findings first."""
        counts: dict[str, int] = {}
        for f in self.active:
            counts[f.rule_id] = counts.get(f.rule_id, 0) + 1
        order = sorted(counts, key=lambda rid: (-counts[rid], rid))
        return [f"{counts[rid]:5d}  {rid}  {self.rules[rid].name if rid in self.rules else ''}".rstrip() for rid in order]


def resource_name(resource: str | None) -> str | None:
    """The name of a finding's resource as people write it: ``contosoacr`` for a registry's resource ID or for
    ``Microsoft.ContainerRegistry/registries/contosoacr``, ``contosoacr/westeurope`` for a child resource;
    anything else unchanged. Resource IDs hold the run's placeholder subscription and group: no reader needs them."""
    if not resource:
        return None
    text = resource
    at = text.lower().rfind("/providers/")
    if at >= 0:
        text = text[at + len("/providers/"):]
    elif text.startswith("/"):
        return resource
    parts = text.split("/")
    if len(parts) < 3 or "." not in parts[0]:  # not "Namespace.Provider/type/name"
        return resource
    rest = parts[1:]
    if len(rest) % 2:  # type/name pairs, or types then names ("registries/replications/acr/westeu")
        return resource
    names = rest[1::2] if at >= 0 else rest[len(rest) // 2:]  # an ID alternates type/name; a display lists types first
    return "/".join(names) or resource


def available_formats() -> list[str]:
    from linter import report

    names = [m.name[4:].replace("_", "-") for m in pkgutil.iter_modules(report.__path__) if m.name.startswith("fmt_")]
    return sorted(names + ["auto"])


def resolve_auto(env: dict[str, str]) -> str:
    if env.get("GITHUB_ACTIONS") == "true":
        return "github"
    if env.get("TF_BUILD", "").lower() == "true":
        return "azure-devops"
    return "text"


def bounded(result: RunResult) -> RunResult:
    """The result with every message and resource name cut to MAX_MESSAGE characters: a value quoted from
    a template can be megabytes long, and no format should repeat it once per finding."""
    from dataclasses import replace


    def long(f: Finding) -> bool:
        return len(f.message) > MAX_MESSAGE or (f.resource is not None and len(f.resource) > MAX_MESSAGE)

    if not any(long(f) for f in result.findings):
        return result
    findings = [
        replace(f, message=cut(f.message, MAX_MESSAGE), resource=cut(f.resource, MAX_MESSAGE) if f.resource else f.resource)
        if long(f) else f
        for f in result.findings
    ]
    return replace(result, findings=findings)


def render(fmt: str, result: RunResult, color: bool = False) -> str:
    """The text of one format. Every formatter escapes what it writes (linter.report.escape)."""
    module: Any = importlib.import_module(f"linter.report.fmt_{fmt.replace('-', '_')}")
    return module.render(bounded(result), color=color)  # type: ignore[no-any-return]
