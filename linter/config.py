"""Configuration: the file format, where it is found, precedence, and which rules end up enabled.

API (used by linter/cli.py and linter/settings.py, which turns a Config into linter.context.Options)::

    find_config_file(start: Path) -> Path | None
        .acrlint.yaml, then .acrlint.yml, then a pyproject.toml with a [tool.acrlint] table, in ``start``
        (a directory, or a file's directory) and then each parent up to the repository root (the directory
        holding ``.git``), never above it; the nearest directory wins. Outside a repository: up to ``/``.
    load_config(path: Path | None, known_rules: dict[str, RuleMeta]) -> Config
        Defaults when ``path`` is None. Validates against schemas/config.schema.json, then checks rule ids,
        rule options (declared in RuleMeta.options) and their types. Raises ConfigError with one line
        "<file>: <json path>: <problem>".
    apply_cli(config, *, select, ignore, fail_on, preset, parameters) -> Config
        A new Config with command-line values on top: defaults < file < command line.
    enabled_rules(config, rules) -> list[tuple[RuleMeta, str, dict]]
        (meta, effective severity, effective options) of every enabled rule, in id order.
    describe(config, rules=None) -> str
        Text for `acrlint config`: every effective value and where it came from.
    path_matches(pattern, relpath, base=None) -> bool
        gitignore matching (linter.paths, the one glob engine) of ``exclude`` and suppressions' ``path``, whose
        patterns are relative to the configuration file's directory (config_dir).

The file (YAML, or the same keys under [tool.acrlint] in pyproject.toml)::

    extends: recommended            # or strict
    fail-on: warning                # error | warning | info | never
    exclude: ["/generated/", "*.parameters.json"]   # gitignore patterns, relative to this file's directory
    respect-gitignore: true         # directory walks leave out what git ignores
    max-file-size: 256              # megabytes
    baseline: acrlint-baseline.json # relative to this file's directory
    parameters: {location: westeurope}
    rules:
      ACR401: off                   # or false
      ACR402: warning               # on, with this severity
      ACR415: {severity: warning, allowed_locations: [westeurope]}
      ACR418: on                    # or true; turns on a rule its preset leaves off
    suppressions:
      - {rule: ACR401, path: "legacy/**", resource: "*/oldregistry", reason: "retired in Q3", expires: 2026-09-30}

A rule is enabled when its RuleMeta.presets contains the preset, unless the file says otherwise; any rule
entry other than off/false/``enabled: false`` turns the rule on. ``--select`` (ids or prefixes such as
``ACR3``) enables exactly the matching rules, overriding the file; ``--ignore`` disables matching rules and
wins over ``--select``. Presets are data: the ``presets`` list of each rule record.

Reading pyproject.toml needs ``tomllib`` (Python 3.11+) or the ``tomli`` package on 3.10; without either, a
clear ConfigError says so. acrlint adds no dependency for it.
"""
from __future__ import annotations

import copy
import dataclasses
import difflib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from linter.constants import SEVERITIES, WARNING
from linter.data import schemas_dir
from linter.decode import DecodeError, decode_bytes, read_bytes
from linter.engine.linear_regex import PatternError, compile_pattern
from linter.engine.rules import rule_is_on
from linter.locate import Locator
from linter.model import RuleMeta, Span, join_pointer, split_pointer
from linter.paths import GlobSet, parse
from linter.report.escape import cut

PRESETS = ("recommended", "strict")
FAIL_ON = (*SEVERITIES, "never")
CONFIG_NAMES = (".acrlint.yaml", ".acrlint.yml")
DEFAULT = "default"
COMMAND_LINE = "command line"

_OPTION_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "regex": (str,),  # a pattern for linter.engine.linear_regex: checked when the configuration is read
    "array": (list,),
    "integer": (int,),
    "boolean": (bool,),
}


