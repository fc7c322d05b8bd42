"""Recover a plan's structure from a document's blocks.

Front matter: 发文机关标志, 发文字号, the title (over several lines, with a "（2024—2026年）" line),
主送, and when the title is "关于印发《…》的通知" the 印发通知 with its signature, then the plan's own
title. Body: numbered lines (一、 （一） 1. （1）, and the half-width or 1、 variants of real
documents) open nodes whose nesting follows the order the marker kinds appear in; 责任单位 and
完成时限 lines (in the forms documents use) attach to the open node; a line shared by a section's
tasks (printed once after the last of them) is lifted to the section. Leaves with units or
deadlines (or whose siblings have them), sentence-led items under a heading that announces tasks,
and items whose text sets a date (in a 通知 anywhere but under its aims) are tasks, the other
nodes sections. Then 附件说明, signature, attachments (a 任务分工表 merged with the tasks by lead
or 序号, its rows the body lacks added as tasks) and the 版记.

Each value remembers how the source wrote it (`Node.how`: a line of its own, brackets at the end
of the task, the task's own sentence, only the 任务分工表; `Units.form`: A（牵头）, A牵头, 牵头单位：A)
and each item its marker as printed (`Node.style`: 1、 or 1.), so that the plan prints the source
again. Lines of the web page around the document (footers, share buttons) are left out.

The result is an `Outline`: plain data that `emit` turns into YAML. Every recovered item keeps
`where` (the source paragraph or page:line). Findings are (code class, where, message) triples.
"""

from __future__ import annotations

import collections
import difflib
import re
from dataclasses import dataclass, field

from docgen import deadlines
from docgen.ingest.blocks import WEB_META_LABEL, Document, Line, Table
from docgen.numbering import chinese
from docgen.wording import UNITS_BRACKETED, UNITS_LABELLED, UNITS_ONE_LINE, UNITS_SUFFIXED

# -- patterns -----------------------------------------------------------------------------------

_CN = "一二三四五六七八九十"
_MARKERS = (
    ("一、", re.compile(rf"^([{_CN}]{{1,3}})[、]\s*(.*)$")),
    ("（一）", re.compile(rf"^（([{_CN}]{{1,3}})）\s*(.*)$")),
    ("1.", re.compile(r"^(\d{1,2})(?:[.、](?!\d)|\s)\s*(.*)$")),
    ("（1）", re.compile(r"^（(\d{1,2})）\s*(.*)$")),
    ("①", re.compile(r"^([①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳])\s*(.*)$")),
)
_UNIT_KEYS = r"(?:责任单位|责任部门|牵头单位|主责单位|责任主体|牵头部门|负责单位|实施单位)"
_UNITS_LINE = re.compile(rf"^[（(]?{_UNIT_KEYS}[：:](.*?)[）)]?[。；]?$")
_UNITS_TAIL = re.compile(rf"[（(]({_UNIT_KEYS}[：:][^（）]*(?:（[^（）]*）[^（）]*)*)[）)]。?$")
_SUPPORT_LINE = re.compile(r"^[（(]?(?:配合单位|配合部门|协办单位)[：:](.*?)[）)]?[。；]?$")
_DEADLINE_LINE = re.compile(r"^[（(]?(完成时限|完成时间|时间节点|时限要求|完成期限)[：:](.*?)[）)]?[。]?$")
_DEADLINE_TAIL = re.compile(r"[（(]((?:完成时限|完成时间|时间节点|完成期限)[：:][^（）]*)[）)]。?$"
                            r"|[（(](\d{4}年[^（）]{0,12}?前)(?:完成)?[）)]。?$")
#: "责任单位：…；完成时限：…" on one line or in one pair of brackets.
_DEADLINE_AFTER_UNITS = re.compile(r"[；;，,。]\s*(?:完成时限|完成时间|时间节点|完成期限)[：:](.*)$")
_LEAD_SUPPORT = re.compile(r"^(?:由)?(.+?)牵头[，,、]?(?:(.+?)(?:等)?(?:部门|单位)?配合)?(?:落实|负责|实施)?[。；]?$")
_BY = re.compile(r"^由(.+?)(?:负责|牵头)(?:落实|实施)?[。；]?$")
_DOC_NUMBER = re.compile(r"^[\u4e00-\u9fff]{1,12}[〔\[［(（]\d{4}[〕\]］)）]\d{1,4}号")
_DATE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$")
_NOTICE_TITLE = re.compile(r"^.{0,30}?关于印发《(.+)》的通知$")
_SUBTITLE = re.compile(r"^[（(]\d{4}\s*[—–\-－~～至]+\s*\d{4}年[）)]$")
_KIND_WORDS = (("实施方案", "实施方案"), ("工作方案", "实施方案"), ("方案", "实施方案"), ("工作要点", "工作要点"),
               ("实施意见", "实施意见"), ("意见", "工作意见"), ("要点", "工作要点"), ("通知", "通知"),
               ("安排", "工作要点"), ("部署", "工作要点"), ("计划", "工作要点"),
               ("通报", "通知"))
_WEB_META = re.compile(r"(发布时间|发布日期|来源[：:]|浏览次数|点击数|阅读次数|字号[：:]|索引号|【打印】|【关闭】"
                       r"|^时间[：:]\s*\d{4}[-/.年])")
#: A line of a web page's frame wherever it is (mostly below the document): links, buttons, the
#: site's footer. Never a sentence of a document.
_WEB_FRAME = re.compile(
    r"^(?:附件下载|扫一扫.{0,20}|分享到.{0,20}|相关(?:解读|链接|文章|阅读|新闻)|(?:文字|图片|视频|访谈|图文|政策)解读"
    r"|媒体报道|打印本页|关闭窗口|【?(?:打印|关闭|返回顶部|收藏)】?|上一篇.*|下一篇.*)[：:]?$"
    r"|网站标识码|ICP备\d|公网安备|网站联系电话|^(?:主办|承办)(?:单位)?[：:]|^(?:技术支持|版权所有)[：:]|保护视力色"
    r"|无障碍浏览")
