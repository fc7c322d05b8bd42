"""编号方式: tasks numbered continuously, restarting under each section, or fixed by 序号."""

from __future__ import annotations

from conftest import plan_text

from docgen.checked import prepare
from docgen.compose.tree import Emphasis
from tests.render.helpers import composed, settings, write_plan

#: A district 工作要点 in the style of published ones: each （一） restarts at "1.".
POINTS = plan_text("""
- 段落: 2025年全市安全生产工作的总体要求是：坚持人民至上、生命至上，统筹发展和安全。
- 标题: 压紧压实安全生产责任
  内容:
    - 标题: 落实党政领导责任
      内容:
        - 任务: 严格落实党政领导干部安全生产责任制
          编号: A1
          内容: 将安全生产纳入党委理论学习中心组学习内容。
          责任单位: 市教育局
          完成时限: 2025年底前
        - 任务: 开展安全生产考核巡查
          编号: A2
          责任单位: 市教育局
          完成时限: 2025年11月底前
    - 标题: 落实部门监管责任
      内容:
        - 任务: 厘清新业态监管职责
          编号: A3
          责任单位: 市应急管理局
          完成时限: 2025年6月底前
- 标题: 深化重点行业领域专项整治
  编号方式: 连续
  内容:
    - 标题: 危险化学品
      内容:
        - 任务: 推进化工园区安全整治提升
          编号: B1
          责任单位: 市应急管理局
          完成时限: 2025年底前
    - 标题: 消防
      内容:
        - 任务: 开展高层建筑消防安全治理
          编号: B2
          责任单位: 市消防救援支队
          完成时限: 2025年底前
""").replace("正文:\n", "编号方式: 分章重排\n正文:\n")


def leads(doc) -> list[str]:
    return [p.runs[0].text for p in doc.paragraphs() if p.runs[0].emphasis is Emphasis.LEAD]


def test_numbers_restart_under_each_section_and_a_section_may_keep_them_continuous(tmp_path):
    doc = composed(tmp_path, POINTS)
    assert leads(doc) == ["1.严格落实党政领导干部安全生产责任制。", "2.开展安全生产考核巡查。",
                          "1.厘清新业态监管职责。",
                          "1.推进化工园区安全整治提升。", "2.开展高层建筑消防安全治理。"]
    texts = [p.text for p in doc.paragraphs()]
    assert texts.index("（一）落实党政领导责任") < texts.index("（二）落实部门监管责任")
    assert "（一）危险化学品" in texts and "（二）消防" in texts


def test_restarted_tasks_are_named_by_their_path_in_messages(tmp_path):
    path = write_plan(tmp_path, POINTS.replace("            完成时限: 2025年6月底前\n", ""))
    _, result = prepare([path], settings(tmp_path), base=tmp_path)
    messages = [p.message for p in result.problems if p.code == "DG301"]
    assert messages and "第 一（二）1 项任务“厘清新业态监管职责”" in messages[0]


def test_fixed_numbers_are_printed_as_written_and_followed(tmp_path):
    text = POINTS.replace("            编号: A2\n", "            编号: A2\n            序号: 5\n")
    text = text.replace("  - 标题: 深化重点行业领域专项整治\n", "  - 标题: 深化重点行业领域专项整治\n    序号: 4\n")
    doc = composed(tmp_path, text)
    assert leads(doc)[:2] == ["1.严格落实党政领导干部安全生产责任制。", "5.开展安全生产考核巡查。"]
    assert "四、深化重点行业领域专项整治" in [p.text for p in doc.paragraphs()]


def test_continuous_numbering_stays_the_default(tmp_path):
    doc = composed(tmp_path, POINTS.replace("编号方式: 分章重排\n", ""))
    assert [t.split(".")[0] for t in leads(doc)] == ["1", "2", "3", "4", "5"]
