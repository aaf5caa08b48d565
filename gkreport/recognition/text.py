"""Tables that reach the checker as text, read by aligning what was written with the official tables.

The text becomes a stream of tokens (``tokens.tokenize``): labels, figures, blank marks and
empty cells, whatever separated them.  For each table the written labels are aligned with
the official row sequence (``align_rows``: the best order-preserving assignment, so a short,
variant, Traditional, redacted, mistyped or wrapped label is placed by what fits it and by
where it stands); the figures between two labels belong to the first (or, in text where a
row's figures come before its label, to the second: both readings are tried and the one that
fits is kept); a row's figures are placed in the official column order.  Figures glued together
are decoded with the row's arithmetic (``glued``), then the columns' across rows; a row with
more than one reading left is reported, never guessed.

``find_tables(lines)`` returns every table found, with the tokens and lines it spans.  A
written row whose figures cannot be placed (no official row fits it, a row written twice, a
count of figures that fits no reading) is an error naming it, and the table is marked as not
``intact``: the filter then leaves it as written.
"""

from __future__ import annotations

import bisect
import re
import itertools
import statistics
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import NamedTuple

from gkreport.findings import WARNING, Finding
from gkreport.recognition.glued import decodings
from gkreport.recognition.grids import Recognized
from gkreport.spec import spec_for
from gkreport.labels import fold
from gkreport.checks.sections import INLINE_HEADING, heading_section
from gkreport.recognition.tokens import EMPTY, LABEL, MARK, NUMBER, Token, numbered, tokenize
from gkreport.values import BLANK, GIVEN, INVALID, CellValue, asked_decimals, parse_cell
from gkreport.recognition.vocabulary import BLOCK, GROUP, HEADER, ROW, Segment, block_titles, entries, score, segments

STRONG = 0.85  # a label this close to an official row anchors a table
WEAK = 0.5  # below this a label fits no row
GAP = 90  # tokens between two rows of one table, at most


@dataclass
class TextTable:
    recognized: Recognized
    first: int  # first and last token (inclusive) of the table
    last: int
    start: tuple[int, int]  # (line, column) where the table starts
    end: tuple[int, int]  # (line, column) where it ends


class Item(NamedTuple):
    first: int  # token where the label starts
    last: int  # token where it ends
    segment: Segment
    column: int  # where the label starts in its line


class _Fit(NamedTuple):
    rows: dict[str, float]  # row key -> score (shared between items: never changed)
    group: str | None
    header: bool
    block: str | None


_NO_FIT = _Fit({}, None, False, None)
LONGEST_LABEL = 64  # folded characters: a longer text is prose, or labels run together


@lru_cache(maxsize=32768)
def _fit(table: str, numbering: str, text: str) -> _Fit:
    """What a label may be in one table: rows (with scores), a row group, a header."""
    rows: dict[str, float] = {}
    group, group_score, header_chars = None, 0.0, 0
    known = entries(table)
    segment = Segment(numbering, text, text)
    short = len(text) <= LONGEST_LABEL
    for entry in known:
        if entry.kind == HEADER:
            if len(entry.text) >= 2 and entry.text in text:
                header_chars += len(entry.text)
            continue
        if not short:
            continue
        value = score(segment, entry)
        if value < WEAK:
            continue
        if entry.kind == ROW:
            rows[entry.key] = max(rows.get(entry.key, 0.0), value)
        elif entry.kind == GROUP and value > group_score:
            group, group_score = entry.key, value
    if not rows or max(rows.values()) < STRONG:
        # a header run glued to the first row after it: "…现行有效件数规章"
        headers = {e.text for e in known if e.kind == HEADER}
        for entry in known:
            if entry.kind == ROW and entry.text not in headers and len(text) > len(entry.text) >= 2 and text.endswith(entry.text):
                rows[entry.key] = max(rows.get(entry.key, 0.0), 0.9)
    header = bool(text) and header_chars >= 0.6 * len(text) and not rows
    return _Fit(rows, group if group_score >= 0.9 else None, header, None)


def find_tables(lines: list[str], default_format: str | None = None) -> list[TextTable]:
    return [_as_read_from_text(t) for t in read_tables(_marks_after_rows(tokenize(lines)), default_format)]


_MARK_IN_LABEL = re.compile(r"[/／—]")


def _marks_after_rows(tokens: list[Token]) -> list[Token]:
    """A blank mark glued between a row's label and the next label ("行政处罚/行政强制98"): the row's
    one cell, written blank."""
    out: list[Token] = []
    for token in tokens:
        if token.kind != LABEL or not _MARK_IN_LABEL.search(token.text):
            out.append(token)
            continue
        pieces, rest = [], token.text
        for match in list(_MARK_IN_LABEL.finditer(token.text))[::-1]:
            left, right = rest[: match.start()], rest[match.end() :]
            if fold(right) and _ends_with_row(fold(left)):
                pieces[:0] = [(MARK, match.group()), (LABEL, right)]
                rest = left
        if not pieces:
            out.append(token)
            continue
        position = token.start
        for kind, text in [(LABEL, rest), *pieces]:
            out.append(token._replace(kind=kind, text=text, start=position, end=position + len(text), cell=False))
            position += len(text)
    return out


@lru_cache(maxsize=4096)
def _ends_with_row(folded: str) -> bool:
    return any(folded.endswith(e.text) for table in ("active", "requests") for e in entries(table) if e.kind == ROW and len(e.text) >= 2)


PLACEMENT_CODES = frozenset({"unplaced-row", "duplicate-row", "figure-count-mismatch"})
UNREADABLE_ROWS = 3  # rows of a text whose figures cannot be placed: from this many, no row of it is trusted


