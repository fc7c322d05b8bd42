"""份号, 密级和保密期限, 紧急程度 above the 发文机关标志, and 签发人 beside the 发文字号 (GB/T 9704 7.2)."""

from __future__ import annotations

import pytest
from conftest import REGISTRY, plan_text

from docgen.render.measure import pages

HEAD = """\
份号: 12
密级: 机密
保密期限: 1年
紧急程度: 特急
签发人: [王明, 李强]
"""

PLAN = plan_text("""
- 任务: 开展危险化学品重大危险源专项检查
  编号: H1
  责任单位: 市应急管理局
  完成时限: 2025年6月底前
""").replace("正文:\n", HEAD + "正文:\n")


def render(tmp_path, run, text: str, engine: str = "typst"):
    (tmp_path / "plan.yaml").write_text(text, encoding="utf-8")
    result = run("render", "plan.yaml", "--registry", REGISTRY, "-o", "out", "--pdf", "--pdf-engine", engine,
                 cwd=tmp_path)
    assert result.exit_code == 0, result.output
    return pages(tmp_path / "out/plan.pdf")[0]


def find(page, text: str):
    return next(line for line in page.lines if line.text.replace(" ", "") == text)


@pytest.mark.parametrize("engine", ["typst", "libreoffice"])
def test_head_elements_in_order_above_the_mark_and_signers_beside_the_number(tmp_path, run, engine):
    page = render(tmp_path, run, PLAN, engine)
    number, secret, urgency = find(page, "000012"), find(page, "机密★1年"), find(page, "特急")
    mark = find(page, "松原市安全生产委员会文件")
    assert number.top < secret.top < urgency.top < mark.top  # 7.2: 份号, 密级, 紧急程度, then the mark
    assert abs(number.x0 - secret.x0) < 1 and abs(number.x0 - urgency.x0) < 1  # flush left
    left = min(line.x0 for line in page.lines)
    assert number.x0 - left < 1
    # one line: the number left, the signers right
    signed = next(line for line in page.lines if "签发人" in line.text)
    assert signed.text.replace(" ", "") == "松安委〔2025〕2号签发人：王明李强"
    char = 16  # 三号
    assert abs(signed.x0 - left - char) < 1.5  # the number one character in
    right = left + 156 / 25.4 * 72  # the text area's right edge
    assert right - signed.x1 > char * 0.5  # the signers end one character before it
    on_line = [f for f in page.fragments if abs(f.baseline - signed.bottom) < 8]
    kai = ("UKai", "FandolKai")
    names = [f for f in on_line if f.text.strip(" \u3000") and set(f.text) <= set("王明李强 \u3000")]
    assert {c for f in names for c in f.text} >= set("王明李强")
    assert all(f.font.startswith(kai) for f in names)  # names in 楷体, 签发人 not
    assert not any(f.font.startswith(kai) for f in on_line if set(f.text) & set("签发人："))


def test_without_head_elements_the_mark_stays_where_it_was(tmp_path, run):
    plain = render(tmp_path, run, PLAN.replace(HEAD, ""))
    (tmp_path / "out").rename(tmp_path / "plain")
    marked = render(tmp_path, run, PLAN)
    a, b = find(plain, "松原市安全生产委员会文件"), find(marked, "松原市安全生产委员会文件")
    assert abs(a.top - b.top) < 1.5  # the lines above take the mark's space, not push it down


def test_attachment_note_before_the_signature_and_remark_after_the_date(tmp_path):
    from docgen.compose.tree import Role, Signature
    from tests.render.helpers import composed
    text = (PLAN.replace(HEAD, "附注: 此件公开发布\n")
            + "附件:\n  - 标题: 重大危险源企业名单\n    列: [序号, 企业名称]\n    行: [[1, 松原化工有限公司]]\n")
    doc = composed(tmp_path, text)
    kinds = [("signature" if isinstance(b, Signature) else b.role.value) for b in doc.body]
    note, signature, remark = kinds.index(Role.ATTACHMENT_NOTE.value), kinds.index("signature"), kinds.index(Role.REMARK.value)
    assert note < signature < remark == len(kinds) - 1  # GB/T 9704 7.3.4, 7.3.5, 7.3.6
    assert doc.paragraphs()[-1].text == "（此件公开发布）"


def test_a_revision_reports_changed_head_elements_and_numbering(tmp_path):
    from conftest import HEADER

    from docgen.config import Settings
    from docgen.diff import compare
    from docgen.diff.sources import load_files
    body = """
    - 任务: 开展危险化学品重大危险源专项检查
      编号: H1
      责任单位: 市应急管理局
      完成时限: 2025年6月底前
    """
    old, new = tmp_path / "old.yaml", tmp_path / "new.yaml"
    old.write_text(plan_text(body), encoding="utf-8")
    new.write_text(plan_text(body, HEADER.replace("正文:\n", "紧急程度: 加急\n编号方式: 分章重排\n正文:\n")),
                   encoding="utf-8")
    plans = load_files([old, new], tmp_path, Settings(root=tmp_path))
    changes = compare(plans[old], plans[new])
    assert [c.field for c in changes] == ["紧急程度", "编号方式"]
    assert "加急" in changes[0].note and "分章重排" in changes[1].note
