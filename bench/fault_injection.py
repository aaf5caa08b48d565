"""Measured precision of the checker: correct generated reports, then one known fault at a time.

    python bench/fault_injection.py [--reports N] [--seed S] [--json] [--path document|text]

N correct reports (forms pipe/cells/tabs and formats 2021/2019 taking turns, see corpus.py) are
checked as they are (any error finding is a false error), then, for each report, one fault of
each kind is injected into its text and the report is checked again:

* arithmetic faults (digit, swap, pair) must give an error finding in the changed table;
* a digit or swap fault on a cell of table 三 (every cell there has a row rule and a column
  rule) must be located exactly: one suspect set, holding only that cell, fixed to its true value;
* drop-row, shift and truncate are counted as reported when any finding names table 三.

Targets (exit status 1 when one is missed): no error on a clean report, every arithmetic
fault detected, >= 95 % of the determinable single faults located exactly, no crash.
The checker is run as ``check_document(doc_from_text(text))`` (``--path text``: ``check_text``).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import ARITHMETIC, FAULTS, FORMATS, FORMS, inject, report_text  # noqa: E402

from gkreport.report import check_document, check_text  # noqa: E402
from gkreport.textdoc import doc_from_text  # noqa: E402

STRUCTURAL = ("drop-row", "shift", "truncate")
LOCATION_TARGET = 95.0


def check(text: str, path: str = "document"):
    return check_text(text) if path == "text" else check_document(doc_from_text(text))


def _errors(result, table: str | None = None) -> list:
    return [f for f in result.findings if f.severity == "error" and (table is None or f.table == table)]


def _table(result, name: str):
    return next((t for t in result.tables if t.table == name), None)


def _read_back(result) -> dict:
    """Table -> cell -> value as the checker read it; table 二 read in several pieces is joined."""
    out: dict = {}
    for t in result.tables:
        if t.checked is None:
            continue
        rows = t.recognized.rows_present
        out.setdefault(t.table, {}).update({cell: v for cell, v in t.checked.values.items() if cell[0] in rows})
    return out


def _excerpt(text: str, fault) -> str:
    """The lines of table 三 (or 四) around the change, for a failure message."""
    lines = text.split("\n")
    marker = "(本列数据" if fault is None or fault.table == "requests" else "行政复议 "
    start = next((i for i, line in enumerate(lines) if line.startswith(marker)), 0)
    return "\n".join(lines[start : start + 40])


def measure_one(n: int, seed: int = 0, path: str = "document") -> tuple[Counter, dict, list]:
    """The outcomes for report ``n`` of the corpus: counts, codes of structural findings, failures."""
    s: Counter = Counter()
    codes: dict[str, Counter] = {kind: Counter() for kind in STRUCTURAL}
    failures: list[dict] = []
    fmt, form = FORMATS[n % 2], FORMS[n % 3]
    s[f"form {form}"] += 1
    s[f"format {fmt}"] += 1

    def fail(what: str, text: str, fault=None, got=None) -> None:
        s[f"failure: {what}"] += 1
        failures.append({"what": what, "report": n, "form": form, "format": fmt, "fault": fault.as_dict() if fault else None, "got": got, "excerpt": _excerpt(text, fault)})

    text, truth = report_text(random.Random(f"{seed}:{n}"), fmt, form)
    s["clean"] += 1
    try:
        clean = check(text, path)
    except Exception as exc:  # noqa: BLE001 - a crash is a result to report
        s["clean crashed"] += 1
        fail("crash on a clean report", text, got=repr(exc))
        return s, codes, failures
    if _errors(clean):
        s["clean with error"] += 1
        fail("error on a clean report", text, got=[f.line() for f in _errors(clean)])
    read = _read_back(clean)
    s["active split"] += sum(t.table == "active" for t in clean.tables) > 1
    if all(read.get(name, {}).get(cell) == value for name in truth for cell, value in truth[name].items()):
        s["clean read exactly"] += 1
    else:
        wrong = {f"{name}/{c}": [str(v), str(read.get(name, {}).get(c))] for name in truth for c, v in truth[name].items() if read.get(name, {}).get(c) != v}
        fail("clean report read back wrongly", text, got=dict(list(wrong.items())[:6]))
    usual = {(f.table, f.code) for f in clean.findings}  # e.g. placed-by-position: not news about a fault

    for kind in FAULTS:
        mutated, fault = inject(random.Random(f"{seed}:{n}:{kind}"), text, truth, kind)
        if fault is None:
            s[f"{kind}: no place"] += 1
            continue
        s[f"{kind}: injected"] += 1
        try:
            result = check(mutated, path)
        except Exception as exc:  # noqa: BLE001
            s[f"{kind}: crashed"] += 1
            fail(f"{kind}: crash", mutated, fault, repr(exc))
            continue
        if any(f.code.startswith("internal-error") for f in result.findings):
            s[f"{kind}: crashed"] += 1
            fail(f"{kind}: internal error", mutated, fault, [f.line() for f in result.findings if f.code.startswith("internal")])
        errors = _errors(result, fault.table)
        about = [f for f in result.findings if f.table == fault.table and (f.table, f.code) not in usual]
        s[f"{kind}: error"] += bool(errors)
        s[f"{kind}: reported"] += bool(about)
        if kind in STRUCTURAL:
            codes[kind].update({f.code for f in about})
            s[f"{kind}: visible"] += fault.visible
            if not about and fault.visible:
                fail(f"{kind}: not reported", mutated, fault, [f.line() for f in result.findings])
            continue
        if not errors:
            fail(f"{kind}: not detected", mutated, fault, [f.line() for f in result.findings])
        table = _table(result, fault.table)
        sets = table.checked.suspect_sets if table and table.checked else None
        true = {cell: old for cell, (old, _) in fault.cells.items()}
        exact = sets == [true]
        if kind == "pair":
            s["pair: two cells"] += bool(sets) and len(sets) == 1 and set(sets[0]) == set(true)
            s["pair: located"] += exact
        elif fault.determinable:
            s["determinable"] += 1
            s["located"] += exact
            if not exact:
                fail(f"{kind}: not located", mutated, fault, {"suspect_sets": [{f"{r}/{c}": str(v) for (r, c), v in x.items()} for x in sets or []]})
        else:
            s[f"{kind}: other table"] += 1
            s[f"{kind}: other table located"] += exact
    return s, codes, failures


def _chunk(args) -> tuple[Counter, dict, list]:
    numbers, seed, path = args
    s, codes, failures = Counter(), {kind: Counter() for kind in STRUCTURAL}, []
    for n in numbers:
        one, one_codes, one_failures = measure_one(n, seed, path)
        s.update(one)
        for kind in STRUCTURAL:
            codes[kind].update(one_codes[kind])
        failures += one_failures
    return s, codes, failures


def measure(count: int, seed: int = 0, path: str = "document", jobs: int = 1) -> dict:
    """Counts of every outcome over ``count`` reports, and the failing cases."""
    started = time.perf_counter()
    chunks = [(range(k, count, max(1, jobs)), seed, path) for k in range(max(1, jobs))]
    if jobs > 1:
        import multiprocessing

        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            parts = pool.map(_chunk, chunks)
    else:
        parts = [_chunk(chunks[0])]
    s: Counter = Counter()
    codes: dict[str, Counter] = {kind: Counter() for kind in STRUCTURAL}
    failures: list[dict] = []
    for part_s, part_codes, part_failures in parts:
        s.update(part_s)
        for kind in STRUCTURAL:
            codes[kind].update(part_codes[kind])
        failures += part_failures
    failures.sort(key=lambda f: (f["what"], f["report"]))
    shown: Counter = Counter()
    failures = [f for f in failures if shown.update([f["what"]]) or shown[f["what"]] <= 3]  # a few of each
    forms = {f: s[f"form {f}"] for f in FORMS}
    formats = {f: s[f"format {f}"] for f in FORMATS}
    s["seconds"] = round(time.perf_counter() - started, 1)
    injected = sum(s[f"{k}: injected"] for k in ARITHMETIC)
    detected = sum(s[f"{k}: error"] for k in ARITHMETIC)
    crashes = s["clean crashed"] + sum(s[f"{k}: crashed"] for k in FAULTS)
    located_share = 100.0 * s["located"] / s["determinable"] if s["determinable"] else 0.0
    targets = {
        "no false errors": s["clean with error"] == 0,
        "all arithmetic faults detected": detected == injected,
        f"determinable faults located >= {LOCATION_TARGET:g} %": located_share >= LOCATION_TARGET,
        "no crash": crashes == 0,
    }
    return {
        "reports": count,
        "seed": seed,
        "path": path,
        "jobs": jobs,
        "forms": forms,
        "formats": formats,
        "clean_with_error": s["clean with error"],
        "clean_read_exactly": s["clean read exactly"],
        "clean_active_split": s["active split"],
        "arithmetic_injected": injected,
        "arithmetic_detected": detected,
        "by_kind": {
            k: {
                "injected": s[f"{k}: injected"],
                "no_place": s[f"{k}: no place"],
                "error": s[f"{k}: error"],
                "reported": s[f"{k}: reported"],
                "visible": s[f"{k}: visible"] if k in STRUCTURAL else s[f"{k}: injected"],
                "crashed": s[f"{k}: crashed"],
            }
            for k in FAULTS
        },
        "determinable": s["determinable"],
        "located": s["located"],
        "located_share": round(located_share, 2),
        "pair_two_cells": s["pair: two cells"],
        "pair_located": s["pair: located"],
        "digit_appeals": s["digit: other table"],
        "digit_appeals_located": s["digit: other table located"],
        "structural_codes": {k: dict(c.most_common()) for k, c in codes.items()},
        "crashes": crashes,
        "seconds": s["seconds"],
        "targets": targets,
        "ok": all(targets.values()),
        "failure_counts": {k[len("failure: "):]: v for k, v in sorted(s.items()) if k.startswith("failure: ")},
        "failures": failures,
    }


def _pct(a: int, b: int) -> str:
    return f"({100 * a / b:.1f} %)" if b else "(-)"


def render(r: dict) -> str:
    k = r["by_kind"]
    out = [
        f"reports: {r['reports']} (forms: " + ", ".join(f"{f} {r['forms'].get(f, 0)}" for f in FORMS)
        + "; formats " + ", ".join(f"{f} {r['formats'].get(f, 0)}" for f in FORMATS) + f"; checked by {r['path']} path)",
        f"clean reports with an error finding:           {r['clean_with_error']} / {r['reports']}",
        f"clean reports read back exactly (every cell):  {r['clean_read_exactly']} / {r['reports']}"
        f"   (table 二 read as several tables: {r['clean_active_split']})",
        f"arithmetic faults detected (an error finding): {r['arithmetic_detected']} / {r['arithmetic_injected']}  {_pct(r['arithmetic_detected'], r['arithmetic_injected'])}",
        "    " + ", ".join(f"{kind} {k[kind]['error']}/{k[kind]['injected']}" for kind in ARITHMETIC),
        f"single determinable faults located exactly:    {r['located']} / {r['determinable']}  {_pct(r['located'], r['determinable'])}"
        "   (digit/swap in table 三: suspect-cell == injected cell, expected == true value)",
        f"digit faults in table 四 (block part: not determinable): detected {k['digit']['error']}/{k['digit']['injected']} overall; "
        f"{r['digit_appeals']} in 四, of which {r['digit_appeals_located']} still located exactly",
        f"pair swaps: one suspect set = the two cells:   {r['pair_two_cells']} / {k['pair']['injected']}  {_pct(r['pair_two_cells'], k['pair']['injected'])}"
        f"   (with both true values: {r['pair_located']})",
        "drop-row / shift / truncate: reported = a finding about table 三 that the clean report did not have",
        "    (visible = the fault changed what can be read: a shift along equal values changes nothing)",
    ]
    for kind in STRUCTURAL:
        codes = ", ".join(f"{c} {n}" for c, n in r["structural_codes"][kind].items())
        out.append(
            f"    {kind:9} reported {k[kind]['reported']} / {k[kind]['injected']} {_pct(k[kind]['reported'], k[kind]['injected'])}"
            f" (visible {k[kind]['visible']}), with an error {k[kind]['error']}, crashed {k[kind]['crashed']}   [{codes}]"
        )
    out.append(f"crashes (exceptions or internal-error findings): {r['crashes']}")
    out.append(f"time: {r['seconds']} s with {r['jobs']} worker(s)")
    out.append("targets: " + "; ".join(f"{name}: {'met' if ok else 'MISSED'}" for name, ok in r["targets"].items()))
    if r["failure_counts"]:
        out.append("failures: " + ", ".join(f"{what} {n}" for what, n in r["failure_counts"].items()))
    for f in r["failures"][:12]:
        out.append(f"  {f['what']} — report {f['report']} ({f['form']}, {f['format']}): fault {f['fault']}, got {f['got']}")
    return "\n".join(out)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--path", choices=("document", "text"), default="document")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="worker processes (default: one per core)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON instead of the table")
    args = parser.parse_args(argv)
    result = measure(args.reports, args.seed, args.path, args.jobs)
    print(json.dumps(result, ensure_ascii=False, indent=1) if args.json else render(result))
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
