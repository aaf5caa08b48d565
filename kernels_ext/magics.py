"""The IPython extension: ``%load_ext gkreport``.

* ``%%gkreport [TABLE] [--year Y] [--format 2019|2021] [-o NAME] [--lang zh|en] [--verbose]`` — the
  cell body is one table (Markdown table, CSV, or the sparse data block); it is checked, filled and
  shown as the official table (HTML, Markdown and plain-text representations of one output); the
  findings under it, errors first, the values filled in summed up in one line (``--verbose``: each).
* ``%gkcheck [PATH]`` — check a report file; without PATH, every ``%%gkreport`` table of the session;
  ``%gkcheck report.docx --fix [-o OUT]`` writes the filled, commented copy (``gk fix``).
* ``%gkreport --new TABLE [--format F]`` — print an empty table in the sparse form, ready to fill,
  and put it in the next cell.
* ``%%gkreport?``, ``%%gkreport TABLE?``, ``%gkreport --help TABLE`` — the help (``help.py``); Tab
  completes table, row and column names (``completion.py``).

The body is used as written: no ``{var}`` expansion unless ``--expand`` asks for it.  To load
the extension in every kernel, add ``"gkreport"`` to ``c.InteractiveShellApp.extensions`` in
``ipython_config.py``.
"""

from __future__ import annotations

from IPython.core.error import UsageError
from IPython.core.magic import Magics, cell_magic, line_magic, magics_class
from IPython.core.magic_arguments import argument, magic_arguments, parse_argstring
from IPython.core.page import page
from IPython.display import display

from gkreport.findings import brief
from gkreport.services.tablesource import GkTable, SourceError, check_source

from gkreport.kernels_ext.completion import register as register_completion
from gkreport.kernels_ext.help import empty_help_cell, help_request, magic_help
from gkreport.kernels_ext.session import SessionFindings


