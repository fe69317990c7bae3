"""econ.options.lsm_realized (LSM on realized exercise values, decided on the state only) and econ.options.exercise_boundary.

Expected values are worked by hand from the documented rule: at each exercise month, backwards,
regress the realized exercise value and the realized continuation on the state (all paths), and
exercise where the fitted exercise value is positive and above the fitted continuation; credit the
realized value. With one state on every path the regressions are plain means.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from econ.options import exercise_boundary, lsm_american, lsm_realized, perfect_foresight_value
from econ.paths import gbm_paths

N_PATHS = 20_000


def credited(payoffs: np.ndarray, months: list[int], exercise_month: np.ndarray) -> np.ndarray:
    """The realized payoff of each path at its exercise month, 0 where never exercised."""
    out = np.zeros(payoffs.shape[0])
    hit = exercise_month >= 0
    column = np.searchsorted(np.asarray(months), exercise_month[hit])
    out[hit] = payoffs[np.flatnonzero(hit), column]
    return out


# --- documented example and input checks -------------------------------------------------------


def test_doc_example() -> None:
    paths = np.array([[1.0, 2.0], [1.0, 0.5]] * 8)
    payoffs = np.array([[1.0, 1.0], [-1.0, -1.0]] * 8)
    r = lsm_realized(paths, payoffs, [0, 1])
    assert r.exercise_month.tolist() == [1, -1] * 8
    assert r.value == pytest.approx(0.5, abs=1e-12)
    # eight paths credited 1, eight credited 0: s.e. = sd(ddof=1) / sqrt(16)
    assert r.std_error == pytest.approx(np.std([1.0, 0.0] * 8, ddof=1) / np.sqrt(16), rel=1e-12)
    assert r.boundary is None
    assert r.exercise_months == (0, 1)
    assert len(r.coefficients) == 1  # one per exercise month but the last


PATHS = np.array([[1.0, 2.0, 3.0], [1.0, 0.5, 0.2], [1.0, 1.5, 1.0], [1.0, 0.8, 0.9]])
GOOD = np.zeros((4, 2))


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"payoffs": np.zeros((4, 3))}, "payoffs"),  # three columns for two exercise months
        ({"payoffs": np.zeros((3, 2))}, "payoffs"),  # three rows for four paths
        ({"payoffs": np.zeros(4)}, "payoffs"),
        ({"payoffs": np.array([[0.0, 1.0], [np.nan, 0.0], [0.0, 0.0], [0.0, 0.0]])}, "payoffs"),
        ({"payoffs": np.array([[0.0, np.inf], [0.0, 0.0], [0.0, 0.0], [0.0, 0.0]])}, "payoffs"),
        ({"exercise_months": [2, 1]}, "exercise_months"),
        ({"exercise_months": [1, 1]}, "exercise_months"),
        ({"exercise_months": [0, 3]}, "exercise_months"),  # past the last month of the paths
        ({"exercise_months": [-1, 1]}, "exercise_months"),
        ({"exercise_months": [0.5, 1]}, "exercise_months"),
        ({"degree": 0}, "degree"),
        ({"degree": 1.5}, "degree"),
        ({"degree": True}, "degree"),
        ({"basis": "hermite"}, "basis"),
        ({"paths": np.ones((1, 3))}, "paths"),  # one path
        ({"paths": np.array([[1.0, np.nan, 1.0]] * 4)}, "paths"),
    ],
)
def test_bad_input_names_the_parameter(kwargs: dict, name: str) -> None:
    args: dict = {"paths": PATHS, "payoffs": GOOD, "exercise_months": [1, 2]} | kwargs
    with pytest.raises(ValueError, match=rf"^{name}: "):
        lsm_realized(**args)


def test_non_finite_payoffs_message_says_so() -> None:
    bad = GOOD.copy()
    bad[1, 1] = np.nan
    with pytest.raises(ValueError, match="non-finite"):
        lsm_realized(PATHS, bad, [1, 2])


def test_callable_basis_with_bad_shape_is_refused() -> None:
    paths = gbm_paths(1.0, 0.0, 0.3, months=2, n_paths=50, seed=0)
    with pytest.raises(ValueError, match=r"^basis: "):
        lsm_realized(paths, np.zeros((50, 2)), [1, 2], basis=lambda s: np.ones(3))


# --- one state on every path: the regressions are means ----------------------------------------


@pytest.mark.parametrize("shift", [-0.3, -0.01, 0.01, 0.3])
def test_one_exercise_month_at_zero_is_max_of_mean_and_zero(shift: float) -> None:
    rng = np.random.default_rng(3)
    payoffs = rng.normal(0.0, 1.0, (200, 1))
    payoffs = payoffs - payoffs.mean() + shift  # mean exactly `shift`
    paths = np.full((200, 4), 5.0)
    r = lsm_realized(paths, payoffs, [0])
    if shift > 0:
        assert r.exercise_month.tolist() == [0] * 200
        assert r.value == pytest.approx(shift, abs=1e-12)
        assert r.std_error == pytest.approx(np.std(payoffs[:, 0], ddof=1) / np.sqrt(200), rel=1e-12)
    else:
        assert r.exercise_month.tolist() == [-1] * 200
        assert r.value == 0.0
        assert r.std_error == 0.0


def test_identical_states_pick_the_month_with_the_best_mean_and_do_not_discount() -> None:
    # payoffs are present values already: 1, 2, 3 at months 0, 6, 12 -> wait for 12 (no discounting applied)
    paths = np.full((10, 13), 2.0)
    rising = np.tile([1.0, 2.0, 3.0], (10, 1))
    r = lsm_realized(paths, rising, [0, 6, 12])
    assert r.exercise_month.tolist() == [12] * 10
    assert r.value == pytest.approx(3.0, abs=1e-12)
    # falling: take 3 now
    r = lsm_realized(paths, rising[:, ::-1], [0, 6, 12])
    assert r.exercise_month.tolist() == [0] * 10
    assert r.value == pytest.approx(3.0, abs=1e-12)
    # a negative mean later is never taken even if the continuation is zero
    r = lsm_realized(paths, np.tile([-1.0, -2.0, -0.5], (10, 1)), [0, 6, 12])
    assert r.exercise_month.tolist() == [-1] * 10
    assert r.value == 0.0


def test_identical_states_realized_noise_averages_out() -> None:
    # month 6 pays +2 or -1 (mean 0.5), month 12 pays 0.4 on every path: the rule sees only the means
    # (0.5 > 0.4) and takes month 6 on every path, even on the paths where it loses 1.
    paths = np.full((10, 13), 2.0)
    payoffs = np.column_stack([np.array([2.0, -1.0] * 5), np.full(10, 0.4)])
    r = lsm_realized(paths, payoffs, [6, 12])
    assert r.exercise_month.tolist() == [6] * 10
    assert r.value == pytest.approx(0.5, abs=1e-12)


# --- no foresight ------------------------------------------------------------------------------


def test_paths_with_the_same_states_get_the_same_decision_whatever_they_realize() -> None:
    # Each path of the first half is repeated in the second half with other realized payoffs: a rule on
    # the state alone must decide alike on both copies; a rule on realized values would not.
    base = gbm_paths(1.0, 0.0, 0.3, months=6, n_paths=500, seed=11)
    paths = np.concatenate([base, base])
    rng = np.random.default_rng(12)
    signal = (base[:, 1:, 0] - 1.0) * 3.0  # exercise value depends on the state ...
    payoffs = np.concatenate([signal + rng.normal(0, 1, signal.shape), signal + rng.normal(0, 1, signal.shape)])  # ... plus noise
    r = lsm_realized(paths, payoffs, [1, 2, 3, 4, 5, 6])
    assert np.array_equal(r.exercise_month[:500], r.exercise_month[500:])
    assert (r.exercise_month >= 0).any()  # not vacuous: the rule does exercise somewhere
    assert (r.exercise_month == -1).any()


def test_pure_noise_payoffs_are_worth_about_nothing() -> None:
    months = list(range(13))
    paths = gbm_paths(1.0, 0.0, 0.3, months=12, n_paths=N_PATHS, seed=5)
    payoffs = np.random.default_rng(7).normal(-0.1, 1.0, (N_PATHS, len(months)))  # independent of the state
    r = lsm_realized(paths, payoffs, months)
    # Nothing about the state predicts the payoff, whose mean is -0.1 at every month: the fitted exercise
    # value is negative nearly everywhere, so the option is worth 0 up to noise (and the in-sample bias of
    # fitting on the same paths, which is of the order of a standard error).
    assert abs(r.value) <= 3.0 * r.std_error + 1e-12
    assert abs(r.value) < 0.01
    assert np.mean(r.exercise_month >= 0) < 0.05
    # With hindsight each path would take its best month: E[max(0, max of 13 N(-0.1, 1))] ~ 1.57.
    foresight = np.maximum(payoffs.max(axis=1), 0.0).mean()
    assert foresight > 1.4
    assert r.value < foresight - 100.0 * max(r.std_error, 1e-3)
    # A rule deciding on realized values (take the first positive payoff) would be worth a lot.
    first_positive = np.argmax(payoffs > 0, axis=1)
    has_positive = (payoffs > 0).any(axis=1)
    realized_rule = np.where(has_positive, payoffs[np.arange(N_PATHS), first_positive], 0.0).mean()
    assert realized_rule > 0.5
    assert r.value < realized_rule - 0.4


def test_constant_plus_noise_is_worth_the_constant() -> None:
    # Every column pays c plus noise independent of the state: whatever month the rule picks, it is
    # worth c in expectation, so value ~ c and every path exercises (the fitted value, ~c, is positive).
    # Tolerance: the in-sample high bias of regressing on the same noisy paths is ~1-2 s.e. with
    # 5 exercise dates (measured over 8 seeds: 0.9 to 3.6 s.e.); 0.05 is ~7 s.e. here, and far below
    # what foresight would add (E[max of 5 N(0, 1)] ~ 1.16).
    c, months = 1.0, [0, 3, 6, 9, 12]
    paths = gbm_paths(1.0, 0.0, 0.3, months=12, n_paths=N_PATHS, seed=21)
    payoffs = c + np.random.default_rng(22).normal(0.0, 1.0, (N_PATHS, len(months)))
    r = lsm_realized(paths, payoffs, months)
    assert (r.exercise_month >= 0).all()
    assert set(np.unique(r.exercise_month)) <= set(months)
    assert r.value == pytest.approx(c, abs=0.05)
    assert r.value > c - 3.0 * r.std_error  # no low bias: every choice is worth c
    assert np.maximum(payoffs.max(axis=1), 0.0).mean() > c + 1.0


# --- a payoff that is a function of the state: lsm_american's answer ---------------------------


def put_payoffs(paths: np.ndarray, months: list[int], strike: float, rate: float) -> np.ndarray:
    m = np.asarray(months)
    return np.maximum(strike - paths[:, m, 0], 0.0) * np.exp(-rate * m / 12.0)


@pytest.mark.parametrize("seed", [1, 2])
def test_state_determined_put_agrees_with_lsm_american(seed: int) -> None:
    # An American put (K = 40, S0 = 36, sigma = 0.2, r = 6 %), exercisable quarterly over a year, on the
    # same 20,000 risk-neutral paths, discounted alike. lsm_realized does not know the payoff is a function
    # of the state: it fits the kinked max(K - S, 0) with a cubic over all paths, so its rule is slightly
    # worse than lsm_american's (which uses the payoff itself on in-the-money paths). Measured over 10 seeds,
    # (realized - american) / combined s.e. was -1.34 to -0.21 (cubic, quarterly); 3 combined s.e. (~0.1)
    # leaves a margin of more than 1.5 s.e.. Deciding on realized values would give the perfect-foresight
    # value, ~6.8, some 2.4 (~90 s.e.) above: the check below it by 1.5 fails for such a rule.
    strike, rate, months = 40.0, 0.06, [0, 3, 6, 9, 12]
    paths = gbm_paths(36.0, rate, 0.2, months=12, n_paths=N_PATHS, seed=seed)
    american = lsm_american(paths, lambda s, t: strike - s, rate, exercise_months=months)
    payoffs = put_payoffs(paths, months, strike, rate)
    realized = lsm_realized(paths, payoffs, months, degree=3)
    combined = float(np.hypot(american.std_error, realized.std_error))
    assert 0.01 < combined < 0.05
    assert abs(realized.value - american.value) <= 3.0 * combined
    # worth more than the European put at month 12 (Black-Scholes 3.844): early exercise is used
    assert realized.value > 3.9
    foresight = perfect_foresight_value(paths, lambda s, t: strike - s, rate, exercise_months=months)
    assert np.maximum(payoffs.max(axis=1), 0.0).mean() == pytest.approx(foresight.value, rel=1e-12)
    assert realized.value < foresight.value - 1.5
    # the rule exercises early on some paths: an American, not a European, option
    assert ((realized.exercise_month >= 0) & (realized.exercise_month < 12)).mean() > 0.1


def test_state_determined_put_with_the_default_basis_is_close_too() -> None:
    # Default quadratic, monthly: a cruder fit of the kink, measured -2.9 to -1.5 combined s.e. below
    # lsm_american over 10 seeds, so a looser one-sided band of 4 s.e. below, 1 above.
    strike, rate, months = 40.0, 0.06, list(range(13))
    paths = gbm_paths(36.0, rate, 0.2, months=12, n_paths=N_PATHS, seed=3)
    american = lsm_american(paths, lambda s, t: strike - s, rate, exercise_months=months)
    realized = lsm_realized(paths, put_payoffs(paths, months, strike, rate), months)
    combined = float(np.hypot(american.std_error, realized.std_error))
    assert american.value - 4.0 * combined <= realized.value <= american.value + combined


# --- value and exercise months are consistent; the perfect-foresight bound -----------------------


@settings(max_examples=30, deadline=None)
@given(
    seed=st.integers(0, 2**31 - 1),
    n=st.integers(2, 60),
    months=st.lists(st.integers(0, 6), min_size=1, max_size=7, unique=True).map(sorted),
    degree=st.integers(1, 3),
    basis=st.sampled_from(["polynomial", "laguerre"]),
    shift=st.floats(-1.0, 1.0),
)
def test_value_is_the_mean_credited_payoff_and_below_hindsight(
    seed: int, n: int, months: list[int], degree: int, basis: str, shift: float
) -> None:
    rng = np.random.default_rng(seed)
    paths = gbm_paths(1.0, 0.0, 0.4, months=6, n_paths=n, seed=seed)
    payoffs = shift + (paths[:, months, 0] - 1.0) + rng.normal(0.0, 0.5, (n, len(months)))
    r = lsm_realized(paths, payoffs, months, basis=basis, degree=degree)
    assert r.exercise_month.shape == (n,)
    assert set(r.exercise_month.tolist()) <= {-1, *months}
    got = credited(payoffs, months, r.exercise_month)
    hindsight = np.maximum(payoffs.max(axis=1), 0.0)
    assert np.all(got <= hindsight + 1e-12)  # path by path
    assert r.value == pytest.approx(got.mean(), abs=1e-12)
    assert r.value <= hindsight.mean() + 1e-12
    assert r.std_error == pytest.approx(np.std(got, ddof=1) / np.sqrt(n), abs=1e-12)
    assert r.exercise_months == tuple(months)
    assert len(r.coefficients) == len(months) - 1


def test_two_factor_state() -> None:
    # The payoff depends on the second factor only: the rule must use it.
    n = 4_000
    paths = gbm_paths([1.0, 1.0], [0.0, 0.0], [0.3, 0.3], months=2, n_paths=n, seed=8)
    assert paths.shape == (n, 3, 2)
    noise = np.random.default_rng(9).normal(0.0, 0.1, (n, 1))
    payoffs = paths[:, [2], 1] - 1.0 + noise  # in the money where factor 2 ended above 1
    r = lsm_realized(paths, payoffs, [2])
    hit = r.exercise_month == 2
    # exercised where the expected value (factor 2 - 1) is positive, never where it is clearly negative
    assert np.all(paths[hit, 2, 1] > 0.95)
    assert np.all(hit[paths[:, 2, 1] > 1.05])
    assert r.value > 0.05


# --- exercise_boundary -------------------------------------------------------------------------


def test_boundary_put_like_and_call_like() -> None:
    assert exercise_boundary([1.0, 2.0, 3.0, 4.0], [True, True, False, False]) == 2.5
    assert exercise_boundary([1.0, 2.0, 3.0, 4.0], [False, False, True, True]) == 2.5  # call-like: exercise above 2.5
    assert exercise_boundary([1.0, 2.0, 3.0, 4.0], [True, False, False, False]) == 1.5
    assert exercise_boundary([1.0, 2.0, 3.0, 4.0], [False, False, False, True]) == 3.5
    # order of the paths does not matter
    assert exercise_boundary([4.0, 1.0, 3.0, 2.0], [False, True, False, True]) == 2.5
    assert exercise_boundary([10.0, 30.0, 20.0, 40.0], [False, True, False, True]) == 25.0


def test_boundary_ignores_stray_decisions_deep_inside_the_exercise_region() -> None:
    # put-like: a path held at a low state (a stray of the fit deep in the money) does not move the edge
    assert exercise_boundary([1.0, 2.0, 3.0, 4.0, 5.0, 6.0], [True, False, True, True, False, False]) == 4.5
    # call-like: a stray hold at a high state likewise
    assert exercise_boundary([1.0, 2.0, 3.0, 4.0, 5.0, 6.0], [False, False, True, True, False, True]) == 2.5


def test_boundary_is_the_split_with_fewest_misclassified_paths() -> None:
    # exercised on average above: the best threshold, 6.5, misclassifies one path (the exercise at 1)
    assert exercise_boundary([1.0, 2.0, 3.0, 10.0], [True, False, False, True]) == 6.5
    # a stray exercise deep in the hold region does not move a put-like boundary
    assert exercise_boundary([1, 2, 3, 4, 5, 6, 7, 8], [True, True, True, False, False, False, True, False]) == 3.5


@pytest.mark.parametrize(
    ("state", "exercise"),
    [
        ([1.0, 2.0], [True, True]),  # every path exercises
        ([1.0, 2.0], [False, False]),  # none does
        ([3.0], [True]),
        ([], []),
        ([2.0, 2.0, 2.0], [True, False, True]),  # one state only: no threshold between distinct states
    ],
)
def test_boundary_nan_cases(state: list[float], exercise: list[bool]) -> None:
    assert np.isnan(exercise_boundary(state, exercise))


@settings(max_examples=30, deadline=None)
@given(
    states=st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=2, max_size=40, unique=True),
    cut=st.integers(1, 39),
    call=st.booleans(),
    seed=st.integers(0, 1000),
)
def test_boundary_is_the_midpoint_between_neighbouring_states(states: list[float], cut: int, call: bool, seed: int) -> None:
    ordered = np.sort(np.asarray(states))
    cut = min(cut, len(ordered) - 1)  # both regions non-empty
    exercise = np.arange(len(ordered)) >= cut if call else np.arange(len(ordered)) < cut
    expected = (ordered[cut - 1] + ordered[cut]) / 2.0
    order = np.random.default_rng(seed).permutation(len(ordered))
    got = exercise_boundary(ordered[order], exercise[order])
    assert got == pytest.approx(expected, rel=1e-12, abs=1e-9)
    assert ordered[cut - 1] <= got <= ordered[cut]
