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


def discover(paths: list[str], exclude: list[str] | None = None, follow_symlinks: bool = False) -> list[Target]:
    exclude = exclude or []
    out: list[Target] = []
    seen: set[str] = set()

    def add(t: Target) -> None:
        if t.path not in seen:
            seen.add(t.path)
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
            add(Target(_posix(given), True, exc.strerror or str(exc)))
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
            found: list[tuple[str, str | None]] = []
            for root, dirs, files in os.walk(given, followlinks=follow_symlinks):
                dirs[:] = sorted(d for d in dirs if d not in _SKIP_DIRS and not (d.startswith(".") and d not in (".", "..")))
                for name in sorted(files):
                    if not name.lower().endswith(LINTABLE_SUFFIXES):
                        continue
                    full = os.path.join(root, name)
                    try:
                        fst = os.stat(full) if follow_symlinks else os.lstat(full)
                    except OSError as exc:
                        found.append((_posix(full), "broken symbolic link" if exc.errno == errno.ENOENT else (exc.strerror or str(exc))))
                        continue
                    if stat.S_ISLNK(fst.st_mode):
                        continue
                    # a FIFO or device named *.json would block (or never end) when read
                    found.append((_posix(full), None if stat.S_ISREG(fst.st_mode) else "not a regular file"))
            for found_path, why in sorted(found):
                if not matches_any(found_path, exclude):
                    add(Target(found_path, False, why))
            continue
        if matches_any(_posix(given), exclude):
            continue
        if not stat.S_ISREG(st.st_mode):
            add(Target(_posix(given), True, "not a regular file"))
            continue
        add(Target(_posix(given), True))
    return out
