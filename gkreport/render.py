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
from .grid import DEDUCED_CLASS, WRITTEN_ATTRIBUTE, table_rows
from .spec import Layout, LayoutCell, official_layout
from .values import GIVEN, format_number

ERROR_CLASS = "gk-error"

_WIDTHS = {
    ("requests", "2021"): [0.10, 0.12, 0.27] + [0.073] * 7,
    ("requests", "2019"): [0.10, 0.12, 0.27] + [0.073] * 7,
    ("appeals", "2021"): [1 / 15] * 15,
    ("appeals", "2019"): [1 / 15] * 15,
    ("active", "2021"): [0.40, 0.20, 0.20, 0.20],
    ("active", "2019"): [0.28] + [0.12] * 6,
}


def render_official(checked: CheckedTable, fill: bool = True, marks: bool = False) -> pf.Table:
    spec = checked.spec
    layout = official_layout(spec.table, spec.format)
    wrong = _error_cells(checked) if marks else set()

    def cell(item: LayoutCell) -> pf.TableCell:
        if item.ref is None:
            content = [pf.Plain(*inlines(item.text))] if item.text else []
            return pf.TableCell(*content, alignment="AlignCenter" if item.role != "label" else "AlignLeft",
                                rowspan=item.rowspan, colspan=item.colspan)
        value = _value_inlines(checked, item.ref, fill)
        if item.ref in wrong:
            value = [pf.Span(*value, classes=[ERROR_CLASS])]
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
    value = checked.cells[ref]
    if ref in checked.deduced and fill:
        return [deduced_span(checked, ref)]
    if value.state == GIVEN:
        return inlines(value.raw.strip())
    text = value.raw.strip()
    return inlines(text) if text else []


def _error_cells(checked: CheckedTable) -> set:
    return {s.cell for f in checked.findings if f.severity == "error" for s in f.suspects if s.cell}


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
