"""What a written label may mean: the official labels of the three tables, matched leniently.

``entries(table)`` lists, for one table in both formats, every official name a writer may use
for its rows, row groups, header cells and block titles: the official label, its aliases and
its short form (all from ``spec.py``), each with the official numbering ("一、", "(一)", "1.").

``segments(text)`` cuts a written label run at its numbering ("三、本年度办理结果(一)予以公开"
holds two labels; "(三)不予公开1.属于国家秘密" too); ``score(segment, entry)`` says how well a
segment fits an entry, from 1 (the official label) down, tolerating short, variant,
Traditional, redacted, truncated and mistyped labels.  Which entry a segment *is* is decided by
``align``: the official order of the rows settles what the words alone leave open.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache
from typing import NamedTuple

from gkreport.labels import fold
from gkreport.spec import (
    ACTIVE_BLOCKS,
    ACTIVE_CONTENT_HEADER,
    APPEALS_GROUPS,
    APPEALS_LEAVES,
    BLOCK_TITLE,
    FORMATS,
    REQUESTS_CORNER,
    spec_for,
)

ROW, GROUP, HEADER, BLOCK = "row", "group", "header", "block"


class Entry(NamedTuple):
    table: str
    kind: str  # ROW | GROUP | HEADER | BLOCK
    key: str  # row key, group label, column key or block title
    text: str  # folded
    numbering: str  # official numbering, normalised ("一、", "(一)", "1."), or ""
    official: bool  # the official label itself (not an alias or short form)


class Segment(NamedTuple):
    numbering: str  # written numbering, normalised, or ""
    text: str  # folded label text
    raw: str
    start: int = 0  # where the segment starts in the text it was cut from
    heading: bool = False  # a section heading ("二、主动公开政府信息情况"): part of no table


_NUMBERING = re.compile(r"[(（]\s*[一二三四五六七八九十]{1,3}\s*[)）]|(?<![第一二三四五六七八九十])[一二三四五六七八九十]{1,3}\s*、|(?<![\d.])\d{1,2}\s*[.．、](?!\d)")
_BLOCK_TITLE = re.compile(r"第\s*二\s*十\s*条\s*第?\s*[(（]\s*([一二三四五六七八九十]{1,3})\s*[)）]\s*项")


def normalise_numbering(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).replace(" ", "")
    if text.startswith("("):
        return text
    if text[-1] in ".、" and text[:-1].isdigit():
        return text[:-1] + "."
    return text


def official_numbering(label: str) -> str:
    match = _NUMBERING.match(label.strip())
    return normalise_numbering(match.group()) if match else ""


@cache
def entries(table: str) -> tuple[Entry, ...]:
    out: list[Entry] = []
    seen: set[tuple[str, str, str]] = set()

    def add(kind: str, key: str, label: str, official: bool, numbering: str | None = None) -> None:
        text = fold(label)
        if not text or (kind, key, text) in seen:
            return
        seen.add((kind, key, text))
        out.append(Entry(table, kind, key, text, official_numbering(label) if numbering is None else numbering, official))

    for fmt in FORMATS:
        spec = spec_for(table, fmt)
        for row in spec.rows:
            if not row.label:
                continue
            number = official_numbering(row.label)
            add(ROW, row.key, row.label, True)
            for alias in (*row.aliases, row.short):
                if alias:
                    add(ROW, row.key, alias, False, number)
            if row.group:
                add(GROUP, row.group, row.group, True)
        for column in spec.columns:
            for label in (column.label, *column.aliases):
                add(HEADER, column.key, label, label == column.label)
        for word in spec.column_groups:
            add(HEADER, word, word, True)
    if table == "requests":
        add(HEADER, "corner", REQUESTS_CORNER, True)
    if table == "appeals":
        for _, label, _ in APPEALS_GROUPS:
            for part in label.split(" / "):
                add(HEADER, part, part, True)
        for key, label, short in APPEALS_LEAVES:
            add(HEADER, key, label, True)
    if table == "active":
        for block in dict.fromkeys(block for fmt in FORMATS for block in ACTIVE_BLOCKS[fmt]):
            add(BLOCK, block, block, True, "")
        add(HEADER, ACTIVE_CONTENT_HEADER, ACTIVE_CONTENT_HEADER, True)
    return tuple(out)


def block_titles(text: str) -> list[tuple[int, int, str]]:
    """(start, end, official block title) of each "第二十条第(X)项" in the text."""
    return [(m.start(), m.end(), BLOCK_TITLE.format(m.group(1))) for m in _BLOCK_TITLE.finditer(text)]


@lru_cache(maxsize=16384)
def segments(raw: str) -> tuple[Segment, ...]:
    """The labels of a run of label text, cut where a numbering starts one."""
    titles = block_titles(raw) if "条" in raw else []
    cuts = [m.start() for m in _NUMBERING.finditer(raw) if not any(start <= m.start() < end for start, end, _ in titles)]
    cuts += [start for start, _, _ in titles if start > 0]
    out = []
    starts = [0] + sorted(set(cuts) - {0})
    for i, start in enumerate(starts):
        end = starts[i + 1] if i + 1 < len(starts) else len(raw)
        piece = raw[start:end]
        numbering = ""
        match = _NUMBERING.match(piece)
        if match:
            numbering = normalise_numbering(match.group())
            piece = piece[match.end():]
        text = fold(piece)
        if text or numbering:
            out.append(Segment(numbering, text, raw[start:end], start))
    return tuple(out)


def score(segment: Segment, entry: Entry) -> float:
    """How well a written segment fits an entry: 1 is the official label with its numbering;
    below 0.5 it does not fit."""
    similarity = _similarity(segment.text, entry.text)
    if similarity <= 0:
        return 0.0
    if segment.numbering and entry.numbering:
        similarity += 0.15 if segment.numbering == entry.numbering else -0.3
    elif entry.numbering and not segment.numbering and similarity < 1:
        similarity -= 0.02
    return similarity


def _similarity(written: str, official: str) -> float:
    if not written:
        return 0.0
    if written == official:
        return 1.0
    if "*" in written:
        return _redacted(written, official)
    if len(official) >= 2 and written.startswith(official):
        return 0.8 + 0.15 * len(official) / len(written)  # the label, then a wrapped annotation or debris
    if len(written) >= 4 and official.startswith(written):
        return 0.55 + 0.35 * len(written) / len(official)  # cut short (wrapped onto the next line)
    if len(official) >= 3 and official in written:
        return 0.6 + 0.3 * len(official) / len(written)
    if len(written) >= 3 and written in official and len(written) * 2 >= len(official):
        return 0.5 + 0.35 * len(written) / len(official)  # a short form ("三类内部事务")
    if min(len(written), len(official)) < 4:
        return 0.0
    from rapidfuzz import fuzz

    ratio = fuzz.ratio(written, official) / 100
    tolerance = 1 - min(3, max(1, len(official) // 6)) / len(official)  # a typo or two
    if ratio >= tolerance - 0.05:
        return 0.5 + 0.4 * ratio
    return 0.0


def _redacted(written: str, official: str) -> float:
    pieces = [re.escape(p) for p in re.split(r"\*+", written)]
    known = sum(len(p) for p in pieces)
    if known < 2:
        return 0.0
    if re.fullmatch(".*".join(pieces), official):
        return 0.55 + 0.3 * known / len(official)
    return 0.0