#: A line of a web page's buttons only: "【字体：大 中 小】【打印本页】【关闭窗口】", "[打印] [关闭]".
_BUTTONS = re.compile(r"^(?:[【\[［]?\s*(?:字体(?:大小)?|字号|打印(?:本页|此页)?|关闭(?:窗口|本页)?|返回(?:顶部)?|收藏|保存"
                      r"|分享|大|中|小)\s*[：:]?\s*[】\]］]?\s*)+$")


def _web_frame(text: str) -> bool:
    """A line of the web page around the document: a link, a button row, the site's footer."""
    return len(text) < 120 and bool(_WEB_FRAME.search(text) or _BUTTONS.match(text)
                                    and re.search("打印|关闭|字体|字号", text))
#: The 发文字号 among a web page's publication details: "文号：石安委〔2026〕8号".
_META_NUMBER = re.compile(r"(?:文\s*号|发文字号)\s*[：:]?\s*([\u4e00-\u9fff]{1,12}[〔\[［(（]\d{4}[〕\]］)）]\d{1,4}号)")
_TITLE_END = re.compile(r"(方案|要点|意见|通知|通报|计划|办法|安排|部署|细则|措施|规划)(（\d{4}[—–\-－]\d{4}年）)?$")
_ATTACH_NOTE = re.compile(r"^附件[：:]\s*(.*)$")
_ATTACH_LABEL = re.compile(r"^附件\s*(\d*)$")
_CC = re.compile(r"^抄送[：:](.*)$")
_PRINTED = re.compile(r"^(.+?)\s*(\d{4}年\d{1,2}月\d{1,2}日)\s*印发$")
_ITEM = re.compile(rf"([{_CN}]{{1,3}})是")
_BASIS = re.compile(r"《([^》]+)》（([^（）]*〔\d{4}〕\d+号)）")
_VALID = re.compile(r"有效期至(\d{4}年\d{1,2}月\d{1,2}日)")
_OPS = ("不少于", "不低于", "达到", "不超过", "不高于", "控制在", "低于")
_TARGET = re.compile(
    rf"^(?P<name>[^，。；]+?)(?P<op>{'|'.join(_OPS)})(?P<value>\d+(?:\.\d+)?)(?P<unit>[^\d（），。；]{{0,4}}?)"
    r"(?P<within>以内|以上|以下)?(?:（(?P<years>\d{4}年[^（）]*)）)?$")
_YEAR_VALUE = re.compile(r"(\d{4})年(\d+(?:\.\d+)?)")
_INLINE_DEADLINE = re.compile(
    r"((?<!\d)\d{4}年(?:\d{1,2}月(?:\d{1,2}日)?|上半年|下半年|第[一二三四]季度)?(?:年底|底|末)?(?:前|之前)"
    # the year left out (于4月30日前): read in the plan's year
    r"|(?<![\d年])\d{1,2}月(?:\d{1,2}日|底|末)(?:前|之前)"
    # a day of each period: 每月5日前, 每季度首月10日前, 每年3月底前
    r"|每月\d{1,2}日(?:前|之前)|每(?:季度|半年)(?:首|末|第[一二三四五六])月\d{1,2}日(?:前|之前)"
    r"|每年\d{1,2}月(?:\d{1,2}日|底|末)(?:前|之前))")
_STAGE = re.compile(r"^((?:\d{4}年)?[^，。；]{0,10}?(?:前|之前|上半年|下半年|季度))，(.+)$")

TASK_TABLE_HEADERS = {
    "序号": ("序号", "编号"),
    "任务": ("工作任务", "重点任务", "任务内容", "主要任务", "具体任务", "任务", "工作内容", "工作措施"),
    "牵头": ("牵头单位", "牵头部门", "责任单位", "责任部门", "主责单位"),
    "配合": ("配合单位", "配合部门", "协办单位"),
    "时限": ("完成时限", "完成时间", "时间节点", "时限"),
}


# -- outline ------------------------------------------------------------------------------------

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
class Target:
    name: str
    op: str
    value: float
    unit: str
    by_year: dict[int, float]


@dataclass
class Node:
    """A numbered line and what follows it, until the next numbered line of its level or above."""

    marker: str
    number: int
    head: str
    where: str
    #: ("para", Line) ("table", BodyTable) ("units", Units) ("deadline", list[Stage]) ("child", Node)
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


#: How a table's title ends (…统计表, …清单, …一览表): a line above a table ending so is its title.
_TABLE_TITLE = re.compile(r"(?:表|清单|名单|名录|一览|汇总|明细)$")


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


def _table_title(line: Line) -> bool:
    """`line`, right above a table in the body, is the table's title: short, not a sentence or an
    item, and named as a table (or centred, as a Word document sets it)."""
    text = line.text
    return (len(text) <= 60 and marker_of(text) is None and not text.endswith(("。", "：", ":", "；", "，"))
            and (bool(_TABLE_TITLE.search(text)) or line.centered))


@dataclass
class Attachment:
    title: str
    where: str
    table: Table | None = None
    kind: str = "表格"
    #: Where the paragraphs of an attachment of text (a forwarded document) are: not imported.
    text_at: list[str] = field(default_factory=list)


@dataclass
class Outline:
    kind: str = ""
    mark: str = ""
    doc_number: str = ""
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
    #: 责任单位 and 完成时限 lines of their own ending with 。 (or ；), and without.
    line_stops: list[int] = field(default_factory=lambda: [0, 0])
    #: The labels of the 完成时限 lines of their own (完成时限, 时间节点, …), counted.
    deadline_labels: collections.Counter = field(default_factory=collections.Counter)
    #: The year the title names (2026年…工作要点, （2026—2027年）): dates written without a year are in it.
    year: int | None = None
    period: tuple[str, str] | None = None
    basis: list[tuple[str, str]] = field(default_factory=list)
    body: list = field(default_factory=list)  # Node, Line (top-level paragraphs) or BodyTable
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


# -- helpers ------------------------------------------------------------------------------------

def _cn_value(text: str) -> int:
    if text in "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳" and len(text) == 1:
        return "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳".index(text) + 1
    if text.isdigit():
        return int(text)
    for n in range(1, 100):
        if chinese(n) == text:
            return n
    return 0


