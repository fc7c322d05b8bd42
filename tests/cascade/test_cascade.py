"""docgen cascade end to end, as the issue's "done when" describes, plus bad input."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import HEADER, REGISTRY, ROOT

from docgen.checked import prepare
from docgen.config import Settings
from docgen.problems import display_path

CITY_PLAN = ROOT / "plans/city/three-year-plan.yaml"


def check_dir(path: Path, registry: Path = ROOT / "plans/registry", root: Path = ROOT):
    _, result = prepare([path], Settings(root=root, registry=[registry]), base=ROOT)
    return result.problems


def but_drafts(problems):
    """The problems other than DG409: a cascaded draft has no 发文字号/成文日期 until it is issued."""
    return [p for p in problems if p.code != "DG409"]


@pytest.fixture(scope="module")
def cascaded(tmp_path_factory):
    """City -> every street, then 东湖街道 -> every village, through the CLI."""
    from click.testing import CliRunner

    from docgen.cli import cli
    out = tmp_path_factory.mktemp("cascade")
    runner = CliRunner()
    first = runner.invoke(cli, ["cascade", str(CITY_PLAN), "-o", str(out)], catch_exceptions=False)
    assert first.exit_code == 0, first.output
    street = out / "东湖街道/three-year-plan.yaml"
    second = runner.invoke(cli, ["cascade", str(street), "--into", str(street.parent)], catch_exceptions=False)
    assert second.exit_code == 0, second.output
    return out


def test_children_pass_check(cascaded):
    streets = sorted(p.parent.name for p in cascaded.glob("*/three-year-plan.yaml"))
    villages = sorted(p.parent.name for p in cascaded.glob("东湖街道/*/three-year-plan.yaml"))
    assert streets == ["东湖街道", "北山镇", "南河镇", "西岭街道"]
    assert len(villages) == 5
    problems = check_dir(cascaded)
    # Drafts: no 发文字号 or 成文日期 yet, which check points out (a warning), and nothing else.
    assert [p for p in problems if p.code != "DG409"] == []
    drafts = sorted(cascaded.glob("**/three-year-plan.yaml"))
    assert sorted(p.location.file for p in problems) == sorted(display_path(d, ROOT) for d in drafts)
    assert all(p.severity.value == "warning" and "“发文字号”和“成文日期”" in p.message for p in problems)


def test_child_keeps_structure_rewrites_words_and_links_tasks(cascaded):
    ctx, _ = prepare([cascaded / "东湖街道/three-year-plan.yaml"],
                     Settings(root=ROOT, registry=[ROOT / "plans/registry"]), base=cascaded)
    child = ctx.plans[0]
    parent = ctx.parent_of(child).plan
    assert child.title.value == "东湖街道安全生产治本攻坚三年行动实施方案"
    assert child.basis[0].doc_number.value == parent.doc_number.value
    assert all(t.parent_id.value == t.id and t.id in parent.task_by_id() for t in child.tasks())
    text = child.source.text.split("正文:", 1)[1]
    outside_titles = "".join(part.split("》")[-1] for part in text.split("《"))
    assert "全市" not in outside_titles and "各乡镇（街道）" not in outside_titles
    assert "全街道" in text and "各村（社区）" in text
    units = {ref.name for t in child.tasks() if t.responsibility for ref in t.responsibility.all()}
    city_units = {u.name for u in ctx.registry.orgs["清溪市"].units}
    assert "安办" in units and not units & city_units
    # tasks that stay at the city's level are left out
    assert "T01" not in child.task_by_id() and "T03" in child.task_by_id()


def test_targets_split_across_all_children_and_sum_to_the_parent(cascaded):
    def quota(path: Path, name: str) -> float:
        ctx, _ = prepare([path], Settings(root=ROOT, registry=[ROOT / "plans/registry"]), base=path.parent)
        return sum(t.value for task in ctx.plans[0].tasks() for t in task.targets if t.name == name)

    name = "开展安全生产托管服务的小微企业"
    streets = {p.parent.name: quota(p, name) for p in cascaded.glob("*/three-year-plan.yaml")}
    assert streets == {"东湖街道": 20, "西岭街道": 15, "南河镇": 10, "北山镇": 5}  # 50 by 企业数 120:90:60:30
    villages = [quota(p, name) for p in cascaded.glob("东湖街道/*/three-year-plan.yaml")]
    assert sum(villages) == streets["东湖街道"]


@pytest.mark.parametrize("mutation, code, where", [
    ("remove-task", "DG501", "T04"),
    ("later-deadline", "DG304", "T03"),
    ("lower-quota", "DG502", "T12"),
])
def test_breaking_a_child_fails_check_naming_child_and_parent_task(cascaded, tmp_path, mutation, code, where):
    tree = tmp_path / "tree"
    shutil.copytree(cascaded, tree)
    shutil.copy(CITY_PLAN, tmp_path / "city.yaml")
    child = tree / "东湖街道/three-year-plan.yaml"
    text = child.read_text(encoding="utf-8").replace(
        f"上级方案: {child.read_text(encoding='utf-8').split('上级方案: ')[1].split(chr(10))[0]}",
        "上级方案: ../../city.yaml")
    lines = text.split("\n")
    if mutation == "remove-task":
        start = next(i for i, line in enumerate(lines) if line.strip() == "- 任务: 提升从业人员安全技能")
        dash = lines[start].index("-")
        end = next(i for i in range(start + 1, len(lines))
                   if len(lines[i]) - len(lines[i].lstrip(" -")) <= dash + 2 and lines[i].lstrip().startswith("-"))
        del lines[start:end]
    elif mutation == "later-deadline":
        start = next(i for i, line in enumerate(lines) if line.strip() == "编号: T03")
        i = next(i for i in range(start, len(lines)) if "完成时限:" in lines[i])
        lines[i] = lines[i].replace("2024年底前", "2025年3月底前")
    else:
        start = next(i for i, line in enumerate(lines) if line.strip() == "编号: T12")
        i = next(i for i in range(start, len(lines)) if "目标值: 20" in lines[i])
        lines[i] = lines[i].replace("目标值: 20", "目标值: 19")
    child.write_text("\n".join(lines), encoding="utf-8")
    problems = [p for p in check_dir(child, root=tmp_path) if p.code == code]  # the parent is in tmp_path
    assert problems, f"{mutation} not caught"
    message = problems[0].message + problems[0].location.file
    assert where in message and "东湖街道" in message


def _project(tmp_path: Path) -> Path:
    """A writable copy of the example plans with a pyproject.toml, for edit-and-recascade tests."""
    shutil.copytree(ROOT / "plans", tmp_path / "plans")
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_edit_child_change_parent_recascade_keeps_the_edit(tmp_path, run):
    project = _project(tmp_path)
    city = project / "plans/city/three-year-plan.yaml"
    assert run("cascade", city, "--to", "东湖街道", "--into", city.parent, cwd=project).exit_code == 0
    child = project / "plans/city/东湖街道/three-year-plan.yaml"
    text = child.read_text(encoding="utf-8")
    text = text.replace("推动各村（社区）明确承担安全生产监管职责的工作机构", "由安办牵头明确各村（社区）安全生产工作机构")
    text = text.replace("上级版本:", "发文字号: 东湖街办〔2024〕30号  # 已编号\n上级版本:", 1)
    child.write_text(text, encoding="utf-8")
    parent = city.read_text(encoding="utf-8")
    parent = parent.replace("            完成时限: 每年\n          - 任务: 发挥示范创建引领作用",
                            "            完成时限: 每半年\n          - 任务: 发挥示范创建引领作用")
    parent = parent.replace("          - 任务: 发挥示范创建引领作用",
                            "          - 任务: 建立安全宣传志愿者队伍\n            编号: T31\n"
                            "            内容: 依托村（社区）组建安全宣传志愿者队伍。\n"
                            "            责任单位: 各乡镇（街道）\n            完成时限: 2025年底前\n"
                            "          - 任务: 发挥示范创建引领作用", 1)
    city.write_text(parent, encoding="utf-8")
    assert any(p.code == "DG501" and "T31" in p.message for p in check_dir(child))  # new parent task uncovered
    result = run("cascade", city, "--to", "东湖街道", "--into", city.parent, cwd=project)
    assert result.exit_code == 0, result.output
    merged = child.read_text(encoding="utf-8")
    assert "由安办牵头明确各村（社区）安全生产工作机构" in merged        # the drafter's edit
    assert "发文字号: 东湖街办〔2024〕30号  # 已编号" in merged          # ... with its comment
    assert "完成时限: 每半年" in merged and "上级任务: T31" in merged    # the parent's changes
    assert but_drafts(check_dir(child)) == []


def test_conflicting_edits_are_reported_per_task_and_block_check(tmp_path, run):
    project = _project(tmp_path)
    city = project / "plans/city/three-year-plan.yaml"
    run("cascade", city, "--to", "东湖街道", "--into", city.parent, cwd=project)
    child = project / "plans/city/东湖街道/three-year-plan.yaml"
    child.write_text(child.read_text(encoding="utf-8").replace(
        "推动各村（社区）明确承担", "由安办牵头明确"), encoding="utf-8")
    city.write_text(city.read_text(encoding="utf-8").replace(
        "推动各乡镇（街道）明确承担", "推动各乡镇（街道）尽快明确承担"), encoding="utf-8")
    result = run("cascade", city, "--to", "东湖街道", "--into", city.parent, cwd=project)
    assert result.exit_code == 1
    assert "冲突 [T03 内容]" in result.stdout and "尽快" in result.stdout
    problems = but_drafts(check_dir(child))
    assert [p.code for p in problems] == ["DG504"]
    assert "由安办牵头明确" in child.read_text(encoding="utf-8")  # the drafter's text is kept


def test_output_is_deterministic(tmp_path, run):
    for name in ("a", "b"):
        assert run("cascade", CITY_PLAN, "-o", tmp_path / name, cwd=ROOT).exit_code == 0
    files_a = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*") if p.is_file())
    files_b = sorted(p.relative_to(tmp_path / "b") for p in (tmp_path / "b").rglob("*") if p.is_file())
    assert files_a == files_b and files_a
    assert all((tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes() for f in files_a)


def test_earlier_months_tightens_deadlines(tmp_path, run):
    assert run("cascade", CITY_PLAN, "--to", "东湖街道", "--earlier-months", "1", "-o", tmp_path, cwd=ROOT).exit_code == 0
    text = (tmp_path / "东湖街道/three-year-plan.yaml").read_text(encoding="utf-8")
    t03 = text.split("编号: T03", 1)[1].split("- 任务:", 1)[0]
    assert "完成时限: 2024年11月底前" in t03
    assert but_drafts(check_dir(tmp_path)) == []


def test_named_periods_keep_the_parents_year_in_drafts_without_a_date(tmp_path, run):
    """The flood-season notice has no 实施期限: its "主汛期前" is read in its 成文日期's year, which a draft
    (no 成文日期) lacks, so the draft spells the year out instead of failing DG302."""
    result = run("cascade", ROOT / "plans/city/flood-season-notice.yaml", "-o", tmp_path, cwd=ROOT)
    assert result.exit_code == 0, result.output
    text = (tmp_path / "南河镇/flood-season-notice.yaml").read_text(encoding="utf-8")
    assert "完成时限: 2025年主汛期前" in text and "完成时限: 2025年汛期期间" in text
    assert "完成时限: 每月7日前" in text
    assert but_drafts(check_dir(tmp_path)) == []


# -- bad input -------------------------------------------------------------------------------------
def test_unknown_target_and_level_are_usage_errors(tmp_path, run):
    result = run("cascade", CITY_PLAN, "--to", "东湖街", "-o", tmp_path, cwd=ROOT)
    assert result.exit_code == 2 and "东湖街道" in result.output  # did you mean
    result = run("cascade", CITY_PLAN, "--to-level", "小区", "-o", tmp_path, cwd=ROOT)
    assert result.exit_code == 2 and "乡镇街道" in result.output
    result = run("cascade", CITY_PLAN, "--to-level", "市", "-o", tmp_path, cwd=ROOT)
    assert result.exit_code == 2
    assert not any(tmp_path.iterdir())


def _fixture_project(tmp_path: Path, registry_text: str | None = None) -> Path:
    reg = tmp_path / "registry"
    shutil.copytree(REGISTRY, reg)
    if registry_text is not None:
        (reg / "city.yaml").write_text(registry_text, encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text('[tool.docgen]\nregistry = ["registry"]\n', encoding="utf-8")
    (tmp_path / "plan.yaml").write_text(FIXTURE_PLAN, encoding="utf-8")
    return tmp_path


FIXTURE_PLAN = HEADER.replace("主送: [市安委会各成员单位]", "主送: [各乡镇（街道）]") + """\
  - 段落: 市安委会部署全市重点工作。
  - 任务: 开展隐患排查
    编号: A1
    责任单位: {牵头: 市应急管理局, 配合: 各乡镇（街道）}
    完成时限: 2025年9月底前
    指标:
      - {名称: 排查企业, 要求: 不少于, 目标值: 9, 单位: 家, 分解: {方式: 平均}}
  - 任务: 市级培训
    编号: A2
    责任单位: 市教育局
    完成时限: 每季度
