"""Abandoning a site before it is energized (econ.build: site_schedule's stop_month, Fleet.cancelled, owned_costs).

Expected amounts are worked by hand from the documented rules (econ/build.py module docstring):
a stopped site pays development evenly from start to min(permit, stop), pro rata; the equipment
deposit at start (sunk); construction (capex - deposit) evenly from the start of construction to
min(mechanical, stop), pro rata, so nothing if it stops at or before construction starts; recovers
``build.abandon_salvage_share`` of the construction paid at the stop month; pays
``build.gpu_order_cancellation_share`` of the first fleet if it stops after permit (the GPU order is
placed at permit, even if construction starts later); sells its land at cost when it stops; and
deducts what it lost at its tax rate when it stops. Construction starts as late as it can without
delaying energization: construction = max(permit, floor(max(equipment, grid) - construction months)),
mechanical = construction + construction months. The facility capex itself comes from
:func:`econ.build.facility_capex` (it does not depend on the stop).

Base scenario, one draw. Critical paths used (checked in ``test_base_schedule_is_as_assumed``):
Loudoun start 0, permit 24, construction 54, mechanical 84, energize 84; Abilene start 0, permit 12,
construction 18, mechanical 48, energize 48; Navi Mumbai (planned here for month 12, where the MW
budget puts it in a full build) start 12, permit 30, construction 30, mechanical 60, energize 60.
"""

from __future__ import annotations

import dataclasses
from functools import cache

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import econ
from econ.assumptions import load_scenario
from econ.build import OPEX, Fleet, OwnedResult, Schedule, facility_capex, fleet, owned_costs, site_schedule
from econ.hardware import Trajectory
from econ.inputs import Inputs, inputs_from_scenario
from econ.plans import make_plan
from econ.strategies import trajectory

LOUDOUN, ABILENE, MUMBAI = "us-va-loudoun", "us-tx-abilene", "in-navi-mumbai"
SCHEDULE_FIELDS = [f.name for f in dataclasses.fields(Schedule)]
SPEND = ("land", "development", "equipment_deposit", "facility_capex", "retrofit", "gpu_capex", *OPEX)


@cache
def base() -> tuple[Inputs, Trajectory]:
    inputs = inputs_from_scenario(load_scenario("base"))
    return inputs, trajectory(inputs)


def busy(inputs: Inputs) -> np.ndarray:
    return np.full((1, inputs.months), 0.8)


def index(site: str) -> int:
    return base()[0].site_ids.index(site)


def only(site: str) -> np.ndarray:
    """Build share (1, S): all of one site, nothing elsewhere."""
    inputs = base()[0]
    share = np.zeros((1, len(inputs.site_ids)))
    share[0, index(site)] = 1.0
    return share


def stops_at(site: str, month: float) -> np.ndarray:
    """stop_month (1, S): ``month`` at one site, never elsewhere."""
    inputs = base()[0]
    stop = np.full((1, len(inputs.site_ids)), np.inf)
    stop[0, index(site)] = month
    return stop


def planned_starts() -> np.ndarray:
    """The scenario's planned starts (all month 0), but Navi Mumbai planned for month 12, as the rate limit puts it in a full build."""
    inputs = base()[0]
    starts = inputs["site.start_month"].copy()
    starts[0, index(MUMBAI)] = 12.0
    return starts


def run(share: np.ndarray, stop: np.ndarray | float | None = None, inputs: Inputs | None = None) -> tuple[Schedule, Fleet, OwnedResult]:
    inputs = base()[0] if inputs is None else inputs
    path = base()[1]
    schedule = site_schedule(inputs, share, planned_starts(), stop_month=stop)
    fleet_ = fleet(inputs, schedule, path)
    return schedule, fleet_, owned_costs(inputs, schedule, fleet_, busy(inputs))


