"""The 通报 (文种: 通报, also what `docgen report` drafts) and the 挂牌督办通知 as document files (`docgen.bulletin.model.Bulletin`): the drafter's
title, 主送, sentences, signature and 版记, with figures filled into the sentences and tables,
charts and lists built from the data file. Pure but for drawing charts (`docgen.bulletin.chart`).

Sections are numbered 一、（一）1.; a second-level section whose title is followed by its text is
one paragraph (（一）精心制定方案，分类推进实施。一是……); 分项 read 一是……；二是……。 Tables from
data: chosen columns, 同比 columns (上年同期, 同比), sorted, a 合计 row; charts are 图1, 图2 … with the
caption under the picture; attachments are 附件1, 附件2 … with the 附件说明 above the signature.
"""

from __future__ import annotations

import re
from decimal import Decimal

from docgen import wording
from docgen.bulletin import chart as charts
from docgen.bulletin import text as placeholders
from docgen.bulletin.data import SEP, DataTable
from docgen.bulletin.model import (
    HAZARD_COLUMNS,
    HAZARD_TABLE,
    HAZARDS,
    AttachmentRef,
    Bulletin,
    ChartRef,
    ListRef,
    TableRef,
)
from docgen.compose import kinds
from docgen.compose.composer import body_table
from docgen.compose.tree import Attachment, Closing, Document, Emphasis, Para, Picture, Role, Run, Signature, Table
from docgen.model import BodyTable, Paragraph, Section
from docgen.numbering import heading, ordinal
from docgen.problems import Location
from docgen.registry import Registry
from docgen.wording import sentence

YOY = "上年同期"
#: Width shares of the hazard list's columns (long texts wide, the sector and dates narrower).
HAZARD_SHARES = {"序号": 0, "隐患": 3, "单位/地点": 3, "行业领域": 1.3, "整改责任单位": 2.2, "整改时限": 1.8,
                 "督办单位": 1.8, "销号要求": 3}
TOTAL = "合计"
#: Sections deeper than this are numbered as this level (（1）).
MAX_DEPTH = 4


class BulletinComposeError(Exception):
    """What compose could not build (never raised after a clean check)."""

    def __init__(self, findings: list[tuple[Location, str]]):
        super().__init__("; ".join(m for _, m in findings))
        self.findings = findings


def table_from(ref: TableRef, data: DataTable) -> Table:
    """The table `ref` asks for: columns (default: all but base periods), 同比 pairs, order, 合计."""
    columns = [c.value for c in ref.columns] or [c for c in data.columns if SEP not in c]
    yoy = {c.value for c in ref.yoy}
    rows = list(data.rows)
    if ref.sort is not None:
        key = ref.sort.value
        rows.sort(key=lambda r: -_num(r, key))  # stable: ties keep the data's order
    heads: list[str] = []
    for c in columns:
        heads.append(c)
        if c in yoy:
            heads += [f"{c}{YOY}" if len(yoy) > 1 else YOY, "同比"]

    def line(values: dict[str, Decimal | str]) -> tuple[str, ...]:
        out = []
        for c in columns:
            v = values.get(c, "")
            out.append(wording.number(v, places=2) if isinstance(v, Decimal) else str(v))
            if c in yoy:
                base = values.get(f"{c}{SEP}{YOY}")
                out.append(wording.number(base, places=2) if isinstance(base, Decimal) else "")
                out.append(_short_change(v, base))
        return tuple(out)

    body = [line({k: cell.value if cell.value is not None else "" for k, cell in r.items()}) for r in rows]
    if ref.total:
        sums: dict[str, Decimal | str] = {columns[0]: TOTAL}
        for c in data.columns:
            values = [r[c].value for r in rows if c in r]
            if values and all(isinstance(v, Decimal) for v in values) and c != columns[0]:
                sums[c] = sum(values, Decimal(0))
        body.append(line(sums))
    numeric = {i for i, h in enumerate(heads) if i and all(_looks_numeric(row[i]) for row in body)}
    return Table(tuple(heads), tuple(body), narrow=frozenset(numeric))


def _num(row, key: str) -> Decimal:
    cell = row.get(key)
    return cell.value if cell is not None and isinstance(cell.value, Decimal) else Decimal(0)


def _looks_numeric(text: str) -> bool:
    return len(text) <= 12


