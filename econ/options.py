"""Options on simulated paths: least-squares Monte Carlo (Longstaff-Schwartz), European values, perfect-foresight bounds.

Groundwork for real options on the build program (issue #17). The kernels know nothing of data
centres: they take paths of the state revealed month by month (from :mod:`econ.paths`, shape
``(n_paths, months + 1)`` or ``(n_paths, months + 1, k)``) and a ``payoff(state, month)`` callable
giving the value of exercising now on each path [money], e.g. ``max(V - I, 0)`` for the option to
invest ``I`` in a project worth ``V`` (the option to defer), and return present values at month 0.

Conventions
-----------
- Months index the paths' second axis; month ``t`` is ``t / 12`` years from now.
- ``continuous_rate_annual`` is **continuously compounded** [1/year]: a cash flow at month ``t`` is
  worth ``exp(-r t / 12)`` of it today, as in Longstaff and Schwartz (2001) and Black-Scholes. An
  effective annual rate ``i`` (the convention of :mod:`econ.finance`) is ``r = log1p(i)``. For
  risk-neutral valuation the paths must drift at ``r`` less any yield; with real-world paths
  discount at a risk-adjusted rate instead, as the project's analysis requires.
- The holder exercises only when the payoff is positive: a right, not an obligation. So every value
  here is >= 0, and a path never exercised contributes 0 (its ``exercise_month`` is -1).
- The state passed to ``payoff`` (and to a callable ``basis``) is ``paths[:, t]``: shape
  ``(n_paths,)`` for one factor (a 2-D array, or a 3-D one with ``k = 1``), otherwise
  ``(n_paths, k)``.

Bias of least-squares Monte Carlo. The estimated exercise rule is at best optimal, so valuing it
on paths independent of those it was fitted on gives a value biased low (Longstaff and Schwartz
2001, §2; Glasserman 2003, §8.6). Valuing on the same paths, as the paper does and the default
here does, adds a small high bias from the rule's foresight of those paths; with tens of thousands
of paths both are of the order of a standard error (the paper's Table 1 differs from finite
differences by -0.009 to +0.025 at 100,000 paths). ``valuation_paths`` gives the low-biased
out-of-sample estimate; :func:`perfect_foresight_value` an upper bound on the same paths.

References
----------
Longstaff, F. A., and E. S. Schwartz (2001), "Valuing American options by simulation: a simple
least-squares approach", *Review of Financial Studies* 14(1):113-147.
Glasserman, P. (2003), *Monte Carlo Methods in Financial Engineering*, Springer, ch. 8.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from econ.checks import whole_number
from econ.paths import MONTHS_PER_YEAR

__all__ = [
    "Basis",
    "Estimate",
    "LSMResult",
    "Payoff",
    "european_value",
    "exercise_boundary",
    "lsm_american",
    "lsm_realized",
    "perfect_foresight_value",
]

FloatArray = NDArray[np.float64]
Payoff = Callable[[FloatArray, int], ArrayLike]
"""``payoff(state, month)``: the value of exercising at ``month`` on each path [money], shape ``(n_paths,)``."""
Basis = Literal["laguerre", "polynomial"] | Callable[[FloatArray], ArrayLike]
"""Regression basis: a name, or ``basis(state)`` returning the design matrix ``(n, p)`` (include a constant)."""


@dataclass(frozen=True)
class Estimate:
    """A Monte Carlo estimate: ``value`` [money] and its standard error [money] (sample standard deviation / sqrt(n_paths)).

    Examples
    --------
    >>> e = european_value(np.array([[1.0, 3.0], [1.0, 1.0]]), lambda s, t: s - 1.0, 0.0, 1)
    >>> e
    Estimate(value=1.0, std_error=1.0)
    """

    value: float
    std_error: float


@dataclass(frozen=True)
class LSMResult:
    """The value of an American (Bermudan) option by least-squares Monte Carlo.

    Attributes
    ----------
    value : float
        Present value at month 0 [money]: the mean over valuation paths of the discounted payoff
        at each path's exercise month.
    std_error : float
        Standard error of ``value`` [money] (0 when exercised at month 0 on every path).
    exercise_month : numpy.ndarray of int, shape (n_paths,)
        Month of exercise on each valuation path [month], -1 if never exercised.
    boundary : numpy.ndarray of shape (months + 1,) or None
        For a one-factor state, the estimated early-exercise boundary [state unit]: at each
        exercise month, the edge of the region where the rule exercises that faces the region
        where it holds (for a put, the midpoint between the highest exercised state and the next
        state above it), so stray decisions in the regression's thin tails do not move it. ``nan``
        when the rule never or always exercises and at months without exercise; at month 0 the
        start state if the option is exercised at once. ``None`` for ``k > 1``.
    exercise_months : tuple of int
        The months at which exercise was allowed [month].
    coefficients : tuple of numpy.ndarray or None
        Regression coefficients of the continuation value at each exercise month but the last
        (``None`` where no regression was made), in the order of ``exercise_months``.

    Examples
    --------
    >>> p = np.array([[36.0, 34.0, 38.0], [36.0, 38.0, 42.0], [36.0, 39.0, 35.0]])
    >>> r = lsm_american(p, lambda s, t: 40.0 - s, 0.0)  # too few paths to regress: continuation = their mean
    >>> r.exercise_month.tolist(), r.value, r.std_error  # now: 4 beats holding, (6 + 0 + 5) / 3
    ([0, 0, 0], 4.0, 0.0)
    >>> r = lsm_american(p, lambda s, t: 40.0 - s, 0.0, exercise_months=[1, 2])
    >>> r.exercise_month.tolist(), round(r.value, 6), r.exercise_months
    ([1, -1, 2], 3.666667, (1, 2))
    """

    value: float
    std_error: float
    exercise_month: NDArray[np.int64]
    boundary: FloatArray | None
    exercise_months: tuple[int, ...]
    coefficients: tuple[FloatArray | None, ...]


def _as_paths(paths: ArrayLike, name: str = "paths") -> FloatArray:
    """``paths`` as a float array ``(n_paths, months + 1, k)``, checked finite with at least 2 paths and 1 month."""
    arr = np.asarray(paths, dtype=float)
    if arr.ndim == 2:
        arr = arr[:, :, None]
    if arr.ndim != 3 or arr.shape[0] < 2 or arr.shape[1] < 2 or arr.shape[2] < 1:
        raise ValueError(
            f"{name}: must have shape (n_paths, months + 1) or (n_paths, months + 1, k) with n_paths >= 2 and months >= 1 "
            f"[state unit]; got shape {np.shape(paths)}"
        )
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name}: must be finite [state unit]; got {int(np.sum(~np.isfinite(arr)))} non-finite values")
    return arr


def _state(paths: FloatArray, month: int) -> FloatArray:
    """The state at ``month``: ``(n_paths,)`` for one factor, ``(n_paths, k)`` otherwise."""
    state: FloatArray = paths[:, month, 0] if paths.shape[2] == 1 else paths[:, month, :]
    return state


def _by_month(paths: FloatArray) -> FloatArray:
    """``paths`` as ``(months + 1, n_paths, k)``, contiguous, so that each month's state is read without striding."""
    return np.ascontiguousarray(paths.transpose(1, 0, 2))


