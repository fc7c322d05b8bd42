"""Batch notices: one 通知 and one ledger (台账) per member unit with tasks in a plan.

- `recipients`  who gets which tasks (groups expanded through the registry), lead or support
- `names`       safe, unique file names from unit names
- `ledger`      the .xlsx ledger a unit fills in and returns
- `notice`      the 通知 document per unit (fast: the template is compiled once)
- `run`         the job: select, render in processes, write atomically, manifest, report
"""
