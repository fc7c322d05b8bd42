"""Compose stage: every document docgen writes, as one document-neutral tree (`tree.Document`).

No layout here: a composer says what the page says, in order; `docgen.render.docx.DocxWriter` writes
every kind through the Word template. Values (完成时限, 责任单位, numbers, dates) are worded by
`docgen.wording`.

- `kinds`     the registry: each kind, its composer and its parts (版头, 主送, 正文, 附件, 署名, 版记)
- `tree`      the document tree: paragraphs with roles, runs with emphasis, signature, tables, 版记
- `composer`  plans: 实施方案 with its 印发通知, 工作要点, 工作意见, 实施意见, 通知; 任务分工表
- `notice`    the task notice to one member unit, and the skeleton it shares with the 督办通知
- `reminder`  the 督办通知 (overdue and lagging tasks of one unit)
- `bulletin`  the 通报 and 挂牌督办通知 files: sentences with figures, tables, charts, lists from data
- `revisions` the 修订对照表 (a table document: 序号, 原文, 修改后, 修改说明)
- `titles`    title line breaking (numbers come from `docgen.numbering`, widths from `docgen.textchars`)
"""

from docgen.compose.composer import ComposeError, compose

__all__ = ["ComposeError", "compose"]
