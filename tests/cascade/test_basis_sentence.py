"""A cascaded draft's opening paragraph cites the parent plan (title and 发文字号), not the document the
parent cited; a draft is reported (DG409) until it has a 发文字号 and a 成文日期."""

from __future__ import annotations

from conftest import ROOT

from docgen.cascade.derive import derive
from docgen.checked import prepare, prepare_text
from docgen.config import Settings

CITY = ROOT / "plans/city/three-year-plan.yaml"
CITY_NOTICE = "《清溪市安全生产委员会关于印发〈清溪市安全生产治本攻坚三年行动实施方案〉的通知》（清安委〔2024〕3号）"


def _derive(text: str | None = None):
    settings = Settings(root=ROOT, registry=[ROOT / "plans/registry"])
    if text is None:
        ctx, result = prepare([CITY], settings, base=ROOT)
    else:
        ctx, result = prepare_text(CITY, text, settings, base=ROOT)
    assert not [p for p in result.problems if p.severity.value == "error"], result.problems
    parent = ctx.plans[0]
    street = ctx.registry.orgs["东湖街道"]
    return derive(parent, ctx.registry, street, "../three-year-plan.yaml")


def test_opening_paragraph_cites_the_parent_plan():
    derived = _derive()
    opening = derived.data["正文"][0]["段落"]
    assert f"按照{CITY_NOTICE}要求" in opening
    assert "江岚省" not in opening and "江安委" not in opening
    # The rest of the sentence is the parent's, with level words rewritten.
    assert opening.startswith("为深入贯彻落实党中央、国务院关于安全生产工作的决策部署，按照")
    assert "推动全街道安全生产工作" in opening
    assert not any("依据" in note for note in derived.notes)


def test_parent_without_number_is_cited_by_title():
    text = CITY.read_text(encoding="utf-8").replace("发文字号: 清安委〔2024〕3号\n", "", 1)
    opening = _derive(text).data["正文"][0]["段落"]
    assert "按照《清溪市安全生产委员会关于印发〈清溪市安全生产治本攻坚三年行动实施方案〉的通知》要求" in opening


def test_opening_without_a_citation_is_left_to_the_drafter():
    text = CITY.read_text(encoding="utf-8")
    cited = "按照《江岚省安全生产委员会关于印发〈江岚省安全生产治本攻坚三年行动方案（2024—2026年）〉的通知》（江安委〔2024〕2号）要求，"
    assert cited in text
    derived = _derive(text.replace(cited, "", 1))
    assert CITY_NOTICE not in derived.data["正文"][0]["段落"]
    assert any(note.startswith("开篇段落没有引用上级方案所依据的文件") and CITY_NOTICE in note for note in derived.notes)
