"""What changed between two revisions of a plan, in the terms a reviewer uses.

`compare(old, new)` returns a list of `Change` in document order: metadata of the 版头, then the
body (sections, paragraphs and tasks in the order of the new revision, with removed items where
they stood), the signature block, the attachments and the 版记. Every change carries a 修改说明
(`note`) generated from the values, the 原文 and 修改后 texts, and where it is in both files.

Matching: tasks by 编号, then (for ids that changed) by text similarity, reported as a rename;
sections by title, then by title similarity or by the tasks they hold; paragraphs by position
among their unchanged neighbours. Moves are computed on relative order (see `match.kept_order`),
so an insertion never reports every later task as moved, and display numbers are never compared.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from docgen.diff import inline, match, texts
from docgen.model import Attachment, Block, DateField, Milestone, Paragraph, Plan, Section, Target, Task, Text
from docgen.problems import Location

#: Below this similarity, an unmatched old and new task are a removal and an addition, not a rename.
TASK_RENAME_THRESHOLD = 0.6
#: Sections: similarity of titles, or share of their tasks that moved with them.
SECTION_MATCH_THRESHOLD = 0.5
#: Paragraphs and table rows replaced in place: reworded above this similarity, else removed and added.
REWORD_THRESHOLD = 0.5
#: A metadata value longer than this (old and new together) is shown as a rewording, not quoted whole.
LONG_VALUE = 80


class Element(str, enum.Enum):
    """What a change is about."""

    PLAN = "plan"
    DOCUMENT = "document"
    SECTION = "section"
    PARAGRAPH = "paragraph"
    TASK = "task"
    ATTACHMENT = "attachment"


class Kind(str, enum.Enum):
    """What happened to it."""

    ADDED = "added"
    REMOVED = "removed"
    RENAMED = "renamed"
    MOVED = "moved"
    REWORDED = "reworded"
    RESPONSIBILITY = "responsibility"
    DEADLINE = "deadline"
    TARGET = "target"
    CHANGED = "changed"

    @property
    def label(self) -> str:
        return _KIND_LABELS[self]


_KIND_LABELS = {
    Kind.ADDED: "新增", Kind.REMOVED: "删除", Kind.RENAMED: "更名", Kind.MOVED: "移动", Kind.REWORDED: "改写",
    Kind.RESPONSIBILITY: "责任单位", Kind.DEADLINE: "完成时限", Kind.TARGET: "指标", Kind.CHANGED: "修改",
}
#: Order of several changes of one item.
_RANK = {k: i for i, k in enumerate([Kind.REMOVED, Kind.ADDED, Kind.RENAMED, Kind.MOVED, Kind.REWORDED,
                                      Kind.RESPONSIBILITY, Kind.DEADLINE, Kind.TARGET, Kind.CHANGED])}


@dataclass(frozen=True)
class Change:
    """One change a reviewer would name, with its 修改说明 and the 原文 / 修改后 texts."""

    element: Element
    kind: Kind
    #: Who or what changed, e.g. 任务T23“加强专业应急救援队伍建设”, 发文字号.
    subject: str
    #: 修改说明, e.g. 完成时限由2025年底前调整为2025年6月底前.
    note: str
    #: 原文 and 修改后 (None for an addition or a removal).
    old: str | None = None
    new: str | None = None
    #: The task's 编号 in the new revision (the old one for a removal) and, if it changed, the old one.
    id: str | None = None
    old_id: str | None = None
    #: Metadata field, 导语, a target's name…
    field: str | None = None
    #: Titles of the enclosing sections (new revision; old one for a removal).
    section: tuple[str, ...] = ()
    old_loc: Location | None = None
    new_loc: Location | None = None

    @property
    def summary(self) -> str:
        """``subject：note``, one line (just the note for metadata, whose note names the field)."""
        return self.note if self.element is Element.DOCUMENT else f"{self.subject}：{self.note}"


# -- metadata -------------------------------------------------------------------------------------

Value = str | tuple[str, ...] | None


@dataclass(frozen=True)
class Field:
    """A metadata field: its name and how to read it (value, where it is written) from a plan."""

    name: str
    get: Callable[[Plan], tuple[Value, Location | None]]
    #: Quote values in notes (text) or not (dates, periods).
    quoted: bool = True


def _text(text: Text | None) -> tuple[Value, Location | None]:
    return (text.value, text.loc) if text else (None, None)


def _texts(values: Sequence[Text]) -> tuple[Value, Location | None]:
    return (tuple(v.value for v in values), values[0].loc) if values else (None, None)


def _date(value: DateField | None) -> tuple[Value, Location | None]:
    return (value.text, value.loc) if value else (None, None)


def _period(plan: Plan) -> tuple[Value, Location | None]:
    if not plan.period:
        return None, None
    start, end = plan.period
    return f"{start.text}至{end.text}", start.loc


def _inner_title(title: str) -> str:
    """A title quoted inside 《》 takes 〈〉 for the titles it quotes itself (GB/T 15834)."""
    return title.replace("《", "〈").replace("》", "〉")


def _basis(plan: Plan) -> tuple[Value, Location | None]:
    items = tuple(f"《{_inner_title(b.title.value)}》" + (f"（{b.doc_number.value}）" if b.doc_number else "")
                  for b in plan.basis)
    return (items, plan.basis[0].title.loc) if items else (None, None)


HEAD_FIELDS = (
    Field("文种", lambda p: (p.kind, None)),
    Field("份号", lambda p: _text(p.copy_number)),
    Field("密级", lambda p: _text(p.secret)),
    Field("保密期限", lambda p: _text(p.secret_term)),
    Field("紧急程度", lambda p: _text(p.urgency)),
    Field("发文机关", lambda p: _text(p.issuer)),
    Field("联合发文机关", lambda p: _texts(p.joint_issuers)),
    Field("发文字号", lambda p: _text(p.doc_number)),
    Field("签发人", lambda p: _texts(p.signers)),
    Field("印发通知标题", lambda p: _text(p.notice.title if p.notice else None)),
    Field("印发通知主送", lambda p: _texts(p.notice.recipients if p.notice else [])),
    Field("印发通知正文", lambda p: _text(p.notice.body if p.notice else None)),
    Field("标题", lambda p: _text(p.title)),
    Field("实施期限", _period, quoted=False),
    Field("主送", lambda p: _texts(p.recipients)),
    Field("依据", _basis),
    Field("上级方案", lambda p: _text(p.parent_path)),
    Field("编号方式", lambda p: (p.numbering, None)),
)
SIGNATURE_FIELDS = (
    Field("署名", lambda p: _text(p.signature)),
    Field("用印", lambda p: ("加盖印章" if p.sealed else "不加盖印章", None)),
    Field("成文日期", lambda p: _date(p.date), quoted=False),
    Field("有效期至", lambda p: _date(p.valid_until), quoted=False),
    Field("附注", lambda p: _text(p.note)),
)
RECORD_FIELDS = (
    Field("抄送", lambda p: _texts(p.cc)),
    Field("印发机关", lambda p: _text(p.printer)),
    Field("印发日期", lambda p: _date(p.print_date), quoted=False),
)

# Where each group of changes stands in the document.
_HEAD, _BODY, _SIGNATURE, _ATTACHMENTS, _RECORD = range(5)


def _q(value: str, quoted: bool) -> str:
    return f"“{value}”" if quoted else value


def value_note(name: str, old: str | None, new: str | None, quoted: bool = True) -> str:
    """增加X“…” / 删去X“…” / X由“…”调整为“…”."""
    if old is None:
        return f"增加{name}{_q(new or '', quoted)}"
    if new is None:
        return f"删去{name}{_q(old, quoted)}"
    return f"{name}由{_q(old, quoted)}调整为{_q(new, quoted)}"


def _list_note(name: str, old: tuple[str, ...], new: tuple[str, ...]) -> str:
    added = [v for v in new if v not in old]
    removed = [v for v in old if v not in new]
    parts = []
    if added:
        parts.append("增加" + "".join(f"“{v}”" for v in added))
    if removed:
        parts.append("删去" + "".join(f"“{v}”" for v in removed))
    return f"{name}" + "，".join(parts) if parts else f"调整{name}的顺序"


def shown(name: str, value: Value) -> str | None:
    """``名称：值`` (list values joined by 、), None for no value: how 原文 and 修改后 show a field."""
    if value is None:
        return None
    return f"{name}：{'、'.join(value) if isinstance(value, tuple) else value}"


def _reword_note(old: str, new: str, fallback: str) -> str:
    return inline.describe(inline.char_diff(old, new)) or fallback


# -- the comparison ---------------------------------------------------------------------------------


class _Tree:
    """One revision's blocks in document order, with parents and positions."""

    def __init__(self, plan: Plan):
        self.plan = plan
        self.blocks: list[Block] = list(plan.walk())
        self.pos = {id(b): i for i, b in enumerate(self.blocks)}
        self.parent: dict[int, Section | None] = {}
        self._link(plan.body, None)
        self.tasks = [b for b in self.blocks if isinstance(b, Task)]
        self.sections = [b for b in self.blocks if isinstance(b, Section)]

    def _link(self, blocks: list[Block], parent: Section | None) -> None:
        for block in blocks:
            self.parent[id(block)] = parent
            if isinstance(block, Section):
                self._link(block.children, block)

    def children(self, parent: Section | None) -> list[Block]:
        return parent.children if parent else self.plan.body

    def path(self, block: Block) -> tuple[str, ...]:
        """Titles of the sections enclosing `block`, outermost first, each with its printed number."""
        titles: list[str] = []
        parent = self.parent.get(id(block))
        while parent is not None:
            mark = _marker(parent.depth, parent.number, self.plan.markers) if parent.number else ""
            titles.append(mark + parent.title.value)
            parent = self.parent.get(id(parent))
        return tuple(reversed(titles))

    def number(self, section: Section) -> str:
        """A section's printed number with those of the sections above it (``二、（三）``)."""
        chain = [section]
        parent = self.parent.get(id(section))
        while parent is not None:
            chain.append(parent)
            parent = self.parent.get(id(parent))
        return "".join(_marker(s.depth, s.number, self.plan.markers) for s in reversed(chain) if s.number)

    def tasks_under(self, section: Section) -> list[Task]:
        return [t for t in self.tasks if any(s is section for s in t.sections)]


