"""Three-way merge of a child plan: the previous parent's derivation (base), the new parent's
derivation (theirs) and the child as the drafter edited it (mine).

Per top-level key, per task (matched by 上级任务) and per task field: unchanged upstream keeps the
drafter's version; unchanged by the drafter takes the new parent's; changed on both sides the same
way is fine; changed differently is a conflict: the drafter's value stays, with a comment
``# docgen: 冲突 [T05 完成时限] 上级方案改为：…`` before it, which `docgen check` reports (DG504)
until the drafter resolves it and deletes the comment.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from docgen.schema import plain

CONFLICT_MARK = "docgen: 冲突"
_MISSING = object()
#: Top-level keys the drafter owns once the child exists (docgen never rewrites them).
_DRAFTER_KEYS = {"发文字号", "成文日期", "印发机关", "印发日期", "抄送", "署名", "用印"}
_TASK_KEYS_SKIP = {"编号", "上级任务"}


@dataclass(frozen=True)
class Conflict:
    """One place where the drafter and the new parent changed the same thing differently."""

    task: str | None
    field: str
    mine: str
    theirs: str

    @property
    def tag(self) -> str:
        return f"[{self.task} {self.field}]" if self.task else f"[{self.field}]"


def _same(a, b) -> bool:
    return plain(a) == plain(b) if a is not _MISSING and b is not _MISSING else a is b


def _show(value) -> str:
    if value is _MISSING:
        return "（无）"
    data = plain(value)
    return data if isinstance(data, str) else json.dumps(data, ensure_ascii=False)


class _Merger:
    def __init__(self) -> None:
        self.conflicts: list[Conflict] = []

    def value(self, mine: CommentedMap, key: str, base, theirs, task: str | None = None) -> None:
        current = mine.get(key, _MISSING)
        if _same(base, theirs) or _same(current, theirs):
            return
        if _same(current, base):
            if theirs is _MISSING:
                del mine[key]
            else:
                mine[key] = copy.deepcopy(theirs)
            return
        conflict = Conflict(task, key, _show(current), _show(theirs))
        self.conflicts.append(conflict)
        if current is _MISSING:
            return
        indent = mine.lc.col if getattr(mine.lc, "col", None) is not None else 0
        mine.yaml_set_comment_before_after_key(
            key, before=f"{CONFLICT_MARK} {conflict.tag} 上级方案改为：{conflict.theirs}", indent=indent)


def _tasks(blocks, path=()) -> dict[str, tuple[tuple[str, ...], CommentedSeq, CommentedMap]]:
    """Tasks by parent task id (上级任务, else 编号), with their section path and container."""
    out = {}
    for block in blocks:
        if "任务" in block:
            key = str(block.get("上级任务", block.get("编号")))
            out.setdefault(key, (path, blocks, block))
        elif "标题" in block and "内容" in block:
            out.update({k: v for k, v in _tasks(block["内容"], path + (block["标题"],)).items() if k not in out})
    return out


def _section(blocks: CommentedSeq, path: tuple[str, ...]) -> CommentedSeq:
    """The 内容 list at `path` (section titles) in `blocks`, created where missing."""
    for title in path:
        found = next((b for b in blocks if b.get("标题") == title and "任务" not in b), None)
        if found is None:
            found = CommentedMap()
            found["标题"] = title
            found["内容"] = CommentedSeq()
            blocks.append(found)
        if "内容" not in found:
            found["内容"] = CommentedSeq()
        blocks = found["内容"]
    return blocks


def merge(mine: CommentedMap, base: CommentedMap, theirs: CommentedMap) -> list[Conflict]:
    """Merge into `mine` (edited in place, comments kept) the change from `base` to `theirs`."""
    m = _Merger()
    for key in list(dict.fromkeys([*base, *theirs])):
        if key in ("正文", "上级版本") or key in _DRAFTER_KEYS:
            continue
        m.value(mine, key, base.get(key, _MISSING), theirs.get(key, _MISSING))
    mine["上级版本"] = theirs["上级版本"]

    mine_tasks = _tasks(mine["正文"])
    base_tasks = _tasks(base["正文"])
    their_tasks = _tasks(theirs["正文"])
    for tid in list(dict.fromkeys([*their_tasks, *base_tasks])):
        b = base_tasks.get(tid)
        t = their_tasks.get(tid)
        c = mine_tasks.get(tid)
        if c is None:
            if b is None and t is not None:  # a new parent task for this level
                _section(mine["正文"], t[0]).append(copy.deepcopy(t[2]))
            continue  # otherwise the drafter deleted it: respected (docgen check reports coverage)
        _, container, node = c
        if t is None:
            if b is not None and _same(node, b[2]):
                container.remove(node)
            else:
                m.conflicts.append(Conflict(tid, "任务", "本级修改过此任务", "上级方案已删除此任务或不再由本级承担"))
                container.yaml_set_comment_before_after_key(
                    container.index(node),
                    before=f"{CONFLICT_MARK} [{tid} 任务] 上级方案已删除此任务或不再由本级承担；本级修改过，请决定是否保留",
                    indent=getattr(container.lc, "col", 0) or 0)
            continue
        base_node = b[2] if b else CommentedMap()
        for key in list(dict.fromkeys([*base_node, *t[2]])):
            if key not in _TASK_KEYS_SKIP:
                m.value(node, key, base_node.get(key, _MISSING), t[2].get(key, _MISSING), task=tid)
    _merge_prose(m, mine["正文"], base["正文"], theirs["正文"])
    return m.conflicts


def _prose(blocks, path=()):
    """Paragraphs and section intros by (section path, index among non-task blocks)."""
    out = {}
    index = 0
    for block in blocks:
        if "任务" in block:
            continue
        if "标题" in block:
            sub = path + (block["标题"],)
            out[(sub, "导语")] = block
            out.update(_prose(block.get("内容", []), sub))
        else:
            out[(path, index)] = block
            index += 1
    return out


def _merge_prose(m: _Merger, mine, base, theirs) -> None:
    mine_p, base_p, their_p = _prose(mine), _prose(base), _prose(theirs)
    for key, t in their_p.items():
        b, c = base_p.get(key), mine_p.get(key)
        if b is None or c is None:
            continue
        label = f"{'／'.join(key[0]) or '正文'}"
        if key[1] == "导语":
            m.value(c, "导语", b.get("导语", _MISSING), t.get("导语", _MISSING), task=label)
        else:
            for field in dict.fromkeys([*b, *t]):
                m.value(c, field, b.get(field, _MISSING), t.get(field, _MISSING), task=label)
