"""Scale (issue 18): sampling designs numbered draw by draw, a process pool, a real Dask LocalCluster on loopback, sweeps.

The cluster tests start a LocalCluster of two single-threaded worker processes on 127.0.0.1 and
compare with the same run in this process: results must be bit-identical, including after a worker
is killed in the middle of a run.
"""

from __future__ import annotations

import importlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import psutil
import pytest
from scipy import stats
from scipy.stats import qmc

import econ
from econ.assumptions import load_scenario
from econ.checks import whole_number
from econ.parallel import MALLOC_ENV, dask_client, run_tasks, show_progress, tune_malloc
from econ.risk import sample_inputs
from econ.sampling import BLOCK, design

BASE = load_scenario("base")


@pytest.mark.parametrize("sampling", ["random", "lhs", "sobol"])
def test_a_chunk_of_draws_is_those_draws_of_the_whole_run(sampling: str) -> None:
    whole_z, whole_u = design(sampling, 5, 0, 3 * BLOCK + 100, 3, 2)
    for start, stop in [(0, 10), (BLOCK - 3, BLOCK + 5), (2 * BLOCK + 17, 3 * BLOCK + 100)]:
        z, u = design(sampling, 5, start, stop, 3, 2)
        np.testing.assert_array_equal(z, whole_z[start:stop])
        np.testing.assert_array_equal(u, whole_u[start:stop])
    other = design(sampling, 6, 0, 50, 3, 2)[0]
    assert not np.allclose(other, whole_z[:50])


def test_random_blocks_are_numpy_spawned_streams_and_sobol_is_scipys_sequence() -> None:
    z, u = design("random", 9, 0, 2 * BLOCK, 2, 1)
    child = np.random.default_rng(np.random.SeedSequence(9).spawn(2)[1])
    np.testing.assert_array_equal(z[BLOCK:], child.standard_normal((BLOCK, 2)))
    np.testing.assert_array_equal(u[BLOCK:], child.random((BLOCK, 1)))
    z, u = design("sobol", 9, 0, 2048, 2, 1)
    engine = qmc.Sobol(3, scramble=True, rng=np.random.default_rng(np.random.SeedSequence(9, spawn_key=(2**31,))))
    points = engine.random(2048)
    np.testing.assert_array_equal(u, points[:, 2:])
    np.testing.assert_allclose(stats.norm.cdf(z), points[:, :2], rtol=1e-12)


def test_latin_hypercube_blocks_stratify_every_input_and_beat_random_draws_for_a_mean() -> None:
    z, u = design("lhs", 1, 0, BLOCK, 4, 2)
    cells = np.floor(np.column_stack([stats.norm.cdf(z), u]) * BLOCK).astype(int)
    for column in cells.T:
        assert sorted(column.tolist()) == list(range(BLOCK))
    # the mean of an additive function: Latin hypercube error far below plain random error
    lhs = [design("lhs", seed, 0, BLOCK, 3, 0)[0].sum(axis=1).mean() for seed in range(30)]
    plain = [design("random", seed, 0, BLOCK, 3, 0)[0].sum(axis=1).mean() for seed in range(30)]
    assert np.std(lhs) < 0.05 * np.std(plain)


def test_sampled_inputs_keep_their_marginals_and_rank_correlation_under_every_design() -> None:
    for sampling in ("random", "lhs", "sobol"):
        _, sampled = sample_inputs(BASE, 4096, seed=3, sampling=sampling)
        growth = sampled["demand.growth_annual"] if "demand.growth_annual" in sampled else sampled.iloc[:, 0]
        assert growth.notna().all() and growth.std() > 0
        a, b, rho = BASE.correlations[0]
        if a in sampled and b in sampled:
            assert stats.spearmanr(sampled[a], sampled[b]).statistic == pytest.approx(rho, abs=0.05)


@pytest.mark.parametrize(("kwargs", "message"), [({"sampling": "halton"}, "sampling: must be one of"), ({"seed": -1}, "seed")])
def test_bad_sampling_input_names_the_parameter(kwargs: dict[str, object], message: str) -> None:
    arguments: dict[str, object] = {"seed": 1, **kwargs}
    with pytest.raises(ValueError, match=message):
        econ.simulate(BASE, 10, **arguments)  # type: ignore[arg-type]


def test_simulate_is_identical_in_a_process_pool_and_for_any_chunk_size() -> None:
    serial = econ.simulate(BASE, 900, seed=4, chunk_size=900)
    pooled = econ.simulate(BASE, 900, seed=4, chunk_size=200, workers=2)
    pd.testing.assert_frame_equal(serial, pooled, check_exact=True)
    assert list(serial.index) == list(range(900)) and serial.attrs["sampling"] == "random"


