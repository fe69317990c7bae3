"""Build versus rent: hand computations, invariants, directions, errors, vectorization, Monte Carlo.

The hand computations use the scenario's resolved values, the site schedule rules of
docs/model.md and published tables (IRS Publication 946 for MACRS), never the model's
functions for money: what they take from the model is only the volumes money is paid on
(the hardware trajectory, the rented reference GPUs and the list price path, each tested
on its own).
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import econ
from econ.assumptions import SCENARIO_DIR, ScenarioError, load_scenario
from econ.cloud import Contract, DiscountSchedule, check_schedule, contract_tier, tranche_price
from econ.inputs import inputs_from_scenario
from econ.risk import inverse_cdf, sample_inputs
from econ.strategies import forecast, npv_cost, run_strategy, trajectory

H = 730.0  # hours in a month [h]
OTHER_SITES = [
    "us-tx-abilene",
    "ie-dub-dublin",
    "de-fra-rheinmain",
    "in-navi-mumbai",
    "my-johor-sedenak",
    "za-jnb-samrand",
    "mx-qro-queretaro",
]
SITE = "us-va-loudoun"

FLOOR = {"strategies.rent.reservation": "floor"}
"""Reservations that follow the renter's need exactly (it only grows), for the contract checks by hand."""


def write_scenario(tmp_path: Path, body: str, name: str = "case") -> Path:
    """A scenario file extending base with ``body`` (YAML)."""
    path = tmp_path / f"{name}.yaml"
    path.write_text(f"extends: {SCENARIO_DIR / 'base.yaml'}\nname: {name}\n{body}")
    return path


def one_site(tmp_path: Path, site_extra: str = "") -> Path:
    """Base with only the Loudoun site."""
    nulls = "".join(f"    {s}: null\n" for s in OTHER_SITES)
    return write_scenario(tmp_path, f"build:\n  sites:\n{nulls}{site_extra}", "one")


def build_flows(evaluation: econ.strategies.Evaluation, strategy: str = "build") -> dict[str, np.ndarray]:
    cf = evaluation.cashflows[evaluation.cashflows.strategy == strategy].pivot(index="month", columns="category", values="usd")
    return {c: cf[c].to_numpy() for c in cf.columns}


def pv(flows: np.ndarray, rate: float) -> float:
    months = np.arange(1, flows.size + 1)
    return float(np.sum(flows / (1 + rate) ** (months / 12)))


def at_months(months: int, amounts: dict[int, float]) -> np.ndarray:
    out = np.zeros(months)
    for m, a in amounts.items():
        if 1 <= m <= months:
            out[m - 1] += a
    return out


# One site by hand ---------------------------------------------------------------------------


def hand_schedule(s: econ.assumptions.Scenario) -> dict[str, int]:
    """docs/model.md's critical path, events rounded up to whole months (at least 1)."""
    f = f"build.sites.{SITE}."

    def up(x: float) -> int:
        return max(math.ceil(x - 1e-9), 1)

    start = 0
    permit = up(start + s[f + "permitting_months"])
    equipment = up(start + s[f + "equipment_lead_months"])  # ordered at risk (base)
    grid = up(start + s[f + "grid_connection_months"])
    # construction as late as it can start without delaying energization (the critical path's late start)
    construction = max(permit, math.floor(max(equipment, grid) - s[f + "construction_months"] + 1e-9))
    mechanical = up(construction + s[f + "construction_months"])
    energize = up(max(mechanical, equipment, grid) + s[f + "delay_months"])
    online = max(energize, up(permit + s["build.gpu_delivery_lead_months"]))
    return {
        "start": start,
        "permit": permit,
        "equipment": equipment,
        "grid": grid,
        "construction": construction,
        "mechanical": mechanical,
        "energize": energize,
        "online": online,
    }


def hand_capex(s: econ.assumptions.Scenario, sched: dict[str, int]) -> float:
    """MW x capex per MW of the basis year, escalated to the middle of construction, plus overrun."""
    f = f"build.sites.{SITE}."
    years = 2027 - (s[f + "capex_basis_year"] + 0.5) + (sched["construction"] + sched["mechanical"]) / 24  # to mid-construction
    return (
        s[f + "it_mw"]
        * s[f + "capex_usd_per_mw_it"]
        * s["build.facility_capex_multiplier"]
        * (1 + s["build.construction_escalation_annual"]) ** years
        * (1 + s[f + "construction_overrun_share"])
    )