def _as_read_from_text(table: TextTable) -> TextTable:
    """Figures a text does not let us place are a reading problem before they are the author's:
    a warning each; a table where several rows (or most) cannot be placed is one warning, and not
    checked: the text was extracted in an order that may have misplaced the other rows too."""
    found = table.recognized
    problems = [f for f in found.findings if f.code in PLACEMENT_CODES]
    if not problems:
        return table
    if len(problems) >= UNREADABLE_ROWS or len(problems) > len(found.rows_present):
        found.cells.clear()
        found.positions.clear()
        kept = [f for f in found.findings if f.code not in PLACEMENT_CODES and f.code != "missing-rows"]
        found.findings[:] = kept + [Finding("unreadable-table", table=found.table, params={"count": len(problems)})]
    else:
        for finding in problems:
            finding.severity = WARNING
    return table


def read_tables(tokens: list[Token], default_format: str | None = None) -> list[TextTable]:
    """The tables in a stream of tokens (from text, or from a grid's cells)."""
    tokens = numbered(tokens)
    if not tokens:
        return []
    items = label_items(tokens)
    found: list[TextTable] = []
    for reader in (_RequestsReader, _ActiveReader, _AppealsReader):
        found += reader(tokens, items, default_format or "2021").tables()
    found.sort(key=lambda t: t.first)
    kept: list[TextTable] = []
    for table in found:  # overlapping readings: the one with more cells wins
        if kept and table.first <= kept[-1].last:
            if len(table.recognized.cells) > len(kept[-1].recognized.cells):
                kept[-1] = table
            continue
        kept.append(table)
    return kept


def label_items(tokens: list[Token]) -> list[Item]:
    """The labels of the stream: runs of label tokens cut at their numbering."""
    items: list[Item] = []
    i = 0
    while i < len(tokens):
        if tokens[i].kind != LABEL:
            i += 1
            continue
        j = i
        while j + 1 < len(tokens) and tokens[j + 1].kind == LABEL:
            j += 1
        texts = [t.text for t in tokens[i : j + 1]]
        starts = list(itertools.accumulate([0] + [len(t) for t in texts]))
        joined = "".join(texts)
        for segment in _without_headings(segments(joined)):
            first = i + bisect.bisect_right(starts, segment.start, 0, len(texts)) - 1
            end = max(segment.start + len(segment.raw), segment.start + 1)
            last = i + bisect.bisect_left(starts, end, 0, len(texts)) - 1
            lead = len(segment.raw) - len(segment.raw.lstrip())
            column = tokens[first].start + max(0, segment.start + lead - starts[first - i])
            items.append(Item(first, last, segment, column))
        i = j + 1
    return items


def _without_headings(found: list[Segment]) -> list[Segment]:
    """A section heading run together with the table after it ("四、政府信息公开行政复议、行政诉讼情况
    行政复议行政诉讼结果维持…") is a label of its own, so the table starts after it."""
    out = []
    for segment in found:
        match = INLINE_HEADING.match(segment.raw.strip()) if segment.numbering else None
        if match is None or heading_section(match.group()) is None:
            out.append(segment)
            continue
        offset = segment.raw.index(match.group()) + len(match.group())
        out.append(segment._replace(text=fold(match.group()), raw=segment.raw[:offset], heading=True))
        rest = segment.raw[offset:]
        if fold(rest):
            out.append(Segment("", fold(rest), rest, segment.start + offset))
    return out


# ---------------------------------------------------------------- shared machinery


class _Reader:
    """Finds the tables of one kind in a token stream."""

    table = ""

    def __init__(self, tokens: list[Token], items: list[Item], default_format: str):
        self.tokens = tokens
        self.items = items
        self.default_format = default_format
        self.entries = entries(self.table)
        self.fits = [self._fit(item.segment) for item in items]

    def _fit(self, segment: Segment) -> _Fit:
        if segment.heading or (segment.raw.rstrip().endswith("。") and len(segment.text) > 12):
            return _NO_FIT  # a heading, or a sentence: no label of a table ends a sentence
        fit = _fit(self.table, segment.numbering, segment.text)
        if self.table == "active" and "条" in segment.raw:
            titles = block_titles(segment.raw)
            if titles:
                fit = fit._replace(block=titles[-1][2])
        return fit

    def align_rows(self, span: list[int], order: list[str]) -> dict[int, str]:
        """The best order-preserving assignment of the items in ``span`` to official rows:
        item index -> row key."""
        position = {key: i for i, key in enumerate(order)}
        best: dict[int, tuple[float, int | None, int | None]] = {}  # row position -> (total, item, previous row position)
        chosen_by_item: list[tuple[int, list[tuple[int, float]]]] = []
        context = None
        for k in span:
            fit = self.fits[k]
            if fit.group:
                context = fit.group
            candidates = []
            for key, value in fit.rows.items():
                if key not in position:
                    continue
                group = self._row_group(key)
                if context and group:
                    value += 0.05 if group == context else -0.05
                candidates.append((position[key], value))
            chosen_by_item.append((k, candidates))
        # DP over items in order: the best chain ending at each row position.
        table: dict[int, tuple[float, tuple]] = {}  # row position -> (score, chain of (item, row position))
        for k, candidates in chosen_by_item:
            updates = {}
            for row_position, value in candidates:
                previous = max(
                    ((s, chain) for p, (s, chain) in table.items() if p < row_position),
                    key=lambda pair: pair[0],
                    default=(0.0, ()),
                )
                total = previous[0] + value
                if total > table.get(row_position, (-1.0, ()))[0] and total > updates.get(row_position, (-1.0, ()))[0]:
                    updates[row_position] = (total, previous[1] + ((k, row_position),))
            table.update(updates)
        del best
        if not table:
            return {}
        _, chain = max(table.values(), key=lambda pair: pair[0])
        return {k: order[p] for k, p in chain}

    def _row_group(self, key: str) -> str:
        for fmt in ("2021", "2019"):
            spec = spec_for(self.table, fmt)
            if key in {r.key for r in spec.rows}:
                return spec.row(key).group
        return ""

    def value_runs(self, first: int, last: int) -> list[tuple[int, int]]:
        """[start, end) token ranges of the runs of figures, marks and empty cells in [first, last]."""
        runs, start = [], None
        for i in range(first, last + 1):
            if self.tokens[i].kind != LABEL:
                if start is None:
                    start = i
            elif start is not None:
                runs.append((start, i))
                start = None
        if start is not None:
            runs.append((start, last + 1))
        return runs

    def text_table(self, recognized: Recognized, first_item: int, last: int) -> TextTable:
        item = self.items[first_item]
        a, b = self.tokens[item.first], self.tokens[last]
        return TextTable(recognized, item.first, last, (a.line, item.column), (b.line, b.end))


