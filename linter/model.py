"""Core data model shared by every stage: Span, Finding, RuleMeta, Resource, Unknown.

Every other module imports from here; this module imports nothing from the package.
"""
from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any


class _Missing:
    """Sentinel for an absent property (distinct from JSON null)."""

    _instance: _Missing | None = None

    def __new__(cls) -> _Missing:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "MISSING"

    def __bool__(self) -> bool:
        return False


MISSING: Any = _Missing()

UNKNOWN_PART = "\x00"  # an unknown part of a string, in Unknown.shape


class Unknown:
    """A value that cannot be known before deployment.

    ``origin`` says where it came from when that matters for relating resources, as a tuple such as
    ``("ref", "<lower-case resource id>", full, "identity", "principalId")`` for
    ``reference(id, api, 'Full').identity.principalId``. Two Unknowns with the same non-empty origin
    compare equal (they denote the same runtime value); otherwise an Unknown only equals itself.
    ``reason`` is a short human text (for -v / --strict output).
    ``shape`` is what is known of a string built around unknown parts: the string with each unknown part written
    as ``UNKNOWN_PART`` ("Microsoft.ContainerRegistry/registries/\x00" from ``format(..., parameters('name'))``), so
    that a rule can still tell that a scope is a registry whose name is not known. It never makes two Unknowns equal.
    """

    __slots__ = ("origin", "reason", "shape")

    def __init__(self, reason: str = "", origin: tuple[Any, ...] | None = None, shape: str | None = None) -> None:
        self.reason = reason
        self.origin = origin
        self.shape = shape

    def member(self, name: Any) -> Unknown:
        """Property access or indexing on an unknown value keeps the origin chain."""
        if self.origin is None:
            return Unknown(self.reason)
        key = name.lower() if isinstance(name, str) else name
        return Unknown(self.reason, self.origin + (key,))

    def __eq__(self, other: object) -> bool:
        if self is other:
            return True
        if isinstance(other, Unknown) and self.origin is not None:
            return self.origin == other.origin
        return False

    def __hash__(self) -> int:
        return hash(self.origin) if self.origin is not None else id(self)

    def __repr__(self) -> str:
        if self.origin is not None:
            return f"Unknown({self.origin!r})"
        return f"Unknown({self.reason!r})" if self.reason else "Unknown()"


def contains_unknown(value: Any, _depth: int = 0) -> bool:
    """True when ``value`` is Unknown or holds an Unknown anywhere inside."""
    if isinstance(value, Unknown):
        return True
    if _depth > 200:
        return False
    if isinstance(value, dict):
        return any(contains_unknown(v, _depth + 1) for v in value.values())
    if isinstance(value, list):
        return any(contains_unknown(v, _depth + 1) for v in value)
    return False


def ci_key(obj: dict[Any, Any], name: str) -> Any:
    """The key of ``obj`` that is ``name`` ignoring case (ARM property names are case-insensitive), the exact
    spelling first; None when there is none."""
    if name in obj:
        return name
    low = name.lower()
    for k in obj:
        if isinstance(k, str) and k.lower() == low:
            return k
    return None


MAX_VALUE = 120  # characters of one value quoted in a message