def assert_same_run(a: tuple[Schedule, Fleet, OwnedResult], b: tuple[Schedule, Fleet, OwnedResult]) -> None:
    for name in SCHEDULE_FIELDS:
        assert np.array_equal(getattr(a[0], name), getattr(b[0], name)), name
    for f in dataclasses.fields(Fleet):
        assert np.array_equal(getattr(a[1], f.name), getattr(b[1], f.name)), f.name
    assert list(a[2].flows) == list(b[2].flows)
    for name in a[2].flows:
        assert np.array_equal(a[2].flows[name], b[2].flows[name]), name
    assert np.array_equal(a[2].tax, b[2].tax)
    assert np.array_equal(a[2].facility_capex_usd, b[2].facility_capex_usd)


def amounts(site: str, schedule: Schedule) -> dict[str, float]:
    """Hand-worked amounts of one site [USD, positive]: capex, development, deposit, land, rates."""
    inputs = base()[0]
    s = index(site)
    capex = float(facility_capex(inputs, schedule)[0, s])
    at_risk = bool(inputs.order_equipment_before_permit) and not bool(inputs.colocation[s])
    return {
        "capex": capex,
        "dev": capex * float(inputs["build.development_share_of_capex"][0]),
        "deposit": capex * float(inputs["build.equipment_deposit_share_of_capex"][0]) if at_risk else 0.0,
        "land": float(schedule.mw[0, s] * inputs["site.land_acres_per_mw"][0, s] * inputs["site.land_usd_per_acre"][0, s]),
        "tax_rate": float(inputs["site.tax_rate"][0, s]),
        "salvage": float(inputs["build.abandon_salvage_share"][0]),
        "cancel": float(inputs["build.gpu_order_cancellation_share"][0]),
    }


def assert_gpu_order_cancelled(
    s: int, stop: float, a: dict[str, float], completed: tuple[Schedule, Fleet, OwnedResult], fleet_: Fleet, flows: dict[str, np.ndarray]
) -> float:
    """Site ``s`` bought no GPUs and paid the cancellation share of the completed site's first purchase at the stop."""
    first_cost = float(completed[1].cost[0, s, 0])
    assert completed[1].at[0, s, 0] == completed[0].online[0, s]
    assert fleet_.cancelled[0, s] == pytest.approx(first_cost, rel=1e-12)
    assert first_cost > 0
    assert not np.isfinite(fleet_.at[0, s]).any()  # no GPUs bought
    gpu = flows["gpu_capex"][0]
    assert gpu.sum() == pytest.approx(-a["cancel"] * first_cost, rel=1e-12)
    assert gpu[col(stop)] == pytest.approx(-a["cancel"] * first_cost, rel=1e-12)
    return first_cost


def assert_land_sold_and_nothing_run(start: float, stop: float, a: dict[str, float], flows: dict[str, np.ndarray]) -> None:
    """Land bought at the start and sold at cost at the stop; no GPUs, opex, retrofit or residual value."""
    assert flows["land"].sum() == pytest.approx(0.0, abs=1e-6 * a["land"])
    assert flows["land"][0, col(stop)] == pytest.approx(a["land"], rel=1e-12)
    assert flows["land"][0, col(max(start, 1.0))] == pytest.approx(-a["land"], rel=1e-12)
    for name in ("retrofit", "gpu_resale", "residual_value", *OPEX):
        assert not flows[name].any(), name


def col(month: float) -> int:
    """Array column of a whole month (month m is column m - 1)."""
    return int(month) - 1


def test_base_schedule_is_as_assumed() -> None:
    schedule, _, _ = run(np.ones(1))
    expected = {LOUDOUN: (0, 24, 54, 84, 84), ABILENE: (0, 12, 18, 48, 48), MUMBAI: (12, 30, 30, 60, 60)}
    for site, (start, permit, construction, mechanical, energize) in expected.items():
        s = index(site)
        got = tuple(getattr(schedule, f)[0, s] for f in ("start", "permit", "construction", "mechanical", "energize"))
        assert got == (start, permit, construction, mechanical, energize), site
    inputs = base()[0]
    assert bool(inputs.order_equipment_before_permit)  # the deposit is paid at start
    assert float(inputs["build.abandon_salvage_share"][0]) > 0
    assert float(inputs["build.gpu_order_cancellation_share"][0]) > 0


