"""Official-layout rendering: the panflute table itself, and what pandoc's writers make of it.

Each table/format is rendered from a consistent random table with its totals left blank (so the
engine deduces them), then converted by the bundled pandoc to DOCX, HTML, typst and LaTeX, and
the merged cells are counted in the output.
"""

from __future__ import annotations

import io
import json
import random
import re
import subprocess
import zipfile
from decimal import Decimal

import panflute as pf
import pytest
from hypothesis import given
from hypothesis import strategies as st

from gkreport.testing.values import consistent_active, consistent_appeals, consistent_requests

from gkreport.render import geometry
from gkreport.render.colwidths import cell_mm, table_geometry, text_em, words
from gkreport.checks.engine import check_table
from gkreport.blocks import table_rows
from gkreport.grid import DEDUCED_CLASS
from gkreport.readers.pandoc import grid_from_panflute
from gkreport.render.pagination import keep_with_table
from gkreport.recognition.grids import recognize
from gkreport.render.gridtable import grid_table
from gkreport.render.html import html_table
from gkreport.render.pandoc import ERROR_CLASS, SMALL_CLASS, SMALL_STYLE, RenderContext, fill_in_place, render_official
from gkreport.spec import official_layout, spec_for
from gkreport.render.titleblock import chinese_date, signature, signature_indents, title_lines
from gkreport.values import ASK, BLANK, GIVEN, INVALID, CellValue, format_number, parse_cell

COMBOS = [(t, f) for t in ("active", "requests", "appeals") for f in ("2021", "2019")]
# (header rows, body rows) of the official layouts
SHAPES = {
    ("requests", "2021"): (3, 25),
    ("requests", "2019"): (3, 23),
    ("appeals", "2021"): (3, 1),
    ("appeals", "2019"): (3, 1),
    ("active", "2021"): (0, 4 * 2 + 6),
    ("active", "2019"): (0, 5 * 2 + 8),  # spec.py: 8 data rows (FORMAT.md says 9 but lists 8)
}
RESULT_ROWS = {"2021": 22, "2019": 20}  # rows spanned by 三、本年度办理结果


def _is_total(table: str, cell) -> bool:
    row, column = cell
    if table == "requests":
        return column == "total" or row == "handled_total"
    if table == "appeals":
        return column.endswith("_total")
    return False


def consistent(table: str, fmt: str, seed: int = 1) -> dict:
    rng = random.Random(seed)
    if table == "requests":
        return consistent_requests(rng, fmt)
    if table == "appeals":
        return consistent_appeals(rng)
    return consistent_active(rng, fmt)


def checked_table(table: str, fmt: str, seed: int = 1, cells: dict | None = None):
    """A checked table whose totals were left blank (the engine deduces them)."""
    spec = spec_for(table, fmt)
    values = consistent(table, fmt, seed)
    written = {
        cell: CellValue("", BLANK) if _is_total(table, cell) else parse_cell(format_number(value), spec.kind_of(cell))
        for cell, value in values.items()
    }
    written.update(cells or {})
    return check_table(spec, written), values


def to_json(*blocks) -> str:
    out = io.StringIO()
    pf.dump(pf.Doc(*blocks), out)
    return out.getvalue()


def convert(pandoc_bin, blocks, to: str, tmp_path=None) -> str:
    args = [pandoc_bin, "-f", "json", "-t", to]
    if to == "docx":
        target = tmp_path / "out.docx"
        args += ["-o", str(target)]
    result = subprocess.run(args, input=to_json(*blocks).encode(), capture_output=True, check=False)
    assert result.returncode == 0, result.stderr.decode()
    if to == "docx":
        return zipfile.ZipFile(target).read("word/document.xml").decode()
    return result.stdout.decode()


def spans(table: pf.Table, cls: str) -> list[str]:
    found = []
    table.walk(lambda e, d: found.append(pf.stringify(e)) if isinstance(e, pf.Span) and cls in e.classes else None)
    return found


def occupied_widths(table: pf.Table) -> list[int]:
    """How many grid columns each row covers, counting cells that reach down from rows above."""
    rows = table_rows(table)
    carried = [0] * len(rows)
    widths = []
    for r, row in enumerate(rows):
        width = carried[r]
        for cell in row.content:
            width += cell.colspan
            for below in range(r + 1, min(r + cell.rowspan, len(rows))):
                carried[below] += cell.colspan
        widths.append(width)
    return widths


