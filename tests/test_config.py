"""Configuration: precise errors, precedence, upward search, pyproject, enabled rules, describe()."""
from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

import pytest

from linter.config import (
    Config,
    ConfigError,
    Suppression,
    apply_cli,
    describe,
    enabled_rules,
    find_config_file,
    load_config,
    path_matches,
)
from linter.data import schemas_dir
from linter.model import RuleMeta, Span


def _meta(rule_id: str, severity: str = "error", presets: tuple[str, ...] = ("recommended", "strict"), **kw: object) -> RuleMeta:
    return RuleMeta(id=rule_id, name=kw.pop("name", f"rule-{rule_id[3:]}"), title="t" * 5, severity=severity,  # type: ignore[arg-type]
                    message="m" * 5, presets=presets, **kw)  # type: ignore[arg-type]


RULES = {
    "ACR401": _meta("ACR401", name="admin-user-disabled"),
    "ACR402": _meta("ACR402", "warning"),
    "ACR415": _meta("ACR415", "warning", options={
        "allowed_locations": {"type": "array", "default": ["westeurope"], "description": "where"},
        "max_age": {"type": "integer", "default": 30, "description": "days"},
    }),
    "ACR418": _meta("ACR418", "info", presets=("strict",)),
    "ACR501": _meta("ACR501"),
}


