"""Table 四 (复议诉讼) in a token stream.

Its header is words, not rows: the groups (行政复议, 行政诉讼 and its two parts) and the results
(结果维持 … 总计).  A run of header labels holding both top groups, and either part of 行政诉讼 or
two results, is the table; the fifteen figures after it are its one row, read with the row's
arithmetic when glued together.  Both formats print the table alike: it does not tell the format.
"""

from __future__ import annotations

from gkreport.findings import Finding
from gkreport.recognition.figures import as_written, read_row, row_identities
from gkreport.recognition.result import Recognized
from gkreport.recognition.rows import GAP, Reader, TextTable, ambiguous_finding, count_finding
from gkreport.recognition.tokens import EMPTY, LABEL, MARK, NUMBER
from gkreport.spec import APPEALS_LEAVES, APPEALS_ROW, APPEALS_SUIT_GROUPS, APPEALS_TOP_GROUPS, spec_for
from gkreport.values import INVALID, CellValue, parse_cell

_TOP = frozenset(APPEALS_TOP_GROUPS)
_SUITS = frozenset(APPEALS_SUIT_GROUPS)
_RESULTS = frozenset(label for key, label, _ in APPEALS_LEAVES if key != "total")
_WORDS = APPEALS_TOP_GROUPS + APPEALS_SUIT_GROUPS + tuple(label for _, label, _ in APPEALS_LEAVES)


class AppealsReader(Reader):
    table = "appeals"

    def tables(self) -> list[TextTable]:
        out = []
        k = 0
        while k < len(self.items):
            words = self._words(k)
            if not words & _TOP:
                k += 1
                continue
            cluster = [k]
            seen = set(words)
            j = k + 1
            while (
                j < len(self.items)
                and self.items[j].first - self.items[cluster[-1]].last <= GAP
                and self._words(j)
                and not self._has_values_between(cluster[-1], j)
            ):
                seen |= self._words(j)
                cluster.append(j)
                j += 1
            structure = _TOP <= seen and (seen & _SUITS or len(seen & _RESULTS) >= 2)
            if structure:
                table = self._read(cluster)
                if table is not None:
                    out.append(table)
                    k = j
                    continue
            k += 1
        return out

    def _words(self, k: int) -> set[str]:
        if self.items[k].segment.heading:
            return set()
        text = self.items[k].segment.text
        return {w for w in _WORDS if w in text}

    def _has_values_between(self, a: int, b: int) -> bool:
        return any(self.tokens[i].kind in (NUMBER, MARK) for i in range(self.items[a].last + 1, self.items[b].first))

    def _read(self, cluster: list[int]) -> TextTable | None:
        last_header = self.items[cluster[-1]].last
        i = last_header + 1
        skipped = 0
        while i < len(self.tokens) and self.tokens[i].kind == LABEL and skipped < 3 and len(self.tokens[i].text) <= 12:
            i, skipped = i + 1, skipped + 1  # vertical header letters, a short row label
        values = []
        labelled = {t.line for t in self.tokens[self.items[cluster[0]].first : i] if t.kind == LABEL}
        while i < len(self.tokens) and self.tokens[i].kind != LABEL:
            token = self.tokens[i]
            if not (token.kind == EMPTY and token.line in labelled):  # separators left after the header's cells
                values.append(token)
            i += 1
        figures = [t for t in values if t.kind != EMPTY]
        spec = spec_for(self.table, self.default_format)
        row = APPEALS_ROW.key
        if not figures and len(values) < len(spec.columns):
            return None  # a blank table 四 has its fifteen empty cells
        found = Recognized(self.table, self.default_format, {}, {}, format_known=False)
        reading = read_row(values, len(spec.columns), row_identities(self.table, self.default_format, row))
        if reading.problem == "unbalanced":
            found.findings.append(Finding("glued-row-unbalanced", table=self.table, row="", given=as_written(reading.tokens)))
        elif reading.cells is None:
            if reading.readings:
                found.findings.append(ambiguous_finding(spec, row, reading, reading.readings))
                for column in spec.columns:
                    found.cells[(row, column.key)] = CellValue(as_written(figures), INVALID, problem="ambiguous")
            else:
                found.findings.append(count_finding(spec, row, reading))
                found.intact = False
        else:
            if reading.glued:
                found.findings.append(Finding("glued-cells", table=self.table))
            for column, (text, token) in zip(spec.columns, reading.cells):
                cell = (row, column.key)
                found.cells[cell] = parse_cell(text, spec.kind_of(cell))
                found.positions[cell] = (token.line, token.start)
        return self.text_table(found, cluster[0], values[-1].index)
