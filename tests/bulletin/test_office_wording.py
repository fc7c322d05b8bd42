"""The 通报 and 督办通知 as offices word them: comparisons said in the sentence (分别, 比上年同期…),
precision per figure, lists from data, the empty cases, two-level table heads, every 版头 element,
cited attachments, the 信函 layout, punctuation; each read back from the rendered .docx as a reader
sees it."""

from __future__ import annotations

import re
import zipfile
from decimal import Decimal
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from docx.oxml.ns import qn
from test_bulletin import EXAMPLES, ROOT, SETTINGS, findings, refused, write
from test_bulletin import docx_text as raw_text

from docgen import wording
from docgen.cli import cli
from docgen.compose.titles import break_lines
from docgen.jobs.render import render


def docx_text(path: Path) -> str:
    """The document's text as a reader copies it (the invisible break opportunities left out)."""
    return raw_text(path).replace("\u200b", "")


# -- wording ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("pairs, basis, joiner, trim, expected", [
    ([(4, 8, "人"), (6, 7, "人")], "同比", "、", True, "同比分别下降50%、14.3%"),
    ([(4, 8, "人"), (6, 7, "人"), (3, 7, "人")], "同比", "、", True, "同比分别下降50%、14.3%、57.1%"),
    ([(4, 8, "人"), (6, 7, "人")], "同比", "、", False, "同比分别下降50.0%、14.3%"),
    ([(Decimal("110.3"), Decimal("102.3"), ""), (Decimal("10.14"), 10, "")], "同比", "和", True,
     "同比分别上升7.8%和1.4%"),
    ([(5, 4, "起"), (3, 4, "人")], "比上年同期", "、", False, "比上年同期分别上升25.0%、下降25.0%"),
    ([(4, 4, "起"), (2, 2, "人")], "同比", "、", False, "同比均持平"),
    ([(3, 0, "起"), (2, 4, "人")], "同比", "、", False, "同比分别增加3起（上年同期为0）、下降50.0%"),
])
def test_several_figures_compared_in_one_phrase(pairs, basis, joiner, trim, expected):
    assert wording.compare_all(pairs, basis, joiner, trim=trim) == expected


@pytest.mark.parametrize("current, base, basis, form, expected", [
    (2, 4, "与去年同期相比", wording.RISE, "与去年同期相比下降50.0%"),
    (4, 4, "与去年同期相比", wording.RISE, "与去年同期持平"),
    (4, 4, "比上年同期", wording.RISE, "与上年同期持平"),
    (2, 4, "同比", wording.GROW, "同比减少50.0%"),
    (2, 4, "同比", wording.DIFFERENCE, "同比减少2起"),
    (2, 4, "同比", wording.BOTH, "同比减少2起、下降50.0%"),
    (Decimal("87.75"), Decimal("85.5"), "比上年", wording.RAISE, "比上年提高2.25起"),
    (Decimal("3.5"), 3, "较前两年同期平均", wording.RISE, "较前两年同期平均上升16.7%"),
])
def test_comparison_chosen_in_the_sentence(current, base, basis, form, expected):
    assert wording.compare(current, base, basis, "起", form=form) == expected


def test_precision_per_figure_half_up_and_as_written():
    assert wording.compare(Decimal("2078.3"), 96, "同比", places=0) == "同比上升2065%"
    assert wording.rate(1, 8, places=0) == "13%"  # 12.5: half up
    assert wording.rate(1, 2, trim=True) == "50%" and wording.rate(1, 2) == "50.0%"
    assert wording.figure(Decimal("-46.0")) == "-46.0" and wording.figure(Decimal("4")) == "4"
    assert wording.figure(Decimal("15.535")) == "15.54"


def test_a_paragraph_ending_in_a_colon_or_a_closed_quote_gets_no_full_stop():
    assert wording.sentence("现将有关情况通报如下：") == "现将有关情况通报如下："
    assert wording.sentence("要求“务必于月底前完成。”") == "要求“务必于月底前完成。”"
    assert wording.sentence("请报送《统计表》") == "请报送《统计表》。"


def test_a_title_never_breaks_inside_a_range_or_a_date():
    title = "国务院安委会办公室关于2025年1—11月全国生产安全事故情况的通报"
    for capacity in range(14, 24):
        for line in break_lines(title, capacity)[:-1]:
            assert not re.search(r"[0-9—]$", line), (capacity, line)


