"""What authors really write (issues 10 and 11): short and mistyped row labels, unreadable rows,
odd rows with figures, garbled figures, and tables that only resemble ours.  Nothing written is
lost: every figure reaches the output at its official cell, or the table stays as written with
an error naming what could not be placed."""

from __future__ import annotations

import functools
import json
import io
import random
import subprocess

import panflute as pf
import pytest

from gkreport.filters.gk_check import main as gk_check
from gkreport.readers.pandoc import grid_from_panflute
from gkreport.readers.files import pandoc_path
from gkreport.services.check import check_document
from gkreport.spec import spec_for

from gkreport.testing.values import consistent_requests, pipe_requests

COLUMNS = [c.key for c in spec_for("requests", "2021").columns]


def to_doc(markdown: str) -> pf.Doc:
    out = subprocess.run([pandoc_path(), "-f", "markdown", "-t", "json"], input=markdown, capture_output=True, text=True, check=True).stdout
    return pf.load(io.StringIO(out))


def filtered(markdown: str) -> pf.Doc:
    doc = to_doc(markdown)
    return gk_check(doc)


def official_values(doc: pf.Doc) -> dict:
    """The cells of the official table 三 the filter wrote, by (row key, column key)."""
    [result] = check_document(doc).tables
    return {cell: value.raw for cell, value in result.recognized.cells.items()}


