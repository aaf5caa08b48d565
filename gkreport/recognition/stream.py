"""The labels of a token stream: where each written label starts and ends, and what it says.

A run of label tokens is cut at its numbering into segments (``vocabulary.segments``): each is
an ``Item`` the table readers align with the official rows.  A section heading run together
with the table after it is an item of its own, part of no table; a blank mark glued between a
row's label and the next label is that row's one cell (``marks_after_rows``).
"""

from __future__ import annotations

import bisect
import itertools
import re
from functools import lru_cache
from typing import NamedTuple

from gkreport.headings import INLINE_HEADING, heading_section
from gkreport.labels import fold
from gkreport.recognition.tokens import LABEL, MARK, Token
from gkreport.recognition.vocabulary import ROW, Segment, entries, segments
from gkreport.spec import TABLES


class Item(NamedTuple):
    first: int  # token where the label starts
    last: int  # token where it ends
    segment: Segment
    column: int  # where the label starts in its line


def label_items(tokens: list[Token]) -> list[Item]:
    """The labels of the stream: runs of label tokens cut at their numbering."""
    items: list[Item] = []
    i = 0
    while i < len(tokens):
        if tokens[i].kind != LABEL:
            i += 1
            continue
        j = i
        while j + 1 < len(tokens) and tokens[j + 1].kind == LABEL:
            j += 1
        texts = [t.text for t in tokens[i : j + 1]]
        starts = list(itertools.accumulate([0] + [len(t) for t in texts]))
        joined = "".join(texts)
        for segment in _without_headings(segments(joined)):
            first = i + bisect.bisect_right(starts, segment.start, 0, len(texts)) - 1
            end = max(segment.start + len(segment.raw), segment.start + 1)
            last = i + bisect.bisect_left(starts, end, 0, len(texts)) - 1
            lead = len(segment.raw) - len(segment.raw.lstrip())
            column = tokens[first].start + max(0, segment.start + lead - starts[first - i])
            items.append(Item(first, last, segment, column))
        i = j + 1
    return items


def _without_headings(found: list[Segment]) -> list[Segment]:
    """A section heading run together with the table after it ("四、政府信息公开行政复议、行政诉讼情况
    行政复议行政诉讼结果维持…") is a label of its own, so the table starts after it."""
    out = []
    for segment in found:
        match = INLINE_HEADING.match(segment.raw.strip()) if segment.numbering else None
        if match is None or heading_section(match.group()) is None:
            out.append(segment)
            continue
        offset = segment.raw.index(match.group()) + len(match.group())
        out.append(segment._replace(text=fold(match.group()), raw=segment.raw[:offset], heading=True))
        rest = segment.raw[offset:]
        if fold(rest):
            out.append(Segment("", fold(rest), rest, segment.start + offset))
    return out


_MARK_IN_LABEL = re.compile(r"[/／—]")


def marks_after_rows(tokens: list[Token]) -> list[Token]:
    """A blank mark glued between a row's label and the next label ("行政处罚/行政强制98"): the row's
    one cell, written blank."""
    out: list[Token] = []
    for token in tokens:
        if token.kind != LABEL or not _MARK_IN_LABEL.search(token.text):
            out.append(token)
            continue
        pieces, rest = [], token.text
        for match in list(_MARK_IN_LABEL.finditer(token.text))[::-1]:
            left, right = rest[: match.start()], rest[match.end() :]
            if fold(right) and _ends_with_row(fold(left)):
                pieces[:0] = [(MARK, match.group()), (LABEL, right)]
                rest = left
        if not pieces:
            out.append(token)
            continue
        position = token.start
        for kind, text in [(LABEL, rest), *pieces]:
            out.append(token._replace(kind=kind, text=text, start=position, end=position + len(text), cell=False))
            position += len(text)
    return out


@lru_cache(maxsize=4096)
def _ends_with_row(folded: str) -> bool:
    return any(folded.endswith(e.text) for table in TABLES for e in entries(table) if e.kind == ROW and len(e.text) >= 2)
