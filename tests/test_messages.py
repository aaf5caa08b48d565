"""What the author reads, written as an author writes the input: a garbled figure, a typo in a data
block, an option misspelt; one mistake gives one message, errors come first, the values filled in
are summed up in one line.  Each case has its correct twin."""

from __future__ import annotations

import io
import os
import random
import subprocess
from pathlib import Path

import panflute as pf
import pytest
from gkreport.testing.values import consistent_requests, pipe_requests

from gkreport.spec import official_layout, spec_for

REPO = Path(__file__).resolve().parent.parent
ENV = dict(os.environ, PATH=str(REPO / ".venv" / "bin") + os.pathsep + os.environ["PATH"])
REQUESTS = spec_for("requests", "2021")
VALUES = consistent_requests(random.Random(101))
GARBLED = ("withheld_internal", "natural")  # (三)5 自然人, written "6o" for 60


def pandoc(markdown: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["pandoc", "-f", "markdown", "--filter", "gk-check", *args], input=markdown.encode(), capture_output=True, env=ENV)


def document(table: str, meta: str = "") -> str:
    return f"---\nyear: 2024\n{meta}---\n\n# 三、收到和处理政府信息公开申请情况\n\n{table}"


def garbled_values():
    values = dict(VALUES)
    part = values[GARBLED]
    values[GARBLED] = 60
    for cell in ((GARBLED[0], "total"), ("handled_total", "natural"), ("handled_total", "total"), ("new", "natural"), ("new", "total")):
        values[cell] += 60 - part  # a consistent table in which (三)5 自然人 is 60
    return values


def written_cells(json_out: str) -> dict:
    """The official table of the filter's JSON output, cell by cell through the official layout:
    {cell: text as it stands}.  (Not read back through the recognizer: that is what is under test.)"""
    doc = pf.load(io.StringIO(json_out))
    [table] = [e for e in doc.content if isinstance(e, pf.Table)]
    layout = official_layout("requests", "2021")
    rows = [row for body in table.content for row in body.content]
    assert len(rows) == len(layout.body)
    return {item.ref: pf.stringify(cell) for items, row in zip(layout.body, rows) for item, cell in zip(items, row.content) if item.ref}


# ---------------------------------------------------------------- a garbled figure

GARBLED_BLOCK = "```gkreport\ntable: requests\n新收: {{自然人: 60, 商业企业: 2}}\n内部事务: {{自然人: {figure}}}\n予以公开.商业企业: 2\n```\n"
FILLED = {("new", "total"): "62", ("granted", "total"): "2", ("handled_total", "business"): "2"}


@pytest.fixture(scope="module")
def garbled_run():
    return pandoc(document(GARBLED_BLOCK.format(figure="6o")), "-t", "json")


def test_a_garbled_figure_is_one_error_naming_the_cell_first_on_stderr(garbled_run):
    lines = garbled_run.stderr.decode().splitlines()
    assert lines[0] == "[错误] 表三(依申请公开) not-a-number: 行“(三)不予公开 / 5.属于三类内部事务信息”列“自然人”的内容“6o”不是数字"
    assert sum(line.startswith("[错误]") for line in lines) == 1  # the rules through it are not checkable, not failed
    assert not [line for line in lines if line.startswith("[警告]")]
    assert "gk-check：识别 1 张表，错误 1 个" in lines[-1]


def test_a_garbled_figure_is_shown_as_written_and_nothing_is_deduced_over_it(garbled_run):
    cells = written_cells(garbled_run.stdout.decode())
    assert cells[GARBLED] == "6o"
    # its row total, its column's (七)总计 (60 by 一 + 二 - 四, but the results shown beside it could not
    # add up to it) and the grand total stay blank: each would be a guess at the garbled figure
    for cell in ((GARBLED[0], "total"), ("handled_total", "natural"), ("handled_total", "total")):
        assert cells[cell] == "", cell
    assert {c: cells[c] for c in FILLED} == FILLED
    assert cells[("new", "natural")] == "60" and cells[("new", "business")] == "2" and cells[("partial", "natural")] == "0"


def test_the_correct_twin_is_filled_and_clean():
    result = pandoc(document(GARBLED_BLOCK.format(figure="60")), "-t", "json")
    assert "错误 0 个" in result.stderr.decode()
    cells = written_cells(result.stdout.decode())
    assert cells[GARBLED] == "60" and cells[(GARBLED[0], "total")] == "60" and cells[("handled_total", "total")] == "62"


