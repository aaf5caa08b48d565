"""Which official table a grid is, in which format, and which cell is which.

``recognize(grid)`` returns a ``Recognized`` (table, format, every cell's value and where it
was written) or ``None`` when the grid is not one of the three tables — such a table is
never touched.  Rows are found by their labels (``labels.LabelIndex``) with the group
context and the official row order resolving ambiguous or redacted labels; columns by the
header, or by the official order when the header is not legible (an info finding says so).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from .findings import Finding
from .grid import Grid, Slot, expand
from .labels import LabelIndex, fold
from .spec import (
    ACTIVE_COLUMNS_2019,
    ACTIVE_COLUMNS_2021,
    ACTIVE_ROWS_2019,
    ACTIVE_ROWS_2021,
    APPEALS_GROUPS,
    APPEALS_LEAVES,
    REQUESTS_COLUMNS,
    REQUESTS_RESULT_GROUPS,
    CellKey,
    spec_for,
)
from .values import ASK, BLANK, DEDUCED, GIVEN, CellValue, asked_decimals, parse_cell

Position = tuple[int, int]  # (written row, cell index in that row)


@dataclass
class Recognized:
    table: str
    format: str
    cells: dict[CellKey, CellValue]
    positions: dict[CellKey, Position]
    findings: list[Finding] = field(default_factory=list)
    format_known: bool = True  # False when the table itself does not tell the format
    intact: bool = True  # False when a written figure could not be placed: the table stays as written
    decimals: int | None = None  # the decimals the header asks amounts to be written with ("保留4位小数")

    @property
    def spec(self):
        return spec_for(self.table, self.format)

    @property
    def rows_present(self) -> set[str]:
        return {row for row, _ in self.cells}


def recognize(grid: Grid, default_format: str | None = None) -> Recognized | None:
    if not grid or not any(grid):
        return None
    for attempt in (_recognize_requests, _recognize_appeals, _recognize_active):
        found = attempt(grid, default_format or "2021")
        if found is not None:
            return found
    return None


# ---------------------------------------------------------------- helpers


def _is_number(text: str) -> bool:
    value = parse_cell(text)
    return value.state in (GIVEN, ASK) or value.problem in ("negative", "fraction")


def _is_empty(text: str) -> bool:
    return parse_cell(text).state == BLANK


def _read(cell, kind: str) -> CellValue:
    """A cell's value; a value deduced by an earlier run reads as what the author had written."""
    value = parse_cell(cell.text, kind)
    if cell.deduced_mark and value.state == GIVEN:
        if cell.written is not None:
            return parse_cell(cell.written, kind)
        return CellValue(cell.text, DEDUCED, value.value)
    return value


def _distinct(slots: list[Slot | None]) -> list[Slot]:
    seen, out = set(), []
    for slot in slots:
        if slot is not None and (slot.row, slot.index) not in seen:
            seen.add((slot.row, slot.index))
            out.append(slot)
    return out


# ---------------------------------------------------------------- table 三


@cache
def _requests_indexes():
    rows = []
    for fmt in ("2021", "2019"):
        for row in spec_for("requests", fmt).rows:
            rows += [(row.label, row.key)] + [(a, row.key) for a in row.aliases]
    groups = [(g, g) for g in REQUESTS_RESULT_GROUPS] + [("三、本年度办理结果", "results")]
    columns = [(c.label, c.key) for c in REQUESTS_COLUMNS] + [(a, c.key) for c in REQUESTS_COLUMNS for a in c.aliases]
    return LabelIndex(rows), LabelIndex(groups), LabelIndex(columns)


_REQUESTS_HEADER_WORDS = {"申请人情况", "法人或其他组织"}  # already folded
_OTHER_2021 = ("other_no_correction", "other_no_fee", "other_other")


def _column_key(index: LabelIndex, text: str, group_words: set[str]) -> str | None:
    folded = fold(text)
    for word in group_words:
        folded = folded.replace(word, "")
    keys = index.match(folded) if folded else set()
    return next(iter(keys)) if len(keys) == 1 else None