def _month_state(by_month: FloatArray, month: int) -> FloatArray:
    """The state at ``month`` from :func:`_by_month`: ``(n_paths,)`` for one factor, ``(n_paths, k)`` otherwise."""
    state: FloatArray = by_month[month, :, 0] if by_month.shape[2] == 1 else by_month[month]
    return state


def _rate(continuous_rate_annual: float) -> float:
    r = float(continuous_rate_annual)
    if not np.isfinite(r):
        raise ValueError(f"continuous_rate_annual: must be finite, continuously compounded [1/year]; got {continuous_rate_annual!r}")
    return r


def _discount(rate: float, months: ArrayLike) -> FloatArray:
    """``exp(-rate * months / 12)``: present value at month 0 of 1 paid at ``months`` [1]."""
    out: FloatArray = np.exp(-rate * (np.asarray(months, dtype=float) / MONTHS_PER_YEAR))
    return out


def _payoff(payoff: Payoff, state: FloatArray, month: int, n: int) -> FloatArray:
    """The exercise value ``payoff(state, month)``, checked to be ``n`` finite values [money]."""
    value = np.asarray(payoff(state, month), dtype=float)
    if value.shape != (n,):
        value = np.broadcast_to(value, (n,)) if value.ndim == 0 else value
    if value.shape != (n,):
        raise ValueError(f"payoff: must return one value per path, shape ({n},) [money]; got shape {value.shape} at month {month}")
    if not np.all(np.isfinite(value)):
        raise ValueError(f"payoff: must return finite values [money]; got a non-finite value at month {month}")
    return value