def test_one_site_schedule_and_facility_capex_by_hand(tmp_path: Path) -> None:
    s = load_scenario(one_site(tmp_path))
    e = econ.evaluate(s)
    sched = hand_schedule(s)
    site = e.sites.loc[SITE]
    assert {k: int(site[f"{k}_month"]) for k in sched} == sched
    capex = hand_capex(s, sched)
    dev = capex * s["build.development_share_of_capex"]  # soft costs, on top of the market's hard capex
    deposit = capex * s["build.equipment_deposit_share_of_capex"]  # a prepayment inside it
    land = s[f"build.sites.{SITE}.it_mw"] * s[f"build.sites.{SITE}.land_acres_per_mw"] * s[f"build.sites.{SITE}.land_usd_per_acre"]
    p, c, m = sched["permit"], sched["construction"], sched["mechanical"]
    expected = {
        "land": at_months(180, {1: -land}),
        "development": at_months(180, dict.fromkeys(range(1, p + 1), -dev / p)),
        "equipment_deposit": at_months(180, {1: -deposit}),
        "facility_capex": at_months(180, dict.fromkeys(range(c + 1, m + 1), -(capex - deposit) / (m - c))),
    }
    got = build_flows(e)
    for category, flow in expected.items():
        np.testing.assert_allclose(got[category], flow, rtol=1e-12, atol=1e-6, err_msg=category)
    # The capital charge during construction: the draws carried at the WACC to energization
    # (monthly compounding of the annual effective rate) and paid then are worth exactly what
    # the model's flows are worth, so the model charges the WACC on capital tied up.
    r = s["finance.discount_rate_annual"]
    draws = sum(expected.values())
    energize = sched["energize"]
    carried = sum(-d * ((1 + r) ** ((energize - k) / 12) - 1) for k, d in enumerate(draws, start=1) if d)
    assert carried > 0.1 * -draws.sum()  # years of development and waiting for the grid cost a lot
    # built from the permit instead, the same spend would be carried longer: the late start saves that
    early = draws - expected["facility_capex"] + at_months(180, dict.fromkeys(range(p + 1, p + 1 + m - c), -(capex - deposit) / (m - c)))
    assert c > p and sum(-d * ((1 + r) ** ((energize - k) / 12) - 1) for k, d in enumerate(early, start=1) if d) > carried
    paid_at_energization = at_months(180, {energize: draws.sum() - carried})
    model_facility = sum(got[c] for c in expected)
    assert pv(model_facility, r) == pytest.approx(pv(paid_at_energization, r), rel=1e-12)


def hand_fleet(s: econ.assumptions.Scenario) -> dict[int, float]:
    """Purchases at online and every refresh: MW x 1000 / kW per GPU, at price x (1 + extras) [USD]."""
    online = hand_schedule(s)["online"]
    life = round(s["hardware.refresh_years"] * 12)
    path = trajectory(inputs_from_scenario(s))
    extras = s["hardware.network_share"] + s["hardware.storage_cpu_share"] + s["hardware.spares_share"]
    return {
        m: s[f"build.sites.{SITE}.it_mw"] * 1000 / path.it_kw_per_gpu[0, m - 1] * path.price_usd_per_gpu[0, m - 1] * (1 + extras)
        for m in range(online, 181, life)
    }


def test_one_site_gpu_purchases_refresh_and_resale_by_hand(tmp_path: Path) -> None:
    s = load_scenario(one_site(tmp_path))
    e = econ.evaluate(s)
    online = hand_schedule(s)["online"]
    life = round(s["hardware.refresh_years"] * 12)
    cost = hand_fleet(s)
    assert len(cost) >= 2  # at least one refresh inside the horizon
    path = trajectory(inputs_from_scenario(s))
    b, f = s["hardware.residual_share_per_year"], s["hardware.liquidation_share"]
    got = build_flows(e)
    np.testing.assert_allclose(got["gpu_capex"], at_months(180, {m: -c for m, c in cost.items()}), rtol=1e-12)
    resale = {m + life: c * b ** (life / 12) * f for m, c in cost.items() if m + life <= 180}
    np.testing.assert_allclose(got["gpu_resale"], at_months(180, resale), rtol=1e-12)
    assert int(e.sites.loc[SITE, "first_gpus"]) == int(s[f"build.sites.{SITE}.it_mw"] * 1000 / path.it_kw_per_gpu[0, online - 1])


def test_one_site_power_by_hand(tmp_path: Path) -> None:
    """Power from the month after the GPUs are bought: MW x PUE x price x hours x billed load, escalated."""
    s = load_scenario(one_site(tmp_path))
    got = build_flows(econ.evaluate(s))
    online = hand_schedule(s)["online"]
    f = f"build.sites.{SITE}."
    idle, u = s["hardware.idle_power_share"], s["demand.provisioned_utilization"]
    billed = max(idle + (1 - idle) * u, s["build.power_minimum_take_share"])  # demand exceeds one site: it is busy at u
    months = np.arange(1, 181)
    rate = s[f + "it_mw"] * s[f + "pue"] * s[f + "power_price_usd_per_mwh"] * s["build.power_price_multiplier"] * H * billed
    expected = np.where(months > online, -rate * (1 + s["build.power_price_escalation_annual"]) ** (months / 12), 0.0)
    np.testing.assert_allclose(got["power"], expected, rtol=1e-12)


MACRS_39_JANUARY = [11.5 / 12 / 39] + [1 / 39] * 38 + [0.5 / 12 / 39]
"""39-year straight line, mid-month convention, placed in service in month 1 [1] (IRS
Publication 946, ch. 4). Table A-7a prints 2.461 %, 2.564 % and 0.107 %; its year 1 is the
plug that makes the rounded column sum to 100 % (the exact 2.4573 %), see
tests/test_finance_published.py."""


def test_macrs_39_fractions_match_the_published_table() -> None:
    assert [round(100 * x, 3) for x in (MACRS_39_JANUARY[1], MACRS_39_JANUARY[-1])] == [2.564, 0.107]
    assert MACRS_39_JANUARY[0] == pytest.approx(0.02461, abs=4e-5)
    assert sum(MACRS_39_JANUARY) == pytest.approx(1.0, rel=1e-15)