# --- no stop, or a stop too late, is the model without abandonment -----------------------------


@pytest.mark.parametrize("share", [np.ones(1), np.array([0.5]), "loudoun"])
def test_no_stop_is_the_model_without_abandonment(share: np.ndarray | str) -> None:
    shares = only(LOUDOUN) if isinstance(share, str) else share
    inputs = base()[0]
    reference = run(shares)
    assert not np.isfinite(reference[0].stop).any()
    assert np.array_equal(reference[0].built, reference[0].mw > 0)
    assert not reference[1].cancelled.any()
    assert_same_run(reference, run(shares, np.full((1, len(inputs.site_ids)), np.inf)))
    assert_same_run(reference, run(shares, np.inf))  # broadcast


@pytest.mark.parametrize("after", [0.0, 1.0, 30.0, 1e9])
def test_a_stop_at_or_after_energize_changes_nothing(after: float) -> None:
    reference = run(np.ones(1))
    late = reference[0].energize + after
    assert_same_run(reference, run(np.ones(1), late))
    assert reference[0].built.all()


def test_a_stop_at_energize_less_one_month_does_stop() -> None:
    # the boundary of the previous test: one month earlier it takes effect
    reference = run(only(ABILENE))
    s = index(ABILENE)
    stopped = run(only(ABILENE), stops_at(ABILENE, reference[0].energize[0, s] - 1.0))
    assert not stopped[0].built[0, s]
    assert stopped[0].stop[0, s] == reference[0].energize[0, s] - 1.0


def test_sites_not_built_never_stop() -> None:
    schedule, fleet_, _ = run(only(ABILENE), np.full((1, len(base()[0].site_ids)), 5.0))
    s = index(ABILENE)
    assert schedule.stop[0, s] == 5.0
    others = np.arange(schedule.mw.shape[1]) != s
    assert np.all(np.isinf(schedule.stop[0, others]))
    assert not schedule.built[0, others].any()
    assert not fleet_.cancelled[0, others].any()


# --- a lost permit ----------------------------------------------------------------------------


@pytest.mark.parametrize("site", [LOUDOUN, ABILENE, MUMBAI])
def test_lost_permit_is_a_stop_at_permit(site: str) -> None:
    inputs = base()[0]
    s = index(site)
    mask = np.zeros((1, len(inputs.site_ids)), dtype=bool)
    mask[0, s] = True
    lost = run(only(site), inputs=inputs.with_arrays({}, permit_lost=mask))
    permit = float(lost[0].permit[0, s])
    assert lost[0].stop[0, s] == permit
    assert not lost[0].built[0, s]
    assert_same_run(lost, run(only(site), stops_at(site, permit)))

    schedule, fleet_, result = lost
    a = amounts(site, schedule)
    start = float(schedule.start[0, s])
    first = col(max(start, 1.0))
    flows = result.flows
    # land bought at start (month >= 1), sold at cost at permit
    assert flows["land"][0, first] == pytest.approx(-a["land"], rel=1e-12)
    assert flows["land"][0, col(permit)] == pytest.approx(a["land"], rel=1e-12)
    assert flows["land"].sum() == pytest.approx(0.0, abs=1e-6 * a["land"])
    # development fully paid, evenly over start + 1 .. permit
    dev = flows["development"][0]
    assert dev.sum() == pytest.approx(-a["dev"], rel=1e-12)
    assert np.allclose(dev[int(start) : int(permit)], -a["dev"] / (permit - start), rtol=1e-12)
    assert not dev[int(permit) :].any()
    # deposit sunk at start; no construction, no GPU order to cancel, nothing else
    assert flows["equipment_deposit"].sum() == pytest.approx(-a["deposit"], rel=1e-12)
    assert flows["equipment_deposit"][0, first] == pytest.approx(-a["deposit"], rel=1e-12)
    assert fleet_.cancelled[0, s] == 0.0
    for name in ("facility_capex", "retrofit", "gpu_capex", "gpu_resale", "residual_value", *OPEX):
        assert not flows[name].any(), name
    # the loss deducted at permit, nothing else taxed
    expected_tax = np.zeros(inputs.months)
    expected_tax[col(permit)] = (a["dev"] + a["deposit"]) * a["tax_rate"]
    assert np.allclose(result.tax[0], expected_tax, rtol=1e-12, atol=1e-6)


