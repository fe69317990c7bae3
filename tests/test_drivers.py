"""econ.drivers: central path = the model's, calibrated moments reproduced by the paths, zero uncertainty, seeding, errors."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from econ.assumptions import load_scenario
from econ.drivers import DRIVER_NAMES, DriverCalibration, calibrate_drivers, driver_paths, driver_trajectories
from econ.inputs import inputs_from_scenario
from econ.paths import MONTHS_PER_YEAR
from econ.strategies import forecast, initial_demand, market, run_strategy

Z4 = 4.0  # tolerance in standard errors (seeded, so deterministic; 4 keeps a reseed from flaking)
N_PATHS = 20_000


@pytest.fixture(scope="module")
def base():
    return load_scenario("base")


@pytest.fixture(scope="module")
def calibration(base):
    return calibrate_drivers(base, draws=4000, seed=20261122)


@pytest.fixture(scope="module")
def paths(calibration):
    return driver_paths(calibration, N_PATHS, seed=5)


def test_central_path_is_the_models_central_trajectory(base, calibration):
    inputs = inputs_from_scenario(base)
    run = run_strategy(inputs, "rent", forecast(inputs))  # the model's own demand and price of the central inputs
    path, _ = market(inputs)
    assert calibration.names == DRIVER_NAMES == ("demand", "cloud_price")
    assert calibration.central.shape == (inputs.months + 1, 2) and calibration.horizon_months == inputs.months
    np.testing.assert_array_equal(calibration.central[1:, 0], run.demand[0])
    np.testing.assert_array_equal(calibration.central[1:, 1], run.price[0])
    assert calibration.central[0, 0] == initial_demand(inputs, path)[0]
    assert calibration.central[0, 1] == inputs["cloud.list_usd_per_gpu_hour"][0] / inputs.list_work_per_gpu


def test_draw_trajectories_match_the_models_demand_with_price_response(base):
    """Each draw's demand is the model's: growth from its own start, responding to its price against the central plan's."""
    from econ.risk import sample_inputs

    central = inputs_from_scenario(base)
    plan = forecast(central)
    draws, _ = sample_inputs(base, 20, seed=3)
    run = run_strategy(draws, "rent", plan)
    got = driver_trajectories(draws, plan.price[0])
    np.testing.assert_allclose(got[:, 1:, 0], run.demand, rtol=1e-12)
    np.testing.assert_array_equal(got[:, 1:, 1], run.price)


def test_calibration_numbers_are_consistent(calibration):
    t_years = calibration.horizon_months / MONTHS_PER_YEAR
    target = calibration.std_log_deviation[round(t_years)]
    np.testing.assert_allclose(calibration.volatility_annual * np.sqrt(t_years), target, rtol=1e-12)
    assert np.all(calibration.volatility_annual > 0)
    assert -1.0 < calibration.correlation[0, 1] == calibration.correlation[1, 0] < 1.0
    assert calibration.draws == 4000 and calibration.seed == 20261122


def test_paths_median_is_the_central_path(calibration, paths):
    logs = np.log(paths / calibration.central)
    years = np.arange(calibration.horizon_months + 1) / MONTHS_PER_YEAR
    # standard error of a sample median of a normal: sqrt(pi / 2) sd / sqrt(n)
    se = np.sqrt(np.pi / 2) * calibration.volatility_annual[None, :] * np.sqrt(years)[:, None] / np.sqrt(N_PATHS)
    median = np.median(logs, axis=0)
    checkpoints = [y * MONTHS_PER_YEAR for y in (1, 3, 5, 10, 15)]
    assert np.all(np.abs(median[checkpoints]) <= Z4 * se[checkpoints]), median[checkpoints] / se[checkpoints]
    # every month (360 correlated cells): 5 standard errors to allow for the many comparisons
    assert np.all(np.abs(median) <= 5.0 * se + 1e-15), np.max(np.abs(median) / np.maximum(se, 1e-300))
    np.testing.assert_array_equal(paths[:, 0, :], np.broadcast_to(calibration.central[0], (N_PATHS, 2)))


