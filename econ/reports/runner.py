"""Run (scenario, notebook) pairs through papermill: one run in-process, or a batch in parallel.

Layout of one run's outputs, in ``<out>/<folder>/``, where the folder is the scenario's name,
``<scenario>--<hash>`` for a run with ``-p`` values (:func:`output_folder_name`) or the
name given with ``econ report --out-name``::

    <notebook>.ipynb          executed notebook (kept with the traceback when the run fails)
    <notebook>.html           offline report (only for a successful run)
    <notebook>.results.json   headline numbers and provenance written by the notebook, plus a
                              "run" section (status, error, parameters, time) by the runner
    logs/<notebook>.log       kernel output and runner messages

A run executes in a hidden scratch folder next to its outputs (the kernel's working folder
and its ``output_dir``), then moves each file into place with an atomic rename, the
``results.json`` last: a reader sees the old outputs or the new ones, never a mixture of
half-written files. An interrupted run deletes its scratch folder and leaves the previous
outputs as they were.

A batch runs each pair in a worker process (``python -m econ.reports.worker``) in its own
session, at most ``jobs`` at a time. Every worker, and so its kernel and anything the
notebook starts, carries the run's id in the environment variable :data:`RUN_ENV`.

Stopping a batch (Ctrl-C, SIGTERM) takes a bounded time whatever phase it is in:

* While :func:`run_batch` runs, SIGINT and SIGTERM only *record* the request; the batch loop
  acts on it between two steps. An exception raised at an arbitrary bytecode would leave a
  started worker unregistered (an orphan that goes on and publishes) or
  ``subprocess.Popen``'s internal wait lock held (the next ``wait()`` then blocks forever).
* The batch cancels the pending runs and sends SIGTERM to the running workers. A worker
  kills its kernel at once (the run's results are discarded anyway) and unwinds, removing
  its scratch folder; while it moves a finished run's files into place it defers the signal
  until the last rename, so a reader sees the old outputs or the new ones.
* A worker still alive after :data:`STOP_GRACE_S`, or all of them on a second Ctrl-C, is
  killed with its process group; then every process still marked with a stopped run's id
  (a kernel whose worker was killed, in its own session) is killed, and the batch waits at
  most :data:`KILL_WAIT_S` for them to go.
* Finally the stopped runs' scratch folders and temporary files are removed and
  ``KeyboardInterrupt`` is raised (``econ report`` exits with status 130).

Test hook: :func:`pause_point` marks the phases; with the environment variables
:data:`PAUSE_AT_ENV` and :data:`PAUSE_FILE_ENV` set, a process waits at the named phase for
the stop signal, so a test can interrupt a batch at a precise phase. Production never sets
them, and unset they cost one environment lookup per phase.

References
----------
.. [1] papermill documentation, "Execute" (``execute_notebook``: ``kernel_name``, ``cwd``,
   ``log_output``; a failing cell raises ``PapermillExecutionError`` after the notebook
   with the traceback is saved).
.. [2] Python documentation, ``os.replace`` (atomic rename on POSIX) and ``subprocess.Popen``
   (``start_new_session``).
.. [3] Python documentation, ``signal``: "Execution of Python signal handlers" (a handler
   runs between bytecodes of the main thread, so an exception it raises can appear after
   any call returns), ``set_wakeup_fd`` and ``raise_signal``.
.. [4] proc(5): ``/proc/<pid>/environ`` (the environment a process was started with).
"""

from __future__ import annotations

import hashlib
import itertools
import json
import logging
import os
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from types import FrameType
from typing import Any

import nbformat
import papermill

from econ.parallel import MALLOC_ENV
from econ.reports.files import atomic_write_json, atomic_write_text, leftover_temporaries
from econ.reports.html import export_html, notebook_title
from econ.reports.provenance import RESULTS_NAME

