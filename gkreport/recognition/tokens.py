"""Text into tokens: the labels, figures and blanks of tables that reach the checker as text.

Tables copied from pages and extracted from PDFs arrive in many shapes: ``|`` rows, tab rows,
one cell per line (with or without ``|`` debris), columns aligned by runs of spaces, labels
wrapped onto the next line, cells glued together with no separator at all, a whole report on
one line.  What they share is the sequence of what was written: labels and figures.  This
module reads any text into that sequence; the table readers (``recognition.text``) align it with
the official tables.

A token is a ``LABEL`` (text), a ``NUMBER`` (digits as written, possibly several cells glued
together, or a garbled figure such as ``3l``), a ``MARK`` (a blank mark such as ``/``, ``—``,
``无``, or ``?``) or an ``EMPTY`` cell (nothing between two ``|`` on one line).  Digits that
belong to a label stay in it: numbering ("1.属于国家秘密"; in "00000002.其他…" the final 2 is
the next label's number), years and dates ("2021年"), "第3", "保留4位小数".
"""

from __future__ import annotations

import re
from typing import NamedTuple

from gkreport.values import ASK_TEXTS, BLANK_TEXTS

LABEL, NUMBER, MARK, EMPTY = "label", "number", "mark", "empty"


class Token(NamedTuple):
    kind: str
    text: str
    line: int  # index of the line in the text
    start: int  # character offsets in that line
    end: int
    cell: bool = False  # the token is a whole cell (bounded by separators), not cut from glued text
    index: int = -1  # its place in the stream (set by ``numbered``)
    aligned: bool = False  # its line sets cells apart by runs of spaces: its columns mean positions


# Page furniture that text extraction leaves between table rows: page numbers, "P. 9", and a
# flipbook's running head ("Page 9 - 2020年报_审计局").
_FURNITURE = re.compile(
    r"^\s*(?:[-—–－]\s*\d{1,3}\s*[-—–－]|第\s*\d{1,3}\s*页(?:\s*[,，/]?\s*共\s*\d{1,3}\s*页)?|\d{1,3}\s*/\s*\d{1,3}|P\.\s*\d{1,3}"
    r"|Page\s*\d{1,3}\s*[-—–].*)\s*$"
)
# Cells: "|" separates, else tabs, else two or more spaces (columns aligned by pdftotext -layout).
_SPACES = re.compile(r"[ \u3000\xa0]{2,}")

_NUMBERING_AFTER = re.compile(r"\s*[.．、](?=\s*[^\d\s.．、])")
_NUMBER = re.compile(r"[+\-]?\d+(?:[,，]\d{3})*(?:\.\d+)?(?:万元|元)?")
_GLUED_MARK = "无—／/"  # blank marks a scraper glues between figures ("12无无无1无13")
# In glued text: digits that belong to a label; a blank mark between figures; a number, signed when
# a sign or a sign word stands right before it ("减7", "96-36": 96 then -36).
_SCAN = re.compile(
    r"(?P<label>\d{4}\s*年(?:度)?|\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?|\d{1,2}\s*日|第\s*\d+|保留\s*\d+\s*位|\d+\s*位小数)"
    rf"|(?P<mark>(?<=[\d{_GLUED_MARK}])[{_GLUED_MARK}]|[{_GLUED_MARK}](?=[\d+\-{_GLUED_MARK}]))"
    r"|(?P<number>(?:增加|减少|[增减+\-])?\d+(?:[,，]\d{3})*(?:\.\d+)?(?:万元|元)?)"
)
_GARBLED = re.compile(r"^(?=.*\d)[\dOoIlSsBZ]{2,12}$")  # a figure with a letter for a digit: "3l", "6o"
_HAS_DIGIT = re.compile(r"\d").search
_WITH_UNIT = re.compile(r"(?:增加|减少|[增减+\-])?\d+(?:[,，]\d{3})*(?:\.\d+)?\s*(?:件|个|条|项|次|人次|万元|元)?")
_CHINESE_NUMERAL = re.compile(r"[零〇一二三四五六七八九十百千万两]{1,8}")
MARKS = frozenset(BLANK_TEXTS | ASK_TEXTS | {"？", "－", "——", "/", "／", "\\"}) - {""}


# A report's title repeated at the top of every page; a page number alone on its line, set apart
# from the text by a page's blank lines (a figure alone on its line has no such gap before it).
_RUNNING_TITLE = re.compile(r"^\s*\S.{0,40}?20\d\d\s*年(?:度)?.{0,20}?(?:政府信息公开|政务公开).{0,12}?报告\s*$")
_LONE_PAGE_NUMBER = re.compile(r"^\s{4,}\d{1,3}\s*$")


