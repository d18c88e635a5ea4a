"""Turn command-line arguments (and the configuration file) into a run, execute it, and write the outputs."""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

from linter import api, baseline
from linter import config as config_mod
from linter.arm.context import DeploymentContext
from linter.context import Options
from linter.engine.rules import load_rules
from linter.paths import parse, run_root
from linter.progress import Progress
from linter.report import available_formats, render, resolve_auto
from linter.report.output import OutputError, check_destinations, warn, write_text


class SettingsError(Exception):
    pass


def _outputs(args: Any) -> list[tuple[str, str | None]]:
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
        if not stdout_specs:
            raise SettingsError("error: --output has nothing to write: every --format names its own file (FORMAT:FILE); "
                                "drop --output, or give one format without a file")
        for i in stdout_specs:
            out[i] = (out[i][0], args.output)
    return out


def from_args(args: Any) -> Options:
    """Defaults < configuration file < command line."""
    rules = load_rules()
    parameters: dict[str, Any] = {}
    for text in args.parameter:
        try:
            name, value = parse_parameter(text)
        except ValueError as exc:
            raise SettingsError(f"error: {exc}") from None
        parameters[name] = value
    config = _load_config(args, rules)
    try:
        config = config_mod.apply_cli(config, select=args.select, ignore=args.ignore, fail_on=args.fail_on,
                                      preset=args.preset, parameters=parameters)
        config = config_mod.extend_selection(config, list(getattr(args, "extend_select", None) or []), rules)
        config_mod.enabled_rules(config, rules)  # validates --select/--ignore against the known rules
    except config_mod.ConfigError as exc:
        raise SettingsError(f"error: {exc.message}") from None
    ctx = DeploymentContext()
    if args.subscription_id:
        ctx.subscription_id = args.subscription_id
    if args.resource_group:
        ctx.resource_group = args.resource_group
    if args.location:
        ctx.location = args.location
    options = Options(
        parameters_file=args.parameters,
        parameters=dict(config.parameters),
        ctx=ctx,
        select=config.select,
        ignore=list(config.ignore) or None,
        fail_on=config.fail_on,
        preset=config.preset,
        rule_settings={
            rid: {"enabled": st.enabled, "severity": st.severity, "options": dict(st.options)}
            for rid, st in config.rules.items()
        },
        exclude=_exclude(config, args),
        suppressions=list(config.suppressions),
        stdin_filename=args.stdin_filename,
        follow_symlinks=args.follow_symlinks,
        respect_gitignore=_first(getattr(args, "respect_gitignore", None), config.respect_gitignore, True),
        jobs=args.jobs if args.jobs else (os.cpu_count() or 1),
        verbose=args.verbose,
        progress=not args.quiet and _is_terminal(sys.stderr),
        show_source=bool(getattr(args, "show_source", False)),
    )
    options.formats = _outputs(args)
    # only standard output: a file named with --output or FORMAT:FILE that is also an input is refused, never skipped
    options.outputs = [None] if any(target is None for _, target in options.formats) else []
    baseline_file = args.baseline or _config_path(config, config.baseline)
    options.root = run_root(list(args.paths), baseline_file or args.write_baseline)
    if getattr(args, "max_file_size", None):
        options.max_file_size = args.max_file_size
    elif config.max_file_size is not None:
        options.max_file_size = int(config.max_file_size * 1024 * 1024)
    # --write-baseline over the baseline in use renews it (the old one is applied first); when that file does not
    # exist yet, it is created: nothing to apply
    creating = args.write_baseline is not None and baseline_file is not None and not os.path.lexists(baseline_file) \
        and os.path.abspath(baseline_file) == os.path.abspath(args.write_baseline)
    options.baseline = None if creating else baseline_file
    options.write_baseline, options.config = args.write_baseline, config
    return options


def parse_parameter(text: str) -> tuple[str, Any]:
    """--parameter NAME=VALUE: the value as JSON when it is JSON, else the text."""
    if "=" not in text:
        raise ValueError(f"--parameter expects NAME=VALUE, got {text!r}")
    name, raw = text.split("=", 1)
    try:
        value: Any = json.loads(raw)
    except ValueError:
        value = raw
    return name.strip(), value


def _config_path(config: Any, value: str | None) -> str | None:
    """A path written in the configuration (relative to its file's directory), as the working directory sees it."""
    if not value:
        return None
    return os.path.relpath(os.path.join(config_mod.config_dir(config), value))


