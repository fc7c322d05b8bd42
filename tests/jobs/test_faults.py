"""Inputs a user can give that used to end in an internal error (exit 3) in the batch commands
(issue 26): each one now ends in a located finding or a Chinese message, exit 1 or 2."""

from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import HEADER, REGISTRY, plan_text

from docgen.cli import cli

BODY = """\
- 任务: 开展隐患排查
  编号: A1
  责任单位: [市应急管理局, 各乡镇（街道）]
  完成时限: 2025年9月底前
"""


def project(tmp_path: Path, text: str | None = None, config: str = "") -> Path:
    """A project: the fixture registry, pyproject.toml (with `config` lines) and plan.yaml."""
    shutil.copytree(REGISTRY, tmp_path / "registry")
    (tmp_path / "pyproject.toml").write_text(f'[tool.docgen]\nregistry = ["registry"]\n{config}', encoding="utf-8")
    (tmp_path / "plan.yaml").write_text(text if text is not None else plan_text(BODY), encoding="utf-8")
    return tmp_path


def invoke(*args, cwd: Path):
    old = Path.cwd()
    os.chdir(cwd)
    try:
        return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
    finally:
        os.chdir(old)


#: A plan received from a city that is not in the registry (check passes with one warning).
RECEIVED = plan_text(BODY, HEADER.replace("松原市安全生产委员会", "远山市安全生产委员会")
                     .replace("松安委", "远安委").replace("文种: 工作要点\n", "文种: 工作要点\n来源: 上级来文\n"))


def test_received_plan_of_an_unregistered_issuer_passes_check_with_a_warning(tmp_path):
    project(tmp_path, RECEIVED)
    result = invoke("check", "plan.yaml", cwd=tmp_path)
    assert result.exit_code == 0, result.output
    assert "警告 DG204" in result.output


def test_cascade_of_an_unregistered_issuer_names_what_to_register(tmp_path):
    project(tmp_path, RECEIVED)
    result = invoke("cascade", "plan.yaml", "-o", "out", cwd=tmp_path)
    assert result.exit_code == 1, result.output
    assert "plan.yaml:4:7: 错误 DG204" in result.output  # the 发文机关 line
    assert "发文机关“远山市安全生产委员会”不在单位库中，docgen cascade" in result.output
    assert "“名称”（例如“远山市”）" in result.output and "名称: 远山市安全生产委员会" in result.output
    assert "内部错误" not in result.output and not (tmp_path / "out").exists()


def test_notify_of_an_unregistered_issuer_names_what_to_register(tmp_path):
    project(tmp_path, RECEIVED)
    result = invoke("notify", "plan.yaml", "-o", "out", cwd=tmp_path)
    assert result.exit_code == 1, result.output
    assert "plan.yaml:4:7: 错误 DG204" in result.output and "docgen notify" in result.output
    assert "内部错误" not in result.output and not (tmp_path / "out").exists()


def test_ignoring_dg204_does_not_crash_cascade_or_notify(tmp_path):
    project(tmp_path, RECEIVED.replace("来源: 上级来文\n", ""), config='ignore = ["DG204", "DG401"]\n')
    assert invoke("check", "plan.yaml", cwd=tmp_path).exit_code == 0
    for command in ("cascade", "notify"):
        result = invoke(command, "plan.yaml", "-o", "out", cwd=tmp_path)
        assert result.exit_code == 1, result.output
        assert "错误 DG204" in result.output


def test_ignored_syntax_error_still_stops_check_and_every_command(tmp_path):
    """DG001 in `ignore`: the file cannot be read at all, so it cannot pass or reach a command."""
    project(tmp_path, "文种: 工作要点\n标题: [没有配对\n", config='ignore = ["DG001"]\n')
    for args in (("check", "plan.yaml"), ("notify", "plan.yaml", "-o", "n"), ("cascade", "plan.yaml", "-o", "c"),
                 ("render", "plan.yaml", "-o", "r")):
        result = invoke(*args, cwd=tmp_path)
        assert result.exit_code == 1, (args, result.output)
        assert "plan.yaml:3:1: 错误 DG001" in result.output, result.output
    assert not any((tmp_path / d).exists() for d in "ncr")