def marker_of(text: str) -> tuple[str, int, str] | None:
    """(marker kind, number, rest) of a numbered line, or None."""
    for kind, pattern in _MARKERS:
        m = pattern.match(text)
        if m and m.group(2):
            if kind == "1." and re.match(r"^\d{1,2}\s", text) and not re.match(r"^\d{1,2}\s+[\u4e00-\u9fff]", text):
                continue
            if kind == "1." and re.match(r"^\d+(月|日|年|%|个|家|项|次)", text):
                continue
            return kind, _cn_value(m.group(1)), m.group(2)
    return None


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


def _split_combined(text: str) -> tuple[str, str | None]:
    """("责任单位：A", "2024年底前") from "责任单位：A；完成时限：2024年底前"."""
    m = _DEADLINE_AFTER_UNITS.search(text)
    if not m:
        return text, None
    return text[:m.start()], m.group(1).strip().rstrip("。）)")


def split_recipients(text: str) -> list[str]:
    """主送 groups as the document separates them by ， (docgen prints them joined by ，); a list
    written with 、 only is one group, so that it is printed as it was."""
    return [t.strip() for t in text.split("，") if t.strip()]


_CLOSING_SENTENCE = re.compile(r"^本(?:实施)?(?:方案|意见|要点|通知|办法|计划).{0,20}(?:施行|有效期|解释|执行)")


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


#: Where a deadline phrase may end inside a longer text: after 前, 底, 末, 季度, 半年, 日.
_PHRASE_END = re.compile(r"(?:之前|以前|前|底|末|季度|半年|日)")


def _deadline_prefix(text: str, year: int | None = None, recurring: bool = False) -> int:
    """The length of the longest deadline phrase `text` starts with, 0 if none (with `recurring`,
    only a phrase ending in 前: 每月5日前)."""
    best = 0
    for m in _PHRASE_END.finditer(text):
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


def parse_targets(sentence: str) -> list[Target] | None:
    """Targets written as docgen prints them: "名称不少于40家（2024年10家，…）；名称达到100%"."""
    out = []
    for part in sentence.rstrip("。").split("；"):
        m = _TARGET.match(part.strip())
        if not m:
            return None
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


def _kind_of(title: str) -> str:
    inner = _NOTICE_TITLE.match(title)
    probe = inner.group(1) if inner else title
    probe = re.sub(r"（\d{4}[—–\-－]\d{4}年）$", "", probe)
    for word, kind in _KIND_WORDS:
        if probe.endswith(word):
            return kind
    return "实施方案" if inner else "工作要点"


# -- the recovery -------------------------------------------------------------------------------

