"""Rented capacity: the cloud price of work, contracts with their own terms, uncommitted renting.

Prices are per **reference GPU-hour** of provisioned capacity (:mod:`econ.hardware`).
The list price follows the full cost of frontier capacity (the same trajectory the owned
fleet buys on) times a markup that changes at a constant annual rate mu::

    p(t) = p(0) * k(t) / k(0) * (1 + mu) ** (t / 12)        [t in months]

A **contract** ``c`` (start month ``s``, term ``T`` months, total ``C`` USD) pays
``p (1 - d_c)`` during its term, where ``d_c`` is looked up in the discount schedule by
term and annual size ``12 C / T`` (the schedule's tiers: a contract earns the best discount
whose minimum term and minimum annual size it meets). Spend beyond ``C`` during the term is
charged at the same discount, as spend commitments (AWS Enterprise Discount Program,
Azure MACC, Google Cloud commits) discount all eligible spend. Each contract year has a
minimum of ``C / T x 12 x a``; a shortfall is paid at the end of that year, and whatever of
``C`` is left unspent at the end of the term is paid then (take-or-pay).

Capacity rented outside every contract pays ``p (1 - d_u)``. A strategy that builds is a
**departing customer** (claim C04) from t = 0 until its last planned site is online plus a
tail: it then pays ``p (1 - d_depart)`` for uncommitted capacity, and contracts it starts
inside that window earn only a share of their schedule discount. Nothing is renewed
implicitly: a strategy's contracts are listed in its scenario.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from econ.timeline import HOURS_PER_MONTH, growth


@dataclass(frozen=True)
class Contract:
    """One commitment of a strategy, the same in every draw.

    Attributes
    ----------
    name : str
        Its key in the scenario (``c1``, ``c2``, ...).
    start_month : int
        Months after t = 0 at which the term starts; the first month charged is ``start + 1``.
    term_months : int
        Length of the term [months], >= 1.
    """

    name: str
    start_month: int
    term_months: int

    @property
    def end_month(self) -> int:
        """The last month of the term."""
        return self.start_month + self.term_months


@dataclass(frozen=True)
class DiscountSchedule:
    """Commitment discounts by minimum term and minimum annual size.

    Attributes
    ----------
    term_months : numpy.ndarray
        Minimum term of each tier [months], shape (R,).
    min_annual_usd : numpy.ndarray
        Minimum annual commitment of each tier [USD/year], shape (R,).
    discount : numpy.ndarray
        Discount against the list price of each tier [1], shape (n, R).
    """

    term_months: np.ndarray
    min_annual_usd: np.ndarray
    discount: np.ndarray

    def __post_init__(self) -> None:
        check_schedule(self.term_months, self.min_annual_usd, self.discount)

    def lookup(self, term_months: float, annual_usd: np.ndarray) -> np.ndarray:
        """Best discount a contract of this term and annual size qualifies for [1], shape (n,).

        A contract that qualifies for no tier gets 0 (it pays the list price).

        Examples
        --------
        >>> s = DiscountSchedule(np.array([12.0, 36.0, 60.0]), np.array([0.0, 0.0, 1e9]), np.array([[0.3, 0.5, 0.7]]))
        >>> s.lookup(60.0, np.array([2e9])).tolist(), s.lookup(60.0, np.array([5e8])).tolist(), s.lookup(6.0, np.array([2e9])).tolist()
        ([0.7], [0.5], [0.0])
        """
        annual = np.asarray(annual_usd, dtype=float)
        ok = (self.term_months[None, :] <= term_months) & (self.min_annual_usd[None, :] <= annual.reshape(-1, 1))
        best: np.ndarray = np.max(np.where(ok, self.discount, 0.0), axis=1, initial=0.0)
        return best


def check_schedule(term_months: np.ndarray, min_annual_usd: np.ndarray, discount: np.ndarray) -> None:
    """Reject a discount schedule that is not monotone: a longer or larger tier may not earn less.

    Raises
    ------
    ValueError
        Naming ``cloud.commit_schedule``, the two tiers and their discounts, if a tier that
        demands at least as long a term and at least as large an annual size as another
        earns a smaller discount (in any draw), or a discount is outside [0, 1).

    Examples
    --------
    >>> check_schedule(np.array([12.0, 36.0]), np.array([0.0, 0.0]), np.array([[0.5, 0.4]]))
    Traceback (most recent call last):
    ...
    ValueError: cloud.commit_schedule: tier 2 (36 months, >= $0/year) earns 0.4, less than tier 1 (12 months, >= $0/year) with 0.5; the schedule must not fall with term or size
    """
    d = np.atleast_2d(np.asarray(discount, dtype=float))
    if not np.all(np.isfinite(d) & (d >= 0) & (d < 1)):
        raise ValueError(f"cloud.commit_schedule: discounts [1] must be in [0, 1); got {d.tolist()}")
    for i in range(len(term_months)):
        for j in range(len(term_months)):
            dominates = term_months[j] >= term_months[i] and min_annual_usd[j] >= min_annual_usd[i] and i != j
            if dominates and np.any(d[:, j] < d[:, i]):
                raise ValueError(
                    f"cloud.commit_schedule: tier {j + 1} ({term_months[j]:g} months, >= ${min_annual_usd[j]:,.0f}/year) earns "
                    f"{float(np.min(d[:, j])):g}, less than tier {i + 1} ({term_months[i]:g} months, >= ${min_annual_usd[i]:,.0f}/year) "
                    f"with {float(np.max(d[:, i])):g}; the schedule must not fall with term or size"
                )


def list_price(price0: np.ndarray, cost_ratio: np.ndarray, markup_change_annual: np.ndarray) -> np.ndarray:
    """List price per reference GPU-hour at each month end [USD], shape (n, M).

    ``p(t) = p(0) k(t) / k(0) (1 + mu) ** (t / 12)``: the price follows the full cost of
    frontier capacity ``k`` (``cost_ratio = k(t) / k(0)``) times a markup changing at mu a
    year (cost-plus pricing with a drifting margin; Tirole, *The Theory of Industrial
    Organization*, 1988, ch. 1).

    Examples
    --------
    >>> list_price(np.array([2.0]), np.full((1, 12), 0.5), np.array([0.1]))[0, [0, 11]].round(4).tolist()
    [1.008, 1.1]
    """
    price: np.ndarray = price0[:, None] * cost_ratio * growth(markup_change_annual, cost_ratio.shape[1])
    return price


def departure_window(months: int, last_online_month: np.ndarray, tail_months: np.ndarray) -> np.ndarray:
    """Months in which a builder is a departing customer (claim C04), shape (n, months) bool.

    From month 1 to ``last_online_month + tail_months`` inclusive; all False when the
    strategy builds nothing (``last_online_month`` NaN).

    Examples
    --------
    >>> departure_window(6, np.array([2.0, np.nan]), np.array([1.0, 1.0])).astype(int).tolist()
    [[1, 1, 1, 0, 0, 0], [0, 0, 0, 0, 0, 0]]
    """
    end = np.nan_to_num(np.asarray(last_online_month, dtype=float) + tail_months, nan=0.0)
    window: np.ndarray = np.arange(1, months + 1)[None, :] <= end[:, None]
    return window


def take_or_pay(spend: np.ndarray, committed_usd: np.ndarray, contract: Contract, annual_minimum_share: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Spend covered by one contract, and its take-or-pay payments [USD/month], each (n, months).

    Parameters
    ----------
    spend : numpy.ndarray
        Spend at the contract's price in each month [USD/month], shape (n, months); only the
        months of the term count.
    committed_usd : numpy.ndarray
        The contract's total C [USD], shape (n,).
    contract : Contract
        Its calendar.
    annual_minimum_share : numpy.ndarray
        Each contract year's minimum as a share of ``12 C / T`` [1], shape (n,).

    Returns
    -------
    covered : numpy.ndarray
        Spend inside the commitment (the rest of the term's spend is overage).
    shortfall : numpy.ndarray
        Payments for the unmet annual minimums (end of each contract year) and the unspent
        total (end of the term).

    Examples
    --------
    $1,200 over 12 months with $50 a month of use: $600 short, paid at month 12.

    >>> cov, short = take_or_pay(np.full((1, 12), 50.0), np.array([1200.0]), Contract("c1", 0, 12), np.array([1.0]))
    >>> float(cov.sum()), float(short.sum()), int(np.flatnonzero(short[0])[0]) + 1
    (600.0, 600.0, 12)
    """
    n, months = spend.shape
    s, e = contract.start_month, contract.end_month
    term_spend = np.zeros_like(spend)
    term_spend[:, s:e] = spend[:, s:e]
    capped = np.minimum(np.cumsum(term_spend, axis=1), committed_usd[:, None])
    covered = np.diff(capped, axis=1, prepend=0.0)
    shortfall = np.zeros((n, months))
    per_month_minimum = committed_usd * annual_minimum_share / contract.term_months
    paid = np.zeros(n)
    for year_start in range(s, e, 12):  # contract years, not draws
        year_end = min(year_start + 12, e)
        due = np.maximum(per_month_minimum * (year_end - year_start) - term_spend[:, year_start:year_end].sum(axis=1), 0.0)
        shortfall[:, year_end - 1] += due
        paid += due
    shortfall[:, e - 1] += np.maximum(committed_usd - capped[:, e - 1] - paid, 0.0)
    return covered, shortfall


