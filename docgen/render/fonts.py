"""Font names: which official names go into the .docx, and how PDF rendering finds them on Linux.

The template names the fonts of GB/T 9704 (仿宋_GB2312, 楷体_GB2312, 黑体, 宋体, 方正小标宋简体). The
`font-set` setting rewrites them for the machines that will open the file: ``gb2312`` keeps the
_GB2312 names most offices install, ``windows`` uses 仿宋 and 楷体, which Windows 10 and later ship.

`FONTS_CONF` is the fontconfig file handed to LibreOffice (only to it) when making PDFs: it maps
the official names to free fonts installed from Debian packages, without system-wide changes.
"""

from __future__ import annotations

from pathlib import Path

FONT_SETS: dict[str, dict[str, str]] = {
    "gb2312": {"仿宋": "仿宋_GB2312", "楷体": "楷体_GB2312"},
    "windows": {"仿宋_GB2312": "仿宋", "楷体_GB2312": "楷体"},
}
DEFAULT_FONT_SET = "gb2312"

FONTS_CONF = Path(__file__).resolve().parent / "fonts.conf"


def renames(font_set: str) -> dict[str, str]:
    """Font name replacements for `font_set` (a key of `FONT_SETS`)."""
    return FONT_SETS[font_set]