def test_one_site_tax_by_hand(tmp_path: Path) -> None:
    """Every tax flow of one US site: opex shields, 100 % bonus, 39-year building, sale and residual gains."""
    s = load_scenario(one_site(tmp_path))
    e = econ.evaluate(s)
    got = build_flows(e)
    tau = s[f"build.sites.{SITE}.tax_rate"]
    sched = hand_schedule(s)
    capex = hand_capex(s, sched)
    energize = sched["energize"]
    # Opex is deducted when paid; GPUs (MACRS 5-year with 100 % bonus) when bought; a sale is
    # taxed on its whole price (no basis left).
    opex = sum(got[c] for c in ("power", "staff", "maintenance", "water", "property_tax_insurance"))
    expected = -tau * opex - tau * got["gpu_capex"] - tau * got["gpu_resale"]
    # Facility (hard capex plus development): 60 % plant (15-year, 100 % bonus), 40 % building
    # (39-year, mid-month), from energization, on tax-year anniversaries; the retrofit, at its
    # cost escalated from the capex's price date (mid-construction), the same way.
    e_c = s["build.construction_escalation_annual"]
    priced = (sched["construction"] + sched["mechanical"]) / 2
    facility = capex * (1 + s["build.development_share_of_capex"])
    plant, building = 0.6, 0.4
    retrofit_at = energize + round(s["build.retrofit_after_years"] * 12)
    retrofit = capex * s["build.retrofit_share_of_capex"] * (1 + e_c) ** ((retrofit_at - priced) / 12) if retrofit_at <= 180 else 0.0
    left = {}
    for basis, placed, name in ((facility, energize, "facility"), (retrofit, retrofit_at, "retrofit")):
        if placed > 180:
            left[name] = 0.0
            continue
        years = [placed + 12 * k for k in range(40) if placed + 12 * k <= 180]
        shield = {m: tau * basis * building * MACRS_39_JANUARY[k] for k, m in enumerate(years)}
        shield[placed] += tau * basis * plant
        expected = expected + at_months(180, shield)
        left[name] = basis * building * (1 - sum(MACRS_39_JANUARY[: len(years)]))
    # Horizon (a going concern): GPUs held at their used-market value b ** age, the facility and
    # the retrofit at depreciated replacement cost (escalated from their price dates), land at
    # cost (no gain); tax on the gain over the basis left.
    life = s["build.facility_life_years"]
    facility_value = facility * (1 + e_c) ** ((180 - priced) / 12) * max(1 - (180 - energize) / 12 / life, 0)
    retrofit_age = (180 - retrofit_at) / 12
    retrofit_life = life - s["build.retrofit_after_years"]
    retrofit_value = retrofit * (1 + e_c) ** retrofit_age * max(1 - retrofit_age / retrofit_life, 0) if retrofit else 0.0
    land = s[f"build.sites.{SITE}.it_mw"] * s[f"build.sites.{SITE}.land_acres_per_mw"] * s[f"build.sites.{SITE}.land_usd_per_acre"]
    refresh = round(s["hardware.refresh_years"] * 12)
    b = s["hardware.residual_share_per_year"]
    gpu_value = sum(c * b ** ((180 - m) / 12) for m, c in hand_fleet(s).items() if m + refresh > 180)
    assert got["residual_value"][-1] == pytest.approx(gpu_value + facility_value + retrofit_value + land, rel=1e-12)
    gain = gpu_value + facility_value + retrofit_value - left["facility"] - left["retrofit"]
    expected = expected + at_months(180, {180: -tau * gain})
    np.testing.assert_allclose(got["tax_owned"], expected, rtol=1e-9, atol=1e-3)
    # Over the horizon the program pays tax on exactly its net pre-tax result (land aside,
    # which is neither deducted nor gains): every dollar of basis is deducted or offsets a gain.
    owned = sum(got[c] for c in econ.build.OWNED_CATEGORIES) + land * at_months(180, {1: 1.0, 180: -1.0})
    assert got["tax_owned"].sum() == pytest.approx(-tau * owned.sum(), rel=1e-9)


# Rent's reservations, take-or-pay and renewals by hand ---------------------------------------


def locked_prices(reserved: np.ndarray, price: np.ndarray, start: int, end: int) -> np.ndarray:
    """Average price of a contract's tranches, each priced when it is added (a loop, by hand)."""
    out = np.zeros(reserved.size)
    units = paid = 0.0
    for k in range(start, end):
        added = max(reserved[k] - (reserved[k - 1] if k > start else 0.0), 0.0)
        units += added
        paid += added * price[k]
        out[k] = paid / units if units else 0.0
    return out


def rent_volumes(e: econ.strategies.Evaluation, strategy: str = "rent") -> tuple[np.ndarray, np.ndarray]:
    cap = e.capacity[e.capacity.strategy == strategy]
    return cap["rented_reference_gpus"].to_numpy(), cap["list_usd_per_reference_gpu_hour"].to_numpy()


def test_rent_reservations_by_hand() -> None:
    """Base with ``floor`` reservations: each five-year contract reserves what the plan rents, priced by tranche at the 60-month tier.

    The renter's need only grows, so ``floor`` reserves it exactly; base's own ``cheapest`` shape is
    checked against the independent model (tests/test_independent_model.py).
    """
    s = load_scenario("base", FLOOR)
    e = econ.evaluate(s)
    units, price = rent_volumes(e)
    got = build_flows(e, "rent")
    level = s["cloud.commit_discount_level"]
    schedule = inputs_from_scenario(s).commit_schedule
    expected = np.zeros(180)
    for start in (0, 60, 120):
        locked = locked_prices(units, price, start, start + 60)
        annual = float(np.sum(units[start : start + 60] * locked[start : start + 60]) * H * 12 / 60)
        d = float(schedule.lookup(60.0, np.array([annual * (1 - schedule.discount[0].max())]))[0])
        assert d == pytest.approx(schedule.discount[0].max())  # tens of billions a year: the best tier
        expected[start : start + 60] = -units[start : start + 60] * locked[start : start + 60] * (1 - d) * H
    assert level == 0.5
    np.testing.assert_allclose(got["cloud_contract"], expected, rtol=1e-12)
    assert not got["take_or_pay_shortfall"].any() and not got["cloud_short_term"].any()
    tau = inputs_from_scenario(s)["tax.home_rate"][0]
    np.testing.assert_allclose(got["tax_cloud"], -tau * expected, rtol=1e-12)


