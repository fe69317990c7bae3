"""Rent, build and hybrid evaluated on the same demand: cash flows, NPV, IRR, payback.

Every strategy serves the same work (:mod:`econ.demand`) on capacity provisioned at the
same utilization, owned or rented. Owned capacity (:mod:`econ.build`) serves first, subject
to data sovereignty: a bloc's regulated demand can only be served by owned sites in that
bloc; the rest is rented (:mod:`econ.cloud`) under the strategy's own contracts. After-tax
cash flows (money out negative) are discounted monthly at the scenario's annual effective
WACC, end-of-month convention; docs/model.md states the model in full.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from econ.assumptions import Scenario, ScenarioError
from econ.assumptions.schema import STRATEGIES
from econ.build import OWNED_CATEGORIES, Fleet, Schedule, fleet, ledgers, owned_costs, site_schedule
from econ.cloud import (
    Contract,
    cheapest_reservation,
    contract_tier,
    departure_window,
    list_price,
    rented_costs,
    tranche_price,
    tranche_price_in_term,
)
from econ.demand import demand_work, price_response
from econ.finance import annual_rate, discount_factors, discounted_payback_period, irr, payback_period, periodic_rate
from econ.hardware import HOURS_PER_YEAR, Trajectory, capital_charges, frontier, gpus_in
from econ.inputs import Inputs, inputs_from_scenario
from econ.kernels import capacity_cost_draws, serve_draws
from econ.ledger import PresentValue
from econ.load_shape import fleet_utilization, owned_work
from econ.plans import Plan, named_plans
from econ.tax import carry_forward
from econ.timeline import HOURS_PER_MONTH

CLOUD_CATEGORIES = ("cloud_contract", "take_or_pay_shortfall", "cloud_short_term", "departing_premium")
"""Cash-flow categories of rented capacity."""

TAX_CATEGORIES = ("tax_owned", "tax_cloud")
"""Tax flows: of the owned program at each site's rate, and the shield on rent at the home rate."""

CATEGORIES = OWNED_CATEGORIES + CLOUD_CATEGORIES + TAX_CATEGORIES
"""Every cash-flow category a strategy reports, in order."""


def trajectory(inputs: Inputs) -> Trajectory:
    """The hardware trajectory of the inputs' draws (:func:`econ.hardware.frontier`)."""
    growth = (inputs["hardware.price_growth_annual"], inputs["hardware.power_growth_annual"], inputs["hardware.work_growth_annual"])
    return frontier(
        inputs.generation_available_month,
        inputs["gen.price_usd_per_gpu"] * inputs["hardware.price_multiplier"][:, None],
        inputs["gen.it_power_kw_per_gpu"],
        inputs["gen.work_per_gpu"],
        inputs.months,
        float(inputs["hardware.cadence_months"][0]),
        growth,
    )


def provider_cost(inputs: Inputs, path: Trajectory) -> np.ndarray:
    """Full cost to a provider of a reference GPU-hour of frontier capacity bought each month [USD], (n, M).

    :func:`econ.hardware.capacity_cost_per_gpu_hour` per provisioned GPU-hour (a provider
    sells its capacity whole; the buyer carries the utilization), divided by the work per GPU.
    The provider's costs move as the owner's do: facility capex with construction-cost
    escalation, power with the power price escalation, staff with inflation (each from t = 0).
    Evaluated month by month in one compiled pass (:func:`econ.kernels.capacity_cost_draws`),
    the same to the bit.
    """
    rate = inputs["cloud.provider_discount_rate_annual"]
    gpu_life = inputs["hardware.refresh_years"]
    residual = inputs["hardware.residual_share_per_year"] ** gpu_life * inputs["hardware.liquidation_share"]
    kept, crf_gpu, crf_facility = capital_charges(rate, gpu_life, residual, inputs["build.facility_life_years"])
    columns = (
        1.0 + inputs.fleet_extras_share,
        kept,
        crf_gpu,
        crf_facility,
        inputs["cloud.provider_facility_usd_per_mw_it"],
        inputs["build.maintenance_share_of_capex_per_year"],
        np.zeros(inputs.n),  # property tax and insurance: in the provider's facility cost
        inputs["cloud.provider_pue"],
        np.ones(inputs.n),  # a provider's capacity draws full power, busy or not
        inputs["cloud.provider_power_usd_per_mwh"],
        inputs["build.staff_usd_per_mw_per_year"],
        inputs["build.staff_usd_per_gpu_per_year"],
    )
    per_work: np.ndarray = capacity_cost_draws(
        np.ascontiguousarray(path.price_usd_per_gpu, dtype=float),
        np.ascontiguousarray(path.it_kw_per_gpu, dtype=float),
        np.ascontiguousarray(path.work_per_gpu, dtype=float),
        inputs.growth("build.construction_escalation_annual"),
        inputs.growth("build.power_price_escalation_annual"),
        inputs.growth("finance.inflation_annual"),
        np.ascontiguousarray(np.column_stack(np.broadcast_arrays(*columns)), dtype=float),
        HOURS_PER_YEAR,
    )
    return per_work


def cloud_price(inputs: Inputs, path: Trajectory) -> np.ndarray:
    """List price per reference GPU-hour at each month [USD], shape (n, M) (:func:`econ.cloud.list_price`)."""
    k = provider_cost(inputs, path)
    price0 = inputs["cloud.list_usd_per_gpu_hour"] / inputs.list_work_per_gpu
    return list_price(price0, k / k[:, :1], inputs["cloud.markup_change_annual"])