def test_suppressed_or_downgraded_schema_errors_still_stop(tmp_path):
    """A missing 标题 (schema) cannot be waved through by a severity override or a comment either."""
    text = plan_text(BODY).replace("标题: 松原市2025年安全生产工作要点\n", "")
    project(tmp_path, "# docgen: disable=DG012\n" + text, config='[tool.docgen.severity]\nDG012 = "warning"\n')
    result = invoke("notify", "plan.yaml", "-o", "n", cwd=tmp_path)
    assert result.exit_code == 1, result.output
    assert "错误 DG012" in result.output and "内部错误" not in result.output


def test_a_data_file_given_to_notify_or_cascade_is_a_plain_message(tmp_path):
    project(tmp_path, "指标:\n  受伤人数: {量词: 人, 本期: 3}\n")
    for command in ("notify", "cascade"):
        result = invoke(command, "plan.yaml", "-o", "out", cwd=tmp_path)
        assert result.exit_code == 2, result.output
        assert "不是方案文件" in result.output and "内部错误" not in result.output


# -- dates docgen cannot compute with (issue 26, item 8) ----------------------------------------------

FAR = "9999年12月31日"
OUT_OF_RANGE = "的年份9999超出了范围：docgen 只处理1900年至2199年的日期"


def test_notify_date_out_of_range_is_a_usage_message(tmp_path):
    project(tmp_path)
    for option in ("--date", "--due"):
        result = invoke("notify", "plan.yaml", "-o", "out", option, FAR, cwd=tmp_path)
        assert result.exit_code == 2, result.output
        assert f"日期“{FAR}”{OUT_OF_RANGE}" in result.output and "内部错误" not in result.output
    assert not (tmp_path / "out").exists()


def test_plan_dates_out_of_range_are_findings_not_overflow(tmp_path):
    """A plan dated 9999年12月31日 used to pass into notify, whose reply date (+15 days) overflowed."""
    text = plan_text(BODY.replace("2025年9月底前", "9999年底前")).replace("成文日期: 2025年1月10日", f"成文日期: {FAR}")
    project(tmp_path, text)
    result = invoke("notify", "plan.yaml", "-o", "out", cwd=tmp_path)
    assert result.exit_code == 1, result.output
    assert f"plan.yaml:5:7: 错误 DG402 [date-format] 日期“{FAR}”{OUT_OF_RANGE}" in result.output
    assert f"错误 DG302 [deadline-unreadable] 完成时限“9999年底前”{OUT_OF_RANGE}" in result.output


PROGRESS = """\
方案: plan.yaml
截至: {as_of}
进展:
  A1:
    市应急管理局:
      完成状态: 未启动
"""


def test_remind_and_report_as_of_out_of_range(tmp_path):
    project(tmp_path)
    (tmp_path / "progress.yaml").write_text(PROGRESS.format(as_of="2025年10月1日"), encoding="utf-8")
    for command in ("remind", "report"):
        result = invoke(command, "plan.yaml", "--progress", "progress.yaml", "--as-of", FAR, "-o", "out", cwd=tmp_path)
        assert result.exit_code == 2, result.output
        assert f"日期“{FAR}”{OUT_OF_RANGE}" in result.output and "内部错误" not in result.output
    (tmp_path / "progress.yaml").write_text(PROGRESS.format(as_of=FAR), encoding="utf-8")
    for iso in (False, True):
        if iso:  # an unquoted ISO date, read by YAML as a date
            (tmp_path / "progress.yaml").write_text(PROGRESS.format(as_of="9999-12-31"), encoding="utf-8")
        result = invoke("remind", "plan.yaml", "--progress", "progress.yaml", "-o", "out", cwd=tmp_path)
        assert result.exit_code == 2, result.output
        assert "progress.yaml:2:5: 进展文件的“截至”" in result.output and OUT_OF_RANGE in result.output
    assert not (tmp_path / "out").exists()


# -- faults and batches (issue 26, item 10) -----------------------------------------------------------


def _crafted_journal(out: Path, staging: str, files: list[str], **extra) -> None:
    import json

    (out / ".docgen-publish.json").write_text(
        json.dumps({"staging": staging, "files": files, "stale": [], **extra}), encoding="utf-8")


