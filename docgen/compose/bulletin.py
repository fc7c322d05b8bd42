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
from dataclasses import replace
from decimal import Decimal

from docgen import wording
from docgen.bulletin import chart as charts
from docgen.bulletin import text as placeholders
from docgen.bulletin.data import CURRENT, SEP, DataTable
from docgen.bulletin.model import (
    HAZARD_COLUMNS,
    HAZARD_TABLE,
    HAZARDS,
    AttachmentRef,
    Bulletin,
    ChartRef,
    CondRef,
    ListRef,
    TableRef,
)
from docgen.compose import kinds
from docgen.compose.composer import body_table, figure_caption, written_attachment
from docgen.compose.tree import (
    Attachment,
    Closing,
    Document,
    Emphasis,
    Head,
    Para,
    Picture,
    Role,
    Run,
    Signature,
    Table,
)
from docgen.errors import FindingsError
from docgen.model import STATED_DEADLINE, STATED_UNITS, BodyTable, Figure, Paragraph, Section, Task
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


class BulletinComposeError(FindingsError):
    """What compose could not build (never raised after a clean check); exit 1 like check findings."""

    def __init__(self, findings: list[tuple[Location, str]]):
        super().__init__("；".join(f"{loc}: {m}" for loc, m in findings))
        self.findings = findings


def table_from(ref: TableRef, data: DataTable, places: int = wording.PERCENT_PLACES, trim: bool = False) -> Table:
    """The table `ref` asks for: columns (default: all but base periods), 同比 columns (本期, 上年同期,
    同比 under the column's name), 占比 columns, the drafter's head groups, order, 合计. Figures are
    printed as the data file writes them; percentages to `places` decimals."""
    columns = [c.value for c in ref.columns] or [c for c in data.columns if SEP not in c]
    yoy = {c.value for c in ref.yoy}
    share = {c.value for c in ref.share}
    rows = list(data.rows)
    if ref.sort is not None:
        key = ref.sort.value
        rows.sort(key=lambda r: -_num(r, key))  # stable: ties keep the data's order
    grouped = {c.value: label.value for label, cs in ref.groups for c in cs}
    heads: list[str] = []
    top: list[tuple[str, int]] = []
    for c in columns:
        label = grouped.get(c)
        own = c.removeprefix(label) if label and c != label and c.startswith(label) else c
        if c in yoy:
            heads += [own if label else "本期", YOY, "同比"]
            span = 3
        else:
            heads.append(own)
            span = 1
        if c in share:
            heads.append("占比")
            span += 1
        if label:
            if top and top[-1][0] == label and top[-1][1] > 0 and _last_group(top, columns, c, grouped):
                top[-1] = (label, top[-1][1] + span)
            else:
                top.append((label, span))
        elif span > 1:
            top.append((c, span))
        else:
            top.append(("", 1))
    totals = {c: sum((r[c].value for r in rows if c in r and isinstance(r[c].value, Decimal)), Decimal(0))
              for c in share}

    def line(values: dict[str, Decimal | str]) -> tuple[str, ...]:
        out = []
        for c in columns:
            v = values.get(c, "")
            out.append(wording.figure(v) if isinstance(v, Decimal) else str(v))
            if c in yoy:
                base = values.get(f"{c}{SEP}{YOY}")
                out.append(wording.figure(base) if isinstance(base, Decimal) else "")
                out.append(_short_change(v, base, places, trim))
            if c in share:
                out.append(wording.rate(v, totals[c], places, trim) if isinstance(v, Decimal) and totals[c] else "")
        return tuple(out)

    body = [line({k: cell.value if cell.value is not None else "" for k, cell in r.items()}) for r in rows]
    if ref.total and rows:
        sums: dict[str, Decimal | str] = {columns[0]: TOTAL}
        for c in data.columns:
            values = [r[c].value for r in rows if c in r]
            if values and all(isinstance(v, Decimal) for v in values) and c != columns[0]:
                sums[c] = sum(values, Decimal(0))
        body.append(line(sums))
    numeric = frozenset(i for i, h in enumerate(heads) if i and body and all(_looks_numeric(row[i]) for row in body))
    groups = tuple(top) if any(label for label, _ in top) else ()
    return Table(tuple(heads), tuple(body), narrow=numeric, groups=groups, numeric=numeric)


def _last_group(top, columns, c, grouped) -> bool:
    """Whether the column before `c` was in the same group (a group's columns stand together)."""
    i = columns.index(c)
    return i > 0 and grouped.get(columns[i - 1]) == grouped.get(c)


