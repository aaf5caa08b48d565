"""Generated reports: correct plain-text reports in the flattened forms of published pages, and
known faults injected into their text.  Used by bench/fault_injection.py,
bench/audit_throughput.py and tests/test_fault_injection.py.

Forms (see ../shared/domain/reports):

* ``pipe``  one table row per line, each cell followed by `` |``, runs of ``|`` where merged
  cells were, the last row of a table without them (001_164254f647ab523c.txt);
* ``cells`` one cell per line followed by `` |``, each row closed by a line of ``|`` debris
  (003_da2047bc483356b6.txt);
* ``tabs``  one table row per line, the written cells separated by tabs (no cells for merged
  positions, so the count of cells does not match the grid).

API:

* ``report_text(rng, fmt, form) -> (text, truth)``: truth is {"active"|"requests"|"appeals":
  {(row_key, column_key): value}} for every cell;
* ``inject(rng, text, truth, kind) -> (text, fault)`` with kind in ``FAULTS``; ``fault`` is a
  ``Fault`` (None when the report offers no place for that kind of fault).

Everything is deterministic given the ``random.Random`` passed in.
"""

from __future__ import annotations

import random
import sys
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from tablegen import consistent_active, consistent_appeals, consistent_requests, text as number_text  # noqa: E402

from gkreport.spec import (  # noqa: E402
    ACTIVE_BLOCKS,
    APPEALS_LEAVES,
    REQUESTS_CORNER,
    REQUESTS_COLUMNS,
    spec_for,
)

FORMS = ("pipe", "cells", "tabs")
FORMATS = ("2021", "2019")
FAULTS = ("digit", "swap", "pair", "drop-row", "shift", "truncate")
ARITHMETIC = ("digit", "swap", "pair")
SECTIONS = (
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
)
PROSE = (
    "{year}年，本局认真贯彻《中华人民共和国政府信息公开条例》，严格落实主动公开、依申请公开、政府信息管理、平台建设和监督保障各项工作。",
    "本年度主动公开政府信息情况见下表。",
    "本年度收到和处理政府信息公开申请情况见下表。",
    "本年度因政府信息公开工作被申请行政复议、提起行政诉讼情况见下表。",
    "一是信息公开的及时性有待提高；二是解读回应形式较为单一。下一步将加强培训，完善制度。",
    "本年度未收取信息处理费。",
)
TABLE_OF_SECTION = {1: "active", 2: "requests", 3: "appeals"}
REQUESTS_WIDTH, APPEALS_WIDTH, ACTIVE_WIDTH = 10, 15, 4
SPACED = {"商业企业": "商业 企业", "科研机构": "科研 机构"}  # as copied from 001


# ---------------------------------------------------------------- correct reports


def report_text(rng: random.Random, fmt: str = "2021", form: str = "pipe") -> tuple[str, dict]:
    """A whole correct report as plain text, and the true value of every cell of its tables."""
    if fmt not in FORMATS or form not in FORMS:
        raise ValueError(f"format {fmt!r}, form {form!r}")
    truth = {
        "active": consistent_active(rng, fmt),
        "requests": consistent_requests(rng, fmt),
        "appeals": consistent_appeals(rng),
    }
    year = 2024 if fmt == "2021" else 2020
    spaced = rng.random() < 0.5  # "商业 企业" in the header, as in 001
    curly = rng.random() < 0.5  # 3.危及“三安全一稳定” with curly quotes, as in both real reports
    grids = {
        "active": active_grid(truth["active"], fmt),
        "requests": requests_grid(truth["requests"], fmt, spaced, curly),
        "appeals": appeals_grid(truth["appeals"]),
    }
    lines = [f"{year}年XX县XX局政府信息公开工作年度报告"]
    for number, heading in enumerate(SECTIONS):
        lines.append(heading)
        lines.append(PROSE[number].format(year=year))
        table = TABLE_OF_SECTION.get(number)
        if table:
            lines += write(grids[table], form)
    lines.append("XX县XX局")
    lines.append(f"{year + 1}年1月20日")
    return "\n".join(lines) + "\n", truth


def _pad(cells: list[str], width: int) -> list[str]:
    return cells + [""] * (width - len(cells))