def test_renewal_happens_on_its_own_stated_terms(tmp_path: Path) -> None:
    """c2 renews for one year only; until c3 the renter rents one-year tranches at the 1-year price plus the premium.

    Each tranche is bought when the need beyond what earlier tranches hold appears, priced
    then, and paid for twelve months, so the last ones run on, idle, into c3's term.
    """
    s = load_scenario("base", {"strategies.rent.contracts.c2.term_months": 12} | FLOOR)
    e = econ.evaluate(s)
    units, price = rent_volumes(e)
    got = build_flows(e, "rent")
    schedule = inputs_from_scenario(s).commit_schedule
    one_year = float(schedule.discount[0][schedule.term_months == 12].max())
    row = e.contracts.set_index(["strategy", "contract"]).loc[("rent", "c2")]
    assert row.term_months == 12 and row.discount == pytest.approx(one_year)
    locked = locked_prices(units, price, 60, 72)
    np.testing.assert_allclose(got["cloud_contract"][60:72], -units[60:72] * locked[60:72] * (1 - one_year) * H, rtol=1e-12)
    gap = slice(72, 120)
    need = np.zeros(180)
    need[gap] = units[gap]
    held, short = np.zeros(180 + 12), np.zeros(180 + 12)
    for t in range(180):
        add = max(need[t] - held[t], 0.0)
        for k in range(t, t + 12):
            held[k] += add
            short[k] += add * price[t] * (1 - one_year) * (1 + s["cloud.short_term_premium"])
    np.testing.assert_allclose(got["cloud_short_term"], -short[:180] * H, rtol=1e-12, atol=1e-6)
    assert got["cloud_short_term"][120:131].any()  # tranches bought before c3 are still paid, idle
    assert not got["cloud_contract"][gap].any()
    assert e.contracts.set_index(["strategy", "contract"]).loc[("rent", "c3"), "discount"] == pytest.approx(schedule.discount[0].max())


def test_reserved_capacity_is_held_to_the_end_of_its_term() -> None:
    """A builder's need falls when its sites come online; a reservation cannot follow it down.

    "peak" holds the most the plan has rented so far and pays the planned decline as
    take-or-pay; "floor" reserves only what the plan still rents to the end of the term and
    rents the rest short-term. Renting, whose plan only grows, is the same either way.
    """
    shapes = {}
    for shape in ("floor", "peak"):
        s = load_scenario("base", {f"strategies.{x}.reservation": shape for x in ("rent", "build", "hybrid")})
        shapes[shape] = econ.evaluate(s)
    peak, floor = (build_flows(shapes[k]) for k in ("peak", "floor"))
    assert peak["take_or_pay_shortfall"].sum() < 0 and not floor["take_or_pay_shortfall"].any()
    assert -floor["cloud_short_term"].sum() > -peak["cloud_short_term"].sum()
    np.testing.assert_allclose(
        build_flows(shapes["peak"], "rent")["cloud_contract"], build_flows(shapes["floor"], "rent")["cloud_contract"]
    )
    with pytest.raises(ValueError, match=r"contracts\.c1: the reserved capacity \[reference GPUs\] falls within the term"):
        tranche_price(np.array([[10.0, 5.0, 10.0]]), np.array([[2.0, 1.0, 1.0]]), Contract("c1", 0, 3))


def commit_scenario(tmp_path: Path, commit_usd: float) -> Path:
    """Rent holds one 15-year contract of a fixed total; the other strategies as base."""
    return write_scenario(
        tmp_path,
        "strategies:\n  rent:\n    contracts:\n"
        f"      c1: {{start_month: 0, term_months: 180, cover_share: null, commit_usd: {commit_usd!r}}}\n"
        "      c2: null\n      c3: null\n",
        "commit",
    )


def test_binding_take_or_pay_charges_the_commitment_and_is_flat_in_price(tmp_path: Path) -> None:
    """A commitment 1.5x what the plan needs: the renter pays exactly the commitment, whatever the price.

    The commitment reserves the plan's profile scaled to cost its total; a higher list price
    buys fewer reserved units for the same dollars, all still above demand, so renting costs
    the same at every price: its take-or-pay binds. Building's cost still moves with the price.
    """
    full = load_scenario(
        write_scenario(
            tmp_path,
            "strategies:\n  rent:\n    contracts:\n      c1: {start_month: 0, term_months: 180}\n      c2: null\n      c3: null\n",
            "full",
        )
    )
    full = full.with_overrides(FLOOR)
    needed = float(econ.evaluate(full).contracts.set_index(["strategy", "contract"]).at[("rent", "c1"), "commit_usd"])
    s = load_scenario(commit_scenario(tmp_path, 1.5 * needed)).with_overrides(FLOOR)
    got = build_flows(econ.evaluate(s), "rent")
    paid = got["cloud_contract"] + got["take_or_pay_shortfall"] + got["departing_premium"]
    assert -paid.sum() == pytest.approx(1.5 * needed, rel=1e-12)
    assert -got["take_or_pay_shortfall"].sum() == pytest.approx(0.5 * needed, rel=1e-9)
    assert not got["cloud_short_term"].any()
    prices = np.array([8.0, 10.5, 13.0])
    curve = econ.difference_curve(s, "cloud.list_usd_per_gpu_hour", prices)
    rent = curve["npv_cost_rent_usd"].to_numpy()
    np.testing.assert_allclose(rent, rent[0], rtol=1e-12)
    assert np.all(np.diff(curve["npv_cost_build_usd"].to_numpy()) > 0)


