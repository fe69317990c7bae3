"""Run (scenario, notebook) pairs through papermill: one run in-process, or a batch in parallel.

Layout of one run's outputs, in ``<out>/<scenario>/``::

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
session, at most ``jobs`` at a time. On Ctrl-C (SIGINT) or SIGTERM the batch cancels the
pending runs, sends SIGTERM to the running workers (each stops its kernel and removes its
scratch folder), kills any worker that has not exited after :data:`STOP_GRACE_S`, removes
leftover temporary files and re-raises ``KeyboardInterrupt``.

References
----------
.. [1] papermill documentation, "Execute" (``execute_notebook``: ``kernel_name``, ``cwd``,
   ``log_output``; a failing cell raises ``PapermillExecutionError`` after the notebook
   with the traceback is saved).
.. [2] Python documentation, ``os.replace`` (atomic rename on POSIX) and ``subprocess.Popen``
   (``start_new_session``).
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import nbformat
import papermill

from econ.reports.files import atomic_write_json, atomic_write_text
from econ.reports.html import export_html, notebook_title
from econ.reports.provenance import RESULTS_NAME

KERNEL_NAME = "econ"
NOTEBOOK_DIR = Path(__file__).resolve().parent.parent.parent / "notebooks"
#: Seconds a worker gets to stop its kernel after SIGTERM before it is killed.
STOP_GRACE_S = 10.0
SCRATCH_PREFIX = ".run-"

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
        The scenario's name: the output folder ``<out>/<scenario_name>/``.
    out : str
        Root output folder (``reports``).
    parameters : dict
        Notebook parameters from ``-p`` (already checked).
    overrides : dict
        Scenario overrides from ``-p`` (already checked), passed as ``overrides``.
    run_id : str
        Unique id, recorded in ``results.json`` to tell this run's record from an older one.
    """

    notebook: str
    scenario: str
    scenario_name: str
    out: str
    parameters: dict[str, Any] = field(default_factory=dict)
    overrides: dict[str, Any] = field(default_factory=dict)
    run_id: str = field(default_factory=lambda: uuid.uuid4().hex)

    @property
    def stem(self) -> str:
        """Notebook file name without ``.ipynb``."""
        return Path(self.notebook).stem

    @property
    def key(self) -> str:
        """``<scenario>/<notebook>``, as shown in progress lines."""
        return f"{self.scenario_name}/{self.stem}"

    @property
    def folder(self) -> Path:
        """``<out>/<scenario_name>``."""
        return Path(self.out) / self.scenario_name

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

    def to_json(self) -> str:
        """The spec as JSON (the worker's command-line argument)."""
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> RunSpec:
        """Inverse of :meth:`to_json`."""
        return cls(**json.loads(text))


def discover_notebooks(directory: Path = NOTEBOOK_DIR) -> list[Path]:
    """The notebooks of ``directory`` in name order (hidden and ``_``-prefixed files skipped)."""
    return sorted(p for p in directory.glob("*.ipynb") if not p.name.startswith((".", "_")))


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def run_one(spec: RunSpec) -> dict[str, Any]:
    """Execute one run in this process and publish its outputs; never raises for a failing notebook.

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
                "parameters": {k: v for k, v in parameters.items() if k != "output_dir"},
                "started_utc": started,
                "seconds": round(time.perf_counter() - t0, 2),
                "html": spec.html_path.name if page is not None else None,
                "executed": spec.executed_path.name if executed.exists() else None,
                "log": f"logs/{spec.log_path.name}",
            },
        }
        _publish(spec, executed, page, record)
    return record


def _execute(notebook: Path, executed: Path, parameters: Mapping[str, Any], cwd: Path) -> str | None:
    """Run papermill; return None on success, else the error as one line."""
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
        log.exception("papermill failed before or outside a cell")
        return f"{type(err).__name__}: {err}"
    return None


@contextmanager
def _scratch(spec: RunSpec) -> Iterator[Path]:
    """A hidden scratch folder next to the outputs, removed whatever happens."""
    path = Path(tempfile.mkdtemp(prefix=f"{SCRATCH_PREFIX}{spec.stem}-", dir=spec.folder))
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
            "parameters": dict(spec.parameters),
            "started_utc": None,
            "seconds": round(seconds, 2),
            "html": None,
            "executed": spec.executed_path.name if spec.executed_path.exists() else None,
            "log": f"logs/{spec.log_path.name}",
        }
    }


@dataclass
class _Running:
    spec: RunSpec
    proc: subprocess.Popen[bytes]
    log_tmp: Path
    t0: float


def run_batch(
    specs: Sequence[RunSpec],
    jobs: int,
    on_done: Callable[[int, int, dict[str, Any]], None] | None = None,
    poll_s: float = 0.05,
) -> list[dict[str, Any]]:
    """Run every spec in a worker process, at most ``jobs`` at a time.

    Parameters
    ----------
    specs : sequence of RunSpec
        The runs, started in this order.
    jobs : int
        Maximum concurrent runs (each is one worker and one kernel).
    on_done : callable, optional
        Called as ``on_done(done, total, record)`` as each run finishes (progress display).
    poll_s : float
        Polling interval [s].

    Returns
    -------
    list of dict
        The ``results.json`` record of each run, in the order of ``specs``.

    Raises
    ------
    KeyboardInterrupt
        On Ctrl-C: pending runs are cancelled, running ones stopped, temporary files removed.
    """
    pending = list(specs)
    running: list[_Running] = []
    records: dict[str, dict[str, Any]] = {}
    try:
        while pending or running:
            while pending and len(running) < max(jobs, 1):
                running.append(_start(pending.pop(0)))
            for item in [r for r in running if r.proc.poll() is not None]:
                running.remove(item)
                records[item.spec.run_id] = record = _finish(item)
                if on_done is not None:
                    on_done(len(records), len(specs), record)
            time.sleep(poll_s)
    except BaseException:
        _stop(running)
        raise
    return [records[s.run_id] for s in specs]


def _start(spec: RunSpec) -> _Running:
    spec.log_path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=spec.log_path.parent, prefix=f".{spec.log_path.name}.", suffix=".tmp")
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    with os.fdopen(fd, "wb") as handle:
        proc = subprocess.Popen(
            [sys.executable, "-m", "econ.reports.worker", spec.to_json()],
            stdin=subprocess.DEVNULL,
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # Ctrl-C reaches the batch, which stops workers in order
            env=env,
        )
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


def _stop(running: Sequence[_Running]) -> None:
    """Stop running workers (SIGTERM, then SIGKILL after the grace period) and remove temporaries."""
    for item in running:
        if item.proc.poll() is None:
            item.proc.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + STOP_GRACE_S
    for item in running:
        try:
            item.proc.wait(timeout=max(deadline - time.monotonic(), 0.1))
        except subprocess.TimeoutExpired:
            with suppress(ProcessLookupError):
                os.killpg(item.proc.pid, signal.SIGKILL)
            item.proc.wait()
    for item in running:
        item.log_tmp.unlink(missing_ok=True)
        for scratch in item.spec.folder.glob(f"{SCRATCH_PREFIX}{item.spec.stem}-*"):
            shutil.rmtree(scratch, ignore_errors=True)


def run_notebook(
    notebook: Path,
    out: Path,
    scenario: str = "base",
    parameters: Mapping[str, Any] | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Run one notebook for one scenario in this process (no worker, no parameter checks).

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
    """
    from econ.assumptions import load_scenario

    name = load_scenario(scenario, dict(overrides or {})).name
    spec = RunSpec(str(notebook), scenario, name, str(out), dict(parameters or {}), dict(overrides or {}))
    return run_one(spec)
