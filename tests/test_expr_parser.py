"""Grammar of ARM template expressions: what parses, to what, and the exact syntax errors."""
from __future__ import annotations

import pytest

from linter.arm.expr import (
    Call,
    ExprError,
    Literal,
    Member,
    check_syntax,
    compile_expression,
    is_expression,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[concat('a')]", True),
        ("[[concat('a')]", False),
        ("plain", False),
        ("[", False),
        ("[]", True),
        ("]", False),
        ("[x", False),
        (" [concat('a')]", False),
        ("[concat('a')] ", False),
    ],
)
def test_is_expression(text: str, expected: bool) -> None:
    assert is_expression(text) is expected


def test_call_structure() -> None:
    node = compile_expression("[concat('a', 1, -2)]")
    assert isinstance(node, Call)
    assert node.name == "concat" and node.namespace is None
    assert [type(a) for a in node.args] == [Literal, Literal, Literal]
    assert [a.value for a in node.args] == ["a", 1, -2]
    assert [a.offset for a in node.args] == [8, 13, 16]


def test_member_and_index_chain() -> None:
    node = compile_expression("[reference('x').outputs['a b'][0].value]")
    assert isinstance(node, Member) and node.dotted and node.key.value == "value"
    idx = node.target
    assert isinstance(idx, Member) and not idx.dotted and idx.key.value == 0
    quoted = idx.target
    assert isinstance(quoted, Member) and quoted.key.value == "a b"
    dotted = quoted.target
    assert isinstance(dotted, Member) and dotted.key.value == "outputs"
    assert isinstance(dotted.target, Call) and dotted.target.name == "reference"


def test_expression_index() -> None:
    node = compile_expression("[variables('map')[parameters('key')]]")
    assert isinstance(node, Member) and isinstance(node.key, Call)


def test_namespaced_user_function() -> None:
    node = compile_expression("[contoso.buildUrl(true, 'x', '')]")
    assert isinstance(node, Call)
    assert (node.namespace, node.name, node.spec) == ("contoso", "buildUrl", None)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("['it''s']", "it's"),
        ("['''']", "'"),
        ("['']", ""),
        ("[0]", 0),
        ("[-42]", -42),
        ("[9223372036854775807]", 9223372036854775807),
        ("[true]", True),
        ("[false]", False),
        ("[null]", None),
        ("[TRUE]", True),
        ("['[not nested]']", "[not nested]"),
        ("['a]b']", "a]b"),
        ("['\u00e9\u4e2d']", "\u00e9\u4e2d"),
    ],
)
def test_literals(text: str, value: object) -> None:
    node = compile_expression(text)
    assert isinstance(node, Literal) and node.value == value


@pytest.mark.parametrize(
    "text",
    [
        "[ concat ( 'a' , 'b' ) ]",
        "[\n  concat(\n    'a',\n    'b'\n  )\n]",
        "[\tconcat('a','b')\t]",
        "[CoNcAt('a', 'b')]",
        "[concat('a', 'b') ]",
        "[createArray(1, 2) [0]]",
        "[createObject('a', 1) . a]",
        "[true()]",
        "[if(true, null, false)]",
        "[lambdaVariables('x')]",
        "[listKeys('id', '2023-01-01')]",
        "[listAccountSas('id', '2023-01-01', createObject())]",
        "[map(createArray(1), lambda('x', 'i', lambdaVariables('x')))]",
    ],
)
def test_valid_syntax(text: str) -> None:
    assert check_syntax(text) is None


def test_function_names_case_insensitive() -> None:
    a = compile_expression("[TOLOWER('A')]")
    b = compile_expression("[tolower('A')]")
    assert isinstance(a, Call) and isinstance(b, Call) and a.spec is b.spec


