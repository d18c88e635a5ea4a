"""Read a .bicep or .bicepparam file, and through it its local modules and imports:

    read(path, text, roots, documents) -> BicepDocument

Local modules are read and inlined as nested deployments (as the compiler does); registry modules and
registry imports are not (acrlint works offline): an info finding says so and what they give is Unknown.
``load*Content()`` reads files inside the linted tree only (the working directory, or the directory of the
file when it lies outside).
"""
from __future__ import annotations

import os
import stat

from linter.bicep.document import BicepDocument, Documents
from linter.bicep.emit import _MAX_FILE_BYTES, UNKNOWN_PARAM, Problem, Translation, translate
from linter.bicep.params import read_params
from linter.bicep.parser import parse
from linter.decode import bytes_to_text
from linter.discover import inside_tree

__all__ = ["UNKNOWN_PARAM", "BicepDocument", "Documents", "Problem", "is_bicep_path", "read", "source_map_of"]

SUFFIXES = (".bicep", ".bicepparam")
MAX_MODULE_DEPTH = 32


def is_bicep_path(path: str) -> bool:
    return path.lower().endswith(SUFFIXES)


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
    return bytes_to_text(data).removeprefix("\ufeff")


class _Reader:
    """Reads one top-level file and, through it, its modules and imports (each once per process)."""

    def __init__(self, root: str, roots: list[str] | None = None, documents: Documents | None = None):
        self.documents = documents if documents is not None else Documents()
        self.root = root
        self.roots = roots  # the linted tree of the run (linter.discover.tree_roots), when the pipeline gives it
        self.stack: list[str] = []

    def inside(self, path: str) -> bool:
        if self.roots is not None:
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
        return _read_bytes(path, _MAX_FILE_BYTES)

    def read(self, path: str, text: str) -> BicepDocument:
        tree = (self.root, tuple(self.roots) if self.roots is not None else None)
        cached = self.documents.get(path, text, tree)
        if cached is not None:
            return cached
        if path.lower().endswith(".bicepparam"):
            doc = read_params(path, text, self)
        else:
            program = parse(text)
            translation = translate(program, path, self.load_module, self.read_file, self.load_module)
            doc = BicepDocument(path, text, translation.template, translation.source_map, translation.problems,
                                translation.modules)
            doc._translation = translation  # type: ignore[attr-defined]
        self.documents.put(path, text, doc, tree)
        return doc


def read(path: str, text: str, roots: list[str] | None = None, documents: Documents | None = None) -> BicepDocument:
    """Read a .bicep or .bicepparam file (``path`` as shown to the user; modules resolve relative to it).
    ``roots``: the linted tree of the run; modules and load*Content() files outside it are not read.
    ``documents``: the files read before in this run (reused, and this one and its modules added)."""
    text = text.removeprefix("\ufeff")
    root = _root_for(path) if path not in ("-", "<stdin>") else os.path.realpath(os.getcwd())
    return _Reader(root, roots, documents).read(path, text)


def source_map_of(path: str, text: str, documents: Documents | None = None) -> dict[str, tuple[int, int]]:
    """The source map of a file read before in this run (it depends on the text alone), or of the file read now."""
    text = text.removeprefix("\ufeff")
    cached = documents.get(path, text) if documents is not None else None
    if cached is not None:
        return cached.source_map
    return read(path, text, documents=documents).source_map