class Recovery:
    def __init__(self, document: Document, kind: str | None = None):
        self.doc = document
        self.lines = document.blocks
        self.out = Outline()
        self.forced_kind = kind
        self.used: set[int] = set()

    def find(self, code: str, where: str, message: str) -> None:
        self.out.findings.append((code, where, message))

    def run(self) -> Outline:
        self.drop_web_frame()
        i = self.front()
        # the kind and year, known from the title, decide which items are tasks
        self.out.kind = self.forced_kind or _kind_of(self.out.notice_title or self.out.title)
        # (a notice's title often names no year: its 发文字号 石安委办〔2026〕12号 does)
        year = re.search(r"(\d{4})(?:年|[—–\-－])", self.out.title) or re.search(r"〔(\d{4})〕", self.out.doc_number)
        self.out.year = int(year.group(1)) if year else None
        end, tail = self.body_end(i)
        self.body(self.lines[i:end])
        self.tail(self.lines[end:], tail)
        self.closing()
        self.metadata()
        return self.out

    def drop_web_frame(self) -> None:
        """Leave out the lines of the web page around the document (reported as skipped)."""
        kept = []
        for block in self.lines:
            if isinstance(block, Line) and _web_frame(block.text):
                self.find("skipped-text", block.where, f"网页信息“{_short(block.text)}”不属于公文，已跳过。")
            else:
                kept.append(block)
        self.lines = kept

    # front matter --------------------------------------------------------------------------------
    def _line(self, i: int) -> Line | None:
        if i < len(self.lines) and isinstance(self.lines[i], Line):
            return self.lines[i]
        return None

    def front(self) -> int:
        out = self.out
        n = len(self.lines)
        title_at = None
        for i in range(min(n, 60)):
            line = self._line(i)
            if line is None or marker_of(line.text):
                break
            text = line.text
            if line.style == "发文机关标志" or (text.endswith("文件") and len(text) <= 30) or _DOC_NUMBER.match(text) \
                    or re.search(r"[>＞]|首页|当前位置", text) or WEB_META_LABEL.match(text) or _web_frame(text):
                continue
            if line.style in ("标题", "方案标题", "Title", "large") or (
                    (text.startswith("关于") or _TITLE_END.search(text)) and len(text) <= 80 and "。" not in text):
                title_at = i
                break
            if "关于" in text and len(text) <= 60 and "。" not in text and not text.endswith("：") \
                    and (text.count("《") > text.count("》") or (nxt := self._line(i + 1)) is not None
                         and _TITLE_END.search(nxt.text) and len(nxt.text) <= 40):
                title_at = i  # "…关于印发《…" whose line broke before the title's end
                break
        # 版头 above the title
        start = 0
        for i in range(title_at if title_at is not None else 0):
            line = self._line(i)
            text = line.text
            if line.style == "发文机关标志" or (text.endswith("文件") and len(text) <= 30 and not out.mark
                                              and not re.search(r"[>＞]|首页|当前位置", text)):
                out.mark = text  # (never a web page's breadcrumb "首页 > 政务公开 > 部门文件")
            elif _DOC_NUMBER.match(text) and not out.doc_number:
                out.doc_number = _normal_doc_number(_DOC_NUMBER.match(text).group(0))
            elif WEB_META_LABEL.match(text) or _WEB_META.search(text) or _web_frame(text):
                if (number := _META_NUMBER.search(text)) and not out.doc_number:
                    out.doc_number = _normal_doc_number(number.group(1))  # "文号：石安委〔2026〕8号"
                self.find("skipped-text", line.where, f"网页信息“{_short(text)}”不属于公文，已跳过。")
            else:
                self.find("skipped-text", line.where, f"版头前的文字“{_short(text)}”不属于方案，已跳过。")
            start = i + 1
        if title_at is None:
            self.find("missing-title", self.lines[0].where if self.lines else "第1行",
                      "没有找到文件标题，已用文件名代替；请在“标题”中改正。")
            return start
        i = title_at
        title = self._line(i).text
        i += 1
        while (line := self._line(i)) is not None and _title_open(title) and not line.text.endswith("：") \
                and "。" not in line.text and len(title) < 100 and not marker_of(line.text) \
                and not _DATE.match(line.text):
            title += line.text
            i += 1
        if (line := self._line(i)) is not None and _SUBTITLE.match(line.text):
            title += line.text
            i += 1
        out.where["标题"] = self._line(title_at).where
        while (line := self._line(i)) is not None and (
                _WEB_META.search(line.text) and len(line.text) < 120 or _doc_number_line(line.text)):
            if _doc_number_line(line.text) and not out.doc_number:
                # web pages print the 发文字号 under the title
                out.doc_number = _normal_doc_number(_DOC_NUMBER.match(line.text.strip("（）()")).group(0))
            elif not _doc_number_line(line.text):
                self.find("skipped-text", line.where, f"网页信息“{_short(line.text)}”不属于公文，已跳过。")
            i += 1
        if (line := self._line(i)) is not None and line.text.endswith("：") and len(line.text) < 200 \
                and "。" not in line.text:
            out.recipients = split_recipients(line.text[:-1])
            i += 1
        m = _NOTICE_TITLE.match(title)
        if not m:
            out.title = title
            return i
        out.notice_title = title
        plan_title = _title_of(m.group(1))
        body: list[str] = []
        while (line := self._line(i)) is not None:
            nxt = self._line(i + 1)
            if nxt is not None and _DATE.match(nxt.text) and len(line.text) <= 40 and "。" not in line.text:
                out.signature, out.date = line.text, nxt.text
                i += 2
                if (note := self._line(i)) is not None and re.match(r"^（[^（）]{1,40}）$", note.text):
                    out.note = note.text[1:-1]
                    i += 1
                break
            if line.text.replace("〈", "《").replace("〉", "》") == plan_title or line.style == "方案标题":
                break
            body.append(line.text)
            i += 1
        out.notice_body = "".join(body)
        # the plan's own title (maybe over lines, maybe with a （2024—2026年） line)
        probe = i
        collected = ""
        while (line := self._line(probe)) is not None and probe < i + 6:
            if marker_of(line.text) or (len(line.text) > 60 and "。" in line.text):
                break
            collected += line.text
            probe += 1
            if re.sub(r"（\d{4}[—–\-－]\d{4}年）$", "", collected) == re.sub(r"（\d{4}[—–\-－]\d{4}年）$", "", plan_title) \
                    or collected == plan_title:
                nxt = self._line(probe)
                if nxt is not None and _SUBTITLE.match(nxt.text):
                    collected += nxt.text
                    probe += 1
                out.title = collected
                return probe
        out.title = plan_title
        return i

    def body_end(self, start: int) -> tuple[int, str]:
        """Where the body ends: at 附件说明, an attachment label, the signature or the 版记."""
        for i in range(start, len(self.lines)):
            block = self.lines[i]
            if isinstance(block, Table):
                prev = self._line(i - 1)
                if prev is not None and not marker_of(prev.text) and (
                        _ATTACH_LABEL.match(prev.text) or self._line(i - 2) and _ATTACH_LABEL.match(self._line(i - 2).text)):
                    return i - 2 if _ATTACH_LABEL.match(self._line(i - 2).text or "") else i - 1, "attachments"
                continue
            text = block.text
            if _ATTACH_NOTE.match(text) and len(text) < 200:
                return i, "note"
            if _ATTACH_LABEL.match(text) and block.style not in ("公文正文",):
                return i, "attachments"
            if _CC.match(text):
                return i, "closing"
            nxt = self._line(i + 1)
            if (nxt is not None and _DATE.match(nxt.text) and len(text) <= 40 and "。" not in text
                    and not marker_of(text) and not _UNITS_LINE.match(text)):
                return i, "signature"
        return len(self.lines), "end"

    # body -----------------------------------------------------------------------------------------
    def body(self, blocks: list) -> None:
        order: list[str] = []  # marker kinds in nesting order, as they appear
        stack: list[Node] = []
        top: list = []

        def attach(kind: str, value) -> None:
            if kind == "units" and not value.lead and stack and stack[-1].events \
                    and stack[-1].events[-1][0] in ("units", "inline units"):
                stack[-1].events[-1][1].support.extend(value.support)  # 牵头单位 and 配合单位 on two lines
                return
            if stack:
                stack[-1].events.append((kind, value))
            elif kind in ("para", "table"):
                top.append(value)
            else:
                self.find("stray-line", value.where if hasattr(value, "where") else "",
                          "责任单位或完成时限出现在任何条目之前，无法确定属于哪一项，已跳过。")

        body_tables: list[BodyTable] = []
        titles = {i + 1 for i, block in enumerate(blocks[:-1])
                  if isinstance(block, Line) and isinstance(blocks[i + 1], Table) and _table_title(block)}
        for i, block in enumerate(blocks):
            if i + 1 in titles:
                continue  # the title of the table that follows
            if isinstance(block, Table):
                if i and isinstance(blocks[i - 1], Table) and body_tables and _continued(body_tables[-1].table, block):
                    continue  # the table goes on over the page
                if block.rows:
                    body_tables.append(BodyTable(Table([list(r) for r in block.rows], block.where, block.landscape),
                                                 blocks[i - 1].text if i in titles else ""))
                    attach("table", body_tables[-1])
                continue
            text = block.text
            found = self.responsibility_or_deadline(block)
            if found and not text.startswith(("（", "(")):
                self.out.line_stops[not text.endswith(("。", "；"))] += 1
            if found:
                for kind, value in found:
                    attach(kind, value)
                continue
            marker = marker_of(text)
            if marker is None and _CLOSING_SENTENCE.match(text):
                stack.clear()  # the closing sentence of the whole document
                top.append(block)
                continue
            if marker is None:
                attach("para", block)
                continue
            kind, number, rest = marker
            rest, inline = self.inline_lines(rest, block.where)
            rest, run_in = _run_in_heading(kind, rest)
            node = Node(kind, number, rest, block.where,
                        style="1、" if kind == "1." and text[len(str(number))] == "、" else kind)
            node.events.extend(inline)
            if run_in:
                node.events.append(("para", Line(run_in, block.where)))
            if kind in order:
                level = order.index(kind)
                while stack and order.index(stack[-1].marker) >= level:
                    stack.pop()
                del order[level + 1:]
            else:
                order.append(kind)
            previous = self._previous_sibling(stack, top)
            if previous is not None and previous.marker == kind and number not in (previous.number + 1, 1):
                self.find("numbering-gap", block.where,
                          f"序号不连续：“{_label(kind, previous.number)}”之后是“{_label(kind, number)}”，请核对原文是否漏了条目。")
            if stack:
                stack[-1].events.append(("child", node))
            else:
                top.append(node)
            stack.append(node)
        self.out.body = top
        self._classify(top, None, ())

    @staticmethod
    def _previous_sibling(stack: list[Node], top: list) -> Node | None:
        siblings = [e[1] for e in stack[-1].events if e[0] == "child"] if stack else [t for t in top if isinstance(t, Node)]
        return siblings[-1] if siblings else None

    def responsibility_or_deadline(self, line: Line) -> list[tuple[str, object]] | None:
        text = line.text
        m = _UNITS_LINE.match(text)
        if m and len(text) < 300:
            text, deadline = _split_combined(text.strip("（）()"))
            units = parse_units(text, line.where)
            found = [("units", units)] if units else []
            if deadline:
                found.append(("deadline", (parse_stages(deadline), line.where)))
            return found or None
        m = _SUPPORT_LINE.match(text)
        if m and len(text) < 300:
            return [("units", Units([], split_units(m.group(1)), line.where))]
        m = _DEADLINE_LINE.match(text)
        if m and len(text) < 300:
            self.out.deadline_labels[m.group(1)] += 1
            return [("deadline", (parse_stages(m.group(2)), line.where))]
        if len(text) < 120 and "牵头" in text and not marker_of(text) and "。" not in text.rstrip("。"):
            m = _LEAD_SUPPORT.match(text)
            if m:
                return [("units", Units(split_units(m.group(1)), split_units(m.group(2) or ""), line.where,
                                        form=UNITS_SUFFIXED))]
        m = _BY.match(text)
        if m and len(text) < 80:
            return [("units", Units(split_units(m.group(1)), [], line.where))]
        return None

    def inline_lines(self, text: str, where: str) -> tuple[str, list]:
        """Units and deadlines written at the end of a numbered line: "（责任单位：…）", "（完成时限：…）",
        "（A牵头，B配合）", "…，A牵头，B配合。", "…，由A负责。"; returns the text without them."""
        events = []
        for _ in range(2):
            m = _UNITS_TAIL.search(text)
            if m:
                units_text, deadline = _split_combined(m.group(1))
                units = parse_units(units_text, where)
                if units:
                    units.how = BRACKET
                    if units.form == UNITS_ONE_LINE:  # in brackets, 同行 and 分列 print alike
                        units.form = UNITS_LABELLED
                    events.append(("inline units", units))
                if deadline:
                    events.append(("inline deadline", (parse_stages(deadline), where)))
                before = text[:m.start()].rstrip()
                text = before + "。" if before and before[-1] not in "。；！？" and m.group(0).endswith("。") else before
                continue
            m = _DEADLINE_TAIL.search(text)
            if m:
                raw = m.group(1) or m.group(2)
                value = raw.split("：", 1)[1] if "：" in raw else raw
                events.append(("inline deadline", (parse_stages(value), where)))
                text = text[:m.start()].rstrip()
                continue
            m = re.search(r"[（(]([^（）]{2,60}?)牵头(?:[，,、]([^（）]{2,80}?)配合)?[）)]。?$", text) \
                or re.search(r"[（(]由?((?:[^（）]|（[^（）]*）){2,60}?)(?:牵头)?负责(?:落实|实施)?[）)]。?$", text)
            if m:
                support = split_units(m.group(2) or "") if m.re.groups >= 2 else []
                events.append(("inline units", Units(split_units(m.group(1)), support, where, BRACKET,
                                                     UNITS_SUFFIXED if "牵头" in m.group(0) else "")))
                text = text[:m.start()].rstrip()
                continue
            # "…，市应急局牵头，市公安局配合。" and "…，由宣传办负责。" closing a sentence: part of the
            # text, which keeps it (the plan says `正文写明`)
            m = re.search(r"[，,]((?:[^，。；（）]|（[^（）]*）){2,40}?)牵头[，,]((?:[^，。；（）]|（[^（）]*）){2,80}?)配合(?:落实|实施)?。$", text) \
                or re.search(r"[，,]由((?:[^，。；（）]|（[^（）]*）){2,40}?)(?:负责|牵头)(?:落实|实施)?。$", text)
            if m and "。" in text[:m.start()] + "。":
                support = split_units(m.group(2)) if m.re.groups >= 2 and m.group(2) else []
                events.append(("inline units", Units(split_units(m.group(1)), support, where, IN_TEXT)))
            break
        return text, events

    # classification and shared lines --------------------------------------------------------------
    def _classify(self, items: list, parent: Node | None, titles: tuple[str, ...]) -> None:
        """Sections and tasks. A leaf is a task when it, a sibling or its section has 责任单位 or
        完成时限, or when it is a sentence-led item under a heading that announces tasks
        (主要任务, 工作重点…) and not under one that does not (总体要求, 保障措施…)."""
        nodes = [n for n in items if isinstance(n, Node)]
        for node in nodes:
            children = [e[1] for e in node.events if e[0] == "child"]
            if children:
                self._classify(children, node, titles + (_split_title(node.head),))
        leaves = [n for n in nodes if not any(e[0] == "child" for e in n.events)]
        # own and shared 责任单位 / 完成时限 lines of leaves
        for attr in ("units", "deadline"):
            missing_since: list[Node] = []
            for node in leaves:
                values = [e for e in node.events if e[0] in (attr, f"inline {attr}")]
                if not values:
                    missing_since.append(node)
                    continue
                own, shared = self._own_and_shared(node, attr)
                inline = any(e[0] == f"inline {attr}" for e in node.events)
                # a line after this task, when the tasks before it have none, is their shared line;
                # what is written inside the task's own sentence is always its own
                if own is not None and missing_since and shared is None and parent is not None \
                        and not getattr(parent, attr) and not inline:
                    shared, own = own, None
                if own is not None:
                    setattr(node, attr, own)
                    node.how[attr] = _how_written(node, attr)
                    missing_since = []
                else:
                    missing_since.append(node)
                if shared is not None:
                    target = parent
                    if target is None or getattr(target, attr) is not None:
                        # nowhere to lift: keep it on the task
                        if own is None:
                            setattr(node, attr, shared)
                            node.how[attr] = LINE
                    else:
                        setattr(target, attr, shared)
                    missing_since = []
        has_info = any(n.units or n.deadline for n in leaves) or bool(parent and (parent.units or parent.deadline))
        for node in nodes:
            if any(e[0] == "child" for e in node.events):
                node.kind = "section"
            elif node.units or node.deadline:
                node.kind = "task"
            elif has_info and ("。" in node.head.rstrip("。") or len(node.head) > 25 or node.head.endswith("。")):
                # (a sentence, not a heading: headings do not end with 。)
                node.kind = "task"
            elif _task_context(titles) and "。" in node.head.rstrip("。"):
                node.kind = "task"
            elif _sentence(node.head) and self._inline_deadline(node, self.out.year) and _dated_context(titles, self.out.kind):
                node.kind = "task"  # "（一）自查自纠。…，2026年4月30日前完成。" in a 通知
            else:
                node.kind = "section"
        if any(n.kind == "task" for n in leaves):
            for node in leaves:  # items of one list are all tasks, or their numbers would not run on
                if node.kind == "section" and _sentence(node.head):
                    node.kind = "task"

    @staticmethod
    def _own_and_shared(node: Node, attr: str):
        """A leaf's own value and a value shared with earlier tasks, read from the order of its lines.

        docgen prints a task's own 责任单位 then 完成时限, then the lines its section shares with
        the tasks before it: [units] [deadline] [shared units] [shared deadline].
        """
        seq = [e for e in node.events if e[0] in ("units", "deadline")]
        slots: dict[str, object] = {}
        order = ("units", "deadline", "shared units", "shared deadline")
        at = 0
        for kind, value in seq:
            while at < len(order) and not order[at].endswith(kind):
                at += 1
            if at == len(order):
                break
            slots[order[at]] = value
            at += 1
        own, shared = slots.get(attr), slots.get(f"shared {attr}")
        inline = [v for k, v in node.events if k == f"inline {attr}"]
        if inline:  # written in the item's own sentence: its own; a line after it is shared
            if own is not None and shared is None:
                shared = own
            own = inline[0]
        return own, shared

    @staticmethod
    def _inline_deadline(node: Node, year: int | None = None) -> list[Stage]:
        """The deadlines written in an item's own text (…，2026年4月30日前完成。), in order;
        a date without its year is read in `year` (the plan's)."""
        text = node.head + "".join(e[1].text for e in node.events if e[0] == "para")
        out = []
        for m in _INLINE_DEADLINE.finditer(text):
            phrase = m.group(1)
            if not _readable(phrase, year):
                continue
            if not re.match(r"\d{4}年|每", phrase) and year:
                phrase = f"{year}年{phrase}"
            rest = text[m.end():]
            content = re.split(r"[，。；]", rest.lstrip("，"), maxsplit=1)[0]
            out.append(Stage(phrase, content))
        return out

    # tail: 附件说明, signature, attachments, 版记 ----------------------------------------------------
    def tail(self, blocks: list, how: str) -> None:
        out = self.out
        i = 0
        notes: list[str] = []
        while i < len(blocks):
            block = blocks[i]
            if isinstance(block, Table):
                self._attachment_table(block, blocks, i)
                i += 1
                continue
            text = block.text
            m = _ATTACH_NOTE.match(text)
            if m and not out.attachments:
                notes.append(m.group(1))
                i += 1
                while i < len(blocks) and isinstance(blocks[i], Line) and re.match(r"^\d+[.．、]", blocks[i].text):
                    notes.append(blocks[i].text)
                    i += 1
                continue
            nxt = blocks[i + 1] if i + 1 < len(blocks) else None
            if isinstance(nxt, Line) and _DATE.match(nxt.text) and not out.signature and len(text) <= 40:
                out.signature, out.date = text, nxt.text
                i += 2
                if i < len(blocks) and isinstance(blocks[i], Line) and re.match(r"^（[^（）]{1,40}）$", blocks[i].text):
                    out.note = blocks[i].text[1:-1]
                    i += 1
                continue
            label = _ATTACH_LABEL.match(text)
            if label:
                title_line = blocks[i + 1] if i + 1 < len(blocks) and isinstance(blocks[i + 1], Line) else None
                title = title_line.text if title_line is not None else ""
                out.attachments.append(Attachment(title, block.where))
                i += 2
                continue
            closing = self.doc.closing
            if _CC.match(text) or _PRINTED.match(text) or (
                    closing and _CC.match(closing[-1].text) and not closing[-1].text.endswith("。")):
                closing.append(block)
                i += 1
                continue
            if out.attachments and out.attachments[-1].table is None and not text.startswith("注"):
                out.attachments[-1].text_at.append(block.where)
            elif not out.attachments:
                self.find("skipped-text", block.where, f"正文之后的文字“{_short(text)}”没有导入。")
            i += 1
        for att in out.attachments:
            if att.text_at:  # one finding for the whole text, not one a paragraph
                span = att.text_at[0] + (f"至{att.text_at[-1]}" if len(att.text_at) > 1 else "")
                self.find("skipped-text", att.text_at[0],
                          f"附件“{_short(att.title)}”是一篇文字（{len(att.text_at)}段，{span}，如转发的上级文件），"
                          f"方案的附件只能是表格，它的正文没有导入：排版时只在附件说明中列出标题，请随文另附原件。")
        titles = []
        for note in notes:
            for part in re.split(r"(?:^|\s)(?=\d+[.．、])", note):
                part = re.sub(r"^\d+[.．、]\s*", "", part.strip())
                if part:
                    titles.append(part)
        if titles and not out.attachments:
            out.attachments = [Attachment(t, "附件说明") for t in titles]
        elif titles:
            for att, title in zip(out.attachments, titles):
                att.title = att.title or title

    def _attachment_table(self, table: Table, blocks: list, i: int) -> None:
        out = self.out
        previous = blocks[i - 1] if i > 0 else None
        if out.attachments and out.attachments[-1].table is not None and isinstance(previous, Table):
            if _continued(out.attachments[-1].table, table):
                return
        if not out.attachments or out.attachments[-1].table is not None:
            out.attachments.append(Attachment("", table.where))
        out.attachments[-1].table = table

    def closing(self) -> None:
        lines = [l.text for l in self.doc.closing]
        joined: list[str] = []
        for text in lines:
            if joined and _CC.match(joined[-1]) and not joined[-1].endswith("。") and not _PRINTED.match(text):
                joined[-1] += text
            else:
                joined.append(text)
        for text in joined:
            m = _CC.match(text)
            if m:
                self.out.cc = split_units(m.group(1))
                continue
            m = _PRINTED.match(text)
            if m:
                self.out.printer, self.out.print_date = m.group(1).strip(), m.group(2)

    # metadata and task-table merging --------------------------------------------------------------
    def metadata(self) -> None:
        out = self.out
        texts = [e.text for e in out.body if isinstance(e, Line)][:2]
        for text in texts:
            for title, number in _BASIS.findall(text):
                out.basis.append((_title_of(title), number))
        for item in self._all_lines():
            m = _VALID.search(item)
            if m:
                out.valid_until = m.group(1)
        m = re.search(r"（(\d{4})[—–\-－](\d{4})年）", out.title)
        if m:
            out.period = (f"{m.group(1)}年1月1日", f"{m.group(2)}年12月31日")
        else:
            m = re.search(r"(\d{4})年", out.title)
            if m and out.kind == "工作要点":
                out.period = (f"{m.group(1)}年1月1日", f"{m.group(1)}年12月31日")
        for att in out.attachments:
            if att.table is not None and self._task_columns(att.table.rows[0] if att.table.rows else []):
                att.kind = "任务分工表"
                self.merge_task_table(att)

    def _all_lines(self):
        def rec(items):
            for item in items:
                if isinstance(item, Line):
                    yield item.text
                elif isinstance(item, Node):
                    yield item.head
                    yield from rec([e[1] for e in item.events if e[0] in ("para", "child")])
        yield from rec(self.out.body)

    @staticmethod
    def _task_columns(header: list[str]) -> dict[str, int] | None:
        found: dict[str, int] = {}
        for col, name in enumerate(header):
            name = re.sub(r"\s", "", name)
            for key, words in TASK_TABLE_HEADERS.items():
                if key not in found and name in words:
                    found[key] = col
                    break
        return found if "任务" in found and ("牵头" in found or "时限" in found) else None

    def merge_task_table(self, att: Attachment) -> None:
        """Give the body's tasks the 责任单位 and 完成时限 of their rows in the 任务分工表.

        A row is matched to a body item by its 工作任务 (the lead sentence, a shortened or
        lengthened one), or by its 序号 when the body numbers its items the same way. A row that
        matches nothing is a task only the table has: it is added after the task of the row
        before it (or where the body's tasks are), so that no task of the table is lost.
        """
        cols = self._task_columns(att.table.rows[0])
        leaves = self._leaves()
        used: set[int] = set()
        previous: Node | None = None
        for r, row in enumerate(att.table.rows[1:], start=2):
            def cell(key):
                return row[cols[key]].strip() if key in cols and cols[key] < len(row) else ""
            name = cell("任务")
            if not name:
                continue
            where = f"{att.table.where}第{r}行"
            task = _match_row(name, cell("序号"), [t for t in leaves if id(t) not in used])
            if task is None:
                task = Node("", 0, name, where, kind="task")
                self._insert_after(task, previous)
                self.find("table-row-unmatched", where,
                          f"任务分工表的“{_short(name)}”在正文中没有对应的条目，已作为任务补入方案"
                          f"{f'（接在“{_short(_lead(previous.head), 16)}”之后）' if previous else ''}；请核对。")
            used.add(id(task))
            previous = task
            task.kind = "task"
            effective_units = task.units or self._section_value(task, "units")
            effective_deadline = task.deadline or self._section_value(task, "deadline")
            if effective_units is None and (cell("牵头") or cell("配合")):
                if "配合" in cols:
                    task.units = Units(split_units(cell("牵头")), split_units(cell("配合")), where)
                else:  # one 责任单位 column: "A牵头，B、C配合", "A（牵头）、B" or a list
                    task.units = parse_units(cell("牵头"), where)
                task.how["units"] = TABLE
            if effective_deadline is None and cell("时限"):
                task.deadline = (parse_stages(cell("时限")), where)
                task.how["deadline"] = TABLE

    def _insert_after(self, task: Node, previous: Node | None) -> None:
        """Put a task the body does not have after `previous`, else after the body's last task."""
        anchor = previous or (self.out.tasks() or [None])[-1]
        if anchor is None:
            self.out.body.append(task)
            return

        def rec(items: list, wrapped: bool) -> bool:
            for i, item in enumerate(items):
                node = item[1] if wrapped else item
                if not isinstance(node, Node):
                    continue
                if node is anchor:
                    items.insert(i + 1, ("child", task) if wrapped else task)
                    return True
                if rec(node.events, True):
                    return True
            return False
        rec(self.out.body, False)

    def _leaves(self) -> list[Node]:
        out: list[Node] = []

        def rec(items):
            for item in items:
                if isinstance(item, Node):
                    children = [e[1] for e in item.events if e[0] == "child"]
                    if children:
                        rec(children)
                    else:
                        out.append(item)
        rec(self.out.body)
        return out

    def _section_value(self, task: Node, attr: str):
        def rec(items, chain):
            for item in items:
                if isinstance(item, Node):
                    if item is task:
                        return chain
                    found = rec([e[1] for e in item.events if e[0] == "child"], chain + [item])
                    if found is not None:
                        return found
            return None
        chain = rec(self.out.body, []) or []
        for section in reversed(chain):
            if getattr(section, attr):
                return getattr(section, attr)
        return None