def _short_change(current, base) -> str:
    """The 同比 cell: 上升33.3%, 下降25.0%, 持平; 增加4 (上年同期为0); "" without both values."""
    if not isinstance(current, Decimal) or not isinstance(base, Decimal):
        return ""
    text = wording.compare(current, base, "同比")
    return text.removeprefix("同比").replace("（上年同期为0）", "")


def list_names(ref: ListRef, bulletin: Bulletin) -> list[str]:
    data = bulletin.data
    name = ref.source.value
    if name in data.lists:
        return [n for n, _ in data.lists[name]]
    table = data.tables[name]
    first = table.columns[0]
    out = []
    for row in table.rows:
        if all(_matches(row.get(col), want) for col, (want, _) in ref.condition.items()):
            out.append(row[first].text)
    return out


def _matches(cell, want) -> bool:
    if cell is None:
        return False
    if isinstance(want, (int, float)) and not isinstance(want, bool):
        threshold = Decimal(str(want))  # (NaN or infinity as a threshold selects nothing, never raises)
        return isinstance(cell.value, Decimal) and threshold.is_finite() and cell.value >= threshold
    return cell.text == str(want)


def chart_png(ref: ChartRef, data: DataTable) -> bytes:
    first = data.columns[0]
    labels = [r[first].text for r in data.rows]
    series = [(c.value, [_num(r, c.value) for r in data.rows]) for c in ref.columns]
    series = [(YOY if SEP in name else name, values) for name, values in series]
    return charts.draw(ref.kind, labels, series, ref.axis.value if ref.axis else "")


class _Composer:
    def __init__(self, bulletin: Bulletin):
        self.b = bulletin
        self.findings: list[tuple[Location, str]] = []
        self.figure_count = 0
        self.table_count = 0

    def t(self, text) -> str:
        if text is None:
            return ""
        out, misses = placeholders.fill(text.value, self.b.data)
        self.findings += [(text.loc, m.message) for m in misses]
        return out

    def blocks(self, blocks) -> list:
        out: list = []
        for block in blocks:
            if isinstance(block, Section):
                out += self.section(block)
            elif isinstance(block, Paragraph):
                out.append(self.paragraph(block))
            elif isinstance(block, TableRef):
                out += self.table(block)
            elif isinstance(block, ChartRef):
                out += self.chart(block)
            elif isinstance(block, ListRef):
                out.append(self.names(block))
            elif isinstance(block, BodyTable):
                out += body_table(block, lambda text: text.value.strip() if text else "")  # as written
        return out

    def section(self, s: Section) -> list:
        title = self.t(s.title)
        depth = min(s.depth, MAX_DEPTH)
        if depth == 1:
            out: list = [Para(Role.HEADING1, (Run(f"{heading(1, s.number)}{title}", Emphasis.HEADING),))]
            if s.intro:
                out.append(Para.plain(Role.BODY, sentence(self.t(s.intro))))
            return out + self.blocks(s.children)
        runs = [Run(f"{heading(depth, s.number)}{sentence(title)}", Emphasis.LEAD)]
        children = list(s.children)
        # The first paragraph of the section runs on after its title, as offices write (（一）…。一是…).
        if s.intro:
            runs.append(Run(sentence(self.t(s.intro))))
        elif children and isinstance(children[0], Paragraph):
            runs += self.paragraph(children.pop(0)).runs
        return [Para(Role.BODY, tuple(runs))] + self.blocks(children)

    def paragraph(self, p: Paragraph) -> Para:
        runs = []
        if p.lead:
            runs.append(Run(sentence(self.t(p.lead)), Emphasis.LEAD))
        text = self.t(p.text)
        if p.items:
            items = [f"{ordinal(i)}{self.t(item).rstrip('。；;')}" for i, item in enumerate(p.items, start=1)]
            text = (sentence(text, "：") if text else "") + "；".join(items) + "。"
        else:
            text = sentence(text)
        runs.append(Run(text))
        return Para(Role.BODY, tuple(runs))

    def table(self, ref: TableRef) -> list:
        out: list = []
        if ref.title:
            self.table_count += 1
            out.append(Para.plain(Role.SUBTITLE, f"表{self.table_count}　{self.t(ref.title)}"))
        out.append(table_from(ref, self.b.data.tables[ref.table.value]))
        return out

    def chart(self, ref: ChartRef) -> list:
        self.figure_count += 1
        png = chart_png(ref, self.b.data.tables[ref.table.value])
        return [Picture(png, charts.WIDTH_CM, charts.HEIGHT_CM, f"图{self.figure_count}"),
                Para.plain(Role.SUBTITLE, f"图{self.figure_count}　{self.t(ref.title)}")]

    def names(self, ref: ListRef) -> Para:
        found = list_names(ref, self.b)
        before, after = self.t(ref.before), self.t(ref.after)
        # names in a series (A、B); phrases that hold their own commas or brackets one by one (A；B)
        sep = "；" if any(re.search(r"[，、（]", n) for n in found) else "、"
        text = f"{before}{sep.join(found) if found else '无'}"
        return Para.plain(Role.BODY, sentence(text + (f"，{after}" if after and found else ""), "。"))

    def attachment(self, i: int, total: int, a: AttachmentRef) -> Attachment:
        table = table_from(a.table, self.b.data.tables[a.table.table.value])
        if a.landscape:
            table = Table(table.columns, table.rows, table.narrow, landscape=True)
        return Attachment(f"附件{i}" if total > 1 else "附件", self.t(a.title), table)


