"""A table as a grid of cell texts with their spans, whatever it was written as.

``Grid`` is what recognition reads: rows of ``GridCell`` as written (merged cells appear
once, with their spans).  ``expand`` lays them out on the full matrix so every position
knows which written cell covers it.  Readers build grids (``readers.pandoc`` from pandoc tables,
``readers.html``, ``readers.docx``, ``readers.pdf``), and ``recognition`` from text.
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
