"""Rule documentation, rendered from the rule records: `acrlint rule ID` and docs/rules/*.md use the same text."""
from __future__ import annotations

from linter.model import RuleMeta

DOCS_BASE = "https://github.com/acrlint/acrlint/blob/main/docs/rules"


def _section(title: str, body: str) -> str:
    return f"## {title}\n\n{body.strip()}\n\n"


def _block(code: str, lang: str) -> str:
    return f"```{lang}\n{code.strip()}\n```"


def render_rule_markdown(meta: RuleMeta) -> str:
    d = meta.docs
    out = f"# {meta.id} {meta.name}\n\n**{meta.title}**\n\n"
    out += f"Default severity: `{meta.severity}`. Presets: {', '.join(f'`{p}`' for p in meta.presets) or 'none (enable it in the configuration)'}."
    if meta.applies_to:
        out += f" Applies to: {', '.join(f'`{t}`' for t in meta.applies_to)}."
    out += "\n\n"
    out += _section("What it does", d.get("what", ""))
    out += _section("Why is this bad?", d.get("why", ""))
    if d.get("fail"):
        example = _block(d["fail"], "json")
        if d.get("fail_bicep"):
            example += "\n\n" + _block(d["fail_bicep"], "bicep")
        out += _section("Example", example)
    if d.get("pass"):
        example = _block(d["pass"], "json")
        if d.get("pass_bicep"):
            example += "\n\n" + _block(d["pass_bicep"], "bicep")
        out += _section("Use instead", example)
    if meta.remediation:
        out += _section("How to fix", meta.remediation)
    if meta.options:
        rows = "\n".join(f"- `{name}` ({o['type']}, default `{o['default']!r}`): {o['description']}" for name, o in meta.options.items())
        out += _section("Options", rows)
    if d.get("notes"):
        out += _section("Notes", d["notes"])
    eq = meta.equivalents
    if eq:
        rows = "\n".join(f"- {k}: {', '.join(v)}" for k, v in eq.items() if v)
        if rows:
            out += _section("Equivalent checks elsewhere", rows)
    if meta.references:
        out += _section("References", "\n".join(f"- <{u}>" for u in meta.references))
    return out


def render_rule_text(meta: RuleMeta) -> str:
    """The same content for a terminal: the Markdown as is (it reads well as plain text)."""
    return render_rule_markdown(meta)


def rule_doc_url(meta: RuleMeta) -> str:
    return f"{DOCS_BASE}/{meta.id}.md"
