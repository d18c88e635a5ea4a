"""The pipeline: discover -> decode -> recognise -> expand -> relate -> check -> locate -> filter -> result."""
from __future__ import annotations

import io
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from linter.arm.context import DeploymentContext
from linter.constants import SEVERITY_RANK
from linter.decode import MAX_FILE_SIZE
from linter.discover import Target, discover, inside_tree, tree_roots
from linter.model import Finding, Resource, RuleMeta, Span
from linter.paths import rooted, run_root

ACR_READ_ERROR = "ACR000"
ACR_DUPLICATE_KEY = "ACR001"

_PARAM_NAMES = ("{stem}.parameters.json", "azuredeploy.parameters.json", "main.parameters.json", "parameters.json")


@dataclass
class Options:
    parameters_file: str | None = None
    parameters: dict[str, Any] = field(default_factory=dict)  # --parameter NAME=VALUE (and config parameters)
    ctx: DeploymentContext = field(default_factory=DeploymentContext)
    select: list[str] | None = None
    ignore: list[str] | None = None
    fail_on: str = "warning"
    preset: str = "recommended"
    rule_settings: dict[str, dict[str, Any]] = field(default_factory=dict)  # id -> {enabled, severity, options}
    exclude: list[Any] = field(default_factory=list)  # globs (linter.paths.Glob), or patterns relative to the working directory
    respect_gitignore: bool = False  # directory walks leave out what git ignores (the CLI turns it on)
    suppressions: list[Any] = field(default_factory=list)  # linter.config.Suppression entries
    today: Any = None  # datetime.date for expiring suppressions (None: today)
    stdin_filename: str | None = None
    stdin_data: bytes | None = None
    follow_symlinks: bool = False
    jobs: int = 1
    progress: bool = False  # a progress bar on stderr (the CLI sets it when stderr is a terminal)
    show_source: bool = False  # keep the text of the files with findings in the result (--show-source)
    verbose: bool = False
    max_file_size: int = MAX_FILE_SIZE  # bytes: a bigger file is refused before it is read (ACR000)
    tree_roots: list[str] | None = None  # files outside these are never read (None: from the paths linted)
    root: str | None = None  # what fingerprints, baselines and SARIF paths are relative to (None: linter.paths.run_root)
    outputs: list[str | None] = field(default_factory=list)  # files this run writes to (None: standard output): not linted


@dataclass
class FileState:
    path: str
    text: str | None = None
    fmt: str | None = None
    documents: list[Any] = field(default_factory=list)
    kinds: list[str | None] = field(default_factory=list)
    resources: list[Resource] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)  # file-level: read errors, duplicate keys, template issues
    failed: bool = False
    skipped_why: str | None = None
    counts: dict[str, int] = field(default_factory=dict)
    read_also: list[str] = field(default_factory=list)  # parameters files and linked templates read for it


def enabled_runs(rules: dict[str, RuleMeta], options: Options) -> list[Any]:
    from linter.engine.run import RuleRun

    runs = []
    for meta in rules.values():
        if meta.implementation == "builtin":
            continue
        if not rule_enabled(meta, options):
            continue
        setting = options.rule_settings.get(meta.id, {})
        opts = {k: v.get("default") for k, v in meta.options.items()}
        opts.update(setting.get("options", {}))
        runs.append(RuleRun(meta, setting.get("severity") or meta.severity, opts))
    return runs


def rule_enabled(meta: RuleMeta, options: Options) -> bool:
    from linter.engine.rules import rule_is_on

    enabled = options.rule_settings.get(meta.id, {}).get("enabled")
    return rule_is_on(meta, preset=options.preset, enabled=enabled, select=options.select, ignore=options.ignore)


def _read(target: Target, options: Options) -> tuple[bytes | None, str | None]:
    """Every input file is read here or in _read_path: regular files only, within --max-file-size."""
    from linter.decode import DecodeError, read_stream

    if target.problem:
        return None, target.problem
    try:
        if target.path == "-":
            if options.stdin_data is not None:
                return read_stream(io.BytesIO(options.stdin_data), options.max_file_size), None
            return read_stream(sys.stdin.buffer, options.max_file_size), None
        return _read_path(target.path, options), None
    except DecodeError as exc:
        return None, exc.message
    except OSError as exc:
        return None, _os_problem(exc)