def _is_terminal(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


def _first(*values: Any) -> Any:
    """The first value that is not None: command line, then configuration, then the default."""
    return next((v for v in values if v is not None), None)


def _exclude(config: Any, args: Any) -> list[Any]:
    """The configuration's ``exclude`` (relative to its file's directory), then ``--exclude`` (relative to the
    working directory): one ordered list, so that a ``!pattern`` on the command line can include a file again."""
    base = config_mod.config_dir(config)
    globs: list[Any] = [g for g in (parse(p, base) for p in config.exclude) if g is not None]
    return globs + list(args.exclude or [])


def _load_config(args: Any, rules: dict[str, Any]) -> Any:
    if args.config:
        path: Path | None = Path(args.config)
        if not path.is_file():  # type: ignore[union-attr]
            raise SettingsError(f"ACR002 invalid configuration: {args.config}: no such file")
    else:
        path = config_mod.find_config_file(Path.cwd())
        if path is not None:
            path = Path(os.path.relpath(path))  # messages name it the way the user sees it
    try:
        return config_mod.load_config(path, rules)
    except config_mod.ConfigError as exc:
        raise SettingsError(f"ACR002 invalid configuration: {exc.message}") from None


def execute(options: Options, args: Any) -> int:
    if args.verbose:
        config_path = options.config.path if options.config is not None else None
        warn(f"acrlint: configuration: {config_path if config_path else '(none: defaults)'}")
    progress = None
    if options.progress:
        progress = Progress(sys.stderr)
    try:
        result = api.lint(list(args.paths), options, progress)
    except baseline.BaselineError as exc:
        if progress is not None:
            progress.done()
        warn(f"acrlint: error: {exc.message}")
        return 2
    finally:
        if progress is not None:
            progress.done()  # before anything else reaches the terminal
    if args.verbose:
        for path, why in result.skipped:
            warn(f"acrlint: skipped {path}: {why}")
    # Nothing is written before every destination is known to be safe: no input overwritten, no file twice.
    destinations: list[tuple[str, str | None]] = list(options.formats)
    if options.write_baseline:
        destinations.append(("baseline", options.write_baseline))
    inputs = list(result.inputs)
    if options.config is not None and options.config.path is not None:
        inputs.append(str(options.config.path))
    if options.baseline and not _same_file(options.baseline, options.write_baseline):
        inputs.append(options.baseline)  # --write-baseline over --baseline renews it (read first): allowed
    try:
        check_destinations(destinations, inputs)
    except OutputError as exc:
        warn(f"acrlint: {exc.message}")
        return 2
    if options.write_baseline:
        try:
            write_text(options.write_baseline, baseline.baseline_text(result.findings))
        except OutputError as exc:
            warn(f"acrlint: {exc}")
            return 2
    result.include_suppressed = bool(getattr(args, "sarif_include_suppressed", False))
    result.exit_zero = bool(getattr(args, "exit_zero", False))
    result.statistics = bool(args.statistics)
    write_failed = False
    formats = [resolve_auto(dict(os.environ)) if fmt == "auto" else fmt for fmt, _ in options.formats]
    for fmt, (_, target) in zip(formats, options.formats):
        color = fmt == "text" and target is None and _use_color(args.color)
        text = render(fmt, result, color=color)
        if fmt == "text" and args.quiet:
            text = "".join(text.splitlines(keepends=True)[:-1])
        try:
            write_text(target, text, fmt)
        except OutputError as exc:  # a missing directory, a full disk, a closed pipe: said once, exit 2
            warn(f"acrlint: {exc.message}")
            write_failed = True
    if args.statistics and "text" not in formats:  # text shows them itself; the other formats keep stdout theirs
        for line in result.statistics_lines():
            warn(line)
    return 2 if write_failed else int(result.exit_code)


def _same_file(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return False
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.realpath(a) == os.path.realpath(b)


def _use_color(choice: str) -> bool:
    """--color always / never; auto: standard output is a terminal, NO_COLOR is not set (https://no-color.org: any
    non-empty value) and TERM is not dumb."""
    if choice == "always":
        return True
    if choice == "never" or os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


def describe(options: Options) -> str:
    return str(config_mod.describe(options.config, load_rules()))