def test_lost_permits_everywhere_equal_stops_at_permit_everywhere() -> None:
    inputs = base()[0]
    lost_inputs = inputs.with_arrays({}, permit_lost=np.ones((1, len(inputs.site_ids)), dtype=bool))
    lost = run(np.ones(1), inputs=lost_inputs)
    assert not lost[0].built.any()
    assert_same_run(lost, run(np.ones(1), lost[0].permit))


def test_a_stop_before_a_lost_permit_wins() -> None:
    inputs = base()[0]
    s = index(LOUDOUN)
    mask = np.zeros((1, len(inputs.site_ids)), dtype=bool)
    mask[0, s] = True
    schedule, _, _ = run(only(LOUDOUN), stops_at(LOUDOUN, 10.0), inputs.with_arrays({}, permit_lost=mask))
    assert schedule.stop[0, s] == 10.0


# --- a stop between the start of construction and mechanical completion ------------------------


@pytest.mark.parametrize(("site", "stop"), [(LOUDOUN, 55.0), (LOUDOUN, 60.0), (LOUDOUN, 83.0), (ABILENE, 30.0), (MUMBAI, 45.0)])
def test_stop_during_construction(site: str, stop: float) -> None:
    inputs = base()[0]
    s = index(site)
    completed = run(only(site))
    schedule, fleet_, result = run(only(site), stops_at(site, stop))
    start, permit, begun, mechanical = (float(getattr(schedule, f)[0, s]) for f in ("start", "permit", "construction", "mechanical"))
    assert permit <= begun < stop < mechanical
    assert schedule.stop[0, s] == stop
    assert not schedule.built[0, s]
    for name in ("mw", "start", "permit", "equipment", "grid", "construction", "mechanical", "energize", "online"):
        assert np.array_equal(getattr(schedule, name), getattr(completed[0], name)), name
    a = amounts(site, schedule)
    assert a["capex"] == pytest.approx(float(completed[2].facility_capex_usd[0, s]), rel=1e-12)
    share = (stop - begun) / (mechanical - begun)
    construction = (a["capex"] - a["deposit"]) * share
    salvage = a["salvage"] * construction
    flows = result.flows

    # construction at the completed site's monthly rate from its start until the stop, the salvage at the stop, nothing after
    facility = flows["facility_capex"][0]
    assert facility.sum() == pytest.approx(-construction * (1.0 - a["salvage"]), rel=1e-12)
    rate = (a["capex"] - a["deposit"]) / (mechanical - begun)
    assert np.allclose(facility[int(begun) : col(stop)], -rate, rtol=1e-12)
    assert np.allclose(facility[int(begun) : col(stop)], completed[2].flows["facility_capex"][0, int(begun) : col(stop)], rtol=1e-12)
    assert facility[col(stop)] == pytest.approx(-rate + salvage, rel=1e-12)
    assert not facility[: int(begun)].any()
    assert not facility[int(stop) :].any()

    # development all paid (the stop is after permit), as the completed site's
    assert flows["development"].sum() == pytest.approx(-a["dev"], rel=1e-12)
    assert np.array_equal(flows["development"], completed[2].flows["development"])
    assert flows["equipment_deposit"].sum() == pytest.approx(-a["deposit"], rel=1e-12)

    # the GPU order placed at permit: the first purchase the completed site makes, cancelled for a share
    first_cost = assert_gpu_order_cancelled(s, stop, a, completed, fleet_, flows)

    # land bought at start, sold at cost at the stop; no GPUs, no opex, no retrofit, no residual value
    assert_land_sold_and_nothing_run(start, stop, a, flows)

    # the only tax: the loss deducted at the stop month
    deduction = (a["dev"] + a["deposit"] + construction - salvage + a["cancel"] * first_cost) * a["tax_rate"]
    expected_tax = np.zeros(inputs.months)
    expected_tax[col(stop)] = deduction
    assert np.allclose(result.tax[0], expected_tax, rtol=1e-12, atol=1e-6)
    # which is the site's rate on what it lost (land comes back at cost)
    lost = -sum(float(flows[c].sum()) for c in flows)
    assert deduction == pytest.approx(lost * a["tax_rate"], rel=1e-12)