def active_grid(values: dict, fmt: str) -> list[list[str]]:
    spec = spec_for("active", fmt)
    rows = []
    for block in ACTIVE_BLOCKS[fmt]:
        members = [r for r in spec.rows if r.block == block]
        rows.append(_pad([block], ACTIVE_WIDTH))
        rows.append(_pad(["信息内容"] + [c.label for c in spec.columns_of(members[0])], ACTIVE_WIDTH))
        for row in members:
            rows.append(_pad([row.label] + [number_text(values[(row.key, c.key)]) for c in spec.columns_of(row)], ACTIVE_WIDTH))
    return rows


def requests_labels(fmt: str, curly: bool = False) -> dict[str, list[str]]:
    """The label cells written before the values of each row: the merged group label on the
    first row of its group (三、本年度办理结果 on (一)予以公开; (三)…(六) on their first item)."""
    spec = spec_for("requests", fmt)
    out, seen = {}, {"", "三、本年度办理结果"}
    for row in spec.rows:
        label = row.label.replace('"三安全一稳定"', "“三安全一稳定”") if curly else row.label
        labels = [label]
        if row.key == "granted":
            labels = ["三、本年度办理结果", label]
        elif row.group not in seen:
            seen.add(row.group)
            labels = [row.group, label]
        out[row.key] = labels
    return out


def requests_grid(values: dict, fmt: str, spaced: bool = False, curly: bool = False) -> list[list[str]]:
    spec = spec_for("requests", fmt)
    parts = [SPACED.get(c.label, c.label) if spaced else c.label for c in REQUESTS_COLUMNS[1:6]]
    rows = [
        _pad([REQUESTS_CORNER, "申请人情况"], REQUESTS_WIDTH),
        _pad(["自然人", "法人或其他组织", "总计"], REQUESTS_WIDTH),
        _pad(parts, REQUESTS_WIDTH),
    ]
    labels = requests_labels(fmt, curly)
    for row in spec.rows:
        rows.append(_pad(labels[row.key] + [number_text(values[(row.key, c.key)]) for c in spec.columns], REQUESTS_WIDTH))
    return rows


def appeals_grid(values: dict) -> list[list[str]]:
    spec = spec_for("appeals", "2021")
    leaves = [label for _, label, _ in APPEALS_LEAVES]
    return [
        _pad(["行政复议", "行政诉讼"], APPEALS_WIDTH),
        _pad(leaves + ["未经复议直接起诉", "复议后起诉"], APPEALS_WIDTH),
        _pad(leaves * 2, APPEALS_WIDTH),
        [number_text(values[("cases", c.key)]) for c in spec.columns],
    ]


def write(grid: list[list[str]], form: str) -> list[str]:
    """The lines of a table flattened in one of the three forms."""
    out = []
    for n, row in enumerate(grid):
        last = n == len(grid) - 1
        content = [c for c in row if c]
        empty = len(row) - len(content)
        if form == "pipe":
            out.append(pipe_line(row[: len(content)] if last else row))
        elif form == "tabs":
            out.append("\t".join(content))
        else:
            out += [f"{c} |" for c in content]
            out.append("|" * max(1, empty))
    return out


def pipe_line(cells: list[str]) -> str:
    """Cells as 001 writes them: "X |" each, empty cells as bare "|" run together."""
    line = ""
    previous_empty = False
    for n, cell in enumerate(cells):
        token = f"{cell} |" if cell else "|"
        if n and not (previous_empty and not cell):
            line += " "
        line += token
        previous_empty = not cell
    return line


# ---------------------------------------------------------------- reading back the generated text


@dataclass
class _Row:
    lines: list[int]  # line numbers holding the row (pipe/tabs: one; cells: one per cell)
    cells: list[str]  # texts of the written cells (pipe: with the empty cells)
    debris: int | None = None  # cells form: the line of | closing the row


def detect_form(lines: list[str]) -> str:
    corner = next(i for i, line in enumerate(lines) if line.startswith("(本列数据"))
    if "\t" in lines[corner]:
        return "tabs"
    return "cells" if lines[corner].count("|") == 1 else "pipe"


