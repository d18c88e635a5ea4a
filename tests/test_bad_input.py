"""Bad input through the command line: every case ends with an exact message and exit code, never a
traceback or a hang, and a good file named in the same run is still linted.

Each test runs ``python -m linter`` in a scratch directory (``tmp_path/w``), so the paths in messages are
relative. A ``.acrlint.yaml`` one level up keeps configuration files elsewhere on the machine out of the run,
and ``--select ACR0,ACR104`` keeps the expected output independent of rules added later.
"""
from __future__ import annotations

import codecs
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import SCHEMA, registry, template

ROOT = Path(__file__).resolve().parent.parent
SELECT = ["--select", "ACR0,ACR104"]
TIMEOUT = 120

ACR104 = ("warning ACR104 Registry 'contosoacr' is network-restricted with networkRuleBypassOptions None: "
          "Microsoft Defender for Cloud vulnerability scanning and image import to or from this registry are blocked")
GOOD = f"good.json:11:85: {ACR104}"


GOOD_TEXT = """{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "resources": [
    {
      "type": "Microsoft.ContainerRegistry/registries",
      "apiVersion": "2025-11-01",
      "name": "contosoacr",
      "location": "westeurope",
      "sku": {"name": "Premium"},
      "properties": {"publicNetworkAccess": "Disabled", "networkRuleBypassOptions": "None"}
    }
  ]
}
"""


@pytest.fixture
def work(tmp_path: Path) -> Path:
    (tmp_path / ".acrlint.yaml").write_text("fail-on: warning\n")
    w = tmp_path / "w"
    w.mkdir()
    (w / "good.json").write_text(GOOD_TEXT)
    return w


