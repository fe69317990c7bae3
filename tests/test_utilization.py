"""econ.utilization: the owned / rented split against brute force, screening tiers, valley filling, bad input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from econ.utilization import (
    Tier,
    fill_valleys,
    load_statistics,
    optimal_owned_capacity,
    owned_share_grid,
    screening_envelope,
    size_tiers,
    size_with_deferral,
)

loads = st.lists(st.floats(0.0, 100.0, allow_nan=False), min_size=1, max_size=60)
costs = st.floats(0.0, 5.0, allow_nan=False)


def owned_cost(load: np.ndarray, k: float, fixed: float, variable: float, rent: float) -> float:
    """Total cost of owning k and renting the rest when used (a direct sum)."""
    return fixed * load.size * k + variable * float(np.minimum(load, k).sum()) + rent * float(np.maximum(load - k, 0.0).sum())


def brute_force_owned(load: np.ndarray, fixed: float, variable: float, rent: float) -> float:
    """The least total cost over every candidate capacity (0 and each hour's load: C is piecewise linear with kinks there)."""
    return min(owned_cost(load, float(k), fixed, variable, rent) for k in np.append(load, 0.0))


# Owned against rented -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("load", "fixed", "variable", "rent", "expected"),
    [
        # base of 4 used every hour, 6 more used in a quarter of hours: threshold share 1/2.5 = 0.4
        ([10.0] * 6 + [4.0] * 18, 1.0, 0.5, 3.0, 4.0),
        # threshold 0.25: the top layer is used in exactly 25 % of hours, so it is the smallest optimum's edge
        ([10.0] * 6 + [4.0] * 18, 0.5, 0.0, 2.0, 4.0),
        # threshold 0.2: the 6 peak hours (25 %) pay for the top layer
        ([10.0] * 6 + [4.0] * 18, 0.4, 0.0, 2.0, 10.0),
        # renting no dearer than owning a unit busy every hour: own nothing
        ([5.0, 5.0], 1.0, 1.0, 2.0, 0.0),
        ([5.0, 5.0], 1.0, 0.0, 1.0, 0.0),
        # owning free: own the peak
        ([1.0, 7.0, 3.0], 0.0, 0.0, 1.0, 7.0),
    ],
)
def test_owned_capacity_is_the_level_exceeded_in_fixed_over_margin_of_hours(load, fixed, variable, rent, expected):
    got = optimal_owned_capacity(load, fixed, variable, rent)
    assert got == expected
    share_above = np.mean(np.asarray(load) > got)
    assert share_above <= fixed / (rent - variable) + 1e-12 if rent > variable else got == 0.0


@given(loads, costs, costs, st.floats(0.01, 10.0))
def test_owned_capacity_matches_brute_force(load, fixed, variable, rent):
    values = np.asarray(load)
    k = optimal_owned_capacity(values, fixed, variable, rent)
    assert owned_cost(values, k, fixed, variable, rent) <= brute_force_owned(values, fixed, variable, rent) * (1 + 1e-12) + 1e-9


@given(loads, costs, costs, costs, st.floats(0.01, 10.0))
def test_cheaper_owned_capacity_never_lowers_the_owned_share(load, fixed_a, fixed_b, variable, rent):
    low, high = sorted((fixed_a, fixed_b))
    assert optimal_owned_capacity(load, low, variable, rent) >= optimal_owned_capacity(load, high, variable, rent)


def test_vectorized_over_draws_and_costs_equals_one_at_a_time():
    rng = np.random.default_rng(4)
    draws = rng.gamma(2.0, 3.0, size=(50, 200))
    fixed = rng.uniform(0.1, 2.0, size=50)
    together = optimal_owned_capacity(draws, fixed, 0.2, 3.0)
    alone = [optimal_owned_capacity(draws[i], float(fixed[i]), 0.2, 3.0) for i in range(50)]
    np.testing.assert_array_equal(together, alone)


