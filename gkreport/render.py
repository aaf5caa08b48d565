"""Rendering a checked table in the official layout, as a pandoc table (panflute).

The layout comes from ``spec.official_layout``: merged header cells, the three-column label
area of table 三 with its group labels spanning their rows.  Values: what the author wrote,
exactly as written; a value the engine deduced, marked with the class ``gk-deduced`` (so a
second run knows it was deduced, and the HTML can style it); anything else as written.
"""

from __future__ import annotations

import panflute as pf

from .engine import CheckedTable
from .blocks import inlines
from .cellmarkup import inlines as markup_inlines
from .grid import DEDUCED_CLASS, WRITTEN_ATTRIBUTE, table_rows
from .gridtable import value_text
from .spec import Layout, LayoutCell, official_layout
from .values import format_number

ERROR_CLASS = "gk-error"

_WIDTHS = {
    ("requests", "2021"): [0.10, 0.12, 0.27] + [0.073] * 7,
    ("requests", "2019"): [0.10, 0.12, 0.27] + [0.073] * 7,
    ("appeals", "2021"): [1 / 15] * 15,
    ("appeals", "2019"): [1 / 15] * 15,
    ("active", "2021"): [0.40, 0.20, 0.20, 0.20],
    ("active", "2019"): [0.28] + [0.12] * 6,
}


def render_official(checked: CheckedTable, fill: bool = True, marks: bool = False, output_format: str = "", lang: str = "zh") -> pf.Table:
    """``marks`` (draft mode): each cell an error names is marked — a Word comment holding the
    messages in DOCX, a highlight elsewhere."""
    spec = checked.spec
    layout = official_layout(spec.table, spec.format)
    wrong = _error_cells(checked, lang) if marks else {}

    def cell(item: LayoutCell) -> pf.TableCell:
        if item.ref is None:
            words = inlines(item.text)
            if item.role in ("header", "corner") and words:
                words = [pf.Strong(*words)]  # header cells bold in every output (GB/T 9704 tables)
            content = [pf.Plain(*words)] if item.text else []
            return pf.TableCell(*content, alignment="AlignCenter" if item.role != "label" else "AlignLeft",
                                rowspan=item.rowspan, colspan=item.colspan)
        value = _value_inlines(checked, item.ref, fill)
        if item.ref in wrong:
            value = _marked(value, wrong[item.ref], output_format)
        return pf.TableCell(*([pf.Plain(*value)] if value else []), alignment="AlignCenter", rowspan=item.rowspan, colspan=item.colspan)

    head = pf.TableHead(*[pf.TableRow(*[cell(c) for c in row]) for row in layout.header]) if layout.header else None
    # Row heads (<th> labels) only where no body cell crosses the label area: pandoc cuts such
    # cells at the boundary, which would break the block titles of table 二.
    row_heads = layout.label_columns if spec.table == "requests" else 0
    body = pf.TableBody(*[pf.TableRow(*[cell(c) for c in row]) for row in layout.body], row_head_columns=row_heads)
    colspec = [("AlignLeft" if i < layout.label_columns else "AlignCenter", w) for i, w in enumerate(_widths(spec, layout))]
    return pf.Table(body, head=head, colspec=colspec)


def _widths(spec, layout: Layout) -> list[float]:
    widths = _WIDTHS[(spec.table, spec.format)]
    assert len(widths) == layout.ncols
    return widths


def _value_inlines(checked: CheckedTable, ref, fill: bool) -> list:
    text, deduced = value_text(checked, ref, fill)
    return [deduced_span(checked, ref)] if deduced else markup_inlines(text)


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
