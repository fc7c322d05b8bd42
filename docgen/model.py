"""The plan as typed data: sections, paragraphs, tasks, responsibilities, deadlines, targets.

`Plan.from_source` turns a schema-valid loaded tree into these objects, keeping the location of
every node so rules can point at it. Values that may be wrong (dates, deadline phrases) are kept
with their parse error instead of raising: rules report them. No I/O.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Union

from docgen import deadlines, numbering, wording
from docgen.deadlines import DeadlineError, DeadlineKind
from docgen.load import Map, Seq, Source
from docgen.problems import Location

if TYPE_CHECKING:
    from docgen.registry import Organisation, Registry


@dataclass(frozen=True, slots=True)
class Text:
    """A string from the plan and where it is written."""

    value: str
    loc: Location

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True, slots=True)
class DateField:
    """A document date (成文日期…): the text, the date if it parses, else the error."""

    text: str
    loc: Location
    date: dt.date | None
    error: str | None


@dataclass(frozen=True, slots=True)
class UnitRef:
    name: str
    loc: Location


@dataclass(frozen=True, slots=True)
class Responsibility:
    """责任单位: lead (牵头) and support (配合) units or groups."""

    lead: tuple[UnitRef, ...]
    support: tuple[UnitRef, ...]
    loc: Location

    def all(self) -> tuple[UnitRef, ...]:
        return self.lead + self.support


@dataclass(frozen=True, slots=True)
class Milestone:
    """One deadline phrase, with what is due then; `date` is None for recurring/standing/unreadable."""

    phrase: str
    content: str | None
    kind: DeadlineKind | None
    date: dt.date | None
    error: str | None
    loc: Location
    #: How a phrase that reads two ways was read (``2026年前``), for an info finding.
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Deadline:
    """完成时限: one phrase or a list of milestones."""

    milestones: tuple[Milestone, ...]
    loc: Location

    @property
    def final(self) -> dt.date | None:
        """The latest dated milestone, i.e. when the whole task is due (None if none is dated)."""
        dates = [m.date for m in self.milestones if m.date]
        return max(dates) if dates else None

    @property
    def text(self) -> str:
        """The phrases as written (``2024年底前、2025年6月底前``), for messages."""
        return wording.deadline_phrases(self)


@dataclass(frozen=True, slots=True)
class Split:
    """分解: how a target is divided among sub-organisations when cascading."""

    method: str  # "平均", "按数据" or "按表"
    data_key: str | None
    table: dict[str, float]
    loc: Location


@dataclass(frozen=True, slots=True)
class Phase:
    """One batch of a phased target (分期): these sub-organisations reach it by this deadline."""

    deadline: Milestone
    units: tuple[UnitRef, ...]
    value: float | None
    note: str | None
    loc: Location


@dataclass(frozen=True, slots=True)
class Target:
    """A quantitative target (量化指标), e.g. 新增达标企业 不少于 40 家, with per-year values."""

    name: str
    op: str
    value: float
    unit: str
    by_year: dict[int, float]
    loc: Location
    split: Split | None = None
    #: `完成时限` of the target itself (a child's batch after cascading), and its batches (`分期`).
    deadline: Milestone | None = None
    phases: tuple[Phase, ...] = ()

    def parts_mismatch(self) -> str | None:
        """Why a target's 分年度 or 分解 table does not add up to its 目标值 (a Chinese clause), or None.

        Yearly values of a count add up to the target (4 + 4 + 4 场 = 12 场); those of a rate or a
        running total rise to it (60%, 85%, 100%): the last year is the target. A 分解 by table gives
        each sub-organisation its share, which add up to the target."""
        def amount(value: float) -> str:
            return f"{value:g}{self.unit}"

        years = [self.by_year[y] for y in sorted(self.by_year)]
        if years and self.value is not None:
            total = sum(years)
            rising = all(a <= b for a, b in zip(years, years[1:])) and years[-1] == self.value
            if abs(total - self.value) > 1e-9 and not rising:
                return f"分年度合计{amount(total)}，与目标值{amount(self.value)}不符"
        split = self.split
        if split is not None and split.method == "按表" and split.table and self.value is not None:
            total = sum(split.table.values())
            if abs(total - self.value) > 1e-9:
                return f"分解表合计{amount(total)}，与目标值{amount(self.value)}不符"
        return None


@dataclass
class Task:
    id: str
    lead: Text
    body: Text | None
    items: list[Text]
    responsibility: Responsibility | None
    deadline: Deadline | None
    targets: list[Target]
    parent_id: Text | None
    attachment: Text | None
    remark: Text | None
    loc: Location
    id_loc: Location
    #: The number the drafter fixed (`序号`, e.g. kept from a received document), else None.
    explicit_number: int | None = None
    #: Filled in by `Plan.from_source`: the printed number (1, 2, …; restarts under each section
    #: when the numbering restarts), the position among all tasks (1…n, unique), and the enclosing
    #: sections.
    number: int = 0
    index: int = 0
    sections: list[Section] = field(default_factory=list)

    @property
    def label(self) -> str:
        """The task's number as a reader finds it: ``3`` in continuous numbering; with the parents'
        numbers (``二（一）1``) when the numbering restarts, so that the label is unique."""
        if not self.restarted:
            return str(self.number)
        path = "".join(numbering.heading(s.depth, s.number).rstrip("、") for s in self.sections)
        return f"{path}{self.number}"

    #: True when this task's number restarts under its parent (`编号方式: 分章重排`).
    restarted: bool = False
    #: `分工写法` of this task when it differs from the plan's ("分行" or "括注"), else None.
    division: str | None = None
    #: `正文写明`: what the task's own text already says ("责任单位", "完成时限"): kept as data (the
    #: 任务分工表, notices and ledgers use it) but not printed again after the text.
    stated: frozenset[str] = frozenset()

    @property
    def effective_responsibility(self) -> Responsibility | None:
        """The task's own 责任单位, else the nearest enclosing section's."""
        if self.responsibility:
            return self.responsibility
        for section in reversed(self.sections):
            if section.responsibility:
                return section.responsibility
        return None

    @property
    def effective_deadline(self) -> Deadline | None:
        if self.deadline:
            return self.deadline
        for section in reversed(self.sections):
            if section.deadline:
                return section.deadline
        return None


@dataclass
class Paragraph:
    text: Text
    lead: Text | None
    items: list[Text]
    stages: list[Milestone]
    targets: list[Target]
    attachment: Text | None
    loc: Location


@dataclass
class Section:
    title: Text
    intro: Text | None
    children: list[Block]
    responsibility: Responsibility | None
    deadline: Deadline | None
    depth: int
    loc: Location
    #: `编号方式` of this section ("连续" or "分章重排"), None to inherit; `序号` if fixed.
    numbering: str | None = None
    explicit_number: int | None = None
    #: The printed number among its sibling sections, filled in by `Plan.from_source`.
    number: int = 0
    #: `下一层序号`: the marker of its direct children when not the plan's (`序号样式`), else None.
    child_marker: str | None = None


@dataclass
class BodyTable:
    """A table written out in the body (`标题`, `列`, `行`): printed where it stands, its title
    centred above it. Any document may have one; a 通报's tables from its data file are `表格` blocks."""

    title: Text | None
    columns: list[Text]
    rows: list[list[Text]]
    loc: Location
    #: Where each row is written (a row may have no cell to point at).
    row_locs: list[Location] = field(default_factory=list)
    #: `表头分组`: the upper row of a two-row head, a label per column ("" where the column's head
    #: spans both rows); empty for a one-row head.
    groups: list[Text] = field(default_factory=list)


