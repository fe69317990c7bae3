"""Plans and the optimizer (econ.plans, econ.optimize)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import econ
from econ.assumptions import load_scenario
from econ.decision import Choices, cvar, efficient_frontier, exhaustive, optimize, score
from econ.plans import make_plan

US_EU = ("us-va-loudoun", "us-tx-abilene", "ie-dub-dublin")


@pytest.fixture(scope="module")
def base():
    return load_scenario("base")


def contracts_of(scenario, strategy):
    table = scenario.contracts(strategy)
    return [(int(r["start_month"]), int(r["term_months"]), float(r["cover_share"])) for _, r in table.iterrows()]


def test_a_plan_stated_in_mw_is_the_named_strategy_it_describes(base):
    """Every site at its full MW with build's contracts costs what the named build costs, to the cent."""
    everything = {s: float(base[f"build.sites.{s}.it_mw"]) for s in base.site_ids}
    reservation = str(base["strategies.build.reservation"])
    same = make_plan(base, "all sites", everything, contracts=contracts_of(base, "build"), reservation=reservation)
    half = make_plan(base, "half", {s: mw / 2 for s, mw in everything.items()}, contracts=contracts_of(base, "hybrid"))
    named = econ.evaluate(base).summary["npv_cost_usd"]
    planned = econ.evaluate(base, [same, half]).summary["npv_cost_usd"]
    assert list(planned.index) == ["rent", "all sites", "half"]
    assert planned["all sites"] == pytest.approx(named["build"], abs=0.01)
    assert planned["half"] == pytest.approx(named["hybrid"], abs=0.01)
    assert planned["rent"] == pytest.approx(named["rent"], abs=0.01)


def test_plans_are_simulated_on_the_same_draws_as_the_named_strategies(base):
    named = econ.simulate(base, 30, 5)
    plan = make_plan(base, "abilene", {"us-tx-abilene": 200.0}, contracts=contracts_of(base, "build"))
    planned = econ.simulate(base, 30, 5, plans=[plan])
    np.testing.assert_array_equal(named["npv_cost_usd_rent"], planned["npv_cost_usd_rent"])
    assert "npv_cost_difference_abilene_usd" in planned and "sites_on_time_share" not in planned


def test_make_plan_refuses_what_the_scenario_cannot_build(base):
    with pytest.raises(ValueError, match=r"site_mw\['us-tx-abilene'\]: must be in \[0, 200\] \[MW\].*got 500"):
        make_plan(base, "x", {"us-tx-abilene": 500.0})
    with pytest.raises(ValueError, match="site_mw: 'us-tx-austin' is not a candidate site"):
        make_plan(base, "x", {"us-tx-austin": 10.0})
    with pytest.raises(ValueError, match=r"contracts\[0\]: cover_share must be in \[0, 1\] \[1\]; got 1.5"):
        make_plan(base, "x", contracts=[(0, 60, 1.5)])
    with pytest.raises(ValueError, match=r"start_month\['us-tx-abilene'\]: must be finite and >= 0 \[months\]"):
        make_plan(base, "x", {"us-tx-abilene": 10.0}, start_month={"us-tx-abilene": -3})
    with pytest.raises(ValueError, match="plans: names must be unique"):
        econ.evaluate(base, [make_plan(base, "a"), make_plan(base, "a")])


def test_cvar_by_hand():
    costs = np.array([10.0, 30.0, 20.0, 50.0, 40.0])
    assert float(cvar(costs, 0.8)) == 50.0  # the worst fifth of five draws: the largest
    assert float(cvar(costs, 0.6)) == 45.0  # the worst two: 50 and 40
    # 0.5 of five draws is 2.5 draws: 50, 40 and half of 30, over 2.5
    assert float(cvar(costs, 0.5)) == pytest.approx((50 + 40 + 0.5 * 30) / 2.5)
    with pytest.raises(ValueError, match=r"level: must be in \(0, 1\) \[1\]; got 1.0"):
        cvar(costs, 1.0)


@given(arrays(float, st.integers(1, 40), elements=st.floats(-1e6, 1e6)), st.floats(0.01, 0.99))
def test_cvar_is_the_tail_mean_between_the_quantile_and_the_maximum(costs: np.ndarray, level: float):
    value = float(cvar(costs, level))
    assert costs.mean() - 1e-6 <= value <= costs.max() + 1e-6
    # Rockafellar-Uryasev: CVaR is the minimum over t of t + E[max(C - t, 0)] / (1 - level)
    grid = np.concatenate([costs, np.linspace(costs.min(), costs.max(), 50)])
    ru = grid + np.maximum(costs[None, :] - grid[:, None], 0.0).mean(axis=1) / (1 - level)
    assert value == pytest.approx(ru.min(), rel=1e-9, abs=1e-6)


