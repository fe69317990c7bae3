"""Rent, build and hybrid evaluated on the same demand: cash flows, NPV, IRR, payback, breakevens.

Every strategy serves the same demand (:mod:`econ.demand`). Owned capacity
(:mod:`econ.build`) serves first, subject to data sovereignty: a bloc's regulated demand can
only be served by owned sites in that bloc; the rest is rented (:mod:`econ.cloud`).
After-tax cash flows (design.md "Signs": money out negative) are discounted monthly at the
scenario's annual effective discount rate, end-of-month convention.

Taxes: every cost is deductible, expensed costs in the month paid and capital through MACRS
depreciation, each saving ``tax_rate x deduction`` in the month it is taken (the tax shield;
Brealey, Myers & Allen, *Principles of Corporate Finance*, ch. 6). The residual value at the
horizon is taxed on its gain over the undeducted basis (a sale at the horizon).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import brentq

from econ.assumptions import Scenario
from econ.assumptions.schema import STRATEGIES
from econ.build import OWNED_CATEGORIES, Schedule, gpu_purchases, gpus_per_site, owned_capacity_by_bloc, owned_costs, site_schedule
from econ.cloud import cloud_costs
from econ.demand import demand_gpus
from econ.finance import annual_rate, discount_factors, discounted_payback_period, irr, payback_period, periodic_rate
from econ.inputs import Inputs, inputs_from_scenario
from econ.timeline import HOURS_PER_MONTH

EXPENSED = (
    "development",
    "power",
    "staff",
    "maintenance",
    "water",
    "cloud_committed",
    "cloud_overage",
    "cloud_uncommitted",
    "take_or_pay_shortfall",
)
"""Categories deducted from taxable income in the month they are paid."""


@dataclass(frozen=True)
class StrategyRun:
    """Everything one strategy produced for n draws (arrays shape (n, months) unless noted)."""

    flows: dict[str, np.ndarray]
    demand: np.ndarray
    owned_served: np.ndarray
    installed_gpus: np.ndarray
    schedule: Schedule


def serve(
    demand: np.ndarray,
    bloc_shares: np.ndarray,
    demand_blocs: tuple[str, ...],
    regulated_share: np.ndarray,
    capacity: np.ndarray,
    capacity_blocs: tuple[str, ...],
) -> tuple[np.ndarray, np.ndarray]:
    """Demand served by owned capacity, and the regulated demand left to rent in-bloc.

    Regulated demand of bloc b is served only by owned capacity in b; capacity left over
    anywhere serves the unregulated demand of every bloc (claims C09, C10).

    Parameters
    ----------
    demand : numpy.ndarray
        Total demand [GPU], shape (n, months).
    bloc_shares : numpy.ndarray
        Demand share per bloc [1], shape (B,).
    demand_blocs : tuple of str
        Blocs of ``bloc_shares``.
    regulated_share : numpy.ndarray
        Regulated share of each bloc's demand [1], shape (n,).
    capacity : numpy.ndarray
        Useful owned capacity [GPU], shape (n, C, months).
    capacity_blocs : tuple of str
        Blocs of ``capacity``.

    Returns
    -------
    served : numpy.ndarray
        Demand served by owned capacity [GPU], shape (n, months).
    regulated_rented : numpy.ndarray
        Regulated demand rented in-bloc [GPU], shape (n, months).

    Examples
    --------
    Half of demand is in the EU and all of it regulated; the only site is in the US.

    >>> d = np.array([[100.0]])
    >>> served, reg = serve(d, np.array([0.5, 0.5]), ("US", "EU"), np.array([1.0]), np.array([[[80.0]]]), ("US",))
    >>> float(served[0, 0]), float(reg[0, 0])
    (50.0, 50.0)
    """
    total_capacity = capacity.sum(axis=1)
    if not np.any(regulated_share > 0):
        return np.minimum(demand, total_capacity), np.zeros_like(demand)
    reg = regulated_share[:, None]
    served_regulated = np.zeros_like(demand)
    regulated_rented = np.zeros_like(demand)
    for bloc, share in zip(demand_blocs, bloc_shares, strict=True):  # blocs, not draws
        need = demand * share * reg
        own = capacity[:, capacity_blocs.index(bloc)] if bloc in capacity_blocs else np.zeros_like(demand)
        got = np.minimum(need, own)
        served_regulated += got
        regulated_rented += need - got
    unregulated = demand * (1.0 - reg)
    served = served_regulated + np.minimum(unregulated, total_capacity - served_regulated)
    return served, regulated_rented


def run_strategy(inputs: Inputs, strategy: str) -> StrategyRun:
    """After-tax monthly cash flows of one strategy for every draw."""
    build_share = inputs[f"strategies.{strategy}.build_share"]
    commit_share = inputs[f"strategies.{strategy}.commit_share"]
    schedule = site_schedule(inputs, build_share)
    demand = demand_gpus(inputs["demand.gpus_initial"], inputs["demand.growth_annual"], inputs["demand.growth_years"], inputs.months)
    if np.any(build_share > 0):
        purchases = gpu_purchases(inputs, schedule)
        blocs, capacity = owned_capacity_by_bloc(inputs, schedule, purchases)
        served, regulated_rented = serve(demand, inputs.bloc_shares, inputs.blocs, inputs["demand.regulated_share"], capacity, blocs)
        installed = capacity.sum(axis=1) / inputs["build.owned_utilization"][:, None]
        busy = np.divide(served, installed, out=np.zeros_like(served), where=installed > 0)
        idle = inputs["accelerator.idle_power_share"][:, None]
        flows, deduction, remaining_basis = owned_costs(inputs, schedule, purchases, idle + (1.0 - idle) * busy)
    else:  # nothing owned: skip the owned-program arithmetic (same result, all zeros)
        no_capacity = np.zeros((inputs.n, 0, inputs.months))
        served, regulated_rented = serve(demand, inputs.bloc_shares, inputs.blocs, inputs["demand.regulated_share"], no_capacity, ())
        installed = np.zeros_like(demand)
        flows = {c: np.zeros_like(demand) for c in OWNED_CATEGORIES}
        deduction, remaining_basis = np.zeros_like(demand), np.zeros(inputs.n)
    flows |= cloud_costs(inputs, commit_share, demand - served, regulated_rented)
    tax = inputs["finance.tax_rate"][:, None]
    flows["tax_shield_expenses"] = -tax * sum(flows[c] for c in EXPENSED)
    flows["tax_shield_depreciation"] = tax * deduction
    gain = flows["residual_value"].sum(axis=1) - remaining_basis
    flows["tax_on_residual"] = np.zeros_like(demand)
    flows["tax_on_residual"][:, -1] = -tax[:, 0] * gain
    return StrategyRun(flows, demand, served, installed, schedule)


def discount_factors_monthly(rate_annual: np.ndarray, months: int) -> np.ndarray:
    """End-of-month discount factors ``(1 + R) ** (-m / 12)``, shape (n, months)."""
    factors: np.ndarray = discount_factors(periodic_rate(rate_annual, 12), months, convention="excel")
    return factors


def npv_cost(inputs: Inputs, run: StrategyRun) -> np.ndarray:
    """Present value of all after-tax costs, as a positive number [USD], shape (n,)."""
    factors = discount_factors_monthly(inputs["finance.discount_rate_annual"], inputs.months)
    pv: np.ndarray = -np.einsum("nm,nm->n", total_flow(run), factors)
    return pv


def total_flow(run: StrategyRun) -> np.ndarray:
    """Net after-tax cash flow of a strategy [USD/month], shape (n, months)."""
    total: np.ndarray = np.sum(list(run.flows.values()), axis=0)
    return total


def npv_costs(inputs: Inputs) -> dict[str, np.ndarray]:
    """``npv_cost_usd`` of each strategy for every draw, shape (n,) each."""
    return {s: npv_cost(inputs, run_strategy(inputs, s)) for s in STRATEGIES}


def on_time_share(actual: Schedule, planned: Schedule, grace_months: np.ndarray) -> np.ndarray:
    """Share of sites online no later than planned plus the grace period (C01), shape (n,).

    ``planned`` is the deterministic schedule of the scenario (one draw, broadcast); a lost
    site is not on time. ``grace_months`` [months] has shape (n,).
    """
    ok = actual.built & (actual.online <= planned.online + grace_months[:, None])
    return ok.mean(axis=1) if ok.shape[1] else np.full(actual.online.shape[0], np.nan)


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
        Tidy monthly capacity: ``strategy, month, date, demand_gpus, owned_served_gpus, installed_gpus``.
    sites : pandas.DataFrame
        The build strategy's site schedule (event months) and size.
    """

    scenario: Scenario
    summary: pd.DataFrame
    cashflows: pd.DataFrame
    capacity: pd.DataFrame
    sites: pd.DataFrame


