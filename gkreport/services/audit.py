"""Checking many reports at once: ``gk audit``.

``scan`` finds the files under the given paths and says what it skipped: a folder it cannot
list, a FIFO, a device file, a socket, a dangling link, a link that loops (or leads back into a
folder already read).  ``audit`` checks the files in worker processes (one per core), each file
within a time and a memory bound (``Limits``): a file over a bound is reported and the run goes
on.  Each file yields a plain record (picklable, JSON-ready): the path, year, format, tables and
findings, or why it could not be read or checked.  One bad file never stops the run.

The workers are our own (not ``concurrent.futures``): the parent hands out one file at a time,
so it knows when each file started and can kill the worker of a file that runs over its time
(with the pandoc it started: each worker leads its own process group), then start a new one.
The memory bound is an address-space limit set in each worker (``RLIMIT_AS``), inherited by the
pandoc it starts.
"""

from __future__ import annotations

import csv
import errno
import json
import os
import signal
import stat
import time
from collections import Counter, deque
from dataclasses import dataclass, field
from multiprocessing import get_context
from multiprocessing.connection import wait
from pathlib import Path
from typing import Self

from gkreport.readers.files import READERS_BY_EXTENSION
from gkreport.services.csvsafe import safe_row

FINDING_KEYS = ("code", "severity", "table", "row", "column", "given", "expected", "suspects", "message")

SKIP_KINDS = ("unreadable-directory", "fifo", "device", "socket", "dangling-link", "link-loop", "duplicate-folder")
SKIP_NAMES = {
    "zh": {
        "unreadable-directory": "无法读取的目录",
        "fifo": "命名管道",
        "device": "设备文件",
        "socket": "套接字",
        "dangling-link": "失效的符号链接",
        "link-loop": "循环的符号链接",
        "duplicate-folder": "指向已读目录的链接",
    },
    "en": {
        "unreadable-directory": "unreadable folder",
        "fifo": "FIFO",
        "device": "device file",
        "socket": "socket",
        "dangling-link": "dangling link",
        "link-loop": "looping link",
        "duplicate-folder": "link to a folder already read",
    },
}
_LIMIT_MESSAGES = {
    "time": ("超过每个文件的时间限制（{seconds:g} 秒），未完成检查", "over the per-file time limit ({seconds:g} s): not checked"),
    "memory": ("超过每个文件的内存限制（{megabytes} MB），未完成检查", "over the per-file memory limit ({megabytes} MB): not checked"),
    "died": ("检查进程意外退出（{detail}），未完成检查", "the checking process died ({detail}): not checked"),
}


@dataclass(frozen=True)
class Limits:
    seconds: float = 60.0  # wall-clock time per file
    megabytes: int = 2048  # address space of the worker (and of the pandoc it starts)


@dataclass
class Scan:
    files: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str, str]] = field(default_factory=list)  # (path, kind, detail)


def scan(paths: list[str]) -> Scan:
    """Each file named, and every report file under each folder, sorted; what was skipped, with why."""
    found = Scan()
    for name in paths:
        if Path(name).is_dir():
            files: list[str] = []
            _walk(name, files, found.skipped)
            found.files += sorted(files)
        else:
            found.files.append(name)  # check_file says what is wrong with it, if anything
    return found


def _walk(root: str, files: list[str], skipped: list) -> None:
    """Depth first, without recursion (a deep tree is no problem); links followed, loops caught."""
    entered: set[tuple[int, int]] = set()
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            info = os.stat(folder)
            entered.add((info.st_dev, info.st_ino))
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda e: e.name)
        except OSError as exc:
            skipped.append((folder, "unreadable-directory", exc.strerror or str(exc)))
            continue
        folders = []
        for entry in entries:
            try:
                target = os.stat(entry.path)  # follows links
            except OSError as exc:
                if entry.is_symlink():
                    kind = "link-loop" if exc.errno == errno.ELOOP else "dangling-link"
                    skipped.append((entry.path, kind, _link_text(entry.path)))
                else:  # vanished while listed, or unreadable: say so rather than pass over it
                    skipped.append((entry.path, "unreadable-directory", exc.strerror or str(exc)))
                continue
            mode = target.st_mode
            if stat.S_ISDIR(mode):
                if (target.st_dev, target.st_ino) in entered or any(_same_folder(target, f) for f in folders):
                    kind = "link-loop" if _is_ancestor(entry.path) else "duplicate-folder"
                    skipped.append((entry.path, kind, _link_text(entry.path)))
                    continue
                folders.append(entry.path)
            elif stat.S_ISREG(mode):
                if Path(entry.name).suffix.lower() in READERS_BY_EXTENSION:
                    files.append(entry.path)
            elif stat.S_ISFIFO(mode):
                skipped.append((entry.path, "fifo", ""))
            elif stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
                skipped.append((entry.path, "device", ""))
            elif stat.S_ISSOCK(mode):
                skipped.append((entry.path, "socket", ""))
        stack.extend(reversed(folders))


