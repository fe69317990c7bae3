"""Owned capacity programs: site schedules, GPU fleets on the hardware trajectory, capex, opex, tax, residual value.

All functions are vectorized over a leading draw axis ``n`` and a site axis ``S``; nothing
loops over draws. Costs are negative (money out), docs/design.md "Signs". Flows are
unlevered: capex is paid as it is spent and discounted at the WACC with everything else
(docs/model.md, "Tax and discounting").

Schedule of a site (claims C01-C03, C21, C23), in months from t = 0::

    start       = max(requested start, first year whose MW budget fits the site)   (C21)
    permit      = start + permitting                                               (C02)
    equipment   = (start if ordered at risk else permit) + long-lead equipment     (C03)
    grid        = start + grid connection
    construction = max(permit, max(equipment, grid) - construction)   (as late as possible)
    mechanical  = construction + construction months
    energize    = max(mechanical, equipment, grid) + delay
    online      = max(energize, permit + GPU delivery lead)     (GPUs ordered at permit)

Construction starts at the permit or, where the grid connection or the long-lead equipment
arrives later, as late as it can without delaying energization: the late-start schedule of the
critical path method, which for a project that only spends maximizes its present value (Russell,
"Cash flows in networks", *Management Science* 16(5), 1970). A shell is not built years before
its power arrives, so a grid-bound site spends later and can still be stopped cheaply.

A site that stops before it is energized is never built (the program does not re-site it).
It stops at ``permit`` when its permit is lost, or at the month the owner abandons it
(``stop_month``, the real option of :mod:`econ.flexibility`), whichever comes first. What was
spent until then (development, the equipment deposit, the facility construction done) is sunk,
less ``build.abandon_salvage_share`` of the construction done, recovered by selling the
partly built site's equipment; a GPU order placed at permit costs
``build.gpu_order_cancellation_share`` of the first fleet to cancel; the land is sold at cost;
the loss is deducted when the site stops (IRC section 165). A lost permit stops the site at
``permit``, before construction and the GPU order, so only development, the deposit and the
land are involved.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from econ.hardware import Trajectory, gpus_in
from econ.inputs import Inputs
from econ.kernels import fleet_draws, running_indices
from econ.ledger import Ledger, Monthly, PresentValue
from econ.tax import deductions
from econ.timeline import HOURS_PER_MONTH, event_month

OWNED_CATEGORIES = (
    "land",
    "development",
    "equipment_deposit",
    "facility_capex",
    "retrofit",
    "gpu_capex",
    "gpu_resale",
    "power",
    "colocation_rent",
    "staff",
    "maintenance",
    "water",
    "property_tax_insurance",
    "residual_value",
)
"""Cash-flow categories of the owned program, in the order :func:`owned_costs` returns them."""

OPEX = ("power", "colocation_rent", "staff", "maintenance", "water", "property_tax_insurance")
"""Owned-program categories deducted from taxable income in the month they are paid."""


@dataclass(frozen=True)
class Schedule:
    """Whole event months per draw and site, shape (n, S), and the MW built.

    ``built`` is False for sites that build nothing or stop before they are energized;
    ``stop`` is the month such a site stops (``inf`` for a site built or building nothing).
    """

    mw: np.ndarray
    start: np.ndarray
    permit: np.ndarray
    equipment: np.ndarray
    grid: np.ndarray
    construction: np.ndarray
    mechanical: np.ndarray
    energize: np.ndarray
    online: np.ndarray
    built: np.ndarray
    stop: np.ndarray


@dataclass(frozen=True)
class Fleet:
    """GPU purchases of every site: at online, then every refresh (arrays shape (n, S, K)).

    Attributes
    ----------
    at : numpy.ndarray
        Purchase months (``inf`` for purchases that do not happen within the horizon).
    gpus : numpy.ndarray
        GPUs bought [GPU].
    capacity : numpy.ndarray
        Reference GPUs of work they provide [1 per hour].
    cost : numpy.ndarray
        System price plus fleet extras [USD, positive].
    retired : numpy.ndarray
        Month each purchase is retired and sold (the next purchase), ``inf`` if held at the horizon.
    cancelled : numpy.ndarray
        Cost of the first purchase a site ordered at permit and then stopped [USD, positive],
        shape (n, S); 0 where the site is built, stopped at or before permit, or would have
        come online after the horizon.
    """

    at: np.ndarray
    gpus: np.ndarray
    capacity: np.ndarray
    cost: np.ndarray
    retired: np.ndarray
    cancelled: np.ndarray


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


def site_starts(inputs: Inputs, mw: np.ndarray, planned: np.ndarray) -> np.ndarray:
    """Whole start month of each site [months], shape (n, S): its planned month, delayed by the MW budget (claim C21).

    Sites of ``mw`` [MW] start no earlier than ``planned`` [months] and, in program order, within
    ``build.max_mw_started_per_year`` (:func:`rate_limited_start`), rounded up to a whole month;
    leased colocation space does not use the building organisation's budget.

    Examples
    --------
    >>> from econ.assumptions import load_scenario
    >>> from econ.inputs import inputs_from_scenario
    >>> inputs = inputs_from_scenario(load_scenario("base"))
    >>> site_starts(inputs, inputs["site.it_mw"], inputs["site.start_month"])[0, :5].tolist()
    [0.0, 0.0, 0.0, 0.0, 12.0]
    """
    limited = rate_limited_start(np.where(inputs.colocation, 0.0, mw), planned, inputs["build.max_mw_started_per_year"])
    start: np.ndarray = np.ceil(np.where(inputs.colocation, planned, limited) - 1e-9) + 0.0  # + 0.0: no negative zero
    return start


def site_schedule(
    inputs: Inputs, build_share: np.ndarray, start_month: np.ndarray | None = None, stop_month: np.ndarray | None = None
) -> Schedule:
    """Event months of every site for a plan that builds ``build_share`` of each site's MW.

    Parameters
    ----------
    inputs : Inputs
        Model inputs (site fields ``site.*``, ``build.*``).
    build_share : numpy.ndarray
        Share of each site's IT MW built [1], shape (n,) (every site alike) or (n, S).
    start_month : numpy.ndarray, optional
        Planned start of each site [months], shape (n, S); the scenario's
        ``site.start_month`` if omitted.
    stop_month : numpy.ndarray, optional
        Month the owner abandons each site [months], shape (n, S), ``inf`` (the default) for
        never; rounded up to a whole month and not before the start, it takes effect only
        before the site is energized and within the horizon (a site stopped after the horizon
        is still building at it, and valued as work in progress).

    Returns
    -------
    Schedule
        Whole event months (see the module docstring for the critical path). The start is
        the rate-limited month rounded up to a whole month (a site planned for month 12
        starts in month 12).

    Examples
    --------
    Abilene abandoned in month 24, before it is energized, and Loudoun in month 200, after:

    >>> from econ.assumptions import load_scenario
    >>> from econ.inputs import inputs_from_scenario
    >>> inputs = inputs_from_scenario(load_scenario("base"))
    >>> stop = np.full((1, len(inputs.site_ids)), np.inf)
    >>> stop[0, :2] = [200.0, 24.0]
    >>> s = site_schedule(inputs, np.ones(1), stop_month=stop)
    >>> s.built[0, :2].tolist(), s.stop[0, :2].tolist()
    ([True, False], [inf, 24.0])
    """
    share = np.asarray(build_share, dtype=float)
    mw = inputs["site.it_mw"] * (share[:, None] if share.ndim == 1 else share)
    planned = inputs["site.start_month"] if start_month is None else start_month
    start = site_starts(inputs, mw, planned)
    permit = np.where(inputs.colocation, start, event_month(start + inputs["site.permitting_months"]))  # leased space: no permit
    ordered = start if inputs.order_equipment_before_permit else permit
    equipment = event_month(ordered + inputs["site.equipment_lead_months"])
    grid = event_month(start + inputs["site.grid_connection_months"])
    months = inputs["site.construction_months"]
    construction = np.maximum(permit, np.floor(np.maximum(equipment, grid) - months + 1e-9))  # late start: done when power is
    mechanical = event_month(construction + months)
    energize = event_month(np.maximum(np.maximum(mechanical, equipment), grid) + inputs["site.delay_months"])
    online = np.maximum(energize, event_month(permit + inputs["build.gpu_delivery_lead_months"][:, None]))
    abandon = np.full(mw.shape, np.inf) if stop_month is None else np.broadcast_to(np.asarray(stop_month, dtype=float), mw.shape)
    abandon = np.ceil(np.maximum(abandon, start) - 1e-9)  # a whole month, not before the start
    abandon = np.where((abandon < energize) & (abandon <= inputs.months), abandon, np.inf)  # before energizing, within the horizon
    stop = np.where(mw > 0, np.minimum(np.where(inputs.permit_lost, permit, np.inf), abandon), np.inf)
    built = (mw > 0) & ~np.isfinite(stop)
    return Schedule(mw, start, permit, equipment, grid, construction, mechanical, energize, online, built, stop)


def fleet(inputs: Inputs, schedule: Schedule, trajectory: Trajectory) -> Fleet:
    """GPU purchases of each site: the frontier at online, replaced every ``refresh_years``.

    Each purchase fills the site's IT MW with the GPUs of its month on the hardware
    trajectory (:mod:`econ.hardware`): ``MW x 1000 / kW per GPU`` GPUs, each worth its
    generation's work, at its system price times ``1 + extras`` (fabric at fleet scale,
    storage and CPU nodes, spares). The purchase it replaces is sold at the refresh. The
    purchases are compiled (:func:`econ.kernels.fleet_draws`); an order cancelled at a stop is not.

    Returns
    -------
    Fleet
        Arrays of shape (n, S, K).
    """
    months = inputs.months
    life = np.maximum(np.round(inputs["hardware.refresh_years"] * 12.0), 1.0)
    purchases = int(np.ceil(months / life.min())) + 1
    site_arrays = (schedule.online, schedule.mw, inputs.fleet_extras_share, life)
    online, mw, extras, every = (np.ascontiguousarray(a, dtype=float) for a in site_arrays)
    price, kw, work = (
        np.ascontiguousarray(a, dtype=float) for a in (trajectory.price_usd_per_gpu, trajectory.it_kw_per_gpu, trajectory.work_per_gpu)
    )
    built = np.ascontiguousarray(schedule.built)
    at, gpus, capacity, cost, retired = fleet_draws(online, built, mw, every, extras, price, kw, work, purchases, months)  # compiled
    ordered = np.isfinite(schedule.stop) & (schedule.stop > schedule.permit) & (schedule.online <= months)
    first_price, first_kw, _ = trajectory.at(np.where(ordered, schedule.online, 1.0))
    cancelled = np.where(ordered, gpus_in(schedule.mw, first_kw) * first_price * (1.0 + inputs.fleet_extras_share[:, None]), 0.0)
    return Fleet(at, gpus, capacity, cost, retired, cancelled)


def resale_share(age_months: np.ndarray, inputs: Inputs, *, sold: bool = True) -> np.ndarray:
    """Value of GPU systems as a share of their cost at an age [1].

    ``b ** age``: the used-price curve (``hardware.residual_share_per_year`` b from dated
    used-GPU prices), so that the value falls with replacement cost on the trajectory rather
    than along straight-line book value. A fleet actually sold (``sold=True``, at a refresh)
    fetches that times the liquidation factor f of selling whole systems
    (``hardware.liquidation_share``); a fleet still in service at the horizon is valued at
    ``b ** age`` alone, what equivalent used capacity costs (a going concern, as NREL SAM's
    salvage value and the terminal value of corporate finance: Brealey, Myers & Allen,
    *Principles of Corporate Finance*, 13th ed., 2020, ch. 19). Marking it at liquidation
    would make a purchase in the horizon's last months lose ``1 - f`` at once and reward
    delaying a site so that a refresh falls outside the horizon.
    """
    b = inputs["hardware.residual_share_per_year"].reshape((-1,) + (1,) * (np.ndim(age_months) - 1))
    f = inputs["hardware.liquidation_share"].reshape(b.shape) if sold else np.ones_like(b)
    share: np.ndarray = np.power(b, np.maximum(age_months, 0.0) / 12.0) * f
    return share


@dataclass(frozen=True)
class OwnedResult:
    """What :func:`owned_costs` returns.

    Attributes
    ----------
    flows : dict of str to numpy.ndarray
        Pre-tax cash flows by category (:data:`OWNED_CATEGORIES`), shape (n, months).
    tax : numpy.ndarray
        The owned program's tax flows at each site's rate: shields on opex, depreciation,
        abandonment and disposal losses, less tax on disposal and residual gains [USD/month],
        shape (n, months) (positive = tax saved).
    facility_capex_usd : numpy.ndarray
        Facility capex per site, escalated, overrun included [USD], shape (n, S).
    """

    flows: dict[str, np.ndarray]
    tax: np.ndarray
    facility_capex_usd: np.ndarray


def price_date(schedule: Schedule) -> np.ndarray:
    """Month whose prices a site's facility capex is stated in: the middle of construction [months], (n, S)."""
    mid: np.ndarray = (schedule.construction + schedule.mechanical) / 2.0
    return mid


