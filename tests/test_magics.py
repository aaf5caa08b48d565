"""The IPython extension, driven through a real InteractiveShell, and the example notebook."""

from __future__ import annotations

import random
import re
import zipfile

import pytest

pytest.importorskip("IPython")

from IPython.core.error import UsageError  # noqa: E402
from IPython.testing.globalipapp import get_ipython  # noqa: E402
from IPython.utils.capture import capture_output  # noqa: E402

from gkreport.testing.values import consistent_appeals, consistent_requests, pipe_appeals, pipe_requests  # noqa: E402


@pytest.fixture(scope="module")
def ip():
    shell = get_ipython()
    # a test shell shows only text/plain; a Jupyter kernel shows these too
    shell.display_formatter.active_types = ["text/plain", "text/html", "text/markdown"]
    shell.run_line_magic("load_ext", "gkreport")
    return shell


def run(ip, line, body):
    with capture_output() as captured:
        ip.run_cell_magic("gkreport", line, body)
    [output] = captured.outputs
    return output.data


VALUES = consistent_requests(random.Random(31))
PIPE = pipe_requests(VALUES, replace={("new", "total"): "", ("handled_total", "natural"): "?"})


def test_pipe_table_one_output_with_three_representations(ip):
    data = run(ip, "requests -o t", PIPE)
    assert set(data) >= {"text/plain", "text/html", "text/markdown"}
    html = data["text/html"]
    assert html.count('<table class="gk-table"') == 1
    assert 'colspan="7"' in html and 'rowspan="3" colspan="3"' in html
    assert html.count("gk-deduced") == 2
    assert data["text/markdown"].startswith("+---") and "{.gk-deduced" in data["text/markdown"]
    assert "| 一、本年新收政府信息公开申请数量" in data["text/plain"]
    result = ip.user_ns["t"]
    assert result.table == "requests" and result.values[("new", "total")] == VALUES[("new", "total")]
    assert [f.code for f in result.findings] == ["value-deduced", "value-deduced"]


def test_every_body_form(ip):
    grid = ip.user_ns["t"].to_markdown()
    assert run(ip, "-o g", grid) and ip.user_ns["g"].values == ip.user_ns["t"].values
    run(ip, "appeals -o a", pipe_appeals(consistent_appeals(random.Random(2))))
    assert ip.user_ns["a"].table == "appeals" and not ip.user_ns["a"].errors
    run(ip, "-o s", "新收: {自然人: 3}\n予以公开.自然人: 3\n")
    assert ip.user_ns["s"].table == "requests" and ip.user_ns["s"].values[("handled_total", "total")] == 3
    run(ip, "-o c", "row,column,value\n新收,自然人,2\n部分公开,自然人,2\n")
    assert ip.user_ns["c"].values[("partial", "total")] == 2
    run(ip, "active -o d", "行政许可: 2149\n行政事业性收费: 0.5")
    assert ip.user_ns["d"].values[("licensing", "decisions")] == 2149


def test_year_and_format_options(ip):
    run(ip, "requests --year 2020 -o y", "新收: {自然人: 1}\n其他处理: {自然人: 1}")
    assert ip.user_ns["y"].format == "2019"
    run(ip, "appeals --format 2019 -o f", "复议维持: 1")
    assert ip.user_ns["f"].format == "2019"


def test_wrong_cell_is_highlighted_with_its_message(ip):
    body = pipe_requests(VALUES, replace={("granted", "natural"): str(VALUES[("granted", "natural")] + 10)})
    data = run(ip, "--lang en -o w", body)
    cells = re.findall(r'<td class="([^"]*gk-error[^"]*)"[^>]*title="([^"]*)"', data["text/html"])
    assert len(cells) == 1 and "most likely wrong cell" in cells[0][1]
    assert '<ul class="gk-findings"' in data["text/html"]
    assert any(f.code == "suspect-cell" for f in ip.user_ns["w"].errors)


def test_text_is_escaped_in_html(ip):
    data = run(ip, "requests", "新收: {自然人: '<b>x</b>'}")
    assert "<b>x</b>" not in data["text/html"] and "&lt;b&gt;x&lt;/b&gt;" in data["text/html"]


