"""The IPython extension, driven through a real InteractiveShell, and the example notebook."""

from __future__ import annotations

import functools
import os
import random
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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
    run(ip, "-o empty", body)
    assert not ip.user_ns["empty"].errors and ip.user_ns["empty"].values[("handled_total", "total")] == 0


def test_gkcheck_session_and_file(ip, repo_root):
    run(ip, "", pipe_requests(VALUES, replace={("granted", "natural"): str(VALUES[("granted", "natural")] + 10)}))
    with capture_output() as captured:
        ip.run_line_magic("gkcheck", "")
    assert "suspect-cell" in captured.outputs[0].data["text/plain"]
    with capture_output() as captured:
        ip.run_line_magic("gkcheck", str(repo_root / "examples" / "report.md"))
    assert "values-computed" in captured.outputs[0].data["text/plain"]
    with capture_output() as captured:
        ip.run_line_magic("gkcheck", str(repo_root / "examples" / "report.md") + " --verbose")
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
    # %gkcheck names the cell (its execution count) each table came from
    counts = {source.split()[1]: c.execution_count for c in notebook.cells if (source := c.source).startswith("%%gkreport")}
    [check] = [c for c in notebook.cells if c.source.strip() == "%gkcheck"]
    text = check.outputs[0]["data"]["text/plain"]
    for table, name in (("active", "表二(主动公开)"), ("requests", "表三(依申请公开)"), ("appeals", "表四(复议诉讼)")):
        assert f"{name}（单元格 [{counts[table]}]）" in text, (table, counts, text)


def test_notebook_becomes_a_docx_with_official_tables(repo_root, tmp_path, capsys):
    from gkreport.cli import main

    out = tmp_path / "report.docx"
    assert main(["build", str(repo_root / "examples" / "report.ipynb"), "-o", str(out)]) == 0
    xml = zipfile.ZipFile(out).read("word/document.xml").decode()
    tables = re.findall(r"<w:tbl>.*?</w:tbl>", xml, re.DOTALL)
    assert len(tables) == 3
    requests = tables[1]
    assert re.search(r'<w:gridSpan w:val="7"\s*/>', requests) and re.search(r'<w:vMerge w:val="restart"\s*/>', requests)
    texts = re.findall(r"<w:t[^>]*>([^<]*)</w:t>", requests)
    assert "66" in texts  # 本年新收/总计, left blank in the notebook
    core = zipfile.ZipFile(out).read("docProps/core.xml").decode()
    title = re.search(r"<dc:title>(.*)</dc:title>", core).group(1)  # the raw metadata cell (the title block breaks it in two lines)
    assert title.replace(" ", "") == "2024年XX区XX局政府信息公开工作年度报告"
    assert "suspect-cell" in capsys.readouterr().err


def test_errors_come_first_and_the_fills_are_one_line_unless_verbose(ip):
    blanks = {(r, "total"): "" for r in {cell[0] for cell in VALUES}}
    body = pipe_requests(VALUES, replace=blanks | {("granted", "natural"): str(VALUES[("granted", "natural")] + 10)})
    data = run(ip, "requests", body)
    items = re.findall(r'<li class="gk-(\w+)"', data["text/html"])
    assert items[0] == "error" and items == sorted(items, key=["error", "warning", "info"].index)
    assert data["text/html"].count("value-deduced") == 0 and data["text/html"].count("values-computed") == 1
    assert "--verbose" in data["text/plain"]
    verbose = run(ip, "requests --verbose", body)
    listed = re.findall(r'<li class="gk-(\w+)"[^>]*>([^<]*)</li>', verbose["text/html"])
    assert listed[0][0] == "error" and sum("value-deduced" in text for _, text in listed) >= 10


def test_a_typo_in_a_sparse_cell_is_one_error_with_the_closest_name(ip):
    run(ip, "appeals -o typo", "复义: {结果维持: 1, 尚未审结: 1}\n直接起诉: {结果维持: 1}")
    [error] = ip.user_ns["typo"].errors
    assert error.code == "unknown-name" and "是否指“复议”" in error.message()
    run(ip, "appeals -o twin", "复议: {结果维持: 1, 尚未审结: 1}\n直接起诉: {结果维持: 1}")
    assert not ip.user_ns["twin"].errors and ip.user_ns["twin"].values[("cases", "reconsideration_total")] == 2


