"""Which official table a grid is, in which format, and which cell is which.

``recognize(grid)`` returns a ``Recognized`` (table, format, every cell's value and where it
was written) or ``None`` when the grid is not one of the three tables — such a table is never
touched.  A grid is read like text (``textrecognize``): its rows' labels are aligned with the
official row sequence, its figures placed in the official column order, each value keeping the
(row, cell) it was written in.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from gkreport.findings import Finding
from gkreport.grid import Grid
from gkreport.spec import CellKey, spec_for
from gkreport.recognition.tokens import Token
from gkreport.values import DEDUCED, GIVEN, CellValue, parse_cell

Position = tuple[int, int]  # (written row, cell index in that row); for text, (line, column)


@dataclass
class Recognized:
    table: str
    format: str
    cells: dict[CellKey, CellValue]
    positions: dict[CellKey, Position]
    findings: list[Finding] = field(default_factory=list)
    format_known: bool = True  # False when the table itself does not tell the format
    intact: bool = True  # False when a written figure could not be placed: the table stays as written
    decimals: int | None = None  # the decimals the header asks amounts to be written with ("保留4位小数")

    @property
    def spec(self):
        return spec_for(self.table, self.format)

    @property
    def rows_present(self) -> set[str]:
        return {row for row, _ in self.cells}


def recognize(grid: Grid, default_format: str | None = None) -> Recognized | None:
    """The official table a grid is, or None.  The grid is read like any text (``textrecognize``),
    cell by cell: an empty cell is an empty slot, and every value keeps the (row, cell) it came
    from.  A grid holding more than one table gives the one with most cells."""
    from gkreport.recognition.text import read_tables

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
    from gkreport.recognition.tokens import EMPTY, MARKS, NUMBER, cell_tokens, figure_cell

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
                tokens.extend(t._replace(line=r, start=i, end=i) for t in cell_tokens(text, r, 0)) if text in MARKS else tokens.append(
                    Token(NUMBER, text, r, i, i, True)
                )
                values = True
            else:
                tokens.extend(t._replace(line=r, start=i, end=i, cell=True) for t in cell_tokens(text, r, 0))
    return tokens


def merge_active(parts: list[Recognized]) -> Recognized:
    """Table 二 written as several block tables: one recognized table (positions refer to each part)."""
    fmt = next((p.format for p in parts if p.format_known), parts[0].format)
    merged = Recognized(
        "active",
        fmt,
        {},
        {},
        format_known=any(p.format_known for p in parts),
        intact=all(p.intact for p in parts),
        decimals=next((p.decimals for p in parts if p.decimals is not None), None),
    )
    for part in parts:
        merged.cells.update(part.cells)
        merged.findings.extend(f for f in part.findings if f.code != "missing-rows")
    note_missing_rows(merged)
    return merged


def note_missing_rows(found: Recognized) -> None:
    """A ``missing-rows`` warning naming the official rows the table does not have (if it has some)."""
    present = found.rows_present
    missing = [r for r in found.spec.rows if r.key not in present]
    if missing and present:
        found.findings.append(Finding("missing-rows", table=found.table, params={"rows": [r.display for r in missing]}))
