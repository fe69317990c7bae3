"""Value of information and given-data sensitivity indices (econ.information)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy import stats

from econ.information import conditional_mean, evpi, evppi, first_order_indices


def ishigami(x1: np.ndarray, x2: np.ndarray, x3: np.ndarray) -> np.ndarray:
    """Ishigami & Homma (1990), a = 7, b = 0.1: the standard test of Sobol' indices."""
    return np.sin(x1) + 7.0 * np.sin(x2) ** 2 + 0.1 * x3**4 * np.sin(x1)


def test_first_order_indices_match_the_analytic_ishigami_values_and_scipys_saltelli_estimator():
    rng = np.random.default_rng(1)
    x = rng.uniform(-np.pi, np.pi, (20_000, 3))
    draws = pd.DataFrame(x, columns=["x1", "x2", "x3"]).assign(y=ishigami(*x.T))
    ours = first_order_indices(draws, "y", ["x1", "x2", "x3"], knots=12)["first_order_index"]
    # analytic: V1 = 0.5 (1 + b pi^4 / 5)^2, V2 = a^2 / 8, V3 = 0 over V = a^2/8 + b pi^4/5 + b^2 pi^8/18 + 1/2
    a, b = 7.0, 0.1
    v = a**2 / 8 + b * np.pi**4 / 5 + b**2 * np.pi**8 / 18 + 0.5
    analytic = {"x1": 0.5 * (1 + b * np.pi**4 / 5) ** 2 / v, "x2": a**2 / 8 / v, "x3": 0.0}
    for name, value in analytic.items():
        assert ours[name] == pytest.approx(value, abs=0.02), name
    reference = stats.sobol_indices(
        func=lambda u: ishigami(*u)[None, :],
        n=2**13,
        dists=[stats.uniform(loc=-np.pi, scale=2 * np.pi)] * 3,
        rng=np.random.default_rng(2),
    )
    np.testing.assert_allclose(ours[["x1", "x2", "x3"]].to_numpy(), reference.first_order.ravel(), atol=0.03)


def test_conditional_mean_of_a_discrete_input_is_the_group_mean():
    x = np.array([0.0, 1.0, 0.0, 1.0, 1.0])
    y = np.array([1.0, 2.0, 3.0, 4.0, 6.0])
    np.testing.assert_allclose(conditional_mean(y, x), [2.0, 4.0, 2.0, 4.0, 4.0])
    with pytest.raises(ValueError, match="x, y: need one input value per draw"):
        conditional_mean(y, x[:3])


@given(arrays(float, st.tuples(st.integers(1, 30), st.integers(1, 4)), elements=st.floats(-1e9, 1e9)))
def test_evpi_is_never_negative_and_zero_when_one_plan_is_best_in_every_draw(costs: np.ndarray):
    assert evpi(costs) >= -1e-6 * max(1.0, float(np.abs(costs).max()))
    dominant = np.column_stack([costs.min(axis=1) - 1.0, costs])
    assert evpi(dominant) == pytest.approx(0.0, abs=1e-6 * max(1.0, float(np.abs(costs).max())))


def test_partial_evpi_of_the_input_that_decides_is_the_evpi_and_of_noise_about_zero():
    rng = np.random.default_rng(3)
    decides, noise = rng.normal(size=5000), rng.normal(size=5000)
    costs = np.column_stack([np.zeros(5000), decides + 0.01 * noise])
    total = evpi(costs)  # E[max(-decides, 0)] = 1 / sqrt(2 pi) = 0.399
    assert total == pytest.approx(1 / np.sqrt(2 * np.pi), rel=0.05)
    assert evppi(costs, decides) == pytest.approx(total, rel=0.02)
    # the regression's upward bias for an input that does not matter: about sd x sqrt(knots / n)
    assert abs(evppi(costs, noise)) < np.std(decides) * np.sqrt(10 / 5000)
    with pytest.raises(ValueError, match=r"costs: need a finite \(draws, plans\) array \[USD\]"):
        evpi(np.array([1.0, np.nan]))
