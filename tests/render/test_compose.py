"""Compose: numbering, sentences, 责任单位/完成时限 lines, attachments, refused characters."""

from __future__ import annotations

import pytest

from docgen import numbering
from docgen.checked import prepare
from docgen.compose import ComposeError, compose
from docgen.compose.titles import break_lines, word_starts
from docgen.compose.tree import Emphasis, Para, Role, Signature
from docgen.textchars import width

from .helpers import PLAN, composed, settings, write_plan


@pytest.mark.parametrize("n, text", [(1, "一"), (9, "九"), (10, "十"), (11, "十一"), (20, "二十"), (35, "三十五"),
                                     (99, "九十九")])
def test_chinese_numerals(n, text):
    assert numbering.chinese(n) == text


def test_heading_forms_by_level_and_sub_points():
    assert [numbering.heading(level, 3) for level in (1, 2, 3, 4)] == ["三、", "（三）", "3.", "（3）"]
    assert numbering.ordinal(2) == "二是"


def test_short_title_stays_on_one_line():
    assert break_lines("松原市安全生产工作要点", 20) == ["松原市安全生产工作要点"]


@pytest.mark.parametrize("title", [
    "关于印发《清溪市安全生产治本攻坚三年行动实施方案》的通知",
    "关于印发《清溪市东湖街道安全生产治本攻坚三年行动实施方案》的通知",
    "清溪市东湖街道安全生产治本攻坚三年行动实施方案",
    "关于印发《清溪市2025年安全生产工作要点》的通知",
])
def test_long_titles_break_into_balanced_lines_between_words(title):
    lines = break_lines(title, 20, keep={"清溪市", "东湖街道"})
    assert "".join(lines) == title and len(lines) == 2
    assert all(width(line) <= 20 for line in lines)
    assert abs(width(lines[0]) - width(lines[1])) <= 4
    words = ("安全生产", "治本攻坚", "三年行动", "实施方案", "东湖街道", "工作要点", "清溪市")
    assert all(any(word in line for line in lines) for word in words if word in title), lines
    assert all(line[0] not in "》）、，。" and line[-1] not in "《（" for line in lines)


@pytest.mark.parametrize("title, words", [
    ("清溪市安全生产委员会关于公布2022年工矿消防领域重大事故隐患挂牌督办名单的通知", ("工矿", "2022年", "挂牌", "督办")),
    ("清溪市安全生产委员会关于对5处重大隐患实施挂牌督办的通知", ("5处", "重大", "隐患")),
    ("清溪市安全生产委员会关于开展2025年度安全生产大检查工作的通知", ("2025年度", "大检查", "委员会")),
])
def test_titles_break_on_word_boundaries_of_the_segmenter(title, words):
    """Words the built-in vocabulary does not know (工矿, 挂牌), and numbers with what they count."""
    lines = break_lines(title, 20.1, keep={"清溪市安全生产委员会"})
    assert "".join(lines) == title and len(lines) == 2, lines
    assert abs(width(lines[0]) - width(lines[1])) <= 4, lines
    assert all(any(word in line for line in lines) for word in words), lines
    cut = len(lines[0])
    assert cut in word_starts(title), lines


def test_numbering_of_sections_and_tasks_counts_across_the_document(tmp_path):
    doc = composed(tmp_path)
    texts = [p.text for p in doc.paragraphs()]
    assert "一、总体要求" in texts and "二、主要任务" in texts
    assert "（一）开展安全管理能力提升行动" in texts and "（二）开展隐患动态清零行动" in texts
    leads = [p.runs[0].text for p in doc.paragraphs() if p.runs[0].emphasis is Emphasis.LEAD and p.text[0].isdigit()]
    assert leads == ["1.强化领导干部履职能力。", "2.提升企业负责人安全管理能力。", "3.建立隐患数据库。",
                     "4.推动企业自查自改。", "5.实施安全工程。"]


