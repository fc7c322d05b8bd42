"""Named periods (时段), recurrences to the day, and "X年前" read as the end of year X."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from conftest import HEADER, REGISTRY, plan_text

from docgen import deadlines
from docgen.checked import prepare
from docgen.config import Settings

#: The city registers the flood seasons and the Spring Festival of two years; 青松街道 in the
from docgen.jobs.check import check

#: The city registers the flood seasons and the Spring Festival of two years; 青松街道 in the
#: hills has its own, later 主汛期 (periods differ by level).
CITY_PERIODS = """\
    时段:
      - {名称: 主汛期, 起: 6月1日, 止: 8月31日}
      - {名称: 汛期, 起: 5月1日, 止: 9月30日}
      - {名称: 春节, 别名: [节], 起: 2025年1月29日, 止: 2025年2月4日}
      - {名称: 春节, 别名: [节], 起: 2026年2月17日, 止: 2026年2月23日}
      - {名称: 开学, 起: 9月1日, 止: 9月10日}
"""
STREET_PERIODS = """\
    时段:
      - {名称: 主汛期, 起: 6月15日, 止: 9月15日}
"""


def registry(tmp_path: Path) -> Path:
    reg = tmp_path / "registry"
    shutil.copytree(REGISTRY, reg)
    path = reg / "city.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("    发文机关:\n      - 名称: 松原市安全生产委员会\n",
                        CITY_PERIODS + "    发文机关:\n      - 名称: 松原市安全生产委员会\n", 1)
    text = text.replace("    发文机关:\n      - 名称: 松原市青松街道办事处\n",
                        STREET_PERIODS + "    发文机关:\n      - 名称: 松原市青松街道办事处\n", 1)
    assert text.count("时段:") == 2
    path.write_text(text, encoding="utf-8")
    return reg


BODY = """
- 标题: 防汛和节日期间安全防范
  内容:
    - 任务: 完成汛前隐患排查
      编号: F1
      责任单位: 市住房和城乡建设局
      完成时限: 主汛期前
    - 任务: 做好汛期值班值守
      编号: F2
      责任单位: 市应急管理局
      完成时限: 汛期期间
    - 任务: 开展节前安全检查
      编号: F3
      责任单位: 市应急管理局
      完成时限: 节前
    - 任务: 开展校园安全隐患排查
      编号: F4
      责任单位: 市教育局
      完成时限: 开学前
    - 任务: 报送隐患排查治理情况
      编号: F5
      责任单位: 市应急管理局
      完成时限: 每月7日前
    - 任务: 报送专项整治进展
      编号: F6
      责任单位: 市应急管理局
      完成时限: 每季度首月10日前
