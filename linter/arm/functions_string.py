"""String and date template functions (template-functions-string / template-functions-date)."""
from __future__ import annotations

import base64 as _b64
import binascii
import calendar
import hashlib
import re
import uuid
from datetime import datetime, timedelta, timezone
from decimal import ROUND_HALF_UP, Decimal, localcontext
from typing import Any
from urllib.parse import quote, unquote, urljoin, urlsplit

from ..model import Unknown
from .functions_base import (
    arg_int,
    arg_list,
    arg_str,
    bad_arg,
    ensure_len,
    is_int,
    is_number,
    parse_json_text,
    register,
    scalar_text,
    to_json_text,
    to_text,
)
from .nodes import Call, EvalContext, ExprError, type_name

# ================================================================== encoding


@register("base64", 1, 1)
def _base64(cx: EvalContext, args: list[Any], call: Call) -> Any:
    s = arg_str("base64", args, 0)
    return _b64.b64encode(s.encode("utf-8")).decode("ascii")


def _b64decode(fn: str, s: str) -> bytes:
    try:
        return _b64.b64decode(s.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise ExprError(f"{fn}(): the value is not a valid base64 string") from None


@register("base64ToString", 1, 1)
def _base64_to_string(cx: EvalContext, args: list[Any], call: Call) -> Any:
    s = arg_str("base64ToString", args, 0)
    return _b64decode("base64ToString", s).decode("utf-8", errors="replace")


@register("base64ToJson", 1, 1)
def _base64_to_json(cx: EvalContext, args: list[Any], call: Call) -> Any:
    s = arg_str("base64ToJson", args, 0)
    text = _b64decode("base64ToJson", s).decode("utf-8", errors="replace")
    return parse_json_text("base64ToJson", text)


@register("dataUri", 1, 1)
def _data_uri(cx: EvalContext, args: list[Any], call: Call) -> Any:
    s = arg_str("dataUri", args, 0)
    return "data:text/plain;charset=utf8;base64," + _b64.b64encode(s.encode("utf-8")).decode("ascii")


@register("dataUriToString", 1, 1)
def _data_uri_to_string(cx: EvalContext, args: list[Any], call: Call) -> Any:
    s = arg_str("dataUriToString", args, 0)
    if not s[:5].lower() == "data:" or "," not in s:
        raise ExprError("dataUriToString(): the value is not a valid data URI")
    header, payload = s[5:].split(",", 1)
    parts = [p.strip() for p in header.split(";")]
    charset = "utf-8"
    is_b64 = False
    for p in parts[1:]:
        if p.lower() == "base64":
            is_b64 = True
        elif p.lower().startswith("charset="):
            charset = p[8:] or "utf-8"
    if charset.lower() in ("utf8", "utf-8"):
        charset = "utf-8"
    if is_b64:
        raw = _b64decode("dataUriToString", payload)
    else:
        raw = unquote(payload).encode("utf-8")
    try:
        return raw.decode(charset, errors="replace")
    except LookupError:
        raise ExprError(f"dataUriToString(): unknown charset '{charset}'") from None


@register("uri", 2, 2)
def _uri(cx: EvalContext, args: list[Any], call: Call) -> Any:
    base = arg_str("uri", args, 0)
    rel = arg_str("uri", args, 1)
    parts = urlsplit(base)
    if not parts.scheme or not (parts.netloc or parts.path):
        raise ExprError(f"uri(): the base URI '{base}' is not an absolute URI")
    return urljoin(base, rel)


@register("uriComponent", 1, 1)
def _uri_component(cx: EvalContext, args: list[Any], call: Call) -> Any:
    return quote(arg_str("uriComponent", args, 0), safe="")


@register("uriComponentToString", 1, 1)
def _uri_component_to_string(cx: EvalContext, args: list[Any], call: Call) -> Any:
    return unquote(arg_str("uriComponentToString", args, 0))


# ================================================================== searching / slicing


@register("startsWith", 2, 2)
def _starts_with(cx: EvalContext, args: list[Any], call: Call) -> Any:
    return arg_str("startsWith", args, 0).lower().startswith(arg_str("startsWith", args, 1).lower())


@register("endsWith", 2, 2)
def _ends_with(cx: EvalContext, args: list[Any], call: Call) -> Any:
    return arg_str("endsWith", args, 0).lower().endswith(arg_str("endsWith", args, 1).lower())


@register("substring", 1, 3)
def _substring(cx: EvalContext, args: list[Any], call: Call) -> Any:
    s = arg_str("substring", args, 0)
    start = arg_int("substring", args, 1) if len(args) > 1 else 0
    if start < 0 or start > len(s):
        raise ExprError(
            "The index and length parameters must refer to a location within the string. "
            f"The index parameter: '{start}', the length of the string parameter: '{len(s)}'."
        )
    if len(args) > 2:
        length = arg_int("substring", args, 2)
        if length < 0 or start + length > len(s):
            raise ExprError(
                "The index and length parameters must refer to a location within the string. "
                f"The index parameter: '{start}', the length parameter: '{length}', "
                f"the length of the string parameter: '{len(s)}'."
            )
        return s[start:start + length]
    return s[start:]


@register("replace", 3, 3)
def _replace(cx: EvalContext, args: list[Any], call: Call) -> Any:
    s = arg_str("replace", args, 0)
    old = arg_str("replace", args, 1)
    new = arg_str("replace", args, 2)
    if old == "":
        raise ExprError("replace(): the string to replace can't be empty")
    count = s.count(old)
    ensure_len(len(s) + count * (len(new) - len(old)))
    return s.replace(old, new)


@register("split", 2, 2)
def _split(cx: EvalContext, args: list[Any], call: Call) -> Any:
    s = arg_str("split", args, 0)
    d = args[1]
    if isinstance(d, str):
        delims = [d]
    elif isinstance(d, list):
        if any(isinstance(x, Unknown) for x in d):
            return Unknown("split() with a delimiter not known before deployment")
        if not all(isinstance(x, str) for x in d):
            raise ExprError("split() expects the delimiters to be strings")
        delims = d
    else:
        raise bad_arg("split", 1, "a string or an array of strings", d)
    delims = [x for x in delims if x]
    if not delims:
        return [s]
    pattern = "|".join(re.escape(x) for x in delims)
    out = re.split(pattern, s)
    ensure_len(len(out), "array")
    return out


@register("join", 2, 2)
def _join(cx: EvalContext, args: list[Any], call: Call) -> Any:
    arr = arg_list("join", args, 0)
    sep = arg_str("join", args, 1)
    parts: list[str] = []
    total = 0
    for v in arr:
        if isinstance(v, Unknown):
            return Unknown(v.reason or "join() of values not known before deployment")
        if isinstance(v, (list, dict)):
            raise ExprError(f"join() expects an array of strings, integers or booleans, found {type_name(v)}")
        t = scalar_text("join", v)
        total += len(t) + len(sep)
        ensure_len(total)
        parts.append(t)
    return sep.join(parts)


@register("padLeft", 2, 3)
def _pad_left(cx: EvalContext, args: list[Any], call: Call) -> Any:
    v = args[0]
    if is_int(v):
        s = str(v)
    elif isinstance(v, str):
        s = v
    else:
        raise bad_arg("padLeft", 0, "a string or an integer", v)
    total = arg_int("padLeft", args, 1)
    pad = " "
    if len(args) > 2:
        pad = arg_str("padLeft", args, 2)
        if len(pad) != 1:
            raise ExprError("padLeft() expects the padding character to be a single character")
    ensure_len(total)
    return s.rjust(total, pad) if total > len(s) else s


@register("toLower", 1, 1)
def _to_lower(cx: EvalContext, args: list[Any], call: Call) -> Any:
    return arg_str("toLower", args, 0).lower()


@register("toUpper", 1, 1)
def _to_upper(cx: EvalContext, args: list[Any], call: Call) -> Any:
    return arg_str("toUpper", args, 0).upper()


@register("trim", 1, 1)
def _trim(cx: EvalContext, args: list[Any], call: Call) -> Any:
    return arg_str("trim", args, 0).strip()


@register("string", 1, 1, unknown_ok=True)
def _string(cx: EvalContext, args: list[Any], call: Call) -> Any:
    return to_text("string", args[0])


# ================================================================== hashes


_GUID_NAMESPACE = uuid.UUID("11fb06fb-712d-4ddd-98c7-e71bbd588830")


def _all_strings(fn: str, args: list[Any]) -> list[str]:
    for i, v in enumerate(args):
        if not isinstance(v, str):
            raise bad_arg(fn, i, "a string", v)
    return args


@register("guid", 1, None)
def _guid(cx: EvalContext, args: list[Any], call: Call) -> Any:
    # A name-based (version 5) UUID over the hyphen-joined arguments, in ARM's namespace.
    return _uuid5_text("-".join(_all_strings("guid", args)))


_GUID_NAMESPACE_BYTES = _GUID_NAMESPACE.bytes


def _uuid5_text(name: str) -> str:
    """str(uuid.uuid5(_GUID_NAMESPACE, name)) without building a UUID object (a third of the cost)."""
    digest = bytearray(hashlib.sha1(_GUID_NAMESPACE_BYTES + name.encode("utf-8")).digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x50  # version 5
    digest[8] = (digest[8] & 0x3F) | 0x80  # RFC 4122 variant
    x = digest.hex()
    return f"{x[:8]}-{x[8:12]}-{x[12:16]}-{x[16:20]}-{x[20:]}"


_M32 = 0xFFFFFFFF


def _rotl(x: int, r: int) -> int:
    return ((x << r) | (x >> (32 - r))) & _M32


def _fmix(h: int) -> int:
    h ^= h >> 16
    h = (h * 0x85EBCA6B) & _M32
    h ^= h >> 13
    h = (h * 0xC2B2AE35) & _M32
    h ^= h >> 16
    return h


def murmur64(data: bytes, seed: int = 0) -> int:
    """The 64-bit MurmurHash variant (two 32-bit lanes of MurmurHash3 x86) behind uniqueString()."""
    c1, c2 = 0x239B961B, 0xAB0E9789
    h1 = h2 = seed
    n = len(data)
    i = 0
    while i + 8 <= n:
        k1 = int.from_bytes(data[i:i + 4], "little")
        k2 = int.from_bytes(data[i + 4:i + 8], "little")
        k1 = _rotl((k1 * c1) & _M32, 15) * c2 & _M32
        h1 ^= k1
        h1 = (_rotl(h1, 19) + h2) & _M32
        h1 = (h1 * 5 + 0x561CCD1B) & _M32
        k2 = _rotl((k2 * c2) & _M32, 17) * c1 & _M32
        h2 ^= k2
        h2 = (_rotl(h2, 13) + h1) & _M32
        h2 = (h2 * 5 + 0x0BCAA747) & _M32
        i += 8
    tail = n - i
    if tail > 0:
        k1 = int.from_bytes(data[i:i + min(tail, 4)], "little")
        h1 ^= _rotl((k1 * c1) & _M32, 15) * c2 & _M32
        if tail > 4:
            k2 = int.from_bytes(data[i + 4:n], "little")
            h2 ^= _rotl((k2 * c2) & _M32, 17) * c1 & _M32
    h1 ^= n & _M32
    h2 ^= n & _M32
    h1 = (h1 + h2) & _M32
    h2 = (h2 + h1) & _M32
    h1 = _fmix(h1)
    h2 = _fmix(h2)
    h1 = (h1 + h2) & _M32
    h2 = (h2 + h1) & _M32
    return (h2 << 32) | h1


_BASE32 = "abcdefghijklmnopqrstuvwxyz234567"


def unique_string(*values: str) -> str:
    h = murmur64("-".join(values).encode("utf-8"))
    out = []
    for _ in range(13):
        out.append(_BASE32[h >> 59])
        h = (h << 5) & 0xFFFFFFFFFFFFFFFF
    return "".join(out)


@register("uniqueString", 1, None)
def _unique_string(cx: EvalContext, args: list[Any], call: Call) -> Any:
    return unique_string(*_all_strings("uniqueString", args))


@register("newGuid", 0, 0)
def _new_guid(cx: EvalContext, args: list[Any], call: Call) -> Any:
    return Unknown("newGuid() returns a new value at every deployment")


# ================================================================== format (.NET composite formatting)

_FMT_ERR = "format(): Input string was not in a correct format."
_FMT_ITEM = re.compile(r"\s*(\d+)\s*(?:,\s*(-?\d+)\s*)?(?::(.*))?", re.S)
_BRACE = re.compile(r"[{}]")


def _round_decimal(value: Any, places: int) -> Decimal:
    d = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    q = Decimal(1).scaleb(-places)
    # precision for every digit kept ({0:N99} of a 19-digit integer keeps 118): the default 28 digits would
    # make quantize() fail on valid format strings
    with localcontext() as ctx:
        ctx.prec = max(ctx.prec, d.adjusted() + places + 3)
        return d.quantize(q, rounding=ROUND_HALF_UP)


def _group(int_digits: str) -> str:
    out = []
    while len(int_digits) > 3:
        out.append(int_digits[-3:])
        int_digits = int_digits[:-3]
    out.append(int_digits)
    return ",".join(reversed(out))


def _fixed(value: Any, places: int, grouping: bool) -> str:
    d = _round_decimal(value, places)
    neg = d < 0
    text = format(d.copy_abs(), "f")  # copy_abs: abs() would round to the context's 28 digits
    if "." in text:
        ip, fp = text.split(".")
    else:
        ip, fp = text, ""
    if grouping:
        ip = _group(ip)
    res = ip + ("." + fp if places > 0 else "")
    if neg and d != 0:
        res = "-" + res
    return res


def _custom_numeric(value: Any, spec: str) -> str:
    section = spec.split(";")[0]
    if "." in section:
        ipat, fpat = section.split(".", 1)
    else:
        ipat, fpat = section, ""
    grouping = "," in ipat
    min_int = ipat.count("0")
    places = fpat.count("0") + fpat.count("#")
    min_frac = fpat.count("0")
    d = _round_decimal(value, places)
    neg = d < 0
    text = format(d.copy_abs(), "f")  # copy_abs: abs() would round to the context's 28 digits
    ip, _, fp = text.partition(".")
    ip = ip.lstrip("0")
    ip = ip.rjust(min_int, "0")
    if grouping and ip:
        ip = _group(ip)
    fp = fp.ljust(places, "0")[:places]
    while len(fp) > min_frac and fp.endswith("0"):
        fp = fp[:-1]
    res = ip + ("." + fp if fp else "")
    prefix = ipat[: len(ipat) - len(ipat.lstrip("'\" abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ$"))]
    if neg and d != 0:
        res = "-" + res
    return prefix + (res or "0")


def _format_number(value: Any, spec: str) -> str:
    if not spec:
        return scalar_text("format", value)
    m = re.fullmatch(r"([A-Za-z])(\d{0,2})", spec)
    if m is None:
        if set(spec) <= set("0#,.;'\"$%- "):
            return _custom_numeric(value, spec)
        raise ExprError(f"format(): unsupported format specifier '{spec}'")
    code, digits = m.group(1), m.group(2)
    prec = int(digits) if digits else None
    up = code.upper()
    if up == "N":
        return _fixed(value, 2 if prec is None else prec, True)
    if up == "F":
        return _fixed(value, 2 if prec is None else prec, False)
    if up == "D":
        if not is_int(value):
            raise ExprError("format(): the 'D' format specifier requires an integer")
        s = str(abs(value)).rjust(prec or 0, "0")
        return ("-" if value < 0 else "") + s
    if up == "X":
        if not is_int(value):
            raise ExprError("format(): the 'X' format specifier requires an integer")
        v = value if value >= 0 else value + (1 << 64)
        s = format(v, "X" if code == "X" else "x")
        return s.rjust(prec or 0, "0")
    if up == "P":
        return _fixed(Decimal(repr(value) if isinstance(value, float) else value) * 100, 2 if prec is None else prec, True) + " %"
    if up == "C":
        t = _fixed(value, 2 if prec is None else prec, True)
        return ("-¤" + t[1:]) if t.startswith("-") else "¤" + t
    if up == "E":
        p = 6 if prec is None else prec
        mant_exp = format(Decimal(repr(value) if isinstance(value, float) else value), f".{p}E")
        mant, exp = mant_exp.split("E")
        sign = "-" if exp.startswith("-") else "+"
        return f"{mant}{'E' if code == 'E' else 'e'}{sign}{exp.lstrip('+-').zfill(3)}"
    if up in ("G", "R"):
        return scalar_text("format", value)
    raise ExprError(f"format(): unsupported format specifier '{spec}'")


def _format_value(value: Any, spec: str) -> str:
    if isinstance(value, (bool, str)) or value is None:
        return scalar_text("format", value)
    if is_number(value):
        return _format_number(value, spec)
    return to_json_text(value)


@register("format", 1, None, shapes=True)
def _format(cx: EvalContext, args: list[Any], call: Call) -> Any:
    fmt = arg_str("format", args, 0)
    values = args[1:]
    out: list[str] = []
    total = 0
    i, n = 0, len(fmt)
    while i < n:
        c = fmt[i]
        if c == "{":
            if i + 1 < n and fmt[i + 1] == "{":
                out.append("{")
                i += 2
                continue
            j = fmt.find("}", i)
            if j < 0:
                raise ExprError(_FMT_ERR)
            item = fmt[i + 1:j]
            m = _FMT_ITEM.fullmatch(item)
            if m is None:
                raise ExprError(_FMT_ERR)
            idx = int(m.group(1))
            if idx >= len(values):
                raise ExprError(
                    "format(): Index (zero based) must be greater than or equal to zero and less than "
                    "the size of the argument list."
                )
            text = _format_value(values[idx], m.group(3) or "")
            if m.group(2):
                width = int(m.group(2))
                if abs(width) > 100_000:
                    raise ExprError("format(): the alignment is too large")
                text = text.rjust(width) if width > 0 else text.ljust(-width)
            out.append(text)
            total += len(text)
            ensure_len(total)
            i = j + 1
        elif c == "}":
            if i + 1 < n and fmt[i + 1] == "}":
                out.append("}")
                i += 2
                continue
            raise ExprError(_FMT_ERR)
        else:
            brace = _BRACE.search(fmt, i)
            j = brace.start() if brace else n
            out.append(fmt[i:j])
            total += j - i
            i = j
    return "".join(out)


# ================================================================== dates

_DT_RE = re.compile(
    r"^(?P<y>\d{4})(?P<dsep>-?)(?P<mo>\d{2})(?P=dsep)(?P<d>\d{2})"
    r"(?:(?P<tsep>[T ])(?P<h>\d{2})(?P<csep>:?)(?P<mi>\d{2})(?:(?P=csep)(?P<s>\d{2})(?:\.(?P<f>\d{1,7}))?)?)?"
    r"(?P<z>Z|[+-]\d{2}:?\d{2})?$",
    re.I,
)


class _Stamp:
    __slots__ = ("dt", "style")

    def __init__(self, dt: datetime, style: dict[str, Any]) -> None:
        self.dt = dt
        self.style = style


def _parse_datetime(fn: str, s: str) -> _Stamp:
    m = _DT_RE.match(s.strip())
    if m is None:
        raise ExprError(f"{fn}(): '{s}' is not a valid date-time value")
    g = m.groupdict()
    try:
        frac = g["f"] or ""
        micro = int((frac + "000000")[:6]) if frac else 0
        tz = timezone.utc
        z = g["z"]
        if z and z.upper() != "Z":
            sign = -1 if z[0] == "-" else 1
            digits = z[1:].replace(":", "")
            tz = timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))
        dt = datetime(
            int(g["y"]), int(g["mo"]), int(g["d"]),
            int(g["h"] or 0), int(g["mi"] or 0), int(g["s"] or 0), micro, tzinfo=tz,
        )
    except ValueError:
        raise ExprError(f"{fn}(): '{s}' is not a valid date-time value") from None
    style = {
        "dsep": g["dsep"],
        "tsep": g["tsep"] if g["h"] is not None else None,
        "csep": g["csep"] or "",
        "seconds": g["s"] is not None,
        "frac": len(frac),
        "zone": z,
    }
    return _Stamp(dt, style)