def test_paths_spread_at_horizon_matches_the_draws(calibration, paths):
    x_t = np.log(paths[:, -1, :] / calibration.central[-1])
    target = calibration.std_log_deviation[calibration.horizon_months // MONTHS_PER_YEAR]  # the draws' std of x_T
    sd = x_t.std(axis=0, ddof=1)
    # standard error of a normal sample's standard deviation: sd / sqrt(2 (n - 1))
    assert np.all(np.abs(sd - target) <= Z4 * target / np.sqrt(2 * (N_PATHS - 1))), (sd, target)
    rho, got = calibration.correlation[0, 1], np.corrcoef(x_t.T)[0, 1]
    assert abs(got - rho) <= Z4 * (1 - rho**2) / np.sqrt(N_PATHS - 3), (got, rho)


def test_spread_grows_as_sqrt_t(calibration, paths):
    for years in (1, 5, 10):
        sd = np.log(paths[:, years * MONTHS_PER_YEAR, :] / calibration.central[years * MONTHS_PER_YEAR]).std(axis=0, ddof=1)
        expected = calibration.sigma_sqrt_t(years)
        assert np.all(np.abs(sd - expected) <= Z4 * expected / np.sqrt(2 * (N_PATHS - 1))), (years, sd, expected)


def test_scenario_without_uncertainty_has_zero_volatility_and_central_paths(base):
    """Uncertainty removed by dropping the scenario's distributions and correlations (dataclasses.replace on the Scenario)."""
    certain = dataclasses.replace(base, distributions=(), correlations=())
    c = calibrate_drivers(certain, draws=10, seed=1)
    np.testing.assert_array_equal(c.volatility_annual, [0.0, 0.0])
    np.testing.assert_array_equal(c.correlation, np.eye(2))
    for v in c.std_log_deviation.values():
        np.testing.assert_array_equal(v, [0.0, 0.0])
    p = driver_paths(c, 7, seed=2)
    np.testing.assert_array_equal(p, np.broadcast_to(c.central, p.shape))
    p = driver_paths(c, 8, seed=2, antithetic=True)
    np.testing.assert_array_equal(p, np.broadcast_to(c.central, p.shape))


def test_zero_volatility_by_replace_gives_central_exactly(calibration):
    zero = dataclasses.replace(calibration, volatility_annual=np.zeros(2))
    p = driver_paths(zero, 5, seed=9)
    np.testing.assert_array_equal(p, np.broadcast_to(calibration.central, p.shape))


def test_from_start_measures_growth_only(base, calibration):
    c = calibrate_drivers(base, draws=500, seed=4, from_start=True)
    np.testing.assert_array_equal(c.std_log_deviation[0], [0.0, 0.0])
    assert calibration.std_log_deviation[0][0] > 0  # demand.initial_it_mw is uncertain at t = 0
    np.testing.assert_array_equal(c.central, calibration.central)


def test_seeded_reproducibility(base, calibration):
    np.testing.assert_array_equal(driver_paths(calibration, 50, seed=11), driver_paths(calibration, 50, seed=11))
    assert not np.array_equal(driver_paths(calibration, 50, seed=11), driver_paths(calibration, 50, seed=12))
    a, b = calibrate_drivers(base, draws=300, seed=8), calibrate_drivers(base, draws=300, seed=8)
    np.testing.assert_array_equal(a.volatility_annual, b.volatility_annual)
    np.testing.assert_array_equal(a.correlation, b.correlation)
    anti = driver_paths(calibration, 10, seed=3, antithetic=True)
    np.testing.assert_allclose(np.log(anti[:5] / calibration.central) + np.log(anti[5:] / calibration.central), 0.0, atol=1e-12)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"draws": 1}, r"draws: must be an integer >= 2 \[draws\]; got 1"),
        ({"draws": 2.5}, r"draws: must be an integer >= 2"),
        ({"draws": True}, r"draws: must be an integer >= 2"),
        ({"seed": 1.5}, r"seed: must be an integer"),
    ],
)
def test_calibrate_errors(base, kwargs, match):
    with pytest.raises(ValueError, match=match):
        calibrate_drivers(base, **kwargs)