class ConfigError(Exception):
    """Invalid configuration. ``message`` is one line: "<file>: <json path>: <problem>"."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class RuleSetting:
    enabled: bool = True
    severity: str | None = None
    options: dict[str, Any] = field(default_factory=dict)


@dataclass
class Suppression:
    rule: str
    path: str | None = None  # gitignore glob on the finding's file, relative to ``base``
    resource: str | None = None  # fnmatch pattern on the finding's resource, case-insensitive
    reason: str | None = None
    expires: date | None = None  # from this day on it no longer suppresses
    source: str = ""  # the config file it came from
    index: int = 0  # position in the file's `suppressions` list
    base: str | None = None  # the directory ``path`` is relative to (the configuration file's)
    span: Any = None  # linter.model.Span of the entry in the configuration file, when known

    @property
    def pointer(self) -> str:
        return f"/suppressions/{self.index}"


@dataclass
class Config:
    preset: str = "recommended"
    rules: dict[str, RuleSetting] = field(default_factory=dict)
    exclude: list[str] = field(default_factory=list)
    fail_on: str = WARNING
    parameters: dict[str, Any] = field(default_factory=dict)
    suppressions: list[Suppression] = field(default_factory=list)
    # effective key -> "default" | "<file>" | "command line". Keys: extends, fail-on, exclude, suppressions,
    # select, ignore, rules.<ID>, parameters.<name>
    sources: dict[str, str] = field(default_factory=dict)
    select: list[str] | None = None  # from --select: only these ids/prefixes
    ignore: list[str] = field(default_factory=list)  # from --ignore
    path: Path | None = None  # the config file, if any
    respect_gitignore: bool | None = None  # None: not said (directory walks honour .gitignore)
    max_file_size: float | None = None  # megabytes
    baseline: str | None = None  # relative to the configuration file's directory


def _default_sources() -> dict[str, str]:
    return {key: DEFAULT for key in ("extends", "fail-on", "exclude", "suppressions")}


# ---------------------------------------------------------------------------------------------------------
# finding the file


_TOOL_TABLE = re.compile(r"^\s*\[\s*tool\s*\.\s*acrlint\s*[\].]", re.MULTILINE)


def _pyproject_has_table(path: Path) -> bool:
    try:
        text = _read_config_bytes(path).decode("utf-8")
    except (OSError, UnicodeDecodeError, ConfigError):
        return False
    # A cheap textual test (no TOML parser needed to find the file); dotted keys such as
    # `tool.acrlint.fail-on = ...` under [tool] are not recognised, tables are.
    return bool(_TOOL_TABLE.search(text))


def find_config_file(start: Path) -> Path | None:
    start = start.resolve()
    directory = start if start.is_dir() else start.parent
    for d in (directory, *directory.parents):
        for name in CONFIG_NAMES:
            candidate = d / name
            if candidate.is_file():
                return candidate
        pyproject = d / "pyproject.toml"
        if pyproject.is_file() and _pyproject_has_table(pyproject):
            return pyproject
        if (d / ".git").exists():  # the repository root: a file above it belongs to someone else
            return None
    return None


MAX_CONFIG_SIZE = 16 * 1024 * 1024  # a configuration file (or pyproject.toml) larger than this is refused


def _read_config_bytes(path: Path) -> bytes:
    """The file's bytes through the guarded reader every input uses (regular files, size checked first)."""

    try:
        return read_bytes(str(path), MAX_CONFIG_SIZE)
    except DecodeError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.message}") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from None


# ---------------------------------------------------------------------------------------------------------
# reading and validating


def json_path(tokens: Iterable[Any]) -> str:
    out = "$"
    for t in tokens:
        if isinstance(t, int):
            out += f"[{t}]"
        elif re.fullmatch(r"[A-Za-z_][A-Za-z0-9_-]*", str(t)):
            out += f".{t}"
        else:
            out += "[" + json.dumps(str(t)) + "]"
    return out


def _did_you_mean(word: str, candidates: Iterable[str]) -> str:
    pool = list(candidates)
    matches = difflib.get_close_matches(word, pool, n=1, cutoff=0.6)
    if not matches:
        lowered = {c.lower(): c for c in pool}
        if word.lower() in lowered:
            matches = [lowered[word.lower()]]
    return f"; did you mean {matches[0]!r}?" if matches else ""