# ---------------------------------------------------------------- the panflute table


@pytest.mark.parametrize("table,fmt", COMBOS)
def test_shape_colspec_and_grid(table, fmt):
    checked, _ = checked_table(table, fmt)
    rendered = render_official(checked)
    layout = official_layout(table, fmt)
    head_rows, body_rows = SHAPES[(table, fmt)]
    assert len(rendered.head.content) == head_rows
    assert len(rendered.content) == 1 and len(rendered.content[0].content) == body_rows
    assert not pf.stringify(rendered.caption)  # no caption: the section heading precedes the table
    assert len(rendered.colspec) == layout.ncols
    assert abs(sum(width for _, width in rendered.colspec) - 1) < 0.01
    aligns = [align for align, _ in rendered.colspec]
    assert aligns == ["AlignLeft"] * layout.label_columns + ["AlignCenter"] * (layout.ncols - layout.label_columns)
    assert set(occupied_widths(rendered)) == {layout.ncols}  # every row fills the grid exactly
    if table == "requests":
        widths = [w for _, w in rendered.colspec]
        assert sum(widths[:3]) > 0.4  # a wide label area
    if table == "appeals":
        assert len({round(w, 6) for _, w in rendered.colspec}) == 1  # 15 equal columns


@pytest.mark.parametrize("table,fmt", COMBOS)
def test_values_given_deduced_and_round_trip(table, fmt):
    checked, values = checked_table(table, fmt)
    rendered = render_official(checked)
    expected_deduced = {cell for cell in values if _is_total(table, cell)}
    assert set(checked.deduced) == expected_deduced
    assert len(spans(rendered, DEDUCED_CLASS)) == len(expected_deduced)
    assert spans(rendered, ERROR_CLASS) == []
    # What a second run reads back: the same table, givens as given; a deduced value is read as
    # what the author had written there (gk-written), so the rerun deduces it again, identically.
    again = recognize(grid_from_panflute(rendered), fmt)
    assert again is not None and (again.table, again.format) == (table, fmt)
    for cell, value in values.items():
        read = again.cells[cell]
        if cell in expected_deduced:
            assert read.state == checked.cells[cell].state and read.raw == checked.cells[cell].raw, cell
        else:
            assert (read.state, read.value) == (GIVEN, value), cell
    rechecked = check_table(again.spec, again.cells)
    assert rechecked.deduced == checked.deduced
    assert [f.to_dict() for f in rechecked.findings] == [f.to_dict() for f in checked.findings]


def test_requests_totals_are_deduced_into_the_official_cells():
    checked, values = checked_table("requests", "2021")
    rendered = render_official(checked)
    texts = spans(rendered, DEDUCED_CLASS)
    assert format_number(values[("handled_total", "total")]) in texts
    assert format_number(values[("new", "total")]) in texts


def test_given_text_kept_blank_stays_empty_invalid_kept():
    spec = spec_for("active", "2021")
    fee = next(cell for cell in spec.cells if spec.kind_of(cell) == "amount")
    count_cells = [cell for cell in spec.cells if spec.kind_of(cell) == "count"]
    cells = {
        fee: parse_cell("12.5300", "amount"),  # the author's four decimals are kept
        count_cells[0]: CellValue("", BLANK),  # read as 0, not deduced: stays empty
        count_cells[1]: parse_cell("十二", "count"),  # invalid: kept as written
    }
    assert cells[count_cells[1]].state == INVALID
    checked, _ = checked_table("active", "2021", cells=cells)
    rendered = render_official(checked)
    by_ref = _cells_by_ref(rendered, "active", "2021")
    assert pf.stringify(by_ref[fee]) == "12.5300"
    assert pf.stringify(by_ref[count_cells[0]]) == ""
    assert pf.stringify(by_ref[count_cells[1]]) == "十二"
    assert spans(rendered, DEDUCED_CLASS) == []


def test_fill_false_leaves_deduced_cells_empty():
    checked, _ = checked_table("requests", "2021")
    rendered = render_official(checked, RenderContext(fill=False))
    assert spans(rendered, DEDUCED_CLASS) == []
    by_ref = _cells_by_ref(rendered, "requests", "2021")
    assert pf.stringify(by_ref[("handled_total", "total")]) == ""
    assert pf.stringify(by_ref[("new", "natural")]) != ""


