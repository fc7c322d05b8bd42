"""The .docx: nothing lost, deterministic, literal text, fonts, templates, 版记 and signature."""

from __future__ import annotations

import dataclasses
import io
import re
import zipfile
from pathlib import Path

import docx
import pytest
from conftest import REGISTRY

from docgen.config import load_settings
from docgen.jobs.render import PlanErrors, render
from docgen.model import Paragraph, Section, Task
from docgen.render import RenderError
from docgen.render.docx import write
from docgen.render.template import TemplateChoice, default_template

from .conftest import EXAMPLES, ROOT
from .helpers import PLAN, composed, docx_lines, settings, write_plan, xml_parts


def _expected(plan) -> tuple[list[str], list[tuple[str, str]]]:
    """Texts of the plan in document order, and (section title, shared line text) pairs."""
    ordered: list[str] = []
    shared: list[tuple[str, str]] = []

    def milestones(deadline):
        return [x for m in deadline.milestones for x in (m.phrase, m.content and m.content.rstrip("。")) if x]

    for block in plan.walk():
        if isinstance(block, Section):
            ordered += [block.title.value] + ([block.intro.value] if block.intro else [])
            if block.responsibility:
                shared += [(block.title.value, u.name) for u in block.responsibility.all()]
            if block.deadline:
                shared += [(block.title.value, m) for m in milestones(block.deadline)]
        elif isinstance(block, Paragraph):
            ordered += [t.value for t in (block.lead, block.text) if t] + [i.value for i in block.items]
            ordered += [x for m in block.stages for x in (m.phrase, m.content) if x] + [t.name for t in block.targets]
        elif isinstance(block, Task):
            body = [block.body.value.rstrip("。") if block.attachment else block.body.value] if block.body else []
            ordered += [block.lead.value] + body + [i.value for i in block.items]
            ordered += [t.name for t in block.targets]
            ordered += [u.name for u in block.responsibility.all()] if block.responsibility else []
            ordered += milestones(block.deadline) if block.deadline else []
    return ordered, shared


def _in_order(haystack: str, needles: list[str], start: int = 0) -> int:
    cursor = start
    for needle in needles:
        found = haystack.find(needle, cursor)
        assert found >= 0, f"“{needle}” missing or out of order after …{haystack[max(cursor - 40, 0):cursor]}"
        cursor = found + len(needle)
    return cursor


@pytest.mark.parametrize("name", EXAMPLES)
def test_nothing_of_the_plan_is_lost(examples, name):
    example = examples[name]
    text = "\n".join(docx_lines(example.docx))
    ordered, shared = _expected(example.plan)
    body_end = _in_order(text, ordered, text.index(example.plan.title.value))
    for title, needle in shared:
        assert needle in text[text.index(title):body_end], (title, needle)
    table = text.index("任务分工表", body_end)
    row = []
    for task in example.plan.tasks():
        r = task.effective_responsibility
        row += [str(task.number), task.lead.value, *(u.name for u in r.lead), *(u.name for u in r.support)]
    _in_order(text, row, table)


@pytest.mark.parametrize("name", EXAMPLES)
def test_rendering_twice_gives_the_same_bytes(examples, name, tmp_path):
    again = render([ROOT / "plans"], load_settings(ROOT), tmp_path, pdf=False, base=ROOT, keep_folders=True)
    assert tmp_path / f"{name}.docx" in again.files
    assert (tmp_path / f"{name}.docx").read_bytes() == examples[name].docx.read_bytes()


