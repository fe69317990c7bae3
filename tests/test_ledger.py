"""Present values event by event (econ.ledger) against monthly flows discounted month by month.

A Monte Carlo draw is worth only its present value, so econ.risk sums the owned program's
events straight into it (:class:`econ.ledger.PresentValue`) instead of building monthly arrays
(:class:`econ.ledger.Monthly`). Present value is linear in the flows, so the two must agree to
rounding: event by event here, category by category for whole strategies, and for the
simulation's columns against :func:`econ.evaluate`'s monthly cash flows.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from econ.assumptions import load_scenario
from econ.inputs import inputs_from_scenario
from econ.ledger import Monthly, PresentValue, carried_factors
from econ.risk import sample_inputs, simulate
from econ.strategies import CATEGORIES, TAX_CATEGORIES, discount_factors_monthly, forecast, market, npv_cost, run_strategy
from econ.tax import carry_forward, deductions
from econ.timeline import growth

RTOL = 1e-12


def _discounted(flow: np.ndarray, factors: np.ndarray) -> np.ndarray:
    """Month by month: ``sum_m flow_m d_m``, one value per draw."""
    return (flow * factors).sum(axis=1)


def _close(value: np.ndarray, expected: np.ndarray, scale: np.ndarray | float = 1.0) -> None:
    """Equal to rounding: within RTOL of the larger of the expected value and ``scale``."""
    assert np.all(np.abs(value - expected) <= RTOL * np.maximum(np.abs(expected), scale) + 1e-9)


events = st.integers(1, 6).flatmap(
    lambda n: st.tuples(
        st.just(n),
        st.integers(1, 40),  # months
        st.lists(st.sampled_from([-3.0, 0.0, 1.0, 2.0, 7.0, 12.0, 39.0, 40.0, 41.0, np.inf]), min_size=3 * n, max_size=3 * n),
        st.lists(st.floats(-1e9, 1e9), min_size=3 * n, max_size=3 * n),
        st.floats(0.0, 0.3),  # annual discount rate
    )
)


@given(events)
def test_events_are_worth_their_monthly_flows_discounted(case):
    n, months, at, amount, rate = case
    at, amount = np.reshape(at, (n, 3)), np.reshape(amount, (n, 3))
    factors = discount_factors_monthly(np.full(n, rate), months)
    index = np.linspace(0.5, 2.0, months)[None, :] * np.arange(1, n + 1)[:, None]
    book, value = Monthly(n, months), PresentValue(factors)
    scale = np.abs(amount).sum() * 2.0 * months
    _close(value.at(at, amount), _discounted(book.at(at, amount), factors), scale)
    _close(value.step(at, amount), _discounted(book.step(at, amount), factors), scale)
    _close(value.step(at, amount, index), _discounted(book.step(at, amount, index), factors), scale)
    start, end = np.minimum(at[:, 0], 50.0), np.minimum(at[:, 1], 50.0)  # a window is finite; it may end past the horizon
    _close(value.spread(start, end, amount[:, 2]), _discounted(book.spread(start, end, amount[:, 2]), factors), scale)
    rows = np.array([[0, n - 1, n // 2]] * n)
    _close(value.rows(rows, at, amount), _discounted(book.rows(rows, at, amount), factors), scale)


@given(st.integers(1, 30), st.floats(-5.0, 40.0), st.lists(st.floats(-1e6, 1e6), min_size=30, max_size=30))
def test_carried_factors_value_a_carried_flow(months, until, flow):
    flow_ = np.array(flow[:months])[None, :]
    factors = discount_factors_monthly(np.array([0.1]), months)
    _close(_discounted(flow_, carried_factors(factors, until)), _discounted(carry_forward(flow_, until), factors), 1e6 * months)


def test_deductions_into_a_present_value_ledger():
    months, placed = 60, np.array([[1.0, 14.0, np.inf], [30.0, 59.0, 3.0]])
    basis, rates = np.array([[100.0, 50.0, 7.0], [80.0, 10.0, 40.0]]), np.array([0.2, 0.32, 0.192, 0.1152, 0.1152, 0.0576])
    retired, shield = np.array([[np.inf, 30.0, np.inf], [np.inf, np.inf, 40.0]]), np.array([[0.21, 0.21, 0.3], [0.25, 0.25, 0.25]])
    factors = discount_factors_monthly(np.array([0.08, 0.12]), months)
    monthly, left = deductions(months, placed, basis, rates, retired, shield)
    value, left_too = deductions(months, placed, basis, rates, retired, shield, ledger=PresentValue(factors))
    _close(value, _discounted(monthly, factors))
    assert np.array_equal(left, left_too)


@pytest.mark.parametrize(
    ("name", "overrides"),
    [
        ("base", {}),
        ("build", {}),
        ("sovereign", {}),
        ("rent-only", {}),
        ("build", {"tax.loss_carry_forward_until_month": 40}),  # a tax ledger of its own
    ],
)
def test_a_strategy_run_at_factors_is_its_monthly_flows_discounted(name, overrides):
    scenario = load_scenario(name, overrides)
    inputs, _ = sample_inputs(scenario, 40, seed=11)
    plan, shared = forecast(inputs_from_scenario(scenario)), market(inputs)
    factors = discount_factors_monthly(inputs["finance.discount_rate_annual"], inputs.months)
    for strategy in ("rent", "build", "hybrid"):
        monthly = run_strategy(inputs, strategy, plan, shared)
        value = run_strategy(inputs, strategy, plan, shared, factors=factors)
        scale = np.abs(npv_cost(inputs, monthly, factors))
        for category in CATEGORIES:
            assert value.flows[category].shape == (inputs.n,)
            _close(value.flows[category], _discounted(monthly.flows[category], factors), scale)
        _close(npv_cost(inputs, value), npv_cost(inputs, monthly, factors), scale)
        assert set(TAX_CATEGORIES) <= set(value.flows)


@pytest.mark.parametrize("overrides", [{}, {"tax.loss_carry_forward_until_month": 40}])
def test_one_ledger_shared_by_the_strategies_gives_what_a_ledger_each_gives(overrides):
    """A PresentValue ledger passed to every strategy keeps the tail sums of their common indices, and changes no bit."""
    scenario = load_scenario("build", overrides)
    inputs, _ = sample_inputs(scenario, 40, seed=12)
    plan, shared = forecast(inputs_from_scenario(scenario)), market(inputs)
    factors = discount_factors_monthly(inputs["finance.discount_rate_annual"], inputs.months)
    book = PresentValue(factors)
    for strategy in ("rent", "build", "hybrid"):
        alone = run_strategy(inputs, strategy, plan, shared, factors=factors)
        sharing = run_strategy(inputs, strategy, plan, shared, factors=book)
        for category in CATEGORIES:
            assert np.array_equal(sharing.flows[category], alone.flows[category]), (strategy, category)
    inflation = id(inputs.growth("finance.inflation_annual"))
    assert inflation in book._tails  # computed for build, found for hybrid
    until = float(inputs["tax.loss_carry_forward_until_month"][0])
    tax = book.carried(until)
    assert tax is book.carried(until)  # one tax ledger too, whose tail sums the strategies share
    assert (tax is book) == (until <= 1)
    assert np.array_equal(tax.factors, carried_factors(factors, until))
    assert len(book._tails) < 2 * 5  # five indices a strategy with sites, the shared ones once


def test_a_growth_index_is_computed_once_and_read_only():
    inputs, _ = sample_inputs(load_scenario("build"), 5, seed=1)
    index = inputs.growth("finance.inflation_annual")
    assert index is inputs.growth("finance.inflation_annual")
    assert np.array_equal(index, growth(inputs["finance.inflation_annual"], inputs.months))
    with pytest.raises(ValueError, match="read-only"):
        index[0, 0] = 2.0
    changed = inputs.with_arrays({"finance.inflation_annual": inputs["finance.inflation_annual"] + 0.01})
    assert not np.array_equal(changed.growth("finance.inflation_annual"), index)  # a new input set, a new index


def test_a_simulation_matches_the_monthly_model_draw_by_draw():
    """simulate (present values) against run_strategy's monthly flows for the same draws."""
    scenario = load_scenario("build")
    draws = simulate(scenario, 30, seed=4)
    inputs, _ = sample_inputs(scenario, 30, seed=4)
    plan, shared = forecast(inputs_from_scenario(scenario)), market(inputs)
    for strategy in ("rent", "build", "hybrid"):
        expected = npv_cost(inputs, run_strategy(inputs, strategy, plan, shared))
        _close(draws[f"npv_cost_usd_{strategy}"].to_numpy(), expected)