def _months(exercise_months: Sequence[int] | None, last: int) -> tuple[int, ...]:
    if exercise_months is None:
        return tuple(range(last + 1))
    months = tuple(int(m) for m in exercise_months)
    if (
        not months
        or any(isinstance(m, bool) or not isinstance(m, int | np.integer) for m in exercise_months)
        or any(m < 0 or m > last for m in months)
        or any(b <= a for a, b in itertools.pairwise(months))
    ):
        raise ValueError(
            f"exercise_months: must be a non-empty, strictly increasing sequence of integers in [0, {last}] [month]; "
            f"got {list(exercise_months)!r}"
        )
    return months


def _estimate(present_values: FloatArray) -> Estimate:
    n = present_values.shape[0]
    return Estimate(float(np.mean(present_values)), float(np.std(present_values, ddof=1) / np.sqrt(n)))


def european_value(paths: ArrayLike, payoff: Payoff, continuous_rate_annual: float, month: int) -> Estimate:
    """Value of the right to exercise at one month only: the discounted mean of ``max(payoff, 0)``.

    Parameters
    ----------
    paths : array_like of shape (n_paths, months + 1) or (n_paths, months + 1, k)
        Simulated states, month 0 first [state unit], n_paths >= 2.
    payoff : callable
        ``payoff(state, month)`` -> exercise value on each path [money]; negative values are not
        exercised.
    continuous_rate_annual : float
        Continuously compounded discount rate [1/year].
    month : int
        The exercise month [month], in [0, months].

    Returns
    -------
    Estimate
        ``value`` and ``std_error`` [money].

    Examples
    --------
    >>> from econ.paths import gbm_paths
    >>> p = gbm_paths(100.0, 0.05, 0.0, months=12, n_paths=2, seed=0)  # no volatility: S_1y = 100 e^0.05
    >>> e = european_value(p, lambda s, t: s - 100.0, 0.05, 12)
    >>> round(e.value, 12), e.std_error  # (100 e^0.05 - 100) e^-0.05
    (4.877057549929, 0.0)
    """
    arr = _as_paths(paths)
    last = arr.shape[1] - 1
    if isinstance(month, bool) or not isinstance(month, int | np.integer) or not 0 <= month <= last:
        raise ValueError(f"month: must be an integer in [0, {last}] [month]; got {month!r}")
    rate = _rate(continuous_rate_annual)
    value = np.maximum(_payoff(payoff, _state(arr, int(month)), int(month), arr.shape[0]), 0.0)
    return _estimate(value * _discount(rate, month))


def perfect_foresight_value(
    paths: ArrayLike, payoff: Payoff, continuous_rate_annual: float, exercise_months: Sequence[int] | None = None
) -> Estimate:
    """Mean over paths of the best discounted exercise value with hindsight: an upper bound on any exercise rule.

    Each path exercises at the month of ``exercise_months`` with the largest discounted
    ``max(payoff, 0)``. No rule that decides on what is known so far can beat this on the same
    paths, so it bounds :func:`lsm_american` from above, path by path.

    Parameters
    ----------
    paths, payoff, continuous_rate_annual
        As in :func:`lsm_american`.
    exercise_months : sequence of int, optional
        Months at which exercise is allowed [month]. Default: every month, 0 included.

    Returns
    -------
    Estimate
        ``value`` and ``std_error`` [money].

    Examples
    --------
    >>> p = np.array([[1.0, 2.0, 0.5], [1.0, 0.5, 3.0]])
    >>> perfect_foresight_value(p, lambda s, t: s - 1.0, 0.0).value  # (1 + 2) / 2
    1.5
    """
    arr = _as_paths(paths)
    months = _months(exercise_months, arr.shape[1] - 1)
    rate = _rate(continuous_rate_annual)
    best = np.zeros(arr.shape[0])
    for m in months:
        np.maximum(best, _payoff(payoff, _state(arr, m), m, arr.shape[0]) * _discount(rate, m), out=best)
    return _estimate(best)


def _checked_basis(basis: Basis, degree: int) -> int:
    """The degree as an int, after checking it (>= 1) and then the basis (a name or a callable)."""
    checked = whole_number(degree, "degree", "1")
    if not callable(basis) and basis not in ("laguerre", "polynomial"):
        raise ValueError(f"basis: must be 'laguerre', 'polynomial' or a callable returning a design matrix; got {basis!r}")
    return checked


def _scaled(state: FloatArray, basis: str) -> tuple[FloatArray, FloatArray]:
    """Location and scale per factor of the in-the-money ``state``, so the basis sees values of order one."""
    s = state.reshape(state.shape[0], -1)
    if basis == "laguerre":
        loc = np.zeros(s.shape[1])
        scale = np.mean(np.abs(s), axis=0)
    else:
        loc = np.mean(s, axis=0)
        scale = np.std(s, axis=0)
    scale = np.where(scale > 0, scale, 1.0)
    return loc, scale


