"""ARM template functions: array, object, comparison, logical, numeric, lambda and deployment
functions, plus user-defined functions. String, date, resource and scope functions are registered by
``functions_string`` and ``functions_resource`` (imported at the bottom).

Semantics follow Microsoft's ARM template function reference
(learn.microsoft.com/azure/azure-resource-manager/templates/template-functions-*).
"""
from __future__ import annotations

from typing import Any

from ..model import UNKNOWN_PART, Unknown, contains_unknown
from .functions_base import (
    FUNCTIONS,
    FnSpec,
    arg_dict,
    arg_int,
    arg_list,
    arg_str,
    bad_arg,
    call_lambda,
    check_int64,
    deep_equal,
    ensure_len,
    is_int,
    is_number,
    lambda_parts,
    lookup,
    parse_json_text,
    register,
    scalar_text,
    unknown_from,
)
from .nodes import (
    Call,
    EvalContext,
    ExprError,
    Literal,
    Node,
    get_property,
    type_name,
)

# ================================================================== array functions


@register("array", 1, 1)
def _array(cx: EvalContext, args: list[Any], call: Call) -> Any:
    v = args[0]
    if isinstance(v, list):
        return v
    return [v]


def _concat_strings(args: list[Any]) -> Any:
    parts: list[str] = []
    total = 0
    unknown: Unknown | None = None
    for i, v in enumerate(args):
        if isinstance(v, Unknown):
            unknown = unknown or v
            s = v.shape if v.shape is not None else UNKNOWN_PART
            parts.append(s)
            continue
        if isinstance(v, (list, dict)):
            raise ExprError(
                f"concat() cannot combine strings with a value of type {type_name(v)} (argument {i + 1})"
            )
        s = scalar_text("concat", v)
        total += len(s)
        ensure_len(total)
        parts.append(s)
    if unknown is not None:  # what is known of the string: see Unknown.shape
        return Unknown(unknown.reason or "concat() of a value not known before deployment", shape="".join(parts))
    return "".join(parts)


@register("concat", 1, None, unknown_ok=True)
def _concat(cx: EvalContext, args: list[Any], call: Call) -> Any:
    known = [a for a in args if not isinstance(a, Unknown)]
    if known and isinstance(known[0], list):
        out: list[Any] = []
        for i, v in enumerate(args):
            if isinstance(v, Unknown):
                return Unknown(v.reason or "concat() of an array not known before deployment")
            if v is None:
                continue
            if not isinstance(v, list):
                raise ExprError(f"concat() cannot combine arrays with a value of type {type_name(v)} (argument {i + 1})")
            ensure_len(len(out) + len(v), "array")
            out.extend(v)
        return out
    return _concat_strings(args)


def _contains(container: Any, item: Any) -> Any:
    if isinstance(item, Unknown):
        return Unknown(item.reason)
    if isinstance(container, str):
        if isinstance(item, (list, dict)) or item is None:
            raise ExprError(f"contains() cannot search a string for a value of type {type_name(item)}")
        return scalar_text("contains", item) in container
    if isinstance(container, dict):
        if not isinstance(item, str):
            raise ExprError(f"contains() expects a string key when searching an object, got {type_name(item)}")
        low = item.lower()
        return any(k.lower() == low for k in container)
    if isinstance(container, list):
        undecided = False
        for el in container:
            r = deep_equal(el, item)
            if r is True:
                return True
            if r is None:
                undecided = True
        return Unknown("contains() over an array with values not known before deployment") if undecided else False
    raise bad_arg("contains", 0, "an array, object or string", container)


@register("contains", 2, 2, unknown_ok=True)
def _contains_fn(cx: EvalContext, args: list[Any], call: Call) -> Any:
    if isinstance(args[0], Unknown):
        return Unknown(args[0].reason)
    return _contains(args[0], args[1])


@register("createArray", 0, None, unknown_ok=True)
def _create_array(cx: EvalContext, args: list[Any], call: Call) -> Any:
    return list(args)


