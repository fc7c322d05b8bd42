"""Round trip: every example plan rendered to .docx and PDF, imported, compared with `docgen diff`.

With the plan docgen carries in its files, the import gives back the plan file itself. Without it
(stripped, as a document from elsewhere):

The imported plan must have the same structure, tasks (lead and text), 责任单位, 完成时限 and
指标 as the original. What the printed document does not show is not compared: task 编号 (the
import numbers tasks T01, T02 …), 上级方案/上级任务 links, 实施期限 and 有效期至 when not printed.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from docgen.config import Settings
from docgen.diff.changes import Element, Kind, compare
from docgen.jobs.imports import import_documents
from docgen.jobs.render import render
from docgen.load import load
from docgen.model import Plan
from tests.conftest import ROOT

EXAMPLES = ["city/three-year-plan", "city/work-points-2025", "donghu/three-year-plan"]
NOT_PRINTED = ("实施期限", "有效期至", "上级方案", "上级任务")
PUNCTUATION = "，、。；：,"


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("rendered")
    settings = Settings(root=ROOT, registry=[ROOT / "plans" / "registry"])
    render([ROOT / "plans" / f"{name}.yaml" for name in EXAMPLES], settings, out, pdf=True, base=ROOT,
           keep_folders=True, pdf_engine="libreoffice")
    return out


def _plan(path: Path) -> Plan:
    source, problems = load(path, path.name)
    assert source is not None, problems
    return Plan.from_source(source)


def _significant(change) -> bool:
    if change.kind is Kind.RENAMED and change.element is Element.TASK:
        return False  # 编号 is not printed
    return not any(word in change.note for word in NOT_PRINTED)


def _only_punctuation(change) -> bool:
    strip = lambda s: re.sub(f"[{PUNCTUATION}]", "", s or "")  # noqa: E731
    return change.kind is Kind.REWORDED and strip(change.old) == strip(change.new)


def strip_plan(source: Path, target: Path) -> Path:
    """`source` without the plan docgen carries in it (as a document from elsewhere would be): the
    .docx without its custom XML part, the PDF without its embedded file."""
    if source.suffix == ".pdf":
        from pypdf import PdfReader, PdfWriter

        writer = PdfWriter(clone_from=PdfReader(str(source)))
        names = writer._root_object.get("/Names")
        names = names.get_object() if names is not None else None
        if names is not None and "/EmbeddedFiles" in names:
            del names["/EmbeddedFiles"]
        with target.open("wb") as f:
            writer.write(f)
        return target
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename in ("word/_rels/document.xml.rels", "[Content_Types].xml"):
                data = re.sub(rb"<(Relationship|Override)[^>]*customXml[^>]*/>", b"", data)
            if not info.filename.startswith("customXml/"):
                zout.writestr(info.filename, data)
    return target


def _import(rendered: Path, name: str, suffix: str, tmp_path: Path):
    settings = Settings(root=ROOT, registry=[ROOT / "plans" / "registry"])
    source = strip_plan(rendered / f"{name}{suffix}", tmp_path / f"stripped{suffix}")
    assert source.is_file()
    outcome = import_documents([source], settings, out=tmp_path / "imported.yaml", base=tmp_path)
    assert outcome.written is not None
    return outcome


@pytest.mark.parametrize("name", EXAMPLES)
def test_docx_round_trip_changes_nothing(rendered, tmp_path, name):
    outcome = _import(rendered, name, ".docx", tmp_path)
    original = _plan(ROOT / "plans" / f"{name}.yaml")
    imported = _plan(outcome.written)
    changes = [c for c in compare(original, imported) if _significant(c)]
    assert changes == [], [f"{c.subject}: {c.note}" for c in changes]
    assert [t.lead.value for t in imported.tasks()] == [t.lead.value for t in original.tasks()]
    assert imported.received
    errors = [p for p in outcome.problems if p.severity.value == "error"]
    assert errors == []


@pytest.mark.parametrize("name", EXAMPLES)
def test_pdf_round_trip_keeps_structure_tasks_units_deadlines(rendered, tmp_path, name):
    outcome = _import(rendered, name, ".pdf", tmp_path)
    original = _plan(ROOT / "plans" / f"{name}.yaml")
    imported = _plan(outcome.written)
    changes = [c for c in compare(original, imported) if _significant(c)]
    # LibreOffice's PDF leaves out some punctuation hanging at a line end (a comma, a 、): the text
    # layer has no glyph for it, so a reworded sentence that differs only by punctuation is allowed.
    changes = [c for c in changes if not _only_punctuation(c)]
    assert [c for c in changes if c.kind not in (Kind.TARGET, Kind.REWORDED)] == [], \
        [f"{c.subject}: {c.note}" for c in changes]
    # Structure, units and deadlines are exact; every task is there, in order, with its lead sentence.
    assert [t.lead.value for t in imported.tasks()] == [t.lead.value for t in original.tasks()]
    assert [s.title.value for s in imported.sections()] == [s.title.value for s in original.sections()]
    for old, new in zip(original.tasks(), imported.tasks()):
        r_old, r_new = old.effective_responsibility, new.effective_responsibility
        assert [u.name for u in r_old.all()] == [u.name for u in r_new.all()], old.id
        assert old.effective_deadline.text == new.effective_deadline.text, old.id
    # A target can only be lost when the full stop before it was dropped; its text is then kept.
    for change in changes:
        assert change.kind in (Kind.TARGET, Kind.REWORDED)
    targets_old = sum(len(t.targets) for t in original.tasks())
    targets_new = sum(len(t.targets) for t in imported.tasks())
    assert targets_new >= targets_old - 1


def test_pdf_round_trip_of_the_city_plan_is_exact_but_for_punctuation(rendered, tmp_path):
    outcome = _import(rendered, "city/three-year-plan", ".pdf", tmp_path)
    changes = [c for c in compare(_plan(ROOT / "plans" / "city/three-year-plan.yaml"), _plan(outcome.written))
               if _significant(c) and not _only_punctuation(c)]
    assert changes == [], [f"{c.subject}: {c.note}" for c in changes]