def test_zip_entries_have_fixed_times(examples):
    with zipfile.ZipFile(examples["city/three-year-plan"].docx) as zf:
        assert {info.date_time for info in zf.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = zf.read("docProps/core.xml").decode()
    assert "2024-03-15T00:00:00Z" in core and "清溪市安全生产委员会" in core


def test_official_font_names_and_no_theme_fonts(examples):
    parts = xml_parts(examples["city/three-year-plan"].docx)
    names = set(re.findall(r'w:eastAsia="([^"]+)"', parts["word/styles.xml"]))
    assert {"仿宋_GB2312", "楷体_GB2312", "黑体", "宋体", "方正小标宋简体"} <= names
    assert not any(re.search(r"w:\w+Theme=", xml) for xml in parts.values())


def test_windows_font_set(tmp_path):
    path = write_plan(tmp_path)
    out = render([path], settings(tmp_path, font_set="windows"), tmp_path / "out", pdf=False, base=tmp_path)
    parts = xml_parts(out.files[0])
    assert "_GB2312" not in "".join(parts.values())
    assert {"仿宋", "楷体"} <= set(re.findall(r'w:eastAsia="([^"]+)"', parts["word/styles.xml"]))


def test_theme_fonts_in_an_edited_template_are_removed(tmp_path):
    template = _variant(tmp_path, "themed.docx", {"word/styles.xml": lambda x: x.replace(
        '<w:rFonts w:ascii="Times New Roman"', '<w:rFonts w:asciiTheme="minorHAnsi" w:eastAsiaTheme="minorEastAsia" '
        'w:ascii="Times New Roman"', 1)})
    assert "w:asciiTheme" in xml_parts(template)["word/styles.xml"]
    data = write(composed(tmp_path), TemplateChoice(template), "gb2312")
    assert not re.search(rb"w:\w+Theme=", b"".join(zipfile.ZipFile(io.BytesIO(data)).read(n)
                                                    for n in zipfile.ZipFile(io.BytesIO(data)).namelist()))


HOSTILE = ["A&B", "<w:p>", "</w:t>", "{{ 7*7 }}", "{% if true %}X{% endif %}", "{_{ x }_}", "{# c #}", "]]>",
           "{{p 正文 }}", "&amp", "&#123"]


def test_plan_text_comes_out_literally(tmp_path):
    text = PLAN.replace("内容: 每季度组织专题培训。", "内容: '每季度 " + " ".join(HOSTILE).replace("'", "''") + " 培训。'")
    text = text.replace("导语: 坚持人民至上、生命至上。", "导语: '坚持人民至上 {{ 抄送 }} {%p endif %}。'")
    text = text.replace("[1, 消防车通道打通工程, 市消防救援支队]", "[1, '{{r 发文机关标志 }} & <x>', 市消防救援支队]")
    path = write_plan(tmp_path, text)
    out = render([path], settings(tmp_path), tmp_path / "out", pdf=False, base=tmp_path)
    lines = docx_lines(out.files[0])
    joined = "\n".join(lines)
    assert "每季度 " + " ".join(HOSTILE) + " 培训。" in joined
    assert "坚持人民至上 {{ 抄送 }} {%p endif %}。" in joined
    assert "{{r 发文机关标志 }} & <x>" in joined
    assert "49" not in joined and "市消防救援支队，市教育局。" not in joined.split("坚持")[1].split("\n")[0]


def test_red_head_and_separator_are_in_the_template_styles(examples):
    document = docx.Document(str(examples["city/three-year-plan"].docx))
    first, second = document.paragraphs[:2]
    assert (first.style.name, first.text) == ("发文机关标志", "清溪市安全生产委员会文件")
    assert str(first.style.font.color.rgb) == "FF0000"
    assert (second.style.name, second.text) == ("发文字号", "清安委〔2024〕3号")
    bottom = second.style.element.find(".//{*}pBdr/{*}bottom")
    assert bottom.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}color") == "FF0000"


def _mark_run(tmp_path, mark: str):
    doc = dataclasses.replace(composed(tmp_path), mark=mark)
    document = docx.Document(io.BytesIO(write(doc, default_template(), "gb2312")))
    run = document.paragraphs[0].runs[1]
    assert run.text == mark
    scale = run._r.find("{*}rPr/{*}w")
    return run, int(scale.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}val")) if scale is not None else 100


def test_long_mark_keeps_its_height_narrowed_to_one_line(tmp_path):
    """Its top stays 35 mm under the text area (the measured check confirms it on the PDF)."""
    run, scale = _mark_run(tmp_path, "松原市安全生产委员会办公室文件")
    assert run.font.size is None and 70 <= scale < 100  # the template's 36 pt
    assert 36 * len(run.text) * scale / 100 <= 442.25


def test_very_long_mark_is_also_set_smaller(tmp_path):
    run, scale = _mark_run(tmp_path, "松原市安全生产委员会办公室关于安全生产的文件")
    assert scale == 70 and run.font.size.pt < 36
    assert run.font.size.pt * len(run.text) * scale / 100 <= 442.25


def test_styles_carry_the_roles(examples):
    document = docx.Document(str(examples["city/three-year-plan"].docx))
    styles = {p.text: p.style.name for p in document.paragraphs}
    assert styles["一、总体要求"] == "一级标题"
    assert styles["（一）开展安全管理能力提升行动"] == "二级标题"
    assert styles["附件2"] == "附件标识" and styles["任务分工表"] == "附件标题"
    lead = next(p for p in document.paragraphs if p.text.startswith("1.强化领导干部安全生产履职能力。"))
    assert (lead.style.name, lead.runs[0].style.name, lead.runs[0].text) == (
        "公文正文", "引导句", "1.强化领导干部安全生产履职能力。")


