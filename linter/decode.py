"""Decode stage: bytes -> Python values (JSON or YAML), never a traceback.

Everything that can go wrong with an input file ends as a ``DecodeError`` carrying a message and,
when known, the 1-based line and column. The fast paths are C code (``json.loads``, libyaml); the
Python-level scans below only run on error paths or on small, already-filtered strings.
"""
from __future__ import annotations

import codecs
import errno
import json
import os
import re
import stat
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import accumulate
from typing import Any

from .model import cut, join_pointer

MAX_DEPTH = 512
YAML_ALIAS_LIMIT = 100_000  # nodes that alias expansion may add to one file
YAML_ALIAS_CHARS = 10_000_000  # characters of scalars that alias expansion may add to one file
MAX_FILE_SIZE = 256 * 1024 * 1024  # bytes read from one file (--max-file-size): checked before reading
# Python's integer-string limit (3.11+, and recent 3.10): a longer integer is an error at its position
MAX_INT_DIGITS = getattr(sys, "get_int_max_str_digits", lambda: 4300)() or 4300

__all__ = [
    "MAX_DEPTH",
    "MAX_FILE_SIZE",
    "YAML_ALIAS_CHARS",
    "YAML_ALIAS_LIMIT",
    "DecodeError",
    "Decoded",
    "decode_bytes",
    "decode_text",
    "format_for_path",
    "line_col",
    "read_bytes",
    "strip_json_comments",
]


class DecodeError(Exception):
    """A file that cannot be decoded; ``line``/``column`` are 1-based when known."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None):
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"DecodeError({self.message!r}, line={self.line}, column={self.column})"


@dataclass
class Decoded:
    text: str
    fmt: str
    documents: list[Any]
    duplicates: list[tuple[int, str]] = field(default_factory=list)
    comments: bool = False


def format_for_path(path: str) -> str | None:
    """"json" for ``*.json*`` (.json, .jsonc, .arm.json), "yaml" for .yaml/.yml, "bicep" for .bicep/.bicepparam,
    else None."""
    ext = os.path.splitext(os.path.basename(path))[1].lower()
    if ext.startswith(".json"):
        return "json"
    if ext in (".yaml", ".yml"):
        return "yaml"
    if ext in (".bicep", ".bicepparam"):
        return "bicep"
    return None


# --------------------------------------------------------------------------- reading


def size_text(n: int) -> str:
    return f"{n // (1024 * 1024)} MB" if n >= 1024 * 1024 and n % (1024 * 1024) == 0 else f"{n:,} bytes"


def read_bytes(path: str, max_bytes: int = MAX_FILE_SIZE) -> bytes:
    """The bytes of a regular file of at most ``max_bytes``; OSError or DecodeError (one line) otherwise.

    The file is opened without blocking (a FIFO with no writer would wait forever) and checked on the open
    descriptor, so what is checked is what is read: a device (/dev/zero, /dev/urandom), a FIFO or a socket
    is refused, and a file over the limit is refused before any of it is read. At most ``max_bytes`` + 1
    bytes are ever read, even from a file that grows meanwhile.
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise IsADirectoryError(errno.EISDIR, "is a directory")
        if not stat.S_ISREG(st.st_mode):
            raise DecodeError("not a regular file (a device, FIFO or socket is never read)")
        if st.st_size > max_bytes:
            raise DecodeError(f"file is larger than {size_text(max_bytes)} ({size_text(st.st_size)}; see --max-file-size)")
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        with os.fdopen(fd, "rb", closefd=False) as fh:
            data = fh.read(max_bytes + 1)
    finally:
        os.close(fd)
    if len(data) > max_bytes:
        raise DecodeError(f"file is larger than {size_text(max_bytes)} (it grew while read; see --max-file-size)")
    return data


def read_stream(stream: Any, max_bytes: int = MAX_FILE_SIZE) -> bytes:
    """At most ``max_bytes`` from a binary stream (standard input); DecodeError beyond."""
    data: bytes = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise DecodeError(f"input is larger than {size_text(max_bytes)} (see --max-file-size)")
    return data


