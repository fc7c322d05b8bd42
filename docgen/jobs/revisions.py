"""The 修订对照表 job of `docgen diff --docx`: compose the table document, write it with the writer
every document uses (docgen's own template), atomically."""

from __future__ import annotations

from pathlib import Path

from docgen.compose.revisions import compose_revisions
from docgen.diff.result import DiffResult
from docgen.files import atomic_write
from docgen.render.docx import DocxWriter
from docgen.render.template import default_template


def write_revision_table(result: DiffResult, path: Path, font_set: str) -> None:
    """Write the 修订对照表 of every changed plan in `result` to `path` (raises `OutputError`)."""
    atomic_write(path, DocxWriter(default_template(), font_set).write(compose_revisions(result)))
