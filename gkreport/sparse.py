"""The sparse data block: a table written as only its non-zero cells, by short names.

In Markdown a fenced block with the class ``gkreport`` (also ``gk``)::

    ```gkreport
    table: requests          # active | requests | appeals (or 二/三/四); optional
    format: 2021             # optional: the report's year decides
    新收: {自然人: 58, 商业企业: 7, 法律服务机构: 1}
    上年结转.自然人: 2
    予以公开: {自然人: 2, 商业企业: 1}
    ```

YAML (nested ``row: {column: value}``, or flat ``row.column: value``; a row of table 二
with one column takes its value directly, ``行政许可: 2149``; table 四 names a group and a
result, ``复议: {维持: 1, 总计: 1}`` or ``复议维持: 1``), or CSV lines ``row,column,value``.
Names are the official labels, the short names of ``spec.py``, or the English keys.

Cells not listed are 0, except the totals (the 总计 column and rows of table 三, the 总计 of
each group of table 四), which are computed when not listed.  ``?`` asks for a value.  A name
that denotes nothing is an ``unknown-name`` error with the closest official names ("did you
mean"), and the cells it may have meant are then not taken as 0 (see ``_expand``).
"""

from __future__ import annotations

import csv
import io
from functools import cache

from .findings import Finding
from .labels import fold
from .recognize import Recognized
from .spec import APPEALS_GROUPS, APPEALS_LEAVES, TABLES, CellKey, TableSpec, spec_for
from .values import BLANK, GIVEN, CellValue, parse_cell


_TABLE_NAMES = {
    "active": "active",
    "二": "active",
    "表二": "active",
    "主动公开": "active",
    "requests": "requests",
    "三": "requests",
    "表三": "requests",
    "依申请": "requests",
    "依申请公开": "requests",
    "appeals": "appeals",
    "四": "appeals",
    "表四": "appeals",
    "复议诉讼": "appeals",
}


class DataBlockError(ValueError):
    pass


def parse_data_block(text: str, classes=(), attributes=None, default_format: str | None = None) -> Recognized:
    """Expand a data block to a full table; problems become findings on the result."""
    attributes = dict(attributes or {})
    try:
        entries, options = _read_entries(text)
    except DataBlockError as exc:
        table = _TABLE_NAMES.get(str(attributes.get("table", "")).strip(), "requests")
        found = Recognized(table, attributes.get("format") or default_format or "2021", {}, {})
        found.findings.append(Finding("bad-data-block", table=table, params={"reason": str(exc)}))
        return found
    options = {**options, **attributes}
    table = _TABLE_NAMES.get(str(options.get("table", "")).strip())
    fmt = str(options.get("format", "")).strip() or None
    if fmt not in (None, "2019", "2021"):
        fmt = None
    if table is None:
        table = _guess_table(entries, fmt or default_format or "2021")
    fmt = fmt or default_format or "2021"
    return _expand(spec_for(table, fmt), entries, format_known="format" in options)


def _read_entries(text: str) -> tuple[list[tuple[list[str], str]], dict]:
    """(name path, value text) pairs, and the options (table, format)."""
    import yaml

    stripped = text.strip()
    if not stripped:
        return [], {}
    try:
        data = yaml.safe_load(stripped)
    except (yaml.YAMLError, ValueError, RecursionError):  # not YAML: try CSV
        data = None
    if isinstance(data, dict):
        options = {k: data.pop(k) for k in ("table", "format") if k in data}
        entries: list[tuple[list[str], str]] = []
        _flatten(data, [], entries)
        return entries, options
    return _read_csv(stripped), {}


def _flatten(data, path: list[str], out: list) -> None:
    for key, value in data.items():
        names = path + [p for p in str(key).replace("/", ".").split(".") if p.strip()]
        if isinstance(value, dict):
            _flatten(value, names, out)
        elif isinstance(value, (list, tuple)):
            raise DataBlockError(f"“{key}”: a list is not a value")
        else:
            out.append((names, "" if value is None else str(value)))


def _read_csv(text: str) -> list[tuple[list[str], str]]:
    try:
        rows = [r for r in csv.reader(io.StringIO(text, newline="")) if any(c.strip() for c in r)]
    except csv.Error as exc:
        raise DataBlockError(f"CSV: {exc}") from exc
    if rows and [fold(c) for c in rows[0]] in (["row", "column", "value"], ["行", "列", "值"]):
        rows = rows[1:]
    entries = []
    for row in rows:
        if len(row) < 2:
            raise DataBlockError(f"line “{','.join(row)}” needs a name and a value")
        entries.append(([c for c in row[:-1] if c.strip()], row[-1]))
    if not entries:
        raise DataBlockError("no cells")
    return entries


@cache
def _name_indexes(table: str, fmt: str) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """Folded names of the rows and of the columns (table 四: group + result, "复议维持")."""
    spec = spec_for(table, fmt)
    rows: dict[str, set[str]] = {}
    columns: dict[str, set[str]] = {}
    for row in spec.rows:
        for name in _names(row.key, row.label, row.aliases, row.short):
            rows.setdefault(fold(name), set()).add(row.key)
    for column in spec.columns:
        names = _names(column.key, column.label, column.aliases, column.short)
        if table == "appeals":
            names = _appeal_names(column.key)
        for name in names:
            columns.setdefault(fold(name), set()).add(column.key)
    return rows, columns


def _names(key: str, label: str, aliases, short: str) -> set[str]:
    return {n for n in (key, label, short, *aliases) if n}