def test_heading_with_intro_keeps_both_in_one_paragraph(tmp_path):
    doc = composed(tmp_path)
    guidance = next(p for p in doc.paragraphs() if p.text.startswith("（一）指导思想"))
    assert guidance.role is Role.HEADING2
    assert [(r.text, r.emphasis) for r in guidance.runs] == [("（一）指导思想。", Emphasis.HEADING),
                                                           ("坚持人民至上、生命至上。", Emphasis.NONE)]


def test_task_sentence_items_targets_and_lines(tmp_path):
    texts = [p.text for p in composed(tmp_path).paragraphs()]
    i = texts.index("1.强化领导干部履职能力。每季度组织专题培训。专题培训不少于12场（2024年4场，2025年4场，2026年4场）。")
    assert texts[i + 1] == "责任单位：市应急管理局（牵头），市教育局、各乡镇（街道）（配合）。"
    assert texts[i + 2] == "完成时限：每季度。"
    assert texts[i + 3] == "2.提升企业负责人安全管理能力。一是组织集中培训。二是开展考核。"
    assert texts[i + 4] == "责任单位：市应急管理局。"
    assert texts[i + 5] == "完成时限：2024年底前，培训危险化学品企业负责人；2025年6月底前，培训建筑施工企业负责人。"


def test_section_lines_follow_the_last_task_that_uses_them(tmp_path):
    texts = [p.text for p in composed(tmp_path).paragraphs()]
    i = texts.index("4.推动企业自查自改。企业每月自查。")
    assert texts[i - 1] == "3.建立隐患数据库。实行清单管理。"
    assert texts[i + 1] == "责任单位：负有安全生产监督管理职责的部门（牵头），各乡镇（街道）（配合）。"
    assert texts[i + 2] == "完成时限：2025年底前。"
    assert texts[i + 3].startswith("5.实施安全工程。")


def test_section_lines_nobody_uses_still_appear_after_the_section(tmp_path):
    own = "            责任单位: 市应急管理局\n            完成时限: 2024年底前\n"
    text = PLAN.replace("            内容: 实行清单管理。\n", "            内容: 实行清单管理。\n" + own)
    text = text.replace("            内容: 企业每月自查。\n", "            内容: 企业每月自查。\n" + own)
    texts = [p.text for p in composed(tmp_path, text).paragraphs()]
    shared = texts.index("责任单位：负有安全生产监督管理职责的部门（牵头），各乡镇（街道）（配合）。")
    assert texts[shared - 2:shared] == ["责任单位：市住房和城乡建设局。", "完成时限：2026年9月底前。"]
    assert texts[shared + 1] == "完成时限：2025年底前。"
    assert texts[shared + 2] == "本方案自印发之日起施行。"


def test_paragraph_with_stages_and_targets(tmp_path):
    texts = [p.text for p in composed(tmp_path).paragraphs()]
    assert "重大事故隐患动态清零。2024年底前，完成存量整改；2025年底前，遏制增量。重大事故隐患整改率达到100%。" in texts


def test_notice_signature_remark_and_plan_title(tmp_path):
    doc = composed(tmp_path)
    roles = [b.role if isinstance(b, Para) else "signature" for b in doc.body]
    assert roles[:6] == [Role.TITLE, Role.RECIPIENTS, Role.BODY, "signature", Role.REMARK, Role.PLAN_TITLE]
    assert doc.body[0].text == "关于印发《松原市安全生产治本攻坚三年行动实施方案》的通知"
    assert doc.body[1].text == "各乡镇（街道），市应急管理局："
    assert doc.body[3] == Signature("松原市安全生产委员会", "2024年3月15日", sealed=True)
    assert doc.body[4].text == "（此件公开发布）"
    assert doc.mark == "松原市安全生产委员会文件" and doc.doc_number == "松安委〔2024〕3号"
    assert doc.closing.cc == "市消防救援支队，市教育局。"
    assert (doc.closing.printer, doc.closing.print_date) == ("松原市安全生产委员会", "2024年3月18日")


