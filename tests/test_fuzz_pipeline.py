"""Fuzzing the whole pipeline (discover -> decode -> expand -> relate -> check -> locate) through api.lint.

Two sources of input: byte-level mutations of small real files from the shared corpus, and random JSON
documents shaped like ARM templates (resource types acrlint knows, random properties, random expressions,
copy loops, conditions, nested deployments). Whatever the input, lint() returns a result: no exception
escapes, every finding is located, and exit code 2 only comes with an ACR000 (unreadable) or ACR003 (rule
crashed) finding. Longer runs: the Atheris harnesses in fuzz/ (see fuzz/README.md).
"""
from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from linter.api import Options, lint

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path(os.environ.get("ACRLINT_SHARED", ROOT.parent / "shared")) / "corpus"
SETTINGS = settings(max_examples=200, derandomize=True, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def _small_corpus_files(limit: int = 24_000) -> list[Path]:
    if not CORPUS.is_dir():
        return []
    files = [p for p in sorted(CORPUS.rglob("*")) if p.suffix in (".json", ".yaml", ".yml") and p.is_file()
             and p.stat().st_size <= limit]
    return files


SEEDS = _small_corpus_files()
SEED_BYTES = [(p.suffix, p.read_bytes()) for p in SEEDS]
needs_corpus = pytest.mark.skipif(not SEEDS, reason="shared corpus not present")

_WORKDIR = tempfile.TemporaryDirectory(prefix="acrlint-fuzz-")


def check_invariants(result: Any) -> None:
    ids = {f.rule_id for f in result.findings}
    if result.exit_code == 2:
        assert ids & {"ACR000", "ACR003"}, [(f.rule_id, f.message) for f in result.findings]
    assert "ACR003" not in ids, [f.message for f in result.findings if f.rule_id == "ACR003"]  # no rule may crash
    for f in result.findings:
        assert (f.span is not None and f.span.line >= 1 and f.span.column >= 1) or f.rule_id == "ACR000"
    assert result.files_linted + result.files_skipped + result.files_failed == 1


def lint_bytes(data: bytes, suffix: str) -> Any:
    path = Path(_WORKDIR.name) / f"input{suffix}"
    path.write_bytes(data)
    try:
        result = lint([str(path)], Options(jobs=1))
    finally:
        path.unlink()
    check_invariants(result)
    return result


# --------------------------------------------------------------------------- byte mutations

mutation = st.one_of(
    st.tuples(st.just("flip"), st.integers(0, 1 << 20), st.integers(0, 255)),
    st.tuples(st.just("insert"), st.integers(0, 1 << 20), st.sampled_from(
        [b"{", b"}", b"[", b"]", b'"', b",", b":", b"\\", b"\x00", b"\xff", b"\xef\xbb\xbf", b"//", b"/*", b"\n", b"\r",
         b"&a ", b"*a", b"<<: ", b"!!python/name:os.system ", b"[", b"[[", b"]]", b"'", b"(", b")", b"copyIndex()",
         b"parameters('x')", b"[range(0, 99999)]", b"NaN", b"1e999", b"-0", b"99999999999999999999999", b"\t", b"- "])),
    st.tuples(st.just("delete"), st.integers(0, 1 << 20), st.integers(1, 64)),
    st.tuples(st.just("truncate"), st.integers(0, 1 << 20), st.just(0)),
    st.tuples(st.just("duplicate"), st.integers(0, 1 << 20), st.integers(1, 256)),
)


def mutate(data: bytes, ops: list[tuple[str, int, Any]]) -> bytes:
    buf = bytearray(data)
    for op, pos, arg in ops:
        pos = pos % (len(buf) + 1)
        if op == "flip" and buf:
            buf[min(pos, len(buf) - 1)] = arg
        elif op == "insert":
            buf[pos:pos] = arg
        elif op == "delete":
            del buf[pos:pos + arg]
        elif op == "truncate":
            del buf[pos:]
        elif op == "duplicate":
            buf[pos:pos] = buf[pos:pos + arg]
    return bytes(buf)


@needs_corpus
@SETTINGS
@given(seed=st.integers(0, 10_000), ops=st.lists(mutation, min_size=1, max_size=8))
def test_mutated_corpus_files(seed: int, ops: list[tuple[str, int, Any]]) -> None:
    suffix, data = SEED_BYTES[seed % len(SEED_BYTES)]
    lint_bytes(mutate(data, ops), suffix)


@needs_corpus
@SETTINGS
@given(seed=st.integers(0, 10_000), suffix=st.sampled_from([".json", ".yaml"]), data=st.data())
def test_corpus_files_with_the_other_suffix_or_encoding(seed: int, suffix: str, data: st.DataObject) -> None:
    _, raw = SEED_BYTES[seed % len(SEED_BYTES)]
    encoding = data.draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-be", "utf-32-le"]))
    try:
        raw = raw.decode("utf-8").encode(encoding)
    except UnicodeDecodeError:
        pass
    lint_bytes(raw, suffix)


@SETTINGS
@given(data=st.binary(max_size=2048), suffix=st.sampled_from([".json", ".yaml", ".yml", ".jsonc"]))
def test_arbitrary_bytes(data: bytes, suffix: str) -> None:
    lint_bytes(data, suffix)


# --------------------------------------------------------------------------- template-shaped documents

TYPES = [
    "Microsoft.ContainerRegistry/registries", "Microsoft.ContainerRegistry/registries/replications",
    "Microsoft.ContainerRegistry/registries/webhooks", "Microsoft.ContainerRegistry/registries/tasks",
    "Microsoft.ContainerRegistry/registries/scopeMaps", "Microsoft.ContainerRegistry/registries/tokens",
    "Microsoft.ContainerRegistry/registries/cacheRules", "Microsoft.Authorization/roleAssignments",
    "Microsoft.Authorization/roleDefinitions", "Microsoft.ManagedIdentity/userAssignedIdentities",
    "Microsoft.ContainerInstance/containerGroups", "Microsoft.Web/sites", "Microsoft.App/containerApps",
    "Microsoft.MachineLearningServices/workspaces", "Microsoft.Network/privateEndpoints",
    "Microsoft.Insights/diagnosticSettings", "Microsoft.Resources/deployments", "Microsoft.Storage/storageAccounts",
]
PROPERTY_NAMES = [
    "adminUserEnabled", "publicNetworkAccess", "networkRuleBypassOptions", "networkRuleSet", "defaultAction",
    "ipRules", "policies", "exportPolicy", "status", "anonymousPullEnabled", "zoneRedundancy", "encryption",
    "roleDefinitionId", "principalId", "principalType", "scope", "imageRegistryCredentials", "server", "identity",
    "containers", "image", "siteConfig", "acrUseManagedIdentityCreds", "linuxFxVersion", "registries",
    "privateLinkServiceConnections", "groupIds", "privateLinkServiceId", "serviceUri", "actions", "permissions",
    "assignableScopes", "value", "action", "name", "type", "userAssignedIdentities", "dataEndpointEnabled",
]
FUNCTION_CALLS = [
    "parameters('p')", "variables('v')", "resourceGroup().location", "resourceGroup().id", "subscription().id",
    "resourceId('Microsoft.ContainerRegistry/registries', 'acr')", "reference('acr').loginServer",
    "reference(resourceId('Microsoft.ContainerRegistry/registries', parameters('p')), '2023-07-01', 'Full')",
    "concat('a', 'b')", "format('{0}-{1}', 'x', 1)", "guid('a', 'b')", "uniqueString(resourceGroup().id)",
    "copyIndex()", "copyIndex('loop', 1)", "if(equals(1, 1), 'Enabled', 'Disabled')", "createArray(1, 'a')",
    "createObject('a', 1)", "json('{\"a\": [1]}')", "length(variables('v'))", "range(0, 3)",
    "union(createObject('a', 1), createObject('b', 2))", "split('a,b', ',')[0]", "listKeys('x', '2020-01-01').keys[0].value",
    "subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '7f951dda-4ed3-4680-a7ca-43fe172d538d')",
    "extensionResourceId(resourceId('Microsoft.ContainerRegistry/registries', 'acr'), 'Microsoft.Authorization/roleAssignments', 'x')",
    "ns.f(1)", "environment().suffixes.acrLoginServer", "deployment().name", "tenant().tenantId", "managementGroup().id",
    "map(range(0, 2), x => x)", "filter(createArray(1, 2), i => greater(i, 1))", "lambdaVariables('x')",
    "reference('missing')", "nosuchfunction()", "parameters('missing')", "variables('missing')", "[", "')", "div(1, 0)",
    "mod(1, 0)", "int('x')", "padLeft('a', 99999999, 'b')", "string(range(0, 10000))", "base64ToString('!!!')",
]

expression = st.builds(lambda calls, wrap: "[" + (calls[0] if len(calls) == 1 else f"concat({', '.join(map(repr_arm, calls))})" if wrap
                                                  else calls[0]) + "]",
                       st.lists(st.sampled_from(FUNCTION_CALLS), min_size=1, max_size=3), st.booleans())


def repr_arm(call: str) -> str:
    return f"string({call})"


scalar = st.one_of(st.none(), st.booleans(), st.integers(-2**63, 2**63), st.floats(allow_nan=False, allow_infinity=False),
                   st.text(max_size=12), st.sampled_from(["Enabled", "Disabled", "None", "AzureServices", "Allow", "Deny",
                                                          "Premium", "Basic", "enabled", "disabled", "[[literal"]),
                   expression)
value = st.recursive(scalar, lambda children: st.one_of(
    st.lists(children, max_size=4),
    st.dictionaries(st.sampled_from(PROPERTY_NAMES), children, max_size=5),
), max_leaves=20)


@st.composite
def resource(draw: st.DrawFn, depth: int = 0) -> dict[str, Any]:
    res: dict[str, Any] = {
        "type": draw(st.sampled_from(TYPES)),
        "apiVersion": draw(st.sampled_from(["2023-07-01", "2025-11-01", "2019-05-01", "2022-04-01", "not-a-date", "[parameters('p')]"])),
        "name": draw(st.one_of(st.sampled_from(["acr", "acr/replica", "[parameters('p')]", "[concat('acr', copyIndex())]", ""]),
                               expression)),
    }
    if draw(st.booleans()):
        res["properties"] = draw(st.dictionaries(st.sampled_from(PROPERTY_NAMES), value, max_size=6))
    for key, strat in (("location", st.one_of(st.just("[resourceGroup().location]"), st.just("westeurope"))),
                       ("sku", st.fixed_dictionaries({"name": st.sampled_from(["Basic", "Standard", "Premium", "[parameters('p')]"])})),
                       ("identity", value), ("scope", st.one_of(expression, st.just("Microsoft.ContainerRegistry/registries/acr"))),
                       ("condition", st.one_of(st.booleans(), expression)),
                       ("copy", st.fixed_dictionaries({"name": st.just("loop"), "count": st.one_of(st.integers(-2, 1000), expression)})),
                       ("dependsOn", st.lists(expression, max_size=2)), ("tags", value)):
        if draw(st.integers(0, 3)) == 0:
            res[key] = draw(strat)
    if depth < 2 and draw(st.integers(0, 5)) == 0:
        res["resources"] = draw(st.lists(resource(depth + 1), max_size=2))
    if res["type"] == "Microsoft.Resources/deployments" and depth < 2:
        res["properties"] = {"mode": "Incremental",
                             "expressionEvaluationOptions": {"scope": draw(st.sampled_from(["inner", "outer"]))},
                             "parameters": {"p": {"value": draw(scalar)}},
                             "template": draw(template_doc(depth + 1))}
    return res


@st.composite
def template_doc(draw: st.DrawFn, depth: int = 0) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "$schema": draw(st.sampled_from([
            "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
            "https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentTemplate.json#",
        ])),
        "contentVersion": "1.0.0.0",
        "parameters": {"p": draw(st.fixed_dictionaries(
            {"type": st.sampled_from(["string", "int", "bool", "object", "array", "securestring", "nonsense"])},
            optional={"defaultValue": value, "allowedValues": st.lists(scalar, max_size=3)}))},
        "variables": {"v": draw(value), **({"copy": [{"name": "vl", "count": draw(st.integers(0, 5)), "input": draw(value)}]}
                                           if draw(st.booleans()) else {})},
    }
    if draw(st.booleans()):
        doc["functions"] = [{"namespace": "ns", "members": {"f": {
            "parameters": [{"name": "x", "type": "int"}], "output": {"type": "string", "value": draw(expression)}}}}]
    resources = draw(st.lists(resource(depth), max_size=5))
    if depth == 0 and draw(st.integers(0, 4)) == 0:
        doc["languageVersion"] = "2.0"
        doc["resources"] = {f"r{i}": r for i, r in enumerate(resources)}
    else:
        doc["resources"] = resources
    if draw(st.booleans()):
        doc["outputs"] = {"o": {"type": "string", "value": draw(expression)}}
    return doc