def _read_path(path: str, options: Options) -> bytes:
    from linter.decode import read_bytes

    return read_bytes(path, options.max_file_size)


def _os_problem(exc: OSError) -> str:
    if isinstance(exc, IsADirectoryError):
        return "is a directory"
    if isinstance(exc, PermissionError):
        return "permission denied"
    return exc.strerror or str(exc)


def _format_of(path: str, data: bytes, explicit: bool) -> str | None:
    from linter.decode import format_for_path

    fmt = format_for_path(path)
    if fmt is None and explicit:
        head = data.lstrip()[:1]
        fmt = "json" if head in (b"{", b"[") else "yaml"
    return fmt


def load_file(target: Target, options: Options) -> FileState:
    from linter.decode import DecodeError, decode_bytes

    display = options.stdin_filename if target.path == "-" and options.stdin_filename else target.path
    if target.path == "-" and not options.stdin_filename:
        display = "<stdin>"
    state = FileState(display)
    if target.skipped is not None:
        state.skipped_why = target.skipped
        if target.outside:
            state.findings.append(Finding("ACR005", _severity_of("ACR005"), "symbolic link leads outside the linted tree: not followed", display))
        return state
    data, problem = _read(target, options)
    if data is None:
        state.failed = True
        state.findings.append(Finding(ACR_READ_ERROR, "error", f"cannot read file: {problem}", display))
        return state
    fmt = _format_of(display, data, target.explicit)
    if fmt is None:
        state.skipped_why = "not a JSON, YAML or Bicep file"
        return state
    try:
        decoded = decode_bytes(data, fmt)
    except DecodeError as exc:
        if exc.message == "file is empty":  # blanks only, or the file a shell just created for this run's output
            state.skipped_why = "empty file"
            return state
        if _foreign_syntax_error(exc, data):
            # pre-commit passes every *.json: a tsconfig.json with trailing commas, a CloudFormation or GitLab CI file
            # with its own YAML tags, a binary file, are not ours to judge
            state.skipped_why = f"not valid {'JSON' if fmt == 'json' else 'YAML'} ({exc.message}) and nothing in it looks like an Azure definition"
            return state
        state.failed = True
        state.findings.append(_decode_finding(exc, fmt, display))
        return state
    if fmt == "bicep":  # the Bicep reader turns the text into the template the compiler would emit
        from linter.bicep.pipeline import read_bicep

        state.text, state.fmt = decoded.text, fmt
        document, findings = read_bicep(display, decoded.text, options.tree_roots)
        state.documents, state.findings = ([document] if document is not None else []), findings
        return state
    state.text, state.fmt, state.documents = decoded.text, decoded.fmt, decoded.documents
    for doc_index, pointer in decoded.duplicates:
        key = pointer.rsplit("/", 1)[-1].replace("~1", "/").replace("~0", "~")
        state.findings.append(
            Finding(ACR_DUPLICATE_KEY, "warning", f"duplicate key '{key}': the last value is used", display, pointer=pointer, doc=doc_index)
        )
    return state


def _severity_of(rule_id: str) -> str:
    from linter.engine.rules import load_rules

    meta = load_rules().get(rule_id)
    return meta.severity if meta else "warning"


def _decode_finding(exc: Any, fmt: str, file: str, what: str = "") -> Finding:
    """ACR000 for a DecodeError in ``file``, at its line and column when known."""
    column = exc.column or 1
    span = Span(exc.line, column, exc.line, column + 1) if exc.line else None
    where = f" (line {exc.line}, column {exc.column})" if exc.line else ""
    kind = {"json": "JSON", "bicep": "Bicep"}.get(fmt, "YAML")
    return Finding(ACR_READ_ERROR, "error", f"cannot parse {what + ' ' if what else ''}{kind}: {exc.message}{where}", file, span=span)


def _input_finding(path: str, exc: Exception, what: str) -> Finding:
    """ACR000 for a file read on the side (a parameters file, a linked template) that cannot be read."""
    from linter.decode import DecodeError, format_for_path

    if isinstance(exc, DecodeError):
        return _decode_finding(exc, format_for_path(path) or "json", path, what)
    problem = _os_problem(exc) if isinstance(exc, OSError) else f"{type(exc).__name__}: {exc}"
    return Finding(ACR_READ_ERROR, "error", f"cannot read {what}: {problem}", path)


