"""``econ.evaluate`` against an independent recomputation of its cash flows (``tests/independent_model.py``).

The recomputation was written from docs/model.md and the docstrings, not from the package's code,
and reads only input values through ``econ.load_scenario`` (and, for the ``hourly`` scenario, the
representative year of hourly load, ``econ.load_shape.representative_year``). Every category of every
strategy must match month by month to the cent, and so must each strategy's NPV cost.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np
import pandas as pd
import pytest

import econ
from econ.load_shape import representative_year
from econ.strategies import Evaluation
from tests.independent_model import CATEGORIES, STRATEGIES, LoadDurationCurve, discount_factors, recompute

# case -> (scenario, overrides)
CASES: dict[str, tuple[str, dict[str, Any]]] = {
    "base": ("base", {}),
    # The departure-window rule does nothing at base (premium 0). With a premium it reaches the
    # builder's contracts and short-term tranches; with a 6-month tail the window ends at month 90
    # while the tranche started at month 84 runs to month 95, so the whole-term rule is exercised.
    "departing_premium": ("base", {"cloud.departing_contract_premium": 0.10}),
    "departing_premium_tail_6": ("base", {"cloud.departing_contract_premium": 0.10, "cloud.departure_tail_months": 6}),
    # demand.load_shape = hourly (model.md "Utilization and the shape of load"): u = 1 / pi of the
    # representative year, and the owned fleet's busy work in merit order above the rented capacity.
    "hourly": ("hourly", {}),
}


class Case(NamedTuple):
    name: str
    evaluation: Evaluation
    mine: dict[str, dict[str, np.ndarray]]
    df: np.ndarray


@pytest.fixture(scope="module", params=list(CASES))
def case(request: pytest.FixtureRequest) -> Case:
    name, overrides = CASES[request.param]
    scenario = econ.load_scenario(name, overrides)
    return Case(request.param, econ.evaluate(scenario), recompute(scenario), discount_factors(scenario))


def package_flows(evaluation: Evaluation, strategy: str, months: int) -> pd.DataFrame:
    """The package's long cash flows of one strategy as a month x category table."""
    cf = evaluation.cashflows
    cf = cf[cf.strategy == strategy]
    assert not cf.duplicated(["month", "category"]).any()
    return cf.pivot_table(index="month", columns="category", values="usd", aggfunc="sum").reindex(index=range(1, months + 1))


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_cashflows_match_to_the_cent(case: Case, strategy: str) -> None:
    pkg = package_flows(case.evaluation, strategy, len(case.df))
    assert set(pkg.columns) == set(CATEGORIES), "a category the independent model does not know, or one it lacks"
    assert not pkg.isna().any().any(), "a month missing from the package's cash flows"
    for category in CATEGORIES:
        np.testing.assert_allclose(
            pkg[category].to_numpy(), case.mine[strategy][category], rtol=0, atol=0.01, err_msg=f"{case.name}: {strategy} {category}"
        )


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_npv_cost_matches_to_the_cent(case: Case, strategy: str) -> None:
    npv_cost = -sum(float((flows * case.df).sum()) for flows in case.mine[strategy].values())
    np.testing.assert_allclose(case.evaluation.summary.loc[strategy, "npv_cost_usd"], npv_cost, rtol=0, atol=0.01, err_msg=case.name)


def test_the_cases_exercise_the_departure_window(case: Case) -> None:
    premium = case.mine["build"]["departing_premium"]
    assert not (case.mine["rent"]["departing_premium"] < 0).any(), "rent never departs"
    if case.name in ("base", "hourly"):
        assert not (premium < 0).any()
    else:
        assert (premium < 0).any()
        assert (case.mine["build"]["cloud_short_term"] < 0).any()


# ------------------------------------------------------------------------------------------------
# The hourly load shape
# ------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def hourly_load() -> np.ndarray:
    return representative_year(econ.load_scenario("hourly"))["load"].to_numpy()


def test_the_representative_year_is_sane(hourly_load: np.ndarray) -> None:
    """The one input taken from the package for the shape: a year of non-negative hourly load, mean 1, peak 1 < pi < 3."""
    assert hourly_load.shape == (8760,)
    assert np.isfinite(hourly_load).all()
    assert (hourly_load >= 0).all()
    s = hourly_load / hourly_load.mean()
    np.testing.assert_allclose(s.mean(), 1.0, rtol=0, atol=1e-12)
    np.testing.assert_allclose(hourly_load.mean(), 1.0, rtol=0, atol=1e-9)  # representative_year's default mean_load
    pi = float(s.max())
    assert 1.0 < pi < 3.0, pi
    curve = LoadDurationCurve(hourly_load)
    assert curve.pi == pytest.approx(pi, abs=1e-12)
    assert curve.u == pytest.approx(1 / pi, abs=1e-12)


def test_expected_min_against_brute_force(hourly_load: np.ndarray) -> None:
    """The sorted-cumsum E[min(s, k)] against the mean over the hours of np.minimum, in chunks."""
    curve = LoadDurationCurve(hourly_load)
    s = hourly_load / hourly_load.mean()
    # k at 0, inside the curve, exactly on hours, at and beyond the peak
    k = np.concatenate((np.linspace(0, 1.2 * curve.pi, 997), s[:: 8760 // 40], [curve.pi, 5.0]))
    brute = np.concatenate([np.minimum(s[None, :], chunk[:, None]).mean(axis=1) for chunk in np.array_split(k, 8)])
    np.testing.assert_allclose(curve.expected_min(k), brute, rtol=0, atol=1e-12)
    assert curve.expected_min(0.0) == 0.0
    np.testing.assert_allclose(curve.expected_min(curve.pi), 1.0, rtol=0, atol=1e-12)  # no cap: the mean of s


def test_hourly_holds_the_same_capacity_and_changes_only_owned_running_costs() -> None:
    """model.md: the same capacity is held under either shape, so rent is unchanged; only the owned fleet's power and water move."""
    base, hourly = recompute("base"), recompute("hourly")
    for category in CATEGORIES:
        np.testing.assert_allclose(hourly["rent"][category], base["rent"][category], rtol=0, atol=0.01, err_msg=category)
    for strategy in ("build", "hybrid"):
        for category in set(CATEGORIES) - {"power", "water", "tax_owned"}:
            np.testing.assert_allclose(hourly[strategy][category], base[strategy][category], rtol=0, atol=0.01, err_msg=category)
        # merit order: the owned fleet is the peaker, so it draws less than under the flat rule
        assert hourly[strategy]["power"].sum() > base[strategy]["power"].sum()
        assert (hourly[strategy]["power"] >= base[strategy]["power"] - 0.01).all()
