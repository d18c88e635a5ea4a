"""Issue 12: nothing in a pull request can make acrlint inject CI commands, overwrite files, crash, hang or exhaust
memory. One section per item of the issue; every test asserts the exact output and exit code.

Item 8 (dependencies that cannot break CI) is covered where it was built: the YAML nesting tests in
test_bad_input.py run on the newest PyYAML and, through .ci/run, on the oldest releases pyproject.toml allows.
"""
from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import SCHEMA, template
from tests.helpers import restricted_registry as registry
from tests.helpers import write_file as write

ROOT = Path(__file__).resolve().parent.parent

FORMATS = ["text", "json", "sarif", "junit", "github", "azure-devops", "parsable", "gitlab"]
TIMEOUT = 120


def env() -> dict[str, str]:
    out = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    for name in ("GITHUB_ACTIONS", "TF_BUILD", "NO_COLOR"):
        out.pop(name, None)
    return out


def run(cwd: Path, *args: str, stdout: Any = subprocess.PIPE, timeout: float = TIMEOUT) -> tuple[int, str, str]:
    """acrlint in its own process; output decoded as it was written (raw bytes kept as surrogate escapes)."""
    proc = subprocess.run([sys.executable, "-m", "linter", *args], cwd=cwd, stdout=stdout, stderr=subprocess.PIPE,
                          timeout=timeout, env=env(), stdin=subprocess.DEVNULL)
    out = proc.stdout.decode("utf-8", "surrogateescape") if proc.stdout is not None else ""
    err = proc.stderr.decode("utf-8", "surrogateescape")
    assert "Traceback" not in err, err
    return proc.returncode, out, err


def good(tmp: Path) -> Path:
    return write(tmp / "good.json", template([registry()]))


# --------------------------------------------------------------------------------------------- 1. no injection

PAYLOADS = {
    "set a pipeline variable": "##vso[task.setvariable variable=AZURE_TOKEN]stolen",
    "forge an annotation": "x\n::error file=app.py,line=1::forged",
    "mask a secret": "::add-mask::hunter2",
    "move the terminal cursor": "\x1b[2J\x1b[Hok\r\u2028\x9b31m",
}
# Raw characters that must never be written: C0 but LF, DEL, C1, U+2028/9, bidirectional overrides, lone surrogates
# (and bytes that are not UTF-8, which surrogateescape turns into lone surrogates).
_RAW_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_OUR_GITHUB_LINE = re.compile(r"::(error|warning|notice)( [^:]*)?::")  # props never hold a raw ':'
_OUR_AZURE_LINE = re.compile(r"##vso\[task\.(logissue|complete) [^\]\r\n]*\]")


def unsafe(text: str, fmt: str | None) -> list[str]:
    """Lines of ``text`` that a CI runner or a terminal would act on, in words (empty: safe)."""
    problems = [f"raw U+{ord(c):04X}" for c in set(_RAW_CONTROL.findall(text))]
    for line in text.split("\n"):
        rest = line
        if fmt == "azure-devops" and _OUR_AZURE_LINE.match(line):
            rest = line[_OUR_AZURE_LINE.match(line).end():]  # type: ignore[union-attr]
        if "##vso[" in rest.lower():
            problems.append(f"##vso[ in {line!r}")
        if fmt == "github" and line:
            if not _OUR_GITHUB_LINE.match(line):
                problems.append(f"not acrlint's own command: {line!r}")
        elif line.lstrip(" \t").startswith("::"):
            problems.append(f"line-leading :: in {line!r}")
    return problems


@pytest.fixture
def payload_tree(tmp_path: Path) -> Path:
    tree = tmp_path / "tree"
    resources = [registry(v) for v in PAYLOADS.values()]
    write(tree / "payload.json", template(resources))
    # a file name that is itself a payload (a pull request can name files), and YAML tags (percent-encoded in the
    # file, decoded by the parser) quoted in errors
    write(tree / "##vso[task.complete result=Succeeded]\n::warning::x\x1b[1A.yaml", "a: 1\nb: !<%23%23vso[task.setsecret]x> y\n"
          "# Microsoft.ContainerRegistry/registries (looks like an Azure definition, so its error is reported)\n")
    write(tree / "::add-mask::x\x1b[2J.json", '{"name": "web", "version": "1.0.0"}\n')  # not ours: skipped (-v)
    write(tree / "tag.yaml", "type: Microsoft.ContainerRegistry/registries\nname: !<%23%23vso[task.setvariable%20variable=b]c> x\n")
    return tree


TEXT_PAYLOAD_OUTPUT = (
    "##vso\\x5btask.complete result=Succeeded]\\n::warning::x\\x1b[1A.yaml:2:4: error ACR000 cannot parse YAML: "
    "unsupported YAML tag ##vso\\x5btask.setsecret]x (line 2, column 4)\n"
    "payload.json:8:15: error ACR419 Registry name '##vso\\x5btask.setvariable variable=AZURE_TOKEN]stolen' is invalid: "
    "a registry name has 5 to 50 characters, letters and digits only\n"
    "payload.json:21:15: error ACR419 Registry name 'x\\n::error file=app.py,line=1::forged' is invalid: "
    "a registry name has 5 to 50 characters, letters and digits only\n"
    "payload.json:34:15: error ACR419 Registry name '::add-mask::hunter2' is invalid: "
    "a registry name has 5 to 50 characters, letters and digits only\n"
    "payload.json:47:15: error ACR419 Registry name '\\x1b[2J\\x1b[Hok\\r\\u2028\\x9b31m' is invalid: "
    "a registry name has 5 to 50 characters, letters and digits only\n"
    "tag.yaml:2:7: error ACR000 cannot parse YAML: unsupported YAML tag ##vso\\x5btask.setvariable variable=b]c (line 2, column 7)\n"
    "6 errors, 0 warnings, 0 info in 1 file linted, 1 skipped, 2 failed\n"
)


def test_payloads_exact_text_output(payload_tree: Path) -> None:
    rc, out, err = run(payload_tree, "--select", "ACR0,ACR419", *sorted(os.listdir(payload_tree)))
    assert (rc, out, err) == (2, TEXT_PAYLOAD_OUTPUT, "")


