"""The recovered outline of a received document: plain data `emit` turns into YAML, and the
parsing of the values it holds (unit lists, deadline stages, targets).

Each value remembers how the source wrote it (`Node.how`: a line of its own, brackets at the end
of the task, the task's own sentence, only the 任务分工表; `Units.form`: A（牵头）, A牵头, 牵头单位：A)
and each item its marker as printed (`Node.style`: 1、 or 1.), so that the plan prints the source
again. Every recovered item keeps `where` (the source paragraph or page:line).
"""

from __future__ import annotations

import collections
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from docgen import deadlines
from docgen.ingest.blocks import Table
from docgen.ingest.head import ORGAN_END
from docgen.ingest.vocabulary import (
    _BULLETIN_SAYS,
    _DATED_TARGET,
    _KIND_WORDS,
    _NOTICE_TITLE,
    _PHASED,
    _TARGET,
    _UNIT_KEYS,
    _YEAR_VALUE,
    marker_of,
)
from docgen.wording import UNITS_BRACKETED, UNITS_LABELLED, UNITS_ONE_LINE, UNITS_SUFFIXED

#: How a task's 责任单位 or 完成时限 is written in the source (`Node.how`): a line of its own, in
#: brackets at the end of the task, inside the task's own sentence, or only in the 任务分工表.
LINE, BRACKET, IN_TEXT, TABLE = "line", "bracket", "text", "table"


@dataclass
class Units:
    lead: list[str]
    support: list[str]
    where: str
    how: str = LINE
    #: How lead and supporting units are told apart: "括号" A（牵头）, "后缀" A牵头, "分列"
    #: 牵头单位：A (`wording.units_lines`), "" when not at all.
    form: str = ""


@dataclass
class Stage:
    phrase: str
    content: str


@dataclass
class Phase:
    """One batch of a phased target: by `phrase`, these `units` (and `note`: 等城区街道), maybe at
    their own `value`."""

    phrase: str
    units: list[str]
    note: str = ""
    value: float | None = None


@dataclass
class Target:
    name: str
    op: str
    value: float
    unit: str
    by_year: dict[int, float]
    #: Its own deadline (覆盖率2025年底前达到100%).
    deadline: str = ""
    phases: list[Phase] = field(default_factory=list)


@dataclass
class Node:
    """A numbered line and what follows it, until the next numbered line of its level or above."""

    marker: str
    number: int
    head: str
    where: str
    #: ("para", Line) ("table", BodyTable) ("figure", Caption) ("units", Units) ("deadline", list[Stage]) ("child", Node)
    events: list = field(default_factory=list)
    kind: str = ""  # "section" or "task", decided by `_classify`
    units: Units | None = None
    deadline: list[Stage] | None = None
    #: How its own units and deadline are written: {"units": LINE | BRACKET | IN_TEXT | TABLE, …}.
    how: dict[str, str] = field(default_factory=dict)
    #: The marker as printed: `marker`, or 1、 for a 1. written so.
    style: str = ""


@dataclass
class BodyTable:
    """A table in the body, with the line above it that is its title (if there is one)."""

    table: Table
    title: str = ""


@dataclass
class Caption:
    """A figure's caption in the body ("图1　…"): the figure itself (a picture) is not read."""

    title: str
    where: str


def _continued(prev: Table, table: Table) -> bool:
    """Add `table` to `prev` when it is `prev` continued on the next page (its header repeated, or
    as many columns); True if so."""
    rows = table.rows[1:] if table.rows[:1] == prev.rows[:1] else table.rows  # header repeated
    if not (rows is not table.rows or table.rows and prev.rows and len(table.rows[0]) == len(prev.rows[0])):
        return False
    first = rows[0] if rows else []
    if first and not first[0] and len(prev.rows) > 1 and prev.rows[-1][:1] != [""] \
            and len(first) == len(prev.rows[-1]):
        # a row broken over the page: its second half has no 序号
        prev.rows[-1] = [a + b for a, b in zip(prev.rows[-1], first)]
        rows = rows[1:]
    prev.rows.extend(rows)
    return True


@dataclass
class Attachment:
    title: str
    where: str
    table: Table | None = None
    kind: str = "表格"
    #: Where the paragraphs of an attachment of text (a forwarded document) are, and the blocks
    #: themselves: imported as a plan of its own (`docgen.jobs.imports`).
    text_at: list[str] = field(default_factory=list)
    blocks: list = field(default_factory=list)


