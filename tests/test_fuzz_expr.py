"""Property tests: the evaluator never fails with anything but ExprError, and generated valid
expressions always parse."""
from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from linter.arm.context import DeploymentContext
from linter.arm.expr import ExprError, check_syntax, compile_expression, evaluate
from linter.model import Unknown

SETTINGS = settings(max_examples=300, derandomize=True, deadline=None)


class Scope:
    def __init__(self) -> None:
        self.ctx = DeploymentContext()

    def parameter(self, name: str) -> Any:
        values = {"s": "text", "n": 3, "a": [1, "x", None], "o": {"k": "v"}, "u": Unknown("u", ("param", "u"))}
        if name in values:
            return values[name]
        raise ExprError(f"The template parameter '{name}' is not found.")

    def variable(self, name: str) -> Any:
        if name == "v":
            return {"list": [1, 2, 3]}
        raise ExprError(f"The template variable '{name}' is not found.")

    def copy_index(self, loop: str | None, offset: int) -> Any:
        return offset

    def reference(self, target: Any, api_version: Any, full: bool) -> Any:
        return Unknown("ref", ("ref", str(target).lower(), full))

    def references(self, symbolic_name: str, full: bool) -> Any:
        return Unknown("refs")

    def user_function(self, namespace: str, name: str) -> dict[str, Any] | None:
        if (namespace, name) == ("ns", "f"):
            return {"parameters": [{"name": "x", "type": "string"}], "output": {"type": "string", "value": "[parameters('x')]"}}
        return None

    def resource_id_of_symbol(self, symbol: str) -> Any:
        return None


SCOPE = Scope()

_ALPHABET = st.sampled_from(list("[]()',.-0123456789 abcxyzACTruefalsn{}:\\\"\n") + ["concat", "if(", "json(", "'[", "]'"])


def _run(text: str) -> None:
    try:
        evaluate(text, SCOPE)
    except ExprError:
        pass


@SETTINGS
@given(st.text())
def test_any_string_evaluates_or_raises_expr_error(text: str) -> None:
    _run(text)


@SETTINGS
@given(st.lists(_ALPHABET, max_size=40).map("".join))
def test_bracketed_noise_evaluates_or_raises_expr_error(body: str) -> None:
    _run("[" + body + "]")


# ------------------------------------------------------------------ generated valid expressions

_string_lit = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=8).map(
    lambda s: "'" + s.replace("'", "''") + "'"
)
_int_lit = st.integers(min_value=-1000, max_value=1000).map(str)
_atoms = st.one_of(
    _string_lit,
    _int_lit,
    st.sampled_from(["true", "false", "null", "true()", "false()", "null()", "parameters('s')", "parameters('a')",
                     "parameters('o')", "parameters('u')", "variables('v')", "resourceGroup()", "subscription()",
                     "deployment()", "environment()", "utcNow()", "copyIndex()"]),
)

_FUNCS_1 = ["string", "length", "empty", "first", "last", "toLower", "toUpper", "trim", "base64", "not", "bool",
            "int", "array", "createArray", "json", "uniqueString", "guid", "uriComponent", "float", "objectKeys",
            "items", "flatten", "max", "min"]
_FUNCS_2 = ["concat", "equals", "contains", "add", "sub", "mul", "div", "mod", "take", "skip", "split", "join",
            "union", "intersection", "greater", "less", "and", "or", "coalesce", "indexOf", "startsWith", "range",
            "tryGet", "format", "createObject", "padLeft"]


def _extend(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.tuples(st.sampled_from(_FUNCS_1), children).map(lambda t: f"{t[0]}({t[1]})"),
        st.tuples(st.sampled_from(_FUNCS_2), children, children).map(lambda t: f"{t[0]}({t[1]}, {t[2]})"),
        st.tuples(children, children, children).map(lambda t: f"if({t[0]}, {t[1]}, {t[2]})"),
        st.tuples(children, st.sampled_from(["name", "id", "a", "Location"])).map(lambda t: f"{t[0]}.{t[1]}"),
        st.tuples(children, children).map(lambda t: f"{t[0]}[{t[1]}]"),
        st.tuples(children).map(
            lambda t: f"map(createArray({t[0]}), lambda('x', concat(string(lambdaVariables('x')), 'y')))"
        ),
        st.tuples(children).map(lambda t: f"ns.f({t[0]})"),
    )


_exprs = st.recursive(_atoms, _extend, max_leaves=12)
_ws = st.sampled_from(["", " ", "\n", "\t "])


@SETTINGS
@given(_exprs, _ws, _ws)
def test_generated_expressions_parse(expr: str, lead: str, trail: str) -> None:
    text = f"[{lead}{expr}{trail}]"
    if text.startswith("[["):
        return
    assert check_syntax(text) is None, (text, check_syntax(text))
    compile_expression(text)
    _run(text)


@SETTINGS
@given(_exprs)
def test_evaluation_is_deterministic(expr: str) -> None:
    text = f"[{expr}]"
    if text.startswith("[["):
        return

    def once() -> Any:
        try:
            return ("ok", repr(evaluate(text, SCOPE)))
        except ExprError as e:
            return ("err", e.message)

    first = once()
    if "Unknown(" in first[1]:
        return  # anonymous Unknowns print their reason only; nothing to compare
    assert once() == first