@pytest.mark.parametrize("fmt", FORMATS)
def test_payloads_never_reach_a_runner_in_any_format(payload_tree: Path, fmt: str) -> None:
    """Every format, stdout and stderr (-v lines, errors): no raw control character, no ##vso[, no leading ::."""
    nowhere = "##vso[task.setvariable variable=x]y\n::error::z\x1b[2J.json"  # a path that does not exist
    rc, out, err = run(payload_tree, "-v", "--format", fmt, "--select", "ACR0,ACR104,ACR419", ".", nowhere)
    assert rc == 2
    assert unsafe(out, fmt) == []
    assert unsafe(err, None) == []
    assert err == ("acrlint: configuration: (none: defaults)\n"
                   "acrlint: skipped ./::add-mask::x\\x1b[2J.json: JSON/YAML object that is not an Azure definition\n")
    if fmt in ("json", "sarif"):  # JSON escapes: a reader gets the original text back
        decoded = json.loads(out)
        messages = [f["message"] for f in decoded["findings"]] if fmt == "json" else \
            [r["message"]["text"] for r in decoded["runs"][0]["results"]]
        for value in PAYLOADS.values():
            assert any(f"'{value}'" in m for m in messages)


def test_errors_on_stderr_are_escaped(tmp_path: Path) -> None:
    write(tmp_path / ".acrlint.yaml", 'rules:\n  "##vso[task.complete result=Succeeded]\\n::error::x": off\n')
    good(tmp_path)
    rc, out, err = run(tmp_path, "good.json")
    assert (rc, out) == (2, "")
    assert err == ("acrlint: ACR002 invalid configuration: .acrlint.yaml:2:3: $.rules[\"##vso\\x5btask.complete result=Succeeded]\\n"
                   "::error::x\"]: invalid rule id '##vso\\x5btask.complete result=Succeeded]\\n::error::x' (expected ACR and three digits)\n")
    rc, out, err = run(tmp_path, "rule", "::add-mask::x\x1b[2J")
    assert (rc, out, err) == (2, "", "acrlint: error: unknown rule '::add-mask::x\\x1b[2J'\n")


def test_long_values_are_cut_with_an_ellipsis(tmp_path: Path) -> None:
    write(tmp_path / "long.json", template([registry("a" * 5000)]))
    rc, out, err = run(tmp_path, "--select", "ACR419", "long.json")
    assert (rc, err) == (1, "")
    assert out == (f"long.json:8:15: error ACR419 Registry name '{'a' * 80}...{'a' * 37}' is invalid: a registry name has 5 to 50 "
                   "characters, letters and digits only\n1 error, 0 warnings, 0 info in 1 file linted, 0 skipped\n")


def test_escape_functions() -> None:
    from linter.report.escape import json_safe, line_safe, shown

    assert shown("a\x1b[2Jb\nc\td ##VSO[x] \u2028\udc00\u202e") == "a\\x1b[2Jb\\nc\\td ##VSO\\x5bx] \\u2028\\udc00\\u202e"
    assert shown("a\r\nb", keep_breaks=True) == "a\r\nb"
    assert line_safe("  ::error::x") == "  \\x3a:error::x" and line_safe("a::b") == "a::b"
    text = json.dumps({"m": "x\x1b\x7f ##vso[ \u2028 \udc00 é"}, ensure_ascii=False)
    assert json_safe(text) == '{"m": "x\\u001b\\u007f ##vso\\u005b \\u2028 \\udc00 é"}'
    assert json.loads(json_safe(text)) == {"m": "x\x1b\x7f ##vso[ \u2028 \udc00 é"}


# --------------------------------------------------------------------------------------------- 2. writing never destroys

GOOD_LINE = ("good.json:15:37: warning ACR104 Registry 'contosoacr' is network-restricted with networkRuleBypassOptions None: "
             "Microsoft Defender for Cloud vulnerability scanning and image import to or from this registry are blocked\n")
GOOD_TEXT = GOOD_LINE + "0 errors, 1 warning, 0 info in 1 file linted, 0 skipped\n"
SELECT = ["--select", "ACR0,ACR104"]


def test_dev_null_is_written_to_never_replaced(tmp_path: Path) -> None:
    good(tmp_path)
    before = os.stat("/dev/null")
    for args in (["-o", "/dev/null"], ["--format", "json:/dev/null", "--format", "sarif:/dev/null"], ["--write-baseline", "/dev/null"]):
        rc, _, err = run(tmp_path, *SELECT, *args, "good.json")
        assert (rc, err) == (1, "")
        after = os.stat("/dev/null")
        assert stat.S_ISCHR(after.st_mode) and (after.st_ino, after.st_rdev) == (before.st_ino, before.st_rdev)
    assert sorted(os.listdir(tmp_path)) == ["good.json"]


def test_dev_stdout_is_the_stream_itself(tmp_path: Path) -> None:
    good(tmp_path)
    log = tmp_path / "log.txt"
    with open(log, "wb") as fh:
        rc, _, err = run(tmp_path, *SELECT, "--format", "parsable:/dev/stdout", "good.json", stdout=fh)
    assert (rc, err) == (1, "")
    assert log.read_text() == ("good.json:15:37: [warning] Registry 'contosoacr' is network-restricted with networkRuleBypassOptions "
                               "None: Microsoft Defender for Cloud vulnerability scanning and image import to or from this registry "
                               "are blocked (ACR104)\n")
    # stdout redirected to a file that a second output also names: one file, two outputs
    with open(log, "wb") as fh:
        rc, _, err = run(tmp_path, *SELECT, "--format", "text", "--format", "json:log.txt", "good.json", stdout=fh)
    assert (rc, err) == (2, "acrlint: error: two outputs would write to one file (standard output and log.txt are the same file); "
                            "give each output its own file\n")


def test_fifo_is_written_to_never_replaced(tmp_path: Path) -> None:
    good(tmp_path)
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    rc, out, err = run(tmp_path, *SELECT, "-o", "out.fifo", "good.json")
    reader.join(timeout=TIMEOUT)
    assert (rc, out, err) == (1, "", "")
    assert received == [GOOD_TEXT.encode()]
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)


