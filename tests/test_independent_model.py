"""``econ.evaluate`` against an independent recomputation of its cash flows (``tests/independent_model.py``).

The recomputation was written from docs/model.md and the docstrings, not from the package's code,
and reads only input values through ``econ.load_scenario`` (and, for the ``hourly`` scenario, the
representative year of hourly load, ``econ.load_shape.representative_year``). Every category of every
strategy must match month by month to the cent, and so must each strategy's NPV cost.

Plans other than the named strategies (``econ.make_plan``), colocation included, are checked the same
way: each plan's inputs are stated once as plain values (:data:`PLANS`) and given both to
``econ.make_plan`` and to the independent :class:`~tests.independent_model.PlanSpec`; nothing of
``econ.plans``, ``econ.strategies`` or ``econ.build`` computes anything for the independent side.
A plan that abandons a site (``stop_month``) is given to econ as ``make_plan``'s plan with
``Plan.stop_month`` set (:func:`econ_plan`).
"""

from __future__ import annotations

import dataclasses
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
import pytest

import econ
from econ.load_shape import representative_year
from econ.strategies import Evaluation
from tests.independent_model import CATEGORIES, STRATEGIES, LoadDurationCurve, PlanSpec, discount_factors, recompute, recompute_plans

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
    # The analyst's discount rate discounts; the provider's cost of capital (model.md "Cloud price and
    # contracts": cloud.provider_discount_rate_annual) stays at 10 %, so the cloud's prices do not move.
    "buyer_wacc_8": ("base", {"finance.discount_rate_annual": 0.08}),
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
    if case.name in ("base", "hourly", "buyer_wacc_8"):
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


# ------------------------------------------------------------------------------------------------
# Plans other than the named strategies, and colocation (model.md "Colocation: owned GPUs in leased
# space", "Plans and the decision under uncertainty")
# ------------------------------------------------------------------------------------------------
# The base build program as a plan: every site's whole IT MW (build.sites.<id>.it_mw of the base
# scenario, checked in test_the_plans_given_to_econ_are_the_plans_recomputed) on the build strategy's contracts
BUILD_PROGRAM: dict[str, Any] = {
    "site_mw": {
        "us-va-loudoun": 200.0,
        "us-tx-abilene": 200.0,
        "ie-dub-dublin": 50.0,
        "de-fra-rheinmain": 100.0,
        "in-navi-mumbai": 100.0,
        "my-johor-sedenak": 150.0,
        "za-jnb-samrand": 150.0,
        "mx-qro-queretaro": 50.0,
    },
    "contracts": [(0, 60, 1.0), (60, 60, 1.0), (120, 60, 1.0)],
}

# plan name -> keyword arguments, the same for econ.make_plan(base, name, **kw) and PlanSpec(name, **kw);
# a plan's stop_month (site id -> month abandoned) goes to econ as Plan.stop_month (:func:`econ_plan`)
PLANS: dict[str, dict[str, Any]] = {
    # (a) owned GPUs in 200 MW of leased space, nothing built, rent's contract calendar
    "colo 200": {"colocation_mw": 200.0, "contracts": [(0, 60, 1.0), (60, 60, 1.0), (120, 60, 1.0)]},
    # (b) half of Abilene, all of Frankfurt started at month 12, 100 MW of colocation, three-year contracts covering half
    "mixed": {
        "site_mw": {"us-tx-abilene": 100.0, "de-fra-rheinmain": 100.0},
        "start_month": {"de-fra-rheinmain": 12},
        "contracts": [(0, 36, 0.5), (36, 36, 0.5), (72, 36, 0.5), (108, 36, 0.5), (144, 36, 0.5)],
        "colocation_mw": 100.0,
    },
    # (b) without its colocation: the plan machinery alone (site shares, a start month, contracts by cover share)
    "mixed, no colocation": {
        "site_mw": {"us-tx-abilene": 100.0, "de-fra-rheinmain": 100.0},
        "start_month": {"de-fra-rheinmain": 12},
        "contracts": [(0, 36, 0.5), (36, 36, 0.5), (72, 36, 0.5), (108, 36, 0.5), (144, 36, 0.5)],
    },
    # (c) the base build program, completed, and Abilene (start 0, permit 12, construction from 18 so that it
    # is done when the grid arrives, mechanical, energize and online 48) abandoned: at month 30, during
    # construction after the GPU order placed at permit; at month 6, before its permit (half its development
    # spent, no construction, no GPU order); at month 100, after it is energized (ignored: the completed program)
    "build program": BUILD_PROGRAM,
    "Abilene stopped at 30": {**BUILD_PROGRAM, "stop_month": {"us-tx-abilene": 30.0}},
    "Abilene stopped at 6": {**BUILD_PROGRAM, "stop_month": {"us-tx-abilene": 6.0}},
    "Abilene stopped at 100": {**BUILD_PROGRAM, "stop_month": {"us-tx-abilene": 100.0}},
}
STOPPED_SITE = "us-tx-abilene"