@register("empty", 1, 1)
def _empty(cx: EvalContext, args: list[Any], call: Call) -> Any:
    v = args[0]
    if v is None:
        return True
    if isinstance(v, (str, list, dict)):
        return len(v) == 0
    raise bad_arg("empty", 0, "an array, object or string", v)


@register("first", 1, 1)
def _first(cx: EvalContext, args: list[Any], call: Call) -> Any:
    v = args[0]
    if isinstance(v, str):
        return v[:1]
    if isinstance(v, list):
        return v[0] if v else None
    if v is None:
        return None
    raise bad_arg("first", 0, "an array or string", v)


@register("last", 1, 1)
def _last(cx: EvalContext, args: list[Any], call: Call) -> Any:
    v = args[0]
    if isinstance(v, str):
        return v[-1:]
    if isinstance(v, list):
        return v[-1] if v else None
    if v is None:
        return None
    raise bad_arg("last", 0, "an array or string", v)


@register("flatten", 1, 1)
def _flatten(cx: EvalContext, args: list[Any], call: Call) -> Any:
    arr = arg_list("flatten", args, 0)
    out: list[Any] = []
    for v in arr:
        if isinstance(v, Unknown):
            return Unknown(v.reason or "flatten() of an array not known before deployment")
        if not isinstance(v, list):
            raise ExprError(f"flatten() expects an array of arrays, found an element of type {type_name(v)}")
        ensure_len(len(out) + len(v), "array")
        out.extend(v)
    return out


def _index_in_array(fn: str, arr: list[Any], item: Any, reverse: bool) -> Any:
    indices = range(len(arr) - 1, -1, -1) if reverse else range(len(arr))
    for i in indices:
        r = deep_equal(arr[i], item)
        if r is True:
            return i
        if r is None:
            return Unknown(f"{fn}() over an array with values not known before deployment")
    return -1


def _string_index(hay: str, needle: str, reverse: bool) -> int:
    h, n = hay.lower(), needle.lower()
    if reverse:
        if n == "":
            return max(len(h) - 1, 0) if h else 0
        return h.rfind(n)
    return h.find(n)


@register("indexOf", 2, 2, unknown_ok=True)
def _index_of(cx: EvalContext, args: list[Any], call: Call) -> Any:
    return _index_common("indexOf", args, False)


@register("lastIndexOf", 2, 2, unknown_ok=True)
def _last_index_of(cx: EvalContext, args: list[Any], call: Call) -> Any:
    return _index_common("lastIndexOf", args, True)


def _index_common(fn: str, args: list[Any], reverse: bool) -> Any:
    container, item = args
    if isinstance(container, Unknown) or isinstance(item, Unknown):
        return unknown_from(args, fn)
    if isinstance(container, list):
        return _index_in_array(fn, container, item, reverse)
    if isinstance(container, str):
        if not isinstance(item, str):
            raise bad_arg(fn, 1, "a string", item)
        return _string_index(container, item, reverse)
    raise bad_arg(fn, 0, "an array or string", container)


def _dedupe_append(out: list[Any], v: Any) -> None:
    for x in out:
        if deep_equal(x, v) is True:
            return
    out.append(v)


@register("intersection", 2, None)
def _intersection(cx: EvalContext, args: list[Any], call: Call) -> Any:
    if contains_unknown(args):
        return Unknown("intersection() of values not known before deployment")
    if all(isinstance(a, dict) for a in args):
        first = args[0]
        result: dict[str, Any] = {}
        for k, v in first.items():
            ok = True
            for other in args[1:]:
                try:
                    ov = get_property(other, k)
                except KeyError:
                    ok = False
                    break
                if deep_equal(v, ov) is not True:
                    ok = False
                    break
            if ok:
                result[k] = v
        return result
    if all(isinstance(a, list) for a in args):
        if sum(len(a) for a in args) > 20_000:
            raise ExprError("intersection() of arrays that are too large")
        out: list[Any] = []
        for v in args[0]:
            if all(any(deep_equal(v, o) is True for o in other) for other in args[1:]):
                _dedupe_append(out, v)
        return out
    raise ExprError("intersection() expects all arguments to be arrays or all to be objects")


