"""Checking a whole report: find the three tables in a ``model.Document`` and check each, then
the report as a whole.

``check_model(document)`` is the one entry point; every reader produces the document
(``readers``).  ``check_text`` and ``check_document`` are shorthands for plain text and for a
pandoc document.  The ``ReportResult`` holds the findings and, for every recognized table, the
blocks it came from (their ``origin`` lets an adapter find it again) and, for a table read from
text, the span of text it covers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from gkreport.checks.engine import CheckedTable, check_table
from gkreport.checks.prose import prose_findings
from gkreport.checks.sections import ALL_SECTIONS, report_findings, year_from_text
from gkreport.checks.timeliness import timeliness_findings
from gkreport.findings import Finding
from gkreport.headings import heading_section, is_numbered, section_headings, split_inline_headings
from gkreport.model import DATA_BLOCK_CLASSES, DataBlock, Document, Heading, Paragraph, Table
from gkreport.recognition.grids import recognize
from gkreport.recognition.result import Recognized, merge_active
from gkreport.recognition.text import find_tables
from gkreport.spec import SECTION_NUMBERS, TABLE_SECTION, format_for_year


@dataclass
class TextSpan:
    """Where a table read from text stands: from (block, line in block, column) to (…), end exclusive."""

    start: tuple[int, int, int]
    end: tuple[int, int, int]

    def whole_lines(self, blocks: list) -> bool:
        """Whether the table takes whole lines (nothing else written on its first and last line)."""
        first, last = blocks[self.start[0]], blocks[self.end[0]]
        head = first.lines[self.start[1]][: self.start[2]]
        tail = last.lines[self.end[1]][self.end[2] :]
        return not head.strip(" \t|｜") and not tail.strip(" \t|｜")


@dataclass
class TableResult:
    recognized: Recognized
    checked: CheckedTable | None  # None when checking failed internally (see findings)
    elements: list  # the model blocks the table was written in: one, or several (block tables of 二, lines of text)
    findings: list[Finding] = field(default_factory=list)
    span: TextSpan | None = None  # for a table read from text: where in ``elements`` it stands

    @property
    def table(self) -> str:
        return self.recognized.table

    @property
    def format(self) -> str:
        return self.recognized.format


@dataclass
class ReportResult:
    year: int | None
    format: str | None
    tables: list[TableResult]
    findings: list[Finding]
    paragraphs: list[tuple[str | None, str]] = field(default_factory=list)  # (section, text) of the prose


_YEAR = re.compile(r"(20\d\d)\s*年")


def report_year(document: Document) -> int | None:
    """The report's year: metadata ``year``, else the title, else the text."""
    for key in ("year", "gk-year"):
        match = re.search(r"20\d\d", str(document.metadata.get(key) or ""))
        if match:
            return int(match.group())
    match = _YEAR.search(document.title)
    if match:
        return int(match.group(1))
    texts = []
    for block in document.blocks:
        if isinstance(block, (Heading, Paragraph)):
            texts.extend(line for line in block.text.split("\n") if line.strip())
        if len(texts) >= 60:
            break
    return year_from_text(texts)


class _Found:
    """The tables found so far, in document order, with where each was written."""

    def __init__(self) -> None:
        self.tables: list[tuple[Recognized, list, TextSpan | None]] = []

    def add(self, recognized: Recognized, elements: list, span: TextSpan | None, adjacent: bool) -> None:
        """A block table of 二 right after another part of 二 joins it."""
        if self.tables and adjacent:
            previous, previous_elements, previous_span = self.tables[-1]
            if recognized.table == "active" == previous.table and not (recognized.rows_present & previous.rows_present):
                self.tables[-1] = (merge_active([previous, recognized]), previous_elements + elements, previous_span)
                return
        self.tables.append((recognized, elements, span))

    def continues(self, block: Table, recognized: Recognized | None, default: str | None) -> bool:
        """Whether ``block`` is the rest of the table before it, cut by a page break (a PDF's table
        continued on the next page, its header repeated): if so the two are read as one grid."""
        before, elements, span = self.tables[-1]
        if span is not None or not all(isinstance(e, Table) for e in elements) or not _missing_at(before, start=False):
            return False
        if recognized is not None and (recognized.table != before.table or recognized.rows_present & before.rows_present):
            return False
        joined = recognize([row for e in elements for row in e.grid] + block.grid, default)
        if joined is None or joined.table != before.table or not joined.intact or not joined.rows_present > before.rows_present:
            return False
        self.tables[-1] = (joined, elements + [block], None)
        return True


