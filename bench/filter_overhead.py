"""gk-check against bare pandoc and an identity panflute filter, on the example report.

Targets (issue 2): pandoc + gk-check <= 1.2 x pandoc + identity panflute filter; the in-process
check of a full report <= 5 ms median.
Usage: python bench/filter_overhead.py [REPORT.md] [--rounds N] [--to json docx] [--filter-cmd CMD] [--json]
--filter-cmd times another filter in gk-check's place (e.g. bench/identity_filter.py, to try the
bench itself); the in-process line is then left out.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import panflute as pf
from _timing import interleaved, median_ms

from gkreport.readers.files import pandoc_path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("report", nargs="?", default=str(ROOT / "examples" / "report.md"))
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--to", nargs="+", default=["json", "docx"])
    parser.add_argument("--filter-cmd", help="filter timed in gk-check's place (default: gk-check beside this python)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    pandoc = pandoc_path()
    # pandoc runs a filter ending in .py with the `python` it finds on PATH: this python's folder
    # (the venv's bin) goes first, so the identity filter runs with the venv's panflute.
    bin_dir = str(Path(sys.executable).parent)
    env = dict(os.environ, PATH=bin_dir + os.pathsep + os.environ["PATH"])
    filter_cmd = args.filter_cmd or os.path.join(bin_dir, "gk-check")
    if not os.path.exists(filter_cmd):
        filter_cmd = shutil.which(filter_cmd, path=env["PATH"]) or filter_cmd
    if not os.path.exists(filter_cmd):
        sys.exit(f"filter_overhead: {filter_cmd} not found (run `make bench`, or pass --filter-cmd)")
    figures: dict[str, float] = {}
    for to in args.to:
        # The filter also changes what the writer gets (official tables instead of the source's
        # pipe tables), so writer cost moves too: JSON output isolates the filter's own cost,
        # DOCX is what users run.
        with tempfile.TemporaryDirectory() as tmp:
            base = [pandoc, args.report, "-o", os.path.join(tmp, f"out.{to}")]
            timed = interleaved(
                {
                    "bare": base,
                    "identity": base + ["--filter", str(ROOT / "bench" / "identity_filter.py")],
                    "gk-check": base + ["--filter", filter_cmd],
                },
                args.rounds,
                env,
            )
        figures.update({f"{to}: {name}": value for name, value in timed.items()})
        figures[f"{to}: gk-check / identity"] = timed["gk-check"] / timed["identity"]
        figures[f"{to}: gk-check / bare"] = timed["gk-check"] / timed["bare"]

    if args.filter_cmd:
        report(args, figures, f"pandoc + {Path(filter_cmd).name}")
        return

    from gkreport.services.check import check_document

    source = subprocess.run([pandoc, args.report, "-t", "json"], capture_output=True, check=True, text=True).stdout
    check_document(pf.load(io.StringIO(source)))  # warm caches, as in a running filter
    docs = [pf.load(io.StringIO(source)) for _ in range(200)]
    figures["in-process check"] = median_ms(lambda: check_document(docs.pop()), 200)
    report(args, figures, "pandoc + gk-check")


def report(args, figures: dict[str, float], label: str) -> None:
    print(f"{Path(args.report).name}, medians of {args.rounds} interleaved rounds")
    for to in args.to:
        print(f"-> {to}")
        print(f"  {'pandoc (bare)':28}{figures[f'{to}: bare']:8.1f} ms")
        print(f"  {'pandoc + identity filter':28}{figures[f'{to}: identity']:8.1f} ms")
        print(f"  {label:28}{figures[f'{to}: gk-check']:8.1f} ms")
        name = label.removeprefix("pandoc + ")
        print(f"  {name + ' / identity':28}{figures[f'{to}: gk-check / identity']:8.2f}    (target <= 1.20)")
        print(f"  {name + ' / bare':28}{figures[f'{to}: gk-check / bare']:8.2f}")
    if "in-process check" in figures:
        print(f"{'in-process check':30}{figures['in-process check']:8.2f} ms (target <= 5 ms, median of 200)")
    if args.json:
        print(json.dumps({k: round(v, 3) for k, v in figures.items()}, ensure_ascii=False))


if __name__ == "__main__":
    main()
