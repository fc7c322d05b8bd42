"""Benchmark: hostile ledgers and Word files, read the guarded way and the naive way, side by side.

- guarded: `docgen.progress.workbook.open_workbook` / `docgen.diff.docxtext.docx_text` (zip sizes,
  defusedxml streaming, limits checked before openpyxl or anything else reads the file);
- naive: what collect and textconv did before: `openpyxl.load_workbook(path, data_only=True)` and
  iterating the rows as collect does, `python-docx` reading every table row.

And files given to `docgen import` (issue 26): `docgen.ingest.docx.read` and `docgen.ingest.pdf.read`
against what import did before (python-docx reading every table row's cells; pdfplumber reading
every page), both in child processes whose own peak memory (VmHWM) is printed: a PDF flate bomb (about 2 MB
unpacking to 2 GB), a .docx zip bomb, 2000 rows of vertical merges.

The naive way runs in a child process with a time limit (`--timeout`, default 30 s): past it, the
figure is printed as "> limit". Peak memory (max RSS) of the child is printed too.

    python bench/hostile.py [--timeout 30]
"""

from __future__ import annotations

import argparse
import io
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import docx  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from docgen.diff.docxtext import docx_text  # noqa: E402
from docgen.progress.workbook import open_workbook  # noqa: E402
from docgen.untrusted import LimitExceeded, Limits, Unreadable  # noqa: E402

NAIVE = {
    "xlsx": "from openpyxl import load_workbook\nimport sys\nwb = load_workbook(sys.argv[1], data_only=True)\n"
            "for ws in wb.worksheets:\n    for row in ws.iter_rows(min_row=2, max_col=9):\n        pass\n",
    "docx": "import sys, docx\nd = docx.Document(sys.argv[1])\nfor t in d.tables:\n    for r in t.rows:\n"
            "        ' | '.join(c.text for c in r.cells)\n",
}


def rezip(data: bytes, edit) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as old, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            new.writestr(info.filename, edit(info.filename, old.read(info)))
    return out.getvalue()


def workbooks() -> dict[str, bytes]:
    wb = Workbook()
    wb.active.title = "台账"
    wb.active.append(["任务编号", "工作任务"])
    buffer = io.BytesIO()
    wb.save(buffer)
    base = buffer.getvalue()
    far = b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
    many = b"".join(b'<row r="%d"><c r="A%d"><v>1</v></c></row>' % (r, r) for r in range(2, 300_002))
    return {
        "one cell at XFD1048576": rezip(base, lambda n, d: d.replace(b"</sheetData>", far + b"</sheetData>")
                                        if n.startswith("xl/worksheets/") else d),
        "300,000 rows": rezip(base, lambda n, d: d.replace(b"</sheetData>", many + b"</sheetData>")
                              if n.startswith("xl/worksheets/") else d),
    }


def documents() -> dict[str, bytes]:
    document = docx.Document()
    document.add_table(rows=1, cols=2)
    buffer = io.BytesIO()
    document.save(buffer)
    base = buffer.getvalue()

    def cell(text: bytes, props: bytes = b"") -> bytes:
        return b"<w:tc><w:tcPr>" + props + b"</w:tcPr><w:p><w:r><w:t>" + text + b"</w:t></w:r></w:p></w:tc>"

    def body(xml: bytes):
        return lambda n, d: (d.split(b"<w:body>")[0] + b"<w:body>" + xml + b"</w:body></w:document>"
                             if n == "word/document.xml" else d)

    rows = [b"<w:tr>" + cell(b"a", b'<w:vMerge w:val="restart"/>') + cell(b"0") + b"</w:tr>"]
    rows += [b"<w:tr>" + cell(b"", b"<w:vMerge/>") + cell(b"%d" % i) + b"</w:tr>" for i in range(1, 2000)]
    return {
        "gridSpan=1000000": rezip(base, body(b"<w:tbl><w:tr>" + cell(b"x", b'<w:gridSpan w:val="1000000"/>')
                                             + b"</w:tr></w:tbl>")),
        "2000 rows of vertical merges": rezip(base, body(b"<w:tbl>" + b"".join(rows) + b"</w:tbl>")),
    }


