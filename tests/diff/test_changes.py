"""`compare(old, new)` on small plans: each kind of change, its 修改说明, and what must not be reported."""

from __future__ import annotations

from conftest import HEADER, plan_text

from docgen.config import Settings
from docgen.diff import compare
from docgen.diff.sources import load_files

ACTIONS = """
- 标题: 重点任务
  内容:
    - 标题: 抓责任落实
      内容:
        - 任务: 压实企业主体责任
          编号: W01
          内容: 督促企业逐岗位制定安全生产责任清单。
          责任单位: {牵头: 市应急管理局, 配合: [市公安局, 市财政局]}
          完成时限: 2025年6月底前
        - 任务: 开展安全生产大检查
          编号: W02
          内容: 组织对重点行业领域企业开展全覆盖检查，建立问题清单并逐项整改。
          责任单位: 市应急管理局
          完成时限: 2025年底前
        - 任务: 推进标准化建设
          编号: W03
          内容: 推动规模以上企业开展安全生产标准化自评和定级。
          责任单位: 市应急管理局
          完成时限:
            - {时限: 2025年6月底前, 内容: 完成自评}
            - {时限: 2025年底前, 内容: 完成定级}
          指标:
            - {名称: 新增标准化达标企业, 要求: 不少于, 目标值: 40, 单位: 家, 分年度: {2025: 40}}
    - 标题: 抓风险防控
      责任单位: 市住房和城乡建设局
      完成时限: 2025年底前
      内容:
        - 段落: 聚焦燃气、自建房等重点领域开展风险排查。
        - 任务: 整治城镇燃气隐患
          编号: W04
          内容: 对燃气经营企业和餐饮场所开展专项检查。
        - 任务: 整治经营性自建房
          编号: W05
          内容: 对经营性自建房逐栋排查，建立整治台账。
"""


