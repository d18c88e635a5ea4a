"""Rule documentation: generated pages are current, coverage.md cites real rules, `acrlint rule(s)` output."""
from __future__ import annotations

import dataclasses
import importlib.util
import re
from pathlib import Path

import pytest

from linter import cli
from linter.docs import render_rule_markdown, render_rule_text
from linter.engine.rules import load_rules

ROOT = Path(__file__).resolve().parent.parent
COVERAGE = ROOT / "docs" / "coverage.md"
RULE_ID = re.compile(r"\bACR\d{3}\b")
STATUSES = ("Covered", "Partly", "Opposite", "Remediation", "Not covered", "Not applicable")


def _load_gen_docs():
    spec = importlib.util.spec_from_file_location("gen_docs", ROOT / "tools" / "gen_docs.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


gen_docs = _load_gen_docs()
REGEN = "docs are stale: run `python tools/gen_docs.py` and commit the result"


# --- (a) generated files are current --------------------------------------------------------------------------

def test_rule_pages_and_index_are_current() -> None:
    stale = gen_docs.stale_files(ROOT, readme=False)
    assert stale == [], f"{REGEN}: {[f'{p.as_posix()} ({why})' for p, why in stale]}"


def test_readme_rule_table_is_current() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    if gen_docs.START not in text or gen_docs.END not in text:
        pytest.skip("README.md has no rules markers")
    assert gen_docs.replace_region(text, gen_docs.rule_table_markdown()) == text, REGEN


def _readme(root: Path) -> None:
    (root / "README.md").write_text(f"# x\n\nbefore\n\n{gen_docs.START}\nold table\n{gen_docs.END}\n\nafter\n",
                                    encoding="utf-8")


def test_check_reports_a_changed_record(tmp_path: Path) -> None:
    rules = dict(load_rules())
    _readme(tmp_path)
    gen_docs.write_docs(tmp_path, rules)
    assert gen_docs.stale_files(tmp_path, rules) == []
    readme = (tmp_path / "README.md").read_text(encoding="utf-8")
    assert readme.startswith("# x\n\nbefore\n\n") and readme.endswith(f"{gen_docs.END}\n\nafter\n")
    assert "old table" not in readme and "| [ACR101](docs/rules/ACR101.md) |" in readme

    changed = dict(rules)
    changed["ACR101"] = dataclasses.replace(rules["ACR101"], title="A changed title")
    stale = dict(gen_docs.stale_files(tmp_path, changed))
    assert set(stale) == {Path("docs/rules/ACR101.md"), Path("docs/rules/README.md"), Path("README.md")}
    assert set(stale.values()) == {"out of date"}


def test_check_reports_and_write_deletes_pages_of_removed_rules(tmp_path: Path) -> None:
    rules = dict(load_rules())
    gen_docs.write_docs(tmp_path, rules)
    del rules["ACR101"]
    stale = gen_docs.stale_files(tmp_path, rules)
    assert (Path("docs/rules/ACR101.md"), "rule no longer exists") in stale
    (tmp_path / "docs" / "rules" / "notes.md").write_text("kept\n", encoding="utf-8")
    gen_docs.write_docs(tmp_path, rules)
    assert not (tmp_path / "docs" / "rules" / "ACR101.md").exists()
    assert (tmp_path / "docs" / "rules" / "notes.md").exists()
    assert gen_docs.stale_files(tmp_path, rules) == []


def test_main_check_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert gen_docs.main(["--check", "--root", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "docs/rules/ACR101.md: missing" in out
    assert not (tmp_path / "docs").exists(), "--check must not write"
    assert gen_docs.main(["--root", str(tmp_path)]) == 0
    capsys.readouterr()
    assert gen_docs.main(["--check", "--root", str(tmp_path)]) == 0
    assert capsys.readouterr().out == ""


def test_output_is_deterministic() -> None:
    first = gen_docs.expected_files(ROOT)
    second = gen_docs.expected_files(ROOT)
    assert first == second
    for path, content in first.items():
        assert "\r" not in content and content.endswith("\n") and not content.endswith("\n\n"), path


def test_index_lists_every_rule_once_under_its_family() -> None:
    index = gen_docs.index_markdown()
    family = None
    seen: dict[str, str | None] = {}
    for line in index.splitlines():
        if line.startswith("## "):
            family = line[3]
        m = re.match(r"\| \[(ACR\d{3})\]\(\1\.md\) \|", line)
        if m:
            assert m.group(1) not in seen, f"{m.group(1)} listed twice"
            seen[m.group(1)] = family
    assert sorted(seen) == sorted(load_rules())
    assert all(fam == rid[3] for rid, fam in seen.items())


def test_rule_table_has_one_row_per_rule() -> None:
    rows = [line for line in gen_docs.rule_table_markdown().splitlines() if line.startswith("| [ACR")]
    assert [RULE_ID.search(r).group(0) for r in rows] == list(load_rules())  # type: ignore[union-attr]
    assert gen_docs.rule_table_markdown().splitlines()[0] == "| ID | name | severity | presets | title |"


def test_rule_pages_are_well_formed() -> None:
    for rid, meta in load_rules().items():
        page = render_rule_markdown(meta)
        assert page.startswith(f"# {rid} {meta.name}\n"), rid
        assert page.count("```") % 2 == 0, f"{rid}: unbalanced code fence"
        assert "```\n" not in page.replace("\n```\n", "\n"), f"{rid}: code fence without a language"


# --- (b, c) coverage.md ---------------------------------------------------------------------------------------

def _coverage_rows() -> list[list[str]]:
    """Cells of every row of the tables whose header has the columns Check / acrlint / Notes."""
    rows: list[list[str]] = []
    header: list[str] | None = None
    for line in COVERAGE.read_text(encoding="utf-8").splitlines():
        if not line.startswith("|"):
            header = None
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if header is None:
            header = cells
        elif set(line) <= set("|- "):
            continue
        elif header[:1] == ["Check"] and "acrlint" in header:
            rows.append(cells)
    return rows


def test_coverage_cites_only_existing_rules() -> None:
    cited = set(RULE_ID.findall(COVERAGE.read_text(encoding="utf-8")))
    assert cited, "coverage.md cites no rule"
    missing = sorted(cited - set(load_rules()))
    assert not missing, f"coverage.md cites rules that do not exist: {missing}"


def test_coverage_links_point_at_rule_pages() -> None:
    text = COVERAGE.read_text(encoding="utf-8")
    for m in re.finditer(r"\[(ACR\d{3})\]\(([^)]*)\)", text):
        assert m.group(2) == f"rules/{m.group(1)}.md", m.group(0)
    bare = re.sub(r"\[ACR\d{3}\]\(rules/ACR\d{3}\.md\)", "", text)
    # an id named in prose without a link must be linked somewhere else on the page
    for line in bare.splitlines():
        for rid in RULE_ID.findall(line):
            assert f"[{rid}](rules/{rid}.md)" in text, f"{rid} is never linked"


def test_every_coverage_row_has_a_rule_or_a_reason() -> None:
    rows = _coverage_rows()
    assert len(rows) >= 50
    for cells in rows:
        assert len(cells) == 4, cells
        check, _, rule, notes = cells
        assert check, cells
        assert RULE_ID.search(rule) or (rule == "—" and notes), f"{check}: neither a rule nor a reason"
        status = re.match(r"\*\*([A-Za-z ]+?)\.?\*\*", notes)
        assert status and status.group(1) in STATUSES, f"{check}: notes must start with a bold status"
        if status.group(1) in ("Covered", "Partly", "Opposite", "Remediation"):
            assert RULE_ID.search(rule), f"{check}: {status.group(1)} needs an acrlint rule"
        if status.group(1) in ("Not covered", "Not applicable"):
            assert len(notes) > len(status.group(0)) + 10, f"{check}: give the reason"


def test_coverage_summary_matches_the_rows() -> None:
    counts = {s: 0 for s in STATUSES}
    for cells in _coverage_rows():
        status = re.match(r"\*\*([A-Za-z ]+?)\.?\*\*", cells[3])
        assert status
        counts[status.group(1)] += 1
    text = COVERAGE.read_text(encoding="utf-8")
    for status, n in counts.items():
        assert f"| {status} | {n} |" in text, f"summary count for {status} should be {n}"
    assert f"{sum(counts.values())} checks" in text


# --- (d, e) CLI -----------------------------------------------------------------------------------------------

@pytest.fixture
def elsewhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # run outside the checkout, so that no path or configuration file in it can affect the subcommands
    monkeypatch.chdir(tmp_path)


def test_rule_command_prints_the_rendered_record(capsys: pytest.CaptureFixture[str], elsewhere: None) -> None:
    assert cli.main(["rule", "ACR101"]) == 0
    assert capsys.readouterr().out == render_rule_text(load_rules()["ACR101"])


def test_rule_command_accepts_lower_case_id_and_name(capsys: pytest.CaptureFixture[str], elsewhere: None) -> None:
    meta = load_rules()["ACR101"]
    assert cli.main(["rule", "acr101"]) == 0
    assert capsys.readouterr().out == render_rule_text(meta)
    assert cli.main(["rule", meta.name]) == 0
    assert capsys.readouterr().out == render_rule_text(meta)


def test_rule_command_unknown_id(capsys: pytest.CaptureFixture[str], elsewhere: None) -> None:
    assert cli.main(["rule", "ACR1011"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "unknown rule 'ACR1011'" in captured.err
    assert re.search(r"did you mean ACR\d{3}\?", captured.err)


def test_rule_command_without_id(capsys: pytest.CaptureFixture[str], elsewhere: None) -> None:
    assert cli.main(["rule"]) == 2
    assert "needs a rule id" in capsys.readouterr().err


def test_rules_command_lists_every_rule_once(capsys: pytest.CaptureFixture[str], elsewhere: None) -> None:
    assert cli.main(["rules"]) == 0
    ids = [line.split()[0] for line in capsys.readouterr().out.splitlines() if line.strip()]
    assert ids == list(load_rules())
    assert len(ids) == len(set(ids))