def _marker(depth: int, n: int, markers: tuple[str, ...]) -> str:
    from docgen import numbering

    try:
        return numbering.heading(depth, n, markers)
    except ValueError:  # deeper than four levels: the number alone
        return f"{n}."


def printed_number(block: Task | Section, markers: tuple[str, ...] = ()) -> str:
    """The number a reader finds in the document, with the numbers of the headings above it:
    ``二、（三）2.`` for the second task of the third action of part two."""
    sections = block.sections if isinstance(block, Task) else _ancestors(block)
    path = "".join(_marker(s.depth, s.number, markers) for s in sections if s.number)
    depth = len(sections) + 1 if isinstance(block, Task) else block.depth
    return path + (_marker(depth, block.number, markers) if block.number else "")


def _ancestors(section: Section) -> list[Section]:
    return list(getattr(section, "parents", ()))


def _task_subject(task: Task, markers: tuple[str, ...] = ()) -> str:
    return f"{printed_number(task, markers)}“{task.lead.value}”"


def _section_subject(section: Section, tree: _Tree | None = None) -> str:
    if tree is None:
        return f"章节“{section.title.value}”"
    return f"章节{tree.number(section)}“{section.title.value}”"


def _section_text(section: Section) -> str:
    """A section's own words: its title, 导语 and direct paragraphs (tasks are reported one by one)."""
    lines = [section.title.value] + ([section.intro.value] if section.intro else [])
    lines += [texts.paragraph(p) for p in section.children if isinstance(p, Paragraph)]
    return "\n".join(lines)


