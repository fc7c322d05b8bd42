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


def reproducible(data: bytes, stamp: str = "2000-01-01T00:00:00Z") -> bytes:
    """`data` re-zipped with fixed timestamps (entries in their original order), and the created and
    modified dates in docProps/core.xml set to `stamp` (W3CDTF, e.g. the document's own date)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            body = zin.read(item.filename)
            if item.filename == "docProps/core.xml":
                body = _CORE_DATES.sub(lambda m: m.group(1) + stamp.encode() + m.group(3), body)
            info = zipfile.ZipInfo(item.filename, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zout.writestr(info, body)
    return out.getvalue()