@dataclass
class Figure:
    """A figure the source printed (`图题`): its caption only, printed "图N　…" centred where it
    stands. A received 通报's chart comes back so (its picture is not reproduced); in a 通报 written
    here, a 图表 block draws the chart from the data file."""

    title: Text
    loc: Location


Block = Union[Section, Paragraph, Task, BodyTable, Figure]

#: Values of a plan's 来源.
AUTHORED, RECEIVED = "自行制定", "上级来文"


@dataclass(frozen=True, slots=True)
class Basis:
    title: Text
    doc_number: Text | None


@dataclass(frozen=True)
class Notice:
    """印发通知 in front of a 实施方案."""

    title: Text | None
    recipients: list[Text]
    body: Text
    loc: Location


@dataclass(frozen=True)
class Attachment:
    title: Text
    kind: str  # "任务分工表", "表格", "表单" (a form to fill in) or "空表" (a head over blank rows)
    columns: list[str]
    rows: list[list[str]]
    landscape: bool
    loc: Location
    #: Blank rows of a 空表 (0: the default).
    blank: int = 0


class SourceDocument:
    """A document read from one source file (a `Plan`, a 通报): its name, where its text is written,
    and its body. Subclasses are dataclasses with `source` and `body` fields."""

    source: Source
    body: list

    @property
    def name(self) -> str:
        """The file name without extension: the name of its outputs."""
        return self.source.path.stem

    @property
    def path(self) -> Path:
        return self.source.path

    # -- the file it was read from (read-only) ------------------------------------------------------
    @property
    def source_text(self) -> str:
        """The text of the file (empty for a document built in memory and not written yet)."""
        return self.source.text

    @property
    def tree(self) -> Map:
        """The file as loaded: plain data (dicts, lists, strings, numbers). Read it, never edit it."""
        return self.source.data

    def strings(self) -> list[tuple[tuple[str | int, ...], str, Location]]:
        """Every string in the file with its path and location, in file order (walked once)."""
        return self.source.strings()

    @property
    def memo(self) -> dict:
        """Per-file results that rules compute once and share (e.g. the prose strings)."""
        return self.source.memo

    def locate(self, path, on_key: bool = False) -> Location:
        """Where the node at `path` (keys and indexes) is written, or its nearest existing ancestor."""
        return self.source.locate(path, on_key)

    def position(self, line: int, column: int) -> Location:
        """A location in the file from a 1-based line and column."""
        return self.source.location(line - 1, column - 1)

    def key_location(self, key: str) -> Location:
        """Where a top-level key is written."""
        return self.source.key(self.source.data, key)

    def text_at(self, start: Location, value: str, offset: int) -> Location:
        """Where character `offset` of the string `value` (which starts at `start`) is written."""
        return self.source.text_at(start, value, offset)

    def edit(self, start: Location, value: str, offset: int, old: str, new: str, title: str):
        """A `Fix` replacing `old` at character `offset` of `value` (written at `start`) by `new`, or None."""
        return self.source.edit(start, value, offset, old, new, title)

    def walk(self) -> Iterator[Block]:
        """Every block of the body in document order (sections before their contents)."""
        return iter(self._blocks())

    def _blocks(self) -> list[Block]:
        # the model is read-only once built: every rule shares one flattening of the body
        cached = self.source.memo.get("blocks")
        if cached is None or cached[0] is not self.body:
            out: list[Block] = []
            _flatten(self.body, out)
            cached = (self.body, out)
            self.source.memo["blocks"] = cached
        return cached[1]

    def sections(self) -> list[Section]:
        return [b for b in self.walk() if isinstance(b, Section)]