def _source(task: Task, attr: str) -> Section | None:
    """The section a task takes its 责任单位 or 完成时限 from, if it has none of its own."""
    if getattr(task, attr) is not None:
        return None
    for section in reversed(task.sections):
        if getattr(section, attr) is not None:
            return section
    return None


def _where(section: Section | None) -> str:
    return f"“{section.title.value}”" if section else "正文"


def _position(tree: _Tree, block: Block) -> str:
    """列于任务T09之后 / 列于首位: relative to the previous sibling of the same kind."""
    siblings = [b for b in tree.children(tree.parent[id(block)]) if type(b) is type(block)]
    index = next(i for i, b in enumerate(siblings) if b is block)
    if index == 0:
        return "列于首位"
    before = siblings[index - 1]
    if isinstance(before, Task):
        return f"列于{printed_number(before, tree.plan.markers)}“{before.lead.value}”之后"
    return f"列于“{before.title.value}”之后"


def _place(tree: _Tree, block: Block) -> str:
    """位置：“开展安全素养提升行动”，列于任务T05之后 (for the 原文 and 修改后 of a move)."""
    return f"位置：{_where(tree.parent[id(block)])}，{_position(tree, block)}"


@dataclass
class _Paragraphs:
    """The paragraphs of one pair of matched sections, with their texts and pairs."""

    old: list[Paragraph]
    new: list[Paragraph]
    old_text: list[str]
    new_text: list[str]
    reworded: match.Pairs = field(default_factory=list)
    #: Unchanged and reworded pairs.
    paired: match.Pairs = field(default_factory=list)


