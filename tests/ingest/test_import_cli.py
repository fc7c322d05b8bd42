"""`docgen import` as a user runs it, received-plan provenance, and cascading an imported plan."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from tests.conftest import REGISTRY, ROOT, lint, plan_text

HERE = Path(__file__).resolve().parent


class yaml:  # noqa: N801 - reads like the PyYAML call it stands for
    @staticmethod
    def safe_load(text: str):
        return YAML(typ="safe", pure=True).load(text)


@pytest.fixture
def project(tmp_path):
    """A project with the example registry (清溪市) and the street notice as received text."""
    shutil.copytree(ROOT / "plans" / "registry", tmp_path / "registry")
    (tmp_path / "pyproject.toml").write_text('[tool.docgen]\nregistry = ["registry"]\npaths = ["plans"]\n',
                                             encoding="utf-8")
    shutil.copy(HERE / "fixtures" / "street-notice.txt", tmp_path / "来文.txt")
    return tmp_path


def test_import_writes_a_received_plan_and_lists_the_gaps(project, run):
    result = run("import", "来文.txt", "-o", "plans/来文.yaml", cwd=project)
    assert result.exit_code == 0, result.output  # only info findings: missing units and deadlines
    written = project / "plans" / "来文.yaml"
    data = yaml.safe_load(written.read_text(encoding="utf-8"))
    assert data["来源"] == "上级来文" and data["文种"] == "实施方案"
    assert "原文没有写明的责任单位和完成时限（4 项任务" in result.stderr
    assert "T07  开展企业负责人培训" in result.stderr and "缺责任单位、完成时限" in result.stderr
    assert "来文.txt:1:1: 提示 DG705 [skipped-text]" in result.stdout
    assert "plans/来文.yaml" in result.stderr
    # the plan checks clean: what the source left out is 提示 (info), exit 0
    check = run("check", "plans/来文.yaml", cwd=project)
    assert check.exit_code == 0, check.output
    assert "提示 DG201 [task-without-unit]" in check.stdout and "提示 DG301" in check.stdout
    assert "发现 5 条提示。只有提示，不算失败。" in check.stderr


def test_import_reads_and_builds_the_registry_once(project, run, monkeypatch):
    from docgen import load
    from docgen.registry import Registry

    reads: list[str] = []
    real_load, real_build = load.load, Registry.build.__func__
    monkeypatch.setattr(load, "load", lambda path, name, kind=None, lenient=False: reads.append(name)
                        or real_load(path, name, kind, lenient))
    monkeypatch.setattr(Registry, "build", classmethod(lambda cls, sources: reads.append("built") or real_build(cls, sources)))
    result = run("import", "来文.txt", "-o", "plans/来文.yaml", cwd=project)
    assert result.exit_code == 0, result.output
    registry_files = sorted(f"registry/{p.name}" for p in (project / "registry").glob("*.yaml"))
    assert sorted(r for r in reads if not r.startswith(".docgen-import-")) == ["built"] + registry_files
    assert "不在单位库中" not in result.stdout  # the 发文机关 and units were matched against it all the same


def test_the_same_plan_authored_by_the_office_fails_on_the_same_gaps(project, run):
    run("import", "来文.txt", "-o", "plans/来文.yaml", cwd=project)
    plan = project / "plans" / "来文.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("来源: 上级来文", "来源: 自行制定"), encoding="utf-8")
    check = run("check", "plans/来文.yaml", cwd=project)
    assert check.exit_code == 1
    assert "错误 DG201 [task-without-unit]" in check.stdout and "错误 DG301" in check.stdout


def test_received_plan_missing_fields_are_info_in_every_format(tmp_path):
    received = plan_text("""
        - 任务: 开展培训
          编号: T1
    """).replace("正文:", "来源: 上级来文\n正文:")
    problems = lint(tmp_path, received, select=["DG201", "DG301"])
    assert {(p.code, p.severity.value) for p in problems} == {("DG201", "info"), ("DG301", "info")}
    authored = lint(tmp_path, plan_text("""
        - 任务: 开展培训
          编号: T1
    """), select=["DG201", "DG301"])
    assert {(p.code, p.severity.value) for p in authored} == {("DG201", "error"), ("DG301", "error")}
    from docgen.report import GithubReporter

    assert GithubReporter.line(problems[0]).startswith("::notice file=")


RECEIVED = """\
文种: 实施方案
标题: 远山县燃气安全专项整治实施方案
发文机关: 远山县安全生产委员会
来源: 上级来文
印发通知:
  标题: 远山县安全生产委员会关于印发《远山县燃气安全整治方案》的通知
  正文: 现将《远山县燃气安全整治方案》印发给你们。
正文:
  - 任务: 开展燃气安全排查
    编号: T1
附件:
  - 标题: 重点企业名单
