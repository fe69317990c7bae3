"""Fuzz of ``load_scenario`` overrides: a valid scenario that evaluates, or an error naming the key.

Overrides are drawn from the valid keys of ``base``, near misses of them and junk; values are
plausible (inside the schema's range, data references, distribution families) or hostile (the
wrong type, NaN and infinities, huge ints, containers, NumPy scalars, objects). Every draw must
end in exactly one of:

* a :class:`Scenario` holding the overrides, whose every value passes the schema and which
  ``econ.evaluate`` runs without an exception, or rejects because the plan's best contract
  price leaves the sourced band of provider markups (a check on the whole plan, which the
  loader does not make), naming an overridden key;
* a :class:`ScenarioError` each of whose problems names an overridden key;
* a ``TypeError`` naming ``overrides`` (only when ``overrides`` is not a mapping with str keys);

and never emits a warning. 150 examples by default (about 10 s); 1,000 with
``HYPOTHESIS_PROFILE=ci``.
"""

from __future__ import annotations

import datetime
import decimal
import math
import os
import warnings
from collections.abc import Mapping
from typing import Any

import numpy as np
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import econ
from econ.assumptions import Scenario, ScenarioError, field_for, load_scenario, load_table
from econ.assumptions.schema import DISTRIBUTIONS, Field

