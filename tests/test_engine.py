"""The engine: deduction, refusal to guess, Fellegi–Holt location, ambiguity, typo hints."""

from __future__ import annotations

import random
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from gkreport.checks.engine import check_table, typo_hint
from gkreport.spec import spec_for
from gkreport.values import ASK, BLANK, DEDUCED, GIVEN, CellValue, parse_cell

from gkreport.testing.values import consistent_appeals, consistent_requests, pipe_requests

REQUESTS = spec_for("requests", "2021")
APPEALS = spec_for("appeals", "2021")


def cells_of(spec, values, written=None):
    """Cells as read: every value given, except those in ``written`` (cell -> text)."""
    written = written or {}
    return {cell: parse_cell(written[cell], spec.kind_of(cell)) if cell in written else CellValue(str(values[cell]), GIVEN, values[cell]) for cell in spec.cells}


def codes(checked, severity=None):
    return [f.code for f in checked.findings if severity is None or f.severity == severity]


def appeals(**overrides):
    values = {("cases", c.key): 0 for c in APPEALS.columns}
    values.update({("cases", k): v for k, v in overrides.items()})
    return values


def test_consistent_table_passes_every_rule():
    values = consistent_requests(random.Random(1))
    checked = check_table(REQUESTS, cells_of(REQUESTS, values))
    assert checked.findings == []
    assert {status for _, status in checked.rule_status} == {"pass"}
    assert checked.values == values


def test_blank_totals_are_deduced_and_written_numbers_kept():
    values = consistent_requests(random.Random(2))
    blanks = {(r.key, "total"): "" for r in REQUESTS.rows} | {("handled_total", c.key): "?" for c in REQUESTS.columns}
    checked = check_table(REQUESTS, cells_of(REQUESTS, values, blanks))
    assert set(checked.deduced) == set(blanks)
    assert checked.values == values
    assert not checked.errors
    deduced = [f for f in checked.findings if f.code == "value-deduced"]
    assert any(f.row == "三、本年度办理结果 / (七)总计" and f.column == "总计" and f.expected == values[("handled_total", "total")] for f in deduced)


def test_refuses_to_guess_what_the_rules_do_not_determine():
    values = appeals(reconsideration_upheld=2, reconsideration_corrected=1, reconsideration_total=3)
    checked = check_table(APPEALS, cells_of(APPEALS, values, {("cases", "reconsideration_upheld"): "?", ("cases", "reconsideration_corrected"): "?"}))
    assert checked.deduced == {}
    assert checked.values[("cases", "reconsideration_upheld")] is None
    assert codes(checked, "warning") == ["value-undetermined", "value-undetermined"]
    assert dict((r.target, s) for r, s in checked.rule_status)[("cases", "reconsideration_total")] == "unchecked"


def test_zero_forcing_under_non_negativity():
    values = appeals(direct_suit_upheld=1, direct_suit_total=1)
    blank = {("cases", f"suit_after_{leaf}"): "" for leaf in ("upheld", "corrected", "other", "pending")}
    checked = check_table(APPEALS, cells_of(APPEALS, values, blank))
    assert all(checked.deduced[c] == 0 for c in blank)
    assert codes(checked) == ["blanks-deduced-zero"]


def test_a_whole_blank_column_is_zero_when_the_row_totals_say_so():
    values = consistent_requests(random.Random(3))
    for row in REQUESTS.rows:
        values[(row.key, "total")] -= values[(row.key, "research")]
        values[(row.key, "research")] = 0
    blanks = {(r.key, "research"): "" for r in REQUESTS.rows}
    checked = check_table(REQUESTS, cells_of(REQUESTS, values, blanks))
    assert {checked.deduced[c] for c in blanks} == {0}
    assert not checked.errors


def test_undetermined_blanks_read_as_zero_with_an_info_finding():
    checked = check_table(APPEALS, cells_of(APPEALS, appeals(), {("cases", f"suit_after_{l}"): "" for l in ("upheld", "corrected", "other", "pending", "total")}))
    assert [f.params["count"] for f in checked.findings if f.code == "blank-read-as-zero"] == [5]
    assert checked.values[("cases", "suit_after_total")] == 0 and not checked.deduced