def acrlint(cwd: Path, *args: str, timeout: float = TIMEOUT) -> tuple[int, list[str], list[str]]:
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    for name in ("GITHUB_ACTIONS", "TF_BUILD"):
        env.pop(name, None)
    proc = subprocess.run([sys.executable, "-m", "linter", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=timeout, env=env, stdin=subprocess.DEVNULL)
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc.returncode, proc.stdout.splitlines(), proc.stderr.splitlines()


def summary(errors: int, warnings: int, linted: int, skipped: int = 0, failed: int = 0) -> str:
    def n(k: int, word: str) -> str:
        return f"{k} {word}{'' if k == 1 else 's'}"

    tail = f", {failed} failed" if failed else ""
    return f"{n(errors, 'error')}, {n(warnings, 'warning')}, 0 info in {n(linted, 'file')} linted, {skipped} skipped{tail}"


# Issue 14: only a file that looks like an Azure definition can fail a run. The inputs below that would not carry
# an Azure marker get one after the point of failure, so that their errors are still reported (tests/test_not_azure.py
# checks that the same inputs without it are skipped).
AZURE_JSON = b"\n// Microsoft.ContainerRegistry/registries\n"
AZURE_YAML = b"\n# Microsoft.ContainerRegistry/registries\n"


def check_failed(work: Path, name: str, line: str, *extra: str) -> None:
    """``name`` fails to decode with exactly ``line``; good.json beside it is still linted."""
    rc, out, err = acrlint(work, *SELECT, *extra, name, "good.json")
    assert (rc, out, err) == (2, sorted([line, GOOD]) + [summary(1, 1, 1, failed=1)], [])


# --------------------------------------------------------------------------- empty, truncated, not JSON


@pytest.mark.parametrize(("name", "data"), [
    ("empty.json", b""),
    ("blank.json", b"  \r\n\t\n"),
    ("empty.yaml", b""),
    ("blank.yml", b"\n   \n"),
])
def test_empty_and_whitespace_only(work: Path, name: str, data: bytes) -> None:
    # issue 14: nothing to lint, and nothing that looks like an Azure definition: skipped, never a failure
    (work / name).write_bytes(data)
    rc, out, err = acrlint(work, *SELECT, "-v", name, "good.json")
    assert (rc, out) == (1, [GOOD, summary(0, 1, 1, skipped=1)])
    assert err[1:] == [f"acrlint: skipped {name}: empty file"]


@pytest.mark.parametrize(("name", "data", "message"), [
    ("trunc.json", GOOD_TEXT[:200], "trunc.json:6:15: error ACR000 cannot parse JSON: unexpected end of file (unterminated string) (line 6, column 15)"),
    ('trunc2.json', '{"type": "Microsoft.ContainerRegistry/registries",\n"a": [1, 2',
     'trunc2.json:2:11: error ACR000 cannot parse JSON: unexpected end of file (line 2, column 11)'),
    ('trunc3.json', '{"type": "Microsoft.ContainerRegistry/registries",\n"a": "unterminated',
     'trunc3.json:2:6: error ACR000 cannot parse JSON: unexpected end of file (unterminated string) (line 2, column 6)'),
    ('trunc.yaml', 'type: Microsoft.ContainerRegistry/registries\na:\n  b: [1, 2\n',
     "trunc.yaml:4:1: error ACR000 cannot parse YAML: unexpected end of file: did not find expected ',' or ']' (while parsing a flow sequence) (line 4, column 1)"),
    ('trunc2.yaml', 'type: Microsoft.ContainerRegistry/registries\na: "open\n',
     'trunc2.yaml:3:1: error ACR000 cannot parse YAML: found unexpected end of stream (while scanning a quoted scalar) (line 3, column 1)'),
    ('comma.json', '{"type": "Microsoft.ContainerRegistry/registries",\n"a": 1,}',
     "comma.json:2:7: error ACR000 cannot parse JSON: trailing comma before '}' (line 2, column 7)"),
    ('comma2.json', '{"type": "Microsoft.ContainerRegistry/registries",\n"a": [1, 2,\n]}',
     "comma2.json:2:11: error ACR000 cannot parse JSON: trailing comma before ']' (line 2, column 11)"),
    ('quote.json', '{"type": "Microsoft.ContainerRegistry/registries",\n\'a\': 1}',
     'quote.json:2:1: error ACR000 cannot parse JSON: single-quoted string (JSON needs double quotes) (line 2, column 1)'),
    ('nan.json', '{"type": "Microsoft.ContainerRegistry/registries",\n"a": NaN}',
     'nan.json:2:6: error ACR000 cannot parse JSON: NaN is not valid JSON (line 2, column 6)'),
    ('inf.json', '{"type": "Microsoft.ContainerRegistry/registries",\n"a":\n -Infinity}',
     'inf.json:3:2: error ACR000 cannot parse JSON: -Infinity is not valid JSON (line 3, column 2)'),
    ('only-comment.json', '// Microsoft.ContainerRegistry/registries\n// nothing here\n',
     'only-comment.json: error ACR000 cannot parse JSON: file holds only comments'),
    ('two.json', '{"type": "Microsoft.ContainerRegistry/registries",\n"a": 1} {"b": 2}',
     'two.json:2:9: error ACR000 cannot parse JSON: unexpected data after the JSON value (line 2, column 9)'),
])
def test_syntax_errors(work: Path, name: str, data: str, message: str) -> None:
    (work / name).write_text(data)
    check_failed(work, name, message)


# --------------------------------------------------------------------------- encodings and binary


def test_invalid_utf8(work: Path) -> None:
    (work / "latin1.json").write_bytes('{\n  "name": "café"\n}'.encode("latin-1") + AZURE_JSON)
    check_failed(work, "latin1.json", "latin1.json:2:15: error ACR000 cannot parse JSON: invalid UTF-8 byte 0xE9 (line 2, column 15)")


def test_invalid_utf8_yaml(work: Path) -> None:
    (work / "bad.yaml").write_bytes(b'a: "\xff"\n' + AZURE_YAML)
    check_failed(work, "bad.yaml", "bad.yaml:1:5: error ACR000 cannot parse YAML: invalid UTF-8 byte 0xFF (line 1, column 5)")


ENCODINGS = [
    ("utf-8", codecs.BOM_UTF8), ("utf-16-le", codecs.BOM_UTF16_LE), ("utf-16-be", codecs.BOM_UTF16_BE),
    ("utf-32-le", codecs.BOM_UTF32_LE), ("utf-32-be", codecs.BOM_UTF32_BE),
]


@pytest.mark.parametrize("bom", [True, False], ids=["bom", "no-bom"])
@pytest.mark.parametrize(("encoding", "mark"), ENCODINGS, ids=[e for e, _ in ENCODINGS])
def test_unicode_encodings_lint_normally(work: Path, encoding: str, mark: bytes, bom: bool) -> None:
    name = f"{encoding}-{'bom' if bom else 'plain'}.json"
    (work / name).write_bytes((mark if bom else b"") + GOOD_TEXT.replace("\n", "\r\n").encode(encoding))
    rc, out, err = acrlint(work, *SELECT, name)
    assert (rc, out, err) == (1, [f"{name}:11:85: {ACR104}", summary(0, 1, 1)], [])


@pytest.mark.parametrize("bom", [True, False], ids=["bom", "no-bom"])
def test_utf16_yaml_lints_normally(work: Path, bom: bool) -> None:
    text = ("type: Microsoft.ContainerRegistry/registries\napiVersion: '2025-11-01'\nname: contosoacr\n"
            "location: westeurope\nsku: {name: Premium}\n"
            "properties: {publicNetworkAccess: Disabled, networkRuleBypassOptions: None}\n")
    (work / "r.yaml").write_bytes((codecs.BOM_UTF16_LE if bom else b"") + text.encode("utf-16-le"))
    rc, out, err = acrlint(work, *SELECT, "r.yaml")
    assert (rc, out, err) == (1, [f"r.yaml:6:71: {ACR104}", summary(0, 1, 1)], [])


def test_nul_byte(work: Path) -> None:
    (work / "nul.json").write_bytes(b'{\n  "a": "x\x00y"\n}' + AZURE_JSON)
    check_failed(work, "nul.json", "nul.json:2:10: error ACR000 cannot parse JSON: binary file (NUL byte) (line 2, column 10)")


def test_nul_byte_yaml(work: Path) -> None:
    (work / "nul.yaml").write_bytes(b"a: 1\n\x00" + AZURE_YAML)
    check_failed(work, "nul.yaml", "nul.yaml:2:1: error ACR000 cannot parse YAML: binary file (NUL byte) (line 2, column 1)")


def test_binary_file_with_json_name(work: Path) -> None:
    # a PNG header: bytes that are neither UTF-8 nor UTF-16/32
    (work / "image.json").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4 + AZURE_JSON)
    check_failed(work, "image.json", "image.json:3:1: error ACR000 cannot parse JSON: binary file (NUL byte) (line 3, column 1)")


