"""Turn .docx files into PDF with LibreOffice: one headless process for all files.

Each run gets its own LibreOffice user profile (so that parallel runs do not collide), the
project's fontconfig file (official font names mapped to installed fonts, for this process only)
and a time limit. Blank pages LibreOffice inserts (before a 版记 on an even page) are kept.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from docgen.render.errors import RenderError
from docgen.render.fonts import FONTS_CONF

#: Writer's PDF export, keeping the blank pages that section breaks insert (for duplex printing).
PDF_FILTER = 'pdf:writer_pdf_Export:{"IsSkipEmptyPages":{"type":"boolean","value":"false"}}'
EXECUTABLES = ("soffice", "libreoffice")
INSTALL_HINT = "请安装 LibreOffice：sudo apt-get install libreoffice-writer-nogui"
DEFAULT_TIMEOUT = 300.0


def find_soffice() -> str:
    """The LibreOffice executable on PATH; `RenderError` when there is none."""
    for name in EXECUTABLES:
        found = shutil.which(name)
        if found:
            return found
    raise RenderError(f"生成 PDF 需要 LibreOffice，但没有找到 soffice 命令。{INSTALL_HINT}，或去掉 PDF 选项只生成 .docx。")


def convert(files: list[Path], out_dir: Path, timeout: float = DEFAULT_TIMEOUT) -> list[Path]:
    """Convert `files` (.docx, distinct names) into `out_dir`; returns the PDFs in the same order."""
    if not files:
        return []
    soffice = find_soffice()
    with tempfile.TemporaryDirectory(prefix="docgen-lo-") as profile:
        command = [
            soffice, "--headless", "--norestore", "--nologo", "--nodefault", "--nolockcheck",
            f"-env:UserInstallation={Path(profile).as_uri()}",
            "--convert-to", PDF_FILTER, "--outdir", str(out_dir), *map(str, files),
        ]
        env = dict(os.environ, FONTCONFIG_FILE=str(FONTS_CONF), HOME=profile)
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                                   start_new_session=True)
        try:
            _, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise RenderError(f"LibreOffice 在 {timeout:g} 秒内没有转换完 {len(files)} 个文件，已停止。"
                              "可用 --timeout 放宽时限；反复出现时请检查 LibreOffice 能否正常启动。") from None
    pdfs = [out_dir / f"{f.stem}.pdf" for f in files]
    missing = [f.name for f, pdf in zip(files, pdfs) if not pdf.is_file()]
    if process.returncode != 0 or missing:
        detail = (stderr.decode("utf-8", "replace").strip().splitlines() or [f"退出码 {process.returncode}"])[-1]
        raise RenderError(f"LibreOffice 没能把 {'、'.join(missing) or '文件'} 转换为 PDF：{detail}")
    return pdfs