def _region(lines: list[str], table: str) -> tuple[int, int]:
    if table == "requests":
        start = next(i for i, line in enumerate(lines) if line.startswith("(本列数据"))
        end = next(i for i, line in enumerate(lines) if line.startswith("四、政府信息公开行政复议"))
    else:
        head = next(i for i, line in enumerate(lines) if line.startswith("四、政府信息公开行政复议"))
        start = next(i for i in range(head, len(lines)) if lines[i].startswith("行政复议"))
        end = next(i for i, line in enumerate(lines) if line.startswith("五、"))
    return start, end


def _split(line: str, form: str) -> list[str]:
    if form == "tabs":
        return line.split("\t")
    pieces = line.split("|")
    return [p.strip() for p in (pieces[:-1] if line.rstrip().endswith("|") else pieces)]


def _rows(lines: list[str], start: int, end: int, form: str) -> list[_Row]:
    if form != "cells":
        return [_Row([i], _split(lines[i], form)) for i in range(start, end)]
    rows, current = [], _Row([], [])
    for i in range(start, end):
        line = lines[i]
        if line.strip() and not line.strip("| "):
            current.debris = i
            rows.append(current)
            current = _Row([], [])
        else:
            current.lines.append(i)
            current.cells.append(line[:-2] if line.endswith(" |") else line)
    if current.lines:
        rows.append(current)
    return rows


def _value_slots(row: _Row, count: int) -> list[int]:
    """Indexes (in row.cells) of the row's ``count`` value cells: the non-empty cells after the labels."""
    filled = [k for k, c in enumerate(row.cells) if c.strip()]
    return filled[-count:] if len(filled) >= count else filled[len(filled) - count :]


def _requests_rows(lines, form, fmt):
    start, end = _region(lines, "requests")
    rows = _rows(lines, start, end, form)[3:]  # after the three header rows
    spec = spec_for("requests", fmt)
    if len(rows) != len(spec.rows):
        raise ValueError("not a generated report")
    return {row.key: r for row, r in zip(spec.rows, rows)}


def _set_cell(lines: list[str], row: _Row, k: int, new: str, form: str) -> None:
    if form == "cells":
        i = row.lines[k]
        lines[i] = f"{new} |"
        return
    i = row.lines[0]
    if form == "tabs":
        pieces = lines[i].split("\t")
        pieces[k] = new
        lines[i] = "\t".join(pieces)
        return
    pieces = lines[i].split("|")
    old = pieces[k].strip()
    pieces[k] = pieces[k].replace(old, new, 1)
    lines[i] = "|".join(pieces)


def _delete_cell(lines: list[str], row: _Row, k: int, form: str) -> None:
    if form == "cells":
        lines[row.lines[k]] = None
        return
    i = row.lines[0]
    separator = "\t" if form == "tabs" else "|"
    pieces = lines[i].split(separator)
    del pieces[k]
    lines[i] = separator.join(pieces)


# ---------------------------------------------------------------- faults


@dataclass
class Fault:
    kind: str
    table: str  # "requests" | "appeals"
    cells: dict = field(default_factory=dict)  # cell -> (true value, written value or None when gone)
    arithmetic: bool = False  # the written numbers break the rules
    determinable: bool = False  # a single change whose cell has both a row and a column rule
    detail: str = ""
    visible: bool = True  # False for a shift along equal values: every readable cell keeps its value

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


