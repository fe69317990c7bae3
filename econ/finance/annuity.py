"""Annuity factor and capital recovery factor, with their limits at zero rate and infinite life."""

from __future__ import annotations

from typing import Any, Literal

import numpy as np


def _rate_and_nper(rate: Any, nper: Any) -> tuple[np.ndarray, np.ndarray]:
    r = np.asarray(rate, dtype=np.float64)
    n = np.asarray(nper, dtype=np.float64)
    bad_r = np.atleast_1d(~np.isfinite(r) | (r <= -1))
    if bad_r.any():
        msg = f"rate: must be finite and greater than -1 (-100 %) [fraction per period]; got {np.atleast_1d(r)[bad_r].tolist()}"
        raise ValueError(msg)
    bad_n = np.atleast_1d(np.isnan(n) | (n <= 0))
    if bad_n.any():
        msg = f"nper: number of periods must be > 0 (inf allowed) [periods]; got {np.atleast_1d(n)[bad_n].tolist()}"
        raise ValueError(msg)
    return np.broadcast_arrays(r, n)  # type: ignore[return-value]


def _as_output(result: np.ndarray, *inputs: Any) -> Any:
    return result.item() if result.ndim == 0 and not any(isinstance(i, np.ndarray) for i in inputs) else result


def annuity_factor(rate: Any, nper: Any, *, when: Literal["end", "begin"] = "end") -> Any:
    """Present value of 1 paid every period for ``nper`` periods.

    ``AF = (1 - (1 + r) ** -n) / r`` for payments at the end of each period (an ordinary
    annuity), times ``(1 + r)`` for payments at the beginning (an annuity due).

    Parameters
    ----------
    rate : float or array_like
        Discount rate [fraction per period], > -1.
    nper : float or array_like
        Number of payments [periods], > 0; ``inf`` gives a perpetuity (needs rate > 0).
    when : {'end', 'begin'}
        Payments at the end (default) or the beginning of each period.

    Returns
    -------
    float or ndarray
        Annuity factor [periods' worth of payments]. Special cases: rate = 0 gives ``n``;
        ``n = inf`` gives ``1 / r`` for r > 0 and ``inf`` for r <= 0.

    Notes
    -----
    Computed as ``-expm1(-n log1p(r)) / r`` so that it stays accurate as r -> 0.

    References
    ----------
    .. [1] Brealey, Myers & Allen, *Principles of Corporate Finance*, 13th ed., sec. 2-4
       (annuity factor).
    .. [2] PyPSA ``pypsa.costs.annuity``: the same factor with its rate-zero special case.

    Examples
    --------
    >>> round(annuity_factor(0.1, 10), 5)
    6.14457
    >>> annuity_factor(0.0, 10)
    10.0
    """
    if when not in ("end", "begin"):
        msg = f"when: must be 'end' or 'begin'; got {when!r}"
        raise ValueError(msg)
    r, n = _rate_and_nper(rate, nper)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        finite = -np.expm1(-n * np.log1p(r)) / r
        perpetuity = np.where(r > 0, 1.0 / np.where(r > 0, r, 1.0), np.inf)
    factor = np.where(np.isinf(n), perpetuity, np.where(r == 0, n, finite))
    if when == "begin":
        factor = factor * (1.0 + r)
    return _as_output(factor, rate, nper)


def capital_recovery_factor(rate: Any, nper: Any) -> Any:
    """Constant payment per period that repays 1 of capital over ``nper`` periods.

    ``CRF = r (1 + r) ** n / ((1 + r) ** n - 1) = 1 / annuity_factor(r, n)``: multiplied
    by a capital cost it gives the level annual (or monthly) capital charge.

    Parameters
    ----------
    rate : float or array_like
        Discount rate [fraction per period], > -1.
    nper : float or array_like
        Recovery period [periods], > 0; ``inf`` allowed.

    Returns
    -------
    float or ndarray
        Capital recovery factor [1 / period]. Special cases: rate = 0 gives ``1 / n``;
        ``n = inf`` gives ``r`` for r > 0 and 0 for r <= 0.

    References
    ----------
    .. [1] Short, Packey & Holt (1995), NREL/TP-462-5173, eq. 4-4 (capital recovery factor).
    .. [2] Newnan, Eschenbach & Lavelle, *Engineering Economic Analysis*, 13th ed.,
       interest table (A/P, i, n).

    Examples
    --------
    >>> round(capital_recovery_factor(0.1, 10), 5)
    0.16275
    >>> capital_recovery_factor(0.0, 4)
    0.25
    """
    r, n = _rate_and_nper(rate, nper)
    factor = annuity_factor(r, n)
    with np.errstate(divide="ignore"):
        result = 1.0 / np.asarray(factor)
    return _as_output(result, rate, nper)