# --------------------------------------------------------------------------- positions

def line_col(text: str, index: int) -> tuple[int, int]:
    """1-based (line, column) of ``text[index]``; CRLF, CR and LF each count as one line break."""
    index = max(0, min(index, len(text)))
    lf = text.count("\n", 0, index)
    cr = text.count("\r", 0, index)
    crlf = text.count("\r\n", 0, index) if cr else 0
    line = lf + cr - crlf + 1
    start = max(text.rfind("\n", 0, index), text.rfind("\r", 0, index)) + 1
    return line, index - start + 1


def _error_at(message: str, text: str, index: int) -> DecodeError:
    line, col = line_col(text, index)
    return DecodeError(message, line, col)


# --------------------------------------------------------------------------- bytes -> text

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16"),
)


def _sniff_without_bom(head: bytes) -> str | None:
    """UTF-16/32 from the NUL pattern of the first bytes (RFC 4627 section 3): text starts with ASCII."""
    if len(head) >= 4:
        a, b, c, d = (x == 0 for x in head[:4])
        if a and b and c and not d:
            return "utf-32-be"
        if not a and b and c and d:
            return "utf-32-le"
        if a and not b and c and not d:
            return "utf-16-be"
        if not a and b and not c and d:
            return "utf-16-le"
    elif len(head) >= 2:
        if head[0] == 0 and head[1] != 0:
            return "utf-16-be"
        if head[0] != 0 and head[1] == 0:
            return "utf-16-le"
    return None


def _byte_position(data: bytes, pos: int, encoding: str) -> tuple[int, int]:
    """Line and column (in characters) of byte offset ``pos``; the prefix is decoded leniently."""
    prefix = data[:pos].decode(encoding, errors="replace")
    return line_col(prefix, len(prefix))


def _binary_error(data: bytes, pos: int, encoding: str = "utf-8") -> DecodeError:
    line, col = _byte_position(data, pos, encoding)
    return DecodeError("binary file (NUL byte)", line, col)


def bytes_to_text(data: bytes) -> str:
    """Decode file bytes: a BOM, else the NUL pattern of UTF-16/32, else strict UTF-8."""
    for bom, encoding, label in _BOMS:
        if data.startswith(bom):
            return _decode_strict(data[len(bom):], encoding, label)
    sniffed = _sniff_without_bom(data[:4])
    if sniffed is None:
        return _decode_strict(data, "utf-8", "UTF-8")
    try:
        text = data.decode(sniffed)
    except UnicodeDecodeError:
        text = ""
    # Without a BOM the guess must give sensible text; otherwise the NULs mean a binary file.
    if text and (text[0].isprintable() or text[0].isspace()) and "\x00" not in text:
        return text
    raise _binary_error(data, max(data.find(b"\x00"), 0))


def _decode_strict(body: bytes, encoding: str, label: str) -> str:
    if encoding == "utf-8":
        nul = body.find(b"\x00")  # checked first: a binary file is reported as such, not as bad UTF-8
        if nul >= 0:
            raise _binary_error(body, nul)
    try:
        return body.decode(encoding)
    except UnicodeDecodeError as exc:
        line, col = _byte_position(body, exc.start, encoding)
        if encoding == "utf-8":
            raise DecodeError(f"invalid UTF-8 byte 0x{body[exc.start]:02X}", line, col) from None
        raise DecodeError(f"invalid {label} data ({exc.reason})", line, col) from None


# --------------------------------------------------------------------------- entry points

_WS_ONLY = re.compile(r"[ \t\r\n\f\v]*\Z")


def decode_bytes(data: bytes, fmt: str) -> Decoded:
    """Decode a file's bytes as ``fmt`` ("json" or "yaml"); raises DecodeError only."""
    try:
        text = bytes_to_text(data)
    except DecodeError:
        raise
    except Exception as exc:  # pragma: no cover - the contract is DecodeError only
        raise DecodeError(f"cannot decode file: {type(exc).__name__}: {exc}") from None
    return decode_text(text, fmt)


