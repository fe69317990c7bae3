"""Stochastic paths of drivers revealed over time: correlated geometric Brownian motion and exponential Ornstein-Uhlenbeck.

Groundwork for real options on the build program (issue #17): demand and the cloud price per
unit of work are not known up front but revealed month by month. Both generators return an
array of shape ``(n_paths, months + 1, k)`` for ``k`` correlated factors, month 0 being the
known start, on a monthly grid (``dt = 1/12`` year), vectorized over paths and seeded like the
Monte Carlo of :mod:`econ.risk` (``numpy.random.default_rng(seed)``).

Both use the exact (not Euler) discretisation, so a monthly step has no discretisation error:

- :func:`gbm_paths`, geometric Brownian motion ``dS = mu S dt + sigma S dW``
  (Glasserman 2003, *Monte Carlo Methods in Financial Engineering*, Springer, §3.2):
  ``S(t+dt) = S(t) exp((mu - sigma^2/2) dt + sigma sqrt(dt) Z)``.
- :func:`mean_reverting_paths`, an Ornstein-Uhlenbeck process on the log,
  ``d ln S = kappa (ln theta - ln S) dt + sigma dW`` (Glasserman 2003, §3.3 for the Gaussian
  short-rate (Vasicek) recursion and §3.4 for the exact simulation of such linear SDEs); this is
  the one-factor commodity model of Schwartz (1997), "The stochastic behavior of commodity
  prices: implications for valuation and hedging", *Journal of Finance* 52(3):923-973, with
  ``ln theta`` his ``alpha``.

Correlation between factors acts on the Brownian increments: ``Z = L e`` with ``e`` independent
standard normals and ``L L^T = correlation``. ``L`` is the Cholesky factor when ``correlation`` is
positive definite; when it is positive semi-definite but singular (two perfectly correlated
drivers, say) Cholesky fails and ``L`` is the symmetric square root ``Q sqrt(max(lambda, 0)) Q^T``
of the eigen-decomposition, which is unique (independent of the eigenvectors' signs), so the
same seed gives the same paths on any machine.

Drift and volatility are per year: ``drift_annual`` is the continuously compounded growth rate of
the mean [1/year] (``E[S_T] = S_0 exp(mu T)``), ``volatility_annual`` the standard deviation of the
log per square root of a year [1/sqrt(year)].
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike, NDArray

from econ.checks import whole_number

__all__ = ["MONTHS_PER_YEAR", "correlation_root", "gbm_paths", "mean_reverting_paths"]

MONTHS_PER_YEAR = 12
"""Steps per year of every path [months/year]: paths are monthly."""

_SYMMETRY_TOL = 1e-10
_DIAGONAL_TOL = 1e-12
_EIGEN_TOL = 1e-10

FloatArray = NDArray[np.float64]


_BOUNDS: dict[str, Callable[[FloatArray], NDArray[np.bool_]]] = {
    "finite": lambda a: np.ones(a.shape, dtype=bool),
    "finite and > 0": lambda a: a > 0,
    "finite and >= 0": lambda a: a >= 0,
}
"""What each ``allowed`` text of :func:`_factor_vector` requires besides finiteness."""


def _factor_vector(name: str, value: ArrayLike, unit: str, k: int, allowed: str) -> FloatArray:
    """Broadcast a scalar or a length-``k`` vector to ``(k,)`` floats, checking it is ``allowed`` (a key of ``_BOUNDS``)."""
    arr = np.asarray(value, dtype=float)
    if arr.ndim == 0:
        arr = np.full(k, float(arr))
    elif arr.ndim != 1 or arr.shape[0] != k:
        raise ValueError(f"{name}: must be a scalar or have one value per factor, shape ({k},) [{unit}]; got shape {arr.shape}")
    if not np.all(np.isfinite(arr) & _BOUNDS[allowed](arr)):
        raise ValueError(f"{name}: must be {allowed} [{unit}]; got {arr.tolist()}")
    return arr


def _factors(correlation: ArrayLike | None, *vectors: ArrayLike) -> int:
    """The number of factors ``k`` implied by ``correlation`` or the longest 1-D parameter (1 if all are scalars)."""
    if correlation is not None:
        c = np.asarray(correlation, dtype=float)
        if c.ndim != 2 or c.shape[0] != c.shape[1] or c.shape[0] < 1:
            raise ValueError(f"correlation: must be a square (k, k) matrix [1]; got shape {c.shape}")
        return int(c.shape[0])
    sizes = [np.asarray(v).shape[0] for v in vectors if np.ndim(v) == 1]
    return max(sizes, default=1)


def correlation_root(correlation: ArrayLike | None, k: int) -> FloatArray:
    """A matrix ``L`` with ``L @ L.T == correlation`` (to rounding), after checking ``correlation`` is a correlation matrix.

    Parameters
    ----------
    correlation : array_like of shape (k, k) or None
        Correlation of the factors' Brownian increments [1]. ``None`` means independent factors.
    k : int
        Number of factors.

    Returns
    -------
    numpy.ndarray of shape (k, k)
        The Cholesky factor (lower triangular) if ``correlation`` is positive definite, otherwise
        the symmetric square root of its eigen-decomposition (eigenvalues within ``-1e-10`` of zero
        clipped to zero).

    Raises
    ------
    ValueError
        Naming ``correlation``, if it is not finite, square, symmetric (to 1e-10), with a unit
        diagonal (to 1e-12), entries in [-1, 1] and positive semi-definite (smallest eigenvalue
        >= -1e-10).

    Examples
    --------
    >>> root = correlation_root([[1.0, 1.0], [1.0, 1.0]], 2)  # singular: perfectly correlated
    >>> np.allclose(root @ root.T, [[1.0, 1.0], [1.0, 1.0]])
    True
    """
    if correlation is None:
        return np.eye(k)
    c = np.asarray(correlation, dtype=float)
    if c.shape != (k, k):
        raise ValueError(f"correlation: must have shape ({k}, {k}), one row and column per factor [1]; got shape {c.shape}")
    if not np.all(np.isfinite(c)):
        raise ValueError(f"correlation: must be finite [1]; got {c.tolist()}")
    if np.max(np.abs(c - c.T)) > _SYMMETRY_TOL:
        raise ValueError(f"correlation: must be symmetric (to {_SYMMETRY_TOL:g}) [1]; got {c.tolist()}")
    if np.max(np.abs(np.diag(c) - 1.0)) > _DIAGONAL_TOL:
        raise ValueError(f"correlation: must have a unit diagonal [1]; got diagonal {np.diag(c).tolist()}")
    if np.any(np.abs(c) > 1.0 + _DIAGONAL_TOL):
        raise ValueError(f"correlation: entries must lie in [-1, 1] [1]; got {c.tolist()}")
    c = (c + c.T) / 2.0
    eigenvalues, vectors = np.linalg.eigh(c)
    if eigenvalues[0] < -_EIGEN_TOL:
        raise ValueError(
            f"correlation: must be positive semi-definite (smallest eigenvalue >= -{_EIGEN_TOL:g}) [1]; "
            f"got smallest eigenvalue {eigenvalues[0]:.6g} for {c.tolist()}"
        )
    try:
        return np.linalg.cholesky(c)
    except np.linalg.LinAlgError:
        root: FloatArray = (vectors * np.sqrt(np.clip(eigenvalues, 0.0, None))) @ vectors.T
        return root


def _normals(n_paths: int, months: int, root: FloatArray, seed: int | None, antithetic: bool) -> FloatArray:
    """Correlated standard normal increments ``(n_paths, months, k)``: path-major draws, then ``e @ root.T``."""
    k = root.shape[0]
    if antithetic and n_paths % 2:
        raise ValueError(f"n_paths: must be even when antithetic=True (paths come in pairs) [paths]; got {n_paths}")
    rng = np.random.default_rng(seed)
    drawn = n_paths // 2 if antithetic else n_paths
    e = rng.standard_normal((drawn, months, k))
    z: FloatArray = e if k == 1 and root[0, 0] == 1.0 else e @ root.T
    if antithetic:
        z = np.concatenate([z, -z], axis=0)
    return z


def gbm_paths(
    start: ArrayLike,
    drift_annual: ArrayLike,
    volatility_annual: ArrayLike,
    months: int,
    n_paths: int,
    seed: int | None,
    correlation: ArrayLike | None = None,
    *,
    antithetic: bool = False,
) -> FloatArray:
    """Monthly paths of ``k`` correlated geometric Brownian motions, exactly discretised.

    ``S_k(t + dt) = S_k(t) exp((mu_k - sigma_k^2 / 2) dt + sigma_k sqrt(dt) Z_k)`` with ``dt = 1/12``
    [year] and ``Z`` standard normal with correlation ``correlation`` (Glasserman 2003, *Monte Carlo
    Methods in Financial Engineering*, §3.2). The log is computed as the drift term times the
    elapsed years plus the cumulated noise, so with zero volatility a path is
    ``start * exp(drift_annual * (np.arange(months + 1) / 12))`` to the last bit.

    Parameters
    ----------
    start : float or array_like of shape (k,)
        Value of each factor at month 0 [the factor's unit, e.g. $/GPU-hour], > 0.
    drift_annual : float or array_like of shape (k,)
        Continuously compounded growth rate of the mean [1/year]: ``E[S_T] = S_0 exp(mu T)``. Use
        the risk-free rate (less any yield) for risk-neutral valuation.
    volatility_annual : float or array_like of shape (k,)
        Standard deviation of the log per square root of a year [1/sqrt(year)], >= 0.
    months : int
        Number of monthly steps [months], >= 1.
    n_paths : int
        Number of paths [paths], >= 1 (even if ``antithetic``).
    seed : int or None
        Seed of ``numpy.random.default_rng``; the same seed gives the same paths.
    correlation : array_like of shape (k, k), optional
        Correlation of the factors' Brownian increments (so of their monthly log-returns) [1];
        symmetric, unit diagonal, positive semi-definite (singular allowed). Default: independent.
    antithetic : bool, default False
        Draw ``n_paths / 2`` normal sequences and use each with both signs: path ``i + n_paths/2``
        is the mirror of path ``i`` (Glasserman 2003, §4.2).

    Returns
    -------
    numpy.ndarray of shape (n_paths, months + 1, k)
        The paths [each factor's unit]; ``[:, 0, :]`` is ``start``.

    Raises
    ------
    ValueError
        Naming the parameter, its unit, the value and what is allowed.

    Examples
    --------
    >>> p = gbm_paths([100.0, 2.0], [0.05, -0.10], [0.30, 0.20], months=24, n_paths=4, seed=1, correlation=[[1.0, 0.5], [0.5, 1.0]])
    >>> p.shape
    (4, 25, 2)
    >>> p[0, 0].tolist()
    [100.0, 2.0]
    >>> float(gbm_paths(100.0, 0.06, 0.0, months=12, n_paths=1, seed=0)[0, -1, 0])  # 100 e^0.06
    106.18365465453596
    """
    months = whole_number(months, "months", "months")
    n_paths = whole_number(n_paths, "n_paths", "paths")
    k = _factors(correlation, start, drift_annual, volatility_annual)
    s0 = _factor_vector("start", start, "factor unit", k, "finite and > 0")
    mu = _factor_vector("drift_annual", drift_annual, "1/year", k, "finite")
    sigma = _factor_vector("volatility_annual", volatility_annual, "1/sqrt(year)", k, "finite and >= 0")
    root = correlation_root(correlation, k)
    dt = 1.0 / MONTHS_PER_YEAR
    z = _normals(n_paths, months, root, seed, antithetic)
    z *= sigma * np.sqrt(dt)
    np.cumsum(z, axis=1, out=z)
    years = np.arange(months + 1) / MONTHS_PER_YEAR
    out = np.empty((n_paths, months + 1, k))
    out[:, :, :] = ((mu - 0.5 * sigma**2) * years[:, None])[None, :, :]
    out[:, 1:, :] += z
    np.exp(out, out=out)
    out *= s0
    return out


def mean_reverting_paths(
    start: ArrayLike,
    long_run_level: ArrayLike,
    reversion_annual: ArrayLike,
    volatility_annual: ArrayLike,
    months: int,
    n_paths: int,
    seed: int | None,
    correlation: ArrayLike | None = None,
    *,
    antithetic: bool = False,
) -> FloatArray:
    """Monthly paths of ``k`` correlated exponential Ornstein-Uhlenbeck processes (Schwartz 1997 one-factor), exactly discretised.

    ``X = ln S`` follows ``dX = kappa (ln theta - X) dt + sigma dW``, whose exact monthly transition
    (Glasserman 2003, §3.3 and §3.4) is ``X(t+dt) = ln theta + (X(t) - ln theta) e^{-kappa dt}
    + sigma sqrt((1 - e^{-2 kappa dt}) / (2 kappa)) Z``, with ``Z`` correlated standard normals.
    So ``ln S_T`` is normal with mean ``ln theta + (ln S_0 - ln theta) e^{-kappa T}`` and variance
    ``sigma^2 (1 - e^{-2 kappa T}) / (2 kappa)``; ``kappa = 0`` is driftless Brownian motion of the
    log (variance ``sigma^2 T``). This is Schwartz (1997, *J. Finance* 52(3):923-973) model 1 with
    ``ln theta = alpha = mu - sigma^2 / (2 kappa)``: ``theta`` is the long-run median of ``S`` and
    ``theta exp(sigma^2 / (4 kappa))`` its long-run mean. For risk-neutral valuation pass the
    risk-adjusted level (Schwartz's ``alpha* = alpha - lambda / kappa``).

    Parameters
    ----------
    start : float or array_like of shape (k,)
        Value at month 0 [the factor's unit], > 0.
    long_run_level : float or array_like of shape (k,)
        ``theta``, the level the log reverts to, ``exp`` of the long-run mean of ``ln S`` [the
        factor's unit], > 0.
    reversion_annual : float or array_like of shape (k,)
        ``kappa``, speed of mean reversion [1/year], >= 0; the half-life of a deviation is
        ``ln 2 / kappa`` years.
    volatility_annual : float or array_like of shape (k,)
        ``sigma``, instantaneous volatility of the log [1/sqrt(year)], >= 0.
    months, n_paths, seed, correlation, antithetic
        As in :func:`gbm_paths`.

    Returns
    -------
    numpy.ndarray of shape (n_paths, months + 1, k)
        The paths [each factor's unit]; ``[:, 0, :]`` is ``start``.

    Raises
    ------
    ValueError
        Naming the parameter, its unit, the value and what is allowed.

    Examples
    --------
    A price at 2.0 reverting to 1.0 with a half-life of one year, no noise:

    >>> p = mean_reverting_paths(2.0, 1.0, np.log(2.0), 0.0, months=12, n_paths=1, seed=0)
    >>> round(float(p[0, -1, 0]), 12)  # exp(ln 2 / 2) = sqrt(2)
    1.414213562373
    >>> mean_reverting_paths([2.0, 1.0], [1.0, 1.0], [0.5, 2.0], [0.3, 0.2], 6, 8, seed=3).shape
    (8, 7, 2)
    """
    months = whole_number(months, "months", "months")
    n_paths = whole_number(n_paths, "n_paths", "paths")
    k = _factors(correlation, start, long_run_level, reversion_annual, volatility_annual)
    s0 = _factor_vector("start", start, "factor unit", k, "finite and > 0")
    theta = _factor_vector("long_run_level", long_run_level, "factor unit", k, "finite and > 0")
    kappa = _factor_vector("reversion_annual", reversion_annual, "1/year", k, "finite and >= 0")
    sigma = _factor_vector("volatility_annual", volatility_annual, "1/sqrt(year)", k, "finite and >= 0")
    root = correlation_root(correlation, k)
    dt = 1.0 / MONTHS_PER_YEAR
    decay = np.exp(-kappa * dt)
    # (1 - e^{-2 kappa dt}) / (2 kappa), which tends to dt as kappa -> 0
    safe = np.where(kappa > 0, kappa, 1.0)
    variance_factor = np.where(kappa > 0, -np.expm1(-2.0 * kappa * dt) / (2.0 * safe), dt)
    scale = sigma * np.sqrt(variance_factor)
    log_theta = np.log(theta)
    z = _normals(n_paths, months, root, seed, antithetic)
    out = np.empty((n_paths, months + 1, k))
    x = np.broadcast_to(np.log(s0) - log_theta, (n_paths, k)).copy()
    out[:, 0, :] = x
    for m in range(months):
        x *= decay
        x += scale * z[:, m, :]
        out[:, m + 1, :] = x
    out += log_theta
    np.exp(out, out=out)
    out[:, 0, :] = s0
    return out
