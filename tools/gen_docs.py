#!/usr/bin/env python3
"""Generate the rule documentation from the rule records in rules/*.yaml.

Writes, relative to the repository root:

* ``docs/rules/<ID>.md`` for every rule: ``linter.docs.render_rule_markdown``, the same text
  ``acrlint rule ID`` prints. Files ``docs/rules/ACRnnn.md`` of rules that no longer exist are deleted.
* ``docs/rules/README.md``: an index of every rule with links, grouped by family (0xx tool, 1xx trusted
  services, 2xx clients, 3xx roles, 4xx hardening, 5xx schema).
* The rule table in ``README.md`` between ``<!-- rules:start -->`` and ``<!-- rules:end -->``, when README.md
  exists and has both markers (``rule_table_markdown()`` renders it).

The output depends only on the records: rules in id order, LF line endings, no dates.

Run ``python tools/gen_docs.py`` after changing any rule record. ``--check`` writes nothing, lists the files
that are missing, out of date or should be deleted, and exits 1 when there is one (0 when all are current).
"""
from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Mapping
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from linter.docs import render_rule_markdown  # noqa: E402
from linter.model import RuleMeta  # noqa: E402

DOCS_DIR = Path("docs") / "rules"
INDEX = DOCS_DIR / "README.md"
README = Path("README.md")
START, END = "<!-- rules:start -->", "<!-- rules:end -->"
RULE_FILE = re.compile(r"^ACR\d{3}\.md$")

# Family of a rule: the hundreds digit of its number.
FAMILIES = (
    ("0", "Tool", "Problems with the input or with acrlint itself: unreadable files, configuration, expressions, suppressions."),
    ("1", "Trusted services", "How a network-restricted registry treats the trusted-services exception."),
    ("2", "Clients", "Services that pull from a registry: identities, roles and network paths that make the pull fail."),
    ("3", "Roles", "Role assignments on registries and custom roles over Microsoft.ContainerRegistry."),
    ("4", "Hardening", "Registry settings: authentication, network exposure, SKU features, data protection, API versions."),
    ("5", "Schema", "Resource bodies checked against Azure's resource type definitions."),
)


def _rules(rules: Mapping[str, RuleMeta] | None) -> Mapping[str, RuleMeta]:
    if rules is not None:
        return rules
    from linter.engine.rules import load_rules

    return load_rules()


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def _presets(meta: RuleMeta) -> str:
    return ", ".join(meta.presets) if meta.presets else "none"


def _row(meta: RuleMeta, link: str) -> str:
    return (f"| [{meta.id}]({link}) | `{meta.name}` | {meta.severity} | {_presets(meta)} | "
            f"{_cell(meta.title)} |")


def rule_table_markdown(rules: Mapping[str, RuleMeta] | None = None) -> str:
    """The README's rule table: | ID | name | severity | presets | title |, one row per rule in id order,
    each id linking to docs/rules/<ID>.md. Ends with a newline."""
    rules = _rules(rules)
    lines = ["| ID | name | severity | presets | title |", "| --- | --- | --- | --- | --- |"]
    lines += [_row(m, f"{DOCS_DIR.as_posix()}/{m.id}.md") for _, m in sorted(rules.items())]
    return "\n".join(lines) + "\n"


def index_markdown(rules: Mapping[str, RuleMeta] | None = None) -> str:
    """docs/rules/README.md: every rule, grouped by family, linking to its page."""
    rules = _rules(rules)
    ordered = [m for _, m in sorted(rules.items())]
    out = ["# acrlint rules", ""]
    out.append(f"{len(ordered)} rules. Each page is generated from the rule's record in `rules/<ID>.yaml` and is "
               "the text `acrlint rule <ID>` prints. Do not edit these pages by hand: change the record and run "
               "`python tools/gen_docs.py`.")
    out.append("")
    out.append("Severity is the default; presets say which rule sets enable the rule (`strict` enables every rule). "
               "See [coverage](../coverage.md) for how the rules relate to PSRule for Azure, Checkov and Azure Policy.")
    out.append("")
    known = {digit for digit, _, _ in FAMILIES}
    groups = list(FAMILIES) + [("", "Other", "Rules outside the numbered families.")]
    for digit, title, blurb in groups:
        members = [m for m in ordered
                   if (m.id[3:4] == digit if digit else m.id[3:4] not in known)]
        if not members:
            continue
        heading = f"{digit}xx {title}" if digit else title
        out += [f"## {heading}", "", blurb, "",
                "| ID | name | severity | presets | title |", "| --- | --- | --- | --- | --- |"]
        out += [_row(m, f"{m.id}.md") for m in members]
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def replace_region(text: str, table: str) -> str | None:
    """``text`` with the region between the markers replaced by ``table``; None without both markers in order."""
    start = text.find(START)
    end = text.find(END, start + len(START)) if start >= 0 else -1
    if start < 0 or end < 0:
        return None
    return text[: start + len(START)] + "\n" + table + text[end:]


