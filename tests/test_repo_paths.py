"""Issue 14 item 2: fingerprints and baseline entries use the path relative to the repository root (or the
baseline file's directory outside a repository), so a baseline matches however the path was typed."""
from __future__ import annotations

import json
from pathlib import Path

from runner import registry, repo, run, template, write

SELECT = ["--select", "ACR104,ACR401"]
MATCHED = "0 errors, 0 warnings, 0 info in 1 file linted, 0 skipped; 2 suppressed; 2 in baseline, 0 baseline entries fixed\n"


def project(root: Path) -> Path:
    """A repository with one template holding two findings (ACR104, ACR401)."""
    repo(root)
    write(root / "infra" / "x.json", template(registry(publicNetworkAccess="Disabled", networkRuleBypassOptions="None",
                                                       adminUserEnabled=True)))
    return root


def entries(path: Path) -> list[tuple[str, str]]:
    return [(e["file"], e["rule_id"]) for e in json.loads(path.read_text())["findings"]]


def test_one_baseline_whatever_the_path_or_directory(tmp_path: Path) -> None:
    root = project(tmp_path / "repo")
    rc, out, _ = run(root, "infra/", *SELECT, "--write-baseline", "acrlint-baseline.json")
    assert rc == 1 and out.startswith("infra/x.json:")
    baseline = root / "acrlint-baseline.json"
    assert entries(baseline) == [("infra/x.json", "ACR104"), ("infra/x.json", "ACR401")]
    text = baseline.read_text()
    for cwd, args in [
        (root, ["."]),
        (root, ["./infra/x.json"]),
        (root, ["infra/x.json"]),
        (root, [str(root / "infra")]),  # absolute
        (root / "infra", ["."]),  # from a subdirectory
        (root / "infra", ["x.json"]),
        (root / "infra", ["../infra/./x.json"]),
    ]:
        base = str(baseline.relative_to(cwd)) if cwd == root else "../acrlint-baseline.json"
        rc, out, err = run(cwd, *args, *SELECT, "--baseline", base)
        assert (rc, out, err) == (0, MATCHED.replace(" 0 skipped", " 1 skipped") if args == ["."] and cwd == root else MATCHED, ""), (cwd, args)
        # writing it again from anywhere gives the same file
        run(cwd, *args, *SELECT, "--write-baseline", base)
        assert baseline.read_text() == text, (cwd, args)


def test_standard_input_with_its_name_matches_too(tmp_path: Path) -> None:
    root = project(tmp_path / "repo")
    run(root, "infra/x.json", *SELECT, "--write-baseline", "b.json")
    source = (root / "infra" / "x.json").read_text()
    rc, out, _ = run(root / "infra", "-", "--stdin-filename", "x.json", *SELECT, "--baseline", "../b.json", stdin=source)
    assert (rc, out) == (0, MATCHED)


def test_outside_a_repository_paths_are_relative_to_the_baseline(tmp_path: Path) -> None:
    write(tmp_path / "work" / "sub" / "x.json", template(registry(publicNetworkAccess="Disabled", networkRuleBypassOptions="None",
                                                                 adminUserEnabled=True)))
    run(tmp_path / "work" / "sub", "x.json", *SELECT, "--write-baseline", "../b.json")
    assert entries(tmp_path / "work" / "b.json") == [("sub/x.json", "ACR104"), ("sub/x.json", "ACR401")]
    assert run(tmp_path / "work", "sub", *SELECT, "--baseline", "b.json")[:2] == (0, MATCHED)
    assert run(tmp_path, "work/sub/x.json", *SELECT, "--baseline", "work/b.json")[:2] == (0, MATCHED)


def test_the_configuration_names_the_baseline_relative_to_itself(tmp_path: Path) -> None:
    root = project(tmp_path / "repo")
    write(root / ".acrlint.yaml", "baseline: ci/baseline.json\n")
    (root / "ci").mkdir()
    # the first --write-baseline creates the baseline the configuration names
    assert run(root / "infra", "x.json", *SELECT, "--write-baseline", "../ci/baseline.json")[0] == 1
    assert run(root, "infra", *SELECT)[:2] == (0, MATCHED)
    assert run(root / "infra", "x.json", *SELECT)[:2] == (0, MATCHED)
    # --baseline on the command line wins; a baseline named in the configuration that is missing is exit 2
    write(root / ".acrlint.yaml", "baseline: ci/missing.json\n")
    rc, out, err = run(root / "infra", "x.json", *SELECT)
    assert (rc, out, err) == (2, "", "acrlint: error: ../ci/missing.json: baseline file not found\n")
    assert run(root / "infra", "x.json", *SELECT, "--baseline", "../ci/baseline.json")[:2] == (0, MATCHED)


def test_fingerprints_in_every_output_do_not_depend_on_the_path_typed(tmp_path: Path) -> None:
    root = project(tmp_path / "repo")
    seen = set()
    for cwd, path in [(root, "infra"), (root, "./infra/x.json"), (root / "infra", ".")]:
        rc, out, _ = run(cwd, path, *SELECT, "--format", "sarif")
        assert rc == 1
        results = json.loads(out)["runs"][0]["results"]
        seen.add(tuple((r["partialFingerprints"]["acrlint/v1"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"])
                       for r in results))
    assert len(seen) == 1 and [uri for _, uri in next(iter(seen))] == ["infra/x.json", "infra/x.json"]