# -- in the document -------------------------------------------------------------------------------


def rendered_text(path: Path, tmp_path: Path) -> str:
    (out,) = render([path], SETTINGS, tmp_path / "out", pdf=False, base=tmp_path).files
    return docx_text(out)


DATA = """\
    格式: {百分数小数位: 1, 整百分数: 去掉小数}
    指标:
      死亡人数: {量词: 人, 本期: 4, 上年同期: 8}
      受伤人数: {量词: 人, 本期: 6, 上年同期: 7}
      事故起数: {量词: 起, 本期: 0, 上年同期: 2}
      经济损失: {量词: 万元, 本期: 243.9, 上年同期: 11.2, 小数位: 0}
    表格:
      各镇:
        行:
          - {乡镇（街道）: 西岭街道, 单位数: 1, 隐患数: 1, 变化: -46.0}
          - {乡镇（街道）: 东湖街道, 单位数: 3, 隐患数: 5, 变化: 2.5}
    名单:
      未报送: []
      迟报: [市应急管理局, 市消防救援支队, 市交通运输局]
    """


def test_comparisons_and_precision_in_a_bulletin(tmp_path):
    path = write(tmp_path, """\
        - 段落: 死亡{死亡人数}、受伤{受伤人数}，{死亡人数、受伤人数.同比}；直接经济损失{经济损失}，{经济损失.同比}
        - 段落: 受伤人数{受伤人数.比上年同期:差}，死亡人数{死亡人数.与去年同期相比}
        """, DATA)
    text = rendered_text(path, tmp_path)
    assert "死亡4人、受伤6人，同比分别下降50%、14.3%；直接经济损失243.9万元，同比上升2078%。" in text
    assert "受伤人数比上年同期减少1人，死亡人数与去年同期相比下降50%。" in text


def test_lists_from_data_in_data_order_sorted_numbered_and_empty(tmp_path):
    path = write(tmp_path, """\
        - 名单: 各镇
          格式: "{乡镇（街道）}上报{单位数}家单位隐患{隐患数}处"
          分隔: 分号
          前文: 其中，
        - 名单: 各镇
          格式: "{乡镇（街道）}{隐患数}处"
          排序: 隐患数
          前文: 按隐患数：
        - 名单: 迟报
          编号: "1."
          前文: 迟报的单位
        - 名单: 迟报
          编号: 一是
          前文: 迟报单位
        - 名单: 迟报
          等: {合称: 个单位, 列出: 2}
          前文: 迟报的有
        - 名单: 未报送
          前文: 未报送的单位：
          无则: 各单位均按时报送
        """, DATA)
    text = rendered_text(path, tmp_path)
    assert "其中，西岭街道上报1家单位隐患1处；东湖街道上报3家单位隐患5处。" in text  # the data's order
    assert "按隐患数：东湖街道5处、西岭街道1处。" in text  # sorted when asked
    assert "迟报的单位：\n1.市应急管理局。\n2.市消防救援支队。\n3.市交通运输局。" in text
    assert "迟报单位：一是市应急管理局；二是市消防救援支队；三是市交通运输局。" in text
    assert "迟报的有市应急管理局、市消防救援支队等3个单位。" in text
    assert "各单位均按时报送。" in text and "未报送的单位" not in text


def test_grade_list_needs_no_suppression(tmp_path):
    path = write(tmp_path, """\
        - 名单: 考核
          分组: 等次
          等次: [优秀, 良好, 合格]
          编号: （一）
        """, """\
        表格:
          考核:
            行:
              - {单位: 市应急管理局, 等次: 合格}
              - {单位: 市消防救援支队, 等次: 优秀}
              - {单位: 市交通运输局, 等次: 优秀}
        """)
    assert findings(path, tmp_path) == []
    text = rendered_text(path, tmp_path)
    assert "（一）优秀（2个）：市消防救援支队、市交通运输局。\n（二）合格（1个）：市应急管理局。" in text


def test_no_accident_is_worded_not_printed_as_zero(tmp_path):
    path = write(tmp_path, """\
        - 如有: 事故起数
          内容:
            - 段落: 发生事故{事故起数}，{事故起数.同比}
          否则:
            - 段落: 全市未发生生产安全事故
        - 表格: 各镇
          列: [乡镇（街道）, 隐患数]
          无则: 各乡镇均无隐患
        """, DATA)
    text = rendered_text(path, tmp_path)
    assert "全市未发生生产安全事故。" in text and "发生事故0起" not in text