def contract_size_for_cover(
    cover_share: float,
    forecast_hours: np.ndarray,
    list_usd: np.ndarray,
    contract: Contract,
    schedule: DiscountSchedule,
    discount_share: np.ndarray,
) -> np.ndarray:
    """Total of a contract sized to cover a share of the forecast rented spend [USD], shape (n,).

    The size depends on the discount, and the discount on the size's tier: the contract
    takes the best tier ``i`` whose minimum its own size at that tier's price meets,
    ``cover x sum(hours x p) x (1 - share x d_i) x 12 / T >= min_i``.

    Parameters
    ----------
    cover_share : float
        Share of the forecast spend committed [1].
    forecast_hours : numpy.ndarray
        Reference GPU-hours the plan rents in each month [h], shape (n, months).
    list_usd : numpy.ndarray
        The plan's list price [USD per reference GPU-hour], shape (n, months).
    contract : Contract
        Its calendar.
    schedule : DiscountSchedule
        The discount schedule.
    discount_share : numpy.ndarray
        Share of the schedule discount the contract earns (1, or less for a departing
        customer) [1], shape (n,).

    Returns
    -------
    numpy.ndarray
        The contract's total [USD], shape (n,).

    Examples
    --------
    100 hours a month at $2 for 12 months, covered in full, under a single 30 % tier:

    >>> s = DiscountSchedule(np.array([12.0]), np.array([0.0]), np.array([[0.3]]))
    >>> contract_size_for_cover(1.0, np.full((1, 12), 100.0), np.full((1, 12), 2.0), Contract("c1", 0, 12), s, np.array([1.0])).tolist()
    [1680.0]
    """
    span = slice(contract.start_month, contract.end_month)
    list_spend = cover_share * np.sum(forecast_hours[:, span] * list_usd[:, span], axis=1)
    best = np.zeros_like(list_spend)
    for i in range(schedule.term_months.size):
        d = discount_share * schedule.discount[:, i]
        qualifies = (schedule.term_months[i] <= contract.term_months) & (list_spend * (1.0 - d) * 12.0 / contract.term_months >= schedule.min_annual_usd[i])
        best = np.where(qualifies, np.maximum(best, d), best)
    total: np.ndarray = list_spend * (1.0 - best)
    return total


