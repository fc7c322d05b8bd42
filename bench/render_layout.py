"""Render the example plans to .docx and PDF and print the GB/T 9704 figures measured on the PDFs.

    python bench/render_layout.py [--plans plans] [--keep DIR]

Prints, per document: pages (portrait, landscape, blank), lines on every full page, characters on
full lines, the text area's edges, where page numbers sit, the 红头 (mark and red line), the 版记
rules, the fonts that print each element, and how long rendering and PDF conversion took. The
same measurements are asserted by tests/render/test_pdf_layout.py.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from docgen.config import load_settings  # noqa: E402
from docgen.jobs.render import render  # noqa: E402
from docgen.render.measure import (MM, body_lines, full_lines, full_pages, ink_bands, page_number,  # noqa: E402
                                   pages, rules, text_box)


def mm(points: float) -> str:
    return f"{points / MM:.1f}"


def report(pdf: Path) -> list[str]:
    ps = pages(pdf)
    out = []
    blank = [p.number for p in ps if not body_lines(p)]
    landscape = [p.number for p in ps if p.landscape]
    out.append(f"pages: {len(ps)} (landscape {landscape or '-'}, blank {blank or '-'})")
    full = full_pages(ps)
    out.append(f"lines on full pages: {dict(Counter(len(body_lines(p)) for p in full))} over {len(full)} pages")
    chars = Counter(len(line.text.replace(' ', '').rstrip('，。、；：！？）》”')) for line in full_lines(ps))
    out.append(f"characters on full Chinese lines: {dict(sorted(chars.items()))}")
    left, top, right, bottom = text_box(ps)
    out.append(f"text area: left {left:.1f} mm, top {top:.1f} mm, right margin {210 - right:.1f} mm, "
               f"bottom margin {297 - bottom:.1f} mm")
    sides = Counter()
    for p in ps:
        n = page_number(p)
        if n is None:
            continue
        if p.landscape:  # turned with the page, in the left margin (the portrait page's foot)
            where = (f"{210 - 26 - n.bottom / MM:.1f} mm above the text area's bottom" if p.number % 2 else
                     f"{n.top / MM - 28:.1f} mm under the text area's top")
            side = f"landscape {'odd' if p.number % 2 else 'even'}: turned, {where}, {35 - n.x1 / MM:.1f} mm off it"
        else:
            side = (f"odd: right, {184 - n.x1 / MM:.1f} mm in" if p.number % 2 else
                    f"even: left, {n.x0 / MM - 28:.1f} mm in") + f", {n.top / MM - 262:.1f} mm under the text area"
        sides[side] += 1
    out.append("page numbers `— N —`: " + "; ".join(f"{k} ({v} pages)" for k, v in sorted(sides.items())))
    red = ink_bands(pdf, 1)
    mark, line = red[0], red[1]
    number = next(ln for ln in body_lines(ps[0]) if "〔" in ln.text)
    out.append(f"发文机关标志: red, top {mark.top / MM - 37:.1f} mm under the text area, centre "
               f"{(mark.left + mark.right) / 2 / MM:.1f} mm (page centre of text area 106.0)")
    out.append(f"separator: red, {mm(line.left)}–{mm(line.right)} mm, {line.thickness:.2f} pt, "
               f"{(line.top - number.bottom) / MM:.1f} mm under the 发文字号")
    closing = rules(pdf, len(ps), 150 * MM)
    out.append("版记 rules on the last page: " + ", ".join(
        f"{mm(r.top)} mm ({r.thickness:.2f} pt, {mm(r.left)}–{mm(r.right)} mm)" for r in closing))
    fonts = {}
    for page in ps:
        for ln in body_lines(page):
            text = ln.text.replace(" ", "")
            for element, start in (("发文机关标志", "清溪市"), ("title", "关于印发"), ("heading 一、", "一、"),
                                   ("heading （一）", "（一）"), ("task 1.", "1."), ("table head", "序号")):
                if text.startswith(start) and element not in fonts:
                    fonts[element] = page.leading_font(ln)
        n = page_number(page)
        if n is not None and "page number" not in fonts:
            fonts["page number"] = page.fragments_on(n)[0].font
    for line in full_lines(ps)[:1]:
        page = next(p for p in ps if line in p.lines)
        fonts["body"] = page.leading_font(line)
    out.append("fonts: " + ", ".join(f"{k} {v}" for k, v in fonts.items()))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plans", type=Path, default=ROOT / "plans")
    parser.add_argument("--keep", type=Path, help="keep the rendered files in this folder")
    args = parser.parse_args()
    out = args.keep or Path(tempfile.mkdtemp(prefix="docgen-bench-"))
    settings = load_settings(ROOT)
    began = time.perf_counter()
    docx_only = render([args.plans], settings, out / "docx", pdf=False, base=ROOT, keep_folders=True)
    docx_time = time.perf_counter() - began
    began = time.perf_counter()
    rendered = render([args.plans], settings, out / "pdf", pdf=True, base=ROOT, keep_folders=True)
    pdf_time = time.perf_counter() - began
    print(f"rendered {len(docx_only.files)} .docx in {docx_time:.2f} s; with PDFs (one LibreOffice process) "
          f"in {pdf_time:.2f} s")
    for pdf in sorted(p for p in rendered.files if p.suffix == ".pdf"):
        print(f"\n{pdf.relative_to(out / 'pdf')}")
        for line in report(pdf):
            print(f"  {line}")
    if not args.keep:
        shutil.rmtree(out, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
