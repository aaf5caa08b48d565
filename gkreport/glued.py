"""Cells glued together: "640020470" is 64 0 0 2 0 4 70.

Some scrapers keep a table's text with no separator between cells.  The digits of a row can
still be read back when the row's arithmetic leaves one reading: a cell of several digits
never starts with 0, a decimal point stays inside one cell, and the identities of the row
(总计 = the six applicant columns; each block of table 四) must hold.  ``decodings`` lists
every reading; the caller keeps a row only when one is left (after the column identities
across rows, see ``textrecognize``), and reports it as ambiguous otherwise — never guessed.
"""

from __future__ import annotations

from collections.abc import Iterator

Identity = tuple[tuple[int, ...], int]  # (indices of the parts, index of their total)


def decodings(groups: list[str | None], count: int, identities: tuple[Identity, ...] = (), limit: int = 200) -> list[tuple[str, ...]]:
    """Every way to read the digit ``groups`` (written apart, each holding one or more cells; None
    for a blank mark, one empty cell read as 0 by the identities) as ``count`` cells, at most
    ``limit`` of them."""
    groups = [g for g in groups if g != ""]
    if not groups or sum(len(g) if g is not None else 1 for g in groups) < count or len(groups) > count:
        return []
    checks: dict[int, list[Identity]] = {}
    for parts, total in identities:
        checks.setdefault(max(parts + (total,)), []).append((parts, total))
    out: list[tuple[str, ...]] = []
    for cells in _split(groups, 0, count, [], checks):
        out.append(tuple(cells))
        if len(out) >= limit:
            break
    return out


def _split(groups: list[str], g: int, count: int, cells: list[str], checks) -> Iterator[list[str]]:
    if g == len(groups):
        if len(cells) == count:
            yield list(cells)
        return
    group = groups[g]
    remaining_groups = len(groups) - g - 1
    room = count - len(cells) - remaining_groups  # cells this group may hold at most
    digits_after = sum(len(x) if x is not None else 1 for x in groups[g + 1 :])
    options = [[""]] if group is None else _pieces(group, max(1, count - len(cells) - digits_after), room)
    for pieces in options:
        start = len(cells)
        cells.extend(pieces)
        if all(_holds(cells, identity) for i in range(start, len(cells)) for identity in checks.get(i, ())):
            yield from _split(groups, g + 1, count, cells, checks)
        del cells[start:]


def _pieces(text: str, least: int, most: int) -> Iterator[list[str]]:
    """``text`` cut into between ``least`` and ``most`` well-formed cells."""
    if most < 1:
        return
    if least <= 1 and _well_formed(text):
        yield [text]
    if most == 1:
        return
    for cut in range(1, len(text)):
        head = text[:cut]
        if not _well_formed(head) or text[cut] == "." or head.endswith("."):
            continue
        for rest in _pieces(text[cut:], max(1, least - 1), most - 1):
            yield [head, *rest]


def _well_formed(cell: str) -> bool:
    if not cell or cell.startswith(".") or cell.endswith(".") or cell.count(".") > 1:
        return False
    whole = cell.split(".")[0]
    return whole == "0" or not whole.startswith("0")


def _holds(cells: list[str], identity: Identity) -> bool:
    parts, total = identity
    from decimal import Decimal

    return sum(Decimal(cells[i] or 0) for i in parts) == Decimal(cells[total] or 0)
