"""Outline -> plan data (a round-trip YAML tree with comments naming each task's source).

The plan has the same shape as a hand-written one and is marked `来源: 上级来文`. Task bodies are
split as docgen composes them: lead sentence (任务), 一是…二是… items (分项), targets in the last
sentence (指标), "（见附件N）" references (附件); paragraphs get their 阶段 and 指标 the same way.

The plan says how the source printed things, so that `docgen render` prints it again: `分工写法`
(and a task's own where it differs), `正文写明` for what only a task's sentence says (a deadline
found in the text is kept for notices and ledgers but not printed as a line of its own),
`牵头配合写法`, `时限标签`, `分行句号`, `标题句号`, `序号样式` and a section's `下一层序号`, `版头: false` for a copy without
the 发文机关标志, and the 任务分工表's `列`.
"""

from __future__ import annotations

import re

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from docgen import deadlines
from docgen.ingest.blocks import Line, Table
from docgen.ingest.body import _REPORT_KINDS, BodyPass
from docgen.ingest.outline import (
    BRACKET,
    IN_TEXT,
    LINE,
    TABLE,
    Attachment,
    BodyTable,
    Caption,
    Node,
    Outline,
    Stage,
    Units,
    _last_sentence,
    parse_targets,
    split_units,
)
from docgen.ingest.units import Matcher
from docgen.ingest.vocabulary import _CN
from docgen.model import (
    CONTINUOUS,
    DIVISION_BRACKETS,
    DIVISION_LINES,
    DIVISION_TABLE,
    RECEIVED,
    RESTART,
    STATED_DEADLINE,
    STATED_TARGETS,
    STATED_UNITS,
    TASK_TABLE_COLUMNS,
    TASK_TABLE_KIND,
    UNFOUND_ATTACHMENT_TITLE,
    UNFOUND_TITLE,
    task_table_role,
)
from docgen.numbering import MARKERS
from docgen.wording import DEADLINE_LABELS, UNITS_BRACKETED, UNITS_LABELLED

_REF = re.compile(r"（见(附件\d*)）(?=。$)")
#: One year's rate: "2012年底前，所有企业检测率达到40%" or "2013年底前80%".
_RATE = re.compile(r"(?P<year>\d{4})年(?:年底|底|末)?(?:前|之前)?[，,]?(?P<name>[^，。；\d%]{0,20}?)"
                   r"(?:达到|提高到|提升到|不低于)?(?P<value>\d+(?:\.\d+)?)[%％]")
#: One batch of sub-units by a date: "2025年底前，东湖街道、西岭街道完成网格化全覆盖".
_BATCH = re.compile(r"(?:^|[。；])(?P<phrase>\d{4}年[^，。；]{0,10}?(?:前|之前))，(?P<units>[^，。；]{2,60}?)"
                    r"(?:要|应|须)?(?P<verb>全面完成|基本完成|完成|实现|达到)(?P<what>[^，。；]{2,30})")
_UNIT_NAME = r"(?:[^，。；、（）\s]|（[^（）]{1,8}）)"
_ORGAN = r"(?:局|委|办|政府|中心|委员会|管委会|分局|支队|大队)"
#: Units written as the subject of a task's sentence, most explicit first.
_SUBJECTS = (
    re.compile(rf"(?:^|[。；])由?(?P<lead>{_UNIT_NAME}{{2,30}}?(?:、{_UNIT_NAME}{{2,30}}?)*)牵头[，,]"
               rf"(?P<support>{_UNIT_NAME}{{2,30}}?(?:、{_UNIT_NAME}{{2,30}}?)*?)(?:等)?(?:部门|单位)?(?:配合|参与|协同)"),
    re.compile(rf"(?:^|[。；，])由(?P<lead>{_UNIT_NAME}{{2,30}}?(?:、{_UNIT_NAME}{{2,30}}?)*)(?:牵头)?负责"),
    re.compile(rf"(?:^|[。；，])(?P<lead>{_UNIT_NAME}{{1,20}}?{_ORGAN}(?:、{_UNIT_NAME}{{1,20}}?{_ORGAN})*)牵头"
               rf"(?:负责|落实|实施)?(?:[。；，]|$)"),
    # (a group the registry knows may be the subject too: "负有安全生产监督管理职责的部门要…")
    re.compile(rf"(?:^|[。；])(?P<lead>(?:各{_UNIT_NAME}{{1,20}}?|{_UNIT_NAME}{{1,20}}?(?:{_ORGAN}|部门|单位))"
               rf"(?:、(?:各{_UNIT_NAME}{{1,20}}?|{_UNIT_NAME}{{1,20}}?(?:{_ORGAN}|部门|单位)))*)(?:要|应当|应|须|必须|负责)"),
)
_STAGES_TAIL = re.compile(r"((?:\d{4}年)[^，。；]{0,8}?(?:前|上半年|下半年|季度)，[^。]*?)。$")


