"""Per-stage wall time of one lint run, in-process (a profiling aid next to bench/run.py; no assertions).

    python bench/stages.py bench/out/registries-2000.json [--profile STAGE]

Stages follow linter.api.lint: load (read + decode), expand, inventory, rules, locate, render (json).
With --profile STAGE, that stage runs under cProfile and the top 30 functions by own time are printed.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("paths", nargs="+")
    ap.add_argument("--profile", default=None)
    ap.add_argument("--jobs", "-j", type=int, default=1)
    args = ap.parse_args()
    t0 = time.perf_counter()
    import gc

    from linter import api
    from linter.discover import discover
    from linter.engine.rules import load_rules
    from linter.inventory import Inventory
    from linter.report import RunResult, fmt_json

    gc.disable()  # as linter.api.lint does
    times: dict[str, float] = {"imports": time.perf_counter() - t0}
    options = api.Options(jobs=args.jobs)
    prof = cProfile.Profile() if args.profile else None

    def stage(name, fn, *a):
        t = time.perf_counter()
        if prof is not None and name == args.profile:
            prof.enable()
        out = fn(*a)
        if prof is not None and name == args.profile:
            prof.disable()
        times[name] = time.perf_counter() - t
        return out

    rules = stage("rules-load", load_rules)
    targets = discover(args.paths, options.exclude, options.follow_symlinks)
    states = stage("load", lambda: [api.load_file(t, options) for t in targets])
    stage("expand", lambda: [api.expand_file(s, options, None, options.jobs) for s in states if s.documents])
    resources = [r for s in states for r in s.resources]
    inventory = stage("inventory", Inventory, resources)
    runs = api.enabled_runs(rules, options)
    findings = [f for s in states for f in s.findings]
    findings += stage("rules", api._check, inventory, runs, options)
    texts = {s.path: (s.text, s.fmt) for s in states if s.text is not None and s.fmt is not None}
    findings = stage("locate", api._locate, findings, texts, options)
    findings.sort(key=lambda f: f.sort_key())
    result = RunResult(findings=findings, rules=rules, files_linted=len(states), files_skipped=0, files_failed=0,
                       skipped=[], fail_on="warning", tool_failed=False, enabled_rules=[r.meta.id for r in runs])
    stage("render", fmt_json.render, result)
    total = sum(times.values())
    print(f"{len(resources)} resources, {len(findings)} findings")
    for k, v in times.items():
        print(f"  {k:12s} {v:7.3f} s")
    print(f"  {'total':12s} {total:7.3f} s")
    if prof is not None:
        s = io.StringIO()
        pstats.Stats(prof, stream=s).sort_stats("tottime").print_stats(30)
        print(s.getvalue())


if __name__ == "__main__":
    main()
