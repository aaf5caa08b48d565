"""Reports as text extracted from their PDF: what poppler's ``pdftotext`` gives.

Modelled on what pdftotext really gives for the PDFs ``gk build`` makes (typst) and for DOCX
exported by LibreOffice (the official template filled with figures, and ``gk build``'s DOCX);
run ``pdftotext`` and ``pdftotext -layout`` on them to see the same things:

* a page model: each table cell a box in a grid of columns (widths drawn per report), its text
  wrapped to the box (a CJK character two units wide, an ASCII one one unit), merged cells
  spanning their rows, text vertically centred in its box (Word, LibreOffice) or at its top
  (typst); a narrow column writes its header one character per line;
* pages: a page holds so many lines; a row never splits, the table's header rows are repeated
  on the next page (LibreOffice) or not, and each page ends with its number ("—1—", "- 2 -",
  "第3页", or a bare "4") and a form feed; a running header may open the next page;
* ``layout`` (``pdftotext -layout``): one output line per text line of the page, each piece at
  the column its position gives (CJK text takes fewer columns than its width, so columns of
  figures drift row by row); pieces closer than a column are separated by a single space; a
  wrapped label's continuation on lines of its own; a merged group label centred in its rows,
  its pieces on the lines of other rows ("三、本 法提供") or on lines of their own between them;
  figures centred against a two-line label get a line of their own between the label's lines;
* ``raw`` (plain ``pdftotext``): one piece per line, blank lines between blocks; a row whose label
  fits on one line comes label first, a row whose label wraps comes with its figures before its
  label (the figures stand higher on the page than the label's last line); a group label's
  pieces on lines of their own, or before a row label on the same line ("（三）不 4.保护…");
* ``vertical`` (a PDF flipbook's text): each text line of the page with its pieces joined by one
  space, narrow columns (header words one character per line, interleaved line by line with the
  header cells centred half a line lower, as flipbook-audit-2020-page9 shows), "Page N - …" and
  "P. N" at the top of each page.

Prose is wrapped at 28 characters a line (GB/T 9704), with a space between CJK text and digits
where the PDF switched fonts ("2024 年").
"""

from __future__ import annotations

import random
import re
import unicodedata
from dataclasses import dataclass
from typing import NamedTuple

from gkreport.testing.prose import TABLE_OF_SECTION
from gkreport.testing.report import Out, Report
from gkreport.testing.tables import WrittenTable

PAGE_LINES = 44  # table lines a page holds (五号 type); a prose line takes 1.5
PROSE_WIDTH = 56  # units: 28 CJK characters
PADDING = 2  # units between a cell's border and its text, both sides together
PAGE_NUMBERS = ("—{n}—", "— {n} —", "- {n} -", "第{n}页", "第 {n} 页 共 {pages} 页", "{n}")


class Fragment(NamedTuple):
    y: int  # half-lines from the top of the table
    x: float  # units from the left edge of the table
    text: str
    role: str
    key: tuple | None
    line: int  # the grid line the cell starts on


@dataclass(frozen=True)
class Geometry:
    valign: str  # "middle" | "top"
    scale: float  # units per output column
    widths: dict  # table -> column widths in units
    repeat_header: bool
    page_number: str
    running_header: bool
    spaced_ascii: bool
    first_page_used: int


def geometry(report: Report) -> Geometry:
    rng = random.Random(report.seed)
    form = report.form
    narrow = form == "vertical" or rng.random() < 0.4  # value columns too narrow for a header word on one line
    value = (lambda: rng.randint(4, 5)) if narrow else (lambda: rng.randint(7, 11))
    fmt = report.format
    widths = {
        "requests": (rng.choice((8, 10)), rng.choice((10, 12)), rng.randint(18, 30)) + tuple(value() for _ in range(7)),
        "appeals": tuple(value() for _ in range(15)),
        "active": (rng.randint(16, 20),)
        + (tuple(rng.randint(14, 18) for _ in range(3)) if fmt == "2021" else tuple(rng.randint(7, 10) for _ in range(6))),
    }
    return Geometry(
        valign="top" if rng.random() < 0.3 else "middle",
        scale=rng.uniform(1.4, 1.8),
        widths=widths,
        repeat_header=rng.random() < 0.5,
        page_number=rng.choices(PAGE_NUMBERS, (4, 3, 2, 1, 1, 1))[0],
        running_header=rng.random() < 0.3,
        spaced_ascii=rng.random() < 0.8,
        first_page_used=rng.randint(0, 30),
    )


# ---------------------------------------------------------------- the page model of a table


def char_width(ch: str) -> int:
    return 2 if unicodedata.east_asian_width(ch) in "WFA" else 1


def text_width(text: str) -> int:
    return sum(char_width(ch) for ch in text)


