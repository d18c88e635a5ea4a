"""The Bicep differential on Azure Verified Modules (see tests/bicep_differential.py): main.bicep and the compiled main.json
must give the same resources and the same findings.

tests/data/avm-bicep holds a subset (tools/copy_avm_subset.py, MIT licence in LICENSE-bicep-registry-modules.txt): every
module there must agree, except where the reader cannot follow what the compiler inlined (a registry module). The
full copy in ../shared/avm is compared when it is present, against the thresholds of issue 16; each module that
differs is listed with the reason."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from bicep_differential import compare, module_dirs, parse_failures, summary

SUBSET = Path(__file__).resolve().parent / "data" / "avm-bicep"
SHARED = Path(os.environ.get("ACRLINT_AVM", Path(__file__).resolve().parents[2] / "shared" / "avm"))
PRESETS = ("recommended", "strict")

# main.json in ../shared/avm that was not compiled from the main.bicep beside it (the JSON has other API versions,
# parameters or expressions than the Bicep source): checked by hand, the Bicep reading is the faithful one
STALE_JSON = {
    "azure-stack-hci/network-interface": "main.json has API versions 2024-01-01/2023-07-01, main.bicep 2025-04-01-preview/2024-07-01",
    "azure-stack-hci/virtual-hard-disk": "main.json has API version 2024-05-01-preview, main.bicep 2025-04-01-preview",
    "compute/virtual-machine": "main.json has diskControllerType: parameters('diskControllerType'), main.bicep diskControllerType ?? 'SCSI'",
    "managed-identity/user-assigned-identity/federated-identity-credential": "main.json deploys telemetry with API 2024-03-01, main.bicep 2025-04-01",
}


def _subset_modules() -> list[Path]:
    return module_dirs(SUBSET)


@pytest.mark.parametrize("module", _subset_modules(), ids=lambda p: p.relative_to(SUBSET).as_posix())
def test_subset_module_agrees(module: Path) -> None:
    result = compare(module, PRESETS, SUBSET)
    assert not result.parse_errors
    if module.relative_to(SUBSET).as_posix() in STALE_JSON:
        assert not result.resources_equal  # still stale: else take it off the list
        return
    if not result.resources_equal:
        # only a registry module, inlined by the compiler and not fetched by acrlint, may make them differ: the
        # compiled template has its resources on top of the same deployment
        assert result.not_followed and all(r.startswith("module 'br/public:") for r in result.not_followed), result.not_followed
        assert set(result.json_resources) - set(result.bicep_resources)
        return
    assert result.bicep_resources == result.json_resources
    for preset in PRESETS:
        bicep, compiled = result.findings[preset]
        assert bicep == compiled, preset


def test_subset_covers_enough() -> None:
    modules = _subset_modules()
    assert len(modules) >= 30
    assert (SUBSET / "LICENSE-bicep-registry-modules.txt").is_file()
    total, failed = parse_failures(SUBSET)
    assert total >= 40 and failed == {}


@pytest.mark.skipif(not (SHARED / "avm").is_dir(), reason="../shared/avm is not present")
def test_full_avm_copy(capsys: pytest.CaptureFixture[str]) -> None:
    root = SHARED / "avm" / "res"
    total_files, failed_files = parse_failures(root)
    results = [compare(m, PRESETS, SHARED / "avm") for m in module_dirs(root)]
    figures = summary(results, PRESETS)
    differing = []
    for r in results:
        name = r.path.relative_to(root).as_posix()
        what = [w for w, ok in (("resources", r.resources_equal), *((f"findings ({p})", r.findings_equal(p)) for p in PRESETS)) if not ok]
        if what:
            reason = r.reason() or STALE_JSON.get(name, "")
            differing.append((name, ", ".join(what), reason))
    with capsys.disabled():
        print(f"\n.bicep files parsed without ACR000: {total_files - len(failed_files)}/{total_files}")
        for key, value in figures.items():
            print(f"{key}: {value}" + ("" if key == "modules" else f"/{figures['modules']}"))
        for name, what, reason in differing:
            print(f"  differs: {name} ({what}): {reason or 'NO REASON'}")
    n = figures["modules"]
    assert total_files - len(failed_files) >= 0.99 * total_files, failed_files
    assert figures["resources equal"] >= 0.95 * n
    for preset in PRESETS:
        assert figures[f"findings equal ({preset})"] >= 0.95 * n
    # every difference has a known cause, and the list of stale files stays true
    assert [d for d in differing if not d[2]] == []
    assert {d[0] for d in differing if d[0] in STALE_JSON} == set(STALE_JSON)