def decode_text(text: str, fmt: str) -> Decoded:
    """Parse already decoded text; a leading BOM is dropped. Raises DecodeError only. Bicep is only decoded to
    text here: linter.bicep reads it (it needs the file's path, to follow modules)."""
    text = text.removeprefix("\ufeff")
    if fmt == "bicep":
        nul = text.find("\x00")
        if nul >= 0:
            raise _error_at("binary file (NUL byte)", text, nul)
        return Decoded(text, fmt, [])
    if not text or _WS_ONLY.match(text):
        raise DecodeError("file is empty")
    nul = text.find("\x00")
    if nul >= 0:
        raise _error_at("binary file (NUL byte)", text, nul)
    try:
        if fmt == "json":
            return _decode_json(text)
        if fmt == "yaml":
            return _decode_yaml(text)
    except DecodeError:
        raise
    except RecursionError:
        raise DecodeError(f"nesting deeper than {MAX_DEPTH} levels") from None
    except UnicodeEncodeError as exc:  # libyaml reads UTF-8: a lone surrogate cannot be passed on
        raise _error_at(f"invalid character U+{ord(text[exc.start]):04X}", text, exc.start) from None
    except Exception as exc:
        raise DecodeError(f"internal error while decoding: {type(exc).__name__}: {exc}") from None
    raise DecodeError(f"unknown format {fmt!r}")


# --------------------------------------------------------------------------- JSON

# A JSON string (unrolled loop: fast in the backtracking engine) or a comment.
_STRING = r'"[^"\\\r\n]*(?:\\.[^"\\\r\n]*)*"'
_COMMENT_START = re.compile(r"/[/*]")
_STRING_OR_COMMENT = re.compile(_STRING + r"|(/[/*])")
_LINE_REST = re.compile(r"[^\r\n]*")
_NOT_BREAK = re.compile(r"[^\r\n]")


class _BadConstant(Exception):
    def __init__(self, name: str):
        self.name = name


def _reject_constant(name: str) -> Any:
    raise _BadConstant(name)


def strip_json_comments(text: str) -> str:
    """Replace ``//`` and ``/* */`` comments by spaces (newlines kept), leaving strings alone.

    Positions are unchanged, so errors and spans computed on the result apply to ``text``.
    Raises DecodeError for an unterminated block comment. Cost grows with the number of ``//``
    and ``/*`` in the text, not with its size: a JSON string never spans lines, so whether a
    candidate sits in a string is decided by scanning its own line only.
    """
    pieces: list[str] = []
    done = 0  # text[:done] is settled: copied to pieces, or a string/comment already passed
    copied = 0
    while True:
        cand = _COMMENT_START.search(text, done)
        if cand is None:
            break
        at = cand.start()
        newline = text.rfind("\n", done, at)  # searched backwards from the candidate: cheap
        line_start = max(newline, text.rfind("\r", max(newline, done), at)) + 1
        scan = max(line_start, done)
        while True:
            tok = _STRING_OR_COMMENT.search(text, scan)
            assert tok is not None  # the candidate itself matches
            if tok.group(1) is None and tok.end() <= at:
                scan = tok.end()  # a string before the candidate
                continue
            break
        if tok.group(1) is None:  # the candidate is inside this string
            done = tok.end()
            continue
        start = tok.start()
        if tok.group(1) == "//":
            end = _LINE_REST.match(text, start).end()  # type: ignore[union-attr]
        else:
            close = text.find("*/", start + 2)
            if close < 0:
                raise _error_at("unterminated /* comment", text, start)
            end = close + 2
        pieces.append(text[copied:start])
        pieces.append(_NOT_BREAK.sub(" ", text[start:end]))
        copied = done = end
    if not pieces:
        return text
    pieces.append(text[copied:])
    return "".join(pieces)