"""


def test_a_received_plan_renders_as_it_came(tmp_path):
    """Another organ's document: its issuer not in our registry (DG204), its notice naming the
    plan otherwise (DG407), an attachment sent separately (DG107) are no reason to refuse it."""
    from docgen.config import Settings
    from docgen.jobs.render import render
    from tests.render.helpers import docx_lines

    problems = lint(tmp_path, RECEIVED)
    found = {(p.code, p.severity.value) for p in problems if p.code in ("DG106", "DG107", "DG204", "DG407")}
    assert found == {("DG107", "info"), ("DG204", "warning"), ("DG407", "warning")}
    assert not [p for p in problems if p.severity.value == "error"]
    out = render([tmp_path / "plan.yaml"], Settings(root=tmp_path, registry=[REGISTRY]), tmp_path / "out", pdf=False,
                 base=tmp_path)
    lines = docx_lines(out.files[0])
    assert "附件：重点企业名单" in lines and "附件" not in lines  # listed, no page of its own
    # our own plan with the same faults is refused
    authored = lint(tmp_path, RECEIVED.replace("来源: 上级来文\n", ""))
    assert {p.code for p in authored if p.severity.value == "error"} >= {"DG107", "DG204", "DG407"}
    # a 实施方案 published without its 印发通知
    alone = RECEIVED[:RECEIVED.index("印发通知:")] + RECEIVED[RECEIVED.index("正文:\n  - "):]
    assert "DG106" not in {p.code for p in lint(tmp_path, alone)}
    assert "DG106" in {p.code for p in lint(tmp_path, alone.replace("来源: 上级来文\n", ""))}


def test_bad_provenance_value_is_a_schema_error(tmp_path):
    problems = lint(tmp_path, plan_text("- 段落: 测试。").replace("正文:", "来源: 转发\n正文:"))
    assert [(p.code, p.location.line, p.message) for p in problems] == [
        ("DG013", 8, "“来源”不能是“转发”，只能是：自行制定、上级来文。")]


def test_unreadable_and_unsupported_files_exit_2_without_output(project, run):
    (project / "坏.pdf").write_bytes(b"not a pdf at all")
    result = run("import", "坏.pdf", "-o", "out.yaml", cwd=project)
    assert result.exit_code == 2
    assert "DG700" in result.stdout and "不是有效的 PDF" in result.stdout
    assert not (project / "out.yaml").exists()
    (project / "表.xlsx").write_bytes(b"PK")
    result = run("import", "表.xlsx", cwd=project)
    assert result.exit_code == 2 and "不能导入 .xlsx" in result.output
    (project / "坏.docx").write_text("plain text", encoding="utf-8")
    result = run("import", "坏.docx", "-o", "out.yaml", cwd=project)
    assert result.exit_code == 2 and "不是有效的 Word 文档" in result.stdout


def test_rules_lists_the_import_codes(run):
    result = run("rules")
    for code in ("DG700", "DG701", "DG702", "DG703", "DG704", "DG705", "DG706"):
        assert code in result.stdout
    assert "提示" in run("rules", "DG703").stdout


def test_cascade_works_from_an_imported_plan(tmp_path, run):
    """The city plan arrives as Word; the import cascades to every street like a hand-written plan."""
    from docgen.config import Settings
    from docgen.jobs.render import render

    shutil.copytree(ROOT / "plans" / "registry", tmp_path / "registry")
    (tmp_path / "pyproject.toml").write_text('[tool.docgen]\nregistry = ["registry"]\npaths = ["plans"]\n',
                                             encoding="utf-8")
    settings = Settings(root=ROOT, registry=[ROOT / "plans" / "registry"])
    render([ROOT / "plans" / "city" / "three-year-plan.yaml"], settings, tmp_path, pdf=False, base=ROOT)
    result = run("import", "three-year-plan.docx", "-o", "plans/city/received.yaml", cwd=tmp_path)
    assert result.exit_code == 0, result.output
    cascade = run("cascade", "plans/city/received.yaml", "--to", "东湖街道", "--into", "plans/city", cwd=tmp_path)
    assert cascade.exit_code == 0, cascade.output
    child = tmp_path / "plans" / "city" / "东湖街道" / "received.yaml"
    data = yaml.safe_load(child.read_text(encoding="utf-8"))
    assert data["上级方案"] == "../received.yaml"
    assert "来源" not in data  # the street's own draft is authored: its gaps are errors again
    check = run("check", str(child), cwd=tmp_path)
    assert check.exit_code in (0, 1)
    parent_ids = {t for t in _ids(yaml.safe_load((tmp_path / "plans/city/received.yaml").read_text("utf-8")))}
    child_links = _links(data)
    assert child_links and child_links <= parent_ids


def _ids(data) -> list[str]:
    out = []

    def rec(blocks):
        for b in blocks:
            if "编号" in b:
                out.append(str(b["编号"]))
            rec(b.get("内容", []) if isinstance(b.get("内容"), list) else [])
    rec(data["正文"])
    return out


def _links(data) -> set[str]:
    out = set()

    def rec(blocks):
        for b in blocks:
            if "上级任务" in b:
                out.add(str(b["上级任务"]))
            rec(b.get("内容", []) if isinstance(b.get("内容"), list) else [])
    rec(data["正文"])
    return out
