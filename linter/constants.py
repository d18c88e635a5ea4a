"""The names the code uses for the reserved rules and the severities: written here once.

The rules themselves (their severity, title and every message) are data in rules/ACR0nn.yaml; this module only
names them, so that a module says ``READ_ERROR`` and never spells ``"ACR000"``.
"""
from __future__ import annotations

# Severities, most severe first; a finding's severity is one of these (configuration may change a rule's).
ERROR = "error"
WARNING = "warning"
INFO = "info"
SEVERITIES = (ERROR, WARNING, INFO)
SEVERITY_RANK = {INFO: 1, WARNING: 2, ERROR: 3}

# Reserved rules: what acrlint reports about the run itself and the files it reads.
READ_ERROR = "ACR000"  # a file that cannot be read or parsed
DUPLICATE_KEY = "ACR001"  # a key written twice in one object
CONFIG_ERROR = "ACR002"  # invalid configuration
INTERNAL_ERROR = "ACR003"  # acrlint failed on an input or a rule: the run goes on, the exit code says so
TEMPLATE_ERROR = "ACR004"  # a template ARM would reject: an expression, a copy loop, a type
NOT_FOLLOWED = "ACR005"  # a linked template, module or file that is not read
PARAMETER_ERROR = "ACR006"  # a parameter value that does not fit its declaration
SUPPRESSION_PROBLEM = "ACR007"  # a suppression without a reason, one that matches nothing, an unknown rule id
SUPPRESSION_EXPIRED = "ACR008"  # a configuration suppression past its expiry date
RESERVED = (READ_ERROR, DUPLICATE_KEY, CONFIG_ERROR, INTERNAL_ERROR, TEMPLATE_ERROR, NOT_FOLLOWED, PARAMETER_ERROR,
            SUPPRESSION_PROBLEM, SUPPRESSION_EXPIRED)
# Rules that name a property the resource's API version does not define: Azure ignores it, so the relate stage
# takes it out of what the other rules see (linter.checks.apischema.effective_view)
UNDEFINED_PROPERTY = ("ACR426", "ACR501")
TOOL_FAILURES = frozenset({READ_ERROR, INTERNAL_ERROR})  # acrlint could not do its job: exit code 2, never baselined
