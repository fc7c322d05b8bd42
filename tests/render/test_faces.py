"""The faces that print the official fonts: the .docx names the official fonts, the PDF embeds
the free stand-ins of docgen/render/fonts.conf, in their simplified Chinese (SC) forms."""

from __future__ import annotations

import re
import subprocess
import zipfile
from functools import cache

import pytest
from fontTools.ttLib import TTCollection
from pypdf import PdfReader

from docgen.render.fonts import FONTS_CONF, stand_ins, substitutions
from docgen.render.measure import embedded_fonts

from .test_measured_layout import KINDS

OFFICIAL = ("仿宋_GB2312", "楷体_GB2312", "黑体", "宋体", "方正小标宋简体")
NOTO = {  # PDF font name prefix -> the collection it comes from
    "NotoSansCJKjp-Regular": "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "NotoSansCJKjp-Bold": "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    "NotoSerifCJKjp-Regular": "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "NotoSerifCJKjp-Bold": "/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc",
}


@pytest.mark.parametrize("kind", KINDS)
def test_docx_names_the_official_fonts_and_no_theme_fonts(gallery, kind):
    with zipfile.ZipFile(gallery[kind].docx) as zf:
        names = zf.namelist()
        xml = "".join(zf.read(n).decode("utf-8") for n in names if n.endswith(".xml"))
    assert not [n for n in names if "theme" in n]
    assert not re.search(r"w:(ascii|hAnsi|eastAsia|cs)Theme=", xml)
    for name in OFFICIAL:
        assert f'w:eastAsia="{name}"' in xml, name
    for face in ("Fandol", "Noto", "Liberation", "UKai", "UMing"):
        assert face not in xml


def test_every_official_font_has_a_stand_in_with_a_fallback_for_rare_characters():
    mapped = substitutions()
    for name in (*OFFICIAL, "仿宋", "楷体", "Times New Roman"):
        assert name in mapped, name
    for name in ("仿宋_GB2312", "仿宋", "楷体_GB2312", "楷体"):  # Fandol faces cover GB 2312 only
        faces, _ = mapped[name]
        assert faces[0].startswith("Fandol") and len(faces) >= 2, (name, faces)
    assert mapped["方正小标宋简体"] == (("Noto Serif CJK SC",), True)
    fc = subprocess.run(["fc-match", "-f", "%{family[0]}|%{style[0]}", "方正小标宋简体"], check=True,
                        capture_output=True, text=True, env={"FONTCONFIG_FILE": str(FONTS_CONF)}).stdout
    assert fc == "Noto Serif CJK SC|Bold"
    for name, family in (("仿宋_GB2312", "FandolFang"), ("楷体_GB2312", "FandolKai"), ("黑体", "Noto Sans CJK SC"),
                         ("Times New Roman", "Liberation Serif")):
        fc = subprocess.run(["fc-match", "-f", "%{family[0]}", name], check=True, capture_output=True, text=True,
                            env={"FONTCONFIG_FILE": str(FONTS_CONF)}).stdout
        assert fc == family, (name, fc)


@pytest.mark.parametrize("kind", KINDS)
def test_pdffonts_lists_the_stand_ins_all_embedded(gallery, kind):
    fonts = embedded_fonts(gallery[kind].pdf)
    assert fonts and all(embedded for _, embedded in fonts), fonts
    printed = stand_ins([name for name, _ in fonts])
    assert printed["仿宋_GB2312"][0] == "FandolFang-Regular"      # the body
    assert printed["方正小标宋简体"] == ["NotoSerifCJKjp-Bold-VKana"]  # titles and the 红头
    assert printed["黑体"] == ["NotoSansCJKjp-Regular-VKana"]       # 一、 headings
    assert printed["宋体"] == ["NotoSerifCJKjp-Regular-VKana"]      # page numbers
    assert not [name for name, _ in fonts if name.startswith(("UMing", "WenQuanYi", "DejaVu"))]


@cache
def _sc_glyphs(collection: str) -> frozenset[str]:
    """Glyph names the simplified Chinese face of a Noto CJK collection maps characters to."""
    ttc = TTCollection(collection, lazy=True)
    face = next(f for f in ttc.fonts if f["name"].getDebugName(6).startswith(("NotoSansCJKsc", "NotoSerifCJKsc")))
    return frozenset(face.getBestCmap().values())


@cache
def _jp_only(collection: str) -> frozenset[str]:
    ttc = TTCollection(collection, lazy=True)
    face = next(f for f in ttc.fonts if f["name"].getDebugName(6).startswith(("NotoSansCJKjp", "NotoSerifCJKjp")))
    return frozenset(face.getBestCmap().values()) - _sc_glyphs(collection)


def _noto_glyphs(pdf) -> dict[str, set[str]]:
    """Glyph names (cidNNNNN) of each embedded Noto CJK font of `pdf`, by collection."""
    out: dict[str, set[str]] = {}
    for page in PdfReader(str(pdf)).pages:
        for font in page.get("/Resources", {}).get("/Font", {}).values():
            font = font.get_object()
            name = str(font.get("/BaseFont", "")).lstrip("/").split("+", 1)[-1]
            collection = next((c for prefix, c in NOTO.items() if name.startswith(prefix)), None)
            descriptor = font.get("/FontDescriptor")
            if collection is None or descriptor is None:
                continue
            descriptor = descriptor.get_object()
            program = next((descriptor[k] for k in ("/FontFile", "/FontFile2", "/FontFile3") if k in descriptor), None)
            data = program.get_object().get_data()
            out.setdefault(collection, set()).update(f"cid{int(n):05d}" for n in re.findall(rb"/cid(\d+)", data))
    return out


@pytest.mark.parametrize("kind", KINDS)
def test_noto_faces_print_simplified_chinese_forms(gallery, kind):
    """The Noto CJK collections share outlines named "…jp" by all faces; the glyphs printed must
    be those the SC face maps characters to, never the Japanese forms."""
    found = _noto_glyphs(gallery[kind].pdf)
    assert found, "the 红头 and titles print in Noto Serif CJK"
    for collection, glyphs in found.items():
        sc = _sc_glyphs(collection)
        assert glyphs <= sc, sorted(glyphs - sc)[:10]
        assert not glyphs & _jp_only(collection)
