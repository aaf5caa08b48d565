"""``gk fix``: the clerk's own Word file checked, its blank totals filled in their cells, its errors commented.

Three kinds of DOCX: the official template filled by the test as a clerk fills it (some totals
blank, one wrong figure; and a copy whose table 三 is in the 2019 format), the same file re-saved
by LibreOffice, and a report made by ``gk build``.  Each copy opens in LibreOffice (rendered to
PDF with its comments in the margin), holds the filled values in the right cells in the
neighbours' formatting and the comments on the suspect cells, and differs from the input only
there: the test compares the XML trees of ``word/document.xml`` and every other part byte for byte.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import random
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from gkreport.testing.docxfill import TEMPLATE, fill_template, template_cells
from lxml import etree
from gkreport.testing.values import consistent_active, consistent_appeals, consistent_requests, pipe_active, pipe_appeals, pipe_requests

from gkreport.cli import main
from gkreport.model import Table
from gkreport.services.office import convert, soffice_path
from gkreport.readers.docx import open_docx, read_docx
from gkreport.recognition.grids import recognize
from gkreport.checks.report import check_model
from gkreport.values import GIVEN, format_number

pytestmark = pytest.mark.skipif(not TEMPLATE.is_file(), reason="../shared/domain/reports is absent")
needs_office = pytest.mark.skipif(soffice_path() is None, reason="LibreOffice is absent: apt-get install libreoffice-writer")

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
PARTS = ("natural", "business", "research", "nonprofit", "legal", "other_org")
COLUMNS = PARTS + ("total",)


def run_gk(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()


def figure_run(tc):
    """The run holding the cell's figure."""
    return next(r for r in tc.iter(W + "r") if "".join(t.text or "" for t in r.iter(W + "t")).strip())


def cell_text(tc) -> str:
    return "".join(t.text or "" for t in tc.iter(W + "t")).strip()


def xml(element) -> bytes:
    return etree.tostring(element, method="c14n") if element is not None else b""


# ---------------------------------------------------------------- the clerk's report


class Scenario:
    """A filled template, what the clerk left blank or got wrong, and what gk fix made of it."""

    def __init__(self, folder: Path, seed: int, requests_format: str = "2021"):
        rng = random.Random(seed)
        self.format = requests_format
        self.truth = {"active": consistent_active(rng), "requests": consistent_requests(rng, requests_format), "appeals": consistent_appeals(rng)}
        requests = self.truth["requests"]
        self.blank = {("requests", ("handled_total", c)) for c in COLUMNS}  # the (七)总计 row
        self.blank |= {("requests", ("new", "total")), ("appeals", ("cases", "reconsideration_total")), ("appeals", ("cases", "suit_after_total"))}
        nonzero = next(r for r in ("carried_over", "carried_forward", "granted", "partial") if requests[(r, "total")])
        self.slashed = ("requests", (nonzero, "total"))  # written "/": the rules say it is not 0
        self.written = {self.slashed: "/"}
        self.wrong = None
        if requests_format == "2021":
            row = next(r for r in ("withheld_internal", "withheld_process", "withheld_query", "granted") if requests[(r, "natural")] >= 10)
            self.wrong = ("requests", (row, "natural"))
            self.written[self.wrong] = str(requests[(row, "natural")] + 10)  # a typo: one digit off
        self.source = fill_template(folder / "report.docx", self.truth, blank=self.blank, written=self.written, requests_2019=requests_format == "2019")
        self._stand_out(self.source)
        self.output = folder / "report.checked.docx"
        self.code, self.stdout, self.stderr = run_gk("fix", str(self.source), "-o", str(self.output))

    @property
    def filled(self) -> set:
        """What gk fix fills: the blank totals, less those beside the wrong cell (the (七)总计 of its column and
        that row's 总计 are withheld: shown, they would disagree with the figures beside them)."""
        withheld = set()
        if self.wrong:
            withheld = {("requests", ("handled_total", self.wrong[1][1])), ("requests", ("handled_total", "total"))}
        return (self.blank | {self.slashed}) - withheld

    def _stand_out(self, path: Path) -> None:
        """The clerk typed row 一 in bold 12 pt: a filled total of that row must look like its row, not its column."""
        import docx

        document = docx.Document(str(path))
        cells = template_cells_of(document, self.format)
        for column in PARTS:
            r_pr = figure_run(cells[("requests", ("new", column))]).find(W + "rPr")
            r_pr.insert(1, etree.fromstring(f'<w:b xmlns:w="{W[1:-1]}"/>'))  # after w:rFonts, as the schema orders them
            for size in r_pr.findall(W + "sz") + r_pr.findall(W + "szCs"):
                size.set(W + "val", "24")
        document.save(str(path))


