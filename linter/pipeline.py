"""A run, stage by stage (each stage is a module of linter.stages; linter.stages says what each does):

    discover -> decode -> recognise -> expand -> relate -> check -> filter -> locate -> report

Every stage is given the same frozen RunContext (linter.context), built once before the first. Files are decoded,
recognised and expanded one by one, or by a pool of processes (linter.parallel, the only place that starts processes).
"""
from __future__ import annotations

import gc
import sys
from typing import Any

from linter.context import Options, RunContext, build_context
from linter.discover import Target, discover_targets
from linter.progress import Progress
from linter.report import RunResult
from linter.stages import check, decode, expand, filter, locate, recognise, relate, report


def run(paths: list[str], options: Options | None = None, progress: Any = None) -> RunResult:
    """Lint ``paths`` as one inventory.

    ``progress``: a linter.progress.Progress the run reports its stages to (with ``options.progress`` and none
    given, one on standard error, cleared at the end).

    The cyclic garbage collector is paused for the run: the pipeline builds millions of small objects that
    all live until the end, and the collector's passes over them cost about 20 % of a big run (measured:
    50 MB export 20.8 s -> 16.9 s, same peak memory). Reference counting still frees everything else.
    """
    options = options or Options()
    was_enabled = gc.isenabled()
    gc.disable()
    own = progress is None and options.progress
    if own:
        progress = Progress(sys.stderr)
    try:
        return _run(paths, options, progress)
    finally:
        if own:
            progress.done()
        if was_enabled:
            gc.enable()


def _run(paths: list[str], options: Options, progress: Any) -> RunResult:
    parameters, unreadable = decode.explicit_parameters(options)
    ctx = build_context(paths, options, parameters)
    targets = discover_targets(ctx)
    if progress:
        progress.stage("reading files", len(targets))
    states = ctx.scheduler.each(lambda target: _per_file(ctx, target), targets,
                                paths=None if any(t.path == "-" for t in targets) else [t.path for t in targets],
                                step=progress.step if progress else None)
    inventory = relate.run(ctx, states)
    if progress:
        progress.stage("checking rules", len(ctx.runs))
    findings = check.run(ctx, inventory, states, progress)
    if unreadable is not None:  # --parameters that cannot be read: said, and the exit code says so
        findings.append(unreadable)
    if progress:
        progress.stage("placing findings")
    texts = locate.sources(ctx, states)
    findings, baseline = filter.run(ctx, findings, states, texts)
    findings = locate.run(ctx, findings, texts)
    return report.run(ctx, targets, states, findings, texts, baseline)


def _per_file(ctx: RunContext, target: Target) -> decode.FileState:
    """The per-file stages of one file (in a worker process when the scheduler pools them)."""
    return expand.run(ctx, recognise.run(ctx, decode.run(ctx, target)))