def cut(text: str, limit: int = MAX_VALUE) -> str:
    """``text`` shortened to about ``limit`` characters, keeping its start and its end around an ellipsis: a
    value quoted in a message (a name, an expression, a YAML tag) can be megabytes long."""
    if len(text) <= limit:
        return text
    head = max(limit * 2 // 3, 1)
    tail = max(limit - head - 3, 0)
    return text[:head] + "..." + (text[-tail:] if tail else "")


def escape_pointer_token(token: Any) -> str:
    return str(token).replace("~", "~0").replace("/", "~1")


def join_pointer(base: str, *tokens: Any) -> str:
    text = "/".join(map(str, tokens))  # every finding's pointer is joined here: escape only when needed
    if "~" in text or text.count("/") != len(tokens) - 1:
        text = "/".join(escape_pointer_token(t) for t in tokens)
    return base + "/" + text if tokens else base


def split_pointer(pointer: str) -> list[str]:
    if not pointer:
        return []
    return [t.replace("~1", "/").replace("~0", "~") for t in pointer.split("/")[1:]]


@dataclass(frozen=True)
class Span:
    """1-based line and column of the start, and of the end (exclusive column) of a value."""

    line: int
    column: int
    end_line: int
    end_column: int


@dataclass(frozen=True)
class Finding:
    rule_id: str
    severity: str
    message: str
    file: str
    pointer: str = ""
    doc: int = 0  # document index inside a multi-document YAML file
    span: Span | None = None
    resource: str | None = None  # "type/name" or a resource ID
    suppressed: str | None = None  # reason when suppressed
    suppression_kind: str | None = None  # "inSource" | "external" | "baseline"
    repo_path: str | None = None  # ``file`` relative to the run's root (the repository root): set by the pipeline

    @property
    def fingerprint(self) -> str:
        """Stable across line moves and however the path was typed: rule, file (relative to the repository root,
        ``repo_path``, when the pipeline has set it), resource, pointer."""
        path = self.repo_path if self.repo_path is not None else self.file
        key = "\x1f".join((self.rule_id, path, self.resource or "", str(self.doc), self.pointer))
        return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:32]  # a lone surrogate cannot stop a run

    @classmethod
    def of_rule(cls, rule_id: str, severity: str, message: str, file: str, pointer: str, doc: int, resource: str | None) -> Finding:
        """A rule's finding, built without the frozen dataclass __init__ (4 us -> under 1 us; rules build tens
        of thousands on a big export). Same fields and defaults as Finding(...)."""
        new = object.__new__(cls)
        new.__dict__.update(
            rule_id=rule_id, severity=severity, message=message, file=file, pointer=pointer, doc=doc, span=None,
            resource=resource, suppressed=None, suppression_kind=None, repo_path=None,
        )
        return new

    def evolve(self, **changes: Any) -> Finding:
        """A copy with ``changes``: dataclasses.replace without re-running __init__ (about 10x faster,
        which counts when a run locates tens of thousands of findings)."""
        new = object.__new__(Finding)
        new.__dict__.update(self.__dict__)
        new.__dict__.update(changes)
        return new

    def sort_key(self) -> tuple[Any, ...]:
        s = self.span
        return (self.file, s.line if s else 0, s.column if s else 0, self.rule_id, self.pointer, self.message)


@dataclass(frozen=True)
class RuleMeta:
    """One record for declarative and Python rules alike (loaded from rules/*.yaml)."""

    id: str
    name: str
    title: str
    severity: str
    message: str
    messages: dict[str, str] = field(default_factory=dict)  # named variants of message, chosen by the rule
    applies_to: tuple[str, ...] = ()
    remediation: str = ""
    references: tuple[str, ...] = ()
    docs: dict[str, Any] = field(default_factory=dict)
    options: dict[str, Any] = field(default_factory=dict)  # name -> {type, default, description}
    presets: tuple[str, ...] = ("recommended", "strict")
    equivalents: dict[str, Any] = field(default_factory=dict)
    implementation: str = "declarative"  # or "python" or "builtin"
    supersedes: tuple[str, ...] = ()  # rules whose finding at the same place is the same defect, said less precisely
    spec: dict[str, Any] = field(default_factory=dict)  # declarative part: when, each, registry, report
    source: str = ""  # file the record came from