@SETTINGS
@given(doc=template_doc())
def test_random_templates_json(doc: dict[str, Any]) -> None:
    lint_bytes(json.dumps(doc, indent=1).encode(), ".json")


@SETTINGS
@given(doc=template_doc())
def test_random_templates_yaml(doc: dict[str, Any]) -> None:
    import yaml

    lint_bytes(yaml.safe_dump(doc, sort_keys=False).encode(), ".yaml")


@SETTINGS
@given(resources=st.lists(resource(), min_size=1, max_size=6), flat=st.booleans())
def test_random_az_cli_output(resources: list[dict[str, Any]], flat: bool) -> None:
    """`az resource list` / `az acr show` shapes: resources with ids, outside any template."""
    out = []
    for i, r in enumerate(resources):
        r = dict(r, id=f"/subscriptions/0/resourceGroups/rg/providers/{r['type']}/n{i}")
        r.pop("copy", None)
        if flat and isinstance(r.get("properties"), dict):
            r.update(r.pop("properties"))
        out.append(r)
    lint_bytes(json.dumps(out if len(out) > 1 else out[0]).encode(), ".json")


# --------------------------------------------------------------------------- regressions found by fuzzing


def test_aso_manifest_with_scalar_metadata() -> None:
    # fuzz/fuzz_pipeline.py: `metadata` lost its colon and became a string; AttributeError escaped lint()
    data = (b"apiVersion: containerregistry.azure.com/v20251101\nkind: RegistryReplication\nmetadata:\n"
            b"  namzoneredundancytryreplication\nspec:\n  location: westeurope\n  owner:\n    name Disabled\n")
    result = lint_bytes(data, ".yaml")
    assert result.files_linted == 1 and not result.tool_failed