def test_one_wrong_item_cell_is_located_with_its_fixing_value():
    values = consistent_requests(random.Random(4))
    cell = ("unavailable_to_make", "business")
    written = {cell: str(values[cell] + 7)}
    checked = check_table(REQUESTS, cells_of(REQUESTS, values, written))
    assert checked.suspect_sets == [{cell: values[cell]}]
    [suspect] = [f for f in checked.findings if f.code == "suspect-cell"]
    assert (suspect.row, suspect.column, suspect.given, suspect.expected) == (
        "(四)无法提供 / 2.没有现成信息需要另行制作",
        "法人或其他组织 / 商业企业",
        values[cell] + 7,
        values[cell],
    )
    failed = sorted(f.code for f in checked.errors if f.code != "suspect-cell")
    assert failed == ["column-total-mismatch", "row-total-mismatch"]
    assert all(f.suspects[0].cell == cell for f in checked.errors)
    assert checked.values[cell] == values[cell] + 7  # never overwritten


def test_a_wrong_total_is_located_not_its_parts():
    values = consistent_requests(random.Random(5))
    cell = ("new", "total")
    checked = check_table(REQUESTS, cells_of(REQUESTS, values, {cell: str(values[cell] + 1)}))
    assert checked.suspect_sets == [{cell: values[cell]}]


def test_digit_swap_and_typo_hints():
    values = appeals(reconsideration_upheld=12, reconsideration_pending=9, reconsideration_total=21)
    checked = check_table(APPEALS, cells_of(APPEALS, values, {("cases", "reconsideration_total"): "12"}))
    assert [f.code for f in checked.findings if f.code in ("suspect-cell", "ambiguous-location")] == ["ambiguous-location"]
    assert typo_hint(21, 12) == "swap"
    assert typo_hint(1234, 1243) == "swap"
    assert typo_hint(58, 59) == "typo"
    assert typo_hint(158, 58) == "typo"
    assert typo_hint(58, 85 + 100) == ""