# The colocation hall is ready ``colo.lead_months`` after signing at t = 0 and pays no equipment
# deposit (docs/model.md). The first version of econ had it ready a month later (its permit event
# at t = 0 moved to month 1) and charged a deposit on the fit-out: this recomputation found both,
# econ was corrected, and these plans now match to the cent.
COLO_PLANS = ("colo 200", "mixed")


def _plan_param(name: str) -> Any:
    return pytest.param(name, id=name)


def econ_plan(scenario: Any, name: str, kw: dict[str, Any]) -> econ.Plan:
    """``econ.make_plan`` of the plan's inputs; a stop month per site (in the scenario's site order, then the
    colocation option, ``inf`` for never) is set on the plan afterwards, as make_plan takes none."""
    kw = dict(kw)
    stops = kw.pop("stop_month", None)
    plan = econ.make_plan(scenario, name, **kw)
    if stops is None:
        return plan
    sites = list(scenario.site_ids)
    unknown = set(stops) - set(sites)
    if unknown:
        raise ValueError(f"{name}: stop_month of unknown sites {sorted(unknown)}")
    return dataclasses.replace(plan, stop_month=np.array([float(stops.get(s, np.inf)) for s in sites] + [np.inf]))


class PlanCase(NamedTuple):
    scenario: Any
    plans: dict[str, econ.Plan]
    evaluation: Evaluation
    mine: dict[str, dict[str, np.ndarray]]
    df: np.ndarray


@pytest.fixture(scope="module")
def plan_case() -> PlanCase:
    scenario = econ.load_scenario("base")
    plans = {name: econ_plan(scenario, name, kw) for name, kw in PLANS.items()}
    mine = recompute_plans(scenario, [PlanSpec(name, **kw) for name, kw in PLANS.items()])
    return PlanCase(scenario, plans, econ.evaluate(scenario, list(plans.values())), mine, discount_factors(scenario))


def test_the_plans_given_to_econ_are_the_plans_recomputed(plan_case: PlanCase) -> None:
    """The plan objects' public attributes state the same sites, start months, contracts and reservation as PLANS."""
    values, sites = dict(plan_case.scenario.values), list(plan_case.scenario.site_ids)
    assert list(plan_case.evaluation.summary.index) == ["rent", *PLANS]
    for name, kw in PLANS.items():
        plan = plan_case.plans[name]
        share = [kw.get("site_mw", {}).get(s, 0.0) / values[f"build.sites.{s}.it_mw"] for s in sites]
        np.testing.assert_allclose(plan.site_share[: len(sites)], share, rtol=0, atol=1e-12, err_msg=name)
        starts = {s: kw.get("start_month", {}).get(s, values[f"build.sites.{s}.start_month"]) for s in sites}
        if plan.start_month is not None:
            assert dict(zip(sites, plan.start_month[: len(sites)].tolist(), strict=True)) == starts, name
        else:
            assert not kw.get("start_month"), name
        assert [(c.start_month, c.term_months, c.cover_share) for c in plan.contracts] == list(kw["contracts"]), name
        assert plan.reservation == kw.get("reservation", "cheapest"), name
        if plan.stop_month is not None:
            stops = [kw.get("stop_month", {}).get(s, np.inf) for s in sites]
            assert plan.stop_month.tolist() == [*stops, np.inf], name  # the colocation option last, never stopped
        else:
            assert not kw.get("stop_month"), name
    # the build program builds every candidate site whole
    assert plan_case.plans["build program"].site_share[: len(sites)].tolist() == [1.0] * len(sites)


