"""Locate stage: pointer -> exact span, with fallback to the longest existing prefix."""
from __future__ import annotations

import json
import re

import pytest

from linter.locate import Locator
from linter.model import Span


def snippet(text: str, span: Span) -> str:
    """The text a span covers (line breaks: CRLF, CR or LF)."""
    starts = [0] + [m.end() for m in re.finditer(r"\r\n|\r|\n", text)]
    start = starts[span.line - 1] + span.column - 1
    end = starts[span.end_line - 1] + span.end_column - 1
    return text[start:end]


JSON_TEXT = """{
  "$schema": "https://schema.management.azure.com/x#",
  "name": "r\\"q\\"",
  "count": 3,
  "flags": [true, false, null],
  "nested": {"a/b": {"c~d": -1.5e3}, "list": [[1, 2], {"k": "v"}]},
  "empty": {},
  "none": []
}"""


@pytest.mark.parametrize(
    "pointer,span,source",
    [
        ("", Span(1, 1, 9, 2), None),
        ("/$schema", Span(2, 14, 2, 54), '"https://schema.management.azure.com/x#"'),
        ("/name", Span(3, 11, 3, 19), '"r\\"q\\""'),
        ("/count", Span(4, 12, 4, 13), "3"),
        ("/flags", Span(5, 12, 5, 31), "[true, false, null]"),
        ("/flags/1", Span(5, 19, 5, 24), "false"),
        ("/flags/2", Span(5, 26, 5, 30), "null"),
        ("/nested/a~1b", Span(6, 21, 6, 36), '{"c~d": -1.5e3}'),
        ("/nested/a~1b/c~0d", Span(6, 29, 6, 35), "-1.5e3"),
        ("/nested/list/0/1", Span(6, 51, 6, 52), "2"),
        ("/nested/list/1/k", Span(6, 61, 6, 64), '"v"'),
        ("/empty", Span(7, 12, 7, 14), "{}"),
        ("/none", Span(8, 11, 8, 13), "[]"),
    ],
)
def test_json_exact_spans(pointer: str, span: Span, source: str | None) -> None:
    got, located = Locator(JSON_TEXT, "json").span(0, pointer)
    assert (got, located) == (span, pointer)
    assert snippet(JSON_TEXT, got) == (source if source is not None else JSON_TEXT)


@pytest.mark.parametrize(
    "pointer,located",
    [
        ("/missing", ""),
        ("/nested/missing/deeper", "/nested"),
        ("/nested/a~1b/c~0d/below-a-number", "/nested/a~1b/c~0d"),
        ("/flags/3", "/flags"),
        ("/flags/-", "/flags"),
        ("/flags/01", "/flags"),
        ("/nested/list/0/7/x", "/nested/list/0"),
        ("/nested/a/b", "/nested"),  # "a/b" must be written a~1b
        ("not-a-pointer", ""),
    ],
)
def test_json_fallback_to_longest_prefix(pointer: str, located: str) -> None:
    loc = Locator(JSON_TEXT, "json")
    span, got = loc.span(0, pointer)
    assert got == located
    assert span == loc.span(0, located)[0]


def test_json_pointer_keeps_the_callers_escaping() -> None:
    span, located = Locator(JSON_TEXT, "json").span(0, "/nested/a~1b/zz")
    assert located == "/nested/a~1b"
    assert span == Span(6, 21, 6, 36)


def test_json_unknown_document_index() -> None:
    assert Locator(JSON_TEXT, "json").span(1, "/name") == (Span(1, 1, 1, 1), "")


def test_json_duplicate_keys_last_occurrence() -> None:
    text = '{"a": 1, "b": {"x": 1}, "a": [2],\n "b": {"y": 2}}'
    loc = Locator(text, "json")
    assert loc.span(0, "/a") == (Span(1, 30, 1, 33), "/a")
    assert loc.span(0, "/b/y") == (Span(2, 13, 2, 14), "/b/y")
    assert loc.span(0, "/b/x") == (Span(2, 7, 2, 15), "/b")


def test_json_comments() -> None:
    text = (
        "{\n"
        '  // "a": "not this one",\n'
        '  /* "b": [1, 2] */ "a": "http://x", // "c"\n'
        '  "b": [1, /* skip */ 2]\n'
        "}"
    )
    loc = Locator(text, "json")
    assert loc.span(0, "/a") == (Span(3, 26, 3, 36), "/a")
    assert loc.span(0, "/b/1") == (Span(4, 23, 4, 24), "/b/1")
    assert loc.span(0, "/c") == (Span(1, 1, 5, 2), "")


