"""Exact linear algebra for the table rules: which unknowns the equalities determine.

An equation is ``sum(coefficient * variable) == constant`` with a sparse ``dict`` of
integer or ``Fraction`` coefficients, and optionally a third member: a bit mask naming the
rules it comes from (bit ``i`` for rule ``i``).  ``deduce`` combines Gauss-Jordan
elimination (a variable is determined when its reduced row holds no other variable, the
criterion of deductive imputation) with zero-forcing under non-negativity (a sum of
non-negative unknowns that must be 0 makes each of them 0), to a fixed point.  It reports
infeasibility instead of a solution when the equations contradict each other, or a
non-negative variable would be negative or a whole-number variable fractional; then
``conflict`` is the mask of the rules the contradiction was derived from (every row carries
the union of the masks it was combined from): one written cell of those rules must change.
No floating point anywhere.
"""

from __future__ import annotations

from fractions import Fraction
from typing import NamedTuple

Number = int | Fraction
Equation = tuple  # (coefficients by variable, constant) or (coefficients, constant, rule mask)


def _div(a: Number, b: Number) -> Number:
    if isinstance(a, int) and isinstance(b, int) and a % b == 0:
        return a // b
    result = Fraction(a) / b
    return result.numerator if result.denominator == 1 else result


class Deduction(NamedTuple):
    feasible: bool
    values: dict[int, Number]  # variables whose value the equations determine
    conflict: int = 0  # when infeasible: mask of the rules the contradiction comes from


def _masked(equation: Equation):
    return equation if len(equation) == 3 else (equation[0], equation[1], 0)


def reduce(equations: list[Equation]):
    """Gauss-Jordan elimination: (pivot rows by pivot variable, consistent?, mask of a contradiction)."""
    pivots: dict[int, tuple[dict, Number, int]] = {}
    for equation in equations:
        coefficients, constant, mask = _masked(equation)
        row = dict(coefficients)
        for var in [v for v in row if v in pivots]:
            factor = row.get(var)
            if not factor:
                continue
            pivot_row, pivot_constant, pivot_mask = pivots[var]
            _subtract(row, factor, pivot_row)
            constant = constant - factor * pivot_constant
            mask |= pivot_mask
        if not row:
            if constant != 0:
                return pivots, False, mask
            continue
        pivot = min(row)
        scale = row[pivot]
        if scale != 1:
            row = {v: _div(c, scale) for v, c in row.items()}
            constant = _div(constant, scale)
        for var, (other, other_constant, other_mask) in list(pivots.items()):
            factor = other.get(pivot)
            if factor:
                merged = dict(other)
                _subtract(merged, factor, row)
                pivots[var] = (merged, other_constant - factor * constant, other_mask | mask)
        pivots[pivot] = (row, constant, mask)
    return pivots, True, 0


def _subtract(row: dict[int, Number], factor: Number, other: dict[int, Number]) -> None:
    """row -= factor * other, dropping the coefficients that become 0."""
    for v, c in other.items():
        value = row.get(v, 0) - factor * c
        if value:
            row[v] = value
        else:
            row.pop(v, None)


def deduce(equations: list[Equation], nonnegative: set[int], integral: set[int]) -> Deduction:
    """Every variable the equations (and non-negativity) determine, or infeasibility."""
    known: dict[int, Number] = {}
    known_mask: dict[int, int] = {}
    equations = [_masked(eq) for eq in equations]
    while True:
        system = [_substitute(eq, known, known_mask) for eq in equations]
        for coefficients, constant, mask in system:
            if not coefficients and constant != 0:
                return Deduction(False, known, mask)
        system = [eq for eq in system if eq[0]]
        pivots, consistent, mask = reduce(system)
        if not consistent:
            return Deduction(False, known, mask)
        found: dict[int, tuple[Number, int]] = {}
        for var, (row, constant, mask) in pivots.items():
            if len(row) == 1:
                found[var] = (constant, mask)
        for coefficients, constant, mask in system + list(pivots.values()):
            signs = {c > 0 for c in coefficients.values()}
            if len(signs) == 1 and all(v in nonnegative for v in coefficients):
                positive = signs.pop()
                if constant == 0:
                    for v in coefficients:
                        found.setdefault(v, (0, mask))
                elif (constant > 0) != positive:
                    return Deduction(False, known, mask)
        for var, (value, mask) in found.items():
            if var in nonnegative and value < 0:
                return Deduction(False, known, mask)
            if var in integral and not (isinstance(value, int) or value.denominator == 1):
                return Deduction(False, known, mask)
        new = [v for v in found if v not in known]
        if not new:
            return Deduction(True, known)
        for v in new:
            known[v], known_mask[v] = found[v]


def _substitute(equation, known: dict[int, Number], known_mask: dict[int, int]):
    coefficients, constant, mask = equation
    if not known:
        return equation
    row = {}
    for v, c in coefficients.items():
        if v in known:
            constant = constant - c * known[v]
            mask |= known_mask[v]
        else:
            row[v] = c
    return row, constant, mask
