"""``%gkcheck`` without a file: the findings of every ``%%gkreport`` table of the session, each
table named with the cell it came from (its execution count, as the prompt ``[5]:`` shows it)."""

from __future__ import annotations

from html import escape

from gkreport.findings import TABLE_NAMES, brief
from gkreport.services.tablesource import GkTable

_WORDS = {
    "zh": {"cell": "单元格 [{n}]", "unknown": "单元格 [?]", "clean": "没有发现问题"},
    "en": {"cell": "cell [{n}]", "unknown": "cell [?]", "clean": "no finding"},
}


class SessionFindings:
    def __init__(self, tables: dict[str, GkTable], cells: dict[str, int | None], lang: str = "zh", verbose: bool = False):
        self.lang = "en" if lang == "en" else "zh"
        self.verbose = verbose
        self.entries = sorted(
            ((cells.get(kind), table) for kind, table in tables.items()), key=lambda entry: (entry[0] is None, entry[0] or 0)
        )

    def heading(self, cell: int | None, table: GkTable) -> str:
        words = _WORDS[self.lang]
        where = words["cell"].format(n=cell) if cell is not None else words["unknown"]
        name = TABLE_NAMES[self.lang][table.table]
        clean = "" if table.findings else ("：" if self.lang == "zh" else ": ") + words["clean"]
        return (f"{name}（{where}）" if self.lang == "zh" else f"{name} ({where})") + clean

    def shown(self, table: GkTable) -> list:
        """Errors first, the values filled summed up in one line unless ``verbose``."""
        return brief(table.findings, self.verbose, "%gkcheck --verbose")

    def __repr__(self) -> str:
        lines = []
        for cell, table in self.entries:
            lines.append(self.heading(cell, table))
            lines += ["  " + f.line(self.lang) for f in self.shown(table)]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        from gkreport.render.html import findings_html

        parts = []
        for cell, table in self.entries:
            parts.append(f'<p class="gk-source" style="margin:6px 0 2px;font-weight:bold;">{escape(self.heading(cell, table))}</p>')
            parts.append(findings_html(self.shown(table), self.lang))
        return "".join(parts)
