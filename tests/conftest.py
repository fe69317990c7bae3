"""Hypothesis settings profiles for the whole test suite, chosen with ``HYPOTHESIS_PROFILE``.

``default`` (``make test``): 100 examples per property, derandomized, so that CI is
deterministic and a failure reproduces exactly. ``ci``: 2,000 examples per property from a
fresh seed, printed at the start and end of the run (``ECON_HYPOTHESIS_SEED=<seed>`` replays
it). Neither profile reads or writes the ``.hypothesis`` example database, so no test
depends on what an earlier run stored. Tests that pass their own ``settings`` keep them.
"""

from __future__ import annotations

import fcntl
import os
import secrets
from pathlib import Path

import pytest
from hypothesis import settings

PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "default")
# Chosen once by the first process to import this file and inherited through the environment
# by pytest-xdist's workers, so every worker draws from the same seed.
SEED = int(os.environ.setdefault("ECON_HYPOTHESIS_SEED", str(secrets.randbelow(2**32))))

settings.register_profile("default", max_examples=100, derandomize=True, database=None, deadline=None, print_blob=True)
settings.register_profile("ci", max_examples=2_000, derandomize=False, database=None, deadline=None, print_blob=True)
if PROFILE not in ("default", "ci"):
    raise pytest.UsageError(f"HYPOTHESIS_PROFILE: must be 'default' or 'ci'; got {PROFILE!r}")
settings.load_profile(PROFILE)


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    """Under ``ci``, seed every Hypothesis test with SEED (hypothesis' own ``--hypothesis-seed``)."""
    if PROFILE == "ci" and config.getoption("hypothesis_seed", default=None) is None:
        config.option.hypothesis_seed = str(SEED)


def profile_line() -> str:
    """One line saying which profile ran, its size and (for ci) the seed to replay it."""
    current = settings.get_profile(PROFILE)
    if current.derandomize:
        how = "derandomized (the same examples every run)"
    else:
        how = f"seed {SEED} (replay: HYPOTHESIS_PROFILE={PROFILE} ECON_HYPOTHESIS_SEED={SEED})"
    return f"hypothesis profile '{PROFILE}': {current.max_examples} examples per property, {how}, no example database"


def pytest_report_header() -> str:
    return profile_line()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    terminalreporter.write_line(profile_line())


@pytest.fixture(scope="session")
def published_reports(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> tuple[Path, int]:
    """``econ report -s base -s rent-only --jobs 2``, run once per test session and shared: its folder and exit status.

    The notebooks test and the browser tests both need every notebook published; running the batch
    once saves about three minutes. Under pytest-xdist the workers share the session's temporary
    folder, and the first to get here runs the batch while the others wait on a lock (the
    pattern of pytest-xdist's documentation, "Making session-scoped fixtures execute only once").
    """
    from econ import cli

    root = tmp_path_factory.getbasetemp() if worker_id == "master" else tmp_path_factory.getbasetemp().parent
    out, status = root / "published" / "reports", root / "published" / "status"
    status.parent.mkdir(exist_ok=True)
    with (root / "published.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if not status.exists():
            status.write_text(str(cli.main(["report", "-s", "base", "-s", "rent-only", "--jobs", "2", "--out", str(out)])))
    return out, int(status.read_text())