def _num(row, key: str) -> Decimal:
    cell = row.get(key)
    return cell.value if cell is not None and isinstance(cell.value, Decimal) else Decimal(0)


_FIGURE = re.compile(r"^[-+]?[0-9][0-9,]*(\.[0-9]+)?%?$|^(上升|下降|增加|减少)[0-9.]+%?$|^持平$|^$|^—$")


def _looks_numeric(text: str) -> bool:
    return bool(_FIGURE.match(text)) or text == TOTAL


def _short_change(current, base, places: int = wording.PERCENT_PLACES, trim: bool = False) -> str:
    """The 同比 cell: 上升33.3%, 下降25.0%, 持平; 增加4 (上年同期为0); "" without both values."""
    if not isinstance(current, Decimal) or not isinstance(base, Decimal):
        return ""
    text = wording.compare(current, base, "同比", places=places, trim=trim)
    return text.removeprefix("同比").replace("（上年同期为0）", "")


def list_rows(ref: ListRef, bulletin: Bulletin) -> list[dict]:
    """The rows a 名单 lists: a list's names (as {"": name}) or a table's rows matching 条件, in the
    data's order unless 排序 is asked."""
    data = bulletin.data
    name = ref.source.value
    if name in data.lists:
        return [{"": n} for n, _ in data.lists[name]]
    table = data.tables[name]
    rows = [r for r in table.rows if all(_matches(r.get(col), want) for col, (want, _) in ref.condition.items())]
    if ref.sort is not None:
        rows.sort(key=lambda r: -_num(r, ref.sort.value))
    return rows


def list_names(ref: ListRef, bulletin: Bulletin) -> list[str]:
    """The entries of a 名单: names, or each row worded by 格式."""
    data = bulletin.data
    out = []
    for row in list_rows(ref, bulletin):
        if "" in row:
            out.append(ref.fmt.value.replace(NAME_FIELD, row[""]) if ref.fmt is not None else row[""])
        elif ref.fmt is not None:
            out.append(_row_text(ref.fmt.value, row, data.places_of(), data.trim))
        else:
            out.append(row[data.tables[ref.source.value].columns[0]].text)
    return out


#: In the 格式 of a list of names, where the name goes: "{名称}未上报重大事故隐患".
NAME_FIELD = "{名称}"