class _Comparer:
    def __init__(self, old: Plan, new: Plan):
        self.old, self.new = _Tree(old), _Tree(new)
        self.out: list[tuple[tuple, Change]] = []
        #: Old block (by id) -> its counterpart in the new revision, for tasks, sections, paragraphs.
        self.partner: dict[int, Block] = {}
        self.task_pairs: list[tuple[Task, Task]] = []
        self.section_pairs: list[tuple[Section, Section]] = []
        self.paragraph_groups: list[_Paragraphs] = []

    # -- pipeline ---------------------------------------------------------------------------------
    def run(self) -> list[Change]:
        self._match_tasks()
        self._match_sections()
        self._match_paragraphs()  # all pairs known before any removal is placed (`_at_old`)
        self._fields(HEAD_FIELDS, _HEAD)
        self._sections()
        self._paragraphs()
        self._tasks()
        self._fields(SIGNATURE_FIELDS, _SIGNATURE)
        self._attachments()
        self._fields(RECORD_FIELDS, _RECORD)
        return [change for _, change in sorted(self.out, key=lambda item: item[0])]

    def _emit(self, key: tuple, change: Change) -> None:
        self.out.append(((*key, _RANK[change.kind], len(self.out)), change))

    # -- matching ---------------------------------------------------------------------------------
    def _match_tasks(self) -> None:
        old, new = self.old.tasks, self.new.tasks
        old_text, new_text = [texts.task(t) for t in old], [texts.task(t) for t in new]
        pairs = match.pair(old, new, lambda t: t.id, lambda i, j: inline.similarity(old_text[i], new_text[j]),
                           TASK_RENAME_THRESHOLD)
        self.task_pairs = [(old[i], new[j]) for i, j in pairs]
        self.partner.update({id(o): n for o, n in self.task_pairs})

    def _match_sections(self) -> None:
        old, new = self.old.sections, self.new.sections

        def score(i: int, j: int) -> float:
            o, n = old[i], new[j]
            if o.depth != n.depth:
                return 0.0
            o_tasks, n_tasks = self.old.tasks_under(o), self.new.tasks_under(n)
            kept = sum(1 for t in o_tasks if any(self.partner.get(id(t)) is u for u in n_tasks))
            overlap = kept / max(len(o_tasks), len(n_tasks)) if o_tasks or n_tasks else 0.0
            return max(overlap, inline.similarity(o.title.value, n.title.value))

        pairs = match.pair(old, new, lambda s: (s.depth, s.title.value), score, SECTION_MATCH_THRESHOLD)
        self.section_pairs = [(old[i], new[j]) for i, j in pairs]
        self.partner.update({id(o): n for o, n in self.section_pairs})

    def _same_parent(self, old_parent: Section | None, new_parent: Section | None) -> bool:
        if old_parent is None or new_parent is None:
            return old_parent is None and new_parent is None
        return self.partner.get(id(old_parent)) is new_parent

    # -- ordering ---------------------------------------------------------------------------------
    def _at_new(self, block: Block) -> tuple:
        return (_BODY, float(self.new.pos[id(block)]), 0)

    def _at_old(self, block: Block) -> tuple:
        """Where a removed block goes: right after the new counterpart of what preceded it."""
        i = self.old.pos[id(block)]
        for before in reversed(self.old.blocks[:i]):
            if id(before) in self.partner:
                return (_BODY, self.new.pos[id(self.partner[id(before)])] + 0.5, i)
        return (_BODY, -0.5, i)

    # -- metadata ---------------------------------------------------------------------------------
    def _fields(self, fields: tuple[Field, ...], group: int) -> None:
        for index, f in enumerate(fields):
            (old, old_loc), (new, new_loc) = f.get(self.old.plan), f.get(self.new.plan)
            if old == new:
                continue
            kind = Kind.CHANGED
            if isinstance(old, tuple) and isinstance(new, tuple):
                note = _list_note(f.name, old, new)
            elif isinstance(old, str) and isinstance(new, str) and len(old) + len(new) > LONG_VALUE:
                edits = inline.describe(inline.char_diff(old, new))
                kind, note = Kind.REWORDED, f"{f.name}：{edits}" if edits else f"修改{f.name}"
            else:
                flat = [("、".join(v) if isinstance(v, tuple) else v) for v in (old, new)]
                note = value_note(f.name, flat[0], flat[1], f.quoted)
            self._emit((group, float(index), 0), Change(
                Element.DOCUMENT, kind, f.name, note, shown(f.name, old), shown(f.name, new),
                field=f.name, old_loc=old_loc, new_loc=new_loc))

    # -- sections ---------------------------------------------------------------------------------
    def _sections(self) -> None:
        matched_new = {id(n) for _, n in self.section_pairs}
        for o in self.old.sections:
            if id(o) not in self.partner:
                self._emit(self._at_old(o), Change(
                    Element.SECTION, Kind.REMOVED, _section_subject(o, self.old), "删去章节", old=_section_text(o),
                    section=self.old.path(o), old_loc=o.loc))
        for n in self.new.sections:
            if id(n) not in matched_new:
                self._emit(self._at_new(n), Change(
                    Element.SECTION, Kind.ADDED, _section_subject(n, self.new), "新增章节", new=_section_text(n),
                    section=self.new.path(n), new_loc=n.loc))
        moves = self._moves(self.section_pairs)
        for o, n in self.section_pairs:
            key, base = self._at_new(n), dict(section=self.new.path(n), old_loc=o.loc, new_loc=n.loc)
            subject = _section_subject(n, self.new)
            if o.title.value != n.title.value:
                self._emit(key, Change(
                    Element.SECTION, Kind.RENAMED, subject,
                    value_note("标题", o.title.value, n.title.value).replace("调整为", "修改为"),
                    o.title.value, n.title.value, field="标题", **base))
            if id(n) in moves:
                self._emit(key, Change(Element.SECTION, Kind.MOVED, subject, *moves[id(n)], **base))
            if (o.intro.value if o.intro else None) != (n.intro.value if n.intro else None):
                old_intro, new_intro = (o.intro.value if o.intro else None), (n.intro.value if n.intro else None)
                note = (_reword_note(old_intro, new_intro, "修改导语") if old_intro and new_intro
                        else "增加导语" if new_intro else "删去导语")
                self._emit(key, Change(Element.SECTION, Kind.REWORDED, subject, note, old_intro, new_intro,
                                       field="导语", **base))
            self._shared_values(o, n, key, subject, base)

    def _shared_values(self, o: Section, n: Section, key: tuple, subject: str, base: dict) -> None:
        """责任单位 and 完成时限 written once for all tasks of a section."""
        old_units, new_units = texts.units(o.responsibility), texts.units(n.responsibility)
        if old_units != new_units:
            self._emit(key, Change(
                Element.SECTION, Kind.RESPONSIBILITY, subject, _units_note(o.responsibility, n.responsibility),
                shown("责任单位", old_units or None), shown("责任单位", new_units or None), field="责任单位", **base))
        old_deadline, new_deadline = texts.deadline(o.deadline), texts.deadline(n.deadline)
        if old_deadline != new_deadline:
            self._emit(key, Change(
                Element.SECTION, Kind.DEADLINE, subject, _deadline_note(o.deadline, n.deadline),
                shown("完成时限", old_deadline or None), shown("完成时限", new_deadline or None),
                field="完成时限", **base))

    # -- moves ------------------------------------------------------------------------------------
    def _moves(self, pairs: Sequence[tuple[Block, Block]]) -> dict[int, tuple[str, str, str]]:
        """For the new blocks of `pairs` that moved (to another section, or out of order):
        (note, old place, new place)."""
        moved: dict[int, tuple[str, str, str]] = {}
        staying: dict[int, list[tuple[Block, Block]]] = {}
        for o, n in pairs:
            old_parent, new_parent = self.old.parent[id(o)], self.new.parent[id(n)]
            if self._same_parent(old_parent, new_parent):
                staying.setdefault(id(new_parent), []).append((o, n))
            else:
                note = f"由{_where(old_parent)}调至{_where(new_parent)}，{_position(self.new, n)}"
                moved[id(n)] = (note, _place(self.old, o), _place(self.new, n))
        for group in staying.values():
            group.sort(key=lambda pair: self.new.pos[id(pair[1])])
            kept = match.kept_order([self.old.pos[id(o)] for o, _ in group])
            for k, (o, n) in enumerate(group):
                if k not in kept:
                    moved[id(n)] = (f"调整顺序，{_position(self.new, n)}", _place(self.old, o), _place(self.new, n))
        return moved

    # -- paragraphs -------------------------------------------------------------------------------
    def _match_paragraphs(self) -> None:
        """Paragraphs of each pair of matched sections (and of the top level), aligned by position."""
        parents: list[tuple[Section | None, Section | None]] = [(None, None), *self.section_pairs]
        for old_parent, new_parent in parents:
            old = [b for b in self.old.children(old_parent) if isinstance(b, Paragraph)]
            new = [b for b in self.new.children(new_parent) if isinstance(b, Paragraph)]
            group = _Paragraphs(old, new, [texts.paragraph(p) for p in old], [texts.paragraph(p) for p in new])
            same, group.reworded = match.align(group.old_text, group.new_text, _alike)
            group.paired = same + group.reworded
            self.partner.update({id(old[i]): new[j] for i, j in group.paired})
            self.paragraph_groups.append(group)

    def _paragraphs(self) -> None:
        for g in self.paragraph_groups:
            for i, j in g.reworded:
                self._paragraph(g.old[i], g.new[j])
            for i in _unpaired_old(g.paired, len(g.old)):
                self._emit(self._at_old(g.old[i]), Change(
                    Element.PARAGRAPH, Kind.REMOVED, self._paragraph_subject(g.old[i], self.old), "删去段落",
                    old=g.old_text[i], section=self.old.path(g.old[i]), old_loc=g.old[i].loc))
            for j in _unpaired_new(g.paired, len(g.new)):
                self._emit(self._at_new(g.new[j]), Change(
                    Element.PARAGRAPH, Kind.ADDED, self._paragraph_subject(g.new[j], self.new), "新增段落",
                    new=g.new_text[j], section=self.new.path(g.new[j]), new_loc=g.new[j].loc))

    def _paragraph(self, o: Paragraph, n: Paragraph) -> None:
        """A paragraph changed in place: its words as edits, its 阶段 and 指标 as values."""
        key, subject = self._at_new(n), self._paragraph_subject(n, self.new)
        base = dict(section=self.new.path(n), old_loc=o.loc, new_loc=n.loc)
        old_words, new_words = texts.paragraph_words(o), texts.paragraph_words(n)
        if old_words != new_words:
            self._emit(key, Change(Element.PARAGRAPH, Kind.REWORDED, subject,
                                   _reword_note(old_words, new_words, "修改段落表述"), old_words, new_words, **base))
        old_stages, new_stages = texts.milestones(o.stages), texts.milestones(n.stages)
        if old_stages != new_stages:
            self._emit(key, Change(Element.PARAGRAPH, Kind.DEADLINE, subject, _stages_note(o.stages, n.stages),
                                   shown("阶段", old_stages or None), shown("阶段", new_stages or None),
                                   field="阶段", **base))
        for name, old_t, new_t in _target_pairs(o.targets, n.targets):
            self._emit(key, Change(Element.PARAGRAPH, Kind.TARGET, subject, _target_note(name, old_t, new_t),
                                   shown("指标", old_t and texts.target(old_t)),
                                   shown("指标", new_t and texts.target(new_t)), field=name,
                                   section=self.new.path(n), old_loc=old_t.loc if old_t else o.loc,
                                   new_loc=new_t.loc if new_t else n.loc))

    @staticmethod
    def _paragraph_subject(paragraph: Paragraph, tree: _Tree) -> str:
        parent = tree.parent[id(paragraph)]
        where = f"“{parent.title.value}”中的段落" if parent else "正文段落"
        return where + (f"“{paragraph.lead.value}”" if paragraph.lead else "")

    # -- tasks ------------------------------------------------------------------------------------
    def _tasks(self) -> None:
        matched_new = {id(n) for _, n in self.task_pairs}
        for o in self.old.tasks:
            if id(o) not in self.partner:
                self._emit(self._at_old(o), Change(
                    Element.TASK, Kind.REMOVED, _task_subject(o, self.old.plan.markers), "删去任务",
                    old=texts.task_in_full(o, number=printed_number(o, self.old.plan.markers)), id=o.id,
                    section=self.old.path(o), old_loc=o.loc))
        for n in self.new.tasks:
            if id(n) not in matched_new:
                self._emit(self._at_new(n), Change(
                    Element.TASK, Kind.ADDED, _task_subject(n, self.new.plan.markers), "新增任务",
                    new=texts.task_in_full(n, number=printed_number(n, self.new.plan.markers)), id=n.id,
                    section=self.new.path(n), new_loc=n.loc))
        moves = self._moves(self.task_pairs)
        for o, n in self.task_pairs:
            self._task(o, n, moves.get(id(n)))

    def _task(self, o: Task, n: Task, moved: tuple[str, str, str] | None) -> None:
        key, subject = self._at_new(n), _task_subject(n, self.new.plan.markers)
        base = dict(id=n.id, old_id=o.id if o.id != n.id else None, section=self.new.path(n))

        def emit(kind: Kind, note: str, old: str | None = None, new: str | None = None, field: str | None = None,
                 old_loc: Location | None = None, new_loc: Location | None = None) -> None:
            self._emit(key, Change(Element.TASK, kind, subject, note, old, new, field=field,
                                   old_loc=old_loc or o.loc, new_loc=new_loc or n.loc, **base))

        if o.id != n.id:
            emit(Kind.RENAMED, f"任务编号由{o.id}调整为{n.id}", f"编号：{o.id}", f"编号：{n.id}", "编号", o.id_loc, n.id_loc)
        if moved:
            emit(Kind.MOVED, *moved)
        old_text, new_text = texts.task(o), texts.task(n)
        if old_text != new_text:
            emit(Kind.REWORDED, _reword_note(old_text, new_text, "修改任务表述"), old_text, new_text)
        if not self._explained_by_section(o, n, "responsibility"):
            old_r, new_r = o.effective_responsibility, n.effective_responsibility
            if texts.units(old_r) != texts.units(new_r):
                emit(Kind.RESPONSIBILITY, _units_note(old_r, new_r), shown("责任单位", texts.units(old_r) or None),
                     shown("责任单位", texts.units(new_r) or None), "责任单位",
                     old_r.loc if old_r else None, new_r.loc if new_r else None)
        if not self._explained_by_section(o, n, "deadline"):
            old_d, new_d = o.effective_deadline, n.effective_deadline
            if texts.deadline(old_d) != texts.deadline(new_d):
                emit(Kind.DEADLINE, _deadline_note(old_d, new_d), shown("完成时限", texts.deadline(old_d) or None),
                     shown("完成时限", texts.deadline(new_d) or None), "完成时限",
                     old_d.loc if old_d else None, new_d.loc if new_d else None)
        for name, old_t, new_t in _target_pairs(o.targets, n.targets):
            emit(Kind.TARGET, _target_note(name, old_t, new_t), shown("指标", old_t and texts.target(old_t)),
                 shown("指标", new_t and texts.target(new_t)), name,
                 old_t.loc if old_t else None, new_t.loc if new_t else None)
        for label, attr in (("上级任务", "parent_id"), ("附件", "attachment"), ("备注", "remark")):
            old_v, new_v = getattr(o, attr), getattr(n, attr)
            if (old_v.value if old_v else None) != (new_v.value if new_v else None):
                emit(Kind.CHANGED, value_note(label, old_v and old_v.value, new_v and new_v.value),
                     shown(label, old_v and old_v.value), shown(label, new_v and new_v.value), label,
                     old_v.loc if old_v else None, new_v.loc if new_v else None)

    def _explained_by_section(self, o: Task, n: Task, attr: str) -> bool:
        """True when both revisions take the value from the same (matched) section: reported there."""
        old_source, new_source = _source(o, attr), _source(n, attr)
        return old_source is not None and new_source is not None and self.partner.get(id(old_source)) is new_source

    # -- attachments ------------------------------------------------------------------------------
    def _attachments(self) -> None:
        old, new = self.old.plan.attachments, self.new.plan.attachments
        pairs = match.pair(old, new, lambda a: a.title.value,
                           lambda i, j: inline.similarity(texts.attachment(old[i]), texts.attachment(new[j])), 0.5)
        for i in _unpaired_old(pairs, len(old)):
            self._emit((_ATTACHMENTS, match.anchor(pairs, i), i), Change(
                Element.ATTACHMENT, Kind.REMOVED, f"附件“{old[i].title.value}”", "删去附件",
                old=texts.attachment(old[i]), old_loc=old[i].loc))
        for j in _unpaired_new(pairs, len(new)):
            self._emit((_ATTACHMENTS, float(j), 0), Change(
                Element.ATTACHMENT, Kind.ADDED, f"附件“{new[j].title.value}”", "新增附件",
                new=texts.attachment(new[j]), new_loc=new[j].loc))
        for i, j in pairs:
            self._attachment(old[i], new[j], float(j))

    def _attachment(self, o: Attachment, n: Attachment, position: float) -> None:
        subject = f"附件“{n.title.value}”"
        base = dict(old_loc=o.loc, new_loc=n.loc)
        key = (_ATTACHMENTS, position, 0)
        if o.title.value != n.title.value:
            self._emit(key, Change(Element.ATTACHMENT, Kind.RENAMED, subject,
                                   value_note("附件标题", o.title.value, n.title.value), o.title.value,
                                   n.title.value, field="标题", **base))
        if o.columns != n.columns:
            self._emit(key, Change(Element.ATTACHMENT, Kind.CHANGED, subject, "调整表格列",
                                   texts.table_row(o.columns), texts.table_row(n.columns), field="列", **base))
        old_rows, new_rows = [texts.table_row(r) for r in o.rows], [texts.table_row(r) for r in n.rows]
        same, reworded = match.align(old_rows, new_rows, _alike)
        for i, j in reworded:  # rows are ordered after the table's own changes, by their new position
            self._emit((_ATTACHMENTS, position, 1 + j), Change(
                Element.ATTACHMENT, Kind.REWORDED, subject, _reword_note(old_rows[i], new_rows[j], "修改表格行"),
                old_rows[i], new_rows[j], field="行", **base))
        for i in _unpaired_old(same + reworded, len(old_rows)):
            self._emit((_ATTACHMENTS, position, 1 + match.anchor(same + reworded, i)), Change(
                Element.ATTACHMENT, Kind.REMOVED, subject, "删去表格行", old=old_rows[i], field="行", **base))
        for j in _unpaired_new(same + reworded, len(new_rows)):
            self._emit((_ATTACHMENTS, position, 1 + j), Change(
                Element.ATTACHMENT, Kind.ADDED, subject, "新增表格行", new=new_rows[j], field="行", **base))


