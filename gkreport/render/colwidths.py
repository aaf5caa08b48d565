"""Column widths of an official table from what it holds, and the font size it is set in.

The official template (国办公开办函〔2021〕30号, as published in DOCX) is the reference: its
proportions, scaled to the 156 mm type area.  A number column is widened where the widest figure
of the table, or the longest unbreakable piece of its header ("自然人"; "商业企业" breaks into
"商业" / "企业"), would not fit; the label columns take the rest, in the template's proportions but
never narrower than their group labels need ("三、本年度办理结果" in lines of three).  The table
is set in 五号 (10.5 pt); in 小五 (9 pt) only when it would not fit the type area in 五号.

A header wider than its column is broken between its two-character words, so table 四's
"结果维持" reads "结果" / "维持" rather than a character a line.  Widths are estimated from the
font size: a Chinese character is one em, a digit or other half-width character at most 0.55 em
(Times New Roman's and the CJK fonts' digits are 0.5 em), plus the cell margins and an allowance
for the differences between Word, LibreOffice and typst.
"""

from __future__ import annotations

import unicodedata
from typing import NamedTuple

from gkreport.render import geometry as g
from gkreport.spec import Layout

HALF_WIDTH_EM = 0.55
ALLOWANCE_MM = 0.6  # per cell, on top of the two cell margins

# The official template's column proportions (tblGrid of official-template-2021.docx; the 2019
# format's table 二, absent from it, keeps its label column and six equal value columns).
REFERENCE = {
    ("requests", "2021"): (13.3, 16.2, 57.7) + (12.1,) * 7,
    ("requests", "2019"): (13.3, 16.2, 57.7) + (12.1,) * 7,
    ("appeals", "2021"): (11.4,) * 15,
    ("appeals", "2019"): (11.4,) * 15,
    ("active", "2021"): (42.9,) * 4,
    ("active", "2019"): (28.0,) + (12.0,) * 6,
}
# The fewest characters a line a label column needs: table 三's group labels ("三、本年度办理结果"
# in three lines of three, "(三)不予公开" in two lines) and its row labels.
LABEL_MIN_CHARS = {"requests": (3, 4, 8)}


class Geometry(NamedTuple):
    widths: tuple[float, ...]  # fractions of the type area's width, summing to 1
    font_pt: float
    header_lines: dict  # (row, index in the layout row) -> the lines of a header broken to fit


def text_em(text: str) -> float:
    return sum(1.0 if unicodedata.east_asian_width(ch) in "WFA" else HALF_WIDTH_EM for ch in text)


def words(header: str) -> list[str]:
    """A header in the pieces a line may break between: two-character words ("社会公益组织" ->
    社会 / 公益 / 组织), a three-character word kept whole ("自然人"), anything bracketed whole."""
    if any(unicodedata.east_asian_width(ch) not in "WF" for ch in header) or len(header) < 4:
        return [header]
    pieces = [header[i : i + 2] for i in range(0, len(header), 2)]
    if len(pieces[-1]) == 1:
        pieces[-2:] = [pieces[-2] + pieces[-1]]
    return pieces


def lines_within(header: str, inner_mm: float, font_pt: float) -> list[str]:
    """The header's words packed into as few lines as fit ``inner_mm``."""
    lines: list[str] = []
    for word in words(header):
        if lines and g.mm(text_em(lines[-1] + word) * font_pt) <= inner_mm:
            lines[-1] += word
        else:
            lines.append(word)
    return lines


def cell_mm(em: float, font_pt: float) -> float:
    return g.mm(em * font_pt) + 2 * g.CELL_MARGIN_MM + ALLOWANCE_MM


def table_geometry(layout: Layout, table: str, fmt: str, texts: dict) -> Geometry:
    """``texts``: the text of every value cell, by its layout reference."""
    for font_pt in (g.TABLE_PT, g.TABLE_SMALL_PT):
        widths = _widths(layout, table, fmt, texts, font_pt)
        if widths is not None:
            return _geometry(layout, widths, font_pt)
    widths = _widths(layout, table, fmt, texts, g.TABLE_SMALL_PT, squeeze=True)
    return _geometry(layout, widths, g.TABLE_SMALL_PT)


def _widths(layout: Layout, table: str, fmt: str, texts: dict, font_pt: float, squeeze: bool = False) -> list[float] | None:
    area = g.TYPE_AREA_MM[0]
    reference = REFERENCE[(table, fmt)]
    scale = area / sum(reference)
    labels = layout.label_columns
    widest = max((text_em(t) for t in texts.values() if t), default=0.0)
    need = [0.0] * layout.ncols
    for row in _placed(layout):
        for column, cell in row:
            if cell.colspan != 1 or column < labels:
                continue
            if cell.ref is not None:
                need[column] = max(need[column], cell_mm(widest, font_pt))
            elif cell.role in ("header", "corner"):
                need[column] = max(need[column], cell_mm(max(text_em(w) for w in words(cell.text)), font_pt))
    numbers = [max(reference[c] * scale, need[c]) for c in range(labels, layout.ncols)]
    rest = area - sum(numbers)
    minimum = [cell_mm(chars, font_pt) for chars in LABEL_MIN_CHARS.get(table, (0,) * labels)[:labels]]
    if rest < sum(minimum) - 1e-9 or (labels == 0 and rest < -1e-9):
        if not squeeze:
            return None
        factor = (area - sum(minimum)) / sum(numbers) if labels else area / sum(numbers)
        numbers = [w * factor for w in numbers]
        rest = area - sum(numbers)
    label_widths = _share(rest, [reference[c] for c in range(labels)], minimum)
    return label_widths + numbers


def _share(total: float, proportions: list[float], minimum: list[float]) -> list[float]:
    """``total`` split in ``proportions``, each part at least its minimum (the last part gives way)."""
    if not proportions:
        return []
    parts = [total * p / sum(proportions) for p in proportions]
    for i in range(len(parts) - 1):
        if parts[i] < minimum[i]:
            parts[-1] -= minimum[i] - parts[i]
            parts[i] = minimum[i]
    return parts


def _placed(layout: Layout):
    """Each layout row as (grid column, cell) pairs, honouring the cells that reach down from above."""
    taken: set[tuple[int, int]] = set()
    for r, row in enumerate(layout.header + layout.body):
        column, placed = 0, []
        for cell in row:
            while (r, column) in taken:
                column += 1
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    taken.add((r + dr, column + dc))
            placed.append((column, cell))
            column += cell.colspan
        yield placed


def _geometry(layout: Layout, widths_mm: list[float], font_pt: float) -> Geometry:
    total = sum(widths_mm)
    header_lines = {}
    for r, row in enumerate(_placed(layout)):
        for index, (column, cell) in enumerate(row):
            if cell.ref is None and cell.role == "header" and column >= layout.label_columns:
                inner = sum(widths_mm[column : column + cell.colspan]) - 2 * g.CELL_MARGIN_MM - ALLOWANCE_MM
                lines = lines_within(cell.text, inner, font_pt)
                if len(lines) > 1:
                    header_lines[(r, index)] = lines
    return Geometry(tuple(w / total for w in widths_mm), font_pt, header_lines)

