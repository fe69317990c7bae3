"""Owned capacity programs: site schedules, capacity online, capex, opex, depreciation, residual value.

All functions are vectorized over a leading draw axis ``n`` and a site axis ``S``; nothing
loops over draws. Costs are negative (money out), design.md "Signs".

Schedule of a site (claims C01-C03, C21, C23), in months from t = 0::

    start       = max(requested start, first year whose MW budget fits the site)   (C21)
    permit      = start + permitting                                               (C02)
    equipment   = (start if ordered at risk else permit) + long-lead equipment     (C03)
    grid        = start + grid connection
    mechanical  = permit + construction
    energize    = max(mechanical, equipment, grid) + delay
    online      = max(energize, permit + GPU delivery lead)     (GPUs ordered at permit)

A site whose permit is lost stops at ``permit``: its development spend is sunk and it is
never built (the program does not re-site it).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from econ.finance import macrs_rates, periodic_rate
from econ.inputs import Inputs
from econ.timeline import HOURS_PER_MONTH, event_month, growth, scatter, spread, step

OWNED_CATEGORIES = (
    "development",
    "facility_capex",
    "interest_during_construction",
    "gpu_capex",
    "power",
    "staff",
    "maintenance",
    "water",
    "residual_value",
)
"""Cash-flow categories of the owned program, in the order :func:`owned_costs` returns them."""


@dataclass(frozen=True)
class Schedule:
    """Whole event months per draw and site, shape (n, S), and the MW built.

    ``built`` is False for sites whose permit was lost or that build nothing.
    """

    mw: np.ndarray
    start: np.ndarray
    permit: np.ndarray
    equipment: np.ndarray
    grid: np.ndarray
    mechanical: np.ndarray
    energize: np.ndarray
    online: np.ndarray
    built: np.ndarray


def rate_limited_start(mw: np.ndarray, requested: np.ndarray, max_mw_per_year: np.ndarray) -> np.ndarray:
    """Start month of each site under an annual budget of MW started (claim C21).

    Sites are started in program order; site ``s`` starts in the first year ``k`` whose
    cumulative budget ``(k + 1) * B`` covers the MW of sites ``1..s``, and not before its
    requested month.

    Parameters
    ----------
    mw : numpy.ndarray
        IT MW per site [MW], shape (n, S).
    requested : numpy.ndarray
        Requested start [months], shape (n, S).
    max_mw_per_year : numpy.ndarray
        Budget B [MW/year], shape (n,).

    Returns
    -------
    numpy.ndarray
        Start [months], shape (n, S).

    Examples
    --------
    >>> rate_limited_start(np.array([[200.0, 200, 200, 100]]), np.zeros((1, 4)), np.array([500.0]))
    array([[ 0.,  0., 12., 12.]])
    """
    cumulative = np.cumsum(mw, axis=1)
    year = np.maximum(np.ceil(cumulative / max_mw_per_year[:, None] - 1e-9) - 1.0, 0.0)
    start: np.ndarray = np.maximum(requested, 12.0 * year)
    return start


def site_schedule(inputs: Inputs, build_share: np.ndarray) -> Schedule:
    """Event months of every site for a strategy that builds ``build_share`` of each site's MW.

    Parameters
    ----------
    inputs : Inputs
        Model inputs (site fields ``site.*``, ``build.*``).
    build_share : numpy.ndarray
        Share of each site's IT MW built [1], shape (n,).

    Returns
    -------
    Schedule
        Whole event months (see the module docstring for the critical path).
    """
    mw = inputs["site.it_mw"] * build_share[:, None]
    start = event_month(rate_limited_start(mw, inputs["site.start_month"], inputs["build.max_mw_started_per_year"])) - 1.0
    start = np.maximum(start, 0.0)
    permit = event_month(start + inputs["site.permitting_months"])
    ordered = start if inputs.order_equipment_before_permit else permit
    equipment = event_month(ordered + inputs["site.equipment_lead_months"])
    grid = event_month(start + inputs["site.grid_connection_months"])
    mechanical = event_month(permit + inputs["site.construction_months"])
    energize = event_month(np.maximum(np.maximum(mechanical, equipment), grid) + inputs["site.delay_months"])
    online = np.maximum(energize, event_month(permit + inputs["build.gpu_delivery_lead_months"][:, None]))
    built = (mw > 0) & ~inputs.permit_lost
    return Schedule(mw, start, permit, equipment, grid, mechanical, energize, online, built)


def gpus_per_site(inputs: Inputs, schedule: Schedule) -> np.ndarray:
    """GPUs installed at each built site [GPU], shape (n, S): IT MW x 1000 / kW per GPU."""
    return np.where(schedule.built, schedule.mw * 1000.0 / inputs["accelerator.power_kw_per_gpu"][:, None], 0.0)


def facility_capex(inputs: Inputs, schedule: Schedule) -> np.ndarray:
    """Facility capex per site including overrun [USD, positive], shape (n, S)."""
    capex: np.ndarray = schedule.mw * inputs["site.capex_usd_per_mw_it"] * (1.0 + inputs["site.construction_overrun_share"])
    return capex


def interest_during_construction(
    principal: np.ndarray, draws_from: np.ndarray, n_draws: np.ndarray, repaid: np.ndarray, rate_annual: np.ndarray
) -> np.ndarray:
    """Interest accrued on a construction loan drawn evenly and repaid in one sum [USD].

    ``N`` equal draws ``d = P / N`` at the ends of months ``a + 1 .. a + N``, compounded
    monthly at ``r = (1 + R) ** (1/12) - 1`` until month ``E``:
    ``IDC = d * [(1 + r) ** (E - a - N) * ((1 + r) ** N - 1) / r - N]``, the future value
    of an ordinary annuity less its principal (Brealey, Myers & Allen, *Principles of
    Corporate Finance*, ch. 2; NREL SAM construction financing: Blair et al., *System
    Advisor Model General Description*, NREL/TP-6A20-70414, 2018).

    Parameters
    ----------
    principal : numpy.ndarray
        Total drawn P [USD], shape (n, S).
    draws_from : numpy.ndarray
        Month ``a`` before the first draw [months], shape (n, S).
    n_draws : numpy.ndarray
        Number of monthly draws N >= 1, shape (n, S).
    repaid : numpy.ndarray
        Repayment month E >= a + N [months], shape (n, S).
    rate_annual : numpy.ndarray
        Loan rate R, annual effective [1/year], shape (n,).

    Returns
    -------
    numpy.ndarray
        IDC [USD], shape (n, S); zero when R = 0.

    Examples
    --------
    Zero rate: no interest. At 12 %/year, 12 draws of 100 repaid with the last draw:

    >>> one = lambda x: np.array([[x]])
    >>> float(interest_during_construction(one(1200.0), one(0.0), one(12.0), one(12.0), np.array([0.0]))[0, 0])
    0.0
    >>> r = 1.12 ** (1 / 12) - 1
    >>> idc = interest_during_construction(one(1200.0), one(0.0), one(12.0), one(12.0), np.array([0.12]))[0, 0]
    >>> bool(np.isclose(idc, sum(100 * ((1 + r) ** (12 - j) - 1) for j in range(1, 13))))
    True
    """
    r = periodic_rate(rate_annual, 12)[:, None]
    growth_n = np.expm1(n_draws * np.log1p(r))
    annuity = np.where(r > 0, growth_n / np.where(r > 0, r, 1.0), n_draws)
    carry = np.exp((repaid - draws_from - n_draws) * np.log1p(r))
    idc: np.ndarray = principal / n_draws * (carry * annuity - n_draws)
    return idc


def depreciation(
    months: int, placed: np.ndarray, basis: np.ndarray, rates: np.ndarray, bonus_share: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Tax depreciation by month and the basis left undeducted at the horizon.

    The first-year deduction is the bonus share plus the MACRS rate on the rest (IRC
    §168(k)); tax years are counted from the month placed in service, so year ``j``'s
    deduction falls in month ``placed + 12 j`` (a simplification of calendar tax years).

    Parameters
    ----------
    months : int
        Horizon [months].
    placed : numpy.ndarray
        Month placed in service, shape (n, K).
    basis : numpy.ndarray
        Depreciable basis [USD], shape (n, K).
    rates : numpy.ndarray
        MACRS rates by tax year, shape (Y,), summing to 1 (IRS Publication 946, Table A-1/A-7a).
    bonus_share : numpy.ndarray
        Bonus depreciation share [1], shape (n,).

    Returns
    -------
    deduction : numpy.ndarray
        Deductions [USD, positive], shape (n, months).
    remaining : numpy.ndarray
        Basis of assets placed within the horizon whose deductions fall after it [USD], shape (n,).
    """
    bonus = bonus_share[:, None, None]
    year = np.arange(rates.size)
    share = (1.0 - bonus) * rates[None, None, :] + bonus * (year == 0)[None, None, :]
    at = placed[..., None] + 12.0 * year
    amount = basis[..., None] * share
    inside = placed[..., None] <= months
    deduction = scatter(months, np.where(inside, at, np.inf), amount)
    remaining = np.sum(np.where(inside & (at > months), amount, 0.0), axis=(1, 2))
    return deduction, remaining


