"""ARM template language expressions: parser, compiled AST and evaluator.

Public API (used by the template expander)::

    ExprError                       syntax and runtime errors (message, offset)
    is_expression(s)                '[...]' and not '[[...'
    compile_expression(s)           whole string incl. brackets -> Node (cached)
    evaluate(s, scope)              any JSON string value -> JSON-model value or Unknown
    evaluate_node(node, scope)
    check_syntax(s)                 -> ExprError | None

Functions live in ``linter.arm.functions`` (registry ``FUNCTIONS``); this module only knows the
grammar, property access/indexing, Unknown propagation of member access and the evaluation context.
"""
from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any

from ..model import Unknown
from .functions import lookup
from .functions_base import is_int
from .nodes import (
    MAX_DEPTH,
    MAX_ITEMS,
    MAX_STRING,
    MAX_UDF_DEPTH,
    Call,
    EvalContext,
    ExprError,
    Hole,
    Literal,
    Member,
    Node,
    access,
    get_property,
    type_name,
    user_functions,
)

# --------------------------------------------------------------------------------------------------
# Parser

_WS = " \t\r\n"
_IDENT_START = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_$")
_IDENT_CHARS = _IDENT_START | set("0123456789")
_DIGITS = set("0123456789")
_BARE_LITERALS = {"true": True, "false": False, "null": None}
_WS_RE = re.compile(r"[ \t\r\n]+")
_IDENT_RE = re.compile(r"[A-Za-z_$][A-Za-z0-9_$]*")


