"""`docgen diff` of unit registries (units added, renamed, moved, 对口 changed) and of a 挂牌督办通知."""

from __future__ import annotations

import json
import shutil

from conftest import ROOT


def _registry_pair(tmp_path):
    old = tmp_path / "old.yaml"
    shutil.copy(ROOT / "plans/registry/beishan.yaml", old)
    text = old.read_text(encoding="utf-8")
    text = text.replace("      - 名称: 环保站\n        全称: 北山镇生态环境保护站", "      - 名称: 生态环境站\n        全称: 北山镇生态环境保护站")
    text = text.replace("        对口: [市交通运输局]", "        对口: [市交通运输局, 市公安局]")
    text = text.replace("      - 名称: 镇总工会", "      - 名称: 团委\n        全称: 共青团北山镇委员会\n      - 名称: 镇总工会")
    new = tmp_path / "new.yaml"
    new.write_text(text, encoding="utf-8")
    return old, new


def test_registry_diff_names_units_added_renamed_and_counterparts(tmp_path, run):
    _registry_pair(tmp_path)
    result = run("diff", "old.yaml", "new.yaml", cwd=tmp_path)
    assert result.exit_code == 1, result.output
    lines = result.stdout.splitlines()
    assert "〔北山镇〕" in lines
    assert any(line.startswith("~ 单位“生态环境站”：名称由“环保站”调整为“生态环境站”") for line in lines)
    assert any(line.startswith("+ 单位“团委”：新增单位") for line in lines)
    assert any(line.startswith("~ 单位“交通管理站”：对口增加“市公安局”") for line in lines)


def test_a_unit_moved_to_another_organisation(tmp_path, run):
    shutil.copy(ROOT / "plans/registry/beishan.yaml", tmp_path / "a.yaml")
    shutil.copy(ROOT / "plans/registry/nanhe.yaml", tmp_path / "b.yaml")
    old = (tmp_path / "a.yaml").read_text(encoding="utf-8") + "\n" + "\n".join(
        (tmp_path / "b.yaml").read_text(encoding="utf-8").split("\n组织:\n", 1)[1:])
    old = old.replace("      - 名称: 镇总工会\n        全称: 北山镇总工会", "      - 名称: 镇团委\n        全称: 北山镇团委\n"
                      "      - 名称: 镇总工会\n        全称: 北山镇总工会", 1)
    new = old.replace("      - 名称: 镇团委\n        全称: 北山镇团委\n", "", 1)
    new = new.replace("      - 名称: 镇总工会\n        全称: 南河镇总工会", "      - 名称: 镇团委\n        全称: 北山镇团委\n"
                      "      - 名称: 镇总工会\n        全称: 南河镇总工会", 1)
    (tmp_path / "old.yaml").write_text(old, encoding="utf-8")
    (tmp_path / "new.yaml").write_text(new, encoding="utf-8")
    result = run("diff", "old.yaml", "new.yaml", "--format", "json", cwd=tmp_path)
    assert result.exit_code == 1, result.output
    changes = json.loads(result.stdout)["files"][0]["changes"]
    assert [(c["kind"], c["note"]) for c in changes] == [("moved", "由“北山镇”调至“南河镇”")]


def test_a_hazard_notice_is_compared_like_a_plan(tmp_path, run):
    for name in ("2025-hazards-notice.yaml", "2025-hazards-data.yaml"):
        shutil.copy(ROOT / "plans/bulletins" / name, tmp_path / name)
    old = tmp_path / "2025-hazards-notice.yaml"
    new = tmp_path / "new-notice.yaml"
    new.write_text(old.read_text(encoding="utf-8").replace("每月调度一次", "每半月调度一次"), encoding="utf-8")
    result = run("diff", old.name, new.name, cwd=tmp_path)
    assert result.exit_code == 1, result.output
    assert "《关于对2025年第三批重大事故隐患实行挂牌督办的通知》：1 处修改（改写 1）" in result.stdout
    assert "每{+半+}月调度一次" in result.stdout


def test_a_target_whose_years_no_longer_add_up_is_pointed_out(tmp_path, run):
    old = tmp_path / "old.yaml"
    shutil.copy(ROOT / "plans/city/three-year-plan.yaml", old)
    text = old.read_text(encoding="utf-8")
    at = text.index("编号: T12")
    end = text.index("目标值: 50", at)
    (tmp_path / "new.yaml").write_text(text[:end] + "目标值: 60" + text[end + len("目标值: 50"):], encoding="utf-8")
    result = run("diff", "old.yaml", "new.yaml", cwd=tmp_path)
    assert "目标值由50家调整为60家（注意：分年度合计50家，与目标值60家不符）" in result.stdout
    shutil.copytree(ROOT / "plans/registry", tmp_path / "plans/registry")
    (tmp_path / "pyproject.toml").write_text('[tool.docgen]\nregistry = ["plans/registry"]\n', encoding="utf-8")
    check = run("check", "new.yaml", cwd=tmp_path)
    assert check.exit_code == 1 and " DG112 " in check.stdout
