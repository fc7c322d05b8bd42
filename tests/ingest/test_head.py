"""The head and foot of real documents (WPS-like text: 标志 over two lines, a joint 标志, full-width
digits, a 发文字号 broken over lines, 版记 on one line) and tasks whose units are the subject."""

from __future__ import annotations

from pathlib import Path

from ruamel.yaml import YAML

from docgen.config import Settings
from docgen.jobs.imports import import_documents
from tests.conftest import ROOT

HEADS = Path(__file__).resolve().parent / "fixtures" / "heads"
SETTINGS = Settings(root=ROOT, registry=[ROOT / "plans" / "registry"])


def _import(tmp_path: Path, name: str):
    outcome = import_documents([HEADS / name], SETTINGS, out=tmp_path / "plan.yaml", base=tmp_path)
    return outcome, YAML(typ="safe").load(outcome.written.read_text(encoding="utf-8"))


def test_mark_over_two_lines_and_a_number_broken_over_lines(tmp_path):
    outcome, plan = _import(tmp_path, "two-line-mark.txt")
    assert plan["发文机关"] == "清溪市安全生产委员会办公室"
    assert "版头" not in plan  # the 标志 was found
    assert plan["发文字号"] == "清安委办〔2024〕1号"
    assert plan["签发人"] == "张某某"
    assert plan["标题"] == "清溪市安全生产委员会办公室关于开展城镇燃气安全专项排查整治的通知"
    assert plan["主送"] == ["各区县人民政府", "市安委会各成员单位"]
    assert (plan["印发机关"], plan["印发日期"]) == ("清溪市安全生产委员会办公室", "2024年4月11日")
    assert not [p for p in outcome.problems if p.code == "DG705" and "版头前" in p.message]


def test_joint_mark_with_file_beside_and_closing_on_one_line(tmp_path):
    _, plan = _import(tmp_path, "joint-mark.txt")
    assert plan["发文机关"] == "清溪市应急管理局"
    assert plan["联合发文机关"] == ["清溪市住房和城乡建设局"]
    assert plan["发文字号"] == "清应急〔2024〕7号"
    assert plan["抄送"] == ["市防汛抗旱指挥部办公室"]
    assert (plan["印发机关"], plan["印发日期"]) == ("清溪市应急管理局办公室", "2024年5月21日")


def _tasks(items):
    for item in items:
        if "任务" in item:
            yield item
        yield from _tasks(item.get("内容") if isinstance(item.get("内容"), list) else [])


def test_opinion_items_are_tasks_and_subject_units_are_their_units(tmp_path):
    outcome, plan = _import(tmp_path, "opinion-subjects.txt")
    tasks = {t["任务"]: t for t in _tasks(plan["正文"])}
    assert list(tasks) == ["着力推进管网更新", "强化用户端治理", "落实属地责任", "规范瓶装液化气", "完善检测体系"]
    assert tasks["着力推进管网更新"]["责任单位"] == {"牵头": "市住房和城乡建设局", "配合": "市城市管理局"}
    assert tasks["强化用户端治理"]["责任单位"] == "市城市管理局"
    assert tasks["强化用户端治理"]["正文写明"] == ["责任单位"]  # printed once, in the sentence
    assert "责任单位" not in tasks["规范瓶装液化气"]
    gaps = [p for p in outcome.problems if p.code == "DG201"]
    assert len(gaps) == 3


def test_a_subject_unit_the_registry_does_not_know_is_a_located_finding(tmp_path):
    source = tmp_path / "来文.txt"
    source.write_text("清溪市2026年燃气安全工作要点\n一、重点任务\n1.推进管网改造。由市燃气改造专班负责，2026年底前完成。\n",
                      encoding="utf-8")
    outcome = import_documents([source], SETTINGS, out=tmp_path / "plan.yaml", base=tmp_path)
    found = [p for p in outcome.problems if "市燃气改造专班" in p.message and p.code == "DG706"]
    assert found and "（第3行）" in found[0].message


def test_items_under_stage_and_requirement_headings_stay_sections(tmp_path):
    source = tmp_path / "来文.txt"
    source.write_text("清溪市2026年燃气安全实施方案\n一、实施步骤\n（一）动员部署。召开会议。\n（二）总结提升。形成报告。\n",
                      encoding="utf-8")
    outcome = import_documents([source], SETTINGS, out=tmp_path / "plan.yaml", base=tmp_path)
    assert outcome.tasks == 0


