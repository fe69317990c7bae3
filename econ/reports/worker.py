"""Worker process of a batch: ``python -m econ.reports.worker '<RunSpec as JSON>'``.

Runs one (scenario, notebook) pair with :func:`econ.reports.runner.run_one`; its standard
output and error are the run's log. SIGTERM is turned into ``KeyboardInterrupt`` so that an
interrupted run stops its kernel and removes its scratch folder on the way out.

Exit status: 0 if the run succeeded, 1 if the notebook failed (its outputs are published
as failed), 2 for a usage error, 130 if interrupted.
"""

from __future__ import annotations

import logging
import signal
import sys
from types import FrameType

from econ.reports.runner import RunSpec, run_one


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def main(argv: list[str] | None = None) -> int:
    """Run the spec given as the only argument; see the module docstring for exit codes."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m econ.reports.worker '<RunSpec JSON>'", file=sys.stderr)
        return 2
    signal.signal(signal.SIGTERM, _interrupt)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    spec = RunSpec.from_json(args[0])
    logging.getLogger("econ.reports").info("run %s: %s with scenario %s", spec.run_id, spec.notebook, spec.scenario)
    try:
        record = run_one(spec)
    except KeyboardInterrupt:
        logging.getLogger("econ.reports").warning("interrupted; outputs left as they were")
        return 130
    run = record["run"]
    logging.getLogger("econ.reports").info("%s in %.1f s%s", run["status"], run["seconds"], f": {run['error']}" if run["error"] else "")
    return 0 if run["status"] == "ok" else 1


if __name__ == "__main__":
    raise SystemExit(main())