@given(arrays(float, st.tuples(st.integers(1, 30), st.just(2)), elements=st.floats(0, 100)))
def test_a_dominated_plan_is_never_on_the_frontier(points: np.ndarray):
    keep = efficient_frontier(points[:, 0], points[:, 1])
    assert keep.any()
    for i in np.flatnonzero(keep):
        no_worse = (points[:, 0] <= points[i, 0]) & (points[:, 1] <= points[i, 1])
        assert not (no_worse & ((points[:, 0] < points[i, 0]) | (points[:, 1] < points[i, 1]))).any()
    for i in np.flatnonzero(~keep):
        assert ((points[:, 0] <= points[i, 0]) & (points[:, 1] <= points[i, 1]) & keep).any()


@pytest.mark.parametrize(
    ("kind", "overrides", "choices"),
    [
        ("mean", {}, Choices(site_levels=(0.0, 0.5, 1.0), cover_shares=(0.5, 1.0), sites=US_EU)),
        ("cvar", {}, Choices(site_levels=(0.0, 0.5, 1.0), cover_shares=(0.5, 1.0), sites=US_EU)),
        ("mean+cvar", {"cloud.list_usd_per_gpu_hour": 11.5}, Choices(site_levels=(0.0, 1.0), terms=(36, 60), sites=US_EU)),
        ("mean", {}, Choices(site_levels=(0.0, 1.0), cover_shares=(0.5, 1.0), sites=US_EU[:2], colocation_levels=(0.0, 0.5, 1.0))),
        # a tight build-rate limit (C21) with start delays: the order and the limit interact
        (
            "mean",
            {"build.max_mw_started_per_year": 150.0, "cloud.list_usd_per_gpu_hour": 11.5},
            Choices(site_levels=(0.0, 1.0), start_delays=(0.0, 24.0), cover_shares=(1.0,), sites=US_EU),
        ),
    ],
    ids=["mean", "cvar", "mean+cvar-terms", "colocation", "rate-limit-delays"],
)
def test_the_search_finds_the_exhaustive_optimum_on_small_instances(kind, overrides, choices):
    scenario = load_scenario("base", overrides)
    table = exhaustive(scenario, kind, draws=60, seed=3, choices=choices, risk_weight=0.5)
    found = optimize(scenario, kind, draws=60, seed=3, search_draws=None, choices=choices, risk_weight=0.5)
    assert found.best.name == table.index[0]
    assert found.plans.loc[found.best.name, "objective_all_usd"] == pytest.approx(table["objective_usd"].iloc[0], rel=1e-12)
    assert found.evaluations <= len(table)
    shares = found.plans.loc[found.plans["on_frontier"].astype(bool), "best_share"]
    assert shares.sum() == pytest.approx(1.0)
    assert (found.named["more_than_best_usd"] >= -1e-3).all()


def test_the_objectives_by_hand():
    c = np.array([[1.0, 4.0], [2.0, 1.0], [9.0, 2.0], [4.0, 3.0]])
    np.testing.assert_allclose(score(c, "mean"), [4.0, 2.5])
    np.testing.assert_allclose(score(c, "cvar", 0.75), [9.0, 4.0])
    np.testing.assert_allclose(score(c, "mean+cvar", 0.75, 0.5), [8.5, 4.5])
    with pytest.raises(ValueError, match="objective: must be 'mean', 'cvar' or 'mean\\+cvar'; got 'median'"):
        score(c, "median")


def test_infeasible_decision_spaces_are_refused(base):
    with pytest.raises(ValueError, match=r"choices.cover_shares: must be a non-empty tuple of values in \[0, 1\] \[1\]; got \(1.5,\)"):
        optimize(base, draws=10, choices=Choices(cover_shares=(1.5,)))
    slow = load_scenario("base", {"build.max_mw_started_per_year": 1.0})
    with pytest.raises(ValueError, match=r"no site can start within the 180-month horizon at build.max_mw_started_per_year = 1 \["):
        optimize(slow, draws=10, choices=Choices(site_levels=(0.0, 1.0), sites=US_EU))
    with pytest.raises(ValueError, match=r"search_draws: must be in \[2, draws = 10\]; got 20"):
        optimize(base, draws=10, search_draws=20)
    with pytest.raises(ValueError, match=r"choices.sites: \['mars'\] are not candidate sites"):
        optimize(base, draws=10, choices=Choices(sites=("mars",)))
    with pytest.raises(ValueError, match="choices: the space has 19,683 plans, more than limit = 2,000"):
        exhaustive(base, draws=10)


