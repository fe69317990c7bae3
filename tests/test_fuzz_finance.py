"""Fuzz of the input contract of every public function of ``econ.finance``.

Each function is called with arguments drawn three times in four from plausible inputs
(cash flows in every container kind, NaN and inf, values at the ends of the float64 range,
rates just above -100 % and far above 100 %, long series that overflow naive sums, dates
in every form including timezone-aware ones) and otherwise from hostile ones (``None``,
bools, complex numbers, strings and numeric strings, bytes, huge Python ints, Decimals,
dates where numbers belong and numbers where dates belong, ``RangeIndex``, dicts, sets,
iterators, ragged nested lists, ndarrays of every dtype, masked arrays, nullable and
categorical pandas columns, objects whose repr raises). Every call must end in exactly one
of (README, "Conventions"):

* a result, numeric, of the documented kind; with ``strict=True`` and finite input it holds
  no NaN, and where ``strict=False`` gives NaN for finite input, ``strict=True`` raises;
* a ``ValueError`` or ``TypeError`` whose message starts with the name of one of the
  function's parameters (``"rate: ..."``, ``"rate, nper: ..."``);
* an ``UndefinedResultError``, only with ``strict=True``;

and it must emit no warning of any kind and return within one second. The number of
examples per function is set by the Hypothesis profile (tests/conftest.py): 100,
derandomized, by default; 2,000 from a printed seed with ``HYPOTHESIS_PROFILE=ci``.
"""

from __future__ import annotations

import inspect
import re
import time
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from econ import finance as fin
from econ.finance import IRRResult, UndefinedResultError
from tests.strategies import (
    FLOAT64_MAX,
    Unprintable,
    cash_flows,
    dates_for,
    flow_shape,
    hostile_values,
    mostly,
    rate_args,
    valid_rates,
)

# Hypothesis warns that the reprs of these large strategies are long; that is about the test
# tooling, not about econ.finance, whose own warnings are recorded by timed_call.
pytestmark = pytest.mark.filterwarnings("ignore:Generating overly large repr:hypothesis.errors.HypothesisWarning")
TIME_LIMIT_S = 1.0
FUNCTIONS: dict[str, Callable[..., Any]] = {name: getattr(fin, name) for name in fin.__all__ if inspect.isfunction(getattr(fin, name))}
FUZZ = settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much])

# --- argument strategies ----------------------------------------------------------------

flags = mostly(st.sampled_from([True, False, np.True_, np.False_]))
nan_policies = mostly(st.sampled_from(["raise", "propagate"]))
conventions = mostly(st.sampled_from(["numpy", "excel"]))
flows = mostly(cash_flows())
scalar_rates = mostly(rate_args(vector=False))
vector_rates = mostly(rate_args(vector=True))
counts = mostly(
    st.one_of(
        st.integers(1, 2_000),
        st.sampled_from([0, -1, 1_000_001, 10**13, 10**400, np.int64(5), np.uint8(3), np.int32(-2)]),
    )
)
# elementwise arguments: scalars, numpy scalars and short arrays (whose lengths may not broadcast)
elementwise_rates = mostly(
    st.one_of(
        valid_rates,
        valid_rates.map(np.float64),
        st.lists(valid_rates, min_size=0, max_size=3),
        hnp.arrays(np.float64, st.integers(1, 3), elements=valid_rates),
        st.lists(valid_rates, min_size=1, max_size=3).map(pd.Series),
    )
)
positive_floats = st.one_of(
    st.floats(min_value=0.0, exclude_min=True, allow_infinity=False), st.sampled_from([12, 4, 1, 5e-324, 1e-300, 1e308, FLOAT64_MAX])
)
periods_per_year = mostly(st.one_of(positive_floats, st.lists(positive_floats, min_size=1, max_size=3), st.integers(-2, 400)))
nper = mostly(
    st.one_of(
        positive_floats,
        st.just(np.inf),
        st.integers(1, 1_000),
        st.lists(st.one_of(positive_floats, st.just(np.inf)), min_size=1, max_size=3).map(np.array),
    )
)
fractions = mostly(st.floats(0.0, 1.0))
guesses = mostly(st.one_of(st.none(), rate_args(vector=False)))


