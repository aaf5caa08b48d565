"""A table as a report writes it: the cells of the official layout with the texts its clerk typed.

``written_table(rng, table, fmt, values, style)`` builds a ``WrittenTable``: its grid lines (header
lines, then one line per row of the layout), each holding the cells that start on it (a merged
cell once, with its spans, as an HTML table holds it).  Labels are written in the variants the
report's ``Style`` asks for, values as written (a blank zero as the style's mark).  Faults edit a
written table (``faults``) before a form writes it out (``forms``, ``pdftext``), so a fault is
made where a clerk makes it: in the table, not in the text.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace

from gkreport.spec import REQUESTS_CORNER, CellKey, official_layout, spec_for
from gkreport.testing.variants import Style, blank_text, label_text, value_text


@dataclass
class Cell:
    text: str
    role: str  # "corner" | "header" | "title" (a block title of 二) | "group" | "label" | "value"
    ref: CellKey | None = None  # a value cell: the official cell it holds
    rowspan: int = 1
    colspan: int = 1
    column: int = 0  # the grid column where it starts


@dataclass
class Line:
    """One line of the grid: the cells that start on it."""

    cells: list[Cell]
    key: str | None = None  # the official row whose values it holds (None for header lines)

    @property
    def values(self) -> list[Cell]:
        return [c for c in self.cells if c.role == "value"]


@dataclass
class WrittenTable:
    table: str
    format: str
    lines: list[Line]
    width: int
    values: dict = field(default_factory=dict)  # the true value of every cell
    checks: object = None  # oracle.Checks of this table as written, once asked for (faults)

    def line_of(self, key: str) -> Line:
        return next(line for line in self.lines if line.key == key)

    def cell(self, ref: CellKey) -> Cell:
        return next(c for line in self.lines for c in line.values if c.ref == ref)

    def written(self) -> dict[CellKey, str]:
        """Every value cell present, with its text."""
        return {c.ref: c.text for line in self.lines for c in line.values}

    def copy(self) -> WrittenTable:
        lines = [Line([replace(c) for c in line.cells], line.key) for line in self.lines]
        return WrittenTable(self.table, self.format, lines, self.width, dict(self.values))


def written_table(rng: random.Random, table: str, fmt: str, values: dict, style: Style) -> WrittenTable:
    layout = official_layout(table, fmt)
    spec = spec_for(table, fmt)
    lines: list[Line] = []
    taken: dict[tuple[int, int], bool] = {}  # grid positions covered by a cell starting above
    for number, row in enumerate(layout.header + layout.body):
        cells, column = [], 0
        for layout_cell in row:
            while taken.get((number, column)):
                column += 1
            for dy in range(layout_cell.rowspan):
                for dx in range(layout_cell.colspan):
                    taken[(number + dy, column + dx)] = True
            cells.append(_cell(rng, layout_cell, column, values, style, spec))
            column += layout_cell.colspan
        key = next((c.ref[0] for c in cells if c.ref), None)
        lines.append(Line(cells, key))
    if style.blank_totals and table == "requests":
        for line in lines:
            if line.key and spec.row(line.key).group:
                total = next(c for c in line.values if c.ref[1] == "total")
                total.text = ""
    return WrittenTable(table, fmt, lines, layout.ncols, dict(values))


def _cell(rng: random.Random, layout_cell, column: int, values: dict, style: Style, spec) -> Cell:
    spans = {"rowspan": layout_cell.rowspan, "colspan": layout_cell.colspan, "column": column}
    if layout_cell.ref is not None:
        value = values[layout_cell.ref]
        kind = spec.kind_of(layout_cell.ref)
        blank = blank_text(rng, value, style)
        text = blank if blank is not None else value_text(value, kind, style, layout_cell.ref[1])
        return Cell(text, "value", layout_cell.ref, **spans)
    role = _role(layout_cell, spec)
    return Cell(label_text(rng, layout_cell.text, style, role), role, **spans)


def _role(layout_cell, spec) -> str:
    if layout_cell.role == "corner" or layout_cell.text == REQUESTS_CORNER:
        return "corner"
    if layout_cell.role == "header":
        return "title" if layout_cell.text.startswith("第二十条") else "header"
    if layout_cell.rowspan > 1:
        return "group"
    return "label"