def test_empty_table_prints_the_sentence_instead(tmp_path):
    path = write(tmp_path, """\
        - 表格: 逾期
          无则: 各项任务均按期完成
        """, """\
        表格:
          逾期:
            列: [任务编号, 工作任务]
            行: []
        """)
    out = render([path], SETTINGS, tmp_path / "out", pdf=False, base=tmp_path).files[0]
    assert "各项任务均按期完成。" in docx_text(out) and not docx.Document(str(out)).tables


def test_two_level_head_share_column_and_figures_as_written(tmp_path):
    path = write(tmp_path, """\
        - 表格: 各镇
          列: [乡镇（街道）, 单位数, 隐患数, 变化]
          表头: {上报情况: [单位数, 隐患数]}
          占比: [隐患数]
          合计: true
        """, DATA)
    out = render([path], SETTINGS, tmp_path / "out", pdf=False, base=tmp_path).files[0]
    (table,) = docx.Document(str(out)).tables
    rows = [[c.text for c in r.cells] for r in table.rows]
    assert rows[0] == ["乡镇（街道）", "上报情况", "上报情况", "上报情况", "变化"]
    assert rows[1] == ["乡镇（街道）", "单位数", "隐患数", "占比", "变化"]
    assert rows[2] == ["西岭街道", "1", "1", "16.7%", "-46.0"]  # -46.0 as the data file writes it
    assert rows[-1][:3] == ["合计", "4", "6"]
    xml = table._tbl.xml
    assert 'w:gridSpan w:val="3"' in xml and "w:vMerge" in xml  # merged cells, not repeated text


def test_every_head_element_on_a_bulletin(tmp_path):
    path = write(tmp_path, "- 段落: 死亡{死亡人数}。", DATA)
    text = path.read_text(encoding="utf-8").replace(
        "成文日期:", "发文字号: 清安办〔2025〕9号\n份号: \"7\"\n密级: 秘密\n保密期限: 1年\n紧急程度: 特急\n签发人: 张三\n成文日期:")
    path.write_text(text, encoding="utf-8")
    out = render([path], SETTINGS, tmp_path / "out", pdf=False, base=tmp_path).files[0]
    paras = [p.text for p in docx.Document(str(out)).paragraphs]
    assert paras[:3] == ["000007", "秘密★1年", "特急"]
    assert "清溪市安全生产委员会办公室文件" in paras[3]
    assert "签发人：张三" in paras[4] and "清安办〔2025〕9号" in paras[4]


def test_a_cited_attachment_must_be_attached_and_a_form_renders_as_one(tmp_path):
    path = write(tmp_path, "- 段落: 整改完成后填写审批表（见附件2），报督办单位。", DATA)
    ((code, where),) = refused(path, tmp_path)
    line, col = map(int, where.split(":")[1:])
    assert code == "DG818" and path.read_text(encoding="utf-8").splitlines()[line - 1][col - 1:].startswith("附件2")
    with path.open("a", encoding="utf-8") as f:
        f.write("附件:\n  - {标题: 隐患清单, 数据表: 各镇}\n  - {标题: 整改销号审批表, 类型: 表单, 列: [隐患名称, 核查意见]}\n")
    out = render([path], SETTINGS, tmp_path / "out", pdf=False, base=tmp_path).files[0]
    form = docx.Document(str(out)).tables[-1]
    assert [[c.text for c in r.cells] for r in form.rows] == [["隐患名称", ""], ["核查意见", ""]]
    assert "附件：1.隐患清单\n2.整改销号审批表" in docx_text(out)


def test_attachment_named_by_title_is_numbered_for_the_reader(tmp_path):
    path = write(tmp_path, "- 段落: 清单见{附件:隐患清单}，表格见{附件:统计}。", DATA)
    with path.open("a", encoding="utf-8") as f:
        f.write("附件:\n  - {标题: 统计, 数据表: 各镇}\n  - {标题: 隐患清单, 数据表: 各镇}\n")
    (out,) = render([path], SETTINGS, tmp_path / "first", pdf=False, base=tmp_path).files
    assert "清单见附件2，表格见附件1。" in docx_text(out)
    path.write_text(path.read_text(encoding="utf-8").replace("{附件:统计}", "{附件:统计表}"), encoding="utf-8")
    assert [code for code, _ in refused(path, tmp_path)] == ["DG818"]


