"""Rendering a checked table in the official layout, as a pandoc table (panflute).

The layout comes from ``spec.official_layout``: merged header cells, the three-column label
area of table 三 with its group labels spanning their rows.  Values: what the author wrote,
exactly as written; a value the engine deduced, marked with the class ``gk-deduced`` (so a
second run knows it was deduced, and the HTML can style it); anything else as written.
"""

from __future__ import annotations

import panflute as pf

from gkreport.blocks import inlines, table_rows
from gkreport.cellmarkup import inlines as markup_inlines
from gkreport.checks.engine import CheckedTable
from gkreport.grid import DEDUCED_CLASS, MISSING_CLASS, WRITTEN_ATTRIBUTE
from gkreport.render import geometry
from gkreport.render.colwidths import table_geometry
from gkreport.render.gridtable import value_text
from gkreport.spec import LayoutCell, official_layout
from gkreport.values import MISSING, format_number

ERROR_CLASS = "gk-error"
SMALL_CLASS = "gk-small"  # a table set in 小五: the class in HTML, the label in typst
SMALL_STYLE = "GK Table Small"  # its paragraph style in templates/reference.docx


def render_official(checked: CheckedTable, fill: bool = True, marks: bool = False, output_format: str = "", lang: str = "zh") -> pf.Table:
    """``marks`` (draft mode): each cell an error names is marked — a Word comment holding the
    messages in DOCX, a highlight elsewhere."""
    spec = checked.spec
    layout = official_layout(spec.table, spec.format)
    wrong = _error_cells(checked, lang) if marks else {}
    texts = {c.ref: value_text(checked, c.ref, fill)[0] for row in layout.header + layout.body for c in row if c.ref is not None}
    shape = table_geometry(layout, spec.table, spec.format, texts)
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
        value = _value_inlines(checked, item.ref, fill)
        if item.ref in wrong:
            value = _marked(value, wrong[item.ref], output_format)
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


def _value_inlines(checked: CheckedTable, ref, fill: bool) -> list:
    text, deduced = value_text(checked, ref, fill)
    value = [deduced_span(checked, ref)] if deduced else markup_inlines(text)
    if checked.cells[ref].state == MISSING:  # its row was not written: a rerun must still say so
        return [pf.Span(*value, classes=[MISSING_CLASS])]
    return value


def _error_cells(checked: CheckedTable, lang: str) -> dict:
    """Each cell an error finding names, with the messages that name it."""
    cells: dict = {}
    for finding in checked.findings:
        if finding.severity == "error":
            for suspect in finding.suspects:
                if suspect.cell is not None:
                    cells.setdefault(suspect.cell, []).append(finding.message(lang))
    return cells


_comment_ids = iter(range(1, 1_000_000))


def _marked(value: list, messages: list[str], output_format: str) -> list:
    text = "；".join(dict.fromkeys(messages))
    if output_format == "docx":  # pandoc's docx writer turns these spans into a Word comment
        number = str(next(_comment_ids))
        start = pf.Span(pf.Str(text), classes=["comment-start"], attributes={"id": number, "author": "gk-check"})
        return [start, *value, pf.Span(classes=["comment-end"], attributes={"id": number})]
    if output_format == "typst":
        return [pf.RawInline('#highlight(fill: rgb("#fde2e1"))[#text(fill: rgb("#a40000"), weight: "bold")[', format="typst"), *value, pf.RawInline("]]", format="typst")]
    return [pf.Span(*value, classes=[ERROR_CLASS], attributes={"title": text})]


def fill_in_place(table: pf.Table, positions: dict, checked: CheckedTable) -> None:
    """``layout: keep``: write the deduced values into the table as written, nothing else."""
    rows = table_rows(table)
    for ref in checked.deduced:
        if ref in positions:
            r, i = positions[ref]
            rows[r].content[i].content = [pf.Plain(deduced_span(checked, ref))]


def deduced_span(checked: CheckedTable, ref) -> pf.Span:
    """A deduced value, marked with what the author had written there."""
    written = checked.cells[ref].raw.strip()
    return pf.Span(pf.Str(format_number(checked.deduced[ref])), classes=[DEDUCED_CLASS], attributes={WRITTEN_ATTRIBUTE: written})
