"""What the language server answers, without the protocol: diagnostics, completions and hovers.

Positions here are 0-based (line, character) in code points of the document's text; the server
converts them to and from the client's units. Nothing here does I/O except `check_text`, which
runs the checked-plan entry (`docgen.checked.prepare_text`) on the editor's unsaved text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from docgen.context import CheckContext
from docgen.deadlines import RECURRENCES, STANDING
from docgen.errors import DocgenError
from docgen.problems import Location, Problem, Severity, display_path
from docgen.registry import Group, Organisation, Registry, Unit

if TYPE_CHECKING:
    from docgen.checked import SourceCache

#: Keys whose values (or list items) name responsible units.
UNIT_KEYS = ("责任单位", "牵头", "配合")
#: Keys whose values are deadline phrases.
DEADLINE_KEYS = ("完成时限", "时限")

_CODE = re.compile(r"DG\d{3}")
_KEY_LINE = re.compile(r"^(?P<indent>\s*)(?:-\s+)?(?P<key>[^\s:#{}\[\],][^:#{}\[\],]*?)\s*:(?:\s|$)")
_ISSUER = re.compile(r"^发文机关\s*:\s*[\"']?(?P<name>[^\"'#\n]+?)[\"']?\s*(?:#.*)?$", re.MULTILINE)
_PERIOD_YEARS = re.compile(r"(\d{4})年")
#: A plan (文种) or a registry (组织): other YAML files (CI workflows, configs) are left alone.
_DOCGEN_FILE = re.compile(r"^(?:文种|组织)[ \t]*:", re.MULTILINE)


@dataclass(frozen=True)
class Finding:
    """A problem placed in the document: 0-based line, start and end characters (code points)."""

    line: int
    start: int
    end: int
    problem: Problem
    #: The text of the line (None past the end of the text): the server converts the range to the
    #: client's units from it without splitting the whole document again.
    text: str | None = field(default=None, compare=False, repr=False)


@dataclass
class Checked:
    """The outcome of checking one document's text."""

    findings: list[Finding] = field(default_factory=list)
    ctx: CheckContext | None = None


def check_text(path: Path, text: str, cache: SourceCache | None = None) -> Checked:
    """Check `text` as the file `path` with the nearest ``[tool.docgen]``; findings in this file only.

    With `cache` (the server's, kept between checks) the registry and parent plans are read from
    disk only when their files changed since an earlier check.
    """
    from docgen.checked import prepare_text
    from docgen.codes.syntax import InvalidConfig
    from docgen.jobs.check import settings_for

    if not is_docgen(text):
        return Checked()
    lines = text.splitlines()
    try:
        settings = settings_for(path)
    except DocgenError as exc:  # a broken pyproject.toml or none at all: say so on the first line
        problems = exc.problems or [InvalidConfig.problem(exc.message, Location(path.name))]
        return Checked([_place(p, lines, own=False) for p in problems])
    ctx, result = prepare_text(path, text, settings, base=settings.root, cache=cache)
    name = display_path(path, settings.root)
    return Checked([_place(p, lines) for p in result.problems if p.location.file == name], ctx)


@lru_cache(maxsize=8)
def lines_of(text: str) -> tuple[str, ...]:
    """The lines of `text`, split once per text: every completion and hover on an unchanged document
    (the same string, whose hash Python keeps) finds them here instead of splitting megabytes again."""
    return tuple(text.splitlines())


def is_docgen(text: str) -> bool:
    """Whether `text` is a plan (文种) or a registry (组织): other YAML files are left alone."""
    return _DOCGEN_FILE.search(text) is not None


def context(path: Path, cache: SourceCache | None = None) -> CheckContext | None:
    """What completion and hover need for the file `path`: the registry of its project, read from
    disk (or `cache`); None without a usable configuration (the check says why)."""
    from docgen.checked import Loaded, load_registry
    from docgen.jobs.check import settings_for

    try:
        settings = settings_for(path)
    except DocgenError:
        return None
    loaded = load_registry(settings, Loaded(cache=cache), settings.root)
    return CheckContext(plans=[], registry=loaded.registry, registry_complete=loaded.complete,
                        registry_paths=loaded.paths)


def _place(problem: Problem, lines: list[str], own: bool = True) -> Finding:
    """The range of a finding: from its column to the end of the value (before a trailing comment)."""
    line = max(problem.location.line - 1, 0) if own else 0
    start = max(problem.location.column - 1, 0) if own else 0
    inside = line < len(lines)
    text = lines[line] if inside else ""
    end = len(_strip_comment(text).rstrip())
    if end <= start:
        end = len(text.rstrip()) if len(text.rstrip()) > start else start + 1
    return Finding(line, start, end, problem, text if inside else None)


