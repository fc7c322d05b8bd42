"""Turn .docx files into PDF with LibreOffice: bounded chunks, in parallel processes, reproducible bytes.

A batch of any size is split into chunks of at most `CHUNK` files; up to `processes` LibreOffice
processes (default: one per core) convert them at the same time, each with its own user profile
(so that they do not collide), the project's fontconfig file (official font names mapped to
installed fonts, for these processes only) and a time limit per call. Files are handed to
LibreOffice under plain ASCII names, so that Chinese file names work whatever the locale; messages
name the files as the caller knows them (`labels`). A file LibreOffice skips is tried once more on
its own. Blank pages LibreOffice inserts (before a 版记 on an even page) are kept.

Each profile starts from `PROFILE`, which makes LibreOffice print the .docx as Word does where its
import falls short: LibreOffice ignores the documents' ``w:autoSpaceDE``/``w:autoSpaceDN`` = 0 and
would put 0.2 字 of space on each side of every number or Latin word inside Chinese text ("2025年",
"T03", "GB/T 9704"), so that a line holds less than Word prints on it. A macro of the profile,
run as each document finishes loading, switches that space off (profile/user/basic/DocGen).

`reproducible` rewrites LibreOffice's output without its creation date and document id, so that
the same document gives the same PDF bytes.
"""

from __future__ import annotations

import io
import math
import os
import queue
import shutil
import signal
import subprocess
import tempfile
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from docgen.render.errors import RenderError
from docgen.render.fonts import FONTS_CONF

#: Writer's PDF export, keeping the blank pages that section breaks insert (for duplex printing).
PDF_FILTER = 'pdf:writer_pdf_Export:{"IsSkipEmptyPages":{"type":"boolean","value":"false"}}'
EXECUTABLES = ("soffice", "libreoffice")
INSTALL_HINT = "请安装 LibreOffice：sudo apt-get install libreoffice-writer-nogui"
#: Seconds one LibreOffice call (at most `CHUNK` files) may take.
DEFAULT_TIMEOUT = 300.0
#: Files per LibreOffice call: small enough that one call never meets LibreOffice's limits and a
#: time limit per call stays meaningful, large enough that its start-up cost is shared.
CHUNK = 40
#: The start of every conversion process's LibreOffice user profile (copied, never used in place).
PROFILE = Path(__file__).resolve().parent / "profile"


#: The PDF engines: LibreOffice converts the .docx; Typst prints the composed tree in-process
#: (`docgen.render.typeset`), the default: it passes the measured check on every example and kind,
#: its pages within one printed row of LibreOffice's (bench/pdf_engines.py).
ENGINES = ("libreoffice", "typst")
DEFAULT_ENGINE = "typst"


def engine_for(template, engine: str) -> str:
    """The engine that prints a document written into `template` (a `TemplateChoice`): Typst knows
    only docgen's own template's look, so a plan's or an office's own template goes to LibreOffice."""
    if engine == "typst" and template.location is not None:
        return "libreoffice"
    return engine


def find_soffice() -> str:
    """The LibreOffice executable on PATH; `RenderError` when there is none."""
    for name in EXECUTABLES:
        found = shutil.which(name)
        if found:
            return found
    raise RenderError(f"生成 PDF 需要 LibreOffice，但没有找到 soffice 命令。{INSTALL_HINT}，或去掉 PDF 选项只生成 .docx。")


