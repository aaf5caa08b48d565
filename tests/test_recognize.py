"""Recognition of every accepted way of writing the three tables in Markdown."""

from __future__ import annotations

import io
import random
from decimal import Decimal
import unicodedata
import subprocess
from pathlib import Path

import panflute as pf
from gkreport.readers.files import pandoc_path
import pytest

from gkreport.grid import GridCell
from gkreport.readers.pandoc import grid_from_panflute
from gkreport.recognition.grids import recognize
from gkreport.services.check import check_document
from gkreport.spec import spec_for
from gkreport.values import BLANK, GIVEN

from gkreport.testing.values import consistent_active, consistent_appeals, consistent_requests, pipe_active, pipe_appeals, pipe_requests

FORMS = Path(__file__).parent / "forms"


def to_doc(markdown: str) -> pf.Doc:
    out = subprocess.run(
        [pandoc_path(), "-f", "markdown", "-t", "json"], input=markdown, capture_output=True, text=True, check=True
    ).stdout
    return pf.load(io.StringIO(out))


def tables_of(markdown: str):
    doc = to_doc(markdown)
    return [recognize(grid_from_panflute(t)) for t in doc.content if isinstance(t, pf.Table)]


def assert_values(found, values):
    assert found is not None
    wrong = {cell: (found.cells.get(cell), value) for cell, value in values.items() if found.cells.get(cell) is None or found.cells[cell].value != value}
    assert not wrong, wrong


@pytest.mark.parametrize("fmt", ["2021", "2019"])
@pytest.mark.parametrize("prefix_group", [True, False])
@pytest.mark.parametrize("numbering", ["half", "full", "none"])
def test_requests_pipe_table_every_label_style(fmt, prefix_group, numbering):
    values = consistent_requests(random.Random(f"{fmt}{prefix_group}{numbering}"), fmt)
    [found] = tables_of(pipe_requests(values, fmt, prefix_group, numbering))
    assert (found.table, found.format) == ("requests", fmt)
    assert len(found.cells) == len(spec_for("requests", fmt).cells)
    assert_values(found, values)
    assert not [f for f in found.findings if f.severity != "info"]


def test_requests_blank_and_question_marks_are_unknowns():
    values = consistent_requests(random.Random(3))
    replace = {("granted", "total"): "", ("handled_total", "natural"): "?", ("new", "research"): "—"}
    [found] = tables_of(pipe_requests(values, replace=replace))
    assert found.cells[("granted", "total")].state == BLANK
    assert found.cells[("handled_total", "natural")].state == "ask"
    assert found.cells[("new", "research")].state == BLANK


def test_requests_traditional_spaced_and_quoted_labels():
    import opencc

    to_traditional = opencc.OpenCC("s2t").convert
    values = consistent_requests(random.Random(5))
    source = pipe_requests(values).replace("商业企业", "商業 企業").replace("三安全一稳定", "“三安全一穩定”")
    [found] = tables_of(to_traditional(source))
    assert_values(found, values)


def test_requests_redacted_labels_resolved_by_order():
    values = consistent_requests(random.Random(7))
    source = (
        pipe_requests(values)
        .replace("一、本年新收政府信息公开申请数量", "一、****政府信息公开申请数量")
        .replace("二、上年结转政府信息公开申请数量", "二、****政府信息公开申请数量")
        .replace("1.本机关不掌握相关政府信息", "1.****政府信息")
    )
    [found] = tables_of(source)
    assert_values(found, values)


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, size: int) -> str:
    return text + " " * (size - width(text))


def test_requests_simple_table():
    values = consistent_requests(random.Random(9))
    spec = spec_for("requests", "2021")
    header = ["项目"] + [c.label for c in spec.columns]
    rows = [[r.label.replace(" ", "")] + [str(values[(r.key, c.key)]) for c in spec.columns] for r in spec.rows]
    widths = [max(width(x[i]) for x in [header] + rows) + 2 for i in range(len(header))]
    line = lambda cells: "".join(pad(c, w) for c, w in zip(cells, widths)).rstrip()
    source = "\n".join([line(header), " ".join("-" * (w - 1) for w in widths)] + [line(r) for r in rows]) + "\n"
    [found] = tables_of(source)
    assert_values(found, values)


def test_requests_multiline_table():
    values = consistent_requests(random.Random(11))
    spec = spec_for("requests", "2021")
    widths = [60] + [14] * 7
    rule = " ".join("-" * w for w in widths)
    out = ["-" * (sum(widths) + 7), "".join(pad(h, w + 1) for h, w in zip(["项目"] + [c.label for c in spec.columns], widths)), rule]
    for r in spec.rows:
        # a long label wraps onto a second line, as multiline tables allow
        label = r.label if width(r.label) <= 60 else r.label[:25]
        out.append("".join(pad(x, w + 1) for x, w in zip([label] + [str(values[(r.key, c.key)]) for c in spec.columns], widths)))
        if label != r.label:
            out.append(r.label[25:])
        out.append("")
    out.append("-" * (sum(widths) + 7))
    [found] = tables_of("\n".join(out) + "\n")
    assert_values(found, values)


