"""The Bicep reader: tokens, syntax, the translation into the template the compiler emits, and Bicep files through the
whole pipeline (positions, relations, modules, .bicepparam, suppressions, unsupported syntax), each with its exact
outcome."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from linter.api import Options, lint
from linter.arm.expand import expand_template
from linter.bicep import syntax as s
from linter.bicep.lexer import tokenize
from linter.bicep.parser import parse
from linter.bicep.reader import read
from linter.model import Unknown

ADMIN = ("Registry '{}' has the admin user enabled: use Microsoft Entra identities (AcrPull/AcrPush, or repository-scoped tokens) "
         "and set adminUserEnabled to false")


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return str(path)


def findings(paths: list[str] | str, select: str = "ACR401", **options: Any) -> list[tuple[str, str, int, int, str]]:
    result = lint([paths] if isinstance(paths, str) else paths, Options(select=select.split(","), preset="strict", **options))
    return [(f.rule_id, Path(f.file).name, f.span.line if f.span else 0, f.span.column if f.span else 0, f.message)
            for f in result.findings]


def template_of(text: str, path: str = "main.bicep") -> dict[str, Any]:
    return read(path, text).template


def expanded(text: str, path: str = "main.bicep") -> list[Any]:
    return expand_template(template_of(text, path), file=path).resources


REGISTRY = """resource acr 'Microsoft.ContainerRegistry/registries@2025-11-01' = {
  name: 'contosoacr'
  location: 'westeurope'
  sku: {
    name: 'Premium'
  }
  properties: {
    adminUserEnabled: true
  }
}
"""


# ------------------------------------------------------------------------------------------------ tokens


def test_tokens_strings_escapes_interpolation_and_comments() -> None:
    text = "var a = 'it\\'s ${x}-${ {k: 'v'}.k }' // note\n/* block */ var b = '''\nline1\n'''\n#disable-next-line x\n"
    kinds = [(t.kind, t.text) for t in tokenize(text)]
    assert kinds == [
        ("ident", "var"), ("ident", "a"), ("=", "="), ("str_left", "it's "), ("ident", "x"), ("str_mid", "-"),
        ("{", "{"), ("ident", "k"), (":", ":"), ("string", "v"), ("}", "}"), (".", "."), ("ident", "k"),
        ("str_right", ""), ("nl", "\n"), ("ident", "var"), ("ident", "b"), ("=", "="), ("string", "line1\n"),
        ("nl", "\n"), ("nl", "\n"), ("eof", ""),
    ]


def test_tokens_unicode_escape_and_errors_go_on_after_the_line() -> None:
    tokens = tokenize("var a = '\\u{1F600}'\nvar b = 'open\nvar c = 1 ~ 2\n")
    assert [(t.kind, t.text) for t in tokens if t.kind in ("string", "error")] == [
        ("string", "\U0001F600"), ("error", "unterminated string"), ("error", "unexpected character '~'")]
    assert [t.start for t in tokens if t.kind == "error"] == [28, 44]  # the opening quote; the character


# ------------------------------------------------------------------------------------------------ syntax


def test_precedence_and_spans() -> None:
    prog = parse("var x = a ?? b || c && !d == e + f * -2 ? g.?h[?0]! : i::j\n")
    var = prog.statements[0]
    assert isinstance(var, s.Var)
    tern = var.value
    assert isinstance(tern, s.Ternary)
    cond = tern.cond
    assert isinstance(cond, s.Binary) and cond.op == "??"
    right = cond.right
    assert isinstance(right, s.Binary) and right.op == "||"
    assert isinstance(right.right, s.Binary) and right.right.op == "&&"
    eq = right.right.right
    assert isinstance(eq, s.Binary) and eq.op == "==" and isinstance(eq.left, s.Unary)
    add = eq.right
    assert isinstance(add, s.Binary) and add.op == "+" and isinstance(add.right, s.Binary) and add.right.op == "*"
    assert isinstance(add.right.right, s.Literal) and add.right.right.value == -2
    then = tern.then
    assert isinstance(then, s.NonNull) and isinstance(then.base, s.Index) and then.base.safe
    assert isinstance(then.base.base, s.Member) and then.base.base.safe
    assert isinstance(tern.other, s.Child) and tern.other.name == "j"
    assert (var.start, var.end) == (0, 58)
    assert prog.text[then.start:then.end] == "g.?h[?0]!"


def test_declarations_of_every_kind_parse() -> None:
    text = """targetScope = 'subscription'
