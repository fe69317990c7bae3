"""Discounting: discount factors, net present value (periodic and dated), levelized cost.

Sign convention: money out is negative, money in positive. Rates are effective rates per
period of the cash flows (use :func:`econ.finance.periodic_rate` to turn an annual rate
into a monthly one), except for the dated functions, whose rate is annual.
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np

from econ.finance._arrays import (
    NanPolicy,
    as_flows,
    as_rates,
    as_real_array,
    check_choice,
    check_count,
    check_flag,
    check_nan_policy,
    check_size,
    describe_rows,
    nonfinite_rows,
)
from econ.finance._dates import year_fractions
from econ.finance.errors import UndefinedResultError

Convention = Literal["numpy", "excel"]
_FIRST_PERIOD = {"numpy": 0, "excel": 1}


# Discount factors exp(l) with |l| beyond this are near or past the ends of the float64
# range (exp(-708) is the smallest normal number): present values that use them are
# computed on a per-row scale instead, so that nothing overflows or is silently zeroed.
_SAFE_LOG = 700.0


def _first_period(convention: Any) -> int:
    check_choice(convention, "convention", tuple(_FIRST_PERIOD), "must be 'numpy' (first value at t = 0) or 'excel' (at t = 1)")
    return _FIRST_PERIOD[convention]


def _log_discount(rates: np.ndarray, times: np.ndarray) -> np.ndarray:
    """Logarithms of the discount factors, ``-t ln(1 + r)``: shape (K, *times.shape).

    Finite for any rate > -1 and finite times (|ln(1 + r)| < 746 in float64).
    """
    result: np.ndarray = np.multiply.outer(-np.log1p(rates), times)
    return result


def _discount_matrix(rates: np.ndarray, times: np.ndarray) -> np.ndarray:
    """(1 + r) ** -t for K rates and T times, shape (K, T), via exp(-t log1p(r)) for accuracy.

    Factors beyond the float64 range are inf (and below it 0): callers that can avoid
    them use :func:`_scaled_sums` instead.
    """
    with np.errstate(over="ignore", under="ignore"):  # documented: inf / 0 beyond the float64 range
        factors: np.ndarray = np.exp(_log_discount(rates, times))
    return factors


def _scaled_sums(rows: np.ndarray, log_factors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``sum_t rows[..., t] exp(log_factors[..., t]) = S exp(L)`` per row, without overflow.

    ``L`` is the largest ``ln|rows[t]| + log_factors[t]`` over the nonzero flows, so every
    term of ``S`` is at most 1 in magnitude and ``|S| <= T``: the sum cannot overflow,
    and a term is lost to underflow only if it is below 1e-308 of the largest. Rows must be
    finite; a row of zeros gives ``S = 0, L = 0``. This is the log-sum-exp device [1]_.

    References
    ----------
    .. [1] Blanchard, Higham & Higham (2021), "Accurately computing the log-sum-exp and
       softmax functions", *IMA Journal of Numerical Analysis* 41(4), 2311-2330.
    """
    with np.errstate(divide="ignore"):  # ln 0 = -inf: zero flows contribute nothing
        z = np.log(np.abs(rows)) + log_factors
    peak = z.max(axis=-1)
    shift = np.where(np.isfinite(peak), peak, 0.0)
    with np.errstate(under="ignore"):
        total = (np.sign(rows) * np.exp(z - shift[..., None])).sum(axis=-1)
    return total, shift


