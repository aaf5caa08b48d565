"""Known faults made in a report's written tables, then written in the report's form.

A fault is made where a clerk or a copy makes it — in the table — and the table is written out
again in the report's form and style (``forms.rewrite``), so the text shows it the way that form
would.  Only the truncation cuts the text itself: a page copied or extracted only in part.

* ``digit``   one written figure of table 三 or 四 with one digit changed;
* ``swap``    one written figure with two adjacent digits swapped;
* ``pair``    two figures of one row of table 三 swapped;
* ``results-total``  the error pattern found in a published report: the result rows do not add
  up to (七)总计 — one result figure written wrong, (七)总计 written wrong in one column, or the
  (七)总计 row wrong in one column and in 总计 (the row still adds up, its columns do not);
* ``drop-row``  a row of table 三 left out;
* ``shift``   a figure of a row of table 三 lost, the rest of its row moved left (forms where a
  row's figures are read in order; in ``layout`` a lost figure leaves its place empty);
* ``truncate``  the text stops inside table 三, at a figure.

``inject(rng, report, kind) -> (report, fault)``; the fault is None when the report offers no
place for it.  Each fault says which cells it changed (true and written values), whether the
written numbers break the rules a reader can check (``arithmetic``), whether one minimal
explanation exists (``determinable``, with ``expected``: cell -> true value), and whether it
changed anything a reader can see (``visible``).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from gkreport.spec import spec_for
from gkreport.testing.forms import Report, rewrite
from gkreport.testing.oracle import Checks, is_blank, value_of
from gkreport.testing.tables import Line, WrittenTable
from gkreport.testing.variants import value_text

FAULTS = ("digit", "swap", "pair", "results-total", "drop-row", "shift", "truncate")
ARITHMETIC = ("digit", "swap", "pair", "results-total")
STRUCTURAL = ("drop-row", "shift", "truncate")
POSITIONAL_FORMS = frozenset({"layout"})  # a lost figure leaves its place: no shift


@dataclass
class Fault:
    kind: str
    table: str  # "requests" | "appeals"
    cells: dict = field(default_factory=dict)  # cell -> (true value, written value or None when gone)
    arithmetic: bool = False  # the written numbers break a rule a reader can check
    determinable: bool = False  # one minimal set of cells explains it: ``expected``
    expected: dict = field(default_factory=dict)  # that set: cell -> true value
    detail: str = ""
    visible: bool = True  # False for a shift along equal values: every readable cell keeps its value
    pattern: str = ""  # results-total: "leaf", "total" or "row"

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "table": self.table,
            "cells": {f"{r}/{c}": [str(old), None if new is None else str(new)] for (r, c), (old, new) in self.cells.items()},
            "arithmetic": self.arithmetic,
            "determinable": self.determinable,
            "detail": self.detail,
            "visible": self.visible,
        }


def inject(rng: random.Random, report: Report, kind: str) -> tuple[Report, Fault | None]:
    if kind not in FAULTS:
        raise ValueError(kind)
    if kind == "truncate":
        return _truncate(rng, report)
    tables = dict(report.tables)
    if kind in ("digit", "swap"):
        made = _figure(rng, report, tables, kind)
    elif kind == "pair":
        made = _pair(rng, report, tables)
    elif kind == "results-total":
        made = _results_total(rng, report, tables)
    elif kind == "drop-row":
        made = _drop_row(rng, tables)
    else:
        made = None if report.form in POSITIONAL_FORMS else _shift(rng, tables)
    if made is None:
        return report, None
    return rewrite(report, tables), made


def _given(table: WrittenTable) -> list:
    return [ref for ref, text in table.written().items() if not is_blank(text)]


def _set(table: WrittenTable, ref, value, report: Report) -> None:
    spec = spec_for(table.table, table.format)
    table.cell(ref).text = value_text(value, spec.kind_of(ref), report.style, ref[1])


def _figure(rng, report: Report, tables: dict, kind: str):
    candidates = []
    for name in ("requests", "appeals"):
        table = report.tables[name]
        for ref in _given(table):
            value = table.values[ref]
            if kind == "digit" or _swaps(value):
                candidates.append((name, ref))
    if not candidates:
        return None
    name, ref = rng.choice(candidates)
    table = tables[name] = report.tables[name].copy()
    old = table.values[ref]
    new = rng.choice(_swaps(old)) if kind == "swap" else _digit_changed(rng, old)
    _set(table, ref, new, report)
    return _single(report.tables[name], kind, {ref: (old, new)}, f"{old} -> {new}")


def _single(clean: WrittenTable, kind: str, cells: dict, detail: str, pattern: str = "") -> Fault:
    fault = Fault(kind, clean.table, cells, detail=detail, pattern=pattern)
    judge(fault, clean)
    return fault


def judge(fault: Fault, clean: WrittenTable, unknown: frozenset = frozenset()) -> None:
    """Set whether the fault breaks a rule a reader can check and whether one minimal set of
    cells explains it, the table being read as written except the ``unknown`` cells."""
    if unknown:
        checks = Checks(clean, unknown)
    else:
        if clean.checks is None:
            clean.checks = Checks(clean)
        checks = clean.checks
    fault.arithmetic = checks.detectable({ref: new - old for ref, (old, new) in fault.cells.items()})
    if fault.pattern == "row":
        # Two cells: the one minimal explanation when every rule around (七)总计 is read in full
        # (any other cell of the failing column, balance and total rules mends only some of them).
        spec = spec_for("requests", clean.format)
        column = next(c for (_, c) in fault.cells if c != "total")
        around = [(r.key, c) for r in spec.rows for c in (column, "total")] + [("handled_total", c.key) for c in spec.columns]
        fault.determinable = fault.arithmetic and all(ref in checks.given for ref in around)
    else:
        fault.determinable = fault.arithmetic and len(fault.cells) == 1 and checks.locatable(next(iter(fault.cells)))
    fault.expected = {ref: old for ref, (old, _) in fault.cells.items()} if fault.determinable else {}


def _pair(rng, report: Report, tables: dict):
    clean = report.tables["requests"]
    given = set(_given(clean))
    candidates = []
    for line in clean.lines:
        refs = [c.ref for c in line.values if c.ref in given]
        candidates += [(a, b) for i, a in enumerate(refs) for b in refs[i + 1 :] if clean.values[a] != clean.values[b]]
    if not candidates:
        return None
    a, b = rng.choice(candidates)
    table = tables["requests"] = clean.copy()
    table.cell(a).text, table.cell(b).text = clean.cell(b).text, clean.cell(a).text
    va, vb = clean.values[a], clean.values[b]
    return _single(clean, "pair", {a: (va, vb), b: (vb, va)}, f"row {a[0]}: {a[1]} <-> {b[1]}")


def _results_total(rng, report: Report, tables: dict):
    """Result rows that do not add up to (七)总计, as a published report had it."""
    clean = report.tables["requests"]
    spec = spec_for("requests", clean.format)
    given = set(_given(clean))
    parts = [c.key for c in spec.columns if c.key != "total"]
    leaves = [r.key for r in spec.rows if r.group and r.key != "handled_total"]
    variants = ["row"]  # the only variant text glued together still shows (its row adds up)
    if report.form != "glued":
        variants += ["leaf", "total"]
    variant = rng.choice(variants)
    if variant == "row":
        refs = [("handled_total", c) for c in parts if ("handled_total", "total") in given]
    elif variant == "leaf":
        refs = [(leaf, c) for leaf in leaves for c in parts]
    else:
        refs = [("handled_total", c) for c in parts]
    refs = [ref for ref in refs if ref in given]
    if not refs:
        return None
    ref = rng.choice(refs)
    low = min(clean.values[ref], clean.values[("handled_total", "total")]) if variant == "row" else clean.values[ref]
    delta = rng.choice([d for d in range(-min(low, 9), 10) if d])
    return _plant(report, variant, ref, delta, tables)


def results_total(report: Report, variant: str, ref, delta: int) -> tuple[Report, Fault]:
    """The published pattern planted on purpose: ``variant`` "leaf" changes result cell ``ref`` by
    ``delta``; "total" changes (七)总计 in ``ref``'s column; "row" changes it and (七)总计/总计
    alike, so the row still adds up and its columns do not."""
    tables = dict(report.tables)
    fault = _plant(report, variant, ref, delta, tables)
    return rewrite(report, tables), fault


def _plant(report: Report, variant: str, ref, delta: int, tables: dict) -> Fault:
    clean = report.tables["requests"]
    values = clean.values
    refs = [ref] if variant == "leaf" else [("handled_total", ref[1])] + ([("handled_total", "total")] if variant == "row" else [])
    cells = {r: (values[r], values[r] + delta) for r in refs}
    table = tables["requests"] = clean.copy()
    for r, (_, new) in cells.items():
        _set(table, r, new, report)
    detail = f"{variant}: " + ", ".join(f"{r}/{c} {old} -> {new}" for (r, c), (old, new) in cells.items())
    return _single(clean, "results-total", cells, detail, variant)


def _drop_row(rng, tables: dict):
    clean = tables["requests"]
    table = tables["requests"] = clean.copy()
    keyed = [n for n, line in enumerate(table.lines) if line.key]
    n = rng.choice(keyed)
    key = table.lines[n].key
    _remove_line(table, n)
    gone = {ref: (value, None) for ref, value in clean.values.items() if ref[0] == key}
    return Fault("drop-row", "requests", gone, detail=f"row {key} left out")


def _remove_line(table: WrittenTable, n: int) -> None:
    """The grid without line ``n``: a merged cell starting there moves to the next line it covers,
    one covering it from above spans one line less."""
    removed = table.lines.pop(n)
    for m, line in enumerate(table.lines[:n]):
        for cell in line.cells:
            if m + cell.rowspan > n:
                cell.rowspan -= 1
    for cell in removed.cells:
        if cell.rowspan > 1 and n < len(table.lines):
            cell.rowspan -= 1
            nxt = table.lines[n].cells
            nxt.insert(sum(1 for c in nxt if c.column < cell.column), cell)


def _shift(rng, tables: dict):
    clean = tables["requests"]
    lines = [n for n, line in enumerate(clean.lines) if len(line.values) > 1]
    n = rng.choice(lines)
    table = tables["requests"] = clean.copy()
    line: Line = table.lines[n]
    values = line.values
    k = rng.randrange(len(values) - 1)  # not the last: then nothing would move
    texts = [c.text for c in values]
    refs = [c.ref for c in values]
    for j in range(k, len(values) - 1):
        values[j].text = texts[j + 1]
    line.cells.remove(values[-1])
    cells = {refs[j]: (clean.values[refs[j]], texts[j + 1] if j + 1 < len(texts) else None) for j in range(k, len(values))}
    # A reader sees a blank as an unknown and the lost last figure as a blank: the shift shows only
    # where a figure moves onto a different value.
    visible = any((value_of(texts[j + 1]) or 0) != (value_of(texts[j]) or 0) for j in range(k, len(texts) - 1))
    return Fault("shift", "requests", cells, detail=f"row {line.key}: {refs[k][1]} lost, the rest moved left", visible=visible)


def _truncate(rng, report: Report):
    clean = report.tables["requests"]
    keyed = [line for line in clean.lines if line.key][2:-1]  # keep 一 and 二; lose 四 at least
    refs = [c.ref for line in keyed for c in line.values if c.text and ("cell", "requests", c.ref) in report.offsets]
    if not refs:
        return report, None
    ref = rng.choice(refs)
    cut = report.offsets[("cell", "requests", ref)][0]
    gone = {}
    for cell, value in report.truth["requests"].items():
        where = report.offsets.get(("cell", "requests", cell))
        if where is None or where[0] >= cut:
            gone[cell] = (value, None)
    body = report.body[:cut]
    offsets = {key: where for key, where in report.offsets.items() if where[1] <= cut}
    cut_report = Report(report.format, report.form, report.truth, report.style, report.words, report.tables, report.seed, body, offsets)
    return cut_report, Fault("truncate", "requests", gone, detail=f"the text stops at {ref[0]}/{ref[1]}")


def _swaps(value) -> list[int]:
    """The numbers made by swapping two adjacent, different digits (no leading zero)."""
    if not isinstance(value, int) or value < 10:
        return []
    digits = str(value)
    out = []
    for k in range(len(digits) - 1):
        if digits[k] != digits[k + 1] and not (k == 0 and digits[1] == "0"):
            out.append(int(digits[:k] + digits[k + 1] + digits[k] + digits[k + 2 :]))
    return out


def _digit_changed(rng: random.Random, value: int) -> int:
    digits = list(str(value))
    k = rng.randrange(len(digits))
    choices = [d for d in "0123456789" if d != digits[k] and not (k == 0 and d == "0" and len(digits) > 1)]
    digits[k] = rng.choice(choices)
    return int("".join(digits))