def call(*args: st.SearchStrategy[Any], **kwargs: st.SearchStrategy[Any]) -> st.SearchStrategy[tuple[tuple[Any, ...], dict[str, Any]]]:
    """Positional arguments always drawn, keyword arguments each drawn or left at their default."""
    return st.tuples(st.tuples(*args), st.fixed_dictionaries({}, optional=kwargs))


hostile_dates = st.one_of(
    hostile_values,
    st.integers(1, 6).map(lambda n: list(range(0, 365 * n, 365))),  # day counts
    st.integers(1, 6).map(pd.RangeIndex),
    st.integers(1, 6).map(lambda n: [45_000.0 + 30 * i for i in range(n)]),  # spreadsheet serials
    st.integers(1, 6).map(lambda n: [str(45_000 + 30 * i) for i in range(n)]),  # numeric strings
    st.integers(1, 6).map(lambda n: ["2026-01"] * n),  # partial dates
    st.integers(1, 6).map(lambda n: ["today"] * n),
    st.integers(1, 6).map(lambda n: [b"2026-01-01"] * n),
    st.integers(1, 6).map(lambda n: np.array(["2026-01-01"] + ["NaT"] * (n - 1), dtype="datetime64[D]")),
    st.integers(1, 6).map(lambda n: np.array([10**15] * n, dtype="datetime64[Y]")),
    st.integers(2, 6).map(lambda n: pd.date_range("2026-01-01", periods=n, freq="MS")[::-1]),  # first not earliest
    st.integers(1, 6).map(lambda n: pd.period_range("2026-01", periods=n, freq="M")),
    st.integers(1, 6).map(lambda n: pd.timedelta_range("1 day", periods=n)),
)


@st.composite
def dated_flows(draw: st.DrawFn) -> tuple[Any, Any]:
    """Cash flows and dates: matching valid dates three times in four, else hostile or mismatched dates."""
    values = draw(flows)
    shape = flow_shape(values)
    if shape and draw(st.integers(0, 3)) > 0:
        return values, draw(dates_for(shape if len(shape) == 2 else (1, shape[0])) if len(shape) == 2 else dates_for(shape))
    return values, draw(st.one_of(hostile_dates, st.integers(1, 5).map(lambda n: (n,)).flatmap(dates_for)))


@st.composite
def xnpv_call(draw: st.DrawFn) -> tuple[tuple[Any, ...], dict[str, Any]]:
    values, dates = draw(dated_flows())
    return (draw(vector_rates), values, dates), draw(st.fixed_dictionaries({}, optional={"nan_policy": nan_policies}))


@st.composite
def xirr_call(draw: st.DrawFn) -> tuple[tuple[Any, ...], dict[str, Any]]:
    values, dates = draw(dated_flows())
    optional = {"guess": guesses, "strict": flags, "nan_policy": nan_policies, "full_output": flags}
    return (values, dates), draw(st.fixed_dictionaries({}, optional=optional))


@st.composite
def xirr_roots_call(draw: st.DrawFn) -> tuple[tuple[Any, ...], dict[str, Any]]:
    values, dates = draw(dated_flows())
    return (values, dates), draw(st.fixed_dictionaries({}, optional={"strict": flags}))


@st.composite
def levelized_cost_call(draw: st.DrawFn) -> tuple[tuple[Any, ...], dict[str, Any]]:
    costs = draw(flows)
    shape = flow_shape(costs)
    n_periods = shape[-1] if shape else draw(st.integers(1, 5))
    output_values = st.one_of(st.floats(0, 1e6), st.sampled_from([0.0, 5e-324, 1e308]))
    output = draw(
        mostly(
            st.one_of(
                output_values,
                hnp.arrays(np.float64, n_periods, elements=output_values),
                hnp.arrays(np.float64, np.shape(np.asarray(costs, dtype=object)) or (n_periods,), elements=output_values),
                hnp.arrays(np.float64, n_periods, elements=output_values).map(lambda a: np.where(a > 1, 0.0, a)),
            )
        )
    )
    kwargs = draw(st.fixed_dictionaries({}, optional={"convention": conventions, "strict": flags}))
    return (draw(scalar_rates), costs, output), kwargs