class _Parser:
    def __init__(self, text: str) -> None:
        self.s = text
        self.n = len(text)
        self.i = 0
        self.depth = 0

    def error(self, message: str, offset: int | None = None) -> ExprError:
        return ExprError(message, self.i if offset is None else offset)

    def skip_ws(self) -> None:
        i = self.i
        if i < self.n and self.s[i] in _WS:
            m = _WS_RE.match(self.s, i, self.n)
            self.i = m.end() if m else i

    def peek(self) -> str:
        return self.s[self.i] if self.i < self.n else ""

    def describe(self) -> str:
        c = self.peek()
        if not c:
            return "end of expression"
        return "a string literal" if c == "'" else f"'{c}'"

    def parse(self) -> Node:
        s = self.s
        if not (len(s) >= 2 and s[0] == "[" and s[-1] == "]"):
            raise ExprError("an expression must start with '[' and end with ']'", 0)
        self.n = len(s) - 1  # stop before the closing bracket
        self.i = 1
        self.skip_ws()
        if self.i >= self.n:
            raise self.error("the expression is empty")
        node = self.expression()
        self.skip_ws()
        if self.i < self.n:
            raise self.error(f"unexpected {self.describe()} after the end of the expression")
        return node

    def expression(self) -> Node:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise self.error(f"the expression is nested too deeply (more than {MAX_DEPTH} levels)")
        self.skip_ws()
        node = self.primary()
        while True:
            self.skip_ws()
            c = self.peek()
            if c == ".":
                start = self.i
                self.i += 1
                self.skip_ws()
                name_at = self.i
                name = self.identifier()
                if name is None:
                    raise self.error(f"expected a property name after '.', found {self.describe()}")
                node = Member(node, Literal(name, name_at), start, True)
            elif c == "[":
                start = self.i
                self.i += 1
                self.skip_ws()
                if self.peek() == "]":
                    raise self.error("expected an index or property name inside '[]'")
                key = self.expression()
                self.skip_ws()
                if self.peek() != "]":
                    raise self.error(f"expected ']' to close the index, found {self.describe()}")
                self.i += 1
                node = Member(node, key, start, False)
            else:
                break
        self.depth -= 1
        return node

    def identifier(self) -> str | None:
        m = _IDENT_RE.match(self.s, self.i, self.n)
        if m is None:
            return None
        self.i = m.end()
        return m.group()

    def primary(self) -> Node:
        c = self.peek()
        start = self.i
        if c == "'":
            return Literal(self.string(), start)
        if c in _DIGITS or (c == "-" and self.i + 1 < self.n and self.s[self.i + 1] in _DIGITS):
            return Literal(self.number(), start)
        if c and c in _IDENT_START:
            name = self.identifier()
            assert name is not None
            namespace: str | None = None
            self.skip_ws()
            if self.peek() == ".":
                # ns.fn(...) -- a namespaced user-defined function
                save = self.i
                self.i += 1
                self.skip_ws()
                inner = self.identifier()
                self.skip_ws()
                if inner is not None and self.peek() == "(":
                    namespace, name = name, inner
                elif name.lower() in _BARE_LITERALS or inner is None or self.peek() == ".":
                    self.i = save
                else:
                    raise self.error(f"expected '(' after function name '{name}.{inner}', found {self.describe()}")
            self.skip_ws()
            if self.peek() != "(":
                if namespace is None and name.lower() in _BARE_LITERALS:
                    return Literal(_BARE_LITERALS[name.lower()], start)
                raise self.error(f"expected '(' after function name '{name}', found {self.describe()}")
            self.i += 1
            args = self.arguments(name)
            return self.make_call(name, namespace, args, start)
        if not c:
            raise self.error("unexpected end of expression")
        if c == '"':
            raise self.error("string literals must use single quotes")
        raise self.error(f"unexpected character '{c}'")

    def arguments(self, name: str) -> list[Node]:
        args: list[Node] = []
        self.skip_ws()
        if self.peek() == ")":
            self.i += 1
            return args
        while True:
            self.skip_ws()
            if self.peek() in (",", ")"):
                raise self.error(f"expected an argument, found {self.describe()}")
            args.append(self.expression())
            self.skip_ws()
            c = self.peek()
            if c == ",":
                self.i += 1
                continue
            if c == ")":
                self.i += 1
                return args
            if not c:
                raise self.error(f"expected ')' to close the call of '{name}', found end of expression")
            raise self.error(f"expected ',' or ')' in the call of '{name}', found {self.describe()}")

    def string(self) -> str:
        s, n = self.s, self.n
        start = self.i
        i = self.i + 1
        parts: list[str] = []
        while True:
            j = s.find("'", i, n)
            if j < 0:
                raise ExprError("unterminated string literal", start)
            parts.append(s[i:j])
            if j + 1 < n and s[j + 1] == "'":
                parts.append("'")
                i = j + 2
                continue
            self.i = j + 1
            return "".join(parts)

    def number(self) -> int:
        s, n = self.s, self.n
        start = self.i
        i = self.i + (1 if s[self.i] == "-" else 0)
        while i < n and s[i] in _DIGITS:
            i += 1
        if i < n and s[i] == "." and i + 1 < n and s[i + 1] in _DIGITS:
            raise ExprError("floating-point literals are not supported; use json('1.5') instead", start)
        if i < n and s[i] in _IDENT_START:
            raise ExprError(f"invalid number literal '{s[start:i + 1]}'", start)
        self.i = i
        value = int(s[start:i])
        if not -(2**63) <= value < 2**63:
            raise ExprError(f"integer literal '{s[start:i]}' is out of range", start)
        return value

    def make_call(self, name: str, namespace: str | None, args: list[Node], offset: int) -> Node:
        if namespace is not None and namespace.lower() != "sys":  # built-in functions live in the sys namespace
            return Call(name, namespace, tuple(args), offset, None)
        spec = lookup(name)
        if spec is None:
            raise ExprError(f"unknown function '{name}'", offset)
        n = len(args)
        if n < spec.min_args or (spec.max_args is not None and n > spec.max_args):
            raise ExprError(f"function '{spec.name}' {spec.arity_text()}, got {n}", offset)
        if spec.check is not None:
            spec.check(args, offset)
        return Call(name, None, tuple(args), offset, spec)


# --------------------------------------------------------------------------------------------------
# Public API


def is_expression(s: Any) -> bool:
    return isinstance(s, str) and len(s) >= 2 and s[0] == "[" and s[-1] == "]" and not s.startswith("[[")


@functools.lru_cache(maxsize=65536)
def compile_expression(s: str) -> Node:
    return _parse(s)


