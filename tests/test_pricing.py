"""econ.pricing: optima against closed forms and brute force, point elasticities, quantile calibration, surveys by hand, bad input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from scipy.stats import logistic, norm

from econ.pricing import (
    ConstantElasticity,
    EmpiricalWTP,
    LinearDemand,
    LogitChoice,
    LognormalWTP,
    estimate_elasticity,
    gabor_granger,
    optimal_premium,
    optimal_price,
    profit_curve,
    quota_comparison,
    van_westendorp,
)

VW = ["too_cheap", "cheap", "expensive", "too_expensive"]


def log_slope_elasticity(demand, price: float, h: float = 1e-5) -> float:
    """-d ln q / d ln p by a central difference in log price."""
    up = float(np.log(demand.quantity(price * np.exp(h))))
    down = float(np.log(demand.quantity(price * np.exp(-h))))
    return -(up - down) / (2 * h)


def lognormal_elasticity(price: float, median: float, sigma: float) -> float:
    """phi(z) / (sigma (1 - Phi(z))) with z the standardized log price, from scipy.stats.norm's pdf and sf."""
    z = (np.log(price) - np.log(median)) / sigma
    return float(norm.pdf(z) / (sigma * norm.sf(z)))


def logit_elasticity(price: float, midpoint: float, scale: float) -> float:
    """p x hazard of the logistic (pdf / sf), from scipy.stats.logistic."""
    return float(price * logistic.pdf(price, loc=midpoint, scale=scale) / logistic.sf(price, loc=midpoint, scale=scale))


def profit(demand, cost: float, prices) -> np.ndarray:
    """(p - c) q(p), written out here rather than read from profit_curve."""
    p = np.asarray(prices, dtype=float)
    return (p - cost) * demand.quantity(p)


def vw_survey(rows, index=None) -> pd.DataFrame:
    return pd.DataFrame(np.asarray(rows, dtype=float), columns=VW, index=index)


# Constant elasticity: the Lerner rule ----------------------------------------------------------


@pytest.mark.parametrize(
    ("elasticity", "cost", "expected"),
    [
        (2.0, 1.0, 2.0),  # e / (e - 1) = 2: the price is twice the cost
        (3.0, 2.0, 3.0),  # 2 x 3 / 2
        (1.5, 1.0, 3.0),  # 1.5 / 0.5
        (5.0, 4.0, 5.0),  # 4 x 5 / 4
        (11.0, 10.0, 11.0),  # 10 x 11 / 10
    ],
)
def test_constant_elasticity_optimum_is_the_lerner_markup_by_hand(elasticity, cost, expected):
    assert optimal_price(ConstantElasticity(elasticity, 7.0), cost) == pytest.approx(expected, rel=1e-14)


@given(st.floats(1.05, 20.0), st.floats(0.01, 100.0), st.floats(0.1, 1000.0))
def test_constant_elasticity_optimum_is_cost_times_e_over_e_minus_one(elasticity, cost, scale):
    demand = ConstantElasticity(elasticity, scale)
    p = optimal_price(demand, cost)
    assert p == pytest.approx(cost * elasticity / (elasticity - 1.0), rel=1e-12)
    # and it is a maximum: a little above or below earns less
    best = float(profit(demand, cost, p))
    assert best >= float(profit(demand, cost, p * 1.001)) and best >= float(profit(demand, cost, p / 1.001))


# Linear demand: the midpoint of cost and choke price -----------------------------------------


@given(st.floats(1.0, 1000.0), st.floats(0.01, 100.0), st.floats(0.0, 0.95))
def test_linear_demand_optimum_is_the_midpoint_of_cost_and_choke_and_beats_a_brute_force_grid(intercept, slope, cost_share):
    choke = intercept / slope
    cost = cost_share * choke
    demand = LinearDemand(intercept, slope)
    p = optimal_price(demand, cost)
    assert p == pytest.approx((intercept / slope + cost) / 2.0, rel=1e-12)
    grid = np.linspace(cost, choke, 200_001)
    grid_profit = (grid - cost) * np.maximum(intercept - slope * grid, 0.0)  # (p - c)(a - b p), written out
    i = int(np.argmax(grid_profit))
    assert abs(grid[i] - p) <= grid[1] - grid[0]
    assert (p - cost) * (intercept - slope * p) >= grid_profit[i] * (1 - 1e-12)


def test_linear_demand_is_zero_at_and_above_the_choke_price():
    d = LinearDemand(100.0, 2.0)
    assert d.quantity([10.0, 50.0, 60.0]).tolist() == [80.0, 0.0, 0.0]
    assert d.upper_price() == 50.0
    assert np.isnan(d.point_elasticity([50.0, 60.0])).all()


# Numeric optima: the first-order condition and a dense grid ----------------------------------


@given(st.floats(0.5, 50.0), st.floats(0.1, 2.0), st.booleans(), st.floats(-3.0, 2.5))
def test_lognormal_optimum_satisfies_the_lerner_condition_and_beats_a_dense_grid(median, sigma, free, cost_z):
    # the cost is zero or at a price that a share Phi(-cost_z) >= 0.6 % of customers would pay (the far tail has its own test below)
    cost = 0.0 if free else median * np.exp(sigma * cost_z)
    demand = LognormalWTP(median, sigma, customers=1000.0)
    p = optimal_price(demand, cost)
    assert (p - cost) / p == pytest.approx(1.0 / lognormal_elasticity(p, median, sigma), abs=1e-6)
    grid = np.geomspace(max(cost, median * 1e-4), median * np.exp(7 * sigma), 50_001)
    assert float(profit(demand, cost, p)) >= float(profit(demand, cost, grid).max()) * (1 - 1e-12)