KERNEL_NAME = "econ"
#: Starts of a kernel that dies before it answers, before the run fails (see :func:`_execute`).
KERNEL_START_ATTEMPTS = 3
NOTEBOOK_DIR = Path(__file__).resolve().parent.parent.parent / "notebooks"
#: Seconds a worker gets to stop its kernel after SIGTERM before it is killed.
STOP_GRACE_S = 10.0
#: Seconds to wait for killed processes to disappear (SIGKILL cannot be ignored).
KILL_WAIT_S = 5.0
#: Seconds between a Dask run's checks of its batch's stop event.
STOP_POLL_S = 0.5
SCRATCH_PREFIX = ".run-"
#: Environment variable holding the run id in a worker and every process it starts.
RUN_ENV = "ECON_REPORT_RUN"
#: Test hook: name of the phase at which to wait for a stop signal (see :func:`pause_point`).
PAUSE_AT_ENV = "ECON_REPORT_PAUSE_AT"
#: Test hook: file to which a process appends ``"<phase> <pid>"`` when it pauses.
PAUSE_FILE_ENV = "ECON_REPORT_PAUSE_FILE"
#: Test hook: longest pause [s]; the process then goes on as if nothing had happened.
PAUSE_TIMEOUT_S = 60.0
#: The phases at which :func:`pause_point` can pause, in the order a batch meets them.
PHASES = ("batch-start", "worker-spawned", "export", "publish", "between-runs")
STOP_SIGNALS = frozenset({signal.SIGINT, signal.SIGTERM})

log = logging.getLogger("econ.reports")


@dataclass(frozen=True)
class RunSpec:
    """One (scenario, notebook) run.

    Attributes
    ----------
    notebook : str
        Path of the source notebook.
    scenario : str
        Scenario name or file, as passed to the notebook's ``scenario`` parameter.
    scenario_name : str
        The scenario's name, shown in the report.
    out : str
        Root output folder (``reports``).
    parameters : dict
        Notebook parameters from ``-p`` (already checked).
    overrides : dict
        Scenario overrides from ``-p`` (already checked), passed as ``overrides``.
    run_id : str
        Unique id, recorded in ``results.json`` to tell this run's record from an older one.
    folder_name : str
        Name of the output folder ``<out>/<folder_name>/``; ``scenario_name`` when empty.

    Examples
    --------
    >>> spec = RunSpec("notebooks/01_build_vs_rent.ipynb", "base", "base", "reports")
    >>> spec.folder.as_posix()
    'reports/base'
    >>> RunSpec("notebooks/01_build_vs_rent.ipynb", "base", "base", "reports", folder_name="base-high-discount").folder.as_posix()
    'reports/base-high-discount'
    """

    notebook: str
    scenario: str
    scenario_name: str
    out: str
    parameters: dict[str, Any] = field(default_factory=dict)
    overrides: dict[str, Any] = field(default_factory=dict)
    run_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    folder_name: str = ""

    @property
    def stem(self) -> str:
        """Notebook file name without ``.ipynb``."""
        return Path(self.notebook).stem

    @property
    def key(self) -> str:
        """``<folder>/<notebook>``, as shown in progress lines."""
        return f"{self.folder.name}/{self.stem}"

    @property
    def folder(self) -> Path:
        """``<out>/<folder_name>``, or ``<out>/<scenario_name>`` without a folder name."""
        return Path(self.out) / (self.folder_name or self.scenario_name)

    @property
    def results_path(self) -> Path:
        """``<folder>/<notebook>.results.json``."""
        return self.folder / f"{self.stem}.{RESULTS_NAME}"

    @property
    def html_path(self) -> Path:
        """``<folder>/<notebook>.html``."""
        return self.folder / f"{self.stem}.html"

    @property
    def executed_path(self) -> Path:
        """``<folder>/<notebook>.ipynb``."""
        return self.folder / f"{self.stem}.ipynb"

    @property
    def log_path(self) -> Path:
        """``<folder>/logs/<notebook>.log``."""
        return self.folder / "logs" / f"{self.stem}.log"

    @property
    def scratch_path(self) -> Path:
        """``<folder>/.run-<notebook>-<run_id>``: the run's hidden scratch folder."""
        return self.folder / f"{SCRATCH_PREFIX}{self.stem}-{self.run_id}"

    def to_json(self) -> str:
        """The spec as JSON (the worker's command-line argument)."""
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> RunSpec:
        """Inverse of :meth:`to_json`."""
        return cls(**json.loads(text))