def _readable_phrase(phrase: str, year: int | None) -> bool:
    try:
        deadlines.parse(phrase, default_year=year)
        return True
    except deadlines.DeadlineError:
        return False


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


class Emitter:
    def __init__(self, outline: Outline, matcher: Matcher, issuer: str):
        self.o = outline
        self.matcher = matcher
        self.issuer = issuer
        self.counter = 0
        self.labels = {}
        titles = [a.title for a in outline.attachments]
        for i, title in enumerate(titles, start=1):
            self.labels["附件" if len(titles) == 1 else f"附件{i}"] = title
        #: (task id, lead, where, missing) for the drafter's table of gaps
        self.gaps: list[tuple[str, str, str, list[str]]] = []
        self.numbering, self.fixed = numbering(outline)
        self.division, self.divisions = division(outline)
        self.markers = markers(outline)
        #: (where, message) for tasks whose text names a unit the registry does not know
        self.unassigned: list[tuple[str, str]] = []

    # -- top level --------------------------------------------------------------------------------
    def plan(self) -> CommentedMap:
        o = self.o
        d = CommentedMap()
        d["文种"] = o.kind
        d["标题"] = o.title or UNFOUND_TITLE
        d["发文机关"] = self.issuer
        if o.doc_number:
            d["发文字号"] = o.doc_number
        if o.joint:
            d["联合发文机关"] = CommentedSeq(o.joint)
        if o.signers:
            d["签发人"] = o.signers[0] if len(o.signers) == 1 else CommentedSeq(o.signers)
        if o.copy:
            d["份号"] = o.copy
        if o.secrecy:
            d["密级"] = o.secrecy
            if o.secrecy_term:
                d["保密期限"] = o.secrecy_term
        if o.urgency:
            d["紧急程度"] = o.urgency
        if not o.mark:  # a copy without the 发文机关标志 (a web page): printed without it
            d["版头"] = False
        d["来源"] = RECEIVED
        if o.period:
            d["实施期限"] = CommentedMap([("起", o.period[0]), ("止", o.period[1])])
        if o.valid_until:
            d["有效期至"] = o.valid_until
        recipients = o.recipients
        if recipients:
            d["主送"] = CommentedSeq(recipients)
        if o.date or o.web_date:
            d["成文日期"] = o.date or o.web_date
        if o.signature and o.signature != self.issuer:
            d["署名"] = o.signature
        if o.cc:
            d["抄送"] = CommentedSeq(o.cc)
        if o.printer:
            d["印发机关"] = o.printer
        if o.print_date:
            d["印发日期"] = o.print_date
        if o.note:
            d["附注"] = o.note
        if o.basis:
            d["依据"] = CommentedSeq(
                CommentedMap([("标题", t), ("发文字号", n)]) for t, n in o.basis)
        if o.notice_title or o.notice_body:
            notice = CommentedMap()
            default = f"关于印发《{o.title.replace('《', '〈').replace('》', '〉')}》的通知"
            if o.notice_title and o.notice_title != default:
                notice["标题"] = o.notice_title
            notice["正文"] = o.notice_body or "（正文未识别）"
            d["印发通知"] = notice
        if self.numbering != CONTINUOUS:
            d["编号方式"] = self.numbering
        if self.division != DIVISION_LINES:
            d["分工写法"] = self.division
        form = units_form(o, self.division)
        if form:
            d["牵头配合写法"] = form
        label = max(o.deadline_labels, key=o.deadline_labels.__getitem__, default=DEADLINE_LABELS[0])
        if label in DEADLINE_LABELS[1:]:
            d["时限标签"] = label  # "时间节点：2026年6月底前"
        stops = [0, 0]  # section headings without a 导语, with and without a closing 。
        for node in o.sections():
            title, intro = _split_head(node.head)
            if not intro:
                stops[not node.head.rstrip().endswith("。")] += 1
        if stops[0] > stops[1]:
            d["标题句号"] = True  # "一、工作要求。": the source's headings end with 。
        if o.line_stops[1] > o.line_stops[0]:
            d["分行句号"] = False  # "责任单位：A" without a full stop
        if self.markers:
            d["序号样式"] = CommentedSeq(self.markers)
        d["正文"] = self.blocks(o.body, depth=0) or CommentedSeq([CommentedMap([("段落", "（正文未识别）")])])
        if o.attachments:
            d["附件"] = CommentedSeq(self.attachment(a) for a in o.attachments)
        return d

    # -- body -------------------------------------------------------------------------------------
    def blocks(self, items: list, depth: int) -> CommentedSeq:
        seq = CommentedSeq()
        for item in items:
            if isinstance(item, Line):
                seq.append(self.paragraph(item))
            elif isinstance(item, BodyTable):
                seq.append(self.table(item))
            elif isinstance(item, Caption):
                seq.append(self.figure(item))
            elif item.kind == "task":
                seq.append(self.task(item, depth))
                # a task holds text only: a table or figure under it follows it in its section
                seq.extend(self.table(e[1]) if e[0] == "table" else self.figure(e[1])
                           for e in item.events if e[0] in ("table", "figure"))
            else:
                seq.append(self.section(item, depth))
        return seq

    def section(self, node: Node, depth: int) -> CommentedMap:
        m = CommentedMap()
        title, intro = _split_head(node.head)
        m["标题"] = title or UNFOUND_TITLE
        if id(node) in self.fixed:
            m["序号"] = self.fixed[id(node)]
        marker = _child_marker(node)
        full = list(self.markers) + list(MARKERS[len(self.markers):])
        if marker and depth + 1 < len(full) and marker != full[depth + 1]:
            m["下一层序号"] = marker  # this section's items skip a level (二、 then 1.) unlike the others
        paras = [e[1] for e in node.events if e[0] == "para"]
        children = [e[1] for e in node.events if e[0] in ("para", "table", "figure", "child")]
        if intro and self.o.kind in _REPORT_KINDS:
            # a 通报 runs a section's first paragraph into its heading: it is the section's paragraph
            paras = [Line(intro, node.where)] + paras
            children = [paras[0]] + children
        elif intro:
            m["导语"] = intro
        if node.units and self.units(node.units) is not None:
            m["责任单位"] = self.units(node.units)
        if node.deadline and self.deadline(node.deadline) is not None:
            m["完成时限"] = self.deadline(node.deadline)
        if children and (any(isinstance(c, (Node, BodyTable, Caption)) for c in children) or paras):
            m["内容"] = self.blocks(children, depth + 1)
        m.yaml_add_eol_comment(f"原文{node.where}", "标题")
        return m

    def paragraph(self, line: Line) -> CommentedMap:
        m = CommentedMap()
        text = line.text
        lead = ""
        if line.bold and text.startswith(line.bold) and line.bold.rstrip().endswith("，") and len(line.bold) < len(text):
            lead = line.bold.rstrip()[:-1]
            text = text[len(line.bold):].lstrip()
        if lead:
            m["要旨"] = lead
        text, targets = self._targets(text)
        text, stages = self._stages(text)
        text, attachment = self._reference(text)
        before, colon, rest = text.partition("：")
        items = _items(rest) if self.o.kind in _REPORT_KINDS and colon and not stages else None
        if items is not None:  # a 通报's "前文：一是…；二是…。": its 分项, as the 通报 prints them
            text = before
        m["段落"] = text
        if items is not None:
            m["分项"] = CommentedSeq(item.rstrip("。；;") for item in items)
        if stages:
            m["阶段"] = CommentedSeq(CommentedMap([("时限", s.phrase), ("内容", s.content)]) for s in stages)
        if targets:
            m["指标"] = targets
        if attachment:
            m["附件"] = attachment
        if m.get("段落") == "" and not stages:
            m["段落"] = line.text
        return m

    def task(self, node: Node, depth: int) -> CommentedMap:
        self.counter += 1
        m = CommentedMap()
        head = node.head + "".join(e[1].text for e in node.events if e[0] == "para")
        # an item that is one long sentence is its own lead: cutting it at a comma would print a 。 there
        lead, _, body = head.partition("。")
        m["任务"] = lead.strip() or "（任务引导句未识别）"
        task_id = f"T{self.counter:02d}"
        m["编号"] = task_id
        if id(node) in self.fixed:
            m["序号"] = self.fixed[id(node)]
        body = body.strip()
        body, attachment = self._reference(body)
        body, targets = self._targets(body)
        items = _items(body)
        if items is not None:
            m["分项"] = CommentedSeq(items)
        elif body:
            m["内容"] = body
        missing = []
        stated = []
        if not node.units and not self._inherits(node, "units"):
            node.units = self._subject_units(head, node.where, lead.strip())
            if node.units is not None:
                node.how["units"] = IN_TEXT
        if node.units and self.units(node.units) is not None:
            m["责任单位"] = self.units(node.units)
            if node.how.get("units") == IN_TEXT:  # "…，由宣传办负责。" stays in the text
                stated.append(STATED_UNITS)
        if node.deadline and self.deadline(node.deadline) is not None:
            m["完成时限"] = self.deadline(node.deadline)
        else:
            inline = BodyPass._inline_deadline(node, self.o.year) or self._named_period(head)
            if inline and not self._inherits(node, "deadline"):
                if len(inline) == 1:  # "…，2026年4月30日前完成。": the date is the deadline
                    inline = [Stage(inline[0].phrase, "")]
                m["完成时限"] = self.deadline((inline, node.where))
                m.yaml_add_eol_comment("由正文中的时限整理，请核对", "完成时限")
                # the text says it: notices and ledgers have the deadline, the body does not print it twice
                stated.append(STATED_DEADLINE)
        if id(node) in self.divisions:
            m["分工写法"] = self.divisions[id(node)]
        if stated:
            m["正文写明"] = CommentedSeq(stated)
        if not targets:
            targets = self._rates(head) or self._batches(head) or self._clause_target(head)
            if targets:
                stated.append(STATED_TARGETS)  # the text says it: not printed again
                m["正文写明"] = CommentedSeq(stated)
        if targets:
            m["指标"] = targets
        if attachment:
            m["附件"] = attachment
        if "责任单位" not in m and not self._inherits(node, "units"):
            missing.append("责任单位")
        if "完成时限" not in m and not self._inherits(node, "deadline"):
            missing.append("完成时限")
        if missing:
            self.gaps.append((task_id, lead.strip(), node.where, missing))
        m.yaml_add_eol_comment(f"原文{node.where}", "任务")
        return m

    def _subject_units(self, text: str, where: str, lead: str) -> Units | None:
        """The units a task's sentences name as their subject ("区住建局牵头，区城管局配合", "由区住建局
        负责", "各乡镇（街道）要…") when the registry knows them; an unknown one is a finding."""
        for pattern in _SUBJECTS:
            for m in pattern.finditer(text):
                lead_names = split_units(m.group("lead"))
                support = split_units(m.groupdict().get("support") or "")
                known = [self.matcher.known(n) for n in lead_names]
                if lead_names and all(known):
                    return Units(lead_names, [n for n in support if self.matcher.known(n)], where, IN_TEXT)
                if pattern is not _SUBJECTS[-1]:  # "各…要" of no registered group says nothing
                    self.unassigned.append((where, f"任务“{lead}”写明由“{m.group('lead')}”负责，但单位库中没有这个单位或单位组，"
                                                   "没有作为责任单位；请在单位库中登记它，或在方案中写上责任单位。"))
                    return None
        return None

    def _named_period(self, text: str) -> list[Stage]:
        """A deadline named by a period the registry knows ("主汛期前完成", "汛期期间"), as
        `deadlines.parse` reads it with the issuer's 时段."""
        org = self.matcher.org
        periods = self.matcher.registry.periods_for(org) if org is not None else {}
        if not periods:
            return []
        names = "|".join(re.escape(n) for n in sorted(periods, key=len, reverse=True))
        for m in re.finditer(rf"(?:\d{{4}}年)?(?:{names})(?:结束前|期间|前)", text):
            try:
                deadlines.parse(m.group(0), default_year=self.o.year, periods=periods)
            except deadlines.DeadlineError:
                continue
            return [Stage(m.group(0), "")]
        return []

    def _batches(self, text: str) -> CommentedSeq | None:
        """Quotas by sub-unit and date ("2025年底前，东湖街道、西岭街道完成网格化全覆盖；2026年底前，南河镇
        完成……") when the units are the issuer's registered sub-organisations: one target counting
        them, with a 分期 per date (its 名称 says what each completes)."""
        org = self.matcher.org
        if org is None:
            return None
        subs = {o.name for o in self.matcher.registry.orgs.values() if o.parent == org.name}
        if not subs:
            return None
        phases, what = [], ""
        for m in _BATCH.finditer(text):
            names = split_units(m.group("units"))
            if not names or not all(n in subs for n in names):
                continue
            if _readable_phrase(m.group("phrase"), self.o.year):
                phases.append((m.group("phrase"), names))
                what = what or m.group("verb") + m.group("what").strip()
        if len(phases) < 2 or not what:
            return None
        word = (org.words.subunits or "下级组织").removeprefix("各")
        target = CommentedMap([("名称", f"{what}的{word}"), ("要求", "达到"),
                               ("目标值", sum(len(n) for _, n in phases)), ("单位", "个")])
        target["分期"] = CommentedSeq(CommentedMap([("时限", p), ("单位", CommentedSeq(n))]) for p, n in phases)
        return CommentedSeq([target])

    def _clause_target(self, text: str) -> CommentedSeq | None:
        """A target written as the last clause of a sentence ("…，配足抽排设备，地下车库挡水设施配备率
        达到100%。"), as real documents write it inside their sentences."""
        if not text.endswith("。"):
            return None
        _, last = _last_sentence(text)
        clause = re.split(r"[，；]", last.rstrip("。"))[-1]
        if clause == last.rstrip("。"):
            return None  # a sentence of its own is read by `_targets`
        found = parse_targets(clause + "。")
        if not found or len(found) != 1 or len(found[0].name) > 20 or "每" in found[0].name:
            return None  # (a norm for each one, "做到每月检查不少于1次", is not a target to split)
        _, seq = self._targets(clause + "。")
        return seq

    @staticmethod
    def _rates(text: str) -> CommentedSeq | None:
        """A rate written for several years ("检测率2012年底前达到40%，2013年底前达到80%", "2012年底前，
        所有企业检测率达到40%；2013年底前达到80%") as one target with its 分年度 values."""
        found = list(_RATE.finditer(text))
        series: list[re.Match] = []
        for m in found:
            if series and (int(m.group("year")) <= int(series[-1].group("year"))
                           or len(text[series[-1].end():m.start()]) > 3):
                if len(series) >= 2:
                    break
                series = []
            series.append(m)
        if len(series) < 2:
            return None
        name = next((m.group("name") for m in series if m.group("name")), "")
        if not name:
            before = re.split(r"[，。；：]", text[:series[0].start()])[-1]
            name = before.strip()
        name = re.sub(r"^(?:所有|全部|全市|全区|全县|全镇)?", "", name).strip() or name
        if not name or len(name) > 20:
            return None
        target = CommentedMap([("名称", name), ("要求", "达到"), ("目标值", _number(float(series[-1].group("value")))),
                               ("单位", "%")])
        target["分年度"] = CommentedMap((int(m.group("year")), _number(float(m.group("value")))) for m in series)
        return CommentedSeq([target])

    def _inherits(self, node: Node, attr: str) -> bool:
        def rec(items, chain):
            for item in items:
                if isinstance(item, Node):
                    if item is node:
                        return chain
                    found = rec([e[1] for e in item.events if e[0] == "child"], chain + [item])
                    if found is not None:
                        return found
            return None
        chain = rec(self.o.body, []) or []
        return any(getattr(s, attr) for s in chain)

    # -- values -----------------------------------------------------------------------------------
    def units(self, units: Units):
        """The 责任单位 value, or None when the line named nobody."""
        lead = [self.matcher.match(n) for n in units.lead if n]
        support = [self.matcher.match(n) for n in units.support if n and n not in units.lead]
        if not lead and support and units.how == LINE and not units.lead:
            # "配合单位：A、B" alone: the task only supports (the lead is a higher level's)
            m = CommentedMap()
            m["配合"] = support[0] if len(support) == 1 else CommentedSeq(support)
            return m
        if not lead:
            lead, support = support, []
        if not lead:
            return None
        if not support:
            return lead[0] if len(lead) == 1 else CommentedSeq(lead)
        m = CommentedMap()
        m["牵头"] = lead[0] if len(lead) == 1 else CommentedSeq(lead)
        m["配合"] = support[0] if len(support) == 1 else CommentedSeq(support)
        return m

    @staticmethod
    def deadline(value):
        """The 完成时限 value, or None when the line had no phrase."""
        stages, _ = value
        stages = [st for st in stages if st.phrase]
        if not stages:
            return None
        if len(stages) == 1 and not stages[0].content:
            return stages[0].phrase
        seq = CommentedSeq()
        for s in stages:
            seq.append(CommentedMap([("时限", s.phrase), ("内容", s.content)]) if s.content else s.phrase)
        return seq

    def _targets(self, text: str) -> tuple[str, CommentedSeq | None]:
        if not text.endswith("。"):
            return text, None
        before, last = _last_sentence(text)
        targets = parse_targets(last)
        if not targets:
            return text, None
        seq = CommentedSeq()
        for t in targets:
            m = CommentedMap()
            m["名称"] = t.name
            m["要求"] = t.op
            m["目标值"] = _number(t.value)
            if t.unit:
                m["单位"] = t.unit
            if t.by_year:
                m["分年度"] = CommentedMap((y, _number(v)) for y, v in sorted(t.by_year.items()))
            if t.deadline:
                m["完成时限"] = t.deadline
            if t.phases:
                phases = CommentedSeq()
                for ph in t.phases:
                    p = CommentedMap([("时限", ph.phrase), ("单位", CommentedSeq(self.matcher.match(u) for u in ph.units))])
                    if ph.value is not None:
                        p["目标值"] = _number(ph.value)
                    if ph.note:
                        p["说明"] = ph.note
                    phases.append(p)
                m["分期"] = phases
            seq.append(m)
        return before, seq

    @staticmethod
    def _stages(text: str) -> tuple[str, list[Stage]]:
        m = _STAGES_TAIL.search(text)
        if not m:
            return text, []
        start = m.start()
        prefix = text[:start]
        if not prefix or not prefix.endswith("。"):
            # a paragraph that is only a dated stage ("2012年底前，所有企业检测率达到100%。") stays
            # a paragraph: a 阶段 needs the sentence it details
            return text, []
        stages, year = [], None
        for part in m.group(1).split("；"):
            phrase, sep, content = part.partition("，")
            try:
                parsed = deadlines.parse(phrase, default_year=year)
            except deadlines.DeadlineError:
                return text, []
            year = parsed.date.year if parsed.date else year
            stages.append(Stage(phrase, content))
        return prefix, stages

    def _reference(self, text: str) -> tuple[str, str | None]:
        m = _REF.search(text)
        if not m or m.group(1) not in self.labels:
            return text, None
        return text[:m.start()] + text[m.end():], self.labels[m.group(1)]

    def table(self, t: BodyTable) -> CommentedMap:
        """A table in the body: `标题` (the line above it, if any), `列`, `行`."""
        m = CommentedMap()
        if t.title:
            m["标题"] = t.title
        table, groups = _grouped_head(t.table)
        columns, rows = _columns_rows(table)
        if groups:
            m["表头分组"] = CommentedSeq(groups)  # the head's upper row: "事故起数" over three columns
        m["列"] = columns
        m["行"] = rows or CommentedSeq([CommentedSeq([""] * len(columns))])
        m.yaml_add_eol_comment(f"原文{t.table.where}", "标题" if t.title else "列")
        return m

    @staticmethod
    def figure(c: Caption) -> CommentedMap:
        """A figure's caption (`图题`): the picture is not imported; the plan prints the caption."""
        m = CommentedMap([("图题", c.title)])
        m.yaml_add_eol_comment(f"原文{c.where}（图）", "图题")
        return m

    def attachment(self, a: Attachment) -> CommentedMap:
        m = CommentedMap()
        m["标题"] = a.title or UNFOUND_ATTACHMENT_TITLE
        if a.kind == TASK_TABLE_KIND:
            m["类型"] = TASK_TABLE_KIND
            header = ["".join(c.split()) for c in (a.table.rows[0] if a.table is not None and a.table.rows else [])]
            if header and all(task_table_role(c) for c in header) and tuple(header) != TASK_TABLE_COLUMNS:
                m["列"] = CommentedSeq(header)  # generated from the tasks under the source's own headers
            if a.table is not None and a.table.landscape:
                m["横向"] = True
            return m
        m["类型"] = "表格"
        if a.table is not None and a.table.landscape:
            m["横向"] = True
        if a.table is not None and a.table.rows:
            m["列"], rows = _columns_rows(a.table)
            if rows:
                m["行"] = rows
        m.yaml_add_eol_comment(f"原文{a.where}", "标题")
        return m


