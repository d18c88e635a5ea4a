"""The deployment context and the scope protocol the expression evaluator runs against."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

# Fixed, documented placeholders: consistent within a run so that IDs built from them match.
DEFAULT_SUBSCRIPTION_ID = "00000000-0000-0000-0000-000000000000"
DEFAULT_TENANT_ID = "00000000-0000-0000-0000-000000000001"
DEFAULT_RESOURCE_GROUP = "acrlint-rg"
DEFAULT_LOCATION = "westeurope"
DEFAULT_DEPLOYMENT_NAME = "acrlint-deployment"
DEFAULT_MANAGEMENT_GROUP = "acrlint-mg"


@dataclass
class DeploymentContext:
    subscription_id: str = DEFAULT_SUBSCRIPTION_ID
    resource_group: str = DEFAULT_RESOURCE_GROUP
    location: str = DEFAULT_LOCATION
    tenant_id: str = DEFAULT_TENANT_ID
    deployment_name: str = DEFAULT_DEPLOYMENT_NAME
    management_group: str = DEFAULT_MANAGEMENT_GROUP
    # "resourceGroup" | "subscription" | "managementGroup" | "tenant", from the template's $schema
    target_scope: str = "resourceGroup"
    # the template object being deployed (for deployment().properties.template)
    template: dict[str, Any] = field(default_factory=dict)

    def child(self, **changes: Any) -> DeploymentContext:
        data = dict(self.__dict__)
        data.update(changes)
        return DeploymentContext(**data)


class Scope(Protocol):
    """What a template expression can see. Implemented by the expander (linter/arm/expand.py)."""

    ctx: DeploymentContext

    def parameter(self, name: str) -> Any:
        """Value of a parameter (may be Unknown). Raise ExprError when it is not declared."""

    def variable(self, name: str) -> Any:
        """Value of a variable (may be Unknown). Raise ExprError when it is not declared."""

    def copy_index(self, loop: str | None, offset: int) -> Any:
        """copyIndex([loopName], [offset]). Raise ExprError outside a copy loop."""

    def reference(self, target: Any, api_version: Any, full: bool) -> Any:
        """reference(): a dict for what can be known, else Unknown(origin=("ref", id_lower, full))."""

    def references(self, symbolic_name: str, full: bool) -> Any:
        """references() over a resource collection (copy loop)."""

    def user_function(self, namespace: str, name: str) -> dict[str, Any] | None:
        """The definition of a user-defined function (``functions`` section), or None."""

    def resource_id_of_symbol(self, symbol: str) -> Any:
        """Resource ID of a symbolic name (languageVersion 2.0), or None when not a symbol."""
