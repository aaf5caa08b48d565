"""Tables flattened to text, as they are copied from published web pages and documents.

Three forms are read back into grids (see FORMAT.md, "What real published reports look like"):

* one row per line, cells separated by ``|`` (runs of empty cells where cells were merged);
* one row per line, cells separated by tabs (the count of cells may not match the grid);
* one cell per line, each followed by `` |``, rows closed by lines of ``|`` debris.

The grids carry no spans; recognition then places values by labels and, where the header
is not legible, by the official column order (it says so in a finding).
"""

from __future__ import annotations

import re

from .grid import Grid, GridCell

_PIPE_ONLY = re.compile(r"^[\s|｜]*$")


def is_table_line(line: str) -> bool:
    return ("|" in line or "｜" in line or "\t" in line.strip("\t ")) and bool(line.strip())


def table_regions(lines: list[str]) -> list[tuple[int, int]]:
    """[start, end) ranges of consecutive table lines."""
    regions, start = [], None
    for i, line in enumerate(lines + [""]):
        if i < len(lines) and is_table_line(line):
            if start is None:
                start = i
        elif start is not None:
            regions.append((start, i))
            start = None
    return regions


def _cells(line: str) -> list[str]:
    line = line.replace("｜", "|").rstrip("\n")
    separator = "|" if "|" in line else "\t"
    cells = [c.strip() for c in line.split(separator)]
    if separator == "|" and cells and cells[0] == "" and line.lstrip().startswith("|"):
        cells = cells[1:]
    while cells and cells[-1] == "":
        cells.pop()
    return cells


def grid_from_lines(lines: list[str]) -> Grid:
    rows = [_cells(line) for line in lines]
    content = [r for r, line in zip(rows, lines) if not _PIPE_ONLY.match(line)]
    one_cell_per_line = content and sum(len(r) == 1 for r in content) >= 0.8 * len(content) and any(
        _PIPE_ONLY.match(line) for line in lines
    )
    if one_cell_per_line:
        grid, current = [], []
        for cells, line in zip(rows, lines):
            if _PIPE_ONLY.match(line):
                if current:
                    grid.append(current)
                current = []
            else:
                current.extend(GridCell(c) for c in cells)
        if current:
            grid.append(current)
        return grid
    return [[GridCell(c) for c in cells] for cells, line in zip(rows, lines) if not _PIPE_ONLY.match(line)]