metadata info = { owner: 'platform' }
import { a, b as c } from 'types.bicep'
import * as ns from 'br/public:avm/utl/types/avm-common-types:0.7.0'
extension microsoftGraphV1
@export()
@discriminator('kind')
type pet = cat | dog
type cat = { kind: 'cat', @minLength(1) name: string, *: string }
type dog = { kind: 'dog', tags: ('a' | 'b')[]? }
@secure()
param secret string
param tags resourceInput<'Microsoft.ContainerRegistry/registries@2025-11-01'>.tags?
param sizes int[] = [
  1
  2
]
func twice(v int) int => v * 2
var f = map(sizes, (i) => twice(i))
var merged = { ...tags, extra: true }
var text = loadTextContent('notes.txt')
resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' existing = {
  name: 'rg'
}
module m 'mod.bicep' = [for (x, i) in sizes: if (i > 0) {
  name: 'm${i}'
  scope: rg
}]
output n int = length(sizes)
"""
    prog = parse(text)
    kinds = [type(st).__name__ for st in prog.statements]
    assert kinds == ["TargetScope", "Metadata", "Import", "Import", "Extension", "TypeDecl", "TypeDecl", "TypeDecl",
                     "Param", "Param", "Param", "Func", "Var", "Var", "Var", "Resource", "Module", "Output"]
    pet = prog.statements[5]
    assert isinstance(pet, s.TypeDecl) and [d.call.name for d in pet.decorators] == ["export", "discriminator"]
    tags = prog.statements[9]
    assert isinstance(tags, s.Param) and isinstance(tags.type, s.TypeNullable)
    ref = tags.type.inner
    assert isinstance(ref, s.TypeRef) and ref.args == ["Microsoft.ContainerRegistry/registries@2025-11-01"] and ref.path == ["tags"]
    module = prog.statements[16]
    assert isinstance(module, s.Module) and isinstance(module.body, s.For) and isinstance(module.body.body, s.IfBody)
    assert module.body.index == "i"


def test_a_broken_declaration_costs_only_itself() -> None:
    prog = parse("param a string\nvar b = (1 +\nparam c int = 2\n")
    assert [type(st).__name__ for st in prog.statements] == ["Param", "Broken", "Param"]
    broken = prog.statements[1]
    assert isinstance(broken, s.Broken) and broken.keyword == "var"
    assert broken.message == "expected ',' or ')', found 'c'"  # line breaks are blanks between parentheses


# ------------------------------------------------------------------------------------------------ translation


def test_symbolic_references_translate_as_the_compiler_does() -> None:
    text = REGISTRY + """
resource pull 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(acr.id, 'pull')
  scope: acr
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '7f951dda-4ed3-4680-a7ca-43fe172d538d')
    principalId: acr.identity.principalId
    description: acr.properties.loginServer
  }
}
output name string = acr.name
"""
    tpl = template_of(text)
    assert "languageVersion" not in tpl  # nothing here needs symbolic names: the compiler writes an array
    pull = tpl["resources"][1]
    assert pull["scope"] == "[resourceId('Microsoft.ContainerRegistry/registries', 'contosoacr')]"
    assert pull["name"] == "[guid(resourceId('Microsoft.ContainerRegistry/registries', 'contosoacr'), 'pull')]"
    assert pull["properties"]["principalId"] == (
        "[reference(resourceId('Microsoft.ContainerRegistry/registries', 'contosoacr'), '2025-11-01', 'full').identity.principalId]")
    assert pull["properties"]["description"] == (
        "[reference(resourceId('Microsoft.ContainerRegistry/registries', 'contosoacr'), '2025-11-01').loginServer]")
    assert tpl["outputs"]["name"]["value"] == "contosoacr"
    res = expanded(text)
    assert res[1].id == ("/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/acrlint-rg/providers/"
                         "Microsoft.ContainerRegistry/registries/contosoacr/providers/Microsoft.Authorization/roleAssignments/"
                         + res[1].name)
    assert isinstance(res[1].body["properties"]["principalId"], Unknown)


def test_nested_children_loops_and_filters() -> None:
    text = """param names array = ['a', 'b', 'c']
