"""Issue 14 item 7: the command-line habits people bring from ruff and cfn-lint: --exit-zero, --quiet,
--statistics, --show-source, --extend-select, `acrlint rules --format json`, subcommand --help and unknown
options, -j 0 refused, a progress bar over the whole run on a terminal only, colours with --color and NO_COLOR,
max-file-size in the configuration, -o with nothing to write refused."""
from __future__ import annotations

import io
import json
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest
from runner import ROOT, clean_env, registry, repo, run, template, write

from linter.engine.rules import load_rules

ACR104 = ("warning ACR104 Registry 'contosoacr' is network-restricted with networkRuleBypassOptions None: "
          "Microsoft Defender for Cloud vulnerability scanning and image import to or from this registry are blocked")
ACR401 = ("error ACR401 Registry 'contosoacr' has the admin user enabled: use Microsoft Entra identities (AcrPull/AcrPush, "
          "or repository-scoped tokens) and set adminUserEnabled to false")


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    root = repo(tmp_path / "repo")
    write(root / "main.json", template(registry(publicNetworkAccess="Disabled", networkRuleBypassOptions="None",
                                                adminUserEnabled=True)))
    return root


SELECT = ["--select", "ACR104,ACR401"]


def test_exit_zero_keeps_findings_but_not_the_failure(tree: Path) -> None:
    rc, out, _ = run(tree, "main.json", *SELECT, "--exit-zero")
    assert (rc, out) == (0, f"main.json:15:37: {ACR104}\nmain.json:16:29: {ACR401}\n1 error, 1 warning, 0 info in 1 file linted, 0 skipped\n")
    rc, out, _ = run(tree, "main.json", *SELECT, "--exit-zero", "--format", "azure-devops")
    assert (rc, out.splitlines()[-1]) == (0, "##vso[task.complete result=SucceededWithIssues;]")
    write(tree / "broken.json", '{"type": "Microsoft.ContainerRegistry/registries",')
    assert run(tree, "broken.json", "--exit-zero")[0] == 2  # acrlint could not do its job: still 2


def test_quiet_prints_findings_only(tree: Path) -> None:
    assert run(tree, "main.json", *SELECT, "-q") == (1, f"main.json:15:37: {ACR104}\nmain.json:16:29: {ACR401}\n", "")


def test_statistics(tree: Path) -> None:
    write(tree / "two.json", template(registry("contosoacr2", publicNetworkAccess="Disabled", networkRuleBypassOptions="None")))
    rc, out, err = run(tree, ".", *SELECT, "--statistics")
    assert (rc, out, err) == (1, "    2  ACR104  bypass-disabled\n    1  ACR401  admin-user-enabled\n"
                                 "1 error, 2 warnings, 0 info in 2 files linted, 0 skipped\n", "")
    # another format keeps standard output to itself: the counts go to standard error
    rc, out, err = run(tree, ".", *SELECT, "--statistics", "--format", "json")
    assert (rc, len(json.loads(out)["findings"]), err) == (1, 3, "    2  ACR104  bypass-disabled\n    1  ACR401  admin-user-enabled\n")


def test_show_source(tree: Path) -> None:
    write(tree / "acr.yaml", "type: Microsoft.ContainerRegistry/registries\nname: contosoacr\napiVersion: '2025-11-01'\n"
          "location: westeurope\nsku: {name: Premium}\nproperties:\n\tadminUserEnabled: true\n".replace("\t", "  "))
    long = template(registry(adminUserEnabled=True))
    (tree / "min.json").write_text(json.dumps(long, separators=(",", ":")) + "\n")
    rc, out, _ = run(tree, "acr.yaml", "min.json", "--select", "ACR401", "--show-source")
    assert rc == 1
    assert out.splitlines() == [
        "acr.yaml:7:21: " + ACR401,
        "    7 |   adminUserEnabled: true",
        "      |                     ^^^^",
        "min.json:1:311: " + ACR401,  # a minified template: a window of the line around the value
        '    1 | ...nerRegistry/registries","apiVersion":"2025-11-01","name":"contosoacr","location":"westeurope","sku":{"name":'
        '"Premium"},"properties":{"adminUserEnabled":true}}]}',
        "      | " + " " * 155 + "^^^^",
        "2 errors, 0 warnings, 0 info in 2 files linted, 0 skipped",
    ]


