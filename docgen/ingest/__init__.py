"""Import received documents (.docx, .doc/.wps/.odt/.rtf, .pdf, .txt) into checkable plans.

Pipeline: a reader per format (`docx`, `office`, `pdf`, `text`) turns the file into `blocks`
(paragraph lines and tables, each with where it stands in the source) -> `recover` finds the
document's structure (版头, title, 主送, 印发通知, sections, tasks with 责任单位 and 完成时限,
targets, attachments, signature, 版记) -> `units` matches unit names against the registry ->
`emit` writes the plan as commented YAML. Findings use the DG7xx codes of `docgen.codes.ingest`.
No stage imports a job or the CLI.
"""
