"""Tax by jurisdiction: depreciation schedules per country and asset class, and when deductions are used.

Each owned site pays income tax in its country at that country's rate, and depreciates its
servers and its facility under that country's rules (``data/tax_depreciation.csv``);
rented capacity and company-level costs are deducted at the home country's rate. A
deduction saves ``rate x deduction`` (the tax shield; Brealey, Myers & Allen, *Principles
of Corporate Finance*, 13th ed., 2020, ch. 6).

Tax years are counted from the month an asset is placed in service: year j's deduction
falls in month ``placed + 12 j``. This is a simplification of calendar tax years that
shifts each deduction by less than a year.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from econ.assumptions.tables import load_table
from econ.finance import macrs_rates
from econ.kernels import deduction_events
from econ.ledger import Ledger, Monthly

METHODS = ("macrs", "straight_line", "declining_balance", "none")
"""Depreciation methods a schedule may use."""

MAX_TAX_YEARS = 60
"""Longest schedule built [years]; a declining balance writes off what is left in its last year."""


def schedule(method: str, life_years: float, first_year_fraction: float, rate_per_year: float = 0.0) -> np.ndarray:
    """Fractions of an asset's basis deducted in each tax year; they sum to 1.

    Parameters
    ----------
    method : {"macrs", "straight_line", "declining_balance", "none"}
        ``"macrs"``: US MACRS GDS tables (IRS Publication 946, Appendix A; 39-year property
        by the mid-month convention for an asset placed in January), with
        ``first_year_fraction`` taken as bonus depreciation (IRC section 168(k)) before
        MACRS applies to the rest. ``"straight_line"``: ``first_year_fraction`` in the
        first year, then the rest in equal amounts of ``(1 - f) / (L - 1)`` a year until
        written off (Ireland's 12.5 % over 8 years, Malaysia's 2/5 initial plus 1/5 a year,
        Mexico's 30 % a year). ``"declining_balance"``: ``rate_per_year`` of the written-down
        value each year (India's WDV blocks), the remainder written off in year
        ``MAX_TAX_YEARS``. ``"none"``: no allowance (the basis is recovered only on sale).
    life_years : float
        Recovery period L [years] (MACRS: 3, 5, 7, 10, 15, 20 or 39).
    first_year_fraction : float
        Share of the basis deducted in the first tax year [1].
    rate_per_year : float
        Declining-balance rate [1/year].

    Returns
    -------
    numpy.ndarray
        Fraction of the basis per tax year [1].

    Raises
    ------
    ValueError
        For an unknown method or a fraction, life or rate outside its range.

    References
    ----------
    .. [1] IRS Publication 946 (2024), ch. 3 (special depreciation allowance) and Appendix A.
    .. [2] Ireland, Taxes Consolidation Act 1997, s. 284 (wear and tear, 12.5 % over 8 years).
    .. [3] India, Income-tax Rules 1962, Appendix I (written-down-value rates).

    Examples
    --------
    >>> schedule("straight_line", 3, 0.6).round(3).tolist()
    [0.6, 0.2, 0.2]
    >>> schedule("straight_line", 1 / 0.3, 0.3).round(3).tolist()
    [0.3, 0.3, 0.3, 0.1]
    >>> schedule("macrs", 5, 1.0).tolist()[:2]
    [1.0, 0.0]
    >>> round(float(schedule("declining_balance", 0, 0.4, 0.4)[:3].sum()), 3)
    0.784
    """
    if method not in METHODS:
        raise ValueError(f"tax method: must be one of {METHODS}; got {method!r}")
    if not 0.0 <= first_year_fraction <= 1.0:
        raise ValueError(f"tax first_year_fraction [1] must be in [0, 1]; got {first_year_fraction!r}")
    if method == "none":
        return np.zeros(1)
    if method == "macrs":
        base = macrs_rates(39, convention="mid-month", month_placed_in_service=1) if life_years == 39 else macrs_rates(int(life_years))
        out = (1.0 - first_year_fraction) * base
        out[0] += first_year_fraction
        return out
    if method == "straight_line":
        if not life_years >= 1.0:
            raise ValueError(f"tax life_years [years] must be >= 1 for straight line; got {life_years!r}")
        rest = 1.0 - first_year_fraction
        per_year = rest / (life_years - 1.0) if life_years > 1.0 else rest
        rates = [first_year_fraction]
        left = rest
        while left > 1e-12 and len(rates) < MAX_TAX_YEARS:
            take = min(per_year, left)
            rates.append(take)
            left -= take
        rates[-1] += left
        return np.array(rates)
    if not 0.0 < rate_per_year <= 1.0:
        raise ValueError(f"tax rate_per_year [1/year] must be in (0, 1] for declining balance; got {rate_per_year!r}")
    remaining = np.power(1.0 - rate_per_year, np.arange(MAX_TAX_YEARS))
    balance: np.ndarray = remaining * rate_per_year
    balance[-1] = remaining[-1]
    return balance


def country_schedules(country_id: str, table: pd.DataFrame | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Server and facility depreciation schedules of a country, from ``data/tax_depreciation.csv``.

    The facility schedule is the mix of its classes (``facility_equipment`` and
    ``building``) weighted by their ``share_of_class_fraction``, as a cost segregation
    study splits a building's cost.

    Parameters
    ----------
    country_id : str
        ISO 3166 alpha-2 code.
    table : pandas.DataFrame, optional
        The table, indexed by ``regime_id``; read from ``data/`` when omitted.

    Returns
    -------
    tuple of numpy.ndarray
        Server and facility fractions per tax year, each summing to 1 (or to the share of
        depreciable classes, when a class has no allowance).

    Raises
    ------
    ValueError
        If the country has no server row or no facility rows.

    Examples
    --------
    >>> server, facility = country_schedules("US")
    >>> server[:2].tolist(), round(float(facility[0]), 4)
    ([1.0, 0.0], 0.6098)
    """
    rows = load_table("tax_depreciation") if table is None else table
    mine = rows[rows["country_id"] == country_id]
    if not (mine["asset_class"] == "server").any() or not mine["asset_class"].isin(("building", "facility_equipment")).any():
        raise ValueError(f"country_id: {country_id!r} has no server and facility rows in data/tax_depreciation.csv")

    def of(row: pd.Series) -> np.ndarray:
        rate = float(row["rate_per_year_fraction"]) if pd.notna(row["rate_per_year_fraction"]) else 0.0
        life = float(row["life_years"]) if pd.notna(row["life_years"]) else 0.0
        return schedule(str(row["method"]), life, float(row["first_year_fraction"]), rate)

    server = of(mine[mine["asset_class"] == "server"].iloc[0])
    parts = [(float(r["share_of_class_fraction"]), of(r)) for _, r in mine[mine["asset_class"] != "server"].iterrows()]
    length = max(p.size for _, p in parts)
    facility = sum((w * np.pad(p, (0, length - p.size)) for w, p in parts), np.zeros(length))
    return server, facility


def deductions(
    months: int,
    placed: np.ndarray,
    basis: np.ndarray,
    rates: np.ndarray,
    retired: np.ndarray | None = None,
    shield_rate: np.ndarray | None = None,
    ledger: Ledger | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Tax deductions by month, and the basis each asset has left when it leaves the books.

    Parameters
    ----------
    months : int
        Horizon [months].
    placed : numpy.ndarray
        Month each asset is placed in service, shape (n, K) (``inf`` for assets never placed).
    basis : numpy.ndarray
        Depreciable basis [USD], shape (n, K).
    rates : numpy.ndarray
        Fractions per tax year, shape (K, Y) (one schedule per asset) or (Y,).
    retired : numpy.ndarray, optional
        Month each asset is sold, shape (n, K) (``inf`` if held); deductions stop then.
    shield_rate : numpy.ndarray, optional
        Tax rate of each asset [1], shape (n, K): the first result is then the tax saved,
        ``deduction x rate`` (the basis left is still in USD of basis).
    ledger : Monthly or PresentValue, optional
        Where the deductions go (:mod:`econ.ledger`): by month (the default) or their present value.

    Returns
    -------
    deduction : numpy.ndarray
        Deductions taken while the asset is held and within the horizon, or the tax they
        save if ``shield_rate`` is given [USD, positive], shape (n, months); with a
        :class:`~econ.ledger.PresentValue` ledger, their present value, shape (n,).
    left : numpy.ndarray
        Basis not yet deducted when the asset is sold, or at the horizon if it is still
        held [USD], shape (n, K) (zero for assets never placed within the horizon). Under
        ``"none"`` it is the whole basis: recovered only against the sale.

    Examples
    --------
    >>> d, left = deductions(24, np.array([[1.0]]), np.array([[100.0]]), np.array([0.5, 0.3, 0.2]))
    >>> d[0, [0, 12]].tolist(), left.tolist()
    ([50.0, 30.0], [[20.0]])
    >>> d, left = deductions(36, np.array([[1.0]]), np.array([[100.0]]), np.array([0.5, 0.3, 0.2]), np.array([[13.0]]))
    >>> float(d.sum()), left.tolist()
    (50.0, [[50.0]])
    >>> saved, left = deductions(24, np.array([[1.0]]), np.array([[100.0]]), np.array([0.5, 0.3, 0.2]), shield_rate=np.array([[0.25]]))
    >>> saved[0, [0, 12]].tolist(), left.tolist()
    ([12.5, 7.5], [[20.0]])
    """
    within = placed[placed <= months]  # only the assets placed within the horizon count
    first = min(float(within.min()) if within.size else 1.0, 1.0)
    years = min(np.shape(rates)[-1], int((months - first) // 12) + 1)  # tax years that can start within the horizon
    rates = np.ascontiguousarray(np.broadcast_to(np.atleast_2d(rates), (placed.shape[1], np.shape(rates)[-1]))[:, :years], dtype=float)
    written = rates != 0
    length = np.where(written.any(axis=1), years - np.argmax(written[:, ::-1], axis=1), 0).astype(np.int64)  # through the last rate
    arrays = (placed, basis, np.full(placed.shape, np.inf) if retired is None else retired)
    placed_, basis_, retired_ = (np.ascontiguousarray(x, dtype=float) for x in arrays)
    shield = np.ascontiguousarray(np.broadcast_to(1.0 if shield_rate is None else shield_rate, placed.shape), dtype=float)
    rows, at, saved, left = deduction_events(placed_, basis_, rates, length, retired_, shield, int(months))
    book = Monthly(placed.shape[0], months) if ledger is None else ledger
    deduction = book.rows(rows, at, saved)
    return deduction, left


def carry_forward(tax_flow: np.ndarray, until_month: float) -> np.ndarray:
    """Move every tax flow before ``until_month`` to that month (a loss carried forward).

    With ``until_month`` of 0 the company has taxable income throughout and nothing moves.
    A company without taxable income cannot use its deductions until it has some; econ
    carries them forward without interest and uses them in full in ``until_month``
    (the US allows indefinite carry-forward, limited to 80 % of taxable income, IRC
    section 172; the limit is not modelled).

    Parameters
    ----------
    tax_flow : numpy.ndarray
        Tax cash flows (shields positive, taxes negative) [USD/month], shape (n, months).
    until_month : float
        First month in which deductions can be used [months]; 0 for none carried.

    Returns
    -------
    numpy.ndarray
        The flows with those before ``until_month`` summed into it, shape (n, months).

    Examples
    --------
    >>> carry_forward(np.array([[1.0, 2.0, 3.0, 4.0]]), 3).tolist()
    [[0.0, 0.0, 6.0, 4.0]]
    """
    m = int(until_month)
    if m <= 1:
        return tax_flow
    m = min(m, tax_flow.shape[1])
    out = tax_flow.copy()
    out[:, m - 1] = tax_flow[:, :m].sum(axis=1)
    out[:, : m - 1] = 0.0
    return out
