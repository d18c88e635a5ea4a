"""Issue 14 item 8: precise configuration errors. Schema errors carry file:line:col (test_config.py checks every
kind); stale and expired configuration suppressions point at their line in the configuration file; a suppression
naming an unknown rule id is ACR007 with a did-you-mean."""
from __future__ import annotations

import json
from pathlib import Path

from runner import registry, repo, run, template, write

SELECT = ["--select", "ACR0,ACR104,ACR401"]


def test_stale_and_expired_yaml_suppressions_point_at_their_entries(tmp_path: Path) -> None:
    root = repo(tmp_path)
    write(root / "main.json", template(registry()))
    write(root / ".acrlint.yaml", "fail-on: error\nsuppressions:\n"
          "  - {rule: ACR104, reason: accepted}\n"
          "  - rule: ACR401\n    reason: gone\n"
          "  # an expired one\n"
          "  - rule: ACR104\n    path: legacy/\n    reason: old\n    expires: 2020-01-01\n")
    rc, out, err = run(root, "main.json", *SELECT)
    assert (rc, err) == (0, "")
    assert out == (".acrlint.yaml:4:5: warning ACR007 config suppression of ACR401 matches no finding; remove it\n"
                   ".acrlint.yaml:7:5: info ACR008 config suppression of ACR104 expired on 2020-01-01 and no longer applies; "
                   "fix the findings or renew it\n"
                   "0 errors, 1 warning, 1 info in 1 file linted, 0 skipped; 1 suppressed\n")


def test_pyproject_suppressions_point_at_their_table(tmp_path: Path) -> None:
    root = repo(tmp_path)
    write(root / "main.json", template(registry()))
    write(root / "pyproject.toml", '[project]\nname = "x"\n\n[tool.acrlint]\nfail-on = "error"\n\n'
          '[[tool.acrlint.suppressions]]\nrule = "ACR401"\nreason = "gone"\n\n'
          '[[tool.acrlint.suppressions]]\nrule = "ACR104"\nreason = "old"\nexpires = 2020-01-01\n')
    rc, out, _ = run(root, "main.json", *SELECT, "--format", "json")
    assert rc == 0  # fail-on: error
    findings = [(f["file"], f["line"], f["column"], f["rule_id"], f["pointer"]) for f in json.loads(out)["findings"]]
    assert findings[:2] == [("main.json", 15, 37, "ACR104", "/resources/0/properties/networkRuleBypassOptions"),
                            ("pyproject.toml", 7, 1, "ACR007", "/suppressions/0")]
    assert findings[2:] == [("pyproject.toml", 11, 1, "ACR008", "/suppressions/1")]


YAML = """# acrlint: disable=ACR999 -- typo
# acrlint: disable=admin-user-enabled -- a name, not an id
type: Microsoft.ContainerRegistry/registries
name: contosoacr
apiVersion: "2025-11-01"
location: westeurope
sku: {name: Premium}
# acrlint: disable=ACR40 -- a prefix is not an id
properties: {adminUserEnabled: true}
"""


def test_inline_directives_naming_unknown_rules_are_acr007_with_a_suggestion(tmp_path: Path) -> None:
    root = repo(tmp_path)
    write(root / "acr.yaml", YAML)
    rc, out, _ = run(root, "acr.yaml", "--select", "ACR007,ACR401")
    assert rc == 1
    assert out == ("acr.yaml:1:1: warning ACR007 suppression names an unknown rule id 'ACR999'; did you mean 'ACR429'?\n"
                   "acr.yaml:2:1: warning ACR007 suppression names an unknown rule id 'admin-user-enabled'; did you mean 'ACR401'?\n"
                   "acr.yaml:8:1: warning ACR007 suppression names an unknown rule id 'ACR40'; did you mean 'ACR401'?\n"
                   "acr.yaml:9:32: error ACR401 Registry 'contosoacr' has the admin user enabled: use Microsoft Entra identities "
                   "(AcrPull/AcrPush, or repository-scoped tokens) and set adminUserEnabled to false\n"
                   "1 error, 3 warnings, 0 info in 1 file linted, 0 skipped\n")


def test_bicep_and_metadata_suppressions_naming_unknown_rules(tmp_path: Path) -> None:
    root = repo(tmp_path)
    write(root / "main.bicep", "// acrlint: disable=ACR4O1 -- letter O\n"
          "resource acr 'Microsoft.ContainerRegistry/registries@2025-11-01' = {\n  name: 'contosoacr'\n  location: 'westeurope'\n"
          "  sku: { name: 'Premium' }\n  properties: { adminUserEnabled: false }\n}\n")
    meta = registry(adminUserEnabled=False)
    meta["metadata"] = {"acrlint": {"disable": {"ACR9O1": "typo"}}}
    write(root / "t.json", template(meta))
    rc, out, _ = run(root, "main.bicep", "t.json", "--select", "ACR007,ACR401")
    assert rc == 1
    assert out == ("main.bicep:1:1: warning ACR007 suppression names an unknown rule id 'ACR4O1'; did you mean 'ACR401'?\n"
                   "t.json:19:23: warning ACR007 suppression in metadata.acrlint.disable names an unknown rule id 'ACR9O1'; "
                   "did you mean 'ACR501'?\n"
                   "0 errors, 2 warnings, 0 info in 2 files linted, 0 skipped\n")
