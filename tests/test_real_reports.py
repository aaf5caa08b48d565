"""Acceptance on the real published reports in ../shared/domain/reports (skipped when absent).

Issue 2 covers the one whose tables are real tables (the Shanghai HTML page, read through
pandoc's HTML reader with its merged cells); the three text copies, whose tables were
flattened to text, are read by gkreport.readers.textdoc (issue 3) and are checked here too.
"""

from __future__ import annotations

import pytest

from gkreport.readers.files import read_document
from gkreport.services.check import check_document

EXPECTED = {
    # file: (year, [(table, format)], extra finding codes expected besides info)
    # its prose says 予以公开及部分公开258件 (the table: 272 + 3) and 无法提供265件 (the table: 265 + 47 + 25;
    # 265 is only the 不掌握 row), and 258 is 33.9 % of neither total the text gives
    "shanghai-gov-office-2019.html": (2019, [("active", "2019"), ("requests", "2019"), ("appeals", "2019")], {"prose-table-mismatch", "prose-percentage-mismatch"}),
    "001_164254f647ab523c.txt": (2024, [("active", "2021"), ("requests", "2021"), ("appeals", "2021")], set()),
    "003_da2047bc483356b6.txt": (2020, [("active", "2019"), ("requests", "2019"), ("appeals", "2019")], set()),
    # the page text stops in the middle of table 三: its last rows are missing; nothing is said of the
    # sections and the table the text never reaches
    "longgang-department-2024-excerpt.txt": (2024, [("active", "2021"), ("requests", "2021")], {"missing-rows"}),
    "ningshan-town-2024-excerpt.txt": (2024, [("active", "2021"), ("requests", "2021")], {"missing-rows"}),
    "taojiang-audit-2020-excerpt.txt": (2020, [("active", "2019"), ("requests", "2019")], {"missing-rows"}),
    # stops right after the header of table 三 begins
    "abag-natres-2023-excerpt.txt": (2023, [("active", "2021")], set()),
    # one page of a flipbook: starts inside table 三 (its first rows missing) and ends in section 五
    "flipbook-audit-2020-page9-excerpt.txt": (2020, [("requests", "2019"), ("appeals", "2019")], {"missing-rows", "missing-section"}),
    # cells glued together: the row 行政规范性文件 "693665" has ten readings and is not guessed
    "pingtan-2021-page.txt": (2021, [("active", "2021"), ("requests", "2021"), ("appeals", "2021")], {"ambiguous-reading"}),
}


@pytest.fixture(params=sorted(EXPECTED))
def report(request, shared_reports):
    return request.param, check_document(read_document(shared_reports / request.param))


def test_recognized_with_the_right_format_and_no_false_error(report):
    name, result = report
    year, tables, expected_codes = EXPECTED[name]
    assert result.year == year
    assert [(t.table, t.format) for t in result.tables] == tables
    assert [f.line() for f in result.findings if f.severity == "error"] == []
    assert {f.code for f in result.findings if f.severity == "warning"} == expected_codes


PROSE = {
    "shanghai-gov-office-2019.html": [("予以公开及部分公开", 258, 275), ("无法提供", 265, 337)],
    "001_164254f647ab523c.txt": [],
    "003_da2047bc483356b6.txt": [],
    "longgang-department-2024-excerpt.txt": [],
}


@pytest.mark.parametrize("name", sorted(PROSE))
def test_prose_against_tables_finds_what_a_careful_reader_finds(shared_reports, name):
    result = check_document(read_document(shared_reports / name))
    found = [(f.params["claim"], f.given, f.expected) for f in result.findings if f.code == "prose-table-mismatch"]
    assert found == PROSE[name]
    percentages = [f.params["part"] for f in result.findings if f.code == "prose-percentage-mismatch"]
    assert percentages == ([258] if name.startswith("shanghai") else [])


def test_shanghai_blank_totals_are_deduced(shared_reports):
    result = check_document(read_document(shared_reports / "shanghai-gov-office-2019.html"))
    requests = next(t for t in result.tables if t.table == "requests").checked
    assert requests.deduced[("granted", "total")] == 272  # 258 + 12 + 1 + 1, left blank on the page
    assert requests.deduced[("withheld_secret", "total")] == 14
    assert requests.values[("handled_total", "total")] == 805
    assert requests.deduced[("handled_total", "research")] == 0


def test_truncated_table_is_not_judged_on_what_is_missing(shared_reports):
    result = check_document(read_document(shared_reports / "longgang-department-2024-excerpt.txt"))
    requests = next(t for t in result.tables if t.table == "requests")
    missing = next(f for f in requests.findings if f.code == "missing-rows")
    assert "四、结转下年度继续办理" in missing.params["rows"]
    assert requests.recognized.cells[("new", "total")].value == 66
    assert not requests.checked.errors


def test_a_wrong_digit_in_a_real_report_is_located(shared_reports, tmp_path):
    text = (shared_reports / "003_da2047bc483356b6.txt").read_text(encoding="utf-8")
    # 予以公开 / 自然人 is 12 in the published table; write 21
    lines = text.splitlines()
    at = lines.index("(一)予以公开 |")
    assert lines[at + 1] == "12 |"
    lines[at + 1] = "21 |"
    broken = tmp_path / "broken.txt"
    broken.write_text("\n".join(lines), encoding="utf-8")
    result = check_document(read_document(broken))
    [suspect] = [f for f in result.findings if f.code == "suspect-cell"]
    assert (suspect.row, suspect.column, suspect.given, suspect.expected) == ("三、本年度办理结果 / (一)予以公开", "自然人", 21, 12)
    assert suspect.params["hint"] == "swap"


def test_plain_text_path_agrees_with_the_document_path(shared_reports):
    from gkreport.services.check import check_text
    from gkreport.readers.textdoc import doc_from_text

    for path in sorted(shared_reports.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        fast, full = check_text(text), check_document(doc_from_text(text))
        assert (fast.year, fast.format) == (full.year, full.format)
        assert [(t.table, t.format, t.checked.values) for t in fast.tables] == [(t.table, t.format, t.checked.values) for t in full.tables]
        assert [f.to_dict() for f in fast.findings] == [f.to_dict() for f in full.findings]
