"""The decode stage: read a file (regular files only, within --max-file-size) and decode it into documents (a Bicep
file through the Bicep reader, into the template the compiler would emit).

Every input file is read here (``read_path``): the files linted, parameters files and linked templates."""
from __future__ import annotations

import io
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from linter.bicep.pipeline import find_bicepparam, parameter_values, read_bicep
from linter.constants import DUPLICATE_KEY, NOT_FOLLOWED, READ_ERROR
from linter.context import ExplicitParameters, Options, RunContext
from linter.decode import DecodeError, decode_bytes, format_for_path, read_bytes, read_stream
from linter.discover import Target
from linter.engine.rules import severity_of
from linter.model import Finding, Resource, Span, Unknown, join_pointer

_PARAM_NAMES = ("{stem}.parameters.json", "azuredeploy.parameters.json", "main.parameters.json", "parameters.json")


@dataclass
class FileState:
    """One file as it goes through decode, recognise and expand."""

    path: str
    text: str | None = None
    fmt: str | None = None
    documents: list[Any] = field(default_factory=list)
    kinds: list[str | None] = field(default_factory=list)  # what each document is (linter.kinds), None: not ours
    resources: list[Resource] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)  # file-level: read errors, duplicate keys, template issues
    failed: bool = False
    skipped_why: str | None = None
    counts: dict[str, int] = field(default_factory=dict)
    read_also: list[str] = field(default_factory=list)  # parameters files and linked templates read for it


def finding(rule_id: str, message: str, file: str, **where: Any) -> Finding:
    """A finding of a reserved rule, with the severity of its record (the check stage applies configuration)."""
    return Finding(rule_id, severity_of(rule_id), message, file, **where)


def run(ctx: RunContext, target: Target) -> FileState:
    options = ctx.options
    display = options.stdin_filename if target.path == "-" and options.stdin_filename else target.path
    if target.path == "-" and not options.stdin_filename:
        display = "<stdin>"
    state = FileState(display)
    if target.skipped is not None:
        state.skipped_why = target.skipped
        if target.outside:
            state.findings.append(finding(NOT_FOLLOWED, "symbolic link leads outside the linted tree: not followed", display))
        return state
    data, problem = _read(target, options)
    if data is None:
        state.failed = True
        state.findings.append(finding(READ_ERROR, f"cannot read file: {problem}", display))
        return state
    fmt = _format_of(display, data, target.explicit)
    if fmt is None:
        state.skipped_why = "not a JSON, YAML or Bicep file"
        return state
    try:
        decoded = decode_bytes(data, fmt)
    except DecodeError as exc:
        if exc.message == "file is empty":  # blanks only, or the file a shell just created for this run's output
            state.skipped_why = "empty file"
            return state
        if _foreign_syntax_error(data):
            # pre-commit passes every *.json: a tsconfig.json with trailing commas, a CloudFormation or GitLab CI file
            # with its own YAML tags, a binary file, are not ours to judge
            state.skipped_why = f"not valid {'JSON' if fmt == 'json' else 'YAML'} ({exc.message}) and nothing in it looks like an Azure definition"
            return state
        state.failed = True
        state.findings.append(decode_finding(exc, fmt, display))
        return state
    state.text, state.fmt = decoded.text, fmt
    if fmt == "bicep":  # the Bicep reader turns the text into the template the compiler would emit
        document, findings = read_bicep(display, decoded.text, ctx.tree_roots, ctx.bicep)
        state.documents, state.findings = ([document] if document is not None else []), findings
    else:
        state.fmt, state.documents = decoded.fmt, decoded.documents
        for doc_index, pointer in decoded.duplicates:
            key = pointer.rsplit("/", 1)[-1].replace("~1", "/").replace("~0", "~")
            state.findings.append(finding(DUPLICATE_KEY, f"duplicate key '{key}': the last value is used", display, pointer=pointer, doc=doc_index))
    return state


def _read(target: Target, options: Options) -> tuple[bytes | None, str | None]:
    if target.problem:
        return None, target.problem
    try:
        if target.path == "-":
            if options.stdin_data is not None:
                return read_stream(io.BytesIO(options.stdin_data), options.max_file_size), None
            return read_stream(sys.stdin.buffer, options.max_file_size), None
        return read_path(target.path, options), None
    except DecodeError as exc:
        return None, exc.message
    except OSError as exc:
        return None, _os_problem(exc)


def read_path(path: str, options: Options) -> bytes:
    return read_bytes(path, options.max_file_size)


def _os_problem(exc: OSError) -> str:
    if isinstance(exc, IsADirectoryError):
        return "is a directory"
    if isinstance(exc, PermissionError):
        return "permission denied"
    return exc.strerror or str(exc)