def test_random_bytes_with_json_name(work: Path) -> None:
    import random

    data = bytes(random.Random(7).randrange(256) for _ in range(4096)) + AZURE_JSON
    (work / "noise.json").write_bytes(data)
    rc, out, err = acrlint(work, *SELECT, "noise.json", "good.json")
    assert rc == 2 and err == []
    assert out[0].startswith("good.json") and out[1].startswith("noise.json:") and "error ACR000 cannot parse JSON: " in out[1]
    assert out[2] == summary(1, 1, 1, failed=1)


# --------------------------------------------------------------------------- duplicate keys


def test_duplicate_keys_at_every_level_json(work: Path) -> None:
    text = (
        "{\n"
        f'  "$schema": "{SCHEMA}",\n'
        '  "contentVersion": "1.0.0.0",\n'
        '  "contentVersion": "1.0.0.0",\n'                                   # level 1
        '  "resources": [\n'
        "    {\n"
        '      "type": "Microsoft.ContainerRegistry/registries",\n'
        '      "apiVersion": "2025-11-01",\n'
        '      "name": "dupacr",\n'
        '      "name": "contosoacr",\n'                                       # level 3 (in an array)
        '      "location": "westeurope",\n'
        '      "sku": {"name": "Basic", "name": "Premium"},\n'                # level 4
        '      "properties": {\n'
        '        "publicNetworkAccess": "Disabled",\n'
        '        "networkRuleBypassOptions": "None",\n'
        '        "networkRuleSet": {"defaultAction": "Deny", "ipRules": [{"action": "Allow", "action": "Allow", "value": "1.2.3.4"}]}\n'  # level 6
        "      }\n"
        "    }\n"
        "  ]\n"
        "}\n"
    )
    (work / "dup.json").write_text(text)
    rc, out, err = acrlint(work, *SELECT, "dup.json", "good.json")
    dup = "warning ACR001 duplicate key '{}': the last value is used"
    assert (rc, out, err) == (1, [
        f"dup.json:4:21: {dup.format('contentVersion')}",
        f"dup.json:10:15: {dup.format('name')}",
        f"dup.json:12:40: {dup.format('name')}",
        f"dup.json:15:37: {ACR104}",
        f"dup.json:16:95: {dup.format('action')}",
        GOOD,
        summary(0, 6, 2),
    ], [])


