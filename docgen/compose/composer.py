"""Plan + registry → `Document`: numbering, sentences, 责任单位 lines, 附件说明, signature, 版记.

Reads top to bottom as the document does. Plan text is copied as it is written, except that
control characters (tabs, line breaks, invisible codes) are refused: they cannot be printed, and a
drafter who typed one by accident must hear where it is.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from docgen import numbering, wording
from docgen.compose import kinds
from docgen.compose.tree import Attachment, Block, Closing, Document, Emphasis, Head, Para, Role, Run, Signature, Table
from docgen.errors import FindingsError
from docgen.model import (
    DIVISION_BRACKETS,
    DIVISION_LINES,
    DIVISION_TABLE,
    STATED_DEADLINE,
    STATED_TARGETS,
    STATED_UNITS,
    TASK_TABLE_COLUMNS,
    TASK_TABLE_KIND,
    BodyTable,
    DateField,
    Deadline,
    Figure,
    Milestone,
    Paragraph,
    Plan,
    Responsibility,
    Section,
    Target,
    Task,
    Text,
    task_table_role,
)
from docgen.model import Attachment as PlanAttachment
from docgen.problems import Location
from docgen.registry import Registry
from docgen.textchars import first_control
from docgen.wording import sentence as _end

#: Under the title of a plan that has neither 发文字号 nor 成文日期 (not issued yet).
DRAFT_MARK = "（征求意见稿）"

#: The word right of the stacked marks of a jointly issued document.
JOINT_MARK_WORD = "文件"


class ComposeError(FindingsError):
    """Plan text that cannot go into a document; `findings` are (location, Chinese message). Exit 1."""

    def __init__(self, findings: list[tuple[Location, str]]):
        super().__init__("；".join(f"{loc}: {message}" for loc, message in findings))
        self.findings = findings


def compose(plan: Plan, registry: Registry) -> Document:
    """The document `plan` describes, with names resolved through `registry`.

    Raises `ComposeError` listing every text that contains a control character.
    """
    return _Composer(plan, registry).document()


class _Composer:
    def __init__(self, plan: Plan, registry: Registry):
        self.plan = plan
        self.registry = registry
        self.org = registry.organisation_of(plan.issuer.value)
        self.findings: list[tuple[Location, str]] = []
        titles = [a.title.value for a in plan.attachments]
        self.attachment_labels = {
            title: "附件" if len(titles) == 1 else f"附件{i}" for i, title in enumerate(titles, start=1)
        }
        self.anchored: dict[int, list[Para]] = {}
        self.figures = 0  # figures captioned so far (图1, 图2 …)

    # -- text -----------------------------------------------------------------------------------
    def t(self, text: Text | None) -> str:
        """The plan text, checked for characters that cannot be printed.

        The line break a YAML literal block (`|`) ends with and surrounding spaces are dropped.
        """
        if text is None:
            return ""
        found = first_control(text.value)
        if found:
            offset, _, message = found
            self.findings.append((self.plan.text_at(text.loc, text.value, offset), message))
        return text.value.rstrip("\n").strip(" ")

    def date(self, field: DateField | None) -> str:
        return wording.date(field.date) if field and field.date else ""

    # -- the document ---------------------------------------------------------------------------
    def document(self) -> Document:
        plan = self.plan
        issuer = self.registry.issuer(plan.issuer.value)
        mark = issuer.mark if issuer else f"{self.t(plan.issuer)}文件"
        body: list[Block] = []
        if plan.notice:
            notice_title = self.t(plan.notice.title) or f"关于印发《{self._quoted(self.t(plan.title))}》的通知"
            body += [Para.plain(Role.TITLE, notice_title)]
            body += self.recipients(plan.notice.recipients or plan.recipients)
            body += [Para.plain(Role.BODY, self.t(plan.notice.body))]
            body += self.signature()
            body += [Para.plain(Role.PLAN_TITLE, self.t(plan.title))]
            body += self.blocks(plan.body)
            body += self.attachment_note()
        else:
            notice_title = self.t(plan.title)
            body += [Para.plain(Role.TITLE, notice_title)]
            body += self.recipients(plan.recipients)
            body += self.blocks(plan.body)
            body += self.attachment_note()
            body += self.signature()
        attachments = tuple(self.attachment(a) for a in plan.attachments if not self._not_received(a))
        letter = plan.layout == LETTER
        closing = Closing(
            cc="，".join(self.t(c) for c in plan.cc) + "。" if plan.cc else None,
            printer=None if letter else self.t(plan.printer) or None,
            print_date=None if letter else self.date(plan.print_date) or None,
        )
        doc_number = self.t(plan.doc_number)
        joint_marks, mark_word = self.joint_head(mark)
        if self.findings:
            raise ComposeError(self.findings)
        head = kinds.kind(plan.kind).head_for(doc_number) if plan.kind in kinds.KINDS else Head.FILE
        if letter and plan.letterhead:
            head, mark = Head.LETTER, plan.issuer.value  # 信函: the organ's full name, never "…文件"
        if not plan.letterhead:
            # as received from a web page: no 发文机关标志, the 发文字号 under the title
            head = Head.NONE
            if doc_number:
                body.insert(1, Para.plain(Role.SUBTITLE, doc_number))
        elif not doc_number and plan.date is None:
            # Not issued yet: no 红头 with a blank number; our own draft (a cascaded one) is marked
            # as a draft, a received document is printed as it came
            head = Head.NONE
            if not plan.received:
                body.insert(1, Para.plain(Role.SUBTITLE, DRAFT_MARK))
        return Document(
            kind=plan.kind,
            head=head,
            mark=mark,
            doc_number=doc_number,
            body=tuple(body),
            attachments=attachments,
            closing=closing,
            title=notice_title,
            author=plan.issuer.value,
            date=plan.date.date if plan.date else None,
            keep_together=frozenset(self._names()),
            joint_marks=joint_marks,
            mark_word=mark_word,
            head_lines=self.head_lines(),
            signers=tuple(self.t(s) for s in plan.signers),
        )

    def head_lines(self) -> tuple[tuple[str, bool], ...]:
        """份号, 密级和保密期限, 紧急程度: the lines above the 发文机关标志, in this order."""
        plan, out = self.plan, []
        if plan.copy_number:
            out.append((self.t(plan.copy_number).zfill(6), True))
        if plan.secret:
            term = self.t(plan.secret_term)
            out.append((self.t(plan.secret) + (f"★{term}" if term else ""), False))
        if plan.urgency:
            out.append((self.t(plan.urgency), False))
        return tuple(out)

    def joint_head(self, mark: str) -> tuple[tuple[str, ...], str]:
        """The stacked 发文机关标志 of a jointly issued document, and the word right of them."""
        if not self.plan.joint_issuers:
            return (), ""
        marks = [mark]
        for organ in self.plan.joint_issuers:
            issuer = self.registry.issuer(organ.value)
            marks.append(issuer.mark if issuer else f"{self.t(organ)}文件")
        word = JOINT_MARK_WORD if all(m.endswith(JOINT_MARK_WORD) for m in marks) else ""
        return tuple(m.removesuffix(word) if word else m for m in marks), word

    @staticmethod
    def _quoted(title: str) -> str:
        """A title set inside 《》: its own 《》 become 〈〉."""
        return title.replace("《", "〈").replace("》", "〉")

    def _names(self) -> Iterator[str]:
        yield self.plan.issuer.value
        org = self.org
        if org is None:
            return
        yield org.name
        yield from org.words.all()
        yield from (i.name for i in org.issuers)
        yield from (u.name for u in org.units)
        yield from (g.name for g in org.groups)
        yield from (c.name for c in org.children)

    def recipients(self, names: list[Text]) -> list[Para]:
        if not names:
            return []
        return [Para.plain(Role.RECIPIENTS, "，".join(self.t(n) for n in names) + "：")]

    def signature(self) -> list[Block]:
        plan = self.plan
        joint = tuple(self.t(organ) for organ in plan.joint_issuers)
        out: list[Block] = []
        if not (plan.received and plan.date is None and plan.signature is None):
            # (a received document that came without its signature and date is printed without them)
            out.append(Signature(self.t(plan.signature) or self.t(plan.issuer), self.date(plan.date), plan.sealed,
                                 joint))
        if plan.note:
            out.append(Para.plain(Role.REMARK, f"（{self.t(plan.note)}）"))
        return out

    # -- body -----------------------------------------------------------------------------------
    def blocks(self, blocks: list) -> list[Block]:
        self._anchor_shared_lines()
        return list(self._blocks(blocks))

    def _blocks(self, blocks: list, marker: str | None = None) -> Iterator[Para]:
        """The paragraphs of `blocks`, numbered in `marker` when their section says (`下一层序号`)."""
        for block in blocks:
            if isinstance(block, Section):
                yield self.heading(block, block.number, marker)
                yield from self._blocks(block.children, block.child_marker)
            elif isinstance(block, Task):
                yield from self.task(block, marker)
            elif isinstance(block, BodyTable):
                yield from body_table(block, self.t)
            elif isinstance(block, Figure):
                self.figures += 1
                yield figure_caption(self.figures, self.t(block.title))
            else:
                yield self.paragraph(block)
            yield from self.anchored.get(id(block), ())

    def heading(self, section: Section, n: int, marker: str | None = None) -> Para:
        words = self.number(section.depth, n, marker) + self.t(section.title)
        if section.intro is None:
            stop = "。" if self.plan.heading_stop and not words.endswith(("。", "？", "！")) else ""
            return Para(Role.heading(section.depth), (Run(words + stop, Emphasis.HEADING),))
        return Para(Role.heading(section.depth), (Run(words + "。", Emphasis.HEADING), Run(self.t(section.intro))))

    def number(self, level: int, n: int, marker: str | None = None) -> str:
        """The number of the `n`-th item of `level`: in `marker` (its section's `下一层序号`), else
        in the plan's `序号样式` for that level."""
        return numbering.marker(marker, n) if marker else numbering.heading(level, n, self.plan.markers)

    def paragraph(self, p: Paragraph) -> Para:
        runs = []
        if p.lead:
            runs.append(Run(_end(self.t(p.lead), "，"), Emphasis.LEAD))
        text, rest = wording.inline_targets(self._with_reference(self.t(p.text), p.attachment), p.targets)
        items, rest = self._inline_items(p.items, rest)
        text += items + self._stages(p.stages) + self._targets(rest)
        runs.append(Run(text))
        return Para(Role.BODY, tuple(runs))

    def task(self, task: Task, marker: str | None = None) -> Iterator[Para]:
        level = len(task.sections) + 1
        lead = self.number(level, task.number, marker) + _end(self.t(task.lead))
        text, rest = wording.inline_targets(self._with_reference(self.t(task.body), task.attachment), task.targets)
        items, rest = self._inline_items(task.items, rest)
        text += items + ("" if STATED_TARGETS in task.stated else self._targets(rest))
        division = task.division or self.plan.division
        # what the task's own text already says is not printed again (`正文写明`)
        units = None if STATED_UNITS in task.stated else task.responsibility
        due = None if STATED_DEADLINE in task.stated else task.deadline
        if division == DIVISION_BRACKETS:
            self._check_units(units)
            text += wording.bracket_note(units, due, self.plan.units_form)
        runs = (Run(lead, Emphasis.LEAD),) + ((Run(text),) if text else ())
        yield Para(Role.BODY, runs)
        if division != DIVISION_LINES:  # in brackets above, or only in the 任务分工表
            return
        if units:
            yield from self.units_lines(units)
        if due:
            yield self.deadline_line(due)

    def _anchor_shared_lines(self) -> None:
        """Place each section's shared 责任单位 and 完成时限 after the last task that uses them.

        A section nobody inherits from still shows its lines, after its last block, so nothing
        the drafter wrote is lost.
        """
        self.anchored.clear()
        if self.plan.division == DIVISION_TABLE:  # every 责任单位 and 完成时限 is in the 任务分工表
            return
        tasks = self.plan.tasks()
        for section in reversed(self.plan.sections()):  # inner sections first at a shared anchor
            lines = []
            if section.responsibility:
                users = [t for t in tasks if _owner(t, "responsibility") is section]
                lines += [(users, line) for line in self.units_lines(section.responsibility)]
            if section.deadline:
                users = [t for t in tasks if _owner(t, "deadline") is section]
                lines.append((users, self.deadline_line(section.deadline)))
            for users, line in lines:
                anchor = users[-1] if users else _last_descendant(section)
                self.anchored.setdefault(id(anchor), []).append(line)

    def units_lines(self, r: Responsibility) -> list[Para]:
        self._check_units(r)
        return [Para.plain(Role.BODY, line)
                for line in wording.units_lines(r, self.plan.units_form, self._stop())]

    def _stop(self) -> str:
        """What ends a 责任单位 or 完成时限 line (`分行句号`)."""
        return "。" if self.plan.line_stop else ""

    def _check_units(self, r: Responsibility | None) -> None:
        """The units' names go through the same text check as every printed text."""
        for u in r.all() if r else ():
            self.t(Text(u.name, u.loc))

    def deadline_line(self, d: Deadline) -> Para:
        return Para.plain(Role.BODY, wording.deadline_line(d, self._stop(), self.plan.deadline_label))

    def _items(self, items: list[Text]) -> str:
        return "".join(numbering.ordinal(i) + _end(self.t(item)) for i, item in enumerate(items, start=1))

    def _inline_items(self, items: list[Text], targets: list[Target]) -> tuple[str, list[Target]]:
        """分项 with the targets they reference written in place; the targets left over."""
        out = ""
        for i, item in enumerate(items, start=1):
            text, targets = wording.inline_targets(self.t(item), targets)
            out += numbering.ordinal(i) + _end(text)
        return out, targets

    def _stages(self, stages: list[Milestone]) -> str:
        return wording.milestones(stages) + "。" if stages else ""

    def _targets(self, targets: list[Target]) -> str:
        if not targets:
            return ""
        return "；".join(wording.target(t) for t in targets) + "。"

    def _with_reference(self, text: str, attachment: Text | None) -> str:
        """`text` with "（见附件N）" before its final full stop when it refers to an attachment."""
        if attachment is None:
            return text
        ref = f"（见{self.attachment_labels.get(attachment.value, '附件')}）"
        return text[:-1] + ref + "。" if text.endswith("。") else text + ref

    # -- attachments ----------------------------------------------------------------------------
    def attachment_note(self) -> list[Para]:
        titles = [self.t(a.title) for a in self.plan.attachments]
        if len(titles) == 1:
            return [Para.plain(Role.ATTACHMENT_NOTE, f"附件：{titles[0]}")]
        out = []
        for i, title in enumerate(titles, start=1):
            role = Role.ATTACHMENT_NOTE if i == 1 else Role.ATTACHMENT_NOTE_ITEM
            out.append(Para.plain(role, f"{'附件：' if i == 1 else ''}{i}.{title}"))
        return out

    def _not_received(self, a: PlanAttachment) -> bool:
        """An attachment a received document only names (its table came separately, or not at
        all): listed in the 附件说明, no page of its own."""
        return self.plan.received and a.kind != TASK_TABLE_KIND and not a.columns and not a.rows

    def attachment(self, a: PlanAttachment) -> Attachment:
        title = self.t(a.title)
        if a.kind == TASK_TABLE_KIND:
            columns = tuple(self.t(Text(c, a.loc)) for c in a.columns) or TASK_TABLE_COLUMNS
            roles = [task_table_role(c) for c in columns]
            table = Table(columns, tuple(self._task_row(t, roles) for t in self.plan.tasks()),
                          narrow=frozenset(i for i, role in enumerate(roles) if role == "序号"), landscape=a.landscape)
        else:
            where = ("附件", self.plan.attachments.index(a))
            locate = self.plan.locate
            columns = tuple(self.t(Text(c, locate((*where, "列", i)))) for i, c in enumerate(a.columns))
            rows = tuple(tuple(self.t(Text(c, locate((*where, "行", r, i)))) for i, c in enumerate(row))
                         for r, row in enumerate(a.rows))
            if a.kind in (FORM, BLANK_TABLE):
                table = written_attachment(a.kind, list(columns), [list(r) for r in rows], a.blank, a.landscape)
            else:
                table = written_table(columns, rows, a.landscape)
        return Attachment(self.attachment_labels[a.title.value], title, table)

    def _task_row(self, task: Task, roles: list[str | None]) -> tuple[str, ...]:
        """The cells of `task` under columns showing `roles` (`TASK_TABLE_ROLES`)."""
        r = task.effective_responsibility
        lead = wording.names(u.name for u in r.lead) if r else ""
        cells = {
            "序号": str(task.index),
            "任务": self.t(task.lead),
            "责任单位": lead if "配合" in roles else wording.units(
                r, wording.UNITS_SUFFIXED if self.plan.units_form == wording.UNITS_SUFFIXED else wording.UNITS_BRACKETED),
            "牵头": lead,
            "配合": wording.names(u.name for u in r.support) if r else "",
            "时限": wording.deadline(task.effective_deadline),
            "备注": self.t(task.remark),
        }
        return tuple(cells.get(role, "") for role in roles)


#: 版式 of a letter (信函格式, GB/T 9704 10.1).
LETTER = "信函"
#: Attachment kinds to fill in (`docgen.compose.bulletin.written_attachment`).
FORM, BLANK_TABLE = "表单", "空表"


#: Blank rows of a 空表 unless 空行 says.
BLANK_ROWS = 8


def written_attachment(kind: str, columns: list[str], rows: list[list[str]], blank: int = 0,
                       landscape: bool = False) -> Table:
    """An attachment written in the file: a table (列, 行), a form to fill in (表单: a row per field,
    its label left, a blank right) or a blank table (空表: the head and blank rows)."""
    if kind == FORM:
        return Table((), tuple((c, "") for c in columns), landscape=landscape, shares=(1, 3), form=True)
    if kind == BLANK_TABLE:
        filled = tuple(tuple(r) for r in rows)
        empty = tuple(tuple("" for _ in columns) for _ in range(blank or BLANK_ROWS))
        return Table(tuple(columns), filled + empty, landscape=landscape, form=True)
    return Table(tuple(columns), tuple(tuple(r) for r in rows), landscape=landscape)


def written_table(columns: tuple[str, ...], rows: tuple[tuple[str, ...], ...], landscape: bool = False) -> Table:
    """A table the drafter wrote out (`列`, `行`): its 序号 columns narrow and centred."""
    return Table(columns, rows, narrow=frozenset(i for i, c in enumerate(columns) if c == "序号"), landscape=landscape)


def figure_caption(n: int, title: str) -> Para:
    """The caption of the `n`-th figure, centred: "图1　…" (a 通报's charts and a received one's)."""
    return Para.plain(Role.SUBTITLE, f"图{n}　{title}")


def body_table(block: BodyTable, text) -> list[Block]:
    """A table written in the body: its title (if any) centred above it, then the table; `text`
    turns a plan `Text` into what is printed (checked by the composer)."""
    table = written_table(tuple(text(c) for c in block.columns), tuple(tuple(text(c) for c in row) for row in block.rows))
    if block.groups and len(block.groups) == len(block.columns):  # (another length is DG107)
        table = replace(table, groups=head_groups([text(g) for g in block.groups]))
    return ([Para.plain(Role.SUBTITLE, text(block.title))] if block.title else []) + [table]


def head_groups(labels: list[str]) -> tuple[tuple[str, int], ...]:
    """A two-row head's upper row as `Table.groups`: runs of one label over several columns, and
    ("", 1) for each column whose head spans both rows."""
    out: list[tuple[str, int]] = []
    for label in labels:
        if label and out and out[-1][0] == label:
            out[-1] = (label, out[-1][1] + 1)
        else:
            out.append((label, 1))
    return tuple(out)


def _owner(task: Task, attribute: str) -> Section | None:
    """The section whose 责任单位 or 完成时限 `task` uses, if it has none of its own."""
    if getattr(task, attribute):
        return None
    for section in reversed(task.sections):
        if getattr(section, attribute):
            return section
    return None


def _last_descendant(section: Section):
    block = section
    while isinstance(block, Section) and block.children:
        block = block.children[-1]
    return block

