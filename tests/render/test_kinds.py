"""The registry of document kinds: every kind composes to the parts it declares and is written by the
one writer; notices without a 发文字号 are plain notices; a notice's 附件 names the ledger's title."""

from __future__ import annotations

import ast
import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import docx
import pytest
from conftest import REGISTRY

import docgen
from docgen.checked import prepare
from docgen.compose import kinds
from docgen.compose.kinds import Part
from docgen.compose.notice import NoticeSettings, UnitNotice
from docgen.compose.reminder import Reminder
from docgen.compose.tree import Head
from docgen.config import Settings
from docgen.diff.result import DiffResult
from docgen.jobs.notify import notify
from docgen.notify.recipients import recipients
from docgen.progress.stats import OVERDUE, Assignment
from docgen.render.docx import DocxWriter
from docgen.render.template import default_template
from docgen.resources import data_dir

from .helpers import PLAN, composed, write_plan


@pytest.fixture(scope="module")
def checked(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("kinds")
    path = write_plan(tmp, PLAN)
    ctx, _ = prepare([path], Settings(root=tmp, registry=[REGISTRY]), base=tmp)
    plan = ctx.plans[0]
    return tmp, path, plan, ctx.registry


def _settings(number: str) -> NoticeSettings:
    return NoticeSettings("松原市安全生产委员会办公室", "松原市安全生产委员会办公室文件", number, dt.date(2024, 3, 20),
                          dt.date(2024, 4, 5), "")


def test_every_kind_names_a_composer_that_exists():
    for kind in kinds.KINDS.values():
        assert callable(kind.composer), kind.name
        assert kind.composer.__module__ == kind.module
        assert Part.BODY in kind.parts


def test_plan_kinds_are_the_schemas():
    schema = json.loads((data_dir("schemas") / "plan.schema.json").read_text(encoding="utf-8"))
    assert [*kinds.PLAN_KINDS, kinds.BULLETIN, kinds.HAZARDS] == schema["properties"]["文种"]["enum"]
    assert all(kinds.kind(name).composer_path == "docgen.compose.composer:compose" for name in kinds.PLAN_KINDS)


def test_each_kind_composes_to_its_declared_parts(checked, tmp_path):
    _, _, plan, registry = checked
    recipient = next(r for r in recipients(plan, registry, registry.organisation_of(plan.issuer.value))
                     if r.name == "市应急管理局")
    task = plan.tasks()[1]
    overdue = Assignment(task, "市应急管理局", "牵头", None, dt.date(2024, 12, 31), OVERDUE)
    docs = {
        "实施方案": composed(tmp_path),
        kinds.TASK_NOTICE: kinds.compose(kinds.TASK_NOTICE, UnitNotice(plan, recipient, _settings("松安办〔2024〕1号")),
                                         registry),
        kinds.REMINDER: kinds.compose(kinds.REMINDER, Reminder(plan, "市应急管理局", [overdue], dt.date(2025, 1, 10),
                                                               _settings("松安办〔2025〕2号")), registry),
        kinds.REVISIONS: kinds.compose(kinds.REVISIONS, DiffResult("HEAD~1", "HEAD")),
    }
    expected = {
        "实施方案": set(Part),
        kinds.TASK_NOTICE: {Part.HEAD, Part.RECIPIENTS, Part.BODY, Part.ATTACHMENTS, Part.SIGNATURE},
        kinds.REMINDER: {Part.HEAD, Part.RECIPIENTS, Part.BODY, Part.SIGNATURE},
        kinds.REVISIONS: {Part.BODY},
    }
    writer = DocxWriter(default_template(), "gb2312")
    for name, doc in docs.items():
        assert doc.kind == name
        assert kinds.parts(doc) == expected[name] <= kinds.kind(name).parts, name
        assert writer.write(doc)[:2] == b"PK"  # one writer for all


@pytest.mark.parametrize("number, head", [("松安办〔2024〕1号", Head.FILE), ("", Head.NONE), ("  ", Head.NONE)])
def test_notices_without_a_number_have_no_head(checked, number, head):
    _, _, plan, registry = checked
    recipient = recipients(plan, registry, registry.organisation_of(plan.issuer.value))[0]
    assert kinds.compose(kinds.TASK_NOTICE, UnitNotice(plan, recipient, _settings(number)), registry).head is head
    assert kinds.kind("实施方案").head_for("") is Head.FILE  # a plan's draft keeps its 版头


def _paragraphs(path):
    return [(p.style.name, p.text) for p in docx.Document(str(path)).paragraphs]


@pytest.mark.parametrize("number", ["松安办〔2024〕1号", ""])
def test_notice_as_written_head_and_attachment_title(checked, tmp_path, number):
    tmp, path, _, _ = checked
    outcome = notify(path, Settings(root=tmp, registry=[REGISTRY]), tmp_path, units=["市应急管理局"],
                     number=number, base=tmp)
    [unit] = outcome.units
    paragraphs = _paragraphs(unit.docx)
    styles = [style for style, _ in paragraphs]
    if number:  # a 文件: 发文机关标志, 发文字号 and the red rule above the title
        assert paragraphs[:2] == [("发文机关标志", "松原市安全生产委员会文件"), ("发文字号", number)]
        assert styles[2] == "标题"
    else:  # a plain notice: no blank where the number would go, the title first
        assert "发文机关标志" not in styles and "发文字号" not in styles
        assert styles[0] == "标题" and paragraphs[0][1].startswith("关于落实《")
    assert ("附件说明", "附件：松原市应急管理局任务落实台账") in paragraphs
    assert not any(".xlsx" in text for _, text in paragraphs)


def _imports(path: Path) -> set[str]:
    """The docgen modules (and names) a source file imports."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
    return {n for n in names if n.startswith("docgen")}


def test_compose_stays_below_the_writer_and_wording_below_everything():
    package = Path(docgen.__file__).parent
    for module in sorted((package / "compose").glob("*.py")):
        upward = {n for n in _imports(module) if n.split(".")[1:2] in (["render"], ["jobs"], ["cli"])}
        assert not upward, (module.name, upward)
    loaded = subprocess.run([sys.executable, "-c", "import sys, docgen.wording; print(*sorted(sys.modules))"],
                            capture_output=True, text=True, check=True).stdout.split()
    assert [m for m in loaded if m.startswith("docgen")] == ["docgen", "docgen.wording"]  # nothing else of docgen