@magics_class
class GkMagics(Magics):
    def __init__(self, shell):
        super().__init__(shell)
        self.tables: dict[str, GkTable] = {}  # the session's tables by kind, the latest of each
        self.cells: dict[str, int] = {}  # the execution count of the cell each of them came from

    @magic_arguments()
    @argument("--new", metavar="TABLE", help="print an empty table (active, requests, appeals) in the sparse form")
    @argument("--format", dest="fmt", choices=("2019", "2021"), help="the official format (default 2021)")
    @line_magic("gkreport")
    def gkreport_line(self, line: str):
        """%gkreport --new TABLE [--format F]: an empty table in the sparse form, ready to fill."""
        request = help_request(line)  # %gkreport --help requests
        if request is not None:
            page(magic_help(*request))
            return
        args = self._parse_with_hint(self.gkreport_line, line)
        if not args.new:
            raise UsageError("%gkreport 行魔法用于 --new TABLE；检查表格请用单元格魔法 %%gkreport")
        from gkreport.services.notebook import new_cell_source

        try:
            source = new_cell_source(args.new, args.fmt or "2021")
        except SourceError as exc:
            raise UsageError(str(exc)) from None
        print(source, end="")
        self.shell.set_next_input(source, replace=False)  # the next cell (a new prompt in a terminal)

    @magic_arguments()
    @argument("table", nargs="?", help="active (二), requests (三) or appeals (四); guessed from the body when omitted")
    @argument("--year", type=int, help="the report's year (decides the format when the body does not)")
    @argument("--format", dest="fmt", choices=("2019", "2021"), help="the official format")
    @argument("-o", "--output", dest="name", help="store the result (a GkTable) under this name")
    @argument("--lang", choices=("zh", "en"), default="zh", help="language of the messages")
    @argument("--expand", action="store_true", help="expand {var} in the body from the user namespace")
    @argument("--verbose", action="store_true", help="list every value filled in (by default summed up in one line)")
    @cell_magic("gkreport")
    def gkreport_cell(self, line: str, cell: str):
        """Check one statistical table and show it in the official layout, totals filled and
        wrong cells marked.  The body: a Markdown table, CSV lines, or the sparse data block."""
        request = help_request(line)  # %%gkreport requests?
        if request is not None:
            page(magic_help(*request))
            return
        args = self._parse_with_hint(self.gkreport_cell, line)
        body = self.shell.var_expand(cell) if args.expand else cell
        try:
            result = check_source(body, args.table, args.fmt, args.year, args.lang, args.verbose)
        except SourceError as exc:
            raise UsageError(f"%%gkreport: {exc}") from None
        self.tables[result.table] = result
        self.cells[result.table] = _current_cell(self.shell)
        if args.name:
            self.shell.user_ns[args.name] = result
        display(result)

    @magic_arguments()
    @argument("path", nargs="?", help="a report file (.md .txt .html .docx); default: this session's tables")
    @argument("--lang", choices=("zh", "en"), default="zh")
    @argument("--verbose", action="store_true", help="list every value filled in (by default summed up in one line)")
    @argument("--fix", action="store_true", help="a .docx: write a copy with the totals filled and the errors commented (gk fix)")
    @argument("-o", "--output", help="with --fix: the copy (default: PATH.checked.docx)")
    @line_magic("gkcheck")
    def gkcheck(self, line: str):
        """Check a report file, or every %%gkreport table of this session together; ``--fix`` does gk fix."""
        args = self._parse_with_hint(self.gkcheck, line)
        if args.fix:
            from gkreport.services.fix import FixError, fix
            from gkreport.readers.files import ReadError

            if not args.path:
                raise UsageError("%gkcheck --fix 需要一个 .docx 文件" if args.lang != "en" else "%gkcheck --fix needs a .docx file")
            try:
                outcome = fix(args.path, args.output, lang=args.lang)
            except (FixError, ReadError) as exc:
                raise UsageError(exc.message(args.lang)) from None
            display(_Findings(outcome.reported_findings(), args.lang, outcome.summary(args.lang)))
            return
        if args.path:
            from gkreport.services.check import check_file

            report = check_file(args.path)
            if report.error is not None:
                raise UsageError(report.error.message(args.lang))
            findings = report.findings
        else:
            if not self.tables:
                raise UsageError("本会话还没有 %%gkreport 表格" if args.lang != "en" else "no %%gkreport table in this session yet")
            display(SessionFindings(self.tables, self.cells, args.lang, args.verbose))
            return
        display(_Findings(brief(findings, args.verbose, "%gkcheck --verbose"), args.lang))

    def _parse(self, function, line: str):
        try:
            return parse_argstring(function, line)
        except UsageError:
            raise
        except SystemExit as exc:  # argparse exits on bad options
            raise UsageError(f"bad options: {line}") from exc

    def _parse_with_hint(self, function, line: str):
        """``_parse``, with the closest option or value named when one is unknown."""
        try:
            return self._parse(function, line)
        except UsageError as exc:
            from gkreport.suggest import argument_hint

            hint = argument_hint(str(exc), list(function.parser._option_string_actions), "en" if "--lang en" in line else "zh")
            raise UsageError(f"{exc}{hint}") from None


def _current_cell(shell) -> int:
    """The running cell's number as its prompt shows it: its input was stored in the history just
    before it ran (IPython 9 increments execution_count before running a cell, IPython 8 after)."""
    return len(shell.history_manager.input_hist_raw) - 1


class _Findings:
    def __init__(self, findings, lang, note: str = ""):
        self.findings, self.lang, self.note = findings, lang, note  # note: a last line (what gk fix wrote)

    def _repr_html_(self) -> str:
        from html import escape

        from gkreport.render.html import findings_html

        body = findings_html(self.findings, self.lang) or "<p>没有发现问题</p>"
        return body + (f"<p>{escape(self.note)}</p>" if self.note else "")

    def __repr__(self) -> str:
        lines = [f.line(self.lang) for f in self.findings] or ["没有发现问题" if self.lang != "en" else "no finding"]
        return "\n".join(lines + ([self.note] if self.note else []))


# %%gkreport? and Shift+Tab show this (both magics: front ends ask for either), not argparse's usage
GkMagics.gkreport_cell.__doc__ = GkMagics.gkreport_line.__doc__ = magic_help("zh")


def load_ipython_extension(ipython) -> None:
    ipython.register_magics(GkMagics)
    register_completion(ipython)
    if empty_help_cell not in ipython.input_transformers_cleanup:
        ipython.input_transformers_cleanup.append(empty_help_cell)
