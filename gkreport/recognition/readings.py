"""Rows of figures glued together with several readings: the combination the table's rules allow.

Each row's readings satisfy the row's own arithmetic (``figures.read_row``); across rows, the
column rules settle most of what is left.  A cell every remaining reading agrees on is read; the
others are marked ambiguous and reported, never guessed.  When no combination balances, the table
holds an error: the one reading that breaks fewest rules is the table as written (the engine then
locates the error), else the table is reported as unbalanced.
"""

from __future__ import annotations

import itertools
from decimal import Decimal

from gkreport.findings import Finding
from gkreport.recognition.figures import RowReading, as_written, spread
from gkreport.recognition.result import Recognized
from gkreport.recognition.rows import ambiguous_finding
from gkreport.recognition.tokens import NUMBER
from gkreport.spec import TableSpec
from gkreport.values import INVALID, CellValue, parse_cell

COMBINATIONS = 20000  # readings of the open rows tried together, at most


def resolve_glued(spec: TableSpec, readings: dict[str, RowReading], found: Recognized) -> None:
    """Rows of glued figures with several readings: keep the combination the column rules
    allow; cells every remaining reading agrees on are read, the others reported."""
    open_rows = {key: r.readings for key, r in readings.items() if r.cells is None}
    if not open_rows:
        if any(r.glued for r in readings.values()):
            found.findings.append(Finding("glued-cells", table=spec.table))
        return
    known = {}
    for key, reading in readings.items():
        if reading.cells is not None:
            for column, (text, _) in zip(spec.columns, reading.cells):
                value = parse_cell(text).value
                if value is not None:
                    known[(key, column.key)] = Decimal(value)
    keys = sorted(open_rows)
    combos = list(itertools.islice(itertools.product(*(open_rows[k] for k in keys)), COMBINATIONS))
    survivors = [c for c in combos if _rules_broken(spec, known, dict(zip(keys, c))) == 0]
    if not survivors and combos:
        # no reading balances the table: it holds an error.  The reading that breaks fewest rules
        # is the table as written when it is the only one; then the engine locates the error
        broken = [_rules_broken(spec, known, dict(zip(keys, c))) for c in combos]
        fewest = [c for c, n in zip(combos, broken) if n == min(broken)]
        survivors = fewest if len(fewest) == 1 else []
        if not survivors:
            found.findings.append(Finding("glued-unbalanced", table=spec.table, params={"count": len(combos)}))
    pool = survivors or combos
    found.findings.append(Finding("glued-cells", table=spec.table))
    for i, key in enumerate(keys):
        options = {combo[i] for combo in pool}
        reading = readings[key]
        if len(options) == 1:
            readings[key] = reading._replace(cells=spread(next(iter(options)), [t for t in reading.tokens if t.kind == NUMBER]))
            continue
        columns = spec.columns
        agreed = [len({o[j] for o in options}) == 1 for j in range(len(columns))]
        first = next(iter(options))
        token = reading.tokens[0]
        readings[key] = reading._replace(cells=None)
        for j, column in enumerate(columns):
            cell = (key, column.key)
            if agreed[j]:
                found.cells[cell] = parse_cell(first[j], spec.kind_of(cell))
            else:
                found.cells[cell] = CellValue(as_written(reading.tokens), INVALID, problem="ambiguous")
            found.positions[cell] = (token.line, token.start)
        found.findings.append(ambiguous_finding(spec, key, reading, sorted(options)))


def _rules_broken(spec, known: dict, chosen: dict[str, tuple[str, ...]]) -> int:
    """How many of the table's rules a reading of its glued rows breaks (rules with a cell not
    read are left out)."""
    values = dict(known)
    for key, reading in chosen.items():
        for column, text in zip(spec.columns, reading):
            values[(key, column.key)] = Decimal(text or 0)
    return sum(
        1
        for rule in spec.rules
        if all(cell in values for cell in rule.cells) and sum(values[cell] * coefficient for cell, coefficient in rule.terms) != 0
    )
