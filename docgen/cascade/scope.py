"""What a child organisation inherits from its parent's plan: tasks, units and level words.

Pure functions over the registry and plan models; no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from docgen.model import Responsibility, Task, UnitRef
from docgen.registry import Organisation, Registry


def reaches(registry: Registry, parent_org: Organisation, name: str, child: Organisation) -> bool:
    """Whether the unit or group `name` (as written in a plan of `parent_org`) includes `child`."""
    return child.name in registry.expand(parent_org, name)


def falls_to(task: Task, registry: Registry, parent_org: Organisation, child: Organisation) -> bool:
    """Whether `task` is assigned to the lower level: a responsible unit includes `child`."""
    resp = task.effective_responsibility
    return bool(resp) and any(reaches(registry, parent_org, ref.name, child) for ref in resp.all())


@dataclass
class UnitMapping:
    """Maps the parent's responsible units to the child's own, as the registry declares.

    - a group of the parent that the child also has (same name) stays as it is;
    - a reference that includes sub-organisations (各乡镇（街道）, or the child itself) becomes the
      child's own sub-units (its 下级统称, e.g. 各村（社区）), or its 安委办 when it has none;
    - any other unit becomes the child's units whose 对口 names it; groups are expanded first.
    Units without a counterpart are dropped and listed in `unmapped`.
    """

    registry: Registry
    parent_org: Organisation
    child: Organisation
    unmapped: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._siblings = frozenset(c.name for c in self.parent_org.children)
        self._counterparts: dict[str, list[str]] = {}
        for unit in self.child.units:
            for name in unit.counterparts:
                resolved = self.registry.resolve(self.parent_org, name)
                key = resolved.name if resolved else name
                self._counterparts.setdefault(key, []).append(unit.name)
        self._mapped: dict[str, list[str]] = {}  # `_one` by name: a plan names the same units task after task

    def _own_subunits(self) -> list[str]:
        for word in (self.child.words.subunits, self.child.words.office, self.child.words.committee):
            if word and self.registry.resolve(self.child, word):
                return [word]
        return []

    def names(self, refs: tuple[UnitRef, ...]) -> list[str]:
        out: list[str] = []
        for ref in refs:
            mapped = self._mapped.get(ref.name)
            if mapped is None:  # (what it adds to `unmapped` the first time, it would add no more)
                mapped = self._mapped[ref.name] = self._one(ref.name)
            for name in mapped:
                if name not in out:
                    out.append(name)
        return out

    def _one(self, name: str) -> list[str]:
        resolved = self.registry.resolve(self.parent_org, name)
        if resolved is None:
            return []
        if resolved.kind == "group":
            mine = self.registry.resolve(self.child, resolved.name)
            if mine is not None and mine.kind == "group":
                return [resolved.name]
        members = self.registry.expand(self.parent_org, resolved.name)
        out: list[str] = []
        children = self._siblings
        if any(m in children for m in members):
            if self.child.name in members:
                out.extend(self._own_subunits())
            members = [m for m in members if m not in children]
        for member in members:
            mapped = self._counterparts.get(member)
            if mapped:
                out.extend(mapped)
            elif member not in self.unmapped:
                self.unmapped.append(member)
        return out

    def responsibility(self, resp: Responsibility) -> tuple[list[str], list[str]]:
        """(lead, support) names in the child. The lead is never empty when anything maps."""
        lead = self.names(resp.lead)
        support = [n for n in self.names(resp.support) if n not in lead]
        if not lead and support:
            lead, support = support[:1], support[1:]
        if not lead:
            lead = self._own_subunits()
        return lead, support


def word_mapping(parent_org: Organisation, child: Organisation) -> tuple[dict[str, str], dict[str, str]]:
    """Parent level word -> child level word; and parent word -> label of the child's missing word."""
    mapping: dict[str, str] = {}
    missing: dict[str, str] = {}
    for attr, label in (("whole", "全域"), ("committee", "安委会"), ("office", "安委办"), ("subunits", "下级统称")):
        theirs = getattr(parent_org.words, attr)
        mine = getattr(child.words, attr)
        if not theirs:
            continue
        if mine:
            mapping[theirs] = mine
        elif attr == "subunits":
            mapping[theirs] = f"本{child.words.short}"
        else:
            missing[theirs] = label
    mapping[f"我{parent_org.words.short}"] = f"我{child.words.short}"
    mapping[f"本{parent_org.words.short}"] = f"本{child.words.short}"
    return mapping, missing