def _alike(old: str, new: str) -> bool:
    """Two texts in the same place are one reworded text, not a removal and an addition."""
    return inline.similarity(old, new) >= REWORD_THRESHOLD


def _unpaired_old(pairs: match.Pairs, count: int) -> list[int]:
    paired = {i for i, _ in pairs}
    return [i for i in range(count) if i not in paired]


def _unpaired_new(pairs: match.Pairs, count: int) -> list[int]:
    paired = {j for _, j in pairs}
    return [j for j in range(count) if j not in paired]


# -- notes ----------------------------------------------------------------------------------------


def _units_note(old, new) -> str:
    """牵头单位增加“X”；配合单位删去“Y”；“Z”由配合单位调整为牵头单位."""
    if old is None or new is None:
        return value_note("责任单位", texts.units(old) or None, texts.units(new) or None)
    roles = {"牵头单位": ([u.name for u in old.lead], [u.name for u in new.lead]),
             "配合单位": ([u.name for u in old.support], [u.name for u in new.support])}
    parts: list[str] = []
    switched = [u for u in roles["配合单位"][0] if u in roles["牵头单位"][1] and u not in roles["牵头单位"][0]]
    switched += [u for u in roles["牵头单位"][0] if u in roles["配合单位"][1] and u not in roles["配合单位"][0]]
    for role, (before, after) in roles.items():
        added = [u for u in after if u not in before and u not in switched]
        removed = [u for u in before if u not in after and u not in switched]
        if added and removed and len(added) == len(before) and not set(before) & set(after):
            parts.append(f"{role}由{_names(before)}调整为{_names(after)}")
            continue
        if added:
            parts.append(f"{role}增加{_names(added)}")
        if removed:
            parts.append(f"{role}删去{_names(removed)}")
    for unit in switched:
        to_lead = unit in roles["牵头单位"][1]
        parts.append(f"“{unit}”由{'配合' if to_lead else '牵头'}单位调整为{'牵头' if to_lead else '配合'}单位")
    return "；".join(parts) or "调整责任单位的排列顺序"


