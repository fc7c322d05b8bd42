"""Incremental checks for the language server: after an edit inside one task of a large plan, only
that task is read and linted again.

A drafter's change to a 5,000-task plan nearly always lies inside one task. The full check of the
text before the change (`features.check_text`) is kept as a `_Baseline`: the findings, and where
each block of 正文 starts and ends (from the model's positions and the lines' indentation). For
the next text:

1. The changed lines are found (common prefix and suffix) and must lie inside one task's lines;
   the task's new lines must parse on their own as one list item at the same place, with no
   suppression comment and no block scalar that keeps trailing blank lines (``|+``).
2. A *slice* of the plan is checked through the same load, schema, model and lint stages as
   `docgen check`: the text with every block of 正文 blanked out except the task and the sections
   that hold it (lines are kept, so every position is the full text's). The task's printed number
   and its sections' numbers are those of the full plan (they cannot change: the task stays one
   task with the same 序号).
3. The findings are the baseline's outside the task (those below it moved by the lines added or
   removed), the slice's inside the task, and the cross-task rule (DG101, duplicate 编号) run again
   on every task's 编号 and place.

Anything else falls back to the full check: an edit outside a task or across tasks, a change of
the task's 序号 or 上级任务, a registry, parent plan or configuration that changed on disk, a file
with ``# docgen:`` comments (suppressions, cascade conflicts), a 通报, a file the schema repaired, or a slice whose
structure is not the one expected. The results equal the full check's (tests/lsp/test_incremental.py
edits plans in many ways and compares both).
"""

from __future__ import annotations

import bisect
import collections
import dataclasses
import itertools
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace

import yaml
from yaml.nodes import MappingNode, SequenceNode

from docgen.lsp import features
from docgen.problems import Location, with_ends

log = logging.getLogger(__name__)

#: The rules whose findings on one task depend on the other tasks: run again after every edit.
CROSS_TASK = ("DG101",)
#: A block scalar keeping its trailing blank lines: the slice has more of them than the full text.
_KEEP = re.compile(r"[|>][0-9-]*\+")
_DASH = re.compile(r" *- +")
#: A suppression comment (`docgen.suppress`) or a cascade conflict mark (DG504): they act on other lines.
_DIRECTIVE = re.compile(r"#\s*docgen\s*:")
#: Characters YAML or `str.splitlines` take for a line break besides "\n": positions would differ.
_BREAKS = re.compile("[\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")


@dataclass
class _Node:
    """One item of a list in 正文 (a section, a task, a paragraph, a table)."""

    start: int  #: 0-based line of the item's first line (its ``- ``)
    end: int  #: 0-based line after it: the next line with content less indented than the item
    at: int  #: where line `start` begins in the text (a character offset)
    to: int  #: where line `end` begins (the text's length + 1 past the last line)
    col: int  #: 0-based column where the item's content starts (after ``- ``)
    keys: tuple
    #: Whether the item begins with ``- `` on its first line (an edit in it can be localised).
    dashed: bool
    children: list[_Node] = field(default_factory=list)
    parent: _Node | None = None
    #: For a section: its printed number. For a task: see `_TaskInfo`.
    number: int = 0
    task: SimpleNamespace | None = None


@dataclass
class _Baseline:
    path: Path
    name: str
    settings: object
    registry: object
    #: The parent plan named in 上级方案 (its resolved path and the plan read, or None).
    parent_path: Path | None
    parent: object
    text: str
    root_keys: tuple
    body: list[_Node]
    tasks: list[_Node]
    findings: list[features.Finding]
    #: How many tasks have each 编号 (DG101 runs again only while one is repeated).
    ids: collections.Counter = field(default_factory=collections.Counter)


#: Documents whose last check is kept (the most recently checked; a plan closed long ago is dropped).
KEEP = 8