# Invariants and directions -------------------------------------------------------------------


@pytest.mark.parametrize("strategy", ["build", "hybrid"])
def test_higher_cloud_price_never_makes_building_worse_under_symmetric_terms(strategy: str) -> None:
    # Base terms are symmetric (same schedule, calendar and cover for every strategy; no
    # departing-customer premium) and nothing binds, so a builder rents less work than the
    # renter in every month and a higher price can only help it.
    base = load_scenario("base")
    assert base["cloud.departing_contract_premium"] == 0
    diff = econ.difference_curve(base, "cloud.list_usd_per_gpu_hour", np.linspace(4.0, 20.0, 17), strategy)[
        "npv_cost_difference_usd"
    ].to_numpy()
    assert np.all(np.diff(diff) <= 1e-9 * np.abs(diff).max())
    assert diff[-1] < diff[0]


@pytest.mark.parametrize(
    "overrides",
    [
        {},
        {"cloud.departing_contract_premium": 0.2, "cloud.departure_tail_months": 24.0},
        {"demand.price_elasticity": 0.0, "cloud.commit_discount_level": 0.0, "tax.loss_carry_forward_until_month": 36},
    ],
)
def test_waterfall_sums_to_the_difference(overrides: dict[str, float]) -> None:
    e = econ.evaluate(load_scenario("base", overrides))
    for strategy in ("build", "hybrid"):
        w = econ.waterfall(e, strategy)
        total = e.summary.at[strategy, "npv_cost_usd"] - e.summary.at["rent", "npv_cost_usd"]
        assert w["npv_cost_difference_usd"].sum() == pytest.approx(total, rel=1e-12, abs=1e-3)
    if overrides.get("cloud.departing_contract_premium"):
        assert w.at["departing-customer premium", "npv_cost_difference_usd"] > 0


def test_waterfall_shows_take_or_pay_when_the_commitment_binds(tmp_path: Path) -> None:
    body = "strategies:\n  build:\n    contracts:\n      c1: {start_month: 0, term_months: 60, cover_share: null, commit_usd: 5.0e+11}\n"
    e = econ.evaluate(load_scenario(write_scenario(tmp_path, body, "binding")))
    w = econ.waterfall(e, "build")
    assert w.at["take-or-pay", "npv_cost_difference_usd"] > 0
    total = e.summary.at["build", "npv_cost_usd"] - e.summary.at["rent", "npv_cost_usd"]
    assert w["npv_cost_difference_usd"].sum() == pytest.approx(total, rel=1e-12)


def test_breakeven_directions_on_hand_built_cases() -> None:
    base = load_scenario("base")
    price = econ.breakeven(base, "cloud.list_usd_per_gpu_hour", bounds=(2.0, 40.0))
    assert price.cheaper_when == "above" and 2.0 < price.value < 40.0
    diff = econ.difference_curve(base, "cloud.list_usd_per_gpu_hour", np.array([price.value * 0.9, price.value, price.value * 1.1]))
    d = diff["npv_cost_difference_usd"].to_numpy()
    assert d[0] > 0 > d[2] and abs(d[1]) < 1e-6 * base_rent_cost()
    capex = econ.breakeven(base, "build.facility_capex_multiplier", bounds=(0.2, 6.0))
    assert capex.cheaper_when == "below"
    assert "build is cheaper than rent when build.facility_capex_multiplier is below" in str(capex)
    assert econ.breakeven(base, "cloud.list_usd_per_gpu_hour", bounds=(30.0, 40.0)).cheaper_when == "everywhere"
    nowhere = econ.breakeven(base, "cloud.list_usd_per_gpu_hour", bounds=(0.5, 1.0))
    assert nowhere.cheaper_when == "nowhere" and math.isnan(nowhere.value)
    assert "nowhere in [0.5, 1] [USD/GPU-h]" in str(nowhere)


def base_rent_cost() -> float:
    return float(econ.evaluate(load_scenario("base")).summary.at["rent", "npv_cost_usd"])


def test_breakeven_equalizes_costs() -> None:
    scenario = load_scenario("base")
    b = econ.breakeven(scenario, "demand.provisioned_utilization", bounds=(0.3, 0.95))
    if b.cheaper_when in ("above", "below"):
        diff = econ.difference_curve(scenario, "demand.provisioned_utilization", np.array([b.value]))["npv_cost_difference_usd"].iloc[0]
        assert abs(diff) < 1e-6 * base_rent_cost()


# The discount schedule --------------------------------------------------------------------


@given(st.floats(0.0, 1.0), st.floats(0.0, 5e10), st.floats(0.0, 5e10), st.sampled_from([12.0, 24.0, 36.0, 60.0, 120.0]))
def test_discount_is_monotone_in_size_and_term(level: float, a: float, b: float, term: float) -> None:
    s = load_scenario("base", {"cloud.commit_discount_level": level})
    schedule = inputs_from_scenario(s).commit_schedule
    small, large = sorted((a, b))
    assert schedule.lookup(term, np.array([small]))[0] <= schedule.lookup(term, np.array([large]))[0]
    assert schedule.lookup(term, np.array([large]))[0] <= schedule.lookup(2 * term, np.array([large]))[0]


