"""Reading a PDF report into the document model: ``read_pdf(path) -> Document``.

PDFium (``pypdfium2``) gives each page's characters with their boxes and the page's path
objects; the ruling lines among the paths make the ruled tables (``pdftables``); the other
characters make lines and paragraphs in reading order (``pdftext``), without the page
furniture (running heads, page numbers).  A table continued on the next page is a second
``Table`` right after the first, repeated header included: joining them is the recognizer's job.
Lines set in columns with no ruling lines (a table drawn without borders) are kept line by
line, their columns apart by runs of spaces as ``pdftotext -layout`` writes them, for the text
recognizer.

Metadata: ``title`` (the title of the first page: the paragraph naming 年度报告, else the
lines in the largest type above the first section; else the PDF's own Title), ``pdf-title`` (the
PDF's Title when set), ``pages``, and ``scanned-pages`` (pages with images and no text: a report
whose tables were pasted as pictures) when there are any.

A PDF with no text at all (a scan) or whose text cannot be decoded, an encrypted or broken
PDF: a ``ReadError`` naming the file.  No other exception leaves ``read_pdf``.  PDFium is not
thread-safe: read PDFs from one thread per process (``gk audit`` uses processes).
"""

from __future__ import annotations

import ctypes
import os
import re
import statistics
from pathlib import Path
from typing import NamedTuple

from gkreport.model import Document, Paragraph, Table
from gkreport.readers.errors import ReadError
from gkreport.readers.pdftables import PdfTable, Segment, find_tables, segment
from gkreport.readers.pdftext import Char, Frame, Line, furniture, is_layout, join_lines, lines_of, paragraphs

WHITE = 245  # a paint this light on every channel is not a visible line
TITLE = re.compile(r"(年度报告|年报|工作报告)")


class Origin(NamedTuple):
    page: int  # 1-based
    bbox: tuple[float, float, float, float]  # x0, top, x1, bottom in points from the page's top left


class Page(NamedTuple):
    number: int
    width: float
    height: float
    chars: list[Char]
    segments: list[Segment]  # the ruling lines among its paths
    images: int
    unmapped: int  # characters the PDF gives no Unicode for


def read_pdf(path: str | Path) -> Document:
    path = Path(path)
    if not path.exists():
        raise ReadError("missing", path)
    if not path.is_file():
        raise ReadError("not-a-file", path)
    try:
        pages, pdf_title = _pages(path)
        return _document(path, pages, pdf_title)
    except ReadError:
        raise
    except Exception as exc:  # noqa: BLE001 - the promise is: only ReadError leaves
        raise ReadError("unreadable", path, f"{type(exc).__name__}: {exc}") from exc


# ---------------------------------------------------------------- PDFium


def _pages(path: Path) -> tuple[list[Page], str]:
    import pypdfium2  # noqa: F401 - initialises the library
    import pypdfium2.raw as raw

    document = raw.FPDF_LoadDocument(os.fsencode(path), None)
    if not document:
        error = raw.FPDF_GetLastError()
        if error in (raw.FPDF_ERR_PASSWORD, raw.FPDF_ERR_SECURITY):
            raise ReadError("pdf-encrypted", path)
        if error == raw.FPDF_ERR_FILE:
            raise ReadError("unreadable", path, "PDFium cannot open the file")
        raise ReadError("pdf-broken", path)
    try:
        title = _meta_text(raw, document, "Title")
        count = raw.FPDF_GetPageCount(document)
        if count <= 0:
            raise ReadError("pdf-broken", path)
        return [_page(raw, document, n) for n in range(count)], title
    finally:
        raw.FPDF_CloseDocument(document)


def _meta_text(raw, document, key: str) -> str:
    size = raw.FPDF_GetMetaText(document, key.encode(), None, 0)
    if size <= 2:
        return ""
    buffer = ctypes.create_string_buffer(size)
    raw.FPDF_GetMetaText(document, key.encode(), buffer, size)
    return buffer.raw[: size - 2].decode("utf-16-le", "replace").strip()