def _design(state: FloatArray, basis: Basis, degree: int, loc: FloatArray, scale: FloatArray) -> FloatArray:
    """Regression design matrix ``(n, p)``: a constant, each factor's basis functions, and products of pairs of factors."""
    if callable(basis):
        design = np.asarray(basis(state), dtype=float)
        n = state.shape[0]
        if design.ndim != 2 or design.shape[0] != n:
            raise ValueError(f"basis: a callable basis must return a design matrix of shape ({n}, p) [1]; got shape {design.shape}")
        return design
    x = (state.reshape(state.shape[0], -1) - loc) / scale
    columns = [np.ones(x.shape[0])]
    for j in range(x.shape[1]):
        xj = x[:, j]
        if basis == "laguerre":
            # weighted Laguerre polynomials exp(-x/2) L_n(x), n = 0 .. degree - 1 (Longstaff and Schwartz 2001, eq. 2)
            weight = np.exp(-xj / 2.0)
            previous, current = np.ones_like(xj), 1.0 - xj
            columns.append(weight * previous)
            for n in range(1, degree):
                columns.append(weight * current)
                previous, current = current, ((2 * n + 1 - xj) * current - n * previous) / (n + 1)
        else:
            power = np.ones_like(xj)
            for _ in range(degree):
                power = power * xj
                columns.append(power)
    for i in range(x.shape[1]):
        for j in range(i + 1, x.shape[1]):
            columns.append(x[:, i] * x[:, j])
    return np.column_stack(columns)


def exercise_boundary(state: ArrayLike, exercise: ArrayLike) -> float:
    """The threshold that best separates exercised from held paths, as a midpoint between neighbouring states; nan if none.

    If the rule exercises at low states (on average), the boundary is the threshold below which
    paths are exercised and above which they are held that misclassifies the fewest paths (a
    decision stump; the first such threshold on ties); if at high states, the same the other way
    round. Stray decisions on either side (a cubic fitted where few paths go) move it only if they
    outnumber the paths they are among. When the rule separates the paths cleanly it is the
    midpoint between the last exercised state and the first held one.

    Parameters
    ----------
    state : array_like of shape (n,)
        One factor of the state on each path at one month [state unit].
    exercise : array_like of bool, shape (n,)
        Whether the rule exercises on each path then.

    Returns
    -------
    float
        The boundary [state unit]; nan when every path or none exercises, or all states are equal.

    Examples
    --------
    >>> exercise_boundary([1.0, 2.0, 3.0, 4.0], [True, True, False, False])  # a put-like rule: exercise below 2.5
    2.5
    >>> exercise_boundary([1, 2, 3, 4, 5, 6, 7, 8], [True, True, True, False, False, False, True, False])  # a stray at 7
    3.5
    >>> exercise_boundary([1.0, 2.0], [True, True])
    nan
    """
    state = np.asarray(state, dtype=float)
    exercise = np.asarray(exercise, dtype=bool)
    if exercise.all() or not exercise.any():
        return float("nan")
    below = np.mean(state[exercise]) < np.mean(state[~exercise])
    order = np.argsort(state)
    ordered, chosen = state[order], exercise[order]
    # misclassified paths if the boundary falls between positions k - 1 and k (k = 1 .. n - 1)
    exercised_left = np.cumsum(chosen)[:-1]
    held_left = np.arange(1, chosen.size) - exercised_left
    # below: exercise on the left and hold on the right; otherwise the other way round
    errors = held_left + (chosen.sum() - exercised_left) if below else exercised_left + ((~chosen).sum() - held_left)
    errors = np.where(ordered[1:] > ordered[:-1], errors, np.iinfo(np.int64).max)  # only between distinct states
    if np.all(errors == np.iinfo(np.int64).max):
        return float("nan")
    k = int(np.argmin(errors)) + 1
    return float((ordered[k - 1] + ordered[k]) / 2.0)