def _decode_json(text: str) -> Decoded:
    dup_objects: list[tuple[dict[str, Any], list[str]]] = []

    def pairs_hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        d = dict(pairs)
        if len(d) != len(pairs):  # cheap test; the rare slow path finds which keys repeat
            seen: set[str] = set()
            repeated = [k for k, _ in pairs if k in seen or seen.add(k)]  # type: ignore[func-returns-value]
            dup_objects.append((d, list(dict.fromkeys(repeated))))
        return d

    def parse(source: str) -> Any:
        return json.loads(source, object_pairs_hook=pairs_hook, parse_constant=_reject_constant)

    comments = False
    source = text
    try:
        try:
            value = parse(source)
        except json.JSONDecodeError:
            if "/" not in text:
                raise
            stripped = strip_json_comments(text)
            if stripped == text:
                raise
            source, comments = stripped, True
            if _WS_ONLY.match(source):
                raise DecodeError("file holds only comments") from None
            dup_objects.clear()
            value = parse(source)
    except json.JSONDecodeError as exc:
        raise _json_syntax_error(source, exc) from None
    except _BadConstant as exc:
        raise _constant_error(source, exc.name) from None
    except ValueError:  # not a syntax error: an integer longer than Python converts (the int-string limit)
        raise _long_integer_error(source) from None
    except RecursionError:
        if "/" in source and not comments:
            source = strip_json_comments(source)
        raise _depth_error(source) from None

    if _max_depth(source) > MAX_DEPTH:
        raise _depth_error(source)
    duplicates = _locate_duplicates(value, dup_objects) if dup_objects else []
    return Decoded(text=text, fmt="json", documents=[value], duplicates=duplicates, comments=comments)


def _locate_duplicates(root: Any, dup_objects: list[tuple[dict[str, Any], list[str]]]) -> list[tuple[int, str]]:
    """Pointers of repeated keys: walk the final tree (document order) looking for the flagged dicts."""
    wanted = {id(d): keys for d, keys in dup_objects}
    out: list[tuple[int, str]] = []
    stack: list[tuple[Any, str]] = [(root, "")]
    while stack:
        node, pointer = stack.pop()
        if isinstance(node, dict):
            keys = wanted.get(id(node))
            if keys:
                out.extend((0, join_pointer(pointer, k)) for k in keys)
            stack.extend((v, join_pointer(pointer, k)) for k, v in reversed(node.items()) if isinstance(v, (dict, list)))
        elif isinstance(node, list):
            stack.extend((v, join_pointer(pointer, i)) for i, v in reversed(list(enumerate(node))) if isinstance(v, (dict, list)))
    return out


_STRUCTURE = b'[]{}"'
_DELETE_NON_STRUCTURE = bytes(i for i in range(256) if i not in _STRUCTURE)
_PLAIN_STRING = re.compile(rb'"[^"]*"')
_QUOTE_ESCAPES = re.compile(r'\\[\\"]')
_CHUNK = 1 << 22
_DELTA = [0] * 256
_DELTA[ord("[")] = _DELTA[ord("{")] = 1
_DELTA[ord("]")] = _DELTA[ord("}")] = -1


def _max_depth(source: str) -> int:
    """Deepest bracket nesting of JSON that already parsed, with C-level passes over bytes only."""
    if source.count("[") + source.count("{") <= MAX_DEPTH:
        return 0
    escaped_quotes = "\\" in source and '\\"' in source  # one-character search first: faster
    pieces = []
    start, size = 0, len(source)
    while start < size:  # a few MB at a time, so a huge file is never copied whole
        end = min(start + _CHUNK, size)
        while end < size and source[end - 1] == "\\":
            end += 1  # never split a run of backslashes from the character it escapes
        chunk = source[start:end]
        if escaped_quotes:
            # Left-to-right removal of \\ and \" mirrors how escapes parse: no quote stays escaped.
            chunk = _QUOTE_ESCAPES.sub("", chunk)
        pieces.append(chunk.encode("utf-8", "surrogatepass").translate(None, _DELETE_NON_STRUCTURE))
        start = end
    data = b"".join(pieces)  # only brackets and quotes are left
    # Removing adjacent quotes keeps the open/close alternation; then drop strings holding brackets.
    skeleton = _PLAIN_STRING.sub(b"", data.replace(b'""', b""))
    # What is left is a few percent of the file: a running sum over it gives the depth.
    return max(accumulate(map(_DELTA.__getitem__, skeleton)), default=0)