def wrap(text: str, width: int) -> list[str]:
    """The lines a text takes in a box ``width`` units wide (a break the text holds is kept)."""
    lines = []
    for part in text.split("\n"):
        current, used = "", 0
        for ch in part:
            w = char_width(ch)
            if current and used + w > width:
                lines.append(current)
                current, used = "", 0
            current += ch
            used += w
        lines.append(current)
    return [line.strip() for line in lines if line.strip()]


class Placed(NamedTuple):
    fragments: list[Fragment]
    tops: list[int]  # the first text line of each grid line
    heights: list[int]  # how many text lines each grid line takes
    header_lines: int  # grid lines that are the header (repeated on a new page)


def place(table: WrittenTable, widths: tuple[int, ...], valign: str) -> Placed:
    """Every piece of text of the table at its place on the page."""
    starts = [sum(widths[:k]) for k in range(len(widths) + 1)]
    boxes = []  # (cell, line, x0, width, wrapped lines)
    for n, line in enumerate(table.lines):
        for cell in line.cells:
            x0, x1 = starts[cell.column], starts[min(cell.column + cell.colspan, len(widths))]
            texts = [cell.text] if cell.role == "value" else wrap(cell.text, max(2, x1 - x0 - PADDING))
            boxes.append((cell, n, x0, x1 - x0, [t for t in texts if t]))
    heights = [1] * len(table.lines)
    for cell, n, _, _, texts in boxes:
        if cell.rowspan == 1:
            heights[n] = max(heights[n], len(texts))
    for cell, n, _, _, texts in boxes:
        last = min(n + cell.rowspan, len(heights)) - 1
        short = len(texts) - sum(heights[n : last + 1])
        if cell.rowspan > 1 and short > 0:
            heights[last] += short
    tops = [sum(heights[:k]) for k in range(len(heights))]
    fragments = []
    for cell, n, x0, width, texts in boxes:
        last = min(n + cell.rowspan, len(heights)) - 1
        box = tops[last] + heights[last] - tops[n]
        y0 = 2 * tops[n] + (box - len(texts) if valign == "middle" else 0)
        key = ("cell", table.table, cell.ref) if cell.ref else None
        for i, text in enumerate(texts):
            centred = cell.role in ("value", "header", "title")
            x = x0 + (width - text_width(text)) / 2 if centred else x0 + PADDING / 2
            fragments.append(Fragment(y0 + 2 * i, x, text, cell.role, key, n))
    header = sum(1 for line in table.lines[:3] if line.key is None) if table.table != "active" else 0
    return Placed(fragments, tops, heights, header)


# ---------------------------------------------------------------- writing pages


class Pages:
    """The text being written page by page: furniture at each page break."""

    def __init__(self, report: Report, shape: Geometry) -> None:
        self.out = Out()
        self.form = report.form
        self.shape = shape
        self.report = report
        self.used = float(shape.first_page_used)
        self.page = 1
        self.pages = 4

    def fits(self, lines: float) -> bool:
        return self.used + lines <= PAGE_LINES

    def line(self, text: str, key_pieces=(), cost: float = 0.0) -> None:
        """One text line; ``key_pieces`` are (start in the line, piece text, key).  Table lines
        cost nothing here: a table is paged row by row (``_table``)."""
        if cost and not self.fits(cost) and self.used > 0:
            self.new_page()
        start = self.out.length
        self.out.add(text + "\n")
        for at, piece, key in key_pieces:
            if key is not None:
                self.out.offsets.setdefault(key, (start + at, start + at + len(piece)))
        self.used += cost

    def blank(self) -> None:
        self.out.add("\n")

    def new_page(self) -> None:
        number = self.shape.page_number.format(n=self.page, pages=self.pages)
        if self.form == "raw":
            self.out.add(f"\n{number}\n\n\f")
        elif self.form == "layout":
            self.out.add("\n\n\n" + " " * 24 + number + "\n\f")
        else:
            self.out.add("\f")
        self.page += 1
        self.used = 0
        if self.form == "vertical":
            self.out.add(f"Page {self.page} - {self.report.year}年报_{self.report.org}\nP. {self.page}\n")
        elif self.shape.running_header:
            self.out.add(("" if self.form == "raw" else " " * 10) + self.report.words.title + "\n")
            self.used += 1

    def end(self) -> None:
        number = self.shape.page_number.format(n=self.page, pages=self.pages)
        if self.form == "raw":
            self.out.add(f"\n{number}\n\n\f")
        elif self.form == "layout":
            self.out.add("\n\n" + " " * 24 + number + "\n\f")
        else:
            self.out.add("\f")


