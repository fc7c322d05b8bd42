"""Safe, unique file names from unit names: nothing escapes the output folder, Windows-safe."""

from __future__ import annotations

import re
import unicodedata

_FORBIDDEN = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]')
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
#: Bytes for the stem; leaves room for a suffix like "-12.docx" within 255-byte file-name limits.
MAX_STEM_BYTES = 180


def safe_stem(name: str) -> str:
    """A file-name stem for `name`: forbidden characters become "_", no leading/trailing dots or
    spaces, no Windows reserved names, at most `MAX_STEM_BYTES` bytes of UTF-8."""
    stem = unicodedata.normalize("NFC", name)
    stem = _FORBIDDEN.sub("_", stem).strip(" .")
    if not stem or set(stem) <= {"_", "."}:
        stem = "unit"
    if stem.split(".")[0].upper() in _RESERVED:
        stem = f"_{stem}"
    encoded = stem.encode("utf-8")
    if len(encoded) > MAX_STEM_BYTES:
        stem = encoded[:MAX_STEM_BYTES].decode("utf-8", errors="ignore").rstrip(" .")
    return stem


class UniqueNames:
    """Hands out stems that differ case-insensitively ("市局", "市局-2", …)."""

    def __init__(self, reserved: tuple[str, ...] = ()) -> None:
        #: `reserved`: stems of the batch's own files (the bundle), never given to a unit.
        self._taken: set[str] = {r.casefold() for r in reserved}

    def take(self, name: str) -> str:
        base = safe_stem(name)
        stem, n = base, 1
        while stem.casefold() in self._taken:
            n += 1
            stem = f"{base}-{n}"
        self._taken.add(stem.casefold())
        return stem
