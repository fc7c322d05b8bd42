"""The 通知 to one member unit: its tasks as lead and as support, the ledger to return, the contact.

Composes a `docgen.compose.tree.Document` (rendered like every other document); pure.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from docgen import wording
from docgen.cascade.targets import share_text
from docgen.compose import kinds
from docgen.compose.tree import Closing, Document, Emphasis, Para, Picture, Role, Run, Signature
from docgen.errors import UsageError
from docgen.model import Plan, Task
from docgen.notify.recipients import LEAD, SUPPORT, Assigned, Recipient
from docgen.numbering import heading
from docgen.registry import Registry
from docgen.wording import sentence as _end


@dataclass(frozen=True)
class NoticeSettings:
    """What is the same in every notice of a batch."""

    issuer: str          # 发文机关 (署名), e.g. the 安委办
    mark: str            # 发文机关标志
    doc_number: str      # shared 发文字号, may be ""
    date: dt.date        # 成文日期
    due: dt.date         # when the ledger must be back
    contact: str         # 联系人 line, may be ""
    sealed: bool = True
    urgency: str = ""    # 紧急程度 in the 版头 (特急, 加急), may be ""


def _others(task: Task, role: str, registry: Registry, org, me: str) -> list[str]:
    """The other units named for `task` in the given role (as written in the plan)."""
    resp = task.effective_responsibility
    refs = resp.lead if role == LEAD else resp.support
    return [r.name for r in refs if me not in registry.expand(org, r.name)]


@dataclass(frozen=True)
class Online:
    """The unit's link to report online (`docgen serve`) and its QR code (PNG bytes)."""

    link: str
    qr_png: bytes
    #: The QR code's printed size.
    size_cm: float = 3.5


def unit_notice(settings: NoticeSettings, title: str, unit: str, opening: str,
                groups: list[tuple[str, list[tuple[str, str]]]], closing_label: str, closing: list,
                attachment: str | None = None, kind: str = kinds.TASK_NOTICE) -> Document:
    """A 通知 to one unit: title, 主送, an opening paragraph, numbered groups of items (each a bold lead
    sentence and the rest), a closing section, 附件说明 (naming the attachment's title) and signature.
    Empty groups are left out. Without a 发文字号 it is a plain notice, headed by its title (`kinds`)."""
    body: list = [
        Para.plain(Role.TITLE, title),
        Para.plain(Role.RECIPIENTS, f"{unit}："),
        Para.plain(Role.BODY, opening),
    ]
    section = 0
    for label, items in [*((label, items) for label, items in groups if items), (closing_label, None)]:
        section += 1
        body.append(Para(Role.HEADING1, (Run(f"{heading(1, section)}{label}", Emphasis.HEADING),)))
        for i, (lead, rest) in enumerate(items or [], start=1):
            body.append(Para(Role.BODY, (Run(f"{i}."), Run(_end(lead), Emphasis.LEAD), Run(rest))))
    body.extend(Para.plain(Role.BODY, text) if isinstance(text, str) else text for text in closing)
    if attachment:
        body.append(Para.plain(Role.ATTACHMENT_NOTE, f"附件：{attachment}"))
    body.append(Signature(settings.issuer, wording.date(settings.date), settings.sealed))
    return Document(
        kind=kind,
        head=kinds.kind(kind).head_for(settings.doc_number),
        mark=settings.mark,
        doc_number=settings.doc_number,
        body=tuple(body),
        attachments=(),
        closing=Closing(None, None, None),
        title=title,
        author=settings.issuer,
        date=settings.date,
        keep_together=frozenset({unit, settings.issuer}),
        head_lines=((settings.urgency, False),) if settings.urgency else (),
    )


@dataclass(frozen=True)
class UnitNotice:
    """What a task notice is composed from: the plan, the unit it goes to, the batch's settings, and
    the unit's link to report online (`docgen serve`), if any."""

    plan: Plan
    recipient: Recipient
    settings: NoticeSettings
    online: Online | None = None


def compose_notice(notice: UnitNotice, registry: Registry) -> Document:
    """The notice for `notice.recipient` (see module docstring); its 附件 is the unit's ledger, by title.
    With `notice.online`, the closing section gives the unit's link to report online and its QR code."""
    plan, recipient, settings, online = notice.plan, notice.recipient, notice.settings, notice.online
    org = registry.organisation_of(plan.issuer.value)
    leads = [a for a in recipient.tasks if a.role == LEAD]
    supports = [a for a in recipient.tasks if a.role == SUPPORT]
    number = f"（{plan.doc_number.value}）" if plan.doc_number else ""
    counts = "、".join(part for part in (f"牵头{len(leads)}项" if leads else "",
                                        f"配合{len(supports)}项" if supports else "") if part)

    def item(assigned: Assigned, role: str) -> tuple[str, str]:
        task = assigned.task
        others = _others(task, SUPPORT if role == LEAD else LEAD, registry, org, recipient.name)
        partners = f"{'配合单位' if role == LEAD else '牵头单位'}：{wording.names(others)}。" if others else ""
        text = _end(wording.inline_targets(task.body.value, task.targets)[0]) if task.body else ""
        due = wording.deadline_line(assigned.deadline) if assigned.deadline else ""  # its own batch's, if phased
        share = share_text(task, org, recipient.name)
        share = f"你单位承担的指标：{share}。" if share else ""
        return task.lead.value, f"（方案第{task.label}项，编号{task.id}）{text}{share}{due}{partners}"

    closing = [f"请于{wording.date(settings.due)}前填写附件中的任务台账（只填“进展情况”至“备注”各列），"
               f"连同佐证材料报送{settings.issuer}。任务完成情况将纳入督导检查和年度考核。"]
    if online is not None:
        closing.append(f"也可在{wording.date(settings.due)}前打开本单位专属链接 {online.link} （或用手机扫描下方二维码）"
                       "在线填报任务进展、上传佐证材料。链接仅供你单位使用，请勿转发。")
        closing.append(Picture(online.qr_png, online.size_cm, online.size_cm, "在线填报二维码.png"))
    if settings.contact:
        closing.append(_end(f"联系人：{settings.contact}"))
    return unit_notice(
        settings, f"关于落实《{plan.title.value}》有关任务的通知", recipient.full_name,
        f"《{plan.title.value}》{number}已经印发。现将其中涉及你单位的{len(recipient.tasks)}项任务"
        f"（{counts}）通知如下，请认真抓好落实。",
        [("你单位牵头的任务", [item(t, LEAD) for t in leads]), ("你单位配合的任务", [item(t, SUPPORT) for t in supports])],
        "有关要求", closing, wording.ledger_title(recipient.full_name),
    )


#: Days from the notice's date to the ledger's due date, unless given.
DEFAULT_DUE_DAYS = 15


def notice_settings(plan: Plan, registry: Registry, date: dt.date | None, due: dt.date | None,
                     contact: str, number: str) -> NoticeSettings:
    issuer_name = plan.printer.value if plan.printer and registry.issuer(plan.printer.value) else plan.issuer.value
    issuer = registry.issuer(issuer_name)
    when = date or (plan.print_date.date if plan.print_date and plan.print_date.date else None) or (
        plan.date.date if plan.date and plan.date.date else None)
    if when is None:
        raise UsageError("方案没有成文日期或印发日期，请用 --date 指定通知的日期。")
    return NoticeSettings(
        issuer=issuer_name,
        mark=issuer.mark if issuer else f"{issuer_name}文件",
        doc_number=number,
        date=when,
        due=due or when + dt.timedelta(days=DEFAULT_DUE_DAYS),
        contact=contact,
    )