def template_cells_of(document, fmt):
    from gkreport.testing.docxfill import _active_cells, _appeals_cells, _requests_cells

    tables = document.tables
    return {**_active_cells(tables[0]._tbl), **_requests_cells(tables[1]._tbl, fmt), **_appeals_cells(tables[2]._tbl)}


@pytest.fixture(scope="module")
def clerk(tmp_path_factory) -> Scenario:
    return Scenario(tmp_path_factory.mktemp("clerk"), seed=5)


@pytest.fixture(scope="module")
def clerk_2019(tmp_path_factory) -> Scenario:
    return Scenario(tmp_path_factory.mktemp("clerk2019"), seed=8, requests_format="2019")


def comments_of(path: Path) -> dict[str, str]:
    """comment id -> its text."""
    with zipfile.ZipFile(path) as package:
        names = package.namelist()
        if "word/comments.xml" not in names:
            return {}
        root = etree.fromstring(package.read("word/comments.xml"))
    return {c.get(W + "id"): "\n".join("".join(t.text or "" for t in q.iter(W + "t")) for q in c.iter(W + "p")) for c in root.iter(W + "comment")}


def anchors(path: Path) -> dict:
    """Where each comment of a fixed file is anchored, read back through the DOCX reader:
    {(table, cell) or (table, "table") or ("report", text): [comment texts]}."""
    texts = comments_of(path)
    package, document = open_docx(path)
    result = check_model(document)
    where = {}
    for table in result.tables:
        for block in table.elements:
            if not isinstance(block, Table):
                continue
            for r, row in enumerate(block.origin.cells):
                for i, tc in enumerate(row):
                    if tc is not None:
                        where[tc] = (table.table, "table")
            # a table written as several Word tables (二 in blocks): each one's own cell positions
            positions = table.recognized.positions if len(table.elements) == 1 else recognize(block.grid, table.format).positions
            for cell, (r, i) in positions.items():
                where[block.origin.cells[r][i]] = (table.table, cell)
    found: dict = {}
    for start in package.element.iter(W + "commentRangeStart"):
        number = start.get(W + "id")
        end = next(e for e in package.element.iter(W + "commentRangeEnd") if e.get(W + "id") == number)
        reference = next(e for e in package.element.iter(W + "commentReference") if e.get(W + "id") == number)
        tc = next(start.iterancestors(W + "tc"), None)
        if tc is not None:  # the whole anchor lies in the cell
            assert next(end.iterancestors(W + "tc")) is tc and next(reference.iterancestors(W + "tc")) is tc
        if tc is None:
            paragraph = next(start.iterancestors(W + "p"))
            key = ("report", "".join(t.text or "" for t in paragraph.iter(W + "t")))
        else:
            key = where.get(tc, ("unknown", None))
        found.setdefault(key, []).append(texts[number])
    return found


# ---------------------------------------------------------------- the official template, filled by a clerk


def test_it_says_what_it_filled_and_flagged_and_exits_like_gk_check(clerk):
    assert clerk.code == 1, clerk.stderr  # an error, like gk check
    assert clerk.output.is_file()
    lines = clerk.stdout.splitlines()
    assert lines[0].startswith(f"{clerk.source}  2024年  表二(2021) 表三(2021) 表四(2021)")
    assert any("suspect-cell" in line and line.endswith("→ 批注") for line in lines)
    requests = clerk.truth["requests"]
    assert f"  填入 表三 行“一、本年新收政府信息公开申请数量”列“总计”：{requests[('new', 'total')]}" in lines
    assert f"  填入 表四 列“行政复议 / 总计”：{clerk.truth['appeals'][('cases', 'reconsideration_total')]}" in lines
    assert sum(line.startswith("  填入 ") for line in lines) == len(clerk.filled)
    assert lines[-1] == f"已写入 {clerk.output}：填入 {len(clerk.filled)} 个单元格，批注 1 条"
    code, again, _ = run_gk("check", str(clerk.output))
    assert code == 1 and "value-deduced" not in again  # every total is now written; the wrong figure is still there


