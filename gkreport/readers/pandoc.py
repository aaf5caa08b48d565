"""A pandoc document (panflute) as a ``model.Document``: the adapter for the filter and for every
input pandoc reads (Markdown, ODT, pandoc JSON).

Headers become headings, paragraphs paragraphs (their soft and hard breaks kept as lines, so
a table flattened into a paragraph keeps its shape), tables grids, ``gkreport`` code blocks data
blocks.  Each block's ``origin`` is its panflute element: the filter puts the official table
there.
"""

from __future__ import annotations

import re

import panflute as pf

from gkreport.blocks import blocks, table_rows
from gkreport.cellmarkup import markup
from gkreport.grid import DEDUCED_CLASS, MISSING_CLASS, WRITTEN_ATTRIBUTE, Grid, GridCell
from gkreport.model import DATA_BLOCK_CLASSES, DataBlock, Document, Heading, Paragraph, Table

METADATA_KEYS = ("title", "year", "gk-year", "level", "date", "org")


def document_from_pandoc(doc: pf.Doc) -> Document:
    out = []
    for elem in blocks(doc.content):
        if isinstance(elem, pf.Header):
            out.append(Heading(pf.stringify(elem), elem.level, elem))
        elif isinstance(elem, (pf.Para, pf.Plain)):
            out.append(Paragraph(paragraph_text(elem), elem))
        elif isinstance(elem, pf.LineBlock):
            out.append(Paragraph(paragraph_text(elem), elem))
        elif isinstance(elem, pf.Table):
            out.append(Table(grid_from_panflute(elem), elem))
        elif isinstance(elem, pf.CodeBlock) and set(elem.classes) & DATA_BLOCK_CLASSES:
            out.append(DataBlock(elem.text, tuple(elem.classes), dict(elem.attributes), elem))
    metadata = {key: _plain(doc.get_metadata(key, None)) for key in METADATA_KEYS}
    return Document(out, {k: v for k, v in metadata.items() if v not in (None, "")})


def paragraph_text(elem) -> str:
    """The paragraph's text, a line per source line."""
    return "\n".join(line_texts(elem))


def line_texts(elem) -> list[str]:
    if isinstance(elem, pf.LineBlock):
        return [pf.stringify(line) for line in elem.content]
    return ["".join(_inline_text(i) for i in line) for line in line_inlines(elem)]


def line_inlines(elem) -> list[list]:
    """The paragraph's inlines, a list per source line (the breaks left out)."""
    lines, current = [], []
    for inline in elem.content:
        if isinstance(inline, (pf.SoftBreak, pf.LineBreak)):
            lines.append(current)
            current = []
        else:
            current.append(inline)
    lines.append(current)
    return lines


def _inline_text(inline) -> str:
    if isinstance(inline, pf.Str):
        return inline.text
    if isinstance(inline, pf.Space):
        return " "
    return pf.stringify(inline)


def _plain(value):
    if value is None:
        return None
    if isinstance(value, (dict, list)):
        return value
    return re.sub(r"\s+", " ", str(value)).strip()


def grid_from_panflute(table) -> Grid:
    """Head rows, then every body's intermediate-head and body rows, then foot rows."""
    grid: Grid = []
    for row in table_rows(table):
        cells = []
        for cell in row.content:
            parts: list[str] = []
            marks: list = []
            _collect_text(cell.content, parts, marks)
            missing = MISSING_CLASS in marks
            marks = [m for m in marks if m != MISSING_CLASS]
            written = next((m for m in marks if m is not None), None)
            cells.append(GridCell("".join(parts).strip(), cell.rowspan, cell.colspan, bool(marks), written, missing))
        grid.append(cells)
    return grid


def _collect_text(elements, parts: list[str], marks: list) -> None:
    """Append the text of the elements to ``parts``, and to ``marks`` what each deduced-value mark replaced.

    Superscripts, subscripts, strikeouts, notes, links and raw markup are kept as Markdown
    (``cellmarkup``), never flattened into the figure beside them.  A horizontal rule is what
    pandoc reads from a cell holding ``---``, which is how its Markdown writer writes a "—":
    it is read back as "—".
    """
    for elem in elements:
        if isinstance(elem, pf.Str):
            parts.append(elem.text)
        elif isinstance(elem, (pf.Space, pf.SoftBreak, pf.LineBreak)):
            parts.append(" ")
        elif isinstance(elem, (pf.Plain, pf.Para, pf.Emph, pf.Strong, pf.Span, pf.Underline, pf.SmallCaps)):
            if isinstance(elem, pf.Span) and DEDUCED_CLASS in elem.classes:
                marks.append(elem.attributes.get(WRITTEN_ATTRIBUTE))
            if isinstance(elem, pf.Span) and MISSING_CLASS in elem.classes:
                marks.append(MISSING_CLASS)
            _collect_text(elem.content, parts, marks)
        elif isinstance(elem, pf.HorizontalRule):
            parts.append("—")
        elif isinstance(elem, (pf.Superscript, pf.Subscript, pf.Strikeout, pf.Link)):
            inner: list[str] = []
            _collect_text(elem.content, inner, marks)
            parts.append(markup(elem, "".join(inner).strip()))
        elif isinstance(elem, (pf.Note, pf.RawInline)):
            parts.append(markup(elem, ""))
        else:
            parts.append(pf.stringify(elem))
