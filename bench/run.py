#!/usr/bin/env python3
"""acrlint speed and memory benchmark: whole-process wall time and peak RSS, median of several runs.

    python bench/run.py                     generate inputs into bench/out/, run every case, write bench/RESULTS.md
    python bench/run.py --quick             fewer repetitions (2 small / 1 big), for a smoke test
    python bench/run.py --case corpus       only the cases whose name contains "corpus"
    python bench/run.py --install-checkov   create bench/.checkov-venv with Checkov (minutes), then compare
    python bench/run.py --hostile           only the worst cases of hostile input (issue 12), each beside its
                                            ordinary equivalent; rewrites the "Hostile inputs" section only

Each measured command is a separate child process, so its peak RSS is its own: it is read from
/usr/bin/time -v when present, else from resource.getrusage(RUSAGE_CHILDREN) of a fresh wrapper process.
The floor is the least any tool must do: start Python and json.load the same files. Nothing here asserts a
time; the targets are printed next to the figures.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out"
CORPUS = Path(os.environ.get("ACRLINT_SHARED", ROOT.parent / "shared")) / "corpus"
AVM = CORPUS.parent / "avm"
CHECKOV_VENV = HERE / ".checkov-venv"
ACRLINT_VENV = HERE / ".acrlint-venv"
TIME_BIN = "/usr/bin/time"

SCHEMA = "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#"
ACR_PULL = "7f951dda-4ed3-4680-a7ca-43fe172d538d"
CONTRIBUTOR = "b24988ac-6180-42a0-ab88-20f7382dd24c"


# --------------------------------------------------------------------------- inputs


def registry(name: str, i: int = 0) -> dict[str, Any]:
    return {
        "type": "Microsoft.ContainerRegistry/registries", "apiVersion": "2023-07-01", "name": name,
        "location": "[resourceGroup().location]", "sku": {"name": "Premium" if i % 3 else "Standard"},
        "properties": {
            "adminUserEnabled": i % 5 == 0,
            "publicNetworkAccess": "Disabled" if i % 2 else "Enabled",
            "networkRuleBypassOptions": "AzureServices" if i % 4 else "None",
            "policies": {"exportPolicy": {"status": "disabled" if i % 2 else "enabled"}},
        },
    }


def role_assignment(registry_name: str, i: int) -> dict[str, Any]:
    role = ACR_PULL if i % 7 else CONTRIBUTOR
    return {
        "type": "Microsoft.Authorization/roleAssignments", "apiVersion": "2022-04-01",
        "scope": f"[format('Microsoft.ContainerRegistry/registries/{{0}}', '{registry_name}')]",
        "name": f"[guid(resourceId('Microsoft.ContainerRegistry/registries', '{registry_name}'), '{role}', '{i}')]",
        "properties": {
            "roleDefinitionId": f"[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '{role}')]",
            "principalId": f"{i:08d}-0000-0000-0000-000000000000", "principalType": "ServicePrincipal",
        },
        "dependsOn": [f"[resourceId('Microsoft.ContainerRegistry/registries', '{registry_name}')]"],
    }


def template(resources: list[Any]) -> dict[str, Any]:
    return {"$schema": SCHEMA, "contentVersion": "1.0.0.0", "resources": resources}


def registries_template(n: int) -> dict[str, Any]:
    resources: list[Any] = []
    for i in range(n):
        name = f"acr{i:06d}"
        resources.append(registry(name, i))
        resources.append(role_assignment(name, i))
    return template(resources)


def exported_resource_group(target_bytes: int) -> dict[str, Any]:
    """`az group export` style: literal names, parameters for names, many resource types, big property bags."""
    params: dict[str, Any] = {}
    resources: list[Any] = []
    i = 0
    size = 0
    while size < target_bytes:
        pname = f"registries_acr{i:05d}_name"
        params[pname] = {"defaultValue": f"acr{i:05d}", "type": "String"}
        reg = registry(f"[parameters('{pname}')]", i)
        reg["properties"].update({"dataEndpointEnabled": False, "zoneRedundancy": "Disabled",
                                  "encryption": {"status": "disabled"}, "anonymousPullEnabled": False,
                                  "networkRuleSet": {"defaultAction": "Allow", "ipRules": []}})
        batch = [
            reg,
            {"type": "Microsoft.ContainerRegistry/registries/replications", "apiVersion": "2023-07-01",
             "name": f"[concat(parameters('{pname}'), '/northeurope')]", "location": "northeurope",
             "dependsOn": [f"[resourceId('Microsoft.ContainerRegistry/registries', parameters('{pname}'))]"],
             "properties": {"regionEndpointEnabled": True, "zoneRedundancy": "Disabled"}},
            {"type": "Microsoft.ContainerRegistry/registries/webhooks", "apiVersion": "2023-07-01",
             "name": f"[concat(parameters('{pname}'), '/hook{i}')]", "location": "westeurope",
             "dependsOn": [f"[resourceId('Microsoft.ContainerRegistry/registries', parameters('{pname}'))]"],
             "properties": {"status": "enabled", "scope": "", "actions": ["push"]}},
            {"type": "Microsoft.ManagedIdentity/userAssignedIdentities", "apiVersion": "2023-01-31",
             "name": f"id-{i:05d}", "location": "westeurope"},
            {"type": "Microsoft.Storage/storageAccounts", "apiVersion": "2023-01-01", "name": f"st{i:05d}",
             "location": "westeurope", "sku": {"name": "Standard_LRS", "tier": "Standard"}, "kind": "StorageV2",
             "properties": {"minimumTlsVersion": "TLS1_2", "allowBlobPublicAccess": False, "supportsHttpsTrafficOnly": True,
                            "encryption": {"services": {"file": {"keyType": "Account", "enabled": True},
                                                        "blob": {"keyType": "Account", "enabled": True}},
                                           "keySource": "Microsoft.Storage"},
                            "accessTier": "Hot", "networkAcls": {"bypass": "AzureServices", "virtualNetworkRules": [],
                                                                  "ipRules": [], "defaultAction": "Allow"}}},
            {"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2023-04-01", "name": f"vnet-{i:05d}",
             "location": "westeurope",
             "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/16"]},
                            "subnets": [{"name": f"snet{k}", "properties": {"addressPrefix": f"10.0.{k}.0/24",
                                                                            "privateEndpointNetworkPolicies": "Disabled"}}
                                        for k in range(4)]}},
            {"type": "Microsoft.Web/sites", "apiVersion": "2022-09-01", "name": f"app-{i:05d}", "location": "westeurope",
             "kind": "app,linux,container", "identity": {"type": "SystemAssigned"},
             "properties": {"serverFarmId": f"/subscriptions/0/resourceGroups/rg/providers/Microsoft.Web/serverfarms/plan{i}",
                            "siteConfig": {"linuxFxVersion": f"DOCKER|acr{i:05d}.azurecr.io/app:1",
                                           "acrUseManagedIdentityCreds": True, "appSettings": [
                                               {"name": f"SETTING_{k}", "value": "x" * 40} for k in range(10)]},
                            "httpsOnly": True}},
            role_assignment(f"acr{i:05d}", i),
        ]
        chunk = json.dumps(batch)
        size += len(chunk)
        resources.extend(batch)
        i += 1
    doc = template(resources)
    doc["parameters"] = params
    return doc


def write_json(path: Path, doc: Any) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(doc, indent=2)
    if not path.exists() or path.read_text() != text:
        path.write_text(text)
    return path


SMALL_BICEP = f"""// the small case in Bicep: the same registry and role assignment
resource acr 'Microsoft.ContainerRegistry/registries@2023-07-01' = {{
  name: 'contosoacr'
  location: resourceGroup().location
  sku: {{
    name: 'Premium'
  }}
  properties: {{
    adminUserEnabled: false
    publicNetworkAccess: 'Disabled'
    networkRuleBypassOptions: 'AzureServices'
    policies: {{
      exportPolicy: {{
        status: 'disabled'
      }}
    }}
  }}
}}

