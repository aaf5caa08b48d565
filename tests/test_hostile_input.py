"""Hostile and accidental input (issue 11): no number changed on the way in, real causes named.

Each test writes the input as an adversary (or a hurried clerk) would: YAML 1.1 number forms,
keys written twice, an alias bomb, footnote marks and corrections inside figures, foreign digits,
a backslash blank in a notebook, a dash that pandoc turns into a rule, a document nested hundreds
deep, a file saved as UTF-16, a last-year path with Markdown characters.
"""

from __future__ import annotations

import io
import json
import os
import random
import subprocess
import time
from pathlib import Path

import panflute as pf
import pytest
from gkreport.testing.values import consistent_requests, pipe_requests

from gkreport.cli import main
from gkreport.recognition.datablock import parse_data_block
from gkreport.values import parse_cell

REPO = Path(__file__).resolve().parent.parent
BIN = REPO / ".venv" / "bin"
ENV = dict(os.environ, PATH=str(BIN) + os.pathsep + os.environ["PATH"])
EXAMPLE = REPO / "examples" / "report.md"


def run(capsys, *argv):
    status = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return status, out, err


def errors(found) -> list[str]:
    return [f.message("en") for f in found.findings if f.severity == "error"]


def pandoc_filter(markdown: str, to: str = "json") -> subprocess.CompletedProcess:
    return subprocess.run(["pandoc", "-f", "markdown", "--filter", "gk-check", "-t", to], input=markdown, capture_output=True, text=True, env=ENV)


# ---------------------------------------------------------------- data blocks


@pytest.mark.parametrize(
    ("written", "state", "value"),
    [("0012", "given", 12), ("010", "given", 10), ("1:30", "invalid", None), ("0x1F", "invalid", None), ("1_000", "invalid", None),
     ("0o17", "invalid", None), ("1e3", "invalid", None), ("true", "invalid", None), (".inf", "invalid", None), ("'0012'", "given", 12)],
)
def test_data_block_numbers_are_read_as_written(written, state, value):
    found = parse_data_block(f"table: requests\n新收: {{自然人: {written}}}\n")
    cell = found.cells[("new", "natural")]
    assert (cell.state, cell.value) == (state, value)


def test_a_key_written_twice_is_an_error_naming_both_lines():
    found = parse_data_block("table: requests\n新收: {自然人: 5}\n予以公开: {自然人: 2}\n新收: {自然人: 50}\n")
    assert errors(found) == ["the data block cannot be read: “新收” is written twice: lines 2 and 4"]
    nested = parse_data_block("新收:\n  自然人: 5\n  商业企业: 1\n  自然人: 50\n")
    assert "lines 2 and 4" in errors(nested)[0]
    csv_lines = parse_data_block("新收,自然人,5\n新收,商业企业,1\n新收,自然人,50\n")
    assert "lines 1 and 3" in errors(csv_lines)[0]


def test_an_alias_bomb_is_refused_at_once():
    bomb = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "\n".join(
        f"{n}: &{n} [" + ",".join([f"*{p}"] * 9) + "]" for p, n in zip("abcdefgh", "bcdefghi")
    )
    started = time.perf_counter()
    found = parse_data_block(bomb)
    assert time.perf_counter() - started < 0.5
    assert errors(found) == ["the data block cannot be read: line 2: an alias (*); anchors and aliases are not accepted"]


def test_deep_nesting_and_huge_blocks_are_bounded():
    deep = parse_data_block("a: " + "[" * 20000 + "]" * 20000)
    assert "nested more than 8 deep" in errors(deep)[0]
    huge = parse_data_block("新收.自然人: 1\n" + "# padding\n" * 20000)
    assert "too long" in errors(huge)[0]


def test_a_yaml_error_is_reported_as_yaml_not_csv():
    found = parse_data_block("table: requests\n新收: {自然人: 1\n予以公开: {自然人: 2}\n")
    [message] = errors(found)
    assert message.startswith("the data block cannot be read: YAML error, line 3") and "CSV" not in message
    zh = found.findings[0].message("zh")
    assert zh.startswith("数据块无法读取：YAML 格式错误，第 3 行")


def test_csv_lines_are_still_csv():
    found = parse_data_block("row,column,value\n新收,自然人,58\n新收,商业企业,1:30\n")
    assert found.cells[("new", "natural")].value == 58
    assert found.cells[("new", "business")].state == "invalid"


def test_a_data_block_that_cannot_be_read_stays_in_the_document():
    result = pandoc_filter("---\nyear: 2024\n---\n\n```gkreport\n新收: {自然人: 1}\n新收: {自然人: 2}\n```\n", to="markdown")
    assert "bad-data-block" in result.stderr
    assert "新收: {自然人: 1}\n新收: {自然人: 2}" in result.stdout and "本年新收" not in result.stdout


