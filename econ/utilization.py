"""Base-load utilization: load-duration curves, screening curves and the owned / committed / on-demand split.

Capacity is sized the way power-system planners size base-load, mid-merit and peaking
plants (Stoft, *Power System Economics*, 2002, ch. 1.6-1.7; PyPSA's screening-curve
example). Each tier costs ``fixed + variable x CF`` per unit of capacity and hour, where the
capacity factor CF is the share of hours the unit is used. Stacking the hourly load from
the bottom, the layer of capacity at height x is used in the share ``CF(x)`` of hours in
which the load exceeds x (the load-duration curve read sideways), and each layer goes to
the tier that is cheapest at its capacity factor: the tier with the highest fixed cost and
the lowest variable cost serves the base, the one with no fixed cost the peak.

Loads are in units of capacity (GPUs, reference GPUs or MW: the caller's unit), one value
per hour, on the last axis of an array (leading axes are draws or scenarios) or as a pandas
Series with a regular, hourly DatetimeIndex. Costs are in USD per unit of capacity and hour.
"""

from __future__ import annotations

import itertools
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from econ.checks import MAX_LISTED, finite_array

__all__ = [
    "Tier",
    "exceeded_share_level",
    "fill_valleys",
    "hourly",
    "load_duration_curve",
    "load_statistics",
    "optimal_owned_capacity",
    "owned_share_grid",
    "screening_envelope",
    "size_tiers",
    "size_with_deferral",
]


def hourly(load: Any, name: str = "load") -> np.ndarray:
    """A load as a float array with hours on the last axis, checked [units of capacity].

    Parameters
    ----------
    load : array_like or pandas.Series
        Hourly load, >= 0 and finite. A Series must have a DatetimeIndex that is unique,
        increasing and exactly one hour apart (a missing or repeated hour would weigh some
        hours twice or not at all in every statistic).
    name : str
        Parameter name for error messages.

    Returns
    -------
    numpy.ndarray
        Shape ``(..., H)`` with H >= 1 hours.

    Raises
    ------
    ValueError
        Naming the parameter, for a negative, NaN or infinite value, an empty series or a
        DatetimeIndex that is irregular, duplicated or not hourly.

    Examples
    --------
    >>> hourly(pd.Series([1.0, 2.0], index=pd.date_range("2027-01-01", periods=2, freq="h"))).tolist()
    [1.0, 2.0]
    >>> hourly(pd.Series([1.0, 2.0], index=pd.DatetimeIndex(["2027-01-01 00:00", "2027-01-01 02:00"])))
    Traceback (most recent call last):
    ...
    ValueError: load: the DatetimeIndex must be hourly, unique and increasing; step 1 is 0 days 02:00:00 (at 2027-01-01 02:00:00)
    """
    if isinstance(load, pd.DataFrame):
        columns = list(load.columns)[:MAX_LISTED]
        raise ValueError(f"{name}: one series of hourly load is expected; got a DataFrame with columns {columns} (sum them, or size each)")
    if isinstance(load, pd.Series):
        index = load.index
        if not isinstance(index, pd.DatetimeIndex):
            raise ValueError(f"{name}: a Series needs a DatetimeIndex (one value per hour); got a {type(index).__name__}")
        steps = index[1:] - index[:-1]  # resolution-independent (ns, us or s indexes)
        bad = np.flatnonzero(np.asarray(steps != pd.Timedelta(hours=1)))
        if bad.size:
            i = int(bad[0])
            raise ValueError(
                f"{name}: the DatetimeIndex must be hourly, unique and increasing; step {i + 1} is {steps[i]} (at {index[i + 1]})"
            )
        values = load.to_numpy(dtype=float)
    else:
        values = np.asarray(load, dtype=float)
    values = np.atleast_1d(values)
    if values.shape[-1] == 0:
        raise ValueError(f"{name}: at least one hour of load is needed; got an empty series")
    bad = ~np.isfinite(values) | (values < 0)
    if bad.any():
        shown = values[bad][:MAX_LISTED].tolist()
        raise ValueError(f"{name}: hourly load [units of capacity] must be finite and >= 0; got {shown}")
    return values


