"""Word versions of the text fixtures, made the way offices make them.

`to_docx` lays a fixture's lines out as a Word document: a lead sentence in bold, the first line
indented, a tab-separated table as a Word table, and what follows the first 附件 label on a
landscape page. With `automatic=True` the markers 一、 （一） 1. （1） are not typed but shown by
Word's automatic numbering (one multi-level list; `continuous` keeps the 1. items running on
across （一） groups with w:lvlRestart, as the office's template does).
"""

from __future__ import annotations

import re
from pathlib import Path

import docx
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Pt

#: (pattern of the typed marker, list level)
MARKERS = (
    (re.compile(r"^[一二三四五六七八九十]{1,3}、"), 0),
    (re.compile(r"^（[一二三四五六七八九十]{1,3}）"), 1),
    (re.compile(r"^\d{1,2}\.(?!\d)"), 2),
    (re.compile(r"^（\d{1,2}）"), 3),
)
_LEVELS = (("chineseCounting", "%1、"), ("chineseCounting", "（%2）"), ("decimal", "%3."), ("decimal", "（%4）"))
_WEB = re.compile(r" > |^发布(日期|时间)")


def read_lines(path: Path) -> list[str]:
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("gb18030")
    return [line.rstrip("\r") for line in text.splitlines()]


def _list(document, continuous: bool) -> None:
    lvls = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
        + ('<w:lvlRestart w:val="0"/>' if continuous and i == 2 else "")
        + f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/></w:lvl>'
        for i, (fmt, text) in enumerate(_LEVELS))
    numbering = document.part.numbering_part.element
    numbering.append(parse_xml(f'<w:abstractNum {nsdecls("w")} w:abstractNumId="70">{lvls}</w:abstractNum>'))
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="70"><w:abstractNumId w:val="70"/></w:num>'))


def _paragraph(document, text: str, automatic: bool, in_body: bool):
    level = None
    for pattern, lvl in MARKERS:
        m = pattern.match(text)
        if m and in_body:
            level = lvl
            if automatic:
                text = text[m.end():]
            break
    p = document.add_paragraph()
    if level is not None and automatic:
        p._p.get_or_add_pPr().append(parse_xml(
            f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="70"/></w:numPr>'))
    if level is not None and "。" in text.rstrip("。"):
        lead, _, rest = text.partition("。")
        p.add_run(lead + "。").bold = True
        p.add_run(rest)
    else:
        p.add_run(text)
    return p


def to_docx(source: Path, target: Path, *, automatic: bool, continuous: bool = False) -> Path:
    document = docx.Document()
    style = document.styles["Normal"]
    style.font.name, style.font.size = "仿宋", Pt(16)
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "仿宋")
    if automatic:
        _list(document, continuous)
    lines = [line for line in read_lines(source) if not _WEB.search(line)]
    in_body = False
    attachments = False
    i = 0
    while i < len(lines):
        raw = lines[i]
        if "\t" in raw.strip():
            rows = []
            while i < len(lines) and "\t" in lines[i].strip():
                rows.append(lines[i].strip().split("\t"))
                i += 1
            width = max(len(r) for r in rows)
            table = document.add_table(rows=len(rows), cols=width)
            table.style = "Table Grid"
            for row, cells in zip(table.rows, rows):
                for cell, text in zip(row.cells, cells):
                    cell.text = text
            continue
        text = raw.strip(" \u3000\t")
        i += 1
        if not text:
            continue
        if re.match(r"^附件\d*$", text) and not attachments:
            attachments = True
            first = document.sections[0]
            landscape = document.add_section()
            landscape.orientation = WD_ORIENT.LANDSCAPE
            landscape.page_width, landscape.page_height = first.page_height, first.page_width
        if re.match(r"^[一二三四五六七八九十]{1,3}、", text):
            in_body = True
        p = _paragraph(document, text, automatic, in_body and not attachments)
        if raw.startswith("\u3000\u3000"):
            p.paragraph_format.first_line_indent = Pt(32)
        if not in_body and len(text) < 60 and ("方案" in text or "通知" in text or "要点" in text) \
                and "。" not in text and not text.endswith("："):
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.save(str(target))
    return target
