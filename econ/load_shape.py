"""How the hourly shape of demand sets provisioned capacity and owned utilization (``demand.load_shape``).

The build-versus-rent model (:mod:`econ.strategies`) works in months. Within a month,
demand is not flat: it follows the day and the week in each region's local time, and part
of it (batch work) can wait. Two rules turn a month's mean busy work ``D`` [reference GPUs]
into capacity:

``flat``
    Every provisioned GPU-hour, owned or rented, is busy a share ``u`` of the time
    (``demand.provisioned_utilization``): ``P = D / u`` is provisioned, and owned capacity
    ``K`` serving part of it does ``u K`` of busy work.
``hourly``
    A representative year of hourly load is built from the scenario's workload mix
    (:func:`representative_year`): interactive, realtime and batch work, each on its weekly
    shape (``data/demand_shapes.csv``) in the local time of every demand bloc, with hourly
    noise; the batch work is then moved into the troughs under the firm peak within its
    deadline (:func:`econ.utilization.fill_valleys`). With ``s`` the year's load over its mean
    (mean 1) and ``pi = max s`` its peak ratio, capacity for every hour is provisioned,
    ``P = pi D``; owned capacity ``K`` serves the bottom of the load-duration curve (it
    is filled first), ``D E[min(s, K / D)]`` busy reference GPUs, and rented capacity the
    rest. Rented capacity is paid whole, busy or not, as under ``flat``: at scale no
    capacity is sold by the hour (``cloud.short_term_premium``).

Stacking owned capacity under the load this way is the screening-curve reading of the
load-duration curve (Stoft, *Power System Economics*, 2002, ch. 1.6; PyPSA's screening-curve
example): the layer at height ``x`` is used in the share of hours the load exceeds it, so
the expected work of the bottom ``k`` is ``E[min(s, k)] = integral_0^k P(s > x) dx``.

The year does not vary with the month (the shape has no season; growth is the monthly
model's) and is the same for draws with the same workload parameters; draws that differ in
them (a Monte Carlo or a sensitivity on ``demand.batch_share``) get a year each, built in
one vectorized pass.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from econ.assumptions import Scenario
from econ.demand import bloc_offsets, demand_profile, hourly_demand
from econ.utilization import fill_valleys

if TYPE_CHECKING:
    from econ.inputs import Inputs

__all__ = ["LoadCurves", "fleet_utilization", "owned_work", "representative_year"]

CLASSES = ("interactive", "realtime", "batch")
"""Workload classes of the representative year, in column order."""

HOURS_PER_YEAR = 8760
"""Length of the representative year [hours] (365 days)."""

_PARAMETERS = ("demand.batch_share", "demand.realtime_share", "demand.batch_deadline_hours", "demand.hourly_noise_cv")
"""Scenario keys that differ between the years of one run (per draw)."""

_CHUNK = 256
"""Years built at once: bounds memory to a few (chunk x hours) arrays."""


@dataclass(frozen=True)
class YearSpec:
    """What every representative year of a run shares.

    Attributes
    ----------
    start : str
        First hour, UTC (the decision month's first day).
    shapes : tuple of str
        Shape ids of ``data/demand_shapes.csv`` for :data:`CLASSES`.
    offsets : tuple of (float, float)
        UTC offset [hours] and share of demand [1] of each place demand is used.
    seed : int
        Seed of the hourly noise.
    """

    start: str
    shapes: tuple[str, str, str]
    offsets: tuple[tuple[float, float], ...]
    seed: int


def year_spec(start_month: str, shapes: tuple[str, str, str], bloc_shares: Mapping[str, float], seed: int) -> YearSpec:
    """The :class:`YearSpec` of a scenario's values (``horizon.start_month`` as ``"YYYY-MM"``)."""
    offsets = tuple(bloc_offsets(bloc_shares).items())
    return YearSpec(f"{start_month}-01", shapes, offsets, int(seed))


def _noise(cv: np.ndarray, z: np.ndarray) -> np.ndarray:
    """Lognormal factors with mean 1 and coefficient of variation ``cv`` from standard normals ``z``.

    ``exp(sigma z - sigma**2 / 2)`` with ``sigma**2 = ln(1 + cv**2)`` (Law, *Simulation
    Modeling and Analysis*, 5th ed., 2015, ch. 6). ``cv`` (G, 1), ``z`` (H,) -> (G, H).
    """
    sigma = np.sqrt(np.log1p(cv**2))
    factor: np.ndarray = np.exp(sigma * z[None, :] - sigma**2 / 2.0)
    return factor


@lru_cache(maxsize=8)
def _levels(spec: YearSpec, hours: int) -> tuple[np.ndarray, np.ndarray]:
    """Each class's load on its shape (mean about 1, no noise) and the standard normals of its noise, (3, hours) each."""
    offsets = dict(spec.offsets)
    pairs = zip(CLASSES, spec.shapes, strict=True)
    levels = np.stack([hourly_demand(spec.start, hours, {c: (1.0, demand_profile(p))}, offsets, 1.0)[c].to_numpy() for c, p in pairs])
    z = np.random.default_rng(spec.seed).standard_normal((len(CLASSES), hours))
    return levels, z


def year_loads(spec: YearSpec, parameters: np.ndarray) -> dict[str, np.ndarray]:
    """Hourly load of representative years, one per row of ``parameters``, with the batch work moved.

    Parameters
    ----------
    spec : YearSpec
        What the years share.
    parameters : numpy.ndarray
        Per year: batch share [1], realtime share [1], batch deadline [hours], hourly noise
        CV [1]; shape (G, 4).

    Returns
    -------
    dict of str to numpy.ndarray
        ``interactive``, ``realtime``, ``batch`` (as it arrives) and ``load`` (firm load plus
        the batch work as served, moved into the troughs under the year's firm peak within
        its deadline, or under the least capacity that can take it, :func:`_moved`), each
        [share of the mean work], shape (G, 8760). The series runs
        ``deadline`` hours past the year so that work arriving at its end is served.
    """
    params = np.atleast_2d(np.asarray(parameters, dtype=float))
    deadlines = params[:, 2].astype(int)
    hours = HOURS_PER_YEAR + int(deadlines.max())
    levels, z = _levels(spec, hours)
    batch_share, realtime_share, cv = params[:, :1], params[:, 1:2], params[:, 3:4]
    shares = {"interactive": 1.0 - batch_share - realtime_share, "realtime": realtime_share, "batch": batch_share}
    parts = {c: shares[c] * levels[i][None, :] * _noise(cv, z[i]) for i, c in enumerate(CLASSES)}
    firm = parts["interactive"] + parts["realtime"]
    load = np.empty_like(firm)
    for d in np.unique(deadlines):  # fill_valleys takes one deadline
        rows = deadlines == d
        load[rows] = _moved(firm[rows], parts["batch"][rows], int(d))
    keep = slice(0, HOURS_PER_YEAR)
    return {c: parts[c][:, keep] for c in CLASSES} | {"load": load[:, keep]}


def _moved(firm: np.ndarray, batch: np.ndarray, deadline: int) -> np.ndarray:
    """Firm load plus batch work moved into the least capacity that serves it within its deadline, (G, H).

    The capacity is the firm peak when the batch work fits under it; otherwise the least
    capacity at which none of it is forced above (found by bisection to 1e-6 of the mean:
    earliest-deadline-first meets every deadline whenever any schedule can, Jackson, 1955,
    so feasibility is monotone in the capacity).
    """
    year = slice(0, HOURS_PER_YEAR)
    low = firm[:, year].max(axis=1)
    filled = fill_valleys(firm, batch, low, deadline)
    short = filled["above_capacity"][:, year].sum(axis=1) > 0
    if not short.any():
        return filled["load"]
    f, b = firm[short], batch[short]
    lo, hi = low[short], filled["load"][short, year].max(axis=1)
    while np.any(hi - lo > 1e-6 * (f + b).mean(axis=1)):
        mid = (lo + hi) / 2.0
        fits = fill_valleys(f, b, mid, deadline)["above_capacity"][:, year].sum(axis=1) == 0
        hi, lo = np.where(fits, mid, hi), np.where(fits, lo, mid)
    load = filled["load"]
    load[short] = fill_valleys(f, b, hi, deadline)["load"]
    return load


@lru_cache(maxsize=32)
def _curves(spec: YearSpec, parameters: tuple[tuple[float, ...], ...]) -> np.ndarray:
    """Load over its mean, sorted ascending, of each year (G, 8760); cached by the parameters."""
    params = np.array(parameters, dtype=float)
    out = np.empty((params.shape[0], HOURS_PER_YEAR))
    for first in range(0, params.shape[0], _CHUNK):
        load = year_loads(spec, params[first : first + _CHUNK])["load"]
        out[first : first + _CHUNK] = np.sort(load / load.mean(axis=1, keepdims=True), axis=1)
    out.flags.writeable = False
    return out


@dataclass(frozen=True)
class LoadCurves:
    """Load-duration curves of representative years, normalized to a mean of 1, and which draw uses which.

    Attributes
    ----------
    ascending : numpy.ndarray
        Each year's hourly load over its mean, sorted ascending [1], shape (G, H).
    group : numpy.ndarray
        Index of each draw's year, shape (n,).

    Examples
    --------
    Two years: flat, and half the hours at 0.5 and half at 1.5.

    >>> curves = LoadCurves(np.array([[1.0, 1.0], [0.5, 1.5]]), np.array([0, 1, 1]))
    >>> curves.peak_ratio.tolist()
    [1.0, 1.5, 1.5]
    >>> curves.served_below(np.array([[0.5], [0.5], [1.0]])).tolist()
    [[0.5], [0.5], [0.75]]
    >>> curves.served_above(np.array([[0.5], [0.5], [1.5]])).tolist()
    [[0.5], [0.5], [0.0]]
    """

    ascending: np.ndarray
    group: np.ndarray

    @property
    def peak_ratio(self) -> np.ndarray:
        """Peak hour over the mean [1], per draw, shape (n,): capacity for every hour is ``pi D``."""
        peak: np.ndarray = self.ascending[self.group, -1]
        return peak

    def served_below(self, level: np.ndarray) -> np.ndarray:
        """Mean load served by capacity ``level`` (in units of the mean) filled from the bottom, ``E[min(s, k)]`` [1].

        With the year's hours sorted ascending ``s(1) <= ... <= s(H)`` and ``j`` of them
        below ``k``: ``(s(1) + ... + s(j) + (H - j) k) / H``.

        Parameters
        ----------
        level : numpy.ndarray
            Capacity over the mean load ``k = K / D`` [1], >= 0, shape (n, ...).

        Returns
        -------
        numpy.ndarray
            Same shape as ``level``; at most ``min(k, 1)``.
        """
        hours = self.ascending.shape[1]

        def below_k(s: np.ndarray, k: np.ndarray) -> np.ndarray:
            partial = np.concatenate([[0.0], np.cumsum(s)])
            below = np.searchsorted(s, k, side="left")
            mean: np.ndarray = (partial[below] + (hours - below) * k) / hours
            return mean

        return self._by_year(level, below_k)

    def served_above(self, level: np.ndarray) -> np.ndarray:
        """Mean load above capacity ``level`` (in units of the mean), ``E[max(s - k, 0)] = 1 - E[min(s, k)]`` [1].

        Summed over the hours above ``k`` only, ``(s(j+1) + ... + s(H) - (H - j) k) / H`` with
        ``j`` hours at or below ``k``, so it is 0 at and above the peak.

        Parameters
        ----------
        level : numpy.ndarray
            Capacity over the mean load ``k`` [1], >= 0, shape (n, ...).
        """
        hours = self.ascending.shape[1]

        def above_k(s: np.ndarray, k: np.ndarray) -> np.ndarray:
            tail = np.concatenate([np.cumsum(s[::-1])[::-1], [0.0]])  # tail[j] = s(j+1) + ... + s(H)
            at_or_below = np.searchsorted(s, k, side="right")
            mean: np.ndarray = (tail[at_or_below] - (hours - at_or_below) * k) / hours
            return mean

        return self._by_year(level, above_k)

    def _by_year(self, level: np.ndarray, statistic: Callable[[np.ndarray, np.ndarray], np.ndarray]) -> np.ndarray:
        """``statistic(year, levels)`` for each year's draws, assembled in draw order."""
        k = np.asarray(level, dtype=float)
        out = np.empty_like(k)
        for g in np.unique(self.group):
            rows = self.group == g
            out[rows] = statistic(self.ascending[g], k[rows])
        return out


def load_curves(spec: YearSpec, parameters: np.ndarray) -> LoadCurves:
    """The :class:`LoadCurves` of per-draw workload parameters (n, 4), one year per distinct row (:func:`year_loads`)."""
    params = np.atleast_2d(np.asarray(parameters, dtype=float))
    distinct, group = np.unique(params, axis=0, return_inverse=True)
    ascending = _curves(spec, tuple(map(tuple, distinct.tolist())))
    return LoadCurves(ascending, np.asarray(group).reshape(-1))


def representative_year(scenario: Scenario, mean_load: float = 1.0) -> pd.DataFrame:
    """A scenario's representative year of hourly load by workload class [units of ``mean_load``].

    The year the model uses under ``demand.load_shape = "hourly"`` (:func:`year_loads`) at
    the scenario's values, whatever its ``load_shape``: columns ``interactive``, ``realtime``,
    ``batch`` (as it arrives) and ``load`` (all work, the batch moved into troughs), on an
    hourly UTC DatetimeIndex from the decision month.

    Parameters
    ----------
    scenario : Scenario
        From :func:`econ.load_scenario`.
    mean_load : float
        Mean work over the year [units of capacity], > 0.

    Examples
    --------
    >>> from econ.assumptions import load_scenario
    >>> year = representative_year(load_scenario("base"), 1000.0)
    >>> arrivals = year[["interactive", "realtime", "batch"]].sum(axis=1)
    >>> len(year), round(float(year["load"].mean()), 6), bool(year["load"].max() < arrivals.max())
    (8760, 1000.0, True)
    """
    if not isinstance(scenario, Scenario):
        raise TypeError(f"scenario: expected a Scenario from econ.load_scenario; got {type(scenario).__name__}")
    if not (np.isfinite(mean_load) and mean_load > 0):
        raise ValueError(f"mean_load: must be finite and > 0 [units of capacity]; got {mean_load!r}")
    spec = scenario_year_spec(scenario)
    params = np.array([[float(scenario[k]) for k in _PARAMETERS]])
    loads = year_loads(spec, params)
    scale = mean_load / float(loads["load"].mean())
    index = pd.date_range(pd.Timestamp(spec.start, tz="UTC"), periods=HOURS_PER_YEAR, freq="h")
    return pd.DataFrame({c: v[0] * scale for c, v in loads.items()}, index=index)


def scenario_year_spec(scenario: Scenario) -> YearSpec:
    """The :class:`YearSpec` of a scenario: its decision month, shapes, demand blocs and seed."""
    blocs = scenario.bloc_shares
    shapes = (str(scenario["demand.interactive_shape"]), str(scenario["demand.realtime_shape"]), str(scenario["demand.batch_shape"]))
    return year_spec(str(scenario["horizon.start_month"]), shapes, blocs, int(scenario["demand.load_seed"]))


def workload_parameters(arrays: Mapping[str, np.ndarray]) -> np.ndarray:
    """Per-draw workload parameters of model input arrays, in :func:`year_loads` order, shape (n, 4)."""
    return np.column_stack([np.asarray(arrays[k], dtype=float) for k in _PARAMETERS])


def fleet_utilization(inputs: Inputs) -> np.ndarray:
    """Busy work over provisioned capacity, owned and rented together [1], shape (n,).

    ``demand.provisioned_utilization`` under ``demand.load_shape = "flat"``; one over the
    peak ratio of the representative year under ``"hourly"`` (:mod:`econ.load_shape`).

    Examples
    --------
    >>> from econ.assumptions import load_scenario
    >>> from econ.inputs import inputs_from_scenario
    >>> hourly = inputs_from_scenario(load_scenario("base", {"demand.load_shape": "hourly"}))
    >>> bool(0.5 < fleet_utilization(hourly)[0] < 0.8)
    True
    """
    if inputs.load_shape == "flat":
        return inputs["demand.provisioned_utilization"]
    u: np.ndarray = 1.0 / load_curves(inputs.year, workload_parameters(inputs.arrays)).peak_ratio
    return u


def owned_work(inputs: Inputs, demand: np.ndarray, served: np.ndarray) -> np.ndarray:
    """Busy work done by the owned capacity that serves demand [reference GPUs], shape (n, months).

    Under ``"flat"``, ``u x served``. Under ``"hourly"``, capacity is dispatched in merit
    order, cheapest to run first (Stoft, *Power System Economics*, 2002, ch. 1.7): rented
    capacity, paid whole whether used or not, costs nothing more to run, and owned capacity
    costs its power, so rented capacity ``R = P - served`` serves the bottom of the
    load-duration curve and owned capacity the hours above it,
    ``D E[max(s - R / D, 0)] = D (1 - E[min(s, R / D)])`` (:meth:`LoadCurves.served_above`).

    Parameters
    ----------
    inputs : Inputs
        Model inputs for n draws.
    demand : numpy.ndarray
        Mean busy work ``D`` [reference GPUs], shape (n, months).
    served : numpy.ndarray
        Owned capacity serving it [reference GPUs], at most the provisioned ``P = D / u``, shape (n, months).

    Examples
    --------
    Owning a quarter of the capacity: under the flat rule it does a quarter of the work;
    as the peaker of an hourly year, much less.

    >>> from econ.assumptions import load_scenario
    >>> from econ.inputs import inputs_from_scenario
    >>> demand = np.array([[100.0]])
    >>> for name in ("base", "hourly"):
    ...     inputs = inputs_from_scenario(load_scenario(name))
    ...     served = 0.25 * demand / fleet_utilization(inputs)[:, None]
    ...     print(name, round(float(owned_work(inputs, demand, served)[0, 0]), 1))
    base 25.0
    hourly 3.3
    """
    u = fleet_utilization(inputs)[:, None]
    if inputs.load_shape == "flat":
        busy: np.ndarray = served * u
        return busy
    curves = load_curves(inputs.year, workload_parameters(inputs.arrays))
    level = np.divide(served, demand, out=np.zeros_like(served), where=demand > 0)
    rented = np.maximum(curves.peak_ratio[:, None] - level, 0.0)  # R / D = pi - K / D
    work: np.ndarray = demand * curves.served_above(rented)
    return work
