"""Generated reports: correct plain-text reports in the flattened forms of published pages, and
known faults injected into them.  Used by bench/fault_injection.py, bench/audit_throughput.py
and tests/test_fault_injection.py.

Forms (see ../shared/domain/reports):
* ``pipe``  one table row per line, `` | `` between cells, empty cells where cells were merged;
* ``cells`` one cell per line followed by `` |``, each row closed by a line of ``|`` debris;
* ``tabs``  one table row per line, cells separated by tabs.
"""

from __future__ import annotations

import random
import sys
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from tablegen import consistent_active, consistent_appeals, consistent_requests, text  # noqa: E402

from gkreport.spec import ACTIVE_BLOCKS, APPEALS_LEAVES, REQUESTS_CORNER, spec_for  # noqa: E402

FORMS = ("pipe", "cells", "tabs")
FAULTS = ("digit", "swap", "pair", "drop-row", "shift", "truncate")
ARITHMETIC = ("digit", "swap", "pair")
SECTIONS = ("一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
            "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项")


@dataclass
class Report:
    year: int
    format: str
    form: str
    truth: dict  # table -> {cell: value}
    tables: dict = field(default_factory=dict)  # table -> rows of cell texts, the header rows included
    value_rows: dict = field(default_factory=dict)  # table -> {row index: [cells in the row's value order]}

    def text(self) -> str:
        lines = [f"{self.year}年XX县XX局政府信息公开工作年度报告"]
        for number, heading in enumerate(SECTIONS):
            lines.append(heading)
            table = {1: "active", 2: "requests", 3: "appeals"}.get(number)
            lines.append(f"{self.year}年，本局认真贯彻《条例》，依法做好{heading[2:]}相关工作。")
            if table and table in self.tables:
                lines += write(self.tables[table], self.form)
        return "\n".join(lines) + "\n"


def write(rows: list[list[str]], form: str) -> list[str]:
    if form == "tabs":
        return ["\t".join(row) for row in rows]
    if form == "cells":
        out = []
        for row in rows:
            out += [f"{cell} |" for cell in row]
            out.append("|" * 4)
        return out
    return [" | ".join(row) + " | ||" for row in rows]


def make_report(rng: random.Random, fmt: str | None = None, form: str | None = None) -> Report:
    fmt = fmt or rng.choice(("2021", "2019"))
    form = form or rng.choice(FORMS)
    truth = {
        "active": consistent_active(rng, fmt),
        "requests": consistent_requests(rng, fmt),
        "appeals": consistent_appeals(rng),
    }
    report = Report(2024 if fmt == "2021" else 2020, fmt, form, truth)
    _active_rows(report)
    _requests_rows(report)
    _appeals_rows(report)
    return report


def _active_rows(report: Report) -> None:
    spec = spec_for("active", report.format)
    rows = []
    for block in ACTIVE_BLOCKS[report.format]:
        members = [r for r in spec.rows if r.block == block]
        rows.append([block])
        rows.append(["信息内容"] + [c.label for c in spec.columns_of(members[0])])
        for row in members:
            rows.append([row.label] + [text(report.truth["active"][(row.key, c.key)]) for c in spec.columns_of(row)])
    report.tables["active"] = rows


def _requests_rows(report: Report) -> None:
    spec = spec_for("requests", report.format)
    rows = [[REQUESTS_CORNER, "申请人情况"], ["自然人", "法人或其他组织", "总计"], [c.label for c in spec.columns[1:6]]]
    seen_groups = {"", "三、本年度办理结果"}
    report.value_rows["requests"] = {}
    for row in spec.rows:
        labels = [row.label]
        if row.group not in seen_groups:  # the first row of (三)…(六) carries the merged group label
            seen_groups.add(row.group)
            labels = [row.group, row.label]
        if row.key == "granted":
            labels = ["三、本年度办理结果", row.label]
        values = [text(report.truth["requests"][(row.key, c.key)]) for c in spec.columns]
        report.value_rows["requests"][len(rows)] = row.key
        rows.append(labels + values)
    report.tables["requests"] = rows


