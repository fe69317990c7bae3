"""Compiled loops of the model's hottest paths, draw by draw and month by month (numba).

A Monte Carlo spends most of its time in a few monthly recurrences over arrays of draws x
months. NumPy evaluates each step of them as a pass over a whole array; these kernels walk one
draw at a time through its months with every step fused, in machine code compiled by numba
(Lam, Pitrou & Seibert, "Numba: a LLVM-based Python JIT compiler", *Proc. LLVM-HPC*, 2015) and
cached on disk after the first call. They do the same floating-point operations in the same order
as the NumPy formulation they replace (no fast-math, no reassociation), so results are the same
to the bit; ``tests/test_kernels.py`` checks each against that formulation.

Callers go through the model's functions (:func:`econ.strategies.serve`); these take
contiguous float64 arrays and do no checking of their own.
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True)
def _smaller(a: float, b: float) -> float:
    """``numpy.minimum`` of two floats: NaN if either is NaN (written as selects, which vectorize)."""
    return a if a <= b or a != a else b


@njit(cache=True)
def _larger(a: float, b: float) -> float:
    """``numpy.maximum`` of two floats: NaN if either is NaN."""
    return a if a >= b or a != a else b


@njit(cache=True)
def _positive(a: float) -> float:
    """``numpy.maximum(a, 0.0)``: NaN stays NaN."""
    if a != a:
        return np.nan
    return a if a > 0.0 else 0.0


@njit(cache=True)
def serve_draws(
    demand: np.ndarray,
    weight: np.ndarray,
    regulated: np.ndarray,
    any_regulated: bool,
    own: np.ndarray,
    site: np.ndarray,
    at: np.ndarray,
    added: np.ndarray,
    blocs: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Owned capacity by bloc, month by month, and the demand it serves (:func:`econ.strategies.serve`).

    Parameters
    ----------
    demand : numpy.ndarray
        Provisioned demand [reference GPUs], shape (n, M).
    weight : numpy.ndarray
        Regulated demand of each demand bloc as a share of the total [1], shape (n, B).
    regulated : numpy.ndarray
        ``weight`` summed over the blocs [1], shape (n,).
    any_regulated : bool
        Whether any demand is regulated; if not, owned capacity serves any demand.
    own : numpy.ndarray
        Capacity bloc of each demand bloc, -1 where no site is in it, shape (B,) int64.
    site : numpy.ndarray
        Capacity bloc of each site, shape (S,) int64.
    at : numpy.ndarray
        Month from which each purchase serves, shape (n, S, K); outside 1..M it is dropped.
    added : numpy.ndarray
        Reference GPUs each purchase adds (less what it replaces), shape (n, S, K).
    blocs : int
        Number of capacity blocs.

    Returns
    -------
    served, regulated_rented, installed : numpy.ndarray
        Each shape (n, M) [reference GPUs].
    """
    n, months = demand.shape
    served = np.empty((n, months))
    rented = np.empty((n, months))
    installed = np.empty((n, months))
    level = np.zeros((blocs, months))
    got = np.empty(months)
    owned = np.array([b for b in range(own.shape[0]) if own[b] >= 0], dtype=np.int64)
    for i in range(n):
        level[:, :] = 0.0
        for s in range(at.shape[1]):
            for k in range(at.shape[2]):
                t = at[i, s, k]
                if t >= 1.0 and t <= months:
                    level[site[s], int(t) - 1] += added[i, s, k]
        for c in range(blocs):  # each bloc's purchases summed month by month, then the blocs in order
            for m in range(1, months):
                level[c, m] += level[c, m - 1]
        total = installed[i]
        total[:] = 0.0
        for c in range(blocs):
            for m in range(months):
                total[m] += level[c, m]
        d = demand[i]
        if not any_regulated:
            for m in range(months):
                served[i, m] = _smaller(d[m], total[m])
                rented[i, m] = 0.0
            continue
        got[:] = 0.0
        for b in owned:
            w = weight[i, b]
            bloc = level[own[b]]
            for m in range(months):
                got[m] += _smaller(d[m] * w, bloc[m])
        share, rest = regulated[i], 1.0 - regulated[i]
        for m in range(months):
            rented[i, m] = d[m] * share - got[m]
            served[i, m] = got[m] + _smaller(d[m] * rest, total[m] - got[m])
    return served, rented, installed


