"""The figures written for one row, read into its cells.

``read_row`` takes the tokens between a row's label and the next: as many figures as cells, or
fewer with empty cells standing for the rest, or figures glued together (decoded with the row's
sum rules, ``row_identities``, by ``glued.decodings``), or, in text laid out in columns, each
figure in the column it stands under (``column_positions``, ``header_columns``).
"""

from __future__ import annotations

import statistics
from functools import cache
from typing import NamedTuple

from gkreport.recognition.glued import Identity, decodings
from gkreport.recognition.tokens import EMPTY, LABEL, MARK, NUMBER, Token
from gkreport.spec import spec_for
from gkreport.values import parse_cell


class RowReading(NamedTuple):
    cells: list[tuple[str, Token]] | None  # the cells' texts, each with the token it came from
    readings: list[tuple[str, ...]]  # glued figures: every decoding (several: ambiguous)
    tokens: list[Token]  # the figures as written
    problem: str  # "" | "count" | "unbalanced"
    glued: bool = False  # the cells were cut from figures written together


@cache
def row_identities(table: str, fmt: str, row: str) -> tuple[Identity, ...]:
    """The sum rules inside one row, as (indices of the parts, index of their total) among the row's
    columns: what figures glued together must add up to."""
    spec = spec_for(table, fmt)
    index = {column.key: i for i, column in enumerate(spec.columns_of(spec.row(row)))}
    out = []
    for rule in spec.rules:
        if rule.is_sum and all(cell[0] == row for cell in rule.cells):
            parts = tuple(index[cell[1]] for cell in rule.cells if cell != rule.target)
            out.append((parts, index[rule.target[1]]))
    return tuple(out)


def read_row(
    values: list[Token], count: int, identities=(), zero_row_ok: bool = True, columns: list[float] | None = None
) -> RowReading:
    """The ``count`` cells of a row from the tokens written for it.  ``columns``: where each
    column's figures stand on their lines (text laid out in columns), when that is known."""
    figures = [t for t in values if t.kind in (NUMBER, MARK)]
    if columns and figures and (len(figures) < count or len({t.line for t in figures}) > 1):
        placed = _by_position(figures, columns)
        if placed is not None:
            return RowReading(placed, [], figures, "")
    if len(figures) == count:
        return RowReading([(t.text, t) for t in figures], [], figures, "")
    if len(figures) < count:
        slots = list(values)
        for attempt in (slots, _drop_leading_empties(slots)):
            if len(attempt) >= count and all(t in attempt[:count] for t in figures):
                return RowReading([("" if t.kind == EMPTY else t.text, t) for t in attempt[:count]], [], figures, "")
        glued = any(t.kind == NUMBER and not t.cell for t in figures)  # cut from text run together, not cells apart
        if glued and all(t.kind == MARK or _digits(t.text) for t in figures):
            groups = [_digits(t.text) if t.kind == NUMBER else None for t in figures]
            readings = [_signed(r, figures) for r in decodings(groups, count, identities)]
            if len(readings) == 1:
                return RowReading(spread(readings[0], figures), [], figures, "", True)
            if readings:
                return RowReading(None, readings, figures, "", True)
            if identities and decodings(groups, count, (), limit=1):
                return RowReading(None, [], figures, "unbalanced", True)  # cells, but none adding up
        if zero_row_ok and figures and all(t.kind == MARK or parse_cell(t.text).value == 0 for t in figures):
            return RowReading([("", figures[0])] * count, [], figures, "")
    return RowReading(None, [], figures, "count")


def as_written(tokens: list[Token]) -> str:
    """The figures of a row as written, for a message."""
    return " ".join(t.text if t.kind != EMPTY else "□" for t in tokens if t.kind != EMPTY) or "—"


def _by_position(figures: list[Token], columns: list[float]) -> list[tuple[str, Token]] | None:
    """Figures placed in the column they stand under (a row whose figures are spread over several
    lines, or whose blank cells left no trace in the text); None when one does not fit a column."""
    if len(columns) < 2:
        return None
    reach = max(2.0, min(b - a for a, b in zip(columns, columns[1:])) / 2)
    cells: list[tuple[str, Token] | None] = [None] * len(columns)
    for token in figures:
        middle = (token.start + token.end) / 2
        j = min(range(len(columns)), key=lambda k: abs(columns[k] - middle))
        if abs(columns[j] - middle) > reach or cells[j] is not None:
            return None
        cells[j] = (token.text, token)
    anchor = figures[0]
    return [cell or ("", Token(EMPTY, "", anchor.line, anchor.start, anchor.start, True, anchor.index)) for cell in cells]


