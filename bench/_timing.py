"""Side-by-side timing: every contender runs once per round, rounds interleaved, medians compared.

The machine is shared and noisy (2 cores), so only ratios measured in one run mean anything.
"""

from __future__ import annotations

import statistics
import subprocess
import time


def interleaved(commands: dict[str, list[str]], rounds: int, env=None) -> dict[str, float]:
    """Median wall time in ms of each command, the commands taking turns round by round."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(rounds):
        for name, command in commands.items():
            start = time.perf_counter()
            done = subprocess.run(command, capture_output=True, env=env)
            if done.returncode:
                raise SystemExit(f"{name} failed ({done.returncode}): {' '.join(command)}\n{done.stderr.decode(errors='replace')[-2000:]}")
            times[name].append((time.perf_counter() - start) * 1000)
    return {name: statistics.median(values) for name, values in times.items()}


def median_ms(function, runs: int) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)
