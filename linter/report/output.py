"""Writing: every byte acrlint writes (outputs, the baseline, lines on standard error) goes through here.

API (used by linter/settings.py and linter/cli.py)::

    check_destinations(destinations, inputs) -> None
        Refuses, with OutputError, an output that is one of the inputs (a file linted, a parameters file,
        a linked template, the baseline, the configuration: writing it would destroy it) and two outputs that would land in
        one file (standard output counts as the file it is redirected to). Devices, FIFOs and terminals may
        be shared: writing to them destroys nothing. Call before writing anything.
    write_text(path, text, fmt=None) -> None
        ``path`` None is standard output. A regular file (or a new one) is replaced atomically: written to a
        temporary file beside it, then renamed over it (a symbolic link is followed, so the link stays). A
        path that is not a regular file (/dev/null, /dev/stdout, a FIFO, a terminal) is written to directly,
        never replaced. Files are UTF-8, and so are json, sarif and junit (``fmt``) on standard output; the
        other formats use standard output's encoding, a character it cannot carry written as a backslash
        escape. Every failure (a full disk, a closed pipe, a short write) raises OutputError with one line; a
        non-blocking descriptor is waited for, never given up on.
    written_by(path, destinations) -> bool
        Whether ``path`` is a file the run writes to (standard output redirected to it included): not linted.
    warn(text) -> None
        One line on standard error, escaped (linter.report.escape.line_safe) and cut to MAX_MESSAGE characters;
        never raises.
"""
from __future__ import annotations

import errno
import os
import secrets
import select
import stat
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from linter.report.escape import MAX_MESSAGE, cut, line_safe

__all__ = ["OutputError", "check_destinations", "warn", "write_atomic", "write_text", "written_by"]

STDOUT = "standard output"


class OutputError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def warn(text: str) -> None:
    try:
        sys.stderr.write(line_safe(cut(text, MAX_MESSAGE)) + "\n")
        sys.stderr.flush()
    except (OSError, ValueError, AttributeError):  # stderr closed or gone: nowhere left to say it
        pass


# ---------------------------------------------------------------------------------------------- destinations


def _identity(path: str | None) -> tuple[Any, ...] | None:
    """What a path or standard output (None) writes to: (device, inode) when it exists, else its real path."""
    try:
        st = os.fstat(sys.stdout.fileno()) if path is None else os.stat(path)
    except (OSError, ValueError, AttributeError):
        return None if path is None else ("new", os.path.realpath(path))
    return ("file" if stat.S_ISREG(st.st_mode) else "stream", st.st_dev, st.st_ino)


def _label(path: str | None) -> str:
    return STDOUT if path is None else path


def check_destinations(destinations: Iterable[tuple[str, str | None]], inputs: Iterable[str]) -> None:
    """``destinations``: (what, path or None for standard output), e.g. ("sarif", "out.sarif")."""
    read: dict[tuple[Any, ...], str] = {}
    for input_path in inputs:
        ident = _identity(input_path)
        if ident is not None and ident[0] != "new":
            read.setdefault(ident, input_path)
    seen: dict[tuple[Any, ...], str | None] = {}
    for what, path in destinations:
        ident = _identity(path)
        if ident is None:
            continue
        if ident in read and path is not None:
            raise OutputError(f"error: {what} output {path} is {read[ident]}, an input of this run: refusing to overwrite it")
        if ident[0] != "stream" and ident in seen:
            first = seen[ident]
            same = f"{_label(first)} and {_label(path)} are the same file" if first != path else f"{_label(path)} twice"
            raise OutputError(f"error: two outputs would write to one file ({same}); give each output its own file")
        seen[ident] = path


def written_by(path: str, destinations: Iterable[str | None]) -> bool:
    """Whether ``path`` is one of a run's outputs (None: standard output, when it is redirected to a file):
    such a file is never linted (the shell creates it empty before acrlint starts)."""
    ident = _identity(path)
    if ident is None or ident[0] != "file":
        return False
    return any(_identity(d) == ident for d in destinations)


# ---------------------------------------------------------------------------------------------- writing


