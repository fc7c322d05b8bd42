"""Untrusted ledgers: limits, malformed and hostile .xlsx, the plan a ledger names, dates, merged cells.

Every input is crafted here from a ledger `docgen notify` writes, by editing its zip parts; each
must end in a located Chinese DG600 finding (exit 1) or a usage error (exit 2), never exit 3.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from crafted import compound_file
from openpyxl import load_workbook
from test_round_trip import CITY, ROOT, run

SHEET = "xl/worksheets/sheet1.xml"   # 台账
INFO = "xl/worksheets/sheet2.xml"    # 填报信息


@pytest.fixture(scope="module")
def ledger(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("hostile")
    assert run("notify", CITY, "-o", out, "--unit", "东湖街道").exit_code == 0
    return out / "东湖街道-台账.xlsx"


def rezip(src: Path, dst: Path, edits: dict[str, object] | None = None, extra: dict[str, bytes] | None = None) -> Path:
    """A copy of the zip `src` with parts replaced (bytes, or a function of the old bytes) or added."""
    edits = edits or {}
    with zipfile.ZipFile(src) as old, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info)
            change = edits.get(info.filename)
            new.writestr(info.filename, change(data) if callable(change) else (change if change is not None else data))
        for name, data in (extra or {}).items():
            new.writestr(name, data)
    return dst


def before_end_of_sheet_data(xml: bytes) -> callable:
    return lambda data: data.replace(b"</sheetData>", xml + b"</sheetData>")


def collect(tmp_path: Path, *ledgers: Path, extra: tuple[str, ...] = ()):
    out = tmp_path / "progress.yaml"
    result = run("collect", *ledgers, "--plan", CITY, "-o", out, "--as-of", "2025-06-30", *extra)
    assert "Traceback" not in result.output and "内部错误" not in result.output
    return result, out


def only_finding(result, file: str) -> str:
    lines = [line for line in result.output.splitlines() if "DG600" in line]
    assert len(lines) == 1, result.output
    assert lines[0].startswith(file), lines[0]
    return lines[0]


# -- limits (item 6) -----------------------------------------------------------------------------------


def test_a_cell_at_the_last_row_and_column_is_refused_before_loading(ledger, tmp_path):
    bad = rezip(ledger, tmp_path / "远处.xlsx", {SHEET: before_end_of_sheet_data(
        b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>')})
    result, out = collect(tmp_path, bad)
    assert result.exit_code == 1 and not out.exists()
    line = only_finding(result, str(bad))
    assert "超过了行数的限制（10000）" in line and "--limit rows=" in line and "DOCGEN_LIMITS" in line


def test_a_claimed_dimension_and_too_many_rows_are_refused(ledger, tmp_path):
    wide = rezip(ledger, tmp_path / "宽.xlsx", {SHEET: lambda d: re.sub(rb'<dimension ref="[^"]*"/>',
                                                                          b'<dimension ref="A1:XFD36"/>', d)})
    rows = rezip(ledger, tmp_path / "长.xlsx", {SHEET: before_end_of_sheet_data(
        b"".join(b'<row r="%d"/>' % r for r in range(100, 10_101)))})
    result, _ = collect(tmp_path, wide, rows)
    assert result.exit_code == 1
    assert re.search(r"宽\.xlsx: 错误 DG600 .*列数的限制（200）.*A1:XFD36", result.output), result.output
    assert re.search(r"长\.xlsx: 错误 DG600 .*行数的限制（10000）", result.output), result.output
    # a user can raise the limits: the same long ledger is then read (its empty rows are harmless)
    result, out = collect(tmp_path, rows, extra=("--limit", "rows=20000"))
    assert result.exit_code == 0 and out.exists(), result.output


def test_unpacked_size_and_file_size_limits_name_the_limit(ledger, tmp_path):
    padded = rezip(ledger, tmp_path / "填充.xlsx", extra={"xl/media/zeros.bin": bytes(3 * 1024 * 1024)})
    assert padded.stat().st_size < 200 * 1024  # small on disk, 3 MB unpacked
    result, _ = collect(tmp_path, padded, extra=("--limit", "unpacked=2M"))
    assert result.exit_code == 1 and "超过了解压后大小的限制（2.0 MB）：解压后共有" in result.output
    result, _ = collect(tmp_path, padded, extra=("--limit", "size=10K"))
    assert result.exit_code == 1 and "超过了文件大小的限制（10240 字节）" in result.output
    result, out = collect(tmp_path, padded)  # within the defaults
    assert result.exit_code == 0 and out.exists(), result.output


def test_limits_from_the_environment_and_bad_limit_options(ledger, tmp_path, monkeypatch):
    monkeypatch.setenv("DOCGEN_LIMITS", "cells=10")
    result, _ = collect(tmp_path, ledger)
    assert result.exit_code == 1 and "超过了单元格数的限制（10）" in result.output
    result, _ = collect(tmp_path, ledger, extra=("--limit", "cells=1000000"))  # the option wins
    assert result.exit_code == 0, result.output
    result, _ = collect(tmp_path, ledger, extra=("--limit", "speed=3"))
    assert result.exit_code == 2 and "看不懂限制“speed=3”" in result.output


def test_time_limit(ledger, tmp_path):
    rows = rezip(ledger, tmp_path / "慢.xlsx", {SHEET: before_end_of_sheet_data(
        b"".join(b'<row r="%d"><c r="J%d"><v>1</v></c></row>' % (r, r) for r in range(100, 9_000)))})
    result, _ = collect(tmp_path, rows, extra=("--limit", "time=0.001"))
    assert result.exit_code == 1 and "超过了读取时间（秒）的限制（0.001）" in result.output, result.output


# -- malformed and hostile workbooks (item 11) ----------------------------------------------------------

BOMB = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i else b"&lol;") * 10) for i in range(10))
        + b']><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'
          b"<si><t>&lol9;</t></si></sst>")
SST_TYPE = (b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
            b'officedocument.spreadsheetml.sharedStrings+xml"/></Types>')


def _with_shared_strings(data: bytes) -> bytes:
    return data.replace(b"</Types>", SST_TYPE)


@pytest.mark.parametrize("name, edits, extra, expected", [
    ("截断.xlsx", {SHEET: lambda d: d[: len(d) // 2]}, None,
     r"xl/worksheets/sheet1\.xml 第 \d+ 行第 \d+ 列的 XML 不完整或格式错误（文件在中途截断）"),
    ("类型表.xlsx", {"[Content_Types].xml": b"<Types><Default"}, None, r"\[Content_Types\]\.xml 第 1 行"),
    ("共享字符串.xlsx", {"[Content_Types].xml": _with_shared_strings}, {"xl/sharedStrings.xml": b"<sst><si><t>x</si>"},
     r"xl/sharedStrings\.xml 第 \d+ 行第 \d+ 列的 XML 不完整或格式错误（标签不配对）"),
    ("炸弹.xlsx", {"[Content_Types].xml": _with_shared_strings}, {"xl/sharedStrings.xml": BOMB},
     r"xl/sharedStrings\.xml 含有 XML 文档类型或实体声明"),
    ("缺部件.xlsx", {"xl/workbook.xml": None}, None, r""),
])
def test_malformed_workbooks_give_a_finding_not_a_crash(ledger, tmp_path, name, edits, extra, expected):
    if edits.get("xl/workbook.xml", 1) is None:  # drop the workbook part altogether
        with zipfile.ZipFile(ledger) as old, zipfile.ZipFile(tmp_path / name, "w") as new:
            for info in old.infolist():
                if info.filename != "xl/workbook.xml":
                    new.writestr(info, old.read(info))
        bad = tmp_path / name
        expected = r"不是 Excel 工作簿|缺少 xl/workbook\.xml"
    else:
        bad = rezip(ledger, tmp_path / name, edits, extra)
    result, out = collect(tmp_path, bad)
    assert result.exit_code == 1 and not out.exists(), result.output
    assert re.search(expected, only_finding(result, str(bad))), result.output


def test_shared_string_and_style_index_out_of_range_are_located(ledger, tmp_path):
    def cell(data: bytes, ref: bytes, new: bytes) -> bytes:
        return re.sub(rb'<c r="' + ref + rb'"[^>]*>.*?</c>', new, data, count=1)

    strings = rezip(ledger, tmp_path / "串号.xlsx", {SHEET: lambda d: cell(d, b"F3", b'<c r="F3" t="s"><v>999</v></c>')})
    styles = rezip(ledger, tmp_path / "格式号.xlsx", {SHEET: lambda d: cell(d, b"E4", b'<c r="E4" s="4000"><v>1</v></c>')})
    result, _ = collect(tmp_path, strings, styles)
    assert result.exit_code == 1
    assert f"{strings}:台账!F3: 错误 DG600 [ledger-unreadable] 无法读取台账：单元格引用了不存在的共享字符串（第 999 个" \
        in result.output, result.output
    assert f"{styles}:台账!E4: 错误 DG600 [ledger-unreadable] 无法读取台账：单元格的格式编号“4000”" in result.output


def test_with_partial_one_bad_ledger_does_not_abort_the_batch(ledger, tmp_path):
    bad = rezip(ledger, tmp_path / "坏.xlsx", {SHEET: lambda d: d[:-40]})
    good = tmp_path / "好.xlsx"
    wb = load_workbook(ledger)
    wb["填报信息"]["B4"] = "市应急管理局"  # another unit, so the two are not duplicates
    wb.save(good)
    result, out = collect(tmp_path, bad, ledger, extra=("--partial",))
    assert result.exit_code == 1 and out.exists(), result.output
    assert "坏.xlsx: 错误 DG600" in result.output
    assert "东湖街道:" in out.read_text(encoding="utf-8")


# -- files that are not .xlsx (item 18) -----------------------------------------------------------------


@pytest.mark.parametrize("streams, expected", [
    (("Workbook",), "旧版 Excel 97-2003 工作簿（.xls）改成了 .xlsx 扩展名"),
    (("EncryptionInfo", "EncryptedPackage"), "设置了打开密码（已加密）"),
])
def test_renamed_xls_and_password_protected_ledgers_have_their_own_message(tmp_path, streams, expected):
    bad = tmp_path / "台账.xlsx"
    bad.write_bytes(compound_file(*streams))
    for extra in ((), ("--plan", CITY)):  # without --plan it is not blamed on the plan
        result = run("collect", bad, "-o", tmp_path / "p.yaml", *extra)
        assert result.exit_code == 1, result.output
        assert expected in result.output and "找不到台账所属的方案文件" not in result.output


# -- the plan a ledger names (item 8) -------------------------------------------------------------------


@pytest.mark.parametrize("named", ["/etc/passwd", "/proc/self/environ", "../../../../etc/hostname", "README.md",
                                   "plans/registry/../../pyproject.toml", "x" * 5000 + ".yaml"])
def test_collect_opens_only_a_plan_file_inside_the_project(ledger, tmp_path, named):
    wb = load_workbook(ledger)
    wb["填报信息"]["A2"], wb["填报信息"]["B2"] = "方案文件", named  # as ledgers named their plan file once
    hostile = tmp_path / "指向.xlsx"
    wb.save(hostile)
    result = run("collect", hostile, "-o", tmp_path / "p.yaml")
    assert result.exit_code == 2, result.output
    assert "请用 --plan 指定" in result.output and "Traceback" not in result.output
    assert "root:" not in result.output and ":1:" not in result.output  # nothing was parsed


def test_collect_finds_a_plan_next_to_the_ledger(ledger, tmp_path):
    import shutil

    folder = tmp_path / "收到"
    folder.mkdir()
    shutil.copy(ledger, folder / "东湖街道-台账.xlsx")
    result = run("collect", folder / "东湖街道-台账.xlsx", "-o", tmp_path / "p.yaml", "--as-of", "2025-06-30")
    assert result.exit_code == 0, result.output  # plans/city/three-year-plan.yaml, under the project


# -- dates and merged cells (item 15) -------------------------------------------------------------------


@pytest.mark.parametrize("serial", [-1, 1, 60, 36525.0 - 1, 73051])
def test_excel_serials_outside_2000_to_2099_are_not_completion_dates(ledger, tmp_path, serial):
    edited = tmp_path / "日期.xlsx"
    wb = load_workbook(ledger)
    wb["台账"]["F3"] = "已完成"  # the first task row (a title row, then the head row)
    wb["台账"]["G3"] = serial
    wb.save(edited)
    result, out = collect(tmp_path, edited)
    assert result.exit_code == 1 and not out.exists()
    assert f"{edited}:台账!G3: 错误 DG604" in result.output and "2000年至2099年之间" in result.output


def test_merged_status_cells_are_reported_not_blanked(ledger, tmp_path):
    edited = tmp_path / "合并.xlsx"
    wb = load_workbook(ledger)
    ws = wb["台账"]
    ws["F3"] = "已完成"
    ws.merge_cells("F3:F5")
    wb.save(edited)
    result, out = collect(tmp_path, edited, extra=("--partial",))
    assert result.exit_code == 1, result.output
    assert f"{edited}:台账!F3: 错误 DG608 [ledger-merged-cells] 单元格 F3:F5（完成状态）被合并了" in result.output
    text = out.read_text(encoding="utf-8")
    tasks = [ws.cell(r, 1).value for r in (3, 4, 5)]
    assert all(f"{t}:" not in text for t in tasks)  # left out, not counted as 未启动


# -- output folder (item 18) ----------------------------------------------------------------------------


def test_a_dangling_symlink_output_folder_gives_a_chinese_message(ledger, tmp_path):
    link = tmp_path / "输出"
    link.symlink_to(tmp_path / "不存在")
    result = run("collect", ledger, "--plan", CITY, "-o", link / "p.yaml", "--as-of", "2025-06-30")
    assert result.exit_code == 2
    assert "是指向不存在位置" in result.output and "符号链接" in result.output and "File exists" not in result.output
    result = run("render", ROOT / "plans/city/work-points-2025.yaml", "-o", link / "docs")
    assert result.exit_code == 2 and "符号链接" in result.output and "File exists" not in result.output


def test_every_command_explains_a_dangling_symlink_output_folder(ledger, tmp_path):
    link = tmp_path / "输出"
    link.symlink_to(tmp_path / "不存在")
    progress = tmp_path / "progress.yaml"
    assert run("collect", ledger, "--plan", CITY, "-o", progress, "--as-of", "2025-06-30").exit_code == 0
    plan = ROOT / "plans/city/work-points-2025.yaml"
    commands = [
        ("notify", CITY, "--unit", "东湖街道", "-o", link),
        ("report", CITY, "--progress", progress, "-o", link),
        ("remind", CITY, "--progress", progress, "-o", link, "--as-of", "2025-12-31"),
        ("diff", plan, plan, "--docx", link / "对照.docx"),
    ]
    for args in commands:
        result = run(*args)
        assert result.exit_code in (1, 2), (args, result.output)
        assert "符号链接" in result.output and "File exists" not in result.output, (args, result.output)


# -- the reader after the scan (issue 25) -----------------------------------------------------------------


def test_values_read_after_the_scan_are_those_openpyxl_gives(ledger, tmp_path):
    """collect reads the values by python-calamine once the scan passed: every cell must be what
    openpyxl (data_only) gives, so the findings and entries are unchanged."""
    import datetime as dt

    from docgen.progress.workbook import open_workbook
    from docgen.untrusted import Limits

    edited = tmp_path / "各种值.xlsx"
    wb = load_workbook(ledger)
    ws = wb["台账"]
    ws["E3"], ws["F3"], ws["G3"] = "已完成首批整治", "已完成", dt.datetime(2025, 6, 30)
    ws["E4"], ws["F4"], ws["G4"] = 42, "推进中", 45000  # a number; a serial in a date-formatted cell
    ws["G5"], ws["H5"], ws["I5"] = "2025年6月3日", 3.5, True
    ws["E6"] = "=1+1"  # a formula: its cached value (none, as openpyxl saves it) either way
    ws.merge_cells("H3:I4")
    wb.save(edited)

    ours = open_workbook(edited, Limits())
    theirs = load_workbook(edited, data_only=True)
    assert ours.sheetnames == theirs.sheetnames
    for name in theirs.sheetnames:
        expected = [[c.value for c in row] for row in theirs[name].iter_rows()]
        got = [[c.value for c in row] for row in ours[name].iter_rows(max_col=theirs[name].max_column)]
        assert got[:len(expected)] == expected, name
        assert all(v is None for row in got[len(expected):] for v in row)
        assert {str(r) for r in ours[name].merged_cells.ranges} == {str(r) for r in theirs[name].merged_cells.ranges}
    assert "H3:I4" in {str(r) for r in ours["台账"].merged_cells.ranges}


@pytest.mark.parametrize("part, text", [
    (SHEET, lambda d: b'<!DOCTYPE x [<!ENTITY e "e">]>' + d.split(b"?>", 1)[1]),
    (SHEET, lambda d: d.replace(b"</sheetData>", b"<row><c><v>1</v></x></row></sheetData>", 1)),
])
def test_the_one_pass_scan_refuses_entities_and_broken_xml_in_a_worksheet(ledger, tmp_path, part, text):
    edited = rezip(ledger, tmp_path / "坏表.xlsx", {part: text})
    result, out = collect(tmp_path, edited)
    assert result.exit_code == 1 and not out.exists(), result.output
    assert "DG600" in result.output and SHEET in result.output
    assert re.search(r"(DOCTYPE/ENTITY|第 \d+ 行第 \d+ 列的 XML 不完整或格式错误（标签不配对）)", result.output)


# -- parts no reader opens (issue 25, collect at the speed of calamine) ------------------------------------

THEME = "xl/theme/theme1.xml"
RELS = "xl/_rels/workbook.xml.rels"


def test_parts_no_reader_opens_are_not_parsed_but_their_sizes_still_count(ledger, tmp_path):
    """docProps/ and the theme are read by nobody (python-calamine never opens them): an entity bomb
    or broken XML there is not parsed, the ledger reads as the clean one does; their declared
    sizes still count against the unpacked-size limit."""
    clean, _ = collect(tmp_path, ledger)
    odd = rezip(ledger, tmp_path / "属性.xlsx", {"docProps/core.xml": BOMB, THEME: b"<a:theme><broken"})
    result, out = collect(tmp_path, odd)
    assert result.exit_code == 0 and out.exists(), result.output
    assert clean.output.replace(str(ledger), "") == result.output.replace(str(odd), "")
    padded = rezip(ledger, tmp_path / "大主题.xlsx", {THEME: b"<a:theme>" + b" " * (3 * 1024 * 1024) + b"</a:theme>"})
    result, _ = collect(tmp_path, padded, extra=("--limit", "unpacked=2M"))
    assert result.exit_code == 1 and "超过了解压后大小的限制（2.0 MB）：解压后共有" in result.output


def test_a_theme_or_property_part_a_sheet_points_at_is_scanned(ledger, tmp_path):
    """A workbook whose 填报信息 sheet is the theme part (a worksheet relationship targeting it, as
    python-calamine would follow) has that part scanned like any sheet: its entity bomb is refused."""
    pointed = rezip(ledger, tmp_path / "指主题.xlsx", {
        RELS: lambda d: d.replace(b'Target="worksheets/sheet2.xml"', b'Target="theme/theme1.xml"'),
        THEME: BOMB})
    result, out = collect(tmp_path, pointed)
    assert result.exit_code == 1 and not out.exists(), result.output
    assert re.search(r"xl/theme/theme1\.xml 含有 XML 文档类型或实体声明", only_finding(result, str(pointed)))
    # the package naming another workbook than [Content_Types].xml does: every part is scanned
    elsewhere = rezip(ledger, tmp_path / "别处.xlsx", {
        "_rels/.rels": lambda d: d.replace(b'Target="xl/workbook.xml"', b'Target="xl/other.xml"'),
        "docProps/core.xml": BOMB})
    result, _ = collect(tmp_path, elsewhere)
    assert result.exit_code == 1
    assert re.search(r"docProps/core\.xml 含有 XML 文档类型或实体声明", only_finding(result, str(elsewhere)))


@pytest.mark.parametrize("names, main, document, targets, unread", [
    # a ledger as notify writes it: the properties and the theme are left unparsed
    ({"docProps/core.xml", "docProps/app.xml", THEME, "_rels/.rels"}, "xl/workbook.xml", "xl/workbook.xml",
     ["worksheets/sheet1.xml"], {"docProps/core.xml", "docProps/app.xml", THEME}),
    # a worksheet relationship naming the theme, in any case or with a backslash, as calamine looks it up
    ({"docProps/core.xml", THEME}, "xl/workbook.xml", "/xl/workbook.xml", ["Theme/THEME1.xml"], {"docProps/core.xml"}),
    ({"docProps/core.xml", "XL\\theme\\theme1.xml"}, "xl/workbook.xml", "xl/workbook.xml", ["theme\\theme1.xml"],
     {"docProps/core.xml"}),
    ({"docProps/core.xml"}, "xl/workbook.xml", "xl/workbook.xml", ["/docProps/core.xml"], set()),
    ({"docProps/core.xml"}, "xl/workbook.xml", "xl/workbook.xml", ["../docProps/core.xml"], set()),
    # the package names no workbook, another one, or one in those folders: every part is parsed
    ({"docProps/core.xml"}, "xl/workbook.xml", None, [], set()),
    ({"docProps/core.xml"}, "xl/workbook.xml", "xl/other.xml", [], set()),
    ({"docProps/core.xml", "xl/theme/sharedStrings.xml"}, "xl/theme/book.xml", "xl/theme/book.xml", [], set()),
])
def test_the_parts_left_unparsed_are_those_calamine_cannot_reach(names, main, document, targets, unread):
    from docgen.progress.workbook import _Scan

    assert _Scan.unread(names, main, document, targets) == unread


def test_a_date_cell_holding_a_number_no_date_can_be_is_a_finding(ledger, tmp_path):
    """Found by `make fuzz`: python-calamine panics (pyo3's PanicException, a BaseException that no
    `except Exception` catches) on a date-formatted cell holding -1e12; it ended collect in exit 3."""
    bad = rezip(ledger, tmp_path / "日期.xlsx", {SHEET: lambda d: d.replace(
        b'<c r="G3" s="8"/>', b'<c r="G3" s="8"><v>-1000000000000</v></c>', 1)})
    assert b"-1000000000000" in zipfile.ZipFile(bad).read(SHEET)
    result, out = collect(tmp_path, bad)
    assert result.exit_code == 1 and not out.exists(), result.output
    line = only_finding(result, str(bad))
    assert "日期格式的单元格" in line and "请在 Excel 或 WPS 中检查日期列" in line
