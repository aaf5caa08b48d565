"""What ``gk build`` adds to the official tables of the DOCX pandoc wrote, which pandoc cannot say.

- Every row ``cantSplit``: a row is never cut across two pages (reference.docx's table style says
  so too, for the plain pandoc route, but an explicit row property is what every word processor
  honours).
- The width in twips of the 156 mm type area (``tblW``, each ``gridCol`` in proportion), where
  pandoc writes a percentage over a 5.5-inch grid.

Only the three official tables are touched, recognized by their first row ("第二十条第(一)项";
the corner and "申请人情况"; "行政复议" and "行政诉讼"); any other table stays as pandoc wrote it.
The XML is edited as text: pandoc writes it in one predictable form, and a parser round trip
would rewrite namespace prefixes that ``mc:Ignorable`` refers to by name.
"""

from __future__ import annotations

import re
import zipfile
from html import unescape
from pathlib import Path

from gkreport.render import geometry as g
from gkreport.spec import official_layout

_TABLE = re.compile(r"<w:tbl>|</w:tbl>")
_ROW = re.compile(r"<w:tr>(<w:trPr>)?")
_CELL = re.compile(r"<w:tc>.*?</w:tc>", re.DOTALL)
_TEXT = re.compile(r"<w:t(?: [^>]*)?>([^<]*)</w:t>")
_GRID_COL = re.compile(r'<w:gridCol w:w="(\d+)" ?/>')
_TABLE_WIDTH = re.compile(r"<w:tblW [^>]*/>")


def official_first_rows() -> set[tuple[str, ...]]:
    rows = set()
    for table in ("active", "requests", "appeals"):
        for fmt in ("2021", "2019"):
            layout = official_layout(table, fmt)
            rows.add(tuple(cell.text for cell in (layout.header + layout.body)[0]))
    return rows


def fix_tables(path: Path) -> int:
    """Rewrite the DOCX at ``path`` in place; returns how many official tables were fixed."""
    with zipfile.ZipFile(path) as archive:
        items = [(info, archive.read(info.filename)) for info in archive.infolist()]
    fixed = 0
    out = []
    for info, data in items:
        if info.filename == "word/document.xml":
            text, fixed = fix_document(data.decode("utf-8"))
            data = text.encode("utf-8")
        out.append((info, data))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in out:
            archive.writestr(info, data)
    return fixed


def fix_document(xml: str) -> tuple[str, int]:
    firsts = official_first_rows()
    pieces, fixed, last = [], 0, 0
    for start, end in _top_level_tables(xml):
        table = xml[start:end]
        if _first_row_texts(table) in firsts:
            table = _fixed_table(table)
            fixed += 1
        pieces.append(xml[last:start])
        pieces.append(table)
        last = end
    pieces.append(xml[last:])
    return "".join(pieces), fixed


def _top_level_tables(xml: str):
    depth, start = 0, 0
    for match in _TABLE.finditer(xml):
        if match.group(0) == "<w:tbl>":
            if depth == 0:
                start = match.start()
            depth += 1
        else:
            depth -= 1
            if depth == 0:
                yield start, match.end()


def _first_row_texts(table: str) -> tuple[str, ...]:
    row = table[table.find("<w:tr>") : table.find("</w:tr>")]
    return tuple(unescape("".join(_TEXT.findall(cell))) for cell in _CELL.findall(row))


def _fixed_table(table: str) -> str:
    table = _ROW.sub(lambda m: "<w:tr><w:trPr><w:cantSplit/>" + ("" if m.group(1) else "</w:trPr>"), table)
    widths = [int(w) for w in _GRID_COL.findall(table)]
    total = g.twips(g.pt(g.TYPE_AREA_MM[0]))
    if widths and sum(widths):
        scaled = iter([round(w * total / sum(widths)) for w in widths])
        table = _GRID_COL.sub(lambda m: f'<w:gridCol w:w="{next(scaled)}" />', table)
        table = _TABLE_WIDTH.sub(f'<w:tblW w:type="dxa" w:w="{total}" />', table, count=1)
    return table