resource vault 'Microsoft.KeyVault/vaults@2024-11-01' existing = {
  name: 'kv'
  resource key 'keys' = if (length(names) > 1) {
    name: 'k1'
    properties: {}
  }
}
resource hooks 'Microsoft.ContainerRegistry/registries/webhooks@2025-11-01' = [for (n, i) in names: if (n != 'b') {
  name: 'acr/${n}${i}'
  location: 'westeurope'
  properties: {
    serviceUri: 'https://example.com/${n}'
    actions: [for a in ['push', 'delete']: '${a}-${n}']
  }
}]
"""
    tpl = template_of(text)
    assert tpl["resources"][0] == {
        "condition": "[greater(length(parameters('names')), 1)]", "type": "Microsoft.KeyVault/vaults/keys",
        "apiVersion": "2024-11-01", "name": "[format('{0}/{1}', 'kv', 'k1')]", "properties": {}}
    hooks = tpl["resources"][1]
    assert hooks["copy"] == {"name": "hooks", "count": "[length(parameters('names'))]"}
    assert hooks["condition"] == "[not(equals(parameters('names')[copyIndex()], 'b'))]"
    assert hooks["properties"]["copy"] == [{
        "name": "actions", "count": "[length(createArray('push', 'delete'))]",
        "input": "[format('{0}-{1}', createArray('push', 'delete')[copyIndex('actions')], parameters('names')[copyIndex()])]"}]
    res = expanded(text)
    assert [(r.name, r.body.get("properties", {}).get("actions")) for r in res] == [
        ("kv/k1", None), ("acr/a0", ["push-a", "delete-a"]), ("acr/c2", ["push-c", "delete-c"])]


def test_safe_access_null_coalescing_lambdas_and_spread() -> None:
    text = """param cfg object = { ids: ['x', 'y'] }
var first = cfg.?missing.deeper ?? 'none'
var keyed = toObject(cfg.ids, id => id, id => length(id))
var merged = { a: 1, ...{ b: 2 }, c: 3 }
var joined = [...cfg.ids, 'z']
output o object = { first: first, keyed: keyed, merged: merged, joined: joined }
"""
    tpl = template_of(text)
    assert tpl["variables"]["first"] == "[coalesce(tryGet(parameters('cfg'), 'missing', 'deeper'), 'none')]"
    from linter.arm.expand import TemplateExpander

    expander = TemplateExpander(tpl, file="main.bicep")
    assert expander.outputs()["o"]["value"] == {
        "first": "none", "keyed": {"x": 1, "y": 1}, "merged": {"a": 1, "b": 2, "c": 3}, "joined": ["x", "y", "z"]}


def test_symbolic_names_when_the_compiler_uses_them() -> None:
    tpl = template_of("param tags object?\n" + REGISTRY)
    assert tpl["languageVersion"] == "2.0" and set(tpl["resources"]) == {"acr"}
    assert tpl["parameters"]["tags"] == {"type": "object", "nullable": True}


def test_local_module_is_inlined_and_its_resources_belong_to_the_module_file(tmp_path: Path) -> None:
    write(tmp_path, "modules/acr.bicep", """param name string