@given(st.floats(0.5, 10.0), st.floats(0.02, 1.0), st.floats(0.0, 1.0))
def test_logit_optimum_satisfies_the_lerner_condition_and_beats_a_dense_grid(midpoint, scale_share, cost_share):
    # the cost from zero to the premium that 1 / (1 + e^5) = 0.7 % of customers would pay
    scale = scale_share * midpoint
    cost = cost_share * (midpoint + 5 * scale)
    demand = LogitChoice(midpoint, scale, customers=50.0)
    p = optimal_price(demand, cost)
    assert (p - cost) / p == pytest.approx(1.0 / logit_elasticity(p, midpoint, scale), abs=1e-6)
    grid = np.linspace(max(cost, 1e-9), midpoint + 40 * scale, 50_001)
    assert float(profit(demand, cost, p)) >= float(profit(demand, cost, grid).max()) * (1 - 1e-12)


def test_lognormal_optimum_beyond_one_customer_in_a_million_still_satisfies_the_lerner_condition():
    demand = LognormalWTP(1.0, 6.0)
    p = optimal_price(demand, 0.0)
    assert lognormal_elasticity(p, 1.0, 6.0) == pytest.approx(1.0, abs=1e-6)


def test_lognormal_revenue_optimum_by_hand_is_where_the_elasticity_is_one():
    # zero cost: the Lerner condition is e(p) = 1, i.e. phi(z) = sigma (1 - Phi(z)); solve it here by bisection on z
    median, sigma = 2.0, 0.5
    lo, hi = -10.0, 10.0
    for _ in range(200):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if norm.pdf(mid) < sigma * norm.sf(mid) else (lo, mid)  # e(z) rises with z
    assert optimal_price(LognormalWTP(median, sigma), 0.0) == pytest.approx(median * np.exp(sigma * lo), rel=1e-7)


def test_empirical_wtp_quantity_is_the_share_at_or_above_the_price():
    d = EmpiricalWTP(np.array([4.0, 1.0, 3.0, 2.0]), customers=8.0)
    assert d.quantity([0.5, 1.0, 2.5, 4.0, 4.5]).tolist() == [8.0, 8.0, 4.0, 2.0, 0.0]
    assert d.upper_price() == 4.0


def test_empirical_wtp_optimum_is_the_best_sample_value():
    values = np.array([13.0, 19.0, 22.0])
    d = EmpiricalWTP(values)
    # by hand: revenue 13 x 3/3 = 13, 19 x 2/3 = 12.67, 22 x 1/3 = 7.33
    p = optimal_price(d, 0.0)
    assert float(profit(d, 0.0, p)) == pytest.approx(13.0, rel=1e-6)


def test_profit_curve_by_hand():
    table = profit_curve(LinearDemand(10.0, 1.0), 2.0, [4.0, 6.0, 12.0])
    assert table["quantity"].tolist() == [6.0, 4.0, 0.0]
    assert table["revenue"].tolist() == [24.0, 24.0, 0.0]
    assert table["profit"].tolist() == [12.0, 16.0, 0.0]


# Point elasticities against a finite difference ----------------------------------------------


@given(st.floats(0.05, 10.0), st.floats(0.1, 100.0), st.floats(0.01, 100.0))
def test_constant_elasticity_point_elasticity_matches_the_log_log_slope(elasticity, scale, price):
    d = ConstantElasticity(elasticity, scale)
    assert float(d.point_elasticity(price)) == pytest.approx(log_slope_elasticity(d, price), rel=1e-6)


@given(st.floats(1.0, 1000.0), st.floats(0.01, 100.0), st.floats(0.01, 0.95))
def test_linear_demand_point_elasticity_matches_the_log_log_slope(intercept, slope, share_of_choke):
    d = LinearDemand(intercept, slope)
    price = share_of_choke * intercept / slope
    assert float(d.point_elasticity(price)) == pytest.approx(log_slope_elasticity(d, price), rel=1e-5, abs=1e-9)


@given(st.floats(0.1, 100.0), st.floats(0.05, 3.0), st.floats(-4.0, 4.0))
def test_lognormal_point_elasticity_matches_the_log_log_slope_and_the_normal_hazard(median, sigma, z):
    d = LognormalWTP(median, sigma, customers=3.0)
    price = median * np.exp(sigma * z)
    got = float(d.point_elasticity(price))
    assert got == pytest.approx(log_slope_elasticity(d, price), rel=1e-5, abs=1e-9)
    assert got == pytest.approx(lognormal_elasticity(price, median, sigma), rel=1e-10)


@given(st.floats(0.1, 10.0), st.floats(0.01, 5.0), st.floats(0.01, 30.0))
def test_logit_point_elasticity_matches_the_log_log_slope_and_the_logistic_hazard(midpoint, scale, price):
    d = LogitChoice(midpoint, scale, customers=7.0)
    assume(abs(price - midpoint) / scale < 30)  # the share stays representable well above machine precision
    got = float(d.point_elasticity(price))
    assert got == pytest.approx(log_slope_elasticity(d, price), rel=1e-5, abs=1e-9)
    assert got == pytest.approx(logit_elasticity(price, midpoint, scale), rel=1e-10)