def test_progress_is_off_in_batch_logs_unless_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ECON_PROGRESS", raising=False)
    assert show_progress(None) is False  # pytest's stderr is not a terminal, and this is no notebook
    monkeypatch.setenv("ECON_PROGRESS", "1")
    assert show_progress(None) is True
    assert show_progress(False) is False
    monkeypatch.setenv("ECON_PROGRESS", "0")
    assert run_tasks(divmod, [(7, 2)], progress=None) == [(3, 1)]


def test_an_unreachable_scheduler_fails_clearly_within_thirty_seconds() -> None:
    started = time.monotonic()
    with pytest.raises(ConnectionError, match=r"scheduler: no Dask scheduler answered at 'tcp://127.0.0.1:9'"):
        econ.simulate(BASE, 10, seed=1, scheduler="tcp://127.0.0.1:9")
    assert time.monotonic() - started < 30.0


# ---------------------------------------------------------------------------------------------
# A real Dask cluster: two worker processes on loopback


GOOD_AND_BAD = [(3, "n", "u", 1), (0, "n", "u", 1), (5, "n", "u", 1)]  # econ.checks.whole_number: the second raises


def _touch_or_fail(path: str) -> None:
    """A task for the pool: fails at once given no path, else marks that it ran."""
    if not path:
        raise ValueError("this task fails")
    time.sleep(0.05)
    Path(path).touch()


def test_a_failed_task_on_the_pool_cancels_the_tasks_still_queued(tmp_path: Path) -> None:
    tasks = [("",)] + [(str(tmp_path / f"ran-{k}"),) for k in range(60)]
    with pytest.raises(ValueError, match="this task fails"):
        run_tasks(_touch_or_fail, tasks, workers=2)
    ran = len(list(tmp_path.iterdir()))
    assert ran < 30, f"{ran} of 60 queued tasks ran after one failed"


@pytest.mark.parametrize("workers", [1, 2])
def test_a_failed_task_is_returned_in_its_place_when_asked_and_raised_otherwise(workers: int) -> None:
    out = run_tasks(whole_number, GOOD_AND_BAD, workers=workers, errors="return")
    assert out[0] == 3 and out[2] == 5
    assert isinstance(out[1], ValueError) and "n: must be an integer >= 1 [u]; got 0" in str(out[1])
    with pytest.raises(ValueError, match="got 0"):
        run_tasks(whole_number, GOOD_AND_BAD, workers=workers)
    with pytest.raises(ValueError, match="errors: must be 'raise' or 'return'; got 'ignore'"):
        run_tasks(whole_number, GOOD_AND_BAD, workers=workers, errors="ignore")


def test_a_sweep_keeps_every_case_that_succeeded_and_says_why_the_others_failed(monkeypatch: pytest.MonkeyPatch) -> None:
    sweeping = importlib.import_module("econ.sweep")  # the module: econ.sweep is the function

    cheap = {"cloud.list_usd_per_gpu_hour": 2.0}  # below the provider's cost: the scenario is refused
    alone = econ.sweep({"ok": {}}, 60, seed=4, chunk_size=25)
    cases = {"cheap": cheap, "ok": {}, "broken": "build", "rent-only": "rent-only"}
    with pytest.warns(RuntimeWarning, match=r"1 of 4 cases failed .*\['cheap'\]"):
        table = econ.sweep(cases, 60, seed=4, chunk_size=25)
    pd.testing.assert_frame_equal(table[table["case"] == "ok"].reset_index(drop=True), alone, check_exact=True)
    assert table.loc[table["case"] == "cheap", "error"].item().startswith("ScenarioError: scenario 'base' is invalid")
    assert table.loc[table["case"] == "cheap", STATS].isna().all(axis=None)

    real = sweeping._chunk

    def fails_for_build(run: object, start: int, stop: int) -> pd.DataFrame:  # a task failing mid-sweep (serial: patched in-process)
        if run.scenario.name == "build" and start >= 25:  # type: ignore[attr-defined]
            raise MemoryError("chunk 2 of build")
        return real(run, start, stop)  # type: ignore[arg-type]

    monkeypatch.setattr(sweeping, "_chunk", fails_for_build)
    with pytest.warns(RuntimeWarning, match=r"2 of 4 cases failed .*\['cheap', 'broken'\]"):
        table = econ.sweep(cases, 60, seed=4, chunk_size=25)
    assert table.loc[table["case"] == "broken", "error"].item() == "MemoryError: chunk 2 of build"
    assert table.loc[table["case"] == "broken", "scenario"].item() == "build"
    assert set(table.loc[table["case"] == "rent-only", "strategy"]) == {"rent", "build", "hybrid"}
    pd.testing.assert_frame_equal(table[table["case"] == "ok"].reset_index(drop=True), alone, check_exact=True)
    with pytest.raises(MemoryError, match="chunk 2 of build"):
        econ.sweep({"ok": {}, "broken": "build"}, 60, seed=4, chunk_size=25, strict=True)
    with pytest.raises(ValueError, match="n_draws must be a positive integer"):
        econ.sweep({"ok": {}}, 0, seed=4)  # wrong for every case: raised, not recorded
    with pytest.raises(ValueError, match=r"no-such-base\.yaml: file not found"):
        econ.sweep({"ok": {}, "build": "build"}, 60, seed=4, base="no-such-base")  # likewise a base that does not load


