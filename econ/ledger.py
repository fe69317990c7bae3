"""Where the owned program's cash flows go: month by month, or straight to their present value.

:func:`econ.build.owned_costs` states every flow as events on the monthly timeline
(:mod:`econ.timeline`): an amount paid at a month (:meth:`Monthly.at`), a rate that switches
on at a month and runs to the horizon, times an index such as inflation (:meth:`Monthly.step`),
an amount spread evenly over months (:meth:`Monthly.spread`). A :class:`Monthly` ledger puts
them in (n, months) arrays, what a report shows month by month; a :class:`PresentValue`
ledger sums them straight into their present value at given discount factors, shape (n,),
without the monthly arrays: what a Monte Carlo needs, at a fraction of the work.

The two agree to rounding because a present value is linear in the flows. An amount ``A``
at month ``a`` is worth ``A d_a``; a rate ``r`` from month ``a`` times an index ``I`` is worth
``r sum_{m >= a} I_m d_m``, the tail sum of ``I d`` at ``a`` (the value of a growing annuity
deferred to ``a``; Brealey, Myers & Allen, *Principles of Corporate Finance*, 13th ed., 2020,
ch. 2), computed once per index and looked up for every event. A tax flow whose loss is carried
forward (:func:`econ.tax.carry_forward`) is discounted at :func:`carried_factors`.

Events follow :mod:`econ.timeline`: whole months, and those outside ``1 .. months`` are dropped.
"""

from __future__ import annotations

import numpy as np

from econ.kernels import present_events, present_rows, tail_sums
from econ.timeline import scatter, scatter_rows, step


class Monthly:
    """A ledger of monthly flows: each event becomes an (n, months) array [USD/month].

    Examples
    --------
    >>> book = Monthly(1, 4)
    >>> book.at(np.array([[2.0]]), np.array([[5.0]])).tolist()
    [[0.0, 5.0, 0.0, 0.0]]
    >>> book.step(np.array([[3.0]]), np.array([[1.0]]), np.array([[1.0, 1.0, 2.0, 4.0]])).tolist()
    [[0.0, 0.0, 2.0, 4.0]]
    """

    def __init__(self, n: int, months: int) -> None:
        self.n, self.months = int(n), int(months)

    def zero(self) -> np.ndarray:
        """No flow, shape (n, months)."""
        return np.zeros((self.n, self.months))

    def at(self, at: np.ndarray, amount: np.ndarray) -> np.ndarray:
        """Amounts paid at whole event months (:func:`econ.timeline.scatter`), shape (n, months)."""
        return scatter(self.months, at, amount)

    def rows(self, rows: np.ndarray, at: np.ndarray, amount: np.ndarray) -> np.ndarray:
        """Amounts paid at whole months, each into its given draw (:func:`econ.timeline.scatter_rows`), shape (n, months)."""
        return scatter_rows(self.months, self.n, rows, at, amount)

    def step(self, at: np.ndarray, rate: np.ndarray, index: np.ndarray | None = None) -> np.ndarray:
        """Rates switched on at whole event months and kept, times ``index`` (n, months) if given, shape (n, months)."""
        level = step(self.months, at, rate)
        return level if index is None else level * index

    def spread(self, start: np.ndarray, end: np.ndarray, total: np.ndarray) -> np.ndarray:
        """``total`` spread evenly over months ``start + 1 .. end``; a zero-length window pays it all at ``max(end, 1)``."""
        return _spread(self, start, end, total)