@dataclass
class Resource:
    """One Azure resource after expansion, in ARM shape.

    ``body`` is the evaluated resource object as ARM sees it (``type``, ``name``, ``apiVersion``,
    ``location``, ``sku``, ``identity``, ``properties``, ``scope`` ...). Values may be ``Unknown``.
    ``pointer`` is the RFC 6901 pointer to the resource's object in its file. ``path_map`` translates a
    path in ARM shape into a path in the source document (for flattened ``az acr show`` output and ASO
    manifests); ``None`` means the shapes are the same.
    """

    type: str
    name: Any
    id: Any
    body: dict[str, Any]
    file: str
    pointer: str = ""
    doc: int = 0
    api_version: Any = None
    path_map: Callable[[tuple[Any, ...]], tuple[Any, ...]] | None = None
    copy_index: int | None = None
    condition: str | None = None  # source text of a condition that could not be evaluated
    existing: bool = False
    source_kind: str = "arm"  # arm | az | aso | arm-yaml
    symbolic_name: str | None = None
    deployment_path: tuple[str, ...] = ()  # names of enclosing nested deployments
    extra: dict[str, Any] = field(default_factory=dict)
    # (analysis,) once linter.checks.apischema has analysed the resource: made once in a run, shared by its rules
    analysis: tuple[Any] | None = field(default=None, compare=False, repr=False)

    @property
    def type_lower(self) -> str:
        return self.type.lower()

    @property
    def id_lower(self) -> str | None:
        return self.id.lower() if isinstance(self.id, str) else None

    @property
    def display(self) -> str:
        name = self.name if isinstance(self.name, str) else "<unknown>"
        return f"{self.type}/{name}"

    @property
    def label(self) -> str:
        """Short name for messages: the resource's name, plus the copy index when from a loop."""
        raw = self.extra.get("raw_name")
        name = self.name if isinstance(self.name, str) else (self.symbolic_name or (raw if isinstance(raw, str) else "<unknown name>"))
        if self.copy_index is not None:
            name += f" [index {self.copy_index}]"
        return name

    def get(self, *path: Any, default: Any = MISSING) -> Any:
        """Value at ``path`` in the body (case-insensitive keys), or ``default`` when absent."""
        return value_at(self.body, path, default)

    def source_path(self, path: tuple[Any, ...]) -> tuple[Any, ...]:
        """Path in the source document (relative to ``pointer``) for an ARM-shaped path."""
        path = self._actual_keys(path)
        return self.path_map(path) if self.path_map else path

    def _actual_keys(self, path: tuple[Any, ...]) -> tuple[Any, ...]:
        """Replace keys with the spelling the document actually uses (keys are case-insensitive)."""
        out: list[Any] = []
        cur: Any = self.body
        for key in path:
            if isinstance(cur, dict) and isinstance(key, str) and key not in cur:
                key = ci_key(cur, key) or key
            out.append(key)
            if isinstance(cur, dict):
                cur = cur.get(key)
            elif isinstance(cur, list) and isinstance(key, int) and 0 <= key < len(cur):
                cur = cur[key]
            else:
                cur = None
        return tuple(out)

    def pointer_for(self, *path: Any) -> str:
        return join_pointer(self.pointer, *self.source_path(path))


def value_at(node: Any, path: tuple[Any, ...], default: Any = MISSING) -> Any:
    """The value at ``path`` in ``node`` (keys ignore case, as ARM's do), ``default`` when absent; an Unknown on the way
    gives an Unknown (its member, keeping the origin)."""
    cur = node
    for key in path:
        if isinstance(cur, dict):  # the common case first: rules call this tens of thousands of times
            if key in cur:
                cur = cur[key]
                continue
            found = ci_key(cur, key) if isinstance(key, str) else None
            if found is None:
                return default
            cur = cur[found]
            continue
        if isinstance(cur, Unknown):
            return cur.member(key)
        if isinstance(cur, list) and isinstance(key, int) and 0 <= key < len(cur):
            cur = cur[key]
            continue
        return default
    return cur


def walk(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any]]:
    """Yield (path, value) for every node, depth first."""
    yield path, value
    if isinstance(value, dict):
        for k, v in value.items():
            yield from walk(v, path + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from walk(v, path + (i,))
