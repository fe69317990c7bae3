"""Rented capacity: the cloud price of work, reserved-capacity contracts, uncommitted renting.

Prices are per **reference GPU-hour** of provisioned capacity (:mod:`econ.hardware`).
The list price follows the full cost of frontier capacity (the same trajectory the owned
fleet buys on) times a markup that changes at a constant annual rate mu::

    p(t) = p(0) * k(t) / k(0) * (1 + mu) ** (t / 12)        [t in months]

A **contract** reserves a profile of capacity ``R(t)`` for its term (start month ``s``,
``T`` months). Each tranche of it is priced when it is delivered and keeps that price, and
its size, for the rest of the term: capacity added in month t costs ``p(t) (1 - d)``, a
month's reserved capacity costs the average price of its tranches (:func:`tranche_price`),
and ``R`` never falls within the term. ``d``
is looked up in the discount schedule by the term and the contract's annual size (the
schedule's tiers: a contract earns the best discount whose minimum term and minimum annual
size it meets). This is how multi-year GPU capacity is sold (dedicated clusters at a fixed
price per GPU-hour, delivered in tranches: CoreWeave, Nebius, Oracle and the hyperscalers'
capacity deals): the renter, like an owner, is locked into the vintages it signed for. Reserved capacity is paid
whether it is used or not (take-or-pay).

Capacity needed beyond the reservations (demand above the forecast, a site that slips or
loses its permit, a builder's need before its next site or refresh) is rented on **short
terms** as the need becomes known: one-year contracts at the schedule's shortest tier, each
priced at ``p(t) (1 - d_12) (1 + s)`` when it starts and held, like any tranche, for its
whole term (:func:`short_term_tranches`), where ``s`` is a scarcity premium (no capacity is
offered uncommitted, or cancellable, at the scale of a large lab).

A strategy that builds is a **departing customer** (claim C04) from t = 0 until its last
planned site is online plus a tail: every contract it signs in that window, short-term
ones included, costs ``1 + premium`` times its price. Nothing is renewed implicitly: a
strategy's contracts are listed in its scenario.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from econ.kernels import rented_draws, rented_present, tranche_draws
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

    @property
    def span(self) -> slice:
        """The term's columns of a horizon's (n, months) array."""
        return slice(self.start_month, self.end_month)


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

    @property
    def shortest(self) -> np.ndarray:
        """Discount of the shortest term with no size minimum (what short-term capacity earns) [1], shape (n,)."""
        open_tiers = np.flatnonzero(self.min_annual_usd <= 0)
        if open_tiers.size == 0:
            return np.zeros(self.discount.shape[0])
        first = open_tiers[np.argmin(self.term_months[open_tiers])]
        shortest: np.ndarray = self.discount[:, first]
        return shortest

    @property
    def shortest_term(self) -> int:
        """Term of the shortest tier with no size minimum [months] (1 if there is none: monthly renting at list)."""
        open_tiers = np.flatnonzero(self.min_annual_usd <= 0)
        return int(np.min(self.term_months[open_tiers])) if open_tiers.size else 1

    def lookup(self, term_months: float, annual_usd: np.ndarray) -> np.ndarray:
        """Best discount a contract of this term and annual size qualifies for [1], shape (n,).

        A contract that qualifies for no tier gets 0 (it pays the list price).

        Parameters
        ----------
        term_months : float
            The contract's term [months].
        annual_usd : numpy.ndarray
            Its annual size at its own price [USD/year], shape (n,).

        Returns
        -------
        numpy.ndarray
            The discount [1], shape (n,).

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
    >>> check_schedule(np.array([12.0, 36.0]), np.array([0.0, 0.0]), np.array([[0.5, 0.4]]))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: cloud.commit_schedule: tier 2 (36 months, >= $0/year) earns 0.4, less than tier 1 (12 months, >= $0/year) with 0.5; ...
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


