"""Audit inputs (issue 14, item 9): Azure Resource Graph results (list and table form), Az PowerShell output
(Get-AzResource -ExpandProperties, PSRule's Export-AzRuleData with child resources under `resources`,
Get-AzRoleAssignment), each recognised, related like the other inputs, and reported at the exact line."""
from __future__ import annotations

from pathlib import Path

from linter.api import Options, lint
from linter.arm.context import DeploymentContext

EXPORTS = Path(__file__).resolve().parent / "data" / "exports"
CTX = DeploymentContext(subscription_id="5f3e1a2b-0000-4000-8000-000000000000", resource_group="prod-rg")
ADMIN = "has the admin user enabled: use Microsoft Entra identities (AcrPull/AcrPush, or repository-scoped tokens) and set adminUserEnabled to false"


def run(*names: str, select: str) -> list[tuple[str, int, int, str]]:
    result = lint([str(EXPORTS / n) for n in names], Options(select=select.split(","), preset="strict", ctx=CTX))
    assert result.files_linted == len(names)
    return [(Path(f.file).name, f.span.line if f.span else 0, f.span.column if f.span else 0, f.message) for f in result.findings]


def test_resource_graph_rows_are_resources_and_relate():
    assert run("resource-graph.json", select="ACR401,ACR414") == [("resource-graph.json", 13, 42, f"Registry 'contosoprod' {ADMIN}")]


def test_resource_graph_table_form_points_at_the_cell():
    assert run("resource-graph-table.json", select="ACR401,ACR406") == [
        ("resource-graph-table.json", 17, 18, "Registry 'contosotable' uses the Basic SKU: it has the lowest storage and throughput limits and none "
                                              "of the Premium network and resilience features; use Standard or Premium for production"),
        ("resource-graph-table.json", 18, 30, f"Registry 'contosotable' {ADMIN}"),
    ]


def test_powershell_export_with_children_and_values_cut_off_by_convertto_json():
    assert run("powershell-export.json", select="ACR401,ACR407,ACR413,ACR414") == [
        ("powershell-export.json", 5, 17, "Premium registry 'contosops' has no replica outside its home region (westeurope): add a registries/"
                                          "replications resource in another region so that pulls keep working during a regional outage"),
        ("powershell-export.json", 10, 27, f"Registry 'contosops' {ADMIN}"),
        ("powershell-export.json", 27, 73, "'contosops/westeurope' sets zoneRedundancy to Disabled: the property is legacy and the value has no "
                                           "effect, since zone redundancy is on by default for every registry and replica in regions with "
                                           "availability zones; remove the property"),
    ]  # no ACR407: "policies" was cut off to "@{...}" by ConvertTo-Json's default depth, so it is not known


def test_get_azroleassignment_output_relates_to_the_registry_it_names():
    assert run("role-assignments.json", "powershell-export.json", select="ACR301") == [
        ("role-assignments.json", 9, 25, "Owner is assigned at registry contosops (role assignment '6c1a0e44-3c0e-4e88-9d1a-0d6a1c2a7f01'): use "
                                         "AcrPush for CI/CD and AcrPull for pull-only access")]


def test_exports_are_recognised_for_what_they_are():
    from linter import kinds
    from linter.decode import decode_bytes

    whys = [kinds.recognise(decode_bytes((EXPORTS / n).read_bytes(), "json").documents[0]).why
            for n in ("resource-graph.json", "resource-graph-table.json", "powershell-export.json", "role-assignments.json")]
    assert whys == ["Azure Resource Graph result (2 rows)", "Azure Resource Graph result (1 rows)", "Az PowerShell export (1 objects)",
                    "Az PowerShell export (1 objects)"]
