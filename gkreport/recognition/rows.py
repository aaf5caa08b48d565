"""What every table's reader shares: how a label fits a table, and the alignment of a span's labels
with the official row order.

``label_fit`` says what one label may be in one table: official rows (with scores), a row group, a
header.  ``Reader.align_rows`` is the best order-preserving assignment of a span's labels to the
official rows (dynamic programming over the labels in order), so a short, variant, Traditional,
redacted, mistyped or wrapped label is placed by what fits it and by where it stands.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache
from typing import NamedTuple

from gkreport.findings import Finding
from gkreport.recognition.figures import RowReading, as_written
from gkreport.recognition.result import Recognized
from gkreport.recognition.stream import Item
from gkreport.recognition.tokens import LABEL, Token
from gkreport.recognition.vocabulary import GROUP, HEADER, ROW, Segment, entries, score
from gkreport.spec import FORMATS, TableSpec, spec_for

STRONG = 0.85  # a label this close to an official row anchors a table
WEAK = 0.5  # below this a label fits no row
GAP = 90  # tokens between two rows of one table, at most
LONGEST_LABEL = 64  # folded characters: a longer text is prose, or labels run together


@dataclass
class TextTable:
    recognized: Recognized
    first: int  # first and last token (inclusive) of the table
    last: int
    start: tuple[int, int]  # (line, column) where the table starts
    end: tuple[int, int]  # (line, column) where it ends


class Fit(NamedTuple):
    rows: dict[str, float]  # row key -> score (shared between items: never changed)
    group: str | None
    header: bool
    block: str | None


NO_FIT = Fit({}, None, False, None)


@lru_cache(maxsize=32768)
def label_fit(table: str, numbering: str, text: str) -> Fit:
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
    return Fit(rows, group if group_score >= 0.9 else None, header, None)


@cache
def _row_groups(table: str) -> dict[str, str]:
    """Row key -> the group it stands in, over both formats (the newest format's word)."""
    return {row.key: row.group for fmt in reversed(FORMATS) for row in spec_for(table, fmt).rows}


class Reader:
    """Finds the tables of one kind in a token stream."""

    table = ""

    def __init__(self, tokens: list[Token], items: list[Item], default_format: str):
        self.tokens = tokens
        self.items = items
        self.default_format = default_format
        self.entries = entries(self.table)
        self.fits = [self.fit(item.segment) for item in items]

    def fit(self, segment: Segment) -> Fit:
        if segment.heading or (segment.raw.rstrip().endswith("。") and len(segment.text) > 12):
            return NO_FIT  # a heading, or a sentence: no label of a table ends a sentence
        return label_fit(self.table, segment.numbering, segment.text)

    def align_rows(self, span: list[int], order: tuple[str, ...]) -> dict[int, str]:
        """The best order-preserving assignment of the items in ``span`` to official rows:
        item index -> row key."""
        position = {key: i for i, key in enumerate(order)}
        groups = _row_groups(self.table)
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
                group = groups.get(key, "")
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
        if not table:
            return {}
        _, chain = max(table.values(), key=lambda pair: pair[0])
        return {k: order[p] for k, p in chain}

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

    def end_token(self, k: int) -> int:
        """The last token of item ``k``'s figures: up to the next label."""
        i = self.items[k].last + 1
        while i < len(self.tokens) and self.tokens[i].kind != LABEL:
            i += 1
        return i - 1

    def text_table(self, recognized: Recognized, first_item: int, last: int) -> TextTable:
        item = self.items[first_item]
        a, b = self.tokens[item.first], self.tokens[last]
        return TextTable(recognized, item.first, last, (a.line, item.column), (b.line, b.end))

    def given(self, k: int) -> str:
        """Item ``k``'s label as written."""
        return self.items[k].segment.raw.strip()


def count_finding(spec: TableSpec, key: str, reading: RowReading) -> Finding:
    """A row whose figures are not as many as its cells, in no reading."""
    return Finding(
        "figure-count-mismatch",
        table=spec.table,
        row=spec.row(key).display,
        given=as_written(reading.tokens),
        expected=len(spec.columns_of(spec.row(key))),
        params={"count": len(reading.tokens)},
    )


def ambiguous_finding(spec: TableSpec, key: str, reading: RowReading, readings: list[tuple[str, ...]]) -> Finding:
    """A row of glued figures with several readings left (the first four named)."""
    return Finding(
        "ambiguous-reading",
        table=spec.table,
        row=spec.row(key).display,
        given=as_written(reading.tokens),
        params={"readings": " / ".join(" ".join(o) for o in readings[:4]), "count": len(readings)},
    )
