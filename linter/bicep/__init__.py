"""The Bicep reader: a ``.bicep`` file becomes the ARM template the Bicep compiler would emit, with a source map
from every JSON pointer of that template to its Bicep span; a ``.bicepparam`` file becomes a parameters
document. Pure Python, no compiler.

    read(path, text) -> BicepDocument

Local modules are read and inlined as nested deployments (as the compiler does); registry modules and
registry imports are not (acrlint works offline): an info finding says so and what they give is Unknown.
``load*Content()`` reads files inside the linted tree only (the working directory, or the directory of the
file when it lies outside).

Layout: ``lexer`` (text -> tokens), ``parser`` (tokens -> syntax tree, ``syntax``), ``emit`` (tree -> template and
source map), ``params`` (.bicepparam -> parameters), ``pipeline`` (the hooks the expand and locate stages call).
"""
from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from typing import Any

from linter.bicep.emit import Problem, Translation, translate
from linter.bicep.parser import parse

__all__ = ["BicepDocument", "Problem", "is_bicep_path", "read", "source_map_of"]

SUFFIXES = (".bicep", ".bicepparam")
_CACHE_LIMIT = 4096
MAX_MODULE_DEPTH = 32


def is_bicep_path(path: str) -> bool:
    return path.lower().endswith(SUFFIXES)


@dataclass
class BicepDocument:
    path: str
    text: str
    template: dict[str, Any]  # the ARM template (or, for .bicepparam, the parameters document)
    source_map: dict[str, tuple[int, int]]
    problems: list[Problem] = field(default_factory=list)
    modules: dict[str, str] = field(default_factory=dict)  # inlined template pointer -> module file
    using: str | None = None  # .bicepparam: the template it is for
    is_params: bool = False

    def module_problems(self) -> list[tuple[BicepDocument, Problem]]:
        """The problems of the local modules read through this file (and theirs), each with its module's document."""
        out: list[tuple[BicepDocument, Problem]] = []
        for path in dict.fromkeys(self.modules.values()):
            cached = _cache.get(path)
            if cached is not None:
                out += [(cached[1], problem) for problem in cached[1].problems]
        return out


# path -> (text, BicepDocument, linted tree): a module read for one file is not read again for the next, and the
# locate stage finds the source map of every file read in this process. A document is reused only for the same text
# and the same linted tree (what a module may import depends on it), so no run sees what an earlier one read.
_cache: dict[str, tuple[str, BicepDocument, Any]] = {}


def _root_for(path: str) -> str:
    """The linted tree: the working directory, or the file's directory when the file lies outside it."""
    cwd = os.path.realpath(os.getcwd())
    real = os.path.realpath(path)
    if real == cwd or real.startswith(cwd.rstrip(os.sep) + os.sep):
        return cwd
    return os.path.dirname(real)


def _inside(root: str, path: str) -> bool:
    real = os.path.realpath(path)
    return real == root or real.startswith(root.rstrip(os.sep) + os.sep)


def _read_bytes(path: str, limit: int) -> tuple[bytes | None, str | None]:
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None, "no such file"
    except OSError as exc:
        return None, exc.strerror or str(exc)
    if not stat.S_ISREG(st.st_mode):
        return None, "not a regular file"
    if st.st_size > limit:
        return None, f"larger than {limit // (1 << 20)} MB"
    try:
        with open(path, "rb") as fh:
            return fh.read(limit + 1), None
    except OSError as exc:
        return None, exc.strerror or str(exc)


def _decode(data: bytes) -> str:
    from linter.decode import bytes_to_text

    return bytes_to_text(data).removeprefix("\ufeff")


class _Reader:
    """Reads one top-level file and, through it, its modules and imports (each once per process)."""

    def __init__(self, root: str, roots: list[str] | None = None):
        self.root = root
        self.roots = roots  # the linted tree of the run (linter.discover.tree_roots), when the pipeline gives it
        self.stack: list[str] = []

    def inside(self, path: str) -> bool:
        if self.roots is not None:
            from linter.discover import inside_tree

            return inside_tree(path, self.roots)
        return _inside(self.root, path)

    def resolve(self, including: str, rel: str) -> str:
        base = os.path.dirname(including)
        return os.path.normpath(os.path.join(base, rel)).replace(os.sep, "/")

    def load_module(self, including: str, rel: str) -> tuple[Translation | None, str | None]:
        path = self.resolve(including, rel)
        if not path.lower().endswith(".bicep"):
            if path.lower().endswith((".json", ".jsonc")):
                return None, "a JSON module is not inlined by acrlint; lint it on its own"
            return None, "not a .bicep file"
        if not self.inside(path):
            return None, "outside the linted directory tree"
        if path in self.stack:
            return None, "the module includes itself"
        if len(self.stack) >= MAX_MODULE_DEPTH:
            return None, f"modules nested deeper than {MAX_MODULE_DEPTH} levels"
        data, why = _read_bytes(path, 8 << 20)
        if data is None:
            return None, why
        try:
            text = _decode(data)
        except Exception as exc:
            return None, str(exc)
        self.stack.append(path)
        try:
            doc = self.read(path, text)
        finally:
            self.stack.pop()
        return getattr(doc, "_translation", None), None

    def read_file(self, including: str, rel: str) -> tuple[bytes | None, str | None]:
        path = self.resolve(including, rel)
        if not self.inside(path):
            return None, "outside the linted directory tree"
        from linter.bicep.emit import _MAX_FILE_BYTES

        return _read_bytes(path, _MAX_FILE_BYTES)

    def read(self, path: str, text: str) -> BicepDocument:
        tree = (self.root, tuple(self.roots) if self.roots is not None else None)
        cached = _cache.get(path)
        if cached is not None and cached[0] == text and cached[2] == tree:
            return cached[1]
        if path.lower().endswith(".bicepparam"):
            from linter.bicep.params import read_params

            doc = read_params(path, text, self)
        else:
            program = parse(text)
            translation = translate(program, path, self.load_module, self.read_file, self.load_module)
            doc = BicepDocument(path, text, translation.template, translation.source_map, translation.problems,
                                translation.modules)
            doc._translation = translation  # type: ignore[attr-defined]
        if len(_cache) >= _CACHE_LIMIT:
            _cache.clear()
        _cache[path] = (text, doc, tree)
        return doc


def read(path: str, text: str, roots: list[str] | None = None) -> BicepDocument:
    """Read a .bicep or .bicepparam file (``path`` as shown to the user; modules resolve relative to it).
    ``roots``: the linted tree of the run; modules and load*Content() files outside it are not read."""
    text = text.removeprefix("\ufeff")
    root = _root_for(path) if path not in ("-", "<stdin>") else os.path.realpath(os.getcwd())
    return _Reader(root, roots).read(path, text)


def source_map_of(path: str, text: str) -> dict[str, tuple[int, int]]:
    """The source map of a file read before in this process (it depends on the text alone), or of the file read now."""
    cached = _cache.get(path)
    if cached is not None and cached[0] == text.removeprefix("\ufeff"):
        return cached[1].source_map
    return read(path, text).source_map
