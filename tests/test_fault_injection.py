"""Measured precision on a small generated corpus (bench/fault_injection.py runs the full 1,000),
and the generator itself (bench/corpus.py)."""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

from corpus import FAULTS, FORMATS, FORMS, SECTIONS, inject, report_text  # noqa: E402
from fault_injection import measure  # noqa: E402

from gkreport.spec import spec_for  # noqa: E402


def _assert_targets(r: dict) -> None:
    failures = r["failures"]
    assert r["clean_with_error"] == 0, failures
    assert r["clean_read_exactly"] == r["reports"], failures
    assert r["crashes"] == 0, failures
    for kind in ("digit", "swap", "pair"):
        assert r["by_kind"][kind]["error"] == r["by_kind"][kind]["injected"] > 0, failures
    assert r["determinable"] >= r["reports"] and r["located"] >= 0.95 * r["determinable"], failures
    for kind in ("drop-row", "shift", "truncate"):
        k = r["by_kind"][kind]
        assert k["reported"] >= k["visible"] > 0, failures  # every visible structural fault gives a finding
    assert r["ok"]


def test_targets_met_on_the_document_path():
    r = measure(60, seed=7, path="document", jobs=2)
    assert r["forms"] == {"pipe": 20, "cells": 20, "tabs": 20} and r["formats"] == {"2021": 30, "2019": 30}
    _assert_targets(r)


def test_targets_met_on_the_text_path():
    _assert_targets(measure(24, seed=8, path="text", jobs=1))


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("fmt", FORMATS)
def test_generated_report_is_deterministic_and_complete(fmt, form):
    text, truth = report_text(random.Random(5), fmt, form)
    again, _ = report_text(random.Random(5), fmt, form)
    assert text == again
    lines = text.split("\n")
    assert lines[0] == f"{2024 if fmt == '2021' else 2020}年XX县XX局政府信息公开工作年度报告"
    assert all(heading in lines for heading in SECTIONS)
    for table in ("active", "requests", "appeals"):
        assert set(truth[table]) == set(spec_for(table, fmt).cells)
    if form == "pipe":  # table 三 as 001 writes it: three header lines, ten cells a row
        start = next(i for i, line in enumerate(lines) if line.startswith("(本列数据"))
        assert lines[start].endswith("| 申请人情况 | ||||||||")
        assert lines[start + 1] == "自然人 | 法人或其他组织 | 总计 | |||||||"
        assert lines[start + 2].endswith("其他 | |||||")
        assert lines[start + 3].startswith("一、本年新收政府信息公开申请数量 | ") and lines[start + 3].endswith(" | ||")


@pytest.mark.parametrize("form", FORMS)
def test_injected_faults_change_what_they_say(form):
    text, truth = report_text(random.Random(9), "2021", form)
    for kind in FAULTS:
        mutated, fault = inject(random.Random(kind), text, truth, kind)
        assert fault.kind == kind and mutated != text
        assert fault.arithmetic == (kind in ("digit", "swap", "pair"))
        if kind in ("digit", "swap"):
            ((cell, (old, new)),) = fault.cells.items()
            assert old == truth[fault.table][cell] != new
        if kind == "pair":
            (a, (va, vb)), (b, (wa, wb)) = fault.cells.items()
            assert a[0] == b[0] and (va, vb) == (wb, wa) and va != vb
        if kind == "truncate":
            assert "五、存在的主要问题及改进情况" not in mutated