def compose_bulletin(bulletin: Bulletin, registry: Registry | None = None) -> Document:
    """The document of a 通报 or 挂牌督办通知 file (module docstring)."""
    b = bulletin
    c = _Composer(b)
    title = c.t(b.title)
    body: list = [Para.plain(Role.TITLE, title)]
    if b.recipients:
        body.append(Para.plain(Role.RECIPIENTS, "，".join(c.t(r) for r in b.recipients) + "："))
    body += c.blocks(b.body)
    if b.kind == HAZARDS and b.data is not None and HAZARD_TABLE in b.data.tables \
            and not any(a.table.table.value == HAZARD_TABLE for a in b.attachments):
        hazards = b.data.tables[HAZARD_TABLE]
        cols = [c_ for c_ in HAZARD_COLUMNS if c_ in hazards.columns]
        rows = tuple((str(i), *(r[c_].text if c_ in r else "" for c_ in cols)) for i, r in enumerate(hazards.rows, 1))
        hazard_table = Table(("序号", *cols), rows, narrow=frozenset({0}), landscape=True,
                             shares=tuple(HAZARD_SHARES.get(c_, 2) for c_ in ("序号", *cols)))
    else:
        hazard_table = None
    attachments = [c.attachment(i, len(b.attachments) + bool(hazard_table), a)
                   for i, a in enumerate(b.attachments, start=1)]
    if hazard_table is not None:
        n = len(attachments) + 1
        attachments.append(Attachment(f"附件{n}" if n > 1 else "附件", "挂牌督办重大事故隐患清单", hazard_table))
    if attachments:
        titles = [a.title for a in attachments]
        if len(titles) == 1:
            body.append(Para.plain(Role.ATTACHMENT_NOTE, f"附件：{titles[0]}"))
        else:
            body.append(Para.plain(Role.ATTACHMENT_NOTE, f"附件：1.{titles[0]}"))
            body += [Para.plain(Role.ATTACHMENT_NOTE_ITEM, f"{i}.{t}") for i, t in enumerate(titles[1:], start=2)]
    signer = c.t(b.signature) or c.t(b.issuer)
    body.append(Signature(signer, wording.date(b.date.date) if b.date and b.date.date else "", b.sealed))
    if b.note:
        body.append(Para.plain(Role.REMARK, f"（{c.t(b.note)}）"))
    closing = Closing(cc="，".join(c.t(x) for x in b.cc) + "。" if b.cc else None, printer=c.t(b.printer) or None,
                      print_date=wording.date(b.print_date.date) if b.print_date and b.print_date.date else None)
    if c.findings:
        raise BulletinComposeError(c.findings)
    number = c.t(b.doc_number)
    mark = ""
    if registry is not None:
        issuer = registry.issuer(b.issuer.value)
        mark = issuer.mark if issuer else ""
    return Document(kind=b.kind, mark=mark, doc_number=number, body=tuple(body), attachments=tuple(attachments),
                    closing=closing, title=title, author=signer, date=b.date.date if b.date else None,
                    head=kinds.kind(b.kind).head_for(number))
