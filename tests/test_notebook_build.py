"""gk build on a notebook is as strict as the magic: every finding of every %%gkreport cell, with its number."""

from __future__ import annotations

import json
import re
import zipfile

import pytest

from gkreport.cli import main
from gkreport.services.notebook import CELL_OPTIONS, cell_parser, notebook_source

ERROR_CELL = "%%gkreport appeals\n复义: {结果维持: 1, 尚未审结: 1}\n直接起诉: {结果维持: 1}"
GOOD_CELL = "%%gkreport appeals\n复议: {结果维持: 1, 尚未审结: 1}\n直接起诉: {结果维持: 1}"


def notebook(tmp_path, *code_cells: str):
    cells = [{"cell_type": "markdown", "metadata": {}, "source": "---\nyear: 2024\n---\n\n# 四、政府信息公开行政复议、行政诉讼情况"}]
    cells += [{"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [], "source": s} for s in code_cells]
    path = tmp_path / "report.ipynb"
    path.write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}, ensure_ascii=False), encoding="utf-8")
    return path


def build(capsys, *argv):
    status = main(["build", *map(str, argv)])
    out, err = capsys.readouterr()
    return status, out, err


def appeals_row(docx_path) -> list[str]:
    xml = zipfile.ZipFile(docx_path).read("word/document.xml").decode()
    [table] = re.findall(r"<w:tbl>.*?</w:tbl>", xml, re.DOTALL)
    last_row = re.findall(r"<w:tr[ >].*?</w:tr>", table, re.DOTALL)[-1]
    return [" ".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", cell)) for cell in re.findall(r"<w:tc>.*?</w:tc>", last_row, re.DOTALL)]


def test_a_typo_in_a_cell_fails_the_strict_build_and_names_the_cell(capsys, tmp_path):
    out = tmp_path / "report.docx"
    status, _, err = build(capsys, notebook(tmp_path, ERROR_CELL), "-o", out, "--strict")
    assert status == 1 and not out.exists()
    assert "单元格 2：[错误] 表四(复议诉讼) unknown-name" in err and "是否指“复议”" in err
    assert err.count("unknown-name") == 1  # one mistake, one message


def test_without_strict_the_typo_is_reported_and_the_cells_it_may_have_meant_are_not_zeros(capsys, tmp_path):
    out = tmp_path / "report.docx"
    status, _, err = build(capsys, notebook(tmp_path, ERROR_CELL), "-o", out)
    assert status == 0 and "unknown-name" in err
    row = appeals_row(out)
    # “复义.结果维持” and “复义.尚未审结” may have meant the 结果维持 and 尚未审结 of any group not listed
    # otherwise: those cells, and the totals over them, are left blank, never written as 0
    assert row == ["", "0", "0", "", "", "1", "0", "0", "", "", "", "0", "0", "", ""]


def test_the_correct_twin_builds_with_the_figures_in_place(capsys, tmp_path):
    out = tmp_path / "report.docx"
    status, _, err = build(capsys, notebook(tmp_path, GOOD_CELL), "-o", out, "--strict")
    assert status == 0, err
    assert "单元格 2" not in err
    assert appeals_row(out) == ["1", "0", "0", "1", "2", "1", "0", "0", "0", "1", "0", "0", "0", "0", "0"]


@pytest.mark.parametrize(
    "cell, said",
    [
        ("%%gkreport appels\n复议维持: 1", "是否指“appeals”"),
        ("%%gkreport appeals --fromat 2019\n复议维持: 1", "是否指“--format”"),
        ("%%gkreport requests\n| a | b |\n|---|---|\n| 1 | 2 |\n", "无法识别为三张统计表之一"),
        ("%%gkreport requests\n", "单元格内容为空"),
    ],
)
def test_a_cell_the_magic_refuses_fails_the_strict_build_and_is_kept_as_written(capsys, tmp_path, cell, said):
    path = notebook(tmp_path, cell)
    status, _, err = build(capsys, path, "-o", tmp_path / "x.docx", "--strict")
    assert status == 1 and said in err and "单元格 2：[错误]" in err
    markdown = notebook_source(path).markdown
    assert cell.strip() in markdown and "```text" in markdown  # the source as written, not a table of zeros
    assert "+---" not in markdown


def test_the_build_reads_a_cell_line_with_the_magics_options():
    pytest.importorskip("IPython")
    from gkreport.kernels_ext.magics import GkMagics

    magic = {o for o in GkMagics.gkreport_cell.parser._option_string_actions if o not in ("-h", "--help")}
    build = {o for o in cell_parser()._option_string_actions}
    assert magic == build == set(CELL_OPTIONS)


def test_every_error_comes_first_in_the_build_output(capsys, tmp_path):
    import random

    from gkreport.testing.values import consistent_requests, pipe_requests

    truncated = "\n".join(pipe_requests(consistent_requests(random.Random(3))).splitlines()[:-1])  # a warning: missing-rows
    wrong = GOOD_CELL.replace("直接起诉: {结果维持: 1}", "直接起诉: {结果维持: 1, 总计: 5}")  # errors from gk-check
    status, _, err = build(capsys, notebook(tmp_path, "%%gkreport requests\n" + truncated, wrong, ERROR_CELL), "-o", tmp_path / "x.docx")
    lines = err.splitlines()
    assert "单元格 2：[警告] 表三(依申请公开) missing-rows" in err
    errors = [i for i, line in enumerate(lines) if "[错误]" in line[:20]]
    assert errors == list(range(len(errors))) and len(errors) >= 2, err
    assert lines[-1].startswith("gk-check：")