def is_furniture(line: str) -> bool:
    return _FURNITURE.match(line) is not None


def _furniture(line: str, gap: int) -> bool:
    """Page furniture, a running title, or a page number after a page's blank lines."""
    if _FURNITURE.match(line) or ("报告" in line and _RUNNING_TITLE.match(line)):
        return True
    bare = line.replace("\f", "")
    return (gap >= 2 or bare != line) and _LONE_PAGE_NUMBER.match(bare) is not None


_new = tuple.__new__  # a token without NamedTuple's keyword handling: tokenizing is the hot path


def tokenize(lines: list[str]) -> list[Token]:
    """The tokens of every line.  How ``|`` is used is read from the whole text: where most piped
    lines open with one, it is a border; elsewhere ("a | b |") a line opening with ``|`` has an
    empty first cell.  A line holding only ``|`` after an empty line (each cell followed by a line of
    ``|``) stands for an empty cell."""
    piped = [line.lstrip() for line in lines if "|" in line or "｜" in line]
    bordered = sum(1 for line in piped if line[:1] in "|｜") > len(piped) / 2
    tokens: list[Token] = []
    previous, gap = "", 0
    for number, line in enumerate(lines):
        if not line or line.isspace():
            previous, gap = "", gap + 1
            continue
        if len(line) < 90 and _furniture(line, gap):
            continue
        gap = 0
        if line.strip() in ("|", "｜") and not previous and number > 0:
            found = [Token(EMPTY, "", number, 0, 0, True)]
        else:
            found = _line_tokens(line, number, bordered)
        for kind, text, _, start, end, cell, _, aligned in found:
            tokens.append(_new(Token, (kind, text, number, start, end, cell, len(tokens), aligned)))
        previous = line.strip()
    return tokens


def numbered(tokens: list[Token]) -> list[Token]:
    """The tokens, each knowing its place in the stream."""
    if all(t.index == i for i, t in enumerate(tokens)):
        return tokens
    return [t._replace(index=i) for i, t in enumerate(tokens)]


def _line_tokens(line: str, number: int, bordered: bool = True) -> list[Token]:
    """A line's tokens.  On a line with ``|`` (or tabs), nothing between two separators is an
    ``EMPTY`` cell, and so is a line holding only whitespace then ``|`` (a blank cell in the form
    where every cell is followed by ``" |"``); a line holding only ``|`` is debris, and so is a line
    of ``||||`` (merged cells' separators)."""
    if "｜" in line:
        line = line.replace("｜", "|")
    if line.endswith(" |") and line.count("|") == 1 and line[0] != " ":  # "0 |": one cell a line, the common case
        return cell_tokens(line[:-2].rstrip(), number, 0)
    if "|" in line:
        if not line.replace("|", "").strip() and line.count("|") > 1:
            return []  # "||||": debris where merged cells were
        return _split_tokens(line, number, line.split("|"), True, bordered)
    if "\t" in line.lstrip():  # trailing tabs count: they are a row's empty last cells
        body = line.lstrip(" \t")
        return [t._replace(start=t.start + len(line) - len(body), end=t.end + len(line) - len(body)) for t in _split_tokens(body, number, body.split("\t"), False, True)]
    if "  " not in line and "\u3000" not in line and "\xa0" not in line:
        stripped = line.strip()  # one cell on the line: the most common case
        return cell_tokens(stripped, number, line.index(stripped)) if stripped else []
    out: list[Token] = []
    position = 0
    for match in _SPACES.finditer(line + "  "):
        text = line[position : match.start()]
        if text.strip():
            out.extend(t._replace(aligned=True) for t in cell_tokens(text.strip(), number, position + len(text) - len(text.lstrip())))
        position = match.end()
    return out


def _split_tokens(line: str, number: int, pieces: list[str], piped: bool, bordered: bool) -> list[Token]:
    """The cells between separators.  Between two separators nothing is an empty cell; after the
    last pipe it is nothing, after the last tab an empty cell (rows keep their trailing tabs)."""
    out: list[Token] = []
    last = len(pieces) - 1
    start = 0
    for i, text in enumerate(pieces):
        end = start + len(text)
        if text and not text.isspace():
            stripped = text.strip()
            out.extend(cell_tokens(stripped, number, start + text.index(stripped)))
        elif 0 < i < last or (not piped and i == last and i > 0):
            out.append(Token(EMPTY, "", number, start, end, True))
        elif piped and i == 0 and (not bordered or (last == 1 and text and not pieces[1].strip())):
            out.append(Token(EMPTY, "", number, start, end, True))  # "| 5 | 5 |" where cells are "a |": an empty first cell
        start = end + 1
    return out