def test_duplicate_keys_at_every_level_yaml(work: Path) -> None:
    text = (
        "type: Microsoft.ContainerRegistry/registries\n"
        "type: Microsoft.ContainerRegistry/registries\n"
        "apiVersion: '2025-11-01'\n"
        "name: contosoacr\n"
        "location: westeurope\n"
        "sku:\n"
        "  name: Basic\n"
        "  name: Premium\n"
        "properties:\n"
        "  publicNetworkAccess: Disabled\n"
        "  networkRuleBypassOptions: None\n"
        "  networkRuleSet:\n"
        "    ipRules:\n"
        "      - {action: Allow, value: 1.2.3.4, value: 1.2.3.5}\n"
    )
    (work / "dup.yaml").write_text(text)
    rc, out, err = acrlint(work, *SELECT, "dup.yaml", "good.json")
    dup = "warning ACR001 duplicate key '{}': the last value is used"
    assert (rc, out, err) == (1, [
        f"dup.yaml:2:7: {dup.format('type')}",
        f"dup.yaml:8:9: {dup.format('name')}",
        f"dup.yaml:11:29: {ACR104}",
        f"dup.yaml:14:48: {dup.format('value')}",
        GOOD,
        summary(0, 5, 2),
    ], [])


# --------------------------------------------------------------------------- nesting, aliases, tags


def test_json_nested_10000_levels(work: Path) -> None:
    (work / "deep.json").write_bytes(('{"a":' * 10_000 + "1" + "}" * 10_000).encode() + AZURE_JSON)
    check_failed(work, "deep.json", "deep.json:1:2561: error ACR000 cannot parse JSON: nesting deeper than 512 levels (line 1, column 2561)")


def test_json_arrays_nested_10000_levels(work: Path) -> None:
    (work / "deep.json").write_bytes(("[" * 10_000 + "]" * 10_000).encode() + AZURE_JSON)
    check_failed(work, "deep.json", "deep.json:1:513: error ACR000 cannot parse JSON: nesting deeper than 512 levels (line 1, column 513)")


def test_yaml_flow_nested_10000_levels(work: Path) -> None:
    (work / "deep.yaml").write_bytes(("[" * 10_000 + "]" * 10_000).encode() + AZURE_YAML)
    check_failed(work, "deep.yaml", "deep.yaml:1:513: error ACR000 cannot parse YAML: nesting deeper than 512 levels (line 1, column 513)")