def _flatten(blocks: list[Block], out: list[Block]) -> None:
    """`blocks` and their sections' blocks, depth first, appended to `out`.

    A module function, not a recursive closure: a closure that calls itself is a reference cycle,
    which kept every checked plan's model alive until the cyclic collector ran.
    """
    for block in blocks:
        out.append(block)
        if isinstance(block, Section):
            _flatten(block.children, out)


@dataclass
class Plan(SourceDocument):
    source: Source
    kind: str
    title: Text
    issuer: Text
    doc_number: Text | None
    period: tuple[DateField, DateField] | None
    recipients: list[Text]
    date: DateField | None
    signature: Text | None
    sealed: bool
    cc: list[Text]
    printer: Text | None
    print_date: DateField | None
    note: Text | None
    valid_until: DateField | None
    basis: list[Basis]
    parent_path: Text | None
    parent_version: Text | None
    #: The plan's own Word template (`模板`), a path relative to the plan file.
    template: Text | None
    notice: Notice | None
    body: list[Block]
    attachments: list[Attachment]
    #: 来源: "自行制定" (the office's own plan, the default) or "上级来文" (a received plan).
    provenance: str = AUTHORED

    @property
    def received(self) -> bool:
        """A received plan (上级来文): missing 责任单位 and 完成时限 are info findings, not errors."""
        return self.provenance == RECEIVED
    #: 版头 elements of GB/T 9704 7.2: 份号, 密级 and 保密期限, 紧急程度, 签发人 (上行文).
    copy_number: Text | None = None
    secret: Text | None = None
    secret_term: Text | None = None
    urgency: Text | None = None
    signers: list[Text] = field(default_factory=list)
    #: 版式: 文件 (the red 文件 head) or 信函 (GB/T 9704 10.1).
    layout: str = "文件"
    #: `联合发文机关`: the other organs of a jointly issued document (联合行文), after the lead organ.
    joint_issuers: list[Text] = field(default_factory=list)
    #: `编号方式` of the document: "连续" (tasks numbered 1…n through the document, the default) or
    #: "分章重排" (tasks restart at 1 under each section).
    numbering: str = "连续"
    #: `分工写法`: how each task's 责任单位 and 完成时限 are printed in the body: "分行" (lines under the
    #: task, the default), "括注" (in brackets at the end of its text) or "分工表" (only in the
    #: 任务分工表 attachment).
    division: str = "分行"
    #: `牵头配合写法`: "括号", "后缀", "分列" or "同行" (`wording.units_lines`), None for the default
    #: of each `分工写法`.
    units_form: str | None = None
    #: `时限标签`: what a 完成时限 line starts with ("完成时限", "时间节点", "完成时间").
    deadline_label: str = "完成时限"
    #: `分行句号: false`: the 责任单位 and 完成时限 lines end without a full stop.
    line_stop: bool = True
    #: `标题句号: true`: section titles without a 导语 end with 。 ("一、工作要求。"), as some
    #: received documents print them.
    heading_stop: bool = False
    #: `版头: false`: no 发文机关标志 and red rule; the 发文字号 goes under the title (a document
    #: copied from a web page, reproduced as received).
    letterhead: bool = True
    #: `序号样式`: the numbering marker of each depth from the outermost ("一、", "（一）", "1.",
    #: "1、", "（1）"); depths not listed use `numbering.MARKERS`.
    markers: tuple[str, ...] = ()

    def tasks(self) -> list[Task]:
        return [b for b in self.walk() if isinstance(b, Task)]

    def release(self) -> None:
        """Break the model's one reference cycle (each task lists its enclosing sections, which
        hold it), so that a job dropping plan after plan (cascade) frees each at once rather than
        through the cyclic collector. The plan must not be used afterwards."""
        for task in self.tasks():
            task.sections = []

    def task_by_id(self) -> dict[str, Task]:
        out: dict[str, Task] = {}
        for task in self.tasks():
            out.setdefault(task.id, task)
        return out

    def dates(self) -> list[DateField]:
        fields = [self.date, self.print_date, self.valid_until, *(self.period or ())]
        return [f for f in fields if f is not None]

    @property
    def period_end(self) -> dt.date | None:
        ends = [d.date for d in (self.period[1] if self.period else None, self.valid_until) if d and d.date]
        return min(ends) if ends else None

    @property
    def period_start(self) -> dt.date | None:
        return self.period[0].date if self.period and self.period[0].date else None

    # -- construction ---------------------------------------------------------------------------
    @classmethod
    def from_source(cls, src: Source, registry: Registry | None = None) -> Plan:
        """Build a plan from a schema-valid source.

        With `registry`, deadlines may name the periods (主汛期, 春节…) registered for the issuing
        organisation or its parents; without it such phrases stay unread.
        """
        periods = None
        if registry is not None and isinstance(src.data.get("发文机关"), str):
            org = registry.organisation_of(src.data["发文机关"])
            periods = registry.periods_for(org) if org is not None else None
        return _Builder(src, periods).plan()


