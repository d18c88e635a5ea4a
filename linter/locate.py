"""Locate stage: RFC 6901 pointer -> Span in the file's text, only for files that have findings.

JSON: descend along the pointer, skipping sibling values with the C scanner (``raw_decode``), and
remember every container scanned, so many pointers into one file cost about one parse. YAML: walk
the event stream once per file into a light tree of (start, end) offsets; aliases stay aliases.
Columns are 1-based and count characters of the decoded text; end columns are exclusive (SARIF).
"""
from __future__ import annotations

import json
import re
from bisect import bisect_right
from typing import Any

from .decode import strip_json_comments, yaml_events
from .model import Span, split_pointer

__all__ = ["Locator"]

_WS = re.compile(r"[ \t\r\n]*")
_DIGITS = re.compile(r"(?:0|[1-9][0-9]*)\Z")
_raw_decode = json.JSONDecoder().raw_decode
# An object member up to its value, and the value itself when it is a scalar (then the blanks after it too).
_MEMBER = re.compile(
    r'[ \t\r\n]*"([^"\\]*(?:\\.[^"\\]*)*)"[ \t\r\n]*:[ \t\r\n]*'
    r'(?:("[^"\\]*(?:\\.[^"\\]*)*"|-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?|true|false|null)[ \t\r\n]*)?',
    re.DOTALL,
)
_scanstring: Any = json.decoder.scanstring  # type: ignore[attr-defined]


_BLOCK = 1 << 12  # characters per block of counted line breaks: a lookup counts within one block


def _breaks(text: str, start: int, end: int) -> int:
    lf = text.count("\n", start, end)
    cr = text.count("\r", start, end)
    return lf + cr - text.count("\r\n", start, end) if cr else lf


class _ScanError(Exception):
    """The text is not the JSON we expected at this point (a comment, or not JSON at all)."""


