"""The configuration of a run (Options) and what every stage is given: one frozen RunContext, built once.

Options is the one configuration type: the CLI (linter.settings) builds it from the command line and the
configuration file (linter.config reads that file into a Config, with the position of every value for its error
messages, and is done), library callers build it themselves. RunContext is what a run makes of it before the first
stage: the enabled rules with their severity and options resolved once, the linted tree, the root paths are
relative to, the clock, the scheduler and the run's caches. Stages read it and never change it (the caches
inside it fill up as the run goes; they belong to this run alone).
"""
from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from linter.arm.context import DeploymentContext
from linter.bicep.document import Documents
from linter.constants import SEVERITY_RANK, TOOL_FAILURES, WARNING
from linter.decode import MAX_FILE_SIZE
from linter.discover import tree_roots
from linter.engine.rules import load_rules, rule_is_on
from linter.engine.run import RuleRun
from linter.model import Finding, RuleMeta
from linter.parallel import Scheduler
from linter.paths import run_root


@dataclass
class Options:
    parameters_file: str | None = None
    parameters: dict[str, Any] = field(default_factory=dict)  # --parameter NAME=VALUE (and config parameters)
    ctx: DeploymentContext = field(default_factory=DeploymentContext)
    select: list[str] | None = None
    ignore: list[str] | None = None
    fail_on: str = WARNING
    preset: str = "recommended"
    rule_settings: dict[str, dict[str, Any]] = field(default_factory=dict)  # id -> {enabled, severity, options}
    exclude: list[Any] = field(default_factory=list)  # globs (linter.paths.Glob), or patterns relative to the working directory
    respect_gitignore: bool = False  # directory walks leave out what git ignores (the CLI turns it on)
    suppressions: list[Any] = field(default_factory=list)  # linter.config.Suppression entries
    baseline: str | None = None  # a baseline file: findings recorded in it come back suppressed (kind "baseline")
    today: Any = None  # datetime.date for expiring suppressions (None: today)
    stdin_filename: str | None = None
    stdin_data: bytes | None = None
    follow_symlinks: bool = False
    jobs: int = 1
    progress: bool = False  # a progress bar on stderr (the CLI sets it when stderr is a terminal)
    show_source: bool = False  # keep the text of the files with findings in the result (--show-source)
    verbose: bool = False
    max_file_size: int = MAX_FILE_SIZE  # bytes: a bigger file is refused before it is read (ACR000)
    tree_roots: list[str] | None = None  # files outside these are never read (None: from the paths linted)
    root: str | None = None  # what fingerprints, baselines and SARIF paths are relative to (None: linter.paths.run_root)
    outputs: list[str | None] = field(default_factory=list)  # files this run writes to (None: standard output): not linted
    # What the command line does around the run (linter.settings): the reports to write, (format, file or None for
    # standard output), --write-baseline, and the configuration file the options came from (linter.config.Config).
    formats: list[tuple[str, str | None]] = field(default_factory=list)
    write_baseline: str | None = None
    config: Any = None


# (values, pointers, file) of --parameters: the values every template of the run is deployed with
ExplicitParameters = tuple[dict[str, Any], dict[str, str], str]


@dataclass(frozen=True)
class RunContext:
    options: Options
    paths: tuple[str, ...]
    rules: Mapping[str, RuleMeta]  # every rule record, by id
    runs: tuple[RuleRun, ...]  # the checks to run (rules with a check), in id order, severity and options resolved
    enabled: Mapping[str, str]  # every enabled rule, reserved ones too -> its effective severity
    configured: Mapping[str, str]  # rule -> the severity the configuration gives it (over the record's and its variants')
    tree_roots: list[str]  # files outside these are never read
    root: str  # what repository paths (fingerprints, baselines, SARIF) are relative to
    today: datetime.date
    scheduler: Scheduler
    parameters: ExplicitParameters | None  # --parameters (None: each template's own parameters file)
    bicep: Documents = field(default_factory=Documents)  # the Bicep files read in this run
    locators: dict[str, Any] = field(default_factory=dict)  # file -> its Locator: positions computed once per file

    def is_enabled(self, rule_id: str) -> bool:
        """Whether a finding of ``rule_id`` is reported (a rule that has no record, none of ours, always is)."""
        return rule_id in self.enabled or rule_id not in self.rules

    def with_severity(self, finding: Finding) -> Finding:
        """``finding`` with the severity the configuration gives its rule, if any (any rule's, except the tool
        failures'); else as the rule reported it (its record's severity, or a variant's)."""
        severity = self.configured.get(finding.rule_id)
        if severity and severity != finding.severity and severity in SEVERITY_RANK and finding.rule_id not in TOOL_FAILURES:
            return finding.evolve(severity=severity)
        return finding


def rule_enabled(meta: RuleMeta, options: Options) -> bool:
    enabled = options.rule_settings.get(meta.id, {}).get("enabled")
    return rule_is_on(meta, preset=options.preset, enabled=enabled, select=options.select, ignore=options.ignore)


def build_context(paths: list[str], options: Options, parameters: ExplicitParameters | None = None) -> RunContext:
    """The effective rule set (the one place it is computed), and everything else a run needs, once."""
    rules = load_rules()
    runs: list[RuleRun] = []
    enabled: dict[str, str] = {}
    configured: dict[str, str] = {}
    for meta in rules.values():
        if not rule_enabled(meta, options):
            continue
        setting = options.rule_settings.get(meta.id, {})
        severity = setting.get("severity") or meta.severity
        enabled[meta.id] = severity
        if setting.get("severity"):
            configured[meta.id] = setting["severity"]
        if meta.implementation != "builtin":
            opts = {k: v.get("default") for k, v in meta.options.items()}
            opts.update(setting.get("options", {}))
            runs.append(RuleRun(meta, severity, opts))
    return RunContext(
        options=options,
        paths=tuple(paths),
        rules=rules,
        runs=tuple(runs),
        enabled=enabled,
        configured=configured,
        tree_roots=options.tree_roots if options.tree_roots is not None else tree_roots(paths),
        root=options.root or run_root(paths),
        today=options.today or datetime.date.today(),
        scheduler=Scheduler(options.jobs),
        parameters=parameters,
    )