def tranche_price(reserved: np.ndarray, price: np.ndarray, contract: Contract) -> np.ndarray:
    """Average locked price of a contract's reserved capacity in each month [USD per reference GPU-hour], (n, months).

    Capacity added in month t (``R(t) - R(t - 1)``, the first month's whole reservation
    included) is priced at ``price(t)`` and keeps it, and its size, to the end of the term.
    Outside the term the result is 0. Compiled (:func:`econ.kernels.tranche_draws`).

    Raises
    ------
    ValueError
        If the reservation falls within the term in any draw: reserved capacity is held to
        the end of its term (a fall would be a tranche released early, at no cost).

    Examples
    --------
    10 units at $2, then 10 more at $1: the second month's 20 units cost $1.50 on average.

    >>> c = Contract("c1", 0, 3)
    >>> tranche_price(np.array([[10.0, 20.0, 20.0]]), np.array([[2.0, 1.0, 0.5]]), c).tolist()
    [[2.0, 1.5, 1.5]]
    """
    average = np.zeros(reserved.shape)
    average[:, contract.span] = tranche_price_in_term(reserved[:, contract.span], price[:, contract.span], contract)
    return average


def tranche_price_in_term(reserved: np.ndarray, price: np.ndarray, contract: Contract) -> np.ndarray:
    """:func:`tranche_price` over the term's months only: ``reserved`` and ``price`` are shape (n, term_months).

    Raises
    ------
    ValueError
        If the reservation falls within the term in any draw.

    Examples
    --------
    >>> tranche_price_in_term(np.array([[10.0, 20.0]]), np.array([[2.0, 1.0]]), Contract("c2", 12, 2)).tolist()
    [[2.0, 1.5]]
    """
    within, falls = tranche_draws(np.ascontiguousarray(reserved, dtype=float), np.ascontiguousarray(price, dtype=float), 1e-9)
    if falls:
        raise ValueError(f"strategies.*.contracts.{contract.name}: the reserved capacity [reference GPUs] falls within the term")
    return within


def contract_tier(
    forecast_units: np.ndarray,
    list_usd: np.ndarray,
    contract: Contract,
    schedule: DiscountSchedule,
    premium: np.ndarray,
    tranche: np.ndarray | None = None,
) -> np.ndarray:
    """Discount a contract reserving ``forecast_units`` over its term earns [1], shape (n,).

    The size depends on the discount and the discount on the size's tier: the contract
    takes the best tier ``i`` whose minimum its own annual size at that tier's price meets,
    ``sum(R x h x p_tranche) (1 - d_i)(1 + premium) x 12 / T >= min_i``, with the list priced
    by tranche (:func:`tranche_price`).

    Parameters
    ----------
    forecast_units : numpy.ndarray
        Reserved capacity in each month of the term [reference GPUs], shape (n, term_months).
    list_usd : numpy.ndarray
        List price in those months [USD per reference GPU-hour], shape (n, term_months).
    contract : Contract
        Its calendar.
    schedule : DiscountSchedule
        The discount schedule.
    premium : numpy.ndarray
        Price premium of a departing customer [1], shape (n,).
    tranche : numpy.ndarray, optional
        :func:`tranche_price_in_term` of ``forecast_units`` and ``list_usd``, when the caller
        has it [USD per reference GPU-hour], shape (n, term_months).

    Returns
    -------
    numpy.ndarray
        The discount, shape (n,).

    Examples
    --------
    100 reference GPUs for 12 months at a $2 list: $1.75M a year at list, so the $1M-a-year
    tier (30 %) is met at its own price and the $2M one (50 %) is not.

    >>> s = DiscountSchedule(np.array([12.0, 12.0]), np.array([1e6, 2e6]), np.array([[0.3, 0.5]]))
    >>> contract_tier(np.full((1, 12), 100.0), np.full((1, 12), 2.0), Contract("c1", 0, 12), s, np.array([0.0])).tolist()
    [0.3]
    """
    tranche = tranche_price_in_term(forecast_units, list_usd, contract) if tranche is None else tranche
    at_list = np.sum(forecast_units * tranche, axis=1) * HOURS_PER_MONTH
    at_list = at_list * (1.0 + premium) * 12.0 / contract.term_months
    best = np.zeros(at_list.shape)
    for i in range(schedule.term_months.size):
        d = schedule.discount[:, i]
        qualifies = (schedule.term_months[i] <= contract.term_months) & (at_list * (1.0 - d) >= schedule.min_annual_usd[i])
        best = np.where(qualifies, np.maximum(best, d), best)
    return best