def test_a_crafted_journal_and_a_symlinked_staging_folder_move_nothing(tmp_path):
    """The output folder came from elsewhere: a journal naming a staging folder that is a link to
    another folder must not make recovery move that folder's files into the output."""
    project(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "机密.docx").write_bytes(b"secret")
    out = tmp_path / "out"
    out.mkdir()
    (out / ".docgen-staging-evil").symlink_to(elsewhere, target_is_directory=True)
    _crafted_journal(out, ".docgen-staging-evil", ["机密.docx"])
    # a real staging folder with a link inside, and one with a file but a forged token
    real = out / ".docgen-staging-real"
    real.mkdir()
    (real / "链接.docx").symlink_to(elsewhere / "机密.docx")
    result = invoke("notify", "plan.yaml", "-o", "out", cwd=tmp_path)
    assert result.exit_code == 0, result.output
    assert (elsewhere / "机密.docx").read_bytes() == b"secret"  # not moved
    assert not (out / "机密.docx").exists() and not (out / "链接.docx").exists()
    assert (out / ".docgen-staging-evil").is_symlink()  # a link is never followed, nor removed through
    assert not (out / ".docgen-publish.json").exists() and not real.exists()


def test_a_journal_with_a_forged_token_or_inode_moves_nothing(tmp_path):
    from docgen import outfolder

    out = tmp_path / "out"
    out.mkdir()
    staging = out / ".docgen-staging-x"
    staging.mkdir()
    (staging / "a.docx").write_bytes(b"planted")
    (staging / outfolder.TOKEN).write_text("t0ken", encoding="utf-8")
    info = staging.stat()
    for forged in ({"token": "other", "device": info.st_dev, "inode": info.st_ino},
                   {"token": "t0ken", "device": info.st_dev, "inode": info.st_ino + 1}):
        _crafted_journal(out, staging.name, ["a.docx"], **forged)
        folder = outfolder.OutputFolder(out, "manifest.json")
        folder.recover()
        assert not (out / "a.docx").exists() and not (out / ".docgen-publish.json").exists()
    _crafted_journal(out, staging.name, ["a.docx"], token="t0ken", device=info.st_dev, inode=info.st_ino)
    outfolder.OutputFolder(out, "manifest.json").recover()  # what this code wrote itself is finished
    assert (out / "a.docx").read_bytes() == b"planted"


def test_render_clears_staging_folders_killed_runs_left(tmp_path):
    project(tmp_path)
    build = tmp_path / "build"
    for name in (".docgen-staging-k1ll3d", ".docgen-a1b2c3d4"):  # this version's and an older render's
        (build / name).mkdir(parents=True)
        (build / name / "000.docx").write_bytes(b"half")
    (build / ".docgen-mine").mkdir()  # not a name docgen gives its staging: kept
    (build / ".docgen-archive1").mkdir()  # named like an old staging folder, but holding the user's file: kept
    (build / ".docgen-archive1/说明.txt").write_text("mine", encoding="utf-8")
    result = invoke("render", "plan.yaml", cwd=tmp_path)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in build.iterdir()) == [".docgen-archive1", ".docgen-mine", "plan.docx"]


def test_render_and_build_refuse_a_folder_another_run_holds(tmp_path):
    from docgen.outfolder import FolderLock

    project(tmp_path)
    with FolderLock(tmp_path / "build"):
        for command in ("render", "build"):
            result = invoke(command, "plan.yaml", "--no-pdf" if command == "build" else "-o", *(
                () if command == "build" else ("build",)), cwd=tmp_path)
            assert result.exit_code == 2, result.output
            assert "正被另一个 docgen 进程使用" in result.output
    assert not (tmp_path / "build").exists()


@pytest.mark.parametrize("error", [OSError(errno.ENOSPC, "No space left on device"),
                                   OSError(errno.EDQUOT, "Disk quota exceeded"),
                                   PermissionError(errno.EACCES, "Permission denied")])
def test_a_full_disk_during_render_or_build_is_exit_2_and_writes_nothing(tmp_path, monkeypatch, error):
    project(tmp_path)
    assert invoke("render", "plan.yaml", cwd=tmp_path).exit_code == 0
    before = (tmp_path / "build/plan.docx").read_bytes()
    (tmp_path / "plan.yaml").write_text(plan_text(BODY.replace("开展隐患排查", "开展隐患大排查")), encoding="utf-8")
    real = Path.write_bytes

    def full(self, data):
        if ".docgen-staging-" in str(self):
            raise error
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", full)
    for args in (("render", "plan.yaml"), ("build", "plan.yaml", "--no-pdf"), ("render", "plan.yaml", "-o", "new")):
        result = invoke(*args, cwd=tmp_path)
        assert result.exit_code == 2, result.output
        assert "无法写入" in result.output and "plan.docx" in result.output and "内部错误" not in result.output
        assert {"28": "磁盘空间不足", "122": "超出了磁盘配额", "13": "没有写入权限"}[str(error.errno)] in result.output
    assert (tmp_path / "build/plan.docx").read_bytes() == before  # the previous output untouched
    assert sorted(p.name for p in (tmp_path / "build").iterdir()) == ["plan.docx"]  # no staging left
    assert not (tmp_path / "new").exists()  # a folder the failed run created is removed