class PresentValue:
    """A ledger of present values: each event is summed into its value at ``factors`` [USD], shape (n,).

    Parameters
    ----------
    factors : numpy.ndarray
        Discount factor of each month's end, shape (n, months) (e.g.
        :func:`econ.strategies.discount_factors_monthly`).

    Tail sums are kept per index for the ledger's life, so one ledger passed to several
    strategies of the same draws (:func:`econ.strategies.run_strategy`) computes those of their
    shared indices (inflation, rent escalation: :meth:`econ.inputs.Inputs.growth`) once.

    Examples
    --------
    The same events as :class:`Monthly`'s, discounted at 1 % a month:

    >>> d = 1.01 ** -np.arange(1.0, 5.0)[None, :]
    >>> book = PresentValue(d)
    >>> bool(np.isclose(book.at(np.array([[2.0]]), np.array([[5.0]]))[0], 5.0 / 1.01**2))
    True
    >>> at, rate, index = np.array([[3.0]]), np.array([[1.0]]), np.array([[1.0, 1.0, 2.0, 4.0]])
    >>> bool(np.isclose(book.step(at, rate, index)[0], (Monthly(1, 4).step(at, rate, index) * d).sum()))
    True
    """

    def __init__(self, factors: np.ndarray) -> None:
        self.factors = np.ascontiguousarray(factors, dtype=float)
        self.n, self.months = self.factors.shape
        self._tails: dict[int | None, tuple[object, np.ndarray]] = {}
        self._carried: dict[int, PresentValue] = {}

    def zero(self) -> np.ndarray:
        """No flow, shape (n,)."""
        return np.zeros(self.n)

    def at(self, at: np.ndarray, amount: np.ndarray) -> np.ndarray:
        """Present value of amounts paid at whole event months, shape (n,)."""
        return self._value(self.factors, at, amount)

    def rows(self, rows: np.ndarray, at: np.ndarray, amount: np.ndarray) -> np.ndarray:
        """Present value of amounts paid at whole months, each into its given draw, shape (n,)."""
        at = np.asarray(at, dtype=float)
        row, month, worth = (np.ascontiguousarray(np.broadcast_to(a, at.shape)).ravel() for a in (rows, at, amount))
        value: np.ndarray = present_rows(row.astype(np.int64), month, worth.astype(float), self.factors)
        return value

    def step(self, at: np.ndarray, rate: np.ndarray, index: np.ndarray | None = None) -> np.ndarray:
        """Present value of rates switched on at whole event months and kept, times ``index`` if given, shape (n,)."""
        return self._value(self._tail(index), at, rate)

    def spread(self, start: np.ndarray, end: np.ndarray, total: np.ndarray) -> np.ndarray:
        """Present value of ``total`` spread evenly over months ``start + 1 .. end`` (:meth:`Monthly.spread`), shape (n,)."""
        return _spread(self, start, end, total)

    def carried(self, until_month: float) -> PresentValue:
        """The ledger of tax flows whose losses are carried forward to ``until_month`` (:func:`carried_factors`).

        This ledger itself when nothing is carried; otherwise one kept with this ledger, so that
        strategies sharing this ledger share that one's tail sums too.
        """
        carried = min(int(until_month), self.months)
        if carried <= 1:
            return self
        if carried not in self._carried:
            self._carried[carried] = PresentValue(carried_factors(self.factors, until_month))
        return self._carried[carried]

    def _tail(self, index: np.ndarray | None) -> np.ndarray:
        """``sum_{m >= t} I_m d_m`` at column ``t - 1``, shape (n, months), kept per index (holding the index keeps its id its own)."""
        key = None if index is None else id(index)
        if key not in self._tails:
            values = self.factors if index is None else np.ascontiguousarray(np.broadcast_to(index, self.factors.shape), dtype=float)
            self._tails[key] = (index, tail_sums(values, self.factors, index is not None))
        return self._tails[key][1]

    def _value(self, table: np.ndarray, at: np.ndarray, amount: np.ndarray) -> np.ndarray:
        """``sum_k amount_k table[t_k - 1]`` over each draw's events within the horizon, shape (n,) (compiled)."""
        at = np.asarray(at, dtype=float)
        when = np.ascontiguousarray(at.reshape(self.n, -1))
        worth = np.ascontiguousarray(np.broadcast_to(amount, at.shape), dtype=float).reshape(self.n, -1)
        value: np.ndarray = present_events(table, when, worth)
        return value


def carried_factors(factors: np.ndarray, until_month: float) -> np.ndarray:
    """Discount factors of tax flows whose losses are carried forward to ``until_month`` (:func:`econ.tax.carry_forward`).

    A flow of month ``t <= until_month`` is paid in ``until_month``, so it is worth the factor
    of that month: ``sum_t carry_forward(f)_t d_t = sum_t f_t d'_t`` with ``d'_t = d_max(t, until)``.

    Parameters
    ----------
    factors : numpy.ndarray
        Discount factor of each month's end, shape (n, months).
    until_month : float
        First month in which deductions can be used [months]; 0 for none carried.

    Returns
    -------
    numpy.ndarray
        Shape (n, months): ``factors`` itself when nothing is carried.

    Examples
    --------
    Flows of 1, 2, 3 and 4 with losses carried to month 3 are paid 0, 0, 6 and 4:

    >>> flow, d = np.array([[1.0, 2.0, 3.0, 4.0]]), np.array([[0.9, 0.8, 0.7, 0.6]])
    >>> carried_factors(d, 3).tolist()
    [[0.7, 0.7, 0.7, 0.6]]
    >>> bool(np.isclose((flow * carried_factors(d, 3)).sum(), 6 * 0.7 + 4 * 0.6))
    True
    """
    m = min(int(until_month), factors.shape[1])
    if m <= 1:
        return factors
    out = factors.copy()
    out[:, : m - 1] = factors[:, m - 1 : m]
    return out


Ledger = Monthly | PresentValue
"""Either ledger: the owned program is written once against their common methods."""


def _spread(ledger: Ledger, start: np.ndarray, end: np.ndarray, total: np.ndarray) -> np.ndarray:
    """``total`` spread evenly over months ``start + 1 .. end`` as two steps of its monthly rate, in ``ledger``."""
    start, end = np.asarray(start, dtype=float), np.asarray(end, dtype=float)
    length = end - start
    rate = np.where(length > 0, total / np.where(length > 0, length, 1.0), 0.0)
    level = ledger.step(np.maximum(start + 1, 1), rate) - ledger.step(np.maximum(end + 1, 1), rate)
    flow: np.ndarray = level + ledger.at(np.maximum(end, 1), np.where(length > 0, 0.0, total))
    return flow