def test_official_grid_tables_with_merged_cells():
    found = tables_of((FORMS / "official_grid_2019.md").read_text(encoding="utf-8"))
    assert [(f.table, f.format) for f in found] == [("active", "2019"), ("requests", "2019"), ("appeals", "2021")]
    active, requests, appeals = found
    assert active.cells[("procurement", "procurement_amount")].value == Decimal("25.1")  # 251000元 = 25.1 万元
    assert requests.cells[("granted", "natural")].value == 258
    assert requests.cells[("granted", "total")].state == BLANK
    assert requests.cells[("carried_forward", "total")].value == 72
    assert appeals.cells[("cases", "direct_suit_total")].value == 9
    assert appeals.cells[("cases", "suit_after_total")].state == BLANK


def test_appeals_one_header_row_of_qualified_labels():
    values = consistent_appeals(random.Random(13))
    [found] = tables_of(pipe_appeals(values))
    assert found.table == "appeals"
    assert_values(found, values)
    assert not found.findings


def test_appeals_format_follows_the_document():
    values = consistent_appeals(random.Random(13))
    doc = to_doc("---\nyear: 2020\n---\n\n" + pipe_appeals(values))
    result = check_document(doc)
    assert [(t.table, t.format) for t in result.tables] == [("appeals", "2019")]


@pytest.mark.parametrize("fmt", ["2021", "2019"])
def test_active_as_one_table(fmt):
    values = consistent_active(random.Random(fmt), fmt)
    [found] = tables_of(pipe_active(values, fmt))
    assert (found.table, found.format) == ("active", fmt)
    assert_values(found, values)


def test_active_as_four_block_tables_is_one_table():
    values = consistent_active(random.Random(17), "2021")
    result = check_document(to_doc(pipe_active(values, "2021", split=True)))
    [table] = result.tables
    assert len(table.elements) == 4
    assert_values(table.recognized, values)


def test_unrelated_tables_are_not_recognized():
    source = "| 项目 | 数量 | 总计 |\n|---|---|---|\n| 办公用品 | 3 | 3 |\n| 其他 | 1 | 1 |\n"
    assert tables_of(source) == [None]
    source = "| 结果 | 总计 |\n|---|---|\n| 维持 | 2 |\n"
    assert tables_of(source) == [None]


def test_data_block_yaml_expands_to_the_full_table():
    source = "```gkreport\ntable: requests\nformat: 2021\n新收: {自然人: 58, 商业企业: 7, 法律服务机构: 1}\n上年结转.自然人: 2\n予以公开: {自然人: 60, 商业企业: 7, 法律服务机构: 1}\n```\n"
    result = check_document(to_doc(source))
    [table] = result.tables
    assert (table.table, table.format) == ("requests", "2021")
    checked = table.checked
    assert checked.values[("new", "total")] == 66
    assert checked.values[("handled_total", "total")] == 68
    assert checked.values[("withheld_secret", "natural")] == 0
    assert not checked.errors


def test_data_block_csv_and_appeals_names():
    source = "```gk\ntable: 四\n复议: {维持: 1, 总计: 1}\n直接起诉尚未审结: 2\n```\n"
    [table] = check_document(to_doc(source)).tables
    assert table.table == "appeals"
    assert table.checked.values[("cases", "reconsideration_upheld")] == 1
    assert table.checked.values[("cases", "direct_suit_total")] == 2
    source = "```gkreport\nrow,column,value\n新收,自然人,3\n予以公开,自然人,3\n```\n"
    [table] = check_document(to_doc(source)).tables
    assert table.table == "requests" and table.checked.values[("handled_total", "total")] == 3


def test_data_block_unknown_name_is_an_error_finding():
    source = "```gkreport\ntable: requests\n新收: {外星人: 3}\n```\n"
    [table] = check_document(to_doc(source)).tables
    assert [f.code for f in table.findings if f.severity == "error"] == ["unknown-name"]


def test_grid_of_junk_is_not_recognized():
    grid = [[GridCell("一、本年新收"), GridCell("abc")], [GridCell(""), GridCell("行政复议")]]
    assert recognize(grid) is None


def test_an_illegible_row_label_is_placed_by_the_official_row_order():
    from gkreport.services.check import check_text

    values = consistent_requests(random.Random(23))
    source = pipe_requests(values, prefix_group=False).replace("| 2.重复申请 |", "| ****** |").replace("| (七)总计 |", "| (七)**** |")
    result = check_text("\n".join(line for line in source.splitlines() if not line.startswith("|---")))
    [table] = result.tables
    assert_values(table.recognized, values)
    placed = [f for f in table.findings if f.code == "row-placed-by-position"]
    assert [(f.row, f.given) for f in placed] == [("(五)不予处理 / 2.重复申请", "******"), ("三、本年度办理结果 / (七)总计", "(七)****")]
    assert not table.checked.errors


def test_text_stopping_after_the_2021_group_label_is_not_read_as_2019():
    from gkreport.services.check import check_text

    values = consistent_requests(random.Random(29))
    lines = [line for line in pipe_requests(values, prefix_group=False).splitlines() if not line.startswith("|---")]
    cut = next(i for i, line in enumerate(lines) if "1.申请人无正当理由" in line)
    text = "2024年XX局政府信息公开工作年度报告\n三、收到和处理政府信息公开申请情况\n" + "\n".join(lines[:cut] + ["| (六)其他处理 |"])
    result = check_text(text)
    [table] = result.tables
    assert table.format == "2021"
    assert "format-year-mismatch" not in [f.code for f in result.findings]
    assert not table.checked.errors
