"""Discounting: discount factors, net present value (periodic and dated), levelized cost.

Sign convention: money out is negative, money in positive. Rates are effective rates per
period of the cash flows (use :func:`econ.finance.periodic_rate` to turn an annual rate
into a monthly one), except for the dated functions, whose rate is annual.
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np

from econ.finance._arrays import (
    Flows,
    NanPolicy,
    as_flows,
    as_rates,
    check_nan_policy,
    describe_rows,
    nonfinite_rows,
)
from econ.finance._dates import year_fractions
from econ.finance.errors import UndefinedResultError

Convention = Literal["numpy", "excel"]
_FIRST_PERIOD = {"numpy": 0, "excel": 1}


def _first_period(convention: str) -> int:
    if convention not in _FIRST_PERIOD:
        msg = f"convention: must be 'numpy' (first value at t = 0) or 'excel' (at t = 1); got {convention!r}"
        raise ValueError(msg)
    return _FIRST_PERIOD[convention]


def _discount_matrix(rates: np.ndarray, times: np.ndarray) -> np.ndarray:
    """(1 + r) ** -t for K rates and T times, shape (K, T), via exp(-t log1p(r)) for accuracy."""
    factors: np.ndarray = np.exp(-np.log1p(rates)[:, None] * times[None, :])
    return factors


def discount_factors(rate: Any, n_periods: int, *, convention: Convention = "numpy") -> np.ndarray:
    """Discount factors ``(1 + rate) ** -t`` for ``n_periods`` consecutive periods.

    Parameters
    ----------
    rate : float or array_like of shape (K,)
        Effective discount rate per period [fraction per period], greater than -1.
    n_periods : int
        Number of periods T [periods], at least 1.
    convention : {'numpy', 'excel'}
        ``'numpy'``: t = 0, 1, ..., T - 1 (the first factor is 1). ``'excel'``: t = 1, ..., T.

    Returns
    -------
    ndarray
        Shape (T,) for a scalar rate, (K, T) for K rates [dimensionless].

    References
    ----------
    .. [1] Brealey, Myers & Allen, *Principles of Corporate Finance*, 13th ed., ch. 2:
       present value of a cash flow C_t at rate r is C_t / (1 + r) ** t.

    Examples
    --------
    >>> discount_factors(0.1, 3).round(4).tolist()
    [1.0, 0.9091, 0.8264]
    """
    if isinstance(n_periods, bool) or not isinstance(n_periods, (int, np.integer)) or n_periods < 1:
        msg = f"n_periods: must be a whole number of periods >= 1; got {n_periods!r}"
        raise ValueError(msg)
    rates, vector = as_rates(rate)
    times = np.arange(n_periods, dtype=np.float64) + _first_period(convention)
    factors = _discount_matrix(rates, times)
    return factors if vector else factors[0]


def _present_value(flows: Flows, factors: np.ndarray, nan_policy: str) -> np.ndarray:
    """Present values (K, M) of M rows under K discount-factor vectors (K, T): one matrix product.

    Non-finite inputs always give a non-finite product, so finiteness is checked on the
    result, and only the rows it flags are inspected (no extra pass over a large input).
    """
    check_nan_policy(nan_policy)
    # a matrix-vector product for one rate (gemv), a matrix product for several (gemm)
    result = (flows.rows @ factors[0])[None, :] if factors.shape[0] == 1 else (flows.rows @ factors.T).T
    suspect = np.flatnonzero(~np.isfinite(result).all(axis=0))
    if suspect.size:
        bad = suspect[~np.isfinite(flows.rows[suspect]).all(axis=1)]
        if bad.size and nan_policy == "raise":
            msg = (
                f"values: cash flows [currency] must be finite; found NaN or inf in "
                f"{describe_rows(bad, flows.rows.shape[0])}. "
                "Pass nan_policy='propagate' to get NaN for those rows instead."
            )
            raise ValueError(msg)
        result[:, bad] = np.nan
    present: np.ndarray = result
    return present


def npv(
    rate: Any,
    values: Any,
    *,
    convention: Convention = "numpy",
    nan_policy: NanPolicy = "raise",
) -> Any:
    """Net present value of periodic cash flows, vectorized over series and rates.

    ``NPV = sum_t values[t] / (1 + rate) ** (t + t0)`` with ``t0 = 0`` (numpy's convention)
    or ``t0 = 1`` (Excel's).

    Parameters
    ----------
    rate : float or array_like of shape (K,)
        Effective discount rate per period [fraction per period], greater than -1.
    values : array_like, Series or DataFrame, shape (..., T)
        Cash flows [currency], time on the last axis; money out negative. A DataFrame
        holds one series per row (columns are periods).
    convention : {'numpy', 'excel'}
        ``'numpy'`` (default): the first value is at t = 0 and is not discounted.
        ``'excel'``: the first value is discounted one period, as in Excel's ``NPV``.
    nan_policy : {'raise', 'propagate'}
        What to do with rows holding NaN or inf: raise a ValueError naming them, or give
        NaN for them.

    Returns
    -------
    float, ndarray, Series or DataFrame
        [currency at t = 0]. A single series gives a float (a Series/array by rate for K
        rates); an array of shape (..., T) gives shape (...) (``(K, ...)`` for K rates);
        a DataFrame gives a Series on its index (a DataFrame of rates x rows for K rates).

    Warnings
    --------
    numpy-financial and this function do not discount the first value; Excel's ``NPV``
    does. The two differ by a factor (1 + rate): ``npv(r, v, convention='excel') ==
    npv(r, v) / (1 + r)``. To reproduce a spreadsheet, say which convention it uses.

    Notes
    -----
    The discount factors are computed once per rate and applied with one matrix product,
    so the cost is that of ``values @ factors``.

    References
    ----------
    .. [1] numpy-financial ``npv`` documentation (first value at t = 0).
    .. [2] Microsoft, "NPV function", Excel documentation (first value at the end of the
       first period).

    Examples
    --------
    >>> round(npv(0.08, [-40_000, 5_000, 8_000, 12_000, 30_000]), 2)
    3065.22
    >>> round(npv(0.1, [-10_000, 3_000, 4_200, 6_800], convention="excel"), 2)
    1188.44
    >>> npv([0.05, 0.1], [[-100, 60, 60], [-100, 50, 70]]).round(2).tolist()
    [[11.56, 11.11], [4.13, 3.31]]
    """
    flows = as_flows(values)
    rates, vector = as_rates(rate)
    times = np.arange(flows.n_periods, dtype=np.float64) + _first_period(convention)
    result = _present_value(flows, _discount_matrix(rates, times), nan_policy)
    if vector:
        return flows.wrap_by_rate(result, rates, "npv")
    return flows.wrap(result[0], "npv")


def xnpv(rate: Any, values: Any, dates: Any, *, nan_policy: NanPolicy = "raise") -> Any:
    """Net present value of dated cash flows (Excel's ``XNPV`` convention).

    ``XNPV = sum_i values[i] / (1 + rate) ** ((dates[i] - dates[0]) / 365)``.

    Parameters
    ----------
    rate : float or array_like of shape (K,)
        Effective annual discount rate [fraction per year], greater than -1.
    values : array_like, Series or DataFrame, shape (..., T)
        Cash flows [currency], money out negative.
    dates : array_like of dates, shape (T,) or the shape of ``values``
        Payment dates (``datetime.date``, numpy ``datetime64``, pandas ``Timestamp`` or ISO
        strings). Times are counted in days from the first date, actual/365; no date may
        precede the first one.
    nan_policy : {'raise', 'propagate'}
        What to do with rows holding NaN or inf.

    Returns
    -------
    float, ndarray, Series or DataFrame
        [currency at the first date], shaped as for :func:`npv`.

    References
    ----------
    .. [1] Microsoft, "XNPV function", Excel documentation.

    Examples
    --------
    >>> dates = ["2008-01-01", "2008-03-01", "2008-10-30", "2009-02-15", "2009-04-01"]
    >>> round(xnpv(0.09, [-10_000, 2_750, 4_250, 3_250, 2_750], dates), 2)
    2086.65
    """
    flows = as_flows(values)
    rates, vector = as_rates(rate)
    years = year_fractions(dates, flows.rows.shape)
    if years.ndim == 1:
        result = _present_value(flows, _discount_matrix(rates, years), nan_policy)
    else:
        nonfinite_rows(flows.rows, "values", nan_policy)
        factors = np.exp(-np.log1p(rates)[:, None, None] * years[None, :, :])
        result = np.einsum("mt,kmt->km", flows.rows, factors)
    if vector:
        return flows.wrap_by_rate(result, rates, "xnpv")
    return flows.wrap(result[0], "xnpv")


def levelized_cost(
    rate: Any,
    costs: Any,
    output: Any,
    *,
    convention: Convention = "numpy",
    strict: bool = False,
) -> Any:
    """Levelized cost: present value of costs over present value of output.

    ``LC = sum_t costs[t] d_t / sum_t output[t] d_t`` with ``d_t = (1 + rate) ** -t``: the
    constant price per unit of output whose revenue has the same present value as the
    costs (the LCOE method, applied here to GPU-hours or tokens).

    Parameters
    ----------
    rate : float
        Effective discount rate per period [fraction per period], greater than -1.
    costs : array_like, Series or DataFrame, shape (..., T)
        Costs per period [currency], POSITIVE for money spent (a credit such as salvage
        value is negative).
    output : array_like, shape broadcastable to ``costs``
        Output per period [units, e.g. GPU-hours or million tokens], non-negative.
    convention : {'numpy', 'excel'}
        Timing of the first period, as in :func:`npv`.
    strict : bool
        If True, raise :class:`UndefinedResultError` where the present value of output is
        zero instead of returning NaN.

    Returns
    -------
    float, ndarray or Series
        Levelized cost [currency per unit of output], one per series.

    References
    ----------
    .. [1] Short, Packey & Holt (1995), *A Manual for the Economic Evaluation of Energy
       Efficiency and Renewable Energy Technologies*, NREL/TP-462-5173, sec. 4.2
       (levelized cost of energy).

    Examples
    --------
    >>> round(levelized_cost(0.1, [100, 50, 50], [0, 10, 10]), 4)
    10.7619
    """
    flows = as_flows(costs, "costs")
    rates, vector = as_rates(rate)
    if vector:
        msg = f"rate: levelized_cost takes one discount rate [fraction per period]; got {rates.size} rates"
        raise ValueError(msg)
    out = np.broadcast_to(np.asarray(output, dtype=np.float64), (*flows.lead_shape, flows.n_periods))
    out_rows: np.ndarray = out.reshape(flows.rows.shape)
    if not np.isfinite(out_rows).all() or (out_rows < 0).any():
        bad = np.flatnonzero(~(np.isfinite(out_rows) & (out_rows >= 0)).all(axis=1))
        msg = f"output: must be finite and >= 0 [units per period]; bad values in {describe_rows(bad, out_rows.shape[0])}"
        raise ValueError(msg)
    factors = _discount_matrix(rates, np.arange(flows.n_periods, dtype=np.float64) + _first_period(convention))[0]
    pv_costs = _present_value(flows, factors[None, :], "raise")[0]
    pv_output = out_rows @ factors
    undefined = pv_output == 0
    if strict and undefined.any():
        where = describe_rows(np.flatnonzero(undefined), undefined.size)
        msg = f"levelized_cost: undefined where the present value of output is zero: {where}"
        raise UndefinedResultError(msg)
    with np.errstate(divide="ignore", invalid="ignore"):
        result = np.where(undefined, np.nan, pv_costs / np.where(undefined, 1.0, pv_output))
    return flows.wrap(result, "levelized_cost")
