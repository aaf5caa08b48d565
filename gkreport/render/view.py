"""What each cell of a checked table shows, whatever it is rendered as (pandoc, text, HTML).

``table_view(checked)`` gives, for every value cell of the official layout, the text to show,
whether the engine deduced it (and what the author had written there, which the mark keeps for a
rerun), whether its row was never written, and the messages of the error findings that name it.
Each renderer turns the same view into its own markup, so the three cannot disagree.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from gkreport.checks.engine import CheckedTable
from gkreport.findings import ERROR, Finding
from gkreport.spec import CellKey, Layout, official_layout
from gkreport.values import MISSING, format_number

ERROR_CLASS = "gk-error"  # a cell an error finding names, in every output that can mark it


@dataclass(frozen=True)
class CellView:
    text: str  # what the cell shows: the value deduced, else exactly what was written
    deduced: bool = False
    written: str = ""  # what the author wrote there (kept on a deduced value)
    missing: bool = False  # its row was not written at all
    errors: tuple[str, ...] = ()  # the messages of the error findings naming it, each once


@dataclass(frozen=True)
class TableView:
    layout: Layout
    cells: dict[CellKey, CellView]

    def rows(self):
        """The layout's rows, header first."""
        return list(self.layout.header) + list(self.layout.body)


def table_view(checked: CheckedTable, fill: bool = True, findings: Iterable[Finding] | None = None, lang: str = "zh") -> TableView:
    """``fill``: show the deduced values (else what was written); ``findings`` (default: the
    table's own) name the error cells, their messages in ``lang``."""
    spec = checked.spec
    layout = official_layout(spec.table, spec.format)
    errors = error_messages(checked.findings if findings is None else findings, lang)
    cells = {}
    for ref, value in checked.cells.items():
        written = value.raw.strip()
        deduced = fill and ref in checked.deduced
        text = format_number(checked.deduced[ref]) if deduced else written
        cells[ref] = CellView(text, deduced, written, value.state == MISSING, tuple(errors.get(ref, ())))
    return TableView(layout, cells)


def error_messages(findings: Iterable[Finding], lang: str = "zh") -> dict[CellKey, list[str]]:
    """Each cell an error finding names, with the messages that name it (each once, in order)."""
    cells: dict[CellKey, list[str]] = {}
    for finding in findings:
        if finding.severity == ERROR:
            for suspect in finding.suspects:
                if suspect.cell is not None:
                    messages = cells.setdefault(suspect.cell, [])
                    if (message := finding.message(lang)) not in messages:
                        messages.append(message)
    return cells
