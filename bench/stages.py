"""Per-stage wall time of one lint run, in-process (a profiling aid next to bench/run.py; no assertions).

    python bench/stages.py bench/out/registries-2000.json [--profile STAGE]

Stages are linter.pipeline's: discover, decode, recognise, expand, relate, check, filter, locate, report, and render (json).
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

    from linter.context import Options, build_context
    from linter.discover import discover_targets
    from linter.report import fmt_json
    from linter.stages import check, decode, expand, filter, locate, recognise, relate, report

    gc.disable()  # as linter.pipeline.run does
    times: dict[str, float] = {"imports": time.perf_counter() - t0}
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

    ctx = stage("context", build_context, args.paths, Options(jobs=args.jobs))
    targets = stage("discover", discover_targets, ctx)
    states = stage("decode", lambda: [decode.run(ctx, t) for t in targets])
    states = stage("recognise", lambda: [recognise.run(ctx, s) for s in states])
    states = stage("expand", lambda: [expand.run(ctx, s) for s in states])
    inventory = stage("relate", relate.run, ctx, states)
    findings = stage("check", check.run, ctx, inventory, states)
    texts = locate.sources(ctx, states)
    findings, baseline = stage("filter", filter.run, ctx, findings, states, texts)
    findings = stage("locate", locate.run, ctx, findings, texts)
    result = stage("report", report.run, ctx, targets, states, findings, texts, baseline)
    stage("render", fmt_json.render, result)
    resources = inventory.resources
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
