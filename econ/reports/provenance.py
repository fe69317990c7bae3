"""What produced a report: scenario, data files, code version, seed and time; ``results.json``.

A report is a pure function of (code version, scenario, data files, seed). :func:`provenance`
records all four and :func:`write_results`, called by the last cell of every notebook,
stores them next to the run's headline numbers (and, for a notebook that judges the claims
of the discussion, its verdicts) in ``results.json``. The runner reads that file back for
the page footer and the index.
"""

from __future__ import annotations

import math
import platform
import subprocess
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from functools import lru_cache
from numbers import Integral, Real
from pathlib import Path
from typing import Any

import econ
from econ.assumptions import Scenario, data_file_hashes, load_scenario
from econ.reports.files import atomic_write_json

RESULTS_NAME = "results.json"
RESULTS_SCHEMA = 1
#: The verdicts a claim can get in ``results.json``, in the order of the index's legend.
VERDICTS = ("supported", "not supported", "depends", "not evaluated")
#: The keys of one claim in ``results.json``; all text.
CLAIM_KEYS = ("id", "verdict", "value", "flip", "anchor", "claim")
REPO_ROOT = Path(econ.__file__).resolve().parent.parent


@lru_cache(maxsize=1)
def source_revision() -> tuple[str, bool | None]:
    """The git commit of the source tree and whether tracked files differ from it.

    Returns
    -------
    revision : str
        ``git rev-parse HEAD`` when the package runs from a git checkout, else
        ``"v" + econ.__version__``.
    dirty : bool or None
        True if tracked files have uncommitted changes; None outside a checkout.
    """
    if not (REPO_ROOT / ".git").exists():
        return f"v{econ.__version__}", None
    try:
        head = _git("rev-parse", "HEAD")
        dirty = bool(_git("status", "--porcelain", "--untracked-files=no"))
    except (OSError, subprocess.SubprocessError):
        return f"v{econ.__version__}", None
    return head, dirty


def _git(*args: str) -> str:
    done = subprocess.run(["git", "-C", str(REPO_ROOT), *args], capture_output=True, text=True, timeout=10, check=True)
    return done.stdout.strip()


def _relative(path: str) -> str:
    """``path`` relative to the repository root when it lies inside it."""
    try:
        return str(Path(path).resolve().relative_to(REPO_ROOT))
    except ValueError:
        return path


def as_scenario(scenario: Scenario | str | Path, overrides: Mapping[str, Any] | None = None) -> Scenario:
    """``scenario`` itself, or the scenario of that name or file loaded with ``overrides``."""
    if isinstance(scenario, Scenario):
        return scenario.with_overrides(overrides) if overrides else scenario
    return load_scenario(scenario, overrides or {})