_AZURE_MARKERS = re.compile(rb"Microsoft\.[A-Za-z]+/|schema\.management\.azure\.com|\.azure\.com/v|azurecr\.", re.IGNORECASE)


def _foreign_syntax_error(exc: Any, data: bytes) -> bool:
    """A file that cannot be decoded (a syntax error, an encoding that is not text, a YAML tag or alias bomb, deep
    nesting) with no sign of being an Azure definition (no resource type, no ARM $schema, no ASO apiVersion, no login
    server): skipped like any other file that is not ours. Only files that look like Azure definitions fail a run."""
    return _AZURE_MARKERS.search(data) is None and _AZURE_MARKERS.search(data.replace(b"\x00", b"")) is None


def _find_parameters_file(template_path: str) -> Path | None:
    """The parameters file beside a template, by the usual names (outside the linted tree or not)."""
    p = Path(template_path)
    stem = p.name
    for suffix in (".json", ".jsonc", ".bicep"):
        if stem.lower().endswith(suffix):
            stem = stem[: -len(suffix)]
    if p.name.lower().endswith(".bicep"):
        from linter.bicep.pipeline import find_bicepparam

        found = find_bicepparam(p)
        if found is not None:
            return found
    for pattern in _PARAM_NAMES:
        candidate = p.with_name(pattern.format(stem=stem))
        if candidate != p and candidate.is_file():
            return candidate
    return None


def _parameter_values(doc: Any) -> tuple[dict[str, Any], dict[str, str]]:
    from linter.model import Unknown, join_pointer

    values: dict[str, Any] = {}
    pointers: dict[str, str] = {}
    params = doc.get("parameters") if isinstance(doc, dict) else None
    if isinstance(params, dict):
        for name, spec in params.items():
            if isinstance(spec, dict) and "value" in spec:
                values[name] = spec["value"]
                pointers[name] = join_pointer("", "parameters", name, "value")
            elif isinstance(spec, dict) and "reference" in spec:
                values[name] = Unknown(f"Key Vault reference for parameter {name}")
    return values, pointers


def _read_parameters_file(path: Path, options: Options | None = None) -> tuple[dict[str, Any], dict[str, str]]:
    """The values (and their pointers) of an ARM parameters file or a .bicepparam file."""
    if path.suffix.lower() == ".bicepparam":
        from linter.bicep.pipeline import parameter_values

        values, pointers, _using = parameter_values(path.as_posix())
        return values, pointers
    return _parameter_values(_decode_path(path, options))


def _decode_path(path: Path, options: Options | None = None) -> Any:
    """The first document of a parameters file or linked template (read as every input is: _read_path)."""
    from linter.decode import decode_bytes, format_for_path

    data = _read_path(str(path), options or Options())
    decoded = decode_bytes(data, format_for_path(str(path)) or "json")
    return decoded.documents[0] if decoded.documents else None


def _roots(options: Options) -> list[str]:
    return options.tree_roots if options.tree_roots is not None else []


def _linked_loader(state: FileState, options: Options) -> Any:
    """decode_file for expand_template: a linked template (relativePath) is read only inside the linted tree;
    one that cannot be parsed gets ACR000 in its own file, at its line."""
    from linter.arm.expand import NotFollowed

    def load(path: Path) -> Any:
        shown = path.as_posix()
        if not inside_tree(str(path), _roots(options)):
            raise NotFollowed(f"{shown} is outside the linted tree")
        state.read_also.append(shown)
        try:
            return _decode_path(path, options)
        except Exception as exc:
            state.findings.append(_input_finding(shown, exc, "linked template"))
            state.failed = True
            raise NotFollowed(f"{shown} cannot be read") from None

    return load


def expand_file(state: FileState, options: Options, explicit_params: tuple[dict[str, Any], dict[str, str], str] | None, jobs: int = 1) -> None:
    """Recognise each document and turn it into resources (templates are expanded)."""
    from linter.arm.functions_base import Budget

    _expand_documents(state, options, explicit_params, jobs, Budget())  # counted per file, all its documents together