def output_folder_name(scenario_name: str, parameters: Mapping[str, Any], overrides: Mapping[str, Any]) -> str:
    """The output folder of a run: the scenario's name, with a suffix when ``-p`` set anything.

    Parameters
    ----------
    scenario_name : str
        The scenario's name.
    parameters : mapping
        Notebook parameters given with ``-p`` (all notebooks' together).
    overrides : mapping
        Scenario overrides given with ``-p``.

    Returns
    -------
    str
        ``scenario_name`` without parameters and overrides, else ``<scenario_name>--<8 hex>``:
        the first 8 hex digits of the SHA-256 of the parameters and overrides as JSON with
        sorted keys. The same values give the same folder (a rerun replaces its reports),
        different values another one.

    Examples
    --------
    >>> output_folder_name("base", {}, {})
    'base'
    >>> a = output_folder_name("base", {"seed": 7}, {"cloud.commit_discount_level": 0.3})
    >>> a.startswith("base--"), len(a), a == output_folder_name("base", {"seed": 7}, {"cloud.commit_discount_level": 0.3})
    (True, 14, True)
    >>> a == output_folder_name("base", {"seed": 8}, {"cloud.commit_discount_level": 0.3})
    False
    """
    if not parameters and not overrides:
        return scenario_name
    text = json.dumps({"overrides": dict(overrides), "parameters": dict(parameters)}, sort_keys=True, separators=(",", ":"))
    return f"{scenario_name}--{hashlib.sha256(text.encode('utf-8')).hexdigest()[:8]}"


def discover_notebooks(directory: Path = NOTEBOOK_DIR) -> list[Path]:
    """The notebooks of ``directory`` in name order (hidden and ``_``-prefixed files skipped).

    Examples
    --------
    >>> discover_notebooks()[0].name
    '00_finance_kernels.ipynb'
    """
    return sorted(p for p in directory.glob("*.ipynb") if not p.name.startswith((".", "_")))


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def run_one(spec: RunSpec) -> dict[str, Any]:
    r"""Execute one run in this process and publish its outputs; never raises for a failing notebook.

    Parameters
    ----------
    spec : RunSpec
        What to run and where.

    Returns
    -------
    dict
        The ``results.json`` written: ``headline``, ``summary`` and ``provenance`` from the
        notebook (absent if it failed before writing them) and ``run`` with ``status``
        (``"ok"`` or ``"failed"``), ``error`` (exception and message, None if ok),
        ``seconds`` and the file names.

    Raises
    ------
    KeyboardInterrupt
        If interrupted; the scratch folder is removed and earlier outputs are untouched.

    Examples
    --------
    A notebook that fails is reported, not raised:

    >>> import tempfile
    >>> from nbformat.v4 import new_code_cell, new_notebook
    >>> folder = Path(tempfile.mkdtemp())
    >>> cells = [new_code_cell('scenario = "base"\noverrides = {}\noutput_dir = "."', metadata={"tags": ["parameters"]}),
    ...          new_code_cell("1 / 0")]
    >>> nbformat.write(new_notebook(cells=cells, metadata={"language_info": {"name": "python"}}), folder / "broken.ipynb")
    >>> record = run_one(RunSpec(str(folder / "broken.ipynb"), "base", "base", str(folder / "out")))
    >>> record["run"]["status"], "ZeroDivisionError" in record["run"]["error"]
    ('failed', True)
    """
    notebook = Path(spec.notebook)
    spec.folder.mkdir(parents=True, exist_ok=True)
    started, t0 = _now(), time.perf_counter()
    with _scratch(spec) as scratch:
        executed = scratch / notebook.name
        # The notebook contract: every notebook declares these; papermill warns if one does not.
        parameters = {**spec.parameters, "scenario": spec.scenario, "overrides": spec.overrides, "output_dir": str(scratch)}
        error = _execute(notebook, executed, parameters, scratch)
        results = _read_json(scratch / RESULTS_NAME)
        if error is None and not results:
            error = f"the notebook wrote no {RESULTS_NAME} (its last cell should call econ.reports.write_results)"
        title = notebook_title(nbformat.read(executed, as_version=4), notebook.stem) if executed.exists() else notebook.stem
        page = None
        if error is None:
            pause_point("export")
            try:
                page = export_html(executed, spec.scenario_name, results)
            except Exception as err:  # an export bug fails this run only
                error = f"HTML export failed: {type(err).__name__}: {err}"
        record = {
            **results,
            "run": {
                "id": spec.run_id,
                "status": "ok" if error is None else "failed",
                "error": error,
                "notebook": notebook.name,
                "title": title,
                "scenario": spec.scenario_name,
                "scenario_ref": spec.scenario,
                "folder": spec.folder.name,
                "parameters": {k: v for k, v in parameters.items() if k != "output_dir"},
                "started_utc": started,
                "seconds": round(time.perf_counter() - t0, 2),
                "html": spec.html_path.name if page is not None else None,
                "executed": spec.executed_path.name if executed.exists() else None,
                "log": f"logs/{spec.log_path.name}",
            },
        }
        with signals_deferred():  # a few renames: finish them, then let a stop signal act
            _publish(spec, executed, page, record)
    return record


