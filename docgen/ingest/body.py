"""The body pass: numbered lines (一、 （一） 1. （1） and the variants of real documents) open
nodes whose nesting follows the order the marker kinds appear in; 责任单位 and 完成时限 lines (in
the forms documents use) attach to the open node; a line shared by a section's tasks is lifted to
the section; tables in the body stay where they stand. Then `_classify` tells tasks from sections.
"""

from __future__ import annotations

import re

from docgen import deadlines
from docgen.ingest.blocks import Line, Table
from docgen.ingest.outline import (
    BRACKET,
    IN_TEXT,
    LINE,
    BodyTable,
    Caption,
    Node,
    Stage,
    Units,
    _continued,
    _readable,
    _signer,
    parse_stages,
    parse_units,
    split_units,
)
from docgen.ingest.vocabulary import (
    _AIM_HEADINGS,
    _ATTACH_LABEL,
    _ATTACH_NOTE,
    _BY,
    _CC,
    _CLOSING_SENTENCE,
    _DATE,
    _DEADLINE_AFTER_UNITS,
    _DEADLINE_LINE,
    _DEADLINE_TAIL,
    _FIGURE_CAPTION,
    _HEADING_WORDS,
    _LEAD_SUPPORT,
    _OTHER_HEADINGS,
    _PLAN_KINDS,
    _SUPPORT_LINE,
    _TABLE_TITLE,
    _TASK_HEADINGS,
    _UNITS_LINE,
    _UNITS_TAIL,
    _label,
    marker_of,
)
from docgen.wording import UNITS_LABELLED, UNITS_ONE_LINE, UNITS_SUFFIXED

#: Kinds whose numbered items are headings unless they carry 责任单位 or 完成时限 lines.
_REPORT_KINDS = ("通报", "挂牌督办通知")


class BodyPass:
    """The body pass of `Recovery` (a mixin: the state is the recovery's)."""

    def body_end(self, start: int) -> tuple[int, str]:
        """Where the body ends: at 附件说明, an attachment label, the signature or the 版记."""
        for i in range(start, len(self.lines)):
            block = self.lines[i]
            if isinstance(block, Table):
                prev = self._line(i - 1) if i - 1 >= start else None
                above = self._line(i - 2) if i - 2 >= start else None
                if prev is not None and not marker_of(prev.text):
                    if _ATTACH_LABEL.match(prev.text):
                        return i - 1, "attachments"
                    if above is not None and _ATTACH_LABEL.match(above.text):
                        return i - 2, "attachments"  # 附件1 / its title / the table
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
                while i - 1 > start and (above := self._line(i - 1)) is not None and _signer(above.text):
                    i -= 1  # several organs sign, one a line
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
            elif kind in ("para", "table", "figure"):
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
                    body_tables.append(BodyTable(Table([list(r) for r in block.rows], block.where, block.landscape,
                                                       block.head_spans),
                                                 re.sub(r"^表\d+\s*", "", blocks[i - 1].text) if i in titles else ""))
                    attach("table", body_tables[-1])
                continue
            text = block.text
            if (caption := _FIGURE_CAPTION.match(text)) and not block.bold:
                attach("figure", Caption(caption.group("title").strip(), block.where))
                continue
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
        _lift_trailing_paragraphs(top, None)
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
            text, deadline = _split_combined(_unbracket(text))
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
        asks = self.out.kind in _REPORT_KINDS and bool(leaves) and all(_sentence(n.head) for n in leaves) \
            and any(self._inline_deadline(n, self.out.year) for n in leaves)
        for node in nodes:
            if any(e[0] == "child" for e in node.events):
                node.kind = "section"
            elif self.out.kind in _REPORT_KINDS and not (node.units or node.deadline):
                # a 通报 reports and asks in sentences: its items are headings, but under its next
                # steps ("下一步工作措施") a list that sets dates assigns work: its items are tasks
                node.kind = "task" if _next_steps(titles) and asks else "section"
            elif node.units or node.deadline:
                node.kind = "task"
            elif has_info and ("。" in node.head.rstrip("。") or len(node.head) > 25 or node.head.endswith("。")):
                # (a sentence, not a heading: headings do not end with 。)
                node.kind = "task"
            elif _task_context(titles) and "。" in node.head.rstrip("。"):
                node.kind = "task"
            elif _sentence(node.head) and self._inline_deadline(node, self.out.year) and _dated_context(titles, self.out.kind):
                node.kind = "task"  # "（一）自查自纠。…，2026年4月30日前完成。" in a 通知
            elif self.out.kind in _PLAN_KINDS and _led(node) and not _aim_or_other(titles):
                node.kind = "task"  # an item with a lead sentence in a plan: a task, units or not
            else:
                node.kind = "section"
        if any(n.kind == "task" for n in leaves) and self.out.kind not in _REPORT_KINDS:
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
        for m in deadlines.PHRASE_IN_TEXT.finditer(text):
            phrase = m.group(1)
            if not _readable(phrase, year):
                continue
            if not re.match(r"\d{4}年|每", phrase) and year:
                phrase = f"{year}年{phrase}"
            rest = text[m.end():]
            content = re.split(r"[，。；]", rest.lstrip("，"), maxsplit=1)[0]
            out.append(Stage(phrase, content))
        return out