def _row_text(fmt: str, row: dict, places: int = wording.PERCENT_PLACES, trim: bool = False) -> str:
    """One row worded by 格式: ``{列名}`` its value, ``{已整改/发现隐患}`` the row's own rate."""
    def value(name: str):
        cell = row.get(name.strip())
        return None if cell is None else cell.value

    def sub(m: re.Match) -> str:
        expr = m.group(1).strip()
        if "/" in expr:
            num, den = (value(n) for n in expr.split("/", 1))
            return wording.rate(num, den, places, trim) if isinstance(num, Decimal) and isinstance(den, Decimal) else ""
        v = value(expr)
        if v is None:
            return ""
        return wording.figure(v) if isinstance(v, Decimal) else str(v)
    return placeholders.PLACEHOLDER.sub(sub, fmt)


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
        #: Attachment titles → labels, for {附件:标题}.
        self.labels: dict[str, str] = {}

    def t(self, text) -> str:
        if text is None:
            return ""
        value = placeholders.ATTACHMENT_REF.sub(lambda m: self.labels.get(m.group(1).strip(), m.group(0)), text.value)
        out, misses = placeholders.fill(value, self.b.data)
        self.findings += [(text.loc, m.message) for m in misses]
        return out

    def blocks(self, blocks, out: list | None = None) -> list:
        """The composed blocks, appended to `out` (the paragraph a list may run on in)."""
        out = [] if out is None else out
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
                paras = self.names(block)
                if block.run_on and len(paras) == 1 and out and isinstance(out[-1], Para) and out[-1].role is Role.BODY:
                    out[-1] = _run_on(out[-1], paras[0])  # one paragraph, as offices write it
                else:
                    out += paras
            elif isinstance(block, CondRef):
                out += self.blocks(block.then if has_data(block.source.value, self.b) else block.otherwise)
            elif isinstance(block, BodyTable):
                out += body_table(block, lambda text: text.value.strip() if text else "")  # as written
            elif isinstance(block, Task):  # a received 通报 that assigns work ("下一步工作" with its lines)
                out += self.task(block)
            elif isinstance(block, Figure):  # a received 通报's chart: its caption
                self.figure_count += 1
                out.append(figure_caption(self.figure_count, self.t(block.title)))
        return out

    def task(self, task: Task) -> list[Para]:
        """A task as a plan prints it: its number, lead and text, then its 责任单位 and 完成时限 lines
        (unless its text says them, `正文写明`), written as the 通报 says (分行句号, 时限标签, 牵头配合写法)."""
        d = self.b.source.data
        stop = "。" if d.get("分行句号", True) else ""
        depth = min(len(task.sections) + 1, MAX_DEPTH)
        text = self.t(task.body) if task.body else ""
        if task.items:
            items = [f"{ordinal(i)}{self.t(item).rstrip('。；;')}" for i, item in enumerate(task.items, start=1)]
            text = (sentence(text, "：") if text else "") + "；".join(items) + "。"
        out = [Para(Role.BODY, (Run(f"{heading(depth, task.number)}{sentence(self.t(task.lead))}", Emphasis.LEAD),)
                    + ((Run(text),) if text else ()))]
        if task.responsibility and STATED_UNITS not in task.stated:
            form = str(d["牵头配合写法"]) if "牵头配合写法" in d else None
            out += [Para.plain(Role.BODY, line) for line in wording.units_lines(task.responsibility, form, stop)]
        if task.deadline and STATED_DEADLINE not in task.stated:
            out.append(Para.plain(Role.BODY, wording.deadline_line(task.deadline, stop, str(d.get("时限标签", "完成时限")))))
        return out

    def section(self, s: Section) -> list:
        title = self.t(s.title)
        depth = min(s.depth, MAX_DEPTH)
        if depth == 1:
            out: list = [Para(Role.HEADING1, (Run(f"{heading(1, s.number)}{title}", Emphasis.HEADING),))]
            if s.intro:
                intro = self.t(s.intro)
                out.append(Para.plain(Role.BODY, intro if self.b.received else sentence(intro)))
            return out + self.blocks(s.children)
        runs = [Run(f"{heading(depth, s.number)}{sentence(title)}", Emphasis.LEAD)]
        children = self._chosen(s.children)
        # The first paragraph of the section runs on after its title, as offices write (（一）…。一是…).
        if s.intro:
            intro = self.t(s.intro)
            runs.append(Run(intro if self.b.received else sentence(intro)))
        elif children and isinstance(children[0], Paragraph):
            runs += self.paragraph(children.pop(0)).runs
        elif children and isinstance(children[0], ListRef):
            first = self.names(children[0])
            if len(first) == 1:
                children.pop(0)
                runs += first[0].runs
        return self.blocks(children, [Para(Role.BODY, tuple(runs))])

    def _chosen(self, blocks) -> list:
        """`blocks` with each 如有 replaced by the branch the data chooses."""
        out = []
        for block in blocks:
            if isinstance(block, CondRef):
                out += self._chosen(block.then if has_data(block.source.value, self.b) else block.otherwise)
            else:
                out.append(block)
        return out

    def paragraph(self, p: Paragraph) -> Para:
        runs = []
        if p.lead:
            runs.append(Run(sentence(self.t(p.lead)), Emphasis.LEAD))
        text = self.t(p.text)
        if p.items:
            items = [f"{ordinal(i)}{self.t(item).rstrip('。；;')}" for i, item in enumerate(p.items, start=1)]
            text = (sentence(text, "：") if text else "") + "；".join(items) + "。"
        elif not self.b.received:  # a received 通报's paragraph is printed as it came
            text = sentence(text)
        runs.append(Run(text))
        return Para(Role.BODY, tuple(runs))

    def table(self, ref: TableRef) -> list:
        out: list = []
        if not self.b.data.tables[ref.table.value].rows and ref.empty is not None:
            return [Para.plain(Role.BODY, sentence(self.t(ref.empty)))]
        if ref.title:
            self.table_count += 1
            out.append(Para.plain(Role.SUBTITLE, f"表{self.table_count}　{self.t(ref.title)}"))
        out.append(table_from(ref, self.b.data.tables[ref.table.value], self.b.data.places_of(), self.b.data.trim))
        return out

    def chart(self, ref: ChartRef) -> list:
        self.figure_count += 1
        png = chart_png(ref, self.b.data.tables[ref.table.value])
        return [Picture(png, charts.WIDTH_CM, charts.HEIGHT_CM, f"图{self.figure_count}"),
                figure_caption(self.figure_count, self.t(ref.title))]

    def names(self, ref: ListRef) -> list[Para]:
        """A 名单: names or worded rows joined by 、 or ；, a sentence each, numbered (1. / 一是 /
        （1）) or grouped by grade; 无则 when it is empty."""
        before, after = self.t(ref.before), self.t(ref.after)
        if ref.group is not None:
            return self._grouped(ref, before, after)
        found = list_names(ref, self.b)
        if not found:
            if ref.empty is not None:
                return [Para.plain(Role.BODY, sentence(self.t(ref.empty)))]
            return [Para.plain(Role.BODY, sentence(f"{before}无"))]
        if ref.etc is not None:
            shown = found[:ref.etc_count] if ref.etc_count else found
            found = ["、".join(shown) + f"等{len(found)}个{self.t(ref.etc).removeprefix('个')}"]
        if ref.numbered in ("1.", "（1）", "（一）"):
            out = [Para.plain(Role.BODY, sentence(before, "："))] if before else []
            for i, entry in enumerate(found, start=1):
                mark = f"{i}." if ref.numbered == "1." else f"（{i}）" if ref.numbered == "（1）" else heading(2, i)
                out.append(Para.plain(Role.BODY, sentence(f"{mark}{entry.rstrip('。；;')}")))
            if after:
                out.append(Para.plain(Role.BODY, sentence(after)))
            return out
        if ref.numbered == "一是":
            found = [f"{ordinal(i)}{e.rstrip('。；;')}" for i, e in enumerate(found, start=1)]
            before = sentence(before, "：") if before else ""
        if ref.sep == "句号":
            text = before + "".join(sentence(e.rstrip("；;")) for e in found)
            return [Para.plain(Role.BODY, text + (sentence(after) if after else ""))]
        # names in a series (A、B); phrases that hold their own commas or brackets one by one (A；B)
        if ref.sep == "分号" or ref.numbered == "一是":
            sep = "；"
        elif ref.sep == "顿号":
            sep = "、"
        else:
            sep = "；" if any(re.search(r"[，、（]", n) for n in found) and ref.etc is None else "、"
        text = f"{before}{sep.join(found)}"
        # A list that is the sentence's subject runs into what follows: "A、B仍有隐患未整改到位",
        # "…等7个省份事故起数同比上升"; after an introduction ("…的有A、B") a comma comes first.
        joint = "" if ref.etc is not None or not before or (after and after[0] in "，。；、：") else "，"
        return [Para.plain(Role.BODY, sentence(text + (f"{joint}{after}" if after else ""), "。"))]

    def _grouped(self, ref: ListRef, before: str, after: str) -> list[Para]:
        """考核结果: a paragraph per grade, in the order of 等次 (else as met): 优秀（3个）：A、B、C。"""
        column = ref.group.value
        groups: dict[str, list[str]] = {g.value: [] for g in ref.grades}
        table = self.b.data.tables[ref.source.value]
        for row in list_rows(ref, self.b):
            grade = row[column].text if column in row else ""
            name = _row_text(ref.fmt.value, row) if ref.fmt is not None else row[table.columns[0]].text
            groups.setdefault(grade, []).append(name)
        out = [Para.plain(Role.BODY, sentence(before, "："))] if before else []
        n = 0
        for grade, names in groups.items():
            if not names:
                continue
            n += 1
            mark = {"1.": f"{n}.", "（1）": f"（{n}）", "一是": ordinal(n), "（一）": heading(2, n)}.get(ref.numbered or "", "")
            out.append(Para.plain(Role.BODY, f"{mark}{grade}（{len(names)}个）：{wording.names(names)}。"))
        if after:
            out.append(Para.plain(Role.BODY, sentence(after)))
        return out

    def attachment(self, label: str, a: AttachmentRef) -> Attachment:
        title = self.t(a.title)
        if a.table is not None:
            table = table_from(a.table, self.b.data.tables[a.table.table.value], self.b.data.places_of(), self.b.data.trim)
            if a.landscape:
                table = replace(table, landscape=True)
            return Attachment(label, title, table)
        return Attachment(label, title, written_attachment(a.kind, [self.t(c) for c in a.columns],
                                                           [[self.t(c) for c in row] for row in a.rows],
                                                           a.blank, a.landscape))


