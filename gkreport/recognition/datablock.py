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
import re
from functools import cache

from gkreport.findings import Finding
from gkreport.labels import fold
from gkreport.recognition.result import Recognized
from gkreport.spec import (
    APPEALS_GROUPS,
    APPEALS_LEAVES,
    DEFAULT_FORMAT,
    FORMATS,
    TABLE_NAMES,
    TABLES,
    CellKey,
    TableSpec,
    spec_for,
)
from gkreport.values import BLANK, GIVEN, CellValue, parse_cell


class DataBlockError(ValueError):
    """Why a data block cannot be read, in Chinese (``str()``) and English."""

    def __init__(self, zh: str, en: str):
        super().__init__(zh)
        self.reason = {"zh": zh, "en": en}


MAX_BLOCK_CHARS = 100_000  # a full table 三 written out is about 5,000
MAX_DEPTH = 8  # the forms nest three deep
_YAML_LINE = re.compile(r"^\s*(?:[^\s,#][^,]*?:(?:\s|$)|[{\[&*!|>%-])")  # `key:`, a flow or block collection, a YAML sign


def parse_data_block(text: str, classes=(), attributes=None, default_format: str | None = None) -> Recognized:
    """Expand a data block to a full table; problems become findings on the result."""
    attributes = dict(attributes or {})
    try:
        entries, options = _read_entries(text)
    except DataBlockError as exc:
        table = TABLE_NAMES.get(str(attributes.get("table", "")).strip(), "requests")
        found = Recognized(table, attributes.get("format") or default_format or DEFAULT_FORMAT, {}, {})
        found.findings.append(Finding("bad-data-block", table=table, params={"reason": exc.reason}))
        return found
    options = {**options, **attributes}
    table = TABLE_NAMES.get(str(options.get("table", "")).strip())
    fmt = str(options.get("format", "")).strip() or None
    if fmt not in FORMATS:
        fmt = None
    if table is None:
        table = _guess_table(entries, fmt or default_format or DEFAULT_FORMAT)
    fmt = fmt or default_format or DEFAULT_FORMAT
    return _expand(spec_for(table, fmt), entries, format_known="format" in options)


def _read_entries(text: str) -> tuple[list[tuple[list[str], str]], dict]:
    """(name path, value text) pairs, and the options (table, format).

    YAML is composed, never constructed: every value is the text as written, read later by
    ``values.parse_cell`` like a table cell (so ``0012`` is 12 and ``1:30``, ``0x1F``, ``1_000``
    are no numbers: none of YAML 1.1's octal, sexagesimal, hexadecimal or boolean readings), and
    no tag is ever acted on.  A key written twice, an alias (``*name``: the alias bomb), nesting
    deeper than ``MAX_DEPTH`` or a block over ``MAX_BLOCK_CHARS`` is an error, not a guess.
    """
    stripped = text.strip()
    if not stripped:
        return [], {}
    if len(stripped) > MAX_BLOCK_CHARS:
        raise DataBlockError(f"数据块过长（{len(stripped)} 个字符，上限 {MAX_BLOCK_CHARS}）", f"the block is too long ({len(stripped)} characters, at most {MAX_BLOCK_CHARS})")
    node = _compose_yaml(stripped)
    if node is None:  # not YAML, or YAML that is one plain text: CSV lines
        return _read_csv(stripped), {}
    options: dict = {}
    entries: list[tuple[list[str], str]] = []
    for key, value in _mapping_items(node):
        if key.value in ("table", "format") and _is_scalar(value):
            options[key.value] = value.value
        else:
            _flatten(key, value, [], entries)
    return entries, options


def _compose_yaml(text: str):
    """The YAML node tree, or None when the text is CSV; ``DataBlockError`` for broken or hostile YAML."""
    import yaml

    loader = None
    try:
        loader = _loader_class()(text)
        node = loader.get_single_node()
    except DataBlockError:
        raise
    except yaml.YAMLError as exc:
        if not any(_YAML_LINE.match(line) for line in text.splitlines()):
            return None  # no line looks like YAML: CSV lines, read as such
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        where = (f"第 {mark.line + 1} 行：", f"line {mark.line + 1}: ") if mark else ("", "")
        raise DataBlockError(f"YAML 格式错误，{where[0]}{problem}", f"YAML error, {where[1]}{problem}") from exc
    finally:
        if loader is not None:
            loader.dispose()
    if isinstance(node, yaml.MappingNode):
        return node
    if isinstance(node, yaml.SequenceNode):
        raise DataBlockError("数据块应为“名称: 值”的映射或 CSV 行，而不是列表", "the block must be a mapping of names to values or CSV lines, not a list")
    return None


