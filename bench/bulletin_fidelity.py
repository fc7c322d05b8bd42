"""Benchmark: how closely rendered 通报 and 督办通知 read like the text an office publishes.

For every reference text `bench/bulletins/NAME.txt` (the published document as a reader copies it
from the page: title to date, tables row by row, attachments), the example `plans/bulletins/NAME.yaml`
(sentences with {placeholders}, figures in its data file) is rendered, and its text — from the title
on, body paragraphs and table rows in document order, merged cells once — is compared with the
reference, whitespace removed, by difflib's ratio (1.0: identical). Side by side, the naive way: the
same sentences with every placeholder replaced by the bare current figure and unit, as a template
engine without the office's wording would print them ("同比分别下降" impossible, "50.0%"…).

Also counts the figures of the reference (numbers with their unit or %) found in the rendered text.

    python bench/bulletin_fidelity.py [--pdf]     # --pdf: compare the PDF's text (pdftotext) as well
"""

from __future__ import annotations

import argparse
import difflib
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import docx  # noqa: E402
from docx.oxml.ns import qn  # noqa: E402

from docgen.config import load_settings  # noqa: E402
from docgen.jobs.render import render  # noqa: E402

REFERENCES = ROOT / "bench" / "bulletins"
EXAMPLES = ROOT / "plans" / "bulletins"
TITLE_STYLE = "标题"
FIGURE = re.compile(r"[0-9]+(?:\.[0-9]+)?(?:%|[起人处家个条分亿万元项次]+)")


def docx_body(path: Path) -> str:
    """The text from the title on: paragraphs, and table rows (each merged cell once)."""
    d = docx.Document(str(path))
    out, started = [], False
    for child in d.element.body.iterchildren():
        if child.tag == qn("w:p"):
            style = child.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
            name = d.styles.get_by_id(style.get(qn("w:val")), 1).name if style is not None else ""
            started = started or name == TITLE_STYLE
            if started:
                out.append("".join(t.text or "" for t in child.iter(qn("w:t"))))
        elif child.tag == qn("w:tbl") and started:
            for row in child.iter(qn("w:tr")):
                cells = []
                for tc in row.iter(qn("w:tc")):
                    merge = tc.find(f"{qn('w:tcPr')}/{qn('w:vMerge')}")
                    if merge is not None and merge.get(qn("w:val")) != "restart":
                        continue  # the continuation of a cell merged down
                    cells.append("".join(t.text or "" for t in tc.iter(qn("w:t"))))
                out.append(" ".join(cells))
    return "\n".join(out)


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text.replace("\u200b", ""))


def ratio(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, squeeze(a), squeeze(b), autojunk=False).ratio()


def naive(name: str, rendered: str) -> str:
    """What docgen printed before this wording existed (main before issue 22), simulated on the
    rendered text: each comparison said once per figure ("同比下降12.6%、同比下降9.8%"), every
    percentage to one decimal (50.0%), "。" added after a paragraph's "：", the table heads flat, and
    a written attachment (a blank form) silently dropped."""
    text = re.sub(r"(同比|比上年同期|与去年同期相比|较上年)分别(上升|下降|增加|减少)([0-9.]+%?)(、|和)([0-9.]+%?)",
                  lambda m: f"{m.group(1)}{m.group(2)}{m.group(3)}、{m.group(1)}{m.group(2)}{m.group(5)}", rendered)
    text = re.sub(r"(?<![0-9.])([0-9]+)%", r"\1.0%", text)
    text = text.replace("与去年同期持平", "同比持平").replace("与上年同期持平", "同比持平")
    lines = [line + "。" if line.endswith("：") else line for line in text.split("\n")]
    if "附件2" in lines:  # the blank form was never printed
        lines = lines[:lines.index("附件2")]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pdf", action="store_true", help="also compare the PDF's text")
    args = parser.parse_args()
    settings = load_settings(ROOT)
    print(f"{'文件':<34}{'docgen':>8}{'朴素':>8}{'PDF':>8}  数字读回")
    worst = 1.0
    with tempfile.TemporaryDirectory() as tmp:
        for ref in sorted(REFERENCES.glob("*.txt")):
            plan = EXAMPLES / f"{ref.stem}.yaml"
            out = Path(tmp) / ref.stem
            result = render([plan], settings, out, pdf=args.pdf, base=ROOT)
            docx_path = next(p for p in result.files if p.suffix == ".docx")
            reference = ref.read_text(encoding="utf-8")
            text = docx_body(docx_path)
            score = ratio(text, reference)
            worst = min(worst, score)
            pdf_score = ""
            if args.pdf:
                pdf_text = subprocess.run(["pdftotext", "-raw", str(docx_path.with_suffix(".pdf")), "-"],
                                          capture_output=True, text=True, check=True).stdout
                pdf_text = squeeze(re.sub(r"—\s*[0-9]+\s*—", "", pdf_text))
                start = pdf_text.find(squeeze(reference.splitlines()[0]))
                pdf_text = pdf_text[max(start, 0):]
                # the 版记 (抄送, 印发) is the last page's footer, not in the reference
                pdf_text = pdf_text[:pdf_text.rfind("抄送：")] if "抄送：" in pdf_text else pdf_text
                pdf_score = f"{ratio(pdf_text, reference):.3f}"
            figures = FIGURE.findall(reference)
            found = sum(1 for f in figures if f in squeeze(text))
            print(f"{ref.stem:<36}{score:>8.3f}{ratio(naive(ref.stem, text), reference):>8.3f}{pdf_score:>8}"
                  f"  {found}/{len(figures)}")
    print(f"最低相似度：{worst:.3f}（目标 ≥ 0.97）")


if __name__ == "__main__":
    main()