def test_extend_select(tree: Path) -> None:
    # recommended leaves ACR404 (info) off: --extend-select turns it on without replacing the preset
    write(tree / "open.json", template(registry("contosoopen", publicNetworkAccess="Enabled")))
    ids = lambda out: sorted({line.split()[2] for line in out.splitlines()[:-1]})  # noqa: E731
    assert "ACR404" not in ids(run(tree, "open.json")[1])
    assert ids(run(tree, "open.json", "--extend-select", "ACR404")[1]) == sorted(ids(run(tree, "open.json")[1]) + ["ACR404"])
    assert ids(run(tree, "open.json", "main.json", "--select", "ACR104", "--extend-select", "ACR401,ACR404")[1]) == ["ACR104", "ACR401", "ACR404"]
    assert ids(run(tree, "open.json", "--extend-select", "ACR404", "--ignore", "ACR4")[1]) == []  # --ignore still wins
    assert run(tree, "open.json", "--extend-select", "ACR9") == (2, "", "acrlint: error: command line: --extend-select: 'ACR9' matches no rule\n")


def test_rules_as_json_and_subcommand_options(tmp_path: Path) -> None:
    rc, out, err = run(tmp_path, "rules", "--format", "json")
    records = json.loads(out)
    assert (rc, err) == (0, "")
    assert [r["id"] for r in records] == list(load_rules())
    assert records[0] == {"id": "ACR000", "name": "file-unreadable", "title": "A file cannot be read or parsed", "severity": "error",
                          "presets": ["recommended", "strict"], "applies_to": [], "implementation": "builtin",
                          "remediation": load_rules()["ACR000"].remediation, "references": list(load_rules()["ACR000"].references),
                          "docs": "https://github.com/acrlint/acrlint/blob/main/docs/rules/ACR000.md"}
    rc, out, err = run(tmp_path, "rules", "--help")
    assert (rc, out.splitlines()[0], err) == (0, "usage: acrlint rules [-h] [--format {text,json}]", "")
    assert run(tmp_path, "rules", "--bogus") == (2, "", "usage: acrlint rules [-h] [--format {text,json}]\n"
                                                        "acrlint: error: unrecognized arguments: --bogus\n")
    assert run(tmp_path, "rules", "extra")[0] == 2
    rc, out, _ = run(tmp_path, "rule", "--help")
    assert (rc, out.splitlines()[0]) == (0, "usage: acrlint rule [-h] [ID]")
    assert run(tmp_path, "rule", "ACR401", "--bogus")[0] == 2
    assert run(tmp_path, "rule", "ACR4O1") == (2, "", "acrlint: error: unknown rule 'ACR4O1'; did you mean ACR401?\n")


@pytest.mark.parametrize("jobs", ["0", "-1", "two"])
def test_jobs_must_be_a_positive_number(tree: Path, jobs: str) -> None:
    rc, out, err = run(tree, "-j", jobs, "main.json")
    assert (rc, out) == (2, "")
    problem = (f"expected a number of processes, got {jobs!r}" if jobs == "two"
               else f"expected 1 or more processes, got {jobs!r} (1: one process; default: one per CPU)")
    assert err.endswith(f"acrlint: error: argument --jobs/-j: {problem}\n")


def test_output_with_nothing_to_write_is_refused(tree: Path) -> None:
    assert run(tree, "main.json", "--format", "sarif:out.sarif", "-o", "out.txt") == (
        2, "", "acrlint: error: --output has nothing to write: every --format names its own file (FORMAT:FILE); drop --output, "
               "or give one format without a file\n")
    assert not (tree / "out.sarif").exists() and not (tree / "out.txt").exists()


def test_max_file_size_in_the_configuration(tree: Path) -> None:
    write(tree / "big.json", template(registry()) | {"padding": "x" * (2 * 1024 * 1024)})
    write(tree / ".acrlint.yaml", "max-file-size: 1\n")
    rc, out, _ = run(tree, "big.json", *SELECT)
    assert (rc, out.splitlines()[0]) == (2, "big.json: error ACR000 cannot read file: file is larger than 1 MB (2,097,648 bytes; "
                                            "see --max-file-size)")
    assert run(tree, "big.json", *SELECT, "--max-file-size", "3")[0] == 1  # the command line wins
    write(tree / ".acrlint.yaml", "max-file-size: 0\n")
    assert run(tree, "big.json")[2] == ("acrlint: ACR002 invalid configuration: .acrlint.yaml:1:16: $.max-file-size: 0 is less than "
                                        "or equal to the minimum of 0\n")


