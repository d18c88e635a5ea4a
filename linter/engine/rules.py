"""Load rule records from rules/*.yaml into RuleMeta."""
from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from linter.data import rules_dir, schemas_dir
from linter.decode import decode_bytes
from linter.model import RuleMeta


class RuleFileError(Exception):
    pass


def _load_yaml(path: Path) -> Any:
    return _parse_yaml_bytes(path.read_bytes())


DECLARATIVE_KEYS = ("when", "each", "registry", "report")


def record_to_meta(data: dict[str, Any], source: str = "") -> RuleMeta:
    spec: dict[str, Any] = {k: data[k] for k in DECLARATIVE_KEYS if k in data}
    return RuleMeta(
        id=data["id"],
        name=data["name"],
        title=data["title"],
        severity=data["severity"],
        message=data["message"],
        messages=dict(data.get("messages") or {}),
        applies_to=tuple(data.get("applies_to", ())),
        remediation=data.get("remediation", ""),
        references=tuple(data.get("references", ())),
        docs=dict(data.get("docs", {})),
        options=dict(data.get("options", {})),
        presets=tuple(data.get("presets", ("recommended", "strict"))),
        equivalents=dict(data.get("equivalents", {})),
        implementation=data.get("implementation", "declarative"),
        supersedes=tuple(data.get("supersedes", ())),
        spec=spec,
        source=source,
    )


def rule_files(directory: Path | None = None) -> list[Path]:
    """The rule records: rules/*.yaml but the data files beside them (names starting with _)."""
    return sorted(p for p in (directory or rules_dir()).glob("*.yaml") if not p.name.startswith("_"))


BUNDLE = "_bundle.json"
DEFAULTS = "_defaults.yaml"


def _sources(directory: Path | None = None) -> list[tuple[str, bytes]]:
    """The YAML files the bundle is made from: the rule records, then the service defaults."""
    directory = directory or rules_dir()
    files = rule_files(directory)
    defaults = directory / DEFAULTS
    return [(p.name, p.read_bytes()) for p in files] + ([(DEFAULTS, defaults.read_bytes())] if defaults.is_file() else [])


def _sources_hash(sources: list[tuple[str, bytes]]) -> str:
    import hashlib

    h = hashlib.sha256()
    for name, data in sources:
        h.update(name.encode() + b"\0" + data + b"\0")
    return h.hexdigest()


def bundle_text(directory: Path | None = None) -> str:
    """rules/_bundle.json: every record parsed, keyed by the hash of the YAML files it was made from.

    Parsing 60 YAML records costs about 40 ms per run; the bundle is read in 2 ms. It is used only when its hash
    matches the YAML files, so a stale bundle is never wrong, only slower. tools/gen_docs.py writes it."""
    import json

    sources = _sources(directory)
    records = [_parse_yaml_bytes(data) for name, data in sources if name != DEFAULTS]
    defaults = [_parse_yaml_bytes(data) for name, data in sources if name == DEFAULTS]
    # keys in the order the records write them (messages and options are shown in that order)
    return json.dumps({"hash": _sources_hash(sources), "records": records, "defaults": defaults[0] if defaults else {}},
                      ensure_ascii=False) + "\n"


def _parse_yaml_bytes(data: bytes) -> Any:
    """A rule record or the defaults, through the one guarded YAML loader every input goes through."""
    documents = decode_bytes(data, "yaml").documents
    return documents[0] if documents else None


@cache
def _load() -> tuple[list[tuple[str, Any]], Any]:
    """(rule file name, parsed record) of every rule record, and the parsed service defaults: from the bundle when it
    was made from these very files, else from the YAML."""
    import json

    directory = rules_dir()
    sources = _sources(directory)
    names = [name for name, _ in sources if name != DEFAULTS]
    try:
        bundle = json.loads((directory / BUNDLE).read_text(encoding="utf-8"))
        if bundle.get("hash") == _sources_hash(sources) and len(bundle["records"]) == len(names):
            return list(zip(names, bundle["records"])), bundle.get("defaults") or {}
    except (OSError, ValueError, AttributeError, KeyError, TypeError):
        pass
    records = [(name, _parse_yaml_bytes(data)) for name, data in sources if name != DEFAULTS]
    defaults = [_parse_yaml_bytes(data) for name, data in sources if name == DEFAULTS]
    return records, (defaults[0] if defaults else {}) or {}


def severity_of(rule_id: str) -> str:
    """A rule's severity as its record says (before configuration changes it)."""
    return load_rules()[rule_id].severity


@cache
def load_rules() -> dict[str, RuleMeta]:
    """All rule records, keyed by id, in id order."""
    rules: dict[str, RuleMeta] = {}
    for name, data in _load()[0]:
        if not isinstance(data, dict) or "id" not in data:
            raise RuleFileError(f"{name}: not a rule record")
        if data["id"] in rules:
            raise RuleFileError(f"{name}: duplicate rule id {data['id']}")
        rules[data["id"]] = record_to_meta(data, name)
    return dict(sorted(rules.items()))


@cache
def load_defaults() -> dict[str, dict[tuple[str, ...], Any]]:
    """rules/_defaults.yaml: the service default of each property, by lower-case resource type and lower-case path
    (``{"microsoft.containerregistry/registries": {("properties", "publicnetworkaccess"): "Enabled"}}``)."""
    raw = _load()[1]
    if not isinstance(raw, dict):
        raise RuleFileError(f"{DEFAULTS}: not a mapping of resource types")
    out: dict[str, dict[tuple[str, ...], Any]] = {}
    for rtype, table in raw.items():
        if not isinstance(table, dict):
            raise RuleFileError(f"{DEFAULTS}: {rtype}: not a mapping of property paths")
        out[str(rtype).lower()] = {tuple(str(path).lower().split(".")): value for path, value in table.items()}
    return out


def rule_is_on(meta: RuleMeta, *, preset: str, enabled: bool | None, select: list[str] | None, ignore: list[str] | None) -> bool:
    """The one decision whether a rule runs: its preset, unless the configuration turns it on or off;
    ``--select`` (ids or prefixes) picks exactly what it matches; ``--ignore`` wins over everything."""
    on = preset in meta.presets if enabled is None else enabled
    if select:
        on = any(meta.id.upper().startswith(s.upper()) for s in select)
    if ignore and any(meta.id.upper().startswith(s.upper()) for s in ignore):
        on = False
    return on


def rule_schema() -> dict[str, Any]:
    import json

    with open(schemas_dir() / "rule.schema.json", encoding="utf-8") as fh:
        return json.load(fh)  # type: ignore[no-any-return]


def validate_record(data: Any) -> list[str]:
    """Errors of one rule record against schemas/rule.schema.json (used by tests and `acrlint rules --check`)."""
    import jsonschema

    validator = jsonschema.Draft202012Validator(rule_schema())
    return [f"{'/'.join(map(str, e.absolute_path)) or '<root>'}: {e.message}" for e in validator.iter_errors(data)]