resource pipelinePush 'Microsoft.Authorization/roleAssignments@2022-04-01' = {{
  name: guid(acr.id, '{CONTRIBUTOR}', '7')
  scope: acr
  properties: {{
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '{CONTRIBUTOR}')
    principalId: '00000007-0000-0000-0000-000000000000'
    principalType: 'ServicePrincipal'
  }}
}}
"""


def write_text(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists() or path.read_text() != text:
        path.write_text(text)
    return path


def generate() -> dict[str, list[str]]:
    small = write_json(OUT / "small" / "main.json", template([registry("contosoacr", 1), role_assignment("contosoacr", 7)]))
    small_bicep = write_text(OUT / "small-bicep" / "main.bicep", SMALL_BICEP)
    many = []
    for k in range(200):
        many.append(write_json(OUT / "many" / f"t{k:03d}" / "main.json",
                               template([registry(f"acr{k:03d}", k), role_assignment(f"acr{k:03d}", k)])))
    r2k = write_json(OUT / "registries-2000.json", registries_template(2_000))
    r20k = write_json(OUT / "registries-20000.json", registries_template(20_000))
    export = OUT / "export-50mb.json"
    if not export.exists() or export.stat().st_size < 50_000_000:
        write_json(export, exported_resource_group(50_000_000 * 10 // 14))  # indent=2 grows the text ~1.4x
    cases: dict[str, list[str]] = {
        "small": [str(small)],
        "small bicep": [str(small_bicep)],
        "200 files": [str(OUT / "many")],
        "2,000 registries": [str(r2k)],
        "20,000 registries": [str(r20k)],
        "50 MB export": [str(export)],
    }
    site = CORPUS / "avm" / "res" / "web" / "site" / "main.json"
    if site.is_file():
        cases["web/site expansion"] = [str(site)]
    if CORPUS.is_dir():
        cases["corpus"] = [str(CORPUS)]
    if AVM.is_dir():
        cases["AVM .bicep"] = sorted(str(p) for p in (AVM / "avm").rglob("*.bicep"))
    return cases


# --------------------------------------------------------------------------- hostile inputs (issue 12)


def generate_hostile() -> dict[str, tuple[list[str], list[str] | None]]:
    """Case -> (hostile paths, paths of the ordinary equivalent or None). Each hostile case is the worst of its
    kind that issue 12 names: without the limits, the first two ran for minutes and gigabytes, the one-line
    template took 103 s (13x its indented twin) and the 3 KB comment 80 s."""
    out = OUT / "hostile"
    amp = template([registry("[concat('acr', copyIndex())]", 1) | {
        "copy": {"name": "c", "count": 800}, "tags": {"a": "[concat(variables('big'), string(copyIndex()))]"}}])
    amp["variables"] = {"big": "[padLeft('', 9000000, 'x')]"}  # 800 copies of 9 million characters: 7.2 GB
    lam = template([registry("acrlambdas", 1) | {"tags": {
        "a": "[string(map(range(0, 10000), lambda('x', map(range(0, 10000), lambda('y', 1)))))]"}}])  # 10^8 calls
    cases: dict[str, tuple[list[str], list[str] | None]] = {
        "amplification (800 x 9 MB concat)": ([str(write_json(out / "amplification.json", amp))], None),
        "lambdas (10^8 calls asked)": ([str(write_json(out / "lambdas.json", lam))], None),
    }
    one_line = out / "one-line-40mb.json"
    indented = out / "indented-40mb.json"
    if not one_line.exists() or one_line.stat().st_size < 40_000_000:
        doc = exported_resource_group(40_000_000)
        one_line.write_text(json.dumps(doc))
        indented.write_text(json.dumps(doc, indent=2))
    cases["one-line 40 MB JSON"] = ([str(one_line)], [str(indented)])
    header = "type: Microsoft.ContainerRegistry/registries\napiVersion: '2023-07-01'\nname: acrcomment\nlocation: westeurope\n"
    crafted = "# acrlint: disable=ACR401" + " " * 3000 + "x\n"  # blanks the old single expression backtracked over
    plain = "# acrlint: disable=ACR401 -- " + "a legacy registry, " * 157 + "\n"
    cases["crafted 3 KB suppression comment"] = ([str(write_text(out / "comment.yaml", crafted + header))],
                                                 [str(write_text(out / "comment-plain.yaml", plain + header))])
    # issue 14: .gitignore patterns (and exclude, suppression paths: one engine) that backtrack in Python's re,
    # over 200 files with long names, beside the same tree with literal patterns
    for kind, line in (("crafted", "*{i}*a*a*a*a*a*a*a*a*b"), ("plain", "name{i}.json")):
        tree = out / f"gitignore-{kind}"
        write_text(tree / ".gitignore", "".join(line.format(i=i) + "\n" for i in range(1_000)))
        for i in range(200):
            write_json(tree / f"{'a' * 120}{i}.json", template([registry(f"acrglob{i}", 1)]))
    cases["crafted .gitignore (1,000 patterns, 200 files)"] = ([str(out / "gitignore-crafted")], [str(out / "gitignore-plain")])
    return cases


HOSTILE_HEADING = "## Hostile inputs"
HOSTILE_TARGET = (10.0, 1024.0)  # seconds, MB: issue 12


def run_hostile(args: argparse.Namespace) -> int:
    cases = generate_hostile()
    runs = 1 if args.quick else 3
    before = cpu_reference()
    rows = []
    for name, (paths, twin) in cases.items():
        size_mb = sum(os.path.getsize(f) for f in paths) / 1e6
        print(f"{name}: {size_mb:.1f} MB, {runs} runs", file=sys.stderr)
        ac = measure(acrlint_cmd(paths), runs)
        one = measure(acrlint_cmd(paths, jobs=1), runs)
        eq = measure(acrlint_cmd(twin), runs) if twin else None
        rows.append((name, size_mb, ac, one, eq))
        print(f"  acrlint {ac.wall:.3f} s {ac.rss:.0f} MB (exit {ac.samples[0].rc}); --jobs 1 {one.wall:.3f} s {one.rss:.0f} MB"
              + (f"; ordinary equivalent {eq.wall:.3f} s {eq.rss:.0f} MB" if eq else ""), file=sys.stderr)
    after = cpu_reference()
    lines = ["| case | MB | acrlint wall (median) | peak RSS | --jobs 1 wall | --jobs 1 peak RSS | ordinary equivalent | "
             "target < 10 s, < 1 GB |", "|---|---:|---:|---:|---:|---:|---:|---|"]
    for name, size_mb, ac, one, eq in rows:
        worst_wall, worst_rss = max(ac.wall, one.wall), max(ac.rss, one.rss)
        met = worst_wall < HOSTILE_TARGET[0] and worst_rss < HOSTILE_TARGET[1]
        eq_text = f"{eq.wall:.3f} s, {eq.rss:.0f} MB ({ac.wall / eq.wall:.2f}x)" if eq else "-"
        lines.append(f"| {name} | {size_mb:.1f} | {ac.wall:.3f} s | {ac.rss:.0f} MB | {one.wall:.3f} s | {one.rss:.0f} MB "
                     f"| {eq_text} | {'met' if met else 'missed'} |")
    table = "\n".join(lines)
    print(table)
    section = (f"{HOSTILE_HEADING}\n\nGenerated by `python bench/run.py --hostile` (inputs in `bench/out/hostile/`), "
               f"{'1 run' if args.quick else 'median of 3 runs'} each, measured as above; CPU reference "
               f"{before:.2f} s / {after:.2f} s. The worst cases of issue 12, item 4: what expressions produce is "
               "bounded per file (one ACR004 and the file's expansion stops), lambda calls likewise, and the "
               "positions and suppression comments are found in linear time; and of issue 14, item 3: glob patterns "
               "are matched without backtracking. \"ordinary equivalent\" is the same content written the usual way "
               "(the template indented, the comment without the blanks, literal .gitignore patterns), and the "
               "ratio is the hostile case's time over it.\n\n" + table + "\n")
    if not args.no_write:
        path = HERE / "RESULTS.md"
        old = path.read_text() if path.is_file() else ""
        if HOSTILE_HEADING in old:
            start = old.index(HOSTILE_HEADING)
            nxt = old.find("\n## ", start + len(HOSTILE_HEADING))
            old = old[:start] + section + (old[nxt + 1:] if nxt >= 0 else "")
        else:
            old = old.rstrip("\n") + "\n\n" + section
        path.write_text(old)
        print(f"wrote the hostile section of {path}", file=sys.stderr)
    return 0


# --------------------------------------------------------------------------- measurement


@dataclass
class Sample:
    wall: float
    rss_mb: float
    rc: int


@dataclass
class Stats:
    samples: list[Sample] = field(default_factory=list)

    @property
    def wall(self) -> float:
        return statistics.median(s.wall for s in self.samples)

    @property
    def rss(self) -> float:
        return statistics.median(s.rss_mb for s in self.samples)


_RSS_WRAPPER = (
    "import resource, subprocess, sys, time\n"
    "t = time.perf_counter(); rc = subprocess.call(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
    "w = time.perf_counter() - t\n"
    "print(w, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, rc)\n"
)


def measure_once(cmd: list[str], cwd: Path) -> Sample:
    if Path(TIME_BIN).exists():
        t = time.perf_counter()
        proc = subprocess.run([TIME_BIN, "-f", "MAXRSS %M", *cmd], cwd=cwd, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True, env=bench_env())
        wall = time.perf_counter() - t
        line = [ln for ln in proc.stderr.splitlines() if ln.startswith("MAXRSS ")][-1]
        return Sample(wall, int(line.split()[1]) / 1024, proc.returncode)
    # a fresh wrapper per run, so RUSAGE_CHILDREN holds this child's peak only
    out = subprocess.run([sys.executable, "-c", _RSS_WRAPPER, *cmd], cwd=cwd, capture_output=True, text=True,
                         env=bench_env()).stdout.split()
    return Sample(float(out[0]), int(out[1]) / 1024, int(out[2]))


def bench_env() -> dict[str, str]:
    """Bytecode cached as after `pip install` (which compiles .pyc files), but under bench/out/, so the
    source tree is untouched: with PYTHONDONTWRITEBYTECODE=1 and stale .pyc files every run would pay
    for compiling the modules that changed (about 0.15 s measured here)."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(OUT / "pycache")
    env["PYTHONPATH"] = str(ROOT) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    return env


