"""Hypothesis strategies for cash flows, and hostile inputs for the finance input-contract fuzz."""

from __future__ import annotations

import datetime as dt
import decimal
import warnings
from typing import Any

import numpy as np
import pandas as pd
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

# Amounts within six orders of magnitude of each other: wider spreads push the IRR so close
# to -100 % that r itself (not ln(1 + r)) cannot hold it to 1e-9 in float64.
amounts = st.floats(min_value=1.0, max_value=1e6, allow_nan=False, allow_infinity=False)
rates = st.floats(min_value=-0.5, max_value=2.0, allow_nan=False, allow_infinity=False)


@st.composite
def conventional_flows(draw: st.DrawFn, min_periods: int = 2, max_periods: int = 60) -> np.ndarray:
    """An investment: outflows first, then inflows (exactly one sign change)."""
    n = draw(st.integers(min_periods, max_periods))
    split = draw(st.integers(1, n - 1))
    out = draw(hnp.arrays(np.float64, split, elements=amounts))
    inflow = draw(hnp.arrays(np.float64, n - split, elements=amounts))
    return np.concatenate([-out, inflow])


@st.composite
def any_flows(draw: st.DrawFn, max_periods: int = 40) -> np.ndarray:
    """Any finite cash flows, signs mixed, zeros allowed."""
    n = draw(st.integers(1, max_periods))
    magnitudes = st.floats(min_value=1e-3, max_value=1e6)
    values = st.one_of(st.just(0.0), magnitudes, magnitudes.map(lambda v: -v))
    return draw(hnp.arrays(np.float64, n, elements=values))


# --- hostile and edge-case inputs for the input-contract fuzz (tests/test_fuzz_finance.py) ---

FLOAT64_MAX = float(np.finfo(np.float64).max)
# Floats at the ends of the float64 range and around zero: subnormals, the smallest normal,
# values whose sums or products overflow.
EXTREME_FLOATS = (0.0, -0.0, 5e-324, -5e-324, 2.2250738585072014e-308, 1e-300, 1e300, -1e300, 1e308, -1e308, FLOAT64_MAX, -FLOAT64_MAX)
# Rates > -1 at the edges: just above -100 %, zero, subnormal, beyond any sensible range.
EXTREME_RATES = (-1 + 2.220446049250313e-16, -0.999999, -0.5, 0.0, 5e-324, 1e-300, 1e-12, 0.1, 10.0, 1e6, 1e300, FLOAT64_MAX)
TIMEZONES = ("UTC", "Europe/Paris", "Pacific/Kiritimati", "Pacific/Pago_Pago", "Asia/Kolkata", "America/St_Johns")


class Unprintable:
    """An object whose repr, str, float, iteration and comparisons all raise."""

    def __repr__(self) -> str:
        raise RuntimeError("repr")

    __str__ = __repr__

    def __float__(self) -> float:
        raise RuntimeError("float")

    def __iter__(self) -> Any:
        raise RuntimeError("iter")

    def __eq__(self, other: object) -> bool:
        raise RuntimeError("eq")

    __hash__ = object.__hash__


finite_floats = st.one_of(st.floats(allow_nan=False, allow_infinity=False), st.sampled_from(EXTREME_FLOATS))
any_floats = st.one_of(st.floats(), st.sampled_from(EXTREME_FLOATS))  # NaN, inf, subnormals included
huge_ints = st.one_of(st.integers(10**308, 10**400), st.integers(-(10**400), -(10**308)))
valid_rates = st.one_of(st.floats(min_value=-1.0, max_value=FLOAT64_MAX, exclude_min=True), st.sampled_from(EXTREME_RATES))


def _aware(moment: dt.datetime, zone: str) -> pd.Timestamp:
    return pd.Timestamp(moment).tz_localize(zone, nonexistent="shift_forward", ambiguous=True)


hostile_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.sampled_from([np.True_, np.False_]),
    st.complex_numbers(max_magnitude=1e10),
    st.text(max_size=6),
    finite_floats.map(str),  # numeric strings: "1.5"
    st.binary(max_size=6),
    st.floats(),
    huge_ints,
    st.integers(),
    st.sampled_from([decimal.Decimal("1e400"), decimal.Decimal("NaN"), decimal.Decimal("sNaN"), decimal.Decimal("-Infinity")]),
    st.fractions(max_denominator=100),
    st.just(np.longdouble("1e400")) if np.finfo(np.longdouble).max > FLOAT64_MAX else st.just(np.float32(3.0)),
    st.dates().map(lambda d: d),
    st.datetimes(),
    st.builds(_aware, st.datetimes(min_value=dt.datetime(1700, 1, 1), max_value=dt.datetime(2200, 1, 1)), st.sampled_from(TIMEZONES)),
    st.integers(-(10**6), 10**6).map(lambda d: np.datetime64(d, "D")),
    st.integers(-(10**6), 10**6).map(lambda d: np.timedelta64(d, "D")),
    st.just(pd.NaT),
    st.just(pd.NA),
    st.just(np.datetime64("NaT")),
    st.builds(object),
    st.builds(Unprintable),
)


