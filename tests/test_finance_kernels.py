"""econ.finance: input kinds, errors, hard cases and agreement with independent implementations."""

from __future__ import annotations

import datetime as dt

import numpy as np
import numpy_financial as npf
import pandas as pd
import pytest
import pyxirr

from econ import finance as fin
from econ.finance import RootStatus, UndefinedResultError

RNG_SEED = 20261122


def random_conventional(rng: np.random.Generator, n: int, t: int) -> np.ndarray:
    """Investment-shaped flows: 1-3 periods of outlay, then noisy positive returns."""
    flows = rng.uniform(10, 200, (n, t))
    k = rng.integers(1, 4, n)
    outlay = np.arange(t) < k[:, None]
    flows[outlay] = -rng.uniform(100, 2_000, outlay.sum())
    return flows


# --- input kinds ------------------------------------------------------------------------


def test_npv_returns_the_kind_it_was_given():
    flows = [[-100.0, 60.0, 60.0], [-100.0, 50.0, 70.0]]
    frame = pd.DataFrame(flows, index=["a", "b"])
    assert isinstance(fin.npv(0.1, flows[0]), float)
    assert isinstance(fin.npv(0.1, pd.Series(flows[0])), float)
    assert fin.npv(0.1, np.array(flows)).shape == (2,)
    series = fin.npv(0.1, frame)
    assert list(series.index) == ["a", "b"]
    by_rate = fin.npv([0.05, 0.1, 0.2], frame)
    assert by_rate.shape == (3, 2)
    assert list(by_rate.columns) == ["a", "b"]
    assert by_rate.loc[0.1, "b"] == pytest.approx(series["b"])
    assert fin.npv([0.05, 0.1], pd.Series(flows[0])).index.tolist() == [0.05, 0.1]
    assert fin.npv(0.1, np.ones((2, 3, 4))).shape == (2, 3)