def rented_costs(
    hours: np.ndarray,
    price: np.ndarray,
    contracts: list[tuple[Contract, np.ndarray, np.ndarray]],
    uncommitted_discount: np.ndarray,
    departing_discount: np.ndarray,
    window: np.ndarray,
    annual_minimum_share: np.ndarray,
) -> dict[str, np.ndarray]:
    """Cash flows of rented capacity by category, before tax (negative = money out).

    Parameters
    ----------
    hours : numpy.ndarray
        Reference GPU-hours rented each month, sovereign premium included [h], shape (n, months).
    price : numpy.ndarray
        List price [USD per reference GPU-hour], shape (n, months).
    contracts : list of (Contract, total, discount)
        Each contract with its total [USD] and its discount [1], both shape (n,). Terms
        must not overlap.
    uncommitted_discount, departing_discount : numpy.ndarray
        Discounts of uncommitted renting, normally and as a departing customer [1], shape (n,).
    window : numpy.ndarray
        Months in which the strategy is a departing customer, shape (n, months) bool.
    annual_minimum_share : numpy.ndarray
        Contract-year minimum as a share of the annual commitment [1], shape (n,).

    Returns
    -------
    dict of str to numpy.ndarray
        ``cloud_contract`` (spend inside commitments), ``cloud_overage`` (spend beyond them,
        at the contract's price), ``cloud_uncommitted`` and ``take_or_pay_shortfall``,
        each shape (n, months).

    Examples
    --------
    One contract for the first half, at 50 % off, and uncommitted (10 % off) afterwards:

    >>> h, p = np.full((1, 4), 10.0), np.full((1, 4), 2.0)
    >>> c = [(Contract("c1", 0, 2), np.array([20.0]), np.array([0.5]))]
    >>> out = rented_costs(h, p, c, np.array([0.1]), np.array([0.0]), np.zeros((1, 4), bool), np.array([1.0]))
    >>> {k: v[0].tolist() for k, v in out.items()}
    {'cloud_contract': [-10.0, -10.0, -0.0, -0.0], 'cloud_overage': [-0.0, -0.0, -0.0, -0.0], 'cloud_uncommitted': [-0.0, -0.0, -18.0, -18.0], 'take_or_pay_shortfall': [-0.0, -0.0, -0.0, -0.0]}
    """
    n, months = hours.shape
    in_contract = np.zeros(months, dtype=bool)
    covered = np.zeros((n, months))
    overage = np.zeros((n, months))
    shortfall = np.zeros((n, months))
    for contract, total, discount in contracts:
        span = slice(contract.start_month, contract.end_month)
        if in_contract[span].any():
            raise ValueError(f"strategies.*.contracts.{contract.name}: its term overlaps another contract of the same strategy")
        in_contract[span] = True
        spend = np.zeros((n, months))
        spend[:, span] = hours[:, span] * price[:, span] * (1.0 - discount[:, None])
        cov, short = take_or_pay(spend, total, contract, annual_minimum_share)
        covered += cov
        overage += spend - cov
        shortfall += short
    uncommitted_rate = np.where(window, 1.0 - departing_discount[:, None], 1.0 - uncommitted_discount[:, None])
    uncommitted = np.where(in_contract[None, :], 0.0, hours * price * uncommitted_rate)
    return {
        "cloud_contract": -covered,
        "cloud_overage": -overage,
        "cloud_uncommitted": -uncommitted,
        "take_or_pay_shortfall": -shortfall,
    }


def provisioned_hours(units: np.ndarray) -> np.ndarray:
    """Reference GPU-hours in a month of ``units`` provisioned reference GPUs [h], shape like ``units``.

    Examples
    --------
    >>> float(provisioned_hours(np.array(1.0)))
    730.0
    """
    hours: np.ndarray = np.asarray(units, dtype=float) * HOURS_PER_MONTH
    return hours
