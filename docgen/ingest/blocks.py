"""The common model every reader produces: a document as a list of lines and tables."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field


@dataclass
class Line:
    """One paragraph of text (a PDF paragraph is re-joined from its printed lines).

    `where` names the place in the source for findings and comments: 第12段, 第3页第5行, 第7行.
    `style` is the Word paragraph style name when there is one; `bold` the leading bold text.
    """

    text: str
    where: str
    style: str = ""
    bold: str = ""
    centered: bool = False


@dataclass
class Table:
    rows: list[list[str]]
    where: str
    landscape: bool = False
    #: How many grid columns each cell of the first row spans (a Word table's merged group head,
    #: "事故起数" over 本期/上年同期/同比); empty when not known (a PDF pads a merged cell with "").
    head_spans: tuple[int, ...] = ()


Block = Line | Table


@dataclass
class Document:
    """What a reader found: blocks in reading order, plus the 版记 lines printed in footers."""

    blocks: list[Block]
    #: Lines of the 版记 (抄送, 印发机关和印发日期) when the format keeps them apart (Word footers).
    closing: list[Line] = field(default_factory=list)
    #: Things the reader had to skip, as (where, what) pairs, reported as findings.
    skipped: list[tuple[str, str]] = field(default_factory=list)


#: A numbering marker at the start of a line: 一、 （一） 1. 1、 （1）, never a date such as 5.12.
NUMBER_MARK = (r"(?:[一二三四五六七八九十百千零]{1,8}、|[（(][一二三四五六七八九十百千零]{1,8}[）)]|\d+[.、．](?!\d)"
               r"|[（(]\d+[）)])")
#: Labels that start their own line in documents.
LINE_KEYS = r"(?:责任单位|责任部门|牵头单位|完成时限|完成时间|时间节点|联系人|联系电话)[：:]"
#: The labels of a web page's publication details (信息公开 header): 索引号, 发布机构, 文号, …
WEB_META_LABEL = re.compile(
    r"^(?:索\s*引\s*号|发布机构|发文机关|发文日期|成文日期|发布日期|发布时间|生成日期|主题分类|公开方式|公开时限|公开范围"
    r"|所属分类|文\s*号|发文字号|信息来源|来源|浏览次数|点击数|组配分类|体裁分类|关键词|有效性|字\s*体|字号)\s*[：:]?")
STARTS_ITEM = re.compile(rf"^\s*(?:{NUMBER_MARK}|{LINE_KEYS})")

_CJK = r"\u3000-\u303f\u3400-\u9fff\uff00-\uffef“”‘’—…"
_SPACE_CJK = re.compile(rf"(?<=[{_CJK}0-9.%])[ \t\u00a0]+(?=[{_CJK}])|(?<=[{_CJK}])[ \t\u00a0]+(?=[{_CJK}0-9])")
_HALF = {"(": "（", ")": "）", ":": "：", ",": "，", ";": "；", "?": "？", "!": "！"}
_HALF_NEAR_CJK = re.compile(rf"(?<=[{_CJK}0-9])([(),:;?!])|([(),:;?!])(?=[{_CJK}0-9])")


_SIGNERS = re.compile(r"(签发人[：:][ \t\u3000\u00a0]*)(\S+(?:[ \t\u3000\u00a0]+\S+)*)[ \t\u3000\u00a0]*$")
#: Full-width digits (２０２４〕１号 in real PDFs) read as docgen writes them.
_FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


def clean(text: str) -> str:
    """Text as a plan holds it: NFC, half-width digits, no control characters, no spaces inside Chinese text,
    half-width punctuation next to Chinese text made full-width, line breaks removed."""
    text = unicodedata.normalize("NFC", text).translate(_FULL_WIDTH_DIGITS)
    text = "".join(ch for ch in text if ch in " \t" or unicodedata.category(ch)[0] != "C")
    # names after 签发人 are set apart by spaces only: keep them apart
    text = _SIGNERS.sub(lambda m: m.group(1) + re.sub(r"[ \t\u3000\u00a0]+", "、", m.group(2).strip()), text)
    text = text.replace("\u3000", " ").replace("\t", " ")
    text = _SPACE_CJK.sub("", text)
    for _ in range(2):  # "(所):" needs two passes: the colon follows a converted bracket
        text = _HALF_NEAR_CJK.sub(lambda m: _HALF[m.group(1) or m.group(2)], text)
    text = _SPACE_CJK.sub("", text)
    # "5.12" and "3.5" keep their dot; a numbering "1．" becomes "1."
    text = text.replace("．", ".")
    return re.sub(r" {2,}", " ", text).strip()
