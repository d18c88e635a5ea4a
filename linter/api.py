"""The library interface: ``lint(paths, options) -> RunResult``. The run itself is linter.pipeline."""
from __future__ import annotations

from typing import Any

from linter.context import Options
from linter.pipeline import run
from linter.report import RunResult


def lint(paths: list[str], options: Options | None = None, progress: Any = None) -> RunResult:
    """Lint ``paths`` (files, directories, ``-`` for standard input) as one inventory, with ``options``
    (linter.context.Options: rules, parameters, suppressions, a baseline ...). Returns the run's RunResult:
    every finding with its position, suppressed ones marked, and what was linted, skipped or failed."""
    return run(paths, options, progress)


def lint_paths(paths: list[str], options: Options | None = None) -> RunResult:
    return lint(paths, options)


__all__ = ["Options", "RunResult", "lint", "lint_paths"]
