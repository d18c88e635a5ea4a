"""Work of one big input split between this process and a forked child (POSIX only).

`--jobs` spreads *files* over worker processes; a 50 MB export is still one file. Its work splits here instead:
chunks of a flat template's resources and the rules are each claimed one at a time by either process (Tickets;
linter.arm.expand, linter.api); half of the findings are located in a child (linter.api). A child
inherits everything through fork (no copying) and sends back only its results, pickled over a pipe. Where fork
is missing, or a child fails in any way, the parent does the work itself, so the output never depends on
whether the split happened (tests/test_parallel.py compares both ways).
"""
from __future__ import annotations

import os
import pickle
import sys
from collections.abc import Callable, Iterator
from typing import Any

__all__ = ["Forked", "Tickets", "can_fork", "wanted"]

# Tests set this to force the split on small inputs (None: decide by size).
FORCE: bool | None = None


def can_fork() -> bool:
    return hasattr(os, "fork")


def wanted(jobs: int, size: int, minimum: int) -> bool:
    """Whether to split work of ``size`` units: --jobs allows it and there is enough to pay for a fork."""
    if not can_fork():
        return False
    if FORCE is not None:
        return FORCE
    return jobs > 1 and size >= minimum


class Forked:
    """``fn(*args)`` computed in a forked child; ``result()`` waits for it. If the child cannot be started,
    or dies, or raises, ``result()`` computes ``fn(*args)`` here instead."""

    def __init__(self, fn: Callable[..., Any], *args: Any) -> None:
        self.fn, self.args = fn, args
        self.pid: int | None = None
        self.fd: int | None = None
        try:
            read, write = os.pipe()
        except OSError:
            return
        sys.stdout.flush()
        sys.stderr.flush()
        try:
            pid = os.fork()
        except OSError:
            os.close(read)
            os.close(write)
            return
        if pid == 0:  # the child: never returns
            code = 0
            try:
                os.close(read)
                try:
                    payload = pickle.dumps((True, fn(*args)), protocol=pickle.HIGHEST_PROTOCOL)
                except BaseException as exc:  # noqa: BLE001 - reported to the parent, which redoes the work
                    payload = pickle.dumps((False, f"{type(exc).__name__}: {exc}"))
                with os.fdopen(write, "wb") as out:
                    out.write(payload)
            except BaseException:  # noqa: BLE001 - the parent sees a short read and redoes the work
                code = 1
            finally:
                os._exit(code)
        os.close(write)
        self.pid, self.fd = pid, read

    def result(self) -> Any:
        if self.fd is None or self.pid is None:
            return self.fn(*self.args)
        try:
            with os.fdopen(self.fd, "rb") as fh:
                payload = fh.read()
        finally:
            os.waitpid(self.pid, 0)
        try:
            ok, value = pickle.loads(payload)
        except Exception:  # noqa: BLE001 - a child that died before writing: redo the work here
            ok, value = False, None
        return value if ok else self.fn(*self.args)


MAX_TICKETS = 4096  # 8 KB of unit numbers: every POSIX pipe buffers at least 16 KB


class Tickets:
    """Units of work 0..count-1, each claimed by whichever process asks next (a pipe holding the unit numbers;
    a two-byte read from a pipe is atomic). Create before forking; both processes iterate."""

    def __init__(self, count: int) -> None:
        if not 0 <= count <= MAX_TICKETS:
            raise ValueError(f"at most {MAX_TICKETS} units")
        self.fd, write = os.pipe()
        try:
            os.write(write, b"".join(i.to_bytes(2, "big") for i in range(count)))  # fits in any pipe: never blocks
        finally:
            os.close(write)  # no writer left: an empty pipe reads as end of file

    def __iter__(self) -> Iterator[int]:
        while True:
            data = os.read(self.fd, 2)
            if len(data) < 2:
                return
            yield int.from_bytes(data, "big")

    def close(self) -> None:
        os.close(self.fd)
