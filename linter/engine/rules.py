"""Load rule records from rules/*.yaml into RuleMeta."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from linter.data import rules_dir, schemas_dir
from linter.model import RuleMeta


class RuleFileError(Exception):
    pass


def _load_yaml(path: Path) -> Any:
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with open(path, "rb") as fh:
        return yaml.load(fh, Loader=loader)


def record_to_meta(data: dict[str, Any], source: str = "") -> RuleMeta:
    spec = {k: data[k] for k in ("when", "schema") if k in data}
    return RuleMeta(
        id=data["id"],
        name=data["name"],
        title=data["title"],
        severity=data["severity"],
        message=data["message"],
        applies_to=tuple(data.get("applies_to", ())),
        remediation=data.get("remediation", ""),
        references=tuple(data.get("references", ())),
        docs=dict(data.get("docs", {})),
        options=dict(data.get("options", {})),
        presets=tuple(data.get("presets", ("recommended", "strict"))),
        equivalents=dict(data.get("equivalents", {})),
        implementation=data.get("implementation", "declarative"),
        spec=spec,
        source=source,
    )


def rule_files(directory: Path | None = None) -> list[Path]:
    return sorted((directory or rules_dir()).glob("*.yaml"))


@lru_cache(maxsize=None)
def load_rules() -> dict[str, RuleMeta]:
    """All rule records, keyed by id, in id order."""
    rules: dict[str, RuleMeta] = {}
    for path in rule_files():
        data = _load_yaml(path)
        if not isinstance(data, dict) or "id" not in data:
            raise RuleFileError(f"{path}: not a rule record")
        if data["id"] in rules:
            raise RuleFileError(f"{path}: duplicate rule id {data['id']}")
        rules[data["id"]] = record_to_meta(data, str(path.name))
    return dict(sorted(rules.items()))


def rule_schema() -> dict[str, Any]:
    import json

    with open(schemas_dir() / "rule.schema.json", encoding="utf-8") as fh:
        return json.load(fh)  # type: ignore[no-any-return]


def validate_record(data: Any) -> list[str]:
    """Errors of one rule record against schemas/rule.schema.json (used by tests and `acrlint rules --check`)."""
    import jsonschema

    validator = jsonschema.Draft202012Validator(rule_schema())
    return [f"{'/'.join(map(str, e.absolute_path)) or '<root>'}: {e.message}" for e in validator.iter_errors(data)]
