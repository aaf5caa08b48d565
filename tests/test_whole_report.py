"""Checks across the report and across years: prose against tables, prose against itself,
last year's report, publication on time.  Each mismatch has a correct twin with no warning."""

from __future__ import annotations

import random

import pytest

from gkreport.cli import main
from gkreport.services.check import check_text

from gkreport.testing.values import consistent_requests, pipe_requests

VALUES = consistent_requests(random.Random(41))
NEW, CARRIED = VALUES[("new", "total")], VALUES[("carried_over", "total")]
GRANTED, PARTIAL = VALUES[("granted", "total")], VALUES[("partial", "total")]


def report(prose: str, values=VALUES, year: int = 2024) -> str:
    table = "\n".join(line for line in pipe_requests(values).splitlines() if not line.startswith("|---"))
    return f"{year}年XX局政府信息公开工作年度报告\n一、总体情况\n{prose}\n三、收到和处理政府信息公开申请情况\n{table}\n"


def codes(text: str) -> list[str]:
    return [f.code for f in check_text(text).findings if f.severity == "warning" and f.code.startswith("prose")]


@pytest.mark.parametrize(
    "sentence",
    [
        f"全年共收到政府信息公开申请{NEW}件，上年结转{CARRIED}件。",
        f"其中予以公开{GRANTED}件，部分公开{PARTIAL}件。",
        f"予以公开及部分公开{GRANTED + PARTIAL}件。",
        f"較去年增加{NEW + 5}件。",  # about another year: not compared
    ],
)
def test_prose_agreeing_with_the_table_gives_no_warning(sentence):
    assert codes(report(sentence)) == []


@pytest.mark.parametrize(
    "sentence, claim, stated, actual",
    [
        (f"全年共收到政府信息公开申请{NEW + 1}件。", "本年新收申请", NEW + 1, NEW),
        (f"上年结转{CARRIED + 2}件。", "上年结转申请", CARRIED + 2, CARRIED),
        (f"予以公开及部分公开{GRANTED + PARTIAL - 3}件。", "予以公开及部分公开", GRANTED + PARTIAL - 3, GRANTED + PARTIAL),
        (f"其中予以公开{GRANTED + 1}件。", "予以公开", GRANTED + 1, GRANTED),
        (f"全年共收到政府信息公開申請{NEW + 1}件。", "本年新收申请", NEW + 1, NEW),  # Traditional characters
    ],
)
def test_prose_contradicting_the_table_is_a_warning_quoting_both(sentence, claim, stated, actual):
    [finding] = [f for f in check_text(report(sentence)).findings if f.code == "prose-table-mismatch"]
    assert (finding.params["claim"], finding.given, finding.expected) == (claim, stated, actual)
    assert str(stated) in finding.message() and str(actual) in finding.message()


def test_stated_total_against_its_parts():
    good = "主动公开信息共计4782条，其中政府网站3506条、政务微博362条、公报2条、新媒体40条、其他872条。"
    bad = good.replace("872条", "870条")
    assert codes(report(good)) == []
    [finding] = [f for f in check_text(report(bad)).findings if f.code == "prose-parts-mismatch"]
    assert (finding.given, finding.expected) == (4782, 4780)


@pytest.mark.parametrize(
    "sentence, finding",
    [
        ("全年共公布政府信息2599条，（其中通知公告25条、政策文件68条），另有30条动态。", None),  # a selection
        ("共计3437条，包括：动态信息3000条、政策文件400条、其他37条。", None),
        ("共计3437条，包括：动态信息3000条、政策文件400条、其他36条。", (3437, 3436)),
        ("共公开信息 225 条，其中通知 200 条、公告 20 条、其他 5 条。", None),  # a space before the unit
        ("共公开信息 225 条，其中通知 200 条、公告 30 条。", (225, 230)),  # parts above the total
        ("共公布政府信息2599条，（其中政策文件2500条、其他100条）。", (2599, 2600)),
    ],
)
def test_stated_totals_in_the_forms_real_reports_use(sentence, finding):
    found = [(f.given, f.expected) for f in check_text(report(sentence)).findings if f.code == "prose-parts-mismatch"]
    assert found == ([finding] if finding else [])


def test_percentages_rounding_aware():
    handled = VALUES[("handled_total", "total")]
    share = GRANTED * 100 / handled
    rounded, truncated = f"{share:.1f}", f"{int(share * 10) / 10:.1f}"
    assert codes(report(f"予以公开{GRANTED}件，占{rounded}%。")) == []
    assert codes(report(f"予以公开{GRANTED}件，占{truncated}%。")) == []
    assert codes(report(f"予以公开{GRANTED}件，占{float(rounded) + 3:.1f}%。")) == ["prose-percentage-mismatch"]


