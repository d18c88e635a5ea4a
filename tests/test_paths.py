"""Issue 14 item 3: one glob engine (linter.paths) with gitignore semantics for ``exclude``, ``--exclude``,
suppressions' ``path`` and .gitignore, patterns relative to the configuration file's directory; the same answers
as ``git check-ignore``; polynomial time on hostile patterns."""
from __future__ import annotations

import os
import random
import shutil
import subprocess
from pathlib import Path

import pytest
from runner import git, registry, repo, run, template, write

from linter.paths import GlobSet, parse

BASE = "/r"


def excluded(patterns: list[str], path: str, is_dir: bool = False) -> bool:
    return GlobSet([g for g in (parse(p, BASE) for p in patterns) if g is not None]).excluded(f"{BASE}/{path}", is_dir)


@pytest.mark.parametrize(
    ("patterns", "path", "expected"),
    [
        (["*.json"], "a/b/c.json", True),  # no slash: a name at any depth
        (["*.parameters.json"], "main.parameters.json", True),
        (["generated"], "a/generated/y.json", True),  # and everything below a match
        (["generated/**"], "generated/x/y.json", True),
        (["generated/**"], "generated", False),  # /** is what is inside, not the directory itself
        (["generated/**"], "x/generated/y.json", False),  # a slash in the middle anchors
        (["/generated"], "a/generated/y.json", False),  # so does one at the start
        (["/generated"], "generated/y.json", True),
        (["a/*.json"], "a/x/c.json", False),  # * stays within a segment
        (["a/**/c.json"], "a/c.json", True),  # /**/ is zero or more directories
        (["a/**/c.json"], "a/x/y/c.json", True),
        (["**/c.json"], "c.json", True),
        (["build/"], "build/x.json", True),  # a trailing slash: directories only
        (["build/"], "build", False),
        (["my dir/*.json"], "my dir/t.json", True),
        (["t?.json"], "tx.json", True),
        (["t?.json"], "t/.json", False),
        (["[ab].json"], "c.json", False),
        (["[!ab].json"], "c.json", True),
        (["[^ab].json"], "a.json", False),
        (["[[:digit:]].json"], "7.json", True),
        (["*.json", "!keep.json"], "keep.json", False),  # negation includes a file again
        (["*.json", "!keep.json", "keep.json"], "keep.json", True),  # the last match decides
        (["gen/", "!gen/keep.json"], "gen/keep.json", True),  # but not inside an excluded directory
        (["gen/*", "!gen/keep.json"], "gen/keep.json", False),
        (["#x"], "#x", False),  # a comment
        (["\\#x"], "#x", True),
        (["\\!x"], "!x", True),
        (["x.json   "], "x.json", True),  # trailing blanks dropped
        (["x\\ "], "x ", True),  # unless escaped
        (["[ab"], "[ab", False),  # an unterminated class matches nothing, as in git
        (["a*b"], "axxb", True),
        (["a**b"], "ax/b", False),  # ** within a segment is one *
        (["*a*a*a*a*a*a*a*a*b"], "a" * 4000, False),
        (["**"], "a/b.json", True),
        (["./generated/"], "generated/x.json", True),  # as people write it in a configuration: anchored
        (["./generated/"], "a/generated/x.json", False),
        (["[[:upper:]]*"], "É.json", False),  # classes are ASCII, as git's (C locale)
        (["[z-a]x"], "bx", False),  # a reversed range matches nothing
    ],
)
def test_gitignore_semantics(patterns: list[str], path: str, expected: bool) -> None:
    assert excluded(patterns, path) is expected


def test_hostile_patterns_are_answered() -> None:
    # Python's re (which pathspec compiles gitwildmatch patterns to) backtracks exponentially on these;
    # the segment matcher costs at most len(pattern) x len(name) steps: bench/run.py --hostile measures it
    name = "a" * 2000
    for pattern in ("*a*a*a*a*a*a*a*a*a*a*a*a*b", "*" + "?*" * 200 + "b", "**/" * 300 + "*a*a*a*b", "[a]*" * 200 + "b"):
        assert excluded([pattern], f"x/{name}") is False
        assert excluded([pattern], f"x/{name}b") is True
    assert excluded(["**/" * 300 + "b"], "/".join(["a"] * 500) + "/b") is True


def test_patterns_never_match_outside_their_base() -> None:
    globs = GlobSet([g for g in (parse("*.json", "/r/sub"),) if g])
    assert globs.excluded("/r/sub/x.json") and not globs.excluded("/r/x.json") and not globs.excluded("/r/subx/x.json")