def _merge_deep(a: dict[str, Any], b: dict[str, Any], depth: int = 0) -> dict[str, Any]:
    if depth > 100:
        raise ExprError("union() of objects nested too deeply")
    out = dict(a)
    lower = {k.lower(): k for k in out}
    for k, v in b.items():
        existing_key = lower.get(k.lower())
        if existing_key is not None:
            old = out[existing_key]
            if isinstance(old, dict) and isinstance(v, dict):
                out[existing_key] = _merge_deep(old, v, depth + 1)
            else:
                out[existing_key] = v
        else:
            out[k] = v
            lower[k.lower()] = k
    return out


@register("union", 2, None, unknown_ok=True)
def _union(cx: EvalContext, args: list[Any], call: Call) -> Any:
    if any(isinstance(a, Unknown) for a in args):
        return unknown_from(args, "union")
    if all(isinstance(a, dict) for a in args):
        result: dict[str, Any] = {}
        for a in args:
            result = _merge_deep(result, a)
        return result
    if all(isinstance(a, list) for a in args):
        if sum(len(a) for a in args) > 20_000:
            raise ExprError("union() of arrays that are too large")
        out: list[Any] = []
        for a in args:
            for v in a:
                _dedupe_append(out, v)
        return out
    raise ExprError("union() expects all arguments to be arrays or all to be objects")


@register("length", 1, 1)
def _length(cx: EvalContext, args: list[Any], call: Call) -> Any:
    v = args[0]
    if isinstance(v, (str, list, dict)):
        return len(v)
    raise bad_arg("length", 0, "an array, object or string", v)


def _minmax(fn: str, args: list[Any], pick: Any) -> Any:
    values = args
    if len(args) == 1:
        if isinstance(args[0], list):
            values = args[0]
        elif not is_number(args[0]):
            raise bad_arg(fn, 0, "an integer or an array of integers", args[0])
    if not values:
        raise ExprError(f"{fn}() of an empty array")
    for v in values:
        if isinstance(v, Unknown):
            return Unknown(v.reason or f"{fn}() of values not known before deployment")
        if not is_number(v):
            raise ExprError(f"{fn}() expects integers, got {type_name(v)}")
    return pick(values)


@register("max", 1, None)
def _max(cx: EvalContext, args: list[Any], call: Call) -> Any:
    return _minmax("max", args, max)


@register("min", 1, None)
def _min(cx: EvalContext, args: list[Any], call: Call) -> Any:
    return _minmax("min", args, min)


@register("range", 2, 2)
def _range(cx: EvalContext, args: list[Any], call: Call) -> Any:
    start = arg_int("range", args, 0)
    count = arg_int("range", args, 1)
    if count < 0:
        raise ExprError(f"range() count must be zero or greater, got {count}")
    if count > 10000:
        raise ExprError(f"range() count must not exceed 10000, got {count}")
    if start + count > 2147483647:
        raise ExprError("range(): the sum of startIndex and count must not exceed 2147483647")
    return list(range(start, start + count))


def _skip_take(fn: str, args: list[Any], take: bool) -> Any:
    v = args[0]
    n = arg_int(fn, args, 1)
    if not isinstance(v, (str, list)):
        raise bad_arg(fn, 0, "an array or string", v)
    n = max(n, 0)
    return v[:n] if take else v[n:]


@register("skip", 2, 2)
def _skip(cx: EvalContext, args: list[Any], call: Call) -> Any:
    return _skip_take("skip", args, False)


@register("take", 2, 2)
def _take(cx: EvalContext, args: list[Any], call: Call) -> Any:
    return _skip_take("take", args, True)


