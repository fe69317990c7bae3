"""Sampling designs (issue 18): how many draws each needs for the same standard error as plain random draws.

Run: .venv/bin/python benchmarks/sampling_bench.py [--draws N] [--replications R] [--scenario NAME]

For each design (random, Latin hypercube, scrambled Sobol') the Monte Carlo of the scenario is run
R times with independent seeds (independent scramblings for Sobol': randomized quasi-Monte Carlo,
Owen 1997) at N draws. The standard error of an estimator is the standard deviation of its R
replicates; a design's efficiency against random draws is ``(se_random / se_design) ** 2``, the
factor by which random draws must be multiplied to reach the design's error, so the draws a
design needs for random's error at N draws are ``N / efficiency``. Two estimators: the share of
draws where building is cheaper than renting, and the mean NPV difference (build minus rent).
The efficiencies are themselves estimates: with R replicates their relative error is about
``sqrt(2 / (R - 1))`` (the chi-square spread of a variance ratio).
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

import econ
from econ.assumptions import load_scenario


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--draws", type=int, default=1024)
    parser.add_argument("--replications", type=int, default=30)
    parser.add_argument("--scenario", default="base")
    args = parser.parse_args()
    scenario = load_scenario(args.scenario)
    estimates: dict[str, list[tuple[float, float]]] = {}
    started = time.perf_counter()
    for sampling in ("random", "lhs", "sobol"):
        rows = []
        for r in range(args.replications):
            draws = econ.simulate(scenario, args.draws, seed=1000 + r, sampling=sampling)
            diff = draws["npv_cost_difference_build_usd"]
            rows.append((float((diff < 0).mean()), float(diff.mean())))
        estimates[sampling] = rows
    table = []
    for sampling, rows in estimates.items():
        p, mean = np.array(rows).T
        table.append(
            {
                "sampling": sampling,
                "p_build_cheaper": p.mean(),
                "se_p": p.std(ddof=1),
                "mean_diff_usd": mean.mean(),
                "se_mean_usd": mean.std(ddof=1),
            }
        )
    out = pd.DataFrame(table).set_index("sampling")
    for column, se in (("p", "se_p"), ("mean", "se_mean_usd")):
        out[f"efficiency_{column}"] = (out.loc["random", se] / out[se]) ** 2
        out[f"draws_for_random_se_{column}"] = np.ceil(args.draws / out[f"efficiency_{column}"])
    seconds = time.perf_counter() - started
    print(f"scenario {args.scenario!r}, {args.draws:,} draws x {args.replications} replications per design, {seconds:.0f} s")
    with pd.option_context("display.width", 200, "display.max_columns", 20):
        print(out.to_string(float_format=lambda x: f"{x:,.4g}"))
    print(f"relative error of each efficiency: about {np.sqrt(2 / (args.replications - 1)):.0%}")


if __name__ == "__main__":
    main()