def _execute(notebook: Path, executed: Path, parameters: Mapping[str, Any], cwd: Path) -> str | None:
    """Run papermill; return None on success, else the error as one line.

    A kernel that dies before it answers its first request ran no cell, so it is started
    again, up to :data:`KERNEL_START_ATTEMPTS` times: kernels started side by side can lose
    jupyter_client's race for free ports (jupyter/jupyter_client#154), and a batch should not
    lose a run to it.
    """
    attempt = 1
    while True:
        try:
            papermill.execute_notebook(
                str(notebook),
                str(executed),
                parameters=dict(parameters),
                kernel_name=KERNEL_NAME,
                progress_bar=False,
                log_output=True,
                cwd=str(cwd),
            )
        except papermill.PapermillExecutionError as err:
            return f"{err.ename}: {err.evalue} (cell {err.exec_count})"
        except Exception as err:  # kernel missing or dead, unreadable notebook: the run fails, the batch goes on
            if _died_at_start(err) and attempt < KERNEL_START_ATTEMPTS:
                log.warning("the kernel died before it answered (start %d of %d): starting a fresh one", attempt, KERNEL_START_ATTEMPTS)
                attempt += 1
                continue
            log.exception("papermill failed before or outside a cell")
            starts = f" (after {attempt} kernel starts)" if _died_at_start(err) else ""
            return f"{type(err).__name__}: {err}{starts}"
        return None


def _died_at_start(err: Exception) -> bool:
    """True for a kernel that died or stayed silent before it answered ``kernel_info`` (no cell ran)."""
    return isinstance(err, RuntimeError) and any(text in str(err) for text in ("before replying to kernel_info", "didn't respond in"))


@contextmanager
def _scratch(spec: RunSpec) -> Iterator[Path]:
    """The run's hidden scratch folder (:attr:`RunSpec.scratch_path`), removed whatever happens."""
    path = spec.scratch_path
    path.mkdir(mode=0o700)
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _publish(spec: RunSpec, executed: Path, page: str | None, record: Mapping[str, Any]) -> None:
    """Move the run's files into place, ``results.json`` last; drop a stale page of a failed run."""
    if page is not None:
        atomic_write_text(spec.html_path, page)
    else:
        spec.html_path.unlink(missing_ok=True)
    pause_point("publish")
    if executed.exists():
        os.replace(executed, spec.executed_path)
    else:
        spec.executed_path.unlink(missing_ok=True)
    atomic_write_json(spec.results_path, record)


def failure_record(spec: RunSpec, error: str, seconds: float) -> dict[str, Any]:
    """The ``results.json`` of a run whose worker ended without writing one."""
    return {
        "run": {
            "id": spec.run_id,
            "status": "failed",
            "error": error,
            "notebook": Path(spec.notebook).name,
            "title": Path(spec.notebook).stem,
            "scenario": spec.scenario_name,
            "scenario_ref": spec.scenario,
            "folder": spec.folder.name,
            "parameters": {**spec.parameters, "scenario": spec.scenario, "overrides": dict(spec.overrides)},
            "started_utc": None,
            "seconds": round(seconds, 2),
            "html": None,
            "executed": spec.executed_path.name if spec.executed_path.exists() else None,
            "log": f"logs/{spec.log_path.name}",
        }
    }


class _Deferral:
    """State of :func:`signals_deferred` (signal handlers run in the main thread only)."""

    depth = 0
    signum: int | None = None


def deferrable(handler: Callable[[int, FrameType | None], Any]) -> Callable[[int, FrameType | None], None]:
    """Wrap a SIGINT/SIGTERM handler so that inside :func:`signals_deferred` it only records the signal.

    Parameters
    ----------
    handler : callable
        The handler, called as ``handler(signum, frame)`` outside a deferred block.

    Returns
    -------
    callable
        The handler to install with :func:`signal.signal`.
    """

    def deferring_handler(signum: int, frame: FrameType | None) -> None:
        if _Deferral.depth:
            _Deferral.signum = signum
            return
        handler(signum, frame)

    return deferring_handler


