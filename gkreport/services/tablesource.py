"""One table written on its own — a Markdown table, CSV, or the sparse data block — checked.

This is what a notebook cell holds (``%%gkreport``) and what ``gk build`` turns into the
document's table.  ``check_source`` returns a ``GkTable``: the values, the findings, and the
table as Markdown (a grid table gk-check recognizes), HTML and plain text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from gkreport.checks.report import TableResult, check_recognized
from gkreport.findings import Finding, brief, did_you_mean
from gkreport.spec import TABLE_SECTION, TABLE_TITLES, TABLES, format_for_year

TABLE_ALIASES = {"active": "active", "二": "active", "requests": "requests", "三": "requests", "appeals": "appeals", "四": "appeals"}
_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{3,}")


class SourceError(ValueError):
    """A body that holds no table of the three; ``str()`` says why, in the language asked for."""


@dataclass
class GkTable:
    result: TableResult
    lang: str = "zh"
    verbose: bool = False  # list every value filled in, instead of one line for them all

    @property
    def table(self) -> str:
        return self.result.table

    @property
    def format(self) -> str:
        return self.result.format

    @property
    def findings(self) -> list[Finding]:
        return self.result.findings

    @property
    def values(self) -> dict:
        """Every cell's final value by (row key, column key): written, deduced, or blank read as 0."""
        return dict(self.result.checked.values)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    def to_markdown(self) -> str:
        from gkreport.render.gridtable import grid_table

        return grid_table(self.result.checked)

    def shown_findings(self) -> list[Finding]:
        """The findings as listed under the table: errors first, the values filled in summed up unless verbose."""
        return brief(self.findings, self.verbose, "%%gkreport … --verbose")

    def to_text(self) -> str:
        from gkreport.render.gridtable import grid_table

        lines = [f.line(self.lang) for f in self.shown_findings()]
        return grid_table(self.result.checked, markdown=False) + "".join(line + "\n" for line in lines)

    def to_html(self) -> str:
        from gkreport.render.html import html_table

        title = f"{TABLE_SECTION[self.table]}、{TABLE_TITLES[self.table]}（{self.format}年版）"
        return html_table(self.result.checked, self.findings, self.lang, title, listed=self.shown_findings())

    def to_dataframe(self):
        """A pandas DataFrame (rows × columns of the official labels); pandas is optional."""
        try:
            import pandas as pd
        except ImportError as exc:
            raise ImportError("to_dataframe() needs pandas: pip install pandas") from exc
        spec = self.result.checked.spec
        frame = {}
        for row in spec.rows:
            frame[row.display or spec.title] = {
                spec.column(c).display: self.result.checked.values.get((row.key, c)) for c in (c.key for c in spec.columns_of(row))
            }
        return pd.DataFrame.from_dict(frame, orient="index")

    def _repr_html_(self) -> str:
        return self.to_html()

    def _repr_markdown_(self) -> str:
        return self.to_markdown()

    def __repr__(self) -> str:
        return self.to_text()


def check_source(
    body: str, table: str | None = None, fmt: str | None = None, year: int | None = None, lang: str = "zh", verbose: bool = False
) -> GkTable:
    """Recognize and check one table written on its own; ``SourceError`` when there is none."""
    from gkreport.recognition.datablock import parse_data_block
    from gkreport.recognition.grids import recognize

    wanted = TABLE_ALIASES.get(table) if table else None
    if table and wanted is None:
        from gkreport.suggest import closest

        hint = did_you_mean(closest(table, TABLE_ALIASES), lang)
        raise SourceError(_say(lang, f"未知的表：{table}{hint}（可用 active、requests、appeals）", f"unknown table {table}{hint} (use active, requests or appeals)"))
    default = fmt or format_for_year(year) or "2021"
    lines = [line for line in body.strip("\n").splitlines() if line.strip()]
    if not lines:
        raise SourceError(_say(lang, "单元格内容为空", "the cell is empty"))
    if lines[0].lstrip().startswith("+"):
        recognized = recognize(_grid_of_grid_table(body), default)
    elif sum(line.lstrip().startswith("|") for line in lines) >= 2:
        recognized = recognize(_pipe_grid(lines), default)
    else:
        attributes = {"table": wanted} if wanted else {}
        if fmt:
            attributes["format"] = fmt
        recognized = parse_data_block(body, (), attributes, default)
    if recognized is None:
        raise SourceError(_say(lang, "无法识别为三张统计表之一", "this is none of the three statistical tables"))
    if not recognized.cells:
        reasons = "; ".join(f.message(lang) for f in recognized.findings)
        raise SourceError(reasons or _say(lang, "没有可读的单元格", "no readable cell"))
    if wanted and recognized.table != wanted:
        raise SourceError(_say(lang, f"内容是 {recognized.table} 表，而不是 {wanted}", f"the body is the {recognized.table} table, not {wanted}"))
    if fmt and not recognized.format_known:
        recognized = replace(recognized, format=fmt)
    return GkTable(check_recognized(recognized, []), lang, verbose)


def _pipe_grid(lines: list[str]):
    """A Markdown pipe table's rows; an empty cell at the end of a row is a real (blank) cell."""
    from gkreport.grid import GridCell

    grid = []
    for line in lines:
        if _SEPARATOR.match(line):
            continue
        line = line.strip()
        line = line[1:] if line.startswith("|") else line
        line = line[:-1] if line.endswith("|") else line
        grid.append([GridCell(cell.strip()) for cell in line.split("|")])
    return grid


def _grid_of_grid_table(body: str):
    """A pandoc grid table, read by the bundled pandoc (spans kept)."""
    import subprocess

    import panflute as pf

    from gkreport.blocks import load
    from gkreport.readers.files import pandoc_path
    from gkreport.readers.pandoc import grid_from_panflute

    out = subprocess.run([pandoc_path(), "-f", "markdown", "-t", "json"], input=body, capture_output=True, text=True)
    doc = load(out.stdout) if out.returncode == 0 else pf.Doc()
    tables = [e for e in doc.content if isinstance(e, pf.Table)]
    return grid_from_panflute(tables[0]) if tables else []


def _say(lang: str, zh: str, en: str) -> str:
    return en if lang == "en" else zh


def skeleton(table: str, fmt: str = "2021") -> str:
    """An empty table in the sparse form: every row with its columns at 0, totals left out."""
    from gkreport.spec import APPEALS_GROUPS, APPEALS_LEAVES, spec_for

    table = TABLE_ALIASES.get(table, table)
    if table not in TABLES:
        raise SourceError(f"unknown table {table}")
    spec = spec_for(table, fmt)
    lines = [f"# {TABLE_SECTION[table]}、{TABLE_TITLES[table]}（{fmt}年版）：只需填写非零的单元格，总计自动计算", f"table: {table}", f"format: {fmt}"]
    for row in spec.rows:
        if row.key == "handled_total":
            continue
        if table == "appeals":
            for _, _, group in APPEALS_GROUPS:
                leaves = ", ".join(f"{label}: 0" for _, label, _ in APPEALS_LEAVES[:-1])
                lines.append(f"{group}: {{{leaves}}}")
            continue
        columns = [c for c in spec.columns_of(row) if c.key != "total"]
        values = ", ".join(f"{c.short or c.label}: 0" for c in columns)
        lines.append(f"{row.short}: {{{values}}}")
    return "\n".join(lines) + "\n"
