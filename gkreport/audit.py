"""Checking many reports at once: ``gk audit``.

Files are found under the given paths, checked in a process pool (one worker per core), and
each yields a plain record (picklable, JSON-ready): the path, year, format, tables and
findings, or why it could not be read.  One bad file never stops the run.
"""

from __future__ import annotations

import csv
import json
import os
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from .reader import READERS_BY_EXTENSION

FINDING_KEYS = ("code", "severity", "table", "row", "column", "given", "expected", "suspects", "message")


def report_files(paths: list[str]) -> list[str]:
    """The files to audit: each file named, and every readable file under each folder, sorted."""
    found: list[str] = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            found += sorted(str(p) for p in path.rglob("*") if p.is_file() and p.suffix.lower() in READERS_BY_EXTENSION)
        else:
            found.append(name)
    return found


def audit_one(job: tuple[str, str | None, str]) -> dict:
    """Check one file; never raises."""
    from .cli import check_file

    path, from_format, lang = job
    report = check_file(path, from_format)
    record = report.to_dict(lang)
    record["findings"] = [{key: f[key] for key in FINDING_KEYS} for f in record["findings"]]
    return record


def audit(paths: list[str], from_format: str | None = None, lang: str = "zh", jobs: int | None = None, progress=None):
    """Yield one record per file, in file order; ``progress`` is called after each file."""
    files = report_files(paths)
    work = [(path, from_format, lang) for path in files]
    jobs = jobs or os.cpu_count() or 1
    if jobs == 1 or len(work) < 8:
        results = map(audit_one, work)
        for record in results:
            yield record
            if progress:
                progress()
        return
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        for record in pool.map(audit_one, work, chunksize=max(1, min(64, len(work) // (jobs * 8)))):
            yield record
            if progress:
                progress()


def summary(records: list[dict]) -> dict:
    by_code: Counter = Counter()
    severities: Counter = Counter()
    for record in records:
        for finding in record["findings"]:
            severities[finding["severity"]] += 1
            if finding["severity"] != "info":
                by_code[(finding["severity"], finding["code"])] += 1
    return {
        "files": len(records),
        "tables": sum(len(r["tables"]) for r in records),
        "errors": severities["error"],
        "warnings": severities["warning"],
        "infos": severities["info"],
        "unreadable": sum(1 for r in records if "error" in r),
        "by_code": {f"{severity}:{code}": n for (severity, code), n in sorted(by_code.items())},
    }


class FindingWriter:
    """Every finding, one per row (CSV) or line (JSON Lines), with the file's ``path``."""

    def __init__(self, path: str):
        self.path = path
        self.jsonl = not path.lower().endswith(".csv")
        self.stream = open(path, "w", encoding="utf-8", newline="")
        if not self.jsonl:
            self.csv = csv.writer(self.stream)
            self.csv.writerow(("path",) + FINDING_KEYS)

    def write(self, record: dict) -> None:
        findings = list(record["findings"])
        if "error" in record:
            findings.append({"code": "unreadable-file", "severity": "error", "message": record["error"]})
        for finding in findings:
            row = {"path": record["path"], **{key: finding.get(key) for key in FINDING_KEYS}}
            if self.jsonl:
                self.stream.write(json.dumps(row, ensure_ascii=False) + "\n")
            else:
                row["suspects"] = json.dumps(row["suspects"] or [], ensure_ascii=False)
                self.csv.writerow([row[k] if row[k] is not None else "" for k in ("path",) + FINDING_KEYS])

    def close(self) -> None:
        self.stream.close()
