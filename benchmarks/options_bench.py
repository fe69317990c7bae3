"""Real-options kernels benchmark (issue #17): 100,000 paths x 180 months, one-factor GBM, an option to defer.

Run: .venv/bin/python benchmarks/options_bench.py [--paths 100000] [--months 180] [--repeat 3]
The option to invest I = 100 in a project worth V, V_0 = 100, over 15 years with monthly
decisions: payoff max(V_t - I, 0). V follows risk-neutral GBM with drift r - delta (delta = 4 %/year,
the cash flows forgone while waiting, McDonald and Siegel 1986), r = 5 %/year, sigma = 30 %/year.
Times econ.paths.gbm_paths and econ.options.lsm_american separately (best of --repeat), and
checks the value against a CRR lattice with the same monthly exercise dates.
"""

from __future__ import annotations

import argparse
import os
import platform
import time

import numpy as np

from econ.options import european_value, lsm_american, perfect_foresight_value
from econ.paths import gbm_paths

V0, INVEST, RATE, YIELD, SIGMA, SEED = 100.0, 100.0, 0.05, 0.04, 0.30, 20261127


def defer(value: np.ndarray, month: int) -> np.ndarray:
    return value - INVEST


def lattice_call(months: int, steps_per_month: int) -> float:
    """CRR lattice of the call max(V - I, 0) with yield, exercisable at month ends (and now)."""
    n = months * steps_per_month
    dt = months / 12 / n
    u = np.exp(SIGMA * np.sqrt(dt))
    p = (np.exp((RATE - YIELD) * dt) - 1 / u) / (u - 1 / u)
    disc = np.exp(-RATE * dt)
    v_state = V0 * u ** (n - 2.0 * np.arange(n + 1))
    value = np.maximum(v_state - INVEST, 0.0)
    for i in range(n - 1, -1, -1):
        v_state = v_state[:-1] / u
        value = disc * (p * value[:-1] + (1 - p) * value[1:])
        if i % steps_per_month == 0:
            np.maximum(value, v_state - INVEST, out=value)
    return float(value[0])


def best_of(repeat: int, fn):  # type: ignore[no-untyped-def]
    best, out = np.inf, None
    for _ in range(repeat):
        start = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - start)
    return best, out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--paths", type=int, default=100_000)
    parser.add_argument("--months", type=int, default=180)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    n, months = args.paths, args.months

    t_paths, paths = best_of(args.repeat, lambda: gbm_paths(V0, RATE - YIELD, SIGMA, months, n, seed=SEED))
    t_lsm, result = best_of(args.repeat, lambda: lsm_american(paths, defer, RATE))
    t_eur, european = best_of(args.repeat, lambda: european_value(paths, defer, RATE, months))
    t_pf, foresight = best_of(args.repeat, lambda: perfect_foresight_value(paths, defer, RATE))
    t_lat, lattice = best_of(1, lambda: lattice_call(months, 20))
    exercised = result.exercise_month >= 0

    print(f"# Options benchmark: {n:,} paths x {months} months, one-factor GBM, option to defer\n")
    print(f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, numpy {np.__version__}; ")
    print(f"load average at the end {os.getloadavg()[0]:.1f}. Best of {args.repeat} runs.\n")
    print("| step | seconds | result |")
    print("|---|---:|---|")
    print(f"| `gbm_paths` ({n:,} x {months + 1}, float64, {paths.nbytes / 1e6:.0f} MB) | {t_paths:.2f} | |")
    print(f"| `lsm_american` (Laguerre, degree 3, {months + 1} dates) | {t_lsm:.2f} | {result.value:.3f} ± {result.std_error:.3f} |")
    print(f"| `european_value` (month {months}) | {t_eur:.3f} | {european.value:.3f} ± {european.std_error:.3f} |")
    print(f"| `perfect_foresight_value` | {t_pf:.2f} | {foresight.value:.3f} ± {foresight.std_error:.3f} |")
    print(f"| CRR lattice, same monthly dates, 20 steps a month | {t_lat:.2f} | {lattice:.3f} |")
    print()
    print(
        f"LSM - lattice = {result.value - lattice:+.3f} ({(result.value - lattice) / result.std_error:+.1f} s.e.); "
        f"exercised on {exercised.mean():.1%} of paths, median month {np.median(result.exercise_month[exercised]):.0f}; "
        f"boundary at month 1: V = {result.boundary[1]:.1f}, at month {months // 2}: V = {result.boundary[months // 2]:.1f}."
    )


if __name__ == "__main__":
    main()
