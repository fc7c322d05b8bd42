"""通报 rules (DG81x): the sentences, tables, charts and lists of a 通报 or 挂牌督办通知 file against
its data file and the unit registry. A file with any of these findings is not rendered."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from docgen.bulletin import text as placeholders
from docgen.bulletin.data import SEP, DataTable
from docgen.bulletin.model import (
    HAZARD_REQUIRED,
    HAZARD_TABLE,
    HAZARDS,
    Bulletin,
    ChartRef,
    CondRef,
    ListRef,
    TableRef,
)
from docgen.context import CheckContext
from docgen.problems import Problem
from docgen.rules.base import Rule

#: First-column names that hold units or areas, checked against the registry.
UNIT_COLUMNS = ("单位", "责任单位", "成员单位", "牵头单位", "乡镇（街道）", "乡镇", "街道", "县区", "县（区）", "地区")
#: Columns of the hazard list that hold units (整改责任单位 is often the enterprise itself: not checked).
HAZARD_UNIT_COLUMNS = ("督办单位",)


def _misses(ctx: CheckContext, kind: str) -> Iterator[tuple[Bulletin, object, placeholders.Miss]]:
    for b in ctx.bulletins:
        if b.data is not None and b.data.problems:
            continue  # the data file's own findings first: a bad value would be reported twice
        for text in b.texts() + [t for t in (b.title,) if t]:
            for expr in placeholders.placeholders(text.value):
                out = placeholders.resolve(expr, b.data)
                if isinstance(out, placeholders.Miss) and out.kind == kind:
                    yield b, text, out


def _table(b: Bulletin, name: str) -> DataTable | None:
    return b.data.tables.get(name) if b.data is not None else None


class FigureMissing(Rule):
    """正文引用的数字、表格或列在数据文件中没有。

    “{死亡人数}”要求数据文件“指标”下有“死亡人数”；“表格: 按县区”要求数据文件“表格”下有
    “按县区”（工作簿则有同名工作表），“列”中的每一列都要在表中出现。

    修改：在数据文件中补上，或改正名称（名称必须一字不差）。
    """

    code = "DG810"
    name = "figure-missing"
    summary = "引用的数字或表格在数据文件中没有"

    def check(self, ctx: CheckContext) -> Iterator[Problem]:
        for _, text, miss in _misses(ctx, placeholders.MISSING):
            yield self.problem(miss.message, text.loc)
        for _, text, miss in _misses(ctx, placeholders.BAD):
            yield self.problem(miss.message, text.loc)
        for b in ctx.bulletins:
            if b.data is None:
                refs = [r for r in b.blocks() if isinstance(r, (TableRef, ChartRef, ListRef))] + b.table_refs()
                for r in refs:
                    yield self.problem("引用了数据表，但文件没有写“数据”（数据文件的路径）。", r.loc)
                continue
            if b.data.problems:
                continue  # the data file's own findings come first
            for ref in b.table_refs():
                table = _table(b, ref.table.value)
                if table is None:
                    yield self.problem(f"数据文件中没有表格“{ref.table.value}”。可用的表格：{'、'.join(b.data.tables) or '无'}。",
                                       ref.table.loc)
                    continue
                grouped = [c for _, cs in ref.groups for c in cs]
                for col in [*ref.columns, *ref.yoy, *ref.share, *grouped, *([ref.sort] if ref.sort else [])]:
                    if col.value not in table.columns:
                        yield self.problem(f"表格“{table.name}”没有“{col.value}”列。它有：{'、'.join(table.columns)}。", col.loc)
            for block in b.blocks():
                if isinstance(block, ChartRef):
                    table = _table(b, block.table.value)
                    if table is None:
                        yield self.problem(f"数据文件中没有表格“{block.table.value}”。", block.table.loc)
                        continue
                    for col in block.columns if table.rows else ():  # an empty table: DG816
                        if col.value not in table.columns:
                            yield self.problem(f"表格“{table.name}”没有“{col.value}”列。它有：{'、'.join(table.columns)}。", col.loc)
                elif isinstance(block, ListRef):
                    name = block.source.value
                    if name not in b.data.lists and name not in b.data.tables:
                        yield self.problem(f"数据文件中没有名单或表格“{name}”。", block.source.loc)
                    elif name in b.data.tables:
                        columns = b.data.tables[name].columns
                        for col, (_, loc) in block.condition.items():
                            if col not in columns:
                                yield self.problem(f"表格“{name}”没有“{col}”列。", loc)
                        for ref in (block.sort, block.group):
                            if ref is not None and ref.value not in columns:
                                yield self.problem(f"表格“{name}”没有“{ref.value}”列。它有：{'、'.join(columns)}。", ref.loc)
                        if block.fmt is not None:
                            used = [c.strip() for e in placeholders.placeholders(block.fmt.value) for c in e.split("/")]
                            for col in used:
                                if col not in columns:
                                    yield self.problem(f"“格式”中的“{{{col}}}”：表格“{name}”没有这一列。"
                                                       f"它有：{'、'.join(columns)}。", block.fmt.loc)
                    elif block.group is not None or block.sort is not None or (
                            block.fmt is not None and any(c != "名称" for c in placeholders.placeholders(block.fmt.value))):
                        yield self.problem(f"“{name}”是名单（只有单位名称）：“分组”“排序”只能用于取自表格的名单，"
                                           "“格式”中只能写“{名称}”。", block.loc)
                elif isinstance(block, CondRef):
                    name = block.source.value
                    data = b.data
                    if not any(name in m for m in (data.figures, data.tables, data.lists, data.words)):
                        yield self.problem(f"“如有: {name}”：数据文件中没有这个指标、表格或名单。", block.source.loc)


class ComparisonWithoutBase(Rule):
    """比较没有基期数。

    “{受伤人数.同比}”要求指标有“上年同期”，“.环比”要求“上月”，“.较均值”要求“前两年平均”；
    表格的“同比”列要求每行都有“列名.上年同期”。没有基期就无从比较，不能写“同比上升”。

    修改：在数据文件中补上基期数，或删去这个比较。
    """

    code = "DG811"
    name = "comparison-without-base"
    summary = "比较没有基期数"

    def check(self, ctx: CheckContext) -> Iterator[Problem]:
        for _, text, miss in _misses(ctx, placeholders.NO_BASE):
            yield self.problem(miss.message, text.loc)
        for b in ctx.bulletins:
            for ref in b.table_refs():
                table = _table(b, ref.table.value)
                if table is None:
                    continue
                for col in ref.yoy:
                    for row in table.rows:
                        if col.value in row and f"{col.value}{SEP}上年同期" not in row:
                            first = next(iter(row.values()))
                            yield self.problem(f"表格“{table.name}”中“{first.text}”一行没有“{col.value}”的上年同期数，"
                                               "无法算同比。请补上（YAML 写“{本期: …, 上年同期: …}”，工作簿加"
                                               f"“{col.value}.上年同期”列）。", row[col.value].loc)


class FigureWithoutMeasure(Rule):
    """数字没有量词。

    通报中的数字要带量词：“发生事故4起”“死亡4人”“罚款15.53万元”。数据文件中的指标要写“量词”，
    表格用“.行数”“.分布”计数时要写表格的“量词”。

    修改：在数据文件中写“量词: 起”等；确实不要量词时用“{名称.数值}”。
    """

    code = "DG812"
    name = "figure-without-measure"
    summary = "数字没有量词"

    def check(self, ctx: CheckContext) -> Iterator[Problem]:
        for _, text, miss in _misses(ctx, placeholders.NO_MEASURE):
            yield self.problem(miss.message, text.loc)


class TableTotalMismatch(Rule):
    """表格的合计与各行之和不符。

    数据中写了“合计”行时，docgen 逐列核对：合计必须等于各行之和。不符时多半是漏了一行或抄错了数。

    修改：核对各行和合计；表中的合计行也可以删去，在通报中写“合计: true”由 docgen 计算。
    """

    code = "DG813"
    name = "table-total-mismatch"
    summary = "表格合计与各行之和不符"

    def check(self, ctx: CheckContext) -> Iterator[Problem]:
        for b in ctx.bulletins:
            if b.data is None:
                continue
            for table in b.data.tables.values():
                if table.total is None:
                    continue
                for col, cell in list(table.total.items())[1:]:
                    values = [r[col].value for r in table.rows if col in r]
                    if not isinstance(cell.value, Decimal) or not all(isinstance(v, Decimal) for v in values):
                        continue
                    total = sum(values, Decimal(0))
                    if total != cell.value:
                        yield self.problem(f"表格“{table.name}”的“{col}”合计写的是{cell.value.normalize():f}，"
                                           f"各行之和是{total.normalize():f}。请核对。", cell.loc)


class UnitNotRegistered(Rule):
    """数据中的单位不在单位库中。

    表格中列名为“单位”“责任单位”“乡镇（街道）”等的列、挂牌督办隐患的督办单位、名称含“单位”的名单中的单位，都必须是发文机关所在组织的单位库中登记的
    名称（全称、简称或别名）。写错的单位名会让通报点错名。

    修改：改成单位库中的写法，或先在单位库中登记这个单位。
    """

    code = "DG814"
    name = "data-unit-not-registered"
    summary = "数据中的单位不在单位库中"

    def check(self, ctx: CheckContext) -> Iterator[Problem]:
        if not ctx.registry_complete:
            return
        for b in ctx.bulletins:
            org = ctx.registry.organisation_of(b.issuer.value)
            if org is None:
                known_issuers = "、".join(ctx.registry.issuer_names()[:8])
                yield self.problem(f"发文机关“{b.issuer.value}”不在单位库中，无法确定红头和单位名称。"
                                   f"请写单位库“发文机关”下登记的名称，例如：{known_issuers}。", b.issuer.loc)
                continue
            if b.data is None:
                continue
            known = ctx.registry.names(org)

            def unknown(name: str, loc, what: str):
                if name and name not in known:
                    hint = ctx.registry.suggest(org, name)
                    return self.problem(f"{what}“{name}”不在{org.name}的单位库中。{hint}", loc)
                return None

            for table in b.data.tables.values():
                columns = [c for c in table.columns if c in UNIT_COLUMNS]
                if table.name == HAZARD_TABLE and b.kind == HAZARDS:
                    columns += [c for c in HAZARD_UNIT_COLUMNS if c in table.columns]
                for row in table.rows:
                    for col in columns:
                        cell = row.get(col)
                        if cell is not None:
                            found = unknown(cell.text, cell.loc, f"表格“{table.name}”中的{col}")
                            if found:
                                yield found
            for name, entries in b.data.lists.items():
                if "单位" not in name:
                    continue  # a list of tasks or places, not of units
                for unit, loc in entries:
                    found = unknown(unit, loc, f"名单“{name}”中的单位")
                    if found:
                        yield found


class DataNotNumeric(Rule):
    """按数字使用的表格列中有文字。

    表格的“合计”“同比”“排序”和图表都要拿这一列计算；其中的“—”“约20”“4起”等文字无法计算。

    修改：只写数字；没有数的格子写 0 或删去这一行。
    """

    code = "DG815"
    name = "data-cell-not-number"
    summary = "按数字使用的表格列中有文字"

    def check(self, ctx: CheckContext) -> Iterator[Problem]:
        for b in ctx.bulletins:
            if b.data is None:
                continue
            seen = set()
            for table, cols in self._numeric(b):
                for row in table.rows:
                    for col in cols:
                        cell = row.get(col)
                        if cell is not None and cell.value is not None and not isinstance(cell.value, Decimal) \
                                and (table.name, col, cell.loc) not in seen:
                            seen.add((table.name, col, cell.loc))
                            yield self.problem(f"表格“{table.name}”的“{col}”列要按数字计算，这里写的是“{cell.text}”。"
                                               "请只写数字。", cell.loc)

    @staticmethod
    def _numeric(b: Bulletin):
        for ref in b.table_refs():
            table = _table(b, ref.table.value)
            if table is None:
                continue
            cols = [c.value for c in ref.yoy] + [f"{c.value}{SEP}上年同期" for c in ref.yoy] + [c.value for c in ref.share]
            cols += [ref.sort.value] if ref.sort else []
            if ref.total:
                first = (ref.columns[0].value if ref.columns else table.columns[0]) if table.columns else None
                cols += [c.value for c in ref.columns if c.value != first]
            yield table, cols
        for block in b.blocks():
            if isinstance(block, ChartRef):
                table = _table(b, block.table.value)
                if table is not None:
                    yield table, [c.value for c in block.columns]


class ChartWithoutData(Rule):
    """图表没有数据。

    图表所用的表格一行也没有，或所画的列全是空的，画出来只是一个空框。

    修改：在数据文件中补上数据，或删去这个图表。
    """

    code = "DG816"
    name = "chart-without-data"
    summary = "图表没有数据"

    def check(self, ctx: CheckContext) -> Iterator[Problem]:
        for b in ctx.bulletins:
            for block in b.blocks():
                if not isinstance(block, ChartRef):
                    continue
                table = _table(b, block.table.value)
                if table is None:
                    continue
                cells = [r.get(c.value) for r in table.rows for c in block.columns]
                if not table.rows or all(c is None or c.value is None for c in cells):
                    yield self.problem(f"图表“{block.title.value}”所用的表格“{table.name}”没有数据。", block.loc)


class HazardIncomplete(Rule):
    """挂牌督办的隐患缺少整改责任单位或整改时限。

    挂牌督办通知的每一处隐患都要有整改责任单位和整改时限，否则无从督办、无从销号。数据文件中
    要有“隐患”表格（列：隐患、单位/地点、行业领域、整改责任单位、整改时限、督办单位、销号要求）。

    修改：为这一处隐患补上整改责任单位和整改时限。
    """

    code = "DG817"
    name = "hazard-incomplete"
    summary = "挂牌督办的隐患缺少整改责任单位或整改时限"

    def check(self, ctx: CheckContext) -> Iterator[Problem]:
        for b in ctx.bulletins:
            if b.kind != HAZARDS or b.data is None or b.data.problems:
                continue
            table = b.data.tables.get(HAZARD_TABLE)
            if table is None:
                yield self.problem(f"挂牌督办通知的数据文件中没有“{HAZARD_TABLE}”表格。", b.data_ref.loc if b.data_ref else b.loc)
                continue
            if not table.rows:
                yield self.problem(f"“{HAZARD_TABLE}”表格一行也没有。", table.loc)
            for i, row in enumerate(table.rows, start=1):
                name = row["隐患"].text if "隐患" in row else f"第{i}处"
                for col in HAZARD_REQUIRED:
                    cell = row.get(col)
                    if cell is None or not cell.text.strip():
                        loc = cell.loc if cell is not None else next(iter(row.values())).loc
                        yield self.problem(f"隐患“{name}”没有{col}。每一处挂牌督办的隐患都要写明{col}。", loc)


#: "附件2" cited in a sentence ("见附件2", "（附件3）"); not inside a title of another document.
CITED = re.compile(r"附件([0-9]+)")


class AttachmentNotAttached(Rule):
    """正文提到的附件没有附上。

    通报或挂牌督办通知的正文写了“见附件2”，文件的“附件”却不到2个（常见于漏写了待填写的审批表、
    汇总表；挂牌督办的隐患清单算一个附件），印出来的公文会缺页。也检查“{附件:标题}”引用的附件
    是否存在。方案和通知由 DG104 检查。

    修改：在“附件”下补上这个附件（待填写的表格写“类型: 表单”或“类型: 空表”），或改正正文中的编号；
    引用附件时可写“{附件:标题}”，由 docgen 印成正确的“附件N”。
    """

    code = "DG818"
    name = "attachment-not-attached"
    summary = "正文提到的附件没有附上"

    def check(self, ctx: CheckContext) -> Iterator[Problem]:
        for doc in ctx.bulletins:
            count = self._count(doc)
            titles = {a.title.value for a in doc.attachments if a.title is not None}
            for path, text, loc in doc.source.strings():
                if not path or path[0] != "正文":
                    continue
                for m in CITED.finditer(text):
                    n = int(m.group(1))
                    if n > count:
                        have = f"只有{count}个附件" if count else "没有附件"
                        yield self.problem(f"正文提到“附件{n}”，但文件{have}。请在“附件”下补上它"
                                           "（待填写的表写“类型: 表单”或“类型: 空表”），或改正编号。",
                                           doc.source.text_at(loc, text, m.start()))
                if isinstance(doc, Bulletin):
                    for m in placeholders.ATTACHMENT_REF.finditer(text):
                        if m.group(1).strip() not in titles and m.group(1).strip() != "挂牌督办重大事故隐患清单":
                            yield self.problem(f"“{m.group(0)}”：没有标题为“{m.group(1).strip()}”的附件。"
                                               f"附件有：{'、'.join(sorted(titles)) or '无'}。",
                                               doc.source.text_at(loc, text, m.start()))

    @staticmethod
    def _count(doc) -> int:
        count = len(doc.attached()) if isinstance(doc, Bulletin) else len(doc.attachments)
        if isinstance(doc, Bulletin) and doc.kind == HAZARDS and doc.data is not None \
                and HAZARD_TABLE in doc.data.tables \
                and not any(a.table is not None and a.table.table.value == HAZARD_TABLE for a in doc.attachments):
            count += 1
        return count


RULES = (FigureMissing, ComparisonWithoutBase, FigureWithoutMeasure, TableTotalMismatch, UnitNotRegistered,
         DataNotNumeric, ChartWithoutData, HazardIncomplete, AttachmentNotAttached)
