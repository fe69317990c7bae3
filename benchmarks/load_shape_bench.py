"""Hourly-load benchmark (issue #11): representative years for a Monte Carlo of the hourly scenario.

Run: .venv/bin/python benchmarks/load_shape_bench.py
Under ``demand.load_shape = "hourly"`` every draw with its own workload parameters needs its own
year of hourly load, with its batch work moved into troughs (econ.load_shape). This times the
1,000 years of a 1,000-draw Monte Carlo built in one vectorized call, against building them
one at a time in a Python loop, and the whole econ.simulate of the hourly scenario against the
base scenario (flat rule) on the same number of draws.
"""

from __future__ import annotations

import platform
import time
from dataclasses import replace

import numpy as np

import econ
from econ.inputs import inputs_from_scenario
from econ.load_shape import load_curves

DRAWS, LOOP_SAMPLE, SEED = 1_000, 50, 20261122


def parameters(n: int) -> np.ndarray:
    """Batch share, realtime share, deadline and noise CV drawn over the scenario's ranges."""
    rng = np.random.default_rng(0)
    return np.column_stack([rng.uniform(0.05, 0.30, n), np.full(n, 0.03), np.full(n, 24.0), rng.uniform(0.05, 0.25, n)])


def main() -> None:
    inputs = inputs_from_scenario(econ.load_scenario("hourly"))
    params = parameters(DRAWS)
    times = []
    for seed in (1, 2, 3):  # a new seed each run, so no year comes from the cache
        spec = replace(inputs.year, seed=seed)
        start = time.perf_counter()
        together = load_curves(spec, params)
        times.append(time.perf_counter() - start)
    vectorized = float(np.median(times))
    spec = replace(inputs.year, seed=4)
    start = time.perf_counter()
    alone = [load_curves(spec, params[i : i + 1]).peak_ratio[0] for i in range(LOOP_SAMPLE)]
    loop = (time.perf_counter() - start) / LOOP_SAMPLE * DRAWS
    check = load_curves(spec, params[:LOOP_SAMPLE]).peak_ratio
    assert np.allclose(check, alone, rtol=1e-12), "one call and the loop must build the same years"
    assert together.ascending.shape == (DRAWS, 8760)
    runs = {}
    for name in ("base", "hourly"):
        start = time.perf_counter()
        econ.simulate(econ.load_scenario(name), DRAWS, SEED)
        runs[name] = time.perf_counter() - start
    print(f"Python {platform.python_version()}, numpy {np.__version__}, {platform.machine()}")
    print(f"{DRAWS:,} distinct years in one call (load_curves): median {vectorized:.2f} s over 3 runs")
    print(f"one year at a time (Python loop; {LOOP_SAMPLE} timed, scaled): {loop:.1f} s -> {loop / vectorized:.1f}x slower")
    print(f"econ.simulate, {DRAWS:,} draws: base (flat rule) {runs['base']:.1f} s, hourly {runs['hourly']:.1f} s")


if __name__ == "__main__":
    main()