def _grouped_head(table: Table) -> tuple[Table, list[str]]:
    """A table whose head is two rows (group labels over the columns, as a 通报 prints 本期/上年同期/
    同比 under 事故起数): the table with the lower row as its head, and the label of each column
    ("" for a column whose head spans both rows). A Word table gives its first row's spans; a PDF
    leaves a merged cell's other columns empty."""
    rows = table.rows
    if len(rows) < 3:
        return table, []
    upper, lower = rows[0], rows[1]
    width = len(lower)
    if table.head_spans and len(table.head_spans) == len(upper) and sum(table.head_spans) == width \
            and len(upper) < width:
        labels = [label for label, span in zip(upper, table.head_spans) for _ in range(span)]
        starts = [sum(table.head_spans[:k]) for k in range(len(upper))]
        spans = dict(zip(starts, table.head_spans))
    elif len(upper) == width and upper[0] and any(not c for c in upper[1:]):
        labels, spans, current = [], {}, 0
        for k, cell in enumerate(upper):
            if cell or k == 0:
                current = k
                spans[k] = 1
            else:
                spans[current] += 1
            labels.append(upper[current])
    else:
        return table, []
    if not any(span > 1 for span in spans.values()) or any(not c for c in lower[1:]) \
            or any(re.fullmatch(r"[\d.%％]+", c) for c in lower):
        return table, []  # no group over several columns, or the second row is not a head
    out = []
    for k in range(width):
        start = max(s for s in spans if s <= k)
        out.append(labels[k] if spans[start] > 1 else "")
    # a column whose head spans both rows keeps its name (Word repeats it below, a PDF leaves it empty)
    head = [lower[k] or labels[k] for k in range(width)]
    return Table([head] + [list(r) for r in rows[2:]], table.where, table.landscape), out