def test_a_series_with_an_hourly_index_is_accepted():
    index = pd.date_range("2027-01-01", periods=24, freq="h", tz="UTC")
    series = pd.Series([10.0] * 6 + [4.0] * 18, index=index)
    assert optimal_owned_capacity(series, 1.0, 0.5, 3.0) == 4.0
    stats = load_statistics(series)
    assert stats["peak"] == 10.0 and stats["mean"] == 5.5 and stats["load_factor"] == 0.55


def test_owned_share_grid_is_monotone_in_both_costs():
    rng = np.random.default_rng(7)
    load = 5 + 3 * np.sin(np.arange(24 * 60) * 2 * np.pi / 24) + rng.uniform(0, 1, 24 * 60)
    grid = owned_share_grid(load, np.linspace(0.2, 2.0, 7), 0.3, np.linspace(1.0, 5.0, 9))
    table = grid.pivot_table(index="owned_fixed_usd_per_hour", columns="rent_usd_per_hour", values="owned_share_of_work")
    assert np.all(np.diff(table.to_numpy(), axis=0) <= 1e-12)  # dearer owning: less owned
    assert np.all(np.diff(table.to_numpy(), axis=1) >= -1e-12)  # dearer renting: more owned
    one = grid.iloc[10]
    assert one["owned_capacity"] == optimal_owned_capacity(load, one["owned_fixed_usd_per_hour"], 0.3, one["rent_usd_per_hour"])


# Three tiers -------------------------------------------------------------------------------


TIERS = [Tier("owned", 1.0, 0.3), Tier("committed", 0.8, 0.6), Tier("on_demand", 0.0, 3.0)]


def test_envelope_crossings_are_where_cost_lines_meet():
    env = screening_envelope(TIERS)
    # on demand vs committed: 3 CF = 0.8 + 0.6 CF -> CF = 1/3; committed vs owned: 0.8 + 0.6 CF = 1 + 0.3 CF -> CF = 2/3
    assert env["tier"].tolist() == ["on_demand", "committed", "owned"]
    np.testing.assert_allclose(env["cf_from"], [0.0, 1 / 3, 2 / 3])
    np.testing.assert_allclose(env["cf_to"], [1 / 3, 2 / 3, 1.0])


def test_a_tier_that_is_never_cheapest_gets_no_capacity():
    tiers = [Tier("owned", 1.0, 0.3), Tier("expensive", 5.0, 5.0), Tier("on_demand", 0.0, 3.0)]
    sized = size_tiers([3.0, 2.0, 1.0], tiers)
    assert sized.loc["expensive", "capacity"] == 0.0 and sized.loc["expensive", "cost_usd"] == 0.0


def three_tier_brute_force(load: np.ndarray) -> float:
    """Least cost over every pair of tier boundaries at hourly load levels (owned at the bottom, committed above)."""
    candidates = np.unique(np.append(load, 0.0))
    best = np.inf
    n = load.size
    for a in candidates:
        for b in candidates[candidates >= a]:
            owned = np.minimum(load, a)
            committed = np.clip(load - a, 0.0, b - a)
            rented = np.maximum(load - b, 0.0)
            cost = (
                TIERS[0].fixed_usd_per_hour * n * a
                + TIERS[0].variable_usd_per_hour * owned.sum()
                + TIERS[1].fixed_usd_per_hour * n * (b - a)
                + TIERS[1].variable_usd_per_hour * committed.sum()
                + TIERS[2].variable_usd_per_hour * rented.sum()
            )
            best = min(best, cost)
    return float(best)


@given(st.lists(st.floats(0.0, 50.0, allow_nan=False), min_size=1, max_size=30))
def test_three_tier_sizing_matches_direct_minimization(load):
    values = np.asarray(load)
    sized = size_tiers(values, TIERS)
    assert sized.attrs["total_usd"] <= three_tier_brute_force(values) * (1 + 1e-12) + 1e-9
    assert sized["unit_hours_served"].sum() == pytest.approx(values.sum(), rel=1e-12, abs=1e-9)


