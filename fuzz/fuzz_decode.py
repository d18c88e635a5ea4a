"""Atheris harness: bytes -> linter.decode.decode_bytes as JSON and as YAML.

Contract: DecodeError (with a 1-based line/column when set) or a Decoded value; nothing else escapes.
Run: python fuzz/fuzz_decode.py fuzz/corpus/decode -max_total_time=600   (see fuzz/README.md)
"""
from __future__ import annotations

import sys

import _common  # noqa: F401 - sets sys.path
import atheris

with atheris.instrument_imports():
    from linter.decode import DecodeError, decode_bytes


def TestOneInput(data: bytes) -> None:
    if not data:
        return
    fmt = "json" if data[0] & 1 else "yaml"
    try:
        decoded = decode_bytes(data[1:], fmt)
    except DecodeError as exc:
        if exc.line is not None and (exc.line < 1 or (exc.column or 1) < 1):
            raise AssertionError(f"bad position in {exc!r}") from None
        return
    assert decoded.fmt == fmt and isinstance(decoded.documents, list)


def main() -> None:
    atheris.Setup(sys.argv, TestOneInput)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