def test_loudoun_at_month_60_by_the_numbers() -> None:
    # The same as above, written out for one case so a reader can check: construction from 54, 6 of 30 months done.
    schedule, fleet_, result = run(only(LOUDOUN), stops_at(LOUDOUN, 60.0))
    assert (schedule.construction[0, index(LOUDOUN)], schedule.mechanical[0, index(LOUDOUN)]) == (54.0, 84.0)
    a = amounts(LOUDOUN, schedule)
    assert result.flows["facility_capex"].sum() == pytest.approx(-(a["capex"] * 0.95) * (6 / 30) * 0.7, rel=1e-12)
    assert a["deposit"] == pytest.approx(0.05 * a["capex"], rel=1e-12)
    assert (a["salvage"], a["cancel"]) == (0.3, 0.2)
    c, first = a["capex"], float(fleet_.cancelled[0, index(LOUDOUN)])
    # development 5 % + deposit 5 % + 6/30 of 95 % built, 30 % of it salvaged + 20 % of the GPU order, at 25.57 %
    assert a["tax_rate"] == 0.2557
    assert result.tax[0, 59] == pytest.approx((0.05 * c + 0.05 * c + 0.95 * c * 0.2 * 0.7 + 0.2 * first) * 0.2557, rel=1e-12)
    assert result.flows["gpu_capex"][0, 59] == pytest.approx(-0.2 * first, rel=1e-12)


# --- a stop after permit, before construction starts ---------------------------------------------


@pytest.mark.parametrize(("site", "stop"), [(LOUDOUN, 30.0), (LOUDOUN, 25.0), (LOUDOUN, 53.0), (LOUDOUN, 54.0), (ABILENE, 15.0)])
def test_stop_after_permit_before_construction(site: str, stop: float) -> None:
    inputs = base()[0]
    s = index(site)
    completed = run(only(site))
    schedule, fleet_, result = run(only(site), stops_at(site, stop))
    start, permit, begun = (float(getattr(schedule, f)[0, s]) for f in ("start", "permit", "construction"))
    assert permit < stop <= begun  # at the start of construction itself, no month of it is done
    assert schedule.stop[0, s] == stop
    assert not schedule.built[0, s]
    for name in ("mw", "start", "permit", "equipment", "grid", "construction", "mechanical", "energize", "online"):
        assert np.array_equal(getattr(schedule, name), getattr(completed[0], name)), name
    a = amounts(site, schedule)
    assert a["capex"] == pytest.approx(float(completed[2].facility_capex_usd[0, s]), rel=1e-12)
    flows = result.flows

    # no construction done: no construction spend, no salvage
    assert not flows["facility_capex"].any()

    # development all paid (the stop is after permit), as the completed site's; the deposit paid at start, forfeited
    dev = flows["development"][0]
    assert dev.sum() == pytest.approx(-a["dev"], rel=1e-12)
    assert np.allclose(dev[int(start) : int(permit)], -a["dev"] / (permit - start), rtol=1e-12)
    assert not dev[int(permit) :].any()
    assert np.array_equal(flows["development"], completed[2].flows["development"])
    assert flows["equipment_deposit"].sum() == pytest.approx(-a["deposit"], rel=1e-12)
    assert flows["equipment_deposit"][0, col(max(start, 1.0))] == pytest.approx(-a["deposit"], rel=1e-12)

    # the GPU order was placed at permit, before construction: cancelled for a share of the first purchase, at the stop
    first_cost = assert_gpu_order_cancelled(s, stop, a, completed, fleet_, flows)

    # land bought at start, sold at cost at the stop; no GPUs, no opex, no retrofit, no residual value
    assert_land_sold_and_nothing_run(start, stop, a, flows)

    # the only tax: the loss (development, deposit, cancellation) deducted at the stop month
    deduction = (a["dev"] + a["deposit"] + a["cancel"] * first_cost) * a["tax_rate"]
    expected_tax = np.zeros(inputs.months)
    expected_tax[col(stop)] = deduction
    assert np.allclose(result.tax[0], expected_tax, rtol=1e-12, atol=1e-6)
    lost = -sum(float(flows[c].sum()) for c in flows)
    assert deduction == pytest.approx(lost * a["tax_rate"], rel=1e-12)


