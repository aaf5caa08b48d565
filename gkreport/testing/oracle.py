"""What a written table determines, computed from the table and the rules alone (not by the
checker that is being measured): which wrong figures its rules can detect and locate, and which
cells text glued together still lets a reader read.

Detecting and locating.  A blank cell is an unknown, so a rule with a blank in it says nothing by
itself; combined with other rules it may (a blank total is the sum of its parts, and the parts'
column still checks it).  ``Checks(table)`` eliminates the blanks from the rules (exact integer
elimination) and keeps the combinations that involve written cells only: their residuals are all
a reader can see.  A wrong figure in written cell x (a change e) leaves the residual e·M[:, x]:

* it is detectable when M[:, x] is not zero;
* it is locatable when no other written cell y has M[:, y] parallel to M[:, x] (then a change of y
  alone could explain it as well).  Non-negativity and whole numbers are ignored, so a cell called
  locatable here is locatable by any exact method; one the checker may still single out using
  them is not counted.

Reading glued cells.  ``glued_readings(cells, kinds, identities)`` lists every way a row written
with no separator ("640020470") can be cut into cells that are well written (no leading zeros, a
sign only where the column is signed, a decimal point inside one cell) and satisfy the row's
identities; ``determined_rows`` adds the identities across rows of table 三.
"""

from __future__ import annotations

import itertools
import math
import re
from decimal import Decimal

from gkreport.spec import AMOUNT, SIGNED, CellKey, spec_for
from gkreport.testing.tables import WrittenTable
from gkreport.testing.variants import MARKS

BLANKS = frozenset(MARKS) | {""}


def is_blank(text: str) -> bool:
    return text.strip() in BLANKS


class Checks:
    """The rules of a written table with its blank cells eliminated."""

    def __init__(self, table: WrittenTable, unknown: frozenset = frozenset()) -> None:
        """``unknown``: written cells a reader cannot read (glued digits with several readings)."""
        spec = spec_for(table.table, table.format)
        written = table.written()
        self.given = {cell for cell, text in written.items() if not is_blank(text) and cell not in unknown}
        unknown = [cell for cell in spec.cells if cell not in self.given]
        rows = [dict(rule.terms) for rule in spec.rules]
        for cell in unknown:
            pivot = next((row for row in rows if row.get(cell)), None)
            if pivot is None:
                continue
            rows.remove(pivot)
            for row in rows:
                if row.get(cell):
                    a, b = pivot[cell], row[cell]
                    merged = {c: row.get(c, 0) * a - pivot.get(c, 0) * b for c in set(row) | set(pivot)}
                    row.clear()
                    row.update({c: v for c, v in merged.items() if v})
        self.rows = [row for row in rows if row]
        self._columns = {cell: _direction([row.get(cell, 0) for row in self.rows]) for cell in self.given}
        self._parallel: dict[tuple, int] = {}
        for direction in self._columns.values():
            if direction is not None:
                self._parallel[direction] = self._parallel.get(direction, 0) + 1

    def detectable(self, change: dict[CellKey, int]) -> bool:
        """Whether figures written wrong by ``change`` (cell -> written minus true) break a check."""
        return any(sum(row.get(cell, 0) * delta for cell, delta in change.items()) for row in self.rows)

    def locatable(self, cell: CellKey) -> bool:
        """Whether a wrong figure in this one written cell can be told from one in any other."""
        direction = self._columns.get(cell)
        return direction is not None and self._parallel[direction] == 1


