"""Targets written inline (【指标：名称】): printed once where the drafter wrote them, still checked and
split when cascading."""

from __future__ import annotations

import shutil

from conftest import HEADER, REGISTRY, plan_text

from tests.render.helpers import composed

HEADER_3Y = HEADER.replace("止: 2025年12月31日", "止: 2026年12月31日")

BODY = """
- 任务: 加强森林草原防灭火工作
  编号: L1
  内容: 落实林长制，严格野外火源管控，确保【指标：森林火灾受害率】，不发生重特大森林火灾。
  分项:
    - 推进企业安全生产标准化建设，【指标：安全生产标准化达标率】
    - 开展防火宣传
  责任单位: {牵头: 市应急管理局, 配合: 各乡镇（街道）}
  完成时限: 2026年底前
  指标:
    - {名称: 森林火灾受害率, 要求: 控制在, 目标值: 0.3, 单位: ‰}
    - {名称: 安全生产标准化达标率, 要求: 达到, 目标值: 100, 单位: "%", 分年度: {2025: 60, 2026: 100}}
    - {名称: 防火宣传活动, 要求: 不少于, 目标值: 8, 单位: 场, 分解: {方式: 平均}}
"""


def test_inline_targets_are_printed_once_where_written(tmp_path):
    doc = composed(tmp_path, plan_text(BODY, HEADER_3Y))
    text = next(p.text for p in doc.paragraphs() if p.text.startswith("一、加强森林草原防灭火工作"))
    assert "确保森林火灾受害率控制在0.3‰以内，不发生重特大森林火灾。" in text
    assert "一是推进企业安全生产标准化建设，安全生产标准化达标率达到100%（2025年60%，2026年100%）。" in text
    assert text.count("森林火灾受害率") == 1 and text.count("2025年60%") == 1
    assert text.endswith("二是开展防火宣传。防火宣传活动不少于8场。")  # not referenced: after the text


def test_a_reference_to_no_target_is_reported(tmp_path, run):
    (tmp_path / "plan.yaml").write_text(plan_text(BODY.replace("【指标：森林火灾受害率】", "【指标：森林火灾发生率】"),
                                                  HEADER_3Y), encoding="utf-8")
    result = run("check", "plan.yaml", "--registry", REGISTRY, cwd=tmp_path)
    assert result.exit_code == 1
    assert "DG109" in result.output and "您是否想写“【指标：森林火灾受害率】”" in result.output


def test_cascade_splits_an_inline_target_and_prints_the_share_in_place(tmp_path, run):
    shutil.copytree(REGISTRY, tmp_path / "registry")
    (tmp_path / "pyproject.toml").write_text('[tool.docgen]\nregistry = ["registry"]\n', encoding="utf-8")
    body = BODY.replace("    - 开展防火宣传\n", "    - 开展【指标：防火宣传活动】\n")
    (tmp_path / "plan.yaml").write_text(plan_text(body, HEADER_3Y).replace("主送: [市安委会各成员单位]", "主送: [各乡镇（街道）]"),
                                        encoding="utf-8")
    result = run("cascade", "plan.yaml", "--into", ".", cwd=tmp_path)
    assert result.exit_code == 0, result.output
    result = run("render", "青松街道/plan.yaml", "-o", "out", cwd=tmp_path)
    assert result.exit_code == 0, result.output
    import docx
    text = next(p.text for p in docx.Document(str(tmp_path / "out/plan.docx")).paragraphs if "防火宣传" in p.text)
    assert "二是开展防火宣传活动不少于4场。" in text and text.count("防火宣传活动") == 1
