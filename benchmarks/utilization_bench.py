"""Sizing benchmark (issue #11): a year of hourly load x 10,000 Monte Carlo draws in one vectorized call.

Run: .venv/bin/python benchmarks/utilization_bench.py
Times econ.utilization.optimal_owned_capacity on a (10,000, 8,760) array of loads with a
fixed cost per draw, against the same function called draw by draw in a Python loop (the
way a user would size one scenario at a time), and checks the two agree.
"""

from __future__ import annotations

import platform
import resource
import time

import numpy as np
from run import median_time  # the same timer as the other benchmarks

from econ.utilization import optimal_owned_capacity

DRAWS, HOURS, LOOP_SAMPLE = 10_000, 8_760, 500


def loads(n: int, seed: int = 0) -> np.ndarray:
    """Daily and weekly cycles with growth and noise, one row per draw [units of capacity]."""
    rng = np.random.default_rng(seed)
    h = np.arange(HOURS)
    daily = 1 + 0.35 * np.cos(2 * np.pi * (h % 24 - 15) / 24)
    weekly = np.where((h // 24) % 7 >= 5, 0.7, 1.0)
    growth = (1 + rng.uniform(0.0, 1.0, (n, 1))) ** (h / HOURS)
    noise = rng.normal(1.0, 0.1, (n, HOURS)).clip(0.5, 1.5)
    out: np.ndarray = 100 * daily * weekly * growth * noise
    return out


def main() -> None:
    load = loads(DRAWS)
    fixed = np.random.default_rng(1).uniform(0.5, 1.5, DRAWS)
    vectorized = median_time(lambda: optimal_owned_capacity(load, fixed, 0.2, 2.5), repeat=3)
    together = optimal_owned_capacity(load, fixed, 0.2, 2.5)
    start = time.perf_counter()
    alone = [optimal_owned_capacity(load[i], float(fixed[i]), 0.2, 2.5) for i in range(LOOP_SAMPLE)]
    loop = (time.perf_counter() - start) / LOOP_SAMPLE * DRAWS
    assert np.array_equal(together[:LOOP_SAMPLE], alone)
    peak_gb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2
    print(f"Python {platform.python_version()}, numpy {np.__version__}, {platform.machine()}")
    print(f"optimal_owned_capacity, {DRAWS:,} draws x {HOURS:,} hours in one call: median {vectorized:.2f} s over 3 runs")
    print(f"peak RSS {peak_gb:.2f} GB")
    print(f"one draw at a time (Python loop; {LOOP_SAMPLE} draws timed, scaled): {loop:.1f} s -> {loop / vectorized:.1f}x slower")


if __name__ == "__main__":
    main()