@njit(cache=True)
def _rented_row(
    i: int,
    units: np.ndarray,
    price: np.ndarray,
    column: np.ndarray,
    of_month: np.ndarray,
    reserved: np.ndarray,
    locked: np.ndarray,
    premium: np.ndarray,
    short_factor: np.ndarray,
    window: np.ndarray,
    departing: np.ndarray,
    term: int,
    hours: float,
    flows: np.ndarray,
    scratch: np.ndarray,
) -> None:
    """Draw ``i``'s four rented flows into ``flows`` (4, M) [USD/month] (:func:`rented_draws`); ``scratch`` is (3, M)."""
    months = units.shape[1]
    added, paid, charged = scratch[0], scratch[1], scratch[2]  # tranches started, cumulative cost and premium
    held = 0.0
    for m in range(months):
        beyond = units[i, m]
        on_contract = 0.0
        idle = 0.0
        surcharge = 0.0
        col = column[m]
        if col >= 0:
            level = reserved[i, col]
            covered = _smaller(beyond, level)
            on_contract = covered * locked[i, col]
            idle = (level - covered) * locked[i, col]
            surcharge = level * locked[i, col] * premium[i, of_month[m]]
            beyond = beyond - covered
        if m >= term:
            held -= added[m - term]
        gap = beyond - held
        add = _positive(gap)
        added[m] = add
        held += add
        start_price = price[i, m] * short_factor[i]
        cost = add * start_price
        paid[m] = cost if m == 0 else paid[m - 1] + cost
        charge = cost * (departing[i] if window[i, m] else 0.0)
        charged[m] = charge if m == 0 else charged[m - 1] + charge
        held_cost = paid[m] if m < term else paid[m] - paid[m - term]
        held_charge = charged[m] if m < term else charged[m] - charged[m - term]
        flows[0, m] = -on_contract * hours
        flows[1, m] = -idle * hours
        flows[2, m] = -held_cost * hours
        flows[3, m] = -(surcharge + held_charge) * hours


@njit(cache=True)
def rented_draws(
    units: np.ndarray,
    price: np.ndarray,
    column: np.ndarray,
    of_month: np.ndarray,
    reserved: np.ndarray,
    locked: np.ndarray,
    premium: np.ndarray,
    short_factor: np.ndarray,
    window: np.ndarray,
    departing: np.ndarray,
    term: int,
    hours: float,
) -> np.ndarray:
    """Cash flows of rented capacity, month by month (:func:`econ.cloud.rented_costs`).

    Parameters
    ----------
    units : numpy.ndarray
        Capacity rented [reference GPUs], shape (n, M).
    price : numpy.ndarray
        List price [USD per reference GPU-hour], shape (n, M).
    column : numpy.ndarray
        Each month's column in ``reserved`` and ``locked``, -1 where no contract's term covers
        it, shape (M,) int64.
    of_month : numpy.ndarray
        Each month's contract (read where ``column`` >= 0), shape (M,) int64.
    reserved, locked : numpy.ndarray
        The contracts' terms side by side: capacity reserved [reference GPUs] and its locked
        price [USD per reference GPU-hour], each (n, sum of the terms).
    premium : numpy.ndarray
        Each contract's departing-customer premium [1], shape (n, contracts).
    short_factor : numpy.ndarray
        Price of short-term capacity as a multiple of the list [1], shape (n,).
    window : numpy.ndarray
        Months in which the strategy is a departing customer, shape (n, M) bool.
    departing : numpy.ndarray
        Departing-customer premium on a short-term tranche started in the window [1], shape (n,).
    term : int
        Term of each short-term tranche [months], >= 1.
    hours : float
        Hours in a month [h].

    Returns
    -------
    numpy.ndarray
        ``cloud_contract``, ``take_or_pay_shortfall``, ``cloud_short_term`` and
        ``departing_premium``, shape (4, n, M) [USD/month], negative.
    """
    n, months = units.shape
    out = np.empty((4, n, months))
    flows = np.empty((4, months))
    scratch = np.empty((3, months))
    for i in range(n):
        _rented_row(
            i, units, price, column, of_month, reserved, locked, premium, short_factor, window, departing, term, hours, flows, scratch
        )
        out[:, i, :] = flows
    return out


