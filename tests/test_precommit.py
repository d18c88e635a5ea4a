"""Issue 14 item 5: pre-commit and the README's install and CI instructions. A real `pre-commit try-repo` runs both
hooks over .json, .jsonc, .yaml, .bicep and a hidden directory: they see the same files, skip what is not an Azure
definition, and honour one baseline; the README pins a tag that exists, installs from the repository (acrlint is
on no package index) and its CI walkthroughs use that install and options that exist."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from runner import ROOT, git

import linter
from linter.cli import build_parser

README = (ROOT / "README.md").read_text(encoding="utf-8")
TAG = f"v{linter.__version__}"
INSTALL = f'pip install "git+https://github.com/acrlint/acrlint@{TAG}"'

GOOD = (ROOT / "tests" / "test_packaging.py").read_text(encoding="utf-8").split('GOOD = """', 1)[1].split('"""', 1)[0]


def bad(name: str) -> str:
    """A template whose only finding (recommended preset) is ACR104 on registry ``name``."""
    return GOOD.replace('"networkRuleBypassOptions": "AzureServices"', '"networkRuleBypassOptions": "None"').replace("contosoacr", name)


BICEP = """resource acr 'Microsoft.ContainerRegistry/registries@2025-11-01' = {
  name: 'contosobicep'
  location: 'westeurope'
  sku: { name: 'Premium' }
  properties: {
    adminUserEnabled: false
    publicNetworkAccess: 'Disabled'
    networkRuleBypassOptions: 'None'
    policies: { exportPolicy: { status: 'disabled' } }
  }
}

resource pe 'Microsoft.Network/privateEndpoints@2024-05-01' = {
  name: 'contosobicep-pe'
  location: 'westeurope'
  properties: {
    subnet: { id: resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'pe') }
    privateLinkServiceConnections: [
      { name: 'registry', properties: { privateLinkServiceId: acr.id, groupIds: ['registry'] } }
    ]
  }
}

