"""econ.options against Black-Scholes, Longstaff and Schwartz (2001) Table 1 and a binomial (CRR) lattice.

Longstaff, F. A., and E. S. Schwartz (2001), "Valuing American options by simulation: a simple
least-squares approach", Review of Financial Studies 14(1):113-147, Table 1: American puts,
strike 40, r = 6 %, 100,000 paths (50,000 plus antithetics), 50 exercise dates a year, basis a
constant and three weighted Laguerre polynomials. Its "finite difference" column is matched here
to 0.006 by a lattice with the same 50 exercise dates a year (a lattice exercisable at every step
gives more, e.g. 4.487 instead of 4.478 at S = 36, sigma = 0.2, T = 1), so the table values
Bermudan options with 50 dates a year, which the test reproduces by running the monthly kernels
on a time grid of 1/50 year (drift, volatility and rate rescaled by 12/50).

With monthly exercise (12 dates a year) the option is worth less again (4.450 instead of 4.478
in that case); LSM on monthly paths is compared with a lattice with the same monthly dates.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import norm

from econ.options import european_value, lsm_american, perfect_foresight_value
from econ.paths import gbm_paths

K, R = 40.0, 0.06

# S0, sigma, T [years], finite-difference American, closed-form European, LSM value, LSM s.e. (Longstaff and Schwartz 2001, Table 1)
TABLE1 = [
    (36, 0.2, 1, 4.478, 3.844, 4.472, 0.010),
    (36, 0.2, 2, 4.840, 3.763, 4.821, 0.012),
    (36, 0.4, 1, 7.101, 6.711, 7.091, 0.020),
    (36, 0.4, 2, 8.508, 7.700, 8.488, 0.024),
    (38, 0.2, 1, 3.250, 2.852, 3.244, 0.009),
    (38, 0.2, 2, 3.745, 2.991, 3.735, 0.011),
    (38, 0.4, 1, 6.148, 5.834, 6.139, 0.019),
    (38, 0.4, 2, 7.670, 6.979, 7.669, 0.022),
    (40, 0.2, 1, 2.314, 2.066, 2.313, 0.009),
    (40, 0.2, 2, 2.885, 2.356, 2.879, 0.010),
    (40, 0.4, 1, 5.312, 5.060, 5.308, 0.018),
    (40, 0.4, 2, 6.920, 6.326, 6.921, 0.022),
    (42, 0.2, 1, 1.617, 1.465, 1.617, 0.007),
    (42, 0.2, 2, 2.212, 1.841, 2.206, 0.010),
    (42, 0.4, 1, 4.582, 4.379, 4.588, 0.017),
    (42, 0.4, 2, 6.248, 5.736, 6.243, 0.021),
    (44, 0.2, 1, 1.110, 1.017, 1.118, 0.007),
    (44, 0.2, 2, 1.690, 1.429, 1.675, 0.009),
    (44, 0.4, 1, 3.948, 3.783, 3.957, 0.017),
    (44, 0.4, 2, 5.647, 5.202, 5.622, 0.021),
]
ROW_IDS = [f"S{s}-sig{v}-T{t}" for s, v, t, *_ in TABLE1]
# the three rows named in issue 17 and three more across the table
LSM50_ROWS = [TABLE1[i] for i in (0, 8, 19, 3, 10, 16)]


def put(state, month):
    return K - state


def black_scholes(s0, k, r, sigma, t, call):
    d1 = (np.log(s0 / k) + (r + sigma**2 / 2) * t) / (sigma * np.sqrt(t))
    d2 = d1 - sigma * np.sqrt(t)
    if call:
        return s0 * norm.cdf(d1) - k * np.exp(-r * t) * norm.cdf(d2)
    return k * np.exp(-r * t) * norm.cdf(-d2) - s0 * norm.cdf(-d1)


def crr_put(s0, k, r, sigma, t, dates, steps_per_date, american=False):
    """Cox-Ross-Rubinstein binomial put exercisable at `dates` equally spaced dates (and at 0), or at every step if `american`."""
    n = dates * steps_per_date
    dt = t / n
    u = np.exp(sigma * np.sqrt(dt))
    p = (np.exp(r * dt) - 1 / u) / (u - 1 / u)
    disc = np.exp(-r * dt)
    s = s0 * u ** (n - 2.0 * np.arange(n + 1))
    v = np.maximum(k - s, 0.0)
    for i in range(n - 1, -1, -1):
        s = s[:-1] / u
        v = disc * (p * v[:-1] + (1 - p) * v[1:])
        if american or i % steps_per_date == 0:
            np.maximum(v, k - s, out=v)
    return float(v[0])


@pytest.mark.parametrize(("s0", "sigma", "t", "fd", "european", "lsm", "se"), TABLE1, ids=ROW_IDS)
def test_table1_is_black_scholes_and_a_bermudan_lattice_with_50_dates(s0, sigma, t, fd, european, lsm, se):
    # the transcription: its European column is Black-Scholes, its FD column a lattice with 50 exercise dates a year
    assert abs(black_scholes(s0, K, R, sigma, t, call=False) - european) < 6e-4
    assert abs(crr_put(s0, K, R, sigma, t, dates=50 * t, steps_per_date=40) - fd) < 0.007


@pytest.mark.parametrize(("call", "strike"), [(True, 40.0), (False, 40.0), (True, 50.0), (False, 30.0)])
def test_european_value_matches_black_scholes(call, strike):
    s0, sigma, months = 40.0, 0.3, 18
    paths = gbm_paths(s0, R, sigma, months, 100_000, seed=17, antithetic=True)

    def payoff(s, m):
        return s - strike if call else strike - s

    e = european_value(paths, payoff, R, months)
    exact = black_scholes(s0, strike, R, sigma, months / 12, call)
    assert abs(e.value - exact) <= 3 * e.std_error, (e.value, exact, e.std_error)


@pytest.mark.parametrize(
    ("s0", "sigma", "t", "fd", "european", "lsm", "se"), LSM50_ROWS, ids=[f"S{r[0]}-sig{r[1]}-T{r[2]}" for r in LSM50_ROWS]
)
def test_lsm_reproduces_longstaff_schwartz_table1(s0, sigma, t, fd, european, lsm, se):
    # 50 exercise dates a year: steps of 1/50 year are "months" of a GBM with drift, volatility and rate rescaled by 12/50
    f = 12 / 50
    dates = 50 * t
    paths = gbm_paths(s0, R * f, sigma * np.sqrt(f), dates, 100_000, seed=2001 + dates + int(s0), antithetic=True)
    result = lsm_american(paths, put, R * f, exercise_months=range(1, dates + 1))
    assert abs(result.value - fd) <= 3 * result.std_error + 0.02, (result.value, fd, result.std_error)
    assert abs(result.value - lsm) <= 3 * np.hypot(result.std_error, se), (result.value, lsm)
    assert abs(result.std_error - se) < 0.003  # the paper's standard errors, same number of paths


@pytest.mark.parametrize(("s0", "sigma", "t", "fd", "european", "lsm", "se"), TABLE1, ids=ROW_IDS)
def test_lsm_monthly_matches_a_bermudan_lattice_with_the_same_dates(s0, sigma, t, fd, european, lsm, se):
    months = 12 * t
    paths = gbm_paths(s0, R, sigma, months, 50_000, seed=1700 + months + int(10 * s0 * sigma), antithetic=True)
    result = lsm_american(paths, put, R)
    lattice = crr_put(s0, K, R, sigma, t, dates=months, steps_per_date=160)
    assert abs(result.value - lattice) <= 3 * result.std_error + 0.02, (result.value, lattice, result.std_error)
    assert lattice < fd  # fewer exercise dates, less value
    assert result.value > european - 3 * result.std_error


def test_out_of_sample_lsm_is_low_biased_and_close():
    s0, sigma, t = 36.0, 0.2, 1
    fit = gbm_paths(s0, R, sigma, 12, 50_000, seed=1, antithetic=True)
    value = gbm_paths(s0, R, sigma, 12, 100_000, seed=2, antithetic=True)
    result = lsm_american(fit, put, R, valuation_paths=value)
    lattice = crr_put(s0, K, R, sigma, t, dates=12, steps_per_date=160)
    assert result.value <= lattice + 3 * result.std_error
    assert abs(result.value - lattice) <= 3 * result.std_error + 0.02
    assert result.exercise_month.shape == (100_000,)


@pytest.mark.parametrize("basis", ["polynomial", lambda s: np.column_stack([np.ones_like(s), s, s**2, s**3])])
def test_other_bases_agree_with_the_lattice(basis):
    paths = gbm_paths(40.0, R, 0.4, 24, 50_000, seed=77, antithetic=True)
    result = lsm_american(paths, put, R, basis=basis)
    lattice = crr_put(40.0, K, R, 0.4, 2, dates=24, steps_per_date=160)
    assert abs(result.value - lattice) <= 3 * result.std_error + 0.02


def test_exercise_boundary_of_a_put_rises_to_the_strike():
    paths = gbm_paths(36.0, R, 0.2, 12, 50_000, seed=5, antithetic=True)
    result = lsm_american(paths, put, R)
    b = result.boundary
    assert b is not None and b.shape == (13,)
    assert abs(b[12] - K) < 0.05  # at expiry, exercise exactly when in the money
    assert np.all(b[1:12][np.isfinite(b[1:12])] < K)
    assert np.isfinite(b[1:12]).sum() >= 10
    assert b[1] < b[11]  # exercise earlier only deeper in the money
    assert np.isnan(b[0])  # S0 = 36: holding (4.45) beats exercising (4)
    assert set(np.unique(result.exercise_month)) <= set(range(1, 13)) | {-1}


def test_two_factor_state_with_an_irrelevant_factor():
    paths = gbm_paths([40.0, 1.0], [R, 0.0], [0.2, 0.5], 12, 50_000, seed=12, correlation=[[1.0, 0.0], [0.0, 1.0]], antithetic=True)
    result = lsm_american(paths, lambda s, m: K - s[:, 0], R)
    lattice = crr_put(40.0, K, R, 0.2, 1, dates=12, steps_per_date=160)
    assert result.boundary is None
    assert abs(result.value - lattice) <= 3 * result.std_error + 0.02


@pytest.mark.parametrize(
    ("s0", "drift", "months", "exercise_months"), [(36.0, R, 12, None), (36.0, R, 12, range(3, 13)), (44.0, -0.3, 24, None)]
)
def test_zero_volatility_gives_the_static_optimum(s0, drift, months, exercise_months):
    paths = gbm_paths(s0, drift, 0.0, months, 4, seed=0)
    allowed = list(range(months + 1)) if exercise_months is None else list(exercise_months)
    static = np.array([max(K - paths[0, m, 0], 0.0) * np.exp(-R * m / 12) for m in allowed])
    result = lsm_american(paths, put, R, exercise_months=exercise_months)
    assert result.value == pytest.approx(static.max(), rel=1e-12, abs=1e-12)
    assert result.std_error == pytest.approx(0.0, abs=1e-12)
    assert set(result.exercise_month.tolist()) == {allowed[int(np.argmax(static))]}


def test_defer_option_with_zero_volatility():
    # invest 100 in a project worth 100 e^{0.02 t}, discounted at 5 %: wait until t = ln(5/3)/0.02 years, 306.5 months
    paths = gbm_paths(100.0, 0.02, 0.0, 360, 2, seed=0)
    result = lsm_american(paths, lambda s, m: s - 100.0, 0.05)
    static = (paths[0, :, 0] - 100.0) * np.exp(-0.05 * np.arange(361) / 12)
    assert result.value == pytest.approx(static.max(), rel=1e-12)
    assert result.exercise_month.tolist() == [306, 306]


@settings(max_examples=25)
@given(
    s0=st.floats(20, 60),
    sigma=st.floats(0.0, 0.8),
    drift=st.floats(-0.2, 0.2),
    rate=st.floats(-0.02, 0.15),
    months=st.integers(1, 8),
    call=st.booleans(),
    seed=st.integers(0, 2**16),
)
def test_lsm_is_between_zero_and_perfect_foresight(s0, sigma, drift, rate, months, call, seed):
    paths = gbm_paths(s0, drift, sigma, months, 300, seed=seed)

    def payoff(s, m):
        return s - K if call else K - s

    result = lsm_american(paths, payoff, rate)
    bound = perfect_foresight_value(paths, payoff, rate)
    assert 0.0 <= result.value <= bound.value + 1e-12
    # path by path: the cash flow collected never beats the best on that path
    best = np.max(np.maximum(payoff(paths[:, :, 0], 0), 0.0) * np.exp(-rate * np.arange(months + 1) / 12), axis=1)
    got = np.array(
        [0.0 if m < 0 else max(payoff(paths[i, m, 0], m), 0.0) * np.exp(-rate * m / 12) for i, m in enumerate(result.exercise_month)]
    )
    assert np.all(got <= best + 1e-12)
    assert result.value == pytest.approx(got.mean(), rel=1e-12, abs=1e-12)


def test_european_and_perfect_foresight_examples():
    paths = np.array([[1.0, 2.0, 0.5], [1.0, 0.5, 3.0]])
    pf = perfect_foresight_value(paths, lambda s, m: s - 1.0, 0.0)
    assert pf.value == 1.5
    e = european_value(paths, lambda s, m: s - 1.0, 0.0, 2)
    assert e.value == 1.0
    assert e.std_error == pytest.approx(1.0)  # values 0 and 2: sd sqrt(2), over sqrt(2)


@pytest.mark.parametrize(
    ("call", "words"),
    [
        (lambda p: lsm_american(p, lambda s, m: np.ones(3), R), ["payoff", "shape (10,)"]),
        (lambda p: lsm_american(p, lambda s, m: np.full(10, np.nan), R), ["payoff", "finite"]),
        (lambda p: lsm_american(p, put, R, exercise_months=[3, 2]), ["exercise_months", "increasing", "[month]"]),
        (lambda p: lsm_american(p, put, R, exercise_months=[13]), ["exercise_months", "[0, 12]"]),
        (lambda p: lsm_american(p, put, R, exercise_months=[]), ["exercise_months", "non-empty"]),
        (lambda p: lsm_american(p, put, R, degree=0), ["degree", ">= 1"]),
        (lambda p: lsm_american(p, put, R, basis="hermite"), ["basis", "laguerre"]),
        (lambda p: lsm_american(p, put, np.nan), ["continuous_rate_annual", "1/year"]),
        (lambda p: lsm_american(p, put, R, valuation_paths=p[:, :5]), ["valuation_paths", "shape"]),
        (lambda p: lsm_american(p[:1], put, R), ["paths", "n_paths >= 2"]),
        (lambda p: lsm_american(p[:, :1], put, R), ["paths", "months >= 1"]),
        (lambda p: european_value(p, put, R, 13), ["month", "[0, 12]"]),
        (lambda p: perfect_foresight_value(p, put, R, exercise_months=[-1]), ["exercise_months"]),
        (lambda p: lsm_american(p, put, R, basis=lambda s: np.ones(3)), ["basis", "design matrix"]),
    ],
)
def test_bad_inputs_name_the_parameter(call, words):
    paths = gbm_paths(36.0, R, 0.3, 12, 10, seed=0)
    with pytest.raises(ValueError, match=words[0]) as info:
        call(paths)
    for word in words:
        assert word in str(info.value), (word, str(info.value))


def crr_defer(v0, invest, r, yield_, sigma, months, steps_per_month):
    """CRR lattice of the option to invest `invest` in a project worth V (GBM with yield), exercisable at month ends and now."""
    n = months * steps_per_month
    dt = months / 12 / n
    u = np.exp(sigma * np.sqrt(dt))
    p = (np.exp((r - yield_) * dt) - 1 / u) / (u - 1 / u)
    v = v0 * u ** (n - 2.0 * np.arange(n + 1))
    value = np.maximum(v - invest, 0.0)
    for i in range(n - 1, -1, -1):
        v = v[:-1] / u
        value = np.exp(-r * dt) * (p * value[:-1] + (1 - p) * value[1:])
        if i % steps_per_month == 0:
            np.maximum(value, v - invest, out=value)
    return float(value[0])


@pytest.mark.parametrize("basis", ["laguerre", "polynomial"])
def test_option_to_defer_matches_the_lattice(basis):
    # a call-type option: without the payoff among the regressors the weighted Laguerre basis undervalues it badly
    paths = gbm_paths(100.0, 0.05 - 0.04, 0.3, 120, 50_000, seed=31, antithetic=True)
    result = lsm_american(paths, lambda s, m: s - 100.0, 0.05, basis=basis)
    lattice = crr_defer(100.0, 100.0, 0.05, 0.04, 0.3, 120, 20)
    assert abs(result.value - lattice) <= 3 * result.std_error + 0.05, (result.value, lattice, result.std_error)
    assert result.value > european_value(paths, lambda s, m: s - 100.0, 0.05, 120).value + 0.5  # early exercise is worth something