def _render_like(dt: datetime, style: dict[str, Any]) -> str:
    d = style["dsep"]
    out = f"{dt.year:04d}{d}{dt.month:02d}{d}{dt.day:02d}"
    if style["tsep"] is not None:
        c = style["csep"]
        out += f"{style['tsep']}{dt.hour:02d}{c}{dt.minute:02d}"
        if style["seconds"]:
            out += f"{c}{dt.second:02d}"
            if style["frac"]:
                out += "." + f"{dt.microsecond:06d}0"[: style["frac"]]
    z = style["zone"]
    if z:
        if z.upper() == "Z":
            out += "Z"
        else:
            off = dt.utcoffset() or timedelta(0)
            total = int(off.total_seconds() // 60)
            sign = "-" if total < 0 else "+"
            total = abs(total)
            sep = ":" if ":" in z else ""
            out += f"{sign}{total // 60:02d}{sep}{total % 60:02d}"
    return out


_DUR_RE = re.compile(
    r"^(?P<neg>-)?P(?:(?P<y>\d+)Y)?(?:(?P<mo>\d+)M)?(?:(?P<w>\d+)W)?(?:(?P<d>\d+)D)?"
    r"(?:T(?:(?P<h>\d+)H)?(?:(?P<mi>\d+)M)?(?:(?P<s>\d+(?:\.\d+)?)S)?)?$",
    re.I,
)


def _add_months(dt: datetime, months: int) -> datetime:
    total = dt.year * 12 + (dt.month - 1) + months
    year, month = divmod(total, 12)
    if not 1 <= year <= 9999:
        raise ExprError("dateTimeAdd(): the resulting date is out of range")
    day = min(dt.day, calendar.monthrange(year, month + 1)[1])
    return dt.replace(year=year, month=month + 1, day=day)


def _add_duration(dt: datetime, duration: str) -> datetime:
    m = _DUR_RE.match(duration.strip())
    if m is None or duration.strip().upper().rstrip("T") in ("P", "-P") or duration.strip().upper().endswith("T"):
        raise ExprError(f"dateTimeAdd(): '{duration}' is not a valid ISO 8601 duration")
    g = m.groupdict()
    sign = -1 if g["neg"] else 1
    try:
        years = int(g["y"] or 0)
        months = int(g["mo"] or 0)
        if years > 10000 or months > 120000:
            raise ExprError("dateTimeAdd(): the resulting date is out of range")
        dt = _add_months(dt, sign * (years * 12 + months))
        delta = timedelta(
            weeks=int(g["w"] or 0), days=int(g["d"] or 0), hours=int(g["h"] or 0),
            minutes=int(g["mi"] or 0), seconds=float(g["s"] or 0),
        )
        return dt + sign * delta
    except (OverflowError, ValueError):
        raise ExprError("dateTimeAdd(): the resulting date is out of range") from None


_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December"]
_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_STANDARD = {
    "d": "MM/dd/yyyy", "D": "dddd, dd MMMM yyyy", "f": "dddd, dd MMMM yyyy HH:mm",
    "F": "dddd, dd MMMM yyyy HH:mm:ss", "g": "MM/dd/yyyy HH:mm", "G": "MM/dd/yyyy HH:mm:ss",
    "M": "MMMM dd", "m": "MMMM dd", "O": "yyyy-MM-ddTHH:mm:ss.fffffffK", "o": "yyyy-MM-ddTHH:mm:ss.fffffffK",
    "R": "ddd, dd MMM yyyy HH':'mm':'ss 'GMT'", "r": "ddd, dd MMM yyyy HH':'mm':'ss 'GMT'",
    "s": "yyyy-MM-ddTHH:mm:ss", "t": "HH:mm", "T": "HH:mm:ss", "u": "yyyy-MM-dd HH:mm:ssZ",
    "U": "dddd, dd MMMM yyyy HH:mm:ss", "Y": "yyyy MMMM", "y": "yyyy MMMM",
}


def format_datetime(dt: datetime, fmt: str) -> str:
    """.NET custom/standard date and time format strings (invariant culture)."""
    if len(fmt) == 1:
        if fmt not in _STANDARD:
            raise ExprError(f"unsupported date-time format '{fmt}'")
        if fmt in "uUrR":
            dt = dt.astimezone(timezone.utc)
        fmt = _STANDARD[fmt]
    out: list[str] = []
    i, n = 0, len(fmt)
    while i < n:
        c = fmt[i]
        if c in "'\"":
            j = fmt.find(c, i + 1)
            if j < 0:
                raise ExprError(f"unterminated quoted text in date-time format '{fmt}'")
            out.append(fmt[i + 1:j])
            i = j + 1
            continue
        if c == "\\" and i + 1 < n:
            out.append(fmt[i + 1])
            i += 2
            continue
        j = i
        while j < n and fmt[j] == c:
            j += 1
        k = j - i
        if c == "y":
            out.append(f"{dt.year % 100:02d}" if k == 2 else (str(dt.year % 100) if k == 1 else f"{dt.year:0{k}d}"))
        elif c == "M":
            out.append(_MONTHS[dt.month - 1] if k >= 4 else _MONTHS[dt.month - 1][:3] if k == 3 else f"{dt.month:0{k}d}")
        elif c == "d":
            out.append(_DAYS[dt.weekday()] if k >= 4 else _DAYS[dt.weekday()][:3] if k == 3 else f"{dt.day:0{k}d}")
        elif c == "H":
            out.append(f"{dt.hour:0{min(k, 2)}d}")
        elif c == "h":
            out.append(f"{(dt.hour % 12) or 12:0{min(k, 2)}d}")
        elif c == "m":
            out.append(f"{dt.minute:0{min(k, 2)}d}")
        elif c == "s":
            out.append(f"{dt.second:0{min(k, 2)}d}")
        elif c in "fF":
            digits = f"{dt.microsecond:06d}0"[: min(k, 7)]
            out.append(digits.rstrip("0") if c == "F" else digits)
        elif c == "t":
            ampm = "AM" if dt.hour < 12 else "PM"
            out.append(ampm[:1] if k == 1 else ampm)
        elif c == "K":
            off = dt.utcoffset()
            if off is None:
                pass
            elif off == timedelta(0):
                out.append("Z")
            else:
                out.append(_offset_text(off, True))
        elif c == "z":
            off = dt.utcoffset() or timedelta(0)
            if k >= 3:
                out.append(_offset_text(off, True))
            else:
                hours = int(off.total_seconds() // 3600)
                out.append(f"{'-' if hours < 0 else '+'}{abs(hours):0{k}d}")
        else:
            out.append(fmt[i:j])
        i = j
    return "".join(out)


def _offset_text(off: timedelta, colon: bool) -> str:
    total = int(off.total_seconds() // 60)
    sign = "-" if total < 0 else "+"
    total = abs(total)
    return f"{sign}{total // 60:02d}{':' if colon else ''}{total % 60:02d}"


@register("dateTimeAdd", 2, 3)
def _date_time_add(cx: EvalContext, args: list[Any], call: Call) -> Any:
    base = arg_str("dateTimeAdd", args, 0)
    duration = arg_str("dateTimeAdd", args, 1)
    stamp = _parse_datetime("dateTimeAdd", base)
    result = _add_duration(stamp.dt, duration)
    if len(args) > 2:
        return format_datetime(result, arg_str("dateTimeAdd", args, 2))
    return _render_like(result, stamp.style)


@register("dateTimeFromEpoch", 1, 1)
def _date_time_from_epoch(cx: EvalContext, args: list[Any], call: Call) -> Any:
    v = args[0]
    if not is_number(v):
        raise bad_arg("dateTimeFromEpoch", 0, "an integer", v)
    try:
        dt = datetime(1970, 1, 1, tzinfo=timezone.utc) + timedelta(seconds=int(v))
    except OverflowError:
        raise ExprError("dateTimeFromEpoch(): the value is out of range") from None
    return dt.strftime("%Y-%m-%dT%H:%M:%SZ")


@register("dateTimeToEpoch", 1, 1)
def _date_time_to_epoch(cx: EvalContext, args: list[Any], call: Call) -> Any:
    stamp = _parse_datetime("dateTimeToEpoch", arg_str("dateTimeToEpoch", args, 0))
    return int((stamp.dt - datetime(1970, 1, 1, tzinfo=timezone.utc)).total_seconds() // 1)


@register("utcNow", 0, 1)
def _utc_now(cx: EvalContext, args: list[Any], call: Call) -> Any:
    if args and not isinstance(args[0], str):
        raise bad_arg("utcNow", 0, "a format string", args[0])
    return Unknown("utcNow() returns the time of the deployment")