def _recognize_requests(grid: Grid, default_format: str) -> Recognized | None:
    row_index, group_index, column_index = _requests_indexes()
    matrix = expand(grid)
    header_rows: list[int] = []
    data: list[tuple[int, str, list[Slot]]] = []  # (matrix row, row key, label slots)
    order = [r.key for r in spec_for("requests", "2021").rows] + ["other"]
    group = ""
    last_position = -1
    illegible: list[tuple[int, list[Slot]]] = []  # rows of values whose label cannot be read
    for r, slots in enumerate(matrix):
        cells = _distinct(slots)
        texts = [grid[s.row][s.index].text for s in cells]
        labels = [(s, t) for s, t in zip(cells, texts) if t and not _is_number(t) and not _is_empty(t)]
        column_hits = sum(1 for _, t in labels if column_index.match(t, contains=False) or fold(t) in _REQUESTS_HEADER_WORDS)
        if column_hits >= 2 or not labels:
            if not data:
                header_rows.append(r)
            continue
        text = "".join(t for _, t in labels)
        groups = group_index.match(text)
        if groups - {"results"}:
            group = next(iter(groups - {"results"}))
        keys = row_index.match(_without_groups(text))
        if not keys:
            if sum(1 for t in texts if _is_number(t)) >= 4:
                illegible.append((r, [s for s, _ in labels]))
            continue
        if len(keys) > 1:
            in_group = {k for k in keys if _requests_group(k) == group} if group else set()
            keys = in_group or keys
            later = [k for k in order if k in keys and order.index(k) > last_position]
            keys = {later[0]} if later else {min(keys, key=order.index)}
        key = keys.pop()
        last_position = order.index(key)
        data.append((r, key, [s for s, _ in labels]))
    if len({key for _, key, _ in data}) < 3:
        return None

    columns = _requests_columns(grid, matrix, header_rows, column_index)
    keys_seen = {key for _, key, _ in data}
    if keys_seen & set(_OTHER_2021):
        fmt, format_known = "2021", True
    elif any(key == "other" and (_has_values(grid, matrix[r], r, labels, columns) or r != data[-1][0]) for r, key, labels in data):
        # (六)其他处理 with figures, or with rows after it, is the 2019 row; as the last line, empty,
        # it is the 2021 group label where a copied text stops
        fmt, format_known = "2019", True
    else:
        fmt, format_known = default_format, False
    spec = spec_for("requests", fmt)
    valid_rows = {r.key for r in spec.rows}
    found = Recognized("requests", fmt, {}, {}, format_known=format_known)
    if columns is None:
        found.findings.append(Finding("placed-by-position", table="requests"))
    data = _place_by_order(spec, data, illegible, grid, found)
    for r, key, label_slots in data:
        values = _requests_values(grid, matrix[r], r, label_slots, columns)
        if key not in valid_rows:
            if key == "other" and all(_is_empty(grid[s.row][s.index].text) for s in values.values()):
                continue  # the 2021 (六) group label written as a row of its own
            found.findings.append(Finding("unknown-row", table="requests", given=_row_text(grid, label_slots)))
            continue
        if any((key, c) in found.cells for c in values):
            found.findings.append(Finding("unknown-row", table="requests", given=_row_text(grid, label_slots)))
            continue
        for column, slot in values.items():
            cell = grid[slot.row][slot.index]
            found.cells[(key, column)] = _read(cell, spec.kind_of((key, column)))
            found.positions[(key, column)] = (slot.row, slot.index)
    _note_missing_rows(found)
    return found


@cache
def _group_words() -> list[str]:
    return sorted((fold(g) for g in REQUESTS_RESULT_GROUPS + ("三、本年度办理结果",)), key=len, reverse=True)


def _without_groups(text: str) -> str:
    """A row label without the group labels written before it ("(三)不予公开 1.属于国家秘密")."""
    folded = fold(text)
    for word in _group_words():
        if word in folded and folded != word:
            folded = folded.replace(word, "")
    return folded or fold(text)


def _has_values(grid, slots, r, label_slots, columns) -> bool:
    values = _requests_values(grid, slots, r, label_slots, columns)
    return any(not _is_empty(grid[s.row][s.index].text) for s in values.values())


def _place_by_order(spec, data, illegible, grid, found) -> list:
    """Give an illegible row the one official row that belongs between its legible neighbours."""
    order = [r.key for r in spec.rows]
    seen = {key for _, key, _ in data}
    for r, label_slots in illegible:
        before = [key for row, key, _ in data if row < r and key in order]
        after = [key for row, key, _ in data if row > r and key in order]
        start = order.index(before[-1]) + 1 if before else 0
        end = order.index(after[0]) if after else len(order)
        between = [key for key in order[start:end] if key not in seen]
        if len(between) == 1 and end - start == 1:
            key = between[0]
            seen.add(key)
            data = sorted(data + [(r, key, label_slots)])
            row = spec.row(key)
            found.findings.append(Finding("row-placed-by-position", table="requests", row=row.display, given=_row_text(grid, label_slots)))
    return data


def _requests_group(key: str) -> str:
    for fmt in ("2021", "2019"):
        spec = spec_for("requests", fmt)
        if key in {r.key for r in spec.rows}:
            return spec.row(key).group
    return ""


def _row_text(grid: Grid, slots: list[Slot]) -> str:
    return " ".join(grid[s.row][s.index].text for s in slots)