def test_a_letter_has_the_letter_head(tmp_path):
    path = write(tmp_path, "- 段落: 死亡{死亡人数}。", DATA)
    text = path.read_text(encoding="utf-8").replace(
        "成文日期:", "版式: 信函\n发文字号: 清安办函〔2025〕9号\n印发机关: 清溪市安全生产委员会办公室\n"
                 "印发日期: 2025年1月20日\n抄送: [市委办公室]\n成文日期:")
    path.write_text(text, encoding="utf-8")
    out = render([path], SETTINGS, tmp_path / "out", pdf=False, base=tmp_path).files[0]
    d = docx.Document(str(out))
    mm = 1440 / 25.4
    mark, head_rule, number, foot = (p._p.pPr for p in d.paragraphs[:4])
    assert d.paragraphs[0].text == "清溪市安全生产委员会办公室"  # the full name, never "…文件"
    # the name in a frame on the page: 30 mm under its top edge, above the text area (GB/T 9704 10.1)
    frame = mark.find(qn("w:framePr"))
    assert frame.get(qn("w:vAnchor")) == "page" and int(frame.get(qn("w:y"))) < 30 * mm
    # the 发文字号 flush right (a right tab at the text width) under the first double rule (thick over thin)
    assert d.paragraphs[2].text == "\t清安办函〔2025〕9号"
    assert number.find(f"{qn('w:tabs')}/{qn('w:tab')}").get(qn("w:val")) == "right"
    for ppr, kind in ((head_rule, "thickThinSmallGap"), (foot, "thinThickSmallGap")):
        frame, rule = ppr.find(qn("w:framePr")), ppr.find(qn("w:pBdr")).find(qn("w:bottom"))
        assert rule.get(qn("w:val")) == kind and rule.get(qn("w:color")) == "FF0000"
        assert frame.get(qn("w:vAnchor")) == "page" and abs(int(frame.get(qn("w:w"))) - 170 * mm) < 1
        assert abs(int(frame.get(qn("w:x"))) - 21 * mm) < 1  # centred on the text area (28 + 156 / 2 = 106 mm)
    assert int(head_rule.find(qn("w:framePr")).get(qn("w:y"))) < 50 * mm < 270 * mm < int(foot.find(qn("w:framePr")).get(qn("w:y")))
    assert d.element.body.find(f".//{qn('w:sectPr')}").find(qn("w:titlePg")) is not None  # no number on page 1
    with zipfile.ZipFile(out) as zf:
        footers = "".join(zf.read(n).decode() for n in zf.namelist() if n.startswith("word/footer"))
    assert "抄送：市委办公室。" in footers and "印发" not in footers


def test_a_letter_puts_its_urgency_under_the_rule_on_the_number_line(tmp_path):
    """Without 份号, the first 版头 element (紧急程度, 黑体) takes its place: flush left on the
    发文字号's line under the first double rule, nothing above the organ's name."""
    path = write(tmp_path, "- 段落: 死亡{死亡人数}。", DATA)
    text = path.read_text(encoding="utf-8").replace(
        "成文日期:", "版式: 信函\n紧急程度: 特急\n发文字号: 清安办函〔2025〕9号\n成文日期:")
    path.write_text(text, encoding="utf-8")
    out = render([path], SETTINGS, tmp_path / "out", pdf=False, base=tmp_path).files[0]
    d = docx.Document(str(out))
    assert d.paragraphs[0].text == "清溪市安全生产委员会办公室"
    number = d.paragraphs[2]
    assert number.text == "特急\t清安办函〔2025〕9号"
    assert number.runs[0]._r.find(f"{qn('w:rPr')}/{qn('w:rFonts')}").get(qn("w:eastAsia")) == "黑体"


def test_render_of_a_data_file_names_the_bulletin_using_it():
    result = CliRunner().invoke(cli, ["render", str(EXAMPLES / "2024-work-data.yaml"), "-o", "/nonexistent"])
    assert result.exit_code == 2
    assert "是通报的数据文件" in result.output and "2024-work-bulletin.yaml" in result.output


# -- the examples ----------------------------------------------------------------------------------


