"""Cascading a plan down the levels (city -> streets -> villages).

- `scope`    which parent tasks fall to a sub-organisation; unit and level-word mapping
- `targets`  splitting quantitative targets among sub-organisations
- `derive`   parent plan -> child plan tree (pure)
- `merge`    three-way merge of a re-derived child into the drafter's edited child
- the job that runs it is `docgen.jobs.cascade`
"""
