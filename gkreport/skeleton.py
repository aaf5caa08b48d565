"""``gk new``: the whole report as a Markdown skeleton, ready to write.

Metadata (body, year, level, date), the six sections with guidance comments, and the three
tables empty in the official layout (pandoc grid tables with their merged cells) in the format
of the year (2021 from the 2021 report on; 2019 on request).  Left empty, the tables read as
all zero: a valid report that builds as it is.
"""

from __future__ import annotations

import datetime

from .engine import check_table
from .gridtable import grid_table
from .spec import spec_for
from .values import BLANK, CellValue

GUIDANCE = {
    "一、总体情况": "概述本年度政府信息公开工作：主动公开、依申请公开、政府信息管理、平台建设、监督保障（可分(一)至(五)小节）。",
    "二、主动公开政府信息情况": "下表只填数字；空白单元格按 0 处理。",
    "三、收到和处理政府信息公开申请情况": "“总计”列与“(七)总计”行可留空，由 gk-check 按勾稽关系推算；第一项加第二项之和等于第三项加第四项之和。",
    "四、政府信息公开行政复议、行政诉讼情况": "各“总计”可留空，自动推算。",
    "五、存在的主要问题及改进情况": "写明存在的主要问题和改进措施（政府报告还应写考核、社会评议和责任追究结果情况）。",
    "六、其他需要报告的事项": "如收取信息处理费的情况；没有则写“无”。",
}
TABLE_OF_SECTION = {"二": "active", "三": "requests", "四": "appeals"}


def empty_table(table: str, fmt: str) -> str:
    spec = spec_for(table, fmt)
    checked = check_table(spec, {cell: CellValue("", BLANK) for cell in spec.cells})
    return grid_table(checked, fill=False)


def skeleton(org: str, year: int, fmt: str | None = None, level: str = "department", date: str | None = None) -> str:
    fmt = fmt or ("2021" if year >= 2021 else "2019")
    date = date or datetime.date(year + 1, 1, 31 if level == "department" else 1).isoformat()
    lines = [
        "---",
        f"title: {year}年{org}政府信息公开工作年度报告",
        f"org: {org}",
        f"year: {year}",
        f"level: {level}  # department（部门，1月31日前公布）或 government（政府，3月31日前公布）",
        f"date: {date}",
        "---",
        "",
        f"本报告根据《中华人民共和国政府信息公开条例》编制，数据统计期限为{year}年1月1日至{year}年12月31日。",
        "",
    ]
    for heading, guidance in GUIDANCE.items():
        lines += [f"# {heading}", "", f"<!-- {guidance} -->", ""]
        table = TABLE_OF_SECTION.get(heading[0])
        if table:
            lines += [empty_table(table, fmt).rstrip("\n"), ""]
        else:
            lines += ["（在此填写）", ""]
    return "\n".join(lines)
