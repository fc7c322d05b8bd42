"""What changed between two revisions of a unit registry, in a reviewer's words.

Units are matched by name within their organisation; a unit gone from one organisation and found
under the same name in another has moved; a unit gone and another added in the same organisation
with the same 全称 (or the same 对口) has been renamed. For units kept, changes of 全称, 别名 and 对口
are reported by value; organisations and groups added or removed, and group members, too.
"""

from __future__ import annotations

from docgen.diff.changes import Change, Element, Kind
from docgen.registry import Organisation, Registry, Unit


def _units(registry: Registry) -> dict[tuple[str, str], Unit]:
    return {(org.name, unit.name): unit for org in registry.orgs.values() for unit in org.units}


def _list(name: str, old: tuple[str, ...], new: tuple[str, ...]) -> str | None:
    if old == new:
        return None
    added = [v for v in new if v not in old]
    removed = [v for v in old if v not in new]
    if not added and not removed:
        return f"{name}调整了顺序"
    if old and new and len(added) == len(removed) == 1:
        return f"{name}由“{removed[0]}”调整为“{added[0]}”"
    parts = (["增加" + "、".join(f"“{v}”" for v in added)] if added else []) + (
        ["删去" + "、".join(f"“{v}”" for v in removed)] if removed else [])
    return name + "，".join(parts)


def _unit_text(unit: Unit) -> str:
    lines = [f"单位：{unit.name}"]
    if unit.full_name:
        lines.append(f"全称：{unit.full_name}")
    if unit.aliases:
        lines.append(f"别名：{'、'.join(unit.aliases)}")
    if unit.counterparts:
        lines.append(f"对口：{'、'.join(unit.counterparts)}")
    return "\n".join(lines)


def compare_registries(old: Registry, new: Registry) -> list[Change]:
    """Every change from `old` to `new`: organisations, then units and groups, organisation by organisation."""
    out: list[Change] = []
    for name in [n for n in old.orgs if n not in new.orgs]:
        out.append(Change(Element.SECTION, Kind.REMOVED, f"组织“{name}”", "删去组织", old=name,
                          section=(name,), old_loc=old.orgs[name].loc))
    for name in [n for n in new.orgs if n not in old.orgs]:
        org = new.orgs[name]
        out.append(Change(Element.SECTION, Kind.ADDED, f"组织“{name}”", f"新增组织（{org.level}，上级：{org.parent or '无'}）",
                          new=name, section=(name,), new_loc=org.loc))
    before, after = _units(old), _units(new)
    gone = [key for key in before if key not in after]
    came = [key for key in after if key not in before]
    for key in list(gone):
        unit = before[key]
        moved = next((k for k in came if k[1] == key[1]), None)
        renamed = next((k for k in came if k[0] == key[0] and (
            (unit.full_name and after[k].full_name == unit.full_name)
            or (unit.counterparts and after[k].counterparts == unit.counterparts))), None)
        if moved is not None:
            out.append(Change(Element.TASK, Kind.MOVED, f"单位“{key[1]}”", f"由“{key[0]}”调至“{moved[0]}”",
                              old=f"{key[0]}：{key[1]}", new=f"{moved[0]}：{moved[1]}", section=(moved[0],),
                              old_loc=unit.loc, new_loc=after[moved].loc))
        elif renamed is not None:
            out.append(Change(Element.TASK, Kind.RENAMED, f"单位“{renamed[1]}”", f"名称由“{key[1]}”调整为“{renamed[1]}”",
                              old=_unit_text(unit), new=_unit_text(after[renamed]), section=(key[0],),
                              old_loc=unit.loc, new_loc=after[renamed].loc))
            came.remove(renamed)
            if renamed != key:
                out += _unit_fields(key[0], unit, after[renamed])
        else:
            if key[0] in new.orgs:
                out.append(Change(Element.TASK, Kind.REMOVED, f"单位“{key[1]}”", "删去单位", old=_unit_text(unit),
                                  section=(key[0],), old_loc=unit.loc))
            continue
        if moved is not None:
            came.remove(moved)
    for key in came:
        if key[0] in old.orgs:
            out.append(Change(Element.TASK, Kind.ADDED, f"单位“{key[1]}”", "新增单位", new=_unit_text(after[key]),
                              section=(key[0],), new_loc=after[key].loc))
    for key in [k for k in before if k in after]:
        out += _unit_fields(key[0], before[key], after[key])
    for name in [n for n in old.orgs if n in new.orgs]:
        out += _groups(old.orgs[name], new.orgs[name])
    return out


def _unit_fields(org: str, old: Unit, new: Unit) -> list[Change]:
    notes = [n for n in (
        None if old.full_name == new.full_name else f"全称由“{old.full_name or '（无）'}”调整为“{new.full_name or '（无）'}”",
        _list("别名", old.aliases, new.aliases),
        _list("对口", old.counterparts, new.counterparts)) if n]
    if not notes:
        return []
    return [Change(Element.TASK, Kind.CHANGED, f"单位“{new.name}”", "；".join(notes), old=_unit_text(old),
                   new=_unit_text(new), section=(org,), old_loc=old.loc, new_loc=new.loc)]


def _groups(old: Organisation, new: Organisation) -> list[Change]:
    out = []
    before, after = {g.name: g for g in old.groups}, {g.name: g for g in new.groups}
    for name, group in after.items():
        if name not in before:
            out.append(Change(Element.TASK, Kind.ADDED, f"单位组“{name}”", "新增单位组", new="、".join(group.members),
                              section=(new.name,), new_loc=group.loc))
            continue
        note = _list("成员", before[name].members, group.members)
        if note:
            out.append(Change(Element.TASK, Kind.CHANGED, f"单位组“{name}”", note, old="、".join(before[name].members),
                              new="、".join(group.members), section=(new.name,), old_loc=before[name].loc,
                              new_loc=group.loc))
    for name, group in before.items():
        if name not in after:
            out.append(Change(Element.TASK, Kind.REMOVED, f"单位组“{name}”", "删去单位组", old="、".join(group.members),
                              section=(old.name,), old_loc=group.loc))
    return out
