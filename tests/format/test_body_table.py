"""A table written out in the body (`标题`, `列`, `行`): schema, model, lint and the .docx, for a plan
and for a 通报 (whose `表格` blocks take their tables from the data file instead)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import docx
from conftest import REGISTRY, plan_text
from docx.enum.text import WD_ALIGN_PARAGRAPH

from docgen.load import load
from docgen.model import BodyTable, Plan, Section

CITY_REGISTRY = Path(__file__).resolve().parents[2] / "plans" / "registry"

BODY = """
- 标题: 督办事项
  内容:
    - 段落: 挂牌督办的重大事故隐患清单如下：
    - 标题: 挂牌督办重大事故隐患清单
      列: [序号, 隐患单位, 督办责任单位, 整改时限]
      行:
        - [1, 枫林街道荷塘农贸市场, 市消防救援支队, 2025年8月15日前]
        - [2, 石桥街道锦绣花园小区, 市住房和城乡建设局, 2025年9月30日前]
    - 段落: 督办责任单位每月10日前报送整改进展。
"""


def _body(path) -> list[tuple[str, object]]:
    """The body of a .docx in order: ("p", paragraph) and ("table", rows of cell texts)."""
    document = docx.Document(str(path))
    out = []
    for el in document.element.body.iterchildren():
        if el.tag.endswith("}p"):
            p = docx.text.paragraph.Paragraph(el, document)
            if p.text:
                out.append(("p", p))
        elif el.tag.endswith("}tbl"):
            table = docx.table.Table(el, document)
            out.append(("table", [[c.text for c in row.cells] for row in table.rows]))
    return out


def test_the_block_reads_as_a_table_where_it_is_written(tmp_path):
    path = tmp_path / "plan.yaml"
    path.write_text(plan_text(BODY), encoding="utf-8")
    source, problems = load(path, "plan.yaml")
    assert problems == []
    section = Plan.from_source(source).body[0]
    assert isinstance(section, Section)
    table = section.children[1]
    assert isinstance(table, BodyTable)
    assert table.title.value == "挂牌督办重大事故隐患清单"
    assert [c.value for c in table.columns] == ["序号", "隐患单位", "督办责任单位", "整改时限"]
    assert [c.value for c in table.rows[1]] == ["2", "石桥街道锦绣花园小区", "市住房和城乡建设局", "2025年9月30日前"]
    assert table.row_locs[1].line == table.rows[1][0].loc.line


def test_a_plan_prints_the_table_in_the_body_with_its_title_centred_above(tmp_path, run):
    (tmp_path / "plan.yaml").write_text(plan_text(BODY), encoding="utf-8")
    result = run("render", "plan.yaml", "--registry", REGISTRY, "-o", "out", cwd=tmp_path)
    assert result.exit_code == 0, result.output
    assert "DG110" not in result.output
    body = _body(tmp_path / "out" / "plan.docx")
    at = next(i for i, (kind, _) in enumerate(body) if kind == "table")
    assert body[at - 2][1].text == "挂牌督办的重大事故隐患清单如下："
    title = body[at - 1][1]
    assert title.text == "挂牌督办重大事故隐患清单"
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert body[at][1] == [["序号", "隐患单位", "督办责任单位", "整改时限"],
                           ["1", "枫林街道荷塘农贸市场", "市消防救援支队", "2025年8月15日前"],
                           ["2", "石桥街道锦绣花园小区", "市住房和城乡建设局", "2025年9月30日前"]]
    assert body[at + 1][1].text == "督办责任单位每月10日前报送整改进展。"
    # a table in the body is no attachment: no 附件说明, no attachment page
    assert not any(kind == "p" and p.text.startswith("附件") for kind, p in body)


def test_a_table_without_a_title_prints_the_table_only(tmp_path, run):
    body = "- 段落: 情况如下：\n- 列: [单位, 起数]\n  行: [[东湖街道, 3]]\n"
    (tmp_path / "plan.yaml").write_text(plan_text(body), encoding="utf-8")
    result = run("render", "plan.yaml", "--registry", REGISTRY, "-o", "out", cwd=tmp_path)
    assert result.exit_code == 0, result.output
    blocks = _body(tmp_path / "out" / "plan.docx")
    at = next(i for i, (kind, _) in enumerate(blocks) if kind == "table")
    assert blocks[at - 1][1].text == "情况如下："
    assert blocks[at][1] == [["单位", "起数"], ["东湖街道", "3"]]


def test_rows_that_do_not_match_the_header_are_located(tmp_path, run):
    body = """
    - 列: [序号, 隐患单位, 整改时限]
      行:
        - [1, 枫林街道荷塘农贸市场, 2025年8月15日前, 多余]
        - [2, 石桥街道锦绣花园小区]
    """
    (tmp_path / "plan.yaml").write_text(plan_text(body), encoding="utf-8")
    result = run("check", "plan.yaml", "--registry", REGISTRY, cwd=tmp_path)
    assert result.exit_code == 1
    assert ("plan.yaml:11:9: 错误 DG107 [attachment-empty] 正文中的表格第 1 行有 4 格，多于表头的 3 列，"
            "多出的格印不出来。") in result.output, result.output
    assert "plan.yaml:12:9: 警告 DG107 [attachment-empty] 正文中的表格第 2 行只有 2 格，表头有 3 列" in result.output
    assert "DG110" not in result.output


def test_a_wrong_row_is_a_chinese_schema_message(tmp_path, run):
    body = "- 标题: 情况表\n  列: [单位, 起数]\n  行: 东湖街道\n"
    (tmp_path / "plan.yaml").write_text(plan_text(body), encoding="utf-8")
    result = run("check", "plan.yaml", "--registry", REGISTRY, cwd=tmp_path)
    assert result.exit_code == 1
    assert "plan.yaml:11" in result.output and "行" in result.output, result.output
    assert "Traceback" not in result.output


def test_a_data_table_block_in_a_plan_points_to_the_written_table(tmp_path, run):
    (tmp_path / "plan.yaml").write_text(plan_text("- 表格: 各县事故\n"), encoding="utf-8")
    result = run("check", "plan.yaml", "--registry", REGISTRY, cwd=tmp_path)
    assert result.exit_code == 1
    assert "DG110" in result.output and "请把表格直接写在这里（写“标题”“列”“行”）" in result.output


BULLETIN = """\
文种: 通报
标题: 清溪市测试通报
发文机关: 清溪市安全生产委员会办公室
主送: [市安委会各成员单位]
成文日期: 2025年1月20日
数据: data.yaml
正文:
  - 段落: 本月全市发生事故{事故起数}。
  - 标题: 重点隐患
    内容:
      - 段落: 重点隐患如下：
      - 标题: 重点隐患整改情况表
        列: [序号, 隐患, 整改时限]
        行:
          - [1, 东湖化工仓库报警装置失效, 2025年2月底前]