def test_marks_name_the_suspect_cell():
    _, values = checked_table("requests", "2021")
    spec = spec_for("requests", "2021")
    written = {cell: parse_cell(format_number(v), spec.kind_of(cell)) for cell, v in values.items()}
    wrong = ("withheld_internal", "natural") if ("withheld_internal", "natural") in written else next(
        c for c in written if c[1] == "natural" and c[0] not in ("new", "carried_over", "handled_total", "carried_forward")
    )
    bad = values[wrong] + 10
    written[wrong] = parse_cell(str(bad), "count")
    checked = check_table(spec, written)
    assert checked.errors
    plain = render_official(checked)
    marked = render_official(checked, RenderContext(marks=True))
    assert spans(plain, ERROR_CLASS) == []
    assert spans(marked, ERROR_CLASS) == [str(bad)]


def rendered_three_ways(checked, table: str):
    """Per value cell, in layout order: (text, deduced, wrong) as the pandoc table, the HTML table
    and the text grid show it."""
    layout = official_layout(table, "2021")
    refs = [c.ref for row in layout.header + layout.body for c in row if c.ref is not None]
    by_ref = _cells_by_ref(render_official(checked, RenderContext("html", marks=True)), table, "2021")
    pandoc = [(pf.stringify(by_ref[r]), bool(spans(by_ref[r], DEDUCED_CLASS)), bool(spans(by_ref[r], ERROR_CLASS))) for r in refs]
    html = [(text, "gk-deduced" in classes.split(), "gk-error" in classes.split())
            for classes, text in re.findall(r'<td class="([^"]*)"[^>]*>([^<]*)</td>', html_table(checked, checked.findings))]
    grid = {c.strip() for line in grid_table(checked, markdown=False).splitlines() if line.startswith("|") for c in line.strip("|").split("|")}
    return refs, pandoc, html, grid


@pytest.mark.parametrize("table", ["requests", "appeals", "active"])
def test_the_pandoc_text_and_html_renderers_show_the_same_cells(table):
    """Each renderer shows the same text in every value cell, the same cells marked deduced, the
    same cells marked wrong: one view of the checked table feeds all three."""
    checked, values = checked_table(table, "2021")  # totals blank: deduced
    refs, pandoc, html, grid = rendered_three_ways(checked, table)
    assert html == pandoc
    assert {t for t, _, _ in pandoc if t} <= grid
    assert {r for r, (_, deduced, _) in zip(refs, pandoc) if deduced} == set(checked.deduced)
    assert checked.deduced or table == "active"  # table 二 has no total to deduce
    assert grid_table(checked).count(".gk-deduced") == len(checked.deduced)

    if table == "active":
        return  # nor a rule a part could break
    spec = spec_for(table, "2021")
    written = {cell: parse_cell(format_number(v), spec.kind_of(cell)) for cell, v in values.items()}
    part = next(c for c in spec.cells if not _is_total(table, c) and spec.kind_of(c) == "count")
    written[part] = parse_cell(str(values[part] + 3), "count")  # every total written: one part is wrong
    wrong = check_table(spec, written)
    refs, pandoc, html, _ = rendered_three_ways(wrong, table)
    assert html == pandoc
    assert part in {r for r, (_, _, marked) in zip(refs, pandoc) if marked}


def test_ask_cell_is_deduced():
    cells = {("new", "total"): CellValue("?", ASK)}
    checked, values = checked_table("requests", "2021", cells=cells)
    assert checked.deduced[("new", "total")] == values[("new", "total")]


def _cells_by_ref(rendered: pf.Table, table: str, fmt: str) -> dict:
    """The rendered TableCell of every value reference (layout and rendering walk the same order)."""
    layout = official_layout(table, fmt)
    out = {}
    for layout_row, row in zip(layout.header + layout.body, table_rows(rendered)):
        for item, cell in zip(layout_row, row.content):
            if item.ref is not None:
                out[item.ref] = cell
    return out


# ---------------------------------------------------------------- layout: keep


