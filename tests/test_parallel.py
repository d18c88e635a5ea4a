"""The two-process split of one big run (linter.parallel): same output either way, and a safe fallback."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from linter import parallel
from linter.api import Options, lint
from linter.report import render

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"

needs_fork = pytest.mark.skipif(not parallel.can_fork(), reason="no fork on this platform")


@pytest.fixture
def forced():
    def set_force(value: bool | None) -> None:
        parallel.FORCE = value

    yield set_force
    parallel.FORCE = None


def _paths() -> list[str]:
    paths = [str(ROOT / "tests" / "fixtures"), str(ROOT / "examples")]
    if CORPUS.is_dir():
        paths.append(str(CORPUS))
    return paths


@needs_fork
@pytest.mark.parametrize("fmt", ["json", "sarif", "text"])
def test_split_and_unsplit_runs_give_identical_output(forced, fmt):
    forced(False)
    whole = render(fmt, lint(_paths(), Options(jobs=1, preset="strict")))
    forced(True)
    split = render(fmt, lint(_paths(), Options(jobs=1, preset="strict")))
    assert split == whole
    # the fixtures hold findings of every rule family, so both halves of the split had work
    assert '"ACR501"' in whole or "ACR501" in whole
    assert "ACR401" in whole


@needs_fork
def test_forked_work_runs_in_a_child_process():
    parent = os.getpid()
    assert parallel.Forked(os.getpid).result() != parent


@needs_fork
def test_a_child_that_raises_is_redone_in_the_parent():
    parent = os.getpid()

    def fails_in_child() -> str:
        if os.getpid() != parent:
            raise RuntimeError("boom")
        return "computed by the parent"

    assert parallel.Forked(fails_in_child).result() == "computed by the parent"


@needs_fork
def test_a_child_that_dies_is_redone_in_the_parent():
    parent = os.getpid()

    def dies_in_child() -> int:
        if os.getpid() != parent:
            os._exit(7)
        return 42

    assert parallel.Forked(dies_in_child).result() == 42


def test_results_that_cannot_be_pickled_are_redone_in_the_parent():
    parent = os.getpid()

    def unpicklable() -> object:
        return (lambda: None) if os.getpid() != parent else "parent"

    assert parallel.Forked(unpicklable).result() == "parent"


@needs_fork
def test_tickets_give_each_unit_to_exactly_one_process():
    tickets = parallel.Tickets(500)
    try:
        child = parallel.Forked(lambda: list(tickets))
        mine = list(tickets)
        theirs = child.result()
    finally:
        tickets.close()
    assert sorted(mine + theirs) == list(range(500))
    assert not set(mine) & set(theirs)


def test_tickets_refuse_more_units_than_a_pipe_holds():
    with pytest.raises(ValueError):
        parallel.Tickets(40_000)


def _many_entries_template(tmp_path: Path) -> str:
    """A flat template of 300 registries (five chunks of a split expansion) with findings, expression errors
    and a reference that makes one entry expand an entry of another chunk."""
    import json

    resources = []
    for i in range(300):
        props: dict[str, object] = {"adminUserEnabled": i % 3 == 0, "publicNetworkAccess": "Enabled" if i % 2 else "Disabled"}
        if i % 50 == 7:
            props["zoneRedundancy"] = "[parameters('missing')]"  # ACR004, the same message at several places
        if i == 250:
            props["anonymousPullEnabled"] = "[empty(reference(resourceId('Microsoft.ContainerRegistry/registries', 'acr00003')))]"
        resources.append({"type": "Microsoft.ContainerRegistry/registries", "apiVersion": "2023-07-01",
                          "name": f"acr{i:05d}", "location": "[resourceGroup().location]",
                          "sku": {"name": "Premium" if i % 4 else "Basic"}, "properties": props})
    doc = {"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
           "contentVersion": "1.0.0.0", "resources": resources}
    path = tmp_path / "many.json"
    path.write_text(json.dumps(doc, indent=2))
    return str(path)


@needs_fork
def test_split_expansion_in_chunks_gives_identical_output(forced, tmp_path):
    path = _many_entries_template(tmp_path)
    forced(False)
    whole = render("json", lint([path], Options(jobs=1, preset="strict")))
    forced(True)
    split = render("json", lint([path], Options(jobs=1, preset="strict")))
    assert split == whole
    assert whole.count('"ACR004"') == 6 and whole.count('"ACR401"') == 100


@needs_fork
def test_split_expansion_redoes_the_chunks_of_a_failed_child(forced, tmp_path, monkeypatch):
    # the child dies at its first chunk: the parent expands everything itself, issues included
    path = _many_entries_template(tmp_path)
    forced(False)
    whole = render("json", lint([path], Options(jobs=1, preset="strict")))
    from linter.arm import expand

    parent = os.getpid()
    real = expand.TemplateExpander._expand_apart

    def dies_in_child(self, entries):  # type: ignore[no-untyped-def]
        if os.getpid() != parent:
            os._exit(3)
        return real(self, entries)

    monkeypatch.setattr(expand.TemplateExpander, "_expand_apart", dies_in_child)
    forced(True)
    assert render("json", lint([path], Options(jobs=1, preset="strict"))) == whole


@needs_fork
def test_claimed_units_come_back_in_order_and_say_which_process_made_them():
    scheduler = parallel.Scheduler(2)
    results = scheduler.claim(50, lambda u: (u * u, os.getpid()))
    assert [value for (value, _pid), _child in results] == [u * u for u in range(50)]
    parent = os.getpid()
    for (_value, pid), in_child in results:
        assert in_child == (pid != parent)


def test_a_scheduler_of_one_job_runs_everything_here_in_order():
    scheduler = parallel.Scheduler(1)
    assert scheduler.each(lambda x: (x, os.getpid()), [3, 1, 2], paths=[]) == [(3, os.getpid()), (1, os.getpid()), (2, os.getpid())]
    assert not scheduler.wanted(10**6, 1000)