_CJK = re.compile(r"[\u4e00-\u9fff]")
_UNITS = frozenset("件个条项次元万增减加少")
_NUMBERED_LABEL = re.compile(r"\s*[(（]?\d{1,2}\s*[)）.．、]\s*\D")


def figure_cell(cell: str) -> bool:
    """Whether a table cell holds a figure (however written: "58^1^", "~~60~~ 58", "5件", "减7", "3l")
    rather than a label: it has a digit and at most one Chinese character that is not a unit."""
    if _HAS_DIGIT(cell) is None or "*" in cell or _NUMBERED_LABEL.match(cell):  # "2.****" is a redacted label
        return False
    return sum(1 for ch in _CJK.findall(cell) if ch not in _UNITS) <= 1


def cell_tokens(cell: str, line: int, offset: int) -> list[Token]:
    """The tokens of one cell: a whole figure, a mark, or labels and figures written in it, with
    spaces between them or glued together."""
    if cell.isdigit() and cell.isascii():
        return [_new(Token, (NUMBER, cell, line, offset, offset + len(cell), True, -1, False))]
    if cell in MARKS:
        return [Token(MARK, cell, line, offset, offset + len(cell), True)]
    if not _HAS_DIGIT(cell) and " " not in cell:
        kind = NUMBER if _CHINESE_NUMERAL.fullmatch(cell) else LABEL  # "十二" written for 12: a figure, and not a number
        return [_new(Token, (kind, cell, line, offset, offset + len(cell), True, -1, False))]
    if _WITH_UNIT.fullmatch(cell):  # "5件", "减7": one figure
        return [Token(NUMBER, cell, line, offset, offset + len(cell), True)]
    if _GARBLED.match(cell) and not cell.isdigit():
        return [Token(NUMBER, cell, line, offset, offset + len(cell), True)]
    words = cell.split()
    if not any(w in MARKS or _is_figure(w) for w in words) and not _HAS_DIGIT(cell):
        return [Token(LABEL, cell, line, offset, offset + len(cell), True)]
    tokens: list[Token] = []
    label: tuple[int, int] | None = None  # the span of the words of label text not yet cut
    position = 0
    for word in words:
        start = cell.index(word, position)
        position = start + len(word)
        if word in MARKS or _is_figure(word):
            if label is not None:
                tokens.extend(_glued_tokens(cell[label[0] : label[1]], line, offset + label[0]))
                label = None
            tokens.append(Token(MARK if word in MARKS else NUMBER, word, line, offset + start, offset + position, True))
        else:
            label = (label[0] if label else start, position)
    if label is not None:
        tokens.extend(_glued_tokens(cell[label[0] : label[1]], line, offset + label[0]))
    if len(tokens) == 1:
        tokens[0] = tokens[0]._replace(cell=True)
    return tokens


def _is_figure(word: str) -> bool:
    return _WITH_UNIT.fullmatch(word) is not None or (_GARBLED.match(word) is not None and not word.isdigit())


def _glued_tokens(text: str, line: int, offset: int):
    """Split text into label, number and mark tokens where digits are not part of a label."""
    if not any(ch.isdigit() for ch in text):
        yield Token(LABEL, text.strip(), line, offset, offset + len(text))
        return
    label_start = 0
    for match in _SCAN.finditer(text):
        if match.lastgroup == "label":
            continue
        found, start, end = match.group(), match.start(), match.end()
        if match.lastgroup == "number" and "." not in found and "元" not in found and _NUMBERING_AFTER.match(text, end):
            # "…00000002.其他法律…": the last digit numbers the next label
            if len(found.lstrip("+-增减加少")) == 1:
                continue
            end -= 1
            found = found[:-1]
        if start > label_start and text[label_start:start].strip():
            yield Token(LABEL, text[label_start:start].strip(), line, offset + label_start, offset + start)
        yield Token(MARK if match.lastgroup == "mark" else NUMBER, found, line, offset + start, offset + end)
        label_start = end
    if text[label_start:].strip():
        yield Token(LABEL, text[label_start:].strip(), line, offset + label_start, offset + len(text))
