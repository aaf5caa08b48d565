"""Whole-report checks: the six sections, the three tables, the year and the format version.

They apply to a document that is a report (at least two of the six section headings are
there); a fragment holding only a table gets none of them.
"""

from __future__ import annotations

import re

import panflute as pf

from gkreport.findings import Finding
from gkreport.labels import fold
from gkreport.spec import SECTION_NUMBERS, SECTIONS, TABLE_SECTION, format_for_year

_NUMBER = f"[{''.join(SECTION_NUMBERS)}]"  # the number of one of the six sections
_NUMBERED = re.compile(rf"^\s*({_NUMBER})\s*[、.．]")
_YEAR_IN_TEXT = re.compile(r"(?:统计(?:时限|期限|时间)[^0-9]{0,6}|^)(20\d\d)\s*年(?:度)?(?:1月1日|政府信息公开|政务公开)")


def is_numbered(text: str) -> bool:
    """Whether a line opens like a section heading ("二、…")."""
    return _NUMBERED.match(text) is not None


def heading_section(text: str) -> str | None:
    """Which of the six sections a heading line opens, or None."""
    text = text.strip()
    if not text or len(text) > 60:
        return None
    numbered = _NUMBERED.match(text)
    folded = fold(text)
    if numbered and "*" in text:  # a redacted heading ("二、****政府信息情况") keeps its number
        return numbered.group(1)
    for number, _, words in SECTIONS:
        if any(w in folded for w in words) and (numbered is None or numbered.group(1) == number):
            if numbered or len(folded) <= 24:
                return number
    return None


INLINE_HEADING = re.compile(rf"({_NUMBER})\s*[、.．]\s*([^。，,；;：:\d]{{2,40}}?(?:情况|事项)|{SECTIONS[0].title})")


def split_inline_headings(text: str) -> list[str]:
    """A long line holding its section headings inline ("…一、总体情况2021年，我区…二、主动公开…")
    cut into headings and the text between them; a short line is returned as it is."""
    if len(text) <= 80:
        return [text]
    pieces, done = [], 0
    for match in INLINE_HEADING.finditer(text):
        heading = match.group()
        if heading_section(heading) is None:
            continue
        if match.start() > done:
            pieces.append(text[done : match.start()])
        pieces.append(heading)
        done = match.end()
    pieces.append(text[done:])
    return [p for p in (piece.strip() for piece in pieces) if p]


def heading_texts(doc: pf.Doc) -> list[str]:
    """Texts that may open a section: headings, and paragraphs numbered like "二、…"."""
    texts = []
    for elem in doc.content:
        if isinstance(elem, pf.Header):
            texts.append(pf.stringify(elem))
        elif isinstance(elem, (pf.Para, pf.Plain)):
            text = pf.stringify(elem)
            if _NUMBERED.match(text):
                texts.append(text)
    return texts


def heading_lines(lines: list[str]) -> list[str]:
    """The lines of a plain-text report that may open a section (numbered like "二、…")."""
    return [line for line in lines if _NUMBERED.match(line)]


def section_headings(texts: list[str]) -> list[str]:
    """The section numbers the heading texts open, in order of first appearance."""
    found = []
    for text in texts:
        number = heading_section(text)
        if number and number not in found:
            found.append(number)
    return found


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