def measure(cmd: list[str], runs: int, cwd: Path = ROOT) -> Stats:
    stats = Stats()
    measure_once(cmd, cwd)  # warm-up, not counted: bytecode cache, OS file cache
    for _ in range(runs):
        stats.samples.append(measure_once(cmd, cwd))
    return stats


def files_of(paths: list[str]) -> list[str]:
    out = []
    for p in paths:
        if os.path.isdir(p):
            for root, dirs, files in os.walk(p):
                dirs.sort()
                out.extend(os.path.join(root, f) for f in sorted(files) if f.endswith((".json", ".jsonc", ".bicep")))
        else:
            out.append(p)
    return out


# JSON files are parsed; Bicep has no C parser to compare with: its text is read
FLOOR = ("import json, sys\nfor p in sys.argv[1:]:\n    with open(p, 'rb') as fh:\n"
         "        json.load(fh) if not p.endswith('.bicep') else fh.read().decode('utf-8')\n")


def acrlint_python() -> str:
    """The interpreter acrlint and the floor run under: a virtualenv holding acrlint's dependencies only, as the
    README's install (and pre-commit's hook environment) gives users. The interpreter this script runs under may
    have site-packages whose .pth files import modules at every start (here `certifi`: 0.06-0.15 s a process,
    more than acrlint's own start-up); a benchmark of acrlint should not time that. The working tree is put on
    PYTHONPATH (bench_env), so no reinstall is needed after a change. --system-python measures without it."""
    if SYSTEM_PYTHON[0]:
        return sys.executable
    exe = ACRLINT_VENV / "bin" / "python"
    if not exe.exists():
        import tomllib

        deps = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
        print(f"creating {ACRLINT_VENV} with {', '.join(deps)} ...", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", str(ACRLINT_VENV)], check=True)
        subprocess.run([str(exe), "-m", "pip", "install", "-q", *deps], check=True)
    return str(exe)


SYSTEM_PYTHON = [False]


def acrlint_cmd(paths: list[str], jobs: int | None = None) -> list[str]:
    """Default --jobs is the number of CPUs: several files in parallel, or one big file split over two processes."""
    return [acrlint_python(), "-m", "linter", "--format", "json", *(["--jobs", str(jobs)] if jobs else []), *paths]


def previous_checkov() -> dict[str, float]:
    """Case name -> Checkov median wall time, from the table in the current bench/RESULTS.md."""
    out: dict[str, float] = {}
    path = HERE / "RESULTS.md"
    if not path.is_file():
        return out
    lines = path.read_text().splitlines()
    header = next((ln for ln in lines if ln.startswith("| case |")), None)
    if header is None:
        return out
    names = [c.strip() for c in header.strip("|").split("|")]
    column = names.index("Checkov wall")
    for ln in lines:
        cells = [c.strip() for c in ln.strip("|").split("|")]
        if ln.startswith("| ") and len(cells) == len(names) and cells[column].endswith(" s"):
            out[cells[0]] = float(cells[column][:-2])
    return out


def checkov_cmd(paths: list[str]) -> list[str] | None:
    exe = CHECKOV_VENV / "bin" / "checkov"
    if not exe.exists() or any(p.endswith(".bicep") for p in paths):  # Checkov's Bicep reader: see issue 16
        return None
    cmd = [str(exe), "--framework", "arm", "--skip-download", "--quiet", "--compact", "-o", "json"]
    for p in paths:
        cmd += ["-d", p] if os.path.isdir(p) else ["-f", p]
    return cmd


def install_checkov() -> None:
    subprocess.run([sys.executable, "-m", "venv", str(CHECKOV_VENV)], check=True)
    subprocess.run([str(CHECKOV_VENV / "bin" / "pip"), "install", "checkov"], check=True)


# --------------------------------------------------------------------------- report

TARGETS = {
    "small": ("< 0.25 s", 0.25, None),
    "small bicep": ("within 1.5x the small (JSON) case", None, None),
    "200 files": ("< 0.8 s", 0.8, None),
    "2,000 registries": ("< 0.6 s, < 150 MB", 0.6, 150),
    "20,000 registries": ("within 11x the 2,000 figure", None, None),
    "50 MB export": ("< 15 s, < 1.5 GB", 15, 1536),
    "web/site expansion": ("< 0.5 s", 0.5, None),
    "corpus": ("report", None, None),
    "AVM .bicep": ("< 5 s", 5, None),
}
SMALL_CASES = {"small", "small bicep", "200 files", "2,000 registries", "web/site expansion", "corpus", "AVM .bicep"}


CPU_REFERENCE = "sum(range(3 * 10**7))"
ANALYSIS_HEADING = "## Reading these figures"


def cpu_reference(runs: int = 5) -> float:
    """Median wall time of a fixed pure-Python loop: on a shared virtual machine the same code runs up to 1.5x
    slower from one minute to the next, so each results file says how fast the machine was when it was made."""
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-S", "-c", CPU_REFERENCE], check=True)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def machine(reference: float | None = None) -> str:
    try:
        mem = next(ln for ln in Path("/proc/meminfo").read_text().splitlines() if ln.startswith("MemTotal"))
        mem_gb = f"{int(mem.split()[1]) / 1024 / 1024:.1f} GB"
    except (OSError, StopIteration):
        mem_gb = "unknown"
    cpu = "unknown"
    try:
        cpu = next(ln.split(":", 1)[1].strip() for ln in Path("/proc/cpuinfo").read_text().splitlines() if ln.startswith("model name"))
    except (OSError, StopIteration):
        pass
    try:
        import yaml

        libyaml = "yes" if getattr(yaml, "__with_libyaml__", False) else "no"
    except ImportError:
        libyaml = "no PyYAML"
    return (f"- date: {dt.datetime.now().strftime('%Y-%m-%d %H:%M')}\n- nproc: {os.cpu_count()} ({cpu})\n- memory: {mem_gb}\n"
            f"- python: {platform.python_version()} ({platform.python_implementation()}), libyaml: {libyaml}\n"
            f"- platform: {platform.platform()}\n- peak RSS from: {'/usr/bin/time -v' if Path(TIME_BIN).exists() else 'getrusage(RUSAGE_CHILDREN)'}\n"
            + (f"- CPU reference (`python -S -c '{CPU_REFERENCE}'`, median of 5, before and after the runs): "
               f"{reference}\n" if reference else ""))


def verdict(name: str, stats: Stats, ref2k: float | None, ref_small: float | None = None) -> str:
    text, wall_target, mem_target = TARGETS.get(name, ("", None, None))
    if name == "small bicep" and ref_small:
        ratio = stats.wall / ref_small
        return f"{text}: {ratio:.2f}x ({'met' if ratio <= 1.5 else 'missed'})"
    ok = True
    if wall_target is not None and stats.wall >= wall_target:
        ok = False
    if mem_target is not None and stats.rss >= mem_target:
        ok = False
    if name == "20,000 registries" and ref2k:
        ratio = stats.wall / ref2k
        return f"{text}: {ratio:.1f}x ({'met' if ratio <= 11 else 'missed'})"
    if wall_target is None and mem_target is None:
        return text
    return f"{text} ({'met' if ok else 'missed'})"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="fewer repetitions")
    ap.add_argument("--case", action="append", help="only cases whose name contains this (repeatable)")
    ap.add_argument("--install-checkov", action="store_true", help="create bench/.checkov-venv with Checkov first")
    ap.add_argument("--no-write", action="store_true", help="print only, do not rewrite bench/RESULTS.md")
    ap.add_argument("--reuse-checkov", action="store_true",
                    help="take Checkov's figures from the current bench/RESULTS.md instead of running it again "
                         "(the inputs are generated identically every time; a full Checkov pass takes about 15 minutes)")
    ap.add_argument("--system-python", action="store_true",
                    help="run acrlint and the floor under this interpreter instead of bench/.acrlint-venv")
    ap.add_argument("--hostile", action="store_true",
                    help="only the worst cases of hostile input (issue 12); rewrites the 'Hostile inputs' section")
    args = ap.parse_args(argv)
    SYSTEM_PYTHON[0] = args.system_python
    if args.hostile:
        return run_hostile(args)
    if args.install_checkov:
        install_checkov()
    print("generating inputs in bench/out/ ...", file=sys.stderr)
    cases = generate()
    if args.case:
        cases = {k: v for k, v in cases.items() if any(c.lower() in k.lower() for c in args.case)}
    before = cpu_reference()
    print(f"CPU reference: {before:.2f} s", file=sys.stderr)
    previous = previous_checkov() if args.reuse_checkov else {}
    rows = []
    ref2k: float | None = None
    ref_small: float | None = None
    for name, paths in cases.items():
        runs = (2 if name in SMALL_CASES else 1) if args.quick else (5 if name in SMALL_CASES else 3)
        files = files_of(paths)
        size_mb = sum(os.path.getsize(f) for f in files) / 1e6
        print(f"{name}: {len(files)} files, {size_mb:.1f} MB, {runs} runs", file=sys.stderr)
        ac = measure(acrlint_cmd(paths), runs)
        one = measure(acrlint_cmd(paths, jobs=1), runs)
        floor = measure([acrlint_python(), "-c", FLOOR, *files], runs)
        ck_cmd = None if args.reuse_checkov else checkov_cmd(paths)
        ck = measure(ck_cmd, max(1, runs // 2)) if ck_cmd else None  # slow: fewer runs
        if ck is None and name in previous:
            ck = Stats([Sample(previous[name], 0.0, 0)])
        if name == "2,000 registries":
            ref2k = ac.wall
        if name == "small":
            ref_small = ac.wall
        rows.append((name, len(files), size_mb, ac, one, floor, ck))
        ck_text = f", checkov {ck.wall:.2f} s" if ck else ""
        print(f"  acrlint {ac.wall:.3f} s {ac.rss:.0f} MB (exit {ac.samples[0].rc}); --jobs 1 {one.wall:.3f} s; "
              f"floor {floor.wall:.3f} s{ck_text}", file=sys.stderr)

    lines = ["| case | files | MB | acrlint wall (median) | peak RSS | acrlint --jobs 1 | floor (json.load) | ratio to floor "
             "| Checkov wall | acrlint vs Checkov | target |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
    for name, nfiles, size_mb, ac, one, floor, ck in rows:
        ck_wall = f"{ck.wall:.2f} s" if ck else "not installed"
        ck_ratio = f"{ac.wall / ck.wall:.2f}x" if ck else "-"
        lines.append(f"| {name} | {nfiles} | {size_mb:.1f} | {ac.wall:.3f} s | {ac.rss:.0f} MB | {one.wall:.3f} s "
                     f"| {floor.wall:.3f} s | {ac.wall / floor.wall:.1f}x | {ck_wall} | {ck_ratio} | {verdict(name, ac, ref2k, ref_small)} |")
    after = cpu_reference()
    print(f"CPU reference: {after:.2f} s", file=sys.stderr)
    table = "\n".join(lines)
    print(table)
    if not args.no_write and not args.case:
        # the analysis below the table is written by hand: kept across runs
        old = (HERE / "RESULTS.md").read_text() if (HERE / "RESULTS.md").is_file() else ""
        kept = old[old.index(ANALYSIS_HEADING):] if ANALYSIS_HEADING in old else ""
        runs_note = "2 runs (small cases), 1 run (big)" if args.quick else "median of 5 runs (small cases) / 3 runs (big cases)"
        (HERE / "RESULTS.md").write_text(
            "# acrlint benchmark results\n\n"
            "Generated by `python bench/run.py` (inputs in `bench/out/`, not committed). Whole-process wall time "
            f"and peak RSS of `python -m linter --format json PATHS`, {runs_note}; each run is its own process. "
            + ("Python is this machine's own interpreter (`--system-python`). " if args.system_python else
               "Python is a virtualenv holding acrlint's dependencies only (`bench/.acrlint-venv`, as the README's "
               "install gives users), with the working tree on PYTHONPATH. ") +
            "acrlint runs with its default `--jobs` (the number of CPUs, here 2); the `--jobs 1` column is the same "
            "run on one core. "
            + ("Checkov's figures are from the previous full run (`--reuse-checkov`; the inputs are generated "
               "identically). " if args.reuse_checkov else "") +
            "The floor is `python -c 'import json,sys; [json.load(open(p)) for p in sys.argv[1:]]'` over the same "
            "files. Targets are reported, never asserted.\n\n"
            f"## Machine\n\n{machine(f'{before:.2f} s / {after:.2f} s')}\n## Results\n\n{table}\n"
            + (f"\n{kept}" if kept else ""))
        print(f"wrote {HERE / 'RESULTS.md'}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