def _try_step(fn: str, cur: Any, key: Any) -> tuple[bool, Any]:
    """(found, value) for one tryGet step."""
    if isinstance(cur, Unknown):
        if isinstance(key, Unknown):
            return True, Unknown(cur.reason)
        return True, cur.member(key)
    if isinstance(key, Unknown):
        return True, Unknown(key.reason)
    if isinstance(cur, dict):
        if not isinstance(key, str):
            raise ExprError(f"{fn}() expects a string key for an object, got {type_name(key)}")
        try:
            return True, get_property(cur, key)
        except KeyError:
            return False, None
    if isinstance(cur, list):
        if not is_int(key):
            raise ExprError(f"{fn}() expects an integer index for an array, got {type_name(key)}")
        if 0 <= key < len(cur):
            return True, cur[key]
        return False, None
    if cur is None:
        return False, None
    raise ExprError(f"{fn}() expects an object or array, got {type_name(cur)}")


@register("tryGet", 2, None, unknown_ok=True)
def _try_get(cx: EvalContext, args: list[Any], call: Call) -> Any:
    cur = args[0]
    for key in args[1:]:
        found, cur = _try_step("tryGet", cur, key)
        if not found:
            return None
    return cur


def _from_end(fn: str, args: list[Any], strict: bool) -> Any:
    arr, idx = args
    if isinstance(arr, Unknown) or isinstance(idx, Unknown):
        return unknown_from(args, fn)
    arr = arg_list(fn, args, 0)
    idx = arg_int(fn, args, 1)
    if 1 <= idx <= len(arr):
        return arr[len(arr) - idx]
    if strict:
        raise ExprError(f"{fn}(): index {idx} from the end is out of bounds for an array of length {len(arr)}")
    return None


@register("tryIndexFromEnd", 2, 2, unknown_ok=True)
def _try_index_from_end(cx: EvalContext, args: list[Any], call: Call) -> Any:
    return _from_end("tryIndexFromEnd", args, False)


@register("indexFromEnd", 2, 2, unknown_ok=True)
def _index_from_end(cx: EvalContext, args: list[Any], call: Call) -> Any:
    return _from_end("indexFromEnd", args, True)


# ================================================================== comparison functions


@register("coalesce", 1, None, lazy=True)
def _coalesce(cx: EvalContext, nodes: tuple[Node, ...], call: Call) -> Any:
    for n in nodes:
        v = n.ev(cx)
        if isinstance(v, Unknown):
            return Unknown(v.reason or "coalesce() of a value not known before deployment")
        if v is not None:
            return v
    return None


@register("equals", 2, 2, unknown_ok=True)
def _equals(cx: EvalContext, args: list[Any], call: Call) -> Any:
    r = deep_equal(args[0], args[1])
    if r is None:
        return unknown_from(args, "equals")
    return r


def _culture_key(s: str) -> tuple[str, str]:
    # Culture-aware ordering as .NET's invariant culture sorts: case-insensitive first, then lower
    # case before upper case ('a' < 'A' < 'b').
    return (s.casefold(), s.swapcase())


def _compare(fn: str, args: list[Any]) -> int:
    a, b = args
    if is_number(a) and is_number(b):
        return int((a > b) - (a < b))
    if isinstance(a, str) and isinstance(b, str):
        ka, kb = _culture_key(a), _culture_key(b)
        return (ka > kb) - (ka < kb)
    raise ExprError(
        f"{fn}() expects two integers or two strings, got {type_name(a)} and {type_name(b)}"
    )


@register("greater", 2, 2)
def _greater(cx: EvalContext, args: list[Any], call: Call) -> Any:
    return _compare("greater", args) > 0


@register("greaterOrEquals", 2, 2)
def _greater_or_equals(cx: EvalContext, args: list[Any], call: Call) -> Any:
    return _compare("greaterOrEquals", args) >= 0


@register("less", 2, 2)
def _less(cx: EvalContext, args: list[Any], call: Call) -> Any:
    return _compare("less", args) < 0


@register("lessOrEquals", 2, 2)
def _less_or_equals(cx: EvalContext, args: list[Any], call: Call) -> Any:
    return _compare("lessOrEquals", args) <= 0


# ================================================================== logical functions


