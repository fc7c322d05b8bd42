"""Recover a plan's structure from a document's blocks.

Front matter: 发文机关标志, 发文字号, the title (over several lines, with a "（2024—2026年）" line),
主送, and when the title is "关于印发《…》的通知" the 印发通知 with its signature, then the plan's own
title. Body: numbered lines (一、 （一） 1. （1）, and the half-width or 1、 variants of real
documents) open nodes whose nesting follows the order the marker kinds appear in; 责任单位 and
完成时限 lines (in the forms documents use) attach to the open node; a line shared by a section's
tasks (printed once after the last of them) is lifted to the section. Leaves with units or
deadlines (or whose siblings have them), sentence-led items under a heading that announces tasks,
and items whose text sets a date (in a 通知 anywhere but under its aims) are tasks, the other
nodes sections. Then 附件说明, signature, attachments (a 任务分工表 merged with the tasks by lead
or 序号, its rows the body lacks added as tasks) and the 版记.

Each value remembers how the source wrote it (`Node.how`: a line of its own, brackets at the end
of the task, the task's own sentence, only the 任务分工表; `Units.form`: A（牵头）, A牵头, 牵头单位：A)
and each item its marker as printed (`Node.style`: 1、 or 1.), so that the plan prints the source
again. Lines of the web page around the document (footers, share buttons) are left out.

The result is an `Outline`: plain data that `emit` turns into YAML. Every recovered item keeps
`where` (the source paragraph or page:line). Findings are (code class, where, message) triples.

The passes live in their own modules (`head` reads the 版头, then `front`, `body` and `foot`), the
words they read in `vocabulary`, the data they fill in `outline`; this module runs them and
re-exports their names for the importer and its tests.
"""

from __future__ import annotations

import re
from dataclasses import replace

from docgen.ingest.blocks import Document, Line
from docgen.ingest.body import BodyPass
from docgen.ingest.foot import FootPass
from docgen.ingest.front import HeadPass
from docgen.ingest.head import ORGAN_END, read_head
from docgen.ingest.outline import (  # noqa: F401 - the importer's API, re-exported
    Outline,
    _kind_of,
    parse_stages,
    parse_targets,
    parse_units,
    split_units,
)
from docgen.ingest.vocabulary import (
    _DATE,
    marker_of,  # noqa: F401 - re-exported
)


class Recovery(HeadPass, BodyPass, FootPass):
    """Runs the passes over a document's blocks into an `Outline`."""

    def __init__(self, document: Document, kind: str | None = None):
        self.doc = document
        self.lines = document.blocks
        self.out = Outline()
        self.forced_kind = kind
        self.used: set[int] = set()

    def find(self, code: str, where: str, message: str) -> None:
        self.out.findings.append((code, where, message))

    def run(self) -> Outline:
        self.drop_web_frame()
        self.lines = _rejoin_wrapped_signature(_arabic_dates(self.lines))
        head, used = read_head(self.lines)
        self.lines = self.lines[used:]
        i = self.front()
        if used:
            out = self.out
            out.mark = head.mark or out.mark
            out.joint = head.marks[1:]
            out.doc_number = head.doc_number or out.doc_number
            out.signers, out.copy, out.urgency = head.signers, head.copy, head.urgency
            out.secrecy, out.secrecy_term = head.secrecy, head.secrecy_term
        # the kind and year, known from the title, decide which items are tasks
        self.out.kind = self.forced_kind or _kind_of(
            self.out.notice_title or self.out.title,
            (b.text for b in self.lines[i:i + 40] + self.lines[-12:] if isinstance(b, Line)))
        # (a notice's title often names no year: its 发文字号 石安委办〔2026〕12号 does)
        year = re.search(r"(\d{4})(?:年|[—–\-－])", self.out.title) or re.search(r"〔(\d{4})〕", self.out.doc_number)
        self.out.year = int(year.group(1)) if year else None
        end, tail = self.body_end(i)
        self.body(self.lines[i:end])
        self.tail(self.lines[end:], tail)
        self.closing()
        if self.out.joint and self.out.signature.replace(" ", "") == "".join(head.marks):
            self.out.signature = head.marks[0]  # the organs sign side by side: the first is the issuer
        self.metadata()
        return self.out


_CN_DIGIT = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")} | {"零": "0", "○": "0", "Ｏ": "0", "O": "0"}
_CN_DATE = re.compile(r"([〇零○ＯO一二三四五六七八九]{4})年([一二三四五六七八九十]{1,2})月([一二三四五六七八九十]{1,3})日")


def _cn_number(text: str) -> int:
    """一 … 三十一 as a number (the month or day of a date written in Chinese numerals)."""
    if "十" not in text:
        return int(_CN_DIGIT[text])
    tens, _, ones = text.partition("十")
    return (int(_CN_DIGIT[tens]) if tens else 1) * 10 + (int(_CN_DIGIT[ones]) if ones else 0)


def _arabic_dates(blocks: list) -> list:
    """A date written in Chinese numerals ("二〇一二年三月五日", as offices dated documents before
    GB/T 9704-2012) under the signature or in the 版记's 印发 line, in Arabic numerals: the plan writes
    dates so (DG402), and the foot is read by them."""
    def arabic(m: re.Match) -> str:
        year = "".join(_CN_DIGIT[c] for c in m.group(1))
        return f"{year}年{_cn_number(m.group(2))}月{_cn_number(m.group(3))}日"

    out = []
    for b in blocks:
        if isinstance(b, Line) and _CN_DATE.search(b.text) and (
                _CN_DATE.fullmatch(b.text.strip()) or re.search(r"日\s*印发$", b.text)):
            b = replace(b, text=_CN_DATE.sub(arabic, b.text))
        out.append(b)
    return out


def _rejoin_wrapped_signature(blocks: list) -> list:
    """A signature set right and wrapped over two printed lines ("…人民政府办公" then "室" above the
    date, as two organs side by side wrap in a PDF) is one line again: the piece alone names nothing."""
    out = list(blocks)
    for i in range(len(out) - 2, 0, -1):
        piece, before, after = out[i], out[i - 1], out[i + 1]
        if not all(isinstance(b, Line) for b in (piece, before, after)) or not _DATE.match(after.text):
            continue
        if len(piece.text) <= 4 and not ORGAN_END.search(before.text) and ORGAN_END.search(before.text + piece.text) \
                and not re.search(r"[。，；：、]", before.text + piece.text):
            out[i - 1:i + 1] = [replace(before, text=before.text + piece.text)]
    return out


def recover(document: Document, kind: str | None = None) -> Outline:
    return Recovery(document, kind).run()