def load_duration_curve(load: Any) -> np.ndarray:
    """The load sorted from the highest hour to the lowest [units of capacity], shape like ``load``.

    Entry ``k`` (0-based) is the load exceeded or equalled in ``k + 1`` hours.

    Examples
    --------
    >>> load_duration_curve([3.0, 1.0, 2.0]).tolist()
    [3.0, 2.0, 1.0]
    """
    curve: np.ndarray = -np.sort(-hourly(load), axis=-1)
    return curve


def load_statistics(load: Any) -> pd.Series:
    """Peak, mean, load factor and percentiles of one hourly load.

    Returns
    -------
    pandas.Series
        ``hours``, ``peak``, ``mean``, ``min`` [units of capacity], ``load_factor`` (mean over
        peak [1], NaN for a load that is zero throughout), and the load exceeded in 1 %,
        10 %, 50 % and 90 % of hours (``p99``, ``p90``, ``p50``, ``p10``).

    Examples
    --------
    >>> load_statistics([1.0, 2.0, 3.0, 2.0])[["peak", "mean", "load_factor"]].tolist()
    [3.0, 2.0, 0.6666666666666666]
    """
    values = hourly(load)
    if values.ndim != 1:
        raise ValueError(f"load: one series is expected; got shape {values.shape}")
    peak, mean = float(values.max()), float(values.mean())
    stats = {
        "hours": float(values.size),
        "peak": peak,
        "mean": mean,
        "min": float(values.min()),
        "load_factor": mean / peak if peak > 0 else float("nan"),
    }
    for label, q in (("p99", 0.99), ("p90", 0.90), ("p50", 0.50), ("p10", 0.10)):
        stats[label] = float(np.quantile(values, q))
    return pd.Series(stats)


def _sorted_rows(values: np.ndarray) -> np.ndarray:
    """Each row sorted ascending; large arrays in one chunk of rows per core (NumPy's sort releases the GIL)."""
    if values.ndim < 2 or values.size < 1_000_000:
        return np.sort(values, axis=-1)
    rows = values.reshape(-1, values.shape[-1])
    out = np.empty_like(rows)
    chunks = np.array_split(np.arange(rows.shape[0]), os.cpu_count() or 1)

    def sort(chunk: np.ndarray) -> None:
        if chunk.size:
            out[chunk[0] : chunk[-1] + 1] = np.sort(rows[chunk[0] : chunk[-1] + 1], axis=-1)

    with ThreadPoolExecutor(max_workers=len(chunks)) as pool:
        list(pool.map(sort, chunks))
    return out.reshape(values.shape)


def exceeded_share_level(load: Any, share: Any) -> np.ndarray:
    """The smallest level exceeded in at most ``share`` of the hours [units of capacity].

    With the hours sorted from the highest load down, ``L(1) >= ... >= L(n)``, it is
    ``L(m)`` with ``m = floor(n x share) + 1``, and 0 when ``m > n`` (no level is exceeded
    in more than every hour). It is where a layer of capacity stops being used in more than
    ``share`` of the hours: the capacity boundary of a screening curve.

    Parameters
    ----------
    load : array_like
        Hourly load, shape ``(..., H)``.
    share : array_like
        Share of hours [1], >= 0, broadcastable to the leading shape of ``load``.

    Returns
    -------
    numpy.ndarray
        Level per leading index.

    Examples
    --------
    >>> float(exceeded_share_level([5.0, 4.0, 3.0, 2.0], 0.25)), float(exceeded_share_level([5.0, 4.0, 3.0, 2.0], 1.0))
    (4.0, 0.0)
    """
    ascending = _sorted_rows(hourly(load))  # one sort, no negated copies: L(m) is ascending[n - m]
    n = ascending.shape[-1]
    s = np.asarray(share, dtype=float)
    if np.any(~np.isfinite(s) | (s < 0)):
        raise ValueError(f"share: must be finite and >= 0 [1]; got {np.atleast_1d(s)[:MAX_LISTED].tolist()}")
    m = np.floor(n * s + 1e-12).astype(np.int64) + 1  # 1-based rank from the top; the tolerance keeps n x share = k exact
    lead = ascending.shape[:-1]
    m = np.broadcast_to(m, lead) if lead else m
    idx = n - np.minimum(m, n)
    level = np.take_along_axis(ascending, np.asarray(idx)[..., None], axis=-1)[..., 0]
    out: np.ndarray = np.where(m > n, 0.0, level)
    return out


