"""Rate conversions: annual <-> periodic effective, nominal (APR) <-> effective, nominal <-> real.

All functions are elementwise on scalars or arrays (which must broadcast against each other)
and use ``log1p``/``expm1`` so that they stay accurate for small rates. A converted rate
beyond the float64 range (about 1.8e308, e.g. a 100 % annual rate over a period of 1e-300
years) is ``inf``; one that underflows to -100 % is -1.0. Arguments must be real numbers:
booleans, strings, complex numbers, dates and other objects raise a ``TypeError`` naming
the parameter.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from econ.finance._arrays import as_real_array, broadcast_shape

_MAX_LISTED = 5


def _rate(value: Any, name: str, unit: str) -> np.ndarray:
    """A rate or array of rates: real numbers, finite and > -1 (-100 %)."""
    arr = as_real_array(value, name, unit, "rate")
    bad = ~np.isfinite(arr) | (arr <= -1)
    if bad.any():
        msg = f"{name}: must be finite and greater than -1 (-100 %) [{unit}]; got {np.atleast_1d(arr[bad])[:_MAX_LISTED].tolist()}"
        raise ValueError(msg)
    return arr


def _periods(value: Any, name: str) -> np.ndarray:
    """A number of periods per year: real numbers, finite and > 0."""
    arr = as_real_array(value, name, "periods per year", "number of periods")
    bad = ~np.isfinite(arr) | (arr <= 0)
    if bad.any():
        msg = f"{name}: must be a finite number of periods > 0 [periods per year]; got {np.atleast_1d(arr[bad])[:_MAX_LISTED].tolist()}"
        raise ValueError(msg)
    return arr


def _out(result: np.ndarray) -> Any:
    return result.item() if result.ndim == 0 else result


def periodic_rate(annual_rate: Any, periods_per_year: Any = 12) -> Any:
    """Effective rate per period equivalent to an effective annual rate.

    ``r_p = (1 + r_a) ** (1 / m) - 1``.

    Parameters
    ----------
    annual_rate : float or array_like
        Effective annual rate [fraction per year], > -1.
    periods_per_year : float or array_like
        Periods per year m [periods per year], e.g. 12 for months.

    Returns
    -------
    float or ndarray
        Effective rate per period [fraction per period].

    References
    ----------
    .. [1] Brealey, Myers & Allen, *Principles of Corporate Finance*, 13th ed., sec. 2-5
       (effective annual and periodic rates).

    Examples
    --------
    >>> round(periodic_rate(0.12, 12), 8)
    0.00948879
    """
    r = _rate(annual_rate, "annual_rate", "fraction per year")
    m = _periods(periods_per_year, "periods_per_year")
    broadcast_shape(annual_rate=r, periods_per_year=m)
    with np.errstate(over="ignore"):  # documented: inf beyond the float64 range
        return _out(np.expm1(np.log1p(r) / m))


def annual_rate(periodic_rate: Any, periods_per_year: Any = 12) -> Any:
    """Effective annual rate equivalent to an effective rate per period.

    ``r_a = (1 + r_p) ** m - 1``; the inverse of :func:`periodic_rate`.

    Parameters
    ----------
    periodic_rate : float or array_like
        Effective rate per period [fraction per period], > -1.
    periods_per_year : float or array_like
        Periods per year m [periods per year].

    Returns
    -------
    float or ndarray
        Effective annual rate [fraction per year].

    References
    ----------
    .. [1] Brealey, Myers & Allen, *Principles of Corporate Finance*, 13th ed., sec. 2-5.

    Examples
    --------
    >>> round(annual_rate(0.01, 12), 6)
    0.126825
    """
    r = _rate(periodic_rate, "periodic_rate", "fraction per period")
    m = _periods(periods_per_year, "periods_per_year")
    broadcast_shape(periodic_rate=r, periods_per_year=m)
    with np.errstate(over="ignore"):  # documented: inf beyond the float64 range
        return _out(np.expm1(np.log1p(r) * m))


def effective_from_nominal(nominal_rate: Any, periods_per_year: Any) -> Any:
    """Effective annual rate of a nominal annual rate (APR) compounded m times a year.

    ``r_eff = (1 + APR / m) ** m - 1``.

    Parameters
    ----------
    nominal_rate : float or array_like
        Nominal annual rate, APR [fraction per year]; APR / m must exceed -1.
    periods_per_year : float or array_like
        Compounding periods per year m [periods per year].

    Returns
    -------
    float or ndarray
        Effective annual rate [fraction per year].

    References
    ----------
    .. [1] Microsoft, "EFFECT function", Excel documentation (EFFECT(0.0525, 4) = 0.0535427).

    Examples
    --------
    >>> round(effective_from_nominal(0.0525, 4), 7)
    0.0535427
    """
    apr = as_real_array(nominal_rate, "nominal_rate", "fraction per year", "rate")
    m = _periods(periods_per_year, "periods_per_year")
    shape = broadcast_shape(nominal_rate=apr, periods_per_year=m)
    apr, m = np.broadcast_to(apr, shape), np.broadcast_to(m, shape)
    bad = ~np.isfinite(apr) | (apr <= -m)
    if bad.any():
        msg = (
            f"nominal_rate: must be finite with nominal_rate / periods_per_year greater than -1 (-100 %) "
            f"[fraction per year]; got {np.atleast_1d(apr[bad])[:_MAX_LISTED].tolist()}"
        )
        raise ValueError(msg)
    with np.errstate(over="ignore"):  # APR / m beyond the float64 range: its logarithm is taken directly below
        per = apr / m
    huge = np.isinf(per)
    log_growth = np.log1p(np.where(huge, 0.0, per))  # ln(1 + APR / m), per period
    if huge.any():
        log_growth = np.where(huge, np.log(np.where(huge, apr, 1.0)) - np.log(m), log_growth)
    with np.errstate(over="ignore"):  # documented: inf beyond the float64 range
        return _out(np.expm1(m * log_growth))


def nominal_from_effective(effective_rate: Any, periods_per_year: Any) -> Any:
    """Nominal annual rate (APR), compounded m times a year, of an effective annual rate.

    ``APR = m ((1 + r_eff) ** (1 / m) - 1)``; the inverse of :func:`effective_from_nominal`.

    Parameters
    ----------
    effective_rate : float or array_like
        Effective annual rate [fraction per year], > -1.
    periods_per_year : float or array_like
        Compounding periods per year m [periods per year].

    Returns
    -------
    float or ndarray
        Nominal annual rate [fraction per year].

    References
    ----------
    .. [1] Microsoft, "NOMINAL function", Excel documentation (NOMINAL(0.053543, 4) = 0.05250032).

    Examples
    --------
    >>> round(nominal_from_effective(0.053543, 4), 8)
    0.05250032
    """
    r = _rate(effective_rate, "effective_rate", "fraction per year")
    m = _periods(periods_per_year, "periods_per_year")
    broadcast_shape(effective_rate=r, periods_per_year=m)
    with np.errstate(over="ignore"):  # ln(1 + r) / m beyond the float64 range is +inf or -inf, both handled
        y = np.log1p(r) / m
    # m (e^y - 1): for y > 700, e^y - 1 = e^y to double precision, and m e^y = e^(y + ln m)
    # may be finite although e^y is not
    big = y > 700.0
    with np.errstate(over="ignore"):  # documented: inf beyond the float64 range
        result = np.where(big, np.exp(np.where(big, y, 0.0) + np.log(m)), m * np.expm1(np.minimum(y, 700.0)))
    return _out(result)


def real_rate(nominal_rate: Any, inflation: Any) -> Any:
    """Real rate from a nominal rate and inflation (the exact Fisher relation).

    ``1 + r_real = (1 + r_nominal) / (1 + inflation)``.

    Parameters
    ----------
    nominal_rate : float or array_like
        Nominal rate [fraction per period], > -1.
    inflation : float or array_like
        Inflation over the same period [fraction per period], > -1.

    Returns
    -------
    float or ndarray
        Real rate [fraction per period].

    References
    ----------
    .. [1] Fisher, I. (1930), *The Theory of Interest*, ch. 2; Brealey, Myers & Allen,
       *Principles of Corporate Finance*, 13th ed., sec. 3-5.

    Examples
    --------
    >>> round(real_rate(0.059, 0.03), 6)
    0.028155
    """
    n = _rate(nominal_rate, "nominal_rate", "fraction per period")
    i = _rate(inflation, "inflation", "fraction per period")
    broadcast_shape(nominal_rate=n, inflation=i)
    with np.errstate(over="ignore"):  # documented: inf beyond the float64 range
        return _out(np.expm1(np.log1p(n) - np.log1p(i)))


def nominal_rate(real_rate: Any, inflation: Any) -> Any:
    """Nominal rate from a real rate and inflation: ``(1 + r_real)(1 + inflation) - 1``.

    Parameters
    ----------
    real_rate : float or array_like
        Real rate [fraction per period], > -1.
    inflation : float or array_like
        Inflation over the same period [fraction per period], > -1.

    Returns
    -------
    float or ndarray
        Nominal rate [fraction per period].

    References
    ----------
    .. [1] Fisher, I. (1930), *The Theory of Interest*, ch. 2.

    Examples
    --------
    >>> round(nominal_rate(0.028155, 0.03), 6)
    0.059
    """
    r = _rate(real_rate, "real_rate", "fraction per period")
    i = _rate(inflation, "inflation", "fraction per period")
    broadcast_shape(real_rate=r, inflation=i)
    with np.errstate(over="ignore"):  # documented: inf beyond the float64 range
        return _out(np.expm1(np.log1p(r) + np.log1p(i)))