def _to_series(values: list[Any]) -> pd.Series:
    return pd.Series(values, dtype=object) if values else pd.Series([], dtype=float)


hostile_containers = st.one_of(
    st.dictionaries(st.text(max_size=3), st.floats(), max_size=3),
    st.sets(st.integers(), max_size=4),
    st.frozensets(st.floats(allow_nan=False), max_size=3),
    st.lists(st.floats(), max_size=4).map(iter),  # a one-shot iterator
    st.lists(hostile_scalars, max_size=4),
    st.lists(st.one_of(finite_floats, hostile_scalars), min_size=1, max_size=4),  # mostly numbers, one odd value
    st.recursive(  # nested, often ragged
        st.one_of(finite_floats, st.integers(-5, 5), st.booleans(), st.text(max_size=2), st.none()),
        lambda children: st.lists(children, max_size=4) | st.tuples(children, children),
        max_leaves=12,
    ),
    hnp.arrays(
        dtype=st.one_of(
            hnp.scalar_dtypes(),  # bool, int, uint, float16-64, complex, datetime64, timedelta64
            hnp.byte_string_dtypes(max_len=4),
            hnp.unicode_string_dtypes(max_len=4),
            st.just(np.dtype(np.longdouble)),
        ),
        shape=hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=4),
    ),
    st.lists(st.one_of(finite_floats, st.just(np.nan)), min_size=1, max_size=5).map(
        lambda v: np.ma.masked_array(v, mask=[i % 2 == 0 for i in range(len(v))])
    ),
    st.lists(st.one_of(st.integers(-5, 5), st.none()), min_size=1, max_size=5).map(lambda v: pd.Series(v, dtype="Int64")),
    st.lists(st.one_of(st.booleans(), st.none()), min_size=1, max_size=5).map(lambda v: pd.Series(v, dtype="boolean")),
    st.lists(st.text(max_size=3), min_size=1, max_size=4).map(pd.Series),
    st.lists(st.text(max_size=3), min_size=1, max_size=4).map(lambda v: pd.Series(v, dtype="category")),
    st.lists(st.one_of(hostile_scalars, finite_floats), max_size=4).map(_to_series),
    st.lists(st.datetimes(), min_size=1, max_size=4).map(lambda v: pd.Series(v).dt.tz_localize("Asia/Kolkata")),
    st.integers(0, 6).map(pd.RangeIndex),
    st.lists(st.one_of(finite_floats, st.booleans(), st.text(max_size=2)), min_size=1, max_size=3).map(
        lambda v: pd.DataFrame({"a": v, "b": [1.0] * len(v)})
    ),
)

#: Anything a caller might pass by mistake (or on purpose, to break things).
hostile_values = st.one_of(hostile_scalars, hostile_containers)


def as_kind(arr: np.ndarray, kind: str) -> Any:
    """The same numbers as a list, tuple, ndarray, Series or DataFrame (2-D only) or float32 array."""
    if kind == "list":
        return arr.tolist()
    if kind == "tuple":
        return tuple(arr.tolist()) if arr.ndim == 1 else tuple(tuple(row) for row in arr.tolist())
    if kind == "series" and arr.ndim == 1:
        return pd.Series(arr, index=[f"p{i}" for i in range(arr.size)])
    if kind == "frame" and arr.ndim == 2:
        return pd.DataFrame(arr, index=[f"row{i}" for i in range(arr.shape[0])])
    if kind == "int" and np.isfinite(arr).all() and (np.abs(arr) < 2**62).all():
        return arr.astype(np.int64)
    if kind == "float32" and (np.abs(arr[np.isfinite(arr)]) < 3e38).all():
        return arr.astype(np.float32)
    return arr


KINDS = ("list", "tuple", "ndarray", "series", "frame", "int", "float32")


@st.composite
def cash_flow_arrays(
    draw: st.DrawFn, max_periods: int = 12, max_rows: int = 4, elements: st.SearchStrategy[float] | None = None
) -> np.ndarray:
    """Float cash flows of shape (T,), (M, T) or (A, B, T): ordinary, extreme, NaN/inf, long constant rows."""
    shape = draw(
        st.one_of(
            st.tuples(st.integers(1, max_periods)),
            st.tuples(st.integers(1, max_rows), st.integers(1, max_periods)),
            st.tuples(st.integers(1, 2), st.integers(1, 2), st.integers(1, max_periods)),
        )
    )
    if elements is None:
        elements = st.one_of(st.floats(-1e6, 1e6), st.sampled_from([-100.0, 0.0, 50.0]), any_floats)
    long_row = draw(st.integers(0, 9)) == 0  # a long series of extremes: overflow in sums and factors
    if long_row:
        n = draw(st.integers(100, 600))
        signs = draw(st.sampled_from([(1.0, 1.0), (-1.0, 1.0), (1.0, -1.0)]))
        size = draw(st.sampled_from([1.0, 1e300, FLOAT64_MAX, 5e-324]))
        return np.r_[signs[0] * size, np.full(n - 1, signs[1] * size)]
    return draw(hnp.arrays(np.float64, shape, elements=elements))