def test_filled_values_are_in_their_own_cells(clerk):
    cells = template_cells(clerk.output)
    for table, cell in clerk.filled:
        assert cell_text(cells[(table, cell)]) == format_number(clerk.truth[table][cell]), cell
    before = template_cells(clerk.source)
    for key, tc in cells.items():
        if key not in clerk.filled:
            assert cell_text(tc) == cell_text(before[key]), key  # no written figure changed
    assert cell_text(cells[clerk.wrong]) == clerk.written[clerk.wrong]  # the wrong figure stays as written: it is commented


def test_filled_values_take_the_neighbours_formatting(clerk):
    cells = template_cells(clerk.output)
    row_total = figure_run(cells[("requests", ("new", "total"))])
    row_neighbour = figure_run(cells[("requests", ("new", "legal"))])
    assert xml(row_total.find(W + "rPr")) == xml(row_neighbour.find(W + "rPr"))  # bold 12 pt, like its row
    assert row_total.find(f"{W}rPr/{W}b") is not None
    column_filled = figure_run(cells[("requests", ("handled_total", "business"))])  # a row left wholly blank: its column
    column_neighbour = figure_run(cells[("requests", ("carried_forward", "business"))])
    assert xml(column_filled.find(W + "rPr")) == xml(column_neighbour.find(W + "rPr"))
    assert column_filled.find(f"{W}rPr/{W}sz").get(W + "val") == "21"  # not the empty paragraph's own 12 pt mark
    for table, cell in clerk.filled:
        paragraph = next(cells[(table, cell)].iter(W + "p"))
        assert paragraph.find(f"{W}pPr/{W}jc").get(W + "val") == "center", cell
        assert len(paragraph.findall(W + "r")) == 1  # the value alone: the template's spaces and the "/" are gone


def test_one_mistake_one_comment_on_the_suspect_cell(clerk):
    found = anchors(clerk.output)
    assert list(found) == [clerk.wrong]
    (text,) = found[clerk.wrong]
    requests = clerk.truth["requests"]
    given, expected = clerk.written[clerk.wrong], requests[clerk.wrong[1]]
    first, *rest = text.split("\n")
    assert first.startswith("[错误] 最可能出错的单元格") and f"填写 {given}，应为 {expected}" in first
    assert any(line.startswith("[错误] 行“") and "的总计为" in line for line in rest)  # the row total it breaks, said with it


def test_document_xml_differs_only_in_the_filled_cells_and_the_anchors(clerk):
    assert_only_fills_and_anchors(clerk.source, clerk.output, clerk.filled, clerk.format)


def assert_only_fills_and_anchors(source: Path, output: Path, filled: set, fmt: str) -> None:
    from docx.oxml.parser import parse_xml

    trees = []
    for path in (source, output):
        with zipfile.ZipFile(path) as package:
            trees.append(parse_xml(package.read("word/document.xml")))
    before, after = trees
    assert not list(before.iter(W + "commentRangeStart"))
    anchors_removed = 0
    for element in list(after.iter(W + "commentRangeStart", W + "commentRangeEnd", W + "commentReference")):
        target = element.getparent() if element.tag == W + "commentReference" else element
        target.getparent().remove(target)
        anchors_removed += 1
    assert anchors_removed and anchors_removed % 3 == 0
    tables_before, tables_after = (list(tree.iter(W + "tbl")) for tree in trees)
    cells_before, cells_after = (template_cells_from_tables(tables, fmt) for tables in (tables_before, tables_after))
    for key in filled:
        b, a = cells_before[key], cells_after[key]
        assert xml(b) != xml(a)
        for tc in (b, a):  # the filled cell itself may differ: it is set aside on both sides
            tc.getparent().replace(tc, etree.Element(W + "tc"))
    assert xml(before) == xml(after)


def template_cells_from_tables(tables, fmt):
    from gkreport.testing.docxfill import _active_cells, _appeals_cells, _requests_cells

    return {**_active_cells(tables[0]), **_requests_cells(tables[1], fmt), **_appeals_cells(tables[2])}


def test_every_other_part_is_copied_byte_for_byte(clerk):
    assert_other_parts_copied(clerk.source, clerk.output)