def _strip_comment(line: str) -> str:
    """The line without a trailing ``# comment`` (a # starting the line or after a space)."""
    match = re.search(r"(^|\s)#", line)
    return line[: match.start()] if match else line


# -- context of the cursor -----------------------------------------------------------------------


def key_at(lines: Sequence[str], line: int, character: int) -> str | None:
    """The mapping key whose value the cursor is in: on this line (``牵头: |``, ``{牵头: |``) or, for a
    list item (``  - |``), the key of the list it belongs to."""
    current = lines[line][:character] if line < len(lines) else ""
    inline = re.findall(r"([^\s:{\[,#\"']+)\s*:\s*(?:\[[^\]]*)?[^:{}\[\]]*$", current)
    if inline:
        return inline[-1]
    if not re.match(r"^\s*-\s*", current):
        return None
    indent = len(current) - len(current.lstrip())
    for above in range(line - 1, -1, -1):
        text = lines[above]
        if not text.strip() or text.lstrip().startswith("#"):
            continue
        match = _KEY_LINE.match(text)
        own = len(text) - len(text.lstrip())
        if own < indent or (own == indent and not text.lstrip().startswith("-")):
            if match and own <= indent:
                return match.group("key").strip()
            return None
    return None


def organisation(text: str, ctx: CheckContext | None) -> tuple[Registry | None, Organisation | None]:
    """The registry and the organisation the document is written for (by its 发文机关)."""
    if ctx is None:
        return None, None
    match = _ISSUER.search(text)
    if match:
        org = ctx.registry.organisation_of(match.group("name").strip())
        if org is not None:
            return ctx.registry, org
    if ctx.plans:
        return ctx.registry, ctx.org_of(ctx.plans[0])
    return ctx.registry, None


# -- completion ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Completion:
    label: str
    #: "unit", "group", "suborg" or "deadline".
    kind: str
    detail: str
    documentation: str = ""


def complete(text: str, line: int, character: int, ctx: CheckContext | None) -> list[Completion]:
    """Unit and group names under 责任单位/牵头/配合; deadline phrases under 完成时限/时限."""
    lines = lines_of(text) or ("",)
    key = key_at(lines, line, character)
    if key in UNIT_KEYS:
        registry, org = organisation(text, ctx)
        return unit_names(registry, org) if registry and org else []
    if key in DEADLINE_KEYS:
        return deadline_phrases(text)
    return []


def unit_names(registry: Registry, org: Organisation) -> list[Completion]:
    """The units, groups and direct sub-organisations a plan of `org` may name, in registry order."""
    out = [Completion(u.name, "unit", f"{org.name}的单位", unit_entry(org, u)) for u in org.units]
    out += [Completion(g.name, "group", f"{org.name}的单位组", group_entry(registry, org, g)) for g in org.groups]
    out += [Completion(c.name, "suborg", f"{org.name}的下级组织（{c.level}）") for c in org.children]
    return out


def deadline_phrases(text: str) -> list[Completion]:
    """Phrases for each year of the plan's 实施期限 (or the years it mentions), then recurring and standing ones."""
    period = re.search(r"^实施期限\s*:(.*(?:\n\s+.*)*)", text, re.MULTILINE)
    years = sorted({int(y) for y in _PERIOD_YEARS.findall(period.group(1) if period else text)})
    if len(years) >= 2:
        years = list(range(years[0], years[-1] + 1))
    out: list[Completion] = []
    for year in years[:10]:
        out.append(Completion(f"{year}年底前", "deadline", "年底前完成"))
        for month in (3, 6, 9):
            out.append(Completion(f"{year}年{month}月底前", "deadline", "该月底前完成"))
        out += [Completion(f"{year}年{half}半年", "deadline", "半年内完成") for half in "上下"]
        out += [Completion(f"{year}年第{q}季度", "deadline", "季度内完成") for q in "一二三四"]
    out += [Completion(r, "deadline", "周期性工作") for r in RECURRENCES]
    out += [Completion(s, "deadline", "常态化工作") for s in STANDING]
    return out


# -- hover ---------------------------------------------------------------------------------------