def _evil_registry(tmp_path: Path, name: str) -> None:
    city = tmp_path / "registry/city.yaml"
    text = city.read_text(encoding="utf-8")
    city.write_text(text.replace("  - 名称: 白河镇\n", f"  - 名称: '{name}'\n"), encoding="utf-8")
    other = city.read_text(encoding="utf-8")
    assert name in other


@pytest.mark.parametrize("where", ["absolute", "../outside", "上级/..", ".hidden"])
def test_an_organisation_named_as_a_path_never_makes_cascade_write_outside(tmp_path, where):
    project(tmp_path / "p")
    outside = tmp_path / "outside"
    name = str(outside) if where == "absolute" else where
    _evil_registry(tmp_path / "p", name)
    result = invoke("check", "registry", cwd=tmp_path / "p")
    assert result.exit_code == 1 and "错误 DG203" in result.output and "不能用作目录名" in result.output, result.output
    (tmp_path / "p/pyproject.toml").write_text('[tool.docgen]\nregistry = ["registry"]\nignore = ["DG203", "DG202"]\n',
                                               encoding="utf-8")
    result = invoke("cascade", "plan.yaml", "-o", "out", cwd=tmp_path / "p")
    assert result.exit_code == 1, result.output
    assert "错误 DG505" in result.output and "不能用作目录名" in result.output
    assert not outside.exists() and not (tmp_path / "p/out").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p"]


def test_a_second_cascade_into_the_same_folder_is_refused(tmp_path):
    from docgen.outfolder import FolderLock

    project(tmp_path)
    with FolderLock(tmp_path / "out"):  # another cascade of the same parent is writing
        result = invoke("cascade", "plan.yaml", "-o", "out", cwd=tmp_path)
        assert result.exit_code == 2, result.output
        assert "正被另一个 docgen 进程使用" in result.output
    result = invoke("cascade", "plan.yaml", "-o", "out", cwd=tmp_path)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out/青松街道/plan.yaml").is_file()


def test_exceptions_a_user_can_meet_are_docgen_errors_with_their_exit_codes():
    from docgen import untrusted
    from docgen.cascade.derive import DeriveError
    from docgen.cascade.targets import SplitError
    from docgen.compose.bulletin import BulletinComposeError
    from docgen.compose.composer import ComposeError
    from docgen.errors import DocgenError
    from docgen.gitutil import GitError
    from docgen.ingest.docx import Unreadable as DocumentUnreadable
    from docgen.problems import Location

    at = Location("plan.yaml", 3, 5)
    for error, code in ((ComposeError([(at, "标题含有控制字符")]), 1), (BulletinComposeError([(at, "没有数据")]), 1),
                        (DeriveError("单位库中没有对口单位"), 1), (SplitError("分解所用的权重之和为 0"), 1),
                        (GitError("找不到修订版本"), 2),
                        (untrusted.Unreadable("文件已损坏"), 2), (untrusted.LimitExceeded("size", 10, "20 字节"), 2),
                        (DocumentUnreadable("不是有效的 Word 文档"), 2)):
        assert isinstance(error, DocgenError) and error.exit_code == code, type(error)
        assert str(error) and "Error" not in str(error)
    assert str(ComposeError([(at, "标题含有控制字符")])) == "plan.yaml:3:5: 标题含有控制字符"


# -- a received plan, cascaded and notified at once (issue 21, item 7) -------------------------------

PHASED = """\
- 任务: 推进企业安全生产标准化达标
  编号: P1
  内容: 全市1000家企业完成安全生产标准化达标创建。
  责任单位: {牵头: 市应急管理局, 配合: 各乡镇（街道）}
  完成时限: 2026年底前
  指标:
    - 名称: 达标企业占比
      要求: 达到
      目标值: 100
      单位: "%"
      分期:
        - {时限: 2025年6月底前, 单位: [青松街道]}
        - {时限: 12月底前, 单位: [白河镇]}
"""
HEADER_3Y = HEADER.replace("止: 2025年12月31日", "止: 2026年12月31日").replace(
    "主送: [市安委会各成员单位]", "主送: [各乡镇（街道）]")