class Incremental:
    """The checker process's checks: incremental where it can be, else `features.check_text`."""

    def __init__(self, cache=None) -> None:
        from docgen.checked import SourceCache

        self.cache = cache if cache is not None else SourceCache()
        self._docs: dict[Path, _Baseline] = {}
        #: How the last check was made: "full", "incremental" or "same" (for tests and the bench).
        self.last = ""
        #: Why the last check was a full one (where an incremental check gave up), for tests and the bench.
        self.why = ""

    def check(self, path: Path, text: str) -> features.Checked:
        base = self._docs.get(path)
        if base is not None:
            if text == base.text and _unchanged_around(base, self.cache):
                self.last, self.why = "same", ""
                return features.Checked(list(base.findings))
            try:
                found = _update(base, text, self.cache)
            except Exception:  # noqa: BLE001 - never a wrong answer: the full check instead
                log.exception("incremental check failed; checking the whole text")
                found = "error"
            if not isinstance(found, str):
                self.last, self.why = "incremental", ""
                self._docs[path] = self._docs.pop(path)  # the most recently checked last
                return features.Checked(found)
            self.why = found
        if base is None:
            self.why = "no baseline"
        self.last = "full"
        self._docs.pop(path, None)
        checked = features.check_text(path, text, self.cache)
        base = _baseline(path, text, checked, self.cache)
        if base is not None:
            self._docs[path] = base
            while len(self._docs) > KEEP:
                del self._docs[next(iter(self._docs))]
        return features.Checked(checked.findings)


# -- the baseline -----------------------------------------------------------------------------------


def _baseline(path: Path, text: str, checked: features.Checked, cache) -> _Baseline | None:
    """What an incremental check needs from the full check of `text`, or None when the file is not
    one an edit can be localised in."""
    ctx = checked.ctx
    if ctx is None or len(ctx.plans) != 1 or ctx.bulletins or not ctx.registry_complete or _DIRECTIVE.search(text) \
            or _BREAKS.search(text):
        return None
    plan = ctx.plans[0]
    source = plan.source
    if source.repaired or source.path.resolve() != path.resolve() or source.text != text.lstrip("\ufeff"):
        return None
    if text.startswith("\ufeff"):
        return None
    from docgen.jobs.check import settings_for

    settings = settings_for(path)
    lookup = ctx.parent_of(plan)
    lines = text.split("\n")
    raw_body = source.data.get("正文")
    if not isinstance(raw_body, list):
        return None
    tasks: list[_Node] = []
    offsets = [0, *itertools.accumulate(len(line) + 1 for line in lines)]
    body = _nodes(plan.body, raw_body, lines, offsets, len(lines), None, tasks)
    if body is None:
        return None
    return _Baseline(path, source.name, settings, ctx.registry, lookup.path if lookup else None,
                     lookup.plan if lookup else None, text, tuple(source.data.keys()), body, tasks,
                     list(checked.findings), collections.Counter(t.task.id for t in tasks))


def _nodes(blocks: list, raw: list, lines: list[str], offsets: list[int], limit: int, parent: _Node | None,
           tasks: list[_Node]) -> list[_Node] | None:
    from docgen.model import Section, Task

    if len(blocks) != len(raw):
        return None
    out: list[_Node] = []
    for block, item in zip(blocks, raw):
        start, col = block.loc.line - 1, block.loc.column - 1
        head = lines[start][:col] if start < len(lines) else ""
        if not 0 <= start < len(lines):
            return None
        node = _Node(start, 0, offsets[start], 0, col, tuple(item.keys()) if isinstance(item, dict) else (),
                     bool(_DASH.fullmatch(head)) and (parent is None or parent.dashed), parent=parent)
        out.append(node)
    for i, node in enumerate(out):
        node.end = out[i + 1].start if i + 1 < len(out) else _end(lines, node.start, node.col, limit)
        node.to = offsets[node.end]
    for node, block, item in zip(out, blocks, raw):
        if isinstance(block, Section):
            node.number = block.number
            if block.children:
                children = _nodes(block.children, item.get("内容", []), lines, offsets, node.end, node, tasks)
                if children is None:
                    return None
                node.children = children
        elif isinstance(block, Task):
            node.task = SimpleNamespace(id=block.id, label=block.label, number=block.number, index=block.index,
                                        explicit=block.explicit_number,
                                        parent_id=block.parent_id.value if block.parent_id else None)
            _place_id(node, block)
            tasks.append(node)
    return out


def _place_id(node: _Node, task) -> None:
    """Keep where the task's 编号 is written, from the task's first line (it moves with the task)."""
    node.task.id_line = task.id_loc.line - 1 - node.start
    node.task.id_column = task.id_loc.column