def _how_written(node: Node, attr: str) -> str:
    """How a leaf's own value (just taken from its events) is written: the value written in the
    item's own sentence wins over a line after it (`Recovery._own_and_shared`)."""
    inline = [value for kind, value in node.events if kind == f"inline {attr}"]
    if not inline:
        return LINE
    return inline[0].how if attr == "units" else BRACKET


def _match_row(name: str, number: str, leaves: list[Node]) -> Node | None:
    """The body item a 任务分工表 row stands for: same lead, same 序号 and a like name, a lead the
    row's text starts with (or the other way round), or the most similar lead."""
    tasks_first = sorted(leaves, key=lambda n: n.kind != "task")
    key = _squash(name)
    for node in tasks_first:
        if _squash(_lead(node.head)) == key:
            return node
    if number.isdigit():
        same = [n for n in tasks_first if n.number == int(number) and n.kind == "task"]
        if len(same) == 1 and _like(key, _squash(_lead(same[0].head))):
            return same[0]
    for node in tasks_first:
        lead = _squash(_lead(node.head))
        if len(lead) >= 4 and len(key) >= 4 and (key.startswith(lead) or lead.startswith(key)):
            return node
    leads = {_squash(_lead(n.head)): n for n in reversed(tasks_first)}
    close = difflib.get_close_matches(key, list(leads), n=1, cutoff=0.6)
    return leads[close[0]] if close else None