def inject(rng: random.Random, text: str, truth: dict, kind: str) -> tuple[str, Fault | None]:
    """One fault of ``kind`` in the text of a generated report (the text is not changed when
    the report offers no place for it: then the fault is None)."""
    if kind not in FAULTS:
        raise ValueError(kind)
    lines: list = text.split("\n")
    form = detect_form(lines)
    fmt = "2021" if ("other_other", "total") in truth["requests"] else "2019"
    spec = spec_for("requests", fmt)
    rows = _requests_rows(lines, form, fmt)
    columns = [c.key for c in spec.columns]
    parts = columns[:-1]
    values = truth["requests"]
    fault = None

    def slot(key, column):
        return _value_slots(rows[key], len(columns))[columns.index(column)]

    if kind in ("digit", "swap"):
        candidates = [("requests", (r.key, c)) for r in spec.rows if r.key != "handled_total" for c in parts]
        if kind == "digit":
            candidates += [("appeals", ("cases", c.key)) for c in spec_for("appeals", fmt).columns if not c.key.endswith("_total")]
        else:
            candidates = [(t, cell) for t, cell in candidates if _swaps(truth[t][cell])]
            if not candidates:  # a sparse table: any cell of 三, the totals too (they are determinable)
                candidates = [("requests", cell) for cell in spec.cells if _swaps(values[cell])]
        if candidates:
            table, cell = rng.choice(candidates)
            old = truth[table][cell]
            new = rng.choice(_swaps(old)) if kind == "swap" else _digit_changed(rng, old)
            if table == "requests":
                _set_cell(lines, rows[cell[0]], slot(*cell), str(new), form)
            else:
                appeals = _rows(lines, *_region(lines, "appeals"), form)[-1]
                k = [c.key for c in spec_for("appeals", fmt).columns].index(cell[1])
                _set_cell(lines, appeals, _value_slots(appeals, APPEALS_WIDTH)[k], str(new), form)
            fault = Fault(kind, table, {cell: (old, new)}, True, table == "requests", f"{old} -> {new}")
    elif kind == "pair":
        candidates = [(r.key, a, b) for r in spec.rows for i, a in enumerate(parts) for b in parts[i + 1 :] if values[(r.key, a)] != values[(r.key, b)]]
        if candidates:
            key, a, b = rng.choice(candidates)
            va, vb = values[(key, a)], values[(key, b)]
            _set_cell(lines, rows[key], slot(key, a), str(vb), form)
            _set_cell(lines, rows[key], slot(key, b), str(va), form)
            fault = Fault(kind, "requests", {(key, a): (va, vb), (key, b): (vb, va)}, True, False, f"row {key}: {a} <-> {b}")
    elif kind == "drop-row":
        key = rng.choice([r.key for r in spec.rows])
        row = rows[key]
        for i in row.lines + ([row.debris] if row.debris is not None else []):
            lines[i] = None
        gone = {(key, c): (values[(key, c)], None) for c in columns}
        fault = Fault(kind, "requests", gone, False, False, f"row {key} deleted")
    elif kind == "shift":
        key = rng.choice([r.key for r in spec.rows])
        k = rng.randrange(len(columns) - 1)  # not the last value: then nothing would shift
        _delete_cell(lines, rows[key], slot(key, columns[k]), form)
        shifted = {(key, c): (values[(key, c)], values[(key, columns[j + 1])] if j + 1 < len(columns) else None) for j, c in enumerate(columns) if j >= k}
        visible = any(new is not None and new != old for old, new in shifted.values())
        fault = Fault(kind, "requests", shifted, False, False, f"row {key}: {columns[k]} deleted, the rest shifted left", visible)
    else:  # truncate
        ordered = [rows[r.key] for r in spec.rows]
        n = rng.randrange(2, len(ordered) - 1)  # keep at least 一 and 二, lose at least two rows
        row = ordered[n]
        cut = row.lines[0]
        kept_cells = rng.randrange(0, 5)  # the text stops within the row, after some of its cells
        if form == "cells":
            lines = lines[: row.lines[kept_cells]]
        else:
            keep = _value_slots(row, len(columns))[0] + kept_cells
            cells = row.cells[:keep]
            lines = lines[:cut] + ([("\t".join(cells) if form == "tabs" else pipe_line(cells))] if cells else [])
        gone = {(r.key, c): (values[(r.key, c)], None) for r in spec.rows[n:] for c in columns}
        fault = Fault(kind, "requests", gone, False, False, f"text stops at row {spec.rows[n].key}")
        return "\n".join(lines), fault
    return "\n".join(line for line in lines if line is not None), fault


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


# ---------------------------------------------------------------- a corpus


@dataclass
class Report:
    """A generated report (for callers that want the text later: ``report.text()``)."""

    format: str
    form: str
    body: str
    truth: dict

    def text(self) -> str:
        return self.body


def make_report(rng: random.Random, fmt: str | None = None, form: str | None = None) -> Report:
    fmt = fmt or rng.choice(FORMATS)
    form = form or rng.choice(FORMS)
    body, truth = report_text(rng, fmt, form)
    return Report(fmt, form, body, truth)


def corpus(count: int, seed: int = 0):
    """``count`` correct reports, the forms and the formats taking turns."""
    rng = random.Random(seed)
    for n in range(count):
        yield make_report(rng, FORMATS[n % 2], FORMS[n % 3])