def _appeals_rows(report: Report) -> None:
    leaves = [label for _, label, _ in APPEALS_LEAVES]
    spec = spec_for("appeals", report.format)
    report.tables["appeals"] = [
        ["行政复议", "行政诉讼"],
        leaves + ["未经复议直接起诉", "复议后起诉"],
        leaves * 2,
        [text(report.truth["appeals"][("cases", c.key)]) for c in spec.columns],
    ]


# ---------------------------------------------------------------- faults


@dataclass
class Fault:
    kind: str
    table: str
    cells: dict  # cell -> (true value, written value)
    arithmetic: bool
    determinable: bool  # a single change that the rules locate uniquely


def inject(rng: random.Random, report: Report, kind: str) -> Fault | None:
    """Change the report in place; None when this report offers no place for the fault."""
    spec = spec_for("requests", report.format)
    rows = report.tables["requests"]
    value_rows = report.value_rows["requests"]
    columns = [c.key for c in spec.columns]
    truth = report.truth["requests"]
    items = [(i, key) for i, key in value_rows.items()]
    if kind in ("digit", "swap"):
        candidates = []
        for i, key in items:
            if key == "handled_total":
                continue
            for j, column in enumerate(columns[:-1]):
                value = truth[(key, column)]
                if kind == "digit" or (value >= 10 and len(set(str(value))) > 1 and _swapped(value) != value):
                    candidates.append((i, key, j, column, value))
        if not candidates:
            return None
        i, key, j, column, value = rng.choice(candidates)
        new = _swapped(value) if kind == "swap" else _one_digit_changed(rng, value)
        rows[i][len(rows[i]) - len(columns) + j] = str(new)
        return Fault(kind, "requests", {(key, column): (value, new)}, True, True)
    if kind == "pair":
        for _ in range(50):
            i, key = rng.choice(items)
            a, b = rng.sample(range(len(columns) - 1), 2)
            va, vb = truth[(key, columns[a])], truth[(key, columns[b])]
            if va != vb:
                offset = len(rows[i]) - len(columns)
                rows[i][offset + a], rows[i][offset + b] = str(vb), str(va)
                return Fault(kind, "requests", {(key, columns[a]): (va, vb), (key, columns[b]): (vb, va)}, True, False)
        return None
    if kind == "drop-row":
        i, key = rng.choice([(i, k) for i, k in items if k not in ("new", "granted")])
        del rows[i]
        return Fault(kind, "requests", {}, False, False)
    if kind == "shift":
        i, key = rng.choice(items)
        del rows[i][len(rows[i]) - len(columns) + rng.randrange(len(columns))]
        return Fault(kind, "requests", {}, False, False)
    if kind == "truncate":
        keep = rng.randrange(6, len(rows) - 2)
        report.tables["requests"] = rows[:keep]
        del report.tables["appeals"]
        return Fault(kind, "requests", {}, False, False)
    raise ValueError(kind)


def _swapped(value: int) -> int:
    digits = str(value)
    for k in range(len(digits) - 1, 0, -1):
        if digits[k] != digits[k - 1]:
            return int(digits[: k - 1] + digits[k] + digits[k - 1] + digits[k + 1 :])
    return value


def _one_digit_changed(rng: random.Random, value: int) -> int:
    digits = list(str(value))
    k = rng.randrange(len(digits))
    choices = [d for d in "0123456789" if d != digits[k] and not (k == 0 and d == "0" and len(digits) > 1)]
    digits[k] = rng.choice(choices)
    return int("".join(digits))


def corpus(count: int, seed: int = 0):
    """``count`` correct reports, the forms and formats taking turns."""
    rng = random.Random(seed)
    for n in range(count):
        yield make_report(rng, ("2021", "2019")[n % 2], FORMS[n % 3])
