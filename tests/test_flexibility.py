"""Real options on the build program (econ.flexibility): the static limit, bounds and bad input."""

from __future__ import annotations

import dataclasses
from functools import cache

import numpy as np
import pytest

from econ import evaluate
from econ.assumptions import load_scenario
from econ.drivers import DriverCalibration, calibrate_drivers
from econ.flexibility import DriverSample, abandon_option, defer_option, expand_option, sample_drivers, stage_option
from econ.inputs import inputs_from_scenario
from econ.plans import named_plans
from econ.strategies import forecast, market, npv_cost, run_strategy

SITE = "us-tx-abilene"


@cache
def _calibration() -> DriverCalibration:
    return calibrate_drivers(load_scenario("base"), draws=400, seed=3)


@cache
def _still() -> DriverSample:
    calibration = dataclasses.replace(_calibration(), volatility_annual=np.zeros(2))
    return sample_drivers(load_scenario("base"), 4, calibration=calibration)


@cache
def _moving() -> DriverSample:
    return sample_drivers(load_scenario("base"), 400, seed=11, calibration=_calibration())


def test_zero_volatility_defer_is_the_static_model() -> None:
    value = defer_option(_still(), SITE, window_months=12, step_months=6)
    build_saving = float(evaluate(load_scenario("base")).summary.loc["build", "npv_saving_vs_rent_usd"])
    # exercising at the site's static start is the build strategy: the same saving as econ.evaluate, to the cent
    assert value.saving_vs_rent_static.value == pytest.approx(build_saving, abs=0.01)
    assert value.saving_vs_rent_static.std_error == 0.0
    # with no uncertainty the option takes the best static start (or never): its value is the best payoff
    assert value.flexible.value == pytest.approx(max(value.payoffs[0].max(), 0.0), rel=1e-12)
    assert value.perfect_foresight.value == pytest.approx(value.flexible.value, rel=1e-12)
    assert np.all(value.payoffs == value.payoffs[0])


def test_zero_volatility_abandon_never_pays_when_completing_saves() -> None:
    value = abandon_option(_still(), SITE, step_months=12)
    assert value.static.value == 0.0
    assert value.flexible.value == pytest.approx(max(value.payoffs[0].max(), 0.0), rel=1e-12)
    assert value.saving_vs_rent_flexible.value >= value.saving_vs_rent_static.value - 1e-3


def test_driver_paths_run_through_the_model_equal_the_models_own_run() -> None:
    scenario = load_scenario("base")
    inputs = inputs_from_scenario(scenario)
    sample = _still()
    build = named_plans(inputs)["build"]
    plan = forecast(inputs)
    trajectory, price = market(inputs)
    own = npv_cost(inputs, run_strategy(inputs, build, plan))
    injected = run_strategy(inputs, build, plan, (trajectory, sample.paths[:1, 1:, 1]), sample.paths[:1, 1:, 0])
    assert np.allclose(sample.paths[0, 1:, 1], price[0], rtol=1e-12)
    assert float(npv_cost(inputs, injected)[0]) == pytest.approx(float(own[0]), rel=1e-12)


def test_uncertain_defer_is_bounded_by_zero_and_perfect_foresight() -> None:
    value = defer_option(_moving(), SITE, window_months=24, step_months=6)
    assert value.flexible.value >= -3.0 * value.flexible.std_error
    assert value.flexible.value <= value.perfect_foresight.value
    hit = value.exercise_month >= 0
    columns = np.searchsorted(np.asarray(value.exercise_months), value.exercise_month[hit])
    realized = value.payoffs[np.flatnonzero(hit), columns]
    assert np.all(realized <= np.maximum(value.payoffs[hit].max(axis=1), 0.0))
    assert value.option_value == pytest.approx(value.flexible.value - value.static.value)
    assert list(value.policy["month"]) == list(value.exercise_months)
    assert value.policy["cumulative_share"].iloc[-1] == pytest.approx(hit.mean())


