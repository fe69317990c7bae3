"""Input coercion, validation and output wrapping shared by the finance kernels.

Every kernel accepts scalars, lists, ndarrays, pandas Series and DataFrames and returns the
matching kind. Cash flows always have time on the last axis; a DataFrame holds one cash-flow
series per row (columns are periods), so its results are indexed by the DataFrame's index.

The input contract, enforced here for every public function of :mod:`econ.finance`:

- Amounts, rates and counts must be real numbers: Python ``int``/``float``,
  ``decimal.Decimal``, ``fractions.Fraction``, numpy integer or floating types, or pandas
  numeric columns. Booleans (Python, numpy or pandas), complex numbers, strings (numeric or
  not), bytes, dates, durations, ``None``, dicts, sets and other objects raise a
  ``TypeError`` naming the parameter. Nothing is parsed from text and no value is cast.
- Missing values of pandas nullable columns (``pd.NA``) and masked entries of numpy masked
  arrays become NaN, which the functions' ``nan_policy`` then handles.
- A number beyond the float64 range (a Python ``int`` such as ``10**400``, a ``Decimal`` or
  a ``longdouble``) raises a ``ValueError`` naming the parameter instead of an
  ``OverflowError`` or an infinity.
- No function creates an array of more than :data:`MAX_ELEMENTS` values, and no count of
  periods exceeds :data:`MAX_PERIODS`: beyond, a ``ValueError`` names the parameter
  (instead of a ``MemoryError``).
"""

from __future__ import annotations

import decimal
import numbers
import reprlib
from dataclasses import dataclass
from typing import Any, Literal, TypeGuard

import numpy as np
import pandas as pd

NanPolicy = Literal["raise", "propagate"]
_NAN_POLICIES = ("raise", "propagate")
_MAX_LISTED = 5

#: Most values any finance function creates in one array (800 MB of float64).
MAX_ELEMENTS = 100_000_000
#: Most periods a function given a count of periods generates (8 MB of float64, well
#: under a second; 1,000,000 months is 83,333 years).
MAX_PERIODS = 1_000_000

_REJECTED_KINDS = {
    "b": "booleans",
    "c": "complex numbers",
    "M": "dates (datetime64)",
    "m": "durations (timedelta64)",
    "U": "strings",
    "S": "bytes",
    "V": "structured records",
}
_NOT_ARRAYS = (str, bytes, bytearray, memoryview, dict, set, frozenset)
_REPR = reprlib.Repr()
_REPR.maxstring = 40
_REPR.maxother = 60
_REPR.maxlist = _REPR.maxtuple = _REPR.maxset = _REPR.maxdict = _MAX_LISTED


def show(value: Any, limit: int = 80) -> str:
    """A short description of any value for an error message (type and a truncated repr)."""
    try:
        text = _describe(value)
    except Exception:  # an object whose repr fails still gets an error message naming its type
        text = f"{type(value).__name__} (unprintable)"
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _describe(value: Any) -> str:
    if isinstance(value, (np.ndarray, pd.Series, pd.DataFrame, pd.Index)):
        flat = np.asarray(value, dtype=object).ravel() if not isinstance(value, np.ndarray) else value.ravel()
        head = ", ".join(_REPR.repr(v) for v in flat[:_MAX_LISTED])
        more = ", ..." if flat.size > _MAX_LISTED else ""
        dtype = getattr(value, "dtype", None)
        dtypes = f" of dtype {dtype}" if dtype is not None else ""
        text = f"{type(value).__name__}{dtypes}, shape {np.shape(value)}: [{head}{more}]"
    else:
        text = f"{type(value).__name__} {_REPR.repr(value)}"
    return text


def describe_rows(rows: np.ndarray, total: int) -> str:
    """Name up to five offending row positions and how many there are in all."""
    shown = ", ".join(str(int(i)) for i in rows[:_MAX_LISTED])
    more = ", ..." if rows.size > _MAX_LISTED else ""
    return f"rows [{shown}{more}] ({rows.size} of {total})"


def check_choice(value: Any, name: str, allowed: tuple[str, ...], detail: str = "") -> str:
    """Return ``value`` if it is one of the ``allowed`` strings, else raise a ValueError naming ``name``."""
    if not isinstance(value, str) or value not in allowed:
        what = detail or f"must be one of {allowed}"
        msg = f"{name}: {what}; got {show(value)}"
        raise ValueError(msg)
    return value


def check_nan_policy(nan_policy: Any) -> None:
    """Reject an unknown ``nan_policy`` with the allowed values."""
    check_choice(nan_policy, "nan_policy", _NAN_POLICIES)


def check_flag(value: Any, name: str) -> bool:
    """Return a ``True``/``False`` option as a bool; anything else (1, 'yes', an array) is a TypeError."""
    if not isinstance(value, (bool, np.bool_)):
        msg = f"{name}: must be True or False; got {show(value)}"
        raise TypeError(msg)
    return bool(value)


