"""Issue 14 item 4: files that are not Azure definitions never fail the run: empty and whitespace-only files, a
duplicate key in a file that is not an Azure definition, files that do not parse and show no sign of Azure (YAML
tags of other tools, binary files, other encodings, alias bombs, deep nesting) and the run's own output file. Only
a file that looks like an Azure definition can fail it (tests/test_bad_input.py: the same errors with a sign)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from runner import clean_env, registry, repo, run, template, write

ACR104 = ("warning ACR104 Registry 'contosoacr' is network-restricted with networkRuleBypassOptions None: "
          "Microsoft Defender for Cloud vulnerability scanning and image import to or from this registry are blocked")
SELECT = ["--select", "ACR0,ACR104"]

FOREIGN = {
    "empty.json": b"",
    "blank.jsonc": b"  \r\n\t\n",
    "empty.yaml": b"",
    "blank.yml": b"\n   \n",
    "comments.yaml": b"# nothing yet\n",
    "package.json": b'{"name": "web", "version": "1.0.0", "name": "web2"}',
    "cloudformation.yaml": b"Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: !Ref Name\n",
    ".gitlab-ci.yml": b"test:\n  script:\n    - !reference [.setup, script]\n",
    "latin1.json": '{"name": "café"}'.encode("latin-1"),
    "image.json": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)),
    "deep.json": b"[" * 1000 + b"]" * 1000,
    "bomb.yaml": b"a: &a [x, x, x, x, x, x, x, x, x, x]\n" + b"".join(
        f"{c}: &{c} [{', '.join(['*' + p] * 10)}]\n".encode() for p, c in zip("abcdef", "bcdefg")),
    "python.yaml": b"a: !!python/object/apply:os.system ['touch pwned']\n",
}
WHY = {
    "empty.json": "empty file",
    "blank.jsonc": "empty file",
    "empty.yaml": "empty file",
    "blank.yml": "empty file",
    "comments.yaml": "empty document",
    "package.json": "JSON/YAML object that is not an Azure definition",
    "cloudformation.yaml": "not valid YAML (unsupported YAML tag !Ref) and nothing in it looks like an Azure definition",
    ".gitlab-ci.yml": "not valid YAML (unsupported YAML tag !reference) and nothing in it looks like an Azure definition",
    "latin1.json": "not valid JSON (invalid UTF-8 byte 0xE9) and nothing in it looks like an Azure definition",
    "image.json": "not valid JSON (binary file (NUL byte)) and nothing in it looks like an Azure definition",
    "deep.json": "not valid JSON (nesting deeper than 512 levels) and nothing in it looks like an Azure definition",
    "bomb.yaml": "not valid YAML (YAML aliases expand to more than 100000 nodes) and nothing in it looks like an Azure definition",
    "python.yaml": "not valid YAML (unsupported YAML tag !!python/object/apply:os.system) and nothing in it looks like "
                   "an Azure definition",
}


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    root = repo(tmp_path / "repo")
    write(root / "main.json", template(registry()))
    for name, data in FOREIGN.items():
        (root / "ci" / name).parent.mkdir(parents=True, exist_ok=True)
        (root / "ci" / name).write_bytes(data)
    return root


def test_files_that_are_not_azure_definitions_never_fail_a_walk(tree: Path) -> None:
    rc, out, err = run(tree, ".", *SELECT, "-v")
    assert rc == 1
    assert out == f"./main.json:15:37: {ACR104}\n0 errors, 1 warning, 0 info in 1 file linted, {len(FOREIGN)} skipped\n"
    assert err.splitlines()[1:] == [f"acrlint: skipped ./ci/{name}: {WHY[name]}" for name in sorted(FOREIGN)]
    assert not (tree / "pwned").exists()


@pytest.mark.parametrize("name", sorted(FOREIGN))
def test_nor_when_named_as_pre_commit_names_them(tree: Path, name: str) -> None:
    rc, out, err = run(tree, f"ci/{name}", "main.json", *SELECT, "-v")
    assert (rc, err.splitlines()[1:]) == (1, [f"acrlint: skipped ci/{name}: {WHY[name]}"])
    assert out.endswith("0 errors, 1 warning, 0 info in 1 file linted, 1 skipped\n")


def test_a_duplicate_key_is_reported_only_in_azure_documents(tmp_path: Path) -> None:
    root = repo(tmp_path)
    write(root / "multi.yaml", "apiVersion: apps/v1\nkind: Deployment\nkind: Deployment\nmetadata: {name: web}\n---\n"
          "type: Microsoft.ContainerRegistry/registries\nname: contosoacr\nname: contosoacr\napiVersion: '2025-11-01'\n")
    rc, out, _ = run(root, "multi.yaml", "--select", "ACR001")
    assert (rc, out) == (1, "multi.yaml:8:7: warning ACR001 duplicate key 'name': the last value is used\n"
                            "0 errors, 1 warning, 0 info in 1 file linted, 0 skipped\n")


def shell(cwd: Path, command: str) -> subprocess.CompletedProcess[str]:
    acrlint = f"{sys.executable} -m linter"
    return subprocess.run(["sh", "-c", command.replace("acrlint", acrlint)], cwd=cwd, capture_output=True, text=True,
                          env=clean_env(), timeout=120)


@pytest.mark.parametrize("name", ["report.json", "gl-code-quality-report.json", "out.yaml"])
def test_the_runs_own_output_file_is_not_linted(tmp_path: Path, name: str) -> None:
    root = repo(tmp_path)
    write(root / "main.json", template(registry()))
    proc = shell(root, f"acrlint . --select ACR104 --format json -v > {name}")
    assert (proc.returncode, proc.stderr.splitlines()[1:]) == (1, [f"acrlint: skipped ./{name}: the output of this run"])
    assert json.loads((root / name).read_text())["summary"]["files_linted"] == 1


def test_an_output_appended_to_a_broken_report_is_not_linted(tmp_path: Path) -> None:
    root = repo(tmp_path)
    write(root / "main.json", template(registry()))
    # a report cut short by a killed run: it names Azure types, so read as a template it would fail the run
    write(root / "report.json", '{"findings": [{"resource": "/providers/Microsoft.ContainerRegistry/registries/x",')
    proc = shell(root, "acrlint . --select ACR0,ACR104 -q >> report.json")
    assert proc.returncode == 1 and proc.stderr == ""
    assert (root / "report.json").read_text().endswith(f"./main.json:15:37: {ACR104}\n")
    # named with -o instead, it is an input that cannot parse: refused as an output, reported as a failure
    rc, out, err = run(root, ".", *SELECT, "-o", "report.json")
    assert (rc, out) == (2, "")
    assert err == "acrlint: error: text output report.json is ./report.json, an input of this run: refusing to overwrite it\n"


def test_a_file_that_looks_like_an_azure_definition_still_fails(tmp_path: Path) -> None:
    root = repo(tmp_path)
    write(root / "broken.yaml", "type: Microsoft.ContainerRegistry/registries\nname: !Ref Name\n")
    rc, out, _ = run(root, ".", *SELECT)
    assert (rc, out) == (2, "./broken.yaml:2:7: error ACR000 cannot parse YAML: unsupported YAML tag !Ref (line 2, column 7)\n"
                            "1 error, 0 warnings, 0 info in 0 files linted, 0 skipped, 1 failed\n")