def _format_of(path: str, data: bytes, explicit: bool) -> str | None:
    fmt = format_for_path(path)
    if fmt is None and explicit:
        head = data.lstrip()[:1]
        fmt = "json" if head in (b"{", b"[") else "yaml"
    return fmt


def decode_finding(exc: DecodeError, fmt: str, file: str, what: str = "") -> Finding:
    """ACR000 for a DecodeError in ``file``, at its line and column when known."""
    column = exc.column or 1
    span = Span(exc.line, column, exc.line, column + 1) if exc.line else None
    where = f" (line {exc.line}, column {exc.column})" if exc.line else ""
    kind = {"json": "JSON", "bicep": "Bicep"}.get(fmt, "YAML")
    return finding(READ_ERROR, f"cannot parse {what + ' ' if what else ''}{kind}: {exc.message}{where}", file, span=span)


def input_finding(path: str, exc: Exception, what: str) -> Finding:
    """ACR000 for a file read on the side (a parameters file, a linked template) that cannot be read."""
    if isinstance(exc, DecodeError):
        return decode_finding(exc, format_for_path(path) or "json", path, what)
    problem = _os_problem(exc) if isinstance(exc, OSError) else f"{type(exc).__name__}: {exc}"
    return finding(READ_ERROR, f"cannot read {what}: {problem}", path)


_AZURE_MARKERS = re.compile(rb"Microsoft\.[A-Za-z]+/|schema\.management\.azure\.com|\.azure\.com/v|azurecr\.", re.IGNORECASE)


def _foreign_syntax_error(data: bytes) -> bool:
    """A file that cannot be decoded (a syntax error, an encoding that is not text, a YAML tag or alias bomb, deep
    nesting) with no sign of being an Azure definition (no resource type, no ARM $schema, no ASO apiVersion, no login
    server): skipped like any other file that is not ours. Only files that look like Azure definitions fail a run."""
    return _AZURE_MARKERS.search(data) is None and _AZURE_MARKERS.search(data.replace(b"\x00", b"")) is None


def find_parameters_file(template_path: str) -> Path | None:
    """The parameters file beside a template, by the usual names (outside the linted tree or not)."""
    p = Path(template_path)
    stem = p.name
    for suffix in (".json", ".jsonc", ".bicep"):
        if stem.lower().endswith(suffix):
            stem = stem[: -len(suffix)]
    if p.name.lower().endswith(".bicep"):
        found = find_bicepparam(p)
        if found is not None:
            return found
    for pattern in _PARAM_NAMES:
        candidate = p.with_name(pattern.format(stem=stem))
        if candidate != p and candidate.is_file():
            return candidate
    return None


def _parameter_values(doc: Any) -> tuple[dict[str, Any], dict[str, str]]:
    values: dict[str, Any] = {}
    pointers: dict[str, str] = {}
    params = doc.get("parameters") if isinstance(doc, dict) else None
    if isinstance(params, dict):
        for name, spec in params.items():
            if isinstance(spec, dict) and "value" in spec:
                values[name] = spec["value"]
                pointers[name] = join_pointer("", "parameters", name, "value")
            elif isinstance(spec, dict) and "reference" in spec:
                values[name] = Unknown(f"Key Vault reference for parameter {name}")
    return values, pointers


def read_parameters_file(path: Path, options: Options) -> tuple[dict[str, Any], dict[str, str]]:
    """The values (and their pointers) of an ARM parameters file or a .bicepparam file."""
    if path.suffix.lower() == ".bicepparam":
        values, pointers, _using = parameter_values(path.as_posix())
        return values, pointers
    return _parameter_values(decode_path(path, options))


def decode_path(path: Path, options: Options) -> Any:
    """The first document of a parameters file or linked template (read as every input is: read_path)."""
    data = read_path(str(path), options)
    decoded = decode_bytes(data, format_for_path(str(path)) or "json")
    return decoded.documents[0] if decoded.documents else None


def explicit_parameters(options: Options) -> tuple[ExplicitParameters | None, Finding | None]:
    """--parameters: its values for every template of the run, and ACR000 when it cannot be read."""
    if not options.parameters_file:
        return None, None
    try:
        values, pointers = read_parameters_file(Path(options.parameters_file), options)
    except Exception as exc:
        return ({}, {}, options.parameters_file), input_finding(options.parameters_file, exc, "parameters file")
    return (values, pointers, options.parameters_file), None


def source_text(path: str, options: Options) -> tuple[str, str] | None:
    """(text, format) of a file read on the side (a linked template a finding is in), None when unreadable."""
    try:
        decoded = decode_bytes(read_path(path, options), format_for_path(path) or "json")
    except (OSError, DecodeError):
        return None
    return decoded.text, decoded.fmt