param admin bool = false
resource acr 'Microsoft.ContainerRegistry/registries@2025-11-01' = {
  name: name
  location: 'westeurope'
  sku: {
    name: 'Standard'
  }
  properties: {
    adminUserEnabled: admin
  }
}
output id string = acr.id
output loginServer string = acr.properties.loginServer
""")
    main = write(tmp_path, "main.bicep", """module registry 'modules/acr.bicep' = {
  name: 'registry'
  params: {
    name: 'contosoacr'
    admin: true
  }
}
resource lock 'Microsoft.Authorization/locks@2020-05-01' = {
  name: 'lock-${registry.outputs.loginServer}'
  properties: {
    level: 'CanNotDelete'
    notes: registry.outputs.id
  }
}
""")
    result = lint([main], Options(select=["ACR401"], preset="strict"))
    assert [(f.file, f.span.line if f.span else 0, f.span.column if f.span else 0, f.message) for f in result.findings] == [
        (str(tmp_path / "modules" / "acr.bicep"), 10, 23, ADMIN.format("contosoacr"))]
    doc = read(main, Path(main).read_text())
    lock = doc.template["resources"][1]
    assert lock["properties"]["notes"] == (
        "[reference(resourceId('Microsoft.Resources/deployments', 'registry'), '2025-04-01').outputs.id.value]")
    res = expand_template(doc.template, file=main).resources
    assert res[-1].body["properties"]["notes"] == (
        "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/acrlint-rg/providers/"
        "Microsoft.ContainerRegistry/registries/contosoacr")
    assert isinstance(res[-1].name, Unknown)  # the login server is known only after deployment


def test_registry_module_and_registry_import_are_said_once(tmp_path: Path) -> None:
    main = write(tmp_path, "main.bicep", """import { lockType } from 'br/public:avm/utl/types/avm-common-types:0.7.0'
import { roleAssignmentType } from 'br/public:avm/utl/types/avm-common-types:0.7.0'
param lock lockType?
module pe 'br/public:avm/res/network/private-endpoint:0.12.0' = {
  name: 'pe'
  params: {
    name: 'pe'
  }
}
output id string = pe.outputs.resourceId
""")
    assert findings(main, select="ACR005") == [
        ("ACR005", "main.bicep", 1, 26, "types, variables and functions imported from the registry "
         "('br/public:avm/utl/types/avm-common-types:0.7.0') are not read (acrlint works offline): values that depend on "
         "them are treated as unknown"),
        ("ACR005", "main.bicep", 4, 11, "module 'br/public:avm/res/network/private-endpoint:0.12.0' comes from a registry "
         "and is not followed (acrlint works offline): its resources are not checked and its outputs are unknown"),
    ]


# ------------------------------------------------------------------------------------------------ positions


def test_findings_at_the_bicep_property_or_the_declaration(tmp_path: Path) -> None:
    path = write(tmp_path, "main.bicep", REGISTRY + """
