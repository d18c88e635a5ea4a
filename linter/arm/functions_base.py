"""Registry and shared helpers for ARM template functions."""
from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from ..model import UNKNOWN_PART, Unknown, contains_unknown
from . import jsonreader
from .nodes import MAX_ITEMS, MAX_STRING, Call, EvalContext, ExprError, Literal, Node, type_name

INT64_MIN = -(2**63)
INT64_MAX = 2**63 - 1


class FnSpec:
    """One template function.

    ``impl`` is called as ``impl(cx, args, call)``; for eager functions ``args`` are the evaluated
    argument values, for lazy ones (``lazy=True``) the argument nodes. Unless ``unknown_ok`` is set,
    an eager function given a top-level Unknown argument returns Unknown without being called.
    """

    __slots__ = ("check", "impl", "lazy", "max_args", "min_args", "name", "shapes", "unknown_ok")

    def __init__(
        self,
        name: str,
        min_args: int,
        max_args: int | None,
        impl: Callable[..., Any],
        lazy: bool = False,
        unknown_ok: bool = False,
        check: Callable[[list[Node], int], None] | None = None,
        shapes: bool = False,
    ) -> None:
        self.name = name
        self.min_args = min_args
        self.max_args = max_args
        self.impl = impl
        self.lazy = lazy
        self.unknown_ok = unknown_ok
        self.check = check
        self.shapes = shapes  # builds a string: with unknown arguments, the result is an Unknown with a shape

    def arity_text(self) -> str:
        def n(k: int) -> str:
            return f"{k} argument" + ("" if k == 1 else "s")

        if self.max_args is None:
            return f"expects at least {n(self.min_args)}"
        if self.min_args == self.max_args:
            return f"expects {n(self.min_args)}"
        return f"expects {self.min_args} to {n(self.max_args)}"

    def invoke(self, cx: EvalContext, call: Call) -> Any:
        try:
            if self.lazy:
                result = self.impl(cx, call.args, call)
            else:
                args = [a.ev(cx) for a in call.args]
                if not self.unknown_ok:
                    for a in args:
                        if isinstance(a, Unknown):
                            if self.shapes:
                                return shaped(self, cx, args, call, a)
                            return Unknown(a.reason or f"{self.name}() of a value not known before deployment")
                result = self.impl(cx, args, call)
        except ExprError as e:
            if e.offset is None:
                e.offset = call.offset
            raise
        check_size(result, getattr(cx.scope, "budget", None))
        if self.shapes and isinstance(result, str) and UNKNOWN_PART in result:  # built in a scope not known here
            return Unknown(f"{self.name}() in a scope not known before deployment", shape=result)
        return result


def shaped(spec: FnSpec, cx: EvalContext, args: list[Any], call: Call, first: Unknown) -> Unknown:
    """The result of a string-building function over unknown arguments: an Unknown whose shape is the string built
    with each unknown argument written as its own shape, or as UNKNOWN_PART."""
    reason = first.reason or f"{spec.name}() of a value not known before deployment"
    stand_ins = [(a.shape if a.shape is not None else UNKNOWN_PART) if isinstance(a, Unknown) else a for a in args]
    try:
        result = spec.impl(cx, stand_ins, call)
    except ExprError:
        return Unknown(reason)
    return Unknown(reason, shape=result) if isinstance(result, str) else Unknown(reason)


FUNCTIONS: dict[str, FnSpec] = {}


