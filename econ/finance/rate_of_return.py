"""Internal rate of return: vectorized, verified, NaN where undefined.

The solver works on ``x = ln(1 + r)`` and, for each row, solves
``f(x) = ln P(x) - ln N(x) = 0`` where ``P`` and ``N`` are the present values of the
inflows and of the outflows [1]_. For a *conventional* row (one change of sign) ``f`` is
strictly decreasing with slope at most -1 period everywhere, so a Halley iteration (Newton's
with a second-derivative correction, cubically convergent) [6]_ kept inside a bisection
bracket converges from any start [2]_, and the root is unique by Descartes' rule of signs
(Laguerre's extension to real exponents covers dated flows) [3]_. Started by a Halley step
from r = 0, where nothing needs discounting, it takes three evaluations of f, f' and f''
(the last one verifying) for typical investment flows. Each evaluation is one ``exp`` pass
and row-by-row dot products, so a row's rate does not depend on the rows solved with it.

Rows whose flows change sign more than once are scanned on a grid of rates with one matrix
product. Two or more sign changes of the NPV on the grid prove several roots. One sign
change brackets a root, which the same Halley iteration refines; the root is then proven
unique by counting the sign changes of the partial sums of the flows discounted at the
bracket's lower end, which bound the number of roots above and below it [4]_ [5]_. Rows
that this test cannot settle fall back to all the roots of the NPV polynomial (periodic
flows) or are reported as unverified (dated flows).

Every returned rate is checked by its NPV residual ``|P - N| / (P + N)``.

References
----------
.. [1] Newton's method in ``ln(1 + r)`` on log present values: the IRR is the rate at which
   the present value of inflows equals that of outflows; Hazen, G. B. (2003), "A new
   perspective on multiple internal rates of return", *The Engineering Economist* 48(1).
.. [2] Press, Teukolsky, Vetterling & Flannery, *Numerical Recipes*, 3rd ed. (2007),
   sec. 9.4, ``rtsafe``: Newton-Raphson safeguarded by bisection.
.. [3] Descartes' rule of signs; for real exponents, Laguerre (1883), as stated in
   Pólya & Szegő, *Problems and Theorems in Analysis II* (1976), Part V, problems 77-80.
.. [4] Norström, C. J. (1972), "A sufficient condition for a unique nonnegative internal
   rate of return", *Journal of Financial and Quantitative Analysis* 7(3), 1835-1839.
.. [5] Pólya & Szegő (1976), Part V, problem 38 (sign changes of partial sums bound the
   zeros in (0, 1)); for dated flows the same bound follows from the variation-diminishing
   property of the Laplace transform, Karlin, *Total Positivity* (1968), ch. 5.
.. [6] Gander, W. (1985), "On Halley's iteration method", *The American Mathematical
   Monthly* 92(2), 131-134.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from typing import Any, NamedTuple

import numpy as np

from econ.finance._arrays import Flows, NanPolicy, as_flows, as_rates, describe_rows, nonfinite_rows
from econ.finance._dates import year_fractions
from econ.finance.errors import RootStatus, UndefinedResultError

_RESIDUAL_TOL = 1e-9  # accepted |P - N| / (P + N) at the returned rate
_X_TOL = 1e-14  # Newton step small enough to stop [ln(1 + r)]
_F_TOL = 1e-14  # |ln P - ln N| small enough to stop
_MAX_ITER = 200
_GRID_X = (np.log(0.1), np.log(10.0))  # non-conventional rows: r in (-90 %, +900 %) per period
_GRID_POINTS = 97
_MAX_EXPONENT = 600.0  # keep exp() finite: |x| * time span <= this on the grid, else discount factors are shifted
_CHUNK_ROWS = 1024  # rows per task: larger chunks spill the caches, smaller ones pay more Python overhead
_CERTIFY_STEP = 1e-6  # half-width of the interval around a root in which uniqueness is proven [ln(1 + r)]
_STATUS_BY_ROOT_COUNT = {0: RootStatus.NO_ROOT, 1: RootStatus.OK}


class IRRResult(NamedTuple):
    """Rates and the reason for each, returned with ``full_output=True``.

    Attributes
    ----------
    rate : float, ndarray or Series
        The IRR [fraction per period, or per year for ``xirr``]; NaN where undefined.
    status : int, ndarray or Series
        A :class:`~econ.finance.RootStatus` code per row.
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
    with np.errstate(over="ignore"):  # only in the rows redone below
        np.exp(out, out=out)
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
    with np.errstate(divide="ignore", invalid="ignore"):
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
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
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
        with np.errstate(invalid="ignore", over="ignore"):
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
    rows: np.ndarray, t: np.ndarray, out_first: np.ndarray, ends: np.ndarray, scratch: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Roots in x of rows with one sign change; flows are flipped to outflows-first.

    f is then decreasing, so its sign at r = 0 (where nothing needs discounting) gives one
    end of the bracket, and a Halley step from there the start. ``scratch`` is a
    (5, M, T) work array.
    """
    scale = np.maximum(rows.max(axis=1), -rows.min(axis=1))
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


def _roots_beyond_bound(w: np.ndarray, t: np.ndarray) -> np.ndarray:
    """Upper bound on the roots s > 0 of ``sum_k w_k exp(-s t_k)`` (times ascending from t_0).

    Writing the sum as ``s**2 * integral(S2(u) exp(-s u) du)`` with S the step function of the
    partial sums of w and S2 its integral, the number of positive roots is at most the number
    of sign changes of S2, which is piecewise linear: its values at the times, then its
    limiting sign ``sign(S(t_last))`` (Pólya & Szegő, Part V, problems 38 and 80; Karlin 1968).
    Integrating twice rather than once (Norström's test) gives a bound that is never larger
    and is tight for the usual investment-then-refresh flows.
    """
    partial = np.cumsum(w, axis=1)
    gaps = np.diff(np.broadcast_to(t, w.shape), axis=1)
    integral = np.cumsum(partial[:, :-1] * gaps, axis=1)
    tail = np.where(partial[:, -1] != 0, np.sign(partial[:, -1]), integral[:, -1] if integral.shape[1] else 0.0)
    return _sign_changes(np.concatenate([integral, tail[:, None]], axis=1))


def _partial_sum_changes(rows: np.ndarray, t: np.ndarray, x: np.ndarray, center: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """At rate x per row: bounds on the number of roots above and below x, and the NPV there."""
    w = rows * np.exp(-x[:, None] * (t - center))
    above = _roots_beyond_bound(w, t)
    below = _roots_beyond_bound(w[:, ::-1], (np.max(t) - t)[..., ::-1])
    return above, below, w.sum(axis=1)


def _proven_unique(rows: np.ndarray, t: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Whether the root near x is the only one, for each row (a sufficient test).

    With ``lo = x - d`` and ``hi = x + d`` where the NPV changes sign, the root is unique if
    (A) at most one root lies above lo and none below it, (B) none lies above hi and at most
    one below it, or (C) none lies outside (lo, hi) and the NPV is strictly monotone there:
    ``|NPV'(x)| > d * max |NPV''|`` on the interval.
    """
    center = 0.5 * (np.max(t) + np.min(t))
    d = _CERTIFY_STEP * np.maximum(1.0, np.abs(x))
    above_lo, below_lo, npv_lo = _partial_sum_changes(rows, t, x - d, center)
    above_hi, below_hi, npv_hi = _partial_sum_changes(rows, t, x + d, center)
    tc = t - center
    slope = np.einsum("ij,ij->i", rows * tc, np.exp(-x[:, None] * tc))
    curvature = np.einsum("ij,ij->i", np.abs(rows) * tc**2, np.exp(-(x - d)[:, None] * tc) + np.exp(-(x + d)[:, None] * tc))
    bracketed = np.sign(npv_lo) * np.sign(npv_hi) < 0
    case_a = (above_lo <= 1) & (below_lo == 0)
    case_b = (above_hi == 0) & (below_hi <= 1)
    case_c = (above_hi == 0) & (below_lo == 0) & (np.abs(slope) > d * curvature)
    result: np.ndarray = bracketed & (case_a | case_b | case_c)
    return result


def _polynomial_roots(row: np.ndarray) -> np.ndarray:
    """All real rates r > -1 with NPV(r) = 0 for one periodic row, from the NPV polynomial.

    ``NPV = sum_t v_t z**t`` with ``z = 1 / (1 + r)``: the real positive roots z give the
    rates, each polished by Newton steps in z and kept if its NPV residual passes.
    """
    nonzero = np.flatnonzero(row)
    if nonzero.size < 2:
        return np.empty(0)
    coef = row[nonzero[0] : nonzero[-1] + 1]
    z = np.polynomial.polynomial.polyroots(coef)
    scale = np.abs(z)
    z = z[(np.abs(z.imag) <= 1e-7 * np.maximum(1.0, scale)) & (z.real > 0)].real
    deriv = np.polynomial.polynomial.polyder(coef)
    for _ in range(4):
        with np.errstate(divide="ignore", invalid="ignore"):
            step = np.polynomial.polynomial.polyval(z, coef) / np.polynomial.polynomial.polyval(z, deriv)
        z = np.where(np.isfinite(step), z - step, z)
    powers = np.power.outer(z, np.arange(coef.size))
    gross = np.abs(powers * coef).sum(axis=1)
    ok = np.abs(powers @ coef) <= _RESIDUAL_TOL * gross
    rates = np.sort(1.0 / z[ok] - 1.0)
    if rates.size > 1:
        keep = np.concatenate([[True], np.diff(rates) > 1e-9 * np.maximum(1.0, np.abs(rates[1:]))])
        rates = rates[keep]
    return rates


def _solve_rows(rows: np.ndarray, t: np.ndarray, periodic: bool, scratch: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """IRR in x = ln(1 + r) and a status code for each finite row of one chunk.

    ``scratch`` is a work array of shape (5, at least M, T), reused from chunk to chunk: fresh
    memory for each chunk costs more than the arithmetic.
    """
    m = rows.shape[0]
    x = np.full(m, np.nan)
    status = np.full(m, RootStatus.NO_SIGN_CHANGE, dtype=np.int8)
    has_pos, first_pos, last_pos = _first_last(rows > 0)
    has_neg, first_neg, last_neg = _first_last(rows < 0)
    ends = np.stack([_times_at(t, np.minimum(first_pos, first_neg)), _times_at(t, np.maximum(last_pos, last_neg))], axis=1)
    both = has_pos & has_neg
    out_first = both & (last_neg < first_pos)
    conventional = out_first | (both & (last_pos < first_neg))
    if conventional.any():
        idx = slice(None) if conventional.all() else np.flatnonzero(conventional)
        sub = rows[idx]
        root, resid = _solve_conventional(sub, _times_of(t, idx), out_first[idx], ends[idx], scratch[:, : sub.shape[0]])
        x[idx] = root
        status[idx] = np.where(resid <= _RESIDUAL_TOL, RootStatus.OK, RootStatus.NOT_CONVERGED)
    multi = np.flatnonzero(both & ~conventional)
    if multi.size:
        x[multi], status[multi] = _solve_nonconventional(rows[multi], _times_of(t, multi), periodic, ends[multi], scratch)
    return x, status


def _solve_nonconventional(
    rows: np.ndarray, t: np.ndarray, periodic: bool, ends: np.ndarray, scratch: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Grid scan, bracketed Newton and uniqueness certificate for rows with several sign changes."""
    m = rows.shape[0]
    x = np.full(m, np.nan)
    status = np.full(m, RootStatus.NO_ROOT, dtype=np.int8)
    rows = rows / np.abs(rows).max(axis=1)[:, None]
    xs = _grid(t)
    values = _npv_on_grid(rows, t, xs)
    above = values > 0
    crossings = np.count_nonzero(above[:, 1:] != above[:, :-1], axis=1)
    status[crossings >= 2] = RootStatus.MULTIPLE_ROOTS
    one = np.flatnonzero(crossings == 1)
    if one.size:
        k = np.argmax(above[one, 1:] != above[one, :-1], axis=1)
        lo, hi = xs[k], xs[k + 1]
        v_lo, v_hi = values[one, k], values[one, k + 1]
        x0 = lo - v_lo * (hi - lo) / (v_hi - v_lo)
        sub_t = _times_of(t, one)
        work = scratch[:, : one.size]
        split = _split(rows[one], sub_t, np.ones(one.size), ends[one], work[:2])
        root, resid = _newton_bracketed(split, x0, lo, hi, np.where(v_lo > 0, 1.0, -1.0), work[2:])
        unique = _proven_unique(rows[one], sub_t, root)
        x[one] = root
        status[one] = np.where(
            resid > _RESIDUAL_TOL,
            RootStatus.NOT_CONVERGED,
            np.where(unique, RootStatus.OK, RootStatus.UNVERIFIED),
        )
    if periodic:
        for i in np.flatnonzero(status == RootStatus.UNVERIFIED):
            roots = _polynomial_roots(rows[i])
            status[i] = _STATUS_BY_ROOT_COUNT.get(roots.size, RootStatus.MULTIPLE_ROOTS)
            x[i] = np.log1p(roots[0]) if roots.size == 1 else np.nan
    return x, status


def _solve(rows: np.ndarray, t: np.ndarray, periodic: bool) -> tuple[np.ndarray, np.ndarray]:
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
            x[sel], status[sel] = _solve_rows(rows[sel], t if t.ndim == 1 else t[sel], periodic, scratch)

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
    with np.errstate(over="ignore"):
        rate = np.expm1(np.where(status == RootStatus.OK, x, 0.0))
    status = np.where((status == RootStatus.OK) & ~np.isfinite(rate), RootStatus.NOT_CONVERGED, status)
    rate = np.where(status == RootStatus.OK, rate, np.nan)
    if strict:
        failed = [(code, np.flatnonzero(status == code)) for code in RootStatus if code not in (RootStatus.OK, RootStatus.INVALID_INPUT)]
        reasons = [f"{code.name.lower().replace('_', ' ')} in {describe_rows(r, status.size)}" for code, r in failed if r.size]
        if reasons:
            msg = f"{name}: the rate is undefined: " + "; ".join(reasons) + ". Pass strict=False to get NaN instead."
            raise UndefinedResultError(msg)
    if full_output:
        return IRRResult(flows.wrap(rate, name), flows.wrap(status.astype(np.int8), "status"))
    return flows.wrap(rate, name)


def _irr_of(flows: Flows, t: np.ndarray, periodic: bool, nan_policy: str) -> tuple[np.ndarray, np.ndarray]:
    bad = nonfinite_rows(flows.rows, "values", nan_policy)
    if not bad.any():
        return _solve(flows.rows, t, periodic)
    good = np.flatnonzero(~bad)
    x = np.full(bad.size, np.nan)
    status = np.full(bad.size, RootStatus.INVALID_INPUT, dtype=np.int8)
    x[good], status[good] = _solve(flows.rows[good], _times_of(t, good), periodic)
    return x, status


def irr(values: Any, *, strict: bool = False, nan_policy: NanPolicy = "raise", full_output: bool = False) -> Any:
    """Internal rate of return of periodic cash flows, one rate per series, no Python loop.

    The IRR is the rate r > -1 at which ``sum_t values[t] / (1 + r) ** t = 0`` (first value
    at t = 0). It is returned only where it exists and is unique; see the module notes for
    the method and its proofs.

    Parameters
    ----------
    values : array_like, Series or DataFrame, shape (..., T)
        Cash flows [currency], time on the last axis; money out negative. A DataFrame
        holds one series per row.
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
        IRR [fraction per period], NaN where it is undefined: no sign change, more than one
        root, no root (non-conventional rows are searched between -90 % and +900 % per
        period, narrower for very long series), or no verified convergence.

    Notes
    -----
    Non-conventional rows whose uniqueness the partial-sum test cannot prove are settled by
    the roots of the NPV polynomial, one row at a time; this is rare and slower.

    References
    ----------
    .. [1] See the module docstring; the definition is that of numpy-financial ``irr`` and
       Excel ``IRR``.

    Examples
    --------
    >>> round(irr([-100, 39, 59, 55, 20]), 5)
    0.28095
    >>> irr([[-100, 39, 59, 55, 20], [-1600, 10_000, -10_000, 0, 0]]).round(5).tolist()
    [0.28095, nan]
    """
    flows = as_flows(values)
    t = np.arange(flows.n_periods, dtype=np.float64)
    x, status = _irr_of(flows, t, True, nan_policy)
    return _finish(flows, x, status, "irr", strict, full_output)


def xirr(values: Any, dates: Any, *, strict: bool = False, nan_policy: NanPolicy = "raise", full_output: bool = False) -> Any:
    """Internal rate of return of dated cash flows (Excel's ``XIRR`` convention).

    Solves ``sum_i values[i] / (1 + r) ** ((dates[i] - dates[0]) / 365) = 0`` for the annual
    rate r, by the method of :func:`irr` with times in years.

    Parameters
    ----------
    values : array_like, Series or DataFrame, shape (..., T)
        Cash flows [currency], money out negative.
    dates : array_like of dates, shape (T,) or the shape of ``values``
        Payment dates; actual/365 from the first date, which no date may precede. Dates
        need not be sorted.
    strict, nan_policy, full_output
        As in :func:`irr`.

    Returns
    -------
    float, ndarray or Series
        IRR [fraction per year]; NaN where undefined. Non-conventional rows whose single
        root cannot be proven unique get NaN with status ``UNVERIFIED``.

    References
    ----------
    .. [1] Microsoft, "XIRR function", Excel documentation.

    Examples
    --------
    >>> dates = ["2008-01-01", "2008-03-01", "2008-10-30", "2009-02-15", "2009-04-01"]
    >>> round(xirr([-10_000, 2_750, 4_250, 3_250, 2_750], dates), 6)
    0.373363
    """
    flows = as_flows(values)
    years = year_fractions(dates, flows.rows.shape)
    order = np.argsort(years, axis=-1, kind="stable")
    if years.ndim == 1:
        flows = Flows(flows.rows[:, order], flows.lead_shape, flows.index, flows.from_series)
        years = years[order]
    else:
        rows = np.take_along_axis(flows.rows, order, axis=1)
        flows = Flows(rows, flows.lead_shape, flows.index, flows.from_series)
        years = np.take_along_axis(years, order, axis=1)
    x, status = _irr_of(flows, years, False, nan_policy)
    return _finish(flows, x, status, "xirr", strict, full_output)


def irr_roots(values: Any) -> np.ndarray:
    """All rates r > -1 at which the NPV of one periodic cash-flow series is zero.

    For the caller who wants every root of a non-conventional series (where :func:`irr`
    returns NaN because the IRR is ambiguous).

    Parameters
    ----------
    values : array_like, shape (T,)
        One series of cash flows [currency], first value at t = 0.

    Returns
    -------
    ndarray
        The real roots, sorted ascending [fraction per period]; empty if there is none.

    References
    ----------
    .. [1] The roots are those of the NPV polynomial in z = 1 / (1 + r), found as the
       eigenvalues of its companion matrix (numpy ``polyroots``), as numpy-financial ``irr``
       does, then polished by Newton's method and checked by their NPV residual.
    .. [2] Lorie, J. H. & Savage, L. J. (1955), "Three problems in rationing capital",
       *Journal of Business* 28(4): the pump example with IRRs of 25 % and 400 %.

    Examples
    --------
    >>> irr_roots([-1600, 10_000, -10_000]).round(6).tolist()
    [0.25, 4.0]
    """
    flows = as_flows(values)
    if flows.lead_shape != ():
        msg = f"values: irr_roots takes one series of cash flows [currency] (1-D); got shape {(*flows.lead_shape, flows.n_periods)}"
        raise ValueError(msg)
    nonfinite_rows(flows.rows, "values", "raise")
    row = flows.rows[0]
    scale = np.abs(row).max()
    return _polynomial_roots(row / scale) if scale > 0 else np.empty(0)


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
        MIRR [fraction per period].

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
    (fin,), _ = as_rates(finance_rate, "finance_rate")
    (rein,), _ = as_rates(reinvest_rate, "reinvest_rate")
    bad = nonfinite_rows(flows.rows, "values", nan_policy)
    t = np.arange(flows.n_periods, dtype=np.float64)
    rows = np.where(bad[:, None], 0.0, flows.rows)
    fv_in = np.maximum(rows, 0.0) @ np.exp(np.log1p(rein) * (t[-1] - t))
    pv_out = np.minimum(rows, 0.0) @ np.exp(-np.log1p(fin) * t)
    undefined = ~bad & ((fv_in == 0) | (pv_out == 0) | (flows.n_periods < 2))
    if strict and undefined.any():
        msg = (
            f"mirr: undefined (needs at least one inflow, one outflow and two periods) in "
            f"{describe_rows(np.flatnonzero(undefined), undefined.size)}. Pass strict=False to get NaN."
        )
        raise UndefinedResultError(msg)
    with np.errstate(divide="ignore", invalid="ignore"):
        result = (fv_in / -pv_out) ** (1.0 / (flows.n_periods - 1)) - 1.0
    return flows.wrap(np.where(undefined | bad, np.nan, result), "mirr")