def _names(units: Iterable[str]) -> str:
    return "、".join(f"“{u}”" for u in units)


def _deadline_note(old, new) -> str:
    """完成时限由2025年底前调整为2025年6月底前 (phrases), or 调整“…”阶段的工作内容 (contents only)."""
    old_phrases, new_phrases = texts.deadline_phrases(old), texts.deadline_phrases(new)
    if old_phrases != new_phrases:
        return value_note("完成时限", old_phrases or None, new_phrases or None, quoted=False)
    changed = [m.phrase for m, k in zip(old.milestones, new.milestones) if m.content != k.content]
    return f"调整{'、'.join(changed)}阶段的工作内容"


def _target_pairs(old: Sequence[Target], new: Sequence[Target]) -> list[tuple[str, Target | None, Target | None]]:
    """(name, old, new) for each target, by name, whose value differs (added and removed ones too)."""
    old_by, new_by = {t.name: t for t in old}, {t.name: t for t in new}
    out = []
    for name in [*old_by, *(k for k in new_by if k not in old_by)]:
        old_t, new_t = old_by.get(name), new_by.get(name)
        if (old_t and texts.target_value(old_t)) != (new_t and texts.target_value(new_t)):
            out.append((name, old_t, new_t))
    return out


def _amount(value: float | None, unit: str) -> str:
    return "未写" if value is None else f"{texts.number(value)}{unit}"