def _expand_documents(state: FileState, options: Options, explicit_params: tuple[dict[str, Any], dict[str, str], str] | None, jobs: int,
                      budget: Any) -> None:
    from linter import kinds
    from linter.arm.expand import expand_template
    from linter.arm.functions_base import BudgetExceeded

    ours = False
    whys: list[str] = []
    for doc_index, doc in enumerate(state.documents):
        rec = kinds.recognise(doc)
        state.kinds.append(rec.kind)
        whys.append(rec.why)
        if rec.kind is None:
            continue
        ours = True
        if rec.kind == kinds.TEMPLATE:
            values: dict[str, Any] = {}
            pointers: dict[str, str] = {}
            if explicit_params is not None:
                values, pointers = dict(explicit_params[0]), {}
            elif state.path not in ("-", "<stdin>"):
                found = _find_parameters_file(state.path)
                if found is not None and not inside_tree(str(found), _roots(options)):
                    state.findings.append(Finding("ACR005", _severity_of("ACR005"), f"parameters file {found.as_posix()} is outside the linted tree: not read",
                                                  state.path, doc=doc_index))
                elif found is not None:
                    state.read_also.append(found.as_posix())
                    try:
                        values, _ = _read_parameters_file(found, options)
                    except Exception as exc:
                        state.findings.append(_input_finding(found.as_posix(), exc, "parameters file"))
                        state.failed = True
            values.update(options.parameters)
            base_dir = Path(state.path).parent if state.path not in ("-", "<stdin>") else None
            try:
                result = expand_template(
                    doc,
                    file=state.path,
                    doc=doc_index,
                    ctx=options.ctx,
                    parameter_values=values,
                    parameter_pointers=pointers,
                    source_kind="arm" if state.fmt == "json" else "arm-yaml",
                    base_dir=base_dir,
                    decode_file=_linked_loader(state, options),
                    jobs=jobs,
                    budget=budget,
                )
            except BudgetExceeded as exc:
                # one finding for the file, whose expansion stops; the other files are linted as usual
                state.findings.append(Finding("ACR004", _severity_of("ACR004"), f"template expansion stopped: {exc}; its resources are not checked",
                                              state.path, doc=doc_index))
                continue
            issue_files = [state.path] * len(result.issues)
            if state.fmt == "bicep":  # resources of local modules belong to the module files
                from linter.bicep.pipeline import attribute_modules

                issue_files = attribute_modules(result.resources, result.issues, state.path, state.text or "", options.tree_roots)
            state.resources.extend(r for r in result.resources if r.file == state.path)
            state.resources.extend(r for r in result.resources if r.file != state.path)
            state.counts["resources"] = state.counts.get("resources", 0) + len(result.resources)
            state.counts["deployments"] = state.counts.get("deployments", 0) + result.deployments
            from linter.engine.rules import load_rules

            rules = load_rules()
            for issue, issue_file in zip(result.issues, issue_files):
                meta = rules.get(issue.rule_id)
                severity = issue.severity or (meta.severity if meta else "warning")
                # an issue inside a linked template is reported in that file (its only document); the Bicep
                # reader attributes those of local modules to the module files
                file = issue_file if issue_file != state.path else (issue.file or state.path)
                state.findings.append(Finding(issue.rule_id, severity, issue.message, file, pointer=issue.pointer,
                                              doc=doc_index if file == state.path else 0))
        elif rec.kind == kinds.RESOURCES:
            state.resources.extend(
                kinds.resources_from_objects(doc, file=state.path, doc_index=doc_index, ctx=options.ctx,
                                             source_kind="az" if state.fmt == "json" else "arm-yaml")
            )
        elif rec.kind in kinds.EXPORTS:
            from linter.exports import resources_of

            state.resources.extend(resources_of(rec.kind, doc, file=state.path, doc_index=doc_index))
        elif rec.kind == kinds.ASO:
            res = kinds.resource_from_aso(doc, file=state.path, doc_index=doc_index, ctx=options.ctx)
            if res is not None:
                state.resources.append(res)
    for res in state.resources:  # the deployment each resource came from (see Inventory.may_concern)
        res.extra.setdefault("tree", (state.path, res.doc))
    # a duplicate key in a document that is not an Azure definition (a package.json) is not ours to report
    state.findings = [f for f in state.findings if f.rule_id != ACR_DUPLICATE_KEY or (f.doc < len(state.kinds) and state.kinds[f.doc] is not None)]
    if not ours:
        state.skipped_why = whys[0] if len(set(whys)) == 1 else "; ".join(sorted(set(whys)))