@contextmanager
def signals_deferred() -> Iterator[None]:
    """Let a :func:`deferrable` handler act only once the block (a short step) has ended.

    A stop signal that arrives during the block is raised again as it ends. Blocking the
    signal with ``pthread_sigmask`` would not do: it masks the calling thread only, and
    Python runs the handler in the main thread whichever thread received the signal [3]_.
    """
    _Deferral.depth += 1
    try:
        yield
    finally:
        _Deferral.depth -= 1
        if _Deferral.depth == 0 and _Deferral.signum is not None:
            signum, _Deferral.signum = _Deferral.signum, None
            signal.raise_signal(signum)


def pause_point(phase: str) -> None:
    """Test hook: at ``phase``, wait for a stop signal, so that it takes effect exactly here.

    Does nothing unless the environment variable :data:`PAUSE_AT_ENV` equals ``phase`` (one of
    :data:`PHASES`). Then the process appends ``"<phase> <pid>"`` to the file named by
    :data:`PAUSE_FILE_ENV` and waits for SIGINT or SIGTERM (at most :data:`PAUSE_TIMEOUT_S`)
    through :func:`signal.set_wakeup_fd`, which any thread that receives the signal writes
    to; the process's handler then runs as this function returns (or, in a
    :func:`signals_deferred` block, as that block ends). Production never sets the variable.
    Call it from the main thread.

    Parameters
    ----------
    phase : str
        Name of the phase this call marks.
    """
    if os.environ.get(PAUSE_AT_ENV) != phase:
        return
    reader, writer = socket.socketpair()
    writer.setblocking(False)
    previous = signal.set_wakeup_fd(writer.fileno(), warn_on_full_buffer=False)
    try:
        with open(os.environ[PAUSE_FILE_ENV], "a", encoding="utf-8") as handle:
            handle.write(f"{phase} {os.getpid()}\n")
        select.select([reader], [], [], PAUSE_TIMEOUT_S)
    finally:
        signal.set_wakeup_fd(previous)
        reader.close()
        writer.close()


def run_processes(run_ids: Collection[str], exclude: Collection[int] = ()) -> list[int]:
    """Process ids of the live processes started for one of ``run_ids``.

    A worker gets its run id in :data:`RUN_ENV` and every process it starts (the kernel and
    what the notebook starts) inherits it, so this finds them even after their parent died.

    Parameters
    ----------
    run_ids : collection of str
        Run ids (:attr:`RunSpec.run_id`).
    exclude : collection of int
        Process ids to leave out (a worker looking for its own kernels excludes itself).

    Returns
    -------
    list of int
        The matching process ids; empty where there is no ``/proc`` [4]_ (not Linux).
    """
    marks = {f"{RUN_ENV}={run_id}".encode() for run_id in run_ids}
    try:
        names = os.listdir("/proc")
    except OSError:
        return []
    found = []
    for name in names:
        if not name.isdigit() or int(name) in exclude:
            continue
        try:
            with open(f"/proc/{name}/environ", "rb") as handle:
                environ = handle.read()  # empty for a zombie
        except OSError:  # exited meanwhile, or another user's
            continue
        if marks.intersection(environ.split(b"\0")):
            found.append(int(name))
    return found


def kill_run_processes(run_ids: Collection[str], exclude: Collection[int] = ()) -> list[int]:
    """SIGKILL the processes of ``run_ids`` (see :func:`run_processes`) and wait for them to go.

    A killed Jupyter kernel cannot remove its connection file, so this removes it. Processes
    that appear meanwhile (started by a dying one) are killed too.

    Parameters
    ----------
    run_ids : collection of str
        Run ids.
    exclude : collection of int
        Process ids to spare.

    Returns
    -------
    list of int
        Process ids still alive after :data:`KILL_WAIT_S` (normally none).
    """
    deadline = time.monotonic() + KILL_WAIT_S
    while True:
        pids = run_processes(run_ids, exclude)
        if not pids or time.monotonic() >= deadline:
            return pids
        for pid in pids:
            connection = _connection_file(pid)
            with suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)
            if connection is not None:
                connection.unlink(missing_ok=True)
        time.sleep(0.02)  # SIGKILL is asynchronous; look again until the processes are gone


