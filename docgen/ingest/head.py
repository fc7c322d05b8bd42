"""The head pass: the 版头 above the title of a real document, as Word, WPS, a PDF or a web page
gives it.

Real red-head documents set the 发文机关标志 over one to three lines ("清溪市安全生产" /
"委员会办公室文件"), or several organs one a line with "文件" beside them (joint issue); the
发文字号 may be broken over lines ("清安委办〔" / "2024〕1号"), share its line with "签发人：…", and
be preceded by 份号, 密级 and 紧急程度. `read_head` takes these lines off the top of the document and
says what they were; the title and what follows are left to the rest of the recovery.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from docgen.ingest.blocks import WEB_META_LABEL, Line

DOC_NUMBER = re.compile(r"^[\u4e00-\u9fff]{1,12}[〔\[［(（]\d{4}[〕\]］)）]\d{1,4}号")
#: How the name of an organ (a line of a joint 标志) ends.
ORGAN_END = re.compile(r"(?:人民政府|政府|委员会|办公室|办公厅|委|局|厅|部|院|会|办|中心|公司|集团|街道|镇|乡|处|署|党委|党组|指挥部)$")
_COPY = re.compile(r"^(?:份号[：:]?\s*)?(\d{6})$")
_SECRET = re.compile(r"^(绝密|机密|秘密)(?:\s*[★*]\s*(.+))?$")
_URGENT = re.compile(r"^(特急|加急)$")
_SIGNER = re.compile(r"签发人[：:]\s*(.+)$")
#: A title line (a web page prints the 发文字号 under it, never a 标志 above it).
_TITLE = re.compile(r"关于|(?:方案|要点|意见|通知|通报|计划|办法|安排|部署|细则|措施|规划|决定|报告|函)(?:（\d{4}[—–\-－]\d{4}年）|[（(]第[\d一二三四五六七八九十]+期[）)])?$")
#: At most this many lines of 版头 above the title.
HEAD_LINES = 12


@dataclass
class Head:
    marks: list[str] = field(default_factory=list)
    #: "文件" printed after the 标志 (a 文件-type 版头).
    file_word: bool = False
    doc_number: str = ""
    signers: list[str] = field(default_factory=list)
    copy: str = ""
    secrecy: str = ""
    secrecy_term: str = ""
    urgency: str = ""
    where: str = ""

    @property
    def mark(self) -> str:
        """The first organ's 标志 as the outline keeps it (with 文件 when printed so)."""
        return (self.marks[0] + ("文件" if self.file_word else "")) if self.marks else ""


def normal_doc_number(number: str) -> str:
    return re.sub(r"[\[［(（](\d{4})[\]］)）]", r"〔\1〕", number)


def _number_at(lines: list, i: int) -> tuple[int, str, str] | None:
    """(lines used, 发文字号, rest of its line) when a 发文字号 starts at line `i`, maybe broken over
    up to three lines."""
    text = ""
    for used in range(1, 4):
        line = lines[i + used - 1] if i + used - 1 < len(lines) else None
        if not isinstance(line, Line) or len(line.text) > 60:
            return None
        text += line.text
        if not re.search(r"[〔\[［(（]", text):
            return None  # the 代字 and its opening bracket stand on the number's first line
        m = DOC_NUMBER.match(text)
        if m:
            return used, normal_doc_number(m.group(0)), text[m.end():].strip()
        if not re.match(r"^[\u4e00-\u9fff]{1,12}(?:[〔\[［(（]\d{0,4}(?:[〕\]］)）]\d{0,4})?)?$", text):
            return None
    return None


def read_head(lines: list) -> tuple[Head, int]:
    """The 版头 at the top of `lines` and how many lines it takes (0 when there is none: a 版头 is
    only recognised by its 发文字号, or by a 标志 ending in 文件)."""
    head = Head()
    i = 0
    marks: list[str] = []
    while i < min(len(lines), HEAD_LINES):
        line = lines[i]
        if not isinstance(line, Line):
            break
        text = line.text
        if re.search(r"[>＞]|首页|当前位置", text) or WEB_META_LABEL.match(text) or _TITLE.search(text):
            break  # a web page's breadcrumb or publication details, or the title: not a 版头
        if (m := _COPY.match(text)) and not head.copy and not marks:
            head.copy = m.group(1)
        elif (m := _SECRET.match(text)) and not head.secrecy and not marks:
            head.secrecy, head.secrecy_term = m.group(1), (m.group(2) or "").strip()
        elif (m := _URGENT.match(text)) and not head.urgency and not marks:
            head.urgency = m.group(1)
        elif (found := _number_at(lines, i)) is not None:
            used, head.doc_number, rest = found
            i += used
            signer = _SIGNER.search(rest)
            if signer is None and i < len(lines) and isinstance(lines[i], Line) and _SIGNER.match(lines[i].text):
                signer = _SIGNER.match(lines[i].text)
                i += 1
            if signer:
                head.signers = [s for s in re.split(r"[\s、，,]+", signer.group(1)) if s]
            head.marks, head.file_word = _marks(marks)
            head.where = lines[0].where
            return head, i
        elif len(text) <= 40 and "。" not in text and not text.startswith("关于") and "：" not in text:
            marks.append(text)
            if text.endswith("文件") and not any(_starts_number(lines, j) for j in range(i + 1, min(i + 5, len(lines)))):
                # a 文件-type 版头 without a 发文字号 line under it
                head.marks, head.file_word = _marks(marks)
                head.where = lines[0].where
                return head, i + 1
        else:
            break
        i += 1
    return Head(), 0


def _starts_number(lines: list, i: int) -> bool:
    return _number_at(lines, i) is not None


def _marks(lines: list[str]) -> tuple[list[str], bool]:
    """The organs of a 标志 set over `lines`, and whether "文件" is printed beside or after them:
    a line that does not end like an organ's name goes on in the next one."""
    file_word = False
    parts: list[str] = []
    for text in lines:
        if text == "文件":
            file_word = True
            continue
        if text.endswith("文件") and len(text) > 2:
            file_word = True
            text = text[:-2]
        elif text.startswith("文件") and len(text) > 2 and ORGAN_END.search(text):
            file_word = True  # "文件" set beside a joint 标志, read before the line it stands next to
            text = text[2:]
        parts.append(text)
    marks: list[str] = []
    current = ""
    for text in parts:
        current += text
        if ORGAN_END.search(current):
            if len(current) < 4 and marks:
                marks[-1] += current  # the end of a name the line broke ("清溪市减灾委" / "员会")
            else:
                marks.append(current)
            current = ""
    if current:
        if marks:
            marks[-1] += current
        else:
            marks.append(current)
    return marks, file_word