def test_loudoun_at_month_30_by_the_numbers() -> None:
    # The same as above, written out for one case so a reader can check: permitted at 24, construction
    # not started until 54, so nothing built; the GPU order placed at 24 is cancelled.
    schedule, fleet_, result = run(only(LOUDOUN), stops_at(LOUDOUN, 30.0))
    assert (schedule.permit[0, index(LOUDOUN)], schedule.construction[0, index(LOUDOUN)]) == (24.0, 54.0)
    a = amounts(LOUDOUN, schedule)
    assert not result.flows["facility_capex"].any()
    assert a["dev"] == pytest.approx(0.05 * a["capex"], rel=1e-12)
    assert a["deposit"] == pytest.approx(0.05 * a["capex"], rel=1e-12)
    assert a["cancel"] == 0.2
    c, first = a["capex"], float(fleet_.cancelled[0, index(LOUDOUN)])
    assert result.flows["development"].sum() == pytest.approx(-0.05 * c, rel=1e-12)
    assert result.flows["equipment_deposit"][0, 0] == pytest.approx(-0.05 * c, rel=1e-12)
    assert result.flows["gpu_capex"][0, 29] == pytest.approx(-0.2 * first, rel=1e-12)
    assert result.flows["land"][0, 29] == pytest.approx(a["land"], rel=1e-12)
    # development 5 % + deposit 5 % + 20 % of the GPU order, at 25.57 %, in month 30 and no other
    assert a["tax_rate"] == 0.2557
    assert result.tax[0, 29] == pytest.approx((0.05 * c + 0.05 * c + 0.2 * first) * 0.2557, rel=1e-12)
    assert result.tax.sum() == pytest.approx(result.tax[0, 29], rel=1e-12)


# --- a stop before permit ----------------------------------------------------------------------


@pytest.mark.parametrize(("site", "stop"), [(LOUDOUN, 10.0), (LOUDOUN, 1.0), (LOUDOUN, 24.0), (ABILENE, 6.0), (MUMBAI, 20.0)])
def test_stop_before_permit(site: str, stop: float) -> None:
    inputs = base()[0]
    s = index(site)
    schedule, fleet_, result = run(only(site), stops_at(site, stop))
    start, permit = float(schedule.start[0, s]), float(schedule.permit[0, s])
    assert start < stop <= permit
    assert schedule.stop[0, s] == stop
    a = amounts(site, schedule)
    done = (stop - start) / (permit - start)
    flows = result.flows
    dev = flows["development"][0]
    assert dev.sum() == pytest.approx(-a["dev"] * done, rel=1e-12)
    assert np.allclose(dev[int(start) : int(stop)], -a["dev"] / (permit - start), rtol=1e-12)  # the completed site's rate
    assert not dev[int(stop) :].any()
    assert flows["equipment_deposit"].sum() == pytest.approx(-a["deposit"], rel=1e-12)
    # the order is placed at permit: a stop at or before it cancels nothing; construction starts at or after permit
    assert fleet_.cancelled[0, s] == 0.0
    for name in ("facility_capex", "retrofit", "gpu_capex", "gpu_resale", "residual_value", *OPEX):
        assert not flows[name].any(), name
    assert flows["land"].sum() == pytest.approx(0.0, abs=1e-6 * a["land"])
    if stop > max(start, 1.0):  # else bought and sold in the same month
        assert flows["land"][0, col(stop)] == pytest.approx(a["land"], rel=1e-12)
    expected_tax = np.zeros(inputs.months)
    expected_tax[col(stop)] = (a["dev"] * done + a["deposit"]) * a["tax_rate"]
    assert np.allclose(result.tax[0], expected_tax, rtol=1e-12, atol=1e-6)


