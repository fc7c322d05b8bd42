"""Wording rules (DG4xx): 发文字号, dates, titles, punctuation, numbering and level words.

Text rules scan every string of a plan or a 通报 (`strings`, walked once and shared) except the keys
listed in `_NOT_PROSE` (and in a 通报 `_DATA_KEYS`), and point at the offending character. In a 通报
the ``{placeholders}`` that name figures are masked: their dots and colons are not the sentence's.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator

from docgen import levelwords
from docgen.bulletin.model import Bulletin, ChartRef, TableRef
from docgen.bulletin.text import PLACEHOLDER
from docgen.context import CheckContext
from docgen.model import UNFOUND_TITLES, Paragraph, Plan, Text
from docgen.problems import Location, Problem, Severity
from docgen.rules.base import Rule
from docgen.textchars import CONTROL, first_control

#: Keys whose values are identifiers, paths or have a rule of their own, not prose.
_NOT_PROSE = {"编号", "上级任务", "上级方案", "上级版本", "模板", "发文字号", "成文日期", "印发日期", "有效期至", "起", "止",
              "时限", "序号样式", "下一层序号"}

#: Keys of a 通报 whose values name its data (the data file, tables, columns, chart types) or, under
#: `条件`, values to match in it: not prose.
_DATA_KEYS = {"数据", "表格", "图表", "名单", "数据表", "列", "同比", "排序", "类型", "编号", "分隔", "分组", "等次", "如有",
              "占比", "表头", "合称"}
_CONDITION = "条件"

_CJK = "\u3400-\u9fff\u3000-\u303f\uff00-\uffef"
#: What a 通报's placeholder is scanned as: a CJK sign that no rule looks for (it prints as words
#: and figures, ``4起``, ``同比上升33.3%``).
_MASK = "\u3013"

#: A prose string: the text to scan, where it starts, and the text as written (to locate a character).
Prose = tuple[str, Location, str]


def _mask(value: str) -> str:
    return PLACEHOLDER.sub(lambda m: _MASK * len(m.group(0)), value)


def _prose(doc: Plan | Bulletin, skip: frozenset[str] = frozenset()) -> list[Prose]:
    """The prose strings of a plan or 通报 (all but `_NOT_PROSE`, in a 通报 but `_DATA_KEYS` and
    `条件` too, and but those under or at a key in `skip`), filtered once per file and shared by
    every text rule."""
    cached = doc.memo.get(("prose", skip))
    if cached is not None:
        return cached
    base = doc.memo.get("prose")
    if base is None:  # (first key, key holding the string, the prose string)
        base = []
        bulletin = isinstance(doc, Bulletin)
        not_prose = _NOT_PROSE | _DATA_KEYS if bulletin else _NOT_PROSE
        for path, value, loc in doc.strings():
            last = path[-1]
            if type(last) is not str:  # an item of a list: the key that holds the list
                i = len(path) - 2
                while type(path[i]) is not str:
                    i -= 1
                last = path[i]
            if last in not_prose or (bulletin and _CONDITION in path):
                continue
            base.append((path[0], last, (_mask(value) if bulletin and "{" in value else value, loc, value)))
        doc.memo["prose"] = base
    cached = [entry for first, last, entry in base if not skip or (first not in skip and last not in skip)]
    doc.memo[("prose", skip)] = cached
    return cached


def _could_match(doc: Plan | Bulletin, pattern: re.Pattern[str], skip: frozenset[str] = frozenset(), *,
                 every_string: bool = False) -> bool:
    """Whether `pattern` can match any of the file's prose strings: one search over their text
    joined, made once per file. A text rule skips its per-string scan when this says no, which it
    does for almost every clean file. Only a filter: the per-string scan decides.

    Prose strings (as scanned, placeholders masked) are joined by NUL + line break, which no rule's
    pattern reads across (each string still starts a line, for patterns anchored with ``(?m:^)``).
    With `every_string` (DG408, whose pattern is the control characters themselves), every string
    is joined by a space, without the line break a literal block ends with.
    """
    key = ("joined", every_string, skip)
    joined = doc.memo.get(key)
    if joined is None:
        if every_string:
            joined = " ".join(entry[1].rstrip("\n") for entry in doc.strings())
        else:
            joined = "\0\n".join(entry[0] for entry in _prose(doc, skip))
        doc.memo[key] = joined
    return pattern.search(joined) is not None


class DocNumberFormat(Rule):
    """发文字号格式不对。

    GB/T 9704-2012 规定发文字号由机关代字、年份和序号组成：`清安委〔2024〕3号`。年份用六角括号
    〔〕（不是 [ ]、( )、（ ）、【 】），年份写全四位，序号前不加“第”、不补零。机关代字应与
    单位库中发文机关登记的代字一致。

    错误示例：`清安委[2024]3号`、`清安委〔24〕3号`、`清安委〔2024〕第3号`、`清安委〔2024〕03号`。
    修改：写成 `清安委〔2024〕3号`。
    """

    code = "DG401"
    name = "doc-number-format"
    summary = "发文字号格式不对"

    _OK = re.compile(r"^(?P<prefix>[^\s〔〕\[\]()（）【】［］]+)〔(?P<year>\d{4})〕(?P<seq>[1-9]\d*)号$")

    @classmethod
    def diagnose(cls, value: str) -> str | None:
        """What is wrong with a 发文字号, in Chinese, or None if it is well formed."""
        if cls._OK.match(value):
            return None
        fixes = []
        if re.search(r"[\[\]()（）【】［］]", value):
            fixes.append("年份要用六角括号〔〕")
        if "第" in value:
            fixes.append("序号前不加“第”")
        if re.search(r"[〕\]）)】］]第?0\d", value):
            fixes.append("序号不补零")
        if re.search(r"[〔\[(（【］]\d{2}[〕\])）】］]", value):
            fixes.append("年份要写全四位")
        if not value.endswith("号"):
            fixes.append("末尾要有“号”")
        if re.search(r"\s", value):
            fixes.append("不要有空格")
        fixed = re.sub(r"[\[(（【［](\d{4})[\])）】］]", r"〔\1〕", value).replace("第", "")
        fixed = re.sub(r"〕0+(\d)", r"〕\1", fixed)
        example = f"，例如“{fixed}”" if cls._OK.match(fixed) else "，例如“清安委〔2024〕3号”"
        return "；".join(fixes or ["应写作“机关代字〔年份〕序号号”"]) + example + "。"

    @classmethod
    def repaired(cls, value: str) -> str | None:
        """The 发文字号 with its year in 〔〕, without 第 and leading zeros, when that makes it right."""
        fixed = re.sub(r"[\[(（【［]\s*(\d{4})\s*[\])）】］]", r"〔\1〕", value.strip()).replace("第", "")
        fixed = re.sub(r"〕0+(\d)", r"〕\1", fixed)
        return fixed if fixed != value and cls._OK.match(fixed) else None

    def check(self, ctx: CheckContext) -> Iterator[Problem]:
        for plan in ctx.plans:
            numbers: list[Text] = [plan.doc_number] if plan.doc_number else []
            numbers += [b.doc_number for b in plan.basis if b.doc_number]
            for number in numbers:
                advice = self.diagnose(number.value)
                if advice:
                    found = self.problem(f"发文字号“{number.value}”格式不对：{advice}", number.loc)
                    fixed = self.repaired(number.value)
                    if fixed:
                        found = found.with_fix(plan.edit(number.loc, number.value, 0, number.value, fixed,
                                                         f"改为“{fixed}”"))
                    yield found
            if plan.doc_number and not self.diagnose(plan.doc_number.value):
                yield from self._against_registry(ctx, plan)

    def _against_registry(self, ctx: CheckContext, plan: Plan) -> Iterator[Problem]:
        m = self._OK.match(plan.doc_number.value)
        issuer = ctx.registry.issuer(plan.issuer.value)
        if issuer and m.group("prefix") != issuer.prefix:
            yield self.problem(
                f"发文字号的机关代字“{m.group('prefix')}”与发文机关“{issuer.name}”在单位库中登记的代字"
                f"“{issuer.prefix}”不一致。",
                plan.doc_number.loc,
            )
        if plan.date and plan.date.date and int(m.group("year")) != plan.date.date.year:
            yield self.problem(
                f"发文字号的年份 {m.group('year')} 与成文日期 {plan.date.text} 的年份不一致。",
                plan.doc_number.loc,
            )


class DateFormat(Rule):
    """日期写法不对。

    公文中的日期用阿拉伯数字写全年份，月、日不补零：`2024年3月8日`（GB/T 9704-2012 7.3.5）。
    文件日期（成文日期、印发日期等）和正文中的日期都要这样写。

    错误示例：`2024年03月08日`、`二〇二四年三月八日`。
    修改：写成 `2024年3月8日`。
    """

    code = "DG402"
    name = "date-format"
    summary = "日期写法不对"

    _PADDED = re.compile(r"\d{4}年0\d月|\d{1,2}月0\d日|(?<![\d年])0\d月\d{1,2}日")
    _CN_YEAR = re.compile(r"[〇零一二三四五六七八九]{4}年")

    def check(self, ctx: CheckContext) -> Iterator[Problem]:
        for doc in ctx.documents():
            for field in doc.dates():
                if field.error:
                    yield self.problem(field.error, field.loc)
            for value, loc, raw in _prose(doc):
                if "年" not in value and "0" not in value:  # both patterns need one of them
                    continue
                for m in self._PADDED.finditer(value):
                    yield self.problem(
                        f"日期“{m.group(0)}”的月、日不应补零。", doc.text_at(loc, raw, m.start()))
                for m in self._CN_YEAR.finditer(value):
                    yield self.problem(
                        f"日期“{m.group(0)}”应使用阿拉伯数字，例如“2024年”。", doc.text_at(loc, raw, m.start()))


class TitlePunctuation(Rule):
    """标题或引导句末尾有标点。

    公文标题末尾不加标点（GB/T 9704-2012 7.3.1）。章节标题和任务引导句后的句号由 docgen 排版
    时自动加上，手写会变成两个句号。

    错误示例：`标题: 清溪市安全生产工作要点。`、`任务: 强化隐患排查治理。`
    修改：删除末尾的标点。
    """

    code = "DG403"
    name = "title-punctuation"
    summary = "标题末尾有标点"

    _END = re.compile(r"[。，、；：！？,.;:!?]$")

    def check(self, ctx: CheckContext) -> Iterator[Problem]:
        for plan in ctx.plans:
            titles: list[tuple[str, Text]] = [("标题", plan.title)]
            if plan.notice and plan.notice.title:
                titles.append(("通知标题", plan.notice.title))
            titles += [("附件标题", a.title) for a in plan.attachments]
            titles += [("章节标题", s.title) for s in plan.sections()]
            titles += [("任务引导句", t.lead) for t in plan.tasks()]
            titles += [("要旨", p.lead) for p in plan.walk() if getattr(p, "lead", None) and hasattr(p, "stages")]
            yield from self._titles(plan, titles)
        for b in ctx.bulletins:
            titles = [("标题", b.title)]
            titles += [("附件标题", a.title) for a in b.attachments if a.title]
            titles += [("章节标题", s.title) for s in b.sections()]
            titles += [("要旨", p.lead) for p in b.walk() if isinstance(p, Paragraph) and p.lead]
            titles += [("表题" if isinstance(r, TableRef) else "图题", r.title) for r in b.walk()
                       if isinstance(r, (TableRef, ChartRef)) and r.title]
            yield from self._titles(b, titles)

    def _titles(self, doc: Plan | Bulletin, titles: list[tuple[str, Text]]) -> Iterator[Problem]:
        for what, text in titles:
            value = text.value.rstrip()
            if self._END.search(value):
                yield self.problem(
                    f"{what}“{value}”末尾不应有标点“{value[-1]}”。请删除（句号由 docgen 自动添加）。",
                    doc.text_at(text.loc, text.value, len(value) - 1),
                )


class HalfWidthPunctuation(Rule):
    """中文文字中使用了半角标点。

    中文文字中的标点用全角（GB/T 15834）：，。；：？！（）。半角的 `, ; : ? ! ( )` 夹在汉字
    之间会让排版参差，也常是从网页或英文输入法带来的。数字中的小数点、百分号不受影响；通报中引用数据的
    “{死亡人数.同比}”“{隐患.分布:行业领域}”里的“.”“:”也不算。

    错误示例：`开展检查,整改隐患;`、`各村(社区)`。
    修改：换成全角标点：`开展检查，整改隐患；`、`各村（社区）`。
    """

    code = "DG404"
    name = "half-width-punctuation"
    summary = "中文中使用半角标点"

    _MAP = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）", ".": "。"}
    _PATTERN = re.compile(
        rf"(?<=[{_CJK}])\s*([,;:?!()]|\.(?!\d))|([,;:?!()])\s*(?=[{_CJK}])"
    )

    #: The punctuation `_PATTERN` looks for: a file without any has nothing to report (a quick test).
    _CANDIDATE = re.compile(r"[,;:?!().]")

    def check(self, ctx: CheckContext) -> Iterator[Problem]:
        for doc in ctx.documents():
            if not _could_match(doc, self._CANDIDATE):
                continue
            for value, loc, raw in _prose(doc):
                for m in self._PATTERN.finditer(value):
                    char = m.group(1) or m.group(2)
                    pos = m.start(1) if m.group(1) else m.start(2)
                    found = self.problem(
                        f"中文文字中有半角标点“{char}”，请改为全角“{self._MAP[char]}”。",
                        doc.text_at(loc, raw, pos),
                    )
                    # the mark and the spaces around it become one full-width mark
                    old = raw[m.start():m.end()]
                    if old.strip() == char and value[m.start():m.end()] == old:
                        found = found.with_fix(doc.edit(loc, raw, m.start(), old, self._MAP[char],
                                                        f"改为全角“{self._MAP[char]}”"))
                    yield found


class HandNumbering(Rule):
    """手写了序号。

    章节和任务的序号（一、（一）1.（1））由 docgen 按层级自动编排，增删任务后不会错号。
    手写的序号会和自动序号重复，增删时还会跳号。分条列举请用“分项”，排为“一是……二是……”。

    错误示例：`标题: 一、总体要求`、`内容: 1、加强培训；2、开展演练。`
    修改：删除序号；分条内容写进“分项”列表。
    """

    code = "DG405"
    name = "hand-numbering"
    summary = "手写了序号"

    _START = re.compile(
        r"^\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]|\d{1,2}[、．]|\d{1,2}\.(?!\d)|[（(]\d{1,2}[）)]|[①-⑳])"
    )
    _INSIDE = re.compile(r"[。；;：:]\s*(\d{1,2}[、．]|\d{1,2}\.(?!\d)|[（(]\d{1,2}[）)]|[一二三四五六七八九十]+、)")

    #: `_START` at the start of any line of a text of several lines.
    _START_ANY_LINE = re.compile(_START.pattern, re.MULTILINE)
    _SKIP = frozenset({"附件"})

    def check(self, ctx: CheckContext) -> Iterator[Problem]:
        for doc in ctx.documents():
            if not (_could_match(doc, self._START_ANY_LINE, self._SKIP) or _could_match(doc, self._INSIDE, self._SKIP)):
                continue
            for value, loc, raw in _prose(doc, skip=self._SKIP):
                m = self._START.match(value)
                if m:
                    yield self.problem(
                        f"文字开头手写了序号“{m.group(0).strip()}”。序号由 docgen 自动编排，请删除；"
                        "分条内容请写进“分项”。",
                        doc.text_at(loc, raw, m.start()),
                    )
                for m in self._INSIDE.finditer(value):
                    yield self.problem(
                        f"文字中手写了序号“{m.group(1)}”。分条内容请写进“分项”（排为“一是……二是……”）。",
                        doc.text_at(loc, raw, m.start(1)),
                    )


class OtherLevelWords(Rule):
    """用了其他层级的用语。

    下级方案常由上级方案改写而来，容易遗留上级的用语：街道方案里出现“全市”“市安委会”
    “各乡镇（街道）”。docgen 根据单位库中各组织的“用语”检查：其他层级指全域的用语
    （全市、全街道……）和上级的用语都不应出现。书名号《》内的文件标题、抄送机关不检查。
    “安全区域”“健全市场”这类词中的“全区”“全市”不算。

    修改：换成本级用语，例如“全市”改为“全街道”。
    """

    code = "DG406"
    name = "other-level-words"
    summary = "用了其他层级的用语"

    _SKIP = frozenset({"抄送", "依据"})

    def check(self, ctx: CheckContext) -> Iterator[Problem]:
        for doc, org in ctx.plans_with_org(bulletins=True):
            owner = dict(ctx.registry.foreign_words(org))
            words = levelwords.pattern(owner)
            if words is None or not _could_match(doc, words, self._SKIP):
                continue
            for value, loc, raw in _prose(doc, skip=self._SKIP):
                for start, word in levelwords.scan(value, words):
                    other = owner[word]
                    replacement = _own_word(word, other, org.words)
                    hint = f"请改为“{replacement}”" if replacement else "请换成本级用语"
                    yield self.problem(
                        f"“{org.name}”的文件中出现了“{other.name}”一级的用语“{word}”。{hint}。",
                        doc.text_at(loc, raw, start),
                    )


def _own_word(word: str, other, own) -> str | None:
    for attr in ("whole", "subunits", "committee", "office"):
        if getattr(other.words, attr) == word:
            return getattr(own, attr)
    return None


class NoticeTitleMismatch(Rule):
    """印发通知中的方案标题与方案标题不一致。

    印发通知的标题“关于印发《…》的通知”和正文中《》里的方案名称，必须与方案的“标题”一字
    不差。改了方案标题却忘了改通知，是常见错误。

    收到的方案（“来源: 上级来文”）照原文保留这样的不一致，只给出警告。

    修改：让通知中的《》内文字与方案“标题”一致；通知“标题”可以不写，由 docgen 自动生成。
    """

    code = "DG407"
    name = "notice-title-mismatch"
    summary = "印发通知中的标题与方案不一致"

    def check(self, ctx: CheckContext) -> Iterator[Problem]:
        for plan in ctx.plans:
            for found in self._check(plan):
                # another organ's document is kept as it was written
                yield found.with_severity(Severity.WARNING) if plan.received else found

    def _check(self, plan: Plan) -> Iterator[Problem]:
        notice = plan.notice
        if notice is None:
            return
        want = plan.title.value.replace("《", "〈").replace("》", "〉")  # nested: GB/T 15834
        if notice.title:
            quoted = re.findall(r"《([^《》]*)》", notice.title.value)
            if not quoted or quoted[0] != want:
                yield self.problem(
                    f"印发通知的标题“{notice.title.value}”与方案标题不一致，应为“关于印发《{want}》的通知”。",
                    notice.title.loc,
                )
        quoted = list(re.finditer(r"《([^《》]*)》", notice.body.value))
        if any(m.group(1) == want for m in quoted):
            return
        if not quoted:
            yield self.problem(
                f"印发通知正文没有用《》写出方案名称。请写明“现将《{want}》印发给你们”之类。", notice.body.loc)
            return
        # the quote meant to be the plan's title is the one most like it (others cite laws, bases)
        best = max(quoted, key=lambda m: difflib.SequenceMatcher(None, m.group(1), want).ratio())
        yield self.problem(
            f"印发通知正文中的《{best.group(1)}》与方案标题《{want}》不一致。请改为方案的标题。",
            plan.text_at(notice.body.loc, notice.body.value, best.start()),
        )


class ControlCharacter(Rule):
    """文字中有控制字符。

    制表符（Tab）、文字中间的换行、看不见的控制字符和格式字符（零宽空格 U+200B、软连字符 U+00AD、
    字节顺序标记 U+FEFF 等）不能印在公文上，常是从 Word、网页或表格复制过来的。双向文字控制符
    （U+202A～U+202E、U+2066～U+2069、U+200E、U+200F、U+061C）会改变文字的显示顺序，使屏幕上
    看到的与文件实际内容不同，可被用来伪造文字，一律不允许。方案、通报和单位库中的文字都检查。
    一段文字要写在一行内（可用 YAML 的 `>` 折行），分段请写成多个“段落”。
    YAML 字面块（`|`）末尾的换行不算。

    修改：删除这个字符；需要分段时拆成多个“段落”。
    """

    code = "DG408"
    name = "control-character"
    summary = "文字中有控制字符"

    def check(self, ctx: CheckContext) -> Iterator[Problem]:
        for doc in ctx.documents():
            if not _could_match(doc, CONTROL, every_string=True):
                continue
            for _, value, loc in doc.strings():
                found = first_control(value)
                if found:
                    offset, _, message = found
                    yield self.problem(message, doc.text_at(loc, value, offset))
        for issue in ctx.registry.text_issues if ctx.report_registry else ():
            yield self.problem(issue.message, issue.loc)


class UnissuedDraft(Rule):
    """方案没有发文字号或成文日期（未印发的草稿）。

    印发的公文都有发文字号和成文日期（GB/T 9704-2012 7.2.4、7.3.5）。`docgen cascade` 生成的下级方案
    草稿没有这两项，要由下级机关编号、定稿后补上；在此之前排出的文件只是草稿，不能当正式文件印发。

    修改：印发前在“发文机关”后补上“发文字号: 东湖街安委〔2024〕5号”和“成文日期: 2024年4月22日”。
    """

    code = "DG409"
    name = "unissued-draft"
    summary = "没有发文字号或成文日期（草稿）"
    severity = Severity.WARNING

    def check(self, ctx: CheckContext) -> Iterator[Problem]:
        for plan in ctx.plans:
            if plan.received:  # another organ's document: not ours to number (DG7xx say what was not found)
                continue
            missing = [k for k, v in (("发文字号", plan.doc_number), ("成文日期", plan.date)) if v is None]
            if not missing:
                continue
            keys = "和".join(f"“{k}”" for k in missing)
            yield self.problem(
                f"方案没有{keys}，还是草稿，不能作为正式文件印发。定稿编号后请在“发文机关”后补上"
                + "、".join(f"“{k}: …”" for k in missing) + "。",
                plan.issuer.loc,
            )


class FormulaLikeText(Rule):
    """文字以公式符号开头。

    任务、单位等文字会写进各单位的台账（.xlsx）。以 `=`、`+`、`-`、`@` 开头的文字在 Excel、WPS 中
    看起来像公式，复制、另存或导入别的表格时可能被当作公式执行（例如 `=HYPERLINK(…)`、
    `=cmd|' /C calc'!A0` 这样的 DDE 命令）。docgen 写台账时总是把文字写成文本，不会写成公式；
    这条规则提醒改写文字本身，免得它在别处被误用。

    错误示例：`- 段落: =HYPERLINK("http://…")`、`任务: +加强巡查`。
    修改：去掉开头的符号，或在前面加上文字（如“一是”）。
    """

    code = "DG410"
    name = "formula-like-text"
    summary = "文字以公式符号开头"
    severity = Severity.WARNING

    #: What a spreadsheet may read as the start of a formula (after leading spaces).
    STARTS = ("=", "+", "-", "@", "＝", "＋", "－", "＠")
    #: A signed figure ("-20.0%", "+3") is a number to a spreadsheet too, never a formula: a 通报's
    #: table prints its 同比 column so.
    SIGNED = re.compile(r"[+\-＋－]\d+(?:\.\d+)?[%％‰]?")

    def check(self, ctx: CheckContext) -> Iterator[Problem]:
        for doc in ctx.documents():
            for value, loc, raw in _prose(doc):
                stripped = value.lstrip(" \t\u3000")
                if stripped.startswith(self.STARTS) and len(stripped) > 1 and not self.SIGNED.fullmatch(stripped):
                    offset = len(value) - len(stripped)
                    yield self.problem(
                        f"文字以“{stripped[0]}”开头，在台账（Excel、WPS）中可能被当作公式。请去掉开头的“{stripped[0]}”或改写。",
                        doc.text_at(loc, raw, offset))


class TitleNotFound(Rule):
    """导入时没有找到的标题还没有写上。

    `docgen import` 在原文中找不到文件标题（或章节、附件的标题）时，先在方案中写上占位文字
    “（标题未识别）”“（附件标题未识别）”，并报告原文的位置。占位文字不是标题：照原文写上真正的
    标题之前，方案不能排版。

    错误示例：`标题: （标题未识别）`
    修改：照原文写上标题，例如 `标题: 关于做好2026年汛期安全防范工作的通知`。
    """

    code = "DG411"
    name = "title-not-found"
    summary = "标题还是导入时的占位文字"

    def check(self, ctx: CheckContext) -> Iterator[Problem]:
        for plan in ctx.plans:
            titles: list[tuple[str, Text]] = [("标题", plan.title)]
            titles += [("附件标题", a.title) for a in plan.attachments]
            titles += [("章节标题", s.title) for s in plan.sections()]
            for what, text in titles:
                if text is not None and text.value.strip() in UNFOUND_TITLES:
                    yield self.problem(
                        f"{what}还没有写：导入时没有在原文中找到，这里是占位文字“{text.value.strip()}”。"
                        "请照原文写上标题。", text.loc)


RULES: tuple[type[Rule], ...] = (
    DocNumberFormat,
    DateFormat,
    TitlePunctuation,
    HalfWidthPunctuation,
    HandNumbering,
    OtherLevelWords,
    NoticeTitleMismatch,
    ControlCharacter,
    UnissuedDraft,
    FormulaLikeText,
    TitleNotFound,
)
