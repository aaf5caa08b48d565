"""Reading and checking DOCX reports against the same reports as plain text (issue 9 target: DOCX at no
less than half the speed of text).  Usage: python bench/read_docx.py [--reports 24] [--rounds 9] [--json]

Generated correct reports (bench/corpus.py) are written three ways, not timed: as the text gk audit
reads (``.txt``), as the official template filled with the same figures (a WPS file: every cell
carries its borders and fonts, ~250 KB of XML), and as the DOCX ``gk build`` makes of them (pandoc's
writer, ~60 KB).  Then, rounds interleaved, each file is read and checked in process as gk audit's
worker does: ``services.check.check_file`` for text, ``report.check_model(readers.docx.read_docx(path))`` for
DOCX.  For comparison: what ``gk check x.docx`` does today (pandoc's docx reader in a subprocess),
on a few files, and how much of the template's time is the bare XML parse.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from gkreport.services.check import check_file
from gkreport.readers.docx import read_docx
from gkreport.checks.report import check_model
from gkreport.testing.docxfill import TEMPLATE, fill_template
from gkreport.testing.forms import make_report
from gkreport.testing.prose import SECTIONS
from gkreport.testing.values import pipe_active, pipe_appeals, pipe_requests
from gkreport.testing.variants import Style

FORMS = ("pipe", "cells", "tabs")  # the text forms gk audit's target was set on


def markdown(truth: dict) -> str:
    """The report as Markdown for gk build: the six sections, the three tables as pipe tables."""
    tables = {1: pipe_active(truth["active"]), 2: pipe_requests(truth["requests"]), 3: pipe_appeals(truth["appeals"])}
    out = ["---\ntitle: 2024年XX县XX局政府信息公开工作年度报告\nyear: 2024\n---\n"]
    for number, heading in enumerate(SECTIONS):
        out.append(f"# {heading}\n\n本年度情况如下。\n")
        if number in tables:
            out.append(tables[number])
    return "\n".join(out)


def rounds_of(timers: dict, rounds: int) -> dict[str, float]:
    """Median over rounds of the ms per report of each timer; the timers take turns file by file, so a
    change in the machine's load falls on all of them alike."""
    samples: dict[str, list[float]] = {name: [] for name in timers}
    count = min(len(files) for files, _ in timers.values())
    for _ in range(rounds):
        spent = dict.fromkeys(timers, 0.0)
        for n in range(count):
            for name, (files, read) in timers.items():
                start = time.perf_counter()
                read(files[n])
                spent[name] += time.perf_counter() - start
        for name in timers:
            samples[name].append(spent[name] * 1000 / count)
    return {name: statistics.median(values) for name, values in samples.items()}


def read_back(path: Path, truth: dict) -> bool:
    result = check_model(read_docx(path))
    tables = {t.table: t for t in result.tables}
    return set(tables) == set(truth) and all(
        {c: v.value for c, v in tables[kind].recognized.cells.items()} == values for kind, values in truth.items()
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=24)
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if not TEMPLATE.is_file():
        sys.exit(f"read_docx: {TEMPLATE} is absent (the shared reports folder)")
    with tempfile.TemporaryDirectory(prefix="gk-read-docx-") as work:
        measure(Path(work), args)


def measure(folder: Path, args) -> None:
    from lxml import etree

    from gkreport.services.build import build

    rng = random.Random(9)
    texts, templates, built, truths = [], [], [], []
    for n in range(args.reports):
        report = make_report(rng, "2021", FORMS[n % len(FORMS)], Style())
        text, truth = report.body, report.truth
        truths.append(truth)
        texts.append(folder / f"{n:03}.txt")
        texts[-1].write_text(text, encoding="utf-8")
        templates.append(fill_template(folder / f"{n:03}-template.docx", truth))
        source = folder / f"{n:03}.md"
        source.write_text(markdown(truth), encoding="utf-8")
        built.append(folder / f"{n:03}-built.docx")
        build(source, built[-1])
    exact = {
        "template": sum(read_back(p, t) for p, t in zip(templates, truths)),
        "gk build": sum(read_back(p, t) for p, t in zip(built, truths)),
    }

    def checked(path):
        return check_model(read_docx(path))

    def parsed(path):
        with zipfile.ZipFile(path) as package:
            etree.fromstring(package.read("word/document.xml"))

    times = rounds_of(
        {
            "text": (texts, check_file),
            "template": (templates, checked),
            "gk build": (built, checked),
            "template, XML parse only": (templates, parsed),
        },
        args.rounds,
    )
    few = max(1, min(4, args.reports))
    times["pandoc subprocess"] = rounds_of({"p": (templates[:few], check_file)}, 1)["p"]
    print(f"{args.reports} reports, {args.rounds} interleaved rounds; ms per report read and checked in process (median):")
    print(f"  text (.txt), gk audit's path                       {times['text']:7.2f}")
    for kind, label in (("template", "official template, WPS XML"), ("gk build", "gk build (pandoc's writer)")):
        ratio = times["text"] / times[kind]
        print(f"  DOCX, {label:28} read_docx  {times[kind]:7.2f}   speed vs text {ratio:.2f}   read back exactly {exact[kind]}/{args.reports}")
    print(f"    of the template's time, unzipping and parsing document.xml alone: {times['template, XML parse only']:.2f}")
    print(f"  DOCX, today's gk check path: pandoc in a subprocess  {times['pandoc subprocess']:7.1f}   speed vs text {times['text'] / times['pandoc subprocess']:.3f}   ({few} files, 1 round)")
    print("target: DOCX read and checked at >= 0.5 x the speed of the same reports as text")
    if args.json:
        print(json.dumps({k: round(v, 3) for k, v in times.items()} | {"exact": exact, "reports": args.reports}))


if __name__ == "__main__":
    main()
