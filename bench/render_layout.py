"""Measure PDFs against GB/T 9704 and print the figures: the example plans, or any .docx/PDF given.

    python bench/render_layout.py [--plans plans] [--keep DIR]     render plans/ and measure it
    python bench/render_layout.py FILE.docx|FILE.pdf ...           measure these (a .docx is
                                                                   turned into PDF first)

Prints, per PDF: page size, the text area (edges, and on full pages its size), lines on full pages
and characters on full lines, the 红头 (发文机关标志: position and red ink; the red rule; the 发文字号),
page numbers, the 版记, embedded fonts, the widest space between characters (stretched lines), the
space where Chinese meets a number or a Latin word (none: no autospace), and which face printed
each official font. Every figure is marked ok or BAD against what GB/T 9704 asks
(`docgen.render.measure.check`, the same check tests/render/test_measured_layout.py runs); the exit
code is 1 when a figure is BAD. For the example plans it also times rendering and PDF conversion.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from docgen.config import load_settings  # noqa: E402
from docgen.jobs.render import render  # noqa: E402
from docgen.render import pdf as pdf_stage  # noqa: E402
from docgen.render.fonts import stand_ins  # noqa: E402
from docgen.render.measure import check, embedded_fonts  # noqa: E402


def report(pdf: Path) -> tuple[list[str], bool]:
    """The figures of `pdf` as lines, and whether all are as GB/T 9704 asks."""
    figures = check(pdf)
    lines = [str(f) for f in figures]
    fonts = sorted({name for name, _ in embedded_fonts(pdf)})
    faces: dict[str, list[str]] = {}
    for official, printed in stand_ins(fonts).items():
        for font in printed:
            faces.setdefault(font, []).append(official)
    for font in fonts:
        lines.append(f"    face {font}: {'、'.join(faces.get(font, [])) or '(not mapped)'}")
    return lines, all(f.ok for f in figures)


def _measure_files(files: list[Path]) -> int:
    missing = [str(f) for f in files if not f.is_file() or f.suffix.lower() not in (".docx", ".pdf")]
    if missing:
        print(f"不是 .docx 或 PDF 文件：{'、'.join(missing)}", file=sys.stderr)
        return 2
    good = True
    with tempfile.TemporaryDirectory(prefix="docgen-measure-") as tmp:
        docx = [f for f in files if f.suffix.lower() == ".docx"]
        copies = []
        for i, f in enumerate(docx):  # distinct names for one LibreOffice run
            copy = Path(tmp) / f"{i:03d}.docx"
            shutil.copyfile(f, copy)
            copies.append(copy)
        converted = dict(zip(docx, pdf_stage.convert(copies, Path(tmp))))
        for f in files:
            print(f"\n{f}")
            lines, ok = report(converted.get(f, f))
            good &= ok
            for line in lines:
                print(f"  {line}")
    return 0 if good else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path, help=".docx or PDF files to measure")
    parser.add_argument("--plans", type=Path, default=ROOT / "plans")
    parser.add_argument("--keep", type=Path, help="keep the rendered files in this folder")
    args = parser.parse_args()
    if args.files:
        return _measure_files(args.files)
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
    good = True
    for pdf in sorted(p for p in rendered.files if p.suffix == ".pdf"):
        print(f"\n{pdf.relative_to(out / 'pdf')}")
        lines, ok = report(pdf)
        good &= ok
        for line in lines:
            print(f"  {line}")
    if not args.keep:
        shutil.rmtree(out, ignore_errors=True)
    return 0 if good else 1


if __name__ == "__main__":
    sys.exit(main())