def locate_findings(findings: list[Finding], texts: dict[str, tuple[str, str]]) -> list[Finding]:
    from linter.locate import Locator

    locators: dict[str, Any] = {}
    out: list[Finding] = []
    for f in findings:
        if f.span is not None or f.file not in texts:
            out.append(f)
            continue
        loc = locators.get(f.file)
        if loc is None:
            text, fmt = texts[f.file]
            if fmt == "bicep":
                from linter.bicep.pipeline import BicepLocator

                loc = locators[f.file] = BicepLocator(f.file, text)
            else:
                loc = locators[f.file] = Locator(text, fmt)
        try:
            span, _found = loc.span(f.doc, f.pointer)
        except Exception:
            span = Span(1, 1, 1, 1)
        out.append(f.evolve(span=span))
    return out


def _load_one(target: Target, options: Options, explicit_params: Any, jobs: int = 1) -> FileState:
    state = load_file(target, options)
    if not state.failed and state.documents:
        try:
            expand_file(state, options, explicit_params, jobs)
        except Exception as exc:  # noqa: BLE001 - a bug on one odd input must not end the run: report it, lint the rest
            state.resources, state.failed = [], True
            state.findings.append(Finding("ACR003", "error", f"internal error while reading this file: {type(exc).__name__}: {exc}", state.path))
    elif not state.failed and state.text is not None:
        state.skipped_why = "empty document"
    return state


# A worker pool costs about 60 ms to start: below these, it costs more than it saves (measured: the corpus, 30 files;
# 200 small templates of 1.5 KB, 0.3 MB in all, took 0.44 s with the pool and 0.39 s without).
_PARALLEL_MIN_FILES = 32
_PARALLEL_MIN_BYTES = 1 << 20


def _total_bytes(targets: list[Target], limit: int) -> int:
    """Bytes of the files to read, counted until ``limit`` is reached."""
    total = 0
    for t in targets:
        try:
            total += os.stat(t.path).st_size
        except (OSError, ValueError):
            continue
        if total >= limit:
            break
    return total