SYNTAX_ERRORS = [
    ("[]", "the expression is empty", 1),
    ("[   ]", "the expression is empty", 4),
    ("[concat('a'))]", "unexpected ')' after the end of the expression", 12),
    ("[concat('a') extra]", "unexpected 'e' after the end of the expression", 13),
    ("[concat('a' 'b')]", "expected ',' or ')' in the call of 'concat', found a string literal", 12),
    ("[concat(,)]", "expected an argument, found ','", 8),
    ("[concat('a',)]", "expected an argument, found ')'", 12),
    ("[concat('a'", "an expression must start with '[' and end with ']'", 0),
    ("[concat('a']", "expected ')' to close the call of 'concat', found end of expression", 11),
    ("['abc]", "unterminated string literal", 1),
    ("[concat('a', 'b)]", "unterminated string literal", 13),
    ("[foo()]", "unknown function 'foo'", 1),
    ("[concat('a', bar(1))]", "unknown function 'bar'", 13),
    ("[concat]", "expected '(' after function name 'concat', found end of expression", 7),
    ("[concat('a').]", "expected a property name after '.', found end of expression", 13),
    ("[concat('a').1]", "expected a property name after '.', found '1'", 13),
    ("[ns.fn]", "expected '(' after function name 'ns.fn', found end of expression", 6),
    ("[1.5]", "floating-point literals are not supported; use json('1.5') instead", 1),
    ("[12abc]", "invalid number literal '12a'", 1),
    ('["x"]', "string literals must use single quotes", 1),
    ("[#]", "unexpected character '#'", 1),
    ("[concat('a', -)]", "unexpected character '-'", 13),
    ("[createArray(1)[]]", "expected an index or property name inside '[]'", 16),
    ("[createArray(1)[0]", "expected ']' to close the index, found end of expression", 17),
    ("[concat()]", "function 'concat' expects at least 1 argument, got 0", 1),
    ("[add(1)]", "function 'add' expects 2 arguments, got 1", 1),
    ("[add(1, 2, 3)]", "function 'add' expects 2 arguments, got 3", 1),
    ("[if(true, 1)]", "function 'if' expects 3 arguments, got 2", 1),
    ("[utcNow('u', 'x')]", "function 'utcNow' expects 0 to 1 argument, got 2", 1),
    ("[resourceGroup(1)]", "function 'resourceGroup' expects 0 arguments, got 1", 1),
    ("[lambda(1, 2)]", "lambda() parameter names must be string literals", 8),
    ("[99999999999999999999]", "integer literal '99999999999999999999' is out of range", 1),
    ("[x]", "expected '(' after function name 'x', found end of expression", 2),
]


@pytest.mark.parametrize(("text", "message", "offset"), SYNTAX_ERRORS, ids=[e[0] for e in SYNTAX_ERRORS])
def test_syntax_errors(text: str, message: str, offset: int) -> None:
    err = check_syntax(text)
    assert err is not None
    assert (err.message, err.offset) == (message, offset)
    with pytest.raises(ExprError):
        compile_expression(text)


def test_unknown_function_in_untaken_branch_is_still_an_error() -> None:
    # checked at compile time, so a branch that is never evaluated is still checked
    err = check_syntax("[if(true, 'a', nosuch(1))]")
    assert err is not None and err.message == "unknown function 'nosuch'" and err.offset == 15


def test_wrong_arity_in_lambda_body() -> None:
    err = check_syntax("[map(createArray(1), lambda('x', add(lambdaVariables('x'))))]")
    assert err is not None and err.message == "function 'add' expects 2 arguments, got 1"


def test_nesting_limit() -> None:
    ok = "[" + "not(" * 150 + "true" + ")" * 150 + "]"
    assert check_syntax(ok) is None
    bad = "[" + "not(" * 250 + "true" + ")" * 250 + "]"
    err = check_syntax(bad)
    assert err is not None and err.message == "the expression is nested too deeply (more than 200 levels)"
    deep_index = "[createArray(1)" + "[0]" * 250 + "]"
    assert check_syntax(deep_index) is None  # a long chain of indexes is not nesting
    nested_index = "[" + "createArray(0)[" * 250 + "0" + "]" * 250 + "]"
    err = check_syntax(nested_index)
    assert err is not None and "nested too deeply" in err.message


def test_error_str_includes_offset() -> None:
    err = check_syntax("[foo()]")
    assert err is not None and str(err) == "unknown function 'foo' (at offset 1)"
    assert str(ExprError("plain")) == "plain"
