"""The DOCX reader (gkreport.readers.docx): Word files read into the document model, in process.

Real material: the official template filled by the test as a clerk fills it, the same file
re-saved by LibreOffice, and a report built by ``gk build``; each reads back cell for cell, and
agrees with pandoc's DOCX reader.  Small packages written here pin down the forms (merged
cells, content controls, text boxes, layout tables, headings, the title) and the failures.
"""

from __future__ import annotations

import random
import zipfile
from pathlib import Path

import pytest
from gkreport.testing.docxfill import TEMPLATE, TITLE, fill_template, p, tbl, tc, write_docx
from hypothesis import given
from hypothesis import strategies as st
from gkreport.testing.values import consistent_active, consistent_appeals, consistent_requests

from gkreport.grid import GridCell
from gkreport.model import Heading, Paragraph, Table
from gkreport.readers.files import ReadError, read_document
from gkreport.readers.docx import DocxTable, open_docx, read_docx
from gkreport.checks.report import check_model
from gkreport.services.check import check_document
from gkreport.values import GIVEN

needs_template = pytest.mark.skipif(not TEMPLATE.is_file(), reason="../shared/domain/reports is absent")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def truth_for(seed: int, requests_format: str = "2021") -> dict:
    rng = random.Random(seed)
    return {"active": consistent_active(rng), "requests": consistent_requests(rng, requests_format), "appeals": consistent_appeals(rng)}


@pytest.fixture(scope="module")
def filled(tmp_path_factory) -> tuple[Path, dict]:
    if not TEMPLATE.is_file():
        pytest.skip("../shared/domain/reports is absent")
    truth = truth_for(11)
    return fill_template(tmp_path_factory.mktemp("filled") / "report.docx", truth), truth


@pytest.fixture(scope="module")
def resaved_by_libreoffice(filled, tmp_path_factory) -> Path:
    from gkreport.services.office import convert, soffice_path

    if soffice_path() is None:
        pytest.skip("LibreOffice is absent: apt-get install libreoffice-writer (make install does it)")
    return convert(filled[0], "docx", tmp_path_factory.mktemp("libreoffice"))


@pytest.fixture(scope="module")
def built(repo_root_module, tmp_path_factory) -> tuple[Path, Path]:
    from gkreport.services.build import build

    source = repo_root_module / "examples" / "report.md"
    output = tmp_path_factory.mktemp("built") / "report.docx"
    build(source, output)
    return source, output


@pytest.fixture(scope="module")
def repo_root_module() -> Path:
    return Path(__file__).resolve().parent.parent


def assert_reads_back(result, truth: dict) -> None:
    tables = {t.table: t for t in result.tables}
    assert set(tables) == set(truth)
    for kind, values in truth.items():
        cells = tables[kind].recognized.cells
        read = {cell: cells[cell].value for cell in values if cell in cells and cells[cell].state == GIVEN}
        assert read == values, kind


# ---------------------------------------------------------------- real material


@needs_template
def test_the_filled_template_reads_back_cell_for_cell(filled):
    path, truth = filled
    document = read_docx(path)
    result = check_model(document)
    assert document.metadata["title"] == TITLE
    assert (result.year, result.format) == (2024, "2021")
    assert_reads_back(result, truth)
    assert not [f for f in result.findings if f.severity != "info"]


@needs_template
def test_a_docx_saved_by_libreoffice_reads_back_cell_for_cell(filled, resaved_by_libreoffice):
    result = check_model(read_docx(resaved_by_libreoffice))
    assert_reads_back(result, filled[1])
    assert result.year == 2024


def test_a_docx_built_by_gk_build_reads_back_cell_for_cell(built):
    source, output = built
    expected = check_document(read_document(source))
    result = check_model(read_docx(output))
    assert [t.table for t in result.tables] == [t.table for t in expected.tables]
    for ours, theirs in zip(result.tables, expected.tables):
        values = {cell: v.value for cell, v in ours.recognized.cells.items()}
        assert values == theirs.checked.values, ours.table  # the built tables hold every value, deduced ones filled in
    assert read_docx(output).metadata["title"].startswith("2024年")
    assert any(isinstance(b, Heading) and b.text.startswith("一、") and b.level == 1 for b in read_docx(output).blocks)


