"""A notify batch is published whole or not at all: names, lock, kill, SIGTERM, full disk, modes,
LibreOffice missing or hanging, Chinese file names in any locale. Each from a small crafted input."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import REGISTRY, ROOT, plan_text

from docgen import outfolder
from docgen.cli import cli

CITY = ROOT / "plans/city/three-year-plan.yaml"
DOCGEN = [sys.executable, "-m", "docgen.cli"]

BODY = """\
- 任务: 开展隐患排查
  编号: A1
  责任单位: {牵头: 市应急管理局, 配合: [市教育局, 通知汇编]}
  完成时限: 2025年9月底前
- 任务: 整治消防隐患
  编号: A2
  责任单位: 市消防救援支队
  完成时限: 2025年6月底前
"""


def project(tmp_path: Path, body: str = BODY, extra_units: tuple[str, ...] = ("通知汇编",)) -> Path:
    """A project folder: the fixture registry (plus `extra_units` in the city) and plan.yaml."""
    reg = tmp_path / "registry"
    shutil.copytree(REGISTRY, reg)
    text = (reg / "city.yaml").read_text(encoding="utf-8")
    text = text.replace("      - 名称: 市教育局\n",
                        "      - 名称: 市教育局\n" + "".join(f"      - 名称: {u}\n" for u in extra_units), 1)
    (reg / "city.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text('[tool.docgen]\nregistry = ["registry"]\n', encoding="utf-8")
    (tmp_path / "plan.yaml").write_text(plan_text(body), encoding="utf-8")
    return tmp_path


def invoke(*args, cwd: Path):
    old = Path.cwd()
    os.chdir(cwd)
    try:
        return CliRunner().invoke(cli, ["notify", *map(str, args)], catch_exceptions=False)
    finally:
        os.chdir(old)


def consistent(out: Path) -> dict:
    """The manifest of `out`, after checking that it lists exactly the folder's files with their hashes."""
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    listed = {"manifest.json"}
    for f in [f for u in manifest["units"] for f in u["files"]] + ([manifest["bundle"]] if manifest["bundle"] else []):
        assert hashlib.sha256((out / f["path"]).read_bytes()).hexdigest() == f["sha256"], f["path"]
        listed.add(f["path"])
    assert {p.name for p in out.iterdir()} == listed
    return manifest


def snapshot(out: Path) -> dict[str, bytes]:
    """The files of `out` (not the hidden folders a killed run leaves)."""
    return {p.name: p.read_bytes() for p in sorted(out.iterdir()) if p.is_file()}


# -- names -------------------------------------------------------------------------------------------


def test_a_unit_named_like_the_bundle_keeps_its_own_pdf(tmp_path):
    root = project(tmp_path)
    result = invoke("plan.yaml", "-o", "out", "--bundle", cwd=root)
    assert result.exit_code == 0, result.output
    manifest = consistent(root / "out")
    unit = next(u for u in manifest["units"] if u["unit"] == "通知汇编")
    assert {f["path"] for f in unit["files"]} == {"通知汇编-2.docx", "通知汇编-2-台账.xlsx", "通知汇编-2.pdf"}
    assert manifest["bundle"]["path"] == "通知汇编.pdf"
    from pypdf import PdfReader
    assert len(PdfReader(root / "out/通知汇编.pdf").outline) == len(manifest["units"])  # the bundle, not the unit's


# -- lock ----------------------------------------------------------------------------------------------


def test_a_second_run_on_the_same_folder_is_refused(tmp_path):
    root = project(tmp_path)
    assert invoke("plan.yaml", "-o", "out", cwd=root).exit_code == 0
    before = snapshot(root / "out")
    with outfolder.OutputFolder(root / "out", "manifest.json"):  # another run holds the folder
        result = invoke("plan.yaml", "-o", "out", "--unit", "市教育局", cwd=root)
    assert result.exit_code == 2
    assert "正被另一个 docgen 进程使用" in result.stderr and "Traceback" not in result.output
    assert snapshot(root / "out") == before