class Locator:
    def __init__(self, text: str, fmt: str):
        text = text.removeprefix("\ufeff")  # positions count characters of the decoded text, which has no BOM
        self.text = text
        self.fmt = fmt
        self._bounds: list[int] | None = None  # block bounds, see _line_col
        self._block_lines: list[int] = []
        self._block_line_starts: list[int] = []
        self._scan_text = text  # replaced by a comment-blanked copy when the JSON has comments
        self._stripped = False
        self._containers: dict[int, tuple[Any, int]] = {}
        self._yaml_docs: list[Any] | None = None
        self._spans: dict[tuple[int, str], tuple[Span, str]] = {}  # several rules often point at one value

    # ------------------------------------------------------------------ public

    def span(self, doc: int, pointer: str) -> tuple[Span, str]:
        """Span of the value at ``pointer`` in document ``doc``, or of its longest existing prefix.

        The second item is the pointer actually located (a prefix of ``pointer`` on fallback).
        """
        key = (doc, pointer)
        hit = self._spans.get(key)
        if hit is not None:
            return hit
        result = self._span_of(doc, pointer)
        self._spans[key] = result
        return result

    def _span_of(self, doc: int, pointer: str) -> tuple[Span, str]:
        raw_tokens = pointer.split("/")[1:] if pointer.startswith("/") else []
        tokens = split_pointer(pointer) if raw_tokens and "~" in pointer else raw_tokens
        try:
            if self.fmt == "yaml":
                found = self._locate_yaml(doc, tokens)
            else:
                found = self._locate_json_retrying(doc, tokens)
        except (_ScanError, RecursionError):
            found = None
        if found is None:
            return Span(1, 1, 1, 1), ""
        start, end, depth = found
        located = "/" + "/".join(raw_tokens[:depth]) if depth else ""
        return self._span(start, end), located

    # ------------------------------------------------------------------ positions

    def _span(self, start: int, end: int) -> Span:
        line, col = self._line_col(start)
        text = self.text
        if text.find("\n", start, end) < 0 and text.find("\r", start, end) < 0:  # most values: one line
            return Span(line, col, line, col + end - start)
        end_line, end_col = self._line_col(end)
        return Span(line, col, end_line, end_col)

    def _line_col(self, index: int) -> tuple[int, int]:
        """1-based line and column; CRLF, CR and LF each count as one line break.

        Line breaks are counted per block of text once (C-speed ``str.count``), and where the line running
        into each block starts is remembered, so a lookup only searches inside one block: no per-line table,
        no scan back to the start of a long line per lookup (a 40 MB template on one line stays linear).
        """
        text = self.text
        if self._bounds is None:
            self._bounds, self._block_lines, self._block_line_starts = self._build_blocks()
        bounds, before = self._bounds, self._block_lines
        block = bisect_right(bounds, index) - 1
        start = bounds[block]
        line = before[block] + _breaks(text, start, index) + 1
        newline = text.rfind("\n", start, index)  # searched backwards within the block: cheap
        last = max(newline, text.rfind("\r", max(newline, start), index))
        line_start = last + 1 if last >= 0 else self._block_line_starts[block]
        return line, index - line_start + 1

    def _build_blocks(self) -> tuple[list[int], list[int], list[int]]:
        text = self.text
        bounds = [0]
        before = [0]
        line_starts = [0]  # where the line that contains each block's first character starts
        size = len(text)
        while bounds[-1] < size:
            cut = min(bounds[-1] + _BLOCK, size)
            if cut < size and text[cut - 1] == "\r" and text[cut] == "\n":
                cut += 1  # keep a CRLF inside one block, so it counts once
            start = bounds[-1]
            before.append(before[-1] + _breaks(text, start, cut))
            newline = text.rfind("\n", start, cut)
            last = max(newline, text.rfind("\r", max(newline, start), cut))
            line_starts.append(last + 1 if last >= 0 else line_starts[-1])
            bounds.append(cut)
        return bounds, before, line_starts

    # ------------------------------------------------------------------ JSON

    def _locate_json_retrying(self, doc: int, tokens: list[str]) -> tuple[int, int, int] | None:
        if doc != 0:
            return None
        try:
            return self._locate_json(tokens)
        except (_ScanError, IndexError, ValueError):
            if self._stripped or "/" not in self.text:
                raise _ScanError() from None
        # Comments only cost something when the file has them and the pointer meets one.
        try:
            self._scan_text = strip_json_comments(self.text)
        except Exception:
            raise _ScanError() from None
        self._stripped = True
        self._containers.clear()
        try:
            return self._locate_json(tokens)
        except (_ScanError, IndexError, ValueError):
            raise _ScanError() from None

    def _locate_json(self, tokens: list[str]) -> tuple[int, int, int]:
        s = self._scan_text
        pos = _WS.match(s, 0).end()  # type: ignore[union-attr]
        end: int | None = None
        depth = 0
        containers = self._containers
        for k, token in enumerate(tokens):
            ch = s[pos]
            hit: tuple[int, int] | None = None
            if ch == "{":
                members = (containers.get(pos) or self._container(pos, tokens, k))[0]
                hit = members.get(token)
            elif ch == "[":
                items = (containers.get(pos) or self._container(pos, tokens, k))[0]
                if _DIGITS.match(token) and int(token) < len(items):
                    hit = items[int(token)]
            if hit is None:
                break
            pos, end = hit
            depth += 1
        if end is None:
            end = self._value_end(pos)
        return pos, end, depth

    def _value_end(self, pos: int) -> int:
        s = self._scan_text
        if s[pos] in "{[":
            return self._container(pos)[1]
        return _raw_decode(s, pos)[1]

    def _container(self, pos: int, want: list[str] | tuple[str, ...] = (), k: int = 0) -> tuple[Any, int]:
        """Members of the object or array opening at ``pos`` as (start, end) offsets, and its end.

        ``want[k:]`` is the rest of the pointer from here: the member it names next is scanned as a
        container itself (and cached) instead of being skipped, so the path is parsed only once.
        """
        cached = self._containers.get(pos)
        if cached is not None:
            return cached
        s = self._scan_text
        ws = _WS.match
        descend = len(want) - k > 1
        target = want[k] if descend else None
        i = ws(s, pos + 1).end()  # type: ignore[union-attr]
        if s[pos] == "{":
            members: dict[str, tuple[int, int]] = {}
            member = _MEMBER.match
            if s[i] != "}":
                while True:
                    # one C-level match per member: its key, and its value when that is a scalar
                    m = member(s, i)
                    if m is None:
                        raise _ScanError()
                    key = m.group(1)
                    if "\\" in key:
                        key = _scanstring(s, m.start(1))[0]
                    if m.group(2) is not None:
                        start, stop = m.span(2)
                        i = m.end()
                    else:
                        start = m.end()
                        if key == target and s[start] in "{[":
                            stop = self._container(start, want, k + 1)[1]
                        else:
                            stop = self._skip(start)
                        i = ws(s, stop).end()  # type: ignore[union-attr]
                    members[key] = (start, stop)  # a repeated key: the last one wins, as in json.loads
                    if s[i] == ",":
                        i += 1  # the member pattern skips the blanks before the next key
                    elif s[i] == "}":
                        break
                    else:
                        raise _ScanError()
            result: tuple[Any, int] = (members, i + 1)
        else:
            items: list[tuple[int, int]] = []
            index = int(target) if target is not None and _DIGITS.match(target) else -1
            if s[i] != "]":
                while True:
                    if len(items) == index and s[i] in "{[":
                        stop = self._container(i, want, k + 1)[1]
                    else:
                        stop = self._skip(i)
                    items.append((i, stop))
                    i = ws(s, stop).end()  # type: ignore[union-attr]
                    if s[i] == ",":
                        i = ws(s, i + 1).end()  # type: ignore[union-attr]
                    elif s[i] == "]":
                        break
                    else:
                        raise _ScanError()
            result = (items, i + 1)
        self._containers[pos] = result
        return result

    def _skip(self, pos: int) -> int:
        """End offset of the value starting at ``pos``, parsed by the C scanner."""
        try:
            return _raw_decode(self._scan_text, pos)[1]
        except json.JSONDecodeError:
            raise _ScanError() from None

    # ------------------------------------------------------------------ YAML

    def _locate_yaml(self, doc: int, tokens: list[str]) -> tuple[int, int, int] | None:
        if self._yaml_docs is None:
            try:
                self._yaml_docs = _yaml_tree(self.text)
            except Exception:
                self._yaml_docs = []
        docs = self._yaml_docs
        if not 0 <= doc < len(docs) or docs[doc] is None:
            return None
        node = docs[doc]
        depth = 0
        for token in tokens:
            kind, _, _, children = node
            child = None
            if kind == "m":
                child = children.get(token)
            elif kind == "s" and _DIGITS.match(token) and int(token) < len(children):
                child = children[int(token)]
            if child is None:
                break  # absent, or below a scalar or an alias: stop at the node as written
            node = child
            depth += 1
        return node[1], node[2], depth