def assert_other_parts_copied(source_path: Path, output_path: Path) -> None:
    with zipfile.ZipFile(source_path) as source, zipfile.ZipFile(output_path) as output:
        before = {i.filename: source.read(i) for i in source.infolist() if not i.is_dir()}
        after = {i.filename: output.read(i) for i in output.infolist()}
    changed = {"word/document.xml", "word/_rels/document.xml.rels", "[Content_Types].xml", "word/comments.xml"}
    assert set(after) == set(before) | {"word/comments.xml"}
    for name in set(before) - changed:
        assert after[name] == before[name], name

    def relationships(data: bytes) -> set:
        return {(r.get("Type").rsplit("/", 1)[-1], r.get("Target")) for r in etree.fromstring(data)}

    rels = "word/_rels/document.xml.rels"
    assert relationships(after[rels]) == relationships(before[rels]) | {("comments", "comments.xml")}
    assert b"/word/comments.xml" in after["[Content_Types].xml"]


def test_a_table_in_the_2019_format_is_checked_filled_and_commented_at_the_table(clerk_2019):
    assert clerk_2019.code == 0, clerk_2019.stdout  # a warning only
    assert "表三(2019)" in clerk_2019.stdout.splitlines()[0]
    cells = template_cells(clerk_2019.output, requests_2019=True)
    for table, cell in clerk_2019.filled:
        assert cell_text(cells[(table, cell)]) == format_number(clerk_2019.truth[table][cell])
    found = anchors(clerk_2019.output)
    assert list(found) == [("requests", "table")]
    (text,) = found[("requests", "table")]
    assert text == "[警告] 本表采用 2019 年版格式，但 2024 年度报告应采用 2021 年版格式"
    import docx

    first = docx.Document(str(clerk_2019.output)).tables[1]._tbl.tr_lst[0].tc_lst[0]  # the corner cell
    assert first.find(f".//{W}commentRangeStart") is not None
    assert_only_fills_and_anchors(clerk_2019.source, clerk_2019.output, clerk_2019.filled, "2019")


@needs_office
def test_the_copy_opens_in_libreoffice_with_its_comments_in_the_margin(clerk, output_dir):
    pdf = convert(clerk.output, "pdf", output_dir, comments_in_margin=True)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "最可能出错的" in "".join(text.split())  # the comment, rendered in the margin
    requests = clerk.truth["requests"]
    assert str(requests[("handled_total", "business")]) in text.split()  # a filled total, printed whole
    subprocess.run(["pdftoppm", "-r", "70", "-f", "2", "-l", "2", "-png", str(pdf), str(output_dir / "page")], check=True)


# ---------------------------------------------------------------- a DOCX saved by LibreOffice


@pytest.fixture(scope="module")
def resaved(clerk, tmp_path_factory) -> tuple[Path, Path, str]:
    if soffice_path() is None:
        pytest.skip("LibreOffice is absent")
    folder = tmp_path_factory.mktemp("resaved")
    source = convert(clerk.source, "docx", folder / "in")
    output = folder / "fixed.docx"
    code, stdout, _ = run_gk("fix", str(source), "-o", str(output), "--lang", "en")
    assert code == 1, stdout
    return source, output, stdout


def test_libreoffice_docx_filled_in_the_right_cells(clerk, resaved):
    _, output, stdout = resaved
    result = check_model(read_docx(output))
    tables = {t.table: t for t in result.tables}
    for table, cell in clerk.filled:
        value = tables[table].recognized.cells[cell]
        assert (value.state, value.value) == (GIVEN, clerk.truth[table][cell]), cell
    assert "filled table 3 row “一、本年新收政府信息公开申请数量”, column “总计”" in stdout


def test_libreoffice_docx_comment_on_the_suspect_cell_in_english(clerk, resaved):
    found = anchors(resaved[1])
    assert list(found) == [clerk.wrong]
    assert found[clerk.wrong][0].startswith("[error] most likely wrong cell")


def test_libreoffice_docx_changes_only_the_filled_cells_and_the_anchors(clerk, resaved):
    source, output, _ = resaved
    assert_other_parts_copied(source, output)  # LibreOffice's own XML, not re-serialized
    changed = changed_cells(source, output)
    assert sorted(cell_text(a) for _, a in changed) == sorted(format_number(clerk.truth[t][c]) for t, c in clerk.filled)