def _parse(s: str) -> Node:
    try:
        return _Parser(s).parse()
    except ExprError as e:
        e.static = True
        raise
    except RecursionError:
        raise ExprError(f"the expression is nested too deeply (more than {MAX_DEPTH} levels)", 0, static=True) from None


_HOLE = "\x00"


def check_syntax(s: str) -> ExprError | None:
    try:
        compile_expression(s)
    except ExprError as e:
        return e
    return None


def _guard(fn: Any, *args: Any) -> Any:
    try:
        return fn(*args)
    except ExprError:
        raise
    except RecursionError:
        raise ExprError("the value is nested too deeply to evaluate") from None
    except MemoryError:
        raise ExprError("the expression produces a value that is too large") from None
    except (ArithmeticError, ValueError, TypeError, KeyError, IndexError, AttributeError) as e:
        # A defect or an input we did not foresee: still an error in the expression, never a crash.
        raise ExprError(f"the expression could not be evaluated: {type(e).__name__}: {e}") from None


def evaluate_node(node: Node, scope: Any) -> Any:
    return _guard(node.ev, EvalContext(scope))


# Generated and exported templates repeat one expression shape with different string literals
# ("[concat(parameters('registries_acr00001_name'), '/northeurope')]"), and parsing costs more than most
# evaluations. So evaluate() parses an expression once per shape: its string literals are cut out in one C-level
# split, the skeleton (each literal replaced by a one-character placeholder) is parsed once into a tree whose
# literals are Hole nodes, and the literals are handed to the evaluation in its context. Offsets in that tree are
# the skeleton's; an error's offset is translated back to the real text (_real_offset).
_LITERAL_SPLIT = re.compile(r"'([^']*(?:''[^']*)*)'")
_HOLE_TEXT = "'" + _HOLE + "'"


@functools.lru_cache(maxsize=4096)
def _hole_tree(skeleton: str) -> Node | None:
    try:
        tree = _parse(skeleton)
    except ExprError:
        return None  # parsed from the real text instead, so that the message quotes it
    starts: dict[int, int] = {}
    at = skeleton.find(_HOLE_TEXT)
    while at >= 0:
        starts[at] = len(starts)
        at = skeleton.find(_HOLE_TEXT, at + 3)
    try:
        return _holes(tree, starts)
    except KeyError:
        return None


def _holes(node: Node, starts: dict[int, int]) -> Node:
    if isinstance(node, Literal):
        if node.value == _HOLE:
            return Hole(starts[node.offset], node.offset)
        return node
    if isinstance(node, Call):
        return Call(node.name, node.namespace, tuple(_holes(a, starts) for a in node.args), node.offset, node.spec)
    if isinstance(node, Member):
        return Member(_holes(node.target, starts), _holes(node.key, starts), node.offset, node.dotted)
    raise KeyError(type(node).__name__)


def _real_offset(s: str, offset: int) -> int:
    """The offset in ``s`` of ``offset`` in its skeleton: each literal before it is longer there than its hole."""
    shift = 0
    for m in _LITERAL_SPLIT.finditer(s):
        if m.start() - shift >= offset:
            break
        shift += len(m.group()) - len(_HOLE_TEXT)
    return offset + shift


def evaluate(s: Any, scope: Any) -> Any:
    if not isinstance(s, str):
        return s
    if not (len(s) >= 2 and s[0] == "[" and s[-1] == "]"):
        return s
    if s.startswith("[["):
        return s[1:]
    if "'" in s and _HOLE not in s and "lambda" not in s.lower():
        parts = _LITERAL_SPLIT.split(s)
        tree = _hole_tree(_HOLE_TEXT.join(parts[::2]))
        if tree is not None:
            holes = [v.replace("''", "'") for v in parts[1::2]]
            try:
                return _guard(tree.ev, EvalContext(scope, holes=holes))
            except ExprError as e:
                if e.offset is not None:
                    e.offset = _real_offset(s, e.offset)
                raise
    node = compile_expression(s)
    return _guard(node.ev, EvalContext(scope))