"""


def test_a_bulletin_prints_the_written_table_where_it_stands(tmp_path, run):
    (tmp_path / "b.yaml").write_text(BULLETIN, encoding="utf-8")
    (tmp_path / "data.yaml").write_text(textwrap.dedent("""\
        指标:
          事故起数: {本期: 3, 量词: 起}
        """), encoding="utf-8")
    result = run("render", "b.yaml", "--registry", CITY_REGISTRY, "-o", "out", cwd=tmp_path)
    assert result.exit_code == 0, result.output
    body = _body(tmp_path / "out" / "b.docx")
    at = next(i for i, (kind, _) in enumerate(body) if kind == "table")
    assert body[at - 1][1].text == "重点隐患整改情况表"
    assert body[at - 1][1].alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert body[at][1] == [["序号", "隐患", "整改时限"], ["1", "东湖化工仓库报警装置失效", "2025年2月底前"]]


def test_the_outline_for_git_diff_lists_the_table_rows(tmp_path):
    from docgen.diff.outline import outline

    path = tmp_path / "plan.yaml"
    path.write_text(plan_text(BODY), encoding="utf-8")
    text = outline(Plan.from_source(load(path, "plan.yaml")[0]))
    assert "\n  表格：挂牌督办重大事故隐患清单\n" in text
    assert "\n    2 | 石桥街道锦绣花园小区 | 市住房和城乡建设局 | 2025年9月30日前\n" in text
