"""The stages of a run, in order (linter.pipeline runs them):

    discover -> decode -> recognise -> expand -> relate -> check -> filter -> locate -> report

- discover (linter.discover): the paths given become the files to read, with exclusions applied.
- decode (decode.py): read each file within the size limit and decode it (linter.decode; Bicep through linter.bicep).
- recognise (recognise.py): what each document is (linter.kinds); files with nothing of ours are skipped.
- expand (expand.py): templates evaluated into resources (linter.arm.expand, Bicep through linter.bicep), the
  other shapes mapped onto resources (linter.shapes, linter.exports).
- relate (relate.py): resources as Azure applies them (the effective view), indexed into one Inventory.
- check (check.py): every enabled rule over the inventory (linter.engine: declarative records and checks).
- filter (filter.py): inline, metadata and configuration suppressions, and the baseline.
- locate (locate.py): each finding's line and column, computed once per finding.
- report (report.py): the RunResult every output format renders (linter.report).

Each stage is given the run's one frozen context (linter.context.RunContext).
"""
