"""GB/T 9704 7.3.5.4: a first page whose signature does not fit under the text is tightened.

A 印发通知 or a short 通知 is signed on its first page. When the estimate of that page (the
template's 版头, then the composed title, 主送, text, 署名, 成文日期 and 附注) runs past the text
area, the standard's remedy is to close up the lines rather than leave the signature alone on the
next page; `first_page_scale` says by how much. Line counts are estimated from character widths
and the template's numbers, with a quarter of a line to spare.
"""

from __future__ import annotations

from docgen.compose.tree import Block, Document, Para, Role, Signature
from docgen.render.metrics import Metrics

#: Lines are never closed up below this share of their height…
SMALLEST = 0.75
#: …and the estimate keeps this share of a line free for what it cannot see.
SLACK = 0.25


def signed_first_page(doc: Document) -> list[Block]:
    """The blocks up to the first signature and the 附注 right after it, or [] if there is none
    or something other than plain paragraphs comes before it."""
    for i, block in enumerate(doc.body):
        if not isinstance(block, (Para, Signature)):  # a table, a picture
            return []
        if isinstance(block, Signature):
            end = i + 1
            if end < len(doc.body) and isinstance(doc.body[end], Para) and doc.body[end].role is Role.REMARK:
                end += 1
            return list(doc.body[:end])
    return []


def first_page_scale(doc: Document, metrics: Metrics, styles: dict, head: list[str], signature_styles,
                     title_lines, head_height: int = 0) -> float | None:
    """The factor for the spacing of `signed_first_page(doc)`, or None when it fits as it is
    (or would need closing up more than `SMALLEST`).

    `styles` maps roles to style names, `head` names the styles of the template's paragraphs
    above the composed text, `signature_styles(sealed)` gives (署名, 成文日期) style names and
    `title_lines(para)` the lines a title is broken into; `head_height` is the height (twips) of a
    head laid out otherwise (the 信函's).
    """
    blocks = signed_first_page(doc)
    if not blocks:
        return None
    fixed = head_height
    for name in head:
        s = metrics.spacing(name)
        fixed += s.before + s.line + s.after + metrics.border_below(name)
    flow = 0.0
    for block in blocks:
        if isinstance(block, Signature):
            name_style, date_style = signature_styles(block.sealed)
            lines = [name_style] * (1 + len(block.joint)) + ([date_style] if block.date else [])
            for name in lines:  # a jointly issued document signs every organ
                s = metrics.spacing(name)
                flow += s.before + s.line + s.after
            continue
        name = styles[block.role]
        s = metrics.spacing(name)
        count = len(title_lines(block)) if block.role in (Role.TITLE, Role.PLAN_TITLE) else metrics.lines(block.text, name)
        flow += s.before + count * s.line + s.after
    room = metrics.height - fixed - SLACK * metrics.spacing(styles[Role.BODY]).line
    if flow <= room:
        return None
    scale = room / flow
    return scale if scale >= SMALLEST else None