def _load_all(targets: list[Target], options: Options, explicit_params: Any, progress: Any = None) -> list[FileState]:
    """Decode and expand every file; in worker processes when --jobs > 1 and there are enough files.
    Results come back in input order, so the output is identical to --jobs 1."""
    if progress:
        progress.stage("reading files", len(targets))
    jobs = min(options.jobs, len(targets))
    ctx = None
    if (
        jobs > 1
        and len(targets) >= _PARALLEL_MIN_FILES
        and not any(t.path == "-" for t in targets)
        and _total_bytes(targets, _PARALLEL_MIN_BYTES) >= _PARALLEL_MIN_BYTES
    ):
        import multiprocessing

        try:
            ctx = multiprocessing.get_context("fork")
        except ValueError:  # platforms without fork: stay sequential rather than pay spawn start-up
            ctx = None
    states: list[FileState] = []
    if ctx is None:
        # files one after another: a big one may split its expansion over two processes (see linter.parallel)
        for t in targets:
            states.append(_load_one(t, options, explicit_params, options.jobs))
            if progress:
                progress.step()
    else:
        from concurrent.futures import ProcessPoolExecutor

        chunk = max(1, len(targets) // (jobs * 4))
        with ProcessPoolExecutor(max_workers=jobs, mp_context=ctx) as pool:
            for state in pool.map(_load_one, targets, [options] * len(targets), [explicit_params] * len(targets), chunksize=chunk):
                states.append(state)
                if progress:
                    progress.step()
    return states


def _add_linked_text(path: str, texts: dict[str, tuple[str, str]], options: Options) -> None:
    """A finding in a linked template (templateLink.relativePath) names a file that was not linted itself."""
    from linter.decode import DecodeError, decode_bytes, format_for_path

    try:
        decoded = decode_bytes(_read_path(path, options), format_for_path(path) or "json")
    except (OSError, DecodeError):
        return
    texts[path] = (decoded.text, decoded.fmt)


def lint(paths: list[str], options: Options | None = None, progress: Any = None) -> Any:
    """Lint ``paths`` as one inventory. Returns a linter.report.RunResult.

    ``progress``: a linter.progress.Progress the run reports its stages to (with ``options.progress`` and none
    given, one on standard error, cleared at the end).

    The cyclic garbage collector is paused for the run: the pipeline builds millions of small objects that
    all live until the end, and the collector's passes over them cost about 20 % of a big run (measured:
    50 MB export 20.8 s -> 16.9 s, same peak memory). Reference counting still frees everything else.
    """
    import gc

    was_enabled = gc.isenabled()
    gc.disable()
    own = progress is None and options is not None and options.progress
    if own:
        from linter.progress import Progress

        progress = Progress(sys.stderr)
    try:
        return _lint(paths, options, progress)
    finally:
        if own:
            progress.done()
        if was_enabled:
            gc.enable()


def _lint(paths: list[str], options: Options | None = None, progress: Any = None) -> Any:
    from dataclasses import replace

    from linter.engine.rules import load_rules
    from linter.inventory import Inventory
    from linter.report import RunResult

    options = options or Options()
    if options.tree_roots is None:
        options = replace(options, tree_roots=tree_roots(paths))
    rules = load_rules()
    targets = discover(paths, options.exclude, options.follow_symlinks, roots=options.tree_roots, respect_gitignore=options.respect_gitignore)
    if options.outputs:  # `acrlint . --format json > report.json`: the file the shell created is this run's output
        from linter.report.output import written_by

        targets = [replace(t, skipped="the output of this run") if t.skipped is None and written_by(t.path, options.outputs) else t
                   for t in targets]
    explicit_params = None
    bad: Finding | None = None  # an unreadable --parameters file
    if options.parameters_file:
        try:
            values, pointers = _read_parameters_file(Path(options.parameters_file), options)
        except Exception as exc:
            values, pointers = {}, {}
            bad = _input_finding(options.parameters_file, exc, "parameters file")
        explicit_params = (values, pointers, options.parameters_file)

    states = _load_all(targets, options, explicit_params, progress)
    _prefer_parent_instances(states)

    resources = [r for s in states for r in s.resources]
    effective_view = _effective_view()
    for res in resources:
        effective_view(res)
    inventory = Inventory(resources)
    runs = enabled_runs(rules, options)
    if progress:
        progress.stage("checking rules", len(runs))
    findings: list[Finding] = [f for s in states for f in s.findings]
    if bad is not None:
        findings.append(bad)
    findings = [f for f in findings if f.rule_id == ACR_READ_ERROR or _builtin_enabled(f.rule_id, rules, options)]
    findings.extend(_one_per_defect(_check(inventory, runs, options, progress), rules))
    if progress:
        progress.stage("placing findings")
    # effective severity from configuration applies to builtin findings too
    findings = [_with_severity(f, options) for f in findings]
    texts = {s.path: (s.text, s.fmt) for s in states if s.text is not None and s.fmt is not None}
    linked_files = {r.file for r in resources} | {p for s in states for p in s.read_also if p.lower().endswith((".json", ".jsonc"))}
    for linked in sorted(linked_files - set(texts)):  # templates read through templateLink.relativePath
        _add_linked_text(linked, texts, options)
    findings = _locate(findings, texts, options)
    findings = _suppress(findings, states, texts, runs, rules, options)
    findings = locate_findings(findings, texts)  # suppression findings that carry only a pointer
    findings = _once(findings)
    findings.sort(key=Finding.sort_key)
    root = options.root or run_root(paths)
    findings = _with_repo_paths(findings, root)
    tool_failed = any(s.failed for s in states) or any(f.rule_id in ("ACR000", "ACR003") for f in findings) or bad is not None
    return RunResult(
        findings=findings,
        rules=rules,
        files_linted=sum(1 for s in states if not s.failed and s.skipped_why is None),
        files_skipped=sum(1 for s in states if not s.failed and s.skipped_why is not None),
        files_failed=sum(1 for s in states if s.failed),
        skipped=[(s.path, s.skipped_why) for s in states if s.skipped_why is not None],
        fail_on=options.fail_on,
        tool_failed=tool_failed,
        enabled_rules=sorted({run.meta.id for run in runs} | {m.id for m in rules.values() if m.implementation == "builtin" and rule_enabled(m, options)}),
        # what an output must never overwrite: the files linted (or that failed), not those skipped as not ours
        # (a report.json from the previous run in the directory linted is rewritten as usual)
        inputs=[t.path for t, s in zip(targets, states) if t.path != "-" and s.skipped_why is None]
        + ([options.parameters_file] if options.parameters_file else []) + [p for s in states for p in s.read_also],
        root=root,
        sources={f.file: texts[f.file][0] for f in findings if f.file in texts} if options.show_source else None,
    )


def _with_repo_paths(findings: list[Finding], root: str) -> list[Finding]:
    """Each finding with its file relative to ``root`` (``repo_path``): the same whether the file was reached as
    ``infra/x.json``, ``./infra/x.json`` or ``x.json`` from ``infra/``, so fingerprints and baselines match."""
    known: dict[str, str] = {}
    out: list[Finding] = []
    for f in findings:
        if not f.file or f.file == "<stdin>":
            out.append(f)
            continue
        path = known.get(f.file)
        if path is None:
            path = known[f.file] = rooted(f.file, root)
        out.append(f.evolve(repo_path=path))
    return out


def _prefer_parent_instances(states: list[FileState]) -> None:
    """A file that another linted file deploys (a Bicep module, a linked template) and that is linted itself too:
    its resources are checked as its parents deploy them, with their values, not again with its own defaults
    (required parameters unknown). When no parent deploys any of them (a module in a loop over an empty
    list), the file's own expansion stays."""
    deployed = {r.file for s in states for r in s.resources if r.file != s.path}
    for s in states:
        if s.path in deployed:
            s.resources = [r for r in s.resources if r.file != s.path]


# One big input: its rules and its findings' positions split over two processes (linter.parallel) when
# --jobs allows and there is enough work to pay for a fork (about 5 ms, plus pickling the results back).
_SPLIT_MIN_RESOURCES = 1000
_SPLIT_MIN_FINDINGS = 1000


def _split(options: Options, size: int, minimum: int) -> bool:
    from linter import parallel

    return parallel.wanted(options.jobs, size, minimum)


def _check(inventory: Any, runs: list[Any], options: Options, progress: Any = None) -> list[Finding]:
    """Every enabled rule's findings, in rule order (the same whether or not the work was split).

    Split: the rules are units (the schema rules together) that the two processes claim one at a time, so
    neither waits for the other while work is left, whatever the rules cost on this input."""
    from linter import parallel
    from linter.engine.registry import load_checks
    from linter.engine.run import run_rules_each

    if not 2 <= len(runs) <= parallel.MAX_TICKETS or not _split(options, len(inventory.resources), _SPLIT_MIN_RESOURCES):
        if progress is None:
            return [f for part in run_rules_each(inventory, runs) for f in part]
        out: list[Finding] = []
        for run in runs:  # one at a time, for the bar
            out.extend(run_rules_each(inventory, [run])[0])
            progress.step()
        return out
    load_checks()  # imported once, before the fork, not once in each process
    from linter.checks.apischema import RULE_IDS as shared_analysis

    # the schema rules share one analysis per resource: one unit, claimed first
    schema = [i for i, run in enumerate(runs) if run.meta.id in shared_analysis]
    units = ([schema] if schema else []) + [[i] for i, run in enumerate(runs) if run.meta.id not in shared_analysis]
    tickets = parallel.Tickets(len(units))

    def work() -> dict[int, list[list[Finding]]]:
        return {u: run_rules_each(inventory, [runs[i] for i in units[u]]) for u in tickets}

    try:
        child = parallel.Forked(work)
        done = work()
        done.update(child.result())  # a child that failed ran nothing we know of: its units are redone below
    finally:
        tickets.close()
    parts: list[list[Finding]] = [[] for _ in runs]
    for u, members in enumerate(units):
        results = done[u] if u in done else run_rules_each(inventory, [runs[i] for i in members])
        for i, part in zip(members, results):
            parts[i] = part
    return [f for part in parts for f in part]


def _spans(findings: list[Finding], texts: dict[str, tuple[str, str]]) -> list[tuple[int, int, int, int] | None]:
    return [(s.line, s.column, s.end_line, s.end_column) if (s := f.span) else None for f in locate_findings(findings, texts)]


def _locate(findings: list[Finding], texts: dict[str, tuple[str, str]], options: Options) -> list[Finding]:
    """locate_findings, the second half (by file and pointer) in a forked process when there are many."""
    todo = [i for i, f in enumerate(findings) if f.span is None and f.file in texts]
    if not _split(options, len(todo), _SPLIT_MIN_FINDINGS) or len(todo) < 2:
        return locate_findings(findings, texts)
    from linter.parallel import Forked

    todo.sort(key=lambda i: (findings[i].file, findings[i].doc, findings[i].pointer))
    half = len(todo) // 2
    first, second = todo[:half], todo[half:]
    child = Forked(_spans, [findings[i] for i in second], texts)
    out = list(findings)
    for i, f in zip(first, locate_findings([findings[i] for i in first], texts)):
        out[i] = f
    for i, span in zip(second, child.result()):
        out[i] = findings[i].evolve(span=Span(*span) if span else None)
    return out


def _suppress(findings: list[Finding], states: list[FileState], texts: dict[str, tuple[str, str]], runs: list[Any],
              rules: dict[str, RuleMeta], options: Options) -> list[Finding]:
    """Inline directives, resource metadata and configuration suppressions; suppressed findings are kept."""
    from linter.suppress import apply_suppressions, metadata_suppressions, parse_directives

    # every file a finding can be in: the files linted, and the linked templates and Bicep modules read through them
    directives = {path: parse_directives(text, fmt) for path, (text, fmt) in texts.items() if "acrlint:" in text}
    directives = {k: v for k, v in directives.items() if v}
    metadata: dict[tuple[str, str], dict[str, str]] = {}
    for s in states:
        for res in s.resources:
            meta = res.body.get("metadata")
            if isinstance(meta, dict) and "acrlint" in meta:
                disabled = metadata_suppressions(meta)
                if disabled:
                    metadata[(res.file, res.pointer)] = disabled
    if not directives and not metadata and not options.suppressions:
        return findings
    import datetime

    enabled = {run.meta.id: run.severity for run in runs}
    for meta in rules.values():
        if meta.implementation == "builtin" and rule_enabled(meta, options):
            enabled[meta.id] = options.rule_settings.get(meta.id, {}).get("severity") or meta.severity
    return apply_suppressions(
        findings,
        directives_by_file=directives,
        metadata_by_pointer=metadata,
        config_suppressions=options.suppressions,
        today=options.today or datetime.date.today(),
        enabled_rules=enabled,
        known_rules=rules,
    )


def _once(findings: list[Finding]) -> list[Finding]:
    """Identical findings (same rule, file, position and message: the instances of a copy loop, or of a module
    deployed in a loop, at one place in the source) are reported once."""
    seen: set[tuple[Any, ...]] = set()
    out: list[Finding] = []
    for f in findings:
        key = (f.rule_id, f.file, f.doc, f.span, f.pointer, f.message, f.suppressed)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out


def _one_per_defect(findings: list[Finding], rules: dict[str, RuleMeta]) -> list[Finding]:
    """One finding for one defect: a rule's finding is dropped where a rule that supersedes it reports the same
    place (an invalid registry name is ACR419, not also ACR503)."""
    superseded: set[tuple[str, str, int, str]] = set()
    for f in findings:
        for other in rules[f.rule_id].supersedes if f.rule_id in rules else ():
            superseded.add((other, f.file, f.doc, f.pointer))
    if not superseded:
        return findings
    return [f for f in findings if (f.rule_id, f.file, f.doc, f.pointer) not in superseded]


def _effective_view() -> Any:
    from linter.checks.apischema import effective_view

    return effective_view


def _builtin_enabled(rule_id: str, rules: dict[str, RuleMeta], options: Options) -> bool:
    meta = rules.get(rule_id)
    return True if meta is None else rule_enabled(meta, options)


def _with_severity(f: Finding, options: Options) -> Finding:
    sev = options.rule_settings.get(f.rule_id, {}).get("severity")
    if sev and sev in SEVERITY_RANK and f.rule_id not in ("ACR000", "ACR003"):
        return f.evolve(severity=sev)
    return f


def lint_paths(paths: list[str], options: Options | None = None) -> Any:
    return lint(paths, options)


__all__ = ["Options", "lint", "lint_paths"]