def test_a_yaml_tag_is_never_acted_on():
    found = parse_data_block("table: requests\n新收: {自然人: !!python/object/apply:os.system [echo hacked]}\n")
    assert "a list is not a value" in errors(found)[0]
    found = parse_data_block("table: requests\n新收: {自然人: !!int 0x1F}\n")
    assert found.cells[("new", "natural")].state == "invalid"


# ---------------------------------------------------------------- cell values


@pytest.mark.parametrize("written", ["58¹", "5⁸", "٥٨", "①", "𝟓𝟖", "५८", "58₁"])
def test_foreign_digits_are_not_numbers(written):
    assert parse_cell(written).state == "invalid"


@pytest.mark.parametrize(("written", "value"), [("58", 58), ("５８", 58), ("1,234", 1234), ("１，２３４", 1234)])
def test_ascii_and_full_width_digits_are_numbers(written, value):
    assert parse_cell(written).value == value


VALUES = consistent_requests(random.Random(5))
V = VALUES[("new", "natural")]  # the true figure of 本年新收 / 自然人


def _requests_with(written: str) -> str:
    """Table 三 with every rule holding when 本年新收 / 自然人 reads as ``V``; it is written ``written``."""
    cells = {("handled_total", "total"): "", ("new", "natural"): written.format(v=V, more=V + 2)}
    return "---\nyear: 2024\n---\n\n" + pipe_requests(VALUES, replace=cells)


def _cell_text(document: dict, value_row: str) -> list:
    """The inlines of each cell in the output table row whose label contains ``value_row``."""
    doc = pf.load(io.StringIO(json.dumps(document)))
    table = next(e for e in doc.content if isinstance(e, pf.Table))
    from gkreport.blocks import table_rows

    for row in table_rows(table):
        texts = [pf.stringify(cell) for cell in row.content]
        if any(value_row in t for t in texts):
            return [cell for cell in row.content]
    raise AssertionError(value_row)


def test_a_footnote_mark_is_not_a_digit_and_stays_in_the_document():
    result = pandoc_filter(_requests_with("{v}^1^"))
    assert result.returncode == 0
    assert "not-a-number" not in result.stderr and "不是数字" not in result.stderr
    assert "错误 0 个" in result.stderr  # read as 58: every rule holds
    cells = _cell_text(json.loads(result.stdout), "本年新收")
    superscripts = [e for cell in cells for e in cell.content[0].content if isinstance(e, pf.Superscript)] if cells else []
    assert [pf.stringify(s) for s in superscripts] == ["1"]


def _active(written: str, note: str = "") -> str:
    """Table 二 (no rule ties its cells) with 规章 / 本年制发件数 written ``written``."""
    rows = ["| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |", "|---|---|---|---|", f"| 规章 | {written} | 0 | 3 |",
            "| 行政规范性文件 | 0 | 0 | 0 |", "| 行政许可 | 5 | | |", "| 行政处罚 | 1 | | |", "| 行政强制 | 0 | | |", "| 行政事业性收费 | 0 | | |"]
    return "---\nyear: 2024\n---\n\n" + "\n".join(rows) + "\n" + (f"\n{note}\n" if note else "")


@pytest.mark.parametrize(
    ("written", "value"),
    [("58^1^", 58), ("58^注1^", 58), ("~~60~~ 58", 58), ("58[^n]", 58), ("[58](http://example.org)", 58), ("58~a~", 58),
     ("~~60~~", None), ("58<sup>1</sup>", None), ("5^1^8", None), ("5~~6~~8", None), ("58 ^1^ 2", None)],
)
def test_formatted_cells_are_read_for_what_they_mean_or_reported(tmp_path, capsys, written, value):
    source = tmp_path / "r.md"
    source.write_text(_active(written, "[^n]: 含2件" if "[^n]" in written else ""), encoding="utf-8")
    status, out, _ = run(capsys, "extract", source)
    [table] = json.loads(out)["files"][0]["tables"]
    cell = next(c for c in table["cells"] if (c["row_key"], c["column_key"]) == ("regulations", "issued"))
    if value is None:
        assert cell["status"] == "invalid"  # reported as not-a-number, never another number
        status, out, _ = run(capsys, "check", source, "--format", "json")
        assert [f["code"] for f in json.loads(out)["files"][0]["findings"] if f["severity"] == "error"] == ["not-a-number"]
    else:
        assert (cell["status"], cell["value"]) == ("given", str(value))


def test_a_struck_out_figure_stays_struck_in_the_output():
    result = pandoc_filter(_active("~~60~~ 58[^n]", "[^n]: 含2件"), to="html")
    assert "<del>60</del> 58" in result.stdout and "含2件" in result.stdout
    assert "错误 0 个" in result.stderr


