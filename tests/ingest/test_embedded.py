"""docgen's own documents carry their plan (a custom XML part in the .docx, an embedded file in the
PDF): importing them restores the plan file exactly; when the printed text was edited in Word
afterwards, the printed text wins and every difference is a DG708 finding."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest

from docgen import planpart
from docgen.config import Settings
from docgen.jobs.imports import import_documents
from docgen.jobs.render import render
from tests.conftest import ROOT

SETTINGS = Settings(root=ROOT, registry=[ROOT / "plans" / "registry"])
PLAN = ROOT / "plans" / "city" / "three-year-plan.yaml"


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("embedded")
    render([PLAN], SETTINGS, out, pdf=False, base=ROOT)
    return out / "three-year-plan.docx"


def _codes(outcome) -> list[str]:
    return [p.code for p in outcome.problems]


def test_the_docx_carries_its_plan_in_a_standard_custom_xml_part(rendered):
    with zipfile.ZipFile(rendered) as zf:
        names = zf.namelist()
        assert {planpart.ITEM, planpart.PROPS, planpart.ITEM_RELS} <= set(names)
        rels = zf.read("word/_rels/document.xml.rels").decode()
        types = zf.read("[Content_Types].xml").decode()
        item = planpart.read_item(zf.read(planpart.ITEM))
    assert planpart.REL_CUSTOM_XML in rels and "../customXml/item1.xml" in rels
    assert planpart.PROPS_TYPE in types
    assert item is not None and item.text == PLAN.read_text(encoding="utf-8")


def test_the_docx_with_its_plan_is_byte_identical_on_every_run(rendered, tmp_path):
    render([PLAN], SETTINGS, tmp_path, pdf=False, base=ROOT)
    assert (tmp_path / "three-year-plan.docx").read_bytes() == rendered.read_bytes()


def test_importing_docgens_own_docx_restores_the_plan_file_exactly(rendered, tmp_path):
    outcome = import_documents([rendered], SETTINGS, out=tmp_path / "back.yaml", base=tmp_path)
    assert outcome.written.read_text(encoding="utf-8") == PLAN.read_text(encoding="utf-8")
    assert "DG707" in _codes(outcome) and "DG708" not in _codes(outcome)


def test_a_docx_saved_again_by_another_program_still_restores(rendered, tmp_path):
    # python-docx stands for Word here: it re-serialises every part and keeps the unknown ones
    resaved = tmp_path / "resaved.docx"
    docx.Document(str(rendered)).save(str(resaved))
    outcome = import_documents([resaved], SETTINGS, out=tmp_path / "back.yaml", base=tmp_path)
    assert outcome.written.read_text(encoding="utf-8") == PLAN.read_text(encoding="utf-8")


def test_an_edit_in_word_wins_and_is_reported_with_ids_and_links_kept(rendered, tmp_path):
    document = docx.Document(str(rendered))
    edited = False
    for p in document.paragraphs:
        for run in p.runs:
            if not edited and "2025年底前" in run.text and "完成时限" in p.text:
                run.text = run.text.replace("2025年底前", "2026年6月底前", 1)
                edited = True
    assert edited
    path = tmp_path / "edited.docx"
    document.save(str(path))
    outcome = import_documents([path], SETTINGS, out=tmp_path / "edited.yaml", base=tmp_path)
    edits = [p for p in outcome.problems if p.code == "DG708"]
    assert len(edits) == 1, [p.message for p in edits]
    assert "排版后被改过" in edits[0].message and "2026年6月底前" in edits[0].message
    text = outcome.written.read_text(encoding="utf-8")
    assert "2026年6月底前" in text and "\n来源: 上级来文" not in text
    assert "实施期限:" in text  # not printed, carried from the plan
    original_ids = [line.split(":", 1)[1].strip() for line in PLAN.read_text(encoding="utf-8").splitlines()
                    if line.strip().startswith("编号:")]
    imported_ids = [line.split(":", 1)[1].strip().split("  #")[0] for line in text.splitlines()
                    if line.strip().startswith("编号:")]
    assert imported_ids == original_ids


def test_a_damaged_or_foreign_plan_part_is_ignored(rendered, tmp_path):
    for body in (b"<not xml", b'<?xml version="1.0"?><plan xmlns="urn:other">x</plan>'):
        path = tmp_path / "other.docx"
        with zipfile.ZipFile(rendered) as zin:
            buffer = io.BytesIO()
            with zipfile.ZipFile(buffer, "w") as zout:
                for info in zin.infolist():
                    zout.writestr(info.filename, body if info.filename == planpart.ITEM else zin.read(info.filename))
        path.write_bytes(buffer.getvalue())
        outcome = import_documents([path], SETTINGS, out=tmp_path / "other.yaml", base=tmp_path)
        assert "DG707" not in _codes(outcome)
        assert "\n来源: 上级来文" in outcome.written.read_text(encoding="utf-8")


def test_control_characters_are_carried_as_base64():
    text = "标题: 甲\x01乙\n"
    assert planpart.read_item(planpart.item_xml(text, "")).text == text


@pytest.fixture(scope="module")
def every_example(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("examples")
    render([ROOT / "plans"], SETTINGS, out, pdf=True, base=ROOT, keep_folders=True)
    return out


@pytest.mark.slow
def test_every_example_document_comes_back_exactly_from_its_docx_and_its_pdf(every_example, tmp_path):
    written = sorted(every_example.rglob("*.docx"))
    assert len(written) >= 9  # plans, notices, 通报 and the 挂牌督办通知 alike
    for docx_path in written:
        source = ROOT / "plans" / docx_path.relative_to(every_example).with_suffix(".yaml")
        for path in (docx_path, docx_path.with_suffix(".pdf")):
            outcome = import_documents([path], SETTINGS, out=tmp_path / "back.yaml", base=tmp_path)
            assert outcome.written.read_text(encoding="utf-8") == source.read_text(encoding="utf-8"), path
            assert "DG707" in _codes(outcome), path


def test_a_carried_plan_that_does_not_validate_is_not_trusted(rendered, tmp_path):
    path = tmp_path / "crafted.docx"
    with zipfile.ZipFile(rendered) as zin:
        document_xml = zin.read("word/document.xml")
        crafted = planpart.item_xml("文种: 不存在的文种\n标题: [\n", planpart.printed_fingerprint(document_xml))
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as zout:
            for info in zin.infolist():
                zout.writestr(info.filename, crafted if info.filename == planpart.ITEM else zin.read(info.filename))
    path.write_bytes(buffer.getvalue())
    outcome = import_documents([path], SETTINGS, out=tmp_path / "crafted.yaml", base=tmp_path)
    assert "DG707" not in _codes(outcome)
    assert any(p.code == "DG708" and "无法读取" in p.message for p in outcome.problems)
    assert "\n来源: 上级来文" in outcome.written.read_text(encoding="utf-8")
