"""Ruled tables of a PDF page: cells from the ruling lines, merged cells as spans, text by cell.

The ruling lines (``Segment``s, from the page's path objects in ``pdf.py``) are snapped: lines
closer than ``TOLERANCE`` to one another are one grid line, as pdfplumber's lattice does.  The
grid lines cut the page into units; two neighbouring units are in the same cell unless a ruling
line runs between them, so a cell is a connected group of units closed on every side, and a
merged cell is simply a group several units wide or high.  Cells that share a ruling line form
one table.  (pdfplumber's ``TableFinder`` reads the same cells from the same lines but searches
corner pairs, quadratic in the crossings: profiled on our test reports, that search alone took
as long as all the rest of reading them.  See the README for the comparison.)

A table becomes a ``Grid``: the distinct x and y of its cells' sides are its grid lines; a cell
spanning several of them has a colspan or rowspan and is written once, like an HTML ``<td>``.
A position no cell covers (a border missing inside the table) becomes an empty cell so the
others keep their columns.  A group of one cell (a framed paragraph) or of one column is not a
table of figures: its characters stay text.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from typing import NamedTuple

from gkreport.grid import GridCell
from gkreport.readers.pdftext import Char, cell_text

TOLERANCE = 3.0  # points: ruling lines this close are one line, gaps this short are no gap (pdfplumber's default)


class Segment(NamedTuple):
    """A horizontal (``at`` is y, from ``start`` to ``end`` in x) or vertical (``at`` is x) ruling line."""

    horizontal: bool
    at: float
    start: float
    end: float


def segment(x0: float, top: float, x1: float, bottom: float) -> Segment:
    """The ruling line drawn in this box: horizontal when flat, else vertical."""
    if bottom - top <= x1 - x0:
        return Segment(True, (top + bottom) / 2, x0, x1)
    return Segment(False, (x0 + x1) / 2, top, bottom)


@dataclass
class PdfTable:
    bbox: tuple[float, float, float, float]  # x0, top, x1, bottom
    grid: list[list[GridCell]]


def _snap(values: list[float]) -> list[float]:
    """The grid lines: values within TOLERANCE of their neighbour are one line, at their mean."""
    lines: list[list[float]] = []
    for value in sorted(values):
        if lines and value - lines[-1][-1] <= TOLERANCE:
            lines[-1].append(value)
        else:
            lines.append([value])
    return [sum(group) / len(group) for group in lines]


def _covered(intervals: list[tuple[float, float]], start: float, end: float) -> bool:
    """Whether the joined intervals cover [start, end], up to TOLERANCE at each end."""
    return any(a <= start + TOLERANCE and b >= end - TOLERANCE for a, b in intervals)


def _join(intervals: list[tuple[float, float]]) -> list[tuple[float, float]]:
    joined: list[list[float]] = []
    for a, b in sorted(intervals):
        if joined and a <= joined[-1][1] + TOLERANCE:
            joined[-1][1] = max(joined[-1][1], b)
        else:
            joined.append([a, b])
    return [(a, b) for a, b in joined]


class _Sets:
    """Union-find over integers."""

    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def find(self, n: int) -> int:
        while self.parent[n] != n:
            self.parent[n] = self.parent[self.parent[n]]
            n = self.parent[n]
        return n

    def union(self, a: int, b: int) -> None:
        a, b = self.find(a), self.find(b)
        if a != b:
            self.parent[max(a, b)] = min(a, b)


def find_cells(segments: list[Segment]) -> list[list[tuple[float, float, float, float]]]:
    """The cells (x0, top, x1, bottom) closed by the ruling lines, grouped by table, top to bottom."""
    horizontal = [s for s in segments if s.horizontal and s.end - s.start >= TOLERANCE]
    vertical = [s for s in segments if not s.horizontal and s.end - s.start >= TOLERANCE]
    if len(horizontal) < 2 or len(vertical) < 2:
        return []
    ys, xs = _snap([s.at for s in horizontal]), _snap([s.at for s in vertical])
    rows_drawn: dict[int, list] = {}
    for s in horizontal:
        rows_drawn.setdefault(_nearest(ys, s.at), []).append((s.start, s.end))
    columns_drawn: dict[int, list] = {}
    for s in vertical:
        columns_drawn.setdefault(_nearest(xs, s.at), []).append((s.start, s.end))
    rows_drawn = {k: _join(v) for k, v in rows_drawn.items()}
    columns_drawn = {k: _join(v) for k, v in columns_drawn.items()}
    height, width = len(ys) - 1, len(xs) - 1
    if height < 1 or width < 1:
        return []

    def wall_right(r: int, c: int) -> bool:  # a ruling line at xs[c + 1] between ys[r] and ys[r + 1]
        return _covered(columns_drawn.get(c + 1, []), ys[r], ys[r + 1])

    def wall_below(r: int, c: int) -> bool:  # a ruling line at ys[r + 1] between xs[c] and xs[c + 1]
        return _covered(rows_drawn.get(r + 1, []), xs[c], xs[c + 1])

    outside = height * width
    units = _Sets(outside + 1)
    for r in range(height):
        for c in range(width):
            unit = r * width + c
            if c + 1 < width and not wall_right(r, c):
                units.union(unit, unit + 1)
            if r + 1 < height and not wall_below(r, c):
                units.union(unit, unit + width)
            if c == 0 and not _covered(columns_drawn.get(0, []), ys[r], ys[r + 1]):
                units.union(unit, outside)
            if c == width - 1 and not wall_right(r, c):
                units.union(unit, outside)
            if r == 0 and not _covered(rows_drawn.get(0, []), xs[c], xs[c + 1]):
                units.union(unit, outside)
            if r == height - 1 and not wall_below(r, c):
                units.union(unit, outside)
    closed = units.find(outside)
    groups: dict[int, list[tuple[int, int]]] = {}
    for r in range(height):
        for c in range(width):
            root = units.find(r * width + c)
            if root != closed:
                groups.setdefault(root, []).append((r, c))
    cells: list[tuple[int, int, int, int]] = []  # r0, c0, r1, c1 (exclusive ends)
    for members in groups.values():
        cells += _rectangles(members)
    owner = {}
    for n, (r0, c0, r1, c1) in enumerate(cells):
        for r in range(r0, r1):
            for c in range(c0, c1):
                owner[(r, c)] = n
    tables = _Sets(len(cells))
    for n, (r0, c0, r1, c1) in enumerate(cells):
        for r in range(r0, r1):  # the cell to the right, across the ruling line
            if (r, c1) in owner:
                tables.union(n, owner[(r, c1)])
        for c in range(c0, c1):  # the cell below
            if (r1, c) in owner:
                tables.union(n, owner[(r1, c)])
    grouped: dict[int, list] = {}
    for n, (r0, c0, r1, c1) in enumerate(cells):
        grouped.setdefault(tables.find(n), []).append((xs[c0], ys[r0], xs[c1], ys[r1]))
    found = [group for group in grouped.values() if len(group) > 1]
    return sorted(found, key=lambda group: min((cell[1], cell[0]) for cell in group))


def _nearest(lines: list[float], value: float) -> int:
    n = bisect.bisect_left(lines, value)
    if n == len(lines) or (n > 0 and value - lines[n - 1] < lines[n] - value):
        n -= 1
    return n


def _rectangles(members: list[tuple[int, int]]) -> list[tuple[int, int, int, int]]:
    """A closed group of units as a cell if it is a rectangle; a ring or an L (a frame around the
    table, a border missing inside it) is no cell, and its characters stay where they are."""
    r0, r1 = min(r for r, _ in members), max(r for r, _ in members) + 1
    c0, c1 = min(c for _, c in members), max(c for _, c in members) + 1
    return [(r0, c0, r1, c1)] if len(members) == (r1 - r0) * (c1 - c0) else []


def find_tables(segments: list[Segment], chars: list[Char]) -> tuple[list[PdfTable], list[Char]]:
    """The ruled tables drawn by ``segments``, and the characters that are in none of them."""
    tables, rest = [], chars
    for cells in find_cells(segments):
        table, rest = _table(cells, rest)
        if table is not None:
            tables.append(table)
    return tables, rest


def _table(cells: list[tuple[float, float, float, float]], chars: list[Char]) -> tuple[PdfTable | None, list[Char]]:
    xs = sorted({c[0] for c in cells} | {c[2] for c in cells})
    ys = sorted({c[1] for c in cells} | {c[3] for c in cells})
    if len(xs) < 3:
        return None, chars
    owner: dict[tuple[int, int], tuple[int, int]] = {}
    starts: dict[tuple[int, int], tuple[int, int]] = {}
    for x0, top, x1, bottom in cells:
        c0, c1, r0, r1 = xs.index(x0), xs.index(x1), ys.index(top), ys.index(bottom)
        starts[(r0, c0)] = (r1 - r0, c1 - c0)
        for r in range(r0, r1):
            for c in range(c0, c1):
                owner[(r, c)] = (r0, c0)
    inside: dict[tuple[int, int], list[Char]] = {}
    outside = []
    for char in chars:
        r = bisect.bisect_right(ys, char.middle) - 1
        c = bisect.bisect_right(xs, char.centre) - 1
        if 0 <= r < len(ys) - 1 and 0 <= c < len(xs) - 1:
            inside.setdefault(owner.get((r, c), (r, c)), []).append(char)
        else:
            outside.append(char)
    grid = []
    for r in range(len(ys) - 1):
        row = []
        for c in range(len(xs) - 1):
            if (r, c) in starts:
                rowspan, colspan = starts[(r, c)]
                row.append(GridCell(cell_text(inside.get((r, c), [])), rowspan, colspan))
            elif (r, c) not in owner:
                row.append(GridCell(cell_text(inside.get((r, c), []))))
        grid.append(row)
    return PdfTable((xs[0], ys[0], xs[-1], ys[-1]), grid), outside
