"""Where econ's independent tasks run: in this process, in a local process pool, or on a Dask cluster.

A task is a picklable function and its arguments; results come back in the order of the tasks,
so a Monte Carlo split into chunks of draws (:mod:`econ.sampling` numbers every draw) gives
bit-identical results whatever runs it. The choice is the ``scheduler`` argument of
:func:`econ.simulate`, :func:`econ.sweep` and ``econ report``:

- ``None`` (the default): embedded, no cluster. One task runs in this process; several run in a
  pool of ``workers`` processes (default: every core, ``os.cpu_count()``), started with
  ``spawn`` so that nothing of this process's threads is inherited (Python documentation,
  ``multiprocessing``, "Contexts and start methods").
- ``"dask"``: a ``dask.distributed.LocalCluster`` of ``workers`` single-threaded worker
  processes on the loopback interface, started for the call and closed after it.
- an address such as ``"tcp://10.0.0.5:8786"``: an existing Dask scheduler; econ connects within
  :data:`CONNECT_TIMEOUT_S` or raises ``ConnectionError`` naming the address.
- a ``dask.distributed.Client``: used as it is (the caller owns it).

On Dask, a task whose worker dies is recomputed on another worker by the scheduler (up to
``distributed.scheduler.allowed-failures`` times, 3 by default: Dask documentation, "Resilience");
since a task's result depends only on its arguments, the result is the same. Tasks carry what
they need (the scenario and its resolved inputs), so a worker needs only econ installed at the
same version, not the data files (docs/scale.md).

A task that raises stops the run, or with ``errors="return"`` (what :func:`econ.sweep` uses)
leaves its exception in its place while the others run. The processes econ starts to run tasks
(pool workers, the local cluster's workers) get :data:`MALLOC_ENV`, which lets a chunk reuse its
freed memory; the local cluster's workers ignore SIGINT, so that Ctrl-C stops the client, which
then stops what runs (:mod:`econ.dask_plugins`).

Progress is shown with ``tqdm`` (``tqdm.auto``: a bar in a terminal or in JupyterLab) when
``progress`` is True, and by default only in an interactive terminal or notebook; ``econ report``
sets ``ECON_PROGRESS=0`` so that batch logs and published reports carry no bars.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from typing import Any

from econ.checks import whole_number

CONNECT_TIMEOUT_S = 10.0
"""Seconds econ waits for a Dask scheduler to answer before giving up [s]."""

Task = tuple[Any, ...]

MALLOC_ENV = {"MALLOC_MMAP_THRESHOLD_": str(32 << 20), "MALLOC_TRIM_THRESHOLD_": str(1 << 30)}
"""glibc malloc settings for the processes econ starts to run chunks [bytes] (``man 3 mallopt``).

A chunk allocates and frees hundreds of monthly arrays of megabytes each. By default glibc maps
an array over its mmap threshold afresh each time (page faults and zeroing) and returns freed heap
above its trim threshold to the system. Arrays up to 32 MiB from the heap, and up to 1 GiB of
freed heap kept, made a 2,000-draw chunk of the 10-site scenario about 18 % faster on this project's
machine (benchmarks/README.md, "Scale"); the numbers are the same, only their memory is reused.
Each worker's memory stays bounded by its chunk. Set the same variables before starting Python or
JupyterLab to get this in your own process; econ does not change the allocator of a process it
did not start.
"""

LOCAL_WORKER_CONFIG = {f"distributed.nanny.pre-spawn-environ.{key}": value for key, value in MALLOC_ENV.items()}
"""Dask configuration of the workers of econ's local cluster: :data:`MALLOC_ENV`.