@st.composite
def cash_flows(draw: st.DrawFn, max_periods: int = 12, max_rows: int = 4) -> Any:
    """Valid-looking cash flows in any container kind (NaN/inf and extremes included)."""
    return as_kind(draw(cash_flow_arrays(max_periods, max_rows)), draw(st.sampled_from(KINDS)))


@st.composite
def rate_args(draw: st.DrawFn, vector: bool = True) -> Any:
    """A rate > -1 (often extreme) as a float, numpy scalar, int, or a 1-D list/array/Series of rates."""
    if vector and draw(st.booleans()):
        rates = draw(st.lists(valid_rates, min_size=1, max_size=4))
        return draw(st.sampled_from([list, np.array, pd.Series]))(rates)
    rate = draw(valid_rates)
    return draw(st.sampled_from([float, np.float64, np.float32 if abs(rate) < 3e38 else float, lambda r: r]))(rate)


def _date_forms(days: np.ndarray, kind: str, zone: str, hours: np.ndarray) -> Any:
    """Dates (days since 1970-01-01) in one of many forms; times of day and zones do not change the date."""
    base = np.datetime64("1970-01-01", "D") + days.astype("timedelta64[D]")
    wall = base.astype("datetime64[s]") + (hours * 3600).astype("timedelta64[s]")
    if kind == "date":
        return base.astype(dt.date).tolist()
    if kind == "iso":
        return [str(d) for d in base.ravel().tolist()] if base.ndim == 1 else [[str(d) for d in row] for row in base.tolist()]
    if kind == "iso-time":
        return [str(t) for t in wall.tolist()] if wall.ndim == 1 else wall.astype(str)
    if kind == "datetime64[D]":
        return base
    if kind == "datetime64[ns]":
        return wall.astype("datetime64[ns]") if (days > -100_000).all() and (days < 100_000).all() else base
    if kind == "timestamps":
        return [pd.Timestamp(t) for t in wall.ravel()] if wall.ndim == 1 else base
    if kind == "aware" and wall.ndim == 1 and (days > -100_000).all() and (days < 100_000).all():
        return pd.DatetimeIndex(wall).tz_localize(zone, nonexistent="shift_forward", ambiguous=True)
    if kind == "aware-series" and wall.ndim == 1 and (days > -100_000).all() and (days < 100_000).all():
        return pd.Series(wall).dt.tz_localize(zone, nonexistent="shift_forward", ambiguous=True)
    if kind == "iso-offset" and wall.ndim == 1:
        return [t.isoformat() + "+13:00" for t in wall.astype(dt.datetime).tolist()]
    return base


DATE_KINDS = ("date", "iso", "iso-time", "datetime64[D]", "datetime64[ns]", "timestamps", "aware", "aware-series", "iso-offset")


@st.composite
def dates_for(draw: st.DrawFn, shape: tuple[int, ...]) -> Any:
    """Valid dates for flows of ``shape``: the first date earliest, in any of DATE_KINDS."""
    n_periods = shape[-1]
    per_row = len(shape) == 2 and draw(st.integers(0, 4)) == 0
    first = draw(st.integers(-700_000, 2_900_000))  # days since 1970: 0053 to 9909
    span = draw(st.sampled_from([3_000, 40, 2_900_000 - first]))
    offsets = draw(hnp.arrays(np.int64, (*shape[:-1], n_periods) if per_row else (n_periods,), elements=st.integers(0, max(span, 0))))
    offsets[..., 0] = 0
    hours = draw(hnp.arrays(np.int64, offsets.shape, elements=st.integers(0, 23)))
    return _date_forms(first + offsets, draw(st.sampled_from(DATE_KINDS)), draw(st.sampled_from(TIMEZONES)), hours)


def flow_shape(values: Any) -> tuple[int, ...]:
    """The (M, T) shape the finance functions see for ``values`` (or () if it has none)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            arr = np.asarray(values, dtype=np.float64)
    except Exception:  # hostile input: no shape to match
        return ()
    if arr.ndim == 0 or arr.size == 0:
        return ()
    return (int(np.prod(arr.shape[:-1])), arr.shape[-1]) if arr.ndim > 1 else (arr.shape[-1],)


def mostly(valid: st.SearchStrategy[Any], hostile: st.SearchStrategy[Any] = hostile_values) -> st.SearchStrategy[Any]:
    """Valid three times in four, hostile otherwise."""
    return st.one_of(valid, valid, valid, hostile)
