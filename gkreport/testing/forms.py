"""A whole report written in each of the forms reports reach a reviewer in.

Text kept from web pages (samples in ../shared/domain/reports):

* ``pipe``      one table row per line, each cell followed by `` |``, a run of ``|`` where merged
  cells were; a table's last row without it (001);
* ``cells``     one cell per line followed by `` |``, each row closed by a line of ``|`` debris;
  a table's last cell bare when its row is full (003);
* ``tabs``      one table row per line, the written cells separated by tabs;
* ``bare``      one cell per line, no separator, blank lines between lines or not (ningshan);
* ``bar-lines`` each cell on its line followed by a line holding only ``|`` (taojiang);
* ``abag``      one cell per line ending `` |``, a ``|`` line only after a row with merged cells
  (block titles), a table's last cell bare (abag);
* ``glued``     a scraper's text: header lines, then the whole body on one line, section headings
  inline, cells glued with no separator, now and then a space between two cells (pingtan).

Text extracted from PDFs (``pdftext``): ``layout`` (pdftotext -layout), ``raw`` (plain pdftotext
of a Word-exported PDF) and ``vertical`` (a PDF flipbook's text, header words one character per
line).

``make_report(rng, fmt, form)`` draws the tables (``values``), the report's style (``variants``),
its words (``prose``) and writes it; ``rewrite(report, tables)`` writes edited tables the same way
(same style, same page geometry), which is how faults are applied (``faults``).  A report knows
where each value cell stands in its text (``offsets``: ("cell", table, cell) -> (start, end)).
"""

from __future__ import annotations

import random
import zlib
from dataclasses import replace

from gkreport.spec import TABLES, spec_for
from gkreport.testing.pdftext import write_pdf_text
from gkreport.testing.prose import TABLE_OF_SECTION, report_words
from gkreport.testing.report import Out, Report
from gkreport.testing.tables import WrittenTable, written_table
from gkreport.testing.values import consistent_appeals, consistent_requests, realistic_active
from gkreport.testing.variants import Style, amount_value, draw_style

PAGE_FORMS = ("pipe", "cells", "tabs", "bare", "bar-lines", "abag", "glued")
PDF_FORMS = ("layout", "raw", "vertical")
FORMS = ("pipe", "cells", "tabs", "bare", "bar-lines", "abag", "layout", "raw", "glued", "vertical")
FORMATS = ("2021", "2019")


def make_report(
    rng: random.Random, fmt: str | None = None, form: str | None = None, style: Style | None = None, year: int | None = None
) -> Report:
    """A correct report: drawn format, form, style and year unless given (``Style()`` writes every
    label as the official format does and every figure plainly)."""
    fmt = fmt or rng.choice(FORMATS)
    form = form or rng.choice(FORMS)
    if fmt not in FORMATS or form not in FORMS:
        raise ValueError(f"format {fmt!r}, form {form!r}")
    style = style or draw_style(rng, form, fmt)
    size = rng.choices(("small", "medium", "large"), (5, 3, 2))[0]
    truth = {"active": realistic_active(rng, fmt), "requests": consistent_requests(rng, fmt, size), "appeals": consistent_appeals(rng)}
    for cell, value in truth["active"].items():
        if spec_for("active", fmt).kind_of(cell) == "amount":
            truth["active"][cell] = amount_value(rng, value, style, cell[1])
    tables = {name: written_table(rng, name, fmt, truth[name], style) for name in TABLES}
    report = Report(fmt, form, truth, style, report_words(rng, fmt, truth, year), tables, rng.randrange(2**32))
    return rewrite(report, tables)


def rewrite(report: Report, tables: dict[str, WrittenTable]) -> Report:
    """The report with these tables, written in its form."""
    if report.form in PDF_FORMS:
        out = write_pdf_text(report, tables)
    else:
        out = write_page_text(report, tables)
    return replace(report, tables=tables, body=out.text(), offsets=out.offsets)


def corpus(count: int, seed: int = 0, forms: tuple[str, ...] = FORMS, style: Style | None = None):
    """``count`` correct reports, the forms and the formats taking turns (in ``style`` when given)."""
    rng = random.Random(seed)
    for n in range(count):
        yield make_report(rng, FORMATS[n % 2], forms[n % len(forms)], style)


def chance(seed: int, *key) -> float:
    """A writer's choice at one place of the text, in [0, 1): the same for the same place
    whatever was edited elsewhere (a dropped row does not move every later choice)."""
    return zlib.crc32(repr((seed,) + key).encode()) / 2**32


# ---------------------------------------------------------------- text kept from web pages


