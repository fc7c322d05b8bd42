"""Batch notices: one 通知 and one ledger (台账) per member unit with tasks in a plan.

- `recipients`  who gets which tasks (groups expanded through the registry), lead or support
- `names`       safe, unique file names from unit names
- `ledger`      the .xlsx ledger a unit fills in and returns

- the job that runs it is `docgen.jobs.notify`; the notice is composed in `docgen.compose.notice`
"""
