"""Regular expressions matched in linear time, for patterns that come from configuration.

A configuration file can arrive in a pull request like any template, so a pattern in it is as hostile as the
names it is matched against: with Python's backtracking ``re``, ``^(a+)+$`` against ``aaaa...ab`` runs for
hours. Patterns here compile to a Thompson NFA that is simulated over a set of states, so a match costs at
most (length of the text) x (size of the pattern) steps, whatever either holds.

The syntax is the common subset of Python's: literals; ``.``; classes ``[a-z0-9_-]``, ``[^...]``; the escapes
``\\d \\D \\w \\W \\s \\S`` and escaped punctuation; groups ``(...)``, ``(?:...)``, ``(?P<name>...)``;
alternation ``|``; quantifiers ``* + ? {n} {n,} {n,m}`` (a trailing ``?``, lazy, changes nothing for whether
the text matches); anchors ``^ $ \\A \\Z``; a leading ``(?i)`` for case-insensitive matching. Constructs that need
backtracking (back-references, look-around, atomic groups, possessive quantifiers, conditionals) and word
boundaries are refused with a PatternError that says so.

    compile_pattern(text) -> Pattern       raises PatternError (one line)
    Pattern.fullmatch(text) -> bool        the whole text matches
"""
from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["MAX_PATTERN", "MAX_STATES", "Pattern", "PatternError", "compile_pattern"]

MAX_PATTERN = 1000  # characters of a pattern
MAX_STATES = 20_000  # NFA states once counted repetitions are written out
_MAX_REPEAT = 1000  # the largest n or m in {n,m}
_MAX_NESTING = 100  # groups inside groups
_COUNTED = re.compile(r"\{(\d*)(,(\d*))?\}")  # {n} {n,} {n,m} {,m} {,} as in Python; "{}" is literal text


class PatternError(ValueError):
    """A pattern that cannot be compiled here; ``str()`` is one line."""


# ------------------------------------------------------------------------------------------------ characters


@dataclass(frozen=True)
class _Chars:
    """A set of characters: ranges (inclusive code points), named classes (d, w, s), negated or not."""

    ranges: tuple[tuple[int, int], ...] = ()
    classes: str = ""
    negated: bool = False
    any_char: bool = False  # '.': everything but a line break

    def matches(self, c: str, ignore_case: bool) -> bool:
        if self.any_char:
            return c != "\n"
        hit = self._has(c) or (ignore_case and (self._has(c.lower()) or self._has(c.upper())))
        return hit != self.negated

    def _has(self, c: str) -> bool:
        o = ord(c)
        for lo, hi in self.ranges:
            if lo <= o <= hi:
                return True
        for k in self.classes:
            if (k == "d" and c.isdecimal()) or (k == "w" and (c.isalnum() or c == "_")) or (k == "s" and c.isspace()):
                return True
            if (k == "D" and not c.isdecimal()) or (k == "W" and not (c.isalnum() or c == "_")) or (k == "S" and not c.isspace()):
                return True
        return False


def _literal(c: str) -> _Chars:
    return _Chars(ranges=((ord(c), ord(c)),))


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "f": "\f", "v": "\v", "0": "\0"}
_REFUSED = {
    "b": "word boundaries (\\b) are not supported",
    "B": "word boundaries (\\B) are not supported",
}


# ------------------------------------------------------------------------------------------------ syntax tree

