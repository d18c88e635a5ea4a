"""The one scheduler: the only module that forks or pools processes. Stages hand it units of work.

Two kinds of parallelism, both for ``--jobs`` > 1 (Scheduler):

- *files* (``Scheduler.each``): many files are loaded and expanded in a pool of forked worker processes. A worker
  inherits the work function through fork; only the items and the results cross the pipe, in input order.
- *one big input* split between this process and one forked child: chunks of a flat template's resources
  (the expand stage) and the rules (the check stage) are claimed one unit at a time by either process
  (``Scheduler.claim``, on Tickets); half of the findings are placed by a child (the locate stage, ``Forked``).
  The child sends back only its results, pickled over a pipe.

Where fork is missing, or a child fails in any way, the parent does the work itself, so the output never depends
on whether the work was split (tests/test_parallel.py compares both ways). Nothing here keeps state between runs.
"""
from __future__ import annotations

import os
import pickle
import sys
from collections.abc import Callable, Iterable, Iterator
from typing import Any

__all__ = ["Forked", "Scheduler", "Tickets", "can_fork", "wanted", "worker_died"]


def worker_died(exc: BaseException) -> bool:
    """Whether ``exc`` says a worker process of the pool died (killed, out of memory): the run cannot go on."""
    pool = sys.modules.get("concurrent.futures.process")  # imported only when a pool was started
    return pool is not None and isinstance(exc, pool.BrokenProcessPool)

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


# A worker pool costs about 60 ms to start: below these, it costs more than it saves (measured: the corpus, 30 files;
# 200 small templates of 1.5 KB, 0.3 MB in all, took 0.44 s with the pool and 0.39 s without).
POOL_MIN_ITEMS = 32
POOL_MIN_BYTES = 1 << 20

# The work function of the pool being started: a forked worker inherits it, so it is never pickled.
_pool_work: Callable[[Any], Any] | None = None


def _in_worker(item: Any) -> Any:
    assert _pool_work is not None
    return _pool_work(item)


def _bytes_of(paths: Iterable[str], limit: int) -> int:
    """Bytes of the files at ``paths``, counted until ``limit`` is reached."""
    total = 0
    for path in paths:
        try:
            total += os.stat(path).st_size
        except (OSError, ValueError):
            continue
        if total >= limit:
            break
    return total


class Scheduler:
    """How one run uses processes: ``jobs`` of them (1: everything in this process)."""

    max_units = MAX_TICKETS  # the most units one claim() can have

    def __init__(self, jobs: int = 1) -> None:
        self.jobs = max(1, jobs)

    def wanted(self, size: int, minimum: int) -> bool:
        """Whether to split work of ``size`` units of one input over two processes."""
        return wanted(self.jobs, size, minimum)

    def forked(self, fn: Callable[..., Any], *args: Any) -> Forked:
        """``fn(*args)`` in a forked child while this process goes on; ``.result()`` waits for it."""
        return Forked(fn, *args)

    def each(self, work: Callable[[Any], Any], items: list[Any], paths: list[str] | None = None,
             step: Callable[[], None] | None = None) -> list[Any]:
        """``work(item)`` for every item, in item order: in a pool of forked workers when there are enough items
        and bytes (``paths``: the files the items read; None: the items may not be moved to another process).
        ``step`` is called as each result arrives (a progress bar)."""
        jobs = min(self.jobs, len(items))
        fork = None
        if jobs > 1 and paths is not None and len(items) >= POOL_MIN_ITEMS and _bytes_of(paths, POOL_MIN_BYTES) >= POOL_MIN_BYTES:
            # imported here: about 15 ms at start-up that runs without a pool (one file, --jobs 1) do not pay
            import multiprocessing

            try:
                fork = multiprocessing.get_context("fork")
            except ValueError:  # platforms without fork: stay in this process rather than pay spawn start-up
                fork = None
        out: list[Any] = []
        if fork is None:
            for item in items:
                out.append(work(item))
                if step:
                    step()
            return out
        from concurrent.futures import ProcessPoolExecutor

        global _pool_work
        _pool_work = work
        try:
            chunk = max(1, len(items) // (jobs * 4))
            with ProcessPoolExecutor(max_workers=jobs, mp_context=fork) as pool:
                for result in pool.map(_in_worker, items, chunksize=chunk):
                    out.append(result)
                    if step:
                        step()
        finally:
            _pool_work = None
        return out

    def claim(self, count: int, unit: Callable[[int], Any]) -> list[tuple[Any, bool]]:
        """``unit(u)`` for u in 0..count-1, split between this process and a forked child that claim units one
        at a time (neither waits while units are left). Returns, in unit order, each result and whether a child
        computed it (its side effects happened there, not here). The child pickles each result as it finishes it,
        so only unpickling is left once both are done. A unit the child did not deliver is computed here."""
        if count > MAX_TICKETS:
            raise ValueError(f"at most {MAX_TICKETS} units")
        tickets = Tickets(count)

        def work(in_child: bool) -> dict[int, Any]:
            out: dict[int, Any] = {}
            for u in tickets:
                value = unit(u)
                out[u] = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL) if in_child else value
            return out

        try:
            child = Forked(work, True)
            mine = work(False)
            theirs = child.result()  # a child that failed ran nothing we know of: its units are redone below
        finally:
            tickets.close()
        results: list[tuple[Any, bool]] = []
        for u in range(count):
            if u in mine:
                results.append((mine[u], False))
            elif u in theirs and isinstance(theirs[u], bytes):
                results.append((pickle.loads(theirs[u]), True))
            else:
                results.append((unit(u), False))
        return results