def test_plans_rent_matches_to_the_cent(plan_case: PlanCase) -> None:
    """The named rent, always the first row of an evaluation of plans, is the one checked above."""
    pkg = package_flows(plan_case.evaluation, "rent", len(plan_case.df))
    for category in CATEGORIES:
        np.testing.assert_allclose(pkg[category].to_numpy(), plan_case.mine["rent"][category], rtol=0, atol=0.01, err_msg=category)


@pytest.mark.parametrize("plan", [_plan_param(name) for name in PLANS])
def test_plan_cashflows_match_to_the_cent(plan_case: PlanCase, plan: str) -> None:
    pkg = package_flows(plan_case.evaluation, plan, len(plan_case.df))
    assert set(pkg.columns) == set(CATEGORIES), "a category the independent model does not know, or one it lacks"
    assert not pkg.isna().any().any(), "a month missing from the package's cash flows"
    for category in CATEGORIES:
        np.testing.assert_allclose(
            pkg[category].to_numpy(), plan_case.mine[plan][category], rtol=0, atol=0.01, err_msg=f"{plan} {category}"
        )


@pytest.mark.parametrize("plan", [_plan_param(name) for name in PLANS])
def test_plan_npv_cost_matches_to_the_cent(plan_case: PlanCase, plan: str) -> None:
    npv_cost = -sum(float((flows * plan_case.df).sum()) for flows in plan_case.mine[plan].values())
    np.testing.assert_allclose(plan_case.evaluation.summary.loc[plan, "npv_cost_usd"], npv_cost, rtol=0, atol=0.01, err_msg=plan)


def test_the_plans_exercise_colocation(plan_case: PlanCase) -> None:
    """The independent side pays colocation rent, and no land or water, for the hall; the plan without it pays no rent."""
    for name in COLO_PLANS:
        assert (plan_case.mine[name]["colocation_rent"] < 0).sum() > 150, name
    assert not plan_case.mine["colo 200"]["land"].any()
    assert not plan_case.mine["colo 200"]["water"].any()
    assert not plan_case.mine["mixed, no colocation"]["colocation_rent"].any()
    assert not plan_case.mine["rent"]["colocation_rent"].any()


def test_colocation_hall_is_ready_colo_lead_months_after_signing(plan_case: PlanCase) -> None:
    """model.md: ready `colo.lead_months` after signing at t = 0; the first fleet is bought then and the rent starts then."""
    pkg = package_flows(plan_case.evaluation, "colo 200", len(plan_case.df))
    ready = int(np.ceil(plan_case.scenario["colo.lead_months"]))
    assert int(pkg.index[pkg["gpu_capex"] < 0][0]) == ready
    assert int(pkg.index[pkg["colocation_rent"] < 0][0]) == ready


def test_colocation_hall_pays_no_equipment_deposit(plan_case: PlanCase) -> None:
    """model.md: no long-lead equipment of its own, so no deposit on it (nothing else is built in plan (a))."""
    pkg = package_flows(plan_case.evaluation, "colo 200", len(plan_case.df))
    assert not (pkg["equipment_deposit"] < 0).any()


