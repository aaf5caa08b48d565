"""Checking a whole document: find the three tables in a pandoc document and check each.

The adapters (the pandoc filter, the command line) call ``check_document`` on a panflute
``Doc`` and use the ``ReportResult``: the findings, and for every recognized table the
elements it came from, so the filter can put the official table in their place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import panflute as pf

from .engine import CheckedTable, check_table
from .findings import Finding
from .grid import grid_from_panflute
from .blocks import blocks
from .flattened import grid_from_lines, is_table_line, table_regions, take_recognized, unflatten_paragraphs
from .recognize import Recognized, merge_active, recognize
from .prose import prose_findings
from .sections import heading_lines, heading_section, heading_texts, is_numbered, report_findings, section_headings, year_from_text
from .timeliness import timeliness_findings

DATA_BLOCK_CLASSES = frozenset({"gkreport", "gk"})  # fenced data blocks (see sparse.py)


@dataclass
class TableResult:
    recognized: Recognized
    checked: CheckedTable | None  # None when checking failed internally (see findings)
    elements: list[pf.Element]  # where the table was written: one element, or several block tables of 二
    findings: list[Finding] = field(default_factory=list)

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


def report_year(doc: pf.Doc) -> int | None:
    """The report's year: metadata ``year``, else the title, else the text."""
    for key in ("year", "gk-year"):
        value = doc.get_metadata(key, None)
        if value is not None:
            match = re.search(r"20\d\d", str(value))
            if match:
                return int(match.group())
    match = _YEAR.search(str(doc.get_metadata("title", "")))
    if match:
        return int(match.group(1))
    texts = [pf.stringify(e) for e in doc.content[:60] if isinstance(e, (pf.Header, pf.Para, pf.Plain))]
    return year_from_text(texts)


def format_for_year(year: int | None) -> str | None:
    if year is None:
        return None
    return "2021" if year >= 2021 else "2019"


def candidates(doc: pf.Doc, errors: list[Finding]) -> list[tuple[Recognized, list[pf.Element]]]:
    """Every recognized table in document order, block tables of 二 merged.

    A table whose recognition fails internally is reported in ``errors`` and left alone.
    """
    found: list[tuple[Recognized, list[pf.Element]]] = []
    default = format_for_year(report_year(doc))

    def visit(elem):
        try:
            if isinstance(elem, pf.Table):
                recognized = take_recognized(elem) or recognize(grid_from_panflute(elem), default)
            elif isinstance(elem, pf.CodeBlock) and set(elem.classes) & DATA_BLOCK_CLASSES:
                from .sparse import parse_data_block  # only documents with data blocks pay for YAML/CSV

                recognized = parse_data_block(elem.text, elem.classes, elem.attributes, default)
            else:
                return
        except Exception as exc:  # noqa: BLE001 - the filter must never crash pandoc
            errors.append(_internal_error(None, exc, "internal-error-document"))
            return
        if recognized is None:
            return
        adjacent = bool(found) and isinstance(elem, pf.Table) and found[-1][1][-1] is elem.prev
        add_table(found, recognized, [elem], adjacent)

    for elem in blocks(doc.content):
        visit(elem)
    return found


def add_table(found: list, recognized: Recognized, elements: list, adjacent: bool) -> None:
    """Append a recognized table; a block table of 二 right after another part of 二 joins it."""
    if found and adjacent:
        previous, previous_elements = found[-1]
        if recognized.table == "active" == previous.table and not (recognized.rows_present & previous.rows_present):
            found[-1] = (merge_active([previous, recognized]), previous_elements + elements)
            return
    found.append((recognized, elements))


def check_document(doc: pf.Doc) -> ReportResult:
    """Check every table of the document, and the document as a report.

    Paragraphs holding a flattened table are first replaced by real tables (the document is
    changed in place; only paragraphs that hold one of the three tables are).
    """
    unflatten_paragraphs(doc)
    errors: list[Finding] = []
    found = candidates(doc, errors)
    meta = {key: doc.get_metadata(key, None) for key in ("level", "date")}
    return assemble(report_year(doc), heading_texts(doc), found, errors, _doc_paragraphs(doc), meta)


def _doc_paragraphs(doc: pf.Doc) -> list[tuple[str | None, str]]:
    """Every top-level paragraph's text with the section it stands in."""
    section, out = None, []
    for elem in doc.content:
        if isinstance(elem, pf.Header):
            section = heading_section(pf.stringify(elem)) or section
        elif isinstance(elem, (pf.Para, pf.Plain)):
            text = pf.stringify(elem)
            number = heading_section(text) if len(text) <= 60 and is_numbered(text) else None
            if number:
                section = number
            else:
                out.append((section, text))
    return out


