"""What it is worth to know an input before deciding, and how much of the spread each input explains.

Both come from the Monte Carlo draws already run, without nested simulation. For a plan's
cost ``C`` (or a difference of costs) and one input ``X``, the conditional mean
``E[C | X = x]`` is estimated by a least-squares regression spline of ``C`` on ``X`` (cubic
B-splines with interior knots at quantiles of ``X``; group means for an input with few
distinct values, such as a lost permit). That is the regression method of Strong, Oakley &
Brennan, "Estimating multiparameter partial expected value of perfect information from a
probabilistic sensitivity analysis sample: a nonparametric regression approach", *Medical
Decision Making* 34(3), 2014, with a spline in place of their generalized additive model.

- **EVPI** (:func:`evpi`), for plans with costs ``C_p``: ``min_p E[C_p] - E[min_p C_p]``,
  what a decision-maker who learned every input before choosing would save on average
  (Raiffa & Schlaifer, *Applied Statistical Decision Theory*, 1961).
- **Partial EVPI** of ``X`` (:func:`evppi`): ``min_p E[C_p] - E[min_p E[C_p | X]]``, with the
  regression fitted to each plan's cost minus the first plan's (the incremental cost, as
  Strong et al. do, which removes the noise the plans share).
- **First-order sensitivity index** of ``X`` (:func:`first_order_indices`):
  ``Var(E[Y | X]) / Var(Y)``, the share of the variance of ``Y`` that ``X`` explains alone
  (Sobol', "Global sensitivity indices for nonlinear mathematical models", *Math. Comput.
  Simul.* 55, 2001), estimated from the given draws (Plischke, Borgonovo & Smith, "Global
  sensitivity measures from given data", *Eur. J. Oper. Res.* 226(3), 2013). It keeps the
  scenario's correlations as sampled; correlated inputs share explained variance, so the
  indices need not sum to at most 1.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy.interpolate import make_lsq_spline

__all__ = ["conditional_mean", "evpi", "evppi", "first_order_indices"]

KNOTS = 6
"""Interior knots of the regression spline (at quantiles of the input)."""

DISCRETE = 12
"""Inputs with at most this many distinct values are regressed by group means."""


def conditional_mean(y: np.ndarray, x: np.ndarray, knots: int = KNOTS) -> np.ndarray:
    """``E[y | x]`` at each draw, by a least-squares cubic regression spline (group means for discrete ``x``).

    Parameters
    ----------
    y : numpy.ndarray
        Output per draw, shape (n,) or (n, P).
    x : numpy.ndarray
        Input per draw, shape (n,).
    knots : int
        Interior knots, placed at equally spaced quantiles of ``x``.

    Returns
    -------
    numpy.ndarray
        Fitted values, the shape of ``y``.

    Examples
    --------
    >>> x = np.linspace(0.0, 1.0, 200)
    >>> fitted = conditional_mean(x**2 + np.where(np.arange(200) % 2, 0.1, -0.1), x)
    >>> bool(np.max(np.abs(fitted - x**2)) < 0.02)
    True
    """
    xv = np.asarray(x, dtype=float)
    yv = np.asarray(y, dtype=float)
    if xv.ndim != 1 or yv.shape[0] != xv.size or xv.size < 2:
        raise ValueError(f"x, y: need one input value per draw (n >= 2); got shapes {xv.shape} and {yv.shape}")
    if not (np.all(np.isfinite(xv)) and np.all(np.isfinite(yv))):
        raise ValueError("x, y: values must be finite")
    distinct, group = np.unique(xv, return_inverse=True)
    if distinct.size <= DISCRETE:
        sums = np.zeros((distinct.size, *yv.shape[1:]))
        np.add.at(sums, group, yv)
        counts = np.bincount(group, minlength=distinct.size).reshape((-1,) + (1,) * (yv.ndim - 1))
        means: np.ndarray = (sums / counts)[group]
        return means
    order = np.argsort(xv, kind="stable")
    xs = xv[order]
    inner = np.unique(np.quantile(xs, np.linspace(0.0, 1.0, knots + 2)[1:-1]))
    inner = inner[(inner > xs[0]) & (inner < xs[-1])]
    t = np.concatenate([[xs[0]] * 4, inner, [xs[-1]] * 4])
    ys = yv[order]
    # make_lsq_spline needs strictly increasing x: a tiny jitter-free fix is to average ties first
    ux, first, counts = np.unique(xs, return_index=True, return_counts=True)
    ymean = np.add.reduceat(ys, first, axis=0) / counts.reshape((-1,) + (1,) * (ys.ndim - 1))
    spline = make_lsq_spline(ux, ymean, t, k=3, w=counts.astype(float))
    fitted = np.empty_like(yv)
    fitted[order] = spline(xs)
    return fitted


def evpi(costs: np.ndarray) -> float:
    """Expected value of perfect information of a choice among plans [USD], ``min_p E[C_p] - E[min_p C_p]`` >= 0.

    Parameters
    ----------
    costs : numpy.ndarray
        Cost of each plan in each draw [USD], shape (n, P).

    Examples
    --------
    Two plans, each best in half of the draws:

    >>> evpi(np.array([[1.0, 3.0], [3.0, 1.0]]))
    1.0
    >>> evpi(np.array([[1.0, 3.0], [2.0, 5.0]]))  # plan 0 is best in every draw
    0.0
    """
    c = _costs(costs)
    return float(c.mean(axis=0).min() - c.min(axis=1).mean())


def evppi(costs: np.ndarray, x: np.ndarray, knots: int = KNOTS) -> float:
    """Partial EVPI of one input [USD]: ``min_p E[C_p] - E[min_p E[C_p | x]]`` (Strong, Oakley & Brennan, 2014).

    Each plan's cost minus the first plan's is regressed on ``x`` (:func:`conditional_mean`).
    The fit's noise biases the estimate upwards (Strong, Oakley & Brennan, 2014, discuss
    the bias of regression estimators): for an input that does not matter it is roughly the
    incremental cost's standard deviation times ``sqrt((knots + 4) / n)``, the scale of a
    spline with ``knots + 4`` coefficients fitted to ``n`` draws of noise (a heuristic),
    so compare small values with that floor.

    Examples
    --------
    Which plan is cheaper depends on x alone:

    >>> x = np.linspace(-1.0, 1.0, 400)
    >>> costs = np.column_stack([np.zeros(400), x])
    >>> round(evppi(costs, x), 3), round(evpi(costs), 3)
    (0.25, 0.25)
    """
    c = _costs(costs)
    incremental = c - c[:, :1]
    fitted = conditional_mean(incremental, x, knots)
    return float(incremental.mean(axis=0).min() - fitted.min(axis=1).mean())


def first_order_indices(draws: pd.DataFrame, output: str, inputs: Sequence[str] | None = None, knots: int = KNOTS) -> pd.DataFrame:
    """Share of the variance of ``output`` each input explains alone, from the given draws.

    Parameters
    ----------
    draws : pandas.DataFrame
        One row per draw (:func:`econ.simulate`).
    output : str
        The column explained, e.g. ``"npv_cost_difference_build_usd"``.
    inputs : sequence of str, optional
        Input columns; by default every column of ``draws`` before the first ``npv_`` column
        that varies.
    knots : int
        Interior knots of the regression spline.

    Returns
    -------
    pandas.DataFrame
        Index ``input``: ``first_order_index`` [1] and ``explained_sd_usd`` (the standard
        deviation of ``E[output | input]``), sorted by the index, largest first.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> d = pd.DataFrame({"a": rng.random(2000), "b": rng.random(2000)})
    >>> d["y"] = 3 * d["a"] + d["b"]
    >>> first_order_indices(d, "y", ["a", "b"])["first_order_index"].round(1).tolist()
    [0.9, 0.1]
    """
    if output not in draws:
        raise ValueError(f"output: no column {output!r} in the draws")
    y = draws[output].to_numpy(float)
    if inputs is None:
        cut = next((i for i, c in enumerate(draws.columns) if str(c).startswith("npv_")), len(draws.columns))
        inputs = [str(c) for c in draws.columns[:cut] if np.ptp(draws[c].to_numpy(float)) > 0]
    total = float(np.var(y))
    rows = {}
    for name in inputs:
        explained = float(np.var(conditional_mean(y, draws[name].to_numpy(float), knots)))
        rows[name] = {"first_order_index": explained / total if total > 0 else float("nan"), "explained_sd_usd": np.sqrt(explained)}
    table = pd.DataFrame.from_dict(rows, orient="index").rename_axis("input")
    return table.sort_values("first_order_index", ascending=False)


def _costs(costs: np.ndarray) -> np.ndarray:
    c = np.asarray(costs, dtype=float)
    if c.ndim != 2 or c.shape[0] < 1 or c.shape[1] < 1 or not np.all(np.isfinite(c)):
        raise ValueError(f"costs: need a finite (draws, plans) array [USD]; got shape {c.shape}")
    return c