def _target_note(name: str, old: Target | None, new: Target | None) -> str:
    """指标“死亡人数”目标值由18人调整为16人；2025年由4场调整为5场: what changed, as values."""
    if old is None:
        return f"增加指标“{name}”：{texts.target_value(new)}"
    if new is None:
        return f"删去指标“{name}”"
    parts = []
    if old.op != new.op:
        parts.append(_adjusted("要求", old.op, new.op))
    if (old.value, old.unit) != (new.value, new.unit):
        parts.append(_adjusted("目标值", _amount(old.value, old.unit), _amount(new.value, new.unit)))
    for year in sorted(set(old.by_year) | set(new.by_year)):
        before, after = old.by_year.get(year), new.by_year.get(year)
        if (before, old.unit) != (after, new.unit):
            parts.append(_adjusted(f"{year}年", _amount(before, old.unit), _amount(after, new.unit)))
    mismatch = new.parts_mismatch()
    return f"指标“{name}”" + "；".join(parts) + (f"（注意：{mismatch}）" if mismatch else "")


def _adjusted(name: str, old: str, new: str) -> str:
    """目标值由18人调整为16人 (未写 for a value that was not there: 增加/删去)."""
    if old == "未写":
        return f"增加{name}{new}"
    if new == "未写":
        return f"删去{name}{old}"
    return f"{name}由{old}调整为{new}"


def _stages_note(old: Sequence[Milestone], new: Sequence[Milestone]) -> str:
    """阶段时限由2024年底前调整为2024年6月底前 (phrases), or 调整“…”阶段的工作内容 (contents only)."""
    old_phrases, new_phrases = [m.phrase for m in old], [m.phrase for m in new]
    if old_phrases != new_phrases:
        if len(old) == len(new):
            changed = [f"{a}调整为{b}" for a, b in zip(old_phrases, new_phrases) if a != b]
            return "阶段时限由" + "，".join(changed)
        return f"阶段时限由{'、'.join(old_phrases) or '无'}调整为{'、'.join(new_phrases) or '无'}"
    changed = [m.phrase for m, k in zip(old, new) if m.content != k.content]
    return f"调整{'、'.join(changed)}阶段的工作内容"


def compare(old: Plan, new: Plan) -> list[Change]:
    """Every change from `old` to `new`, in document order."""
    return _Comparer(old, new).run()