def optimal_owned_capacity(load: Any, owned_fixed_usd_per_hour: Any, owned_variable_usd_per_hour: Any, rent_usd_per_hour: Any) -> Any:
    """The owned capacity that minimizes the cost of serving an hourly load, renting the rest.

    Total cost of owning K units over n hours, renting what is above K only when used::

        C(K) = F n K + v sum_h min(L_h, K) + r sum_h max(L_h - K, 0)

    C is convex and piecewise linear; its slope above K is ``F n - (r - v) #{h: L_h > K}``,
    so the optimum is the smallest K exceeded in at most ``F / (r - v)`` of the hours
    (:func:`exceeded_share_level`): the screening-curve crossing of an owned tier (fixed F,
    variable v) with a rented one (variable r), at capacity factor ``F / (r - v)``
    (Stoft, *Power System Economics*, 2002, ch. 1.7). Owning nothing is optimal when
    ``r <= v + F``: a unit busy every hour would not pay for itself.

    Parameters
    ----------
    load : array_like or pandas.Series
        Hourly load [units of capacity], hours on the last axis (:func:`hourly`).
    owned_fixed_usd_per_hour : array_like
        Owned fixed cost per unit of capacity and hour, busy or not (annualized capex and
        fixed opex over 8,760 hours) [USD], >= 0.
    owned_variable_usd_per_hour : array_like
        Owned cost per unit and hour used (power, wear) [USD], >= 0.
    rent_usd_per_hour : array_like
        Price of rented capacity per unit and hour used [USD], > 0.

    Returns
    -------
    float or numpy.ndarray
        The owned capacity [units of capacity]: a float for one series and scalar costs, an
        array over the leading axes (and the costs' broadcast shape) otherwise.

    Examples
    --------
    A load of 10 units for 6 hours of the day and 4 for the rest; owning costs $1 an hour
    fixed and $0.50 when used, renting $3 when used. Owning pays for a layer used in more
    than 1 / 2.5 = 40 % of hours: the 4-unit base (used 100 %) but not the 6 units above it
    (used 25 %).

    >>> optimal_owned_capacity([10.0] * 6 + [4.0] * 18, 1.0, 0.5, 3.0)
    4.0
    """
    values = hourly(load)
    fixed = finite_array(owned_fixed_usd_per_hour, "owned_fixed_usd_per_hour", "USD per unit-hour")
    variable = finite_array(owned_variable_usd_per_hour, "owned_variable_usd_per_hour", "USD per unit-hour used")
    rent = finite_array(rent_usd_per_hour, "rent_usd_per_hour", "USD per unit-hour used", positive=True)
    margin = rent - variable
    share = np.divide(fixed, margin, out=np.full(np.broadcast(fixed, margin).shape, np.inf), where=margin > 0)
    lead = np.broadcast_shapes(values.shape[:-1], share.shape)
    level = exceeded_share_level(np.broadcast_to(values, (*lead, values.shape[-1])), np.broadcast_to(np.minimum(share, 2.0), lead))
    if level.ndim == 0 and np.ndim(load) <= 1 and all(np.ndim(c) == 0 for c in (fixed, variable, rent)):
        return float(level)
    return level


@dataclass(frozen=True)
class Tier:
    """One way of providing capacity: a cost line over the capacity factor.

    Attributes
    ----------
    name : str
        Label (``"owned"``, ``"committed"``, ``"on_demand"``).
    fixed_usd_per_hour : float
        Cost per unit of capacity and hour, used or not [USD] (annualized capex and fixed
        opex; a commitment's price per committed hour).
    variable_usd_per_hour : float
        Cost per unit and hour used [USD] (power; an on-demand price).

    Examples
    --------
    >>> Tier("owned", 1.0, 0.5).cost([0.0, 1.0]).tolist()
    [1.0, 1.5]
    """

    name: str
    fixed_usd_per_hour: float
    variable_usd_per_hour: float

    def __post_init__(self) -> None:
        finite_array(self.fixed_usd_per_hour, f"tiers[{self.name!r}].fixed_usd_per_hour", "USD per unit-hour")
        finite_array(self.variable_usd_per_hour, f"tiers[{self.name!r}].variable_usd_per_hour", "USD per unit-hour used")

    def cost(self, capacity_factor: Any) -> np.ndarray:
        """Cost per unit of capacity and hour at a capacity factor, ``fixed + variable x CF`` [USD]."""
        out: np.ndarray = self.fixed_usd_per_hour + self.variable_usd_per_hour * np.asarray(capacity_factor, dtype=float)
        return out


