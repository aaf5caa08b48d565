"""Table 二 (主动公开) in a token stream.

Anchored by its structure (a block title "第二十条第(X)项" or the header "信息内容") near a
label that can only be one of its rows.  The labels are aligned with the official rows of both
formats; each row's figures, after its label, are placed in its block's columns.  The column
labels, rows and blocks only one format has tell the format.
"""

from __future__ import annotations

from gkreport.findings import Finding
from gkreport.labels import fold
from gkreport.recognition.figures import as_written, column_positions, header_columns, read_row
from gkreport.recognition.result import Recognized
from gkreport.recognition.rows import GAP, NO_FIT, STRONG, Fit, Reader, TextTable, ambiguous_finding, count_finding
from gkreport.recognition.tokens import EMPTY, LABEL, MARK, NUMBER, Token
from gkreport.recognition.vocabulary import Segment, block_titles
from gkreport.spec import ACTIVE_CONTENT_HEADER, FORMATS, format_markers, row_order, spec_for
from gkreport.values import INVALID, CellValue, asked_decimals, parse_cell

_CONTENT_HEADER = fold(ACTIVE_CONTENT_HEADER)


class ActiveReader(Reader):
    table = "active"

    def fit(self, segment: Segment) -> Fit:
        fit = super().fit(segment)
        if fit is not NO_FIT and "条" in segment.raw:
            titles = block_titles(segment.raw)
            if titles:
                fit = fit._replace(block=titles[-1][2])
        return fit

    def tables(self) -> list[TextTable]:
        anchors = [
            k
            for k, fit in enumerate(self.fits)
            if fit.block or self._is_content_header(k) or (fit.rows and max(fit.rows.values()) >= STRONG)
        ]
        clusters: list[list[int]] = []
        for k in anchors:
            if clusters and self.items[k].first - self.items[clusters[-1][-1]].last <= GAP:
                clusters[-1].append(k)
            else:
                clusters.append([k])
        out = []
        for cluster in clusters:
            structure = any(self.fits[k].block or self._is_content_header(k) for k in cluster)
            rows = {max(self.fits[k].rows, key=self.fits[k].rows.get) for k in cluster if self.fits[k].rows}
            if not structure or not rows:
                continue
            cluster = cluster[next(i for i, k in enumerate(cluster) if self.fits[k].block or self._is_content_header(k)) :]
            table = self._read(cluster)
            if table is not None:
                out.append(table)
        return out

    def _columns(self, k: int, count: int, owners: list[int], attached: dict) -> list[float] | None:
        """Where row ``k``'s columns stand in text laid out in columns: the figures of a full row of
        its block, else the header words after its block's "信息内容"."""
        header = max((h for h in range(k + 1) if self._is_content_header(h)), default=None)
        if header is None:
            return None
        block = [o for o in owners if header <= o and not any(self._is_content_header(h) for h in range(header + 1, o + 1))]
        full = [t for o in block for t in attached.get(o, []) if t.kind in (NUMBER, MARK)]
        found = column_positions(full, count) if len({t.line for t in full}) > 1 else None
        if found:
            return found
        item = self.items[header]
        content = next((t for t in self.tokens[item.first : item.last + 1] if _CONTENT_HEADER in fold(t.text)), None)
        if content is None:
            return None
        end = self.items[k].last if header == k else self.items[k].first  # the header and the row label in one run
        words = [t for t in self.tokens[content.index + 1 : end] if t.kind == LABEL]
        return header_columns(words, count, left=content.end + 1) if words else None

    def _is_content_header(self, k: int) -> bool:
        return _CONTENT_HEADER in self.items[k].segment.text

    def _format(self, cluster: list[int], assigned: dict[int, str]) -> tuple[str, bool]:
        """The format with more of what only it has: its column labels written, its rows and block
        titles (twice the weight), else the default, not known."""
        text = "".join(self.items[k].segment.text for k in range(cluster[0], cluster[-1] + 1))
        keys = set(assigned.values())
        blocks = {self.fits[k].block for k in cluster}
        votes = {}
        for fmt in FORMATS:
            markers = format_markers(self.table, fmt)
            votes[fmt] = sum(1 for label in markers.columns if fold(label) in text)
            votes[fmt] += 2 * len(keys & markers.rows) + 2 * bool(blocks & markers.blocks)
        best = max(votes.values())
        leaders = [fmt for fmt in FORMATS if votes[fmt] == best]
        if len(leaders) == 1:
            return leaders[0], True
        return self.default_format, False

    def _read(self, cluster: list[int]) -> TextTable | None:
        span = list(range(cluster[0], cluster[-1] + 1))
        assigned = self.align_rows(span, row_order(self.table))
        if not assigned:
            return None
        fmt, known = self._format(cluster, assigned)
        spec = spec_for("active", fmt)
        header_text = "".join(self.items[k].segment.raw for k in span)
        first_token = self.items[span[0]].first
        last_token = self.end_token(span[-1])
        runs = self.value_runs(first_token, last_token)
        owners = [k for k in span if k in assigned]
        found = Recognized("active", fmt, {}, {}, format_known=known, decimals=asked_decimals(header_text))
        attached: dict[int, list[Token]] = {}
        for start, end in runs:
            before = [k for k in owners if self.items[k].last < start]
            if before:
                attached.setdefault(before[-1], []).extend(self.tokens[start:end])
        valid = {r.key for r in spec.rows}
        seen: set[str] = set()
        for k in owners:
            key, values = assigned[k], attached.get(k, [])
            if key not in valid:
                if [t for t in values if t.kind != EMPTY]:
                    found.findings.append(
                        Finding("unplaced-row", table="active", given=self.given(k), params={"figures": as_written(values)})
                    )
                    found.intact = False
                continue
            if key in seen:
                found.findings.append(
                    Finding(
                        "duplicate-row",
                        table="active",
                        row=spec.row(key).display,
                        given=self.given(k),
                        params={"figures": as_written(values)},
                    )
                )
                found.intact = False
                continue
            seen.add(key)
            columns = spec.columns_of(spec.row(key))
            reading = read_row(values, len(columns), columns=self._columns(k, len(columns), owners, attached))
            if reading.cells is None:
                if reading.readings:
                    found.findings.append(ambiguous_finding(spec, key, reading, reading.readings))
                    for column in columns:
                        found.cells[(key, column.key)] = CellValue(as_written(reading.tokens), INVALID, problem="ambiguous")
                        found.positions[(key, column.key)] = (reading.tokens[0].line, reading.tokens[0].start)
                    continue
                if not reading.tokens:
                    continue
                found.findings.append(count_finding(spec, key, reading))
                found.intact = False
                continue
            for column, (text, token) in zip(columns, reading.cells):
                cell = (key, column.key)
                found.cells[cell] = parse_cell(text, spec.kind_of(cell))
                found.positions[cell] = (token.line, token.start)
        if not found.cells and found.intact:
            return None
        missing = [r for r in spec.rows if r.key not in seen]
        if missing and seen:
            found.findings.append(Finding("missing-rows", table="active", params={"rows": [r.display for r in missing]}))
        used = [t for k in owners for t in attached.get(k, [])]
        last = max([used[-1].index] if used else [self.items[span[-1]].last])
        return self.text_table(found, span[0], max(last, self.items[span[-1]].last))
