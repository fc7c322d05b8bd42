"""Benchmark: .docx -> PDF with LibreOffice, docgen's way beside the naive ones, in one run.

- docgen: `docgen.render.pdf.convert` — chunks of at most 40 files, one LibreOffice process (own
  profile) per core — run with 1 process and with `--processes` (default: the cores);
- one call: a single soffice process converting every file (docgen before; it stops converting
  somewhere past 200 files);
- per file: one soffice process per file (timed on a sample and extrapolated).

The documents are the example city plan's notices (`docgen notify`), repeated up to `--size`.
Prints documents per second and the cost per document.

    python bench/pdf.py                  # 35 notices
    python bench/pdf.py --size 300
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from docgen.config import load_settings  # noqa: E402
from docgen.jobs.notify import notify  # noqa: E402
from docgen.render import pdf as pdf_stage  # noqa: E402
from docgen.render.fonts import FONTS_CONF  # noqa: E402


def soffice(files: list[Path], out: Path, timeout: float) -> subprocess.CompletedProcess:
    profile = Path(tempfile.mkdtemp(prefix="bench-lo-"))
    try:
        return subprocess.run(
            [pdf_stage.find_soffice(), "--headless", "--norestore", "--nologo", "--nodefault", "--nolockcheck",
             f"-env:UserInstallation={profile.as_uri()}", "--convert-to", pdf_stage.PDF_FILTER,
             "--outdir", str(out), *map(str, files)],
            env=dict(os.environ, FONTCONFIG_FILE=str(FONTS_CONF), HOME=str(profile)),
            capture_output=True, timeout=timeout)
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=35, help="documents to convert")
    parser.add_argument("--processes", type=int, default=pdf_stage.default_processes())
    parser.add_argument("--sample", type=int, default=4, help="files converted one soffice call each")
    parser.add_argument("--timeout", type=float, default=1800)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="docgen-bench-pdf-"))
    try:
        outcome = notify(ROOT / "plans/city/three-year-plan.yaml", load_settings(ROOT), work / "notices", base=ROOT)
        notices = sorted(u.docx for u in outcome.units if u.docx)
        (work / "in").mkdir()
        files = []
        for i in range(args.size):
            target = work / "in" / f"{i:05d}-{notices[i % len(notices)].name}"
            shutil.copyfile(notices[i % len(notices)], target)
            files.append(target)
        n = len(files)
        print(f"documents: {n} notices; {os.cpu_count()} cores")

        rates = {}
        for processes in sorted({1, args.processes}):
            start = time.perf_counter()
            pdfs = pdf_stage.convert(files, work / f"docgen-{processes}", args.timeout, processes=processes)
            seconds = time.perf_counter() - start
            assert len(pdfs) == n and all(p.is_file() for p in pdfs)
            rates[processes] = n / seconds
            print(f"docgen, {processes} process{'es' if processes > 1 else ''}: {seconds:.1f} s, "
                  f"{n / seconds:.2f} documents/s, {seconds / n * 1000:.0f} ms per document")
        if args.processes > 1:
            print(f"speed-up of {args.processes} processes over 1: {rates[args.processes] / rates[1]:.2f}x")

        start = time.perf_counter()
        soffice(files, work / "one-call", args.timeout)
        seconds = time.perf_counter() - start
        made = len(list((work / "one-call").glob("*.pdf")))
        print(f"one soffice call: {seconds:.1f} s, {made / seconds:.2f} documents/s, converted {made} of {n}")

        sample = files[: args.sample]
        start = time.perf_counter()
        for f in sample:
            soffice([f], work / "per-file", args.timeout)
        each = (time.perf_counter() - start) / len(sample)
        print(f"one soffice call per file ({len(sample)} sampled): {each:.2f} s per document, "
              f"{1 / each:.2f} documents/s, {each * n:.0f} s for all {n} (extrapolated)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
