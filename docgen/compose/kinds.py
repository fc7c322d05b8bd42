"""Every document kind docgen writes, in one table: which composer builds it and which parts it has.

A new kind (a 挂牌督办通知, a 考核结果通报…) is one more `Kind` here and one composer module beside
this one. Every composer has one signature, `Composer`: what it composes and the unit registry, to a
`docgen.compose.tree.Document`; `docgen.render.docx.DocxWriter` writes them all. A job never calls a
composer by name: it asks this table (`compose(kind, subject, registry)`). The composer is named by
its dotted path so that this table can be read (and imported by the composers themselves, for
`head`) without importing every composer.

Parts (GB/T 9704 names): 版头 (发文机关标志, 发文字号, red rule), 主送, 正文, 附件 (附件说明 and
attachment pages), 署名 (署名, 成文日期, 附注), 版记 (抄送, 印发机关, 印发日期). `parts` lists what a
kind may have; a document leaves out what it has nothing for (a plan without attachments or 抄送).
"""

from __future__ import annotations

import enum
import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from docgen.compose.tree import Document, Head, Para, Role, Signature

if TYPE_CHECKING:
    from docgen.registry import Registry

#: The one signature of every composer: what it composes (a `Plan`, a `Bulletin`, a
#: `notice.UnitNotice`, a `reminder.Reminder`, a `DiffResult`) and the unit registry (None where the
#: kind names no unit of it) -> the document.
Composer = Callable[[Any, "Registry | None"], Document]


class Part(str, enum.Enum):
    HEAD = "版头"
    RECIPIENTS = "主送"
    BODY = "正文"
    ATTACHMENTS = "附件"
    SIGNATURE = "署名"
    CLOSING = "版记"


class HeadRule(str, enum.Enum):
    """When a kind is laid out with the 版头 (a 文件) and when without one."""

    ALWAYS = "always"        # a 文件 even before its 发文字号 is given (a plan's draft shows the gap)
    NUMBERED = "numbered"    # a 文件 with its 发文字号; without one a plain notice, headed by its title
    NEVER = "never"          # never (a table document)


@dataclass(frozen=True)
class Kind:
    name: str
    #: ``module:function`` of the composer returning a `Document`.
    composer_path: str
    parts: frozenset[Part]
    head: HeadRule = HeadRule.ALWAYS
    #: Every page landscape (a table document).
    landscape: bool = False
    #: What it is, for the README and newcomers.
    about: str = ""

    @property
    def composer(self) -> Composer:
        module, name = self.composer_path.split(":")
        return getattr(importlib.import_module(module), name)

    @property
    def module(self) -> str:
        return self.composer_path.split(":")[0]

    def head_for(self, doc_number: str) -> Head:
        """The 版头 of a document of this kind numbered `doc_number` ("" for none)."""
        if self.head is HeadRule.NEVER or (self.head is HeadRule.NUMBERED and not doc_number.strip()):
            return Head.NONE
        return Head.FILE


_ALL = frozenset(Part)
_PLAN = "docgen.compose.composer:compose"
_NOTICE_PARTS = frozenset({Part.HEAD, Part.RECIPIENTS, Part.BODY, Part.ATTACHMENTS, Part.SIGNATURE})

#: Plan kinds (a plan's 文种, as the schema lists them).
PLAN_KINDS = ("实施方案", "工作要点", "工作意见", "实施意见", "通知")
TASK_NOTICE = "任务通知"
REMINDER = "督办通知"
BULLETIN = "通报"
REVISIONS = "修订对照表"
HAZARDS = "挂牌督办通知"

KINDS: dict[str, Kind] = {k.name: k for k in (
    Kind("实施方案", _PLAN, _ALL, about="方案，前附印发通知（通知署名后，方案另起一页）"),
    Kind("工作要点", _PLAN, _ALL, about="年度工作要点，常附任务分工表"),
    Kind("工作意见", _PLAN, _ALL),
    Kind("实施意见", _PLAN, _ALL),
    Kind("通知", _PLAN, _ALL, about="以方案文件写成的通知"),
    Kind(TASK_NOTICE, "docgen.compose.notice:compose_notice", _NOTICE_PARTS, HeadRule.NUMBERED,
         about="给一个成员单位的任务通知：它牵头和配合的任务、台账（附件）、联系人"),
    Kind(REMINDER, "docgen.compose.reminder:compose_reminder", _NOTICE_PARTS - {Part.ATTACHMENTS}, HeadRule.NUMBERED,
         about="给有逾期、滞后任务的单位的督办通知"),
    Kind(BULLETIN, "docgen.compose.bulletin:compose_bulletin", _NOTICE_PARTS | {Part.CLOSING}, HeadRule.NUMBERED,
         about="通报（文种: 通报）：起草人写的文字，数字、表格、图表、名单取自数据文件；docgen report 写出进展通报的草稿"),
    Kind(HAZARDS, "docgen.compose.bulletin:compose_bulletin", _NOTICE_PARTS | {Part.CLOSING}, HeadRule.NUMBERED,
         about="挂牌督办通知：隐患清单（隐患、单位/地点、行业领域、整改责任单位、整改时限、督办单位、销号要求）"),
    Kind(REVISIONS, "docgen.compose.revisions:compose_revisions", frozenset({Part.BODY}), HeadRule.NEVER,
         landscape=True, about="修订对照表：序号、原文、修改后、修改说明，横向表格文件"),
)}


def kind(name: str) -> Kind:
    return KINDS[name]


def compose(name: str, subject: Any, registry: Registry | None = None) -> Document:
    """The document of kind `name` composed from `subject` by that kind's composer."""
    return kind(name).composer(subject, registry)


def parts(doc: Document) -> frozenset[Part]:
    """The parts a composed document has (to check it against its kind's `parts`)."""
    found = {Part.BODY}
    if doc.head in (Head.FILE, Head.LETTER):
        found.add(Part.HEAD)
    for block in doc.body:
        if isinstance(block, Para) and block.role is Role.RECIPIENTS:
            found.add(Part.RECIPIENTS)
        elif isinstance(block, Para) and block.role is Role.ATTACHMENT_NOTE:
            found.add(Part.ATTACHMENTS)
        elif isinstance(block, Signature):
            found.add(Part.SIGNATURE)
    if doc.attachments:
        found.add(Part.ATTACHMENTS)
    if doc.closing:
        found.add(Part.CLOSING)
    return frozenset(found)
