"""`docgen render` and `docgen build`: outputs, exit codes, and every way they can fail."""

from __future__ import annotations

import os
import stat
import subprocess
import time
from pathlib import Path

import pytest
from conftest import REGISTRY

from docgen.render import pdf

from .helpers import PLAN, write_plan
from .test_docx import HOSTILE


def _fake_soffice(folder: Path, script: str) -> Path:
    folder.mkdir(exist_ok=True)
    exe = folder / "soffice"
    exe.write_text("#!/bin/sh\n" + script + "\n", encoding="utf-8")
    exe.chmod(exe.stat().st_mode | stat.S_IEXEC)
    return folder


def _render(tmp_path, *args, env=None):
    """`docgen render ARGS --registry <test registry>` run in `tmp_path`."""
    from click.testing import CliRunner

    from docgen.cli import cli

    old = Path.cwd()
    os.chdir(tmp_path)
    try:
        return CliRunner().invoke(cli, ["render", *map(str, args), "--registry", str(REGISTRY)],
                                  catch_exceptions=False, env=env)
    finally:
        os.chdir(old)


def test_render_writes_docx_and_pdf_that_libreoffice_reads(tmp_path):
    text = PLAN.replace("内容: 每季度组织专题培训。", "内容: '每季度 " + " ".join(HOSTILE) + " 培训。'")
    plan = write_plan(tmp_path, text)
    result = _render(tmp_path, plan, "-o", tmp_path / "out", "--pdf", "--pdf-engine", "libreoffice")
    assert result.exit_code == 0, result.output
    assert result.stdout.split() == ["out/plan.docx", "out/plan.pdf"]
    printed = subprocess.run(["pdftotext", "-raw", str(tmp_path / "out" / "plan.pdf"), "-"], capture_output=True,
                             text=True, check=True).stdout.replace("\n", "").replace(" ", "")
    assert ("每季度" + "".join(HOSTILE).replace(" ", "") + "培训") in printed
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["plan.docx", "plan.pdf"]


def test_render_defaults_to_build_under_the_project(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[tool.docgen]\n", encoding="utf-8")
    plan = write_plan(tmp_path / "plans", PLAN)
    result = _render(tmp_path, plan)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "build" / "plan.docx").is_file() and not (tmp_path / "build" / "plan.pdf").exists()


def test_plan_with_errors_is_refused_and_old_output_kept(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "plan.docx").write_text("old", encoding="utf-8")
    plan = write_plan(tmp_path, PLAN.replace("责任单位: 市应急管理局\n", "责任单位: 不存在的局\n"))
    result = _render(tmp_path, plan, "-o", out)
    assert result.exit_code == 1
    assert "DG202" in result.stderr and "没有生成文件" in result.stderr
    assert (out / "plan.docx").read_text(encoding="utf-8") == "old" and len(list(out.iterdir())) == 1


def test_control_character_is_reported_with_its_place(tmp_path):
    plan = write_plan(tmp_path, PLAN.replace("内容: 每季度组织专题培训。", r'内容: "每季度组织\u0007专题培训。"'))
    result = _render(tmp_path, plan, "-o", tmp_path / "out")
    assert result.exit_code == 1
    line = PLAN.splitlines().index("            内容: 每季度组织专题培训。") + 1
    assert f"plan.yaml:{line}:17: 错误 DG408 [control-character] 文字中第 6 个字符是不可见的控制字符（U+0007）" in result.stderr
    assert not (tmp_path / "out").exists()


def test_missing_libreoffice_is_explained_and_nothing_written(tmp_path):
    plan = write_plan(tmp_path)
    empty = tmp_path / "bin"
    empty.mkdir()
    result = _render(tmp_path, plan, "-o", tmp_path / "out", "--pdf", "--pdf-engine", "libreoffice",
                     env={"PATH": str(empty)})
    assert result.exit_code == 2
    assert "没有找到 soffice" in result.stderr and "libreoffice-writer-nogui" in result.stderr
    assert not (tmp_path / "out").exists()  # nothing written; the folder the run created is removed