def test_yaml_block_nested_10000_levels(work: Path) -> None:
    (work / "deep.yaml").write_bytes("".join("  " * i + "a:\n" for i in range(10_000)).encode() + AZURE_YAML)
    check_failed(work, "deep.yaml", "deep.yaml:513:1025: error ACR000 cannot parse YAML: nesting deeper than 512 levels (line 513, column 1025)")


def test_yaml_billion_laughs(work: Path) -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    prev = "a"
    for name in "bcdefghi":
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
        prev = name
    (work / "lol.yaml").write_bytes(("\n".join(lines) + "\n").encode() + AZURE_YAML)
    check_failed(work, "lol.yaml", "lol.yaml:6:8: error ACR000 cannot parse YAML: YAML aliases expand to more than 100000 nodes (line 6, column 8)")


def test_yaml_long_alias_chain_grows_the_tree(work: Path) -> None:
    # each anchor holds the previous one twice: 2**40 nodes from a 2,000-byte file
    text = "a0: &a0 {x: 1}\n" + "".join(f"a{i}: &a{i} {{p: *a{i - 1}, q: *a{i - 1}}}\n" for i in range(1, 41))
    (work / "chain.yaml").write_bytes(text.encode() + AZURE_YAML)
    check_failed(work, "chain.yaml", "chain.yaml:16:15: error ACR000 cannot parse YAML: YAML aliases expand to more than 100000 nodes (line 16, column 15)")


def test_yaml_deep_alias_chain(work: Path) -> None:
    # each anchor nests the previous one a level deeper: the nodes they add grow quadratically
    text = "a0: &a0 [1]\n" + "".join(f"a{i}: &a{i} [*a{i - 1}]\n" for i in range(1, 1000))
    (work / "chain.yaml").write_bytes(text.encode() + AZURE_YAML)
    check_failed(work, "chain.yaml", "chain.yaml:447:14: error ACR000 cannot parse YAML: YAML aliases expand to more than 100000 nodes (line 447, column 14)")


def test_yaml_deep_alias_nesting(work: Path) -> None:
    # an anchor 400 levels deep used inside 200 more levels
    text = "a: &deep " + "[" * 400 + "]" * 400 + "\nb: " + "[" * 200 + "*deep" + "]" * 200 + "\n"
    (work / "deep.yaml").write_bytes(text.encode() + AZURE_YAML)
    check_failed(work, "deep.yaml", "deep.yaml:2:204: error ACR000 cannot parse YAML: nesting deeper than 512 levels (line 2, column 204)")


def test_yaml_undefined_alias(work: Path) -> None:
    (work / "alias.yaml").write_text("type: Microsoft.ContainerRegistry/registries\na: *nowhere\n")
    check_failed(work, "alias.yaml", "alias.yaml:2:4: error ACR000 cannot parse YAML: undefined YAML alias *nowhere (line 2, column 4)")


@pytest.mark.parametrize(("text", "message"), [
    ("!!python/object/apply:os.system ['touch pwned']\n",
     "tag.yaml:1:1: error ACR000 cannot parse YAML: unsupported YAML tag !!python/object/apply:os.system (line 1, column 1)"),
    ("name: !!python/object/apply:os.system ['touch pwned']\n",
     "tag.yaml:1:7: error ACR000 cannot parse YAML: unsupported YAML tag !!python/object/apply:os.system (line 1, column 7)"),
    ("a: !!python/object/new:subprocess.Popen {args: [touch, pwned]}\n",
     "tag.yaml:1:4: error ACR000 cannot parse YAML: unsupported YAML tag !!python/object/new:subprocess.Popen (line 1, column 4)"),
    ("a: !!python/name:os.system\n",
     "tag.yaml:1:4: error ACR000 cannot parse YAML: unsupported YAML tag !!python/name:os.system (line 1, column 4)"),
    ("a: !custom 1\n", "tag.yaml:1:4: error ACR000 cannot parse YAML: unsupported YAML tag !custom (line 1, column 4)"),
])
def test_yaml_python_tags_are_refused(work: Path, text: str, message: str) -> None:
    (work / "tag.yaml").write_bytes(text.encode() + AZURE_YAML)
    check_failed(work, "tag.yaml", message)
    assert not (work / "pwned").exists()


