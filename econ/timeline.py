"""The monthly model timeline and the scatter helpers that place events on it.

Month ``m = 1..M`` ends ``m`` months after the decision date; array column ``m - 1`` holds
the cash of month ``m`` (end-of-month convention, design.md "Time"). Event months are whole
months: a task finishing 30.2 months after t = 0 is available at the end of month 31.
Events that fall after the horizon are dropped from the cash-flow arrays (they are outside
the model) and events before month 1 are moved to month 1.
"""

from __future__ import annotations

import numpy as np

HOURS_PER_MONTH = 8760.0 / 12.0
"""Hours in an average month [h] (365-day year)."""


def year_of_month(months: int) -> np.ndarray:
    """Time of each month's end in years, ``m / 12`` for m = 1..months, shape (months,)."""
    return np.arange(1, months + 1) / 12.0


def event_month(months_from_start: np.ndarray) -> np.ndarray:
    """Round event times [months, float] up to whole months, at least 1."""
    return np.maximum(np.ceil(np.asarray(months_from_start) - 1e-9), 1.0)


def scatter(months: int, at: np.ndarray, amount: np.ndarray) -> np.ndarray:
    """Sum amounts into an (n, months) array at whole event months.

    Parameters
    ----------
    months : int
        Horizon [months].
    at : numpy.ndarray
        Event months (whole numbers >= 1), shape (n, ...).
    amount : numpy.ndarray
        Amounts, broadcastable to ``at``.

    Returns
    -------
    numpy.ndarray
        Shape (n, months); events after month ``months`` are dropped.
    """
    at = np.asarray(at, dtype=float)
    n = at.shape[0]
    return scatter_rows(months, n, np.arange(n).reshape((n,) + (1,) * (at.ndim - 1)), at, amount)


def scatter_rows(months: int, n: int, rows: np.ndarray, at: np.ndarray, amount: np.ndarray) -> np.ndarray:
    """Sum amounts into an (n, months) array at whole event months, each into its given row.

    :func:`scatter` with the rows stated: ``rows`` and ``amount`` broadcast to ``at``, so a
    caller can pass only the events that happen. Amounts meeting in one cell are added in
    the order of ``at`` (row-major), as :func:`numpy.bincount` does.

    Examples
    --------
    >>> scatter_rows(3, 2, np.array([1, 1, 0]), np.array([1.0, 1.0, 3.0]), np.array([2.0, 5.0, 1.0])).tolist()
    [[0.0, 0.0, 1.0], [7.0, 0.0, 0.0]]
    """
    at = np.asarray(at, dtype=float)
    amount = np.broadcast_to(amount, at.shape)
    rows = np.broadcast_to(rows, at.shape)
    inside = (at >= 1) & (at <= months)
    flat = rows[inside] * months + at[inside].astype(np.int64) - 1
    summed: np.ndarray = np.bincount(flat, weights=amount[inside], minlength=n * months).astype(float, copy=False)
    return summed.reshape(n, months)


def step(months: int, at: np.ndarray, amount: np.ndarray) -> np.ndarray:
    """Level switched on at an event month and kept: ``sum amount * (m >= at)``, shape (n, months)."""
    return np.cumsum(scatter(months, at, amount), axis=1)


def growth(rate_annual: np.ndarray, months: int) -> np.ndarray:
    """Escalation index ``(1 + rate) ** (m / 12)`` at each month end, shape (n, months)."""
    index: np.ndarray = np.power.outer(1.0 + np.asarray(rate_annual, dtype=float), year_of_month(months))
    return index