def test_no_variable_expansion_unless_asked(ip):
    ip.user_ns["n"] = 5
    run(ip, "-o plain", "新收: {自然人: '{n}'}")
    assert ip.user_ns["plain"].errors  # "{n}" is not a number
    run(ip, "--expand -o expanded", "新收.自然人: $n\n予以公开.自然人: 5")
    assert ip.user_ns["expanded"].values[("new", "natural")] == 5


@pytest.mark.parametrize(
    "line, body, message",
    [
        ("requests", "", "empty"),
        ("bogus", "新收: {自然人: 1}", "未知的表"),
        ("appeals", PIPE, "不是 appeals"),
        ("--format 2018", "新收: 1", "invalid choice"),
        ("", "| a | b |\n|---|---|\n| 1 | 2 |\n", "无法识别"),
    ],
)
def test_wrong_bodies_and_options_are_short_messages(ip, line, body, message):
    with pytest.raises(UsageError, match=message):
        ip.run_cell_magic("gkreport", line, body)


def test_new_prints_the_sparse_skeleton(ip):
    with capture_output() as captured:
        ip.run_line_magic("gkreport", "--new requests")
    text = captured.stdout
    assert text.startswith("%%gkreport requests\n")
    body = text.split("\n", 1)[1]
    result = run(ip, "-o empty", body)
    assert not ip.user_ns["empty"].errors and ip.user_ns["empty"].values[("handled_total", "total")] == 0


def test_gkcheck_session_and_file(ip, repo_root):
    run(ip, "", pipe_requests(VALUES, replace={("granted", "natural"): str(VALUES[("granted", "natural")] + 10)}))
    with capture_output() as captured:
        ip.run_line_magic("gkcheck", "")
    assert "suspect-cell" in captured.outputs[0].data["text/plain"]
    with capture_output() as captured:
        ip.run_line_magic("gkcheck", str(repo_root / "examples" / "report.md"))
    assert "value-deduced" in captured.outputs[0].data["text/plain"]
    with pytest.raises(UsageError):
        ip.run_line_magic("gkcheck", "/nonexistent.md")


def test_to_dataframe_needs_pandas_only_when_called(ip):
    result = ip.user_ns["t"]
    try:
        import pandas  # noqa: F401
    except ImportError:
        with pytest.raises(ImportError, match="pandas"):
            result.to_dataframe()
    else:
        assert result.to_dataframe().shape == (25, 7)


def test_example_notebook_executes_without_error(repo_root, tmp_path):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    notebook = nbformat.read(repo_root / "examples" / "report.ipynb", as_version=4)
    nbclient.NotebookClient(notebook, timeout=120, kernel_name="python3", allow_errors=False, resources={"metadata": {"path": str(tmp_path)}}).execute()
    html = [o["data"]["text/html"] for c in notebook.cells if c.cell_type == "code" for o in c.outputs if "text/html" in o.get("data", {})]
    tables = [h for h in html if "gk-table" in h]
    assert len(tables) == 3
    assert sum("gk-error" in h for h in tables) == 1
    assert all("gk-deduced" in h for h in tables[1:])


def test_notebook_becomes_a_docx_with_official_tables(repo_root, tmp_path, capsys):
    from gkreport.cli import main

    out = tmp_path / "report.docx"
    assert main(["build", str(repo_root / "examples" / "report.ipynb"), "-o", str(out)]) == 0
    xml = zipfile.ZipFile(out).read("word/document.xml").decode()
    tables = re.findall(r"<w:tbl>.*?</w:tbl>", xml, re.S)
    assert len(tables) == 3
    requests = tables[1]
    assert re.search(r'<w:gridSpan w:val="7"\s*/>', requests) and re.search(r'<w:vMerge w:val="restart"\s*/>', requests)
    texts = re.findall(r"<w:t[^>]*>([^<]*)</w:t>", requests)
    assert "66" in texts  # 本年新收/总计, left blank in the notebook
    assert "suspect-cell" in capsys.readouterr().err