class _RowReading(NamedTuple):
    cells: list[tuple[str, Token]] | None  # the cells' texts, each with the token it came from
    readings: list[tuple[str, ...]]  # glued figures: every decoding (several: ambiguous)
    tokens: list[Token]  # the figures as written
    problem: str  # "" | "count"
    glued: bool = False  # the cells were cut from figures written together


def read_row(values: list[Token], count: int, identities=(), zero_row_ok: bool = True, columns: list[float] | None = None) -> _RowReading:
    """The ``count`` cells of a row from the tokens written for it.  ``columns``: where each
    column's figures stand on their lines (text laid out in columns), when that is known."""
    figures = [t for t in values if t.kind in (NUMBER, MARK)]
    if columns and figures and (len(figures) < count or len({t.line for t in figures}) > 1):
        placed = _by_position(figures, columns)
        if placed is not None:
            return _RowReading(placed, [], figures, "")
    if len(figures) == count:
        return _RowReading([(t.text, t) for t in figures], [], figures, "")
    if len(figures) < count:
        slots = list(values)
        for attempt in (slots, _drop_leading_empties(slots)):
            if len(attempt) >= count and all(t in attempt[:count] for t in figures):
                return _RowReading([("" if t.kind == EMPTY else t.text, t) for t in attempt[:count]], [], figures, "")
        glued = any(t.kind == NUMBER and not t.cell for t in figures)  # cut from text run together, not cells apart
        if glued and all(t.kind == MARK or _digits(t.text) for t in figures):
            groups = [_digits(t.text) if t.kind == NUMBER else None for t in figures]
            readings = [_signed(r, figures) for r in decodings(groups, count, identities)]
            if len(readings) == 1:
                return _RowReading(_spread(readings[0], figures), [], figures, "", True)
            if readings:
                return _RowReading(None, readings, figures, "", True)
            if identities and decodings(groups, count, (), limit=1):
                return _RowReading(None, [], figures, "unbalanced", True)  # cells, but none adding up
        if zero_row_ok and figures and all(t.kind == MARK or parse_cell(t.text).value == 0 for t in figures):
            return _RowReading([("", figures[0])] * count, [], figures, "")
    return _RowReading(None, [], figures, "count")


def _by_position(figures: list[Token], columns: list[float]) -> list[tuple[str, Token]] | None:
    """Figures placed in the column they stand under (a row whose figures are spread over several
    lines, or whose blank cells left no trace in the text); None when one does not fit a column."""
    if len(columns) < 2:
        return None
    reach = max(2.0, min(b - a for a, b in zip(columns, columns[1:])) / 2)
    cells: list[tuple[str, Token] | None] = [None] * len(columns)
    for token in figures:
        middle = (token.start + token.end) / 2
        j = min(range(len(columns)), key=lambda k: abs(columns[k] - middle))
        if abs(columns[j] - middle) > reach or cells[j] is not None:
            return None
        cells[j] = (token.text, token)
    anchor = figures[0]
    return [cell or ("", Token(EMPTY, "", anchor.line, anchor.start, anchor.start, True, anchor.index)) for cell in cells]


def header_columns(tokens: list[Token], count: int, left: float = 0.0) -> list[float] | None:
    """Where ``count`` columns stand, read off a header laid out in columns: the middles of its
    words right of ``left``, the words standing under one another (a header word broken over lines)
    taken as one column.  None unless that gives ``count`` columns apart from each other."""
    if not any(t.aligned for t in tokens):
        return None  # cells split by | or tabs: their offsets say nothing of columns
    middles = sorted((t.start + t.end) / 2 for t in tokens if t.kind == LABEL and t.start >= left)
    clusters: list[list[float]] = []
    for middle in middles:
        if clusters and middle - clusters[-1][-1] <= 3:
            clusters[-1].append(middle)
        else:
            clusters.append([middle])
    if len(clusters) != count:
        return None
    columns = [statistics.mean(cluster) for cluster in clusters]
    return columns if all(b - a >= 4 for a, b in zip(columns, columns[1:])) else None


def column_positions(tokens: list[Token], count: int) -> list[float] | None:
    """Where the ``count`` columns stand in text laid out in columns (pdftotext -layout): the middles
    of the figures on the lines that hold exactly ``count`` of them, when those lines agree."""
    by_line: dict[int, list[Token]] = {}
    for token in tokens:
        if token.kind in (NUMBER, MARK) and token.aligned:
            by_line.setdefault(token.line, []).append(token)
    full = [sorted(line, key=lambda t: t.start) for line in by_line.values() if len(line) == count]
    if len(full) < 2:
        return None
    middles = [sorted((t.start + t.end) / 2 for t in line) for line in full]
    columns = [statistics.median(line[j] for line in middles) for j in range(count)]
    if any(b - a < 3 for a, b in zip(columns, columns[1:])):
        return None
    aligned = sum(1 for line in middles if all(abs(line[j] - columns[j]) <= 2 for j in range(count)))
    if aligned < max(2, 2 * len(middles) / 3):
        return None  # the figures do not line up: not text laid out in columns
    return columns