def document_order_text(path: Path) -> list[str]:
    """From the title on: each paragraph, and each table row (merged cells once), in order."""
    d = docx.Document(str(path))
    out, started = [], False
    for child in d.element.body.iterchildren():
        if child.tag == qn("w:p"):
            style = child.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
            started = started or (style is not None and d.styles.get_by_id(style.get(qn("w:val")), 1).name == "标题")
            if started:
                out.append("".join(t.text or "" for t in child.iter(qn("w:t"))))
        elif child.tag == qn("w:tbl") and started:
            for row in child.iter(qn("w:tr")):
                cells = [tc for tc in row.iter(qn("w:tc"))
                         if (m := tc.find(f"{qn('w:tcPr')}/{qn('w:vMerge')}")) is None or m.get(qn("w:val")) == "restart"]
                out.append(" ".join("".join(t.text or "" for t in tc.iter(qn("w:t"))) for tc in cells))
    return [line.replace("\u200b", "") for line in out]


@pytest.mark.parametrize("name, unsaid", [
    ("2025-11-national-letter", ""), ("2024-assessment-bulletin", ""), ("2025-11-hazards-notice", ""),
    # written from its reference text first (a row's own rate: 湖滨社区整改率仅为85.7%)
    ("2025-10-donghu-inspection", ""),
])
def test_examples_read_like_the_published_text(name, unsaid, tmp_path):
    """The examples (national 信函, provincial 考核结果, city 挂牌督办, street 月排查) against the text
    as published (bench/bulletins/): every sentence is there but what the format cannot say, and
    the whole reads alike (≥ 0.97)."""
    import difflib

    (out,) = render([EXAMPLES / f"{name}.yaml"], SETTINGS, tmp_path, pdf=False, base=ROOT).files
    lines = document_order_text(out)
    reference = (ROOT / "bench" / "bulletins" / f"{name}.txt").read_text(encoding="utf-8")
    squeeze = re.compile(r"\s+")
    text = squeeze.sub("", "".join(lines))
    for line in reference.splitlines():
        assert squeeze.sub("", line.replace(f"，{unsaid}" if unsaid else "\0", "")) in text, line
    ratio = difflib.SequenceMatcher(None, text, squeeze.sub("", reference), autojunk=False).ratio()
    assert ratio >= 0.97


@pytest.mark.slow
@pytest.mark.parametrize("name", ["2024-work-bulletin", "2025-11-national-letter", "2024-assessment-bulletin",
                                  "2025-11-hazards-notice"])
def test_every_figure_reads_back_from_the_pdf(name, tmp_path):
    """The seed 通报 (004, written as plan and data: 2024-work-bulletin) and the examples: every
    placeholder's text and every table cell is in the PDF exactly as docgen worded it."""
    import subprocess

    from docgen.bulletin import text as placeholders
    from docgen.checked import prepare_plans

    ctx, _ = prepare_plans([EXAMPLES / f"{name}.yaml"], SETTINGS, ROOT)
    (bulletin,) = ctx.bulletins
    files = render([EXAMPLES / f"{name}.yaml"], SETTINGS, tmp_path, pdf=True, base=ROOT).files
    pdf = next(p for p in files if p.suffix == ".pdf")
    printed = re.sub(r"\s+", "", subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                                                check=True).stdout)
    from docgen.bulletin.model import CondRef

    in_branches = {id(t) for b in bulletin.blocks() if isinstance(b, CondRef)
                   for t in bulletin.texts() if any(t is x for x in _texts_of(b))}
    expected = []
    for text in (t for t in bulletin.texts() if id(t) not in in_branches):
        for expr in placeholders.placeholders(text.value):
            value = placeholders.resolve(expr, bulletin.data)
            if not isinstance(value, placeholders.Miss):
                expected.append(value)
    for table in docx.Document(str(next(p for p in files if p.suffix == ".docx"))).tables:
        expected += [c.text for r in table.rows for c in r.cells
                     if re.fullmatch(r"[-+0-9.,%]+|(上升|下降|增加|减少)[0-9.]+%?|[0-9]{4}年[0-9]+月[0-9]+日", c.text)]
    assert expected
    missing = [v for v in expected if re.sub(r"\s+", "", v.replace("\u200b", "")) not in printed]
    assert missing == []


def _texts_of(cond) -> list:
    """The sentences of both branches of a 如有 (only one is printed)."""
    from docgen.model import Paragraph

    return [t for b in (*cond.then, *cond.otherwise) if isinstance(b, Paragraph) for t in (b.lead, b.text, *b.items) if t]


