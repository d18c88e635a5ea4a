"""The command line: exact output, exit codes, formats, parallel runs, configuration errors."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from linter.cli import main

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "data" / "corpus"


# the JSON example (examples/bicep/ holds the same kind of deployment in Bicep: tests/test_bicep.py)
JSON_EXAMPLE = ("examples/main.json", "examples/main.parameters.json")


def run_cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "TF_BUILD")}
    env["PYTHONPATH"] = str(ROOT)
    return subprocess.run([sys.executable, "-m", "linter", *args], cwd=cwd, capture_output=True, text=True, env=env, timeout=120)


def test_example_text_output_is_exact():
    proc = run_cli(*JSON_EXAMPLE, "--select", "ACR1,ACR2,ACR3", "--color", "never")
    assert proc.returncode == 1
    assert proc.stdout.splitlines() == [
        "examples/main.json:30:37: warning ACR104 Registry 'contosoprod' is network-restricted with networkRuleBypassOptions None: Microsoft Defender for Cloud vulnerability scanning and image import to or from this registry are blocked",
        "examples/main.json:57:23: error ACR105 Container group 'web' pulls from registry 'contosoprod', which is network-restricted and does not allow trusted services (networkRuleBypassOptions None), and the group is not deployed into a virtual network: the image pull will fail",
        "examples/main.json:57:23: warning ACR204 'web' pulls from registry 'contosoprod' with user-assigned identity contosoprod-pull, but no role assignment in the linted files grants it pull on the registry: assign AcrPull at the registry's scope",
        "examples/main.json:81:29: warning ACR301 Contributor is assigned at registry contosoprod (role assignment 'c5fd70c4-a1e3-5dcb-9a91-df17521bc1d5'): use AcrPush for CI/CD and AcrPull for pull-only access",
        "1 error, 3 warnings, 0 info in 2 files linted, 0 skipped",
    ]
    assert proc.stderr == ""


def test_json_output_matches_its_schema():
    import jsonschema

    proc = run_cli(*JSON_EXAMPLE, "--format", "json")
    doc = json.loads(proc.stdout)
    schema = json.loads((ROOT / "schemas" / "findings.schema.json").read_text())
    jsonschema.validate(doc, schema)
    assert doc["summary"]["files_linted"] == 2
    first = doc["findings"][0]
    assert list(first) == ["rule_id", "severity", "message", "file", "line", "column", "end_line", "end_column", "pointer", "resource", "suppressed"]


def test_fail_on_thresholds():
    assert run_cli(*JSON_EXAMPLE, "--select", "ACR104", "--fail-on", "error").returncode == 0
    assert run_cli(*JSON_EXAMPLE, "--select", "ACR104", "--fail-on", "warning").returncode == 1
    assert run_cli(*JSON_EXAMPLE, "--select", "ACR104", "--fail-on", "never").returncode == 0


def test_select_and_ignore_prefixes():
    proc = run_cli(*JSON_EXAMPLE, "--select", "ACR1", "--ignore", "ACR105", "-q")
    assert [line.split()[2] for line in proc.stdout.splitlines()] == ["ACR104"]


def test_unknown_select_is_a_usage_error():
    proc = run_cli(*JSON_EXAMPLE, "--select", "ACR9")
    assert proc.returncode == 2
    assert proc.stderr == "acrlint: error: command line: --select: 'ACR9' matches no rule\n"


def test_no_paths_is_a_usage_error():
    proc = run_cli()
    assert proc.returncode == 2
    assert proc.stderr.endswith("acrlint: error: no paths given (use '.' for the current directory, '-' for standard input)\n")


def test_stdin_with_filename():
    text = (ROOT / "examples" / "main.json").read_text()
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.run([sys.executable, "-m", "linter", "-", "--stdin-filename", "infra/main.json", "--select", "ACR104", "--parameter", "registryName=contosoprod"],
                          input=text, capture_output=True, text=True, cwd=ROOT, env=env)
    assert proc.returncode == 1
    assert proc.stdout.splitlines()[0].startswith("infra/main.json:30:37: warning ACR104 Registry 'contosoprod'")


def test_parameter_override_changes_the_evaluation():
    proc = run_cli(*JSON_EXAMPLE, "--select", "ACR104", "--parameter", "isProduction=false", "-q")
    assert proc.stdout == ""  # publicNetworkAccess evaluates to Enabled: not network-restricted
    assert proc.returncode == 0


def test_rules_lists_every_rule_once(capsys):
    from linter.engine.rules import load_rules

    assert main(["rules"]) == 0
    ids = [line.split()[0] for line in capsys.readouterr().out.splitlines()]
    assert ids == list(load_rules())


def test_verbose_says_why_a_file_is_skipped(tmp_path):
    (tmp_path / "package.json").write_text('{"name": "x", "version": "1.0.0"}')
    proc = run_cli(str(tmp_path / "package.json"), "-v")
    assert proc.returncode == 0
    assert f"acrlint: skipped {tmp_path / 'package.json'}: JSON/YAML object that is not an Azure definition" in proc.stderr
    assert proc.stdout.endswith("0 errors, 0 warnings, 0 info in 0 files linted, 1 skipped\n")


@pytest.mark.skipif(not CORPUS.is_dir(), reason="shared corpus not present")
def test_jobs_two_and_one_give_identical_output(tmp_path):
    from linter.api import Options, lint
    from linter.report import render

    files = sorted(str(p) for p in CORPUS.rglob("*") if p.suffix in (".json", ".yaml"))
    # repeat the corpus so that the run is large enough to use worker processes
    many = []
    for i in range(2):
        d = tmp_path / f"copy{i}"
        for f in files:
            target = d / Path(f).relative_to(CORPUS)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(Path(f).read_bytes())
        many.append(str(d))
    one = render("json", lint(many, Options(jobs=1)))
    two = render("json", lint(many, Options(jobs=2)))
    assert one == two
    assert json.loads(one)["summary"]["files_linted"] == 2 * len(files)


@pytest.mark.skipif(not CORPUS.is_dir(), reason="shared corpus not present")
def test_corpus_reads_without_tool_failure():
    proc = run_cli(str(CORPUS), "--preset", "strict")
    assert proc.returncode in (0, 1), proc.stderr
    assert "Traceback" not in proc.stderr
    assert " ACR000 " not in proc.stdout and " ACR003 " not in proc.stdout and " ACR004 " not in proc.stdout


def test_readme_sample_output_is_current():
    readme = (ROOT / "README.md").read_text()
    start = readme.index("```text\n$ acrlint examples/\n") + len("```text\n$ acrlint examples/\n")
    sample = readme[start : readme.index("```\n", start)]
    proc = run_cli("examples/", "--color", "never")
    assert proc.stdout == sample


@pytest.mark.parametrize(
    "config,message",
    [
        ("rulez: {}\n", "acrlint: ACR002 invalid configuration: .acrlint.yaml:1:1: $.rulez: unknown key 'rulez'; did you mean 'rules'?\n"),
        ("fail-on: 3\n", "acrlint: ACR002 invalid configuration: .acrlint.yaml:1:10: $.fail-on: expected one of error, warning, info, never; got 3\n"),
        # a letter O for a zero: the suggestion does not change when rules are added (the closest id would)
        ("rules:\n  ACR4O1: off\n", "acrlint: ACR002 invalid configuration: .acrlint.yaml:2:3: $.rules.ACR4O1: invalid rule id 'ACR4O1'; did you mean 'ACR401'?\n"),
    ],
)
def test_config_errors_are_one_precise_line_and_exit_2(tmp_path, config, message):
    (tmp_path / ".acrlint.yaml").write_text(config)
    (tmp_path / "t.json").write_text((ROOT / "examples" / "main.json").read_text())
    proc = run_cli("t.json", cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr == message
    assert proc.stdout == ""


def test_config_file_changes_rules_and_config_command_shows_origin(tmp_path):
    (tmp_path / ".acrlint.yaml").write_text("rules:\n  ACR401: off\n  ACR104: error\nfail-on: error\n")
    (tmp_path / "main.json").write_text((ROOT / "examples" / "main.json").read_text())
    proc = run_cli("main.json", "-q", cwd=tmp_path)
    assert " ACR401 " not in proc.stdout
    assert proc.stdout.splitlines()[1] == "main.json:30:37: error ACR104 Registry '[parameters('registryName')]' is network-restricted with networkRuleBypassOptions None: Microsoft Defender for Cloud vulnerability scanning and image import to or from this registry are blocked"
    shown = run_cli("config", cwd=tmp_path).stdout
    assert "fail-on: error  [.acrlint.yaml]" in shown.replace(str(tmp_path) + "/", "")
    assert any(line.strip().startswith("ACR401") and "off" in line for line in shown.splitlines())


def test_baseline_accepts_todays_findings_and_gates_on_new_ones(tmp_path):
    template = (ROOT / "examples" / "main.json").read_text()
    (tmp_path / "main.json").write_text(template)
    first = run_cli("main.json", "--parameter", "registryName=contosoprod", "--write-baseline", "baseline.json", cwd=tmp_path)
    assert first.returncode == 1
    again = run_cli("main.json", "--parameter", "registryName=contosoprod", "--baseline", "baseline.json", cwd=tmp_path)
    assert again.returncode == 0
    count = len(first.stdout.splitlines()) - 1
    assert count >= 4
    assert again.stdout.splitlines() == [f"0 errors, 0 warnings, 0 info in 1 file linted, 0 skipped; {count} suppressed; {count} in baseline, 0 baseline entries fixed"]
    # a new problem is reported; a fixed one counts as fixed
    (tmp_path / "main.json").write_text(template.replace('"adminUserEnabled": true', '"adminUserEnabled": false').replace('"osType": "Linux"', '"osType": "Linux", "subnetIds": []'))
    changed = run_cli("main.json", "--parameter", "registryName=contosoprod", "--baseline", "baseline.json", "--parameter", "isProduction=false", cwd=tmp_path)
    lines = changed.stdout.splitlines()
    assert any(" ACR403 " in line for line in lines)
    assert lines[-1].endswith("baseline entries fixed") and "0 baseline entries fixed" not in lines[-1]


def test_malformed_files_that_are_not_azure_definitions_are_skipped(tmp_path):
    # pre-commit passes every *.json: a tsconfig.json with trailing commas is not acrlint's to judge
    (tmp_path / "tsconfig.json").write_text('{\n  // compiler\n  "compilerOptions": {"strict": true,},\n}\n')
    (tmp_path / "broken.yaml").write_text("a: [1, 2\n")
    (tmp_path / "acr.json").write_text('{"type": "Microsoft.ContainerRegistry/registries", "name": "x",}')
    proc = run_cli("tsconfig.json", "broken.yaml", "-v", cwd=tmp_path)
    assert proc.returncode == 0
    assert proc.stdout == "0 errors, 0 warnings, 0 info in 0 files linted, 2 skipped\n"
    assert "acrlint: skipped tsconfig.json: not valid JSON (trailing comma before '}') and nothing in it looks like an Azure definition" in proc.stderr
    # the same error in a file that names an Azure resource type is reported
    bad = run_cli("acr.json", "tsconfig.json", cwd=tmp_path)
    assert bad.returncode == 2
    assert bad.stdout.splitlines()[0] == "acr.json:1:63: error ACR000 cannot parse JSON: trailing comma before '}' (line 1, column 63)"


def test_large_output_through_a_pipe_arrives_whole():
    proc = run_cli("--format", "json", "tests/fixtures", "--exclude", "ACR000")  # ACR000/: unparsable on purpose (exit 2)
    assert proc.returncode == 1
    doc = json.loads(proc.stdout)  # the process exits with os._exit after flushing: nothing may be cut off
    assert doc["summary"]["files_linted"] > 100