def header_columns(tokens: list[Token], count: int, left: float = 0.0) -> list[float] | None:
    """Where ``count`` columns stand, read off a header laid out in columns: the middles of its
    words right of ``left``, the words standing under one another (a header word broken over lines)
    taken as one column.  None unless that gives ``count`` columns apart from each other."""
    if not any(t.aligned for t in tokens):
        return None  # cells split by | or tabs: their offsets say nothing of columns
    middles = sorted((t.start + t.end) / 2 for t in tokens if t.kind == LABEL and t.start >= left)
    clusters: list[list[float]] = []
    for middle in middles:
        if clusters and middle - clusters[-1][-1] <= 3:
            clusters[-1].append(middle)
        else:
            clusters.append([middle])
    if len(clusters) != count:
        return None
    columns = [statistics.mean(cluster) for cluster in clusters]
    return columns if all(b - a >= 4 for a, b in zip(columns, columns[1:])) else None


def column_positions(tokens: list[Token], count: int) -> list[float] | None:
    """Where the ``count`` columns stand in text laid out in columns (pdftotext -layout): the middles
    of the figures on the lines that hold exactly ``count`` of them, when those lines agree."""
    by_line: dict[int, list[Token]] = {}
    for token in tokens:
        if token.kind in (NUMBER, MARK) and token.aligned:
            by_line.setdefault(token.line, []).append(token)
    full = [sorted(line, key=lambda t: t.start) for line in by_line.values() if len(line) == count]
    if len(full) < 2:
        return None
    middles = [sorted((t.start + t.end) / 2 for t in line) for line in full]
    columns = [statistics.median(line[j] for line in middles) for j in range(count)]
    if any(b - a < 3 for a, b in zip(columns, columns[1:])):
        return None
    aligned = sum(1 for line in middles if all(abs(line[j] - columns[j]) <= 2 for j in range(count)))
    if aligned < max(2, 2 * len(middles) / 3):
        return None  # the figures do not line up: not text laid out in columns
    return columns


def _drop_leading_empties(tokens: list[Token]) -> list[Token]:
    i = 0
    while i < len(tokens) and tokens[i].kind == EMPTY:
        i += 1
    return tokens[i:]


_SIGNS = ("增加", "减少", "增", "减", "+", "-")


def _digits(text: str) -> str:
    """The digits of a figure glued to others (its sign left out), or "" when it is not one."""
    plain = text.replace(",", "").replace("，", "")
    for sign in _SIGNS:
        if plain.startswith(sign):
            plain = plain[len(sign) :]
            break
    return plain if plain.replace(".", "", 1).isdigit() else ""


def _sign(text: str) -> str:
    return next((sign for sign in _SIGNS if text.startswith(sign)), "")


def _signed(reading: tuple[str, ...], figures: list[Token]) -> tuple[str, ...]:
    """A decoding with each figure's sign put back on the first cell cut from it."""
    cells, k = list(reading), 0
    for token in figures:
        if token.kind == MARK:
            cells[k] = token.text
            k += 1
            continue
        sign, left = _sign(token.text), len(_digits(token.text))
        if sign:
            cells[k] = sign + cells[k]
        while left > 0:
            left -= len(cells[k].lstrip("".join(_SIGNS)))
            k += 1
    return tuple(cells)


def spread(reading: tuple[str, ...], figures: list[Token]) -> list[tuple[str, Token]]:
    """Each decoded cell with the token it was cut from."""
    out, tokens = [], iter(figures)
    token = next(tokens)
    used = 0
    for cell in reading:
        size = 1 if token.kind == MARK else len(_digits(token.text))
        while used >= size:
            token, used = next(tokens), 0
            size = 1 if token.kind == MARK else len(_digits(token.text))
        out.append((cell, token))
        used += 1 if token.kind == MARK else len(cell.lstrip("".join(_SIGNS)))
    return out