# Valley filling ---------------------------------------------------------------------------


@given(
    st.lists(st.tuples(st.floats(0.0, 10.0), st.floats(0.0, 5.0)), min_size=1, max_size=48),
    st.floats(0.0, 12.0),
    st.integers(1, 12),
)
def test_valley_filling_meets_every_deadline_and_respects_capacity(pairs, capacity, deadline):
    firm = np.array([p[0] for p in pairs])
    work = np.array([p[1] for p in pairs])
    out = fill_valleys(firm, work, capacity, deadline)
    done = out["into_capacity"] + out["above_capacity"]
    # conservation: everything that arrived is served or still pending at the end
    assert done.sum() + out["unfinished"] == pytest.approx(work.sum(), abs=1e-9)
    # deadlines: by the end of hour h, all work that arrived by h - deadline + 1 is done
    due = np.concatenate([np.zeros(deadline - 1), np.cumsum(work)])[: work.size]
    assert np.all(np.cumsum(done) >= due - 1e-9)
    # capacity: inside it, the firm load plus the filled work never exceeds it
    assert np.all(firm + out["into_capacity"] <= np.maximum(capacity, firm) + 1e-9)
    assert np.all(out["into_capacity"] <= np.maximum(capacity - firm, 0.0) + 1e-9)


@given(st.lists(st.floats(0.0, 10.0), min_size=2, max_size=48), st.floats(0.0, 5.0), st.floats(0.0, 5.0), st.integers(1, 12))
def test_more_deferrable_work_never_lowers_owned_utilization(firm, a, b, deadline):
    small, large = sorted((a, b))
    values = np.asarray(firm)
    capacity = float(np.quantile(values, 0.8))
    used = [
        float(np.minimum(values, capacity).sum() + fill_valleys(values, np.full(values.size, w), capacity, deadline)["into_capacity"].sum())
        for w in (small, large)
    ]
    assert used[1] >= used[0] - 1e-9


def test_valley_filling_is_vectorized_over_draws():
    rng = np.random.default_rng(2)
    firm, work = rng.uniform(0, 10, (20, 72)), rng.uniform(0, 3, (20, 72))
    caps = rng.uniform(5, 10, 20)
    together = fill_valleys(firm, work, caps, 6)
    for i in range(20):
        alone = fill_valleys(firm[i], work[i], float(caps[i]), 6)
        np.testing.assert_allclose(together["into_capacity"][i], alone["into_capacity"], rtol=1e-12, atol=1e-12)


@given(
    st.lists(st.tuples(st.floats(0.0, 10.0), st.floats(0.0, 5.0)), min_size=2, max_size=48),
    st.integers(1, 12),
    st.floats(0.1, 2.0),
)
def test_moving_deferrable_work_never_raises_the_least_cost(pairs, deadline, fixed):
    firm = [p[0] for p in pairs]
    work = [p[1] for p in pairs]
    table = size_with_deferral(firm, work, deadline, fixed, 0.2, 3.0, candidates=11)
    assert table.at["moved", "total_usd"] <= table.at["on_arrival", "total_usd"] * (1 + 1e-12) + 1e-9


def test_moving_work_into_the_night_raises_owned_utilization():
    firm = ([2.0] * 12 + [8.0] * 12) * 30
    work = ([0.0] * 12 + [12.0] + [0.0] * 11) * 30
    table = size_with_deferral(firm, work, 24, 1.0, 0.2, 2.5)
    assert table.at["moved", "owned_utilization"] > table.at["on_arrival", "owned_utilization"]
    assert table.at["moved", "total_usd"] < table.at["on_arrival", "total_usd"]
    same = size_with_deferral(firm, [0.0] * len(firm), 24, 1.0, 0.2, 2.5)
    assert same.at["moved", "total_usd"] == pytest.approx(same.at["on_arrival", "total_usd"], rel=1e-12)


# Bad input -------------------------------------------------------------------------------