def provenance(scenario: Scenario | str | Path, seed: int | None = None) -> dict[str, Any]:
    """Everything needed to say which inputs produced a run and to reproduce it.

    Parameters
    ----------
    scenario : Scenario or str or Path
        The resolved scenario (overrides included), or a scenario name or file.
    seed : int, optional
        Seed of the random draws, None for a deterministic run.

    Returns
    -------
    dict
        ``scenario`` (name, hash, overrides, files), ``data_files`` (file name to SHA-256 of
        every file in ``data/``), ``econ_version``, ``revision`` (git commit, else the
        version), ``dirty`` (uncommitted tracked changes; None outside a checkout),
        ``python``, ``seed`` and ``time_utc`` (ISO 8601, seconds).

    Examples
    --------
    >>> p = provenance("base", seed=1)
    >>> p["scenario"]["name"], p["seed"], len(p["scenario"]["hash"])
    ('base', 1, 16)
    """
    sc = as_scenario(scenario)
    revision, dirty = source_revision()
    return {
        "scenario": {
            "name": sc.name,
            "hash": sc.hash,
            "overrides": dict(sc.overrides),
            "files": [_relative(f) for f in sc.files],
        },
        "data_files": data_file_hashes(),
        "econ_version": econ.__version__,
        "revision": revision,
        "dirty": dirty,
        "python": platform.python_version(),
        "seed": seed,
        "time_utc": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def _headline_value(key: str, value: Any) -> float | int | bool | str | None:
    if isinstance(value, bool | str) or value is None:
        return value
    if isinstance(value, Integral):
        return int(value)
    if isinstance(value, Real):
        number = float(value)
        return number if math.isfinite(number) else None
    msg = f"headline[{key!r}] must be a number, bool, string or None, got {type(value).__name__} {value!r}"
    raise TypeError(msg)


def _claim(index: int, item: Any) -> dict[str, str]:
    """One claim of :func:`write_results`, checked: the keys of :data:`CLAIM_KEYS`, text values, a known verdict."""
    if not isinstance(item, Mapping):
        msg = f"claims[{index}] must be a mapping with keys {list(CLAIM_KEYS)}, got {type(item).__name__} {item!r}"
        raise TypeError(msg)
    name = f"claims[{index}] ({item['id']!r})" if "id" in item else f"claims[{index}]"
    missing = [k for k in CLAIM_KEYS if k not in item]
    unknown = sorted(str(k) for k in item if k not in CLAIM_KEYS)
    if missing or unknown:
        msg = f"{name}: missing keys {missing}, unknown keys {unknown}; a claim has exactly the keys {list(CLAIM_KEYS)}"
        raise ValueError(msg)
    for key in CLAIM_KEYS:
        if not isinstance(item[key], str):
            msg = f"{name}: {key!r} must be text, got {type(item[key]).__name__} {item[key]!r}"
            raise TypeError(msg)
    if item["verdict"] not in VERDICTS:
        msg = f"{name}: verdict {item['verdict']!r} is not one of {list(VERDICTS)}"
        raise ValueError(msg)
    return {k: item[k] for k in CLAIM_KEYS}


def _claims(claims: Sequence[Mapping[str, Any]]) -> list[dict[str, str]]:
    checked = [_claim(i, item) for i, item in enumerate(claims)]
    ids = [c["id"] for c in checked]
    repeated = sorted({i for i in ids if ids.count(i) > 1})
    if repeated:
        msg = f"claims: ids {repeated} appear more than once; each claim has one verdict"
        raise ValueError(msg)
    return checked


def write_results(
    output_dir: str | Path,
    scenario: Scenario | str | Path,
    headline: Mapping[str, Any],
    seed: int | None = None,
    summary: str | None = None,
    claims: Sequence[Mapping[str, Any]] | None = None,
) -> Path:
    """Write a run's headline numbers and provenance to ``<output_dir>/results.json`` atomically.

    Parameters
    ----------
    output_dir : str or Path
        Folder for ``results.json`` (the notebook's ``output_dir`` parameter).
    scenario : Scenario or str or Path
        The resolved scenario the run used (overrides included).
    headline : mapping of str to number
        The run's headline numbers, units in the key names (``npv_usd``, ``irr_annual``,
        ``payback_months``). NaN and infinities are stored as null.
    seed : int, optional
        Seed of the random draws.
    summary : str, optional
        One or two sentences stating the answer, shown at the top of the report.
    claims : sequence of mapping, optional
        The verdicts of a notebook that judges the claims of the discussion, one mapping of
        text per claim: ``id`` (``"C05"``), ``verdict`` (one of :data:`VERDICTS`), ``value``
        (the key number, formatted; may be ``""``), ``flip`` (what would change the
        verdict), ``anchor`` (the ``id`` of the claim's section in the report page) and
        ``claim`` (its text). Stored as a list under ``"claims"``; the index shows them as a
        matrix of verdicts. Omitted from the file when None.

    Returns
    -------
    Path
        The file written.

    Raises
    ------
    TypeError
        If a headline value is not a number, bool, string or None, a claim not a mapping or
        one of its values not text.
    ValueError
        If a claim lacks one of :data:`CLAIM_KEYS` or has another key, its verdict is not
        one of :data:`VERDICTS`, or two claims have the same id.

    Examples
    --------
    >>> import json, tempfile
    >>> path = write_results(tempfile.mkdtemp(), "base", {"npv_cost_usd": 1.97e11, "irr_annual": float("nan")}, seed=7)
    >>> record = json.loads(path.read_text())
    >>> record["headline"]
    {'npv_cost_usd': 197000000000.0, 'irr_annual': None}

    With the verdicts on claims:

    >>> claim = {"id": "C05", "verdict": "depends", "value": "$1.5 B", "flip": "permit loss above 12 %", "anchor": "C05", "claim": "..."}
    >>> path = write_results(tempfile.mkdtemp(), "base", {}, claims=[claim])
    >>> json.loads(path.read_text())["claims"][0]["verdict"]
    'depends'
    >>> write_results(tempfile.mkdtemp(), "base", {}, claims=[{**claim, "verdict": "true"}])
    Traceback (most recent call last):
    ...
    ValueError: claims[0] ('C05'): verdict 'true' is not one of ['supported', 'not supported', 'depends', 'not evaluated']
    """
    data: dict[str, Any] = {
        "schema": RESULTS_SCHEMA,
        "summary": summary,
        "headline": {str(k): _headline_value(str(k), v) for k, v in headline.items()},
    }
    if claims is not None:
        data["claims"] = _claims(claims)
    data["provenance"] = provenance(scenario, seed)
    return atomic_write_json(Path(output_dir) / RESULTS_NAME, data)
