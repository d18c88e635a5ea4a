"""Resource, scope and deployment-information template functions
(template-functions-resource / -scope / -deployment)."""
from __future__ import annotations

from typing import Any

from ..model import UNKNOWN_PART, Unknown
from .functions_base import bad_arg, register
from .nodes import Call, EvalContext, ExprError

MG_PREFIX = "/providers/Microsoft.Management/managementGroups/"

AZURE_CLOUD: dict[str, Any] = {
    "name": "AzureCloud",
    "gallery": "https://gallery.azure.com/",
    "graph": "https://graph.windows.net/",
    "portal": "https://portal.azure.com",
    "graphAudience": "https://graph.windows.net/",
    "activeDirectoryDataLake": "https://datalake.azure.net/",
    "batch": "https://batch.core.windows.net/",
    "media": "https://rest.media.azure.net",
    "sqlManagement": "https://management.core.windows.net:8443/",
    "vmImageAliasDoc": "https://raw.githubusercontent.com/Azure/azure-rest-api-specs/master/arm-compute/quickstart-templates/aliases.json",
    "resourceManager": "https://management.azure.com/",
    "authentication": {
        "loginEndpoint": "https://login.microsoftonline.com/",
        "audiences": ["https://management.core.windows.net/", "https://management.azure.com/"],
        "tenant": "common",
        "identityProvider": "AAD",
    },
    "suffixes": {
        "acrLoginServer": ".azurecr.io",
        "azureDatalakeAnalyticsCatalogAndJob": "azuredatalakeanalytics.net",
        "azureDatalakeStoreFileSystem": "azuredatalakestore.net",
        "azureFrontDoorEndpointSuffix": "azurefd.net",
        "keyvaultDns": ".vault.azure.net",
        "sqlServerHostname": ".database.windows.net",
        "storage": "core.windows.net",
    },
}


def _strings(fn: str, args: list[Any]) -> list[str]:
    for i, v in enumerate(args):
        if not isinstance(v, str):
            raise bad_arg(fn, i, "a string", v)
    return args


def _type_and_names(fn: str, rtype: str, names: list[str]) -> str:
    """'Ns/type/child', ['a', 'b'] -> 'Ns/type/a/child/b'."""
    segments = [s for s in rtype.strip("/").split("/")]
    if len(segments) < 2 or not all(segments):
        raise ExprError(f"{fn}(): '{rtype}' is not a valid resource type")
    types = segments[1:]
    if len(names) != len(types):
        raise ExprError(
            f"{fn}(): the resource type '{rtype}' needs {len(types)} resource name"
            f"{'' if len(types) == 1 else 's'}, got {len(names)}"
        )
    out = [segments[0]]
    for t, n in zip(types, names):
        out.append(t)
        out.append(n.strip("/"))
    return "/".join(out)


def _split_type(fn: str, args: list[str]) -> tuple[list[str], str, list[str]]:
    """(leading arguments, resource type, names): the type is the first argument holding a '/'."""
    for i, a in enumerate(args):
        if "/" in a:
            return args[:i], a, args[i + 1:]
    raise ExprError(f"{fn}(): no resource type (such as 'Microsoft.Storage/storageAccounts') among the arguments")


def _check_ctx_scope(fn: str, ctx: Any, allowed: tuple[str, ...]) -> None:
    if ctx.target_scope not in allowed:
        raise ExprError(f"{fn}() can't be used in a deployment at {ctx.target_scope} scope")


@register("resourceId", 1, None, shapes=True)
def _resource_id(cx: EvalContext, args: list[Any], call: Call) -> Any:
    args = _strings("resourceId", args)
    ctx = cx.scope.ctx
    if len(args) == 1 and "/" not in args[0]:
        rid = cx.scope.resource_id_of_symbol(args[0])
        if rid is None:
            raise ExprError(f"resourceId(): '{args[0]}' is neither a resource type nor a symbolic resource name")
        return rid
    lead, rtype, names = _split_type("resourceId", args)
    tail = "/providers/" + _type_and_names("resourceId", rtype, names)
    if len(lead) > 2:
        raise ExprError("resourceId() takes at most a subscription ID and a resource group name before the type")
    if len(lead) == 2:
        return f"/subscriptions/{lead[0]}/resourceGroups/{lead[1]}{tail}"
    if len(lead) == 1:
        if ctx.target_scope in ("managementGroup", "tenant"):
            raise ExprError(
                f"resourceId(): a resource group name can't be given in a deployment at {ctx.target_scope} scope"
            )
        return f"/subscriptions/{ctx.subscription_id}/resourceGroups/{lead[0]}{tail}"
    if ctx.target_scope == "resourceGroup":
        return f"/subscriptions/{ctx.subscription_id}/resourceGroups/{ctx.resource_group}{tail}"
    if ctx.target_scope == "subscription":
        return f"/subscriptions/{ctx.subscription_id}{tail}"
    return tail


