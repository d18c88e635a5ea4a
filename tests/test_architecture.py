"""The shape of the package, checked: no import cycles, own modules imported at the top, one module that starts
processes, reserved rule ids and severities written once (linter/constants.py), and the stages named the same in
the code, the README and the pipeline."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "linter"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _tree(name: str) -> ast.Module:
    return ast.parse(MODULES[name].read_text(encoding="utf-8"))


def _type_checking_only(tree: ast.Module) -> set[int]:
    """ids of the imports under ``if TYPE_CHECKING:`` (never executed)."""
    out: set[int] = set()
    for node in tree.body:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            out.update(id(n) for n in ast.walk(node))
    return out


def _imported(name: str, node: ast.Import | ast.ImportFrom) -> list[str]:
    """The package's own modules an import statement in module ``name`` loads."""
    if isinstance(node, ast.Import):
        return [a.name for a in node.names if a.name in MODULES]
    base = node.module or ""
    if node.level:
        package = name if MODULES[name].name == "__init__.py" else name.rpartition(".")[0]
        for _ in range(node.level - 1):
            package = package.rpartition(".")[0]
        base = f"{package}.{base}" if base else package
    out = []
    for alias in node.names:
        if f"{base}.{alias.name}" in MODULES:  # from linter.bicep import syntax: the submodule
            out.append(f"{base}.{alias.name}")
        elif base in MODULES:
            out.append(base)
    return out


def _imports(name: str) -> list[tuple[ast.Import | ast.ImportFrom, list[str], bool]]:
    """(statement, own modules, at the top of the file) for every executed import of ``name``."""
    tree = _tree(name)
    skip = _type_checking_only(tree)
    top = {id(n) for n in tree.body}
    return [(node, _imported(name, node), id(node) in top) for node in ast.walk(tree)
            if isinstance(node, (ast.Import, ast.ImportFrom)) and id(node) not in skip]


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, edges = work[-1]
            for nxt in edges:
                if nxt not in index:
                    index[nxt] = low[nxt] = len(index)
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, iter(sorted(graph[nxt]))))
                    break
                if nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))
    return found


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycles_in_the_package() -> None:
    """Every executed import counts, at the top of a file or inside a function (``from linter.bicep import syntax``
    imports the submodule)."""
    graph: dict[str, set[str]] = {name: set() for name in MODULES}
    for name in MODULES:
        for _node, targets, _top in _imports(name):
            graph[name].update(t for t in targets if t != name)
    assert _cycles(graph) == []


# Imports of the package's own modules inside functions, each for a reason: loading the checks (they register
# themselves with the registry that imports them), the output formats by name, and the Bicep reader the first time
# a run reads a Bicep file (about 25 ms of start-up that a pre-commit run on one JSON file does not pay).
LAZY_OWN_IMPORTS = {
    ("linter.engine.registry", "linter.checks"),
    ("linter.report", "linter.report"),
    ("linter.bicep.pipeline", "linter.bicep.reader"),
}


def test_own_modules_are_imported_at_the_top() -> None:
    lazy = {(name, target) for name in MODULES for _node, targets, top in _imports(name) if not top for target in targets}
    assert lazy == LAZY_OWN_IMPORTS


PROCESS_MODULES = {"multiprocessing", "concurrent", "pickle", "subprocess"}


def _starts_processes(node: ast.AST) -> bool:
    if isinstance(node, ast.Import):
        return any(a.name.split(".")[0] in PROCESS_MODULES for a in node.names)
    if isinstance(node, ast.ImportFrom):
        return (node.module or "").split(".")[0] in PROCESS_MODULES
    return isinstance(node, ast.Attribute) and node.attr in ("fork", "forkpty", "spawnv", "posix_spawn") \
        and isinstance(node.value, ast.Name) and node.value.id == "os"


def test_only_the_scheduler_starts_processes() -> None:
    """linter/parallel.py is the one module that forks, pools or pickles for another process."""
    users = set()
    for name in MODULES:
        for node in ast.walk(_tree(name)):
            if _starts_processes(node):
                users.add(name)
    assert users == {"linter.parallel"}