def test_two_real_runs_at_once_one_wins_and_the_folder_is_consistent(tmp_path):
    out = tmp_path / "out"
    runs = [subprocess.Popen([*DOCGEN, "notify", str(CITY), "-o", str(out), *extra], cwd=ROOT,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            for extra in ([], ["--unit", "各乡镇（街道）"])]
    results = [(p.wait(timeout=300), p.stderr.read().decode()) for p in runs]
    codes = sorted(code for code, _ in results)
    assert codes[0] == 0 and codes[1] in (0, 2), results
    if codes[1] == 2:
        assert any("正被另一个 docgen 进程使用" in err for _, err in results)
    consistent(out)


# -- kill -9, SIGTERM, orphans ----------------------------------------------------------------------


def _children(pid: int) -> set[int]:
    found = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found |= {int(c) for c in (task / "children").read_text().split()}
        except OSError:
            pass
    return found


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


def _start_and_stop(out: Path, sig: int) -> tuple[int, set[int]]:
    """Start notify -j 2 on the city plan, send `sig` once its workers exist; its exit code and workers."""
    process = subprocess.Popen([*DOCGEN, "notify", str(CITY), "-o", str(out), "-j", "2"], cwd=ROOT,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    workers: set[int] = set()
    while time.monotonic() < deadline and process.poll() is None:
        workers = _children(process.pid)
        staged = [p for d in out.glob(".docgen-staging-*") for p in d.iterdir()
                  if p.name != outfolder.TOKEN] if out.exists() else []
        if len(workers) >= 2 and staged:
            break
        time.sleep(0.02)
    assert process.poll() is None, "the run ended before it could be stopped"
    process.send_signal(sig)
    code = process.wait(timeout=60)
    return code, workers


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_a_killed_run_leaves_the_old_batch_and_no_orphans_and_a_rerun_recovers(tmp_path, sig):
    out = tmp_path / "out"
    first = invoke(CITY, "-o", out, "--unit", "各乡镇（街道）", cwd=ROOT)
    assert first.exit_code == 0
    before = snapshot(out)
    code, workers = _start_and_stop(out, sig)
    assert code == (-signal.SIGKILL if sig == signal.SIGKILL else 128 + signal.SIGTERM)
    deadline = time.monotonic() + 10
    while any(_alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert workers and not any(_alive(w) for w in workers)  # no orphan pool workers
    after = {k: v for k, v in snapshot(out).items() if not k.startswith(".")}
    assert after == before  # the previous batch untouched, still matching its manifest
    if sig == signal.SIGTERM:
        assert not [p for p in out.iterdir() if p.name.startswith(".")]  # cleaned up on the way out
    again = invoke(CITY, "-o", out, cwd=ROOT)
    assert again.exit_code == 0, again.output
    manifest = consistent(out)  # staging of the killed run removed; the earlier batch replaced
    assert len(manifest["units"]) > 4


def test_a_publish_cut_short_is_finished_by_the_next_run(tmp_path, monkeypatch):
    folder = tmp_path / "out"
    with outfolder.OutputFolder(folder, "manifest.json") as out:
        for name in ("a.docx", "b.docx"):
            out.write(name, b"old " + name.encode())
        out.write("manifest.json", json.dumps({"files": [{"path": "a.docx"}, {"path": "b.docx"}]}).encode())
        out.publish(["a.docx", "b.docx"])

    class Killed(BaseException):
        pass

    real = os.replace
    moved = []

    def dies_after_one(src, dst):
        if str(src).endswith(".docx") and moved:
            raise Killed()
        moved.append(src)
        return real(src, dst)

    with pytest.raises(Killed):
        with outfolder.OutputFolder(folder, "manifest.json") as out:
            for name in ("a.docx", "c.docx"):
                out.write(name, b"new " + name.encode())
            out.write("manifest.json", json.dumps({"files": [{"path": "a.docx"}, {"path": "c.docx"}]}).encode())
            monkeypatch.setattr(outfolder.os, "replace", dies_after_one)
            try:
                out.publish(["a.docx", "c.docx"])
            finally:
                out.staging = None  # as if killed: the staging folder stays
    monkeypatch.setattr(outfolder.os, "replace", real)
    assert not (folder / "manifest.json").exists()  # half published: no manifest describes it
    with outfolder.OutputFolder(folder, "manifest.json"):
        pass  # the next run finishes the publication first
    assert sorted(p.name for p in folder.iterdir()) == ["a.docx", "c.docx", "manifest.json"]
    assert (folder / "a.docx").read_bytes() == b"new a.docx" and (folder / "c.docx").read_bytes() == b"new c.docx"


def test_a_rerun_with_fewer_units_leaves_no_unlisted_files(tmp_path):
    root = project(tmp_path)
    assert invoke("plan.yaml", "-o", "out", cwd=root).exit_code == 0
    assert invoke("plan.yaml", "-o", "out", "--unit", "市教育局", cwd=root).exit_code == 0
    manifest = consistent(root / "out")
    assert [u["unit"] for u in manifest["units"]] == ["市教育局"]


def test_files_of_the_user_in_the_folder_are_kept(tmp_path):
    root = project(tmp_path)
    (root / "out").mkdir()
    (root / "out/说明.txt").write_text("mine", encoding="utf-8")
    assert invoke("plan.yaml", "-o", "out", cwd=root).exit_code == 0
    assert invoke("plan.yaml", "-o", "out", "--unit", "市教育局", cwd=root).exit_code == 0
    assert (root / "out/说明.txt").read_text(encoding="utf-8") == "mine"


# -- write failures --------------------------------------------------------------------------------


@pytest.mark.parametrize("code, reason", [(errno.ENOSPC, "磁盘空间不足"), (errno.EROFS, "文件系统只读")])
def test_a_write_failure_is_a_clear_message_exit_2_and_changes_nothing(tmp_path, monkeypatch, code, reason):
    root = project(tmp_path)
    assert invoke("plan.yaml", "-o", "out", cwd=root).exit_code == 0
    before = snapshot(root / "out")
    calls = []

    def failing_open(path, mode="r", *args, **kwargs):
        calls.append(path)
        if len(calls) == 3:
            raise OSError(code, os.strerror(code), str(path))
        return open(path, mode, *args, **kwargs)

    monkeypatch.setattr(outfolder, "open", failing_open, raising=False)
    result = invoke("plan.yaml", "-o", "out", cwd=root)
    assert result.exit_code == 2, result.output
    assert reason in result.stderr and "Traceback" not in result.output and "内部错误" not in result.output
    assert "staging" not in result.stderr and "无法写入 out/" in result.stderr  # the name the user will see
    assert snapshot(root / "out") == before


# -- modes -----------------------------------------------------------------------------------------


def test_every_file_gets_the_same_mode_as_render_writes(tmp_path):
    root = project(tmp_path)
    old = os.umask(0o022)
    try:
        assert invoke("plan.yaml", "-o", "out", cwd=root).exit_code == 0
        from docgen.files import atomic_write  # collect, report, remind and cascade write with it
        atomic_write(root / "x.yaml", "a: 1\n")
    finally:
        os.umask(old)
    modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in [*(root / "out").iterdir(), root / "x.yaml"]}
    assert set(modes.values()) == {0o644}, modes


# -- LibreOffice missing, hanging; any locale --------------------------------------------------------


def _fake_soffice(folder: Path, script: str) -> dict:
    folder.mkdir()
    fake = folder / "soffice"
    fake.write_text("#!/bin/sh\n" + script, encoding="utf-8")
    fake.chmod(0o755)
    return dict(os.environ, PATH=f"{folder}:/usr/bin:/bin")


def test_a_hanging_libreoffice_stops_at_the_timeout_and_publishes_nothing(tmp_path):
    root = project(tmp_path)
    env = _fake_soffice(tmp_path / "bin", "sleep 600\n")
    start = time.monotonic()
    result = subprocess.run([*DOCGEN, "notify", "plan.yaml", "-o", "out", "--pdf", "--pdf-engine", "libreoffice",
                             "--timeout", "2"],
                            cwd=root, env={**env, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 2, result.stderr
    assert time.monotonic() - start < 60
    assert "2 秒" in result.stderr and "--timeout" in result.stderr and "Traceback" not in result.stderr
    assert "000" not in result.stderr and "staging" not in result.stderr  # names the user's files
    assert ".docx" in result.stderr
    assert not (root / "out").exists()  # nothing published; the folder the run created is removed


def test_without_libreoffice_nothing_is_written(tmp_path):
    root = project(tmp_path)
    env = {**os.environ, "PATH": str(tmp_path / "empty"), "PYTHONPATH": str(ROOT)}
    result = subprocess.run([*DOCGEN, "notify", "plan.yaml", "-o", "out", "--pdf", "--pdf-engine", "libreoffice"],
                            cwd=root, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2 and "没有找到 soffice" in result.stderr
    assert not (root / "out").exists()


def test_chinese_file_names_convert_whatever_the_locale(tmp_path):
    root = project(tmp_path)
    env = {**os.environ, "LANG": "zz_ZZ.UTF-8", "LC_ALL": "zz_ZZ.UTF-8", "PYTHONPATH": str(ROOT)}
    result = subprocess.run([*DOCGEN, "notify", "plan.yaml", "-o", "输出", "--pdf", "--pdf-engine", "libreoffice"],
                            cwd=root, env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    manifest = consistent(root / "输出")
    assert {"市应急管理局.pdf", "通知汇编-2.pdf"} <= {f["path"] for u in manifest["units"] for f in u["files"]}
    assert "每秒" in result.stderr  # documents per second reported


def test_a_broken_template_stops_before_any_output_even_in_parallel(tmp_path):
    from conftest import HEADER

    root = project(tmp_path)
    (root / "plan.yaml").write_text(plan_text(BODY, HEADER.replace("正文:\n", "模板: 红头.docx\n正文:\n")),
                                    encoding="utf-8")
    (root / "红头.docx").write_bytes(b"not a word file")
    result = invoke("plan.yaml", "-o", "out", "-j", "2", cwd=root)
    assert result.exit_code == 2 and "红头.docx" in result.stderr and "不是有效的 Word 文件" in result.stderr
    assert not (root / "out").exists()
