"""Byte-reproducible Office packages (.docx, .xlsx): fixed zip timestamps and core dates.

Same input, same bytes: git diffs and CI caches depend on it.

`zip_parts` writes the zip itself rather than through `zipfile`, for one reason: `zipfile` cannot
store data that is already compressed. A batch of notices shares most of its parts (styles, fonts,
footers) with the template; deflating those once (`deflate`) and copying the bytes into every
package halves the time per notice (see bench/notify.py). The format is the plain PKZIP subset
Office and `zipfile` read: deflated entries, no extra fields, no zip64 (packages stay far below 4 GB).
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass

#: Every entry's timestamp: 1980-01-01 00:00 (the zip epoch), as DOS date and time.
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_DOS_DATE, _DOS_TIME = (0 << 9) | (1 << 5) | 1, 0
_EXTERNAL_ATTR = 0o644 << 16
_UTF8_FLAG = 0x800
_CORE_DATES = re.compile(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")


@dataclass(frozen=True)
class Entry:
    """One part, deflated: what a zip entry needs besides its position."""

    name: str
    crc: int
    size: int
    data: bytes


def deflate(name: str, body: bytes) -> Entry:
    """`body` deflated as `zipfile` does (level 6, raw stream)."""
    compressor = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
    return Entry(name, zlib.crc32(body), len(body), compressor.compress(body) + compressor.flush())


def zip_parts(parts: Iterable[tuple[str, bytes] | Entry]) -> bytes:
    """A package from parts in order, each (name, bytes) or an already deflated `Entry`."""
    out = io.BytesIO()
    central = []
    for part in parts:
        entry = part if isinstance(part, Entry) else deflate(*part)
        name = entry.name.encode("utf-8")
        flags = 0 if entry.name.isascii() else _UTF8_FLAG
        offset = out.tell()
        out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, flags, zipfile.ZIP_DEFLATED, _DOS_TIME, _DOS_DATE,
                              entry.crc, len(entry.data), entry.size, len(name), 0))
        out.write(name)
        out.write(entry.data)
        central.append(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, flags, zipfile.ZIP_DEFLATED,
                                   _DOS_TIME, _DOS_DATE, entry.crc, len(entry.data), entry.size, len(name),
                                   0, 0, 0, 0, _EXTERNAL_ATTR, offset) + name)
    start = out.tell()
    for record in central:
        out.write(record)
    out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(central), len(central), out.tell() - start, start, 0))
    return out.getvalue()


def reproducible(data: bytes, stamp: str | None = None) -> bytes:
    """`data` re-zipped by `zip_parts` (entries in their original order); with `stamp` (W3CDTF, e.g.
    the document's own date) also the created and modified dates in docProps/core.xml."""
    def body(name: str, raw: bytes) -> bytes:
        if stamp and name == "docProps/core.xml":
            return _CORE_DATES.sub(lambda m: m.group(1) + stamp.encode() + m.group(3), raw)
        return raw

    with zipfile.ZipFile(io.BytesIO(data)) as zin:
        return zip_parts((i.filename, body(i.filename, zin.read(i.filename))) for i in zin.infolist())
