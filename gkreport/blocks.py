"""Pandoc documents through panflute: loading one, walking its blocks, building a few.

panflute's ``walk`` visits every inline of every table cell; the checks only need the blocks,
and ``blocks`` is many times faster.
"""

from __future__ import annotations

import io

import panflute as pf
from panflute.elements import RAW_FORMATS

# panflute 2.3's list of raw formats predates pandoc's typst writer: a document holding raw typst
# could not even be loaded without these.
NEWER_RAW_FORMATS = frozenset({"typst", "pptx", "asciidoc", "djot", "typst-raw"})


def know_newer_raw_formats() -> None:
    """Teach panflute the raw formats it does not list (idempotent); called before loading a
    document or making a raw element, never as a side effect of an import."""
    RAW_FORMATS.update(NEWER_RAW_FORMATS)


def load(json_text: str) -> pf.Doc:
    """A pandoc JSON document as a panflute ``Doc``, raw blocks of newer pandoc writers included."""
    know_newer_raw_formats()
    return pf.load(io.StringIO(json_text))


def raw_block(text: str, fmt: str) -> pf.RawBlock:
    know_newer_raw_formats()
    return pf.RawBlock(text, format=fmt)


def raw_inline(text: str, fmt: str) -> pf.RawInline:
    know_newer_raw_formats()
    return pf.RawInline(text, format=fmt)

_LEAF_BLOCKS = (pf.Para, pf.Plain, pf.Header, pf.Table, pf.CodeBlock, pf.RawBlock, pf.HorizontalRule, pf.LineBlock)


def blocks(elements):
    """Every block in document order, into Divs, quotes and lists but not into tables."""
    for elem in elements:
        yield elem
        if isinstance(elem, _LEAF_BLOCKS) or not isinstance(elem, pf.Block):
            continue
        if isinstance(elem, pf.DefinitionList):
            for item in elem.content:
                for definition in item.definitions:
                    yield from blocks(definition.content)
        elif isinstance(elem, (pf.BulletList, pf.OrderedList)):
            for item in elem.content:
                yield from blocks(item.content)
        elif isinstance(elem, pf.Figure):
            yield from blocks(elem.content)
        elif hasattr(elem, "content"):
            yield from blocks(elem.content)


def replace(element, new: list) -> None:
    """Put ``new`` blocks where ``element`` stands (found by identity, not equality)."""
    container = element.parent.content if element.parent is not None else None
    if container is None:
        return
    for i, item in enumerate(container):
        if item is element:
            del container[i]
            for block in reversed(new):
                container.insert(i, block)
            return


def inlines(text: str) -> list:
    """Words of a line of text as pandoc inlines (Str and Space)."""
    out = []
    for i, word in enumerate(text.split()):
        if i:
            out.append(pf.Space())
        out.append(pf.Str(word))
    return out


def table_rows(table) -> list:
    """A pandoc table's rows in reading order: head, each body's head and rows, foot."""
    rows = list(table.head.content) if table.head else []
    for body in table.content:
        rows.extend(body.head)
        rows.extend(body.content)
    if table.foot:
        rows.extend(table.foot.content)
    return rows
