"""Optimizer benchmark (issue #12): the best plan of the base scenario over 10,000 draws, and the search against exhaustive search.

Run: .venv/bin/python benchmarks/decision_bench.py
1. econ.optimize on the base scenario: 8 candidate sites at 0, half or all of their MW,
   3 cover shares of five-year contracts, 3 colocation levels (59,049 plans), searched on
   2,000 draws and compared on 10,000, with three extra risk appetites for the frontier.
   Records the wall time, the plans costed and the time one plan takes, and so what
   exhaustive search of the same space would take.
2. A space small enough to search exhaustively (4 sites x 3 levels x 3 cover shares = 243
   plans, 2,000 draws): both, their times and whether they agree.
"""

from __future__ import annotations

import platform
import time

import numpy as np

import econ
from econ.decision import Choices, exhaustive, optimize

SEED = 20261122


def main() -> None:
    base = econ.load_scenario("base")
    full = Choices(colocation_levels=(0.0, 0.5, 1.0))
    size = int(np.prod(full.dimensions(base)))
    start = time.perf_counter()
    result = optimize(base, draws=10_000, search_draws=2_000, seed=SEED, choices=full)
    took = time.perf_counter() - start
    small = Choices(sites=("us-va-loudoun", "us-tx-abilene", "de-fra-rheinmain", "my-johor-sedenak"))
    start = time.perf_counter()
    table = exhaustive(base, draws=2_000, seed=SEED, choices=small, limit=300)
    every = time.perf_counter() - start
    start = time.perf_counter()
    searched = optimize(base, draws=2_000, search_draws=None, seed=SEED, choices=small, frontier_weights=())
    fast = time.perf_counter() - start
    per_plan = every / len(table)
    print(f"Python {platform.python_version()}, numpy {np.__version__}, {platform.machine()}")
    print(f"base, {size:,} plans: optimize {took:.0f} s, {result.evaluations} plans costed on 2,000 draws, finalists on 10,000")
    print(f"  best: {result.best.name}; saves {result.named.at['rent', 'more_than_best_usd'] / 1e9:.2f} B USD against rent in expectation")
    print(f"  exhaustive search of that space at {per_plan:.3f} s a plan (2,000 draws): {size * per_plan / 3600:.1f} h")
    print(f"small space, {len(table)} plans: exhaustive {every:.0f} s, optimize {fast:.0f} s ({searched.evaluations} plans costed)")
    print(f"  same optimum: {searched.best.name == table.index[0]} ({table.index[0]})")


if __name__ == "__main__":
    main()
