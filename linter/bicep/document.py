"""What the Bicep reader makes of one file (BicepDocument), and the files one run has read (Documents)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from linter.bicep.emit import Problem

_CACHE_LIMIT = 4096


@dataclass
class BicepDocument:
    path: str
    text: str
    template: dict[str, Any]  # the ARM template (or, for .bicepparam, the parameters document)
    source_map: dict[str, tuple[int, int]]
    problems: list[Problem] = field(default_factory=list)
    modules: dict[str, str] = field(default_factory=dict)  # inlined template pointer -> module file
    using: str | None = None  # .bicepparam: the template it is for

    def module_problems(self, documents: Documents) -> list[tuple[BicepDocument, Problem]]:
        """The problems of the local modules read through this file (and theirs), each with its module's document."""
        out: list[tuple[BicepDocument, Problem]] = []
        for path in dict.fromkeys(self.modules.values()):
            module = documents.get(path)
            if module is not None:
                out += [(module, problem) for problem in module.problems]
        return out


class Documents:
    """The Bicep files read in one run: path -> (text, BicepDocument, linted tree). A module read for one file is
    not read again for the next, and the locate stage finds the source map of every file read. A document is
    reused only for the same text and the same linted tree (what a module may import depends on it). The run
    context owns one (linter.context.RunContext.bicep); nothing is kept between runs."""

    def __init__(self) -> None:
        self._docs: dict[str, tuple[str, BicepDocument, Any]] = {}

    def get(self, path: str, text: str | None = None, tree: Any = None) -> BicepDocument | None:
        """The document read for ``path`` (when given, only for that text and linted tree)."""
        hit = self._docs.get(path)
        if hit is None or (text is not None and hit[0] != text) or (tree is not None and hit[2] != tree):
            return None
        return hit[1]

    def put(self, path: str, text: str, doc: BicepDocument, tree: Any) -> None:
        if len(self._docs) >= _CACHE_LIMIT:
            self._docs.clear()
        self._docs[path] = (text, doc, tree)
