"""econ.paths: moments against the closed forms, correlation, seeding, exact deterministic paths, input validation."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from econ.paths import correlation_root, gbm_paths, mean_reverting_paths

Z4 = 4.0  # tolerance in standard errors for moment checks (seeded, so deterministic; 4 keeps a reseed from flaking)


def _mean_within(sample: np.ndarray, expected: float, z: float = Z4) -> None:
    se = sample.std(ddof=1) / np.sqrt(sample.size)
    assert abs(sample.mean() - expected) <= z * se, (sample.mean(), expected, se)


def _variance_within(sample: np.ndarray, expected: float, z: float = Z4) -> None:
    # standard error of the sample variance of a normal sample: var * sqrt(2 / (n - 1))
    var = sample.var(ddof=1)
    assert abs(var - expected) <= z * expected * np.sqrt(2.0 / (sample.size - 1)), (var, expected)


def test_gbm_shape_start_and_units():
    p = gbm_paths([100.0, 2.0, 5.0], 0.05, [0.3, 0.2, 0.1], months=36, n_paths=10, seed=1)
    assert p.shape == (10, 37, 3)
    np.testing.assert_array_equal(p[:, 0, :], np.tile([100.0, 2.0, 5.0], (10, 1)))
    assert np.all(p > 0)


def test_gbm_moments_match_closed_form():
    s0, mu, sigma, months = np.array([100.0, 3.0]), np.array([0.08, -0.15]), np.array([0.35, 0.2]), 36
    p = gbm_paths(s0, mu, sigma, months, 200_000, seed=11, correlation=[[1.0, -0.4], [-0.4, 1.0]])
    t = months / 12
    for j in range(2):
        _mean_within(p[:, -1, j], s0[j] * np.exp(mu[j] * t))  # E[S_T] = S_0 e^{mu T}
        log_end = np.log(p[:, -1, j] / s0[j])
        _mean_within(log_end, (mu[j] - sigma[j] ** 2 / 2) * t)
        _variance_within(log_end, sigma[j] ** 2 * t)


def test_gbm_correlation_of_log_returns_is_recovered():
    rho = np.array([[1.0, 0.7, -0.3], [0.7, 1.0, 0.1], [-0.3, 0.1, 1.0]])
    p = gbm_paths([1.0, 1.0, 1.0], [0.0, 0.1, -0.1], [0.2, 0.5, 0.1], 24, 20_000, seed=5, correlation=rho)
    returns = np.diff(np.log(p), axis=1).reshape(-1, 3)
    got = np.corrcoef(returns.T)
    # standard error of a sample correlation ~ (1 - rho^2) / sqrt(n), n = 480,000 monthly returns
    assert np.max(np.abs(got - rho)) < Z4 / np.sqrt(returns.shape[0])


def test_gbm_is_reproducible_by_seed():
    a = gbm_paths(10.0, 0.1, 0.3, 12, 50, seed=42)
    b = gbm_paths(10.0, 0.1, 0.3, 12, 50, seed=42)
    c = gbm_paths(10.0, 0.1, 0.3, 12, 50, seed=43)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)


def test_gbm_zero_volatility_is_the_deterministic_path_exactly():
    p = gbm_paths([100.0, 7.0], [0.06, -0.2], 0.0, months=120, n_paths=3, seed=0)
    years = np.arange(121) / 12
    expected = np.array([100.0, 7.0]) * np.exp(np.array([0.06, -0.2]) * years[:, None])
    for i in range(3):
        np.testing.assert_array_equal(p[i], expected)


def test_gbm_antithetic_pairs_mirror_each_other():
    s0, mu, sigma = 50.0, 0.04, 0.3
    p = gbm_paths(s0, mu, sigma, 12, 8, seed=9, antithetic=True)
    drift = 2 * (np.log(s0) + (mu - sigma**2 / 2) * np.arange(13) / 12)
    np.testing.assert_allclose(np.log(p[:4, :, 0]) + np.log(p[4:, :, 0]), np.tile(drift, (4, 1)), rtol=1e-13)


@pytest.mark.parametrize(("rho", "sign"), [(1.0, 1.0), (-1.0, -1.0)])
def test_gbm_singular_correlation_works(rho, sign):
    p = gbm_paths([1.0, 1.0], 0.0, 0.3, 12, 100, seed=3, correlation=[[1.0, rho], [rho, 1.0]])
    r = np.diff(np.log(p), axis=1)
    drift = -(0.3**2) / 2 / 12
    np.testing.assert_allclose(r[..., 1] - drift, sign * (r[..., 0] - drift), atol=1e-12)


def test_mean_reverting_moments_match_closed_form():
    s0, theta, kappa, sigma, months = np.array([2.0, 0.5]), np.array([1.0, 1.0]), np.array([0.8, 0.0]), np.array([0.4, 0.25]), 30
    p = mean_reverting_paths(s0, theta, kappa, sigma, months, 200_000, seed=21)
    t = months / 12
    for j in range(2):
        log_end = np.log(p[:, -1, j])
        decay = np.exp(-kappa[j] * t)
        var = sigma[j] ** 2 * (1 - np.exp(-2 * kappa[j] * t)) / (2 * kappa[j]) if kappa[j] > 0 else sigma[j] ** 2 * t
        _mean_within(log_end, np.log(theta[j]) + (np.log(s0[j]) - np.log(theta[j])) * decay)
        _variance_within(log_end, var)


def test_mean_reverting_zero_volatility_follows_the_closed_form():
    p = mean_reverting_paths(3.0, 1.5, 1.2, 0.0, 240, 2, seed=0)
    years = np.arange(241) / 12
    expected = 1.5 * np.exp((np.log(3.0) - np.log(1.5)) * np.exp(-1.2 * years))
    np.testing.assert_allclose(p[0, :, 0], expected, rtol=1e-13)
    np.testing.assert_array_equal(p[0], p[1])


def test_mean_reverting_correlation_of_logs_with_equal_reversion():
    # with one kappa, ln S_T of each factor is the same linear map of its own noise, so corr = rho exactly
    p = mean_reverting_paths([1.0, 1.0], [2.0, 0.5], 0.7, [0.3, 0.6], 24, 50_000, seed=8, correlation=[[1.0, 0.6], [0.6, 1.0]])
    got = np.corrcoef(np.log(p[:, -1, 0]), np.log(p[:, -1, 1]))[0, 1]
    assert abs(got - 0.6) < Z4 * (1 - 0.6**2) / np.sqrt(50_000)


def test_mean_reverting_seeded_and_antithetic():
    a = mean_reverting_paths(1.0, 1.2, 0.5, 0.3, 12, 6, seed=4, antithetic=True)
    np.testing.assert_array_equal(a, mean_reverting_paths(1.0, 1.2, 0.5, 0.3, 12, 6, seed=4, antithetic=True))
    centre = 2 * np.log(mean_reverting_paths(1.0, 1.2, 0.5, 0.0, 12, 1, seed=0)[0, :, 0])
    np.testing.assert_allclose(np.log(a[:3, :, 0]) + np.log(a[3:, :, 0]), np.tile(centre, (3, 1)), atol=1e-13)


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"volatility_annual": -0.1}, ["volatility_annual", "1/sqrt(year)", "-0.1", ">= 0"]),
        ({"volatility_annual": [0.1, -0.2]}, ["volatility_annual", "-0.2", ">= 0"]),
        ({"start": 0.0}, ["start", "> 0", "0.0"]),
        ({"drift_annual": np.nan}, ["drift_annual", "1/year", "finite"]),
        ({"months": 0}, ["months", "[months]", ">= 1", "got 0"]),
        ({"months": 2.5}, ["months", "integer"]),
        ({"n_paths": 0}, ["n_paths", "[paths]", ">= 1"]),
        ({"n_paths": 3, "antithetic": True}, ["n_paths", "even", "got 3"]),
        ({"start": [1.0, 2.0, 3.0], "drift_annual": [0.1, 0.2]}, ["drift_annual", "shape (3,)", "got shape (2,)"]),
        ({"correlation": [[1.0, 0.5], [0.5, 1.0]], "start": [1.0, 2.0, 3.0]}, ["start", "shape (2,)"]),
        ({"correlation": [[1.0, 0.5], [0.4, 1.0]]}, ["correlation", "symmetric"]),
        ({"correlation": [[2.0, 0.5], [0.5, 1.0]]}, ["correlation", "unit diagonal", "2.0"]),
        (
            {"correlation": [[1.0, 0.9, 0.9], [0.9, 1.0, -0.9], [0.9, -0.9, 1.0]], "start": 1.0},
            ["correlation", "positive semi-definite", "eigenvalue"],
        ),
        ({"correlation": [1.0, 0.5]}, ["correlation", "square"]),
    ],
)
def test_gbm_bad_inputs_name_the_parameter(kwargs, words):
    args = {"start": [1.0, 2.0], "drift_annual": 0.05, "volatility_annual": 0.2, "months": 12, "n_paths": 4, "seed": 0} | kwargs
    with pytest.raises(ValueError, match=words[0]) as info:
        gbm_paths(**args)
    for word in words:
        assert word in str(info.value), (word, str(info.value))


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"reversion_annual": -1.0}, ["reversion_annual", "1/year", ">= 0", "-1.0"]),
        ({"long_run_level": 0.0}, ["long_run_level", "> 0"]),
        ({"volatility_annual": -0.3}, ["volatility_annual", ">= 0"]),
        ({"correlation": [[1.0, 1.1], [1.1, 1.0]], "start": [1.0, 1.0]}, ["correlation", "[-1, 1]"]),
    ],
)
def test_mean_reverting_bad_inputs_name_the_parameter(kwargs, words):
    args = {"start": 1.0, "long_run_level": 1.0, "reversion_annual": 0.5, "volatility_annual": 0.2, "months": 6, "n_paths": 2, "seed": 0}
    with pytest.raises(ValueError, match=words[0]) as info:
        mean_reverting_paths(**(args | kwargs))
    for word in words:
        assert word in str(info.value)


@st.composite
def unit_vectors(draw):
    """A Gram matrix of k random unit vectors in r <= k dimensions: a PSD correlation matrix, singular when r < k."""
    k = draw(st.integers(1, 5))
    r = draw(st.integers(1, k))
    coords = draw(st.lists(st.lists(st.floats(-1, 1, allow_nan=False), min_size=r, max_size=r), min_size=k, max_size=k))
    v = np.array(coords, dtype=float)
    norms = np.linalg.norm(v, axis=1)
    v[norms < 1e-3] = np.eye(r)[0]
    v /= np.linalg.norm(v, axis=1, keepdims=True)
    c = v @ v.T
    np.fill_diagonal(c, 1.0)
    return c


@given(unit_vectors())
def test_psd_correlation_is_accepted_and_rooted(c):
    root = correlation_root(c, c.shape[0])
    np.testing.assert_allclose(root @ root.T, c, atol=1e-8)
    p = gbm_paths(np.ones(c.shape[0]), 0.0, 0.2, 2, 4, seed=0, correlation=c)
    assert np.all(np.isfinite(p))


@given(
    st.integers(2, 5).flatmap(lambda k: st.lists(st.floats(-1, 1, allow_nan=False), min_size=k * (k - 1) // 2, max_size=k * (k - 1) // 2))
)
def test_symmetric_unit_diagonal_matrices_are_rejected_exactly_when_not_psd(upper):
    k = round((1 + np.sqrt(1 + 8 * len(upper))) / 2)
    c = np.eye(k)
    c[np.triu_indices(k, 1)] = upper
    c = c + np.triu(c, 1).T
    smallest = np.linalg.eigvalsh(c)[0]
    if smallest < -1e-9:
        with pytest.raises(ValueError, match="correlation: must be positive semi-definite"):
            correlation_root(c, k)
    elif smallest >= -1e-11:
        root = correlation_root(c, k)
        np.testing.assert_allclose(root @ root.T, c, atol=1e-8)
