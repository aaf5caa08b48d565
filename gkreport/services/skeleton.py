"""``gk new``: the whole report as a Markdown skeleton, ready to write.

The text is ``templates/skeleton.md`` (metadata, the six sections with guidance comments); its
``${active}``, ``${requests}`` and ``${appeals}`` slots get the three tables empty in the official
layout (pandoc grid tables with their merged cells) in the format of the year (2021 from the 2021
report on; 2019 on request).  Left empty, the tables read as all zero: a valid report that
builds as it is.
"""

from __future__ import annotations

import datetime
from string import Template

from gkreport.checks.engine import check_table
from gkreport.render.gridtable import grid_table
from gkreport.spec import TABLES, format_for_year, spec_for
from gkreport.values import BLANK, CellValue


def empty_table(table: str, fmt: str) -> str:
    spec = spec_for(table, fmt)
    checked = check_table(spec, {cell: CellValue("", BLANK) for cell in spec.cells})
    return grid_table(checked, fill=False).rstrip("\n")


def skeleton(org: str, year: int, fmt: str | None = None, level: str = "department", date: str | None = None) -> str:
    from gkreport.services.build import template

    fmt = fmt or format_for_year(year)
    date = date or datetime.date(year + 1, 1 if level == "department" else 3, 31).isoformat()
    text = template("skeleton.md").read_text(encoding="utf-8")
    tables = {table: empty_table(table, fmt) for table in TABLES}
    return Template(text).safe_substitute(org=org, year=year, level=level, date=date, **tables)
