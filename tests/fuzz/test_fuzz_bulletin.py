"""Fuzzing the data files of 通报 and 挂牌督办通知 (issue 26): YAML data and data workbooks (.xlsx),
edited by hand or built to hurt, read by `docgen check` and `docgen render` of the example 通报.
Each case checks clean, or gives located findings (exit 1) or exit 2, and a render that fails
writes nothing; never exit 3, never a traceback, never "同比下降100.0%" from a base that is no
number, within its time and memory (`harness`)."""

from __future__ import annotations

import io
import math
from pathlib import Path

import pytest
from harness import budget, within_limits
from hypothesis import example, given
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.utils.exceptions import IllegalCharacterError
from test_fuzz import TEXT, damaged_zip, dump, invoke, logged, mutated

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "plans/bulletins"
#: (通报 file, its data file) of the examples.
PAIRS = [("2024-work-bulletin.yaml", "2024-work-data.yaml"), ("2025-10-accidents-bulletin.yaml", "2025-10-accidents-data.yaml"),
         ("2025-hazards-notice.yaml", "2025-hazards-data.yaml")]
SOURCES = {name: (EXAMPLES / name).read_text(encoding="utf-8") for pair in PAIRS for name in pair}
PYPROJECT = f'[tool.docgen]\nregistry = ["{(ROOT / "plans/registry").as_posix()}"]\npaths = ["."]\n'

#: Numbers as a data file may hold them: ordinary, odd, huge, not finite.
NUMBER = st.one_of(st.integers(-5, 3000), st.floats(allow_nan=True, allow_infinity=True), st.integers(-10**60, 10**60),
                   st.decimals(allow_nan=False, allow_infinity=False, places=3).map(str),
                   st.sampled_from(["1,234", "1e400", "-0", "Infinity", "NaN", "３", "十", "", " 5 ", "0x10"]))
COLUMNS = st.sampled_from(["乡镇（街道）", "事故起数", "死亡人数", "事故起数.上年同期", "类型", "隐患", "整改时限", "整改责任单位",
                           "", "合计", "名称", "本期"])
STRUCTURED = st.fixed_dictionaries({}, optional={
    "指标": st.dictionaries(st.sampled_from(["事故起数", "死亡人数", "本月事故起数", "累计事故起数", "排查隐患", "已整改", "x"]),
                          st.one_of(NUMBER, st.fixed_dictionaries({"本期": NUMBER}, optional={
                              "量词": st.sampled_from(["起", "人", "", "条"]), "上年同期": NUMBER, "上月": NUMBER,
                              "前两年平均": NUMBER})), max_size=6),
    "表格": st.dictionaries(st.sampled_from(["各乡镇街道累计事故", "隐患", "各类型累计事故", "t"]), st.fixed_dictionaries(
        {"行": st.lists(st.dictionaries(COLUMNS, st.one_of(NUMBER, TEXT, st.fixed_dictionaries(
            {"本期": NUMBER}, optional={"上年同期": NUMBER}))), max_size=5)}, optional={"量词": st.sampled_from(["起", "处"])}),
        max_size=3),
    "名单": st.dictionaries(st.sampled_from(["未按时报送", "x"]), st.lists(TEXT, max_size=3), max_size=2),
})


def safe(value):
    """`value` as YAML can hold it (NaN and infinity as YAML's own .nan/.inf, via floats)."""
    if isinstance(value, dict):
        return {k: safe(v) for k, v in value.items()}
    if isinstance(value, list):
        return [safe(v) for v in value]
    return value


@st.composite
def yaml_data(draw, data_name: str) -> bytes:
    if draw(st.booleans()):
        return draw(mutated(SOURCES[data_name])).encode("utf-8", "surrogatepass")
    return dump(safe(draw(STRUCTURED))).encode("utf-8", "surrogatepass")


@st.composite
def workbook_data(draw) -> bytes:
    wb = Workbook()
    figures = wb.active
    figures.title = draw(st.sampled_from(["指标", "指标", "其他"]))
    figures.append(draw(st.lists(st.sampled_from(["名称", "量词", "本期", "上年同期", "上月", None, ""]), max_size=6)))
    for _ in range(draw(st.integers(0, 4))):
        row = [draw(st.sampled_from(["事故起数", "死亡人数", "x", None])), draw(st.sampled_from(["起", "人", None]))]
        row += [draw(NUMBER) for _ in range(draw(st.integers(0, 4)))]
        append(figures, row)
    for name in draw(st.lists(st.sampled_from(["各乡镇街道累计事故", "名单", "隐患"]), max_size=2, unique=True)):
        sheet = wb.create_sheet(name)
        append(sheet, draw(st.lists(st.one_of(COLUMNS, st.none()), max_size=5)))
        for _ in range(draw(st.integers(0, 4))):
            append(sheet, draw(st.lists(st.one_of(NUMBER, TEXT, st.none()), max_size=5)))
    buffer = io.BytesIO()
    wb.save(buffer)
    data = buffer.getvalue()
    if draw(st.integers(0, 3)) == 0:
        data = damaged_zip(draw, data)
    return data


