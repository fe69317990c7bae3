"""Stochastic paths of the drivers revealed over time, demand and the cloud price, calibrated to a scenario (issue #17).

The real options on the build program need the drivers a decision-maker learns month by month
as correlated random paths. This module models them as correlated geometric Brownian motions
around the scenario's central trajectory (Dixit & Pindyck 1994, ch. 3, for GBM as the model of
uncertainty revealed over time):

``D_j(t) = central_j(t) exp(sigma_j W_j(t))``, ``corr(dW_1, dW_2) = rho``,

so ``ln(D_j(t) / central_j(t))`` is normal with mean 0 and variance ``sigma_j^2 t``: the central path
is the **median** path (not the mean, which is ``central_j(t) exp(sigma_j^2 t / 2)``).

Drivers and units
-----------------
- ``"demand"``: busy reference GPUs [reference GPU-hours of work per hour], as the model's demand
  (:func:`econ.strategies.demand_path`: the initial demand grown in two phases, times the price
  response to a price path away from the plan's, as the model computes it); provisioned capacity is this divided by the fleet utilization.
- ``"cloud_price"``: cloud list price per reference GPU-hour [USD per reference GPU-hour]
  (:func:`econ.strategies.cloud_price`).

Month 0 is t = 0 (``demand.initial_it_mw`` converted to work by :func:`econ.strategies.initial_demand`,
and the list price ``cloud.list_usd_per_gpu_hour / list_work_per_gpu``); month ``m >= 1`` is the
model's value at the end of month ``m`` (its arrays' column ``m - 1``).

Calibration (:func:`calibrate_drivers`)
---------------------------------------
The scenario's Monte Carlo inputs (:func:`econ.risk.sample_inputs`) are run through the model's
own functions to get each draw's demand and price path; ``x = ln(path / central)`` per draw and
month. Each driver's ``sigma`` is set so that ``sigma W(t)`` has the draws' variance of ``x`` at the
horizon ``T``: ``sigma = std(x_T) / sqrt(T)``; the correlation is that of ``x_T`` across draws.

This is a modelling choice. The scenario's uncertainty is *parameter* uncertainty: a growth rate
drawn once and held, so ``x(t) ~ (g - g_central) t`` and its spread grows about **linearly** in t,
not as ``sqrt(t)``. Matching at the horizon therefore overstates the spread early in the horizon
(by up to ``sqrt(T / t)`` at time t) and the GBM reveals information gradually where the scenario
has it fixed at t = 0 but unknown. :attr:`DriverCalibration.std_log_deviation` holds the draws'
``std(x_t)`` at whole years next to ``sigma sqrt(t)`` so the gap can be judged. Uncertainty in the
level at t = 0 (``demand.initial_it_mw``, the provisioned utilization) also enters ``x`` (it is part
of the draws' spread at the horizon) while the paths start at the central value; pass
``from_start=True`` to measure growth uncertainty only, ``x = ln(path_t / path_0) - ln(central_t / central_0)``.

References
----------
Dixit, A. K., and R. S. Pindyck (1994), *Investment under Uncertainty*, Princeton University
Press, ch. 3 (Brownian motion and Ito processes; GBM as the model of a revealed stochastic
variable).
Glasserman, P. (2003), *Monte Carlo Methods in Financial Engineering*, Springer, §3.2 (exact
simulation of geometric Brownian motion, correlated by a root of the correlation matrix).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from econ.assumptions import Scenario
from econ.checks import whole_number
from econ.inputs import Inputs, inputs_from_scenario
from econ.paths import MONTHS_PER_YEAR, correlation_root, gbm_paths, mean_reverting_paths
from econ.risk import sample_inputs
from econ.strategies import demand_path, initial_demand, market

__all__ = ["DRIVER_NAMES", "DRIVER_UNITS", "DriverCalibration", "calibrate_drivers", "driver_paths", "driver_trajectories"]

FloatArray = NDArray[np.float64]

DRIVER_NAMES: tuple[str, str] = ("demand", "cloud_price")
"""The drivers, in the order of the last axis of every array here."""

DRIVER_UNITS: tuple[str, str] = ("reference GPUs (busy)", "USD per reference GPU-hour")
"""Unit of each driver of :data:`DRIVER_NAMES`."""

_CHUNK = 1000
_REPORT_YEARS = (1, 3, 5, 10, 15)


@dataclass(frozen=True)
class DriverCalibration:
    """Central paths, volatilities and correlation of the drivers, calibrated to a scenario's Monte Carlo.

    Attributes
    ----------
    names : tuple of str
        ``("demand", "cloud_price")``, the order of the last axis of ``central``.
    central : numpy.ndarray of shape (M + 1, 2)
        Each driver's path on the scenario's central values, month 0..M [demand: reference GPUs;
        cloud_price: USD per reference GPU-hour]; the median of :func:`driver_paths`.
    volatility_annual : numpy.ndarray of shape (2,)
        ``sigma`` of each driver's log [1/sqrt(year)].
    correlation : numpy.ndarray of shape (2, 2)
        Correlation of the drivers' Brownian motions [1].
    horizon_months : int
        M [months].
    draws : int
        Monte Carlo draws of the scenario's inputs it was calibrated on [draws] (0 if not calibrated).
    seed : int or None
        Seed of those draws.
    from_start : bool
        Whether the log deviation was measured relative to each draw's own month-0 value.
    std_log_deviation : dict of int to numpy.ndarray
        At whole years t (1, 3, 5, 10, 15 within the horizon, and the horizon), the draws' standard
        deviation of ``x_t = ln(path / central)`` per driver [1]; compare with ``volatility_annual * sqrt(t)``.
    median_log_deviation : numpy.ndarray of shape (2,)
        The draws' median of ``x_T`` [1]: how far the draws' median at the horizon is from the
        central path (the central path, not the draws' median, is the paths' median).

    Examples
    --------
    >>> import dataclasses
    >>> c = DriverCalibration(DRIVER_NAMES, np.ones((13, 2)), np.array([0.2, 0.1]), np.eye(2), 12, 0, None)
    >>> driver_paths(dataclasses.replace(c, volatility_annual=np.zeros(2)), 3, seed=1)[:, -1].tolist()
    [[1.0, 1.0], [1.0, 1.0], [1.0, 1.0]]
    """

    names: tuple[str, ...]
    central: FloatArray
    volatility_annual: FloatArray
    correlation: FloatArray
    horizon_months: int
    draws: int
    seed: int | None
    from_start: bool = False
    std_log_deviation: dict[int, FloatArray] | None = None
    median_log_deviation: FloatArray | None = None

    def sigma_sqrt_t(self, years: float) -> FloatArray:
        """``volatility_annual * sqrt(years)``: the standard deviation of the paths' log deviation at ``years`` [1].

        Examples
        --------
        >>> c = DriverCalibration(DRIVER_NAMES, np.ones((49, 2)), np.array([0.2, 0.1]), np.eye(2), 48, 0, None)
        >>> c.sigma_sqrt_t(4.0).tolist()
        [0.4, 0.2]
        """
        out: FloatArray = self.volatility_annual * np.sqrt(years)
        return out


def driver_trajectories(inputs: Inputs, plan_price: FloatArray | None = None) -> FloatArray:
    """Each draw's demand and cloud list price at months 0..M, by the model's own functions, shape (n, M + 1, 2).

    Parameters
    ----------
    inputs : Inputs
        Model inputs for n draws (:func:`econ.inputs.inputs_from_scenario`, :func:`econ.risk.sample_inputs`).
    plan_price : numpy.ndarray of shape (M,) or (n, M), optional
        The price path demand's growth rates were forecast on [USD per reference GPU-hour]: demand
        responds to the draw's price away from it (:func:`econ.demand.price_response`). Default: each
        draw's own price (no response), which is the scenario's central path for central inputs.

    Returns
    -------
    numpy.ndarray of shape (n, M + 1, 2)
        ``[..., 0]`` demand [reference GPUs, busy], ``[..., 1]`` list price [USD per reference GPU-hour];
        month 0 is t = 0, month m the end of month m.

    Examples
    --------
    >>> from econ.assumptions import load_scenario
    >>> paths = driver_trajectories(inputs_from_scenario(load_scenario("base")))
    >>> paths.shape
    (1, 181, 2)
    """
    path, price = market(inputs)
    d0 = initial_demand(inputs, path)
    demand = demand_path(inputs, path, price, price if plan_price is None else plan_price)
    price0 = inputs["cloud.list_usd_per_gpu_hour"] / inputs.list_work_per_gpu
    out = np.empty((inputs.n, inputs.months + 1, 2))
    out[:, 0, 0] = d0
    out[:, 1:, 0] = demand
    out[:, 0, 1] = price0
    out[:, 1:, 1] = price
    return out


def calibrate_drivers(scenario: Scenario, draws: int = 4000, seed: int = 20261122, *, from_start: bool = False) -> DriverCalibration:
    """Calibrate the drivers' GBM to the scenario's Monte Carlo: central path, horizon-matched volatility, correlation.

    Parameters
    ----------
    scenario : Scenario
        The scenario; its ``risk`` block says what is uncertain.
    draws : int, default 4000
        Draws of the scenario's inputs [draws], >= 2.
    seed : int, default 20261122
        Seed of :func:`econ.risk.sample_inputs`.
    from_start : bool, default False
        Measure ``x = ln(path_t / path_0) - ln(central_t / central_0)`` (growth uncertainty only)
        instead of ``ln(path_t / central_t)`` (which includes uncertainty in the level at t = 0).

    Returns
    -------
    DriverCalibration
        ``central`` from the scenario's own inputs (no draws); ``volatility_annual`` =
        ``std(x_T) / sqrt(T)`` with T the horizon [years]; ``correlation`` of ``x_T`` across draws
        (0 off the diagonal if a driver does not vary), checked by :func:`econ.paths.correlation_root`.

    Raises
    ------
    ValueError
        Naming the parameter, its unit, the value and what is allowed.

    Notes
    -----
    Each draw's demand responds to its price path against the central one, as in the Monte
    Carlo (:func:`econ.risk.simulate`, whose contracts are sized on the central forecast). Matching
    the variance at the horizon overstates the spread earlier (see the module docstring).

    Examples
    --------
    >>> from econ.assumptions import load_scenario
    >>> c = calibrate_drivers(load_scenario("base"), draws=200, seed=1)
    >>> c.central.shape, c.horizon_months
    ((181, 2), 180)
    >>> bool(np.all(c.volatility_annual > 0)) and bool(-1 <= c.correlation[0, 1] <= 1)
    True
    """
    draws = whole_number(draws, "draws", "draws", 2)
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer):
        raise ValueError(f"seed: must be an integer [1]; got {seed!r}")
    central_inputs = inputs_from_scenario(scenario)
    central = driver_trajectories(central_inputs)[0]
    months = central_inputs.months
    sampled, _ = sample_inputs(scenario, draws, int(seed))
    plan_price = central[1:, 1]
    log_central = np.log(central)
    x = np.empty((draws, months + 1, 2))
    for start in range(0, draws, _CHUNK):
        chunk = sampled.take(slice(start, start + _CHUNK))
        x[start : start + chunk.n] = np.log(driver_trajectories(chunk, plan_price)) - log_central
    if from_start:
        x -= x[:, :1, :]
    horizon_years = months / MONTHS_PER_YEAR
    std_t = x[:, -1, :].std(axis=0, ddof=1)
    sigma = std_t / np.sqrt(horizon_years)
    corr = np.eye(2)
    if np.all(std_t > 0):
        corr[0, 1] = corr[1, 0] = float(np.corrcoef(x[:, -1, 0], x[:, -1, 1])[0, 1])
    correlation_root(corr, 2)
    report = {y: x[:, y * MONTHS_PER_YEAR, :].std(axis=0, ddof=1) for y in _REPORT_YEARS if y * MONTHS_PER_YEAR <= months}
    report[0] = x[:, 0, :].std(axis=0, ddof=1)
    if months % MONTHS_PER_YEAR == 0:
        report[months // MONTHS_PER_YEAR] = std_t
    return DriverCalibration(
        names=DRIVER_NAMES,
        central=central,
        volatility_annual=sigma,
        correlation=corr,
        horizon_months=months,
        draws=draws,
        seed=int(seed),
        from_start=from_start,
        std_log_deviation=dict(sorted(report.items())),
        median_log_deviation=np.median(x[:, -1, :], axis=0),
    )


def driver_paths(
    calibration: DriverCalibration,
    n_paths: int,
    seed: int | None,
    antithetic: bool = False,
    centre: str = "median",
    reversion_annual: float = 0.0,
) -> FloatArray:
    """Correlated monthly paths of the drivers around their central paths, shape (n_paths, M + 1, 2).

    Built with :func:`econ.paths.gbm_paths` from start 1, times the central path. With
    ``centre="median"`` the drift is ``mu = sigma^2 / 2``, so that ``S_t = exp(sigma W_t)`` and the
    central path is the paths' median; with ``centre="mean"`` the drift is 0, so that
    ``S_t = exp(sigma W_t - sigma^2 t / 2)`` and the central path is their mean (Glasserman 2003,
    §3.2). A model linear in the drivers then has the central answer as its mean.

    With ``reversion_annual = kappa > 0`` the log-deviation from the central path mean-reverts
    instead (an exponential Ornstein-Uhlenbeck process, :func:`econ.paths.mean_reverting_paths`;
    Schwartz 1997 model 1; Dixit and Pindyck 1994, ch. 3, §3.B): ``dx = -kappa x dt + s dW``. Its
    volatility ``s`` is set so that the variance at the horizon is the calibration's,
    ``s^2 (1 - e^{-2 kappa T}) / (2 kappa) = sigma^2 T``, so the two processes agree at the horizon
    and the mean-reverting one reveals more of the deviation early (its variance at t is the
    share ``(1 - e^{-2 kappa t}) / (1 - e^{-2 kappa T})`` of the horizon's, against ``t / T``). With
    ``centre="mean"`` each month is scaled by ``exp(-Var x_t / 2)``.

    Parameters
    ----------
    calibration : DriverCalibration
        From :func:`calibrate_drivers` (or :func:`dataclasses.replace` of one).
    n_paths : int
        Number of paths [paths], >= 1 (even if ``antithetic``).
    seed : int or None
        Seed of ``numpy.random.default_rng``; the same seed gives the same paths.
    antithetic : bool, default False
        Pairs of mirrored paths (:func:`econ.paths.gbm_paths`).

    Returns
    -------
    numpy.ndarray of shape (n_paths, M + 1, 2)
        ``[..., 0]`` demand [reference GPUs, busy], ``[..., 1]`` list price [USD per reference
        GPU-hour]; month 0 is the central value; with zero volatility every path is ``central``.

    Raises
    ------
    ValueError
        Naming the parameter, its unit, the value and what is allowed.

    Examples
    --------
    >>> c = DriverCalibration(DRIVER_NAMES, np.full((25, 2), 2.0), np.array([0.3, 0.2]), np.array([[1, -0.5], [-0.5, 1]]), 24, 0, None)
    >>> p = driver_paths(c, 4, seed=7)
    >>> p.shape, p[:, 0].tolist() == [[2.0, 2.0]] * 4
    ((4, 25, 2), True)
    >>> driver_paths(c, 4, seed=7, reversion_annual=0.5).shape
    (4, 25, 2)
    """
    n_paths = whole_number(n_paths, "n_paths", "paths", 1)
    central = np.asarray(calibration.central, dtype=float)
    months = whole_number(calibration.horizon_months, "calibration.horizon_months", "months", 1)
    if central.shape != (months + 1, 2):
        raise ValueError(
            f"calibration.central: must have shape ({months + 1}, 2), months 0..M by driver [driver units]; got {central.shape}"
        )
    if not np.all(np.isfinite(central) & (central > 0)):
        bad = np.argwhere(~(np.isfinite(central) & (central > 0)))[0]
        raise ValueError(
            f"calibration.central: must be finite and > 0 [driver units]; "
            f"got {float(central[tuple(bad)])!r} at month {bad[0]} of {DRIVER_NAMES[bad[1]]!r}"
        )
    sigma = np.asarray(calibration.volatility_annual, dtype=float)
    if sigma.shape != (2,) or not np.all(np.isfinite(sigma) & (sigma >= 0)):
        raise ValueError(f"calibration.volatility_annual: must be 2 finite values >= 0 [1/sqrt(year)]; got {sigma.tolist()}")
    if not isinstance(antithetic, bool):
        raise ValueError(f"antithetic: must be a bool; got {antithetic!r}")
    if centre not in ("median", "mean"):
        raise ValueError(f"centre: must be 'median' or 'mean'; got {centre!r}")
    kappa = float(reversion_annual) if isinstance(reversion_annual, int | float) and not isinstance(reversion_annual, bool) else np.nan
    if not (np.isfinite(kappa) and kappa >= 0):
        raise ValueError(f"reversion_annual: must be a finite number >= 0 [1/year]; got {reversion_annual!r}")
    if kappa == 0:
        drift = 0.5 * sigma**2 if centre == "median" else np.zeros(2)
        shocks = gbm_paths(1.0, drift, sigma, months, n_paths, seed, calibration.correlation, antithetic=antithetic)
    else:
        horizon = months / MONTHS_PER_YEAR
        s_ou = sigma * np.sqrt(2.0 * kappa * horizon / -np.expm1(-2.0 * kappa * horizon))
        shocks = mean_reverting_paths(1.0, 1.0, kappa, s_ou, months, n_paths, seed, calibration.correlation, antithetic=antithetic)
        if centre == "mean":
            t = np.arange(months + 1) / MONTHS_PER_YEAR
            variance = s_ou[None, :] ** 2 * -np.expm1(-2.0 * kappa * t)[:, None] / (2.0 * kappa)
            shocks = shocks * np.exp(-variance / 2.0)[None, :, :]
    out: FloatArray = shocks * central[None, :, :]
    return out
