"""Dates to year fractions for dated cash flows (Excel's actual/365 convention)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

DAYS_PER_YEAR = 365.0


def year_fractions(dates: Any, shape: tuple[int, ...]) -> np.ndarray:
    """Years from the first date, ``(d - d_0).days / 365``, for flows of 2-D ``shape`` (M, T).

    Parameters
    ----------
    dates : array_like of dates, shape (T,) or (M, T)
        ``datetime.date``, numpy ``datetime64``, pandas ``Timestamp`` or ISO date strings.
    shape : tuple of int
        The (M, T) shape of the cash-flow rows the dates belong to.

    Returns
    -------
    ndarray
        Shape (T,) for shared dates or (M, T) for one row of dates per series [years].

    Raises
    ------
    ValueError
        If the dates cannot be parsed, do not match the flows, or precede the first date.

    References
    ----------
    .. [1] Microsoft, "XNPV function" and "XIRR function", Excel documentation: payments
       are discounted by (d_i - d_1) / 365 years; dates before the first are an error.
    """
    try:
        if isinstance(dates, (pd.Series, pd.Index, pd.DataFrame)):
            days = np.asarray(pd.to_datetime(np.asarray(dates).ravel()).to_numpy().astype("datetime64[D]"))
            days = days.reshape(np.shape(dates))
        else:
            days = np.asarray(dates, dtype="datetime64[D]")
    except (TypeError, ValueError) as err:
        msg = f"dates: could not read as calendar dates (dates, datetime64, Timestamps or ISO strings): {err}"
        raise ValueError(msg) from err
    n_rows, n_periods = shape
    if days.shape not in ((n_periods,), (n_rows, n_periods)) and days.shape != shape:
        msg = f"dates: need one date per cash flow, shape ({n_periods},) or {shape}; got shape {days.shape}"
        raise ValueError(msg)
    if np.isnat(days).any():
        msg = "dates: missing dates (NaT) are not allowed"
        raise ValueError(msg)
    offsets = (days - days[..., :1]).astype(np.float64)
    if (offsets < 0).any():
        msg = "dates: no date may precede the first date of its series (Excel returns #NUM! there)"
        raise ValueError(msg)
    years: np.ndarray = offsets / DAYS_PER_YEAR
    return years