def test_signature_layouts(tmp_path):
    sealed = docx.Document(io.BytesIO(write(composed(tmp_path), default_template(), "gb2312")))
    name, date = (p for p in sealed.paragraphs if p.style.name in ("署名（用印）", "成文日期（用印）"))
    # date 4 characters (of 16 pt) in from the right; organ centred over it: (6.5 - 10) / 2 characters
    assert (round(date.paragraph_format.right_indent.pt), round(name.paragraph_format.right_indent.pt)) == (64, 36)
    text = PLAN.replace("附注: 此件公开发布\n", "附注: 此件公开发布\n用印: false\n")
    plain = docx.Document(io.BytesIO(write(composed(tmp_path, text), default_template(), "gb2312")))
    name, date = (p for p in plain.paragraphs if p.style.name in ("署名（不用印）", "成文日期（不用印）"))
    # organ 2 characters in; the date's first character 2 characters right of the organ's
    assert (round(name.paragraph_format.right_indent.pt), round(date.paragraph_format.right_indent.pt)) == (32, 56)


def test_sections_landscape_attachments_and_closing_page(examples):
    document = docx.Document(str(examples["city/three-year-plan"].docx))
    assert [s.orientation.name for s in document.sections] == ["PORTRAIT", "LANDSCAPE", "LANDSCAPE", "PORTRAIT"]
    assert [s.start_type.name for s in document.sections] == ["NEW_PAGE", "NEW_PAGE", "NEW_PAGE", "EVEN_PAGE"]
    landscape = document.sections[1]
    assert (round(landscape.page_width.mm), round(landscape.page_height.mm)) == (297, 210)
    assert [round(m.mm) for m in (landscape.top_margin, landscape.right_margin, landscape.bottom_margin,
                                  landscape.left_margin)] == [28, 37, 26, 35]
    last = document.sections[-1]
    footer = "\n".join(p.text for t in last.footer.tables for c in t._cells for p in c.paragraphs)
    assert footer.split("\n") == ["抄送：市委办公室，市人大常委会办公室，市政府办公室，市政协办公室。",
                                  "清溪市安全生产委员会办公室\t2024年3月18日印发"]


def test_template_without_a_landscape_section_turns_its_own(tmp_path):
    template = _variant(tmp_path, "portrait-only.docx", {"word/document.xml": lambda x: re.sub(
        r'<w:p><w:pPr><w:pStyle w:val="GwSectionEnd"/><w:sectPr>(?:(?!</w:p>).)*landscape.*?</w:p>', "", x)})
    assert len(docx.Document(str(template)).sections) == 2
    document = docx.Document(io.BytesIO(write(composed(tmp_path), TemplateChoice(template), "gb2312")))
    turned = [s for s in document.sections if s.orientation.name == "LANDSCAPE"]
    assert turned and [round(m.mm) for m in (turned[0].top_margin, turned[0].right_margin,
                                             turned[0].bottom_margin, turned[0].left_margin)] == [28, 37, 26, 35]


def test_task_table_repeats_its_head_row_and_turns_landscape(examples):
    document = docx.Document(str(examples["city/three-year-plan"].docx))
    table = document.tables[-1]
    assert [c.text for c in table.rows[0].cells] == ["序号", "工作任务", "牵头单位", "配合单位", "完成时限"]
    assert table.rows[0]._tr.find(".//{*}tblHeader") is not None
    assert len(table.rows) == 31
    assert any(s.orientation.name == "LANDSCAPE" for s in document.sections)


def test_document_without_closing_has_no_closing_page(tmp_path):
    text = re.sub(r"抄送: .*\n|印发机关: .*\n|印发日期: .*\n", "", PLAN)
    document = docx.Document(io.BytesIO(write(composed(tmp_path, text), default_template(), "gb2312")))
    assert all(not str(s.start_type).startswith("EVEN_PAGE") for s in document.sections)
    assert "抄送" not in "".join(p.text for s in document.sections for p in s.footer.paragraphs)


# -- templates --------------------------------------------------------------------------------------
def _variant(tmp_path: Path, name: str, edits: dict) -> Path:
    """A copy of docgen's template with `edits` (part name → function of its XML) applied."""
    source = default_template().path
    target = tmp_path / name
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename in edits:
                data = edits[item.filename](data.decode("utf-8")).encode("utf-8")
            zout.writestr(item, data)
    return target


def _mark_colour(colour: str):
    return {"word/styles.xml": lambda x: x.replace('<w:color w:val="FF0000"/>', f'<w:color w:val="{colour}"/>', 1)}


def _rendered_mark_colour(path: Path) -> str:
    return str(docx.Document(str(path)).styles["发文机关标志"].font.color.rgb)