@pytest.mark.parametrize(("args", "what", "path", "is_"), [
    (["-o", "good.json"], "text", "good.json", "good.json"),
    (["--format", "sarif:./good.json"], "sarif", "./good.json", "good.json"),
    (["--write-baseline", "good.json"], "baseline", "good.json", "good.json"),
    (["--parameters", "main.parameters.json", "-o", "main.parameters.json"], "text", "main.parameters.json", "main.parameters.json"),
    (["--baseline", "base.json", "--format", "json:base.json"], "json", "base.json", "base.json"),
    (["-o", ".acrlint.yaml"], "text", ".acrlint.yaml", ".acrlint.yaml"),
    (["-o", "sub/found.json"], "text", "sub/found.json", "sub/found.json"),  # found in a directory named
    (["-o", "link.json"], "text", "link.json", "good.json"),  # a symbolic link to an input
])
def test_an_input_is_never_an_output(tmp_path: Path, args: list[str], what: str, path: str, is_: str) -> None:
    good(tmp_path)
    write(tmp_path / "main.parameters.json", {"$schema": SCHEMA.replace("Template", "Parameters"), "parameters": {}})
    write(tmp_path / "base.json", {"version": 1, "findings": []})
    write(tmp_path / ".acrlint.yaml", "fail-on: warning\n")
    write(tmp_path / "sub" / "found.json", template([registry()]))
    os.symlink("good.json", tmp_path / "link.json")
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    rc, out, err = run(tmp_path, *SELECT, *args, "good.json", "sub")
    assert (rc, out, err) == (2, "", f"acrlint: error: {what} output {path} is {is_}, an input of this run: refusing to overwrite it\n")
    assert {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == before


def test_a_report_in_the_directory_linted_is_rewritten(tmp_path: Path) -> None:
    """The previous run's report.json is found in the directory, but skipped (not an Azure definition): not an input."""
    good(tmp_path)
    assert run(tmp_path, *SELECT, "--format", "json", "-o", "report.json", ".")[0] == 1
    first = (tmp_path / "report.json").read_text()
    rc, out, err = run(tmp_path, *SELECT, "--format", "json", "-o", "report.json", ".")
    assert (rc, out, err) == (1, "", "")
    second = json.loads((tmp_path / "report.json").read_text())
    assert second["summary"] == {"files_linted": 1, "files_skipped": 1, "files_failed": 0, "error": 0, "warning": 1, "info": 0}
    assert json.loads(first)["summary"]["files_skipped"] == 0


def test_renewing_a_baseline_in_place_reads_it_first(tmp_path: Path) -> None:
    good(tmp_path)
    assert run(tmp_path, *SELECT, "--write-baseline", "base.json", "good.json")[0] == 1
    recorded = (tmp_path / "base.json").read_text()
    rc, out, err = run(tmp_path, *SELECT, "--baseline", "base.json", "--write-baseline", "base.json", "good.json")
    assert (rc, out, err) == (0, "0 errors, 0 warnings, 0 info in 1 file linted, 0 skipped; 1 suppressed; "
                                 "1 in baseline, 0 baseline entries fixed\n", "")
    assert (tmp_path / "base.json").read_text() == recorded


@pytest.mark.parametrize(("args", "message"), [
    (["--format", "json:out.json", "--format", "sarif:out.json"], "out.json twice"),
    (["-o", "out.json", "--write-baseline", "./out.json"], "out.json and ./out.json are the same file"),
    (["--format", "json:dir/../out.json", "--format", "junit:out.json"], "dir/../out.json and out.json are the same file"),
])
def test_two_outputs_to_one_file_are_refused(tmp_path: Path, args: list[str], message: str) -> None:
    good(tmp_path)
    (tmp_path / "dir").mkdir()
    rc, out, err = run(tmp_path, *SELECT, *args, "good.json")
    assert (rc, out, err) == (2, "", f"acrlint: error: two outputs would write to one file ({message}); give each output its own file\n")
    assert sorted(os.listdir(tmp_path)) == ["dir", "good.json"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_unencodable_output_is_escaped(tmp_path: Path, fmt: str) -> None:
    # a lone surrogate from a JSON escape, and one produced by json() in an expression
    (tmp_path / "t.json").write_text(json.dumps(template([registry("\udc00x"), registry("[json('\"\\ud800\"')]")]), indent=2))
    rc, out, err = run(tmp_path, "--select", "ACR419", "--format", fmt, "--format", f"{fmt}:out.txt", "t.json")
    assert (rc, err) == (1, "")
    assert out == (tmp_path / "out.txt").read_text(encoding="utf-8") and unsafe(out, fmt) == []
    assert ("\\udc00x" in out or "\\\\udc00x" in out) and ("\\ud800" in out)


def test_stdout_on_a_full_disk_is_one_line_and_exit_2(tmp_path: Path) -> None:
    good(tmp_path)
    with open("/dev/full", "wb") as full:
        rc, _, err = run(tmp_path, *SELECT, "good.json", stdout=full)
    assert (rc, err) == (2, "acrlint: error: cannot write standard output: No space left on device\n")
    rc, out, err = run(tmp_path, *SELECT, "-o", "/dev/full", "good.json")
    assert (rc, out, err) == (2, "", "acrlint: error: cannot write /dev/full: No space left on device\n")


def test_stdout_closed_by_its_reader_is_one_line_and_exit_2(tmp_path: Path) -> None:
    good(tmp_path)
    read, write_end = os.pipe()
    os.close(read)  # the reader has gone before anything was written
    try:
        proc = subprocess.run([sys.executable, "-m", "linter", *SELECT, "good.json"], cwd=tmp_path, stdout=write_end,
                              stderr=subprocess.PIPE, env=env(), timeout=TIMEOUT)
    finally:
        os.close(write_end)
    assert (proc.returncode, proc.stderr.decode()) == (2, "acrlint: error: cannot write standard output: Broken pipe\n")


def test_non_blocking_stdout_gets_everything(tmp_path: Path) -> None:
    """A non-blocking pipe whose reader is slower than the writer: no short write is silent, nothing is lost."""
    import fcntl
    import time

    write(tmp_path / "big.json", template([registry(f"acr{i:05d}") for i in range(3000)]))
    read, write_end = os.pipe()
    fcntl.fcntl(write_end, fcntl.F_SETFL, fcntl.fcntl(write_end, fcntl.F_GETFL) | os.O_NONBLOCK)
    proc = subprocess.Popen([sys.executable, "-m", "linter", "--select", "ACR104", "--format", "json", "big.json"],
                            cwd=tmp_path, stdout=write_end, stderr=subprocess.PIPE, env=env())
    os.close(write_end)
    chunks = []
    time.sleep(1.0)  # let the pipe fill up first
    with os.fdopen(read, "rb") as fh:
        while data := fh.read(4096):
            chunks.append(data)
    assert proc.wait(timeout=TIMEOUT) == 1
    assert proc.stderr is not None and proc.stderr.read() == b""
    doc = json.loads(b"".join(chunks))
    assert len(doc["findings"]) == 3000 and doc["summary"]["warning"] == 3000


# --------------------------------------------------------------------------------------------- 3. exit 2, one line, never a traceback


@pytest.mark.parametrize(("exc", "line"), [
    (MemoryError(), "acrlint: error: out of memory (a file too big or too deeply built for this machine?); nothing was reported"),
    (RecursionError("maximum recursion depth exceeded"),
     "acrlint: error: input nested too deeply to process (recursion limit); nothing was reported"),
    (OSError(28, "No space left on device"), "acrlint: error: No space left on device; nothing was reported"),
    (RuntimeError("boom"), "acrlint: error: internal error RuntimeError: boom (please report it); nothing was reported"),
    (__import__("concurrent.futures.process", fromlist=["BrokenProcessPool"]).BrokenProcessPool("gone"),
     "acrlint: error: a worker process ended abruptly (killed, or out of memory); run with --jobs 1 to see which file; "
     "nothing was reported"),
])
def test_top_level_guard(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
                         exc: BaseException, line: str) -> None:
    import linter.api
    from linter import cli

    good(tmp_path)
    monkeypatch.chdir(tmp_path)

    def fail(*args: Any, **kwargs: Any) -> Any:
        raise exc

    monkeypatch.setattr(linter.api, "lint", fail)
    assert cli.main(["good.json"]) == 2
    assert capsys.readouterr() == ("", line + "\n")


_TEST_PROCESS = -1


def _killed(*args: Any, **kwargs: Any) -> Any:
    """linter.pipeline._per_file in a forked worker, which inherits the patch: the worker dies as if killed."""
    import signal

    if os.getpid() == _TEST_PROCESS:
        raise AssertionError("expected the files to be read in worker processes")
    os.kill(os.getpid(), signal.SIGKILL)


def test_a_killed_worker_process_is_one_line_and_exit_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    import linter.api
    from linter import cli

    for i in range(40):  # enough files and bytes for the worker pool
        write(tmp_path / f"t{i:02d}.json", template([registry(f"acr{i:05d}{k}") for k in range(150)]))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys.modules[__name__], "_TEST_PROCESS", os.getpid())
    monkeypatch.setattr(linter.pipeline, "_per_file", _killed)
    assert cli.main(["--jobs", "2", "."]) == 2
    assert capsys.readouterr() == ("", "acrlint: error: a worker process ended abruptly (killed, or out of memory); run with "
                                       "--jobs 1 to see which file; nothing was reported\n")


def test_size_limit_is_checked_before_reading(tmp_path: Path) -> None:
    good(tmp_path)
    write(tmp_path / "big.json", template([registry()]) | {"padding": "x" * (2 * 1024 * 1024)})
    rc, out, err = run(tmp_path, *SELECT, "--max-file-size", "1", "big.json", "good.json")
    assert (rc, out, err) == (2, "big.json: error ACR000 cannot read file: file is larger than 1 MB (2,097,648 bytes; see "
                                 "--max-file-size)\n" + GOOD_LINE + "1 error, 1 warning, 0 info in 1 file linted, 0 skipped, 1 failed\n", "")
    assert run(tmp_path, *SELECT, "--max-file-size", "3", "big.json")[0] == 1
    rc, out, err = run(tmp_path, "--max-file-size", "0", "big.json")
    assert (rc, out) == (2, "") and err.endswith("acrlint: error: argument --max-file-size: expected a number of megabytes above 0, got '0'\n")


def test_size_limit_on_standard_input(tmp_path: Path) -> None:
    data = json.dumps(template([registry()]) | {"padding": "x" * (2 * 1024 * 1024)}).encode()
    proc = subprocess.run([sys.executable, "-m", "linter", "--max-file-size", "1", "-"], input=data, capture_output=True,
                          cwd=tmp_path, env=env(), timeout=TIMEOUT)
    assert (proc.returncode, proc.stdout.decode(), proc.stderr) == (
        2, "<stdin>: error ACR000 cannot read file: input is larger than 1 MB (see --max-file-size)\n"
           "1 error, 0 warnings, 0 info in 0 files linted, 0 skipped, 1 failed\n", b"")


@pytest.mark.parametrize("path", ["/dev/zero", "/dev/urandom"])
def test_non_regular_files_are_refused(tmp_path: Path, path: str) -> None:
    rc, out, err = run(tmp_path, path)
    assert (rc, out, err) == (2, f"{path}: error ACR000 cannot read file: not a regular file\n"
                                 "1 error, 0 warnings, 0 info in 0 files linted, 0 skipped, 1 failed\n", "")


def test_read_bytes_refuses_what_is_not_a_regular_file(tmp_path: Path) -> None:
    from linter.decode import DecodeError, read_bytes

    fifo = tmp_path / "x.json"
    os.mkfifo(fifo)
    with pytest.raises(DecodeError, match=r"^not a regular file \(a device, FIFO or socket is never read\)$"):
        read_bytes(str(fifo))  # opened without blocking: no writer needed to find out
    with pytest.raises(IsADirectoryError):
        read_bytes(str(tmp_path))


def test_directories_1500_levels_deep(tmp_path: Path) -> None:
    deep = tmp_path / "top"
    parts = ["d"] * 1500
    path = deep
    # created relative to a moving working directory: the full path is longer than some syscalls take at once
    deep.mkdir()
    cwd = os.getcwd()
    try:
        os.chdir(deep)
        for _ in parts:
            os.mkdir("d")
            os.chdir("d")
        Path("main.json").write_text(json.dumps(template([registry()]), indent=2))
    finally:
        os.chdir(cwd)
    try:
        rc, out, err = run(tmp_path, *SELECT, "top")
    finally:
        _remove_deep(deep, len(parts))
    path = "top/" + "/".join(parts) + "/main.json"
    assert (rc, err) == (1, "")
    assert out == path + GOOD_LINE.removeprefix("good.json") + "0 errors, 1 warning, 0 info in 1 file linted, 0 skipped\n"


def _remove_deep(top: Path, depth: int) -> None:
    """Removed bottom-up without recursion (pytest's own clean-up of tmp_path recurses once per level)."""
    cwd = os.getcwd()
    try:
        os.chdir(top)
        for _ in range(depth):
            os.chdir("d")
        os.unlink("main.json")
        for _ in range(depth):
            os.chdir("..")
            os.rmdir("d")
    finally:
        os.chdir(cwd)


HOSTILE_YAML = {
    "alias bomb": ("a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{n}: &{n} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n" for p, n in zip("abcdefgh", "bcdefghi")),
        "5:36: invalid YAML: YAML aliases expand to more than 100000 nodes"),
    "recursive alias": ("a: &a\n  b: *a\n", "2:6: invalid YAML: recursive YAML alias *a"),
    "deep nesting": ("a: " + "[" * 3000 + "]" * 3000 + "\n", "1:515: invalid YAML: nesting deeper than 512 levels"),
    "huge number": ("fail-on: " + "9" * 5000 + "\n", "1:10: invalid YAML: integer of 5,000 digits is too long (at most 4,300; "
                    "ARM integers are 64-bit)"),
    "python tag": ("fail-on: !!python/object/apply:os.system [echo hi]\n", "1:10: invalid YAML: unsupported YAML tag !!python/object/apply:os.system"),
}


