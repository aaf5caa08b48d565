"""The gk-check pandoc filter: golden files, strict mode, options, idempotence, robustness."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import zipfile
from pathlib import Path

import panflute as pf
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gkreport.filters.gk_check import main

GOLDEN = Path(__file__).parent / "golden"
CASES = sorted(p.stem for p in GOLDEN.glob("*.md") if not p.name.endswith(".expected.md"))
UPDATE = os.environ.get("GK_UPDATE_GOLDEN") == "1"


def run_pandoc(*args, input_text=None, env_extra=None):
    env = dict(os.environ)
    env["PATH"] = str(Path(__file__).resolve().parent.parent / ".venv" / "bin") + os.pathsep + env["PATH"]
    env.update(env_extra or {})
    return subprocess.run(["pandoc", *args], input=input_text, capture_output=True, env=env)


def to_json(markdown_path: Path) -> str:
    return run_pandoc(str(markdown_path), "-t", "json").stdout.decode()


def filtered(doc_json: str) -> tuple[pf.Doc, str]:
    """Run the filter in process; returns the document and what it wrote to stderr."""
    import contextlib
    import sys

    doc = pf.load(io.StringIO(doc_json))
    err = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    with contextlib.redirect_stderr(err):
        main(doc)
        sys.stderr.flush()
    err.seek(0)
    return doc, err.read()


def dump(doc: pf.Doc) -> str:
    out = io.StringIO()
    pf.dump(doc, out)
    return out.getvalue()


@pytest.mark.parametrize("case", CASES)
def test_golden(case):
    source = GOLDEN / f"{case}.md"
    result = run_pandoc(str(source), "--filter", "gk-check", "-t", "markdown")
    assert result.returncode == 0, result.stderr.decode()
    output, messages = result.stdout.decode(), result.stderr.decode()
    expected_md, expected_txt = GOLDEN / f"{case}.expected.md", GOLDEN / f"{case}.expected.txt"
    if UPDATE:
        expected_md.write_text(output, encoding="utf-8")
        expected_txt.write_text(messages, encoding="utf-8")
    missing = [p.name for p in (expected_md, expected_txt) if not p.exists()]
    assert not missing, f"no expected output {missing}: look at the output, then write it with GK_UPDATE_GOLDEN=1"
    assert output == expected_md.read_text(encoding="utf-8")
    assert messages == expected_txt.read_text(encoding="utf-8")


@pytest.mark.parametrize("case", CASES)
def test_idempotent(case):
    first, first_messages = filtered(to_json(GOLDEN / f"{case}.md"))
    once = dump(first)
    second, second_messages = filtered(once)
    assert dump(second) == once
    assert _findings_but_form(second_messages) == _findings_but_form(first_messages)


def _findings_but_form(messages: str) -> list[str]:
    """Finding lines, less the note that a flattened table's header was illegible: once the first
    run has laid the table out officially, its header is legible and that note no longer applies."""
    lines = [line for line in messages.splitlines() if "placed-by-position" not in line]
    return [re.sub(r"提示 \d+ 个，", "", line) for line in lines]


def test_unrelated_table_and_text_pass_through_untouched():
    source = to_json(GOLDEN / "unrelated.md")
    doc, messages = filtered(source)
    assert json.loads(dump(doc))["blocks"] == json.loads(source)["blocks"]
    assert "识别 0 张表" in messages


def test_document_without_candidates_is_returned_byte_for_byte(tmp_path):
    source = run_pandoc("-f", "markdown", "-t", "json", input_text="# 标题\n\n正文，没有表格。\n".encode()).stdout
    env = dict(os.environ, PATH=str(Path(__file__).resolve().parent.parent / ".venv" / "bin") + os.pathsep + os.environ["PATH"])
    result = subprocess.run(["gk-check", "docx"], input=source, capture_output=True, env=env)
    assert result.returncode == 0
    assert result.stdout == source


def test_wrong_cell_is_named_on_stderr():
    result = run_pandoc(str(GOLDEN / "wrong_cell.md"), "--filter", "gk-check", "-t", "docx", "-o", os.devnull)
    messages = result.stderr.decode()
    assert result.returncode == 0
    assert "最可能出错的单元格：行“(三)不予公开 / 5.属于三类内部事务信息”列“自然人”，填写 44，应为 34" in messages
    assert messages.splitlines()[-1].startswith("gk-check：识别 1 张表，错误 3 个")


def test_strict_mode_fails_pandoc_and_writes_nothing(tmp_path):
    source = tmp_path / "strict.md"
    text = (GOLDEN / "wrong_cell.md").read_text(encoding="utf-8").replace("year: 2024", "year: 2024\ngk-check:\n  strict: true")
    source.write_text(text, encoding="utf-8")
    out = tmp_path / "out.docx"
    result = run_pandoc(str(source), "--filter", "gk-check", "-o", str(out))
    assert result.returncode != 0
    assert not out.exists()
    assert "suspect-cell" in result.stderr.decode()


def test_strict_from_the_environment_and_clean_input_still_builds(tmp_path):
    out = tmp_path / "ok.docx"
    result = run_pandoc(str(GOLDEN / "pipe_blank_totals.md"), "--filter", "gk-check", "-o", str(out), env_extra={"GK_CHECK_STRICT": "true"})
    assert result.returncode == 0 and out.exists()
    result = run_pandoc(str(GOLDEN / "wrong_cell.md"), "--filter", "gk-check", "-o", str(out), env_extra={"GK_CHECK_STRICT": "1"})
    assert result.returncode != 0


def _with_options(path: Path, options: str) -> str:
    text = path.read_text(encoding="utf-8").replace("year: 2024", f"year: 2024\ngk-check: {{{options}}}")
    return run_pandoc("-f", "markdown", "-t", "json", input_text=text.encode()).stdout.decode()


def test_layout_keep_fills_the_table_as_written():
    doc, _ = filtered(_with_options(GOLDEN / "pipe_blank_totals.md", "layout: keep"))
    [table] = [e for e in doc.content if isinstance(e, pf.Table)]
    assert len(table.head.content) == 1  # still the author's one-row header, not the official three rows
    deduced = []
    table.walk(lambda e, d: deduced.append(pf.stringify(e)) if isinstance(e, pf.Span) and "gk-deduced" in e.classes else None)
    assert len(deduced) == 31  # the 总计 column (25) and the (七)总计 row (7) share one cell


def test_fill_false_leaves_unknowns_empty():
    doc, messages = filtered(_with_options(GOLDEN / "pipe_blank_totals.md", "fill: false"))
    spans = []
    doc.walk(lambda e, d: spans.append(e) if isinstance(e, pf.Span) else None)
    assert spans == []
    assert "推算出 31 个单元格的值" in messages  # still reported, summed up in one line
    _, messages = filtered(_with_options(GOLDEN / "pipe_blank_totals.md", "fill: false, verbose: true"))
    assert messages.count("推算为") == 26  # one by one with verbose


def test_english_messages_and_bad_option():
    doc, messages = filtered(_with_options(GOLDEN / "wrong_cell.md", "lang: en, layout: sideways"))
    assert "most likely wrong cell" in messages
    assert "option not understood" in messages and "sideways" in messages


def test_docx_of_the_example_has_the_official_merged_layout(repo_root, tmp_path):
    out = tmp_path / "report.docx"
    result = run_pandoc(str(repo_root / "examples" / "report.md"), "--filter", "gk-check", "-o", str(out))
    assert result.returncode == 0, result.stderr.decode()
    xml = zipfile.ZipFile(out).read("word/document.xml").decode()
    tables = re.findall(r"<w:tbl>.*?</w:tbl>", xml, re.S)
    assert len(tables) == 3
    requests = tables[1]
    assert '<w:gridSpan w:val="3" />' in requests or '<w:gridSpan w:val="3"/>' in requests  # corner and top-level row labels
    assert re.search(r'<w:gridSpan w:val="7"\s*/>', requests)  # 申请人情况
    assert len(re.findall(r'<w:vMerge w:val="restart"\s*/>', requests)) >= 7  # corner, 自然人, 总计, 三、, (三)…(六)
    texts = re.findall(r"<w:t[^>]*>([^<]*)</w:t>", requests)
    assert "66" in texts and "67" in texts  # 本年新收/总计 and (七)总计/总计, left blank in the source
    appeals = tables[2]
    assert re.search(r'<w:gridSpan w:val="10"\s*/>', appeals)  # 行政诉讼


# ---------------------------------------------------------------- robustness

LABEL_TEXTS = ["一、本年新收政府信息公开申请数量", "(一)予以公开", "自然人", "总计", "行政复议", "结果维持", "第二十条第(一)项", "信息内容", "规章", "?", "", "-", "12", "x"]


@st.composite
def tables(draw):
    rows = []
    for _ in range(draw(st.integers(1, 12))):
        cells = [
            pf.TableCell(pf.Plain(pf.Str(t)) if (t := draw(st.sampled_from(LABEL_TEXTS) | st.text(min_size=1, max_size=5))) else pf.Plain(),
                         rowspan=draw(st.integers(1, 3)), colspan=draw(st.integers(1, 3)))
            for _ in range(draw(st.integers(1, 9)))
        ]
        rows.append(pf.TableRow(*cells))
    return pf.Table(pf.TableBody(*rows))


@settings(max_examples=40, deadline=None)
@given(tables())
def test_random_tables_never_crash_the_filter(table):
    import contextlib

    doc = pf.Doc(pf.Para(pf.Str("前言")), table)
    before = json.dumps(table.to_json())
    err = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    with contextlib.redirect_stderr(err):
        main(doc)
    err.flush()
    messages = err.buffer.getvalue().decode()
    assert "internal-error" not in messages and "internal error" not in messages, messages
    from gkreport.readers.pandoc import grid_from_panflute
    from gkreport.recognition.grids import recognize

    if recognize(grid_from_panflute(pf.load(io.StringIO(json.dumps({"pandoc-api-version": [1, 23, 1], "meta": {}, "blocks": [json.loads(before)]}))).content[0])) is None:
        assert json.dumps(doc.content[1].to_json()) == before  # an unrecognized table is never touched
