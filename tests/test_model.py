"""A plan's model leaves nothing for the cyclic garbage collector once released: a job that builds
and drops thousands of plans (cascade) frees each at once, with the collector paused."""

from __future__ import annotations

import gc
import weakref

from conftest import ROOT, plan_text

from docgen.load import load_text
from docgen.model import Plan, Task

BODY = """
- 段落: 为做好全年安全生产工作，制定本要点。
- 标题: 重点任务
  内容:
    - 标题: 强化责任
      内容:
        - 任务: 压实属地责任
          编号: T01
          责任单位: 市应急管理局
          完成时限: 2025年底前
    - 任务: 开展隐患排查
      编号: T02
      责任单位: 市应急管理局
      完成时限: 2025年6月底前
"""


def used_plan() -> tuple[Plan, weakref.ref]:
    """A plan read the way the rules read it (its blocks walked, its strings listed)."""
    source, problems = load_text(plan_text(BODY), ROOT / "plan.yaml", "plan.yaml", kind="plan")
    assert source is not None and not problems
    plan = Plan.from_source(source)
    tasks = plan.tasks()
    assert [t.id for t in tasks] == ["T01", "T02"] and [len(t.sections) for t in tasks] == [2, 1]
    assert any("压实属地责任" in text for _, text, _ in plan.strings())
    return plan, weakref.ref(tasks[0])


def test_a_released_plan_is_freed_without_the_cyclic_collector():
    gc.collect()
    gc.disable()
    try:
        plan, task = used_plan()
        plan.release()
        del plan
        assert task() is None  # freed by reference counting alone
        assert gc.collect() == 0  # and nothing of it was left in a cycle (the strings, the walk)
    finally:
        gc.enable()


def test_an_unreleased_plan_keeps_its_enclosing_sections():
    """What `release` breaks: each task lists its enclosing sections (the numbering and the
    inherited 责任单位 read them), so a plan still in use is never released."""
    gc.collect()
    gc.disable()
    try:
        plan, task = used_plan()
        del plan
        kept: Task | None = task()
        assert kept is not None and [s.title.value for s in kept.sections] == ["重点任务", "强化责任"]
        del kept
        assert gc.collect() > 0
        assert task() is None
    finally:
        gc.enable()

