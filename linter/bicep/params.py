"""``.bicepparam`` files: ``using 'main.bicep'`` and ``param name = value`` (values may be expressions over the
file's own variables and imports). Read into a parameters document whose values are JSON, or ARM expressions
("[...]") that the expand stage evaluates (linter.bicep.pipeline.parameter_values)."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from linter.bicep import syntax as s
from linter.bicep.document import BicepDocument
from linter.bicep.emit import Ctx, Emitter, TranslateError
from linter.bicep.parser import parse
from linter.model import join_pointer

if TYPE_CHECKING:
    from linter.bicep.reader import _Reader

PARAMETERS_SCHEMA = "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#"


def read_params(path: str, text: str, reader: _Reader) -> BicepDocument:
    program = parse(text, params_file=True)
    emitter = Emitter(program, path, reader.load_module, reader.read_file, reader.load_module)
    emitter.collect()
    using: str | None = None
    values: dict[str, Any] = {}
    for stmt in program.statements:
        if isinstance(stmt, s.Using):
            using = stmt.path
            emitter.map("/using", (stmt.path_start, stmt.path_end))
        elif isinstance(stmt, s.ParamValue):
            pointer = join_pointer("", "parameters", stmt.name)
            emitter.map(pointer, stmt)
            try:
                values[stmt.name] = {"value": emitter.value(stmt.value, Ctx(), join_pointer(pointer, "value"))}
            except TranslateError as exc:
                emitter.problem(exc.message, exc.start, exc.end)
                values[stmt.name] = {"value": "[" + emitter.unknown() + "]"}
        elif isinstance(stmt, (s.Resource, s.Module, s.Output, s.Param, s.TargetScope)):
            emitter.problem("a .bicepparam file holds only 'using', 'param', 'var', 'import', 'type' and 'func'",
                            stmt.start, stmt.start + 1)
    variables = emitter._variables()
    functions = emitter.finish_imports(variables, emitter._own_functions())
    document: dict[str, Any] = {"$schema": PARAMETERS_SCHEMA, "contentVersion": "1.0.0.0", "parameters": values}
    # what the values' expressions need, for the expand stage (not part of the ARM parameters format)
    if variables or functions or emitter.uses_unknown:
        document["acrlint:scope"] = {"variables": variables, "functions": functions, "unknown": emitter.uses_unknown}
    return BicepDocument(path, text, document, emitter.smap, emitter.problems, {}, using)