def _page(raw, document, index: int) -> Page:
    page = raw.FPDF_LoadPage(document, index)
    if not page:
        return Page(index + 1, 0.0, 0.0, [], [], 0, 0)
    try:
        box = raw.FS_RECTF()
        if not raw.FPDF_GetPageBoundingBox(page, box):
            box.left, box.bottom, box.right, box.top = 0.0, 0.0, raw.FPDF_GetPageWidthF(page), raw.FPDF_GetPageHeightF(page)
        width, height = box.right - box.left, box.top - box.bottom
        rotation = raw.FPDFPage_GetRotation(page) % 4
        to_display = _display(rotation, box.left, box.bottom, width, height)
        chars, unmapped = _chars(raw, page, to_display)
        segments, images = _paths(raw, page, to_display)
        if rotation % 2:
            width, height = height, width
        return Page(index + 1, width, height, chars, segments, images, unmapped)
    finally:
        raw.FPDF_ClosePage(page)


def _display(rotation: int, left: float, bottom: float, width: float, height: float):
    """A box in PDF user space (left, bottom, right, top; y up, origin where the page box says) as
    the page is displayed (x0, top, x1, bottom; origin at its top left, y down), /Rotate applied."""
    if rotation == 1:
        return lambda x0, y0, x1, y1: (y0 - bottom, x0 - left, y1 - bottom, x1 - left)
    if rotation == 2:
        return lambda x0, y0, x1, y1: (width - x1 + left, y0 - bottom, width - x0 + left, y1 - bottom)
    if rotation == 3:
        return lambda x0, y0, x1, y1: (height - y1 + bottom, width - x1 + left, height - y0 + bottom, width - x0 + left)
    return lambda x0, y0, x1, y1: (x0 - left, height - y1 + bottom, x1 - left, height - y0 + bottom)


def _chars(raw, page, to_display) -> tuple[list[Char], int]:
    """The page's characters with their boxes (the font's full height, so the characters of a line
    line up), and how many have no Unicode in the PDF (kept as U+FFFD, so that a figure missing a
    digit reads as no number rather than as another number).  Spaces and line ends PDFium adds
    between words are left out: spacing is read from the positions."""
    textpage = raw.FPDFText_LoadPage(page)
    if not textpage:
        return [], 0
    try:
        count = raw.FPDFText_CountChars(textpage)
        codes = _codes(raw, textpage, count)
        get_box, generated, map_error = raw.FPDFText_GetLooseCharBox, raw.FPDFText_IsGenerated, raw.FPDFText_HasUnicodeMapError
        boxes, unmapped = [], 0
        keep = boxes.append
        rect = raw.FS_RECTF()
        for n, code in enumerate(codes):
            if code > 32 and code not in _BLANKS:
                if map_error(textpage, n) or 0xE000 <= code <= 0xF8FF:
                    unmapped += 1
                    code = 0xFFFD
                elif 0xD800 <= code < 0xE000 or code in _DEBRIS:
                    if not (code < 0xDC00 and n + 1 < count and 0xDC00 <= codes[n + 1] < 0xE000):
                        continue  # a surrogate's second half, byte-order and replacement marks, soft hyphens
                    code = 0x10000 + ((code - 0xD800) << 10) + (codes[n + 1] - 0xDC00)
            elif code in _BLANKS and not generated(textpage, n):
                code = 0x20
            else:
                continue
            get_box(textpage, n, rect)
            if rect.top > rect.bottom or code == 0x20:
                keep((chr(code), *to_display(rect.left, rect.bottom, rect.right, rect.top)))
        return [Char(*box) for box in boxes], unmapped
    finally:
        raw.FPDFText_ClosePage(textpage)


def _codes(raw, textpage, count: int) -> list[int]:
    """The Unicode of every character index, in one call when the page's text is all in the BMP."""
    units = (ctypes.c_ushort * (count + 1))()
    written = raw.FPDFText_GetText(textpage, 0, count, units)
    if written == count + 1:
        return units[:count]
    return [raw.FPDFText_GetUnicode(textpage, n) for n in range(count)]