def test_npv_equals_the_explicit_sum_for_every_rate_and_row():
    rng = np.random.default_rng(RNG_SEED)
    flows = rng.normal(size=(50, 24))
    rates = np.array([-0.5, 0.0, 0.01, 0.3])
    expected = np.array([[(row / (1 + r) ** np.arange(24)).sum() for row in flows] for r in rates])
    np.testing.assert_allclose(fin.npv(rates, flows), expected, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(fin.npv(rates, flows, convention="excel"), expected / (1 + rates[:, None]), rtol=1e-12, atol=1e-12)


def test_irr_of_a_dataframe_keeps_the_index_and_matches_row_by_row():
    rng = np.random.default_rng(RNG_SEED)
    flows = pd.DataFrame(random_conventional(rng, 20, 30), index=[f"draw{i}" for i in range(20)])
    rates = fin.irr(flows)
    assert list(rates.index) == list(flows.index)
    for label, row in flows.iterrows():
        assert rates[label] == fin.irr(row.to_numpy())


def test_full_output_reports_a_status_per_row():
    result = fin.irr([[-100, 110, 0], [100, 100, 0], [-1600, 10_000, 0]], full_output=True)
    assert result.status.tolist() == [RootStatus.OK, RootStatus.NO_SIGN_CHANGE, RootStatus.OK]
    both = fin.irr(np.array([[-1600.0, 10_000.0, -10_000.0]]), full_output=True)
    assert both.status.tolist() == [RootStatus.MULTIPLE_ROOTS]
    assert np.isnan(both.rate[0])


# --- independent implementations --------------------------------------------------------


def test_irr_agrees_with_numpy_financial_on_thousands_of_conventional_rows():
    rng = np.random.default_rng(RNG_SEED)
    flows = random_conventional(rng, 2_000, 24)
    expected = np.array([npf.irr(row) for row in flows])
    np.testing.assert_allclose(fin.irr(flows), expected, rtol=0, atol=1e-9)


def test_irr_agrees_with_pyxirr_given_a_good_guess_on_long_series():
    rng = np.random.default_rng(RNG_SEED + 1)
    flows = random_conventional(rng, 2_000, 240)
    ours = fin.irr(flows)
    expected = np.array([pyxirr.irr(row, guess=g) for row, g in zip(flows, ours, strict=True)])
    np.testing.assert_allclose(ours, expected, rtol=0, atol=1e-9)


def test_each_rate_is_the_same_whatever_rows_it_is_solved_with():
    # Several chunks, solved on several threads: ordinary, lender-view, extreme (discount
    # factors shifted to avoid overflow) and sign-less rows give bit-identical rates alone
    # and in the batch. Non-conventional rows start from a grid scanned by one matrix
    # product, so they agree to rounding.
    rng = np.random.default_rng(RNG_SEED + 5)
    flows = random_conventional(rng, 2_500, 240)
    flows[1::7] *= -1.0
    flows[2::11] = np.r_[-1.0, np.full(239, 1e4)]
    flows[3::13] = np.r_[-1.0, 1e-100, np.zeros(238)]
    flows[4::17, 60] -= 3_000.0
    flows[5::19] = np.abs(flows[5::19])
    batch = fin.irr(flows, full_output=True)
    for i in [*range(12), *range(12, 2_500, 97)]:
        alone = fin.irr(flows[i], full_output=True)
        assert alone.status == batch.status[i]
        if i % 17 == 4:
            assert alone.rate == pytest.approx(batch.rate[i], rel=1e-14, nan_ok=True)
        else:
            assert np.array_equal(alone.rate, batch.rate[i], equal_nan=True)


def test_irr_of_refresh_shaped_flows_agrees_with_numpy_financial():
    # GPU refresh: outlay, returns, a second outlay mid-life -> several sign changes.
    rng = np.random.default_rng(RNG_SEED + 2)
    flows = rng.uniform(50, 150, (300, 60))
    flows[:, 0] = -rng.uniform(1_000, 3_000, 300)
    flows[:, 24] -= rng.uniform(500, 3_000, 300)
    ours = fin.irr(flows, full_output=True)
    assert (ours.status == RootStatus.OK).all()
    expected = np.array([npf.irr(row) for row in flows])
    np.testing.assert_allclose(ours.rate, expected, rtol=0, atol=1e-9)
    for row, rate in zip(flows[:20], ours.rate[:20], strict=True):
        np.testing.assert_allclose(fin.irr_roots(row), [rate], rtol=0, atol=1e-9)


def test_xirr_and_xnpv_agree_with_pyxirr_on_random_dated_flows():
    rng = np.random.default_rng(RNG_SEED + 3)
    start = dt.date(2026, 1, 1)
    for _ in range(300):
        n = int(rng.integers(3, 20))
        days = np.sort(rng.choice(np.arange(1, 3_000), n - 1, replace=False))
        dates = [start] + [start + dt.timedelta(days=int(d)) for d in days]
        flows = np.r_[-rng.uniform(1_000, 5_000), rng.uniform(50, 900, n - 1)]
        assert fin.xnpv(0.07, flows, dates) == pytest.approx(pyxirr.xnpv(0.07, dates, flows), rel=1e-12)
        ours = fin.xirr(flows, dates)
        assert ours == pytest.approx(pyxirr.xirr(dates, flows, guess=ours), abs=1e-9)


def test_xirr_does_not_depend_on_the_order_of_the_dates():
    dates = ["2026-01-01", "2026-07-01", "2027-01-01", "2027-06-30"]
    flows = [-1_000.0, 300.0, 400.0, 500.0]
    order = [0, 3, 1, 2]
    assert fin.xirr([flows[i] for i in order], [dates[i] for i in order]) == pytest.approx(fin.xirr(flows, dates), abs=1e-14)


def test_mirr_agrees_with_numpy_financial():
    rng = np.random.default_rng(RNG_SEED + 4)
    flows = rng.normal(0, 100, (500, 12))
    flows[:, 0] = -np.abs(flows[:, 0]) - 1
    flows[:, -1] = np.abs(flows[:, -1]) + 1
    expected = np.array([npf.mirr(row, 0.05, 0.08) for row in flows])
    np.testing.assert_allclose(fin.mirr(flows, 0.05, 0.08), expected, rtol=1e-12, atol=1e-15)


# --- hard cases -------------------------------------------------------------------------


def test_two_irrs_give_nan_strict_raises_and_roots_lists_both():
    flows = [-1_600, 10_000, -10_000]
    assert np.isnan(fin.irr(flows))
    with pytest.raises(UndefinedResultError, match="multiple roots"):
        fin.irr(flows, strict=True)
    np.testing.assert_allclose(fin.irr_roots(flows), [0.25, 4.0], rtol=1e-12)


@pytest.mark.parametrize(
    ("flows", "reason"),
    [([100, 200, 300], "no sign change"), ([0, 0, 0], "no sign change"), ([-5, -1], "no sign change")],
)
def test_flows_without_a_sign_change_have_no_irr(flows, reason):
    assert np.isnan(fin.irr(flows))
    with pytest.raises(UndefinedResultError, match=reason):
        fin.irr(flows, strict=True)


def test_non_conventional_flows_with_no_root_give_nan():
    # NPV = 1 - 2z + 2z^2 > 0 for every z: no real IRR.
    result = fin.irr([1.0, -2.0, 2.0], full_output=True)
    assert np.isnan(result.rate)
    assert result.status == RootStatus.NO_ROOT
    assert fin.irr_roots([1.0, -2.0, 2.0]).size == 0


def test_nan_inside_raises_by_default_and_propagates_on_request():
    flows = np.array([[-100.0, 60.0, 60.0], [-100.0, np.nan, 60.0]])
    with pytest.raises(ValueError, match=r"values: .*rows \[1\] \(1 of 2\)"):
        fin.irr(flows)
    with pytest.raises(ValueError, match=r"rows \[1\]"):
        fin.npv(0.1, flows)
    rates = fin.irr(flows, nan_policy="propagate")
    assert np.isfinite(rates[0])
    assert np.isnan(rates[1])
    assert np.isnan(fin.npv(0.1, flows, nan_policy="propagate")[1])
    inf_row = np.array([[-100.0, np.inf, 60.0]])
    assert np.isnan(fin.npv(0.1, inf_row, nan_policy="propagate")[0])


def test_a_480_month_mortgage_has_its_contract_rate_as_irr():
    monthly = 0.065 / 12
    principal = 400_000.0
    payment = principal * fin.capital_recovery_factor(monthly, 480)
    flows = np.r_[principal, np.full(480, -payment)]  # the borrower's view: money in first
    assert fin.irr(flows) == pytest.approx(monthly, abs=1e-13)
    assert fin.npv(monthly, flows) == pytest.approx(0.0, abs=1e-6)


@pytest.mark.parametrize("scale", [1e-12, 1.0, 1e12, 1e250])
def test_irr_does_not_depend_on_the_scale_of_the_flows(scale):
    flows = np.array([-100.0, 39.0, 59.0, 55.0, 20.0]) * scale
    assert fin.irr(flows) == pytest.approx(0.28094842115996, abs=1e-12)


@pytest.mark.parametrize(
    ("flows", "expected"),
    [
        ([-1.0, 1e6], 999_999.0),  # 100 million percent
        ([-1.0, 1e-6], -0.999999),  # almost total loss
        ([-1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 2.0], 2 ** (1 / 9) - 1),  # zeros between
        ([0.0, 0.0, -1.0, 1.1, 0.0], 0.1),  # leading and trailing zeros
    ],
)
def test_extreme_and_sparse_conventional_rates(flows, expected):
    assert fin.irr(flows) == pytest.approx(expected, rel=1e-12)


def test_a_long_series_with_an_extreme_rate_does_not_overflow():
    flows = np.r_[-1.0, np.full(479, 1e4)]
    rate = fin.irr(flows)
    assert rate == pytest.approx(1e4, rel=1e-9)
    assert fin.npv(rate, flows) == pytest.approx(0.0, abs=1e-9)


# --- errors -----------------------------------------------------------------------------


@pytest.mark.parametrize("rate", [-1.0, -1.5, np.nan, np.inf])
def test_a_rate_at_or_below_minus_100_percent_is_rejected(rate):
    with pytest.raises(ValueError, match=r"rate: rate \[fraction per period\] must be finite and greater than -1"):
        fin.npv(rate, [1.0, 2.0])


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: fin.npv(0.1, []), "values: cash flows .* must not be empty"),
        (lambda: fin.npv(0.1, 5.0), "must have a time axis"),
        (lambda: fin.npv(0.1, ["a", "b"]), "must be numbers in rows of equal length"),
        (lambda: fin.npv(0.1, [1.0], convention="lotus"), "convention: must be 'numpy'"),
        (lambda: fin.npv(0.1, [1.0], nan_policy="omit"), "nan_policy: must be one of"),
        (lambda: fin.npv([[0.1]], [1.0]), "rate: must be a scalar or a 1-D"),
        (lambda: fin.xnpv(0.1, [1.0, 2.0], ["2026-01-01"]), r"dates: need one date per cash flow"),
        (lambda: fin.xnpv(0.1, [1.0, 2.0], ["2026-01-01", "2025-01-01"]), "may precede the first date"),
        (lambda: fin.xnpv(0.1, [1.0, 2.0], ["2026-01-01", "not a date"]), "dates: could not read"),
        (lambda: fin.irr_roots([[1.0, -1.0]]), "irr_roots takes one series"),
        (lambda: fin.mirr([-1.0, 2.0], -1.0, 0.1), "finance_rate"),
        (lambda: fin.levelized_cost(0.1, [1.0, 1.0], [1.0, -1.0]), r"output: must be finite and >= 0"),
        (lambda: fin.annuity_factor(0.1, 0), r"nper: number of periods must be > 0"),
        (lambda: fin.periodic_rate(-2.0), "annual_rate: must be finite and greater than -1"),
        (lambda: fin.macrs_rates(6), r"recovery_years: half-year MACRS tables exist"),
        (lambda: fin.macrs_rates(39, convention="mid-month"), "month_placed_in_service"),
        (lambda: fin.depreciation_schedule(100.0, [0.5, 0.4]), "summing to 1"),
        (lambda: fin.depreciation_schedule(100.0, [1.0], bonus_fraction=1.2), "bonus_fraction"),
        (lambda: fin.discount_factors(0.1, 0), "n_periods"),
    ],
)
def test_bad_input_names_the_parameter(call, message):
    with pytest.raises((ValueError, TypeError), match=message):
        call()


