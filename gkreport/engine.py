"""The checking engine: evaluate the rules, locate wrong cells, fill what the rules determine.

One engine for every table: the rules are data (``spec.Rule``).  In order:

1. **Error location (Fellegi–Holt).**  With the unknown cells (blank, ``?``, filled by an
   earlier run, missing, unreadable) as variables, the rules either admit a solution with
   non-negative whole counts or they do not.  If not, the smallest sets of written cells
   whose change restores a solution are searched (branching on the cells of failing rules,
   up to ``max_changes`` cells); every minimal set is kept, with the value that would fix
   each cell where the rules determine it.
2. **Deduction.**  An unknown is filled only when the rules determine it uniquely, with the
   cells of every minimal set also treated as unknown — so a fill never depends on which
   cell is wrong.  A number the author wrote is never changed.
3. **Evaluation.**  Blanks left undetermined read as 0; every rule is then pass, fail or
   not checkable, and each failure is reported with the suspects it contains.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from .findings import Finding, Suspect
from .linear import Equation, deduce
from .spec import AMOUNT, SIGNED, CellKey, Rule, TableSpec
from .values import ASK, BLANK, DEDUCED, GIVEN, INVALID, MISSING, CellValue, Number, format_number

PASS, FAIL, UNCHECKED = "pass", "fail", "unchecked"
SEARCH_BUDGET = 3000  # feasibility tests one error location may spend
RULE_CODES = {
    "row-total": "row-total-mismatch",
    "column-total": "column-total-mismatch",
    "balance": "balance-mismatch",
    "block-total": "block-total-mismatch",
}
STATES = frozenset({GIVEN, BLANK, ASK, INVALID, DEDUCED, MISSING})
INVALID_CODES = {"text": "not-a-number", "negative": "negative-value", "fraction": "fractional-count"}


@dataclass
class CheckedTable:
    spec: TableSpec
    cells: dict[CellKey, CellValue]
    values: dict[CellKey, Number | None]
    deduced: dict[CellKey, Number]
    rule_status: list[tuple[Rule, str]]
    suspect_sets: list[dict[CellKey, Number | None]]
    findings: list[Finding] = field(default_factory=list)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]


def check_table(spec: TableSpec, cells: dict[CellKey, CellValue], max_changes: int = 3) -> CheckedTable:
    cells = {cell: _normalised(cells.get(cell)) for cell in spec.cells}
    given = {cell: v.value for cell, v in cells.items() if v.state == GIVEN}
    # an ambiguous reading of glued figures is reported once for its row, by the recognizer
    findings = [_invalid_finding(spec, cell, v) for cell, v in cells.items() if v.state == INVALID and v.problem != "ambiguous"]

    if len(given) == len(cells) and all(_evaluate(rule, given) == 0 for rule in spec.rules):
        status = [(rule, PASS) for rule in spec.rules]
        return CheckedTable(spec, cells, dict(given), {}, status, [], findings)

    system = _System(spec, given)
    suspect_sets: list[dict[CellKey, Number | None]] = []
    located = True
    if not system.feasible(set()):
        suspect_sets = system.locate(max_changes)
        located = bool(suspect_sets)
    freed = {cell for s in suspect_sets for cell in s}
    determined = system.determined(freed) if located else {}
    # Blanks the rules leave open read as 0.  Read all at once they could contradict a rule
    # (a blank 总计 beside a blank part and a written 1), so each is read as 0 only while the
    # rules still admit a solution, in the spec's order (parts before totals); what the
    # zeros then determine is filled like any deduction.  A failure left after this comes
    # from written cells only, so step 1 has located it.
    zeros: dict[CellKey, int] = {}
    if located:
        open_blanks = [c for c, v in cells.items() if v.state == BLANK and c not in determined]
        if open_blanks:
            zeros = system.zero_blanks(freed, open_blanks)
            if zeros:
                determined = {c: v for c, v in system.determined(freed, zeros).items() if c not in zeros}

    values: dict[CellKey, Number | None] = dict(given)
    deduced: dict[CellKey, Number] = {}
    undetermined_blanks = []
    for cell, value in cells.items():
        if value.state == GIVEN:
            continue
        if value.state == INVALID:
            values[cell] = None
            continue
        if cell in determined:
            values[cell] = deduced[cell] = _typed(spec, cell, determined[cell])
        elif value.state == BLANK and (cell in zeros or not located):
            values[cell] = 0
            undetermined_blanks.append(cell)
        elif value.state == BLANK:  # no solution has it 0, and the rules leave it open: unknown
            values[cell] = None
        else:
            values[cell] = None
            if value.state == ASK:
                findings.append(_at(spec, "value-undetermined", cell))
    findings += _deduction_findings(spec, cells, deduced, undetermined_blanks)

    status = []
    for rule in spec.rules:
        outcome = UNCHECKED if any(values.get(c) is None for c in rule.cells) else PASS if _evaluate(rule, values) == 0 else FAIL
        status.append((rule, outcome))
        if outcome == FAIL:
            findings.append(_rule_finding(spec, rule, values, suspect_sets))
    if not located:
        findings.append(Finding("unlocated-error", table=spec.table, params={"limit": max_changes}))
    findings += _location_findings(spec, given, suspect_sets)
    return CheckedTable(spec, cells, values, deduced, status, suspect_sets, findings)


# ---------------------------------------------------------------- the linear system


class _System:
    """The rules as equations over the unknown cells, for a chosen set of freed written cells."""

    def __init__(self, spec: TableSpec, given: dict[CellKey, Number]):
        self.spec = spec
        self.given = given
        self.index = {cell: i for i, cell in enumerate(spec.cells)}
        self.cells = spec.cells
        self.nonnegative = {i for cell, i in self.index.items() if spec.kind_of(cell) != SIGNED}
        self.integral = {i for cell, i in self.index.items() if spec.kind_of(cell) != AMOUNT}
        self._cache: dict[frozenset, object] = {}

    def equations(self, freed, fixed=None) -> list[Equation]:
        """One equation per rule (tagged with its bit), written cells not freed and ``fixed`` cells as constants."""
        fixed = fixed or {}
        out = []
        for bit, rule in enumerate(self.spec.rules):
            coefficients: dict[int, Number] = {}
            constant: Number = 0
            for cell, coefficient in rule.terms:
                if cell in self.given and cell not in freed:
                    constant -= coefficient * _exact(self.given[cell])
                elif cell in fixed:
                    constant -= coefficient * fixed[cell]
                else:
                    i = self.index[cell]
                    coefficients[i] = coefficients.get(i, 0) + coefficient
            out.append((coefficients, constant, 1 << bit))
        return out

    def solve(self, freed, fixed=None):
        key = (frozenset(freed), frozenset(fixed) if fixed else frozenset())
        if key not in self._cache:
            self._cache[key] = deduce(self.equations(freed, fixed), self.nonnegative, self.integral)
        return self._cache[key]

    def feasible(self, freed, fixed=None) -> bool:
        return self.solve(freed, fixed).feasible

    def determined(self, freed, fixed=None) -> dict[CellKey, Number]:
        result = self.solve(freed, fixed)
        return {self.cells[i]: value for i, value in result.values.items()} if result.feasible else {}

    def zero_blanks(self, freed, blanks: list[CellKey]) -> dict[CellKey, int]:
        """The open blanks read as 0: all at once when the rules allow it, else one by one while they do."""
        zeros = dict.fromkeys(blanks, 0)
        if self.feasible(freed, zeros):
            return zeros
        zeros = {}
        for cell in blanks:
            if cell in self.determined(freed, zeros):
                continue  # the zeros read so far determine it: a deduction, not a reading
            trial = {**zeros, cell: 0}
            if self.feasible(freed, trial):
                zeros = trial
        return zeros

    def locate(self, max_changes: int) -> list[dict[CellKey, Number | None]]:
        """Every minimum-cardinality set of written cells whose change makes the rules solvable.

        Iterative deepening over the size; a node ``S`` (cells set free) branches on a conflict,
        a set of written cells one of which every fixing superset of ``S`` must hold: a fully
        written rule that fails and that ``S`` does not touch, else the written cells of the
        rules an infeasibility certificate of ``S`` was derived from.  So every minimal set is
        reached, and no feasibility test is spent before every failing written rule is hit.
        """
        order = {cell: i for i, cell in enumerate(self.cells)}
        self._failing = [r for r in self.spec.rules if all(c in self.given for c in r.cells) and _evaluate(r, self.given) != 0]
        self._budget = SEARCH_BUDGET
        for size in range(1, max_changes + 1):
            found: set[frozenset] = set()
            self._branch(frozenset(), size, found, set(), order)
            if found:
                ranked = sorted(found, key=lambda s: sorted(order[c] for c in s))
                return [self._fixes(set(s)) for s in ranked]
            if self._budget <= 0:
                break
        return []

    def _branch(self, chosen: frozenset, size: int, found: set, seen: set, order) -> None:
        if chosen in seen or self._budget <= 0:
            return
        seen.add(chosen)
        open_rule = next((r for r in self._failing if not chosen.intersection(r.cells)), None)
        if open_rule is not None:
            conflict = open_rule.cells
        else:
            self._budget -= 1
            result = self.solve(chosen)
            if result.feasible:
                found.add(chosen)
                return
            rules = [r for bit, r in enumerate(self.spec.rules) if result.conflict >> bit & 1]
            conflict = sorted({c for r in rules for c in r.cells}, key=order.__getitem__)
        if len(chosen) == size:
            return
        for cell in conflict:
            if cell in self.given and cell not in chosen:
                self._branch(chosen | {cell}, size, found, seen, order)

    def _fixes(self, cells: set[CellKey]) -> dict[CellKey, Number | None]:
        determined = self.determined(cells)
        return {cell: _typed(self.spec, cell, determined[cell]) if cell in determined else None for cell in self.cells if cell in cells}


# ---------------------------------------------------------------- values and findings


def _exact(value: Number) -> int | Fraction:
    return Fraction(value) if isinstance(value, Decimal) else value


def _typed(spec: TableSpec, cell: CellKey, value) -> Number:
    if spec.kind_of(cell) == AMOUNT:
        value = Fraction(value)
        return Decimal(value.numerator) / Decimal(value.denominator)
    return int(value)


def _evaluate(rule: Rule, values) -> Number:
    return sum(coefficient * _exact(values[cell]) for cell, coefficient in rule.terms)


def _at(spec: TableSpec, code: str, cell: CellKey, **fields) -> Finding:
    row, column = spec.describe(cell)
    return Finding(code, table=spec.table, row=row, column=column, **fields)


def _normalised(value) -> CellValue:
    """The cell as the engine reads it: absent or of an unknown state -> missing; a written cell without a number -> unreadable."""
    if not isinstance(value, CellValue) or value.state not in STATES:
        return CellValue("", MISSING)
    if value.state == GIVEN and not isinstance(value.value, (int, Decimal)):
        return CellValue(value.raw, INVALID, None, "text")
    return value


def _invalid_finding(spec: TableSpec, cell: CellKey, value: CellValue) -> Finding:
    return _at(spec, INVALID_CODES.get(value.problem, "not-a-number"), cell, given=str(value.raw or "").strip())


def _pairs(spec: TableSpec, cells) -> list[tuple[str, str]]:
    return [spec.describe(c) for c in cells]


def _labels(spec: TableSpec, cells) -> list[str]:
    return [" / ".join(x for x in spec.describe(c) if x) for c in cells]


def _deduction_findings(spec, cells, deduced, undetermined_blanks) -> list[Finding]:
    findings = []
    zero_blanks = [c for c, v in deduced.items() if v == 0 and cells[c].state == BLANK]
    for cell, value in deduced.items():
        if cell not in zero_blanks and cells[cell].state != MISSING:
            findings.append(_at(spec, "value-deduced", cell, expected=value))
    if zero_blanks:
        findings.append(Finding("blanks-deduced-zero", table=spec.table, params={"count": len(zero_blanks), "cells": _pairs(spec, zero_blanks)}))
    if undetermined_blanks:
        findings.append(
            Finding("blank-read-as-zero", table=spec.table, params={"count": len(undetermined_blanks), "cells": _pairs(spec, undetermined_blanks)})
        )
    return findings


def _suspects(spec, cells, given, suspect_sets) -> list[Suspect]:
    out, seen = [], set()
    for fixes in suspect_sets:
        for cell, expected in fixes.items():
            if cell in cells and cell not in seen:
                seen.add(cell)
                row, column = spec.describe(cell)
                out.append(Suspect(row, column, given.get(cell), expected, cell))
    return out


def _rule_finding(spec: TableSpec, rule: Rule, values, suspect_sets) -> Finding:
    target_coefficient = dict(rule.terms)[rule.target]
    others = sum(c * _exact(values[cell]) for cell, c in rule.terms if cell != rule.target)
    expected = _typed(spec, rule.target, Fraction(-others) / target_coefficient)
    params = {}
    if rule.kind == "balance":
        column = rule.target[1]
        params = {
            "lhs": values[("new", column)] + values[("carried_over", column)],
            "rhs": values[("handled_total", column)] + values[("carried_forward", column)],
        }
    finding = _at(spec, RULE_CODES[rule.kind], rule.target, given=values[rule.target], expected=expected, params=params)
    finding.suspects = _suspects(spec, set(rule.cells), values, suspect_sets)
    return finding


def _location_findings(spec: TableSpec, given, suspect_sets) -> list[Finding]:
    if len(suspect_sets) == 1:
        findings = []
        for cell, expected in suspect_sets[0].items():
            finding = _at(spec, "suspect-cell", cell, given=given[cell], expected=expected)
            hint = typo_hint(given[cell], expected)
            if hint:
                finding.params["hint"] = hint
            finding.suspects = _suspects(spec, {cell}, given, suspect_sets)
            findings.append(finding)
        return findings
    if len(suspect_sets) > 1:
        alternatives = "；".join(
            "、".join(f"“{label}” {format_number(given[c])}→{format_number(v) if v is not None else '?'}" for label, (c, v) in zip(_labels(spec, s), s.items()))
            for s in suspect_sets
        )
        finding = Finding("ambiguous-location", table=spec.table, params={"alternatives": alternatives})
        finding.suspects = _suspects(spec, set(spec.cells), given, suspect_sets)
        return [finding]
    return []


def typo_hint(given, expected) -> str:
    """"swap" when two adjacent digits are swapped, "typo" when one digit was mistyped, added or dropped."""
    if given is None or expected is None:
        return ""
    a, b = format_number(given), format_number(expected)
    if a == b:
        return ""
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]:
            return "swap"
        return "typo" if len(diff) == 1 else ""
    short, long = sorted((a, b), key=len)
    if len(long) - len(short) == 1 and any(long[:i] + long[i + 1 :] == short for i in range(len(long))):
        return "typo"
    return ""
