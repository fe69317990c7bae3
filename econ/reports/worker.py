"""Worker process of a batch: ``python -m econ.reports.worker '<RunSpec as JSON>'``.

Runs one (scenario, notebook) pair with :func:`econ.reports.runner.run_one`; its standard
output and error are the run's log. The run id goes into the environment variable
:data:`~econ.reports.runner.RUN_ENV`, which the kernel inherits.

SIGTERM (sent by the batch to stop) and SIGINT first kill the run's kernel and whatever the
notebook started (found by that variable), then raise ``KeyboardInterrupt``: papermill
unwinds at once instead of waiting for a graceful kernel shutdown, the scratch folder is
removed and earlier outputs stay as they were. While the finished run's files are moved
into place the signal is deferred to the last rename (see
:func:`econ.reports.runner.signals_deferred`).

Exit status: 0 if the run succeeded, 1 if the notebook failed (its outputs are published
as failed), 2 for a usage error, 130 if interrupted.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
from types import FrameType

from econ.reports.runner import RUN_ENV, STOP_SIGNALS, RunSpec, deferrable, kill_run_processes, run_one

log = logging.getLogger("econ.reports")


def _interrupt(signum: int, frame: FrameType | None) -> None:
    """Kill this run's other processes (its kernel), then raise ``KeyboardInterrupt``."""
    kill_run_processes([os.environ[RUN_ENV]], exclude=[os.getpid()])
    raise KeyboardInterrupt(f"signal {signum}")


def main(argv: list[str] | None = None) -> int:
    """Run the spec given as the only argument; see the module docstring for exit codes."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m econ.reports.worker '<RunSpec JSON>'", file=sys.stderr)
        return 2
    spec = RunSpec.from_json(args[0])
    os.environ[RUN_ENV] = spec.run_id  # before the handlers, which read it
    for signum in STOP_SIGNALS:
        signal.signal(signum, deferrable(_interrupt))
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    log.info("run %s: %s with scenario %s", spec.run_id, spec.notebook, spec.scenario)
    try:
        record = run_one(spec)
    except KeyboardInterrupt:
        kill_run_processes([spec.run_id], exclude=[os.getpid()])  # one started after the signal, if any
        log.warning("interrupted; outputs left as they were")
        return 130
    run = record["run"]
    log.info("%s in %.1f s%s", run["status"], run["seconds"], f": {run['error']}" if run["error"] else "")
    return 0 if run["status"] == "ok" else 1


if __name__ == "__main__":
    raise SystemExit(main())