_NO_KEY: Any = object()


def _yaml_tree(text: str) -> list[Any]:
    """Per document, a tree of [kind, start, end, children] with kind m(apping), s(equence),
    v(scalar) or a(lias); offsets are character indexes into ``text`` (libyaml counts characters).
    """
    import yaml

    docs: list[Any] = []
    stack: list[list[Any]] = []  # [node, pending key, flow]
    anchor_text: dict[str, str] = {}
    root: Any = None

    def attach(node: list[Any], key_text: str | None) -> None:
        nonlocal root
        if not stack:
            root = node
            return
        frame = stack[-1]
        parent = frame[0]
        if parent[0] == "s":
            parent[3].append(node)
        elif frame[1] is _NO_KEY:
            frame[1] = key_text  # None for a collection key: nothing can point at it
        else:
            if frame[1] is not None:
                parent[3][frame[1]] = node  # a repeated key: the last one wins
            frame[1] = _NO_KEY

    scalar, alias = yaml.ScalarEvent, yaml.AliasEvent
    starts = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
    ends = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
    ev: Any
    for ev in yaml_events(text):
        cls = type(ev)  # exact classes: cheaper than isinstance, and mypy keeps ev as Any
        if cls is scalar:
            start, end = ev.start_mark.index, ev.end_mark.index
            if ev.style in ("|", ">"):
                end = start + len(text[start:end].rstrip())  # block scalars end on a later line
            if ev.anchor is not None:
                anchor_text[ev.anchor] = ev.value
            attach(["v", start, end, None], ev.value)
        elif cls is alias:
            attach(["a", ev.start_mark.index, ev.end_mark.index, None], anchor_text.get(ev.anchor))
        elif cls in starts:
            is_map = cls is yaml.MappingStartEvent
            node: list[Any] = ["m" if is_map else "s", ev.start_mark.index, None, {} if is_map else []]
            stack.append([node, _NO_KEY, bool(ev.flow_style)])
        elif cls in ends:
            node, _, flow = stack.pop()
            children = node[3]
            last = (children[-1] if children else None) if node[0] == "s" else None
            if node[0] == "m" and children:
                last = max(children.values(), key=lambda n: n[2])
            if flow or last is None:
                node[2] = ev.end_mark.index
            else:
                # A block collection's end mark sits at the next token, possibly lines later:
                # end at its last value instead (comments and blank lines after it excluded).
                node[2] = max(last[2], node[1])
            attach(node, None)
        elif cls is yaml.DocumentStartEvent:
            root = None
            anchor_text = {}
        elif cls is yaml.DocumentEndEvent:
            docs.append(root)
    return docs
