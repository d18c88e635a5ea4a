"""Rule documentation, rendered from the rule records: `acrlint rule ID` and docs/rules/*.md use the same text."""
from __future__ import annotations

import json
from typing import Any

from linter.model import RuleMeta

# Display names for the keys of a record's `equivalents` (schemas/rule.schema.json), in display order.
EQUIVALENT_LABELS = {
    "psrule": "PSRule for Azure",
    "checkov": "Checkov",
    "policy": "Azure Policy",
}


def _section(title: str, body: str) -> str:
    return f"## {title}\n\n{body.strip()}\n\n"


def _fence_lang(code: str) -> str:
    """The code-fence language of an example: json when it parses, jsonc for JSON with comments or
    fragments, yaml for a configuration snippet, text otherwise."""
    text = code.strip()
    try:
        json.loads(text)
        return "json"
    except ValueError:
        pass
    if text.startswith(("{", "[", "//")):
        return "jsonc"
    first = text.splitlines()[0] if text else ""
    if ":" in first and not first.startswith("("):
        return "yaml"
    return "text"


def _block(code: str, lang: str | None = None) -> str:
    return f"```{lang or _fence_lang(code)}\n{code.strip()}\n```"


def _example(d: dict[str, Any], key: str) -> str:
    out = _block(d[key])
    if d.get(f"{key}_bicep"):
        out += "\n\n" + _block(d[f"{key}_bicep"], "bicep")
    return out


def _default(value: Any) -> str:
    try:
        return json.dumps(value)
    except (TypeError, ValueError):
        return repr(value)


def _code(text: str) -> str:
    """``text`` as an inline code span (a message template may hold '*' or '_', which Markdown would read)."""
    fence = "``" if "`" in text else "`"
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _messages(meta: RuleMeta) -> str:
    """The message and its named variants, as the rule reports them ({name}: a field the rule fills)."""
    rows = [f"- {_code(meta.message)}"]
    rows += [f"- `{name}`: {_code(text)}" for name, text in meta.messages.items()]
    return "\n".join(rows)


def render_rule_markdown(meta: RuleMeta) -> str:
    d = meta.docs
    out = f"# {meta.id} {meta.name}\n\n**{meta.title}**\n\n"
    presets = ", ".join(f"`{p}`" for p in meta.presets) or "none (enable it in the configuration)"
    out += f"Default severity: `{meta.severity}`. Presets: {presets}."
    if meta.applies_to:
        out += f" Applies to: {', '.join(f'`{t}`' for t in meta.applies_to)}."
    out += "\n\n"
    out += _section("What it does", d.get("what", ""))
    out += _section("Why is this bad?", d.get("why", ""))
    if d.get("fail"):
        out += _section("Example", _example(d, "fail"))
    if d.get("pass"):
        out += _section("Use instead", _example(d, "pass"))
    if meta.remediation:
        out += _section("How to fix", meta.remediation)
    out += _section("Messages", _messages(meta))
    if meta.options:
        rows = "\n".join(
            f"- `{name}` ({o['type']}, default `{_default(o['default'])}`): {o['description']}"
            for name, o in meta.options.items()
        )
        out += _section("Options", rows)
    if d.get("notes"):
        out += _section("Notes", d["notes"])
    eq = meta.equivalents or {}
    keys = [k for k in EQUIVALENT_LABELS if eq.get(k)] + sorted(k for k in eq if k not in EQUIVALENT_LABELS and eq[k])
    if keys:
        rows = "\n".join(f"- {EQUIVALENT_LABELS.get(k, k)}: {', '.join(f'`{v}`' for v in eq[k])}" for k in keys)
        out += _section("Equivalent checks elsewhere", rows)
    if meta.references:
        out += _section("References", "\n".join(f"- <{u}>" for u in meta.references))
    return out.rstrip("\n") + "\n"


def render_rule_text(meta: RuleMeta) -> str:
    """The same content for a terminal: the Markdown as is (it reads well as plain text)."""
    return render_rule_markdown(meta)
