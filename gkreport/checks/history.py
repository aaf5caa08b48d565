"""This year's report against last year's (``gk check --previous LAST``; the filter's metadata
``gk-check: {previous: path}``).

* 二、上年结转 (this year) = 四、结转下年度继续办理 (last year), column by column: an error;
* 现行有效件数 = last year's + 本年制发 − 本年废止, for 规章 and 行政规范性文件: a warning at most
  (amendments and reorganisations break it);
* each section's prose against the same section last year: near-identical text (内容雷同) is a
  warning with its similarity;
* the format version of the two reports.
"""

from __future__ import annotations

from difflib import SequenceMatcher

from gkreport.findings import Finding
from gkreport.spec import CARRY_OVER, IN_FORCE, SECTIONS

COPIED = 0.9  # similarity from which a section counts as copied
MIN_LENGTH = 40  # characters; shorter sections ("无。") are alike by nature


def history_findings(current, previous) -> list[Finding]:
    """``current`` and ``previous`` are ReportResults."""
    findings: list[Finding] = []
    now = {t.table: t for t in current.tables if t.checked is not None}
    before = {t.table: t for t in previous.tables if t.checked is not None}
    carry = CARRY_OVER.table
    if carry in now and carry in before:
        spec = now[carry].recognized.spec
        for column in spec.columns:
            given = now[carry].checked.values.get((CARRY_OVER.row, column.key))
            expected = before[carry].checked.values.get((CARRY_OVER.previous_row, column.key))
            if given is not None and expected is not None and given != expected:
                row = spec.row(CARRY_OVER.row).label
                where = {"table": carry, "row": row, "column": column.display}
                findings.append(Finding("carryover-mismatch", **where, given=given, expected=expected))
    stock = IN_FORCE.table
    if stock in now and stock in before and now[stock].format == before[stock].format == IN_FORCE.format:
        values, last = now[stock].checked.values, before[stock].checked.values
        spec = now[stock].recognized.spec
        for row in IN_FORCE.rows:
            cells = [values.get((row, c)) for c in (IN_FORCE.stock, IN_FORCE.added, IN_FORCE.removed)]
            cells.append(last.get((row, IN_FORCE.stock)))
            if None in cells:
                continue
            in_force, added, removed, last_in_force = cells
            expected = last_in_force + added - removed
            if in_force != expected:
                where = {"table": stock, "row": spec.row(row).label, "column": spec.column(IN_FORCE.stock).label}
                params = {"previous": last_in_force}
                findings.append(Finding("in-force-drift", **where, given=in_force, expected=expected, params=params))
    findings += _copied_sections(current.paragraphs, previous.paragraphs)
    if current.format and previous.format and current.format != previous.format:
        findings.append(Finding("format-changed", given=current.format, expected=previous.format))
    return findings


def _copied_sections(now: list, before: list) -> list[Finding]:
    def by_section(paragraphs):
        out: dict = {}
        for section, text in paragraphs:
            if section:
                out[section] = out.get(section, "") + text
        return out

    this_year, last_year = by_section(now), by_section(before)
    findings = []
    for number, title, _ in SECTIONS:
        a, b = this_year.get(number, ""), last_year.get(number, "")
        if min(len(a), len(b)) < MIN_LENGTH:
            continue
        similarity = SequenceMatcher(None, a, b, autojunk=False).ratio()
        if similarity >= COPIED:
            findings.append(Finding("copied-section", params={"section": f"{number}、{title}", "similarity": round(similarity * 100)}))
    return findings