def test_fill_in_place_touches_only_the_deduced_cells(pandoc_bin):
    rows = [
        "| 项目 | 自然人 | 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 | 总计 |",
        "|---|---|---|---|---|---|---|---|",
    ]
    values = consistent_requests(random.Random(5), "2021")
    spec = spec_for("requests", "2021")
    for row in spec.rows:
        figures = [format_number(values[(row.key, c.key)]) for c in spec.columns]
        figures[-1] = ""  # 总计 column left blank
        rows.append(f"| {row.label} | " + " | ".join(figures) + " |")
    source = subprocess.run([pandoc_bin, "-f", "markdown", "-t", "json"], input="\n".join(rows).encode(), capture_output=True, check=True).stdout
    doc = pf.load(io.StringIO(source.decode()))
    [table] = [e for e in doc.content if isinstance(e, pf.Table)]
    recognized = recognize(grid_from_panflute(table), "2021")
    checked = check_table(recognized.spec, recognized.cells)
    assert len(checked.deduced) == len(spec.rows)
    before = [[json.dumps(c.to_json()) for c in row.content] for row in table_rows(table)]
    fill_in_place(table, recognized.positions, checked)
    after = [[json.dumps(c.to_json()) for c in row.content] for row in table_rows(table)]
    changed = {(r, i) for r, row in enumerate(before) for i, text in enumerate(row) if after[r][i] != text}
    assert changed == {recognized.positions[cell] for cell in checked.deduced}
    assert len(table.head.content) == 1  # the author's header, untouched
    assert sorted(spans(table, DEDUCED_CLASS)) == sorted(format_number(values[(r.key, "total")]) for r in spec.rows)


# ---------------------------------------------------------------- pandoc writers


def _docx_table(xml: str) -> str:
    [table] = re.findall(r"<w:tbl>.*?</w:tbl>", xml, re.DOTALL)
    return table


def _grid_spans(xml: str) -> list[int]:
    """gridSpan of every cell that starts a merge (not of the continuation cells below it), 1 if none."""
    out = []
    for cell in re.findall(r"<w:tc>.*?</w:tc>", xml, re.DOTALL):
        if "<w:vMerge" in cell and not re.search(r'<w:vMerge w:val="restart"\s*/>', cell):
            continue
        match = re.search(r'<w:gridSpan w:val="(\d+)"\s*/>', cell)
        out.append(int(match.group(1)) if match else 1)
    return out


def _first_column_merge(xml: str) -> list[str]:
    """R (restart), C (continue) or . for the first cell of every row."""
    out = []
    for row in re.findall(r"<w:tr>.*?</w:tr>", xml, re.DOTALL):
        first = re.findall(r"<w:tc>.*?</w:tc>", row, re.DOTALL)[0]
        out.append("R" if re.search(r'<w:vMerge w:val="restart"\s*/>', first) else "C" if "<w:vMerge" in first else ".")
    return out


@pytest.mark.parametrize("fmt", ["2021", "2019"])
def test_docx_requests_merged_header_and_result_label(pandoc_bin, tmp_path, fmt):
    checked, values = checked_table("requests", fmt)
    xml = _docx_table(convert(pandoc_bin, [render_official(checked)], "docx", tmp_path))
    header_rows, body_rows = SHAPES[("requests", fmt)]
    assert len(re.findall(r"<w:tr>", xml)) == header_rows + body_rows
    spans_ = _grid_spans(xml)
    # corner 3, 申请人情况 7, 法人或其他组织 5, the top-level rows 一、二、四 3 each,
    # (一)(二)(七) 2 each (and the single (六) row in 2019)
    assert spans_.count(7) == 1 and spans_.count(5) == 1
    assert spans_.count(3) == 1 + 3
    assert sum(spans_) == 10 * (header_rows + body_rows) - _covered_by_rowspans(fmt)
    assert spans_.count(2) == (3 if fmt == "2021" else 4)
    merge = _first_column_merge(xml)
    assert merge[:3] == ["R", "C", "C"]  # the corner spans the three header rows
    result_start = header_rows + 2
    assert merge[result_start] == "R"
    run = 1
    while result_start + run < len(merge) and merge[result_start + run] == "C":
        run += 1
    assert run == RESULT_ROWS[fmt]
    # restarts: corner, 自然人, 总计, 三、本年度办理结果, and the groups (三)(四)(五) (+(六) in 2021)
    assert len(re.findall(r'<w:vMerge w:val="restart"\s*/>', xml)) == (8 if fmt == "2021" else 7)
    texts = re.findall(r"<w:t[^>]*>([^<]*)</w:t>", xml)
    assert "申请人情况" in texts and "三、本年度办理结果" in texts
    assert format_number(values[("handled_total", "total")]) in texts
    assert format_number(values[("new", "total")]) in texts