def test_libreoffice_docx_filled_values_take_the_neighbours_formatting(resaved):
    _, output, _ = resaved
    total, neighbour = tcs_of(output, "requests", [("new", "total"), ("new", "legal")])
    assert xml(figure_run(total).find(W + "rPr")) == xml(figure_run(neighbour).find(W + "rPr"))
    assert figure_run(total).find(f"{W}rPr/{W}b") is not None  # the row's bold, as LibreOffice wrote it


def changed_cells(source: Path, output: Path) -> list:
    """The cells that differ between two DOCX, the comment anchors set aside; everything else must be equal
    (as XML trees: whitespace between elements, which carries nothing in WordprocessingML, is not compared)."""
    trees = []
    for path in (source, output):
        with zipfile.ZipFile(path) as package:
            trees.append(etree.fromstring(package.read("word/document.xml"), etree.XMLParser(remove_blank_text=True)))
    before, after = trees
    for element in list(after.iter(W + "commentRangeStart", W + "commentRangeEnd", W + "commentReference")):
        target = element.getparent() if element.tag == W + "commentReference" else element
        target.getparent().remove(target)
    changed = [(b, a) for b, a in zip(before.iter(W + "tc"), after.iter(W + "tc")) if xml(b) != xml(a)]
    for b, a in changed:
        b.getparent().replace(b, etree.Element(W + "tc"))
        a.getparent().replace(a, etree.Element(W + "tc"))
    assert xml(before) == xml(after)
    return changed


def tcs_of(path: Path, table: str, cells: list) -> list:
    """The w:tc of recognized cells, found through the DOCX reader."""
    _, document = open_docx(path)
    (found,) = [t for t in check_model(document).tables if t.table == table]
    (block,) = found.elements
    return [block.origin.cells[found.recognized.positions[c][0]][found.recognized.positions[c][1]] for c in cells]


@needs_office
@pytest.mark.parametrize("kind", ["resaved", "built"])
def test_the_other_copies_open_in_libreoffice(kind, request, output_dir):
    fixture = request.getfixturevalue(kind)
    output = fixture[1] if kind == "resaved" else fixture["output"]
    pdf = convert(output, "pdf", output_dir, comments_in_margin=True)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "最可能出错的" in "".join(text.split()) or "mostlikelywrongcell" in "".join(text.split())


# ---------------------------------------------------------------- a DOCX made by gk build


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """gk build of a Markdown report that leaves totals blank (fill: false) and keeps the tables as written,
    table 二 as four block tables, with a wrong figure in 三 and a word where 二 wants a number."""
    from gkreport.services.build import build

    rng = random.Random(21)
    requests, appeals, active = consistent_requests(rng), consistent_appeals(rng), consistent_active(rng)
    leaves = ("granted", "partial", "withheld_internal", "withheld_process", "unavailable_not_held", "rejected_repeat")
    wrong = next((row, column) for row in leaves for column in PARTS if requests[(row, column)] >= 10)
    blank = {("handled_total", c): "" for c in COLUMNS}
    replace = {**blank, wrong: str(requests[wrong] + 100)}
    active_text = pipe_active(active, split=True).replace(f"| 行政许可 | {format_number(active[('licensing', 'decisions')])} |", "| 行政许可 | 十二 |")
    markdown = (
        "---\ntitle: 2024年XX区XX局政府信息公开工作年度报告\nyear: 2024\ngk-check:\n  fill: false\n  layout: keep\n---\n\n"
        "# 一、总体情况\n\n本年度工作情况如下。\n\n# 二、主动公开政府信息情况\n\n"
        + active_text
        + "\n# 三、收到和处理政府信息公开申请情况\n\n"
        + pipe_requests(requests, replace=replace)
        + "\n# 四、政府信息公开行政复议、行政诉讼情况\n\n"
        + pipe_appeals(appeals)
        + "\n# 五、存在的主要问题及改进情况\n\n无。\n\n# 六、其他需要报告的事项\n\n无。\n"
    )
    folder = tmp_path_factory.mktemp("built")
    source = folder / "report.md"
    source.write_text(markdown, encoding="utf-8")
    docx_path = folder / "report.docx"
    build(source, docx_path)
    output = folder / "report.checked.docx"
    code, stdout, _ = run_gk("fix", str(docx_path), "-o", str(output))
    return {"docx": docx_path, "output": output, "code": code, "stdout": stdout, "requests": requests, "wrong": ("requests", wrong)}