def _drop_leading_empties(tokens: list[Token]) -> list[Token]:
    i = 0
    while i < len(tokens) and tokens[i].kind == EMPTY:
        i += 1
    return tokens[i:]


_SIGNS = ("增加", "减少", "增", "减", "+", "-")


def _digits(text: str) -> str:
    """The digits of a figure glued to others (its sign left out), or "" when it is not one."""
    plain = text.replace(",", "").replace("，", "")
    for sign in _SIGNS:
        if plain.startswith(sign):
            plain = plain[len(sign) :]
            break
    return plain if plain.replace(".", "", 1).isdigit() else ""


def _sign(text: str) -> str:
    return next((sign for sign in _SIGNS if text.startswith(sign)), "")


def _signed(reading: tuple[str, ...], figures: list[Token]) -> tuple[str, ...]:
    """A decoding with each figure's sign put back on the first cell cut from it."""
    cells, k = list(reading), 0
    for token in figures:
        if token.kind == MARK:
            cells[k] = token.text
            k += 1
            continue
        sign, left = _sign(token.text), len(_digits(token.text))
        if sign:
            cells[k] = sign + cells[k]
        while left > 0:
            left -= len(cells[k].lstrip("".join(_SIGNS)))
            k += 1
    return tuple(cells)


def _spread(reading: tuple[str, ...], figures: list[Token]) -> list[tuple[str, Token]]:
    """Each decoded cell with the token it was cut from."""
    out, tokens = [], iter(figures)
    token = next(tokens)
    used = 0
    for cell in reading:
        size = 1 if token.kind == MARK else len(_digits(token.text))
        while used >= size:
            token, used = next(tokens), 0
            size = 1 if token.kind == MARK else len(_digits(token.text))
        out.append((cell, token))
        used += 1 if token.kind == MARK else len(cell.lstrip("".join(_SIGNS)))
    return out


# ---------------------------------------------------------------- table 三


_REQUEST_PARTS = (0, 1, 2, 3, 4, 5)
_ROW_IDENTITY = ((_REQUEST_PARTS, 6),)