def _logic(fn: str, cx: EvalContext, nodes: tuple[Node, ...], stop: bool) -> Any:
    pending: Unknown | None = None
    for i, n in enumerate(nodes):
        v = n.ev(cx)
        if isinstance(v, Unknown):
            pending = pending or Unknown(v.reason or f"{fn}() of a value not known before deployment")
            continue
        if not isinstance(v, bool):
            raise bad_arg(fn, i, "a boolean", v)
        if v is stop:
            return stop
    return pending if pending is not None else (not stop)


@register("and", 2, None, lazy=True)
def _and(cx: EvalContext, nodes: tuple[Node, ...], call: Call) -> Any:
    return _logic("and", cx, nodes, False)


@register("or", 2, None, lazy=True)
def _or(cx: EvalContext, nodes: tuple[Node, ...], call: Call) -> Any:
    return _logic("or", cx, nodes, True)


@register("not", 1, 1)
def _not(cx: EvalContext, args: list[Any], call: Call) -> Any:
    v = args[0]
    if not isinstance(v, bool):
        raise bad_arg("not", 0, "a boolean", v)
    return not v


@register("bool", 1, 1)
def _bool(cx: EvalContext, args: list[Any], call: Call) -> Any:
    v = args[0]
    if isinstance(v, bool):
        return v
    if is_int(v):
        return v != 0
    if isinstance(v, str):
        low = v.strip().lower()
        if low == "true":
            return True
        if low == "false":
            return False
        raise ExprError(f"bool() cannot convert the string '{v}' to a boolean")
    raise bad_arg("bool", 0, "a string, integer or boolean", v)


@register("true", 0, 0)
def _true(cx: EvalContext, args: list[Any], call: Call) -> Any:
    return True


@register("false", 0, 0)
def _false(cx: EvalContext, args: list[Any], call: Call) -> Any:
    return False


@register("if", 3, 3, lazy=True)
def _if(cx: EvalContext, nodes: tuple[Node, ...], call: Call) -> Any:
    cond = nodes[0].ev(cx)
    if isinstance(cond, Unknown):
        try:
            a = nodes[1].ev(cx)
            b = nodes[2].ev(cx)
        except ExprError:
            return Unknown(cond.reason or "if() with a condition not known before deployment")
        if deep_equal(a, b) is True:
            return a
        return Unknown(cond.reason or "if() with a condition not known before deployment")
    if not isinstance(cond, bool):
        raise bad_arg("if", 0, "a boolean", cond)
    return nodes[1].ev(cx) if cond else nodes[2].ev(cx)


@register("fail", 1, 1, unknown_ok=True)
def _fail(cx: EvalContext, args: list[Any], call: Call) -> Any:
    """fail(message) stops the deployment with ``message`` wherever it is evaluated; if() evaluates only the
    branch it takes, so a fail() in the other branch never runs (Bicep's flow-control functions article:
    "it can only be used within short-circuiting functions")."""
    message = args[0]
    text = message if isinstance(message, str) else "a message not known before deployment"
    raise ExprError(f"the template calls fail(): {text}")


# ================================================================== numeric functions


def _int_args(fn: str, args: list[Any]) -> tuple[int, int]:
    return arg_int(fn, args, 0), arg_int(fn, args, 1)


@register("add", 2, 2)
def _add(cx: EvalContext, args: list[Any], call: Call) -> Any:
    a, b = _int_args("add", args)
    return check_int64("add", a + b)


@register("sub", 2, 2)
def _sub(cx: EvalContext, args: list[Any], call: Call) -> Any:
    a, b = _int_args("sub", args)
    return check_int64("sub", a - b)


@register("mul", 2, 2)
def _mul(cx: EvalContext, args: list[Any], call: Call) -> Any:
    a, b = _int_args("mul", args)
    return check_int64("mul", a * b)


def _trunc_div(a: int, b: int) -> int:
    q = abs(a) // abs(b)
    return q if (a >= 0) == (b >= 0) else -q