# nodes: ("chars", _Chars) ("cat", [nodes]) ("alt", [nodes]) ("rep", node, min, max|None) ("bol",) ("eol",) ("empty",)


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.i = 0
        self.depth = 0
        self.ignore_case = False

    def fail(self, message: str, at: int | None = None) -> PatternError:
        """``at``: 0-based index of the offending construct (default: the next character)."""
        return PatternError(f"{message} (at position {(self.i if at is None else at) + 1} of the pattern)")

    def peek(self) -> str:
        return self.text[self.i] if self.i < len(self.text) else ""

    def parse(self) -> tuple:  # type: ignore[type-arg]
        if self.text.startswith("(?i)"):
            self.ignore_case = True
            self.i = 4
        node = self.alternation()
        if self.i < len(self.text):
            raise self.fail("unbalanced ')'")
        return node

    def alternation(self) -> tuple:  # type: ignore[type-arg]
        branches = [self.sequence()]
        while self.peek() == "|":
            self.i += 1
            branches.append(self.sequence())
        return branches[0] if len(branches) == 1 else ("alt", branches)

    def sequence(self) -> tuple:  # type: ignore[type-arg]
        items: list[tuple] = []  # type: ignore[type-arg]
        while self.i < len(self.text) and self.peek() not in "|)":
            atom = self.atom()
            items.append(self.quantified(atom))
        if not items:
            return ("empty",)
        return items[0] if len(items) == 1 else ("cat", items)

    def quantified(self, atom: tuple) -> tuple:  # type: ignore[type-arg]
        while True:
            c = self.peek()
            if c in ("*", "+", "?"):
                self.i += 1
                lo, hi = {"*": (0, None), "+": (1, None), "?": (0, 1)}[c]
            elif c == "{" and self._counted():
                lo, hi = self._counted_bounds()
            else:
                return atom
            if atom[0] in ("bol", "eol", "empty"):
                raise self.fail("nothing to repeat")
            nxt = self.peek()
            if nxt == "+":
                raise self.fail("possessive quantifiers need backtracking and are not supported")
            if nxt == "?":
                self.i += 1  # lazy: the same language
            atom = ("rep", atom, lo, hi)

    def _counted(self) -> bool:
        """Whether a counted repetition {n}, {n,}, {n,m} or {,m} starts here (else '{' is a literal)."""
        m = _COUNTED.match(self.text, self.i)
        return m is not None and bool(m.group(1) or m.group(2))

    def _counted_bounds(self) -> tuple[int, int | None]:
        m = _COUNTED.match(self.text, self.i)
        assert m is not None
        self.i = m.end()
        lo = int(m.group(1) or 0)
        hi = lo if m.group(2) is None else (int(m.group(3)) if m.group(3) else None)
        if lo > _MAX_REPEAT or (hi is not None and hi > _MAX_REPEAT):
            raise self.fail(f"repetition counts above {_MAX_REPEAT} are not supported")
        if hi is not None and hi < lo:
            raise self.fail("min repeat greater than max repeat")
        return lo, hi

    def atom(self) -> tuple:  # type: ignore[type-arg]
        c = self.peek()
        self.i += 1
        if c == "(":
            return self.group()
        if c == "[":
            return ("chars", self.char_class())
        if c == ".":
            return ("chars", _Chars(any_char=True))
        if c == "^":
            return ("bol",)
        if c == "$":
            return ("eol",)
        if c == "\\":
            return self.escape(in_class=False)
        if c in "*+?":
            raise self.fail("nothing to repeat")
        if c == "{" and self._counted_after_nothing():
            raise self.fail("nothing to repeat")
        return ("chars", _literal(c))

    def _counted_after_nothing(self) -> bool:
        self.i -= 1
        try:
            return self._counted()
        finally:
            self.i += 1

    def group(self) -> tuple:  # type: ignore[type-arg]
        at = self.i - 1  # the "("
        if self.text.startswith("?", self.i):
            rest = self.text[self.i :]
            if rest.startswith("?:"):
                self.i += 2
            elif rest.startswith("?P<"):
                end = self.text.find(">", self.i)
                if end < 0:
                    raise self.fail("missing '>' after a group name")
                self.i = end + 1
            elif rest.startswith(("?=", "?!", "?<=", "?<!")):
                raise self.fail("look-around assertions need backtracking and are not supported", at)
            elif rest.startswith("?>"):
                raise self.fail("atomic groups are not supported", at)
            elif rest.startswith("?("):
                raise self.fail("conditional groups are not supported", at)
            elif rest.startswith("?P="):
                raise self.fail("back-references need backtracking and are not supported", at)
            else:
                raise self.fail("this group syntax is not supported (only (...), (?:...), (?P<name>...) and a leading (?i))", at)
        self.depth += 1
        if self.depth > _MAX_NESTING:
            raise self.fail(f"groups nested more than {_MAX_NESTING} deep")
        node = self.alternation()
        self.depth -= 1
        if self.peek() != ")":
            raise self.fail("missing ')'")
        self.i += 1
        return node

    def escape(self, in_class: bool) -> tuple:  # type: ignore[type-arg]
        at = self.i - 1  # the backslash
        c = self.peek()
        if not c:
            raise self.fail("a pattern cannot end with a backslash")
        self.i += 1
        if c in "dDwWsS":
            return ("chars", _Chars(classes=c))
        if c in _ESCAPES:
            return ("chars", _literal(_ESCAPES[c]))
        if c.isdigit():
            raise self.fail("back-references need backtracking and are not supported", at)
        if not in_class and c in "AZ":
            return ("bol",) if c == "A" else ("eol",)
        if c in _REFUSED and not in_class:
            raise self.fail(_REFUSED[c], at)
        if c.isalnum():
            raise self.fail(f"unknown escape \\{c}", at)
        return ("chars", _literal(c))

    def char_class(self) -> _Chars:
        negated = self.peek() == "^"
        if negated:
            self.i += 1
        ranges: list[tuple[int, int]] = []
        classes = ""
        first = True
        while True:
            c = self.peek()
            if not c:
                raise self.fail("unterminated character set")
            if c == "]" and not first:
                self.i += 1
                break
            first = False
            lo = self._class_item()
            if isinstance(lo, str) and len(lo) == 1 and lo in "dDwWsS" and self.text[self.i - 2] == "\\":
                classes += lo
                continue
            if self.peek() == "-" and self.i + 1 < len(self.text) and self.text[self.i + 1] != "]":
                self.i += 1
                hi = self._class_item()
                if self.text[self.i - 2] == "\\" and hi in "dDwWsS":
                    raise self.fail("a range cannot end with a class such as \\d")
                if ord(hi) < ord(lo):
                    raise self.fail(f"bad character range {lo}-{hi}")
                ranges.append((ord(lo), ord(hi)))
            else:
                ranges.append((ord(lo), ord(lo)))
        return _Chars(tuple(ranges), classes, negated)

    def _class_item(self) -> str:
        c = self.peek()
        self.i += 1
        if c != "\\":
            return c
        e = self.peek()
        if not e:
            raise self.fail("a pattern cannot end with a backslash")
        self.i += 1
        if e in _ESCAPES:
            return _ESCAPES[e]
        if e.isdigit() or (e.isalnum() and e not in "dDwWsS"):
            raise self.fail(f"unknown escape \\{e}")
        return e