def append(sheet, row: list) -> None:
    cells = []
    for value in row:
        if isinstance(value, float) and not math.isfinite(value):
            value = str(value)  # a workbook holds no NaN: Excel shows it as text
        elif isinstance(value, int) and abs(value) > 10**15:
            value = float(value)  # Excel keeps 15 digits: a number this long arrives as a float
        cells.append(value)
    try:
        sheet.append(cells)
    except (IllegalCharacterError, ValueError):
        sheet.append([None])


@st.composite
def cases(draw) -> tuple[str, str, bytes]:
    """(通报 text, data file name, data file bytes)."""
    bulletin, data_name = draw(st.sampled_from(PAIRS))
    text = SOURCES[bulletin]
    if draw(st.integers(0, 2)) == 0:
        name = "data.xlsx"
        data = draw(workbook_data())
    else:
        name = "data.yaml"
        data = draw(yaml_data(data_name))
    return text.replace(f"数据: {data_name}", f"数据: {name}"), name, data


def swapped_rows() -> str:
    """The accidents data with the first rows of two tables swapped: a table whose first row lacks
    the column the others start with (its chart and list read that column from every row)."""
    lines = SOURCES["2025-10-accidents-data.yaml"].split("\n")
    a = next(i for i, line in enumerate(lines) if "{乡镇（街道）: 东湖街道" in line)
    b = next(i for i, line in enumerate(lines) if "{月份: 1月" in line)
    lines[a], lines[b] = lines[b], lines[a]
    return "\n".join(lines)


@pytest.fixture(scope="module")
def warm(tmp_path_factory) -> None:
    """One render before the cases: the first one also loads matplotlib and the fonts, which is not
    the case's own time."""
    bulletin, data = PAIRS[1]
    fuzz_bulletin(tmp_path_factory, (SOURCES[bulletin], data, SOURCES[data].encode()), True)


@budget("bulletin")
@given(case=cases(), render=st.integers(0, 3))
@example(case=(SOURCES["2025-10-accidents-bulletin.yaml"].replace("数据: 2025-10-accidents-data.yaml", "数据: data.yaml"),
               "data.yaml", SOURCES["2025-10-accidents-data.yaml"].replace("上年同期: 5, 上月: 2", "上年同期: .inf, 上月: 2")
               .encode()), render=0)  # issue 26 item 7: an infinite base printed 同比下降100.0%
@example(case=(SOURCES["2025-10-accidents-bulletin.yaml"].replace("数据: 2025-10-accidents-data.yaml", "数据: data.yaml"),
               "data.yaml", SOURCES["2025-10-accidents-data.yaml"].replace("本期: 3, 上年同期: 5", "本期: " + "9" * 51 + ", 上年同期: 5")
               .encode()), render=1)  # issue 26 item 7: a 51-digit figure crashed check and render
@example(case=(SOURCES["2025-hazards-notice.yaml"].replace("数据: 2025-hazards-data.yaml", "数据: data.yaml"), "data.yaml",
               "表格:\n  隐患:\n    行:\n    - {}\n".encode()), render=0)  # make fuzz seed 2964683112: StopIteration
@example(case=(SOURCES["2025-10-accidents-bulletin.yaml"].replace("数据: 2025-10-accidents-data.yaml", "数据: data.yaml"),
               "data.yaml", swapped_rows().encode()), render=0)  # make fuzz seed 3108042747: KeyError in compose
def test_fuzz_bulletin_data(warm, tmp_path_factory, case, render):
    with logged("bulletin"):
        fuzz_bulletin(tmp_path_factory, case, render == 0)


def fuzz_bulletin(tmp_path_factory, case, render: bool) -> None:
    text, name, data = case
    work = tmp_path_factory.mktemp("bulletin")
    (work / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    (work / "b.yaml").write_text(text, encoding="utf-8")
    (work / name).write_bytes(data)
    with within_limits():
        if not render:
            invoke("check", "b.yaml", cwd=work)
            return
        result = invoke("render", "b.yaml", "-o", "out", cwd=work)
    written = [p for p in (work / "out").rglob("*") if p.is_file()] if (work / "out").exists() else []
    assert bool(written) == (result.exit_code == 0), (result.output, written)  # no partial output
    if written and "上年同期: .inf" in data.decode("utf-8", "replace"):
        raise AssertionError("a 通报 was written from an infinite base")
