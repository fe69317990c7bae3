"""Internal rate of return: vectorized, proven over the whole axis, NaN where undefined.

The IRR of flows ``w_k`` at times ``t_k`` is a rate r > -1 with
``NPV(r) = sum_k w_k exp(-x t_k) = 0``, ``x = ln(1 + r)``. As a function of x in
(-inf, +inf), which is all of r in (-1, +inf), the NPV is an exponential sum. Every solver
here works in x.

*Conventional rows* (one change of sign) have exactly one root on the whole axis by Laguerre's
extension of Descartes' rule of signs to real exponents [3]_. The solver finds it by a Halley
iteration (Newton's with a second-derivative correction) [6]_ on
``f(x) = ln P(x) - ln N(x)``, the log ratio of the present values of inflows and outflows [1]_,
kept inside a bisection bracket [2]_; f is strictly decreasing, so a Halley step from r = 0
starts it and three evaluations usually suffice. This is the fast path for batches.

*Other rows* are first scanned on a grid of rates with one matrix product. Two sign changes
of the NPV on the grid, each decisive against rounding, prove several roots. One sign change
brackets a root, which the Halley iteration refines; it is proven to be the only root on the
whole axis by counting the sign changes of the twice-integrated partial sums of the flows
discounted just below and just above it, which bound the number of roots above and below
[4]_ [5]_. A row without a grid sign change is proven rootless the same way when the bounds at
r = 0 allow. Rows the grid cannot settle go to the *whole-axis isolation*:

1. Cauchy-type bounds: beyond ``X_hi`` the first flow outweighs all the others together, and
   below ``X_lo`` the last one does, so every root lies in ``[X_lo, X_hi]``.
2. That interval is bisected. A piece is dropped when an enclosure of the NPV excludes zero:
   each term ``w_k exp(-x (t_k - tau))`` is monotone in x, so its range on the piece is
   spanned by its values at the ends; independently, a second- or third-order Taylor form
   around the midpoint with a bound on the remainder excludes it [7]_. A piece on which such
   an enclosure of the derivative excludes zero holds at most one root, exactly one if the NPV
   changes sign across it. ``tau``, a time shift that multiplies the NPV by the positive factor
   ``exp(x tau)``, is the mean discounted time, which makes the enclosures tight. Every sum
   carries an allowance for its rounding, and a sign counts only beyond it; pieces where the
   NPV is within rounding of zero, or narrower than float64 resolves, stay *unresolved*.
3. Each bracketed root is refined by Newton's method in x safeguarded by bisection [2]_, on
   the log ratio f, computed by log-sum-exp so that it never overflows at any x.

The count is then exact: roots = bracketed roots + roots in the unresolved clusters. A
cluster across which the NPV changes sign holds an odd number of roots, one where it does not
and whose NPV residual is below the tolerance is a double (touching) root; both make the
count ambiguous in float64 unless another root already makes it several. The isolation stops
after a fixed amount of work (about a second for 10,000 periods); a row it could not finish
gets NaN with status ``UNVERIFIED`` unless two roots already prove several. Rows whose flows
span more than 290 orders of magnitude are isolated exactly, on ``ln |w|`` (scaled to the
largest flow, the smallest would lose precision), unless they are conventional with a root
close enough to r = 0 that discounting cannot make those flows matter.

Every returned rate is the float64 rate ``expm1(x)`` of its root, never -1 or infinite, and
its NPV residual ``|P - N| / (P + N)``, bounded at that float64 rate, is at most ``1e-9``.

References
----------
.. [1] Newton's method in ``ln(1 + r)`` on log present values: the IRR is the rate at which
   the present value of inflows equals that of outflows; Hazen, G. B. (2003), "A new
   perspective on multiple internal rates of return", *The Engineering Economist* 48(1).
.. [2] Press, Teukolsky, Vetterling & Flannery, *Numerical Recipes*, 3rd ed. (2007),
   sec. 9.4, ``rtsafe``: Newton-Raphson safeguarded by bisection.
.. [3] Descartes' rule of signs; for real exponents, Laguerre (1883), as stated in
   Pólya & Szegő, *Problems and Theorems in Analysis II* (1976), Part V, problems 77-80:
   ``sum_k w_k exp(-x t_k)`` has at most as many real zeros in x (counted with
   multiplicity) as the sequence ``w_k`` ordered by ``t_k`` has sign changes.
.. [4] Norström, C. J. (1972), "A sufficient condition for a unique nonnegative internal
   rate of return", *Journal of Financial and Quantitative Analysis* 7(3), 1835-1839.
.. [5] Pólya & Szegő (1976), Part V, problem 38 (sign changes of partial sums bound the
   zeros in (0, 1)); for dated flows the same bound follows from the variation-diminishing
   property of the Laplace transform, Karlin, *Total Positivity* (1968), ch. 5.
.. [6] Gander, W. (1985), "On Halley's iteration method", *The American Mathematical
   Monthly* 92(2), 131-134.
.. [7] Moore, R. E., Kearfott, R. B. & Cloud, M. J. (2009), *Introduction to Interval
   Analysis*, SIAM, ch. 6 and 8: interval extensions, the mean-value (Taylor) form, and
   exclusion and uniqueness tests for root isolation by bisection.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from typing import Any, NamedTuple

import numpy as np

from econ.finance._arrays import Flows, NanPolicy, as_flows, as_rates, check_flag, describe_rows, nonfinite_rows
from econ.finance._dates import year_fractions
from econ.finance.errors import RootStatus, UndefinedResultError

_RESIDUAL_TOL = 1e-9  # accepted |P - N| / (P + N) at the returned rate
_X_TOL = 1e-14  # Newton step small enough to stop [ln(1 + r)]
_F_TOL = 1e-14  # |ln P - ln N| small enough to stop
_MAX_ITER = 200
_GRID_X = (np.log(0.1), np.log(10.0))  # grid scan of non-conventional rows: r in (-90 %, +900 %) per period
_GRID_POINTS = 97
_MAX_EXPONENT = 600.0  # keep exp() finite: |x| * time span <= this on the grid, else discount factors are shifted
_CHUNK_ROWS = 1024  # rows per task: larger chunks spill the caches, smaller ones pay more Python overhead
_CERTIFY_STEP = 1e-6  # half-width of the interval around a root in which uniqueness is proven [ln(1 + r)]
_MIN_RANGE = 1e-290  # a flow below this fraction of its row's largest is near float64's subnormal range once scaled
_FAR = 400.0  # |x| * span beyond which discounting may amplify such a flow to matter (exp(400) = 5e173)
_DECISIVE = 1e-12  # a computed NPV's sign counts only if |NPV| exceeds this fraction of the gross flows
_EPS = float(np.finfo(np.float64).eps)
_SLACK = 8.0 * _EPS  # rounding allowance per term in the enclosures of the isolation
_SPLIT = 0.5 - 2.0**-9  # where a piece is split: off centre, so that round rates such as 0 % are not split points
_RESOLUTION = 1e-12  # pieces narrower than this, relative to |x * span| (at least 1), are not split [-]
_ZERO_SPREAD = 1e-3  # a piece this narrow (relative) whose ends and midpoint are all within rounding of a root is not split
_WORK_LIMIT = 1e7  # isolation gives up after (pieces evaluated) x (terms + 150) exceeds this (under a second)
_BATCH_CELLS = 200_000  # pieces x terms evaluated in one array operation (bounds memory)
_RATE_STATUSES = (RootStatus.OK, RootStatus.NEAREST_TO_GUESS)


class IRRResult(NamedTuple):
    """Rates and the reason for each, returned with ``full_output=True``.

    Attributes
    ----------
    rate : float, ndarray or Series
        The IRR [fraction per period, or per year for ``xirr``]; NaN where undefined.
    status : int, ndarray or Series
        A :class:`~econ.finance.RootStatus` code per row.

    Examples
    --------
    >>> from econ.finance import irr
    >>> result = irr([-100, 110, 0], full_output=True)
    >>> round(result.rate, 12), int(result.status)
    (0.1, 0)
    """

    rate: Any
    status: Any


def _first_last(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per row: whether any element is True, the first and the last True column."""
    n_cols = mask.shape[1]
    first: np.ndarray = mask.argmax(axis=1)
    last: np.ndarray = n_cols - 1 - mask[:, ::-1].argmax(axis=1)
    return np.asarray(mask.any(axis=1)), first, last