@needs_template
def test_same_cells_as_pandocs_docx_reader(filled, resaved_by_libreoffice, built):
    for path in (filled[0], resaved_by_libreoffice, built[1]):
        ours = check_model(read_docx(path))
        pandoc = check_document(read_document(path))
        assert [(t.table, t.format) for t in ours.tables] == [(t.table, t.format) for t in pandoc.tables], path
        for a, b in zip(ours.tables, pandoc.tables):
            assert {k: v.value for k, v in a.recognized.cells.items()} == {k: v.value for k, v in b.recognized.cells.items()}, path


@needs_template
def test_the_blank_template_in_body_order_with_its_merged_cells():
    document = read_docx(TEMPLATE)
    kinds = [type(b).__name__ for b in document.blocks]
    assert kinds == ["Paragraph"] * 4 + ["Table", "Paragraph", "Table", "Paragraph", "Table"] + ["Paragraph"] * 4
    assert [b.text for b in document.blocks if isinstance(b, Paragraph)][:2] == ["政府信息公开工作年度报告格式模板", "一、总体情况"]
    assert document.metadata["title"] == "政府信息公开工作年度报告格式模板"
    requests = document.blocks[6].grid
    corner = requests[0][0]
    assert (corner.text.startswith("（本列数据的勾稽关系为"), corner.rowspan, corner.colspan) == (True, 3, 3)
    assert [(c.text, c.rowspan, c.colspan) for c in requests[1]] == [("自然人", 2, 1), ("法人或其他组织", 1, 5), ("总计", 2, 1)]
    results = requests[5][0]
    assert (results.text, results.rowspan) == ("三、本年度办理结果", 22)  # down to (七)总计
    assert [(c.text, c.rowspan) for c in requests[7][:2]] == [("（三）不予公开", 8), ("1.属于国家秘密", 1)]
    appeals = document.blocks[8].grid
    assert [(c.text, c.colspan) for c in appeals[0]] == [("行政复议", 5), ("行政诉讼", 10)]
    assert len(appeals[3]) == 15


@needs_template
def test_every_grid_cell_knows_its_w_tc():
    package, document = open_docx(TEMPLATE)
    for table in (b for b in document.blocks if isinstance(b, Table)):
        assert isinstance(table.origin, DocxTable)
        assert [len(row) for row in table.origin.cells] == [len(row) for row in table.grid]
        for grid_row, tc_row in zip(table.grid, table.origin.cells):
            for cell, element in zip(grid_row, tc_row):
                assert element.tag == W + "tc"
                text = "".join(x.text or "" for x in element.iter(W + "t"))
                assert "".join(text.split()) == "".join(cell.text.split())  # lines joined by breaks or paragraphs
                span = element.find(f"{W}tcPr/{W}gridSpan")
                assert cell.colspan == (int(span.get(W + "val")) if span is not None else 1)
    assert document.blocks[4].origin.element.getroottree().getroot() is package.element  # the tree gk fix saves


# ---------------------------------------------------------------- forms, on small packages


def blocks_of(tmp_path, body: str, **kwargs):
    return read_docx(write_docx(tmp_path / "x.docx", body, **kwargs)).blocks


def test_headings_from_style_names_outline_levels_and_based_on(tmp_path):
    body = (
        p("一、总体情况", style="1")
        + p("（一）主动公开", style="Sub")  # based on heading 1: its outline level
        + '<w:p><w:pPr><w:outlineLvl w:val="2"/></w:pPr><w:r><w:t>1. 第三级</w:t></w:r></w:p>'
        + '<w:p><w:pPr><w:pStyle w:val="1"/><w:outlineLvl w:val="9"/></w:pPr><w:r><w:t>正文级别</w:t></w:r></w:p>'
        + p("二、主动公开政府信息情况")  # looks like a heading, is not marked as one: the checker decides
    )
    blocks = blocks_of(tmp_path, body)
    assert [(type(b).__name__, getattr(b, "level", None), b.text) for b in blocks] == [
        ("Heading", 1, "一、总体情况"),
        ("Heading", 1, "（一）主动公开"),
        ("Heading", 3, "1. 第三级"),
        ("Paragraph", None, "正文级别"),
        ("Paragraph", None, "二、主动公开政府信息情况"),
    ]