def _columns_rows(table: Table) -> tuple[CommentedSeq, CommentedSeq]:
    """`列` (the first row; a blank header is named 第N列) and `行` (the others, padded to the
    widest row; short whole numbers as numbers) of a table read from the source."""
    width = max(len(r) for r in table.rows)
    header = table.rows[0] + [""] * (width - len(table.rows[0]))
    columns = CommentedSeq(c or f"第{i + 1}列" for i, c in enumerate(header))
    rows = CommentedSeq()
    for row in table.rows[1:]:
        rows.append(CommentedSeq(int(c) if c.isdigit() and len(c) < 6 else c for c in row + [""] * (width - len(row))))
    return columns, rows


def numbering(outline: Outline) -> tuple[str, dict[int, int]]:
    """How the document numbers its items, as a plan says it: `编号方式` (tasks 1…n through the
    document, or from 1 again under each section) and the `序号` to fix where the document's own
    numbers do not follow on (a gap, a repeat), by node id, so that the plan prints the numbers of
    the source. Items only the 任务分工表 has (number 0) take the next number; after one of them
    the following numbers are not fixed, so that no number is printed twice."""
    groups: list[list[Node]] = []

    def collect(items: list) -> None:
        tasks = [n for n in items if isinstance(n, Node) and n.kind == "task" and n.number]
        if tasks:
            groups.append(tasks)
        for n in items:
            if isinstance(n, Node):
                collect([e[1] for e in n.events if e[0] == "child"])
    collect(outline.body)
    restarts = sum(1 for group in groups[1:] if group[0].number == 1)
    mode = RESTART if len(groups) > 1 and restarts * 2 >= len(groups) - 1 else CONTINUOUS
    fixed: dict[int, int] = {}
    running = [0, False]  # the document's task counter, and whether a table-only task shifted it

    def walk(items: list) -> None:
        sections, local, shifted = 0, 0, False
        for n in items:
            if not isinstance(n, Node):
                continue
            if n.kind == "section":
                sections += 1
                if n.number and n.number != sections:
                    fixed[id(n)] = sections = n.number
                walk([e[1] for e in n.events if e[0] == "child"])
                continue
            if mode == RESTART:
                local += 1
                if not n.number:
                    shifted = True
                elif n.number != local and not shifted:
                    fixed[id(n)] = local = n.number
            else:
                running[0] += 1
                if not n.number:
                    running[1] = True
                elif n.number != running[0] and not running[1]:
                    fixed[id(n)] = running[0] = n.number
    walk(outline.body)
    return mode, fixed