def test_globs_survive_pickling() -> None:
    import pickle

    g = parse("a/[!b]*/**/*.json", BASE)
    assert g is not None
    copy = GlobSet([pickle.loads(pickle.dumps(g))])
    assert copy.excluded("/r/a/c/x/y.json") and not copy.excluded("/r/a/b/x/y.json")


# ---------------------------------------------------------------------------------------- against git itself

_NAMES = ["a", "b", "ab", "a.json", "b.yaml", ".h", "x-1", "aa", "ba.json", "[a]", "a b", "#c", "!d", "a\\b"]
_ATOMS = ["a", "b", "*", "?", ".json", "[ab]", "[!a]", "[a-c]", "\\*", "x", ".", "-", "[[:alpha:]]", "[", "\\", " ",
          "#", "!", "[]a]", "[^b]", "\\ ", "[/]", "\\/"]


@pytest.mark.skipif(shutil.which("git") is None, reason="git not installed")
def test_same_answers_as_git_check_ignore(tmp_path: Path) -> None:
    """Random patterns (whole-segment ``**`` only: git's matcher treats ``a**/`` specially, against its own
    documentation, which acrlint follows) over random trees: every path excluded exactly when git ignores it."""
    rnd = random.Random(14)

    def segment() -> str:
        return "**" if rnd.random() < 0.15 else "".join(rnd.choice(_ATOMS) for _ in range(rnd.randint(1, 3)))

    def pattern() -> str:
        p = "/".join(segment() for _ in range(rnd.randint(1, 3)))
        if p.startswith("./"):  # git matches nothing with it; acrlint reads it as anchored (see above)
            p = "x" + p
        return ("!" if rnd.random() < 0.15 else "") + ("/" if rnd.random() < 0.2 else "") + p + ("/" if rnd.random() < 0.2 else "")

    compared = 0
    for trial in range(60):
        d = tmp_path / str(trial)
        d.mkdir()
        git(d, "init", "-q")
        for _ in range(20):
            parts = [rnd.choice(_NAMES) for _ in range(rnd.randint(1, 4))]
            try:
                (d.joinpath(*parts[:-1])).mkdir(parents=True, exist_ok=True)
                if not d.joinpath(*parts).is_dir():
                    d.joinpath(*parts).touch()
            except OSError:
                continue
        paths = sorted(str(p.relative_to(d)) for p in d.rglob("*") if ".git" not in p.relative_to(d).parts)
        patterns = [pattern() for _ in range(rnd.randint(1, 4))]
        (d / ".gitignore").write_text("\n".join(patterns) + "\n")
        out = subprocess.run(["git", "check-ignore", "--stdin", "-z", "-v", "-n", "--no-index"], cwd=d, capture_output=True,
                             text=True, input="\0".join(paths) + "\0").stdout.split("\0")
        ignored = {out[k + 3]: bool(out[k + 2]) and not out[k + 2].startswith("!") for k in range(0, len(out) - 3, 4)}
        globs = GlobSet([g for g in (parse(p, str(d)) for p in patterns) if g is not None])
        for p in paths:
            assert globs.excluded(str(d / p), (d / p).is_dir()) is ignored[p], (patterns, p)
            compared += 1
    assert compared > 1000


# ---------------------------------------------------------------------------------------------- end to end


def reported(out: str) -> list[str]:
    """The files of the findings in parsable output."""
    return [line.split(":", 1)[0] for line in out.splitlines()]


def tree(root: Path) -> None:
    for name in ("infra/main.json", "infra/legacy/old.json", "infra/generated/gen.json", "generated/top.json",
                 "infra/x.parameters.json", ".azure/env.json"):
        write(root / name, template(registry()))


ARGS = ["--select", "ACR104", "--format", "parsable"]


def test_config_patterns_are_relative_to_the_config_file_from_any_directory(tmp_path: Path) -> None:
    root = repo(tmp_path / "repo")
    tree(root)
    write(root / ".acrlint.yaml", "exclude: ['/infra/legacy/', 'generated/', '*.parameters.json']\n")
    expected = [".azure/env.json", "infra/main.json"]
    assert reported(run(root, ".", *ARGS)[1]) == ["./" + p for p in expected]
    assert reported(run(root, *ARGS, "infra", ".azure")[1]) == [".azure/env.json", "infra/main.json"]
    # from a subdirectory: the anchored pattern is still relative to the configuration file
    assert reported(run(root / "infra", ".", *ARGS)[1]) == ["./main.json"]
    assert reported(run(root / "infra", *ARGS, "legacy/old.json", "main.json", "-v")[1]) == ["main.json"]
    rc, _, err = run(root / "infra", *ARGS, "legacy/old.json", "-v")
    assert (rc, err.splitlines()[1:]) == (0, ["acrlint: skipped legacy/old.json: excluded by the pattern '/infra/legacy/'"])