def _same_folder(info: os.stat_result, path: str) -> bool:
    try:
        other = os.stat(path)
    except OSError:
        return False
    return (other.st_dev, other.st_ino) == (info.st_dev, info.st_ino)


def _is_ancestor(link: str) -> bool:
    """Whether the folder a link leads to holds the link itself."""
    target = Path(os.path.realpath(link))
    return Path(os.path.realpath(os.path.dirname(link))).is_relative_to(target)


def _link_text(path: str) -> str:
    try:
        return "-> " + os.readlink(path)
    except OSError:
        return ""


def audit_one(job: tuple[str, str | None, str]) -> dict:
    """Check one file; never raises."""
    from gkreport.services.check import check_file

    path, from_format, lang = job
    report = check_file(path, from_format)
    record = report.to_dict(lang)
    record["findings"] = [{key: f[key] for key in FINDING_KEYS} for f in record["findings"]]
    return record


def limit_record(path: str, kind: str, lang: str, limits: Limits, detail: str = "") -> dict:
    """The record of a file that was not checked because it went over a bound (or its worker died)."""
    zh, en = _LIMIT_MESSAGES[kind]
    message = (en if lang == "en" else zh).format(seconds=limits.seconds, megabytes=limits.megabytes, detail=detail)
    return {"path": path, "year": None, "format": None, "tables": [], "findings": [], "error": f"{path}: {message}", "limit": kind}


def _ran_out_of_memory(record: dict) -> bool:
    """check_file turns a MemoryError into an unreadable file or an internal-error finding."""
    texts = [record.get("error") or ""] + [f["message"] or "" for f in record["findings"] if f["code"].startswith("internal-error")]
    return any("MemoryError" in text for text in texts)


def _worker(connection, limits: Limits) -> None:
    os.setpgid(0, 0)  # its own group: killing it on a timeout also ends the pandoc it started
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    if limits.megabytes:
        import resource

        size = limits.megabytes * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (size, size))
    while True:
        job = connection.recv()
        if job is None:
            return
        index, path, from_format, lang = job
        try:
            record = audit_one((path, from_format, lang))
            if _ran_out_of_memory(record):
                record = limit_record(path, "memory", lang, limits)
        except MemoryError:
            record = limit_record(path, "memory", lang, limits)
        connection.send((index, record))


IN_FLIGHT = 2  # jobs a worker holds: the next is there when it finishes one, it never waits on the parent


class _Worker:
    def __init__(self, limits: Limits):
        context = get_context("fork")  # the parent has everything imported: a worker starts in milliseconds
        self.connection, child = context.Pipe()
        self.process = context.Process(target=_worker, args=(child, limits), daemon=True)
        self.process.start()
        child.close()
        self.jobs: deque[tuple] = deque()  # given, not answered: the first is the one it works on
        self.started = 0.0  # when it began the first of them

    def give(self, job: tuple) -> None:
        if not self.jobs:
            self.started = time.monotonic()
        self.jobs.append(job)
        self.connection.send(job)

    def answered(self) -> None:
        self.jobs.popleft()
        self.started = time.monotonic()

    def kill(self) -> None:
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except OSError:
            self.process.kill()
        self.process.join()
        self.connection.close()

    def stop(self) -> None:
        try:
            self.connection.send(None)
        except OSError:
            pass
        self.process.join(timeout=2)
        if self.process.is_alive():
            self.kill()
        else:
            self.connection.close()