class _RequestsReader(_Reader):
    table = "requests"
    columns: list[float] | None = None  # the region being read: where its columns stand, if laid out in columns

    def tables(self) -> list[TextTable]:
        out = []
        for span in self._regions():
            table = self._read(span)
            if table is not None:
                out.append(table)
        return out

    def _order(self) -> list[str]:
        rows21 = [r.key for r in spec_for("requests", "2021").rows]
        at = rows21.index("other_no_correction")
        return rows21[:at] + ["other"] + rows21[at:]

    def _regions(self) -> list[list[int]]:
        anchors = [k for k, fit in enumerate(self.fits) if self._anchors(k)]
        clusters: list[list[int]] = []
        for k in anchors:
            if clusters and self.items[k].first - self.items[clusters[-1][-1]].last <= GAP:
                clusters[-1].append(k)
            else:
                clusters.append([k])
        regions = []
        for cluster in clusters:
            rows = {max(self.fits[k].rows, key=self.fits[k].rows.get) for k in cluster}
            first, last = cluster[0], cluster[-1]
            while first > 0 and self._belongs(first - 1, self.items[first].first):
                first -= 1
            while last + 1 < len(self.items) and self._belongs(last + 1, self.items[last].last):
                last += 1
            span = list(range(first, last + 1))
            if len(rows) >= 3 or any(max(self.fits[k].rows.values()) >= 1.0 for k in cluster):
                regions.append(span)
        return regions

    def _anchors(self, k: int) -> bool:
        """A label that can only be a row of this table: close to an official label, and numbered
        as it or long enough not to be a word of prose ("予以公开" alone is both)."""
        fit, segment = self.fits[k], self.items[k].segment
        if not fit.rows or max(fit.rows.values()) < STRONG:
            return False
        return bool(segment.numbering) or len(segment.text) >= 8

    def _belongs(self, k: int, near: int) -> bool:
        """Whether item ``k`` (next to a table item at token ``near``) is part of the table."""
        item, fit = self.items[k], self.fits[k]
        if abs(item.first - near) > GAP:
            return False
        return bool(fit.rows or fit.group or fit.header or not item.segment.text)

    def _read(self, span: list[int]) -> TextTable | None:
        region = self.tokens[self.items[span[0]].first : self._end_token(span) + 1]
        self.columns = column_positions(region, 7) or self._header_columns(span, region)
        rows = self._rows(span)
        good = [k for k, values, key in rows if key and self._reads(values)]
        start = next((k for k in span if self.fits[k].header or k in good), None)
        if start is None:  # labels with figures that fit no row and no header: prose naming the rows,
            return self._unreadable(span)  # or a table extracted column by column
        if start != span[0]:
            span = [k for k in span if k >= start]
            rows = self._rows(span)
        if not rows and not self._has_header(span):
            return None
        recognized = self._recognize(rows)
        if recognized is None:
            return self._unreadable(span)
        used = [t for _, values, _ in rows for t in values]
        last = max([used[-1].index] if used else [self.items[span[-1]].last])
        return self.text_table(recognized, span[0], max(last, self.items[span[-1]].last))

    def _header_columns(self, span: list[int], region: list[Token]) -> list[float] | None:
        """The seven columns read off the header words above the first row (text laid out in
        columns whose rows are too sparse to show them)."""
        first_row = next((k for k in span if self.fits[k].rows and not self.fits[k].header), None)
        figures = [t.start for t in region if t.kind in (NUMBER, MARK)]
        if first_row is None or not figures:
            return None
        end = self.items[first_row].first
        spanning = {fold(w) for w in ("申请人情况", "法人或其他组织")}
        words = [t for t in region if t.index < end and t.kind == LABEL and fold(t.text) not in spanning]
        return header_columns(words, 7, left=min(figures) - 2)

    def _unreadable(self, span: list[int]) -> TextTable | None:
        """The rows are there, in order, but no figure sits by its row (a text extracted column by
        column): the table is present and unreadable, not missing."""
        anchored = {max(self.fits[k].rows, key=self.fits[k].rows.get) for k in span if self._anchors(k)}
        if len(anchored) < 5:
            return None
        found = Recognized("requests", self.default_format, {}, {}, format_known=False, intact=False)
        found.findings.append(Finding("unreadable-table", table="requests", params={"count": len(anchored)}))
        return self.text_table(found, span[0], self.items[span[-1]].last)

    def _reads(self, values: list[Token]) -> bool:
        reading = read_row(values, 7, _ROW_IDENTITY, zero_row_ok=False, columns=self.columns)
        return reading.cells is not None or bool(reading.readings)

    def _rows(self, span: list[int]) -> list[tuple[int, list[Token], str | None]]:
        """(item, figures, row key) of the span's rows, in the reading (figures after or before
        their label) that gives more rows the right number of figures."""
        assigned = self.align_rows(span, self._order())
        if not assigned:
            return []
        runs = self.value_runs(self.items[span[0]].first, self._end_token(span))
        best = None
        for mode in ("after", "before"):
            rows = self._attach(span, assigned, runs, mode)
            quality = sum(1 for _, values, key in rows if key and self._reads(values))
            if best is None or quality > best[0]:
                best = (quality, rows)
        return best[1]

    def _has_header(self, span: list[int]) -> bool:
        return sum(1 for k in span if self.fits[k].header) >= 1

    def _end_token(self, span: list[int]) -> int:
        """The table's last token: the figures after its last label, up to the next label."""
        last = self.items[span[-1]].last
        i = last + 1
        while i < len(self.tokens) and self.tokens[i].kind != LABEL:
            i += 1
        return i - 1

    def _attach(self, span, assigned, runs, mode) -> list[tuple[int, list[Token], str | None]]:
        """(item, figures, row key or None) for every item that gets figures."""
        owners = [k for k in span if k in assigned or (not self.fits[k].header and not self.fits[k].group)]
        out: dict[int, list[Token]] = {}
        for start, end in runs:
            if mode == "after":
                before = [k for k in owners if self.items[k].last < start]
                owner = self._owner_after(before, assigned)
            else:
                after = [k for k in owners if self.items[k].first >= end]
                owner = after[0] if after else None
                if owner is not None and owner not in assigned:
                    same_run = [k for k in after if self.items[k].first == self.items[owner].first and k in assigned]
                    owner = same_run[0] if same_run else owner
            if owner is None:
                continue
            out.setdefault(owner, []).extend(self.tokens[start:end])
        self._split_doubled(out, [k for k in owners if k in assigned])
        return [(k, out[k], assigned.get(k)) for k in sorted(out)]

    def _split_doubled(self, out: dict[int, list[Token]], rows: list[int]) -> None:
        """Twice a row's figures after one label and none after the next: the text (plain pdftotext)
        put a wrapped row's figures before its label, so the second half is the next row's."""
        for k, following in zip(rows, rows[1:]):
            figures = [t for t in out.get(k, []) if t.kind in (NUMBER, MARK)]
            if len(figures) == 2 * 7 and following not in out:
                cut = figures[7]
                at = out[k].index(cut)
                out[k], out[following] = out[k][:at], out[k][at:]

    def _owner_after(self, before: list[int], assigned: dict[int, str]) -> int | None:
        if not before:
            return None
        last = before[-1]
        if last in assigned:
            return last
        previous = [k for k in before if k in assigned]
        if previous and self._continues(last, assigned[previous[-1]]):
            return previous[-1]  # the figures sit beside a wrapped label's later line
        # a label's continuation after it in the same run of labels: the figures are the label's
        run_start = self.items[last].first
        same_run = [k for k in before if k in assigned and self._same_run(k, last)]
        return same_run[-1] if same_run and run_start >= self.items[same_run[-1]].first else last

    def _continues(self, k: int, key: str) -> bool:
        """Whether item ``k`` is the rest of row ``key``'s label, wrapped onto a later line."""
        segment = self.items[k].segment
        if segment.numbering or len(segment.text) < 2:
            return False
        from rapidfuzz import fuzz

        labels = [e.text for e in self.entries if e.kind == ROW and e.key == key]
        return any(fuzz.partial_ratio(segment.text, label) >= 80 for label in labels if len(label) > len(segment.text))

    def _same_run(self, a: int, b: int) -> bool:
        low, high = sorted((self.items[a].first, self.items[b].last))
        return all(self.tokens[i].kind == LABEL for i in range(low, high + 1))

    def _recognize(self, rows) -> Recognized | None:
        keys = {key for _, _, key in rows if key}
        if keys & {"other_no_correction", "other_no_fee", "other_other"}:
            fmt, known = "2021", True
        elif "other" in keys and any(key == "other" and values for _, values, key in rows):
            fmt, known = "2019", True
        else:
            fmt, known = self.default_format, False
        spec = spec_for("requests", fmt)
        found = Recognized("requests", fmt, {}, {}, format_known=known)
        order = [r.key for r in spec.rows]
        placed: dict[str, tuple[int, list[Token]]] = {}
        unplaced: list[tuple[int, list[Token]]] = []
        for k, values, key in rows:
            if key == "other" and fmt == "2021" and all(t.kind == EMPTY for t in values):
                continue
            if key is None or key not in order:
                unplaced.append((k, values))
            elif key in placed:
                found.findings.append(self._row_finding("duplicate-row", spec, key, k, values))
                found.intact = False
            else:
                placed[key] = (k, values)
        self._place_illegible(spec, order, placed, unplaced, found)
        readings: dict[str, _RowReading] = {}
        for key, (k, values) in placed.items():
            reading = read_row(values, len(spec.columns), _ROW_IDENTITY, columns=self.columns)
            if reading.problem == "unbalanced":
                found.findings.append(Finding("glued-row-unbalanced", table="requests", row=spec.row(key).display, given=_figures(reading.tokens)))
                continue
            if reading.cells is None and not reading.readings:
                found.findings.append(self._count_finding(spec, key, k, reading))
                found.intact = False
                continue
            readings[key] = reading
        self._resolve_glued(spec, readings, found)
        for key, reading in readings.items():
            if reading.cells is None:
                continue
            for column, (text, token) in zip(spec.columns, reading.cells):
                cell = (key, column.key)
                found.cells[cell] = parse_cell(text, spec.kind_of(cell))
                found.positions[cell] = (token.line, token.start)
        if not found.cells and not placed:
            return None
        present = set(placed)
        missing = [r for r in spec.rows if r.key not in present]
        if missing and present:
            found.findings.append(Finding("missing-rows", table="requests", params={"rows": [r.display for r in missing]}))
        return found

    def _place_illegible(self, spec, order, placed, unplaced, found) -> None:
        """Rows whose label fits no official row: placed where exactly as many official rows are
        missing between their neighbours, else reported with their figures."""
        by_item = sorted([(k, key) for key, (k, _) in placed.items()])
        groups: dict[tuple[int, int], list] = {}
        for k, values in unplaced:
            before = [order.index(key) for item, key in by_item if item < k]
            after = [order.index(key) for item, key in by_item if item > k]
            low = max(before) if before else -1
            high = min(after) if after else len(order)
            groups.setdefault((low, high), []).append((k, values))
        for (low, high), members in groups.items():
            free = [key for key in order[low + 1 : high] if key not in placed]
            if len(free) == len(members):
                for key, (k, values) in zip(free, members):
                    placed[key] = (k, values)
                    found.findings.append(
                        Finding("row-placed-by-position", table="requests", row=spec.row(key).display, given=self.items[k].segment.raw.strip())
                    )
                continue
            for k, values in members:
                if not [t for t in values if t.kind != EMPTY]:
                    continue
                rows = self.fits[k].rows
                best = max(rows, key=rows.get) if rows else None
                if best in placed and rows[best] >= STRONG:
                    found.findings.append(self._row_finding("duplicate-row", spec, best, k, values))
                else:
                    found.findings.append(
                        Finding("unplaced-row", table="requests", given=self.items[k].segment.raw.strip(), params={"figures": _figures(values)})
                    )
                found.intact = False

    def _row_finding(self, code, spec, key, k, values) -> Finding:
        return Finding(code, table=spec.table, row=spec.row(key).display, given=self.items[k].segment.raw.strip(), params={"figures": _figures(values)})

    def _count_finding(self, spec, key, k, reading: _RowReading) -> Finding:
        return Finding(
            "figure-count-mismatch",
            table=spec.table,
            row=spec.row(key).display,
            given=_figures(reading.tokens),
            expected=len(spec.columns_of(spec.row(key))),
            params={"count": len(reading.tokens)},
        )

    def _resolve_glued(self, spec, readings: dict[str, _RowReading], found: Recognized) -> None:
        """Rows of glued figures with several readings: keep the combination the column rules
        allow; cells every remaining reading agrees on are read, the others reported."""
        open_rows = {key: r.readings for key, r in readings.items() if r.cells is None}
        if not open_rows:
            if any(r.glued for r in readings.values()):
                found.findings.append(Finding("glued-cells", table=spec.table))
            return
        known = {}
        for key, reading in readings.items():
            if reading.cells is not None:
                for column, (text, _) in zip(spec.columns, reading.cells):
                    value = parse_cell(text).value
                    if value is not None:
                        known[(key, column.key)] = Decimal(value)
        keys = sorted(open_rows)
        combos = list(itertools.islice(itertools.product(*(open_rows[k] for k in keys)), 20000))
        survivors = [c for c in combos if _rules_broken(spec, known, dict(zip(keys, c))) == 0]
        if not survivors and combos:
            # no reading balances the table: it holds an error.  The reading that breaks fewest rules
            # is the table as written when it is the only one; then the engine locates the error
            broken = [_rules_broken(spec, known, dict(zip(keys, c))) for c in combos]
            fewest = [c for c, n in zip(combos, broken) if n == min(broken)]
            survivors = fewest if len(fewest) == 1 else []
            if not survivors:
                found.findings.append(Finding("glued-unbalanced", table=spec.table, params={"count": len(combos)}))
        pool = survivors or combos
        found.findings.append(Finding("glued-cells", table=spec.table))
        for i, key in enumerate(keys):
            options = {combo[i] for combo in pool}
            reading = readings[key]
            if len(options) == 1:
                readings[key] = reading._replace(cells=_spread(next(iter(options)), [t for t in reading.tokens if t.kind == NUMBER]))
                continue
            columns = spec.columns
            agreed = [len({o[j] for o in options}) == 1 for j in range(len(columns))]
            first = next(iter(options))
            token = reading.tokens[0]
            cells = [(first[j] if agreed[j] else "", token) for j in range(len(columns))]
            readings[key] = reading._replace(cells=None)
            for j, column in enumerate(columns):
                cell = (key, column.key)
                if agreed[j]:
                    found.cells[cell] = parse_cell(first[j], spec.kind_of(cell))
                else:
                    found.cells[cell] = CellValue(_figures(reading.tokens), INVALID, problem="ambiguous")
                found.positions[cell] = (token.line, token.start)
            del cells
            found.findings.append(
                Finding(
                    "ambiguous-reading",
                    table=spec.table,
                    row=spec.row(key).display,
                    given=_figures(reading.tokens),
                    params={"readings": " / ".join(" ".join(o) for o in sorted(options)[:4]), "count": len(options)},
                )
            )


