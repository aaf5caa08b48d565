"""A pandoc document (panflute) as a ``model.Document``: the adapter for the filter and for every
input pandoc reads (Markdown, ODT, pandoc JSON).

Headers become headings, paragraphs paragraphs (their soft and hard breaks kept as lines, so
a table flattened into a paragraph keeps its shape), tables grids, ``gkreport`` code blocks data
blocks.  Each block's ``origin`` is its panflute element: the filter puts the official table
there.
"""

from __future__ import annotations

import re

import panflute as pf

from gkreport.blocks import blocks
from gkreport.grid import grid_from_panflute
from gkreport.model import DataBlock, Document, Heading, Paragraph, Table

DATA_BLOCK_CLASSES = frozenset({"gkreport", "gk"})
METADATA_KEYS = ("title", "year", "gk-year", "level", "date", "org")


def document_from_pandoc(doc: pf.Doc) -> Document:
    out = []
    for elem in blocks(doc.content):
        if isinstance(elem, pf.Header):
            out.append(Heading(pf.stringify(elem), elem.level, elem))
        elif isinstance(elem, (pf.Para, pf.Plain)):
            out.append(Paragraph(paragraph_text(elem), elem))
        elif isinstance(elem, pf.LineBlock):
            out.append(Paragraph(paragraph_text(elem), elem))
        elif isinstance(elem, pf.Table):
            out.append(Table(grid_from_panflute(elem), elem))
        elif isinstance(elem, pf.CodeBlock) and set(elem.classes) & DATA_BLOCK_CLASSES:
            out.append(DataBlock(elem.text, tuple(elem.classes), dict(elem.attributes), elem))
    metadata = {key: _plain(doc.get_metadata(key, None)) for key in METADATA_KEYS}
    return Document(out, {k: v for k, v in metadata.items() if v not in (None, "")})


def paragraph_text(elem) -> str:
    """The paragraph's text, a line per source line."""
    return "\n".join(line_texts(elem))


def line_texts(elem) -> list[str]:
    if isinstance(elem, pf.LineBlock):
        return [pf.stringify(line) for line in elem.content]
    return ["".join(_inline_text(i) for i in line) for line in line_inlines(elem)]


def line_inlines(elem) -> list[list]:
    """The paragraph's inlines, a list per source line (the breaks left out)."""
    lines, current = [], []
    for inline in elem.content:
        if isinstance(inline, (pf.SoftBreak, pf.LineBreak)):
            lines.append(current)
            current = []
        else:
            current.append(inline)
    lines.append(current)
    return lines


def _inline_text(inline) -> str:
    if isinstance(inline, pf.Str):
        return inline.text
    if isinstance(inline, pf.Space):
        return " "
    return pf.stringify(inline)


def _plain(value):
    if value is None:
        return None
    if isinstance(value, (dict, list)):
        return value
    return re.sub(r"\s+", " ", str(value)).strip()