def lsm_american(
    paths: ArrayLike,
    payoff: Payoff,
    continuous_rate_annual: float,
    exercise_months: Sequence[int] | None = None,
    basis: Basis = "laguerre",
    degree: int = 3,
    *,
    valuation_paths: ArrayLike | None = None,
) -> LSMResult:
    """Value of the right to exercise at any of ``exercise_months``, by least-squares Monte Carlo (Longstaff-Schwartz 2001).

    Backward induction over the exercise months: at the last, exercise where the payoff is
    positive; at each earlier one, regress the realized cash flow of each in-the-money path
    (payoff > 0), discounted to that month, on basis functions of the state, and exercise where
    the payoff exceeds the fitted continuation value. Out-of-the-money paths are left out of the
    regression, as in the paper: only where exercise is possible does the rule matter. At month 0,
    if allowed and the state is the same on every path (the usual case), the continuation value is
    the mean of the discounted cash flows and the option is exercised at once on every path if the
    payoff exceeds it. With monthly exercise this is a Bermudan option, worth slightly less than
    the American one exercisable at any instant.

    Parameters
    ----------
    paths : array_like of shape (n_paths, months + 1) or (n_paths, months + 1, k)
        Simulated states, month 0 first [state unit], n_paths >= 2; risk-neutral for pricing.
    payoff : callable
        ``payoff(state, month)`` -> exercise value on each path [money]; ``state`` is
        ``paths[:, month]``, ``(n_paths,)`` for one factor, else ``(n_paths, k)``.
    continuous_rate_annual : float
        Continuously compounded discount rate [1/year].
    exercise_months : sequence of int, optional
        Strictly increasing months at which exercise is allowed [month], in [0, months]; the last
        is the expiry. Default: every month, 0 included.
    basis : {"laguerre", "polynomial"} or callable, default "laguerre"
        ``"laguerre"``: a constant and the weighted Laguerre polynomials ``exp(-x/2) L_n(x)``,
        ``n < degree``, of each factor scaled by its mean absolute in-the-money value (the paper's
        choice, scaled so the weight does not vanish). ``"polynomial"``: a constant and powers 1 ..
        ``degree`` of each standardized factor. Both add the product of each pair of factors when
        ``k > 1``, and the exercise value itself as a regressor (Glasserman 2003, §8.6, suggests
        including the payoff): the weighted Laguerre functions all vanish at high states, so
        without it a call-type option (the option to defer an investment) is badly undervalued
        (26.5 instead of 33.4 in ``benchmarks/options_bench.py``). A callable returns the whole
        design matrix for a state (include a constant; the payoff is not added).
    degree : int, default 3
        Number of Laguerre polynomials, or the highest power [1], >= 1.
    valuation_paths : array_like, optional
        Paths independent of ``paths`` (same months and factors) on which to value the rule fitted
        on ``paths``: a low-biased estimate. Default: value on ``paths`` themselves.

    Returns
    -------
    LSMResult
        ``value``, ``std_error``, ``exercise_month`` per valuation path, the exercise ``boundary``
        for one factor, the months and regression coefficients.

    Examples
    --------
    The option to invest 100 in a project worth 100 e^{0.02 t} at month t (no uncertainty),
    discounted at 5 %/year: exercise waits for the month where (100 e^{0.02 t} - 100) e^{-0.05 t}
    peaks, t = ln(5/3) / 0.02 years, the static optimum:

    >>> from econ.paths import gbm_paths
    >>> p = gbm_paths(100.0, 0.02, 0.0, months=360, n_paths=2, seed=0)
    >>> r = lsm_american(p, lambda s, t: s - 100.0, 0.05)
    >>> static = (p[0, :, 0] - 100.0) * np.exp(-0.05 * np.arange(361) / 12)
    >>> int(r.exercise_month[0]), int(np.argmax(static)), round(12 * float(np.log(5 / 3)) / 0.02, 1)
    (306, 306, 306.5)
    >>> bool(abs(r.value - static.max()) < 1e-12), r.std_error
    (True, 0.0)
    """
    arr = _as_paths(paths)
    n, last, k = arr.shape[0], arr.shape[1] - 1, arr.shape[2]
    months = _months(exercise_months, last)
    rate = _rate(continuous_rate_annual)
    degree = _checked_basis(basis, degree)
    values = arr if valuation_paths is None else _as_paths(valuation_paths, "valuation_paths")
    if values.shape[1:] != arr.shape[1:]:
        raise ValueError(
            f"valuation_paths: must have the months and factors of paths, shape (n, {last + 1}, {k}) [state unit]; got shape {values.shape}"
        )

    # Backward induction on the regression paths: each path's cash flow, as a present value at month 0, and its month (-1: none).
    final = months[-1]
    by_month = _by_month(arr)
    exercise_value = _payoff(payoff, _month_state(by_month, final), final, n)
    tau = np.where(exercise_value > 0, final, -1)
    present = np.maximum(exercise_value, 0.0) * _discount(rate, final)
    rules: list[_Rule | None] = [None] * len(months)
    now = False
    boundary = np.full(last + 1, np.nan) if k == 1 else None
    if boundary is not None:
        boundary[final] = exercise_boundary(_month_state(by_month, final), exercise_value > 0)
    for index in range(len(months) - 2, -1, -1):
        m = months[index]
        state = _month_state(by_month, m)
        exercise_value = _payoff(payoff, state, m, n)
        realized = present / _discount(rate, m)  # the cash flow that follows, discounted to month m
        if m == 0 and np.all(arr[:, 0, :] == arr[0, 0, :]):
            now = bool(exercise_value[0] > np.mean(realized))
            if boundary is not None and now:
                boundary[0] = float(state[0])
            break
        itm = exercise_value > 0
        if not itm.any():
            continue
        rule, fitted = _fit(state[itm], exercise_value[itm], realized[itm], basis, degree)
        rules[index] = rule
        exercise = np.zeros(n, dtype=bool)
        exercise[itm] = exercise_value[itm] > fitted
        present = np.where(exercise, exercise_value * _discount(rate, m), present)
        tau = np.where(exercise, m, tau)
        if boundary is not None:
            boundary[m] = exercise_boundary(state, exercise)

    if valuation_paths is not None:
        present, tau = _apply_rules(values, payoff, rate, months, rules, basis, degree, now)
    elif now:
        present = np.full(n, _payoff(payoff, _month_state(by_month, 0), 0, n)[0])
        tau = np.zeros(n, dtype=np.int64)
    estimate = _estimate(present)
    return LSMResult(
        value=estimate.value,
        std_error=0.0 if now else estimate.std_error,
        exercise_month=np.asarray(tau, dtype=np.int64),
        boundary=boundary,
        exercise_months=months,
        coefficients=tuple(None if rule is None else rule.beta for rule in rules[:-1]),
    )