def _requests_columns(grid, matrix, header_rows, column_index) -> dict[int, str] | None:
    """Matrix column -> column key from the header, or None when the header is not legible."""
    mapping: dict[int, str] = {}
    width = len(matrix[0]) if matrix else 0
    for j in range(width):
        slots = _distinct([matrix[r][j] for r in header_rows])
        text = "".join(grid[s.row][s.index].text for s in slots)
        key = _column_key(column_index, text, _REQUESTS_HEADER_WORDS) if text else None
        if key:
            mapping[j] = key
    if len(set(mapping.values())) == len(mapping) == len(REQUESTS_COLUMNS):
        return mapping
    return None


def _requests_values(grid, slots, r, label_slots, columns) -> dict[str, Slot]:
    if columns is not None:
        out = {}
        for j, key in columns.items():
            slot = slots[j] if j < len(slots) else None
            if slot is not None and slot.row == r and slot not in label_slots:
                out[key] = slot
        return out
    # By position: the cells after the last label cell, in the official column order.
    cells = _distinct(slots)
    last = max(cells.index(s) for s in label_slots) if label_slots else -1
    after = [s for s in cells[last + 1 :] if s.row == r]
    return {c.key: s for c, s in zip(REQUESTS_COLUMNS, after)}


def _note_missing_rows(found: Recognized) -> None:
    present = found.rows_present
    missing = [r for r in found.spec.rows if r.key not in present]
    if missing and present:
        found.findings.append(Finding("missing-rows", table=found.table, params={"rows": [r.display for r in missing]}))


# ---------------------------------------------------------------- table 四

_APPEAL_LEAF_WORDS = {
    "upheld": ("结果维持", "维持"),
    "corrected": ("结果纠正", "纠正"),
    "other": ("其他结果", "其他"),
    "pending": ("尚未审结", "未审结", "审理中"),
    "total": ("总计", "合计", "小计"),
}


def _appeal_column(text: str) -> str | None:
    folded = fold(text)
    if "复议后" in folded:
        group = "suit_after"
    elif "未经复议" in folded or "直接起诉" in folded:
        group = "direct_suit"
    elif "复议" in folded:
        group = "reconsideration"
    else:
        return None
    for leaf, words in _APPEAL_LEAF_WORDS.items():
        if any(fold(w) in folded.replace("行政复议", "").replace("复议后起诉", "").replace("未经复议直接起诉", "") for w in words):
            return f"{group}_{leaf}"
    return None


def _recognize_appeals(grid: Grid, default_format: str) -> Recognized | None:
    matrix = expand(grid)
    data_row = None
    for r in range(len(matrix) - 1, -1, -1):
        texts = [grid[s.row][s.index].text for s in _distinct(matrix[r]) if s.row == r]
        numbers = sum(1 for t in texts if _is_number(t))
        if numbers >= 1 and numbers + sum(1 for t in texts if _is_empty(t)) >= 5:
            data_row = r
            break
    if data_row is None or data_row == 0:
        return None
    header_text = fold("".join(c.text for row in grid[:data_row] for c in row))
    leaf_hits = sum(1 for w in ("结果维持", "结果纠正", "尚未审结", "其他结果") if w in header_text)
    both_groups = "行政复议" in header_text and "行政诉讼" in header_text
    if not (both_groups or (leaf_hits >= 2 and ("复议" in header_text or "诉讼" in header_text))):
        return None
    mapping: dict[int, str] = {}
    for j, slot in enumerate(matrix[data_row]):
        slots = _distinct([matrix[r][j] for r in range(data_row)])
        key = _appeal_column("".join(grid[s.row][s.index].text for s in slots))
        if key and slot is not None and slot.row == data_row:
            mapping[j] = key
    spec = spec_for("appeals", default_format)
    found = Recognized("appeals", default_format, {}, {}, format_known=False)
    values: list[tuple[str, Slot]]
    if len(set(mapping.values())) == len(mapping) == len(spec.columns):
        values = [(key, matrix[data_row][j]) for j, key in sorted(mapping.items())]
    else:
        cells = [s for s in _distinct(matrix[data_row]) if s.row == data_row]
        cells = [s for s in cells if _is_number(grid[s.row][s.index].text) or _is_empty(grid[s.row][s.index].text)]
        if len(cells) != len(spec.columns):
            return None
        values = [(c.key, s) for c, s in zip(spec.columns, cells)]
        found.findings.append(Finding("placed-by-position", table="appeals"))
    for key, slot in values:
        cell = grid[slot.row][slot.index]
        found.cells[("cases", key)] = _read(cell, spec.kind_of(("cases", key)))
        found.positions[("cases", key)] = (slot.row, slot.index)
    return found