def hover(text: str, line: int, character: int, checked: Checked | None) -> str | None:
    """Markdown for the thing under the cursor: a rule code, a finding, or a unit or group name."""
    lines = lines_of(text)
    if line >= len(lines):
        return None
    current = lines[line]
    for match in _CODE.finditer(current):
        if match.start() <= character <= match.end():
            return rule_help(match.group())
    if checked is not None:
        # A finding under the cursor comes first: on a misspelt unit the drafter needs what is wrong,
        # not the card of a registered name that happens to be part of it.
        here = [f for f in checked.findings if f.line == line and f.start <= character <= f.end]
        if here:
            return "\n\n---\n\n".join(rule_help(f.problem.code, f.problem.message) for f in here)
        registry, org = organisation(text, checked.ctx)
        if registry and org:
            entry = _name_under(current, character, registry, org)
            if entry:
                return entry
    return None


# -- quick fixes ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuickFix:
    """A fix offered on a finding: replace (line, start)-(line, end) (0-based code points) by `new`."""

    title: str
    line: int
    start: int
    end: int
    new: str
    finding: Finding


def quick_fixes(checked: Checked | None, first_line: int, last_line: int) -> list[QuickFix]:
    """The fixes of the findings on lines `first_line`..`last_line` (the same as `docgen check --fix`)."""
    if checked is None:
        return []
    out = []
    for finding in checked.findings:
        fix = finding.problem.fix
        if fix is None or not first_line <= finding.line <= last_line:
            continue
        out.append(QuickFix(f"{fix.title}（{finding.problem.code}）", fix.line - 1, fix.column - 1,
                            fix.column - 1 + len(fix.old), fix.new, finding))
    return out


def rule_help(code: str, message: str | None = None) -> str:
    from docgen.rules import registry as rules

    try:
        rule = rules.get(code)
    except rules.UnknownRule:
        return f"没有规则 {code}。运行 `docgen rules` 查看全部规则。"
    head = f"**{rule.code} {rule.name}**（{Severity(rule.severity).label}）"
    parts = [head] + ([message] if message else []) + [rule.doc()]
    return "\n\n".join(parts)


def _name_under(line: str, character: int, registry: Registry, org: Organisation) -> str | None:
    """The registry entry of the longest registered name on `line` that spans `character`."""
    best: tuple[int, str] | None = None
    for name, resolved in registry.names(org).items():
        start = line.find(name)
        while start != -1:
            end = start + len(name)
            whole = _bounded(line, start, end)  # a name, not a part of a longer word (派出所 in 派出所所)
            if whole and start <= character <= end and (best is None or len(name) > best[0]):
                best = (len(name), resolved.name)
            start = line.find(name, start + 1)
    if best is None:
        return None
    resolved = registry.resolve(org, best[1])
    if resolved is None:
        return None
    if resolved.kind == "unit":
        unit = next(u for u in org.units if u.name == resolved.name)
        return unit_entry(org, unit)
    if resolved.kind == "group":
        group = next(g for g in org.groups if g.name == resolved.name)
        return group_entry(registry, org, group)
    target = resolved.org
    return (f"**{target.name}**（{target.level}，{org.name}的下级组织）\n\n"
            f"发文机关：{'、'.join(i.name for i in target.issuers) or '（未登记）'}\n\n"
            f"单位库：{target.loc}")


#: What may stand right before or after a unit's name in YAML or in a sentence.
_BEFORE = set(" \t:[{,\"'、，；（(“-")
_AFTER = set(" \t,]}\"'、，；）)”#。")


def _bounded(line: str, start: int, end: int) -> bool:
    return (start == 0 or line[start - 1] in _BEFORE) and (end == len(line) or line[end] in _AFTER)


def unit_entry(org: Organisation, unit: Unit) -> str:
    lines = [f"**{unit.name}**（{org.name}的单位）"]
    if unit.full_name:
        lines.append(f"全称：{unit.full_name}")
    if unit.aliases:
        lines.append(f"别名：{'、'.join(unit.aliases)}")
    if unit.counterparts:
        lines.append(f"对口：{'、'.join(unit.counterparts)}")
    lines.append(f"单位库：{unit.loc}")
    return "\n\n".join(lines)


def group_entry(registry: Registry, org: Organisation, group: Group) -> str:
    members = registry.expand(org, group.name)
    lines = [f"**{group.name}**（{org.name}的单位组，{len(members)} 个单位）",
             f"成员：{'、'.join(group.members) or '（无）'}" + ("；另含全部下级组织" if group.all_children else "")]
    if group.aliases:
        lines.append(f"别名：{'、'.join(group.aliases)}")
    lines.append(f"单位库：{group.loc}")
    return "\n\n".join(lines)