def test_plan_without_notice_is_signed_after_its_attachment_note(tmp_path):
    text = PLAN.replace("印发通知:\n  正文: 现将《松原市安全生产治本攻坚三年行动实施方案》印发给你们，请认真贯彻落实。\n", "")
    text = text.replace("文种: 实施方案", "文种: 工作意见").replace("用印", "")
    doc = composed(tmp_path, text.replace("附注: 此件公开发布\n", "附注: 此件公开发布\n用印: false\n"))
    assert doc.body[0].role is Role.TITLE and doc.body[0].text == "松原市安全生产治本攻坚三年行动实施方案"
    assert isinstance(doc.body[-2], Signature) and not doc.body[-2].sealed
    assert [p.text for p in doc.body[-4:-2]] == ["附件：1.重点项目清单", "2.任务分工表"]


def test_nested_book_title_marks_in_the_notice_title(tmp_path):
    text = PLAN.replace("标题: 松原市安全生产治本攻坚三年行动实施方案", "标题: 贯彻《安全生产法》实施方案")
    text = text.replace("现将《松原市安全生产治本攻坚三年行动实施方案》", "现将《贯彻〈安全生产法〉实施方案》")
    # DG407 wants the title with its own 《》 inside 《》; GB/T 15834 nests them as 〈〉.
    assert composed(tmp_path, text, ignore=["DG407"]).body[0].text == "关于印发《贯彻〈安全生产法〉实施方案》的通知"


def test_attachments_labels_note_and_task_table(tmp_path):
    doc = composed(tmp_path)
    assert [(a.label, a.title) for a in doc.attachments] == [("附件1", "重点项目清单"), ("附件2", "任务分工表")]
    projects, tasks = (a.table for a in doc.attachments)
    assert projects.landscape and projects.columns == ("序号", "项目名称", "责任单位") and projects.narrow == {0}
    assert tasks.columns == ("序号", "工作任务", "牵头单位", "配合单位", "完成时限")
    assert tasks.rows[0] == ("1", "强化领导干部履职能力", "市应急管理局", "市教育局、各乡镇（街道）", "每季度")
    assert tasks.rows[2] == ("3", "建立隐患数据库", "负有安全生产监督管理职责的部门", "各乡镇（街道）", "2025年底前")
    assert len(tasks.rows) == 5


def test_single_attachment_has_no_number(tmp_path):
    text = PLAN[:PLAN.index("  - 标题: 重点项目清单")] + "  - 标题: 任务分工表\n    类型: 任务分工表\n"
    text = text.replace("            附件: 重点项目清单\n", "")
    doc = composed(tmp_path, text)
    assert doc.attachments[0].label == "附件"
    assert [p.text for p in doc.paragraphs() if p.role is Role.ATTACHMENT_NOTE] == ["附件：任务分工表"]


@pytest.mark.parametrize("raw, name", [
    (r'"每季度组织专题\u0007培训。"', "控制字符（U+0007）"),
    (r'"每季度组织专题\t培训。"', "制表符（Tab）"),
    (r'"每季度组织专题\n培训。"', "换行符"),
    (r'"每季度组织专题\u202E训培。"', "双向文字控制符（U+202E）"),
    (r'"每季度组织专题\u2066培训。"', "双向文字控制符（U+2066）"),
    (r'"每季度组织专题\u200B培训。"', "格式字符（U+200B）"),
])
def test_control_characters_are_refused_where_they_are(tmp_path, raw, name):
    text = PLAN.replace("内容: 每季度组织专题培训。", f"内容: {raw}")
    path = write_plan(tmp_path, text)
    ctx, result = prepare([path], settings(tmp_path), base=tmp_path)
    with pytest.raises(ComposeError) as caught:
        compose(ctx.plans[0], ctx.registry)
    [(location, message)] = caught.value.findings
    line = text.splitlines().index(next(ln for ln in text.splitlines() if raw in ln)) + 1
    assert (location.line, location.column) == (line, text.splitlines()[line - 1].index(raw) + 1)  # the value
    assert name in message and "公文中不能出现" in message


def test_literal_block_ending_in_a_line_break_is_fine(tmp_path):
    text = PLAN.replace("内容: 每季度组织专题培训。", "内容: |\n              每季度组织专题培训。")
    assert any(p.text.startswith("1.强化领导干部履职能力。每季度组织专题培训。") for p in composed(tmp_path, text).paragraphs())
