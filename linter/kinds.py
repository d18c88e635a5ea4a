"""Recognise what a decoded document is (the recognise stage): a template, a parameters file, resource objects, an
Azure Service Operator manifest, an export, or not ours. Templates are expanded by linter.arm.expand, the
other shapes mapped onto the Resource model by linter.shapes and linter.exports (the expand stage).

Anything that is not an Azure definition is "not ours" and skipped silently, with a reason for -v.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from linter.exports import GRAPH, POWERSHELL, recognise_export

TEMPLATE = "arm-template"
PARAMETERS = "arm-parameters"
RESOURCES = "arm-resources"  # one ARM resource object or a list (az output, ARM-shaped YAML)
ASO = "aso"
EXPORTS = (GRAPH, POWERSHELL)  # Resource Graph results and Az PowerShell output (linter.exports)

_TYPE_RE = re.compile(r"^[A-Za-z][A-Za-z0-9]*\.[A-Za-z][A-Za-z0-9.]*/[A-Za-z0-9/]+$")
ASO_API_RE = re.compile(r"^([a-z0-9]+)\.azure\.com/v[0-9a-z]+$")

@dataclass
class Recognised:
    kind: str | None
    why: str  # for -v: what it is, or why it is skipped


def is_resource_object(obj: Any) -> bool:
    return (
        isinstance(obj, dict)
        and isinstance(obj.get("type"), str)
        and bool(_TYPE_RE.match(obj["type"]))
        and ("name" in obj or "id" in obj)
    )


def recognise(doc: Any) -> Recognised:
    if isinstance(doc, dict):
        schema = str(doc.get("$schema", "")).lower()
        if "deploymenttemplate.json" in schema:
            return Recognised(TEMPLATE, "ARM deployment template")
        if "deploymentparameters.json" in schema:
            return Recognised(PARAMETERS, "ARM parameters file")
        resources = doc.get("resources")
        if isinstance(resources, list) and ("contentVersion" in doc or "parameters" in doc or "outputs" in doc):
            return Recognised(TEMPLATE, "ARM deployment template (no $schema)")
        if isinstance(resources, dict) and str(doc.get("languageVersion", "")) == "2.0":
            return Recognised(TEMPLATE, "ARM deployment template (languageVersion 2.0)")
        if "contentVersion" in doc and isinstance(doc.get("parameters"), dict) and "resources" not in doc:
            return Recognised(PARAMETERS, "ARM parameters file (no $schema)")
        api = doc.get("apiVersion")
        if isinstance(api, str) and ASO_API_RE.match(api) and isinstance(doc.get("kind"), str):
            if isinstance(doc.get("spec"), dict):
                return Recognised(ASO, f"Azure Service Operator {doc['kind']}")
            return Recognised(None, f"Azure Service Operator {doc['kind']} without a spec")
        if is_resource_object(doc):
            return Recognised(RESOURCES, f"ARM resource {doc['type']}")
        export = recognise_export(doc)
        if export is not None:
            return Recognised(*export)
        if "kind" in doc and "apiVersion" in doc:
            return Recognised(None, f"Kubernetes manifest ({doc.get('kind')}), not an Azure Service Operator resource")
        return Recognised(None, "JSON/YAML object that is not an Azure definition")
    if isinstance(doc, list):
        if doc and all(is_resource_object(x) for x in doc):
            return Recognised(RESOURCES, f"list of {len(doc)} ARM resources")
        export = recognise_export(doc)
        if export is not None:
            return Recognised(*export)
        return Recognised(None, "list that is not a list of Azure resources")
    return Recognised(None, "scalar document")