@pytest.mark.parametrize("line, hint", [("appels", "是否指“appeals”"), ("appeals --fromat 2019", "是否指“--format”"), ("appeals --lang en --verbse", "did you mean “--verbose”")])
def test_an_unknown_table_or_option_names_the_closest(ip, line, hint):
    with pytest.raises(UsageError, match=hint):
        ip.run_cell_magic("gkreport", line, "复议维持: 1")


# ---------------------------------------------------------------- completion, help, next cell, %gkcheck's cells


def complete(ip, text: str) -> list:
    """What Tab offers at the end of ``text`` (a whole cell), through IPython's own completer."""
    from IPython.core.completer import provisionalcompleter

    with provisionalcompleter():
        return list(ip.Completer.completions(text, len(text)))


def offered(text: str) -> list[str]:
    """The matcher alone (fast enough to try every name), on a cell whose cursor is at the end."""
    from gkreport.kernels_ext.completion import gkreport_matcher
    from IPython.core.completer import CompletionContext

    lines = text.split("\n")
    context = CompletionContext(token="", full_text=text, cursor_position=len(lines[-1]), cursor_line=len(lines) - 1, limit=None)
    return [c.text for c in gkreport_matcher(context)["completions"]]


@functools.cache
def to_traditional():
    import opencc

    return opencc.OpenCC("s2t")


def traditional(text: str) -> str:
    return to_traditional().convert(text)


def spec_row_names(row) -> set[str]:
    return {n for n in (row.short, row.label, *row.aliases) if n}


@pytest.mark.parametrize("fmt", ["2021", "2019"])
@pytest.mark.parametrize("table", ["active", "requests"])
def test_every_row_and_column_name_is_reachable_by_a_prefix(table, fmt):
    from gkreport.spec import spec_for

    spec = spec_for(table, fmt)
    head = f"%%gkreport {table} --format {fmt}\n"
    for row in spec.rows:
        for name in spec_row_names(row):
            for prefix in {name[:2], traditional(name[:2])}:
                assert name in offered(head + prefix), (name, prefix)
        for column in spec.columns_of(row):
            for name in {n for n in (column.short, column.label, *column.aliases) if n}:
                for prefix in {name[:1], traditional(name[:2])}:
                    for line in (f"{row.short}: {{{prefix}", f"{row.short}.{prefix}", f"{row.short}: {{x: 1, {prefix}", f"{row.short},{prefix}"):
                        assert name in offered(head + line), (row.short, name, line)


def test_every_appeals_group_and_result_is_reachable():
    from gkreport.spec import APPEALS_GROUPS, APPEALS_LEAVES

    head = "%%gkreport appeals\n"
    for _, label, short in APPEALS_GROUPS:
        for name in (short, label.split(" / ")[-1]):
            assert name in offered(head + name[:2]) and name in offered(head + traditional(name[:2])), name
        for _, leaf_label, leaf in APPEALS_LEAVES:
            assert short + leaf in offered(head + short[:2]), short + leaf
            for result in (leaf, leaf_label):
                assert result in offered(f"{head}{short}: {{{result[:1]}"), (short, result)
                assert result in offered(f"{head}{short}.{traditional(result[:2])}"), (short, result)


def test_columns_are_those_of_the_row():
    # table 二: 行政许可 has only 处理决定; 规章 has no 处理决定
    assert offered("%%gkreport active --format 2021\n行政许可: {") == ["处理决定", "本年处理决定数量", "处理决定数量", "decisions"]
    assert "处理决定" not in offered("%%gkreport active\n规章: {")
    assert offered("%%gkreport requests\n不存在的行: {") == []