def check_model(document: Document) -> ReportResult:
    """Check every table of the document, and the document as a report."""
    year = report_year(document)
    default = format_for_year(year)
    errors: list[Finding] = []
    found = _Found()
    headings: list[str] = []
    paragraphs: list[tuple[str | None, str]] = []
    section: list[str | None] = [None]

    events: list[tuple[str, object]] = []  # ("heading", section) | ("table", Recognized) | ("prose", text), in order

    def prose(text: str) -> None:
        for piece in split_inline_headings(text.strip()):
            number = heading_section(piece) if len(piece) <= 60 and is_numbered(piece) else None
            if number:
                headings.append(piece)
                section[0] = number
                events.append(("heading", number))
            elif piece:
                paragraphs.append((section[0], piece))
                events.append(("prose", piece))

    run: list[Paragraph] = []
    previous = None  # what the last block was: "table", "text" table, or None

    for block in document.blocks:
        if isinstance(block, Paragraph):
            run.append(block)
            continue
        if run:
            previous = _read_run(run, default, found, errors, prose, previous, events)
            run = []
        if isinstance(block, Heading):
            headings.append(block.text)
            section[0] = heading_section(block.text) or section[0]
            if heading_section(block.text):
                events.append(("heading", section[0]))
            previous = None
            continue
        recognized = _recognize_block(block, default, errors)
        if previous == "table" and isinstance(block, Table) and found.continues(block, recognized, default):
            events[-1] = ("table", found.tables[-1][0])
            continue
        if recognized is None:
            previous = None
            continue
        found.add(recognized, [block], None, adjacent=previous == "table")
        events.append(("table", recognized))
        previous = "table"
    if run:
        _read_run(run, default, found, errors, prose, previous, events)
    meta = {key: document.metadata.get(key) for key in ("level", "date")}
    meta["title"] = document.title
    meta["visible"] = visible_sections(events)
    return assemble(year, headings, found.tables, errors, paragraphs, meta)


def visible_sections(events: list[tuple[str, object]]) -> tuple[str, str]:
    """The sections a text covers, first and last.  An excerpt that starts inside a table (its
    first rows missing, no heading before it) or stops inside one (its last rows missing, or
    right after the heading of a table's section) says nothing of the sections beyond."""
    first, last = ALL_SECTIONS
    tables = [(i, e[1]) for i, e in enumerate(events) if e[0] == "table"]
    headings = [i for i, e in enumerate(events) if e[0] == "heading"]
    if tables:
        i, recognized = tables[0]
        if not [h for h in headings if h < i] and _missing_at(recognized, start=True):
            first = SECTION_NUMBERS[min(SECTION_NUMBERS.index(TABLE_SECTION[recognized.table]) + 1, len(SECTION_NUMBERS) - 1)]
        i, recognized = tables[-1]
        if not [h for h in headings if h > i] and _missing_at(recognized, start=False):
            last = TABLE_SECTION[recognized.table]
    if headings and last == SECTION_NUMBERS[-1]:
        h = headings[-1]
        number = events[h][1]
        table_after = any(i > h and TABLE_SECTION[r.table] == number for i, r in tables)
        if number in TABLE_SECTION.values() and not table_after:
            last = SECTION_NUMBERS[SECTION_NUMBERS.index(number) - 1]  # stops after the heading, before its table
    return first, last


def _missing_at(recognized: Recognized, start: bool) -> bool:
    """Whether the table lacks rows at its start (or end) only: the text was cut there."""
    order = [r.key for r in recognized.spec.rows]
    present = [i for i, key in enumerate(order) if key in recognized.rows_present]
    if not present or len(present) == len(order):
        return False
    missing = [i for i in range(len(order)) if i not in present]
    return all(i < present[0] for i in missing) if start else all(i > present[-1] for i in missing)


def _recognize_block(block, default: str | None, errors: list[Finding]) -> Recognized | None:
    try:
        if isinstance(block, Table):
            return recognize(block.grid, default)
        if isinstance(block, DataBlock) and set(block.classes) & DATA_BLOCK_CLASSES:
            from gkreport.recognition.datablock import parse_data_block  # only documents with data blocks pay for YAML/CSV

            return parse_data_block(block.text, block.classes, block.attributes, default)
    except Exception as exc:  # noqa: BLE001 - the filter must never crash pandoc
        errors.append(_internal_error(None, exc, "internal-error-document"))
    return None