def check_count(value: Any, name: str, unit: str, maximum: int = MAX_PERIODS) -> int:
    """Return a whole number between 1 and ``maximum`` as an int (Python or numpy integers, not bool)."""
    if not is_integer(value):
        msg = f"{name}: must be a whole number (int) of {unit} from 1 to {maximum:,}; got {show(value)}"
        raise TypeError(msg)
    if not 1 <= value <= maximum:
        msg = f"{name}: must be a whole number of {unit} from 1 to {maximum:,} (the largest series econ.finance creates); got {value!r}"
        raise ValueError(msg)
    return int(value)


def check_size(n_values: int, name: str, what: str) -> None:
    """Refuse to create an array of more than :data:`MAX_ELEMENTS` values (instead of a MemoryError)."""
    if n_values > MAX_ELEMENTS:
        msg = f"{name}: {what} would need {n_values:,} values; at most {MAX_ELEMENTS:,} are allowed in one call"
        raise ValueError(msg)


def broadcast_shape(**arrays: np.ndarray) -> tuple[int, ...]:
    """The common shape of elementwise arguments, or a ValueError naming them and their shapes."""
    shapes = {name: np.shape(a) for name, a in arrays.items()}
    try:
        shape = np.broadcast_shapes(*shapes.values())
    except ValueError as err:
        listed = ", ".join(f"{name} {shape}" for name, shape in shapes.items())
        msg = f"{', '.join(shapes)}: shapes must broadcast against each other (numpy rules); got {listed}"
        raise ValueError(msg) from err
    check_size(int(np.prod(shape, dtype=np.float64)), ", ".join(shapes), f"broadcasting to shape {shape}")
    return shape


# Registered as numbers but not amounts: bool is an int, and numpy's timedelta64 is a
# signed integer type (a duration, whose count depends on its unit).
_NOT_NUMBERS = (bool, np.bool_, np.timedelta64)


def _is_real_type(kind: type) -> bool:
    """Whether values of this Python type are accepted as real numbers (bool and durations are not)."""
    if issubclass(kind, _NOT_NUMBERS):
        return False
    return issubclass(kind, (numbers.Real, decimal.Decimal))


def is_integer(value: Any) -> TypeGuard[int | np.integer[Any]]:
    """Whether ``value`` is a Python or numpy integer (not a bool nor a numpy timedelta64)."""
    return isinstance(value, (int, np.integer)) and not isinstance(value, _NOT_NUMBERS)


def is_real_number(value: Any) -> bool:
    """Whether ``value`` is one real number accepted by :func:`as_real_array` (a scalar)."""
    return _is_real_type(type(value))


def _is_infinite(value: Any) -> bool:
    """Whether an accepted number is itself infinite (as opposed to too large for float64)."""
    if isinstance(value, decimal.Decimal):
        return value.is_infinite()
    if isinstance(value, (float, np.floating)):
        return bool(np.isinf(value))
    return False


def _pandas_array(value: pd.Series | pd.DataFrame | pd.Index, describe: Any) -> np.ndarray:
    """The values of a pandas object: float64 if every column is numeric, else object for checking."""
    dtypes = list(value.dtypes) if isinstance(value, pd.DataFrame) else [value.dtype]
    needs_check = False
    for dtype in dtypes:
        if pd.api.types.is_bool_dtype(dtype) or pd.api.types.is_complex_dtype(dtype):
            raise describe(f"holding {dtype} values")
        if pd.api.types.is_object_dtype(dtype):
            needs_check = True
        elif not pd.api.types.is_numeric_dtype(dtype):
            raise describe(f"holding {dtype} values")
    if needs_check:
        return np.asarray(value.to_numpy(dtype=object))
    return np.asarray(value.to_numpy(dtype=np.float64, na_value=np.nan))


