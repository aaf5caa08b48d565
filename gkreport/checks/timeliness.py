"""Publication on time (条例 art. 49): a department's report by 31 January of the next year, a
government's own report by 31 March.  Needs the level and the publication date (metadata
``level``: department | government, ``date``)."""

from __future__ import annotations

import datetime
import re

from gkreport.findings import Finding

LEVELS = {"department": ("department", 1, 31), "部门": ("department", 1, 31), "government": ("government", 3, 31), "政府": ("government", 3, 31)}
LEVEL_NAMES = {"department": "部门报告 1 月 31 日前", "government": "政府报告 3 月 31 日前"}


def parse_date(text) -> datetime.date | None:
    if isinstance(text, datetime.date):
        return text
    match = re.search(r"(\d{4})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})", str(text or ""))
    if not match:
        return None
    try:
        return datetime.date(*map(int, match.groups()))
    except ValueError:
        return None


def timeliness_findings(year: int | None, level, date) -> list[Finding]:
    found = LEVELS.get(str(level or "").strip().split()[0] if str(level or "").strip() else "")
    published = parse_date(date)
    if year is None or found is None or published is None:
        return []
    kind, month, day = found
    deadline = datetime.date(year + 1, month, day)
    if published <= deadline:
        return []
    return [Finding("late-publication", given=published.isoformat(), expected=deadline.isoformat(), params={"level": LEVEL_NAMES[kind]})]