def _read_run(run: list[Paragraph], default, found: _Found, errors, prose, previous, events) -> str | None:
    """The tables in a run of paragraphs (read as one text), and the prose around them."""
    lines: list[str] = []
    owners: list[tuple[int, int]] = []  # (paragraph of the run, line within it) of each line
    for b, paragraph in enumerate(run):
        for i, line in enumerate(paragraph.lines):
            lines.append(line)
            owners.append((b, i))
    try:
        tables = find_tables(lines, default)
    except Exception as exc:  # noqa: BLE001 - one broken text must not stop the report
        errors.append(_internal_error(None, exc, "internal-error-document"))
        tables = []
    position = (0, 0)
    for table in tables:
        _prose_between(lines, position, table.start, prose)
        position = table.end
        (b0, i0), (b1, i1) = owners[table.start[0]], owners[table.end[0]]
        span = TextSpan((0, i0, table.start[1]), (b1 - b0, i1, table.end[1]))
        found.add(table.recognized, run[b0 : b1 + 1], span, adjacent=previous == "text")
        events.append(("table", table.recognized))
        previous = "text"
    _prose_between(lines, position, (len(lines) - 1, len(lines[-1]) if lines else 0), prose)
    return previous if tables else None


def _prose_between(lines: list[str], start: tuple[int, int], end: tuple[int, int], prose) -> None:
    """The text from (line, column) ``start`` to ``end`` (exclusive), a paragraph per line."""
    for number in range(start[0], end[0] + 1):
        if number >= len(lines):
            break
        line = lines[number]
        a = start[1] if number == start[0] else 0
        b = end[1] if number == end[0] else len(line)
        if line[a:b].strip():
            prose(line[a:b])


def assemble(year, headings, found, errors, paragraphs=(), meta=None) -> ReportResult:
    """Check the recognized tables in the report's format, then the report as a whole: sections,
    the prose against the tables, the publication date."""
    known = [entry[0].format for entry in found if entry[0].format_known]
    # on a tie, the format of the first table in the document (never the order of a set)
    fmt = max(dict.fromkeys(known), key=known.count) if known else format_for_year(year)
    tables = []
    for recognized, elements, *rest in found:
        if not recognized.format_known and fmt and recognized.format != fmt:
            recognized = replace(recognized, format=fmt)  # a table that does not tell takes the report's
        result = check_recognized(recognized, elements)
        result.span = rest[0] if rest else None
        tables.append(result)
    findings = errors + [f for t in tables for f in t.findings]
    meta = meta or {}
    visible = meta.get("visible") or ALL_SECTIONS
    findings += report_findings(section_headings(headings), tables, year, meta.get("title", ""), visible)
    findings += prose_findings(list(paragraphs), tables)
    findings += timeliness_findings(year, meta.get("level"), meta.get("date"))
    return ReportResult(year, fmt, tables, findings, list(paragraphs))


def check_recognized(recognized: Recognized, elements: list) -> TableResult:
    """Check one table; an internal failure becomes a finding and the table is left as written."""
    try:
        checked = check_table(recognized.spec, recognized.cells)
    except Exception as exc:  # noqa: BLE001 - the filter must never crash pandoc
        return TableResult(recognized, None, elements, recognized.findings + [_internal_error(recognized.table, exc)])
    return TableResult(recognized, checked, elements, recognized.findings + checked.findings + _decimal_findings(recognized))


FEN_DECIMALS = 6  # an amount in 万元 with 6 decimals is exact to the fen


def _decimal_findings(recognized: Recognized) -> list[Finding]:
    """Amounts written with more decimals than the header asks for, or finer than a fen: a
    presentation matter, a warning; the value is used as written."""
    spec, out = recognized.spec, []
    for cell, value in recognized.cells.items():
        if value.problem != "decimals" or value.state != "given":
            continue
        decimals = -value.value.as_tuple().exponent
        if (recognized.decimals is not None and decimals > recognized.decimals) or decimals > FEN_DECIMALS:
            row, column = spec.describe(cell)
            out.append(Finding("too-many-decimals", table=spec.table, row=row, column=column, given=value.raw.strip()))
    return out


def _internal_error(table: str | None, exc: Exception, code: str = "internal-error") -> Finding:
    import traceback

    reason = f"{type(exc).__name__}: {exc}"
    return Finding(code, table=table, params={"reason": reason, "trace": traceback.format_exc()})
