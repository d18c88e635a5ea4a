"""The one registry of Python checks. A check is a generator over the inventory:

    @check("ACR105")
    def container_group_pull_blocked(inv: Inventory, rule: RuleRun) -> Iterator[Finding]:
        for group in inv.of_type("Microsoft.ContainerInstance/containerGroups"):
            ...
            yield rule.finding(group, ("properties", "imageRegistryCredentials", 0, "server"), registry=reg.label)

Its metadata (title, severity, message template, docs) lives in rules/<ID>.yaml with
``implementation: python``, exactly like a declarative rule's. Modules under linter/checks/ are imported
automatically (no hand-kept list).
"""
from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterator
from typing import Any

CheckFn = Callable[..., Iterator[Any]]
CHECKS: dict[str, CheckFn] = {}
_loaded = False


def check(rule_id: str) -> Callable[[CheckFn], CheckFn]:
    def register(fn: CheckFn) -> CheckFn:
        if rule_id in CHECKS and CHECKS[rule_id] is not fn:
            raise ValueError(f"check {rule_id} registered twice")
        CHECKS[rule_id] = fn
        return fn

    return register


def load_checks() -> dict[str, CheckFn]:
    global _loaded
    if not _loaded:
        from linter import checks as pkg

        for info in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda m: m.name):
            importlib.import_module(f"{pkg.__name__}.{info.name}")
        _loaded = True
    return CHECKS