def _squash(text: str) -> str:
    return re.sub(r"[\s。，、；：“”]", "", text)


def _like(a: str, b: str) -> bool:
    """Two names for one task: they share at least half of the shorter one's characters in order."""
    if not a or not b:
        return False
    matcher = difflib.SequenceMatcher(None, a, b)
    return sum(block.size for block in matcher.get_matching_blocks()) >= min(len(a), len(b)) / 2


_TASK_HEADINGS = ("任务", "重点", "工作措施", "主要措施", "具体措施", "行动")
_OTHER_HEADINGS = ("总体要求", "指导思想", "目标", "基本原则", "保障", "工作要求", "组织领导", "实施步骤",
                   "工作步骤", "时间安排", "方法步骤", "总体思路")


def _split_title(head: str) -> str:
    return head.split("。", 1)[0]


#: Headings whose items state aims, not work to be done by a date.
_AIM_HEADINGS = ("总体要求", "指导思想", "目标", "基本原则", "总体思路")


def _dated_context(titles: tuple[str, ...], kind: str) -> bool:
    """Where an item with a date in its text is a task: not under an aim heading; in a 通知
    anywhere else (its 工作安排, 时间安排 and 报送要求 are the work), else not under headings
    that say how the work is organised (保障措施, 实施步骤…)."""
    if any(any(word in t for word in _AIM_HEADINGS) for t in titles):
        return False
    return kind == "通知" or not any(any(word in t for word in _OTHER_HEADINGS) for t in titles)