def _sign_changes(a: np.ndarray) -> np.ndarray:
    """Number of sign changes along each row, zeros skipped (Descartes' count)."""
    s = np.sign(a)
    changes = np.count_nonzero(s[:, 1:] * s[:, :-1] < 0, axis=1)
    with_zeros = np.flatnonzero((s == 0).any(axis=1))
    for i in with_zeros:  # rare: exact zeros must be skipped, not counted as a sign
        nonzero = s[i][s[i] != 0]
        changes[i] = np.count_nonzero(nonzero[1:] != nonzero[:-1])
    result: np.ndarray = changes
    return result


def _times_of(t: np.ndarray, rows: np.ndarray | slice) -> np.ndarray:
    """Select the times belonging to a subset of rows (times may be shared (T,) or per row)."""
    return t if t.ndim == 1 else t[rows]


def _times_at(t: np.ndarray, i: np.ndarray) -> np.ndarray:
    """The time of column ``i[k]`` of row k (times may be shared (T,) or per row)."""
    return t[i] if t.ndim == 1 else np.take_along_axis(t, i[:, None], axis=1)[:, 0]


class _Split(NamedTuple):
    """Scaled inflows and outflows (both >= 0) of rows, with their times.

    Attributes
    ----------
    flows : ndarray, shape (2, M, T)
        Inflows and outflows [fraction of the row's largest absolute flow].
    t : ndarray, shape (T,) or (M, T)
        Times, ascending from 0 [periods, or years for dated flows].
    powers : ndarray, shape (3, T) or (M, 3, T)
        ``t ** [0, 1, 2]``.
    ends : ndarray, shape (M, 2)
        Time of each row's first and last nonzero flow.
    """

    flows: np.ndarray
    t: np.ndarray
    powers: np.ndarray
    ends: np.ndarray


def _split(rows: np.ndarray, t: np.ndarray, factor: np.ndarray, ends: np.ndarray, out: np.ndarray) -> _Split:
    """Inflows and outflows of ``rows * factor`` per row, written to ``out`` (2, M, T)."""
    w = np.multiply(rows, factor[:, None], out=out[1])
    np.maximum(w, 0.0, out=out[0])
    np.subtract(out[0], w, out=out[1])
    return _Split(out, t, np.stack([np.ones_like(t), t, t * t], axis=-2), ends)


def _moments(s: _Split, discounted: np.ndarray) -> np.ndarray:
    """Sums of the (discounted) inflows and outflows times ``t ** k``: shape (2, M, 3)."""
    result: np.ndarray = np.vecdot(discounted[..., None, :], s.powers)
    return result


def _discount(s: _Split, x: np.ndarray, out: np.ndarray) -> np.ndarray:
    """Discount factors ``exp(-x (t - shift))`` per row, written to ``out`` (M, T).

    The shift is 0 where ``|x| t <= _MAX_EXPONENT`` throughout the row. Beyond, it is the
    time of the first (x > 0) or last (x < 0) nonzero flow, so that the largest factor on a
    flow is 1 and nothing overflows, and exponents are capped where only zero flows stand.
    Either way the factors are exact up to a positive factor per row, which cancels in
    :func:`_log_ratio_terms`; each row's result does not depend on the other rows.
    """
    np.multiply(-x[:, None], s.t, out=out)
    np.exp(out, out=out)  # overflow only in the rows redone below
    far = np.flatnonzero(np.abs(x) * s.t[..., -1] > _MAX_EXPONENT)
    if far.size:
        shift = np.where(x[far] > 0, s.ends[far, 0], s.ends[far, 1])
        arg = x[far, None] * (shift[:, None] - _times_of(s.t, far))
        out[far] = np.exp(np.minimum(arg, _MAX_EXPONENT))
    return out


