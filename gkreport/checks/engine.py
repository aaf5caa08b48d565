"""The checking engine: evaluate the rules, locate wrong cells, fill what the written cells determine.

One engine for every table: the rules are data (``spec.Rule``).  The policy, in order:

0. **Garbled figures.**  A cell whose text is not a number (``INVALID``: ``3l``, ``6o``) is an
   error on that cell.  Every rule through it is set aside — not checkable, used neither to
   locate nor to fill — so nothing is deduced over it and no fill rests on a value it would hold.
1. **Error location (Fellegi–Holt).**  With the unknown cells (blank, ``?``, filled by an
   earlier run, missing) as variables, the rules either admit a solution with non-negative
   whole counts or they do not.  If not, the smallest sets of written cells whose change
   restores a solution are searched (up to ``max_changes`` cells); every minimal set is kept.
2. **Fills follow from what is written.**  An unknown is filled only when the rules determine it
   from the written cells alone (with the cells of every minimal set also unknown, so a fill never
   depends on which cell is wrong).  Nothing is filled from a blank read as 0.  A total is shown
   filled only when every part it adds up is shown (written, or filled): a determined total
   beside an undetermined blank or missing part is withheld (``total-not-filled``), since the
   reader would add up the parts shown and find another number.  Balance identities (一+二=(七)+四)
   do not withhold: their cells are totals of their own rows.  A written number is never changed.
3. **Checking.**  A blank the rules leave open may be read as 0 for checking, one by one while the
   rules still admit a solution (parts before totals); that reading is never shown and nothing
   rests on it.  Each rule then passes, fails or is not checkable; it is reported failed only when
   every cell of it is shown (written or filled): a failure through a blank read as 0 or through a
   withheld total is not checkable, so no message says a blank cell "is 0".  When no location is
   found within the budget, no blank is read as 0: only the rules written in full are evaluated.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from gkreport.checks.linear import Equation, deduce
from gkreport.findings import Finding, Suspect
from gkreport.spec import AMOUNT, SIGNED, CellKey, Rule, TableSpec
from gkreport.values import ASK, BLANK, DEDUCED, GIVEN, INVALID, MISSING, CellValue, Number, format_number

PASS, FAIL, UNCHECKED = "pass", "fail", "unchecked"
SEARCH_BUDGET = 3000  # feasibility tests one error location may spend
ALTERNATIVES_SHOWN = 5  # minimal sets named in an ambiguous-location message (all of them in its suspects)
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
    withheld: dict[CellKey, Number] = field(default_factory=dict)  # determined totals left blank (total-not-filled)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]


def check_table(spec: TableSpec, cells: dict[CellKey, CellValue], max_changes: int = 3) -> CheckedTable:
    cells = {cell: _normalised(cells.get(cell)) for cell in spec.cells}
    given = {cell: v.value for cell, v in cells.items() if v.state == GIVEN}
    garbled = {cell for cell, v in cells.items() if v.state == INVALID}
    # an ambiguous reading of glued figures is reported once for its row, by the recognizer
    findings = [_invalid_finding(spec, cell, cells[cell]) for cell in spec.cells if cell in garbled and cells[cell].problem != "ambiguous"]

    if len(given) == len(cells) and all(_evaluate(rule, given) == 0 for rule in spec.rules):
        status = [(rule, PASS) for rule in spec.rules]
        return CheckedTable(spec, cells, dict(given), {}, status, [], findings)

    rules = [rule for rule in spec.rules if not garbled.intersection(rule.cells)]
    system = _System(spec, given, rules)
    suspect_sets: list[dict[CellKey, Number | None]] = []
    located = True
    if not system.feasible(set()):
        suspect_sets = system.locate(max_changes)
        located = bool(suspect_sets)
    freed = {cell for s in suspect_sets for cell in s}
    determined = system.determined(freed) if located else {}
    unknown = {cell for cell, v in cells.items() if v.state in (BLANK, ASK, DEDUCED, MISSING)}
    fills = {cell: _typed(spec, cell, determined[cell]) for cell in spec.cells if cell in unknown and cell in determined}
    fills, withheld = _shown_fills(spec.rules, fills, set(given) - freed)  # a garbled part is not shown either

    values: dict[CellKey, Number | None] = {cell: None for cell in spec.cells}
    values.update(given)
    values.update(withheld)
    values.update(fills)
    open_blanks = [c for c in spec.cells if cells[c].state == BLANK and c not in determined]
    zeros = system.zero_blanks(freed, open_blanks) if located and open_blanks else {}
    values.update(zeros)

    findings += [_at(spec, "value-undetermined", c) for c in spec.cells if cells[c].state == ASK and c not in determined]
    findings += _deduction_findings(spec, cells, fills, list(zeros))
    shown_parts = (set(given) - freed) | set(fills)
    silent = _beside_errors(spec, withheld, shown_parts, garbled | freed)
    findings += [_withheld_finding(spec, cell, value, values, shown_parts) for cell, value in withheld.items() if cell not in silent]

    shown = set(given) | set(fills)
    status = []
    for rule in spec.rules:
        if garbled.intersection(rule.cells) or any(values[c] is None for c in rule.cells):
            outcome = UNCHECKED
        elif _evaluate(rule, values) == 0:
            outcome = PASS
        else:  # a failure through a blank read as 0 or a withheld total says nothing about what was written
            outcome = FAIL if shown.issuperset(rule.cells) else UNCHECKED
        status.append((rule, outcome))
        if outcome == FAIL:
            findings.append(_rule_finding(spec, rule, values, suspect_sets))
    if not located:
        findings.append(Finding("unlocated-error", table=spec.table, params={"limit": max_changes}))
    findings += _location_findings(spec, given, suspect_sets)
    return CheckedTable(spec, cells, values, fills, status, suspect_sets, findings, withheld)


def _shown_fills(rules, fills: dict, shown: set) -> tuple[dict, dict]:
    """Split the determined values into those shown and the totals withheld.

    A total (the target of a sum rule) is shown only when every part it adds up is shown; a
    withheld total can in turn withhold the total above it, hence the fixed point.
    """
    fills, withheld = dict(fills), {}
    changed = True
    while changed:
        changed = False
        for rule in rules:
            target = rule.target
            if rule.is_sum and target in fills and not all(c in shown or c in fills for c in rule.cells if c != target):
                withheld[target] = fills.pop(target)
                changed = True
    order = {cell: i for i, cell in enumerate(c for rule in rules for c in rule.cells)}
    return fills, dict(sorted(withheld.items(), key=lambda item: order[item[0]]))


# ---------------------------------------------------------------- the linear system


class _System:
    """The rules as equations over the unknown cells, for a chosen set of freed written cells."""

    def __init__(self, spec: TableSpec, given: dict[CellKey, Number], rules: list[Rule]):
        self.spec = spec
        self.rules = rules
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
        for bit, rule in enumerate(self.rules):
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
        """The open blanks read as 0 (for checking only): all at once when the rules allow it, else one
        by one, in the spec's order (parts before totals), while they do."""
        zeros = dict.fromkeys(blanks, 0)
        if self.feasible(freed, zeros):
            return zeros
        zeros = {}
        for cell in blanks:
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
        self._failing = [r for r in self.rules if all(c in self.given for c in r.cells) and _evaluate(r, self.given) != 0]
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
            rules = [r for bit, r in enumerate(self.rules) if result.conflict >> bit & 1]
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
    """The error on a cell that holds no usable number; the cell is its one suspect (marked in --draft)."""
    written = str(value.raw or "").strip()
    finding = _at(spec, INVALID_CODES.get(value.problem, "not-a-number"), cell, given=written)
    finding.suspects = [Suspect(finding.row or "", finding.column or "", written, None, cell)]
    return finding