def test_a_garbled_figure_is_marked_in_the_draft():
    source = document(GARBLED_BLOCK.format(figure="6o"), "gk-check: {draft: true}\n")
    html = " ".join(pandoc(source, "-t", "html").stdout.decode().split())
    assert '<span class="gk-error" title="行“(三)不予公开 / 5.属于三类内部事务信息”列“自然人”的内容“6o”不是数字">6o</span>' in html
    typst = pandoc(source, "-t", "typst").stdout.decode()
    assert '#highlight(fill: rgb("#fde2e1"))[#text(fill: rgb("#a40000"), weight: "bold")[6o]]' in typst
    plain = pandoc(document(GARBLED_BLOCK.format(figure="6o")), "-t", "html").stdout.decode()
    assert "gk-error" not in plain  # no marks without draft


def test_a_garbled_figure_in_a_pipe_table_with_full_labels():
    values = garbled_values()
    result = pandoc(document(pipe_requests(values, replace={GARBLED: "6o", (GARBLED[0], "total"): ""})), "-t", "json")
    assert result.stderr.decode().startswith("[错误] 表三(依申请公开) not-a-number")
    cells = written_cells(result.stdout.decode())
    assert cells[GARBLED] == "6o" and cells[(GARBLED[0], "total")] == ""
    for cell in REQUESTS.cells:
        if cell not in (GARBLED, (GARBLED[0], "total"), ("handled_total", "natural"), ("handled_total", "total")):
            assert cells[cell] == str(values[cell]), cell


# ---------------------------------------------------------------- a typo in a data block

SPARSE = "```gkreport\ntable: requests\n新收: {{自然人: 3, 商业企业: 1}}\n{row}: {{自然人: 3}}\n予以公开.商业企业: 1\n```\n"


def test_a_typo_in_a_data_block_is_one_message_pointing_at_it():
    result = pandoc(document(SPARSE.format(row="部份公开")), "-t", "json")
    lines = result.stderr.decode().splitlines()
    errors = [line for line in lines if line.startswith("[错误]")]
    assert errors == ["[错误] 表三(依申请公开) unknown-name: 数据块中的名称“部份公开”不是本表的行或列，是否指“部分公开”？"]
    assert not [line for line in lines if "为 0" in line or "ambiguous-location" in line]
    assert len(result.stderr) < 1000


def test_the_data_block_twin_fills_its_totals():
    result = pandoc(document(SPARSE.format(row="部分公开")), "-t", "json")
    assert "错误 0 个" in result.stderr.decode()
    cells = written_cells(result.stdout.decode())
    assert cells[("partial", "natural")] == "3" and cells[("handled_total", "total")] == "4"


def test_a_bad_data_block_is_an_error_with_its_reason():
    result = pandoc(document("```gkreport\ntable: requests\n新收: [1, 2]\n```\n"), "-t", "json")
    assert "[错误] 表三(依申请公开) bad-data-block: 数据块无法读取：第 2 行：“新收”的值是列表，不是数值" in result.stderr.decode()


# ---------------------------------------------------------------- options misspelt


def test_a_misspelt_filter_option_names_the_closest_and_its_twin_works(tmp_path):
    wrong = pandoc(document(pipe_requests(VALUES), "gk-check: {stirct: true}\n"), "-o", str(tmp_path / "a.docx"))
    assert "stirct，是否指“strict”？" in wrong.stderr.decode()
    right = pandoc(document(GARBLED_BLOCK.format(figure="6o"), "gk-check: {strict: true}\n"), "-o", str(tmp_path / "b.docx"))
    assert right.returncode != 0 and not (tmp_path / "b.docx").exists()


# ---------------------------------------------------------------- errors first, infos summed up


def test_an_error_comes_before_the_infos_and_the_fills_are_one_line():
    blanks = {(r.key, "total"): "" for r in REQUESTS.rows}
    wrong = ("granted", "natural")
    text = pipe_requests(VALUES, replace=blanks | {wrong: str(VALUES[wrong] + 10)})
    lines = pandoc(document(text), "-t", "json").stderr.decode().splitlines()
    assert lines[0].startswith("[错误]")
    severities = [line[1:3] for line in lines[:-1]]
    assert severities == sorted(severities, key=["错误", "警告", "提示"].index)
    assert sum("values-computed" in line for line in lines) == 1 and not [line for line in lines if "value-deduced" in line]
    verbose = pandoc(document(text, "gk-check: {verbose: true}\n"), "-t", "json").stderr.decode().splitlines()
    assert verbose[0].startswith("[错误]") and sum("value-deduced" in line for line in verbose) >= 10
    assert len(verbose) >= len(lines) + 10


