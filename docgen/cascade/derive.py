"""Derive a child plan (plain data, ready to check and write) from a parent plan for one sub-organisation.

The child keeps the parent's structure; rewrites level words; keeps only the tasks that fall to the
lower level, each linked by 上级任务 and carrying the parent's id; maps units to the child's own;
inherits deadlines (optionally tightened); and takes its share of split targets. Pure: the caller
loads and writes.
"""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field

from docgen import deadlines, levelwords
from docgen.cascade import scope, targets
from docgen.deadlines import format_date, phrase_of, standalone
from docgen.errors import FindingsError
from docgen.model import Deadline, Plan, Section, Task
from docgen.registry import Organisation, Registry

_HAS_YEAR = re.compile(r"\d{4}年")


class DeriveError(FindingsError, ValueError):
    """The child cannot be derived; the message (Chinese) says what to add to the registry or plan (exit 1)."""


@dataclass(frozen=True)
class Options:
    #: Move every dated deadline this many months earlier than the parent's.
    earlier_months: int = 0


@dataclass
class Derived:
    org: Organisation
    data: dict
    #: Things the drafter should look at (units without counterpart…), written as comments.
    notes: list[str] = field(default_factory=list)


def version_of(text: str) -> str:
    """The version stamp of a parent plan's text (what 上级版本 records)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def child_title(title: str, parent_org: Organisation, child: Organisation) -> str:
    if parent_org.name in title:
        return title.replace(parent_org.name, child.name, 1)
    return child.name + title


def shift_months(date: dt.date, months: int) -> dt.date:
    """`date` moved `months` earlier; a month-end stays a month-end."""
    month_index = date.year * 12 + date.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    last = calendar.monthrange(year, month)[1]
    at_end = date.day == calendar.monthrange(date.year, date.month)[1]
    return dt.date(year, month, last if at_end else min(date.day, last))


class _Deriver:
    def __init__(self, parent: Plan, registry: Registry, child: Organisation, parent_ref: str, options: Options):
        self.parent = parent
        self.registry = registry
        self.child = child
        self.options = options
        self.parent_ref = parent_ref
        org = registry.organisation_of(parent.issuer.value)
        if org is None:
            raise DeriveError(f"上级方案的发文机关“{parent.issuer.value}”不在单位库中。")
        if child not in org.children:
            raise DeriveError(f"“{child.name}”不是“{org.name}”的直属下级组织，不能直接承接它的方案。")
        if not child.issuers:
            raise DeriveError(f"组织“{child.name}”没有登记发文机关，无法生成它的方案。请在单位库中为它登记“发文机关”。")
        self.parent_org = org
        self.words, missing = scope.word_mapping(org, child)
        # siblings mostly lack the same words: the parent's text is scanned once per set of them
        used_by_missing = parent.memo.setdefault("cascade.used_words", {})
        missing_key = frozenset(missing)
        if missing_key not in used_by_missing:
            finder = levelwords.pattern(missing)
            used_by_missing[missing_key] = sorted(
                {w for _, text, _ in parent.strings() for _, w in levelwords.scan(text, finder)}) if finder else []
        used = used_by_missing[missing_key]
        if used:
            labels = "、".join(f"“{missing[w]}”" for w in used)
            raise DeriveError(
                f"上级方案用了“{'、'.join(used)}”，但单位库中“{child.name}”的用语没有{labels}，无法改写。"
                f"请在单位库中为“{child.name}”的“用语”补上{labels}。")
        self.units = scope.UnitMapping(registry, org, child)
        # siblings mostly share their level words: each text of the parent is rewritten once per mapping
        self._rewritten: dict[str, str] = parent.memo.setdefault("cascade.rewritten", {}).setdefault(
            tuple(sorted(self.words.items())), {})
        self.attachments_needed: set[str] = set()
        self.periods = registry.periods_for(child)
        self._periods = deadlines.frozen(self.periods)
        self.deadline_notes: list[str] = []
        self._reads: dict[tuple[str, int], dt.date | None] = {}
        # A draft has no 成文日期: without the parent's 实施期限 it has no year of its own, so a phrase
        # the parent read in its 成文日期's year ("主汛期前") is written with that year.
        self._spell_year = "实施期限" not in parent.tree

    # -- text -----------------------------------------------------------------------------------
    def rw(self, text: str) -> str:
        text = str(text)
        out = self._rewritten.get(text)
        if out is None:
            out = self._rewritten[text] = levelwords.rewrite(text, self.words)
        return out

    def copy(self, node):
        """Deep copy of a raw node with level words rewritten in every string."""
        if isinstance(node, dict):
            return {k: self.copy(v) for k, v in node.items()}
        if isinstance(node, list):
            return [self.copy(v) for v in node]
        if isinstance(node, str):
            return self.rw(node)
        return node

    # -- the document ---------------------------------------------------------------------------
    def derive(self) -> Derived:
        p, child = self.parent, self.child
        issuer = child.issuers[0]
        title = child_title(p.title.value, self.parent_org, child)
        d = {}
        d["文种"] = p.kind
        d["标题"] = title
        d["发文机关"] = issuer.name
        d["上级方案"] = self.parent_ref
        if "cascade.version" not in p.memo:
            p.memo["cascade.version"] = version_of(p.source_text)
        d["上级版本"] = p.memo["cascade.version"]
        raw = p.tree
        for key in ("实施期限", "有效期至"):
            if key in raw:
                d[key] = self.copy(raw[key])
        d["主送"] = self._recipients()
        if "附注" in raw:
            d["附注"] = raw["附注"]
        basis = {}
        basis["标题"] = f"{p.issuer.value}关于印发《{p.title.value}》的通知"
        if p.doc_number:
            basis["发文字号"] = p.doc_number.value
        d["依据"] = [basis]
        if p.kind == "实施方案":
            notice = {}
            notice["正文"] = f"现将《{title}》印发给你们，请结合实际认真组织实施。"
            d["印发通知"] = notice
        if "编号方式" in raw:
            d["编号方式"] = raw["编号方式"]
        d["正文"] = self.blocks(raw["正文"], p.body)
        attachments = [self.copy(a) for a, m in zip(raw.get("附件", []), p.attachments)
                       if m.kind == "任务分工表" or m.title.value in self.attachments_needed]
        if attachments:
            d["附件"] = list(attachments)
        notes = []
        uncited = cite_parent(d["正文"], p, basis)
        if uncited:
            notes.append(uncited)
        notes += list(dict.fromkeys(self.deadline_notes))
        if self.units.unmapped:
            notes.append("上级责任单位在本级没有对口单位，已省略：" + "、".join(self.units.unmapped) + "。")
        return Derived(child, d, notes)

    def _recipients(self) -> list[str]:
        out = [w for w in (self.child.words.subunits,) if w and self.registry.resolve(self.child, w)]
        out += [g.name for g in self.child.groups if g.name.endswith("成员单位")]
        return out or [self.child.issuers[0].name]

    def blocks(self, raw_blocks, models) -> list:
        out = []
        for raw, model in zip(raw_blocks, models):
            if isinstance(model, Task):
                if scope.falls_to(model, self.registry, self.parent_org, self.child):
                    out.append(self.task(raw, model))
            elif isinstance(model, Section):
                section = self.section(raw, model)
                if section is not None:
                    out.append(section)
            else:
                para = self.copy(raw)
                if "附件" in para:
                    self.attachments_needed.add(raw["附件"])
                out.append(para)
        return out

    def section(self, raw, model: Section) -> dict | None:
        had_tasks = any(isinstance(b, Task) for b in _walk(model.children))
        children = self.blocks(raw.get("内容", []), model.children)
        if had_tasks and not any("任务" in b or _has_task(b) for b in children):
            return None
        s = {}
        s["标题"] = self.rw(raw["标题"])
        if "导语" in raw:
            s["导语"] = self.rw(raw["导语"])
        if "编号方式" in raw:  # a fixed 序号 is not kept: the child has fewer items
            s["编号方式"] = raw["编号方式"]
        if "责任单位" in raw:
            s["责任单位"] = self.responsibility(model.responsibility)
        if "完成时限" in raw:
            s["完成时限"] = self.deadline(raw["完成时限"], model.deadline)
        if children:
            s["内容"] = list(children)
        return s

    def task(self, raw, model: Task) -> dict:
        t = {}
        t["任务"] = self.rw(raw["任务"])
        t["编号"] = model.id
        t["上级任务"] = model.id
        for key in ("内容", "分项"):
            if key in raw:
                t[key] = self.copy(raw[key])
        if "责任单位" in raw:
            t["责任单位"] = self.responsibility(model.responsibility)
        own = self._own_batch(model)
        if own is not None and not isinstance(raw.get("完成时限"), list):
            # a phased target names this child in one batch: that batch's 时限 is the child's deadline
            t["完成时限"] = own
        elif "完成时限" in raw:
            t["完成时限"] = self.deadline(raw["完成时限"], model.deadline)
        if "指标" in raw:
            t["指标"] = [self.target(r, m) for r, m in zip(raw["指标"], model.targets)]
        if "附件" in raw:
            self.attachments_needed.add(raw["附件"])
            t["附件"] = raw["附件"]
        if "备注" in raw:
            t["备注"] = self.rw(raw["备注"])
        return t

    def responsibility(self, resp):
        lead, support = self.units.responsibility(resp)
        if not lead:
            names = "、".join(ref.name for ref in resp.all())
            words = [w for w in (self.child.words.subunits, self.child.words.office, self.child.words.committee) if w]
            hint = (f"请在单位库中“{self.child.name}”下登记单位或分组“{words[0]}”" if words
                    else f"请在单位库中为“{self.child.name}”的“用语”写上“安委办”，并把它登记为单位")
            raise DeriveError(
                f"责任单位“{names}”在“{self.child.name}”找不到承接的单位：它们指向“{self.child.name}”本身或其下级，"
                f"但单位库中“{self.child.name}”没有登记可承接的单位（下级统称、安委办或安委会）。{hint}；"
                f"或为“{names}”登记“对口”单位。")
        if not support:
            return lead[0] if len(lead) == 1 else list(lead)
        node = {}
        node["牵头"] = lead[0] if len(lead) == 1 else list(lead)
        node["配合"] = support[0] if len(support) == 1 else list(support)
        return node

    def _as_child_reads(self, m) -> str:
        """The phrase itself (with the year spelled out when the draft has no year of its own),
        unless the child reads it later than the parent does (a period such as 主汛期 the child
        registers with later dates): then the parent's date."""
        if m.date is None:
            return m.phrase
        own = f"{m.date.year}年{m.phrase}" if self._spell_year and not _HAS_YEAR.search(m.phrase) else m.phrase
        key = (m.phrase, m.date.year)
        if key not in self._reads:  # a plan repeats a few phrases many times: read each once
            parsed = deadlines.read(m.phrase, m.date.year, self._periods)
            self._reads[key] = None if isinstance(parsed, str) else parsed.date
        mine = self._reads[key]
        if mine is not None and mine <= m.date:
            return own
        phrase = phrase_of(m.date)
        self.deadline_notes.append(f"完成时限“{m.phrase}”按本级登记的时段晚于上级（{format_date(m.date)}），已改写为“{phrase}”。")
        return phrase

    def deadline(self, raw, model: Deadline):
        months = self.options.earlier_months
        if not months and all(self._as_child_reads(m) == m.phrase for m in model.milestones):
            return self.copy(raw)
        start = self.parent.period_start

        def moved(m) -> str:
            if m.date is None:
                return m.phrase
            if not months:
                return self._as_child_reads(m)
            date = shift_months(m.date, months)
            if start and date < start:
                date = start
            return phrase_of(date)

        if not isinstance(raw, list):
            return moved(model.milestones[0])
        out = []
        for item, m in zip(raw, model.milestones):
            if isinstance(item, dict):
                new = self.copy(item)
                new["时限"] = moved(m)
                out.append(new)
            else:
                out.append(moved(m))
        return out

    def target(self, raw, model) -> dict:
        t = self.copy(raw)
        if model.phases:
            self._own_phase(t, model)
        if model.split is None:
            return t
        share = targets.shares_of(self.parent, model, self.parent_org)[self.child.name]
        t["目标值"] = targets.number(share.value)
        if share.by_year:
            years = {}
            for year, value in sorted(share.by_year.items()):
                years[year] = targets.number(value)
            t["分年度"] = years
        if model.split.method == "按表":
            del t["分解"]  # the table names the parent's sub-organisations, not the child's
        return t

    def _names_child(self, phase) -> bool:
        for ref in phase.units:
            resolved = self.registry.resolve(self.parent_org, ref.name)
            if resolved is not None and resolved.kind == "suborg" and resolved.org.name == self.child.name:
                return True
        return False

    def _own_phase(self, t: dict, model) -> None:
        """A phased target (分期) keeps, in the child, only the child's batch: its deadline and value."""
        del t["分期"]
        for phase in model.phases:
            if self._names_child(phase):
                t["完成时限"] = standalone(phase.deadline)
                if phase.value is not None:
                    t["目标值"] = targets.number(phase.value)
                return

    def _own_batch(self, task: Task) -> str | None:
        """The 时限 of the batch (分期) of the task's targets that names the child (the latest, when
        several do), or None: the task's deadline in the child plan."""
        mine = [phase.deadline for target in task.targets for phase in target.phases if self._names_child(phase)]
        if not mine:
            return None
        dated = [m for m in mine if m.date is not None]
        return standalone(max(dated, key=lambda m: m.date) if dated else mine[-1])