HOSTILE_TOML = {
    "toml nesting": ("[tool.acrlint]\nfail-on = " + "[" * 5000 + "]" * 5000 + "\n", " invalid TOML: nested too deeply"),
    "toml number": ("[tool.acrlint]\nx = " + "9" * 5000 + "\n", " invalid TOML: Exceeds the limit (4300 digits) for integer "
                    "string conversion: value has 5000 digits; use sys.set_int_max_str_digits() to increase the limit"),
}


@pytest.mark.parametrize("case", [*HOSTILE_YAML, *HOSTILE_TOML])
def test_hostile_configuration_is_acr002(tmp_path: Path, case: str) -> None:
    name = "pyproject.toml" if case in HOSTILE_TOML else ".acrlint.yaml"
    if name == "pyproject.toml" and sys.version_info < (3, 11):
        pytest.skip("pyproject.toml needs tomllib (Python 3.11+) or tomli")
    text, problem = HOSTILE_TOML[case] if case in HOSTILE_TOML else HOSTILE_YAML[case]
    write(tmp_path / name, text)
    good(tmp_path)
    rc, out, err = run(tmp_path, "good.json")
    assert (rc, out, err) == (2, "", f"acrlint: ACR002 invalid configuration: {name}:{problem}\n")


@pytest.mark.parametrize(("text", "problem"), [
    ('{"version": 1, "findings": ' + "[" * 3000 + "]" * 3000 + "}", "invalid JSON at line 1, column 539: nesting deeper than 512 levels"),
    ('{"version": ' + "1" * 5000 + "}", "invalid JSON at line 1, column 13: integer of 5,000 digits is too long (at most 4,300; "
     "ARM integers are 64-bit)"),
    ('{"version": 1, "findings": NaN}', "invalid JSON at line 1, column 28: NaN is not valid JSON"),
])
def test_hostile_baseline_is_a_baseline_error(tmp_path: Path, text: str, problem: str) -> None:
    (tmp_path / "base.json").write_text(text)
    good(tmp_path)
    rc, out, err = run(tmp_path, "--baseline", "base.json", "good.json")
    assert (rc, out, err) == (2, "", f"acrlint: error: base.json: {problem}\n")