def _read(path: Path) -> str | None:
    try:
        with open(path, encoding="utf-8", newline="") as fh:
            return fh.read()
    except FileNotFoundError:
        return None


def expected_files(root: Path = REPO, rules: Mapping[str, RuleMeta] | None = None,
                   readme: bool = True) -> dict[Path, str]:
    """Every generated file (path relative to ``root``) and its content; README.md only when ``readme``."""
    rules = _rules(rules)
    files: dict[Path, str] = {DOCS_DIR / f"{rid}.md": render_rule_markdown(meta) for rid, meta in sorted(rules.items())}
    files[INDEX] = index_markdown(rules)
    # the parsed rule records for fast start-up (linter/engine/rules.py uses it only while its hash matches)
    from linter.engine.rules import BUNDLE, bundle_text

    files[Path("rules") / BUNDLE] = bundle_text(root / "rules")
    current = _read(root / README) if readme else None
    if current is not None:
        updated = replace_region(current, rule_table_markdown(rules))
        if updated is not None:
            files[README] = updated
    return files


def obsolete_files(root: Path = REPO, rules: Mapping[str, RuleMeta] | None = None) -> list[Path]:
    """docs/rules/ACRnnn.md files of rules that no longer exist (relative to ``root``)."""
    rules = _rules(rules)
    folder = root / DOCS_DIR
    if not folder.is_dir():
        return []
    return sorted(DOCS_DIR / p.name for p in folder.iterdir()
                  if p.is_file() and RULE_FILE.match(p.name) and p.stem not in rules)


def stale_files(root: Path = REPO, rules: Mapping[str, RuleMeta] | None = None,
                readme: bool = True) -> list[tuple[Path, str]]:
    """(path, why) for every generated file that is missing, differs, or should be deleted."""
    out: list[tuple[Path, str]] = []
    for rel, content in expected_files(root, rules, readme).items():
        current = _read(root / rel)
        if current is None:
            out.append((rel, "missing"))
        elif current != content:
            out.append((rel, "out of date"))
    out += [(rel, "rule no longer exists") for rel in obsolete_files(root, rules)]
    return sorted(out)


def write_docs(root: Path = REPO, rules: Mapping[str, RuleMeta] | None = None,
               readme: bool = True) -> list[Path]:
    """Write what differs and delete obsolete pages; return the paths changed (relative to ``root``)."""
    changed: list[Path] = []
    for rel, content in expected_files(root, rules, readme).items():
        path = root / rel
        if _read(path) == content:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        with open(tmp, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(content)
        tmp.replace(path)
        changed.append(rel)
    for rel in obsolete_files(root, rules):
        (root / rel).unlink()
        changed.append(rel)
    return sorted(changed)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true",
                        help="write nothing; list stale files and exit 1 if there are any")
    parser.add_argument("--root", type=Path, default=REPO, help="repository root (default: this checkout)")
    parser.add_argument("--skip-readme", action="store_true", help="leave README.md alone (neither check nor write it)")
    args = parser.parse_args(argv)
    readme = not args.skip_readme
    if args.check:
        stale = stale_files(args.root, readme=readme)
        for rel, why in stale:
            print(f"{rel.as_posix()}: {why}")
        if stale:
            print(f"{len(stale)} generated file(s) stale; run `python tools/gen_docs.py`", file=sys.stderr)
            return 1
        return 0
    for rel in write_docs(args.root, readme=readme):
        print(f"wrote {rel.as_posix()}" if (args.root / rel).exists() else f"deleted {rel.as_posix()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