def _quoted(title: str) -> str:
    """《title》, the titles it quotes itself in 〈〉 (GB/T 15834)."""
    return "《" + title.replace("《", "〈").replace("》", "〉") + "》"


def cite_parent(body: list, parent: Plan, basis: dict) -> str | None:
    """Make the draft's opening paragraph cite the parent plan (`basis`) where the parent cited its own basis.

    The parent's opening paragraph says “按照《省里的通知》（省发文字号）要求”; the child's must say
    “按照《市里关于印发〈市级方案〉的通知》（市发文字号）要求”. Returns a note for the drafter when
    the opening paragraph cites nothing that can be rewritten (the drafter writes the sentence).
    """
    opening = body[0] if body and isinstance(body[0], dict) and "段落" in body[0] else None
    citation = _quoted(basis["标题"]) + (f"（{basis['发文字号']}）" if "发文字号" in basis else "")
    advice = f"请在开篇段落写明依据：按照{citation}要求。"
    if opening is None:
        return "正文开头没有段落。" + advice
    number = r"(?:（[^（）]*〔\d{4}〕[^（）]*号）)?"
    cited = [re.escape(_quoted(b.title.value)) + number for b in parent.basis]
    cited += [r"《[^《》]*》（" + re.escape(b.doc_number.value) + "）" for b in parent.basis if b.doc_number]
    for pattern in cited:
        text, count = re.subn(pattern, lambda _: citation, str(opening["段落"]), count=1)
        if count:
            opening["段落"] = text
            return None
    return "开篇段落没有引用上级方案所依据的文件，未能改写依据句。" + advice


def _walk(blocks):
    for b in blocks:
        yield b
        if isinstance(b, Section):
            yield from _walk(b.children)


def _has_task(node) -> bool:
    return isinstance(node, dict) and any("任务" in c or _has_task(c) for c in node.get("内容", []))


def derive(parent: Plan, registry: Registry, child: Organisation, parent_ref: str,
           options: Options = Options()) -> Derived:
    """The child plan of `child` derived from `parent`; `parent_ref` is 上级方案 (a relative path).

    Raises `DeriveError` (or `targets.SplitError`) with a Chinese message when it cannot be done.
    """
    return _Deriver(parent, registry, child, parent_ref, options).derive()
