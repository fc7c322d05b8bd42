"""The front pass: the web page's frame left out, then the title (over several lines, maybe
opened by the issuing organ's name), the 发文字号 and publication details a web page prints under
it, the 主送 (over several lines), and for "关于印发《…》的通知" the notice with its signature and
the plan's own title. (The 版头 above the title is read first by `head.read_head`.)
"""

from __future__ import annotations

import dataclasses
import re

from docgen.ingest.blocks import WEB_META_LABEL, Line
from docgen.ingest.head import ORGAN_END
from docgen.ingest.outline import _title_of
from docgen.ingest.vocabulary import (
    _DATE,
    _DOC_NUMBER,
    _META_NUMBER,
    _NOTICE_TITLE,
    _PUBLISHER,
    _SUBTITLE,
    _TITLE_END,
    _WEB_META,
    _short,
    _web_frame,
    marker_of,
)
from docgen.model import UNFOUND_TITLE


class HeadPass:
    """The front pass of `Recovery` (a mixin: the state is the recovery's)."""

    def drop_web_frame(self) -> None:
        """Leave out the lines of the web page around the document (reported as skipped); the
        publisher its publication details name is kept (the issuer of a copy without 版头 or
        signature)."""
        self.drop_injected_prefix()
        for block in self.lines[:20]:
            if isinstance(block, Line):
                text = block.text
                m = _PUBLISHER.match(text) or (
                    (WEB_META_LABEL.match(text) or _WEB_META.search(text)) and _PUBLISHER.search(text))
                if m and not self.out.publisher:
                    self.out.publisher = m.group(1)
        kept = []
        for block in self.lines:
            if isinstance(block, Line) and _web_frame(block.text):
                self.find("skipped-text", block.where, f"网页信息“{_short(block.text)}”不属于公文，已跳过。")
            else:
                kept.append(block)
        self.lines = kept

    def drop_injected_prefix(self) -> None:
        """A word a tampered page prints first and then puts before names ("某某：清溪街道办事处…" on
        every line that names the issuer): taken off where it stands before a colon, the line of it
        alone skipped."""
        first = next((b for b in self.lines[:3] if isinstance(b, Line)), None)
        if first is None or not 2 <= len(first.text) <= 10 or re.search(r"[，。；：、\s]", first.text):
            return
        prefix = first.text + "："
        hits = [b for b in self.lines if isinstance(b, Line) and prefix in b.text]
        if len(hits) < 2:
            return
        self.find("skipped-text", first.where,
                  f"网页在{len(hits)}处文字前加了“{prefix}”（不属于公文），已去掉。")
        self.lines = [b if not isinstance(b, Line) or prefix not in b.text
                      else dataclasses.replace(b, text=b.text.replace(prefix, ""))
                      for b in self.lines if b is not first]

    # front matter --------------------------------------------------------------------------------
    def _line(self, i: int) -> Line | None:
        if 0 <= i < len(self.lines) and isinstance(self.lines[i], Line):
            return self.lines[i]
        return None

    def front(self) -> int:
        out = self.out
        n = len(self.lines)
        title_at = None
        for i in range(min(n, 60)):
            line = self._line(i)
            if line is None or marker_of(line.text):
                break
            text = line.text
            if line.style == "发文机关标志" or (text.endswith("文件") and len(text) <= 30) or _DOC_NUMBER.match(text) \
                    or re.search(r"[>＞]|首页|当前位置", text) or WEB_META_LABEL.match(text) or _web_frame(text):
                continue
            if line.style in ("标题", "方案标题", "Title", "large") or (
                    (text.startswith("关于") or _TITLE_END.search(text)) and len(text) <= 80 and "。" not in text):
                title_at = i
                break
            if len(text) <= 40 and ORGAN_END.search(text) and "。" not in text and "：" not in text \
                    and (nxt := self._line(i + 1)) is not None and nxt.text.startswith("关于"):
                title_at = i  # "清溪市安全生产委员会办公室" / "关于开展……的通知": the organ starts the title
                break
            if "关于" in text and len(text) <= 60 and "。" not in text and not text.endswith("：") \
                    and (text.count("《") > text.count("》") or (nxt := self._line(i + 1)) is not None
                         and _TITLE_END.search(nxt.text) and len(nxt.text) <= 40):
                title_at = i  # "…关于印发《…" whose line broke before the title's end
                break
        # 版头 above the title
        start = 0
        for i in range(title_at if title_at is not None else 0):
            line = self._line(i)
            text = line.text
            if line.style == "发文机关标志" or (text.endswith("文件") and len(text) <= 30 and not out.mark
                                              and not re.search(r"[>＞]|首页|当前位置", text)):
                out.mark = text  # (never a web page's breadcrumb "首页 > 政务公开 > 部门文件")
            elif _DOC_NUMBER.match(text) and not out.doc_number:
                out.doc_number = _normal_doc_number(_DOC_NUMBER.match(text).group(0))
            elif WEB_META_LABEL.match(text) or _WEB_META.search(text) or _web_frame(text):
                if (number := _META_NUMBER.search(text)) and not out.doc_number:
                    out.doc_number = _normal_doc_number(number.group(1))  # "文号：石安委〔2026〕8号"
                self.find("skipped-text", line.where, f"网页信息“{_short(text)}”不属于公文，已跳过。")
            else:
                self.find("skipped-text", line.where, f"版头前的文字“{_short(text)}”不属于方案，已跳过。")
            start = i + 1
        if title_at is None:
            self.find("missing-title", self.lines[0].where if self.lines else "第1行",
                      "没有找到文件标题（没有以“关于”开头或以文种结尾的一行）：方案的“标题”暂写"
                      f"“{UNFOUND_TITLE}”，"
                      "请照原文写上标题（写上之前不能排版，DG411）。")
            return start
        i = title_at
        title = self._line(i).text
        i += 1
        while (line := self._line(i)) is not None and _title_open(title) and not line.text.endswith("：") \
                and "。" not in line.text and len(title) < 100 and not marker_of(line.text) \
                and not _DATE.match(line.text):
            title += line.text
            i += 1
        if (line := self._line(i)) is not None and _SUBTITLE.match(line.text):
            title += line.text
            i += 1
        out.where["标题"] = self._line(title_at).where
        while (line := self._line(i)) is not None and (
                (_WEB_META.search(line.text) or WEB_META_LABEL.match(line.text)) and len(line.text) < 120
                or _doc_number_line(line.text)):
            if _doc_number_line(line.text) and not out.doc_number:
                # web pages print the 发文字号 under the title
                out.doc_number = _normal_doc_number(_DOC_NUMBER.match(line.text.strip("（）()")).group(0))
            elif not _doc_number_line(line.text):
                if (number := _META_NUMBER.search(line.text)) and not out.doc_number:
                    out.doc_number = _normal_doc_number(number.group(1))  # "文号：清安委〔2025〕3号"
                else:
                    self.find("skipped-text", line.where, f"网页信息“{_short(line.text)}”不属于公文，已跳过。")
                if not out.date and (day := re.search(r"(?:发布|发文|成文)(?:时间|日期)[：:]\s*(\d{4})[-/.年](\d{1,2})[-/.月]"
                                                      r"(\d{1,2})", line.text)):
                    out.web_date = f"{int(day.group(1))}年{int(day.group(2))}月{int(day.group(3))}日"
            i += 1
        recipients = ""
        for k in range(3):  # 主送 over up to three lines, the last ending with ：
            line = self._line(i + k)
            if line is None or "。" in line.text or len(line.text) > 200 or marker_of(line.text):
                break
            recipients += line.text
            if line.text.endswith("："):
                out.recipients = split_recipients(recipients[:-1])
                i += k + 1
                break
            if len(line.text) > 60:
                break
        m = _NOTICE_TITLE.match(title)
        if not m:
            out.title = title
            return i
        out.notice_title = title
        plan_title = _title_of(m.group(1))
        body: list[str] = []
        while (line := self._line(i)) is not None:
            nxt = self._line(i + 1)
            if nxt is not None and _DATE.match(nxt.text) and len(line.text) <= 40 and "。" not in line.text:
                out.signature, out.date = line.text, nxt.text
                i += 2
                if (note := self._line(i)) is not None and re.match(r"^（[^（）]{1,40}）$", note.text):
                    out.note = note.text[1:-1]
                    i += 1
                break
            if line.text.replace("〈", "《").replace("〉", "》") == plan_title or line.style == "方案标题":
                break
            body.append(line.text)
            i += 1
        out.notice_body = "".join(body)
        # the plan's own title (maybe over lines, maybe with a （2024—2026年） line)
        probe = i
        collected = ""
        while (line := self._line(probe)) is not None and probe < i + 6:
            if marker_of(line.text) or (len(line.text) > 60 and "。" in line.text):
                break
            collected += line.text
            probe += 1
            if re.sub(r"（\d{4}[—–\-－]\d{4}年）$", "", collected) == re.sub(r"（\d{4}[—–\-－]\d{4}年）$", "", plan_title) \
                    or collected == plan_title:
                nxt = self._line(probe)
                if nxt is not None and _SUBTITLE.match(nxt.text):
                    collected += nxt.text
                    probe += 1
                out.title = collected
                return probe
        out.title = plan_title
        return i


def split_recipients(text: str) -> list[str]:
    """主送 groups as the document separates them by ， (docgen prints them joined by ，); a list
    written with 、 only is one group, so that it is printed as it was."""
    return [t.strip() for t in text.split("，") if t.strip()]


def _doc_number_line(text: str) -> bool:
    """A line that is only a 发文字号 (石安委办〔2026〕9号), maybe in brackets."""
    m = _DOC_NUMBER.match(text.strip("（）()"))
    return bool(m) and len(text.strip("（）()")) <= len(m.group(0)) + 1


def _normal_doc_number(number: str) -> str:
    return re.sub(r"[\[［(（](\d{4})[\]］)）]", r"〔\1〕", number)


def _title_open(title: str) -> bool:
    """A title still going on: 《》 unbalanced, or not yet ending with its 文种."""
    return title.count("《") > title.count("》") or not _TITLE_END.search(title)
