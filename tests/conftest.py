"""Shared test configuration: `pytest --update-snapshots` rewrites the expected findings of fixtures."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-snapshots", action="store_true", default=False,
                     help="rewrite tests/fixtures/**/*.expected.json from the current output (review the diff)")


@pytest.fixture
def update_snapshots(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-snapshots"))


@pytest.fixture(autouse=True)
def _no_ci_env(monkeypatch: pytest.MonkeyPatch) -> None:
    # `--format auto` and colour depend on these; tests set them explicitly when they need them
    for name in ("GITHUB_ACTIONS", "TF_BUILD", "NO_COLOR"):
        monkeypatch.delenv(name, raising=False)


SHARED = ROOT.parent / "shared"
os.environ.setdefault("ACRLINT_SHARED", str(SHARED))


# Findings that depend on today's date (ACR427 "older than three years") are computed against a fixed day in
# tests, so that the expected findings do not change as the calendar moves.
TEST_TODAY = __import__("datetime").date(2026, 11, 23)
from linter.checks import apischema as _apischema  # noqa: E402

_apischema.REFERENCE_DATE = TEST_TODAY
