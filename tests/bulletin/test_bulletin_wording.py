"""The wording rules (DG4xx) on a 通报's sentences: each finding at file:line:col of the 通报 file;
the figures' ``{placeholders}`` and the names of its data (tables, columns, conditions) are not
prose; suppression comments and select/ignore apply as to any rule; the example 通报 stay clean."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from conftest import REGISTRY, expected_marks, found
from docx import Document as WordDocument

from docgen.config import Settings
from docgen.errors import FindingsError
from docgen.jobs.check import check
from docgen.jobs.render import render

ROOT = Path(__file__).resolve().parents[2]

HEADER = """\
文种: 通报
标题: 松原市2025年1月安全生产情况通报
发文机关: 松原市安全生产委员会
发文字号: 松安委〔2025〕3号
成文日期: 2025年2月5日
主送: [市安委会各成员单位]
数据: data.yaml
正文:
"""
DATA = """\
指标:
  事故起数: {量词: 起, 本期: 4, 上年同期: 3, 上月: 2}
表格:
  各乡镇街道:
    量词: 起
    行:
      - {乡镇（街道）: 青松街道, 类别: 工贸, 事故起数: {本期: 3, 上年同期: 2}}
      - {乡镇（街道）: 白河镇, 类别: 道路交通, 事故起数: {本期: 1, 上年同期: 1}}