def test_a_missing_number_in_the_prose():
    assert codes(report("全年主动公开信息  条。")) == ["prose-empty-figure"]
    assert codes(report("全年主动公开信息126条。")) == []


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_previous_year_carry_over_copied_text_and_format(tmp_path, capsys):
    import json

    last = dict(VALUES)
    this = consistent_requests(random.Random(42))
    prose = "本机关认真贯彻条例，依法做好政府信息公开工作，进一步完善制度，加强平台建设，及时回应社会关切，全年工作平稳有序开展。" * 2
    previous = write(tmp_path, "2023.txt", report(prose, last, 2023))
    current = write(tmp_path, "2024.txt", report(prose, this, 2024))
    main(["check", current, "--previous", previous, "--format", "json"])
    findings = json.loads(capsys.readouterr().out)["files"][0]["findings"]
    carry = [f for f in findings if f["code"] == "carryover-mismatch"]
    wrong_columns = {c.label for c in __import__("gkreport.spec", fromlist=["x"]).spec_for("requests", "2021").columns if this[("carried_over", c.key)] != last[("carried_forward", c.key)]}
    assert {f["column"].split(" / ")[-1] for f in carry} == wrong_columns and carry
    assert all(f["severity"] == "error" for f in carry)
    assert [f["code"] for f in findings if f["code"] == "copied-section"] == ["copied-section"]
    # the correct twin: carried over = last year's carried forward (new = last year's handled keeps it balanced)
    twin = dict(last)
    for column in ("natural", "business", "research", "nonprofit", "legal", "other_org", "total"):
        twin[("carried_over", column)] = last[("carried_forward", column)]
        twin[("new", column)] = last[("handled_total", column)]
    current = write(tmp_path, "2024b.txt", report("本年度重点推进了政务公开标准化建设，新增公开专栏三个，依申请公开全部按期答复。" * 2, twin, 2024))
    main(["check", current, "--previous", previous, "--format", "json"])
    data = json.loads(capsys.readouterr().out)["files"][0]["findings"]
    assert not [f for f in data if f["severity"] == "error"]
    assert not [f for f in data if f["code"] in ("carryover-mismatch", "copied-section", "format-changed")]


def test_in_force_drift_is_a_warning():
    from gkreport.checks.history import history_findings

    def active(in_force, issued, abolished, year):
        return check_text(
            f"{year}年XX局政府信息公开工作年度报告\n二、主动公开政府信息情况\n第二十条第(一)项 |\n信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n"
            f"规章 | 0 | 0 | 0 |\n行政规范性文件 | {issued} | {abolished} | {in_force} |\n"
        )

    last = active(20, 2, 0, 2023)
    assert history_findings(active(25, 6, 1, 2024), last) == []
    [finding] = history_findings(active(27, 6, 1, 2024), last)
    assert (finding.code, finding.severity, finding.given, finding.expected) == ("in-force-drift", "warning", 27, 25)


def test_publication_deadline_by_level(tmp_path, capsys):
    import json

    def findings(level, date):
        path = write(tmp_path, "r.md", f"---\nyear: 2024\nlevel: {level}\ndate: {date}\n---\n\n正文。\n")
        main(["check", path, "--format", "json"])
        return [f for f in json.loads(capsys.readouterr().out)["files"][0]["findings"] if f["code"] == "late-publication"]

    assert findings("department", "2025-01-31") == []
    [late] = findings("department", "2025-02-01")
    assert (late["given"], late["expected"]) == ("2025-02-01", "2025-01-31")
    assert findings("government", "2025-03-31") == []
    assert len(findings("government", "2025-04-01")) == 1


def test_filter_metadata_previous(tmp_path, repo_root):
    import os
    import subprocess

    last = consistent_requests(random.Random(43))
    write(tmp_path, "last.txt", report("上年报告。", last, 2023))
    source = write(tmp_path, "this.md", f"---\nyear: 2024\ngk-check:\n  previous: last.txt\n---\n\n{pipe_requests(VALUES)}")
    env = dict(os.environ, PATH=str(repo_root / ".venv" / "bin") + os.pathsep + os.environ["PATH"], GK_CHECK_SOURCE_DIR=str(tmp_path))
    done = subprocess.run(["pandoc", source, "--filter", "gk-check", "-t", "markdown", "-o", os.devnull], capture_output=True, env=env, cwd="/")
    assert done.returncode == 0
    assert ("carryover-mismatch" in done.stderr.decode()) == any(VALUES[("carried_over", c)] != last[("carried_forward", c)] for c in ("natural", "total"))


def test_prose_against_table_2():
    def text(sentence):
        return (
            f"2024年XX局政府信息公开工作年度报告\n一、总体情况\n{sentence}\n二、主动公开政府信息情况\n第二十条第(一)项 |\n"
            "信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n规章 | 0 | 0 | 0 |\n行政规范性文件 | 5 | 1 | 25 |\n"
            "第二十条第(五)项 |\n信息内容 | 本年处理决定数量 |\n行政许可 | 312 |\n"
        )

    assert codes(text("全年制发行政规范性文件5件，作出行政许可决定312件。")) == []
    found = [f for f in check_text(text("全年制发行政规范性文件6件，作出行政许可决定321件。")).findings if f.code == "prose-table-mismatch"]
    assert [(f.params["claim"], f.given) for f in found] == [("规范性文件", 6), ("行政许可", 321)]