def facility_capex(inputs: Inputs, schedule: Schedule) -> np.ndarray:
    """Facility hard capex per site [USD, positive], shape (n, S).

    ``MW x capex per MW (basis year) x multiplier x (1 + e) ** years x (1 + overrun)``: the
    capex of the data's basis year (an annual guide's average, so its middle, ``basis +
    0.5``) escalated at the construction-cost escalation ``e`` to the middle of construction
    (Turner & Townsend and JLL publish the index movements). The market figures exclude
    land and soft costs (``data/facility_capex_ai.csv`` scope notes); those are added by
    :func:`owned_costs`.
    """
    years = inputs["horizon.start_year_fraction"][:, None] - (inputs["site.capex_basis_year"] + 0.5) + price_date(schedule) / 12.0
    escalation = np.power(1.0 + inputs["build.construction_escalation_annual"][:, None], years)
    multiplier = np.where(inputs.colocation, 1.0, inputs["build.facility_capex_multiplier"][:, None])  # markets' capex, not a fit-out
    per_mw = inputs["site.capex_usd_per_mw_it"] * multiplier
    capex: np.ndarray = schedule.mw * per_mw * escalation * (1.0 + inputs["site.construction_overrun_share"])
    return capex


def ledgers(inputs: Inputs, factors: np.ndarray | PresentValue | None = None) -> tuple[Ledger, Ledger]:
    """Where the owned program's cash and its tax go (:mod:`econ.ledger`): by month, or at ``factors`` (n, months).

    ``factors`` may be a :class:`~econ.ledger.PresentValue` ledger already, which is then the cash
    ledger (and keeps its index sums). The tax ledger's factors are those of a loss carried forward
    to ``tax.loss_carry_forward_until_month``; with none carried, the two are one ledger (which then
    reuses its index sums for both).
    """
    if factors is None:
        return Monthly(inputs.n, inputs.months), Monthly(inputs.n, inputs.months)
    cash = factors if isinstance(factors, PresentValue) else PresentValue(factors)
    return cash, cash.carried(float(inputs["tax.loss_carry_forward_until_month"][0]))