_OPEN_TOKEN = re.compile(_STRING + r"|([\[{])|[\]}]")


def _depth_error(source: str) -> DecodeError:
    """Position of the first bracket that opens level MAX_DEPTH + 1 (error path only)."""
    depth = 0
    for m in _OPEN_TOKEN.finditer(source):
        ch = m.group()
        if m.group(1):
            depth += 1
            if depth > MAX_DEPTH:
                return _error_at(f"nesting deeper than {MAX_DEPTH} levels", source, m.start())
        elif ch in "]}":
            depth -= 1
    return DecodeError(f"nesting deeper than {MAX_DEPTH} levels")


_CONSTANT_TOKEN = re.compile(_STRING + r"|(-?Infinity|NaN)")


def _constant_error(source: str, name: str) -> DecodeError:
    for m in _CONSTANT_TOKEN.finditer(source):
        if m.group(1):
            return _error_at(f"{m.group(1)} is not valid JSON", source, m.start())
    return DecodeError(f"{name} is not valid JSON")


_NON_WS = re.compile(r"[^ \t\r\n]")
_LONG_INTEGER = re.compile(_STRING + r"|-?([0-9]{" + str(MAX_INT_DIGITS + 1) + ",})")


def long_integer_message(digits: int) -> str:
    return f"integer of {digits:,} digits is too long (at most {MAX_INT_DIGITS:,}; ARM integers are 64-bit)"


def _long_integer_error(source: str) -> DecodeError:
    for m in _LONG_INTEGER.finditer(source):
        if m.group(1):
            return _error_at(long_integer_message(len(m.group(1))), source, m.start())
    return DecodeError(f"an integer is too long (more than {MAX_INT_DIGITS:,} digits)")


def _json_syntax_error(source: str, exc: json.JSONDecodeError) -> DecodeError:
    pos = exc.pos
    msg = exc.msg
    at_end = _NON_WS.search(source, pos) is None
    if msg.startswith("Unterminated string"):
        return _error_at("unexpected end of file (unterminated string)", source, pos)
    if at_end and msg.startswith("Expecting"):
        return _error_at("unexpected end of file", source, len(source.rstrip(" \t\r\n")))
    ch = source[pos] if pos < len(source) else ""
    if msg.startswith("Expecting") and ch in "]}":
        before = source[:pos].rstrip(" \t\r\n")
        if before.endswith(","):
            return _error_at(f"trailing comma before '{ch}'", source, len(before) - 1)
    if msg.startswith("Expecting") and ch == "'":
        return _error_at("single-quoted string (JSON needs double quotes)", source, pos)
    if msg == "Extra data":
        return _error_at("unexpected data after the JSON value", source, pos)
    if msg == "Expecting value" and ch:
        return _error_at(f"expecting a value, found {ch!r}", source, pos)
    msg = msg[:1].lower() + msg[1:]
    return _error_at(msg.removesuffix(" at"), source, pos)


# --------------------------------------------------------------------------- YAML

_yaml_mod: Any = None


def _yaml() -> Any:
    """Import PyYAML lazily: JSON-only runs never pay for it."""
    global _yaml_mod
    if _yaml_mod is None:
        import yaml

        _yaml_mod = yaml
    return _yaml_mod


def yaml_loader() -> Any:
    yaml = _yaml()
    return getattr(yaml, "CSafeLoader", None) or yaml.SafeLoader


