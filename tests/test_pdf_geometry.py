"""The geometry under the PDF reader, on characters and ruling lines made here: lines and cell
texts from character boxes, page furniture, space-aligned columns, cells from ruling lines."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from gkreport.readers.pdftables import find_cells, find_tables, segment
from gkreport.readers.pdftext import Char, cell_text, furniture, is_page_number, is_wide, join_lines, lines_of, render_layout

SIZE = 10.0
CJK = "政府信息公开申请数量总计予以不予处理其他商业企业"
NARROW = "0123456789abcXYZ.,"


def typeset(text: str, x: float, top: float, size: float = SIZE) -> list[Char]:
    """Characters set solid from x: CJK one em wide, others half an em; " " is a space character."""
    chars = []
    for ch in text:
        width = size if is_wide(ch) else size / 2
        chars.append(Char(ch, x, top, x + width, top + size))
        x += width
    return chars


line_text = st.text(alphabet=CJK + NARROW, min_size=1, max_size=30)


@given(st.lists(line_text, min_size=1, max_size=8), st.randoms(use_true_random=False))
def test_lines_are_read_back_in_order_and_nothing_is_lost(texts, rng):
    chars = []
    for n, text in enumerate(texts):
        chars += [
            c._replace(top=c.top + rng.uniform(-1, 1), bottom=c.bottom + rng.uniform(-1, 1))
            for c in typeset(text, 50, 100 + n * 18)
        ]
    rng.shuffle(chars)
    assert [line.text for line in lines_of(chars)] == texts


@given(st.lists(st.lists(st.text(alphabet=CJK + NARROW, min_size=1, max_size=8), min_size=1, max_size=6), min_size=1, max_size=5))
def test_a_column_gap_separates_runs_and_render_layout_keeps_columns_apart(rows):
    chars = []
    columns = [50 + 110 * n for n in range(6)]  # every cell fits in 80 points: gaps of 3 em at least
    for r, cells in enumerate(rows):
        for c, cell in enumerate(cells):
            chars += typeset(cell, columns[c], 100 + r * 15)
    lines = lines_of(chars)
    assert [[run.text for run in line.runs] for line in lines] == rows
    rendered = render_layout(lines).split("\n")
    assert [re.split(r" {2,}", line.strip()) for line in rendered] == rows
    for c in range(6):  # a column starts at the same place on every line that has it
        starts = {
            len(line) - len(line.lstrip()) if c == 0 else _start(line, c) for line, cells in zip(rendered, rows) if len(cells) > c
        }
        assert len(starts) <= 1


def _start(line: str, column: int) -> int:
    return [m.start() for m in re.finditer(r"(?:^|(?<= {2}))\S", line)][column]


def test_spacing_follows_what_was_written():
    words = typeset("Page", 50, 100) + [Char(" ", 70, 100, 71.5, 110)] + typeset("one", 71.5, 100)
    assert lines_of(words)[0].text == "Page one"  # a space character is a space, however narrow
    spaced = typeset("商业", 50, 100) + [Char(" ", 70, 100, 71, 110)] + typeset("企业", 71, 100)
    assert lines_of(spaced)[0].text == "商业 企业"  # as the author wrote it
    assert (
        lines_of(typeset("2024", 50, 100) + typeset("年", 72.5, 100))[0].text == "2024年"
    )  # the quarter em a word processor adds
    cells = typeset("（三）不", 50, 100) + typeset("4.保护", 95.5, 100)  # two cells half an em apart
    assert lines_of(cells)[0].text == "（三）不 4.保护"
    doubled = typeset("总计", 50, 100) + typeset("总计", 50.3, 100)  # a bold faked by printing twice
    assert lines_of(doubled)[0].text == "总计"


def test_cell_text_joins_wrapped_lines():
    stacked = typeset("商业", 50, 100) + typeset("企业", 50, 112)
    assert cell_text(stacked) == "商业企业"
    vertical = [c for n, ch in enumerate("结果维持") for c in typeset(ch, 50, 100 + 12 * n)]
    assert cell_text(vertical) == "结果维持"
    assert cell_text(typeset("1203", 50, 100) + typeset("456.78", 50, 112)) == "1203456.78"  # a number wrapped in a narrow cell
    assert cell_text(typeset("Open", 50, 100) + typeset("data", 50, 112)) == "Open data"
    assert cell_text([]) == ""


def test_join_lines():
    assert join_lines(["本报告根据《条例》", "编制。"]) == "本报告根据《条例》编制。"
    assert join_lines(["共收到申请", "66件"]) == "共收到申请66件"
    assert join_lines(["see the", "annex"]) == "see the annex"


def test_page_numbers():
    for text in ("— 1 —", "- 3 -", "－12－", "第 1 页 共 5 页", "第1页/共5页", "3", "3/5", "Page 2 of 7"):
        assert is_page_number(text), text
    for text in ("2024年", "1.属于国家秘密", "（一）予以公开", "66件", "2025年1月20日", "一、总体情况"):
        assert not is_page_number(text), text


def _page(body: list[str], header: str | None, footer: str | None) -> list:
    chars = typeset(header, 60, 40) if header else []
    for n, text in enumerate(body):
        chars += typeset(text, 60, 100 + 20 * n)
    if footer:
        chars += typeset(footer, 280, 790)
    return lines_of(chars)


def test_running_heads_and_page_numbers_are_furniture_and_the_text_is_not():
    last = "将政府信息公开工作纳入年度绩效考核"  # the same last line on every page, as close to the margin as the text allows
    body = [f"第{n}段正文" for n in range(30)] + [last]
    pages = [_page(body, "XX区人民政府办公室", f"— {n} —") for n in range(1, 4)]
    dropped = furniture(pages, [842.0] * 3)
    kept = [line.text for lines in pages for line in lines if id(line) not in dropped]
    assert "XX区人民政府办公室" not in kept and not [t for t in kept if t.startswith("—")]
    assert kept.count(last) == 3 and len(kept) == 3 * len(body)
    single = [_page(["正文", "3"], None, "第 1 页 共 1 页")]
    assert [line.text for line in single[0] if id(line) not in furniture(single, [842.0])] == ["正文", "3"]


# ---------------------------------------------------------------- ruled tables


def borders(cells: list[tuple[float, float, float, float]]) -> list:
    out = []
    for x0, top, x1, bottom in cells:
        out += [
            segment(x0, top, x1, top),
            segment(x0, bottom, x1, bottom),
            segment(x0, top, x0, bottom),
            segment(x1, top, x1, bottom),
        ]
    return out


@st.composite
def tilings(draw):
    """A grid of rows x columns units, some merged into larger rectangles: the cells (in units)."""
    rows, columns = draw(st.integers(1, 7)), draw(st.integers(2, 8))
    free = {(r, c) for r in range(rows) for c in range(columns)}
    cells = []
    for r in range(rows):
        for c in range(columns):
            if (r, c) not in free:
                continue
            height, width = draw(st.integers(1, rows - r)), draw(st.integers(1, columns - c))
            while any((r + dr, c + dc) not in free for dr in range(height) for dc in range(width)):
                height, width = (height - 1 or 1), (width - 1 or 1)
            cells.append((r, c, r + height, c + width))
            free -= {(r + dr, c + dc) for dr in range(height) for dc in range(width)}
    return cells


@given(tilings(), st.floats(-1.2, 1.2))
def test_cells_and_their_spans_are_found_from_the_ruling_lines(cells, jitter):
    xs = [50 + 40 * n for n in range(10)]
    ys = [100 + 25 * n for n in range(10)]
    boxes = [(xs[c0], ys[r0], xs[c1], ys[r1]) for r0, c0, r1, c1 in cells]
    shaky = [s._replace(at=s.at + jitter * (n % 2)) for n, s in enumerate(borders(boxes))]  # lines drawn a point off
    found = find_cells(shaky)
    if len(cells) == 1:
        assert found == []  # a framed paragraph, not a table
    else:
        assert len(found) == 1
        assert sorted(_rounded(found[0])) == sorted(_rounded(boxes))


def _rounded(boxes):
    return [tuple(round(v / 5) * 5 for v in box) for box in boxes]


def test_a_frame_around_the_page_and_missing_borders():
    table = [(100, 100, 200, 150), (200, 100, 300, 150), (100, 150, 200, 200), (200, 150, 300, 200)]
    frame = [(20, 20, 580, 820)]
    assert sorted(find_cells(borders(table) + borders(frame))[0]) == sorted(table)  # the frame is no cell
    chars = typeset("规章", 110, 110) + typeset("12", 210, 110) + typeset("行政许可", 110, 160) + typeset("7", 250, 160)
    # no border between the two lower cells: they are one cell, two columns wide
    merged = [s for s in borders(table) if not (not s.horizontal and s.at == 200 and s.start == 150)]
    tables, rest = find_tables(merged, chars)
    assert [[(c.text, c.colspan) for c in row] for row in tables[0].grid] == [
        [("规章", 1), ("12", 1)],
        [("行政许可 7", 2)],
    ] and rest == []
    # nor between the right-hand cells: the three cells left form an L, which is no cell; the one
    # cell left is no table, and every character stays text
    ell = [s for s in merged if not (s.horizontal and s.at == 150 and s.start == 200)]
    tables, rest = find_tables(ell, chars)
    assert tables == [] and rest == chars


# ---------------------------------------------------------------- PDFs drawn here with PDFium


SIDE = 842.0
# for a page's /Rotate (quarter turns clockwise): where a point displayed at (x, top) is drawn, and
# the text matrix's turn, so that the content displays upright
TURNS = {
    0: (lambda x, top: (x, SIDE - top), (1, 0, 0, 1)),
    1: (lambda x, top: (top, x), (0, 1, -1, 0)),
    2: (lambda x, top: (SIDE - x, top), (-1, 0, 0, -1)),
    3: (lambda x, top: (SIDE - top, SIDE - x), (0, -1, 1, 0)),
}


def drawn_pdf(path, rules: list[tuple[float, float, float, float]], texts: list[tuple], rotation: int = 0):
    """A one-page PDF (842 points square) whose ruling lines are thin filled rectangles (x, y, width,
    height; y up), as Word and WPS export table borders, and Helvetica texts with their baseline at
    (x, y) (text, x, y[, size]).  With a /Rotate the content is drawn turned the other way, so that the page displays
    as without one (a landscape page as some tools write it)."""
    import ctypes

    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    place, turn = TURNS[rotation]
    pdf = pdfium.PdfDocument.new()
    page = pdf.new_page(SIDE, SIDE)
    for x, y, width, height in rules:
        (ax, ay), (bx, by) = place(x, SIDE - y), place(x + width, SIDE - y - height)
        rule = raw.FPDFPageObj_CreateNewRect(min(ax, bx), min(ay, by), abs(bx - ax), abs(by - ay))
        raw.FPDFPageObj_SetFillColor(rule, 0, 0, 0, 255)
        raw.FPDFPath_SetDrawMode(rule, raw.FPDF_FILLMODE_WINDING, 0)
        raw.FPDFPage_InsertObject(page.raw, rule)
    font = raw.FPDFText_LoadStandardFont(pdf.raw, b"Helvetica")
    for text, x, y, *size in texts:
        item = raw.FPDFPageObj_CreateTextObj(pdf.raw, font, size[0] if size else 10)
        buffer = ctypes.create_string_buffer((text + "\0").encode("utf-16-le"))
        raw.FPDFText_SetText(item, ctypes.cast(buffer, ctypes.POINTER(raw.FPDF_WCHAR)))
        raw.FPDFPageObj_Transform(item, *turn, *place(x, SIDE - y))
        raw.FPDFPage_InsertObject(page.raw, item)
    raw.FPDFPage_SetRotation(page.raw, rotation)
    raw.FPDFPage_GenerateContent(page.raw)
    pdf.save(str(path))
    return path


# a 3 x 3 table, 100 x 20 points a cell, the first row one cell three columns wide
RULES = [(100, 700 - 20 * n, 300, 0.5) for n in range(4)] + [
    (100, 640, 0.5, 60),
    (400, 640, 0.5, 60),
    (200, 640, 0.5, 40),
    (300, 640, 0.5, 40),
]
TEXTS = [("Block", 110, 685), ("rules", 110, 665), ("12", 210, 665), ("1 234", 310, 665), ("fees", 110, 645), ("0.5", 210, 645)]


def test_borders_drawn_as_thin_filled_rectangles_make_the_table(tmp_path):
    from gkreport.model import Table
    from gkreport.readers.pdf import read_pdf

    for rotation in range(4):  # a page turned by its /Rotate reads as it displays
        document = read_pdf(drawn_pdf(tmp_path / f"word{rotation}.pdf", RULES, TEXTS, rotation))
        tables = [b for b in document.blocks if isinstance(b, Table)]
        assert [[(c.text, c.rowspan, c.colspan) for c in row] for row in tables[0].grid] == [
            [("Block", 1, 3)],
            [("rules", 1, 1), ("12", 1, 1), ("1 234", 1, 1)],
            [("fees", 1, 1), ("0.5", 1, 1), ("", 1, 1)],
        ], rotation


def test_a_pdf_with_shapes_and_no_text_is_refused(tmp_path):
    import pytest

    from gkreport.readers.files import ReadError
    from gkreport.readers.pdf import read_pdf

    path = drawn_pdf(tmp_path / "shapes.pdf", RULES, [])
    with pytest.raises(ReadError) as caught:
        read_pdf(path)
    assert caught.value.kind == "pdf-no-text" and str(path) in str(caught.value)


def test_the_title_is_the_line_in_the_largest_type_above_the_first_section(tmp_path):
    from gkreport.readers.pdf import read_pdf

    lines = [("Annual report on open", 150, 760, 20), ("government information", 150, 735, 20)]
    lines += [(f"Body line {n} of the report text set in the usual size", 100, 690 - 16 * n) for n in range(8)]
    document = read_pdf(drawn_pdf(tmp_path / "title.pdf", [], lines))
    assert document.metadata["title"] == "Annual report on open government information"
