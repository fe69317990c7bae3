"""Scale benchmark (issue 18): a million draws on both cores and on a LocalCluster, a 20-case sweep, a projection.

Run: .venv/bin/python benchmarks/scale_bench.py [--draws N] [--sweep-draws N] [--cases N]

Prints, for the 10-site scenario ``build`` (15 years monthly, 3 strategies):

1. ``econ.simulate`` of N draws in this process's pool of 2 worker processes (``workers=2``):
   wall time, draws per second, peak RSS of this process and of the largest worker;
2. the same draws on a ``dask.distributed.LocalCluster`` of 2 single-threaded workers on
   loopback (``scheduler=client``), and whether the tables are bit-identical;
3. ``econ.sweep`` of C override sets (the commitment discount level from 0 to 1) x M draws on
   the same cluster;
4. the projection of that sweep on 10 and 100 workers from measured quantities: the compute
   time of one sweep task (one chunk of 2,000 draws, the default, in this process and on a Dask worker), the
   scheduler's overhead per task (a cluster round of 2,000 no-op tasks), and the bytes shipped
   per task (the pickled task and its result, outputs only as a sweep ships them).
"""

from __future__ import annotations

import argparse
import pickle
import platform
import resource
import time

import numpy as np
import pandas as pd

import econ
from econ.assumptions import load_scenario
from econ.parallel import dask_client
from econ.risk import _chunk, prepare

CHUNK = 2000


def _noop(i: int) -> int:
    return i


def _timed(*task: object) -> tuple[float, pd.DataFrame]:
    start = time.perf_counter()
    result = _chunk(*task)  # type: ignore[arg-type]
    return time.perf_counter() - start, result


def _peak_gb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024**2


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--draws", type=int, default=1_000_000)
    parser.add_argument("--sweep-draws", type=int, default=100_000)
    parser.add_argument("--cases", type=int, default=20)
    args = parser.parse_args()
    scenario = load_scenario("build")
    assert len(scenario.site_ids) == 10
    assert scenario["horizon.years"] == 15
    print(f"Python {platform.python_version()}, numpy {np.__version__}, {platform.machine()}, 2 cores")
    econ.simulate(scenario, 2000, seed=0)  # warm-up: imports, caches, numba compiling (or loading) econ.kernels

    start = time.perf_counter()
    local = econ.simulate(scenario, args.draws, seed=1, chunk_size=CHUNK, workers=2)
    pool_s = time.perf_counter() - start
    print(
        f"1. pool of 2 processes: {args.draws:,} draws in {pool_s:.1f} s ({args.draws / pool_s:,.0f} draws/s); "
        f"peak RSS this process {_peak_gb(resource.RUSAGE_SELF):.2f} GB, largest worker {_peak_gb(resource.RUSAGE_CHILDREN):.2f} GB"
    )

    with dask_client("dask", 2) as client:  # econ's LocalCluster: 2 single-threaded workers on loopback, with MALLOC_ENV
        start = time.perf_counter()
        remote = econ.simulate(scenario, args.draws, seed=1, chunk_size=CHUNK, scheduler=client)
        cluster_s = time.perf_counter() - start
        same = local.equals(remote)
        worker_gb = max(client.run(lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2).values())
        print(
            f"2. LocalCluster of 2 workers: {args.draws:,} draws in {cluster_s:.1f} s ({args.draws / cluster_s:,.0f} draws/s); "
            f"bit-identical to the pool: {same}; largest worker peak RSS {worker_gb:.2f} GB"
        )
        del remote

        levels = np.linspace(0.0, 1.0, args.cases)
        cases = {f"discount level {x:.2f}": {"cloud.commit_discount_level": float(x)} for x in levels}
        start = time.perf_counter()
        table = econ.sweep(cases, args.sweep_draws, seed=1, chunk_size=CHUNK, scheduler=client, base=scenario)
        sweep_s = time.perf_counter() - start
        tasks = args.cases * -(-args.sweep_draws // CHUNK)
        print(f"3. sweep of {args.cases} cases x {args.sweep_draws:,} draws ({tasks} tasks) on 2 workers: {sweep_s:.1f} s")
        build = table[table["strategy"] == "build"].set_index("case")["p_cheaper_than_rent"]
        print(f"   P(build cheaper) from {build.iloc[0]:.3f} to {build.iloc[-1]:.3f} across the discount levels")

        start = time.perf_counter()
        client.gather(client.map(_noop, range(2000), pure=False))
        overhead_s = (time.perf_counter() - start) / 2000

        _, chunks = prepare(scenario, CHUNK, 1, chunk_size=CHUNK, outputs_only=True)  # a sweep's task
        on_worker = [client.submit(_timed, *chunks[0], pure=False).result()[0] for _ in range(3)]
    task_s, result = min((_timed(*chunks[0]) for _ in range(3)), key=lambda r: r[0])
    sent, returned = len(pickle.dumps(chunks[0])), len(pickle.dumps(result))
    shipped = sent + returned
    print(
        f"4. one sweep task ({CHUNK:,} draws) computes in {task_s:.2f} s in this process, {min(on_worker):.2f} s on a Dask worker "
        f"(best of 3 each); scheduler overhead {overhead_s * 1e3:.2f} ms per task; "
        f"{shipped / 1e6:.2f} MB shipped per task (task {sent / 1e6:.2f} MB, result {returned / 1e6:.2f} MB)"
    )
    rows = []
    for workers in (2, 10, 100):
        waves = -(-tasks // workers)
        compute = waves * task_s
        scheduling = tasks * overhead_s  # the scheduler hands tasks out one by one
        transfer = tasks * shipped / 125e6  # 1 Gbit/s into the client, the bottleneck for results
        rows.append(
            {
                "workers": workers,
                "compute_s": compute,
                "scheduler_s": scheduling,
                "transfer_s": transfer,
                "total_s": compute + max(scheduling, transfer),
            }
        )
    print("   projected sweep time (compute in waves of one task per worker; scheduling and result transfer at the client overlap it):")
    print(pd.DataFrame(rows).round(1).to_string(index=False))


if __name__ == "__main__":
    main()
