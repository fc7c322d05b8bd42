"""The GB/T 9704-2012 page, in one place: used by the template builder, the writer and the measurer.

Figures from the standard (millimetres and points) and the same figures in the units each user
needs: twips (1/20 pt) for WordprocessingML, half-points for font sizes, PDF points (1/72 inch)
for measuring a rendered page. Nothing else in docgen writes these numbers down.
"""

from __future__ import annotations

#: PDF points per millimetre.
MM = 72 / 25.4
#: Twips per millimetre.
TWIPS_PER_MM = 1440 / 25.4

# -- the standard's figures (5.2, 7) ---------------------------------------------------------------
PAGE_W_MM, PAGE_H_MM = 210, 297              # A4
TOP_MM, LEFT_MM = 37, 28                     # 天头, 订口
TEXT_W_MM, TEXT_H_MM = 156, 225              # 版心
RIGHT_MM = PAGE_W_MM - LEFT_MM - TEXT_W_MM    # 26
BOTTOM_MM = PAGE_H_MM - TOP_MM - TEXT_H_MM    # 35
LINES = 22                                   # lines on a page (7.1)
CHARS = 28                                   # characters on a line (7.1)
#: 发文机关标志: its top this far under the text area's top (7.2.3, 上行文 80 mm, others 35 mm).
MARK_TOP_MM = 35
#: The red separator this far under the 发文字号 (7.2.4).
SEPARATOR_GAP_MM = 4
#: The page number's line this far under the text area (7.5).
PAGE_NUMBER_GAP_MM = 7

# 信函格式 (10.1), in mm.
#: The organ's name: its top edge this far under the page's top edge.
LETTER_MARK_TOP_MM = 30
#: The first red double rule (thick over thin) this far under the name.
LETTER_RULE_GAP_MM = 4
#: The second red double rule (thin over thick) this far above the page's bottom edge.
LETTER_FOOT_MM = 20
#: Both double rules this long, centred on the text area.
LETTER_RULE_MM = 170
#: 份号 (the first of 份号, 密级, 紧急程度) and 发文字号 this share of a 三号 character under the
#: first double rule.
LETTER_ELEMENT_GAP = 7 / 8

# Font sizes in points (字号).
MARK_SIZE = 36  # 发文机关标志 (red 小标宋; smaller when the name would not fit on one line)
ERHAO = 22      # 二号: titles, 发文机关标志 at most
SANHAO = 16     # 三号: body
SIHAO = 14      # 四号: 版记, page numbers
XIAOSI = 12     # 小四: table text


def twips(mm: float) -> int:
    return round(mm * TWIPS_PER_MM)


# -- the same in twips (WordprocessingML) ----------------------------------------------------------
PAGE_W, PAGE_H = 11906, 16838                 # A4 as Word writes it
TOP, LEFT = twips(TOP_MM), twips(LEFT_MM)     # 2098, 1587
RIGHT, BOTTOM = twips(RIGHT_MM), twips(BOTTOM_MM)  # 1474, 1984
TEXT_W = PAGE_W - LEFT - RIGHT                # 8845 twips = 156 mm
TEXT_H = PAGE_H - TOP - BOTTOM                # 12756 twips = 225 mm
#: Line pitch: 225 mm / 22 lines = 28.95 pt, exact line spacing (22 x 579 = 12738 <= 12756).
LINE = TEXT_H // LINES                        # 579
#: 1 字 of 三号 and of 四号.
CHAR = SANHAO * 20                            # 320
SMALL_CHAR = SIHAO * 20                       # 280
#: Space added after every character of the body so that 28 full-width characters fill a line:
#: 28 x (320 - 5) = 8820 <= 8845 < 29 x 315.
CHAR_SPACING = (TEXT_W // CHARS) - CHAR       # -5
#: The page number's line height (exact, 18 pt) and the footer's distance from the page's bottom
#: edge (w:footer) that puts that line 7 mm under the text area (one point of the line's leading
#: lies above the glyphs).
PAGE_NUMBER_LINE = 360
FOOTER = BOTTOM - twips(PAGE_NUMBER_GAP_MM) - PAGE_NUMBER_LINE + 20   # 1247


# -- the same in PDF points, from the page's top-left corner (measuring) --------------------------
TEXT_LEFT = LEFT_MM * MM
TEXT_TOP = TOP_MM * MM
TEXT_RIGHT = (LEFT_MM + TEXT_W_MM) * MM
TEXT_BOTTOM = (TOP_MM + TEXT_H_MM) * MM
LINE_PITCH = TEXT_H_MM * MM / LINES
ONE_CHAR_MM = SANHAO / MM                     # 5.64 mm
SMALL_CHAR_MM = SIHAO / MM                    # 4.94 mm
