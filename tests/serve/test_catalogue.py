"""What each unit is asked to report: its own phase's deadline, its share of a split target, late marks;
and the `docgen serve` command line (plans with errors, admin subcommands)."""

from __future__ import annotations

import datetime as dt

from starlette.testclient import TestClient

from docgen.cascade import targets as splits
from docgen.jobs import serve as job
from docgen.jobs.check import settings_for
from tests.serve.helpers import ROOT, path_of, unit_links

FIRE = ROOT / "plans" / "city" / "fire-grid-opinions.yaml"


def test_a_phased_target_gives_each_unit_its_own_phase_deadline():
    cat, problems = job.load_catalogue([FIRE], settings_for, ROOT)
    assert not problems
    g01 = {name: cat.units[name].item("plans/city/fire-grid-opinions.yaml", "G01")
           for name in ("东湖街道", "南河镇", "北山镇")}
    assert g01["东湖街道"].deadline == "2025年底前" and g01["东湖街道"].due == dt.date(2025, 12, 31)
    assert g01["南河镇"].deadline == "2026年6月底前" and g01["南河镇"].due == dt.date(2026, 6, 30)
    assert g01["北山镇"].deadline == "2026年底前"
    assert g01["南河镇"].targets[0].own == "2026年6月底前达到100%"


def test_a_split_target_gives_each_unit_the_share_cascade_gives(catalogue):
    served = catalogue.plans["plans/city/three-year-plan.yaml"]
    t12 = served.plan.task_by_id()["T12"].targets[0]
    shares = splits.shares(t12, served.org)
    for unit in ("东湖街道", "西岭街道", "南河镇", "北山镇"):
        own = catalogue.units[unit].item(served.key, "T12").targets[0].own
        assert own.startswith(f"不少于{splits._num(shares[unit].value)}家")
    assert sum(s.value for s in shares.values()) == t12.value
    # a department (not a sub-organisation) sees the whole target
    assert catalogue.units["市应急管理局"].item(served.key, "T12").targets[0].own == ""


def test_late_items_are_marked(served):
    link = path_of(unit_links(served)["东湖街道"])
    with TestClient(job.app_for(served, today=lambda: dt.date(2030, 1, 1))) as client:
        page = client.get(link).text
    dated = [i for i in served.catalogue.units["东湖街道"].items if i.due]
    assert page.count("已逾期") == len(dated) > 0
    with TestClient(job.app_for(served, today=lambda: dt.date(2024, 1, 1))) as client:
        assert "已逾期" not in client.get(link).text


def test_serve_command_line(run, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text((ROOT / "plans/city/work-points-2025.yaml").read_text(encoding="utf-8").replace("发文机关:", "发文机关x:", 1),
                   encoding="utf-8")
    result = run("serve", bad, "--data", tmp_path / "d", cwd=ROOT)
    assert result.exit_code == 1 and "方案有错误" in result.output
    result = run("serve", "account", "--data", tmp_path / "none", "值班员", cwd=ROOT)
    assert result.exit_code == 2 and "不是 docgen serve 的数据目录" in result.output
    data = tmp_path / "data"
    cat, _ = job.load_catalogue([ROOT / "plans/city/three-year-plan.yaml"], settings_for, ROOT)
    job.start(cat, data, url=None, base_url="http://127.0.0.1:9").store.close()
    from click.testing import CliRunner

    from docgen.cli import cli

    short = CliRunner().invoke(cli, ["serve", "account", "--data", str(data), "值班员", "--password-stdin"], input="123\n")
    assert short.exit_code == 2 and "密码至少 10 个字符" in short.output
    ok = CliRunner().invoke(cli, ["serve", "account", "--data", str(data), "值班员", "--password-stdin"],
                            input="一个足够长的密码123\n")
    assert ok.exit_code == 0 and "添加了办公室账号“值班员”" in ok.output
    result = run("serve", "reissue", "--data", data, "东湖街道", cwd=ROOT)
    assert result.exit_code == 0 and result.output.startswith("http://127.0.0.1:9/u/")
    result = run("serve", "revoke", "--data", data, "不存在的单位", cwd=ROOT)
    assert result.exit_code == 2 and "不是所服务方案中的成员单位" in result.output
    result = run("serve", "backup", "--data", data, tmp_path / "b.tar.gz", cwd=ROOT)
    assert result.exit_code == 0 and (tmp_path / "b.tar.gz").is_file()


def test_a_port_in_use_is_a_clear_message(run, tmp_path):
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = run("serve", "plans/city/three-year-plan.yaml", "--data", tmp_path / "d", "--port", port, cwd=ROOT)
    assert result.exit_code == 2 and f"无法在 127.0.0.1:{port} 上启动：端口已被占用" in result.output