def test_gk_build_docx_filled_and_commented(built):
    assert built["code"] == 1, built["stdout"]
    result = check_model(read_docx(built["output"]))
    requests = {t.table: t for t in result.tables}["requests"]
    for column in filled_columns(built):
        value = requests.recognized.cells[("handled_total", column)]
        assert (value.state, value.value) == (GIVEN, built["requests"][("handled_total", column)])
    found = anchors(built["output"])
    assert set(found) == {built["wrong"], ("active", ("licensing", "decisions"))}
    (text,) = found[("active", ("licensing", "decisions"))]
    assert text.startswith("[错误] ") and "“十二”不是数字" in text
    assert found[built["wrong"]][0].startswith("[错误] 最可能出错的单元格")


def test_gk_build_docx_other_parts_copied_byte_for_byte(built):
    assert_other_parts_copied(built["docx"], built["output"])
    changed = changed_cells(built["docx"], built["output"])
    assert sorted(cell_text(a) for _, a in changed) == sorted(format_number(built["requests"][("handled_total", c)]) for c in filled_columns(built))


def filled_columns(built) -> list[str]:
    """The (七)总计 cells gk fix fills: not the wrong cell's column, nor the row's 总计 (shown, they would
    disagree with the figures beside them)."""
    _, (_, wrong_column) = built["wrong"]
    return [c for c in COLUMNS if c not in (wrong_column, "total")]


def test_gk_build_docx_table_two_in_four_word_tables(built):
    document = read_docx(built["docx"])
    assert sum(isinstance(b, Table) for b in document.blocks) == 6  # 二 as four block tables, 三, 四


def test_a_relationship_to_nothing_is_kept_and_not_in_the_way(clerk, tmp_path):
    """Word and WPS leave relationships to parts the file lacks ("NULL"); python-docx refuses such files."""
    source, output = tmp_path / "dangling.docx", tmp_path / "out.docx"
    rels = "word/_rels/document.xml.rels"
    image = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"
    with zipfile.ZipFile(clerk.source) as original, zipfile.ZipFile(source, "w", zipfile.ZIP_DEFLATED) as target:
        for name in original.namelist():
            data = original.read(name)
            if name == rels:  # the Id python-docx would give a new relationship
                data = data.replace(b"</Relationships>", f'<Relationship Id="rId5" Type="{image}" Target="NULL"/></Relationships>'.encode())
            target.writestr(name, data)
    code, stdout, _ = run_gk("fix", str(source), "-o", str(output))
    assert code == 1, stdout
    assert list(anchors(output)) == [clerk.wrong]
    with zipfile.ZipFile(output) as package:
        relationships = {r.get("Id"): (r.get("Type").rsplit("/", 1)[-1], r.get("Target")) for r in etree.fromstring(package.read(rels))}
    assert relationships["rId5"] == ("image", "NULL")  # as the clerk's file has it
    assert ("comments", "comments.xml") in relationships.values() and len(relationships) == len(set(relationships))
    assert_other_parts_copied(source, output)


def test_the_readme_example(repo_root, tmp_path):
    output = tmp_path / "clerk-report.checked.docx"
    code, stdout, _ = run_gk("fix", str(repo_root / "examples" / "clerk-report.docx"), "-o", str(output))
    lines = stdout.splitlines()
    assert code == 1 and lines[-1] == f"已写入 {output}：填入 9 个单元格，批注 1 条"
    assert any("填写 44，应为 34" in line for line in lines) and "  填入 表三 行“一、本年新收政府信息公开申请数量”列“总计”：1298" in lines
    assert list(anchors(output)) == [("requests", ("withheld_internal", "natural"))]


# ---------------------------------------------------------------- findings about the prose and the report


