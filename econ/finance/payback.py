"""Payback period and discounted payback period, in fractional periods."""

from __future__ import annotations

from typing import Any

import numpy as np

from econ.finance._arrays import Flows, NanPolicy, as_flows, as_rates, check_flag, describe_rows, nonfinite_rows
from econ.finance.discounting import _SAFE_LOG, _log_discount
from econ.finance.errors import UndefinedResultError


def _scaled_rows(rows: np.ndarray) -> np.ndarray:
    """Finite rows multiplied by a power of two (exact) so that no cumulative sum overflows.

    T values below ``2**e`` in magnitude sum to less than ``2**(e + ceil(log2 T))``, so a
    row whose largest magnitude reaches ``2**(1023 - ceil(log2 T))`` is scaled down, and
    only as far as needed, so that small flows keep their value; the crossing point and
    the fraction within its period do not depend on the scale.
    """
    safe_exponent = 1023 - int(np.ceil(np.log2(rows.shape[1] + 1)))
    _, exponent = np.frexp(np.abs(rows).max(axis=1))
    shift = np.maximum(exponent - safe_exponent, 0)
    if not shift.any():
        return rows
    result: np.ndarray = np.ldexp(rows, -shift[:, None])
    return result


def _payback(flows: Flows, rows: np.ndarray, name: str, strict: bool, nan_policy: str) -> Any:
    """First time the cumulative sum of ``rows`` turns from negative to >= 0, interpolated.

    The flow of period k (k >= 1) is taken to arrive evenly between t = k - 1 and t = k,
    so the crossing inside period k is at ``k - 1 + (-cum[k - 1]) / rows[k]``. Neither the
    crossing nor the fraction changes when a row is scaled, so rows whose cumulative sum
    could overflow are scaled by a power of two first.
    """
    strict = check_flag(strict, "strict")
    bad = nonfinite_rows(flows.rows, "values", nan_policy)
    rows = _scaled_rows(np.where(bad[:, None], 0.0, rows))
    cum = np.cumsum(rows, axis=1)
    negative = cum < 0
    was_negative = np.logical_or.accumulate(negative, axis=1)
    crossed = ~negative[:, 1:] & was_negative[:, :-1]
    reached = crossed.any(axis=1)
    k = (crossed.argmax(axis=1) if crossed.shape[1] else np.zeros(rows.shape[0], dtype=int)) + 1
    k = np.minimum(k, rows.shape[1] - 1)
    idx = np.arange(rows.shape[0])
    # where reached, 0 < -cum[k - 1] <= rows[k]; elsewhere the quotient is not used
    period = k - 1 + np.where(reached, -cum[idx, k - 1], 0.0) / np.where(reached, rows[idx, k], 1.0)
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

    Raises
    ------
    TypeError
        If the values are not real numbers or ``strict`` is not a bool.
    ValueError
        If the values are empty, ragged or (under ``nan_policy='raise'``) not finite.

    Notes
    -----
    Rows with values near the float64 limit are scaled by a power of two (exactly) before
    their cumulative sum is formed, so that it cannot overflow.

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


def discounted_payback_period(rate: Any, values: Any, *, strict: bool = False, nan_policy: NanPolicy = "raise") -> Any:
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

    Raises
    ------
    TypeError
        If the rate or values are not real numbers, or ``strict`` is not a bool.
    ValueError
        If the rate is not one finite number > -1, or the values are empty, ragged or
        (under ``nan_policy='raise'``) not finite.

    Notes
    -----
    Where a discount factor is near the ends of the float64 range (a rate near -100 % or
    far above 100 % over many periods), each row is discounted on its own scale; the
    payback does not depend on the scale of a row.

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
    rates, _ = as_rates(rate, scalar=True)
    logs = _log_discount(rates, np.arange(flows.n_periods, dtype=np.float64))[0]
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):  # non-finite rows are redone below or masked
        discounted = flows.rows * np.exp(logs)
    finite = np.isfinite(flows.rows).all(axis=1)
    redo = finite & (~np.isfinite(discounted).all(axis=1) | (np.abs(logs).max() > _SAFE_LOG))
    if redo.any():
        # each row on its own scale: values[t] (1 + r) ** -t / exp(peak), the largest term 1
        with np.errstate(divide="ignore"):  # ln 0 = -inf: a zero flow stays zero
            z = np.log(np.abs(flows.rows[redo])) + logs
        peak = z.max(axis=1)
        with np.errstate(under="ignore"):
            discounted[redo] = np.sign(flows.rows[redo]) * np.exp(z - np.where(np.isfinite(peak), peak, 0.0)[:, None])
    return _payback(flows, discounted, "discounted_payback_period", strict, nan_policy)
