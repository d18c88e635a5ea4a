"""Command line: `acrlint [PATH ...]`, `acrlint rules`, `acrlint rule ID`, `acrlint config`."""
from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from linter import __version__, settings
from linter.config import suggest_rule_id
from linter.constants import SEVERITIES
from linter.docs import render_rule_text
from linter.engine.rules import load_rules
from linter.parallel import worker_died
from linter.report import available_formats
from linter.report.escape import json_safe, shown
from linter.report.output import OutputError, warn, write_text

EXIT_OK, EXIT_TOOL = 0, 2  # 1 (findings at or above --fail-on) is RunResult.exit_code's
SUBCOMMANDS = ("rules", "rule", "config")


def _warn(text: str) -> None:
    warn(text)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        _warn(f"acrlint: error: {message}")
        raise SystemExit(EXIT_TOOL)


def _csv(value: str) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()]


def _megabytes(value: str) -> int:
    try:
        mb = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of megabytes, got {value!r}") from None
    if not 0 < mb <= 1 << 30:
        raise argparse.ArgumentTypeError(f"expected a number of megabytes above 0, got {value!r}")
    return int(mb * 1024 * 1024)


def _jobs(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of processes, got {value!r}") from None
    if n < 1:
        raise argparse.ArgumentTypeError(f"expected 1 or more processes, got {value!r} (1: one process; default: one per CPU)")
    return n


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="acrlint",
        description="Lint Azure Container Registry configuration: ARM/Bicep-compiled templates, az CLI output, ARM-shaped YAML and Azure Service Operator manifests.",
        epilog="Other commands: `acrlint rules` lists the rules, `acrlint rule ACR101` explains one, `acrlint config` shows the effective configuration. To lint a directory named like a command, write ./rules.",
    )
    p.add_argument("paths", nargs="*", metavar="PATH", help="files or directories (recursively); '-' reads standard input")
    p.add_argument("--format", "-f", action="append", metavar="FORMAT[:FILE]",
                   help=f"output format: {', '.join(available_formats())} (default text); FORMAT:FILE writes that format to FILE; repeatable")
    p.add_argument("--output", "-o", metavar="FILE", help="write the output to FILE (atomically) instead of standard output")
    p.add_argument("--select", type=_csv, action="extend", metavar="IDS", help="only these rules (ids or prefixes such as ACR3), comma-separated")
    p.add_argument("--extend-select", type=_csv, action="extend", metavar="IDS",
                   help="these rules too, on top of the preset, the configuration and --select (ids or prefixes)")
    p.add_argument("--ignore", type=_csv, action="extend", metavar="IDS", help="skip these rules (ids or prefixes), comma-separated")
    p.add_argument("--fail-on", choices=[*SEVERITIES, "never"], help="lowest severity that makes the exit code 1 (default warning)")
    p.add_argument("--exit-zero", action="store_true",
                   help="exit 0 even when there are findings (2 still says acrlint could not do its job); azure-devops does not fail the task")
    p.add_argument("--preset", choices=["recommended", "strict"], help="rule set (default recommended; strict turns every rule on)")
    p.add_argument("--config", metavar="FILE", help="configuration file (default: .acrlint.yaml or pyproject.toml [tool.acrlint] found upward)")
    p.add_argument("--parameters", metavar="FILE", help="ARM parameters file applied to every template")
    p.add_argument("--parameter", "-p", action="append", default=[], metavar="NAME=VALUE", help="set a template parameter (VALUE parsed as JSON when it is JSON)")
    p.add_argument("--subscription-id", metavar="ID", help="subscription ID used for subscription() and resource IDs")
    p.add_argument("--resource-group", metavar="NAME", help="resource group name used for resourceGroup() and resource IDs")
    p.add_argument("--location", metavar="REGION", help="location of the resource group")
    p.add_argument("--stdin-filename", metavar="PATH", help="file name to report for input read from '-'")
    p.add_argument("--exclude", type=_csv, action="extend", metavar="GLOBS",
                   help="skip files and directories matching these gitignore patterns (relative to the working directory)")
    p.add_argument("--baseline", metavar="FILE", help="report only findings that are not in this baseline")
    p.add_argument("--sarif-include-suppressed", action="store_true",
                   help="keep suppressed and baselined findings in SARIF, marked with suppressions[] (by default they are left "
                        "out: GitHub code scanning ignores suppressions and would open an alert for each)")
    p.add_argument("--write-baseline", metavar="FILE", help="record the current findings as the baseline in FILE")
    p.add_argument("--max-file-size", type=_megabytes, metavar="MB",
                   help="refuse (ACR000) a file larger than this many megabytes, before reading it (default 256)")
    p.add_argument("--jobs", "-j", type=_jobs, metavar="N", help="processes to use: files in parallel, or one big template split over two (default: number of CPUs; 1: one process)")
    p.add_argument("--statistics", action="store_true",
                   help="the number of findings of each rule instead of the findings (text), or on standard error (other formats)")
    p.add_argument("--show-source", action="store_true", help="text: show the offending line under each finding")
    p.add_argument("--follow-symlinks", action="store_true", help="follow symbolic links found inside directories")
    p.add_argument("--respect-gitignore", action=argparse.BooleanOptionalAction, default=None,
                   help="leave out of directory walks what git ignores (.gitignore, .git/info/exclude); on by default")
    p.add_argument("--color", choices=["auto", "always", "never"], default="auto",
                   help="colour text output (auto, the default: on a terminal, unless NO_COLOR is set or TERM is dumb)")
    p.add_argument("-q", "--quiet", action="store_true", help="print findings only: no summary, no progress bar")
    p.add_argument("-v", "--verbose", action="store_true", help="say which files were skipped and why")
    p.add_argument("--version", action="version", version=f"acrlint {__version__}")
    return p


