"""The page of GB/T 9704-2012 (党政机关公文格式): the numbers every output shares.

A4; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm, so the type area is 156 × 225 mm;
22 lines of 28 characters of 3号 (16 pt) text, a line every 28.95 pt; page numbers 4号 (14 pt),
one character in from the outer edge of the type area, 7 mm below it.  Tables are set in 五号
(10.5 pt), or 小五 (9 pt) when a table would not fit otherwise.  ``templates/make_reference.py``
(DOCX), ``gkreport.render.colwidths`` (tables) and the tests read these; ``templates/gkreport.typst``
states the same numbers in typst.
"""

from __future__ import annotations

PAGE_MM = (210.0, 297.0)
MARGIN_TOP_MM, MARGIN_BOTTOM_MM, MARGIN_LEFT_MM, MARGIN_RIGHT_MM = 37.0, 35.0, 28.0, 26.0
TYPE_AREA_MM = (PAGE_MM[0] - MARGIN_LEFT_MM - MARGIN_RIGHT_MM, PAGE_MM[1] - MARGIN_TOP_MM - MARGIN_BOTTOM_MM)

LINES_PER_PAGE = 22
CHARS_PER_LINE = 28
LINE_PITCH_PT = 28.95

BODY_PT = 16.0  # 3号
TITLE_PT = 22.0  # 2号
PAGE_NUMBER_PT = 14.0  # 4号
TABLE_PT = 10.5  # 五号
TABLE_SMALL_PT = 9.0  # 小五

PAGE_NUMBER_BELOW_MM = 7.0  # from the bottom of the type area to the page number's dashes (一字线)
CELL_MARGIN_MM = 1.0  # left and right inside every table cell

MM_PER_PT = 25.4 / 72


def mm(pt: float) -> float:
    return pt * MM_PER_PT


def pt(mm_: float) -> float:
    return mm_ / MM_PER_PT


def twips(pt_: float) -> int:
    """Word's unit, a twentieth of a point."""
    return round(pt_ * 20)
