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


_BLOCK_TITLE = re.compile(r"^\s*第二十条第\s*[（(][一二三四五六七八九十]+[)）]\s*项\s*$")


def is_table_line(line: str) -> bool:
    """A line of a flattened table; a block title of table 二 alone on its line counts too (a tab-
    separated copy leaves it without a separator, and it must not split the table in four)."""
    return ("|" in line or "｜" in line or "\t" in line.strip("\t ") or bool(_BLOCK_TITLE.match(line))) and bool(line.strip())


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


# ---------------------------------------------------------------- into pandoc documents


def table_from_grid(grid: Grid):
    """A plain panflute Table holding the cells of a flattened table (no header, no spans)."""
    import panflute as pf

    width = max((len(row) for row in grid), default=0)
    rows = [
        pf.TableRow(*[pf.TableCell(pf.Plain(pf.Str(cell.text)) if cell.text else pf.Plain()) for cell in row]
                    + [pf.TableCell() for _ in range(width - len(row))])
        for row in grid
    ]
    return pf.Table(pf.TableBody(*rows), colspec=[("AlignDefault", "ColWidthDefault")] * width)


# Tables made here were recognized already; check_document takes the result instead of reading
# the table back and recognizing it again (keyed by id, with the table kept alive beside it).
_RECOGNIZED: dict[int, tuple] = {}


def take_recognized(table):
    """The recognition of a table this module made, once; None for any other table."""
    entry = _RECOGNIZED.pop(id(table), None)
    return entry[1] if entry is not None and entry[0] is table else None


def blocks_from_lines(lines: list[str], make_paragraph) -> list:
    """Prose and real tables for the flattened tables found among ``lines``.

    ``make_paragraph(start, end)`` builds the blocks for the prose lines [start, end).  A
    region of table lines that is not one of the three tables stays prose, as written.
    """
    from .recognize import recognize

    blocks, done = [], 0
    for start, end in table_regions(lines):
        grid = grid_from_lines(lines[start:end])
        recognized = recognize(grid)
        if recognized is None:
            continue
        if start > done:
            blocks.extend(make_paragraph(done, start))
        table = table_from_grid(grid)
        _RECOGNIZED[id(table)] = (table, recognized)
        blocks.append(table)
        done = end
    if done < len(lines):
        blocks.extend(make_paragraph(done, len(lines)))
    return blocks


def _split_lines(para) -> tuple[list[str], list[list]]:
    """The paragraph's lines as text, and the original inlines of each line."""
    import panflute as pf

    lines, groups, text, group = [], [], [], []
    for inline in para.content:
        if isinstance(inline, (pf.SoftBreak, pf.LineBreak)):
            lines.append("".join(text))
            groups.append(group)
            text, group = [], []
            continue
        group.append(inline)
        text.append(inline.text if isinstance(inline, pf.Str) else " " if isinstance(inline, pf.Space) else pf.stringify(inline))
    lines.append("".join(text))
    groups.append(group)
    return lines, groups


def unflatten_paragraphs(doc) -> None:
    """Replace each paragraph that holds a flattened table by its prose and a real table."""
    import panflute as pf

    from .blocks import blocks, replace

    for elem in [b for b in blocks(doc.content) if isinstance(b, (pf.Para, pf.Plain))]:
        if not any(isinstance(i, pf.Str) and ("|" in i.text or "｜" in i.text) for i in elem.content):
            continue
        lines, groups = _split_lines(elem)
        if sum(is_table_line(line) for line in lines) < 2:
            continue

        def prose(start: int, end: int, groups=groups, kind=type(elem)) -> list:
            inlines = []
            for group in groups[start:end]:
                if inlines:
                    inlines.append(pf.SoftBreak())
                inlines.extend(group)
            return [kind(*inlines)]

        new = blocks_from_lines(lines, prose)
        if any(isinstance(b, pf.Table) for b in new):
            replace(elem, new)
