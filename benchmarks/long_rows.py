"""One long cash-flow row: econ's rate solvers against numpy-financial and pyxirr (issue #9).

Long daily series are normal input; each econ call must stay under a second per row. The
rows are 3,650 and 10,000 periods of four shapes: a conventional investment, a random walk,
alternating signs with noise, and a refresh-shaped series (an outlay every 5 years). Each
timing is the median of 3 runs; numpy-financial's ``irr`` (an n x n eigenproblem, O(n^3)) is
run once, and only at 3,650 periods.

Command: ``.venv/bin/python benchmarks/long_rows.py`` (writes ``benchmarks/results/long_rows.md``).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import numpy_financial as npf
import pyxirr
from run import median_time  # the same timer as the other finance benchmarks

import econ.finance as fin

OUT = Path(__file__).parent / "results" / "long_rows.md"


def rows(n: int) -> dict[str, np.ndarray]:
    """The four row shapes, seeded."""
    rng = np.random.default_rng(n)
    conventional = np.concatenate([[-1000.0], rng.uniform(0.05, 0.2, n - 1)])
    walk = np.cumsum(rng.normal(0, 1, n))
    alternating = np.where(np.arange(n) % 2 == 0, -1.0, 1.02) + rng.normal(0, 0.01, n)
    refresh = np.full(n, 10.0)
    refresh[:: 5 * 365] = -400.0
    return {"conventional": conventional, "random walk": walk, "alternating": alternating, "refresh-shaped": refresh}


def main() -> None:
    lines = [
        "# One long row: econ against numpy-financial and pyxirr",
        "",
        "Median of 3 runs [s] per row; `xirr` uses one flow a day. Command: `.venv/bin/python benchmarks/long_rows.py`.",
        "",
        "| periods | shape | econ irr | econ irr_roots | econ xirr | econ xirr_roots | numpy-financial irr | pyxirr irr | pyxirr xirr |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for n in (3650, 10_000):
        dates = [dt.date(2020, 1, 1) + dt.timedelta(days=int(i)) for i in range(n)]
        for shape, v in rows(n).items():
            cells = [
                median_time(lambda v=v: fin.irr(v), 3),
                median_time(lambda v=v: fin.irr_roots(v), 3),
                median_time(lambda v=v, d=dates: fin.xirr(v, d), 3),
                median_time(lambda v=v, d=dates: fin.xirr_roots(v, d), 3),
            ]
            peer = []
            if n <= 3650:  # numpy-financial solves an n x n eigenproblem: O(n^3), minutes at 10,000
                peer.append(median_time(lambda v=v: npf.irr(v), repeat=1))
            else:
                peer.append(float("nan"))
            peer.append(median_time(lambda v=v: pyxirr.irr(v, silent=True), 3))
            peer.append(median_time(lambda v=v, d=dates: pyxirr.xirr(d, v, silent=True), 3))
            text = " | ".join("not run" if np.isnan(c) else f"{c:.3f}" for c in cells + peer)
            lines.append(f"| {n:,} | {shape} | {text} |")
            print(lines[-1], flush=True)
    OUT.parent.mkdir(exist_ok=True)
    OUT.write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
