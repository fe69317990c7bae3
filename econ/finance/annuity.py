"""Annuity factor and capital recovery factor, with their limits at zero rate and infinite life."""

from __future__ import annotations

from typing import Any, Literal

import numpy as np

from econ.finance._arrays import as_real_array, broadcast_shape, check_choice

_MAX_LISTED = 5
# Below this |n ln(1 + r)|, (1 - e^(-y)) / y is summed as its series 1 - y/2 + y^2/6 (the
# error, y^3/24, is below 1e-25), so that tiny rates keep full precision.
_SERIES_BELOW = 1e-8


def _rate_and_nper(rate: Any, nper: Any) -> tuple[np.ndarray, np.ndarray]:
    r = as_real_array(rate, "rate", "fraction per period", "rate")
    n = as_real_array(nper, "nper", "periods", "number of periods")
    bad_r = np.atleast_1d(~np.isfinite(r) | (r <= -1))
    if bad_r.any():
        shown = np.atleast_1d(r)[bad_r][:_MAX_LISTED].tolist()
        msg = f"rate: must be finite and greater than -1 (-100 %) [fraction per period]; got {shown}"
        raise ValueError(msg)
    bad_n = np.atleast_1d(np.isnan(n) | (n <= 0))
    if bad_n.any():
        msg = f"nper: number of periods must be > 0 (inf allowed) [periods]; got {np.atleast_1d(n)[bad_n][:_MAX_LISTED].tolist()}"
        raise ValueError(msg)
    shape = broadcast_shape(rate=r, nper=n)
    return np.broadcast_to(r, shape), np.broadcast_to(n, shape)


def _as_output(result: np.ndarray, *inputs: Any) -> Any:
    return result.item() if result.ndim == 0 and not any(isinstance(i, np.ndarray) for i in inputs) else result


def _annuity(r: np.ndarray, n: np.ndarray) -> np.ndarray:
    """``(1 - (1 + r) ** -n) / r`` for r > -1 and n > 0 (inf allowed), without NaN.

    With ``y = n ln(1 + r)`` it is ``n (ln(1 + r) / r) (1 - e^-y) / y``: the series of the
    last factor for tiny |y| (where ``-expm1(-y) / r`` would lose n to underflow), else
    ``-expm1(-y) / r``, which is ``1 / r`` as y -> +inf and +inf (the true value beyond
    the float64 range) as y -> -inf.
    """
    log_growth = np.log1p(r)
    nonzero = np.where(r == 0, 1.0, r)
    finite_n = np.where(np.isinf(n), 1.0, n)  # n = inf is the perpetuity, taken separately
    with np.errstate(over="ignore"):  # y = +-inf: handled by the formulas below
        y = finite_n * log_growth
    small = np.abs(y) < _SERIES_BELOW
    ratio = np.where(r == 0, 1.0, log_growth / nonzero)  # ln(1 + r) / r, 1 at r = 0
    # evaluated where used only: there n ln(1 + r) / r = y / r is at most about n, so finite
    y_small = np.where(small, y, 0.0)
    series = np.where(small, finite_n, 0.0) * ratio * (1.0 - y_small / 2.0 + y_small * y_small / 6.0)
    with np.errstate(over="ignore"):  # documented: inf beyond the float64 range (r < 0, large n)
        general = -np.expm1(-np.where(small, 1.0, y)) / nonzero
    with np.errstate(over="ignore"):  # 1 / r for a subnormal r: inf, the true value beyond the float64 range
        perpetuity = np.where(r > 0, 1.0 / np.where(r > 0, r, 1.0), np.inf)
    result: np.ndarray = np.where(np.isinf(n), perpetuity, np.where(small, series, general))
    return result


def annuity_factor(rate: Any, nper: Any, *, when: Literal["end", "begin"] = "end") -> Any:
    """Present value of 1 paid every period for ``nper`` periods.

    ``AF = (1 - (1 + r) ** -n) / r`` for payments at the end of each period (an ordinary
    annuity), times ``(1 + r)`` for payments at the beginning (an annuity due).

    Parameters
    ----------
    rate : float or array_like
        Discount rate [fraction per period], > -1.
    nper : float or array_like
        Number of payments [periods], > 0; ``inf`` gives a perpetuity (needs rate > 0).
    when : {'end', 'begin'}
        Payments at the end (default) or the beginning of each period.

    Returns
    -------
    float or ndarray
        Annuity factor [periods' worth of payments]. Special cases: rate = 0 gives ``n``;
        ``n = inf`` gives ``1 / r`` for r > 0 and ``inf`` for r <= 0; a factor beyond the
        float64 range (r near -100 % over many periods) is ``inf``.

    Raises
    ------
    TypeError
        If rate or nper are not real numbers (bool, str, complex, dates, ...).
    ValueError
        If a rate is not finite and > -1, nper is NaN or <= 0, ``when`` is unknown, or
        the shapes of rate and nper do not broadcast.

    Notes
    -----
    Computed as ``-expm1(-n log1p(r)) / r`` so that it stays accurate as r -> 0, and by
    its series where ``n log1p(r)`` is below 1e-8 in magnitude.

    References
    ----------
    .. [1] Brealey, Myers & Allen, *Principles of Corporate Finance*, 13th ed., sec. 2-4
       (annuity factor).
    .. [2] PyPSA ``pypsa.costs.annuity``: the same factor with its rate-zero special case.

    Examples
    --------
    >>> round(annuity_factor(0.1, 10), 5)
    6.14457
    >>> annuity_factor(0.0, 10)
    10.0
    """
    check_choice(when, "when", ("end", "begin"), "must be 'end' or 'begin'")
    r, n = _rate_and_nper(rate, nper)
    factor = _annuity(r, n)
    if when == "begin":
        factor = factor * (1.0 + r)  # cannot overflow: the factor is below 1 / r for large r
    return _as_output(factor, rate, nper)


def capital_recovery_factor(rate: Any, nper: Any) -> Any:
    """Constant payment per period that repays 1 of capital over ``nper`` periods.

    ``CRF = r (1 + r) ** n / ((1 + r) ** n - 1) = 1 / annuity_factor(r, n)``: multiplied
    by a capital cost it gives the level annual (or monthly) capital charge.

    Parameters
    ----------
    rate : float or array_like
        Discount rate [fraction per period], > -1.
    nper : float or array_like
        Recovery period [periods], > 0; ``inf`` allowed.

    Returns
    -------
    float or ndarray
        Capital recovery factor [1 / period]. Special cases: rate = 0 gives ``1 / n``;
        ``n = inf`` gives ``r`` for r > 0 and 0 for r <= 0; ``inf`` where the factor
        exceeds the float64 range (a vanishing annuity factor, e.g. n = 1e-320).

    Raises
    ------
    TypeError, ValueError
        As for :func:`annuity_factor`.

    References
    ----------
    .. [1] Short, Packey & Holt (1995), NREL/TP-462-5173, eq. 4-4 (capital recovery factor).
    .. [2] Newnan, Eschenbach & Lavelle, *Engineering Economic Analysis*, 13th ed.,
       interest table (A/P, i, n).

    Examples
    --------
    >>> round(capital_recovery_factor(0.1, 10), 5)
    0.16275
    >>> capital_recovery_factor(0.0, 4)
    0.25
    """
    r, n = _rate_and_nper(rate, nper)
    factor = _annuity(r, n)
    with np.errstate(divide="ignore", over="ignore"):  # documented: a factor that underflows to 0 gives inf
        result = 1.0 / factor
    return _as_output(result, rate, nper)