#: The markers a plan's `序号样式` and `下一层序号` can name.
_PRINTED_MARKERS = ("一、", "（一）", "1.", "1、", "（1）")


def markers(outline: Outline) -> list[str]:
    """The `序号样式` printing the numbers the source printed: at each depth the marker most of its
    items have (一、 1. when the source leaves out （一）, 1、 for 1.); [] when they are the
    standard ones. Markers docgen does not print (①) count as the standard one."""
    counts: list[dict[str, int]] = []

    def walk(items: list, depth: int) -> None:
        for node in items:
            if not isinstance(node, Node) or not node.style:
                continue
            while len(counts) <= depth:
                counts.append({})
            counts[depth][node.style] = counts[depth].get(node.style, 0) + 1
            walk([e[1] for e in node.events if e[0] == "child"], depth + 1)
    walk(outline.body, 0)
    styles: list[str] = []
    for depth, found in enumerate(counts[:len(MARKERS)]):
        style = max(found, key=lambda s: (found[s], s == MARKERS[depth]))
        styles.append(style if style in _PRINTED_MARKERS else MARKERS[depth])
    while styles and styles[-1] == MARKERS[len(styles) - 1]:
        styles.pop()
    return styles


def _child_marker(node: Node) -> str | None:
    """The marker most of a section's numbered items have, if docgen prints it."""
    found: dict[str, int] = {}
    for kind, child in node.events:
        if kind == "child" and child.style:
            found[child.style] = found.get(child.style, 0) + 1
    if not found:
        return None
    style = max(found, key=found.__getitem__)
    return style if style in _PRINTED_MARKERS else None


