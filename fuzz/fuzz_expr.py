"""Atheris harness: ARM template expressions -> parse and evaluate.

Contract: ExprError or a value; no other exception, no hang (libFuzzer's -timeout catches those).
Run: python fuzz/fuzz_expr.py -max_total_time=600 -timeout=10   (see fuzz/README.md)
"""
from __future__ import annotations

import sys
from typing import Any

import _common  # noqa: F401 - sets sys.path
import atheris

with atheris.instrument_imports():
    from linter.arm.context import DeploymentContext
    from linter.arm.expr import ExprError, evaluate
    from linter.model import Unknown


class Scope:
    """A scope with a few known names, like tests/test_fuzz_expr.py."""

    def __init__(self) -> None:
        self.ctx = DeploymentContext()

    def parameter(self, name: str) -> Any:
        values = {"s": "text", "n": 3, "a": [1, "x", None], "o": {"k": "v"}, "u": Unknown("u")}
        if name in values:
            return values[name]
        raise ExprError(f"The template parameter '{name}' is not found.")

    def variable(self, name: str) -> Any:
        if name == "v":
            return {"list": [1, 2, 3]}
        raise ExprError(f"The template variable '{name}' is not found.")

    def copy_index(self, loop: str | None, offset: int) -> Any:
        return offset

    def reference(self, target: Any, api_version: Any, full: bool) -> Any:
        return Unknown("ref")

    def references(self, symbolic_name: str, full: bool) -> Any:
        return Unknown("refs")

    def __getattr__(self, name: str) -> Any:  # any other scope hook: unknown
        def hook(*args: Any, **kwargs: Any) -> Any:
            raise ExprError(f"{name} is not available here")
        return hook


SCOPE = Scope()


def TestOneInput(data: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(data)
    text = fdp.ConsumeUnicodeNoSurrogates(fdp.remaining_bytes())
    if not text.startswith("["):
        text = "[" + text + "]"
    try:
        evaluate(text, SCOPE)
    except ExprError:
        pass


def main() -> None:
    atheris.Setup(sys.argv, TestOneInput)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