def macrs_for(years: int) -> np.ndarray:
    """MACRS rates for a recovery period: half-year tables up to 20 years, mid-month (month 1) for 39."""
    if years in (27, 39):
        return macrs_rates(years, convention="mid-month", month_placed_in_service=1)
    return macrs_rates(years)


def gpu_purchases(inputs: Inputs, schedule: Schedule) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Months, costs and capacity of GPU purchases: at online, then a refresh every useful life.

    Each purchase fills the site's MW with the hardware of its month. Energy efficiency
    improves at ``e`` a year, so a purchase at month ``m`` delivers ``G (1 + e) ** (m / 12)``
    reference-GPU equivalents in the same power (``G`` = MW x 1000 / kW per GPU; Epoch AI,
    "Machine Learning Hardware", energy efficiency trend), and the price of one equivalent
    falls at the price-performance improvement ``p``: it costs ``(server + network) x
    (1 - p) ** (m / 12)`` (Epoch AI, "Trends in GPU price-performance", 2022).

    Returns
    -------
    at : numpy.ndarray
        Purchase months, shape (n, S, K) (``inf`` for purchases that do not happen).
    cost : numpy.ndarray
        Purchase costs [USD, positive], shape (n, S, K).
    capacity : numpy.ndarray
        Reference-GPU equivalents each purchase installs [GPU], shape (n, S, K).
    """
    months = inputs.months
    life = np.maximum(np.round(inputs["accelerator.useful_life_years"] * 12.0), 1.0)[:, None, None]
    k = np.arange(int(np.ceil(months / life.min())) + 1)[None, None, :]
    at = schedule.online[..., None] + k * life
    happens = schedule.built[..., None] & (at <= months)
    years = np.where(happens, at, 0.0) / 12.0
    efficiency = np.power(1.0 + inputs["accelerator.perf_per_watt_improvement_annual"][:, None, None], years)
    capacity = np.where(happens, gpus_per_site(inputs, schedule)[..., None] * efficiency, 0.0)
    unit = (inputs["accelerator.server_price_usd_per_gpu"] + inputs["accelerator.networking_capex_usd_per_gpu"])[:, None, None]
    cost = capacity * unit * np.power(1.0 - inputs["accelerator.price_performance_improvement_annual"][:, None, None], years)
    return np.where(happens, at, np.inf), cost, capacity


Purchases = tuple[np.ndarray, np.ndarray, np.ndarray]
"""What :func:`gpu_purchases` returns: months, costs and capacity, each (n, S, K)."""


def owned_capacity_by_bloc(inputs: Inputs, schedule: Schedule, purchases: Purchases) -> tuple[tuple[str, ...], np.ndarray]:
    """Useful owned capacity [reference-GPU equivalents] per sovereignty bloc, shape (n, B, months).

    A site's capacity is what its latest GPU purchase (from :func:`gpu_purchases`) installed,
    times the owned utilization.
    """
    at, _, capacity = purchases
    useful = capacity * inputs["build.owned_utilization"][:, None, None]
    increment = np.diff(useful, axis=2, prepend=0.0)
    blocs = tuple(dict.fromkeys(inputs.site_blocs))
    site_bloc = np.array(inputs.site_blocs)
    levels = [step(inputs.months, at[:, site_bloc == b], increment[:, site_bloc == b]) for b in blocs]
    return blocs, np.stack(levels, axis=1) if levels else np.zeros((inputs.n, 0, inputs.months))


def owned_costs(
    inputs: Inputs, schedule: Schedule, purchases: Purchases, load: np.ndarray
) -> tuple[dict[str, np.ndarray], np.ndarray, np.ndarray]:
    """Cash flows of the owned program by category, before tax.

    Parameters
    ----------
    inputs : Inputs
        Model inputs.
    schedule : Schedule
        Site schedule of the strategy.
    purchases : Purchases
        GPU purchases of the schedule (:func:`gpu_purchases`).
    load : numpy.ndarray
        Average IT power draw as a share of full load [1], shape (n, months).

    Returns
    -------
    flows : dict of str to numpy.ndarray
        Negative costs and the positive residual value, each shape (n, months):
        ``development``, ``facility_capex``, ``interest_during_construction``, ``gpu_capex``,
        ``power``, ``staff``, ``maintenance``, ``water``, ``residual_value``.
    deduction : numpy.ndarray
        Tax deductions from depreciation and abandoned development [USD, positive], (n, months).
    remaining_basis : numpy.ndarray
        Undeducted tax basis at the horizon [USD], shape (n,).
    """
    months, n = inputs.months, inputs.n
    built = schedule.built
    capex = facility_capex(inputs, schedule)
    dev = capex * inputs["build.development_share_of_capex"][:, None]
    principal = np.where(built, capex - dev, 0.0)
    draws = np.maximum(np.ceil(inputs["site.construction_months"] - 1e-9), 1.0)
    repaid = np.minimum(schedule.energize, months)
    idc = interest_during_construction(
        principal, schedule.permit, draws, np.maximum(repaid, schedule.permit + draws), inputs["finance.construction_loan_rate_annual"]
    )
    flows: dict[str, np.ndarray] = {
        "development": -spread(months, schedule.start, schedule.permit, dev),
        "facility_capex": -scatter(months, repaid, principal),
        "interest_during_construction": -scatter(months, repaid, idc),
    }
    buy_at, buy_cost, _ = purchases
    flows["gpu_capex"] = -scatter(months, buy_at, buy_cost)

    inflation = growth(inputs["finance.inflation_annual"], months)
    mw_on = np.where(built, schedule.mw, 0.0)
    power_rate = mw_on * inputs["site.pue"] * inputs["site.power_price_usd_per_mwh"] * inputs["build.power_price_multiplier"][:, None]
    energy = HOURS_PER_MONTH * load
    flows["power"] = -step(months, schedule.online, power_rate) * energy * growth(inputs["build.power_price_escalation_annual"], months)
    flows["staff"] = -step(months, schedule.energize, mw_on) * (inputs["build.staff_usd_per_mw_per_year"][:, None] / 12.0) * inflation
    facility_cost = np.where(built, capex, 0.0)
    flows["maintenance"] = (
        -step(months, schedule.energize, facility_cost) * (inputs["build.maintenance_share_of_capex_per_year"][:, None] / 12.0) * inflation
    )
    flows["water"] = -step(months, schedule.online, mw_on) * energy * inputs["build.water_usd_per_mwh_it"][:, None] * inflation

    # Tax: facility (capex + development + IDC) from energization, GPUs from purchase;
    # development of a site whose permit is lost is deducted when it is abandoned (IRC §165).
    bonus = inputs["tax.bonus_depreciation_share"]
    facility_bonus = bonus if inputs.facility_macrs_years <= 20 else np.zeros_like(bonus)
    facility_basis = np.where(built, capex + idc, 0.0)
    dep_facility, left_facility = depreciation(
        months, np.where(built, schedule.energize, np.inf), facility_basis, macrs_for(inputs.facility_macrs_years), facility_bonus
    )
    dep_gpu, left_gpu = depreciation(months, buy_at.reshape(n, -1), buy_cost.reshape(n, -1), macrs_for(inputs.gpu_macrs_years), bonus)
    abandoned = scatter(months, schedule.permit, np.where(built | (schedule.mw <= 0), 0.0, dev))

    # Residual value at the horizon: straight-line remaining economic life. A site not yet
    # energized at the horizon is valued at cost (work in progress).
    age_years = (months - schedule.energize) / 12.0
    facility_left = np.where(
        schedule.energize > months, 1.0, np.clip(1.0 - age_years / inputs["build.facility_life_years"][:, None], 0.0, 1.0)
    )
    life_months = np.maximum(np.round(inputs["accelerator.useful_life_years"] * 12.0), 1.0)[:, None, None]
    gpu_left = np.where(np.isfinite(buy_at), np.clip(1.0 - (months - buy_at) / life_months, 0.0, 1.0), 0.0)
    residual = np.sum(facility_basis * facility_left, axis=1) + np.sum(buy_cost * gpu_left, axis=(1, 2))
    flows["residual_value"] = scatter(months, np.full((n, 1), float(months)), residual[:, None])
    return flows, dep_facility + dep_gpu + abandoned, left_facility + left_gpu
