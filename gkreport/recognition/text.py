"""Tables that reach the checker as text, read by aligning what was written with the official tables.

The text becomes a stream of tokens (``tokens.tokenize``): labels, figures, blank marks and
empty cells, whatever separated them.  Its labels (``stream.label_items``) are offered to the
reader of each table (``requests``, ``active``, ``appeals``), which finds where its table stands
by what only that table has, aligns the written labels with the official rows (``rows``) and
places each row's figures in the official column order (``figures``).  Where two readings
overlap, the one with more cells is the table.

``find_tables(lines)`` returns every table found, with the tokens and lines it spans.  A
written row whose figures cannot be placed (no official row fits it, a row written twice, a
count of figures that fits no reading) is an error naming it, and the table is marked as not
``intact``: the filter then leaves it as written.
"""

from __future__ import annotations

from gkreport.findings import WARNING, Finding
from gkreport.recognition.active import ActiveReader
from gkreport.recognition.appeals import AppealsReader
from gkreport.recognition.requests import RequestsReader
from gkreport.recognition.rows import TextTable
from gkreport.recognition.stream import label_items, marks_after_rows
from gkreport.recognition.tokens import Token, numbered, tokenize
from gkreport.spec import DEFAULT_FORMAT

READERS = (RequestsReader, ActiveReader, AppealsReader)
PLACEMENT_CODES = frozenset({"unplaced-row", "duplicate-row", "figure-count-mismatch"})
UNREADABLE_ROWS = 3  # rows of a text whose figures cannot be placed: from this many, no row of it is trusted


def find_tables(lines: list[str], default_format: str | None = None) -> list[TextTable]:
    return [_as_read_from_text(t) for t in read_tables(marks_after_rows(tokenize(lines)), default_format)]


def read_tables(tokens: list[Token], default_format: str | None = None) -> list[TextTable]:
    """The tables in a stream of tokens (from text, or from a grid's cells)."""
    tokens = numbered(tokens)
    if not tokens:
        return []
    items = label_items(tokens)
    found: list[TextTable] = []
    for reader in READERS:
        found += reader(tokens, items, default_format or DEFAULT_FORMAT).tables()
    found.sort(key=lambda t: t.first)
    kept: list[TextTable] = []
    for table in found:  # overlapping readings: the one with more cells wins
        if kept and table.first <= kept[-1].last:
            if len(table.recognized.cells) > len(kept[-1].recognized.cells):
                kept[-1] = table
            continue
        kept.append(table)
    return kept


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