def _write_all(fd: int, data: bytes) -> None:
    """Every byte of ``data`` to ``fd``: short writes continue, a non-blocking descriptor is waited for."""
    view = memoryview(data)
    while view:
        try:
            n = os.write(fd, view)
        except BlockingIOError:
            select.select([], [fd], [])
            continue
        except InterruptedError:
            continue
        if n <= 0:
            raise OSError(errno.EIO, "nothing was written")
        view = view[n:]


# Data formats are UTF-8 whatever the locale (JSON requires it; the JUnit file declares it); only the formats
# meant for reading are written in the terminal's encoding.
_UTF8_FORMATS = {"json", "sarif", "junit", "gitlab"}


def _write_stdout(text: str, fmt: str | None = None) -> None:
    stream: Any = sys.stdout
    if stream is None:
        raise OSError(errno.EBADF, "standard output is closed")
    try:
        fd = stream.fileno()
    except (AttributeError, OSError, ValueError):  # an in-memory stream (tests, embedding): no descriptor
        stream.write(text)
        stream.flush()
        return
    stream.flush()
    encoding = "utf-8" if fmt in _UTF8_FORMATS else (getattr(stream, "encoding", None) or "utf-8")
    _write_all(fd, text.encode(encoding, "backslashreplace"))


def write_atomic(path: Path, text: str) -> None:
    """UTF-8 text through a temporary file in the same directory and os.replace(): readers never see a
    half-written file. A new file gets the usual permissions (0666 minus umask); an existing one keeps its mode."""
    path = Path(path)
    directory = path.parent
    try:
        existing_mode: int | None = stat.S_IMODE(os.stat(path).st_mode)
    except FileNotFoundError:
        existing_mode = None
    # os.open with 0o666 lets the umask decide a new file's mode (mkstemp would give 0600)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    for _ in range(100):
        tmp = directory / f".{path.name}.{secrets.token_hex(6)}.tmp"
        try:
            fd = os.open(tmp, flags, 0o666)
            break
        except FileExistsError:
            continue
    else:
        raise FileExistsError(f"{directory}: cannot create a temporary file")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(text.encode("utf-8", "backslashreplace"))
            fh.flush()
            os.fsync(fh.fileno())
        if existing_mode is not None:
            os.chmod(tmp, existing_mode)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _stream_identity(fd: int) -> tuple[Any, ...] | None:
    try:
        st = os.fstat(fd)
    except OSError:
        return None
    return ("file" if stat.S_ISREG(st.st_mode) else "stream", st.st_dev, st.st_ino)


def _write_file(path: str, text: str, fmt: str | None) -> None:
    ident = _identity(path)
    if ident is not None and ident[0] != "new":
        # /dev/stdout, /dev/stderr (even when redirected to a file): the stream itself, never reopened or replaced
        if ident == _identity(None):
            _write_stdout(text, fmt)
            return
        if ident == _stream_identity(2):
            sys.stderr.flush()
            _write_all(2, text.encode("utf-8", "backslashreplace"))
            return
    try:
        st: os.stat_result | None = os.stat(path)
    except FileNotFoundError:
        st = None
    # /dev/fd/N, /dev/stderr and the like name an open file of this process: appended to, never replaced
    special = path.startswith(("/dev/fd/", "/proc/")) or (path.startswith("/dev/") and os.path.islink(path))
    if not special and (st is None or stat.S_ISREG(st.st_mode)):
        write_atomic(Path(os.path.realpath(path)), text)  # through a symbolic link to its file
        return
    if st is not None and stat.S_ISDIR(st.st_mode):
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR))
    # a device or FIFO: written to, never replaced (nor created, nor truncated)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | getattr(os, "O_NOCTTY", 0))
    try:
        _write_all(fd, text.encode("utf-8", "backslashreplace"))
    finally:
        os.close(fd)


def write_text(path: str | None, text: str, fmt: str | None = None) -> None:
    try:
        if path is None:
            _write_stdout(text, fmt)
        else:
            _write_file(path, text, fmt)
    except OSError as exc:
        raise OutputError(f"error: cannot write {_label(path)}: {exc.strerror or exc}") from None