def contract_markup(inputs: Inputs) -> np.ndarray:
    """Best contract price over the provider's full cost of frontier capacity, each month [1], (n, M).

    ``p(t) (1 - d_best) / k(t)``: what the largest, longest commitment pays per reference
    GPU-hour against what the capacity costs its provider (:func:`provider_cost`).

    Examples
    --------
    >>> from econ.assumptions import load_scenario
    >>> markup = contract_markup(inputs_from_scenario(load_scenario("base")))
    >>> bool(1.0 <= markup.min() <= markup.max() <= 1.5)
    True
    """
    path = trajectory(inputs)
    best = inputs.commit_schedule.discount.max(axis=1)
    ratio: np.ndarray = cloud_price(inputs, path) * (1.0 - best)[:, None] / provider_cost(inputs, path)
    return ratio


MARKUP_KEYS = (
    "cloud.list_usd_per_gpu_hour",
    "cloud.list_generation",
    "cloud.commit_discount_level",
    "cloud.markup_change_annual",
    "cloud.contract_markup_low",
    "cloud.contract_markup_high",
    "cloud.provider_facility_usd_per_mw_it",
    "cloud.provider_pue",
    "cloud.provider_power_usd_per_mwh",
    "horizon.start_month",
    "horizon.years",
    "cloud.provider_discount_rate_annual",
    "hardware.generation_ids",
    "hardware.reference_throughput_tokens_per_s_per_gpu",
    "hardware.availability_lag_months",
    "hardware.cadence_months",
    "hardware.price_growth_annual",
    "hardware.power_growth_annual",
    "hardware.work_growth_annual",
    "hardware.price_multiplier",
    "hardware.network_share",
    "hardware.storage_cpu_share",
    "hardware.spares_share",
    "hardware.refresh_years",
    "hardware.residual_share_per_year",
    "hardware.liquidation_share",
    "build.facility_life_years",
    "build.maintenance_share_of_capex_per_year",
    "build.staff_usd_per_mw_per_year",
    "build.staff_usd_per_gpu_per_year",
)
"""Every scenario key the contract markup depends on (:func:`contract_markup`)."""


def check_markup(scenario: Scenario, inputs: Inputs) -> None:
    """Reject a plan whose best contract price leaves the sourced band of provider markups.

    The markup depends on the list price and its trend, the discount schedule, and
    everything that sets the provider's cost (:data:`MARKUP_KEYS`); an early
    ``horizon.start_month``, for instance, prices the list generation against an older
    frontier. The check runs on the scenario (or the Monte Carlo's forecast), not on single
    draws or sensitivity values, which may explore beyond the band.

    Raises
    ------
    ScenarioError
        With the markup at t = 0 and at the horizon and the band, naming first the
        overridden keys among :data:`MARKUP_KEYS`, then the keys that set the price
        (``cloud.list_usd_per_gpu_hour``, ``cloud.commit_discount_level``,
        ``cloud.markup_change_annual``) and the band (``cloud.contract_markup_low``/``_high``).

    Examples
    --------
    >>> from econ.assumptions import load_scenario
    >>> cheap = load_scenario("base", {"cloud.list_usd_per_gpu_hour": 2.0})
    >>> check_markup(cheap, inputs_from_scenario(cheap))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    econ.assumptions.errors.ScenarioError: scenario 'base' is invalid (1 problem):
      - override cloud.list_usd_per_gpu_hour = 2: the best contract price is 0.2...x the provider's full cost at t = 0 ...
    """
    markup = contract_markup(inputs)[0]
    low, high = float(inputs["cloud.contract_markup_low"][0]), float(inputs["cloud.contract_markup_high"][0])
    if markup.min() < low or markup.max() > high:
        overridden = [
            f"{k} = {scenario[k]!r}" if isinstance(scenario[k], str) else f"{k} = {scenario[k]:g}"
            for k in MARKUP_KEYS
            if scenario.sources.get(k) == "override"
        ]
        lead = f"override {', '.join(overridden)}: " if overridden else ""
        raise ScenarioError(
            scenario.name,
            [
                f"{lead}the best contract price is {markup[0]:.3g}x the provider's full cost at t = 0 "
                f"and {markup[-1]:.3g}x at the horizon, "
                f"outside cloud.contract_markup_low..high = [{low:g}, {high:g}] [1]; change cloud.list_usd_per_gpu_hour, "
                "cloud.commit_discount_level or cloud.markup_change_annual, or widen the band with evidence"
            ],
        )


def initial_demand(inputs: Inputs, path: Trajectory) -> np.ndarray:
    """Busy reference GPUs at t = 0: the work of ``demand.initial_it_mw`` of frontier capacity at the fleet's utilization, (n,)."""
    work0: np.ndarray = gpus_in(inputs["demand.initial_it_mw"], path.it_kw_per_gpu[:, 0]) * path.work_per_gpu[:, 0]
    busy: np.ndarray = work0 * fleet_utilization(inputs)
    return busy