# ------------------------------------------------------------------------------------------------
# Abandonment (econ.build module and site_schedule docstrings): a site stopped before it is energized
# ------------------------------------------------------------------------------------------------
def test_the_stop_months_fall_where_intended(plan_case: PlanCase) -> None:
    """econ's own schedule of the plan stopped at 30: Abilene starts at 0, 6 < permit < 30 < mechanical <= energize < 100; no GPUs."""
    sites = econ.evaluate(plan_case.scenario, [plan_case.plans["Abilene stopped at 30"]]).sites
    row = sites.loc[STOPPED_SITE]
    assert row.start_month == 0
    assert 6 < row.permit_month < row.construction_month < 30 < row.mechanical_month <= row.energize_month <= row.online_month < 100
    assert row.first_gpus == 0
    assert (sites.drop(index=STOPPED_SITE).first_gpus > 0).all()


def test_a_stop_after_energization_is_ignored(plan_case: PlanCase) -> None:
    """Month 100 is after Abilene is energized: the plan is the completed program, on both sides."""
    done, late = plan_case.mine["build program"], plan_case.mine["Abilene stopped at 100"]
    pkg_done = package_flows(plan_case.evaluation, "build program", len(plan_case.df))
    pkg_late = package_flows(plan_case.evaluation, "Abilene stopped at 100", len(plan_case.df))
    for category in CATEGORIES:
        np.testing.assert_array_equal(late[category], done[category], err_msg=category)
        np.testing.assert_array_equal(pkg_late[category].to_numpy(), pkg_done[category].to_numpy(), err_msg=category)


def test_the_stopped_plans_exercise_abandonment(plan_case: PlanCase) -> None:
    """On the independent side, what differs from the completed program at the stop month and around it."""
    done = plan_case.mine["build program"]
    late = {c: plan_case.mine["Abilene stopped at 30"][c] - done[c] for c in CATEGORIES}
    early = {c: plan_case.mine["Abilene stopped at 6"][c] - done[c] for c in CATEGORIES}
    # stopped at 30, during construction: land sold, salvage, the GPU order cancelled, the loss deducted
    assert late["land"][29] > 0 and late["facility_capex"][29] > 0 and late["gpu_capex"][29] < 0 and late["tax_owned"][29] > 0
    assert not late["development"].any() and not late["equipment_deposit"].any()
    assert not late["facility_capex"][:29].any() and (late["facility_capex"][30:48] > 0).all()
    # stopped at 6, before the permit: half the development, no construction, no GPU order
    assert early["land"][5] > 0 and early["tax_owned"][5] > 0 and early["gpu_capex"][5] == 0
    assert not early["development"][:6].any() and (early["development"][6:12] > 0).all()
    assert not early["facility_capex"][:18].any() and (early["facility_capex"][18:48] > 0).all()  # construction 19..48
    for diff in (late, early):
        assert not diff["retrofit"][:48].any() and (diff["retrofit"] >= 0).all()
        assert diff["residual_value"][-1] < 0  # no land, facility or GPUs left at the horizon


def test_a_stopped_site_does_not_extend_the_departure_window() -> None:
    """The choice where the docs are silent: the window runs to the last site online of those built, not stopped.

    Loudoun (online 84, the last) stopped at 30 under a 10 % departing premium and half-cover contracts: the
    window ends 12 months after month 72, not 84, and the short-term tranches started in between pay no premium
    (counting the stopped site would add about $0.44bn of departing premium). Matched to the cent.
    """
    scenario = econ.load_scenario("base", {"cloud.departing_contract_premium": 0.10})
    kw = {
        **BUILD_PROGRAM,
        "contracts": [(0, 36, 0.5), (36, 36, 0.5), (72, 36, 0.5), (108, 36, 0.5), (144, 36, 0.5)],
        "stop_month": {"us-va-loudoun": 30.0},
    }
    evaluation = econ.evaluate(scenario, [econ_plan(scenario, "Loudoun stopped at 30", kw)])
    mine = recompute_plans(scenario, [PlanSpec("Loudoun stopped at 30", **kw)])["Loudoun stopped at 30"]
    pkg = package_flows(evaluation, "Loudoun stopped at 30", len(mine["land"]))
    assert (mine["departing_premium"] < 0).any()
    for category in CATEGORIES:
        np.testing.assert_allclose(pkg[category].to_numpy(), mine[category], rtol=0, atol=0.01, err_msg=category)
