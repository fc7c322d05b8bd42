"""Phrasing and rounding, overdue and lagging to the day, hand-written progress, bad input."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from docx import Document as WordDocument
from openpyxl import load_workbook
from test_round_trip import CITY, run

from docgen.progress.collect import read_date
from docgen.progress.model import Entry
from docgen.progress.stats import (
    DONE_STATE,
    LAGGING,
    ONGOING,
    OVERDUE,
    change,
    number,
    percent,
    rate,
    state_of,
)
from docgen.rules import registry

TITLE = "清溪市安全生产治本攻坚三年行动实施方案"


@pytest.fixture(scope="module")
def ledgers(tmp_path_factory):
    out = tmp_path_factory.mktemp("ledgers")
    assert run("notify", CITY, "-o", out, "--unit", "市应急管理局", "--unit", "东湖街道").exit_code == 0
    return out


# -- phrasing ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("current, previous, text", [
    (4, 4, "同比持平"), (5, 4, "同比上升25.0%"), (3, 4, "同比下降25.0%"), (4, 3, "同比上升33.3%"),
    (2, 3, "同比下降33.3%"), (1, 0, "上年同期为0"), (0, 0, "同比持平"), (3, None, ""),
    (17, 16, "同比上升6.3%"),  # 6.25: half up, not half even
])
def test_change(current, previous, text):
    assert change(current, previous) == text


def test_environment_change_and_rates():
    assert change(6, 4, "环比") == "环比上升50.0%" and change(1, 0, "环比") == "上期为0"
    assert rate(763, 1000) == "76.3%" and rate(2, 3) == "66.7%" and rate(1, 8) == "12.5%" and rate(0, 0) == "—"
    assert percent(1, 16) == percent(0.0625, 1)
    assert number(4.0) == "4" and number(15.53) == "15.53" and number(0.5) == "0.5"


# -- overdue and lagging, to the day -----------------------------------------------------------------


def test_overdue_starts_the_day_after_the_deadline():
    deadline, start = dt.date(2025, 6, 30), dt.date(2024, 1, 1)
    going = Entry("推进中")
    assert state_of(going, deadline, start, deadline) == ONGOING
    assert state_of(going, deadline, start, deadline + dt.timedelta(days=1)) == OVERDUE
    assert state_of(Entry("已完成", date=dt.date(2025, 7, 5)), deadline, start, dt.date(2025, 8, 1)) == DONE_STATE
    assert state_of(None, None, start, dt.date(2030, 1, 1)) == ONGOING  # standing tasks are never overdue


def test_lagging_from_half_the_time():
    start, deadline = dt.date(2024, 1, 1), dt.date(2025, 6, 30)  # 546 days: half is day 273
    half = start + dt.timedelta(days=273)
    assert state_of(None, deadline, start, half - dt.timedelta(days=1)) == ONGOING
    assert state_of(None, deadline, start, half) == LAGGING
    assert state_of(Entry("未启动"), deadline, start, half) == LAGGING
    assert state_of(Entry("推进中"), deadline, start, half) == ONGOING


def _progress(path: Path, status: str, extra: str = "") -> Path:
    path.write_text(
        "# yaml-language-server: $schema=../schemas/progress.schema.json\n"
        f"方案: plans/city/three-year-plan.yaml\n方案标题: {TITLE}\n截至: 2025年6月30日\n"
        f"进展:\n  T20:\n    市应急管理局:\n      完成状态: {status}\n" + extra, encoding="utf-8")
    return path


def test_as_of_makes_overdue_exact_in_the_report(tmp_path):
    progress = _progress(tmp_path / "p.yaml", "推进中")
    texts = {}
    for day in ("2025-06-30", "2025-07-01"):
        out = tmp_path / day
        result = run("report", CITY, "--progress", progress, "--as-of", day, "-o", out)
        assert result.exit_code == 0, result.output
        texts[day] = "\n".join(p.text for p in WordDocument(out / "three-year-plan-进展通报.docx").paragraphs)
    assert "T20“规范安全生产技术服务机构”" not in texts["2025-06-30"]
    assert "T20“规范安全生产技术服务机构”（清溪市应急管理局，完成时限2025年6月30日，已逾期1天）；" in texts["2025-07-01"]


def test_hand_written_progress_with_statistics_and_next_steps(tmp_path):
    extra = ("统计:\n  事故起数: {本期: 4, 上年同期: 4}\n  死亡人数: {本期: 3, 上年同期: 4}\n"
             "  受伤人数: {本期: 5, 上年同期: 4}\n  排查隐患: {本期: 1000}\n  已整改: {本期: 763}\n"
             "  罚款万元: {本期: 12.5, 上年同期: 10}\n"
             "下一步工作:\n  - 集中开展一轮重点行业领域明查暗访\n  - 对滞后任务逐项约谈责任单位\n")
    progress = _progress(tmp_path / "p.yaml", "已完成", extra)
    result = run("report", CITY, "--progress", progress, "-o", tmp_path, "--signature", "清溪市安委办（代章）")
    assert result.exit_code == 0, result.output
    text = "\n".join(p.text for p in WordDocument(tmp_path / "three-year-plan-进展通报.docx").paragraphs)
    assert "全市发生生产安全事故4起，同比持平，死亡3人，同比下降25.0%，受伤5人，同比上升25.0%。" in text
    assert "排查风险隐患1000条，已整改763条，罚款12.5万元，同比上升25.0%，整改率76.3%" in text
    assert "集中开展一轮重点行业领域明查暗访。\n对滞后任务逐项约谈责任单位。" in text
    assert "清溪市安委办（代章）" in text


def test_previous_period_gives_a_chain_comparison(tmp_path):
    before = _progress(tmp_path / "before.yaml", "推进中")
    now = _progress(tmp_path / "now.yaml", "已完成")
    result = run("report", CITY, "--progress", now, "--previous", before, "-o", tmp_path)
    assert result.exit_code == 0, result.output
    text = "\n".join(p.text for p in WordDocument(tmp_path / "three-year-plan-进展通报.docx").paragraphs)
    assert "已完成1项，完成率3.3%，环比增加1项（上期为0）" in text


# -- collect: locations and refusals -----------------------------------------------------------------


def test_read_date_accepts_what_excel_and_wps_store():
    assert read_date(dt.datetime(2025, 3, 1, 0, 0)) == dt.date(2025, 3, 1)
    assert read_date(45717) == dt.date(2025, 3, 1)
    for text in ("2025-3-1", "2025/03/01", "2025.3.1", "2025年3月1日", "2025年03月01日"):
        assert read_date(text) == dt.date(2025, 3, 1)
    assert read_date("  ") is None
    with pytest.raises(ValueError):
        read_date("三月初")


def _edit(path: Path, target: Path, sheet: str, cells: dict) -> Path:
    wb = load_workbook(path)
    for ref, value in cells.items():
        wb[sheet][ref] = value
    wb.save(target)
    return target


def test_duplicate_wrong_unit_and_other_plan_are_located_and_left_out(ledgers, tmp_path):
    own = ledgers / "东湖街道-台账.xlsx"
    copy = shutil.copy(own, tmp_path / "东湖街道-重报.xlsx")
    stranger = _edit(own, tmp_path / "外单位.xlsx", "填报信息", {"B3": "市委办公室"})
    other = _edit(own, tmp_path / "别的方案.xlsx", "填报信息", {"B1": "另一份方案"})
    out = tmp_path / "p.yaml"
    result = run("collect", own, copy, stranger, other, "-o", out, "--as-of", "2025-06-30")
    assert result.exit_code == 1 and not out.exists()
    assert "东湖街道-重报.xlsx:填报信息!B3: 错误 DG606" in result.output
    assert "外单位.xlsx:填报信息!B3: 错误 DG602" in result.output
    assert "别的方案.xlsx:填报信息!B1: 错误 DG607" in result.output
    moved = _edit(ledgers / "市应急管理局-台账.xlsx", tmp_path / "串行.xlsx", "填报信息",
                  {"B3": "东湖街道", "B2": "清溪市东湖街道办事处"})
    result = run("collect", moved, "-o", out, "--as-of", "2025-06-30")
    assert "串行.xlsx:台账!A3: 错误 DG602" in result.output  # the first task, below the title and head


@pytest.mark.parametrize("content, message", [
    (b"not a workbook", "不是 Excel 工作簿"),
    (None, "台账中没有任何任务行"),
])
def test_bad_ledgers_give_a_clear_message_and_no_traceback(ledgers, tmp_path, content, message):
    bad = tmp_path / "坏台账.xlsx"
    if content is None:
        wb = load_workbook(ledgers / "东湖街道-台账.xlsx")
        wb["台账"].delete_rows(2, 40)
        wb.save(bad)
    else:
        bad.write_bytes(content)
    result = run("collect", bad, "--plan", CITY, "-o", tmp_path / "p.yaml")
    assert result.exit_code == 1
    assert "DG600" in result.output and message in result.output and "Traceback" not in result.output


def test_collect_without_a_plan_is_a_usage_error(ledgers, tmp_path):
    nameless = _edit(ledgers / "东湖街道-台账.xlsx", tmp_path / "y.xlsx", "填报信息", {"B1": None})
    result = run("collect", nameless, "-o", tmp_path / "p.yaml")
    assert result.exit_code == 2 and "请用 --plan 指定" in result.output
    # unreadable ledgers alone: their own finding, not blamed on a missing plan
    bad = tmp_path / "x.xlsx"
    bad.write_bytes(b"junk")
    result = run("collect", bad, "-o", tmp_path / "p.yaml")
    assert result.exit_code == 1 and "DG600" in result.output and "不是 Excel 工作簿" in result.output


@pytest.mark.parametrize("text, message", [
    ("方案: a\n截至: 2025年6月30日\n进展:\n  T20:\n    市应急管理局:\n      完成状态: 完成了\n", "只能是"),
    ("方案: a\n方案标题: 别的方案\n截至: 2025年6月30日\n进展: {}\n", "不是《"),
    ("方案: a\n截至: 2025年6月30日\n进展:\n  T99:\n    东湖街道: {完成状态: 已完成}\n", "T99 在方案中不存在"),
    ("方案: a\n截至: 2025年6月30日\n进展:\n  T20:\n    东湖街道: {完成状态: 已完成}\n", "T20/东湖街道"),
    ("方案: a\n截至: 6月30日\n进展: {}\n", "看不懂日期"),
    ("进展: [\n", "p.yaml:2:1: YAML 语法错误"),
    ("截至: 2025年6月30日\n进展: {}\n", "缺少“方案”"),
])
def test_bad_progress_files_are_usage_errors(tmp_path, text, message):
    path = tmp_path / "p.yaml"
    path.write_text(text, encoding="utf-8")
    result = run("report", CITY, "--progress", path, "-o", tmp_path)
    assert result.exit_code == 2 and message in result.output, result.output


def test_collect_rules_are_registered_and_documented():
    codes = {r.code for r in registry.ALL if r.stage == "collect"}
    assert codes == {f"DG60{i}" for i in range(9)} | {"DG609", "DG610"}
    assert run("rules", "DG603").exit_code == 0


def test_progress_file_reports_every_finding_with_its_line(tmp_path):
    from docgen.progress.model import ProgressError, load
    path = tmp_path / "p.yaml"
    path.write_text("方案: a\n截至: 2025年6月30日\n进展:\n  T20:\n    甲: {完成状态: 完成了}\n"
                    "    乙: {完成状态: 已完成, 颜色: 红}\n", encoding="utf-8")
    with pytest.raises(ProgressError) as info:
        load(path, "p.yaml")
    where = [(p.code, p.location.line, p.location.column) for p in info.value.problems]
    assert where == [("DG013", 5, 15), ("DG010", 6, 20)], where
    assert "p.yaml:5:15" in str(info.value) and "p.yaml:6:20" in str(info.value)


@pytest.mark.parametrize("number", ["清安办〔2025〕7号", ""])
def test_report_has_the_red_head_only_with_a_number(tmp_path, number):
    progress = _progress(tmp_path / "p.yaml", "推进中")
    result = run("report", CITY, "--progress", progress, "-o", tmp_path, *(["--number", number] if number else []))
    assert result.exit_code == 0, result.output
    paragraphs = WordDocument(tmp_path / "three-year-plan-进展通报.docx").paragraphs
    styles = [p.style.name for p in paragraphs]
    if number:
        assert styles[:3] == ["发文机关标志", "发文字号", "标题"] and paragraphs[1].text == number
    else:  # no blank where the number would go: the 通报 starts with its title
        assert "发文机关标志" not in styles and "发文字号" not in styles and styles[0] == "标题"


def test_remind_with_pdf_writes_a_pdf_beside_each_notice(tmp_path):
    from pypdf import PdfReader

    progress = _progress(tmp_path / "p.yaml", "推进中")
    out = tmp_path / "remind"
    result = run("remind", CITY, "--progress", progress, "--as-of", "2025-07-01", "-o", out, "--pdf")
    assert result.exit_code == 0, result.output
    notices = sorted(out.glob("*.docx"))
    assert notices and sorted(out.glob("*.pdf")) == [p.with_suffix(".pdf") for p in notices]
    assert "有关任务的通知" in PdfReader(notices[0].with_suffix(".pdf")).pages[0].extract_text()


def test_collect_warns_of_a_ledger_returned_unfilled_and_of_done_without_a_date(ledgers, tmp_path):
    own = ledgers / "东湖街道-台账.xlsx"
    result = run("collect", own, "-o", tmp_path / "p.yaml", "--as-of", "2025-06-30")
    assert result.exit_code == 0, result.output  # warnings: the progress file is written
    assert "东湖街道-台账.xlsx:台账!E3: 警告 DG609" in result.output and "一项也没有填写" in result.output
    done = _edit(own, tmp_path / "已完成.xlsx", "台账", {"F3": "已完成", "E3": "已完成"})
    result = run("collect", done, "-o", tmp_path / "q.yaml", "--as-of", "2025-06-30")
    assert "已完成.xlsx:台账!G3: 警告 DG610" in result.output and "没有完成日期" in result.output
    assert "DG609" not in result.output


def test_the_ledger_names_its_plan_by_title_and_collect_finds_it(ledgers, tmp_path):
    info = dict(load_workbook(ledgers / "东湖街道-台账.xlsx")["填报信息"].values)
    assert "方案文件" not in info and info["方案"] == TITLE
    result = run("collect", ledgers / "东湖街道-台账.xlsx", "-o", tmp_path / "p.yaml", "--as-of", "2025-06-30")
    assert result.exit_code == 0 and "方案: plans/city/three-year-plan.yaml" in (tmp_path / "p.yaml").read_text(
        encoding="utf-8")


def test_phases_of_a_task_merge_into_one_entry_late_by_its_first_unfinished_phase():
    import datetime as dt
    from types import SimpleNamespace

    from docgen.progress.collect import merge_phases
    from docgen.progress.model import Entry

    steps = [SimpleNamespace(date=dt.date(2025, 3, 31)), SimpleNamespace(date=dt.date(2025, 9, 30))]
    first = Entry("已完成", "完成摸底", dt.date(2025, 3, 20))
    assert merge_phases([first, Entry("推进中", "正在整治")], steps) == Entry(
        "推进中", "完成摸底；正在整治", due=dt.date(2025, 9, 30))
    assert merge_phases([None, Entry("已完成", date=dt.date(2025, 5, 1))], steps).due == dt.date(2025, 3, 31)
    assert merge_phases([Entry("未启动")], steps) == Entry("未启动", due=dt.date(2025, 3, 31))  # a phase row missing
    done = merge_phases([first, Entry("已完成", date=dt.date(2025, 9, 1))], steps)
    assert done == Entry("已完成", "完成摸底", dt.date(2025, 9, 1))