STATS = list(importlib.import_module("econ.sweep").STATISTICS)


@pytest.fixture(scope="module")
def cluster() -> Iterator[object]:
    with dask_client("dask", 2) as client:  # econ's LocalCluster: 2 single-threaded worker processes on 127.0.0.1
        yield client


def test_local_workers_reuse_their_memory_and_leave_this_process_alone(cluster: object) -> None:
    """Dask's own MALLOC_TRIM_THRESHOLD_=65536 slowed a chunk 1.5x; econ's workers get MALLOC_ENV (econ.parallel)."""
    found = cluster.run(lambda: {key: os.environ.get(key) for key in MALLOC_ENV})  # type: ignore[attr-defined]
    assert list(found.values()) == [MALLOC_ENV, MALLOC_ENV]
    assert run_tasks(tune_malloc, [(), ()], workers=2) == [True, True]  # glibc, as on every machine CI runs on


def test_make_test_runs_under_the_workers_malloc_settings() -> None:
    line = next(x for x in (Path(__file__).parents[1] / "Makefile").read_text().splitlines() if x.startswith("MALLOC :="))
    assert dict(item.split("=") for item in line.removeprefix("MALLOC :=").split()) == MALLOC_ENV


def test_a_local_cluster_gives_this_process_its_environment_back(monkeypatch: pytest.MonkeyPatch) -> None:
    for key in MALLOC_ENV:
        monkeypatch.delenv(key, raising=False)  # as in a fresh process (another test's cluster may be open here)
    with dask_client("dask", 1) as client:
        found = client.run(lambda: os.environ.get("MALLOC_MMAP_THRESHOLD_"))
        assert list(found.values()) == [MALLOC_ENV["MALLOC_MMAP_THRESHOLD_"]]
    assert not any(key in os.environ for key in MALLOC_ENV)


def test_simulate_on_the_cluster_is_identical_to_local(cluster: object) -> None:
    local = econ.simulate(BASE, 1200, seed=8, chunk_size=1200)
    remote = econ.simulate(BASE, 1200, seed=8, chunk_size=300, scheduler=cluster)
    pd.testing.assert_frame_equal(local, remote, check_exact=True)


def test_a_worker_killed_during_a_run_loses_and_duplicates_nothing(cluster: object) -> None:
    """SIGKILL one worker while chunks run: the scheduler reruns its tasks elsewhere and the result is identical."""
    local = econ.simulate(BASE, 6000, seed=9, chunk_size=6000)
    pids = list(cluster.run(os.getpid).values())  # type: ignore[attr-defined]
    killed: list[float] = []

    def kill_one() -> None:
        time.sleep(1.0)  # 40 chunks of 150 draws take several seconds on two workers: the run is under way
        os.kill(pids[0], signal.SIGKILL)
        killed.append(time.monotonic())

    killer = threading.Thread(target=kill_one)
    killer.start()
    remote = econ.simulate(BASE, 6000, seed=9, chunk_size=150, scheduler=cluster)
    finished = time.monotonic()
    killer.join()
    assert killed and killed[0] < finished  # the worker died before the run ended
    pd.testing.assert_frame_equal(local, remote, check_exact=True)
    assert remote.index.is_unique and len(remote) == 6000
    cluster.wait_for_workers(2, timeout=60)  # type: ignore[attr-defined]  # the nanny restarts it
    assert pids[0] not in cluster.run(os.getpid).values()  # type: ignore[attr-defined]


def test_a_task_failing_on_the_cluster_is_returned_in_its_place(cluster: object) -> None:
    out = run_tasks(whole_number, GOOD_AND_BAD, scheduler=cluster, errors="return")
    assert out[0] == 3 and out[2] == 5 and isinstance(out[1], ValueError) and "got 0" in str(out[1])
    with pytest.raises(ValueError, match="got 0"):
        run_tasks(whole_number, GOOD_AND_BAD, scheduler=cluster)