# --- payback, annuity, rates, depreciation -------------------------------------------------


def test_payback_cases():
    assert fin.payback_period([-1_000, 500, 500, 500]) == pytest.approx(2.0)
    assert np.isnan(fin.payback_period([-1_000, 100, 100]))
    assert np.isnan(fin.payback_period([100, 100]))  # nothing to pay back
    with pytest.raises(UndefinedResultError, match="never paid back"):
        fin.payback_period([-1_000, 100, 100], strict=True)
    with pytest.raises(UndefinedResultError, match="nothing to pay back"):
        fin.payback_period([100, 100], strict=True)
    assert fin.payback_period([-100, 50, 100, -500, 1_000]) == pytest.approx(1.5)  # first crossing
    assert fin.discounted_payback_period(0.0, [-1_000, 400, 400, 400]) == pytest.approx(fin.payback_period([-1_000, 400, 400, 400]))


def test_annuity_limits():
    assert fin.annuity_factor(1e-12, 120) == pytest.approx(120.0, rel=1e-9)
    assert fin.annuity_factor(0.05, np.inf) == pytest.approx(20.0)
    assert fin.annuity_factor(-0.01, np.inf) == np.inf
    assert fin.capital_recovery_factor(0.05, np.inf) == pytest.approx(0.05)
    assert fin.capital_recovery_factor(0.0, np.inf) == 0.0
    assert fin.annuity_factor(0.1, 3, when="begin") == pytest.approx(1 + 1 / 1.1 + 1 / 1.21)
    np.testing.assert_allclose(fin.capital_recovery_factor(np.array([0.0, 0.1]), 10), [0.1, 0.16274539], rtol=1e-7)