def _lift_trailing_paragraphs(items: list, parent: Node | None) -> None:
    """A paragraph after a leaf item's own 责任单位 or 完成时限 lines is not the item's: an item's
    lines close it (as docgen prints them), so the paragraph is its section's (a 通知's closing
    "请各单位于…前将…报…" after the last task). It moves up a level, right after the item."""
    for node in [n for n in items if isinstance(n, Node)]:
        if any(e[0] == "child" for e in node.events):
            _lift_trailing_paragraphs([e[1] for e in node.events if e[0] == "child"], node)
            continue
        last_line = max((k for k, e in enumerate(node.events) if e[0] in ("units", "deadline")), default=None)
        if last_line is None or not all(e[0] == "para" for e in node.events[last_line + 1:]):
            continue
        trailing = node.events[last_line + 1:]
        if not trailing:
            continue
        del node.events[last_line + 1:]
        if parent is None:
            at = items.index(node) + 1
            items[at:at] = [e[1] for e in trailing]
        else:
            at = next(k for k, e in enumerate(parent.events) if e[0] == "child" and e[1] is node) + 1
            parent.events[at:at] = trailing


def _table_title(line: Line) -> bool:
    """`line`, right above a table in the body, is the table's title: short, not a sentence or an
    item, and named as a table (or centred, as a Word document sets it)."""
    text = line.text
    return (len(text) <= 60 and marker_of(text) is None and not text.endswith(("。", "：", ":", "；", "，"))
            and (bool(_TABLE_TITLE.search(text)) or line.centered))


def _split_combined(text: str) -> tuple[str, str | None]:
    """("责任单位：A", "2024年底前") from "责任单位：A；完成时限：2024年底前"."""
    m = _DEADLINE_AFTER_UNITS.search(text)
    if not m:
        return text, None
    return text[:m.start()], m.group(1).strip().rstrip("。）)")


def _how_written(node: Node, attr: str) -> str:
    """How a leaf's own value (just taken from its events) is written: the value written in the
    item's own sentence wins over a line after it (`Recovery._own_and_shared`)."""
    inline = [value for kind, value in node.events if kind == f"inline {attr}"]
    if not inline:
        return LINE
    return inline[0].how if attr == "units" else BRACKET


def _split_title(head: str) -> str:
    return head.split("。", 1)[0]


def _dated_context(titles: tuple[str, ...], kind: str) -> bool:
    """Where an item with a date in its text is a task: not under an aim heading; in a 通知
    anywhere else (its 工作安排, 时间安排 and 报送要求 are the work), else not under headings
    that say how the work is organised (保障措施, 实施步骤…)."""
    if any(any(word in t for word in _AIM_HEADINGS) for t in titles):
        return False
    return kind == "通知" or not any(any(word in t for word in _OTHER_HEADINGS) for t in titles)


def _next_steps(titles: tuple[str, ...]) -> bool:
    """The heading of a 通报's part that assigns work: 下一步工作（措施）, 工作要求, 整改要求."""
    return bool(titles) and any(word in titles[-1] for word in ("下一步", "工作措施", "工作要求", "整改要求", "有关要求"))


def _led(node: Node) -> bool:
    """An item written as a lead sentence and what follows it ("着力推进达标工作。" then its text)."""
    return _sentence(node.head) or (node.head.endswith("。") and any(e[0] == "para" for e in node.events))


def _aim_or_other(titles: tuple[str, ...]) -> bool:
    return any(any(word in t for word in _OTHER_HEADINGS + _AIM_HEADINGS + ("阶段", "步骤", "安排", "要求"))
               for t in titles)


def _sentence(head: str) -> bool:
    """A numbered item written as a sentence (lead and body, or one long sentence), not a heading."""
    return "。" in head.rstrip("。") or (head.endswith("。") and len(head) > 20)


def _task_context(titles: tuple[str, ...]) -> bool:
    """Headings above a leaf announce tasks (主要任务, 工作重点, 专项行动) and none says otherwise."""
    if any(any(word in t for word in _OTHER_HEADINGS) for t in titles):
        return False
    return any(any(word in t for word in _TASK_HEADINGS) for t in titles)


def _run_in_heading(kind: str, text: str) -> tuple[str, str]:
    """(heading, paragraph) of a 一、 line whose heading word runs into a sentence, else (text, "")."""
    if kind != "一、":
        return text, ""
    for word in _HEADING_WORDS:
        rest = text[len(word):]
        if text.startswith(word) and len(rest) > 20 and rest[0] not in "。，；：、（(" and re.search(r"[，。；]", rest):
            return word, rest
    return text, ""


def _unbracket(text: str) -> str:
    """A line without the brackets around it (（责任单位：…）), keeping a closing bracket that is
    part of the last name (责任单位：各镇（街道）)."""
    text = text.rstrip("。；")
    if text[:1] in "（(" and text[-1:] in "）)":
        return text[1:-1]
    return text