def yaml_events(text: str, loader: Any = None) -> Iterator[Any]:
    """PyYAML events (libyaml when available); no node composition, no object construction."""
    events: Iterator[Any] = _yaml().parse(text, Loader=loader or yaml_loader())
    return events


def _is_libyaml_depth_error(yaml: Any, exc: Exception) -> bool:
    """libyaml's own nesting limit (1,000 flow levels in the libyaml that PyYAML 6.0.4 bundles).

    libyaml scans a whole flow collection ahead of its first event, so on very deep input its limit
    fires before acrlint's (MAX_DEPTH, checked per event) can. The pure-Python parser has no such limit
    and yields events as it goes: rerunning it reports acrlint's own limit at its own position.
    """
    return isinstance(exc, yaml.MarkedYAMLError) and "nesting depth" in str(exc.problem or "")


def yaml_error(text: str, exc: Exception) -> DecodeError:
    """DecodeError from a PyYAML exception: libyaml's problem text and 1-based mark."""
    yaml = _yaml()
    if isinstance(exc, yaml.reader.ReaderError):
        pos = exc.position
        if getattr(yaml, "CSafeLoader", None) is not None:  # libyaml reports a UTF-8 byte offset
            pos = len(text.encode("utf-8", "surrogatepass")[:pos].decode("utf-8", "replace"))
        char = exc.character
        detail = f" (#x{char:04x})" if isinstance(char, int) else ""
        return _error_at(f"{exc.reason}{detail}", text, pos)
    if isinstance(exc, yaml.MarkedYAMLError):
        problem = exc.problem or exc.context or "invalid YAML"
        if exc.context and exc.problem:
            problem = f"{problem} ({exc.context})"
        mark = exc.problem_mark or exc.context_mark
        if mark is not None:
            if "end of stream" not in problem and _NON_WS.search(text, mark.index) is None:
                problem = f"unexpected end of file: {problem}"
            return DecodeError(problem, mark.line + 1, mark.column + 1)
        return DecodeError(problem)
    return DecodeError(f"invalid YAML: {exc}")


_TAG_PREFIX = "tag:yaml.org,2002:"
_STR = _TAG_PREFIX + "str"
_SCALAR_TAGS = {"str", "int", "float", "bool", "null", "timestamp", "binary", "value", "merge"}
_COLLECTION_TAGS = {"map", "seq", "set", "omap", "pairs"}


def _short_tag(tag: str) -> str:
    return "!!" + tag[len(_TAG_PREFIX):] if tag.startswith(_TAG_PREFIX) else tag


class _Frame:
    """An open mapping or sequence while building from events."""

    __slots__ = ("anchor", "chars", "height", "is_map", "key", "merges", "size", "token", "value")

    def __init__(self, value: Any, is_map: bool, anchor: str | None, token: Any):
        self.value = value
        self.is_map = is_map
        self.key: Any = _NO_KEY
        self.size = 1  # nodes in the expanded tree (aliases count what they expand to)
        self.chars = 0  # characters of the scalar values in the expanded tree
        self.height = 1
        self.anchor = anchor
        self.token = token  # the key or index under which it hangs in its parent
        self.merges: list[Any] | None = None


_NO_KEY: Any = object()
_MERGE: Any = object()
_OPEN: Any = object()


