"""Expand the paths given on the command line into the files to lint, in a deterministic order."""
from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from linter.paths import Glob, GlobSet, parse, repository_root
from linter.report.output import written_by

if TYPE_CHECKING:
    from linter.context import RunContext

__all__ = ["LINTABLE_SUFFIXES", "Target", "discover", "exclusion", "inside_tree", "repository_root", "tree_roots"]

LINTABLE_SUFFIXES = (".json", ".jsonc", ".yaml", ".yml", ".bicep", ".bicepparam")
# Never entered: version control, dependencies, virtual environments and caches. Other hidden directories
# (.azure/, .github/, .pipelines/) are walked: pre-commit passes their files to the per-file hook too.
_SKIP_DIRS = {".git", ".hg", ".svn", "node_modules", ".venv", "venv", "__pycache__", ".tox", ".nox", ".mypy_cache",
              ".pytest_cache", ".ruff_cache"}
# A .gitignore (or .git/info/exclude) is read up to this size and this many patterns (real ones hold tens to a few
# hundred): a hostile one cannot make the walk slow.
MAX_GITIGNORE_BYTES = 1 << 20
MAX_GITIGNORE_PATTERNS = 1_000

@dataclass(frozen=True)
class Target:
    path: str  # as shown in output: the path given, or dir-given/relative for files found under a directory
    explicit: bool  # named directly (linted whatever its suffix) rather than found in a directory
    problem: str | None = None  # why it cannot be read (missing, a directory loop, not a regular file)
    skipped: str | None = None  # why it is not linted although it exists (excluded, outside the linted tree)
    outside: bool = False  # a symbolic link that leads outside the linted tree (reported as ACR005)
    via_link: bool = False  # found through a symbolic link (--follow-symlinks)


def _posix(path: str) -> str:
    return path.replace(os.sep, "/") if os.sep != "/" else path


def exclusion(patterns: list[str | Glob] | GlobSet | None) -> GlobSet:
    """``exclude`` and ``--exclude`` as one GlobSet (linter.paths); strings are relative to the working directory."""
    if isinstance(patterns, GlobSet):
        return patterns
    cwd = os.getcwd()
    globs: list[Glob] = []
    for p in patterns or []:
        g = p if isinstance(p, Glob) else parse(p, cwd)
        if g is not None:
            globs.append(g)
    return GlobSet(globs)


# --------------------------------------------------------------------------------------------- .gitignore


