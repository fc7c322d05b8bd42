"""The example plans of the plan format: restarted numbering, a joint notice, a phased schedule.

Built like `make demo` does (`docgen build`), read back from the .docx a drafter opens.
"""

from __future__ import annotations

import datetime as dt

import docx
import pytest
from conftest import ROOT

from docgen.checked import prepare
from docgen.config import load_settings
from docgen.jobs.render import render


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("format-build")
    settings = load_settings(ROOT)
    files = [ROOT / "plans/city/flood-season-notice.yaml", ROOT / "plans/city/fire-grid-opinions.yaml",
             ROOT / "plans/beishan/work-points-2025.yaml"]
    render(files, settings, out, pdf=False, base=ROOT, keep_folders=True)
    ctx, result = prepare(files, settings, ROOT)
    assert result.clean, result.problems
    return out, {p.path.stem if p.path.parent.name != "beishan" else "beishan": p for p in ctx.plans}


def lines(path) -> list[str]:
    return [p.text for p in docx.Document(str(path)).paragraphs]


def test_work_points_restart_numbering_under_each_section(built):
    out, _ = built
    text = lines(out / "beishan/work-points-2025.docx")
    leads = [t.split("。")[0] for t in text if t[:2] in ("1.", "2.", "3.")]
    assert leads == ["1.调整镇安委会组成人员和工作职责", "2.开展节前安全生产大检查", "1.报送安全生产工作情况",
                     "1.开展校园及周边安全隐患排查", "1.整治农村自建房消防安全隐患", "2.配合开展森林防火督查"]
    assert "配合单位：农业服务中心、各村（社区）。" in text


def test_work_points_named_periods_are_dates(built):
    _, plans = built
    tasks = plans["beishan"].task_by_id()
    assert tasks["B02"].deadline.final == dt.date(2025, 1, 28)  # 节前: the day before 春节 2025
    assert tasks["B04"].deadline.final == dt.date(2025, 8, 31)  # 开学前
    assert tasks["B03"].deadline.milestones[0].kind.value == "recurring"


def test_joint_notice_has_both_organs_in_head_and_signature(built):
    out, plans = built
    document = docx.Document(str(out / "city/flood-season-notice.docx"))
    head = document.tables[0].rows[0].cells
    assert [p.text for p in head[0].paragraphs] == ["清溪市安全生产委员会", "清溪市减灾委员会"]
    assert head[1].text == "文件"
    text = [p.text for p in document.paragraphs]
    i = text.index("清溪市安全生产委员会")
    assert text[i:i + 3] == ["清溪市安全生产委员会", "清溪市减灾委员会", "2025年4月25日"]
    assert plans["flood-season-notice"].task_by_id()["F01"].deadline.final == dt.date(2025, 5, 31)


def test_opinions_print_the_phased_schedule(built):
    out, _ = built
    text = lines(out / "city/fire-grid-opinions.docx")
    grid = next(t for t in text if t.startswith("1.以村（社区）为基础划分消防安全网格"))
    assert grid.endswith("消防安全网格化管理覆盖率分批达到100%：2025年底前，东湖街道、西岭街道等城区街道；"
                         "2026年6月底前，南河镇；2026年底前，北山镇。")


def test_opinions_cascade_each_town_to_its_batch(tmp_path, run):
    result = run("cascade", "plans/city/fire-grid-opinions.yaml", "-o", tmp_path, cwd=ROOT)
    assert result.exit_code == 0, result.output
    for town, due in (("东湖街道", "2025年底前"), ("南河镇", "2026年6月底前"), ("北山镇", "2026年底前")):
        child = (tmp_path / town / "fire-grid-opinions.yaml").read_text(encoding="utf-8")
        assert "分期" not in child and f"完成时限: {due}" in child.split("指标:")[1], town
        assert "编号方式: 分章重排" in child


def test_notices_of_a_plan_with_restarted_numbers_name_each_task_unambiguously(tmp_path, run):
    result = run("notify", "plans/beishan/work-points-2025.yaml", "-o", tmp_path, cwd=ROOT)
    assert result.exit_code == 0, result.output
    notice = next(p for p in tmp_path.rglob("*.docx") if "安办" in p.name)
    text = "\n".join(lines(notice))
    assert "（方案第一（一）2项，编号B02）" in text
    ledger = next(p for p in tmp_path.rglob("*.xlsx") if "安办" in p.name)
    import openpyxl
    cells = {str(c) for row in openpyxl.load_workbook(ledger).active.iter_rows(values_only=True) for c in row}
    assert {"B01", "B02"} & cells == {"B02"}  # 安办 leads B02 only