def test_report_when_every_task_is_done_says_so_with_a_chart(tmp_path):
    """The office's best month: every ledger says 已完成, no accident. `docgen report` gives a 通报
    saying so (it failed with DG810 before), with its chart, and without an empty overdue list."""
    from docgen.checked import prepare_plans
    from docgen.notify.recipients import recipients

    plan_path = ROOT / "plans" / "city" / "three-year-plan.yaml"
    ctx, _ = prepare_plans([plan_path], SETTINGS, ROOT)
    (plan,) = ctx.plans
    lines = ["方案: plans/city/three-year-plan.yaml", "截至: 2025年6月30日",
             "统计:", "  事故起数: {本期: 0, 上年同期: 2}", "进展:"]
    by_task: dict[str, list[str]] = {}
    for r in recipients(plan, ctx.registry, ctx.registry.organisation_of(plan.issuer.value)):
        for a in r.tasks:
            by_task.setdefault(a.task.id, []).append(r.name)
    for task, units in by_task.items():
        lines.append(f"  {task}:")
        lines += [f"    {u}: {{完成状态: 已完成, 完成日期: 2025年6月1日}}" for u in units]
    progress = tmp_path / "progress.yaml"
    progress.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["report", str(plan_path), "--progress", str(progress), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    out = tmp_path / "out" / "three-year-plan-进展通报.docx"
    text = docx_text(out)
    assert "截至2025年6月30日，全市未发生生产安全事故。" in text
    assert "确定的30项任务已全部完成，各项任务均已落实。现将有关情况通报如下。" in text
    assert "各项任务均已完成，没有逾期未完成和进度滞后的任务。" in text
    assert "各责任单位均按要求报送了任务台账。" in text
    assert "逾期未完成0项" not in text and "逾期和进度滞后任务清单" not in text  # no empty list, no empty attachment
    assert "各单位完成情况见附件。" in text and "附件：各单位任务完成情况统计表" in text
    with zipfile.ZipFile(out) as zf:
        assert any(n.startswith("word/media/") and n.endswith(".png") for n in zf.namelist())  # the chart


def test_the_office_default_precision_comes_from_the_configuration(tmp_path):
    import dataclasses

    path = write(tmp_path, "- 段落: 受伤{受伤人数}，{受伤人数.同比}。", """\
        指标:
          受伤人数: {量词: 人, 本期: 6, 上年同期: 7}
        """)
    settings = dataclasses.replace(SETTINGS, percent_places=2)
    (out,) = render([path], settings, tmp_path / "out", pdf=False, base=tmp_path).files
    assert "受伤6人，同比下降14.29%。" in docx_text(out)
    (tmp_path / "pyproject.toml").write_text("[tool.docgen]\nregistry = []\npercent-places = 9\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", str(path)])
    assert result.exit_code == 2 and "percent-places = 9 无效" in result.output


def test_a_data_file_rendered_with_its_bulletin_is_just_its_data(tmp_path):
    result = render([EXAMPLES / "2024-assessment-bulletin.yaml", EXAMPLES / "2024-assessment-data.yaml"], SETTINGS,
                    tmp_path, pdf=False, base=ROOT)
    assert [p.name for p in result.files] == ["2024-assessment-bulletin.docx"]


def test_no_word_is_split_inside_a_narrow_column():
    """"道路交/通" was seen: a short head, a date or a figure is one word, and its column is widened
    at the expense of the long-text columns."""
    from docgen.compose.tree import Table
    from docgen.render.docx import _column_widths

    char = 280
    table = Table(("序号", "隐患", "行业领域", "整改时限", "销号要求"),
                  (("1", "液化石油气储配站储罐区可燃气体报警装置失效" * 2, "道路交通", "2025年12月20日", "更换报警装置并联网后销号" * 2),),
                  narrow=frozenset({0}), shares=(0, 3, 1, 1, 3))
    widths = _column_widths(table, 8845, char)
    assert sum(widths) == 8845
    assert widths[2] >= 4 * char and widths[3] >= 6.5 * char  # 道路交通; 2025年12月20日 (6.5 characters wide)