def _covered_by_rowspans(fmt: str) -> int:
    """Grid slots of table 三 taken by cells reaching down from a row above."""
    layout = official_layout("requests", fmt)
    return sum(c.colspan * (c.rowspan - 1) for row in layout.header + layout.body for c in row)


def test_docx_appeals_merged_header(pandoc_bin, tmp_path):
    checked, values = checked_table("appeals", "2021")
    xml = _docx_table(convert(pandoc_bin, [render_official(checked)], "docx", tmp_path))
    assert sorted(s for s in _grid_spans(xml) if s > 1) == [5, 5, 5, 10]
    assert len(re.findall(r'<w:vMerge w:val="restart"\s*/>', xml)) == 5  # the five 行政复议 leaves
    assert len(re.findall(r"<w:gridCol ", xml)) == 15
    texts = re.findall(r"<w:t[^>]*>([^<]*)</w:t>", xml)
    for group in ("行政复议", "行政诉讼", "未经复议直接起诉", "复议后起诉"):
        assert group in texts
    for cell, value in values.items():
        if cell[1].endswith("_total") and value:
            assert format_number(value) in texts


@pytest.mark.parametrize("fmt", ["2021", "2019"])
def test_docx_active_block_titles_span_the_table(pandoc_bin, tmp_path, fmt):
    checked, _ = checked_table("active", fmt)
    xml = _docx_table(convert(pandoc_bin, [render_official(checked)], "docx", tmp_path))
    ncols = official_layout("active", fmt).ncols
    blocks = 4 if fmt == "2021" else 5
    assert _grid_spans(xml).count(ncols) == blocks
    assert "第二十条第(一)项" in xml


@pytest.mark.parametrize("fmt", ["2021", "2019"])
def test_html_rowspan_colspan(pandoc_bin, fmt):
    checked, _ = checked_table("requests", fmt)
    html = convert(pandoc_bin, [render_official(checked)], "html")
    assert re.search(r'colspan="3"\s+rowspan="3"', html)  # corner
    assert 'colspan="7"' in html and 'colspan="5"' in html
    assert f'rowspan="{RESULT_ROWS[fmt]}"' in html
    assert 'class="gk-deduced"' in html
    html = convert(pandoc_bin, [render_official(checked_table("appeals", fmt)[0])], "html")
    assert 'colspan="10"' in html and html.count('rowspan="2"') == 5


@pytest.mark.parametrize("fmt", ["2021", "2019"])
def test_typst_rowspan_colspan(pandoc_bin, fmt):
    typst = convert(pandoc_bin, [render_official(checked_table("requests", fmt)[0])], "typst")
    assert "colspan: 7" in typst and "colspan: 5" in typst
    assert f"rowspan: {RESULT_ROWS[fmt]}" in typst
    assert re.search(r"colspan: 3, rowspan: 3|rowspan: 3, colspan: 3", typst)
    typst = convert(pandoc_bin, [render_official(checked_table("appeals", fmt)[0])], "typst")
    assert "colspan: 10" in typst and typst.count("rowspan: 2") == 5


@pytest.mark.parametrize("fmt", ["2021", "2019"])
def test_latex_multirow_multicolumn(pandoc_bin, fmt):
    latex = convert(pandoc_bin, [render_official(checked_table("requests", fmt)[0])], "latex")
    assert r"\multicolumn{7}" in latex and r"\multicolumn{5}" in latex
    assert rf"\multirow{{{RESULT_ROWS[fmt]}}}" in latex
    assert r"\multirow{3}" in latex  # the corner
    latex = convert(pandoc_bin, [render_official(checked_table("appeals", fmt)[0])], "latex")
    assert r"\multicolumn{10}" in latex and latex.count(r"\multirow{2}") == 5


def test_all_tables_in_one_document_convert_everywhere(pandoc_bin, tmp_path):
    tables = [render_official(checked_table(t, f)[0]) for t, f in COMBOS]
    for to in ("html", "latex", "typst", "markdown", "docx"):
        assert convert(pandoc_bin, tables, to, tmp_path)