@njit(cache=True)
def rented_present(
    units: np.ndarray,
    price: np.ndarray,
    column: np.ndarray,
    of_month: np.ndarray,
    reserved: np.ndarray,
    locked: np.ndarray,
    premium: np.ndarray,
    short_factor: np.ndarray,
    window: np.ndarray,
    departing: np.ndarray,
    term: int,
    hours: float,
    factors: np.ndarray,
    carried: np.ndarray,
) -> np.ndarray:
    """Present values of :func:`rented_draws`'s flows at two sets of discount factors, each (n, M): shape (4, 2, n) [USD].

    ``factors`` for the flows themselves, ``carried`` for the tax they save (a loss carried
    forward, :func:`econ.ledger.carried_factors`; the same array when none is). Each flow is summed
    month by month as it is made (``sum_m f_m d_m`` in month order), without the monthly arrays.
    """
    n, months = units.shape
    out = np.empty((4, 2, n))
    flows = np.empty((4, months))
    scratch = np.empty((3, months))
    for i in range(n):
        _rented_row(
            i, units, price, column, of_month, reserved, locked, premium, short_factor, window, departing, term, hours, flows, scratch
        )
        for c in range(4):
            cash = 0.0
            tax = 0.0
            for m in range(months):
                cash += flows[c, m] * factors[i, m]
                tax += flows[c, m] * carried[i, m]
            out[c, 0, i] = cash
            out[c, 1, i] = tax
    return out


@njit(cache=True)
def tranche_draws(level: np.ndarray, price: np.ndarray, tolerance: float) -> tuple[np.ndarray, bool]:
    """Average locked price of a reservation within its term, and whether it ever falls (:func:`econ.cloud.tranche_price`).

    Parameters
    ----------
    level : numpy.ndarray
        Capacity reserved in each month of the term [reference GPUs], shape (n, T).
    price : numpy.ndarray
        List price in those months [USD per reference GPU-hour], shape (n, T).
    tolerance : float
        A fall counts if it exceeds ``tolerance x max(|level|, 1)`` [1].

    Returns
    -------
    average : numpy.ndarray
        Shape (n, T) [USD per reference GPU-hour]; 0 while nothing is reserved.
    falls : bool
        Whether the reservation falls within the term in any draw.
    """
    n, months = level.shape
    average = np.zeros((n, months))
    falls = False
    for i in range(n):
        units = 0.0
        paid = 0.0
        for m in range(months):
            change = level[i, m] - (level[i, m - 1] if m > 0 else 0.0)
            if m > 0 and change < -tolerance * max(abs(level[i, m]), 1.0):
                falls = True
            added = _positive(change)
            cost = added * price[i, m]
            units = added if m == 0 else units + added
            paid = cost if m == 0 else paid + cost
            if units > 0.0:
                average[i, m] = paid / units
    return average, falls


@njit(cache=True)
def tail_sums(index: np.ndarray, factors: np.ndarray, indexed: bool) -> np.ndarray:
    """``sum_{m >= t} I_m d_m`` at each month t, from the last month back (:class:`econ.ledger.PresentValue`).

    Parameters
    ----------
    index : numpy.ndarray
        Index ``I`` [1], shape (n, M); read only if ``indexed``.
    factors : numpy.ndarray
        Discount factors ``d``, shape (n, M).
    indexed : bool
        Whether to weight the factors by ``index`` (else ``I = 1``).

    Returns
    -------
    numpy.ndarray
        Shape (n, M).
    """
    n, months = factors.shape
    out = np.empty((n, months))
    for i in range(n):
        total = 0.0
        for m in range(months - 1, -1, -1):
            value = index[i, m] * factors[i, m] if indexed else factors[i, m]
            total = value if m == months - 1 else total + value
            out[i, m] = total
    return out


