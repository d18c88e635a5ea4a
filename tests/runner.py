"""Running acrlint as users do, in its own process, and writing small trees of files for it (tests of issue 14)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.helpers import restricted_registry as registry  # noqa: F401 - the tests of issue 14 import it from here
from tests.helpers import template  # noqa: F401
from tests.helpers import write_file as write  # noqa: F401

ROOT = Path(__file__).resolve().parent.parent

TIMEOUT = 120


def clean_env(**extra: str) -> dict[str, str]:
    out = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    for name in ("GITHUB_ACTIONS", "TF_BUILD", "NO_COLOR", "FORCE_COLOR", "GITLAB_CI"):
        out.pop(name, None)
    out.update(extra)
    return out


def run(cwd: Path, *args: str, env: dict[str, str] | None = None, stdin: str | None = None) -> tuple[int, str, str]:
    """(exit code, stdout, stderr) of ``acrlint ARGS`` run in ``cwd``."""
    proc = subprocess.run([sys.executable, "-m", "linter", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=TIMEOUT, env=env or clean_env(), input=stdin,
                          stdin=None if stdin is not None else subprocess.DEVNULL)
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc.returncode, proc.stdout, proc.stderr


def git(cwd: Path, *args: str) -> str:
    proc = subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True,
                          env=dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.com",
                                   GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.com"))
    return proc.stdout


def repo(path: Path) -> Path:
    """An empty git repository at ``path`` (a .git directory is all acrlint looks for)."""
    (path / ".git").mkdir(parents=True, exist_ok=True)
    return path
