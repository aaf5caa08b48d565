"""gk aggregate: the combined tables of many bodies, cell by cell, and the refusals."""

from __future__ import annotations

import csv
import io
import random
from decimal import Decimal
from pathlib import Path

import pytest

from gkreport import cli
from gkreport.services.check import check_file
from gkreport.services.aggregate import APPENDIX_HEADING, CSV_HEADER, AggregateError, aggregate
from gkreport.spec import AMOUNT, TABLES, spec_for
from gkreport.testing.faults import inject
from gkreport.testing.forms import FORMS, make_report
from gkreport.testing.variants import Style

BODIES = 201
YEAR = {"2021": 2024, "2019": 2020}


def _write(directory: Path, reports, prefix: str = "body") -> list[str]:
    paths = []
    for n, report in enumerate(reports):
        path = directory / f"{prefix}{n:03d}.txt"
        path.write_text(report.text(), encoding="utf-8")
        paths.append(str(path))
    return paths


def _reports(count: int, fmt: str, seed: int):
    rng = random.Random(seed)
    return [make_report(rng, fmt, FORMS[n % 3], Style(), YEAR[fmt]) for n in range(count)]


def _expected(reports, fmt: str) -> dict:
    """The sums computed from the corpus truth, independently of gkreport.services.aggregate."""
    out = {}
    for table in TABLES:
        spec = spec_for(table, fmt)
        out[table] = {}
        for cell in spec.cells:
            zero = Decimal(0) if spec.kind_of(cell) == AMOUNT else 0
            out[table][cell] = sum((r.truth[table][cell] for r in reports), zero)
    return out


def _passes_check(tmp_path: Path, text: str, name: str = "combined.md") -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    report = check_file(str(path))
    assert [f.code for f in report.findings if f.severity == "error"] == []
    assert sorted(t.table for t in report.tables) == sorted(TABLES)
    assert cli.main(["check", str(path)]) == 0


@pytest.fixture(scope="module")
def many(tmp_path_factory):
    directory = tmp_path_factory.mktemp("bodies")
    reports = _reports(BODIES, "2021", seed=11)
    paths = _write(directory, reports)
    return reports, paths, aggregate(paths, org="某县人民政府")


def test_every_cell_is_the_sum_over_more_than_200_bodies(many):
    reports, paths, result = many
    assert len(result.bodies) == BODIES >= 200
    assert result.format == "2021" and result.year == 2024
    expected = _expected(reports, "2021")
    for table in TABLES:
        assert set(result.totals[table]) == set(spec_for(table, "2021").cells)
        for cell, value in expected[table].items():
            got = result.totals[table][cell]
            assert got == value, (table, cell)
            assert type(got) is type(value), (table, cell)  # counts int, amounts Decimal
    fee = result.totals["active"][("fees", "fee_amount")]
    assert isinstance(fee, Decimal) and fee == sum((r.truth["active"][("fees", "fee_amount")] for r in reports), Decimal(0))
    assert all(b.missing_tables == [] and b.error_codes == [] for b in result.bodies)


def test_combined_report_passes_gk_check(many, tmp_path):
    reports, paths, result = many
    text = result.to_markdown()
    assert "title: 2024年某县人民政府政府信息公开工作年度报告" in text
    assert f"# {APPENDIX_HEADING}" in text
    _passes_check(tmp_path, text)
    # and it reads back to the same totals
    back = check_file(str(tmp_path / "combined.md")).result
    for table_result in back.tables:
        values = table_result.checked.values
        assert {c: values[c] for c in result.totals[table_result.table]} == result.totals[table_result.table]
        assert table_result.checked.deduced == {}  # every value written, nothing left blank


def test_appendix_lists_each_body(many):
    reports, paths, result = many
    text = result.to_markdown(org="另一个名字")
    assert "2024年另一个名字政府信息公开工作年度报告" in text
    appendix = text.split(f"# {APPENDIX_HEADING}", 1)[1].strip().splitlines()
    assert appendix[0] == "| 单位 | 新收 | 办理 | 结转 | 复议 | 诉讼 |"
    rows = appendix[2:]
    assert len(rows) == BODIES
    first = reports[0].truth
    suits = first["appeals"][("cases", "direct_suit_total")] + first["appeals"][("cases", "suit_after_total")]
    numbers = [
        first["requests"][("new", "total")],
        first["requests"][("handled_total", "total")],
        first["requests"][("carried_forward", "total")],
        first["appeals"][("cases", "reconsideration_total")],
        suits,
    ]
    assert rows[0] == "| body000 | " + " | ".join(str(n) for n in numbers) + " |"


def test_csv_has_one_line_per_body_with_its_figures(many):
    reports, paths, result = many
    rows = list(csv.reader(io.StringIO(result.to_csv())))
    assert tuple(rows[0]) == CSV_HEADER
    assert len(rows) == BODIES + 1
    for row, report, path in zip(rows[1:], reports, paths):
        requests, appeals = report.truth["requests"], report.truth["appeals"]
        assert row == [
            path,
            Path(path).stem,
            "2024",
            "2021",
            str(requests[("new", "total")]),
            str(requests[("handled_total", "total")]),
            str(requests[("carried_forward", "total")]),
            str(appeals[("cases", "reconsideration_total")]),
            str(appeals[("cases", "direct_suit_total")] + appeals[("cases", "suit_after_total")]),
        ]


def test_2019_format_amounts_and_signed_changes(tmp_path):
    reports = _reports(24, "2019", seed=3)
    result = aggregate(_write(tmp_path, reports))
    assert result.format == "2019" and result.year == 2020
    assert result.totals == _expected(reports, "2019")
    amount = result.totals["active"][("procurement", "procurement_amount")]
    assert isinstance(amount, Decimal)
    _passes_check(tmp_path, result.to_markdown("某区"))


