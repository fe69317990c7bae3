"""Input coercion, validation and output wrapping shared by the finance kernels.

Every kernel accepts scalars, lists, ndarrays, pandas Series and DataFrames and returns the
matching kind. Cash flows always have time on the last axis; a DataFrame holds one cash-flow
series per row (columns are periods), so its results are indexed by the DataFrame's index.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

NanPolicy = Literal["raise", "propagate"]
_NAN_POLICIES = ("raise", "propagate")
_MAX_LISTED = 5


def describe_rows(rows: np.ndarray, total: int) -> str:
    """Name up to five offending row positions and how many there are in all."""
    shown = ", ".join(str(int(i)) for i in rows[:_MAX_LISTED])
    more = ", ..." if rows.size > _MAX_LISTED else ""
    return f"rows [{shown}{more}] ({rows.size} of {total})"


def check_nan_policy(nan_policy: str) -> None:
    """Reject an unknown ``nan_policy`` with the allowed values."""
    if nan_policy not in _NAN_POLICIES:
        msg = f"nan_policy: must be one of {_NAN_POLICIES}; got {nan_policy!r}"
        raise ValueError(msg)


@dataclass(frozen=True)
class Flows:
    """Cash flows as a 2-D float array of rows, with what is needed to wrap results.

    Attributes
    ----------
    rows : ndarray, shape (M, T)
        One cash-flow series per row, time on the last axis [currency].
    lead_shape : tuple of int
        Shape of the input without its time axis (``()`` for a single series).
    index : pandas.Index or None
        Row labels when the input was a DataFrame.
    """

    rows: np.ndarray
    lead_shape: tuple[int, ...]
    index: pd.Index | None
    from_series: bool = False

    @property
    def n_periods(self) -> int:
        """Number of periods T on the time axis."""
        return int(self.rows.shape[1])

    def wrap(self, result: np.ndarray, name: str) -> Any:
        """Return a per-row result (shape (M,)) as the kind of the input.

        A single series gives a float, an array gives an array of the lead shape and a
        DataFrame gives a Series named ``name`` on the DataFrame's index.
        """
        if self.index is not None:
            return pd.Series(result, index=self.index, name=name)
        if self.lead_shape == ():
            return result[0].item()
        return result.reshape(self.lead_shape)

    def wrap_by_rate(self, result: np.ndarray, rates: np.ndarray, name: str) -> Any:
        """Return a (K, M) result for K rates: rates lead, then the input's kind."""
        rate_index = pd.Index(rates, name="rate")
        if self.index is not None:
            return pd.DataFrame(result, index=rate_index, columns=self.index)
        if self.from_series:
            return pd.Series(result[:, 0], index=rate_index, name=name)
        return result.reshape((len(rates), *self.lead_shape))


def as_flows(values: Any, name: str = "values") -> Flows:
    """Coerce cash flows to a :class:`Flows` of float64 rows, checking shape and type.

    Raises
    ------
    TypeError
        If the values are not numeric.
    ValueError
        If there are no values or no periods.
    """
    index = values.index if isinstance(values, pd.DataFrame) else None
    try:
        arr = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError) as err:
        msg = f"{name}: cash flows [currency] must be numbers in rows of equal length; got {type(values).__name__} ({err})"
        raise TypeError(msg) from err
    if arr.ndim == 0:
        msg = f"{name}: cash flows [currency] must have a time axis (at least 1-D); got the scalar {arr.item()!r}"
        raise ValueError(msg)
    if arr.shape[-1] == 0 or arr.size == 0:
        msg = f"{name}: cash flows [currency] must not be empty; got shape {arr.shape}"
        raise ValueError(msg)
    rows = arr.reshape(-1, arr.shape[-1])
    return Flows(rows=rows, lead_shape=arr.shape[:-1], index=index, from_series=isinstance(values, pd.Series))


def nonfinite_rows(rows: np.ndarray, name: str, nan_policy: str, unit: str = "currency") -> np.ndarray:
    """Return the boolean mask of rows holding NaN or inf; raise under ``nan_policy='raise'``."""
    check_nan_policy(nan_policy)
    bad = ~np.isfinite(rows).all(axis=1)
    if nan_policy == "raise" and bad.any():
        where = describe_rows(np.flatnonzero(bad), rows.shape[0])
        msg = (
            f"{name}: values [{unit}] must be finite; found NaN or inf in {where}. "
            "Pass nan_policy='propagate' to get NaN for those rows instead."
        )
        raise ValueError(msg)
    result: np.ndarray = bad
    return result


def as_rates(rate: Any, name: str = "rate") -> tuple[np.ndarray, bool]:
    """Coerce a per-period rate (scalar or 1-D of K rates) to a float array.

    Returns the rates as shape (K,) and whether the caller passed a vector.

    Raises
    ------
    ValueError
        If a rate is not finite or is at or below -1 (-100 %).
    """
    arr = np.asarray(rate, dtype=np.float64)
    if arr.ndim > 1:
        msg = f"{name}: must be a scalar or a 1-D sequence of rates [fraction per period]; got shape {arr.shape}"
        raise ValueError(msg)
    vector = arr.ndim == 1
    arr = np.atleast_1d(arr)
    if arr.size == 0:
        msg = f"{name}: must hold at least one rate [fraction per period]; got an empty sequence"
        raise ValueError(msg)
    bad = ~np.isfinite(arr) | (arr <= -1.0)
    if bad.any():
        msg = f"{name}: rate [fraction per period] must be finite and greater than -1 (-100 %); got {arr[bad][:_MAX_LISTED].tolist()}"
        raise ValueError(msg)
    return arr, vector