def _load_yaml(path: Path) -> tuple[Any, str]:
    """The file's one YAML document and its text, decoded as templates are (linter.decode: depth, alias and size
    limits, no tags that construct objects, dates kept as text); duplicate keys are an error at their position."""

    data = _read_config_bytes(path)
    try:
        decoded = decode_bytes(data, "yaml")
    except DecodeError as exc:
        if exc.message == "file is empty":
            return None, ""
        where = f"{path}:{exc.line}:{exc.column}" if exc.line else str(path)
        raise ConfigError(f"{where}: invalid YAML: {exc.message}") from None
    if len(decoded.documents) > 1:
        raise ConfigError(f"{path}: invalid YAML: expected one document, found {len(decoded.documents)}")
    if decoded.duplicates:

        doc, pointer = decoded.duplicates[0]
        span, _ = Locator(decoded.text, "yaml").span(doc, pointer)  # the (last) value of the repeated key
        key = split_pointer(pointer)[-1]
        line, column = _key_before(decoded.text, span.line, span.column, key)
        raise ConfigError(f"{path}:{line}:{column}: duplicate key {cut(key)!r}")
    return (decoded.documents[0] if decoded.documents else None), decoded.text


def _key_before(text: str, line: int, column: int, key: str) -> tuple[int, int]:
    """Where ``key`` is written at or before the value at (line, column): a key precedes its value."""
    lines = text.splitlines()
    for number in range(line, max(line - 50, 0), -1):
        row = lines[number - 1] if number <= len(lines) else ""
        at = row.rfind(key, 0, column - 1 if number == line else len(row))
        if at >= 0:
            quoted = at > 0 and row[at - 1] in "'\"" and row[at + len(key):at + len(key) + 1] == row[at - 1]
            return number, at + (0 if quoted else 1)
    row = lines[line - 1] if 0 < line <= len(lines) else ""
    start = len(row) - len(row.lstrip())
    return (line, start + 1) if start + 1 < column else (line, column)  # a key written with escapes: its line


class _Positions:
    """Line and column of a JSON path in the configuration file's text: YAML through linter.locate, TOML
    (pyproject.toml) by its table headers and keys."""

    def __init__(self, text: str, fmt: str) -> None:
        self.text, self.fmt = text, fmt

    def at(self, path: list[Any], key: bool = False) -> tuple[int, int] | None:
        """The value at ``path`` (``key``: the key that names it)."""
        if not self.text:
            return None
        try:
            if self.fmt == "toml":
                return _toml_position(self.text, path)

            span, located = Locator(self.text, "yaml").span(0, join_pointer("", *path) if path else "")
            if key and path and located == join_pointer("", *path) and isinstance(path[-1], str):
                return _key_before(self.text, span.line, span.column, path[-1])
            return span.line, span.column
        except Exception:  # a position is a courtesy: never let it hide the error itself
            return None


_TOML_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$")
_TOML_KEY = re.compile(r"^(\s*)((?:[A-Za-z0-9_-]+|\"[^\"]*\"|'[^']*')(?:\s*\.\s*(?:[A-Za-z0-9_-]+|\"[^\"]*\"|'[^']*'))*)\s*=")


def _toml_keys(text: str) -> list[str]:
    return [k.strip().strip("\"'") for k in re.findall(r"[A-Za-z0-9_-]+|\"[^\"]*\"|'[^']*'", text)]