def _calib(**changes):
    c = DriverCalibration(DRIVER_NAMES, np.ones((13, 2)), np.array([0.2, 0.1]), np.eye(2), 12, 0, None)
    return dataclasses.replace(c, **changes)


@pytest.mark.parametrize(
    ("calibration", "n_paths", "kwargs", "match"),
    [
        (_calib(), 0, {}, r"n_paths: must be an integer >= 1 \[paths\]; got 0"),
        (_calib(), 3, {"antithetic": True}, r"n_paths: must be even when antithetic=True"),
        (_calib(central=np.ones((12, 2))), 2, {}, r"calibration.central: must have shape \(13, 2\)"),
        (_calib(central=np.zeros((13, 2))), 2, {}, r"calibration.central: must be finite and > 0"),
        (_calib(volatility_annual=np.array([-0.1, 0.1])), 2, {}, r"calibration.volatility_annual: must be 2 finite values >= 0"),
        (_calib(correlation=np.array([[1.0, 2.0], [2.0, 1.0]])), 2, {}, r"correlation: entries must lie in \[-1, 1\]"),
        (_calib(horizon_months=0), 2, {}, r"calibration.horizon_months: must be an integer >= 1 \[months\]"),
    ],
)
def test_driver_paths_errors(calibration, n_paths, kwargs, match):
    with pytest.raises(ValueError, match=match):
        driver_paths(calibration, n_paths, seed=1, **kwargs)


KAPPA = 0.5


@pytest.fixture(scope="module")
def reverting(calibration):
    return driver_paths(calibration, 20_000, seed=17, antithetic=True, reversion_annual=KAPPA)


def test_mean_reverting_paths_match_the_calibrated_spread_at_the_horizon(calibration, reverting):
    """The mean-reverting log-deviation has the calibration's variance at the horizon, sigma^2 T, and its median is central."""
    x = np.log(reverting / calibration.central[None, :, :])
    horizon = calibration.horizon_months / MONTHS_PER_YEAR
    target = calibration.volatility_annual * np.sqrt(horizon)
    np.testing.assert_allclose(x[:, -1, :].std(axis=0), target, rtol=0.02)
    np.testing.assert_allclose(np.median(x[:, -1, :], axis=0), 0.0, atol=0.02 * target.max())


def test_mean_reverting_paths_reveal_more_of_the_deviation_early(calibration, reverting):
    """At t = T / 3 the variance is the share (1 - e^{-2 kappa t}) / (1 - e^{-2 kappa T}) of the horizon's, above t / T."""
    x = np.log(reverting / calibration.central[None, :, :])
    months = calibration.horizon_months
    t, horizon = months / 3 / MONTHS_PER_YEAR, months / MONTHS_PER_YEAR
    share = np.expm1(-2 * KAPPA * t) / np.expm1(-2 * KAPPA * horizon)
    measured = x[:, months // 3, :].var(axis=0) / x[:, -1, :].var(axis=0)
    np.testing.assert_allclose(measured, share, rtol=0.05)
    assert share > 1 / 3 + 0.2


def test_mean_centred_reverting_paths_have_the_central_path_as_their_mean(calibration):
    p = driver_paths(calibration, 40_000, seed=5, antithetic=True, centre="mean", reversion_annual=KAPPA)
    ratio = p.mean(axis=0) / calibration.central
    np.testing.assert_allclose(ratio[[0, 60, 120, 180]], 1.0, atol=0.02)


@pytest.mark.parametrize("kappa", [-0.1, float("nan"), "fast", True])
def test_reversion_must_be_a_number_at_least_zero(calibration, kappa):
    with pytest.raises(ValueError, match=r"reversion_annual: must be a finite number >= 0 \[1/year\]"):
        driver_paths(calibration, 4, seed=1, reversion_annual=kappa)