@pytest.mark.parametrize("metadata", [b"x", b"[1, 2]", b"null", b"42"])
def test_aso_manifest_with_odd_metadata_and_spec(metadata: bytes) -> None:
    data = b"apiVersion: containerregistry.azure.com/v1api20230701\nkind: Registry\nmetadata: " + metadata + b"\nspec: {}\n"
    lint_bytes(data, ".yaml")


def test_an_exception_while_expanding_one_file_does_not_end_the_run(monkeypatch: pytest.MonkeyPatch) -> None:
    import linter.shapes as shapes

    def boom(*args: Any, **kwargs: Any) -> Any:
        raise KeyError("boom")

    monkeypatch.setattr(shapes, "resource_from_aso", boom)
    work = Path(_WORKDIR.name)
    (work / "aso.yaml").write_text("apiVersion: containerregistry.azure.com/v1api20230701\nkind: Registry\n"
                                   "metadata: {name: acr}\nspec: {location: westeurope}\n")
    (work / "t.json").write_text(json.dumps({"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
                                             "resources": [{"type": "Microsoft.ContainerRegistry/registries", "apiVersion": "2025-11-01",
                                                            "name": "acr", "properties": {"publicNetworkAccess": "Disabled",
                                                                                          "networkRuleBypassOptions": "None"}}]}))
    try:
        result = lint([str(work / "aso.yaml"), str(work / "t.json")], Options(jobs=1, select=["ACR0", "ACR104"]))
    finally:
        (work / "aso.yaml").unlink()
        (work / "t.json").unlink()
    assert [(Path(f.file).name, f.rule_id) for f in result.findings] == [("aso.yaml", "ACR003"), ("t.json", "ACR104")]
    assert result.findings[0].message == "internal error while reading this file: KeyError: 'boom'"
    assert (result.files_linted, result.files_failed, result.exit_code) == (1, 1, 2)
