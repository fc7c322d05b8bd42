"""The catalogue of finding codes emitted by the stages themselves (not by lint rules).

- `base`    `Code`: a stable code, a readable name, a default severity, docs in its docstring
- `syntax`  DG0xx  load and schema: the file must be readable YAML of the right shape
- `ledger`  DG6xx  collect: returned ledgers must be readable and match the plan
- `ingest`  DG7xx  import: what could not be read or recovered from a received document

Lint rules (`docgen.rules`) are `Code`s with a `check`; `docgen.rules.registry` lists both.
Stages import codes from here, never from `docgen.rules`, so loading never depends on linting.
"""
