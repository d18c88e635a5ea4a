"""Property tests: the Bicep reader never raises, whatever the text; every problem it reports lies inside the text;
and a real module with random damage still reads (a damaged declaration costs only itself)."""
from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from linter.bicep.reader import read

SETTINGS = settings(max_examples=300, derandomize=True, deadline=None)

TOKENS = st.sampled_from(list("{}[]()'\"\n :.,?!=<>@|#/*\\$-+%&~") + [
    "${", "'''", "//", "/*", "*/", "resource ", "module ", "for ", " in ", "if ", "param ", "var ", "output ",
    "existing ", "type ", "func ", "import ", "=> ", "...", ".?", "??", "::", "true", "null", "1", "x", "\r\n",
    "'Microsoft.ContainerRegistry/registries@2025-11-01'", "targetScope", "@description('d')", "\U0001f600", "\x85",
])
BICEPISH = st.lists(st.one_of(TOKENS, st.text(max_size=3)), max_size=60).map("".join)
SAMPLE = (Path(__file__).resolve().parent / "data" / "avm-bicep" / "container-registry" / "registry" / "main.bicep")


def check(text: str) -> None:
    doc = read("fuzz.bicep", text)
    for problem in doc.problems:
        assert 0 <= problem.start <= max(len(text), 1) and problem.start < problem.end
    assert isinstance(doc.template, dict)


@SETTINGS
@given(BICEPISH)
def test_any_text_reads_without_raising(text: str) -> None:
    check(text)


@SETTINGS
@given(st.integers(0, 40_000), st.integers(0, 40), TOKENS)
def test_a_damaged_module_still_reads(at: int, cut: int, insert: str) -> None:
    text = SAMPLE.read_text()
    at = min(at, len(text))
    check(text[:at] + insert + text[at + cut:])