resource dns 'Microsoft.Network/privateEndpoints/privateDnsZoneGroups@2024-05-01' = {
  parent: pe
  name: 'default'
  properties: {
    privateDnsZoneConfigs: [
      { name: 'acr', properties: { privateDnsZoneId: resourceId('Microsoft.Network/privateDnsZones', 'privatelink.azurecr.io') } }
    ]
  }
}
"""

ACR104 = ("warning ACR104 Registry '{}' is network-restricted with networkRuleBypassOptions None: Microsoft Defender for "
          "Cloud vulnerability scanning and image import to or from this registry are blocked")
FOUND = [  # (file, line, column, registry): one finding in each kind of file
    (".azure/env.json", 11, 112, "contosohidden"),
    ("infra/acr.yaml", 13, 31, "contosoyaml"),
    ("infra/extra.jsonc", 12, 112, "contosojsonc"),
    ("infra/main.bicep", 8, 31, "contosobicep"),
    ("infra/main.json", 11, 112, "contosojson"),
]


def project(root: Path) -> None:
    git(root, "init", "-q")
    files = {
        "infra/main.json": bad("contosojson"),
        "infra/extra.jsonc": "// a template with comments, as ARM accepts them\n" + bad("contosojsonc"),
        "infra/acr.yaml": yaml.safe_dump(json.loads(bad("contosoyaml")), sort_keys=False),
        "infra/main.bicep": BICEP,
        ".azure/env.json": bad("contosohidden"),  # a hidden directory
        "package.json": '{"name": "web", "version": "1.0.0", "name": "web2"}\n',  # a duplicate key: not ours
        "tsconfig.json": '{\n  "compilerOptions": {"strict": true,},\n}\n',  # not valid JSON: not ours
        "empty.yaml": "",
        ".acrlint.yaml": "extends: recommended\n",  # the nearest configuration: nothing above the project leaks in
    }
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    git(root, "add", ".")
    git(root, "commit", "-qm", "infra")


def try_repo(root: Path, home: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PRE_COMMIT_HOME=str(home), PIP_DISABLE_PIP_VERSION_CHECK="1")
    return subprocess.run([sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), "--all-files"], cwd=root,
                          capture_output=True, text=True, env=env, timeout=1200)


@pytest.mark.skipif(shutil.which("git") is None, reason="git not installed")
def test_both_hooks_see_the_same_files_and_honour_one_baseline(tmp_path: Path) -> None:
    pytest.importorskip("pre_commit")
    root = tmp_path / "project"
    root.mkdir()
    project(root)
    proc = try_repo(root, tmp_path / "cache")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    sections = re.split(r"^acrlint(?: \(whole repository\))?\.+Failed$", proc.stdout, flags=re.MULTILINE)
    assert len(sections) == 3, proc.stdout
    per_file, whole = ([line for line in s.splitlines() if " ACR" in line or " linted, " in line] for s in sections[1:])
    summary = "0 errors, 5 warnings, 0 info in 5 files linted, {} skipped"
    # skipped: package.json, tsconfig.json, empty.yaml and .acrlint.yaml, which are not Azure definitions
    assert per_file == [f"{f}:{line}:{col}: {ACR104.format(name)}" for f, line, col, name in FOUND] + [summary.format(4)]
    assert whole == [f"./{f}:{line}:{col}: {ACR104.format(name)}" for f, line, col, name in FOUND] + [summary.format(4)]

    # one baseline, named in the configuration, accepted by both hooks
    subprocess.run([sys.executable, "-m", "linter", ".", "--write-baseline", "acrlint-baseline.json"], cwd=root,
                   capture_output=True, env=dict(os.environ, PYTHONPATH=str(ROOT)), check=False, timeout=120)
    (root / ".acrlint.yaml").write_text("extends: recommended\nbaseline: acrlint-baseline.json\n", encoding="utf-8")
    git(root, "add", ".")
    git(root, "commit", "-qm", "baseline")
    proc = try_repo(root, tmp_path / "cache")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert re.findall(r"^acrlint.*\.(Passed|Failed)$", proc.stdout, flags=re.MULTILINE) == ["Passed", "Passed"]


@pytest.mark.parametrize("name", ["a.json", "A.JSON", "b.jsonc", "c.yaml", "d.yml", "e.bicep", "f.bicepparam", ".g.json",
                                  "h.json5", "i.txt", "j.json.bak", "k.YAML"])
def test_the_per_file_hook_and_the_walk_pick_the_same_names(name: str) -> None:
    from linter.discover import _lintable

    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    per_file = next(h for h in hooks if h["id"] == "acrlint")
    assert bool(re.search(per_file["files"], name)) is _lintable(name)


def test_the_readme_pins_the_release_and_installs_from_the_repository() -> None:
    pins = re.findall(r"(?:rev: |acrlint@)(v[0-9][^\s\"']*)", README)
    assert pins and set(pins) == {TAG}
    assert re.search(r"pip install acrlint\b", README) is None  # no package index has it
    commands = [line.strip().removeprefix("- ").removeprefix("run: ").removeprefix("script: ") for line in README.splitlines()]
    installs = [c for c in commands if c.startswith("pip install") and "acrlint" in c]
    assert installs == [INSTALL] * 4  # the Install section and the three CI walkthroughs


def test_the_ci_walkthroughs_are_yaml_with_options_that_exist() -> None:
    blocks = re.findall(r"```yaml\n(.*?)```", README, flags=re.DOTALL)
    commands = []
    for block in blocks:
        yaml.safe_load(block)
        commands += [m.strip() for m in re.findall(r"(?:run:|script:|- )\s*(acrlint .*)", block)]
    assert len(commands) == 3
    parser = build_parser()
    for command in commands:
        parser.parse_args(command.split()[1:])  # exits (and fails) on an unknown option


@pytest.mark.skipif(shutil.which("git") is None, reason="git not installed")
def test_the_release_tag_exists() -> None:
    if subprocess.run(["git", "rev-parse", "--is-inside-work-tree"], cwd=ROOT, capture_output=True).returncode != 0:
        pytest.skip("not a git checkout")
    tagged = subprocess.run(["git", "rev-parse", "-q", "--verify", f"refs/tags/{TAG}^{{commit}}"], cwd=ROOT, capture_output=True, text=True)
    if tagged.returncode != 0:
        # a clone made without tags (CI may clone main alone): the release step in README.md creates it
        pytest.skip(f"{TAG} is not tagged in this checkout (README.md, Releasing: git tag -a {TAG})")
    # the tag is a commit of this history, whose hooks and version are the ones the README describes
    shown = subprocess.run(["git", "show", f"{TAG}:linter/__init__.py"], cwd=ROOT, capture_output=True, text=True).stdout
    assert f'__version__ = "{linter.__version__}"' in shown


@pytest.mark.skipif(shutil.which("git") is None, reason="git not installed")
def test_the_readme_install_command_works_from_the_tag(tmp_path: Path) -> None:
    """The README's install, with the repository's URL replaced by this checkout, in a fresh virtualenv."""
    if subprocess.run(["git", "rev-parse", "-q", "--verify", f"refs/tags/{TAG}"], cwd=ROOT, capture_output=True).returncode != 0:
        pytest.skip(f"{TAG} not tagged in this checkout (test_the_release_tag_exists says so)")
    subprocess.run([sys.executable, "-m", "venv", str(tmp_path / "venv")], check=True, timeout=300)
    pip = tmp_path / "venv" / "bin" / "pip"
    command = INSTALL.replace("https://github.com/acrlint/acrlint", ROOT.as_uri()).split()[2].strip('"')
    proc = subprocess.run([str(pip), "install", "-q", command], capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr
    version = subprocess.run([str(tmp_path / "venv" / "bin" / "acrlint"), "--version"], capture_output=True, text=True, timeout=120)
    assert version.stdout == f"acrlint {linter.__version__}\n"