def test_tab_in_a_real_shell_completes_names_not_python(ip):
    [table] = complete(ip, "%%gkreport re")
    assert (table.text, table.start, table.end) == ("requests", 11, 13)  # not %recall
    [granted] = complete(ip, "%%gkreport requests\n予以")
    assert (granted.text, granted.start, granted.end) == ("予以公开", 20, 22)
    [secret] = complete(ip, "%%gkreport requests\n國家")  # a Traditional prefix, replaced by the Simplified name
    assert secret.text == "国家秘密" and secret.start == 20
    assert [c.text for c in complete(ip, "%%gkreport requests --format 20")] == ["2021", "2019"]
    assert "--year" in [c.text for c in complete(ip, "%%gkreport requests --y")]
    assert "appeals" not in [c.text for c in complete(ip, "%%gkreport requests ")]  # one table per cell
    assert [c.text for c in complete(ip, "%%gkreport --lang ")] == ["zh", "en"]
    assert [c.text for c in complete(ip, "%%gkreport requests\n1.属")] == ["1.属于国家秘密"]
    assert "print" in [c.text for c in complete(ip, "x = 1\nprin")]  # other cells keep Python's completions


def test_help_is_chinese_and_complete(ip):
    with capture_output() as captured:
        ip.run_cell("%%gkreport?")
    text = captured.stdout
    assert "%%gkreport [表] [选项]" in text and "用法" in text and "gkreport_cell" not in text
    options = text.split("\n选项\n")[1].split("正文的三种写法")[0]
    for option in ("表", "--year", "--format", "-o, --output", "--lang", "--expand"):  # each explained on its own line
        assert re.search(rf"^  {re.escape(option)} +\S", options, re.MULTILINE), option
    for table in ("active", "requests", "appeals"):
        assert table in options, table
    assert "稀疏形式" in text and "管道表" in text and "CSV" in text
    # Shift+Tab asks the kernel to inspect a name: both magics answer with the same help
    assert "用法" in ip.object_inspect_text("%gkreport") and "用法" in ip.object_inspect_text("%%gkreport")


def test_the_examples_of_the_help_are_tables_the_magic_reads(ip):
    from gkreport.kernels_ext.help import magic_help

    examples = re.findall(r"( +)%%gkreport requests\n((?:\1[^ ].*\n)+)", magic_help("zh"))
    assert len(examples) == 3 and examples == re.findall(r"( +)%%gkreport requests\n((?:\1[^ ].*\n)+)", magic_help("en"))
    for indent, body in examples:
        lines = [line[len(indent):] for line in body.splitlines()]
        result = run(ip, "requests -o example", "\n".join(lines))
        assert ip.user_ns["example"].table == "requests" and not ip.user_ns["example"].errors, result


@pytest.mark.parametrize("cell, language, names", [
    ("%%gkreport requests?", "zh", ["一、本年新收政府信息公开申请数量", "予以公开", "法律服务机构", "3.其他"]),
    ("%%gkreport 三 --format 2019?", "zh", ["(六)其他处理", "其他处理"]),
    ("%%gkreport appeals --lang en?", "en", ["复议后起诉", "尚未审结", "Usage"]),
    ("%gkreport --help active", "zh", ["行政事业性收费", "收费金额", "本年收费金额(单位:万元)"]),
])
def test_help_for_a_table_lists_its_names(ip, cell, language, names):
    with capture_output() as captured:
        assert ip.run_cell(cell).success
    text = captured.stdout
    assert ("Usage" in text) == (language == "en") and ("用法" in text) == (language == "zh")
    for name in names:
        assert name in text, name
    if "2019" in cell:
        assert "3.其他" not in text  # the 2019 table 三 has a single (六) row


def test_new_puts_the_skeleton_in_the_next_cell(ip):
    with capture_output() as captured:
        ip.run_line_magic("gkreport", "--new 四")
    assert captured.stdout.startswith("%%gkreport appeals\n")
    assert ip.rl_next_input == captured.stdout  # set_next_input: JupyterLab makes it the next cell