@pytest.mark.parametrize(
    "body, core, title",
    [
        (p("XX局") + p("2024年政府信息公开工作年度报告", jc="center", size=44) + p("一、总体情况"), "", "2024年政府信息公开工作年度报告"),
        (p("2023年度报告", style="Big") + p("正文"), "", "2023年度报告"),  # centred and large by its style
        (p("标题", style="T") + p("正文"), "", "标题"),
        (p("小字居中", jc="center") + p("XX区2022年政府信息公开工作年度报告全文如下"), "", "XX区2022年政府信息公开工作年度报告全文如下"),
        (p("正文一") + p("正文二"), "2021年政府信息公开年度报告", "2021年政府信息公开年度报告"),
        (p("正文一"), "Microsoft Word - 文档1", None),
    ],
)
def test_the_title(tmp_path, body, core, title):
    document = read_docx(write_docx(tmp_path / "x.docx", body, core_title=core))
    assert document.metadata.get("title") == title


def test_body_order_through_content_controls_custom_xml_and_tracked_changes(tmp_path):
    body = (
        p("第一段")
        + f"<w:sdt><w:sdtPr/><w:sdtContent>{p('控件中的段落')}{tbl(tc('甲') + tc('乙'), tc('1') + tc('2'))}</w:sdtContent></w:sdt>"
        + f"<w:customXml>{p('自定义XML中的段落')}</w:customXml>"
        + '<w:p><w:r><w:t>保留</w:t></w:r><w:del><w:r><w:delText>删除的</w:delText></w:r></w:del>'
        + '<w:r><w:instrText> PAGE </w:instrText></w:r><w:r><w:t>文字</w:t></w:r></w:p>'
        + "<w:sdt><w:sdtPr><w:showingPlcHdr/></w:sdtPr><w:sdtContent>"
        + p("单击此处输入文字")
        + "</w:sdtContent></w:sdt>"
        + p("最后")
    )
    blocks = blocks_of(tmp_path, body)
    assert [(type(b).__name__, getattr(b, "text", None)) for b in blocks] == [
        ("Paragraph", "第一段"),
        ("Paragraph", "控件中的段落"),
        ("Table", None),
        ("Paragraph", "自定义XML中的段落"),
        ("Paragraph", "保留文字"),
        ("Paragraph", "最后"),
    ]


def test_tabs_and_breaks_keep_lines_apart(tmp_path):
    body = '<w:p><w:r><w:t>一、本年新收</w:t><w:tab/><w:t>3</w:t><w:br/><w:t>二、上年结转</w:t><w:tab/><w:t>0</w:t></w:r></w:p>'
    (block,) = blocks_of(tmp_path, body)
    assert block.lines == ["一、本年新收\t3", "二、上年结转\t0"]


def test_a_text_box_is_read_once_after_its_paragraph(tmp_path):
    box = f"<w:txbxContent>{p('框中文字')}</w:txbxContent>"
    extra = (
        "<w:r><mc:AlternateContent><mc:Choice Requires=\"wps\"><w:drawing><wps:txbx>"
        + box
        + "</wps:txbx></w:drawing></mc:Choice><mc:Fallback><w:pict><v:textbox>"
        + box
        + "</v:textbox></w:pict></mc:Fallback></mc:AlternateContent></w:r>"
    )
    blocks = blocks_of(tmp_path, p("锚定段落", extra=extra) + p("后文"))
    assert [b.text for b in blocks] == ["锚定段落", "框中文字", "后文"]


