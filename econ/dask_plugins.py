"""Dask plugins for the workers of the local cluster econ starts (imported only where Dask is used)."""

from __future__ import annotations

import signal
import threading
from typing import Any

from distributed.diagnostics.plugin import WorkerPlugin


class IgnoreInterrupt(WorkerPlugin):
    """The worker ignores SIGINT, so that Ctrl-C stops econ's client and not the workers it still needs.

    A local cluster's workers are in the terminal's foreground process group, so Ctrl-C sends
    them SIGINT too, and a Dask worker exits on it; a task running there (a report run, whose
    notebook worker is in a session of its own) would be cut off before it could stop its run.
    With SIGINT ignored, the client stops what runs (:func:`econ.reports.runner.run_batch_on`)
    and then closes the cluster. The scheduler gives the plugin to workers the nanny restarts.
    """

    name = "econ-ignore-interrupt"

    def setup(self, worker: Any) -> None:
        """Ignore SIGINT in the worker's process (its event loop runs in the main thread)."""
        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGINT, signal.SIG_IGN)
