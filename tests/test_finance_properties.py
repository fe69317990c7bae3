"""Property tests (hypothesis) for the finance kernels' invariants."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from econ import finance as fin
from econ.finance import UndefinedResultError
from tests.strategies import any_flows, conventional_flows, rates


@given(conventional_flows())
def test_npv_at_the_irr_is_zero(flows):
    rate = fin.irr(flows)
    assert np.isfinite(rate)
    gross = fin.npv(rate, np.abs(flows))
    assert abs(fin.npv(rate, flows)) <= 1e-9 * gross


@given(conventional_flows(), conventional_flows(), st.floats(-3, 3), rates)
def test_npv_is_linear_in_the_values(a, b, k, rate):
    n = min(a.size, b.size)
    a, b = a[:n], b[:n]
    lhs = fin.npv(rate, a + k * b)
    rhs = fin.npv(rate, a) + k * fin.npv(rate, b)
    scale = fin.npv(rate, np.abs(a)) + abs(k) * fin.npv(rate, np.abs(b))
    assert lhs == pytest.approx(rhs, abs=1e-9 * scale)


@given(conventional_flows(), rates, rates)
def test_npv_of_a_single_outlay_investment_falls_as_the_rate_rises(flows, r1, r2):
    flows = np.r_[flows[flows < 0].sum(), flows[flows > 0]]
    assume(abs(r1 - r2) > 1e-6)
    low, high = sorted((r1, r2))
    values = fin.npv([low, high], flows)
    assert values[1] < values[0] or np.isclose(values[1], values[0], rtol=1e-12, atol=1e-12)


@given(conventional_flows(), rates)
def test_npv_of_an_investment_is_positive_below_its_irr_and_negative_above(flows, rate):
    irr = fin.irr(flows)
    assume(abs(rate - irr) > 1e-9 * (1 + abs(irr)))
    assert np.sign(fin.npv(rate, flows)) == np.sign(irr - rate)


@given(st.floats(-0.5, 1.0), st.integers(1, 600), st.floats(1.0, 1e6))
def test_annuity_npv_equals_the_closed_form(rate, n, payment):
    flows = np.r_[0.0, np.full(n, payment)]
    assert fin.npv(rate, flows) == pytest.approx(payment * fin.annuity_factor(rate, n), rel=1e-9)


@given(any_flows())
def test_payback_is_where_the_cumulative_sum_first_recovers(flows):
    period = fin.payback_period(flows)
    cumulative = np.cumsum(flows)
    recovered = [j for j in range(1, flows.size) if cumulative[j] >= 0 and (cumulative[:j] < 0).any()]
    if not recovered:
        assert np.isnan(period)
        return
    k = recovered[0]
    assert k - 1 < period <= k
    assert cumulative[k - 1] + (period - (k - 1)) * flows[k] == pytest.approx(0.0, abs=1e-9 * np.abs(flows).sum())


@settings(max_examples=200)
@given(any_flows())
def test_irr_is_nan_exactly_where_strict_raises(flows):
    rate = fin.irr(flows)
    if np.isnan(rate):
        with pytest.raises(UndefinedResultError):
            fin.irr(flows, strict=True)
    else:
        assert fin.irr(flows, strict=True) == rate
        gross = fin.npv(rate, np.abs(flows))
        assert abs(fin.npv(rate, flows)) <= 1e-8 * gross


@settings(max_examples=200)
@given(any_flows(max_periods=25))
def test_a_returned_irr_is_the_only_root(flows):
    rate = fin.irr(flows)
    roots = fin.irr_roots(flows)
    if np.isfinite(rate):
        np.testing.assert_allclose(roots, [rate], rtol=1e-6, atol=1e-9)


@given(st.lists(conventional_flows(min_periods=5, max_periods=5), min_size=1, max_size=20))
def test_vectorized_irr_equals_row_by_row(rows):
    flows = np.array(rows)
    np.testing.assert_array_equal(fin.irr(flows), [fin.irr(row) for row in flows])
