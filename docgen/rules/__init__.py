"""Lint rules. The registry of all rules is `docgen.rules.registry`; one family per module
(codes of the load, schema and collect stages, DG0xx and DG6xx, are in `docgen.codes`):

- `structure`  DG1xx  task ids, parent plans and tasks, attachments, nesting
- `units`      DG2xx  responsible units and the unit registry
- `deadlines`  DG3xx  deadlines and document dates
- `wording`    DG4xx  发文字号, dates, titles, punctuation, numbering, level words
- `cascade`    DG5xx  child plans implement their parent: tasks, targets, basis, merge conflicts
"""
