"""Escaping for everything acrlint writes: findings in every format, and lines on standard error.

Names, values, file names and messages come from files anyone can put in a pull request, and CI runners act
on what they read: Azure Pipelines runs a ``##vso[...]`` logging command found anywhere in a line (setting a
variable, masking a secret, failing the job), GitHub Actions a workflow command at the start of a line
(``::error ...``, ``::add-mask::``), and a terminal obeys escape sequences. So:

- control characters (C0 including TAB, CR and LF; DEL; C1; U+2028/U+2029; the bidirectional overrides that
  make text read differently from how it is stored; the BOM) and lone surrogates are never written raw;
- ``##vso[`` (any case) never appears in output that came from input: its ``[`` is escaped;
- no line starts (after blanks) with ``::`` unless acrlint wrote the command itself: the first ``:`` is escaped.

Line formats (text, parsable, github, azure-devops, junit) and standard error show the escapes as ``\\n``,
``\\r``, ``\\t``, ``\\xNN`` and ``\\uNNNN`` (``##vso\\x5b``, ``\\x3a:``); json and sarif use JSON's own
``\\uNNNN`` escapes, so a JSON reader gets the original text back. ``cut`` shortens a value quoted in a
message, keeping its start and end around an ellipsis.
"""
from __future__ import annotations

import re

from linter.model import MAX_VALUE, cut

__all__ = ["MAX_MESSAGE", "MAX_VALUE", "cut", "json_safe", "line_safe", "shown"]

MAX_MESSAGE = 2000  # characters of a whole message or resource name in any output

_UNSAFE = "\x00-\x1f\x7f-\x9f\u200e\u200f\u2028-\u202e\u2066-\u2069\ufeff\ud800-\udfff"
_CONTROL = re.compile(f"[{_UNSAFE}]")
_CONTROL_BUT_BREAKS = re.compile(f"[{_UNSAFE.replace(chr(0) + '-', chr(0) + '-' + chr(9) + chr(11) + chr(12) + chr(14) + '-')}]")
_VSO = re.compile(r"##(vso)\[", re.IGNORECASE)
_LEADING_COMMAND = re.compile(r"\A([ \t]*):(?=:)")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u200e\u200f\u2028-\u202e\u2066-\u2069\ufeff\ud800-\udfff]|##(?i:vso)\\[")


def _escape(m: re.Match[str]) -> str:
    c = m.group()
    named = _NAMED.get(c)
    if named:
        return named
    code = ord(c)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def shown(text: str, keep_breaks: bool = False) -> str:
    """``text`` with control characters escaped and ``##vso[`` defused, for line formats and stderr.
    ``keep_breaks``: CR and LF are left for the caller, whose format escapes them its own way."""
    if text.isprintable() and "##" not in text:  # nearly every value: nothing to do
        return text
    text = (_CONTROL_BUT_BREAKS if keep_breaks else _CONTROL).sub(_escape, text)
    return _VSO.sub(r"##\1\\x5b", text) if "##" in text else text


def line_safe(text: str) -> str:
    """``shown(text)`` that may start a line: a leading ``::`` (a GitHub workflow command) is escaped too."""
    text = shown(text)
    return _LEADING_COMMAND.sub(r"\1\\x3a", text) if "::" in text else text


def _json_escape(m: re.Match[str]) -> str:
    c = m.group()
    if len(c) > 1:  # ##vso[
        return c[:-1] + "\\u005b"
    return f"\\u{ord(c):04x}"


def json_safe(text: str) -> str:
    """Serialised JSON (from ``json.dumps``, which escapes C0 itself) with the other unsafe characters and
    ``##vso[`` written as ``\\uNNNN`` escapes: the same JSON value, safe to print."""
    if text.isascii() and "##" not in text and "\x7f" not in text:
        return text
    return _JSON_UNSAFE.sub(_json_escape, text)
