"""The checker measured on generated reports, form by form (bench/fault_injection.py prints it;
tests/test_fault_injection.py asserts it on a small corpus).

Report n of a corpus is written in form ``forms[n % len(forms)]``, the formats taking turns
within each form.  Each is checked as it is, then once with each fault of ``faults.FAULTS``:

* a clean report is read back exactly when every cell the checker returns equals the truth; in
  ``glued`` text a cell the text does not determine (two readings of glued digits fit the
  arithmetic, ``oracle``) may be left unread, never read wrong; a report is misread silently when a
  figure is read wrong and no error or warning names its table (the worst outcome: nothing shows);
* an arithmetic fault (the written numbers break a rule a reader can check) is detected when an
  error finding names its table;
* a determinable fault (one minimal set of cells explains it, ``oracle``; in glued text also
  only where the faulted row still reads one way) is located exactly when the checker's suspect
  sets are that one set with the true values;
* a structural fault is reported when a finding names table 三 that the clean report did not have;
* a crash is an exception, an internal-error finding, or a check running past ``TIMEOUT`` seconds.

Targets, per form: no false error, every arithmetic fault detected, >= 95 % of the determinable
faults located exactly, no crash.
"""

from __future__ import annotations

import random
import signal
import statistics
import time
from collections import Counter, defaultdict

from gkreport.spec import spec_for
from gkreport.testing.faults import ARITHMETIC, FAULTS, STRUCTURAL, inject, judge
from gkreport.testing.forms import FORMATS, FORMS, Report, make_report
from gkreport.testing.oracle import consistent, determined_rows, glued_readings, kinds_of, value_of

LOCATION_TARGET = 95.0
TIMEOUT = 20.0  # seconds one check may take before it counts as a crash
SHOWN = 3  # failures kept of each kind and form


class CheckTimeout(BaseException):
    """Raised in a check running too long (a BaseException: the checker catches Exception)."""


def check(text: str, path: str = "text"):
    from gkreport.services.check import check_document, check_text

    if path == "text":
        return check_text(text)
    from gkreport.readers.textdoc import doc_from_text

    return check_document(doc_from_text(text))


def _timed_check(text: str, path: str):
    def stop(signum, frame):
        raise CheckTimeout

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, TIMEOUT)
    started = time.perf_counter()
    try:
        return check(text, path), time.perf_counter() - started
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def read_back(result) -> dict:
    """Table -> cell -> value as the checker read it (table 二 read in pieces is joined)."""
    out: dict = {}
    for t in result.tables:
        if t.checked is None:
            continue
        rows = t.recognized.rows_present
        out.setdefault(t.table, {}).update({cell: v for cell, v in t.checked.values.items() if cell[0] in rows})
    return out


def determined_cells(report: Report) -> set | None:
    """The cells the text determines: all of them (None), except in glued text (``oracle``)."""
    if report.form != "glued":
        return None
    return glued_reading(report)[0]


def glued_reading(report: Report) -> tuple[set, dict]:
    """What glued text lets a reader read: the (table, cell) it determines, and per table whether
    some reading of every row fits every rule (``oracle.consistent``)."""
    cells, fits = set(), {}
    for name, table in report.tables.items():
        spec = spec_for(name, table.format)
        readings, refs_of = {}, {}
        for line in table.lines:
            refs = [c.ref for c in line.values]
            pieces = _glued_pieces(report, name, refs) if refs else None
            if pieces is None:
                continue
            identities = tuple(
                (tuple(refs.index(c) for c, k in rule.terms if k < 0), refs.index(rule.target))
                for rule in spec.rules
                if all(c in refs for c, _ in rule.terms)
            )
            readings[line.key] = glued_readings(pieces, kinds_of(table, refs), identities)
            refs_of[line.key] = refs
        columns = [c.key for c in spec.columns]
        across = [rule for rule in spec.rules if len({c[0] for c, _ in rule.terms}) > 1]
        fits[name] = consistent(readings, columns, across)
        for key, reading in determined_rows(readings, columns, across).items():
            written = tuple(value_of(table.cell(ref).text) for ref in refs_of[key])
            if reading == written:  # one reading, and it is what was written
                cells.update((name, ref) for ref in refs_of[key])
    return cells, fits


def _glued_pieces(report: Report, name: str, refs: list) -> list[str] | None:
    spans = [report.offsets.get(("cell", name, ref)) for ref in refs]
    if any(span is None for span in spans):
        return None
    return report.body[spans[0][0] : spans[-1][1]].split()


