"""Schema checks ACR426, ACR427, ACR501-ACR506 and the generated schemas under schemas/azure/."""
from __future__ import annotations

import copy
import datetime as dt
import json
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from linter.checks import apischema
from linter.engine.registry import load_checks
from linter.engine.rules import _load_yaml, record_to_meta, validate_record
from linter.engine.run import RuleRun
from linter.model import Finding, Resource, Unknown

REPO = Path(__file__).resolve().parent.parent
SCHEMAS = REPO / "schemas" / "azure"
TYPES_DIR = REPO.parent / "shared" / "azure-types"
RULE_IDS = ("ACR426", "ACR427", "ACR501", "ACR502", "ACR503", "ACR504", "ACR505", "ACR506")
TODAY = dt.date(2026, 11, 23)

sys.path.insert(0, str(REPO / "tools"))
import gen_schemas  # noqa: E402  (found through the sys.path entry above)


@pytest.fixture(autouse=True)
def _fixed_date(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(apischema, "REFERENCE_DATE", TODAY)


def rule_run(rule_id: str) -> RuleRun:
    meta = record_to_meta(_load_yaml(REPO / "rules" / f"{rule_id}.yaml"), f"{rule_id}.yaml")
    return RuleRun(meta, meta.severity)


class StandInInventory:
    def __init__(self, resources: list[Resource]) -> None:
        self.resources = resources

    def of_type(self, *types: str) -> list[Resource]:
        wanted = {t.lower() for t in types}
        return [r for r in self.resources if r.type_lower in wanted and not r.existing]


def run(rule_id: str, *resources: Resource) -> list[Finding]:
    return list(load_checks()[rule_id](StandInInventory(list(resources)), rule_run(rule_id)))


def registry(api: Any = "2025-11-01", properties: dict[str, Any] | None = None, source_kind: str = "arm",
             **top: Any) -> Resource:
    body: dict[str, Any] = {
        "type": "Microsoft.ContainerRegistry/registries",
        "apiVersion": api,
        "name": "contosoacr",
        "location": "westeurope",
        "sku": {"name": "Premium"},
    }
    if properties is not None:
        body["properties"] = properties
    body.update(top)
    return Resource(type=body["type"], name="contosoacr", id=None, body=body, file="t.json",
                    pointer="/resources/0", api_version=api, source_kind=source_kind)


# ------------------------------------------------------------------------------------------- end to end
# The fixtures under tests/fixtures/ACR4xx|ACR5xx are compared by tests/test_fixtures.py.


def test_copy_loop_reports_one_finding_per_location(tmp_path: Path) -> None:
    from linter.api import Options, lint_paths

    template = {
        "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
        "contentVersion": "1.0.0.0",
        "resources": [{
            "type": "Microsoft.ContainerRegistry/registries", "apiVersion": "2025-11-01",
            "name": "[format('acr{0}reg', copyIndex())]", "location": "westeurope",
            "copy": {"name": "regs", "count": 3},
            "sku": {"name": "Premium"}, "properties": {"adminUserEnabled": "[if(equals(copyIndex(), 1), 'yes', false())]",
                                                       "publicNetworkAcess": "Disabled"},
        }],
    }
    path = tmp_path / "loop.json"
    path.write_text(json.dumps(template, indent=2))
    findings = lint_paths([str(path)], Options(select=["ACR501", "ACR502"])).findings
    assert [(f.rule_id, f.pointer) for f in findings if f.rule_id.startswith("ACR50")] == [
        ("ACR502", "/resources/0/properties/adminUserEnabled"),
        ("ACR501", "/resources/0/properties/publicNetworkAcess"),
    ]


# ------------------------------------------------------------------------------------------- rule records


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_rule_record_is_valid(rule_id: str) -> None:
    data = _load_yaml(REPO / "rules" / f"{rule_id}.yaml")
    assert validate_record(data) == []
    assert data["implementation"] == "python"
    assert data["presets"] == (["strict"] if rule_id == "ACR427" else ["recommended", "strict"])
    assert rule_id in load_checks()


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_docs_examples(rule_id: str) -> None:
    """The fail example of each record fails its rule and the pass example passes."""
    docs = _load_yaml(REPO / "rules" / f"{rule_id}.yaml")["docs"]
    for key, should_fail in (("fail", True), ("pass", False)):
        body = json.loads(docs[key])
        res = Resource(type=body["type"], name=body["name"], id=None, body=body, file="doc.json",
                       api_version=body["apiVersion"])
        assert bool(run(rule_id, res)) is should_fail, key


# ------------------------------------------------------------------------------------------- behaviour


def test_newer_property_is_acr426_not_acr501() -> None:
    res = registry("2023-07-01", {"anonymousPullEnabled": True})
    assert [f.message for f in run("ACR426", res)] == [
        ("contosoacr: 'properties.anonymousPullEnabled' is not defined in API version 2023-07-01 "
        "(first in 2025-04-01): the service ignores it")
    ]
    assert run("ACR501", res) == []
    assert run("ACR426", registry("2025-04-01", {"anonymousPullEnabled": True})) == []


def test_unknown_property_suggestion_and_case_insensitive_match() -> None:
    res = registry("2025-11-01", {"PUBLICNETWORKACCESS": "Disabled", "adminUserEnable": False})
    findings = run("ACR501", res)
    assert [(f.pointer, f.message) for f in findings] == [
        ("/resources/0/properties/adminUserEnable",
         ("contosoacr: unknown property 'properties.adminUserEnable' for Microsoft.ContainerRegistry/registries "
         "API version 2025-11-01 (did you mean 'adminUserEnabled'?)"))
    ]


def test_unknown_values_are_never_reported() -> None:
    res = registry("2025-11-01", {"adminUserEnabled": Unknown(), "publicNetworkAcess": Unknown(),
                                  "networkRuleSet": Unknown(), "loginServer": Unknown()},
                   sku={"name": Unknown()})
    for rule_id in ("ACR501", "ACR502", "ACR503", "ACR504", "ACR505"):
        assert run(rule_id, res) == [], rule_id
    unknown_version = registry(Unknown(), {"zzz": 1})
    for rule_id in RULE_IDS:
        assert run(rule_id, unknown_version) == [], rule_id


def test_api_version_compared_case_insensitively_and_yaml_date() -> None:
    assert run("ACR506", registry("2025-11-01-PREVIEW".replace("11-01", "06-01"))) == []
    dated = registry(dt.date(2025, 11, 1), {"zzz": 1})
    assert [f.pointer for f in run("ACR501", dated)] == ["/resources/0/properties/zzz"]


def test_az_output_only_values_are_checked() -> None:
    res = registry(None, {"loginServer": "x.azurecr.io", "provisioningState": "Succeeded", "adminUserEnabled": "no",
                          "cliField": 1, "publicNetworkAccess": "Sometimes"}, source_kind="az")
    res.body.pop("location")
    assert run("ACR505", res) == [] and run("ACR504", res) == [] and run("ACR501", res) == []
    assert run("ACR506", res) == [] and run("ACR427", res) == [] and run("ACR426", res) == []
    assert [f.message for f in run("ACR502", res)] == [
        "contosoacr: 'properties.adminUserEnabled' must be a boolean, not a string ('no')"
    ]
    assert len(run("ACR503", res)) == 1


def test_aso_resources_are_checked_for_values_only() -> None:
    res = registry(None, {"zoneRedundancy": "Maybe", "unknownThing": 1}, source_kind="aso")
    assert [f.pointer for f in run("ACR503", res)] == ["/resources/0/properties/zoneRedundancy"]
    assert run("ACR501", res) == [] and run("ACR506", res) == []


def test_existing_resources_are_skipped() -> None:
    res = registry("2025-11-01", {"zzz": 1, "adminUserEnabled": "x"})
    res.existing = True
    assert apischema.analyze(res) is None


def test_discriminated_objects() -> None:
    task = Resource(
        type="Microsoft.ContainerRegistry/registries/tasks", name="acr/build", id=None, file="t.json",
        api_version="2019-04-01",
        body={"type": "Microsoft.ContainerRegistry/registries/tasks", "apiVersion": "2019-04-01", "name": "acr/build",
              "location": "westeurope",
              "properties": {"platform": {"os": "linux"}, "step": {"type": "docker", "dockerFilePath": "Dockerfile",
                                                                   "contextPath": "https://github.com/x/y.git",
                                                                   "imageNames": "app:latest"}}},
    )
    assert [f.message for f in run("ACR502", task)] == [
        "acr/build: 'properties.step.imageNames' must be an array, not a string ('app:latest')"
    ]
    task.body["properties"]["step"]["type"] = "Dockerish"
    task.analysis = None  # the analysis is kept on the resource for the run: a changed body is analysed afresh
    assert [f.pointer for f in run("ACR503", task)] == ["/properties/step/type"]


def test_child_name_last_segment() -> None:
    def replication(name: str) -> Resource:
        body = {"type": "Microsoft.ContainerRegistry/registries/replications", "apiVersion": "2025-11-01",
                "name": name, "location": "northeurope"}
        return Resource(type=body["type"], name=name, id=None, body=body, file="t.json", api_version="2025-11-01")

    assert run("ACR503", replication("contosoacr/northeurope")) == []
    assert [f.message for f in run("ACR503", replication("contosoacr/north-europe"))] == [
        "contosoacr/north-europe: 'north-europe' is not allowed for 'name': must match ^[a-zA-Z0-9]*$"
    ]


def test_acr427_preview_reasons() -> None:
    covered = registry("2025-06-01-preview", {"adminUserEnabled": False})
    assert [f.message for f in run("ACR427", covered)] == [
        "contosoacr: API version 2025-06-01-preview is a preview, and stable 2025-11-01 defines every property used"
    ]
    preview_only = registry("2025-06-01-preview", {"policies": {"softDeletePolicy": {"status": "enabled"}}})
    assert run("ACR427", preview_only) == []
    newest_preview = registry("2026-03-01-preview", {})
    assert run("ACR427", newest_preview) == []


def test_acr427_age_uses_the_reference_date(monkeypatch: pytest.MonkeyPatch) -> None:
    res = registry("2023-07-01", {})
    assert [f.message for f in run("ACR427", res)] == [
        "contosoacr: API version 2023-07-01 is more than 730 days old (newest stable: 2025-11-01)"
    ]
    monkeypatch.setattr(apischema, "REFERENCE_DATE", dt.date(2025, 6, 30))  # 730 days after 2023-07-01
    assert run("ACR427", copy.deepcopy(res)) == []
    monkeypatch.setattr(apischema, "REFERENCE_DATE", dt.date(2025, 7, 1))
    assert len(run("ACR427", copy.deepcopy(res))) == 1
    # the newest stable version of a type is never reported
    ra = Resource(type="Microsoft.Authorization/roleAssignments", name="x", id=None, file="t.json",
                  api_version="2022-04-01",
                  body={"type": "Microsoft.Authorization/roleAssignments", "apiVersion": "2022-04-01", "name": "x",
                        "properties": {"roleDefinitionId": "r", "principalId": "p"}})
    assert run("ACR427", ra) == []


def test_acr427_age_threshold_is_an_option() -> None:
    res = registry("2025-04-01", {})
    meta = rule_run("ACR427").meta
    assert meta.options["max_age_days"]["default"] == 730
    assert run("ACR427", res) == []  # 601 days before the reference date
    shorter = RuleRun(meta, meta.severity, {"max_age_days": 365})
    assert [f.message for f in load_checks()["ACR427"](StandInInventory([res]), shorter)] == [
        "contosoacr: API version 2025-04-01 is more than 365 days old (newest stable: 2025-11-01)"
    ]


def test_acr427_retired_version_is_a_warning_with_its_date(monkeypatch: pytest.MonkeyPatch) -> None:
    res = registry("2017-03-01", {"adminUserEnabled": False})
    found = run("ACR427", res)
    assert [(f.severity, f.message) for f in found] == [
        ("warning", "contosoacr: API version 2017-03-01 is no longer supported: Azure Container Registry ended its "
                    "support in September 2026; move to 2025-11-01")
    ]
    monkeypatch.setattr(apischema, "REFERENCE_DATE", dt.date(2026, 9, 30))
    assert [(f.severity, f.message) for f in run("ACR427", copy.deepcopy(res))] == [
        ("warning", "contosoacr: API version 2017-03-01 loses support: Azure Container Registry ends its support in "
                    "September 2026; move to 2025-11-01")
    ]
    # a severity set in the configuration wins
    meta = rule_run("ACR427").meta
    configured = RuleRun(meta, "error")
    assert [f.severity for f in load_checks()["ACR427"](StandInInventory([copy.deepcopy(res)]), configured)] == ["error"]


def test_acr506_nearest_versions() -> None:
    assert [f.message for f in run("ACR506", registry("2024-01-01"))] == [
        ("contosoacr: API version '2024-01-01' is not known for Microsoft.ContainerRegistry/registries; "
        "nearest known versions: 2023-07-01, 2023-08-01-preview, 2023-11-01-preview")
    ]
    assert [f.message for f in run("ACR506", registry("latest"))] == [
        ("contosoacr: API version 'latest' is not known for Microsoft.ContainerRegistry/registries; "
        "nearest known versions: 2025-11-01, 2026-01-01-preview, 2026-03-01-preview")
    ]


def test_no_schema_loaded_without_registry_resources() -> None:
    apischema.compiled.cache_clear()
    apischema.type_paths.cache_clear()
    other = Resource(type="Microsoft.Storage/storageAccounts", name="s", id=None, file="t.json",
                     body={"type": "Microsoft.Storage/storageAccounts", "apiVersion": "2023-01-01", "name": "s"},
                     api_version="2023-01-01")
    for rule_id in RULE_IDS:
        assert run(rule_id, other) == []
    assert apischema.compiled.cache_info().currsize == 0
    assert apischema.type_paths.cache_info().currsize == 0


def test_loading_one_schema_is_fast() -> None:
    apischema.compiled.cache_clear()
    start = time.perf_counter()
    apischema.compiled("microsoft.containerregistry/registries", "2025-11-01")
    assert time.perf_counter() - start < 0.05


# ------------------------------------------------------------------------------------------- generated schemas


def schema_files() -> list[Path]:
    return sorted(p for p in SCHEMAS.rglob("*.json") if p.name not in ("index.json", "paths.json"))


def test_generated_schemas_are_valid_json_schema() -> None:
    from jsonschema import Draft202012Validator

    files = schema_files()
    assert len(files) > 250
    for path in files:
        schema = json.loads(path.read_text(encoding="utf-8"))
        Draft202012Validator.check_schema(schema)
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_generated_schema_validates_a_registry_with_jsonschema() -> None:
    """The files are usable by any draft 2020-12 validator, not only by our walker."""
    from jsonschema import Draft202012Validator

    schema = json.loads((SCHEMAS / "microsoft.containerregistry" / "registries" / "2025-11-01.json").read_text())
    validator = Draft202012Validator(schema)
    good = {"type": "Microsoft.ContainerRegistry/registries", "apiVersion": "2025-11-01", "name": "contosoacr",
            "location": "westeurope", "sku": {"name": "Premium"}, "dependsOn": [],
            "properties": {"publicNetworkAccess": "Disabled"}}
    assert list(validator.iter_errors(good)) == []
    bad = dict(good, properties={"publicNetworkAcess": "Disabled"})
    assert list(validator.iter_errors(bad))


def test_index_lists_every_schema_file() -> None:
    index = json.loads((SCHEMAS / "index.json").read_text())["types"]
    listed = {SCHEMAS / e["folder"] / f"{v}.json" for e in index.values() for v in e["versions"]}
    assert listed == set(schema_files())
    assert "microsoft.containerregistry/registries" in index
    assert {"microsoft.authorization/roleassignments", "microsoft.authorization/roledefinitions"} <= set(index)


@pytest.mark.skipif(not TYPES_DIR.is_dir(), reason="Azure type definitions not present")
def test_regenerating_gives_identical_files(tmp_path: Path) -> None:
    out = tmp_path / "azure"
    gen_schemas.generate(TYPES_DIR, out)
    generated = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    committed = {p.relative_to(SCHEMAS): p.read_bytes() for p in SCHEMAS.rglob("*") if p.is_file()}
    assert generated.keys() == committed.keys()
    for rel, data in generated.items():
        assert data == committed[rel], rel


def test_rule_ids_name_every_check_of_the_module():
    from linter.checks import apischema
    from linter.engine.registry import load_checks

    mine = {rid for rid, fn in load_checks().items() if fn.__module__ == apischema.__name__}
    assert mine == apischema.RULE_IDS


def test_repeated_literal_properties_are_reported_at_each_resource(tmp_path: Path) -> None:
    # the walk of a literal `properties` block is remembered by its text: every resource still gets its findings
    from linter.api import Options, lint_paths

    def reg(name: str, **props: Any) -> dict[str, Any]:
        return {"type": "Microsoft.ContainerRegistry/registries", "apiVersion": "2025-11-01", "name": name,
                "location": "westeurope", "sku": {"name": "Premium"}, "properties": props}

    same = {"publicNetworkAcess": "Disabled", "zoneRedundancy": "Maybe", "policies": {"exportPolicy": {"status": 1}}}
    template = {
        "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
        "contentVersion": "1.0.0.0",
        "resources": [reg("contoso1", **same), reg("contoso2", **same), reg("contoso3", **{**same, "zoneRedundancy": "[concat('Ena', 'bled')]"})],
    }
    path = tmp_path / "same.json"
    path.write_text(json.dumps(template, indent=2))
    findings = lint_paths([str(path)], Options(select=["ACR501", "ACR502", "ACR503"])).findings
    assert [(f.rule_id, f.pointer, f.span.line if f.span else 0) for f in findings] == [
        ("ACR501", "/resources/0/properties/publicNetworkAcess", 14),
        ("ACR503", "/resources/0/properties/zoneRedundancy", 15),
        ("ACR502", "/resources/0/properties/policies/exportPolicy/status", 18),
        ("ACR501", "/resources/1/properties/publicNetworkAcess", 32),
        ("ACR503", "/resources/1/properties/zoneRedundancy", 33),
        ("ACR502", "/resources/1/properties/policies/exportPolicy/status", 36),
        ("ACR501", "/resources/2/properties/publicNetworkAcess", 50),
        ("ACR502", "/resources/2/properties/policies/exportPolicy/status", 54),
    ]
    assert findings[2].message == ("contoso1: 'properties.policies.exportPolicy.status' must be a string, not an integer "
                                   "(1)")
    assert findings[5].message == findings[2].message.replace("contoso1", "contoso2")
