"""A one-line progress bar on standard error, for the whole run: reading files, checking rules, placing the
findings. Only on a terminal (the CLI creates one when stderr is a TTY and --quiet is not given: never when
piped), only once a run has taken DELAY seconds (a quick run shows nothing), redrawn at most ten times a second,
and cleared before any output is written.

    progress = Progress(stream)
    progress.stage("reading", total=len(files)); progress.step() ...
    progress.stage("checking rules", total=len(rules)); ...
    progress.done()
"""
from __future__ import annotations

import time
from typing import Any, TextIO

DELAY = 1.0  # seconds before the bar first shows
_WIDTH = 30


class Progress:
    def __init__(self, stream: TextIO | Any, clock: Any = time.monotonic) -> None:
        self.stream, self.clock = stream, clock
        self.start = clock()
        self.label, self.total, self.count = "", 0, 0
        self.last = 0.0
        self.shown = 0  # length of what is on the line

    def stage(self, label: str, total: int = 0) -> None:
        self.label, self.total, self.count = label, total, 0
        self._draw(force=True)

    def step(self, n: int = 1) -> None:
        self.count += n
        self._draw()

    def _draw(self, force: bool = False) -> None:
        now = self.clock()
        if now - self.start < DELAY or (not force and now - self.last < 0.1):
            return
        self.last = now
        if self.total:
            filled = min(_WIDTH, _WIDTH * self.count // self.total)
            line = f"acrlint [{'#' * filled}{'.' * (_WIDTH - filled)}] {self.label} {self.count}/{self.total}"
        else:
            line = f"acrlint {self.label}..."
        self._write("\r" + line + " " * max(self.shown - len(line), 0))
        self.shown = len(line)

    def done(self) -> None:
        """Clear the line (before anything else is written to the terminal)."""
        if self.shown:
            self._write("\r" + " " * self.shown + "\r")
            self.shown = 0

    def _write(self, text: str) -> None:
        try:
            self.stream.write(text)
            self.stream.flush()
        except (OSError, ValueError):  # stderr gone: no bar
            self.shown = 0