def test_swap_hint_on_a_located_cell():
    values = consistent_requests(random.Random(6))
    leaves = [c for c in REQUESTS.cells if REQUESTS.row(c[0]).group and c[0] != "handled_total" and c[1] != "total"]
    cell = next(c for c in leaves if values[c] >= 12 and values[c] % 10 != values[c] // 10 % 10)
    swapped = str(values[cell])[:-2] + str(values[cell])[-1] + str(values[cell])[-2]
    checked = check_table(REQUESTS, cells_of(REQUESTS, values, {cell: swapped}))
    [suspect] = [f for f in checked.findings if f.code == "suspect-cell"]
    assert suspect.params["hint"] == "swap"
    assert "颠倒" in suspect.message("zh") and "swapped" in suspect.message("en")


def test_several_minimal_sets_are_all_listed():
    # one block of table 四 off by one: the total or any of its four parts could be wrong
    values = appeals(reconsideration_upheld=1, reconsideration_total=2)
    checked = check_table(APPEALS, cells_of(APPEALS, values))
    assert len(checked.suspect_sets) == 5
    [finding] = [f for f in checked.findings if f.code == "ambiguous-location"]
    assert len(finding.suspects) == 5
    assert "总计" in finding.message("zh")
    assert not [f for f in checked.findings if f.code == "suspect-cell"]


def test_two_wrong_cells_located_together():
    values = consistent_requests(random.Random(8))
    a, b = ("granted", "natural"), ("withheld_law", "legal")
    checked = check_table(REQUESTS, cells_of(REQUESTS, values, {a: str(values[a] + 3), b: str(values[b] + 5)}))
    assert checked.suspect_sets == [{a: values[a], b: values[b]}]


def test_fill_does_not_depend_on_which_cell_is_wrong():
    values = consistent_requests(random.Random(9))
    wrong = ("granted", "natural")
    written = {wrong: str(values[wrong] + 2), ("carried_forward", "total"): ""}
    checked = check_table(REQUESTS, cells_of(REQUESTS, values, written))
    assert checked.suspect_sets == [{wrong: values[wrong]}]
    # 结转下年度/总计 is determined by its row whatever the wrong cell's true value is
    assert checked.deduced[("carried_forward", "total")] == values[("carried_forward", "total")]


def test_text_in_a_number_cell_is_an_error_never_filled():
    values = consistent_requests(random.Random(10))
    cell = ("granted", "legal")
    checked = check_table(REQUESTS, cells_of(REQUESTS, values, {cell: "若干"}))
    [finding] = [f for f in checked.findings if f.code == "not-a-number"]
    assert (finding.row, finding.column, finding.given) == ("三、本年度办理结果 / (一)予以公开", "法人或其他组织 / 法律服务机构", "若干")
    assert cell not in checked.deduced and checked.values[cell] is None


def test_negative_and_fractional_counts_are_errors():
    values = appeals()
    checked = check_table(APPEALS, cells_of(APPEALS, values, {("cases", "suit_after_upheld"): "-1", ("cases", "suit_after_other"): "1.5"}))
    assert sorted(codes(checked, "error")) == ["fractional-count", "negative-value"]


def test_values_filled_by_an_earlier_run_are_deduced_again():
    values = consistent_requests(random.Random(11))
    cell = ("handled_total", "total")
    first = check_table(REQUESTS, cells_of(REQUESTS, values, {cell: ""}))
    again = dict(cells_of(REQUESTS, values))
    again[cell] = CellValue(str(first.values[cell]), DEDUCED, first.values[cell])
    second = check_table(REQUESTS, again)
    assert second.deduced == first.deduced
    assert [f.code for f in second.findings] == [f.code for f in first.findings]


def test_amounts_stay_decimal():
    spec = spec_for("active", "2021")
    cells = {c: CellValue("0", GIVEN, 0) for c in spec.cells}
    cells[("fees", "fee_amount")] = parse_cell("85637.6331", "amount")
    checked = check_table(spec, cells)
    assert checked.values[("fees", "fee_amount")] == Decimal("85637.6331")


texts = st.one_of(st.integers(0, 80).map(str), st.sampled_from(["", "?", "-", "x", "-3", "2.5"]))


@given(st.randoms(use_true_random=False), st.dictionaries(st.sampled_from(REQUESTS.cells), texts, max_size=12), st.booleans())
def test_never_raises_and_never_changes_a_written_number(rng, written, drop):
    values = consistent_requests(rng)
    cells = cells_of(REQUESTS, values, written)
    if drop:  # a truncated table: some cells absent
        for cell in list(cells)[-20:]:
            del cells[cell]
    checked = check_table(REQUESTS, cells)
    for cell, value in cells.items():
        if value.state == GIVEN:
            assert checked.values[cell] == value.value
            assert cell not in checked.deduced
    if not written and not drop:
        assert checked.findings == []


# ---------------------------------------------------------------- added: blanks, real figures, search without a written failing rule


def shanghai():
    """A consistent table with the figures of FORMAT.md: 859 + 18 = 805 + 72 (自然人 821 + 18 = 767 + 72)."""
    values = {cell: 0 for cell in REQUESTS.cells}
    values.update({("new", "natural"): 821, ("carried_over", "natural"): 18, ("handled_total", "natural"): 767, ("carried_forward", "natural"): 72})
    values.update({("new", "business"): 30, ("handled_total", "business"): 30, ("new", "legal"): 8, ("handled_total", "legal"): 8})
    leaves = {
        "natural": {"granted": 400, "partial": 50, "withheld_secret": 7, "unavailable_not_held": 200, "rejected_repeat": 60, "other_other": 50},
        "business": {"granted": 20, "unavailable_not_held": 10},
        "legal": {"granted": 5, "partial": 3},
    }
    for column, rows in leaves.items():
        values.update({(row, column): v for row, v in rows.items()})
    for row in REQUESTS.rows:
        values[(row.key, "total")] = sum(v for (r, c), v in values.items() if r == row.key and c != "total")
    assert values[("new", "total")] == 859 and values[("handled_total", "total")] == 805
    return values


def test_shanghai_style_blanks_and_blank_totals_are_all_deduced():
    values = shanghai()
    result_rows = [r.key for r in REQUESTS.rows if r.group and r.key != "handled_total"]
    blank = {c: "" for c, v in values.items() if v == 0} | {(r, "total"): "" for r in result_rows}
    checked = check_table(REQUESTS, cells_of(REQUESTS, values, blank))
    assert not checked.errors and checked.suspect_sets == []
    assert checked.values == values
    assert set(checked.deduced) == set(blank)
    assert {status for _, status in checked.rule_status} == {"pass"}
    assert "blank-read-as-zero" not in codes(checked)
    [zeros] = [f for f in checked.findings if f.code == "blanks-deduced-zero"]
    assert zeros.params["count"] == sum(1 for c in blank if values[c] == 0)
    assert ("三、本年度办理结果 / (一)予以公开", "法人或其他组织 / 科研机构") in zeros.params["cells"]


def test_blanks_read_as_zero_never_make_a_rule_fail_nor_a_fill():
    # 总计 left blank beside blank parts and a written 1: reading every blank as 0 would break 总计 = 1,
    # and filling 总计 = 1 would rest on the three blank parts being 0, which nothing written says
    values = appeals(reconsideration_corrected=1, reconsideration_total=1)
    blank = {("cases", f"reconsideration_{leaf}"): "" for leaf in ("upheld", "other", "pending", "total")}
    checked = check_table(APPEALS, cells_of(APPEALS, values, blank))
    assert not checked.errors
    assert checked.deduced == {}
    assert checked.values[("cases", "reconsideration_total")] is None
    assert dict((r.target, s) for r, s in checked.rule_status)[("cases", "reconsideration_total")] == "unchecked"
    [read] = [f for f in checked.findings if f.code == "blank-read-as-zero"]
    assert read.params["count"] == 3 and read.params["cells"][0] == ("", "行政复议 / 结果维持")


def test_a_one_digit_typo_is_hinted_on_the_located_cell():
    values = shanghai()
    cell = ("unavailable_not_held", "natural")  # 200 written as 290
    checked = check_table(REQUESTS, cells_of(REQUESTS, values, {cell: "290"}))
    [suspect] = [f for f in checked.findings if f.code == "suspect-cell"]
    assert (suspect.given, suspect.expected, suspect.params.get("hint")) == (290, 200, "typo")
    assert "笔误" in suspect.message("zh")


def test_appeals_block_total_rule_fails_with_its_suspect():
    values = consistent_appeals(random.Random(12))
    values[("cases", "direct_suit_upheld")] += 2
    values[("cases", "direct_suit_total")] += 2
    values[("cases", "direct_suit_corrected")] = 3
    values[("cases", "direct_suit_total")] = sum(values[("cases", f"direct_suit_{l}")] for l in ("upheld", "corrected", "other", "pending"))
    cells = cells_of(APPEALS, values, {("cases", "direct_suit_total"): str(values[("cases", "direct_suit_total")] + 10)})
    checked = check_table(APPEALS, cells)
    status = {r.target: s for r, s in checked.rule_status}
    assert status[("cases", "direct_suit_total")] == "fail" and status[("cases", "reconsideration_total")] == "pass"
    [failure] = [f for f in checked.findings if f.code == "block-total-mismatch"]
    assert (failure.column, failure.given, failure.expected) == ("行政诉讼 / 未经复议直接起诉 / 总计", values[("cases", "direct_suit_total")] + 10, values[("cases", "direct_suit_total")])
    assert len(checked.suspect_sets) == 5  # the total or one of its four parts


def test_errors_seen_only_through_blanks_are_located_up_to_the_limit():
    # in two blocks a blank part would have to be negative: no written rule fails, yet each
    # block needs one change, so every minimal set holds two cells
    values = appeals(reconsideration_corrected=5, reconsideration_total=3, suit_after_other=4, suit_after_total=1)
    blank = {("cases", "reconsideration_upheld"): "", ("cases", "suit_after_pending"): ""}
    checked = check_table(APPEALS, cells_of(APPEALS, values, blank))
    assert "unlocated-error" not in codes(checked)
    assert checked.suspect_sets and {len(s) for s in checked.suspect_sets} == {2}
    assert {("cases", "reconsideration_total"), ("cases", "suit_after_total")} in [set(s) for s in checked.suspect_sets]
    assert not checked.deduced  # nothing is filled from a table that does not balance
    one = check_table(APPEALS, cells_of(APPEALS, values, blank), max_changes=1)
    assert one.suspect_sets == [] and "unlocated-error" in codes(one)


def test_malformed_cell_values_do_not_raise():
    cells = cells_of(APPEALS, appeals())
    cells[("cases", "reconsideration_upheld")] = CellValue("x", "invalid")  # no problem named
    cells[("cases", "reconsideration_other")] = CellValue("3", GIVEN, None)  # written, no number
    cells[("cases", "suit_after_other")] = CellValue("3", "strange")
    checked = check_table(APPEALS, cells)
    assert codes(checked, "error") == ["not-a-number", "not-a-number"]
    assert checked.values[("cases", "reconsideration_upheld")] is None


# ---------------------------------------------------------------- issue 10: garbled figures, fills that follow from what is written


def rule_status(checked):
    return {(r.kind, r.target): s for r, s in checked.rule_status}


def test_a_garbled_figure_is_an_error_and_nothing_is_deduced_over_it():
    values = consistent_requests(random.Random(13))
    cell = next(c for c in REQUESTS.cells if REQUESTS.row(c[0]).group and c[0] != "handled_total" and c[1] != "total" and values[c] >= 10)
    row_total = (cell[0], "total")
    # "31" typed as "3l": the column total and every other cell are written, so the old engine
    # took it as an unknown, deduced it and filled the row total from that deduction
    cells = cells_of(REQUESTS, values, {row_total: ""})
    cells[cell] = CellValue(str(values[cell])[:-1] + "l", "invalid", problem="text")
    checked = check_table(REQUESTS, cells)
    assert [f.code for f in checked.errors] == ["not-a-number"]
    [error] = checked.errors
    assert error.given == cells[cell].raw and [s.cell for s in error.suspects] == [cell]  # the cell is marked in --draft
    assert cell not in checked.deduced and checked.values[cell] is None
    assert row_total not in checked.deduced  # its row holds the garbled part: a filled total would be a guess at it
    assert not [f for f in checked.findings if f.code == "total-not-filled"]  # one mistake, one message
    status = rule_status(checked)
    assert status[("row-total", row_total)] == "unchecked"
    assert status[("column-total", ("handled_total", cell[1]))] == "unchecked"
    assert "fail" not in status.values()


def test_a_garbled_figure_does_not_hide_errors_elsewhere():
    values = consistent_requests(random.Random(14))
    cells = cells_of(REQUESTS, values, {("new", "natural"): "6o", ("granted", "legal"): str(values[("granted", "legal")] + 5)})
    checked = check_table(REQUESTS, cells)
    codes_ = codes(checked, "error")
    assert codes_[0] == "not-a-number" and "suspect-cell" in codes_
    [suspect] = [f for f in checked.findings if f.code == "suspect-cell"]
    assert (suspect.given, suspect.expected) == (values[("granted", "legal")] + 5, values[("granted", "legal")])


def issue_table():
    """The issue's case: (六)1 and (六)2 were not read (missing), 结转下年度 and (七)总计 left blank."""
    values = {cell: 0 for cell in REQUESTS.cells}
    values.update({("new", "natural"): 12, ("carried_over", "natural"): 2, ("granted", "natural"): 8, ("partial", "natural"): 5})
    values.update({("other_no_correction", "natural"): 1, ("handled_total", "natural"): 14})
    for row in REQUESTS.rows:
        values[(row.key, "total")] = sum(v for (r, c), v in values.items() if r == row.key and c != "total")
    cells = cells_of(REQUESTS, values, {("handled_total", c.key): "" for c in REQUESTS.columns} | {("carried_forward", "natural"): ""})
    for column in REQUESTS.columns:
        for row in ("other_no_correction", "other_no_fee"):
            del cells[(row, column.key)]
    return values, cells


def test_no_fill_rests_on_a_blank_read_as_zero():
    _, cells = issue_table()
    checked = check_table(REQUESTS, cells)
    # 14 = 12 + 2 - 结转下年度 holds only if the blank 结转下年度 is 0; the visible results add up to 13
    assert ("handled_total", "natural") not in checked.deduced
    assert ("handled_total", "total") not in checked.deduced
    assert not checked.errors
    assert checked.deduced.get(("handled_total", "business")) == 0  # determined by what is written: every part is 0 or missing... and 一+二 = 0


def test_a_determined_total_beside_a_missing_part_is_withheld():
    _, cells = issue_table()
    cells[("carried_forward", "natural")] = CellValue("0", GIVEN, 0)  # now 14 is determined by 一 + 二 - 四
    checked = check_table(REQUESTS, cells)
    total = ("handled_total", "natural")
    assert total not in checked.deduced  # shown, it would disagree with the results shown above it (13)
    assert checked.values[total] == 14  # known, and used to check the rows it is a part of
    [withheld] = [f for f in checked.findings if f.code == "total-not-filled" and f.column == "自然人"]
    assert (withheld.expected, withheld.params["shown"], withheld.params["rest"]) == (14, 13, 1)
    assert "(六)其他处理 / 1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请" in withheld.message("zh")
    assert withheld.severity == "warning" and not checked.errors


def test_the_rendered_table_never_shows_a_total_that_disagrees_with_its_parts():
    _, cells = issue_table()
    cells[("carried_forward", "natural")] = CellValue("0", GIVEN, 0)
    checked = check_table(REQUESTS, cells)
    shown = {c: v.value for c, v in checked.cells.items() if v.state == GIVEN} | checked.deduced
    for rule in REQUESTS.rules:
        if rule.kind != "balance" and rule.target in checked.deduced:
            assert all(c in shown for c in rule.cells), rule
            assert sum(k * shown[c] for c, k in rule.terms) == 0, rule


def test_a_blank_total_is_never_reported_as_zero():
    # one wrong figure in a table whose totals are blank: a failure names written or filled figures only
    values = consistent_requests(random.Random(15))
    blanks = {(r.key, "total"): "" for r in REQUESTS.rows}
    wrong = ("granted", "natural")
    checked = check_table(REQUESTS, cells_of(REQUESTS, values, blanks | {wrong: str(values[wrong] + 3)}))
    assert [f.code for f in checked.findings if f.code == "suspect-cell"] == ["suspect-cell"]
    failed = [r for r, s in checked.rule_status if s == "fail"]
    assert failed
    for rule in failed:
        assert all(checked.cells[c].state == GIVEN or c in checked.deduced for c in rule.cells), rule
    assert ("granted", "total") not in checked.deduced  # its row holds the wrong cell: withheld, not a guess


def test_unlocated_error_names_only_rules_written_in_full():
    # more wrong cells than the search may change, and blank totals: no blank is read as 0
    values = consistent_requests(random.Random(16))
    blanks = {(r.key, "total"): "" for r in REQUESTS.rows}
    wrong = {("granted", c): str(values[("granted", c)] + 1) for c in ("natural", "business", "research", "nonprofit")}
    checked = check_table(REQUESTS, cells_of(REQUESTS, values, blanks | wrong), max_changes=2)
    assert "unlocated-error" in codes(checked)
    failed = [f for f in checked.errors if f.code.endswith("-mismatch")]
    assert failed and all(f.code == "column-total-mismatch" for f in failed)
    assert all(checked.cells[c].state == GIVEN for r, s in checked.rule_status if s == "fail" for c in r.cells)
    assert not checked.deduced and "blank-read-as-zero" not in codes(checked)


def test_an_ambiguous_location_lists_five_alternatives_and_counts_the_rest():
    # a sparse block whose one row name is wrong used to list every leaf of the column
    values = {cell: 0 for cell in REQUESTS.cells}
    values.update({("new", "natural"): 3, ("new", "total"): 3})
    cells = cells_of(REQUESTS, values, {(r.key, "total"): "" for r in REQUESTS.rows} | {("handled_total", "natural"): ""})
    checked = check_table(REQUESTS, cells)
    [finding] = [f for f in checked.findings if f.code == "ambiguous-location"]
    assert len(checked.suspect_sets) > 20
    message = finding.message("zh")
    assert message.count("→") == 5 and f"另有 {len(checked.suspect_sets) - 5} 组" in message
    assert len(message) < 600 and len(finding.suspects) == len(checked.suspect_sets)
    assert f"and {len(checked.suspect_sets) - 5} more" in finding.message("en")


def test_gk_extract_says_a_withheld_total_is_withheld(tmp_path, capsys):
    import json

    from gkreport.cli import main

    values = consistent_requests(random.Random(17))
    leaves = [r for r in REQUESTS.rows if r.group and r.key != "handled_total" and values[(r.key, "natural")] > 0][:2]
    table = pipe_requests(values, replace={("handled_total", "natural"): ""})
    table = "\n".join(line for line in table.splitlines() if not any(leaf.label in line for leaf in leaves)) + "\n"  # two rows not written
    path = tmp_path / "r.md"
    path.write_text(f"---\nyear: 2024\n---\n\n{table}", encoding="utf-8")
    main(["extract", str(path)])
    [entry] = json.loads(capsys.readouterr().out)["files"][0]["tables"]
    status = {(c["row_key"], c["column_key"]): (c["status"], c["value"]) for c in entry["cells"]}
    assert status[("handled_total", "natural")] == ("withheld", str(values[("handled_total", "natural")]))
    assert [status[(leaf.key, "natural")] for leaf in leaves] == [("missing", None)] * 2


def test_a_total_beside_a_wrong_cell_is_withheld_without_a_second_message():
    values = consistent_requests(random.Random(15))
    wrong = ("granted", "natural")
    checked = check_table(REQUESTS, cells_of(REQUESTS, values, {wrong: str(values[wrong] + 3), ("granted", "total"): ""}))
    assert checked.suspect_sets == [{wrong: values[wrong]}]
    # determined by the 总计 column, but shown beside the wrong 自然人 it would not add up: left blank
    assert ("granted", "total") not in checked.deduced and checked.withheld == {("granted", "total"): values[("granted", "total")]}
    assert "total-not-filled" not in codes(checked)  # the suspect-cell error says it all