def test_kind_bulletin_keeps_its_table_as_a_body_table_and_renders(tmp_path):
    from docgen.jobs.render import render

    blind = Path(__file__).resolve().parent / "fixtures" / "blind"
    settings = Settings(root=tmp_path, registry=[blind.parent / "registry"])
    out = tmp_path / "通报.yaml"
    outcome = import_documents([blind / "situation-bulletin.txt"], settings, out=out, kind="通报", base=tmp_path)
    plan = YAML(typ="safe").load(out.read_text(encoding="utf-8"))
    assert plan["文种"] == "通报"
    tables = [b for s in plan["正文"] if isinstance(s, dict) for b in s.get("内容", []) if "列" in b]
    assert len(tables) == 1 and tables[0]["列"][0] == "单位" and len(tables[0]["行"]) == 5
    assert not [p for p in outcome.problems if p.severity.value == "error"]
    written = render([out], settings, tmp_path / "out", pdf=False, base=tmp_path)
    assert [p.suffix for p in written.files] == [".docx"]


def test_web_frame_never_reaches_the_plan_and_its_number_row_is_read(tmp_path):
    outcome, plan = _import(tmp_path, "web-frame.txt")
    text = (tmp_path / "plan.yaml").read_text(encoding="utf-8")
    for frame in ("分享", "微信", "微博", "扫一扫", "https://", "举报", "留言", "姓名", "提交", "版权所有", "网站首页", "浏览次数"):
        assert frame not in text.split("正文:", 1)[1], frame
    assert plan["发文字号"] == "清安委〔2025〕3号"
    assert plan["主送"] == ["各区县人民政府", "市安委会各成员单位"]
    assert plan["正文"][0] == {"段落": "为深入开展安全生产月活动，现将有关事项通知如下。"}
    assert not [p for p in outcome.problems if "正文之后的文字" in p.message]
    tasks = list(_tasks(plan["正文"]))
    assert tasks[0]["责任单位"] == "市应急管理局"  # "…，市应急管理局牵头。"


def test_a_plan_from_a_city_not_in_the_registry_gets_a_proposed_registry_that_checks(tmp_path, run):
    reg = tmp_path / "reg"
    result = run("import", str(HEADS / "unregistered-city.txt"), "-o", str(tmp_path / "plan.yaml"),
                 "--registry", str(ROOT / "plans" / "registry"), "--propose-registry", str(reg / "songjiang.yaml"))
    assert result.exit_code == 1, result.output  # the issuer is not registered: a finding
    assert "拟定的单位库写到" in result.stderr
    proposed = YAML(typ="safe").load((reg / "songjiang.yaml").read_text(encoding="utf-8"))
    city, *towns = proposed["组织"]
    assert (city["名称"], city["层级"], city["用语"]["下级统称"]) == ("松江市", "市", "各镇（街道）")
    assert city["发文机关"] == [{"名称": "松江市安全生产委员会", "标志": "松江市安全生产委员会文件", "发文字号前缀": "松安委"}]
    assert [u["名称"] for u in city["单位"]] == ["市住建局", "市委办公室", "市政府办公室"]
    assert [(t["名称"], t["层级"], t["上级"]) for t in towns] == [
        ("城东街道", "乡镇街道", "松江市"), ("城西街道", "乡镇街道", "松江市"), ("江口镇", "乡镇街道", "松江市"),
        ("新桥镇", "乡镇街道", "松江市")]
    checked = run("check", "--registry", str(reg), str(tmp_path / "plan.yaml"), str(reg / "songjiang.yaml"))
    assert checked.exit_code == 0, checked.output


def test_yearly_rates_become_a_target_by_year_printed_once(tmp_path):
    from docgen.checked import prepare
    from docgen.compose import compose

    outcome, plan = _import(tmp_path, "yearly-rates.txt")
    first, second = _tasks(plan["正文"])
    assert first["指标"] == [{"名称": "规上企业达标率", "要求": "达到", "目标值": 100, "单位": "%",
                             "分年度": {2025: 60, 2026: 80, 2027: 100}}]
    assert second["指标"][0]["名称"] == "企业粉尘浓度检测率" and second["指标"][0]["分年度"] == {2025: 50, 2026: 90}
    assert "指标" in first["正文写明"]
    ctx, _ = prepare([outcome.written], SETTINGS, base=tmp_path)
    document = compose(ctx.plans[0], ctx.registry)
    printed = "\n".join("".join(run.text for run in p.runs) for p in document.body if hasattr(p, "runs"))
    assert printed.count("规上企业达标率") == 1  # the sentence says it; the target is not printed again


def test_a_named_period_of_the_registry_in_a_tasks_text_is_its_deadline(tmp_path):
    source = tmp_path / "来文.txt"
    source.write_text("清溪市2025年防汛安全工作要点\n一、重点任务\n1.排查山洪隐患点。对山洪沟道逐一排查，主汛期前完成。\n"
                      "责任单位：市水利局\n", encoding="utf-8")
    outcome = import_documents([source], SETTINGS, out=tmp_path / "plan.yaml", base=tmp_path)
    (task,) = _tasks(YAML(typ="safe").load(outcome.written.read_text(encoding="utf-8"))["正文"])
    assert task["完成时限"] == "主汛期前" and task["正文写明"] == ["完成时限"]
    assert not [p for p in outcome.problems if p.severity.value == "error"]


