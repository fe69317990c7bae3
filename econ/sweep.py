"""Sweeps: the Monte Carlo of many scenarios or override sets at once, as one tidy table.

Every case is simulated exactly as :func:`econ.simulate` would (the same draws for the same
seed, common random numbers across cases), and the chunks of all cases are submitted together,
so a process pool or a Dask cluster is kept busy across case boundaries (:mod:`econ.parallel`).
A chunk sends back only its draws' outputs, not their sampled inputs (a tenth of the bytes).
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from econ.assumptions import Scenario, load_scenario
from econ.parallel import run_tasks
from econ.risk import _chunk, _Run, assemble, check_arguments, prepare

Case = Scenario | str | Mapping[str, Any]

STATISTICS = (
    "draws",
    "npv_cost_mean_usd",
    "npv_cost_p10_usd",
    "npv_cost_p50_usd",
    "npv_cost_p90_usd",
    "npv_cost_difference_mean_usd",
    "npv_cost_difference_std_error_usd",
    "p_cheaper_than_rent",
)
"""Columns of :func:`sweep` after the case, scenario and strategy."""


def _scenario(case: Case, base: Scenario | None) -> Scenario:
    """The case's scenario; ``base`` (loaded once, and a bad base raised up front) is given when any case is a mapping."""
    if isinstance(case, Scenario):
        return case
    if isinstance(case, str):
        return load_scenario(case)
    assert base is not None
    return base.with_overrides(dict(case))


def _label(case: Case, scenario: Scenario | None) -> str:
    if isinstance(case, Mapping):
        return ", ".join(f"{k}={v}" for k, v in case.items()) or (scenario.name if scenario else "(no overrides)")
    if isinstance(case, Scenario):
        return case.name
    return scenario.name if scenario else case


def _rows(label: str, draws: pd.DataFrame, strategies: Sequence[str]) -> list[dict[str, Any]]:
    rows = []
    for s in strategies:
        cost = draws[f"npv_cost_usd_{s}"]
        row: dict[str, Any] = {
            "case": label,
            "scenario": draws.attrs["scenario"],
            "scenario_hash": draws.attrs["scenario_hash"],
            "strategy": s,
            "draws": len(draws),
            "npv_cost_mean_usd": float(cost.mean()),
        }
        row |= {f"npv_cost_p{q}_usd": float(cost.quantile(q / 100)) for q in (10, 50, 90)}
        if s == "rent":
            row |= {"npv_cost_difference_mean_usd": 0.0, "npv_cost_difference_std_error_usd": 0.0, "p_cheaper_than_rent": np.nan}
        else:
            diff = draws[f"npv_cost_difference_{s}_usd"]
            row["npv_cost_difference_mean_usd"] = float(diff.mean())
            row["npv_cost_difference_std_error_usd"] = float(diff.std(ddof=1) / np.sqrt(len(diff))) if len(diff) > 1 else np.nan
            row["p_cheaper_than_rent"] = float((diff < 0).mean())
        rows.append(row)
    return rows