def _deductions_by_hand(months, placed, basis, rates, retired):
    """One asset and one tax year at a time: year j's deduction at ``placed + 12 j``, while held and within the horizon."""
    n, k = placed.shape
    flow, left = np.zeros((n, months)), np.zeros((n, k))
    for i in range(n):
        for a in range(k):
            if placed[i, a] > months:
                continue
            taken = 0.0
            for j, rate in enumerate(rates[a]):
                at = placed[i, a] + 12 * j
                if at > months or at >= retired[i, a]:
                    break
                taken += basis[i, a] * rate
                if at >= 1:
                    flow[i, int(at) - 1] += basis[i, a] * rate
            left[i, a] = basis[i, a] - taken
    return flow, left


@given(
    st.integers(1, 80),
    st.lists(st.sampled_from([-5.0, 1.0, 6.0, 13.0, 40.0, 79.0, 80.0, np.inf]), min_size=6, max_size=6),
    st.lists(st.sampled_from([3.0, 12.0, 25.0, 60.0, np.inf]), min_size=6, max_size=6),
    st.lists(st.lists(st.sampled_from([0.0, 0.1, 0.2, 0.5]), min_size=8, max_size=8), min_size=3, max_size=3),
)
def test_deductions_match_a_year_by_year_loop(months, placed, held, rates):
    placed_, rates_ = np.reshape(placed, (2, 3)), np.array(rates)
    retired = placed_ + np.reshape(held, (2, 3))
    basis = np.array([[100.0, 250.0, 7.0], [1e6, 3.5, 40.0]])
    flow, left = deductions(months, placed_, basis, rates_, retired)
    expected_flow, expected_left = _deductions_by_hand(months, placed_, basis, rates_, retired)
    np.testing.assert_allclose(flow, expected_flow, rtol=1e-12, atol=1e-9)
    np.testing.assert_allclose(left, expected_left, rtol=1e-12, atol=1e-9)