@dataclass(frozen=True)
class _Rule:
    """A fitted continuation value at one exercise month: scaling of the state and coefficients, or a constant."""

    loc: FloatArray
    scale: FloatArray
    payoff_scale: float
    beta: FloatArray | None
    constant: float

    def continuation(self, state: FloatArray, exercise_value: FloatArray, basis: Basis, degree: int) -> FloatArray:
        if self.beta is None:
            return np.full(state.shape[0], self.constant)
        fitted: FloatArray = (
            _with_payoff(_design(state, basis, degree, self.loc, self.scale), basis, exercise_value, self.payoff_scale) @ self.beta
        )
        return fitted


def _with_payoff(design: FloatArray, basis: Basis, exercise_value: FloatArray, payoff_scale: float) -> FloatArray:
    """A named basis gets the exercise value itself as one more regressor (scaled to order one); a callable basis does not."""
    if callable(basis):
        return design
    return np.column_stack([design, exercise_value / payoff_scale])


def _least_squares(design: FloatArray, state: FloatArray, y: FloatArray) -> FloatArray | None:
    """Coefficients of ``y`` on ``design``, or None where a regression means nothing (then the fit is the mean of ``y``).

    That is with too few paths for the regressors (at most two per coefficient) or one state only.
    """
    if design.shape[0] <= 2 * design.shape[1] or np.all(state == state[0]):
        return None
    return np.asarray(np.linalg.lstsq(design, y, rcond=None)[0], dtype=np.float64)


def _fit(state: FloatArray, exercise_value: FloatArray, y: FloatArray, basis: Basis, degree: int) -> tuple[_Rule, FloatArray]:
    """Least-squares fit of the realized continuation values ``y`` on the basis of the in-the-money ``state``: rule and fitted values."""
    loc, scale = _scaled(state, "" if callable(basis) else basis)
    payoff_scale = float(np.mean(exercise_value))  # > 0: in the money only
    design = _with_payoff(_design(state, basis, degree, loc, scale), basis, exercise_value, payoff_scale)
    beta = _least_squares(design, state, y)
    if beta is None:  # too few in-the-money paths, or one state only: the continuation value is their mean
        constant = float(np.mean(y))
        return _Rule(loc, scale, payoff_scale, None, constant), np.full(state.shape[0], constant)
    fitted: FloatArray = design @ beta
    return _Rule(loc, scale, payoff_scale, beta, float("nan")), fitted


