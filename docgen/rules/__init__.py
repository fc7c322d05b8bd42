"""Lint rules. The registry of all rules is `docgen.rules.registry`; one family per module:

- `syntax`     DG0xx  the file must be readable YAML of the right shape (load and schema stages)
- `structure`  DG1xx  task ids, parent plans and tasks, attachments, nesting
- `units`      DG2xx  responsible units and the unit registry
- `deadlines`  DG3xx  deadlines and document dates
- `wording`    DG4xx  发文字号, dates, titles, punctuation, numbering, level words
- `cascade`    DG5xx  child plans implement their parent: tasks, targets, basis, merge conflicts
"""