#: The `类型` of an attachment built from the tasks (序号, 工作任务, 牵头单位, 配合单位, 完成时限).
TASK_TABLE_KIND = "任务分工表"
#: The columns of a 任务分工表 unless its `列` names others.
TASK_TABLE_COLUMNS = ("序号", "工作任务", "牵头单位", "配合单位", "完成时限")
#: What a column of a 任务分工表 can show, with the headers documents give it (`列`). A 责任单位
#: column holds the lead and supporting units ("A（牵头），B（配合）"), or the lead only when a
#: 配合单位 column follows.
TASK_TABLE_ROLES: dict[str, tuple[str, ...]] = {
    "序号": ("序号", "编号"),
    "任务": ("工作任务", "重点任务", "任务内容", "主要任务", "具体任务", "任务", "任务名称", "工作内容", "工作措施"),
    "责任单位": ("责任单位", "责任部门", "责任主体", "主责单位", "负责单位"),
    "牵头": ("牵头单位", "牵头部门"),
    "配合": ("配合单位", "配合部门", "协办单位"),
    "时限": ("完成时限", "完成时间", "时间节点", "时限", "完成期限", "时限要求"),
    "备注": ("备注",),
}


def task_table_role(header: str) -> str | None:
    """What the 任务分工表 column headed `header` shows (a key of `TASK_TABLE_ROLES`), or None."""
    name = "".join(header.split())
    return next((role for role, names in TASK_TABLE_ROLES.items() if name in names), None)