def sweep(
    cases: Sequence[Case] | Mapping[str, Case],
    n_draws: int,
    seed: int,
    *,
    base: str | Scenario = "base",
    sampling: str = "random",
    chunk_size: int = 2000,
    scheduler: Any = None,
    workers: int | None = 1,
    progress: bool | None = None,
    strict: bool = False,
) -> pd.DataFrame:
    """Simulate every case and summarize each strategy of each: one row per case and strategy.

    Parameters
    ----------
    cases : sequence or mapping
        Scenarios (:class:`~econ.assumptions.Scenario` objects, names or YAML paths) or mappings
        of overrides applied to ``base``; a mapping of labels to cases names them.
    n_draws : int
        Draws per case [draws].
    seed : int
        Root seed, the same for every case (common random numbers).
    base : str or Scenario, default "base"
        The scenario that override mappings apply to.
    sampling, chunk_size, scheduler, workers, progress
        As in :func:`econ.simulate`; every case's chunks are submitted together.
    strict : bool, default False
        Raise the first error of any case. By default a case that cannot be simulated (its
        scenario is invalid, or one of its tasks fails) gets one row of NaN statistics with the
        error, the other cases are kept, and a ``RuntimeWarning`` names the failed cases: a
        long sweep loses nothing that succeeded.

    Returns
    -------
    pandas.DataFrame
        Columns ``case`` (the label), ``scenario``, ``scenario_hash``, ``strategy``,
        :data:`STATISTICS` (draws, the mean and 10th/50th/90th percentiles of the NPV cost
        [USD], the mean difference from renting and its standard error [USD], and the share of
        draws cheaper than renting [1], NaN for rent itself) and ``error`` (empty, or the
        exception that stopped the case).

    Raises
    ------
    ValueError
        If ``cases`` is empty or a case is not a scenario, a name or a mapping, if ``n_draws``,
        ``seed``, ``chunk_size`` or ``sampling`` is invalid (as in :func:`econ.simulate`), or if
        ``base`` does not load while a case overrides it. With ``strict``, whatever stopped a case.

    Examples
    --------
    >>> table = sweep([{"cloud.commit_discount_level": 0.2}, {"cloud.commit_discount_level": 0.8}], 50, seed=1)
    >>> table[["case", "strategy"]].values.tolist()[:2]
    [['cloud.commit_discount_level=0.2', 'rent'], ['cloud.commit_discount_level=0.2', 'build']]
    >>> len(table)
    6
    """
    named = dict(cases) if isinstance(cases, Mapping) else None
    items = list(named.values()) if named is not None else list(cases)
    if not items:
        raise ValueError("cases: give at least one scenario, scenario name or mapping of overrides")
    bad = next((c for c in items if not isinstance(c, Scenario | str | Mapping)), None)
    if bad is not None:
        raise ValueError(f"cases: each case must be a Scenario, a scenario name or path, or a mapping of overrides; got {bad!r}")
    check_arguments(n_draws, seed, chunk_size, sampling)  # wrong for every case: raised, not recorded
    start = base if isinstance(base, Scenario) else load_scenario(base) if any(isinstance(c, Mapping) for c in items) else None
    labels = list(named) if named is not None else [None] * len(items)
    options = {"chunk_size": chunk_size, "sampling": sampling, "outputs_only": True}
    prepared = [_prepare(case, label, start, n_draws, seed, options, strict) for label, case in zip(labels, items, strict=True)]
    tasks = [task for _, ready in prepared if not isinstance(ready, Exception) for task in ready[1]]
    errors = "raise" if strict else "return"
    results = iter(run_tasks(_chunk, tasks, scheduler=scheduler, workers=workers, progress=progress, description="sweep", errors=errors))
    rows: list[dict[str, Any]] = []
    failed = []
    for label, ready in prepared:
        if isinstance(ready, Exception):
            failed.append(label)
            rows.append(_failed(label, ready))
            continue
        run, chunks = ready
        frames = [next(results) for _ in chunks]
        error = next((f for f in frames if isinstance(f, Exception)), None)
        if error is not None:
            failed.append(label)
            rows.append(_failed(label, error, run.scenario))
            continue
        strategies = [s if isinstance(s, str) else s.name for s in run.strategies]
        rows += [row | {"error": ""} for row in _rows(label, assemble(run, frames), strategies)]
    if failed:
        warnings.warn(
            f"sweep: {len(failed)} of {len(prepared)} cases failed and have NaN statistics (their error column says why): {failed}",
            RuntimeWarning,
            stacklevel=2,
        )
    table = pd.DataFrame(rows, columns=["case", "scenario", "scenario_hash", "strategy", *STATISTICS, "error"])
    return table.astype({"draws": "Int64"})  # a failed case has no count: missing, not a float NaN


def _prepare(
    case: Case, label: str | None, base: Scenario | None, n_draws: int, seed: int, options: dict[str, Any], strict: bool
) -> tuple[str, tuple[_Run, list[tuple[_Run, int, int]]] | Exception]:
    """A case's label and its simulation's tasks (:func:`econ.risk.prepare`), or the error that stops it (raised if ``strict``)."""
    scenario = None
    try:
        scenario = _scenario(case, base)
        return label or _label(case, scenario), prepare(scenario, n_draws, seed, **options)
    except ValueError as error:  # ScenarioError is one
        if strict:
            raise
        return label or _label(case, scenario), error


def _failed(label: str, error: Exception, scenario: Scenario | None = None) -> dict[str, Any]:
    """The row of a case that could not be simulated: NaN statistics and the error."""
    row: dict[str, Any] = {"case": label, "scenario": None, "scenario_hash": None}
    if scenario is not None:
        row |= {"scenario": scenario.name, "scenario_hash": scenario.hash}
    row |= {"strategy": None} | dict.fromkeys(STATISTICS, np.nan) | {"error": f"{type(error).__name__}: {error}"}
    return row
