"""The table knowledge lives in ``spec.py`` alone: what every command says about a year's format,
the sections, the totals and the sides of the balance agrees with it."""

from __future__ import annotations

import json
import random
import subprocess
import sys

import pytest

from gkreport.checks.engine import check_table
from gkreport.cli import main
from gkreport.kernels_ext.help import format_asked
from gkreport.recognition.datablock import parse_data_block
from gkreport.services.aggregate import Aggregate
from gkreport.spec import FORMATS, SECTIONS, TABLE_SECTION, TABLE_TITLES, TABLES, format_for_year, spec_for, year_of_format
from gkreport.testing.values import consistent_requests
from gkreport.values import BLANK, GIVEN, CellValue

BOUNDARY_YEARS = (2019, 2020, 2021, 2022)  # the 2019 format's two years, the 2021 format's first two


def _check(capsys, path) -> dict:
    capsys.readouterr()
    main(["check", "--format", "json", str(path)])
    [entry] = json.loads(capsys.readouterr().out)["files"]
    return entry


def _mismatches(entry: dict) -> list[dict]:
    return [f for f in entry["findings"] if f["code"] == "format-year-mismatch"]


def test_the_format_changes_between_the_2020_and_the_2021_report():
    assert [format_for_year(year) for year in BOUNDARY_YEARS] == ["2019", "2019", "2021", "2021"]
    assert format_for_year(2018) == "2019" and format_for_year(None) is None
    assert all(format_for_year(year_of_format(fmt)) == fmt for fmt in FORMATS)


@pytest.mark.parametrize("year", BOUNDARY_YEARS)
def test_gk_new_writes_the_format_the_checker_expects_of_the_year(capsys, tmp_path, year):
    path = tmp_path / "new.md"
    assert main(["new", "--org", "某区某局", "--year", str(year), "-o", str(path)]) == 0
    entry = _check(capsys, path)
    assert entry["year"] == year
    assert entry["format"] == format_for_year(year)
    assert sorted(t["table"] for t in entry["tables"]) == sorted(TABLES)
    assert {t["format"] for t in entry["tables"]} == {format_for_year(year)}
    assert _mismatches(entry) == []


