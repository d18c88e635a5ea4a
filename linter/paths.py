"""Paths: the one glob engine (gitignore semantics, polynomial time on any pattern) and the path of a file
relative to its repository, which fingerprints, baselines and SARIF use.

Globs are used for ``exclude`` in the configuration, ``--exclude``, suppressions' ``path`` and ``.gitignore``
files. Each pattern is relative to a base directory (the configuration file's directory, the working directory
for ``--exclude``, the ``.gitignore`` file's directory) and follows git's rules (gitignore(5)):

- a blank line matches nothing; ``#`` starts a comment; trailing blanks are dropped unless escaped with ``\\``;
- ``!`` negates: a path excluded by an earlier pattern is included again (not when a parent directory is
  excluded: git does not look inside an excluded directory, and neither does acrlint);
- a trailing ``/`` matches directories only; a ``/`` at the start or in the middle anchors the pattern to its
  base directory, otherwise it matches a name at any depth;
- ``*`` matches anything but ``/``, ``?`` one character but ``/``, ``[a-z]``, ``[!a-z]`` and ``[[:digit:]]``
  one character of a set (ASCII classes, as git's in the C locale); ``**/`` at the start matches in every directory, ``/**`` at the end everything
  inside, ``/**/`` zero or more directories; ``\\`` escapes the next character;
- a match on a directory covers everything below it.

Patterns never match a path outside their base directory. A configuration file is as hostile as any input
(a pull request can change it), so matching never backtracks: a pattern is split at ``/`` and matched segment by
segment, ``**`` with a table over segment positions, and each segment with an expression that commits to the
leftmost occurrence of each piece between stars (_compile), so a match costs at most (pattern length) x (path
length) steps; ``*a*a*a*a*a*a*a*a*b`` against a long name costs microseconds (the expression pathspec compiles
the same pattern to takes seconds and grows exponentially). Literal names (``build``, ``.env``) are found by a
lookup, so a long .gitignore costs little. tests/test_paths.py checks the answers against ``git check-ignore``.

API::

    parse(text, base) -> Glob | None                None for a blank line or a comment
    GlobSet(globs).decide(path, is_dir) -> Glob | None
        The glob that decides whether ``path`` (absolute) is excluded: the last matching one for the path or,
        first, for one of its parent directories. ``.negated`` says it was included again.
    GlobSet(globs).excluded(path, is_dir) -> bool
    repository_root(directory) -> str | None          the nearest directory at or above holding ``.git``
    run_root(paths, baseline=None) -> str               what a run's paths are relative to (the repository root)
    rooted(path, root) -> str                          ``path`` relative to ``root``, posix, no ``./``
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from functools import lru_cache

__all__ = ["Glob", "GlobSet", "parse", "repository_root", "rooted", "run_root"]

# git matches bracket classes with the C library's ctype in the C locale: ASCII only
_POSIX_CLASSES: dict[str, str] = {
    "alnum": "A-Za-z0-9", "alpha": "A-Za-z", "blank": " \\t", "cntrl": "\\x00-\\x1f\\x7f", "digit": "0-9",
    "graph": "\\x21-\\x7e", "lower": "a-z", "print": "\\x20-\\x7e", "punct": "!-/:-@\\[-`{-~", "space": " \\t\\n\\r\\f\\v",
    "upper": "A-Z", "xdigit": "0-9A-Fa-f",
}

# segment tokens: a literal character (a str of length 1), _ANY_ONE, _STAR, or a _Class (all plain values, so that
# globs survive pickling into worker processes)
_ANY_ONE, _STAR = "?one", "*star"


@dataclass(frozen=True)
class _Class:
    negated: bool
    chars: frozenset[str]
    ranges: tuple[tuple[str, str], ...]
    named: tuple[str, ...]

    def regex(self) -> str:
        members = "".join(re.escape(c) for c in sorted(self.chars))
        members += "".join(f"{re.escape(lo)}-{re.escape(hi)}" for lo, hi in self.ranges if lo <= hi)  # z-a: nothing
        members += "".join(_POSIX_CLASSES[n] for n in self.named)
        if not members:
            return "." if self.negated else "(?!)"
        return f"[{'^' if self.negated else ''}{members}]"


class _Never:
    """A segment that matches nothing (an unterminated ``[``, a trailing ``\\``: git never matches them either)."""


_NEVER = _Never()
_GLOBSTAR = "**"


def _class_at(seg: str, i: int) -> tuple[_Class, int] | None:
    """The bracket expression starting at seg[i] == '[' and the index after it, or None when it is not closed."""
    j = i + 1
    negated = j < len(seg) and seg[j] in "!^"
    if negated:
        j += 1
    chars: set[str] = set()
    ranges: list[tuple[str, str]] = []
    named: list[str] = []
    first = True
    while j < len(seg):
        c = seg[j]
        if c == "]" and not first:
            return _Class(negated, frozenset(chars), tuple(ranges), tuple(named)), j + 1
        first = False
        if c == "[" and seg.startswith("[:", j):
            end = seg.find(":]", j + 2)
            name = seg[j + 2 : end] if end >= 0 else ""
            if name in _POSIX_CLASSES:
                named.append(name)
                j = end + 2
                continue
            if end >= 0:  # an unknown class name: git refuses the whole pattern
                return None
        if c == "\\":
            j += 1
            if j >= len(seg):
                return None
            c = seg[j]
        if j + 2 < len(seg) and seg[j + 1] == "-" and seg[j + 2] != "]":
            hi = seg[j + 2]
            k = j + 3
            if hi == "\\":
                if k >= len(seg):
                    return None
                hi, k = seg[k], k + 1
            ranges.append((c, hi))
            j = k
            continue
        chars.add(c)
        j += 1
    return None


@lru_cache(maxsize=4096)
def _segment(seg: str) -> re.Pattern[str] | _Never | str:
    """A segment: a plain string when it has no wildcard (compared directly), else a compiled expression."""
    if not any(c in seg for c in "*?[\\"):
        return seg
    tokens: list[object] = []
    i = 0
    while i < len(seg):
        c = seg[i]
        if c == "\\":
            if i + 1 >= len(seg):
                return _NEVER
            tokens.append(seg[i + 1])
            i += 2
        elif c == "*":
            if not tokens or tokens[-1] != _STAR:  # ** inside a segment is one *
                tokens.append(_STAR)
            i += 1
        elif c == "?":
            tokens.append(_ANY_ONE)
            i += 1
        elif c == "[":
            got = _class_at(seg, i)
            if got is None:
                return _NEVER
            tokens.append(got[0])
            i = got[1]
        else:
            tokens.append(c)
            i += 1
    return _compile(tokens)


def _compile(tokens: list[object]) -> re.Pattern[str]:
    """Tokens as a regular expression that cannot backtrack: ``P0*F1*F2*...*Fk`` is matched as P0, then the
    leftmost occurrence of each inner Fi, committed to (a lookahead captures it, a back-reference consumes it: the
    engine never goes back into it), then anything and Fk at the end. Every piece matches a fixed number of
    characters, so the leftmost choice is always right, and a match costs at most len(name) x len(pattern) steps."""
    pieces: list[list[object]] = [[]]
    for t in tokens:
        if t == _STAR:
            pieces.append([])
        else:
            pieces[-1].append(t)

    def piece(part: list[object]) -> str:
        return "".join("." if t == _ANY_ONE else t.regex() if isinstance(t, _Class) else re.escape(str(t)) for t in part)

    out = piece(pieces[0])
    for n, middle in enumerate(pieces[1:-1]):
        out += f"(?=(?P<g{n}>.*?{piece(middle)}))(?P=g{n})"
    if len(pieces) > 1:
        out += ".*" + piece(pieces[-1])
    return re.compile(out, re.DOTALL)


def _segment_matches(pattern: re.Pattern[str] | _Never | str, name: str) -> bool:
    if isinstance(pattern, str):
        return pattern == name
    if isinstance(pattern, _Never):
        return False
    return pattern.fullmatch(name) is not None


@dataclass(frozen=True)
class Glob:
    text: str  # as written
    base: str  # absolute directory the pattern is relative to
    negated: bool = False
    dir_only: bool = False
    segments: tuple[object, ...] = field(default=(), repr=False)  # "**" or a compiled segment

    def matches(self, parts: tuple[str, ...], is_dir: bool) -> bool:
        """``parts``: the path's segments relative to ``base``."""
        if self.dir_only and not is_dir:
            return False
        return _parts_match(self.segments, parts)


def _parts_match(segments: tuple[object, ...], parts: tuple[str, ...]) -> bool:
    # positions in ``parts`` reachable after each pattern segment: at most len(parts) + 1 of them
    reach = {0}
    last = len(segments) - 1
    for i, seg in enumerate(segments):
        if not reach:
            return False
        if seg == _GLOBSTAR:
            low = min(reach)
            if i == last:  # "dir/**": everything inside, at least one more segment
                return low < len(parts)
            reach = set(range(low, len(parts) + 1))
            continue
        reach = {j + 1 for j in reach if j < len(parts) and _segment_matches(seg, parts[j])}  # type: ignore[arg-type]
    return len(parts) in reach


def _strip_trailing_blanks(text: str) -> str:
    end = len(text)
    while end > 0 and text[end - 1] == " ":
        # a blank escaped with a backslash stays (an odd number of backslashes before it)
        k = end - 1
        slashes = 0
        while k > 0 and text[k - 1] == "\\":
            slashes += 1
            k -= 1
        if slashes % 2:
            break
        end -= 1
    return text[:end]


def _split(text: str) -> list[str]:
    """``text`` split at each ``/`` (escaped or not) that is not inside a bracket expression (which never
    matches a ``/`` but may contain one)."""
    parts: list[str] = []
    start = i = 0
    while i < len(text):
        c = text[i]
        if c == "\\" and text.startswith("/", i + 1):  # an escaped slash is a slash (as in git)
            parts.append(text[start:i])
            start = i + 2
            i += 2
            continue
        if c == "\\":
            i += 2
            continue
        if c == "[":
            got = _class_at(text, i)
            if got is not None:
                i = got[1]
                continue
        if c == "/":
            parts.append(text[start:i])
            start = i + 1
        i += 1
    parts.append(text[start:])
    return parts


def parse(text: str, base: str) -> Glob | None:
    """One gitignore line as a Glob relative to ``base`` (an absolute directory), or None for nothing."""
    original = text
    text = text.rstrip("\r\n")
    if not text or text.startswith("#"):
        return None
    text = _strip_trailing_blanks(text)
    if not text:
        return None
    negated = text.startswith("!")  # an escaped "\\!" or "\\#" is a literal character of the first segment
    if negated:
        text = text[1:]
    dir_only = text.endswith("/") and not text.endswith("\\/")
    if dir_only:
        text = text[:-1]
    if not text:
        return None
    anchored = "/" in text  # as git decides it: any slash, even one inside a bracket expression
    while text.startswith("./"):  # "./generated/": what people mean is "/generated/" (git would match nothing)
        text = text[2:]
    text = text.removeprefix("/")
    segments: list[object] = [_GLOBSTAR if p and p.strip("*") == "" and len(p) > 1 else _segment(p) for p in _split(text)]
    if not anchored:
        segments.insert(0, _GLOBSTAR)  # a name at any depth
    return Glob(original.strip("\r\n"), _posix(os.path.abspath(base)), negated, dir_only, tuple(segments))


def _posix(path: str) -> str:
    return path.replace(os.sep, "/") if os.sep != "/" else path


def _relative_parts(path: str, base: str) -> tuple[str, ...] | None:
    """The segments of absolute posix ``path`` below ``base``; None when it is not inside (or is base itself)."""
    prefix = base.rstrip("/") + "/"
    if not path.startswith(prefix):
        return None
    rest = path[len(prefix):]
    return tuple(p for p in rest.split("/") if p) or None


class GlobSet:
    """Ordered globs (possibly with different bases): the last one that matches decides, and a directory that is
    excluded excludes everything below it."""

    def __init__(self, globs: list[Glob]) -> None:
        self.globs: list[Glob] = []
        self._dirs: dict[str, Glob | None] = {}
        # per base directory: names of unanchored literal patterns (".env", "build") -> their indexes, and the
        # indexes of every other pattern, so that a path costs a lookup plus one test per wildcard pattern
        self._groups: dict[str, tuple[dict[str, list[int]], list[int]]] = {}
        self.extend(globs)

    def __bool__(self) -> bool:
        return bool(self.globs)

    def extend(self, globs: list[Glob]) -> None:
        for g in globs:
            names, others = self._groups.setdefault(g.base, ({}, []))
            index = len(self.globs)
            self.globs.append(g)
            if len(g.segments) == 2 and g.segments[0] == _GLOBSTAR and isinstance(g.segments[1], str) and g.segments[1] != _GLOBSTAR:
                names.setdefault(g.segments[1], []).append(index)
            else:
                others.append(index)
        if globs:
            self._dirs.clear()

    def _last(self, path: str, is_dir: bool) -> Glob | None:
        """The last glob (in order) that matches ``path`` itself."""
        best = -1
        for base, (names, others) in self._groups.items():
            parts = _relative_parts(path, base)
            if parts is None:
                continue
            for i in reversed(names.get(parts[-1], ())):
                if i <= best:
                    break
                if is_dir or not self.globs[i].dir_only:
                    best = i
                    break
            for i in reversed(others):
                if i <= best:
                    break
                if self.globs[i].matches(parts, is_dir):
                    best = i
                    break
        return self.globs[best] if best >= 0 else None

    def _dir_decision(self, directory: str) -> Glob | None:
        """The glob that excludes ``directory`` or one of its parents, or None."""
        pending: list[str] = []  # the directory and its parents not decided yet, deepest first (no recursion:
        d = directory  # a tree can be thousands of levels deep)
        decided: Glob | None = None
        while True:
            if d in self._dirs:
                decided = self._dirs[d]
                break
            if not self._inside_any(d):
                break
            pending.append(d)
            parent = d.rsplit("/", 1)[0] or "/"
            if parent == d:
                break
            d = parent
        for d in reversed(pending):
            if decided is None:
                last = self._last(d, True)
                decided = last if last is not None and not last.negated else None
            if len(self._dirs) < 100_000:
                self._dirs[d] = decided
        return decided

    def _inside_any(self, path: str) -> bool:
        return any(_relative_parts(path, base) is not None for base in self._groups)

    def decide(self, path: str, is_dir: bool = False) -> Glob | None:
        """The glob that decides ``path`` (absolute; made absolute when relative): an excluding glob of a parent
        directory, else the last glob that matches the path itself (negated: included again). None: no glob."""
        path = _posix(os.path.abspath(path))
        if not self.globs:
            return None
        parent = path.rsplit("/", 1)[0] or "/"
        if self._inside_any(parent):
            by_parent = self._dir_decision(parent)
            if by_parent is not None:
                return by_parent
        return self._last(path, is_dir)

    def excluded(self, path: str, is_dir: bool = False) -> bool:
        g = self.decide(path, is_dir)
        return g is not None and not g.negated


# --------------------------------------------------------------------------------------------- repository paths


def repository_root(directory: str) -> str | None:
    """The nearest directory at or above ``directory`` that holds ``.git`` (a directory, or a worktree's file)."""
    d = os.path.abspath(directory)
    while True:
        if os.path.lexists(os.path.join(d, ".git")):
            return d
        parent = os.path.dirname(d)
        if parent == d:
            return None
        d = parent


def run_root(paths: list[str], baseline: str | None = None) -> str:
    """The directory a run's paths are relative to in fingerprints, baselines and SARIF: the repository root of the
    first path named (of the working directory when there is none, or only standard input); outside a repository,
    the baseline file's directory, or else the working directory."""
    named = [p for p in paths if p != "-"]
    first = os.path.abspath(named[0]) if named else os.getcwd()
    root = repository_root(first if os.path.isdir(first) else os.path.dirname(first))
    if root is not None:
        return root
    if baseline:
        return os.path.dirname(os.path.abspath(baseline))
    return os.getcwd()


def rooted(path: str, root: str) -> str:
    """``path`` (relative to the working directory, or absolute) relative to ``root``, in posix form without
    ``./``: the same string however the path was typed (``infra/``, ``.``, ``./infra/x.json``, from a
    subdirectory). A path on another drive stays absolute."""
    try:
        rel = os.path.relpath(os.path.abspath(path), root)
    except ValueError:  # Windows: another drive
        return _posix(os.path.abspath(path))
    return _posix(rel)
