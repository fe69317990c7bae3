"""Time econ's exports against what an analyst would otherwise write with pandas.

Run from the project root: ``.venv/bin/python benchmarks/export_bench.py``. Prints a Markdown
table of median wall times over a few repetitions on the base scenario:

- the audit workbook (``econ.export.to_excel``: inputs, monthly flows and the formula layer)
  against ``DataFrame.to_excel`` of the same long cash-flow table (values only, openpyxl and
  XlsxWriter engines): what the formulas and the layout cost;
- ``econ.export.to_parquet`` and ``to_csv`` of the cash flows and of 10,000 Monte Carlo draws
  against ``DataFrame.to_parquet`` / ``to_csv`` of the same tables: what the checks, the
  atomic write and the units in column names cost.
"""

from __future__ import annotations

import platform
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd

import econ
import econ.export as ex

REPEATS = 5


def median_seconds(run: Callable[[Path], object], folder: Path, suffix: str) -> float:
    """Median wall time of ``run(path)`` over :data:`REPEATS` fresh paths [s]."""
    times = []
    for i in range(REPEATS):
        path = folder / f"out-{time.perf_counter_ns()}-{i}{suffix}"
        start = time.perf_counter()
        run(path)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    scenario = econ.load_scenario("base")
    evaluation = econ.evaluate(scenario)
    flows = ex.cashflow_table(evaluation)
    draws = ex.draws_table(econ.simulate(scenario, 10_000, 20261122))
    rows: list[tuple[str, float, str, float]] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        book = median_seconds(lambda p: ex.to_excel(evaluation, p), folder, ".xlsx")
        for engine in ("openpyxl", "xlsxwriter"):
            plain = median_seconds(lambda p, e=engine: flows.to_excel(p, engine=e, index=False), folder, ".xlsx")
            rows.append(("to_excel (audit workbook, formulas)", book, f"DataFrame.to_excel, values only ({engine})", plain))
        for name, table in (("cash flows", flows), ("10,000 draws", draws)):
            ours = median_seconds(lambda p, t=table: ex.to_parquet(t, p), folder, ".parquet")
            theirs = median_seconds(lambda p, t=table: t.to_parquet(p, index=False), folder, ".parquet")
            rows.append((f"to_parquet ({name})", ours, "DataFrame.to_parquet", theirs))
            ours = median_seconds(lambda p, t=table: ex.to_csv(t, p), folder, ".csv")
            theirs = median_seconds(lambda p, t=table: t.to_csv(p, index=False), folder, ".csv")
            rows.append((f"to_csv ({name})", ours, "DataFrame.to_csv", theirs))
    print(f"Python {platform.python_version()}, pandas {pd.__version__}, {REPEATS} repetitions, median wall time\n")
    print("| econ | s | baseline | s | econ / baseline |")
    print("|---|---|---|---|---|")
    for ours_name, ours, theirs_name, theirs in rows:
        print(f"| {ours_name} | {ours:.3f} | {theirs_name} | {theirs:.3f} | {ours / theirs:.2f} |")


if __name__ == "__main__":
    main()