def measure_one(n: int, seed: int = 0, forms: tuple[str, ...] = FORMS, path: str = "text"):
    """Outcomes for report ``n``: counts keyed by name, check times, structural codes, failures."""
    form = forms[n % len(forms)]
    fmt = FORMATS[(n // len(forms)) % len(FORMATS)]
    s: Counter = Counter()
    times: list[float] = []
    codes: dict[str, Counter] = {kind: Counter() for kind in STRUCTURAL}
    failures: list[dict] = []
    s[f"format {fmt}"] += 1

    def fail(what: str, report: Report, fault=None, got=None) -> None:
        s[f"failure: {what}"] += 1
        failures.append({"what": what, "report": n, "form": form, "format": fmt, "fault": fault.as_dict() if fault else None, "got": got, "text": report.body})

    report = make_report(random.Random(f"{seed}:{n}"), fmt, form)
    s["clean"] += 1
    try:
        clean, seconds = _timed_check(report.body, path)
        times.append(seconds)
    except (Exception, CheckTimeout) as exc:  # noqa: BLE001 - a crash is a result to report
        s["crashes"] += 1
        fail("crash on a clean report", report, got=repr(exc))
        return s, times, codes, failures
    if any(f.code.startswith("internal-error") for f in clean.findings):
        s["crashes"] += 1
        fail("internal error on a clean report", report, got=[f.message("en") for f in clean.findings if f.code.startswith("internal")])
    errors = [f for f in clean.findings if f.severity == "error"]
    if errors:
        s["clean with error"] += 1
        fail("error on a clean report", report, got=[f"{f.code}: {f.message('en')}" for f in errors][:4])
    read = read_back(clean)
    determined = determined_cells(report)
    wrong, unread, silent = {}, 0, False
    flagged = {f.table for f in clean.findings if f.severity in ("error", "warning")}
    for name, truth in report.truth.items():
        for cell, value in truth.items():
            got = read.get(name, {}).get(cell)
            if got == value:
                continue
            if got is None and determined is not None and (name, cell) not in determined:
                unread += 1
                continue
            wrong[f"{name}/{cell[0]}/{cell[1]}"] = [str(value), str(got)]
            silent = silent or (got is not None and name not in flagged)  # a figure read wrong, nothing said
    s["clean read exactly"] += not wrong and not unread
    s["clean read as determined"] += not wrong
    s["cells left unread (not determined)"] += unread
    s["clean misread silently"] += silent
    if wrong:
        fail("clean report read back wrongly", report, got=dict(list(wrong.items())[:6]))
    if wrong or errors:
        # Faults are measured on what the reader reads right when clean: otherwise the first
        # misreading is counted again under every fault.
        s["faults not measured (clean report misread)"] += 1
        return s, times, codes, failures
    usual = {(f.table, f.code) for f in clean.findings}  # e.g. placed-by-position: not news about a fault

    for kind in FAULTS:
        mutated, fault = inject(random.Random(f"{seed}:{n}:{kind}"), report, kind)
        if fault is None:
            s[f"{kind}: no place"] += 1
            continue
        s[f"{kind}: injected"] += 1
        if form == "glued" and kind not in STRUCTURAL:
            judge_glued(fault, report, mutated)
        try:
            result, seconds = _timed_check(mutated.body, path)
            times.append(seconds)
        except (Exception, CheckTimeout) as exc:  # noqa: BLE001
            s["crashes"] += 1
            fail(f"{kind}: crash", mutated, fault, repr(exc))
            continue
        if any(f.code.startswith("internal-error") for f in result.findings):
            s["crashes"] += 1
            fail(f"{kind}: internal error", mutated, fault, [f.message("en") for f in result.findings if f.code.startswith("internal")])
        errors = [f for f in result.findings if f.severity == "error" and f.table == fault.table]
        about = [f for f in result.findings if f.table == fault.table and (f.table, f.code) not in usual]
        if kind in STRUCTURAL:
            codes[kind].update({f.code for f in about})
            s[f"{kind}: visible"] += fault.visible
            s[f"{kind}: reported"] += bool(about)
            s[f"{kind}: with an error"] += bool(errors)
            if fault.visible and not about:
                fail(f"{kind}: not reported", mutated, fault, [f"{f.code}: {f.message('en')}" for f in result.findings])
            continue
        if fault.arithmetic:
            s[f"{kind}: arithmetic"] += 1
            s[f"{kind}: detected"] += bool(errors)
            if not errors:
                fail(f"{kind}: not detected", mutated, fault, [f"{f.code}: {f.message('en')}" for f in result.findings])
        table = next((t for t in result.tables if t.table == fault.table and t.checked), None)
        sets = table.checked.suspect_sets if table else None
        if kind == "pair":
            s["pair: one suspect set, the two cells"] += bool(sets) and len(sets) == 1 and set(sets[0]) == set(fault.cells)
        if fault.determinable:
            s[f"{kind}: determinable"] += 1
            exact = sets == [fault.expected]
            s[f"{kind}: located"] += exact
            if not exact:
                got = [{f"{r}/{c}": str(v) for (r, c), v in x.items()} for x in sets or []]
                fail(f"{kind}: not located", mutated, fault, {"suspect_sets": got})
    return s, times, codes, failures


def judge_glued(fault, report: Report, mutated: Report) -> None:
    """In glued text a reader sees only what the glued digits determine: the fault breaks the
    rules when no reading of the faulted text fits them all, and is located only from the cells
    that still read one way."""
    determined, fits = glued_reading(mutated)
    unknown = frozenset(cell for cell in report.truth[fault.table] if (fault.table, cell) not in determined)
    judge(fault, report.tables[fault.table], unknown)
    fault.arithmetic = fits[fault.table] is False
    fault.determinable = fault.determinable and fault.arithmetic
    fault.expected = fault.expected if fault.determinable else {}


def _chunk(args):
    numbers, seed, forms, path = args
    parts = [measure_one(n, seed, forms, path) for n in numbers]
    s: Counter = Counter()
    times: dict[str, list[float]] = defaultdict(list)
    codes: dict[str, dict[str, Counter]] = defaultdict(lambda: {kind: Counter() for kind in STRUCTURAL})
    failures: list[dict] = []
    for n, (one, one_times, one_codes, one_failures) in zip(numbers, parts):
        form = forms[n % len(forms)]
        s.update({(form, key): value for key, value in one.items()})
        times[form] += one_times
        for kind in STRUCTURAL:
            codes[form][kind].update(one_codes[kind])
        failures += one_failures
    return s, dict(times), {form: dict(c) for form, c in codes.items()}, failures


def measure(count: int, seed: int = 0, forms: tuple[str, ...] = FORMS, path: str = "text", jobs: int = 1) -> dict:
    """Every outcome over ``count`` reports, per form, with the targets met or not."""
    started = time.perf_counter()
    jobs = max(1, jobs)
    chunks = [(list(range(k, count, jobs)), seed, tuple(forms), path) for k in range(jobs)]
    if jobs > 1:
        import multiprocessing

        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            parts = pool.map(_chunk, chunks)
    else:
        parts = [_chunk(chunks[0])]
    s: Counter = Counter()
    times: dict[str, list[float]] = defaultdict(list)
    codes: dict[str, dict[str, Counter]] = defaultdict(lambda: {kind: Counter() for kind in STRUCTURAL})
    failures: list[dict] = []
    for part_s, part_times, part_codes, part_failures in parts:
        s.update(part_s)
        for form, values in part_times.items():
            times[form] += values
        for form, by_kind in part_codes.items():
            for kind, counter in by_kind.items():
                codes[form][kind].update(counter)
        failures += part_failures
    failures.sort(key=lambda f: (f["form"], f["what"], f["report"]))
    shown: Counter = Counter()
    kept = []
    for failure in failures:
        shown[(failure["form"], failure["what"])] += 1
        if shown[(failure["form"], failure["what"])] <= SHOWN:
            kept.append(failure)
    per_form = {form: _form_figures(form, s, times.get(form, []), codes[form]) for form in forms}
    return {
        "reports": count,
        "seed": seed,
        "path": path,
        "jobs": jobs,
        "seconds": round(time.perf_counter() - started, 1),
        "forms": per_form,
        "ok": all(f["ok"] for f in per_form.values()),
        "failures": kept,
    }


def _form_figures(form: str, s: Counter, times: list[float], codes: dict) -> dict:
    def get(key: str) -> int:
        return s[(form, key)]

    arithmetic = sum(get(f"{k}: arithmetic") for k in ARITHMETIC)
    detected = sum(get(f"{k}: detected") for k in ARITHMETIC)
    determinable = sum(get(f"{k}: determinable") for k in ARITHMETIC)
    located = sum(get(f"{k}: located") for k in ARITHMETIC)
    share = 100.0 * located / determinable if determinable else 100.0
    targets = {
        "no false errors": get("clean with error") == 0,
        "all arithmetic faults detected": detected == arithmetic,
        f"determinable faults located >= {LOCATION_TARGET:g} %": share >= LOCATION_TARGET,
        "no crash": get("crashes") == 0,
    }
    return {
        "reports": get("clean"),
        "formats": {f: get(f"format {f}") for f in FORMATS},
        "clean_with_error": get("clean with error"),
        "clean_read_exactly": get("clean read exactly"),
        "clean_read_as_determined": get("clean read as determined"),
        "cells_not_determined": get("cells left unread (not determined)"),
        "clean_misread_silently": get("clean misread silently"),
        "faults_not_measured": get("faults not measured (clean report misread)"),
        "arithmetic": arithmetic,
        "detected": detected,
        "determinable": determinable,
        "located": located,
        "located_share": round(share, 2),
        "by_kind": {
            k: {
                "injected": get(f"{k}: injected"),
                "no_place": get(f"{k}: no place"),
                "arithmetic": get(f"{k}: arithmetic"),
                "detected": get(f"{k}: detected"),
                "determinable": get(f"{k}: determinable"),
                "located": get(f"{k}: located"),
                "visible": get(f"{k}: visible"),
                "reported": get(f"{k}: reported"),
                "with_error": get(f"{k}: with an error"),
            }
            for k in FAULTS
        },
        "pair_one_set": get("pair: one suspect set, the two cells"),
        "structural_codes": {k: dict(c.most_common()) for k, c in codes.items()},
        "crashes": get("crashes"),
        "check_ms_median": round(1000 * statistics.median(times), 1) if times else None,
        "check_ms_max": round(1000 * max(times), 1) if times else None,
        "targets": targets,
        "ok": all(targets.values()),
        "failure_counts": {k[1][len("failure: ") :]: v for k, v in sorted(s.items()) if k[0] == form and k[1].startswith("failure: ")},
    }
