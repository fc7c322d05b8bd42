"""A plan as plain lines for `git log -p` (the textconv of ``docgen git-setup``).

One value per line, tasks by 编号 and never by display number, so that a line diff of two outlines
shows what changed and nothing else: an inserted task adds lines, it does not renumber the rest.
"""

from __future__ import annotations

from docgen.diff import texts
from docgen.diff.changes import HEAD_FIELDS, RECORD_FIELDS, SIGNATURE_FIELDS, Field, shown
from docgen.model import Block, BodyTable, Figure, Paragraph, Plan, Section

_INDENT = "  "


def outline(plan: Plan) -> str:
    """The plan's metadata, body and attachments as indented lines ending with a newline."""
    lines = _fields(plan, HEAD_FIELDS)
    _blocks(plan.body, 0, lines)
    lines += _fields(plan, SIGNATURE_FIELDS)
    for attachment in plan.attachments:
        first, *rows = texts.attachment(attachment).split("\n")
        lines += [first] + [_INDENT + row for row in rows]
    lines += _fields(plan, RECORD_FIELDS)
    return "\n".join(lines) + "\n"


def _fields(plan: Plan, fields: tuple[Field, ...]) -> list[str]:
    return [line for f in fields if (line := shown(f.name, f.get(plan)[0])) is not None]


def _blocks(blocks: list[Block], depth: int, lines: list[str]) -> None:
    pad = _INDENT * depth
    for block in blocks:
        if isinstance(block, Section):
            lines.append(f"{pad}【{block.title.value}】")
            inner = pad + _INDENT
            if block.intro:
                lines.append(f"{inner}导语：{block.intro.value}")
            if block.responsibility:
                lines.append(f"{inner}责任单位：{texts.units(block.responsibility)}")
            if block.deadline:
                lines.append(f"{inner}完成时限：{texts.deadline(block.deadline)}")
            _blocks(block.children, depth + 1, lines)
        elif isinstance(block, Paragraph):
            lines.append(pad + texts.paragraph(block))
        elif isinstance(block, Figure):
            lines.append(f"{pad}图题：{block.title.value}")
        elif isinstance(block, BodyTable):
            lines.append(f"{pad}表格：{block.title.value if block.title else ''}")
            lines += [pad + _INDENT + " | ".join(c.value for c in row) for row in (block.columns, *block.rows)]
        else:
            first, *rest = texts.task_in_full(block, effective=False).split("\n")
            lines += [pad + first] + [pad + _INDENT + line for line in rest]
