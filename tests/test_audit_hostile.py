"""gk audit over a hostile tree (issue 11): what it skips is counted and listed, each file is
bounded in time and memory, and the run goes on.

Tests run as root, and root reads a ``chmod 000`` folder.  The unreadable folder is made real by
running ``gk audit`` without the two capabilities that let root past file permissions
(``setpriv --bounding-set -dac_override,-dac_read_search``): the folder's mode then applies to
root as to anyone.  A second test injects the ``OSError`` instead, for machines without setpriv.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest

import gkreport.services.audit as audit_module
from gkreport.services.audit import Limits, audit, scan

REPO = Path(__file__).resolve().parent.parent
GK = str(REPO / ".venv" / "bin" / "gk")
EXAMPLE = REPO / "examples" / "report.md"

# 456 bytes of nested anchors: safe_load expanded this for 30 s and 400 MB (issue 11)
BOMB = "\n".join(
    ["```gkreport", 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    + [f"{n}: &{n} [" + ",".join([f"*{p}"] * 9) + "]" for p, n in zip("abcdefgh", "bcdefghi")]
    + ["```"]
)


@pytest.fixture
def hostile_tree(tmp_path) -> Path:
    tree = tmp_path / "tree"
    (tree / "sub").mkdir(parents=True)
    shutil.copy(EXAMPLE, tree / "good.md")
    (tree / "bomb.md").write_text("---\nyear: 2024\n---\n\n" + BOMB + "\n", encoding="utf-8")
    os.mkfifo(tree / "pipe.md")
    (tree / "loop-a.md").symlink_to("loop-b.md")
    (tree / "loop-b.md").symlink_to("loop-a.md")
    (tree / "sub" / "up").symlink_to("..")
    (tree / "gone.md").symlink_to("nowhere.md")
    locked = tree / "locked"
    locked.mkdir()
    shutil.copy(EXAMPLE, locked / "hidden.md")
    locked.chmod(0)
    yield tree
    locked.chmod(0o755)


def _setpriv() -> list[str]:
    if shutil.which("setpriv") is None:
        pytest.skip("setpriv (util-linux) is absent")
    if os.geteuid() != 0:
        return []  # chmod 000 already stops an ordinary user
    return ["setpriv", "--bounding-set", "-dac_override,-dac_read_search", "--"]


def test_hostile_tree_is_audited_within_its_bound_lists_each_skip_and_exits_2(hostile_tree, tmp_path):
    out = tmp_path / "findings.jsonl"
    started = time.monotonic()
    done = subprocess.run(
        [*_setpriv(), GK, "audit", str(hostile_tree), "--format", "json", "--out", str(out), "--time-limit", "20", "--lang", "en"],
        capture_output=True, text=True, timeout=120,
    )
    elapsed = time.monotonic() - started
    assert elapsed < 20, elapsed
    assert done.returncode == 2, done.stderr
    report = json.loads(done.stdout)
    kinds = {Path(s["path"]).name: s["kind"] for s in report["skipped"]}
    assert kinds == {"locked": "unreadable-directory", "pipe.md": "fifo", "loop-a.md": "link-loop", "loop-b.md": "link-loop",
                     "up": "link-loop", "gone.md": "dangling-link"}
    assert report["summary"]["skipped_by_kind"] == {"unreadable-directory": 1, "fifo": 1, "dangling-link": 1, "link-loop": 3}
    assert report["summary"]["files"] == 2  # good.md and bomb.md; the folder's own link is not followed round
    assert "error:bad-data-block" in report["summary"]["by_code"]
    for name in kinds:
        assert name in done.stderr
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert {Path(r["path"]).name for r in rows if r["code"] == "skipped-path"} == set(kinds)
    bomb = [r for r in rows if r["code"] == "bad-data-block"]
    assert len(bomb) == 1 and "alias" in bomb[0]["message"]


def test_unreadable_folder_by_an_injected_error(monkeypatch, tmp_path):
    (tmp_path / "ok").mkdir()
    (tmp_path / "no").mkdir()
    shutil.copy(EXAMPLE, tmp_path / "ok" / "r.md")
    real = os.scandir

    def scandir(path):
        if Path(path).name == "no":
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(audit_module.os, "scandir", scandir)
    found = scan([str(tmp_path)])
    assert [Path(f).name for f in found.files] == ["r.md"]
    assert [(Path(p).name, kind) for p, kind, _ in found.skipped] == [("no", "unreadable-directory")]


def test_the_text_summary_counts_what_was_skipped(hostile_tree):
    done = subprocess.run([*_setpriv(), GK, "audit", str(hostile_tree)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert re.search(r"^跳过的路径 +6$", done.stdout, re.MULTILINE)
    assert "无法读取的目录" in done.stdout and "命名管道" in done.stdout and "循环的符号链接" in done.stdout
    assert "已跳过" in done.stderr and "Traceback" not in done.stderr


def test_a_directory_link_to_a_sibling_is_read_once(tmp_path):
    (tmp_path / "a").mkdir()
    shutil.copy(EXAMPLE, tmp_path / "a" / "r.md")
    (tmp_path / "b").symlink_to("a")
    found = scan([str(tmp_path)])
    assert [Path(f).relative_to(tmp_path).as_posix() for f in found.files] == ["a/r.md"]
    assert [(Path(p).name, kind) for p, kind, _ in found.skipped] == [("b", "duplicate-folder")]


# ---------------------------------------------------------------- bounds per file (workers are forked: the patch is theirs too)


@pytest.fixture
def slow_and_greedy(monkeypatch):
    from gkreport.services import check

    real = check.check_file

    def check_file(path, from_format=None):
        name = Path(path).name
        if name.startswith("slow"):
            time.sleep(60)
        if name.startswith("greedy"):
            hoard = bytearray(1024 * 1024 * 1024)  # 1 GiB, over a 600 MB address space
            return hoard
        return real(path, from_format)

    monkeypatch.setattr(check, "check_file", check_file)


def test_a_file_over_its_time_or_memory_bound_is_reported_and_the_run_goes_on(slow_and_greedy, tmp_path):
    names = ["a.md", "slow.md", "b.md", "greedy.md", "c.md"]
    for name in names:
        shutil.copy(EXAMPLE, tmp_path / name)
    started = time.monotonic()
    records = list(audit([str(tmp_path / n) for n in names], jobs=2, lang="en", limits=Limits(seconds=3, megabytes=600)))
    assert time.monotonic() - started < 30
    assert [Path(r["path"]).name for r in records] == names  # in file order
    by_name = {Path(r["path"]).name: r for r in records}
    assert by_name["slow.md"]["limit"] == "time" and "time limit (3 s)" in by_name["slow.md"]["error"]
    assert by_name["greedy.md"]["limit"] == "memory" and "memory limit (600 MB)" in by_name["greedy.md"]["error"]
    for name in ("a.md", "b.md", "c.md"):
        assert "error" not in by_name[name] and len(by_name[name]["tables"]) == 3


def test_a_worker_that_dies_is_replaced(monkeypatch, tmp_path):
    from gkreport.services import check

    real = check.check_file

    def check_file(path, from_format=None):
        if Path(path).name == "crash.md":
            os._exit(3)
        return real(path, from_format)

    monkeypatch.setattr(check, "check_file", check_file)
    names = ["crash.md", "a.md", "b.md"]
    for name in names:
        shutil.copy(EXAMPLE, tmp_path / name)
    records = list(audit([str(tmp_path / n) for n in names], jobs=1, limits=Limits(seconds=30)))
    assert records[0]["limit"] == "died" and "exit status 3" in records[0]["error"]
    assert [len(r["tables"]) for r in records[1:]] == [3, 3]


def test_the_time_limit_ends_the_pandoc_the_worker_started(tmp_path, monkeypatch):
    """A worker killed on its time limit takes its process group along: no pandoc is left running."""
    from gkreport.readers import files as reader

    marker = tmp_path / "marker"

    def slow_pandoc(path, args, text):
        subprocess.run(["sh", "-c", f"echo $$ > {marker}; exec sleep 120"])

    monkeypatch.setattr(reader, "_run_pandoc", slow_pandoc)
    shutil.copy(EXAMPLE, tmp_path / "r.md")
    [record] = list(audit([str(tmp_path / "r.md")], jobs=1, limits=Limits(seconds=2)))
    assert record["limit"] == "time"
    pid = int(marker.read_text())
    time.sleep(0.2)
    assert not Path(f"/proc/{pid}").exists() or "Z" in Path(f"/proc/{pid}/stat").read_text().split()[2]


def test_ctrl_c_stops_the_workers_and_keeps_the_previous_findings_file(tmp_path):
    import signal

    tree = tmp_path / "many"
    tree.mkdir()
    for n in range(400):
        shutil.copy(EXAMPLE, tree / f"r{n:03}.md")
    out = tmp_path / "findings.csv"
    out.write_text("the previous run's findings\n", encoding="utf-8")
    process = subprocess.Popen([GK, "audit", str(tree), "--out", str(out), "--jobs", "2"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    time.sleep(3)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=30)
    assert process.returncode == 130 and b"Traceback" not in err
    assert out.read_text(encoding="utf-8") == "the previous run's findings\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["findings.csv", "many"]
    time.sleep(0.5)
    left = []
    for proc in Path("/proc").iterdir():
        try:
            if str(tree).encode() in (proc / "cmdline").read_bytes():
                left.append(proc.name)
        except OSError:
            continue
    assert not left  # no worker (nor its pandoc) outlives the run