@dataclass(frozen=True)
class Forecast:
    """What the decision-maker forecasts at t = 0, per draw of the inputs it was made from.

    Contracts are sized on it and the departure window is set by its site schedule. The
    Monte Carlo makes one forecast from the scenario's central values and meets it with
    every draw, so a draw in which demand falls short or sites slip meets commitments made
    in advance (claims C04, C22); a contract that starts later is re-sized when it is signed,
    by the ratio of the capacity the draw then rents to what the forecast expected. A
    sensitivity run makes one forecast per value it tries.

    Attributes
    ----------
    price : numpy.ndarray
        List price path [USD per reference GPU-hour], shape (n, M).
    rented : dict of str to numpy.ndarray
        Per strategy, the capacity its plan rents [reference GPUs], shape (n, M).
    reserved : dict of str to list of (Contract, numpy.ndarray)
        Per strategy, each contract with the capacity it reserves [reference GPUs], (n, M).
    last_online : dict of str to numpy.ndarray
        Per strategy, the month its last planned site comes online, shape (n,) (NaN if it
        builds nothing).
    """

    price: np.ndarray
    rented: dict[str, np.ndarray]
    reserved: dict[str, list[tuple[Contract, np.ndarray]]]
    last_online: dict[str, np.ndarray]

    def broadcast(self, n: int) -> Forecast:
        """Each of the forecast's rows repeated for ``n / rows`` consecutive draws (a one-draw forecast for all n, as read-only views)."""
        rows = self.price.shape[0]
        if rows == n:
            return self
        if n % rows:
            raise ValueError(f"n: {n} draws cannot be split evenly among a forecast of {rows} rows")

        def rep(a: np.ndarray) -> np.ndarray:  # one row: a read-only view, not n copies
            return np.broadcast_to(a, (n, *a.shape[1:])) if rows == 1 else np.repeat(a, n // rows, axis=0)

        return Forecast(
            rep(self.price),
            {s: rep(v) for s, v in self.rented.items()},
            {s: [(c, rep(r)) for c, r in cs] for s, cs in self.reserved.items()},
            {s: rep(v) for s, v in self.last_online.items()},
        )


@dataclass(frozen=True)
class StrategyRun:
    """Everything one strategy produced for n draws (arrays shape (n, months) unless noted).

    ``flows`` are monthly [USD/month], or their present values [USD], shape (n,), from
    :func:`run_strategy` with ``factors``. ``contracts`` holds each contract with its reserved
    capacity and locked price over its term, shape (n, term_months), and its departing-customer
    premium, shape (n,) (as :func:`econ.cloud.rented_costs` takes them).
    """

    flows: dict[str, np.ndarray]
    demand: np.ndarray
    provisioned: np.ndarray
    owned_served: np.ndarray
    owned_work: np.ndarray
    installed: np.ndarray
    rented_units: np.ndarray
    price: np.ndarray
    schedule: Schedule
    fleet: Fleet
    contracts: list[tuple[Contract, np.ndarray, np.ndarray, np.ndarray]]
    contract_discounts: dict[str, np.ndarray]
    contract_departing: dict[str, np.ndarray]


def serve(
    demand: np.ndarray,
    bloc_shares: np.ndarray,
    demand_blocs: tuple[str, ...],
    regulated_share: np.ndarray,
    serving_from: np.ndarray,
    added: np.ndarray,
    site_blocs: tuple[str, ...],
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Demand served by owned capacity, the regulated demand left to rent in-bloc, and the capacity installed.

    Regulated demand of bloc b is served only by owned capacity in b; capacity left over
    anywhere serves the unregulated demand of every bloc (claims C09, C10). A site's capacity
    is the sum of its purchases from the month each serves. Month by month:
    ``got = sum_b min(D w_b, C_b)`` over the blocs with owned capacity, ``rented = D w - got``
    and ``served = got + min(D (1 - w), C - got)``, for demand D, regulated shares ``w_b`` of
    the total (``w`` their sum), capacity ``C_b`` per bloc and ``C`` in all. Compiled
    (:func:`econ.kernels.serve_draws`).

    Parameters
    ----------
    demand : numpy.ndarray
        Total provisioned demand [reference GPUs], shape (n, months).
    bloc_shares : numpy.ndarray
        Demand share per bloc [1], shape (B,).
    demand_blocs : tuple of str
        Blocs of ``bloc_shares``.
    regulated_share : numpy.ndarray
        Regulated share of each bloc's demand [1], shape (n,) (every bloc alike) or (n, B).
    serving_from : numpy.ndarray
        Month from which each purchase serves [months], shape (n, S, K) (``inf`` for none).
    added : numpy.ndarray
        Reference GPUs each purchase adds, less those of the purchase it replaces, shape (n, S, K).
    site_blocs : tuple of str
        Bloc of each of the S sites.

    Returns
    -------
    served : numpy.ndarray
        Demand served by owned capacity [reference GPUs], shape (n, months).
    regulated_rented : numpy.ndarray
        Regulated demand rented in-bloc [reference GPUs], shape (n, months).
    installed : numpy.ndarray
        Owned capacity installed [reference GPUs], shape (n, months).

    Examples
    --------
    Half of demand is in the EU and all of it regulated; the only site, in the US, has 80
    reference GPUs serving from month 1.

    >>> one = np.array([[[1.0]]])
    >>> served, reg, installed = serve(np.array([[100.0]]), np.array([0.5, 0.5]), ("US", "EU"), np.array([1.0]), one, 80 * one, ("US",))
    >>> float(served[0, 0]), float(reg[0, 0]), float(installed[0, 0])
    (50.0, 50.0, 80.0)
    """
    n = demand.shape[0]
    share_by_bloc = np.asarray(regulated_share, dtype=float)
    reg = np.repeat(share_by_bloc[:, None], len(demand_blocs), axis=1) if share_by_bloc.ndim == 1 else share_by_bloc
    weight = np.ascontiguousarray(reg * np.asarray(bloc_shares, dtype=float))  # regulated demand of each bloc as a share of the total
    capacity_blocs = tuple(dict.fromkeys(site_blocs))
    own = np.array([capacity_blocs.index(b) if b in capacity_blocs else -1 for b in demand_blocs], dtype=np.int64)
    site = np.array([capacity_blocs.index(b) for b in site_blocs], dtype=np.int64)
    shape = (n, len(site_blocs), -1)
    at = np.ascontiguousarray(np.asarray(serving_from, dtype=float).reshape(shape))
    add = np.ascontiguousarray(np.broadcast_to(np.asarray(added, dtype=float), np.shape(serving_from)).reshape(shape))
    result: tuple[np.ndarray, np.ndarray, np.ndarray] = serve_draws(
        np.ascontiguousarray(demand, dtype=float),
        weight,
        weight.sum(axis=1),
        bool(np.any(reg > 0)),
        own,
        site,
        at,
        add,
        len(capacity_blocs),
    )
    return result


def regulated_by_bloc(inputs: Inputs) -> np.ndarray:
    """Regulated share of each bloc's demand [1], shape (n, B).

    ``demand.regulated_shares.<bloc>`` where the scenario states it, else ``demand.regulated_share``.

    Examples
    --------
    >>> from econ.assumptions import load_scenario
    >>> inputs = inputs_from_scenario(load_scenario("base", {"demand.regulated_share": 0.1, "demand.regulated_shares.EU": 0.4}))
    >>> dict(zip(inputs.blocs[:2], regulated_by_bloc(inputs)[0, :2].tolist()))
    {'US': 0.1, 'EU': 0.4}
    """
    stated = inputs.bloc_regulated[None, :]
    by_bloc: np.ndarray = np.where(np.isnan(stated), inputs["demand.regulated_share"][:, None], stated)
    return by_bloc


def demand_path(inputs: Inputs, path: Trajectory, price: np.ndarray, plan_price: np.ndarray) -> np.ndarray:
    """Busy work demanded at the end of each month [reference GPUs], shape (n, M).

    The initial demand (:func:`initial_demand`) grown in two phases (:func:`econ.demand.demand_work`),
    times the response to the price actually paid against the one the growth rates were
    forecast on (:func:`econ.demand.price_response`); equal prices leave the forecast as it is.

    Examples
    --------
    >>> from econ.assumptions import load_scenario
    >>> from econ.inputs import inputs_from_scenario
    >>> inputs = inputs_from_scenario(load_scenario("base"))
    >>> path, price = market(inputs)
    >>> demand_path(inputs, path, price, price).shape == (1, inputs.months)
    True
    """
    grown = demand_work(
        initial_demand(inputs, path),
        inputs["demand.growth_annual"],
        inputs["demand.growth_years"],
        inputs["demand.late_growth_annual"],
        inputs["demand.late_growth_years"],
        inputs.months,
    )
    out: np.ndarray = grown * price_response(price, plan_price, inputs["demand.price_elasticity"])
    return out


def _volumes(
    inputs: Inputs, plan: Plan, path: Trajectory, price: np.ndarray, plan_price: np.ndarray, demand: np.ndarray | None = None
) -> dict[str, np.ndarray | Schedule | Fleet]:
    """Demand (the model's, or the one given), owned capacity and rented hours of a plan (before any money)."""
    demand = demand_path(inputs, path, price, plan_price) if demand is None else demand
    provisioned = demand / fleet_utilization(inputs)[:, None]
    schedule = site_schedule(inputs, plan.shares(inputs.n, len(inputs.site_ids)), plan.starts(inputs), plan.stops(inputs))
    fleet_ = fleet(inputs, schedule, path)
    added = np.diff(fleet_.capacity, axis=2, prepend=0.0)  # a purchase serves from the month after it is paid (docs/design.md)
    served, regulated, installed = serve(
        provisioned, inputs.bloc_shares, inputs.blocs, regulated_by_bloc(inputs), fleet_.at + 1.0, added, inputs.site_blocs
    )
    premium = inputs["demand.sovereign_cloud_premium"][:, None]
    rented_units = provisioned - served + regulated * premium
    return {
        "demand": demand,
        "provisioned": provisioned,
        "schedule": schedule,
        "fleet": fleet_,
        "served": served,
        "installed": installed,
        "rented_units": rented_units,
    }


def _in_window(inputs: Inputs, contract: Contract, last_online: np.ndarray) -> np.ndarray:
    """Whether a contract is signed while the strategy is a departing customer (C04), shape (n,)."""
    window_end = np.nan_to_num(last_online + inputs["cloud.departure_tail_months"], nan=-1.0)
    inside: np.ndarray = contract.start_month < window_end
    return inside


def forecast(inputs: Inputs, shared: tuple[Trajectory, np.ndarray] | None = None, plans: Sequence[Plan] | None = None) -> Forecast:
    """Size every plan's contracts and set its departure window, for each draw's plan.

    ``plans`` defaults to the scenario's named strategies (:func:`econ.plans.named_plans`).

    The plan of a draw is that draw's inputs with no permit lost. Reserved capacity is held
    to the end of its term (a reservation grows tranche by tranche but never shrinks), so a
    contract reserves, in each month of its term, what costs the plan least against renting
    short-term, band by band of its need (``strategies.<s>.reservation = "cheapest"``,
    :func:`econ.cloud.cheapest_reservation`, compared in present value at the WACC), what the
    plan still rents in every later month of it (``"floor"``; the plan's excess is rented
    short-term) or the most the plan has rented so far (``"peak"``; a planned decline is
    paid as take-or-pay). A contract given as ``cover_share`` reserves that share of the
    profile; one given as ``commit_usd`` the profile scaled so that it costs that total at
    its own price. ``shared`` is the market (:func:`market`) to plan on, when it is not the
    inputs' own (an owner's choice varied while the cloud stays as it is).
    """
    plan = inputs.with_arrays({}, permit_lost=np.zeros_like(inputs.permit_lost))
    path, price = market(plan) if shared is None else shared
    rented: dict[str, np.ndarray] = {}
    reserved: dict[str, list[tuple[Contract, np.ndarray]]] = {}
    last_online: dict[str, np.ndarray] = {}
    chosen = list(named_plans(plan).values()) if plans is None else list(plans)
    for decision in chosen:
        strategy = decision.name
        v = _volumes(plan, decision, path, price, price)
        schedule = v["schedule"]
        assert isinstance(schedule, Schedule)
        online = np.where(schedule.built, schedule.online, -np.inf).max(axis=1, initial=-np.inf)
        last_online[strategy] = np.where(np.isfinite(online), online, np.nan)
        units = np.asarray(v["rented_units"])
        rented[strategy] = units
        out = []
        for spec in decision.contracts:
            contract = Contract(spec.name, spec.start_month, spec.term_months)
            # Capacity once reserved is held to the end of the term, so the profile never
            # falls within it: "floor" reserves what the plan still rents in every later
            # month of the term, "peak" the most it has rented so far (a builder whose
            # sites come online then pays for what it no longer needs).
            profile = np.zeros_like(units)
            term = contract.span
            if decision.reservation == "peak":
                profile[:, term] = np.maximum.accumulate(units[:, term], axis=1)
            elif decision.reservation == "cheapest":
                contract_factor = 1.0 - plan.commit_schedule.lookup(contract.term_months, np.full(plan.n, np.inf))
                short_factor = (1.0 - plan.commit_schedule.shortest) * (1.0 + plan["cloud.short_term_premium"])
                factors = discount_factors_monthly(plan["finance.discount_rate_annual"], units.shape[1])[:, term]
                profile[:, term] = cheapest_reservation(
                    units[:, term], price[:, term], contract_factor, short_factor, plan.commit_schedule.shortest_term, factors
                )
            else:
                profile[:, term] = np.minimum.accumulate(units[:, term][:, ::-1], axis=1)[:, ::-1]
            if np.isnan(spec.cover_share):
                premium = np.where(_in_window(plan, contract, last_online[strategy]), plan["cloud.departing_contract_premium"], 0.0)
                d = plan.commit_schedule.lookup(contract.term_months, np.full(plan.n, spec.commit_usd * 12.0 / contract.term_months))
                at_list = np.sum(profile * tranche_price(profile, price, contract), axis=1) * HOURS_PER_MONTH
                cost = at_list * (1.0 - d) * (1.0 + premium)
                profile = profile * (spec.commit_usd / np.where(cost > 0, cost, np.inf))[:, None]
            else:
                profile = profile * spec.cover_share
            out.append((contract, profile))
        reserved[strategy] = out
    return Forecast(price, rented, reserved, last_online)


def market(inputs: Inputs) -> tuple[Trajectory, np.ndarray]:
    """The hardware trajectory and the cloud list price path of the inputs' draws, shared by every strategy."""
    path = trajectory(inputs)
    return path, cloud_price(inputs, path)


def run_strategy(
    inputs: Inputs,
    strategy: str | Plan,
    plan: Forecast,
    shared: tuple[Trajectory, np.ndarray] | None = None,
    demand: np.ndarray | None = None,
    factors: np.ndarray | PresentValue | None = None,
) -> StrategyRun:
    """After-tax monthly cash flows of one strategy (or plan) for every draw, or their present values.

    Parameters
    ----------
    inputs : Inputs
        Model inputs for n draws.
    strategy : str or Plan
        ``"rent"``, ``"build"`` or ``"hybrid"`` (the scenario's named strategies), or a
        :class:`~econ.plans.Plan` that ``plan`` was made for.
    plan : Forecast
        Contract sizes and the planned schedule (:func:`forecast`).
    shared : tuple of (Trajectory, numpy.ndarray), optional
        :func:`market` of the same inputs, when the caller runs several strategies on them, or
        that trajectory with another list price path [USD per reference GPU-hour], shape (n, M)
        (the price paths of :mod:`econ.flexibility`).
    demand : numpy.ndarray, optional
        Busy work demanded [reference GPUs], shape (n, M), instead of the model's
        (:func:`demand_path`): the demand paths of :mod:`econ.flexibility`.
    factors : numpy.ndarray or PresentValue, optional
        The inputs' :func:`discount_factors_monthly`, shape (n, M), or a
        :class:`~econ.ledger.PresentValue` ledger of them (to share its index sums among the
        strategies run on the same draws). Given, each flow is its present value [USD], shape
        (n,), and the owned program's are summed event by event without monthly arrays
        (:mod:`econ.ledger`): what a Monte Carlo needs.

    Returns
    -------
    StrategyRun
        Flows by category (:data:`CATEGORIES`) and the volumes behind them.
    """
    path, price = market(inputs) if shared is None else shared
    plan = plan.broadcast(inputs.n)
    decision = named_plans(inputs)[strategy] if isinstance(strategy, str) else strategy
    strategy = decision.name
    if strategy not in plan.reserved:
        raise ValueError(f"strategy: the forecast was made for {sorted(plan.reserved)}, not for {strategy!r}; pass the plan to forecast()")
    v = _volumes(inputs, decision, path, price, plan.price, demand)
    schedule, fleet_ = v["schedule"], v["fleet"]
    assert isinstance(schedule, Schedule)
    assert isinstance(fleet_, Fleet)
    installed, served = np.asarray(v["installed"]), np.asarray(v["served"])
    work = owned_work(inputs, np.asarray(v["demand"]), served)
    busy = np.divide(work, installed, out=np.zeros_like(served), where=installed > 0)
    owned = owned_costs(inputs, schedule, fleet_, busy, factors)

    last_online = plan.last_online[strategy]
    window = departure_window(inputs.months, last_online, inputs["cloud.departure_tail_months"])
    units = np.asarray(v["rented_units"])
    contracts, discounts, departing = [], {}, {}
    for contract, planned_horizon in plan.reserved[strategy]:
        planned = planned_horizon[:, contract.span]  # the term's months
        if contract.start_month > 0:  # re-sized at signing to the capacity the draw then rents
            expected = plan.rented[strategy][:, contract.start_month - 1]
            ratio = np.divide(units[:, contract.start_month - 1], expected, out=np.ones_like(expected), where=expected > 0)
            planned = planned * ratio[:, None]
        departing[contract.name] = _in_window(inputs, contract, last_online)
        premium = np.where(departing[contract.name], inputs["cloud.departing_contract_premium"], 0.0)
        tranche = tranche_price_in_term(planned, price[:, contract.span], contract)
        discount = contract_tier(planned, price[:, contract.span], contract, inputs.commit_schedule, premium, tranche)
        discounts[contract.name] = discount
        locked = tranche * (1.0 - discount)[:, None]
        contracts.append((contract, planned, locked, premium))
    short_term = (1.0 - inputs.commit_schedule.shortest) * (1.0 + inputs["cloud.short_term_premium"])
    terms = (units, price, contracts, short_term, inputs["cloud.departing_contract_premium"], window, inputs.commit_schedule.shortest_term)
    if factors is None:
        rented = rented_costs(*terms)
        cloud_tax = -inputs["tax.home_rate"][:, None] * sum(rented[c] for c in CLOUD_CATEGORIES)
        until = float(inputs["tax.loss_carry_forward_until_month"][0])
        flows = dict(owned.flows) | rented
        flows["tax_owned"] = carry_forward(owned.tax, until)
        flows["tax_cloud"] = carry_forward(cloud_tax, until)
    else:  # present values; the owned program's come with its tax carried forward
        cash, tax = ledgers(inputs, factors)
        assert isinstance(cash, PresentValue)
        assert isinstance(tax, PresentValue)
        values = rented_costs(*terms, factors=(cash.factors, tax.factors))  # each category at the cash and the tax factors
        flows = dict(owned.flows) | {c: values[c][0] for c in CLOUD_CATEGORIES}
        flows["tax_owned"] = owned.tax
        flows["tax_cloud"] = -inputs["tax.home_rate"] * sum(values[c][1] for c in CLOUD_CATEGORIES)
    return StrategyRun(
        flows={c: flows[c] for c in CATEGORIES},
        demand=np.asarray(v["demand"]),
        provisioned=np.asarray(v["provisioned"]),
        owned_served=served,
        owned_work=work,
        installed=installed,
        rented_units=units,
        price=price,
        schedule=schedule,
        fleet=fleet_,
        contracts=contracts,
        contract_discounts=discounts,
        contract_departing=departing,
    )


def discount_factors_monthly(rate_annual: np.ndarray, months: int) -> np.ndarray:
    """End-of-month discount factors ``(1 + R) ** (-m / 12)``, shape (n, months)."""
    factors: np.ndarray = discount_factors(periodic_rate(rate_annual, 12), months, convention="excel")
    return factors


def total_flow(run: StrategyRun) -> np.ndarray:
    """Net after-tax cash flow of a strategy [USD/month], shape (n, months)."""
    flows = iter(run.flows.values())
    total: np.ndarray = next(flows).copy()
    for flow in flows:
        total += flow
    return total


def npv_cost(inputs: Inputs, run: StrategyRun, factors: np.ndarray | None = None) -> np.ndarray:
    """Present value of all after-tax costs, as a positive number [USD], shape (n,).

    ``factors`` are the inputs' :func:`discount_factors_monthly`, when the caller has them. A
    run whose flows are already present values (:func:`run_strategy` with ``factors``) is summed.
    """
    total = total_flow(run)
    if total.ndim == 1:
        return -total
    if factors is None:
        factors = discount_factors_monthly(inputs["finance.discount_rate_annual"], inputs.months)
    pv: np.ndarray = -np.einsum("nm,nm->n", total, factors)
    return pv


def on_time_share(actual: Schedule, planned: Schedule, grace_months: np.ndarray) -> np.ndarray:
    """Share of sites online no later than planned plus the grace period (C01), shape (n,).

    ``planned`` is the deterministic schedule of the scenario (one draw, broadcast); a lost
    site is not on time. ``grace_months`` [months] has shape (n,).
    """
    ok = actual.built & (actual.online <= planned.online + grace_months[:, None])
    return ok.mean(axis=1) if ok.shape[1] else np.full(actual.online.shape[0], np.nan)


def annual_irr(incremental: np.ndarray) -> float:
    """IRR of monthly flows as an annual effective rate, NaN where it is not unique."""
    monthly = irr(incremental)
    return float(annual_rate(monthly, 12)) if np.isfinite(monthly) else float("nan")


def run_all(inputs: Inputs, plan: Forecast, plans: Sequence[Plan] | None = None) -> dict[str, StrategyRun]:
    """Every strategy (or every plan given, which ``plan`` was made for) on the same inputs."""
    shared = market(inputs)
    chosen: Sequence[str | Plan] = list(STRATEGIES) if plans is None else list(plans)
    runs = [run_strategy(inputs, p, plan, shared) for p in chosen]
    return {p if isinstance(p, str) else p.name: run for p, run in zip(chosen, runs, strict=True)}


def with_rent(inputs: Inputs, plans: Sequence[Plan] | None) -> list[Plan] | None:
    """The plans to compare: the given ones after the named ``rent`` (the reference), or None for the named strategies.

    Raises
    ------
    ValueError
        If two plans share a name.
    """
    if plans is None:
        return None
    names = [p.name for p in plans]
    if len(set(names)) != len(names):
        raise ValueError(f"plans: names must be unique; got {names}")
    rent = named_plans(inputs)["rent"]
    return [rent, *[p for p in plans if p.name != "rent"]]


def _dates(scenario: Scenario, months: int) -> pd.DatetimeIndex:
    start = pd.Period(str(scenario["horizon.start_month"]), freq="M")
    return pd.period_range(start, periods=months, freq="M").to_timestamp(how="end").normalize()


@dataclass(frozen=True)
class Evaluation:
    """Deterministic result of :func:`evaluate`.

    Attributes
    ----------
    scenario : Scenario
        The scenario evaluated.
    summary : pandas.DataFrame
        One row per strategy (``rent``, ``build``, ``hybrid``); columns with units in names.
    cashflows : pandas.DataFrame
        Tidy monthly after-tax cash flows: ``strategy, month, date, category, usd``.
    capacity : pandas.DataFrame
        Tidy monthly volumes: ``strategy, month, date, demand_reference_gpus,
        provisioned_reference_gpus, owned_installed_reference_gpus, owned_served_reference_gpus,
        owned_busy_reference_gpus (the work the owned capacity does),
        rented_reference_gpus, list_usd_per_reference_gpu_hour``.
    sites : pandas.DataFrame
        The build strategy's site schedule (event months) and size (with ``plans``, the
        first plan's after rent).
    contracts : pandas.DataFrame
        Every strategy's contracts: start, term, total, annual size and discount.
    plan : Forecast
        The forecast the contracts were sized on.
    runs : dict of str to StrategyRun
        The raw model runs (one draw).
    """

    scenario: Scenario
    summary: pd.DataFrame
    cashflows: pd.DataFrame
    capacity: pd.DataFrame
    sites: pd.DataFrame
    contracts: pd.DataFrame
    plan: Forecast
    runs: dict[str, StrategyRun]


def evaluate(scenario: Scenario, plans: Sequence[Plan] | None = None) -> Evaluation:
    """Compare rent, build and hybrid, or other plans, for a scenario's central values (one draw, no permit lost).

    Parameters
    ----------
    scenario : Scenario
        From :func:`econ.load_scenario`.
    plans : sequence of Plan, optional
        Plans to evaluate instead of the named build and hybrid (:func:`econ.plans.make_plan`);
        the named ``rent`` is always the first row, the reference of every saving.

    Returns
    -------
    Evaluation
        ``summary`` columns: ``npv_cost_usd`` (present value of all after-tax costs,
        positive), ``npv_saving_vs_rent_usd``, ``irr_vs_rent_annual`` and
        ``payback_vs_rent_years`` / ``discounted_payback_vs_rent_years`` of the strategy's
        cash flows minus rent's, ``owned_mw``, ``capex_usd`` (undiscounted land, facility,
        retrofit and GPU capex), ``owned_share_of_work`` (busy work done by owned capacity,
        over all of it), ``owned_utilization`` (that work over the owned capacity installed,
        NaN if none; :func:`econ.load_shape.owned_work`) and ``take_or_pay_usd``
        (undiscounted shortfall payments).

    Examples
    --------
    >>> from econ.assumptions import load_scenario
    >>> result = evaluate(load_scenario("base"))
    >>> list(result.summary.index)
    ['rent', 'build', 'hybrid']
    >>> bool((result.summary["npv_cost_usd"] > 0).all())
    True
    """
    inputs = inputs_from_scenario(scenario)
    check_markup(scenario, inputs)
    chosen = with_rent(inputs, plans)
    plan = forecast(inputs, plans=chosen)
    runs = run_all(inputs, plan, chosen)
    months = inputs.months
    factors = discount_factors_monthly(inputs["finance.discount_rate_annual"], months)
    rate = float(inputs["finance.discount_rate_annual"][0])
    dates = _dates(scenario, months)
    rows = {}
    rent_total = total_flow(runs["rent"])[0]
    for s, run in runs.items():
        total = total_flow(run)[0]
        incremental = np.concatenate([[0.0], total - rent_total])
        capex = -sum(
            float(run.flows[c].sum()) for c in ("land", "development", "equipment_deposit", "facility_capex", "retrofit", "gpu_capex")
        )
        rows[s] = {
            "npv_cost_usd": -float(total @ factors[0]),
            "owned_mw": float(run.schedule.mw[0][run.schedule.built[0]].sum()),
            "capex_usd": capex,
            "owned_share_of_work": float(run.owned_work.sum() / run.demand.sum()),
            "owned_utilization": float(run.owned_work.sum() / run.installed.sum()) if run.installed.sum() > 0 else np.nan,
            "take_or_pay_usd": -float(run.flows["take_or_pay_shortfall"].sum()),
            "irr_vs_rent_annual": annual_irr(incremental) if s != "rent" else np.nan,
            "payback_vs_rent_years": float(payback_period(incremental)) / 12.0 if s != "rent" else np.nan,
            "discounted_payback_vs_rent_years": float(discounted_payback_period(periodic_rate(rate, 12), incremental)) / 12.0
            if s != "rent"
            else np.nan,
        }
    summary = pd.DataFrame.from_dict(rows, orient="index").rename_axis("strategy")
    summary.insert(1, "npv_saving_vs_rent_usd", float(summary["npv_cost_usd"].to_numpy()[0]) - summary["npv_cost_usd"])
    month = np.arange(1, months + 1)
    cashflows = pd.concat(
        [
            pd.DataFrame({"strategy": s, "month": month, "date": dates, "category": c, "usd": v[0]})
            for s, run in runs.items()
            for c, v in run.flows.items()
        ],
        ignore_index=True,
    )
    capacity = pd.concat(
        [
            pd.DataFrame(
                {
                    "strategy": s,
                    "month": month,
                    "date": dates,
                    "demand_reference_gpus": run.demand[0],
                    "provisioned_reference_gpus": run.provisioned[0],
                    "owned_installed_reference_gpus": run.installed[0],
                    "owned_served_reference_gpus": run.owned_served[0],
                    "owned_busy_reference_gpus": run.owned_work[0],
                    "rented_reference_gpus": run.rented_units[0],
                    "list_usd_per_reference_gpu_hour": run.price[0],
                }
            )
            for s, run in runs.items()
        ],
        ignore_index=True,
    )
    shown = "build" if "build" in runs else next((name for name in runs if name != "rent"), "rent")
    return Evaluation(scenario, summary, cashflows, capacity, _site_table(inputs, runs[shown]), _contract_table(runs), plan, runs)


def _contract_table(runs: dict[str, StrategyRun]) -> pd.DataFrame:
    """Every strategy's contracts as signed in the plan (one draw)."""
    rows = []
    for s, run in runs.items():
        for contract, reserved, locked, premium in run.contracts:
            units = reserved[0]
            total = float(np.sum(units * locked[0]) * HOURS_PER_MONTH * (1.0 + premium[0]))
            rows.append(
                {
                    "strategy": s,
                    "contract": contract.name,
                    "start_month": contract.start_month,
                    "term_months": contract.term_months,
                    "reserved_mean_reference_gpus": float(units.mean()),
                    "commit_usd": total,
                    "annual_commit_usd": total * 12.0 / contract.term_months,
                    "discount": float(run.contract_discounts[contract.name][0]),
                    "price_usd_per_reference_gpu_hour": total / float(units.sum() * HOURS_PER_MONTH) if units.sum() > 0 else float("nan"),
                    "signed_departing": bool(run.contract_departing[contract.name][0]),
                    "departing_premium": float(premium[0]),
                }
            )
    columns = [
        "strategy",
        "contract",
        "start_month",
        "term_months",
        "reserved_mean_reference_gpus",
        "commit_usd",
        "annual_commit_usd",
        "discount",
        "price_usd_per_reference_gpu_hour",
        "signed_departing",
        "departing_premium",
    ]
    return pd.DataFrame(rows, columns=columns)


def _site_table(inputs: Inputs, run: StrategyRun) -> pd.DataFrame:
    schedule = run.schedule
    table = pd.DataFrame(
        {
            "sovereignty_bloc": inputs.site_blocs,
            "country_id": inputs.site_countries,
            "it_mw": schedule.mw[0],
            "first_gpus": run.fleet.gpus[0, :, 0],
            "start_month": schedule.start[0],
            "permit_month": schedule.permit[0],
            "equipment_month": schedule.equipment[0],
            "grid_month": schedule.grid[0],
            "construction_month": schedule.construction[0],
            "mechanical_month": schedule.mechanical[0],
            "energize_month": schedule.energize[0],
            "online_month": schedule.online[0],
        },
        index=pd.Index(inputs.site_ids, name="site_id"),
    )
    shown = ~inputs.colocation | (schedule.mw[0] > 0)  # the colocation option only when the plan leases space
    visible: pd.DataFrame = table.loc[shown]
    return visible


def cumulative_discounted(evaluation: Evaluation) -> pd.DataFrame:
    """Cumulative present value of each strategy's after-tax cash flows by month [USD].

    Returns
    -------
    pandas.DataFrame
        Tidy: ``strategy, month, date, cumulative_pv_usd`` (negative: money out to date).
    """
    rate = np.array([float(evaluation.scenario["finance.discount_rate_annual"])])
    net = evaluation.cashflows.groupby(["strategy", "month", "date"], sort=False)["usd"].sum().reset_index()
    factors = discount_factors_monthly(rate, int(net["month"].max()))[0]
    net["cumulative_pv_usd"] = (net["usd"] * factors[net["month"].to_numpy() - 1]).groupby(net["strategy"]).cumsum()
    return net.drop(columns="usd")
