"""Build the Word template docgen fills: templates/official.docx (GB/T 9704-2012 公文格式).

Run `python templates/build_templates.py` after changing anything below; commit the .docx with it.
The output is byte-for-byte reproducible.

Everything about the look is here, as Word styles and page setup, so that an office can open the
.docx in Word or WPS, change its 红头, fonts or spacing, save a copy and point its plan (`模板:`)
or its registry entry at it. docgen only chooses styles by name and fills the `{{ }}` fields:

- body: `{{r 发文机关标志 }}`, `{{ 发文字号 }}` and `{{p 正文 }}` (everything from the title on);
- the footer of the last section: `{{ 抄送 }}`, `{{ 印发机关 }}`, `{{ 印发日期 }}` (the 版记).

Units: twips (1/20 pt; 567 per cm), half-points for font sizes, eighths of a point for borders.
Lengths in 字 ("characters") are multiples of the font size: 2 字 of 三号 (16 pt) = 640 twips.
"""

from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

HERE = Path(__file__).resolve().parent
OUTPUT = HERE / "official.docx"
sys.path.insert(0, str(HERE.parent))

from docgen.render import geometry  # noqa: E402

# -- fonts (official names; `docgen` maps them per its font-set setting) --------------------------
FANGSONG = "仿宋_GB2312"
KAITI = "楷体_GB2312"
HEITI = "黑体"
SONGTI = "宋体"
XIAOBIAOSONG = "方正小标宋简体"
LATIN = "Times New Roman"
RED = "FF0000"

# -- page (GB/T 9704 5.2): every figure comes from docgen.render.geometry -------------------------
PAGE_W, PAGE_H = geometry.PAGE_W, geometry.PAGE_H
TOP, BOTTOM, LEFT, RIGHT = geometry.TOP, geometry.BOTTOM, geometry.LEFT, geometry.RIGHT
TEXT_W = geometry.TEXT_W                # 156 mm
LINE = geometry.LINE                    # 225 mm / 22 lines, exact
FOOTER = geometry.FOOTER                # the page number's line 7 mm under the text area
CHAR = geometry.CHAR                    # 1 字 of 三号 (16 pt)
SMALL_CHAR = geometry.SMALL_CHAR        # 1 字 of 四号 (14 pt): 版记 and page numbers
MARK_BEFORE = geometry.twips(geometry.MARK_TOP_MM) - 69  # the mark's line box starts above its glyphs


def fonts(east_asia: str, latin: str = LATIN) -> str:
    return f'<w:rFonts w:ascii="{latin}" w:hAnsi="{latin}" w:eastAsia="{east_asia}" w:cs="{latin}"/>'


def size(points: float) -> str:
    half = round(points * 2)
    return f'<w:sz w:val="{half}"/><w:szCs w:val="{half}"/>'


def spacing(before: int = 0, after: int = 0, line: int = LINE) -> str:
    return f'<w:spacing w:before="{before}" w:after="{after}" w:line="{line}" w:lineRule="exact"/>'


def indent(first_chars: float = 0, left: int = 0, right: int = 0, hanging: int = 0, char: int = CHAR) -> str:
    """An indent; `first_chars` in 字 (written both in twips and as Word's *Chars value)."""
    attrs = f'w:left="{left}" w:right="{right}"'
    if hanging:
        attrs += f' w:hanging="{hanging}"'
    elif first_chars:
        attrs += f' w:firstLine="{round(first_chars * char)}" w:firstLineChars="{round(first_chars * 100)}"'
    else:
        attrs += ' w:firstLine="0" w:firstLineChars="0"'
    return f"<w:ind {attrs}/>"


def border(side: str, eighths: int, color: str = "000000", space: int = 1) -> str:
    return f'<w:{side} w:val="single" w:sz="{eighths}" w:space="{space}" w:color="{color}"/>'


def style(kind: str, style_id: str, name: str, *, based: str | None = "Normal", next_id: str | None = None,
          ppr: str = "", rpr: str = "", extra: str = "") -> str:
    parts = [f'<w:style w:type="{kind}" w:customStyle="1" w:styleId="{style_id}">',
             f'<w:name w:val="{name}"/>']
    if based:
        parts.append(f'<w:basedOn w:val="{based}"/>')
    if next_id:
        parts.append(f'<w:next w:val="{next_id}"/>')
    parts.append('<w:qFormat/>')
    if ppr:
        parts.append(f"<w:pPr>{ppr}</w:pPr>")
    if rpr:
        parts.append(f"<w:rPr>{rpr}</w:rPr>")
    parts.append(extra)
    parts.append("</w:style>")
    return "".join(parts)


