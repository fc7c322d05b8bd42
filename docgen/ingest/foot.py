"""The foot pass: 附件说明, signatures (one or several organs, one a line), 成文日期, 附注, the
attachments (a 任务分工表 merged with the tasks by lead or 序号, its extra rows added as tasks; a
text attachment kept for its own import) and the 版记 (抄送; 印发机关 and 印发日期, on one line or
in a table).
"""

from __future__ import annotations

import difflib
import re

from docgen.ingest.blocks import Line, Table
from docgen.ingest.outline import (
    TABLE,
    Attachment,
    Node,
    Units,
    _continued,
    _signer,
    _title_of,
    parse_stages,
    parse_units,
    split_units,
)
from docgen.ingest.vocabulary import (
    _ATTACH_LABEL,
    _ATTACH_NOTE,
    _BASIS,
    _CC,
    _DATE,
    _PRINTED,
    _VALID,
    TASK_TABLE_HEADERS,
    _short,
)


class FootPass:
    """The foot pass of `Recovery` (a mixin: the state is the recovery's)."""

    # tail: 附件说明, signature, attachments, 版记 ----------------------------------------------------
    def tail(self, blocks: list, how: str) -> None:
        out = self.out
        i = 0
        notes: list[str] = []
        while i < len(blocks):
            block = blocks[i]
            if isinstance(block, Table) and _closing_table(block):
                # the 版记 set as a table (抄送 in one row, 印发机关 and 印发日期 in the next)
                self.doc.closing.extend(Line(cell, block.where) for row in block.rows for cell in row if cell)
                i += 1
                continue
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
            k = i
            while k < len(blocks) and isinstance(blocks[k], Line) and _signer(blocks[k].text):
                k += 1
            if k > i + 1 and k < len(blocks) and isinstance(blocks[k], Line) and _DATE.match(blocks[k].text) \
                    and not out.signature:
                signers = [b.text for b in blocks[i:k]]  # joint issue: the organs sign one a line
                if not out.joint:
                    out.joint = signers[1:]
                blocks = blocks[:i + 1] + blocks[k:]  # the first organ and the date, read below
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
                out.attachments[-1].blocks.append(block)
            elif not out.attachments:
                self.find("skipped-text", block.where, f"正文之后的文字“{_short(text)}”没有导入。")
            i += 1
        for att in out.attachments:
            if att.text_at:  # one finding for the whole text, not one a paragraph
                span = att.text_at[0] + (f"至{att.text_at[-1]}" if len(att.text_at) > 1 else "")
                self.find("skipped-text", att.text_at[0],
                          f"附件“{_short(att.title)}”是一篇文字（{len(att.text_at)}段，{span}，如转发的上级文件），"
                          f"没有导入本方案，而是另行导入为一份收到的方案（文件名为本方案的名称加“-附件”）；"
                          f"本方案排版时只在附件说明中列出它的标题，请随文另附原件。")
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
                cc = m.group(1)
                printed = re.search(r"(?:(?<=。)|\s+)([^\s。，、；]{2,40}?)\s*(\d{4}年\d{1,2}月\d{1,2}日)\s*印发$", cc)
                if printed:  # 抄送, 印发机关 and 印发日期 on one line (a PDF joins them)
                    self.out.printer, self.out.print_date = printed.group(1), printed.group(2)
                    cc = cc[:printed.start()]
                self.out.cc = split_units(cc)
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


def _closing_table(table: Table) -> bool:
    cells = [cell for row in table.rows for cell in row if cell]
    return 0 < len(cells) <= 4 and all(_CC.match(c) or _PRINTED.match(c) for c in cells)


def _lead(head: str) -> str:
    return head.split("。", 1)[0].rstrip("。")