def write_pdf_text(report: Report, tables: dict[str, WrittenTable]) -> Out:
    shape = geometry(report)
    pages = Pages(report, shape)
    words = report.words
    if report.form == "vertical":
        pages.out.add(f"Page 1 - {report.year}年报_{report.org}\nP. 1\n")
    _prose(pages, words.title, heading=True)
    for number, (heading, texts) in enumerate(words.sections):
        _prose(pages, heading, heading=True)
        for text in texts:
            _prose(pages, text)
        if number in TABLE_OF_SECTION:
            name = TABLE_OF_SECTION[number]
            _table(pages, tables[name], shape)
    _prose(pages, words.org, heading=True)
    _prose(pages, words.date, heading=True)
    pages.end()
    return pages.out


def _spaced(text: str) -> str:
    """"2024年" as pdftotext gives it from a PDF that set digits in another font: "2024 年"."""
    text = re.sub(r"(?<=[0-9A-Za-z])(?=[^\x00-\x7f\s（(“《，。、；：）)”》])", " ", text)
    return re.sub(r"(?<=[^\x00-\x7f\s（(“《，。、；：）)”》])(?=[0-9A-Za-z])", " ", text)


def _prose(pages: Pages, text: str, heading: bool = False) -> None:
    form = pages.form
    if pages.shape.spaced_ascii:
        text = _spaced(text)
    indent = "" if form != "layout" else ("       " if heading else "   ")
    lines = wrap(text, PROSE_WIDTH - (0 if heading else 4))
    for k, line in enumerate(lines):
        pages.line((indent if k == 0 or heading else "") + line, cost=1.5)


def _table(pages: Pages, table: WrittenTable, shape: Geometry) -> None:
    placed = place(table, shape.widths[table.table], shape.valign)
    by_line: dict[int, list[Fragment]] = {}
    for fragment in placed.fragments:
        grid_line = _line_at(placed, fragment.y)
        by_line.setdefault(grid_line, []).append(fragment)
    for n in range(len(table.lines)):
        height = placed.heights[n]
        if not pages.fits(height) and pages.used > 0:
            pages.new_page()
            if shape.repeat_header and n >= placed.header_lines > 0:
                for h in range(placed.header_lines):
                    _emit(pages, [f._replace(key=None) for f in by_line.get(h, [])], table, shape)
        _emit(pages, by_line.get(n, []), table, shape)
        pages.used += height
    if pages.form == "raw":
        pages.blank()


def _line_at(placed: Placed, y: int) -> int:
    """The grid line whose text lines hold half-line ``y``."""
    for n in range(len(placed.tops) - 1, -1, -1):
        if 2 * placed.tops[n] <= y:
            return n
    return 0


def _emit(pages: Pages, fragments: list[Fragment], table: WrittenTable, shape: Geometry) -> None:
    if not fragments:
        return
    if pages.form == "raw":
        _emit_raw(pages, fragments)
        return
    rows: dict[int, list[Fragment]] = {}
    for fragment in fragments:
        rows.setdefault(fragment.y, []).append(fragment)
    for y in sorted(rows):
        pieces = sorted(rows[y], key=lambda f: f.x)
        text, keyed = "", []
        for fragment in pieces:
            if pages.form == "layout":
                column = round(fragment.x / shape.scale)
                column = max(column, len(text) + 1) if text else column
                text += " " * (column - len(text))
            elif text:
                text += " "
            keyed.append((len(text), fragment.text, fragment.key))
            text += fragment.text
        pages.line(text, keyed)


def _emit_raw(pages: Pages, fragments: list[Fragment]) -> None:
    """Plain pdftotext: one piece a line; a row whose label wraps comes figures first."""
    labels = sorted((f for f in fragments if f.role == "label"), key=lambda f: f.y)
    values = sorted((f for f in fragments if f.role == "value"), key=lambda f: f.x)
    others = sorted((f for f in fragments if f.role not in ("label", "value")), key=lambda f: (f.y, f.x))
    if not labels:
        for fragment in others + values:
            pages.line(fragment.text, [(0, fragment.text, fragment.key)])
            pages.blank()
        return
    groups = [f for f in others if f.role == "group"]
    rest = [f for f in others if f.role != "group"]
    for fragment in rest:
        pages.line(fragment.text, [(0, fragment.text, fragment.key)])
        pages.blank()
    label_lines = []  # (y, text) with group pieces standing on the same line
    for label in labels:
        beside = [g for g in groups if g.y == label.y]
        label_lines.append((label.y, " ".join([g.text for g in beside] + [label.text])))
    alone = [(g.y, g.text) for g in groups if all(g.y != label.y for label in labels)]
    block = sorted(label_lines + alone)
    if len(labels) > 1:
        for fragment in values:
            pages.line(fragment.text, [(0, fragment.text, fragment.key)])
            pages.blank()
    for _, text in block:
        pages.line(text)
    pages.blank()
    if len(labels) == 1:
        for fragment in values:
            pages.line(fragment.text, [(0, fragment.text, fragment.key)])
            pages.blank()

