"""Measured precision: correct generated reports, then one known fault injected at a time.

Targets (issue 3): every injected arithmetic fault detected, no error on the clean reports, the
Fellegi–Holt suspect equal to the injected cell (with its true value) in >= 95 % of the single
faults the rules determine.  Usage: python bench/fault_injection.py [--reports N] [--seed S] [--json]
Exit status 1 when a target is missed.
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
from corpus import ARITHMETIC, FAULTS, corpus, inject  # noqa: E402

from gkreport.report import check_text  # noqa: E402


def measure(count: int, seed: int = 0) -> dict:
    stats: Counter = Counter()
    forms: Counter = Counter()
    failures: list[str] = []
    rng = random.Random(seed + 1)
    started = time.perf_counter()
    for n, report in enumerate(corpus(count, seed)):
        forms[(report.form, report.format)] += 1
        clean = check_text(report.text())
        stats["clean"] += 1
        if any(f.severity == "error" for f in clean.findings) or len(clean.tables) != 3:
            stats["clean with error"] += 1
            failures.append(f"clean report {n} ({report.form}, {report.format}): " + "; ".join(f.line() for f in clean.findings if f.severity == "error"))
        for kind in FAULTS:
            mutated = _copy(report)
            fault = inject(rng, mutated, kind)
            if fault is None:
                continue
            try:
                result = check_text(mutated.text())
            except Exception as exc:  # noqa: BLE001 - a crash is a result to report
                stats[f"{kind}: crashed"] += 1
                failures.append(f"{kind} on report {n}: {type(exc).__name__}: {exc}")
                continue
            table = next((t for t in result.tables if t.table == fault.table), None)
            findings = table.findings if table else []
            stats[f"{kind}: injected"] += 1
            if any(f.severity == "error" for f in findings):
                stats[f"{kind}: error found"] += 1
            if findings or table is None:
                stats[f"{kind}: reported"] += 1
            if fault.arithmetic and not any(f.severity == "error" for f in findings):
                failures.append(f"{kind} on report {n} ({report.form}) not detected: {fault.cells}")
            if fault.arithmetic and table is not None and table.checked is not None:
                truth = {cell: true for cell, (true, _) in fault.cells.items()}
                located = table.checked.suspect_sets == [truth]
                if fault.determinable:
                    stats["determinable"] += 1
                    stats["located"] += located
                    if not located:
                        failures.append(f"{kind} on report {n} ({report.form}): injected {fault.cells}, suspects {table.checked.suspect_sets}")
                else:
                    stats[f"{kind}: located"] += located
    stats["seconds"] = round(time.perf_counter() - started, 1)
    return {"stats": stats, "forms": forms, "failures": failures}


def _copy(report):
    import copy

    return copy.deepcopy(report)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result = measure(args.reports, args.seed)
    s = result["stats"]
    detected = sum(s[f"{k}: error found"] for k in ARITHMETIC)
    injected = sum(s[f"{k}: injected"] for k in ARITHMETIC)
    share = 100 * s["located"] / max(1, s["determinable"])
    forms = ", ".join(f"{form} {fmt}: {n}" for (form, fmt), n in sorted(result["forms"].items()))
    print(f"reports: {s['clean']} ({forms})")
    print(f"clean reports with an error finding:            {s['clean with error']} / {s['clean']}")
    print(f"arithmetic faults detected (digit, swap, pair): {detected} / {injected}  ({100 * detected / max(1, injected):.1f} %)")
    print(f"single determinable faults located exactly:     {s['located']} / {s['determinable']}  ({share:.1f} %)")
    print(f"pair swaps located as the two cells:            {s['pair: located']} / {s['pair: injected']}")
    for kind in ("drop-row", "shift", "truncate"):
        print(f"{kind:9} reported by a finding:                {s[f'{kind}: reported']} / {s[f'{kind}: injected']}  (an error: {s[f'{kind}: error found']})")
    crashes = sum(v for k, v in s.items() if k.endswith("crashed"))
    print(f"crashes: {crashes}   time: {s['seconds']} s")
    for line in result["failures"][:10]:
        print("  failure:", line)
    if args.json:
        print(json.dumps({"clean_errors": s["clean with error"], "detected": detected, "injected": injected, "located": s["located"], "determinable": s["determinable"]}))
    ok = s["clean with error"] == 0 and detected == injected and share >= 95 and crashes == 0
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