def _appeal_names(column_key: str) -> set[str]:
    names = set()
    for group, glabel, gshort in APPEALS_GROUPS:
        for leaf, label, lshort in APPEALS_LEAVES:
            if column_key == f"{group}_{leaf}":
                for g in (group, glabel.split(" / ")[-1], gshort, glabel.replace(" / ", "")):
                    names |= {g + leaf_name for leaf_name in (leaf, label, lshort)}
    return names


def _resolve(spec: TableSpec, names: list[str]) -> CellKey | None:
    """The one cell the names denote: row name and column name in either order (table 四: the
    column alone; a row of table 二 with one column: the row alone)."""
    rows, columns = _name_indexes(spec.table, spec.format)
    text = fold("".join(names))
    found: set[CellKey] = set()
    for i in range(len(text) + 1):
        for row_part, column_part in ((text[:i], text[i:]), (text[i:], text[:i])):
            row_keys = {spec.rows[0].key} if spec.table == "appeals" and not row_part else rows.get(row_part, set())
            for row in row_keys:
                valid = {c.key for c in spec.columns_of(spec.row(row))}
                if not column_part and len(valid) == 1:
                    found.add((row, next(iter(valid))))
                found |= {(row, c) for c in columns.get(column_part, set()) & valid}
    return found.pop() if len(found) == 1 else None


def _guess_table(entries, fmt: str) -> str:
    scores = {t: sum(_resolve(spec_for(t, fmt), names) is not None for names, _ in entries) for t in TABLES}
    return max(TABLES, key=lambda t: (scores[t], t == "requests"))


def _is_total(cell: CellKey) -> bool:
    return cell[1] == "total" or cell[1].endswith("_total") or cell[0] == "handled_total"


def _expand(spec: TableSpec, entries, format_known: bool) -> Recognized:
    """The full table from the listed cells.  An entry whose names resolve to no cell is an
    ``unknown-name`` error with the closest official names; the cells it may have meant (those of
    the row, column or group its other names do resolve to; all when none does) are then not known
    to be 0: left unlisted they are blank, so its figure missing from them raises no other error."""
    found = Recognized(spec.table, spec.format, {}, {}, format_known=format_known)
    listed: dict[CellKey, CellValue] = {}
    uncertain: set[CellKey] = set()
    unknown: dict[str, Finding] = {}  # one finding per unknown name, however many entries it heads
    for names, value in entries:
        cell = _resolve(spec, names)
        if cell is None:
            uncertain |= _meant(spec, names)
            bad = next((i for i, name in enumerate(names) if not any(_part_keys(spec, name))), len(names) - 1)
            given = ".".join(names[: bad + 1])
            if given not in unknown:
                suggestions = _suggestions(spec, names[bad]) if names else []
                unknown[given] = Finding("unknown-name", table=spec.table, given=given, params={"suggestions": suggestions})
                found.findings.append(unknown[given])
            continue
        listed[cell] = parse_cell(value, spec.kind_of(cell))
    for cell in spec.cells:
        if cell in listed:
            found.cells[cell] = listed[cell]
        elif _is_total(cell) or cell in uncertain:
            found.cells[cell] = CellValue("", BLANK)
        else:
            found.cells[cell] = CellValue("0", GIVEN, 0)
    return found


def _part_keys(spec: TableSpec, name: str) -> tuple[set[str], set[str]]:
    """The rows and the columns one name (one part of an entry) denotes on its own."""
    rows, columns = _name_indexes(spec.table, spec.format)
    folded = fold(name)
    column_keys = set(columns.get(folded, set()))
    if spec.table == "appeals":  # a group ("复议") or a result ("维持") alone
        for group, glabel, gshort in APPEALS_GROUPS:
            if folded in {fold(n) for n in (group, glabel.split(" / ")[-1], gshort, glabel)}:
                column_keys |= {c.key for c in spec.columns if c.key.startswith(group + "_")}
        for leaf, label, lshort in APPEALS_LEAVES:
            if folded in {fold(n) for n in (leaf, label, lshort)}:
                column_keys |= {c.key for c in spec.columns if c.key.endswith("_" + leaf)}
    return set(rows.get(folded, set())), column_keys


def _meant(spec: TableSpec, names: list[str]) -> set[CellKey]:
    """The cells an unresolved entry may have meant, by the names of it that do resolve."""
    row_keys: set[str] = set()
    column_keys: set[str] = set()
    for name in names:
        rows, columns = _part_keys(spec, name)
        row_keys |= rows
        column_keys |= columns
    return {c for c in spec.cells if (not row_keys or c[0] in row_keys) and (not column_keys or c[1] in column_keys)}


@cache
def _known_names(table: str, fmt: str) -> tuple[str, ...]:
    """The names a data block may use, short names first (what a suggestion offers)."""
    spec = spec_for(table, fmt)
    names: list[str] = []
    for item in (*spec.rows, *spec.columns):
        names += [n for n in (item.short, item.label, *item.aliases) if n]
    if table == "appeals":
        names = [gshort for _, _, gshort in APPEALS_GROUPS] + [lshort for _, _, lshort in APPEALS_LEAVES]
        names += [gshort + lshort for _, _, gshort in APPEALS_GROUPS for _, _, lshort in APPEALS_LEAVES]
        names += [glabel.split(" / ")[-1] for _, glabel, _ in APPEALS_GROUPS] + [label for _, label, _ in APPEALS_LEAVES]
    return tuple(n for n in names if n)


def _suggestions(spec: TableSpec, name: str) -> list[str]:
    """The closest names to one part of an entry that denotes nothing on its own ([] when it does)."""
    if any(_part_keys(spec, name)):
        return []
    from .suggest import closest  # difflib: only when a name is unknown

    return closest(name, _known_names(spec.table, spec.format))
