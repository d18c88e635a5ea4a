"""ARM template language expressions: the syntax tree, its errors and the evaluation context.

The parser and the public entry points are in linter.arm.expr; the functions in linter.arm.functions*. This
module imports nothing from those, so the function modules can build on it without an import cycle: a call of a
user-defined function is evaluated through ``user_functions.call``, which linter.arm.expr installs.
"""
from __future__ import annotations

from collections.abc import Callable
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
            assert user_functions.call is not None  # installed when linter.arm.expr is imported
            return user_functions.call(cx, self)
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


class _UserFunctions:
    """How a call of a user-defined function (``ns.fn(...)``) is evaluated; installed by linter.arm.expr, which
    parses their bodies."""

    call: Callable[[EvalContext, Call], Any] | None = None


user_functions = _UserFunctions()
