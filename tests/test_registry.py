"""The unit registry: resolution, group expansion, level words, and structural problems (DG203)."""

from __future__ import annotations

from conftest import REGISTRY, lint

from docgen.checked import prepare
from docgen.config import Settings


def _registry(tmp_path):
    ctx, result = prepare([REGISTRY], Settings(root=tmp_path, registry=[REGISTRY]), base=tmp_path)
    assert result.clean, result.problems
    return ctx.registry


def test_groups_expand_to_units_and_sub_organisations(tmp_path):
    reg = _registry(tmp_path)
    city = reg.orgs["松原市"]
    assert reg.expand(city, "负有安全生产监督管理职责的部门") == ["市应急管理局", "市住房和城乡建设局"]
    assert reg.expand(city, "各乡镇（街道）") == ["青松街道", "白河镇"]
    assert reg.expand(reg.orgs["青松街道"], "各村（社区）") == ["石桥村", "河湾社区"]
    assert reg.resolve(city, "市应急局").name == "市应急管理局"  # alias
    assert reg.organisation_of("松原市青松街道办事处").name == "青松街道"


def test_foreign_words_are_other_levels_whole_area_and_higher_levels_words(tmp_path):
    reg = _registry(tmp_path)
    street = dict(reg.foreign_words(reg.orgs["青松街道"]))
    city = dict(reg.foreign_words(reg.orgs["松原市"]))
    assert {"全市", "市安委会", "各乡镇（街道）", "全村"} <= set(street)
    assert "各村（社区）" not in city and "全街道" in city  # lower levels' sub-unit words are fine


def test_expand_and_foreign_words_are_remembered_but_callers_get_their_own_lists(tmp_path):
    # a cascade asks both again for every child: they are computed once, and a caller that changes
    # the list it got does not change the next answer
    reg = _registry(tmp_path)
    city, street = reg.orgs["松原市"], reg.orgs["青松街道"]
    first = reg.expand(city, "各乡镇（街道）")
    first.append("别的街道")
    assert reg.expand(city, "各乡镇（街道）") == ["青松街道", "白河镇"]
    words = reg.foreign_words(street)
    words.clear()
    assert dict(reg.foreign_words(street)) == dict(reg._foreign_words(street)) != {}
    # two organisations of the same level and words share the answer; another level does not
    assert dict(reg.foreign_words(reg.orgs["白河镇"])) == dict(reg._foreign_words(reg.orgs["白河镇"]))
    assert dict(reg.foreign_words(city)) != dict(reg.foreign_words(street))


BROKEN = """\
组织:
  - 名称: 甲市
    层级: 市
    上级: 乙镇  # cycle with 乙镇
    用语: {全域: 全市, 本级: 市}
    单位:
      - 名称: 应急局
      - 名称: 应急局
    分组:
      - 名称: 部门
        成员: [应急局, 不存在的局]
  - 名称: 乙镇
    层级: 乡镇街道
    上级: 甲市
    用语: {全域: 全镇, 本级: 镇}
    单位:
      - 名称: 安办
        对口: [应急管理局]
  - 名称: 丙村
    层级: 市
    上级: 丁镇
    用语: {全域: 全村, 本级: 村}
  - 名称: 乙镇
    层级: 乡镇街道
    用语: {全域: 全镇, 本级: 镇}
"""


def test_registry_structure_problems(tmp_path):
    (tmp_path / "reg").mkdir()
    (tmp_path / "reg/r.yaml").write_text(BROKEN, encoding="utf-8")
    problems = lint(tmp_path, "文种: 工作要点\n标题: x\n发文机关: x\n正文:\n  - 段落: x\n",
                    registry=tmp_path / "reg", select=["DG203"])
    lines = {p.location.line: p.message for p in problems if p.location.file == "reg/r.yaml"}
    assert "循环" in lines[4]          # 甲市 -> 乙镇 -> 甲市
    assert "重复" in lines[8]          # duplicate unit name
    assert "不存在的局" in lines[11]   # unknown group member (column of the item)
    assert "应急管理局" in lines[17]   # counterpart missing in parent
    assert "丁镇" in lines[21]         # unknown parent, with a suggestion
    assert "重复登记" in lines[23]     # duplicate organisation
    assert "层级" in lines[2]          # 甲市 (市) sits under 乙镇 (乡镇街道)


def test_examples_registry_meets_the_issue(tmp_path):
    from conftest import ROOT
    reg_path = ROOT / "plans/registry"
    ctx, result = prepare([reg_path], Settings(root=ROOT, registry=[reg_path]), base=ROOT)
    assert result.clean, result.problems
    reg = ctx.registry
    (city,) = [o for o in reg.orgs.values() if o.level == "市"]
    assert len(city.units) >= 15
    streets = city.children
    assert len(streets) >= 3 and all(len(s.children) >= 4 for s in streets)
    for group in ("负有安全生产监督管理职责的部门", "各乡镇（街道）"):
        assert reg.expand(city, group)
    assert all(reg.expand(s, "各村（社区）") for s in streets)
    assert all(s.issuers and s.words.whole.startswith("全") for s in streets)
