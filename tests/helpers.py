"""Helpers shared by the tests: build a template, write it, lint it, read the findings back."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from linter.api import Options, lint

SCHEMA = "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#"
REG = "Microsoft.ContainerRegistry/registries"


def registry(name: Any = "contosoacr", **props: Any) -> dict[str, Any]:
    """A Premium registry resource (API 2025-11-01) with ``props`` as its properties."""
    return {"type": REG, "apiVersion": "2025-11-01", "name": name, "location": "westeurope", "sku": {"name": "Premium"}, "properties": props}


def restricted_registry(name: Any = "contosoacr", **props: Any) -> dict[str, Any]:
    """registry(), network-restricted without trusted services unless ``props`` say otherwise (ACR104 at its bypass
    option: one finding to look for)."""
    return registry(name, **(props or {"publicNetworkAccess": "Disabled", "networkRuleBypassOptions": "None"}))


def template(*resources: Any, **extra: Any) -> dict[str, Any]:
    """A resource-group deployment template holding ``resources`` (or the one list given: a resource is never a
    list); ``extra`` adds sections (parameters, ...)."""
    if len(resources) == 1 and isinstance(resources[0], list):
        resources = tuple(resources[0])
    return {"$schema": SCHEMA, "contentVersion": "1.0.0.0", **extra, "resources": list(resources)}


def deployment(name: str, inner: dict[str, Any], parameters: dict[str, Any] | None = None, **extra: Any) -> dict[str, Any]:
    """A nested deployment (inner evaluation scope, as Bicep modules compile) of template ``inner``."""
    props: dict[str, Any] = {"expressionEvaluationOptions": {"scope": "inner"}, "mode": "Incremental", "template": inner}
    if parameters is not None:
        props["parameters"] = parameters
    return {"type": "Microsoft.Resources/deployments", "apiVersion": "2022-09-01", "name": name, **extra, "properties": props}


def write_file(path: Path, doc: Any) -> Path:
    """``doc`` (text, or JSON indented by 2) at ``path``, its directories made."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(doc if isinstance(doc, str) else json.dumps(doc, indent=2), encoding="utf-8")
    return path


def write(tmp_path: Path, doc: Any, name: str = "main.json") -> str:
    path = tmp_path / name
    path.write_text(json.dumps(doc, indent=2))
    return str(path)


def findings(paths: list[str] | str, select: str = "ACR401", **options: Any) -> list[tuple[str, int, int, str]]:
    """(rule, line, column, message) of every finding, in the strict preset with only ``select`` on."""
    result = lint([paths] if isinstance(paths, str) else paths, Options(select=select.split(","), preset="strict", **options))
    return [(f.rule_id, f.span.line if f.span else 0, f.span.column if f.span else 0, f.message) for f in result.findings]


def messages(*args: Any, **kwargs: Any) -> list[str]:
    return [m for _, _, _, m in findings(*args, **kwargs)]