CI = os.environ.get("HYPOTHESIS_PROFILE") == "ci"
FUZZ = settings(
    max_examples=1000 if CI else 150,
    derandomize=not CI,  # ci draws from the run's seed (tests/conftest.py prints it)
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

BASE = load_scenario("base")
SCENARIO_KEYS = list(BASE.values)
RISK_KEYS = [f"risk.{d.key}.{p}" for d in BASE.distributions for p in (*d.params, "dist")]
VALID_KEYS = SCENARIO_KEYS + RISK_KEYS


class Hostile:
    """An object whose repr, str, float and equality all raise."""

    def __repr__(self) -> str:
        raise RuntimeError("repr")

    __str__ = __repr__

    def __float__(self) -> float:
        raise RuntimeError("float")

    def __eq__(self, other: object) -> bool:
        raise RuntimeError("eq")

    __hash__ = object.__hash__


def _near_miss(key: str, how: int, where: int) -> str:
    i = where % max(len(key), 1)
    return [
        key[:i] + key[i + 1 :],  # a letter dropped
        key[:i] + key[i:][::-1][:1] + key[i + 1 :],  # a letter replaced
        key.upper(),
        key + ".",
        key.replace(".", "_", 1),
        key.rsplit(".", 1)[0],  # the parent of the key
        key.replace("us-va-loudoun", "us-va-loudon").replace("h100", "h10O"),
        " " + key,
    ][how % 8]


keys = st.one_of(
    st.sampled_from(VALID_KEYS),
    st.builds(_near_miss, st.sampled_from(VALID_KEYS), st.integers(0, 7), st.integers(0, 200)),
    st.sampled_from(["", ".", "risk.", "risk.distributions", "build.sites..it_mw", "name", "description", "extends", "__class__"]),
    st.text(max_size=30),
)

numbers = st.one_of(
    st.integers(),
    st.floats(),  # NaN, +-inf, -0.0 and subnormals included
    st.sampled_from([10**400, -(10**400), 2**63, 2**1024, 1e308, 5e-324, -0.0]),
)
hostile = st.one_of(
    st.none(),
    st.booleans(),
    numbers,
    st.text(max_size=20),
    st.binary(max_size=8),
    st.lists(st.integers(), max_size=3),
    st.tuples(st.integers()),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
    st.sampled_from(
        [
            [],
            {},
            set(),
            object(),
            Hostile(),
            1j,
            decimal.Decimal("0.1"),
            datetime.date(2027, 1, 1),
            np.float64("nan"),
            np.int64(7),
            np.bool_(True),
            np.array([0.1]),
            "@",
            "@model_parameters",
            "@model_parameters/nowhere/central",
            "@accelerator_generations/{cloud.list_generation}/nowhere",
            "@sites/{site}/max_it_mw",
            "{cloud.list_generation}",
            "2027-13",
            "2027-1",
            "\x00",
            "h100-sxm\n",
            "h100-sxm,b200\n",
            "h100-sxm,,b200",
            "H100-SXM",
        ]
    ),
)


GENERATIONS = list(load_table("accelerator_generations").index)


def _generation_ids() -> st.SearchStrategy[str]:
    """Comma-separated generation ids: subsets of the table's rows in table order, often those of base.yaml."""
    subsets = st.lists(st.sampled_from(GENERATIONS), min_size=1, max_size=5, unique=True).map(
        lambda ids: ",".join(sorted(ids, key=GENERATIONS.index))
    )
    base = str(BASE["hardware.generation_ids"]).split(",")
    return subsets | st.lists(st.sampled_from(base), min_size=1, max_size=len(base), unique=True).map(
        lambda ids: ",".join(sorted(ids, key=base.index))
    )


def _in_range(spec: Field) -> st.SearchStrategy[Any]:
    """Values of the right type inside (and at the edges of) the field's range."""
    if spec.choices:
        return st.sampled_from(spec.choices)
    if spec.table:
        return st.sampled_from(spec.allowed_values())
    if spec is field_for("hardware.generation_ids"):
        return _generation_ids()
    if spec.pattern:
        return st.builds(lambda y, m: f"{y:04d}-{m:02d}", st.integers(1900, 2200), st.integers(1, 12))
    if spec.kind == "bool":
        return st.booleans()
    low = spec.low if math.isfinite(spec.low) else -1e12
    high = spec.high if math.isfinite(spec.high) else 1e12
    if spec.kind == "int":
        return st.integers(math.ceil(low), math.floor(high))
    floats = st.floats(low, high, exclude_min=spec.low_open, exclude_max=spec.high_open, allow_nan=False)
    return floats | st.sampled_from([x for x in (low, high, 0.0, 1.0, (low + high) / 2) if spec.check(x) is None])


def _near(value: float, spec: Field) -> st.SearchStrategy[Any]:
    """Values within a factor of two of ``value``, clipped to the schema's range."""

    def clip(factor: float) -> float | int:
        x = min(max(value * factor, spec.low), spec.high)
        x = round(x) if spec.kind == "int" else x
        return x if spec.check(x) is None else value  # an open end point: keep the base value

    return st.floats(0.5, 2.0).map(clip)


PARAMETER_ROWS = set(load_table("model_parameters").index)


def _plausible(key: str) -> st.SearchStrategy[Any]:
    """In-range values of ``key``: near the base value, anywhere in the range, or a data reference."""
    if key.startswith("risk."):
        target, param = key.removeprefix("risk.").rsplit(".", 1)
        dist = next(d for d in BASE.distributions if d.key == target)
        if param == "dist":
            return st.sampled_from([f for f, params in DISTRIBUTIONS.items() if set(params) == set(dist.params)])
        spec = field_for(target)
        assert spec is not None
        return _near(dist.params[param], spec) | _in_range(spec)
    spec = field_for(key)
    assert spec is not None
    options = [_in_range(spec)]
    value = BASE[key]
    if spec.kind in ("int", "float") and not spec.choices:
        options.append(_near(float(value), spec))
    if key in PARAMETER_ROWS:
        options.append(st.sampled_from([f"@model_parameters/{key}/{c}" for c in ("low", "central", "high")]))
    return st.one_of(options)


@st.composite
def overrides(draw: st.DrawFn) -> Any:
    """Overrides of one of three kinds.

    ``plausible``: 1-3 valid keys with in-range values (mostly accepted; exercises evaluate);
    ``mixed``: 1-4 keys of any kind with any values, sometimes a non-str key; ``container``:
    not a mapping at all.
    """
    kind = draw(st.sampled_from(["plausible", "plausible", "mixed", "mixed", "container"]))
    if kind == "container":
        return draw(st.sampled_from([0, "", [], "abc", 5, 1.5, b"x", [("cloud.commit_discount_level", 0.3)], {"a"}, object(), None]))
    out: dict[Any, Any] = {}
    if kind == "plausible":
        for _ in range(draw(st.integers(1, 3))):
            key = draw(st.sampled_from(VALID_KEYS))
            out[key] = draw(_plausible(key))
        return out
    for _ in range(draw(st.integers(1, 4))):
        key = draw(keys)
        out[key] = draw(_plausible(key) | hostile) if key in VALID_KEYS else draw(hostile)
    if draw(st.integers(0, 9)) == 0:
        out[draw(st.sampled_from([1, None, 2.5, ("a",), b"cloud.commit_discount_level"]))] = 0.3
    return out


def _names_a_key(text: str, keys: list[str]) -> bool:
    """Whether ``text`` names one of ``keys`` (as is, or as its repr for keys with control characters)."""
    return any(k in text or repr(k) in text for k in keys)


@FUZZ
@given(overrides())
def test_load_scenario_accepts_valid_overrides_and_names_the_key_of_every_bad_one(given_overrides: Any) -> None:
    well_formed = given_overrides is None or (isinstance(given_overrides, Mapping) and all(isinstance(k, str) for k in given_overrides))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        outcome: Scenario | Exception
        try:
            outcome = load_scenario("base", given_overrides)
        except (TypeError, ScenarioError) as err:  # any other exception fails the test
            outcome = err
        if isinstance(outcome, Scenario):
            _check_accepted(outcome, given_overrides)
    assert not caught, [str(w.message) for w in caught]
    if isinstance(outcome, TypeError):
        event("rejected: TypeError")
        assert not well_formed, f"TypeError for a mapping with str keys: {outcome}"
        assert "overrides" in str(outcome)
    elif isinstance(outcome, ScenarioError):
        event("rejected: ScenarioError")
        assert well_formed and outcome.problems
        for problem in outcome.problems:
            assert _names_a_key(problem, list(given_overrides)), f"problem names no overridden key: {problem}"


def _check_accepted(scenario: Scenario, given_overrides: Mapping[str, Any]) -> None:
    """The overrides are valid keys, in the scenario, every value passes the schema and the scenario evaluates."""
    event("accepted and evaluated")
    given_overrides = given_overrides or {}
    assert set(given_overrides) <= set(VALID_KEYS)
    for key, value in scenario.values.items():
        spec = field_for(key)
        assert spec is not None and spec.check(value) is None, (key, value)
    for key, value in given_overrides.items():
        plain = value.item() if isinstance(value, np.generic) else value
        if isinstance(plain, str) and plain.startswith("@"):
            continue  # a data reference: its value is the cell's
        if key.startswith("risk."):
            target, param = key.removeprefix("risk.").rsplit(".", 1)
            dist = next(d for d in scenario.distributions if d.key == target)
            assert (dist.dist if param == "dist" else dist.params[param]) == plain, key
        else:
            assert scenario[key] == plain and scenario.sources[key] == "override", key
    try:
        result = econ.evaluate(scenario)
    except ScenarioError as err:  # the markup band is checked on the whole plan, not by the loader
        event("accepted, then rejected by evaluate: contract markup band")
        problems = err.problems
    else:
        assert list(result.summary.index) == ["rent", "build", "hybrid"]
        return
    assert all("contract_markup" in p and _names_a_key(p, list(given_overrides)) for p in problems), problems
