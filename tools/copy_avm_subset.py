"""Copy the Azure Verified Modules used by tests/test_bicep_avm.py from ../shared/avm into tests/data/avm-bicep (the Bicep
sources as they are; each compiled main.json written compact: the tests compare what it expands to, not its text).

    python tools/copy_avm_subset.py /work/shared/avm
"""
from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

# module folders under avm/res (each with every module below it): registries and their children, the resource
# shapes the rules look at, and the compiler behaviours the translation has to match (management group and
# subscription scope, unnamed and conditional modules, ternary module parameters, safe-access chains, secure outputs)
MODULES = [
    "container-registry/registry",
    "key-vault/vault",
    "network/virtual-network",
    "network/private-endpoint",
    "network/network-security-group",
    "managed-identity/user-assigned-identity",
    "insights/component",
    "authorization/role-assignment/mg-scope",
    "authorization/policy-assignment/mg-scope",
    "resources/resource-group",
    "digital-twins/digital-twins-instance",
    "cache/redis-enterprise",
    "app/container-app",
    "web/serverfarm",
    "container-instance/container-group",
    "net-app/net-app-account/capacity-pool/volume",
    "sql/server/auditing-setting",
    "cdn/profile/origin-group",
    "network/bastion-host",
]


def main(shared: str) -> None:
    src_root = Path(shared)
    dst_root = Path(__file__).resolve().parent.parent / "tests" / "data" / "avm-bicep"
    if dst_root.exists():
        shutil.rmtree(dst_root)
    for module in MODULES:
        src = src_root / "avm" / "res" / module
        for path in sorted(src.rglob("*")):
            if not path.is_file():
                continue
            rel = path.relative_to(src_root / "avm" / "res")
            out = dst_root / rel
            out.parent.mkdir(parents=True, exist_ok=True)
            if path.name == "main.json":
                data = json.loads(path.read_text(encoding="utf-8-sig"))
                out.write_text(json.dumps(data, separators=(",", ":"), ensure_ascii=False) + "\n", encoding="utf-8")
            elif path.suffix == ".bicep" or path.name == "version.json":
                shutil.copyfile(path, out)
    shutil.copyfile(src_root / "LICENSE-bicep-registry-modules.txt", dst_root / "LICENSE-bicep-registry-modules.txt")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "../shared/avm")