def audit(files: list[str], from_format: str | None = None, lang: str = "zh", jobs: int | None = None, progress=None, limits: Limits = Limits()):
    """Yield one record per file, in file order; ``progress`` is called after each file."""
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(files)))
    pending = [(index, path, from_format, lang) for index, path in reversed(list(enumerate(files)))]
    done: dict[int, dict] = {}
    following = 0
    workers = [_Worker(limits) for _ in range(jobs if files else 0)]

    def fill(worker: _Worker) -> None:
        while pending and len(worker.jobs) < IN_FLIGHT:
            worker.give(pending.pop())

    def replace(i: int) -> _Worker:
        """A dead or stuck worker's other jobs go back to the queue; a fresh worker takes its place."""
        workers[i].kill()
        pending.extend(reversed(list(workers[i].jobs)))
        workers[i] = _Worker(limits)
        return workers[i]

    try:
        for worker in workers:
            fill(worker)
        while following < len(files):
            busy = [w for w in workers if w.jobs]
            deadline = min(w.started for w in busy) + limits.seconds
            ready = wait([w.connection for w in busy] + [w.process.sentinel for w in busy], max(0.0, deadline - time.monotonic()))
            for i, worker in enumerate(workers):
                if not worker.jobs:
                    continue
                index, path = worker.jobs[0][0], worker.jobs[0][1]
                record = None
                if worker.connection in ready:
                    try:
                        answer, record = worker.connection.recv()  # the answer to its first job
                    except (EOFError, OSError):
                        record = None
                    else:
                        worker.answered()
                        done[answer] = record
                        fill(worker)
                        continue
                if worker.process.sentinel in ready or worker.connection in ready:
                    worker.process.join(timeout=1)
                    record = limit_record(path, "died", lang, limits, _exit_text(worker.process.exitcode))
                elif time.monotonic() - worker.started >= limits.seconds:
                    record = limit_record(path, "time", lang, limits)
                if record is None:
                    continue
                worker.jobs.popleft()
                done[index] = record
                fill(replace(i))
            while following in done:
                yield done.pop(following)
                following += 1
                if progress:
                    progress()
    finally:
        for worker in workers:
            if worker.jobs:
                worker.kill()
            else:
                worker.stop()


def _exit_text(code: int | None) -> str:
    if code is not None and code < 0:
        try:
            return signal.Signals(-code).name
        except ValueError:
            pass
    return f"exit status {code}"


def summary(records: list[dict], skipped: list[tuple[str, str, str]] = ()) -> dict:
    by_code: Counter = Counter()
    severities: Counter = Counter()
    for record in records:
        for finding in record["findings"]:
            severities[finding["severity"]] += 1
            if finding["severity"] != "info":
                by_code[(finding["severity"], finding["code"])] += 1
    kinds = Counter(kind for _, kind, _ in skipped)
    return {
        "files": len(records),
        "tables": sum(len(r["tables"]) for r in records),
        "errors": severities["error"],
        "warnings": severities["warning"],
        "infos": severities["info"],
        "unreadable": sum(1 for r in records if "error" in r),
        "over_limit": sum(1 for r in records if r.get("limit") in ("time", "memory")),
        "skipped": len(skipped),
        "skipped_by_kind": {kind: kinds[kind] for kind in SKIP_KINDS if kinds[kind]},
        "by_code": {f"{severity}:{code}": n for (severity, code), n in sorted(by_code.items())},
    }


def skipped_message(path: str, kind: str, detail: str, lang: str) -> str:
    name = SKIP_NAMES["en" if lang == "en" else "zh"][kind]
    detail = f" {detail}" if detail else ""
    return f"skipped {path} ({name}){detail}" if lang == "en" else f"已跳过 {path}（{name}）{detail}"


class FindingWriter:
    """Every finding, one per row (CSV) or line (JSON Lines), with the file's ``path``.

    ``stream_path`` is where the rows go (``gk audit`` gives a temporary file that it renames into
    place at the end); ``csv_format`` chooses CSV, where every text cell is made safe for
    spreadsheets (``csvsafe``)."""

    def __init__(self, stream_path, csv_format: bool):
        self.jsonl = not csv_format
        self.stream = open(stream_path, "w", encoding="utf-8", newline="")  # noqa: SIM115 - closed by __exit__
        if not self.jsonl:
            self.csv = csv.writer(self.stream)
            self.csv.writerow(("path",) + FINDING_KEYS)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc) -> None:
        self.stream.close()

    def write(self, record: dict) -> None:
        findings = list(record["findings"])
        if "error" in record:
            findings.append({"code": "unreadable-file", "severity": "error", "message": record["error"]})
        for finding in findings:
            self._row({"path": record["path"], **{key: finding.get(key) for key in FINDING_KEYS}})

    def skipped(self, path: str, kind: str, detail: str, lang: str) -> None:
        severity = "error" if kind == "unreadable-directory" else "warning"
        self._row({"path": path, "code": "skipped-path", "severity": severity, "message": skipped_message(path, kind, detail, lang)})

    def _row(self, row: dict) -> None:
        if self.jsonl:
            self.stream.write(json.dumps(row, ensure_ascii=False) + "\n")
        else:
            row["suspects"] = json.dumps(row.get("suspects") or [], ensure_ascii=False)
            self.csv.writerow(safe_row(row.get(k) if row.get(k) is not None else "" for k in ("path",) + FINDING_KEYS))