# Quantile calibration ------------------------------------------------------------------------


def test_two_statements_half_at_two_a_tenth_at_ten_by_hand():
    d = LognormalWTP.from_quantiles([(0.5, 2.0), (0.1, 10.0)], customers=40.0)
    # the median is the price half would pay; ln 10 = ln 2 + sigma z(0.1)
    assert d.median == pytest.approx(2.0, rel=1e-14)
    assert d.sigma == pytest.approx(np.log(5.0) / norm.isf(0.1), rel=1e-14)
    assert d.customers == 40.0
    assert d.quantity([2.0, 10.0]) == pytest.approx([20.0, 4.0], rel=1e-12)


@given(st.integers(1, 98), st.integers(1, 98), st.floats(0.01, 100.0), st.floats(1.01, 50.0))
def test_two_statements_are_recovered_exactly(share_a, share_b, low_price, ratio):
    assume(share_a != share_b)
    high_share, low_share = max(share_a, share_b) / 100, min(share_a, share_b) / 100
    high_price = low_price * ratio
    # given in either order
    d = LognormalWTP.from_quantiles([(low_share, high_price), (high_share, low_price)])
    assert d.quantity([low_price, high_price]) == pytest.approx([high_share, low_share], rel=1e-10, abs=1e-13)


@given(st.floats(0.05, 100.0), st.floats(0.05, 3.0), st.sets(st.integers(1, 99), min_size=3, max_size=8))
def test_three_or_more_statements_from_a_lognormal_recover_its_median_and_sigma(median, sigma, percents):
    shares = np.array(sorted(percents)) / 100
    prices = median * np.exp(sigma * norm.isf(shares))  # each share of customers would pay at least this
    d = LognormalWTP.from_quantiles(list(zip(shares.tolist(), prices.tolist(), strict=True)))
    assert d.median == pytest.approx(median, rel=1e-9)
    assert d.sigma == pytest.approx(sigma, rel=1e-9)


@pytest.mark.parametrize(
    ("statements", "message"),
    [
        ([(0.5, 2.0)], r"statements: at least two \(share, price\) statements are needed; got \[\(0\.5, 2\.0\)\]"),
        ([(0.5, 2.0), (0.0, 10.0)], r"statements: shares must be in \(0, 1\) \[1\]; got \[0\.5, 0\.0\]"),
        ([(1.0, 2.0), (0.1, 10.0)], r"statements: shares must be in \(0, 1\) \[1\]; got \[1\.0, 0\.1\]"),
        ([(1.2, 2.0), (0.1, 10.0)], r"statements: shares must be in \(0, 1\) \[1\]; got \[1\.2, 0\.1\]"),
        ([(0.5, 2.0), (-0.1, 10.0)], r"statements: shares must be in \(0, 1\) \[1\]"),
        ([(0.5, 0.0), (0.1, 10.0)], r"statements price: must be finite and > 0 \[currency per unit\]; got \[0\.0\]"),
        ([(0.5, -2.0), (0.1, 10.0)], r"statements price: must be finite and > 0 \[currency per unit\]; got \[-2\.0\]"),
        # a higher price with a larger share
        (
            [(0.1, 2.0), (0.5, 10.0)],
            r"statements: out of order: a higher price must be paid by a smaller share of customers; "
            r"got \[\(0\.1, 2\.0\), \(0\.5, 10\.0\)\]",
        ),
        ([(0.5, 2.0), (0.3, 5.0), (0.4, 10.0)], r"statements: out of order: a higher price must be paid by a smaller share"),
        # the same share at two prices, or two shares at one price
        ([(0.5, 2.0), (0.5, 10.0)], r"statements: out of order"),
        ([(0.5, 2.0), (0.2, 2.0)], r"statements: out of order"),
    ],
)
def test_bad_statements_are_rejected(statements, message):
    with pytest.raises(ValueError, match=message):
        LognormalWTP.from_quantiles(statements)


# Elasticity estimate -------------------------------------------------------------------------


@given(st.floats(0.1, 5.0), st.floats(0.1, 1000.0), st.integers(2, 12))
def test_noiseless_constant_elasticity_data_give_the_elasticity_exactly(elasticity, scale, points):
    prices = np.geomspace(0.5, 20.0, points)
    fit = estimate_elasticity(prices, scale * prices**-elasticity)
    assert fit.elasticity == pytest.approx(elasticity, rel=1e-9)
    assert fit.scale == pytest.approx(scale, rel=1e-9)
    assert fit.r_squared == pytest.approx(1.0, abs=1e-12)
    assert fit.points == points and fit.confidence == 0.95
    if points == 2:
        assert np.isnan(fit.low) and np.isnan(fit.high)
    else:
        assert fit.low == pytest.approx(elasticity, rel=1e-7) and fit.high == pytest.approx(elasticity, rel=1e-7)
    assert fit.demand() == ConstantElasticity(fit.elasticity, fit.scale)


@pytest.mark.parametrize("confidence", [0.95, 0.8])
def test_elasticity_interval_covers_the_true_elasticity_at_its_level(confidence):
    true_e, prices, hits, replications = 1.8, np.geomspace(1.0, 10.0, 10), 0, 400
    for seed in range(replications):
        rng = np.random.default_rng(seed)
        quantities = 100.0 * prices**-true_e * np.exp(rng.normal(0.0, 0.25, prices.size))
        fit = estimate_elasticity(prices, quantities, confidence=confidence)
        assert fit.low < fit.elasticity < fit.high
        hits += fit.low <= true_e <= fit.high
    assert confidence - 0.03 <= hits / replications <= confidence + 0.03