def test_prose_and_report_findings_are_commented_where_they_belong(tmp_path):
    from gkreport.testing.docxfill import p, tbl, tc, write_docx

    from gkreport.spec import spec_for

    requests = consistent_requests(random.Random(3))
    spec = spec_for("requests", "2021")
    rows = [tc("项目") + "".join(tc(c.label) for c in spec.columns)]
    rows += [tc(r.label) + "".join(tc(format_number(requests[(r.key, c.key)])) for c in spec.columns) for r in spec.rows]
    claimed = requests[("new", "total")] + 7
    body = (
        p("2024年XX局政府信息公开工作年度报告", jc="center", size=44)
        + p("一、总体情况")
        + p(f"本年共收到政府信息公开申请{claimed}件。")
        + p("三、收到和处理政府信息公开申请情况")
        + tbl(*rows)
    )
    source = write_docx(tmp_path / "prose.docx", body)
    output = tmp_path / "out.docx"
    code, stdout, _ = run_gk("fix", str(source), "-o", str(output))
    assert code == 0, stdout
    found = anchors(output)
    paragraph = ("report", f"本年共收到政府信息公开申请{claimed}件。")
    assert set(found) == {paragraph, ("report", "2024年XX局政府信息公开工作年度报告")}
    assert found[paragraph][0].startswith("[警告] 正文") and str(claimed) in found[paragraph][0]
    (title,) = found[("report", "2024年XX局政府信息公开工作年度报告")]
    assert title.count("\n") == 2 and "报告缺少以下部分" in title and title.count("报告中没有找到本表") == 2
    assert_unchanged_but_anchors(source, output)


def assert_unchanged_but_anchors(source: Path, output: Path) -> None:
    trees = []
    for path in (source, output):
        with zipfile.ZipFile(path) as package:
            trees.append(etree.fromstring(package.read("word/document.xml")))
    for element in list(trees[1].iter(W + "commentRangeStart", W + "commentRangeEnd", W + "commentReference")):
        target = element.getparent() if element.tag == W + "commentReference" else element
        target.getparent().remove(target)
    assert xml(trees[0]) == xml(trees[1])


# ---------------------------------------------------------------- what gk fix refuses, and how it writes


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_the_output_may_not_be_the_input(clerk, tmp_path):
    source = tmp_path / "report.docx"
    shutil.copyfile(clerk.source, source)
    before = digest(source)
    (tmp_path / "link.docx").symlink_to(source)
    os.link(source, tmp_path / "hard.docx")
    for args in (
        ("fix", str(source), "-o", str(source)),
        ("fix", str(source), "-o", str(tmp_path / "." / "report.docx")),
        ("fix", str(tmp_path / "link.docx"), "-o", str(source)),
        ("fix", str(source), "-o", str(tmp_path / "link.docx")),
        ("fix", str(source), "-o", str(tmp_path / "hard.docx")),
    ):
        code, _, stderr = run_gk(*args)
        assert code == 2 and "输出文件不能是输入文件本身" in stderr, args
    assert digest(source) == before
    code, _, stderr = run_gk("fix", str(source), "-o", str(tmp_path / "out.pdf"))
    assert code == 2 and "输出文件必须是 .docx" in stderr


def test_strict_writes_nothing_when_there_is_an_error(clerk, clerk_2019, tmp_path):
    code, stdout, _ = run_gk("fix", str(clerk.source), "-o", str(tmp_path / "a.docx"), "--strict")
    assert code == 1 and not (tmp_path / "a.docx").exists()
    assert stdout.splitlines()[-1] == f"严格模式：发现错误，未写入 {tmp_path / 'a.docx'}"
    code, _, _ = run_gk("fix", str(clerk_2019.source), "-o", str(tmp_path / "b.docx"), "--strict")
    assert code == 0 and (tmp_path / "b.docx").is_file()  # warnings do not stop it


def test_the_default_output_is_beside_the_input(clerk, tmp_path):
    source = tmp_path / "报告.docx"
    shutil.copyfile(clerk.source, source)
    code, _, _ = run_gk("fix", str(source))
    assert code == 1 and (tmp_path / "报告.checked.docx").is_file()


