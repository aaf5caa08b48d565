"""%%gkreport in a warm kernel (issue 4 target: median <= 20 ms for the requests table).

A real IPython kernel (jupyter_client), the extension loaded and one warm-up run; then the
cell is executed N times and the round trip (request to idle, outputs included) is timed.  The
same cell run in process (InteractiveShell, no messaging) is printed beside it.
Usage: python bench/magic_latency.py [--runs 50] [--json]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time

from gkreport.testing.values import consistent_requests, pipe_requests


def cell() -> str:
    values = consistent_requests(random.Random(1))
    blanks = {(row, "total"): "" for row, _ in values if row in ("new", "carried_over", "carried_forward")}
    return "%%gkreport requests\n" + pipe_requests(values, replace=blanks)


def in_kernel(code: str, runs: int) -> float:
    from jupyter_client.manager import start_new_kernel

    manager, client = start_new_kernel(kernel_name="python3")
    try:
        client.execute_interactive("%load_ext gkreport", timeout=60)
        client.execute_interactive(code, timeout=60, output_hook=lambda msg: None)
        samples = []
        for _ in range(runs):
            start = time.perf_counter()
            reply = client.execute_interactive(code, timeout=60, output_hook=lambda msg: None)
            samples.append((time.perf_counter() - start) * 1000)
            assert reply["content"]["status"] == "ok", reply["content"]
        return statistics.median(samples)
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)


def in_process(code: str, runs: int) -> float:
    from IPython.core.interactiveshell import InteractiveShell
    from IPython.utils.capture import capture_output

    shell = InteractiveShell.instance()
    shell.display_formatter.active_types = ["text/plain", "text/html", "text/markdown"]
    shell.run_line_magic("load_ext", "gkreport")
    line, body = code.split("\n", 1)
    samples = []
    for _ in range(runs + 1):
        start = time.perf_counter()
        with capture_output():
            shell.run_cell_magic("gkreport", line.split(" ", 1)[1], body)
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples[1:])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    code = cell()
    figures = {"kernel": in_kernel(code, args.runs), "in process": in_process(code, args.runs)}
    print(f"%%gkreport requests, warm kernel   median {figures['kernel']:6.1f} ms  (target <= 20 ms, {args.runs} runs)")
    print(f"%%gkreport requests, in process    median {figures['in process']:6.1f} ms")
    if args.json:
        print(json.dumps({k: round(v, 2) for k, v in figures.items()}))


if __name__ == "__main__":
    main()
