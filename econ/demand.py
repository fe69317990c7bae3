"""Demand for serving work over the horizon (claims C05, C11), in reference GPU-hours per hour.

Demand is stated in units of work that do not depend on the hardware assumption
(:mod:`econ.hardware`): the decision-date demand is given as the IT MW of frontier capacity
it fills (the unit in which compute deals are announced), converted once to reference
GPUs of work, and grows in work from there.
"""

from __future__ import annotations

import numpy as np

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