@cache
def _loader_class():
    """A YAML loader that composes nodes only, refusing aliases and deep nesting."""
    import yaml

    class Loader(yaml.SafeLoader):
        depth = 0

        def compose_node(self, parent, index):
            if self.check_event(yaml.AliasEvent):
                line = self.peek_event().start_mark.line + 1
                raise DataBlockError(f"第 {line} 行使用了别名（*），数据块不接受锚点和别名", f"line {line}: an alias (*); anchors and aliases are not accepted")
            if self.depth >= MAX_DEPTH:
                line = self.peek_event().start_mark.line + 1
                raise DataBlockError(f"第 {line} 行嵌套过深（超过 {MAX_DEPTH} 层）", f"line {line}: nested more than {MAX_DEPTH} deep")
            self.depth += 1
            try:
                return super().compose_node(parent, index)
            finally:
                self.depth -= 1

    return Loader


def _is_scalar(node) -> bool:
    import yaml

    return isinstance(node, yaml.ScalarNode)


def _mapping_items(node) -> list:
    """The (key, value) node pairs of a mapping; a key written twice is an error naming both lines."""
    seen: dict[str, int] = {}
    items = []
    for key, value in node.value:
        if not _is_scalar(key):
            line = key.start_mark.line + 1
            raise DataBlockError(f"第 {line} 行：名称必须是文字", f"line {line}: a name must be text")
        line = key.start_mark.line + 1
        if key.value in seen:
            first = seen[key.value]
            raise DataBlockError(
                f"“{key.value}”写了两次：第 {first} 行和第 {line} 行", f"“{key.value}” is written twice: lines {first} and {line}"
            )
        seen[key.value] = line
        items.append((key, value))
    return items


def _flatten(key, value, path: list[str], out: list) -> None:
    import yaml

    names = path + [p for p in key.value.replace("/", ".").split(".") if p.strip()]
    if isinstance(value, yaml.MappingNode):
        for inner_key, inner_value in _mapping_items(value):
            _flatten(inner_key, inner_value, names, out)
    elif isinstance(value, yaml.SequenceNode):
        line = value.start_mark.line + 1
        raise DataBlockError(f"第 {line} 行：“{key.value}”的值是列表，不是数值", f"line {line}: “{key.value}”: a list is not a value")
    else:
        out.append((names, value.value))


def _read_csv(text: str) -> list[tuple[list[str], str]]:
    reader = csv.reader(io.StringIO(text, newline=""))
    rows = []
    try:
        for row in reader:
            if any(c.strip() for c in row):
                rows.append((reader.line_num, row))
    except csv.Error as exc:
        raise DataBlockError(f"CSV 格式错误，第 {reader.line_num} 行：{exc}", f"CSV error, line {reader.line_num}: {exc}") from exc
    if rows and [fold(c) for c in rows[0][1]] in (["row", "column", "value"], ["行", "列", "值"]):
        rows = rows[1:]
    entries = []
    seen: dict[tuple[str, ...], int] = {}
    for line, row in rows:
        if len(row) < 2:
            raise DataBlockError(f"第 {line} 行“{','.join(row)}”需要名称和数值", f"line {line} “{','.join(row)}” needs a name and a value")
        names = [c for c in row[:-1] if c.strip()]
        key = tuple(c.strip() for c in names)
        if key in seen:
            raise DataBlockError(f"“{'.'.join(key)}”写了两次：第 {seen[key]} 行和第 {line} 行", f"“{'.'.join(key)}” is written twice: lines {seen[key]} and {line}")
        seen[key] = line
        entries.append((names, row[-1]))
    if not entries:
        raise DataBlockError("数据块中没有单元格", "no cells")
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
        elif spec.is_total(cell) or cell in uncertain:
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
    from gkreport.suggest import closest  # difflib: only when a name is unknown

    return closest(name, _known_names(spec.table, spec.format))