def _end(lines: list[str], start: int, col: int, limit: int) -> int:
    """The line after the item starting at `start` (content from column `col`): the next line with
    content that is indented less than `col`, or `limit`."""
    for j in range(start + 1, limit):
        line = lines[j]
        stripped = line.lstrip(" ")
        if stripped and not stripped.startswith("#") and len(line) - len(stripped) < col:
            return j
    return limit


def _unchanged_around(base: _Baseline, cache) -> bool:
    """Whether the configuration, the registry and the parent plan are those of the baseline (a
    saved registry or parent plan changes the findings of an unchanged text)."""
    from docgen.checked import Loaded, _Reader, load_registry
    from docgen.jobs.check import settings_for

    try:
        settings = settings_for(base.path)
    except Exception:  # noqa: BLE001 - the full check says what is wrong
        return False
    if settings != base.settings:
        return False
    loaded = Loaded(cache=cache)
    registry = load_registry(settings, loaded, settings.root)
    if registry.registry is not base.registry or not registry.complete:
        return False
    if base.parent_path is None:
        return True
    reader = _Reader(loaded, settings.root, registry, settings.percent_places, settings.root, [base.path.resolve()])
    return reader.parent(base.parent_path).plan is base.parent


# -- an edit ----------------------------------------------------------------------------------------


def _changed(old: str, new: str) -> tuple[int, int, int]:
    """The lines that differ: (first, end in `old`, end in `new`), 0-based, ends exclusive; whole lines
    (a line changed in part counts as changed), so that the lines from the ends on are the same."""
    n = min(len(old), len(new))
    lo, step = 0, 1 << 16
    while lo < n and old[lo:lo + step] == new[lo:lo + step]:  # C-speed comparisons of whole chunks
        lo += step
    hi = min(lo + step, n)
    while lo < hi:  # the first differing character lies in [lo, hi)
        mid = (lo + hi) // 2
        if old[lo:mid + 1] == new[lo:mid + 1]:
            lo = mid + 1
        else:
            hi = mid
    prefix = old.rfind("\n", 0, lo) + 1  # the start of the line it is on
    most = n - prefix
    lo = 0
    while lo < most:
        take = min(step, most - lo)
        if old[len(old) - lo - take:len(old) - lo] != new[len(new) - lo - take:len(new) - lo]:
            break
        lo += take
    if lo < most:
        known, hi = lo, min(lo + step, most)  # the last `known` characters are the same
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if old[len(old) - mid:len(old) - known] == new[len(new) - mid:len(new) - known]:
                lo = mid
            else:
                hi = mid - 1
    suffix = lo
    while suffix:  # the common end starts at a whole line of both texts
        start, other = len(old) - suffix, len(new) - suffix
        if (start == 0 or old[start - 1] == "\n") and (other == 0 or new[other - 1] == "\n"):
            break
        cut = old.find("\n", start)
        suffix = 0 if cut < 0 else len(old) - cut - 1
    first = old.count("\n", 0, prefix)
    if not suffix:
        return first, first + old.count("\n", prefix) + 1, first + new.count("\n", prefix) + 1
    return (first, first + old.count("\n", prefix, len(old) - suffix),
            first + new.count("\n", prefix, len(new) - suffix))