def _cells(book: Path) -> list[list]:
    import openpyxl

    ws = openpyxl.load_workbook(book).worksheets[0]
    return [[c.value for c in row] for row in ws.iter_rows()]


def test_each_child_gets_its_own_batch_deadline_in_its_plan_notice_and_ledger(tmp_path):
    """分期: 青松街道 is due 2025年6月底前 and 白河镇 12月底前 (2025, the batch before's year), not the
    task's 2026年底前; the year-less batch is written out in the child plan."""
    import docx

    project(tmp_path, plan_text(PHASED, HEADER_3Y))
    result = invoke("cascade", "plan.yaml", "-o", "children", cwd=tmp_path)
    assert result.exit_code == 0, result.output
    street = (tmp_path / "children/青松街道/plan.yaml").read_text(encoding="utf-8")
    town = (tmp_path / "children/白河镇/plan.yaml").read_text(encoding="utf-8")
    assert street.split("指标:")[0].rstrip().endswith("完成时限: 2025年6月底前")  # the task's own deadline
    assert town.split("指标:")[0].rstrip().endswith("完成时限: 2025年底前")
    # the child's notice and ledger carry it (notify of the child plan)
    result = invoke("notify", "children/白河镇/plan.yaml", "-o", "town", "--date", "2025年3月1日", cwd=tmp_path)
    assert result.exit_code == 0, result.output
    for notice in (tmp_path / "town").glob("*.docx"):
        if "P1" in "".join(p.text for p in docx.Document(str(notice)).paragraphs):
            assert "完成时限：2025年底前。" in "".join(p.text for p in docx.Document(str(notice)).paragraphs)
            break
    else:
        raise AssertionError("no notice of the town lists P1")
    # and so do the parent's notices to each sub-organisation
    result = invoke("notify", "plan.yaml", "-o", "city", cwd=tmp_path)
    assert result.exit_code == 0, result.output
    for unit, due in (("青松街道", "2025年6月底前"), ("白河镇", "2025年底前"), ("市应急管理局", "2026年底前")):
        notice = [p.text for p in docx.Document(str(next((tmp_path / "city").glob(f"{unit}.docx")))).paragraphs]
        assert any(f"完成时限：{due}。" in line for line in notice), (unit, notice)
        rows = [row for row in _cells(next((tmp_path / "city").glob(f"{unit}-台账.xlsx"))) if row[0] == "P1"]
        assert rows and rows[0][3] == due, (unit, rows)


def test_cascade_warns_where_a_parent_figure_is_copied_into_a_child(tmp_path):
    """"全市1000家" became "全街道1000家" and "全镇1000家": a located warning in each child; the rate
    (100%) and the year are not figures of the area."""
    project(tmp_path, plan_text(PHASED.replace("创建。", "创建，全市达标率100%，2025年全市完成。"), HEADER_3Y))
    result = invoke("cascade", "plan.yaml", "-o", "children", cwd=tmp_path)
    assert result.exit_code == 0, result.output
    street = (tmp_path / "children/青松街道/plan.yaml").read_text(encoding="utf-8").split("\n")
    row = next(i for i, line in enumerate(street, 1) if "全街道1000家" in line)
    column = street[row - 1].index("1000") + 1
    assert (f"children/青松街道/plan.yaml:{row}:{column}: 警告 DG506 [parent-figure-copied] “全街道1000”照抄了"
            "上级任务 P1 中全市的数字1000，这是松原市全域的数字，不是青松街道的。请改为本级的数字，或删去这个数字。") \
        in result.output
    assert "children/白河镇/plan.yaml" in result.output and "“全镇1000”照抄了" in result.output
    assert result.output.count("DG506") == 2  # not the rate, not the year
    # the warning stays with the child until the drafter changes the figure
    result = invoke("check", "children/白河镇/plan.yaml", cwd=tmp_path)
    assert result.exit_code == 0 and "警告 DG506" in result.output
    town = tmp_path / "children/白河镇/plan.yaml"
    town.write_text(town.read_text(encoding="utf-8").replace("全镇1000家", "全镇80家"), encoding="utf-8")
    assert "DG506" not in invoke("check", "children/白河镇/plan.yaml", cwd=tmp_path).output


