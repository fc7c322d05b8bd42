"""Untrusted 通报 data and paths written inside files (issue 26, item 7): NaN, infinity and numbers
out of range are located findings, a workbook's empty header column shifts nothing, data workbooks
are opened within the ledger limits, and 数据/模板/上级方案 stay inside the project unless given on the
command line. Each through the CLI as a drafter runs it: exit 1 or 2, never 3, nothing written."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest
from openpyxl import Workbook

from docgen.bulletin import data as data_file
from tests.conftest import REGISTRY, plan_text

BULLETIN = """\
文种: 通报
标题: 松原市2025年1月安全生产情况通报
发文机关: 松原市安全生产委员会
发文字号: 松安委〔2025〕3号
成文日期: 2025年2月5日
主送: [市安委会各成员单位]
数据: {data}
正文:
  - 段落: 发生事故{{事故起数}}，{{事故起数.同比}}。
"""


@pytest.fixture
def project(tmp_path) -> Path:
    root = tmp_path / "project"
    root.mkdir()
    (root / "pyproject.toml").write_text(f'[tool.docgen]\nregistry = ["{REGISTRY.as_posix()}"]\npaths = ["."]\n',
                                         encoding="utf-8")
    return root


def bulletin(project: Path, data: str, name: str = "data.yaml") -> Path:
    (project / name).write_text(textwrap.dedent(data), encoding="utf-8")
    path = project / "b.yaml"
    path.write_text(BULLETIN.format(data=name), encoding="utf-8")
    return path


def checked(run, project: Path, *args):
    result = run("check", *args, cwd=project)
    assert "Traceback" not in result.output and "内部错误" not in result.output, result.output
    return result


def rendered_nothing(run, project: Path, path: Path) -> str:
    result = run("render", path, "-o", project / "out", cwd=project)
    assert "Traceback" not in result.output and "内部错误" not in result.output, result.output
    assert result.exit_code in (1, 2), result.output
    assert not list((project / "out").glob("*")) if (project / "out").exists() else True
    return result.output


@pytest.mark.parametrize("value, why", [
    (".nan", "现在是“nan”（不是一个有限的数）"),
    (".inf", "现在是“inf”（不是一个有限的数）"),
    ("-.inf", "现在是“-inf”（不是一个有限的数）"),
    ("Infinity", "现在是“Infinity”（不是一个有限的数）"),
    ("1" * 51, "超出了能统计的范围（不为 0 时，绝对值应在百万分之一到 10 的 15 次方之间）"),
    ("1e400", "超出了能统计的范围"),
    ("1e-20", "超出了能统计的范围"),  # found by fuzzing: 同比 over it overflowed Decimal's 28 digits
    ("1E-999999", "超出了能统计的范围"),
])
def test_a_figure_that_is_not_a_finite_number_in_range_is_located(run, project, value, why):
    path = bulletin(project, f"""\
        指标:
          事故起数: {{量词: 起, 本期: 4, 上年同期: {value}}}
        """)
    result = checked(run, project, path)
    assert result.exit_code == 1, result.output
    assert "data.yaml:2:30: 错误 DG801 [data-not-number] 指标“事故起数”的上年同期" in result.output, result.output
    assert why in result.output
    output = rendered_nothing(run, project, path)
    assert "同比下降100.0%" not in output


def test_a_table_cell_that_cannot_be_counted_stays_text_and_is_located(run, project):
    path = bulletin(project, """\
        指标:
          事故起数: {量词: 起, 本期: 4, 上年同期: 3}
        表格:
          各乡镇街道:
            量词: 起
            行:
              - {乡镇（街道）: 青松街道, 事故起数: {本期: .nan, 上年同期: 2}}
              - {乡镇（街道）: 白河镇, 事故起数: {本期: 1, 上年同期: .inf}}
        """)
    path.write_text(path.read_text(encoding="utf-8") + "  - 表格: 各乡镇街道\n    同比: [事故起数]\n    合计: true\n",
                    encoding="utf-8")
    result = checked(run, project, path)
    assert result.exit_code == 1, result.output
    assert "data.yaml:7:35: 错误 DG815" in result.output and "这里写的是“nan”" in result.output
    rendered_nothing(run, project, path)


def header_gap_workbook(path: Path) -> Path:
    wb = Workbook()
    figures = wb.active
    figures.title = "指标"
    figures.append(["名称", "量词", "本期", "上年同期"])
    figures.append(["事故起数", "起", 4, 3])
    areas = wb.create_sheet("各乡镇")
    areas.append(["乡镇（街道）", None, "事故起数"])
    areas.append(["青松街道", "备注", 3])
    areas.append(["白河镇", None, 1])
    wb.save(path)
    return path


def test_an_empty_header_column_is_a_finding_and_shifts_nothing(run, project):
    workbook = header_gap_workbook(project / "data.xlsx")
    data = data_file.read(workbook, "data.xlsx")
    table = data.tables["各乡镇"]
    assert table.columns == ["乡镇（街道）", "事故起数"]
    assert [(r["乡镇（街道）"].text, r["事故起数"].text, r["事故起数"].loc.column) for r in table.rows] == [
        ("青松街道", "3", 3), ("白河镇", "1", 3)]
    path = project / "b.yaml"
    path.write_text(BULLETIN.format(data="data.xlsx"), encoding="utf-8")
    result = checked(run, project, path)
    assert result.exit_code == 1, result.output
    assert ("data.xlsx:各乡镇!B1: 错误 DG802 [data-malformed] 工作表“各乡镇”第1行第2列（B1）没有列名，但这一列有数据（B2）"
            in result.output), result.output


def test_a_data_workbook_is_opened_within_the_ledger_limits(run, project, monkeypatch):
    workbook = header_gap_workbook(project / "data.xlsx")
    path = project / "b.yaml"
    path.write_text(BULLETIN.format(data="data.xlsx"), encoding="utf-8")
    monkeypatch.setenv("DOCGEN_LIMITS", "size=1K")
    result = checked(run, project, path)
    assert result.exit_code == 1, result.output
    assert "b.yaml" not in [line.split(":")[0] for line in result.output.splitlines() if "DG800" in line]
    assert "data.xlsx:0:0: 错误 DG800" in result.output or "data.xlsx: 错误 DG800" in result.output, result.output
    assert "超过了文件大小的限制（1024 字节）" in result.output and workbook.exists()


def test_a_zip_bomb_as_data_workbook_is_not_unpacked(run, project):
    import zipfile

    bomb = project / "data.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/worksheets/sheet1.xml", b"\0" * (210 * 1024 * 1024))
    assert bomb.stat().st_size < 1024 * 1024
    path = project / "b.yaml"
    path.write_text(BULLETIN.format(data="data.xlsx"), encoding="utf-8")
    result = checked(run, project, path)
    assert result.exit_code == 1 and "超过了解压后大小的限制（200.0 MB）" in result.output, result.output


# -- paths written inside files --------------------------------------------------------------------


def test_a_data_file_outside_the_project_is_not_read(run, project):
    outside = project.parent / "elsewhere"
    outside.mkdir()
    (outside / "data.yaml").write_text("指标:\n  事故起数: {量词: 起, 本期: 4, 上年同期: 3}\n", encoding="utf-8")
    path = project / "b.yaml"
    for written in ("../elsewhere/data.yaml", str(outside / "data.yaml"), "/dev/zero"):
        path.write_text(BULLETIN.format(data=written), encoding="utf-8")
        result = checked(run, project, path)
        assert result.exit_code == 1, result.output
        assert f"b.yaml:7:5: 错误 DG800 [data-unreadable] 数据文件“{written}”在项目目录 {project.resolve()} 之外" \
            in result.output, result.output
        rendered_nothing(run, project, path)


def test_a_symlink_in_the_project_pointing_outside_is_outside(run, project):
    outside = project.parent / "elsewhere"
    outside.mkdir()
    (outside / "data.yaml").write_text("指标:\n  事故起数: {量词: 起, 本期: 4, 上年同期: 3}\n", encoding="utf-8")
    os.symlink(outside / "data.yaml", project / "data.yaml")
    path = project / "b.yaml"
    path.write_text(BULLETIN.format(data="data.yaml"), encoding="utf-8")
    assert "在项目目录" in checked(run, project, path).output


def test_a_parent_plan_outside_the_project_is_read_only_when_given(run, project):
    outside = project.parent / "city"
    outside.mkdir()
    (outside / "plan.yaml").write_text(plan_text("- 段落: 内容。"), encoding="utf-8")
    child = project / "plan.yaml"
    child.write_text(plan_text("- 段落: 内容。").replace("正文:", "上级方案: ../city/plan.yaml\n正文:"), encoding="utf-8")
    result = checked(run, project, child)
    assert result.exit_code == 1, result.output
    assert "plan.yaml:8:7: 错误 DG102 [parent-plan-missing] 上级方案“../city/plan.yaml”在项目目录" in result.output
    # given on the command line, it is the user's choice
    given = checked(run, project, child, outside / "plan.yaml")
    assert "DG102" not in given.output, given.output


def test_a_template_outside_the_project_is_refused_at_its_key(run, project):
    outside = project.parent / "tpl"
    outside.mkdir()
    (outside / "t.docx").write_bytes(b"PK")
    plan = project / "plan.yaml"
    plan.write_text(plan_text("- 段落: 内容。").replace("正文:", f"模板: {outside / 't.docx'}\n正文:"), encoding="utf-8")
    result = run("render", plan, "-o", project / "out", cwd=project)
    assert result.exit_code == 2, result.output
    assert "docgen: plan.yaml:8:5: 模板文件" in result.stderr and "在项目目录" in result.stderr, result.output
    assert not (project / "out").exists() or not list((project / "out").iterdir())


def test_figures_at_the_edges_of_the_range_are_compared_without_overflow(run, project):
    path = bulletin(project, """\
        指标:
          事故起数: {量词: 起, 本期: 999999999999999, 上年同期: 0.000001}
        """)
    result = checked(run, project, path)
    assert result.exit_code == 0, result.output
    rendered = run("render", path, "-o", project / "out", cwd=project)
    assert rendered.exit_code == 0, rendered.output


def test_an_empty_table_row_is_a_finding_not_a_crash(run, project):
    """Found by fuzzing (make fuzz, seed 2964683112): a 挂牌督办通知 whose 隐患 table has a row ``{}``
    crashed check and render (StopIteration in the rules looking for the row's first cell)."""
    notice = (Path(__file__).resolve().parents[2] / "plans/bulletins/2025-hazards-notice.yaml").read_text(encoding="utf-8")
    (project / "data.yaml").write_text("表格:\n  隐患:\n    行:\n    - {}\n    - {隐患: {}}\n", encoding="utf-8")
    path = project / "b.yaml"
    path.write_text(notice.replace("数据: 2025-hazards-data.yaml", "数据: data.yaml"), encoding="utf-8")
    result = checked(run, project, path)
    assert result.exit_code == 1, result.output
    assert "data.yaml:4:7: 错误 DG802 [data-malformed] 表格“隐患”第1行是空的" in result.output
    assert "data.yaml:5:7: 错误 DG802 [data-malformed] 表格“隐患”第2行是空的" in result.output
    rendered_nothing(run, project, path)


def test_a_workbook_table_without_any_column_name_is_a_finding(run, project):
    wb = Workbook()
    wb.active.title = "指标"
    wb.active.append(["名称", "量词", "本期", "上年同期"])
    wb.active.append(["事故起数", "起", 4, 3])
    areas = wb.create_sheet("各乡镇")
    areas.append([None, None])
    areas.append(["青松街道", 3])
    wb.save(project / "data.xlsx")
    path = project / "b.yaml"
    path.write_text(BULLETIN.format(data="data.xlsx"), encoding="utf-8")
    result = checked(run, project, path)
    assert result.exit_code == 1, result.output
    assert "data.xlsx:各乡镇!A1: 错误 DG802" in result.output and "data.xlsx:各乡镇!B1: 错误 DG802" in result.output


def test_a_table_row_without_the_first_column_renders_it_empty(run, project):
    """Found by fuzzing (make fuzz, seed 3108042747): a chart, list or table whose first row lacks the
    column the other rows start with crashed render (KeyError). A column a row leaves out is empty."""
    root = Path(__file__).resolve().parents[2] / "plans/bulletins"
    data = (root / "2025-10-accidents-data.yaml").read_text(encoding="utf-8").split("\n")
    a = next(i for i, line in enumerate(data) if "{乡镇（街道）: 东湖街道" in line)
    b = next(i for i, line in enumerate(data) if "{月份: 1月" in line)
    data[a], data[b] = data[b], data[a]
    (project / "data.yaml").write_text("\n".join(data), encoding="utf-8")
    path = project / "b.yaml"
    path.write_text((root / "2025-10-accidents-bulletin.yaml").read_text(encoding="utf-8").replace(
        "数据: 2025-10-accidents-data.yaml", "数据: data.yaml"), encoding="utf-8")
    result = run("render", path, "-o", project / "out", cwd=project)
    assert "内部错误" not in result.output and result.exit_code in (0, 1), result.output