def test_written_atomically_and_an_old_copy_survives_a_failed_write(clerk, tmp_path, monkeypatch):
    output = tmp_path / "out.docx"
    output.write_bytes(b"an earlier copy")

    def refuse(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    code, _, stderr = run_gk("fix", str(clerk.source), "-o", str(output))
    assert code == 2 and "无法写入" in stderr and "No space left on device" in stderr
    assert output.read_bytes() == b"an earlier copy"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.docx"]  # no temporary file left behind
    monkeypatch.undo()
    assert run_gk("fix", str(clerk.source), "-o", str(output))[0] == 1
    assert zipfile.is_zipfile(output) and sorted(p.name for p in tmp_path.iterdir()) == ["out.docx"]


def test_an_output_folder_that_cannot_be_made_is_a_message(clerk, tmp_path):
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where the folder would be", encoding="utf-8")
    code, _, stderr = run_gk("fix", str(clerk.source), "-o", str(blocker / "out.docx"))
    assert code == 2 and f"无法写入 {blocker / 'out.docx'}" in stderr and "Traceback" not in stderr


def test_inputs_it_cannot_take_get_clear_messages(tmp_path):
    markdown = tmp_path / "report.md"
    markdown.write_text("# 报告", encoding="utf-8")
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    cases = [
        (tmp_path / "missing.docx", "文件不存在"),
        (markdown, "gk fix 只处理 Word 文件"),
        (broken, "不是有效的 Word（DOCX）文件"),
    ]
    for path, message in cases:
        code, _, stderr = run_gk("fix", str(path), "-o", str(tmp_path / "out.docx"))
        assert code == 2 and message in stderr and "Traceback" not in stderr, path
    assert not (tmp_path / "out.docx").exists()


def test_a_doc_file_without_libreoffice_is_told_to_save_as_docx(tmp_path, monkeypatch):
    import gkreport.services.office

    legacy = tmp_path / "report.doc"
    legacy.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    monkeypatch.setattr(gkreport.services.office, "soffice_path", lambda: None)
    code, _, stderr = run_gk("fix", str(legacy), "-o", str(tmp_path / "out.docx"))
    assert code == 2 and "请在 Word 或 WPS 中另存为 DOCX" in stderr
    code, _, stderr = run_gk("fix", str(legacy), "-o", str(tmp_path / "out.docx"), "--lang", "en")
    assert "save it as DOCX in Word or WPS" in stderr


@needs_office
def test_a_doc_file_is_converted_by_libreoffice_first(clerk, tmp_path):
    legacy = convert(clerk.source, "doc", tmp_path)
    output = tmp_path / "fixed.docx"
    code, stdout, _ = run_gk("fix", str(legacy), "-o", str(output))
    assert code == 1
    assert stdout.splitlines()[1] == f"  已用 LibreOffice 将 {legacy} 转换为 DOCX 后检查"
    assert list(anchors(output)) == [clerk.wrong]
    assert legacy.read_bytes()[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the original is untouched


def test_a_cell_inside_a_content_control_is_reported_not_filled(clerk, tmp_path):
    import docx

    source, output = tmp_path / "controls.docx", tmp_path / "out.docx"
    document = docx.Document(str(clerk.source))
    tc = template_cells_of(document, "2021")[("requests", ("new", "total"))]
    paragraph = tc.find(W + "p")
    control = etree.fromstring(f'<w:sdt xmlns:w="{W[1:-1]}"><w:sdtPr/><w:sdtContent/></w:sdt>')
    paragraph.addprevious(control)
    control[1].append(paragraph)
    document.save(str(source))
    code, stdout, _ = run_gk("fix", str(source), "-o", str(output))
    total = clerk.truth["requests"][("new", "total")]
    assert code == 1 and f"推算为 {total}" in stdout and f"列“总计”：{total}" not in stdout
    assert cell_text(template_cells(output)[("requests", ("new", "total"))]) == ""
    assert cell_text(template_cells(output)[("requests", ("handled_total", "business"))]) == format_number(clerk.truth["requests"][("handled_total", "business")])


def test_the_blank_template_is_three_tables_with_nothing_to_fill(tmp_path):
    output = tmp_path / "out.docx"
    _, stdout, _ = run_gk("fix", str(TEMPLATE), "-o", str(output))
    assert "表四(2021)" in stdout.splitlines()[0]


def test_gkcheck_fix_in_a_notebook(clerk, tmp_path):
    pytest.importorskip("IPython")
    from gkreport.kernels_ext.magics import GkMagics
    from IPython.core.error import UsageError
    from IPython.utils.capture import capture_output

    magics = GkMagics(None)  # the magic itself; tests/test_magics.py drives the extension through a shell
    output = tmp_path / "nb.docx"
    with capture_output() as captured:
        magics.gkcheck(f"{clerk.source} --fix -o {output}")
    text = captured.stdout + "".join(o.data.get("text/plain", "") for o in captured.outputs)
    assert "suspect-cell" in text and text.strip().splitlines()[-1].startswith(f"已写入 {output}：填入 {len(clerk.filled)} 个单元格")
    assert list(anchors(output)) == [clerk.wrong]
    with pytest.raises(UsageError):
        magics.gkcheck(f"{clerk.source} --fix -o {clerk.source}")