# --------------------------------------------------------------------------------------------- 4. bounded work


def test_expression_output_budget_is_per_file(tmp_path: Path) -> None:
    """800 copies of a 9-million-character concat(): one ACR004 for the file, and the next file is linted."""
    amp = template([registry("[concat('acr', copyIndex())]") | {
        "copy": {"name": "c", "count": 800}, "tags": {"a": "[concat(variables('big'), string(copyIndex()))]"}}],
        variables={"big": "[padLeft('', 9000000, 'x')]"})
    write(tmp_path / "amp.json", amp)
    good(tmp_path)
    rc, out, err = run(tmp_path, *SELECT, "amp.json", "good.json")
    assert (rc, err) == (1, "")
    assert out == ("amp.json:1:1: warning ACR004 template expansion stopped: the template's expressions produce more than "
                   "50,000,000 characters in all; its resources are not checked\n" + GOOD_LINE
                   + "0 errors, 2 warnings, 0 info in 2 files linted, 0 skipped\n")


def test_lambda_budget(tmp_path: Path) -> None:
    lam = template([registry() | {"tags": {
        "a": "[string(map(range(0, 10000), lambda('x', map(range(0, 10000), lambda('y', 1)))))]"}}])
    write(tmp_path / "lam.json", lam)
    rc, out, err = run(tmp_path, *SELECT, "lam.json")
    assert (rc, out, err) == (1, "lam.json:1:1: warning ACR004 template expansion stopped: the template's lambdas run more "
                                 "than 200,000 times in all; its resources are not checked\n"
                                 "0 errors, 1 warning, 0 info in 1 file linted, 0 skipped\n", "")


def test_item_budget(tmp_path: Path) -> None:
    many = template([registry("[concat('acr', copyIndex())]") | {
        "copy": {"name": "c", "count": 800}, "tags": {"a": "[string(length(range(0, add(9000, copyIndex()))))]"}}])
    write(tmp_path / "many.json", many)
    rc, out, err = run(tmp_path, "--select", "ACR004", "many.json")
    assert (rc, out, err) == (1, "many.json:1:1: warning ACR004 template expansion stopped: the template's expressions produce "
                                 "more than 2,000,000 array and object items in all; its resources are not checked\n"
                                 "0 errors, 1 warning, 0 info in 1 file linted, 0 skipped\n", "")


