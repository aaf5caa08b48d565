"""gk build of the example report to PDF (issue 5 target: <= 2 s on this machine), beside the
DOCX build and pandoc alone, interleaved.  Usage: python bench/build_pdf.py [--rounds N] [--json]"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

from _timing import interleaved

from gkreport.readers.files import pandoc_path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp())
    gk = str(Path(sys.executable).parent / "gk")
    report = str(ROOT / "examples" / "report.md")
    env = dict(os.environ, PATH=str(Path(sys.executable).parent) + os.pathsep + os.environ["PATH"])
    figures = interleaved(
        {
            "gk build -> pdf": [gk, "build", report, "-o", str(work / "r.pdf")],
            "gk build -> docx": [gk, "build", report, "-o", str(work / "r.docx")],
            "pandoc -> docx (no filter)": [pandoc_path(), report, "-o", str(work / "p.docx")],
        },
        args.rounds,
        env,
    )
    for name, value in figures.items():
        print(f"{name:28}{value / 1000:6.2f} s")
    print(f"target: gk build -> pdf <= 2 s (median of {args.rounds})")
    if args.json:
        print(json.dumps({k: round(v) for k, v in figures.items()}))


if __name__ == "__main__":
    main()