def test_elasticity_interval_is_the_ols_t_interval_by_hand():
    prices = np.array([1.0, 2.0, 4.0, 8.0])
    quantities = np.array([100.0, 30.0, 14.0, 5.0])
    x, y = np.log(prices), np.log(quantities)
    sxx = np.sum((x - x.mean()) ** 2)
    slope = np.sum((x - x.mean()) * (y - y.mean())) / sxx
    resid = y - y.mean() - slope * (x - x.mean())
    half = 4.302652729911275 * np.sqrt(np.sum(resid**2) / 2 / sxx)  # t(0.975, 2 degrees of freedom)
    fit = estimate_elasticity(prices, quantities)
    assert fit.elasticity == pytest.approx(-slope, rel=1e-12)
    assert (fit.low, fit.high) == pytest.approx((-slope - half, -slope + half), rel=1e-9)
    assert fit.r_squared == pytest.approx(1 - np.sum(resid**2) / np.sum((y - y.mean()) ** 2), rel=1e-12)


@pytest.mark.parametrize(
    ("prices", "quantities", "kwargs", "message"),
    [
        ([1.0], [2.0], {}, r"prices, quantities: need two or more points of the same length; got shapes \(1,\) and \(1,\)"),
        ([1.0, 2.0, 3.0], [2.0, 1.0], {}, r"prices, quantities: need two or more points of the same length; got shapes \(3,\) and \(2,\)"),
        ([2.0, 2.0, 2.0], [3.0, 2.0, 1.0], {}, r"prices: all equal; an elasticity needs prices that vary"),
        ([0.0, 2.0], [3.0, 2.0], {}, r"prices: must be finite and > 0 \[currency per unit\]; got \[0\.0\]"),
        ([-1.0, 2.0], [3.0, 2.0], {}, r"prices: must be finite and > 0 \[currency per unit\]; got \[-1\.0\]"),
        ([1.0, 2.0], [3.0, 0.0], {}, r"quantities: must be finite and > 0 \[quantity\]; got \[0\.0\]"),
        ([1.0, 2.0], [3.0, 2.0], {"confidence": 1.0}, r"confidence: must be in \(0, 1\) \[1\]; got 1\.0"),
        ([1.0, 2.0], [3.0, 2.0], {"confidence": 0.0}, r"confidence: must be in \(0, 1\) \[1\]; got 0\.0"),
    ],
)
def test_bad_elasticity_data_are_rejected(prices, quantities, kwargs, message):
    with pytest.raises(ValueError, match=message):
        estimate_elasticity(prices, quantities, **kwargs)


# Van Westendorp ------------------------------------------------------------------------------

# Survey A. Answers (too cheap, cheap, expensive, too expensive) of three respondents; the grid is every price answered, 1 ... 8.
SURVEY_A = [[1, 2, 4, 6], [2, 3, 5, 7], [3, 5, 6, 8]]
# price            1    2    3    4    5    6    7    8
# too cheap  (>p) 2/3  1/3   0    0    0    0    0    0
# not cheap       0    1/3  2/3  2/3   1    1    1    1      (cheap > p: 1, 2/3, 1/3, 1/3, 0 ...)
# expensive (<=p)  0    0    0   1/3  2/3   1    1    1
# not expensive    1    1    1   2/3  1/3   0    0    0
# too expensive    0    0    0    0    0   1/3  2/3   1
# PMC: not cheap - too cheap = -2/3, 0          -> 2 (on the grid)
# PME: too exp. - not exp.   = ..., -1/3, +1/3   -> between 5 and 6, halfway: 5.5
# OPP: too exp. - too cheap  = -2/3, -1/3, 0     -> 3
# IPP: expensive - cheap     = -1, -2/3, -1/3, 0 -> 4
#
# Survey B. Grid 1, 3, 4, 5, 6, 9, 10.
SURVEY_B = [[4, 6, 9, 10], [1, 3, 4, 5], [5, 6, 9, 10]]
# price            1    3    4    5    6    9   10
# too cheap       2/3  2/3  1/3   0    0    0    0
# cheap            1   2/3  2/3  2/3   0    0    0
# expensive        0    0   1/3  1/3  1/3   1    1
# too expensive    0    0    0   1/3  1/3  1/3   1
# PMC: (1 - cheap) - too cheap = -2/3, -1/3, 0           -> 4
# PME: too exp. - (1 - exp.)   = ..., -1/3 at 6, +1/3 at 9 -> 6 + 3 x (1/3) / (2/3) = 7.5
# OPP: too exp. - too cheap    = -1/3 at 4, +1/3 at 5     -> 4.5
# IPP: expensive - cheap       = -1/3 at 5, +1/3 at 6     -> 5.5