def _sentence(head: str) -> bool:
    """A numbered item written as a sentence (lead and body, or one long sentence), not a heading."""
    return "。" in head.rstrip("。") or (head.endswith("。") and len(head) > 20)


def _task_context(titles: tuple[str, ...]) -> bool:
    """Headings above a leaf announce tasks (主要任务, 工作重点, 专项行动) and none says otherwise."""
    if any(any(word in t for word in _OTHER_HEADINGS) for t in titles):
        return False
    return any(any(word in t for word in _TASK_HEADINGS) for t in titles)


#: Words that stand alone as a 一、 heading; text copied from a web page may run them into the
#: paragraph that follows ("一、工作目标通过专项整治，…").
_HEADING_WORDS = ("总体要求", "指导思想", "总体目标", "工作目标", "主要目标", "目标任务", "基本原则", "总体思路",
                  "主要任务", "重点任务", "工作任务", "工作重点", "工作措施", "主要措施", "保障措施", "工作要求",
                  "组织领导", "实施步骤", "工作步骤", "方法步骤", "时间安排", "阶段安排", "进度安排", "实施范围",
                  "整治范围", "排查范围", "排查重点", "报送要求", "任务分工")


def _run_in_heading(kind: str, text: str) -> tuple[str, str]:
    """(heading, paragraph) of a 一、 line whose heading word runs into a sentence, else (text, "")."""
    if kind != "一、":
        return text, ""
    for word in _HEADING_WORDS:
        rest = text[len(word):]
        if text.startswith(word) and len(rest) > 20 and rest[0] not in "。，；：、（(" and re.search(r"[，。；]", rest):
            return word, rest
    return text, ""


def _doc_number_line(text: str) -> bool:
    """A line that is only a 发文字号 (石安委办〔2026〕9号), maybe in brackets."""
    m = _DOC_NUMBER.match(text.strip("（）()"))
    return bool(m) and len(text.strip("（）()")) <= len(m.group(0)) + 1


def _normal_doc_number(number: str) -> str:
    return re.sub(r"[\[［(（](\d{4})[\]］)）]", r"〔\1〕", number)


def _title_open(title: str) -> bool:
    """A title still going on: 《》 unbalanced, or not yet ending with its 文种."""
    return title.count("《") > title.count("》") or not _TITLE_END.search(title)


def _lead(head: str) -> str:
    return head.split("。", 1)[0].rstrip("。")


def _label(kind: str, n: int) -> str:
    if kind == "一、":
        return f"{chinese(n)}、"
    if kind == "（一）":
        return f"（{chinese(n)}）"
    if kind == "1.":
        return f"{n}."
    if kind == "（1）":
        return f"（{n}）"
    return str(n)


def _short(text: str, n: int = 30) -> str:
    return text if len(text) <= n else text[:n] + "…"


def recover(document: Document, kind: str | None = None) -> Outline:
    return Recovery(document, kind).run()