@njit(cache=True)
def present_rows(rows: np.ndarray, at: np.ndarray, amount: np.ndarray, factors: np.ndarray) -> np.ndarray:
    """Present value of amounts paid at whole months, each into its draw, summed in event order (:meth:`econ.ledger.PresentValue.rows`).

    Parameters
    ----------
    rows : numpy.ndarray
        Draw of each event, shape (E,) int64.
    at : numpy.ndarray
        Month of each event, shape (E,); outside 1..M it is dropped.
    amount : numpy.ndarray
        Amount of each event [USD], shape (E,).
    factors : numpy.ndarray
        Discount factors, shape (n, M).

    Returns
    -------
    numpy.ndarray
        Shape (n,) [USD].
    """
    n, months = factors.shape
    out = np.zeros(n)
    for e in range(at.shape[0]):
        t = at[e]
        if t >= 1.0 and t <= months:
            out[rows[e]] += amount[e] * factors[rows[e], int(t) - 1]
    return out


@njit(cache=True)
def _pairwise_sum(values: np.ndarray, count: int) -> float:
    """Sum of ``values[:count]`` as NumPy sums a contiguous row: pairwise, eight partial sums in blocks of up to 128.

    The order of ``umath`` ``pairwise_sum`` (numpy/_core/src/umath/loops_utils.h.src), so that a
    kernel's sum over events equals ``ndarray.sum(axis=-1)`` to the bit.
    """
    if count < 8:
        total = 0.0
        for k in range(count):
            total += values[k]
        return total
    if count <= 128:
        r0, r1, r2, r3 = values[0], values[1], values[2], values[3]
        r4, r5, r6, r7 = values[4], values[5], values[6], values[7]
        k = 8
        while k < count - count % 8:
            r0 += values[k]
            r1 += values[k + 1]
            r2 += values[k + 2]
            r3 += values[k + 3]
            r4 += values[k + 4]
            r5 += values[k + 5]
            r6 += values[k + 6]
            r7 += values[k + 7]
            k += 8
        total = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
        while k < count:
            total += values[k]
            k += 1
        return float(total)
    half = count // 2
    half -= half % 8
    total = _pairwise_sum(values, half) + _pairwise_sum(values[half:], count - half)
    return float(total)


@njit(cache=True)
def present_events(table: np.ndarray, at: np.ndarray, amount: np.ndarray) -> np.ndarray:
    """``sum_k amount_k table[t_k - 1]`` over each draw's events within 1..M (:class:`econ.ledger.PresentValue`).

    Parameters
    ----------
    table : numpy.ndarray
        Discount factors, or tail sums of index x factors, shape (n, M).
    at : numpy.ndarray
        Month of each event, shape (n, E); outside 1..M it counts 0.
    amount : numpy.ndarray
        Amount (or rate) of each event, shape (n, E).

    Returns
    -------
    numpy.ndarray
        Shape (n,); each draw's events summed as ``ndarray.sum(axis=1)`` sums them.
    """
    n, months = table.shape
    events = at.shape[1]
    out = np.empty(n)
    worth = np.empty(events)
    for i in range(n):
        for k in range(events):
            t = at[i, k]
            worth[k] = table[i, int(t) - 1] * amount[i, k] if t >= 1.0 and t <= months else 0.0
        out[i] = 0.0 + _pairwise_sum(worth, events)
    return out