resource open 'Microsoft.ContainerRegistry/registries@2025-11-01' = {
  name: 'openacr'
  location: 'westeurope'
  sku: {
    name: 'Standard'
  }
}
""")
    # a property that is set: its value; an absent one: the object that lacks it, or the declaration
    assert findings(path, select="ACR401,ACR403") == [
        ("ACR403", "main.bicep", 7, 15, "Registry 'contosoacr' accepts connections from any network: set publicNetworkAccess "
         "to Disabled and use private endpoints, or set networkRuleSet.defaultAction to Deny with IP rules (both need the Premium SKU)"),
        ("ACR401", "main.bicep", 8, 23, ADMIN.format("contosoacr")),
        ("ACR403", "main.bicep", 12, 1, "Registry 'openacr' accepts connections from any network: set publicNetworkAccess "
         "to Disabled and use private endpoints, or set networkRuleSet.defaultAction to Deny with IP rules (both need the Premium SKU)"),
    ]


def test_unsupported_syntax_is_one_finding_and_the_rest_is_linted(tmp_path: Path) -> None:
    path = write(tmp_path, "main.bicep", "var broken = [for x in range(0, 2): x][0]\n" + REGISTRY + "assert valid = true\n")
    result = lint([path], Options(select=["ACR000", "ACR401"], preset="strict"))
    assert [(f.rule_id, f.span.line if f.span else 0, f.span.column if f.span else 0, f.message) for f in result.findings] == [
        ("ACR000", 1, 14, "a for-expression is only allowed as the value of a variable, output, resource, module or property"),
        ("ACR401", 9, 23, ADMIN.format("contosoacr")),
        ("ACR000", 12, 1, "cannot parse Bicep: the 'assert' declaration is not supported by acrlint (this 'assert' declaration is skipped)"),
    ]
    assert result.tool_failed


# ------------------------------------------------------------------------------------------------ suppressions


def test_inline_comments_and_metadata_suppress(tmp_path: Path) -> None:
    path = write(tmp_path, "main.bicep", """resource a 'Microsoft.ContainerRegistry/registries@2025-11-01' = {
  name: 'acra'
  location: 'westeurope'
  sku: {
    name: 'Premium'
  }
  properties: {
    // acrlint: disable=ACR401 -- the build agents still log in with it until 2026-09
    adminUserEnabled: true
  }
}
@metadata({ acrlint: { disable: { ACR401: 'test registry' } } })
resource b 'Microsoft.ContainerRegistry/registries@2025-11-01' = {
  name: 'acrb'
  location: 'westeurope'
  sku: {
    name: 'Premium'
  }
  properties: {
    adminUserEnabled: true
  }
}
resource c 'Microsoft.ContainerRegistry/registries@2025-11-01' = {
  name: 'acrc'
  location: 'westeurope'
  sku: {
    name: 'Premium'
  }
  properties: {
    adminUserEnabled: true // acrlint: disable=ACR401
  }
}
""")
    result = lint([path], Options(select=["ACR401", "ACR007"], preset="strict"))
    assert [(f.rule_id, f.span.line if f.span else 0, f.suppressed) for f in result.findings] == [
        ("ACR401", 9, "the build agents still log in with it until 2026-09"),
        ("ACR401", 20, "test registry"),
        ("ACR401", 30, "(no reason given)"),
        ("ACR007", 30, None),
    ]
    assert result.findings[3].message == "suppression of ACR401 has no reason; add one after ' -- '"


# ------------------------------------------------------------------------------------------------ parameters


def test_bicepparam_beside_the_template_supplies_values(tmp_path: Path) -> None:
    write(tmp_path, "main.bicep", """param prefix string