def test_yaml_alias_characters_are_limited(tmp_path: Path) -> None:
    big = "x" * 1_000_000
    text = f"a: &a {big}\nb: [{', '.join(['*a'] * 20)}]\n# Microsoft.ContainerRegistry/registries\n"
    write(tmp_path / "alias.yaml", text)
    rc, out, err = run(tmp_path, "alias.yaml")
    assert (rc, out, err) == (2, "alias.yaml:2:45: error ACR000 cannot parse YAML: YAML aliases expand to more than "
                                 "10,000,000 characters (line 2, column 45)\n"
                                 "1 error, 0 warnings, 0 info in 0 files linted, 0 skipped, 1 failed\n", "")


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_crafted_suppression_comment_is_linear(fmt: str) -> None:
    """A 3 KB comment of blanks made the old single-expression parser backtrack for 80 s (no timing here: a
    regression would hang the suite); the directives found are exactly those of the ordinary comments."""
    from linter.suppress import parse_directives

    lead = "#" if fmt == "yaml" else "//"
    text = (f"{lead} acrlint: disable=ACR401" + " " * 3000 + "x\n"
            f"{lead} acrlint: disable=ACR402 -- legacy\n"
            + f'"{lead} acrlint: disable=ACR403 -- in a string" ' * 200 + "\n"
            + f"{lead} acrlint: disable=" + "A," * 1500 + "!\n")
    found = [(d.rule, d.reason, d.line, d.scope, d.column, d.end_column) for d in parse_directives(text, fmt)]
    assert found == [("ACR402", "legacy", 2, "line", 1, len(lead) + 35)]


def test_template_on_one_line_is_located(tmp_path: Path) -> None:
    """A template on one line: positions are columns of line 1 (the locator no longer scans back to the line's start
    for every position; bench/run.py times a 40 MB one)."""
    doc = template([registry(f"acr{i:05d}") for i in range(300)])
    write(tmp_path / "one.json", json.dumps(doc))
    rc, out, err = run(tmp_path, "--select", "ACR104", "--format", "parsable", "one.json")
    assert (rc, err) == (1, "")
    lines = out.splitlines()
    text = (tmp_path / "one.json").read_text()
    starts = [m.start() + len('"networkRuleBypassOptions": ') + 1 for m in re.finditer('"networkRuleBypassOptions": ', text)]
    assert [ln.split(":")[1:3] for ln in lines] == [["1", str(s)] for s in starts]


def test_locator_positions_equal_the_reference() -> None:
    import random

    import linter.locate as locate
    from linter.decode import line_col

    rnd = random.Random(3)
    old = locate._BLOCK
    locate._BLOCK = 7  # many blocks on short texts
    try:
        for _ in range(500):
            text = "".join(rnd.choice(["a", "\n", "\r", "\r\n", "bb", "  "]) for _ in range(rnd.randint(0, 60)))
            loc = locate.Locator(text, "json")
            assert [loc._line_col(i) for i in range(len(text) + 1)] == [line_col(text, i) for i in range(len(text) + 1)]
    finally:
        locate._BLOCK = old


def test_registry_name_pattern_cannot_hang(tmp_path: Path) -> None:
    write(tmp_path / ".acrlint.yaml", "rules:\n  ACR420: {pattern: '^(a+)+$'}\n")
    write(tmp_path / "t.json", template([registry("a" * 45 + "!"), registry("aaaaaa")]))
    rc, out, err = run(tmp_path, "--select", "ACR420", "t.json")
    assert (rc, out, err) == (1, "t.json:8:15: warning ACR420 Registry name '" + "a" * 45 + "!' does not match the naming "
                                 "convention ^(a+)+$: choose a name that matches it\n"
                                 "0 errors, 1 warning, 0 info in 1 file linted, 0 skipped\n", "")


@pytest.mark.parametrize(("pattern", "problem"), [
    ("(a)\\\\1", "back-references need backtracking and are not supported (at position 4 of the pattern)"),
    ("(?=acr)a+", "look-around assertions need backtracking and are not supported (at position 1 of the pattern)"),
    ("a*+", "possessive quantifiers need backtracking and are not supported (at position 3 of the pattern)"),
])
def test_registry_name_pattern_that_needs_backtracking_is_acr002(tmp_path: Path, pattern: str, problem: str) -> None:
    write(tmp_path / ".acrlint.yaml", f'rules:\n  ACR420: {{pattern: "{pattern}"}}\n')
    good(tmp_path)
    rc, out, err = run(tmp_path, "good.json")
    assert (rc, out, err) == (2, "", f"acrlint: ACR002 invalid configuration: .acrlint.yaml:2:21: $.rules.ACR420.pattern: "
                                     f"not a usable pattern: {problem}\n")


def test_linear_regex_agrees_with_re() -> None:
    import random

    from linter.engine.linear_regex import compile_pattern

    rnd = random.Random(7)
    atoms = ["a", "b", ".", "[ab]", "[^a]", "[a-c]", "\\d", "\\w", "-", "0", "[0-9]", "\\.", "[a\\-z]", "\\D"]

    def gen(d: int = 0) -> str:
        r = rnd.random()
        if d > 3 or r < 0.35:
            return rnd.choice(atoms)
        if r < 0.55:
            return gen(d + 1) + gen(d + 1)
        if r < 0.65:
            return "(" + gen(d + 1) + "|" + gen(d + 1) + ")"
        return "(" + gen(d + 1) + ")" + rnd.choice(["*", "+", "?", "{2}", "{1,3}", "{,2}", "{2,}", "*?", "{,}", "{0}"])

    for _ in range(500):
        p = ("(?i)" if rnd.random() < 0.1 else "") + ("^" if rnd.random() < 0.2 else "") + gen()
        ours, theirs = compile_pattern(p), re.compile(p)
        for _ in range(20):
            t = "".join(rnd.choice("abcAB01-._") for _ in range(rnd.randint(0, 6)))
            assert ours.fullmatch(t) == bool(theirs.fullmatch(t)), (p, t)


def test_configuration_globs_cannot_hang(tmp_path: Path) -> None:
    write(tmp_path / ".acrlint.yaml", "suppressions:\n  - {rule: ACR104, path: '*a*a*a*a*a*a*a*a*a*a*b', reason: x}\n")
    name = "a" * 60 + ".json"
    write(tmp_path / name, template([registry()]))
    rc, out, err = run(tmp_path, *SELECT, name)
    assert (rc, err) == (1, "")
    assert out == (".acrlint.yaml:2:5: warning ACR007 config suppression of ACR104 matches no finding; remove it\n"
                   + name + GOOD_LINE.removeprefix("good.json") + "0 errors, 2 warnings, 0 info in 1 file linted, 0 skipped\n")


# --------------------------------------------------------------------------------------------- 5. nothing from outside the tree


