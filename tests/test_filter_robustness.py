"""Filter robustness: failures leave the document as it came, strict mode, stderr, pre-scan.

Each test states what the filter must do in a case that once went wrong: an internal error
after a first table was replaced, strict mode with an internal error, a text-only stderr, a
table flattened with full-width bars, a ``|`` that only sits in code.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import random
import subprocess
import sys
from pathlib import Path

import panflute as pf
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from gkreport.testing.values import consistent_requests

import gkreport.services.document as render  # the filter's pipeline, which calls render_official
from gkreport.filters.gk_check import main
from gkreport.spec import spec_for

REPO = Path(__file__).resolve().parent.parent
ENV = dict(os.environ, PATH=str(REPO / ".venv" / "bin") + os.pathsep + os.environ["PATH"])


def _json(markdown: str) -> bytes:
    return subprocess.run(["pandoc", "-f", "markdown", "-t", "json"], input=markdown.encode(), capture_output=True, env=ENV).stdout


def _example() -> str:
    return _json((REPO / "examples" / "report.md").read_text(encoding="utf-8")).decode()


@pytest.fixture
def second_render_fails(monkeypatch):
    original, calls = render.render_official, []

    def flaky(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("boom")
        return original(*args, **kwargs)

    monkeypatch.setattr(render, "render_official", flaky)


def test_internal_error_leaves_the_document_as_it_came(second_render_fails):
    source = _example()
    doc = pf.load(io.StringIO(source))
    with contextlib.redirect_stderr(io.TextIOWrapper(io.BytesIO(), encoding="utf-8")):
        main(doc)
    assert json.loads(json.dumps(doc.to_json()))["blocks"] == json.loads(source)["blocks"]


def test_internal_error_in_strict_mode_exits_1(second_render_fails, monkeypatch):
    monkeypatch.setenv("GK_CHECK_STRICT", "1")
    with pytest.raises(SystemExit) as exit_, contextlib.redirect_stderr(io.TextIOWrapper(io.BytesIO(), encoding="utf-8")):
        main(pf.load(io.StringIO(_example())))
    assert exit_.value.code == 1


def assert_no_internal_error(messages: str) -> None:
    """The filter swallows its own failures (the document goes on as written): a test that only
    checks nothing escaped would pass with a checker that fails on every input."""
    assert "internal-error" not in messages and "internal error" not in messages, messages


def test_text_only_stderr():
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        main(pf.load(io.StringIO(_example())))
    assert "gk-check：识别 3 张表" in err.getvalue()
    assert_no_internal_error(err.getvalue())


@pytest.mark.parametrize("target", ["gkreport.checks.report.check_table", "gkreport.services.document.check_document"])
def test_the_robustness_tests_see_a_checker_that_raises(monkeypatch, target):
    """What the three robustness tests assert goes red when the checker raises on every input."""
    def broken(*args, **kwargs):
        raise RuntimeError("checker broken on purpose")

    module, name = target.rsplit(".", 1)
    monkeypatch.setattr(__import__(module, fromlist=[name]), name, broken)
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        main(pf.load(io.StringIO(_example())))
    with pytest.raises(AssertionError):
        assert_no_internal_error(err.getvalue())


def test_table_flattened_with_full_width_bars_is_checked_through_pandoc():
    values, spec = consistent_requests(random.Random(3)), spec_for("requests", "2021")
    lines = ["项目｜自然人｜商业企业｜科研机构｜社会公益组织｜法律服务机构｜其他｜总计"]
    lines += [row.label + "｜" + "｜".join(str(values[(row.key, c.key)]) for c in spec.columns[:-1]) + "｜" for row in spec.rows]
    source = _json("# 三、收到和处理政府信息公开申请情况\n\n" + "\n".join(lines) + "\n")
    result = subprocess.run(["gk-check", "json"], input=source, capture_output=True, env=ENV)
    assert result.returncode == 0
    assert "识别 1 张表" in result.stderr.decode()


def test_pre_scan_passes_code_with_pipes_through_untouched():
    source = _json("正文，没有表格。\n\n```python\nx = 1 | 2\n```\n")
    result = subprocess.run([sys.executable, "-c", "from gkreport.filters.gk_check import main; main()", "json"], input=source, capture_output=True, env=ENV)
    assert result.returncode == 0 and result.stdout == source


_PIECES = ["| ", " |", "\n", "|---|---|\n", "一、本年新收政府信息公开申请数量", "(一)予以公开", "自然人", "总计", "行政复议", "结果维持",
           "第二十条第(一)项", "信息内容", "规章", "?", "12", "0", "-", "```gkreport\n", "```\n", "新收: {自然人: 3}\n", "+---+---+\n", "# 三、收到\n", "****", "｜"]


@settings(max_examples=25, deadline=None)
@given(st.lists(st.sampled_from(_PIECES) | st.text(max_size=6), max_size=60).map("".join))
def test_random_markdown_never_crashes_the_filter(markdown):
    """Random Markdown through pandoc's reader, then the filter in process: no exception escapes."""
    import subprocess

    from gkreport.filters.gk_check import main
    from gkreport.readers.files import pandoc_path

    source = subprocess.run([pandoc_path(), "-f", "markdown", "-t", "json"], input=markdown.encode(), capture_output=True).stdout
    doc = pf.load(io.StringIO(source.decode()))
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        main(doc)
    assert_no_internal_error(err.getvalue())
