"""econ.explore benchmark: seconds per change of a slider, against calling econ.evaluate directly.

Run: .venv/bin/python benchmarks/explore_bench.py [--changes 20] [--scenario NAME ...]
For each shipped scenario (econ.list_scenarios) this builds the explorer with its default
controls (the six widest tornado swings and the load shape) and makes CHANGES slider changes
through Explorer.set, as moving a slider in JupyterLab does: one control at a time, cycling
through the sliders, each to a new value in the middle half of its range, so no change is a
cache hit and the changes accumulate. Each change is timed end to end (overridden scenario,
econ.evaluate, waterfall, chart rendered to SVG, HTML of the widget), and econ.evaluate is
timed again on the same overridden scenario for the baseline. A change whose inputs leave the
sourced band of contract markups (econ.strategies.check_markup) is counted separately: it
shows the error and evaluates nothing.
"""

from __future__ import annotations

import argparse
import os
import platform
import time

import numpy as np

import econ
from econ.explorer import STRATEGY, explore


def fractions(n: int) -> np.ndarray:
    """Positions in each slider's range, in the middle half, none repeated (a fixed sequence)."""
    return 0.25 + 0.5 * ((np.arange(1, n + 1) * 0.618033988749895) % 1.0)


def run(name: str, changes: int) -> dict[str, float | int | str]:
    """Time ``changes`` slider changes of the default explorer of one scenario."""
    scenario = econ.load_scenario(name)
    start = time.perf_counter()
    ex = explore(scenario)
    build = time.perf_counter() - start
    sliders = [k for k, c in ex.controls.items() if k != STRATEGY and hasattr(c, "min")]
    per_change, direct, steps, errors = [], [], {"scenario_s": [], "evaluate_s": [], "draw_s": []}, 0
    for i, frac in enumerate(fractions(changes)):
        key = sliders[i % len(sliders)]
        control = ex.controls[key]
        value = float(control.min + frac * (control.max - control.min))
        start = time.perf_counter()
        try:
            ex.set(key, value)
        except ValueError:
            errors += 1
            continue
        per_change.append(time.perf_counter() - start)
        for step, seconds in steps.items():
            seconds.append(ex.timings[step])
        start = time.perf_counter()
        econ.evaluate(ex.scenario)
        direct.append(time.perf_counter() - start)
    return {
        "scenario": name,
        "build_s": build,
        "changes": len(per_change),
        "errors": errors,
        "median_s": float(np.median(per_change)),
        "max_s": float(np.max(per_change)),
        "evaluate_median_s": float(np.median(direct)),
        "evaluate_max_s": float(np.max(direct)),
        **{f"{step}_median": float(np.median(seconds)) for step, seconds in steps.items()},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--changes", type=int, default=20, help="slider changes per scenario (default 20)")
    parser.add_argument("--scenario", action="append", help="scenario to time (default: every shipped scenario)")
    args = parser.parse_args()
    names = args.scenario or list(econ.list_scenarios().index)
    rows = [run(name, args.changes) for name in names]
    machine = f"{platform.machine()}, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}"
    print(f"Python {platform.python_version()}, numpy {np.__version__}, {machine}")
    print()
    print(
        "| scenario | explore() [s] | changes (markup errors) | per change median [s] | max [s] "
        "| econ.evaluate median [s] | max [s] | ratio of medians | of which: scenario / evaluate / draw [s] |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---|")
    for r in rows:
        split = f"{r['scenario_s_median']:.3f} / {r['evaluate_s_median']:.3f} / {r['draw_s_median']:.3f}"
        print(
            f"| {r['scenario']} | {r['build_s']:.2f} | {r['changes']} ({r['errors']}) | {r['median_s']:.3f} | {r['max_s']:.3f} "
            f"| {r['evaluate_median_s']:.3f} | {r['evaluate_max_s']:.3f} | {r['median_s'] / r['evaluate_median_s']:.2f} | {split} |"
        )


if __name__ == "__main__":
    main()