def test_plan_and_registry_choose_their_templates(tmp_path):
    _variant(tmp_path, "plan-template.docx", _mark_colour("0000FF"))
    (tmp_path / "registry").mkdir()
    _variant(tmp_path / "registry", "org-template.docx", _mark_colour("00FF00"))
    registry = tmp_path / "registry" / "city.yaml"
    registry.write_text(REGISTRY.joinpath("city.yaml").read_text(encoding="utf-8").replace(
        "    层级: 市\n", "    层级: 市\n    模板: org-template.docx\n", 1), encoding="utf-8")
    options = dict(root=tmp_path, registry=[registry])
    from docgen.config import Settings
    plan = write_plan(tmp_path, PLAN, "org.yaml")
    out = render([plan], Settings(**options), tmp_path / "out", pdf=False, base=tmp_path)
    assert _rendered_mark_colour(out.files[0]) == "00FF00"
    own = write_plan(tmp_path, "模板: plan-template.docx\n" + PLAN, "own.yaml")
    out = render([own], Settings(**options), tmp_path / "out", pdf=False, base=tmp_path)
    assert _rendered_mark_colour(out.files[0]) == "0000FF"
    out = render([write_plan(tmp_path, PLAN, "default.yaml")], settings(tmp_path), tmp_path / "out", pdf=False,
                 base=tmp_path)
    assert _rendered_mark_colour(out.files[0]) == "FF0000"


@pytest.mark.parametrize("make, message", [
    (lambda t: None, "找不到模板文件"),
    (lambda t: (t / "mine.docx").write_text("不是 docx"), "不是有效的 Word 文件"),
    (lambda t: _variant(t, "mine.docx", {"word/styles.xml": lambda x: x.replace("引导句", "加粗")}), "缺少样式：引导句"),
    (lambda t: _variant(t, "mine.docx", {"word/document.xml": lambda x: x.replace("{{p 正文 }}", "正文")}),
     "没有 {{p 正文 }} 字段"),
    (lambda t: _variant(t, "mine.docx", {"word/document.xml": lambda x: x.replace("{{ 发文字号 }}", "{{ 文号 }}")}),
     "字段有误"),
])
def test_unusable_templates_are_refused_with_a_clear_message(tmp_path, make, message):
    make(tmp_path)
    plan = write_plan(tmp_path, "模板: mine.docx\n" + PLAN)
    with pytest.raises(RenderError) as caught:
        render([plan], settings(tmp_path), tmp_path / "out", pdf=False, base=tmp_path)
    assert message in caught.value.message
    if "mine.docx" in str(caught.value):
        assert str(caught.value).startswith("plan.yaml:1:5: ")
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").rglob("*.docx"))


def test_plan_with_errors_writes_nothing(tmp_path):
    plan = write_plan(tmp_path, PLAN.replace("责任单位: 市应急管理局\n", "责任单位: 不存在的局\n"))
    with pytest.raises(PlanErrors) as caught:
        render([plan], settings(tmp_path), tmp_path / "out", pdf=False, base=tmp_path)
    assert any(p.code == "DG202" for p in caught.value.problems)
    assert not (tmp_path / "out").exists()


def test_font_set_setting(tmp_path):
    from docgen import config
    from docgen.errors import DocgenError
    from docgen.render.fonts import FONT_SETS

    assert set(FONT_SETS) == set(config.FONT_SETS)
    (tmp_path / "pyproject.toml").write_text('[tool.docgen]\nfont-set = "windows"\n', encoding="utf-8")
    assert config.load_settings(tmp_path).font_set == "windows"
    (tmp_path / "pyproject.toml").write_text('[tool.docgen]\nfont-set = "mac"\n', encoding="utf-8")
    with pytest.raises(DocgenError) as caught:
        config.load_settings(tmp_path)
    assert "font-set = 'mac' 无效" in caught.value.problems[0].message


def test_crowded_first_page_is_closed_up_a_short_one_is_not(examples, tmp_path):
    """GB/T 9704 7.3.5.4: the signature stays on the first page by closing up its lines."""
    crowded = docx.Document(str(examples["city/three-year-plan"].docx))
    body = next(p for p in crowded.paragraphs if p.text.startswith("为从根本上消除事故隐患"))
    assert 0.75 * 28.95 <= body.paragraph_format.line_spacing.pt < 28.95
    roomy = docx.Document(io.BytesIO(write(composed(tmp_path), default_template(), "gb2312")))
    body = next(p for p in roomy.paragraphs if p.text.startswith("现将"))
    assert body.paragraph_format.line_spacing is None  # the style's 28.95 pt


def test_render_plans_keeps_folders_below_their_common_folder(tmp_path):
    a = write_plan(tmp_path / "plans" / "a", PLAN)
    b = write_plan(tmp_path / "plans" / "b", PLAN.replace("松安委〔2024〕3号", "松安委〔2024〕4号"))
    rendered = render([a, b], settings(tmp_path), tmp_path / "build", pdf=False, keep_folders=True)
    assert rendered.files == [tmp_path / "build" / "a" / "plan.docx", tmp_path / "build" / "b" / "plan.docx"]