def _rules_broken(spec, known: dict, chosen: dict[str, tuple[str, ...]]) -> int:
    """How many of the table's rules a reading of its glued rows breaks (rules with a cell not
    read are left out)."""
    values = dict(known)
    for key, reading in chosen.items():
        for column, text in zip(spec.columns, reading):
            values[(key, column.key)] = Decimal(text or 0)
    return sum(
        1
        for rule in spec.rules
        if all(cell in values for cell in rule.cells) and sum(values[cell] * coefficient for cell, coefficient in rule.terms) != 0
    )


def _figures(tokens: list[Token]) -> str:
    return " ".join(t.text if t.kind != EMPTY else "□" for t in tokens if t.kind != EMPTY) or "—"


# ---------------------------------------------------------------- table 二

_ACTIVE_ORDER = ("regulations", "normative_documents", "licensing", "other_services", "penalties", "coercion", "fees", "procurement")


class _ActiveReader(_Reader):
    table = "active"

    def tables(self) -> list[TextTable]:
        anchors = [k for k, fit in enumerate(self.fits) if fit.block or self._is_content_header(k) or (fit.rows and max(fit.rows.values()) >= STRONG)]
        clusters: list[list[int]] = []
        for k in anchors:
            if clusters and self.items[k].first - self.items[clusters[-1][-1]].last <= GAP:
                clusters[-1].append(k)
            else:
                clusters.append([k])
        out = []
        for cluster in clusters:
            structure = any(self.fits[k].block or self._is_content_header(k) for k in cluster)
            rows = {max(self.fits[k].rows, key=self.fits[k].rows.get) for k in cluster if self.fits[k].rows}
            if not structure or not rows:
                continue
            cluster = cluster[next(i for i, k in enumerate(cluster) if self.fits[k].block or self._is_content_header(k)) :]
            table = self._read(cluster)
            if table is not None:
                out.append(table)
        return out

    def _columns(self, k: int, count: int, owners: list[int], attached: dict) -> list[float] | None:
        """Where row ``k``'s columns stand in text laid out in columns: the figures of a full row of
        its block, else the header words after its block's "信息内容"."""
        header = max((h for h in range(k + 1) if self._is_content_header(h)), default=None)
        if header is None:
            return None
        block = [o for o in owners if header <= o and not any(self._is_content_header(h) for h in range(header + 1, o + 1))]
        full = [t for o in block for t in attached.get(o, []) if t.kind in (NUMBER, MARK)]
        found = column_positions(full, count) if len({t.line for t in full}) > 1 else None
        if found:
            return found
        item = self.items[header]
        content = next((t for t in self.tokens[item.first : item.last + 1] if "信息内容" in fold(t.text)), None)
        if content is None:
            return None
        end = self.items[k].last if header == k else self.items[k].first  # the header and the row label in one run
        words = [t for t in self.tokens[content.index + 1 : end] if t.kind == LABEL]
        return header_columns(words, count, left=content.end + 1) if words else None

    def _is_content_header(self, k: int) -> bool:
        return "信息内容" in self.items[k].segment.text

    def _format(self, cluster: list[int], assigned: dict[int, str]) -> tuple[str, bool]:
        text = "".join(self.items[k].segment.text for k in range(cluster[0], cluster[-1] + 1))
        only = {}
        for fmt, other in (("2021", "2019"), ("2019", "2021")):
            mine = {c.label for c in spec_for("active", fmt).columns} - {c.label for c in spec_for("active", other).columns}
            only[fmt] = sum(1 for label in mine if label and _fold(label) in text)
        keys = set(assigned.values())
        only["2019"] += 2 * len(keys & {"other_services", "procurement"})
        only["2019"] += 2 * any(self.fits[k].block == "第二十条第(九)项" for k in cluster)
        if only["2019"] > only["2021"]:
            return "2019", True
        if only["2021"] > only["2019"]:
            return "2021", True
        return self.default_format, False

    def _read(self, cluster: list[int]) -> TextTable | None:
        span = list(range(cluster[0], cluster[-1] + 1))
        assigned = self.align_rows(span, list(_ACTIVE_ORDER))
        if not assigned:
            return None
        fmt, known = self._format(cluster, assigned)
        spec = spec_for("active", fmt)
        header_text = "".join(self.items[k].segment.raw for k in span)
        first_token = self.items[span[0]].first
        last_token = self._end_token(span[-1])
        runs = self.value_runs(first_token, last_token)
        owners = [k for k in span if k in assigned]
        found = Recognized("active", fmt, {}, {}, format_known=known, decimals=asked_decimals(header_text))
        attached: dict[int, list[Token]] = {}
        for start, end in runs:
            before = [k for k in owners if self.items[k].last < start]
            if before:
                attached.setdefault(before[-1], []).extend(self.tokens[start:end])
        valid = {r.key for r in spec.rows}
        seen: set[str] = set()
        for k in owners:
            key, values = assigned[k], attached.get(k, [])
            if key not in valid:
                if [t for t in values if t.kind != EMPTY]:
                    found.findings.append(Finding("unplaced-row", table="active", given=self.items[k].segment.raw.strip(), params={"figures": _figures(values)}))
                    found.intact = False
                continue
            if key in seen:
                found.findings.append(Finding("duplicate-row", table="active", row=spec.row(key).display, given=self.items[k].segment.raw.strip(), params={"figures": _figures(values)}))
                found.intact = False
                continue
            seen.add(key)
            columns = spec.columns_of(spec.row(key))
            reading = read_row(values, len(columns), columns=self._columns(k, len(columns), owners, attached))
            if reading.cells is None:
                if reading.readings:
                    found.findings.append(
                        Finding(
                            "ambiguous-reading",
                            table="active",
                            row=spec.row(key).display,
                            given=_figures(reading.tokens),
                            params={"readings": " / ".join(" ".join(o) for o in reading.readings[:4]), "count": len(reading.readings)},
                        )
                    )
                    for column in columns:
                        found.cells[(key, column.key)] = CellValue(_figures(reading.tokens), INVALID, problem="ambiguous")
                        found.positions[(key, column.key)] = (reading.tokens[0].line, reading.tokens[0].start)
                    continue
                if not reading.tokens:
                    continue
                found.findings.append(self._count_finding(spec, key, reading))
                found.intact = False
                continue
            for column, (text, token) in zip(columns, reading.cells):
                cell = (key, column.key)
                found.cells[cell] = parse_cell(text, spec.kind_of(cell))
                found.positions[cell] = (token.line, token.start)
        if not found.cells and found.intact:
            return None
        missing = [r for r in spec.rows if r.key not in seen]
        if missing and seen:
            found.findings.append(Finding("missing-rows", table="active", params={"rows": [r.display for r in missing]}))
        used = [t for k in owners for t in attached.get(k, [])]
        last = max([used[-1].index] if used else [self.items[span[-1]].last])
        return self.text_table(found, span[0], max(last, self.items[span[-1]].last))

    def _end_token(self, k: int) -> int:
        i = self.items[k].last + 1
        while i < len(self.tokens) and self.tokens[i].kind != LABEL:
            i += 1
        return i - 1

    def _count_finding(self, spec, key, reading: _RowReading) -> Finding:
        return Finding(
            "figure-count-mismatch",
            table=spec.table,
            row=spec.row(key).display,
            given=_figures(reading.tokens),
            expected=len(spec.columns_of(spec.row(key))),
            params={"count": len(reading.tokens)},
        )


