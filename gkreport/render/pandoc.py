"""Rendering a checked table in the official layout, as a pandoc table (panflute).

The layout comes from ``spec.official_layout``: merged header cells, the three-column label
area of table 三 with its group labels spanning their rows.  Values: what the author wrote,
exactly as written; a value the engine deduced, marked with the class ``gk-deduced`` (so a
second run knows it was deduced, and the HTML can style it); anything else as written.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field

import panflute as pf

from gkreport.blocks import inlines, raw_inline, table_rows
from gkreport.cellmarkup import inlines as markup_inlines
from gkreport.checks.engine import CheckedTable
from gkreport.grid import DEDUCED_CLASS, MISSING_CLASS, WRITTEN_ATTRIBUTE
from gkreport.render import geometry
from gkreport.render.colwidths import table_geometry
from gkreport.render.view import ERROR_CLASS, CellView, table_view
from gkreport.spec import LayoutCell

SMALL_CLASS = "gk-small"  # a table set in 小五: the class in HTML, the label in typst
SMALL_STYLE = "GK Table Small"  # its paragraph style in templates/reference.docx


@dataclass
class RenderContext:
    """How the tables of one document are rendered.  ``marks`` (draft mode): each cell an error
    names is marked — a Word comment holding the messages in DOCX, a highlight elsewhere.  Word
    comments are numbered across the whole document, hence one context per document."""

    output_format: str = ""
    lang: str = "zh"
    fill: bool = True
    marks: bool = False
    comment_numbers: Iterator[int] = field(default_factory=lambda: itertools.count(1))


def render_official(checked: CheckedTable, context: RenderContext | None = None) -> pf.Table:
    context = context or RenderContext()
    spec, output_format = checked.spec, context.output_format
    view = table_view(checked, context.fill, findings=None if context.marks else (), lang=context.lang)
    layout = view.layout
    shape = table_geometry(layout, spec.table, spec.format, {ref: shown.text for ref, shown in view.cells.items()})
    small = shape.font_pt == geometry.TABLE_SMALL_PT

    def content(words: list) -> list:
        if not words:
            return []
        if small and output_format == "docx":
            return [pf.Div(pf.Plain(*words), attributes={"custom-style": SMALL_STYLE})]
        return [pf.Plain(*words)]

    def cell(item: LayoutCell, position: tuple[int, int]) -> pf.TableCell:
        if item.ref is None:
            lines = shape.header_lines.get(position, [item.text])
            words = [part for i, line in enumerate(lines) for part in ([pf.LineBreak()] if i else []) + inlines(line)]
            if item.role in ("header", "corner") and words:
                words = [pf.Strong(*words)]  # header cells bold in every output (GB/T 9704 tables)
            return pf.TableCell(*content(words), alignment="AlignCenter" if item.role != "label" else "AlignLeft",
                                rowspan=item.rowspan, colspan=item.colspan)
        shown = view.cells[item.ref]
        value = _value_inlines(shown)
        if shown.errors:
            value = _marked(value, shown.errors, context)
        return pf.TableCell(*content(value), alignment="AlignCenter", rowspan=item.rowspan, colspan=item.colspan)

    def rows(layout_rows, first: int) -> list[pf.TableRow]:
        return [pf.TableRow(*[cell(c, (first + r, i)) for i, c in enumerate(row)]) for r, row in enumerate(layout_rows)]

    head = pf.TableHead(*rows(layout.header, 0)) if layout.header else None
    # Row heads (<th> labels) only where no body cell crosses the label area: pandoc cuts such
    # cells at the boundary, which would break the block titles of table 二.
    row_heads = layout.label_columns if spec.table == "requests" else 0
    body = pf.TableBody(*rows(layout.body, len(layout.header)), row_head_columns=row_heads)
    colspec = [("AlignLeft" if i < layout.label_columns else "AlignCenter", w) for i, w in enumerate(shape.widths)]
    attributes = {}
    if small and output_format in ("html", "html5", "typst"):
        attributes = {"identifier": SMALL_CLASS} if output_format == "typst" else {"classes": [SMALL_CLASS]}
    return pf.Table(body, head=head, colspec=colspec, **attributes)


def _value_inlines(shown: CellView) -> list:
    value = [deduced_span(shown.text, shown.written)] if shown.deduced else markup_inlines(shown.text)
    if shown.missing:  # its row was not written: a rerun must still say so
        return [pf.Span(*value, classes=[MISSING_CLASS])]
    return value


def _marked(value: list, messages: tuple[str, ...], context: RenderContext) -> list:
    text = "；".join(messages)
    if context.output_format == "docx":  # pandoc's docx writer turns these spans into a Word comment
        number = str(next(context.comment_numbers))
        start = pf.Span(pf.Str(text), classes=["comment-start"], attributes={"id": number, "author": "gk-check"})
        return [start, *value, pf.Span(classes=["comment-end"], attributes={"id": number})]
    if context.output_format == "typst":
        return [raw_inline('#highlight(fill: rgb("#fde2e1"))[#text(fill: rgb("#a40000"), weight: "bold")[', "typst"), *value, raw_inline("]]", "typst")]
    return [pf.Span(*value, classes=[ERROR_CLASS], attributes={"title": text})]


def fill_in_place(table: pf.Table, positions: dict, checked: CheckedTable) -> None:
    """``layout: keep``: write the deduced values into the table as written, nothing else."""
    rows = table_rows(table)
    view = table_view(checked, findings=())
    for ref in checked.deduced:
        if ref in positions:
            r, i = positions[ref]
            rows[r].content[i].content = [pf.Plain(deduced_span(view.cells[ref].text, view.cells[ref].written))]


def deduced_span(text: str, written: str) -> pf.Span:
    """A deduced value, marked with what the author had written there."""
    return pf.Span(pf.Str(text), classes=[DEDUCED_CLASS], attributes={WRITTEN_ATTRIBUTE: written})