def _update(base: _Baseline, text: str, cache) -> list[features.Finding] | str:
    """The findings of `text`, or why the edit from the baseline's text cannot be localised.

    Works on character offsets kept for every block: nothing here splits or scans the whole text
    but `_changed`'s comparisons and the slice's joining."""
    first, stop_old, stop_new = _changed(base.text, text)
    delta, shift = stop_new - stop_old, len(text) - len(base.text)
    i = bisect.bisect_right([t.start for t in base.tasks], first) - 1
    if i < 0:
        return "before the first task"
    if i > 0 and first == base.tasks[i].start and stop_old == first and base.tasks[i - 1].end == first:
        i -= 1  # lines added between two tasks: to the end of the one before (a line repeated there, say)
    task = base.tasks[i]
    if not (task.dashed and task.start <= first and stop_old <= task.end):
        return "not inside one task"
    old_end, new_end = task.end, task.end + delta
    whole = text + "\n"  # every line ends with a line break: line `n` (past the last) begins at len(whole)
    joined = whole[task.at:task.to + shift - 1]
    head = base.text[task.at:task.at + task.col]
    if new_end <= task.start or joined[:task.col] != head or joined[task.col:task.col + 1] in ("", " ", "#", "\n"):
        return "the task's first line changed its form"
    if _DIRECTIVE.search(joined) or _KEEP.search(joined) or _BREAKS.search(joined):
        return "a suppression comment, a kept block scalar or another line break"
    if not _one_item(joined, task.start, task.col):
        return "the task's lines are not one item"
    chain = []
    node = task
    while node is not None:
        chain.append(node)
        node = node.parent
    chain.reverse()
    # blank every block of 正文 but the task and the sections holding it (what follows the task moves)
    blanks: list[tuple[int, int, int]] = []  # (from offset, to offset, lines) in the new text
    siblings = base.body
    for node in chain:
        if siblings and siblings[0] is not node:
            blanks.append((siblings[0].at, node.at, node.start - siblings[0].start))
        if siblings and siblings[-1] is not node:
            blanks.append((node.to + shift, siblings[-1].to + shift, siblings[-1].end - node.end))
        siblings = node.children
    blanks.sort()
    pieces: list[str] = []
    pos = 0
    for a, b, count in blanks:
        pieces += (whole[pos:a], "\n" * count)
        pos = b
    pieces.append(whole[pos:])
    sliced = "".join(pieces)[:-1]
    found = _check_slice(base, sliced, chain, cache)
    if isinstance(found, str):
        return found
    problems, new_task = found
    # the findings: the baseline's outside the task (moved below it), the slice's inside it, DG101 again
    kept: list[features.Finding] = []
    for f in base.findings:
        line0 = f.problem.location.line - 1
        if f.problem.code in CROSS_TASK or task.start <= line0 < old_end:
            continue
        kept.append(_moved(f, delta) if line0 >= old_end and delta else f)
    region = _Region(task.start, joined.split("\n"))
    kept += [features._place(p, region) for p in problems
             if task.start <= p.location.line - 1 < new_end and p.code not in CROSS_TASK]
    # commit the edit to the baseline
    base.ids[task.task.id] -= 1
    base.ids[new_task.id] += 1
    task.task.id = new_task.id
    _place_id(task, new_task)
    if delta or shift:
        _move(base.body, old_end, delta, shift)
    base.text = text
    kept += _cross_task(base, text)
    base.findings = sorted(set(kept), key=lambda f: f.problem.sort_key())
    return list(base.findings)


class _Region:
    """The lines of the edited task, read as the lines of the whole text (for `features._place`)."""

    def __init__(self, start: int, lines: list[str]):
        self.start, self.lines = start, lines

    def __len__(self) -> int:
        return self.start + len(self.lines)

    def __getitem__(self, line: int) -> str:
        return self.lines[line - self.start]


def _one_item(region: str, start: int, col: int) -> bool:
    """Whether `region` (lines from `start`) is one list item whose content starts at column `col`."""
    from docgen.load import _Loader

    try:
        root = yaml.compose("\n" * start + region, Loader=_Loader)
    except (yaml.YAMLError, RecursionError):
        return False
    if not isinstance(root, SequenceNode) or len(root.value) != 1:
        return False
    item = root.value[0]
    mark = item.start_mark
    return isinstance(item, MappingNode) and mark.line == start and mark.column == col and \
        any(k.value == "任务" for k, _ in item.value)