# ---------------------------------------------------------------- blank marks through the grid-table writer and the notebook


def test_blank_marks_survive_the_grid_table_writer():
    from gkreport.services.tablesource import check_source

    lines = ["| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |", "|---|---|---|---|",
             "| 规章 | - | -- | \\ |", "| 行政规范性文件 | — | – | / |", "| 行政许可 | 5 | | |", "| 行政处罚 | 1 | | |",
             "| 行政强制 | 0 | | |", "| 行政事业性收费 | 0 | | |"]
    markdown = check_source("\n".join(lines), "active").to_markdown()
    read = subprocess.run(["pandoc", "-f", "markdown", "-t", "json"], input=markdown, capture_output=True, text=True, env=ENV)
    doc = pf.load(io.StringIO(read.stdout))
    from gkreport.readers.pandoc import grid_from_panflute

    texts = [c.text for row in grid_from_panflute(next(e for e in doc.content if isinstance(e, pf.Table))) for c in row]
    for mark in ("-", "--", "\\", "—", "–", "/"):
        assert mark in texts, (mark, texts)


def test_a_dash_written_by_pandoc_as_a_rule_reads_back_as_a_dash():
    """pandoc's Markdown writer puts "—" in a grid-table cell as ``---``, which it reads back as a rule."""
    source = "---\nyear: 2024\n---\n\n" + "\n".join(
        ["| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |", "|---|---|---|---|", "| 规章 | — | 0 | 0 |",
         "| 行政规范性文件 | 0 | 0 | 0 |", "| 行政许可 | 5 | | |", "| 行政处罚 | 1 | | |", "| 行政强制 | 0 | | |", "| 行政事业性收费 | 0 | | |"])
    first = pandoc_filter(source, to="markdown")
    assert "---" in first.stdout
    second = subprocess.run(["pandoc", "-f", "markdown", "--filter", "gk-check", "-t", "json"], input=first.stdout, capture_output=True, text=True, env=ENV)
    assert "HorizontalRule" not in second.stdout and "—" in json.dumps(json.loads(second.stdout), ensure_ascii=False)
    assert "错误 0 个" in second.stderr


def _notebook(tmp_path: Path, cells: list[tuple[str, str]]) -> Path:
    import nbformat

    notebook = nbformat.v4.new_notebook()
    for kind, source in cells:
        maker = nbformat.v4.new_markdown_cell if kind == "markdown" else nbformat.v4.new_code_cell
        notebook.cells.append(maker(source))
    path = tmp_path / "report.ipynb"
    nbformat.write(notebook, str(path))
    return path


def test_backslash_and_other_blank_marks_survive_the_notebook_build(tmp_path, capsys):
    from gkreport.services.notebook import notebook_markdown

    values = consistent_requests(random.Random(8))
    marks = {("handled_total", "total"): "\\", ("granted", "total"): "—", ("carried_over", "total"): "-", ("new", "total"): "--"}
    table = pipe_requests(values, replace=marks)
    source = _notebook(tmp_path, [("markdown", "# 三、收到和处理政府信息公开申请情况"), ("code", "%%gkreport requests --year 2024\n" + table)])
    read = subprocess.run(["pandoc", "-f", "markdown", "-t", "json"], input=notebook_markdown(source), capture_output=True, text=True, env=ENV)
    assert read.returncode == 0 and "[WARNING]" not in read.stderr
    doc = pf.load(io.StringIO(read.stdout))
    written = []
    doc.walk(lambda e, d: written.append(e.attributes["gk-written"]) if isinstance(e, pf.Span) and "gk-deduced" in e.classes else None)
    assert sorted(written) == sorted(marks.values())
    out = tmp_path / "report.docx"
    status, _, err = run(capsys, "build", source, "-o", out)
    assert status == 0 and "错误 0 个" in err, err


def test_an_unbalanced_quote_on_one_magic_line_does_not_abort_the_build(tmp_path, capsys):
    values = consistent_requests(random.Random(9))
    source = _notebook(tmp_path, [
        ("markdown", "# 三、收到和处理政府信息公开申请情况"),
        ("code", '%%gkreport requests -o "mine\n新收: {自然人: 1}'),
        ("code", "%%gkreport requests --year 2024\n" + pipe_requests(values)),
    ])
    out = tmp_path / "report.html"
    status, _, err = run(capsys, "build", source, "-o", out)
    assert status == 0, err
    assert '单元格 2：[错误] %%gkreport requests -o "mine: 该行无法解析（引号不成对）' in err
    html = out.read_text(encoding="utf-8")
    assert html.count("<table") == 1  # the good cell's table
    assert "新收: {自然人: 1}" in html  # the refused cell's body stays in the document as written


# ---------------------------------------------------------------- real causes