def test_contract_tier_is_monotone_in_reserved_capacity() -> None:
    schedule = inputs_from_scenario(load_scenario("base")).commit_schedule
    contract = Contract("c1", 0, 60)
    price = np.full((1, 60), 3.0)
    sizes = np.geomspace(1e2, 1e7, 40)
    tiers = [float(contract_tier(np.full((1, 60), x), price, contract, schedule, np.zeros(1))[0]) for x in sizes]
    assert tiers == sorted(tiers) and tiers[0] < tiers[-1]


def test_discount_level_moves_every_tier_from_its_low_through_central_to_high() -> None:
    table = econ.assumptions.load_table("commit_schedule")
    for level, column in ((0.0, "low"), (0.5, "central"), (1.0, "high")):
        schedule = inputs_from_scenario(load_scenario("base", {"cloud.commit_discount_level": level})).commit_schedule
        np.testing.assert_allclose(schedule.discount[0], table[f"discount_fraction_{column}"].to_numpy(float), rtol=1e-12)
        np.testing.assert_array_equal(schedule.term_months, table["term_months"].to_numpy(float))


def test_gpu_capex_per_mw_sits_inside_the_published_anchors_for_the_generations_bought() -> None:
    table = econ.gpu_capex_per_mw(load_scenario("base"))
    extras = load_scenario("base")
    share = extras["hardware.network_share"] + extras["hardware.storage_cpu_share"] + extras["hardware.spares_share"]
    np.testing.assert_allclose(table["it_capex_usd_per_mw_it"], table["system_usd_per_mw_it"] * (1 + share), rtol=1e-12)
    # The fleets of the horizon are Blackwell-class and later: their IT capex per MW must lie
    # inside what NVIDIA, Bernstein, Morgan Stanley and IREN/Dell published for them.
    assert table.loc[["gb200-nvl72", "gb300-nvl72"], "within_observed"].all()
    # H100 at its 2023 launch price is far above Morgan Stanley's 2026 per-MW figure (a
    # later, cheaper vintage): reported, not hidden.
    assert table.at["h100-sxm", "it_capex_usd_per_mw_it"] > table.at["h100-sxm", "observed_high_usd_per_mw_it"]


def test_refresh_scan_varies_only_the_owners_refresh() -> None:
    base = load_scenario("base")
    scan = econ.refresh_scan(base, np.array([2.0, 5.0, 8.0]))
    assert scan.at[5.0, "vs_scenario_usd"] == pytest.approx(0.0, abs=1e-3)
    assert scan.at[5.0, "npv_cost_usd"] == pytest.approx(econ.evaluate(base).summary.at["build", "npv_cost_usd"], rel=1e-12)
    assert scan.attrs["economic_refresh_years"] in (2.0, 5.0, 8.0)
    with pytest.raises(ValueError, match=r"years \[years\] must be finite and > 0"):
        econ.refresh_scan(base, np.array([0.0]))


# Bad input -------------------------------------------------------------------------------


def test_a_schedule_that_falls_with_size_or_term_is_rejected() -> None:
    with pytest.raises(
        ValueError, match=r"cloud\.commit_schedule: tier 2 \(12 months, >= \$1,000,000,000/year\) earns 0\.3, less than tier 1"
    ):
        DiscountSchedule(np.array([12.0, 12.0]), np.array([0.0, 1e9]), np.array([[0.4, 0.3]]))
    with pytest.raises(ValueError, match=r"discounts \[1\] must be in \[0, 1\)"):
        check_schedule(np.array([12.0]), np.array([0.0]), np.array([[1.2]]))


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"cloud.departure_tail_months": 100.0, "horizon.years": 5},
            r"cloud\.departure_tail_months = 100 \[months\] is longer than the horizon",
        ),
        ({"strategies.rent.contracts.c3.term_months": 72}, r"c3\.term_months = 72 \[months\] ends after the horizon"),
        ({"build.sites.us-va-loudoun.capex_basis_year": -2025}, r"capex_basis_year = -2025 is out of range"),
        ({"strategies.build.contracts.c1.commit_usd": 1e9}, r"give exactly one of strategies\.build\.contracts\.c1\.commit_usd"),
        ({"build.sites.us-va-loudoun.it_mw": 0}, "it_mw = 0 is out of range"),
        ({"cloud.list_usd_per_gpu_hour": -2.0}, r"cloud\.list_usd_per_gpu_hour = -2\.0 is out of range"),
        ({"build.sites.us-va-loudoun.power_price_usd_per_mwh": -1}, "power_price_usd_per_mwh = -1 is out of range"),
        ({"cloud.commit_discount_level": 1.5}, r"cloud\.commit_discount_level = 1\.5 is out of range"),
    ],
)
def test_bad_scenarios_give_documented_errors(overrides: dict[str, float], message: str) -> None:
    with pytest.raises(ScenarioError, match=message):
        load_scenario("base", overrides)


def test_a_plan_outside_the_markup_band_is_rejected_naming_the_keys() -> None:
    with pytest.raises(
        ScenarioError, match=r"override cloud\.list_usd_per_gpu_hour = 40: the best contract price is .* outside cloud\.contract_markup_low"
    ):
        econ.evaluate(load_scenario("base", {"cloud.list_usd_per_gpu_hour": 40.0}))


# Schedule risk, vectorization, Monte Carlo -----------------------------------------------------


