"""Dates to year fractions for dated cash flows (Excel's actual/365 convention).

What is read as a date, and how:

- ``datetime.date``, ``datetime.datetime``, pandas ``Timestamp``, numpy ``datetime64`` (any
  unit), pandas datetime Series, Index and DataFrame columns, and ISO 8601 strings
  (``"2026-01-31"``, ``"2026-01-31T09:30"``, ``"2026-01-31T09:30+02:00"``, as read by
  :meth:`datetime.datetime.fromisoformat`).
- A date with a time of day counts as its calendar date: Excel truncates date serial
  numbers to whole days [1]_.
- A timezone-aware timestamp counts as its calendar date *in its own time zone* (its local
  wall-clock date), as a spreadsheet shows it; it is not converted to UTC first. So
  ``2026-01-01 00:30+01:00`` is 1 January 2026 (in UTC it would still be 31 December).
- Numbers are not dates: integers, floats, booleans, an integer ``RangeIndex``, numeric
  strings such as ``"45000"``, bytes and ``timedelta64`` raise a ``TypeError`` naming
  ``dates`` (a day count needs an epoch the caller must state: Excel's 1900 and 1904
  systems and Unix time differ). pandas ``Period`` values raise too: whether a period
  stands for its first or last day is the caller's choice (``.to_timestamp(how=...)``).
- Missing dates (``None``, ``NaT``, NaN) and dates outside 0001-01-01 to 9999-12-31 (the
  range of :class:`datetime.date`) raise a ``ValueError``. Partial dates such as
  ``"2026-01"`` are not accepted from strings.

References
----------
.. [1] Microsoft, "XNPV function" and "XIRR function", Excel documentation: "Numbers in
   dates are truncated to integers"; payments are discounted by (d_i - d_1) / 365 years.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd

from econ.finance._arrays import show

DAYS_PER_YEAR = 365.0
_EPOCH = dt.date(1970, 1, 1).toordinal()
_FIRST_DAY = dt.date.min.toordinal() - _EPOCH  # 0001-01-01, in days since 1970-01-01
_LAST_DAY = dt.date.max.toordinal() - _EPOCH  # 9999-12-31
_ALLOWED = (
    "dates: must be calendar dates (datetime.date, datetime, pandas Timestamp, numpy datetime64 or ISO 8601 strings such as '2026-01-31')"
)
_KIND_NAMES = {"b": "booleans", "i": "integers", "u": "integers", "f": "floats", "c": "complex numbers", "m": "durations (timedelta64)"}


def _missing(value: Any) -> ValueError:
    return ValueError(f"dates: missing dates (NaT, None or NaN) are not allowed; got {show(value)}")


def _out_of_range(value: Any) -> ValueError:
    return ValueError(f"dates: must lie between 0001-01-01 and 9999-12-31 (the range of datetime.date); got {show(value)}")


def _datetime64_days(arr: np.ndarray) -> np.ndarray:
    """Whole days since 1970-01-01 (int64) of a datetime64 array of any unit, floored."""
    if np.isnat(arr).any():
        raise _missing(arr[np.isnat(arr)][0])
    unit = np.datetime_data(arr.dtype)[0]
    if unit in ("Y", "M", "W"):  # coarser than days: check the range before casting (it could wrap)
        first = np.array([dt.date.min.isoformat()], dtype="datetime64[D]").astype(arr.dtype)[0]
        last = np.array([dt.date.max.isoformat()], dtype="datetime64[D]").astype(arr.dtype)[0]
        outside = (arr < first) | (arr > last)
        if outside.any():
            raise _out_of_range(arr[outside][0])
    if unit in ("fs", "as"):  # no int64 conversion factor to days: floor-divide exact Python ints
        per_day = 86_400 * 10 ** (15 if unit == "fs" else 18)
        ticks = arr.astype(np.int64).astype(object) * np.datetime_data(arr.dtype)[1]
        days = (ticks // per_day).astype(np.int64)
    else:
        days = arr.astype("datetime64[D]").astype(np.int64)
    outside = (days < _FIRST_DAY) | (days > _LAST_DAY)
    if outside.any():
        raise _out_of_range(arr[outside][0])
    result: np.ndarray = days
    return result


def _parse(text: str) -> dt.date:
    try:
        return dt.datetime.fromisoformat(text).date()
    except ValueError as err:
        msg = f"dates: could not read {text!r} as an ISO 8601 date such as '2026-01-31' ({err})"
        raise ValueError(msg) from err


def _element_day(value: Any) -> int:
    """Days since 1970-01-01 of one date given as an object (see the module docstring)."""
    if value is None or value is pd.NaT or (isinstance(value, float) and np.isnan(value)):
        raise _missing(value)
    if isinstance(value, np.datetime64):
        return int(_datetime64_days(np.asarray(value).reshape(1))[0])
    if isinstance(value, str):
        value = _parse(value)
    if isinstance(value, dt.datetime):  # aware or naive: its own wall-clock date
        value = value.date()
    if isinstance(value, dt.date):
        return value.toordinal() - _EPOCH
    msg = f"{_ALLOWED}; got {show(value)} (numbers are not read as dates: say which epoch by converting them)"
    raise TypeError(msg)


def _pandas_days(dates: pd.Series | pd.Index) -> np.ndarray:
    """Days of a pandas Series or Index: datetime dtypes directly (aware ones on their local dates)."""
    if isinstance(dates.dtype, pd.DatetimeTZDtype):  # wall-clock (local) times, then their dates
        dates = dates.dt.tz_localize(None) if isinstance(dates, pd.Series) else pd.DatetimeIndex(dates).tz_localize(None)
    return _array_days(np.asarray(dates.to_numpy()), dates)


def _array_days(arr: np.ndarray, original: Any) -> np.ndarray:
    """Days of a numpy array: datetime64 directly, strings and objects one by one."""
    kind = arr.dtype.kind
    if kind == "M":
        return _datetime64_days(arr)
    if kind in "OU":
        return np.array([_element_day(v) for v in arr.ravel()], dtype=np.int64).reshape(arr.shape)
    what = _KIND_NAMES.get(kind, f"values of dtype {arr.dtype}")
    msg = f"{_ALLOWED}; got {show(original)}, holding {what} (numbers are not read as dates: say which epoch by converting them)"
    raise TypeError(msg)


def as_days(dates: Any) -> np.ndarray:
    """Whole days since 1970-01-01 (int64) of each date, in the shape given.

    Raises
    ------
    TypeError
        If the dates are not dates (numbers, bytes, periods, durations, other objects).
    ValueError
        If a date is missing, out of range, an unreadable string, or the nesting is ragged.
    """
    if dates is None or isinstance(dates, (str, bytes, bytearray, dict, set, frozenset)):
        msg = f"{_ALLOWED}, one per cash flow in a sequence; got {show(dates)}"
        raise TypeError(msg)
    if isinstance(dates, pd.DataFrame):
        if dates.shape[1] == 0:
            return np.empty(dates.shape, dtype=np.int64)
        return np.stack([_pandas_days(dates.iloc[:, j]) for j in range(dates.shape[1])], axis=1)
    if isinstance(dates, (pd.Series, pd.Index)):
        return _pandas_days(dates)
    try:
        arr = np.array(dates, dtype=object) if isinstance(dates, (list, tuple)) else np.asarray(dates)
    except Exception as err:  # ragged nesting, objects whose __array__ fails, too many dimensions
        msg = f"{_ALLOWED}, in rows of equal length; got {show(dates)} ({err})"
        raise ValueError(msg) from err
    if arr.dtype.kind == "O":  # nested lists of dates, or a list mixing kinds
        nested = [v for v in arr.ravel() if isinstance(v, (list, tuple, np.ndarray))]
        if nested:
            msg = f"{_ALLOWED}, in rows of equal length; got {show(dates)}, holding {show(nested[0])}"
            raise ValueError(msg)
    return _array_days(arr, dates)


def year_fractions(dates: Any, shape: tuple[int, ...]) -> np.ndarray:
    """Years from the first date, ``(d - d_0).days / 365``, for flows of 2-D ``shape`` (M, T).

    Parameters
    ----------
    dates : array_like of dates, shape (T,) or (M, T)
        ``datetime.date``, ``datetime.datetime``, numpy ``datetime64``, pandas
        ``Timestamp`` or ISO 8601 strings; see the module docstring for what is accepted.
    shape : tuple of int
        The (M, T) shape of the cash-flow rows the dates belong to.

    Returns
    -------
    ndarray
        Shape (T,) for shared dates or (M, T) for one row of dates per series [years].

    Raises
    ------
    TypeError
        If the dates are numbers or other objects that are not dates.
    ValueError
        If the dates cannot be parsed, are missing or out of range, do not match the
        flows, or precede the first date.

    References
    ----------
    .. [1] Microsoft, "XNPV function" and "XIRR function", Excel documentation: payments
       are discounted by (d_i - d_1) / 365 years; dates before the first are an error.
    """
    days = as_days(dates)
    n_rows, n_periods = shape
    if days.shape not in ((n_periods,), (n_rows, n_periods)):
        msg = f"dates: need one date per cash flow, shape ({n_periods},) or {shape}; got shape {days.shape}"
        raise ValueError(msg)
    offsets = days - days[..., :1]
    if (offsets < 0).any():
        msg = "dates: no date may precede the first date of its series (Excel returns #NUM! there)"
        raise ValueError(msg)
    years: np.ndarray = offsets / DAYS_PER_YEAR
    return years