def default_processes() -> int:
    """One LibreOffice process per core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def convert(files: Sequence[Path], out_dir: Path, timeout: float = DEFAULT_TIMEOUT, *,
            processes: int | None = None, chunk: int = CHUNK, labels: Sequence[str] | None = None,
            progress: Callable[[int, int], None] | None = None) -> list[Path]:
    """Convert `files` (.docx, distinct stems) into `out_dir` as ``<stem>.pdf``; returns the PDFs in
    the same order. `timeout` limits each LibreOffice call; `labels` name the files in messages
    (default: their names); `progress(done, total)` is called as chunks finish."""
    files = list(files)
    if not files:
        return []
    soffice = find_soffice()
    labels = list(labels) if labels is not None else [f.name for f in files]
    processes = max(1, min(processes or default_processes(), len(files)))
    size = max(1, min(chunk, math.ceil(len(files) / processes)))
    chunks = [list(range(i, min(i + size, len(files)))) for i in range(0, len(files), size)]
    out_dir.mkdir(parents=True, exist_ok=True)
    # LibreOffice works in a folder of its own, under ASCII names, so that neither the file names
    # nor the output folder's path depend on the locale; each chunk's PDFs move out as it ends.
    work = Path(tempfile.mkdtemp(prefix="docgen-lo-"))
    batch = _Batch(soffice, work, timeout, labels)
    profiles: queue.Queue[Path] = queue.Queue()
    targets = [out_dir / f"{f.stem}.pdf" for f in files]
    try:
        for _ in range(min(processes, len(chunks))):
            profiles.put(_new_profile())
        done = 0
        lock = threading.Lock()

        def run(indices: list[int]) -> None:
            nonlocal done
            profile = profiles.get()
            try:
                inputs = [_ascii_copy(files[i], work / "in", i) for i in indices]
                batch.convert(inputs, [labels[i] for i in indices], profile)
                for i, source in zip(indices, inputs):
                    shutil.move(batch.output(source), targets[i])
                    source.unlink()
            finally:
                profiles.put(profile)
            with lock:
                done += len(indices)
                if progress:
                    progress(done, len(files))

        with ThreadPoolExecutor(max_workers=min(processes, len(chunks))) as pool:
            futures = [pool.submit(run, c) for c in chunks]
            try:
                for future in futures:
                    future.result()
            except BaseException:
                batch.stop()
                for future in futures:
                    future.cancel()
                raise
        return targets
    finally:
        batch.stop()
        shutil.rmtree(work, ignore_errors=True)
        while not profiles.empty():
            shutil.rmtree(profiles.get_nowait(), ignore_errors=True)


def _new_profile() -> Path:
    """A fresh LibreOffice user profile (a temporary folder) seeded from `PROFILE`."""
    path = Path(tempfile.mkdtemp(prefix="docgen-lo-profile-"))
    try:
        shutil.copytree(PROFILE, path, dirs_exist_ok=True)
    except BaseException:
        shutil.rmtree(path, ignore_errors=True)
        raise
    return path


def _ascii_copy(path: Path, folder: Path, index: int) -> Path:
    """`path` linked (or copied) into `folder` as ``00012.docx``."""
    folder.mkdir(exist_ok=True)
    target = folder / f"{index:05d}.docx"
    try:
        os.link(path, target)
    except OSError:
        shutil.copyfile(path, target)
    return target


class _Batch:
    """Runs LibreOffice calls for one `convert`, and stops them all when one fails."""

    def __init__(self, soffice: str, work: Path, timeout: float, labels: list[str]):
        self.soffice, self.work, self.timeout = soffice, work, timeout
        self.running: set[subprocess.Popen] = set()
        self.stopped = False
        self.lock = threading.Lock()

    def output(self, source: Path) -> Path:
        return self.work / "out" / f"{source.stem}.pdf"

    def convert(self, inputs: list[Path], labels: list[str], profile: Path) -> None:
        self._call(inputs, labels, profile)
        missing = [(f, label) for f, label in zip(inputs, labels) if not self.output(f).is_file()]
        for f, label in missing:  # LibreOffice sometimes skips a file of a batch: once more, alone
            self._call([f], [label], profile)
            if not self.output(f).is_file():
                raise RenderError(f"LibreOffice 没能把 {label} 转换为 PDF。请用 Word 或 WPS 打开它检查；"
                                  "反复出现时请检查 LibreOffice 能否正常启动。")

    def _call(self, inputs: list[Path], labels: list[str], profile: Path) -> None:
        command = [
            self.soffice, "--headless", "--norestore", "--nologo", "--nodefault", "--nolockcheck",
            f"-env:UserInstallation={profile.as_uri()}",
            "--convert-to", PDF_FILTER, "--outdir", str(self.work / "out"), *map(str, inputs),
        ]
        env = dict(os.environ, FONTCONFIG_FILE=str(FONTS_CONF), HOME=str(profile))
        with self.lock:
            if self.stopped:
                raise RenderError("PDF 转换已停止。")
            process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                                       start_new_session=True)
            self.running.add(process)
        try:
            _, stderr = process.communicate(timeout=self.timeout)
        except subprocess.TimeoutExpired:
            self._kill(process)
            process.communicate()
            names = "、".join(labels[:3]) + (f"等 {len(labels)} 个文件" if len(labels) > 3 else "")
            raise RenderError(f"LibreOffice 在 {self.timeout:g} 秒内没有转换完 {names}，已停止。"
                              "可用 --timeout 放宽每次转换的时限；反复出现时请检查 LibreOffice 能否正常启动。") from None
        finally:
            with self.lock:
                self.running.discard(process)
        if process.returncode != 0 and self.stopped:
            raise RenderError("PDF 转换已停止。")
        if process.returncode != 0:
            detail = (stderr.decode("utf-8", "replace").strip().splitlines() or [f"退出码 {process.returncode}"])[-1]
            raise RenderError(f"LibreOffice 没能把 {'、'.join(labels[:3])} 转换为 PDF：{detail}")

    @staticmethod
    def _kill(process: subprocess.Popen) -> None:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass

    def stop(self) -> None:
        """Kill every LibreOffice call still running (another one failed, or the run is stopped)."""
        with self.lock:
            self.stopped = True
            running = list(self.running)
        for process in running:
            self._kill(process)


def reproducible(parts: Sequence[bytes], title: str, bookmarks: Sequence[tuple[str, int]] = (),
                 attachments: Sequence[tuple[str, bytes]] = ()) -> bytes:
    """`parts` (PDF bytes) joined into one PDF through a fresh pypdf writer: LibreOffice's creation
    dates and document ids are left behind, so equal input gives equal bytes. `bookmarks`:
    (title, first page); `attachments`: (name, bytes) embedded files (the plan, `docgen.planpart`)."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for part in parts:
        writer.append(PdfReader(io.BytesIO(part)), import_outline=False)
    for name, page in bookmarks:
        writer.add_outline_item(title=name, page_number=page)
    writer.add_metadata({"/Title": title, "/Producer": "docgen", "/Creator": "docgen"})
    for name, data in attachments:
        writer.add_attachment(name, data)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
