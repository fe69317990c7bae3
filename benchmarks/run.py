"""Benchmark econ.finance against the tools an analyst would otherwise use.

Run from the project root: ``make bench`` (or ``.venv/bin/python benchmarks/run.py``).
Prints a Markdown table of median wall times and ratios on (N, 240) monthly cash flows.
Slow baselines (row loops) are timed on a sample of rows and scaled to N; the table says so.
"""

from __future__ import annotations

import os
import platform
import statistics
import time
from collections.abc import Callable

import numpy as np
import numpy_financial as npf
import pyxirr

from econ import finance as fin

T = 240
RATE = 0.006  # [fraction per month]
# The guess an analyst has without solving: a round monthly rate near the flows' IRRs (0.4-2.1 %,
# median 0.9 % per month). Seeding pyxirr with each row's exact IRR is also timed, as a bound.
GOOD_GUESS = 0.01  # [fraction per month]


def flows(n: int, seed: int = 0) -> np.ndarray:
    """Investment-shaped monthly flows: an outlay, then 239 noisy monthly returns."""
    rng = np.random.default_rng(seed)
    values = rng.uniform(50, 150, (n, T))
    values[:, 0] = -rng.uniform(5_000, 15_000, n)
    return values


def refresh_flows(n: int, seed: int = 1) -> np.ndarray:
    """As :func:`flows` with two GPU-refresh outlays (months 60 and 120): five sign changes."""
    values = flows(n, seed)
    rng = np.random.default_rng(seed + 100)
    values[:, 60] -= rng.uniform(3_000, 8_000, n)
    values[:, 120] -= rng.uniform(3_000, 8_000, n)
    return values


def median_time(fn: Callable[[], object], repeat: int) -> float:
    """Median wall time of ``repeat`` calls [s]."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def scaled_loop(fn: Callable[[np.ndarray], object], data: np.ndarray, sample: int, repeat: int = 3) -> float:
    """Time a Python loop of ``fn`` over ``sample`` rows and scale to all rows [s]."""
    part = data[:sample]
    return median_time(lambda: [fn(row) for row in part], repeat) * data.shape[0] / sample


def npv_rows(n: int) -> list[tuple[str, float, str]]:
    data = flows(n)
    factors = fin.discount_factors(RATE, T)
    sample = min(n, 20_000)
    rows = [
        ("bare `values @ discount_factors`", median_time(lambda: data @ factors, 5), ""),
        ("econ.finance.npv", median_time(lambda: fin.npv(RATE, data), 5), ""),
        ("numpy-financial 1.0 npv, row loop", scaled_loop(lambda r: npf.npv(RATE, r), data, sample), f"{sample:,} rows, scaled"),
        ("pyxirr.npv, row loop", scaled_loop(lambda r: pyxirr.npv(RATE, r), data, sample), f"{sample:,} rows, scaled"),
    ]
    return rows


def irr_rows(n: int) -> list[tuple[str, float, str]]:
    """IRR: econ against numpy-financial and pyxirr row loops (see ``GOOD_GUESS``)."""
    data = flows(n)
    sample = data[:2_000]
    answers = fin.irr(sample)
    return [
        ("econ.finance.irr", median_time(lambda: fin.irr(data), 5), ""),
        ("numpy-financial 1.0 irr, row loop", scaled_loop(npf.irr, data, 50, 1), "50 rows, scaled"),
        ("pyxirr.irr (default guess), row loop", scaled_loop(pyxirr.irr, data, 2_000), "2,000 rows, scaled"),
        (
            f"pyxirr.irr (guess = {GOOD_GUESS:.0%}/month), row loop",
            scaled_loop(lambda r: pyxirr.irr(r, guess=GOOD_GUESS), data, 2_000),
            "2,000 rows, scaled; the realistic good guess",
        ),
        (
            "pyxirr.irr (guess = the exact IRR), row loop",
            median_time(lambda: [pyxirr.irr(r, guess=g) for r, g in zip(sample, answers, strict=True)], 3) * n / 2_000,
            "2,000 rows, scaled; needs the answer first",
        ),
        (
            "econ.finance.irr, refresh-shaped flows (5 sign changes)",
            median_time(lambda: fin.irr(refresh_flows(n)), 1),
            "non-conventional path",
        ),
    ]


def table(title: str, rows: list[tuple[str, float, str]], reference: str) -> str:
    ref = {name: t for name, t, _ in rows}[reference]
    lines = [f"### {title}", "", f"| method | median [s] | time / {reference} | note |", "|---|---:|---:|---|"]
    lines += [f"| {name} | {t:.4f} | {t / ref:.2f} | {note} |" for name, t, note in rows]
    return "\n".join(lines)


def main() -> None:
    print(
        f"Python {platform.python_version()}, numpy {np.__version__}, numpy-financial {npf.__version__}, "
        f"pyxirr {pyxirr.__version__}, {os.cpu_count()} cores, {platform.machine()}\n"
    )
    for n in (10_000, 100_000, 1_000_000):
        print(table(f"NPV, N = {n:,} x {T} months", npv_rows(n), "econ.finance.npv"), "\n")
    for n in (10_000, 100_000):
        print(table(f"IRR, N = {n:,} x {T} months", irr_rows(n), "econ.finance.irr"), "\n")


if __name__ == "__main__":
    main()