def _deep_markdown(depth: int) -> str:
    return "> " * depth + "deep | text\n\n" + EXAMPLE.read_text(encoding="utf-8")


def test_the_filter_copes_with_nesting_as_gk_check_does(tmp_path, capsys):
    source = tmp_path / "deep.md"
    source.write_text(_deep_markdown(400), encoding="utf-8")
    status, out, _ = run(capsys, "check", source, "--format", "json")
    [entry] = json.loads(out)["files"]
    assert len(entry["tables"]) == 3
    result = subprocess.run(["pandoc", str(source), "--filter", "gk-check", "-t", "json"], capture_output=True, text=True, env=ENV)
    assert result.returncode == 0 and "internal error" not in result.stderr and "嵌套" not in result.stderr
    assert "识别 3 张表" in result.stderr
    assert result.stdout.count('"t":"BlockQuote"') == 400
    assert "gk-deduced" in result.stdout  # the tables were filled: the document did not pass through unchanged


def test_nesting_beyond_any_stack_is_named_as_such(tmp_path, capsys):
    deep = tmp_path / "deep.json"  # written by hand: pandoc takes minutes over 20,000 nested quotes holding a "|"
    depth, inner = 20000, '{"t":"Para","c":[{"t":"Str","c":"x|y"}]}'
    deep.write_text('{"pandoc-api-version":[1,23,1],"meta":{},"blocks":[' + '{"t":"BlockQuote","c":[' * depth + inner + "]}" * depth + "]}")
    status, _, err = run(capsys, "check", deep)
    assert status == 2 and "嵌套层次过深" in err and "pandoc JSON" not in err
    result = subprocess.run(["gk-check"], input=deep.read_bytes(), capture_output=True, env=ENV)
    assert result.returncode == 0 and result.stdout == deep.read_bytes()
    assert "嵌套层次过深" in result.stderr.decode("utf-8")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_a_utf16_report_is_read_not_called_binary(tmp_path, capsys, shared_reports, encoding):
    copied = next(p for p in sorted(shared_reports.iterdir()) if p.suffix == ".txt")
    for suffix, original in ((".txt", copied), (".md", EXAMPLE)):
        path = tmp_path / f"report{suffix}"
        path.write_bytes(original.read_text(encoding="utf-8").encode(encoding))
        status, out, err = run(capsys, "check", path, "--format", "json")
        assert "binary" not in err and "二进制" not in err
        assert json.loads(out)["files"][0]["tables"], (encoding, suffix)


def test_previous_metadata_path_is_the_literal_string(tmp_path):
    last = tmp_path / "*x*.md"
    last.write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "x.md").write_text("not this one", encoding="utf-8")
    this = EXAMPLE.read_text(encoding="utf-8").replace("---\n", "---\ngk-check:\n  previous: '*x*.md'\n", 1)
    result = subprocess.run(["pandoc", "-f", "markdown", "--filter", "gk-check", "-t", "json"], input=this, capture_output=True, text=True,
                            env=dict(ENV, GK_CHECK_SOURCE_DIR=str(tmp_path)))
    assert "copied-section" in result.stderr  # it read *x*.md, the same text
    assert "previous-unreadable" not in result.stderr and "previous-not-a-report" not in result.stderr


def test_a_previous_file_that_is_no_report_gets_a_finding(tmp_path, capsys):
    notes = tmp_path / "notes.md"
    notes.write_text("Shopping list\n\n- eggs\n- milk\n", encoding="utf-8")
    status, out, _ = run(capsys, "check", EXAMPLE, "--previous", notes, "--format", "json", "--lang", "en")
    codes = [f["code"] for f in json.loads(out)["files"][0]["findings"]]
    assert "previous-not-a-report" in codes


def test_previous_unreadable_reason_in_english_too(tmp_path, capsys):
    status, out, _ = run(capsys, "check", EXAMPLE, "--previous", tmp_path / "missing.md", "--format", "json", "--lang", "en")
    [finding] = [f for f in json.loads(out)["files"][0]["findings"] if f["code"] == "previous-unreadable"]
    assert "file not found" in finding["message"] and "文件不存在" not in finding["message"]


def test_the_filter_in_process_copes_with_nesting_too():
    from gkreport.filters.gk_check import main as filter_main

    import contextlib

    from gkreport.services.deepstack import run_deep

    source = subprocess.run(["pandoc", "-f", "markdown", "-t", "json"], input=_deep_markdown(400), capture_output=True, text=True, env=ENV).stdout
    doc = run_deep(pf.load, io.StringIO(source))  # a caller holding such a document loaded it on a deep stack
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        filter_main(doc)  # on this thread's ordinary stack
    assert "嵌套" not in err.getvalue() and "识别 3 张表" in err.getvalue()
    assert "gk-deduced" in run_deep(lambda: json.dumps(doc.to_json()))
