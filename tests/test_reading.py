"""Issue 9 acceptance: every table of every real report in ../shared/domain/reports is read, in
whatever form it was published, and ``gk extract`` returns the cells read by hand from the file.

The hand-read cells were read off the files themselves (the glued page digit by digit, using its
row and column totals), not from the tool's output.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gkreport import cli

# file -> year, [(table, format)], {table: {(row, column): value as written}}
Z = "0"
PINGTAN_REQUESTS = {
    "new": "64 0 0 2 0 4 70",
    "carried_over": "0 0 0 0 0 0 0",
    "granted": "27 0 0 2 0 1 30",
    "partial": "5 0 0 0 0 0 5",
    "withheld_secret": "0 0 0 0 0 0 0",
    "withheld_law": "0 0 0 0 0 0 0",
    "withheld_security": "0 0 0 0 0 0 0",
    "withheld_third_party": "0 0 0 0 0 0 0",
    "withheld_internal": "1 0 0 0 0 0 1",
    "withheld_process": "0 0 0 0 0 0 0",
    "withheld_enforcement": "6 0 0 0 0 0 6",
    "withheld_query": "1 0 0 0 0 0 1",
    "unavailable_not_held": "22 0 0 0 0 3 25",
    "unavailable_to_make": "0 0 0 0 0 0 0",
    "unavailable_unclear": "0 0 0 0 0 0 0",
    "rejected_petition": "0 0 0 0 0 0 0",
    "rejected_repeat": "0 0 0 0 0 0 0",
    "rejected_publication": "0 0 0 0 0 0 0",
    "rejected_mass": "0 0 0 0 0 0 0",
    "rejected_confirm": "0 0 0 0 0 0 0",
    "other_no_correction": "0 0 0 0 0 0 0",
    "other_no_fee": "0 0 0 0 0 0 0",
    "other_other": "1 0 0 0 0 0 1",
    "handled_total": "63 0 0 2 0 4 69",
    "carried_forward": "1 0 0 0 0 0 1",
}
COLUMNS = ("natural", "business", "research", "nonprofit", "legal", "other_org", "total")
APPEALS = [f"{g}_{leaf}" for g in ("reconsideration", "direct_suit", "suit_after") for leaf in ("upheld", "corrected", "other", "pending", "total")]


def _row(text: str) -> dict:
    return dict(zip(COLUMNS, text.split()))


def _appeals(text: str) -> dict:
    return {("cases", key): value for key, value in zip(APPEALS, text.split())}


EXPECTED = {
    "001_164254f647ab523c.txt": (
        2024,
        [("active", "2021"), ("requests", "2021"), ("appeals", "2021")],
        {
            "active": {("licensing", "decisions"): "2149", ("penalties", "decisions"): "48", ("coercion", "decisions"): Z,
                       ("regulations", "issued"): Z, ("normative_documents", "in_force"): Z, ("fees", "fee_amount"): Z},
            "requests": {("new", "natural"): "4", ("new", "total"): "4", ("granted", "natural"): "3", ("granted", "total"): "3",
                         ("unavailable_not_held", "natural"): "1", ("handled_total", "total"): "4", ("carried_forward", "total"): Z},
            "appeals": _appeals("0 0 0 0 0 0 0 0 0 0 0 0 0 0 0"),
        },
    ),
    "003_da2047bc483356b6.txt": (
        2020,
        [("active", "2019"), ("requests", "2019"), ("appeals", "2019")],
        {
            "active": {("licensing", "previous_items"): "268", ("licensing", "change"): "2303", ("licensing", "decisions"): "6025",
                       ("other_services", "change"): "-36", ("coercion", "change"): "-7", ("fees", "previous_items"): "33",
                       ("procurement", "procurement_items"): "526", ("procurement", "procurement_amount"): "85637.6331"},
            "requests": {("new", "natural"): "29", ("new", "total"): "29", ("granted", "natural"): "12", ("partial", "natural"): "1",
                         ("unavailable_not_held", "total"): "5", ("rejected_repeat", "natural"): "2", ("other", "natural"): "9",
                         ("handled_total", "total"): "29"},
            "appeals": _appeals("0 0 0 0 0 0 0 0 0 0 0 0 0 0 0"),
        },
    ),
    "abag-natres-2023-excerpt.txt": (
        2023,
        [("active", "2021")],
        {"active": {("licensing", "decisions"): "182", ("penalties", "decisions"): "10", ("coercion", "decisions"): Z,
                    ("fees", "fee_amount"): "18.871", ("regulations", "issued"): Z, ("normative_documents", "in_force"): Z}},
    ),
    "flipbook-audit-2020-page9-excerpt.txt": (
        2020,
        [("requests", "2019"), ("appeals", "2019")],
        {"requests": {("carried_forward", c): Z for c in COLUMNS}, "appeals": _appeals("0 0 0 0 0 0 0 0 0 0 0 0 0 0 0")},
    ),
    "longgang-department-2024-excerpt.txt": (
        2024,
        [("active", "2021"), ("requests", "2021")],
        {
            "active": {("normative_documents", "issued"): "5", ("normative_documents", "abolished"): "1",
                       ("normative_documents", "in_force"): "25", ("regulations", "issued"): Z, ("licensing", "decisions"): Z,
                       ("fees", "fee_amount"): Z},
            "requests": {("new", "natural"): "58", ("new", "business"): "7", ("new", "legal"): "1", ("new", "total"): "66",
                         ("carried_over", "natural"): "2", ("partial", "natural"): "16", ("partial", "total"): "17",
                         ("withheld_internal", "natural"): "1"},
        },
    ),
    "ningshan-town-2024-excerpt.txt": (
        2024,
        [("active", "2021"), ("requests", "2021")],
        {
            "active": {("regulations", "issued"): Z, ("normative_documents", "in_force"): Z, ("licensing", "decisions"): Z,
                       ("penalties", "decisions"): Z, ("coercion", "decisions"): Z, ("fees", "fee_amount"): Z},
            "requests": {**{("new", c): Z for c in COLUMNS}, ("granted", "total"): Z},
        },
    ),
    "pingtan-2021-page.txt": (
        2021,
        [("active", "2021"), ("requests", "2021"), ("appeals", "2021")],
        {
            "active": {("regulations", "issued"): Z, ("regulations", "abolished"): Z, ("regulations", "in_force"): Z,
                       ("licensing", "decisions"): "2293", ("penalties", "decisions"): "1282", ("coercion", "decisions"): "42",
                       ("fees", "fee_amount"): "24252.311082"},
            "requests": {(row, column): value for row, text in PINGTAN_REQUESTS.items() for column, value in _row(text).items()},
            "appeals": _appeals("1 0 2 0 3 12 0 0 0 12 0 0 0 0 0"),
        },
    ),
    "taojiang-audit-2020-excerpt.txt": (
        2020,
        [("active", "2019"), ("requests", "2019")],
        {
            "active": {("normative_documents", "made"): "2", ("normative_documents", "published"): "2",
                       ("normative_documents", "total_published"): "2", ("licensing", "change"): Z, ("fees", "previous_items"): Z,
                       ("procurement", "procurement_amount"): Z},
            "requests": {**{("new", c): Z for c in COLUMNS}, ("partial", "total"): Z},
        },
    ),
    "shanghai-gov-office-2019.html": (
        2019,
        [("active", "2019"), ("requests", "2019"), ("appeals", "2019")],
        {
            "active": {("regulations", "made"): "13", ("regulations", "total_published"): "524", ("normative_documents", "made"): "60",
                       ("normative_documents", "total_published"): "368", ("procurement", "procurement_items"): "6",
                       ("procurement", "procurement_amount"): "25.1"},
            "requests": {("new", "natural"): "821", ("new", "business"): "35", ("new", "legal"): "2", ("new", "total"): "859",
                         ("granted", "natural"): "258", ("unavailable_not_held", "natural"): "252", ("handled_total", "total"): "805",
                         ("carried_forward", "natural"): "72"},
            "appeals": {("cases", "reconsideration_upheld"): "5", ("cases", "reconsideration_pending"): "2",
                        ("cases", "reconsideration_total"): "7", ("cases", "direct_suit_upheld"): "8",
                        ("cases", "direct_suit_pending"): "1", ("cases", "direct_suit_total"): "9"},
        },
    ),
    "official-template-2021.docx": (
        None,
        [("active", "2021"), ("requests", "2021"), ("appeals", "2021")],
        {},
    ),
}


def extract(capsys, path) -> dict:
    capsys.readouterr()
    status = cli.main(["extract", str(path), "--format", "json"])
    assert status in (0, 1)
    [report] = json.loads(capsys.readouterr().out)["files"]
    return report


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_table_is_read_with_its_hand_read_cells(capsys, shared_reports, name):
    year, tables, cells = EXPECTED[name]
    report = extract(capsys, shared_reports / name)
    assert report["year"] == year
    assert [(t["table"], t["format"]) for t in report["tables"]] == tables
    for table in report["tables"]:
        got = {(c["row_key"], c["column_key"]): c["value"] for c in table["cells"]}
        expected = cells.get(table["table"], {})
        assert {cell: got.get(cell) for cell in expected} == expected


def test_every_file_of_the_shared_folder_is_covered(shared_reports):
    """A new sample in the shared folder must get its own expectations here."""
    names = {p.name for p in shared_reports.iterdir() if p.name != "README.md"}
    assert names == set(EXPECTED)


def test_the_glued_page_reads_every_cell_of_table_3(capsys, shared_reports):
    report = extract(capsys, shared_reports / "pingtan-2021-page.txt")
    requests = next(t for t in report["tables"] if t["table"] == "requests")
    got = {(c["row_key"], c["column_key"]): c["value"] for c in requests["cells"]}
    assert len(got) == 175
    assert got == EXPECTED["pingtan-2021-page.txt"][2]["requests"]
    assert {c["status"] for c in requests["cells"]} == {"given"}


def test_an_ambiguous_glued_row_is_reported_not_guessed(capsys, shared_reports):
    """"行政规范性文件693665": three counts glued with no identity between them has ten readings."""
    capsys.readouterr()
    cli.main(["check", str(shared_reports / "pingtan-2021-page.txt"), "--format", "json"])
    [report] = json.loads(capsys.readouterr().out)["files"]
    [finding] = [f for f in report["findings"] if f["code"] == "ambiguous-reading"]
    assert finding["row"] == "行政规范性文件" and finding["given"] == "693665"
    report = extract(capsys, shared_reports / "pingtan-2021-page.txt")
    active = next(t for t in report["tables"] if t["table"] == "active")
    assert {c["status"] for c in active["cells"] if c["row_key"] == "normative_documents"} == {"invalid"}


# ---------------------------------------------------------------- text other tools extracted from PDFs


PDFTEXT = Path(__file__).parent / "forms" / "pdftext"


@pytest.mark.parametrize("name", ["template-filled.layout", "template-filled.raw", "build.layout", "build.raw"])
def test_pdftotext_layout_and_raw_read_back_every_figure(name):
    """pdftotext -layout (columns aligned with spaces, labels wrapped, figures of a row spread over its
    lines) and -raw (the content stream's order) of a LibreOffice and a gk build PDF: every figure at
    its official cell, no finding beyond the report's own."""
    from gkreport.testing import pdfmaterial

    from gkreport.services.check import check_text

    truth = pdfmaterial.truth(pdfmaterial.PDFTEXT_SEEDS[name.split(".")[0]])
    result = check_text((PDFTEXT / f"{name}.txt").read_text(encoding="utf-8"))
    assert [t.table for t in result.tables] == ["active", "requests", "appeals"]
    for table in result.tables:
        read = {cell: value.value for cell, value in table.recognized.cells.items()}
        assert {cell: read.get(cell) for cell in truth[table.table]} == truth[table.table]
    assert [f.line() for f in result.findings if f.severity != "info"] == []


@pytest.mark.parametrize("name", ["template-filled.plain", "build.plain"])
def test_pdftotext_default_order_is_said_unreadable_never_misread(name):
    """Plain pdftotext puts a ruled table's cells in column chunks: what cannot be placed is said once
    per table, and no arithmetic finding comes from a misread figure."""
    from gkreport.services.check import check_text

    result = check_text((PDFTEXT / f"{name}.txt").read_text(encoding="utf-8"))
    assert not [f for f in result.findings if f.severity == "error"]
    assert {f.code for f in result.findings if f.table == "requests" and f.severity == "warning"} == {"unreadable-table"}