# ---------------------------------------------------------------- table 二


@cache
def _active_indexes():
    rows = [(r.label, r.key) for r in ACTIVE_ROWS_2021 + ACTIVE_ROWS_2019]
    rows += [(a, r.key) for r in ACTIVE_ROWS_2021 + ACTIVE_ROWS_2019 for a in r.aliases if a != "行政规范性文件" and a != "规范性文件"]
    columns = [(c.label, c.key) for c in ACTIVE_COLUMNS_2021 + ACTIVE_COLUMNS_2019]
    columns += [(a, c.key) for c in ACTIVE_COLUMNS_2021 + ACTIVE_COLUMNS_2019 for a in c.aliases]
    return LabelIndex(rows), LabelIndex(columns)


_ONLY_2019_COLUMNS = {c.key for c in ACTIVE_COLUMNS_2019} - {c.key for c in ACTIVE_COLUMNS_2021}
_ONLY_2021_COLUMNS = {c.key for c in ACTIVE_COLUMNS_2021} - {c.key for c in ACTIVE_COLUMNS_2019}


def _recognize_active(grid: Grid, default_format: str) -> Recognized | None:
    row_index, column_index = _active_indexes()
    header: list[str | None] | None = None
    structure = 0  # block titles and "信息内容" header rows seen
    data: list[tuple[str, list[tuple[int, int]], list[str | None] | None]] = []
    votes = {"2019": 0, "2021": 0}
    for r, row in enumerate(grid):
        cells = [(i, c) for i, c in enumerate(row) if c.text.strip()]
        if not cells:
            continue
        first = fold(cells[0][1].text)
        if first.startswith("第二十条第"):
            structure += 1
            header = None
            continue
        if first == "信息内容":
            structure += 1
            header = [_one(column_index.match(c.text, contains=False)) for _, c in cells[1:]]
            for key in header:
                votes["2019"] += key in _ONLY_2019_COLUMNS
                votes["2021"] += key in _ONLY_2021_COLUMNS
            continue
        keys = row_index.match(cells[0][1].text, contains=False)
        label = fold(cells[0][1].text)
        if label == "行政规范性文件":
            keys, votes["2021"] = {"normative_documents"}, votes["2021"] + 1
        elif label == "规范性文件":
            keys = {"normative_documents"}
        if len(keys) != 1:
            continue
        key = keys.pop()
        if key in ("other_services", "procurement"):
            votes["2019"] += 2
        values = [(r, i) for i, c in enumerate(row) if i > cells[0][0]]
        data.append((key, values, header))
    if not data or structure == 0:
        return None
    fmt = "2019" if votes["2019"] > votes["2021"] else "2021" if votes["2021"] else default_format
    spec = spec_for("active", fmt)
    header_text = "".join(c.text for row in grid for c in row if not _is_number(c.text))
    found = Recognized("active", fmt, {}, {}, format_known=bool(votes["2019"] or votes["2021"]), decimals=asked_decimals(header_text))
    valid = {r.key for r in spec.rows}
    for key, positions, row_header in data:
        if key not in valid or any(k == key for k, _ in found.cells):
            found.findings.append(Finding("unknown-row", table="active", given=grid[positions[0][0]][0].text if positions else key))
            continue
        columns = [c.key for c in spec.columns_of(spec.row(key))]
        order = _active_order(columns, row_header)
        written = [p for p in positions if grid[p[0]][p[1]].text.strip()] or positions
        for column, (r, i) in zip(order, written if len(written) >= len(columns) else positions):
            if column is None:
                continue
            cell = grid[r][i]
            found.cells[(key, column)] = _read(cell, spec.kind_of((key, column)))
            found.positions[(key, column)] = (r, i)
    return found if found.cells else None


def _active_order(columns: list[str], header: list[str | None] | None) -> list[str | None]:
    """The columns of a row in the order its block header names them.

    Illegible header cells ("本年新" cut short) take the official columns the header does not
    name, in official order; without a usable header the official order is used.
    """
    if not header or not any(header) or not all(h in columns for h in header if h):
        return list(columns)
    unnamed = iter(c for c in columns if c not in header)
    return [h if h else next(unnamed, None) for h in header]


def _one(keys: set[str]) -> str | None:
    return next(iter(keys)) if len(keys) == 1 else None


def merge_active(parts: list[Recognized]) -> Recognized:
    """Table 二 written as several block tables: one recognized table (positions refer to each part)."""
    fmt = next((p.format for p in parts if p.format_known), parts[0].format)
    merged = Recognized("active", fmt, {}, {}, format_known=any(p.format_known for p in parts))
    for part in parts:
        merged.cells.update(part.cells)
        merged.findings.extend(part.findings)
    return merged
