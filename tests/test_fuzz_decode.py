"""Property tests: decoding never crashes; JSON round-trips; every pointer locates its own value."""
from __future__ import annotations

import codecs
import json
import re
from typing import Any

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from linter.decode import DecodeError, decode_bytes, decode_text
from linter.locate import Locator
from linter.model import Span, join_pointer, walk

SETTINGS = settings(max_examples=300, derandomize=True, deadline=None)

# Characters that steer the parsers into their interesting corners.
SYNTAX = st.sampled_from(list('{}[]:,"\'\\/*#-!&?|>%@` \t\r\n\x00\x85\u2028\ufeff') + [
    "//", "/*", "*/", "NaN", "-Infinity", "true", "null", "---", "...", "<<", "!!python/name:x",
    "&a", "*a", "\xe9", "\U0001f600", "0x1", "1e5", "2024-01-01",
])
TEXTISH = st.lists(st.one_of(SYNTAX, st.text(max_size=4)), max_size=40).map("".join)
ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be"]


def encoded(text: str, encoding: str) -> bytes:
    return text.encode(encoding, "surrogatepass")


ANY_BYTES = st.one_of(
    st.binary(max_size=200),
    st.builds(encoded, TEXTISH, st.sampled_from(ENCODINGS)),
    st.builds(lambda b, t: b + t.encode("utf-8", "surrogatepass"), st.binary(max_size=8), TEXTISH),
)


def check_decode(data: bytes, fmt: str) -> None:
    try:
        decoded = decode_bytes(data, fmt)
    except DecodeError as exc:
        assert exc.message and str(exc) == exc.message
        assert not exc.message.startswith("internal error"), exc.message
        assert (exc.line is None) == (exc.column is None)
        if exc.line is not None:
            assert exc.line >= 1 and exc.column >= 1  # type: ignore[operator]
        return
    assert decoded.fmt == fmt
    assert isinstance(decoded.text, str) and not decoded.text.startswith("\ufeff")
    if fmt == "json":
        assert len(decoded.documents) == 1
    for doc, pointer in decoded.duplicates:
        assert 0 <= doc < len(decoded.documents) and pointer.startswith("/")


@SETTINGS
@given(ANY_BYTES)
def test_any_bytes_json(data: bytes) -> None:
    check_decode(data, "json")


@SETTINGS
@given(ANY_BYTES)
def test_any_bytes_yaml(data: bytes) -> None:
    check_decode(data, "yaml")


# --------------------------------------------------------------------------- JSON values

SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=12),
)
KEYS = st.one_of(st.text(max_size=6), st.sampled_from(["a/b", "~", "~1", "", " ", '"', "\\", "0", "-"]))
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=5), st.dictionaries(KEYS, inner, max_size=5)),
    max_leaves=40,
)
STYLES = st.sampled_from([
    {"indent": None},
    {"indent": 2},
    {"indent": "\t"},
    {"indent": 1, "ensure_ascii": False},
    {"separators": (",", ":")},
    {"indent": 4, "separators": (" , ", " : "), "ensure_ascii": False},
])


def dump(value: Any, style: dict[str, Any], crlf: bool) -> str:
    text = json.dumps(value, **style)
    return text.replace("\n", "\r\n") if crlf else text


@SETTINGS
@given(VALUES, STYLES, st.booleans(), st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-32-be"]))
def test_json_round_trip(value: Any, style: dict[str, Any], crlf: bool, encoding: str) -> None:
    text = dump(value, style, crlf)
    decoded = decode_bytes(text.encode(encoding), "json")
    assert decoded.documents == [value]
    assert decoded.duplicates == []
    assert decoded.comments is False
    assert decoded.text == text


def span_text(text: str, span: Span) -> str:
    starts = [0] + [m.end() for m in re.finditer(r"\r\n|\r|\n", text)]
    return text[starts[span.line - 1] + span.column - 1: starts[span.end_line - 1] + span.end_column - 1]


@SETTINGS
@given(VALUES, STYLES, st.booleans(), st.booleans())
def test_json_every_pointer_locates_its_value(value: Any, style: dict[str, Any], crlf: bool, comments: bool) -> None:
    text = dump(value, style, crlf)
    if comments:
        # A comment before every line break: ARM accepts them, positions must not move.
        nl = "\r\n" if crlf else "\n"
        text = "/* head */ " + text.replace(nl, " // note" + nl)
    loc = Locator(text, "json")
    for path, expected in walk(value):
        pointer = join_pointer("", *path)
        span, located = loc.span(0, pointer)
        assert located == pointer
        assert decode_text(span_text(text, span), "json").documents == [expected]  # comments inside are fine
        # A property below it that does not exist falls back to this same value.
        assert loc.span(0, pointer + "/no such key") == (span, pointer)


@SETTINGS
@given(VALUES)
def test_yaml_flow_every_pointer_locates_its_value(value: Any) -> None:
    text = yaml.safe_dump(value, default_flow_style=True, allow_unicode=False, width=40)
    assert decode_text(text, "yaml").documents == [value]
    loc = Locator(text, "yaml")
    for path, expected in walk(value):
        pointer = join_pointer("", *path)
        span, located = loc.span(0, pointer)
        assert located == pointer
        assert decode_text(span_text(text, span) or "''", "yaml").documents == [expected]


@SETTINGS
@given(VALUES)
def test_yaml_block_round_trip(value: Any) -> None:
    text = yaml.safe_dump({"doc": value}, default_flow_style=False, allow_unicode=False)
    decoded = decode_text(text + "---\n" + text, "yaml")
    assert decoded.documents == [{"doc": value}, {"doc": value}]
    assert decoded.duplicates == []


def test_utf16_bom_constants_are_distinct() -> None:
    # The UTF-32 LE BOM starts with the UTF-16 LE BOM: detection must look at UTF-32 first.
    data = codecs.BOM_UTF32_LE + "[1]".encode("utf-32-le")
    assert decode_bytes(data, "json").documents == [[1]]