def test_gkcheck_names_the_cell_of_each_table(ip):
    wrong = pipe_requests(VALUES, replace={("granted", "natural"): str(VALUES[("granted", "natural")] + 10)})
    appeals = ip.run_cell("%%gkreport appeals\n复议: {维持: 1}", store_history=True)
    requests = ip.run_cell("%%gkreport requests\n" + wrong, store_history=True)
    first = appeals.execution_count  # the number the prompt shows
    assert appeals.success and requests.success and requests.execution_count == first + 1
    with capture_output() as captured:
        ip.run_line_magic("gkcheck", "")
    text = captured.outputs[0].data["text/plain"]
    html = captured.outputs[0].data["text/html"]
    assert f"表四(复议诉讼)（单元格 [{first}]）" in text
    assert f"表三(依申请公开)（单元格 [{first + 1}]）" in text and "suspect-cell" in text
    assert text.index(f"[{first}]") < text.index(f"[{first + 1}]")
    assert html.count('class="gk-source"') == len(ip.magics_manager.registry["GkMagics"].tables)


# ---------------------------------------------------------------- export routes other than gk build (what the README says)


@pytest.fixture(scope="module")
def executed_notebook(tmp_path_factory):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    folder = tmp_path_factory.mktemp("export")
    notebook = nbformat.read(Path(__file__).resolve().parent.parent / "examples" / "report.ipynb", as_version=4)
    nbclient.NotebookClient(notebook, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(folder)}}).execute()
    path = folder / "report.ipynb"
    nbformat.write(notebook, path)
    return path


def docx_tables(path: Path) -> int:
    return len(re.findall(r"<w:tbl>", zipfile.ZipFile(path).read("word/document.xml").decode()))


def tool(*command: str, cwd: Path) -> subprocess.CompletedProcess:
    bin_dir = Path(sys.executable).parent
    env = dict(os.environ, PATH=f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    done = subprocess.run([str(bin_dir / command[0]), *command[1:]], cwd=cwd, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    return done


def test_nbconvert_markdown_then_pandoc(executed_notebook):
    folder = executed_notebook.parent
    # as is: nbconvert writes the HTML representation, which pandoc keeps as raw HTML and drops from a
    # DOCX; at most what gk-check reads back from the fragments' text is left, never the three tables
    tool("jupyter", "nbconvert", "--to", "markdown", "--output", "as-is", executed_notebook.name, cwd=folder)
    tool("pandoc", "as-is.md", "--filter", "gk-check", "-o", "as-is.docx", cwd=folder)
    assert "<table" in (folder / "as-is.md").read_text(encoding="utf-8") and docx_tables(folder / "as-is.docx") < 3
    # the Markdown representation first, inputs left out: the grid tables, which gk-check checks
    tool("jupyter", "nbconvert", "--to", "markdown", "--no-input", "--NbConvertBase.display_data_priority=text/markdown",
         "--NbConvertBase.display_data_priority=text/plain", "--output", "tables", executed_notebook.name, cwd=folder)
    checked = tool("pandoc", "tables.md", "--filter", "gk-check", "-o", "tables.docx", cwd=folder)
    assert docx_tables(folder / "tables.docx") == 3 and "suspect-cell" in checked.stderr
    assert (folder / "tables.md").read_text(encoding="utf-8").startswith("---\ntitle: 2024年XX区XX局")  # the metadata cell


def test_pandoc_reads_a_notebook_without_tables(executed_notebook):
    folder = executed_notebook.parent
    tool("pandoc", executed_notebook.name, "--filter", "gk-check", "-o", "direct.docx", cwd=folder)
    assert docx_tables(folder / "direct.docx") == 0  # pandoc takes the plain-text representation


@settings(max_examples=300, deadline=None)
@given(
    first=st.sampled_from(["%%gkreport", "%%gkreport requests", "%%gkreport appeals --format", "%%gkreport 二 --year 20", "x = 1"]),
    body=st.text(alphabet=st.sampled_from(list("新收予以公开复议维持.,:{}|-? \n1国家秘密()（一）、") + ["\t", "“"]), max_size=40),
)
def test_the_matcher_never_fails_and_only_completes_what_was_typed(first, body):
    text = first + body
    completions = offered(text)
    lines = text.split("\n")
    if not lines[0].startswith("%%gkreport"):
        assert completions == []
    from gkreport.kernels_ext.help import help_request

    help_request(text.split("\n")[0])  # never raises either
