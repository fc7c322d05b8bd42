"""分期: a target reached by batches of sub-organisations; every sub-organisation in one batch."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import HEADER, REGISTRY, plan_text

from docgen.checked import prepare
from docgen.config import Settings
from tests.render.helpers import composed

HEADER_3Y = HEADER.replace("止: 2025年12月31日", "止: 2026年12月31日")

BODY = """
- 任务: 推进农村消防安全网格化管理
  编号: P1
  内容: 以乡镇（街道）为单元，整合网格员力量，开展消防安全巡查。
  责任单位: {牵头: 市消防救援支队, 配合: 各乡镇（街道）}
  完成时限: 2026年底前
  指标:
    - 名称: 消防安全网格化管理覆盖率
      要求: 达到
      目标值: 100
      单位: "%"
      分期:
        - {时限: 2025年底前, 单位: [青松街道], 说明: 等重点街道}
        - {时限: 2026年底前, 单位: [白河镇]}
"""


def test_phased_target_is_printed_batch_by_batch(tmp_path):
    doc = composed(tmp_path, plan_text(BODY, HEADER_3Y))
    text = next(p.text for p in doc.paragraphs() if p.text.startswith("一、推进农村消防安全网格化管理"))
    assert text.endswith("消防安全网格化管理覆盖率分批达到100%：2025年底前，青松街道等重点街道；2026年底前，白河镇。")


def checked(tmp_path: Path, body: str):
    path = tmp_path / "plan.yaml"
    path.write_text(plan_text(body, HEADER_3Y), encoding="utf-8")
    _, result = prepare([path], Settings(root=tmp_path, registry=[REGISTRY]), base=tmp_path)
    return result.problems


def test_every_sub_organisation_must_be_in_exactly_one_batch(tmp_path):
    missing = checked(tmp_path, BODY.replace("        - {时限: 2026年底前, 单位: [白河镇]}\n", ""))
    assert [(p.code, p.location.line) for p in missing] == [("DG205", 15)]
    assert "没有列出下级组织：白河镇" in missing[0].message
    twice = checked(tmp_path, BODY.replace("单位: [白河镇]", "单位: [白河镇, 青松街道]"))
    assert [p.code for p in twice] == ["DG205"] and "“青松街道”出现了两次（另一次在“2025年底前”批次）" in twice[0].message
    stranger = checked(tmp_path, BODY.replace("单位: [白河镇]", "单位: [白河镇, 市教育局]"))
    assert [p.code for p in stranger] == ["DG205"] and "“市教育局”不是“松原市”的直属下级组织" in stranger[0].message


def test_batch_deadlines_are_checked_like_any_deadline(tmp_path):
    late = checked(tmp_path, BODY.replace("时限: 2026年底前, 单位", "时限: 2027年底前, 单位"))
    assert {p.code for p in late} == {"DG303"}
    unread = checked(tmp_path, BODY.replace("时限: 2025年底前, 单位", "时限: 尽快, 单位"))
    assert [p.code for p in unread] == ["DG302"]
    backwards = checked(tmp_path, BODY.replace("时限: 2025年底前, 单位", "时限: 2026年6月底前, 单位")
                        .replace("时限: 2026年底前, 单位", "时限: 2025年底前, 单位"))
    assert [p.code for p in backwards] == ["DG305"]


def test_cascade_gives_each_sub_organisation_its_own_batch(tmp_path, run):
    reg = tmp_path / "registry"
    shutil.copytree(REGISTRY, reg)
    (tmp_path / "pyproject.toml").write_text('[tool.docgen]\nregistry = ["registry"]\n', encoding="utf-8")
    (tmp_path / "plan.yaml").write_text(plan_text(BODY, HEADER_3Y).replace(
        "主送: [市安委会各成员单位]", "主送: [各乡镇（街道）]"), encoding="utf-8")
    result = run("cascade", "plan.yaml", "--into", ".", cwd=tmp_path)
    assert result.exit_code == 0, result.output
    street = (tmp_path / "青松街道/plan.yaml").read_text(encoding="utf-8")
    town = (tmp_path / "白河镇/plan.yaml").read_text(encoding="utf-8")
    assert "分期" not in street and "分期" not in town
    assert "完成时限: 2025年底前" in street.split("指标:")[1] and "完成时限: 2026年底前" in town.split("指标:")[1]
    result = run("render", "青松街道/plan.yaml", "-o", "out", cwd=tmp_path)
    assert result.exit_code == 0, result.output
    import docx
    lines = [p.text for p in docx.Document(str(tmp_path / "out/plan.docx")).paragraphs]
    assert any(line.endswith("消防安全网格化管理覆盖率2025年底前达到100%。") for line in lines), lines
