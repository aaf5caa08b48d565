"""Cells glued together: "640020470" is 64 0 0 2 0 4 70.

Some scrapers keep a table's text with no separator between cells.  The digits of a row can
still be read back when the row's arithmetic leaves one reading: a cell of several digits
never starts with 0, a decimal point stays inside one cell, and the identities of the row
(总计 = the six applicant columns; each block of table 四) must hold.  ``decodings`` lists
every reading; the caller keeps a row only when one is left (after the column identities
across rows, see ``readings.resolve_glued``), and reports it as ambiguous otherwise — never guessed.

The cells are cut from the last to the first, so a total (the last cell of its identity) is
known before its parts: a part that would take the parts past their total is never tried.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

Identity = tuple[tuple[int, ...], int]  # (indices of the parts, index of their total)


def decodings(groups: list[str | None], count: int, identities: tuple[Identity, ...] = (), limit: int = 200) -> list[tuple[str, ...]]:
    """Every way to read the digit ``groups`` (written apart, each holding one or more cells; None
    for a blank mark, one empty cell read as 0 by the identities) as ``count`` cells, at most
    ``limit`` of them."""
    groups = [g for g in groups if g != ""]
    if not groups or sum(len(g) if g is not None else 1 for g in groups) < count or len(groups) > count:
        return []
    out: list[tuple[str, ...]] = []
    for cells in _Search(groups, count, identities).readings():
        out.append(tuple(cells))
        if len(out) >= limit:
            break
    return out


class _Search:
    def __init__(self, groups: list[str | None], count: int, identities: tuple[Identity, ...]):
        self.groups, self.count = groups, count
        self.total_of = {part: total for parts, total in identities for part in parts}  # part index -> its total's index
        self.parts_of = {total: parts for parts, total in identities}
        self.cells: list[str | None] = [None] * count

    def readings(self) -> Iterator[list[str]]:
        yield from self._group(len(self.groups) - 1, self.count)

    def _group(self, g: int, end: int) -> Iterator[list[str]]:
        """Cells [.., end) from groups [0..g], the last cell first."""
        if g < 0:
            if end == 0:
                yield [c or "" for c in self.cells]
            return
        group = self.groups[g]
        before = sum(len(x) if x is not None else 1 for x in self.groups[:g])
        most = end - g  # the groups before need a cell each at least
        least = max(1, end - before)  # the digits before can hold at most one cell each
        if group is None:
            if least <= 1 <= most:
                yield from self._place(end - 1, "", lambda: self._group(g - 1, end - 1))
            return
        yield from self._cut(group, end, least, most, lambda cells_left: self._group(g - 1, cells_left))

    def _cut(self, text: str, end: int, least: int, most: int, then) -> Iterator[list[str]]:
        """``text`` cut into between ``least`` and ``most`` cells ending at cell ``end``, its last cell first."""
        if most < 1:
            return
        if least <= 1 and _well_formed(text):
            yield from self._place(end - 1, text, lambda: then(end - 1))
        if most == 1:
            return
        for cut in range(len(text) - 1, 0, -1):
            tail = text[cut:]
            if not _well_formed(tail) or text[cut - 1] == "." or tail.startswith("."):
                continue
            head = text[:cut]
            yield from self._place(end - 1, tail, lambda head=head: self._cut(head, end - 1, max(1, least - 1), most - 1, then))

    def _place(self, index: int, text: str, then) -> Iterator[list[str]]:
        self.cells[index] = text
        if self._consistent(index):
            yield from then()
        self.cells[index] = None

    def _consistent(self, index: int) -> bool:
        """The identities through cell ``index`` still possible: parts not past their total, and equal
        to it once all are known."""
        for total in ({self.total_of[index]} if index in self.total_of else set()) | ({index} if index in self.parts_of else set()):
            if self.cells[total] is None:
                continue
            parts = [self.cells[i] for i in self.parts_of[total]]
            known = sum(Decimal(p or 0) for p in parts if p is not None)
            stated = Decimal(self.cells[total] or 0)
            if known > stated or (None not in parts and known != stated):
                return False
        return True


def _well_formed(cell: str) -> bool:
    if not cell or cell.startswith(".") or cell.endswith(".") or cell.count(".") > 1:
        return False
    whole = cell.split(".")[0]
    return whole == "0" or not whole.startswith("0")
