"""Measured precision of the checker, form by form: correct generated reports, then one known fault
at a time (gkreport.testing.precision says what is counted and how).

    python bench/fault_injection.py [--reports N] [--seed S] [--forms F ...] [--path text|document] [--jobs J] [--json]

N generated reports (gkreport.testing.forms: the forms taking turns, each in both formats) are
checked as they are, then with each fault of gkreport.testing.faults.  Per form: clean reports read
back exactly, false errors, arithmetic faults detected, determinable faults located exactly,
structural faults reported, crashes, time a check takes.  Targets, per form (exit status 1 when
one is missed): no false error, every arithmetic fault detected, >= 95 % of the determinable faults
located exactly, no crash.  ``--path text`` checks as `gk check`/`gk audit` read a .txt
(services.check.check_text); ``--path document`` as the filter does (a pandoc document of the text).
"""

from __future__ import annotations

import argparse
import json
import os
import sys

from gkreport.testing.faults import ARITHMETIC, STRUCTURAL
from gkreport.testing.forms import FORMS
from gkreport.testing.precision import LOCATION_TARGET, measure


def _pct(a: int, b: int) -> str:
    return f"{100 * a / b:5.1f} %" if b else "    -  "


def render(r: dict) -> str:
    out = [f"{r['reports']} reports, seed {r['seed']}, checked by the {r['path']} path, {r['jobs']} worker(s), {r['seconds']} s", ""]
    header = (
        f"{'form':10} {'clean':>5} {'exact':>11} {'silent':>6} {'false err':>9} {'faulted':>7} {'detected':>15} {'located':>15} "
        f"{'structural':>15} "
        f"{'crash':>5} {'ms/check':>13}"
    )
    out.append(header)
    for form, f in r["forms"].items():
        structural = sum(f["by_kind"][k]["reported"] for k in STRUCTURAL)
        visible = sum(f["by_kind"][k]["visible"] for k in STRUCTURAL)
        exact = f"{f['clean_read_exactly']}" + (f"/{f['clean_read_as_determined']}" if form == "glued" else "")
        out.append(
            f"{form:10} {f['reports']:5} {exact:>11} {f['clean_misread_silently']:6} {f['clean_with_error']:9} "
            f"{f['reports'] - f['faults_not_measured']:7} "
            f"{f['detected']:>5}/{f['arithmetic']:<4}{_pct(f['detected'], f['arithmetic']):>6} "
            f"{f['located']:>5}/{f['determinable']:<4}{_pct(f['located'], f['determinable']):>6} "
            f"{structural:>5}/{visible:<4}{_pct(structural, visible):>6} {f['crashes']:5} "
            f"{f['check_ms_median'] or 0:6.1f}/{f['check_ms_max'] or 0:<6.0f}"
        )
    out += [
        "",
        "exact: clean reports whose every cell reads back as generated (glued: /as far as the text determines them);",
        "silent: clean reports with a figure read wrong and no error or warning about its table;",
        "false err: clean reports with an error finding; faulted: reports read right when clean, on which the faults are made;",
        "detected: arithmetic faults with an error finding;",
        "located: determinable faults whose one suspect set is the changed cells with their true values;",
        "structural: visible drop-row/shift/truncate faults with a new finding; ms/check: median/max.",
        "",
        "by fault kind (detected/arithmetic, located/determinable, reported/visible):",
    ]
    for form, f in r["forms"].items():
        k = f["by_kind"]
        parts = [f"{kind} {k[kind]['detected']}/{k[kind]['arithmetic']} {k[kind]['located']}/{k[kind]['determinable']}" for kind in ARITHMETIC]
        parts += [f"{kind} {k[kind]['reported']}/{k[kind]['visible']}" for kind in STRUCTURAL]
        out.append(f"  {form:10} " + "; ".join(parts))
    out.append("")
    for form, f in r["forms"].items():
        missed = [name for name, ok in f["targets"].items() if not ok]
        out.append(f"targets {form:10} " + ("met" if not missed else "MISSED: " + ", ".join(missed)))
    out.append(f"targets overall: {'met' if r['ok'] else 'MISSED'} (per form: no false error, every arithmetic fault detected, "
               f">= {LOCATION_TARGET:g} % of determinable faults located, no crash)")
    counts = [(form, what, n) for form, f in r["forms"].items() for what, n in f["failure_counts"].items()]
    if counts:
        out.append("failures: " + "; ".join(f"{form} {what} {n}" for form, what, n in counts))
    for failure in r["failures"][:20]:
        out.append(f"  {failure['form']} {failure['what']} — report {failure['report']} ({failure['format']}): "
                   f"fault {failure['fault'] and failure['fault']['detail']}, got {str(failure['got'])[:300]}")
    return "\n".join(out)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--forms", nargs="+", choices=FORMS, default=list(FORMS))
    parser.add_argument("--path", choices=("text", "document"), default="text")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="worker processes (default: one per core)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON (failing texts left out)")
    args = parser.parse_args(argv)
    result = measure(args.reports, args.seed, tuple(args.forms), args.path, args.jobs)
    if args.json:
        for failure in result["failures"]:
            failure.pop("text", None)
        print(json.dumps(result, ensure_ascii=False, indent=1))
    else:
        print(render(result))
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
