"""Read plain text (.txt): one paragraph a line; text whose line breaks were lost is split again.

Text copied from a web page often arrives as one long line, or with the numbering markers in the
middle of lines. Lines are split before 一、 （一） 1. （1） markers that follow a sentence end
(。；：) — never inside a date such as 5.12 or a decimal such as 3.5, and never before 责任单位： and
完成时限： unless a sentence ended there; in a long line whose breaks were lost, a 责任单位/配合单位/完成时限
line ends where the next label or the next item's marker starts ("责任单位:A完成时限:2025年5月31日前二、…"). Two or more lines in a row whose cells are separated by
tabs (a table copied from a browser or from Word) are read as a table, and so is one such line of
three cells or more (the header of a form sent to be filled in), except the tab-separated
publication details of a web page (索引号, 发布机构, …), kept as one line for the importer to skip.
"""

from __future__ import annotations

import re
from pathlib import Path

from docgen import untrusted
from docgen.ingest.blocks import LINE_KEYS, NUMBER_MARK, WEB_META_LABEL, Document, Line, Table, clean
from docgen.ingest.docx import Unreadable
from docgen.untrusted import Deadline, LimitExceeded, Limits

_NUM = NUMBER_MARK
_KEYS = LINE_KEYS
_SPLIT = re.compile(rf"(?<=[。；！？])\s*(?={_NUM}|{_KEYS})")
#: For a long line whose breaks were lost: also before （一） and 1、/1. right after Chinese text or a
#: closing bracket (a heading runs into the next item), never after 第 (第二条（一）项).
_SPLIT_LOST = re.compile(
    rf"(?<=[。；！？：）])\s*(?={_NUM}|{_KEYS})"
    r"|(?<=[\u4e00-\u9fff”])(?<!第)(?=（[一二三四五六七八九十百千零]{1,8}）|\d{1,4}[、.](?!\d)[\u4e00-\u9fff])")
#: Within a 责任单位/完成时限 line of a long line whose breaks were lost ("责任单位:A完成时限:2025年
#: 5月31日前二、…"): the next label, and the next item's marker right after the value.
_SPLIT_KEY_LINE = re.compile(rf"(?<=.)(?={_KEYS})|(?<=.)(?<![；;])(?=配合(?:单位|部门)[：:])"
                             rf"|(?<=[\u4e00-\u9fff）)\d])(?<!第)(?={_NUM})")
#: A line longer than this has probably lost its line breaks.
LOST_BREAKS = 200


def decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise Unreadable("文本文件的编码无法识别（应为 UTF-8 或 GBK/GB18030）。")


def _cells(raw: str) -> list[str] | None:
    """The cells of a table row copied as text (tab-separated), or None for a paragraph.

    Tabs that only indent the line do not make it a row, nor do those between the publication
    details of a web page ("索引号：…<tab>发布机构：…"), which is a line of the page's header."""
    inner = raw.strip(" \t\u3000\r")
    if "\t" not in inner or WEB_META_LABEL.match(inner):
        return None
    return [clean(cell) for cell in inner.split("\t")]


def _split(text: str) -> list[str]:
    parts: list[str] = []
    lost = len(text) > LOST_BREAKS
    pieces = (_SPLIT_LOST if lost else _SPLIT).split(text)
    if lost:  # a label's line ends where the next label or item starts (a label's value has no marker)
        pieces = [p for piece in pieces for p in
                  (_SPLIT_KEY_LINE.split(piece) if re.match(_KEYS, piece.strip()) else [piece])]
    for part in pieces:
        if parts and parts[-1].count("（") > parts[-1].count("）"):
            parts[-1] += part  # never split inside brackets: "（责任单位：…；完成时限：…）"
        elif part.strip():
            parts.append(part)
    return [p.strip() for p in parts if p.strip()]


def read(path: Path, limits: Limits | None = None) -> Document:
    """Blocks of a text file within `limits`: its size on disk, ``cells`` paragraphs and table
    cells, and the time."""
    limits = limits or Limits.from_environment()
    deadline = Deadline(limits.time)
    try:
        data = untrusted.read_bytes(path, limits)
    except untrusted.Unreadable as exc:
        raise Unreadable(exc.message) from None
    with deadline.guard():
        document = _read(decode(data), deadline)
    cells = sum(len(b.rows) * max(map(len, b.rows), default=0) if isinstance(b, Table) else 1 for b in document.blocks)
    if cells > limits.cells:
        raise LimitExceeded("cells", limits.cells, f"文本有 {cells} 个段落和表格单元格")
    return document


def _read(text: str, deadline: Deadline) -> Document:
    raw_lines = text.splitlines()
    rows = [_cells(raw) for raw in raw_lines]
    blocks: list = []
    number = 0
    while number < len(raw_lines):
        # a table: two or more tab-separated lines in a row
        end = number
        while end < len(raw_lines) and rows[end] is not None:
            end += 1
        if end - number >= 2 or end > number and sum(1 for c in rows[number] if c) >= 3:
            # (one line of three cells or more: the header of a form to fill in)
            cells = [r for r in rows[number:end] if any(r)]
            if cells:
                blocks.append(Table(cells, f"第{number + 1}行（表格）"))
            number = end
            continue
        text = clean(raw_lines[number])
        number += 1
        if not number % 4096:
            deadline.check()
        for line in _split(text):
            blocks.append(Line(line, f"第{number}行"))
    if not blocks:
        raise Unreadable("文件中没有文字。")
    return Document(blocks)
