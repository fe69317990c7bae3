"""Demand for serving capacity over the horizon (claims C05, C11)."""

from __future__ import annotations

import numpy as np

from econ.timeline import year_of_month


def demand_gpus(gpus_initial: np.ndarray, growth_annual: np.ndarray, growth_years: np.ndarray, months: int) -> np.ndarray:
    """Demand in busy GPU-equivalents at each month end: compound growth, then flat.

    ``D(t) = D0 * (1 + g) ** min(t, T_g)`` with ``t = m / 12`` [years] (compound annual
    growth, e.g. Brealey, Myers & Allen, *Principles of Corporate Finance*, ch. 4).

    Parameters
    ----------
    gpus_initial : numpy.ndarray
        Demand at t = 0 [GPU], shape (n,).
    growth_annual : numpy.ndarray
        Annual growth [1/year], shape (n,).
    growth_years : numpy.ndarray
        Years of growth [years], shape (n,).
    months : int
        Horizon [months].

    Returns
    -------
    numpy.ndarray
        Demand [GPU], shape (n, months).

    Examples
    --------
    >>> demand_gpus(np.array([100.0]), np.array([0.5]), np.array([1.0]), 24)[0, [11, 23]]
    array([150., 150.])
    """
    t = np.minimum(year_of_month(months)[None, :], np.asarray(growth_years, dtype=float)[:, None])
    demand: np.ndarray = np.asarray(gpus_initial, dtype=float)[:, None] * np.power(1.0 + np.asarray(growth_annual, dtype=float)[:, None], t)
    return demand
