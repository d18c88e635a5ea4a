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
from typing import Any

from ..model import Unknown, ci_key

MAX_DEPTH = 200  # nesting of calls / brackets in one expression
MAX_UDF_DEPTH = 32  # user-defined function call depth
MAX_STRING = 10_000_000  # characters in a produced string
MAX_ITEMS = 100_000  # items in a produced array / object


class ExprError(Exception):
    """An expression that ARM would reject (syntax) or fail to evaluate (runtime).

    ``static`` marks an error that holds whatever values the expression sees (a syntax error, an unknown
    function, a wrong number of arguments, an undeclared parameter or variable): the template is wrong even
    where the expression may never be evaluated. Every other error depends on the values.
    """

    def __init__(self, message: str, offset: int | None = None, static: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset
        self.static = static

    def __str__(self) -> str:
        if self.offset is not None:
            return f"{self.message} (at offset {self.offset})"
        return self.message


# --------------------------------------------------------------------------------------------------
# AST


class Node:
    __slots__ = ("offset",)
    offset: int

    def ev(self, cx: EvalContext) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError


class Literal(Node):
    __slots__ = ("value",)

    def __init__(self, value: Any, offset: int) -> None:
        self.value = value
        self.offset = offset

    def ev(self, cx: EvalContext) -> Any:
        return self.value

    def __repr__(self) -> str:
        return f"Literal({self.value!r})"


class Hole(Node):
    """A string literal of a skeleton tree (see evaluate): its value is the expression's ``index``-th literal."""

    __slots__ = ("index",)

    def __init__(self, index: int, offset: int) -> None:
        self.index = index
        self.offset = offset

    def ev(self, cx: EvalContext) -> Any:
        return cx.holes[self.index]  # type: ignore[index]

    def __repr__(self) -> str:
        return f"Hole({self.index})"


class Call(Node):
    __slots__ = ("args", "name", "namespace", "spec")

    def __init__(self, name: str, namespace: str | None, args: tuple[Node, ...], offset: int, spec: Any) -> None:
        self.name = name  # as written
        self.namespace = namespace
        self.args = args
        self.offset = offset
        self.spec = spec  # functions.FnSpec, or None for user-defined functions

    def ev(self, cx: EvalContext) -> Any:
        if self.spec is None:
            from .functions import call_user_function

            return call_user_function(cx, self)
        return self.spec.invoke(cx, self)

    def __repr__(self) -> str:
        full = f"{self.namespace}.{self.name}" if self.namespace else self.name
        return f"Call({full}, {list(self.args)!r})"


class Member(Node):
    """``target.name`` or ``target['name']`` / ``target[expr]`` / ``target[0]``."""

    __slots__ = ("dotted", "key", "target")

    def __init__(self, target: Node, key: Node, offset: int, dotted: bool) -> None:
        self.target = target
        self.key = key
        self.offset = offset
        self.dotted = dotted

    def ev(self, cx: EvalContext) -> Any:
        obj = self.target.ev(cx)
        key = self.key.ev(cx)
        return access(obj, key, self.offset)

    def __repr__(self) -> str:
        return f"Member({self.target!r}, {self.key!r})"


def type_name(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    if isinstance(value, Unknown):
        return "unknown"
    return type(value).__name__


def get_property(obj: dict[str, Any], name: str) -> Any:
    """Case-insensitive property lookup (ARM property names are case-insensitive); KeyError when absent."""
    key = ci_key(obj, name)
    if key is None:
        raise KeyError(name)
    return obj[key]


def access(obj: Any, key: Any, offset: int | None = None) -> Any:
    """Property access / indexing with ARM's errors and Unknown propagation."""
    if isinstance(key, Unknown):
        if isinstance(obj, Unknown):
            return Unknown(obj.reason or key.reason)
        return Unknown(key.reason or "index is not known before deployment")
    if isinstance(obj, Unknown):
        return obj.member(key)
    if isinstance(obj, dict):
        if not isinstance(key, str):
            raise ExprError(f"cannot index an object with a value of type {type_name(key)}", offset)
        try:
            return get_property(obj, key)
        except KeyError:
            avail = ", ".join(str(k) for k in obj)
            raise ExprError(
                f"The language expression property '{key}' doesn't exist, available properties are '{avail}'.",
                offset,
            ) from None
    if isinstance(obj, list):
        if isinstance(key, bool) or not isinstance(key, int):
            if isinstance(key, str):
                raise ExprError(f"cannot select property '{key}' of an array", offset)
            raise ExprError(f"cannot index an array with a value of type {type_name(key)}", offset)
        if key < 0 or key >= len(obj):
            raise ExprError(f"The language expression property array index '{key}' is out of bounds.", offset)
        return obj[key]
    if obj is None:
        raise ExprError(f"cannot access property '{key}' of a null value", offset)
    raise ExprError(f"cannot access property '{key}' of a value of type {type_name(obj)}", offset)


# --------------------------------------------------------------------------------------------------
# Parser

_WS = " \t\r\n"
_IDENT_START = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_$")
_IDENT_CHARS = _IDENT_START | set("0123456789")
_DIGITS = set("0123456789")
_BARE_LITERALS = {"true": True, "false": False, "null": None}
_WS_RE = re.compile(r"[ \t\r\n]+")
_IDENT_RE = re.compile(r"[A-Za-z_$][A-Za-z0-9_$]*")
_lookup: Any = None


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
        global _lookup
        if _lookup is None:
            from .functions import lookup

            _lookup = lookup
        spec = _lookup(name)
        if spec is None:
            raise ExprError(f"unknown function '{name}'", offset)
        n = len(args)
        if n < spec.min_args or (spec.max_args is not None and n > spec.max_args):
            raise ExprError(f"function '{spec.name}' {spec.arity_text()}, got {n}", offset)
        if spec.check is not None:
            spec.check(args, offset)
        return Call(name, None, tuple(args), offset, spec)


# --------------------------------------------------------------------------------------------------
# Evaluation context


class EvalContext:
    """Everything an expression sees while it is evaluated."""

    __slots__ = ("holes", "lambda_vars", "scope", "udf_params", "udf_stack")

    def __init__(
        self,
        scope: Any,
        lambda_vars: dict[str, Any] | None = None,
        udf_params: dict[str, Any] | None = None,
        udf_stack: tuple[str, ...] = (),
        holes: list[str] | None = None,
    ) -> None:
        self.scope = scope
        self.lambda_vars = lambda_vars
        self.udf_params = udf_params
        self.udf_stack = udf_stack
        self.holes = holes  # the string literals of the expression being evaluated from its skeleton (Hole)

    def with_lambda(self, bindings: dict[str, Any]) -> EvalContext:
        merged = dict(self.lambda_vars) if self.lambda_vars else {}
        merged.update(bindings)
        return EvalContext(self.scope, merged, self.udf_params, self.udf_stack, self.holes)


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
    "check_syntax",
    "compile_expression",
    "evaluate",
    "evaluate_node",
    "get_property",
    "is_expression",
    "type_name",
]