def short_term_tranches(need: np.ndarray, price: np.ndarray, term_months: int) -> tuple[np.ndarray, np.ndarray]:
    """Rolling short-term contracts that meet a need as it appears, each held for its term.

    In each month, capacity needed beyond what the tranches signed earlier still hold is
    added as a new tranche, priced at that month's price and held (and paid) for
    ``term_months`` months, or to the horizon if that comes first; a tranche that outlives
    the need is paid idle. Greedy and myopic, as capacity is bought when a shortfall is seen.

    Parameters
    ----------
    need : numpy.ndarray
        Capacity needed beyond the reservations [reference GPUs], shape (n, months).
    price : numpy.ndarray
        Price of a tranche started that month [USD per reference GPU-hour], shape (n, months).
    term_months : int
        Term of each tranche [months], >= 1.

    Returns
    -------
    added : numpy.ndarray
        Capacity each month's new tranche adds [reference GPUs], shape (n, months).
    paid : numpy.ndarray
        What the tranches held cost in each month [USD per hour], shape (n, months).

    Examples
    --------
    A need of 10 units for two months, then none, on 3-month tranches at $1, then $2:

    >>> added, paid = short_term_tranches(np.array([[10.0, 10.0, 0.0, 0.0]]), np.array([[1.0, 2.0, 2.0, 2.0]]), 3)
    >>> added.tolist(), paid.tolist()
    ([[10.0, 0.0, 0.0, 0.0]], [[10.0, 10.0, 10.0, 0.0]])
    """
    n, months = need.shape
    need_by_month, by_month = np.ascontiguousarray(need.T), np.zeros((months, n))  # month by month, each contiguous
    held = np.zeros(n)  # capacity the tranches signed so far still hold this month
    for t in range(months):
        if t >= term_months:
            held -= by_month[t - term_months]
        np.maximum(np.subtract(need_by_month[t], held, out=by_month[t]), 0.0, out=by_month[t])
        held += by_month[t]
    added = np.ascontiguousarray(by_month.T)
    return added, held_for_term(added * price, term_months)


def cheapest_reservation(
    units: np.ndarray,
    price: np.ndarray,
    contract_factor: np.ndarray,
    short_factor: np.ndarray,
    short_term_months: int,
    discount: np.ndarray,
) -> np.ndarray:
    """The reservation within one term that costs least for a known need, band by band [reference GPUs], shape (n, L).

    The need ``u(t)`` is cut into bands at its distinct levels; a band of width ``w`` at level
    ``x`` is needed in the months where ``u(t) >= x``. For each band the owner chooses the month
    ``a`` from which to reserve it to the end of the term (or never), at the contract's locked
    price ``c p(a)`` for the ``L - a`` months left, meeting the band's need before ``a`` with
    short-term tranches (:func:`short_term_tranches`: ``s p(t)``, each held for
    ``short_term_months``, idle months included), and takes the cheapest ``a``. The reservation
    is the sum of the bands reserved by each month, so it never falls. Two simplifications of
    the plan, not of the accounting (:func:`rented_costs` then prices whatever is reserved): a
    band's short-term tranches are costed as if the band were rented alone, and cut at the
    term's end. This is the make-or-buy
    choice of capacity reservation for a known need (the deterministic core of Arrow, Harris
    and Marschak 1951; Porteus, *Foundations of Stochastic Inventory Theory*, 2002, ch. 1),
    priced with the model's own contract and short-term terms.

    Parameters
    ----------
    units : numpy.ndarray
        The plan's rented need in each month of the term [reference GPUs], shape (n, L).
    price : numpy.ndarray
        List price in each month of the term [USD per reference GPU-hour], shape (n, L).
    contract_factor, short_factor : numpy.ndarray
        Contract price ``c`` and short-term price ``s`` as multiples of the list price [1], shape (n,).
    short_term_months : int
        Term of a short-term tranche [months], >= 1.
    discount : numpy.ndarray
        Discount factor of each month of the term [1], shape (n, L): costs are compared in present value.

    Returns
    -------
    numpy.ndarray
        The reservation, non-decreasing [reference GPUs], shape (n, L).

    Examples
    --------
    A need of 10 units that falls to 4 in the last month of a 4-month term, at a constant
    price: reserving 10 costs 0.5 x 4 = 2 per unit, renting the top 6 monthly 1.0 x 3 = 3, so
    the fall does not pull the reservation down (reserving what is needed in every later month
    would reserve 4):

    >>> cheapest_reservation(np.array([[10.0, 10, 10, 4]]), np.ones((1, 4)), np.array([0.5]), np.array([1.0]), 1, np.ones((1, 4))).tolist()
    [[10.0, 10.0, 10.0, 10.0]]

    A need that grows is reserved as it appears:

    >>> cheapest_reservation(np.array([[1.0, 2, 3, 4]]), np.ones((1, 4)), np.array([0.5]), np.array([1.0]), 1, np.ones((1, 4))).tolist()
    [[1.0, 2.0, 3.0, 4.0]]
    """
    n, length = units.shape
    months = np.arange(length)
    left = np.cumsum(discount[:, ::-1], axis=1)[:, ::-1]  # present value of 1 a month from a to the end of the term
    lock = contract_factor[:, None] * price * left  # reserving one unit from a to the end of the term
    reservation = np.zeros((n, length))
    for i in range(n):  # draws of a forecast: one, or one per sensitivity value
        levels = np.unique(units[i][units[i] > 0])
        if levels.size == 0:
            continue
        widths = np.diff(levels, prepend=0.0)
        need = units[i][None, :] >= levels[:, None]  # (bands, months)
        # the band's need before each candidate start a = 0..L, rented short-term
        before = need[:, None, :] & (months[None, None, :] < np.arange(length + 1)[None, :, None])
        flat = before.reshape(-1, length).astype(float)
        _, paid = short_term_tranches(flat, np.broadcast_to(short_factor[i] * price[i], flat.shape), short_term_months)
        cost = (paid @ discount[i]).reshape(levels.size, length + 1) + np.append(lock[i], 0.0)[None, :]
        start = np.argmin(cost, axis=1)  # length: never reserved in this term
        reservation[i] = (widths[:, None] * (start[:, None] <= months[None, :])).sum(axis=0)
    return reservation


