"""Rules that need a parent plan: DG102 (parent file), DG103 (parent task), DG304 (later deadline)."""

from __future__ import annotations

from conftest import expected_marks, found, lint

CITY = """\
文种: 工作要点
标题: 松原市2025年安全生产工作要点
发文机关: 松原市安全生产委员会
实施期限: {起: 2025年1月1日, 止: 2025年12月31日}
正文:
  - 任务: 开展培训
    编号: C1
    责任单位: 各乡镇（街道）
    完成时限: 2025年6月底前
  - 任务: 开展演练
    编号: C2
    责任单位: 各乡镇（街道）
    完成时限: [2025年3月底前, 9月底前]
"""

STREET = """\
文种: 工作要点
标题: 青松街道2025年安全生产工作要点
发文机关: 松原市青松街道办事处
上级方案: ../city/plan.yaml{marks_path}
实施期限: {{起: 2025年1月1日, 止: 2025年12月31日}}
正文:
  - 任务: 组织培训
    编号: S1
    上级任务: C1
    责任单位: 安办
    完成时限: 2025年7月底前  # !DG304
  - 任务: 组织演练
    编号: S2
    上级任务: C2
    责任单位: 安办
    完成时限: [2025年3月底前, 9月30日前]
  - 任务: 组织检查
    编号: S3
    上级任务: C9  # !DG103
    责任单位: 安办
    完成时限: 2025年底前
"""


def test_parent_rules_report_exactly_the_marked_lines(tmp_path):
    text = STREET.format(marks_path="")
    problems = lint(tmp_path, text, name="street/plan.yaml", extra={"city/plan.yaml": CITY},
                    select=["DG102", "DG103", "DG304"])
    assert found(problems) == expected_marks(text)
    by_code = {p.code: p for p in problems}
    assert "C1" in by_code["DG304"].message and "2025年6月30日" in by_code["DG304"].message
    assert "C2" in by_code["DG103"].message or "C1" in by_code["DG103"].message  # did-you-mean


def test_missing_parent_file_is_reported_on_the_key(tmp_path):
    text = STREET.format(marks_path="  # !DG102").replace("../city/plan.yaml", "../city/nope.yaml")
    problems = lint(tmp_path, text, name="street/plan.yaml", select=["DG102", "DG103", "DG304"])
    assert found(problems) == {("DG102", 4)}  # without the parent, DG103/DG304 cannot be judged


def test_broken_parent_is_one_finding_in_the_child(tmp_path):
    text = STREET.format(marks_path="  # !DG102")
    problems = lint(tmp_path, text, name="street/plan.yaml", extra={"city/plan.yaml": "文种: [\n"},
                    select=["DG102", "DG103", "DG304"])
    assert found(problems) == {("DG102", 4)}
    assert "docgen check" in problems[0].message


def test_parent_task_without_parent_plan(tmp_path):
    text = STREET.format(marks_path="").replace("上级方案: ../city/plan.yaml\n", "")
    problems = lint(tmp_path, text, name="street/plan.yaml", select=["DG103"])
    assert {p.location.line for p in problems} == {8, 13, 18}
    assert all("上级方案" in p.message for p in problems)


def test_parent_checked_together_with_child_is_loaded_once(tmp_path):
    from conftest import REGISTRY

    from docgen.checked import prepare
    from docgen.config import Settings
    (tmp_path / "city").mkdir()
    (tmp_path / "street").mkdir()
    (tmp_path / "city/plan.yaml").write_text(CITY, encoding="utf-8")
    (tmp_path / "street/plan.yaml").write_text(STREET.format(marks_path=""), encoding="utf-8")
    ctx, _ = prepare([tmp_path], Settings(root=tmp_path, registry=[REGISTRY]), base=tmp_path)
    city, street = sorted(ctx.plans, key=lambda p: p.path.as_posix())
    assert ctx.parent_of(street).plan is city