def paragraph_style(style_id: str, name: str, ppr: str = "", rpr: str = "", based: str = "GwBody") -> str:
    return style("paragraph", style_id, name, based=based, next_id="GwBody", ppr=ppr, rpr=rpr)


NOT_BOLD = '<w:b w:val="0"/><w:bCs w:val="0"/>'
BOLD = "<w:b/><w:bCs/>"
NO_SPACING = '<w:spacing w:val="0"/>'

STYLES = [
    # Normal: 三号仿宋, black, exact 28.95 pt lines, no widow/orphan control (22 full lines a page),
    # -0.25 pt between characters so that 28 characters fill the 156 mm line. w:overflowPunct is
    # on: Word may hang a closing mark into the margin; LibreOffice (7.4) then breaks before the
    # character that precedes the mark. Switched off, LibreOffice drops a closing mark that falls
    # at the end of a justified line from the printed page (tests/render/test_every_character.py).
    '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/>'
    f'<w:pPr><w:widowControl w:val="0"/><w:overflowPunct w:val="1"/><w:autoSpaceDE w:val="0"/>'
    f'<w:autoSpaceDN w:val="0"/>{spacing()}'
    f'{indent()}<w:jc w:val="both"/></w:pPr>'
    f'<w:rPr>{fonts(FANGSONG)}<w:color w:val="000000"/><w:spacing w:val="{geometry.CHAR_SPACING}"/><w:kern w:val="0"/>{size(geometry.SANHAO)}'
    '<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr></w:style>',
    '<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont">'
    '<w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/><w:unhideWhenUsed/></w:style>',
    '<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/>'
    '<w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/>'
    '<w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/>'
    '<w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>',
    # 正文 (7.3.3): indented two characters, justified.
    style("paragraph", "GwBody", "公文正文", next_id="GwBody", ppr=indent(2)),
    # 版头 (7.2): the organ's mark, red 小标宋, centred, its top 35 mm under the text area's top.
    paragraph_style("GwMark", "发文机关标志",
                    f'<w:keepNext/>{spacing(before=MARK_BEFORE, line=860)}{indent()}<w:jc w:val="center"/>',
                    f'{fonts(XIAOBIAOSONG)}<w:color w:val="{RED}"/>{NO_SPACING}{size(geometry.MARK_SIZE)}'),
    # 发文字号 two lines under the mark, centred; the red separator 4 mm under it, full width.
    paragraph_style("GwDocNumber", "发文字号",
                    f'<w:keepNext/><w:pBdr>{border("bottom", 8, RED, 11)}</w:pBdr>'
                    f'{spacing(before=2 * LINE)}{indent()}<w:jc w:val="center"/>'),
    # 标题 (7.3.1): 二号小标宋, centred, two lines under the red line; one blank line after it.
    paragraph_style("GwTitle", "标题",
                    f'<w:keepNext/>{spacing(before=2 * LINE, after=LINE, line=round(LINE * 1.2))}{indent()}'
                    '<w:jc w:val="center"/><w:outlineLvl w:val="0"/>',
                    f'{fonts(XIAOBIAOSONG)}{NO_SPACING}{size(geometry.ERHAO)}'),
    # The plan after its 印发通知: the same title, starting a new page.
    paragraph_style("GwPlanTitle", "方案标题",
                    f'<w:keepNext/><w:pageBreakBefore/>{spacing(after=LINE, line=round(LINE * 1.2))}{indent()}'
                    '<w:jc w:val="center"/><w:outlineLvl w:val="0"/>',
                    f'{fonts(XIAOBIAOSONG)}{NO_SPACING}{size(geometry.ERHAO)}'),
    # 主送机关 (7.3.2): flush left.
    paragraph_style("GwRecipients", "主送机关", f'<w:keepNext/>{indent()}'),
    # Headings (7.3.3): 一、黑体  （一）楷体  1. 仿宋加粗  （1）仿宋.
    paragraph_style("GwHeading1", "一级标题", '<w:keepNext/><w:outlineLvl w:val="1"/>', fonts(HEITI)),
    paragraph_style("GwHeading2", "二级标题", '<w:keepNext/><w:outlineLvl w:val="2"/>', fonts(KAITI)),
    paragraph_style("GwHeading3", "三级标题", '<w:keepNext/><w:outlineLvl w:val="3"/>', BOLD),
    paragraph_style("GwHeading4", "四级标题", '<w:keepNext/><w:outlineLvl w:val="4"/>'),
    # 附件说明 (7.3.4): one line under the body, two characters in; the names of several attachments
    # aligned under each other after "附件：".
    paragraph_style("GwAttachmentNote", "附件说明",
                    spacing(before=LINE) + indent(left=5 * CHAR, hanging=3 * CHAR)),
    paragraph_style("GwAttachmentNoteItem", "附件说明续行", indent(left=5 * CHAR)),
    # 署名和成文日期 (7.3.5). With a seal: the date 4 characters in from the right, the organ centred
    # over it (docgen computes that offset); two lines left free above for the seal.
    paragraph_style("GwSignatureSealed", "署名（用印）",
                    f'<w:keepNext/>{spacing(before=2 * LINE)}{indent(right=4 * CHAR)}<w:jc w:val="right"/>'),
    paragraph_style("GwDateSealed", "成文日期（用印）", f'{indent(right=4 * CHAR)}<w:jc w:val="right"/>'),
    # Without a seal: the organ one line under the text, 2 characters in; the date under it, its
    # first character 2 characters right of the organ's (docgen computes that offset).
    paragraph_style("GwSignature", "署名（不用印）",
                    f'<w:keepNext/>{spacing(before=LINE)}{indent(right=2 * CHAR)}<w:jc w:val="right"/>'),
    paragraph_style("GwDate", "成文日期（不用印）", f'{indent(right=2 * CHAR)}<w:jc w:val="right"/>'),
    # 附注 (7.3.6): the line after the date, two characters in, in full-width brackets.
    paragraph_style("GwRemark", "附注", indent(2)),
    # 附件 (7.3.7): each on a new page; 附件N in 三号黑体 flush left on line 1, its title in
    # 二号小标宋 centred on line 3.
    paragraph_style("GwAttachmentLabel", "附件标识", f'<w:keepNext/><w:pageBreakBefore/>{indent()}', fonts(HEITI)),
    paragraph_style("GwAttachmentTitle", "附件标题",
                    f'<w:keepNext/>{spacing(before=LINE, after=LINE, line=round(LINE * 1.2))}{indent()}'
                    '<w:jc w:val="center"/>', f'{fonts(XIAOBIAOSONG)}{NO_SPACING}{size(geometry.ERHAO)}'),
    # Tables (8): 小四仿宋, the head row in 黑体.
    paragraph_style("GwTableText", "表格文字", f'{spacing(line=360)}{indent()}<w:jc w:val="left"/>',
                    f"{NO_SPACING}{size(geometry.XIAOSI)}"),
    paragraph_style("GwTableHead", "表格表头", f'<w:keepNext/>{spacing(line=360)}{indent()}<w:jc w:val="center"/>',
                    f"{fonts(HEITI)}{NO_SPACING}{size(geometry.XIAOSI)}"),
    # 版记 (7.4): 四号仿宋, one character in from each side; 印发日期 against a right tab one
    # character in from the right; 抄送 wrapping under the first organ. (Its rules are the borders
    # of the table that holds it, in the last footer: they run the full width of the text area.)
    paragraph_style("GwClosing", "版记",
                    f'<w:tabs><w:tab w:val="right" w:pos="{TEXT_W - SMALL_CHAR}"/></w:tabs>'
                    f'{indent(left=4 * SMALL_CHAR, right=SMALL_CHAR, hanging=3 * SMALL_CHAR)}<w:jc w:val="left"/>',
                    f"{NO_SPACING}{size(geometry.SIHAO)}", based="Normal"),
    # 页码 (7.5): 四号半角宋体 `— N —`, right one character in on odd pages, left on even ones.
    paragraph_style("GwPageOdd", "页码（奇数页）", f'{spacing(line=360)}{indent(right=SMALL_CHAR)}<w:jc w:val="right"/>',
                    f"{fonts(SONGTI, SONGTI)}{NO_SPACING}{size(geometry.SIHAO)}", based="Normal"),
    paragraph_style("GwPageEven", "页码（偶数页）", f'{spacing(line=360)}{indent(left=SMALL_CHAR)}<w:jc w:val="left"/>',
                    f"{fonts(SONGTI, SONGTI)}{NO_SPACING}{size(geometry.SIHAO)}", based="Normal"),
    # The empty paragraph that closes a section: as small as Word allows.
    paragraph_style("GwSectionEnd", "分节", f"{spacing(line=20)}{indent()}", size(1), based="Normal"),
    # Runs: a task's lead sentence in bold; body text inside a heading paragraph (its 导语).
    style("character", "GwLead", "引导句", based="DefaultParagraphFont", rpr=BOLD),
    style("character", "GwPlain", "正文文字", based="DefaultParagraphFont", rpr=fonts(FANGSONG) + NOT_BOLD),
    # The table grid.
    style("table", "GwTable", "公文表格", based="TableNormal",
          extra='<w:tblPr><w:jc w:val="center"/><w:tblBorders>'
                + "".join(border(side, 4, space=0) for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
                + '</w:tblBorders><w:tblCellMar><w:top w:w="57" w:type="dxa"/><w:left w:w="85" w:type="dxa"/>'
                '<w:bottom w:w="57" w:type="dxa"/><w:right w:w="85" w:type="dxa"/></w:tblCellMar></w:tblPr>'
                '<w:tcPr><w:vAlign w:val="center"/></w:tcPr>'),
]

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
R = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
WP = ('xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
      'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
      'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"')
HEAD = "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"

STYLES_XML = (
    f"{HEAD}<w:styles {W}><w:docDefaults><w:rPrDefault><w:rPr>{fonts(FANGSONG)}{size(geometry.SANHAO)}"
    '<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>'
    '<w:pPrDefault><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr></w:pPrDefault>'
    "</w:docDefaults>" + "".join(STYLES) + "</w:styles>"
)


def p(style_id: str, content: str = "", ppr: str = "") -> str:
    return f'<w:p><w:pPr><w:pStyle w:val="{style_id}"/>{ppr}</w:pPr>{content}</w:p>'


def r(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def sect(footer_refs: str, footer: int, extra: str = "", landscape: bool = False) -> str:
    """Section properties: A4 portrait, or landscape turned a quarter anticlockwise so that a
    table's head faces the binding (8): the binding margin becomes the top, the top the right."""
    if landscape:
        size = f'<w:pgSz w:w="{PAGE_H}" w:h="{PAGE_W}" w:orient="landscape"/>'
        margins = f'w:top="{LEFT}" w:right="{TOP}" w:bottom="{RIGHT}" w:left="{BOTTOM}"'
    else:
        size = f'<w:pgSz w:w="{PAGE_W}" w:h="{PAGE_H}"/>'
        margins = f'w:top="{TOP}" w:right="{RIGHT}" w:bottom="{BOTTOM}" w:left="{LEFT}"'
    return (f"<w:sectPr>{footer_refs}{extra}{size}<w:pgMar {margins} w:header=\"851\" w:footer=\"{footer}\" "
            f'w:gutter="0"/><w:cols w:space="425"/><w:docGrid w:linePitch="{LINE}"/></w:sectPr>')


def refs(default: str, even: str) -> str:
    return (f'<w:footerReference w:type="default" r:id="{default}"/>'
            f'<w:footerReference w:type="even" r:id="{even}"/>')


# The main section: 版头, 正文 and attachments, numbered pages. Then an empty landscape section:
# docgen copies its properties (and page-number footers) for tables that need the width, and
# drops it from the document. The last section holds only the 版记, in its footer, so that the
# last rule lies on the bottom of the text area; it starts on an even page and shows no page
# number (7.4, 7.5).
DOCUMENT_XML = (
    f"{HEAD}<w:document {W} {R} {WP}><w:body>"
    + p("GwMark", r("{{r 发文机关标志 }}"))
    + p("GwDocNumber", r("{{ 发文字号 }}"))
    + p("GwBody", r("{{p 正文 }}"))
    + p("GwSectionEnd", ppr=sect(refs("rId10", "rId11"), FOOTER))
    + p("GwSectionEnd", ppr=sect(refs("rId14", "rId15"), FOOTER, landscape=True))
    + p("GwSectionEnd")
    + sect(refs("rId12", "rId13"), BOTTOM, '<w:type w:val="evenPage"/>')
    + "</w:body></w:document>"
)


PAGE_FIELD = ('<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
              '<w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
              '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r>'
              '<w:r><w:fldChar w:fldCharType="end"/></w:r>')


def page_number(style_id: str) -> str:
    return f"{HEAD}<w:ftr {W} {R}>" + p(style_id, r("— ") + PAGE_FIELD + r(" —")) + "</w:ftr>"


EMU = 36000  # per mm


def rotated_page_number(odd: bool, box_id: int) -> str:
    """The page number of a landscape page where it stands on the portrait pages (7.5, 8): in
    the landscape page's left margin (the portrait page's foot), turned with the page, 7 mm off
    the text area; near the bottom (the portrait page's right) on odd pages, near the top on even
    ones, one character in."""
    mm = lambda twips: twips / 56.7  # noqa: E731
    height = 40.0
    text_left = mm(BOTTOM)
    x = text_left - 6.5 - mm(SMALL_CHAR) * 1.2  # the line box, a little wider than the box, centred on it
    y = (mm(PAGE_W) - mm(RIGHT) - mm(SMALL_CHAR) - height) if odd else (mm(LEFT) + mm(SMALL_CHAR))
    style_id = "GwPageOdd" if odd else "GwPageEven"
    content = p(style_id, r("— ") + PAGE_FIELD + r(" —"), ppr='<w:ind w:left="0" w:right="0"/>')
    box = (
        f'<w:r><w:drawing><wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" relativeHeight="{box_id}" '
        'behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1"><wp:simplePos x="0" y="0"/>'
        f'<wp:positionH relativeFrom="page"><wp:posOffset>{round(x * EMU)}</wp:posOffset></wp:positionH>'
        f'<wp:positionV relativeFrom="page"><wp:posOffset>{round(y * EMU)}</wp:posOffset></wp:positionV>'
        f'<wp:extent cx="{round(mm(SMALL_CHAR) * 1.2 * EMU)}" cy="{round(height * EMU)}"/>'
        f'<wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapNone/><wp:docPr id="{box_id}" name="页码{box_id}"/>'
        '<wp:cNvGraphicFramePr/><a:graphic><a:graphicData '
        'uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:wsp><wps:cNvSpPr txBox="1"/>'
        f'<wps:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{round(mm(SMALL_CHAR) * 1.2 * EMU)}" '
        f'cy="{round(height * EMU)}"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:noFill/>'
        f'<a:ln><a:noFill/></a:ln></wps:spPr><wps:txbx><w:txbxContent>{content}</w:txbxContent></wps:txbx>'
        '<wps:bodyPr rot="0" vert="vert" wrap="square" lIns="0" tIns="0" rIns="0" bIns="0" anchor="ctr" '
        'anchorCtr="0"><a:noAutofit/></wps:bodyPr></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></w:r>'
    )
    return f"{HEAD}<w:ftr {W} {R} {WP}>" + p("GwSectionEnd", box) + "</w:ftr>"


def row(content: str) -> str:
    return f'<w:tr><w:trPr><w:cantSplit/></w:trPr><w:tc><w:tcPr><w:tcW w:w="{TEXT_W}" w:type="dxa"/></w:tcPr>{content}</w:tc></w:tr>'


# The 版记: a full-width table whose top and bottom borders are the thick rules (0.35 mm) and
# whose inner borders are the thin ones (0.25 mm). Its last rule lies on the bottom of the text
# area because the footer's distance from the page edge is the bottom margin.
CLOSING_FOOTER = (
    f"{HEAD}<w:ftr {W} {R}>"
    f'<w:tbl><w:tblPr><w:tblW w:w="{TEXT_W}" w:type="dxa"/><w:tblInd w:w="0" w:type="dxa"/><w:tblBorders>'
    f'{border("top", 8, space=0)}{border("bottom", 8, space=0)}{border("insideH", 6, space=0)}</w:tblBorders>'
    '<w:tblLayout w:type="fixed"/><w:tblCellMar><w:left w:w="0" w:type="dxa"/><w:right w:w="0" w:type="dxa"/>'
    f'</w:tblCellMar></w:tblPr><w:tblGrid><w:gridCol w:w="{TEXT_W}"/></w:tblGrid>'
    + row(p("GwClosing", r("{%tr if 抄送 %}")))
    + row(p("GwClosing", r("抄送：{{ 抄送 }}")))
    + row(p("GwClosing", r("{%tr endif %}")))
    + row(p("GwClosing", r("{{ 印发机关 }}") + "<w:r><w:tab/></w:r>"
                        + r("{% if 印发日期 %}{{ 印发日期 }}印发{% endif %}")))
    + "</w:tbl>" + p("GwSectionEnd") + "</w:ftr>"
)

SETTINGS_XML = (
    f"{HEAD}<w:settings {W}><w:zoom w:percent=\"100\"/><w:defaultTabStop w:val=\"{CHAR}\"/>"
    "<w:evenAndOddHeaders/><w:characterSpacingControl w:val=\"doNotCompress\"/>"
    '<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" '
    'w:val="15"/></w:compat><w:themeFontLang w:val="en-US" w:eastAsia="zh-CN"/></w:settings>'
)

FONT_TABLE_XML = (
    f"{HEAD}<w:fonts {W}>"
    + "".join(f'<w:font w:name="{name}"><w:charset w:val="86"/><w:family w:val="{family}"/>'
              '<w:pitch w:val="variable"/></w:font>'
              for name, family in ((FANGSONG, "modern"), (KAITI, "modern"), (HEITI, "modern"), (SONGTI, "roman"),
                                   (XIAOBIAOSONG, "script")))
    + f'<w:font w:name="{LATIN}"><w:charset w:val="00"/><w:family w:val="roman"/><w:pitch w:val="variable"/></w:font>'
    "</w:fonts>"
)

REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
DOCUMENT_RELS = (
    f'{HEAD}<Relationships xmlns="{PKG_REL}">'
    f'<Relationship Id="rId1" Type="{REL}/styles" Target="styles.xml"/>'
    f'<Relationship Id="rId2" Type="{REL}/settings" Target="settings.xml"/>'
    f'<Relationship Id="rId3" Type="{REL}/fontTable" Target="fontTable.xml"/>'
    + "".join(f'<Relationship Id="rId{10 + i}" Type="{REL}/footer" Target="footer{i + 1}.xml"/>' for i in range(6))
    + "</Relationships>"
)
PACKAGE_RELS = (
    f'{HEAD}<Relationships xmlns="{PKG_REL}">'
    f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="word/document.xml"/>'
    f'<Relationship Id="rId2" Type="{PKG_REL}/metadata/core-properties" Target="docProps/core.xml"/>'
    f'<Relationship Id="rId3" Type="{REL}/extended-properties" Target="docProps/app.xml"/>'
    "</Relationships>"
)
WML = "application/vnd.openxmlformats-officedocument.wordprocessingml"
CONTENT_TYPES = (
    f'{HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/word/document.xml" ContentType="{WML}.document.main+xml"/>'
    f'<Override PartName="/word/styles.xml" ContentType="{WML}.styles+xml"/>'
    f'<Override PartName="/word/settings.xml" ContentType="{WML}.settings+xml"/>'
    f'<Override PartName="/word/fontTable.xml" ContentType="{WML}.fontTable+xml"/>'
    + "".join(f'<Override PartName="/word/footer{i}.xml" ContentType="{WML}.footer+xml"/>' for i in range(1, 7))
    + '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
    '<Override PartName="/docProps/app.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>'
    "</Types>"
)
CORE_XML = (
    f'{HEAD}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
    "<dc:title>公文模板（GB/T 9704-2012）</dc:title><dc:creator>docgen</dc:creator>"
    "<cp:lastModifiedBy>docgen</cp:lastModifiedBy><cp:revision>1</cp:revision>"
    '<dcterms:created xsi:type="dcterms:W3CDTF">2024-01-01T00:00:00Z</dcterms:created>'
    '<dcterms:modified xsi:type="dcterms:W3CDTF">2024-01-01T00:00:00Z</dcterms:modified>'
    "</cp:coreProperties>"
)
APP_XML = (
    f'{HEAD}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
    "<Application>docgen</Application></Properties>"
)

PARTS = {
    "[Content_Types].xml": CONTENT_TYPES,
    "_rels/.rels": PACKAGE_RELS,
    "docProps/core.xml": CORE_XML,
    "docProps/app.xml": APP_XML,
    "word/document.xml": DOCUMENT_XML,
    "word/_rels/document.xml.rels": DOCUMENT_RELS,
    "word/styles.xml": STYLES_XML,
    "word/settings.xml": SETTINGS_XML,
    "word/fontTable.xml": FONT_TABLE_XML,
    "word/footer1.xml": page_number("GwPageOdd"),
    "word/footer2.xml": page_number("GwPageEven"),
    "word/footer3.xml": CLOSING_FOOTER,
    "word/footer4.xml": CLOSING_FOOTER,
    "word/footer5.xml": rotated_page_number(odd=True, box_id=1),
    "word/footer6.xml": rotated_page_number(odd=False, box_id=2),
}


def build() -> bytes:
    """The template as .docx bytes: fixed entry order and timestamps."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, xml in PARTS.items():
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, xml.encode("utf-8"))
    return out.getvalue()


def main() -> int:
    OUTPUT.write_bytes(build())
    print(f"wrote {OUTPUT.relative_to(HERE.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