@pytest.mark.parametrize("delay", [6.0, 24.0])
def test_a_delay_moves_energization_purchases_and_running_costs_by_the_delay(delay: float) -> None:
    # Not "a delay never lowers cost": with generations arriving once a year, a site that
    # slips past an arrival buys the newer generation for its whole refresh cycle, and can
    # end up cheaper (docs/model.md, "Schedule risk"). What a delay must do is move events.
    base = load_scenario("base")
    late = base.with_overrides({f"build.sites.{s}.delay_months": delay for s in base.site_ids})
    on, off = (econ.evaluate(s) for s in (base, late))
    np.testing.assert_array_equal(off.sites.energize_month, on.sites.energize_month + delay)
    np.testing.assert_array_equal(off.sites.permit_month, on.sites.permit_month)
    first = {name: build_flows(e)["power"].nonzero()[0][0] for name, e in (("on", on), ("off", off))}
    assert first["off"] == first["on"] + delay
    assert build_flows(off)["facility_capex"].sum() == pytest.approx(build_flows(on)["facility_capex"].sum(), rel=1e-12)


def test_vectorized_equals_row_by_row() -> None:
    inputs, _ = sample_inputs(load_scenario("base"), 12, seed=3)
    plan = forecast(inputs_from_scenario(load_scenario("base")))
    for strategy in ("rent", "build", "hybrid"):
        together = npv_cost(inputs, run_strategy(inputs, strategy, plan))
        alone = np.array(
            [npv_cost(inputs.take(slice(i, i + 1)), run_strategy(inputs.take(slice(i, i + 1)), strategy, plan))[0] for i in range(12)]
        )
        np.testing.assert_allclose(together, alone, rtol=1e-12)


def test_deterministic_run_is_the_one_draw_case() -> None:
    scenario = load_scenario("base")
    summary = econ.evaluate(scenario).summary
    inputs = inputs_from_scenario(scenario)
    assert npv_cost(inputs, run_strategy(inputs, "build", forecast(inputs)))[0] == pytest.approx(
        summary.at["build", "npv_cost_usd"], rel=1e-12
    )


def test_simulation_is_reproducible_and_chunk_independent() -> None:
    scenario = load_scenario("base")
    a = econ.simulate(scenario, 300, seed=11, chunk_size=64)
    b = econ.simulate(scenario, 300, seed=11, chunk_size=300)
    c = econ.simulate(scenario, 300, seed=12)
    np.testing.assert_array_equal(a.to_numpy(), b.to_numpy())
    assert not np.allclose(a["npv_cost_usd_build"], c["npv_cost_usd_build"])
    assert a.attrs["scenario_hash"] == scenario.hash


def test_monte_carlo_samples_the_contract_terms_and_shows_binding_take_or_pay() -> None:
    scenario = load_scenario("base")
    draws = econ.simulate(scenario, 400, seed=1)
    for key in (
        "cloud.commit_discount_level",
        "cloud.departing_contract_premium",
        "cloud.departure_tail_months",
        "cloud.short_term_premium",
    ):
        assert draws[key].std() > 0, key
    # Contracts are sized on the forecast: draws whose demand falls short of it pay for unused
    # reservations (claim C22), and those above it rent short-term.
    unused = draws["take_or_pay_pv_usd_rent"]
    assert (unused > 0).mean() > 0.5
    assert unused.rank().corr(draws["demand.growth_annual"].rank()) < -0.3  # the slower demand grows, the more is unused


def test_sampled_correlation_matches_the_requested_rank_correlation() -> None:
    scenario = load_scenario("base")
    _, sampled = sample_inputs(scenario, 20_000, seed=5)
    rho = sampled["demand.growth_annual"].rank().corr(sampled["demand.late_growth_annual"].rank())
    assert rho == pytest.approx(0.5, abs=0.02)
    lost = sampled.filter(like="permit_lost.").mean()
    assert lost["permit_lost.my-johor-sedenak"] > lost["permit_lost.us-va-loudoun"]  # per-site permit risk


def test_triangular_quantiles_match_scipy() -> None:
    from scipy import stats

    d = econ.assumptions.Distribution("x", "triangular", {"low": 1.0, "mode": 2.0, "high": 5.0})
    u = np.linspace(0.01, 0.99, 50)
    np.testing.assert_allclose(inverse_cdf(d, u), stats.triang.ppf(u, c=0.25, loc=1.0, scale=4.0), rtol=1e-12)


def test_tornado_orders_by_swing_and_brackets_base() -> None:
    table = econ.tornado(load_scenario("base"))
    assert list(table["swing_usd"]) == sorted(table["swing_usd"], reverse=True)
    assert (table["low_value"] <= table["high_value"]).all()
    spider = econ.spider(load_scenario("base"))
    assert set(spider["input"]) == set(table.index)


def test_simulate_rejects_bad_draw_count() -> None:
    with pytest.raises(ValueError, match="n_draws must be a positive integer"):
        econ.simulate(load_scenario("base"), 0, seed=1)


def test_a_regulated_share_stated_for_every_bloc_is_the_global_share() -> None:
    """Per-bloc shares all equal to x serve and rent exactly what one share x for every bloc does."""
    from econ.strategies import serve

    rng = np.random.default_rng(4)
    demand = rng.uniform(50.0, 150.0, (3, 6))
    shares = np.array([0.5, 0.3, 0.2])
    serving_from = rng.integers(1, 7, (3, 2, 2)).astype(float)  # draws x sites x purchases
    added = rng.uniform(0.0, 60.0, (3, 2, 2))
    x = np.array([0.2, 0.6, 1.0])
    alone = serve(demand, shares, ("US", "EU", "JP"), x, serving_from, added, ("US", "EU"))
    by_bloc = serve(demand, shares, ("US", "EU", "JP"), np.repeat(x[:, None], 3, axis=1), serving_from, added, ("US", "EU"))
    for a, b in zip(alone, by_bloc, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-12)


