"""Decode stage: every failure is a DecodeError with an exact message and position."""
from __future__ import annotations

import codecs
import json

import pytest

from linter.decode import (
    MAX_DEPTH,
    YAML_ALIAS_LIMIT,
    Decoded,
    DecodeError,
    decode_bytes,
    decode_text,
    format_for_path,
)


def error(data: bytes | str, fmt: str) -> tuple[str, int | None, int | None]:
    with pytest.raises(DecodeError) as info:
        if isinstance(data, bytes):
            decode_bytes(data, fmt)
        else:
            decode_text(data, fmt)
    exc = info.value
    assert str(exc) == exc.message
    return exc.message, exc.line, exc.column


# --------------------------------------------------------------------------- format_for_path


@pytest.mark.parametrize(
    "path,fmt",
    [
        ("a/azuredeploy.json", "json"),
        ("main.arm.json", "json"),
        ("x.JSONC", "json"),
        ("dir.yaml/x.jsonc", "json"),
        ("k8s/registry.yaml", "yaml"),
        ("r.YML", "yaml"),
        ("main.bicep", "bicep"),
        ("env/prod.BICEPPARAM", "bicep"),
        ("main.bicep.bak", None),
        ("json", None),
        ("README", None),
    ],
)
def test_format_for_path(path: str, fmt: str | None) -> None:
    assert format_for_path(path) == fmt


# --------------------------------------------------------------------------- empty input


@pytest.mark.parametrize("fmt", ["json", "yaml"])
@pytest.mark.parametrize("data", [b"", b"   ", b"\n\r\n\t \n", codecs.BOM_UTF8, codecs.BOM_UTF8 + b" \n"])
def test_empty_and_whitespace_only(data: bytes, fmt: str) -> None:
    assert error(data, fmt) == ("file is empty", None, None)


def test_json_only_comments() -> None:
    assert error("// nothing here\n/* at all */\n", "json") == ("file holds only comments", None, None)


def test_yaml_only_comments_is_an_empty_stream() -> None:
    assert decode_text("# nothing\n", "yaml").documents == []


# --------------------------------------------------------------------------- JSON syntax


@pytest.mark.parametrize(
    "text,expected",
    [
        ('{"a": [1, 2', ("unexpected end of file", 1, 12)),
        ('{\n  "a": {\n    "b": 1\n', ("unexpected end of file", 3, 11)),
        ('{"a": 1,', ("unexpected end of file", 1, 9)),
        ('{"a": "abc', ("unexpected end of file (unterminated string)", 1, 7)),
        ('{"a": 1,}', ("trailing comma before '}'", 1, 8)),
        ('{"a": [1, 2,\n  ]}', ("trailing comma before ']'", 1, 12)),
        ("{'a': 1}", ("single-quoted string (JSON needs double quotes)", 1, 2)),
        ('{"a": \'x\'}', ("single-quoted string (JSON needs double quotes)", 1, 7)),
        ('{"a": 1 "b": 2}', ("expecting ',' delimiter", 1, 9)),
        ('{"a" 1}', ("expecting ':' delimiter", 1, 6)),
        ('{"a": tru}', ("expecting a value, found 't'", 1, 7)),
        ('{"a": 1}\n{"b": 2}', ("unexpected data after the JSON value", 2, 1)),
        ('{"a": "x\ty"}', ("invalid control character", 1, 9)),
        ('{"a": 1, "b": NaN}', ("NaN is not valid JSON", 1, 15)),
        ('{"s": "NaN", "b": [Infinity]}', ("Infinity is not valid JSON", 1, 20)),
        ('{"s": "-Infinity",\n "b": -Infinity}', ("-Infinity is not valid JSON", 2, 7)),
    ],
)
def test_json_syntax_errors(text: str, expected: tuple[str, int, int]) -> None:
    assert error(text, "json") == expected


