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


def _excerpt(text: str, fault) -> str:
    """The lines of table 三 (or 四) around the change, for a failure message."""
    lines = text.split("\n")
    marker = "(本列数据" if fault is None or fault.table == "requests" else "行政复议 "
    start = next((i for i, line in enumerate(lines) if line.startswith(marker)), 0)
    return "\n".join(lines[start : start + 40])


def measure(count: int, seed: int = 0, path: str = "document") -> dict:
    """Counts of every outcome, and the failing cases (at most a few of each kind)."""
    s: Counter = Counter()
    codes: dict[str, Counter] = {kind: Counter() for kind in STRUCTURAL}
    failures: list[dict] = []
    forms: Counter = Counter()
    formats: Counter = Counter()
    started = time.perf_counter()

    def fail(what: str, n: int, form: str, fmt: str, text: str, fault=None, got=None) -> None:
        s[f"failure: {what}"] += 1
        if s[f"failure: {what}"] <= 3:
            failures.append({"what": what, "report": n, "form": form, "format": fmt, "fault": fault.as_dict() if fault else None, "got": got, "excerpt": _excerpt(text, fault)})

    for n in range(count):
        fmt, form = FORMATS[n % 2], FORMS[n % 3]
        forms[form] += 1
        formats[fmt] += 1
        text, truth = report_text(random.Random(f"{seed}:{n}"), fmt, form)
        s["clean"] += 1
        try:
            clean = check(text, path)
        except Exception as exc:  # noqa: BLE001 - a crash is a result to report
            s["clean crashed"] += 1
            fail("crash on a clean report", n, form, fmt, text, got=repr(exc))
            continue
        if _errors(clean):
            s["clean with error"] += 1
            fail("error on a clean report", n, form, fmt, text, got=[f.line() for f in _errors(clean)])
        read = {name: (t.checked.values if t.checked else {}) for name in truth for t in [_table(clean, name)] if t}
        if all(read.get(name, {}).get(cell) == value for name in truth for cell, value in truth[name].items()):
            s["clean read exactly"] += 1
        else:
            wrong = {f"{name}/{c}": [str(v), str(read.get(name, {}).get(c))] for name in truth for c, v in truth[name].items() if read.get(name, {}).get(c) != v}
            fail("clean report read back wrongly", n, form, fmt, text, got=dict(list(wrong.items())[:6]))

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
                fail(f"{kind}: crash", n, form, fmt, mutated, fault, repr(exc))
                continue
            if any(f.code.startswith("internal-error") for f in result.findings):
                s[f"{kind}: crashed"] += 1
                fail(f"{kind}: internal error", n, form, fmt, mutated, fault, [f.line() for f in result.findings if f.code.startswith("internal")])
            errors = _errors(result, fault.table)
            about = [f for f in result.findings if f.table == fault.table]
            s[f"{kind}: error"] += bool(errors)
            s[f"{kind}: reported"] += bool(about)
            if kind in STRUCTURAL:
                codes[kind].update({f.code for f in about})
                if not about:
                    fail(f"{kind}: not reported", n, form, fmt, mutated, fault, [f.line() for f in result.findings])
                continue
            if not errors:
                fail(f"{kind}: not detected", n, form, fmt, mutated, fault, [f.line() for f in result.findings])
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
                    fail(f"{kind}: not located", n, form, fmt, mutated, fault, {"suspect_sets": [{f"{r}/{c}": str(v) for (r, c), v in x.items()} for x in sets or []]})
            else:
                s[f"{kind}: other table"] += 1
                s[f"{kind}: other table located"] += exact
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
        "forms": dict(forms),
        "formats": dict(formats),
        "clean_with_error": s["clean with error"],
        "clean_read_exactly": s["clean read exactly"],
        "arithmetic_injected": injected,
        "arithmetic_detected": detected,
        "by_kind": {k: {"injected": s[f"{k}: injected"], "error": s[f"{k}: error"], "reported": s[f"{k}: reported"], "crashed": s[f"{k}: crashed"]} for k in FAULTS},
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
        f"clean reports read back exactly (every cell):  {r['clean_read_exactly']} / {r['reports']}",
        f"arithmetic faults detected (an error finding): {r['arithmetic_detected']} / {r['arithmetic_injected']}  {_pct(r['arithmetic_detected'], r['arithmetic_injected'])}",
        "    " + ", ".join(f"{kind} {k[kind]['error']}/{k[kind]['injected']}" for kind in ARITHMETIC),
        f"single determinable faults located exactly:    {r['located']} / {r['determinable']}  {_pct(r['located'], r['determinable'])}"
        "   (digit/swap in table 三: suspect-cell == injected cell, expected == true value)",
        f"digit faults in table 四 (block part: not determinable): detected {k['digit']['error']}/{k['digit']['injected']} overall; "
        f"{r['digit_appeals']} in 四, of which {r['digit_appeals_located']} still located exactly",
        f"pair swaps: one suspect set = the two cells:   {r['pair_two_cells']} / {k['pair']['injected']}  {_pct(r['pair_two_cells'], k['pair']['injected'])}"
        f"   (with both true values: {r['pair_located']})",
        "drop-row / shift / truncate: reported (a finding about table 三), of which with an error, crashes:",
    ]
    for kind in STRUCTURAL:
        codes = ", ".join(f"{c} {n}" for c, n in r["structural_codes"][kind].items())
        out.append(f"    {kind:9} {k[kind]['reported']} / {k[kind]['injected']} {_pct(k[kind]['reported'], k[kind]['injected'])}, error {k[kind]['error']}, crashed {k[kind]['crashed']}   [{codes}]")
    out.append(f"crashes (exceptions or internal-error findings): {r['crashes']}")
    out.append(f"time: {r['seconds']} s ({1000 * r['seconds'] / max(1, r['reports'] * (1 + len(FAULTS))):.1f} ms a check)")
    out.append("targets: " + "; ".join(f"{name}: {'met' if ok else 'MISSED'}" for name, ok in r["targets"].items()))
    for f in r["failures"][:12]:
        out.append(f"  failure: {f['what']} — report {f['report']} ({f['form']}, {f['format']}): fault {f['fault']}, got {f['got']}")
    return "\n".join(out)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--path", choices=("document", "text"), default="document")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON instead of the table")
    args = parser.parse_args(argv)
    result = measure(args.reports, args.seed, args.path)
    print(json.dumps(result, ensure_ascii=False, indent=1) if args.json else render(result))
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