@njit(cache=True)
def deduction_events(
    placed: np.ndarray,
    basis: np.ndarray,
    rates: np.ndarray,
    length: np.ndarray,
    retired: np.ndarray,
    shield: np.ndarray,
    months: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The tax deductions taken, one event each, and the basis each asset has left (:func:`econ.tax.deductions`).

    Asset by asset in row-major order, each its run of tax years from placement: within its
    schedule (``length``), the horizon and until sold.

    Parameters
    ----------
    placed, basis, retired : numpy.ndarray
        Month placed in service, depreciable basis [USD] and month sold (``inf`` if held), each (n, K).
    rates : numpy.ndarray
        Fractions per tax year, shape (K, Y).
    length : numpy.ndarray
        Years through each schedule's last rate, shape (K,) int64.
    shield : numpy.ndarray
        Tax rate of each asset [1], shape (n, K); 1 for the deductions themselves (``x * 1.0`` is ``x``).
    months : int
        Horizon [months].

    Returns
    -------
    rows, at, amount : numpy.ndarray
        Each event's draw (int64), month and deduction (or tax saved) [USD], shape (E,).
    left : numpy.ndarray
        Basis not deducted [USD], shape (n, K); 0 for assets placed after the horizon.
    """
    n, k = placed.shape
    count = np.zeros((n, k), dtype=np.int64)
    events = 0
    for i in range(n):
        for a in range(k):
            start = placed[i, a]
            if start <= months:
                taken = min(float(length[a]), np.floor((months - start) / 12.0) + 1.0)
                taken = min(taken, max(np.ceil((retired[i, a] - start) / 12.0), 0.0))
                count[i, a] = int(taken)
                events += count[i, a]
    rows = np.empty(events, dtype=np.int64)
    at = np.empty(events)
    amount = np.empty(events)
    left = np.zeros((n, k))
    e = 0
    for i in range(n):
        for a in range(k):
            if placed[i, a] <= months:
                deducted = 0.0
                for j in range(count[i, a]):
                    deduction = basis[i, a] * rates[a, j]
                    deducted += deduction
                    rows[e] = i
                    at[e] = placed[i, a] + 12.0 * j
                    amount[e] = deduction * shield[i, a]
                    e += 1
                left[i, a] = basis[i, a] - deducted
    return rows, at, amount, left


@njit(cache=True)
def fleet_draws(
    online: np.ndarray,
    built: np.ndarray,
    mw: np.ndarray,
    life: np.ndarray,
    extras: np.ndarray,
    price: np.ndarray,
    kw: np.ndarray,
    work: np.ndarray,
    purchases: int,
    months: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """GPU purchases of every site: at online, then every ``life`` months (:func:`econ.build.fleet`).

    Parameters
    ----------
    online, mw : numpy.ndarray
        Month each site comes online and its IT MW, shape (n, S).
    built : numpy.ndarray
        Whether each site is built, shape (n, S) bool.
    life, extras : numpy.ndarray
        Months between purchases and the fleet extras share [1], shape (n,).
    price, kw, work : numpy.ndarray
        The hardware trajectory: system price [USD/GPU], IT kW and work per GPU at each month, (n, M).
    purchases : int
        Purchases K per site to consider.
    months : int
        Horizon [months].

    Returns
    -------
    at, gpus, capacity, cost, retired : numpy.ndarray
        Each shape (n, S, K), as :class:`econ.build.Fleet`.
    """
    n, sites = online.shape
    shape = (n, sites, purchases)
    at, gpus, capacity = np.empty(shape), np.empty(shape), np.empty(shape)
    cost, retired = np.empty(shape), np.empty(shape)
    for i in range(n):
        for s in range(sites):
            for k in range(purchases):
                month = online[i, s] + float(k) * life[i]
                happens = built[i, s] and month <= months
                col = min(max(month, 1.0), float(months)) if happens else 1.0
                c = int(col) - 1
                count = mw[i, s] * 1000.0 / kw[i, c] if happens else 0.0
                gpus[i, s, k] = count
                cost[i, s, k] = count * price[i, c] * (1.0 + extras[i])
                capacity[i, s, k] = count * work[i, c]
                at[i, s, k] = month if happens else np.inf
            for k in range(purchases):
                following = at[i, s, k + 1] if k + 1 < purchases else np.inf
                retired[i, s, k] = following if np.isfinite(following) else np.inf
    return at, gpus, capacity, cost, retired


@njit(cache=True)
def capacity_cost_draws(
    price: np.ndarray,
    kw: np.ndarray,
    work: np.ndarray,
    facility_index: np.ndarray,
    power_index: np.ndarray,
    staff_index: np.ndarray,
    per_draw: np.ndarray,
    hours: float,
) -> np.ndarray:
    """Full cost of a provisioned GPU-hour per unit of work, month by month (:func:`econ.strategies.provider_cost`).

    :func:`econ.hardware.capacity_cost_per_gpu_hour`'s total, element by element with its
    operations in its order, for a hardware trajectory whose facility, power and staff costs
    escalate with an index each, divided by the work per GPU.

    Parameters
    ----------
    price, kw, work : numpy.ndarray
        System price [USD/GPU], IT power [kW/GPU] and work [reference GPUs] per GPU, (n, M).
    facility_index, power_index, staff_index : numpy.ndarray
        Escalation of facility capex, power price and staff cost [1], each (n, M).
    per_draw : numpy.ndarray
        Shape (n, 12), columns: ``1 + extras share``, ``1 - resale share x (1 + r) ** -L``, the
        GPU and facility capital recovery factors [1/year], facility capex [USD/MW of IT], facility
        maintenance and property tax plus insurance shares [1/year], PUE, load share [1], power
        price [USD/MWh], staff [USD/MW/year] and [USD/GPU/year], each at t = 0.
    hours : float
        Hours in a year [h].

    Returns
    -------
    numpy.ndarray
        Cost [USD per reference GPU-hour], shape (n, M).
    """
    n, months = price.shape
    out = np.empty((n, months))
    for i in range(n):
        extras, kept, crf_gpu, crf_facility, facility_usd, maintenance = per_draw[i, 0:6]
        insurance, pue, load, power_usd, staff_mw, staff_gpu = per_draw[i, 6:12]
        for m in range(months):
            system = price[i, m] * extras
            facility = facility_usd * facility_index[i, m] * kw[i, m] / 1000.0
            gpu_capital = system * kept * crf_gpu
            facility_capital = facility * crf_facility
            facility_maintenance = facility * maintenance
            property_tax_insurance = (system + facility) * insurance
            power = kw[i, m] * pue * load * (power_usd * power_index[i, m]) * hours / 1000.0
            staff = staff_mw * staff_index[i, m] * kw[i, m] / 1000.0 + staff_gpu * staff_index[i, m]
            total = 0.0 + gpu_capital / hours
            total = total + facility_capital / hours
            total = total + facility_maintenance / hours
            total = total + property_tax_insurance / hours
            total = total + power / hours
            total = total + staff / hours
            out[i, m] = total / work[i, m]
    return out


@njit(cache=True)
def frontier_draws(
    choice_by_set: np.ndarray, set_of_month: np.ndarray, price: np.ndarray, kw: np.ndarray, work: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The frontier generation of each draw and month, and its price, power and work (:func:`econ.hardware.frontier`).

    Parameters
    ----------
    choice_by_set : numpy.ndarray
        Generation chosen in each draw for each set of available generations, shape (sets, n) int64.
    set_of_month : numpy.ndarray
        The set available in each month, shape (M,) int64.
    price, kw, work : numpy.ndarray
        Each generation's price [USD/GPU], IT power [kW/GPU] and work [reference GPUs], shape (n, G).

    Returns
    -------
    generation, price, kw, work : numpy.ndarray
        Each shape (n, M).
    """
    n = price.shape[0]
    months = set_of_month.shape[0]
    generation = np.empty((n, months), dtype=np.int64)
    p, k, w = np.empty((n, months)), np.empty((n, months)), np.empty((n, months))
    for i in range(n):
        for m in range(months):
            g = choice_by_set[set_of_month[m], i]
            generation[i, m] = g
            p[i, m] = price[i, g]
            k[i, m] = kw[i, g]
            w[i, m] = work[i, g]
    return generation, p, k, w


@njit(cache=True)
def running_indices(
    busy: np.ndarray,
    idle: np.ndarray,
    minimum_take: np.ndarray,
    power_growth: np.ndarray,
    inflation: np.ndarray,
    hours: float,
) -> tuple[np.ndarray, np.ndarray]:
    """Power and water billed per MW-month of owned capacity, as indices of their rates (:func:`econ.build.owned_costs`).

    A fleet draws ``idle + (1 - idle) busy`` of its power; power is billed at least at its
    minimum take and escalates with its price, water follows the draw and inflation.

    Parameters
    ----------
    busy : numpy.ndarray
        Share of installed owned GPU-hours doing work [1], shape (n, M).
    idle, minimum_take : numpy.ndarray
        Idle draw and minimum take, as shares of full power [1], shape (n,).
    power_growth, inflation : numpy.ndarray
        Escalation of the power price and of prices [1], shape (n, M).
    hours : float
        Hours in a month [h].

    Returns
    -------
    power, water : numpy.ndarray
        ``hours x max(draw, minimum take) x power growth`` and ``hours x draw x inflation`` [h], each (n, M).
    """
    n, months = busy.shape
    power = np.empty((n, months))
    water = np.empty((n, months))
    for i in range(n):
        for m in range(months):
            draw = idle[i] + (1.0 - idle[i]) * busy[i, m]
            power[i, m] = hours * _larger(draw, minimum_take[i]) * power_growth[i, m]
            water[i, m] = hours * draw * inflation[i, m]
    return power, water
