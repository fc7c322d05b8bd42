"""PDF conversion: any batch size in bounded chunks, parallel processes, the user's file names in
messages, reproducible bytes from `render --pdf`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from docx import Document as WordDocument
from pypdf import PdfReader

from docgen.render import pdf as pdf_stage
from docgen.render.errors import RenderError

ROOT = Path(__file__).resolve().parents[2]


def _docs(folder: Path, names: list[str]) -> list[Path]:
    folder.mkdir()
    files = []
    for name in names:
        doc = WordDocument()
        doc.add_paragraph(f"这是{name}的通知")
        path = folder / f"{name}.docx"
        doc.save(str(path))
        files.append(path)
    return files


def test_a_batch_larger_than_a_chunk_converts_whole_and_in_order(tmp_path):
    names = ["东湖街道", "西岭街道", "南河镇", "北山镇", "市应急管理局"]
    files = _docs(tmp_path / "in", names)
    pdfs = pdf_stage.convert(files, tmp_path / "out", chunk=2, processes=2)
    assert [p.name for p in pdfs] == [f"{n}.pdf" for n in names]
    for name, pdf in zip(names, pdfs):
        assert f"这是{name}的通知" in "".join(PdfReader(pdf).pages[0].extract_text().split())
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(p.name for p in pdfs)  # nothing else


def test_a_file_libreoffice_cannot_read_is_named_as_the_user_knows_it(tmp_path):
    files = _docs(tmp_path / "in", ["好文件"])
    bad = tmp_path / "in" / "坏文件.docx"
    bad.write_bytes(b"\x00" * 64)
    with pytest.raises(RenderError) as caught:
        pdf_stage.convert([*files, bad], tmp_path / "out", labels=["一.docx", "二.docx"], timeout=120)
    assert "二.docx" in str(caught.value) and "00001" not in str(caught.value)


@pytest.mark.parametrize("engine", ["typst", "libreoffice"])
def test_render_pdf_is_reproducible(tmp_path, engine):
    plan = ROOT / "plans/city/work-points-2025.yaml"
    outputs = []
    for run in ("a", "b"):
        result = subprocess.run([sys.executable, "-m", "docgen.cli", "render", str(plan), "--pdf", "--pdf-engine",
                                 engine, "-o", str(tmp_path / run)], cwd=ROOT, capture_output=True, text=True,
                                timeout=300)
        assert result.returncode == 0, result.stderr
        outputs.append((tmp_path / run / "work-points-2025.pdf").read_bytes())
    assert outputs[0] == outputs[1]
    reader = PdfReader(tmp_path / "a" / "work-points-2025.pdf")
    assert reader.metadata.title == "关于印发《清溪市2025年安全生产工作要点》的通知"  # the document's own title