"""


def bulletin(body: str) -> str:
    return HEADER + textwrap.indent(textwrap.dedent(body).strip("\n"), "  ") + "\n"


def write(tmp_path: Path, text: str) -> Path:
    (tmp_path / "data.yaml").write_text(DATA, encoding="utf-8")
    path = tmp_path / "b.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def settings(tmp_path: Path, **options) -> Settings:
    return Settings(root=tmp_path, registry=[REGISTRY], **options)


def check_bulletin(tmp_path: Path, text: str, **options):
    """The findings of `docgen check` on the 通报 `text` (with `DATA`), under `options` (select, ignore)."""
    return check([write(tmp_path, text)], settings(tmp_path, **options), base=tmp_path).problems


def test_half_width_comma_in_a_sentence_is_located_by_line_and_column(run, tmp_path):
    text = bulletin("""
        - 标题: 总体情况
          内容:
            - 段落: 全市发生事故{事故起数},{事故起数.同比}
    """)
    write(tmp_path, text)
    (tmp_path / "pyproject.toml").write_text(f'[tool.docgen]\nregistry = ["{REGISTRY.as_posix()}"]\n',
                                             encoding="utf-8")
    result = run("check", "b.yaml", cwd=tmp_path)
    assert result.exit_code == 1, result.output
    line = next(i for i, ln in enumerate(text.split("\n"), start=1) if "{事故起数}," in ln)
    column = text.split("\n")[line - 1].index(",") + 1
    assert f"b.yaml:{line}:{column}: 错误 DG404 [half-width-punctuation] 中文文字中有半角标点“,”，请改为全角“，”。" \
        in result.output
    assert "DG4" not in result.output.replace("DG404", "", 1), result.output  # the placeholders' dots are not


# Each case: a 通报 body with `# !DGxxx` on every line the rule must report, and on no other line.
CASES = {
    "DG402": """
        - 段落: 2025年01月，全市发生事故{事故起数}。  # !DG402
        - 段落: 二〇二五年一月以来，{事故起数.环比}。  # !DG402
    """,
    "DG403": """
        - 标题: 总体情况。  # !DG403
          内容:
            - 要旨: 事故起数上升；  # !DG403
              段落: 全市发生事故{事故起数}
            - 表格: 各乡镇街道
              标题: 各乡镇（街道）事故情况。  # !DG403
            - 图表: 各乡镇街道
              标题: 各乡镇（街道）事故起数
              列: [事故起数, 事故起数.上年同期]
    """,
    "DG404": """
        - 段落: 全市发生事故{事故起数},同比{事故起数.同比}。  # !DG404
        - 段落: 按乡镇分，{各乡镇街道.分布:乡镇（街道）}；按类别分，{各乡镇街道.分布:类别}。
        - 名单: 各乡镇街道
          条件: {事故起数: 2}
          前文: 事故较多的有(按起数)  # !DG404
        - 表格: 各乡镇街道
          列: [乡镇（街道）, 事故起数]
          同比: [事故起数]
    """,
    "DG405": """
        - 段落: 1、全市发生事故{事故起数}。  # !DG405
        - 段落: 全市发生事故{事故起数}，{事故起数.同比}。
          分项:
            - 加强巡查；2、开展演练  # !DG405
    """,
    "DG406": """
        - 段落: 全街道发生事故{事故起数}。  # !DG406
        - 段落: 全市发生事故{事故起数}。
    """,
    "DG408": """
        - 段落: "全市发生事故\\t{事故起数}。"  # !DG408
    """,
    "DG410": """
        - 段落: =全市发生事故{事故起数}  # !DG410
        - 段落: "{事故起数.环比}"
    """,
}


@pytest.mark.parametrize("code", CASES)
def test_wording_rule_reports_exactly_the_marked_lines_of_a_bulletin(tmp_path, code):
    text = bulletin(CASES[code])
    problems = check_bulletin(tmp_path, text, select=[code])
    assert found(problems) == expected_marks(text), "\n".join(f"{p.location} {p.code} {p.message}" for p in problems)
    others = [p for p in check_bulletin(tmp_path, text) if p.code != code]
    assert others == [], [f"{p.location} {p.code} {p.message}" for p in others]


def test_finding_points_at_the_character_inside_a_sentence_with_placeholders(tmp_path):
    text = bulletin("- 段落: 事故{事故起数.同比}，按乡镇分{各乡镇街道.分布:乡镇（街道）};下同")
    (problem,) = check_bulletin(tmp_path, text, select=["DG404"])
    line = text.split("\n")[problem.location.line - 1]
    assert line[problem.location.column - 1] == ";" and "“；”" in problem.message


def test_suppression_comment_select_and_ignore_apply_to_a_bulletin(tmp_path):
    body = """
        - 段落: 全市发生事故{事故起数},{事故起数.同比}。  # docgen: disable=DG404
        - 段落: 全市发生事故{事故起数},{事故起数.同比}。
    """
    problems = check_bulletin(tmp_path, bulletin(body))
    assert [(p.code, p.location.line) for p in problems] == [("DG404", HEADER.count("\n") + 2)]
    body = "- 段落: 全市发生事故{事故起数},{事故起数.同比}。"
    assert check_bulletin(tmp_path, bulletin(body), ignore=["DG4"]) == []
    assert check_bulletin(tmp_path, bulletin(body), ignore=["half-width-punctuation"]) == []
    assert check_bulletin(tmp_path, bulletin(body), select=["DG405"]) == []


def test_bulletin_with_a_control_character_is_not_rendered(tmp_path):
    path = write(tmp_path, bulletin('- 段落: "全市发生事故\\t{事故起数}。"'))
    out = tmp_path / "out"
    with pytest.raises(FindingsError) as caught:
        render([path], settings(tmp_path), out, pdf=False, base=tmp_path)
    assert [p.code for p in caught.value.problems] == ["DG408"]
    assert not out.exists() or not any(out.iterdir())


def test_clean_bulletin_renders_its_figures(tmp_path):
    text = bulletin("- 段落: 全市发生事故{事故起数}，{事故起数.同比}；按乡镇分，{各乡镇街道.分布:乡镇（街道）}。")
    assert check_bulletin(tmp_path, text) == []
    (path,) = render([tmp_path / "b.yaml"], settings(tmp_path), tmp_path / "out", pdf=False, base=tmp_path).files
    body = "\n".join(p.text for p in WordDocument(str(path)).paragraphs)
    assert "全市发生事故4起，同比上升33.3%；按乡镇分，青松街道1起、白河镇1起。" in body


def test_example_bulletins_are_clean(run):
    result = run("check", "plans/bulletins", cwd=ROOT)
    assert result.exit_code == 0 and result.output.strip().endswith("没有发现问题。"), result.output