def test_json_crlf_and_cr_positions() -> None:
    # CRLF and a lone CR each count as one line break.
    assert error('{\r\n  "a": 1\r\n  "b": 2\r\n}', "json") == ("expecting ',' delimiter", 3, 3)
    assert error('{\r  "a": 1\r  "b": 2\r}', "json") == ("expecting ',' delimiter", 3, 3)
    assert error('{\r\n"a": 1,\r\n}', "json") == ("trailing comma before '}'", 2, 7)


def test_json_crlf_decodes_and_keeps_text() -> None:
    text = '{\r\n  "a": "b"\r\n}\r\n'
    decoded = decode_text(text, "json")
    assert decoded == Decoded(text=text, fmt="json", documents=[{"a": "b"}], duplicates=[], comments=False)


# --------------------------------------------------------------------------- JSON comments


def test_json_comments_stripped_and_strings_kept() -> None:
    text = (
        "// leading comment\n"
        "{\n"
        '  "url": "http://x", // trailing\n'
        '  /* block\n     over lines */ "s": "/* not a comment */",\n'
        '  "t": "a // b" /* x */\n'
        "}\n"
    )
    decoded = decode_text(text, "json")
    assert decoded.documents == [{"url": "http://x", "s": "/* not a comment */", "t": "a // b"}]
    assert decoded.comments is True
    assert decoded.text == text


def test_json_without_comments_but_slashes_in_strings() -> None:
    decoded = decode_text('{"$schema": "https://schema.management.azure.com/x#"}', "json")
    assert decoded.comments is False


def test_json_error_after_comment_keeps_original_position() -> None:
    assert error('{ /* c */ "a": 1,\n // x\n}', "json") == ("trailing comma before '}'", 1, 17)


def test_json_unterminated_block_comment() -> None:
    assert error('{"a": 1 /* open', "json") == ("unterminated /* comment", 1, 9)


def test_json_comment_bracket_does_not_count_for_depth() -> None:
    decoded = decode_text("// [[[[ {{{{\n[1]", "json")
    assert decoded.documents == [[1]]


# --------------------------------------------------------------------------- duplicates


def test_json_duplicate_keys_at_several_levels() -> None:
    text = """{
      "a": 1,
      "b": {"x": 1, "y": {"k": 1, "k": 2, "k": 3}, "x": 2},
      "c": [{"p/q": 1, "p/q": 2}, {"t~": 0, "t~": 1}],
      "a": 2
    }"""
    decoded = decode_text(text, "json")
    assert decoded.documents == [{"a": 2, "b": {"x": 2, "y": {"k": 3}}, "c": [{"p/q": 2}, {"t~": 1}]}]
    assert decoded.duplicates == [(0, "/a"), (0, "/b/x"), (0, "/b/y/k"), (0, "/c/0/p~1q"), (0, "/c/1/t~0")]


def test_yaml_duplicate_keys_multi_document() -> None:
    text = "a: 1\nb:\n  c: 1\n  c: 2\na: 3\n---\nx: [{k: 1, k: 2}]\n---\n'a/b': 1\n\"a/b\": 2\n"
    decoded = decode_text(text, "yaml")
    assert decoded.documents == [{"a": 3, "b": {"c": 2}}, {"x": [{"k": 2}]}, {"a/b": 2}]
    assert decoded.duplicates == [(0, "/b/c"), (0, "/a"), (1, "/x/0/k"), (2, "/a~1b")]


def test_no_duplicates() -> None:
    assert decode_text('{"a": {"a": 1}}', "json").duplicates == []
    assert decode_text("a: {a: 1}\n", "yaml").duplicates == []


# --------------------------------------------------------------------------- nesting


@pytest.mark.parametrize("fmt", ["json", "yaml"])
@pytest.mark.parametrize("open_,close", [("[", "]"), ('{"a":', "}")])
def test_nesting_10000_deep(fmt: str, open_: str, close: str) -> None:
    if fmt == "yaml" and open_ != "[":
        open_, close = "{a: ", "}"
    text = open_ * 10_000 + "1" + close * 10_000
    column = len(open_) * MAX_DEPTH + 1  # the bracket that opens level 513
    assert error(text, fmt) == ("nesting deeper than 512 levels", 1, column)