def test_amounts_render_without_float_noise():
    spec = spec_for("active", "2019")
    amount_cells = [c for c in spec.cells if spec.kind_of(c) == "amount"]
    cells = {c: parse_cell("85637.6331", "amount") for c in amount_cells}
    checked, _ = checked_table("active", "2019", cells=cells)
    by_ref = _cells_by_ref(render_official(checked), "active", "2019")
    for c in amount_cells:
        assert pf.stringify(by_ref[c]) == "85637.6331"
        assert checked.values[c] == Decimal("85637.6331")


# ---------------------------------------------------------------- column widths from the content

def _mm(geometry_, column: int) -> float:
    return geometry_.widths[column] * geometry.TYPE_AREA_MM[0]


def test_number_columns_fit_the_widest_figure_and_labels_take_the_rest():
    layout = official_layout("requests", "2021")
    small = table_geometry(layout, "requests", "2021", {("new", "natural"): "58"})
    large = table_geometry(layout, "requests", "2021", {("new", "natural"): "58", ("new", "total"): "55081"})
    assert small.font_pt == large.font_pt == geometry.TABLE_PT  # 五号: a five-digit table 三 still fits
    for column in range(4, 10):  # the six columns after 自然人: the template's width, or the figure's
        assert _mm(small, column) == pytest.approx(12.1 * 156 / 171.8, abs=0.05)
        assert _mm(large, column) >= cell_mm(text_em("55081"), geometry.TABLE_PT) - 1e-6
    assert _mm(large, 3) >= cell_mm(3, geometry.TABLE_PT) - 1e-6  # 自然人 on one line
    assert _mm(large, 2) < _mm(small, 2)  # the leaf labels gave the room
    assert _mm(large, 0) >= cell_mm(3, geometry.TABLE_PT) - 1e-6  # 三、本年度办理结果 in lines of three
    for shape in (small, large):
        assert sum(shape.widths) == pytest.approx(1)


def test_table_four_headers_two_characters_a_line_and_small_type_only_when_needed():
    layout = official_layout("appeals", "2021")
    normal = table_geometry(layout, "appeals", "2021", {("cases", "reconsideration_upheld"): "12"})
    assert normal.font_pt == geometry.TABLE_PT
    assert normal.header_lines[(1, 0)] == ["结果", "维持"] and normal.header_lines[(2, 3)] == ["尚未", "审结"]
    assert all(len(line) == 2 for lines in normal.header_lines.values() for line in lines)
    assert (1, 4) not in normal.header_lines  # 总计 fits
    crowded = table_geometry(layout, "appeals", "2021", {("cases", "reconsideration_upheld"): "1234"})
    assert crowded.font_pt == geometry.TABLE_SMALL_PT  # fifteen four-digit columns do not fit in 五号
    assert sum(crowded.widths) == pytest.approx(1)


def test_words_of_a_header():
    assert words("社会公益组织") == ["社会", "公益", "组织"]
    assert words("自然人") == ["自然人"] and words("总计") == ["总计"]
    assert words("其他对外管理服务事项") == ["其他", "对外", "管理", "服务", "事项"]
    assert words("本年收费金额(单位:万元)") == ["本年收费金额(单位:万元)"]


def test_small_table_is_marked_for_each_writer():
    cells = {("cases", "reconsideration_upheld"): parse_cell("12345", "count")}
    checked, _ = checked_table("appeals", "2021", cells=cells)
    assert checked.values[("cases", "reconsideration_upheld")] == 12345
    docx_table = render_official(checked, RenderContext("docx"))
    divs = []
    docx_table.walk(lambda e, d: divs.append(e) if isinstance(e, pf.Div) else None)
    assert divs and all(d.attributes["custom-style"] == SMALL_STYLE for d in divs)
    assert render_official(checked, RenderContext("typst")).identifier == SMALL_CLASS
    assert render_official(checked, RenderContext("html")).classes == [SMALL_CLASS]
    assert render_official(checked, RenderContext("markdown")).classes == []  # no attribute markdown cannot write


