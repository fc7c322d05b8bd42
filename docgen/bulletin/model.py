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
from docgen.model import RECEIVED, DateField, Paragraph, Section, SourceDocument, Text, _Builder
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
    #: 占比: columns followed by each row's share of the column's total.
    share: list[Text] = field(default_factory=list)
    #: 表头: a head row above the columns, a label over several of them ({道路交通: [起数, 死亡]}).
    groups: list[tuple[Text, list[Text]]] = field(default_factory=list)
    #: 无则: the sentence printed instead when the table has no row (各项任务均按期完成).
    empty: Text | None = None


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
    #: 格式: each row as a phrase from a table's columns ("{乡镇}上报{单位数}家单位隐患{隐患数}处").
    fmt: Text | None = None
    #: 分隔: how the entries are joined: 顿号 (A、B), 分号 (A；B) or 句号 (a sentence each).
    sep: str | None = None
    #: 排序: a numeric column, most first (else the data's order).
    sort: Text | None = None
    #: 编号: entries numbered 1. 2. / 一是 二是 / （1）（2）.
    numbered: str | None = None
    #: 分组: a column whose values group the entries (考核等次), in the order of `grades` if given.
    group: Text | None = None
    grades: list[Text] = field(default_factory=list)
    #: 等: "等N个…": the first entries then 等8个州（市）.
    etc: Text | None = None
    etc_count: int | None = None
    #: 无则: the sentence printed when the list is empty (各单位均按时报送).
    empty: Text | None = None
    #: 接上段: the list's sentence runs on in the paragraph before it.
    run_on: bool = False


@dataclass
class CondRef:
    """如有: blocks printed when a figure is not zero, a table has rows or a list has names; 否则
    the others (no accident: 未发生生产安全事故)."""

    source: Text
    then: list
    otherwise: list
    loc: Location


@dataclass
class AttachmentRef:
    title: Text
    table: TableRef | None
    landscape: bool
    loc: Location
    #: A written table (列, 行), a blank form (类型: 表单: a label per row of 列, a blank to fill) or
    #: a blank table (类型: 空表: 列 with `blank` empty rows).
    kind: str = "表格"
    columns: list[Text] = field(default_factory=list)
    rows: list[list[Text]] = field(default_factory=list)
    blank: int = 0
    #: 无则省略: left out (and the others renumbered) when its data table has no row.
    optional: bool = False

    def omitted(self, data: data_file.Data | None) -> bool:
        """Left out: optional, and its data table is empty."""
        return (self.optional and self.table is not None and data is not None
                and self.table.table.value in data.tables and not data.tables[self.table.table.value].rows)


#: A block of a 通报's body: the plan's sections and paragraphs (tasks have no place in a 通报 and are
#: not printed), a table written out (`model.BodyTable`), or a data block.
Block = Union[model.Block, TableRef, ChartRef, ListRef, CondRef]


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
    #: 版头 elements (GB/T 9704 7.2): 份号, 密级 and 保密期限, 紧急程度, 签发人.
    copy_number: Text | None = None
    secret: Text | None = None
    secret_term: Text | None = None
    urgency: Text | None = None
    signers: list[Text] = field(default_factory=list)
    #: 版式: 文件 (the red 文件 head) or 信函 (GB/T 9704 10.1).
    layout: str = "文件"
    #: `来源: 上级来文`: an imported 通报, its paragraphs printed as they came (no 。 added).
    received: bool = False

    def blocks(self) -> list[Block]:
        """Every block, depth first, sections included, and both branches of a 如有."""
        out: list = []

        def visit(blocks) -> None:
            for b in blocks:
                out.append(b)
                if isinstance(b, Section):
                    visit(b.children)
                elif isinstance(b, CondRef):
                    visit(b.then)
                    visit(b.otherwise)
        visit(self.body)
        return out

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
                out += [t for t in (b.before, b.after, b.empty) if t]
            elif isinstance(b, TableRef) and b.empty:
                out.append(b.empty)
        return out

    def attached(self) -> list[AttachmentRef]:
        """The attachments printed (an optional one with an empty table is left out)."""
        return [a for a in self.attachments if not a.omitted(self.data)]

    def table_refs(self) -> list[TableRef]:
        return [b for b in self.blocks() if isinstance(b, TableRef)] + [a.table for a in self.attachments if a.table]

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
            body=b.body(d.get("正文", [])), attachments=b.attachments(d.get("附件", [])), loc=src.node(d),
            copy_number=b.text(d, "份号"), secret=b.text(d, "密级"), secret_term=b.text(d, "保密期限"),
            urgency=b.text(d, "紧急程度"),
            signers=(b.texts(d, "签发人") if isinstance(d.get("签发人"), list)
                     else [b.text(d, "签发人")] if "签发人" in d else []),
            layout=str(d.get("版式", "文件")), received=d.get("来源") == RECEIVED)
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
            etc = m.get("等")
            return ListRef(self.text(m, "名单"), self.text(m, "前文"), self.text(m, "后文"),
                           {str(k): (v, self.src.value(cond, k)) for k, v in cond.items()}, loc,
                           fmt=self.text(m, "格式"), sep=str(m["分隔"]) if "分隔" in m else None,
                           sort=self.text(m, "排序"), numbered=str(m["编号"]) if "编号" in m else None,
                           group=self.text(m, "分组"), grades=self.texts(m, "等次"),
                           etc=self.text(etc, "合称") if isinstance(etc, Map) else self.text(m, "等"),
                           etc_count=int(etc["列出"]) if isinstance(etc, Map) and "列出" in etc else None,
                           empty=self.text(m, "无则"), run_on=bool(m.get("接上段", False)))
        if "如有" in m:
            return CondRef(self.text(m, "如有"), self.blocks(m.get("内容", []), self._depth, []),
                           self.blocks(m.get("否则", []), self._depth, []), loc)
        return None

    _depth = 1

    def blocks(self, seq, depth, parents):
        saved, self._depth = self._depth, depth
        try:
            return super().blocks(seq, depth, parents)
        finally:
            self._depth = saved

    def table(self, m: Map, key: str, loc: Location) -> TableRef:
        groups = []
        head = m.get("表头")
        if isinstance(head, Map):
            groups = [(Text(str(k), self.src.key(head, k)), self.texts(head, k)) for k in head]
        return TableRef(self.text(m, key), self.text(m, "标题"), self.texts(m, "列"), self.texts(m, "同比"),
                        bool(m.get("合计", False)), self.text(m, "排序"), loc, share=self.texts(m, "占比"),
                        groups=groups, empty=self.text(m, "无则"))

    def attachments(self, seq) -> list[AttachmentRef]:
        out = []
        for i, m in enumerate(seq):
            loc = self.src.item(seq, i)
            ref = self.table(m, "数据表", loc) if "数据表" in m else None
            rows = [[Text(str(c), self.src.item(row, j)) for j, c in enumerate(row)] for row in m.get("行", [])]
            out.append(AttachmentRef(self.text(m, "标题"), ref, bool(m.get("横向", False)), loc,
                                     kind=str(m.get("类型", "表格")), columns=self.texts(m, "列") if ref is None else [],
                                     rows=rows, blank=int(m.get("空行", 0)), optional=bool(m.get("无则省略", False))))
        return out
