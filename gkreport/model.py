"""The document model: what every reader produces and the one thing the checker reads.

A reader (Markdown through pandoc, plain text, HTML, DOCX, PDF) turns its input into a
``Document``: the metadata (title, year, level, date, org and the filter options, as plain
Python values), and the blocks in reading order:

* ``Heading`` — a heading the source marks as one (Markdown ``#``, HTML ``<h2>``, a Word
  heading style).  Text that only looks like a heading ("二、主动公开政府信息情况" on a line of
  its own) stays a ``Paragraph``: the checker decides, because "三、本年度办理结果" looks like a
  heading too and is a row of table 三.
* ``Paragraph`` — text; a paragraph may hold several lines ("\\n"), and may hold a table
  flattened to text (rows joined by ``|``, tabs, one cell per line, cells glued together, a
  whole report on one line).  The recognizer finds such tables in runs of paragraphs.
* ``Table`` — a table the source marks as one, as a ``Grid`` of its cells with their spans.
* ``DataBlock`` — a fenced ``gkreport`` block listing the non-zero cells of one table.

Every block carries an ``origin``: whatever its reader needs to find the block again (the
panflute element the filter replaces, the DOCX table ``gk fix`` writes into, a page number).
The checker never looks inside it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from gkreport.grid import Grid

DATA_BLOCK_CLASSES = frozenset({"gkreport", "gk"})  # a fenced block of these classes holds a table as data


@dataclass(eq=False)
class Heading:
    text: str
    level: int = 1
    origin: Any = None


@dataclass(eq=False)
class Paragraph:
    text: str
    origin: Any = None

    @property
    def lines(self) -> list[str]:
        return self.text.split("\n")


@dataclass(eq=False)
class Table:
    grid: Grid
    origin: Any = None


@dataclass(eq=False)
class DataBlock:
    text: str
    classes: tuple[str, ...] = ()
    attributes: dict[str, str] = field(default_factory=dict)
    origin: Any = None


Block = Heading | Paragraph | Table | DataBlock


@dataclass(eq=False)
class Document:
    blocks: list[Block]
    metadata: dict[str, Any] = field(default_factory=dict)
    path: str = ""

    @property
    def title(self) -> str:
        return str(self.metadata.get("title") or "")
