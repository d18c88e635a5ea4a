"""Atheris harness: a file's bytes through the whole pipeline (linter.api.lint).

The first byte picks the file name suffix; the rest is the content. Seed it with the shared corpus:
    python fuzz/fuzz_pipeline.py fuzz/corpus/pipeline -max_total_time=1800 -timeout=20 -rss_limit_mb=2048
(fuzz/README.md has the set-up.) A crash, a hang (-timeout) or memory over -rss_limit_mb is a bug.
"""
from __future__ import annotations

import sys

import _common
import atheris

with atheris.instrument_imports(include=["linter"]):
    from linter.api import Options, lint

SUFFIXES = (".json", ".yaml", ".yml", ".jsonc")
OPTIONS = Options(jobs=1)


def TestOneInput(data: bytes) -> None:
    if not data:
        return
    path = _common.SCRATCH / f"input{SUFFIXES[data[0] % len(SUFFIXES)]}"
    path.write_bytes(data[1:])
    _common.check_result(lint([str(path)], OPTIONS))


def main() -> None:
    atheris.Setup(sys.argv, TestOneInput)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