def test_org_from_markdown_metadata(many, tmp_path):
    _, paths, result = many
    first = tmp_path / "first.md"
    first.write_text(result.to_markdown(org="甲局"), encoding="utf-8")
    second = tmp_path / "second.md"
    second.write_text(result.to_markdown(org="乙局"), encoding="utf-8")
    again = aggregate([str(first), str(second)])
    assert [b.org for b in again.bodies] == ["甲局", "乙局"]
    assert all(again.totals[t][c] == 2 * v for t in TABLES for c, v in result.totals[t].items())


# ---------------------------------------------------------------- refusals


def test_mixing_formats_is_refused_naming_both_files(tmp_path):
    a = _write(tmp_path, _reports(2, "2021", seed=1), "new")
    b = _write(tmp_path, _reports(1, "2019", seed=2), "old")
    with pytest.raises(AggregateError) as info:
        aggregate(a + b)
    for lang in ("zh", "en"):
        message = info.value.message(lang)
        assert all(p in message for p in a + b)
    assert "格式" in info.value.message("zh") and "format" in info.value.message("en")
    assert str(info.value) == info.value.message("zh")


def test_mixing_years_is_refused_naming_both_files(tmp_path):
    reports = _reports(2, "2021", seed=4)
    a = tmp_path / "y2024.txt"
    a.write_text(reports[0].text(), encoding="utf-8")
    b = tmp_path / "y2023.txt"
    b.write_text(reports[1].text().replace("2024年", "2023年").replace("2025年", "2024年"), encoding="utf-8")
    assert check_file(str(b)).year == 2023
    with pytest.raises(AggregateError) as info:
        aggregate([str(a), str(b)])
    message = info.value.message("zh")
    assert str(a) in message and str(b) in message and "2023年" in message and "2024年" in message
    assert "different years" in info.value.message("en")


def _faulty(tmp_path: Path) -> tuple[str, list]:
    rng = random.Random(9)
    report = make_report(rng, "2021", "pipe", Style(), 2024)
    faulty, fault = inject(rng, report, "digit")
    assert fault is not None
    text = faulty.text()
    path = tmp_path / "faulty.txt"
    path.write_text(text, encoding="utf-8")
    codes = [f.code for f in check_file(str(path)).findings if f.severity == "error"]
    assert codes
    return str(path), codes


def test_an_input_with_errors_is_refused_unless_forced(tmp_path):
    good = _write(tmp_path, _reports(2, "2021", seed=5))
    bad, codes = _faulty(tmp_path)
    with pytest.raises(AggregateError) as info:
        aggregate(good + [bad])
    message = info.value.message("zh")
    assert bad in message and all(code in message for code in codes)
    assert not any(p in message for p in good)
    assert bad in info.value.message("en") and "--force" in info.value.message("en")
    forced = aggregate(good + [bad], force=True)
    assert len(forced.bodies) == 3 and forced.bodies[2].error_codes == list(dict.fromkeys(codes))


def test_every_failing_file_is_listed(tmp_path):
    bad, codes = _faulty(tmp_path)
    missing = str(tmp_path / "nowhere.txt")
    with pytest.raises(AggregateError) as info:
        aggregate([bad, missing])
    message = info.value.message("zh")
    assert bad in message and missing in message


def test_an_unreadable_file_is_refused_even_with_force(tmp_path):
    good = _write(tmp_path, _reports(1, "2021", seed=6))
    missing = str(tmp_path / "nowhere.txt")
    pdf = tmp_path / "scan.pdf"
    pdf.write_bytes(b"%PDF-1.4\n")
    for unreadable in (missing, str(pdf)):
        with pytest.raises(AggregateError) as info:
            aggregate(good + [unreadable], force=True)
        assert unreadable in info.value.message("zh") and unreadable in info.value.message("en")


def test_no_input_is_refused():
    with pytest.raises(AggregateError):
        aggregate([])


def test_a_body_without_a_table_contributes_nothing_to_it(tmp_path):
    reports = _reports(3, "2021", seed=8)
    paths = _write(tmp_path, reports)
    lines = reports[2].text().split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("行政复议"))  # table 四; its section stays
    end = next(i for i, line in enumerate(lines) if line.startswith("五、"))
    Path(paths[2]).write_text("\n".join(lines[:start] + lines[end:]), encoding="utf-8")
    try:
        result = aggregate(paths)
    except AggregateError:  # a missing table may itself be an error finding
        result = aggregate(paths, force=True)
    assert [b.missing_tables for b in result.bodies] == [[], [], ["appeals"]]
    assert result.bodies[2].figures["reconsideration"] is None and result.bodies[2].figures["litigation"] is None
    assert result.totals["appeals"] == _expected(reports[:2], "2021")["appeals"]
    assert result.totals["requests"] == _expected(reports, "2021")["requests"]
    text = result.to_markdown()
    assert "缺少表四" in text
    _passes_check(tmp_path, text)


def test_gk_aggregate_command(tmp_path, capsys):
    from gkreport.cli import main

    paths = []
    for n, report in enumerate(_reports(4, "2021", 5)):
        path = tmp_path / f"body{n}.txt"
        path.write_text(report.text(), encoding="utf-8")
        paths.append(str(path))
    out = tmp_path / "combined.md"
    assert main(["aggregate", *paths, "-o", str(out), "--org", "XX县政务公开办"]) == 0
    assert "XX县政务公开办" in out.read_text(encoding="utf-8")
    assert main(["check", str(out)]) == 0
    capsys.readouterr()
    assert main(["aggregate", *paths, "--format", "csv"]) == 0
    assert capsys.readouterr().out.count("\n") == 5
    assert main(["aggregate", str(tmp_path / "missing.txt")]) == 2
