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
from econ.inputs import inputs_from_scenario

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
    mw = inputs["site.it_mw"][0]
    weight = mw / mw.sum()

    def site_mean(field: str) -> float:
        return float(np.sum(inputs[f"site.{field}"][0] * weight))

    u = float(inputs["demand.provisioned_utilization"][0])
    idle = float(inputs["hardware.idle_power_share"][0])
    b = float(inputs["hardware.residual_share_per_year"][0])
    life = float(inputs["hardware.refresh_years"][0])
    extras = float(inputs["hardware.network_share"][0] + inputs["hardware.storage_cpu_share"][0] + inputs["hardware.spares_share"][0])
    price = inputs["gen.price_usd_per_gpu"][0] * float(inputs["hardware.price_multiplier"][0])
    kw = inputs["gen.it_power_kw_per_gpu"][0]
    cost = capacity_cost_per_gpu_hour(
        price,
        kw,
        extras_share=np.array(extras),
        rate_annual=inputs["finance.discount_rate_annual"][0],
        gpu_life_years=np.array(life),
        residual_share=np.array(b**life * float(inputs["hardware.liquidation_share"][0])),
        facility_usd_per_mw_it=np.array(site_mean("capex_usd_per_mw_it") * float(inputs["build.facility_capex_multiplier"][0])),
        facility_life_years=inputs["build.facility_life_years"][0],
        maintenance_share_per_year=inputs["build.maintenance_share_of_capex_per_year"][0],
        pue=np.array(site_mean("pue")),
        power_usd_per_mwh=np.array(site_mean("power_price_usd_per_mwh")),
        load_share=np.array(idle + (1.0 - idle) * u),
        staff_usd_per_mw_year=inputs["build.staff_usd_per_mw_per_year"][0],
        staff_usd_per_gpu_year=inputs["build.staff_usd_per_gpu_per_year"][0],
        property_insurance_share_per_year=np.array(site_mean("insurance_share_per_year")),
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

    Returns
    -------
    pandas.DataFrame
        Index ``generation``: ``owned_usd_per_busy_reference_gpu_hour`` and, from the
        quotes, the median ``on_demand``, ``commit_1y`` and ``commit_3y`` price per
        reference GPU-hour (NaN where no quote exists), and ``contract_usd_per_reference_gpu_hour``:
        the scenario's list price at t = 0 less the best discount of its schedule (the price a
        commitment of the scenario's size buys).

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
    table = pd.DataFrame({"owned_usd_per_busy_reference_gpu_hour": owned})
    for pricing in ("on_demand", "commit_1y", "commit_3y"):
        table[f"{pricing}_usd_per_reference_gpu_hour"] = medians[pricing].reindex(table.index) if pricing in medians else np.nan
    inputs = inputs_from_scenario(scenario)
    best = float(np.max(inputs.commit_schedule.discount[0]))
    list_ref = float(inputs["cloud.list_usd_per_gpu_hour"][0] / inputs.list_work_per_gpu)
    table["contract_usd_per_reference_gpu_hour"] = list_ref * (1.0 - best)
    return table
