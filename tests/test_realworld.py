"""Real templates nobody on this team wrote (issue 11): Azure Verified Modules and the shared corpus, copied into
tests/data with their licences, linted with default parameters (required ones unknown).

- Their findings are a snapshot (tests/data/realworld.expected.json; `pytest --update-snapshots` rewrites it).
- They deploy in their own CI, so no template error (ACR004/ACR006) is expected; the same holds for every module
  of ../shared/avm when it is present.
- A file's findings do not depend on which other files are in the run, unless one of them declares a resource
  that relates to it: each such case is listed in RELATED with the reason.
"""
from __future__ import annotations

import json
import random
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

from linter.api import Options, lint
from linter.discover import discover

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
AVM = DATA / "avm"
CORPUS = DATA / "corpus"
SNAPSHOT = DATA / "realworld.expected.json"
SHARED_AVM = ROOT.parent / "shared" / "avm"
PRESETS = ("recommended", "strict")
TEMPLATE_ERRORS = ("ACR004", "ACR006")

# Files whose findings change when another file of the run is present, because that file relates to them.
RELATED = {
    # The ASO replication sample's owner is the Kubernetes name 'sampleregistry', which two registry samples use:
    # linted together, the replica may belong to either, so neither is told it has no replica (ACR414).
    "aso/v2/samples/containerregistry/v20230701/v20230701_registry.yaml": "aso/v2/samples/containerregistry/v20251101/v20251101_registryreplication.yaml",
    "aso/v2/samples/containerregistry/v20251101/v20251101_registry.yaml": "aso/v2/samples/containerregistry/v20251101/v20251101_registryreplication.yaml",
}


def _files() -> list[str]:
    return sorted(t.path for t in discover([str(CORPUS), str(AVM)], [], False))


def _rel(path: str) -> str:
    p = Path(path).resolve()
    for base in (CORPUS, AVM):
        if p.is_relative_to(base):
            return p.relative_to(base).as_posix()
    return p.as_posix()


def _findings(paths: list[str], preset: str) -> dict[str, list[list[Any]]]:
    result = lint(paths, Options(preset=preset))
    out: dict[str, list[list[Any]]] = defaultdict(list)
    for f in result.findings:
        out[_rel(f.file)].append([f.rule_id, f.severity, f.span.line if f.span else 0, f.span.column if f.span else 0, f.message])
    return dict(out)


def test_snapshot_of_real_world_findings(update_snapshots: bool) -> None:
    files = _files()
    got = {preset: _findings(files, preset) for preset in PRESETS}
    if update_snapshots or not SNAPSHOT.exists():
        SNAPSHOT.write_text(json.dumps(got, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    assert got == json.loads(SNAPSHOT.read_text(encoding="utf-8"))


def test_no_template_errors_on_modules_that_deploy() -> None:
    for preset in PRESETS:
        found = [(file, f) for file, fs in _findings(_files(), preset).items() for f in fs if f[0] in TEMPLATE_ERRORS]
        assert found == []


@pytest.mark.skipif(not SHARED_AVM.is_dir(), reason="../shared/avm not present")
def test_no_template_errors_on_every_azure_verified_module() -> None:
    templates = sorted(str(p) for p in SHARED_AVM.rglob("main.json"))
    result = lint(templates, Options(preset="strict"))
    assert (len(templates), result.files_linted) == (523, 523)  # 510 modules, some with child modules of their own
    assert [(f.file, f.rule_id, f.message) for f in result.findings if f.rule_id in TEMPLATE_ERRORS] == []


def _alone_and_together(files: list[str], preset: str) -> tuple[dict[str, Any], dict[str, Any]]:
    together = _findings(files, preset)
    alone: dict[str, Any] = {}
    for f in files:
        alone.update(_findings([f], preset))
    return alone, together


@pytest.mark.parametrize("preset", PRESETS)
def test_findings_of_a_file_do_not_depend_on_unrelated_files(preset: str) -> None:
    files = _files()
    alone, together = _alone_and_together(files, preset)
    changed = sorted(f for f in set(alone) | set(together) if alone.get(f) != together.get(f))
    assert all(f in RELATED for f in changed), changed
    for f in changed:  # each relating case is real: the file it relates to is the one that changes it
        partner = next(str(p) for p in files if _rel(p) == RELATED[f])
        own = next(str(p) for p in files if _rel(p) == f)
        assert _findings([own, partner], preset).get(f) == together.get(f)


def test_random_pairs_give_each_file_its_own_findings() -> None:
    files = _files()
    rng = random.Random(20261201)
    pairs = [tuple(rng.sample(files, 2)) for _ in range(40)]
    alone: dict[str, Any] = {}
    for f in files:
        alone.update(_findings([f], "strict"))
    for a, b in pairs:
        if RELATED.get(_rel(a)) == _rel(b) or RELATED.get(_rel(b)) == _rel(a):
            continue
        both = _findings([a, b], "strict")
        assert (both.get(_rel(a)), both.get(_rel(b))) == (alone.get(_rel(a)), alone.get(_rel(b))), (a, b)
