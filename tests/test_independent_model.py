"""``econ.evaluate`` against an independent recomputation of its cash flows (``tests/independent_model.py``).

The recomputation was written from docs/model.md and the docstrings, not from the package's code,
and reads only input values through ``econ.load_scenario``. Every category of every strategy must
match month by month to the cent, and so must each strategy's NPV cost.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np
import pandas as pd
import pytest

import econ
from econ.strategies import Evaluation
from tests.independent_model import CATEGORIES, STRATEGIES, discount_factors, recompute

CASES: dict[str, dict[str, Any]] = {
    "base": {},
    # The departure-window rule does nothing at base (premium 0). With a premium it reaches the
    # builder's contracts and short-term tranches; with a 6-month tail the window ends at month 90
    # while the tranche started at month 84 runs to month 95, so the whole-term rule is exercised.
    "departing_premium": {"cloud.departing_contract_premium": 0.10},
    "departing_premium_tail_6": {"cloud.departing_contract_premium": 0.10, "cloud.departure_tail_months": 6},
}


class Case(NamedTuple):
    name: str
    evaluation: Evaluation
    mine: dict[str, dict[str, np.ndarray]]
    df: np.ndarray


@pytest.fixture(scope="module", params=list(CASES))
def case(request: pytest.FixtureRequest) -> Case:
    scenario = econ.load_scenario("base", CASES[request.param])
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
    if case.name == "base":
        assert not (premium < 0).any()
    else:
        assert (premium < 0).any()
        assert (case.mine["build"]["cloud_short_term"] < 0).any()
