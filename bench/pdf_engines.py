"""Benchmark: the two PDF engines side by side in one run, on the same composed documents.

- Typst: `docgen.render.typeset` (the tree as Typst markup, one in-process compiler reused);
- LibreOffice: the .docx written by `DocxWriter`, converted by `docgen.render.pdf.convert` (as
  `docgen build` does: parallel processes, reproducible bytes).

Prints the time per document of each engine (wall clock, and CPU of this process and its children),
then per example: pages of each engine, the largest difference of printed rows (and of pdftotext's
lines) on a page, and the measured GB/T 9704 check (`docgen.render.measure.check`) of each engine's PDF.

    python bench/pdf_engines.py                   # the example plans once
    python bench/pdf_engines.py --size large      # each example 10 times (90 documents)
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from docgen.bulletin.model import Bulletin  # noqa: E402
from docgen.checked import prepare_plans  # noqa: E402
from docgen.compose import compose  # noqa: E402
from docgen.compose.bulletin import compose_bulletin  # noqa: E402
from docgen.config import load_settings  # noqa: E402
from docgen.render import pdf as lo  # noqa: E402
from docgen.render import typeset  # noqa: E402
from docgen.render.docx import write  # noqa: E402
from docgen.render.measure import body_lines, check, pages, printed_rows  # noqa: E402
from docgen.render.template import choose  # noqa: E402

SIZES = {"small": 1, "large": 10}


def cpu() -> float:
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", choices=SIZES, default="small")
    args = parser.parse_args()
    copies = SIZES[args.size]
    settings = load_settings(ROOT)
    ctx, result = prepare_plans([ROOT / "plans"], settings, ROOT)
    assert not result.errors
    plans = [*ctx.plans, *ctx.bulletins]
    names = [p.path.resolve().relative_to((ROOT / "plans").resolve()).with_suffix("").as_posix() for p in plans]
    docs = [compose_bulletin(p, ctx.registry) if isinstance(p, Bulletin) else compose(p, ctx.registry) for p in plans]
    work = Path(tempfile.mkdtemp(prefix="docgen-bench-typst-"))
    n = len(docs) * copies

    # LibreOffice: .docx then conversion (the .docx is written for both engines' users anyway; only
    # the conversion is the engine)
    files = []
    for i, (plan, doc) in enumerate(zip(plans, docs)):
        choice = choose(plan, ctx.registry.organisation_of(plan.issuer.value))
        data = write(doc, choice, settings.font_set)  # a writer per document, as `docgen build`
        for c in range(copies):
            path = work / "docx" / f"{i:02d}-{c:03d}.docx"
            path.parent.mkdir(exist_ok=True)
            path.write_bytes(data)
            files.append(path)
    t0, c0 = time.perf_counter(), cpu()
    out = lo.convert(files, work / "lo")
    for path, doc in zip(out, [d for d in docs for _ in range(copies)]):
        path.write_bytes(lo.reproducible([path.read_bytes()], doc.title))
    lo_wall, lo_cpu = time.perf_counter() - t0, cpu() - c0

    # Typst: in this process, its fonts scanned and loaded once (counted here), one compiler
    # (`typeset.pdfs`; two in two threads do not run at once)
    t0, c0 = time.perf_counter(), cpu()
    typst_files = []
    batch = [doc for doc in docs for _ in range(copies)]
    (work / "typst").mkdir()
    for k, data in enumerate(typeset.pdfs(batch)):
        path = work / "typst" / f"{k // copies:02d}-{k % copies:03d}.pdf"
        path.write_bytes(data)
        typst_files.append(path)
    ty_wall, ty_cpu = time.perf_counter() - t0, cpu() - c0

    print(f"documents: {n} ({len(docs)} examples x {copies}); LibreOffice {lo.default_processes()} processes")
    print(f"LibreOffice: {lo_wall * 1000 / n:.0f} ms per document wall, {lo_cpu * 1000 / n:.0f} ms CPU")
    print(f"Typst:       {ty_wall * 1000 / n:.0f} ms per document wall, {ty_cpu * 1000 / n:.0f} ms CPU "
          f"(in-process, one compiler)")
    print(f"ratio: {lo_wall / ty_wall:.1f}x wall, {lo_cpu / ty_cpu:.1f}x CPU")
    print(f"max RSS of this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    print()
    print(f"{'example':40} {'pages LO/Typst':>14} {'max row/line diff':>15}  check LO / Typst")
    worst = 0
    for i, name in enumerate(names):
        a, b = files[i * copies].parent.parent / "lo" / f"{i:02d}-000.pdf", typst_files[i * copies]
        pa, pb = pages(a), pages(b)
        # printed rows (baselines) per page; pdftotext's lines beside them (they split a row where
        # faces with other metrics meet, differently in each engine's PDF)
        diffs = [(x.number, len(printed_rows(x)) - len(printed_rows(y))) for x, y in zip(pa, pb)]
        diff = max((abs(d) for _, d in diffs), default=0)
        lines = max((abs(len(body_lines(x)) - len(body_lines(y))) for x, y in zip(pa, pb)), default=0)
        off = [f"p{n}:{d:+d}" for n, d in diffs if abs(d) > 1]
        bad = [[f.what for f in check(p) if not f.ok] for p in (a, b)]
        verdict = " / ".join("ok" if not x else "BAD " + ", ".join(x) for x in bad)
        print(f"{name:40} {len(pa):>6}/{len(pb):<7} {diff:>8} {lines:>6}  {verdict}"
              + (f"\n{'':40} pages off by more than a row (LibreOffice - Typst): {' '.join(off)}" if off else ""))
        worst = max(worst, diff)
    print(f"largest difference of printed rows on a page: {worst}")
    print()
    # end to end: `docgen notify --pdf` of the city plan (every member unit: notice, ledger, PDF)
    from docgen.jobs.notify import notify  # noqa: PLC0415

    plan = ROOT / "plans/city/three-year-plan.yaml"
    times = {}
    for engine in ("libreoffice", "typst"):
        t0, c0 = time.perf_counter(), cpu()
        outcome = notify(plan, settings, work / f"notify-{engine}", pdf=True, base=ROOT, pdf_engine=engine)
        times[engine] = (time.perf_counter() - t0, cpu() - c0, outcome.pdf_count)
    for engine, (wall, used, count) in times.items():
        print(f"notify --pdf --pdf-engine {engine}: {count} notices, {wall:.1f} s wall, {used:.1f} s CPU, "
              f"{used * 1000 / count:.0f} ms CPU per notice")
    (lw, lc, _), (tw, tc, _) = times["libreoffice"], times["typst"]
    print(f"ratio: {lw / tw:.1f}x wall, {lc / tc:.1f}x CPU")
    if os.environ.get("DOCGEN_BENCH_KEEP"):
        print(f"PDFs kept in {work}")


if __name__ == "__main__":
    main()