# --------------------------------------------------------------------------- size


def test_100_mb_file(work: Path) -> None:
    doc = template([dict(registry(publicNetworkAccess="Disabled", networkRuleBypassOptions="None"),
                         tags={f"t{i}": "x" * 1000 for i in range(100_000)})])
    text = json.dumps(doc)
    (work / "big.json").write_text(text)
    assert (work / "big.json").stat().st_size > 100_000_000
    column = text.index('"None"') + 1
    del text, doc
    rc, out, err = acrlint(work, *SELECT, "big.json", "good.json")
    assert (rc, out, err) == (1, [f"big.json:1:{column}: {ACR104}", GOOD, summary(0, 2, 2)], [])


def test_long_strings_and_lines(work: Path) -> None:
    doc = template([dict(registry(publicNetworkAccess="Disabled", networkRuleBypassOptions="None"),
                         tags={"k" * 1_000_000: "v" * 20_000_000})])
    text = json.dumps(doc)
    (work / "long.json").write_text(text)
    (work / "long.yaml").write_text("a: [" + ",".join(["1"] * 20_000) + "]\nb: " + "x" * 5_000_000 + "\n")
    column = text.index('"None"') + 1
    rc, out, err = acrlint(work, *SELECT, "long.json", "long.yaml", "good.json")
    assert (rc, out, err) == (1, [GOOD, f"long.json:1:{column}: {ACR104}", summary(0, 2, 2, skipped=1)], [])


# --------------------------------------------------------------------------- paths that are not files


def test_directory_is_linted_recursively(work: Path) -> None:
    (work / "infra" / "acr").mkdir(parents=True)
    (work / "infra" / "acr" / "registry.json").write_text(GOOD_TEXT)
    (work / "infra" / "readme.md").write_text("# not linted\n")
    (work / "infra" / "package.json").write_text('{"name": "x"}')
    rc, out, err = acrlint(work, *SELECT, "infra", "good.json")
    assert (rc, out, err) == (1, [GOOD, f"infra/acr/registry.json:11:85: {ACR104}", summary(0, 2, 2, skipped=1)], [])


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_fifo_does_not_hang(work: Path) -> None:
    os.mkfifo(work / "pipe.json")
    rc, out, err = acrlint(work, *SELECT, "pipe.json", "good.json", timeout=30)
    assert (rc, out, err) == (2, [GOOD, "pipe.json: error ACR000 cannot read file: not a regular file", summary(1, 1, 1, failed=1)], [])


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_fifo_inside_a_directory_is_not_opened(work: Path) -> None:
    # regression: files found under a directory were opened whatever they were, and a FIFO blocks
    (work / "d").mkdir()
    os.mkfifo(work / "d" / "pipe.json")
    (work / "d" / "r.json").write_text(GOOD_TEXT)
    rc, out, err = acrlint(work, *SELECT, "d", timeout=30)
    assert (rc, out, err) == (2, ["d/pipe.json: error ACR000 cannot read file: not a regular file", f"d/r.json:11:85: {ACR104}",
                                  summary(1, 1, 1, failed=1)], [])


def test_broken_symlink(work: Path) -> None:
    os.symlink("nowhere.json", work / "broken.json")
    check_failed(work, "broken.json", "broken.json: error ACR000 cannot read file: broken symbolic link")


def test_symlink_loop(work: Path) -> None:
    os.symlink("loop2.json", work / "loop1.json")
    os.symlink("loop1.json", work / "loop2.json")
    check_failed(work, "loop1.json", "loop1.json: error ACR000 cannot read file: symbolic link loop")


