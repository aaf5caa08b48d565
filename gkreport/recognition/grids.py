"""Which official table a grid is, in which format, and which cell is which.

``recognize(grid)`` returns a ``Recognized`` (table, format, every cell's value and where it
was written) or ``None`` when the grid is not one of the three tables — such a table is never
touched.  A grid is read like text (``recognition.text``): its rows' labels are aligned with the
official row sequence, its figures placed in the official column order, each value keeping the
(row, cell) it was written in.
"""

from __future__ import annotations

from gkreport.grid import Grid
from gkreport.recognition.result import Recognized, note_missing_rows
from gkreport.recognition.text import read_tables
from gkreport.recognition.tokens import EMPTY, MARKS, NUMBER, Token, cell_tokens, figure_cell
from gkreport.values import DEDUCED, GIVEN, CellValue, parse_cell


def recognize(grid: Grid, default_format: str | None = None) -> Recognized | None:
    """The official table a grid is, or None.  The grid is read like any text (``read_tables``),
    cell by cell: an empty cell is an empty slot, and every value keeps the (row, cell) it came
    from.  A grid holding more than one table gives the one with most cells."""
    if not grid or not any(grid):
        return None
    tables = read_tables(grid_tokens(grid), default_format)
    if not tables:
        return None
    found = max(tables, key=lambda t: len(t.recognized.cells)).recognized
    missing = False
    for cell, (r, i) in list(found.positions.items()):
        written = grid[r][i] if r < len(grid) and i < len(grid[r]) else None
        if written is not None and written.missing:  # this tool's own output, for a row the author did not write
            del found.cells[cell], found.positions[cell]
            missing = True
        elif written is not None and written.deduced_mark:
            found.cells[cell] = _read(written, found.spec.kind_of(cell))
    if missing:
        found.findings[:] = [f for f in found.findings if f.code != "missing-rows"]
        note_missing_rows(found)
    return found


def _read(cell, kind: str) -> CellValue:
    """A cell's value; a value deduced by an earlier run reads as what the author had written."""
    value = parse_cell(cell.text, kind)
    if cell.deduced_mark and value.state == GIVEN:
        if cell.written is not None:
            return parse_cell(cell.written, kind)
        return CellValue(cell.text, DEDUCED, value.value)
    return value


def grid_tokens(grid: Grid) -> list[Token]:
    """The grid's cells as tokens: each token's line is the written row, its start the cell's index."""
    tokens = []
    for r, row in enumerate(grid):
        values = False  # past the row's labels: every cell is a value, whatever it holds
        for i, cell in enumerate(row):
            text = cell.text.strip()
            if cell.deduced_mark and cell.written is not None:
                text = cell.written.strip()
            if not text:
                tokens.append(Token(EMPTY, "", r, i, i, True))
            elif values or figure_cell(text):  # one cell, one figure, as written ("58^1^", "~~60~~ 58", "3l")
                tokens.extend(
                    t._replace(line=r, start=i, end=i) for t in cell_tokens(text, r, 0)
                ) if text in MARKS else tokens.append(Token(NUMBER, text, r, i, i, True))
                values = True
            else:
                tokens.extend(t._replace(line=r, start=i, end=i, cell=True) for t in cell_tokens(text, r, 0))
    return tokens
