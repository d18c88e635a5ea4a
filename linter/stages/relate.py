"""The relate stage: the resources of all files as one inventory, as Azure applies them.

A file that another linted file deploys (a Bicep module, a linked template) is checked as its parents deploy it;
a property the resource's API version does not define is taken out (the effective view); then everything is
indexed once (linter.inventory.Inventory: by type, id, name; who deploys what, which scopes concern which)."""
from __future__ import annotations

from linter.checks.apischema import effective_view
from linter.context import RunContext
from linter.inventory import Inventory
from linter.stages.decode import FileState


def run(ctx: RunContext, states: list[FileState]) -> Inventory:
    _prefer_parent_instances(states)
    resources = [r for s in states for r in s.resources]
    for res in resources:
        effective_view(res)
    return Inventory(resources)


def _prefer_parent_instances(states: list[FileState]) -> None:
    """A file that another linted file deploys (a Bicep module, a linked template) and that is linted itself too:
    its resources are checked as its parents deploy them, with their values, not again with its own defaults
    (required parameters unknown). When no parent deploys any of them (a module in a loop over an empty
    list), the file's own expansion stays."""
    deployed = {r.file for s in states for r in s.resources if r.file != s.path}
    for s in states:
        if s.path in deployed:
            s.resources = [r for r in s.resources if r.file != s.path]
