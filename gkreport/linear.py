"""Exact linear algebra for the table rules: which unknowns the equalities determine.

An equation is ``sum(coefficient * variable) == constant`` with a sparse ``dict`` of
integer or ``Fraction`` coefficients.  ``deduce`` combines Gauss-Jordan elimination (a
variable is determined when its reduced row holds no other variable, the criterion of
deductive imputation) with zero-forcing under non-negativity (a sum of non-negative unknowns
that must be 0 makes each of them 0), to a fixed point.  It reports infeasibility instead of
a solution when the equations contradict each other, or a non-negative variable would be
negative or a whole-number variable fractional.  No floating point anywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

Number = int | Fraction
Equation = tuple[dict[int, Number], Number]  # (coefficients by variable, constant)


def _div(a: Number, b: Number) -> Number:
    if isinstance(a, int) and isinstance(b, int) and a % b == 0:
        return a // b
    result = Fraction(a) / b
    return result.numerator if result.denominator == 1 else result


@dataclass
class Deduction:
    feasible: bool
    values: dict[int, Number]  # variables whose value the equations determine


def reduce(equations: list[Equation]) -> tuple[dict[int, Equation], bool]:
    """Gauss-Jordan elimination: pivot rows by pivot variable, and whether the system is consistent."""
    pivots: dict[int, Equation] = {}
    for coefficients, constant in equations:
        row = dict(coefficients)
        for var in [v for v in row if v in pivots]:
            factor = row.get(var)
            if not factor:
                continue
            pivot_row, pivot_constant = pivots[var]
            _subtract(row, factor, pivot_row)
            constant = constant - factor * pivot_constant
        row = {v: c for v, c in row.items() if c}
        if not row:
            if constant != 0:
                return pivots, False
            continue
        pivot = min(row)
        scale = row[pivot]
        row = {v: _div(c, scale) for v, c in row.items()}
        constant = _div(constant, scale)
        for var, (other, other_constant) in list(pivots.items()):
            factor = other.get(pivot)
            if factor:
                merged = dict(other)
                _subtract(merged, factor, row)
                pivots[var] = (merged, other_constant - factor * constant)
        pivots[pivot] = (row, constant)
    return pivots, True


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
    while True:
        system = [_substitute(eq, known) for eq in equations]
        if any(not coefficients and constant != 0 for coefficients, constant in system):
            return Deduction(False, known)
        system = [eq for eq in system if eq[0]]
        pivots, consistent = reduce(system)
        if not consistent:
            return Deduction(False, known)
        found: dict[int, Number] = {}
        for var, (row, constant) in pivots.items():
            if len(row) == 1:
                found[var] = constant
        for coefficients, constant in system + list(pivots.values()):
            signs = {c > 0 for c in coefficients.values()}
            if len(signs) == 1 and all(v in nonnegative for v in coefficients):
                positive = signs.pop()
                if constant == 0:
                    found.update({v: 0 for v in coefficients if v not in found})
                elif (constant > 0) != positive:
                    return Deduction(False, known)
        for var, value in found.items():
            if var in nonnegative and value < 0:
                return Deduction(False, known)
            if var in integral and not (isinstance(value, int) or value.denominator == 1):
                return Deduction(False, known)
        new = {v: value for v, value in found.items() if v not in known}
        if not new:
            return Deduction(True, known)
        known.update(new)


def _substitute(equation: Equation, known: dict[int, Number]) -> Equation:
    coefficients, constant = equation
    if not known:
        return equation
    row = {}
    for v, c in coefficients.items():
        if v in known:
            constant = constant - c * known[v]
        else:
            row[v] = c
    return row, constant
