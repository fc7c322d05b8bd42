"""Font names: which official names go into the .docx, and how PDF rendering finds them on Linux.

The template names the fonts of GB/T 9704 (仿宋_GB2312, 楷体_GB2312, 黑体, 宋体, 方正小标宋简体). The
`font-set` setting rewrites them for the machines that will open the file: ``gb2312`` keeps the
_GB2312 names most offices install, ``windows`` uses 仿宋 and 楷体, which Windows 10 and later ship.

`FONTS_CONF` is the fontconfig file handed to LibreOffice (only to it) when making PDFs: it maps
the official names to free fonts installed from Debian packages, without system-wide changes.
"""

from __future__ import annotations

import re
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


def substitutions(conf: Path = FONTS_CONF) -> dict[str, tuple[tuple[str, ...], bool]]:
    """Official font name -> (the faces that print it, first the stand-in then its fallbacks;
    whether it is printed bold), as `conf` maps them."""
    from xml.etree import ElementTree  # noqa: PLC0415 - our own file, read only when reporting

    out = {}
    for match in ElementTree.parse(conf).getroot().iter("match"):
        test = match.find("test/string")
        faces = tuple(s.text for e in match.findall("edit") if e.get("name") == "family" for s in e.iter("string"))
        bold = any(e.get("name") == "weight" for e in match.findall("edit"))
        if test is not None and faces:
            out[test.text] = (faces, bold)
    return out


def _key(name: str) -> str:
    """A face or PDF font name reduced for comparison: letters only, no region (SC, JP, CN)."""
    base = re.sub(r"[^a-z]", "", name.split("-")[0].lower())
    return re.sub(r"(sc|jp|cn|kr|tc|hk)$", "", base)


def stand_ins(pdf_fonts: list[str]) -> dict[str, list[str]]:
    """Official font name -> the fonts of a PDF (names as `pdffonts` lists them, subset prefix
    dropped) that are its stand-in or fallback faces."""
    out: dict[str, list[str]] = {}
    for official, (faces, bold) in substitutions().items():
        keys = [_key(face) for face in faces]
        for font in pdf_fonts:
            key = _key(font)
            if any(k == key or k.endswith(key) for k in keys) and ("Bold" in font) == bold:
                out.setdefault(official, []).append(font)
    return out
