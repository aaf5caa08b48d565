"""Reading + checking reports published as HTML pages against the same reports as .txt (issue 9: gk audit
over HTML at no less than half its speed over .txt).  Usage: python bench/read_html.py [--reports 300]
[--rounds 5] [--pandoc 20] [--json]

Each generated report (gkreport.testing.forms, plain style) is written twice: as the flattened text a scraper keeps (.txt)
and as the CMS page it was published as (gkreport.testing.pages: navigation, layout table, inline styles,
GBK or UTF-8, &nbsp; cells, rowspan/colspan).  What one `gk audit` worker does per file is timed in
process, the two forms taking turns round by round: .txt = read_text + check_text (today's path);
.html = readers.html.read_html + report.check_model; and, on the first --pandoc pages, today's HTML path
(pandoc subprocess + check_document).  Every HTML page must read back exactly (each cell of the three
tables equal to the generated truth), or the bench fails.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import time
from pathlib import Path

from gkreport.readers.files import read_document, read_text
from gkreport.readers.html import read_html
from gkreport.checks.report import check_model
from gkreport.services.check import check_document, check_text
from gkreport.testing.forms import make_report
from gkreport.testing.pages import report_page
from gkreport.testing.variants import Style

TARGET = 0.5  # HTML speed / text speed
TEXT_FORMS = ("pipe", "cells", "tabs")  # the .txt forms the target was measured against


def write_corpus(folder: Path, count: int) -> tuple[list[Path], list[Path], list[dict]]:
    rng = random.Random(11)
    texts, pages, truths = [], [], []
    for n in range(count):
        report = make_report(rng, form=rng.choice(TEXT_FORMS), style=Style())
        text, page = folder / f"{n:05}.txt", folder / f"{n:05}.html"
        text.write_text(report.text(), encoding="utf-8")
        page.write_bytes(report_page(rng, report))
        texts.append(text)
        pages.append(page)
        truths.append(report.truth)
    return texts, pages, truths


def read_back_exactly(pages: list[Path], truths: list[dict]) -> list[str]:
    """The pages whose tables do not read back cell for cell."""
    wrong = []
    for page, truth in zip(pages, truths):
        result = check_model(read_html(page))
        values = {t.table: t.checked.values for t in result.tables if t.checked}
        if any(
            values.get(table) != {key: truth[table][key] for key in values.get(table, {})} or table not in values
            for table in truth
        ):
            wrong.append(page.name)
        elif any(f.severity == "error" for f in result.findings):
            wrong.append(page.name + " (error finding)")
    return wrong


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--pandoc", type=int, default=20, help="pages read through pandoc once, for today's figure")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="gk-html-"))
    texts, pages, truths = write_corpus(folder, args.reports)
    size = statistics.median(p.stat().st_size for p in pages)
    wrong = read_back_exactly(pages, truths)
    documents = [read_html(p) for p in pages]
    runs = {
        ".txt  read_text + check_text": lambda: [check_text(read_text(p)) for p in texts],
        ".html read_html + check_model": lambda: [check_model(read_html(p)) for p in pages],
        "  of which read_html": lambda: [read_html(p) for p in pages],
        "  of which check_model": lambda: [check_model(d) for d in documents],
    }
    times: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(args.rounds):
        for name, run in runs.items():
            start = time.perf_counter()
            run()
            times[name].append(time.perf_counter() - start)
    speed = {name: args.reports / statistics.median(values) for name, values in times.items()}
    start = time.perf_counter()
    for page in pages[: args.pandoc]:
        check_document(read_document(page))
    pandoc_speed = min(args.pandoc, len(pages)) / (time.perf_counter() - start) if args.pandoc else None
    text_speed, html_speed = list(speed.values())[:2]
    ratio = html_speed / text_speed
    print(
        f"{args.reports} generated reports, each as .txt and as a CMS page (median page {size / 1024:.0f} KiB); "
        f"{args.rounds} rounds, one core"
    )
    for name, value in speed.items():
        print(f"  {name:32} {value:7.1f} reports/s  ({1000 / value:5.2f} ms a report)")
    if pandoc_speed:
        print(
            f"  {'.html pandoc + check_document':32} {pandoc_speed:7.1f} reports/s  "
            f"({1000 / pandoc_speed:5.2f} ms a report, today's path)"
        )
    print(f"HTML speed / text speed: {ratio:.2f} (target >= {TARGET}: {'met' if ratio >= TARGET else 'missed'})")
    print(f"pages read back exactly (every cell of the three tables, no error finding): {len(pages) - len(wrong)} / {len(pages)}")
    if args.json:
        print(
            json.dumps(
                {
                    "reports": args.reports,
                    "text": text_speed,
                    "html": html_speed,
                    "pandoc": pandoc_speed,
                    "ratio": ratio,
                    "wrong": wrong,
                }
            )
        )
    if wrong:
        raise SystemExit(f"pages not read back exactly: {wrong[:10]}")


if __name__ == "__main__":
    main()
