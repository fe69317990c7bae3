"""Payback period and discounted payback period, in fractional periods."""

from __future__ import annotations

from typing import Any

import numpy as np

from econ.finance._arrays import Flows, NanPolicy, as_flows, as_rates, describe_rows, nonfinite_rows
from econ.finance.errors import UndefinedResultError


def _payback(flows: Flows, rows: np.ndarray, name: str, strict: bool, nan_policy: str) -> Any:
    """First time the cumulative sum of ``rows`` turns from negative to >= 0, interpolated.

    The flow of period k (k >= 1) is taken to arrive evenly between t = k - 1 and t = k,
    so the crossing inside period k is at ``k - 1 + (-cum[k - 1]) / rows[k]``.
    """
    bad = nonfinite_rows(flows.rows, "values", nan_policy)
    cum = np.cumsum(np.where(bad[:, None], 0.0, rows), axis=1)
    negative = cum < 0
    was_negative = np.logical_or.accumulate(negative, axis=1)
    crossed = ~negative[:, 1:] & was_negative[:, :-1]
    reached = crossed.any(axis=1)
    k = (crossed.argmax(axis=1) if crossed.shape[1] else np.zeros(rows.shape[0], dtype=int)) + 1
    k = np.minimum(k, rows.shape[1] - 1)
    idx = np.arange(rows.shape[0])
    with np.errstate(divide="ignore", invalid="ignore"):
        period = k - 1 + (-cum[idx, k - 1]) / rows[idx, k]
    undefined = ~bad & ~reached
    if strict and undefined.any():
        never = undefined & was_negative[:, -1]
        detail = []
        if never.any():
            detail.append(f"never paid back in {describe_rows(np.flatnonzero(never), never.size)}")
        if (undefined & ~never).any():
            detail.append(
                f"nothing to pay back (cumulative flow never negative) in {describe_rows(np.flatnonzero(undefined & ~never), never.size)}"
            )
        msg = f"{name}: undefined: " + "; ".join(detail) + ". Pass strict=False to get NaN."
        raise UndefinedResultError(msg)
    return flows.wrap(np.where(reached & ~bad, period, np.nan), name)


def payback_period(values: Any, *, strict: bool = False, nan_policy: NanPolicy = "raise") -> Any:
    """Periods until the cumulative cash flow first recovers the investment.

    The payback is the first time t at which the cumulative cash flow, having been
    negative, reaches zero; inside the period in which it turns non-negative the flow is
    assumed to arrive evenly, so the result is fractional.

    Parameters
    ----------
    values : array_like, Series or DataFrame, shape (..., T)
        Cash flows [currency], money out negative, first value at t = 0.
    strict : bool
        If True, raise :class:`UndefinedResultError` where the default gives NaN.
    nan_policy : {'raise', 'propagate'}
        Rows holding NaN or inf: raise (default) or give NaN.

    Returns
    -------
    float, ndarray or Series
        Payback period [periods after t = 0]; NaN if the investment is never recovered
        within the horizon, or if the cumulative flow is never negative (nothing to pay
        back).

    References
    ----------
    .. [1] Brealey, Myers & Allen, *Principles of Corporate Finance*, 13th ed., sec. 5-3
       (the payback rule), with the within-year interpolation of Ross, Westerfield & Jaffe,
       *Corporate Finance*, 12th ed., sec. 6.3.

    Examples
    --------
    >>> payback_period([-1_000, 300, 400, 500])
    2.6
    """
    flows = as_flows(values)
    return _payback(flows, flows.rows, "payback_period", strict, nan_policy)


def discounted_payback_period(rate: float, values: Any, *, strict: bool = False, nan_policy: NanPolicy = "raise") -> Any:
    """Periods until the cumulative *discounted* cash flow first recovers the investment.

    As :func:`payback_period` on ``values[t] / (1 + rate) ** t``.

    Parameters
    ----------
    rate : float
        Discount rate [fraction per period], > -1.
    values : array_like, Series or DataFrame, shape (..., T)
        Cash flows [currency], money out negative, first value at t = 0.
    strict, nan_policy
        As in :func:`payback_period`.

    Returns
    -------
    float, ndarray or Series
        Discounted payback period [periods after t = 0]; NaN where never reached.

    References
    ----------
    .. [1] Ross, Westerfield & Jaffe, *Corporate Finance*, 12th ed., sec. 6.3 (the
       discounted payback period method).

    Examples
    --------
    >>> round(discounted_payback_period(0.1, [-1_000, 500, 500, 500]), 4)
    2.352
    """
    flows = as_flows(values)
    (r,), _ = as_rates(rate)
    factors = np.exp(-np.log1p(r) * np.arange(flows.n_periods))
    return _payback(flows, flows.rows * factors, "discounted_payback_period", strict, nan_policy)