def test_merged_cells_become_spans(tmp_path):
    body = tbl(
        tc("角", merge="restart") + tc("头", span=2),
        tc(merge="continue") + tc("甲") + tc("乙"),
        tc("行", span=2) + tc("3"),
        '<w:trPr><w:gridBefore w:val="1"/></w:trPr>' + tc("4") + tc("5"),
        tc("孤", merge="continue") + tc("6") + tc("7"),  # a continuation with nothing above it: a cell of its own
        '<w:tc><w:tcPr><w:hMerge w:val="restart"/></w:tcPr><w:p><w:r><w:t>横</w:t></w:r></w:p></w:tc>'
        + "<w:tc><w:tcPr><w:hMerge/></w:tcPr><w:p/></w:tc>"
        + tc("8"),
        '<w:trPr><w:del w:id="1" w:author="a" w:date="2024-01-01T00:00:00Z"/></w:trPr>' + tc("删") + tc("删") + tc("删"),
    )
    (table,) = blocks_of(tmp_path, body)
    assert table.grid == [
        [GridCell("角", 2, 1), GridCell("头", 1, 2)],
        [GridCell("甲"), GridCell("乙")],
        [GridCell("行", 1, 2), GridCell("3")],
        [GridCell("", 1, 1), GridCell("4"), GridCell("5")],
        [GridCell("孤"), GridCell("6"), GridCell("7")],
        [GridCell("横", 1, 2), GridCell("8")],
    ]
    assert table.origin.cells[3][0] is None  # the cell standing for w:gridBefore has no w:tc


def test_a_layout_table_is_read_as_what_it_holds(tmp_path):
    inner = tbl(tc("一、本年新收") + tc("3"), tc("二、上年结转") + tc("0"))
    body = tbl(tc("2024年XX局政府信息公开工作年度报告"), tc("一、总体情况", inner=inner)) + tbl(tc("只有一格"))
    blocks = blocks_of(tmp_path, body)
    assert [type(b).__name__ for b in blocks] == ["Paragraph", "Paragraph", "Table", "Paragraph"]
    assert blocks[2].grid == [[GridCell("一、本年新收"), GridCell("3")], [GridCell("二、上年结转"), GridCell("0")]]
    assert blocks[3].text == "只有一格"


def test_a_table_inside_a_cell_of_a_real_table_follows_it(tmp_path):
    inner = tbl(tc("x") + tc("y"))
    body = tbl(tc("a") + tc("b") + tc("c", inner=inner), tc("1") + tc("2") + tc("3"))
    blocks = blocks_of(tmp_path, body)
    assert [type(b).__name__ for b in blocks] == ["Table", "Table"]
    assert blocks[0].grid[0][2].text == "c"  # the inner table's text is not the cell's
    assert blocks[1].grid == [[GridCell("x"), GridCell("y")]]


def test_strict_ooxml_namespace_is_read(tmp_path):
    body = p("2024年度报告") + tbl(tc("甲") + tc("1"))
    path = write_docx(tmp_path / "x.docx", body)
    strict = "http://purl.oclc.org/ooxml/wordprocessingml/main"
    rewritten = tmp_path / "strict.docx"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(rewritten, "w") as target:
        for name in source.namelist():
            data = source.read(name)
            if name.startswith("word/"):
                data = data.replace(b"http://schemas.openxmlformats.org/wordprocessingml/2006/main", strict.encode())
            target.writestr(name, data)
    blocks = read_docx(rewritten).blocks
    assert blocks[0].text == "2024年度报告" and blocks[1].grid == [[GridCell("甲"), GridCell("1")]]


# ---------------------------------------------------------------- grids, generated


