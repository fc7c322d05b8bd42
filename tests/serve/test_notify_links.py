"""`docgen notify --links DATA`: each notice gives the unit's own link and its QR code (segno)."""

from __future__ import annotations

import zipfile

import docx

from docgen.serve import links as link_file
from tests.serve.helpers import ROOT, unit_links

PLAN = "plans/city/three-year-plan.yaml"


def test_notices_carry_each_units_link_and_qr_code(served, run, tmp_path):
    links = unit_links(served)
    data = served.links_path.parent
    out = tmp_path / "notify"
    result = run("notify", PLAN, "-o", out, "--links", data, "--unit", "东湖街道", "--unit", "西岭街道", cwd=ROOT)
    assert result.exit_code == 0, result.output
    for unit in ("东湖街道", "西岭街道"):
        text = "\n".join(p.text for p in docx.Document(out / f"{unit}.docx").paragraphs)
        assert links[unit] in text and "扫描下方二维码" in text
        other = links["西岭街道" if unit == "东湖街道" else "东湖街道"]
        assert other not in text
        with zipfile.ZipFile(out / f"{unit}.docx") as zf:
            png = zf.read("word/media/docgen-picture1.png")
        assert png == link_file.qr_png(links[unit])  # the same bytes for the same link
    again = tmp_path / "again"
    run("notify", PLAN, "-o", again, "--links", served.links_path, "--unit", "东湖街道", cwd=ROOT)
    assert (again / "东湖街道.docx").read_bytes() == (out / "东湖街道.docx").read_bytes()


def test_a_unit_without_a_link_is_named(served, run, tmp_path):
    from docgen.jobs import serve as job

    job.revoke(served.links_path.parent, "东湖街道")
    result = run("notify", PLAN, "-o", tmp_path / "n", "--links", served.links_path, "--unit", "东湖街道", cwd=ROOT)
    assert result.exit_code == 2 and "链接清单中没有东湖街道的链接" in result.output
    bad = tmp_path / "links.csv"
    bad.write_text("名称,地址\n", encoding="utf-8")
    result = run("notify", PLAN, "-o", tmp_path / "n", "--links", bad, cwd=ROOT)
    assert result.exit_code == 2 and "第一行应是“单位,链接”" in result.output
