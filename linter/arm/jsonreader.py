"""The JSON that ARM's json() and base64ToJson() accept, which is more than RFC 8259.

ARM reads these strings with the same lenient reader it reads templates with (templates may carry ``//`` and
``/* */`` comments, see "Comments in templates" in ARM's syntax article), and that reader also takes what the
function reference's examples and real templates write: numbers such as ``.25``, ``1.`` or ``+1``, single-quoted
strings, unquoted property names, trailing commas, ``NaN`` and ``Infinity``. Strict JSON goes through the C parser;
only text it refuses comes here. What this reader refuses as well is reported as an error with its position.
"""
from __future__ import annotations

import json
import re
from typing import Any

MAX_DEPTH = 512

_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|[+-]?(?:NaN|Infinity)\b|0[xX][0-9a-fA-F]+")
_IDENT = re.compile(r"[A-Za-z_$][A-Za-z0-9_$]*")
_WS = re.compile(r"(?:\s+|//[^\n]*|/\*.*?\*/)+", re.S)
_ESCAPES = {'"': '"', "'": "'", "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}


class JsonTextError(ValueError):
    def __init__(self, message: str, pos: int) -> None:
        super().__init__(f"{message} at position {pos}")
        self.pos = pos


def loads(text: str) -> Any:
    """``text`` as ARM's reader reads it: strict JSON at C speed, the lenient forms otherwise."""
    try:
        return json.loads(text)
    except RecursionError:
        raise JsonTextError("the JSON value is nested too deeply", 0) from None
    except ValueError:
        pass
    reader = _Reader(text)
    value = reader.value(0)
    reader.skip()
    if reader.i < len(text):
        raise JsonTextError("unexpected data after the JSON value", reader.i)
    return value


class _Reader:
    def __init__(self, text: str) -> None:
        self.s = text
        self.i = 0

    def skip(self) -> None:
        m = _WS.match(self.s, self.i)
        if m:
            self.i = m.end()
        if self.s.startswith("/*", self.i):
            raise JsonTextError("unterminated comment", self.i)

    def value(self, depth: int) -> Any:
        if depth > MAX_DEPTH:
            raise JsonTextError("the JSON value is nested too deeply", self.i)
        self.skip()
        s, i = self.s, self.i
        c = s[i] if i < len(s) else ""
        if c == "{":
            return self.obj(depth)
        if c == "[":
            return self.arr(depth)
        if c in "\"'":
            return self.string()
        m = _NUMBER.match(s, i)
        if m:
            self.i = m.end()
            return _number(m.group())
        m = _IDENT.match(s, i)
        if m and m.group() in ("true", "false", "null"):
            self.i = m.end()
            return {"true": True, "false": False, "null": None}[m.group()]
        if not c:
            raise JsonTextError("unexpected end of the JSON text", i)
        raise JsonTextError(f"unexpected character {c!r}", i)

    def obj(self, depth: int) -> dict[str, Any]:
        self.i += 1
        out: dict[str, Any] = {}
        while True:
            self.skip()
            s = self.s
            if self.i < len(s) and s[self.i] == "}":
                self.i += 1
                return out
            if self.i < len(s) and s[self.i] in "\"'":
                key = self.string()
            else:
                m = _IDENT.match(s, self.i)
                if not m:
                    raise JsonTextError("expected a property name", self.i)
                key, self.i = m.group(), m.end()
            self.skip()
            if self.i >= len(s) or s[self.i] != ":":
                raise JsonTextError("expected ':' after a property name", self.i)
            self.i += 1
            out[key] = self.value(depth + 1)
            self.skip()
            if self.i < len(s) and s[self.i] == ",":
                self.i += 1
            elif self.i < len(s) and s[self.i] == "}":
                continue
            else:
                raise JsonTextError("expected ',' or '}'", self.i)

    def arr(self, depth: int) -> list[Any]:
        self.i += 1
        out: list[Any] = []
        while True:
            self.skip()
            s = self.s
            if self.i < len(s) and s[self.i] == "]":
                self.i += 1
                return out
            out.append(self.value(depth + 1))
            self.skip()
            if self.i < len(s) and s[self.i] == ",":
                self.i += 1
            elif self.i < len(s) and s[self.i] == "]":
                continue
            else:
                raise JsonTextError("expected ',' or ']'", self.i)

    def string(self) -> str:
        s = self.s
        quote = s[self.i]
        start = self.i
        i = self.i + 1
        parts: list[str] = []
        while True:
            j = i
            while j < len(s) and s[j] != quote and s[j] != "\\":
                j += 1
            parts.append(s[i:j])
            if j >= len(s):
                raise JsonTextError("unterminated string", start)
            if s[j] == quote:
                self.i = j + 1
                return "".join(parts)
            esc = s[j + 1] if j + 1 < len(s) else ""
            if esc == "u" and re.fullmatch(r"[0-9a-fA-F]{4}", s[j + 2:j + 6]):
                parts.append(chr(int(s[j + 2:j + 6], 16)))
                i = j + 6
            elif esc in _ESCAPES:
                parts.append(_ESCAPES[esc])
                i = j + 2
            else:
                raise JsonTextError("invalid escape in a string", j)


def _number(text: str) -> Any:
    body = text.lstrip("+")
    if body.lower().startswith(("0x", "-0x")):
        return int(body, 16)
    if body in ("NaN", "-NaN"):
        return float("nan")
    if body in ("Infinity", "-Infinity"):
        return float(body)
    if any(c in body for c in ".eE"):
        return float(body)
    return int(body)