def check_text(text: str) -> ReportResult:
    """Check a report published as plain text (copied from a web page), without pandoc.

    The same checks as ``check_document`` on ``textdoc.doc_from_text(text)``, reading the
    lines directly: this is the path ``gk audit`` takes through thousands of reports.
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    errors: list[Finding] = []
    found = []
    for start, end in table_regions(lines):
        try:
            recognized = recognize(grid_from_lines(lines[start:end]))
        except Exception as exc:  # noqa: BLE001 - one broken region must not stop the report
            errors.append(_internal_error(None, exc, "internal-error-document"))
            continue
        if recognized is None:
            continue
        add_table(found, recognized, [], adjacent=True)  # consecutive regions of the text
    prose = [line.strip() for line in lines if line.strip() and not is_table_line(line)]
    title = next((line for line in prose[:10] if _TITLE.search(line)), "")
    match = _YEAR.search(title)
    year = int(match.group(1)) if match else year_from_text(prose)
    headings = heading_lines(prose)
    section, paragraphs = None, []
    for line in prose:
        number = heading_section(line) if line in headings else None
        if number:
            section = number
        else:
            paragraphs.append((section, line))
    return assemble(year, headings, found, errors, paragraphs)


_TITLE = re.compile(r"(20\d\d)\s*年.*(政府信息公开|政务公开).*报告")


def assemble(year, headings, found, errors, paragraphs=(), meta=None) -> ReportResult:
    """Check the recognized tables in the report's format, then the report as a whole: sections,
    the prose against the tables, the publication date."""
    known = [r.format for r, _ in found if r.format_known]
    fmt = max(set(known), key=known.count) if known else format_for_year(year)
    tables = []
    for recognized, elements in found:
        if not recognized.format_known and fmt and recognized.format != fmt:
            recognized.format = fmt
        tables.append(check_recognized(recognized, elements))
    findings = errors + [f for t in tables for f in t.findings]
    findings += report_findings(section_headings(headings), tables, year)
    findings += prose_findings(list(paragraphs), tables)
    meta = meta or {}
    findings += timeliness_findings(year, meta.get("level"), meta.get("date"))
    return ReportResult(year, fmt, tables, findings, list(paragraphs))


def check_recognized(recognized: Recognized, elements: list[pf.Element]) -> TableResult:
    """Check one table; an internal failure becomes a finding and the table is left as written."""
    try:
        checked = check_table(recognized.spec, recognized.cells)
    except Exception as exc:  # noqa: BLE001 - the filter must never crash pandoc
        return TableResult(recognized, None, elements, recognized.findings + [_internal_error(recognized.table, exc)])
    return TableResult(recognized, checked, elements, recognized.findings + checked.findings)


def _internal_error(table: str | None, exc: Exception, code: str = "internal-error") -> Finding:
    import traceback

    reason = f"{type(exc).__name__}: {exc}"
    return Finding(code, table=table, params={"reason": reason, "trace": traceback.format_exc()})


def check_model(document) -> ReportResult:
    """Check a ``model.Document`` from any reader: its tables, data blocks, flattened tables in its
    paragraphs, and the report as a whole.  Each TableResult's ``elements`` are the blocks the
    table came from (their ``origin`` tells the reader where it was)."""
    from .model import DataBlock, Heading, Paragraph, Table

    metadata = document.metadata
    year = _metadata_year(metadata) or _title_year(document.title)
    texts = [b.text for b in document.blocks if isinstance(b, (Heading, Paragraph))]
    year = year or year_from_text(texts)
    default = format_for_year(year)
    errors: list[Finding] = []
    found: list = []
    headings: list[str] = []
    paragraphs: list[tuple[str | None, str]] = []
    section = None
    previous_table = None

    def prose_line(line: str) -> None:
        nonlocal section
        line = line.strip()
        if not line:
            return
        number = heading_section(line) if len(line) <= 60 and is_numbered(line) else None
        if number:
            headings.append(line)
            section = number
        else:
            paragraphs.append((section, line))

    run: list = []  # consecutive paragraphs: their lines are read together

    def flush_run() -> None:
        nonlocal previous_table
        if not run:
            return
        lines, owners = [], []
        for block in run:
            for line in block.lines:
                lines.append(line)
                owners.append(block)
        done = 0
        for start, end in table_regions(lines):
            try:
                recognized = recognize(grid_from_lines(lines[start:end]), default)
            except Exception as exc:  # noqa: BLE001 - one broken region must not stop the report
                errors.append(_internal_error(None, exc, "internal-error-document"))
                continue
            if recognized is None:
                continue
            for line in lines[done:start]:
                prose_line(line)
            blocks_of_table = list(dict.fromkeys(owners[start:end]))
            add_table(found, recognized, blocks_of_table, adjacent=previous_table == "text")
            previous_table = "text"
            done = end
        for line in lines[done:]:
            prose_line(line)
        run.clear()

    for block in document.blocks:
        if isinstance(block, Paragraph):
            run.append(block)
            continue
        flush_run()
        if isinstance(block, Heading):
            headings.append(block.text)
            section = heading_section(block.text) or section
            previous_table = None
            continue
        try:
            if isinstance(block, Table):
                recognized = recognize(block.grid, default)
            elif isinstance(block, DataBlock) and set(block.classes) & DATA_BLOCK_CLASSES:
                from .sparse import parse_data_block

                recognized = parse_data_block(block.text, block.classes, block.attributes, default)
            else:
                continue
        except Exception as exc:  # noqa: BLE001 - the filter must never crash pandoc
            errors.append(_internal_error(None, exc, "internal-error-document"))
            continue
        if recognized is None:
            previous_table = None
            continue
        add_table(found, recognized, [block], adjacent=previous_table == "table")
        previous_table = "table"
    flush_run()
    meta = {key: metadata.get(key) for key in ("level", "date")}
    return assemble(year, headings, found, errors, paragraphs, meta)


def _metadata_year(metadata: dict) -> int | None:
    for key in ("year", "gk-year"):
        match = re.search(r"20\d\d", str(metadata.get(key) or ""))
        if match:
            return int(match.group())
    return None


def _title_year(title: str) -> int | None:
    match = _YEAR.search(title or "")
    return int(match.group(1)) if match else None
