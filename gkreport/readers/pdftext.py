"""Text of a PDF page from the positions of its characters: lines, cell texts, paragraphs, and the
page furniture (running headers, page numbers) that is not the report's text.

Pure geometry on ``Char`` boxes in page coordinates as the page is displayed (points, origin at
the top left, y growing downwards); ``pdf.py`` gets the characters from PDFium.  Sizes are
measured in the height of a character's box, which is about its font size ("em").

Spacing follows what was written, not how it was set: no space between CJK characters set
close, nor between a CJK character and a digit or letter (the quarter em a word processor
leaves there is not a space anyone typed); one space where the PDF has a space character,
between two words of Latin letters or digits set apart, or at a gap of almost half an em (two
cells of a borderless table set close); two spaces or more at a column gap (a gap wider than
one em with no character in it), which is how a table without ruling lines keeps its columns
apart.
"""

from __future__ import annotations

import bisect
import re
import statistics
import unicodedata
from dataclasses import dataclass
from typing import NamedTuple


class Char(NamedTuple):
    text: str  # one character; " " for a space the PDF holds
    x0: float
    top: float
    x1: float
    bottom: float

    @property
    def height(self) -> float:
        return self.bottom - self.top

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def centre(self) -> float:
        return (self.x0 + self.x1) / 2


COLUMN_GAP = 1.0  # a gap of this many em with no character in it separates two columns
SPACE_GAP = 0.4  # a gap of this many em is a space, even between CJK characters (two cells set close)
WORD_GAP = 0.2  # between two Latin words or numbers, a gap of this many em is a space
SAME_LINE = 0.5  # two characters overlapping by this part of the smaller height are on one line


@dataclass
class Run:
    """Characters of one line between two column gaps."""

    text: str
    x0: float
    x1: float


@dataclass
class Line:
    chars: list[Char]  # in reading order, spaces included
    runs: list[Run]
    top: float
    bottom: float
    size: float  # the median height of its characters
    page: int = 0

    @property
    def x0(self) -> float:
        return self.runs[0].x0

    @property
    def x1(self) -> float:
        return self.runs[-1].x1

    @property
    def text(self) -> str:
        """The line as prose: its runs separated by two spaces."""
        return "  ".join(run.text for run in self.runs)


def is_wide(ch: str) -> bool:
    """A CJK character or full-width punctuation (two columns wide on a terminal)."""
    return unicodedata.east_asian_width(ch) in ("W", "F")


