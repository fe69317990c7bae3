"""Real-options benchmark (issue #17): 100,000 paths x 180 months, an option to defer, on the cash-flow model and on a GBM.

Run: .venv/bin/python benchmarks/options_bench.py [--model | --kernels] [--model-paths 100000] [--paths 100000] [--months 180] [--repeat 3]
(both parts by default, model first, about 2.5 minutes; --model runs only the model part, --kernels only the GBM part).

Model part (the issue's requirement): one site's defer option with payoffs from the model,
econ.flexibility.defer_option on scenario base, site us-tx-abilene, a 36-month window every 12 months
(4 exercise months: the program run over all paths with the site started at each, once without it,
once all rented). Times calibrate_drivers, sample_drivers and defer_option (one run each), splits
defer_option into its model runs (econ.flexibility._costs) and the least-squares step (lsm_realized)
by wrapping those functions with timers, and reports peak RSS.

GBM part: the option to invest I = 100 in a project worth V, V_0 = 100, over 15 years with monthly
decisions: payoff max(V_t - I, 0). V follows risk-neutral GBM with drift r - delta (delta = 4 %/year,
the cash flows forgone while waiting, McDonald and Siegel 1986), r = 5 %/year, sigma = 30 %/year.
Times econ.paths.gbm_paths and econ.options.lsm_american separately (best of --repeat), and
checks the value against a CRR lattice with the same monthly exercise dates.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
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


# --- Model payoffs (issue #17's requirement): one site's defer option on the cash-flow model ---

MODEL_SCENARIO, MODEL_SITE, MODEL_WINDOW, MODEL_STEP, MODEL_SEED = "base", "us-tx-abilene", 36, 12, 20261127


def _timed(log: list[tuple[str, float]], label: str, fn):  # type: ignore[no-untyped-def]
    """``fn`` that appends (label, seconds) to ``log`` on every call."""

    def wrapper(*args, **kwargs):  # type: ignore[no-untyped-def]
        start = time.perf_counter()
        out = fn(*args, **kwargs)
        log.append((label, time.perf_counter() - start))
        return out

    return wrapper


def _rss_gb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6  # kB on Linux


def model_bench(n_paths: int) -> None:
    """Time the defer option on model payoffs: calibration, paths, the model runs and the least-squares step."""
    import econ.flexibility as flex
    from econ import load_scenario
    from econ.drivers import calibrate_drivers
    from econ.flexibility import defer_option, sample_drivers

    load_start = os.getloadavg()[0]
    scenario = load_scenario(MODEL_SCENARIO)
    start = time.perf_counter()
    cal = calibrate_drivers(scenario)
    t_cal = time.perf_counter() - start
    start = time.perf_counter()
    sample = sample_drivers(scenario, n_paths, seed=MODEL_SEED, calibration=cal)
    t_paths = time.perf_counter() - start
    rss_paths = _rss_gb()

    log: list[tuple[str, float]] = []
    originals = flex._costs, flex.lsm_realized
    flex._costs = _timed(log, "model run", flex._costs)
    flex.lsm_realized = _timed(log, "lsm", flex.lsm_realized)
    try:
        start = time.perf_counter()
        value = defer_option(sample, MODEL_SITE, window_months=MODEL_WINDOW, step_months=MODEL_STEP)
        t_defer = time.perf_counter() - start
    finally:
        flex._costs, flex.lsm_realized = originals
    rss = _rss_gb()
    load_end = os.getloadavg()[0]

    runs = [s for label, s in log if label == "model run"]
    t_runs, t_lsm = sum(runs), sum(s for label, s in log if label == "lsm")
    months = value.exercise_months
    # defer_option runs the program without the site, then with it started at each exercise month, then all-rent
    names = ["without the site", *(f"started at month {m}" for m in months), "all rent"]
    chunks = -(-n_paths // flex._CHUNK)
    started = runs[1 : 1 + len(months)]
    per_thousand = float(np.mean(started)) / (n_paths / 1000)
    pf = value.perfect_foresight
    assert pf is not None

    print(f"# Options on the cash-flow model: {n_paths:,} paths x {sample.paths.shape[1] - 1} months, one site's defer option\n")
    print(
        f"Scenario {MODEL_SCENARIO}, site {MODEL_SITE}, `defer_option(sample, site, window_months={MODEL_WINDOW}, "
        f"step_months={MODEL_STEP})`: exercise months {months}; paths seed {MODEL_SEED}, chunks of {flex._CHUNK:,} paths."
    )
    print(f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, numpy {np.__version__}; ")
    print(f"load average {load_start:.1f} at the start, {load_end:.1f} at the end. One run each.\n")
    print("| step | seconds | share of defer_option |")
    print("|---|---:|---:|")
    print(f"| `calibrate_drivers(scenario)` (4,000 draws) | {t_cal:.2f} | |")
    print(f"| `sample_drivers(scenario, {n_paths:,}, ...)` ({sample.paths.nbytes / 1e6:.0f} MB of paths) | {t_paths:.2f} | |")
    print(f"| `defer_option(...)`, total | {t_defer:.1f} | 100 % |")
    for name, s in zip(names, runs, strict=True):
        print(f"| - model run over all paths ({chunks} chunks): {name} | {s:.1f} | {s / t_defer:.1%} |")
    print(f"| - the {len(runs)} model runs | {t_runs:.1f} | {t_runs / t_defer:.1%} |")
    print(f"| - `lsm_realized` (cross-fitted, degree 3, {len(months)} dates) | {t_lsm:.2f} | {t_lsm / t_defer:.1%} |")
    print(f"| - the rest (plans, forecast, policy table) | {t_defer - t_runs - t_lsm:.2f} | {(t_defer - t_runs - t_lsm) / t_defer:.1%} |")
    print()
    print(f"Peak RSS {rss:.2f} GB ({rss_paths:.2f} GB after the paths were drawn).")
    print(
        f"One model run: {per_thousand:.3f} s per 1,000 paths per exercise month (mean of the {len(months)} runs with the site started).\n"
    )
    print("| result (t = 0 USD) | value | standard error |")
    print("|---|---:|---:|")
    for label, est in (("static (site started now, against never)", value.static), ("flexible (LSM rule)", value.flexible)):
        print(f"| {label} | {est.value / 1e6:,.1f} M | {est.std_error / 1e6:,.1f} M |")
    print(f"| option value (flexible - static) | {value.option_value / 1e6:,.1f} M | |")
    print(f"| perfect foresight (upper bound) | {pf.value / 1e6:,.1f} M | {pf.std_error / 1e6:,.1f} M |")
    shares = ", ".join(f"month {int(r.month)} {r.exercised_share:.1%}" for r in value.policy.itertuples())
    print(f"\nExercised: {shares}; never {(value.exercise_month < 0).mean():.1%}.\n")


def kernels_bench(n: int, months: int, repeat: int) -> None:
    t_paths, paths = best_of(repeat, lambda: gbm_paths(V0, RATE - YIELD, SIGMA, months, n, seed=SEED))
    t_lsm, result = best_of(repeat, lambda: lsm_american(paths, defer, RATE))
    t_eur, european = best_of(repeat, lambda: european_value(paths, defer, RATE, months))
    t_pf, foresight = best_of(repeat, lambda: perfect_foresight_value(paths, defer, RATE))
    t_lat, lattice = best_of(1, lambda: lattice_call(months, 20))
    exercised = result.exercise_month >= 0

    print(f"# Options benchmark: {n:,} paths x {months} months, one-factor GBM, option to defer\n")
    print(f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, numpy {np.__version__}; ")
    print(f"load average at the end {os.getloadavg()[0]:.1f}. Best of {repeat} runs.\n")
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--paths", type=int, default=100_000, help="paths of the GBM kernels benchmark")
    parser.add_argument("--months", type=int, default=180, help="months of the GBM kernels benchmark")
    parser.add_argument("--repeat", type=int, default=3, help="best of this many runs (kernels; the owned-costs ratio)")
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--model", action="store_true", help="run only the defer option on model payoffs")
    which.add_argument("--kernels", action="store_true", help="run only the GBM kernels benchmark")
    parser.add_argument("--model-paths", type=int, default=100_000, help="paths of the model-payoff benchmark")
    args = parser.parse_args()
    if not args.kernels:
        model_bench(args.model_paths)
    if not args.model:
        if not args.kernels:
            print()
        kernels_bench(args.paths, args.months, args.repeat)


if __name__ == "__main__":
    main()
