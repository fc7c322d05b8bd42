"""Commands used wrongly: a clear message and exit 2, never a traceback or an internal error."""

from __future__ import annotations

import pytest
from conftest import ROOT

REGISTRY_FILE = "plans/registry/qingxi.yaml"
CITY = "plans/city/three-year-plan.yaml"


@pytest.mark.parametrize("args", [
    ["render", REGISTRY_FILE],
    ["notify", REGISTRY_FILE],
    ["cascade", REGISTRY_FILE],
    ["report", REGISTRY_FILE, "--progress", REGISTRY_FILE],
    ["remind", REGISTRY_FILE, "--progress", REGISTRY_FILE],
])
def test_a_registry_given_as_a_plan_is_a_usage_error(run, args, tmp_path):
    result = run(*args, "-o", tmp_path / "out", cwd=ROOT)
    assert result.exit_code == 2, result.output
    assert "是单位库文件，不是方案" in result.output
    assert not (tmp_path / "out").exists()


def test_an_unwritable_output_folder_is_explained(run, tmp_path):
    blocker = tmp_path / "file.txt"
    blocker.write_text("x", encoding="utf-8")
    result = run("cascade", CITY, "-o", blocker / "sub", cwd=ROOT)
    assert result.exit_code == 2
    assert "无法写入" in result.stderr and "不是目录" in result.stderr


@pytest.mark.parametrize("shape", ["dangling", "loop"])
@pytest.mark.parametrize("args", [
    ["cascade", CITY],
    ["render", "plans/city/work-points-2025.yaml"],
    ["build", "plans/city/work-points-2025.yaml"],
    ["notify", "plans/city/work-points-2025.yaml", "--unit", "东湖街道"],
    ["import", "tests/ingest/fixtures/street-notice.txt"],
])
def test_an_output_path_that_is_a_broken_symlink_is_refused(run, args, shape, tmp_path):
    """-o naming a symlink that points nowhere, or at itself: exit 2, said in Chinese, nothing
    written anywhere (cascade used to create the link's target folder and write through it)."""
    link = tmp_path / "输出"
    target = tmp_path / "别处" / "不存在"
    link.symlink_to(target if shape == "dangling" else link)
    result = run(*args, "-o", link, cwd=ROOT)
    if args[0] == "import" and shape == "dangling":  # a file: the dangling link is replaced by it
        assert result.exit_code in (0, 1), result.output
        assert link.is_file() and not link.is_symlink()
        return
    assert result.exit_code == 2, result.output
    assert "符号链接" in result.output and "内部错误" not in result.output, result.output
    assert not (tmp_path / "别处").exists()