def _dates(scenario: Scenario, months: int) -> pd.DatetimeIndex:
    start = pd.Period(str(scenario["horizon.start_month"]), freq="M")
    return pd.period_range(start, periods=months, freq="M").to_timestamp(how="end").normalize()


def evaluate(scenario: Scenario, *, breakevens: bool = True) -> Evaluation:
    """Compare rent, build and hybrid for a scenario's plan (one draw, no permit lost).

    Parameters
    ----------
    scenario : Scenario
        From :func:`econ.load_scenario`.
    breakevens : bool
        Also solve the breakeven cloud price and owned utilization (about 60 extra model runs).

    Returns
    -------
    Evaluation
        ``summary`` columns: ``npv_cost_usd`` (present value of all after-tax costs, positive),
        ``npv_saving_vs_rent_usd``, ``levelized_usd_per_gpu_hour`` (PV cost / PV GPU-hours of
        demand), ``irr_vs_rent_annual`` and ``payback_vs_rent_years`` /
        ``discounted_payback_vs_rent_years`` of the strategy's cash flows minus rent's,
        ``owned_mw``, ``capex_usd`` (undiscounted facility + GPU capex), ``owned_share_of_demand``
        (GPU-hours served by owned capacity), ``breakeven_on_demand_usd_per_gpu_hour`` (the
        t = 0 on-demand price at which the strategy costs as much as rent) and
        ``breakeven_owned_utilization``.

    Examples
    --------
    >>> from econ.assumptions import load_scenario
    >>> result = evaluate(load_scenario("base"), breakevens=False)
    >>> list(result.summary.index)
    ['rent', 'build', 'hybrid']
    """
    inputs = inputs_from_scenario(scenario)
    runs = {s: run_strategy(inputs, s) for s in STRATEGIES}
    months = inputs.months
    factors = discount_factors_monthly(inputs["finance.discount_rate_annual"], months)
    rate = float(inputs["finance.discount_rate_annual"][0])
    dates = _dates(scenario, months)
    rows = {}
    rent_total = total_flow(runs["rent"])[0]
    for s, run in runs.items():
        total = total_flow(run)[0]
        cost = -float(total @ factors[0])
        gpu_hours = float((run.demand[0] * HOURS_PER_MONTH) @ factors[0])
        incremental = np.concatenate([[0.0], total - rent_total])
        capex = -sum(float(run.flows[c].sum()) for c in ("facility_capex", "gpu_capex", "development"))
        rows[s] = {
            "npv_cost_usd": cost,
            "levelized_usd_per_gpu_hour": cost / gpu_hours,
            "owned_mw": float(run.schedule.mw[0][run.schedule.built[0]].sum()),
            "capex_usd": capex,
            "owned_share_of_demand": float(run.owned_served.sum() / run.demand.sum()),
            "irr_vs_rent_annual": _annual_irr(incremental) if s != "rent" else np.nan,
            "payback_vs_rent_years": float(payback_period(incremental)) / 12.0 if s != "rent" else np.nan,
            "discounted_payback_vs_rent_years": float(discounted_payback_period(periodic_rate(rate, 12), incremental)) / 12.0
            if s != "rent"
            else np.nan,
        }
    summary = pd.DataFrame.from_dict(rows, orient="index").rename_axis("strategy")
    summary.insert(1, "npv_saving_vs_rent_usd", float(summary["npv_cost_usd"].to_numpy()[0]) - summary["npv_cost_usd"])
    if breakevens:
        summary["breakeven_on_demand_usd_per_gpu_hour"] = [
            np.nan if s == "rent" else breakeven(scenario, "cloud.on_demand_usd_per_gpu_hour", s) for s in STRATEGIES
        ]
        summary["breakeven_owned_utilization"] = [
            np.nan if s == "rent" else breakeven(scenario, "build.owned_utilization", s) for s in STRATEGIES
        ]
    cashflows = pd.concat(
        [
            pd.DataFrame({"strategy": s, "month": np.arange(1, months + 1), "date": dates, "category": c, "usd": v[0]})
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
                    "month": np.arange(1, months + 1),
                    "date": dates,
                    "demand_gpus": run.demand[0],
                    "owned_served_gpus": run.owned_served[0],
                    "installed_gpus": run.installed_gpus[0],
                }
            )
            for s, run in runs.items()
        ],
        ignore_index=True,
    )
    return Evaluation(scenario, summary, cashflows, capacity, _site_table(inputs, runs["build"].schedule))