def test_libreoffice_failure_is_reported(tmp_path):
    plan = write_plan(tmp_path)
    fake = _fake_soffice(tmp_path / "bin", "echo 'Error: source file could not be loaded' >&2; exit 1")
    result = _render(tmp_path, plan, "-o", tmp_path / "out", "--pdf", "--pdf-engine", "libreoffice",
                     env={"PATH": f"{fake}:/usr/bin:/bin"})
    assert result.exit_code == 2
    assert "没能把 plan.docx 转换为 PDF：Error: source file could not be loaded" in result.stderr  # not the staged 000.docx


def test_libreoffice_is_stopped_at_the_time_limit(tmp_path):
    fake = _fake_soffice(tmp_path / "bin", "sleep 30")
    docx = tmp_path / "a.docx"
    docx.write_bytes(b"")
    old = os.environ["PATH"]
    os.environ["PATH"] = f"{fake}:{old}"
    try:
        began = time.monotonic()
        with pytest.raises(pdf.RenderError) as caught:
            pdf.convert([docx], tmp_path, timeout=1)
    finally:
        os.environ["PATH"] = old
    assert time.monotonic() - began < 10
    assert "1 秒内没有转换完" in caught.value.message


def test_unwritable_output_folder(tmp_path):
    plan = write_plan(tmp_path)
    (tmp_path / "file").write_text("x", encoding="utf-8")
    result = _render(tmp_path, plan, "-o", tmp_path / "file" / "out")
    assert result.exit_code == 2
    assert "无法写入输出目录" in result.stderr


def test_missing_template_names_the_plan_line(tmp_path):
    plan = write_plan(tmp_path, "模板: my-template.docx\n" + PLAN)
    result = _render(tmp_path, plan, "-o", tmp_path / "out")
    assert result.exit_code == 2
    assert "docgen: plan.yaml:1:5: 找不到模板文件" in result.stderr


def test_build_keeps_folders_and_is_reproducible(run, tmp_path):
    (tmp_path / "pyproject.toml").write_text(
        f'[tool.docgen]\npaths = ["plans"]\nregistry = ["{REGISTRY.as_posix()}"]\n', encoding="utf-8")
    write_plan(tmp_path / "plans" / "a", PLAN)
    write_plan(tmp_path / "plans" / "b", PLAN.replace("松安委〔2024〕3号", "松安委〔2024〕4号"))
    first = run("build", "--no-pdf", cwd=tmp_path)
    assert first.exit_code == 0, first.output
    outputs = sorted(p.relative_to(tmp_path).as_posix() for p in (tmp_path / "build").rglob("*.docx"))
    assert outputs == ["build/a/plan.docx", "build/b/plan.docx"]
    before = (tmp_path / "build" / "a" / "plan.docx").read_bytes()
    again = run("build", "-o", str(tmp_path / "again"), "--no-pdf", cwd=tmp_path)
    assert again.exit_code == 0 and (tmp_path / "again" / "a" / "plan.docx").read_bytes() == before
    assert not list((tmp_path / "build").glob(".docgen-*"))  # no staging folder left behind


def test_build_takes_its_arguments_as_inputs(run, tmp_path):
    """`docgen build plans/a` builds that folder into build/, never into the source tree."""
    (tmp_path / "pyproject.toml").write_text(
        f'[tool.docgen]\npaths = ["plans"]\nregistry = ["{REGISTRY.as_posix()}"]\n', encoding="utf-8")
    write_plan(tmp_path / "plans" / "a", PLAN)
    write_plan(tmp_path / "plans" / "b", PLAN.replace("松安委〔2024〕3号", "松安委〔2024〕4号"))
    result = run("build", "plans/a", "--no-pdf", cwd=tmp_path)
    assert result.exit_code == 0, result.output
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.docx")) == ["build/plan.docx"]


def test_two_plans_with_one_output_name_are_refused(tmp_path):
    from docgen.jobs.render import render
    from docgen.render import RenderError

    from .helpers import settings

    a = write_plan(tmp_path / "a", PLAN)
    b = write_plan(tmp_path / "b", PLAN.replace("松安委〔2024〕3号", "松安委〔2024〕4号"))
    with pytest.raises(RenderError) as caught:
        render([a, b], settings(tmp_path), tmp_path / "out", pdf=False, base=tmp_path)
    assert "都会生成 plan.docx" in caught.value.message