def test_a_stop_before_start_is_moved_to_start() -> None:
    inputs = base()[0]
    s = index(MUMBAI)
    schedule, _, result = run(only(MUMBAI), stops_at(MUMBAI, 5.0))
    start = float(schedule.start[0, s])
    assert start == 12.0
    assert schedule.stop[0, s] == start
    assert_same_run(run(only(MUMBAI), stops_at(MUMBAI, 5.0)), run(only(MUMBAI), stops_at(MUMBAI, start)))
    a = amounts(MUMBAI, schedule)
    flows = result.flows
    assert not flows["development"].any()  # nothing of the development window has elapsed
    assert flows["equipment_deposit"][0, col(start)] == pytest.approx(-a["deposit"], rel=1e-12)
    assert flows["land"][0, col(start)] == pytest.approx(0.0, abs=1e-6 * a["land"])  # bought and sold in the same month
    assert not flows["land"][0, np.arange(inputs.months) != col(start)].any()
    expected_tax = np.zeros(inputs.months)
    expected_tax[col(start)] = a["deposit"] * a["tax_rate"]
    assert np.allclose(result.tax[0], expected_tax, rtol=1e-12, atol=1e-6)


def test_stop_at_month_0_recovers_the_land_and_deducts_the_deposit() -> None:
    schedule, _, result = run(only(LOUDOUN), stops_at(LOUDOUN, 0.0))
    a = amounts(LOUDOUN, schedule)
    assert result.flows["land"].sum() == pytest.approx(0.0, abs=1e-6 * a["land"])
    assert result.tax.sum() == pytest.approx(a["deposit"] * a["tax_rate"], rel=1e-9)


@pytest.mark.parametrize("stop", [10.5, 30.5])
def test_fractional_stop_deducts_what_was_lost(stop: float) -> None:
    _, _, result = run(only(LOUDOUN), stops_at(LOUDOUN, stop))
    rate = float(base()[0]["site.tax_rate"][0, index(LOUDOUN)])
    lost = -sum(float(v.sum()) for v in result.flows.values())
    assert result.tax.sum() == pytest.approx(lost * rate, rel=1e-9)


def test_stop_after_the_horizon_changes_nothing_within_it() -> None:
    # Loudoun planned for month 150: permit 174, energized at 234, after the 180-month horizon. Whether the
    # owner would abandon it in month 200 is not known within the horizon, which ends with the site in progress.
    inputs = base()[0]
    s = index(LOUDOUN)
    starts = planned_starts()
    starts[0, s] = 150.0
    results = []
    for stop in (np.inf, 200.0):
        schedule = site_schedule(inputs, only(LOUDOUN), starts, stop_month=stops_at(LOUDOUN, stop))
        assert schedule.energize[0, s] > inputs.months
        fleet_ = fleet(inputs, schedule, base()[1])
        results.append(owned_costs(inputs, schedule, fleet_, busy(inputs)))
    assert results[0].flows["residual_value"].sum() > 0
    for name in results[0].flows:
        assert np.allclose(results[0].flows[name], results[1].flows[name], rtol=1e-12), name


# --- property: abandoning never spends more than completing --------------------------------------