_DEBRIS = frozenset({0xFFFE, 0xFEFF, 0xAD})
_BLANKS = frozenset({0x20, 0xA0, 0x3000, 0x2002, 0x2003, 0x2009, 0x200B})  # spaces; U+3000 fills empty cells of the template


_IDENTITY = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _compose(inner: tuple, outer: tuple) -> tuple:
    """The matrix applying ``inner`` then ``outer`` (PDF matrices [a b c d e f])."""
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _paths(raw, page, to_display) -> tuple[list[Segment], int]:
    """The ruling lines among the page's visible path objects, and the number of images."""
    segments: list[Segment] = []
    images = 0
    matrix = raw.FS_MATRIX()

    def own_matrix(obj) -> tuple:
        if not raw.FPDFPageObj_GetMatrix(obj, matrix):
            return _IDENTITY
        return (matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f)

    def walk(obj, outer: tuple, depth: int) -> None:
        nonlocal images
        kind = raw.FPDFPageObj_GetType(obj)
        if kind == raw.FPDF_PAGEOBJ_IMAGE:
            images += 1
        elif kind == raw.FPDF_PAGEOBJ_FORM and depth < 8:
            inner = _compose(own_matrix(obj), outer)
            for n in range(raw.FPDFFormObj_CountObjects(obj)):
                walk(raw.FPDFFormObj_GetObject(obj, n), inner, depth + 1)
        elif kind == raw.FPDF_PAGEOBJ_PATH:
            _path_segments(raw, obj, _compose(own_matrix(obj), outer), to_display, segments)

    for n in range(raw.FPDFPage_CountObjects(page)):
        walk(raw.FPDFPage_GetObject(page, n), _IDENTITY, 0)
    return segments, images


def _visible(raw, obj, fill: bool, stroke: bool) -> tuple[bool, bool]:
    r, g, b, a = (ctypes.c_uint() for _ in range(4))

    def shows(getter) -> bool:
        if not getter(obj, r, g, b, a):
            return True
        return a.value > 0 and min(r.value, g.value, b.value) < WHITE

    return fill and shows(raw.FPDFPageObj_GetFillColor), stroke and shows(raw.FPDFPageObj_GetStrokeColor)


def _path_segments(raw, obj, matrix: tuple, to_display, segments: list[Segment]) -> None:
    fill_mode, stroke = ctypes.c_int(), ctypes.c_int()
    if not raw.FPDFPath_GetDrawMode(obj, fill_mode, stroke):
        return
    filled, stroked = _visible(raw, obj, fill_mode.value != 0, bool(stroke.value))
    if not (filled or stroked):
        return
    a, b, c, d, e, f = matrix
    x, y = ctypes.c_float(), ctypes.c_float()
    subpaths: list[list[tuple[float, float]]] = []
    for n in range(raw.FPDFPath_CountSegments(obj)):
        piece = raw.FPDFPath_GetPathSegment(obj, n)
        raw.FPDFPathSegment_GetPoint(piece, x, y)
        px, py = a * x.value + c * y.value + e, b * x.value + d * y.value + f
        point = to_display(px, py, px, py)[:2]
        kind = raw.FPDFPathSegment_GetType(piece)
        if kind == raw.FPDF_SEGMENT_MOVETO or not subpaths:
            subpaths.append([point])
        elif kind == raw.FPDF_SEGMENT_LINETO:
            subpaths[-1].append(point)
        else:  # a curve: its straight neighbours stay, the curve is no ruling line
            subpaths.append([point])
        if raw.FPDFPathSegment_GetClose(piece) and len(subpaths[-1]) > 2:
            subpaths[-1].append(subpaths[-1][0])
    for points in subpaths:
        _subpath_segments(points, segments)