def test_a_sweep_of_four_scenarios_matches_four_local_runs(cluster: object) -> None:
    names = ["base", "build", "sovereign", "rent-only"]
    table = econ.sweep(names, 400, seed=2, chunk_size=150, scheduler=cluster)
    assert table["case"].unique().tolist() == names and len(table) == 12
    for name in names:
        draws = econ.simulate(load_scenario(name), 400, seed=2)
        rows = table[table["case"] == name].set_index("strategy")
        for strategy in ("rent", "build", "hybrid"):
            assert rows.loc[strategy, "npv_cost_mean_usd"] == draws[f"npv_cost_usd_{strategy}"].mean()
        summary = econ.summarize(draws)
        for strategy in ("build", "hybrid"):
            assert rows.loc[strategy, "p_cheaper_than_rent"] == summary.loc[strategy, "p_cheaper_than_rent"]
            assert rows.loc[strategy, "npv_cost_difference_mean_usd"] == summary.loc[strategy, "npv_cost_difference_mean_usd"]


def test_econ_report_runs_notebooks_as_tasks_on_a_local_dask_cluster(tmp_path: Path) -> None:
    from econ import cli

    status = cli.main(["report", "-n", "00", "-s", "base", "--dask", "--jobs", "2", "--out", str(tmp_path)])
    assert status == 0
    record = json.loads((tmp_path / "base" / "00_finance_kernels.results.json").read_text())
    assert record["run"]["status"] == "ok" and (tmp_path / "base" / "00_finance_kernels.html").exists()


def test_ctrl_c_stops_the_report_runs_already_started_on_dask(tmp_path: Path) -> None:
    """Ctrl-C (SIGINT to the whole foreground group) stops a run under way on a Dask worker and one not started; nothing is left."""
    from econ.reports import runner

    out = tmp_path / "out"
    command = [sys.executable, "-m", "econ", "report", "-n", "06", "-s", "base", "-s", "build", "--dask", "--jobs", "1", "--out", str(out)]
    with (tmp_path / "econ.log").open("wb") as log:
        batch = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 120.0
        while not (workers := _report_workers(out)) and time.monotonic() < deadline and batch.poll() is None:
            time.sleep(0.2)
        assert workers, "no run started"
        time.sleep(3.0)  # its kernel is running notebook 06, which takes far longer
        run_ids = [proc.environ().get(runner.RUN_ENV, "") for proc in workers]
        assert runner.run_processes(run_ids), "the run ended before the interruption"
        os.killpg(batch.pid, signal.SIGINT)
        stopped = time.monotonic()
        status = batch.wait(timeout=60)
        assert status == 130, (tmp_path / "econ.log").read_text()[-2000:]
        assert time.monotonic() - stopped < runner.STOP_POLL_S + runner.STOP_GRACE_S + 2 * runner.KILL_WAIT_S + 10.0
        assert runner.run_processes(run_ids) == []  # the worker and its kernel are gone
        assert not list(out.rglob("06_real_options*"))  # neither run published (the batch's index page may be written)
        assert not [p for p in out.rglob("*") if p.name.startswith(".")]  # no temporaries
    finally:
        if batch.poll() is None:
            os.killpg(batch.pid, signal.SIGKILL)


def _report_workers(out: Path) -> list[psutil.Process]:
    """The econ.reports.worker processes writing into ``out``."""
    found = []
    for proc in psutil.process_iter(["cmdline"]):
        cmdline = proc.info["cmdline"] or []
        if "econ.reports.worker" in cmdline and any(str(out) in part for part in cmdline):
            found.append(proc)
    return found


def test_econ_report_with_an_unreachable_scheduler_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from econ import cli

    started = time.monotonic()
    status = cli.main(["report", "-n", "00", "-s", "base", "--scheduler", "tcp://127.0.0.1:9", "--out", str(tmp_path)])
    assert status == 3 and time.monotonic() - started < 30.0
    assert "no Dask scheduler answered at 'tcp://127.0.0.1:9'" in capsys.readouterr().err


def test_the_optimizer_evaluates_its_plans_on_the_cluster_to_the_bit(cluster: object) -> None:
    from econ.decision import Choices

    small = Choices(site_levels=(0.0, 1.0), cover_shares=(1.0,), sites=("us-va-loudoun", "us-tx-abilene"))
    local = econ.optimize(BASE, draws=300, search_draws=200, choices=small, chunk_size=128, frontier_weights=())
    remote = econ.optimize(BASE, draws=300, search_draws=200, choices=small, chunk_size=128, frontier_weights=(), scheduler=cluster)
    assert remote.best.name == local.best.name and remote.evaluations == local.evaluations
    pd.testing.assert_frame_equal(remote.plans, local.plans, check_exact=True)
