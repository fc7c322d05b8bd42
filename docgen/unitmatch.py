"""Which registered unit a name not in the registry most likely means, and why.

A drafter writes a unit the way people say it: a level word in front (镇应急管理所, 市应急管理据), a
generic ending that differs from the registered one (所/站/办/办公室), a homophone typed by a pinyin
input method (据 for 局), or a unit of the level above where the own level has a counterpart (市应急
管理局 in a town plan, where the town's 安办 is its 对口). Names are compared by their *stem* — the
name without level words and generic endings (应急 in 镇应急管理所, 应急办 and 安办's full name) —
so that a unit of another kind is never offered when one of the same kind is close (镇应急管理站
is not 交通管理站: 应急 is not 交通), then by the text and its pinyin (rapidfuzz, pypinyin).
No I/O; used by the rules (DG202), the editor's quick fixes and `docgen units`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz

#: Generic endings of unit names, longest first: they say what sort of office, not which one.
_ENDINGS = ("综合办公室", "办公室", "委员会", "服务中心", "管理局", "管理所", "管理站", "管理办", "管理处", "中心",
            "中队", "大队", "支队", "局", "所", "站", "办", "队", "部", "委", "会", "处", "科", "室")
#: Words in the middle of a name that do not tell offices apart.
_FILLERS = ("管理和", "管理", "和", "与", "及", "服务")
#: Level words a drafter may put in front of a name.
_LEVEL_WORDS = ("省", "市", "区", "县", "镇", "乡", "街道", "村", "社区")

#: Scores (0-100) above which a name is offered, and above which one is clear enough to be fixed.
OFFER, CLEAR = 60.0, 88.0


@dataclass(frozen=True)
class Suggestion:
    """A registered name to write instead, with the unit it stands for and why it is offered."""

    name: str
    unit: str
    why: str
    score: float
    #: Whether it may replace the written name by itself (`docgen check --fix`): one unit, near certain.
    clear: bool = False
    #: The registered spelling a fix writes (the closest one of the unit's names).
    write: str = ""


def strip_levels(name: str, prefixes: tuple[str, ...] = ()) -> str:
    """`name` without organisation names and level words in front (清溪市北山镇应急办 -> 应急办)."""
    for prefix in sorted(prefixes, key=len, reverse=True):  # 清溪市北山镇…: organisation names, then one level word
        if len(prefix) > 1 and name.startswith(prefix) and len(name) > len(prefix) + 1:
            name = name[len(prefix):]
    for word in _LEVEL_WORDS:
        if name.startswith(word) and len(name) > len(word) + 1:
            return name[len(word):]
    return name


def stem(name: str, prefixes: tuple[str, ...] = ()) -> str:
    """What tells a unit apart: its name without level words, generic endings and fillers (应急)."""
    core = strip_levels(name, prefixes)
    for ending in _ENDINGS:
        if core.endswith(ending) and len(core) > len(ending):
            core = core[: -len(ending)]
            break
    for filler in _FILLERS:
        if len(core) > len(filler) + 1:
            core = core.replace(filler, "")
    return core


@lru_cache(maxsize=4096)
def pinyin(text: str) -> tuple[str, ...]:
    """`text` in toneless pinyin, one syllable per character (homophones typed by an input method match)."""
    from pypinyin import Style, lazy_pinyin

    return tuple(lazy_pinyin(text, style=Style.NORMAL, errors=lambda chars: list(chars)))


def _similar(a: str, b: str) -> float:
    """How alike two names read: the better of their characters and their syllables (0-100)."""
    if not a or not b:
        return 0.0
    return max(fuzz.ratio(a, b), fuzz.ratio(pinyin(a), pinyin(b)) - 2)


def _stem_score(a: str, b: str) -> float:
    if not a or not b:
        return 0.0
    if a == b:
        return 100.0
    if len(a) >= 2 and len(b) >= 2 and (a in b or b in a or _abbreviates(a, b) or _abbreviates(b, a)):
        return 85.0
    return _similar(a, b)


def _abbreviates(short: str, long: str) -> bool:
    """Whether `short` takes characters of `long` in order, as Chinese abbreviations do (环保 for 环境保护)."""
    if len(short) < 2 or len(short) >= len(long):
        return False
    rest = iter(long)
    return all(char in rest for char in short)


def suggest(registry, org, name: str, limit: int = 3) -> list[Suggestion]:
    """The registered names of `org` a plan most likely meant by `name` (best first, one per unit)."""
    prefixes = tuple(_prefixes(registry, org))
    wanted = stem(name, prefixes)
    scored: dict[str, Suggestion] = {}

    def offer(s: Suggestion) -> None:
        kept = scored.get(s.unit)
        if kept is None or s.score > kept.score:
            scored[s.unit] = s

    names = registry.names(org)
    same_kind = False
    candidates = []
    for written, resolved in names.items():
        their = stem(written, prefixes)
        kind = _stem_score(wanted, their)
        text = _similar(strip_levels(name, prefixes), strip_levels(written, prefixes))
        whole = _similar(name, written)
        candidates.append((written, resolved, kind, text, whole))
        same_kind |= kind >= 80
    for written, resolved, kind, text, whole in candidates:
        if same_kind and kind < 50:
            continue  # a unit of another kind while one of the same kind is close: never offered
        score = max(whole, 0.6 * kind + 0.4 * text)
        if score < OFFER:
            continue
        if written == resolved.name:
            why = ""
        elif kind >= 80 and stem(resolved.name, prefixes) != wanted:
            why = f"{_called(org, resolved.name, written)}“{written}”"
        else:
            why = ""
        homophone = pinyin(name) == pinyin(written)
        offer(Suggestion(written if not why else resolved.name, resolved.name, why, score,
                         clear=homophone or whole >= CLEAR, write=written))
    for counterpart in _counterparts(registry, org, name):
        offer(counterpart)
    ranked = sorted(scored.values(), key=lambda s: (-s.score, s.name))[:limit]
    if ranked and ranked[0].clear and (len(ranked) == 1 or ranked[1].score < ranked[0].score - 8):
        return ranked
    return [Suggestion(s.name, s.unit, s.why, s.score, write=s.write) for s in ranked]


def _called(org, unit: str, written: str) -> str:
    """How `written` names `unit`: its 全称 or one of its 别名."""
    for u in org.units:
        if u.name == unit:
            return "全称" if written == u.full_name else "别名"
    return "别名"


def _prefixes(registry, org) -> list[str]:
    """Organisation names and level words a drafter may put in front of a unit's name."""
    out = []
    for other in registry.orgs.values():
        out += [other.name, other.words.short]
    return [p for p in out if p]