@pytest.mark.parametrize(
    ("rows", "prices", "expected"),
    [
        (SURVEY_A, None, {"pmc": 2.0, "pme": 5.5, "opp": 3.0, "ipp": 4.0}),
        (SURVEY_B, None, {"pmc": 4.0, "pme": 7.5, "opp": 4.5, "ipp": 5.5}),
        # Survey B on the grid 2, 4, 6, 8, 10:
        #   too cheap 2/3 1/3 0 0 0; cheap 1 2/3 0 0 0; expensive 0 1/3 1/3 1/3 1; too expensive 0 0 1/3 1/3 1
        #   PMC: -2/3, 0 -> 4;  PME: -1, -2/3, -1/3, -1/3, +1 -> 8 + 2 x (1/3) / (4/3) = 8.5
        #   OPP: -2/3, -1/3, +1/3 -> 4 + 2 x (1/3) / (2/3) = 5;  IPP: -1, -1/3, +1/3 -> 5
        (SURVEY_B, [2.0, 4.0, 6.0, 8.0, 10.0], {"pmc": 4.0, "pme": 8.5, "opp": 5.0, "ipp": 5.0}),
        # the docstring's two respondents: too cheap and too expensive cross at 3.5
        ([[1, 2, 3, 3.5], [4, 5, 6, 7]], None, {"opp": 3.5}),
    ],
)
def test_van_westendorp_intersections_by_hand(rows, prices, expected):
    result = van_westendorp(vw_survey(rows), prices=prices)
    for point, value in expected.items():
        assert result["points"][point] == pytest.approx(value, rel=1e-12), point
    assert result["respondents"] == len(rows)
    assert result["excluded"].empty


def test_van_westendorp_curves_by_hand():
    curves = van_westendorp(vw_survey(SURVEY_A))["curves"]
    assert curves.index.tolist() == [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0]
    third = 1.0 / 3.0
    assert curves["too_cheap"].to_numpy() == pytest.approx([2 * third, third, 0, 0, 0, 0, 0, 0])
    assert curves["cheap"].to_numpy() == pytest.approx([1, 2 * third, third, third, 0, 0, 0, 0])
    assert curves["expensive"].to_numpy() == pytest.approx([0, 0, 0, third, 2 * third, 1, 1, 1])
    assert curves["too_expensive"].to_numpy() == pytest.approx([0, 0, 0, 0, 0, third, 2 * third, 1])
    assert curves["not_cheap"].to_numpy() == pytest.approx(1 - curves["cheap"].to_numpy())
    assert curves["not_expensive"].to_numpy() == pytest.approx(1 - curves["expensive"].to_numpy())


def test_nms_trial_curve_of_one_respondent_is_the_piecewise_linear_profile_by_hand():
    survey = vw_survey([[1, 2, 4, 5]]).assign(p_cheap=0.8, p_expensive=0.3)
    prices = [0.5, 1.0, 1.5, 2.0, 3.0, 4.0, 4.5, 5.0, 6.0]
    result = van_westendorp(survey, prices=prices, purchase_cheap="p_cheap", purchase_expensive="p_expensive")
    # 0 up to too cheap (1), up to 0.8 at cheap (2), down to 0.3 at expensive (4), to 0 at too expensive (5), 0 beyond
    trial = [0.0, 0.0, 0.4, 0.8, 0.55, 0.3, 0.15, 0.0, 0.0]
    nms = result["nms"]
    assert nms["price"].tolist() == prices
    assert nms["trial"].to_numpy() == pytest.approx(trial, abs=1e-15)
    assert nms["revenue"].to_numpy() == pytest.approx(np.array(prices) * trial, abs=1e-15)
    # revenue 0, 0, 0.6, 1.6, 1.65, 1.2, 0.675, 0, 0
    assert result["nms_points"]["price_max_trial"] == 2.0
    assert result["nms_points"]["price_max_revenue"] == 3.0


def test_nms_trial_curve_is_the_mean_over_respondents():
    survey = vw_survey([[1, 2, 4, 5], [2, 3, 5, 6]]).assign(pc=[0.8, 1.0], pe=[0.3, 0.5])
    result = van_westendorp(survey, prices=[2.0, 3.0, 5.0], purchase_cheap="pc", purchase_expensive="pe")
    # first: 0.8, 0.55, 0; second: 0, 1.0, 0.5
    assert result["nms"]["trial"].to_numpy() == pytest.approx([0.4, 0.775, 0.25], abs=1e-15)


def test_a_respondent_whose_too_cheap_exceeds_too_expensive_is_excluded_and_reported():
    good = vw_survey(SURVEY_B, index=["r1", "r2", "r3"])
    bad = vw_survey([[12, 3, 4, 5]], index=["r4"])  # too cheap 12 > too expensive 5
    result = van_westendorp(pd.concat([good, bad]))
    excluded = result["excluded"]
    assert excluded.index.tolist() == ["r4"]
    assert excluded.loc["r4", "reason"] == "answers not in increasing order"
    assert excluded.loc["r4", VW].tolist() == [12.0, 3.0, 4.0, 5.0]
    assert result["respondents"] == 3
    # the points are those of the valid respondents alone
    pd.testing.assert_series_equal(result["points"], van_westendorp(good)["points"])


def test_respondents_with_missing_equal_or_non_positive_answers_are_excluded_with_their_reason():
    survey = pd.concat(
        [
            vw_survey(SURVEY_A),
            vw_survey([[1, np.nan, 4, 6], [0, 2, 4, 6], [1, 2, 2, 6]], index=[10, 11, 12]),
        ]
    )
    result = van_westendorp(survey)
    assert result["excluded"]["reason"].to_dict() == {
        10: "missing or non-positive answer",
        11: "missing or non-positive answer",
        12: "answers not in increasing order",
    }
    assert result["respondents"] == 3


def test_a_survey_with_no_valid_respondent_is_rejected():
    with pytest.raises(ValueError, match=r"survey: no respondent has answers in increasing order \(2 excluded\)"):
        van_westendorp(vw_survey([[5, 3, 4, 2], [1, 1, 1, 1]]))