# --------------------------------------------------------------------------------------- terminals and pipes


def on_terminal(cwd: Path, *args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    """Run acrlint with standard output and standard error on a pseudo-terminal; what it printed there."""
    main, side = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "linter", *args], cwd=cwd, stdout=side, stderr=side,
                            stdin=subprocess.DEVNULL, env=env or clean_env(TERM="xterm"))
    os.close(side)
    chunks: list[bytes] = []
    while True:
        try:
            chunk = os.read(main, 65536)
        except OSError:  # the other side closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(main)
    return proc.wait(timeout=120), b"".join(chunks).decode("utf-8").replace("\r\n", "\n")


RED, YELLOW, RESET, BOLD = "\033[31m", "\033[33m", "\033[0m", "\033[1m"


def test_colours_on_a_terminal_and_never_in_a_pipe(tree: Path) -> None:
    rc, shown = on_terminal(tree, "main.json", *SELECT)
    assert rc == 1
    assert shown.splitlines()[0] == f"{BOLD}main.json:15:37{RESET}: {YELLOW}warning{RESET} " + ACR104.split(" ", 1)[1]
    assert shown.splitlines()[1].startswith(f"{BOLD}main.json:16:29{RESET}: {RED}error{RESET} ACR401 ")
    assert "\033[" not in run(tree, "main.json", *SELECT)[1]  # piped
    assert "\033[" not in on_terminal(tree, "main.json", *SELECT, env=clean_env(TERM="xterm", NO_COLOR="1"))[1]
    assert "\033[" not in on_terminal(tree, "main.json", *SELECT, env=clean_env(TERM="dumb"))[1]
    assert "\033[" not in on_terminal(tree, "main.json", *SELECT, "--color", "never")[1]
    assert run(tree, "main.json", *SELECT, "--color", "always")[1].startswith(f"{BOLD}main.json:15:37{RESET}: {YELLOW}warning")
    # NO_COLOR is for the default: an explicit --color always still colours
    assert run(tree, "main.json", *SELECT, "--color", "always", env=clean_env(NO_COLOR="1"))[1].startswith(BOLD)


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_progress_bar_covers_the_whole_run_and_is_cleared(tree: Path, monkeypatch: pytest.MonkeyPatch,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    from linter import cli, progress

    monkeypatch.setattr(progress, "DELAY", 0.0)  # show it at once (a real run waits a second)
    terminal = FakeTerminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    monkeypatch.chdir(tree)
    assert cli.main(["main.json", *SELECT, "--color", "never"]) == 1
    drawn = terminal.getvalue()
    frames = [frame.rstrip() for frame in drawn.split("\r") if frame.strip()]
    assert frames[0] == "acrlint [..............................] reading files 0/1"
    assert "acrlint [..............................] checking rules 0/2" in frames
    assert frames[-1] == "acrlint placing findings..."
    assert drawn.endswith("\r" + " " * len("acrlint placing findings...") + "\r")  # cleared before the output
    assert capsys.readouterr().out.startswith("main.json:15:37: warning ACR104")


def test_no_progress_bar_when_piped_or_quiet(tree: Path) -> None:
    write(tree / "many" / "x.json", template(registry()))
    rc, out, err = run(tree, ".", *SELECT)
    assert (rc, err, out.count("\n")) == (1, "", 4)  # nothing but the output: no bar on a pipe
    rc, shown = on_terminal(tree, ".", *SELECT, "-q")
    assert rc == 1 and "\r" not in shown and "acrlint [" not in shown


def test_the_readme_usage_lists_every_option() -> None:
    from linter.cli import build_parser

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    usage = readme[readme.index("## Usage"):readme.index("### Bicep")]
    options = [o for action in build_parser()._actions for o in action.option_strings if o.startswith("--") and o != "--help"]
    assert [o for o in options if o not in usage and o != "--no-respect-gitignore"] == []