def _compose(total: np.ndarray, shift: np.ndarray) -> np.ndarray:
    """``total * exp(shift)``, ±inf where it exceeds the float64 range (the documented answer)."""
    with np.errstate(over="ignore", under="ignore", divide="ignore"):
        result: np.ndarray = np.sign(total) * np.exp(np.log(np.abs(total)) + shift)
    return result


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
        Shape (T,) for a scalar rate, (K, T) for K rates [dimensionless]. A factor beyond
        the float64 range is ``inf`` (a rate near -100 % over many periods, e.g.
        ``(1 - 0.999) ** -200``), and one below it is 0.

    Raises
    ------
    TypeError
        If ``n_periods`` is not an int or a rate is not a real number.
    ValueError
        If ``n_periods`` is outside 1 to ``MAX_PERIODS`` (1,000,000), K x T exceeds
        ``MAX_ELEMENTS`` (100,000,000), or a rate is not finite and > -1.

    References
    ----------
    .. [1] Brealey, Myers & Allen, *Principles of Corporate Finance*, 13th ed., ch. 2:
       present value of a cash flow C_t at rate r is C_t / (1 + r) ** t.

    Examples
    --------
    >>> discount_factors(0.1, 3).round(4).tolist()
    [1.0, 0.9091, 0.8264]
    """
    n = check_count(n_periods, "n_periods", "periods")
    rates, vector = as_rates(rate)
    check_size(rates.size * n, "n_periods", f"{rates.size} rates x {n} periods of discount factors")
    times = np.arange(n, dtype=np.float64) + _first_period(convention)
    factors = _discount_matrix(rates, times)
    return factors if vector else factors[0]


def _present_value(rows: np.ndarray, rates: np.ndarray, times: np.ndarray, nan_policy: str, name: str = "values") -> np.ndarray:
    """Present values (K, M) of M finite-or-not rows (M, T) at K rates; times (T,) or (M, T).

    Shared times: one matrix product with the K factor vectors. Per-row times: one
    row-wise dot product per rate. Where a factor is near the ends of the float64 range or
    a product is not finite although its row is, the present value is recomputed on a
    per-row scale (:func:`_scaled_sums`), so it is exact up to rounding, or ±inf where it
    exceeds the float64 range. Rows holding NaN or inf raise, or give NaN
    (``nan_policy``); they always give a non-finite product, so they are found there
    without an extra pass over a large input.
    """
    check_nan_policy(nan_policy)
    n_rates, (n_rows, n_periods) = rates.size, rows.shape
    check_size(n_rates * n_rows, "rate", f"{n_rates} rates x {n_rows} series of present values")
    check_size(n_rates * n_periods, "rate", f"{n_rates} rates x {n_periods} periods of discount factors")
    logs = _log_discount(rates, times)  # (K, T) or (K, M, T)
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):  # every non-finite value is redone or reported below
        if times.ndim == 1:
            factors = np.exp(logs)
            result = (rows @ factors[0])[None, :] if n_rates == 1 else (rows @ factors.T).T
        else:
            result = np.stack([np.vecdot(rows, np.exp(log_k)) for log_k in logs])
    extreme = np.abs(logs).max(axis=-1) > _SAFE_LOG  # (K,) or (K, M)
    suspect = np.flatnonzero(~np.isfinite(result).all(axis=0) | (extreme.any(axis=0) if extreme.ndim == 2 else False))
    bad = np.zeros(n_rows, dtype=bool)
    if suspect.size:
        bad[suspect] = ~np.isfinite(rows[suspect]).all(axis=1)
        if bad.any() and nan_policy == "raise":
            msg = (
                f"{name}: cash flows [currency] must be finite; found NaN or inf in "
                f"{describe_rows(np.flatnonzero(bad), n_rows)}. "
                "Pass nan_policy='propagate' to get NaN for those rows instead."
            )
            raise ValueError(msg)
    redo = ~np.isfinite(result) & ~bad[None, :]
    redo |= extreme[:, None] if extreme.ndim == 1 else extreme
    redo &= ~bad[None, :]
    for k in np.flatnonzero(redo.any(axis=1)):
        cols = np.flatnonzero(redo[k])
        log_k = logs[k] if times.ndim == 1 else logs[k][cols]
        result[k, cols] = _compose(*_scaled_sums(rows[cols], log_k))
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
        A present value beyond the float64 range (about 1.8e308) is ±inf.

    Raises
    ------
    TypeError
        If the values or rates are not real numbers (see the package's input contract).
    ValueError
        If a rate is not finite and > -1, the values are empty or ragged, or hold NaN or
        inf under ``nan_policy='raise'``; or if K rates x M series exceed
        ``MAX_ELEMENTS``.

    Warnings
    --------
    numpy-financial and this function do not discount the first value; Excel's ``NPV``
    does. The two differ by a factor (1 + rate): ``npv(r, v, convention='excel') ==
    npv(r, v) / (1 + r)``. To reproduce a spreadsheet, say which convention it uses.

    Notes
    -----
    The discount factors are computed once per rate and applied with one matrix product,
    so the cost is that of ``values @ factors``. Where a factor is near the ends of the
    float64 range (a rate near -100 % or far above 100 % over many periods), or a row's
    sum overflows, that row is summed on its own scale instead (log-sum-exp), so the
    result is exact up to rounding and never NaN for finite input.

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
    result = _present_value(flows.rows, rates, times, nan_policy)
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
        [currency at the first date], shaped as for :func:`npv`; ±inf beyond the float64
        range.

    Raises
    ------
    TypeError
        If values or rates are not real numbers, or the dates are not dates (numbers,
        such as day counts or a ``RangeIndex``, are refused).
    ValueError
        As for :func:`npv`, and if a date is missing, unreadable, outside 0001-9999, does
        not match the flows or precedes the first date.

    Notes
    -----
    A timestamp with a time of day counts as its calendar date, as in Excel; a
    timezone-aware one as its calendar date in its own time zone (not in UTC).

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
    rates, vector = as_rates(rate, unit="fraction per year")
    years = year_fractions(dates, flows.rows.shape)
    result = _present_value(flows.rows, rates, years, nan_policy)
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
        Levelized cost [currency per unit of output], one per series; NaN where there is
        no output; ±inf where the ratio exceeds the float64 range.

    Raises
    ------
    TypeError
        If rate, costs or output are not real numbers, or ``strict`` is not a bool.
    ValueError
        If the rate is not one finite number > -1, costs are empty, ragged or not finite,
        or output is negative, not finite or does not broadcast to the costs.

    Notes
    -----
    Both present values are summed on their own scale (log-sum-exp) and divided there, so
    the ratio does not overflow or lose its output to underflow at extreme rates.

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
    flows = as_flows(costs, "costs", what="costs")
    rates, _ = as_rates(rate, scalar=True)
    strict = check_flag(strict, "strict")
    times = np.arange(flows.n_periods, dtype=np.float64) + _first_period(convention)
    out_values = as_real_array(output, "output", "units per period", "output")
    try:
        out = np.broadcast_to(out_values, (*flows.lead_shape, flows.n_periods))
    except ValueError as err:
        shape = (*flows.lead_shape, flows.n_periods)
        msg = f"output: must broadcast to the shape of costs {shape} [units per period]; got shape {out_values.shape}"
        raise ValueError(msg) from err
    out_rows: np.ndarray = out.reshape(flows.rows.shape)
    if not np.isfinite(out_rows).all() or (out_rows < 0).any():
        bad = np.flatnonzero(~(np.isfinite(out_rows) & (out_rows >= 0)).all(axis=1))
        msg = f"output: must be finite and >= 0 [units per period]; bad values in {describe_rows(bad, out_rows.shape[0])}"
        raise ValueError(msg)
    nonfinite_rows(flows.rows, "costs", "raise")
    logs = _log_discount(rates, times)[0]
    cost_total, cost_shift = _scaled_sums(flows.rows, logs)
    output_total, output_shift = _scaled_sums(out_rows, logs)
    undefined = output_total == 0  # no output at all: discounted output is positive otherwise
    if strict and undefined.any():
        where = describe_rows(np.flatnonzero(undefined), undefined.size)
        msg = f"levelized_cost: undefined where the present value of output is zero: {where}"
        raise UndefinedResultError(msg)
    ratio = _compose(cost_total / np.where(undefined, 1.0, output_total), cost_shift - output_shift)
    return flows.wrap(np.where(undefined, np.nan, ratio), "levelized_cost")