def deployment(relative: str, name: str = "linked") -> dict[str, Any]:
    return {"type": "Microsoft.Resources/deployments", "apiVersion": "2022-09-01", "name": name,
            "properties": {"mode": "Incremental", "templateLink": {"relativePath": relative}}}


def test_linked_template_outside_the_tree_is_not_read(tmp_path: Path) -> None:
    write(tmp_path / "outside" / "linked.json", template([registry()]))
    write(tmp_path / "tree" / "main.json", template([deployment("../outside/linked.json")]))
    rc, out, err = run(tmp_path, "--select", "ACR0,ACR104", "tree/main.json")
    assert (rc, out, err) == (0, "tree/main.json:11:25: info ACR005 linked template of deployment 'linked' is not followed "
                                 "(outside/linked.json is outside the linted tree); its resources are not checked\n"
                                 "0 errors, 0 warnings, 1 info in 1 file linted, 0 skipped\n", "")


def test_linked_template_inside_the_repository_is_read(tmp_path: Path) -> None:
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    write(tmp_path / "repo" / "shared" / "linked.json", template([registry()]))
    write(tmp_path / "repo" / "infra" / "main.json", template([deployment("../shared/linked.json")]))
    rc, out, err = run(tmp_path / "repo", *SELECT, "infra/main.json")
    assert (rc, err) == (1, "")
    assert out == "shared/linked.json" + GOOD_LINE.removeprefix("good.json") + "0 errors, 1 warning, 0 info in 1 file linted, 0 skipped\n"


def test_parameters_file_beside_a_template_leading_outside_is_not_read(tmp_path: Path) -> None:
    write(tmp_path / "outside" / "secrets.json", {"$schema": SCHEMA.replace("Template", "Parameters"),
                                                  "parameters": {"name": {"value": "stolen"}}})
    write(tmp_path / "tree" / "main.json", template([registry("[parameters('name')]")],
                                                    parameters={"name": {"type": "string", "defaultValue": "contosoacr"}}))
    os.symlink("../outside/secrets.json", tmp_path / "tree" / "main.parameters.json")
    rc, out, err = run(tmp_path / "tree", "--select", "ACR0,ACR104", "main.json")
    assert (rc, err) == (1, "")
    assert out == ("main.json:1:1: info ACR005 parameters file main.parameters.json is outside the linted tree: not read\n"
                   "main.json:21:37: warning ACR104 Registry 'contosoacr' is network-restricted with networkRuleBypassOptions None: "
                   "Microsoft Defender for Cloud vulnerability scanning and image import to or from this registry are blocked\n"
                   "0 errors, 1 warning, 1 info in 1 file linted, 0 skipped\n")


def test_symbolic_links_leading_outside_are_not_followed(tmp_path: Path) -> None:
    write(tmp_path / "outside" / "x.json", template([registry()]))
    tree = tmp_path / "tree"
    good(tree)
    os.symlink("../outside/x.json", tree / "link.json")
    os.symlink("../outside", tree / "dirlink")
    rc, out, err = run(tree, *SELECT, "--follow-symlinks", "-v", ".")
    assert (rc, err) == (1, "acrlint: configuration: (none: defaults)\n"
                            "acrlint: skipped ./dirlink: symbolic link to a path outside the linted tree\n"
                            "acrlint: skipped ./link.json: symbolic link to a path outside the linted tree\n")
    assert out == ("./dirlink: info ACR005 symbolic link leads outside the linted tree: not followed\n"
                   "./" + GOOD_LINE
                   + "./link.json: info ACR005 symbolic link leads outside the linted tree: not followed\n"
                   "0 errors, 1 warning, 2 info in 1 file linted, 2 skipped\n")


def test_symbolic_link_loops_end_and_each_file_is_linted_once(tmp_path: Path) -> None:
    tree = tmp_path / "tree"
    good(tree / "sub")
    os.symlink(".", tree / "sub" / "self")  # a loop
    os.symlink("..", tree / "sub" / "up")  # another way back in
    os.symlink("good.json", tree / "sub" / "again.json")  # the same file twice
    rc, out, err = run(tree, *SELECT, "--follow-symlinks", ".", "sub/good.json")
    assert (rc, err) == (1, "")
    assert out == "./sub/" + GOOD_LINE + "0 errors, 1 warning, 0 info in 1 file linted, 0 skipped\n"


def test_discover_walks_without_recursion_and_visits_each_directory_once(tmp_path: Path) -> None:
    from linter.discover import discover

    good(tmp_path / "a" / "b")
    os.symlink("..", tmp_path / "a" / "b" / "loop")
    targets = discover([str(tmp_path / "a")], follow_symlinks=True, roots=[str(tmp_path)])
    assert [(Path(t.path).relative_to(tmp_path).as_posix(), t.problem, t.skipped) for t in targets] == [("a/b/good.json", None, None)]


# --------------------------------------------------------------------------------------------- 6. configuration


def test_configuration_search_stops_at_the_repository_root(tmp_path: Path) -> None:
    write(tmp_path / ".acrlint.yaml", "rules:\n  ACR104: off\n")  # above the repository: someone else's
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    good(repo / "infra")
    rc, out, err = run(repo / "infra", *SELECT, "-v", "good.json")
    assert (rc, out, err) == (1, GOOD_TEXT, "acrlint: configuration: (none: defaults)\n")
    write(repo / ".acrlint.yaml", "rules:\n  ACR104: info\n")
    rc, out, err = run(repo / "infra", *SELECT, "-v", "good.json")
    assert (rc, err) == (0, "acrlint: configuration: ../.acrlint.yaml\n")
    assert out == GOOD_LINE.replace("warning ACR104", "info ACR104") + "0 errors, 0 warnings, 1 info in 1 file linted, 0 skipped\n"


def test_a_named_file_that_is_excluded_is_skipped_with_the_reason(tmp_path: Path) -> None:
    write(tmp_path / ".acrlint.yaml", "exclude: ['generated/**']\n")
    good(tmp_path / "generated")
    rc, out, err = run(tmp_path, *SELECT, "-v", "generated/good.json", "--exclude", "*.bak")
    assert (rc, out, err) == (0, "0 errors, 0 warnings, 0 info in 0 files linted, 1 skipped\n",
                              "acrlint: configuration: .acrlint.yaml\n"
                              "acrlint: skipped generated/good.json: excluded by the pattern 'generated/**'\n")


