"""The registry of every rule, and selection by code, code prefix or name."""

from __future__ import annotations

from collections.abc import Iterable

from docgen.codes import bulletin as bulletin_codes
from docgen.codes import ingest, ledger, syntax
from docgen.codes.base import Code
from docgen.rules import bulletin, cascade, deadlines, structure, units, wording
from docgen.rules.base import Rule

ALL: tuple[type[Code], ...] = (
    syntax.RULES + structure.RULES + units.RULES + deadlines.RULES + wording.RULES + cascade.RULES
    + ledger.RULES + ingest.RULES + bulletin_codes.RULES + bulletin.RULES
)

_BY_KEY: dict[str, type[Code]] = {}
for _rule in ALL:
    assert _rule.code not in _BY_KEY and _rule.name not in _BY_KEY, _rule
    _BY_KEY[_rule.code] = _rule
    _BY_KEY[_rule.name] = _rule


class UnknownRule(KeyError):
    """A code or name that no rule has."""

    def __init__(self, key: str):
        super().__init__(key)
        self.key = key


def get(key: str) -> type[Code]:
    """The rule with this code (``DG202``) or name (``unknown-unit``)."""
    rule = _BY_KEY.get(key.strip()) or _BY_KEY.get(key.strip().upper())
    if rule is None:
        raise UnknownRule(key)
    return rule


def matching(pattern: str) -> list[type[Code]]:
    """Rules matched by a code, a code prefix (``DG4``: all DG4xx) or a name."""
    key = pattern.strip()
    if key in _BY_KEY or key.upper() in _BY_KEY:
        return [get(key)]
    found = [r for r in ALL if r.code.startswith(key.upper())] if key.upper().startswith("DG") else []
    if not found:
        raise UnknownRule(pattern)
    return found


def selected_codes(select: Iterable[str] | None, ignore: Iterable[str]) -> set[str]:
    """The codes in force: all (or those selected) minus those ignored."""
    codes = {r.code for r in ALL} if select is None else {r.code for p in select for r in matching(p)}
    codes -= {r.code for p in ignore for r in matching(p)}
    return codes


def lint_rules(codes: set[str]) -> list[Rule]:
    """Instances of the lint rules among `codes`, in registry order."""
    return [r() for r in ALL if issubclass(r, Rule) and r.code in codes]