def load(tmp_path, text: str, name: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return load_files([path], tmp_path, Settings(root=tmp_path))[path]


def diff(tmp_path, old_body: str, new_body: str, old_header: str = HEADER, new_header: str = HEADER):
    old = load(tmp_path, plan_text(old_body, old_header), "old.yaml")
    new = load(tmp_path, plan_text(new_body, new_header), "new.yaml")
    return compare(old, new)


def brief(changes) -> list[tuple[str, str, str | None, str]]:
    return [(c.element.value, c.kind.value, c.id, c.note) for c in changes]


def test_identical_plans_have_no_changes(tmp_path):
    assert diff(tmp_path, ACTIONS, ACTIONS) == []


def test_metadata(tmp_path):
    new_header = (HEADER.replace("松安委〔2025〕2号", "松安委〔2025〕3号")
                  .replace("成文日期: 2025年1月10日", "成文日期: 2025年1月20日\n附注: 此件公开发布")
                  .replace("主送: [市安委会各成员单位]", "主送: [市安委会各成员单位, 各县（区）人民政府]"))
    changes = diff(tmp_path, ACTIONS, ACTIONS, new_header=new_header)
    assert [(c.field, c.note) for c in changes] == [
        ("发文字号", "发文字号由“松安委〔2025〕2号”调整为“松安委〔2025〕3号”"),
        ("主送", "主送增加“各县（区）人民政府”"),
        ("成文日期", "成文日期由2025年1月10日调整为2025年1月20日"),
        ("附注", "增加附注“此件公开发布”"),
    ]
    assert changes[0].old == "发文字号：松安委〔2025〕2号" and changes[0].new_loc.line == 4


def test_moving_the_last_task_first_moves_one_task(tmp_path):
    w03 = ACTIONS[ACTIONS.index("        - 任务: 推进标准化建设"):ACTIONS.index("    - 标题: 抓风险防控")]
    new = ACTIONS.replace(w03, "").replace("        - 任务: 压实企业主体责任", w03 + "        - 任务: 压实企业主体责任")
    changes = diff(tmp_path, ACTIONS, new)
    assert brief(changes) == [("task", "moved", "W03", "调整顺序，列于首位")]
    assert (changes[0].old, changes[0].new) == ("位置：“抓责任落实”，列于一、（一）2.“开展安全生产大检查”之后", "位置：“抓责任落实”，列于首位")


def test_insert_and_remove_report_nothing_else(tmp_path):
    new = ACTIONS.replace("        - 任务: 压实企业主体责任", """\
        - 任务: 建立安全生产责任清单
          编号: W06
          内容: 市直部门逐项列明安全生产监管职责。
          责任单位: 市安委办
          完成时限: 2025年3月底前
        - 任务: 压实企业主体责任""")
    w02 = ACTIONS[ACTIONS.index("        - 任务: 开展安全生产大检查"):ACTIONS.index("        - 任务: 推进标准化建设")]
    new = new.replace(w02, "")
    changes = diff(tmp_path, ACTIONS, new)
    assert brief(changes) == [("task", "added", "W06", "新增任务"), ("task", "removed", "W02", "删去任务")]
    assert changes[1].old.startswith("一、（一）2.开展安全生产大检查。组织对重点行业领域企业")
    assert changes[1].section == ("一、重点任务", "（一）抓责任落实")


def test_units_deadline_and_targets(tmp_path):
    new = (ACTIONS.replace("{牵头: 市应急管理局, 配合: [市公安局, 市财政局]}", "{牵头: [市应急管理局, 市公安局], 配合: [市商务局]}")
           .replace("- {时限: 2025年底前, 内容: 完成定级}", "- {时限: 2025年底前, 内容: 完成定级并公布名单}")
           .replace("目标值: 40, 单位: 家, 分年度: {2025: 40}}", "目标值: 50, 单位: 家, 分年度: {2025: 50}}\n"
                    "            - {名称: 标准化复评企业, 要求: 不少于, 目标值: 10, 单位: 家}"))
    assert brief(diff(tmp_path, ACTIONS, new)) == [
        ("task", "responsibility", "W01", "配合单位增加“市商务局”；配合单位删去“市财政局”；“市公安局”由配合单位调整为牵头单位"),
        ("task", "deadline", "W03", "调整2025年底前阶段的工作内容"),
        ("task", "target", "W03", "指标“新增标准化达标企业”目标值由40家调整为50家；2025年由40家调整为50家"),
        ("task", "target", "W03", "增加指标“标准化复评企业”：不少于10家"),
    ]


GOALS = """
- 标题: 总体目标
  内容:
    - 段落: 全年生产安全事故起数和死亡人数保持下降。
      阶段:
        - {时限: 2025年6月底前, 内容: 完成排查}
        - {时限: 2025年底前, 内容: 完成整治}
      指标:
        - {名称: 生产安全事故死亡人数, 要求: 控制在, 目标值: 18, 单位: 人}
        - {名称: 重大事故隐患整改率, 要求: 达到, 目标值: 100, 单位: "%"}
"""


def test_paragraph_targets_and_stages_are_values_not_character_edits(tmp_path):
    new = (GOALS.replace("目标值: 18, 单位: 人", "目标值: 16, 单位: 人")
           .replace("时限: 2025年6月底前", "时限: 2025年9月底前"))
    changes = diff(tmp_path, GOALS, new)
    assert brief(changes) == [
        ("paragraph", "deadline", None, "阶段时限由2025年6月底前调整为2025年9月底前"),
        ("paragraph", "target", None, "指标“生产安全事故死亡人数”目标值由18人调整为16人"),
    ]
    target = changes[1]
    assert (target.old, target.new) == ("指标：生产安全事故死亡人数控制在18人以内", "指标：生产安全事故死亡人数控制在16人以内")
    assert target.new_loc.line > changes[0].new_loc.line  # on the target itself, not the paragraph


def test_target_requirement_unit_and_years_as_values(tmp_path):
    old = ACTIONS
    new = ACTIONS.replace("{名称: 新增标准化达标企业, 要求: 不少于, 目标值: 40, 单位: 家, 分年度: {2025: 40}}",
                          "{名称: 新增标准化达标企业, 要求: 达到, 目标值: 40, 单位: 个, 分年度: {2025: 30, 2026: 10}}")
    assert brief(diff(tmp_path, old, new)) == [
        ("task", "target", "W03", "指标“新增标准化达标企业”要求由不少于调整为达到；目标值由40家调整为40个；"
                                  "2025年由40家调整为30个；增加2026年10个"),
    ]


def test_paragraph_words_still_reported_as_edits(tmp_path):
    new = GOALS.replace("保持下降", "持续下降")
    assert brief(diff(tmp_path, GOALS, new)) == [("paragraph", "reworded", None, "将“保持”改为“持续”")]


def test_shared_units_reported_once_on_the_section(tmp_path):
    new = ACTIONS.replace("责任单位: 市住房和城乡建设局\n      完成时限: 2025年底前",
                          "责任单位: 市住房和城乡建设局\n      完成时限: 2025年9月底前")
    changes = diff(tmp_path, ACTIONS, new)
    assert brief(changes) == [("section", "deadline", None, "完成时限由2025年底前调整为2025年9月底前")]
    assert changes[0].subject == "章节一、（二）“抓风险防控”"


def test_moving_a_task_out_of_a_section_with_shared_units(tmp_path):
    """W05 leaves 抓风险防控 and so loses its shared 责任单位 and 完成时限: all three are reported."""
    w05 = ACTIONS[ACTIONS.index("        - 任务: 整治经营性自建房"):]
    new = ACTIONS.replace(w05, "").replace("    - 标题: 抓风险防控", w05.rstrip("\n") + "\n    - 标题: 抓风险防控")
    assert brief(diff(tmp_path, ACTIONS, new)) == [
        ("task", "moved", "W05", "由“抓风险防控”调至“抓责任落实”，列于一、（一）3.“推进标准化建设”之后"),
        ("task", "responsibility", "W05", "删去责任单位“市住房和城乡建设局”"),
        ("task", "deadline", "W05", "删去完成时限2025年底前"),
    ]


def test_renamed_section_and_reworded_paragraph(tmp_path):
    new = (ACTIONS.replace("标题: 抓风险防控", "标题: 抓风险源头防控")
           .replace("聚焦燃气、自建房等重点领域开展风险排查。", "聚焦燃气、自建房、电动自行车等重点领域开展风险排查。"))
    changes = diff(tmp_path, ACTIONS, new)
    assert brief(changes) == [
        ("section", "renamed", None, "标题由“抓风险防控”修改为“抓风险源头防控”"),
        ("paragraph", "reworded", None, "增加“、电动自行车”"),
    ]
    assert changes[1].subject == "“抓风险源头防控”中的段落"


def test_added_section_with_a_moved_task(tmp_path):
    w04 = ACTIONS[ACTIONS.index("        - 任务: 整治城镇燃气隐患"):ACTIONS.index("        - 任务: 整治经营性自建房")]
    new = ACTIONS.replace(w04, "") + """\
    - 标题: 抓专项整治
      导语: 集中整治燃气领域突出问题。
      内容:
""" + w04.replace("          内容: 对燃气", "          责任单位: 市住房和城乡建设局\n          完成时限: 2025年底前\n          内容: 对燃气")
    changes = diff(tmp_path, ACTIONS, new)
    assert brief(changes) == [
        ("section", "added", None, "新增章节"),
        ("task", "moved", "W04", "由“抓风险防控”调至“抓专项整治”，列于首位"),
    ]
    assert changes[0].new == "抓专项整治\n集中整治燃气领域突出问题。"


def test_changed_id_is_a_rename_when_the_text_is_alike(tmp_path):
    new = ACTIONS.replace("编号: W02", "编号: W12").replace("建立问题清单并逐项整改", "建立问题清单并限期逐项整改")
    changes = diff(tmp_path, ACTIONS, new)
    assert brief(changes) == [
        ("task", "renamed", "W12", "任务编号由W02调整为W12"),
        ("task", "reworded", "W12", "增加“限期”"),
    ]
    assert changes[0].old_id == "W02"


def test_changed_id_with_other_text_is_a_removal_and_an_addition(tmp_path):
    new = ACTIONS.replace("编号: W02", "编号: W12").replace(
        "开展安全生产大检查\n          编号: W12\n          内容: 组织对重点行业领域企业开展全覆盖检查，建立问题清单并逐项整改。",
        "开展应急演练\n          编号: W12\n          内容: 每半年组织一次综合应急演练。")
    assert [(k, i) for _, k, i, _ in brief(diff(tmp_path, ACTIONS, new))] == [("removed", "W02"), ("added", "W12")]


def test_attachment_rows(tmp_path):
    table = """
附件:
  - 标题: 重点项目清单
    列: [序号, 项目名称, 完成时限]
    行:
      - [1, 燃气管道更新改造, 2025年底前]
      - [2, 消防车通道打通, 2025年6月底前]
"""
    old = load(tmp_path, plan_text(ACTIONS) + table, "old.yaml")
    new = load(tmp_path, plan_text(ACTIONS) + table.replace("消防车通道打通, 2025年6月底前", "消防车通道打通, 2025年9月底前")
               + "      - [3, 应急避难场所建设, 2025年底前]\n", "new.yaml")
    assert brief(compare(old, new)) == [
        ("attachment", "reworded", None, "将“6”改为“9”"),
        ("attachment", "added", None, "新增表格行"),
    ]



def test_section_inserted_first_moves_no_other_section(tmp_path):
    new = ACTIONS.replace("    - 标题: 抓责任落实", """\
    - 标题: 抓能力提升
      内容:
        - 任务: 开展全员安全培训
          编号: W07
          内容: 组织企业从业人员开展全员安全培训。
          责任单位: 市人力资源和社会保障局
          完成时限: 每年
    - 标题: 抓责任落实""")
    assert [(e, k, i) for e, k, i, _ in brief(diff(tmp_path, ACTIONS, new))] == [
        ("section", "added", None), ("task", "added", "W07")]


def test_long_metadata_is_shown_as_a_rewording(tmp_path):
    body = "现将《松原市2025年安全生产工作要点》印发给你们，请结合本地本部门实际，细化任务措施，认真抓好贯彻落实，重要情况及时报告市安委办。"
    old_header = HEADER.replace("正文:\n", f"印发通知:\n  正文: {body}\n正文:\n")
    new_header = HEADER.replace("正文:\n", f"印发通知:\n  正文: {body.replace('认真抓好', '逐项抓好')}\n正文:\n")
    [change] = diff(tmp_path, ACTIONS, ACTIONS, old_header, new_header)
    assert (change.kind.value, change.field, change.note) == ("reworded", "印发通知正文", "印发通知正文：将“认真”改为“逐项”")