class _YamlBuilder:
    def __init__(self, text: str):
        yaml = _yaml()
        self.text = text
        self.resolvers: dict[str | None, list[tuple[str, Any]]] = yaml.resolver.Resolver.yaml_implicit_resolvers
        self.constructor = yaml.constructor.SafeConstructor()
        self.ScalarNode = yaml.nodes.ScalarNode
        self.documents: list[Any] = []
        self.duplicates: list[tuple[int, str]] = []
        self.expanded = 0
        self.expanded_chars = 0

    # Implicit typing as PyYAML's SafeLoader does it, except timestamps, which stay strings.
    def resolve_plain(self, value: str) -> str:
        candidates = self.resolvers.get(value[0] if value else "", ())
        for tag, regexp in candidates:
            if regexp.match(value):
                return tag
        for tag, regexp in self.resolvers.get(None, ()):
            if regexp.match(value):
                return tag
        return _STR

    def scalar(self, ev: Any) -> Any:
        value = ev.value
        tag = ev.tag
        if tag is None or tag == "!":
            if not ev.implicit[0] or tag == "!":
                return value
            tag = self.resolve_plain(value)
        if tag == _STR:
            return value
        name = tag[len(_TAG_PREFIX):] if tag.startswith(_TAG_PREFIX) else None
        if name not in _SCALAR_TAGS:
            raise self.at(f"unsupported YAML tag {cut(_short_tag(tag))}", ev)
        if name in ("str", "timestamp", "binary", "value", "merge"):
            return value
        if name == "int" and len(value) > MAX_INT_DIGITS:
            digits = sum(c.isdigit() for c in value)
            if digits > MAX_INT_DIGITS:
                raise self.at(long_integer_message(digits), ev)
        node = self.ScalarNode(tag, value)
        try:
            if name == "null":
                return None if value in ("", "~", "null", "Null", "NULL") else _fail()
            if name == "bool":
                return self.constructor.construct_yaml_bool(node)
            if name == "int":
                return self.constructor.construct_yaml_int(node)
            return self.constructor.construct_yaml_float(node)
        except Exception:
            raise self.at(f"invalid {_short_tag(tag)} value {cut(value)!r}", ev) from None

    def at(self, message: str, ev: Any) -> DecodeError:
        mark = ev.start_mark
        return DecodeError(message, mark.line + 1, mark.column + 1)

    def build(self, loader: Any = None) -> None:
        yaml = _yaml()
        ScalarEvent = yaml.ScalarEvent
        AliasEvent = yaml.AliasEvent
        MappingStartEvent = yaml.MappingStartEvent
        SequenceStartEvent = yaml.SequenceStartEvent
        MappingEndEvent = yaml.MappingEndEvent
        SequenceEndEvent = yaml.SequenceEndEvent
        DocumentStartEvent = yaml.DocumentStartEvent
        DocumentEndEvent = yaml.DocumentEndEvent

        stack: list[_Frame] = []
        anchors: dict[str, Any] = {}
        root: list[Any] = []

        for ev in yaml_events(self.text, loader):
            cls = type(ev)
            if cls is ScalarEvent:
                value = self.scalar(ev)
                key_text = ev.value
                if ev.anchor is not None:
                    anchors[ev.anchor] = (value, 1, 0, key_text, len(key_text))
                self.add(stack, root, value, 1, 0, key_text, ev, merge_key=(
                    ev.tag is None and ev.implicit[0] and key_text == "<<"), chars=len(key_text))
            elif cls is MappingStartEvent or cls is SequenceStartEvent:
                is_map = cls is MappingStartEvent
                if stack and stack[-1].is_map and stack[-1].key is _NO_KEY:
                    raise self.at("unsupported YAML mapping key (a mapping or sequence)", ev)
                if len(stack) >= MAX_DEPTH:
                    raise self.at(f"nesting deeper than {MAX_DEPTH} levels", ev)
                tag = ev.tag
                if tag is not None and tag != "!":
                    name = tag[len(_TAG_PREFIX):] if tag.startswith(_TAG_PREFIX) else None
                    if name not in _COLLECTION_TAGS:
                        raise self.at(f"unsupported YAML tag {cut(_short_tag(tag))}", ev)
                token = self.token_for(stack)
                frame = _Frame({} if is_map else [], is_map, ev.anchor, token)
                if ev.anchor is not None:
                    anchors[ev.anchor] = _OPEN
                stack.append(frame)
            elif cls is MappingEndEvent or cls is SequenceEndEvent:
                frame = stack.pop()
                value = frame.value
                if frame.merges:
                    value = self.merged(frame)
                if frame.anchor is not None:
                    anchors[frame.anchor] = (value, frame.size, frame.height, None, frame.chars)
                self.add(stack, root, value, frame.size, frame.height, None, ev, chars=frame.chars)
            elif cls is AliasEvent:
                target = anchors.get(ev.anchor)
                if target is None:
                    raise self.at(f"undefined YAML alias *{cut(ev.anchor)}", ev)
                if target is _OPEN:
                    raise self.at(f"recursive YAML alias *{cut(ev.anchor)}", ev)
                value, size, height, key_text, chars = target
                self.expanded += size
                if self.expanded > YAML_ALIAS_LIMIT:
                    raise self.at(f"YAML aliases expand to more than {YAML_ALIAS_LIMIT} nodes", ev)
                # a few aliases of one long string reach as much text as millions of nodes would
                self.expanded_chars += chars
                if self.expanded_chars > YAML_ALIAS_CHARS:
                    raise self.at(f"YAML aliases expand to more than {YAML_ALIAS_CHARS:,} characters", ev)
                if len(stack) + height > MAX_DEPTH:
                    raise self.at(f"nesting deeper than {MAX_DEPTH} levels", ev)
                self.add(stack, root, value, size, height, key_text, ev, chars=chars)
            elif cls is DocumentStartEvent:
                anchors = {}  # anchors are scoped to their document
            elif cls is DocumentEndEvent:
                self.documents.append(root[0] if root else None)
                root = []

    def token_for(self, stack: list[_Frame]) -> Any:
        if not stack:
            return None
        top = stack[-1]
        return top.key if top.is_map else len(top.value)

    def add(self, stack: list[_Frame], root: list[Any], value: Any, size: int, height: int,
            key_text: str | None, ev: Any, merge_key: bool = False, chars: int = 0) -> None:
        if not stack:
            root.append(value)
            return
        top = stack[-1]
        if top.is_map:
            if top.key is _NO_KEY:
                if key_text is None:
                    raise self.at("unsupported YAML mapping key (a mapping or sequence)", ev)
                top.key = _MERGE if merge_key else key_text
                return
            key = top.key
            top.key = _NO_KEY
            if key is _MERGE:
                if not (isinstance(value, dict) or (isinstance(value, list) and all(isinstance(v, dict) for v in value))):
                    raise self.at("YAML merge key '<<' needs a mapping or a list of mappings", ev)
                if top.merges is None:
                    top.merges = []
                top.merges.append(value)
            else:
                d = top.value
                if key in d:
                    path = ["<<" if f.token is _MERGE else f.token for f in stack[1:]] + [key]
                    self.duplicates.append((len(self.documents), join_pointer("", *path)))
                d[key] = value
        else:
            top.value.append(value)
        top.size += size
        top.chars += chars
        top.height = max(top.height, height + 1)

    @staticmethod
    def merged(frame: _Frame) -> dict[str, Any]:
        """Merge keys as PyYAML applies them: explicit keys win, then earlier merged mappings."""
        out: dict[str, Any] = {}
        for m in frame.merges or ():
            for part in (reversed(m) if isinstance(m, list) else (m,)):
                out.update(part)
        out.update(frame.value)
        return out


def _fail() -> Any:
    raise ValueError("invalid value")


def _decode_yaml(text: str) -> Decoded:
    yaml = _yaml()
    builder = _YamlBuilder(text)
    try:
        builder.build()
    except DecodeError:
        raise
    except yaml.YAMLError as exc:
        if not _is_libyaml_depth_error(yaml, exc):
            raise yaml_error(text, exc) from None
        builder = _YamlBuilder(text)
        try:
            builder.build(yaml.SafeLoader)
        except DecodeError:
            raise
        except yaml.YAMLError as exc2:
            raise yaml_error(text, exc2) from None
    return Decoded(text=text, fmt="yaml", documents=builder.documents, duplicates=builder.duplicates)
