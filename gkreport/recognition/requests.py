"""Table 三 (依申请) in a token stream.

Anchored by labels that can only be its rows; the span's labels are aligned with the official
rows of both formats, each row's figures taken after its label (or, in text where a wrapped
row's figures come before its label, before it: the reading that gives more rows the right
number of figures is kept).  Figures glued together are decoded with the row's arithmetic,
then the columns' across rows (``readings.resolve_glued``); a row with more than one reading
left is reported, never guessed.  The rows only one format has tell the format.
"""

from __future__ import annotations

from gkreport.findings import Finding
from gkreport.labels import fold
from gkreport.recognition.figures import RowReading, as_written, column_positions, header_columns, read_row, row_identities
from gkreport.recognition.readings import resolve_glued
from gkreport.recognition.result import Recognized
from gkreport.recognition.rows import GAP, STRONG, Reader, TextTable, count_finding
from gkreport.recognition.tokens import EMPTY, LABEL, MARK, NUMBER, Token
from gkreport.recognition.vocabulary import ROW
from gkreport.spec import DEFAULT_FORMAT, FORMATS, REQUESTS_COLUMN_GROUPS, REQUESTS_COLUMNS, format_markers, row_order, spec_for
from gkreport.values import parse_cell

_COLUMNS = len(REQUESTS_COLUMNS)
_IDENTITIES = row_identities("requests", DEFAULT_FORMAT, "new")  # every row of 三 alike: 总计 = the six applicant columns
_SPANNING = frozenset(fold(word) for word in REQUESTS_COLUMN_GROUPS)  # header words above several columns