def units_form(outline: Outline, plan_division: str) -> str | None:
    """The `牵头配合写法` of the units the body prints (lines and brackets: A（牵头）, A牵头 or
    牵头单位：A, as most of them), or None when it is the default of `plan_division` (括号 for
    lines, 分列 for brackets) or the units never say who leads."""
    found: dict[str, int] = {}
    for node in outline.tasks() + outline.sections():
        if node.units is not None and node.units.form and node.how.get("units", LINE) in (LINE, BRACKET):
            found[node.units.form] = found.get(node.units.form, 0) + 1
    if not found:
        return None
    form = max(found, key=found.__getitem__)
    default = UNITS_LABELLED if plan_division == DIVISION_BRACKETS else UNITS_BRACKETED
    return None if form == default else form


#: How the values written one way are printed by each `分工写法`.
_DIVISION_OF = {LINE: DIVISION_LINES, BRACKET: DIVISION_BRACKETS, TABLE: DIVISION_TABLE}


def division(outline: Outline) -> tuple[str, dict[int, str]]:
    """The `分工写法` that prints each task's 责任单位 and 完成时限 where the source had them: the
    way most tasks (and sections' shared lines) write them — lines, brackets at the end of the
    task, or only in the 任务分工表 — and, by node id, the tasks written another way. What a task's
    own text says (正文写明) is printed by none, so it does not count."""
    votes: dict[int, str] = {}
    for task in outline.tasks():
        hows = [task.how[attr] for attr in ("units", "deadline") if attr in task.how and task.how[attr] != IN_TEXT]
        if hows:
            votes[id(task)] = _DIVISION_OF[hows[0]]
    counts = {way: 0 for way in (DIVISION_LINES, DIVISION_BRACKETS, DIVISION_TABLE)}
    for way in votes.values():
        counts[way] += 1
    counts[DIVISION_LINES] += sum(1 for s in outline.sections() if s.units or s.deadline)
    has_table = any(a.kind == TASK_TABLE_KIND for a in outline.attachments)
    if not has_table:
        counts[DIVISION_TABLE] = 0
    plan = max(counts, key=lambda way: (counts[way], way == DIVISION_LINES))
    return plan, {node: way for node, way in votes.items() if way != plan}


def _split_head(head: str) -> tuple[str, str]:
    title, sep, rest = head.partition("。")
    if sep and rest.strip():
        return title.strip(), rest.strip()
    return head.rstrip("。").strip(), ""


def _items(body: str) -> list[str] | None:
    """"一是…。二是…。" as a list of items, or None."""
    if not body.startswith("一是"):
        return None
    parts = re.split(rf"(?<=[。；])(?=[{_CN}]{{1,3}}是)", body)  # (no group: re.split would return it)
    items = []
    for n, part in enumerate(parts, start=1):
        from docgen.numbering import chinese
        marker = f"{chinese(n)}是"
        if not part.startswith(marker):
            return None
        items.append(part[len(marker):])
    return items
