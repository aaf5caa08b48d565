"""``gk aggregate``: consolidate the reports of several bodies into one.

A government's disclosure office adds up the tables of its departments (or a department those
of its subordinate units).  ``aggregate(paths)`` checks every input with ``services.check.check_file``,
refuses what cannot be added up honestly, and sums every cell of the three tables cell by cell:
counts as ``int``, amounts (table 二's 行政事业性收费 / 采购总金额) exactly as ``Decimal``.

Refusals (``AggregateError``, worded in Chinese or English by ``message(lang)``):

* an input that cannot be read, or whose checking failed internally — always;
* an input with an error finding — unless ``force=True`` (its checked values are summed as
  read; cells the checker could not read count as 0);
* inputs of different years or format versions: the files of each are named.

A body lacking a table contributes nothing to it (``Body.missing_tables``).  ``to_markdown``
writes the combined report as a ``gk new`` skeleton with the three combined tables in the
official layout, every value written, and an appendix of each body's key figures;
``to_csv`` gives those key figures one line per body.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from gkreport.findings import ERROR, TABLE_SHORT
from gkreport.services.check import check_file
from gkreport.services.csvsafe import safe_row
from gkreport.spec import AMOUNT, TABLES, CellKey, spec_for, year_of_format

APPENDIX_HEADING = "附表：各单位主要数据"
FIGURES = ("new", "handled", "carried_forward", "reconsideration", "litigation")
FIGURE_LABELS = {"new": "新收", "handled": "办理", "carried_forward": "结转", "reconsideration": "复议", "litigation": "诉讼"}
CSV_HEADER = ("path", "org", "year", "format") + FIGURES

_MESSAGES = {
    "no-input": ("没有输入文件", "no input file"),
    "unreadable": ("无法读取：{path}（{reason}）", "unreadable: {path} ({reason})"),
    "errors": (
        "存在错误：{path}（{codes}）；核对后重试，或用 --force 忽略错误",
        "errors in {path} ({codes}); correct them, or use --force to ignore errors",
    ),
    "mixed-years": ("不能汇总不同年度的报告：{groups}", "cannot aggregate reports of different years: {groups}"),
    "mixed-formats": (
        "不能汇总不同格式版本的报告：{groups}",
        "cannot aggregate reports of different format versions: {groups}",
    ),
    "no-format": ("无法确定报告格式（未发现统计表，年度未知）：{paths}", "cannot tell the format (no table, year unknown): {paths}"),
    "year-unknown": ("年度未知", "year unknown"),
    "year": ("{year}年", "{year}"),
    "format": ("{format}年版格式", "{format} format"),
    "group": ("{label}：{paths}", "{label}: {paths}"),
}


def _msg(lang: str, key: str, **values) -> str:
    return _MESSAGES[key][1 if lang == "en" else 0].format(**values)


class AggregateError(Exception):
    """Why the inputs cannot be aggregated: ``problems`` is a list of (kind, params)."""

    def __init__(self, problems: list[tuple[str, dict]]):
        self.problems = problems
        super().__init__(self.message("zh"))

    def message(self, lang: str = "zh") -> str:
        sep = "；\n" if lang != "en" else ";\n"
        return sep.join(self._line(kind, params, lang) for kind, params in self.problems)

    @staticmethod
    def _line(kind: str, params: dict, lang: str) -> str:
        comma = ", " if lang == "en" else "、"
        if kind in ("mixed-years", "mixed-formats"):
            groups = []
            for value, paths in params["groups"]:
                if kind == "mixed-years":
                    label = _msg(lang, "year-unknown") if value is None else _msg(lang, "year", year=value)
                else:
                    label = _msg(lang, "format", format=value)
                groups.append(_msg(lang, "group", label=label, paths=comma.join(paths)))
            return _msg(lang, kind, groups=("; " if lang == "en" else "；").join(groups))
        if kind == "errors":
            return _msg(lang, kind, path=params["path"], codes=comma.join(params["codes"]))
        if kind == "unreadable":
            reason = params["reason"]
            if isinstance(reason, dict):
                reason = reason["en" if lang == "en" else "zh"]
            return _msg(lang, kind, path=params["path"], reason=reason)
        if kind == "no-format":
            return _msg(lang, kind, paths=comma.join(params["paths"]))
        return _msg(lang, kind, **params)


@dataclass
class Body:
    path: str
    org: str
    year: int | None
    format: str | None
    figures: dict[str, int | None] = field(default_factory=dict)  # FIGURES -> value (None: table missing)
    missing_tables: list[str] = field(default_factory=list)
    values: dict[str, dict] = field(default_factory=dict)  # table -> {CellKey: value} as checked
    error_codes: list[str] = field(default_factory=list)  # error findings ignored with force


@dataclass
class Aggregate:
    year: int | None
    format: str  # "2019" | "2021"
    bodies: list[Body]
    totals: dict[str, dict]  # table -> {CellKey: summed value}, every cell of the official table
    org: str | None = None

    def combined(self, table: str):
        """The combined table, checked (every cell written)."""
        from gkreport.checks.engine import check_table
        from gkreport.values import GIVEN, CellValue, format_number

        spec = spec_for(table, self.format)
        cells = {cell: CellValue(format_number(v), GIVEN, v) for cell, v in self.totals[table].items()}
        return check_table(spec, cells)

    def to_markdown(self, org: str | None = None) -> str:
        from gkreport.render.gridtable import grid_table
        from gkreport.services.skeleton import empty_table, skeleton

        org = org or self.org or "汇总"
        year = self.year if self.year is not None else year_of_format(self.format)
        text = skeleton(org, year, self.format)
        for table in TABLES:
            empty = empty_table(table, self.format).rstrip("\n")
            text = text.replace(empty, grid_table(self.combined(table), markdown=True, fill=True).rstrip("\n"), 1)
        n = len(self.bodies)
        text = text.replace(
            "本报告根据《中华人民共和国政府信息公开条例》编制",
            f"本报告汇总{n}个单位的年度报告数据（各单位主要数据见附表），根据《中华人民共和国政府信息公开条例》编制",
            1,
        )
        lines = [text.rstrip("\n"), "", f"# {APPENDIX_HEADING}", ""]
        lines.append("| 单位 | " + " | ".join(FIGURE_LABELS[f] for f in FIGURES) + " |")
        lines.append("|---|" + "---:|" * len(FIGURES))
        for body in self.bodies:
            cells = [_pipe_escape(body.org)] + ["" if body.figures.get(f) is None else str(body.figures[f]) for f in FIGURES]
            lines.append("| " + " | ".join(cells) + " |")
        missing = [b for b in self.bodies if b.missing_tables]
        if missing:
            lines.append("")
            for body in missing:
                names = "、".join(TABLE_SHORT["zh"][t] for t in body.missing_tables)
                lines.append(f"注：{body.org}的报告缺少{names}，未计入相应合计。")
        return "\n".join(lines) + "\n"

    def to_csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(CSV_HEADER)
        for body in self.bodies:
            writer.writerow(
                safe_row(
                    [body.path, body.org, "" if body.year is None else body.year, body.format or ""]
                    + ["" if body.figures.get(f) is None else body.figures[f] for f in FIGURES]
                )
            )
        return out.getvalue()


def _pipe_escape(text: str) -> str:
    return text.replace("|", "\\|")


_FRONT_ORG = re.compile(r"^org\s*:\s*(.*?)\s*(?:#.*)?$")


def body_org(path: str) -> str:
    """Metadata ``org`` of a Markdown file's YAML front matter, else the file name (without extension)."""
    if Path(path).suffix.lower() in (".md", ".markdown"):
        try:
            with open(path, encoding="utf-8-sig") as stream:
                first = stream.readline()
                if first.strip() == "---":
                    for _ in range(200):
                        line = stream.readline()
                        if not line or line.strip() in ("---", "..."):
                            break
                        match = _FRONT_ORG.match(line.rstrip("\n"))
                        if match and match.group(1):
                            return match.group(1).strip("'\"")
        except (OSError, UnicodeDecodeError):
            pass
    return Path(path).stem