def write(tmp_path: Path, text: str, name: str = ".acrlint.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def error_of(path: Path) -> str:
    with pytest.raises(ConfigError) as info:
        load_config(path, RULES)
    message = info.value.message
    assert "\n" not in message and str(info.value) == message
    return message


def test_schema_is_valid_draft_2020_12() -> None:
    import jsonschema

    schema = json.loads((schemas_dir() / "config.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)


def test_no_file_gives_defaults() -> None:
    config = load_config(None, RULES)
    assert (config.preset, config.fail_on, config.exclude, config.parameters, config.rules, config.suppressions) == (
        "recommended", "warning", [], {}, {}, [])
    assert config.sources == {"extends": "default", "fail-on": "default", "exclude": "default", "suppressions": "default"}


def test_full_file(tmp_path: Path) -> None:
    path = write(tmp_path, """
extends: strict
fail-on: error
exclude: ["generated/**", "*.parameters.json"]
parameters: {location: northeurope, sku: Premium}
rules:
  ACR401: off
  ACR402: info
  ACR415: {severity: error, allowed_locations: [westeurope, northeurope]}
  ACR418: on
  ACR501: false
suppressions:
  - {rule: ACR401, path: "legacy/**", resource: "*/oldreg", reason: "retired in Q3", expires: 2026-09-30}
  - {rule: ACR402}
""")
    c = load_config(path, RULES)
    assert c.preset == "strict" and c.fail_on == "error"
    assert c.exclude == ["generated/**", "*.parameters.json"]
    assert c.parameters == {"location": "northeurope", "sku": "Premium"}
    assert {k: (s.enabled, s.severity, s.options) for k, s in c.rules.items()} == {
        "ACR401": (False, None, {}),
        "ACR402": (True, "info", {}),
        "ACR415": (True, "error", {"allowed_locations": ["westeurope", "northeurope"]}),
        "ACR418": (True, None, {}),
        "ACR501": (False, None, {}),
    }
    assert c.suppressions == [
        Suppression("ACR401", "legacy/**", "*/oldreg", "retired in Q3", date(2026, 9, 30), str(path), 0, str(tmp_path), Span(13, 5, 13, 6)),
        Suppression("ACR402", None, None, None, None, str(path), 1, str(tmp_path), Span(14, 5, 14, 6)),
    ]
    assert c.sources["rules.ACR415"] == str(path) and c.sources["parameters.sku"] == str(path)
    assert c.path == path


def test_empty_file_is_fine(tmp_path: Path) -> None:
    assert load_config(write(tmp_path, "# nothing yet\n"), RULES).preset == "recommended"


@pytest.mark.parametrize(
    ("position", "text", "problem"),
    [
        ("1:1", "extend: strict\n", "$.extend: unknown key 'extend'; did you mean 'extends'?"),
        ("1:10", "exclude: generated\n", '$.exclude: expected list, got string "generated"'),
        ("1:10", "fail-on: sometimes\n", "$.fail-on: expected one of error, warning, info, never; got \"sometimes\""),
        ("1:10", "extends: lax\n", '$.extends: expected one of recommended, strict; got "lax"'),
        ("1:13", "parameters: [a]\n", '$.parameters: expected mapping, got list ["a"]'),
        ("2:3", "rules:\n  ACR410: off\n", "$.rules.ACR410: unknown rule id 'ACR410'; did you mean 'ACR418'?"),
        ("2:3", "rules:\n  ACR999: off\n", "$.rules.ACR999: unknown rule id 'ACR999'"),
        ("2:3", "rules:\n  admin-user-disabled: off\n", "$.rules.admin-user-disabled: invalid rule id 'admin-user-disabled'; did you mean 'ACR401'?"),
        ("2:11", "rules:\n  ACR401: critical\n", '$.rules.ACR401: expected one of on, off, error, warning, info; got "critical"'),
        ("2:22", "rules:\n  ACR401: {severity: critical}\n", '$.rules.ACR401.severity: expected one of error, warning, info; got "critical"'),
        ("2:11", "rules:\n  ACR401: 3\n", "$.rules.ACR401: expected boolean or string or mapping, got integer 3"),
        ("2:12", "rules:\n  ACR415: {allowed_location: [x]}\n",
         ("$.rules.ACR415.allowed_location: unknown option 'allowed_location' for rule ACR415; did you mean 'allowed_locations'?"
          " (options: allowed_locations, max_age)")),
        ("2:12", "rules:\n  ACR401: {foo: 1}\n", "$.rules.ACR401.foo: unknown option 'foo': rule ACR401 has no options"),
        ("2:31", "rules:\n  ACR415: {allowed_locations: westeurope}\n", '$.rules.ACR415.allowed_locations: expected list, got string "westeurope"'),
        ("2:21", "rules:\n  ACR415: {max_age: true}\n", "$.rules.ACR415.max_age: expected integer, got boolean true"),
        ("2:6", "suppressions:\n  - {rul: ACR401}\n", "$.suppressions[0].rul: unknown key 'rul'; did you mean 'rule'?"),
        ("2:5", "suppressions:\n  - {path: x}\n", "$.suppressions[0]: missing required key 'rule'"),
        ("2:12", "suppressions:\n  - {rule: ACR499}\n", "$.suppressions[0].rule: unknown rule id 'ACR499'; did you mean 'ACR418'?"),
        ("2:29", "suppressions:\n  - {rule: ACR401, expires: soon}\n", '$.suppressions[0].expires: expected a date YYYY-MM-DD; got "soon"'),
        ("2:29", "suppressions:\n  - {rule: ACR401, expires: 2025-13-01}\n", "$.suppressions[0].expires: not a valid date: '2025-13-01'"),
        ("1:1", "- a\n", "$: expected a mapping, got list"),
        ("2:3", 'rules:\n  "weird key": off\n', "$.rules[\"weird key\"]: invalid rule id 'weird key' (expected ACR and three digits)"),
    ],
)
def test_one_precise_message(tmp_path: Path, position: str, text: str, problem: str) -> None:
    # issue 14 item 8: every error points at its line and column (the key of an unknown key or rule id, else the value)
    path = write(tmp_path, text)
    assert error_of(path) == f"{path}:{position}: {problem}"


def test_several_problems_still_one_message(tmp_path: Path) -> None:
    path = write(tmp_path, "extend: x\nrules: {ACR999: off}\nexclude: 3\n")
    assert error_of(path) == f"{path}:1:1: $.extend: unknown key 'extend'; did you mean 'extends'?"


def test_yaml_syntax_and_duplicate_keys(tmp_path: Path) -> None:
    path = write(tmp_path, "rules: [\n")
    assert error_of(path) == f"{path}:2:1: invalid YAML: unexpected end of file: did not find expected node content (while parsing a flow node)"
    path = write(tmp_path, "rules:\n  ACR401: off\n  ACR401: on\n")
    assert error_of(path) == f"{path}:3:3: duplicate key 'ACR401'"


# ------------------------------------------------------------------------------------------- precedence


def test_precedence_defaults_file_command_line(tmp_path: Path) -> None:
    path = write(tmp_path, "fail-on: error\nparameters: {location: northeurope, sku: Basic}\n")
    file_config = load_config(path, RULES)
    assert (file_config.preset, file_config.fail_on) == ("recommended", "error")
    assert file_config.sources["extends"] == "default" and file_config.sources["fail-on"] == str(path)

    cli = apply_cli(file_config, select=None, ignore=None, fail_on="info", preset="strict", parameters={"sku": "Premium"})
    assert (cli.preset, cli.fail_on) == ("strict", "info")
    assert cli.parameters == {"location": "northeurope", "sku": "Premium"}
    assert cli.sources["extends"] == "command line" and cli.sources["fail-on"] == "command line"
    assert cli.sources["parameters.sku"] == "command line" and cli.sources["parameters.location"] == str(path)
    # the file's Config is left alone
    assert (file_config.preset, file_config.fail_on, file_config.parameters["sku"]) == ("recommended", "error", "Basic")

    untouched = apply_cli(file_config, select=None, ignore=None, fail_on=None, preset=None, parameters=None)
    assert (untouched.fail_on, untouched.sources) == (file_config.fail_on, file_config.sources)


def test_bad_command_line_values() -> None:
    with pytest.raises(ConfigError, match=r"^command line: --fail-on: expected one of error, warning, info, never; got 'often'$"):
        apply_cli(Config(), select=None, ignore=None, fail_on="often", preset=None, parameters=None)
    with pytest.raises(ConfigError, match=r"^command line: --preset: expected one of recommended, strict; got 'lax'$"):
        apply_cli(Config(), select=None, ignore=None, fail_on=None, preset="lax", parameters=None)


def ids(config: Config) -> list[str]:
    return [m.id for m, _, _ in enabled_rules(config, RULES)]


def test_enabled_rules_presets_and_file(tmp_path: Path) -> None:
    assert ids(Config()) == ["ACR401", "ACR402", "ACR415", "ACR501"]
    assert ids(Config(preset="strict")) == ["ACR401", "ACR402", "ACR415", "ACR418", "ACR501"]
    config = load_config(write(tmp_path, "rules: {ACR401: off, ACR418: on, ACR415: {max_age: 7}, ACR402: error}\n"), RULES)
    got = {m.id: (sev, opts) for m, sev, opts in enabled_rules(config, RULES)}
    assert got == {
        "ACR402": ("error", {}),
        "ACR415": ("warning", {"allowed_locations": ["westeurope"], "max_age": 7}),
        "ACR418": ("info", {}),
        "ACR501": ("error", {}),
    }


def test_option_defaults_are_copies() -> None:
    (_, _, opts), = [r for r in enabled_rules(Config(), RULES) if r[0].id == "ACR415"]
    opts["allowed_locations"].append("mars")
    assert RULES["ACR415"].options["allowed_locations"]["default"] == ["westeurope"]


def test_select_and_ignore(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, "rules: {ACR401: off}\n"), RULES)
    selected = apply_cli(config, select=["ACR4"], ignore=None, fail_on=None, preset=None, parameters=None)
    # select enables exactly what it matches, over the file and the preset
    assert ids(selected) == ["ACR401", "ACR402", "ACR415", "ACR418"]
    both = apply_cli(config, select=["acr4", "ACR501"], ignore=["ACR41"], fail_on=None, preset=None, parameters=None)
    assert ids(both) == ["ACR401", "ACR402", "ACR501"]
    assert ids(apply_cli(config, select=None, ignore=["ACR5"], fail_on=None, preset=None, parameters=None)) == ["ACR402", "ACR415"]
    nothing = apply_cli(config, select=["ACR9"], ignore=None, fail_on=None, preset=None, parameters=None)
    with pytest.raises(ConfigError, match=r"^command line: --select: 'ACR9' matches no rule$"):
        enabled_rules(nothing, RULES)


# ------------------------------------------------------------------------------------------ finding files


def test_upward_search(tmp_path: Path) -> None:
    deep = tmp_path / "repo" / "infra" / "env"
    deep.mkdir(parents=True)
    assert find_config_file(deep) is None or not str(find_config_file(deep)).startswith(str(tmp_path))
    top = write(tmp_path / "repo", "extends: strict\n", ".acrlint.yml")
    assert find_config_file(deep) == top.resolve()
    nearer = write(tmp_path / "repo" / "infra", "[tool.acrlint]\nfail-on = \"error\"\n", "pyproject.toml")
    assert find_config_file(deep) == nearer.resolve()
    # in the same directory the YAML file wins over pyproject.toml, and .yaml over .yml
    same = write(tmp_path / "repo" / "infra", "extends: strict\n", ".acrlint.yaml")
    assert find_config_file(deep) == same.resolve()
    write(tmp_path / "repo" / "infra", "extends: strict\n", ".acrlint.yml")
    assert find_config_file(deep) == same.resolve()
    # a file as the start point: its directory
    template = deep / "main.json"
    template.write_text("{}")
    assert find_config_file(template) == same.resolve()


def test_pyproject_without_table_is_skipped(tmp_path: Path) -> None:
    outer = write(tmp_path, "extends: strict\n")
    inner = tmp_path / "pkg"
    inner.mkdir()
    write(inner, "[project]\nname = \"x\"\n[tool.ruff]\nline-length = 120\n", "pyproject.toml")
    assert find_config_file(inner) == outer.resolve()


def test_pyproject_tool_table(tmp_path: Path) -> None:
    path = write(tmp_path, """
[project]
name = "infra"

[tool.acrlint]
extends = "strict"
exclude = ["build/**"]

[tool.acrlint.rules]
ACR401 = "off"
ACR415 = {severity = "error", allowed_locations = ["westeurope"]}

[[tool.acrlint.suppressions]]
rule = "ACR402"
reason = "tracked in #12"
expires = 2030-01-31
""", "pyproject.toml")
    c = load_config(path, RULES)
    assert c.preset == "strict" and c.exclude == ["build/**"]
    assert c.rules["ACR401"].enabled is False and c.rules["ACR415"].severity == "error"
    assert c.suppressions[0].expires == date(2030, 1, 31)
    assert c.suppressions[0].span == Span(13, 1, 13, 2)  # its [[tool.acrlint.suppressions]] header
    bad = write(tmp_path, "[tool.acrlint.rules]\nACR401 = \"loud\"\n", "pyproject.toml")
    assert error_of(bad) == f"{bad}:2:1: $.tool.acrlint.rules.ACR401: expected one of on, off, error, warning, info; got \"loud\""
    bad = write(tmp_path, "[tool.acrlint]\nrules = {ACR401 = \"off\"}\n[[tool.acrlint.suppressions]]\nrule = \"ACR401\"\n"
                "[[tool.acrlint.suppressions]]\n  rule = \"ACR401\"\n  expires = 2030-02-30\n", "pyproject.toml")
    assert error_of(bad) == f"{bad}:7:13: invalid TOML: Invalid date or datetime"
    bad = write(tmp_path, "[tool.acrlint]\n[[tool.acrlint.suppressions]]\nrule = \"ACR401\"\n"
                "[[tool.acrlint.suppressions]]\n  rule = \"ACR401\"\n  expires = \"2030-02-30\"\n", "pyproject.toml")
    assert error_of(bad) == f"{bad}:6:3: $.tool.acrlint.suppressions[1].expires: not a valid date: '2030-02-30'"


def test_pyproject_without_toml_parser(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, "[tool.acrlint]\nextends = \"strict\"\n", "pyproject.toml")
    monkeypatch.setitem(sys.modules, "tomllib", None)  # as on Python 3.10 without tomli
    monkeypatch.setitem(sys.modules, "tomli", None)
    assert error_of(path) == (
        f"{path}: $.tool.acrlint: reading pyproject.toml needs Python 3.11+ or the 'tomli' package; install tomli or use .acrlint.yaml"
    )


# ------------------------------------------------------------------------------------------------ paths


@pytest.mark.parametrize(
    ("pattern", "path", "expected"),
    [
        ("*.json", "a/b/c.json", True),
        ("*.parameters.json", "main.parameters.json", True),
        ("generated/**", "generated/x/y.json", True),
        ("generated", "a/generated/y.json", True),  # no slash: any depth, and everything below a match
        ("/generated", "a/generated/y.json", False),  # leading slash: anchored
        ("/generated", "generated/y.json", True),
        ("a/*.json", "a/x/c.json", False),  # * stays within a segment
        ("a/**/c.json", "a/c.json", True),
        ("a/**/c.json", "a/x/y/c.json", True),
        ("build/", "build/x.json", True),
        ("my dir/*.json", "./my dir/t.json", True),
        ("t?.json", "tx.json", True),
        ("[ab].json", "c.json", False),
        ("[!ab].json", "c.json", True),
    ],
)
def test_path_matches(pattern: str, path: str, expected: bool) -> None:
    assert path_matches(pattern, path) is expected


# ------------------------------------------------------------------------------------------------ describe


def test_describe(tmp_path: Path) -> None:
    path = write(tmp_path, """
extends: strict
rules:
  ACR401: off
  ACR415: {severity: error, max_age: 7}
suppressions:
  - {rule: ACR402, path: "legacy/**", reason: "old", expires: 2030-01-01}
""")
    config = apply_cli(load_config(path, RULES), select=None, ignore=["ACR5"], fail_on="error", preset=None,
                       parameters={"location": "westeurope"})
    assert describe(config) == f"""config file: {path}
extends: strict  [{path}]
fail-on: error  [command line]
exclude: []  [default]
ignore: ["ACR5"]  [command line]
parameters:
  location: "westeurope"  [command line]
suppressions:
  - rule=ACR402 path=legacy/** expires=2030-01-01 reason="old"  [{path}]
rules:
  ACR401: off  [{path}]
  ACR415: error, max_age=7  [{path}]
"""
    assert describe(config, RULES).split("rules:\n")[1] == f"""  ACR401 admin-user-disabled: off  [{path}]
  ACR402 rule-402: warning  [preset strict ({path})]
  ACR415 rule-415: error, allowed_locations=["westeurope"], max_age=7  [{path}]
  ACR418 rule-418: info  [preset strict ({path})]
  ACR501 rule-501: off  [command line]
"""


def test_describe_defaults() -> None:
    assert describe(load_config(None, RULES)) == """config file: (none)
extends: recommended  [default]
fail-on: warning  [default]
exclude: []  [default]
parameters: {}
suppressions: []  [default]
rules: {}
"""
