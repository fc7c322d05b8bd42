"""The composed document: what the page says, in order, without any notion of how it looks.

`docgen.compose` builds it from a plan; a renderer (`docgen.render`) lays it out. Every paragraph
carries a `Role` (title, body, first-level heading…) that the renderer maps to a template style;
runs inside a paragraph carry an `Emphasis` (a task's lead sentence, a heading's own words).
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, field
from typing import Union


class Role(str, enum.Enum):
    """What a paragraph is (GB/T 9704 element names in the comments)."""

    TITLE = "title"                      # 标题, under the 版头
    SUBTITLE = "subtitle"                # a line under a title, centred: （原文：…；修改后：…）
    PLAN_TITLE = "plan-title"            # the plan's own title, on a new page after its 印发通知
    RECIPIENTS = "recipients"            # 主送机关
    BODY = "body"                        # 正文
    HEADING1 = "heading1"                # 一、
    HEADING2 = "heading2"                # （一）
    HEADING3 = "heading3"                # 1.
    HEADING4 = "heading4"                # （1）
    ATTACHMENT_NOTE = "attachment-note"  # 附件说明, first line (附件：1.×××)
    ATTACHMENT_NOTE_ITEM = "attachment-note-item"  # 附件说明, further attachments (2.×××)
    REMARK = "remark"                    # 附注 （此件公开发布）
    ATTACHMENT_LABEL = "attachment-label"  # 附件1
    ATTACHMENT_TITLE = "attachment-title"  # the attachment's title

    @classmethod
    def heading(cls, level: int) -> Role:
        return (cls.HEADING1, cls.HEADING2, cls.HEADING3, cls.HEADING4)[level - 1]


class Emphasis(str, enum.Enum):
    """How a run stands out from the rest of its paragraph."""

    NONE = "none"
    LEAD = "lead"      # a task's or paragraph's lead sentence (bold)
    HEADING = "heading"  # a heading's number and words, followed by its 导语 in body type
    DELETED = "deleted"  # struck through: text a revision deletes (修订对照表)
    INSERTED = "inserted"  # underlined and bold: text a revision inserts (修订对照表)


class Head(str, enum.Enum):
    """The 版头 a document is laid out with."""

    FILE = "文件"   # 发文机关标志, 发文字号 and the red rule (GB/T 9704 7.2)
    LETTER = "信函"  # 信函格式 (GB/T 9704 10.1): the organ's full name in red, a double red rule,
    #                 the 发文字号 at the right under it, no page number on the first page
    NONE = "无"     # none: the document starts with its title (an unnumbered notice, a table)


@dataclass(frozen=True)
class Run:
    text: str
    emphasis: Emphasis = Emphasis.NONE


@dataclass(frozen=True)
class Para:
    role: Role
    runs: tuple[Run, ...]

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)

    @classmethod
    def plain(cls, role: Role, text: str) -> Para:
        return cls(role, (Run(text),))


@dataclass(frozen=True)
class Signature:
    """发文机关署名 and 成文日期; `sealed` chooses the with-seal or without-seal layout."""

    name: str
    date: str
    sealed: bool
    #: A jointly issued document (联合行文): the other organs, signed one under another after
    #: `name` (the lead organ), the date under the last (GB/T 9704 7.3.5).
    joint: tuple[str, ...] = ()


#: A table cell: plain text, or runs when parts of it stand out (deleted and inserted text).
Cell = Union[str, tuple[Run, ...]]


def cell_text(cell: Cell) -> str:
    return cell if isinstance(cell, str) else "".join(r.text for r in cell)


@dataclass(frozen=True)
class Table:
    """A table: a head row and body rows; an attachment's, or a block of a table document."""

    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    #: Columns holding short codes (序号): centred, kept narrow.
    narrow: frozenset[int] = frozenset()
    #: The plan asks for a landscape page (横向); the renderer may also choose it for width.
    landscape: bool = False
    #: Shares of the width left by the narrow columns, one per column (narrow ones ignored), e.g.
    #: (0, 2, 2, 1); empty: the writer shares it by how much text each column holds.
    shares: tuple[float, ...] = ()
    #: A head row above `columns` (a multi-level head): (label, how many columns it spans), left to
    #: right; a label of "" spanning one column merges that column's head cell down both rows.
    groups: tuple[tuple[str, int], ...] = ()
    #: Columns of figures: centred, with every figure of the column at the same precision as written.
    numeric: frozenset[int] = frozenset()
    #: A form to fill in: rows are tall, for handwriting.
    form: bool = False


@dataclass(frozen=True)
class Picture:
    """A picture in the body (a 通报's chart): PNG bytes laid out centred at `width_cm` × `height_cm`;
    its caption (图1 …) is the paragraph after it."""

    png: bytes
    width_cm: float
    height_cm: float
    name: str = ""


@dataclass(frozen=True)
class Attachment:
    label: str  # 附件 or 附件N
    title: str
    table: Table


Block = Union[Para, Signature, Table, Picture]


@dataclass(frozen=True)
class Closing:
    """版记: 抄送 (already punctuated), 印发机关 and 印发日期; any may be missing."""

    cc: str | None
    printer: str | None
    print_date: str | None

    def __bool__(self) -> bool:
        return bool(self.cc or self.printer or self.print_date)


@dataclass(frozen=True)
class Document:
    """One official document: 版头, body blocks, attachments and 版记."""

    kind: str
    #: 发文机关标志 and 发文字号 (the red head).
    mark: str
    doc_number: str
    body: tuple[Block, ...]
    attachments: tuple[Attachment, ...]
    closing: Closing
    #: For the file's properties: the document's title, issuing organ and date.
    title: str
    author: str
    date: dt.date | None
    #: Names a line break must not split (organisations, units), besides the built-in vocabulary.
    keep_together: frozenset[str] = field(default_factory=frozenset)
    #: The 版头: the template's red head, or none (see `docgen.compose.kinds`).
    head: Head = Head.FILE
    #: Every page landscape (a table document); otherwise portrait, wide attachments turned.
    landscape: bool = False
    #: A jointly issued document: every organ's 发文机关标志 without the common word, lead organ
    #: first, stacked, with `mark_word` (文件) to their right, vertically centred (GB/T 9704 7.2.3).
    joint_marks: tuple[str, ...] = ()
    mark_word: str = ""
    #: The lines above the 发文机关标志, top to bottom (GB/T 9704 7.2.2–7.2.4): 份号 (six digits),
    #: 密级和保密期限 (机密★1年), 紧急程度 — each (text, is the 份号).
    head_lines: tuple[tuple[str, bool], ...] = ()
    #: 签发人 of an upward document: the 发文字号 moves left and "签发人：…" stands right (7.2.5).
    signers: tuple[str, ...] = ()

    def paragraphs(self) -> list[Para]:
        return [b for b in self.body if isinstance(b, Para)]
