"""Root finders of econ.finance (irr, xirr, irr_roots, xirr_roots): issue #9.

Every case says where it comes from: a sample file of pyxirr's test suite (Anexen/pyxirr,
tests/samples/*.csv with the expected rates of tests/common/cases.rs), a fuzz finding quoted
in issue #9, or a construction with known roots. pyxirr and numpy-financial are used as
cross-checks only where their answer is right.
"""

from __future__ import annotations

import datetime as dt
import time
import warnings

import numpy as np
import numpy_financial as npf
import pytest
import pyxirr
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from econ import finance as fin
from econ.finance import RootStatus, UndefinedResultError

# A rate's NPV residual |sum w exp(-x t)| / sum |w exp(-x t)| at x = ln(1 + rate), the check
# every returned rate passes (econ's _RESIDUAL_TOL).
RESIDUAL_TOL = 1e-9


def residual(values, times, rate: float) -> float:
    """|NPV| / gross NPV at ``rate``, summed in the log domain so that nothing overflows."""
    values, times = np.asarray(values, dtype=float), np.asarray(times, dtype=float)
    nonzero = values != 0
    logs = np.log(np.abs(values[nonzero])) - np.log1p(rate) * times[nonzero]
    terms = np.sign(values[nonzero]) * np.exp(logs - logs.max())
    return float(abs(terms.sum()) / np.abs(terms).sum())


def years_of(dates) -> np.ndarray:
    days = np.asarray(dates, dtype="datetime64[D]")
    return (days - days[0]).astype(float) / 365.0


