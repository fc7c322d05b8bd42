"""Other office formats (.doc, .wps, .odt, .rtf): converted to .docx by LibreOffice, then read as .docx."""

from __future__ import annotations

import os
import signal
import subprocess
import tempfile
from pathlib import Path

from docgen import untrusted
from docgen.ingest import docx as docx_reader
from docgen.ingest.blocks import Document
from docgen.ingest.docx import Unreadable
from docgen.render.errors import RenderError
from docgen.render.pdf import find_soffice
from docgen.untrusted import Limits, check_size

SUFFIXES = (".doc", ".wps", ".odt", ".rtf", ".wpt", ".dot")


def to_docx(path: Path, out_dir: Path, timeout: float = 120.0) -> Path:
    """`path` converted to .docx in `out_dir` by a headless LibreOffice with its own profile."""
    try:
        soffice = find_soffice()
    except RenderError as exc:
        raise Unreadable(f"读取 {path.suffix} 文件需要 LibreOffice：{exc}") from None
    with tempfile.TemporaryDirectory(prefix="docgen-lo-") as profile:
        command = [soffice, "--headless", "--norestore", "--nologo", "--nodefault", "--nolockcheck",
                   f"-env:UserInstallation={Path(profile).as_uri()}",
                   "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(out_dir), str(path)]
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   env=dict(os.environ, HOME=profile), start_new_session=True)
        try:
            process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise Unreadable(f"LibreOffice 在 {timeout:g} 秒内没有转换完，已停止。") from None
    out = out_dir / f"{path.stem}.docx"
    if not out.is_file():
        raise Unreadable(f"LibreOffice 无法转换这个文件（可能已损坏，或不是 {path.suffix} 文件）。")
    return out


def read(path: Path, limits: Limits | None = None) -> Document:
    """Blocks of the file converted by LibreOffice, within `limits` (its size before converting, the
    time converting, then those of a .docx)."""
    limits = limits or Limits.from_environment()
    try:
        check_size(path, limits)
    except untrusted.Unreadable as exc:
        raise Unreadable(exc.message) from None
    with tempfile.TemporaryDirectory(prefix="docgen-import-") as tmp:
        # (converting gets twice the time limit: starting LibreOffice takes its own seconds)
        return docx_reader.read(to_docx(path, Path(tmp), timeout=max(2 * limits.time, 1.0)), limits)
