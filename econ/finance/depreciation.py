"""Depreciation schedules: straight line, MACRS (IRS Publication 946) and bonus depreciation.

Schedules are returned as fractions of the depreciable basis per year (they sum to 1), so
one schedule serves any number of assets: :func:`depreciation_schedule` turns them into
amounts, with bonus depreciation taken in the first year.
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np

from econ.finance._arrays import (
    MAX_PERIODS,
    as_real_array,
    broadcast_shape,
    check_choice,
    check_count,
    check_size,
    is_integer,
    show,
)

_DB_FACTOR = {3: 2.0, 5: 2.0, 7: 2.0, 10: 2.0, 15: 1.5, 20: 1.5}
_MID_MONTH_YEARS = (27.5, 39)


def straight_line_rates(life_periods: int) -> np.ndarray:
    """Equal fractions of the basis over ``life_periods`` whole periods.

    Parameters
    ----------
    life_periods : int
        Useful life [periods], >= 1.

    Returns
    -------
    ndarray, shape (life_periods,)
        Fraction of the depreciable basis per period [fraction].

    Raises
    ------
    TypeError
        If ``life_periods`` is not an int (bool and float are refused).
    ValueError
        If it is outside 1 to ``MAX_PERIODS`` (1,000,000).

    References
    ----------
    .. [1] IRS Publication 946 (2024), ch. 4, "Straight line method".

    Examples
    --------
    >>> straight_line_rates(4).tolist()
    [0.25, 0.25, 0.25, 0.25]
    """
    n = check_count(life_periods, "life_periods", "periods", MAX_PERIODS)
    return np.full(n, 1.0 / n)


def _half_year_declining_balance(years: int, factor: float) -> np.ndarray:
    """GDS declining balance with the half-year convention, switching to straight line."""
    rates = np.empty(years + 1)
    remaining = 1.0
    for year in range(years + 1):
        if year == 0:
            deduction = 0.5 * factor / years
        else:
            life_left = years + 0.5 - year
            straight = remaining / life_left if life_left > 0.5 else remaining
            deduction = min(remaining, max(remaining * factor / years, straight))
        rates[year] = deduction
        remaining -= deduction
    return rates


def _mid_month_straight_line(years: float, month: int) -> np.ndarray:
    """Straight line with the mid-month convention for real property placed in ``month``."""
    annual = 1.0 / years
    first = annual * (12 - month + 0.5) / 12
    n_full = int(np.ceil(years - (12 - month + 0.5) / 12))
    rates = np.full(n_full + 1, annual)
    rates[0] = first
    rates[-1] = 1.0 - first - annual * (n_full - 1)
    return rates


def macrs_rates(
    recovery_years: float,
    *,
    convention: Literal["half-year", "mid-month"] = "half-year",
    month_placed_in_service: int | None = None,
) -> np.ndarray:
    """MACRS (GDS) depreciation fractions per tax year, as in IRS Publication 946, Appendix A.

    Parameters
    ----------
    recovery_years : {3, 5, 7, 10, 15, 20} with ``'half-year'``; {27.5, 39} with ``'mid-month'``
        Recovery period [years]. Computers and servers are 5-year property, data-center
        electrical and cooling equipment typically 15-year (or 39-year as building
        components), buildings 39-year nonresidential real property.
    convention : {'half-year', 'mid-month'}
        ``'half-year'``: 200 % declining balance (150 % for 15- and 20-year property),
        switching to straight line, half a year in the first and last year (Table A-1).
        ``'mid-month'``: straight line for real property from the middle of the month
        placed in service (Tables A-6 and A-7a).
    month_placed_in_service : int, optional
        1 (January) to 12; required for ``'mid-month'``, refused for ``'half-year'`` (whose
        tables do not depend on the month, so a month there is a mistake).

    Returns
    -------
    ndarray
        Fraction of the basis deducted in each tax year [fraction]; sums to 1. Length
        ``recovery_years + 1`` for half-year tables, 40 for 39-year property.

    Raises
    ------
    TypeError
        If ``recovery_years`` is not a number or ``month_placed_in_service`` not an int.
    ValueError
        If there is no table for ``recovery_years`` under ``convention``, or the month is
        missing, out of range or given for ``'half-year'``.

    Notes
    -----
    The mid-quarter convention (required when over 40 % of a year's property is placed in
    service in its last quarter) is not implemented.

    References
    ----------
    .. [1] IRS Publication 946 (2024), *How To Depreciate Property*, ch. 4 and Appendix A,
       Tables A-1 (half-year), A-6 (27.5-year) and A-7a (39-year, mid-month).

    Examples
    --------
    >>> (100 * macrs_rates(5)).round(2).tolist()
    [20.0, 32.0, 19.2, 11.52, 11.52, 5.76]
    """
    check_choice(convention, "convention", ("half-year", "mid-month"), "must be 'half-year' or 'mid-month'")
    years = as_real_array(recovery_years, "recovery_years", "years", "recovery period")
    if years.ndim != 0:
        msg = f"recovery_years: must be one number of years [years] such as 5 or 39; got {show(recovery_years)}"
        raise TypeError(msg)
    recovery_years = float(years)
    if convention == "half-year":
        if recovery_years not in _DB_FACTOR:
            msg = f"recovery_years: half-year MACRS tables exist for {sorted(_DB_FACTOR)} years; got {recovery_years!r}"
            raise ValueError(msg)
        if month_placed_in_service is not None:
            shown = show(month_placed_in_service)
            msg = f"month_placed_in_service: only used with convention='mid-month' (half-year ignores the month); got {shown}"
            raise ValueError(msg)
        return _half_year_declining_balance(int(recovery_years), _DB_FACTOR[int(recovery_years)])
    if recovery_years not in _MID_MONTH_YEARS:
        msg = f"recovery_years: mid-month MACRS tables exist for {_MID_MONTH_YEARS} years; got {recovery_years!r}"
        raise ValueError(msg)
    if not is_integer(month_placed_in_service):
        shown = show(month_placed_in_service)
        msg = f"month_placed_in_service: must be an int from 1 (January) to 12 for the mid-month convention; got {shown}"
        raise TypeError(msg)
    if not 1 <= month_placed_in_service <= 12:
        msg = f"month_placed_in_service: must be 1 (January) to 12 for the mid-month convention; got {month_placed_in_service!r}"
        raise ValueError(msg)
    return _mid_month_straight_line(float(recovery_years), int(month_placed_in_service))


def depreciation_schedule(basis: Any, rates: Any, *, bonus_fraction: float = 0.0, salvage_value: Any = 0.0) -> np.ndarray:
    """Depreciation amounts per year for one or many assets, with bonus depreciation.

    Year 1 takes ``bonus_fraction`` of the depreciable basis at once; the rest is
    depreciated by ``rates``: ``D[0] = b B + (1 - b) B rates[0]``,
    ``D[k] = (1 - b) B rates[k]``, with ``B = basis - salvage_value``.

    Parameters
    ----------
    basis : float or array_like of shape (N,)
        Cost basis of each asset [currency], >= 0.
    rates : array_like of shape (Y,)
        Fractions of the basis per year, e.g. from :func:`macrs_rates` [fraction]; must
        sum to 1.
    bonus_fraction : float
        Share of the basis expensed in year 1 [fraction], 0 to 1 (1.0 for the 100 % bonus
        depreciation of IRC section 168(k) as amended in 2025).
    salvage_value : float or array_like of shape (N,)
        Value not depreciated [currency], 0 for MACRS (tax depreciation ignores salvage).

    Returns
    -------
    ndarray
        Shape (Y,) for a scalar basis or (N, Y) [currency per year], positive amounts.

    Raises
    ------
    TypeError
        If basis, rates, bonus_fraction or salvage_value are not real numbers.
    ValueError
        If the rates are not 1-D fractions in [0, 1] summing to 1, the basis is negative
        or not finite, salvage exceeds the basis, bonus_fraction is outside [0, 1], the
        shapes of basis and salvage do not broadcast, or the schedule would exceed
        ``MAX_ELEMENTS`` values.

    References
    ----------
    .. [1] IRS Publication 946 (2024), ch. 3 ("Special depreciation allowance": the bonus
       is taken before regular MACRS on the reduced basis).

    Examples
    --------
    >>> depreciation_schedule(1_000.0, macrs_rates(5), bonus_fraction=0.4).round(2).tolist()
    [520.0, 192.0, 115.2, 69.12, 69.12, 34.56]
    """
    b = as_real_array(basis, "basis", "currency", "cost basis")
    s = as_real_array(salvage_value, "salvage_value", "currency", "salvage value")
    r = as_real_array(rates, "rates", "fraction", "depreciation fractions")
    bonus = as_real_array(bonus_fraction, "bonus_fraction", "fraction of basis", "bonus share")
    if r.ndim != 1 or r.size == 0 or not np.isfinite(r).all() or (r < 0).any() or (r > 1).any() or not np.isclose(r.sum(), 1.0, atol=1e-9):
        total = f"sum {r.sum()!r}" if r.ndim == 1 and r.size and np.isfinite(r).all() else f"shape {r.shape}"
        msg = f"rates: must be a 1-D sequence of fractions of the basis from 0 to 1 summing to 1 [fraction]; got {total}: {show(rates)}"
        raise ValueError(msg)
    if not np.isfinite(b).all() or (b < 0).any():
        msg = f"basis: must be finite and >= 0 [currency]; got {show(basis)}"
        raise ValueError(msg)
    shape = broadcast_shape(basis=b, salvage_value=s)
    check_size(int(np.prod(shape, dtype=np.float64)) * r.size, "basis", f"{r.size} years of depreciation for assets of shape {shape}")
    if not np.isfinite(s).all() or (s < 0).any() or (s > b).any():
        msg = f"salvage_value: must be finite, >= 0 and <= basis [currency]; got {show(salvage_value)}"
        raise ValueError(msg)
    if bonus.ndim != 0 or not 0.0 <= bonus <= 1.0:
        msg = f"bonus_fraction: must be one number between 0 and 1 [fraction of basis]; got {show(bonus_fraction)}"
        raise ValueError(msg)
    depreciable = (b - s)[..., None]
    # shares of the depreciable basis per year: year 1 is b + (1 - b) r0 = 1 - (1 - b)(1 - r0),
    # written so that no share exceeds 1 by rounding and no amount exceeds the basis
    shares = (1.0 - bonus) * r
    shares[0] = 1.0 - (1.0 - bonus) * (1.0 - r[0])
    amounts: np.ndarray = depreciable * shares
    return amounts