def as_real_array(value: Any, name: str, unit: str, what: str = "values", *, rows: bool = False) -> np.ndarray:
    """Coerce numbers to a float64 array, rejecting everything that is not a real number.

    Parameters
    ----------
    value : Any
        The argument as passed.
    name : str
        The parameter's name, first word of every error message.
    unit : str
        Its unit, shown in brackets.
    what : str
        What the values are (e.g. ``"cash flows"``).
    rows : bool
        Whether the values come in rows (mentioned when a nested list is ragged).

    Returns
    -------
    ndarray
        float64, the shape of the input.

    Raises
    ------
    TypeError
        For anything but real numbers: bool, complex, str (even ``"1.5"``), bytes, dates,
        durations, None, dicts, sets, other objects (see the module docstring).
    ValueError
        For ragged nested sequences and numbers beyond the float64 range.
    """
    layout = " in rows of equal length" if rows else ""
    allowed = f"{name}: {what} [{unit}] must be numbers{layout} (int or float; not bool, complex, str, bytes, dates or None)"

    def describe(detail: str) -> TypeError:
        return TypeError(f"{allowed}; got {show(value)}, {detail}")

    if value is None or isinstance(value, _NOT_ARRAYS):
        raise TypeError(f"{allowed}; got {show(value)}")
    mask = None
    if isinstance(value, (pd.Series, pd.DataFrame, pd.Index)):
        arr = _pandas_array(value, describe)
    else:
        try:
            if isinstance(value, (list, tuple)):
                arr = np.array(value, dtype=object)
            elif isinstance(value, np.ma.MaskedArray):
                arr, mask = np.ma.getdata(value), np.ma.getmaskarray(value)
            else:
                arr = np.asarray(value)
        except Exception as err:  # ragged nesting, objects whose __array__ fails, too many dimensions
            msg = f"{allowed}; got {show(value)}, which is not a rectangular array ({err})"
            raise ValueError(msg) from err
    if arr.dtype.kind in _REJECTED_KINDS:
        raise describe(f"holding {_REJECTED_KINDS[arr.dtype.kind]}")
    if arr.dtype.kind == "O":
        for kind in set(map(type, arr.ravel())):
            if not _is_real_type(kind):
                detail = "a nested sequence whose rows differ in length" if issubclass(kind, (list, tuple, np.ndarray)) else kind.__name__
                raise describe(f"holding {detail}")
    elif arr.dtype.kind not in "iuf":
        raise describe(f"of dtype {arr.dtype}")
    try:
        with np.errstate(over="ignore"):  # checked just below
            out = np.asarray(arr, dtype=np.float64)  # no copy of float64 input
    except (OverflowError, ValueError, decimal.InvalidOperation) as err:
        msg = f"{name}: {what} [{unit}] must be numbers within the float64 range (magnitude below 1.8e308); got {show(value)} ({err})"
        raise ValueError(msg) from err
    if arr.dtype.kind == "O" or arr.dtype.itemsize > 8:  # Decimal, longdouble: may exceed float64
        overflowed = np.isinf(out)
        if overflowed.any():
            source = arr[overflowed]
            finite = ~np.isinf(source) if source.dtype != object else np.array([not _is_infinite(v) for v in source])
            if finite.any():
                shown = show(source[finite][0])
                msg = f"{name}: {what} [{unit}] must be numbers within the float64 range (magnitude below 1.8e308); got {shown}"
                raise ValueError(msg)
    if mask is not None and mask.any():
        out = np.where(mask, np.nan, out)  # a new array: the caller's data stays as it was
    result: np.ndarray = out
    return result


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


def as_flows(values: Any, name: str = "values", unit: str = "currency", what: str = "cash flows") -> Flows:
    """Coerce cash flows to a :class:`Flows` of float64 rows, checking shape and type.

    Raises
    ------
    TypeError
        If the values are not real numbers (see :func:`as_real_array`).
    ValueError
        If there are no values or no periods, or the rows are ragged.
    """
    index = values.index if isinstance(values, pd.DataFrame) else None
    arr = as_real_array(values, name, unit, what, rows=True)
    if arr.ndim == 0:
        msg = f"{name}: {what} [{unit}] must have a time axis (at least 1-D); got the scalar {arr.item()!r}"
        raise ValueError(msg)
    if arr.shape[-1] == 0 or arr.size == 0:
        msg = f"{name}: {what} [{unit}] must not be empty; got shape {arr.shape}"
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


def as_rates(rate: Any, name: str = "rate", unit: str = "fraction per period", *, scalar: bool = False) -> tuple[np.ndarray, bool]:
    """Coerce a rate (scalar or 1-D of K rates) to a float array.

    Returns the rates as shape (K,) and whether the caller passed a vector. With
    ``scalar=True`` only a single rate is accepted (K = 1).

    Raises
    ------
    TypeError
        If a rate is not a real number.
    ValueError
        If a rate is not finite or is at or below -1 (-100 %), or the shape is wrong.
    """
    arr = as_real_array(rate, name, unit, "rate")
    if scalar and arr.ndim != 0:
        msg = f"{name}: must be one rate [{unit}] (a scalar); got shape {arr.shape}: {show(rate)}"
        raise ValueError(msg)
    if arr.ndim > 1:
        msg = f"{name}: must be a scalar or a 1-D sequence of rates [{unit}]; got shape {arr.shape}"
        raise ValueError(msg)
    vector = arr.ndim == 1
    arr = np.atleast_1d(arr)
    if arr.size == 0:
        msg = f"{name}: must hold at least one rate [{unit}]; got an empty sequence"
        raise ValueError(msg)
    bad = ~np.isfinite(arr) | (arr <= -1.0)
    if bad.any():
        msg = f"{name}: rate [{unit}] must be finite and greater than -1 (-100 %); got {arr[bad][:_MAX_LISTED].tolist()}"
        raise ValueError(msg)
    return arr, vector
