"""Keeping a table with the sentence that introduces it, and the signature with the body's end (DOCX, typst).

A heading keeps with what follows it by its style (DOCX) or its show rule (typst); the paragraph
right before an official table is made to keep with the table too, so that a page never ends on
a heading and its lead-in sentence with the table on the next page.  DOCX: the paragraph takes
the "GK Lead-in" style of templates/reference.docx (Body Text with keep-with-next); typst: it is
wrapped in a sticky block.  Other outputs are not paginated and are left as they are.
"""

from __future__ import annotations

import panflute as pf

from gkreport.blocks import raw_block

LEAD_IN_STYLE = "GK Lead-in"


def keep_with_table(table: pf.Table, output_format: str, owner) -> None:
    """``owner``: the element whose content holds ``table`` (a panflute insert does not set ``parent``)."""
    container = getattr(owner, "content", None)
    if container is None:
        return
    index = next((i for i, item in enumerate(container) if item is table), None)
    if index:
        keep_with_next(container, index - 1, output_format)


def keep_with_next(container, index: int, output_format: str) -> None:
    """The paragraph at ``index`` kept on the page of the block after it (another block is left alone)."""
    paragraph = container[index]
    if not isinstance(paragraph, pf.Para) or output_format not in ("docx", "typst"):
        return
    if output_format == "docx":
        container[index] = pf.Div(paragraph, attributes={"custom-style": LEAD_IN_STYLE})
    else:
        container[index : index + 1] = [raw_block("#block(sticky: true)[", "typst"), paragraph, raw_block("]", "typst")]