Dask's nannies start workers with ``MALLOC_TRIM_THRESHOLD_=65536`` (Dask documentation, "Worker
memory management: automatically trim memory"). Setting any malloc threshold also turns off glibc's
dynamic mmap threshold, so every array over 128 KiB is mapped and zeroed afresh: a chunk ran 1.5x
slower on such a worker than in a plain process.
"""

_MALLOPT = {"MALLOC_TRIM_THRESHOLD_": -1, "MALLOC_MMAP_THRESHOLD_": -3}  # glibc's M_TRIM_THRESHOLD, M_MMAP_THRESHOLD


def tune_malloc() -> bool:
    """Apply :data:`MALLOC_ENV` to this process with glibc's ``mallopt``: the initializer of econ's pool workers.

    Returns False, changing nothing, where the C library is not glibc (macOS, Windows, musl).
    """
    try:
        mallopt = ctypes.CDLL("libc.so.6").mallopt
    except (OSError, AttributeError):
        return False
    return all(mallopt(_MALLOPT[key], int(value)) == 1 for key, value in MALLOC_ENV.items())


def show_progress(progress: bool | None) -> bool:
    """Whether to draw a progress bar: ``progress`` if given, else ``ECON_PROGRESS`` (0 or 1), else only when interactive.

    Examples
    --------
    >>> show_progress(False), show_progress(True)
    (False, True)
    """
    if progress is not None:
        return bool(progress)
    setting = os.environ.get("ECON_PROGRESS")
    if setting is not None:
        return setting.strip() not in ("", "0", "false", "no")
    shell = getattr(sys.modules.get("IPython"), "get_ipython", lambda: None)()
    return bool(sys.stderr.isatty() or (shell is not None and type(shell).__name__ == "ZMQInteractiveShell"))


def _bar(total: int, description: str, on: bool) -> Any:
    from tqdm.auto import tqdm

    return tqdm(total=total, desc=description, unit="task", disable=not on, leave=False)


def check_workers(workers: int | None) -> int:
    """``workers`` or every core; a ValueError naming the parameter if it is not a whole number >= 1."""
    return (os.cpu_count() or 1) if workers is None else whole_number(workers, "workers", "processes", 1)


def _call(function: Callable[..., Any], task: Task, keep: bool) -> Any:
    """``function(*task)``, or the exception it raised if ``keep``."""
    try:
        return function(*task)
    except Exception as error:
        if not keep:
            raise
        return error  # in the task's place, for the caller to report


def _on_pool(pool: Executor, function: Callable[..., Any], tasks: Sequence[Task], on: bool, description: str, keep: bool) -> list[Any]:
    out: list[Any] = [None] * len(tasks)
    with _bar(len(tasks), description, on) as bar:
        futures = {pool.submit(function, *task): k for k, task in enumerate(tasks)}
        for future in as_completed(futures):
            out[futures[future]] = _call(future.result, (), keep)
            bar.update()
    return out


@contextmanager
def executor(scheduler: Any = None, workers: int | None = 1) -> Iterator[Any]:
    """What to pass as ``scheduler`` to many :func:`run_tasks` calls: one process pool or Dask client for them all.

    None with one worker gives None (this process); None with more a ``ProcessPoolExecutor``
    kept open for the block (a pool per call would start its processes each time); anything
    else a Dask client (:func:`dask_client`). A block left by an exception cancels the pool's
    queued tasks and waits for those running; a block that ends normally lets the workers exit
    without waiting for them.

    Examples
    --------
    >>> with executor(None, 1) as where:
    ...     run_tasks(pow, [(2, 5)], scheduler=where)
    [32]
    """
    if scheduler is None:
        count = check_workers(workers)
        if count <= 1:
            yield None
            return
        pool = ProcessPoolExecutor(count, mp_context=multiprocessing.get_context("spawn"), initializer=tune_malloc)
        try:
            yield pool
        except BaseException:
            pool.shutdown(wait=True, cancel_futures=True)  # a task failed or the caller stopped: queued tasks never start
            raise
        pool.shutdown(wait=False)  # every result is in: the workers exit while the caller goes on
        return
    with dask_client(scheduler, workers) as client:
        yield client


@contextmanager
def dask_client(scheduler: Any, workers: int | None = None) -> Iterator[Any]:
    """A ``dask.distributed.Client`` for ``scheduler`` (``"dask"``, an address or a client), closed after use if econ opened it.

    Raises
    ------
    ConnectionError
        If the scheduler at the address does not answer within :data:`CONNECT_TIMEOUT_S`.
    """
    import dask
    from dask.distributed import Client, LocalCluster

    if isinstance(scheduler, Client):
        yield scheduler
        return
    if scheduler == "dask":
        before = {key: os.environ.get(key) for key in MALLOC_ENV}  # the nannies run here and set their workers' variables here
        try:
            with dask.config.set(LOCAL_WORKER_CONFIG):
                cluster = LocalCluster(
                    n_workers=check_workers(workers), threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=":0"
                )
            with cluster, Client(cluster) as client:
                from econ.dask_plugins import IgnoreInterrupt

                client.register_plugin(IgnoreInterrupt())
                yield client
        finally:
            for key, value in before.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value
        return
    if not isinstance(scheduler, str) or not scheduler:
        raise ValueError(f"scheduler: must be None, 'dask', a scheduler address such as 'tcp://host:8786' or a Client; got {scheduler!r}")
    try:
        client = Client(scheduler, timeout=CONNECT_TIMEOUT_S)
    except (OSError, TimeoutError) as error:
        raise ConnectionError(
            f"scheduler: no Dask scheduler answered at {scheduler!r} within {CONNECT_TIMEOUT_S:g} s ({error}); start one with "
            "`dask scheduler` and workers with `dask worker ADDRESS`, or pass scheduler='dask' for a local cluster (docs/scale.md)"
        ) from None
    with client:
        yield client


def run_tasks(
    function: Callable[..., Any],
    tasks: Sequence[Task],
    *,
    scheduler: Any = None,
    workers: int | None = None,
    progress: bool | None = None,
    description: str = "econ",
    errors: str = "raise",
) -> list[Any]:
    """``function(*task)`` for every task, in the order of the tasks, wherever ``scheduler`` says (module docstring).

    Parameters
    ----------
    function : callable
        A module-level (picklable) function.
    tasks : sequence of tuple
        Its arguments, one tuple per task.
    scheduler : None, str, dask.distributed.Client or concurrent.futures.Executor
        Where to run: None (embedded), ``"dask"`` (a local Dask cluster), an address, a client,
        or an executor kept open by the caller (:func:`executor`).
    workers : int, optional
        Worker processes for the embedded pool or the local cluster [processes], >= 1; default
        every core. The embedded default runs a single task in this process.
    progress : bool, optional
        Draw a progress bar (:func:`show_progress`).
    description : str
        Label of the bar.
    errors : {"raise", "return"}
        What a task that raises does: ``"raise"`` stops the run with its exception (the
        default); ``"return"`` puts the exception in the task's place and runs the others, so
        that a batch loses nothing that succeeded. On Dask that includes a task whose workers
        kept dying (``KilledWorker``) after the scheduler's retries.

    Returns
    -------
    list
        The results (or, with ``errors="return"``, the exceptions), in task order.

    Raises
    ------
    ValueError
        If ``errors`` is not ``"raise"`` or ``"return"``.

    Examples
    --------
    >>> run_tasks(pow, [(2, 3), (3, 2)], workers=1)
    [8, 9]
    >>> run_tasks(int, [("7",), ("seven",)], errors="return")
    [7, ValueError("invalid literal for int() with base 10: 'seven'")]
    """
    if errors not in ("raise", "return"):
        raise ValueError(f"errors: must be 'raise' or 'return'; got {errors!r}")
    keep = errors == "return"
    on = show_progress(progress)
    if isinstance(scheduler, Executor):
        return _on_pool(scheduler, function, tasks, on, description, keep)
    if scheduler is None:
        count = min(check_workers(workers), len(tasks))
        if count <= 1:
            results = []
            with _bar(len(tasks), description, on) as bar:
                for task in tasks:
                    results.append(_call(function, task, keep))
                    bar.update()
            return results
        with executor(None, count) as pool:
            return _on_pool(pool, function, tasks, on, description, keep)
    from dask.distributed import as_completed as dask_completed

    with dask_client(scheduler, workers) as client:
        submitted = [client.submit(function, *task, pure=False) for task in tasks]
        order = {future.key: k for k, future in enumerate(submitted)}
        fetched: list[Any] = [None] * len(tasks)
        with _bar(len(tasks), description, on) as bar:
            for future, result in dask_completed(submitted, with_results=True, raise_errors=not keep):
                fetched[order[future.key]] = future.exception() if future.status == "error" else result
                submitted[order[future.key]] = None  # fetched: the worker may drop it, so results do not pile up there
                future.release()
                bar.update()
        return fetched
