"""Table body rows are built straight in XML (`ooxml.add_rows`), not cell by cell through python-docx
(whose cell access made a table of thousands of rows take seconds): the .docx bytes are the same as
python-docx's cell-by-cell way gives, whatever the table holds."""

from __future__ import annotations

import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from hypothesis import given, settings
from hypothesis import strategies as st

from docgen.compose.tree import Attachment, Closing, Document, Emphasis, Para, Role, Run, Table
from docgen.config import FONT_SETS
from docgen.render import docx as writer
from docgen.render import ooxml
from docgen.render.template import default_template


def cell_by_cell(self, t: Table, text_width: int) -> None:
    """`_Writer.table` as it was: every row made by python-docx, every cell filled through it."""
    widths = writer._column_widths(t, text_width, self.metrics.size(writer.TABLE_TEXT))
    heads = 2 if t.groups else 1 if t.columns else 0
    table = self.sub.add_table(rows=heads + len(t.rows), cols=writer._column_count(t))
    table.style = self.sub.styles[writer.TABLE]
    ooxml.table_layout(table, widths)
    top = []
    for label, span in t.groups:
        top += [label] + [""] * (span - 1)
    head_rows = (tuple(top), t.columns) if t.groups else (t.columns,) if t.columns else ()
    for r, (row, values) in enumerate(zip(table.rows, (*head_rows, *t.rows))):
        ooxml.row_properties(row, header=r < heads)
        if t.form and r >= heads:
            ooxml.row_height(row, round(self.metrics.size(writer.TABLE_TEXT) * writer.FORM_ROW))
        for c, (cell, value) in enumerate(zip(row.cells, values)):
            p = cell.paragraphs[0]
            ooxml.set_style(p, self._style_id(writer.TABLE_HEAD if r < heads else writer.TABLE_TEXT))
            if isinstance(value, str):
                p.add_run(writer.breakable(value))
            else:
                for run in value:
                    self._run(p, writer.breakable(run.text), None, run.emphasis)
            if r >= heads and c in t.narrow:
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if t.groups:
        self._merge_head(table, t)
    self.after_break = False


TEXTS = st.sampled_from(["安全", "生产", "T03、T04", " 前空格", "后空格 ", "制表\t符", "换\n行", "回车\r", "12.5%", "上升3.3%",
                         "2025年12月20日", "", "道路交通运输", "<&>\"'", "长" * 40, "{{ 字段 }}", "{% if %}", "　全角"])
RUNS = st.lists(st.builds(Run, TEXTS, st.sampled_from(list(Emphasis))), min_size=1, max_size=3).map(tuple)


@st.composite
def tables(draw) -> Table:
    count = draw(st.integers(1, 6))
    columns = tuple(draw(st.lists(TEXTS.filter(bool), min_size=count, max_size=count))) if draw(st.booleans()) else ()
    widths = st.sampled_from([count, count, max(count - 1, 1), count + 1])
    rows = draw(st.lists(widths.flatmap(lambda n: st.lists(TEXTS | RUNS, min_size=n, max_size=n).map(tuple)),
                         max_size=8))
    groups = ()
    if columns and draw(st.booleans()):
        left, out = count, []
        while left:
            span = draw(st.integers(1, left))
            out.append(("" if span == 1 and draw(st.booleans()) else f"组{len(out)}", span))
            left -= span
        groups = tuple(out)
    return Table(columns, tuple(rows), narrow=frozenset(draw(st.sets(st.integers(0, count - 1)))), groups=groups,
                 landscape=draw(st.booleans()), form=draw(st.booleans()),
                 shares=tuple(draw(st.lists(st.sampled_from([0, 1, 2.5]), min_size=count, max_size=count)))
                 if columns and draw(st.booleans()) else ())


def document(table: Table, attached: bool) -> Document:
    body = (Para.plain(Role.TITLE, "标题"), Para.plain(Role.BODY, "正文"), table, Para.plain(Role.BODY, "后文"))
    return Document(kind="通知", mark="", doc_number="", body=body,
                    attachments=(Attachment("附件", "附件标题", table),) if attached else (),
                    closing=Closing(None, None, None), title="标题", author="清溪市", date=None)


@settings(max_examples=25, deadline=None)
@given(tables(), st.booleans())
def test_rows_written_as_xml_give_the_bytes_python_docx_gives(table, attached):
    doc = document(table, attached)
    ours = writer.DocxWriter(default_template(), FONT_SETS[0]).write(doc)
    original = writer._Writer.table
    writer._Writer.table = cell_by_cell
    try:
        theirs = writer.DocxWriter(default_template(), FONT_SETS[0]).write(doc)
    finally:
        writer._Writer.table = original
    assert ours == theirs


@pytest.mark.slow
def test_a_table_of_thousands_of_rows_gives_the_same_bytes():
    rows = tuple((f"清溪市第{i}成员单位", str(i % 13), str(i % 7), f"{i % 100}.0%", "0", "1") for i in range(3000))
    table = Table(("单位", "承担分工", "已完成", "完成率", "逾期", "滞后"), rows, narrow=frozenset({1, 2, 3, 4, 5}))
    doc = document(table, True)
    ours = writer.DocxWriter(default_template(), FONT_SETS[0]).write(doc)
    original = writer._Writer.table
    writer._Writer.table = cell_by_cell
    try:
        assert writer.DocxWriter(default_template(), FONT_SETS[0]).write(doc) == ours
    finally:
        writer._Writer.table = original


def test_one_writer_writes_document_after_document_with_tables():
    """`DocxWriter` is reused for a batch (notify, remind): the first document must not use up the
    section properties the next one lays its tables out from (IndexError from python-docx)."""
    table = Table(("单位", "任务"), (("东湖街道", "排查"), ("南河镇", "整治")), narrow=frozenset())
    batch = writer.DocxWriter(default_template(), FONT_SETS[0])
    written = [batch.write(document(table, attached)) for attached in (False, True, False, True)]
    alone = [writer.DocxWriter(default_template(), FONT_SETS[0]).write(document(table, attached))
             for attached in (False, True)]
    assert written == alone * 2