#: What `docgen import` writes where it found no title in the source (a section's, an attachment's
#: or the document's); DG411 asks the drafter to write the real one before the plan is printed.
UNFOUND_TITLE = "（标题未识别）"
UNFOUND_ATTACHMENT_TITLE = "（附件标题未识别）"
UNFOUND_TITLES = (UNFOUND_TITLE, UNFOUND_ATTACHMENT_TITLE)

#: Values of `分工写法`.
DIVISION_LINES = "分行"
DIVISION_BRACKETS = "括注"
DIVISION_TABLE = "分工表"
#: Values of a task's `正文写明`.
STATED_UNITS = "责任单位"
STATED_DEADLINE = "完成时限"
STATED_TARGETS = "指标"

#: Values of `编号方式`.
CONTINUOUS = "连续"
RESTART = "分章重排"


def _number(blocks: list[Block], mode: str, running: list[int]) -> None:
    """Give every section and task its printed number.

    Sections count among their siblings. Tasks count through the document (`running`, shared)
    or, where the nearest `编号方式` says 分章重排, among the tasks of their own parent. A fixed
    `序号` is printed as written and the following items continue from it.
    """
    sections = 0
    local = 0
    for block in blocks:
        if isinstance(block, Section):
            sections = block.explicit_number or sections + 1
            block.number = sections
            _number(block.children, block.numbering or mode, running)
        elif isinstance(block, Task):
            if mode == RESTART:
                local = block.explicit_number or local + 1
                block.number, block.restarted = local, True
            else:
                running[0] = block.explicit_number or running[0] + 1
                block.number = running[0]