def _run_on(before: Para, after: Para) -> Para:
    """`after` continuing `before`; one that starts with "，" or "；" continues its last sentence
    (……仍有隐患未整改到位，其中湖滨社区整改率仅为85.7%。)."""
    runs = list(before.runs)
    if after.text[:1] in "，；" and runs and runs[-1].text.endswith("。"):
        runs[-1] = Run(runs[-1].text[:-1], runs[-1].emphasis)
    return Para(before.role, tuple(runs) + after.runs)


def has_data(name: str, bulletin: Bulletin) -> bool:
    """如有: a figure not zero, a table with rows, a list with names, words not empty."""
    data = bulletin.data
    if data is None:
        return False
    if name in data.figures:
        current = data.figures[name].periods.get(CURRENT)
        return current is not None and current.number != 0
    if name in data.tables:
        return bool(data.tables[name].rows)
    if name in data.lists:
        return bool(data.lists[name])
    return bool(data.words.get(name, "").strip())


def compose_bulletin(bulletin: Bulletin, registry: Registry | None = None) -> Document:
    """The document of a 通报 or 挂牌督办通知 file (module docstring)."""
    b = bulletin
    c = _Composer(b)
    c.labels = attachment_labels(b)
    title = c.t(b.title)
    body: list = [Para.plain(Role.TITLE, title)]
    if b.recipients:
        body.append(Para.plain(Role.RECIPIENTS, "，".join(c.t(r) for r in b.recipients) + "："))
    body += c.blocks(b.body)
    if b.kind == HAZARDS and b.data is not None and HAZARD_TABLE in b.data.tables \
            and not any(a.table is not None and a.table.table.value == HAZARD_TABLE for a in b.attachments):
        hazards = b.data.tables[HAZARD_TABLE]
        cols = [c_ for c_ in HAZARD_COLUMNS if c_ in hazards.columns]
        rows = tuple((str(i), *(r[c_].text if c_ in r else "" for c_ in cols)) for i, r in enumerate(hazards.rows, 1))
        hazard_table = Table(("序号", *cols), rows, narrow=frozenset({0}), landscape=True,
                             shares=tuple(HAZARD_SHARES.get(c_, 2) for c_ in ("序号", *cols)))
    else:
        hazard_table = None
    labels = list(c.labels.values())
    attachments = [c.attachment(labels[i], a) for i, a in enumerate(b.attached())]
    if hazard_table is not None:
        attachments.append(Attachment(labels[-1], HAZARD_LIST_TITLE, hazard_table))
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
    letter = b.layout == LETTER
    closing = Closing(cc="，".join(c.t(x) for x in b.cc) + "。" if b.cc else None,
                      printer=None if letter else c.t(b.printer) or None,
                      print_date=None if letter or not (b.print_date and b.print_date.date) else wording.date(b.print_date.date))
    if c.findings:
        raise BulletinComposeError(c.findings)
    number = c.t(b.doc_number)
    mark = ""
    if registry is not None:
        issuer = registry.issuer(b.issuer.value)
        mark = issuer.mark if issuer else ""
    head = kinds.kind(b.kind).head_for(number)
    if letter:
        head, mark = Head.LETTER, b.issuer.value  # 信函: the organ's full name, never "…文件"
    return Document(kind=b.kind, mark=mark, doc_number=number, body=tuple(body), attachments=tuple(attachments),
                    closing=closing, title=title, author=signer, date=b.date.date if b.date else None,
                    head=head, head_lines=head_lines(c, b), signers=tuple(c.t(s) for s in b.signers))


