"""`docgen collect DATA` reads what units submitted online as it reads returned ledgers, and
`docgen report` writes the 通报 from it; a bad stored value gets the ledger's own finding."""

from __future__ import annotations

import json

import yaml

from tests.serve.helpers import ROOT, fill, unit_links

PLAN = "plans/city/three-year-plan.yaml"


def test_collect_a_data_folder_then_report(client, served, run, tmp_path):
    links = unit_links(served)
    fill(client, links["东湖街道"], "T12", status="已完成", done_date="2025-06-20", progress="托管 12 家", figure0="12")
    fill(client, links["西岭街道"], "T12", action="draft", progress="只是草稿")  # a draft is not collected
    first = next(iter(links))
    first_task = served.catalogue.units[first].items[0].id
    fill(client, links[first], first_task, progress="已印发方案")
    data = served.links_path.parent
    out = tmp_path / "progress.yaml"
    result = run("collect", data, "-o", out, "--as-of", "2025-06-30", cwd=ROOT)
    assert result.exit_code == 0, result.output
    progress = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert progress["进展"]["T12"] == {"东湖街道": {
        "完成状态": "已完成", "进展情况": "托管 12 家", "完成日期": "2025年6月20日",
        "备注": "指标完成：开展安全生产托管服务的小微企业12家；填报人：张明，13800000000"}}
    assert progress["进展"][first_task][first]["进展情况"] == "已印发方案"
    assert "西岭街道" not in json.dumps(progress, ensure_ascii=False)
    # the tasks a unit has not submitted are missing (a warning, as for a ledger without the row)
    assert "DG605" in result.output and "在线填报：东湖街道" in result.output
    report = run("report", PLAN, "--progress", out, "-o", tmp_path / "report", cwd=ROOT)
    assert report.exit_code == 0, report.output
    assert (tmp_path / "report" / "three-year-plan-进展通报.docx").is_file()
    data_file = (tmp_path / "report" / "three-year-plan-进展通报数据.yaml").read_text(encoding="utf-8")
    assert "东湖街道" in data_file


def test_a_bad_stored_value_gets_the_ledger_finding(client, served, run, tmp_path):
    links = unit_links(served)
    fill(client, links["东湖街道"], "T12", status="已完成", done_date="2025-06-20")
    # a value the form never accepts, written into the database behind the app's back
    with served.store.transaction():
        served.store.execute("UPDATE entries SET submitted = ? WHERE unit = ?",
                             (json.dumps({"status": "已办结", "done_date": "2025-13-01", "progress": "",
                                          "figures": {}, "reporter": "", "phone": ""}), "东湖街道"))
    result = run("collect", served.links_path.parent, "-o", tmp_path / "p.yaml", "--as-of", "2025-06-30", cwd=ROOT)
    assert result.exit_code == 1
    assert "DG603" in result.output and "完成状态“已办结”不在列表中" in result.output
    assert "DG604" in result.output and "看不懂完成日期“2025-13-01”" in result.output
    assert "（在线填报：东湖街道）:台账!F" in result.output
    assert not (tmp_path / "p.yaml").exists()


def test_collect_refuses_a_folder_that_is_not_a_data_folder(run, tmp_path):
    (tmp_path / "x").mkdir()
    result = run("collect", tmp_path / "x", "-o", tmp_path / "p.yaml", "--plan", ROOT / PLAN, cwd=ROOT)
    assert result.exit_code == 2 and "不是 docgen serve 的数据目录" in result.output


def test_two_plans_served_one_link_per_unit_collect_names_the_plan(run, tmp_path):
    from starlette.testclient import TestClient

    from docgen.jobs import serve as job
    from docgen.jobs.check import settings_for
    from tests.serve.helpers import TODAY, fill, path_of

    fire = ROOT / "plans/city/fire-grid-opinions.yaml"
    cat, problems = job.load_catalogue([ROOT / PLAN, fire], settings_for, ROOT)
    assert not problems
    started = job.start(cat, tmp_path / "data", url=None, base_url="http://testserver")
    links = unit_links(started)
    with TestClient(job.app_for(started, today=lambda: TODAY)) as client:
        page = client.get(path_of(links["东湖街道"])).text
        assert 'value="G01"' in page and 'value="T12"' in page
        assert fill(client, links["东湖街道"], "G01", plan="plans/city/fire-grid-opinions.yaml",
                    progress="网格已划分").status_code == 303
    started.store.close()
    data = tmp_path / "data"
    result = run("collect", data, "-o", tmp_path / "p.yaml", cwd=ROOT)
    assert result.exit_code == 2 and "服务了 2 个方案" in result.output and "--plan" in result.output
    result = run("collect", data, "-o", tmp_path / "p.yaml", "--plan", fire, "--as-of", "2025-06-30", cwd=ROOT)
    assert result.exit_code == 0, result.output
    progress = yaml.safe_load((tmp_path / "p.yaml").read_text(encoding="utf-8"))
    assert progress["进展"] == {"G01": {"东湖街道": {"完成状态": "推进中", "进展情况": "网格已划分", "备注": "填报人：张明，13800000000"}}}