@pytest.mark.parametrize("year", BOUNDARY_YEARS)
def test_the_other_format_is_a_format_mismatch_naming_the_format_of_the_year(capsys, tmp_path, year):
    other = next(fmt for fmt in FORMATS if fmt != format_for_year(year))
    path = tmp_path / "other.md"
    assert main(["new", "--org", "某区某局", "--year", str(year), "--format", other, "-o", str(path)]) == 0
    mismatches = _mismatches(_check(capsys, path))
    assert {f["table"] for f in mismatches} == {"active", "requests"}  # table 四 is alike in both formats
    for finding in mismatches:
        assert (finding["given"], finding["expected"]) == (other, format_for_year(year))
        assert f"{year} 年度报告应采用 {format_for_year(year)} 年版格式" in finding["message"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_aggregate_without_a_year_is_a_report_of_a_year_of_its_format(capsys, tmp_path, fmt):
    totals = {table: dict.fromkeys(spec_for(table, fmt).cells, 0) for table in TABLES}
    path = tmp_path / "combined.md"
    path.write_text(Aggregate(None, fmt, [], totals).to_markdown("某县人民政府"), encoding="utf-8")
    entry = _check(capsys, path)
    assert format_for_year(entry["year"]) == fmt
    assert {t["format"] for t in entry["tables"]} == {fmt}
    assert _mismatches(entry) == []


@pytest.mark.parametrize("year", BOUNDARY_YEARS)
def test_the_magic_asks_the_format_of_the_year(year):
    assert format_asked(["--year", str(year)]) == format_for_year(year)


def _report(numbers: str) -> str:
    """A plain-text report with the official headings of the sections ``numbers``, each followed by prose."""
    lines = ["某区某局2024年政府信息公开工作年度报告"]
    for section in SECTIONS:
        if section.number in numbers:
            lines += [f"{section.number}、{section.title}", f"本部分说明{section.title}，内容从略。"]
    return "\n\n".join(lines) + "\n"


def test_the_official_headings_are_the_six_sections(capsys, tmp_path):
    path = tmp_path / "report.txt"
    path.write_text(_report("".join(s.number for s in SECTIONS)), encoding="utf-8")
    codes = {f["code"] for f in _check(capsys, path)["findings"]}
    assert "missing-section" not in codes and "section-order" not in codes


def test_missing_sections_and_tables_are_named_as_spec_names_them(capsys, tmp_path):
    path = tmp_path / "report.txt"
    path.write_text(_report("一五六"), encoding="utf-8")
    findings = _check(capsys, path)["findings"]
    [missing] = [f for f in findings if f["code"] == "missing-section"]
    for section in SECTIONS:
        assert (f"{section.number}、{section.title}" in missing["message"]) == (section.number in "二三四")
    assert {f["table"] for f in findings if f["code"] == "missing-table"} == set(TABLES)
    assert {TABLE_SECTION[t]: TABLE_TITLES[t] for t in TABLES} == {s.number: s.title for s in SECTIONS if s.number in "二三四"}


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("table", TABLES)
def test_a_data_block_leaves_exactly_the_totals_of_the_rules_to_compute(table, fmt):
    spec = spec_for(table, fmt)
    found = parse_data_block(f"table: {table}\nformat: {fmt}\n")
    assert {cell for cell, value in found.cells.items() if value.state == BLANK} == spec.totals
    assert all(value.state == GIVEN and value.value == 0 for cell, value in found.cells.items() if cell not in spec.totals)
    checked = check_table(spec, found.cells)
    assert all(checked.values[cell] == 0 for cell in spec.totals)  # every total filled from its parts


def test_the_totals_are_the_total_column_and_rows_of_table_three_and_each_group_total_of_table_four():
    for fmt in FORMATS:
        requests = spec_for("requests", fmt)
        assert requests.totals == {c for c in requests.cells if c[1] == "total" or c[0] == "handled_total"}
        groups = ("reconsideration", "direct_suit", "suit_after")
        assert spec_for("appeals", fmt).totals == {("cases", f"{group}_total") for group in groups}
        assert spec_for("active", fmt).totals == frozenset()


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_broken_balance_states_both_sides_as_the_rule_names_them(fmt):
    spec = spec_for("requests", fmt)
    values = consistent_requests(random.Random(fmt), fmt)
    values[("carried_forward", "natural")] += 5
    values[("carried_forward", "total")] += 5  # the row still adds up: the balance of 自然人 and of 总计 breaks
    cells = {cell: CellValue(str(value), GIVEN, value) for cell, value in values.items()}
    broken = {f.column: f for f in check_table(spec, cells).findings if f.code == "balance-mismatch"}
    assert set(broken) == {spec.column("natural").display, spec.column("total").display}
    for column in ("natural", "total"):
        finding = broken[spec.column(column).display]
        assert finding.params == {
            "lhs": values[("new", column)] + values[("carried_over", column)],
            "rhs": values[("handled_total", column)] + values[("carried_forward", column)],
        }
        assert finding.params["lhs"] + 5 == finding.params["rhs"]
        assert f"新收+上年结转={finding.params['lhs']}，办理总计+结转下年度={finding.params['rhs']}" in finding.message("zh")


def test_folding_a_label_needs_only_the_spec():
    """``labels`` reads the official words from ``spec`` (not from the checks that use ``labels``)."""
    code = (
        "import sys; from gkreport.labels import fold; fold('二、主动公开政府信息情况'); "
        "print(sorted(m for m in sys.modules if m.startswith('gkreport')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == str(["gkreport", "gkreport.labels", "gkreport.spec"])