def _apply_rules(
    paths: FloatArray,
    payoff: Payoff,
    rate: float,
    months: tuple[int, ...],
    rules: list[_Rule | None],
    basis: Basis,
    degree: int,
    now: bool,
) -> tuple[FloatArray, NDArray[np.int64]]:
    """Apply fitted exercise rules forward on independent paths: present value at month 0 and month of the first exercise."""
    n = paths.shape[0]
    by_month = _by_month(paths)
    present = np.zeros(n)
    tau = np.full(n, -1, dtype=np.int64)
    for index, m in enumerate(months):
        open_ = tau < 0
        if not open_.any():
            break
        state = _month_state(by_month, m)
        exercise_value = _payoff(payoff, state, m, n)
        itm = open_ & (exercise_value > 0)
        rule = rules[index]
        if index == len(months) - 1:
            exercise = itm
        elif m == 0 and rule is None:
            exercise = itm if now else np.zeros(n, dtype=bool)
        elif rule is None:
            continue
        else:
            exercise = np.zeros(n, dtype=bool)
            exercise[itm] = exercise_value[itm] > rule.continuation(state[itm], exercise_value[itm], basis, degree)
        present = np.where(exercise, exercise_value * _discount(rate, m), present)
        tau = np.where(exercise, m, tau)
    return present, tau


@dataclass(frozen=True)
class _Fit:
    """A least-squares fit of a value on the basis of the state at one month, or a constant (too few paths, one state)."""

    loc: FloatArray
    scale: FloatArray
    beta: FloatArray | None
    constant: float

    def predict(self, state: FloatArray, basis: Basis, degree: int) -> FloatArray:
        if self.beta is None:
            return np.full(state.shape[0], self.constant)
        fitted: FloatArray = _design(state, basis, degree, self.loc, self.scale) @ self.beta
        return fitted


def _regress(state: FloatArray, y: FloatArray, basis: Basis, degree: int) -> _Fit:
    """Least-squares fit of ``y`` on the basis of ``state`` over all paths."""
    loc, scale = _scaled(state, "" if callable(basis) else basis)
    beta = _least_squares(_design(state, basis, degree, loc, scale), state, y)
    return _Fit(loc, scale, beta, float(np.mean(y)) if beta is None else float("nan"))


def _realized_rules(
    by_month: FloatArray, payoffs: FloatArray, months: tuple[int, ...], basis: Basis, degree: int
) -> list[tuple[_Fit, _Fit | None]]:
    """Backward induction on one set of paths: at each exercise month, the fits of the exercise and continuation values."""
    n = payoffs.shape[0]
    present = np.zeros(n)
    rules: list[tuple[_Fit, _Fit | None]] = [None] * len(months)  # type: ignore[list-item]
    for index in range(len(months) - 1, -1, -1):
        state = _month_state(by_month, months[index])
        expected = _regress(state, payoffs[:, index], basis, degree)
        continuation = _regress(state, present, basis, degree) if index < len(months) - 1 else None
        rules[index] = (expected, continuation)
        exercise = _exercises(state, expected, continuation, basis, degree)
        present = np.where(exercise, payoffs[:, index], present)
    return rules


def _exercises(state: FloatArray, expected: _Fit, continuation: _Fit | None, basis: Basis, degree: int) -> NDArray[np.bool_]:
    """Where the fitted exercise value is positive and above the fitted continuation value."""
    value = expected.predict(state, basis, degree)
    hold = continuation.predict(state, basis, degree) if continuation is not None else np.zeros(state.shape[0])
    out: NDArray[np.bool_] = (value > 0) & (value > hold)
    return out


def _apply_realized(
    by_month: FloatArray, payoffs: FloatArray, months: tuple[int, ...], rules: list[tuple[_Fit, _Fit | None]], basis: Basis, degree: int
) -> tuple[FloatArray, NDArray[np.int64]]:
    """Apply the rules forward: each path's realized payoff at its first exercise month (0 if none), and that month (-1)."""
    n = payoffs.shape[0]
    present = np.zeros(n)
    tau = np.full(n, -1, dtype=np.int64)
    for index, m in enumerate(months):
        open_ = tau < 0
        if not open_.any():
            break
        expected, continuation = rules[index]
        exercise = open_ & _exercises(_month_state(by_month, m), expected, continuation, basis, degree)
        present = np.where(exercise, payoffs[:, index], present)
        tau = np.where(exercise, m, tau)
    return present, tau


