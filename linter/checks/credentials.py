"""Credential rules (ACR429, ACR431): secrets written in plain text (names, URLs and query strings to read), and
repository tokens and scope maps that reach every repository (actions to parse, one finding for several). The
customer-managed key rule (ACR430) is a declarative record.

A value that cannot be evaluated (a secure parameter without a value, a Key Vault reference in a parameters file,
listKeys()) is not plain text; a value acrlint can read was written somewhere in the linted files (a literal, a
parameter default, a parameters file).
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from linter.checks._registry_state import ci_eq, demoted
from linter.constants import INFO
from linter.engine.registry import check
from linter.engine.run import RuleRun
from linter.inventory import TASK, Inventory
from linter.model import MISSING, Finding, Resource, Unknown, contains_unknown

TASK_RUN = "microsoft.containerregistry/registries/taskruns"
WEBHOOK = "microsoft.containerregistry/registries/webhooks"
SCOPE_MAP = "microsoft.containerregistry/registries/scopemaps"
TOKEN = "microsoft.containerregistry/registries/tokens"

_SECRET_NAME = re.compile(r"auth|token|key|secret|passw|pwd|signature|credential|cookie|sas|bearer", re.I)
_SECRET_QUERY = re.compile(r"^(code|sig|signature|token|access_token|key|api[-_]?key|secret|password|pwd|auth|client_secret)$", re.I)
_GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.I)



def _plain(value: Any) -> bool:
    """A secret value acrlint can read: a non-empty string with nothing that had to be evaluated at deployment. A
    string that is itself a template expression (a resource file outside a template is not evaluated) is not."""
    if not isinstance(value, str) or not value.strip() or contains_unknown(value):
        return False
    text = value.strip()
    return not (text.startswith("[") and text.endswith("]") and not text.startswith("[["))


def _child_label(res: Resource) -> str:
    return res.name.rsplit("/", 1)[-1] if isinstance(res.name, str) else res.label


# --------------------------------------------------------------------------------------------- ACR429


def _credential_secrets(res: Resource, base: tuple[Any, ...]) -> Iterator[tuple[tuple[Any, ...], str]]:
    """(path, description) of plain-text passwords in ``credentials.customRegistries`` under ``base``."""
    custom = res.get(*base, "credentials", "customRegistries")
    if not isinstance(custom, dict):
        return
    for server, entry in custom.items():
        if not isinstance(entry, dict):
            continue
        kind = res.get(*base, "credentials", "customRegistries", server, "password", "type")
        value = res.get(*base, "credentials", "customRegistries", server, "password", "value")
        if (kind is MISSING or ci_eq(kind, "Opaque")) and _plain(value):
            yield (*base, "credentials", "customRegistries", server, "password", "value"), (
                f"the password for registry '{server}' is an Opaque value written in the files")


def _secret_values(res: Resource, base: tuple[Any, ...]) -> Iterator[tuple[tuple[Any, ...], str]]:
    """(path, description) of `values[]` entries marked isSecret whose value is written in the files."""
    values = res.get(*base, "values")
    if not isinstance(values, list):
        return
    for i in range(len(values)):
        secret = res.get(*base, "values", i, "isSecret")
        value = res.get(*base, "values", i, "value")
        name = res.get(*base, "values", i, "name")
        if (secret is True or ci_eq(secret, "true")) and _plain(value):
            shown = name if isinstance(name, str) else f"#{i}"
            yield (*base, "values", i, "value"), f"the secret value '{shown}' is written in the files"


def _webhook_secrets(hook: Resource) -> Iterator[tuple[tuple[Any, ...], str]]:
    headers = hook.get("properties", "customHeaders")
    if isinstance(headers, dict):
        for name in headers:
            value = hook.get("properties", "customHeaders", name)
            if isinstance(name, str) and _SECRET_NAME.search(name) and _plain(value):
                yield ("properties", "customHeaders", name), f"the custom header '{name}' carries a credential written in the files"
    uri = hook.get("properties", "serviceUri")
    if _plain(uri):
        try:
            parts = urlsplit(uri.strip())
            password = parts.password
            query = parse_qsl(parts.query, keep_blank_values=False)
        except ValueError:
            return
        if password:
            yield ("properties", "serviceUri"), "the service URI embeds a user name and password"
        else:
            keys = [k for k, v in query if _SECRET_QUERY.match(k) and v]
            if keys:
                yield ("properties", "serviceUri"), f"the service URI carries the credential query parameter '{keys[0]}'"


@check("ACR429")
def plain_text_secret(inv: Inventory, rule: RuleRun) -> Iterator[Finding]:
    for task in inv.of_type(TASK):
        found = [*_credential_secrets(task, ("properties",)), *_secret_values(task, ("properties", "step"))]
        for path, what in found:
            yield rule.finding(task, path, kind="Task", what=what)
    for run in inv.of_type(TASK_RUN):
        base = ("properties", "runRequest")
        found = [*_credential_secrets(run, base), *_secret_values(run, base),
                 *_secret_values(run, (*base, "overrideTaskStepProperties"))]
        for path, what in found:
            yield rule.finding(run, path, kind="Task run", what=what)
    for hook in inv.of_type(WEBHOOK):
        for path, what in _webhook_secrets(hook):
            yield rule.finding(hook, path, kind="Webhook", what=what)




# --------------------------------------------------------------------------------------------- ACR431

_SYSTEM_MAPS = {"_repositories_admin": "read, write and delete", "_repositories_push": "push"}
_WRITE = re.compile(r"/(content|metadata)/(write|delete)$", re.I)


def _repository_action(action: str) -> tuple[str, str] | None:
    """('repo', 'content/read') of a scope map action 'repositories/<repo>/<content|metadata>/<verb>', or None."""
    if not action.lower().startswith("repositories/"):
        return None
    rest = action[len("repositories/"):]
    parts = rest.rsplit("/", 2)
    if len(parts) != 3:
        return None
    return parts[0], f"{parts[1]}/{parts[2]}"


@check("ACR431")
def token_scope_too_broad(inv: Inventory, rule: RuleRun) -> Iterator[Finding]:
    for scope_map in inv.of_type(SCOPE_MAP):
        actions = scope_map.get("properties", "actions")
        if not isinstance(actions, list):
            continue
        registry = _registry_name(inv, scope_map)
        broad: list[str] = []
        first: int | None = None
        for i, action in enumerate(actions):
            parsed = _repository_action(action) if isinstance(action, str) else None
            if parsed is None:
                continue
            repo, verb = parsed
            if repo == "*":
                if _WRITE.search(action):
                    broad.append(verb)
                    first = i if first is None else first
            elif "*" in repo and (not repo.endswith("/*") or repo.count("*") != 1):
                yield rule.finding(scope_map, ("properties", "actions", i), variant="invalid-wildcard",
                                   scope_map=_child_label(scope_map), registry=registry, repository=repo)
        if first is not None:
            yield rule.finding(scope_map, ("properties", "actions", first), scope_map=_child_label(scope_map),
                               actions=", ".join(broad), registry=registry)
    for token in inv.of_type(TOKEN):
        status = token.get("properties", "status")
        if ci_eq(status, "disabled") or isinstance(status, Unknown):
            continue
        registry = _registry_name(inv, token)
        path: tuple[Any, ...] = ("properties", "scopeMapId")
        scope_map_id = token.get(*path)
        if scope_map_id is MISSING:  # Azure Service Operator: a reference to the scope map
            path = ("properties", "scopeMapReference")
            scope_map_id = token.get(*path, "armId")
        if isinstance(scope_map_id, str):
            system = scope_map_id.rstrip("/").rsplit("/", 1)[-1].lower()
            if system in _SYSTEM_MAPS:
                yield rule.finding(token, path, variant="system-scope-map", token=_child_label(token), system=system,
                                   grants=_SYSTEM_MAPS[system], registry=registry)
        passwords = token.get("properties", "credentials", "passwords")
        if isinstance(passwords, list):
            for i in range(len(passwords)):
                expiry = token.get("properties", "credentials", "passwords", i, "expiry")
                if expiry is MISSING or expiry is None or (isinstance(expiry, str) and not expiry.strip()):
                    yield rule.finding(token, ("properties", "credentials", "passwords", i), variant="password-without-expiry",
                                       severity=demoted(rule, INFO), token=_child_label(token), registry=registry)


def _registry_name(inv: Inventory, child: Resource) -> str:
    parent = inv.parent(child)
    if parent is not None:
        return parent.label
    name = child.name
    return name.split("/", 1)[0] if isinstance(name, str) and "/" in name else "<unknown registry>"