@register("subscriptionResourceId", 2, None, shapes=True)
def _subscription_resource_id(cx: EvalContext, args: list[Any], call: Call) -> Any:
    args = _strings("subscriptionResourceId", args)
    lead, rtype, names = _split_type("subscriptionResourceId", args)
    if len(lead) > 1:
        raise ExprError("subscriptionResourceId() takes at most a subscription ID before the type")
    ctx = cx.scope.ctx
    if not lead and ctx.target_scope in ("managementGroup", "tenant"):
        raise ExprError(
            f"subscriptionResourceId() needs a subscription ID in a deployment at {ctx.target_scope} scope"
        )
    sub = lead[0] if lead else ctx.subscription_id
    return f"/subscriptions/{sub}/providers/" + _type_and_names("subscriptionResourceId", rtype, names)


@register("tenantResourceId", 2, None, shapes=True)
def _tenant_resource_id(cx: EvalContext, args: list[Any], call: Call) -> Any:
    args = _strings("tenantResourceId", args)
    lead, rtype, names = _split_type("tenantResourceId", args)
    if lead:
        raise ExprError("tenantResourceId() expects the resource type as its first argument")
    return "/providers/" + _type_and_names("tenantResourceId", rtype, names)


@register("managementGroupResourceId", 2, None, shapes=True)
def _management_group_resource_id(cx: EvalContext, args: list[Any], call: Call) -> Any:
    args = _strings("managementGroupResourceId", args)
    lead, rtype, names = _split_type("managementGroupResourceId", args)
    if len(lead) > 1:
        raise ExprError("managementGroupResourceId() takes at most a management group name before the type")
    mg = lead[0] if lead else cx.scope.ctx.management_group
    return f"{MG_PREFIX}{mg}/providers/" + _type_and_names("managementGroupResourceId", rtype, names)


@register("extensionResourceId", 3, None, shapes=True)
def _extension_resource_id(cx: EvalContext, args: list[Any], call: Call) -> Any:
    args = _strings("extensionResourceId", args)
    base = args[0].rstrip("/")
    if not base.startswith("/"):
        raise ExprError(f"extensionResourceId(): '{args[0]}' is not a resource ID")
    return f"{base}/providers/" + _type_and_names("extensionResourceId", args[1], args[2:])


@register("resourceInfo", 1, 1)
def _resource_info(cx: EvalContext, args: list[Any], call: Call) -> Any:
    name = args[0]
    if not isinstance(name, str):
        raise bad_arg("resourceInfo", 0, "a symbolic resource name", name)
    rid = cx.scope.resource_id_of_symbol(name)
    if rid is None:
        raise ExprError(f"resourceInfo(): '{name}' is not a symbolic resource name")
    return {"id": rid}


def _no_udf(fn: str, cx: EvalContext) -> None:
    if cx.udf_params is not None:
        raise ExprError(f"{fn}() can't be used in a user-defined function")


@register("reference", 1, 3, unknown_ok=True)
def _reference(cx: EvalContext, args: list[Any], call: Call) -> Any:
    _no_udf("reference", cx)
    target = args[0]
    api = args[1] if len(args) > 1 else None
    full = False
    if len(args) > 2:
        opt = args[2]
        if isinstance(opt, Unknown):
            return Unknown(opt.reason)
        if not isinstance(opt, str):
            raise bad_arg("reference", 2, "the string 'Full'", opt)
        full = opt.lower() == "full"
    if isinstance(target, Unknown):
        return Unknown(target.reason or "reference() to a resource not known before deployment")
    if not isinstance(target, str):
        raise bad_arg("reference", 0, "a resource ID or name", target)
    return cx.scope.reference(target, api, full)


@register("references", 1, 2)
def _references(cx: EvalContext, args: list[Any], call: Call) -> Any:
    _no_udf("references", cx)
    name = args[0]
    if not isinstance(name, str):
        raise bad_arg("references", 0, "a symbolic name", name)
    full = False
    if len(args) > 1:
        if not isinstance(args[1], str):
            raise bad_arg("references", 1, "the string 'Full'", args[1])
        full = args[1].lower() == "full"
    return cx.scope.references(name, full)


@register("list*", 1, 3, unknown_ok=True)
def _list(cx: EvalContext, args: list[Any], call: Call) -> Any:
    _no_udf(call.name, cx)
    target = args[0]
    origin = None
    if isinstance(target, str):
        origin = ("list", target.lower(), call.name.lower())
    return Unknown(f"{call.name}() returns values only known at deployment time", origin)


