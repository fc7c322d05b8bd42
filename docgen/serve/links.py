"""``DATA/links.csv`` (单位,链接): each member unit's link, written whole (temporary file and rename)
and readable by the owner only, since a link is the unit's key; and its QR code (segno, PNG bytes,
the same bytes for the same link).
"""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

LINKS = "links.csv"
HEAD = ("单位", "链接")


class LinksError(ValueError):
    """links.csv cannot be read; the message is for the user (Chinese)."""


def link(base_url: str, token: str) -> str:
    return f"{base_url.rstrip('/')}/u/{token}"


def write(folder: Path, rows: list[tuple[str, str]]) -> Path:
    path = folder / LINKS
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(HEAD)
    writer.writerows(rows)
    tmp = folder / f".{LINKS}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(buffer.getvalue())
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
    return path


def read(path: Path) -> dict[str, str]:
    """unit -> link, from links.csv or from the data folder that holds it."""
    if path.is_dir():
        path = path / LINKS
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise LinksError(f"找不到链接清单 {path}。请先运行 docgen serve，它在数据目录中写出 {LINKS}。") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise LinksError(f"无法读取链接清单 {path}：{exc}。") from None
    rows = list(csv.reader(io.StringIO(text)))
    if not rows or tuple(c.strip() for c in rows[0][:2]) != HEAD:
        raise LinksError(f"{path} 的第一行应是“单位,链接”，不是 docgen serve 写出的链接清单。")
    out = {}
    for number, row in enumerate(rows[1:], start=2):
        if len(row) < 2 or not row[0].strip():
            continue
        url = row[1].strip()
        if url and not url.startswith(("http://", "https://")):
            raise LinksError(f"{path}:{number}: “{row[0]}”的链接“{url[:60]}”不是 http(s) 地址。")
        out[row[0].strip()] = url
    return out


def qr_png(url: str, scale: int = 4) -> bytes:
    import segno

    buffer = io.BytesIO()
    segno.make(url, error="m", micro=False).save(buffer, kind="png", scale=scale, border=2)
    return buffer.getvalue()
