"""Fuzzing the filter (issue 11): whatever surrounds our table and however its figures are written,
the document is unchanged outside the table and every figure the author wrote is in the output.

Each example is a Markdown document of random prose (headings, paragraphs, lists, code, quotes;
no ``|``, which would make a paragraph a candidate flattened table) around table 三 whose cells are
written as clerks write them: plain, full-width, with thousands separators, with a footnote mark, a
correction struck out, a link, or a blank mark.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import random
import subprocess
from collections import Counter
from pathlib import Path

import panflute as pf
from gkreport.filters.gk_check import main
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from gkreport.testing.values import consistent_requests, pipe_requests

from gkreport.readers.pandoc import grid_from_panflute

REPO = Path(__file__).resolve().parent.parent
ENV = dict(os.environ, PATH=str(REPO / ".venv" / "bin") + os.pathsep + os.environ["PATH"])

words = st.text(alphabet=st.sampled_from(list("政府信息公开工作年度报告本机关收到申请件予以部分不") + list("abc xyz 0123456789,.;()")), min_size=1, max_size=40)
prose_block = st.one_of(
    words.map(lambda w: f"# {w.strip() or 'x'}"),
    words.map(lambda w: w.strip() or "x"),
    st.lists(words, min_size=1, max_size=3).map(lambda items: "\n".join(f"- {i.strip() or 'x'}" for i in items)),
    words.map(lambda w: f"```\n{w}\n```"),
    words.map(lambda w: f"> {w.strip() or 'x'}"),
)


def written_forms(value: int) -> st.SearchStrategy[str]:
    plain = str(value)
    return st.sampled_from([
        plain,
        plain.translate(str.maketrans("0123456789", "０１２３４５６７８９")),
        f"{value:,}",
        f"{plain}^1^",
        f"~~{value + 1}~~ {plain}",
        f"[{plain}](http://example.org/{plain})",
    ])


@st.composite
def documents(draw):
    values = consistent_requests(random.Random(draw(st.integers(0, 10_000))))
    cells = list(values)
    chosen = draw(st.lists(st.sampled_from(cells), max_size=12, unique=True))
    replace = {cell: draw(written_forms(values[cell])) for cell in chosen}
    for cell in draw(st.lists(st.sampled_from([c for c in cells if c[1] == "total"]), max_size=4, unique=True)):
        replace[cell] = draw(st.sampled_from(["", "—", "/", "-"]))
    before = draw(st.lists(prose_block, max_size=4))
    after = draw(st.lists(prose_block, max_size=4))
    table = pipe_requests(values, replace=replace)
    return "\n\n".join(["---\nyear: 2024\n---", *before, "# 三、收到和处理政府信息公开申请情况", table, *after]) + "\n", replace


def _json(markdown: str) -> str:
    return subprocess.run(["pandoc", "-f", "markdown", "-t", "json"], input=markdown, capture_output=True, text=True, env=ENV, check=True).stdout


def _cell_texts(table) -> Counter:
    return Counter(cell.text for row in grid_from_panflute(table) for cell in row)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(documents())
def test_filter_changes_only_our_table_and_keeps_every_written_figure(example):
    markdown, _ = example
    source = json.loads(_json(markdown))
    doc = pf.load(io.StringIO(json.dumps(source)))
    with contextlib.redirect_stderr(io.StringIO()) as err:
        main(doc)
    output = json.loads(json.dumps(doc.to_json()))
    assert "internal error" not in err.getvalue()
    assert "错误 0 个" in err.getvalue(), err.getvalue()  # every figure read as the number it is: the table balances
    before = [b for b in source["blocks"] if b["t"] != "Table"]
    after = [b for b in output["blocks"] if b["t"] != "Table"]
    assert after == before  # nothing outside our table changes
    [table] = [e for e in doc.content if isinstance(e, pf.Table)]
    written = _written_texts(markdown)
    kept = _cell_texts(table)
    missing = Counter(written) - kept
    assert not missing, missing  # every figure written (formatting and all) is in the official table
    literal = []
    table.walk(lambda e, d: literal.append(e.text) if isinstance(e, pf.Str) and any(m in e.text for m in ("^", "~", "](")) else None)
    assert not literal, literal  # the formatting is formatting again, not Markdown shown as text


def _written_texts(markdown: str) -> list[str]:
    """What the source table holds, cell by cell, as the filter reads it (figures only, not labels or blanks)."""
    from gkreport.values import parse_cell

    doc = pf.load(io.StringIO(_json(markdown)))
    [table] = [e for e in doc.content if isinstance(e, pf.Table)]
    texts = [cell.text for row in grid_from_panflute(table)[1:] for cell in row[1:]]
    return [t for t in texts if parse_cell(t).state == "given"]