param admin bool = false
resource acr 'Microsoft.ContainerRegistry/registries@2025-11-01' = {
  name: '${prefix}acr'
  location: 'westeurope'
  sku: {
    name: 'Premium'
  }
  properties: {
    adminUserEnabled: admin
  }
}
""")
    write(tmp_path, "main.bicepparam", "using 'main.bicep'\nvar env = 'prod'\nparam prefix = 'contoso${env}'\nparam admin = !false\n")
    assert findings(str(tmp_path / "main.bicep")) == [("ACR401", "main.bicep", 10, 23, ADMIN.format("contosoprodacr"))]
    # a .bicepparam for another template is not used; linted itself, it is a parameters file with no resources
    (tmp_path / "main.bicepparam").write_text("using 'other.bicep'\nparam prefix = 'x'\nparam admin = true\n")
    assert findings(str(tmp_path / "main.bicep")) == []
    result = lint([str(tmp_path / "main.bicepparam")], Options(preset="strict"))
    assert result.findings == [] and result.files_linted == 1


def test_bicepparam_values_are_checked_against_the_declarations(tmp_path: Path) -> None:
    write(tmp_path, "main.bicep", "@allowed(['Basic', 'Premium'])\nparam sku string\noutput s string = sku\n")
    write(tmp_path, "main.bicepparam", "using './main.bicep'\nparam sku = 'Gold'\n")
    assert findings(str(tmp_path / "main.bicep"), select="ACR006") == [
        ("ACR006", "main.bicep", 2, 1, 'parameter \'sku\': "Gold" is not one of the allowed values ["Basic", "Premium"]')]


# ------------------------------------------------------------------------------------------------ files


def test_load_content_reads_inside_the_tree_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = tmp_path / "project"
    write(project, "settings.json", json.dumps({"admin": True}))
    write(tmp_path, "secret.json", json.dumps({"admin": True}))
    monkeypatch.chdir(project)
    text = REGISTRY.replace("adminUserEnabled: true", "adminUserEnabled: loadJsonContent('{}').admin")
    write(project, "inside.bicep", text.replace("{}", "settings.json"))
    write(project, "outside.bicep", text.replace("{}", "../secret.json"))
    assert findings(["inside.bicep", "outside.bicep"], select="ACR401,ACR005") == [
        ("ACR401", "inside.bicep", 8, 23, ADMIN.format("contosoacr")),
        ("ACR005", "outside.bicep", 8, 39, "loadJsonContent('../secret.json') is not read (outside the linted directory tree): "
         "its value is unknown"),
    ]


def test_directory_walk_finds_bicep_and_bicepparam(tmp_path: Path) -> None:
    from linter.discover import discover

    write(tmp_path, "infra/main.bicep", REGISTRY)
    write(tmp_path, "infra/main.bicepparam", "using 'main.bicep'\n")
    write(tmp_path, "infra/notes.txt", "x")
    assert [Path(t.path).name for t in discover([str(tmp_path)])] == ["main.bicep", "main.bicepparam"]


def test_stdin_with_a_bicep_file_name() -> None:
    result = lint(["-"], Options(select=["ACR401"], preset="strict", stdin_filename="infra/main.bicep",
                                 stdin_data=REGISTRY.encode()))
    assert [(f.file, f.span.line if f.span else 0) for f in result.findings] == [("infra/main.bicep", 8)]


# ------------------------------------------------------------------------------------------------ documentation, hooks

ROOT = Path(__file__).resolve().parent.parent


def test_readme_bicep_sample_is_current() -> None:
    import subprocess
    import sys

    readme = (ROOT / "README.md").read_text()
    start = readme.index("```text\n$ acrlint examples/bicep/\n") + len("```text\n$ acrlint examples/bicep/\n")
    sample = readme[start:readme.index("```\n", start)]
    proc = subprocess.run([sys.executable, "-m", "linter", "examples/bicep/", "--color", "never"], cwd=ROOT,
                          capture_output=True, text=True, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}, timeout=120)
    assert proc.stdout == sample
    assert proc.returncode == 1


def test_pre_commit_hook_selects_bicep_files() -> None:
    import re

    import yaml

    hook = next(h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text()) if h["id"] == "acrlint")
    selected = re.compile(hook["files"])
    names = ["main.bicep", "env/prod.bicepparam", "azuredeploy.json", "x.jsonc", "k8s/acr.yaml", "a.yml", "notes.txt",
             "main.bicep.bak"]
    assert [n for n in names if selected.search(n)] == names[:6]
    assert hook["types"] == ["file"] and "types_or" not in hook


def test_bicepparam_named_with_parameters_option(tmp_path: Path) -> None:
    template = write(tmp_path, "infra/registry.bicep", REGISTRY.replace("adminUserEnabled: true", "adminUserEnabled: admin")
                     .replace("resource acr", "param admin bool = false\nresource acr"))
    params = write(tmp_path, "env/prod.bicepparam", "using '../infra/registry.bicep'\nparam admin = true\n")
    assert findings(template) == []
    assert findings(template, parameters_file=params) == [("ACR401", "registry.bicep", 9, 23, ADMIN.format("contosoacr"))]


def test_finding_in_an_item_of_a_property_loop_is_at_the_loop_body(tmp_path: Path) -> None:
    path = write(tmp_path, "main.bicep", """param ranges array = [
  '203.0.113.0/24'
  '0.0.0.0/0'
]
resource acr 'Microsoft.ContainerRegistry/registries@2025-11-01' = {
  name: 'contosoacr'
  location: 'westeurope'
  sku: {
    name: 'Premium'
  }
  properties: {
    networkRuleSet: {
      defaultAction: 'Deny'
      ipRules: [for r in ranges: {
        action: 'Allow'
        value: r
      }]
    }
  }
}
""")
    result = lint([path], Options(select=["ACR421"], preset="strict"))
    assert [(f.pointer, f.span.line if f.span else 0, f.span.column if f.span else 0) for f in result.findings] == [
        ("/resources/0/properties/networkRuleSet/ipRules/1/value", 16, 16)]


def test_allowed_values_of_a_type_acrlint_cannot_see_are_not_checked(tmp_path: Path) -> None:
    # @allowed means each item of an array and the whole value otherwise: on a type derived from a resource schema
    # acrlint cannot tell which, so it says nothing rather than risk a false alarm on a valid array
    write(tmp_path, "main.bicep", "@allowed(['AAD', 'SharedKey'])\n"
          "param modes resourceInput<'Microsoft.Batch/batchAccounts@2024-07-01'>.properties.allowedAuthenticationModes?\n"
          "@allowed(['Basic', 'Premium'])\nparam sku string = 'Basic'\noutput m array = modes ?? []\n")
    write(tmp_path, "main.bicepparam", "using 'main.bicep'\nparam modes = ['AAD']\nparam sku = 'Gold'\n")
    assert findings(str(tmp_path / "main.bicep"), select="ACR006") == [
        ("ACR006", "main.bicep", 4, 1, 'parameter \'sku\': "Gold" is not one of the allowed values ["Basic", "Premium"]')]


def test_imports_functions_and_subscription_scope_modules(tmp_path: Path) -> None:
    write(tmp_path, "shared.bicep", """@export()