def test_abandoning_recovers_no_more_than_foresight() -> None:
    value = abandon_option(_moving(), SITE, step_months=12)
    # the rule decides on fitted values and is credited realized ones, so an option worth about nothing can
    # come out slightly below 0: within three standard errors
    assert -3.0 * value.flexible.std_error <= value.flexible.value <= value.perfect_foresight.value
    assert value.exercise_months == tuple(range(0, 48, 12))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"site": "nowhere"}, "site: must be one of"),
        ({"window_months": 400}, "window_months: the exercise window must end within the horizon"),
        ({"window_months": -1}, "window_months"),
        ({"step_months": 0}, "step_months"),
        ({"degree": 0}, "degree"),
    ],
)
def test_defer_bad_input(kwargs: dict[str, object], message: str) -> None:
    args: dict[str, object] = {"site": SITE, "window_months": 12, "step_months": 6} | kwargs
    with pytest.raises(ValueError, match=message):
        defer_option(_still(), **args)  # type: ignore[arg-type]


def test_sample_drivers_bad_input() -> None:
    scenario = load_scenario("base")
    with pytest.raises(ValueError, match="n_paths"):
        sample_drivers(scenario, 3, calibration=_calibration())
    short = dataclasses.replace(_calibration(), horizon_months=120, central=_calibration().central[:121])
    with pytest.raises(ValueError, match=r"calibration\.horizon_months: must be the scenario's horizon, 180"):
        sample_drivers(scenario, 4, calibration=short)
    with pytest.raises(ValueError, match="seed"):
        sample_drivers(scenario, 4, seed=1.5, calibration=_calibration())  # type: ignore[arg-type]


def test_a_site_the_program_does_not_build_is_refused() -> None:
    from econ.plans import make_plan

    program = make_plan(load_scenario("base"), "one", site_mw={"us-va-loudoun": 200.0}, contracts=[(0, 60, 1.0)])
    with pytest.raises(ValueError, match="site: the program does not build 'us-tx-abilene'"):
        defer_option(_still(), SITE, program=program)


def test_zero_volatility_expand_takes_the_best_month_or_never() -> None:
    value = expand_option(_still(), SITE, 100.0, window_months=24, step_months=12)
    assert value.exercise_months == (0, 12, 24)
    assert value.flexible.value == pytest.approx(max(value.payoffs[0].max(), 0.0), rel=1e-12)
    assert value.static.value == pytest.approx(value.payoffs[0, 0], rel=1e-12)
    # the program without the hall is the build strategy: its saving against rent is econ.evaluate's
    build_saving = float(evaluate(load_scenario("base")).summary.loc["build", "npv_saving_vs_rent_usd"])
    baseline = value.saving_vs_rent_static.value - value.static.value
    assert baseline == pytest.approx(build_saving, abs=0.01)


def test_a_hall_added_to_a_site_waits_for_the_sites_grid_and_permit() -> None:
    """The added hall shares the site's permit, grid connection and equipment: it is energized no earlier than the site."""
    from econ.build import site_schedule
    from econ.flexibility import _Halls, _order, _program, _shared, _split, _split_plan

    sample = _still()
    inputs = sample.inputs
    i = inputs.site_ids.index(SITE)
    program = _program(sample, None)
    split, cols = _split(inputs, i, [100.0], [True], at_end=True)
    plan = _split_plan(program, _order(inputs, i, 1, at_end=True), cols, 1.0, 0.0)
    site = site_schedule(split, plan.shares(1, len(split.site_ids)), plan.starts(split))
    halls = _Halls(i, (cols[0],), float(site.permit[0, i]), float(site.grid[0, i]), float(site.equipment[0, i]))
    shared = _shared(split, halls, np.asarray(plan.start_month, dtype=float)[None, :], np.asarray(plan.site_share, dtype=float)[None, :])
    schedule = site_schedule(shared, plan.shares(1, len(split.site_ids)), plan.starts(shared))
    hall = cols[0]
    # placed after the program's sites, the hall starts when the MW budget allows (month 12 here), with the site's permit in hand
    assert schedule.start[0, hall] == 12.0
    assert schedule.permit[0, hall] == max(site.permit[0, i], 12.0) and schedule.grid[0, hall] == max(site.grid[0, i], 12.0)
    assert schedule.energize[0, hall] >= site.energize[0, i] - (
        float(inputs["site.construction_months"][0, i]) - float(inputs["build.hall_construction_months"][0])
    )
    months = float(inputs["build.hall_construction_months"][0])
    ready = max(schedule.grid[0, hall], schedule.equipment[0, hall])  # built as late as it can start, done when the power is
    assert schedule.construction[0, hall] == max(schedule.permit[0, hall], np.floor(ready - months))
    assert schedule.mechanical[0, hall] == schedule.construction[0, hall] + months
    assert float(shared["site.it_mw"][0, hall]) == 100.0