def test_cli_lists_errors_then_warnings_then_infos(capsys, tmp_path):
    from gkreport.cli import main

    blanks = {(r.key, "total"): "" for r in REQUESTS.rows}
    wrong = ("granted", "natural")
    path = tmp_path / "r.md"
    path.write_text(document(pipe_requests(VALUES, replace=blanks | {wrong: str(VALUES[wrong] + 10)})), encoding="utf-8")
    assert main(["check", str(path)]) == 1
    lines = [line.strip() for line in capsys.readouterr().out.splitlines() if line.startswith("  [")]
    severities = [line[1:3] for line in lines]
    assert severities == sorted(severities, key=["错误", "警告", "提示"].index) and severities[0] == "错误"
    assert "警告" in severities and "提示" in severities


# ---------------------------------------------------------------- findings that must stay on


def report_text(order: list[str], active: str = "") -> str:
    titles = {"一": "总体情况", "二": "主动公开政府信息情况", "三": "收到和处理政府信息公开申请情况", "四": "政府信息公开行政复议、行政诉讼情况",
              "五": "存在的主要问题及改进情况", "六": "其他需要报告的事项"}
    body = "\n\n".join(f"# {n}、{titles[n]}\n\n本部分内容。" + (f"\n\n{active}" if n == "二" and active else "") for n in order)
    return f"---\nyear: 2024\n---\n\n{body}\n"


def report_codes(markdown: str) -> dict[str, list]:
    json_out = subprocess.run(["pandoc", "-f", "markdown", "-t", "json"], input=markdown.encode(), capture_output=True, env=ENV).stdout
    from gkreport.services.check import check_document

    findings = check_document(pf.load(io.StringIO(json_out.decode()))).findings
    return {f.code: f for f in findings}


def test_sections_out_of_order_are_a_warning_and_the_official_order_is_not():
    found = report_codes(report_text(["一", "三", "二", "四", "五", "六"]))
    assert found["section-order"].params["found"] == "一、三、二、四、五、六"
    assert "section-order" not in report_codes(report_text(["一", "二", "三", "四", "五", "六"]))


def test_a_table_in_the_format_of_another_year_is_a_warning_and_its_twin_is_not():
    from gkreport.testing.values import consistent_active, pipe_active

    old = report_codes(report_text(list("一二三四五六"), pipe_active(consistent_active(random.Random(5), "2019"), "2019")))
    mismatch = old["format-year-mismatch"]
    assert (mismatch.table, mismatch.given, mismatch.expected, mismatch.params["year"]) == ("active", "2019", "2021", 2024)
    new = report_codes(report_text(list("一二三四五六"), pipe_active(consistent_active(random.Random(5), "2021"), "2021")))
    assert "format-year-mismatch" not in new


def test_the_draft_appendix_lists_every_error_and_warning_errors_first(repo_root):
    source = (repo_root / "tests" / "golden" / "wrong_cell.md").read_text(encoding="utf-8")
    source = source.replace("year: 2024", "year: 2024\ngk-check: {draft: true}").replace("---\n\n|", "---\n\n# 一、总体情况\n\n# 三、收到和处理政府信息公开申请情况\n\n|")
    doc = pf.load(io.StringIO(pandoc(source, "-t", "json").stdout.decode()))
    [appendix] = [e for e in doc.content if isinstance(e, pf.Div) and "gk-findings" in e.classes]
    items = [pf.stringify(item) for item in appendix.content[0].content]
    assert [item.split("]")[0] for item in items] == ["[错误"] * 3 + ["[警告"] * (len(items) - 3)
    assert any("suspect-cell" in item and "填写 44，应为 34" in item for item in items)
    assert any("missing-section" in item for item in items)
    headers = [pf.stringify(e) for e in doc.content if isinstance(e, pf.Header)]
    assert headers[-1] == "附：检查发现的问题"


def test_a_data_block_line_without_a_name_is_an_unknown_name_not_a_crash():
    from gkreport.recognition.datablock import parse_data_block

    found = parse_data_block(",0")  # found by hypothesis: a CSV line whose name is empty
    assert [f.code for f in found.findings] == ["unknown-name"]