def _annual_irr(incremental: np.ndarray) -> float:
    monthly = irr(incremental)
    return float(annual_rate(monthly, 12)) if np.isfinite(monthly) else float("nan")


def _site_table(inputs: Inputs, schedule: Schedule) -> pd.DataFrame:
    gpus = gpus_per_site(inputs, schedule)[0]
    return pd.DataFrame(
        {
            "sovereignty_bloc": inputs.site_blocs,
            "it_mw": schedule.mw[0],
            "gpus": gpus,
            "start_month": schedule.start[0],
            "permit_month": schedule.permit[0],
            "equipment_month": schedule.equipment[0],
            "grid_month": schedule.grid[0],
            "mechanical_month": schedule.mechanical[0],
            "energize_month": schedule.energize[0],
            "online_month": schedule.online[0],
        },
        index=pd.Index(inputs.site_ids, name="site_id"),
    )


def difference_curve(scenario: Scenario, key: str, values: np.ndarray, strategy: str = "build") -> pd.DataFrame:
    """NPV cost of a strategy minus rent's as one input varies, all values in one vectorized run.

    Parameters
    ----------
    scenario : Scenario
        The scenario.
    key : str
        A global numeric scenario key, e.g. ``"cloud.on_demand_usd_per_gpu_hour"``.
    values : numpy.ndarray
        Values to try, in the key's unit.
    strategy : str
        ``"build"`` or ``"hybrid"``.

    Returns
    -------
    pandas.DataFrame
        Columns ``key``, ``value``, ``npv_cost_<strategy>_usd``, ``npv_cost_rent_usd`` and
        ``npv_cost_difference_usd`` (strategy minus rent; negative means the strategy is cheaper).

    Raises
    ------
    ValueError
        If ``key`` is not a global numeric scenario key.

    Examples
    --------
    >>> from econ.assumptions import load_scenario
    >>> curve = difference_curve(load_scenario("base"), "cloud.on_demand_usd_per_gpu_hour", np.array([2.0, 7.0]))
    >>> list(curve.columns)
    ['key', 'value', 'npv_cost_build_usd', 'npv_cost_rent_usd', 'npv_cost_difference_usd']
    >>> bool((curve["npv_cost_difference_usd"] == curve["npv_cost_build_usd"] - curve["npv_cost_rent_usd"]).all())
    True
    """
    values = np.asarray(values, dtype=float)
    base = inputs_from_scenario(scenario)
    if key not in base.arrays or base[key].ndim != 1:
        raise ValueError(f"difference_curve: key {key!r} is not a global numeric scenario key")
    inputs = base.repeat(values.size).with_arrays({key: values})
    own, rent = npv_cost(inputs, run_strategy(inputs, strategy)), npv_cost(inputs, run_strategy(inputs, "rent"))
    return pd.DataFrame(
        {"key": key, "value": values, f"npv_cost_{strategy}_usd": own, "npv_cost_rent_usd": rent, "npv_cost_difference_usd": own - rent}
    )


