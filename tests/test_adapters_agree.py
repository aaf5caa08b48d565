"""The command line and the filter say the same thing about the same report: the same finding
lines, the same count of values deduced (one service computes both)."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest

from gkreport.cli import main

REPO = Path(__file__).resolve().parent.parent
ENV = dict(os.environ, PATH=str(REPO / ".venv" / "bin") + os.pathsep + os.environ["PATH"])


def written(tmp_path_factory, name: str, rows: dict[str, str]) -> Path:
    """The example report with table 三 written as these rows only (label prefix -> the row's line)."""
    lines = (REPO / "examples" / "report.md").read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("| 一、本年新收"))
    end = next(i for i, line in enumerate(lines) if line.startswith("| 四、结转下年度继续办理"))
    path = tmp_path_factory.mktemp("agree") / f"{name}.md"
    path.write_text("\n".join(lines[:start] + list(rows.values()) + lines[end + 1 :]) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def wrong(tmp_path_factory) -> Path:
    """Table 三 with one total written wrong (58+7+1 = 66 written as 60)."""
    return written(tmp_path_factory, "wrong", {
        "new": "| 一、本年新收政府信息公开申请数量 | 58 | 7 | 0 | 0 | 1 | 0 | 60 |",
        "carried": "| 二、上年结转政府信息公开申请数量 | 2 | 0 | 0 | 0 | 0 | 0 |  |",
        "disclosed": "| (一)予以公开 | 59 | 7 | 0 | 0 | 1 | 0 |  |",
        "total": "| (七)总计 |  |  |  |  |  |  |  |",
        "forward": "| 四、结转下年度继续办理 | 1 | 0 | 0 | 0 | 0 | 0 |  |",
    })


@pytest.fixture(scope="module")
def truncated(tmp_path_factory) -> Path:
    """Table 三 cut to five rows that add up: every row left out is determined (0) by the rules."""
    return written(tmp_path_factory, "truncated", {
        "new": "| 一、本年新收政府信息公开申请数量 | 58 | 7 | 0 | 0 | 1 | 0 |  |",
        "carried": "| 二、上年结转政府信息公开申请数量 | 2 | 0 | 0 | 0 | 0 | 0 |  |",
        "disclosed": "| (一)予以公开 | 59 | 7 | 0 | 0 | 1 | 0 |  |",
        "total": "| (七)总计 | 59 | 7 | 0 | 0 | 1 | 0 |  |",
        "forward": "| 四、结转下年度继续办理 | 1 | 0 | 0 | 0 | 0 | 0 |  |",
    })


def filtered(path: Path, lang: str) -> tuple[str, str]:
    """The filter's output (pandoc JSON) and what it said on stderr."""
    done = subprocess.run(["pandoc", str(path), "--filter", "gk-check", "-t", "json"], capture_output=True, env=dict(ENV, GK_CHECK_LANG=lang))
    assert done.returncode == 0, done.stderr.decode()
    return done.stdout.decode("utf-8"), done.stderr.decode("utf-8")


def filter_stderr(path: Path, lang: str) -> str:
    return filtered(path, lang)[1]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_finding_lines_are_the_same_in_gk_check_and_the_filter(wrong, capsys, lang):
    main(["check", str(wrong), "--lang", lang])
    checked = {line.strip() for line in capsys.readouterr().out.splitlines() if line.startswith("  [")}
    filtered = [line for line in filter_stderr(wrong, lang).splitlines() if line.startswith("[")]
    shown = [line for line in filtered if "values-computed" not in line]
    assert shown and any("row-total-mismatch" in line for line in shown), filtered
    assert set(shown) <= checked, set(shown) - checked


def test_values_deduced_are_counted_the_same(truncated, capsys):
    main(["check", str(truncated), "--format", "json"])
    tables = json.loads(capsys.readouterr().out)["files"][0]["tables"]
    counted = sum(t["deduced"] for t in tables)
    document, stderr = filtered(truncated, "en")
    said = int(re.search(r"(\d+) deduced", stderr.strip().splitlines()[-1]).group(1))
    shown = document.count('"gk-deduced"')  # the cells the document shows as deduced
    assert counted == said == shown and counted > 0, (tables, said, shown)
