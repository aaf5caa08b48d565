"""What recognition returns: which official table was found, in which format, every cell's value
and where it was written, and the findings of reading it."""

from __future__ import annotations

from dataclasses import dataclass, field

from gkreport.findings import Finding
from gkreport.spec import CellKey, spec_for
from gkreport.values import CellValue

Position = tuple[int, int]  # (written row, cell index in that row); for text, (line, column)


@dataclass
class Recognized:
    table: str
    format: str
    cells: dict[CellKey, CellValue]
    positions: dict[CellKey, Position]
    findings: list[Finding] = field(default_factory=list)
    format_known: bool = True  # False when the table itself does not tell the format
    intact: bool = True  # False when a written figure could not be placed: the table stays as written
    decimals: int | None = None  # the decimals the header asks amounts to be written with ("保留4位小数")

    @property
    def spec(self):
        return spec_for(self.table, self.format)

    @property
    def rows_present(self) -> set[str]:
        return {row for row, _ in self.cells}


def merge_active(parts: list[Recognized]) -> Recognized:
    """Table 二 written as several block tables: one recognized table (positions refer to each part)."""
    fmt = next((p.format for p in parts if p.format_known), parts[0].format)
    merged = Recognized(
        "active",
        fmt,
        {},
        {},
        format_known=any(p.format_known for p in parts),
        intact=all(p.intact for p in parts),
        decimals=next((p.decimals for p in parts if p.decimals is not None), None),
    )
    for part in parts:
        merged.cells.update(part.cells)
        merged.findings.extend(f for f in part.findings if f.code != "missing-rows")
    note_missing_rows(merged)
    return merged


def note_missing_rows(found: Recognized) -> None:
    """A ``missing-rows`` warning naming the official rows the table does not have (if it has some)."""
    present = found.rows_present
    missing = [r for r in found.spec.rows if r.key not in present]
    if missing and present:
        found.findings.append(Finding("missing-rows", table=found.table, params={"rows": [r.display for r in missing]}))