def test_command_line_patterns_are_relative_to_the_working_directory_and_can_include_again(tmp_path: Path) -> None:
    root = repo(tmp_path / "repo")
    tree(root)
    write(root / ".acrlint.yaml", "exclude: ['generated/']\n")
    assert reported(run(root / "infra", ".", *ARGS, "--exclude", "/main.json")[1]) == ["./legacy/old.json", "./x.parameters.json"]
    # a later !pattern includes again what an earlier one excluded (not below an excluded directory)
    assert reported(run(root / "infra", ".", *ARGS, "--exclude", "*.json,!main.json")[1]) == ["./main.json"]


def test_suppression_paths_are_relative_to_the_config_file(tmp_path: Path) -> None:
    root = repo(tmp_path / "repo")
    tree(root)
    write(root / ".acrlint.yaml", "suppressions:\n  - {rule: ACR104, path: '/infra/legacy/**', reason: retired}\n")
    rc, out, _ = run(root / "infra", "legacy/old.json", "main.json", *ARGS)
    assert (rc, reported(out)) == (1, ["main.json"])
    rc, out, _ = run(root / "infra" / "legacy", "old.json", *ARGS)
    assert (rc, out) == (0, "")


def test_a_negated_suppression_path_is_invalid(tmp_path: Path) -> None:
    root = repo(tmp_path / "repo")
    write(root / "main.json", template(registry()))
    write(root / ".acrlint.yaml", "suppressions:\n  - {rule: ACR104, path: '!legacy/**', reason: x}\n")
    rc, out, err = run(root, "main.json")
    assert (rc, out) == (2, "")
    assert err == ("acrlint: ACR002 invalid configuration: .acrlint.yaml:2:26: $.suppressions[0].path: a suppression's path "
                   "cannot be negated with '!' (it says which files the suppression covers)\n")


def test_gitignore_is_honoured_in_directory_walks(tmp_path: Path) -> None:
    root = repo(tmp_path / "repo")
    tree(root)
    write(root / ".gitignore", "generated/\n*.parameters.json\n")
    write(root / "infra" / ".gitignore", "legacy/\n!x.parameters.json\n")
    write(root / ".git" / "info" / "exclude", ".azure/\n")
    assert reported(run(root, ".", *ARGS)[1]) == ["./infra/main.json", "./infra/x.parameters.json"]
    # walking a subdirectory: the .gitignore files above it apply too
    assert reported(run(root / "infra", ".", *ARGS)[1]) == ["./main.json", "./x.parameters.json"]
    # files named explicitly are linted, as are walks with --no-respect-gitignore or respect-gitignore: false
    assert reported(run(root, *ARGS, "generated/top.json")[1]) == ["generated/top.json"]
    everything = ["./.azure/env.json", "./generated/top.json", "./infra/generated/gen.json", "./infra/legacy/old.json",
                  "./infra/main.json", "./infra/x.parameters.json"]
    assert reported(run(root, ".", *ARGS, "--no-respect-gitignore")[1]) == everything
    write(root / ".acrlint.yaml", "respect-gitignore: false\n")
    assert reported(run(root, ".", *ARGS)[1]) == everything
    assert reported(run(root, ".", *ARGS, "--respect-gitignore")[1]) == ["./infra/main.json", "./infra/x.parameters.json"]


def test_a_directory_git_ignores_can_still_be_named(tmp_path: Path) -> None:
    root = repo(tmp_path / "repo")
    tree(root)
    write(root / ".gitignore", "generated/\n")
    assert reported(run(root, "generated", *ARGS)[1]) == ["generated/top.json"]


def test_hidden_directories_are_walked_but_not_version_control_or_caches(tmp_path: Path) -> None:
    root = repo(tmp_path / "repo")
    for name in (".azure/a.json", ".pipelines/b.json", ".git/c.json", ".venv/d.json", "node_modules/e.json", ".ruff_cache/f.json"):
        write(root / name, template(registry()))
    assert reported(run(root, ".", *ARGS, "--no-respect-gitignore")[1]) == ["./.azure/a.json", "./.pipelines/b.json"]


def test_a_huge_gitignore_is_read_only_in_part(tmp_path: Path) -> None:
    from linter import discover

    root = repo(tmp_path / "repo")
    write(root / "keep.json", template(registry()))
    write(root / ".gitignore", "".join(f"*{i}*a*a*a*a*a*b\n" for i in range(discover.MAX_GITIGNORE_PATTERNS)) + "keep.json\n")
    # the patterns beyond the limit are not read: keep.json is linted
    assert [os.path.basename(t.path) for t in discover.discover([str(root)], respect_gitignore=True)] == ["keep.json"]