@pytest.mark.parametrize("fmt", ["json", "yaml"])
def test_nesting_limit_boundary(fmt: str) -> None:
    ok = "[" * MAX_DEPTH + "]" * MAX_DEPTH
    value = decode_text(ok, fmt).documents[0]
    depth = 0
    while isinstance(value, list):
        depth += 1
        value = value[0] if value else None
    assert depth == MAX_DEPTH
    too_deep = "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1)
    assert error(too_deep, fmt) == ("nesting deeper than 512 levels", 1, MAX_DEPTH + 1)


def test_json_depth_inside_strings_ignored() -> None:
    text = json.dumps({"s": "[" * 2000, "t": "{\\\"[" * 600, "a": [[[1]]]})
    assert decode_text(text, "json").documents[0]["a"] == [[[1]]]


def test_json_600_deep_after_wide_content() -> None:
    # Deeper than the limit but shallow enough for json.loads: the depth scan must catch it.
    wide = ", ".join(json.dumps({"k": [i, {"v": "x\\\"y"}]}) for i in range(300))
    text = "[" + wide + ", " + "[" * 600 + "]" * 600 + "]"
    message, line, column = error(text, "json")
    assert (message, line) == ("nesting deeper than 512 levels", 1)
    assert column == len("[" + wide + ", ") + MAX_DEPTH


def test_yaml_block_nesting_10000_deep() -> None:
    text = "- " * 10_000 + "x\n"
    assert error(text, "yaml") == ("nesting deeper than 512 levels", 1, 2 * MAX_DEPTH + 1)


# --------------------------------------------------------------------------- YAML


def test_yaml_tab_indentation() -> None:
    assert error("a:\n\tb: 1\n", "yaml") == (
        "found character that cannot start any token (while scanning for the next token)", 2, 1)
    assert error("key: value\n\tother: 1\n", "yaml") == (
        "found a tab character that violates indentation (while scanning a plain scalar)", 2, 1)


EOF_FLOW = "unexpected end of file: did not find expected ',' or ']' (while parsing a flow sequence)"


@pytest.mark.parametrize(
    "text,expected",
    [
        ('a: "abc\n', ("found unexpected end of stream (while scanning a quoted scalar)", 2, 1)),
        ("a: [1, 2\n", (EOF_FLOW, 2, 1)),
        ("a:\n  b: 1\n c: 2\n", ("did not find expected key (while parsing a block mapping)", 3, 2)),
        ("a: 1\r\nb: [1,\r\n  2\r\n", (EOF_FLOW, 4, 1)),
    ],
)
def test_yaml_syntax_errors(text: str, expected: tuple[str, int, int]) -> None:
    assert error(text, "yaml") == expected


@pytest.mark.parametrize(
    "text,expected",
    [
        ('a: !!python/object/apply:os.system ["echo pwned"]\n',
         ("unsupported YAML tag !!python/object/apply:os.system", 1, 4)),
        ("a: !!python/name:os.system\n", ("unsupported YAML tag !!python/name:os.system", 1, 4)),
        ("!!python/object:os.Foo {a: 1}\n", ("unsupported YAML tag !!python/object:os.Foo", 1, 1)),
        ("b: 1\nc: !Ref x\n", ("unsupported YAML tag !Ref", 2, 4)),
        ("a: !!int abc\n", ("invalid !!int value 'abc'", 1, 4)),
    ],
)
def test_yaml_tags(text: str, expected: tuple[str, int, int]) -> None:
    assert error(text, "yaml") == expected


def test_yaml_python_tag_is_never_executed(tmp_path) -> None:  # type: ignore[no-untyped-def]
    marker = tmp_path / "pwned"
    text = f'a: !!python/object/apply:os.system ["touch {marker}"]\n'
    with pytest.raises(DecodeError):
        decode_text(text, "yaml")
    assert not marker.exists()