# Modules whose words "error", "warning" and "info" are another vocabulary than our severities: the levels and
# issue types of SARIF, GitHub, Azure Pipelines, GitLab and JUnit (mapped from our severities by name), a token
# kind of the Bicep lexer, and the .git/info directory.
OTHER_VOCABULARY = {
    "linter.report.fmt_azure_devops", "linter.report.fmt_github", "linter.report.fmt_gitlab",
    "linter.report.fmt_junit", "linter.report.fmt_sarif", "linter.bicep.lexer", "linter.discover",
}


def _string_constants(name: str) -> list[tuple[int, str]]:
    return [(n.lineno, n.value) for n in ast.walk(_tree(name)) if isinstance(n, ast.Constant) and isinstance(n.value, str)]


def test_reserved_rule_ids_are_written_only_in_the_constants_module() -> None:
    from linter.constants import RESERVED

    found = [(name, line, value) for name in MODULES if name != "linter.constants"
             for line, value in _string_constants(name) if value in RESERVED or re.fullmatch(r"ACR00\d", value)]
    assert found == []


def test_severities_are_written_only_in_the_constants_module() -> None:
    from linter.constants import SEVERITIES

    found = [(name, line, value) for name in MODULES if name != "linter.constants" and name not in OTHER_VOCABULARY
             for line, value in _string_constants(name) if value in SEVERITIES]
    assert found == []


def test_the_literal_checks_see_literals() -> None:
    assert {"ACR000", "ACR008", "error", "info"} <= {value for _line, value in _string_constants("linter.constants")}


STAGES = ["discover", "decode", "recognise", "expand", "relate", "check", "filter", "locate", "report"]


def test_the_pipeline_runs_the_stages_in_order() -> None:
    """linter/pipeline.py calls one module per stage, in the documented order (the per-file stages, which the
    scheduler runs, where _run hands them over); each stage module exists."""
    tree = _tree("linter.pipeline")
    functions = {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef)}

    def calls(function: ast.FunctionDef) -> list[str]:
        out = []
        for node in ast.walk(function):
            if isinstance(node, ast.Name) and node.id in functions and node.id != function.name:
                out.append((node.lineno, node.col_offset, calls(functions[node.id])))
            elif isinstance(node, ast.Call):
                f = node.func
                if isinstance(f, ast.Attribute) and f.attr == "run" and isinstance(f.value, ast.Name):
                    out.append((node.end_lineno, node.end_col_offset, [f.value.id]))  # arguments run first
                elif isinstance(f, ast.Name) and f.id == "discover_targets":
                    out.append((node.end_lineno, node.end_col_offset, ["discover"]))
        return [stage for _line, _col, stages in sorted(out) for stage in stages]

    assert calls(functions["_run"]) == STAGES
    for stage in STAGES[1:]:
        assert (PACKAGE / "stages" / f"{stage}.py").is_file()


@pytest.mark.parametrize("document", ["README.md", "linter/stages/__init__.py", "linter/pipeline.py"])
def test_the_stage_names_are_the_same_everywhere(document: str) -> None:
    text = (ROOT / document).read_text(encoding="utf-8")
    assert " -> ".join(STAGES) in text


def _diagram_stages(text: str) -> list[str]:
    """The stage names of an architecture diagram drawn as ``─name─▶`` arrows, in order."""
    return re.findall(r"─([a-z]+)─+▶", text)


def test_the_diagram_reader_reads_a_diagram() -> None:
    assert _diagram_stages("paths ─discover─▶ files\n      ─expand──▶ Resources ─report─▶ out") == ["discover", "expand", "report"]


def test_the_shared_architecture_document_names_the_same_stages() -> None:
    """../shared/docs/architecture.md (read-only here) draws the same stages under the same names. It lets locate
    and filter run in either order; acrlint filters first, so positions are computed only for what is reported."""
    shared = ROOT.parent / "shared" / "docs" / "architecture.md"
    if not shared.is_file():
        pytest.skip("../shared/docs/architecture.md is not beside this checkout")
    text = shared.read_text(encoding="utf-8")
    drawn = _diagram_stages(text)
    assert "Locate and filter may run in either order" in text
    ours = list(STAGES)
    i, j = ours.index("filter"), ours.index("locate")
    ours[i], ours[j] = ours[j], ours[i]
    assert drawn == ours
