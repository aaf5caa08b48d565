"""Whole-report checks: the six sections, the three tables, the year and the format version.

They apply to a document that is a report (at least two of the six section headings are
there); a fragment holding only a table gets none of them.
"""

from __future__ import annotations

import re

from gkreport.findings import Finding
from gkreport.spec import SECTION_NUMBERS, SECTIONS, TABLE_SECTION, format_for_year

_YEAR_IN_TEXT = re.compile(r"(?:统计(?:时限|期限|时间)[^0-9]{0,6}|^)(20\d\d)\s*年(?:度)?(?:1月1日|政府信息公开|政务公开)")


_ANY_YEAR = re.compile(r"(20\d\d)\s*年")


def year_from_text(texts: list[str]) -> int | None:
    """The statistical period or title year; failing those, the first year the prose names."""
    texts = texts[:60]
    for text in texts:
        match = _YEAR_IN_TEXT.search(text)
        if match:
            return int(match.group(1))
    for text in texts:
        match = _ANY_YEAR.search(text)
        if match:
            return int(match.group(1))
    return None


_ANNUAL_REPORT = re.compile(r"(政府信息公开|政务公开).{0,6}(年度)?报告|年报")


ALL_SECTIONS = (SECTION_NUMBERS[0], SECTION_NUMBERS[-1])


def report_findings(
    headings: list[str], tables: list, year: int | None, title: str = "", visible: tuple[str, str] = ALL_SECTIONS
) -> list[Finding]:
    """Sections present and in order, the three tables present, the format against the year.

    They apply to a report: two of the six section headings, or a title naming an annual report.
    ``visible`` is the range of sections the text covers: an excerpt that starts or stops inside a
    table says nothing about the sections outside it.
    """
    if len(headings) < 2 and not _ANNUAL_REPORT.search(title or ""):
        return []
    order = SECTION_NUMBERS
    shown = set(order[order.index(visible[0]) : order.index(visible[1]) + 1])
    findings = []
    if len(headings) >= 2:
        missing = [f"{n}、{title}" for n, title, _ in SECTIONS if n not in headings and n in shown]
        if missing:
            findings.append(Finding("missing-section", params={"sections": missing}))
        positions = [order.index(n) for n in headings]
        if positions != sorted(positions):
            findings.append(Finding("section-order", params={"found": "、".join(headings)}))
    present = {t.table for t in tables}
    for table, number in TABLE_SECTION.items():
        if table not in present and number in shown:
            findings.append(Finding("missing-table", table=table))
    if year is not None:
        expected = format_for_year(year)
        for t in tables:
            if t.recognized.format_known and t.format != expected:
                findings.append(Finding("format-year-mismatch", table=t.table, given=t.format, expected=expected, params={"year": year}))
    return findings
