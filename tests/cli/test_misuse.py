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