def test_the_hazard_list_counts_as_an_attachment_and_a_blank_table_has_blank_rows(tmp_path):
    path = write(tmp_path, "- 段落: 共挂牌督办{隐患.行数}（见附件2），整改情况填入附件1。", """\
        表格:
          隐患:
            量词: 处
            行:
              - {隐患: 甲, 整改责任单位: 某公司, 整改时限: 2025年12月31日, 督办单位: 市应急管理局}
        """)
    text = path.read_text(encoding="utf-8").replace("文种: 通报", "文种: 挂牌督办通知")
    path.write_text(text + "附件:\n  - {标题: 整改情况统计表, 类型: 空表, 列: [序号, 隐患, 整改进展], 空行: 3}\n",
                    encoding="utf-8")
    assert findings(path, tmp_path) == []
    out = render([path], SETTINGS, tmp_path / "out", pdf=False, base=tmp_path).files[0]
    tables = docx.Document(str(out)).tables
    assert [[c.text for c in r.cells] for r in tables[0].rows] == [["序号", "隐患", "整改进展"]] + [["", "", ""]] * 3
    assert "附件：1.整改情况统计表\n2.挂牌督办重大事故隐患清单" in docx_text(out)


def test_two_lists_in_one_sentence(tmp_path):
    path = write(tmp_path, "- 段落: \"{迟报.个数}单位迟报，其中{迟报}已补报；{未报送}未报送。\"", DATA)
    assert "3个单位迟报，其中市应急管理局、市消防救援支队、市交通运输局已补报；无未报送。" in rendered_text(path, tmp_path)


def test_a_list_runs_on_in_the_paragraph_before_it(tmp_path):
    path = write(tmp_path, """\
        - 段落: 共上报隐患6处
        - 名单: 各镇
          格式: "{乡镇（街道）}{隐患数}处"
          前文: 其中，
          接上段: true
        """, DATA)
    assert "\n共上报隐患6处。其中，西岭街道1处、东湖街道5处。\n" in rendered_text(path, tmp_path)


def test_a_reminder_carries_its_urgency_in_the_head(tmp_path):
    progress = tmp_path / "late.yaml"
    progress.write_text("方案: plans/city/three-year-plan.yaml\n截至: 2025年12月30日\n进展:\n  T20:\n"
                        "    市应急管理局: {完成状态: 推进中}\n", encoding="utf-8")
    plan = str(ROOT / "plans" / "city" / "three-year-plan.yaml")
    runner = CliRunner()
    refused_ = runner.invoke(cli, ["remind", plan, "--progress", str(progress), "--urgency", "加急", "-o", str(tmp_path / "x")])
    assert refused_.exit_code == 2 and "--number" in refused_.output and not (tmp_path / "x").exists()
    result = runner.invoke(cli, ["remind", plan, "--progress", str(progress), "--number", "清安办〔2025〕50号",
                                 "--urgency", "加急", "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    paras = [p.text for p in docx.Document(str(tmp_path / "out" / "市应急管理局-督办.docx")).paragraphs]
    assert paras[:3] == ["加急", "清溪市安全生产委员会办公室文件", "清安办〔2025〕50号"]


def test_the_basis_said_once_then_each_change():
    from docgen.bulletin import text as placeholders
    from docgen.bulletin.data import CURRENT, Data, Figure, Value
    from docgen.problems import Location

    here = Location("d.yaml", 1)
    data = Data(Path("d.yaml"), figures={
        "排查单位": Figure("排查单位", "家次", {CURRENT: Value(Decimal(312), here), "上月": Value(Decimal(288), here)}, here),
        "发现隐患": Figure("发现隐患", "处", {CURRENT: Value(Decimal(86), here), "上月": Value(Decimal(86), here)}, here)})
    text, misses = placeholders.fill("与上月相比，排查单位{排查单位.环比变化:差}，发现隐患{发现隐患.环比变化:差}", data)
    assert (text, misses) == ("与上月相比，排查单位增加24家次，发现隐患持平", [])


def test_a_row_rate_in_a_list_continues_the_sentence_before(tmp_path):
    path = write(tmp_path, """\
        - 段落: 部分镇仍有隐患未整改
        - 名单: 各镇
          条件: {乡镇（街道）: 东湖街道}
          格式: "{乡镇（街道）}每家单位平均{隐患数/单位数}"
          前文: ，其中
          接上段: true
        """, DATA)
    assert "部分镇仍有隐患未整改，其中东湖街道每家单位平均166.7%。" in rendered_text(path, tmp_path)