"""


def checked(tmp_path: Path, text: str, reg: Path | None = None):
    path = tmp_path / "plan.yaml"
    path.write_text(text, encoding="utf-8")
    settings = Settings(root=tmp_path, registry=[reg or registry(tmp_path)])
    return prepare([path], settings, base=tmp_path)


def deadline_of(ctx, tid: str):
    return ctx.plans[0].task_by_id()[tid].deadline.milestones[0]


def test_named_periods_become_dates_in_the_plans_year(tmp_path):
    ctx, result = checked(tmp_path, plan_text(BODY))
    assert not result.problems, result.problems
    dates = {tid: deadline_of(ctx, tid).date for tid in ("F1", "F2", "F3", "F4")}
    assert dates == {"F1": dt.date(2025, 5, 31), "F2": dt.date(2025, 9, 30), "F3": dt.date(2025, 1, 28),
                     "F4": dt.date(2025, 8, 31)}
    assert deadline_of(ctx, "F1").phrase == "主汛期前"  # printed as the drafter wrote it


def test_a_year_in_the_phrase_and_a_festival_registered_per_year(tmp_path):
    body = BODY.replace("完成时限: 节前", "完成时限: 2026年节前").replace("完成时限: 主汛期前", "完成时限: 2026年主汛期前")
    header = HEADER.replace("止: 2025年12月31日", "止: 2026年12月31日")
    ctx, result = checked(tmp_path, plan_text(body, header))
    assert not result.problems, result.problems
    assert deadline_of(ctx, "F3").date == dt.date(2026, 2, 16)
    assert deadline_of(ctx, "F1").date == dt.date(2026, 5, 31)


def test_a_level_that_registers_its_own_period_uses_its_dates(tmp_path):
    header = (HEADER.replace("松原市2025年", "青松街道2025年").replace("松原市安全生产委员会", "松原市青松街道办事处")
              .replace("松安委〔2025〕2号", "青松街办〔2025〕2号").replace("主送: [市安委会各成员单位]", "主送: [安办]"))
    body = """
    - 任务: 完成汛前隐患排查
      编号: F1
      责任单位: 城建办
      完成时限: 主汛期前
    - 任务: 开展节前安全检查
      编号: F3
      责任单位: 安办
      完成时限: 节前
    """
    ctx, result = checked(tmp_path, plan_text(body, header))
    assert not [p for p in result.problems if p.code.startswith("DG3")], result.problems
    assert deadline_of(ctx, "F1").date == dt.date(2025, 6, 14)  # the street's own 主汛期
    assert deadline_of(ctx, "F3").date == dt.date(2025, 1, 28)  # the city's 春节, inherited


def test_recurrences_to_the_day_are_read():
    assert deadlines.parse("每月7日前") == deadlines.Parsed(deadlines.DeadlineKind.RECURRING, every="月", day=7)
    q = deadlines.parse("每季度首月10日前")
    assert (q.kind, q.every, q.month, q.day) == (deadlines.DeadlineKind.RECURRING, "季度", 1, 10)
    y = deadlines.parse("每年3月底前")
    assert (y.every, y.month, y.day) == ("年", 3, 31)


@pytest.mark.parametrize("phrase, words", [
    ("每月35日前", "“35日”不存在"),
    ("每季度第五月10日前", "季度只有3个月"),
    ("端午节前", "“时段”中登记"),
    ("秋收前", "看不懂完成时限“秋收前”"),
])
def test_a_phrase_that_cannot_be_read_is_kept_and_reported(tmp_path, phrase, words):
    ctx, result = checked(tmp_path, plan_text(BODY.replace("完成时限: 开学前", f"完成时限: {phrase}")))
    found = [p for p in result.problems if p.code == "DG302"]
    assert len(found) == 1 and words in found[0].message, result.problems
    assert found[0].severity.value == "error"
    assert deadline_of(ctx, "F4").phrase == phrase and deadline_of(ctx, "F4").date is None


def test_year_before_is_read_as_the_end_of_that_year_with_a_note(tmp_path):
    ctx, result = checked(tmp_path, plan_text(BODY.replace("完成时限: 开学前", "完成时限: 在2025年前")))
    assert [(p.code, p.severity.value) for p in result.problems] == [("DG307", "warning")]
    assert "2025年12月31日" in result.problems[0].message and "2024年底前" in result.problems[0].message
    assert deadline_of(ctx, "F4").date == dt.date(2025, 12, 31)


def test_a_period_missing_for_the_plans_year_names_the_year(tmp_path):
    header = HEADER.replace("2025", "2027")
    ctx, result = checked(tmp_path, plan_text(BODY, header))
    messages = [p.message for p in result.problems if p.code == "DG302"]
    assert any("没有2027年的" in m and "春节" in m for m in messages), messages


def test_a_period_with_an_impossible_date_is_a_registry_finding(tmp_path):
    reg = registry(tmp_path)
    city = reg / "city.yaml"
    city.write_text(city.read_text(encoding="utf-8").replace("止: 8月31日", "止: 8月32日"), encoding="utf-8")
    path = tmp_path / "plan.yaml"
    path.write_text(plan_text(BODY), encoding="utf-8")
    problems = check([path], Settings(root=tmp_path, registry=[reg]), base=tmp_path).problems
    assert any(p.code == "DG203" and "8月32日" in p.message for p in problems), problems


def test_cascade_reads_named_periods_with_the_childs_own_dates(tmp_path, run):
    reg = registry(tmp_path)
    (tmp_path / "pyproject.toml").write_text('[tool.docgen]\nregistry = ["registry"]\n', encoding="utf-8")
    body = """
    - 任务: 完成汛前隐患排查
      编号: F1
      责任单位: {牵头: 市住房和城乡建设局, 配合: 各乡镇（街道）}
      完成时限: 汛期前
    """
    (tmp_path / "plan.yaml").write_text(plan_text(body).replace("主送: [市安委会各成员单位]", "主送: [各乡镇（街道）]"),
                                        encoding="utf-8")
    result = run("cascade", "plan.yaml", "--into", ".", cwd=tmp_path)
    assert result.exit_code == 0, result.output
    ctx, result = prepare([tmp_path / "白河镇/plan.yaml"], Settings(root=tmp_path, registry=[reg]), base=tmp_path)
    assert [p.code for p in result.problems] == ["DG409"], result.problems  # a draft: no 发文字号 yet
    assert deadline_of(ctx, "F1").phrase == "汛期前" and deadline_of(ctx, "F1").date == dt.date(2025, 4, 30)


def test_cascade_keeps_the_parents_date_when_the_child_reads_a_period_later(tmp_path, run):
    registry(tmp_path)  # 青松街道 registers its own, later 主汛期 (6月15日)
    (tmp_path / "pyproject.toml").write_text('[tool.docgen]\nregistry = ["registry"]\n', encoding="utf-8")
    body = """
    - 任务: 完成汛前隐患排查
      编号: F1
      责任单位: {牵头: 市住房和城乡建设局, 配合: 各乡镇（街道）}
      完成时限: 主汛期前
    """
    (tmp_path / "plan.yaml").write_text(plan_text(body).replace("主送: [市安委会各成员单位]", "主送: [各乡镇（街道）]"),
                                        encoding="utf-8")
    result = run("cascade", "plan.yaml", "--into", ".", cwd=tmp_path)
    assert result.exit_code == 0, result.output  # no DG304: the street is not given a later date
    street = (tmp_path / "青松街道/plan.yaml").read_text(encoding="utf-8")
    assert "完成时限: 2025年5月底前" in street and "已改写为“2025年5月底前”" in street
    assert "完成时限: 主汛期前" in (tmp_path / "白河镇/plan.yaml").read_text(encoding="utf-8")  # reads it as the city