def screening_envelope(tiers: list[Tier]) -> pd.DataFrame:
    """Which tier is cheapest over which range of capacity factors: the screening curve's lower envelope.

    Returns
    -------
    pandas.DataFrame
        One row per tier that is cheapest somewhere in [0, 1], from the peak (lowest capacity
        factors) to the base: ``tier``, ``cf_from``, ``cf_to`` [1]. A tier that is never
        cheapest is absent. At a tie the tier listed first in ``tiers`` wins.

    Examples
    --------
    >>> tiers = [Tier("owned", 1.0, 0.5), Tier("committed", 1.6, 0.0), Tier("on_demand", 0.0, 3.0)]
    >>> screening_envelope(tiers).round(4).to_dict("records")
    [{'tier': 'on_demand', 'cf_from': 0.0, 'cf_to': 0.4}, {'tier': 'owned', 'cf_from': 0.4, 'cf_to': 1.0}]
    """
    if not tiers:
        raise ValueError("tiers: at least one tier is needed")
    names = [t.name for t in tiers]
    if len(set(names)) != len(names):
        raise ValueError(f"tiers: names must be unique; got {names}")
    # Breakpoints: every crossing of two cost lines inside (0, 1), plus the ends.
    points = {0.0, 1.0}
    for i, a in enumerate(tiers):
        for b in tiers[i + 1 :]:
            dv = a.variable_usd_per_hour - b.variable_usd_per_hour
            if dv != 0:
                cf = (b.fixed_usd_per_hour - a.fixed_usd_per_hour) / dv
                if 0.0 < cf < 1.0:
                    points.add(cf)
    edges = sorted(points)
    rows: list[dict[str, Any]] = []
    for lo, hi in itertools.pairwise(edges):
        mid = (lo + hi) / 2.0
        best = min(range(len(tiers)), key=lambda k: (float(tiers[k].cost(mid)), k))
        if rows and rows[-1]["tier"] == names[best]:
            rows[-1]["cf_to"] = hi
        else:
            rows.append({"tier": names[best], "cf_from": lo, "cf_to": hi})
    return pd.DataFrame(rows, columns=["tier", "cf_from", "cf_to"])


def size_tiers(load: Any, tiers: list[Tier]) -> pd.DataFrame:
    """Capacity of each tier that serves an hourly load at least cost, and what it costs.

    Each layer of capacity goes to the tier cheapest at the layer's capacity factor
    (:func:`screening_envelope`); the boundary between two tiers crossing at capacity factor
    ``cf`` is the level exceeded in ``cf`` of the hours (:func:`exceeded_share_level`). The
    result minimizes ``sum_i (fixed_i n K_i + variable_i x hours served by i)`` over the
    tiers' capacities, with lower tiers served first.

    Parameters
    ----------
    load : array_like or pandas.Series
        One hourly load [units of capacity].
    tiers : list of Tier
        The ways of providing capacity; a tier with no fixed cost (on demand) makes sure all
        the load is served.

    Returns
    -------
    pandas.DataFrame
        Index ``tier`` (from the base up, every tier given): ``capacity`` [units],
        ``unit_hours_served`` [unit-hours], ``utilization`` (served over capacity-hours [1],
        NaN at zero capacity), ``cost_usd`` (fixed on every hour plus variable on the hours
        served) and ``usd_per_unit_hour_served``. ``attrs["total_usd"]`` and
        ``attrs["usd_per_unit_hour"]`` (the blended cost of the load).

    Examples
    --------
    >>> tiers = [Tier("owned", 1.0, 0.5), Tier("on_demand", 0.0, 3.0)]
    >>> sized = size_tiers([10.0] * 6 + [4.0] * 18, tiers)
    >>> sized["capacity"].tolist(), sized.attrs["total_usd"]
    ([4.0, 6.0], 252.0)
    """
    values = hourly(load)
    if values.ndim != 1:
        raise ValueError(f"load: one series is expected; got shape {values.shape}")
    n = values.size
    envelope = screening_envelope(tiers)
    by_name = {t.name: t for t in tiers}
    base_first = envelope.iloc[::-1].reset_index(drop=True)  # from the base (high CF) to the peak
    tops = [float(exceeded_share_level(values, row.cf_from)) for row in base_first.itertuples()]
    tops[-1] = float(values.max())  # the peak tier takes whatever is left
    rows = {}
    lower = 0.0
    for row, top in zip(base_first.itertuples(), tops, strict=True):
        top = max(top, lower)
        tier = by_name[str(row.tier)]
        served = float(np.sum(np.clip(values - lower, 0.0, top - lower)))
        capacity = top - lower
        rows[tier.name] = {
            "capacity": capacity,
            "unit_hours_served": served,
            "utilization": served / (capacity * n) if capacity > 0 else float("nan"),
            "cost_usd": tier.fixed_usd_per_hour * capacity * n + tier.variable_usd_per_hour * served,
        }
        lower = top
    for tier in tiers:
        rows.setdefault(tier.name, {"capacity": 0.0, "unit_hours_served": 0.0, "utilization": float("nan"), "cost_usd": 0.0})
    order = [*[str(t) for t in base_first["tier"]], *[t.name for t in tiers if t.name not in set(base_first["tier"])]]
    table = pd.DataFrame.from_dict(rows, orient="index").loc[order]
    table.index.name = "tier"
    table["usd_per_unit_hour_served"] = table["cost_usd"] / table["unit_hours_served"].where(table["unit_hours_served"] > 0)
    total = float(table["cost_usd"].sum())
    table.attrs["total_usd"] = total
    table.attrs["usd_per_unit_hour"] = total / float(values.sum()) if values.sum() > 0 else float("nan")
    return table