def test_json_crlf() -> None:
    text = '{\r\n  "a": {\r\n    "b": "v"\r\n  },\r\n  "c": 1\r\n}\r\n'
    loc = Locator(text, "json")
    assert loc.span(0, "/a") == (Span(2, 8, 4, 4), "/a")
    assert loc.span(0, "/a/b") == (Span(3, 10, 3, 13), "/a/b")
    assert loc.span(0, "/c") == (Span(5, 8, 5, 9), "/c")
    assert loc.span(0, "") == (Span(1, 1, 6, 2), "")


def test_json_lone_cr() -> None:
    text = '{\r  "a": 1,\r  "b": 2\r}'
    assert Locator(text, "json").span(0, "/b") == (Span(3, 8, 3, 9), "/b")


def test_json_unicode_before_value_counts_characters() -> None:
    text = '{"\u00e9\U0001f600k": "\u20ac", "x": 1}'
    loc = Locator(text, "json")
    assert loc.span(0, "/\u00e9\U0001f600k") == (Span(1, 9, 1, 12), "/\u00e9\U0001f600k")
    assert loc.span(0, "/x") == (Span(1, 19, 1, 20), "/x")


def test_json_tab_counts_one_column() -> None:
    assert Locator('{\n\t"a":\t1}', "json").span(0, "/a") == (Span(2, 7, 2, 8), "/a")


def test_json_escaped_key() -> None:
    text = '{"a\\"b": 1, "\\u0063": 2}'
    loc = Locator(text, "json")
    assert loc.span(0, '/a"b') == (Span(1, 10, 1, 11), '/a"b')
    assert loc.span(0, "/c") == (Span(1, 23, 1, 24), "/c")


def test_json_bom_is_not_a_column() -> None:
    assert Locator('\ufeff{"a": 1}', "json").span(0, "/a") == (Span(1, 7, 1, 8), "/a")


def test_json_many_pointers_in_a_large_template() -> None:
    resources = [
        {"type": "Microsoft.ContainerRegistry/registries", "name": f"acr{i}", "properties": {
            "adminUserEnabled": i % 2 == 0, "networkRuleSet": {"ipRules": [{"value": f"10.0.{i % 250}.0/24"}]},
            "note": "quote \" and \\ back", "policies": {"retentionPolicy": {"days": i}}}}
        for i in range(2000)
    ]
    text = json.dumps({"$schema": "x", "resources": resources}, indent=2)
    loc = Locator(text, "json")
    for i in range(0, 2000, 37):
        for path in (("name",), ("properties", "adminUserEnabled"), ("properties", "networkRuleSet", "ipRules", 0),
                     ("properties", "policies", "retentionPolicy", "days")):
            pointer = "/resources/" + str(i) + "".join(f"/{p}" for p in path)
            span, located = loc.span(0, pointer)
            assert located == pointer
            expected: object = resources[i]
            for p in path:
                expected = expected[p]  # type: ignore[index]
            assert json.loads(snippet(text, span)) == expected


# --------------------------------------------------------------------------- YAML

YAML_TEXT = """\
registry:
  name: acr1   # trailing comment
  sku: {name: Premium, tier: "Pre mium"}
  rules:
    - action: Allow
      value: 10.0.0.0/24
    - [a, b]

  # comment after the block
script: |
  line one
  line two

base: &base {x: 1}
use: *base
merged:
  <<: *base
  y: 2
"""