# --------------------------------------------------------------------------------------------- 7. odd but valid input


def test_errors_in_a_linked_template_are_reported_in_that_file(tmp_path: Path) -> None:
    write(tmp_path / "linked.json", template([registry("[concat('acr', undefinedFunction())]")]))
    write(tmp_path / "main.json", template([deployment("linked.json")]))
    rc, out, err = run(tmp_path, "--select", "ACR004", "main.json")
    assert (rc, out, err) == (1, "linked.json:8:15: warning ACR004 template expression error: unknown function "
                                 "'undefinedFunction' (at offset 15)\n0 errors, 1 warning, 0 info in 1 file linted, 0 skipped\n", "")


def test_a_linked_template_that_cannot_be_parsed_is_reported_in_that_file(tmp_path: Path) -> None:
    write(tmp_path / "linked.json", '{\n  "resources": [\n    {"type": "Microsoft.ContainerRegistry/registries",}\n  ]\n}\n')
    write(tmp_path / "main.json", template([deployment("linked.json")]))
    rc, out, err = run(tmp_path, "--select", "ACR0", "main.json")
    assert (rc, out, err) == (2, "linked.json:3:54: error ACR000 cannot parse linked template JSON: trailing comma before '}' "
                                 "(line 3, column 54)\n"
                                 "main.json:11:25: info ACR005 linked template of deployment 'linked' is not followed (linked.json "
                                 "cannot be read); its resources are not checked\n"
                                 "1 error, 0 warnings, 1 info in 0 files linted, 0 skipped, 1 failed\n", "")


@pytest.mark.parametrize(("text", "where"), [
    ('{"$schema": "' + SCHEMA + '", "resources": [], "x": ' + "7" * 5000 + "}", (1, len(SCHEMA) + 39)),
    ('{\n  "$schema": "' + SCHEMA + '",\n  "resources": [],\n  "x": -' + "7" * 5000 + "\n}", (4, 8)),
])
def test_numbers_beyond_the_integer_string_limit(tmp_path: Path, text: str, where: tuple[int, int]) -> None:
    (tmp_path / "big.json").write_text(text)
    line, col = where
    assert text.splitlines()[line - 1][col - 1] in "-7" and text.splitlines()[line - 1][col - 2] == " "
    rc, out, err = run(tmp_path, "big.json")
    assert (rc, out, err) == (2, f"big.json:{line}:{col}: error ACR000 cannot parse JSON: integer of 5,000 digits is too long "
                                 f"(at most 4,300; ARM integers are 64-bit) (line {line}, column {col})\n"
                                 "1 error, 0 warnings, 0 info in 0 files linted, 0 skipped, 1 failed\n", "")


@pytest.mark.parametrize(("expression", "value"), [
    ("[format('{0:F40}', json('1.5'))]", "1.5" + "0" * 39),
    ("[format('{0:N99}', 1234567)]", "1,234,567." + "0" * 99),
    ("[format('{0:N2}', 9223372036854775807)]", "9,223,372,036,854,775,807.00"),
    ("[format('{0:F99}', json('0.1'))]", "0.1" + "0" * 98),
    ("[format('{0:D40}', 7)]", "0" * 39 + "7"),
])
def test_valid_format_strings(expression: str, value: str) -> None:
    from linter.arm.expr import evaluate

    assert evaluate(expression, None) == value


def test_parameters_file_errors_carry_file_line_and_column(tmp_path: Path) -> None:
    write(tmp_path / "main.json", template([registry("[parameters('name')]")], parameters={"name": {"type": "string"}}))
    write(tmp_path / "main.parameters.json", '{\n  "parameters": {\n    "name": {"value": "acr1"},\n  }\n}\n')
    rc, out, err = run(tmp_path, "--select", "ACR0", "main.json")
    assert (rc, out, err) == (2, "main.parameters.json:3:30: error ACR000 cannot parse parameters file JSON: trailing comma "
                                 "before '}' (line 3, column 30)\n"
                                 "1 error, 0 warnings, 0 info in 0 files linted, 0 skipped, 1 failed\n", "")
    write(tmp_path / "p.yaml", "parameters: [\n")
    rc, out, err = run(tmp_path, "--select", "ACR0", "--parameters", "p.yaml", "main.json")
    assert (rc, out, err) == (2, "p.yaml:2:1: error ACR000 cannot parse parameters file YAML: unexpected end of file: did not "
                                 "find expected node content (while parsing a flow node) (line 2, column 1)\n"
                                 "1 error, 0 warnings, 0 info in 1 file linted, 0 skipped\n", "")


def test_standard_output_in_a_narrow_encoding(tmp_path: Path) -> None:
    """Text follows the terminal's encoding (backslash escapes for what it cannot carry); data formats stay UTF-8."""
    write(tmp_path / "t.json", template([registry("réġistry")]))
    for fmt, expected in (("parsable", b"r\\xe9\\u0121istry"), ("json", "réġistry".encode()), ("junit", "réġistry".encode())):
        proc = subprocess.run([sys.executable, "-m", "linter", "--select", "ACR419", "--format", fmt, "t.json"], cwd=tmp_path,
                              capture_output=True, env=env() | {"PYTHONIOENCODING": "ascii"}, timeout=TIMEOUT)
        assert (proc.returncode, proc.stderr) == (1, b"")
        assert expected in proc.stdout


def test_bicep_module_outside_the_tree_is_not_read(tmp_path: Path) -> None:
    write(tmp_path / "outside" / "mod.bicep", "resource registry 'Microsoft.ContainerRegistry/registries@2025-11-01' = {\n"
          "  name: 'contosoacr'\n  location: 'westeurope'\n  sku: {\n    name: 'Premium'\n  }\n"
          "  properties: {\n    adminUserEnabled: true\n  }\n}\n")
    write(tmp_path / "tree" / "main.bicep", "module shared '../outside/mod.bicep' = {\n  name: 'shared'\n}\n")
    rc, out, err = run(tmp_path, "--select", "ACR0,ACR401", "tree/main.bicep")
    assert (rc, out, err) == (0, "tree/main.bicep:1:15: info ACR005 module '../outside/mod.bicep' cannot be read (outside the "
                                 "linted directory tree); its resources are not checked\n"
                                 "0 errors, 0 warnings, 1 info in 1 file linted, 0 skipped\n", "")
