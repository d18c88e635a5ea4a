"""Packaging and integrations: the wheel carries rules/ and schemas/; the pre-commit hooks work end to end."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from linter.engine.rules import _sources_hash

ROOT = Path(__file__).resolve().parent.parent

GOOD = """{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "resources": [
    {
      "type": "Microsoft.ContainerRegistry/registries",
      "apiVersion": "2025-11-01",
      "name": "contosoacr",
      "location": "westeurope",
      "sku": {"name": "Premium"},
      "properties": {"adminUserEnabled": false, "publicNetworkAccess": "Disabled", "networkRuleBypassOptions": "AzureServices",
                     "policies": {"exportPolicy": {"status": "disabled"}}}
    },
    {
      "type": "Microsoft.Network/privateEndpoints",
      "apiVersion": "2024-05-01",
      "name": "contosoacr-pe",
      "location": "westeurope",
      "properties": {
        "subnet": {"id": "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'pe')]"},
        "privateLinkServiceConnections": [{"name": "registry", "properties": {"privateLinkServiceId": "[resourceId('Microsoft.ContainerRegistry/registries', 'contosoacr')]", "groupIds": ["registry"]}}]
      },
      "resources": [
        {
          "type": "privateDnsZoneGroups",
          "apiVersion": "2024-05-01",
          "name": "default",
          "dependsOn": ["contosoacr-pe"],
          "properties": {"privateDnsZoneConfigs": [{"name": "acr", "properties": {"privateDnsZoneId": "[resourceId('Microsoft.Network/privateDnsZones', 'privatelink.azurecr.io')]"}}]}
        }
      ]
    }
  ]
}
"""
BAD = GOOD.replace('"networkRuleBypassOptions": "AzureServices"', '"networkRuleBypassOptions": "None"')


def _source_copy(tmp_path: Path) -> Path:
    """The files git tracks, copied out: the wheel is built there, never inside the source tree (no build/ or
    *.egg-info left behind, nothing untracked in the wheel)."""
    tracked = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, check=True, capture_output=True).stdout.decode().split("\0")
    source = tmp_path / "source"
    for name in filter(None, tracked):
        if (ROOT / name).is_file():
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, source / name)
    return source


def test_wheel_contains_rules_and_schemas(tmp_path):
    source = _source_copy(tmp_path)
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(source)],
                   check=True, capture_output=True, timeout=300)
    wheel = next(tmp_path.glob("acrlint-*.whl"))
    archive = zipfile.ZipFile(wheel)
    names = set(archive.namelist())
    # the parsed rule records ship too, made from exactly the records in the wheel (else every run parses the YAML)
    bundle = json.loads(archive.read("linter/rules/_bundle.json"))
    shipped = [(name.rsplit("/", 1)[1], archive.read(name)) for name in sorted(names)
               if name.startswith("linter/rules/") and name.endswith(".yaml") and not name.rsplit("/", 1)[1].startswith("_")]
    shipped += [("_defaults.yaml", archive.read("linter/rules/_defaults.yaml"))]
    assert bundle["hash"] == _sources_hash(shipped)
    rules = sorted(p.name for p in (ROOT / "rules").glob("*.yaml"))
    assert rules and all(f"linter/rules/{name}" in names for name in rules)
    assert "linter/schemas/rule.schema.json" in names
    assert "linter/schemas/findings.schema.json" in names
    assert "linter/schemas/config.schema.json" in names
    azure = [p.relative_to(ROOT).as_posix() for p in (ROOT / "schemas" / "azure").rglob("*.json")]
    assert azure and all(f"linter/{path}" in names for path in azure)
    assert any(n.endswith("entry_points.txt") for n in names)
    modules = [p.relative_to(ROOT).as_posix() for p in (ROOT / "linter").rglob("*.py")]
    missing = [m for m in modules if m not in names]
    assert not missing, f"modules missing from the wheel (add their package to pyproject.toml): {missing}"


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True,
                   env=dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.com", GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.com"))


@pytest.mark.skipif(shutil.which("git") is None, reason="git not installed")
def test_pre_commit_hook_passes_good_and_fails_bad(tmp_path):
    pytest.importorskip("pre_commit")
    repo = tmp_path / "infra"
    repo.mkdir()
    _git(repo, "init", "-q")
    (repo / "good.json").write_text(GOOD)
    (repo / "bad.json").write_text(BAD)
    (repo / "package.json").write_text('{"name": "web", "version": "1.0.0"}')
    (repo / ".acrlint.yaml").write_text("extends: recommended\n")  # the nearest config wins: nothing above tmp_path leaks in
    _git(repo, "add", ".")
    _git(repo, "commit", "-qm", "init")
    env = dict(os.environ, PRE_COMMIT_HOME=str(tmp_path / "cache"), PIP_DISABLE_PIP_VERSION_CHECK="1")

    def try_repo(*files: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), "acrlint", "--files", *files],
                              cwd=repo, capture_output=True, text=True, env=env, timeout=900)

    good = try_repo("good.json", "package.json")
    assert good.returncode == 0, good.stdout + good.stderr
    bad = try_repo("bad.json")
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "bad.json:11:112: warning ACR104 Registry 'contosoacr' is network-restricted with networkRuleBypassOptions None" in bad.stdout