@register("div", 2, 2)
def _div(cx: EvalContext, args: list[Any], call: Call) -> Any:
    a, b = _int_args("div", args)
    if b == 0:
        raise ExprError("div(): attempted to divide by zero")
    return check_int64("div", _trunc_div(a, b))


@register("mod", 2, 2)
def _mod(cx: EvalContext, args: list[Any], call: Call) -> Any:
    a, b = _int_args("mod", args)
    if b == 0:
        raise ExprError("mod(): attempted to divide by zero")
    return a - b * _trunc_div(a, b)


@register("float", 1, 1)
def _float(cx: EvalContext, args: list[Any], call: Call) -> Any:
    v = args[0]
    if is_number(v):
        return float(v)
    if isinstance(v, str):
        try:
            f = float(v.strip())
        except ValueError:
            raise ExprError(f"float() cannot convert the string '{v}' to a number") from None
        if f != f or f in (float("inf"), float("-inf")):
            raise ExprError(f"float() cannot convert the string '{v}' to a finite number")
        return f
    raise bad_arg("float", 0, "a string or a number", v)


@register("int", 1, 1)
def _int(cx: EvalContext, args: list[Any], call: Call) -> Any:
    v = args[0]
    if is_int(v):
        return v
    if isinstance(v, float):
        if v != v or v in (float("inf"), float("-inf")):
            raise ExprError("int() cannot convert a non-finite number")
        return check_int64("int", int(v))
    if isinstance(v, str):
        t = v.strip()
        if t[:1] in "+-":
            digits = t[1:]
        else:
            digits = t
        if not digits.isdigit() or not digits.isascii():
            raise ExprError(f"int() cannot convert the string '{v}' to an integer")
        return check_int64("int", int(t))
    raise bad_arg("int", 0, "a string or an integer", v)


@register("copyIndex", 0, 2)
def _copy_index(cx: EvalContext, args: list[Any], call: Call) -> Any:
    loop: str | None = None
    offset = 0
    if len(args) == 1:
        if is_int(args[0]):
            offset = args[0]
        elif isinstance(args[0], str):
            loop = args[0]
        else:
            raise bad_arg("copyIndex", 0, "a loop name or an integer offset", args[0])
    elif len(args) == 2:
        loop = arg_str("copyIndex", args, 0)
        offset = arg_int("copyIndex", args, 1)
    if cx.udf_params is not None:
        raise ExprError("copyIndex() can't be used in a user-defined function")
    return cx.scope.copy_index(loop, offset)


# ================================================================== object functions


@register("createObject", 0, None, unknown_ok=True)
def _create_object(cx: EvalContext, args: list[Any], call: Call) -> Any:
    if len(args) % 2:
        raise ExprError("createObject() expects an even number of arguments (name, value pairs)")
    out: dict[str, Any] = {}
    for i in range(0, len(args), 2):
        k = args[i]
        if isinstance(k, Unknown):
            return Unknown(k.reason or "createObject() with a property name not known before deployment")
        if not isinstance(k, str):
            raise bad_arg("createObject", i, "a string property name", k)
        out[k] = args[i + 1]
    return out


@register("items", 1, 1)
def _items(cx: EvalContext, args: list[Any], call: Call) -> Any:
    obj = arg_dict("items", args, 0)
    return [{"key": k, "value": obj[k]} for k in sorted(obj, key=lambda s: (s.lower(), s))]


@register("json", 1, 1)
def _json(cx: EvalContext, args: list[Any], call: Call) -> Any:
    text = arg_str("json", args, 0)
    return parse_json_text("json", text)


@register("null", 0, 0)
def _null(cx: EvalContext, args: list[Any], call: Call) -> Any:
    return None


@register("objectKeys", 1, 1)
def _object_keys(cx: EvalContext, args: list[Any], call: Call) -> Any:
    return list(arg_dict("objectKeys", args, 0))


