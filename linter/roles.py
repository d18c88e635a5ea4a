"""The one table of Azure built-in roles acrlint knows: name, role definition GUID, and what each means for a
container registry. Azure Service Operator manifests name roles by these names (roleDefinitionReference.wellKnownName);
the role rules (linter/checks/roles.py) and the pull-permission rules (linter/checks/trusted_services.py) read the
flags. Source: the ACR built-in roles overview and the Azure built-in roles reference (acr-facts.md)."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class BuiltinRole:
    name: str
    guid: str  # lower-case role definition GUID
    pull_legacy: bool = False  # grants pull on a registry in the default (non-ABAC) permission mode
    pull_abac: bool = False  # grants pull on a registry with ABAC repository permissions
    broad: bool = False  # manages the registry or access to it: more than a workload needs
    legacy_data: bool = False  # an Acr* data role that a registry in ABAC mode does not honour


BUILTIN_ROLES: tuple[BuiltinRole, ...] = (
    BuiltinRole("Owner", "8e3af657-a8ff-443c-a75c-2fe8c4bcb635", pull_legacy=True, broad=True),
    BuiltinRole("Contributor", "b24988ac-6180-42a0-ab88-20f7382dd24c", pull_legacy=True, broad=True),
    BuiltinRole("Reader", "acdd72a7-3385-48ef-bd42-f606fba81ae7", pull_legacy=True),
    BuiltinRole("User Access Administrator", "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9", broad=True),
    BuiltinRole("Role Based Access Control Administrator", "f58310d9-a9f6-439a-9e8d-f62e7b41a168", broad=True),
    BuiltinRole("AcrPull", "7f951dda-4ed3-4680-a7ca-43fe172d538d", pull_legacy=True, legacy_data=True),
    BuiltinRole("AcrPush", "8311e382-0749-4cb8-b61a-304f252e45ec", pull_legacy=True, legacy_data=True),
    BuiltinRole("AcrDelete", "c2f4ef07-c644-48eb-af81-4b1b4947fb11", legacy_data=True),
    BuiltinRole("AcrImageSigner", "6cef56e8-d556-48e5-a04f-b8e64114680f"),
    BuiltinRole("AcrQuarantineReader", "cdda3590-29a3-44f6-95f2-9f980659eb04"),
    BuiltinRole("AcrQuarantineWriter", "c8d4ff99-41c3-41a8-9f60-21dfdad59608"),
    BuiltinRole("Container Registry Repository Reader", "b93aa761-3e63-49ed-ac28-beffa264f7ac", pull_abac=True),
    BuiltinRole("Container Registry Repository Writer", "2a1e307c-b015-4ebd-883e-5b7698a07328", pull_abac=True),
    BuiltinRole("Container Registry Repository Contributor", "2efddaa5-3f1f-4df3-97df-af3f13818f4c", pull_abac=True),
    BuiltinRole("Container Registry Repository Catalog Lister", "bfdb9389-c9a5-478a-bb2f-ba9ca092c3c7"),
    BuiltinRole("Container Registry Data Importer and Data Reader", "577a9874-89fd-4f24-9dbd-b5034d0ad23a",
                pull_legacy=True, pull_abac=True),
)

BY_GUID: dict[str, BuiltinRole] = {r.guid: r for r in BUILTIN_ROLES}
BY_NAME: dict[str, BuiltinRole] = {r.name.lower(): r for r in BUILTIN_ROLES}  # names compared ignoring case

READER = BY_NAME["reader"].guid
