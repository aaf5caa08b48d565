"""Measured precision on a small generated corpus (bench/fault_injection.py runs the full 1,000)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

from fault_injection import measure  # noqa: E402


def test_faults_detected_and_located_on_generated_reports():
    result = measure(36, seed=7)
    s = result["stats"]
    assert s["clean with error"] == 0, result["failures"]
    for kind in ("digit", "swap", "pair"):
        assert s[f"{kind}: error found"] == s[f"{kind}: injected"] > 0, result["failures"]
    assert s["located"] >= 0.95 * s["determinable"] and s["determinable"] >= 60, result["failures"]
    for kind in ("drop-row", "shift", "truncate"):
        assert s[f"{kind}: reported"] == s[f"{kind}: injected"]
    assert not any(key.endswith("crashed") for key in s)
