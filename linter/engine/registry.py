"""The one registry of Python checks. A check is a generator over the inventory:

    @check("ACR105")
    def container_group_pull_blocked(inv: Inventory, rule: RuleRun) -> Iterator[Finding]:
        for group in inv.of_type("Microsoft.ContainerInstance/containerGroups"):
            ...
            yield rule.finding(group, ("properties", "imageRegistryCredentials", 0, "server"), registry=reg.label)

Its metadata (title, severity, message template and variants, docs) lives in rules/<ID>.yaml with
``implementation: python``, exactly like a declarative rule's. Modules under linter/checks/ are imported
automatically (no hand-kept list).

Facts are the other half of this registry: what declarative rules ask of Python (``fact: <name>`` in a condition,
linter.engine.conditions), registered the same way::

    @fact("networkRestricted")
    def network_restricted(inv: Inventory, res: Resource, registry: Resource | None) -> bool | None:
        ...

A fact answers for one resource and the registry in its context; None means it cannot tell (Unknown).
"""
from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterator
from typing import Any

CheckFn = Callable[..., Iterator[Any]]
CHECKS: dict[str, CheckFn] = {}
FactFn = Callable[..., Any]
FACTS: dict[str, FactFn] = {}
_loaded = False


def _registrar(table: dict[str, Any], what: str, key: str) -> Callable[[Any], Any]:
    def register(fn: Any) -> Any:
        if key in table and table[key] is not fn:
            raise ValueError(f"{what} {key} registered twice")
        table[key] = fn
        return fn

    return register


def check(rule_id: str) -> Callable[[CheckFn], CheckFn]:
    return _registrar(CHECKS, "check", rule_id)


def fact(name: str) -> Callable[[FactFn], FactFn]:
    return _registrar(FACTS, "fact", name)


def load_checks() -> dict[str, CheckFn]:
    global _loaded
    if not _loaded:
        from linter import checks as pkg

        for info in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda m: m.name):
            importlib.import_module(f"{pkg.__name__}.{info.name}")
        _loaded = True
    return CHECKS
