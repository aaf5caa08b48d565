"""Fills follow from what is written: a property test against an independent oracle.

Random valid tables (every rule of FORMAT.md holds) have random cells blanked, asked for (``?``)
or dropped (missing).  For every value the engine fills, an integer program over the same rules
(scipy's HiGHS MILP, written cells fixed, every unknown a non-negative whole number) finds the
smallest and the largest value that cell can take: a fill is right only when both equal it.  So a
fill that rests on anything but the written cells (a blank read as 0, a garbled cell) turns this
red, and so does a wrong value.  The oracle shares no code with the engine.
"""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from gkreport.testing.values import consistent_appeals, consistent_requests

from gkreport.checks.engine import check_table
from gkreport.spec import spec_for
from gkreport.values import GIVEN, CellValue, parse_cell

np = pytest.importorskip("numpy")
optimize = pytest.importorskip("scipy.optimize")

SPECS = {"requests": spec_for("requests", "2021"), "appeals": spec_for("appeals", "2021")}


def cell_range(spec, written: dict, cell) -> tuple[int | None, int | None]:
    """(min, max) of ``cell`` over the non-negative integer solutions; None for an unbounded side."""
    unknown = [c for c in spec.cells if c not in written]
    index = {c: i for i, c in enumerate(unknown)}
    rows, rhs = [], []
    for rule in spec.rules:
        row = np.zeros(len(unknown))
        constant = 0
        for c, k in rule.terms:
            if c in index:
                row[index[c]] += k
            else:
                constant -= k * written[c]
        rows.append(row)
        rhs.append(constant)
    constraints = optimize.LinearConstraint(np.array(rows), np.array(rhs), np.array(rhs))
    bounds = optimize.Bounds(0, np.inf)
    out = []
    for sign in (1, -1):
        objective = np.zeros(len(unknown))
        objective[index[cell]] = sign
        result = optimize.milp(objective, constraints=constraints, integrality=np.ones(len(unknown)), bounds=bounds)
        out.append(round(result.x[index[cell]]) if result.status == 0 else None)
    return out[0], out[1]


@st.composite
def blanked_tables(draw):
    table = draw(st.sampled_from(["requests", "appeals"]))
    spec = SPECS[table]
    rng = random.Random(draw(st.integers(0, 10**6)))
    values = consistent_requests(rng) if table == "requests" else consistent_appeals(rng)
    share = draw(st.sampled_from([0.05, 0.2, 0.5, 0.9]))
    texts = {}
    for cell in spec.cells:
        if rng.random() < share:
            texts[cell] = rng.choice(["", "", "", "?", "-", "missing"])
    if table == "requests" and draw(st.booleans()):  # a whole row not written at all
        row = rng.choice(spec.rows).key
        texts.update({(row, c.key): "missing" for c in spec.columns})
    return spec, values, texts


@settings(max_examples=60, deadline=None)
@given(blanked_tables())
def test_every_fill_is_the_true_value_and_determined_by_the_written_cells(case):
    spec, values, texts = case
    cells = {}
    for cell in spec.cells:
        if cell not in texts:
            cells[cell] = CellValue(str(values[cell]), GIVEN, values[cell])
        elif texts[cell] != "missing":
            cells[cell] = parse_cell(texts[cell], spec.kind_of(cell))
    checked = check_table(spec, cells)
    assert not checked.errors  # a valid table with holes is never wrong
    written = {c: values[c] for c, v in cells.items() if v.state == GIVEN}
    for cell, value in checked.deduced.items():
        assert value == values[cell], (cell, value, values[cell])
        assert cell_range(spec, written, cell) == (value, value), f"{cell} filled as {value} but the written cells do not determine it"
    # a filled total is shown with every part it adds up shown
    shown = set(written) | set(checked.deduced)
    for rule in spec.rules:
        if rule.kind != "balance" and rule.target in checked.deduced:
            assert shown.issuperset(rule.cells), rule


def test_the_oracle_sees_a_fill_that_rests_on_a_zero_reading():
    # the test's own check: 总计 beside blank parts and a written 1 is not determined (2 is possible)
    spec = SPECS["appeals"]
    values = {("cases", c.key): 0 for c in spec.columns}
    values[("cases", "reconsideration_corrected")] = 1
    written = {c: v for c, v in values.items() if c[1] not in ("reconsideration_upheld", "reconsideration_total")}
    assert cell_range(spec, written, ("cases", "reconsideration_total")) == (1, None)
    assert cell_range(spec, written, ("cases", "reconsideration_upheld")) == (0, None)
