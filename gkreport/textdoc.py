"""A report published as plain text, read into a pandoc document without pandoc.

Text copied from a web page is not Markdown: "****" redactions would become emphasis and
flattened tables would run together.  Each line becomes a paragraph (a heading when it is a
section heading such as "二、主动公开政府信息情况"), and each flattened table that is one of
the three official tables becomes a real table.
"""

from __future__ import annotations

import re

import panflute as pf

from .blocks import inlines
from .flattened import blocks_from_lines

_HEADING = re.compile(r"^\s*[一二三四五六七八九十]{1,2}、\S.{0,40}$")
_TITLE = re.compile(r"(20\d\d)\s*年.*(政府信息公开|政务公开).*报告")


def doc_from_text(text: str) -> pf.Doc:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")

    def prose(start: int, end: int) -> list:
        blocks = []
        for line in lines[start:end]:
            line = line.strip()
            if not line:
                continue
            words = inlines(line)
            blocks.append(pf.Header(*words, level=1) if _HEADING.match(line) else pf.Para(*words))
        return blocks

    doc = pf.Doc(*blocks_from_lines(lines, prose))
    title = next((line.strip() for line in lines[:10] if _TITLE.search(line)), None)
    if title:
        doc.metadata["title"] = pf.MetaString(title)
    return doc