@settings(max_examples=30, deadline=None)
@given(site=st.sampled_from([LOUDOUN, ABILENE, MUMBAI, "colo-us-central-tx"]), fraction=st.floats(0.0, 1.0, exclude_max=True))
def test_abandoning_spends_no_more_than_completing(site: str, fraction: float) -> None:
    inputs = base()[0]
    s = index(site)
    completed = run(only(site))
    start, energize = float(completed[0].start[0, s]), float(completed[0].energize[0, s])
    stop = start + np.floor(fraction * (energize - start))  # a whole month in [start, energize)
    assert start <= stop < energize
    schedule, fleet_, result = run(only(site), stops_at(site, stop))
    assert schedule.stop[0, s] == stop
    assert not schedule.built.any()
    for name, flow in result.flows.items():
        assert np.isfinite(flow).all(), name
        assert not flow[0, max(int(stop), 1) :].any(), name  # nothing after the stop month
    assert np.isfinite(result.tax).all()
    assert np.isfinite(fleet_.cancelled).all()
    # net cash out of the stopped site (land comes back) <= what the completed site spends to the horizon
    stopped_out = -sum(float(v.sum()) for v in result.flows.values())
    completed_out = -sum(float(completed[2].flows[c].sum()) for c in SPEND)
    assert all((completed[2].flows[c] <= 0).all() for c in SPEND)  # spending categories are money out
    assert 0.0 < stopped_out <= completed_out
    for name in ("development", "equipment_deposit", "facility_capex", "gpu_capex"):
        assert result.flows[name].sum() >= completed[2].flows[name].sum() - 1e-6, name
        assert result.flows[name].sum() <= 1e-6, name
    # the deduction is the site's rate on the loss (a stop in month 0: test_stop_at_month_0_recovers_the_land_and_deducts_the_deposit)
    if stop >= 1:
        rate = float(inputs["site.tax_rate"][0, s])
        assert result.tax.sum() == pytest.approx(stopped_out * rate, rel=1e-9)


# --- plans ------------------------------------------------------------------------------------


def test_plan_stop_month_flows_through_evaluate() -> None:
    scenario = load_scenario("base")
    inputs = base()[0]
    s = index(ABILENE)
    completed = make_plan(scenario, "abilene", {ABILENE: 200.0})
    assert completed.site_share.shape == (len(inputs.site_ids),)
    stop = np.full(len(inputs.site_ids), np.inf)
    stop[s] = 30.0  # construction 18, mechanical 48: 12 of 30 construction months done
    stopped = dataclasses.replace(completed, name="abilene stopped", stop_month=stop)
    result = econ.evaluate(scenario, plans=[completed, stopped])
    summary = result.summary
    assert list(summary.index) == ["rent", "abilene", "abilene stopped"]
    assert summary.loc["abilene", "owned_mw"] == 200.0
    assert summary.loc["abilene stopped", "owned_mw"] == 0.0
    assert 0 < summary.loc["abilene stopped", "capex_usd"] < summary.loc["abilene", "capex_usd"]

    run_ = result.runs["abilene stopped"]
    assert run_.schedule.stop[0, s] == 30.0
    assert not run_.schedule.built.any()
    assert run_.installed.sum() == 0.0
    # the owned flows are owned_costs' for the one site stopped at month 30
    _, fleet_, direct = run(only(ABILENE), stops_at(ABILENE, 30.0))
    for name in direct.flows:
        assert np.allclose(run_.flows[name], direct.flows[name], rtol=1e-12, atol=1e-6), name
    # salvage: the facility_capex flow is positive in the stop month, 0.3 x 12 months of spend less one month's
    cash = result.cashflows
    facility = cash[(cash.strategy == "abilene stopped") & (cash.category == "facility_capex")].set_index("month")["usd"]
    a = amounts(ABILENE, run_.schedule)
    monthly = (a["capex"] - a["deposit"]) / 30.0
    assert (run_.schedule.construction[0, s], run_.schedule.mechanical[0, s]) == (18.0, 48.0)
    assert facility.loc[30] == pytest.approx(monthly * (0.3 * 12.0 - 1.0), rel=1e-9)
    assert facility.loc[30] > 0
    assert len(facility.loc[19:29]) == 11
    assert np.allclose(facility.loc[19:29].to_numpy(), -monthly, rtol=1e-9)
    assert (facility.loc[:18] == 0).all()
    assert (facility.loc[31:] == 0).all()
    gpu = cash[(cash.strategy == "abilene stopped") & (cash.category == "gpu_capex")].set_index("month")["usd"]
    assert gpu.loc[30] == pytest.approx(-0.2 * float(fleet_.cancelled[0, s]), rel=1e-9)
    assert (gpu.drop(30) == 0).all()
    # the completed plan buys GPUs and installs capacity
    assert result.runs["abilene"].installed.sum() > 0