def fill_valleys(firm: Any, deferrable: Any, capacity: Any, deadline_hours: int) -> dict[str, np.ndarray]:
    """Schedule deferrable work into the hours where firm load leaves capacity idle, by deadline.

    Work arriving in hour h must be done by the end of hour ``h + deadline_hours - 1``. Each
    hour serves pending work earliest deadline first (Jackson's rule, optimal for meeting
    deadlines on one resource: Jackson, 1955; Liu & Layland, 1973) into the capacity the
    firm load leaves free; work that reaches its last hour unserved is served then anyway,
    above the capacity (rented). Nothing is dropped and no deadline is missed; capacity is
    never exceeded except by that forced work. Vectorized over leading axes (draws).

    Parameters
    ----------
    firm : array_like
        Load that must be served in its hour [units of capacity], shape ``(..., H)``.
    deferrable : array_like
        Deferrable work arriving each hour [unit-hours], shape ``(..., H)``.
    capacity : array_like
        Capacity the work may fill, e.g. owned capacity [units], broadcastable to the
        leading axes.
    deadline_hours : int
        Hours within which work must be done, >= 1 (1: in its own hour).

    Returns
    -------
    dict of str to numpy.ndarray
        ``into_capacity`` (deferrable work served inside the capacity, by hour),
        ``above_capacity`` (forced at its deadline above it), ``load`` (firm plus all
        deferrable work served, by hour) and ``unfinished`` (work still pending at the end of
        the series, whose deadline falls after it), each shape ``(..., H)`` except
        ``unfinished`` ``(...)``.

    Examples
    --------
    4 units of capacity; firm load 4, 4, 1, 1; 3 unit-hours of work arrive in hour 0 with a
    3-hour deadline: all of it goes into hour 2.

    >>> out = fill_valleys([4.0, 4.0, 1.0, 1.0], [3.0, 0.0, 0.0, 0.0], 4.0, 3)
    >>> out["load"].tolist(), float(out["above_capacity"].sum())
    ([4.0, 4.0, 4.0, 1.0], 0.0)
    """
    if isinstance(deadline_hours, bool) or not isinstance(deadline_hours, int | np.integer) or deadline_hours < 1:
        raise ValueError(f"deadline_hours: must be an integer >= 1 [hours]; got {deadline_hours!r}")
    f = hourly(firm, "firm")
    w = hourly(deferrable, "deferrable")
    if f.shape != w.shape:
        raise ValueError(f"firm and deferrable must have the same shape; got {f.shape} and {w.shape}")
    cap = finite_array(capacity, "capacity", "units of capacity")
    cap = np.broadcast_to(cap, f.shape[:-1]).astype(float)
    hours = f.shape[-1]
    d = int(deadline_hours)
    pending = np.zeros((*f.shape[:-1], d))  # pending[..., k]: work whose last hour is k hours from now
    into = np.zeros_like(f)
    above = np.zeros_like(f)
    for h in range(hours):
        pending[..., d - 1] += w[..., h]
        free = np.maximum(cap - f[..., h], 0.0)
        taken_before = np.cumsum(pending, axis=-1) - pending  # pending work with earlier deadlines
        take = np.clip(free[..., None] - taken_before, 0.0, pending)
        into[..., h] = take.sum(axis=-1)
        pending = pending - take
        above[..., h] = pending[..., 0]  # due now: served above the capacity
        pending = np.concatenate([pending[..., 1:], np.zeros((*pending.shape[:-1], 1))], axis=-1)
    return {"into_capacity": into, "above_capacity": above, "load": f + into + above, "unfinished": pending.sum(axis=-1)}