LETTER = "信函"
HAZARD_LIST_TITLE = "挂牌督办重大事故隐患清单"


def head_lines(c: _Composer, b: Bulletin) -> tuple[tuple[str, bool], ...]:
    """份号, 密级和保密期限, 紧急程度 above the 发文机关标志 (as a plan's, `composer.head_lines`)."""
    out = []
    if b.copy_number:
        out.append((c.t(b.copy_number).zfill(6), True))
    if b.secret:
        term = c.t(b.secret_term)
        out.append((c.t(b.secret) + (f"★{term}" if term else ""), False))
    if b.urgency:
        out.append((c.t(b.urgency), False))
    return tuple(out)


def attachment_labels(b: Bulletin) -> dict[str, str]:
    """Each attachment's title (as written) → its label: 附件 alone, else 附件1, 附件2 … (the
    挂牌督办 hazard list last)."""
    titles = [a.title.value for a in b.attached()]
    if b.kind == HAZARDS and b.data is not None and HAZARD_TABLE in b.data.tables \
            and not any(a.table is not None and a.table.table.value == HAZARD_TABLE for a in b.attachments):
        titles.append(HAZARD_LIST_TITLE)
    return {t: ("附件" if len(titles) == 1 else f"附件{i}") for i, t in enumerate(titles, start=1)}