def _connection_file(pid: int) -> Path | None:
    """The Jupyter connection file given to kernel ``pid`` as ``-f FILE``, if it is one."""
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            argv = handle.read().decode(errors="replace").split("\0")
    except OSError:
        return None
    for flag, value in itertools.pairwise(argv):
        if flag == "-f" and Path(value).name.startswith("kernel-") and value.endswith(".json"):
            return Path(value)
    return None


@dataclass
class _Running:
    spec: RunSpec
    proc: subprocess.Popen[bytes]
    log_tmp: Path
    t0: float


class _StopRequest:
    """SIGINT/SIGTERM handler of a running batch: counts the signals and raises nothing."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, signum: int, frame: FrameType | None) -> None:
        self.count += 1

    @property
    def requested(self) -> bool:
        """True once a stop signal has arrived."""
        return self.count > 0


@contextmanager
def _stop_requests() -> Iterator[_StopRequest]:
    """Route SIGINT and SIGTERM, unless ignored, to a :class:`_StopRequest` for the block (main thread only)."""
    request = _StopRequest()
    if threading.current_thread() is not threading.main_thread():  # signal.signal works there only
        yield request
        return
    # An ignored signal stays ignored: `nohup`, or a shell without job control starting `cmd &`,
    # sets SIGINT to SIG_IGN so that a Ctrl-C meant for the foreground leaves the batch alone.
    previous = {sig: signal.signal(sig, request) for sig in STOP_SIGNALS if signal.getsignal(sig) is not signal.SIG_IGN}
    try:
        yield request
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, signal.SIG_DFL if handler is None else handler)


def run_batch(
    specs: Sequence[RunSpec],
    jobs: int,
    on_done: Callable[[int, int, dict[str, Any]], None] | None = None,
    poll_s: float = 0.05,
) -> list[dict[str, Any]]:
    r"""Run every spec in a worker process, at most ``jobs`` at a time.

    Parameters
    ----------
    specs : sequence of RunSpec
        The runs, started in this order.
    jobs : int
        Maximum concurrent runs (each is one worker and one kernel).
    on_done : callable, optional
        Called as ``on_done(done, total, record)`` as each run finishes (progress display).
    poll_s : float
        Polling interval [s]; also the longest delay before a stop signal is acted on.

    Returns
    -------
    list of dict
        The ``results.json`` record of each run, in the order of ``specs``.

    Raises
    ------
    KeyboardInterrupt
        On SIGINT (Ctrl-C) or SIGTERM, once pending runs are cancelled, running ones stopped
        with their kernels and temporary files removed (see the module docstring). Called
        outside the main thread, the batch cannot see signals and runs to the end.

    Examples
    --------
    >>> import tempfile
    >>> from nbformat.v4 import new_code_cell, new_notebook
    >>> folder = Path(tempfile.mkdtemp())
    >>> cells = [
    ...     new_code_cell('scenario = "base"\noverrides = {}\nseed = 0\noutput_dir = "."', metadata={"tags": ["parameters"]}),
    ...     new_code_cell('import econ.reports\necon.reports.write_results(output_dir, scenario, {"answer_usd": 42.0}, seed=seed)'),
    ... ]
    >>> nbformat.write(new_notebook(cells=cells, metadata={"language_info": {"name": "python"}}), folder / "demo.ipynb")
    >>> records = run_batch([RunSpec(str(folder / "demo.ipynb"), "base", "base", str(folder / "out"))], jobs=1)
    >>> [r["run"]["status"] for r in records], records[0]["headline"]
    (['ok'], {'answer_usd': 42.0})
    """
    pending = list(specs)
    running: list[_Running] = []
    records: dict[str, dict[str, Any]] = {}
    pause_point("batch-start")
    with _stop_requests() as stop:
        try:
            while (pending or running) and not stop.requested:
                while pending and len(running) < max(jobs, 1):
                    if records:
                        pause_point("between-runs")
                    if stop.requested:
                        break
                    running.append(_start(pending.pop(0)))
                for item in [r for r in running if r.proc.poll() is not None]:
                    running.remove(item)
                    records[item.spec.run_id] = record = _finish(item)
                    if on_done is not None:
                        on_done(len(records), len(specs), record)
                if running and not stop.requested:
                    time.sleep(poll_s)  # a stop signal is acted on at the next turn
        except BaseException:
            _stop(running, stop)
            raise
        if stop.requested:
            _stop(running, stop)
            msg = f"batch stopped by a signal: {len(running)} run(s) stopped, {len(pending)} cancelled"
            raise KeyboardInterrupt(msg)
    return [records[s.run_id] for s in specs]


def _start(spec: RunSpec) -> _Running:
    spec.log_path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=spec.log_path.parent, prefix=f".{spec.log_path.name}.", suffix=".tmp")
    # no bars in logs unless asked; malloc tuned for the kernel's Monte Carlo (econ.parallel.MALLOC_ENV) unless set
    env = {"ECON_PROGRESS": "0", **MALLOC_ENV, **os.environ, "PYTHONUNBUFFERED": "1", RUN_ENV: spec.run_id}
    try:
        with os.fdopen(fd, "wb") as handle:
            proc = subprocess.Popen(
                [sys.executable, "-m", "econ.reports.worker", spec.to_json()],
                stdin=subprocess.DEVNULL,
                stdout=handle,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # Ctrl-C reaches the batch, which stops workers in order
                env=env,
            )
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    pause_point("worker-spawned")
    return _Running(spec, proc, Path(tmp), time.perf_counter())


def _finish(item: _Running) -> dict[str, Any]:
    spec, seconds = item.spec, time.perf_counter() - item.t0
    os.chmod(item.log_tmp, 0o644)
    os.replace(item.log_tmp, spec.log_path)
    record = _read_json(spec.results_path)
    if record.get("run", {}).get("id") != spec.run_id:
        code = item.proc.returncode
        record = failure_record(spec, f"worker exited with code {code} before writing its results (see {spec.log_path})", seconds)
        spec.html_path.unlink(missing_ok=True)
        atomic_write_json(spec.results_path, record)
    return record


def _stop(running: Sequence[_Running], stop: _StopRequest) -> None:
    """Stop the running workers and their kernels within a bounded time; remove their temporaries.

    SIGTERM to each worker; a worker still alive after :data:`STOP_GRACE_S`, or at once when
    another stop signal arrives, is killed with its process group; then the processes still
    marked with a stopped run's id are killed (:func:`kill_run_processes`). Worst case about
    ``STOP_GRACE_S + 2 * KILL_WAIT_S``.
    """
    for item in running:
        if item.proc.poll() is None:
            item.proc.send_signal(signal.SIGTERM)
    signals_seen = stop.count
    deadline = time.monotonic() + STOP_GRACE_S
    while any(item.proc.poll() is None for item in running) and time.monotonic() < deadline and stop.count == signals_seen:
        time.sleep(0.05)  # a second stop signal is seen within 0.05 s
    for item in running:
        if item.proc.poll() is None:
            with suppress(ProcessLookupError):
                os.killpg(item.proc.pid, signal.SIGKILL)
    for item in running:
        with suppress(subprocess.TimeoutExpired):
            item.proc.wait(timeout=KILL_WAIT_S)
    alive = kill_run_processes([item.spec.run_id for item in running])
    if alive:
        log.warning("processes %s of stopped runs did not exit after SIGKILL", alive)
    for item in running:
        _discard(item)


def _discard(item: _Running) -> None:
    """Remove a stopped run's scratch folder and temporary files; keep its log if it published."""
    spec = item.spec
    if _read_json(spec.results_path).get("run", {}).get("id") == spec.run_id:  # it published before it stopped
        os.chmod(item.log_tmp, 0o644)
        os.replace(item.log_tmp, spec.log_path)
    else:
        item.log_tmp.unlink(missing_ok=True)
    shutil.rmtree(spec.scratch_path, ignore_errors=True)
    for path in (spec.html_path, spec.results_path):
        for tmp in leftover_temporaries(path):
            tmp.unlink(missing_ok=True)