"""


def test_even_split_and_fixture_cascade(tmp_path, run):
    project = _fixture_project(tmp_path)
    result = run("cascade", "plan.yaml", "--into", ".", cwd=project)
    assert result.exit_code == 0, result.output
    qs = (project / "青松街道/plan.yaml").read_text(encoding="utf-8")
    bh = (project / "白河镇/plan.yaml").read_text(encoding="utf-8")
    assert "目标值: 5" in qs and "目标值: 4" in bh  # 9 split evenly: 5 + 4, nothing lost
    assert "街道安委会部署全街道重点工作" in qs and "镇安委会部署全镇重点工作" in bh
    assert "A2" not in qs


def test_missing_level_words_is_a_finding_and_nothing_is_written(tmp_path, run):
    text = (REGISTRY / "city.yaml").read_text(encoding="utf-8").replace(
        ", 安委会: 镇安委会, 安委办: 镇安委办}", "}")
    project = _fixture_project(tmp_path, text)
    result = run("cascade", "plan.yaml", "--into", ".", cwd=project)
    assert result.exit_code == 1
    assert "DG505" in result.stdout and "白河镇" in result.stdout and "安委会" in result.stdout
    assert not (project / "青松街道").exists() and not (project / "白河镇").exists()


def test_registry_cycle_stops_the_cascade(tmp_path, run):
    text = (REGISTRY / "city.yaml").read_text(encoding="utf-8").replace(
        "  - 名称: 松原市\n    层级: 市\n", "  - 名称: 松原市\n    层级: 市\n    上级: 石桥村\n")
    project = _fixture_project(tmp_path, text)
    result = run("cascade", "plan.yaml", "--into", ".", cwd=project)
    assert result.exit_code == 1 and "DG203" in result.stdout and "循环" in result.stdout
    assert not (project / "青松街道").exists()


def test_child_whose_parent_link_points_nowhere(tmp_path):
    project = _fixture_project(tmp_path)
    (project / "child.yaml").write_text(
        FIXTURE_PLAN.replace("松原市安全生产委员会\n", "松原市青松街道办事处\n上级方案: nowhere.yaml\n", 1)
        .replace("发文字号: 松安委〔2025〕2号\n", ""), encoding="utf-8")
    problems = check_dir(project / "child.yaml", project / "registry")
    assert [p.code for p in problems if p.code.startswith("DG1")] == ["DG102"]


def test_recascade_without_base_needs_force(tmp_path, run):
    project = _fixture_project(tmp_path)
    run("cascade", "plan.yaml", "--into", ".", cwd=project)
    shutil.rmtree(project / "青松街道/.docgen")
    result = run("cascade", "plan.yaml", "--into", ".", cwd=project)
    assert result.exit_code == 1 and "--force" in result.stdout
    assert run("cascade", "plan.yaml", "--force", "--into", ".", cwd=project).exit_code == 0


def test_render_option_renders_every_child(tmp_path, run, monkeypatch):
    import docgen.jobs.render

    def no_recheck(*args, **kwargs):
        raise AssertionError("cascade --render re-read and re-checked the children it had just checked")

    monkeypatch.setattr(docgen.jobs.render, "prepare_plans", no_recheck)
    project = _project(tmp_path)
    city = project / "plans/city/three-year-plan.yaml"
    result = run("cascade", city, "--to", "东湖街道", "--to", "南河镇", "--render", "--into", city.parent, cwd=project)
    assert result.exit_code == 0, result.output
    assert "build/东湖街道/three-year-plan.docx" in result.stdout
    docs = sorted(p.relative_to(project / "build").as_posix() for p in (project / "build").rglob("*.docx"))
    assert docs == ["东湖街道/three-year-plan.docx", "南河镇/three-year-plan.docx"]
    from docx import Document as WordDocument
    text = "\n".join(p.text for p in WordDocument(str(project / "build" / docs[0])).paragraphs)
    assert "东湖街道安全生产治本攻坚三年行动实施方案" in text


SUBUNITS_PLAN = HEADER.replace("正文:\n", "") + """正文:
  - 任务: 逐镇街排查
    编号: S1
    内容: 各镇街逐村排查。
    责任单位: [青松街道, 白河镇]
    完成时限: 2025年6月底前