@dataclass
class Outline:
    kind: str = ""
    mark: str = ""
    #: The other organs of a joint 标志, in order.
    joint: list[str] = field(default_factory=list)
    doc_number: str = ""
    signers: list[str] = field(default_factory=list)
    copy: str = ""
    secrecy: str = ""
    secrecy_term: str = ""
    urgency: str = ""
    title: str = ""
    recipients: list[str] = field(default_factory=list)
    notice_title: str = ""
    notice_body: str = ""
    notice_recipients: list[str] = field(default_factory=list)
    signature: str = ""
    date: str = ""
    note: str = ""
    cc: list[str] = field(default_factory=list)
    printer: str = ""
    print_date: str = ""
    valid_until: str = ""
    #: The date in a web page's publication details (发布时间：2025-05-20): the 成文日期 when the
    #: document prints none.
    web_date: str = ""
    #: The publisher a web page names (发布机构：…): the issuer when the copy has no 版头 or signature.
    publisher: str = ""
    #: 责任单位 and 完成时限 lines of their own ending with 。 (or ；), and without.
    line_stops: list[int] = field(default_factory=lambda: [0, 0])
    #: The labels of the 完成时限 lines of their own (完成时限, 时间节点, …), counted.
    deadline_labels: collections.Counter = field(default_factory=collections.Counter)
    #: The year the title names (2026年…工作要点, （2026—2027年）): dates written without a year are in it.
    year: int | None = None
    period: tuple[str, str] | None = None
    basis: list[tuple[str, str]] = field(default_factory=list)
    body: list = field(default_factory=list)  # Node, Line (top-level paragraphs), BodyTable or Caption
    attachments: list[Attachment] = field(default_factory=list)
    findings: list[tuple[str, str, str]] = field(default_factory=list)  # (code name, where, message)
    where: dict[str, str] = field(default_factory=dict)

    def tasks(self) -> list[Node]:
        out: list[Node] = []

        def rec(items):
            for item in items:
                if isinstance(item, Node):
                    if item.kind == "task":
                        out.append(item)
                    rec([e[1] for e in item.events if e[0] == "child"])
        rec(self.body)
        return out

    def sections(self) -> list[Node]:
        out: list[Node] = []

        def rec(items):
            for item in items:
                if isinstance(item, Node) and item.kind == "section":
                    out.append(item)
                    rec([e[1] for e in item.events if e[0] == "child"])
        rec(self.body)
        return out


def split_units(text: str) -> list[str]:
    """Unit names in a list written with 、，； (parentheses such as 各乡镇（街道） kept whole)."""
    text = text.strip().rstrip("。；;.")
    text = re.sub(r"(等|等单位|等部门)$", "", text)
    out, depth, current = [], 0, ""
    for ch in text:
        if ch in "（(":
            depth += 1
        elif ch in "）)":
            depth -= 1
        if depth == 0 and ch in "、，,；;":
            if current.strip():
                out.append(current.strip())
            current = ""
        else:
            current += ch
    if current.strip():
        out.append(current.strip())
    cleaned = []
    for name in out:
        name = re.sub(r"(等)$", "", name).strip()
        if name and name not in cleaned:
            cleaned.append(name)
    return cleaned


def parse_units(text: str, where: str) -> Units | None:
    """A 责任单位 value: "A、B（牵头），C（配合）", "牵头单位：A；配合单位：B", "A牵头，B配合", or a list."""
    text = text.strip().rstrip("。")
    m = re.match(rf"^{_UNIT_KEYS}[：:](.*)$", text)
    if m and not re.match(r"^牵头(?:单位|部门)[：:]", text):
        text = m.group(1)
    lead_m = re.search(r"牵头(?:单位|部门)?[：:]([^；;]*)", text)
    support_m = re.search(r"(?:配合|协办)(?:单位|部门)?[：:]([^；;]*)", text)
    if lead_m or support_m:
        # "牵头单位：A；配合单位：B" on one line (同行), or one of them (分列: each on its own line)
        return Units(split_units(lead_m.group(1)) if lead_m else [],
                     split_units(support_m.group(1)) if support_m else [], where,
                     form=UNITS_ONE_LINE if lead_m and support_m else UNITS_LABELLED)
    m = re.match(r"^(.+?)（牵头）[，,；;]?(?:(.+?)（配合）)?$", text)
    if m:
        return Units(split_units(m.group(1)), split_units(m.group(2) or ""), where, form=UNITS_BRACKETED)
    m = re.match(r"^(.+?)牵头[，,；;](.+?)配合$", text)
    if m:
        return Units(split_units(m.group(1)), split_units(m.group(2)), where, form=UNITS_SUFFIXED)
    m = re.match(r"^(.+?)牵头$", text)
    if m:
        return Units(split_units(m.group(1)), [], where, form=UNITS_SUFFIXED)
    names = split_units(text)
    return Units(names, [], where) if names else None


def parse_stages(text: str) -> list[Stage]:
    """A 完成时限 value: "2024年底前" or "2024年底前，内容；2025年6月底前，内容"."""
    text = text.strip().rstrip("。")
    out = []
    year = None
    for part in re.split(r"[；;]", text):
        part = part.strip()
        if not part:
            continue
        phrase, _, content = part.partition("，")
        phrase, content = phrase.strip(), content.strip()
        if not _readable(phrase, year) or phrase.startswith("每"):
            # "2026年底前完成年度改造计划", "每月5日前报送进展": the phrase runs into what is due
            # (a recurrence reads whole, "每季度至少1次", unless a day-of-period phrase starts it)
            cut = _deadline_prefix(phrase, year, recurring=phrase.startswith("每"))
            if cut:
                phrase, content = phrase[:cut], phrase[cut:] + ("，" + content if content else "")
        year = _year_of(phrase) or year
        out.append(Stage(phrase, content))
    return out