def key_figures(values: dict[str, dict]) -> dict[str, int | None]:
    requests, appeals = values.get("requests"), values.get("appeals")

    def get(table, cell):
        if table is None:
            return None
        value = table.get(cell)
        return 0 if value is None else value

    direct, after = get(appeals, ("cases", "direct_suit_total")), get(appeals, ("cases", "suit_after_total"))
    return {
        "new": get(requests, ("new", "total")),
        "handled": get(requests, ("handled_total", "total")),
        "carried_forward": get(requests, ("carried_forward", "total")),
        "reconsideration": get(appeals, ("cases", "reconsideration_total")),
        "litigation": None if appeals is None else direct + after,
    }


def _groups(bodies: list[Body], attr: str) -> list[tuple[object, list[str]]]:
    groups: dict[object, list[str]] = {}
    for body in bodies:
        groups.setdefault(getattr(body, attr), []).append(body.path)
    return list(groups.items())


def aggregate(paths: list[str], org: str | None = None, force: bool = False, lang: str = "zh") -> Aggregate:
    """Check every input, refuse what cannot be summed, and sum every cell of every table.

    ``lang`` is the language of nothing returned (the error carries both); it is accepted so
    the command line can pass its own through.
    """
    if not paths:
        raise AggregateError([("no-input", {})])
    problems: list[tuple[str, dict]] = []
    bodies: list[Body] = []
    results = []
    for path in paths:
        report = check_file(path)
        if report.error is not None:
            reason = {"zh": report.error.message("zh"), "en": report.error.message("en")}
            problems.append(("unreadable", {"path": path, "reason": reason}))
            continue
        codes = list(dict.fromkeys(f.code for f in report.findings if f.severity == ERROR))
        if report.result is None:  # the checker failed internally: nothing to sum
            problems.append(("unreadable", {"path": path, "reason": ", ".join(codes) or "internal-error"}))
            continue
        if codes and not force:
            problems.append(("errors", {"path": path, "codes": codes}))
        body = Body(path, body_org(path), report.result.year, report.result.format, error_codes=codes)
        bodies.append(body)
        results.append(report.result)
    if problems:
        raise AggregateError(problems)

    unknown = [b.path for b in bodies if b.format is None]
    if unknown:
        raise AggregateError([("no-format", {"paths": unknown})])
    mixed = []
    if len({b.format for b in bodies}) > 1:
        mixed.append(("mixed-formats", {"groups": _groups(bodies, "format")}))
    if len({b.year for b in bodies}) > 1:
        mixed.append(("mixed-years", {"groups": _groups(bodies, "year")}))
    if mixed:
        raise AggregateError(mixed)

    fmt = bodies[0].format
    totals: dict[str, dict[CellKey, int | Decimal]] = {}
    for table in TABLES:
        spec = spec_for(table, fmt)
        totals[table] = {cell: Decimal(0) if spec.kind_of(cell) == AMOUNT else 0 for cell in spec.cells}
    for body, result in zip(bodies, results):
        for table_result in result.tables:
            table = table_result.table
            if table in body.values or table_result.checked is None or table_result.format != fmt:
                continue  # a second copy of a table, or one that could not be checked
            values = table_result.checked.values
            body.values[table] = {cell: values.get(cell) for cell in totals[table]}
            for cell, value in body.values[table].items():
                if value is not None:
                    totals[table][cell] += value
        body.missing_tables = [t for t in TABLES if t not in body.values]
        body.figures = key_figures(body.values)
    return Aggregate(bodies[0].year, fmt, bodies, totals, org)