def test_the_final_comparison_uses_more_draws_than_the_search(base):
    choices = Choices(site_levels=(0.0, 1.0), cover_shares=(1.0,), sites=US_EU[:2])
    result = optimize(base, draws=80, search_draws=20, choices=choices)
    assert (result.draws, result.search_draws) == (80, 20)
    finalists = result.plans.dropna(subset=["objective_all_usd"])
    assert result.best.name == finalists["objective_all_usd"].idxmin()


def test_flip_points_match_a_dense_scan(base):
    from econ.breakeven import flip_point, plan_costs_over

    key, bounds = "cloud.list_usd_per_gpu_hour", (5.0, 20.0)
    f = flip_point(base, key, bounds=bounds)
    dense = plan_costs_over(base, key, np.linspace(*bounds, 301))
    winner = dense.idxmin(axis=1)
    here = winner.index.get_indexer([f.scenario_value], method="nearest")[0]
    assert winner.iloc[here] == f.recommended
    below = winner.iloc[:here][winner.iloc[:here] != f.recommended]
    assert f.down_plan == below.iloc[-1] and below.index[-1] <= f.down_value <= below.index[-1] + 0.05 + 1e-9
    above = winner.iloc[here:][winner.iloc[here:] != f.recommended]
    if above.empty:
        assert np.isnan(f.up_value)
    else:
        assert f.up_plan == above.iloc[0] and above.index[0] - 0.05 - 1e-9 <= f.up_value <= above.index[0]


def test_a_flip_between_rent_and_one_plan_is_their_breakeven(base):
    from econ.breakeven import flip_point
    from econ.plans import named_plans

    plans = named_plans(econ.inputs.inputs_from_scenario(base))
    f = flip_point(base, "cloud.list_usd_per_gpu_hour", [plans["rent"], plans["hybrid"]], bounds=(5.0, 20.0))
    b = econ.breakeven(base, "cloud.list_usd_per_gpu_hour", "hybrid", bounds=(5.0, 20.0))
    assert (f.recommended, f.down_plan) == ("hybrid", "rent")
    assert f.down_value == pytest.approx(b.value, rel=1e-7)


def test_a_more_risk_averse_appetite_never_chooses_a_riskier_plan(base):
    choices = Choices(site_levels=(0.0, 1.0), cover_shares=(0.5, 1.0), sites=US_EU[:2], colocation_levels=(0.0, 1.0))
    result = optimize(base, draws=60, search_draws=None, choices=choices, frontier_weights=(0.5, 1.0, 4.0, 16.0))
    chosen = result.by_risk_weight
    assert list(chosen.index) == [0.0, 0.5, 1.0, 4.0, 16.0]
    assert np.all(np.diff(chosen["cvar_usd"].to_numpy()) <= 1e-6)
    assert np.all(np.diff(chosen["mean_usd"].to_numpy()) >= -1e-6)
    assert chosen.loc[0.0, "plan"] == result.best.name
    frontier = set(result.plans.index[result.plans["on_frontier"].astype(bool)])
    assert set(chosen["plan"]) <= frontier


def test_expected_flows_add_up_to_the_simulated_expected_costs(base):
    from econ.decision import expected_flows

    plan = make_plan(base, "colo", colocation_mw=200.0, contracts=contracts_of(base, "build"))
    table = expected_flows(base, [plan], draws=40, seed=9)
    draws = econ.simulate(base, 40, 9, plans=[plan])
    assert list(table.columns) == ["rent", "colo"]
    assert -table["colo"].sum() == pytest.approx(draws["npv_cost_usd_colo"].mean(), rel=1e-12)
    assert -table["rent"].sum() == pytest.approx(draws["npv_cost_usd_rent"].mean(), rel=1e-12)
    assert table.loc["colocation_rent", "colo"] < 0 and table.loc["land", "colo"] == 0.0
