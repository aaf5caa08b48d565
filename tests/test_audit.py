"""gk extract and gk audit: data out of the tables, and many reports at once."""

from __future__ import annotations

import csv
import io
import json
import random
import shutil

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gkreport.cli import main

from gkreport.testing.values import consistent_requests, pipe_requests


def run(capsys, *argv):
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def write_reports(folder, count, broken=()):
    paths = []
    for i in range(count):
        values = consistent_requests(random.Random(i))
        replace = {("handled_total", "total"): ""}
        if i in broken:
            replace[("granted", "natural")] = str(values[("granted", "natural")] + 1)
        path = folder / f"r{i:03}.md"
        path.write_text(f"---\nyear: 2024\n---\n\n{pipe_requests(values, replace=replace)}", encoding="utf-8")
        paths.append(path)
    return paths


def test_extract_json_gives_every_cell_with_how_it_was_obtained(capsys, tmp_path):
    [path] = write_reports(tmp_path, 1)
    status, out, _ = run(capsys, "extract", str(path))
    assert status == 0
    [entry] = json.loads(out)["files"]
    [table] = entry["tables"]
    assert (table["table"], table["format"]) == ("requests", "2021")
    assert len(table["cells"]) == 175
    cells = {(c["row_key"], c["column_key"]): c for c in table["cells"]}
    total = cells[("handled_total", "total")]
    assert total["status"] == "deduced" and total["written"] == "" and int(total["value"]) > 0
    assert cells[("new", "natural")]["status"] == "given"
    assert cells[("new", "natural")]["row"] == "一、本年新收政府信息公开申请数量"


def test_extract_csv(capsys, shared_reports):
    status, out, _ = run(capsys, "extract", str(shared_reports / "shanghai-gov-office-2019.html"), "--format", "csv")
    assert status == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    granted = next(r for r in rows if (r["table"], r["row_key"], r["column_key"]) == ("requests", "granted", "total"))
    assert (granted["value"], granted["status"], granted["written"]) == ("272", "deduced", "")
    assert {r["status"] for r in rows} >= {"given", "deduced", "blank"}


def test_audit_folder_summary_and_findings_files(capsys, tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    write_reports(folder, 30, broken={4, 17})
    (folder / "garbage.md").write_bytes(b"\x00\x01\x02binary")
    (folder / "notes.xyz").write_text("ignored: not a report type")
    for out_name in ("findings.csv", "findings.jsonl"):
        out_file = tmp_path / out_name
        status, out, err = run(capsys, "audit", str(folder), "--out", str(out_file), "--jobs", "2")
        assert status == 2  # one unreadable file
        assert "文件" in out and "31" in out
        assert "error:suspect-cell" in out
        assert "garbage.md" in err and "Traceback" not in err + out
        if out_name.endswith(".csv"):
            rows = list(csv.DictReader(out_file.open(encoding="utf-8")))
        else:
            rows = [json.loads(line) for line in out_file.read_text(encoding="utf-8").splitlines()]
        assert set(rows[0]) == {"path", "code", "severity", "table", "row", "column", "given", "expected", "suspects", "message"}
        suspects = [r for r in rows if r["code"] == "suspect-cell"]
        assert sorted(r["path"].rsplit("/", 1)[1] for r in suspects) == ["r004.md", "r017.md"]
        assert any(r["code"] == "unreadable-file" and r["path"].endswith("garbage.md") for r in rows)


def test_audit_json_summary_and_exit_status(capsys, tmp_path):
    write_reports(tmp_path, 3)
    status, out, _ = run(capsys, "audit", str(tmp_path), "--format", "json", "--lang", "en")
    assert status == 0
    summary = json.loads(out)["summary"]
    assert (summary["files"], summary["tables"], summary["errors"], summary["unreadable"]) == (3, 3, 0, 0)


def test_audit_of_the_real_reports(capsys, shared_reports, tmp_path):
    for path in shared_reports.iterdir():
        shutil.copy(path, tmp_path / path.name)
    status, out, _ = run(capsys, "audit", str(tmp_path), "--format", "json")
    summary = json.loads(out)["summary"]
    assert status == 0 and summary["errors"] == 0 and summary["tables"] == 24


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=400) | st.text(max_size=400).map(lambda t: t.encode("gb18030", "replace")), suffix=st.sampled_from([".txt", ".md", ".html", ".json"]))
def test_arbitrary_bytes_never_crash_a_command(capsys, tmp_path, data, suffix):
    path = tmp_path / f"input{suffix}"
    path.write_bytes(data)
    for argv in (["check", str(path)], ["extract", str(path)], ["audit", str(path), "--jobs", "1"]):
        status, out, err = run(capsys, *argv)
        assert status in (0, 1, 2)
        assert "Traceback" not in out + err


def test_docx_and_html_inputs_keep_the_merged_cells(capsys, repo_root, tmp_path, pandoc_bin):
    import os
    import subprocess

    env = dict(os.environ, PATH=str(repo_root / ".venv" / "bin") + os.pathsep + os.environ["PATH"])
    for suffix in ("docx", "html"):
        out = tmp_path / f"report.{suffix}"
        subprocess.run([pandoc_bin, str(repo_root / "examples" / "report.md"), "--filter", "gk-check", "-s", "-o", str(out)], check=True, env=env, capture_output=True)
        status, text, err = run(capsys, "check", str(out), "--format", "json")
        [entry] = json.loads(text)["files"]
        assert status == 0, entry["findings"]
        assert [(t["table"], t["format"]) for t in entry["tables"]] == [("active", "2021"), ("requests", "2021"), ("appeals", "2021")]
        assert not [f for f in entry["findings"] if f["code"] == "placed-by-position"]  # read by the official header


def test_progress_bar_on_a_terminal_only(tmp_path, repo_root):
    import os
    import pty
    import subprocess

    write_reports(tmp_path, 12)
    gk = str(repo_root / ".venv" / "bin" / "gk")
    piped = subprocess.run([gk, "audit", str(tmp_path)], capture_output=True, text=True)
    assert "file/s" not in piped.stderr and "%|" not in piped.stderr
    leader, follower = pty.openpty()
    process = subprocess.Popen([gk, "audit", str(tmp_path)], stdout=follower, stderr=follower, close_fds=True)
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    process.wait()
    assert "%|" in b"".join(chunks).decode("utf-8", "replace")
