"""配合-only responsibility; functional areas (开发区, 新区, 管委会, 平台) attached at any level."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import HEADER, REGISTRY, plan_text

from docgen.checked import prepare
from docgen.config import Settings
from docgen.notify.recipients import recipients
from tests.render.helpers import composed

SUPPORT_ONLY = plan_text("""
- 标题: 配合做好上级督导检查
  内容:
    - 任务: 配合省安委会做好安全生产考核巡查
      编号: S1
      内容: 按要求提供资料，做好迎检准备。
      责任单位: {配合: [市应急管理局, 市教育局]}
      完成时限: 2025年11月底前
    - 任务: 组织开展警示教育
      编号: S2
      责任单位: {牵头: 市应急管理局, 配合: 市消防救援支队}
      完成时限: 2025年6月底前
""")


def test_support_only_units_are_printed_as_such(tmp_path):
    doc = composed(tmp_path, SUPPORT_ONLY)
    texts = [p.text for p in doc.paragraphs()]
    assert "配合单位：市应急管理局、市教育局。" in texts
    assert "责任单位：市应急管理局（牵头），市消防救援支队（配合）。" in texts


def test_support_only_units_receive_the_task_as_support(tmp_path):
    path = tmp_path / "plan.yaml"
    path.write_text(SUPPORT_ONLY, encoding="utf-8")
    ctx, result = prepare([path], Settings(root=tmp_path, registry=[REGISTRY]), base=tmp_path)
    assert not result.problems
    plan = ctx.plans[0]
    org = ctx.registry.organisation_of(plan.issuer.value)
    roles = {r.name: [(a.task.id, a.role) for a in r.tasks] for r in recipients(plan, ctx.registry, org)}
    assert roles["市教育局"] == [("S1", "配合")]
    assert ("S1", "配合") in roles["市应急管理局"] and ("S2", "牵头") in roles["市应急管理局"]


def test_an_empty_responsibility_is_a_clear_finding(tmp_path):
    path = tmp_path / "plan.yaml"
    path.write_text(SUPPORT_ONLY.replace("{配合: [市应急管理局, 市教育局]}", "{}"), encoding="utf-8")
    _, result = prepare([path], Settings(root=tmp_path, registry=[REGISTRY]), base=tmp_path)
    assert [p.message for p in result.problems] == ["“责任单位”不能为空：请写“牵头”或“配合”（至少写一项）。"]


#: An economic development zone under the city, and a platform under a street: neither is a
#: 乡镇街道 or 村社区, and each names itself in its own words.
ZONE = """\
  - 名称: 松原经济开发区
    层级: 开发区
    上级: 松原市
    用语: {全域: 全区, 本级: 开发区, 下级统称: 各园区平台, 安委会: 开发区安委会, 安委办: 开发区安委办}
    发文机关:
      - 名称: 松原经济开发区管理委员会
        发文字号前缀: 松开管
    单位:
      - 名称: 开发区安委办
        对口: [市应急管理局]
      - 名称: 建设局
        对口: [市住房和城乡建设局]
    分组:
      - 名称: 各园区平台
        全部下级: true
  - 名称: 化工园区服务平台
    层级: 平台
    上级: 松原经济开发区
    用语: {全域: 全园区, 本级: 平台, 安委会: 平台安委会, 安委办: 平台安全办}
    发文机关:
      - 名称: 松原经济开发区化工园区服务中心
        发文字号前缀: 化园服
    单位:
      - 名称: 平台安全办
        对口: [开发区安委办]
  - 名称: 青松街道智慧安全平台
    层级: 平台
    上级: 青松街道
    用语: {全域: 全平台, 本级: 平台}
"""


def project(tmp_path: Path) -> Path:
    reg = tmp_path / "registry"
    shutil.copytree(REGISTRY, reg)
    (reg / "zone.yaml").write_text("组织:\n" + ZONE, encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text('[tool.docgen]\nregistry = ["registry"]\n', encoding="utf-8")
    return tmp_path


def test_functional_areas_attach_below_any_level(tmp_path):
    root = project(tmp_path)
    path = root / "plan.yaml"
    path.write_text(SUPPORT_ONLY, encoding="utf-8")
    ctx, result = prepare([path], Settings(root=root, registry=[root / "registry"]), base=root)
    assert not result.problems, result.problems
    orgs = ctx.registry.orgs
    assert orgs["松原经济开发区"].rank == 1.5 and orgs["化工园区服务平台"].rank == 2.0
    assert orgs["青松街道智慧安全平台"].rank == 3.5
    assert "松原经济开发区" in [c.name for c in orgs["松原市"].children]


def test_a_street_cannot_sit_below_a_street_level_platform(tmp_path):
    root = project(tmp_path)
    (root / "registry/zone.yaml").write_text("组织:\n" + ZONE + """\
  - 名称: 平台下的街道
    层级: 乡镇街道
    上级: 青松街道智慧安全平台
    用语: {全域: 全街道, 本级: 街道}
""", encoding="utf-8")
    path = root / "plan.yaml"
    path.write_text(SUPPORT_ONLY, encoding="utf-8")
    _, result = prepare([path], Settings(root=root, registry=[root / "registry"]), base=root)
    assert any(p.code == "DG203" and "平台下的街道" in p.message for p in result.problems), result.problems


CITY_PLAN = HEADER.replace("主送: [市安委会各成员单位]", "主送: [各乡镇（街道）]") + """\
  - 段落: 市安委会部署全市重点工作。
  - 任务: 开展危险化学品企业隐患排查
    编号: A1
    责任单位: {牵头: 市应急管理局, 配合: 各乡镇（街道）}
    完成时限: 2025年9月底前
"""


def test_cascade_reaches_a_development_zone_in_its_own_words(tmp_path, run):
    root = project(tmp_path)
    (root / "plan.yaml").write_text(CITY_PLAN, encoding="utf-8")
    result = run("cascade", "plan.yaml", "--to", "松原经济开发区", "--into", ".", cwd=root)
    assert result.exit_code == 0, result.output
    child = (root / "松原经济开发区/plan.yaml").read_text(encoding="utf-8")
    assert "开发区安委会部署全区重点工作" in child
    assert "发文机关: 松原经济开发区管理委员会" in child and "开发区安委办" in child
    result = run("cascade", "松原经济开发区/plan.yaml", "--to-level", "平台", "--into", "松原经济开发区", cwd=root)
    assert result.exit_code == 0, result.output
    assert "平台安全办" in (root / "松原经济开发区/化工园区服务平台/plan.yaml").read_text(encoding="utf-8")
