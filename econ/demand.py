"""Demand for serving work over the horizon (claims C05, C11), in reference GPU-hours per hour.

Demand is stated in units of work that do not depend on the hardware assumption
(:mod:`econ.hardware`): the decision-date demand is given as the IT MW of frontier capacity
it fills (the unit in which compute deals are announced), converted once to reference
GPUs of work, and grows in work from there.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from econ.timeline import year_of_month


def demand_work(
    initial: np.ndarray,
    growth_annual: np.ndarray,
    growth_years: np.ndarray,
    late_growth_annual: np.ndarray,
    late_growth_years: np.ndarray,
    months: int,
) -> np.ndarray:
    """Demand at each month end: two phases of compound growth, then flat.

    ``D(t) = D0 (1 + g1) ** min(t, T1) (1 + g2) ** clip(t - T1, 0, T2)`` with ``t = m / 12``
    [years] (compound annual growth, Brealey, Myers & Allen, *Principles of Corporate
    Finance*, 13th ed., 2020, ch. 4).

    Parameters
    ----------
    initial : numpy.ndarray
        Demand at t = 0 [reference GPUs], shape (n,).
    growth_annual, late_growth_annual : numpy.ndarray
        Annual growth in the first and second phase [1/year], shape (n,).
    growth_years, late_growth_years : numpy.ndarray
        Length of each phase [years], shape (n,).
    months : int
        Horizon [months].

    Returns
    -------
    numpy.ndarray
        Demand [reference GPUs], shape (n, months).

    Examples
    --------
    Doubling for one year, then +50 % for one year, then flat:

    >>> one = lambda x: np.array([x])
    >>> demand_work(one(100.0), one(1.0), one(1.0), one(0.5), one(1.0), 36)[0, [11, 23, 35]].tolist()
    [200.0, 300.0, 300.0]
    """
    t = year_of_month(months)[None, :]
    t1 = np.asarray(growth_years, dtype=float)[:, None]
    early = np.minimum(t, t1)
    late = np.clip(t - t1, 0.0, np.asarray(late_growth_years, dtype=float)[:, None])
    g1 = 1.0 + np.asarray(growth_annual, dtype=float)[:, None]
    g2 = 1.0 + np.asarray(late_growth_annual, dtype=float)[:, None]
    demand: np.ndarray = np.asarray(initial, dtype=float)[:, None] * np.power(g1, early) * np.power(g2, late)
    return demand


def price_response(price: np.ndarray, plan_price: np.ndarray, elasticity: np.ndarray) -> np.ndarray:
    """Demand multiplier ``(p / p_plan) ** (-epsilon)`` for a price path away from the plan's.

    Constant-elasticity demand (Varian, *Intermediate Microeconomics*, 9th ed., 2014,
    ch. 15): the growth rates are those expected on the plan's price path, and demand
    responds to a different path with elasticity epsilon (0: no response).

    Parameters
    ----------
    price : numpy.ndarray
        Price path of the draw [USD per reference GPU-hour], shape (n, months).
    plan_price : numpy.ndarray
        The plan's price path, shape (months,) or (n, months).
    elasticity : numpy.ndarray
        Price elasticity of demand, as a positive number [1], shape (n,).

    Returns
    -------
    numpy.ndarray
        Multiplier [1], shape (n, months).

    Examples
    --------
    >>> price_response(np.array([[1.0, 2.0]]), np.array([1.0, 1.0]), np.array([1.0])).tolist()
    [[1.0, 0.5]]
    """
    factor: np.ndarray = np.power(price / plan_price, -np.asarray(elasticity, dtype=float)[:, None])
    return factor


def hourly_demand(
    start: str,
    hours: int,
    classes: Mapping[str, tuple[float, np.ndarray]],
    region_offsets: Mapping[float, float],
    mean_load: float,
    growth_annual: float = 0.0,
    noise_cv: float = 0.0,
    seed: int | None = None,
) -> pd.DataFrame:
    """Hourly demand per workload class, summed over regions in their own time zones [units of capacity].

    Each class follows its weekly shape in the local time of every region it is used in:
    the load of class c in UTC hour t is::

        mean_load x share_c x sum_r share_r x shape_c[day type, local hour] x (1 + g) ** (t / 8760) x noise

    where the local hour is the UTC hour plus the region's offset (standard time, no daylight
    saving), the day type is the local date's weekday or weekend, the shapes have a weekly
    mean of 1 (``data/demand_shapes.csv``), and the noise is lognormal with mean 1 and the
    given coefficient of variation, independent by hour (Law, *Simulation Modeling and
    Analysis*, 5th ed., 2015, ch. 6: the lognormal with ``sigma**2 = ln(1 + cv**2)``,
    ``mu = -sigma**2 / 2``).

    Parameters
    ----------
    start : str
        First hour, UTC (``"2027-01-01"``).
    hours : int
        Number of hours, >= 1.
    classes : mapping of str to (float, numpy.ndarray)
        Per class, its share of the load [1] (shares sum to 1) and its shape, an array of
        shape (2, 24): weekday then weekend hours 0-23 [ratio to the weekly mean].
    region_offsets : mapping of float to float
        UTC offset of each region where demand is used [hours] to its share [1] (shares sum
        to 1), e.g. from ``data/regions.csv`` ``utc_offset_hours``.
    mean_load : float
        Mean load over a week at the start [units of capacity], > 0.
    growth_annual : float
        Growth of the load per year, compounded hourly [1/year], > -1.
    noise_cv : float
        Coefficient of variation of the hourly noise [1], >= 0.
    seed : int, optional
        Seed of the noise (NumPy's PCG64); needed when ``noise_cv > 0``.

    Returns
    -------
    pandas.DataFrame
        Hourly UTC DatetimeIndex, one column per class.

    Examples
    --------
    One class with a flat shape, half of it in UTC and half in UTC+5:

    >>> flat = np.ones((2, 24))
    >>> d = hourly_demand("2027-01-04", 48, {"chat": (1.0, flat)}, {0.0: 0.5, 5.0: 0.5}, 10.0)
    >>> float(d["chat"].mean()), d.index[1].isoformat()
    (10.0, '2027-01-04T01:00:00+00:00')
    """
    if isinstance(hours, bool) or not isinstance(hours, int | np.integer) or hours < 1:
        raise ValueError(f"hours: must be an integer >= 1 [hours]; got {hours!r}")
    if not (np.isfinite(mean_load) and mean_load > 0):
        raise ValueError(f"mean_load: must be finite and > 0 [units of capacity]; got {mean_load!r}")
    if not (np.isfinite(growth_annual) and growth_annual > -1):
        raise ValueError(f"growth_annual: must be finite and > -1 [1/year]; got {growth_annual!r}")
    if not (np.isfinite(noise_cv) and noise_cv >= 0):
        raise ValueError(f"noise_cv: must be finite and >= 0 [1]; got {noise_cv!r}")
    if noise_cv > 0 and seed is None:
        raise ValueError("seed: a seed is needed when noise_cv > 0 (reports must be reproducible)")
    for label, shares in (("classes", [s for s, _ in classes.values()]), ("region_offsets", list(region_offsets.values()))):
        if not shares or any(not (np.isfinite(s) and s >= 0) for s in shares) or abs(sum(shares) - 1.0) > 1e-9:
            raise ValueError(f"{label}: shares must be >= 0 and sum to 1 [1]; got {shares}")
    index = pd.date_range(pd.Timestamp(start, tz="UTC"), periods=hours, freq="h")
    utc_hour = index.hour.to_numpy()
    utc_day = (index.normalize() - index[0].normalize()).days.to_numpy()
    weekday0 = index[0].weekday()
    t = np.arange(hours, dtype=float)
    trend = np.power(1.0 + growth_annual, t / 8760.0)
    rng = np.random.default_rng(seed)
    out = {}
    for name, (share, shape) in classes.items():
        profile = np.asarray(shape, dtype=float)
        if profile.shape != (2, 24) or np.any(~np.isfinite(profile) | (profile < 0)):
            raise ValueError(
                f"classes[{name!r}]: the shape must be a (2, 24) array of finite values >= 0 [ratio]; got shape {profile.shape}"
            )
        level = np.zeros(hours)
        for offset, region_share in region_offsets.items():
            local = utc_hour + offset
            day = utc_day + np.floor(local / 24.0).astype(int)
            hour = np.mod(np.floor(local), 24).astype(int)
            weekend = ((weekday0 + day) % 7) >= 5
            level += region_share * profile[weekend.astype(int), hour]
        load = mean_load * share * level * trend
        if noise_cv > 0:
            sigma2 = np.log1p(noise_cv**2)
            load = load * rng.lognormal(-sigma2 / 2.0, np.sqrt(sigma2), hours)
        out[name] = load
    return pd.DataFrame(out, index=index)


def demand_profile(shape_id: str) -> np.ndarray:
    """A weekly demand shape of ``data/demand_shapes.csv``: weekday and weekend hours 0-23 [ratio to the weekly mean], (2, 24).

    Raises
    ------
    ValueError
        Naming the shape and the ones available, if the table has no weekday and weekend row for it.

    Examples
    --------
    >>> shape = demand_profile("interactive_chat_v1")
    >>> shape.shape, round(float((5 * shape[0].sum() + 2 * shape[1].sum()) / 168), 4)
    ((2, 24), 1.0)
    """
    from econ.assumptions.tables import load_table  # data access stays out of the module's import path

    table = load_table("demand_shapes")
    rows = table[table["shape_id"] == shape_id].set_index("day_type")
    if set(rows.index) != {"weekday", "weekend"}:
        raise ValueError(
            f"shape_id: no weekday and weekend rows for {shape_id!r} in data/demand_shapes.csv; shapes: {sorted(set(table['shape_id']))}"
        )
    columns = [f"load_h{h:02d}_ratio" for h in range(24)]
    profile: np.ndarray = rows.loc[["weekday", "weekend"], columns].to_numpy(dtype=float)
    return profile


def bloc_offsets(bloc_shares: Mapping[str, float]) -> dict[float, float]:
    """Demand shares by UTC offset, from demand shares by sovereignty bloc [hours -> 1].

    Each bloc's share is split equally among its regions in ``data/regions.csv`` and placed
    at each region's standard-time ``utc_offset_hours``; shares at the same offset add up.

    Raises
    ------
    ValueError
        Naming a bloc with no region in the table.

    Examples
    --------
    >>> offsets = bloc_offsets({"JP": 1.0})
    >>> list(offsets.items())
    [(9.0, 1.0)]
    """
    from econ.assumptions.tables import load_table  # data access stays out of the module's import path

    regions = load_table("regions")
    out: dict[float, float] = {}
    for bloc, share in bloc_shares.items():
        offsets = regions.loc[regions["sovereignty_bloc"] == bloc, "utc_offset_hours"].to_numpy(dtype=float)
        if offsets.size == 0:
            raise ValueError(
                f"bloc_shares: no region of bloc {bloc!r} in data/regions.csv; blocs: {sorted(set(regions['sovereignty_bloc']))}"
            )
        for offset in offsets:
            out[float(offset)] = out.get(float(offset), 0.0) + float(share) / offsets.size
    return dict(sorted(out.items()))
