"""`docgen units [词]`: the registered units, groups and sub-organisations, listed or searched.

A drafter looks a unit up here rather than in the registry's YAML: each entry shows the name to
write, its 全称, 别名, 对口 (the unit of the level above it answers to) and where it is registered.
A word matches any of those names (应急 finds 市应急管理局 and the towns' 安办, whose 别名 is 应急办
and whose 对口 is 市应急管理局); when nothing contains the word, the closest names are offered
(`docgen.unitmatch`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from docgen import unitmatch
from docgen.checked import Loaded, load_registry
from docgen.config import Settings
from docgen.problems import Problem
from docgen.registry import Organisation, Registry


@dataclass
class Entry:
    """One registered name a plan may use."""

    org: str
    kind: str  # 单位, 单位组, 下级组织
    name: str
    full_name: str = ""
    aliases: tuple[str, ...] = ()
    counterparts: tuple[str, ...] = ()
    members: tuple[str, ...] = ()
    where: str = ""
    #: Why a search offers it when it does not contain the word (a close name).
    why: str = ""

    def names(self) -> list[str]:
        return [self.name, self.full_name, *self.aliases]

    def as_dict(self) -> dict[str, object]:
        out = {"组织": self.org, "类别": self.kind, "名称": self.name, "全称": self.full_name,
               "别名": list(self.aliases), "对口": list(self.counterparts), "成员": list(self.members),
               "位置": self.where}
        if self.why:
            out["说明"] = self.why
        return out


@dataclass
class Listing:
    entries: list[Entry] = field(default_factory=list)
    #: The registry's own findings (a registry that does not load is listed as far as it goes).
    problems: list[Problem] = field(default_factory=list)
    #: True when no entry contains the word and the entries are the closest names instead.
    close: bool = False


def _entries(registry: Registry, org: Organisation) -> list[Entry]:
    out = [Entry(org.name, "单位", u.name, u.full_name or "", tuple(u.aliases), tuple(u.counterparts),
                 where=str(u.loc)) for u in org.units]
    out += [Entry(org.name, "单位组", g.name, aliases=tuple(g.aliases), members=tuple(g.members), where=str(g.loc))
            for g in org.groups]
    out += [Entry(org.name, "下级组织", c.name, where=str(c.loc)) for c in org.children]
    return out


def _in_order(registry: Registry) -> list[Organisation]:
    """Organisations from the top down, each followed by those below it."""
    out: list[Organisation] = []

    def walk(org: Organisation) -> None:
        out.append(org)
        for child in org.children:
            walk(child)

    for org in registry.orgs.values():
        if not org.parent or org.parent not in registry.orgs:
            walk(org)
    return out


def units(settings: Settings, word: str = "", org_name: str = "", base: Path | None = None) -> Listing:
    """The registry's entries (of `org_name` only, when given), those matching `word` when given."""
    base = base or Path.cwd()
    loaded = Loaded()
    registry = load_registry(settings, loaded, base).registry
    orgs = _in_order(registry)
    if org_name:
        orgs = [o for o in orgs if o.name == org_name or org_name in [i.name for i in o.issuers]]
    listing = Listing(problems=list(loaded.problems))
    everything = [(org, e) for org in orgs for e in _entries(registry, org)]
    if not word:
        listing.entries = [e for _, e in everything]
        return listing
    listing.entries = [e for _, e in everything
                       if any(word in n for n in (*e.names(), *e.counterparts, *e.members) if n)]
    if listing.entries:
        return listing
    listing.close = True
    for org in orgs:
        found = {s.unit: s for s in unitmatch.suggest(registry, org, word)}
        for entry in _entries(registry, org):
            if entry.name in found:
                entry.why = found[entry.name].why
                listing.entries.append(entry)
    return listing