def no_warnings(call):
    """Run ``call`` with every warning turned into an error, and return its result."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return call()


# --- pyxirr's sample files -------------------------------------------------------------------
# Anexen/pyxirr, tests/samples/<name>.csv (date, amount), as stored in the reference corpus;
# the expected rates are pyxirr's (tests/common/cases.rs) or pyxirr.xirr's answer.


def _sample(text: str) -> tuple[list[str], list[float]]:
    rows = [line.split(",") for line in text.split()]
    return [d for d, _ in rows], [float(a) for _, a in rows]


MINUS_0_993 = _sample("2021-06-08,-1000000.0 2022-06-29,5000.0 2023-06-08,-3.0 2023-06-30,0.0")
ZEROS = _sample(
    "2021-12-31,0 2022-12-31,0 2023-12-31,-100 2024-12-31,10 2025-12-31,0 2026-12-31,10 2027-12-31,10 "
    "2028-12-31,10 2029-12-31,200 2030-12-31,0 2031-12-31,0 2032-12-31,0 2033-12-31,0"
)
XNFV = _sample("2011-11-30,-100000 2012-03-15,-50000 2012-07-18,-2500 2012-11-30,12500 2013-01-23,37500 2013-04-30,75000 2014-02-06,90000")
MINUS_0_13 = _sample(
    "2015-05-04,-200.00 2015-05-07,-75.00 2015-05-15,-620.00 2015-05-04,-0.01 2015-05-06,-100.00 2015-05-14,-299.99 "
    "2015-05-19,-20.00 2015-05-26,-100.00 2015-05-27,-340.00 2015-06-01,-500.00 2015-06-05,-100.00 2015-06-18,-1008.52 "
    "2015-06-22,-65.00 2015-06-22,-120.00 2015-06-22,-450.00 2015-06-30,-450.75 2015-07-06,-80.00 2015-07-13,-130.00 "
    "2015-07-16,-1050.00 2015-07-31,-1000.00 2015-08-10,-65.00 2015-08-17,-400.00 2015-09-14,-100.00 2015-09-16,-956.88 "
    "2015-09-28,-117.00 2015-10-01,-50.00 2015-10-02,-1130.00 2015-10-29,-70.00 2015-11-02,-188 2015-11-06,-250 "
    "2015-12-29,-100 2015-12-31,9518.08"
)
SAMPLE_1938 = _sample(
    "1937-07-02,-10 1937-07-03,10 1937-07-04,1338.17 1938-07-29,10147.5 1938-08-11,-578133.57 1938-08-12,-12559.95 "
    "1938-04-22,1519.64 1938-05-22,10147.5 1938-06-22,-11500 1938-10-22,544.47 1938-08-28,701.78 1938-09-09,-600.68 "
    "1938-09-10,-601.95 1938-09-11,-518.2 1938-11-10,36000 1938-11-12,22308.68 1938-12-11,-753.37 1939-01-07,-20.05 "
    "1939-02-10,-43.15 1939-03-11,-742.98 1939-08-17,-11220 1939-10-17,1.27 1939-04-04,11220 1939-04-09,-3846.05 "
    "1939-04-12,1058.75 1939-06-18,-2.94 1939-05-11,-36000 1939-05-12,-15016.3 1939-06-11,-6.49 1939-08-02,-36.72 "
    "1939-08-10,-72.54 1939-08-12,15892.29 1939-08-26,-88.71 1939-09-08,-53.5 1939-09-10,-260.09 1939-11-01,-3.85 "
    "1939-11-12,-289.11 1939-12-10,-46.99 1939-12-13,63.32 1940-01-10,63.32 1940-02-09,621.47 1940-02-10,-383.63 "
    "1940-03-11,63.32 1940-04-11,63.32 1940-05-11,419.94 1940-08-11,-4.87 1941-01-10,1507.56 1941-09-12,-14.49 "
    "1940-11-30,-1.31 1941-08-01,7064.85 1941-08-11,-0.82 1941-11-10,3554.11 1942-02-10,16891.26"
)
SAMPLE_30_20 = _sample(
    "2024-09-09,-203.365347602624 2030-12-24,1208.31894521971 2027-01-06,62.911729089493 2037-03-04,23.214035363974 "
    "2035-11-13,-1797.01688426533 2041-06-22,-2017.27457461588 2037-12-19,3997.91924991427 2028-04-10,1115.24111568803 "
    "2040-09-15,-1915.56819372739 2042-02-02,1484.15862672955 2035-02-27,1247.32460407966 2035-02-04,-42.316649900985 "
    "2037-05-15,973.000278031422 2036-08-01,1169.69300353766 2024-12-03,-24.233785734572 2041-12-20,-1130.58496750037 "
    "2031-11-01,-265.351566140742 2036-11-28,37.001024894264 2026-01-10,555.940111271138 2030-08-18,-1794.45399928709 "
    "2032-07-16,-1953.03088397946 2042-06-06,-171.922891863423 2029-10-09,-1910.9048070744 2033-03-20,343.762478283701 "
    "2026-07-30,2453.50647798804 2026-07-13,-2607.11784778847 2038-02-26,2697.77682033517 2042-03-22,-2529.313275386 "
    "2033-04-05,606.724921312875 2043-05-27,188.397614961121"
)
EQUAL_PAYMENTS = (
    [str(np.datetime64("2020-01-01") + i) for i in range(181)],
    [-87.17] * 180 + [5809.3],  # equal_payments.csv: 180 daily payments of 87.17, then 5809.3 on 2020-06-29
)


@pytest.mark.parametrize(
    ("name", "sample", "expected"),
    [
        ("zeros.csv", ZEROS, 0.1756807305807823),  # pyxirr.xirr
        ("xnfv.csv", XNFV, 0.2492567027470735),  # pyxirr.xirr
        ("minus_0_13.csv", MINUS_0_13, -0.13423264079788869),  # pyxirr.xirr; dates unordered
        ("equal_payments.csv", EQUAL_PAYMENTS, -0.9930635667937945),  # pyxirr.xirr
    ],
)
def test_pyxirr_samples_with_a_unique_root(name, sample, expected):
    dates, values = sample
    result = no_warnings(lambda: fin.xirr(values, dates, full_output=True))
    assert result.status == RootStatus.OK, name
    assert result.rate == pytest.approx(expected, abs=1e-9)
    assert result.rate == pytest.approx(pyxirr.xirr(dates, values), abs=1e-9)
    np.testing.assert_allclose(fin.xirr_roots(values, dates), [result.rate], rtol=1e-12)


def test_pyxirr_sample_30_20_has_a_unique_root_near_minus_90_percent_that_pyxirr_does_not_find():
    # pyxirr's cases.rs expects NaN for 30-20.csv and pyxirr.xirr returns None; before issue #9
    # econ returned NaN (UNVERIFIED). The root near -89.7 % a year is unique on the whole axis.
    dates, values = SAMPLE_30_20
    assert pyxirr.xirr(dates, values) is None
    result = no_warnings(lambda: fin.xirr(values, dates, full_output=True))
    assert result.status == RootStatus.OK
    assert result.rate == pytest.approx(-0.8973538214882216, abs=1e-12)
    order = np.argsort(np.asarray(dates, dtype="datetime64[D]"))
    t = years_of(np.asarray(dates, dtype="datetime64[D]")[order])
    assert residual(np.asarray(values)[order], t, result.rate) <= RESIDUAL_TOL
    np.testing.assert_allclose(fin.xirr_roots(values, dates), [result.rate], rtol=1e-12)


def test_pyxirr_sample_minus_0_993_has_two_roots_near_minus_100_percent():
    # minus_0_993.csv: -1e6, +5000 a year later, -3 two years later. pyxirr returns one of the
    # two roots (-99.38 %); the other lies at -99.96 %. Before issue #9 econ's search stopped
    # at -90 % and reported NO_ROOT.
    dates, values = MINUS_0_993
    result = no_warnings(lambda: fin.xirr(values, dates, full_output=True))
    assert result.status == RootStatus.MULTIPLE_ROOTS
    roots = fin.xirr_roots(values, dates)
    np.testing.assert_allclose(roots, [-0.9995965222, -0.993785049949483], rtol=0, atol=1e-9)
    assert pyxirr.xirr(dates, values) == pytest.approx(roots[1], abs=1e-12)
    assert fin.xirr(values, dates, guess=-0.5) == pytest.approx(roots[1], abs=1e-15)
    for root in roots:
        assert residual(values, years_of(dates), root) <= RESIDUAL_TOL


def test_pyxirr_sample_1938_has_several_roots_one_of_which_pyxirr_returns():
    # 1938.csv (pyxirr's test for dates before 1970): econ proves several roots; pyxirr returns
    # the one at -59.5 %, which the spreadsheet convention (a guess) reproduces.
    dates, values = SAMPLE_1938
    assert np.isnan(fin.xirr(values, dates))
    assert fin.xirr(values, dates, full_output=True).status == RootStatus.MULTIPLE_ROOTS
    roots = fin.xirr_roots(values, dates)
    finite = roots[np.isfinite(roots)]
    np.testing.assert_allclose(finite, [-0.5945650822679835, 230.80406113], rtol=1e-8)
    assert pyxirr.xirr(dates, values) == pytest.approx(finite[0], abs=1e-9)
    assert fin.xirr(values, dates, guess=0.1) == pytest.approx(finite[0], abs=1e-12)
    with pytest.raises(UndefinedResultError, match="multiple roots"):
        fin.xirr(values, dates, strict=True)


# Dated flows generated the way pyxirr's tests/samples/30-<n>.csv are (30 random dates over
# 2024-2043, amounts uniform in [-3000, 4000]); each has a unique root on the whole axis for
# which econ before issue #9 returned NaN (UNVERIFIED: the uniqueness test was too weak). They
# stand in for pyxirr's 30-3.csv (5.8525), 30-9.csv (2.8780), 30-48.csv (-0.07525) and 30-45.csv
# (-0.8408, pyxirr: NaN), whose rates cases.rs lists but whose files the reference corpus
# does not hold. ``pyxirr`` is pyxirr.xirr's answer (None: no answer).
GENERATED_30 = {
    "like 30-3 (rate 5.85)": (
        [0, 4205, 6703, 134, 4584, 1113, 632, 6849, 6471, 913, 1946, 1765, 4111, 4706, 1298, 3501, 6973, 1398, 252, 4336,
         4272, 4281, 5451, 712, 429, 5256, 1646, 2929, 607, 5987],
        [-1161.239576, 2174.279925, 2928.339039, 609.967589, 1833.294698, 2835.978229, 2204.450211, 785.528334,
         3062.582321, 2855.855021, 1991.235184, -1995.462166, 2800.914501, -2178.697871, 525.325869, 1840.767388,
         175.672726, 677.626503, 3397.540025, -280.94823, -106.287237, 3947.413058, -1177.223961, 2093.561525,
         -980.84157, -1277.953202, -2339.995607, 3897.491622, -2810.836808, 1249.080369],
        5.689863622804133,
        True,
    ),
    "like 30-9 (rate 2.88)": (
        [167, 5837, 617, 2441, 3209, 4771, 867, 1598, 598, 499, 1271, 4872, 3792, 2357, 4806, 2393, 6933, 1930, 4753,
         1759, 3998, 3990, 6421, 2336, 753, 2979, 4252, 1413, 6974, 3536],
        [1097.710589, -57.898874, -175.871937, 3607.599717, -2662.513349, -717.483466, 632.519314, 1189.179107,
         -2703.934256, -1311.202442, -2620.205595, -2945.884685, -745.315495, -151.009026, 3014.22047, -2905.664823,
         2013.649235, 198.674507, 1123.525089, -1975.239066, 2613.713018, -344.879629, -131.290249, 960.747775,
         -1174.987632, 54.509158, -2056.267989, 1920.238108, -2296.072783, -1043.375759],
        2.7949690965562315,
        True,
    ),
    "like 30-48 (rate -0.075)": (
        [232, 1777, 4466, 3947, 6708, 3911, 4257, 4148, 1724, 557, 2112, 5152, 3436, 2046, 3086, 3068, 2403, 2082, 6943,
         2579, 3906, 1019, 4228, 5633, 3896, 4547, 1022, 5936, 2995, 1454],
        [-2603.816114, -2954.096308, 2340.351306, 3302.921559, -1513.404782, 2857.883964, -1497.958338, -1901.540422,
         -2286.649168, 545.322706, -2019.603242, 784.949974, -319.36495, 3760.852136, 2717.351236, 2030.674403,
         310.222882, -1016.921541, 860.767893, 2225.966038, -2331.108552, 2004.903361, -2142.761613, -2017.311049,
         -2059.605729, -2380.701089, -2273.056904, 3865.597206, 1651.102226, -1977.361963],
        -0.05404061746227487,
        True,
    ),
    "like 30-45 (rate -0.84, neither library answers)": (
        [121, 5299, 4012, 1460, 3773, 6133, 2716, 1973, 6828, 4829, 584, 6151, 4400, 2050, 6854, 1486, 6980, 1308, 6257,
         1812, 231, 3810, 4815, 5667, 5377, 4387, 1683, 736, 420, 4503],
        [2299.123783, 2480.60731, -2557.514386, 3968.808206, -2371.666924, 1238.178862, 3131.721039, -317.616813,
         630.007181, -282.795067, 1395.096364, 3625.393242, 605.390255, -2954.278059, 3454.297607, 2048.610109,
         -2151.080776, 2277.660913, -514.919106, 2213.776909, 3456.243844, 2593.055899, 1835.486724, 579.004396,
         -57.429823, 3237.475775, -653.586868, -2769.043577, 3691.773604, -837.663418],
        -0.8469152651810549,
        False,
    ),
    "near -0.90 (neither library answers)": (
        [559, 1514, 1765, 2080, 6782, 4447, 2826, 848, 1722, 6360, 5384, 3300, 6804, 5888, 4317, 6228, 3668, 2557, 4957,
         4993, 6751, 2138, 4359, 614, 4542, 6542, 5761, 5183, 5333, 5436],
        [2265.248619, -1532.904463, 2979.361973, 1952.745391, 855.07044, 3848.849855, 3261.843067, 1655.075977,
         3598.211558, -620.528798, -1923.103621, 437.936827, -633.039934, -1039.408826, 562.335352, -485.399207,
         -1174.699145, 3705.359425, -1555.519873, 3409.022373, -1302.093356, 821.22367, 779.535019, 3474.393573,
         2334.010317, 3928.699107, -1788.929793, -1421.159232, 3468.637441, 3438.146602],
        -0.8647069863870666,
        False,
    ),
}  # fmt: skip


@pytest.mark.parametrize("case", list(GENERATED_30))
def test_a_unique_root_anywhere_on_the_axis_is_found_and_proven(case):
    days, values, expected, pyxirr_answers = GENERATED_30[case]
    dates = np.datetime64("2024-01-01") + np.asarray(days)
    result = no_warnings(lambda: fin.xirr(values, dates, full_output=True))
    assert result.status == RootStatus.OK
    assert result.rate == pytest.approx(expected, rel=1e-12)
    order = np.argsort(dates)
    assert residual(np.asarray(values)[order], years_of(dates[order]), result.rate) <= RESIDUAL_TOL
    np.testing.assert_allclose(fin.xirr_roots(values, dates), [result.rate], rtol=1e-12)
    theirs = pyxirr.xirr(dates.astype(dt.date), values)
    if pyxirr_answers:
        assert theirs == pytest.approx(result.rate, rel=1e-8)
    else:
        assert theirs is None


# --- fuzz findings of issue #9 ----------------------------------------------------------------


def test_irr_roots_finds_the_root_irr_finds_across_200_orders_of_magnitude():
    # Issue #9: irr_roots gave [] (the companion matrix lost the root) while irr found one.
    values = [-10789, -6.19e8, 3815, 6.69e8, 2.49e8, 9.5e-178, 0]
    rate = no_warnings(lambda: fin.irr(values))
    roots = no_warnings(lambda: fin.irr_roots(values))
    np.testing.assert_allclose(roots, [rate], rtol=1e-12)
    assert rate == pytest.approx(0.1910088407856309, rel=1e-12)
    assert residual(values, np.arange(7), rate) <= RESIDUAL_TOL


def test_irr_roots_finds_a_root_near_1e16_and_marks_the_one_float64_cannot_hold():
    # Issue #9: irr_roots missed 8.27e15. The other root, 1 + r = 1.1e-8, is held by float64
    # only to 8 digits: its NPV residual at the float64 rate is 1.5e-8 > 1e-9, so it is NaN.
    values = [12097, -1e20, 0, 12097]
    roots = no_warnings(lambda: fin.irr_roots(values))
    assert np.isnan(roots[0])
    assert roots[1] == pytest.approx(1e20 / 12097 - 1, rel=1e-12)
    assert residual(values, np.arange(4), roots[1]) <= RESIDUAL_TOL
    with pytest.raises(UndefinedResultError, match="float64 cannot hold"):
        fin.irr_roots(values, strict=True)
    assert fin.irr(values, full_output=True).status == RootStatus.MULTIPLE_ROOTS


def test_irr_roots_of_flows_300_orders_apart_raises_no_linalg_error():
    # Issue #9: LinAlgError (and an overflow warning) from the companion matrix.
    assert no_warnings(lambda: fin.irr_roots([1e300, 0, 1e-12])).size == 0
    np.testing.assert_array_equal(no_warnings(lambda: fin.irr_roots([1e300, 0, -1e-12])), [np.nan])  # 1 + r = 1e-156
    assert no_warnings(lambda: fin.irr_roots([-1e-12, 0, 1e300])) == pytest.approx([1e156], rel=1e-12)
    assert fin.irr([-1e-12, 0, 1e300]) == pytest.approx(1e156, rel=1e-12)


def test_flows_all_on_one_date_have_no_rate():
    # Issue #9: xirr([-100, 100], [same date, same date]) returned 0.0 with status OK.
    day = ["2024-03-01", "2024-03-01"]
    result = no_warnings(lambda: fin.xirr([-100, 100], day, full_output=True))
    assert np.isnan(result.rate)
    assert result.status == RootStatus.SINGLE_DATE
    with pytest.raises(UndefinedResultError, match="single date"):
        fin.xirr([-100, 100], day, strict=True)
    assert fin.xirr([-100, 50], day, full_output=True).status == RootStatus.SINGLE_DATE
    np.testing.assert_array_equal(fin.xirr_roots([-100, 100], day), [np.nan])
    assert fin.xirr_roots([-100, 50], day).size == 0


def test_flows_on_the_same_date_are_summed_first():
    dates = ["2020-01-01", "2020-01-01", "2021-01-01"]
    assert fin.xirr([-100, 50, 60], dates) == pytest.approx(1.2 ** (365 / 366) - 1, rel=1e-12)
    assert fin.xirr([-100, 100, 60], dates, full_output=True).status == RootStatus.NO_SIGN_CHANGE


@pytest.mark.parametrize(
    ("call", "why"),
    [
        (lambda: fin.irr([-1, 1e-320], full_output=True), "issue #9: returned exactly -1.0"),
        (lambda: fin.xirr([-1e6, 1], ["2020-01-01", "2020-01-02"], full_output=True), "issue #9: 1 + r = 1e-6 ** 365"),
        (lambda: fin.xirr([-1, 1e-3], ["2020-01-01", "2020-01-08"], full_output=True), "1 + r = 1e-3 ** 52"),
        (lambda: fin.irr([-1e-310, 1.0], full_output=True), "r = 1e310 overflows"),
    ],
)
def test_a_rate_float64_cannot_hold_is_nan_never_minus_one(call, why):
    result = no_warnings(call)
    assert np.isnan(result.rate), why
    assert result.status == RootStatus.NOT_CONVERGED


def test_a_rate_close_to_minus_one_is_returned_while_float64_holds_it():
    assert fin.irr([-1.0, 1e-6]) == pytest.approx(-0.999999, rel=1e-12)
    rate = fin.xirr([-1.0, 0.5], ["2020-01-01", "2020-02-01"])
    assert rate == pytest.approx(0.5 ** (365 / 31) - 1, rel=1e-12)
    assert rate > -1.0


# --- several roots: NaN by default, every root, or the nearest to a guess ---------------------


def test_several_roots_give_nan_and_a_guess_picks_the_nearest():
    pump = [-1600, 10_000, -10_000]  # Lorie & Savage (1955): 25 % and 400 %
    assert np.isnan(fin.irr(pump))
    assert fin.irr(pump, guess=0.1) == pytest.approx(0.25, abs=1e-12)
    assert fin.irr(pump, guess=3.0) == pytest.approx(4.0, abs=1e-12)
    result = fin.irr(pump, guess=0.1, full_output=True)
    assert result.status == RootStatus.NEAREST_TO_GUESS
    assert fin.irr(pump, guess=0.1, strict=True) == pytest.approx(0.25, abs=1e-12)
    assert fin.irr([-100, 39, 59, 55, 20], guess=5.0, full_output=True).status == RootStatus.OK  # unique: guess unused


@pytest.mark.parametrize("values", [[-100, 100, 0, -7], [1, -3, 2.1], [-1600, 10_000, -10_000], [-5, 30, -55, 30]])
def test_guess_zero_reproduces_numpy_financial_irr_on_several_roots(values):
    # numpy-financial 1.0 irr returns the real root smallest in absolute value.
    assert fin.irr(values, guess=0.0) == pytest.approx(npf.irr(values), abs=1e-10)
    assert np.isnan(fin.irr(values))


def test_irr_of_a_batch_with_a_guess_matches_row_by_row():
    rows = np.array([[-1600, 10_000, -10_000, 0], [-100, 39, 59, 75], [1, -3, 2.1, 0], [100, 200, 300, 400]], dtype=float)
    batch = fin.irr(rows, guess=0.5, full_output=True)
    alone = [fin.irr(row, guess=0.5, full_output=True) for row in rows]
    np.testing.assert_array_equal(batch.rate, [a.rate for a in alone])
    np.testing.assert_array_equal(batch.status, [a.status for a in alone])
    assert batch.status.tolist() == [RootStatus.NEAREST_TO_GUESS, RootStatus.OK, RootStatus.NEAREST_TO_GUESS, RootStatus.NO_SIGN_CHANGE]


@pytest.mark.parametrize(
    ("guess", "error", "message"),
    [
        (-1.0, ValueError, r"guess: rate \[fraction per period\] must be finite and greater than -1 .*got \[-1.0\]"),
        (np.nan, ValueError, r"guess: .*got \[nan\]"),
        (np.inf, ValueError, r"guess: .*got \[inf\]"),
        ("0.1", TypeError, r"guess: rate \[fraction per period\] must be numbers .*got str '0.1'"),
        (True, TypeError, r"guess: rate \[fraction per period\] must be numbers .*bool"),
        ([0.1], ValueError, r"guess: must be one rate \[fraction per period\]"),
    ],
)
def test_a_bad_guess_names_the_parameter(guess, error, message):
    with pytest.raises(error, match=message):
        fin.irr([-1, 2], guess=guess)


def test_a_bad_guess_for_xirr_names_the_unit():
    with pytest.raises(ValueError, match=r"guess: rate \[fraction per year\]"):
        fin.xirr([-1, 2], ["2020-01-01", "2021-01-01"], guess=-2)


def test_xirr_roots_takes_one_series():
    with pytest.raises(ValueError, match="xirr_roots takes one series"):
        fin.xirr_roots([[-1, 2]], ["2020-01-01", "2021-01-01"])
    with pytest.raises(ValueError, match="must be finite"):
        fin.xirr_roots([-1, np.nan], ["2020-01-01", "2021-01-01"])


def test_new_names_are_public():
    assert "xirr_roots" in fin.__all__
    assert RootStatus.SINGLE_DATE.name == "SINGLE_DATE"
    assert RootStatus.NEAREST_TO_GUESS.name == "NEAREST_TO_GUESS"


# --- roots of known polynomials ------------------------------------------------------------------


def flows_with_roots(rates, quadratic=None) -> np.ndarray:
    """Flows whose NPV times (1 + r)**n is prod (1 + r - a_i): v = coefficients of that polynomial."""
    values = np.poly(1.0 + np.asarray(rates, dtype=float))
    if quadratic is not None:  # a factor (1 + r - c)**2 + d**2 without real roots
        c, d = quadratic
        values = np.polymul(values, [1.0, -2.0 * c, c * c + d * d])
    return values


@pytest.mark.parametrize(
    "rates",
    [[-0.5, 0.1], [-0.9, -0.5, 0.2, 1.5], [0.05, 0.07, 0.3], [-0.99, 10.0], [-0.2, 0.0, 0.25, 2.0, 9.0]],
)
def test_irr_roots_finds_every_root_of_a_polynomial_built_from_them(rates):
    roots = no_warnings(lambda: fin.irr_roots(flows_with_roots(rates, quadratic=(1.2, 0.3))))
    np.testing.assert_allclose(np.log1p(roots), np.log1p(rates), rtol=0, atol=1e-10)
    assert fin.irr(flows_with_roots(rates), full_output=True).status == RootStatus.MULTIPLE_ROOTS


def test_a_double_root_is_listed_once_and_irr_reports_it_unsettled():
    values = flows_with_roots([0.1, 0.1])  # NPV = (1 + r - 1.1)**2 / (1 + r)**2
    roots = fin.irr_roots(values)
    np.testing.assert_allclose(roots, [0.1], atol=1e-12)
    result = fin.irr(values, full_output=True)
    assert np.isnan(result.rate)
    assert result.status == RootStatus.UNVERIFIED
    assert fin.irr(values, guess=0.0) == pytest.approx(0.1, abs=1e-12)


def test_no_real_root_is_proven_over_the_whole_axis():
    values = flows_with_roots([], quadratic=(1.1, 0.5))
    assert fin.irr(values, full_output=True).status == RootStatus.NO_ROOT
    assert fin.irr_roots(values).size == 0


# --- long series: the timing contract (one row up to 10,000 periods in under a second) ------------

GUARD_S = 5.0  # generous: the contract is 1 s on an idle machine; CI machines are shared


def _long_rows(n: int) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(9)
    conventional = rng.uniform(50, 150, n)
    conventional[0] = -2e5
    refresh = conventional.copy()
    refresh[::365] -= 3e4  # an outlay every year of daily flows: many sign changes
    return {
        "conventional": conventional,
        "refresh": refresh,
        "white noise": rng.normal(size=n),
        "random walk": np.cumsum(rng.normal(size=n)),
    }


@pytest.mark.parametrize("kind", ["conventional", "refresh", "white noise", "random walk"])
def test_a_10000_period_row_is_solved_quickly_by_every_root_finder(kind):
    values = _long_rows(10_000)[kind]
    dates = np.datetime64("2000-01-01") + np.arange(values.size)
    calls = {
        "irr": lambda: fin.irr(values, full_output=True),
        "irr_roots": lambda: fin.irr_roots(values),
        "xirr": lambda: fin.xirr(values, dates, full_output=True),
        "xirr_roots": lambda: fin.xirr_roots(values, dates),
    }
    answers = {}
    for name, call in calls.items():
        start = time.perf_counter()
        answers[name] = no_warnings(call)
        assert time.perf_counter() - start < GUARD_S, f"{name} on a 10,000-period {kind} row"
    if np.isfinite(answers["irr"].rate):
        np.testing.assert_allclose(answers["irr_roots"], [answers["irr"].rate], rtol=1e-9)
        assert residual(values, np.arange(values.size), answers["irr"].rate) <= RESIDUAL_TOL
    if np.isfinite(answers["xirr"].rate):
        assert np.any(np.abs(answers["xirr_roots"] - answers["xirr"].rate) <= 1e-9 * (1 + abs(answers["xirr"].rate)))


def test_a_long_non_conventional_row_agrees_with_pyxirr_seeded_by_ours():
    values = _long_rows(3_650)["refresh"]
    rate = fin.irr(values)
    assert np.isfinite(rate)
    assert pyxirr.irr(values, guess=rate) == pytest.approx(rate, abs=1e-12)


# --- properties -------------------------------------------------------------------------------------

magnitudes = st.floats(min_value=1e-3, max_value=1e6)
wide_magnitudes = st.floats(min_value=1e-250, max_value=1e250)


@st.composite
def mixed_flows(draw: st.DrawFn, max_periods: int = 30, wide: bool = False) -> np.ndarray:
    """Any finite flows: signs mixed, zeros allowed, optionally 500 orders of magnitude apart."""
    n = draw(st.integers(1, max_periods))
    size = wide_magnitudes if wide else magnitudes
    value = st.one_of(st.just(0.0), size, size.map(lambda v: -v))
    return draw(hnp.arrays(np.float64, n, elements=value))


@st.composite
def dated_flows(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray]:
    values = draw(mixed_flows(max_periods=20))
    gaps = draw(hnp.arrays(np.int64, values.size, elements=st.integers(0, 400)))
    days = np.cumsum(gaps) - gaps[0]
    return values, np.datetime64("2020-01-01") + days


@settings(max_examples=300, deadline=None)
@given(st.one_of(mixed_flows(), mixed_flows(wide=True)))
def test_a_returned_rate_has_a_tiny_residual_and_is_the_only_root(values):
    result = no_warnings(lambda: fin.irr(values, full_output=True))
    roots = no_warnings(lambda: fin.irr_roots(values))
    t = np.arange(values.size)
    if np.isfinite(result.rate):
        assert result.status == RootStatus.OK
        assert result.rate > -1.0
        assert residual(values, t, result.rate) <= RESIDUAL_TOL
        # a root at exactly 0 (flows summing to zero) may come back as 0.0 from one solver and 6.5e-17 from the other
        np.testing.assert_allclose(roots, [result.rate], rtol=1e-9, atol=1e-15)
    for root in roots[np.isfinite(roots)]:
        assert root > -1.0
        assert residual(values, t, root) <= RESIDUAL_TOL
    if result.status == RootStatus.MULTIPLE_ROOTS:
        assert roots.size >= 2
    if result.status in (RootStatus.NO_ROOT, RootStatus.NO_SIGN_CHANGE):
        assert roots.size == 0


@settings(max_examples=200, deadline=None)
@given(mixed_flows(), st.floats(-0.9, 5.0))
def test_a_guess_returns_the_listed_root_nearest_it(values, guess):
    roots = fin.irr_roots(values)
    result = no_warnings(lambda: fin.irr(values, guess=guess, full_output=True))
    if result.status == RootStatus.NEAREST_TO_GUESS:
        assert roots.size >= 1
        nearest = roots[np.nanargmin(np.where(np.isnan(roots), np.inf, np.abs(roots - guess)))]
        assert result.rate == pytest.approx(nearest, rel=1e-12, abs=1e-15)
    elif np.isfinite(result.rate):
        np.testing.assert_allclose(roots, [result.rate], rtol=1e-9, atol=1e-15)  # a root near 0: its last bits are absolute


@settings(max_examples=150, deadline=None)
@given(dated_flows())
def test_xirr_returns_a_rate_xirr_roots_lists_with_a_tiny_residual(case):
    values, dates = case
    result = no_warnings(lambda: fin.xirr(values, dates, full_output=True))
    roots = no_warnings(lambda: fin.xirr_roots(values, dates))
    if np.isfinite(result.rate):
        assert result.rate > -1.0
        assert np.min(np.abs(roots - result.rate)) <= 1e-9 * (1 + abs(result.rate))
        assert residual(values, years_of(dates), result.rate) <= RESIDUAL_TOL
        assert fin.xirr(values, dates, strict=True) == result.rate
    else:
        with pytest.raises(UndefinedResultError):
            fin.xirr(values, dates, strict=True)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.floats(-0.95, 20.0), min_size=1, max_size=5),
    st.booleans(),
    st.floats(0.3, 3.0),
    st.floats(0.05, 2.0),
    st.sampled_from([1e-6, 1.0, 1e9]),
)
def test_irr_roots_finds_every_root_of_flows_built_from_known_roots(rates, with_quadratic, c, d, scale):
    rates = np.sort(rates)
    assume(np.all(np.diff(np.log1p(rates)) > 0.02))  # distinct by 2 % in 1 + r
    values = scale * flows_with_roots(rates, (c, d) if with_quadratic else None)
    roots = no_warnings(lambda: fin.irr_roots(values))
    np.testing.assert_allclose(np.log1p(roots), np.log1p(rates), rtol=0, atol=1e-8)
    result = fin.irr(values, full_output=True)
    assert result.status == (RootStatus.OK if rates.size == 1 else RootStatus.MULTIPLE_ROOTS)


@settings(max_examples=100, deadline=None)
@given(
    st.integers(1, 12).flatmap(
        lambda m: hnp.arrays(np.float64, (m, 8), elements=st.one_of(st.just(0.0), magnitudes, magnitudes.map(lambda v: -v)))
    )
)
def test_a_batch_equals_row_by_row_whichever_path_each_row_takes(flows):
    batch = fin.irr(flows, full_output=True)
    alone = [fin.irr(row, full_output=True) for row in flows]
    np.testing.assert_array_equal(batch.rate, [a.rate for a in alone])
    np.testing.assert_array_equal(batch.status, [a.status for a in alone])


# --- cross-checks on conventional rows ------------------------------------------------------------


def test_irr_agrees_with_numpy_financial_and_pyxirr_on_conventional_rows():
    rng = np.random.default_rng(99)
    flows = rng.uniform(10, 200, (300, 24))
    flows[:, :2] = -rng.uniform(500, 2_000, (300, 2))
    ours = fin.irr(flows)
    np.testing.assert_allclose(ours, [npf.irr(row) for row in flows], rtol=0, atol=1e-10)
    np.testing.assert_allclose(ours, [pyxirr.irr(row) for row in flows], rtol=0, atol=1e-10)
    for row, rate in zip(flows[:20], ours[:20], strict=True):
        np.testing.assert_allclose(fin.irr_roots(row), [rate], rtol=1e-12)


def test_no_warning_and_only_documented_errors_for_odd_inputs():
    odd = [
        [0.0],
        [5.0],
        [0.0, 0.0],
        [-1.0, 1.0],
        [1e308, -1e308, 1e308],
        [5e-324, -5e-324],
        [-1e-320, 0.0, 0.0, 1e300],
        [1.0, -1e-300, 0.0, 1e300, -1e-300],
    ]
    for values in odd:
        no_warnings(lambda v=values: fin.irr(v, full_output=True))
        no_warnings(lambda v=values: fin.irr(v, guess=0.1, full_output=True))
        no_warnings(lambda v=values: fin.irr_roots(v))
        dates = np.datetime64("2020-01-01") + np.arange(len(values))
        no_warnings(lambda v=values, d=dates: fin.xirr(v, d, full_output=True))
        no_warnings(lambda v=values, d=dates: fin.xirr_roots(v, d))
