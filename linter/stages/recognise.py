"""The recognise stage: what each decoded document is (linter.kinds): a template, a parameters file, resources, an
ASO manifest, or not ours. A file with nothing of ours in it is skipped, with the reason (shown by -v)."""
from __future__ import annotations

from linter import kinds
from linter.constants import DUPLICATE_KEY
from linter.context import RunContext
from linter.stages.decode import FileState


def run(ctx: RunContext, state: FileState) -> FileState:
    if state.text is None:  # not read, not decoded, or skipped before decoding: decode said why
        return state
    if not state.documents:
        if not state.failed:
            state.skipped_why = "empty document"
        return state
    whys = []
    for doc in state.documents:
        rec = kinds.recognise(doc)
        state.kinds.append(rec.kind)
        whys.append(rec.why)
    # a duplicate key in a document that is not an Azure definition (a package.json) is not ours to report
    state.findings = [f for f in state.findings
                      if f.rule_id != DUPLICATE_KEY or (f.doc < len(state.kinds) and state.kinds[f.doc] is not None)]
    if all(kind is None for kind in state.kinds):
        state.skipped_why = whys[0] if len(set(whys)) == 1 else "; ".join(sorted(set(whys)))
    return state