def _direction(column: list[int]) -> tuple | None:
    """The column scaled to its smallest whole form, first non-zero entry positive: the same for
    parallel columns."""
    first = next((v for v in column if v), 0)
    if not first:
        return None
    divisor = math.gcd(*column) * (1 if first > 0 else -1)
    return tuple(v // divisor for v in column)


# ---------------------------------------------------------------- glued cells

_COUNT = re.compile(r"0|[1-9]\d*")
_SIGNED = re.compile(r"[+-]?(?:0|[1-9]\d*)|减[1-9]\d*")
_AMOUNT = re.compile(r"(?:0|[1-9]\d*)(?:\.\d+)?(?:万元|元)?")
Identity = tuple[tuple[int, ...], int]


def kinds_of(table: WrittenTable, refs: list[CellKey]) -> list[str]:
    spec = spec_for(table.table, table.format)
    return [spec.kind_of(ref) for ref in refs]


def glued_readings(pieces: list[str], kinds: list[str], identities: tuple[Identity, ...] = (), limit: int = 2000) -> list[tuple]:
    """Every reading of a row written as ``pieces`` (the texts between spaces, each holding one or
    more cells, glued) as ``len(kinds)`` cells; a blank mark is a cell of its own and an unknown."""
    out: list[tuple] = []
    for cells in _cuts(pieces, 0, kinds, []):
        values = [value_of(text) for text in cells]
        if all(_possible(values, identity) for identity in identities):
            out.append(tuple(values))
            if len(out) >= limit:
                break
    return out


def _cuts(pieces: list[str], k: int, kinds: list[str], cells: list[str]):
    if not pieces:
        if k == len(kinds):
            yield list(cells)
        return
    piece = pieces[0]
    if k == len(kinds):
        return
    for end in range(1, len(piece) + 1):
        head = piece[:end]
        if not _well_written(head, kinds[k]):
            continue
        rest = piece[end:]
        cells.append(head)
        yield from _cuts(([rest] if rest else []) + pieces[1:], k + 1, kinds, cells)
        cells.pop()


def _well_written(text: str, kind: str) -> bool:
    if text in BLANKS:
        return True
    pattern = _AMOUNT if kind == AMOUNT else _SIGNED if kind == SIGNED else _COUNT
    return pattern.fullmatch(text) is not None


def value_of(text: str):
    """A figure as written ("减7", "251000元", "18.8710") as a value; a blank mark as None."""
    if text in BLANKS:
        return None
    text = text.replace(",", "")
    if text.startswith("减"):
        return -int(text[1:])
    if text.endswith("万元"):
        return Decimal(text[:-2])
    if text.endswith("元"):
        return Decimal(text[:-1]) / 10000
    return Decimal(text) if "." in text else int(text)


def _possible(values: list, identity: Identity) -> bool:
    """Whether total = sum(parts) can hold, a blank being any number >= 0."""
    parts, total = identity
    known = sum(values[i] for i in parts if values[i] is not None)
    unknown = any(values[i] is None for i in parts)
    if values[total] is None:
        return True
    return known <= values[total] if unknown else known == values[total]


def determined_rows(readings: dict[str, list[tuple]], columns: list[str], rules, limit: int = 20000) -> dict[str, tuple]:
    """The rows whose reading is single once the identities across rows (table 三's column
    totals and balances) are applied to every row's readings: row -> its reading."""
    out = {key: options[0] for key, options in readings.items() if len(options) == 1}
    open_rows = [key for key, options in readings.items() if len(options) > 1]
    survivors = _surviving(readings, columns, rules, limit)
    if not open_rows or not survivors:
        return out
    for k, key in enumerate(open_rows):
        if len({choice[k] for choice in survivors}) == 1:
            out[key] = survivors[0][k]
    return out


def consistent(readings: dict[str, list[tuple]], columns: list[str], rules, limit: int = 20000) -> bool | None:
    """Whether some reading of every row makes every rule possible (None: too many to try)."""
    if any(not options for options in readings.values()):
        return False
    survivors = _surviving(readings, columns, rules, limit)
    return None if survivors is None else bool(survivors)


def _surviving(readings: dict[str, list[tuple]], columns: list[str], rules, limit: int) -> list[tuple] | None:
    """The choices of reading for the rows with several that keep every rule possible."""
    fixed = {key: options[0] for key, options in readings.items() if len(options) == 1}
    open_rows = [key for key, options in readings.items() if len(options) > 1]
    size = 1
    for key in open_rows:
        size *= len(readings[key])
    if size > limit:
        return None
    index = {c: i for i, c in enumerate(columns)}
    survivors = []
    for choice in itertools.product(*(readings[key] for key in open_rows)):
        rows = dict(fixed, **dict(zip(open_rows, choice)))
        if all(_rule_possible(rule, rows, index) for rule in rules):
            survivors.append(choice)
    return survivors


def _rule_possible(rule, rows: dict, index: dict) -> bool:
    total, unknown = 0, False
    for (row, column), coefficient in rule.terms:
        if row not in rows:
            return True  # a row not read: the rule says nothing
        value = rows[row][index[column]]
        if value is None:
            unknown = True
        else:
            total += coefficient * value
    return unknown or total == 0