def _subparser(name: str, description: str) -> argparse.ArgumentParser:
    return _Parser(prog=f"acrlint {name}", description=description)


def _cmd_rules(argv: Sequence[str]) -> int:
    p = _subparser("rules", "List every rule: id, name, default severity, title and the presets that turn it on.")
    p.add_argument("--format", "-f", choices=["text", "json"], default="text", help="text (default) or json (one object per rule)")
    args = p.parse_args(list(argv))
    rules = load_rules()
    if args.format == "json":
        import json

        docs = "https://github.com/acrlint/acrlint/blob/main/docs/rules/{}.md"
        records = [{"id": m.id, "name": m.name, "title": m.title, "severity": m.severity, "presets": list(m.presets),
                    "applies_to": list(m.applies_to), "implementation": m.implementation, "remediation": m.remediation,
                    "references": list(m.references), "docs": docs.format(m.id)} for m in rules.values()]
        write_text(None, json_safe(json.dumps(records, indent=2, ensure_ascii=False)) + "\n", "json")
        return EXIT_OK
    width = max(len(m.name) for m in rules.values())
    for meta in rules.values():
        presets = ",".join(meta.presets) if meta.presets else "-"
        print(f"{meta.id}  {meta.name:<{width}}  {meta.severity:<7}  {meta.title}  [{presets}]")
    return EXIT_OK


def _cmd_rule(argv: Sequence[str]) -> int:
    p = _subparser("rule", "Explain one rule: what it does, why, a failing and a passing example (the text of docs/rules).")
    p.add_argument("rule", nargs="?", metavar="ID", help="a rule id (ACR101) or name (admin-user-enabled)")
    args = p.parse_args(list(argv))
    rules = load_rules()
    if not args.rule:
        _warn("acrlint: error: `acrlint rule` needs a rule id, e.g. `acrlint rule ACR101`")
        return EXIT_TOOL
    key = args.rule.upper()
    meta = rules.get(key) or next((m for m in rules.values() if m.name == args.rule.lower()), None)
    if meta is None:
        _warn(f"acrlint: error: unknown rule {args.rule!r}{suggest_rule_id(args.rule, rules).replace(chr(39), '')}")
        return EXIT_TOOL
    sys.stdout.write(render_rule_text(meta))
    return EXIT_OK


def _cmd_config(argv: Sequence[str]) -> int:
    try:
        cfg = settings.from_args(build_parser().parse_args(list(argv)))
    except settings.SettingsError as exc:
        _warn(f"acrlint: {exc}")
        return EXIT_TOOL
    write_text(None, "".join(shown(line) + "\n" for line in settings.describe(cfg).removesuffix("\n").split("\n")))
    return EXIT_OK


def run() -> None:
    """The `acrlint` command and `python -m linter`: main(), then exit without tearing the heap down.

    Freeing every object of a big run one by one takes Python a measurable time at exit (0.15 s after
    2,000 registries, 0.5 s after a 50 MB export) and serves no purpose in a process that is ending.
    Output is flushed first; the in-process API (main(), linter.api.lint) never exits.
    """
    code = main()
    if "coverage" in sys.modules:  # measured by coverage.py: let it save its data at exit
        raise SystemExit(code)
    try:
        sys.stdout.flush()
    except (OSError, ValueError):  # a closed pipe, a full disk: the output is incomplete
        _warn("acrlint: error: cannot write standard output")
        code = EXIT_TOOL
    try:
        sys.stderr.flush()
    except OSError:
        pass
    os._exit(code)


# Said when memory runs out: built before it does.
_OUT_OF_MEMORY = "acrlint: error: out of memory (a file too big or too deeply built for this machine?); nothing was reported"


def main(argv: Sequence[str] | None = None) -> int:
    """The command. Whatever happens, it ends with an exit code: 0, 1 (findings), 2 (the tool could not do
    its job, said in one line on stderr) or 130 (interrupted); never a traceback."""
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        return _main(argv)
    except KeyboardInterrupt:
        _warn("acrlint: interrupted")
        return 130
    except SystemExit:
        raise
    except MemoryError:
        _warn(_OUT_OF_MEMORY)
        return EXIT_TOOL
    except RecursionError:
        _warn("acrlint: error: input nested too deeply to process (recursion limit); nothing was reported")
        return EXIT_TOOL
    except BaseException as exc:  # noqa: BLE001 - the top-level guard: one line and exit 2, never a traceback
        _warn(f"acrlint: error: {_crash_text(exc)}; nothing was reported")
        return EXIT_TOOL


def _crash_text(exc: BaseException) -> str:
    if isinstance(exc, OutputError):
        return exc.message.removeprefix("error: ")
    if worker_died(exc):
        return "a worker process ended abruptly (killed, or out of memory); run with --jobs 1 to see which file"
    if isinstance(exc, OSError):
        return f"{exc.strerror or exc}" + (f": {exc.filename}" if exc.filename else "")
    return f"internal error {type(exc).__name__}: {exc} (please report it)"


def _main(argv: list[str]) -> int:
    # Subcommands win over a path of the same name; lint such a directory as ./rules or ./config.
    if argv and argv[0] in SUBCOMMANDS:
        return {"rules": _cmd_rules, "rule": _cmd_rule, "config": _cmd_config}[argv[0]](argv[1:])
    parser = build_parser()
    args = parser.parse_args(argv)
    if not args.paths:
        parser.error("no paths given (use '.' for the current directory, '-' for standard input)")
    try:
        options = settings.from_args(args)
    except settings.SettingsError as exc:
        _warn(f"acrlint: {exc}")
        return EXIT_TOOL
    return settings.execute(options, args)


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