def test_yaml_implicit_types_as_the_json_model_expects() -> None:
    text = (
        "date: 2024-01-31\nstamp: 2024-01-31T10:00:00Z\nyes_: yes\nno_: off\nint: 0x10\n"
        "float: 1.5\nnull_: ~\nempty:\n1: one\ntrue: t\n2024-01-01: d\nquoted: '12'\n"
        "explicit: !!str 12\nts: !!timestamp 2001-12-14\nbig: 1_000\n"
    )
    doc = decode_text(text, "yaml").documents[0]
    assert doc == {
        "date": "2024-01-31", "stamp": "2024-01-31T10:00:00Z", "yes_": True, "no_": False, "int": 16,
        "float": 1.5, "null_": None, "empty": None, "1": "one", "true": "t", "2024-01-01": "d",
        "quoted": "12", "explicit": "12", "ts": "2001-12-14", "big": 1000,
    }
    assert all(isinstance(k, str) for k in doc)


def test_yaml_multi_document() -> None:
    decoded = decode_text("x: 1\n---\n# just a comment\n---\n- 1\n...\n", "yaml")
    assert decoded.documents == [{"x": 1}, None, [1]]
    assert decoded.fmt == "yaml"


def test_yaml_merge_keys_and_aliases() -> None:
    text = "base: &b {x: 1, y: 2}\nother: &o {z: 0}\nd:\n  <<: [*b, *o]\n  y: 3\ne: *b\n"
    doc = decode_text(text, "yaml").documents[0]
    assert doc["d"] == {"x": 1, "y": 3, "z": 0}
    assert doc["e"] == {"x": 1, "y": 2}


def test_yaml_billion_laughs() -> None:
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi"):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
    text = "\n".join(lines) + "\n"
    # Anchors a..e hold 10, 91, 820, 7381 and 66430 nodes; aliases in b..e add 74,718 nodes and
    # the first *e in f (line 6, column 8) passes 100,000.
    assert error(text, "yaml") == (f"YAML aliases expand to more than {YAML_ALIAS_LIMIT} nodes", 6, 8)


def test_yaml_deep_alias_chain() -> None:
    # Written depth 6, but each anchor nests the previous one 5 levels deeper: a{i} is 5i+1 deep,
    # so *a102 under 6 open levels of item 103 (line 104) reaches 517 levels.
    lines = ["- &a0 [x]"] + [f"- &a{i} [[[[[*a{i - 1}]]]]]" for i in range(1, 200)]
    assert error("\n".join(lines) + "\n", "yaml") == ("nesting deeper than 512 levels", 104, 14)


def test_yaml_recursive_and_undefined_alias() -> None:
    assert error("a: &a [*a]\n", "yaml") == ("recursive YAML alias *a", 1, 8)
    assert error("a: *nope\n", "yaml") == ("undefined YAML alias *nope", 1, 4)


def test_yaml_complex_key() -> None:
    assert error("? [a]\n: b\n", "yaml") == ("unsupported YAML mapping key (a mapping or sequence)", 1, 3)


def test_yaml_control_character() -> None:
    assert error(b"a: b\nc: \x01\n", "yaml") == ("control characters are not allowed (#x0001)", 2, 4)


# --------------------------------------------------------------------------- encodings

DOC = '{"name": "r\u00e9gistry \u20ac"}'