@register("shallowMerge", 1, 1)
def _shallow_merge(cx: EvalContext, args: list[Any], call: Call) -> Any:
    arr = arg_list("shallowMerge", args, 0)
    out: dict[str, Any] = {}
    lower: dict[str, str] = {}
    for i, v in enumerate(arr):
        if isinstance(v, Unknown):
            return Unknown(v.reason or "shallowMerge() of an object not known before deployment")
        if not isinstance(v, dict):
            raise ExprError(f"shallowMerge() expects an array of objects, element {i} is {type_name(v)}")
        for k, val in v.items():
            old = lower.get(k.lower())
            if old is not None:
                out[old] = val
            else:
                out[k] = val
                lower[k.lower()] = k
    return out


# ================================================================== lambda functions


@register("lambda", 1, None)
def _lambda(cx: EvalContext, args: list[Any], call: Call) -> Any:
    raise ExprError("lambda() can only be used as an argument of filter, map, reduce, sort and similar functions")


def _check_lambda_names(args: list[Node], offset: int) -> None:
    for n in args[:-1]:
        if not (isinstance(n, Literal) and isinstance(n.value, str)):
            raise ExprError("lambda() parameter names must be string literals", n.offset)


FUNCTIONS["lambda"].check = _check_lambda_names


@register("lambdaVariables", 1, 1)
def _lambda_variables(cx: EvalContext, args: list[Any], call: Call) -> Any:
    name = arg_str("lambdaVariables", args, 0)
    if cx.lambda_vars is None or name.lower() not in cx.lambda_vars:
        raise ExprError(f"lambdaVariables(): no lambda variable named '{name}' is in scope")
    return cx.lambda_vars[name.lower()]


def _eval_array_arg(fn: str, cx: EvalContext, node: Node) -> Any:
    v = node.ev(cx)
    if isinstance(v, Unknown):
        return v
    if not isinstance(v, list):
        raise bad_arg(fn, 0, "an array", v)
    return v


@register("filter", 2, 2, lazy=True)
def _filter(cx: EvalContext, nodes: tuple[Node, ...], call: Call) -> Any:
    names, body = lambda_parts("filter", nodes[1], (1, 2))
    arr = _eval_array_arg("filter", cx, nodes[0])
    if isinstance(arr, Unknown):
        return Unknown(arr.reason)
    out: list[Any] = []
    for i, el in enumerate(arr):
        r = call_lambda(cx, names, body, [el, i])
        if isinstance(r, Unknown):
            return Unknown(r.reason or "filter() with a predicate not known before deployment")
        if not isinstance(r, bool):
            raise ExprError(f"the lambda passed to filter() must return a boolean, got {type_name(r)}")
        if r:
            out.append(el)
    return out


@register("map", 2, 2, lazy=True)
def _map(cx: EvalContext, nodes: tuple[Node, ...], call: Call) -> Any:
    names, body = lambda_parts("map", nodes[1], (1, 2))
    arr = _eval_array_arg("map", cx, nodes[0])
    if isinstance(arr, Unknown):
        return Unknown(arr.reason)
    return [call_lambda(cx, names, body, [el, i]) for i, el in enumerate(arr)]


@register("mapValues", 2, 2, lazy=True)
def _map_values(cx: EvalContext, nodes: tuple[Node, ...], call: Call) -> Any:
    names, body = lambda_parts("mapValues", nodes[1], (1, 1))
    obj = nodes[0].ev(cx)
    if isinstance(obj, Unknown):
        return Unknown(obj.reason)
    if not isinstance(obj, dict):
        raise bad_arg("mapValues", 0, "an object", obj)
    return {k: call_lambda(cx, names, body, [v]) for k, v in obj.items()}


@register("reduce", 3, 3, lazy=True)
def _reduce(cx: EvalContext, nodes: tuple[Node, ...], call: Call) -> Any:
    names, body = lambda_parts("reduce", nodes[2], (2, 3))
    arr = _eval_array_arg("reduce", cx, nodes[0])
    acc = nodes[1].ev(cx)
    if isinstance(arr, Unknown):
        return Unknown(arr.reason)
    for i, el in enumerate(arr):
        acc = call_lambda(cx, names, body, [acc, el, i])
    return acc