def test_a_copied_figure_of_a_split_target_names_the_child_share(tmp_path):
    body = """\
- 任务: 推进企业安全生产标准化达标
  编号: P1
  内容: 全市共有企业40家参加达标创建。
  责任单位: 各乡镇（街道）
  完成时限: 2025年底前
  指标:
    - {名称: 达标企业, 要求: 不少于, 目标值: 40, 单位: 家, 分解: {方式: 按数据, 数据项: 企业数}}
"""
    project(tmp_path, plan_text(body).replace("主送: [市安委会各成员单位]", "主送: [各乡镇（街道）]"))
    result = invoke("cascade", "plan.yaml", "-o", "children", cwd=tmp_path)
    assert result.exit_code == 0, result.output
    assert "“全镇共有企业40”照抄了上级任务 P1 中全市的数字40" in result.output
    assert "指标“达标企业”分解到本级为10家。" in result.output  # 白河镇: 10 of the 40 企业数


def test_a_full_disk_during_cascade_changes_no_child(tmp_path, monkeypatch):
    """The second child cannot be written: the first is not written either (nor replaced)."""
    project(tmp_path)
    assert invoke("cascade", "plan.yaml", "-o", "children", cwd=tmp_path).exit_code == 0
    before = {p: p.read_bytes() for p in (tmp_path / "children").rglob("*") if p.is_file()}
    (tmp_path / "plan.yaml").write_text(plan_text(BODY.replace("开展隐患排查", "开展隐患大排查")), encoding="utf-8")
    from docgen import files

    real, calls = files._staged, []

    def full(path, data, *rest):
        calls.append(path)
        if len(calls) == 3:
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        return real(path, data, *rest)

    monkeypatch.setattr(files, "_staged", full)
    result = invoke("cascade", "plan.yaml", "-o", "children", "--force", cwd=tmp_path)
    assert result.exit_code == 2, result.output
    assert "磁盘空间不足" in result.output and "内部错误" not in result.output
    after = {p: p.read_bytes() for p in (tmp_path / "children").rglob("*") if p.is_file()}
    assert after == before  # no child replaced, no temporary file left


def test_remind_and_report_of_an_unregistered_issuer_name_what_to_register(tmp_path):
    project(tmp_path, RECEIVED)
    (tmp_path / "progress.yaml").write_text(PROGRESS.format(as_of="2025年10月1日"), encoding="utf-8")
    for command in ("remind", "report"):
        result = invoke(command, "plan.yaml", "--progress", "progress.yaml", "-o", "out", cwd=tmp_path)
        assert result.exit_code == 1, result.output
        assert "plan.yaml:4:7: 错误 DG204" in result.output and "汇总进展、通报和督办" in result.output
    assert not (tmp_path / "out").exists()


def test_units_missing_from_the_registry_never_crash_notify(tmp_path):
    """DG202 ignored: a unit the registry does not know gets no notice; the others do."""
    project(tmp_path, plan_text(BODY.replace("[市应急管理局, 各乡镇（街道）]", "[市应急管理局, 市无此局]")),
            config='ignore = ["DG202"]\n')
    result = invoke("notify", "plan.yaml", "-o", "out", cwd=tmp_path)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["manifest.json", "市应急管理局-台账.xlsx",
                                                                     "市应急管理局.docx"]


def test_an_ignored_syntax_error_in_the_registry_still_stops_the_commands(tmp_path):
    project(tmp_path, config='ignore = ["DG001"]\n')
    (tmp_path / "registry/city.yaml").write_text("组织: [没有配对\n", encoding="utf-8")
    for args in (("check", "plan.yaml"), ("notify", "plan.yaml", "-o", "n"), ("cascade", "plan.yaml", "-o", "c")):
        result = invoke(*args, cwd=tmp_path)
        assert result.exit_code == 1, (args, result.output)
        assert "registry/city.yaml:2:1: 错误 DG001" in result.output and "内部错误" not in result.output


