"""Jobs: the workflows behind each command, built from the stages (load, validate, transform,
compose, write). Stage modules never import a job; the CLI calls only jobs. Every job takes its
plans from the checked-plan entry (`docgen.checked`), finds the composer of a kind through
`docgen.compose.kinds`, and keeps its state in its own objects, never at module level.

- `check`     `docgen check`: every file given, each under its own project's configuration
- `render`    build/render: check -> compose -> .docx -> PDF -> publish
- `cascade`   derive child plans for sub-organisations, merge, check, write
- `notify`    one notice and one ledger per member unit
- `progress`  collect returned ledgers; write the 通报
- `remind`    督办通知 for units with overdue or lagging tasks
- `imports`   import received .docx/.doc/.pdf/.txt documents as plans (来源: 上级来文)
"""