def _pattern_file(path: str, base: str) -> list[Glob]:
    """The patterns of a .gitignore-style file (none when it is not a regular file)."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return []
        with open(path, "rb") as fh:
            data = fh.read(MAX_GITIGNORE_BYTES)
    except OSError:
        return []
    globs: list[Glob] = []
    for line in data.decode("utf-8", "replace").splitlines():
        g = parse(line, base)
        if g is not None:
            globs.append(g)
            if len(globs) >= MAX_GITIGNORE_PATTERNS:
                break
    return globs


def _gitignore_above(top: str) -> list[Glob]:
    """What git ignores from above a directory walk's top: .git/info/exclude and the .gitignore files from the
    repository root down to the top's parent. When they exclude the top itself, which was named explicitly,
    none of them apply."""
    top = os.path.abspath(top)
    root = repository_root(top)
    if root is None:
        return []
    globs: list[Glob] = []
    if os.path.isdir(os.path.join(root, ".git")):
        globs += _pattern_file(os.path.join(root, ".git", "info", "exclude"), root)
    chain: list[str] = []
    d = top
    while d != root:
        d = os.path.dirname(d)
        chain.append(d)
        if os.path.dirname(d) == d:
            break
    for d in reversed(chain):
        globs += _pattern_file(os.path.join(d, ".gitignore"), d)
    return [] if GlobSet(globs).excluded(top, True) else globs


# --------------------------------------------------------------------------------------------- the linted tree


def tree_roots(paths: list[str]) -> list[str]:
    """The linted tree: for each path named, its directory (a file's parent) or the repository root above it,
    whichever is larger; both as written and with symbolic links resolved. Nothing outside is ever read
    through a link (a linked template, a parameters file found beside a template, a symbolic link found in a
    directory)."""
    roots: set[str] = set()
    for given in paths:
        if given == "-":
            continue
        for p in (os.path.abspath(given), os.path.realpath(given)):
            d = p if os.path.isdir(p) else os.path.dirname(p)
            roots.add(os.path.realpath(repository_root(d) or d))
    return sorted(roots)


def inside_tree(path: str, roots: list[str]) -> bool:
    """Whether ``path``, symbolic links resolved, lies inside one of ``roots`` (tree_roots)."""
    real = os.path.realpath(path)
    return any(real == root or real.startswith(root.rstrip(os.sep) + os.sep) for root in roots)


# --------------------------------------------------------------------------------------------- walking


def _lintable(name: str) -> bool:
    return name.lower().endswith(LINTABLE_SUFFIXES)


def _skipped_dir(name: str) -> bool:
    return name in _SKIP_DIRS


def _walk(top: str, follow_symlinks: bool, roots: list[str] | None, exclude: GlobSet | None = None,
          gitignore: GlobSet | None = None) -> list[Target]:
    """Files to lint under ``top``, found with an explicit stack (any depth: no recursion), each directory
    entered once (a symbolic-link loop ends), symbolic links followed only with ``follow_symlinks`` and only
    inside the linted tree. A directory or file that ``exclude`` or ``gitignore`` (None: not honoured; each
    directory's .gitignore is added to it as the walk enters) excludes is left out, and an excluded directory
    is not entered."""
    found: list[Target] = []

    def left_out(path: str, is_dir: bool) -> bool:
        return bool(exclude and exclude.excluded(path, is_dir)) or bool(gitignore and gitignore.excluded(path, is_dir))

    visited: set[tuple[int, int]] = set()
    stack: list[tuple[str, bool]] = [(top, False)]  # (directory, reached through a symbolic link)
    while stack:
        directory, linked = stack.pop()
        try:
            st = os.stat(directory)
        except OSError as exc:
            found.append(Target(_posix(directory), False, f"cannot enter directory: {exc.strerror or exc}"))
            continue
        if (st.st_dev, st.st_ino) in visited:
            continue  # reached again through a symbolic link: a loop, or a second way in
        visited.add((st.st_dev, st.st_ino))
        if gitignore is not None:
            gitignore.extend(_pattern_file(os.path.join(directory, ".gitignore"), directory))
        try:
            with os.scandir(directory) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            found.append(Target(_posix(directory), False, f"cannot list directory: {exc.strerror or exc}"))
            continue
        subdirs: list[tuple[str, bool]] = []
        for entry in entries:
            full = entry.path
            try:
                is_link = entry.is_symlink()
                is_dir = not is_link and entry.is_dir(follow_symlinks=False)
            except OSError as exc:
                found.append(Target(_posix(full), False, exc.strerror or str(exc)))
                continue
            if is_dir:
                if not _skipped_dir(entry.name) and not left_out(full, True):
                    subdirs.append((full, linked))
                continue
            if is_link:
                if not follow_symlinks:
                    continue
                try:
                    target_st = os.stat(full)
                except OSError as exc:
                    if _lintable(entry.name):
                        why = {errno.ELOOP: "symbolic link loop", errno.ENOENT: "broken symbolic link"}.get(exc.errno or 0)
                        found.append(Target(_posix(full), False, why or exc.strerror or str(exc)))
                    continue
                is_dir = stat.S_ISDIR(target_st.st_mode)
                if is_dir and _skipped_dir(entry.name):
                    continue
                if not is_dir and not _lintable(entry.name):
                    continue
                if left_out(full, is_dir):
                    continue
                if roots is not None and not inside_tree(full, roots):
                    found.append(Target(_posix(full), False, skipped="symbolic link to a path outside the linted tree", outside=True))
                    continue
                if is_dir:
                    subdirs.append((full, True))
                    continue
                if not stat.S_ISREG(target_st.st_mode):
                    found.append(Target(_posix(full), False, "not a regular file"))
                else:
                    found.append(Target(_posix(full), False, via_link=True))
                continue
            if not _lintable(entry.name) or left_out(full, False):
                continue
            try:
                mode = entry.stat(follow_symlinks=False).st_mode
            except OSError as exc:
                found.append(Target(_posix(full), False, exc.strerror or str(exc)))
                continue
            # a FIFO or device named *.json would block (or never end) when read
            found.append(Target(_posix(full), False, None if stat.S_ISREG(mode) else "not a regular file", via_link=linked))
        stack.extend(reversed(subdirs))
    return found


def _file_key(path: str) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_dev, st.st_ino)


def discover_targets(ctx: RunContext) -> list[Target]:
    """The discover stage: the files of the run (linter.discover.discover with the run's options). The file the
    shell created for this run's output (``acrlint . --format json > report.json``) is skipped: it is not an input."""
    options = ctx.options
    targets = discover(list(ctx.paths), options.exclude, options.follow_symlinks, roots=ctx.tree_roots,
                       respect_gitignore=options.respect_gitignore)
    if options.outputs:
        targets = [replace(t, skipped="the output of this run") if t.skipped is None and written_by(t.path, options.outputs) else t
                   for t in targets]
    return targets


def discover(paths: list[str], exclude: list[str | Glob] | GlobSet | None = None, follow_symlinks: bool = False,
             roots: list[str] | None = None, respect_gitignore: bool = False) -> list[Target]:
    """The files to lint, in order: each path named, then what directories hold (sorted). A file reached twice
    (named twice, or through a symbolic link) is linted once. A file named but excluded by ``exclude`` (linter.paths
    globs; strings are relative to the working directory) is kept as skipped, with the pattern. In directories,
    what ``exclude`` excludes is left out and, with ``respect_gitignore``, what git ignores (.gitignore files in
    and above the directory, .git/info/exclude); a file named explicitly is linted even when git ignores it.
    ``roots``: the linted tree (tree_roots), for symbolic links found inside directories (None: no limit)."""
    excluder = exclusion(exclude)
    out: list[Target] = []
    seen: set[str] = set()
    seen_files: set[tuple[int, int]] = set()

    def add(t: Target) -> None:
        if t.path in seen:
            return
        seen.add(t.path)
        if t.problem is None and t.skipped is None and t.path != "-":
            key = _file_key(t.path)
            if key is not None:
                if key in seen_files:
                    return  # the same file by another name: linted once
                seen_files.add(key)
        out.append(t)

    for given in paths:
        if given == "-":
            add(Target("-", True))
            continue
        try:
            st = os.stat(given) if follow_symlinks or not os.path.islink(given) else os.lstat(given)
        except FileNotFoundError:
            problem = "broken symbolic link" if os.path.islink(given) else "no such file or directory"
            add(Target(_posix(given), True, problem))
            continue
        except OSError as exc:
            why = {errno.ELOOP: "symbolic link loop"}.get(exc.errno or 0)
            add(Target(_posix(given), True, why or exc.strerror or str(exc)))
            continue
        if stat.S_ISLNK(st.st_mode):
            # a symlink named explicitly is followed (like most linters); loops and dangling links are reported
            try:
                st = os.stat(given)
            except OSError as exc:
                why = {errno.ELOOP: "symbolic link loop", errno.ENOENT: "broken symbolic link"}.get(exc.errno or 0)
                add(Target(_posix(given), True, why or exc.strerror or str(exc)))
                continue
        if stat.S_ISDIR(st.st_mode):
            # a file reached both directly and through a symbolic link is linted under its own name: plain
            # entries claim their files first, then the list is put back in path order
            first = len(out)
            gitignore = GlobSet(_gitignore_above(given)) if respect_gitignore else None
            for t in sorted(_walk(given, follow_symlinks, roots, excluder, gitignore), key=lambda t: (t.via_link, t.path)):
                add(t)
            out[first:] = sorted(out[first:], key=lambda t: t.path)
            continue
        decided = excluder.decide(given)
        if decided is not None and not decided.negated:
            add(Target(_posix(given), True, skipped=f"excluded by the pattern {decided.text!r}"))
            continue
        if not stat.S_ISREG(st.st_mode):
            add(Target(_posix(given), True, "not a regular file"))
            continue
        add(Target(_posix(given), True))
    return out
