"""A 通报 or 挂牌督办通知 file as typed data: the drafter's document elements, a body of the plan's
sections and paragraphs (`docgen.model`) with the data blocks (tables, charts, lists) that point into
its data file, and the sentences whose ``{placeholders}`` name its figures. Built from a
schema-valid source of the plan schema whose 文种 is one of `KINDS`; the data file is read by
`data.read`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Union

from docgen import model
from docgen.bulletin import data as data_file
from docgen.codes.bulletin import DataUnreadable
from docgen.load import Map, Source
from docgen.model import DateField, Paragraph, Section, SourceDocument, Text, _Builder
from docgen.problems import Location, display_path
from docgen.project import outside_message, project_folder, within

BULLETIN, HAZARDS = "通报", "挂牌督办通知"
KINDS = (BULLETIN, HAZARDS)
#: The table a 挂牌督办通知 lists, and the columns it must fill for every hazard.
HAZARD_TABLE = "隐患"
HAZARD_COLUMNS = ("隐患", "单位/地点", "行业领域", "整改责任单位", "整改时限", "督办单位", "销号要求")
HAZARD_REQUIRED = ("整改责任单位", "整改时限")


def is_bulletin(src: Source) -> bool:
    return src.kind == "plan" and isinstance(src.data, Map) and src.data.get("文种") in KINDS


@dataclass
class TableRef:
    """表格: a data table shown in the body or as an attachment."""

    table: Text
    title: Text | None
    columns: list[Text]
    yoy: list[Text]
    total: bool
    sort: Text | None
    loc: Location


@dataclass
class ChartRef:
    table: Text
    title: Text
    kind: str
    columns: list[Text]
    axis: Text | None
    loc: Location


@dataclass
class ListRef:
    source: Text
    before: Text | None
    after: Text | None
    condition: dict[str, tuple[object, Location]]
    loc: Location


@dataclass
class AttachmentRef:
    title: Text
    table: TableRef
    landscape: bool


#: A block of a 通报's body: the plan's sections and paragraphs (tasks have no place in a 通报 and are
#: not printed), a table written out (`model.BodyTable`), or a data block.
Block = Union[model.Block, TableRef, ChartRef, ListRef]


@dataclass
class Bulletin(SourceDocument):
    source: Source
    kind: str
    title: Text
    issuer: Text
    doc_number: Text | None
    recipients: list[Text]
    date: DateField | None
    signature: Text | None
    sealed: bool
    cc: list[Text]
    printer: Text | None
    print_date: DateField | None
    note: Text | None
    template: Text | None
    data_ref: Text | None
    body: list[Block]
    attachments: list[AttachmentRef]
    data: data_file.Data | None = None
    loc: Location = field(default_factory=lambda: Location("", 1))

    def blocks(self) -> list[Block]:
        """Every block, depth first, sections included."""
        return list(self.walk())

    def dates(self) -> list[DateField]:
        return [f for f in (self.date, self.print_date) if f is not None]

    def texts(self) -> list[Text]:
        """Every sentence the drafter wrote that may hold placeholders."""
        out: list[Text] = []
        for b in self.blocks():
            if isinstance(b, Section):
                out += [t for t in (b.title, b.intro) if t]
            elif isinstance(b, Paragraph):
                out += [t for t in (b.lead, b.text) if t] + b.items
            elif isinstance(b, ListRef):
                out += [t for t in (b.before, b.after) if t]
        return out

    def table_refs(self) -> list[TableRef]:
        return [b for b in self.blocks() if isinstance(b, TableRef)] + [a.table for a in self.attachments]

    @classmethod
    def from_source(cls, src: Source, base: Path | None = None,
                    outside: Callable[[Path], Path | None] | None = None) -> Bulletin:
        """The 通报 of a schema-valid source, its data file read. `outside(path)` says whether the
        data file may be read: None if so, else the project folder it leaves (by default, the
        folder of the source's nearest configuration, or its own folder)."""
        b = _Build(src)
        d = src.data
        bulletin = cls(
            source=src, kind=str(d["文种"]), title=b.text(d, "标题"), issuer=b.text(d, "发文机关"),
            doc_number=b.text(d, "发文字号"), recipients=b.texts(d, "主送"), date=b.date(d, "成文日期"),
            signature=b.text(d, "署名"), sealed=bool(d.get("用印", True)), cc=b.texts(d, "抄送"),
            printer=b.text(d, "印发机关"), print_date=b.date(d, "印发日期"), note=b.text(d, "附注"),
            template=b.text(d, "模板"), data_ref=b.text(d, "数据"),
            body=b.body(d.get("正文", [])), attachments=b.attachments(d.get("附件", [])), loc=src.node(d))
        if bulletin.data_ref is not None:
            path = src.path.parent / bulletin.data_ref.value
            outside = outside or (lambda p: None if within(p, [project_folder(src.path)]) else project_folder(src.path))
            folder = outside(path)
            if folder is not None:
                bulletin.data = data_file.Data(path, problems=[DataUnreadable.problem(
                    outside_message(f"数据文件“{bulletin.data_ref.value}”", folder) + "。", bulletin.data_ref.loc)])
            else:
                bulletin.data = data_file.read(path, display_path(path, base) if base else str(path))
        return bulletin


class _Build(_Builder):
    """The plan's body builder, reading the data blocks too."""

    def data_block(self, m: Map, loc: Location) -> TableRef | ChartRef | ListRef | None:
        if "表格" in m:
            return self.table(m, "表格", loc)
        if "图表" in m:
            return ChartRef(self.text(m, "图表"), self.text(m, "标题"), str(m.get("类型", "柱状图")),
                            self.texts(m, "列"), self.text(m, "纵轴"), loc)
        if "名单" in m:
            cond = m.get("条件") or {}
            return ListRef(self.text(m, "名单"), self.text(m, "前文"), self.text(m, "后文"),
                           {str(k): (v, self.src.value(cond, k)) for k, v in cond.items()}, loc)
        return None

    def table(self, m: Map, key: str, loc: Location) -> TableRef:
        return TableRef(self.text(m, key), self.text(m, "标题"), self.texts(m, "列"), self.texts(m, "同比"),
                        bool(m.get("合计", False)), self.text(m, "排序"), loc)

    def attachments(self, seq) -> list[AttachmentRef]:
        out = []
        for i, m in enumerate(seq):
            if "数据表" in m:
                ref = self.table(m, "数据表", self.src.item(seq, i))
                out.append(AttachmentRef(self.text(m, "标题"), ref, bool(m.get("横向", False))))
        return out