def breakeven(scenario: Scenario, key: str, strategy: str = "build", *, bounds: tuple[float, float] | None = None) -> float:
    """Value of ``key`` at which ``strategy`` and rent have equal NPV cost; NaN if none in bounds.

    The difference is scanned on a 25-point grid in one vectorized run, then the first sign
    change is refined with Brent's method (Brent, *Algorithms for Minimization without
    Derivatives*, 1973; ``scipy.optimize.brentq``) to 1e-6 relative.

    Parameters
    ----------
    scenario : Scenario
        The scenario.
    key : str
        ``"cloud.on_demand_usd_per_gpu_hour"`` (default bounds: 0.05x to 5x the scenario's
        value) or ``"build.owned_utilization"`` (bounds 0.05 to 1), or another global key
        with ``bounds``.
    strategy : str
        ``"build"`` or ``"hybrid"``.
    bounds : tuple of float, optional
        Search interval in the key's unit.

    Returns
    -------
    float
        The breakeven value, or NaN if the difference does not change sign in the bounds.

    Examples
    --------
    The on-demand price at which building the program costs as much as renting; at that
    price the difference curve crosses zero.

    >>> from econ.assumptions import load_scenario
    >>> base = load_scenario("base")
    >>> price = breakeven(base, "cloud.on_demand_usd_per_gpu_hour")
    >>> at = difference_curve(base, "cloud.on_demand_usd_per_gpu_hour", np.array([price]))
    >>> abs(float(at["npv_cost_difference_usd"].iloc[0])) < 1e-5 * float(at["npv_cost_rent_usd"].iloc[0])
    True
    """
    if bounds is None:
        x0 = float(scenario[key])
        bounds = (0.05, 1.0) if key == "build.owned_utilization" else (0.05 * x0, 5.0 * x0)
    grid = np.linspace(bounds[0], bounds[1], 25)
    diff = difference_curve(scenario, key, grid, strategy)["npv_cost_difference_usd"].to_numpy()
    change = np.flatnonzero(np.sign(diff[:-1]) * np.sign(diff[1:]) <= 0)
    if change.size == 0:
        return float("nan")
    i = int(change[0])

    def f(x: float) -> float:
        return float(difference_curve(scenario, key, np.array([x]), strategy)["npv_cost_difference_usd"].iloc[0])

    if diff[i] == 0:
        return float(grid[i])
    return float(brentq(f, grid[i], grid[i + 1], xtol=1e-9, rtol=1e-6))


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