def test_a_bloc_without_its_own_share_takes_the_global_one() -> None:
    from dataclasses import replace

    from econ.strategies import regulated_by_bloc

    inputs = inputs_from_scenario(load_scenario("base", {"demand.regulated_share": 0.3}))
    unstated = replace(inputs, bloc_regulated=np.full(len(inputs.blocs), np.nan))
    np.testing.assert_array_equal(regulated_by_bloc(unstated), np.full((1, len(inputs.blocs)), 0.3))


def test_regulating_one_bloc_rents_its_demand_in_bloc_when_no_site_is_there() -> None:
    """Only Japan's demand regulated, no Japanese site: rent and build both rent Japan's share at the sovereign premium."""
    plain = load_scenario("base", {"demand.sovereign_cloud_premium": 0.5})
    japan = load_scenario("base", {"demand.sovereign_cloud_premium": 0.5, "demand.regulated_shares.JP": 1.0})
    costs = {name: econ.evaluate(s).summary["npv_cost_usd"] for name, s in (("plain", plain), ("japan", japan))}
    assert (costs["japan"] > costs["plain"]).all()
    with pytest.raises(
        econ.ScenarioError, match=r"demand.regulated_shares.XX: bloc 'XX' has no demand share|unknown key 'demand.regulated_shares.XX'"
    ):
        load_scenario("base", {"demand.regulated_shares.XX": 0.5})


def _shape(name: str, shape: str) -> econ.Scenario:
    return load_scenario(name, {f"strategies.{s}.reservation": shape for s in ("rent", "build", "hybrid")})


@pytest.mark.parametrize("name", ["base", "build", "sovereign", "hourly", "rent-only"])
def test_cheapest_reservations_cost_every_strategy_no_more_than_floor(name: str) -> None:
    """The least-cost reservation is one of the choices the floor rule makes too, so no strategy pays more with it.

    At base: rent $2.4B, build $6.8B and hybrid $4.2B of NPV less (docs/model.md, "Cloud price and contracts").
    """
    floor = econ.evaluate(_shape(name, "floor")).summary["npv_cost_usd"]
    cheapest = econ.evaluate(_shape(name, "cheapest")).summary["npv_cost_usd"]
    assert (cheapest <= floor).all(), (floor - cheapest).to_dict()
    assert (floor - cheapest).max() > 1e9  # and it matters: more than $1B for some strategy


def test_one_sites_start_moves_the_answer_less_with_cheapest_reservations() -> None:
    """Moving Abilene's start in 3-month steps: the floor rule's cliffs (a capacity step late in a term pulling the
    reservation down for the whole term) are gone; what is left is the GPU generation calendar.

    Build saving against rent over starts 0-36: floor $0.7-5.7B, cheapest $5.8-8.2B (docs/model.md).
    """
    spreads = {}
    for shape in ("floor", "cheapest"):
        s = _shape("base", shape)
        table = econ.evaluate(s).sites
        starts = dict(zip(table.index, table["start_month"], strict=True))
        sites = {k: float(s[f"build.sites.{k}.it_mw"]) for k in s.site_ids}
        plans = [
            econ.make_plan(
                s,
                f"m{m}",
                site_mw=sites,
                start_month=starts | {"us-tx-abilene": float(m)},
                contracts=[(0, 60, 1.0), (60, 60, 1.0), (120, 60, 1.0)],
                reservation=shape,
            )
            for m in range(0, 37, 3)
        ]
        saving = econ.evaluate(s, plans).summary["npv_saving_vs_rent_usd"].drop("rent")
        spreads[shape] = float(saving.max() - saving.min())
    assert spreads["cheapest"] < 0.5 * spreads["floor"], spreads


def test_the_site_table_of_an_evaluation_of_plans_is_the_first_plans() -> None:
    """``Evaluation.sites`` shows the first plan after rent, whatever the other plans (it was an arbitrary one of a set)."""
    s = load_scenario("base")
    one = econ.make_plan(s, "abilene", site_mw={"us-tx-abilene": 200.0}, contracts=[(0, 60, 1.0)])
    other = econ.make_plan(s, "loudoun", site_mw={"us-va-loudoun": 200.0}, contracts=[(0, 60, 1.0)])
    for plans in ([one, other], [other, one]):
        sites = econ.evaluate(s, plans).sites
        assert sites.loc[plans[0].name.replace("abilene", "us-tx-abilene").replace("loudoun", "us-va-loudoun"), "it_mw"] == 200.0
        assert sites["it_mw"].sum() == 200.0


def test_a_copula_that_is_not_positive_definite_is_named_at_every_call() -> None:
    """The copula is computed once per scenario; a scenario whose correlations cannot hold raises each time, not once."""
    from dataclasses import replace

    work, price, power = "hardware.work_growth_annual", "hardware.price_growth_annual", "hardware.power_growth_annual"
    scenario = replace(load_scenario("base"), correlations=((work, price, 0.9), (work, power, 0.9), (price, power, -0.9)))
    for _ in range(2):
        with pytest.raises(ValueError, match=r"risk\.correlations: the implied normal correlation matrix is not positive definite"):
            sample_inputs(scenario, 10, seed=1)
    assert sample_inputs(load_scenario("base"), 10, seed=1)[1].equals(sample_inputs(load_scenario("base"), 10, seed=1)[1])
