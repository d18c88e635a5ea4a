"""The expand stage: each recognised document becomes resources. Templates are evaluated by linter.arm.expand
(with their parameters file, --parameters and --parameter values; Bicep files arrive here as the template the
compiler would emit); az CLI output, ARM-shaped YAML and ASO manifests are mapped by linter.shapes, Resource
Graph and PowerShell exports by linter.exports."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from linter import kinds, shapes
from linter.arm.expand import NotFollowed, expand_template
from linter.arm.functions_base import Budget, BudgetExceeded
from linter.bicep.pipeline import attribute_modules
from linter.constants import INTERNAL_ERROR, NOT_FOLLOWED, TEMPLATE_ERROR
from linter.context import RunContext
from linter.discover import inside_tree
from linter.engine.rules import severity_of
from linter.exports import resources_of
from linter.model import Finding
from linter.stages.decode import FileState, decode_path, find_parameters_file, finding, input_finding, read_parameters_file


def run(ctx: RunContext, state: FileState) -> FileState:
    """Resources of every document of ``state`` that is ours; a bug on one odd input fails this file alone."""
    if state.failed or state.skipped_why is not None:
        return state
    try:
        budget = Budget()  # what the expressions may produce, counted per file (all its documents together)
        for doc_index, (doc, kind) in enumerate(zip(state.documents, state.kinds)):
            if kind is not None:
                _expand_document(ctx, state, doc_index, doc, kind, budget)
    except Exception as exc:  # noqa: BLE001 - a bug on one odd input must not end the run: report it, lint the rest
        state.resources, state.failed = [], True
        state.findings.append(finding(INTERNAL_ERROR, f"internal error while reading this file: {type(exc).__name__}: {exc}", state.path))
        return state
    for res in state.resources:  # the deployment each resource came from (see Inventory.may_concern)
        res.extra.setdefault("tree", (state.path, res.doc))
    return state


def _expand_document(ctx: RunContext, state: FileState, doc_index: int, doc: Any, kind: str, budget: Budget) -> None:
    if kind == kinds.TEMPLATE:
        _expand_template(ctx, state, doc_index, doc, budget)
    elif kind == kinds.RESOURCES:
        state.resources.extend(shapes.resources_from_objects(doc, file=state.path, doc_index=doc_index, ctx=ctx.options.ctx,
                                                             source_kind="az" if state.fmt == "json" else "arm-yaml"))
    elif kind in kinds.EXPORTS:
        state.resources.extend(resources_of(kind, doc, file=state.path, doc_index=doc_index))
    elif kind == kinds.ASO:
        res = shapes.resource_from_aso(doc, file=state.path, doc_index=doc_index, ctx=ctx.options.ctx)
        if res is not None:
            state.resources.append(res)


def _expand_template(ctx: RunContext, state: FileState, doc_index: int, doc: Any, budget: Budget) -> None:
    options = ctx.options
    values: dict[str, Any] = {}
    pointers: dict[str, str] = {}
    if ctx.parameters is not None:
        values = dict(ctx.parameters[0])
    elif state.path not in ("-", "<stdin>"):
        found = find_parameters_file(state.path)
        if found is not None and not inside_tree(str(found), ctx.tree_roots):
            state.findings.append(finding(NOT_FOLLOWED, f"parameters file {found.as_posix()} is outside the linted tree: not read",
                                          state.path, doc=doc_index))
        elif found is not None:
            state.read_also.append(found.as_posix())
            try:
                values, _ = read_parameters_file(found, options)
            except Exception as exc:
                state.findings.append(input_finding(found.as_posix(), exc, "parameters file"))
                state.failed = True
    values.update(options.parameters)
    try:
        result = expand_template(
            doc,
            file=state.path,
            doc=doc_index,
            ctx=options.ctx,
            parameter_values=values,
            parameter_pointers=pointers,
            source_kind="arm" if state.fmt == "json" else "arm-yaml",
            base_dir=Path(state.path).parent if state.path not in ("-", "<stdin>") else None,
            decode_file=_linked_loader(ctx, state),
            scheduler=ctx.scheduler,
            budget=budget,
        )
    except BudgetExceeded as exc:
        # one finding for the file, whose expansion stops; the other files are linted as usual
        state.findings.append(finding(TEMPLATE_ERROR, f"template expansion stopped: {exc}; its resources are not checked",
                                      state.path, doc=doc_index))
        return
    issue_files = [state.path] * len(result.issues)
    if state.fmt == "bicep":  # resources of local modules belong to the module files
        issue_files = attribute_modules(result.resources, result.issues, state.path, state.text or "", ctx.tree_roots, ctx.bicep)
    state.resources.extend(r for r in result.resources if r.file == state.path)
    state.resources.extend(r for r in result.resources if r.file != state.path)
    state.counts["resources"] = state.counts.get("resources", 0) + len(result.resources)
    state.counts["deployments"] = state.counts.get("deployments", 0) + result.deployments
    for issue, issue_file in zip(result.issues, issue_files):
        # an issue inside a linked template is reported in that file (its only document); the Bicep
        # reader attributes those of local modules to the module files
        file = issue_file if issue_file != state.path else (issue.file or state.path)
        state.findings.append(Finding(issue.rule_id, issue.severity or severity_of(issue.rule_id), issue.message, file,
                                      pointer=issue.pointer, doc=doc_index if file == state.path else 0))


def _linked_loader(ctx: RunContext, state: FileState) -> Any:
    """decode_file for expand_template: a linked template (relativePath) is read only inside the linted tree;
    one that cannot be parsed gets ACR000 in its own file, at its line."""

    def load(path: Path) -> Any:
        shown = path.as_posix()
        if not inside_tree(str(path), ctx.tree_roots):
            raise NotFollowed(f"{shown} is outside the linted tree")
        state.read_also.append(shown)
        try:
            return decode_path(path, ctx.options)
        except Exception as exc:
            state.findings.append(input_finding(shown, exc, "linked template"))
            state.failed = True
            raise NotFollowed(f"{shown} cannot be read") from None

    return load
