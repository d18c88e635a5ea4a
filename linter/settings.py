"""Turn command-line arguments (and the configuration file) into a run, execute it, and write the outputs."""
from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from typing import Any

from linter.api import Options


class SettingsError(Exception):
    pass


@dataclass
class Run:
    options: Options
    outputs: list[tuple[str, str | None]] = field(default_factory=list)  # (format, file or None for stdout)
    paths: list[str] = field(default_factory=list)
    config: Any = None


def _outputs(args: Any) -> list[tuple[str, str | None]]:
    from linter.report import available_formats

    known = available_formats()
    specs = args.format or ["text"]
    out: list[tuple[str, str | None]] = []
    for spec in specs:
        fmt, _, target = spec.partition(":")
        if fmt not in known:
            raise SettingsError(f"error: unknown format {fmt!r} (choose from {', '.join(known)})")
        out.append((fmt, target or None))
    if args.output:
        stdout_specs = [i for i, (_, t) in enumerate(out) if t is None]
        if len(stdout_specs) > 1:
            raise SettingsError("error: --output takes one format; use FORMAT:FILE for several")
        for i in stdout_specs:
            out[i] = (out[i][0], args.output)
    return out


def from_args(args: Any) -> Run:
    from linter import cli
    from linter.arm.context import DeploymentContext

    options = Options()
    config = None
    try:
        from linter import config as config_mod
    except ImportError:  # pragma: no cover - configuration support not built
        config_mod = None  # type: ignore[assignment]
    if config_mod is not None:
        config = _load_config(config_mod, args)
    parameters: dict[str, Any] = dict(getattr(config, "parameters", {}) or {})
    for text in args.parameter:
        try:
            name, value = cli._parse_parameter(text)
        except ValueError as exc:
            raise SettingsError(f"error: {exc}") from None
        parameters[name] = value
    ctx = DeploymentContext()
    if args.subscription_id:
        ctx.subscription_id = args.subscription_id
    if args.resource_group:
        ctx.resource_group = args.resource_group
    if args.location:
        ctx.location = args.location
    options.ctx = ctx
    options.parameters = parameters
    options.parameters_file = args.parameters
    options.stdin_filename = args.stdin_filename
    options.follow_symlinks = args.follow_symlinks
    options.verbose = args.verbose
    options.strict = args.strict
    options.jobs = args.jobs if args.jobs else (os.cpu_count() or 1)
    if config is not None:
        options.preset = config.preset
        options.fail_on = config.fail_on
        options.exclude = list(config.exclude)
        options.rule_settings = {
            rid: {k: v for k, v in (("enabled", s.enabled), ("severity", s.severity), ("options", s.options)) if v is not None}
            for rid, s in config.rules.items()
        }
    if args.preset:
        options.preset = args.preset
    if args.fail_on:
        options.fail_on = args.fail_on
    if args.exclude:
        options.exclude = options.exclude + args.exclude
    options.select = args.select
    options.ignore = args.ignore
    from linter.engine.rules import load_rules

    known = load_rules()
    for pattern in (args.select or []) + (args.ignore or []):
        if not any(rid.startswith(pattern.upper()) for rid in known):
            raise SettingsError(f"error: --select/--ignore: no rule matches {pattern!r}")
    return Run(options=options, outputs=_outputs(args), paths=list(args.paths), config=config)


def _load_config(config_mod: Any, args: Any) -> Any:
    from pathlib import Path

    from linter.engine.rules import load_rules

    path = Path(args.config) if args.config else config_mod.find_config_file(Path.cwd())
    if args.config and not path.is_file():
        raise SettingsError(f"error: config file {args.config}: no such file")
    try:
        return config_mod.load_config(path, load_rules())
    except config_mod.ConfigError as exc:
        raise SettingsError(f"ACR002 invalid configuration: {exc}") from None


def execute(run: Run, args: Any) -> int:
    from linter.api import lint
    from linter.report import render, resolve_auto

    result = lint(run.paths, run.options)
    if getattr(args, "baseline", None) or getattr(args, "write_baseline", None):
        result = _baseline(result, args)
    if run.config is not None and getattr(run.config, "suppressions", None) is not None:
        pass
    if args.verbose:
        for path, why in result.skipped:
            sys.stderr.write(f"acrlint: skipped {path}: {why}\n")
    for fmt, target in run.outputs:
        if fmt == "auto":
            fmt = resolve_auto(dict(os.environ))
        color = fmt == "text" and target is None and _use_color(args.color)
        text = render(fmt, result, color=color)
        if fmt == "text" and args.quiet:
            text = "".join(text.splitlines(keepends=True)[:-1])
        if target is None:
            sys.stdout.write(text)
        else:
            _write_atomic(target, text)
    if args.statistics:
        counts: dict[str, int] = {}
        for f in result.active:
            counts[f.rule_id] = counts.get(f.rule_id, 0) + 1
        for rid in sorted(counts):
            meta = result.rules.get(rid)
            sys.stderr.write(f"{counts[rid]:6d}  {rid}  {meta.name if meta else ''}\n")
    return int(result.exit_code)


def _use_color(choice: str) -> bool:
    if choice == "always":
        return True
    if choice == "never" or os.environ.get("NO_COLOR"):
        return False
    return sys.stdout.isatty()


def _write_atomic(path: str, text: str) -> None:
    import tempfile

    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".acrlint-", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _baseline(result: Any, args: Any) -> Any:
    return result


def load_effective(argv: list[str]) -> Any:
    raise SettingsError("error: configuration support is not available yet")


def describe(cfg: Any) -> str:
    return ""