def _subpath_segments(points: list[tuple[float, float]], segments: list[Segment]) -> None:
    """The straight, horizontal or vertical pieces of a subpath.  A border drawn as a thin filled
    rectangle (Word, WPS) gives two long sides less than a point apart, which snap into one line."""
    for (ax, ay), (bx, by) in zip(points, points[1:]):
        flat, upright = abs(ay - by) < 1, abs(ax - bx) < 1
        if flat != upright:
            segments.append(segment(min(ax, bx), min(ay, by), max(ax, bx), max(ay, by)))


# ---------------------------------------------------------------- the document


def _document(path: Path, pages: list[Page], pdf_title: str) -> Document:
    written = sum(1 for page in pages for c in page.chars if c.text != " ")
    unmapped = sum(page.unmapped for page in pages)
    if not written:
        raise ReadError("pdf-scanned" if any(page.images for page in pages) else "pdf-no-text", path)
    if unmapped > written / 2:
        raise ReadError("pdf-unmapped", path)
    flows, line_pages, heights = [], [], []
    for page in pages:
        tables, rest = find_tables(page.segments, page.chars)
        lines = lines_of(rest, page.number)
        flows.append((page, tables, lines))
        line_pages.append(lines)
        heights.append(page.height)
    drop = furniture(line_pages, heights)
    frame = Frame.of([[line for line in lines if id(line) not in drop and not is_layout(line)] for lines in line_pages])
    items: list[Line | tuple[PdfTable, int]] = []
    for page, tables, lines in flows:
        kept = [line for line in lines if id(line) not in drop]
        placed = [(line.top, 1, line) for line in kept] + [(t.bbox[1], 0, (t, page.number)) for t in tables]
        items += [item for _, _, item in sorted(placed, key=lambda p: (p[0], p[1]))]
    blocks: list = []
    between: list[Line] = []  # the lines since the last table
    for item in items:
        if isinstance(item, Line):
            between.append(item)
            continue
        blocks += _paragraphs(between, frame)
        between = []
        table, number = item
        blocks.append(Table(table.grid, Origin(number, table.bbox)))
    blocks += _paragraphs(between, frame)
    metadata: dict = {"pages": len(pages)}
    title = _title(blocks, [line for line in line_pages[0] if id(line) not in drop]) or pdf_title
    if title:
        metadata["title"] = title
    if pdf_title:
        metadata["pdf-title"] = pdf_title
    scanned = [page.number for page in pages if page.images and not any(c.text != " " for c in page.chars)]
    if scanned:
        metadata["scanned-pages"] = scanned
    return Document(blocks, metadata, str(path))


def _paragraphs(lines: list[Line], frame: Frame) -> list[Paragraph]:
    return [Paragraph(text, _origin(members)) for text, members in paragraphs(lines, frame)]


def _origin(lines: list[Line]) -> Origin:
    return Origin(lines[0].page, (min(line.x0 for line in lines), lines[0].top, max(line.x1 for line in lines), lines[-1].bottom))


def _title(blocks: list, first_page: list[Line]) -> str:
    """The report's title: on the first page, before the first table or section heading, the
    paragraph naming 年度报告, else the lines in the largest type if it is larger than the rest."""
    candidates = []
    for block in blocks:
        if not isinstance(block, Paragraph) or block.origin.page != 1 or re.match(r"^\s*[一二三四五六]、", block.text):
            break
        candidates.append(block)
    named = [b for b in candidates if TITLE.search(b.text) and len(b.text) <= 80]
    largest_lines = ""
    if candidates and first_page:
        above = [line for line in first_page if line.top <= candidates[-1].origin.bbox[3]]
        largest = max((line.size for line in above), default=0.0)
        if largest > 1.15 * statistics.median(line.size for line in first_page):
            largest_lines = join_lines([line.text for line in above if line.size > largest / 1.15])
    if named:
        # a title broken over two lines ("2024年XX区XX局" / "政府信息公开工作年度报告") is all its large lines
        return largest_lines if named[0].text in largest_lines and TITLE.search(largest_lines) else named[0].text
    return largest_lines
