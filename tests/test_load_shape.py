"""The hourly load rule of the build-versus-rent model (econ.load_shape)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import econ
from econ.assumptions import ScenarioError, load_scenario
from econ.inputs import inputs_from_scenario
from econ.load_shape import HOURS_PER_YEAR, LoadCurves, fleet_utilization, load_curves, owned_work, representative_year, year_loads

FLAT = {
    "demand.load_shape": "hourly",
    "demand.interactive_shape": "batch_flat_v1",
    "demand.realtime_shape": "batch_flat_v1",
    "demand.hourly_noise_cv": 0.0,
}


def brute_served_below(s: np.ndarray, k: np.ndarray) -> np.ndarray:
    """E[min(s, k)] by averaging over every hour."""
    return np.minimum(s[None, :], k[:, None]).mean(axis=1)


@given(
    arrays(float, st.integers(1, 60), elements=st.floats(0.0, 5.0)),
    arrays(float, 7, elements=st.floats(0.0, 6.0)),
)
def test_served_below_is_the_mean_of_the_load_capped_at_the_level(values: np.ndarray, k: np.ndarray) -> None:
    s = np.sort(values)
    curves = LoadCurves(s[None, :], np.zeros(k.size, dtype=int))
    got = curves.served_below(k[:, None])[:, 0]
    np.testing.assert_allclose(got, brute_served_below(s, k), rtol=1e-12, atol=1e-12)
    above = curves.served_above(k[:, None])[:, 0]
    np.testing.assert_allclose(above, np.maximum(s[None, :] - k[:, None], 0.0).mean(axis=1), rtol=1e-12, atol=1e-12)
    assert np.all(above[k >= s[-1]] == 0.0)


@given(arrays(float, st.integers(2, 60), elements=st.floats(0.01, 5.0)))
def test_served_below_rises_from_zero_to_the_mean_and_is_concave(values: np.ndarray) -> None:
    s = np.sort(values / values.mean())
    k = np.linspace(0.0, s[-1] * 1.2, 50)
    curves = LoadCurves(s[None, :], np.zeros(k.size, dtype=int))
    g = curves.served_below(k[:, None])[:, 0]
    assert g[0] == 0.0
    assert g[-1] == pytest.approx(1.0)
    assert np.all(np.diff(g) >= -1e-12)
    assert np.all(np.diff(g, 2) <= 1e-9)  # each layer is used in no more hours than the one below it
    assert np.all(g <= np.minimum(k, 1.0) + 1e-12)


def test_flat_shapes_without_noise_are_the_flat_rule_at_full_utilization() -> None:
    """Every class flat, no noise: the year is flat, u = 1, and the model equals flat with u = 1 to the cent."""
    hourly = load_scenario("base", FLAT)
    flat = load_scenario("base", {"demand.provisioned_utilization": 1.0})
    assert fleet_utilization(inputs_from_scenario(hourly))[0] == pytest.approx(1.0, abs=1e-12)
    a, b = econ.evaluate(hourly).summary["npv_cost_usd"], econ.evaluate(flat).summary["npv_cost_usd"]
    np.testing.assert_allclose(a.to_numpy(), b.to_numpy(), rtol=0, atol=0.01)


def test_rent_does_not_depend_on_the_load_shape() -> None:
    """Demand at the decision is the capacity it fills: the capacity renting holds, and its cost, are the same."""
    base = econ.evaluate(load_scenario("base")).summary
    hourly = econ.evaluate(load_scenario("hourly")).summary
    assert hourly.at["rent", "npv_cost_usd"] == pytest.approx(base.at["rent", "npv_cost_usd"], rel=1e-12)
    assert hourly.at["build", "owned_mw"] == base.at["build", "owned_mw"]


def test_owned_capacity_is_dispatched_after_rented_capacity() -> None:
    """Owned work: nothing with no owned capacity, all of it with no rented capacity, and in between only the hours above R."""
    inputs = inputs_from_scenario(load_scenario("hourly"))
    u = fleet_utilization(inputs)[0]
    demand = np.full((1, 5), 100.0)
    provisioned = 100.0 / u
    served = np.array([[0.0, 0.25, 0.5, 0.75, 1.0]]) * provisioned
    work = owned_work(inputs, demand, served)[0]
    assert work[0] >= 0.0
    assert work[0] == pytest.approx(0.0, abs=1e-9)
    assert work[-1] == pytest.approx(100.0)
    assert np.all(np.diff(work) > 0)
    assert np.all(work <= served[0] + 1e-9)
    curves = load_curves(inputs.year, np.array([[0.15, 0.03, 24.0, 0.10]]))
    s = curves.ascending[0]
    rented = (provisioned - served[0]) / 100.0
    np.testing.assert_allclose(work, 100.0 * (1.0 - brute_served_below(s, rented)), rtol=1e-12, atol=1e-9)
    # the peaker runs less than the fleet: owned work per unit of owned capacity is below u
    assert work[1] / served[0, 1] < u


def test_moving_more_work_into_troughs_never_lowers_the_fleet_utilization() -> None:
    inputs = inputs_from_scenario(load_scenario("hourly"))
    params = np.array([[b, 0.03, 24.0, 0.10] for b in (0.0, 0.05, 0.15, 0.30, 0.5)])
    u = 1.0 / load_curves(inputs.year, params).peak_ratio
    assert np.all(np.diff(u) >= 0), u
    longer = 1.0 / load_curves(inputs.year, np.array([[0.15, 0.03, d, 0.10] for d in (1.0, 6.0, 24.0)])).peak_ratio
    assert np.all(np.diff(longer) >= 0), longer


def test_the_year_moves_batch_work_under_the_firm_peak_and_loses_none() -> None:
    inputs = inputs_from_scenario(load_scenario("hourly"))
    loads = year_loads(inputs.year, np.array([[0.3, 0.03, 24.0, 0.10]]))
    firm = loads["interactive"] + loads["realtime"]
    assert loads["load"].shape == (1, HOURS_PER_YEAR)
    assert loads["load"].max() <= firm.max() * (1 + 1e-12)
    # work is conserved up to what arrives in the last day and is served after the year
    arrived, served = (firm + loads["batch"]).sum(), loads["load"].sum()
    assert served <= arrived * (1 + 1e-12)
    assert arrived - served <= loads["batch"][0, -24:].sum() + 1e-9


def test_draws_with_the_same_workload_share_one_year() -> None:
    inputs = inputs_from_scenario(load_scenario("hourly"))
    params = np.array([[0.15, 0.03, 24.0, 0.1], [0.2, 0.03, 24.0, 0.1], [0.15, 0.03, 24.0, 0.1]])
    curves = load_curves(inputs.year, params)
    assert curves.ascending.shape == (2, HOURS_PER_YEAR)
    assert curves.group.tolist()[0] == curves.group.tolist()[2] != curves.group.tolist()[1]
    np.testing.assert_allclose(curves.ascending.mean(axis=1), 1.0, rtol=1e-12)


def test_representative_year_is_the_models_year_at_the_scenarios_values() -> None:
    scenario = load_scenario("hourly")
    year = representative_year(scenario, 500.0)
    assert list(year.columns) == ["interactive", "realtime", "batch", "load"]
    assert str(year.index.tz) == "UTC" and year.index[0].isoformat() == "2027-01-01T00:00:00+00:00"
    peak_ratio = float(year["load"].max() / year["load"].mean())
    assert 1.0 / peak_ratio == pytest.approx(fleet_utilization(inputs_from_scenario(scenario))[0], rel=1e-12)
    with pytest.raises(TypeError, match="scenario: expected a Scenario"):
        representative_year("hourly", 1.0)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"mean_load: must be finite and > 0 \[units of capacity\]; got -1"):
        representative_year(scenario, -1.0)


def test_a_workload_mix_beyond_one_is_refused_naming_both_keys() -> None:
    with pytest.raises(ScenarioError, match=r"demand.batch_share \+ demand.realtime_share = 1.1 \[1\] exceeds 1"):
        load_scenario("base", {"demand.batch_share": 0.6, "demand.realtime_share": 0.5})
    with pytest.raises(ScenarioError, match=r"demand.load_shape = 'daily'.*one of 'flat', 'hourly'"):
        load_scenario("base", {"demand.load_shape": "daily"})
    with pytest.raises(ScenarioError, match=r"demand.batch_shape = 'batch_flat'.*demand_shapes.csv"):
        load_scenario("base", {"demand.batch_shape": "batch_flat"})


def test_the_hourly_monte_carlo_draws_the_workload_and_reports_it() -> None:
    scenario = load_scenario("hourly")
    draws = econ.simulate(scenario, 40, 7)
    assert draws["demand.batch_share"].nunique() == 40
    assert np.isfinite(draws.filter(like="npv").to_numpy(float)).all()
    tornado = econ.tornado(scenario)
    assert {"demand.batch_share", "demand.hourly_noise_cv"} <= set(tornado.index)