basis = mostly(
    st.one_of(
        st.floats(0, 1e12),
        st.sampled_from([0.0, 1e308, FLOAT64_MAX]),
        hnp.arrays(np.float64, st.integers(0, 3), elements=st.floats(0, 1e9)),
    )
)
schedules = mostly(
    st.one_of(
        st.sampled_from([3, 5, 7, 10, 15, 20]).map(fin.macrs_rates),
        st.integers(1, 40).map(fin.straight_line_rates),
        st.sampled_from([[1.0], [0.5, 0.5], [0.25, 0.75, 0.0], [1.0 + 5e-10], [0.6, 0.6, -0.2], [np.inf, -np.inf]]),
        st.lists(st.floats(0, 1), min_size=0, max_size=5),
    )
)
salvage = mostly(st.one_of(st.floats(0, 1e6), st.just(0.0), hnp.arrays(np.float64, st.integers(0, 3), elements=st.floats(0, 1e3))))
recovery_years = mostly(st.sampled_from([3, 5, 7, 10, 15, 20, 27.5, 39, 5.0, np.int64(7), np.float32(15), 6, 40, 1e400]))
months = mostly(st.one_of(st.none(), st.integers(0, 13), st.sampled_from([np.int8(3), np.uint16(12)])))
rate_pair = {"effective_from_nominal", "nominal_from_effective", "periodic_rate", "annual_rate"}

CALLS: dict[str, st.SearchStrategy[tuple[tuple[Any, ...], dict[str, Any]]]] = {
    "annual_rate": call(elementwise_rates, periods_per_year),
    "annuity_factor": call(elementwise_rates, nper, when=mostly(st.sampled_from(["end", "begin"]))),
    "capital_recovery_factor": call(elementwise_rates, nper),
    "depreciation_schedule": call(basis, schedules, bonus_fraction=fractions, salvage_value=salvage),
    "discount_factors": call(vector_rates, counts, convention=conventions),
    "discounted_payback_period": call(vector_rates, flows, strict=flags, nan_policy=nan_policies),
    "effective_from_nominal": call(mostly(st.one_of(st.floats(allow_nan=False), elementwise_rates)), periods_per_year),
    "irr": call(flows, guess=guesses, strict=flags, nan_policy=nan_policies, full_output=flags),
    "irr_roots": call(flows, strict=flags),
    "levelized_cost": levelized_cost_call(),
    "macrs_rates": call(recovery_years, convention=mostly(st.sampled_from(["half-year", "mid-month"])), month_placed_in_service=months),
    "mirr": call(flows, scalar_rates, scalar_rates, strict=flags, nan_policy=nan_policies),
    "nominal_from_effective": call(elementwise_rates, periods_per_year),
    "nominal_rate": call(elementwise_rates, elementwise_rates),
    "npv": call(vector_rates, flows, convention=conventions, nan_policy=nan_policies),
    "payback_period": call(flows, strict=flags, nan_policy=nan_policies),
    "periodic_rate": call(elementwise_rates, periods_per_year),
    "real_rate": call(elementwise_rates, elementwise_rates),
    "straight_line_rates": call(counts),
    "xirr": xirr_call(),
    "xirr_roots": xirr_roots_call(),
    "xnpv": xnpv_call(),
}

# --- the contract -----------------------------------------------------------------------

_LEADING_NAMES = re.compile(r"^([A-Za-z_]\w*(?:, [A-Za-z_]\w*)*):")