@pytest.mark.parametrize(
    "pointer,span,source",
    [
        ("/registry", Span(2, 3, 7, 13), None),
        ("/registry/name", Span(2, 9, 2, 13), "acr1"),
        ("/registry/sku", Span(3, 8, 3, 41), '{name: Premium, tier: "Pre mium"}'),
        ("/registry/sku/tier", Span(3, 30, 3, 40), '"Pre mium"'),
        ("/registry/rules", Span(5, 5, 7, 13), None),
        ("/registry/rules/0", Span(5, 7, 6, 25), "action: Allow\n      value: 10.0.0.0/24"),
        ("/registry/rules/0/value", Span(6, 14, 6, 25), "10.0.0.0/24"),
        ("/registry/rules/1/1", Span(7, 11, 7, 12), "b"),
        ("/script", Span(10, 9, 12, 11), "|\n  line one\n  line two"),
        ("/base", Span(14, 7, 14, 19), "&base {x: 1}"),
        ("/use", Span(15, 6, 15, 11), "*base"),
        ("/merged/y", Span(18, 6, 18, 7), "2"),
    ],
)
def test_yaml_block_and_flow_spans(pointer: str, span: Span, source: str | None) -> None:
    got, located = Locator(YAML_TEXT, "yaml").span(0, pointer)
    assert (got, located) == (span, pointer)
    if source is not None:
        assert snippet(YAML_TEXT, got) == source


def test_yaml_block_collection_ends_at_its_last_value() -> None:
    span, _ = Locator(YAML_TEXT, "yaml").span(0, "/registry")
    assert snippet(YAML_TEXT, span).endswith("- [a, b]")


@pytest.mark.parametrize(
    "pointer,located",
    [
        ("/registry/missing", "/registry"),
        ("/registry/rules/5", "/registry/rules"),
        ("/registry/name/x", "/registry/name"),
        ("/use/x", "/use"),  # an alias: located as written, not at its anchor
        ("/merged/x", "/merged"),  # from a merge key: the mapping as written
        ("/nothing", ""),
    ],
)
def test_yaml_fallback(pointer: str, located: str) -> None:
    loc = Locator(YAML_TEXT, "yaml")
    span, got = loc.span(0, pointer)
    assert got == located
    assert span == loc.span(0, located)[0]


def test_yaml_root() -> None:
    span, located = Locator(YAML_TEXT, "yaml").span(0, "")
    assert (span.line, span.column, span.end_line, span.end_column, located) == (1, 1, 18, 7, "")


def test_yaml_multi_document() -> None:
    text = "a: 1\n---\na: 2\nb: [x, y]\n---\n- k: v\n"
    loc = Locator(text, "yaml")
    assert loc.span(0, "/a") == (Span(1, 4, 1, 5), "/a")
    assert loc.span(1, "/a") == (Span(3, 4, 3, 5), "/a")
    assert loc.span(1, "/b/1") == (Span(4, 8, 4, 9), "/b/1")
    assert loc.span(2, "/0/k") == (Span(6, 6, 6, 7), "/0/k")
    assert loc.span(3, "/a") == (Span(1, 1, 1, 1), "")


def test_yaml_duplicate_keys_last_occurrence() -> None:
    text = "a: 1\nb: 2\na: three\n"
    assert Locator(text, "yaml").span(0, "/a") == (Span(3, 4, 3, 9), "/a")


def test_yaml_escaped_tokens_and_quoted_keys() -> None:
    text = "\"a/b\": {'c~d': 1}\n"
    assert Locator(text, "yaml").span(0, "/a~1b/c~0d") == (Span(1, 16, 1, 17), "/a~1b/c~0d")


def test_yaml_crlf_and_unicode() -> None:
    text = "\u00e9\u00e9: x\r\nk:\r\n  \U0001f600: [1, 2]\r\n"
    loc = Locator(text, "yaml")
    assert loc.span(0, "/k/\U0001f600/1") == (Span(3, 10, 3, 11), "/k/\U0001f600/1")
    assert loc.span(0, "/k") == (Span(3, 3, 3, 12), "/k")
    assert loc.span(0, "/\u00e9\u00e9") == (Span(1, 5, 1, 6), "/\u00e9\u00e9")


def test_yaml_that_does_not_parse_gives_a_neutral_span() -> None:
    assert Locator("a: [1,\n", "yaml").span(0, "/a") == (Span(1, 1, 1, 1), "")


@pytest.mark.parametrize(
    ("tokens", "expected"),
    [
        ((), "/resources"),
        (("properties", "adminUserEnabled"), "/resources/properties/adminUserEnabled"),
        (("tags", "a/b", 0), "/resources/tags/a~1b/0"),
        (("x~y", "/", ""), "/resources/x~0y/~1/"),
        ((3, "~1"), "/resources/3/~01"),
    ],
)
def test_join_pointer_escapes_only_what_needs_it(tokens, expected):
    from linter.model import join_pointer

    assert join_pointer("/resources", *tokens) == expected