def test_rate_conversions_round_trip():
    rates = np.array([-0.5, 0.0, 1e-9, 0.07, 3.0])
    np.testing.assert_allclose(fin.annual_rate(fin.periodic_rate(rates, 12), 12), rates, rtol=1e-12, atol=1e-18)
    np.testing.assert_allclose(fin.nominal_from_effective(fin.effective_from_nominal(rates, 4), 4), rates, rtol=1e-12, atol=1e-18)
    np.testing.assert_allclose(fin.nominal_rate(fin.real_rate(rates, 0.03), 0.03), rates, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("years", [3, 5, 7, 10, 15, 20])
def test_macrs_half_year_tables_sum_to_one(years):
    rates = fin.macrs_rates(years)
    assert rates.size == years + 1
    assert rates.sum() == pytest.approx(1.0, abs=1e-12)
    assert (rates > 0).all()


def test_depreciation_schedule_is_vectorized_and_keeps_the_basis():
    basis = np.array([1_000.0, 2_500.0])
    amounts = fin.depreciation_schedule(basis, fin.macrs_rates(7), bonus_fraction=0.6, salvage_value=np.array([0.0, 500.0]))
    assert amounts.shape == (2, 8)
    np.testing.assert_allclose(amounts.sum(axis=1), [1_000.0, 2_000.0])
    assert fin.straight_line_rates(5).sum() == pytest.approx(1.0)


def test_an_irr_beyond_the_float_range_is_reported_not_returned_as_infinite():
    result = fin.irr([-1e-310, 1.0], full_output=True)  # IRR 1e310: beyond float64
    assert np.isnan(result.rate)
    assert result.status == RootStatus.NOT_CONVERGED


def test_payback_of_a_single_period():
    assert np.isnan(fin.payback_period([0.0]))
    assert np.isnan(fin.payback_period([-5.0]))