def _beside_errors(spec: TableSpec, withheld: dict, shown: set, wrong: set) -> set[CellKey]:
    """The withheld totals over a garbled or suspect cell, directly or through another such total:
    the error on that cell says it all, and what they lack would be a guess at its figure."""
    silent = set(wrong)
    changed = True
    while changed:
        changed = False
        for rule in spec.rules:
            over_silent = any(c in silent for c in rule.cells if c != rule.target and c not in shown)
            if rule.is_sum and rule.target in withheld and rule.target not in silent and over_silent:
                silent.add(rule.target)
                changed = True
    return silent - wrong


def _withheld_finding(spec: TableSpec, cell: CellKey, value: Number, values, shown: set) -> Finding:
    """A determined total left blank: how much of it the shown parts hold, and where the rest must be."""
    rule = next(r for r in spec.rules if r.target == cell and r.is_sum and not shown.issuperset(c for c in r.cells if c != cell))
    parts = [c for c in rule.cells if c != cell]
    in_shown = sum(_exact(values[c]) for c in parts if c in shown)
    hidden = [c for c in parts if c not in shown]
    params = {"shown": _typed(spec, cell, in_shown), "rest": _typed(spec, cell, _exact(value) - in_shown), "cells": _pairs(spec, hidden)}
    return _at(spec, "total-not-filled", cell, expected=value, params=params)


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
    params = {name: sum(values[cell] for cell in cells) for name, cells in rule.sides}
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
        listed = suspect_sets[:ALTERNATIVES_SHOWN]
        alternatives = "；".join(
            "、".join(f"“{label}” {format_number(given[c])}→{format_number(v) if v is not None else '?'}" for label, (c, v) in zip(_labels(spec, s), s.items()))
            for s in listed
        )
        params = {"alternatives": alternatives, "more": len(suspect_sets) - len(listed)}
        finding = Finding("ambiguous-location", table=spec.table, params=params)
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