def _toml_position(text: str, path: list[Any]) -> tuple[int, int] | None:
    """The line and column of the key (or array-of-tables header) that comes closest to ``path`` (which starts
    with tool, acrlint). Inline tables and arrays are not looked into: their key's line is given."""
    best: tuple[int, tuple[int, int]] | None = None
    table: list[Any] = []
    counts: dict[tuple[Any, ...], int] = {}
    for number, row in enumerate(text.splitlines(), 1):
        header = _TOML_HEADER.match(row)
        if header:
            table = _toml_keys(header.group(2))
            if header.group(1) == "[[":
                index = counts[tuple(table)] = counts.get(tuple(table), -1) + 1
                table = [*table, index]
            full = table
            column = row.index("[") + 1
        else:
            member = _TOML_KEY.match(row)
            if not member:
                continue
            full = table + _toml_keys(member.group(2))
            column = len(member.group(1)) + 1
        depth = 0
        while depth < min(len(full), len(path)) and str(full[depth]) == str(path[depth]):
            depth += 1
        if depth == len(full) and (best is None or depth > best[0]):
            best = (depth, (number, column))
    return best[1] if best else None


def _load_toml(path: Path) -> tuple[Any, str]:
    try:
        import tomllib  # type: ignore[import-not-found, unused-ignore]
    except ImportError:  # Python 3.10
        try:
            import tomli as tomllib  # type: ignore[import-not-found, no-redef, unused-ignore]
        except ImportError:
            raise ConfigError(
                f"{path}: $.tool.acrlint: reading pyproject.toml needs Python 3.11+ or the 'tomli' package; "
                "install tomli or use .acrlint.yaml"
            ) from None
    raw = _read_config_bytes(path)
    try:
        text = raw.decode("utf-8")
        data = tomllib.loads(text)
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: cannot read: invalid UTF-8 ({exc.reason})") from None
    except tomllib.TOMLDecodeError as exc:
        at = re.search(r" \(at line (\d+), column (\d+)\)$", str(exc))
        if at:
            raise ConfigError(f"{path}:{at.group(1)}:{at.group(2)}: invalid TOML: {str(exc)[:at.start()]}") from None
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    except RecursionError:  # tomllib descends recursively into nested arrays and inline tables
        raise ConfigError(f"{path}: invalid TOML: nested too deeply") from None
    except ValueError as exc:  # an integer beyond Python's integer-string limit
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    return data.get("tool", {}).get("acrlint", {}), text