def test_file_word_beside_a_joint_mark_read_before_the_second_organ():
    from docgen.ingest.blocks import Line
    from docgen.ingest.head import read_head

    lines = [Line(t, f"第{i}行") for i, t in enumerate(
        ["清溪市安全生产委员会", "文件清溪市减灾委员会", "清安委〔2025〕6号", "关于做好汛期安全防范工作的通知"], 1)]
    head, used = read_head(lines)
    assert used == 3 and head.marks == ["清溪市安全生产委员会", "清溪市减灾委员会"] and head.file_word
    assert head.doc_number == "清安委〔2025〕6号"


def test_quotas_by_town_and_date_become_a_phased_target(tmp_path):
    outcome, plan = _import(tmp_path, "phased-by-town.txt")
    (task,) = _tasks(plan["正文"])
    (target,) = task["指标"]
    assert target["名称"] == "完成网格化管理全覆盖的乡镇（街道）" and target["目标值"] == 4
    assert target["分期"] == [{"时限": "2025年底前", "单位": ["东湖街道", "西岭街道"]},
                             {"时限": "2026年6月底前", "单位": ["南河镇"]}, {"时限": "2026年底前", "单位": ["北山镇"]}]
    assert "指标" in task["正文写明"]
    assert not [p for p in outcome.problems if p.severity.value == "error"]


def test_a_web_copy_without_head_or_signature_takes_the_publisher_of_its_details(tmp_path):
    source = tmp_path / "来文.txt"
    source.write_text("当前位置：首页 > 通知公告\n清溪市城管系统2025年安全生产工作意见\n"
                      "发布时间：2025-03-01　录入：清溪市城市管理局\n一、工作重点\n（一）开展燃气排查。逐店检查。\n",
                      encoding="utf-8")
    outcome = import_documents([source], SETTINGS, out=tmp_path / "plan.yaml", base=tmp_path)
    plan = YAML(typ="safe").load(outcome.written.read_text(encoding="utf-8"))
    assert plan["发文机关"] == "清溪市城市管理局"
    assert plan["成文日期"] == "2025年3月1日"
    assert any("清溪市城市管理局" in p.message and p.code == "DG706" for p in outcome.problems)


def test_copy_number_secrecy_and_urgency_above_the_mark(tmp_path):
    source = tmp_path / "来文.txt"
    source.write_text("000123\n机密★1年\n特急\n清溪市安全生产委员会文件\n清安委〔2025〕9号　签发人：李某　王某\n"
                      "关于开展危险化学品安全专项检查的通知\n各乡镇人民政府、街道办事处：\n现将有关事项通知如下。\n"
                      "一、检查范围\n全市危险化学品企业。\n清溪市安全生产委员会\n2025年6月1日\n", encoding="utf-8")
    outcome = import_documents([source], SETTINGS, out=tmp_path / "plan.yaml", base=tmp_path)
    plan = YAML(typ="safe").load(outcome.written.read_text(encoding="utf-8"))
    assert (plan["份号"], plan["密级"], plan["保密期限"], plan["紧急程度"]) == ("000123", "机密", "1年", "特急")
    assert plan["发文字号"] == "清安委〔2025〕9号" and plan["签发人"] == ["李某", "王某"]
    assert plan["发文机关"] == "清溪市安全生产委员会" and "版头" not in plan


def test_a_word_a_tampered_page_puts_before_the_issuers_name_is_taken_off(tmp_path):
    source = tmp_path / "来文.txt"
    source.write_text("彩票广告\n当前位置：首页 > 通知公告\n彩票广告：清溪市东湖街道办事处关于开展出租房消防检查的通知\n"
                      "各社区居委会：\n现将有关事项通知如下。\n一、检查范围\n辖区全部出租房。\n彩票广告：清溪市东湖街道办事处\n"
                      "2025年3月2日\n", encoding="utf-8")
    outcome = import_documents([source], SETTINGS, out=tmp_path / "plan.yaml", base=tmp_path)
    text = outcome.written.read_text(encoding="utf-8")
    plan = YAML(typ="safe").load(text)
    assert "彩票广告" not in text.split("正文:", 1)[0].split("\n来源", 1)[1] and "彩票广告" not in plan["标题"]
    assert plan["标题"] == "清溪市东湖街道办事处关于开展出租房消防检查的通知"
    assert any("彩票广告：" in p.message and p.code == "DG705" for p in outcome.problems)