def size_with_deferral(
    firm: Any,
    deferrable: Any,
    deadline_hours: int,
    owned_fixed_usd_per_hour: float,
    owned_variable_usd_per_hour: float,
    rent_usd_per_hour: float,
    candidates: int = 201,
) -> pd.DataFrame:
    """Owned capacity, utilization and cost with deferrable work served on arrival, and moved into troughs.

    Without moving, the load is ``firm + deferrable`` in its hour and the owned capacity is
    :func:`optimal_owned_capacity`. With moving, for each candidate capacity K the
    deferrable work is scheduled into the hours where the firm load leaves K idle, within
    its deadline (:func:`fill_valleys`), what is above K is rented, and the K of least
    total cost is kept (the optimum to the grid's resolution). All candidates
    (``candidates`` levels evenly spaced from 0 to the peak of the load served on arrival,
    plus the unmoved optimum) are filled in one vectorized run. Moving work can only lower
    the least cost: serving pending work as early as the capacity allows, earliest deadline
    first, maximizes the work done inside any capacity, so at the unmoved optimum the filled
    load rents no more than the unmoved one. Work still pending when the series ends is
    charged as rented.

    Parameters
    ----------
    firm, deferrable : array_like or pandas.Series
        One hourly series each [units of capacity], the same length (:func:`hourly`).
    deadline_hours : int
        Hours within which deferrable work must be done, >= 1.
    owned_fixed_usd_per_hour, owned_variable_usd_per_hour, rent_usd_per_hour : float
        As for :func:`optimal_owned_capacity` [USD per unit-hour].
    candidates : int
        Evenly spaced capacities tried, >= 2.

    Returns
    -------
    pandas.DataFrame
        Index ``on_arrival``, ``moved``: ``owned_capacity`` [units], ``owned_utilization``
        (owned unit-hours used over owned capacity-hours [1]), ``rented_unit_hours``,
        ``total_usd`` and ``usd_per_unit_hour`` (over all work served).

    Examples
    --------
    Firm load 8 by day and 2 by night; 3 units of work a day arrive at noon with a 24-hour
    deadline. Moving them into the night lets a larger owned base run fuller.

    >>> firm = [2.0] * 12 + [8.0] * 12
    >>> work = [0.0] * 12 + [3.0] + [0.0] * 11
    >>> table = size_with_deferral(firm * 30, work * 30, 24, 1.0, 0.2, 2.5)
    >>> bool(table.at["moved", "total_usd"] <= table.at["on_arrival", "total_usd"])
    True
    """
    f, w = hourly(firm, "firm"), hourly(deferrable, "deferrable")
    if f.ndim != 1 or f.shape != w.shape:
        raise ValueError(f"firm and deferrable must be one hourly series each, of the same length; got shapes {f.shape} and {w.shape}")
    if isinstance(candidates, bool) or not isinstance(candidates, int | np.integer) or candidates < 2:
        raise ValueError(f"candidates: must be an integer >= 2; got {candidates!r}")
    fixed = float(finite_array(owned_fixed_usd_per_hour, "owned_fixed_usd_per_hour", "USD per unit-hour"))
    variable = float(finite_array(owned_variable_usd_per_hour, "owned_variable_usd_per_hour", "USD per unit-hour used"))
    rent = float(finite_array(rent_usd_per_hour, "rent_usd_per_hour", "USD per unit-hour used", positive=True))
    arrival = f + w
    unmoved = float(optimal_owned_capacity(arrival, fixed, variable, rent))
    n = f.size

    def outcome(load: np.ndarray, k: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        owned = np.minimum(load, k[:, None]).sum(axis=-1)
        rented = np.maximum(load - k[:, None], 0.0).sum(axis=-1)
        return owned, rented, fixed * n * k + variable * owned + rent * rented

    k = np.append(np.linspace(0.0, float(arrival.max()), candidates), unmoved)
    filled = fill_valleys(np.broadcast_to(f, (k.size, n)), np.broadcast_to(w, (k.size, n)), k, deadline_hours)
    owned, rented, cost = outcome(filled["load"], k)
    rented = rented + filled["unfinished"]  # work due after the series: rented (a bound, it is never free)
    cost = cost + rent * filled["unfinished"]
    best = int(np.argmin(cost))
    base_owned, base_rented, base_cost = outcome(arrival[None, :], np.array([unmoved]))
    rows = {
        "on_arrival": (unmoved, base_owned[0], base_rented[0], base_cost[0]),
        "moved": (float(k[best]), owned[best], rented[best], cost[best]),
    }
    table = pd.DataFrame.from_dict(rows, orient="index", columns=["owned_capacity", "owned_unit_hours", "rented_unit_hours", "total_usd"])
    table["owned_utilization"] = table["owned_unit_hours"] / (table["owned_capacity"] * n).where(table["owned_capacity"] > 0)
    table["usd_per_unit_hour"] = table["total_usd"] / float(arrival.sum()) if arrival.sum() > 0 else float("nan")
    return table[["owned_capacity", "owned_utilization", "rented_unit_hours", "total_usd", "usd_per_unit_hour"]]


def owned_share_grid(load: Any, owned_fixed_usd_per_hour: Any, owned_variable_usd_per_hour: float, rent_usd_per_hour: Any) -> pd.DataFrame:
    """The optimal owned capacity over a grid of owned fixed costs and rent prices, in one vectorized call.

    Parameters
    ----------
    load : array_like or pandas.Series
        One hourly load [units of capacity].
    owned_fixed_usd_per_hour : array_like
        Owned fixed costs tried [USD per unit-hour], 1-D.
    owned_variable_usd_per_hour : float
        Owned variable cost [USD per unit-hour used].
    rent_usd_per_hour : array_like
        Rent prices tried [USD per unit-hour used], 1-D.

    Returns
    -------
    pandas.DataFrame
        One row per pair: ``owned_fixed_usd_per_hour``, ``rent_usd_per_hour``,
        ``owned_capacity`` [units], ``owned_share_of_peak`` and ``owned_share_of_work``
        (the share of the load's unit-hours the owned capacity serves) [1].

    Examples
    --------
    >>> grid = owned_share_grid([10.0] * 6 + [4.0] * 18, [0.5, 1.0], 0.5, [2.0, 3.0])
    >>> grid["owned_capacity"].tolist()
    [4.0, 10.0, 4.0, 4.0]
    """
    values = hourly(load)
    if values.ndim != 1:
        raise ValueError(f"load: one series is expected; got shape {values.shape}")
    fixed = np.atleast_1d(finite_array(owned_fixed_usd_per_hour, "owned_fixed_usd_per_hour", "USD per unit-hour"))
    rent = np.atleast_1d(finite_array(rent_usd_per_hour, "rent_usd_per_hour", "USD per unit-hour used", positive=True))
    if fixed.ndim != 1 or rent.ndim != 1:
        raise ValueError("owned_fixed_usd_per_hour and rent_usd_per_hour: 1-D grids are expected")
    f, r = (a.ravel() for a in np.meshgrid(fixed, rent, indexing="ij"))
    capacity = np.asarray(optimal_owned_capacity(np.broadcast_to(values, (f.size, values.size)), f, owned_variable_usd_per_hour, r))
    peak, work = float(values.max()), float(values.sum())
    served = np.minimum(values[None, :], capacity[:, None]).sum(axis=-1)
    return pd.DataFrame(
        {
            "owned_fixed_usd_per_hour": f,
            "rent_usd_per_hour": r,
            "owned_capacity": capacity,
            "owned_share_of_peak": capacity / peak if peak > 0 else np.nan,
            "owned_share_of_work": served / work if work > 0 else np.nan,
        }
    )
