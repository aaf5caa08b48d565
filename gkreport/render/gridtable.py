"""A checked table in the official layout as text: a pandoc grid table with merged cells.

The same text serves as Markdown (gk-check recognizes it, so a notebook carries the table into
the document) and as the plain-text view of a table.  Widths are display widths: a Chinese
character takes two columns, as pandoc counts them.
"""

from __future__ import annotations

import unicodedata

from gkreport.checks.engine import CheckedTable
from gkreport.grid import DEDUCED_CLASS, MISSING_CLASS, WRITTEN_ATTRIBUTE
from gkreport.render.view import table_view
from gkreport.spec import LayoutCell


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def grid_table(checked: CheckedTable, markdown: bool = True, fill: bool = True) -> str:
    """The table as a pandoc grid table; ``markdown`` marks deduced values as pandoc spans."""
    view = table_view(checked, fill, findings=())

    def text(cell: LayoutCell) -> str:
        if cell.ref is None:
            return cell.text
        shown = view.cells[cell.ref]
        if not markdown:
            return shown.text
        missing = f" .{MISSING_CLASS}" if shown.missing else ""
        if shown.deduced:
            return f'[{shown.text}]{{.{DEDUCED_CLASS}{missing} {WRITTEN_ATTRIBUTE}="{_attribute(shown.written)}"}}'
        if shown.missing:
            return f"[{_escaped_blank(shown.text)}]{{{missing.strip()}}}"
        return _escaped_blank(shown.text)

    layout = view.layout
    return render_grid([[(c, text(c)) for c in row] for row in view.rows()], layout.ncols, len(layout.header))


# Blank marks pandoc would read as something else in a grid-table cell: "-" a list, "--" an en
# dash, "\\" an escape (the cell would come back empty).  "—" and the others read back as written.
_BLANK_ESCAPES = {"-": "\\-", "--": "\\-\\-", "\\": "\\\\"}


def _escaped_blank(value: str) -> str:
    return _BLANK_ESCAPES.get(value, value)


def _attribute(text: str) -> str:
    """A pandoc attribute value between double quotes: backslash and quote escaped."""
    return text.replace("\\", "\\\\").replace('"', '\\"')


def render_grid(rows: list[list[tuple[LayoutCell, str]]], ncols: int, header_rows: int) -> str:
    owner: dict[tuple[int, int], int] = {}  # (row, column) -> cell number
    cells: list[tuple[int, int, LayoutCell, str]] = []  # top row, left column, cell, text
    for r, row in enumerate(rows):
        c = 0
        for cell, text in row:
            while (r, c) in owner:
                c += 1
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    owner[(r + dr, c + dc)] = len(cells)
            cells.append((r, c, cell, text))
            c += cell.colspan
    nrows = len(rows)
    widths = [3] * ncols
    for _, c, cell, text in sorted(cells, key=lambda x: x[2].colspan):
        need = width(text) + 2
        have = sum(widths[c : c + cell.colspan]) + cell.colspan - 1
        if need > have:
            widths[c + cell.colspan - 1] += need - have

    def same(a: tuple[int, int], b: tuple[int, int]) -> bool:
        return a in owner and b in owner and owner[a] == owner[b]

    def border(k: int) -> str:
        """The line above row k (k == nrows: the bottom line)."""
        fill_char = "=" if k == header_rows and header_rows else "-"
        out = []
        for b in range(ncols + 1):
            left = b > 0 and not same((k - 1, b - 1), (k, b - 1))
            right = b < ncols and not same((k - 1, b), (k, b))
            up = k > 0 and (b in (0, ncols) or not same((k - 1, b - 1), (k - 1, b)))
            down = k < nrows and (b in (0, ncols) or not same((k, b - 1), (k, b)))
            if left or right:
                out.append("+" if up or down or not (left and right) else fill_char)
            else:
                out.append("|" if up or down else " ")
            if b < ncols:
                out.append((fill_char if right else " ") * widths[b])
        return "".join(out)

    def line(r: int) -> str:
        out = []
        c = 0
        while c < ncols:
            number = owner.get((r, c))
            top, left, cell, text = cells[number]
            span = cell.colspan
            inner = sum(widths[c : c + span]) + span - 1
            content = f" {text}" if top == r else ""
            out.append("|" + content + " " * (inner - width(content)))
            c += span
        return "".join(out) + "|"

    lines = []
    for k in range(nrows):
        lines.append(border(k))
        lines.append(line(k))
    lines.append(border(nrows))
    return "\n".join(lines) + "\n"