@pytest.mark.parametrize(
    "data",
    [
        DOC.encode("utf-8"),
        codecs.BOM_UTF8 + DOC.encode("utf-8"),
        codecs.BOM_UTF16_LE + DOC.encode("utf-16-le"),
        codecs.BOM_UTF16_BE + DOC.encode("utf-16-be"),
        DOC.encode("utf-16-le"),
        DOC.encode("utf-16-be"),
        codecs.BOM_UTF32_LE + DOC.encode("utf-32-le"),
        codecs.BOM_UTF32_BE + DOC.encode("utf-32-be"),
        DOC.encode("utf-32-le"),
        DOC.encode("utf-32-be"),
    ],
    ids=["utf8", "utf8-bom", "utf16le-bom", "utf16be-bom", "utf16le", "utf16be",
         "utf32le-bom", "utf32be-bom", "utf32le", "utf32be"],
)
@pytest.mark.parametrize("fmt", ["json", "yaml"])
def test_encodings(data: bytes, fmt: str) -> None:
    decoded = decode_bytes(data, fmt)
    assert decoded.documents == [{"name": "r\u00e9gistry \u20ac"}]
    assert decoded.text == DOC  # BOM removed


def test_decode_text_drops_bom() -> None:
    assert decode_text("\ufeff[1]", "json").text == "[1]"


def test_invalid_utf8_position_counts_characters() -> None:
    data = '{\n  "a": "\u00e9\u00e9'.encode() + b"\xff" + b'"\n}'
    assert error(data, "json") == ("invalid UTF-8 byte 0xFF", 2, 11)  # 8 ASCII + 2 characters before


def test_invalid_utf16() -> None:
    data = codecs.BOM_UTF16_LE + '{"a":1}'.encode("utf-16-le") + b"\x00"
    assert error(data, "json") == ("invalid UTF-16 data (truncated data)", 1, 8)
    data = codecs.BOM_UTF16_LE + '{"a":"\ud800"}'.encode("utf-16-le", "surrogatepass")
    assert error(data, "json") == ("invalid UTF-16 data (illegal UTF-16 surrogate)", 1, 7)


@pytest.mark.parametrize("fmt", ["json", "yaml"])
def test_nul_byte(fmt: str) -> None:
    assert error(b'{"a": 1}\r\n\x00', fmt) == ("binary file (NUL byte)", 2, 1)
    assert error('{"a": "\x00"}', fmt) == ("binary file (NUL byte)", 1, 8)


def test_binary_content_with_json_name() -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00"
    assert format_for_path("logo.json") == "json"
    assert error(png, "json") == ("binary file (NUL byte)", 3, 1)
    # NUL bytes in a UTF-16-like pattern that does not decode to text are binary too.
    assert error(b"\x01\x00\x02\x00\x03\x00", "json") == ("binary file (NUL byte)", 1, 2)


# --------------------------------------------------------------------------- size


def test_single_string_line_of_1_mb() -> None:
    value = "x" * 1_000_000
    text = json.dumps({"blob": value, "n": [1]})
    assert decode_text(text, "json").documents == [{"blob": value, "n": [1]}]
    assert decode_text(f"blob: {value}\n", "yaml").documents == [{"blob": value}]


def test_100_mb_json(tmp_path) -> None:  # type: ignore[no-untyped-def]
    # 10,000 objects with a 10 KB string each: about 100 MB of text but few Python objects.
    path = tmp_path / "big.json"
    chunk = "a\\\"b" + "y" * 10_000
    with path.open("w", encoding="utf-8") as f:
        f.write('{"resources": [')
        for i in range(10_000):
            f.write(("," if i else "") + f'{{"name": "r{i}", "tags": ["{chunk}"], "n": [{{"d": [{i}]}}]}}')
        f.write("]}")
    data = path.read_bytes()
    assert len(data) > 100_000_000
    decoded = decode_bytes(data, "json")
    del data
    resources = decoded.documents[0]["resources"]
    assert len(resources) == 10_000
    assert resources[-1]["n"] == [{"d": [9999]}]
    assert resources[0]["tags"][0].startswith('a"by')
    assert decoded.duplicates == []


def test_lone_surrogate_in_yaml_text() -> None:
    assert error('a: "\ud800"\n', "yaml") == ("invalid character U+D800", 1, 5)


def test_unknown_format() -> None:
    assert error("{}", "toml") == ("unknown format 'toml'", None, None)