def register(
    name: str,
    min_args: int,
    max_args: int | None,
    lazy: bool = False,
    unknown_ok: bool = False,
    check: Callable[[list[Node], int], None] | None = None,
    shapes: bool = False,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def deco(fn: Callable[..., Any]) -> Callable[..., Any]:
        FUNCTIONS[name.lower()] = FnSpec(name, min_args, max_args, fn, lazy, unknown_ok, check, shapes)
        return fn

    return deco


def lookup(name: str) -> FnSpec | None:
    low = name.lower()
    spec = FUNCTIONS.get(low)
    if spec is None and low.startswith("list"):
        return FUNCTIONS.get("list*")
    return spec


# ------------------------------------------------------------------ size limits


MAX_NODES = 1_000_000  # values in a produced array / object, counted as if written out in full
_SIZE_CACHE: dict[int, tuple[Any, int]] = {}  # id -> (the value, kept alive so the id stays its own; size)

# Per file (a Budget for each): what all its expressions together may produce, across copies and
# nested deployments. The per-value limits above bound one result; these bound the sum, so that 800 copies
# of a 10-million-character concat() (or of a 100,000-item range()) cannot take minutes and gigabytes.
MAX_FILE_CHARS = 50_000_000  # characters of the strings that functions return
MAX_FILE_ITEMS = 2_000_000  # items of the arrays and objects that functions return
MAX_LAMBDA_CALLS = 200_000  # lambda bodies evaluated (map, filter, reduce, sort, ...)


class BudgetExceeded(Exception):
    """A file's expressions produced more than its budget: its expansion stops (one ACR004 for the file)."""


class Budget:
    """What the expressions of one file may still produce (linter.stages.expand gives each file one; the expander
    that evaluates them carries it as ``budget``, where the functions find it through their scope)."""

    __slots__ = ("chars", "items", "lambdas")

    def __init__(self) -> None:
        self.chars = MAX_FILE_CHARS
        self.items = MAX_FILE_ITEMS
        self.lambdas = MAX_LAMBDA_CALLS

    def spend_chars(self, n: int) -> bool:
        """Counts ``n``; True once the budget is exceeded (and so for each of the following)."""
        self.chars -= n
        return self.chars < 0

    def spend_items(self, n: int) -> bool:
        self.items -= n
        return self.items < 0

    def spend_lambda(self) -> bool:
        self.lambdas -= 1
        return self.lambdas < 0


def check_size(value: Any, budget: Budget | None = None) -> None:
    """The limits on one value an expression produces, and on what the file's expressions produce in all (``budget``:
    None when the expression is evaluated on its own, outside a file)."""
    if isinstance(value, str):
        if len(value) > MAX_STRING:
            raise ExprError(f"the expression produces a string longer than {MAX_STRING} characters")
        if budget is not None and budget.spend_chars(len(value)):
            raise BudgetExceeded(f"the template's expressions produce more than {MAX_FILE_CHARS:,} characters in all")
    elif isinstance(value, (list, dict)):
        if len(value) > MAX_ITEMS:
            raise ExprError(f"the expression produces a collection with more than {MAX_ITEMS} items")
        if budget is not None and budget.spend_items(len(value)):
            raise BudgetExceeded(f"the template's expressions produce more than {MAX_FILE_ITEMS:,} array and object items in all")
        if value and not _shallow(value):
            expanded_size(value)


_SHALLOW_LIMIT = 10_000


def _shallow(value: list[Any] | dict[str, Any]) -> bool:
    """True for a small container at most two levels deep (resourceGroup(), subscription(), most objects an
    expression builds): its written-out size is counted here directly, so it needs no size walk (nor a
    size-cache entry, which would keep it alive for the rest of the run)."""
    total = len(value)
    for child in value.values() if isinstance(value, dict) else value:
        if isinstance(child, (list, dict)):
            total += len(child)
            if total > _SHALLOW_LIMIT:
                return False
            for grandchild in child.values() if isinstance(child, dict) else child:
                if isinstance(grandchild, (list, dict)):
                    return False
    return total <= _SHALLOW_LIMIT


def expanded_size(root: Any) -> int:
    """Number of values in ``root`` written out in full, counting a shared array or object once per use.

    Expressions can reuse one value many times (``createArray(variables('a'), variables('a'))``), so a
    chain of a few variables describes a tree of astronomical size; every later walk over it (string(),
    the rules, the schema checks) would never finish. Shared parts are counted from a memo, so this costs
    one pass over the distinct containers; raises ExprError beyond MAX_NODES.
    """
    cached = _SIZE_CACHE.get(id(root))
    if cached is not None and cached[0] is root:
        return cached[1]
    memo: dict[int, int] = {}
    entered: set[int] = set()  # guards against a cycle, which no expression can build
    stack: list[tuple[Any, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        children = node.values() if isinstance(node, dict) else node
        if done:
            total = 1
            for c in children:
                total += memo.get(id(c), 1) if isinstance(c, (list, dict)) else 1
            if total > MAX_NODES:
                raise ExprError(f"the expression produces a value with more than {MAX_NODES} nested items")
            memo[id(node)] = total
            if total > 1000 and node is not root:
                _remember_size(node, total)
            continue
        if id(node) in memo or id(node) in entered:
            continue
        known = _SIZE_CACHE.get(id(node))
        if known is not None and known[0] is node:  # a big part counted before (the template in deployment())
            memo[id(node)] = known[1]
            continue
        entered.add(id(node))
        stack.append((node, True))
        stack.extend((c, False) for c in children if isinstance(c, (list, dict)) and id(c) not in memo)
    size = memo[id(root)]
    if size > 1000:  # big values are often referenced again (a variable in a copy loop): remember them
        _remember_size(root, size)
    return size


def _remember_size(value: Any, size: int) -> None:
    """Big values, and big parts of values, are often met again (a variable in a copy loop, the template that every
    deployment() call returns inside a new object): their size is kept (with the value, so the id stays its own)."""
    if len(_SIZE_CACHE) > 1024:
        _SIZE_CACHE.clear()
    _SIZE_CACHE[id(value)] = (value, size)


def ensure_len(n: int, what: str = "string") -> None:
    limit = MAX_STRING if what == "string" else MAX_ITEMS
    if n > limit:
        unit = "characters" if what == "string" else "items"
        raise ExprError(f"the expression would produce a {what} with more than {limit} {unit}")


# ------------------------------------------------------------------ argument helpers

_ORD = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth"]


def ordinal(i: int) -> str:
    return _ORD[i] if i < len(_ORD) else f"#{i + 1}"


def bad_arg(fn: str, i: int, expected: str, value: Any) -> ExprError:
    return ExprError(f"{fn}() expects its {ordinal(i)} argument to be {expected}, got {type_name(value)}")


def is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def arg_str(fn: str, args: list[Any], i: int) -> str:
    v = args[i]
    if not isinstance(v, str):
        raise bad_arg(fn, i, "a string", v)
    return v


def arg_int(fn: str, args: list[Any], i: int) -> int:
    v = args[i]
    if not is_int(v):
        raise bad_arg(fn, i, "an integer", v)
    return int(v)


def arg_list(fn: str, args: list[Any], i: int) -> list[Any]:
    v = args[i]
    if not isinstance(v, list):
        raise bad_arg(fn, i, "an array", v)
    return v


def arg_dict(fn: str, args: list[Any], i: int) -> dict[str, Any]:
    v = args[i]
    if not isinstance(v, dict):
        raise bad_arg(fn, i, "an object", v)
    return v


def check_int64(fn: str, v: int) -> int:
    if not INT64_MIN <= v <= INT64_MAX:
        raise ExprError(f"{fn}(): the result {v} overflows a 64-bit integer")
    return v


def unknown(reason: str) -> Unknown:
    return Unknown(reason)


def unknown_from(values: list[Any], fn: str) -> Unknown:
    for v in values:
        if isinstance(v, Unknown):
            return Unknown(v.reason or f"{fn}() of a value not known before deployment")
    return Unknown(f"{fn}() of a value not known before deployment")


# ------------------------------------------------------------------ equality (three-valued)


def deep_equal(a: Any, b: Any, _depth: int = 0) -> bool | None:
    """JSON equality as ARM compares values; None when it depends on an Unknown."""
    if _depth > 400:
        raise ExprError("the value is nested too deeply to compare")
    if isinstance(a, Unknown) or isinstance(b, Unknown):
        if isinstance(a, Unknown) and isinstance(b, Unknown) and a == b:
            return True
        return None
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if is_number(a) and is_number(b):
        return bool(a == b)
    if isinstance(a, str) and isinstance(b, str):
        return a == b
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return False
        result: bool | None = True
        for x, y in zip(a, b):
            r = deep_equal(x, y, _depth + 1)
            if r is False:
                return False
            if r is None:
                result = None
        return result
    if isinstance(a, dict) and isinstance(b, dict):
        if len(a) != len(b):
            return False
        bl = {k.lower(): v for k, v in b.items()}
        result = True
        for k, v in a.items():
            if k.lower() not in bl:
                return False
            r = deep_equal(v, bl[k.lower()], _depth + 1)
            if r is False:
                return False
            if r is None:
                result = None
        return result
    return False


# ------------------------------------------------------------------ string conversion


def format_float(v: float) -> str:
    """A double as .NET prints it (shortest round-trip form)."""
    if v != v:
        return "NaN"
    if v in (float("inf"), float("-inf")):
        return "Infinity" if v > 0 else "-Infinity"
    if v == int(v) and abs(v) < 1e15:
        return str(int(v))
    r = repr(v)
    if "e" in r:
        mant, exp = r.split("e")
        sign = "-" if exp.startswith("-") else "+"
        return f"{mant.upper()}E{sign}{exp.lstrip('+-').zfill(2)}"
    return r


def to_json_text(value: Any) -> str:
    """Compact JSON as ARM serialises objects and arrays in string()."""
    if contains_unknown(value):
        raise _UnknownInside()
    try:
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    except ValueError as e:
        raise ExprError(f"the value cannot be serialised as JSON: {e}") from None


class _UnknownInside(Exception):
    pass


def scalar_text(fn: str, v: Any) -> str:
    """String form of a scalar as ARM converts it (string(), concat(), format())."""
    if isinstance(v, str):
        return v
    if isinstance(v, bool):
        return "True" if v else "False"
    if is_int(v):
        return str(v)
    if isinstance(v, float):
        return format_float(v)
    if v is None:
        return ""
    raise ExprError(f"{fn}() cannot convert a value of type {type_name(v)} to a string")


def to_text(fn: str, v: Any) -> str | Unknown:
    if isinstance(v, (dict, list)):
        try:
            return to_json_text(v)
        except _UnknownInside:
            return Unknown(f"{fn}() of a value not known before deployment")
    if isinstance(v, Unknown):
        return Unknown(v.reason)
    return scalar_text(fn, v)


def parse_json_text(fn: str, text: str) -> Any:
    """``text`` read as ARM reads it in json() and base64ToJson() (see linter.arm.jsonreader)."""
    try:
        return jsonreader.loads(text)
    except RecursionError:
        raise ExprError(f"{fn}(): the JSON value is nested too deeply") from None
    except ValueError as e:
        raise ExprError(f"{fn}(): the value is not valid JSON: {e}") from None


# ------------------------------------------------------------------ lambdas


def lambda_parts(fn: str, node: Node, nparams: tuple[int, int]) -> tuple[list[str], Node]:
    """The parameter names and body of a ``lambda(...)`` argument."""
    if not (isinstance(node, Call) and node.spec is not None and node.spec.name == "lambda"):
        raise ExprError(f"{fn}() expects a lambda function as an argument", node.offset)
    *names_nodes, body = node.args
    names: list[str] = []
    for n in names_nodes:
        if not (isinstance(n, Literal) and isinstance(n.value, str)):
            raise ExprError("lambda() parameter names must be string literals", n.offset)
        names.append(n.value)
    lo, hi = nparams
    if not lo <= len(names) <= hi:
        want = str(lo) if lo == hi else f"{lo} to {hi}"
        raise ExprError(f"the lambda passed to {fn}() must take {want} parameters, got {len(names)}", node.offset)
    return names, body


def call_lambda(cx: EvalContext, names: list[str], body: Node, values: list[Any]) -> Any:
    budget = getattr(cx.scope, "budget", None)
    if budget is not None and budget.spend_lambda():
        raise BudgetExceeded(f"the template's lambdas run more than {MAX_LAMBDA_CALLS:,} times in all")
    return body.ev(cx.with_lambda({n.lower(): v for n, v in zip(names, values)}))