# ------------------------------------------------------------------------------------------------ the NFA

_CHAR, _SPLIT, _JUMP, _BOL, _EOL, _MATCH = range(6)


class _Builder:
    def __init__(self) -> None:
        self.kind: list[int] = []
        self.arg: list[object] = []
        self.out1: list[int] = []
        self.out2: list[int] = []

    def state(self, kind: int, arg: object = None) -> int:
        if len(self.kind) >= MAX_STATES:
            raise PatternError(f"the pattern is too large once its repetitions are written out (more than {MAX_STATES} states)")
        self.kind.append(kind)
        self.arg.append(arg)
        self.out1.append(-1)
        self.out2.append(-1)
        return len(self.kind) - 1

    def build(self, node: tuple, nxt: int) -> int:  # type: ignore[type-arg]
        """States for ``node`` that continue to ``nxt``; returns the entry state. Built back to front."""
        tag = node[0]
        if tag == "chars":
            s = self.state(_CHAR, node[1])
            self.out1[s] = nxt
            return s
        if tag == "empty":
            return nxt
        if tag in ("bol", "eol"):
            s = self.state(_BOL if tag == "bol" else _EOL)
            self.out1[s] = nxt
            return s
        if tag == "cat":
            entry = nxt
            for item in reversed(node[1]):
                entry = self.build(item, entry)
            return entry
        if tag == "alt":
            entries = [self.build(b, nxt) for b in node[1]]
            entry = entries[-1]
            for e in reversed(entries[:-1]):
                s = self.state(_SPLIT)
                self.out1[s], self.out2[s] = e, entry
                entry = s
            return entry
        # rep
        _, body, lo, hi = node
        entry = nxt
        if hi is None:
            loop = self.state(_SPLIT)
            inner = self.build(body, loop)
            self.out1[loop], self.out2[loop] = inner, nxt
            entry = loop
        else:
            for _ in range(hi - lo):
                s = self.state(_SPLIT)
                self.out1[s], self.out2[s] = self.build(body, entry), nxt
                entry = s
        for _ in range(lo):
            entry = self.build(body, entry)
        return entry


class Pattern:
    """A compiled pattern (compile_pattern)."""

    def __init__(self, text: str, builder: _Builder, start: int, ignore_case: bool) -> None:
        self.pattern = text
        self._kind, self._arg, self._out1, self._out2 = builder.kind, builder.arg, builder.out1, builder.out2
        self._start = start
        self._ignore_case = ignore_case

    def _closure(self, states: list[int], pos: int, size: int) -> set[int]:
        kind, out1, out2 = self._kind, self._out1, self._out2
        seen: set[int] = set()
        stack = list(states)
        while stack:
            s = stack.pop()
            if s in seen:
                continue
            seen.add(s)
            k = kind[s]
            if k == _SPLIT:
                stack.append(out1[s])
                stack.append(out2[s])
            elif k == _JUMP or (k == _BOL and pos == 0) or (k == _EOL and pos == size):
                stack.append(out1[s])
        return seen

    def fullmatch(self, text: str) -> bool:
        size = len(text)
        current = self._closure([self._start], 0, size)
        kind, arg, out1 = self._kind, self._arg, self._out1
        ignore_case = self._ignore_case
        for pos, c in enumerate(text):
            step = [out1[s] for s in current if kind[s] == _CHAR and arg[s].matches(c, ignore_case)]  # type: ignore[attr-defined]
            if not step:
                return False
            current = self._closure(step, pos + 1, size)
        return any(kind[s] == _MATCH for s in current)

    def __repr__(self) -> str:
        return f"Pattern({self.pattern!r})"


def compile_pattern(text: str) -> Pattern:
    if len(text) > MAX_PATTERN:
        raise PatternError(f"the pattern is longer than {MAX_PATTERN} characters")
    parser = _Parser(text)
    tree = parser.parse()
    builder = _Builder()
    match = builder.state(_MATCH)
    start = builder.build(tree, match)
    return Pattern(text, builder, start, parser.ignore_case)