def test_header_breaks_survive_a_second_run(pandoc_bin):
    checked, _ = checked_table("appeals", "2021")
    markdown = convert(pandoc_bin, [render_official(checked)], "markdown")
    assert "**结果\\" in markdown  # a hard line break inside the header
    again = recognize(grid_from_panflute(pf.convert_text(markdown, input_format="markdown", pandoc_path=pandoc_bin)[0]), "2021")
    assert again is not None and again.table == "appeals"


# ---------------------------------------------------------------- the title block


@pytest.mark.parametrize("title,lines", [
    ("2024年XX区XX局政府信息公开工作年度报告", ["2024年XX区XX局", "政府信息公开工作年度报告"]),
    ("2024年度北京市海淀区人民政府办公室政府信息公开工作年度报告", ["2024年度北京市海淀区人民政府办公室", "政府信息公开工作年度报告"]),
    ("2024年上海市浦东新区城市管理行政执法局政府信息公开工作年度报告", ["2024年上海市浦东新区", "城市管理行政执法局", "政府信息公开工作年度报告"]),
    ("2024年XX市政府信息公开工作年度报告", ["2024年XX市政府信息公开工作年度报告"]),
])
def test_title_broken_where_the_words_allow(title, lines):
    assert title_lines(title) == lines


@given(st.text(alphabet="政府信息公开工作年度报告区县局市镇人民关于的XY2024年", min_size=1, max_size=60), st.sampled_from([2.5, 6.0, 18.6]))
def test_title_lines_keep_every_character_and_never_leave_one_alone(title, capacity):
    lines = title_lines(title, capacity)
    assert "".join(lines) == title
    if len(lines) > 1:
        assert min(len(line) for line in lines) >= 2


def test_chinese_date():
    assert chinese_date("2025-01-20") == "2025年1月20日"
    assert chinese_date("2025/3/5") == "2025年3月5日"
    assert chinese_date("二〇二五年一月") == "二〇二五年一月"  # anything else as written


def test_signature_offsets_follow_gb_t_9704():
    # the date shorter than the body by two characters or more: the body two characters in from the
    # right, the date starting two characters right of the body's first character
    org, date = "XX省XX市人民政府办公厅", "2025年1月20日"
    org_right, date_right = signature_indents(org, date)
    assert org_right == 2
    assert (org_right + text_em(org)) - (date_right + text_em(date)) == pytest.approx(2)
    # a longer date: the date two characters in, the body moved left to keep the offset
    org_right, date_right = signature_indents("XX局", "2025年12月20日")
    assert date_right == 2
    assert (org_right + text_em("XX局")) - (date_right + text_em("2025年12月20日")) == pytest.approx(2)


def test_signature_in_each_writer():
    openxml = signature("XX局", "2025年1月20日", "docx")
    assert [b.format for b in openxml] == ["openxml", "openxml"]
    assert 'w:before="579"' in openxml[0].text and "<w:keepNext/>" in openxml[0].text  # one blank line; the lines together
    assert "&lt;" in signature("A<B", "", "docx")[0].text  # escaped
    typst_block = signature("XX局", "", "typst")[0].text
    assert typst_block.startswith("#v(28.95pt)") and '"XX局"' in typst_block
    html = signature("XX局", "2025年1月20日", "html")[0]
    assert "gk-signature" in html.classes and len(html.content) == 2
    assert signature("", "", "docx") == []


def test_lead_in_kept_with_its_table_in_docx_and_typst_only():
    def document():
        heading, lead, table = pf.Header(pf.Str("三、"), level=1), pf.Para(pf.Str("表中…")), render_official(checked_table("requests", "2021")[0])
        return pf.Doc(heading, lead, table), table

    doc, table = document()
    keep_with_table(table, "docx", doc)
    assert isinstance(doc.content[1], pf.Div) and doc.content[1].attributes["custom-style"] == "GK Lead-in"
    doc, table = document()
    keep_with_table(table, "typst", doc)
    assert [type(b).__name__ for b in doc.content] == ["Header", "RawBlock", "Para", "RawBlock", "Table"]
    assert doc.content[1].text == "#block(sticky: true)["
    doc, table = document()
    keep_with_table(table, "html", doc)
    assert [type(b).__name__ for b in doc.content] == ["Header", "Para", "Table"]
    doc = pf.Doc(pf.Header(pf.Str("四、"), level=1), table)
    keep_with_table(table, "docx", doc)
    assert isinstance(doc.content[0], pf.Header)  # a heading keeps with the table by its own style