def _deadline_prefix(text: str, year: int | None = None, recurring: bool = False) -> int:
    """The length of the longest deadline phrase `text` starts with, 0 if none (with `recurring`,
    only a phrase ending in 前: 每月5日前)."""
    best = 0
    for m in deadlines.PHRASE_END.finditer(text):
        if recurring and not m.group(0).endswith("前"):
            continue
        if m.end() < len(text) and _readable(text[:m.end()], year):
            best = m.end()
    return best


def _year_of(phrase: str) -> int | None:
    m = re.match(r"^(\d{4})年", phrase)
    return int(m.group(1)) if m else None


def _readable(phrase: str, year: int | None = None) -> bool:
    try:
        deadlines.parse(phrase, default_year=year)
        return True
    except deadlines.DeadlineError:
        return False


def _phased(sentence: str) -> Target | None:
    """"覆盖率分批达到100%：2025年底前，A街道、B街道等城区街道；2026年底前，C镇" (as docgen prints a
    target with 分期): each batch by its deadline, with the units it names."""
    m = _PHASED.match(sentence.rstrip("。"))
    if not m:
        return None
    op, unit = m.group("op"), m.group("unit") or ""
    phases = []
    for part in m.group("phases").split("；"):
        phrase, sep, who = part.partition("，")
        if not sep or not _readable(phrase.strip()):
            return None
        value = None
        own = re.search(rf"{op}(\d+(?:\.\d+)?){re.escape(unit)}$", who)
        if own:
            value, who = float(own.group(1)), who[:own.start()]
        names, note = who, ""
        if "等" in who:
            names, note = who[:who.index("等")], who[who.index("等"):]
        units = split_units(names)
        if not units:
            return None
        phases.append(Phase(phrase.strip(), units, note, value))
    return Target(m.group("name"), op, float(m.group("value")), unit, {}, phases=phases)


def parse_targets(sentence: str) -> list[Target] | None:
    """Targets written as docgen prints them: "名称不少于40家（2024年10家，…）；名称达到100%",
    "名称2025年底前达到100%", and one phased target "名称分批达到100%：2025年底前，A镇；…"."""
    phased = _phased(sentence)
    if phased is not None:
        return [phased]
    out = []
    for part in sentence.rstrip("。").split("；"):
        m = _TARGET.match(part.strip())
        dated = _DATED_TARGET.match(part.strip()) if not m else None
        if dated and _readable(dated.group("deadline")):
            m = _TARGET.match(dated.group("name") + dated.group("rest"))
            if m:
                op = m.group("op")
                years = {int(y): float(v) for y, v in _YEAR_VALUE.findall(m.group("years") or "")}
                out.append(Target(m.group("name"), op, float(m.group("value")), m.group("unit") or "", years,
                                  deadline=dated.group("deadline")))
                continue
        if not m or m.group("name").startswith("每"):
            return None  # (a norm for each one, "每名网格员每年参加培训不少于8学时", is not a target to split)
        op = m.group("op")
        unit = m.group("unit") or ""
        years = {int(y): float(v) for y, v in _YEAR_VALUE.findall(m.group("years") or "")}
        out.append(Target(m.group("name"), op, float(m.group("value")), unit, years))
    return out


def _last_sentence(text: str) -> tuple[str, str]:
    """(everything before, the last sentence) of a text ending in 。."""
    body = text.rstrip("。")
    cut = body.rfind("。")
    return (body[:cut + 1], body[cut + 1:] + "。") if cut >= 0 else ("", text)


def _title_of(text: str) -> str:
    return text.replace("〈", "《").replace("〉", "》")


def _kind_of(title: str, sentences: Iterable[str] = ()) -> str:
    """The kind a title names; when it names none, a document that says it reports ("现将有关情况
    通报如下", "特此通报") is a 通报, any other a 工作要点."""
    inner = _NOTICE_TITLE.match(title)
    probe = inner.group(1) if inner else title
    probe = re.sub(r"（\d{4}[—–\-－]\d{4}年）$|[（(]第[\d一二三四五六七八九十]+期[）)]$", "", probe)
    for word, kind in _KIND_WORDS:
        if probe.endswith(word):
            return kind
    if inner:
        return "实施方案"
    return "通报" if any(_BULLETIN_SAYS.search(s) for s in sentences) else "工作要点"


def _signer(text: str) -> bool:
    """A line that can be one organ's signature: its name alone."""
    return 2 < len(text) <= 40 and bool(ORGAN_END.search(text)) and not re.search(r"[。，；：、]", text) \
        and marker_of(text) is None