def write_page_text(report: Report, tables: dict[str, WrittenTable]) -> Out:
    form, words = report.form, report.words
    out = Out()
    if form == "glued":
        return _glued(report, tables)
    gap = "\n\n" if form == "bare" and chance(report.seed, "blank lines") < 0.7 else "\n"
    paragraphs = [words.title]
    if chance(report.seed, "chrome") < 0.3:
        paragraphs = ["网站标识码：3300000001 浙公网安备 33010002000100号", "当前位置：首页 > 政务公开 > 政府信息公开年报"] + paragraphs
    for line in paragraphs:
        out.add(line + gap)
    for number, (heading, texts) in enumerate(words.sections):
        out.add(heading + gap)
        for text in texts:
            out.add(text + gap)
        if number in TABLE_OF_SECTION:
            name = TABLE_OF_SECTION[number]
            _table_lines(out, tables[name], form, gap, report.seed)
    out.add(words.org + gap)
    out.add(words.date + "\n")
    return out


def _table_lines(out: Out, table: WrittenTable, form: str, gap: str, seed: int) -> None:
    lines = table.lines
    for n, line in enumerate(lines):
        last_line = n == len(lines) - 1
        pads = table.width - sum(1 for _ in line.cells)
        cells = line.cells
        if form == "pipe":
            tokens = [(c, _flat(c.text)) for c in cells] + ([] if last_line else [(None, "")] * pads)
            previous_empty = False
            for k, (cell, text) in enumerate(tokens):
                if k and not (previous_empty and not text):
                    out.add(" ")
                out.add(text, _key(table, cell))
                out.add(" |" if text else "|")
                previous_empty = not text
            out.add("\n")
        elif form == "tabs":
            for k, cell in enumerate(cells):
                if k:
                    out.add("\t")
                out.add(_flat(cell.text), _key(table, cell))
            out.add("\n")
        elif form in ("cells", "abag"):
            for k, cell in enumerate(cells):
                # a table's last cell is left bare: in 003 when its row is full, in abag always
                bare = last_line and (pads == 0 or form == "abag") and k == len(cells) - 1
                out.add(cell.text, _key(table, cell))
                out.add("\n" if bare else " |\n")
            if form == "cells" and not (last_line and pads == 0):
                out.add("|" * max(1, pads) + "\n")
            elif form == "abag" and pads > 0 and not last_line:
                out.add("|" * pads + "\n")
        elif form == "bar-lines":
            for cell in cells:
                out.add(cell.text, _key(table, cell))
                out.add("\n|\n")
        else:  # bare
            for cell in cells:
                out.add(cell.text.replace("\n", gap), _key(table, cell))
                out.add(gap)


def _flat(text: str) -> str:
    """A cell broken over lines, as copied into one line: its parts joined by a space."""
    return text.replace("\n", " ")


def _key(table: WrittenTable, cell):
    if cell is None or cell.ref is None:
        return None
    return ("cell", table.table, cell.ref)


def _glued(report: Report, tables: dict[str, WrittenTable]) -> Out:
    """pingtan: a scraper's header lines, then the whole page body on one line."""
    words, seed = report.words, report.seed
    out = Out()
    out.add(f"标题: {words.title}\n发布时间: {words.date.replace('年', '-').replace('月', '-').replace('日', '')} 16:34\n")
    out.add("文号: \n发布机构: \n栏目: 政府信息公开年报\n")
    out.add(f"原文链接: https://www.example.gov.cn/zwgk/zfxxgknb/{words.year + 1}02/t{seed % 10**8}.htm\n")
    out.add(f"本地目录: zwgk/zfxxgknb/{seed % 10**5}_{words.title}\n页面链接与图片详见 links.tsv(同目录)\n")
    out.add("==================== 正文 ====================\n")
    out.add(f"当前位置： 首页政务公开政府信息公开年报 {words.title} 来源：{words.org} ")

    def space(*key) -> None:
        if chance(seed, *key) < 0.04:
            out.add(" ")

    for number, (heading, texts) in enumerate(words.sections):
        space("before", number)
        out.add(heading)
        space("after", number)
        for text in texts:
            out.add(text)
        if number in TABLE_OF_SECTION:
            table = tables[TABLE_OF_SECTION[number]]
            for n, line in enumerate(table.lines):
                for k, cell in enumerate(line.cells):
                    if n or k:
                        space(table.table, line.key or n, cell.column)
                    out.add(cell.text.replace("\n", ""), _key(table, cell))
            space("table end", number)
    out.add(f"{words.org}{words.date} 附件下载\n")
    return out
