"""The 修订对照表 job of `docgen diff --docx [--pdf]`: compose the table document, write it with the
writer every document uses (docgen's own template), atomically; the PDF through LibreOffice."""

from __future__ import annotations

import tempfile
from pathlib import Path

from docgen.compose import kinds
from docgen.diff.result import DiffResult
from docgen.files import atomic_write
from docgen.render import pdf as pdf_stage
from docgen.render.docx import DocxWriter
from docgen.render.template import default_template

TITLE = "修订对照表"


def write_revision_table(result: DiffResult, path: Path, font_set: str, *, pdf: bool = False,
                         timeout: float = pdf_stage.DEFAULT_TIMEOUT) -> list[Path]:
    """Write the 修订对照表 of every changed plan in `result` to `path` (and ``path.pdf`` with `pdf`).

    Returns the files written; raises `OutputError` (folder) or `ToolError` (LibreOffice). With
    `pdf`, the PDF is made first, so a failing LibreOffice leaves nothing behind.
    """
    data = DocxWriter(default_template(), font_set).write(kinds.compose(kinds.REVISIONS, result))
    written = []
    if pdf:
        pdf_stage.find_soffice()
        with tempfile.TemporaryDirectory(prefix="docgen-revisions-") as work:
            staged = Path(work) / "revisions.docx"
            staged.write_bytes(data)
            [made] = pdf_stage.convert([staged], Path(work), timeout, labels=[path.name])
            pdf_bytes = pdf_stage.reproducible([made.read_bytes()], TITLE)
    atomic_write(path, data)
    written.append(path)
    if pdf:
        atomic_write(path.with_suffix(".pdf"), pdf_bytes)
        written.append(path.with_suffix(".pdf"))
    return written
