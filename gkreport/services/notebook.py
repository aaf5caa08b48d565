"""A notebook of ``%%gkreport`` cells and Markdown cells, as the report's Markdown source.

Markdown cells (and raw cells meant for Markdown, such as the metadata block) are taken as
written; each ``%%gkreport`` cell becomes its table as a pandoc
grid table in the official layout (the Markdown representation the magic displays), checked
again from the cell's own source so the document never depends on stale outputs.  Other code
cells are the author's working and are left out.  (``nbconvert --to markdown`` would take the
HTML representation and ``pandoc x.ipynb`` the plain-text one; neither is a table gk-check can
recognize reliably.)

The build is as strict as the magic.  A cell's options are read with the magic's options; a cell
the magic would refuse (an unknown option or table, a body that is no table) is an error naming
the cell, and its source goes into the document as a plain code block: never a table made up of
zeros.  What reading a cell found (an unknown name in a data block, a row that could not be
read) is lost once the table is regenerated, so it is reported here with the cell's number; the
regenerated table is then checked by gk-check, which reports the arithmetic again.
"""

from __future__ import annotations

import argparse
import json
import shlex
from dataclasses import dataclass, field
from pathlib import Path

from gkreport.findings import ERROR, Finding, by_severity
from gkreport.services.tablesource import SourceError, check_source
from gkreport.suggest import argument_hint

# The options of the %%gkreport cell magic (kernels_ext/magics.py); tests/test_notebook_build.py
# checks that both accept the same ones.
CELL_OPTIONS = ("--year", "--format", "-o", "--output", "--lang", "--expand", "--verbose")


@dataclass
class CellReport:
    number: int  # the cell's position in the notebook, from 1
    findings: list[Finding] = field(default_factory=list)
    problem: str = ""  # why the cell could not be read as a table (an error)

    def lines(self, lang: str = "zh") -> list[tuple[bool, str]]:
        """(is an error, line) for each thing to say, errors first."""
        where = f"cell {self.number}: " if lang == "en" else f"单元格 {self.number}："
        lines = [(True, where + ("[error] " if lang == "en" else "[错误] ") + self.problem)] if self.problem else []
        return lines + [(f.severity == ERROR, where + f.line(lang)) for f in by_severity(self.findings)]

    @property
    def has_error(self) -> bool:
        return bool(self.problem) or any(f.severity == ERROR for f in self.findings)


@dataclass
class NotebookSource:
    markdown: str
    cells: list[CellReport]  # the %%gkreport cells with something to say

    def with_filter_messages(self, messages: str, lang: str = "zh") -> str:
        """The cells' lines merged with what gk-check wrote: every error first, gk-check's summary last."""
        ours = [entry for cell in self.cells for entry in cell.lines(lang)]
        error = "[error]" if lang == "en" else "[错误]"
        theirs = [(line.startswith(error), line) for line in messages.splitlines()]
        lines = [line for is_error, line in ours + theirs if is_error] + [line for is_error, line in ours + theirs if not is_error]
        return "".join(line + "\n" for line in lines)

    @property
    def has_error(self) -> bool:
        return any(cell.has_error for cell in self.cells)


def notebook_markdown(path: str | Path) -> str:
    return notebook_source(path).markdown


def notebook_source(path: str | Path, lang: str = "zh") -> NotebookSource:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    parts, reports = [], []
    for number, cell in enumerate(data.get("cells", []), start=1):
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else str(source)
        if cell.get("cell_type") == "markdown" or (cell.get("cell_type") == "raw" and _raw_is_markdown(cell)):
            parts.append(source.strip("\n"))
        elif cell.get("cell_type") == "code" and source.lstrip().startswith("%%gkreport"):
            markdown, report = _table_markdown(source.lstrip(), number, lang)
            parts.append(markdown)
            if report.problem or report.findings:
                reports.append(report)
    return NotebookSource("\n\n".join(p for p in parts if p) + "\n", reports)


def _raw_is_markdown(cell: dict) -> bool:
    """A raw cell for Markdown (or for no format in particular), such as the YAML metadata block that
    JupyterLab would render as a rule and a heading in a Markdown cell."""
    fmt = (cell.get("metadata") or {}).get("format") or (cell.get("metadata") or {}).get("raw_mimetype") or ""
    return fmt in ("", "text/markdown", "markdown", "text/x-markdown")


class _Refused(Exception):
    pass


class _CellParser(argparse.ArgumentParser):
    def error(self, message):
        raise _Refused(message)


def cell_parser() -> argparse.ArgumentParser:
    parser = _CellParser(prog="%%gkreport", add_help=False)
    parser.add_argument("table", nargs="?")
    parser.add_argument("--year", type=int)
    parser.add_argument("--format", dest="fmt", choices=("2019", "2021"))
    parser.add_argument("-o", "--output", dest="name")
    parser.add_argument("--lang", choices=("zh", "en"), default="zh")
    parser.add_argument("--expand", action="store_true")
    parser.add_argument("--verbose", action="store_true")
    return parser


def _table_markdown(source: str, number: int, lang: str) -> tuple[str, CellReport]:
    line, _, body = source.partition("\n")
    report = CellReport(number)
    try:
        words = shlex.split(line)[1:]
    except ValueError:  # an unbalanced quote on the magic's line
        cause = "the line cannot be parsed (unbalanced quote)" if lang == "en" else "该行无法解析（引号不成对）"
        report.problem = f"{line.strip()}: {cause}"
        words = None
    try:
        if words is None:
            raise _Refused(report.problem)
        args = cell_parser().parse_args(words)
        result = check_source(body, args.table, args.fmt, args.year, lang)
    except _Refused as exc:
        report.problem = report.problem or f"{line.strip()}: {exc}{argument_hint(str(exc), CELL_OPTIONS, lang)}"
    except SourceError as exc:
        report.problem = f"%%gkreport: {exc}"
    else:
        report.findings = list(result.result.recognized.findings)
        return result.to_markdown(), report
    fence = "`" * max(3, _longest_backtick_run(source) + 1)
    return f"{fence}text\n{source.strip()}\n{fence}", report


def _longest_backtick_run(text: str) -> int:
    longest = run = 0
    for ch in text:
        run = run + 1 if ch == "`" else 0
        longest = max(longest, run)
    return longest


def new_cell_source(table: str, fmt: str = "2021") -> str:
    """A ``%%gkreport`` cell holding the empty table in the sparse form (``%gkreport --new``, and the
    JupyterLab command "New %%gkreport table"); ``SourceError`` for an unknown table."""
    from gkreport.services.tablesource import TABLE_ALIASES, skeleton

    body = skeleton(table, fmt)
    return f"%%gkreport {TABLE_ALIASES.get(table, table)}\n" + body
