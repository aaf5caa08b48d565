"""A report published as plain text, as a pandoc document (for the filter and ``gk build``).

Text copied from a web page is not Markdown: "****" redactions would become emphasis and
flattened tables would run together.  Each line becomes a paragraph of its own (a heading when
it opens one of the six sections); the filter then finds the tables in the run of paragraphs,
whatever shape they were flattened to, as it does in any document.
"""

from __future__ import annotations

import panflute as pf

from gkreport.blocks import inlines
from gkreport.headings import heading_section, is_numbered
from gkreport.readers.text import read_text


def doc_from_text(text: str) -> pf.Doc:
    document = read_text(text)
    blocks = []
    for paragraph in document.blocks:
        line = paragraph.text.strip()
        if not line:
            continue
        cells = any(mark in line for mark in "|｜\t")  # a row of a flattened table ("一、****申请数量 | 4 | …")
        heading = not cells and len(line) <= 60 and is_numbered(line) and heading_section(line) is not None
        blocks.append(pf.Header(*inlines(line), level=1) if heading else pf.Para(*inlines(line)))
    doc = pf.Doc(*blocks)
    if document.title:
        doc.metadata["title"] = pf.MetaString(document.title)
    if document.metadata.get("date"):
        doc.metadata["date"] = pf.MetaString(document.metadata["date"])
    return doc