IMPORT = {
    "guarded": "import sys\nfrom docgen.ingest import docx, pdf\nfrom docgen.untrusted import LimitExceeded\n"
               "from docgen.ingest.docx import Unreadable\ntry:\n"
               "    (pdf if sys.argv[1].endswith('.pdf') else docx).read(__import__('pathlib').Path(sys.argv[1]))\n"
               "    print('read', end='')\nexcept (LimitExceeded, Unreadable) as exc:\n    print('refused', end='')\n"
               "print(' peak', [l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM')][0], 'kB')\n",
    "naive": "import sys\nif sys.argv[1].endswith('.pdf'):\n    import pdfplumber\n"
             "    with pdfplumber.open(sys.argv[1]) as p:\n        [page.chars for page in p.pages]\nelse:\n"
             "    import docx\n    d = docx.Document(sys.argv[1])\n    for t in d.tables:\n        for r in t.rows:\n"
             "            [c.text for c in r.cells]\n"
             "print('read peak', [l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM')][0], 'kB')\n",
}


def imports() -> dict[str, tuple[str, bytes]]:
    import zlib

    content = b"BT /F1 12 Tf 72 750 Td (Hello) Tj ET\n" + b" " * (2 * 1024 ** 3)
    stream = zlib.compress(content, 9)
    del content
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
               b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (len(stream), stream)]
    bomb, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(bomb))
        bomb += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(bomb)
    bomb += b"xref\n0 5\n0000000000 65535 f \n" + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    bomb += b"trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % xref
    docs = documents()
    zipped = rezip(docs["gridSpan=1000000"], lambda n, d: d.replace(
        b"</w:body>", b"<w:p><w:r><w:t>" + b"a" * (300 * 1024 * 1024) + b"</w:t></w:r></w:p></w:body>")
        if n == "word/document.xml" else d)
    return {"PDF flate bomb (2 GB unpacked)": ("pdf", bomb), ".docx zip bomb (300 MB unpacked)": ("docx", zipped),
            ".docx 2000 rows of vertical merges": ("docx", docs["2000 rows of vertical merges"])}


def child(script: str, path: Path, timeout: float) -> str:
    start = time.perf_counter()
    try:
        run = subprocess.run([sys.executable, "-c", script, str(path)], capture_output=True, timeout=timeout, text=True,
                             cwd=ROOT, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    except subprocess.TimeoutExpired:
        return f"> {timeout:g} s (stopped)"
    said = run.stdout.strip() or (run.stderr.strip().splitlines() or ["?"])[-1][:60]
    return f"{time.perf_counter() - start:.2f} s, exit {run.returncode}, {said}"


def naive(kind: str, path: Path, timeout: float) -> str:
    start = time.perf_counter()
    try:
        child = subprocess.run([sys.executable, "-c", NAIVE[kind], str(path)], capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return f"> {timeout:g} s (stopped)"
    took = time.perf_counter() - start
    rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return f"{took:.2f} s, exit {child.returncode}, peak RSS of children so far {rss:.0f} MB"


def guarded(kind: str, path: Path) -> str:
    start = time.perf_counter()
    try:
        (open_workbook if kind == "xlsx" else docx_text)(path, Limits())
        outcome = "read"
    except (LimitExceeded, Unreadable) as exc:
        outcome = "refused: " + exc.message[:40]
    return f"{time.perf_counter() - start:.3f} s, {outcome}…"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--timeout", type=float, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for kind, cases in (("xlsx", workbooks()), ("docx", documents())):
            for name, data in cases.items():
                path = Path(tmp) / f"case.{kind}"
                path.write_bytes(data)
                print(f"{kind} {name} ({len(data)} bytes)")
                print(f"  docgen: {guarded(kind, path)}")
                print(f"  naive:  {naive(kind, path, args.timeout)}")
        for name, (kind, data) in imports().items():
            path = Path(tmp) / f"import.{kind}"
            path.write_bytes(data)
            print(f"import {name} ({len(data)} bytes)")
            print(f"  docgen: {child(IMPORT['guarded'], path, args.timeout)}")
            print(f"  naive:  {child(IMPORT['naive'], path, args.timeout)}")


if __name__ == "__main__":
    main()