def test_zero_volatility_stage_compares_halls_with_the_campus() -> None:
    value = stage_option(_still(), SITE, halls=2, window_months=12)
    assert value.exercise_month.shape == (4, 1) and value.payoffs.shape == (4, 2, 1)
    assert value.perfect_foresight is None
    best = max(value.payoffs[0, :, 0].max(), 0.0)
    # flexible - static: what deciding the second hall later adds over starting it with the first
    assert value.option_value == pytest.approx(best - value.payoffs[0, 0, 0], rel=1e-9, abs=1.0)
    build_saving = float(evaluate(load_scenario("base")).summary.loc["build", "npv_saving_vs_rent_usd"])
    assert value.saving_vs_rent_static.value == pytest.approx(build_saving, abs=0.01)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda s: expand_option(s, SITE, extra_mw=0.0), "extra_mw: must be a finite number of MW > 0"),
        (lambda s: expand_option(s, SITE, extra_mw=float("nan")), "extra_mw"),
        (lambda s: stage_option(s, SITE, halls=1), "halls"),
        (lambda s: stage_option(s, SITE, window_months=500), "window_months"),
        (lambda s: abandon_option(s, SITE, step_months=0), "step_months"),
    ],
)
def test_stage_expand_abandon_bad_input(call: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        call(_still())  # type: ignore[operator]


def test_results_do_not_depend_on_the_chunk_of_paths(monkeypatch: pytest.MonkeyPatch) -> None:
    """Paths run in chunks; a plan with one row of shares (the named strategies') or one per path gives the same values."""
    import econ.flexibility as flexibility

    sample = sample_drivers(load_scenario("base"), 8, seed=4, calibration=_calibration())
    whole = stage_option(sample, SITE, halls=2, window_months=12)
    monkeypatch.setattr(flexibility, "_CHUNK", 3)
    cut = stage_option(dataclasses.replace(sample), SITE, halls=2, window_months=12)  # a new sample: nothing cached
    np.testing.assert_array_equal(cut.payoffs, whole.payoffs)
    assert cut.saving_vs_rent_flexible == whole.saving_vs_rent_flexible


def test_table_and_words_state_the_values_they_are_given() -> None:
    from econ.flexibility import option_table, policy_words

    values = [defer_option(_moving(), SITE, window_months=24, step_months=12), abandon_option(_moving(), SITE, step_months=12)]
    table = option_table(values)
    assert table.index.tolist() == [f"defer {SITE}", f"abandon {SITE}"]
    for v, (_, row) in zip(values, table.iterrows(), strict=True):
        assert row["flexible_usd"] == v.flexible.value and row["option_value_usd"] == v.option_value
        assert row["flips"] == v.flips
        assert row["exercised_share"] == pytest.approx((v.exercise_month >= 0).mean())
        words = policy_words(v)
        assert words.startswith(f"Option to {v.kind}: {v.description}.")
        assert ("changes the sign" in words) == v.flips
        top = v.policy.loc[v.policy["exercised_share"].idxmax()]
        if (v.exercise_month >= 0).any():
            assert f"most often at month {int(top['month'])}" in words


def test_words_say_when_the_rule_never_exercises() -> None:
    from econ.flexibility import policy_words

    value = abandon_option(_still(), SITE, step_months=12)  # completing Abilene pays on the central path
    assert (value.exercise_month < 0).all()
    assert "The rule never exercises it." in policy_words(value)


def test_mean_reverting_drivers_reach_the_options() -> None:
    gbm = sample_drivers(load_scenario("base"), 8, seed=2, calibration=_calibration())
    ou = sample_drivers(load_scenario("base"), 8, seed=2, calibration=_calibration(), reversion_annual=0.5)
    assert np.array_equal(ou.paths[:, 0], gbm.paths[:, 0]) and not np.allclose(ou.paths[:, 1:], gbm.paths[:, 1:])
    with pytest.raises(ValueError, match="reversion_annual"):
        sample_drivers(load_scenario("base"), 8, seed=2, calibration=_calibration(), reversion_annual=-1.0)


@pytest.mark.parametrize(
    "call",
    [
        lambda s: defer_option(s, SITE, window_months=24, step_months=12),
        lambda s: expand_option(s, SITE, 100.0, 24, 12),
        lambda s: abandon_option(s, SITE, step_months=12),
        lambda s: stage_option(s, SITE, halls=3, window_months=24),
    ],
    ids=["defer", "expand", "abandon", "stage"],
)
def test_with_certain_drivers_waiting_to_learn_is_worth_nothing(call: object) -> None:
    """Zero volatility: the committed plan is the rule's plan, so the option is all timing and no flexibility."""
    value = call(_still())  # type: ignore[operator]
    assert value.flexibility.value == pytest.approx(0.0, abs=1.0) and value.flexibility.std_error == pytest.approx(0.0, abs=1e-3)
    assert value.committed.value == pytest.approx(value.flexible.value, rel=1e-9, abs=1.0)
    assert value.timing_value == pytest.approx(value.option_value, rel=1e-9, abs=1.0)
    assert value.saving_vs_rent_committed.value == pytest.approx(value.saving_vs_rent_flexible.value, rel=1e-12, abs=1.0)


@pytest.mark.parametrize(
    "call",
    [
        lambda s: defer_option(s, SITE, window_months=24, step_months=6),
        lambda s: expand_option(s, SITE, 100.0, 24, 12),
        lambda s: abandon_option(s, SITE, step_months=12),
    ],
    ids=["defer", "expand", "abandon"],
)
def test_the_committed_plan_is_the_best_month_on_average_and_the_parts_add_up(call: object) -> None:
    value = call(_moving())  # type: ignore[operator]
    mean = value.payoffs.mean(axis=0)
    (month,) = value.committed_months
    # the committed plan exercises every path at the month best on average, or never if no month pays on average
    expected = max(float(mean.max()), 0.0)
    assert value.committed.value == pytest.approx(expected, rel=1e-12, abs=1e-3)
    assert month == (value.exercise_months[int(np.argmax(mean))] if mean.max() > 0 else -1)
    # it includes the static plan's choice, and foresight beats any plan
    assert value.static.value <= value.committed.value + 1e-3 <= value.perfect_foresight.value + 2e-3
    # option value = timing (committed - static) + flexibility (flexible - committed), path by path
    assert value.timing_value + value.flexibility.value == pytest.approx(value.option_value, rel=1e-9, abs=1.0)
    assert value.flexibility.std_error > 0.0


def test_staged_halls_committed_on_average_decide_the_same_halls_on_every_path() -> None:
    value = stage_option(_moving(), SITE, halls=3, window_months=24)
    assert len(value.committed_months) == 2
    assert all(m == -1 or m in value.exercise_months for m in value.committed_months)
    # the first later hall's committed month is the one best on average across the paths (given the first hall alone)
    mean = value.payoffs[:, :, 0].mean(axis=0)
    assert value.committed_months[0] == (value.exercise_months[int(np.argmax(mean))] if mean.max() > 0 else -1)
    assert value.timing_value + value.flexibility.value == pytest.approx(value.option_value, rel=1e-9, abs=1.0)
    # the static plan of stage is the campus: the committed halls save their value against it
    gained = value.saving_vs_rent_committed.value - value.saving_vs_rent_static.value
    assert gained == pytest.approx(value.committed.value, rel=1e-9, abs=1.0)