"""


def test_task_naming_the_sub_units_themselves_cascades(tmp_path, run):
    project = _fixture_project(tmp_path)
    (project / "plan.yaml").write_text(SUBUNITS_PLAN, encoding="utf-8")
    result = run("cascade", "plan.yaml", "--into", ".", cwd=project)
    assert result.exit_code == 0, result.output
    assert "责任单位: 镇安委办" in (project / "白河镇/plan.yaml").read_text(encoding="utf-8")


def test_sub_unit_without_a_unit_to_take_the_task_is_a_finding(tmp_path, run):
    # 白河镇 names 镇安委办 as its office word but has no such unit, nor a 各村（社区） group:
    # a task naming 白河镇 itself has nobody there to take it (was an internal AssertionError)
    text = (REGISTRY / "city.yaml").read_text(encoding="utf-8").replace("      - 名称: 镇安委办\n", "")
    project = _fixture_project(tmp_path, text)
    (project / "plan.yaml").write_text(SUBUNITS_PLAN, encoding="utf-8")
    result = run("cascade", "plan.yaml", "--into", ".", cwd=project)
    assert result.exit_code == 1, result.output
    assert "内部错误" not in result.output and "Traceback" not in result.output
    assert "DG505" in result.stdout and "白河镇" in result.stdout and "找不到承接的单位" in result.stdout
    assert not (project / "青松街道").exists() and not (project / "白河镇").exists()


def _summary(plan):
    """What later stages read from a plan model (positions aside)."""
    out = []
    for block in plan.walk():
        resp = getattr(block, "responsibility", None)
        deadline = getattr(block, "deadline", None)
        out.append((type(block).__name__, getattr(block, "id", None),
                    [u.name for u in resp.lead] if resp else None, [u.name for u in resp.support] if resp else None,
                    deadline.text if deadline else None,
                    [(t.name, t.value, sorted(t.by_year.items())) for t in getattr(block, "targets", [])],
                    [i.value for i in getattr(block, "items", [])]))
    return out


def test_children_checked_in_memory_read_as_their_written_text(tmp_path):
    """Children are built and checked in memory, never re-read: the model and the strings that
    rules see must be exactly those of the YAML written for them (down to the villages)."""
    from docgen.jobs.cascade import cascade
    from docgen.load import load_text
    from docgen.model import Plan

    project = _project(tmp_path)
    settings = Settings(root=project, registry=[project / "plans/registry"])
    outcome = cascade(project / "plans/city/three-year-plan.yaml", settings, to_level="村社区", base=project,
                      keep_plans=True)
    assert outcome.written and not outcome.problems, outcome.problems[:3]
    assert any(c.org.level == "村社区" for c in outcome.children)
    for child in outcome.children:
        source, problems = load_text(child.text, child.path, "x.yaml", kind="plan")
        assert not problems
        written = Plan.from_source(source)
        assert _summary(child.plan) == _summary(written), child.org.name
        assert [(p, v) for p, v, _ in child.plan.strings()] == [(p, v) for p, v, _ in written.strings()]


def test_a_draft_without_number_and_date_renders_as_a_draft(tmp_path, run):
    """A cascaded draft has no 发文字号 or 成文日期: no 红头 with a blank, marked 征求意见稿."""
    from docx import Document as WordDocument

    project = _project(tmp_path)
    city = project / "plans/city/three-year-plan.yaml"
    result = run("cascade", city, "--to", "东湖街道", "--render", "--into", city.parent, cwd=project)
    assert result.exit_code == 0, result.output
    paragraphs = WordDocument(str(project / "build/东湖街道/three-year-plan.docx")).paragraphs
    styles = [p.style.name for p in paragraphs]
    assert "发文机关标志" not in styles and "发文字号" not in styles
    title = next(i for i, p in enumerate(paragraphs) if p.text.strip())
    assert paragraphs[title + 1].text == "（征求意见稿）"


def test_drafts_go_to_their_own_folder_by_default(tmp_path, run):
    """Not beside the real plans (where check and build would take them up): build/cascade/, nested."""
    project = tmp_path / "project"
    shutil.copytree(ROOT / "plans", project / "plans")
    shutil.copy(ROOT / "pyproject.toml", project / "pyproject.toml")
    result = run("cascade", "plans/city/three-year-plan.yaml", cwd=project)
    assert result.exit_code == 0, result.output
    assert "build/cascade/东湖街道/three-year-plan.yaml" in result.stdout.splitlines()
    assert not (project / "plans/city/东湖街道").exists()
    again = run("cascade", "build/cascade/东湖街道/three-year-plan.yaml", cwd=project)
    assert again.exit_code == 0, again.output
    assert all(line.startswith("build/cascade/东湖街道/") for line in again.stdout.splitlines())
    before = len(list((project / "plans").rglob("*.yaml")))
    check = run("check", cwd=project)
    assert check.exit_code == 0 and f"检查了 {before} 个文件，没有发现问题。" in check.stderr  # drafts not taken up
    into = run("cascade", "plans/city/three-year-plan.yaml", "--to", "东湖街道", "--into", "plans/city", cwd=project)
    assert into.stdout.splitlines() == ["plans/city/东湖街道/three-year-plan.yaml"]


def test_the_cascade_job_loads_word_only_to_render():
    """`docgen cascade` writes YAML: the Word writer and its templates are loaded only with
    `render_to` (a fixed cost of a fifth of a second on every run otherwise)."""
    import subprocess
    import sys

    loaded = subprocess.run([sys.executable, "-c", "import sys, docgen.jobs.cascade; print(*sorted(sys.modules))"],
                            capture_output=True, text=True, check=True).stdout.split()
    assert "docgen.jobs.cascade" in loaded
    assert "docgen.jobs.render" not in loaded and "docxtpl" not in loaded