class RequestsReader(Reader):
    table = "requests"
    columns: list[float] | None = None  # the region being read: where its columns stand, if laid out in columns

    def tables(self) -> list[TextTable]:
        out = []
        for span in self._regions():
            table = self._read(span)
            if table is not None:
                out.append(table)
        return out

    def _regions(self) -> list[list[int]]:
        anchors = [k for k in range(len(self.fits)) if self._anchors(k)]
        clusters: list[list[int]] = []
        for k in anchors:
            if clusters and self.items[k].first - self.items[clusters[-1][-1]].last <= GAP:
                clusters[-1].append(k)
            else:
                clusters.append([k])
        regions = []
        for cluster in clusters:
            rows = {max(self.fits[k].rows, key=self.fits[k].rows.get) for k in cluster}
            first, last = cluster[0], cluster[-1]
            while first > 0 and self._belongs(first - 1, self.items[first].first):
                first -= 1
            while last + 1 < len(self.items) and self._belongs(last + 1, self.items[last].last):
                last += 1
            span = list(range(first, last + 1))
            if len(rows) >= 3 or any(max(self.fits[k].rows.values()) >= 1.0 for k in cluster):
                regions.append(span)
        return regions

    def _anchors(self, k: int) -> bool:
        """A label that can only be a row of this table: close to an official label, and numbered
        as it or long enough not to be a word of prose ("予以公开" alone is both)."""
        fit, segment = self.fits[k], self.items[k].segment
        if not fit.rows or max(fit.rows.values()) < STRONG:
            return False
        return bool(segment.numbering) or len(segment.text) >= 8

    def _belongs(self, k: int, near: int) -> bool:
        """Whether item ``k`` (next to a table item at token ``near``) is part of the table."""
        item, fit = self.items[k], self.fits[k]
        if abs(item.first - near) > GAP:
            return False
        return bool(fit.rows or fit.group or fit.header or not item.segment.text)

    def _read(self, span: list[int]) -> TextTable | None:
        region = self.tokens[self.items[span[0]].first : self.end_token(span[-1]) + 1]
        self.columns = column_positions(region, _COLUMNS) or self._header_columns(span, region)
        rows = self._rows(span)
        good = [k for k, values, key in rows if key and self._reads(values)]
        start = next((k for k in span if self.fits[k].header or k in good), None)
        if start is None:  # labels with figures that fit no row and no header: prose naming the rows,
            return self._unreadable(span)  # or a table extracted column by column
        if start != span[0]:
            span = [k for k in span if k >= start]
            rows = self._rows(span)
        if not rows and not self._has_header(span):
            return None
        recognized = self._recognize(rows)
        if recognized is None:
            return self._unreadable(span)
        used = [t for _, values, _ in rows for t in values]
        last = max([used[-1].index] if used else [self.items[span[-1]].last])
        return self.text_table(recognized, span[0], max(last, self.items[span[-1]].last))

    def _header_columns(self, span: list[int], region: list[Token]) -> list[float] | None:
        """The seven columns read off the header words above the first row (text laid out in
        columns whose rows are too sparse to show them)."""
        first_row = next((k for k in span if self.fits[k].rows and not self.fits[k].header), None)
        figures = [t.start for t in region if t.kind in (NUMBER, MARK)]
        if first_row is None or not figures:
            return None
        end = self.items[first_row].first
        words = [t for t in region if t.index < end and t.kind == LABEL and fold(t.text) not in _SPANNING]
        return header_columns(words, _COLUMNS, left=min(figures) - 2)

    def _unreadable(self, span: list[int]) -> TextTable | None:
        """The rows are there, in order, but no figure sits by its row (a text extracted column by
        column): the table is present and unreadable, not missing."""
        anchored = {max(self.fits[k].rows, key=self.fits[k].rows.get) for k in span if self._anchors(k)}
        if len(anchored) < 5:
            return None
        found = Recognized("requests", self.default_format, {}, {}, format_known=False, intact=False)
        found.findings.append(Finding("unreadable-table", table="requests", params={"count": len(anchored)}))
        return self.text_table(found, span[0], self.items[span[-1]].last)

    def _reads(self, values: list[Token]) -> bool:
        reading = read_row(values, _COLUMNS, _IDENTITIES, zero_row_ok=False, columns=self.columns)
        return reading.cells is not None or bool(reading.readings)

    def _rows(self, span: list[int]) -> list[tuple[int, list[Token], str | None]]:
        """(item, figures, row key) of the span's rows, in the reading (figures after or before
        their label) that gives more rows the right number of figures."""
        assigned = self.align_rows(span, row_order(self.table))
        if not assigned:
            return []
        runs = self.value_runs(self.items[span[0]].first, self.end_token(span[-1]))
        best = None
        for mode in ("after", "before"):
            rows = self._attach(span, assigned, runs, mode)
            quality = sum(1 for _, values, key in rows if key and self._reads(values))
            if best is None or quality > best[0]:
                best = (quality, rows)
        return best[1]

    def _has_header(self, span: list[int]) -> bool:
        return sum(1 for k in span if self.fits[k].header) >= 1

    def _attach(self, span, assigned, runs, mode) -> list[tuple[int, list[Token], str | None]]:
        """(item, figures, row key or None) for every item that gets figures."""
        owners = [k for k in span if k in assigned or (not self.fits[k].header and not self.fits[k].group)]
        out: dict[int, list[Token]] = {}
        for start, end in runs:
            if mode == "after":
                before = [k for k in owners if self.items[k].last < start]
                owner = self._owner_after(before, assigned)
            else:
                after = [k for k in owners if self.items[k].first >= end]
                owner = after[0] if after else None
                if owner is not None and owner not in assigned:
                    same_run = [k for k in after if self.items[k].first == self.items[owner].first and k in assigned]
                    owner = same_run[0] if same_run else owner
            if owner is None:
                continue
            out.setdefault(owner, []).extend(self.tokens[start:end])
        self._split_doubled(out, [k for k in owners if k in assigned])
        return [(k, out[k], assigned.get(k)) for k in sorted(out)]

    def _split_doubled(self, out: dict[int, list[Token]], rows: list[int]) -> None:
        """Twice a row's figures after one label and none after the next: the text (plain pdftotext)
        put a wrapped row's figures before its label, so the second half is the next row's."""
        for k, following in zip(rows, rows[1:]):
            figures = [t for t in out.get(k, []) if t.kind in (NUMBER, MARK)]
            if len(figures) == 2 * _COLUMNS and following not in out:
                cut = figures[_COLUMNS]
                at = out[k].index(cut)
                out[k], out[following] = out[k][:at], out[k][at:]

    def _owner_after(self, before: list[int], assigned: dict[int, str]) -> int | None:
        if not before:
            return None
        last = before[-1]
        if last in assigned:
            return last
        previous = [k for k in before if k in assigned]
        if previous and self._continues(last, assigned[previous[-1]]):
            return previous[-1]  # the figures sit beside a wrapped label's later line
        # a label's continuation after it in the same run of labels: the figures are the label's
        run_start = self.items[last].first
        same_run = [k for k in before if k in assigned and self._same_run(k, last)]
        return same_run[-1] if same_run and run_start >= self.items[same_run[-1]].first else last

    def _continues(self, k: int, key: str) -> bool:
        """Whether item ``k`` is the rest of row ``key``'s label, wrapped onto a later line."""
        segment = self.items[k].segment
        if segment.numbering or len(segment.text) < 2:
            return False
        from rapidfuzz import fuzz  # a wrapped label is rare: most texts never pay for rapidfuzz

        labels = [e.text for e in self.entries if e.kind == ROW and e.key == key]
        return any(fuzz.partial_ratio(segment.text, label) >= 80 for label in labels if len(label) > len(segment.text))

    def _same_run(self, a: int, b: int) -> bool:
        low, high = sorted((self.items[a].first, self.items[b].last))
        return all(self.tokens[i].kind == LABEL for i in range(low, high + 1))

    def _format(self, keys: set[str]) -> tuple[str, bool]:
        """The format a row only it has tells (the newest first), else the default, not known."""
        for fmt in FORMATS:
            if keys & format_markers(self.table, fmt).rows:
                return fmt, True
        return self.default_format, False

    def _recognize(self, rows) -> Recognized | None:
        """The table from its rows (each holds figures: see ``_attach``)."""
        fmt, known = self._format({key for _, _, key in rows if key})
        spec = spec_for("requests", fmt)
        found = Recognized("requests", fmt, {}, {}, format_known=known)
        order = [r.key for r in spec.rows]
        placed: dict[str, tuple[int, list[Token]]] = {}
        unplaced: list[tuple[int, list[Token]]] = []
        for k, values, key in rows:
            if key is not None and key not in order and all(t.kind == EMPTY for t in values):
                continue  # a row of the other format, written empty
            if key is None or key not in order:
                unplaced.append((k, values))
            elif key in placed:
                found.findings.append(self._row_finding("duplicate-row", spec, key, k, values))
                found.intact = False
            else:
                placed[key] = (k, values)
        self._place_illegible(spec, order, placed, unplaced, found)
        readings: dict[str, RowReading] = {}
        for key, (k, values) in placed.items():
            reading = read_row(values, len(spec.columns), row_identities(spec.table, spec.format, key), columns=self.columns)
            if reading.problem == "unbalanced":
                found.findings.append(
                    Finding("glued-row-unbalanced", table="requests", row=spec.row(key).display, given=as_written(reading.tokens))
                )
                continue
            if reading.cells is None and not reading.readings:
                found.findings.append(count_finding(spec, key, reading))
                found.intact = False
                continue
            readings[key] = reading
        resolve_glued(spec, readings, found)
        for key, reading in readings.items():
            if reading.cells is None:
                continue
            for column, (text, token) in zip(spec.columns, reading.cells):
                cell = (key, column.key)
                found.cells[cell] = parse_cell(text, spec.kind_of(cell))
                found.positions[cell] = (token.line, token.start)
        if not found.cells and not placed:
            return None
        present = set(placed)
        missing = [r for r in spec.rows if r.key not in present]
        if missing and present:
            found.findings.append(Finding("missing-rows", table="requests", params={"rows": [r.display for r in missing]}))
        return found

    def _place_illegible(self, spec, order, placed, unplaced, found) -> None:
        """Rows whose label fits no official row: placed where exactly as many official rows are
        missing between their neighbours, else reported with their figures."""
        by_item = sorted([(k, key) for key, (k, _) in placed.items()])
        groups: dict[tuple[int, int], list] = {}
        for k, values in unplaced:
            before = [order.index(key) for item, key in by_item if item < k]
            after = [order.index(key) for item, key in by_item if item > k]
            low = max(before) if before else -1
            high = min(after) if after else len(order)
            groups.setdefault((low, high), []).append((k, values))
        for (low, high), members in groups.items():
            free = [key for key in order[low + 1 : high] if key not in placed]
            if len(free) == len(members):
                for key, (k, values) in zip(free, members):
                    placed[key] = (k, values)
                    found.findings.append(
                        Finding("row-placed-by-position", table="requests", row=spec.row(key).display, given=self.given(k))
                    )
                continue
            for k, values in members:
                if not [t for t in values if t.kind != EMPTY]:
                    continue
                rows = self.fits[k].rows
                best = max(rows, key=rows.get) if rows else None
                if best in placed and rows[best] >= STRONG:
                    found.findings.append(self._row_finding("duplicate-row", spec, best, k, values))
                else:
                    found.findings.append(
                        Finding("unplaced-row", table="requests", given=self.given(k), params={"figures": as_written(values)})
                    )
                found.intact = False

    def _row_finding(self, code, spec, key, k, values) -> Finding:
        return Finding(
            code, table=spec.table, row=spec.row(key).display, given=self.given(k), params={"figures": as_written(values)}
        )