def timed_call(name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[Any, BaseException | None]:
    """Call ``name``; fail on any warning or on taking a second or more. Returns (result, error)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")  # record every warning, even one the code would catch as an error
        start = time.perf_counter()
        try:
            result, error = FUNCTIONS[name](*args, **kwargs), None
        except Exception as err:  # classified by the caller
            result, error = None, err
        elapsed = time.perf_counter() - start
    assert not caught, f"{name} emitted warnings: {[f'{w.category.__name__}: {w.message}' for w in caught]}"
    assert elapsed < TIME_LIMIT_S, f"{name} took {elapsed:.2f} s (limit {TIME_LIMIT_S} s)"
    return result, error


def numbers_in(result: Any) -> np.ndarray:
    """The float values of a result of any documented kind."""
    if isinstance(result, IRRResult):
        assert np.asarray(result.status).dtype.kind in "iu"
        result = result.rate
    assert isinstance(result, (float, np.ndarray, pd.Series, pd.DataFrame)), f"unexpected result kind {type(result).__name__}"
    values = np.asarray(result)
    assert values.dtype == np.float64, f"result dtype {values.dtype}"
    return values


def finite_input(value: Any) -> bool:
    """Whether an argument is an array of finite numbers (False if it is not numeric at all)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return bool(np.isfinite(np.asarray(value, dtype=np.float64)).all())
    except Exception:  # not numeric, ragged, unprintable: no claim about finiteness
        return False


def check_contract(name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    result, error = timed_call(name, args, kwargs)
    params = list(inspect.signature(FUNCTIONS[name]).parameters)
    strict = kwargs.get("strict", False) is True or kwargs.get("strict", False) is np.True_
    if isinstance(error, UndefinedResultError):
        assert strict, f"{name} raised UndefinedResultError without strict=True: {error}"
        return
    if isinstance(error, (ValueError, TypeError)):
        message = str(error)
        match = _LEADING_NAMES.match(message)
        assert match, f"{name}: {type(error).__name__} message does not start with a parameter name: {message!r}"
        named = match.group(1).split(", ")
        assert set(named) <= set(params), f"{name}: message names {named}, not parameters of {params}: {message!r}"
        return
    if error is not None:
        raise AssertionError(f"{name} raised {type(error).__name__} (only ValueError/TypeError allowed): {error}") from error
    values = numbers_in(result)
    if "strict" not in params:
        return
    flows_finite = all(finite_input(a) for a in args if not isinstance(a, (str, bool)))
    if strict and flows_finite:
        assert not np.isnan(values).any(), f"{name}: NaN with strict=True for finite input: {result!r}"
    if not strict and flows_finite and np.isnan(values).any():
        _, strict_error = timed_call(name, args, {**kwargs, "strict": True})
        assert isinstance(strict_error, UndefinedResultError), f"{name}: NaN without strict, but strict=True gave {strict_error!r}"


def test_every_public_function_is_fuzzed() -> None:
    fuzzed, public = sorted(CALLS), sorted(FUNCTIONS)
    assert fuzzed == public


@pytest.mark.parametrize("name", sorted(CALLS))
@FUZZ
@given(data=st.data())
def test_input_contract(name: str, data: st.DataObject) -> None:
    args, kwargs = data.draw(CALLS[name], label=f"{name} arguments")
    check_contract(name, args, kwargs)


# --- the decisions the contract rests on, stated as examples -------------------------------


@pytest.mark.parametrize(
    "values",
    [
        ["1", "2"],
        [b"1", b"2"],
        [True, False],
        np.array([True, False]),
        pd.Series([True, False], dtype="boolean"),
        [1.0, True],
        np.array([1 + 0j, 2]),
        [np.datetime64("2020-01-01"), np.datetime64("1970-01-01")],
        np.array([1, 2], dtype="timedelta64[D]"),
        [None, 1.0],
    ],
)
def test_non_numbers_are_refused_as_amounts(values: Any) -> None:
    with pytest.raises(TypeError, match=r"^values: cash flows \[currency\] must be numbers"):
        fin.npv(0.1, values)


@pytest.mark.parametrize("rate", ["0.1", True, np.True_, 0.1 + 0j, np.datetime64("2020-01-01"), None, {0.1}])
def test_non_numbers_are_refused_as_rates(rate: Any) -> None:
    with pytest.raises(TypeError, match=r"^rate: rate \[fraction per period\]"):
        fin.npv(rate, [-1.0, 2.0])


def test_a_python_int_beyond_float64_is_a_value_error_naming_the_parameter() -> None:
    with pytest.raises(ValueError, match=r"^values: .*float64 range"):
        fin.npv(0.1, [1, 10**400])
    with pytest.raises(ValueError, match=r"^n_periods: .*1,000,000"):
        fin.discount_factors(0.1, 10**13)


def test_timezone_aware_dates_count_on_their_own_calendar_date() -> None:
    local = pd.DatetimeIndex(["2026-01-01 00:30", "2027-01-01 00:30"]).tz_localize("Europe/Paris")
    naive = ["2026-01-01", "2027-01-01"]
    assert fin.xnpv(0.1, [-1.0, 2.0], local) == fin.xnpv(0.1, [-1.0, 2.0], naive)
    offsets = ["2026-01-01T00:30+13:00", "2027-01-01T23:30-11:00"]
    assert fin.xnpv(0.1, [-1.0, 2.0], offsets) == fin.xnpv(0.1, [-1.0, 2.0], naive)


@pytest.mark.parametrize("dates", [[0, 365], pd.RangeIndex(2), [45_000.0, 45_365.0], ["45000", "45365"], [True, False]])
def test_numbers_are_not_read_as_dates(dates: Any) -> None:
    with pytest.raises((TypeError, ValueError), match=r"^dates: "):
        fin.xnpv(0.1, [-1.0, 2.0], dates)


def test_overflowing_sums_are_scaled_not_lost() -> None:
    assert fin.payback_period([-1e308, -1e308, 1e308, 1e308, 1e308]) == 3.0
    assert fin.npv(0.0, [1e308, 1e308, -1e308, -1e308]) == 0.0
    assert fin.npv(1.0, [0.0] * 2_000 + [1e300]) == pytest.approx(1e300 * 2.0**-2_000, rel=1e-12)
    assert fin.levelized_cost(-0.999, [1.0] * 300, [1.0] * 300) == pytest.approx(1.0, rel=1e-12)
    assert np.isnan(fin.mirr([-100.0], 0.1, 0.1))


# Smallest valid positional arguments, for the tests of single options below.
MINIMAL_ARGS: dict[str, tuple[Any, ...]] = {
    "discounted_payback_period": (0.1, [-1.0, 2.0]),
    "irr": ([-1.0, 2.0],),
    "irr_roots": ([-1.0, 2.0],),
    "levelized_cost": (0.1, [1.0, 1.0], [1.0, 1.0]),
    "mirr": ([-1.0, 2.0], 0.1, 0.1),
    "payback_period": ([-1.0, 2.0],),
    "xirr": ([-1.0, 2.0], ["2026-01-01", "2027-01-01"]),
    "xirr_roots": ([-1.0, 2.0], ["2026-01-01", "2027-01-01"]),
}
OPTIONS = [
    (name, param)
    for name in sorted(FUNCTIONS)
    for param in inspect.signature(FUNCTIONS[name]).parameters
    if param in ("strict", "full_output", "guess")
]


def test_every_option_is_covered() -> None:
    assert sorted({name for name, _ in OPTIONS}) == sorted(MINIMAL_ARGS)


@pytest.mark.parametrize(("name", "param"), OPTIONS)
@pytest.mark.parametrize(
    "bad",
    [pd.NA, np.array([True, True]), pd.Series([1], dtype="Int64"), 10**400, np.timedelta64(3, "D"), "yes", 1 + 1j, Unprintable()],
    ids=["NA", "bool-array", "Int64-series", "huge-int", "timedelta64", "str", "complex", "unprintable"],
)
def test_an_option_of_the_wrong_type_is_an_error_naming_it(name: str, param: str, bad: Any) -> None:
    # strict and full_output must be True or False; guess a rate or None. Truthiness is not
    # enough: strict=pd.NA or an array would otherwise raise an error naming nothing.
    _, error = timed_call(name, MINIMAL_ARGS[name], {param: bad})
    assert isinstance(error, (TypeError, ValueError)), f"{name}({param}={type(bad).__name__}) gave {error!r}"
    assert str(error).startswith(f"{param}: "), f"{name}: {type(error).__name__} does not name {param}: {error}"