# --------------------------------------------------------------------------------------------------
# User-defined functions (here, not with the built-in functions: their bodies are parsed like any expression)

_TYPE_CHECKS: dict[str, Callable[[Any], bool]] = {
    "string": lambda v: isinstance(v, str),
    "securestring": lambda v: isinstance(v, str),
    "int": is_int,
    "bool": lambda v: isinstance(v, bool),
    "array": lambda v: isinstance(v, list),
    "object": lambda v: isinstance(v, dict),
    "secureobject": lambda v: isinstance(v, dict),
}


def _eval_udf_output(cx: EvalContext, value: Any, depth: int = 0) -> Any:
    if depth > 100:
        raise ExprError("the output of the user-defined function is nested too deeply")
    if isinstance(value, str):
        if value.startswith("[[") and value.endswith("]"):
            return value[1:]
        if is_expression(value):
            return compile_expression(value).ev(cx)
        return value
    if isinstance(value, list):
        return [_eval_udf_output(cx, v, depth + 1) for v in value]
    if isinstance(value, dict):
        return {k: _eval_udf_output(cx, v, depth + 1) for k, v in value.items()}
    return value


def call_user_function(cx: EvalContext, call: Call) -> Any:
    ns = call.namespace or ""
    full = f"{ns}.{call.name}"
    key = full.lower()
    try:
        if key in cx.udf_stack:
            raise ExprError(f"user-defined function '{full}' calls itself; recursion isn't allowed")
        if len(cx.udf_stack) >= MAX_UDF_DEPTH:
            raise ExprError(f"user-defined functions are nested more than {MAX_UDF_DEPTH} levels deep")
        finder = getattr(cx.scope, "user_function", None)
        definition = finder(ns, call.name) if finder is not None else None
        if not isinstance(definition, dict):
            raise ExprError(f"unknown function '{full}'", static=True)
        params = definition.get("parameters") or []
        if not isinstance(params, list):
            raise ExprError(f"user-defined function '{full}' has an invalid parameters section")
        if len(params) != len(call.args):
            raise ExprError(
                f"user-defined function '{full}' expects {len(params)} argument"
                f"{'' if len(params) == 1 else 's'}, got {len(call.args)}"
            )
        values = [a.ev(cx) for a in call.args]
        bound: dict[str, Any] = {}
        for p, v in zip(params, values):
            if not isinstance(p, dict) or not isinstance(p.get("name"), str):
                raise ExprError(f"user-defined function '{full}' has an invalid parameter definition")
            ptype = str(p.get("type", "")).lower()
            check = _TYPE_CHECKS.get(ptype)
            if check is not None and not isinstance(v, Unknown) and not check(v) and not (v is None and p.get("nullable") is True):
                raise ExprError(
                    f"user-defined function '{full}': parameter '{p['name']}' expects {ptype}, got {type_name(v)}"
                )
            bound[p["name"]] = v
        output = definition.get("output")
        if not isinstance(output, dict) or "value" not in output:
            raise ExprError(f"user-defined function '{full}' has no output value")
        inner = EvalContext(cx.scope, None, bound, cx.udf_stack + (key,))
        try:
            return _eval_udf_output(inner, output["value"])
        except ExprError as e:
            # offsets inside the function body refer to its own expression, not the caller's
            if e.message.startswith("in user-defined function"):
                raise ExprError(e.message, call.offset, e.static) from None
            raise ExprError(f"in user-defined function '{full}': {e.message}", call.offset, e.static) from None
    except ExprError as e:
        if e.offset is None:
            e.offset = call.offset
        raise


user_functions.call = call_user_function


__all__ = [
    "MAX_DEPTH",
    "MAX_ITEMS",
    "MAX_STRING",
    "MAX_UDF_DEPTH",
    "Call",
    "EvalContext",
    "ExprError",
    "Hole",
    "Literal",
    "Member",
    "Node",
    "access",
    "call_user_function",
    "check_syntax",
    "compile_expression",
    "evaluate",
    "evaluate_node",
    "get_property",
    "is_expression",
    "type_name",
]