@pytest.mark.parametrize(
    ("survey", "kwargs", "message"),
    [
        (
            pd.DataFrame({"too_cheap": [1.0], "cheap": [2.0], "expensive": [3.0]}),
            {},
            r"survey: columns \['too_expensive'\] are missing; a Van Westendorp survey needs",
        ),
        (vw_survey([[1, 2, 3, 4]]), {"prices": [0.0, 2.0]}, r"prices: must be finite and > 0 \[currency per unit\]; got \[0\.0\]"),
        (
            vw_survey([[1, 2, 3, 4]]).assign(pc=1.2, pe=0.5),
            {"purchase_cheap": "pc", "purchase_expensive": "pe"},
            r"pc, pe: purchase probabilities must be in \[0, 1\] \[1\]",
        ),
    ],
)
def test_bad_van_westendorp_input_is_rejected(survey, kwargs, message):
    with pytest.raises(ValueError, match=message):
        van_westendorp(survey, **kwargs)


# Gabor-Granger -------------------------------------------------------------------------------


def gg_survey(intents: dict[int, list[float]], prices: list[float]) -> pd.DataFrame:
    return pd.DataFrame(
        [{"respondent": r, "price": p, "intent": i} for r, row in intents.items() for p, i in zip(prices, row, strict=True)]
    )


def test_gabor_granger_demand_revenue_and_best_prices_by_hand():
    survey = gg_survey({1: [1, 1, 1, 0], 2: [1, 1, 0, 0], 3: [1, 1, 1, 1], 4: [1, 1, 0, 0]}, [1.0, 2.0, 3.0, 4.0])
    table = gabor_granger(survey, unit_cost=1.5)
    assert table.index.tolist() == [1.0, 2.0, 3.0, 4.0]
    assert table["demand"].tolist() == [1.0, 1.0, 0.5, 0.25]
    assert table["respondents"].tolist() == [4, 4, 4, 4]
    assert table["revenue"].tolist() == [1.0, 2.0, 1.5, 1.0]
    assert table["profit"].tolist() == [-0.5, 0.5, 0.75, 0.625]
    assert table.attrs["price_max_revenue"] == 2.0
    assert table.attrs["price_max_profit"] == 3.0


def test_gabor_granger_with_probabilities_and_unequal_price_lists():
    survey = pd.DataFrame({"respondent": [1, 1, 2, 2, 3], "price": [10.0, 20.0, 10.0, 20.0, 30.0], "intent": [0.9, 0.5, 0.7, 0.2, 0.4]})
    table = gabor_granger(survey)
    assert table["demand"].to_numpy() == pytest.approx([0.8, 0.35, 0.4])
    assert table["respondents"].tolist() == [2, 2, 1]
    assert table["revenue"].to_numpy() == pytest.approx([8.0, 7.0, 12.0])
    assert table.attrs["price_max_revenue"] == 30.0
    assert table.attrs["price_max_profit"] == 30.0  # no cost: profit is revenue


@pytest.mark.parametrize(
    ("intent", "message"),
    [
        ([1.0, 1.5], r"survey intent: must be in \[0, 1\] \[1\]; got \[1\.5\]"),
        ([-0.1, 0.5], r"survey intent: must be in \[0, 1\] \[1\]; got \[-0\.1\]"),
        ([np.nan, 0.5], r"survey intent: must be in \[0, 1\] \[1\]; got \[nan\]"),
    ],
)
def test_gabor_granger_rejects_intent_outside_zero_one(intent, message):
    with pytest.raises(ValueError, match=message):
        gabor_granger(pd.DataFrame({"respondent": [1, 1], "price": [1.0, 2.0], "intent": intent}))


def test_gabor_granger_rejects_non_positive_prices_and_missing_columns():
    with pytest.raises(ValueError, match=r"survey price: must be finite and > 0 \[currency per unit\]; got \[0\.0\]"):
        gabor_granger(pd.DataFrame({"respondent": [1, 1], "price": [0.0, 2.0], "intent": [1.0, 0.0]}))
    with pytest.raises(ValueError, match=r"survey: columns \['intent'\] are missing"):
        gabor_granger(pd.DataFrame({"respondent": [1], "price": [1.0]}))


# Premium of a fast tier ------------------------------------------------------------------------


def test_break_even_multiple_and_premium_by_hand():
    # P = 10, C = 4, m = 2.5: break even at 1 + 1.5 x 4 / 10 = 1.6; the Lerner markup for e = 3 is 3/2: 2.4
    s = optimal_premium(ConstantElasticity(3.0, 0.2), 10.0, 4.0, 2.5)
    assert s["break_even_multiple"] == pytest.approx(1.6, rel=1e-14)
    assert s["premium_multiple"] == pytest.approx(2.4, rel=1e-14)
    assert s["take_up"] == pytest.approx(0.2 * 2.4**-3, rel=1e-12)
    assert s["added_profit_per_customer"] == pytest.approx(10.0 * 0.2 * 2.4**-3 * 0.8, rel=1e-12)


def test_a_fast_tier_that_costs_no_more_breaks_even_at_the_standard_price():
    s = optimal_premium(LogitChoice(1.5, 0.2), 8.0, 3.0, 1.0)
    assert s["break_even_multiple"] == 1.0


