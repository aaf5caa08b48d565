"""gk audit throughput on generated plain-text reports (issue 3 target: >= 500 reports/s on this
2-core machine).  Usage: python bench/audit_throughput.py [--reports 10000] [--json]

The reports are written to a temporary folder first (not timed); then `gk audit` runs over the
folder with one worker per core, and once with a single worker for comparison.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from gkreport.testing.forms import corpus
from gkreport.testing.variants import Style

# Plain reports in the forms the target was set on: this bench times gk audit, not recognition
# (bench/fault_injection.py measures that, form by form).
FORMS = ("pipe", "cells", "tabs")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=10000)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="gk-audit-"))
    for n, report in enumerate(corpus(args.reports, seed=3, forms=FORMS, style=Style())):
        (folder / f"{n:05}.txt").write_text(report.text(), encoding="utf-8")
    gk = str(Path(sys.executable).parent / "gk")
    figures = {"reports": args.reports, "cores": os.cpu_count()}
    for label, extra in (("all cores", []), ("one worker", ["--jobs", "1"])):
        out = folder.parent / f"{folder.name}-findings.jsonl"
        started = time.perf_counter()
        result = subprocess.run([gk, "audit", str(folder), "--format", "json", "--out", str(out), *extra], capture_output=True, text=True)
        seconds = time.perf_counter() - started
        summary = json.loads(result.stdout)["summary"]
        assert summary["files"] == args.reports and summary["errors"] == 0, summary
        figures[label] = round(args.reports / seconds, 1)
        print(f"gk audit, {label:10}  {args.reports} reports in {seconds:6.1f} s  = {args.reports / seconds:7.1f} reports/s")
    print(f"target: >= 500 reports/s with all cores ({figures['cores']} here)")
    if args.json:
        print(json.dumps(figures))


if __name__ == "__main__":
    main()
