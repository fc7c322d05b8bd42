"""Uploaded 佐证材料: the type is read from the bytes (never from the name or the browser), the file is
written to a temporary name, flushed to disk and renamed into place only when complete.

Files live in ``DATA/evidence/`` under random names (never a name the user gave, so no path can
escape the folder); the app serves them only through a route that checks the unit. A file whose
database row was never committed (the server killed between rename and commit) is removed at the
next start, as are temporary files.
"""

from __future__ import annotations

import io
import os
import re
import secrets
import unicodedata
import zipfile
from pathlib import Path

MAX_BYTES = 10 * 1024 * 1024
#: kind -> (extension, media type)
KINDS = {
    "pdf": (".pdf", "application/pdf"),
    "png": (".png", "image/png"),
    "jpeg": (".jpg", "image/jpeg"),
    "gif": (".gif", "image/gif"),
    "webp": (".webp", "image/webp"),
    "docx": (".docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xlsx": (".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}
ACCEPT = ",".join(sorted({ext for ext, _ in KINDS.values()} | {".jpeg"}))
FOLDER = "evidence"
_ID = re.compile(r"^[0-9a-f]{32}$")


class Rejected(ValueError):
    """The upload is refused; the message is for the unit (Chinese)."""


def sniff(data: bytes) -> str | None:
    """The kind of file `data` is (a key of `KINDS`), or None."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                names = set(zf.namelist())
                if len(names) > 5000 or "[Content_Types].xml" not in names:
                    return None
                types = zf.read("[Content_Types].xml")[:200_000]
        except (zipfile.BadZipFile, OSError, ValueError, KeyError, NotImplementedError, RuntimeError):
            return None
        if b"wordprocessingml.document.main+xml" in types and "word/document.xml" in names:
            return "docx"
        if b"spreadsheetml.sheet.main+xml" in types and "xl/workbook.xml" in names:
            return "xlsx"
    return None


def display_name(filename: str, kind: str) -> str:
    """The name shown for an upload: the user's name without folders or control characters, at most
    80 characters, with the extension of the kind it really is."""
    base = unicodedata.normalize("NFC", filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = re.sub(r"[\x00-\x1f\x7f<>:\"|?*]", "_", base).strip(" .")
    stem = base.rsplit(".", 1)[0] if "." in base else base
    stem = stem[:80] or "佐证材料"
    return stem + KINDS[kind][0]


def check(filename: str, data: bytes) -> str:
    """The kind of an upload, or `Rejected` with why."""
    if not data:
        raise Rejected("上传的文件是空的。")
    if len(data) > MAX_BYTES:
        raise Rejected(f"文件超过 {MAX_BYTES // (1024 * 1024)} MB，请压缩后再上传。")
    kind = sniff(data)
    if kind is None:
        raise Rejected(f"“{display_name(filename, 'pdf')[:-4]}”不是 PDF、图片（JPG、PNG）、Word（.docx）或 Excel（.xlsx）文件，"
                       "未上传。")
    return kind


class Files:
    """The evidence folder of a data folder."""

    def __init__(self, data: Path):
        self.root = data / FOLDER
        self.tmp = self.root / ".tmp"

    def new_id(self) -> str:
        return secrets.token_hex(16)

    def path(self, ident: str) -> Path:
        if not _ID.match(ident):
            raise ValueError(ident)
        return self.root / ident[:2] / ident

    def write(self, ident: str, data: bytes) -> Path:
        """Write the file whole (temporary file, fsync, rename, fsync of the folder)."""
        final = self.path(ident)
        final.parent.mkdir(parents=True, exist_ok=True)
        self.tmp.mkdir(parents=True, exist_ok=True)
        tmp = self.tmp / f"{ident}.part"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, final)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        dirfd = os.open(final.parent, os.O_RDONLY)
        try:
            os.fsync(dirfd)
        finally:
            os.close(dirfd)
        return final

    def read(self, ident: str) -> bytes | None:
        try:
            return self.path(ident).read_bytes()
        except (OSError, ValueError):
            return None

    def discard(self, ident: str) -> None:
        try:
            self.path(ident).unlink(missing_ok=True)
        except ValueError:
            pass

    def clean(self, known: set[str]) -> int:
        """Remove temporary files and files no database row names; how many were removed."""
        removed = 0
        if self.tmp.is_dir():
            for path in self.tmp.iterdir():
                path.unlink(missing_ok=True)
                removed += 1
        if self.root.is_dir():
            for sub in self.root.iterdir():
                if sub.is_dir() and sub != self.tmp:
                    for path in sub.iterdir():
                        if path.name not in known:
                            path.unlink(missing_ok=True)
                            removed += 1
        return removed