def lsm_realized(
    paths: ArrayLike,
    payoffs: ArrayLike,
    exercise_months: Sequence[int],
    basis: Basis = "polynomial",
    degree: int = 3,
    *,
    cross_fit: bool = False,
) -> LSMResult:
    """Least-squares Monte Carlo for an option whose exercise value on a path is a realized present value, not a function of the state.

    A real option on a project (start a site, stop it) pays, if exercised at month t, the present
    value of the project's cash flows along the rest of the path: known only in expectation at t.
    Deciding on the realized value would use foresight. So at each exercise month, backwards, both
    the exercise value and the continuation value (the realized cash flow of the rule from later
    months) are regressed on the state, and the rule exercises where the fitted exercise value is
    positive and exceeds the fitted continuation value; the cash flow credited is the realized one
    (Gamba 2003, §3; Cortazar, Gravet and Urzua 2008; Glasserman 2003, §8.6, on regressing both).
    All paths enter the regressions, since whether a path is in the money is not known at t.

    Parameters
    ----------
    paths : array_like of shape (n_paths, months + 1) or (n_paths, months + 1, k)
        States revealed month by month [state unit], n_paths >= 2.
    payoffs : array_like of shape (n_paths, E)
        Realized exercise value on each path at each exercise month, as a present value at month 0
        [money] (so no discounting is applied here).
    exercise_months : sequence of int
        Strictly increasing months of the E exercise dates [month], in [0, months].
    basis : {"polynomial", "laguerre"} or callable, default "polynomial"
        As in :func:`lsm_american`, without the payoff column (the exercise value is fitted, not known).
    degree : int, default 3
        Highest power or number of Laguerre polynomials [1], >= 1.
    cross_fit : bool, default False
        Fit the rule on one half of the paths and value it on the other, both ways round
        (two-fold cross-fitting). Valuing a rule on the paths it was fitted on adds a high bias
        of a few standard errors (the fit has seen their noise: Glasserman 2003, §8.6); valued
        out of sample, the rule is at best optimal, so the estimate is biased low instead.

    Returns
    -------
    LSMResult
        ``value`` (mean realized present value of the rule), ``std_error``, ``exercise_month`` (-1:
        never), ``boundary`` None, the months and the continuation coefficients (of the last fit).

    Raises
    ------
    ValueError
        Naming the parameter, its unit, the value and what is allowed.

    References
    ----------
    Gamba, A. (2003), "Real options valuation: a Monte Carlo approach", Faculty of Management,
    University of Calgary, WP 2002/3 (presented at the 2003 EFA meeting).
    Cortazar, G., M. Gravet and J. Urzua (2008), "The valuation of multidimensional American real
    options using the LSM simulation method", *Computers & Operations Research* 35(1):113-129.

    Examples
    --------
    Sixteen paths, half of which pay 1 and half lose 1, told apart by the state at month 1: the
    rule waits (exercising at month 0 is worth 0 on average) and exercises on the paths that pay.

    >>> paths = np.array([[1.0, 2.0], [1.0, 0.5]] * 8)
    >>> payoffs = np.array([[1.0, 1.0], [-1.0, -1.0]] * 8)
    >>> r = lsm_realized(paths, payoffs, [0, 1])
    >>> r.exercise_month.tolist()[:4], r.value
    ([1, -1, 1, -1], 0.5)
    """
    arr = _as_paths(paths)
    n, last = arr.shape[0], arr.shape[1] - 1
    months = _months(list(exercise_months), last)
    value = np.asarray(payoffs, dtype=float)
    if value.shape != (n, len(months)) or not np.all(np.isfinite(value)):
        raise ValueError(
            f"payoffs: must be finite, one per path and exercise month, shape ({n}, {len(months)}) [money]; "
            f"got shape {value.shape}" + ("" if value.shape != (n, len(months)) else " with non-finite values")
        )
    degree = _checked_basis(basis, degree)
    if not isinstance(cross_fit, bool):
        raise ValueError(f"cross_fit: must be a bool; got {cross_fit!r}")
    by_month = _by_month(arr)
    if not cross_fit:
        rules = _realized_rules(by_month, value, months, basis, degree)
        present, tau = _apply_realized(by_month, value, months, rules, basis, degree)
    else:
        if n < 4:
            raise ValueError(f"paths: cross_fit needs at least 4 paths; got {n}")
        present, tau = np.zeros(n), np.full(n, -1, dtype=np.int64)
        halves = (np.arange(n) < n // 2, np.arange(n) >= n // 2)
        for fit, use in (halves, halves[::-1]):
            rules = _realized_rules(by_month[:, fit], value[fit], months, basis, degree)
            present[use], tau[use] = _apply_realized(by_month[:, use], value[use], months, rules, basis, degree)
    coefficients = tuple(None if c is None else c.beta for _, c in rules[:-1])
    estimate = _estimate(present)
    return LSMResult(estimate.value, estimate.std_error, tau, None, months, coefficients)