def run_notebook(
    notebook: Path,
    out: Path,
    scenario: str = "base",
    parameters: Mapping[str, Any] | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    r"""Run one notebook for one scenario in this process (no worker, no parameter checks).

    Parameters
    ----------
    notebook : Path
        Source notebook.
    out : Path
        Root output folder; the outputs go to ``<out>/<scenario name>/``.
    scenario : str
        Scenario name or file.
    parameters, overrides : mapping, optional
        Notebook parameters and scenario overrides, as ``econ report -p`` would pass them.

    Returns
    -------
    dict
        The run's ``results.json`` record (see :func:`run_one`).

    Examples
    --------
    >>> import tempfile
    >>> from nbformat.v4 import new_code_cell, new_notebook
    >>> folder = Path(tempfile.mkdtemp())
    >>> cells = [
    ...     new_code_cell('scenario = "base"\noverrides = {}\nseed = 0\noutput_dir = "."', metadata={"tags": ["parameters"]}),
    ...     new_code_cell('import econ.reports\necon.reports.write_results(output_dir, scenario, {"answer_usd": 42.0}, seed=seed)'),
    ... ]
    >>> nbformat.write(new_notebook(cells=cells, metadata={"language_info": {"name": "python"}}), folder / "demo.ipynb")
    >>> record = run_notebook(folder / "demo.ipynb", folder / "out")
    >>> record["run"]["status"], record["headline"], (folder / "out" / "base" / "demo.html").exists()
    ('ok', {'answer_usd': 42.0}, True)
    """
    from econ.assumptions import load_scenario

    name = load_scenario(scenario, dict(overrides or {})).name
    spec = RunSpec(str(notebook), scenario, name, str(out), dict(parameters or {}), dict(overrides or {}))
    return run_one(spec)


def run_spec(spec_json: str, stop_event: str | None = None) -> dict[str, Any]:
    """One run in a worker process of its own, wherever this is called (a Dask task): its ``results.json`` record.

    The outputs go to the spec's folder, so on a cluster of several machines that folder must be
    on a file system every worker sees (docs/scale.md). With ``stop_event``, the name of a
    ``distributed.Event`` of the batch, the run is stopped as :func:`run_batch` stops one (its
    worker and kernel ended, its temporaries removed) once that event is set, checked every
    :data:`STOP_POLL_S`, and ``RuntimeError`` is raised.
    """
    stop = None
    if stop_event is not None:
        from distributed import Event

        stop = Event(stop_event)
        if stop.is_set():
            raise RuntimeError("run not started: its batch was interrupted")
    item = _start(RunSpec.from_json(spec_json))
    while item.proc.poll() is None:
        if stop is not None and stop.is_set():
            _stop([item], _StopRequest())
            raise RuntimeError(f"run {item.spec.run_id} stopped: its batch was interrupted")
        with suppress(subprocess.TimeoutExpired):
            item.proc.wait(timeout=STOP_POLL_S)
    return _finish(item)


def run_batch_on(
    scheduler: Any,
    specs: Sequence[RunSpec],
    workers: int | None = None,
    on_done: Callable[[int, int, dict[str, Any]], None] | None = None,
) -> list[dict[str, Any]]:
    """Run every spec as a Dask task (:func:`run_spec`) on ``scheduler`` (:func:`econ.parallel.dask_client`).

    A run whose Dask worker dies is rerun from the start on another (its outputs are published
    atomically, so a half-done run leaves nothing). On Ctrl-C a ``distributed.Event`` of the
    batch is set, which :func:`run_spec` watches: runs already started are stopped on their
    workers, as :func:`run_batch` stops its own (worst case about ``STOP_POLL_S + STOP_GRACE_S
    + 2 * KILL_WAIT_S``), runs not yet started end without starting, and ``KeyboardInterrupt``
    is raised once they have.

    Returns
    -------
    list of dict
        The ``results.json`` record of each run, in the order of ``specs``.
    """
    from dask.distributed import Event, as_completed, wait

    from econ.parallel import dask_client

    with dask_client(scheduler, workers) as client:
        stop = f"econ-report-stop-{uuid.uuid4().hex}"
        futures = {client.submit(run_spec, s.to_json(), stop, key=f"econ-report-{s.run_id}", pure=False): s for s in specs}
        records: dict[str, dict[str, Any]] = {}
        try:
            for future in as_completed(futures):
                records[futures[future].run_id] = record = future.result()
                if on_done is not None:
                    on_done(len(records), len(specs), record)
        except KeyboardInterrupt:
            Event(stop, client=client).set()  # started runs stop themselves, the others end unstarted
            with suppress(TimeoutError):
                wait(list(futures), timeout=STOP_POLL_S + STOP_GRACE_S + 2 * KILL_WAIT_S + 5.0)
            raise
    return [records[s.run_id] for s in specs]