def _fold(text: str) -> str:
    from gkreport.labels import fold

    return fold(text)


# ---------------------------------------------------------------- table 四

_APPEAL_GROUP_WORDS = ("行政复议", "行政诉讼", "未经复议直接起诉", "复议后起诉")
_APPEAL_LEAF_WORDS = ("结果维持", "结果纠正", "其他结果", "尚未审结")
_BLOCKS = (((0, 1, 2, 3), 4), ((5, 6, 7, 8), 9), ((10, 11, 12, 13), 14))


class _AppealsReader(_Reader):
    table = "appeals"

    def tables(self) -> list[TextTable]:
        out = []
        k = 0
        while k < len(self.items):
            words = self._words(k)
            if not words & {"行政复议", "行政诉讼"}:
                k += 1
                continue
            cluster = [k]
            seen = set(words)
            j = k + 1
            while j < len(self.items) and self.items[j].first - self.items[cluster[-1]].last <= GAP and self._words(j) and not self._has_values_between(cluster[-1], j):
                seen |= self._words(j)
                cluster.append(j)
                j += 1
            structure = {"行政复议", "行政诉讼"} <= seen and (seen & {"未经复议直接起诉", "复议后起诉"} or len(seen & set(_APPEAL_LEAF_WORDS)) >= 2)
            if structure:
                table = self._read(cluster)
                if table is not None:
                    out.append(table)
                    k = j
                    continue
            k += 1
        return out

    def _words(self, k: int) -> set[str]:
        if self.items[k].segment.heading:
            return set()
        text = self.items[k].segment.text
        return {w for w in _APPEAL_GROUP_WORDS + _APPEAL_LEAF_WORDS + ("总计",) if w in text}

    def _has_values_between(self, a: int, b: int) -> bool:
        return any(self.tokens[i].kind in (NUMBER, MARK) for i in range(self.items[a].last + 1, self.items[b].first))

    def _read(self, cluster: list[int]) -> TextTable | None:
        last_header = self.items[cluster[-1]].last
        i = last_header + 1
        skipped = 0
        while i < len(self.tokens) and self.tokens[i].kind == LABEL and skipped < 3 and len(self.tokens[i].text) <= 12:
            i, skipped = i + 1, skipped + 1  # vertical header letters, a short row label
        values = []
        labelled = {t.line for t in self.tokens[self.items[cluster[0]].first : i] if t.kind == LABEL}
        while i < len(self.tokens) and self.tokens[i].kind != LABEL:
            token = self.tokens[i]
            if not (token.kind == EMPTY and token.line in labelled):  # separators left after the header's cells
                values.append(token)
            i += 1
        figures = [t for t in values if t.kind != EMPTY]
        spec = spec_for("appeals", self.default_format)
        if not figures and len(values) < len(spec.columns):
            return None  # a blank table 四 has its fifteen empty cells
        found = Recognized("appeals", self.default_format, {}, {}, format_known=False)
        reading = read_row(values, len(spec.columns), _BLOCKS)
        if reading.problem == "unbalanced":
            found.findings.append(Finding("glued-row-unbalanced", table="appeals", row="", given=_figures(reading.tokens)))
        elif reading.cells is None:
            if reading.readings:
                found.findings.append(
                    Finding(
                        "ambiguous-reading",
                        table="appeals",
                        row="",
                        given=_figures(reading.tokens),
                        params={"readings": " / ".join(" ".join(o) for o in reading.readings[:4]), "count": len(reading.readings)},
                    )
                )
                for column in spec.columns:
                    found.cells[("cases", column.key)] = CellValue(_figures(figures), INVALID, problem="ambiguous")
            else:
                found.findings.append(
                    Finding("figure-count-mismatch", table="appeals", row="", given=_figures(figures), expected=len(spec.columns), params={"count": len(figures)})
                )
                found.intact = False
        else:
            if reading.glued:
                found.findings.append(Finding("glued-cells", table="appeals"))
            for column, (text, token) in zip(spec.columns, reading.cells):
                cell = ("cases", column.key)
                found.cells[cell] = parse_cell(text, spec.kind_of(cell))
                found.positions[cell] = (token.line, token.start)
        return self.text_table(found, cluster[0], values[-1].index)