def _log_ratio_terms(m: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The objective f = ln P - ln N, its first two derivatives in x and the residual |P - N| / (P + N).

    ``m[0, :, k]`` and ``m[1, :, k]`` are the sums of the discounted inflows and outflows
    times ``t ** k``. ``d ln P / dx`` is minus the mean time of the discounted inflows and
    ``d2 ln P / dx2`` its variance (the cumulants of the discount-weighted times).
    """
    mean = m[..., 1] / m[..., 0]
    var = m[..., 2] / m[..., 0] - mean**2
    p, n = m[0, :, 0], m[1, :, 0]
    f = np.log(p) - np.log(n)
    resid = np.abs(p - n) / (p + n)
    return f, mean[1] - mean[0], var[0] - var[1], resid


def _log_ratio(s: _Split, x: np.ndarray, work: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """:func:`_log_ratio_terms` at x = ln(1 + r) per row; ``work`` is a (3, M, T) array.

    The sums are row-by-row dot products (``vecdot``), so that a row's result is the same
    whatever rows it is solved with (a matrix product would not guarantee that).
    """
    disc = _discount(s, x, work[0])
    return _log_ratio_terms(_moments(s, np.multiply(s.flows, disc, out=work[1:])))


def _halley_step(f: np.ndarray, fp: np.ndarray, fpp: np.ndarray) -> np.ndarray:
    """Halley's correction ``f / f' / (1 - f f'' / (2 f'^2))``, its factor kept in [0.5, 2].

    Converges cubically near a simple root [1]_ and is never more than twice, nor less than
    half, the Newton step ``f / f'``.

    References
    ----------
    .. [1] Gander, W. (1985), "On Halley's iteration method", *The American Mathematical
       Monthly* 92(2), 131-134.
    """
    newton = f / fp
    result: np.ndarray = newton / np.clip(1.0 - 0.5 * newton * fpp / fp, 0.5, 2.0)
    return result


def _newton_bracketed(
    s: _Split, x: np.ndarray, lo: np.ndarray, hi: np.ndarray, sign_lo: np.ndarray, work: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Safeguarded Halley iteration on f(x) = ln P - ln N for every row at once (``rtsafe``).

    ``lo``/``hi`` bound the root (either may be infinite) and ``sign_lo`` is the sign of f
    just above ``lo``. A step that leaves the bracket is replaced by bisection, or by a
    growing step towards an infinite side. A row stops at the point where its step becomes
    negligible, so the returned residual is the one evaluated at the returned root. ``work``
    is a (3, M, T) scratch array.
    """
    x, lo, hi = x.copy(), lo.copy(), hi.copy()
    done = np.zeros(x.shape, dtype=bool)
    for _ in range(_MAX_ITER):
        f, fp, fpp, resid = _log_ratio(s, x, work)
        beyond = np.sign(f) == sign_lo
        lo = np.where(beyond & ~done, x, lo)
        hi = np.where(~beyond & ~done, x, hi)
        step = _halley_step(f, fp, fpp)
        trial = x - step
        inside = (trial >= lo) & (trial <= hi)
        mid = 0.5 * (lo + hi)
        grow_up = lo + np.maximum(1.0, np.abs(lo))
        grow_down = hi - np.maximum(1.0, np.abs(hi))
        tol = _X_TOL * np.maximum(1.0, np.abs(x))
        done |= (np.abs(f) <= _F_TOL) | (np.abs(step) <= tol) | (hi - lo <= tol)
        if done.all():
            break
        fallback = np.where(np.isfinite(mid), mid, np.where(np.isfinite(lo), grow_up, grow_down))
        fallback = np.where(np.isfinite(fallback), fallback, 0.0)
        x = np.where(done, x, np.where(inside, trial, fallback))
    else:
        resid = _log_ratio(s, x, work)[3]
    return x, resid


def _solve_conventional(
    rows: np.ndarray, t: np.ndarray, out_first: np.ndarray, ends: np.ndarray, scale: np.ndarray, scratch: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Roots in x of rows with one sign change; flows are flipped to outflows-first.

    f is then decreasing, so its sign at r = 0 (where nothing needs discounting) gives one
    end of the bracket, and a Halley step from there the start. ``scale`` is each row's
    largest absolute flow; ``scratch`` is a (5, M, T) work array.
    """
    s = _split(rows, t, np.where(out_first, 1.0, -1.0) / scale, ends, scratch[:2])
    f, fp, fpp, _ = _log_ratio_terms(_moments(s, s.flows))
    x0 = -_halley_step(f, fp, fpp)
    lo = np.where(f > 0, 0.0, -np.inf)
    hi = np.where(f > 0, np.inf, 0.0)
    return _newton_bracketed(s, x0, lo, hi, np.ones(x0.shape), scratch[2:])


def _grid(t: np.ndarray) -> np.ndarray:
    """Grid of x = ln(1 + r) for scanning non-conventional rows, kept overflow-free."""
    span = float(np.max(t) - np.min(t)) or 1.0
    limit = _MAX_EXPONENT / span
    return np.linspace(max(_GRID_X[0], -limit), min(_GRID_X[1], limit), _GRID_POINTS)


def _npv_on_grid(rows: np.ndarray, t: np.ndarray, xs: np.ndarray) -> np.ndarray:
    """NPV (up to a positive factor per grid point) of each row at each x: shape (M, G)."""
    center = 0.5 * (np.max(t) + np.min(t))
    if t.ndim == 1:
        result: np.ndarray = rows @ np.exp(-np.multiply.outer(t - center, xs))
        return result
    return np.stack([np.einsum("ij,ij->i", rows, np.exp(-x * (t - center))) for x in xs], axis=1)


def _roots_beyond_bound(w: np.ndarray, t: np.ndarray, gross: np.ndarray) -> np.ndarray:
    """Upper bound on the roots s > 0 of ``sum_k w_k exp(-s t_k)`` (times ascending from t_0).

    Writing the sum as ``s**2 * integral(S2(u) exp(-s u) du)`` with S the step function of the
    partial sums of w and S2 its integral, the number of positive roots is at most the number
    of sign changes of S2, which is piecewise linear: its values at the times, then its
    limiting sign ``sign(S(t_last))`` (Pólya & Szegő, Part V, problems 38 and 80; Karlin 1968).
    Integrating twice rather than once (Norström's test) gives a bound that is never larger
    and is tight for the usual investment-then-refresh flows. ``gross`` is ``sum |w|``: the
    rounding error of a partial sum is below ``n eps gross`` and that of S2 below
    ``2 n eps gross span``; where a value (after the first nonzero flow) or the limiting sign
    is within twice that of zero, its sign is unknown and the bound returned is the number of
    columns, which no test accepts.
    """
    n_cols = w.shape[1]
    times = np.broadcast_to(t, w.shape)
    partial = np.cumsum(w, axis=1)
    integral = np.cumsum(partial[:, :-1] * np.diff(times, axis=1), axis=1)
    tail = np.where(partial[:, -1] != 0, np.sign(partial[:, -1]), integral[:, -1] if integral.shape[1] else 0.0)
    noise = 4.0 * n_cols * _EPS * gross
    bound = noise * (times[:, -1] - times[:, 0])
    unsure = np.abs(integral).min(axis=1, initial=np.inf) <= bound
    for i in np.flatnonzero(unsure):  # S2 is exactly 0 before the first flow: only later values count
        later = integral[i, np.argmax(w[i] != 0) :]
        unsure[i] = bool((np.abs(later) <= bound[i]).any())
    unsure |= (np.abs(partial[:, -1]) <= noise) & (gross > 0)
    changes = _sign_changes(np.concatenate([integral, tail[:, None]], axis=1))
    result: np.ndarray = np.where(unsure, n_cols, changes)
    return result


def _partial_sum_changes(
    rows: np.ndarray, t: np.ndarray, x: np.ndarray, center: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """At rate x per row: bounds on the number of roots above and below x, the NPV there and its gross."""
    w = rows * np.exp(-x[:, None] * (t - center))
    gross = np.abs(w).sum(axis=1)
    above = _roots_beyond_bound(w, t, gross)
    below = _roots_beyond_bound(w[:, ::-1], (np.max(t) - t)[..., ::-1], gross)
    return above, below, w.sum(axis=1), gross


def _proven_unique(rows: np.ndarray, t: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Whether the root near x is the only one, for each row (a sufficient test).

    With ``lo = x - d`` and ``hi = x + d`` where the NPV changes sign (decisively, beyond
    rounding), the root is unique if (A) at most one root lies above lo and none below it,
    (B) none lies above hi and at most one below it, or (C) none lies outside (lo, hi) and
    the NPV is strictly monotone there: ``|NPV'(x)| > d * max |NPV''|`` on the interval.
    """
    center = 0.5 * (np.max(t) + np.min(t))
    d = _CERTIFY_STEP * np.maximum(1.0, np.abs(x))
    above_lo, below_lo, npv_lo, gross_lo = _partial_sum_changes(rows, t, x - d, center)
    above_hi, below_hi, npv_hi, gross_hi = _partial_sum_changes(rows, t, x + d, center)
    tc = t - center
    slope = np.einsum("ij,ij->i", rows * tc, np.exp(-x[:, None] * tc))
    curvature = np.einsum("ij,ij->i", np.abs(rows) * tc**2, np.exp(-(x - d)[:, None] * tc) + np.exp(-(x + d)[:, None] * tc))
    decisive = (np.abs(npv_lo) > _DECISIVE * gross_lo) & (np.abs(npv_hi) > _DECISIVE * gross_hi)
    bracketed = decisive & (np.sign(npv_lo) * np.sign(npv_hi) < 0)
    case_a = (above_lo <= 1) & (below_lo == 0)
    case_b = (above_hi == 0) & (below_hi <= 1)
    case_c = (above_hi == 0) & (below_lo == 0) & (np.abs(slope) > d * curvature)
    result: np.ndarray = bracketed & (case_a | case_b | case_c)
    return result


def _proven_rootless(rows: np.ndarray, t: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Whether a row has no root at all: none above x, none below x, and NPV(x) decisively nonzero."""
    center = 0.5 * (np.max(t) + np.min(t))
    above, below, npv, gross = _partial_sum_changes(rows, t, x, center)
    result: np.ndarray = (above == 0) & (below == 0) & (np.abs(npv) > _DECISIVE * gross)
    return result


# --- whole-axis root isolation of one row -------------------------------------------------


class _Terms(NamedTuple):
    """One row's NPV as an exponential sum ``sum_k sign_k exp(log_w_k - y u_k)`` in ``y = x * span``.

    Attributes
    ----------
    log_w : ndarray
        ``ln |w_k|`` of the nonzero flows, those at the same time merged [ln of a fraction of
        the row's largest flow].
    sign : ndarray
        Sign of each merged flow (+1 or -1).
    u : ndarray
        Times rescaled to [0, 1], ``(t_k - t_0) / span``, strictly ascending [-].
    pos : ndarray of bool
        ``sign > 0``.
    span : float
        ``t_last - t_0`` [periods, or years for dated flows].
    """

    log_w: np.ndarray
    sign: np.ndarray
    u: np.ndarray
    pos: np.ndarray
    span: float


def _terms_of(row: np.ndarray, t: np.ndarray) -> _Terms | None:
    """The exponential sum of one row (times ascending), or None if it has fewer than two terms.

    Works on ``ln |w|`` so that no flow underflows however far apart their sizes are: only
    flows at the same time are added, each group scaled by its own largest flow.
    """
    nonzero = row != 0
    w, tt = row[nonzero], t[nonzero]
    if w.size < 2:
        return None
    starts = np.flatnonzero(np.r_[True, np.diff(tt) != 0])
    log_w, sign = np.log(np.abs(w)), np.sign(w)
    if starts.size < w.size:  # flows on the same date: sum each group, scaled by its largest flow
        group_max = np.maximum.reduceat(np.abs(w), starts)
        sums = np.add.reduceat(w / np.repeat(group_max, np.diff(np.r_[starts, w.size])), starts)
        log_w, sign, tt = np.log(np.abs(sums)) + np.log(group_max), np.sign(sums), tt[starts]
        keep = sign != 0
        log_w, sign, tt = log_w[keep], sign[keep], tt[keep]
        if sign.size < 2:
            return None
    span = float(tt[-1] - tt[0])
    return _Terms(log_w - log_w.max(), sign, (tt - tt[0]) / span, sign > 0, span)


def _logsumexp(a: np.ndarray) -> float:
    top = float(a.max())
    return top + float(np.log(np.exp(a - top).sum()))


def _outer_bounds(terms: _Terms) -> tuple[float, float]:
    """``(y_lo, y_hi)`` outside which no root lies: one flow outweighs all the others.

    The bounds returned are ``2 * bound -/+ 1``: there the dominant term exceeds the sum of
    the others by at least a factor ``exp(u_1)`` (or ``exp(1 - u_{n-2})``), so the NPV's
    sign is decisive against rounding.

    For ``y > 0`` every term but the first is at most ``|w_k| exp(-y u_1)``, so the first
    dominates once ``y u_1 > ln(sum_{k>0} |w_k| / |w_0|)``; symmetrically the last term
    dominates for ``y < 0`` once ``-y (1 - u_{n-2}) > ln(sum_{k<n-1} |w_k| / |w_{n-1}|)``.
    """
    lw, u = terms.log_w, terms.u
    hi = max(0.0, _logsumexp(lw[1:]) - lw[0]) / u[1]
    lo = -max(0.0, _logsumexp(lw[:-1]) - lw[-1]) / (1.0 - u[-2])
    return 2.0 * lo - 1.0, 2.0 * hi + 1.0  # beyond the bounds, so that the NPV's sign is decisive there


def _log_ratio_at(terms: _Terms, ys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``f = ln P - ln N`` and ``df/dy`` at each y, from log-sum-exp sums (no overflow at any y)."""
    parts = []
    for sel in (terms.pos, ~terms.pos):
        logs = terms.log_w[sel] - ys[:, None] * terms.u[sel]
        top = logs.max(axis=1)
        e = np.exp(logs - top[:, None])
        total = e.sum(axis=1)
        parts.append((top + np.log(total), (e @ terms.u[sel]) / total))
    (log_p, mean_p), (log_n, mean_n) = parts
    return log_p - log_n, mean_n - mean_p


def _piece_tests(terms: _Terms, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """For pieces [a, b] of the y axis: (no root, at most one root, NPV within rounding of 0 throughout; split point, f there).

    With ``G(y) = exp(y tau) NPV(y) = sum_k w_k exp(-y (u_k - tau))`` (same zeros), each term
    is monotone in y, so on [a, b] it lies between its values at a and b: the inflows' and
    outflows' sums have enclosures whose disjointness excludes a zero. Independently, the
    Taylor form ``|G(m)| > |G'(m)| h + max|G''| h**2 / 2`` excludes one and
    ``|G'(m)| > max|G''| h`` (or disjoint enclosures of G''s positive and negative terms)
    proves G strictly monotone. ``max|G''| <= sum_k |w_k| (u_k - tau)**2 max(end values)``.
    Where the terms cancel (oscillating signs) the third-order forms, with G''(m) computed
    and ``max|G'''| <= max|u - tau| max|G''|``, are much sharper; the smaller remainder of
    the two is used.
    The same Taylor bound shows where |G| stays within a few rounding errors of zero
    (*flat*: nothing there can be resolved in float64). All sums carry a rounding allowance
    of ``_SLACK`` per term.
    """
    k, n = a.size, terms.u.size
    m = a + _SPLIT * (b - a)
    logs = terms.log_w - np.concatenate([a, b, m])[:, None] * terms.u
    top = logs.max(axis=1)
    e = np.exp(logs - top[:, None], out=logs)
    ea, eb, em = e[:k], e[k : 2 * k], e[2 * k :]
    u = terms.u
    basis = np.stack([terms.pos, ~terms.pos, terms.sign, terms.sign * u, np.ones(n), u, u * u, terms.sign * u * u], axis=1)
    sums_m = em @ basis.astype(np.float64)  # P, N, G, sum sign u, sum, sum u, sum u^2, sum sign u^2 at the split point
    f_mid = np.log(sums_m[:, 0]) - np.log(sums_m[:, 1])
    tau = sums_m[:, 5] / sums_m[:, 4]
    la, lb, lm = top[:k] + a * tau, top[k : 2 * k] + b * tau, top[2 * k :] + m * tau
    big = np.maximum(la, lb)
    scale_m = np.exp(lm - big)
    ea *= np.exp(la - big)[:, None]
    eb *= np.exp(lb - big)[:, None]
    high, low = np.maximum(ea, eb), np.minimum(ea, eb)
    slack = 1.0 + _SLACK * n
    lows, highs = low @ basis[:, :2], high @ basis[:, 4:7]
    p_lo, n_lo = lows[:, 0], lows[:, 1]
    p_hi, n_hi = high @ basis[:, 0], high @ basis[:, 1]
    g = sums_m[:, 2] * scale_m
    gp = -(sums_m[:, 3] - tau * sums_m[:, 2]) * scale_m  # G' = -sum w (u - tau) e
    g_abs = sums_m[:, 4] * scale_m
    gp_abs = g_abs * (1.0 + tau)  # >= sum |w (u - tau)| e, and the scale of the rounding error in gp
    # sum (u - tau)**2 e over the larger end values, expanded; plus its rounding error, so it stays a bound
    spread = highs[:, 2] + 2.0 * tau * highs[:, 1] + tau * tau * highs[:, 0]
    curvature = np.maximum(highs[:, 2] - 2.0 * tau * highs[:, 1] + tau * tau * highs[:, 0], 0.0) + _SLACK * n * spread
    # G'' at the split point, with cancellation (and its rounding error), and a bound on |G'''|:
    # sum |w| |u - tau|**3 e <= max |u - tau| * sum |w| (u - tau)**2 e
    gpp = (sums_m[:, 7] - 2.0 * tau * sums_m[:, 3] + tau * tau * sums_m[:, 2]) * scale_m
    gpp_bound = np.abs(gpp) + _SLACK * n * (sums_m[:, 6] + 2.0 * tau * sums_m[:, 5] + tau * tau * sums_m[:, 4]) * scale_m
    third = curvature * np.maximum(tau, 1.0 - tau)
    h = np.maximum(m - a, b - m)
    remainder = np.minimum(0.5 * curvature * h * h, 0.5 * gpp_bound * h * h + third * h**3 / 6.0)
    taylor_gap = np.abs(g) - np.abs(gp) * h - remainder
    no_root = (p_lo > n_hi * slack) | (n_lo > p_hi * slack) | (taylor_gap > _SLACK * n * (g_abs + gp_abs * h + curvature * h * h))
    # G' = sum_k q_k e_k with q = -sign (u - tau): enclosures of its positive and negative parts
    q = np.subtract(tau[:, None], u, out=ea) * terms.sign
    qp = np.maximum(q, 0.0)
    qn = np.maximum(np.negative(q, out=q), 0.0, out=q)
    qp_lo, qp_hi = np.vecdot(qp, low), np.vecdot(qp, high)
    qn_lo, qn_hi = np.vecdot(qn, low), np.vecdot(qn, high)
    slope_gap = np.abs(gp) - np.minimum(curvature * h, gpp_bound * h + 0.5 * third * h * h)
    monotone = (qp_lo > qn_hi * slack) | (qn_lo > qp_hi * slack) | (slope_gap > _SLACK * n * (gp_abs + curvature * h))
    flat = np.abs(g) + np.abs(gp) * h + remainder <= 4.0 * _SLACK * n * g_abs  # |f| <= the deadband throughout
    return no_root, monotone, flat, m, f_mid


def _refine(terms: _Terms, a: np.ndarray, b: np.ndarray, f_a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Roots in y of brackets [a, b] (one sign change of f each): safeguarded Newton (``rtsafe``).

    Returns the roots and the log ratio f there (``|P - N| / (P + N) = tanh(|f| / 2)``).
    """
    a, b = a.copy(), b.copy()
    sign_a = np.sign(f_a)
    y = a + 0.5 * (b - a)
    best_y, best_f = y.copy(), np.full(y.shape, np.inf)
    for _ in range(_MAX_ITER):
        f, fp = _log_ratio_at(terms, y)
        better = np.abs(f) < np.abs(best_f)
        best_y, best_f = np.where(better, y, best_y), np.where(better, f, best_f)
        at_a = np.sign(f) == sign_a
        a, b = np.where(at_a, y, a), np.where(at_a, b, y)
        trial = y - f / fp
        inside = np.isfinite(trial) & (trial > a) & (trial < b)
        new = np.where(inside, trial, a + 0.5 * (b - a))
        tol = 2.0 * _EPS * np.maximum(1.0, np.abs(y))
        done = (f == 0) | (b - a <= tol) | (np.abs(new - y) <= tol)
        if done.all():
            break
        y = np.where(done, y, new)
    return best_y, best_f


class _Roots(NamedTuple):
    """All the roots of one row, in x = ln(1 + r) per unit of time.

    Attributes
    ----------
    x : ndarray
        The roots found, ascending [ln(1 + r)].
    resid : ndarray
        ``|P - N| / (P + N)`` at each root.
    simple : int
        How many of them are proven simple roots (alone in a piece where the NPV is monotone).
    odd : int
        How many unresolved clusters the NPV changes sign across (each holds an odd number).
    complete : bool
        Whether the whole axis was covered; if False, roots may be missing.
    span : float
        Time from the first to the last nonzero flow [periods or years].
    """

    x: np.ndarray
    resid: np.ndarray
    simple: int
    odd: int
    complete: bool
    span: float


_NO_ROOTS = _Roots(np.empty(0), np.empty(0), 0, 0, True, 0.0)


def _all_roots(row: np.ndarray, t: np.ndarray) -> _Roots:
    """Every root on the whole axis r in (-1, +inf) of one row (times ascending), with the proof's verdict.

    See the module notes: Laguerre's bound settles rows with at most one sign change; others
    are isolated by bisection with enclosure tests between the outer bounds. A sign of f
    counts only beyond its rounding error (``deadband``); pieces next to an end point whose
    sign is not decisive, or too narrow to split, are *ambiguous* and merged into clusters.
    """
    terms = _terms_of(row, t)
    if terms is None:
        return _NO_ROOTS
    changes = int(np.count_nonzero(terms.sign[1:] != terms.sign[:-1]))
    if changes == 0:
        return _NO_ROOTS._replace(span=terms.span)
    lo, hi = _outer_bounds(terms)
    f_ends = _log_ratio_at(terms, np.array([lo, hi]))[0]
    f_of = {lo: float(f_ends[0]), hi: float(f_ends[1])}
    deadband = 8.0 * _SLACK * terms.u.size  # four times the exclusion tests' allowance: decisive signs can be excluded
    brackets: list[tuple[float, float]] = []
    ambiguous: list[tuple[float, float, bool]] = []
    complete = True
    if changes == 1:  # Laguerre: exactly one root, and it lies between the outer bounds
        brackets.append((lo, hi))
    else:
        complete = _bisect(terms, (lo, hi), f_of, deadband, brackets, ambiguous)
    ys: list[float] = []
    fs: list[float] = []
    simple = len(brackets)
    for a_c, b_c, best, n_pieces, all_monotone in _clusters(ambiguous, f_of):
        # A cluster's end is an outer bound (decisive) or shared with a piece that was excluded or
        # had decisive ends; after an exclusion the NPV there is proven nonzero, so the sign as
        # computed holds even inside the deadband.
        change = (_sign(f_of[a_c], deadband) or np.sign(f_of[a_c])) * (_sign(f_of[b_c], deadband) or np.sign(f_of[b_c]))
        if change < 0:  # an odd number of roots; exactly one if <= 2 monotone pieces (<= 1 root each)
            simple += all_monotone and n_pieces <= 2
            brackets.append((a_c, b_c))
            continue
        best = _touching_point(terms, a_c, b_c, best, f_of)
        if not np.tanh(abs(f_of[best]) / 2) <= _RESIDUAL_TOL:
            complete = False  # neither excluded nor a root within float64's reach: cannot count it
            continue
        ys.append(best)
        fs.append(f_of[best])
    if brackets:
        a, b = np.array(brackets).T
        y, f = _refine(terms, a, b, np.array([f_of[v] for v in a]))
        ys += y.tolist()
        fs += f.tolist()
    order = np.argsort(ys)
    y_arr, f_arr = np.asarray(ys, dtype=np.float64)[order], np.asarray(fs, dtype=np.float64)[order]
    return _Roots(y_arr / terms.span, np.tanh(np.abs(f_arr) / 2), simple, len(brackets) - simple, complete, terms.span)


def _touching_point(terms: _Terms, a: float, b: float, best: float, f_of: dict[float, float]) -> float:
    """Where a cluster without a sign change comes closest to a root: the zero of f' in it, if any.

    At a double root of the NPV, ``f' = (P' - N') / P`` has a simple zero, which bisection
    finds to full precision, while f itself is lost in rounding within ``sqrt(eps)`` of it.
    """
    slope = _log_ratio_at(terms, np.array([a, b]))[1]
    if not slope[0] * slope[1] < 0:
        return best
    lo, hi, sign_lo = a, b, np.sign(slope[0])
    for _ in range(_MAX_ITER):
        mid = lo + 0.5 * (hi - lo)
        if not lo < mid < hi:
            break
        if np.sign(_log_ratio_at(terms, np.array([mid]))[1][0]) == sign_lo:
            lo = mid
        else:
            hi = mid
    f_mid = float(_log_ratio_at(terms, np.array([mid]))[0][0])
    if np.tanh(abs(f_mid) / 2) <= _RESIDUAL_TOL:
        f_of[mid] = f_mid
        return mid
    return best


def _sign(f: float, deadband: float) -> int:
    """The sign of f = ln P - ln N, or 0 where rounding could have flipped it."""
    return 0 if abs(f) <= deadband else (1 if f > 0 else -1)


def _bisect(
    terms: _Terms,
    whole: tuple[float, float],
    f_of: dict[float, float],
    deadband: float,
    brackets: list[tuple[float, float]],
    ambiguous: list[tuple[float, float, bool]],
) -> bool:
    """Split ``whole`` until each piece is rootless, holds one bracketed root, or is ambiguous.

    ``f_of`` caches f at every end point, so that adjacent pieces agree on the sign they
    share. Ambiguous pieces are listed with whether f is proven monotone on them. Returns
    False if the work limit stopped it before the axis was covered.
    """
    n = terms.u.size
    batch = max(1, min(64, _BATCH_CELLS // (3 * n)))
    budget = _WORK_LIMIT / (n + 150)  # a piece costs about n terms' arithmetic plus 150 terms' worth of Python
    evaluated = 0
    stack = [whole]
    while stack:
        if evaluated > budget:
            return False
        take = stack[-batch:]
        del stack[-batch:]
        a, b = np.array(take).T
        no_root, monotone, flat, mids, f_mid = _piece_tests(terms, a, b)
        evaluated += len(take)
        for i, (lo, hi) in enumerate(take):
            if no_root[i]:
                continue
            s_lo, s_hi = _sign(f_of[lo], deadband), _sign(f_of[hi], deadband)
            if monotone[i]:
                if s_lo * s_hi < 0:
                    brackets.append((lo, hi))
                elif s_lo * s_hi == 0:
                    ambiguous.append((lo, hi, True))
                continue
            mid = float(mids[i])
            width = max(1.0, abs(mid))
            numerically_zero = s_lo == s_hi == _sign(float(f_mid[i]), deadband) == 0 and hi - lo <= _ZERO_SPREAD * width
            if flat[i] or numerically_zero or not lo < mid < hi or hi - lo <= _RESOLUTION * width:
                ambiguous.append((lo, hi, False))
                continue
            f_of[mid] = float(f_mid[i])
            stack.append((mid, hi))
            stack.append((lo, mid))
    return True


def _clusters(pieces: list[tuple[float, float, bool]], f_of: dict[float, float]) -> list[tuple[float, float, float, int, bool]]:
    """Merge touching ambiguous pieces: ``(start, end, point with the smallest |f|, pieces, all monotone)``."""
    out: list[tuple[float, float, float, int, bool]] = []
    for lo, hi, monotone in sorted(pieces):
        if out and out[-1][1] == lo:
            start, _, best, count, all_monotone = out[-1]
            out[-1] = (start, hi, min((best, hi), key=lambda v: abs(f_of[v])), count + 1, all_monotone and monotone)
        else:
            out.append((lo, hi, min((lo, hi), key=lambda v: abs(f_of[v])), 1, monotone))
    return out


def _rates(x: np.ndarray, resid: np.ndarray, span: np.ndarray | float) -> tuple[np.ndarray, np.ndarray]:
    """``r = expm1(x)`` and whether float64 holds it: r > -1, finite, and its own residual passes.

    The residual at the float64 rate (x moved to ``log1p(r)``) is at most the residual at x
    plus ``span * |log1p(r) - x| / 2``, since ``|d ln(P / N) / dx| <= span``.
    """
    rate = np.expm1(x)
    moved = np.abs(np.log1p(rate) - x)
    ok = np.isfinite(rate) & (rate > -1.0) & (resid + 0.5 * span * moved <= _RESIDUAL_TOL)
    return rate, ok


def _status_of_roots(roots: _Roots, guess: float | None) -> tuple[float, int]:
    """The root (in x) and status of one row from all its roots; with a guess, the nearest of several."""
    n = roots.x.size
    if not roots.complete:
        status = RootStatus.MULTIPLE_ROOTS if roots.simple + roots.odd >= 2 else RootStatus.UNVERIFIED
    elif n == 0:
        return np.nan, RootStatus.NO_ROOT
    elif n == 1 and roots.simple == 1:
        status = RootStatus.OK
    else:
        status = RootStatus.MULTIPLE_ROOTS if n >= 2 else RootStatus.UNVERIFIED
    rate, ok = _rates(roots.x, roots.resid, roots.span)
    if status == RootStatus.OK:
        return (float(roots.x[0]), status) if ok[0] else (np.nan, RootStatus.NOT_CONVERGED)
    if guess is None or not roots.complete or n == 0:
        return np.nan, status
    nearest = int(np.argmin(np.abs(rate - guess)))  # -1 and inf stand for the rates float64 cannot hold
    if not ok[nearest]:
        return np.nan, RootStatus.NOT_CONVERGED
    return float(roots.x[nearest]), RootStatus.NEAREST_TO_GUESS


# --- batches of rows ------------------------------------------------------------------------


def _solve_rows(rows: np.ndarray, t: np.ndarray, scratch: np.ndarray, guess: float | None) -> tuple[np.ndarray, np.ndarray]:
    """IRR in x = ln(1 + r) and a status code for each finite row of one chunk.

    ``scratch`` is a work array of shape (5, at least M, T), reused from chunk to chunk: fresh
    memory for each chunk costs more than the arithmetic.
    """
    with np.errstate(all="ignore"):  # infinities and NaN are handled where they arise
        m = rows.shape[0]
        x = np.full(m, np.nan)
        status = np.full(m, RootStatus.NO_SIGN_CHANGE, dtype=np.int8)
        has_pos, first_pos, last_pos = _first_last(rows > 0)
        has_neg, first_neg, last_neg = _first_last(rows < 0)
        ends = np.stack([_times_at(t, np.minimum(first_pos, first_neg)), _times_at(t, np.maximum(last_pos, last_neg))], axis=1)
        both = has_pos & has_neg
        largest = np.maximum(rows.max(axis=1), -rows.min(axis=1))
        out_first = both & (last_neg < first_pos)
        conventional = out_first | (both & (last_pos < first_neg))
        exact = np.zeros(m, dtype=bool)
        if conventional.any():
            idx = slice(None) if conventional.all() else np.flatnonzero(conventional)
            sub = rows[idx]
            root, resid = _solve_conventional(sub, _times_of(t, idx), out_first[idx], ends[idx], largest[idx], scratch[:, : sub.shape[0]])
            span = ends[idx, 1] - ends[idx, 0]
            ok = _rates(root, resid, span)[1]
            x[idx] = root
            status[idx] = np.where(ok, RootStatus.OK, RootStatus.NOT_CONVERGED)
            # Flows below 1e-290 of the largest lose precision when scaled to it; that matters
            # only where discounting amplifies them by more than exp(400): far from r = 0.
            far = np.zeros(m, dtype=bool)
            far[idx] = ~(np.abs(root) * span <= _FAR)
            exact |= far & _tiny_flows(rows, largest, far)
        multi = both & ~conventional
        exact |= multi & _tiny_flows(rows, largest, multi)
        multi = np.flatnonzero(multi & ~exact)
        if multi.size:
            x[multi], status[multi] = _solve_nonconventional(rows[multi], _times_of(t, multi), ends[multi], scratch, guess)
        for i in np.flatnonzero(exact):
            x[i], status[i] = _status_of_roots(_all_roots(rows[i], t if t.ndim == 1 else t[i]), guess)
    return x, status


def _tiny_flows(rows: np.ndarray, largest: np.ndarray, which: np.ndarray) -> np.ndarray:
    """For the rows in ``which``: whether a nonzero flow is below ``_MIN_RANGE`` of the row's largest."""
    result = np.zeros(rows.shape[0], dtype=bool)
    if which.any():
        sub = rows[which]
        result[which] = np.where(sub != 0, np.abs(sub), np.inf).min(axis=1) < _MIN_RANGE * largest[which]
    return result


def _solve_nonconventional(
    rows: np.ndarray, t: np.ndarray, ends: np.ndarray, scratch: np.ndarray, guess: float | None
) -> tuple[np.ndarray, np.ndarray]:
    """Grid scan with certificates for rows with several sign changes; the isolation for the rest."""
    m = rows.shape[0]
    x = np.full(m, np.nan)
    status = np.full(m, RootStatus.UNVERIFIED, dtype=np.int8)
    isolate = np.zeros(m, dtype=bool)
    rows = rows / np.abs(rows).max(axis=1)[:, None]
    xs = _grid(t)
    values = _npv_on_grid(rows, t, xs)
    above = values > 0
    crossings = np.count_nonzero(above[:, 1:] != above[:, :-1], axis=1)
    several = np.flatnonzero(crossings >= 2)
    if several.size:  # proven only where the signs are beyond rounding
        sub = values[several]
        gross = _npv_on_grid(np.abs(rows[several]), _times_of(t, several), xs)
        proven = _sign_changes(np.where(np.abs(sub) > _DECISIVE * gross, sub, 0.0)) >= 2
        status[several[proven]] = RootStatus.MULTIPLE_ROOTS
        isolate[several[~proven]] = True
        if guess is not None:
            isolate[several] = True
    none = np.flatnonzero(crossings == 0)
    if none.size:
        sub_t = _times_of(t, none)
        rootless = _proven_rootless(rows[none], sub_t, np.zeros(none.size))
        status[none[rootless]] = RootStatus.NO_ROOT
        isolate[none[~rootless]] = True
    one = np.flatnonzero(crossings == 1)
    if one.size:
        k = np.argmax(above[one, 1:] != above[one, :-1], axis=1)
        lo, hi = xs[k], xs[k + 1]
        v_lo, v_hi = values[one, k], values[one, k + 1]
        # start at the secant point, rounded so that a row's start does not depend on the
        # rounding of the matrix product (and so on the rows solved with it)
        x0 = lo + np.round(np.clip(v_lo / (v_lo - v_hi), 0.0, 1.0), 6) * (hi - lo)
        sub_t = _times_of(t, one)
        work = scratch[:, : one.size]
        split = _split(rows[one], sub_t, np.ones(one.size), ends[one], work[:2])
        root, resid = _newton_bracketed(split, x0, lo, hi, np.where(v_lo > 0, 1.0, -1.0), work[2:])
        certified = _proven_unique(rows[one], sub_t, root) & (resid <= _RESIDUAL_TOL)
        ok = _rates(root, resid, ends[one, 1] - ends[one, 0])[1]
        x[one] = root
        status[one] = np.where(ok, RootStatus.OK, RootStatus.NOT_CONVERGED)
        isolate[one[~certified]] = True
    for i in np.flatnonzero(isolate):
        row_t = t if t.ndim == 1 else t[i]
        x[i], status[i] = _status_of_roots(_all_roots(rows[i], row_t), guess)
    return x, status


def _solve(rows: np.ndarray, t: np.ndarray, guess: float | None) -> tuple[np.ndarray, np.ndarray]:
    """Solve all rows, in chunks of rows spread over the machine's cores.

    Each thread takes the next chunk until none is left and keeps one work array throughout.
    """
    m = rows.shape[0]
    starts = iter(range(0, m, _CHUNK_ROWS))
    x, status = np.empty(m), np.empty(m, dtype=np.int8)

    def work() -> None:
        scratch = np.empty((5, min(m, _CHUNK_ROWS), rows.shape[1]))
        for start in starts:
            sel = slice(start, start + _CHUNK_ROWS)
            x[sel], status[sel] = _solve_rows(rows[sel], t if t.ndim == 1 else t[sel], scratch, guess)

    n_threads = min(-(-m // _CHUNK_ROWS), os.cpu_count() or 1)
    if n_threads <= 1:
        work()
    else:
        with ThreadPoolExecutor(max_workers=n_threads) as pool:
            for done in [pool.submit(work) for _ in range(n_threads)]:
                done.result()
    return x, status


def _finish(flows: Flows, x: np.ndarray, status: np.ndarray, name: str, strict: bool, full_output: bool) -> Any:
    """Turn x and status into rates of the input's kind; raise in strict mode."""
    has_rate = np.isin(status, _RATE_STATUSES)
    with np.errstate(all="ignore"):
        rate = np.where(has_rate, np.expm1(np.where(has_rate, x, 0.0)), np.nan)
    if strict:
        failed = [(code, np.flatnonzero(status == code)) for code in RootStatus if code not in (*_RATE_STATUSES, RootStatus.INVALID_INPUT)]
        reasons = [f"{code.name.lower().replace('_', ' ')} in {describe_rows(r, status.size)}" for code, r in failed if r.size]
        if reasons:
            msg = f"{name}: the rate is undefined: " + "; ".join(reasons) + ". Pass strict=False to get NaN instead."
            raise UndefinedResultError(msg)
    if full_output:
        return IRRResult(flows.wrap(rate, name), flows.wrap(status.astype(np.int8), "status"))
    return flows.wrap(rate, name)


def _irr_of(flows: Flows, t: np.ndarray, nan_policy: str, guess: float | None) -> tuple[np.ndarray, np.ndarray]:
    bad = nonfinite_rows(flows.rows, "values", nan_policy)
    if not bad.any():
        return _solve(flows.rows, t, guess)
    good = np.flatnonzero(~bad)
    x = np.full(bad.size, np.nan)
    status = np.full(bad.size, RootStatus.INVALID_INPUT, dtype=np.int8)
    x[good], status[good] = _solve(flows.rows[good], _times_of(t, good), guess)
    return x, status


def _check_guess(guess: Any, unit: str) -> float | None:
    """Validate the optional ``guess``: one finite rate above -100 % (the shared rate check), or None."""
    if guess is None:
        return None
    rates, _ = as_rates(guess, "guess", unit, scalar=True)
    return float(rates[0])


def _merge_same_times(rows: np.ndarray, t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Flows at equal times summed into the first of them (times ascending), and the single-date rows.

    Returns the merged rows and a mask of the rows whose nonzero flows have both signs but all
    fall on one date. Rows whose largest flow exceeds 1e300 are scaled by ``2**-16`` first (a
    positive factor, which leaves the rates unchanged), so that no sum overflows; flows alone
    on their date are copied unchanged.
    """
    times = np.broadcast_to(t, rows.shape)
    nonzero = rows != 0
    has, first, last = _first_last(nonzero)
    first_t = np.take_along_axis(times, first[:, None], axis=1)[:, 0]
    last_t = np.take_along_axis(times, last[:, None], axis=1)[:, 0]
    both = (rows > 0).any(axis=1) & (rows < 0).any(axis=1)
    single = has & both & (first_t == last_t)
    starts = np.ones(rows.shape, dtype=bool)
    starts[:, 1:] = times[:, 1:] != times[:, :-1]
    if starts.all():
        return rows, single
    flat = np.where(np.abs(rows).max(axis=1, keepdims=True) > 1e300, rows * 2.0**-16, rows).ravel()
    at = np.flatnonzero(starts.ravel())
    merged = np.zeros_like(flat)
    merged[at] = np.add.reduceat(flat, at)
    return merged.reshape(rows.shape), single


def _sorted_years(flows: Flows, dates: Any) -> tuple[Flows, np.ndarray]:
    """Years from the first date, with the flows reordered so that the years ascend."""
    years = year_fractions(dates, flows.rows.shape)
    order = np.argsort(years, axis=-1, kind="stable")
    if years.ndim == 1:
        return Flows(flows.rows[:, order], flows.lead_shape, flows.index, flows.from_series), years[order]
    rows = np.take_along_axis(flows.rows, order, axis=1)
    return Flows(rows, flows.lead_shape, flows.index, flows.from_series), np.take_along_axis(years, order, axis=1)


def _one_series(flows: Flows, name: str) -> np.ndarray:
    """The single finite row of a 1-D input (for the root listings)."""
    if flows.lead_shape != ():
        msg = f"values: {name} takes one series of cash flows [currency] (1-D); got shape {(*flows.lead_shape, flows.n_periods)}"
        raise ValueError(msg)
    nonfinite_rows(flows.rows, "values", "raise")
    row: np.ndarray = flows.rows[0]
    return row


def _roots_as_rates(row: np.ndarray, t: np.ndarray, name: str, unit: str, strict: bool) -> np.ndarray:
    """All roots of one row as rates; NaN marks a root float64 cannot hold, or roots that may be missing."""
    with np.errstate(all="ignore"):
        roots = _all_roots(row, t)
        rate, ok = _rates(roots.x, roots.resid, roots.span)
    result = np.where(ok, rate, np.nan)
    if not roots.complete:
        result = np.append(result, np.nan)
    if strict and np.isnan(result).any():
        msg = (
            f"{name}: {np.count_nonzero(~ok)} root(s) lie where float64 cannot hold the rate [{unit}] "
            f"(within about 1e-16 of -100 % or beyond 1.8e308)"
            + ("" if roots.complete else ", and the isolation stopped at its work limit, so roots may be missing")
            + ". Pass strict=False to get NaN in their place."
        )
        raise UndefinedResultError(msg)
    return result


def irr(
    values: Any, *, guess: float | None = None, strict: bool = False, nan_policy: NanPolicy = "raise", full_output: bool = False
) -> Any:
    """Internal rate of return of periodic cash flows, one rate per series, no Python loop.

    The IRR is the rate r > -1 at which ``sum_t values[t] / (1 + r) ** t = 0`` (first value
    at t = 0). By default it is returned only where it exists and is unique on the whole
    axis r in (-1, +inf), which is proven for each row; see the module notes for the method.

    Parameters
    ----------
    values : array_like, Series or DataFrame, shape (..., T)
        Cash flows [currency], time on the last axis; money out negative. A DataFrame
        holds one series per row.
    guess : float, optional
        A rate [fraction per period], > -1. Where several rates make the NPV zero, return
        the one nearest ``guess`` (status ``NEAREST_TO_GUESS``) instead of NaN: the
        spreadsheet convention (Excel's ``IRR(values, guess)`` returns the root its Newton
        iteration from ``guess`` reaches, usually the nearest; ``guess=0.0`` picks the root
        numpy-financial's ``irr`` returns, the one smallest in absolute value). A unique
        IRR is returned whatever the guess. Default None: NaN where there are several.
    strict : bool
        If True, raise :class:`UndefinedResultError` naming the rows and reasons where the
        default gives NaN.
    nan_policy : {'raise', 'propagate'}
        Rows holding NaN or inf: raise a ValueError (default) or give NaN.
    full_output : bool
        If True, return an :class:`IRRResult` ``(rate, status)`` with a
        :class:`RootStatus` code per row.

    Returns
    -------
    float, ndarray or Series
        IRR [fraction per period], NaN where it is undefined: no sign change, no root, more
        than one root (without ``guess``), a root float64 cannot hold (r within about 1e-16
        of -100 %, or above 1.8e308), or a root count float64 cannot settle (a double root).

    Notes
    -----
    Rows the grid scan cannot settle are isolated one at a time over the whole axis (module
    notes); this takes well under a second even for 10,000 periods.

    References
    ----------
    .. [1] See the module docstring; the definition is that of numpy-financial ``irr`` and
       Excel ``IRR``.
    .. [2] Microsoft, "IRR function", Excel documentation: the ``guess`` argument.

    Examples
    --------
    >>> round(irr([-100, 39, 59, 55, 20]), 5)
    0.28095
    >>> irr([[-100, 39, 59, 55, 20], [-1600, 10_000, -10_000, 0, 0]]).round(5).tolist()
    [0.28095, nan]

    The second row has two IRRs, 25 % and 400 %; a guess picks the nearer one:

    >>> round(irr([-1600, 10_000, -10_000], guess=0.1), 6)
    0.25
    """
    strict, full_output = check_flag(strict, "strict"), check_flag(full_output, "full_output")
    flows = as_flows(values)
    guess = _check_guess(guess, "fraction per period")
    t = np.arange(flows.n_periods, dtype=np.float64)
    x, status = _irr_of(flows, t, nan_policy, guess)
    return _finish(flows, x, status, "irr", strict, full_output)


def xirr(
    values: Any,
    dates: Any,
    *,
    guess: float | None = None,
    strict: bool = False,
    nan_policy: NanPolicy = "raise",
    full_output: bool = False,
) -> Any:
    """Internal rate of return of dated cash flows (Excel's ``XIRR`` convention).

    Solves ``sum_i values[i] / (1 + r) ** ((dates[i] - dates[0]) / 365) = 0`` for the annual
    rate r, by the method of :func:`irr` with times in years. Flows on the same date are
    summed first.

    Parameters
    ----------
    values : array_like, Series or DataFrame, shape (..., T)
        Cash flows [currency], money out negative.
    dates : array_like of dates, shape (T,) or the shape of ``values``
        Payment dates; actual/365 from the first date, which no date may precede. Dates
        need not be sorted.
    guess : float, optional
        A rate [fraction per year], > -1: where several rates make the NPV zero, return the
        one nearest it (the spreadsheet convention, as in :func:`irr`). Default None.
    strict, nan_policy, full_output
        As in :func:`irr`.

    Returns
    -------
    float, ndarray or Series
        IRR [fraction per year]; NaN where undefined, as in :func:`irr`, and where all the
        nonzero flows fall on one date (status ``SINGLE_DATE``: the NPV does not depend on
        the rate).

    References
    ----------
    .. [1] Microsoft, "XIRR function", Excel documentation.

    Examples
    --------
    >>> dates = ["2008-01-01", "2008-03-01", "2008-10-30", "2009-02-15", "2009-04-01"]
    >>> round(xirr([-10_000, 2_750, 4_250, 3_250, 2_750], dates), 6)
    0.373363
    >>> xirr([-100, 100], ["2020-01-01", "2020-01-01"], full_output=True).status
    7
    """
    strict, full_output = check_flag(strict, "strict"), check_flag(full_output, "full_output")
    flows = as_flows(values)
    guess = _check_guess(guess, "fraction per year")
    flows, years = _sorted_years(flows, dates)
    bad = nonfinite_rows(flows.rows, "values", nan_policy)
    with np.errstate(all="ignore"):
        merged, single = _merge_same_times(np.where(bad[:, None], 0.0, flows.rows), years)
    merged[bad] = np.nan
    x, status = _irr_of(Flows(merged, flows.lead_shape, flows.index, flows.from_series), years, nan_policy, guess)
    status[single & ~bad] = RootStatus.SINGLE_DATE
    return _finish(flows, x, status, "xirr", strict, full_output)


def irr_roots(values: Any, *, strict: bool = False) -> np.ndarray:
    """All rates r > -1 at which the NPV of one periodic cash-flow series is zero.

    For the caller who wants every root of a non-conventional series (where :func:`irr`
    returns NaN because the IRR is ambiguous). The roots are isolated on the whole axis
    r in (-1, +inf) with a proof that none is missed (module notes), in well under a second
    for 10,000 periods.

    Parameters
    ----------
    values : array_like, shape (T,)
        One series of cash flows [currency], first value at t = 0.
    strict : bool
        If True, raise :class:`UndefinedResultError` where the default puts a NaN.

    Returns
    -------
    ndarray
        The real roots, sorted ascending [fraction per period]; empty if there is none. A
        double root is listed once. NaN stands for a root float64 cannot hold as a rate
        (within about 1e-16 of -100 %, or beyond 1.8e308), in its place in the order, and,
        last, for roots that may be missing because the isolation reached its work limit.

    References
    ----------
    .. [1] The roots are those of ``sum_t v_t exp(-x t)`` in ``x = ln(1 + r)``; see the
       module docstring for the isolation and its proof.
    .. [2] Lorie, J. H. & Savage, L. J. (1955), "Three problems in rationing capital",
       *Journal of Business* 28(4): the pump example with IRRs of 25 % and 400 %.

    Examples
    --------
    >>> irr_roots([-1600, 10_000, -10_000]).round(6).tolist()
    [0.25, 4.0]
    """
    strict = check_flag(strict, "strict")
    flows = as_flows(values)
    row = _one_series(flows, "irr_roots")
    return _roots_as_rates(row, np.arange(flows.n_periods, dtype=np.float64), "irr_roots", "fraction per period", strict)


def xirr_roots(values: Any, dates: Any, *, strict: bool = False) -> np.ndarray:
    """All annual rates r > -1 at which the NPV of one dated cash-flow series is zero.

    The dated counterpart of :func:`irr_roots` (Excel's ``XIRR`` convention: actual/365
    years from the first date; flows on the same date are summed).

    Parameters
    ----------
    values : array_like, shape (T,)
        One series of cash flows [currency], money out negative.
    dates : array_like of dates, shape (T,)
        Payment dates, none before the first; need not be sorted.
    strict : bool
        If True, raise :class:`UndefinedResultError` where the default puts a NaN.

    Returns
    -------
    ndarray
        The real roots, sorted ascending [fraction per year]; NaN entries as in
        :func:`irr_roots`. If all nonzero flows fall on one date and cancel, every rate is
        a root: the result is ``[nan]``.

    References
    ----------
    .. [1] Microsoft, "XIRR function", Excel documentation; the isolation is described in
       the module docstring.

    Examples
    --------
    >>> dates = ["2020-01-01", "2021-01-01", "2022-01-01"]
    >>> xirr_roots([-1600, 10_000, -10_000], dates).round(4).tolist()
    [0.2503, 3.9708]
    """
    strict = check_flag(strict, "strict")
    flows = as_flows(values)
    row = _one_series(flows, "xirr_roots")
    flows, years = _sorted_years(flows, dates)
    row = flows.rows[0]
    with np.errstate(all="ignore"):
        merged, single = _merge_same_times(row[None, :], years if years.ndim == 1 else years[0])
    if single[0] and not merged.any():
        if strict:
            msg = "xirr_roots: all flows fall on one date and cancel, so every rate is a root. Pass strict=False to get [nan]."
            raise UndefinedResultError(msg)
        return np.array([np.nan])
    return _roots_as_rates(merged[0], years if years.ndim == 1 else years[0], "xirr_roots", "fraction per year", strict)


def mirr(values: Any, finance_rate: float, reinvest_rate: float, *, strict: bool = False, nan_policy: NanPolicy = "raise") -> Any:
    """Modified internal rate of return (Excel's and numpy-financial's ``MIRR``).

    ``MIRR = (FV(inflows, reinvest_rate) / -PV(outflows, finance_rate)) ** (1 / (T - 1)) - 1``
    with outflows discounted to t = 0 and inflows compounded to t = T - 1.

    Parameters
    ----------
    values : array_like, Series or DataFrame, shape (..., T)
        Cash flows [currency], money out negative, first value at t = 0.
    finance_rate : float
        Rate paid on the money used in the outflows [fraction per period], > -1.
    reinvest_rate : float
        Rate earned on reinvested inflows [fraction per period], > -1.
    strict : bool
        If True, raise :class:`UndefinedResultError` where the default gives NaN (no
        inflow, no outflow, or a single period).
    nan_policy : {'raise', 'propagate'}
        Rows holding NaN or inf: raise (default) or give NaN.

    Returns
    -------
    float, ndarray or Series
        MIRR [fraction per period]; NaN where undefined; ``inf`` where it exceeds the
        float64 range.

    Raises
    ------
    TypeError
        If values or rates are not real numbers, or ``strict`` is not a bool.
    ValueError
        If a rate is not one finite number > -1, or the values are empty, ragged or
        (under ``nan_policy='raise'``) not finite.

    Notes
    -----
    The future value of the inflows and the present value of the outflows are summed as
    logarithms (log-sum-exp: each sum has terms of one sign), so neither overflows.

    References
    ----------
    .. [1] Microsoft, "MIRR function", Excel documentation.
    .. [2] Brealey, Myers & Allen, *Principles of Corporate Finance*, ch. 5 (modified IRR).

    Examples
    --------
    >>> round(mirr([-120_000, 39_000, 30_000, 21_000, 37_000, 46_000], 0.10, 0.12), 6)
    0.126094
    """
    flows = as_flows(values)
    (fin,), _ = as_rates(finance_rate, "finance_rate", scalar=True)
    (rein,), _ = as_rates(reinvest_rate, "reinvest_rate", scalar=True)
    if not isinstance(strict, (bool, np.bool_)):
        msg = f"strict: must be True or False; got a {type(strict).__name__}"
        raise TypeError(msg)
    bad = nonfinite_rows(flows.rows, "values", nan_policy)
    n_periods = flows.n_periods
    t = np.arange(n_periods, dtype=np.float64)
    rows = np.where(bad[:, None], 0.0, flows.rows)
    undefined = ~bad & (~(rows > 0).any(axis=1) | ~(rows < 0).any(axis=1) | (n_periods < 2))
    if strict and undefined.any():
        msg = (
            f"mirr: undefined (needs at least one inflow, one outflow and two periods) in "
            f"{describe_rows(np.flatnonzero(undefined), undefined.size)}. Pass strict=False to get NaN."
        )
        raise UndefinedResultError(msg)
    if n_periods < 2:
        return flows.wrap(np.full(rows.shape[0], np.nan), "mirr")
    # ln FV(inflows) and ln -PV(outflows) as log-sum-exp of terms of one sign (no cancellation,
    # no overflow); -inf where a row has no inflow or no outflow (undefined, masked below)
    with np.errstate(divide="ignore"):  # ln 0 = -inf for the zero terms
        log_abs = np.log(np.abs(rows))
    log_terms = np.stack(
        [np.where(rows > 0, log_abs + np.log1p(rein) * (t[-1] - t), -np.inf), np.where(rows < 0, log_abs - np.log1p(fin) * t, -np.inf)]
    )
    peak = log_terms.max(axis=2)
    shift = np.where(np.isfinite(peak), peak, 0.0)
    with np.errstate(divide="ignore", under="ignore"):
        log_fv, log_pv = shift + np.log(np.exp(log_terms - shift[..., None]).sum(axis=2))
    defined = ~(undefined | bad)
    growth = (np.where(defined, log_fv, 0.0) - np.where(defined, log_pv, 0.0)) / (n_periods - 1)
    with np.errstate(over="ignore"):  # documented: inf beyond the float64 range
        result = np.expm1(growth)
    return flows.wrap(np.where(undefined | bad, np.nan, result), "mirr")