@given(
    st.floats(1.0, 20.0),
    st.floats(0.0, 0.9),
    st.floats(1.0, 4.0),
    st.floats(0.5, 3.0),
    st.floats(0.02, 1.0),
)
def test_premium_adds_at_least_the_profit_of_any_premium_on_a_grid(price, cost_share, multiple, midpoint_ratio, scale):
    cost = cost_share * price
    break_even = 1.0 + (multiple - 1.0) * cost / price  # by hand
    take_up = LogitChoice(midpoint_ratio * break_even, scale)
    assume(break_even < take_up.upper_price())
    s = optimal_premium(take_up, price, cost, multiple)
    assert s["break_even_multiple"] == pytest.approx(break_even, rel=1e-14)
    k = s["premium_multiple"]
    share = float(logistic.sf(k, loc=midpoint_ratio * break_even, scale=scale))
    assert s["take_up"] == pytest.approx(share, rel=1e-12)
    # the profit a customer taking fast adds: k P - m C - (P - C)
    added = share * (k * price - multiple * cost - (price - cost))
    assert s["added_profit_per_customer"] == pytest.approx(added, rel=1e-9, abs=1e-12)
    grid = np.linspace(break_even, take_up.upper_price(), 50_001)
    grid_added = logistic.sf(grid, loc=midpoint_ratio * break_even, scale=scale) * (grid * price - multiple * cost - (price - cost))
    assert added >= float(grid_added.max()) - 1e-12 * max(1.0, abs(float(grid_added.max())))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((10.0, 4.0, 0.5), r"fast_cost_multiple: must be >= 1 \[1\] \(a faster tier serves fewer tokens per GPU-hour\); got 0\.5"),
        ((10.0, 4.0, 0.999), r"fast_cost_multiple: must be >= 1 \[1\]"),
        ((10.0, 4.0, 0.0), r"fast_cost_multiple: must be finite and > 0 \[1\]; got \[0\.0\]"),
        ((0.0, 4.0, 2.0), r"standard_price: must be finite and > 0 \[currency per unit\]; got \[0\.0\]"),
        ((10.0, -1.0, 2.0), r"standard_cost: must be finite and >= 0 \[currency per unit\]; got \[-1\.0\]"),
    ],
)
def test_bad_premium_input_is_rejected(args, message):
    with pytest.raises(ValueError, match=message):
        optimal_premium(LogitChoice(2.0, 0.3), *args)


# Step plan against smooth price ----------------------------------------------------------------


def test_step_plan_loses_a_seat_just_above_a_quota_that_the_smooth_plan_keeps():
    usage = np.array([90.0, 110.0, 150.0, 250.0])
    tiers = [(100.0, 50.0), (200.0, 120.0)]
    # step: 90 -> 50 (stays), 110 -> 120 > 110 (leaves, within 20 % above the 100 quota), 150 -> 120 (stays), 250 -> no tier (leaves)
    # smooth (50 + 0.5 per unit above 100): 50, 55, 75, 125, all within value
    table = quota_comparison(usage, np.ones(4), tiers, (50.0, 100.0, 0.5))
    assert table.index.tolist() == ["step", "smooth"]
    assert table.loc["step"].to_dict() == {"retention": 0.5, "revenue": 170.0, "revenue_per_seat": 42.5, "lost_at_a_step": 0.25}
    assert table.loc["smooth"].to_dict() == {"retention": 1.0, "revenue": 305.0, "revenue_per_seat": 76.25, "lost_at_a_step": 0.0}


def test_a_seat_exactly_at_a_quota_stays_in_that_tier():
    table = quota_comparison(np.array([100.0]), np.array([0.5]), [(100.0, 50.0), (200.0, 120.0)], (60.0, 0.0, 0.0))
    assert table.loc["step", "revenue"] == 50.0 and table.loc["step", "retention"] == 1.0
    assert table.loc["smooth", "retention"] == 0.0  # 60 > 100 x 0.5


@given(
    st.lists(st.tuples(st.floats(1.0, 1000.0), st.floats(0.0, 500.0)), min_size=1, max_size=5),
    st.lists(st.floats(0.0, 1.0), min_size=1, max_size=40),
    st.floats(0.0, 100.0),
    st.floats(0.0, 500.0),
    st.floats(0.0, 2.0),
)
def test_when_every_seat_values_its_work_above_any_price_all_stay_and_pay_their_plan(tier_steps, usage_shares, base, included, rate):
    # quotas and prices increasing: cumulative sums of positive steps
    quotas = np.cumsum([q for q, _ in tier_steps])
    prices = np.cumsum([p for _, p in tier_steps])
    tiers = list(zip(quotas.tolist(), prices.tolist(), strict=True))
    usage = np.maximum(np.array(usage_shares) * quotas[-1], 1e-3)  # every seat within the largest quota, none at zero
    table = quota_comparison(usage, np.full(usage.size, 1e9), tiers, (base, included, rate))
    step_pays = [min(p for q, p in tiers if q >= u) for u in usage]
    smooth_pays = [base + rate * max(u - included, 0.0) for u in usage]
    assert table["retention"].tolist() == [1.0, 1.0]
    assert table["lost_at_a_step"].tolist() == [0.0, 0.0]
    assert table.loc["step", "revenue"] == pytest.approx(sum(step_pays), rel=1e-12)
    assert table.loc["smooth", "revenue"] == pytest.approx(sum(smooth_pays), rel=1e-12)
    assert table.loc["step", "revenue_per_seat"] == pytest.approx(sum(step_pays) / usage.size, rel=1e-12)