@register("sort", 2, 2, lazy=True)
def _sort(cx: EvalContext, nodes: tuple[Node, ...], call: Call) -> Any:
    names, body = lambda_parts("sort", nodes[1], (2, 2))
    arr = _eval_array_arg("sort", cx, nodes[0])
    if isinstance(arr, Unknown):
        return Unknown(arr.reason)
    if len(arr) > 10_000:
        raise ExprError("sort() of an array that is too large")
    import functools

    class _Undecided(Exception):
        pass

    def cmp(a: Any, b: Any) -> int:
        r = call_lambda(cx, names, body, [a, b])
        if isinstance(r, Unknown):
            raise _Undecided()
        if not isinstance(r, bool):
            raise ExprError(f"the lambda passed to sort() must return a boolean, got {type_name(r)}")
        if r:
            return -1
        r2 = call_lambda(cx, names, body, [b, a])
        if isinstance(r2, Unknown):
            raise _Undecided()
        return 1 if r2 is True else 0

    try:
        return sorted(arr, key=functools.cmp_to_key(cmp))
    except _Undecided:
        return Unknown("sort() with an ordering not known before deployment")


@register("toObject", 2, 3, lazy=True)
def _to_object(cx: EvalContext, nodes: tuple[Node, ...], call: Call) -> Any:
    knames, kbody = lambda_parts("toObject", nodes[1], (1, 1))
    vparts = lambda_parts("toObject", nodes[2], (1, 1)) if len(nodes) > 2 else None
    arr = _eval_array_arg("toObject", cx, nodes[0])
    if isinstance(arr, Unknown):
        return Unknown(arr.reason)
    out: dict[str, Any] = {}
    for el in arr:
        k = call_lambda(cx, knames, kbody, [el])
        if isinstance(k, Unknown):
            return Unknown(k.reason or "toObject() with a key not known before deployment")
        if not isinstance(k, str):
            raise ExprError(f"the key lambda passed to toObject() must return a string, got {type_name(k)}")
        out[k] = call_lambda(cx, vparts[0], vparts[1], [el]) if vparts else el
    return out


@register("groupBy", 2, 2, lazy=True)
def _group_by(cx: EvalContext, nodes: tuple[Node, ...], call: Call) -> Any:
    names, body = lambda_parts("groupBy", nodes[1], (1, 1))
    arr = _eval_array_arg("groupBy", cx, nodes[0])
    if isinstance(arr, Unknown):
        return Unknown(arr.reason)
    out: dict[str, list[Any]] = {}
    for el in arr:
        k = call_lambda(cx, names, body, [el])
        if isinstance(k, Unknown):
            return Unknown(k.reason or "groupBy() with a key not known before deployment")
        if not isinstance(k, str):
            raise ExprError(f"the lambda passed to groupBy() must return a string, got {type_name(k)}")
        out.setdefault(k, []).append(el)
    return out


# ================================================================== deployment functions


@register("parameters", 1, 1)
def _parameters(cx: EvalContext, args: list[Any], call: Call) -> Any:
    name = arg_str("parameters", args, 0)
    if cx.udf_params is not None:
        try:
            return get_property(cx.udf_params, name)
        except KeyError:
            raise ExprError(
                f"parameters(): '{name}' is not a parameter of this user-defined function"
            ) from None
    return cx.scope.parameter(name)


@register("variables", 1, 1)
def _variables(cx: EvalContext, args: list[Any], call: Call) -> Any:
    name = arg_str("variables", args, 0)
    if cx.udf_params is not None:
        raise ExprError("variables() can't be used in a user-defined function")
    return cx.scope.variable(name)


# register the remaining groups
from . import functions_cidr as _functions_cidr  # noqa: E402,F401
from . import functions_resource as _functions_resource  # noqa: E402,F401
from . import functions_string as _functions_string  # noqa: E402,F401

__all__ = ["FUNCTIONS", "FnSpec", "lookup"]
