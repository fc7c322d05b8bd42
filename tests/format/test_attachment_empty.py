"""An 附件 with only a 标题 (or rows wider than its header) is a finding, never a crash."""

from __future__ import annotations

from conftest import REGISTRY, plan_text

PLAN = plan_text("""
- 任务: 开展重点企业安全检查
  编号: A1
  责任单位: 市教育局
  完成时限: 2025年底前
""") + "附件:\n  - 标题: 重点企业名单\n"


def test_attachment_with_only_a_title_is_reported_and_nothing_is_written(tmp_path, run):
    (tmp_path / "plan.yaml").write_text(PLAN, encoding="utf-8")
    result = run("render", "plan.yaml", "--registry", REGISTRY, "-o", "out", cwd=tmp_path)
    assert result.exit_code == 1, result.output
    assert "plan.yaml:14:5: 错误 DG107" in result.output and "没有表头" in result.output
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_rows_wider_than_the_header_are_reported_and_short_rows_render(tmp_path, run):
    text = PLAN + "    列: [序号, 企业名称]\n    行: [[1, 清河化工有限公司, 多余], [2]]\n"
    (tmp_path / "plan.yaml").write_text(text, encoding="utf-8")
    result = run("check", "plan.yaml", "--registry", REGISTRY, cwd=tmp_path)
    assert result.exit_code == 1 and "第 1 行有 3 格，多于表头的 2 列" in result.output, result.output
    (tmp_path / "plan.yaml").write_text(text.replace(", 多余", ""), encoding="utf-8")
    result = run("render", "plan.yaml", "--registry", REGISTRY, "-o", "out", cwd=tmp_path)
    assert result.exit_code == 0 and (tmp_path / "out/plan.docx").is_file(), result.output
