"""Checking report files: what ``gk check``, ``gk extract``, ``gk audit``, ``gk aggregate``, ``gk fix``,
the filter's ``previous`` and ``%gkcheck`` all call.

``check_file(path)`` reads one input into the document model and checks it; it never raises (an
unreadable file sets ``FileReport.error``, anything unexpected becomes an ``internal-error`` finding).
``FileReport`` and ``TableSummary`` are what every adapter prints or serializes; ``exit_status`` and
``summarize`` are the same for every command.
"""

from __future__ import annotations

import traceback
from dataclasses import dataclass, field
from typing import Any

from gkreport.checks.history import history_findings
from gkreport.checks.report import ReportResult, check_model
from gkreport.findings import ERROR, INFO, WARNING, Finding, by_severity, count_by_severity
from gkreport.readers.files import ReadError, read_model
from gkreport.readers.pandoc import document_from_pandoc
from gkreport.readers.text import read_text
from gkreport.services.deepstack import run_deep
from gkreport.values import format_number

EXIT_OK, EXIT_ERRORS, EXIT_UNREADABLE = 0, 1, 2

EXTRACT_COLUMNS = ("path", "table", "format", "row_key", "column_key", "row", "column", "value", "status", "written")


@dataclass
class TableSummary:
    table: str
    format: str | None
    cells: int = 0
    deduced: int = 0  # the values the checked table shows that the author did not write

    @classmethod
    def of(cls, table) -> TableSummary:
        """The summary of one checked table (a ``checks.report.TableResult``)."""
        deduced = len(table.checked.deduced) if table.checked is not None else 0
        return cls(table.table, table.format, len(table.recognized.cells), deduced)

    def to_dict(self) -> dict:
        return {"table": self.table, "format": self.format, "cells": self.cells, "deduced": self.deduced}


@dataclass
class FileReport:
    path: str
    year: int | None = None
    format: str | None = None
    tables: list[TableSummary] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    error: ReadError | None = None  # the file could not be read
    result: Any = None  # the ReportResult, for commands that need the cells

    @classmethod
    def of(cls, path: str, result, findings: list[Finding] | None = None) -> FileReport:
        """The report of a checked document; ``findings`` when not all of the result's are to be shown."""
        shown = list(result.findings if findings is None else findings)
        return cls(path, result.year, result.format, [TableSummary.of(t) for t in result.tables], shown, result=result)

    def to_dict(self, lang: str) -> dict:
        out: dict[str, Any] = {
            "path": self.path,
            "year": self.year,
            "format": self.format,
            "tables": [t.to_dict() for t in self.tables],
            "findings": [f.to_dict(lang) for f in by_severity(self.findings)],
        }
        if self.error is not None:
            out["error"] = self.error.message(lang)
        return out


def check_file(path: str, from_format: str | None = None) -> FileReport:
    """Read and check one input; never raises.  A deeply nested document is read again on a deep stack."""
    report = _check_file(path, from_format)
    if _too_deep(report):
        report = run_deep(_check_file, path, from_format)
        if _too_deep(report):
            report = FileReport(path, error=ReadError("nested", path))
    return report


def _too_deep(report: FileReport) -> bool:
    reasons = [report.error.detail] if report.error is not None else []
    reasons += [str(f.params.get("reason", "")) for f in report.findings if f.code.startswith("internal-error")]
    return any(reason.startswith("RecursionError") or "RecursionError:" in reason for reason in reasons)


def _check_file(path: str, from_format: str | None = None) -> FileReport:
    try:
        source = read_model(path, from_format)
    except ReadError as exc:
        return FileReport(path, error=exc)
    except Exception as exc:  # noqa: BLE001 - read_model promises ReadError only, but never a traceback
        return FileReport(path, error=ReadError("unreadable", path, f"{type(exc).__name__}: {exc}"))
    try:
        return FileReport.of(path, check_model(source))
    except Exception as exc:  # noqa: BLE001
        reason = f"{type(exc).__name__}: {exc}"
        return FileReport(path, findings=[Finding("internal-error", params={"reason": reason, "trace": traceback.format_exc()})])


def check_text(text: str) -> ReportResult:
    """Check a report published as plain text (copied from a page, extracted from a PDF)."""
    return check_model(read_text(text))


def check_document(doc) -> ReportResult:
    """Check a pandoc document (panflute ``Doc``); the result's blocks' origins are its elements."""
    return check_model(document_from_pandoc(doc))


def previous_findings(result, previous_path: str, from_format: str | None = None) -> list[Finding]:
    """The year-over-year findings of ``result`` against last year's report (read, never written)."""
    previous = check_file(previous_path, from_format)
    if previous.error is not None:
        reason = {"zh": previous.error.message("zh"), "en": previous.error.message("en")}
        return [Finding("previous-unreadable", params={"reason": reason})]
    if previous.result is None:
        return [Finding("previous-unreadable", params={"reason": {"zh": "内部错误", "en": "internal error"}})]
    if not previous.result.tables and previous.result.year is None:
        return [Finding("previous-not-a-report", params={"path": previous_path})]
    return history_findings(result, previous.result)


def check_against_previous(report: FileReport, previous_path: str, from_format: str | None = None) -> None:
    """Add the year-over-year findings of ``report`` against last year's report."""
    if report.result is not None:
        report.findings += previous_findings(report.result, previous_path, from_format)


def exit_status(reports: list[FileReport]) -> int:
    """0 no error finding (warnings allowed), 1 some error finding, 2 an input could not be read."""
    if any(r.error is not None for r in reports):
        return EXIT_UNREADABLE
    if any(f.severity == ERROR for r in reports for f in r.findings):
        return EXIT_ERRORS
    return EXIT_OK


def summarize(reports: list[FileReport]) -> dict[str, int]:
    counts = count_by_severity([f for r in reports for f in r.findings])
    return {
        "files": len(reports),
        "tables": sum(len(r.tables) for r in reports),
        "errors": counts[ERROR],
        "warnings": counts[WARNING],
        "infos": counts[INFO],
        "unreadable": sum(1 for r in reports if r.error is not None),
    }


def cell_records(report: FileReport) -> list[dict]:
    """Every cell of every recognized table: official row and column, value, and how it was obtained."""
    records = []
    for table in report.result.tables if report.result else []:
        checked, spec = table.checked, table.recognized.spec
        for cell in spec.cells:
            row, column = spec.describe(cell)
            value = checked.values.get(cell) if checked else None
            written = table.recognized.cells.get(cell)
            records.append(
                {
                    "path": report.path,
                    "table": table.table,
                    "format": table.format,
                    "row_key": cell[0],
                    "column_key": cell[1],
                    "row": row,
                    "column": column,
                    "value": format_number(value) if value is not None else None,
                    "status": cell_status(cell, written, checked),
                    "written": written.raw if written is not None else None,
                }
            )
    return records


def cell_status(cell, written, checked) -> str:
    """given | deduced | withheld (determined, left blank) | blank (read as 0) | unknown | invalid | missing."""
    if checked is not None and cell in checked.deduced:
        return "deduced"
    if checked is not None and cell in checked.withheld:
        return "withheld"
    if written is None:
        return "missing"
    return {"given": "given", "blank": "blank", "invalid": "invalid"}.get(written.state, "unknown")
