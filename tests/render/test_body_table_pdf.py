"""A table written in the body, printed to PDF by LibreOffice: within the text area (GB/T 9704:
28 mm 订口, 26 mm right margin), its title centred above it; imported back, it is a table again."""

from __future__ import annotations

import textwrap

import pdfplumber
import pytest
from conftest import REGISTRY, plan_text

from docgen.config import Settings
from docgen.jobs.imports import import_documents
from docgen.load import load
from docgen.model import BodyTable, Plan
from docgen.render.measure import MM, body_lines, pages

BODY = """
- 段落: 各乡镇（街道）重点隐患整改情况如下：
- 标题: 重点隐患整改情况统计表
  列: [序号, 乡镇（街道）, 排查隐患（项）, 已整改（项）, 整改责任单位, 整改时限, 备注]
  行:
""" + "".join(f"    - [{i}, 第{i}乡镇, {10 + i}, {i}, 市应急管理局、市住房和城乡建设局、第{i}乡镇人民政府, 2025年{i}月底前, 按期销号]\n"
              for i in range(1, 9)) + """
- 段落: 请各地按时完成整改。
"""


def test_the_body_table_prints_within_the_text_area_and_imports_back(tmp_path, run):
    (tmp_path / "plan.yaml").write_text(plan_text(textwrap.dedent(BODY)), encoding="utf-8")
    result = run("render", "plan.yaml", "--registry", REGISTRY, "-o", "out", "--pdf", "--pdf-engine", "libreoffice",
                 cwd=tmp_path)
    assert result.exit_code == 0, result.output
    pdf = tmp_path / "out" / "plan.pdf"
    with pdfplumber.open(pdf) as document:
        tables = [(page, t) for page in document.pages for t in page.find_tables()]
        assert tables, "no table found in the PDF"
        for page, table in tables:
            x0, _, x1, _ = table.bbox
            assert x0 / MM >= 28 - 1 and x1 / MM <= 210 - 26 + 1, (page.page_number, x0 / MM, x1 / MM)
            assert page.width / MM == pytest.approx(210, abs=1)  # portrait: the body is not turned
    # the title above it is centred in the text area (28 … 184 mm)
    title = next(line for page in pages(pdf) for line in body_lines(page) if "重点隐患整改情况统计表" in line.text)
    assert (title.x0 + title.x1) / 2 / MM == pytest.approx((28 + 184) / 2, abs=2)

    out = tmp_path / "back.yaml"
    outcome = import_documents([pdf], Settings(root=tmp_path, registry=[REGISTRY]), out=out, base=tmp_path)
    assert outcome.written is not None, [p.message for p in outcome.problems]
    (table,) = [b for b in Plan.from_source(load(out, out.name)[0]).walk() if isinstance(b, BodyTable)]
    assert table.title is not None and table.title.value == "重点隐患整改情况统计表"
    assert [c.value for c in table.columns][:2] == ["序号", "乡镇（街道）"]
    assert len(table.rows) == 8
