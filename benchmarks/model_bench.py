"""Monte Carlo benchmark (issue #4): 100,000 draws, 15-year monthly horizon, 10-site program.

Run: .venv/bin/python benchmarks/model_bench.py
Prints wall time and peak memory of econ.simulate, and the ratio against evaluating the
same draws one at a time in a Python loop (timed on a sample of draws, scaled).
"""

from __future__ import annotations

import platform
import resource
import time

import numpy as np

import econ
from econ.assumptions import load_scenario
from econ.inputs import inputs_from_scenario
from econ.risk import sample_inputs
from econ.strategies import forecast, npv_cost, run_strategy

N = 100_000
LOOP_SAMPLE = 300


def main() -> None:
    scenario = load_scenario("build")  # ten sites
    assert len(scenario.site_ids) == 10
    assert scenario["horizon.years"] == 15
    econ.simulate(scenario, 1000, seed=0, workers=1)  # warm-up
    times = []
    for _ in range(3):
        start = time.perf_counter()
        draws = econ.simulate(scenario, N, seed=1, workers=1)  # one core: the series since issue 4
        times.append(time.perf_counter() - start)
    peak_gb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2
    inputs, _ = sample_inputs(scenario, LOOP_SAMPLE, seed=1)
    plan = forecast(inputs_from_scenario(scenario))  # what simulate sizes the contracts on
    start = time.perf_counter()
    for i in range(LOOP_SAMPLE):
        one = inputs.take(slice(i, i + 1))
        for s in ("rent", "build", "hybrid"):
            npv_cost(one, run_strategy(one, s, plan))
    loop = (time.perf_counter() - start) / LOOP_SAMPLE * N
    vectorized = float(np.median(times))
    print(f"Python {platform.python_version()}, numpy {np.__version__}, {platform.machine()}")
    print(f"scenario 'build' ({len(scenario.site_ids)} sites, {scenario['horizon.years']} years monthly), {N:,} draws, 3 strategies")
    print(f"econ.simulate: median {vectorized:.2f} s over 3 runs (runs: {', '.join(f'{t:.2f}' for t in times)}); peak RSS {peak_gb:.2f} GB")
    print(
        f"one draw at a time (same code, Python loop; {LOOP_SAMPLE} draws timed, scaled): {loop:.1f} s -> {loop / vectorized:.0f}x slower"
    )
    print(f"P(build cheaper than rent) = {(draws['npv_cost_difference_build_usd'] < 0).mean():.3f}")


if __name__ == "__main__":
    main()