def held_for_term(started: np.ndarray, term_months: int) -> np.ndarray:
    """What tranches started in each month add up to while they run: a moving sum over ``term_months``, (n, months).

    Examples
    --------
    >>> held_for_term(np.array([[1.0, 0.0, 2.0, 0.0]]), 2).tolist()
    [[1.0, 1.0, 2.0, 2.0]]
    """
    total = np.cumsum(started, axis=1)
    out: np.ndarray = total.copy()
    out[:, term_months:] -= total[:, :-term_months]
    return out


def rented_costs(
    rented_units: np.ndarray,
    price: np.ndarray,
    contracts: list[tuple[Contract, np.ndarray, np.ndarray, np.ndarray]],
    short_term_factor: np.ndarray,
    departing_premium: np.ndarray,
    window: np.ndarray,
    short_term_months: int = 1,
    factors: tuple[np.ndarray, np.ndarray] | None = None,
) -> dict[str, np.ndarray]:
    """Cash flows of rented capacity by category, before tax (negative = money out), or their present values.

    Parameters
    ----------
    rented_units : numpy.ndarray
        Provisioned capacity rented each month, sovereign premium included [reference
        GPUs], shape (n, months).
    price : numpy.ndarray
        List price [USD per reference GPU-hour], shape (n, months).
    contracts : list of (Contract, reserved, contract price, premium)
        Each contract with its reserved capacity [reference GPUs] and the locked price of
        that capacity in each month of its term before any departing-customer premium [USD
        per reference GPU-hour], both shape (n, term_months), and that premium [1], shape
        (n,). Terms must not overlap.
    short_term_factor : numpy.ndarray
        Price of short-term capacity as a multiple of the list, ``(1 - d_12)(1 + s)`` [1], shape (n,).
    departing_premium : numpy.ndarray
        Premium on short-term capacity rented as a departing customer [1], shape (n,).
    window : numpy.ndarray
        Months in which the strategy is a departing customer, shape (n, months) bool.
    short_term_months : int
        Term of each short-term tranche [months] (:func:`short_term_tranches`); 1 rents
        month by month.
    factors : tuple of two numpy.ndarray, optional
        Two sets of discount factors, each shape (n, months): those of the cash flows and those
        of the tax they save (:func:`econ.ledger.carried_factors`; the same array if no loss is
        carried). Given, each category is its present values at both, shape (2, n) [USD],
        summed month by month in compiled code without the monthly arrays
        (:func:`econ.kernels.rented_present`).

    Returns
    -------
    dict of str to numpy.ndarray
        ``cloud_contract`` (reserved capacity in use), ``take_or_pay_shortfall`` (reserved
        capacity not used, paid anyway), ``cloud_short_term`` (short-term tranches beyond
        the reservations, idle months included) and ``departing_premium`` (what the
        departing-customer premium adds to all three, claim C04; a short-term tranche pays
        it if it starts in the window), each shape (n, months) [USD/month], or (2, n) [USD]
        with ``factors``.

    Month by month, in compiled code (:func:`econ.kernels.rented_draws`): the need a
    contract's reservation covers is paid at its locked price, the rest of the reservation as
    take-or-pay, and the need beyond it in short-term tranches (:func:`short_term_tranches`).

    Raises
    ------
    ValueError
        If two contracts' terms overlap.

    Examples
    --------
    10 units a month; a contract reserves 12 units for the first two months at $1 an hour;
    afterwards the list is $2 and short-term capacity costs 0.9 times the list:

    >>> units, p = np.full((1, 4), 10.0), np.full((1, 4), 2.0)
    >>> c = [(Contract("c1", 0, 2), np.array([[12.0, 12.0]]), np.array([[1.0, 1.0]]), np.array([0.0]))]
    >>> out = rented_costs(units, p, c, np.array([0.9]), np.array([0.0]), np.zeros((1, 4), bool))
    >>> for k, v in out.items():
    ...     print(k, (v[0] / 730).round(2).tolist())
    cloud_contract [-10.0, -10.0, -0.0, -0.0]
    take_or_pay_shortfall [-2.0, -2.0, -0.0, -0.0]
    cloud_short_term [-0.0, -0.0, -18.0, -18.0]
    departing_premium [-0.0, -0.0, -0.0, -0.0]
    """
    n, months = rented_units.shape
    column = np.full(months, -1, dtype=np.int64)  # each month's column in the terms side by side, -1 outside them
    of_month = np.zeros(months, dtype=np.int64)  # and its contract
    width = sum(contract.term_months for contract, *_ in contracts)
    level, locked_price, premiums = np.empty((n, width)), np.empty((n, width)), np.empty((n, len(contracts)))
    start = 0
    for k, (contract, reserved, locked, premium) in enumerate(contracts):
        if np.shape(reserved)[1:] != (contract.term_months,) or np.shape(locked)[1:] != (contract.term_months,):
            raise ValueError(
                f"contracts: {contract.name}'s reserved capacity and locked price must cover its term, shape (n, {contract.term_months}); "
                f"got {np.shape(reserved)} and {np.shape(locked)}"
            )
        if np.any(column[contract.span] >= 0):
            raise ValueError(f"strategies.*.contracts.{contract.name}: its term overlaps another contract of the same strategy")
        end = start + contract.term_months
        column[contract.span], of_month[contract.span] = np.arange(start, end), k
        level[:, start:end], locked_price[:, start:end], premiums[:, k] = reserved, locked, premium
        start = end
    args = (
        np.ascontiguousarray(rented_units, dtype=float),
        np.ascontiguousarray(price, dtype=float),
        column,
        of_month,
        level,
        locked_price,
        premiums,
        np.ascontiguousarray(short_term_factor, dtype=float),
        np.ascontiguousarray(np.broadcast_to(window, (n, months)), dtype=bool),
        np.ascontiguousarray(departing_premium, dtype=float),
        int(short_term_months),
        HOURS_PER_MONTH,
    )
    names = ("cloud_contract", "take_or_pay_shortfall", "cloud_short_term", "departing_premium")
    if factors is None:
        return dict(zip(names, rented_draws(*args), strict=True))
    cash, tax = (np.ascontiguousarray(f, dtype=float) for f in factors)
    return dict(zip(names, rented_present(*args, cash, tax), strict=True))


def provisioned_hours(units: np.ndarray) -> np.ndarray:
    """Reference GPU-hours in a month of ``units`` provisioned reference GPUs [h], shape like ``units``.

    Examples
    --------
    >>> float(provisioned_hours(np.array(1.0)))
    730.0
    """
    hours: np.ndarray = np.asarray(units, dtype=float) * HOURS_PER_MONTH
    return hours