def _counterparts(registry, org, name: str) -> list[Suggestion]:
    """`org`'s units that are the 对口 of `name`, a unit of an organisation above (市应急管理局 in a town plan)."""
    out = []
    above = registry.orgs.get(org.parent) if org.parent else None
    while above is not None:
        resolved = registry.names(above).get(name)
        if resolved is not None and resolved.kind == "unit":
            for unit in org.units:
                if resolved.name in unit.counterparts:
                    out.append(Suggestion(unit.name, unit.name,
                                          f"“{name}”是{above.name}的单位，{org.name}与它对口的是“{unit.name}”", 99.0))
            break
        above = registry.orgs.get(above.parent) if above.parent else None
    return out


def sentence(suggestions: list[Suggestion]) -> str:
    """The Chinese "did you mean" sentence for `suggestions` ('' for none)."""
    if not suggestions:
        return ""
    parts = []
    for s in suggestions:
        parts.append(f"“{s.name}”" + (f"（{s.why}）" if s.why else ""))
    return "您是否想写：" + "、".join(parts) + "？"


def clear_match(suggestions: list[Suggestion]) -> Suggestion | None:
    """The one suggestion clear enough to replace the written name by itself, if there is one."""
    return suggestions[0] if suggestions and suggestions[0].clear else None

