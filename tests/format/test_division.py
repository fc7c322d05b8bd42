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


# -- as a received document wrote them ------------------------------------------------------------

def _from(lines: list[str], start: str, n: int) -> list[str]:
    """`n` lines from the first that starts with `start`."""
    i = next(i for i, line in enumerate(lines) if line.startswith(start))
    return lines[i:i + n]


def _render(tmp_path, text: str) -> list[str]:
    path = write_plan(tmp_path, text)
    out = render([path], settings(tmp_path), tmp_path / "out", pdf=False, base=tmp_path)
    return docx_lines(out.files[0])


def test_what_the_text_states_is_not_printed_again_but_stays_in_the_task_table(tmp_path):
    """`正文写明`: the task's sentence already names its deadline or units."""
    text = plan_text("""
        - 任务: 开展自查
          编号: T1
          内容: 各单位全面开展自查，2025年4月30日前完成。
          责任单位: 市应急管理局
          完成时限: 2025年4月30日前
          正文写明: [完成时限]
        - 任务: 组织宣传
          编号: T2
          内容: 围绕年度主题开展宣传，由市教育局负责。
          责任单位: 市教育局
          完成时限: 2025年6月底前
          正文写明: [责任单位]
    """) + TABLE
    got = _render(tmp_path, text)
    table = got[got.index("工作任务"):]
    assert _from(got, "一、开展自查。", 4) == [
        "一、开展自查。各单位全面开展自查，2025年4月30日前完成。", "责任单位：市应急管理局。",
        "二、组织宣传。围绕年度主题开展宣传，由市教育局负责。", "完成时限：2025年6月底前。"]
    assert "2025年4月30日前" in table and "市教育局" in table  # the data is all there
    brackets = _render(tmp_path / "b", text.replace("正文:\n", "分工写法: 括注\n正文:\n"))
    assert "一、开展自查。各单位全面开展自查，2025年4月30日前完成。（责任单位：市应急管理局）" in brackets


def test_a_task_written_another_way_than_the_others(tmp_path):
    """A task's own `分工写法` (括注 in a plan of lines)."""
    got = _render(tmp_path, plan_text("""
        - 任务: 开展培训
          编号: T1
          责任单位: 市应急管理局
          完成时限: 2025年底前
        - 任务: 组织演练
          编号: T2
          分工写法: 括注
          责任单位: {牵头: 市消防救援支队, 配合: 市教育局}
          完成时限: 2025年9月底前
    """))
    assert _from(got, "一、开展培训。", 5) == [
        "一、开展培训。", "责任单位：市应急管理局。", "完成时限：2025年底前。",
        "二、组织演练。（牵头单位：市消防救援支队；配合单位：市教育局；完成时限：2025年9月底前）",
        "松原市安全生产委员会"]


@pytest.mark.parametrize("form, stop, want", [
    ("后缀", "", ["责任单位：市应急管理局牵头，市教育局配合", "完成时限：2025年底前"]),
    ("分列", "", ["牵头单位：市应急管理局", "配合单位：市教育局", "完成时限：2025年底前"]),
    ("括号", "true", ["责任单位：市应急管理局（牵头），市教育局（配合）。", "完成时限：2025年底前。"]),
])
def test_lead_and_support_and_the_full_stop_as_the_source_wrote_them(tmp_path, form, stop, want):
    head = f"牵头配合写法: {form}\n" + ("分行句号: false\n" if not stop else "")
    got = _render(tmp_path, plan_text("""
        - 任务: 开展培训
          编号: T1
          责任单位: {牵头: 市应急管理局, 配合: 市教育局}
          完成时限: 2025年底前
    """).replace("正文:\n", head + "正文:\n"))
    assert _from(got, "一、开展培训。", len(want) + 1)[1:] == want


def test_numbers_in_the_source_style(tmp_path):
    """`序号样式` (一、 then 1、: the source leaves out （一）) and a section's `下一层序号`."""
    got = _render(tmp_path, plan_text("""
        - 标题: 重点任务
          内容:
            - 任务: 开展培训
              编号: T1
              责任单位: 市应急管理局
              完成时限: 2025年底前
        - 标题: 保障措施
          下一层序号: （一）
          内容:
            - 标题: 加强领导
              导语: 各单位主要负责同志亲自抓。
    """).replace("正文:\n", "序号样式: [一、, 1、]\n正文:\n"))
    assert "一、重点任务" in got and "1、开展培训。" in got
    assert "二、保障措施" in got and "（一）加强领导。各单位主要负责同志亲自抓。" in got


def test_no_letterhead_puts_the_number_under_the_title(tmp_path):
    got = _render(tmp_path, plan_text("- 段落: 现将有关事项通知如下。").replace(
        "文种: 工作要点", "文种: 通知").replace("正文:\n", "版头: false\n正文:\n"))
    assert got[:3] == ["松原市2025年安全生产工作要点", "松安委〔2025〕2号", "市安委会各成员单位："]
    assert not any(line.endswith("文件") for line in got)


def test_task_table_under_the_source_headers(tmp_path):
    got = _render(tmp_path, plan_text(BODY) + "附件:\n  - {标题: 任务分工表, 类型: 任务分工表, 列: [序号, 重点任务, 责任单位, 时间节点]}\n")
    table = got[got.index("重点任务") - 1:]
    assert table[:4] == ["序号", "重点任务", "责任单位", "时间节点"]
    assert table[4:8] == ["1", "开展燃气安全排查", "市应急管理局（牵头），市住房和城乡建设局、市消防救援支队（配合）",
                          "2025年6月底前"]
