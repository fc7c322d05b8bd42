"""Import speed: a 30-page .docx and its PDF, side by side with the naive approach.

Builds a long plan from the city example (its 主要任务 repeated under new ids until the rendered
document has at least 30 pages), renders it to .docx and PDF, then times

- `docgen import` of the .docx (python-docx, numbering resolved, structure recovered, YAML checked);
- `docgen import` of the PDF (pdfplumber);
- the naive approach: LibreOffice converts the .docx to plain text, which is then imported.

Run: .venv/bin/python bench/import.py
"""

from __future__ import annotations

import copy
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pypdf import PdfReader  # noqa: E402

from docgen.cascade.yamltext import dump_new  # noqa: E402
from docgen.config import Settings  # noqa: E402
from docgen.jobs.imports import import_documents  # noqa: E402
from docgen.jobs.render import render  # noqa: E402
from docgen.load import load  # noqa: E402


def long_plan(folder: Path, copies: int) -> Path:
    source, _ = load(ROOT / "plans" / "city" / "three-year-plan.yaml", "plan")
    data = source.data
    tasks = next(b for b in data["正文"] if b.get("标题") == "主要任务")
    actions = list(tasks["内容"])
    for n in range(1, copies):
        for action in actions:
            clone = copy.deepcopy(action)
            clone["标题"] = f"{clone['标题']}（第{n + 1}轮）"
            for task in clone.get("内容", []):
                if "编号" in task:
                    task["编号"] = f"{task['编号']}-{n + 1}"
                    task["任务"] = f"{task['任务']}（第{n + 1}轮）"
            tasks["内容"].append(clone)
    path = folder / "long-plan.yaml"
    path.write_text(dump_new(data), encoding="utf-8")
    return path


def timed(label: str, fn, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    print(f"{label:<44}{best:8.2f} s")
    return best


def main() -> None:
    settings = Settings(root=ROOT, registry=[ROOT / "plans" / "registry"])
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        plan = long_plan(folder, copies=2)
        render([plan], settings, folder, pdf=True, base=folder)
        docx, pdf = folder / "long-plan.docx", folder / "long-plan.pdf"
        pages = len(PdfReader(str(pdf)).pages)
        print(f"document: {pages} pages, {docx.stat().st_size // 1024} KiB .docx, {pdf.stat().st_size // 1024} KiB PDF")
        out = folder / "imported.yaml"
        t_docx = timed("docgen import .docx", lambda: import_documents([docx], settings, out=out, base=folder))
        outcome = import_documents([docx], settings, out=out, base=folder)
        print(f"  recovered {outcome.sections} sections, {outcome.tasks} tasks")
        from docgen.ingest import recover
        from docgen.jobs.imports import read_document

        t_read = timed("  of which: read .docx (python-docx, numbering)", lambda: read_document(docx))
        t_recover = timed("  of which: recover structure", lambda: recover.recover(read_document(docx))) - t_read
        print(f"  of which: registry, YAML output and its check (rest) {t_docx - t_read - t_recover:8.2f} s")
        timed("docgen import PDF", lambda: import_documents([pdf], settings, out=out, base=folder), repeat=1)

        def naive():
            subprocess.run(["soffice", "--headless", f"-env:UserInstallation={(folder / 'profile').as_uri()}",
                            "--convert-to", "txt:Text (encoded):UTF8", "--outdir", str(folder / "txt"), str(docx)],
                           check=True, capture_output=True)
            import_documents([folder / "txt" / "long-plan.txt"], settings, out=out, base=folder)
        t_naive = timed("naive: LibreOffice .docx -> .txt, then import", naive, repeat=1)
        print(f".docx import is {t_naive / t_docx:.1f}x faster than the naive route (target: under 2 s)")


if __name__ == "__main__":
    main()
