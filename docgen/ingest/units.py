"""Match the unit names a document uses against the registry.

In order: the exact name or a registered alias (`Registry.resolve`); the name with the
organisation's level word put in front or swapped for it (应急管理局, 区应急管理局 -> 市应急管理局);
the registered name it is most similar to (市应急局 -> 市应急管理局, 各镇（街道）-> 各乡镇（街道）).
A name that matches nothing is kept as written and reported.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from docgen.registry import Organisation, Registry

#: Below this similarity a name is not taken for a registered one.
SIMILARITY = 0.72
_LEVEL_PREFIX = re.compile(r"^(省|市|区|县|镇|乡|街道|村|社区)")


@dataclass
class Matcher:
    registry: Registry
    org: Organisation | None
    #: name as written -> (registered name, how) for names that were changed
    changed: dict[str, tuple[str, str]] = field(default_factory=dict)
    unknown: list[str] = field(default_factory=list)

    def match(self, name: str) -> str:
        if self.org is None:
            return name
        names = self.registry.names(self.org)
        found = self.registry.resolve(self.org, name)
        if found is not None:
            return name if name in (found.name,) or name in names else found.name
        short = self.org.words.short
        candidates = [short + name, _LEVEL_PREFIX.sub(short, name, count=1)] if short else []
        for candidate in candidates:
            if candidate != name and self.registry.resolve(self.org, candidate) is not None:
                return self._changed(name, self.registry.resolve(self.org, candidate).name, "层级用语")
        close = _closest(name, list(names))
        if close:
            return self._changed(name, names[close].name, "相似名称")
        if name not in self.unknown:
            self.unknown.append(name)
        return name

    def known(self, name: str) -> str | None:
        """The registered name `name' stands for (as `match` finds it), or None: nothing recorded."""
        if self.org is None:
            return None
        before = len(self.unknown)
        found = self.match(name)
        if len(self.unknown) > before:
            self.unknown.pop()
            return None
        return found

    def _changed(self, name: str, registered: str, how: str) -> str:
        self.changed.setdefault(name, (registered, how))
        return registered


def _closest(name: str, candidates: list[str]) -> str | None:
    best, score = None, 0.0
    for c in candidates:
        ratio = difflib.SequenceMatcher(None, name, c).ratio()
        # an abbreviation keeps the registered name's characters in order (市应急局 in 市应急管理局)
        if _subsequence(name, c) and len(name) >= 3 and name[0] == c[0] and name[-1] == c[-1]:
            ratio = max(ratio, 0.8)
        if ratio > score:
            best, score = c, ratio
    return best if score >= SIMILARITY else None


def _subsequence(short: str, long: str) -> bool:
    it = iter(long)
    return all(ch in it for ch in short)