def test_step_plan_charges_the_cheapest_covering_tier_even_when_prices_are_not_increasing():
    table = quota_comparison(np.array([50.0]), np.array([10.0]), [(100.0, 50.0), (1000.0, 40.0)], (0.0, 0.0, 0.0))
    assert table.loc["step", "revenue"] == 40.0


@pytest.mark.parametrize(
    ("usage", "value", "tiers", "smooth", "message"),
    [
        ([1.0, 2.0], [1.0], [(10.0, 5.0)], (0.0, 0.0, 1.0), r"usage, value_per_unit: need the same shape; got \(2,\) and \(1,\)"),
        ([1.0], [1.0], [(10.0, 5.0), (10.0, 8.0)], (0.0, 0.0, 1.0), r"tiers: need \(quota, price\) pairs with increasing quotas"),
        ([1.0], [1.0], [], (0.0, 0.0, 1.0), r"tiers: need \(quota, price\) pairs with increasing quotas > 0 and prices >= 0; got \[\]"),
        ([1.0], [1.0], [(10.0, -5.0)], (0.0, 0.0, 1.0), r"tiers: need \(quota, price\) pairs"),
        ([1.0], [1.0], [(10.0, 5.0)], (0.0, -1.0, 1.0), r"smooth_price: base, included and rate must be >= 0; got \(0\.0, -1\.0, 1\.0\)"),
        ([-1.0], [1.0], [(10.0, 5.0)], (0.0, 0.0, 1.0), r"usage: must be finite and >= 0 \[units/month\]; got \[-1\.0\]"),
    ],
)
def test_bad_quota_comparison_input_is_rejected(usage, value, tiers, smooth, message):
    with pytest.raises(ValueError, match=message):
        quota_comparison(np.array(usage), np.array(value), tiers, smooth)


# Bad input to the models and the optimizer -----------------------------------------------------


@pytest.mark.parametrize("elasticity", [1.0, 0.5])
def test_a_profit_optimum_needs_an_elasticity_above_one(elasticity):
    with pytest.raises(ValueError, match=rf"demand\.elasticity: must be > 1 for a profit optimum \[1\]; got {elasticity!r} \(revenue"):
        optimal_price(ConstantElasticity(elasticity), 1.0)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: optimal_price(ConstantElasticity(2.0), -1.0), r"unit_cost: must be finite and >= 0 \[currency per unit\]; got \[-1\.0\]"),
        (
            lambda: optimal_price(LinearDemand(100.0, 2.0), 50.0),
            r"unit_cost: 50 is at or above the choke price 50: nothing sells at a profit",
        ),
        (
            lambda: optimal_price(EmpiricalWTP(np.array([1.0, 2.0])), 2.0),
            r"unit_cost: 2 is at or above every customer's willingness to pay \(2\)",
        ),
        (
            lambda: optimal_price(ConstantElasticity(2.0), 0.0),
            r"unit_cost: must be > 0 for constant elasticity \[currency per unit\]; got 0\.0",
        ),
        (lambda: ConstantElasticity(2.0).quantity([1.0, 0.0]), r"price: must be finite and > 0 \[currency per unit\]; got \[0\.0\]"),
        (lambda: ConstantElasticity(2.0).quantity(-3.0), r"price: must be finite and > 0 \[currency per unit\]; got \[-3\.0\]"),
        (lambda: LinearDemand(10.0, 1.0).point_elasticity(0.0), r"price: must be finite and > 0 \[currency per unit\]; got \[0\.0\]"),
        (lambda: LognormalWTP(2.0, 0.5).quantity([-1.0]), r"price: must be finite and > 0 \[currency per unit\]; got \[-1\.0\]"),
        (lambda: LogitChoice(2.0, 0.5).point_elasticity(0.0), r"price: must be finite and > 0 \[currency per unit\]; got \[0\.0\]"),
        (lambda: EmpiricalWTP(np.array([1.0, 2.0])).quantity(0.0), r"price: must be finite and > 0 \[currency per unit\]; got \[0\.0\]"),
        (
            lambda: profit_curve(LinearDemand(10.0, 1.0), 1.0, [0.0, 2.0]),
            r"price: must be finite and > 0 \[currency per unit\]; got \[0\.0\]",
        ),
        (lambda: ConstantElasticity(0.0), r"elasticity: must be finite and > 0 \[1\]; got \[0\.0\]"),
        (lambda: ConstantElasticity(2.0, -1.0), r"scale: must be finite and > 0 \[quantity at a price of 1\]; got \[-1\.0\]"),
        (lambda: LinearDemand(0.0, 1.0), r"intercept: must be finite and > 0 \[quantity at a price of 0\]; got \[0\.0\]"),
        (lambda: LognormalWTP(0.0, 0.5), r"median: must be finite and > 0 \[price\]; got \[0\.0\]"),
        (lambda: LognormalWTP(1.0, 0.0), r"sigma: must be finite and > 0 \[1\]; got \[0\.0\]"),
        (lambda: LogitChoice(1.0, -0.1), r"scale: must be finite and > 0 \[price\]; got \[-0\.1\]"),
        (lambda: EmpiricalWTP(np.array([1.0, 0.0])), r"values: must be finite and > 0 \[price\]; got \[0\.0\]"),
        (lambda: EmpiricalWTP(np.array([])), r"values: one willingness to pay per customer is needed; got shape \(0,\)"),
    ],
)
def test_bad_model_input_is_rejected(call, message):
    with pytest.raises(ValueError, match=message):
        call()