def _check_slice(base: _Baseline, sliced: str, chain: list[_Node], cache):
    """The slice through the load, schema, model and lint stages; (findings, the task), or why the
    slice is not what the full text would give for the task."""
    from docgen import lint
    from docgen.checked import Loaded, _Reader, load_registry
    from docgen.jobs.check import settings_for
    from docgen.model import Plan, Section, Task

    path = base.path
    settings = settings_for(path)
    if settings != base.settings:
        return "the configuration changed"
    resolved = path.resolve()
    loaded = Loaded(unsaved={resolved: sliced}, cache=cache)
    registry = load_registry(settings, loaded, settings.root)
    if registry.registry is not base.registry or not registry.complete:
        return "the registry changed or cannot be read"
    reader = _Reader(loaded, settings.root, registry, settings.percent_places, settings.root, [resolved])
    ctx = reader.context()
    before = len(loaded.problems)
    source = reader.read(resolved)
    if source is None or source.repaired or source.kind != "plan" or source.name != base.name:
        return "the slice is not a plan the schema accepts as it is"
    if tuple(source.data.keys()) != base.root_keys:
        return "the slice's top-level keys differ"
    stage = loaded.problems[before:]
    # the slice's 正文 holds exactly the chain: one item per list, the sections' keys unchanged
    items = source.data.get("正文")
    for node in chain:
        if not isinstance(items, list) or len(items) != 1 or not isinstance(items[0], dict):
            return "the slice's 正文 is not the task's chain"
        item = items[0]
        if node is not chain[-1]:
            if tuple(item.keys()) != node.keys:
                return "a section's keys differ"
            items = item.get("内容")
    from docgen.bulletin.model import is_bulletin

    if is_bulletin(source):
        return "a 通报"
    plan = reader.model(source)
    if not isinstance(plan, Plan):
        return "no plan"
    lookup = ctx.parent_of(plan)
    if (lookup.plan if lookup else None) is not base.parent:
        return "the parent plan changed"
    blocks = plan.body
    for node in chain:
        if len(blocks) != 1 or blocks[0].loc.line - 1 != node.start:
            return "the slice's blocks are not the chain"
        block = blocks[0]
        if node is chain[-1]:
            if not isinstance(block, Task):
                return "the item is no longer a task"
            info = node.task
            parent_id = block.parent_id.value if block.parent_id else None
            if block.explicit_number != info.explicit or parent_id != info.parent_id:
                return "the task's 序号 or 上级任务 changed"  # the numbering of the tasks below, or what DG501 reads
            block.number, block.index = info.number, info.index
            new_task = block
        else:
            if not isinstance(block, Section):
                return "an item holding the task is not a section"
            block.number = node.number
            blocks = block.children
    one = dataclasses.replace(ctx, plans=[plan], bulletins=[], report_registry=False)
    texts = {source.name: sliced}
    found = lint.run(one, settings, stage_problems=stage, texts=texts,
                     blocking=[p for p in stage if p in loaded.blocking])
    return with_ends(found, texts), new_task


def _cross_task(base: _Baseline, text: str) -> list[features.Finding]:
    """DG101 over every task's 编号 and place (the rule's own code, on what the baseline keeps)."""
    from docgen import lint
    from docgen.rules.structure import DuplicateTaskId

    if max(base.ids.values(), default=0) < 2 or DuplicateTaskId.code not in lint.selected(base.settings):
        return []
    name = base.name
    tasks = [SimpleNamespace(id=t.task.id, label=t.task.label,
                             id_loc=Location(name, t.start + t.task.id_line + 1, t.task.id_column)) for t in base.tasks]
    plan = SimpleNamespace(tasks=lambda: tasks)
    found = list(DuplicateTaskId().check(SimpleNamespace(plans=[plan])))
    if not found:
        return []
    severity = base.settings.severity
    found = [p.with_severity(severity.get(p.code, p.severity)) for p in found]
    lines = text.splitlines()
    return [features._place(p, lines) for p in with_ends(found, {base.name: text})]


def _moved(f: features.Finding, delta: int) -> features.Finding:
    """`f` placed `delta` lines lower."""
    p = f.problem
    end = (p.end[0] + delta, p.end[1]) if p.end is not None else None
    fix = p.fix._replace(line=p.fix.line + delta) if p.fix is not None else None
    moved = dataclasses.replace(p, location=p.location._replace(line=p.location.line + delta), end=end, fix=fix)
    return dataclasses.replace(f, line=f.line + delta, problem=moved)


def _move(nodes: list[_Node], at: int, delta: int, shift: int) -> None:
    """Move the nodes from line `at` by `delta` lines and `shift` characters; those holding line
    `at - 1` end that much later."""
    for node in nodes:
        if node.start >= at:
            node.start += delta
            node.at += shift
        elif node.end < at:
            continue
        node.end += delta
        node.to += shift
        if node.children:
            _move(node.children, at, delta, shift)
