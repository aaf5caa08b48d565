"""Section headings: which of the six sections of the report a line opens.

Shared by the readers (a plain-text line that is a heading), recognition (where a table's text
ends) and the whole-report checks (which sections are there).  The sections are ``spec.SECTIONS``.
"""

from __future__ import annotations

import re

from gkreport.labels import fold
from gkreport.spec import SECTION_NUMBERS, SECTIONS

_NUMBER = f"[{''.join(SECTION_NUMBERS)}]"  # the number of one of the six sections
_NUMBERED = re.compile(rf"^\s*({_NUMBER})\s*[、.．]")


def is_numbered(text: str) -> bool:
    """Whether a line opens like a section heading ("二、…")."""
    return _NUMBERED.match(text) is not None


def heading_section(text: str) -> str | None:
    """Which of the six sections a heading line opens, or None."""
    text = text.strip()
    if not text or len(text) > 60:
        return None
    numbered = _NUMBERED.match(text)
    folded = fold(text)
    if numbered and "*" in text:  # a redacted heading ("二、****政府信息情况") keeps its number
        return numbered.group(1)
    for number, _, words in SECTIONS:
        if any(w in folded for w in words) and (numbered is None or numbered.group(1) == number):
            if numbered or len(folded) <= 24:
                return number
    return None


INLINE_HEADING = re.compile(rf"({_NUMBER})\s*[、.．]\s*([^。，,；;：:\d]{{2,40}}?(?:情况|事项)|{SECTIONS[0].title})")


def split_inline_headings(text: str) -> list[str]:
    """A long line holding its section headings inline ("…一、总体情况2021年，我区…二、主动公开…")
    cut into headings and the text between them; a short line is returned as it is."""
    if len(text) <= 80:
        return [text]
    pieces, done = [], 0
    for match in INLINE_HEADING.finditer(text):
        heading = match.group()
        if heading_section(heading) is None:
            continue
        if match.start() > done:
            pieces.append(text[done : match.start()])
        pieces.append(heading)
        done = match.end()
    pieces.append(text[done:])
    return [p for p in (piece.strip() for piece in pieces) if p]


def section_headings(texts: list[str]) -> list[str]:
    """The section numbers the heading texts open, in order of first appearance."""
    found = []
    for text in texts:
        number = heading_section(text)
        if number and number not in found:
            found.append(number)
    return found