def twice(first: str, second: str) -> pd.Series:
    """Two hours of load at the given timestamps."""
    return pd.Series([1.0, 2.0], index=pd.DatetimeIndex([first, second]))


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda: optimal_owned_capacity([1.0, -2.0], 1.0, 0.0, 2.0),
            r"load: hourly load \[units of capacity\] must be finite and >= 0; got \[-2\.0\]",
        ),
        (lambda: optimal_owned_capacity([1.0, np.nan], 1.0, 0.0, 2.0), r"load: .* got \[nan\]"),
        (lambda: optimal_owned_capacity([], 1.0, 0.0, 2.0), r"load: at least one hour of load is needed"),
        (
            lambda: optimal_owned_capacity([1.0], -1.0, 0.0, 2.0),
            r"owned_fixed_usd_per_hour: must be finite and >= 0 \[USD per unit-hour\]",
        ),
        (lambda: optimal_owned_capacity([1.0], 1.0, 0.0, 0.0), r"rent_usd_per_hour: must be finite and > 0"),
        (
            lambda: optimal_owned_capacity(twice("2027-01-01 00:00", "2027-01-01 00:00"), 1.0, 0.0, 2.0),
            r"step 1 is 0 days 00:00:00",
        ),
        (
            lambda: optimal_owned_capacity(twice("2027-01-01 01:00", "2027-01-01 00:00"), 1.0, 0.0, 2.0),
            r"must be hourly, unique and increasing; step 1 is -1 days",
        ),
        (lambda: optimal_owned_capacity(pd.Series([1.0, 2.0]), 1.0, 0.0, 2.0), r"load: a Series needs a DatetimeIndex"),
        (lambda: optimal_owned_capacity(pd.DataFrame({"a": [1.0]}), 1.0, 0.0, 2.0), r"load: one series of hourly load is expected"),
        (lambda: fill_valleys([1.0], [1.0], 2.0, 0), r"deadline_hours: must be an integer >= 1 \[hours\]; got 0"),
        (lambda: fill_valleys([1.0], [1.0], 2.0, 0.5), r"deadline_hours: must be an integer >= 1 \[hours\]; got 0.5"),
        (lambda: fill_valleys([1.0, 2.0], [1.0], 2.0, 3), r"firm and deferrable must have the same shape"),
        (lambda: screening_envelope([Tier("a", 1.0, 0.0), Tier("a", 0.0, 1.0)]), r"tiers: names must be unique"),
        (lambda: Tier("owned", -1.0, 0.0), r"tiers\['owned'\].fixed_usd_per_hour: must be finite and >= 0"),
    ],
)
def test_bad_input_gives_the_documented_error(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_scenario_tiers_reproduce_the_owned_cost_and_the_contract_price():
    from econ.assumptions import load_scenario
    from econ.inputs import inputs_from_scenario
    from econ.unit_costs import capacity_tiers, owned_cost_by_generation

    base = load_scenario("base")
    owned, committed, on_demand = capacity_tiers(base)
    inputs = inputs_from_scenario(base)
    g = str(base["cloud.list_generation"])
    work = float(inputs["gen.work_per_gpu"][0][list(inputs.generation_ids).index(g)])
    u = base["demand.provisioned_utilization"]
    # at the scenario's utilization the owned tier costs what the unit-cost table says
    total = owned_cost_by_generation(base).at[g, "total_usd_per_gpu_hour"] / work
    assert float(owned.cost(u)) == pytest.approx(total, rel=1e-12)
    list_ref = base["cloud.list_usd_per_gpu_hour"] / work  # the list generation's own work
    assert on_demand.variable_usd_per_hour == pytest.approx(list_ref, rel=1e-12)
    assert committed.fixed_usd_per_hour == pytest.approx(list_ref * (1 - inputs.commit_schedule.discount[0].max()), rel=1e-12)
    with pytest.raises(ValueError, match=r"generation: 'tpu' is not one of the scenario's hardware.generation_ids"):
        capacity_tiers(base, "tpu")
