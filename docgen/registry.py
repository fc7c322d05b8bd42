"""The unit registry: organisations by level, their issuing organs, units, groups and level words.

Built from validated registry sources (`Registry.build`); answers the questions other stages ask:
which organisation issues under this organ, does this name exist for that organisation, what does a
group expand to, which names are close to a misspelt one. No I/O.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from docgen import deadlines
from docgen.deadlines import NamedPeriod
from docgen.load import Source
from docgen.problems import Location
from docgen.textchars import first_control

#: Levels from the top down; a child organisation sits strictly below its parent.
LEVELS = ("国家", "省", "市", "区县", "乡镇街道", "村社区")
#: The national level (国务院安委会…) stands above 省: rank -1, so that 省 stays 0.
NATIONAL = "国家"
#: Functional areas outside the administrative chain (经济开发区管委会, 新区管委会, 平台…): attached
#: under an organisation of any level, they sit just below it (between its level and the next).
FUNCTIONAL = ("开发区", "新区", "管委会", "平台")


@dataclass(frozen=True)
class LevelWords:
    """How an organisation names itself in documents (全市, 市, 各乡镇（街道）, 市安委会…)."""

    whole: str
    short: str
    subunits: str | None = None
    committee: str | None = None
    office: str | None = None

    def all(self) -> list[str]:
        return [w for w in (self.whole, self.subunits, self.committee, self.office) if w]


@dataclass(frozen=True)
class Issuer:
    name: str
    mark: str
    prefix: str
    loc: Location


@dataclass(frozen=True)
class Unit:
    name: str
    full_name: str | None
    aliases: tuple[str, ...]
    counterparts: tuple[str, ...]
    loc: Location


@dataclass(frozen=True)
class Group:
    name: str
    aliases: tuple[str, ...]
    members: tuple[str, ...]
    all_children: bool
    loc: Location
    member_locs: tuple[Location, ...] = ()


@dataclass
class Organisation:
    name: str
    level: str
    parent: str | None
    words: LevelWords
    issuers: list[Issuer]
    units: list[Unit]
    groups: list[Group]
    data: dict[str, float]
    loc: Location
    parent_loc: Location | None = None
    #: The organisation's own Word template (`模板`): its path, resolved against the registry file,
    #: and where it is written.
    template: tuple[Path, Location] | None = None
    children: list[Organisation] = field(default_factory=list)
    #: Named periods (时段) plans of this organisation and its sub-organisations may name.
    periods: list[tuple[NamedPeriod, tuple[str, ...]]] = field(default_factory=list)

    @property
    def rank(self) -> float:
        """Depth in the chain of levels (国家 -1, 省 0 … 村社区 4); a functional area sits half a
        level below its parent (0.5 below the top when it has none)."""
        if self.level in LEVELS:
            return LEVELS.index(self.level) - 1
        return self.parent_rank + 0.5

    @property
    def functional(self) -> bool:
        return self.level in FUNCTIONAL

    #: The parent's rank, set when the registry is linked (for functional areas).
    parent_rank: float = -0.5


@dataclass(frozen=True)
class Resolved:
    """What a name in a plan refers to, seen from one organisation."""

    kind: str  # "unit", "group", "suborg", "issuer"
    name: str  # canonical name
    org: Organisation


def folder_name(name: str) -> bool:
    """Whether `name` can name one folder inside another (no separator, not hidden, not a path)."""
    return bool(name.strip()) and not any(c in name for c in "/\\\x00") and not name.startswith(".")


@dataclass(frozen=True)
class RegistryIssue:
    """A structural problem found while building the registry (reported by rule DG203)."""

    message: str
    loc: Location


class Registry:
    """All organisations, indexed by name and by issuing organ."""

    def __init__(self) -> None:
        self.orgs: dict[str, Organisation] = {}
        self.issues: list[RegistryIssue] = []
        #: Control and invisible characters in registry text (names reach documents): rule DG408.
        self.text_issues: list[RegistryIssue] = []
        self._by_issuer: dict[str, tuple[Organisation, Issuer]] = {}
        self._names: dict[str, dict[str, Resolved]] = {}
        # memos of lookups that only depend on the (built, then unchanged) registry: a cascade asks
        # them again for every child, and foreign_words walks every organisation each time
        self._expanded: dict[tuple[str, str], tuple[str, ...]] = {}
        self._foreign: dict[tuple, tuple[tuple[str, Organisation], ...]] = {}

    # -- building -------------------------------------------------------------------------------
    @classmethod
    def build(cls, sources: Iterable[Source]) -> Registry:
        registry = cls()
        for source in sources:
            registry._scan_text(source)
            for i, raw in enumerate(source.data["组织"]):
                registry._add(source, raw, source.item(source.data["组织"], i))
        registry._link()
        return registry

    def _scan_text(self, source: Source) -> None:
        for _, value, loc in source.strings():
            found = first_control(value)
            if found:
                offset, _, message = found
                self.text_issues.append(RegistryIssue(message, source.text_at(loc, value, offset)))

    def _add(self, src: Source, raw, loc: Location) -> None:
        words = raw["用语"]
        org = Organisation(
            name=str(raw["名称"]),
            level=str(raw["层级"]),
            parent=str(raw["上级"]) if raw.get("上级") else None,
            words=LevelWords(
                whole=words["全域"], short=words["本级"], subunits=words.get("下级统称"),
                committee=words.get("安委会"), office=words.get("安委办"),
            ),
            issuers=[
                Issuer(i["名称"], i.get("标志") or f"{i['名称']}文件", i["发文字号前缀"], src.node(i))
                for i in raw.get("发文机关", [])
            ],
            units=[
                Unit(u["名称"], u.get("全称"), tuple(u.get("别名", [])), tuple(u.get("对口", [])), src.node(u))
                for u in raw.get("单位", [])
            ],
            groups=[
                Group(
                    g["名称"], tuple(g.get("别名", [])), tuple(g.get("成员", [])), bool(g.get("全部下级", False)),
                    src.node(g),
                    tuple(src.item(g["成员"], j) for j in range(len(g.get("成员", [])))),
                )
                for g in raw.get("分组", [])
            ],
            data={k: float(v) for k, v in raw.get("数据", {}).items()},
            loc=src.value(raw, "名称"),
            parent_loc=src.value(raw, "上级") if raw.get("上级") else None,
            template=(src.path.parent / str(raw["模板"]), src.value(raw, "模板")) if "模板" in raw else None,
        )
        for j, raw_period in enumerate(raw.get("时段", [])):
            period = self._period(src, raw_period, src.item(raw["时段"], j))
            if period is not None:
                org.periods.append((period, tuple(str(a) for a in raw_period.get("别名", []))))
        if not folder_name(org.name):
            self.issues.append(RegistryIssue(
                f"组织名称“{org.name}”不能用作目录名：docgen cascade 把下级方案写在以组织名称命名的目录中，"
                "名称中不能有“/”“\\”，不能以“.”开头，也不能是路径。请写组织的名称，例如“东湖街道”。", org.loc))
        if org.name in self.orgs:
            first = self.orgs[org.name].loc
            self.issues.append(RegistryIssue(
                f"组织“{org.name}”重复登记（第一次在 {first}）。请删除或合并其中一处。", org.loc))
            return
        self.orgs[org.name] = org
        for issuer in org.issuers:
            if issuer.name in self._by_issuer:
                self.issues.append(RegistryIssue(
                    f"发文机关“{issuer.name}”在多个组织下登记。请只保留一处。", issuer.loc))
            else:
                self._by_issuer[issuer.name] = (org, issuer)

    def _period(self, src: Source, raw, loc: Location) -> NamedPeriod | None:
        """A `时段` entry: 起 and 止 as "6月1日" (every year) or "2026年2月17日" (that year only)."""
        ends = []
        years = set()
        for key in ("起", "止"):
            text = str(raw[key])
            if m := re.match(r"^(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日$", text):
                year = int(m.group(1)) if m.group(1) else None
                month, day = int(m.group(2)), int(m.group(3))
                try:
                    dt.date(year or 2024, month, day)  # 2024: a leap year, 2月29日 is allowed
                except ValueError:
                    m = None
            if not m:
                self.issues.append(RegistryIssue(
                    f"时段“{raw['名称']}”的{key}“{text}”看不懂。请写作“6月1日”（每年相同）或“2026年2月17日”（仅当年）。",
                    src.value(raw, key)))
                return None
            years.add(year)
            ends.append((month, day))
        if len(years) > 1 and None in years:
            self.issues.append(RegistryIssue(
                f"时段“{raw['名称']}”的起止日期一个写了年份、一个没写。请都写年份（仅当年）或都不写（每年相同）。", loc))
            return None
        year = next(iter(years))
        return NamedPeriod(str(raw["名称"]), ends[0], ends[1], year)

    def periods_for(self, org: Organisation) -> deadlines.Periods:
        """The named periods a plan of `org` may use: its own, then its parents' (the nearest
        organisation that registers a name decides its dates)."""
        out: deadlines.Periods = {}
        current: Organisation | None = org
        seen: set[str] = set()
        while current is not None and current.name not in seen:
            seen.add(current.name)
            mine: deadlines.Periods = {}
            for period, aliases in current.periods:
                for name in (period.name, *aliases):
                    if name not in out:
                        mine.setdefault(name, []).append(period)
            out.update(mine)
            current = self.orgs.get(current.parent) if current.parent else None
        return out

    def _link(self) -> None:
        for org in self.orgs.values():
            if org.parent is None:
                continue
            parent = self.orgs.get(org.parent)
            if parent is None:
                hint = _did_you_mean(org.parent, self.orgs)
                self.issues.append(RegistryIssue(
                    f"组织“{org.name}”的上级“{org.parent}”不在单位库中。{hint}", org.parent_loc or org.loc))
                continue
            parent.children.append(org)
        for org in self.orgs.values():
            self._set_rank(org)
        for org in self.orgs.values():
            self._check_cycle(org)
            parent = self.orgs.get(org.parent) if org.parent else None
            if parent is not None and org.rank <= parent.rank:
                self.issues.append(RegistryIssue(
                    f"组织“{org.name}”的层级“{org.level}”不低于上级“{parent.name}”的层级“{parent.level}”。"
                    f"下级组织的层级必须更低（{' > '.join(LEVELS)}；{'、'.join(FUNCTIONAL)}可挂在任一层级之下）。",
                    org.loc))
            self._check_names(org, parent)

    def _set_rank(self, org: Organisation) -> None:
        """A functional area's rank follows its parent's (which may itself be functional)."""
        chain, current = [], org
        while current.functional and current.parent in self.orgs and current not in chain:
            chain.append(current)
            current = self.orgs[current.parent]
        rank = current.rank if current not in chain else -0.5
        for functional in reversed(chain):
            functional.parent_rank = rank
            rank = functional.rank

    def _check_cycle(self, org: Organisation) -> None:
        seen = [org.name]
        current = org
        while current.parent and current.parent in self.orgs:
            current = self.orgs[current.parent]
            if current.name in seen:
                if current.name == org.name:
                    chain = " → ".join(seen + [org.name])
                    self.issues.append(RegistryIssue(
                        f"组织的上级关系形成了循环：{chain}。请改正其中一个“上级”。", org.parent_loc or org.loc))
                return
            seen.append(current.name)

    def _check_names(self, org: Organisation, parent: Organisation | None) -> None:
        seen: dict[str, Location] = {}
        for name, loc in self._declared_names(org):
            if name in seen:
                self.issues.append(RegistryIssue(
                    f"“{name}”在组织“{org.name}”中重复登记（第一次在 {seen[name]}）。同一组织内名称必须唯一。", loc))
            else:
                seen[name] = loc
        for group in org.groups:
            for member, loc in zip(group.members, group.member_locs):
                if self.resolve(org, member) is None:
                    self.issues.append(RegistryIssue(
                        f"单位组“{group.name}”的成员“{member}”不是“{org.name}”的单位、单位组或下级组织。"
                        f"{_did_you_mean(member, self.names(org))}", loc))
        for unit in org.units:
            for counterpart in unit.counterparts:
                if parent is None:
                    self.issues.append(RegistryIssue(
                        f"单位“{unit.name}”写了对口单位，但“{org.name}”没有上级组织。", unit.loc))
                elif self.resolve(parent, counterpart) is None:
                    self.issues.append(RegistryIssue(
                        f"单位“{unit.name}”的对口单位“{counterpart}”不在上级“{parent.name}”中。"
                        f"{_did_you_mean(counterpart, self.names(parent))}", unit.loc))

    @staticmethod
    def _declared_names(org: Organisation) -> Iterator[tuple[str, Location]]:
        for unit in org.units:
            for name in (unit.name, unit.full_name, *unit.aliases):
                if name:
                    yield name, unit.loc
        for group in org.groups:
            for name in (group.name, *group.aliases):
                yield name, group.loc

    # -- queries --------------------------------------------------------------------------------
    def organisation_of(self, issuer_name: str) -> Organisation | None:
        """The organisation an issuing organ (发文机关) belongs to."""
        found = self._by_issuer.get(issuer_name)
        return found[0] if found else None

    def issuer(self, issuer_name: str) -> Issuer | None:
        found = self._by_issuer.get(issuer_name)
        return found[1] if found else None

    def issuer_names(self) -> list[str]:
        return list(self._by_issuer)

    def names(self, org: Organisation) -> dict[str, Resolved]:
        """Every name a plan of `org` may use for a responsible unit, 主送 or 抄送."""
        cached = self._names.get(org.name)
        if cached is not None:
            return cached
        names: dict[str, Resolved] = {}
        for unit in org.units:
            for name in (unit.name, unit.full_name, *unit.aliases):
                if name:
                    names.setdefault(name, Resolved("unit", unit.name, org))
        for group in org.groups:
            for name in (group.name, *group.aliases):
                names.setdefault(name, Resolved("group", group.name, org))
        for child in org.children:
            names.setdefault(child.name, Resolved("suborg", child.name, child))
            for issuer in child.issuers:
                names.setdefault(issuer.name, Resolved("suborg", child.name, child))
        for issuer in org.issuers:
            names.setdefault(issuer.name, Resolved("issuer", issuer.name, org))
        self._names[org.name] = names
        return names

    def resolve(self, org: Organisation, name: str) -> Resolved | None:
        return self.names(org).get(name)

    def suggest(self, org: Organisation, name: str) -> str:
        """A Chinese "did you mean" sentence for a name not found in `org` (`docgen.unitmatch`)."""
        from docgen import unitmatch

        return unitmatch.sentence(unitmatch.suggest(self, org, name)) or "请先在单位库中登记，或改用已登记的名称。"

    def expand(self, org: Organisation, name: str) -> list[str]:
        """The units a name stands for, as canonical names (groups expanded, recursively)."""
        key = (org.name, name)
        cached = self._expanded.get(key)
        if cached is None:
            out: list[str] = []
            self._expand(org, name, out, set())
            cached = self._expanded[key] = tuple(out)
        return list(cached)

    def _expand(self, org: Organisation, name: str, out: list[str], seen: set[str]) -> None:
        resolved = self.resolve(org, name)
        if resolved is None or resolved.name in seen:
            return
        seen.add(resolved.name)
        if resolved.kind != "group":
            if resolved.name not in out:
                out.append(resolved.name)
            return
        group = next(g for g in org.groups if g.name == resolved.name)
        for member in group.members:
            self._expand(org, member, out, seen)
        if group.all_children:
            for child in org.children:
                if child.name not in out:
                    out.append(child.name)

    def descendants(self, org: Organisation) -> Iterator[Organisation]:
        for child in org.children:
            yield child
            yield from self.descendants(child)

    def foreign_words(self, org: Organisation) -> list[tuple[str, Organisation]]:
        """Words that do not belong in a document of `org`, each with an organisation using it.

        That is every other level's word for "the whole area" (全市 in a street plan, 全街道 in a city
        plan), and every word of a higher level (市安委会, 各乡镇（街道）in a street plan). Words for
        lower levels (各村（社区）in a city plan) are legitimate. Longest first.
        """
        key = (org.level, org.rank, tuple(org.words.all()))  # all that the answer depends on
        cached = self._foreign.get(key)
        if cached is None:
            cached = self._foreign[key] = tuple(self._foreign_words(org))
        return list(cached)

    def _foreign_words(self, org: Organisation) -> list[tuple[str, Organisation]]:
        own = set(org.words.all())
        out: dict[str, Organisation] = {}
        for other in self.orgs.values():
            if other.level == org.level:
                continue
            words = other.words.all() if other.rank < org.rank else [other.words.whole]
            for word in words:
                if word not in own and word not in out:
                    out[word] = other
        return sorted(out.items(), key=lambda item: -len(item[0]))


def _did_you_mean(name: str, candidates: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, list(candidates), n=3, cutoff=0.5)
    if not close:
        return "请先在单位库中登记，或改用已登记的名称。"
    return "您是否想写：" + "、".join(f"“{c}”" for c in close) + "？"
