"""What a GPU-hour costs: owned capacity by generation next to the market's rent quotes.

A SemiAnalysis-style total-cost-of-ownership table: for each accelerator generation of the
scenario, the pre-tax, nominal cost of owning one GPU-hour of capacity
(:func:`econ.hardware.capacity_cost_per_gpu_hour`: capital charge of the GPU system and of
the facility at the WACC, power, maintenance, staff), per GPU-hour provisioned and per
GPU-hour kept busy, beside the cloud prices observed for the same generation
(``data/cloud_gpu_prices.csv``) and the contract prices the scenario's discount schedule
gives. Both sides are also stated per reference GPU-hour, the unit in which generations
compare.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from econ.assumptions import Scenario
from econ.assumptions.tables import load_table
from econ.hardware import capacity_cost_per_gpu_hour
from econ.inputs import Inputs, inputs_from_scenario
from econ.load_shape import fleet_utilization
from econ.utilization import Tier

COMPONENTS = ("gpu_capital", "facility_capital", "facility_maintenance", "property_tax_insurance", "power", "staff")
"""Cost components of owned capacity, in the order the table shows them."""


def owned_cost_by_generation(scenario: Scenario) -> pd.DataFrame:
    """Pre-tax nominal cost of owning a GPU-hour of each generation, by component [USD/GPU-h].

    The owner's inputs are the scenario's: WACC, refresh life and resale, fleet extras,
    the program's IT-MW-weighted average site (facility capex, PUE, power price,
    insurance), staff, and the power draw at the scenario's utilization.

    Returns
    -------
    pandas.DataFrame
        Index ``generation``; the components, ``total_usd_per_gpu_hour`` (capacity, busy or
        not), ``total_usd_per_busy_gpu_hour`` (divided by the utilization) and
        ``total_usd_per_busy_reference_gpu_hour`` (divided by the generation's work).

    Examples
    --------
    >>> from econ.assumptions import load_scenario
    >>> table = owned_cost_by_generation(load_scenario("base"))
    >>> bool((table["total_usd_per_busy_gpu_hour"] > table["total_usd_per_gpu_hour"]).all())
    True
    """
    inputs = inputs_from_scenario(scenario)
    u = float(fleet_utilization(inputs)[0])
    b = float(inputs["hardware.residual_share_per_year"][0])
    life = float(inputs["hardware.refresh_years"][0])
    extras = float(inputs.fleet_extras_share[0])
    price = inputs["gen.price_usd_per_gpu"][0] * float(inputs["hardware.price_multiplier"][0])
    cost = capacity_cost_per_gpu_hour(
        price,
        inputs["gen.it_power_kw_per_gpu"][0],
        extras_share=np.array(extras),
        rate_annual=inputs["finance.discount_rate_annual"][0],
        gpu_life_years=np.array(life),
        residual_share=np.array(b**life * float(inputs["hardware.liquidation_share"][0])),
        **average_site(inputs),
    )
    table = pd.DataFrame({c: cost[c] for c in COMPONENTS}, index=pd.Index(inputs.generation_ids, name="generation"))
    table["total_usd_per_gpu_hour"] = cost["total"]
    table["total_usd_per_busy_gpu_hour"] = cost["total"] / u
    table["total_usd_per_busy_reference_gpu_hour"] = table["total_usd_per_busy_gpu_hour"] / inputs["gen.work_per_gpu"][0]
    return table


def market_quotes(scenario: Scenario) -> pd.DataFrame:
    """Observed cloud prices for the scenario's generations, per GPU-hour and per reference GPU-hour.

    Returns
    -------
    pandas.DataFrame
        One row per quote of ``data/cloud_gpu_prices.csv`` for a generation of the scenario:
        ``generation``, ``provider``, ``provider_class``, ``pricing`` (on_demand, commit_1y,
        commit_3y, spot), ``observed``, ``usd_per_gpu_hour`` and
        ``usd_per_reference_gpu_hour``.

    Examples
    --------
    >>> from econ.assumptions import load_scenario
    >>> quotes = market_quotes(load_scenario("base"))
    >>> {"on_demand", "commit_1y", "commit_3y"} <= set(quotes["pricing"])
    True
    """
    inputs = inputs_from_scenario(scenario)
    work = dict(zip(inputs.generation_ids, inputs["gen.work_per_gpu"][0], strict=True))
    prices = load_table("cloud_gpu_prices").reset_index()
    prices = prices[prices["accelerator_id"].isin(list(work))]
    out = pd.DataFrame(
        {
            "generation": prices["accelerator_id"],
            "provider": prices["provider"],
            "provider_class": prices["provider_class"],
            "pricing": prices["pricing"],
            "observed": prices["observed"].astype(str),
            "usd_per_gpu_hour": prices["gpu_hour_price_usd"].astype(float),
        }
    )
    out["usd_per_reference_gpu_hour"] = out["usd_per_gpu_hour"] / out["generation"].map(work)
    return out.sort_values(["generation", "pricing", "usd_per_gpu_hour"]).reset_index(drop=True)


def unit_cost_table(scenario: Scenario) -> pd.DataFrame:
    """Owned cost next to the market, per busy reference GPU-hour, by generation [USD].

    Everything is per **busy** reference GPU-hour, the unit demand is served in: owned and
    reserved capacity are paid whether busy or not, so their prices are divided by the
    scenario's provisioned utilization; on-demand capacity is paid only while used.

    Returns
    -------
    pandas.DataFrame
        Index ``generation``: ``owned_usd_per_busy_reference_gpu_hour`` and, from the
        quotes, the median on-demand price and the median 1-year and 3-year commitment
        prices per busy reference GPU-hour (``on_demand_usd_per_busy_reference_gpu_hour``,
        ``commit_1y_...``, ``commit_3y_...``; NaN where no quote exists), and
        ``contract_usd_per_busy_reference_gpu_hour``: the scenario's list price at t = 0 less
        the best discount of its schedule (the price a commitment of the scenario's size buys).

    Examples
    --------
    >>> from econ.assumptions import load_scenario
    >>> table = unit_cost_table(load_scenario("base"))
    >>> "owned_usd_per_busy_reference_gpu_hour" in table.columns
    True
    """
    owned = owned_cost_by_generation(scenario)["total_usd_per_busy_reference_gpu_hour"]
    quotes = market_quotes(scenario)
    medians = quotes.pivot_table(index="generation", columns="pricing", values="usd_per_reference_gpu_hour", aggfunc="median")
    inputs = inputs_from_scenario(scenario)
    u = float(fleet_utilization(inputs)[0])
    table = pd.DataFrame({"owned_usd_per_busy_reference_gpu_hour": owned})
    for pricing, paid_idle in (("on_demand", False), ("commit_1y", True), ("commit_3y", True)):
        median = medians[pricing].reindex(table.index) if pricing in medians else np.nan
        table[f"{pricing}_usd_per_busy_reference_gpu_hour"] = median / u if paid_idle else median
    best = float(np.max(inputs.commit_schedule.discount[0]))
    list_ref = float(inputs["cloud.list_usd_per_gpu_hour"][0] / inputs.list_work_per_gpu)
    table["contract_usd_per_busy_reference_gpu_hour"] = list_ref * (1.0 - best) / u
    return table


def gpu_capex_per_mw(scenario: Scenario) -> pd.DataFrame:
    """GPU capex per MW of IT load by generation, next to the published per-MW anchors [USD/MW].

    The model's IT capex per MW of a fleet is ``price x (1 + extras) / kW per GPU x 1000``
    (system price times the fleet extras: fabric at fleet scale, storage and CPU nodes,
    spares). The anchors of ``data/ownership_cost_anchors.csv`` give IT equipment per MW
    either directly or as an all-in cost per MW times the share of it that is compute; they
    come from analysts and vendors in 2025-2026, and their power basis is not always stated.

    Returns
    -------
    pandas.DataFrame
        Index ``generation``: ``system_usd_per_mw_it`` and ``it_capex_usd_per_mw_it`` (the
        model's, the second with extras), ``observed_low_usd_per_mw_it`` and
        ``observed_high_usd_per_mw_it`` (the range of the anchors for that generation,
        NaN where none exists), ``anchors`` (their ids) and ``within_observed``.

    Examples
    --------
    >>> from econ.assumptions import load_scenario
    >>> table = gpu_capex_per_mw(load_scenario("base"))
    >>> bool(table.loc["gb200-nvl72", "within_observed"])
    True
    """
    inputs = inputs_from_scenario(scenario)
    extras = float(inputs.fleet_extras_share[0])
    price = inputs["gen.price_usd_per_gpu"][0] * float(inputs["hardware.price_multiplier"][0])
    system = price / inputs["gen.it_power_kw_per_gpu"][0] * 1000.0
    table = pd.DataFrame(
        {"system_usd_per_mw_it": system, "it_capex_usd_per_mw_it": system * (1.0 + extras)},
        index=pd.Index(inputs.generation_ids, name="generation"),
    )
    anchors = load_table("ownership_cost_anchors")
    anchors = anchors[anchors["anchor_type"].isin(["capex_per_mw", "it_equipment_per_mw"])]
    low, high, ids = [], [], []
    for generation in table.index:
        lows, highs, names = [], [], []
        for anchor_id, row in anchors.iterrows():
            if _GENERATION_OF_PLATFORM.get(str(anchor_id)) is None or generation not in _GENERATION_OF_PLATFORM[str(anchor_id)]:
                continue
            direct = float(row["it_equipment_capex_usd_per_mw"])
            share_low, share_high = float(row["compute_share_fraction_low"]), float(row["compute_share_fraction_high"])
            if np.isfinite(direct):
                lows.append(direct)
                highs.append(direct)
            elif np.isfinite(share_low):
                lows.append(float(row["all_in_capex_usd_per_mw_low"]) * share_low)
                highs.append(float(row["all_in_capex_usd_per_mw_high"]) * share_high)
            else:
                continue
            names.append(str(anchor_id))
        low.append(min(lows) if lows else np.nan)
        high.append(max(highs) if highs else np.nan)
        ids.append(", ".join(names))
    table["observed_low_usd_per_mw_it"] = low
    table["observed_high_usd_per_mw_it"] = high
    table["anchors"] = ids
    table["within_observed"] = (table["it_capex_usd_per_mw_it"] >= table["observed_low_usd_per_mw_it"]) & (
        table["it_capex_usd_per_mw_it"] <= table["observed_high_usd_per_mw_it"]
    )
    return table


_GENERATION_OF_PLATFORM = {
    "nvidia-gw-2025-08": ("gb200-nvl72", "gb300-nvl72"),
    "bernstein-gb200-2025-10": ("gb200-nvl72",),
    "morganstanley-gb300-2026-05": ("gb300-nvl72",),
    "morganstanley-b200-2026-05": ("b200",),
    "morganstanley-h100-2026-05": ("h100-sxm",),
    "iren-dell-gb300-2025-11": ("gb300-nvl72",),
}
"""Which generations each per-MW anchor of ``data/ownership_cost_anchors.csv`` is about (its ``platform`` column)."""


def refresh_scan(scenario: Scenario, years: np.ndarray | None = None, strategy: str = "build") -> pd.DataFrame:
    """NPV cost of a strategy by GPU refresh age, the cloud held as it is: the economic replacement age.

    Replacement analysis by the minimum total cost of the whole program (Blank & Tarquin,
    *Engineering Economy*, 8th ed., 2018, ch. 11: the economic service life minimizes the
    equivalent cost), here with everything a refresh moves in the full model: the sale of
    the old fleet at its used-market value, the newer generation's work per MW and price,
    the capacity rented meanwhile, tax and the value at the horizon. Only the owner's
    ``hardware.refresh_years`` changes: the provider's cost of capacity, and so the cloud
    price path, stays the scenario's, and each age gets its own forecast on that market.

    Parameters
    ----------
    scenario : Scenario
        The scenario.
    years : numpy.ndarray, optional
        Refresh ages tried [years]; by default 1 to 8 in half years.
    strategy : str
        ``"build"`` or ``"hybrid"``.

    Returns
    -------
    pandas.DataFrame
        Index ``refresh_years``: ``npv_cost_usd`` and ``vs_scenario_usd`` (against the
        scenario's own refresh age); ``attrs["economic_refresh_years"]`` (the cheapest age
        tried) and ``attrs["refresh_years"]`` (the scenario's input).

    Examples
    --------
    >>> from econ.assumptions import load_scenario
    >>> scan = refresh_scan(load_scenario("base"), np.array([3.0, 5.0]))
    >>> list(scan.index), scan.attrs["refresh_years"]
    ([3.0, 5.0], 5.0)
    """
    from econ.breakeven import varied_inputs  # econ.breakeven imports econ.strategies, which sits above this module
    from econ.strategies import forecast, market, npv_cost, run_strategy

    if strategy not in ("build", "hybrid"):
        raise ValueError(f"strategy: must be 'build' or 'hybrid'; got {strategy!r}")
    tried = np.arange(1.0, 8.01, 0.5) if years is None else np.atleast_1d(np.asarray(years, dtype=float))
    if not np.all(np.isfinite(tried) & (tried > 0)):
        raise ValueError(f"years [years] must be finite and > 0; got {tried.tolist()}")
    own = float(scenario["hardware.refresh_years"])
    values = np.append(tried, own)
    inputs = varied_inputs(scenario, "hardware.refresh_years", values)
    path, price = market(inputs_from_scenario(scenario))
    shared = (path.repeat(values.size), np.repeat(price, values.size, axis=0))
    cost = npv_cost(inputs, run_strategy(inputs, strategy, forecast(inputs, shared), shared))
    table = pd.DataFrame({"npv_cost_usd": cost[:-1], "vs_scenario_usd": cost[:-1] - cost[-1]}, index=pd.Index(tried, name="refresh_years"))
    table.attrs["economic_refresh_years"] = float(tried[int(np.argmin(cost[:-1]))])
    table.attrs["refresh_years"] = own
    return table


def average_site(inputs: Inputs) -> dict[str, np.ndarray]:
    """The program's IT-MW-weighted average site, as :func:`econ.hardware.capacity_cost_per_gpu_hour` keywords."""
    mw = inputs["site.it_mw"][0]
    weight = mw / mw.sum()

    def site_mean(field: str) -> float:
        return float(np.sum(inputs[f"site.{field}"][0] * weight))

    u = float(fleet_utilization(inputs)[0])
    idle = float(inputs["hardware.idle_power_share"][0])
    return {
        "facility_usd_per_mw_it": np.array(site_mean("capex_usd_per_mw_it") * float(inputs["build.facility_capex_multiplier"][0])),
        "facility_life_years": inputs["build.facility_life_years"][0],
        "maintenance_share_per_year": inputs["build.maintenance_share_of_capex_per_year"][0],
        "pue": np.array(site_mean("pue")),
        "power_usd_per_mwh": np.array(site_mean("power_price_usd_per_mwh")),
        "load_share": np.array(idle + (1.0 - idle) * u),
        "staff_usd_per_mw_year": inputs["build.staff_usd_per_mw_per_year"][0],
        "staff_usd_per_gpu_year": inputs["build.staff_usd_per_gpu_per_year"][0],
        "property_insurance_share_per_year": np.array(site_mean("insurance_share_per_year")),
    }


def capacity_tiers(scenario: Scenario, generation: str | None = None) -> list[Tier]:
    """Owned, committed and on-demand capacity of one generation as screening-curve tiers [USD per reference GPU-hour].

    In the unit demand is served in (a reference GPU-hour of work), so that the sizing of
    :mod:`econ.utilization` applies directly:

    - ``owned``: fixed = the pre-tax cost of owning (:func:`owned_cost_by_generation`) less
      the power drawn above idle, per GPU-hour whether busy or not; variable = that power
      above idle, paid only when busy (``hardware.idle_power_share`` of full-load power is
      drawn whenever the GPU is installed);
    - ``committed``: the scenario's list price less its schedule's best discount, paid
      whether used or not;
    - ``on_demand``: the list price, paid only when used.

    Each owned figure is divided by the generation's work per GPU; the cloud prices are the
    scenario's list generation's, per reference GPU-hour.

    Examples
    --------
    >>> from econ.assumptions import load_scenario
    >>> [t.name for t in capacity_tiers(load_scenario("base"))]
    ['owned', 'committed', 'on_demand']
    """
    inputs = inputs_from_scenario(scenario)
    gen = str(scenario["cloud.list_generation"]) if generation is None else generation
    owned = owned_cost_by_generation(scenario)
    if gen not in owned.index:
        raise ValueError(f"generation: {gen!r} is not one of the scenario's hardware.generation_ids {list(owned.index)}")
    total_cost, average_power = (float(x) for x in owned.loc[gen, ["total_usd_per_gpu_hour", "power"]].to_numpy(dtype=float))
    work = float(inputs["gen.work_per_gpu"][0][list(inputs.generation_ids).index(gen)])
    idle = float(inputs["hardware.idle_power_share"][0])
    u = float(fleet_utilization(inputs)[0])
    full_power = average_power / (idle + (1.0 - idle) * u)  # the table's power is at the average load
    above_idle = (1.0 - idle) * full_power
    list_ref = float(inputs["cloud.list_usd_per_gpu_hour"][0] / inputs.list_work_per_gpu)
    best = float(np.max(inputs.commit_schedule.discount[0]))
    return [
        Tier("owned", (total_cost - u * above_idle) / work, above_idle / work),
        Tier("committed", list_ref * (1.0 - best), 0.0),
        Tier("on_demand", 0.0, list_ref),
    ]