@register("pickZones", 3, 5, unknown_ok=True)
def _pick_zones(cx: EvalContext, args: list[Any], call: Call) -> Any:
    return Unknown("pickZones() depends on the zones Azure offers in a region")


@register("providers", 1, 2, unknown_ok=True)
def _providers(cx: EvalContext, args: list[Any], call: Call) -> Any:
    return Unknown("providers() returns the live resource provider registration")


# ------------------------------------------------------------------ scope functions


def _partly_known(text: str) -> Any:
    """A value of a deployment whose subscription or resource group is not known (linter.arm.expand)."""
    return Unknown("a scope not known before deployment", shape=text) if UNKNOWN_PART in text else text


@register("resourceGroup", 0, 0)
def _resource_group(cx: EvalContext, args: list[Any], call: Call) -> Any:
    ctx = cx.scope.ctx
    _check_ctx_scope("resourceGroup", ctx, ("resourceGroup",))
    return {
        "id": _partly_known(f"/subscriptions/{ctx.subscription_id}/resourceGroups/{ctx.resource_group}"),
        "name": _partly_known(ctx.resource_group),
        "type": "Microsoft.Resources/resourceGroups",
        "location": ctx.location,
        # the resource group's own settings: not in the files linted (never {} or null, which would be definite)
        "managedBy": Unknown("the resource group's managedBy", ("resourcegroup", "managedby")),
        "tags": Unknown("the resource group's tags", ("resourcegroup", "tags")),
        "properties": {"provisioningState": "Succeeded"},
    }


@register("subscription", 0, 0)
def _subscription(cx: EvalContext, args: list[Any], call: Call) -> Any:
    ctx = cx.scope.ctx
    _check_ctx_scope("subscription", ctx, ("resourceGroup", "subscription"))
    return {
        "id": _partly_known(f"/subscriptions/{ctx.subscription_id}"),
        "subscriptionId": _partly_known(ctx.subscription_id),
        "tenantId": ctx.tenant_id,
        "displayName": Unknown("the subscription's display name", ("subscription", "displayname")),
        "tags": Unknown("the subscription's tags", ("subscription", "tags")),
    }


@register("tenant", 0, 0)
def _tenant(cx: EvalContext, args: list[Any], call: Call) -> Any:
    ctx = cx.scope.ctx
    return {
        "countryCode": Unknown("the tenant's country code", ("tenant", "countrycode")),
        "displayName": Unknown("the tenant's display name", ("tenant", "displayname")),
        "id": f"/tenants/{ctx.tenant_id}",
        "tenantId": ctx.tenant_id,
    }


@register("managementGroup", 0, 1)
def _management_group(cx: EvalContext, args: list[Any], call: Call) -> Any:
    ctx = cx.scope.ctx
    if args:
        name = args[0]
        if not isinstance(name, str):
            raise bad_arg("managementGroup", 0, "a management group name", name)
        return {"id": MG_PREFIX + name, "name": name, "type": "Microsoft.Management/managementGroups"}
    _check_ctx_scope("managementGroup", ctx, ("managementGroup",))
    return {
        "id": MG_PREFIX + ctx.management_group,
        "name": ctx.management_group,
        "properties": {
            "details": {
                "parent": Unknown("the parent management group", ("managementgroup", "parent")),
            },
            "displayName": Unknown("the management group's display name", ("managementgroup", "displayname")),
            "tenantId": ctx.tenant_id,
        },
        "type": "/providers/Microsoft.Management/managementGroups",
    }


@register("deployment", 0, 0)
def _deployment(cx: EvalContext, args: list[Any], call: Call) -> Any:
    ctx = cx.scope.ctx
    result: dict[str, Any] = {"name": ctx.deployment_name}
    if ctx.target_scope != "resourceGroup":
        result["location"] = ctx.location
    result["properties"] = {
        "template": ctx.template,
        "templateHash": Unknown("the hash ARM computes over the template", ("deployment", "templatehash")),
        "parameters": {},
        "mode": "Incremental",
        "provisioningState": "Accepted",
    }
    return result


@register("deployer", 0, 0)
def _deployer(cx: EvalContext, args: list[Any], call: Call) -> Any:
    return {
        "objectId": Unknown("the object ID of the deploying principal", ("deployer", "objectid")),
        "tenantId": cx.scope.ctx.tenant_id,
    }


@register("environment", 0, 0)
def _environment(cx: EvalContext, args: list[Any], call: Call) -> Any:
    import copy

    return copy.deepcopy(AZURE_CLOUD)