def test_a_killed_build_leaves_staging_that_the_next_build_clears(tmp_path):
    """kill -9 while LibreOffice converts: the staging folder stays; the next run removes it."""
    import signal
    import subprocess
    import sys
    import time

    from conftest import ROOT

    project(tmp_path)
    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "soffice").write_text("#!/bin/sh\nsleep 30\n", encoding="utf-8")  # outlives the kill, not the suite
    (fake / "soffice").chmod(0o755)
    env = dict(os.environ, PATH=f"{fake}:/usr/bin:/bin", PYTHONPATH=str(ROOT))
    process = subprocess.Popen([sys.executable, "-m", "docgen.cli", "build", "plan.yaml", "--pdf-engine", "libreoffice"], cwd=tmp_path, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not list((tmp_path / "build").glob(".docgen-staging-*/*.docx")):
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGKILL)  # docgen and its LibreOffice
    process.wait(timeout=30)
    assert list((tmp_path / "build").glob(".docgen-staging-*"))  # what a killed run leaves
    result = invoke("build", "plan.yaml", "--no-pdf", cwd=tmp_path)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "build").iterdir()) == ["plan.docx"]


def test_a_base_that_no_longer_derives_is_a_finding_not_a_crash(tmp_path):
    """Re-cascade after a town was added to the registry and to the parent's 按表 split: the saved
    base (without the town) cannot be derived any more; the merge says so and how to go on."""
    body = """\
- 任务: 推进企业安全生产标准化达标
  编号: P1
  责任单位: 各乡镇（街道）
  完成时限: 2025年底前
  指标:
    - {名称: 达标企业, 要求: 不少于, 目标值: 30, 单位: 家, 分解: {方式: 按表, 表: {青松街道: 10, 白河镇: 20}}}
"""
    header = HEADER.replace("主送: [市安委会各成员单位]", "主送: [各乡镇（街道）]")
    project(tmp_path, plan_text(body, header))
    assert invoke("cascade", "plan.yaml", "-o", "children", cwd=tmp_path).exit_code == 0
    city = tmp_path / "registry/city.yaml"
    town = city.read_text(encoding="utf-8").split("  - 名称: 白河镇\n")[1].split("  - 名称: 石桥村\n")[0]
    city.write_text(city.read_text(encoding="utf-8") + "  - 名称: 新镇\n" + town.replace("白河镇", "新镇"),
                    encoding="utf-8")
    (tmp_path / "plan.yaml").write_text(plan_text(body.replace("白河镇: 20}", "白河镇: 20, 新镇: 5}")
                                                  .replace("目标值: 30", "目标值: 35"), header), encoding="utf-8")
    result = invoke("cascade", "plan.yaml", "-o", "children", "--to", "青松街道", cwd=tmp_path)
    assert result.exit_code == 1, result.output
    assert "错误 DG505" in result.output and "无法三方合并" in result.output and "--force" in result.output
    assert "内部错误" not in result.output
    result = invoke("cascade", "plan.yaml", "-o", "children", "--to", "青松街道", "--force", cwd=tmp_path)
    assert result.exit_code == 0, result.output


def test_cascade_render_into_the_folder_it_holds(tmp_path):
    """cascade -o build --render: the render shares the lock cascade holds on build/, not refused."""
    project(tmp_path)
    result = invoke("cascade", "plan.yaml", "-o", "build", "--render", cwd=tmp_path)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "build/青松街道/plan.docx").is_file() and (tmp_path / "build/白河镇/plan.yaml").is_file()
    assert not list((tmp_path / "build").glob(".docgen-staging-*"))


def test_remind_writes_every_notice_or_none(tmp_path, monkeypatch):
    project(tmp_path)
    (tmp_path / "progress.yaml").write_text(PROGRESS.format(as_of="2025年10月1日"), encoding="utf-8")
    from docgen import files

    real, calls = files._staged, []

    def full(path, data, *rest):
        calls.append(path)
        if len(calls) == 2:
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        return real(path, data, *rest)

    monkeypatch.setattr(files, "_staged", full)
    result = invoke("remind", "plan.yaml", "--progress", "progress.yaml", "-o", "out", cwd=tmp_path)
    assert result.exit_code == 2, result.output
    assert "磁盘空间不足" in result.output and "督办.docx" in result.output and "内部错误" not in result.output
    assert not (tmp_path / "out").exists()
    monkeypatch.setattr(files, "_staged", real)
    result = invoke("remind", "plan.yaml", "--progress", "progress.yaml", "-o", "out", cwd=tmp_path)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["市应急管理局-督办.docx", "白河镇-督办.docx",
                                                                     "青松街道-督办.docx"]