var defaultSku = 'Premium'
@export()
func registryName(prefix string) string => '${prefix}acr'
@export()
type skuName = 'Basic' | 'Standard' | 'Premium'
""")
    write(tmp_path, "registry.bicep", """import { defaultSku, registryName, skuName } from 'shared.bicep'
param sku skuName = defaultSku
resource acr 'Microsoft.ContainerRegistry/registries@2025-11-01' = {
  name: registryName('contoso')
  location: 'westeurope'
  sku: {
    name: sku
  }
  properties: {
    adminUserEnabled: true
  }
}
""")
    main = write(tmp_path, "main.bicep", """targetScope = 'subscription'
extension microsoftGraphV1
resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: 'rg-registry'
  location: 'westeurope'
}
module registry 'registry.bicep' = {
  name: 'registry'
  scope: rg
  params: {
    sku: 'Standard'
  }
}
""")
    doc = read(main, Path(main).read_text())
    assert [p.message for p in doc.problems] == []
    module = doc.template["resources"]["registry"]
    assert module["resourceGroup"] == "rg-registry"
    inner = module["properties"]["template"]
    assert inner["functions"][0]["members"]["registryName"]["output"]["value"] == "[format('{0}acr', parameters('prefix'))]"
    assert inner["definitions"]["skuName"] == {"type": "string", "allowedValues": ["Basic", "Premium", "Standard"]}
    assert inner["parameters"]["sku"] == {"$ref": "#/definitions/skuName", "defaultValue": "[variables('defaultSku')]"}
    result = lint([main], Options(select=["ACR401"], preset="strict"))
    assert [(Path(f.file).name, f.resource) for f in result.findings] == [
        ("registry.bicep", "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-registry/providers/"
                           "Microsoft.ContainerRegistry/registries/contosoacr")]


def test_a_module_read_in_one_run_is_read_again_for_another_tree(tmp_path):
    """The reader's cache is keyed by text and linted tree: what one run could not read does not stick."""
    from linter.api import Options, lint

    (tmp_path / "modules").mkdir()
    (tmp_path / "app").mkdir()
    (tmp_path / "modules" / "acr.bicep").write_text(
        "resource acr 'Microsoft.ContainerRegistry/registries@2025-11-01' = {\n  name: 'modacr'\n  location: 'westeurope'\n"
        "  sku: {\n    name: 'Premium'\n  }\n  properties: {\n    adminUserEnabled: true\n  }\n}\n")
    main = tmp_path / "app" / "main.bicep"
    main.write_text("module acr '../modules/acr.bicep' = {\n  name: 'acr'\n}\n")

    def run(root):
        result = lint([str(main)], Options(select=["ACR401", "ACR005"], tree_roots=[str(root)]))
        return [(f.rule_id, f.file.rsplit("/", 2)[-2:] and "/".join(f.file.rsplit("/", 2)[-2:])) for f in result.findings]

    assert run(tmp_path / "app") == [("ACR005", "app/main.bicep")]
    assert run(tmp_path) == [("ACR401", "modules/acr.bicep")]
    assert run(tmp_path / "app") == [("ACR005", "app/main.bicep")]
