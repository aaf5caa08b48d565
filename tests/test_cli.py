"""The command line ``gk`` and the input reader.

Tests marked ``needs_engine`` check tables, so they need ``gkreport/engine.py``; they are
skipped (not weakened) while it has not landed.  Everything else — reading, encodings,
unreadable inputs, usage, exit status 2, the JSON shape of an unreadable file, internal
errors — runs without it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from gkreport import __version__
from gkreport.cli import main
from gkreport.readers.files import ReadError, decode_text, read_document, reader_for
from gkreport.spec import spec_for

HERE = Path(__file__).parent
REPO = HERE.parent
FIXTURES = HERE / "fixtures"
CLEAN = FIXTURES / "clean_2024.md"
BROKEN = FIXTURES / "broken_2024.md"  # CLEAN with (一)予以公开 / 自然人 written 41 instead of 40
REPORTS = REPO.parent / "shared" / "domain" / "reports"
SHANGHAI = REPORTS / "shanghai-gov-office-2019.html"
VENV_BIN = REPO / ".venv" / "bin"


def _engine_available() -> bool:
    try:
        import gkreport.checks.engine  # noqa: F401
    except ImportError:
        return False
    return True


needs_engine = pytest.mark.skipif(not _engine_available(), reason="ENGINE-DEPENDENT: gkreport/engine.py has not landed yet")

FILE_KEYS = {"path", "year", "format", "tables", "findings"}
FINDING_KEYS = {"code", "severity", "table", "row", "column", "given", "expected", "suspects", "message"}
SUSPECT_KEYS = {"row", "column", "given", "expected"}
SUMMARY_KEYS = {"files", "tables", "errors", "warnings", "infos", "unreadable"}


def run(capsys, *argv: str) -> tuple[int, str, str]:
    status = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return status, out, err


def run_json(capsys, *argv: str) -> tuple[int, dict, str]:
    status, out, err = run(capsys, "check", "--format", "json", *argv)
    return status, json.loads(out), err


def assert_no_traceback(*texts: str) -> None:
    for text in texts:
        assert "Traceback" not in text


# ---------------------------------------------------------------- reading (no engine needed)


def test_reader_by_extension():
    assert reader_for("a.md") == reader_for("a.markdown") == "markdown"
    assert reader_for("a.txt") == "text"  # copied plain text: gkreport.readers.textdoc, not pandoc
    assert reader_for("a.HTML") == reader_for("a.htm") == "html"
    assert reader_for("a.docx") == "docx"
    assert reader_for("a.json") == "json"
    assert reader_for("a.md", "html") == "html"
    assert reader_for("a.PDF") == "pdf"
    with pytest.raises(ReadError):
        reader_for("a.xls")


def test_reader_decodes_gb18030_and_utf8_bom(tmp_path):
    text = CLEAN.read_text(encoding="utf-8")
    gb = tmp_path / "gb.md"
    gb.write_bytes(text.encode("gb18030"))
    bom = tmp_path / "bom.md"
    bom.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    for path in (gb, bom):
        doc = read_document(path)
        assert doc.get_metadata("title") == "2024年某区示例局政府信息公开工作年度报告"
    assert decode_text("标题".encode("gb18030")) == "标题"


def test_reader_loads_pandoc_json(tmp_path):
    import io

    import panflute as pf

    doc = read_document(CLEAN)
    buffer = io.StringIO()
    pf.dump(doc, buffer)
    path = tmp_path / "doc.json"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    again = read_document(path)
    assert again.get_metadata("title") == doc.get_metadata("title")
    assert len(again.content) == len(doc.content)


@pytest.mark.parametrize(
    "name, data, kind",
    [
        ("binary.md", bytes(range(256)) * 8, "binary"),
        ("invalid.md", b"\x80\xff\xfe\xff not text", "undecodable"),
        ("foreign.json", b'{"x": 1}', "bad-json"),
        ("broken.docx", b"PK not really a zip", "pandoc-failed"),
    ],
)
def test_reader_raises_only_read_error(tmp_path, name, data, kind):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(ReadError) as caught:
        read_document(path)
    assert caught.value.kind == kind
    assert caught.value.message("zh") and caught.value.message("en")
    assert str(path) in caught.value.message("en")


def test_reader_missing_file_and_directory(tmp_path):
    with pytest.raises(ReadError) as caught:
        read_document(tmp_path / "nope.md")
    assert caught.value.kind == "missing"
    assert caught.value.message("zh").startswith("文件不存在")
    assert caught.value.message("en").startswith("file not found")
    with pytest.raises(ReadError) as caught:
        read_document(tmp_path)
    assert caught.value.kind == "not-a-file"


def test_reader_pandoc_failure_names_pandoc_error():
    with pytest.raises(ReadError) as caught:
        read_document(CLEAN, "nosuchreader")
    assert caught.value.kind == "pandoc-failed"
    assert "nosuchreader" in caught.value.message("en")


# ---------------------------------------------------------------- usage (no engine needed)


def test_no_subcommand_prints_help_and_exits_2(capsys):
    status, out, err = run(capsys)
    assert status == 2
    assert "usage: gk" in out + err
    assert "check" in out + err


def test_version(capsys):
    status, out, err = run(capsys, "--version")
    assert status == 0
    assert __version__ in out + err


@pytest.mark.parametrize("argv", [["check"], ["check", "--format", "xml", "x.md"], ["check", "--lang", "fr", "x.md"], ["nosuch"]])
def test_usage_errors_exit_2(capsys, argv):
    status, out, err = run(capsys, *argv)
    assert status == 2
    assert "usage" in err
    assert_no_traceback(out, err)


# ---------------------------------------------------------------- unreadable inputs (no engine needed)


def test_missing_file_exit_2_with_message(capsys, tmp_path):
    missing = tmp_path / "nope.md"
    status, out, err = run(capsys, "check", missing)
    assert status == 2
    assert "文件不存在" in err and str(missing) in err
    assert_no_traceback(out, err)
    status, out, err = run(capsys, "check", "--lang", "en", missing)
    assert status == 2
    assert "file not found" in err
    assert "1 file could not be read" in out


def test_missing_file_json_entry(capsys, tmp_path):
    missing = tmp_path / "nope.md"
    status, data, err = run_json(capsys, missing)
    assert status == 2
    assert set(data) == {"files", "summary"}
    [entry] = data["files"]
    assert set(entry) == FILE_KEYS | {"error"}
    assert entry["tables"] == [] and entry["findings"] == []
    assert entry["path"] == str(missing) and "文件不存在" in entry["error"]
    assert set(data["summary"]) == SUMMARY_KEYS
    assert data["summary"]["unreadable"] == 1 and data["summary"]["files"] == 1
    assert err


def test_binary_file_exit_2_never_a_traceback(capsys, tmp_path):
    binary = tmp_path / "report.md"
    binary.write_bytes(bytes(range(256)) * 64)
    invalid = tmp_path / "report.txt"
    invalid.write_bytes(b"\x80\xff" * 100)
    for path in (binary, invalid):
        status, out, err = run(capsys, "check", path)
        assert status == 2
        assert str(path) in err
        assert_no_traceback(out, err)


def test_unexpected_exception_becomes_internal_error_and_run_goes_on(capsys, monkeypatch, tmp_path):
    import types

    calls = []

    def explode(doc):
        calls.append(doc)
        raise RuntimeError("boom")

    import gkreport.services.check

    monkeypatch.setattr(gkreport.services.check, "check_model", explode)
    status, data, err = run_json(capsys, CLEAN, tmp_path / "nope.md", BROKEN)
    assert len(calls) == 2
    assert status == 2  # an unreadable input wins over error findings
    first, missing, last = data["files"]
    for entry in (first, last):
        [finding] = entry["findings"]
        assert finding["code"] == "internal-error" and finding["severity"] == "error"
        assert "boom" in finding["message"]
    assert "error" in missing
    assert_no_traceback(json.dumps(data, ensure_ascii=False), err)
    status, out, err = run(capsys, "check", CLEAN)
    assert status == 1
    assert "internal-error" in out and "boom" in out
    assert_no_traceback(out, err)


# ---------------------------------------------------------------- the console script


def _script_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env["PATH"] = f"{VENV_BIN}{os.pathsep}{env.get('PATH', '')}"
    env.update(extra)
    return env


@pytest.fixture
def gk_script():
    script = shutil.which("gk", path=str(VENV_BIN))
    if script is None:
        pytest.skip("the gk console script is not installed in .venv")
    return script


def test_console_script_missing_file_and_utf8_whatever_the_locale(gk_script, tmp_path):
    env = _script_env(LC_ALL="C", LANG="C", PYTHONIOENCODING="ascii")
    done = subprocess.run(["gk", "check", "--format", "json", tmp_path / "缺失.md"], capture_output=True, env=env, cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    stderr, stdout = done.stderr.decode("utf-8"), done.stdout.decode("utf-8")
    assert "文件不存在" in stderr
    assert_no_traceback(stdout, stderr)
    data = json.loads(stdout)
    assert data["files"][0]["path"].endswith("缺失.md")
    assert "文件不存在" in data["files"][0]["error"]
    version = subprocess.run(["gk", "--version"], capture_output=True, text=True, env=_script_env())
    assert version.returncode == 0 and __version__ in version.stdout
    bare = subprocess.run(["gk"], capture_output=True, text=True, env=_script_env())
    assert bare.returncode == 2 and "usage: gk" in bare.stdout + bare.stderr


@needs_engine
def test_console_script_checks_the_clean_report(gk_script):
    done = subprocess.run(["gk", "check", CLEAN], capture_output=True, env=_script_env(PYTHONIOENCODING="ascii"))
    stdout = done.stdout.decode("utf-8")
    assert done.returncode == 0, stdout + done.stderr.decode("utf-8", "replace")
    assert stdout.startswith(f"{CLEAN}  2024年  表二(2021) 表三(2021) 表四(2021)\n")


# ---------------------------------------------------------------- checking (ENGINE-DEPENDENT)


@needs_engine
def test_clean_report_exit_0(capsys):
    status, out, err = run(capsys, "check", CLEAN)
    assert status == 0, out
    lines = out.splitlines()
    assert lines[0] == f"{CLEAN}  2024年  表二(2021) 表三(2021) 表四(2021)"
    assert "[错误]" not in out and "[警告]" not in out
    assert lines[-1].startswith("合计：1 个文件，3 张表；错误 0，警告 0")
    assert not err


@needs_engine
def test_clean_report_json_schema(capsys):
    status, data, err = run_json(capsys, CLEAN)
    assert status == 0
    assert set(data) == {"files", "summary"}
    [entry] = data["files"]
    assert set(entry) == FILE_KEYS
    assert entry["path"] == str(CLEAN) and entry["year"] == 2024 and entry["format"] == "2021"
    tables = {t["table"]: t for t in entry["tables"]}
    assert set(tables) == {"active", "requests", "appeals"}
    for table in entry["tables"]:
        assert {"table", "format", "cells", "deduced"} <= set(table)
        assert table["format"] == "2021"
    assert tables["requests"]["cells"] == 175 and tables["appeals"]["cells"] == 15
    assert tables["active"]["cells"] == len(spec_for("active", "2021").cells) == 10
    assert not [f for f in entry["findings"] if f["severity"] == "error"]
    assert data["summary"] == {
        "files": 1,
        "tables": 3,
        "errors": 0,
        "warnings": sum(f["severity"] == "warning" for f in entry["findings"]),
        "infos": sum(f["severity"] == "info" for f in entry["findings"]),
        "unreadable": 0,
    }


@needs_engine
def test_broken_cell_exit_1_and_suspect_named(capsys):
    status, data, err = run_json(capsys, BROKEN)
    assert status == 1
    [entry] = data["files"]
    errors = [f for f in entry["findings"] if f["severity"] == "error"]
    assert errors and all(f["table"] == "requests" for f in errors)
    for finding in entry["findings"]:
        assert set(finding) == FINDING_KEYS
        for suspect in finding["suspects"]:
            assert set(suspect) == SUSPECT_KEYS
    suspects = [s for f in errors for s in f["suspects"]]
    assert suspects, errors
    named = [s for s in suspects if "予以公开" in s["row"] and s["column"] == "自然人"]
    assert named, suspects
    assert all(s["given"] == 41 and s["expected"] == 40 for s in named)
    assert data["summary"]["errors"] == len(errors) and data["summary"]["unreadable"] == 0


@needs_engine
def test_broken_text_output_lists_errors_before_infos(capsys):
    status, out, err = run(capsys, "check", BROKEN)
    assert status == 1
    lines = out.splitlines()
    assert lines[0] == f"{BROKEN}  2024年  表二(2021) 表三(2021) 表四(2021)"
    severities = [line.split("]")[0].strip() + "]" for line in lines[1:] if line.startswith("  [")]
    assert "[错误]" in severities
    infos = [i for i, s in enumerate(severities) if s == "[提示]"]
    others = [i for i, s in enumerate(severities) if s != "[提示]"]
    assert not infos or max(others) < min(infos)
    assert any("予以公开" in line and "自然人" in line for line in lines)


@needs_engine
def test_english_messages(capsys):
    status, out, err = run(capsys, "check", "--lang", "en", BROKEN)
    assert status == 1
    lines = out.splitlines()
    assert lines[0] == f"{BROKEN}  2024  table 2 (2021) table 3 (2021) table 4 (2021)"
    assert "[error] table 3 (requests)" in out
    assert "[错误]" not in out and "合计" not in out and "小计" not in out
    assert lines[-1].startswith("total: 1 file, 3 tables;")
    status, data, err = run_json(capsys, "--lang", "en", BROKEN)
    messages = [f["message"] for f in data["files"][0]["findings"]]
    assert messages
    assert not [m for m in messages if any(word in m for word in ("但各", "最可能", "应为", "空缺", "推定", "无法"))]
    assert any("expected" in m or "add up to" in m for m in messages)


@needs_engine
def test_two_files_summary(capsys):
    status, data, err = run_json(capsys, CLEAN, BROKEN)
    assert status == 1
    assert [f["path"] for f in data["files"]] == [str(CLEAN), str(BROKEN)]
    assert data["summary"]["files"] == 2 and data["summary"]["tables"] == 6


@needs_engine
def test_gb18030_report_checked_like_utf8(capsys, tmp_path):
    path = tmp_path / "gb18030.md"
    path.write_bytes(CLEAN.read_text(encoding="utf-8").encode("gb18030"))
    status, data, err = run_json(capsys, path)
    assert status == 0
    [entry] = data["files"]
    assert entry["year"] == 2024
    assert sorted(t["table"] for t in entry["tables"]) == ["active", "appeals", "requests"]


@needs_engine
def test_broken_suspect_survives_from_override(capsys, tmp_path):
    path = tmp_path / "report.data"  # an unknown extension; --from names the reader
    shutil.copy(BROKEN, path)
    status, data, err = run_json(capsys, "--from", "markdown", path)
    assert status == 1
    assert any(s["column"] == "自然人" for f in data["files"][0]["findings"] for s in f["suspects"])


@needs_engine
@pytest.mark.skipif(not SHANGHAI.exists(), reason="../shared/domain/reports is absent")
def test_real_html_report_2019(capsys):
    status, data, err = run_json(capsys, SHANGHAI)
    [entry] = data["files"]
    errors = [f for f in entry["findings"] if f["severity"] == "error"]
    assert not errors, errors
    assert status == 0
    assert entry["year"] == 2019 and entry["format"] == "2019"
    tables = {t["table"]: t for t in entry["tables"]}
    assert set(tables) == {"active", "requests", "appeals"}
    assert {t["format"] for t in entry["tables"]} == {"2019"}
    assert tables["requests"]["cells"] == 23 * 7
    assert tables["requests"]["deduced"] > 0  # its blank 总计 cells are deduced, not flagged


@needs_engine
@pytest.mark.skipif(not (REPORTS / "001_164254f647ab523c.txt").exists(), reason="../shared/domain/reports is absent")
def test_real_text_report_2021(capsys):
    status, data, err = run_json(capsys, REPORTS / "001_164254f647ab523c.txt")
    [entry] = data["files"]
    assert not [f for f in entry["findings"] if f["severity"] == "error"]
    assert status == 0
    assert sorted((t["table"], t["format"]) for t in entry["tables"]) == [("active", "2021"), ("appeals", "2021"), ("requests", "2021")]