@st.composite
def merged_layouts(draw):
    """A grid of 1-6 x 1-6 positions cut into rectangles (merged cells), each with its own text."""
    rows, columns = draw(st.integers(1, 6)), draw(st.integers(1, 6))
    owner = [[None] * columns for _ in range(rows)]
    regions = []
    for r in range(rows):
        for c in range(columns):
            if owner[r][c] is not None:
                continue
            width = 1
            while c + width < columns and owner[r][c + width] is None and width < draw(st.integers(1, 3)):
                width += 1
            height = draw(st.integers(1, rows - r))
            while any(owner[r + dr][c + dc] is not None for dr in range(height) for dc in range(width)):
                height -= 1
            text = draw(st.sampled_from(["", "0", "12", "自然人", "（一）予以公开", "a b"]))
            regions.append((r, c, height, width, text))
            for dr in range(height):
                for dc in range(width):
                    owner[r + dr][c + dc] = len(regions) - 1
    return rows, columns, owner, regions


def layout_xml(rows, columns, owner, regions) -> str:
    out = []
    for r in range(rows):
        cells, c = [], 0
        while c < columns:
            top, _, height, width, text = regions[owner[r][c]]
            if top == r:
                cells.append(tc(text, span=width, merge="restart" if height > 1 else None))
            else:
                cells.append(tc(span=width, merge="continue"))
            c += width
        out.append("".join(cells))
    return tbl(*out)


@given(merged_layouts(), st.booleans())
def test_any_merged_layout_reads_back_as_its_spans(tmp_path_factory, layout, wrapped):
    rows, _, _, regions = layout
    xml = layout_xml(*layout)
    if wrapped:  # rows inside custom XML: read element by element rather than in one pass; the same grid
        xml = xml.replace("<w:tbl>", '<w:tbl><w:customXml w:element="rows">').replace("</w:tbl>", "</w:customXml></w:tbl>")
    path = write_docx(tmp_path_factory.mktemp("grid") / "x.docx", xml)
    blocks = read_docx(path).blocks
    if rows == 1 and len(regions) == 1:  # a single cell is a frame around text, read as its paragraph
        assert [b.text for b in blocks] == ([regions[0][4].strip()] if regions[0][4].strip() else [])
        return
    (table,) = blocks
    expected = [[GridCell(text.strip(), height, width) for top, _, height, width, text in regions if top == r] for r in range(rows)]
    assert table.grid == expected


# ---------------------------------------------------------------- what cannot be read


def test_what_cannot_be_read_is_a_read_error(tmp_path):
    text = tmp_path / "a.docx"
    text.write_text("这不是 Word 文件", encoding="utf-8")
    legacy = tmp_path / "b.docx"
    legacy.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    empty_zip = tmp_path / "c.docx"
    with zipfile.ZipFile(empty_zip, "w") as package:
        package.writestr("hello.txt", "hi")
    broken_xml = tmp_path / "d.docx"
    write_docx(broken_xml, "<w:p><w:r><w:t>未闭合")
    no_body = tmp_path / "e.docx"
    with zipfile.ZipFile(no_body, "w") as package:
        package.writestr("word/document.xml", '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>')
    cases = {
        tmp_path / "missing.docx": "missing",
        tmp_path: "not-a-file",
        text: "docx-invalid",
        legacy: "docx-legacy",
        empty_zip: "docx-invalid",
        broken_xml: "docx-invalid",
        no_body: "docx-invalid",
    }
    for path, kind in cases.items():
        for read in (read_docx, open_docx):
            with pytest.raises(ReadError) as caught:
                read(path)
            assert caught.value.kind == kind, (path, read)
            assert str(path) in caught.value.message("en")
    assert "另存为 DOCX" in ReadError("docx-legacy", legacy).message("zh")


@given(st.binary(max_size=400), st.integers(0, 3000))
def test_damaged_files_give_read_errors_only(tmp_path_factory, noise, cut):
    folder = tmp_path_factory.mktemp("damaged")
    whole = write_docx(folder / "whole.docx", p("2024年度报告") + tbl(tc("甲") + tc("1")))
    data = whole.read_bytes()
    damaged = folder / "damaged.docx"
    damaged.write_bytes(data[:cut] + noise + data[cut + len(noise) :])
    try:
        read_docx(damaged)
    except ReadError:
        pass