def pipe(rows: list[list[str]]) -> str:
    header = ["项目", "自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines) + "\n"


def table_with(replace_label: dict[str, str], values=None, extra_rows=(), fmt="2021") -> str:
    """A pipe table 三 of consistent values, some row labels written differently."""
    spec = spec_for("requests", fmt)
    values = values or consistent_requests(random.Random(41), fmt)
    rows = []
    for row in spec.rows:
        label = replace_label.get(row.key, row.label)
        rows.append([label] + [str(values[(row.key, c)]) for c in COLUMNS])
        rows += [list(r) for key, r in extra_rows if key == row.key]
    return pipe(rows)


SHORT_OTHER = {"other_no_correction": "逾期不补正", "other_no_fee": "逾期未缴纳费用", "other_other": "其他"}


def test_short_labels_of_the_other_rows_keep_their_figures():
    values = consistent_requests(random.Random(41))
    values[("other_no_correction", "natural")] += 1  # a 1 written where the short label is
    values[("other_no_correction", "total")] += 1
    values[("handled_total", "natural")] += 1
    values[("handled_total", "total")] += 1
    values[("new", "natural")] += 1
    values[("new", "total")] += 1
    doc = filtered(table_with(SHORT_OTHER, values))
    written = official_values(doc)
    assert written[("other_no_correction", "natural")] == str(values[("other_no_correction", "natural")])
    assert all(written[(row, c)] == str(values[(row, c)]) for row in SHORT_OTHER for c in COLUMNS)
    result = check_document(to_doc(table_with(SHORT_OTHER, values)))
    assert not [f for f in result.findings if f.code in ("missing-rows", "unknown-row", "unplaced-row")]


@pytest.mark.parametrize(
    "key, label",
    [("partial", "部份公开"), ("withheld_third_party", "4.保护第三方合法权义"), ("withheld_internal", "三类内部事务"),
     ("withheld_security", "危及三安全一稳定"), ("unavailable_not_held", "本機關不掌握相關政府信息")],
)
def test_variant_and_mistyped_labels_find_their_row(key, label):
    values = consistent_requests(random.Random(43))
    [table] = check_document(to_doc(table_with({key: label}, values))).tables
    assert all(table.recognized.cells[(key, c)].value == values[(key, c)] for c in COLUMNS)
    assert not table.checked.errors


def test_two_unreadable_rows_between_known_ones_are_placed_in_order():
    values = consistent_requests(random.Random(47))
    source = table_with({"rejected_repeat": "2.****", "rejected_publication": "3.****"}, values)
    [table] = check_document(to_doc(source)).tables
    placed = [(f.row, f.given) for f in table.findings if f.code == "row-placed-by-position"]
    assert placed == [("(五)不予处理 / 2.重复申请", "2.****"), ("(五)不予处理 / 3.要求提供公开出版物", "3.****")]
    assert all(table.recognized.cells[(k, c)].value == values[(k, c)] for k in ("rejected_repeat", "rejected_publication") for c in COLUMNS)


def test_a_row_with_figures_that_fits_nothing_is_an_error_and_the_table_stays_as_written():
    odd = ("granted", ["(八)其他情况说明", "3", "0", "0", "0", "0", "0", "3"])
    source = table_with({}, extra_rows=[odd])
    result = check_document(to_doc(source))
    [finding] = [f for f in result.findings if f.code == "unplaced-row"]
    assert finding.severity == "error" and "(八)其他情况说明" in finding.message() and "3 0 0 0 0 0 3" in finding.message()
    before = to_doc(source)
    after = gk_check(to_doc(source))
    [table_before] = [b for b in before.content if isinstance(b, pf.Table)]
    [table_after] = [b for b in after.content if isinstance(b, pf.Table)]
    assert grid_from_panflute(table_after) == grid_from_panflute(table_before)


def test_a_row_written_twice_is_an_error_and_the_table_stays_as_written():
    values = consistent_requests(random.Random(53))
    twice = ("partial", ["(二)部分公开", "9", "0", "0", "0", "0", "0", "9"])
    source = table_with({}, values, extra_rows=[twice])
    [finding] = [f for f in check_document(to_doc(source)).findings if f.code == "duplicate-row"]
    assert "9 0 0 0 0 0 9" in finding.message()
    after = gk_check(to_doc(source))
    [table_after] = [b for b in after.content if isinstance(b, pf.Table)]
    assert grid_from_panflute(table_after) == grid_from_panflute(next(b for b in to_doc(source).content if isinstance(b, pf.Table)))


@pytest.mark.parametrize("garbled", ["6o", "3l", "1O"])
def test_a_garbled_figure_is_an_error_on_its_cell_and_shown_as_written(garbled):
    values = consistent_requests(random.Random(59))
    rows = []
    for row in spec_for("requests", "2021").rows:
        cells = [str(values[(row.key, c)]) for c in COLUMNS]
        if row.key == "granted":
            cells[0] = garbled
            cells[6] = ""  # a blank total beside it: not deducible from a garbled part
        rows.append([row.label] + cells)
    source = pipe(rows)
    result = check_document(to_doc(source))
    [finding] = [f for f in result.findings if f.code == "not-a-number"]
    assert (finding.row, finding.column, finding.given) == ("三、本年度办理结果 / (一)予以公开", "自然人", garbled)
    [table] = result.tables
    assert ("granted", "natural") not in table.checked.deduced  # never deduced over
    row_rule = [status for rule, status in table.checked.rule_status if rule.kind == "row-total" and rule.target == ("granted", "total")]
    assert row_rule == ["unchecked"]  # not failed: the garbled figure is one error, not two
    assert official_values(filtered(source))[("granted", "natural")] == garbled


# ---------------------------------------------------------------- tables that only resemble ours


COMPARISON = """| 项目 | 2023年 | 2024年 | 增减 |
|---|---|---|---|
| 本年新收政府信息公开申请数量 | 50 | 66 | +16 |
| 上年结转政府信息公开申请数量 | 2 | 3 | +1 |
| 结转下年度继续办理 | 3 | 1 | -2 |
"""
GLOSSARY = """| 术语 | 说明 |
|---|---|
| 予以公开 | 全部公开申请的信息 |
| 部分公开 | 区分处理后公开其中可以公开的部分 |
| 不予公开 | 属于国家秘密等情形 |
| 结转下年度继续办理 | 年底尚未办结的申请 |
"""
PIVOTED = """| 申请人 | 本年新收政府信息公开申请数量 | 上年结转政府信息公开申请数量 | (七)总计 | 结转下年度继续办理 |
|---|---|---|---|---|
| 自然人 | 58 | 2 | 59 | 1 |
| 商业企业 | 7 | 0 | 7 | 0 |
| 总计 | 65 | 2 | 66 | 1 |
"""
PROSE_WITH_BARS = "本年新收政府信息公开申请数量 | 上年结转政府信息公开申请数量 | 结转下年度继续办理，三项数据详见下表。\n"
PERCENT = """| 办理结果 | 数量 | 占比 |
|---|---|---|
| (一)予以公开 | 30 | 45% |
| (二)部分公开 | 12 | 18% |
| (三)不予公开 | 5 | 7.5% |
| (七)总计 | 66 | 100% |
"""


@pytest.mark.parametrize("source", [COMPARISON, GLOSSARY, PIVOTED, PROSE_WITH_BARS, PERCENT], ids=["comparison", "glossary", "pivoted", "prose", "percent"])
def test_a_table_that_only_resembles_ours_is_left_exactly_as_written(source):
    document = "---\nyear: 2024\n---\n\n" + source
    before = to_doc(document)
    after = gk_check(to_doc(document))
    assert after.content.to_json() == before.content.to_json()
    result = check_document(to_doc(document))
    assert result.tables == []
    assert not [f for f in result.findings if f.severity == "error"]


# ---------------------------------------------------------------- every written figure survives


def _variants(row) -> list[str]:
    """Ways real reports write a row's label: official, numbering full-width or dropped, the group
    written before it, the short form, an alias, Traditional characters."""
    import re

    official = row.label
    out = [official, official.replace("(", "（").replace(")", "）"), re.sub(r"^(\([一二三四五六七八]\)|[一二三四]、|\d\.)", "", official)]
    if row.group and not row.group.startswith("三、"):
        out.append(f"{row.group} {official}")
    out += [a for a in row.aliases if a]
    if row.short and row.short not in ("其他处理其他", "新收"):
        out.append(row.short)
    out.append(_traditional(official))
    return out


@functools.cache
def _converter():
    import opencc

    return opencc.OpenCC("s2t")


def _traditional(text: str) -> str:
    return _converter().convert(text)


@pytest.mark.parametrize("seed", range(12))
def test_every_written_figure_reaches_its_official_cell_whatever_the_labels(seed):
    rng = random.Random(seed)
    fmt = rng.choice(["2021", "2019"])
    spec = spec_for("requests", fmt)
    values = consistent_requests(rng, fmt)
    blanks = {cell for cell in values if rng.random() < 0.1}
    rows = []
    for row in spec.rows:
        label = rng.choice(_variants(row))
        rows.append([label] + ["" if (row.key, c) in blanks else str(values[(row.key, c)]) for c in COLUMNS])
    source = f"---\nyear: {2024 if fmt == '2021' else 2020}\n---\n\n" + pipe(rows)
    written = official_values(filtered(source))
    for (row_key, column), value in values.items():
        if (row_key, column) not in blanks:
            assert written[(row_key, column)] == str(value), (row_key, column, rows)


def test_missing_rows_are_still_missing_when_the_filter_runs_on_its_own_output():
    source = "---\nyear: 2024\n---\n\n" + pipe(
        [
            ["一、本年新收政府信息公开申请数量", "5", "0", "0", "0", "0", "0", "5"],
            ["二、上年结转政府信息公开申请数量", "1", "0", "0", "0", "0", "0", "1"],
            ["(一)予以公开", "3", "0", "0", "0", "0", "0", "3"],
        ]
    )
    once = gk_check(to_doc(source))
    twice = gk_check(pf.load(io.StringIO(json.dumps(once.to_json()))))
    for doc in (to_doc(source), once, twice):
        [table] = check_document(doc).tables
        [finding] = [f for f in table.findings if f.code == "missing-rows"]
        assert "(二)部分公开" in finding.message()
    assert twice.content.to_json() == once.content.to_json()