def owned_costs(
    inputs: Inputs, schedule: Schedule, fleet_: Fleet, busy: np.ndarray, factors: np.ndarray | PresentValue | None = None
) -> OwnedResult:
    """Cash flows and tax of the owned program.

    Parameters
    ----------
    inputs : Inputs
        Model inputs.
    schedule : Schedule
        Site schedule of the strategy.
    fleet_ : Fleet
        GPU purchases (:func:`fleet`).
    busy : numpy.ndarray
        Share of installed owned GPU-hours doing work [1], shape (n, months).
    factors : numpy.ndarray or PresentValue, optional
        Discount factors, shape (n, months), or a ledger of them (:func:`ledgers`). Given, each flow and the tax are their present
        values [USD], shape (n,), summed event by event without monthly arrays
        (:class:`econ.ledger.PresentValue`); the tax at the factors of its losses carried
        forward (:func:`econ.ledger.carried_factors`), where the monthly tax is not yet carried.

    Returns
    -------
    OwnedResult
        Flows, tax and facility capex.
    """
    months, n = inputs.months, inputs.n
    cash, tax = ledgers(inputs, factors)
    if not schedule.mw.any():  # a program of no sites (renting) spends and earns nothing
        return OwnedResult({name: cash.zero() for name in OWNED_CATEGORIES}, tax.zero(), np.zeros(schedule.mw.shape))
    built, stopped = schedule.built, np.isfinite(schedule.stop)
    site_rate = inputs["site.tax_rate"]
    escalation = inputs["build.construction_escalation_annual"][:, None]
    priced = price_date(schedule)
    capex = facility_capex(inputs, schedule)
    dev = capex * inputs["build.development_share_of_capex"][:, None]  # soft costs, on top of the market's hard capex
    at_risk = inputs.order_equipment_before_permit & ~inputs.colocation  # a leased hall has no long-lead equipment of its own
    deposit = np.where(at_risk, capex * inputs["build.equipment_deposit_share_of_capex"][:, None], 0.0)
    land = schedule.mw * inputs["site.land_acres_per_mw"] * inputs["site.land_usd_per_acre"]
    construction = np.where(built, capex - deposit, 0.0)
    # A stopped site pays what it spent until it stopped (development to permit, construction
    # from its start to mechanical completion, both evenly) and recovers a share of the construction.
    dev_end = np.where(stopped, np.minimum(schedule.permit, schedule.stop), schedule.permit)
    dev_window = schedule.permit - schedule.start
    dev_done = np.where(stopped & (dev_window > 0), (dev_end - schedule.start) / np.where(dev_window > 0, dev_window, 1.0), 1.0)
    build_end = np.where(stopped, np.minimum(schedule.mechanical, schedule.stop), schedule.mechanical)
    build_window = schedule.mechanical - schedule.construction
    built_share = np.clip((build_end - schedule.construction) / np.where(build_window > 0, build_window, 1.0), 0.0, 1.0)
    sunk_construction = np.where(stopped, (capex - deposit) * built_share, 0.0)
    salvage = sunk_construction * inputs["build.abandon_salvage_share"][:, None]
    cancellation = fleet_.cancelled * inputs["build.gpu_order_cancellation_share"][:, None]
    stop_at = np.where(stopped, np.maximum(schedule.stop, 1), np.inf)  # paid at month end, like the start
    flows: dict[str, np.ndarray] = {
        "land": -cash.at(np.maximum(schedule.start, 1), land) + cash.at(stop_at, land),
        "development": -cash.spread(schedule.start, dev_end, dev * dev_done),
        "equipment_deposit": -cash.at(np.maximum(schedule.start, 1), deposit),
        "facility_capex": -cash.spread(schedule.construction, build_end, construction + sunk_construction) + cash.at(stop_at, salvage),
    }
    retrofit_at = np.where(built, schedule.energize + np.round(inputs["build.retrofit_after_years"] * 12.0)[:, None], np.inf)
    retrofit_in = np.isfinite(retrofit_at) & (retrofit_at <= months)
    retrofit_years = (np.where(retrofit_in, retrofit_at, priced) - priced) / 12.0  # escalated from the capex's price date
    retrofit_share = inputs["build.retrofit_share_of_capex"][:, None]
    retrofit = np.where(retrofit_in, capex * retrofit_share * np.power(1.0 + escalation, retrofit_years), 0.0)
    flows["retrofit"] = -cash.at(retrofit_at, retrofit)
    flows["gpu_capex"] = -cash.at(fleet_.at, fleet_.cost) - cash.at(stop_at, cancellation)
    sold = np.isfinite(fleet_.retired) & (fleet_.retired <= months)
    age_at_sale = np.where(sold, fleet_.retired, 0.0) - np.where(sold, fleet_.at, 0.0)
    sale = np.where(sold, fleet_.cost * resale_share(age_at_sale, inputs), 0.0)
    flows["gpu_resale"] = cash.at(np.where(sold, fleet_.retired, np.inf), sale)

    # Running costs. A cost stated in the capex's prices (maintenance, insurance) is indexed
    # from the capex's price date, not from t = 0.
    inflation_rate = inputs["finance.inflation_annual"][:, None]
    inflation = inputs.growth("finance.inflation_annual")
    since_priced = np.power(1.0 + inflation_rate, -priced / 12.0)
    mw_on = np.where(built, schedule.mw, 0.0)
    energy_rate = mw_on * inputs["site.pue"] * inputs["site.power_price_usd_per_mwh"] * inputs["build.power_price_multiplier"][:, None]
    power_index, water_index = running_indices(  # hours of power billed (at least the minimum take) and of water drawn
        np.ascontiguousarray(busy, dtype=float),
        inputs["hardware.idle_power_share"],
        inputs["build.power_minimum_take_share"],
        inputs.growth("build.power_price_escalation_annual"),
        inflation,
        HOURS_PER_MONTH,
    )
    serving = schedule.online + 1.0  # GPUs bought at the end of month `online` serve, and draw power, from the next month
    leased = np.broadcast_to(inputs.colocation, mw_on.shape)
    staff_rate = (
        np.where(leased, 0.0, mw_on) * inputs["build.staff_usd_per_mw_per_year"][:, None] / 12.0
    )  # the landlord's staff are in the rent
    maintenance_rate = np.where(built, capex, 0.0) * inputs["build.maintenance_share_of_capex_per_year"][:, None] / 12.0 * since_priced
    water_rate = np.where(leased, 0.0, mw_on) * inputs["build.water_usd_per_mwh_it"][:, None]  # in the rent
    insured = np.where(built, capex, 0.0) * inputs["site.insurance_share_per_year"] / 12.0 * since_priced

    def opex(at: np.ndarray, rate: np.ndarray, index: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """A running cost switched on at ``at``, and its tax shield at each site's rate."""
        return -cash.step(at, rate, index), tax.step(at, rate * site_rate, index)

    rent_rate = np.where(leased, mw_on, 0.0) * 1000.0 * inputs["colo.price_usd_per_kw_month"][:, None]
    rent_index = inputs.growth("colo.rent_escalation_annual")
    opex_flows = {
        "power": opex(serving, energy_rate, power_index),
        "colocation_rent": opex(schedule.energize, rent_rate, rent_index),
        "staff": opex(schedule.energize, staff_rate, inflation),
        "maintenance": opex(schedule.energize, maintenance_rate, inflation),
        "water": opex(serving, water_rate, water_index),
        "property_tax_insurance": opex(schedule.energize, insured, inflation),
    }
    shield = tax.zero()
    for name, (flow, saved) in opex_flows.items():
        flows[name] = flow
        shield += saved
    # Per-GPU staff (inflated) and, on the GPU systems held, property tax and insurance at each
    # site's own rates; each shielded at its site's tax rate.
    held_cost = np.diff(fleet_.cost, axis=2, prepend=0.0)  # what each purchase adds to the systems held
    gpu_increment = np.diff(fleet_.gpus, axis=2, prepend=0.0)
    staff_per_gpu = inputs["build.staff_usd_per_gpu_per_year"][:, None, None] / 12.0
    gpu_rates = (inputs["site.gpu_property_tax_share_per_year"] + inputs["site.insurance_share_per_year"])[..., None] / 12.0
    gpu_staff = cash.step(fleet_.at, gpu_increment * staff_per_gpu, inflation)
    gpu_property = cash.step(fleet_.at, held_cost * gpu_rates)
    flows["staff"] = flows["staff"] - gpu_staff
    flows["property_tax_insurance"] = flows["property_tax_insurance"] - gpu_property
    shield += tax.step(fleet_.at, gpu_increment * staff_per_gpu * site_rate[..., None], inflation)
    shield += tax.step(fleet_.at, held_cost * gpu_rates * site_rate[..., None])

    # Tax: GPUs from purchase by the server schedule until sold; facility (capex,
    # development, deposit) and retrofit from placement by the facility schedule; a stopped
    # site's spend, less salvage, plus the GPU order's cancellation, when it stops (IRC section 165).
    k = fleet_.at.shape[2]
    placed, cost, retired = (a.reshape(n, -1) for a in (fleet_.at, fleet_.cost, fleet_.retired))
    server_rates = np.repeat(inputs.server_tax_schedules, k, axis=0)
    rate_k = np.repeat(site_rate, k, axis=1)
    gpu_shield, gpu_left = deductions(months, placed, cost, server_rates, retired, shield_rate=rate_k, ledger=tax)
    facility_at = np.where(built, schedule.energize, np.inf)
    facility_basis = np.where(built, capex + dev, 0.0)
    schedules = inputs.facility_tax_schedules
    facility_shield, facility_left = deductions(months, facility_at, facility_basis, schedules, shield_rate=site_rate, ledger=tax)
    retrofit_shield, retrofit_left = deductions(months, retrofit_at, retrofit, schedules, shield_rate=site_rate, ledger=tax)
    abandoned = tax.at(stop_at, (dev * dev_done + deposit + sunk_construction - salvage + cancellation) * site_rate)
    # Sale at refresh: tax on the proceeds over the basis left (a loss is deducted).
    sale_gain = sale - gpu_left.reshape(fleet_.at.shape)
    disposal_tax = tax.at(np.where(sold, fleet_.retired, np.inf), -sale_gain * site_rate[..., None])

    # Residual value at the horizon (a going concern): GPUs at their used-market value, the
    # facility and its retrofit at depreciated replacement cost (their cost escalated from
    # their price date to the horizon, times the economic life left), land at cost.
    held = np.isfinite(fleet_.at) & ~sold
    gpu_value = np.where(held, fleet_.cost * resale_share(months - fleet_.at, inputs, sold=False), 0.0)
    life = np.where(leased, inputs["colo.lease_years"][:, None], inputs["build.facility_life_years"][:, None])  # a fit-out lasts the lease
    age_years = (months - schedule.energize) / 12.0
    replacement = (capex + dev) * np.power(1.0 + escalation, (months - priced) / 12.0)
    # a site still under construction is worth what has been spent on it (work in progress)
    progress = np.clip((months - schedule.construction) / np.maximum(schedule.mechanical - schedule.construction, 1.0), 0.0, 1.0)
    spent = dev + deposit + construction * progress
    in_service = replacement * np.clip(1.0 - age_years / life, 0.0, 1.0)
    facility_value = np.where(built, np.where(schedule.energize > months, spent, in_service), 0.0)
    retrofit_life = np.maximum(life - inputs["build.retrofit_after_years"][:, None], 1.0)
    retrofit_age = np.where(retrofit_in, (months - retrofit_at) / 12.0, 0.0)
    retrofit_value = retrofit * np.power(1.0 + escalation, retrofit_age) * np.clip(1.0 - retrofit_age / retrofit_life, 0.0, 1.0)
    land_value = np.where(built, land, 0.0)
    gpu_value_site = gpu_value.sum(axis=2)
    residual = gpu_value_site + facility_value + retrofit_value + land_value
    horizon = np.full((n, 1), float(months))
    flows["residual_value"] = cash.at(horizon, residual.sum(axis=1)[:, None])
    gpu_left_held = np.where(held, gpu_left.reshape(fleet_.at.shape), 0.0).sum(axis=2)
    facility_basis_left = np.where(schedule.energize > months, spent, facility_left)  # work in progress: its cost
    gain = gpu_value_site - gpu_left_held + np.where(built, facility_value - facility_basis_left, 0.0) + retrofit_value - retrofit_left
    residual_tax = tax.at(horizon, -(gain * site_rate).sum(axis=1)[:, None])

    tax = shield + gpu_shield + facility_shield + retrofit_shield + abandoned + disposal_tax + residual_tax
    ordered = {name: flows[name] for name in OWNED_CATEGORIES}
    return OwnedResult(ordered, tax, capex)
