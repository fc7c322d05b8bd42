"""`分工写法`: a task's 责任单位 and 完成时限 as lines under it (分行), in brackets at the end of its
text (括注), or only in the 任务分工表 (分工表), as published documents print them. Read from the .docx."""

from __future__ import annotations

import pytest

from conftest import plan_text
from docgen.jobs.render import render
from tests.render.helpers import docx_lines, settings, write_plan

BODY = """
- 标题: 强化隐患排查
  内容:
    - 任务: 开展燃气安全排查
      编号: T1
      内容: 对餐饮场所逐户检查。
      责任单位: {牵头: 市应急管理局, 配合: [市住房和城乡建设局, 市消防救援支队]}
      完成时限: 2025年6月底前
    - 任务: 组织消防演练
      编号: T2
      责任单位: 市消防救援支队
      完成时限: [{时限: 2025年3月底前, 内容: 制定方案}, {时限: 9月底前, 内容: 完成演练}]
- 标题: 加强宣传教育
  责任单位: 市教育局
  内容:
    - 任务: 开展安全教育进校园
      编号: T3
      内容: 每学期开展一次。
      完成时限: 长期坚持
"""
TABLE = "附件:\n  - {标题: 任务分工表, 类型: 任务分工表}\n"


def lines(tmp_path, division: str | None) -> list[str]:
    text = plan_text(BODY)
    if division:
        text = text.replace("正文:\n", f"分工写法: {division}\n正文:\n") + TABLE
    path = write_plan(tmp_path, text)
    out = render([path], settings(tmp_path), tmp_path / "out", pdf=False, base=tmp_path)
    return docx_lines(out.files[0])


def test_lines_under_each_task_by_default(tmp_path):
    got = lines(tmp_path, None)
    assert "责任单位：市应急管理局（牵头），市住房和城乡建设局、市消防救援支队（配合）。" in got
    assert "完成时限：2025年6月底前。" in got
    assert "完成时限：2025年3月底前，制定方案；9月底前，完成演练。" in got


def test_in_brackets_at_the_end_of_the_task(tmp_path):
    got = lines(tmp_path, "括注")
    assert ("（一）开展燃气安全排查。对餐饮场所逐户检查。（牵头单位：市应急管理局；配合单位：市住房和城乡建设局、"
            "市消防救援支队；完成时限：2025年6月底前）") in got
    assert "（二）组织消防演练。（责任单位：市消防救援支队；完成时限：2025年3月底前，制定方案；9月底前，完成演练）" in got
    assert "（三）开展安全教育进校园。每学期开展一次。（完成时限：长期坚持）" in got
    assert "责任单位：市教育局。" in got  # a section's shared unit stays a line after its last task
    assert not any(line.startswith(("完成时限：", "责任单位：市应急")) for line in got)


def test_only_in_the_task_table(tmp_path):
    got = lines(tmp_path, "分工表")
    body, table = got[:got.index("工作任务")], got[got.index("工作任务"):]
    assert not any(line.startswith(("责任单位", "完成时限", "配合单位")) for line in body), body
    assert not any("（牵头单位" in line or "（责任单位" in line for line in body)
    assert "开展燃气安全排查" in table and "市住房和城乡建设局、市消防救援支队" in table
    assert "市教育局" in table  # the section's shared unit, in the rows of its tasks


@pytest.mark.parametrize("division", ["分行", "括注", "分工表"])
def test_every_way_prints_every_unit_and_deadline(tmp_path, division):
    joined = "\n".join(lines(tmp_path, division))
    for word in ("市应急管理局", "市住房和城乡建设局", "市消防救援支队", "市教育局", "2025年6月底前", "9月底前", "长期坚持"):
        assert word in joined, (division, word)
