"""Putting the official tables where they were written in a pandoc document.

A table written as a table is replaced; a table of 二 written as several block tables
replaces the first and the others go; a table flattened into paragraphs replaces the lines
it took, the prose on the lines around it staying as written.  A table is left exactly as
written when a written figure could not be placed (``Recognized.intact`` is false) or when it
shares a line with other text (the text would be cut).
"""

from __future__ import annotations

from collections.abc import Callable

import panflute as pf

from gkreport.blocks import replace
from gkreport.readers.pandoc import line_inlines


def replacement(table, official: pf.Table) -> list[Callable[[], None]]:
    """The actions that put ``official`` in place of ``table`` (a ``report.TableResult``), or none."""
    if not table.recognized.intact or not table.elements:
        return []
    elements = [block.origin for block in table.elements]
    if table.span is None:
        first, *rest = elements
        return [lambda: replace(first, [official])] + [lambda element=element: replace(element, []) for element in rest]
    if not table.span.whole_lines(table.elements):
        return []
    start, end = table.span.start, table.span.end
    first, last = elements[0], elements[-1]
    before = _lines(first, 0, start[1])
    after = _lines(last, end[1] + 1, None)
    actions = [lambda: replace(first, before + [official] + (after if first is last else []))]
    actions += [lambda element=element: replace(element, []) for element in elements[1:-1]]
    if last is not first:
        actions.append(lambda: replace(last, after))
    return actions


def _lines(paragraph, start: int, end: int | None) -> list:
    """A paragraph holding lines [start, end) of ``paragraph`` with their own inlines, or nothing."""
    if isinstance(paragraph, pf.LineBlock):
        kept = list(paragraph.content)[start:end]
        return [pf.LineBlock(*kept)] if any(pf.stringify(line).strip() for line in kept) else []
    groups = line_inlines(paragraph)[start:end]
    if not any(pf.stringify(pf.Plain(*group)).strip() for group in groups if group):
        return []
    inlines: list = []
    for group in groups:
        if inlines:
            inlines.append(pf.SoftBreak())
        inlines.extend(group)
    return [type(paragraph)(*inlines)]
