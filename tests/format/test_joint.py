"""联合行文: a notice issued jointly by two organs — both marks in the 版头, both signatures."""

from __future__ import annotations

import shutil
from pathlib import Path

import docx
import pytest
from conftest import REGISTRY

from docgen.checked import prepare
from docgen.compose import compose
from docgen.compose.tree import Signature
from docgen.config import Settings
from docgen.render.measure import pages

JOINT = """\
文种: 通知
标题: 关于做好2025年汛期安全防范工作的通知
发文机关: 松原市安全生产委员会
联合发文机关: [松原市减灾委员会]
发文字号: 松安委〔2025〕9号
成文日期: 2025年5月6日
主送: [各乡镇（街道）, 市安委会各成员单位]
用印: false
正文:
  - 段落: 当前我市即将进入汛期，为切实做好汛期安全防范工作，现就有关事项通知如下。
  - 任务: 全面排查汛期安全风险
    编号: X1
    内容: 对山洪、地质灾害易发区和在建工地开展拉网式排查，建立隐患清单。
    责任单位: {牵头: 市住房和城乡建设局, 配合: 各乡镇（街道）}
    完成时限: 2025年5月底前
  - 任务: 严格落实值班值守制度
    编号: X2
    责任单位: 市应急管理局
    完成时限: 2025年9月底前
"""

EXTRA = """\
      - 名称: 松原市减灾委员会
        发文字号前缀: 松减委
"""


def project(tmp_path: Path) -> tuple[Path, Path]:
    reg = tmp_path / "registry"
    shutil.copytree(REGISTRY, reg)
    city = reg / "city.yaml"
    text = city.read_text(encoding="utf-8")
    anchor = "        发文字号前缀: 松安委\n"
    city.write_text(text.replace(anchor, anchor + EXTRA, 1), encoding="utf-8")
    text = city.read_text(encoding="utf-8")
    # the group the notice is sent to
    city.write_text(text.replace("      - 名称: 各乡镇（街道）\n", "      - 名称: 市安委会各成员单位\n        成员: [市应急管理局]\n"
                                 "      - 名称: 各乡镇（街道）\n", 1), encoding="utf-8")
    path = tmp_path / "joint.yaml"
    path.write_text(JOINT, encoding="utf-8")
    return path, reg


def test_joint_notice_has_both_marks_and_both_signatures(tmp_path):
    path, reg = project(tmp_path)
    ctx, result = prepare([path], Settings(root=tmp_path, registry=[reg]), base=tmp_path)
    assert not result.problems, result.problems
    doc = compose(ctx.plans[0], ctx.registry)
    assert doc.joint_marks == ("松原市安全生产委员会", "松原市减灾委员会") and doc.mark_word == "文件"
    (signature,) = [b for b in doc.body if isinstance(b, Signature)]
    assert (signature.name, signature.joint, signature.date) == ("松原市安全生产委员会", ("松原市减灾委员会",),
                                                                 "2025年5月6日")


def test_an_unregistered_joint_organ_is_reported(tmp_path):
    path, reg = project(tmp_path)
    path.write_text(JOINT.replace("[松原市减灾委员会]", "[松原市减灾委员会, 松原市防汛指挥部]"), encoding="utf-8")
    _, result = prepare([path], Settings(root=tmp_path, registry=[reg]), base=tmp_path)
    assert [(p.code, p.location.line) for p in result.problems] == [("DG204", 4)]
    assert "联合发文机关“松原市防汛指挥部”不在单位库中" in result.problems[0].message


@pytest.mark.parametrize("engine", ["typst", "libreoffice"])
def test_joint_head_and_signatures_on_the_page(tmp_path, run, engine):
    path, reg = project(tmp_path)
    result = run("render", path.name, "--registry", reg, "-o", "out", "--pdf", "--pdf-engine", engine, cwd=tmp_path)
    assert result.exit_code == 0, result.output
    document = docx.Document(str(tmp_path / "out/joint.docx"))
    head = document.tables[0]
    names = [p.text for p in head.rows[0].cells[0].paragraphs]
    assert names == ["松原市安全生产委员会", "松原市减灾委员会"] and head.rows[0].cells[1].text == "文件"
    every = pages(tmp_path / "out/joint.pdf")
    first = every[0]
    lines = [line.text.replace(" ", "") for page in every for line in page.lines]
    lead = next(line for line in first.lines if line.text.replace(" ", "") == "松原市安全生产委员会")
    second = next(line for line in first.lines if line.text.replace(" ", "") == "松原市减灾委员会")
    word = next(line for line in first.lines if line.text.replace(" ", "") == "文件")
    # stacked, aligned at both ends, 文件 to the right and vertically between them
    assert second.top > lead.top and abs(second.x0 - lead.x0) < 2 and abs(second.x1 - lead.x1) < 2
    assert word.x0 > lead.x1 and lead.top < (word.top + word.bottom) / 2 < second.bottom
    # the signatures: lead organ first, then the other, then the date
    tail = [t for t in lines if t in ("松原市安全生产委员会", "松原市减灾委员会", "2025年5月6日")]
    assert tail[-3:] == ["松原市安全生产委员会", "松原市减灾委员会", "2025年5月6日"], lines