class _Builder:
    """Turns one schema-valid round-trip tree into a `Plan`."""

    def __init__(self, src: Source, periods: deadlines.Periods | None = None):
        self.src = src
        self.periods = periods
        self._periods = deadlines.frozen(periods)
        self.plan_year = self._plan_year(src.data)
        self._phrases: dict[tuple[str, int | None], object] = {}
        self._counter = 0

    def _plan_year(self, d: Map) -> int | None:
        """The year named periods fall in when a phrase gives none: the plan's first year."""
        for field_ in (d.get("实施期限", {}).get("起") if isinstance(d.get("实施期限"), dict) else None,
                       d.get("成文日期")):
            if isinstance(field_, dt.date):
                return field_.year
            if field_ is not None:
                try:
                    return deadlines.parse_date(str(field_)).year
                except DeadlineError:
                    continue
        return None

    def text(self, m: Map, key: str) -> Text | None:
        if key not in m:
            return None
        return Text(str(m[key]), self.src.value(m, key))

    def texts(self, m: Map, key: str) -> list[Text]:
        seq = m.get(key)
        if not isinstance(seq, list):
            return []
        return [Text(str(v), self.src.item(seq, i)) for i, v in enumerate(seq)]

    def date(self, m: Map, key: str) -> DateField | None:
        if key not in m:
            return None
        raw = m[key]
        text = raw.isoformat() if isinstance(raw, dt.date) else str(raw)
        try:
            return DateField(text, self.src.value(m, key), deadlines.parse_date(text), None)
        except DeadlineError as exc:
            return DateField(text, self.src.value(m, key), None, str(exc))

    def plan(self) -> Plan:
        d = self.src.data
        numbering = str(d.get("编号方式", CONTINUOUS))
        period = None
        if "实施期限" in d:
            p = d["实施期限"]
            period = (self.date(p, "起"), self.date(p, "止"))
        notice = None
        if "印发通知" in d:
            n = d["印发通知"]
            notice = Notice(self.text(n, "标题"), self.texts(n, "主送"), self.text(n, "正文"), self.src.node(n))
        plan = Plan(
            source=self.src,
            kind=str(d["文种"]),
            title=self.text(d, "标题"),
            issuer=self.text(d, "发文机关"),
            doc_number=self.text(d, "发文字号"),
            period=period,
            recipients=self.texts(d, "主送"),
            date=self.date(d, "成文日期"),
            signature=self.text(d, "署名"),
            sealed=bool(d.get("用印", True)),
            cc=self.texts(d, "抄送"),
            printer=self.text(d, "印发机关"),
            print_date=self.date(d, "印发日期"),
            note=self.text(d, "附注"),
            valid_until=self.date(d, "有效期至"),
            basis=[Basis(self.text(b, "标题"), self.text(b, "发文字号")) for b in d.get("依据", [])],
            parent_path=self.text(d, "上级方案"),
            parent_version=self.text(d, "上级版本"),
            template=self.text(d, "模板"),
            notice=notice,
            body=self.body(d["正文"], numbering),
            attachments=[self.attachment(a) for a in d.get("附件", [])],
            provenance=str(d.get("来源", AUTHORED)),
            numbering=numbering,
            division=str(d.get("分工写法", DIVISION_LINES)),
            letterhead=bool(d.get("版头", True)),
            units_form=str(d["牵头配合写法"]) if "牵头配合写法" in d else None,
            line_stop=bool(d.get("分行句号", True)),
            heading_stop=bool(d.get("标题句号", False)),
            deadline_label=str(d.get("时限标签", "完成时限")),
            markers=tuple(str(m) for m in d.get("序号样式", ())),
            joint_issuers=self.texts(d, "联合发文机关"),
            copy_number=self.text(d, "份号"),
            secret=self.text(d, "密级"),
            secret_term=self.text(d, "保密期限"),
            urgency=self.text(d, "紧急程度"),
            signers=(self.texts(d, "签发人") if isinstance(d.get("签发人"), list)
                     else [self.text(d, "签发人")] if "签发人" in d else []),
            layout=str(d.get("版式", "文件")),
        )
        return plan

    def body(self, seq: Seq, numbering: str = CONTINUOUS) -> list[Block]:
        """The blocks of `正文`, numbered."""
        blocks = self.blocks(seq, depth=1, parents=[])
        _number(blocks, numbering, [0])
        return blocks

    def data_block(self, raw: Map, loc: Location) -> object | None:
        """A data block (表格, 图表, 名单) of the body; a plan has none (a 通报's builder reads them:
        `docgen.bulletin.model`)."""
        return None

    def blocks(self, seq: Seq, depth: int, parents: list[Section]) -> list[Block]:
        out: list[Block] = []
        for i, raw in enumerate(seq):
            loc = self.src.item(seq, i)
            if "任务" in raw:
                out.append(self.task(raw, loc, parents))
            elif (data := self.data_block(raw, loc)) is not None:
                out.append(data)
            elif "行" in raw:
                out.append(self.body_table(raw, loc))
            elif "图题" in raw:
                out.append(Figure(self.text(raw, "图题"), loc))
            elif "表格" in raw or "图表" in raw:
                # a 通报's data block read as a plan (`docgen diff`, an import compared): what it
                # prints, a titled table or a figure, not a section
                title = self.text(raw, "标题")
                if "图表" in raw:
                    out.append(Figure(title or Text("", loc), loc))
                else:
                    out.append(BodyTable(title, [], [], loc))
            elif "标题" in raw:
                section = Section(
                    title=self.text(raw, "标题"),
                    intro=self.text(raw, "导语"),
                    children=[],
                    responsibility=self.responsibility(raw, "责任单位"),
                    deadline=self.deadline(raw, "完成时限"),
                    depth=depth,
                    loc=loc,
                    numbering=str(raw["编号方式"]) if "编号方式" in raw else None,
                    explicit_number=int(raw["序号"]) if "序号" in raw else None,
                    child_marker=str(raw["下一层序号"]) if "下一层序号" in raw else None,
                )
                if "内容" in raw:
                    section.children = self.blocks(raw["内容"], depth + 1, parents + [section])
                out.append(section)
            else:
                out.append(Paragraph(
                    text=self.text(raw, "段落"),
                    lead=self.text(raw, "要旨"),
                    items=self.texts(raw, "分项"),
                    stages=self.milestones(raw["阶段"]) if "阶段" in raw else [],
                    targets=self.targets(raw),
                    attachment=self.text(raw, "附件"),
                    loc=loc,
                ))
        return out

    def body_table(self, raw: Map, loc: Location) -> BodyTable:
        rows = raw["行"]
        return BodyTable(
            title=self.text(raw, "标题"),
            columns=self.texts(raw, "列"),
            rows=[[Text(str(c), self.src.item(row, j)) for j, c in enumerate(row)] for row in rows],
            loc=loc,
            row_locs=[self.src.item(rows, i) for i in range(len(rows))],
            groups=self.texts(raw, "表头分组"),
        )

    def task(self, raw: Map, loc: Location, parents: list[Section]) -> Task:
        self._counter += 1
        return Task(
            id=str(raw["编号"]),
            lead=self.text(raw, "任务"),
            body=self.text(raw, "内容"),
            items=self.texts(raw, "分项"),
            responsibility=self.responsibility(raw, "责任单位"),
            deadline=self.deadline(raw, "完成时限"),
            targets=self.targets(raw),
            parent_id=Text(str(raw["上级任务"]), self.src.value(raw, "上级任务")) if "上级任务" in raw else None,
            attachment=self.text(raw, "附件"),
            remark=self.text(raw, "备注"),
            loc=loc,
            id_loc=self.src.value(raw, "编号"),
            explicit_number=int(raw["序号"]) if "序号" in raw else None,
            index=self._counter,
            sections=list(parents),
            division=str(raw["分工写法"]) if "分工写法" in raw else None,
            stated=frozenset(str(k) for k in raw.get("正文写明", ())),
        )

    def unit_refs(self, node: object, loc: Location) -> tuple[UnitRef, ...]:
        if isinstance(node, str):
            return (UnitRef(node, loc),)
        if isinstance(node, list):
            return tuple(UnitRef(str(v), self.src.item(node, i)) for i, v in enumerate(node))
        return ()

    def responsibility(self, m: Map, key: str) -> Responsibility | None:
        if key not in m:
            return None
        node, loc = m[key], self.src.value(m, key)
        if isinstance(node, dict):
            lead = self.unit_refs(node.get("牵头"), self.src.value(node, "牵头")) if "牵头" in node else ()
            support = self.unit_refs(node.get("配合"), self.src.value(node, "配合")) if "配合" in node else ()
            return Responsibility(lead, support, loc)
        return Responsibility(self.unit_refs(node, loc), (), loc)

    def deadline(self, m: Map, key: str) -> Deadline | None:
        if key not in m:
            return None
        node, loc = m[key], self.src.value(m, key)
        if isinstance(node, list):
            return Deadline(tuple(self.milestones(node)), loc)
        text = node.isoformat() if isinstance(node, dt.date) else str(node)
        return Deadline((self.milestone(text, None, loc, None),), loc)

    def milestones(self, seq: Seq) -> list[Milestone]:
        out: list[Milestone] = []
        year: int | None = None
        for i, item in enumerate(seq):
            if isinstance(item, dict):
                raw, content, loc = item["时限"], self.text(item, "内容"), self.src.value(item, "时限")
            else:
                raw, content, loc = item, None, self.src.item(seq, i)
            text = raw.isoformat() if isinstance(raw, dt.date) else str(raw)
            milestone = self.milestone(text, content.value if content else None, loc, year)
            if milestone.date:
                year = milestone.date.year
            out.append(milestone)
        return out

    def milestone(self, text: str, content: str | None, loc: Location, year: int | None) -> Milestone:
        # a plan repeats a few phrases (2025年底前, 长期坚持…) thousands of times: parse each once
        key = (text, year)
        parsed = self._phrases.get(key)
        if parsed is None:
            parsed = self._phrases[key] = deadlines.read(text, year, self._periods, self.plan_year)
        if isinstance(parsed, str):
            return Milestone(text, content, None, None, parsed, loc)
        return Milestone(text, content, parsed.kind, parsed.date, None, loc, parsed.note)

    def targets(self, m: Map) -> list[Target]:
        out: list[Target] = []
        for i, t in enumerate(m.get("指标", [])):
            split = None
            if "分解" in t:
                raw = t["分解"]
                split = Split(str(raw["方式"]), raw.get("数据项"),
                              {str(k): float(v) for k, v in raw.get("表", {}).items()}, self.src.value(t, "分解"))
            out.append(Target(
                name=str(t["名称"]), op=str(t["要求"]), value=float(t["目标值"]), unit=str(t.get("单位", "")),
                by_year={int(k): float(v) for k, v in t.get("分年度", {}).items()},
                loc=self.src.item(m["指标"], i),
                split=split,
                deadline=self._phrase(t, "完成时限"),
                phases=tuple(self.phases(t["分期"])) if "分期" in t else (),
            ))
        return out

    def _phrase(self, m: Map, key: str, year: int | None = None) -> Milestone | None:
        if key not in m:
            return None
        raw = m[key]
        text = raw.isoformat() if isinstance(raw, dt.date) else str(raw)
        return self.milestone(text, None, self.src.value(m, key), year)

    def phases(self, seq: Seq) -> list[Phase]:
        out: list[Phase] = []
        year: int | None = None
        for i, raw in enumerate(seq):
            deadline = self._phrase(raw, "时限", year)
            if deadline.date:
                year = deadline.date.year
            out.append(Phase(
                deadline=deadline,
                units=self.unit_refs(raw["单位"], self.src.value(raw, "单位")),
                value=float(raw["目标值"]) if "目标值" in raw else None,
                note=str(raw["说明"]) if "说明" in raw else None,
                loc=self.src.item(seq, i),
            ))
        return out

    def attachment(self, a: Map) -> Attachment:
        return Attachment(
            title=self.text(a, "标题"),
            kind=str(a.get("类型", "表格")),
            columns=[str(c) for c in a.get("列", [])],
            rows=[[str(c) for c in row] for row in a.get("行", [])],
            landscape=bool(a.get("横向", False)),
            loc=self.src.node(a),
            blank=int(a.get("空行", 0)),
        )


def batch_deadlines(task: Task, registry: Registry, org: Organisation) -> dict[str, Deadline]:
    """unit or sub-organisation -> its own deadline in `task`: the 时限 of the batch (分期) of the
    task's targets that names it ("2012年底前，西城街道、花街镇……；2013年底前，……"), the latest
    when several do. Notices, ledgers, progress and cascade give each its own; DG304 lets a child
    plan's task run to it."""
    found: dict[str, list] = {}
    for target in task.targets:
        for phase in target.phases:
            for ref in phase.units:
                for unit in registry.expand(org, ref.name):
                    found.setdefault(unit, []).append(phase.deadline)
    out = {}
    for unit, milestones in found.items():
        dated = [m for m in milestones if m.date is not None]
        latest = max(dated, key=lambda m: m.date) if dated else milestones[-1]
        latest = replace(latest, phrase=deadlines.standalone(latest))  # read on its own, out of its list
        out[unit] = Deadline((latest,), latest.loc)
    return out
