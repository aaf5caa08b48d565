"""The PDF reader (issue 9): report PDFs made here read back cell for cell.

The material is made once per module (gkreport/testing/pdfmaterial.py): the official template filled with
figures and exported by LibreOffice in four variants (running head and "— 1 —"; three pages of
prose and "第 1 页 共 6 页" with a PDF Title; "- 1 -" with table 三 running over a page break, its
header repeated; table 三 without any border, under a 红头 in large red type), PDFs made by
`gk build` (typst), and a scan.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gkreport.model import Paragraph, Table
from gkreport.readers.files import ReadError
from gkreport.readers.pdf import read_pdf
from gkreport.recognition.grids import recognize
from gkreport.checks.report import check_model

pytestmark = pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdftoppm") is None,
    reason="LibreOffice and poppler-utils (Makefile DEBIAN_PACKAGES)",
)

pdfmaterial = pytest.importorskip("gkreport.testing.pdfmaterial")

TEMPLATES = {
    # name: (seed, options)
    "furniture": (101, {"running_header": "XX区人民政府办公室", "page_numbers": "dash"}),
    "long": (102, {"prose_repeats": 3, "page_numbers": "of", "pdf_title": "XX局2024年政府信息公开年报"}),
    "split": (103, {"page_numbers": "hyphen", "split_requests": True}),
    "borderless": (104, {"borderless_requests": True, "red_header": "XX区XX局文件"}),
}
TABLES = [("active", "2021"), ("requests", "2021"), ("appeals", "2021")]
CORNER = "（本列数据的勾稽关系为"


@pytest.fixture(scope="module")
def material(tmp_path_factory):
    if not pdfmaterial.TEMPLATE.exists():
        pytest.skip("../shared/domain/reports/official-template-2021.docx is absent")
    folder = tmp_path_factory.mktemp("pdf")
    made, sources = {}, []
    for name, (seed, options) in TEMPLATES.items():
        values = pdfmaterial.truth(seed)
        sources.append(pdfmaterial.filled_template(values, folder / f"{name}.docx", **options))
        made[name] = (folder / f"{name}.pdf", values)
    pdfmaterial.export_pdf(sources, folder)
    for name, seed, before in (("built", 201, "三"), ("built-split", 202, "二")):
        values = pdfmaterial.truth(seed)
        made[name] = (pdfmaterial.built_pdf(values, folder / f"{name}.pdf", break_before=before), values)
    made["scan"] = (pdfmaterial.scanned_pdf(made["furniture"][0], folder / "scan.pdf"), None)
    return made


@pytest.fixture(scope="module")
def documents(material):
    return {name: read_pdf(path) for name, (path, _) in material.items() if name != "scan"}


def assert_every_figure_at_its_cell(result, truth):
    assert [(t.table, t.format) for t in result.tables] == TABLES
    for table in result.tables:
        expected = truth[table.table]
        read = {key: cell.value for key, cell in table.recognized.cells.items()}
        wrong = {key: (read.get(key), value) for key, value in expected.items() if read.get(key) != value}
        assert not wrong, f"{table.table}: {len(wrong)} of {len(expected)} cells differ, e.g. {list(wrong.items())[:3]}"
    assert [f.line() for f in result.findings if f.severity in ("error", "warning")] == []


@pytest.mark.parametrize("name", ["furniture", "long", "built"])
def test_the_pdf_reads_back_cell_for_cell(documents, material, name):
    result = check_model(documents[name])
    assert result.year == 2024
    assert_every_figure_at_its_cell(result, material[name][1])


def test_the_fee_is_read_exactly(documents, material):
    active = next(t for t in check_model(documents["furniture"]).tables if t.table == "active")
    fee = active.recognized.cells[("fees", "fee_amount")].value
    assert isinstance(fee, Decimal) and fee == material["furniture"][1]["active"][("fees", "fee_amount")]


def test_merged_cells_are_written_once_with_their_spans(documents):
    tables = [b for b in documents["furniture"].blocks if isinstance(b, Table)]
    requests = next(t.grid for t in tables if t.grid[0][0].text.startswith(CORNER))
    corner, applicants = requests[0]
    assert (corner.rowspan, corner.colspan, applicants.text, applicants.colspan) == (3, 3, "申请人情况", 7)
    assert [(c.text, c.rowspan, c.colspan) for c in requests[1]] == [("自然人", 2, 1), ("法人或其他组织", 1, 5), ("总计", 2, 1)]
    # labels wrapped in narrow cells ("商业" / "企业") are one text, no space between CJK characters
    assert [c.text for c in requests[2]] == ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
    results = requests[5]
    assert (results[0].text, results[0].rowspan, results[1].text, results[1].colspan) == (
        "三、本年度办理结果",
        22,
        "（一）予以公开",
        2,
    )
    assert (requests[7][0].text, requests[7][0].rowspan) == ("（三）不予公开", 8)
    assert requests[6][0].text == "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"
    appeals = next(t.grid for t in tables if t.grid[0][0].text == "行政复议")
    assert [(c.text, c.colspan) for c in appeals[0]] == [("行政复议", 5), ("行政诉讼", 10)]
    assert len(appeals[3]) == 15


def test_the_built_example_reads_as_its_source_checks(documents, repo_root, tmp_path):
    """examples/report.md leaves totals blank; its PDF holds them filled: the PDF reads back as the
    Markdown checks, every value (written or deduced) at its cell."""
    from gkreport.services.build import build
    from gkreport.readers.files import read_document
    from gkreport.services.check import check_document

    source = check_document(read_document(repo_root / "examples" / "report.md"))
    pdf = build(repo_root / "examples" / "report.md", tmp_path / "report.pdf").output
    result = check_model(read_pdf(pdf))
    assert [(t.table, t.format) for t in result.tables] == TABLES
    for written, read in zip(source.tables, result.tables):
        assert read.checked.values == written.checked.values
    assert [f.code for f in result.findings if f.severity != "info"] == []


# ---------------------------------------------------------------- a table over a page break


def _requests_parts(document):
    blocks = document.blocks
    for n, block in enumerate(blocks):
        if isinstance(block, Table) and block.grid[0][0].text.startswith(("（本列", "(本列")):
            return blocks[n], blocks[n + 1]
    raise AssertionError("no table 三")


@pytest.mark.parametrize("name", ["split", "built-split"])
def test_a_table_over_a_page_break_is_two_consecutive_tables_holding_every_row(documents, material, name):
    first, second = _requests_parts(documents[name])
    assert isinstance(second, Table) and second.origin.page == first.origin.page + 1
    header = [[c.text for c in row] for row in first.grid[:3]]
    assert [[c.text for c in row] for row in second.grid[:3]] == header  # the repeated header is kept
    assert header[0][0].startswith(("（本列", "(本列")) and len(first.grid) > 6 and len(second.grid) > 6
    joined = first.grid + second.grid[3:]
    recognized = recognize(joined, "2021")
    truth = material[name][1]["requests"]
    assert {key: cell.value for key, cell in recognized.cells.items()} == truth


def test_a_split_table_is_checked_as_one(documents, material):
    assert_every_figure_at_its_cell(check_model(documents["split"]), material["split"][1])


# ---------------------------------------------------------------- text


def test_page_furniture_is_dropped_and_paragraphs_are_whole(documents, material):
    for name, furniture in (
        ("furniture", r"XX区人民政府办公室|—\s*\d+\s*—"),
        ("long", r"第\s*\d+\s*页"),
        ("split", r"^-\s*\d+\s*-$"),
    ):
        texts = [b.text for b in documents[name].blocks if isinstance(b, Paragraph)]
        assert not [t for t in texts if re.search(furniture, t, re.M)], name
        year, requests = "2024", material[name][1]["requests"]
        # each paragraph of the source is one Paragraph, its lines (and pages) joined, in order
        expected = [line.format(**pdfmaterial._fields(year, requests)) for line in pdfmaterial.OVERVIEW]
        found = [t for t in texts if t in expected]
        assert found[: len(expected)] == expected, name
        assert "（一）主动公开" in texts and "一、总体情况" in texts  # heading lines stay paragraphs of their own
        assert texts[-2:] == ["XX区XX局", "2025年1月20日"]


def test_metadata_title_and_the_pdf_title(documents):
    assert documents["furniture"].metadata["title"] == "2024年XX区XX局政府信息公开工作年度报告"
    assert "pdf-title" not in documents["furniture"].metadata
    assert documents["long"].metadata["pdf-title"] == "XX局2024年政府信息公开年报"
    assert documents["borderless"].metadata["title"] == "2024年XX区XX局政府信息公开工作年度报告"  # not the larger 红头 above it
    assert documents["borderless"].blocks[0].text == "XX区XX局文件"  # which stays text
    assert documents["built"].metadata["title"] == "2024年XX区XX局政府信息公开工作年度报告"  # wrapped onto two lines
    assert documents["long"].metadata["pages"] == 6


def test_a_table_without_ruling_lines_is_text_in_columns(documents):
    document = documents["borderless"]
    assert not any(isinstance(b, Table) and b.grid[0][0].text.startswith(CORNER) for b in document.blocks)
    lines = [line for b in document.blocks if isinstance(b, Paragraph) for line in b.lines]
    new = next(line for line in lines if line.startswith("一、本年新收政府信息公开申请数量"))
    assert len(re.split(r"\s{2,}", new.strip())) == 8  # the label and its seven figures, columns apart
    results = [line for line in lines if "（七）总计" in line]
    assert len(results) == 1 and len(re.split(r"\s{2,}", results[0].strip())) == 8
    # the columns line up: a figure's column is the same on every line
    starts = [[m.start() for m in re.finditer(r"(?<=\s\s)\d+", line)] for line in (new, results[0])]
    assert starts[0] == starts[1]


def test_a_table_without_ruling_lines_is_checked(documents, material):
    assert_every_figure_at_its_cell(check_model(documents["borderless"]), material["borderless"][1])


# ---------------------------------------------------------------- what cannot be read


def test_a_scan_is_refused_with_a_clear_message(material):
    path = material["scan"][0]
    with pytest.raises(ReadError) as caught:
        read_pdf(path)
    assert caught.value.kind == "pdf-scanned"
    assert str(path) in str(caught.value) and "扫描件" in str(caught.value) and "OCR" in str(caught.value)
    assert "scan" in caught.value.message("en") and str(path) in caught.value.message("en")


def test_encrypted_broken_and_missing_files_are_read_errors(material, tmp_path):
    pypdf = pytest.importorskip("pypdf")
    writer = pypdf.PdfWriter(clone_from=str(material["built"][0]))
    writer.encrypt("secret")
    encrypted = tmp_path / "encrypted.pdf"
    writer.write(str(encrypted))
    cases = {"pdf-encrypted": encrypted}
    (tmp_path / "page.pdf").write_text("<html><body>不是 PDF</body></html>", encoding="utf-8")
    (tmp_path / "empty.pdf").write_bytes(b"")
    cases.update({"pdf-broken": tmp_path / "page.pdf", "missing": tmp_path / "absent.pdf", "not-a-file": tmp_path})
    for kind, path in cases.items():
        with pytest.raises(ReadError) as caught:
            read_pdf(path)
        assert caught.value.kind == kind and str(path) in str(caught.value)
    with pytest.raises(ReadError) as caught:
        read_pdf(tmp_path / "empty.pdf")
    assert caught.value.kind == "pdf-broken"


def test_a_truncated_pdf_gives_what_it_holds_or_a_read_error(material, tmp_path):
    data = material["furniture"][0].read_bytes()
    for keep in (0.3, 0.6, 0.9):
        path = tmp_path / f"cut{keep}.pdf"
        path.write_bytes(data[: int(len(data) * keep)])
        try:
            document = read_pdf(path)
        except ReadError as error:
            assert str(path) in str(error)
        else:
            assert document.blocks


@pytest.fixture(scope="module")
def pdf_bytes(material):
    return material["built"][0].read_bytes()


@settings(max_examples=40, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.integers(0, 255)), min_size=1, max_size=20), st.floats(0.05, 1))
def test_a_damaged_pdf_gives_a_document_or_a_read_error_never_an_exception(pdf_bytes, tmp_path, changes, keep):
    data = bytearray(pdf_bytes[: max(1, int(len(pdf_bytes) * keep))])
    for where, byte in changes:
        data[int(where * len(data))] = byte
    path = tmp_path / "damaged.pdf"
    path.write_bytes(bytes(data))
    try:
        read_pdf(path)
    except ReadError as error:
        assert error.kind != "unreadable", error.detail  # an exception of the reader itself, turned into a message
        assert str(path) in str(error)


def test_reading_a_pdf_does_not_load_pdfium_at_import():
    code = "import sys, gkreport.readers.pdf; assert 'pypdfium2' not in sys.modules and 'pdfplumber' not in sys.modules"
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0


# ---------------------------------------------------------------- the choice of library


def test_the_tables_are_the_tables_pdfplumber_finds(documents, material):
    """pdfplumber's TableFinder (the most accurate of the libraries compared) finds the same cells,
    with the same spans and texts, on every page."""
    pdfplumber = pytest.importorskip("pdfplumber")
    for name in ("furniture", "split", "built-split"):
        mine = [
            [[(c.text, c.rowspan, c.colspan) for c in row] for row in b.grid]
            for b in documents[name].blocks
            if isinstance(b, Table)
        ]
        theirs = []
        with pdfplumber.open(material[name][0]) as pdf:
            for page in pdf.pages:
                for table in page.find_tables():
                    theirs.append(_plumber_grid(table))
        assert mine == theirs, name


def _plumber_grid(table) -> list:
    xs = sorted({c[0] for c in table.cells} | {c[2] for c in table.cells})
    ys = sorted({c[1] for c in table.cells} | {c[3] for c in table.cells})
    texts = {}
    for row, row_texts in zip(table.rows, table.extract()):
        for cell, text in zip(row.cells, row_texts):
            if cell is not None:
                texts[cell] = "".join((text or "").split())
    rows: list = [[] for _ in range(len(ys) - 1)]
    for cell in sorted(table.cells, key=lambda c: (c[1], c[0])):
        r0, c0 = ys.index(cell[1]), xs.index(cell[0])
        rows[r0].append((texts[cell], ys.index(cell[3]) - r0, xs.index(cell[2]) - c0))
    return rows


# ---------------------------------------------------------------- text extracted by other tools, for the recognizer

PDFTEXT = Path(__file__).resolve().parent / "forms" / "pdftext"


@pytest.mark.parametrize(
    "name", [f"{report}.{mode}.txt" for report in ("template-filled", "build") for mode in ("layout", "plain", "raw")]
)
def test_the_pdftotext_fixtures_hold_the_figures_of_their_report(name):
    """tests/forms/pdftext/: what `pdftotext` (-layout, plain, -raw) gives for a filled template and a
    `gk build` PDF (made by pdfmaterial.pdftext_fixtures), for the text recognizer.  Each holds the
    row labels of table 三 and the figures of its first row: in a row (-layout, -raw), or one cell
    per line, column after column (plain pdftotext of the typst table)."""
    report, mode, _ = name.split(".")
    text = (PDFTEXT / name).read_text(encoding="utf-8")
    truth = pdfmaterial.truth(pdfmaterial.PDFTEXT_SEEDS[report])["requests"]
    squeezed = re.sub(r"\s+", "", text)
    for label in ("本年新收政府信息公开申请数量", "予以公开", "属于行政查询事项", "重复申请", "结转下年度继续办理"):
        assert label in squeezed
    figures = [str(truth[("new", c)]) for c in ("natural", "business", "research", "nonprofit", "legal", "other_org", "total")]
    if mode == "plain" and report == "build":
        tokens = text.split()
        assert all(figure in tokens for figure in figures)
    else:
        assert re.search(r"\D" + r"\s+".join(figures) + r"\D", text)
