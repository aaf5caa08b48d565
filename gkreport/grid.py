"""A table as a grid of cell texts with their spans, whatever it was written as.

``Grid`` is what recognition reads: rows of ``GridCell`` as written (merged cells appear
once, with their spans).  ``expand`` lays them out on the full matrix so every position
knows which written cell covers it.  Adapters build grids from pandoc tables (panflute) and
from text.
"""

from __future__ import annotations

from typing import NamedTuple


DEDUCED_CLASS = "gk-deduced"
WRITTEN_ATTRIBUTE = "gk-written"  # on a deduced value: the text it replaced, so a rerun sees the source
MISSING_CLASS = "gk-missing"  # a cell of a row the author did not write: a rerun must not take it as written


class GridCell(NamedTuple):
    text: str
    rowspan: int = 1
    colspan: int = 1
    deduced_mark: bool = False  # the cell holds a value this tool deduced in an earlier run
    written: str | None = None  # and, for such a cell, what the author had written there ("" or "?")
    missing: bool = False  # the cell stands for one the author did not write at all (its row was missing)


Grid = list[list[GridCell]]


class Slot(NamedTuple):
    """A position of the expanded matrix: the written cell covering it."""

    row: int  # index of the written row holding the cell
    index: int  # index of the cell within that written row
    origin: bool  # True at the cell's top-left position


def expand(grid: Grid) -> list[list[Slot | None]]:
    """Place every written cell on the matrix, honouring rowspan and colspan."""
    width = 0
    taken: dict[tuple[int, int], Slot] = {}
    for r, row in enumerate(grid):
        c = 0
        for i, cell in enumerate(row):
            while (r, c) in taken:
                c += 1
            rowspan, colspan = max(1, cell.rowspan), max(1, cell.colspan)
            for dr in range(rowspan):
                for dc in range(colspan):
                    taken.setdefault((r + dr, c + dc), Slot(r, i, dr == 0 and dc == 0))
            c += colspan
        width = max(width, c)
    height = max([r for r, _ in taken] + [len(grid) - 1]) + 1 if taken else len(grid)
    width = max([c for _, c in taken] + [width - 1]) + 1 if taken else 0
    return [[taken.get((r, c)) for c in range(width)] for r in range(height)]


# ---------------------------------------------------------------- from pandoc (panflute)


def grid_from_panflute(table) -> Grid:
    """Head rows, then every body's intermediate-head and body rows, then foot rows."""
    grid: Grid = []
    for row in table_rows(table):
        cells = []
        for cell in row.content:
            parts: list[str] = []
            marks: list = []
            _collect_text(cell.content, parts, marks)
            missing = MISSING_CLASS in marks
            marks = [m for m in marks if m != MISSING_CLASS]
            written = next((m for m in marks if m is not None), None)
            cells.append(GridCell("".join(parts).strip(), cell.rowspan, cell.colspan, bool(marks), written, missing))
        grid.append(cells)
    return grid


def table_rows(table) -> list:
    """A pandoc table's rows in reading order: head, each body's head and rows, foot."""
    rows = list(table.head.content) if table.head else []
    for body in table.content:
        rows.extend(body.head)
        rows.extend(body.content)
    if table.foot:
        rows.extend(table.foot.content)
    return rows


def _collect_text(elements, parts: list[str], marks: list) -> None:
    """Append the text of the elements to ``parts``, and to ``marks`` what each deduced-value mark replaced.

    Superscripts, subscripts, strikeouts, notes, links and raw markup are kept as Markdown
    (``cellmarkup``), never flattened into the figure beside them.  A horizontal rule is what
    pandoc reads from a cell holding ``---``, which is how its Markdown writer writes a "—":
    it is read back as "—".
    """
    import panflute as pf

    from gkreport.cellmarkup import markup

    for elem in elements:
        if isinstance(elem, pf.Str):
            parts.append(elem.text)
        elif isinstance(elem, (pf.Space, pf.SoftBreak, pf.LineBreak)):
            parts.append(" ")
        elif isinstance(elem, (pf.Plain, pf.Para, pf.Emph, pf.Strong, pf.Span, pf.Underline, pf.SmallCaps)):
            if isinstance(elem, pf.Span) and DEDUCED_CLASS in elem.classes:
                marks.append(elem.attributes.get(WRITTEN_ATTRIBUTE))
            if isinstance(elem, pf.Span) and MISSING_CLASS in elem.classes:
                marks.append(MISSING_CLASS)
            _collect_text(elem.content, parts, marks)
        elif isinstance(elem, pf.HorizontalRule):
            parts.append("—")
        elif isinstance(elem, (pf.Superscript, pf.Subscript, pf.Strikeout, pf.Link)):
            inner: list[str] = []
            _collect_text(elem.content, inner, marks)
            parts.append(markup(elem, "".join(inner).strip()))
        elif isinstance(elem, (pf.Note, pf.RawInline)):
            parts.append(markup(elem, ""))
        else:
            parts.append(pf.stringify(elem))
