"""The guarantees acrlint makes, each backed by a test:

1. it never executes its input (YAML Python tags, expressions that look like code, shell syntax);
2. it never touches the network (no socket is connected or resolved, whatever the templates link to);
3. it writes only the outputs asked for, atomically (no temp files left, nothing else touched);
4. every file named is reported: linted, skipped or failed (files_linted + files_skipped + files_failed == N).
"""
from __future__ import annotations

import builtins
import json
import os
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from linter.api import Options, lint
from tests.helpers import restricted_registry as registry
from tests.helpers import template

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path(os.environ.get("ACRLINT_SHARED", ROOT.parent / "shared")) / "corpus"


def acrlint(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONDONTWRITEBYTECODE="1")
    return subprocess.run([sys.executable, "-m", "linter", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=120, env=env, stdin=subprocess.DEVNULL)


@pytest.fixture
def work(tmp_path: Path) -> Path:
    (tmp_path / ".acrlint.yaml").write_text("fail-on: warning\n")  # keep stray config files upward out of the run
    w = tmp_path / "w"
    w.mkdir()
    return w


# --------------------------------------------------------------------------- 1. never executes input

CODE_LIKE_YAML = [
    "!!python/object/apply:os.system ['touch pwned']\n",
    "a: !!python/object/apply:os.system ['touch pwned']\n",
    "a: !!python/object/apply:subprocess.check_call [[touch, pwned]]\n",
    "a: !!python/object/new:subprocess.Popen {args: [touch, pwned]}\n",
    "a: !!python/name:os.system\n",
    "a: !!python/module:os\n",
    "- !!python/object:__main__.X {a: 1}\n",
    "!<tag:yaml.org,2002:python/object/apply:os.system> ['touch pwned']\n",
    "%TAG !p! tag:yaml.org,2002:python/\n---\na: !p!object/apply:os.system ['touch pwned']\n",
]

CODE_LIKE_TEMPLATES = [
    template([registry("[__import__('os').system('touch pwned')]")]),
    template([registry("[eval('__import__(\"os\").system(\"touch pwned\")')]")]),
    template([registry("[exec('open(\"pwned\", \"w\")')]")]),
    template([registry("$(touch pwned)")]),
    template([registry("`touch pwned`")]),
    template([registry("[concat('a', '; touch pwned')]")]),
    template([registry("[json('{\"__class__\": \"os.system\"}').__class__]")]),
    template([registry("[variables('x')]")], variables={"x": "[string(createObject('__reduce__', 'os.system'))]"}),
    template([registry("[ns.f('touch pwned')]")], functions=[{"namespace": "ns", "members": {"f": {
        "parameters": [{"name": "c", "type": "string"}],
        "output": {"type": "string", "value": "[__import__('os').system(parameters('c'))]"}}}}]),
]


@pytest.fixture
def no_execution(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record (and refuse) every way to run a program or evaluate Python source."""
    calls: list[str] = []

    def refuse(name: str) -> Any:
        def f(*args: Any, **kwargs: Any) -> Any:
            calls.append(f"{name}{args!r}")
            raise AssertionError(f"acrlint called {name}")
        return f

    lint(["/nonexistent.json"], Options(jobs=1))  # import everything lint needs before the traps are set
    for mod, names in ((os, ("system", "popen", "execv", "execve", "execvp", "spawnv", "posix_spawn", "fork")),
                       (subprocess, ("Popen", "run", "call", "check_call", "check_output"))):
        for name in names:
            if hasattr(mod, name):
                monkeypatch.setattr(mod, name, refuse(f"{mod.__name__}.{name}"))
    monkeypatch.setattr(builtins, "eval", refuse("eval"))
    monkeypatch.setattr(builtins, "__import__", _guarded_import(builtins.__import__, calls))
    return calls


def _guarded_import(real: Any, calls: list[str]) -> Any:
    def guarded(name: str, *args: Any, **kwargs: Any) -> Any:
        if name.split(".")[0] in ("subprocess", "pty", "pickle", "marshal", "ctypes"):
            calls.append(f"import {name}")
        return real(name, *args, **kwargs)
    return guarded


@pytest.mark.parametrize("text", CODE_LIKE_YAML)
def test_yaml_python_tags_never_construct_objects(work: Path, monkeypatch: pytest.MonkeyPatch,
                                                  no_execution: list[str], text: str) -> None:
    # in a file that looks like an Azure definition the tag is an error; elsewhere the file is skipped (issue 14);
    # either way nothing is constructed
    (work / "tag.yaml").write_text(text + "# Microsoft.ContainerRegistry/registries\n")
    (work / "other.yaml").write_text(text)
    monkeypatch.chdir(work)
    result = lint(["tag.yaml", "other.yaml"], Options(jobs=1))
    assert [(f.rule_id, f.file, f.message.split(":")[0]) for f in result.findings] == [("ACR000", "tag.yaml", "cannot parse YAML")]
    assert "tag" in result.findings[0].message
    assert [p for p, _ in result.skipped] == ["other.yaml"]
    assert result.exit_code == 2
    assert not (work / "pwned").exists()
    assert no_execution == []


@pytest.mark.parametrize("doc", CODE_LIKE_TEMPLATES, ids=range(len(CODE_LIKE_TEMPLATES)))
def test_expressions_that_look_like_code_are_never_run(work: Path, monkeypatch: pytest.MonkeyPatch,
                                                      no_execution: list[str], doc: Any) -> None:
    (work / "t.json").write_text(json.dumps(doc))
    monkeypatch.chdir(work)
    result = lint(["t.json"], Options(jobs=1))
    assert result.files_linted == 1 and not result.tool_failed
    assert not (work / "pwned").exists()
    assert no_execution == []


def test_cli_never_runs_yaml_tags(work: Path) -> None:
    for i, text in enumerate(CODE_LIKE_YAML):
        (work / f"t{i}.yaml").write_text(text + "# Microsoft.ContainerRegistry/registries\n")
        (work / f"other{i}.yaml").write_text(text)
    proc = acrlint(work, ".")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert proc.stdout.count("error ACR000 cannot parse YAML: ") == len(CODE_LIKE_YAML)
    assert not (work / "pwned").exists()


# --------------------------------------------------------------------------- 2. never touches the network

LINKED = template([
    {"type": "Microsoft.Resources/deployments", "apiVersion": "2022-09-01", "name": name,
     "properties": {"mode": "Incremental", "templateLink": link, "parametersLink": {"uri": "https://example.com/p.json"}}}
    for name, link in (
        ("uri", {"uri": "https://raw.githubusercontent.com/Azure/azure-quickstart-templates/master/x/azuredeploy.json"}),
        ("expr", {"uri": "[uri(deployment().properties.templateLink.uri, 'nested/registry.json')]"}),
        ("http", {"uri": "http://169.254.169.254/metadata/instance?api-version=2021-02-01"}),
        ("spec", {"id": "/subscriptions/0/resourceGroups/rg/providers/Microsoft.Resources/templateSpecs/s/versions/1"}),
        ("relative-url", {"relativePath": "https://example.com/nested.json"}),
        ("unc", {"relativePath": "//server/share/nested.json"}),
    )
] + [registry("[reference('https://example.com/x').loginServer]")])


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    attempts: list[str] = []

    def refuse(name: str) -> Any:
        def f(*args: Any, **kwargs: Any) -> Any:
            attempts.append(f"{name}{args[1:]!r}")
            raise OSError(f"network access attempted: {name}")
        return f

    monkeypatch.setattr(socket.socket, "connect", refuse("socket.connect"))
    monkeypatch.setattr(socket.socket, "connect_ex", refuse("socket.connect_ex"))
    monkeypatch.setattr(socket.socket, "sendto", refuse("socket.sendto"))
    monkeypatch.setattr(socket, "create_connection", refuse("socket.create_connection"))
    monkeypatch.setattr(socket, "getaddrinfo", refuse("socket.getaddrinfo"))
    monkeypatch.setattr(socket, "gethostbyname", refuse("socket.gethostbyname"))
    import urllib.request

    monkeypatch.setattr(urllib.request, "urlopen", refuse("urllib.request.urlopen"))
    return attempts


def test_linked_templates_are_not_fetched(work: Path, monkeypatch: pytest.MonkeyPatch, no_network: list[str]) -> None:
    (work / "main.json").write_text(json.dumps(LINKED, indent=2))
    monkeypatch.chdir(work)
    result = lint(["main.json"], Options(jobs=1))
    assert no_network == []
    linked = [f for f in result.findings if f.rule_id == "ACR005"]
    assert len(linked) == 6 and all("is not followed" in f.message for f in linked)
    assert not result.tool_failed


@pytest.mark.skipif(not CORPUS.is_dir(), reason="shared corpus not present")
def test_whole_corpus_without_network(no_network: list[str]) -> None:
    result = lint([str(CORPUS)], Options(jobs=1))
    assert no_network == []
    assert result.files_linted > 0


@pytest.mark.skipif(not CORPUS.is_dir(), reason="shared corpus not present")
def test_corpus_in_parallel_workers_without_network(no_network: list[str]) -> None:
    # forked workers inherit the traps; a worker that tried would fail its files, which would show here
    result = lint([str(CORPUS)], Options(jobs=2))
    assert no_network == [] and result.files_failed == 0


# --------------------------------------------------------------------------- 3. writes only what was asked


def _snapshot(root: Path) -> dict[str, tuple[int, int]]:
    out = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            p = Path(dirpath, name)
            st = p.lstat()
            out[p.relative_to(root).as_posix()] = (st.st_mtime_ns, st.st_size)
    return out


def _populate(w: Path) -> None:
    (w / "infra" / "nested").mkdir(parents=True)
    (w / "infra" / "main.json").write_text(json.dumps(template([registry()]), indent=2))
    (w / "infra" / "main.parameters.json").write_text(json.dumps(
        {"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#",
         "contentVersion": "1.0.0.0", "parameters": {}}))
    (w / "infra" / "nested" / "aso.yaml").write_text(
        "apiVersion: containerregistry.azure.com/v1api20230701\nkind: Registry\nmetadata:\n  name: acr\n"
        "spec:\n  location: westeurope\n  sku: {name: Premium}\n  adminUserEnabled: true\n")
    (w / "infra" / "broken.json").write_text('{"type": "Microsoft.ContainerRegistry/registries", "a": ')
    (w / "infra" / "package.json").write_text('{"name": "x"}')


def test_lint_writes_nothing(work: Path) -> None:
    _populate(work)
    before = _snapshot(work.parent)
    proc = acrlint(work, "infra", "--format", "json", "--statistics")
    assert proc.returncode == 2 and json.loads(proc.stdout)["findings"]
    assert _snapshot(work.parent) == before


def test_output_file_is_the_only_new_file_and_is_replaced_atomically(work: Path) -> None:
    _populate(work)
    out = work / "report.sarif"
    out.write_text("old report\n")
    os.link(out, work / "old-inode")  # an in-place write would change this one too
    before = _snapshot(work.parent)
    proc = acrlint(work, "infra", "--format", "sarif", "--output", "report.sarif")
    assert proc.returncode == 2 and proc.stdout == ""
    after = _snapshot(work.parent)
    assert set(after) == set(before)
    changed = {k for k in after if after[k] != before[k]}
    assert changed == {"w", "w/report.sarif"}  # the directory changes: a temp file was renamed over the report
    assert json.loads(out.read_text())["version"] == "2.1.0"
    assert (work / "old-inode").read_text() == "old report\n"


def test_several_outputs_and_nothing_else(work: Path) -> None:
    _populate(work)
    (work / "out").mkdir()
    before = set(_snapshot(work.parent))
    proc = acrlint(work, "infra", "--format", "json:out/r.json", "--format", "junit:out/r.xml", "--format", "text")
    assert proc.returncode == 2 and proc.stdout.splitlines()[-1].endswith(", 1 failed")
    assert set(_snapshot(work.parent)) - before == {"w/out/r.json", "w/out/r.xml"} and before - set(_snapshot(work.parent)) == set()


@pytest.mark.parametrize("target", ["missing-dir/report.json", "a-directory"])
def test_unwritable_output_is_a_clear_error_and_leaves_nothing(work: Path, target: str) -> None:
    # regression: a traceback and exit code 1 (read by CI as "findings") when the output could not be written
    _populate(work)
    (work / "a-directory").mkdir()
    before = _snapshot(work.parent)
    proc = acrlint(work, "infra", "--format", "json", "--output", target)
    reason = "No such file or directory" if "/" in target else "Is a directory"
    assert (proc.returncode, proc.stdout, proc.stderr) == (2, "", f"acrlint: error: cannot write {target}: {reason}\n")
    after = _snapshot(work.parent)
    # the temp file was created beside the target and removed again: only the directory's mtime moved
    assert {k: v for k, v in after.items() if k != "w"} == {k: v for k, v in before.items() if k != "w"}


# --------------------------------------------------------------------------- 4. every file named is reported

POOL: dict[str, bytes | None] = {
    "good.json": json.dumps(template([registry()])).encode(),
    "good.yaml": b"type: Microsoft.ContainerRegistry/registries\nname: acr\nproperties: {adminUserEnabled: true}\n",
    "aso.yaml": b"apiVersion: containerregistry.azure.com/v1api20230701\nkind: Registry\nmetadata: {name: acr}\nspec: {}\n",
    "package.json": b'{"name": "x", "version": "1.0.0"}',
    "k8s.yaml": b"apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\n",
    "comment.yaml": b"# nothing\n",
    "empty.json": b"",
    "truncated.json": b'{"resources": [{"type": "Microsoft.ContainerRegistry/registries",',
    "binary.json": b"\x00\x01\x02\xff",
    "latin1.json": '{"a": "é"}'.encode("latin-1"),
    "dup.json": b'{"a": 1, "a": 2}',
    "tag.yaml": b"a: !!python/name:os.system\n",
    "azure-tag.yaml": b"type: Microsoft.ContainerRegistry/registries\na: !!python/name:os.system\n",
    "readme.txt": b"plain text named explicitly\n",
    "params.json": json.dumps({"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#",
                               "parameters": {}}).encode(),
    "missing.json": None,
}


@pytest.fixture
def pool(work: Path) -> Any:
    import signal

    for name, data in POOL.items():
        if data is not None:
            (work / name).write_bytes(data)
    os.symlink("nowhere.json", work / "dangling.json")
    os.mkfifo(work / "fifo.json")

    def hung(signum: int, frame: Any) -> None:
        raise TimeoutError("lint() blocked: was the FIFO opened?")

    # opening a FIFO blocks until a writer comes: turn a regression into a failure, not a hung test run
    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(120)
    try:
        yield work
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _accounted(result: Any) -> int:
    return int(result.files_linted + result.files_skipped + result.files_failed)


def test_every_named_file_is_accounted_for(pool: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(pool)
    names = sorted(POOL) + ["dangling.json", "fifo.json"]
    result = lint(names, Options(jobs=1))
    assert _accounted(result) == len(names)
    failed = {f.file for f in result.findings if f.rule_id == "ACR000"}
    # issue 14: empty, binary, Latin-1 and tagged files that do not look like Azure definitions are skipped
    assert failed == {"truncated.json", "azure-tag.yaml", "missing.json", "dangling.json", "fifo.json"}
    assert result.files_failed == len(failed)
    assert {p for p, _ in result.skipped} | failed | {f.file for f in result.findings} >= set(names) - {"good.json", "params.json"}


@pytest.mark.parametrize("jobs", [1, 2])
def test_every_subset_is_accounted_for(pool: Path, monkeypatch: pytest.MonkeyPatch, jobs: int) -> None:
    import random

    monkeypatch.chdir(pool)
    names = sorted(POOL) + ["dangling.json", "fifo.json"]
    rng = random.Random(jobs)
    for _ in range(10):
        subset = rng.sample(names, rng.randint(1, len(names)))
        result = lint(subset, Options(jobs=jobs))
        assert _accounted(result) == len(subset), subset


def test_cli_summary_counts_every_named_file(pool: Path) -> None:
    names = sorted(POOL) + ["dangling.json", "fifo.json"]
    proc = acrlint(pool, "--format", "text", *names)
    last = proc.stdout.splitlines()[-1]
    # "... in L files linted, S skipped, F failed"
    counts = [int(w) for w in last.split(" in ", 1)[1].replace(",", "").split() if w.isdigit()]
    assert sum(counts) == len(names), last
