"""Expand the paths given on the command line into the files to lint, in a deterministic order."""
from __future__ import annotations

import errno
import fnmatch
import os
import stat
from dataclasses import dataclass
from pathlib import PurePosixPath

LINTABLE_SUFFIXES = (".json", ".jsonc", ".yaml", ".yml", ".bicep", ".bicepparam")
_SKIP_DIRS = {".git", ".hg", ".svn", "node_modules", ".venv", "venv", "__pycache__", ".tox", ".mypy_cache", ".pytest_cache"}


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


def matches_any(path: str, patterns: list[str]) -> bool:
    """gitignore-like glob match against a posix path: a pattern without '/' matches any path component."""
    p = PurePosixPath(path.lstrip("./") if path.startswith("./") else path)
    for pat in patterns:
        pat = pat.rstrip("/")
        if "/" not in pat:
            if any(fnmatch.fnmatch(part, pat) for part in p.parts):
                return True
        elif fnmatch.fnmatch(str(p), pat) or fnmatch.fnmatch(str(p), pat.lstrip("/")) or fnmatch.fnmatch(str(p), f"*/{pat}"):
            return True
        if pat.endswith("/**") and str(p).startswith(pat[:-3]):
            return True
    return False


def first_match(path: str, patterns: list[str]) -> str | None:
    """The first of ``patterns`` that matches ``path`` (matches_any), or None."""
    return next((pat for pat in patterns if matches_any(path, [pat])), None)


# --------------------------------------------------------------------------------------------- the linted tree


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
    return name in _SKIP_DIRS or name.startswith(".")


def _walk(top: str, follow_symlinks: bool, roots: list[str] | None) -> list[Target]:
    """Files to lint under ``top``, found with an explicit stack (any depth: no recursion), each directory
    entered once (a symbolic-link loop ends), symbolic links followed only with ``follow_symlinks`` and only
    inside the linted tree."""
    found: list[Target] = []
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
                if not _skipped_dir(entry.name):
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
            if not _lintable(entry.name):
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


def discover(paths: list[str], exclude: list[str] | None = None, follow_symlinks: bool = False,
             roots: list[str] | None = None) -> list[Target]:
    """The files to lint, in order: each path named, then what directories hold (sorted). A file reached twice
    (named twice, or through a symbolic link) is linted once. A file named but matched by ``exclude`` is kept
    as skipped, with the pattern. ``roots``: the linted tree (tree_roots), for symbolic links found inside
    directories (None: no limit)."""
    exclude = exclude or []
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
            for t in sorted(_walk(given, follow_symlinks, roots), key=lambda t: (t.via_link, t.path)):
                if not matches_any(t.path, exclude):
                    add(t)
            out[first:] = sorted(out[first:], key=lambda t: t.path)
            continue
        pattern = first_match(_posix(given), exclude)
        if pattern is not None:
            add(Target(_posix(given), True, skipped=f"excluded by the pattern {pattern!r}"))
            continue
        if not stat.S_ISREG(st.st_mode):
            add(Target(_posix(given), True, "not a regular file"))
            continue
        add(Target(_posix(given), True))
    return out