def _normalise(value: Any) -> Any:
    """YAML and TOML turn YYYY-MM-DD into date objects; JSON Schema sees strings."""
    if isinstance(value, date):
        return value.isoformat()[:10]
    if isinstance(value, dict):
        return {k: _normalise(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_normalise(v) for v in value]
    return value


@lru_cache(maxsize=1)
def _validator() -> Any:
    import jsonschema

    with open(schemas_dir() / "config.schema.json", encoding="utf-8") as fh:
        schema = json.load(fh)
    return jsonschema.Draft202012Validator(schema)


_JSON_TYPES = {dict: "mapping", list: "list", str: "string", bool: "boolean", int: "integer", float: "number", type(None): "null"}


def _type_name(value: Any) -> str:
    return _JSON_TYPES.get(type(value), type(value).__name__)


def _schema_problem(error: Any, known_rules: dict[str, RuleMeta]) -> tuple[list[Any], str, bool]:
    """(path, problem in words, whether the path ends at a key rather than a value) for one jsonschema error."""
    path = list(error.absolute_path)
    v, inst, schema = error.validator, error.instance, error.schema
    if v == "additionalProperties" and isinstance(inst, dict):
        allowed = list(schema.get("properties", {}))
        extra = [k for k in inst if k not in allowed]
        if extra:
            return path + [extra[0]], f"unknown key {extra[0]!r}{_did_you_mean(str(extra[0]), allowed)}", True
    if "propertyNames" in error.schema_path:  # the instance is the key itself; the path is its mapping's
        return path + [inst], _rule_id_problem(str(inst), known_rules, "invalid"), True
    if v == "type":
        wanted = error.validator_value
        wanted_text = " or ".join(wanted) if isinstance(wanted, list) else str(wanted)
        wanted_text = wanted_text.replace("object", "mapping").replace("array", "list")
        return path, f"expected {wanted_text}, got {_type_name(inst)} {json.dumps(inst, default=str)}", False
    if v in ("enum", "const"):
        options = error.validator_value if v == "enum" else [error.validator_value]
        return path, f"expected one of {', '.join(map(str, options))}; got {json.dumps(inst, default=str)}", False
    if v == "required":
        missing = [r for r in error.validator_value if isinstance(inst, dict) and r not in inst]
        return path, f"missing required key {missing[0] if missing else error.validator_value[0]!r}", False
    if v == "pattern":
        if path and path[-1] == "expires":
            return path, f"expected a date YYYY-MM-DD; got {json.dumps(inst)}", False
        if path and path[-1] == "rule":
            return path, _rule_id_problem(str(inst), known_rules, "invalid"), False
        return path, f"{json.dumps(inst)} does not match {error.validator_value}", False
    if v == "minLength":
        return path, "must not be empty", False
    return path, error.message, False


def _span_at(at: _Positions, path: list[Any]) -> Any:
    where = at.at(path)
    return Span(where[0], where[1], where[0], where[1] + 1) if where else None


def _error(source: str, prefix: list[Any], path: list[Any], problem: str, positions: _Positions | None = None,
           key: bool = False) -> ConfigError:
    """"<file>:<line>:<column>: <json path>: <problem>" (without the position when it is not known)."""
    where = positions.at(prefix + path, key) if positions is not None else None
    at = f"{source}:{where[0]}:{where[1]}" if where else source
    return ConfigError(f"{at}: {json_path(prefix + path)}: {problem}")


def _rule_setting(value: Any) -> RuleSetting:
    if isinstance(value, bool):
        return RuleSetting(enabled=value)
    if isinstance(value, str):
        if value in ("on", "off"):
            return RuleSetting(enabled=value == "on")
        return RuleSetting(enabled=True, severity=value)
    body = dict(value)
    enabled = body.pop("enabled", True)
    severity = body.pop("severity", None)
    return RuleSetting(enabled=bool(enabled), severity=severity, options=body)


def _check_option(meta: RuleMeta, name: str, value: Any) -> str | None:
    spec = meta.options.get(name)
    if spec is None:
        if not meta.options:
            return f"unknown option {name!r}: rule {meta.id} has no options"
        known = ", ".join(sorted(meta.options))
        return f"unknown option {name!r} for rule {meta.id}{_did_you_mean(name, meta.options)} (options: {known})"
    expected = str(spec.get("type", ""))
    types = _OPTION_TYPES.get(expected)
    if types is None:
        return None
    ok = isinstance(value, types) and not (expected == "integer" and isinstance(value, bool))
    if not ok:
        shown = {"array": "list", "regex": "string"}.get(expected, expected)
        return f"expected {shown}, got {_type_name(value)} {json.dumps(value, default=str)}"
    if expected == "regex" and value:

        try:
            compile_pattern(value)
        except PatternError as exc:
            return f"not a usable pattern: {exc}"
    return None


_LOOKALIKE_DIGITS = str.maketrans({"O": "0", "I": "1", "L": "1"})


def suggest_rule_id(word: str, known: Iterable[str]) -> str:
    """"; did you mean 'ACR401'?" for a mistyped rule id (or ""): the id with letters that look like digits
    read as digits (ACR4O1), the first id it is a prefix of (ACR40), else the closest id."""
    pool = sorted(known)
    upper = word.upper()
    fixed = upper[:3] + upper[3:].translate(_LOOKALIKE_DIGITS)
    if fixed != upper and fixed in pool:
        return f"; did you mean {fixed!r}?"
    longer = [k for k in pool if k.startswith(upper) and k != upper]
    if longer and len(upper) > 3:
        return f"; did you mean {longer[0]!r}?"
    return _did_you_mean(word, pool)


def _rule_id_problem(rule_id: str, known_rules: dict[str, RuleMeta], what: str = "unknown") -> str:
    by_name = {m.name: rid for rid, m in known_rules.items()}
    hint = suggest_rule_id(rule_id, known_rules)
    if rule_id in by_name:
        hint = f"; did you mean {by_name[rule_id]!r}?"
    elif what == "invalid" and not hint:
        hint = " (expected ACR and three digits)"
    return f"{what} rule id {rule_id!r}{hint}"


_SIMPLE_KEYS: dict[str, tuple[str, Any]] = {
    "extends": ("preset", str), "fail-on": ("fail_on", str), "exclude": ("exclude", list),
    "respect-gitignore": ("respect_gitignore", bool), "max-file-size": ("max_file_size", float), "baseline": ("baseline", str),
}


def load_config(path: Path | None, known_rules: dict[str, RuleMeta]) -> Config:
    if path is None:
        return Config(sources=_default_sources())
    source = str(path)
    prefix: list[Any] = []
    if path.name == "pyproject.toml":
        raw, text = _load_toml(path)
        prefix = ["tool", "acrlint"]
        at = _Positions(text, "toml")
    else:
        raw, text = _load_yaml(path)
        at = _Positions(text, "yaml")
    if raw is None:  # an empty file
        raw = {}
    data = _normalise(raw)
    if not isinstance(data, dict):
        raise _error(source, prefix, [], f"expected a mapping, got {_type_name(data)}", at)

    errors = list(_validator().iter_errors(data))
    if errors:
        import jsonschema

        best = jsonschema.exceptions.best_match(errors)
        err_path, problem, is_key = _schema_problem(best, known_rules)
        raise _error(source, prefix, err_path, problem, at, key=is_key)

    config = Config(sources=_default_sources(), path=path)
    # key in the file -> (Config attribute, conversion); the schema has checked the types
    for key, (attribute, convert) in _SIMPLE_KEYS.items():
        if key in data:
            setattr(config, attribute, convert(data[key]))
            config.sources[key] = source
    for name, value in data.get("parameters", {}).items():
        config.parameters[name] = value
        config.sources[f"parameters.{name}"] = source

    for rule_id, value in data.get("rules", {}).items():
        meta = known_rules.get(rule_id)
        if meta is None:
            raise _error(source, prefix, ["rules", rule_id], _rule_id_problem(rule_id, known_rules), at, key=True)
        setting = _rule_setting(value)
        if setting.severity is not None and setting.severity not in SEVERITIES:  # the schema already says so
            raise _error(source, prefix, ["rules", rule_id, "severity"], f"bad severity {setting.severity!r}", at)
        for name, option in setting.options.items():
            option_problem = _check_option(meta, name, option)
            if option_problem:
                raise _error(source, prefix, ["rules", rule_id, name], option_problem, at, key=name not in meta.options)
        config.rules[rule_id] = setting
        config.sources[f"rules.{rule_id}"] = source

    for index, item in enumerate(data.get("suppressions", [])):
        if item["rule"] not in known_rules:
            raise _error(source, prefix, ["suppressions", index, "rule"], _rule_id_problem(item["rule"], known_rules), at)
        expires = None
        if "expires" in item:
            try:
                expires = date.fromisoformat(item["expires"])
            except ValueError:
                problem = f"not a valid date: {item['expires']!r}"
                raise _error(source, prefix, ["suppressions", index, "expires"], problem, at) from None
        if str(item.get("path", "")).startswith("!"):
            raise _error(source, prefix, ["suppressions", index, "path"], "a suppression's path cannot be negated with '!' "
                         "(it says which files the suppression covers)", at)
        config.suppressions.append(
            Suppression(
                rule=item["rule"],
                path=item.get("path"),
                resource=item.get("resource"),
                reason=item.get("reason") or None,
                expires=expires,
                source=source,
                index=index,
                base=config_dir(config),
                span=_span_at(at, prefix + ["suppressions", index]),
            )
        )
    if "suppressions" in data:
        config.sources["suppressions"] = source
    return config


# ---------------------------------------------------------------------------------------------------------
# command line and the effective rule set


def apply_cli(
    config: Config,
    *,
    select: list[str] | None,
    ignore: list[str] | None,
    fail_on: str | None,
    preset: str | None,
    parameters: dict[str, Any] | None,
) -> Config:
    """Command-line values over the file's. Raises ConfigError for a bad preset or fail-on value."""
    out = dataclasses.replace(
        config,
        rules=copy.deepcopy(config.rules),
        exclude=list(config.exclude),
        parameters=dict(config.parameters),
        suppressions=list(config.suppressions),
        sources=dict(config.sources),
        select=list(config.select) if config.select is not None else None,
        ignore=list(config.ignore),
    )
    if preset is not None:
        if preset not in PRESETS:
            raise ConfigError(f"{COMMAND_LINE}: --preset: expected one of {', '.join(PRESETS)}; got {preset!r}")
        out.preset = preset
        out.sources["extends"] = COMMAND_LINE
    if fail_on is not None:
        if fail_on not in FAIL_ON:
            raise ConfigError(f"{COMMAND_LINE}: --fail-on: expected one of {', '.join(FAIL_ON)}; got {fail_on!r}")
        out.fail_on = fail_on
        out.sources["fail-on"] = COMMAND_LINE
    if select is not None:
        out.select = [s.strip().upper() for s in select if s.strip()]
        out.sources["select"] = COMMAND_LINE
    if ignore:
        out.ignore = out.ignore + [s.strip().upper() for s in ignore if s.strip()]
        out.sources["ignore"] = COMMAND_LINE
    for name, value in (parameters or {}).items():
        out.parameters[name] = value
        out.sources[f"parameters.{name}"] = COMMAND_LINE
    return out


def extend_selection(config: Config, selectors: list[str], rules: dict[str, RuleMeta]) -> Config:
    """``--extend-select``: the rules matching ``selectors`` (ids or prefixes) run on top of what the preset,
    the file and ``--select`` choose (``--ignore`` still wins). Raises ConfigError for a selector that matches
    no rule."""
    wanted = [s.strip().upper() for s in selectors if s.strip()]
    for selector in wanted:
        if not any(rid.startswith(selector) for rid in rules):
            raise ConfigError(f"{COMMAND_LINE}: --extend-select: {selector!r} matches no rule")
    if not wanted:
        return config
    out = dataclasses.replace(config, rules=copy.deepcopy(config.rules), sources=dict(config.sources))
    if out.select is not None:
        out.select = list(out.select) + wanted
        return out
    for rid in rules:
        if _matches_any(rid, wanted):
            setting = out.rules.get(rid) or RuleSetting()
            out.rules[rid] = dataclasses.replace(setting, enabled=True)
            out.sources[f"rules.{rid}"] = COMMAND_LINE
    return out


def _matches_any(rule_id: str, selectors: Iterable[str]) -> bool:
    return any(rule_id.startswith(s) for s in selectors)


def enabled_rules(config: Config, rules: dict[str, RuleMeta]) -> list[tuple[RuleMeta, str, dict[str, Any]]]:
    """Raises ConfigError when a --select/--ignore selector matches no known rule."""
    for flag, selectors in (("--select", config.select or []), ("--ignore", config.ignore)):
        for selector in selectors:
            if not any(rid.startswith(selector) for rid in rules):
                raise ConfigError(f"{COMMAND_LINE}: {flag}: {selector!r} matches no rule")
    out: list[tuple[RuleMeta, str, dict[str, Any]]] = []
    for rule_id in sorted(rules):
        meta = rules[rule_id]
        setting = config.rules.get(rule_id)
        enabled = setting.enabled if setting is not None else None
        if not rule_is_on(meta, preset=config.preset, enabled=enabled, select=config.select, ignore=config.ignore):
            continue
        severity = (setting.severity if setting else None) or meta.severity
        options = {name: copy.deepcopy(spec.get("default")) for name, spec in meta.options.items()}
        if setting:
            options.update(copy.deepcopy(setting.options))
        out.append((meta, severity, options))
    return out


# ---------------------------------------------------------------------------------------------------------
# paths


def path_matches(pattern: str, relpath: str, base: str | None = None) -> bool:
    """Whether the glob ``pattern`` (gitignore semantics, relative to ``base``: the working directory when None)
    excludes ``relpath`` (relative to the working directory, or absolute). linter.paths is the one engine."""
    import os

    return bool(_glob_set(pattern, os.path.abspath(base or os.getcwd())).excluded(relpath))


@lru_cache(maxsize=512)
def _glob_set(pattern: str, base: str) -> Any:
    g = parse(pattern, base)
    return GlobSet([g] if g is not None else [])


def config_dir(config: Config) -> str:
    """The directory the configuration's paths are relative to: the configuration file's (the working directory
    when there is none)."""
    import os

    return os.path.dirname(os.path.abspath(config.path)) if config.path is not None else os.getcwd()


# ---------------------------------------------------------------------------------------------------------
# describing


def _show(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


def describe(config: Config, rules: dict[str, RuleMeta] | None = None) -> str:
    """Every effective value and where it came from. With ``rules``, also each rule's effective state."""
    src = config.sources
    lines = [f"config file: {config.path if config.path else '(none)'}"]
    lines.append(f"extends: {config.preset}  [{src.get('extends', DEFAULT)}]")
    lines.append(f"fail-on: {config.fail_on}  [{src.get('fail-on', DEFAULT)}]")
    lines.append(f"exclude: {_show(config.exclude)}  [{src.get('exclude', DEFAULT)}]")
    for key, value in (("respect-gitignore", config.respect_gitignore), ("max-file-size", config.max_file_size), ("baseline", config.baseline)):
        if value is not None:
            lines.append(f"{key}: {_show(value)}  [{src.get(key, DEFAULT)}]")
    if config.select is not None:
        lines.append(f"select: {_show(config.select)}  [{src.get('select', COMMAND_LINE)}]")
    if config.ignore:
        lines.append(f"ignore: {_show(config.ignore)}  [{src.get('ignore', COMMAND_LINE)}]")
    lines.append("parameters:" + ("" if config.parameters else " {}"))
    for name in sorted(config.parameters):
        lines.append(f"  {name}: {_show(config.parameters[name])}  [{src.get('parameters.' + name, DEFAULT)}]")
    lines.append("suppressions:" + ("" if config.suppressions else f" []  [{src.get('suppressions', DEFAULT)}]"))
    for s in config.suppressions:
        parts = [f"rule={s.rule}"]
        if s.path:
            parts.append(f"path={s.path}")
        if s.resource:
            parts.append(f"resource={s.resource}")
        if s.expires:
            parts.append(f"expires={s.expires.isoformat()}")
        parts.append(f"reason={_show(s.reason)}")
        lines.append(f"  - {' '.join(parts)}  [{s.source or DEFAULT}]")
    if rules is None:
        lines.append("rules:" + ("" if config.rules else " {}"))
        for rule_id in sorted(config.rules):
            lines.append(f"  {rule_id}: {_describe_setting(config.rules[rule_id])}  [{src.get('rules.' + rule_id, DEFAULT)}]")
    else:
        lines.append("rules:")
        effective = {meta.id: (severity, options) for meta, severity, options in enabled_rules(config, rules)}
        for rule_id in sorted(rules):
            if rule_id in effective:
                severity, options = effective[rule_id]
                state = severity + "".join(f", {k}={_show(v)}" for k, v in sorted(options.items()))
            else:
                state = "off"
            lines.append(f"  {rule_id} {rules[rule_id].name}: {state}  [{_rule_source(config, rules[rule_id])}]")
    return "\n".join(lines) + "\n"


def _describe_setting(setting: RuleSetting) -> str:
    if not setting.enabled:
        return "off"
    text = setting.severity or "on"
    return text + "".join(f", {k}={_show(v)}" for k, v in sorted(setting.options.items()))


def _rule_source(config: Config, meta: RuleMeta) -> str:
    rid = meta.id
    if _matches_any(rid, config.ignore) or config.select is not None:
        return COMMAND_LINE
    if rid in config.rules:
        return config.sources.get(f"rules.{rid}", DEFAULT)
    where = config.sources.get("extends", DEFAULT)
    return f"preset {config.preset} ({where})" if where != DEFAULT else f"preset {config.preset}"
