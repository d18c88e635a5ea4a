"""Bicep tokenizer: text -> tokens with character offsets.

One compiled pattern matches the common tokens; strings are scanned by hand because an interpolation
(``'a${b}c'``) nests expressions, and so strings, inside a string. Newlines are tokens: Bicep separates
statements, object properties and array items with them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["BicepSyntaxError", "Token", "tokenize"]

# token kinds (operators and punctuation use their own text as the kind)
IDENT = "ident"
INT = "int"
STRING = "string"  # a complete string without interpolation: value is the decoded text
STR_LEFT = "str_left"  # 'text${     (value: decoded text)
STR_MID = "str_mid"  # }text${
STR_RIGHT = "str_right"  # }text'
NEWLINE = "nl"
EOF = "eof"


class BicepSyntaxError(Exception):
    """A syntax error at ``offset`` (a character index into the text)."""

    def __init__(self, message: str, offset: int, end: int | None = None):
        super().__init__(message)
        self.message = message
        self.offset = offset
        self.end = end if end is not None else offset + 1


@dataclass(slots=True)
class Token:
    kind: str
    text: str  # the source text (for strings: the decoded value)
    start: int
    end: int


# blanks and comments, then one token (the blanks are matched with the token: one match per token)
_TOKEN = re.compile(
    r"""
    (?:[ \t\f\v\ufeff]+|//[^\r\n]*|\#[^\r\n]*|/\*(?s:.*?)\*/)*
    (?:
      (?P<id>[A-Za-z_][A-Za-z0-9_]*)
    | (?P<nl>\r\n|\r|\n)
    | (?P<bc>/\*)
    | (?P<op>\.\.\.|\.\?|==|!=|=~|!~|<=|>=|&&|\|\||\?\?|=>|::|[{}\[\](),:.?!=<>+\-*/%@|])
    | (?P<ml>\'\'\')
    | (?P<q>\')
    | (?P<int>[0-9]+)
    | (?P<end>\Z)
    )
    """,
    re.VERBOSE,
)
_BLANKS = re.compile(r"(?:[ \t\f\v\ufeff]+|//[^\r\n]*|\#[^\r\n]*|/\*(?s:.*?)\*/)*")
# the literal part of a string up to its end, an interpolation or an escape
_STRING_CHUNK = re.compile(r"[^'\\$\r\n]+|\$(?!\{)")
_ESCAPES = {"\\": "\\", "'": "'", "n": "\n", "r": "\r", "t": "\t", "$": "$"}


def _scan_string(text: str, pos: int, opened: int) -> tuple[str, int, bool]:
    """Scan string content from ``pos`` (just after the opening quote or a closing ``}``) to the closing quote
    or an interpolation start. Returns (decoded text, position after the terminator, ended with ``${``).
    ``opened`` is where the string (or this part of it) starts, for the error of a string that does not end."""
    out: list[str] = []
    n = len(text)
    while True:
        m = _STRING_CHUNK.match(text, pos)
        if m is not None:
            out.append(m.group())
            pos = m.end()
            continue
        if pos >= n or text[pos] in "\r\n":
            raise BicepSyntaxError("unterminated string", opened)
        c = text[pos]
        if c == "'":
            return "".join(out), pos + 1, False
        if c == "$":  # followed by '{': an interpolation
            return "".join(out), pos + 2, True
        # a backslash escape
        nxt = text[pos + 1] if pos + 1 < n else ""
        if nxt in _ESCAPES:
            out.append(_ESCAPES[nxt])
            pos += 2
        elif nxt == "u" and text.startswith("{", pos + 2):
            close = text.find("}", pos + 3)
            digits = text[pos + 3:close] if close > 0 else ""
            if not digits or len(digits) > 6 or any(ch not in "0123456789abcdefABCDEF" for ch in digits) or int(digits, 16) > 0x10FFFF:
                raise BicepSyntaxError("invalid unicode escape in string", pos)
            out.append(chr(int(digits, 16)))
            pos = close + 1
        else:
            raise BicepSyntaxError(f"unknown escape sequence '\\{nxt}' in string", pos, pos + 2)


ERROR = "error"  # text that is not a token: its text is the message; the parser reports it
_LINE_END = re.compile(r"[^\r\n]*")


def tokenize(text: str) -> list[Token]:
    """All tokens of ``text`` (comments and blanks dropped), ending with an EOF token. Text that cannot be
    tokenized becomes an ERROR token up to the end of its line, and tokenizing goes on after it."""
    tokens: list[Token] = []
    # one entry per open interpolation: the count of '{' opened inside it and not yet closed
    holes: list[int] = []
    pos = 0
    while True:
        try:
            _tokenize(text, pos, tokens, holes)
            break
        except BicepSyntaxError as exc:
            eol = _LINE_END.match(text, exc.offset).end()  # type: ignore[union-attr]
            tokens.append(Token(ERROR, exc.message, exc.offset, max(eol, exc.offset + 1)))
            holes.clear()
            pos = eol
    n = len(text)
    if holes:
        tokens.append(Token(ERROR, "unterminated string interpolation", n, n))
    tokens.append(Token(EOF, "", n, n))
    return tokens


def _tokenize(text: str, pos: int, tokens: list[Token], holes: list[int]) -> None:
    append = tokens.append
    match = _TOKEN.match
    n = len(text)
    while pos < n:
        m = match(text, pos)
        if m is None:
            at = _BLANKS.match(text, pos).end()  # type: ignore[union-attr]
            raise BicepSyntaxError(f"unexpected character {text[at]!r}", at)
        kind = m.lastgroup or "end"
        if kind == "end":
            return
        pos, end = m.span(kind)
        if kind == "id":
            append(Token(IDENT, text[pos:end], pos, end))
        elif kind == "nl":
            if holes:
                raise BicepSyntaxError("a string interpolation must end on its line", pos)
            append(Token(NEWLINE, "\n", pos, end))
        elif kind == "op":
            op = text[pos:end]
            if holes:
                if op == "{":
                    holes[-1] += 1
                elif op == "}":
                    if holes[-1] == 0:
                        # the end of an interpolation: the string goes on
                        holes.pop()
                        value, end, more = _scan_string(text, end, pos)
                        if more:
                            holes.append(0)
                        append(Token(STR_MID if more else STR_RIGHT, value, pos, end))
                        pos = end
                        continue
                    holes[-1] -= 1
            append(Token(op, op, pos, end))
        elif kind == "int":
            append(Token(INT, text[pos:end], pos, end))
        elif kind == "q":
            value, end, more = _scan_string(text, end, pos)
            if more:
                holes.append(0)
            append(Token(STR_LEFT if more else STRING, value, pos, end))
        elif kind == "ml":
            close = text.find("'''", end)
            if close < 0:
                raise BicepSyntaxError("unterminated multi-line string", pos)
            while text.startswith("'", close + 3):  # a value ending in quotes: the last three close it
                close += 1
            value = text[end:close]
            # a line break right after the opening quotes is not part of the value
            if value.startswith("\r\n"):
                value = value[2:]
            elif value[:1] in ("\n", "\r"):
                value = value[1:]
            end = close + 3
            append(Token(STRING, value, pos, end))
        else:  # a block comment that does not end
            raise BicepSyntaxError("unterminated comment", pos)
        pos = end