def test_symlink_loop_inside_a_directory(work: Path) -> None:
    (work / "d").mkdir()
    (work / "d" / "r.json").write_text(GOOD_TEXT)
    os.symlink(".", work / "d" / "self")
    os.symlink("loop.json", work / "d" / "loop.json")
    for extra in ([], ["--follow-symlinks"]):
        rc, out, err = acrlint(work, *SELECT, *extra, "d", timeout=30)
        assert rc in (1, 2) and err == [] and f"d/r.json:11:85: {ACR104}" in out


def test_path_that_does_not_exist(work: Path) -> None:
    check_failed(work, "missing.json", "missing.json: error ACR000 cannot read file: no such file or directory")


def test_missing_directory(work: Path) -> None:
    check_failed(work, "nowhere/", "nowhere/: error ACR000 cannot read file: no such file or directory")


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root can read a chmod 000 file")
def test_unreadable_file_chmod_000(work: Path) -> None:
    (work / "secret.json").write_text(GOOD_TEXT)
    os.chmod(work / "secret.json", 0)
    try:
        check_failed(work, "secret.json", "secret.json: error ACR000 cannot read file: permission denied")
    finally:
        os.chmod(work / "secret.json", 0o644)


def test_unreadable_file_in_process(work: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Root reads everything, so the permission error is simulated at os.open(), where every input is opened."""
    import linter.api as api

    (work / "secret.json").write_text(GOOD_TEXT)
    real_open = os.open

    def fake_open(file: Any, *args: Any, **kwargs: Any) -> Any:
        if str(file).endswith("secret.json"):
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.chdir(work)
    monkeypatch.setattr(os, "open", fake_open)
    result = api.lint(["secret.json", "good.json"], api.Options(select=["ACR0", "ACR104"], jobs=1))
    lines = [(f.file, f.rule_id, f.message) for f in result.findings]
    assert lines == [
        ("good.json", "ACR104", ACR104.split(" ACR104 ")[1]),
        ("secret.json", "ACR000", "cannot read file: permission denied"),
    ]
    assert (result.files_linted, result.files_failed, result.exit_code) == (1, 1, 2)


# --------------------------------------------------------------------------- pathological expressions


def _variables_chain(n: int, body: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"v0": {"x": [1, 2, 3]}}
    for i in range(1, n + 1):
        out[f"v{i}"] = json.loads(json.dumps(body).replace("PREV", f"v{i - 1}"))
    return out


SHARED_ARRAYS = "[createArray(variables('PREV'), variables('PREV'), variables('PREV'), variables('PREV'))]"
# (id, template, the JSON text the finding points at, the message); None: any "more than" limit message
EXPRESSION_CASES: list[tuple[str, Any, str, str | None]] = [
    ("nested-calls", template([registry("[" + "concat(" * 300 + "'a'" + ")" * 300 + "]")]), '"[concat(',
     "template expression error: the expression is nested too deeply (more than 200 levels) (at offset 1401)"),
    ("range", template([registry("[string(length(variables('v')))]")], variables={"v": "[range(0, 2000000000)]"}),
     '"[range(', "template expression error: range() count must not exceed 10000, got 2000000000 (at offset 1)"),
    ("copy-resource", template([dict(registry("[concat('r', copyIndex())]"), copy={"name": "c", "count": 1_000_000})]),
     "1000000", "copy count 1000000 is outside 0..800"),
    ("copy-variable", template([registry("[string(length(variables('v')))]")],
                               variables={"copy": [{"name": "v", "count": 1_000_000, "input": "[copyIndex('v')]"}]}),
     "1000000", "copy count 1000000 is outside 0..800"),
    ("copy-property", template([dict(registry(), properties={"copy": [{"name": "ipRules", "count": 1_000_000, "input": {"value": "1.2.3.4"}}]})]),
     "1000000", "copy count 1000000 is outside 0..800"),
    ("recursive-function", template([registry("[string(ns.f(1))]")], functions=[{"namespace": "ns", "members": {"f": {
        "parameters": [{"name": "x", "type": "int"}], "output": {"type": "int", "value": "[ns.f(parameters('x'))]"}}}}]),
     '"[string(ns.f(1))]"',
     "template expression error: in user-defined function 'ns.f': user-defined function 'ns.f' calls itself; recursion isn't allowed (at offset 8)"),
    ("mutual-variables", template([registry("[variables('a')]")], variables={"a": "[variables('b')]", "b": "[variables('a')]"}),
     '"[variables(\'a\')]"', "template expression error: variable 'a' refers to itself (at offset 1)"),
    ("string-doubling", template([registry("[string(length(variables('v16')))]")], variables={
        "v0": "[string(range(0, 10000))]", **{f"v{i}": f"[concat(variables('v{i - 1}'), variables('v{i - 1}'))]" for i in range(1, 17)}}),
     "", None),
    ("padleft", template([registry("[padLeft('a', 2000000000, 'x')]")]), '"[padLeft(',
     "template expression error: the expression would produce a string with more than 10000000 characters (at offset 1)"),
    # regression: shared references made a 4**20-node value from 20 variables and the run never ended
    ("shared-arrays", template([registry("[string(variables('v20'))]")], variables=_variables_chain(20, SHARED_ARRAYS)), "", None),
    ("shared-literals", template([dict(registry(), tags="[variables('v40')]")], variables=_variables_chain(
        40, {"x": "[variables('PREV')]", "y": ["[variables('PREV')]"]})), "", None),
]


@pytest.mark.parametrize(("name", "doc", "needle", "message"), EXPRESSION_CASES, ids=[c[0] for c in EXPRESSION_CASES])
def test_pathological_expressions(work: Path, name: str, doc: Any, needle: str, message: str | None) -> None:
    text = json.dumps(doc)
    (work / f"{name}.json").write_text(text)
    rc, out, err = acrlint(work, "--select", "ACR0", f"{name}.json", "good.json", timeout=60)
    assert err == [] and rc == 1
    if message is not None:
        assert out == [f"{name}.json:1:{text.index(needle) + 1}: warning ACR004 {message}", summary(0, 1, 2)]
    else:
        assert out[-1] == summary(0, len(out) - 1, 2)
        assert out[:-1] and all(f.startswith(f"{name}.json:1:") and " warning ACR004 template expression error: the expression " in f
                                and " more than " in f for f in out[:-1])


# --------------------------------------------------------------------------- files that are not ours


def test_non_azure_files_are_skipped_silently(work: Path) -> None:
    (work / "package.json").write_text('{\n  "name": "web",\n  "version": "1.0.0",\n  "scripts": {"test": "jest"}\n}\n')
    (work / "tsconfig.json").write_text(
        '{\n  // TypeScript settings\n  "compilerOptions": {\n    "strict": true, /* no implicit any */\n    "target": "es2020"\n  }\n}\n')
    (work / "deployment.yaml").write_text(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n  template:\n    spec:\n"
        "      containers:\n      - name: web\n        image: contoso.azurecr.io/web:1.0\n")
    files = ["package.json", "tsconfig.json", "deployment.yaml"]
    rc, out, err = acrlint(work, *SELECT, *files)
    assert (rc, out, err) == (0, [summary(0, 0, 0, skipped=3)], [])
    rc, out, err = acrlint(work, *SELECT, "-v", *files)
    assert (rc, out) == (0, [summary(0, 0, 0, skipped=3)])
    assert err[0].startswith("acrlint: configuration: ")  # -v names the configuration file first
    assert sorted(err[1:]) == [
        "acrlint: skipped deployment.yaml: Kubernetes manifest (Deployment), not an Azure Service Operator resource",
        "acrlint: skipped package.json: JSON/YAML object that is not an Azure definition",
        "acrlint: skipped tsconfig.json: JSON/YAML object that is not an Azure definition",
    ]
    rc, out, err = acrlint(work, *SELECT, *files, "good.json")
    assert (rc, out, err) == (1, [GOOD, summary(0, 1, 1, skipped=3)], [])