def lines_of(chars: list[Char], page: int = 0) -> list[Line]:
    """Group characters into lines, top to bottom, each read left to right.

    A character joins the line it overlaps most in height; characters drawn twice at the
    same place (a bold faked by overprinting) are read once.
    """
    lines: list[list[Char]] = []
    spans: list[list[float]] = []  # [top, bottom] of each line so far
    spaces = []
    for char in sorted(chars, key=lambda c: (c.top, c.x0)):
        if char.text == " ":
            spaces.append(char)
            continue
        best = _line_for(char, spans)
        if best < 0:
            lines.append([char])
            spans.append([char.top, char.bottom])
        else:
            lines[best].append(char)
            span = spans[best]
            span[0] = min(span[0], char.top)
            span[1] = max(span[1], char.bottom)
    spaces.sort(key=lambda c: c.middle)
    middles = [c.middle for c in spaces]
    out = []
    for members, (top, bottom) in sorted(zip(lines, spans), key=lambda pair: pair[1][0]):
        members += spaces[bisect.bisect_left(middles, top) : bisect.bisect_right(middles, bottom)]
        members = _dedupe(sorted(members, key=lambda c: c.x0))
        heights = sorted(c.bottom - c.top for c in members if c.text != " ")
        out.append(Line(members, _runs(members), top, bottom, heights[len(heights) // 2], page))
    return out


def _line_for(char: Char, spans: list[list[float]]) -> int:
    """The line among the last few (they are sorted by top) that the character overlaps most, or -1."""
    best, best_overlap = -1, 0.0
    for n in range(len(spans) - 1, max(-1, len(spans) - 4), -1):
        top, bottom = spans[n]
        overlap = min(bottom, char.bottom) - max(top, char.top)
        if overlap > best_overlap and overlap >= SAME_LINE * (min(bottom - top, char.bottom - char.top) or 1.0):
            best, best_overlap = n, overlap
            if n == len(spans) - 1 and overlap >= char.bottom - char.top - 0.01:
                break  # wholly within the last line: the usual case
    return best


def _dedupe(chars: list[Char]) -> list[Char]:
    out: list[Char] = []
    for char in chars:
        if out and char.text == out[-1].text != " " and abs(char.x0 - out[-1].x0) < 0.3 * max(char.x1 - char.x0, 1.0):
            continue
        out.append(char)
    return out


FIGURE_GAP = 0.6  # a figure this far from the label before it stands in a column of its own


def _runs(chars: list[Char]) -> list[Run]:
    runs: list[Run] = []
    text, previous, spaced = "", None, False
    start = 0.0
    for char in chars:
        if char.text == " ":
            spaced = True
            continue
        if previous is None:
            text, start = char.text, char.x0
        else:
            gap = char.x0 - previous.x1
            em = max(char.height, previous.height)
            if gap >= COLUMN_GAP * em or (gap >= FIGURE_GAP * em and is_wide(previous.text) and char.text.isdigit()):
                runs.append(Run(text.rstrip(), start, previous.x1))
                text, start = char.text, char.x0
            else:
                if (
                    spaced
                    or gap >= SPACE_GAP * em
                    or (gap >= WORD_GAP * em and not is_wide(previous.text) and not is_wide(char.text))
                ):
                    text += " "
                text += char.text
        previous, spaced = char, False
    if previous is not None:
        runs.append(Run(text.rstrip(), start, previous.x1))
    return runs


def join_lines(texts: list[str]) -> str:
    """Lines of one paragraph or cell as one text: nothing between CJK characters or between the
    digits of a number wrapped in a narrow cell, a space between Latin words."""
    out = ""
    for text in texts:
        text = text.strip()
        if not text:
            continue
        if out and not (is_wide(out[-1]) or is_wide(text[0]) or (_numeric(out[-1]) and _numeric(text[0]))):
            out += " "
        out += text
    return out


def _numeric(ch: str) -> bool:
    return ch.isdigit() or ch in ".,"


def cell_text(chars: list[Char]) -> str:
    """The text of a table cell: its lines joined (a label wrapped onto several lines is one label)."""
    if not chars:
        return ""
    if max(c.top for c in chars) < min(c.bottom for c in chars):  # one line, the usual case
        return " ".join(run.text for run in _runs(_dedupe(sorted(chars, key=lambda c: c.x0))))
    return join_lines([" ".join(run.text for run in line.runs) for line in lines_of(chars)])


# ---------------------------------------------------------------- page furniture

_PAGE_NUMBER = re.compile(
    r"^(?:[-—–－_~·•]*\d+[-—–－_~·•]*"  # 3, - 3 -, — 3 —
    r"|第\d+页(?:[,，/]?共\d+页)?"  # 第 1 页 共 5 页, 第1页/共5页
    r"|\d+/\d+"  # 1/5
    r"|(?:page)?\d+(?:of\d+)?)$",  # Page 1 of 5
    re.IGNORECASE,
)
MARGIN_ZONE = 0.12  # the top and bottom part of the page where running heads and page numbers stand


def is_page_number(text: str) -> bool:
    return bool(_PAGE_NUMBER.match(re.sub(r"\s+", "", text)))


def furniture(pages: list[list[Line]], heights: list[float]) -> set[int]:
    """The ``id``s of the lines that are page furniture.

    Candidates are the first and last one or two lines of a page lying in its top or bottom
    ``MARGIN_ZONE``.  A candidate is furniture if it is a page number ("— 3 —", "第 3 页 共 5 页"),
    or if it is set apart from the text (more space than between its lines) and repeated, digits
    aside, on at least half the pages: a running head or footer stands in the margin, a page's
    last line of text does not, however alike two pages end.
    """
    ordered = [sorted(lines, key=lambda line: line.top) for lines in pages]
    gaps = [b.top - a.bottom for lines in ordered for a, b in zip(lines, lines[1:]) if b.top > a.bottom]
    usual = statistics.median(gaps) if gaps else 0.0  # between two lines of text, over the whole document
    zoned = [_candidates(lines, height, usual) for lines, height in zip(ordered, heights)]
    seen: dict[tuple[str, str], int] = {}
    for candidates in zoned:
        for key in {(zone, _skeleton(line.text)) for line, zone, apart in candidates if apart}:
            seen[key] = seen.get(key, 0) + 1
    repeated = max(2, (len(pages) + 1) // 2)
    drop = set()
    for candidates in zoned:
        for line, zone, apart in candidates:
            if is_page_number(line.text) or (apart and len(pages) > 1 and seen[(zone, _skeleton(line.text))] >= repeated):
                drop.add(id(line))
    return drop


def _candidates(ordered: list[Line], height: float, usual: float) -> list[tuple[Line, str, bool]]:
    """(line, "top" or "bottom", set apart from the text) for the outer lines of a page in its margin zones."""
    out: list[tuple[Line, str, bool]] = []
    for zone, sequence in (("top", ordered), ("bottom", ordered[::-1])):
        edge = []
        for line in sequence[:2]:
            if not _in_zone(line, zone, height) or any(line is other for other, _, _ in out):
                break
            edge.append(line)
        apart = [False] * len(edge)
        for count in range(1, len(edge) + 1):
            rest = sequence[count:]
            if not rest:
                gap = float("inf")
            else:
                gap = rest[0].top - edge[count - 1].bottom if zone == "top" else edge[count - 1].top - rest[0].bottom
            if gap > max(1.2 * usual, 0.5 * edge[count - 1].size):
                apart[:count] = [True] * count
        out += [(line, zone, flag) for line, flag in zip(edge, apart)]
    return out


def _in_zone(line: Line, zone: str, height: float) -> bool:
    return line.bottom <= height * MARGIN_ZONE if zone == "top" else line.top >= height * (1 - MARGIN_ZONE)


def _skeleton(text: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", text))


# ---------------------------------------------------------------- paragraphs

HEADING = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）]|第[一二三四五六七八九十]+[章节部分])")


@dataclass
class Frame:
    """The text area of the pages (where full lines start and end) and the space between two lines
    of a paragraph, in em."""

    left: float
    right: float
    leading: float = 0.5

    @classmethod
    def of(cls, pages: list[list[Line]]) -> Frame:
        """The median text area of the pages, and the median space between a full line and the next."""
        areas = [(min(line.x0 for line in lines), max(line.x1 for line in lines)) for lines in pages if lines]
        if not areas:
            return cls(0.0, 0.0)
        frame = cls(statistics.median(a[0] for a in areas), statistics.median(a[1] for a in areas))
        gaps = [
            (line.top - previous.bottom) / line.size
            for lines in pages
            for previous, line in zip(lines, lines[1:])
            if frame.full(previous) and abs(line.size - previous.size) < 0.15 * line.size and line.top > previous.bottom
        ]
        if gaps:
            frame.leading = statistics.median(gaps)
        return frame

    def centred(self, line: Line) -> bool:
        inset_left, inset_right = line.x0 - self.left, self.right - line.x1
        return inset_left > 2 * line.size and inset_right > 2 * line.size and abs(inset_left - inset_right) < 1.5 * line.size

    def indented(self, line: Line) -> bool:
        return line.x0 - self.left > 0.9 * line.size

    def full(self, line: Line) -> bool:
        return self.right - line.x1 < 1.5 * line.size


def is_layout(line: Line) -> bool:
    """A line set in columns (a table without ruling lines)."""
    return len(line.runs) >= 2


def starts_paragraph(previous: Line, line: Line, frame: Frame) -> bool:
    """Whether ``line`` begins a new paragraph after ``previous`` (on the same page or the page before):
    another type size, a heading, a first-line indent, the line before ending short, or more space
    than between the lines of a paragraph.  A centred line after a full one continues it (a title
    wrapped onto a second line)."""
    if abs(line.size - previous.size) > 0.15 * max(line.size, previous.size):
        return True
    if not frame.full(previous) or HEADING.match(line.text):
        return True
    if frame.indented(line) and not frame.centred(line):
        return True
    return line.page == previous.page and (line.top - previous.bottom) / line.size > frame.leading + 0.6


SANDWICH = 2  # lines without a column gap kept inside a run of column lines (labels wrapped onto the next line)


def paragraphs(lines: list[Line], frame: Frame) -> list[tuple[str, list[Line]]]:
    """Consecutive lines as paragraphs (text, lines): prose lines joined; a run of lines set in
    columns is one paragraph, line by line (``render_layout``)."""
    out: list[tuple[str, list[Line]]] = []
    layout = _layout_runs(lines)
    current: list[Line] = []

    def flush() -> None:
        if current:
            out.append((join_lines([line.text for line in current]), list(current)))
            current.clear()

    n = 0
    while n < len(lines):
        if n in layout:
            flush()
            end = layout[n]
            out.append((render_layout(lines[n:end]), lines[n:end]))
            n = end
            continue
        if current and starts_paragraph(current[-1], lines[n], frame):
            flush()
        current.append(lines[n])
        n += 1
    flush()
    return out


def _layout_runs(lines: list[Line]) -> dict[int, int]:
    """Start index -> end index of each run of lines set in columns: two such lines or more, or
    one of three columns or more, with at most ``SANDWICH`` other lines between two of them."""
    marks = [n for n, line in enumerate(lines) if is_layout(line)]
    runs: dict[int, int] = {}
    n = 0
    while n < len(marks):
        start = end = marks[n]
        while n + 1 < len(marks) and marks[n + 1] - end <= SANDWICH + 1 and lines[marks[n + 1]].page == lines[end].page:
            n += 1
            end = marks[n]
        count = sum(1 for k in range(start, end + 1) if is_layout(lines[k]))
        if count >= 2 or len(lines[start].runs) >= 3:
            runs[start] = end + 1
        n += 1
    return runs


def render_layout(lines: list[Line]) -> str:
    """Lines set in columns as ``pdftotext -layout`` writes them: each run at the column of its
    position (half an em a column), at least two spaces between runs."""
    unit = statistics.median(line.size for line in lines) / 2 or 1.0
    left = min(line.x0 for line in lines)
    out = []
    for line in lines:
        text = ""
        for run in line.runs:
            column = round((run.x0 - left) / unit)
            if text:
                column = max(column, len(text) + 2)
            text = text.ljust(column) + run.text
        out.append(text.rstrip())
    return "\n".join(out)
