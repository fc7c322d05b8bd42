"""Byte-reproducible Office packages (.docx, .xlsx): fixed zip timestamps and core dates.

Same input, same bytes: git diffs and CI caches depend on it.
"""

from __future__ import annotations

import io
import re
import zipfile

#: Every entry of a written package gets this timestamp.
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_CORE_DATES = re.compile(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")


def zip_parts(parts) -> bytes:
    """A package from (name, bytes) pairs, in order, every entry with the same fixed timestamp."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for name, body in parts:
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zout.writestr(info, body)
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
