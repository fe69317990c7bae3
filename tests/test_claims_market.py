"""econ.claims.market: the checks of C11-C14 and C17 recomputed from the models, and inputs that flip each verdict.

Every expected number is computed here from the model functions (econ.load_shape, econ.unit_costs,
econ.serving, econ.pricing) and by hand (brute-force least-cost capacity over the sorted load,
the two-point probit calibration, each seat's bill), not from the check's helpers; the notebooks'
standard cases are written out again as literals, so a drift of a constant also fails here.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import optimize
from scipy.stats import norm

import econ
from econ.claims import check_claim
from econ.claims import market as checks
from econ.claims.verdicts import Evidence
from econ.inputs import inputs_from_scenario
from econ.load_shape import representative_year
from econ.serving import cost_per_million_tokens, measured_frontier
from econ.unit_costs import capacity_tiers, owned_cost_by_generation

MEAN_LOAD = 1000.0  # notebook 02 mean_load
GENERATION, ENGINE, UTILIZATION = "b200", "tensorrt-llm", 0.8  # notebook 03
STANDARD, FAST, PRICE = 100.0, 250.0, 0.60  # notebook 03 [tokens/s per user], [USD per million tokens]
C13_STATEMENTS = [(0.05, 1.25), (0.01, 2.0)]
C14_STATEMENTS = [(0.5, 1.35), (0.1, 2.0)]
CLAIM_STATEMENTS = [(0.5, 2.0), (0.1, 10.0)]  # C14's "readily pay double, reluctantly ten times"
SEATS, SEED = 20000, 20261127
STEP_TIERS = [(1.0, 20.0), (5.0, 100.0), (20.0, 200.0)]
SMOOTH = (20.0, 1.0, 12.0)


@pytest.fixture(scope="module")
def base() -> econ.Scenario:
    return econ.load_scenario("base")


@pytest.fixture(scope="module")
def year(base) -> pd.DataFrame:
    return representative_year(base, MEAN_LOAD)


def test_the_standard_cases_are_the_notebooks_parameters():
    assert checks.MEAN_LOAD_REFERENCE_GPUS == MEAN_LOAD
    assert (checks.SPEED_GENERATION, checks.SPEED_ENGINE, checks.SPEED_UTILIZATION) == (GENERATION, ENGINE, UTILIZATION)
    assert (checks.STANDARD_TOKENS_PER_S, checks.FAST_TOKENS_PER_S, checks.STANDARD_PRICE_USD_PER_MILLION_TOKENS) == (STANDARD, FAST, PRICE)
    assert [list(v) for v in checks.WTP_VIEWS.values()] == [C14_STATEMENTS, C13_STATEMENTS]
    assert (checks.QUOTA_SEATS, checks.QUOTA_SEED, list(checks.QUOTA_TIERS), checks.SMOOTH_PLAN) == (SEATS, SEED, STEP_TIERS, SMOOTH)


# --- C11 and C17: least cost over the representative year, by brute force ---------------------------------------


def least_cost_layer(load: np.ndarray, fixed: float, variable: float, rent: float) -> tuple[float, float]:
    """Capacity K of a tier (fixed + variable per hour used) under a rented-per-use top, and the year's cost, minimized over every
    load level (the cost is piecewise linear in K with kinks at the load levels, so its minimum is at one of them or at 0)."""
    s = np.sort(load)
    n = s.size
    below = np.concatenate([[0.0], np.cumsum(s)])  # sum of the j smallest
    k = np.concatenate([[0.0], s])
    j = np.arange(n + 1)  # hours strictly below k[j] (ties do not change the sums)
    served = below[j] + (n - j) * k
    cost = fixed * n * k + variable * served + rent * (s.sum() - served)
    i = int(np.argmin(cost))
    return float(k[i]), float(cost[i])


def test_c11_owns_the_base_only_where_peaks_are_rented_by_the_hour(base, year):
    load = (year["interactive"] + year["realtime"] + year["batch"]).to_numpy()
    owned, committed, on_demand = capacity_tiers(base)
    f, v, r, c = owned.fixed_usd_per_hour, owned.variable_usd_per_hour, on_demand.variable_usd_per_hour, committed.fixed_usd_per_hour
    n, peak = load.size, load.max()
    k, cost = least_cost_layer(load, f, v, r)
    assert f + v < c  # the commitment never beats owning, so the by-the-hour tiering is owned + on demand only
    all_owned = f * n * peak + v * load.sum()
    _, all_rented = least_cost_layer(load, c, 0.0, r)  # a committed base under on-demand peaks
    assert 0 < k < peak and cost < all_owned and cost < all_rented  # by the hour: own a base, rent the peak
    # Reserved and paid whole: no rented tier has a per-use price, so the owned line (f + v x CF) is below a reservation's
    # flat price at every CF (owning everything), or above it from CF 0 (renting the base, owning the peaker): never a base.
    schedule = inputs_from_scenario(base).commit_schedule
    short = on_demand.variable_usd_per_hour * (1 - schedule.shortest[0]) * (1 + base["cloud.short_term_premium"])
    cheapest_reserved = min(c, short)
    assert not (f + v < cheapest_reserved < f)
    finding = check_claim(base, "C11")
    assert finding.verdict == "depends"
    assert finding.value == pytest.approx(k / peak, rel=1e-9)
    assert f"{(1 - cost / all_owned) * 100:.1f} % cheaper than owning everything" in finding.why


def test_c11_is_not_supported_when_a_commitment_costs_less_than_owning(base):
    low = base.with_overrides({"cloud.list_usd_per_gpu_hour": 6.0})
    owned, committed, _ = capacity_tiers(low)
    assert committed.fixed_usd_per_hour < owned.fixed_usd_per_hour + owned.variable_usd_per_hour  # the base goes to the commitment
    assert check_claim(low, "C11").verdict == "not supported"
    assert check_claim(base.with_overrides({"cloud.list_usd_per_gpu_hour": 9.0}), "C11").verdict == "depends"


def test_c17_the_latency_split_costs_more_than_pooling(base, year):
    rt = year["realtime"].to_numpy()
    rest = (year["interactive"] + year["batch"]).to_numpy()
    total = rt + rest
    owned, committed, on_demand = capacity_tiers(base)
    f, v, r = owned.fixed_usd_per_hour, owned.variable_usd_per_hour, on_demand.variable_usd_per_hour
    n, k = total.size, rest.max()
    split = f * n * k + v * rest.sum() + r * rt.sum()
    overflow = f * n * k + v * np.minimum(total, k).sum() + r * np.maximum(total - k, 0).sum()
    _, tiering = least_cost_layer(total, f, v, r)
    all_owned = f * n * total.max() + v * total.sum()
    _, all_rented = least_cost_layer(total, committed.fixed_usd_per_hour, 0.0, r)
    cheapest = min(overflow, tiering, all_owned, all_rented)
    assert overflow < split and tiering < split
    finding = check_claim(base, "C17")
    assert finding.verdict == "not supported"
    assert finding.value == pytest.approx(split / cheapest - 1, rel=1e-9)


def test_c17_is_supported_when_the_latency_sensitive_work_is_the_peak_layer(base):
    # A flat base of chat and a short voice peak on top of it: the peak layer and the latency class coincide, so sending
    # the voice to the cloud is the least-cost tiering itself. The same voice all day long instead fills a base layer that
    # owning serves for less than the cloud: the split is dearer.
    hours = pd.date_range("2027-01-01", periods=8760, freq="h", tz="UTC")
    peak_hours = np.arange(8760) % 100 < 3  # 3 % of the hours
    owned, _, on_demand = capacity_tiers(base)
    assert owned.fixed_usd_per_hour / (on_demand.variable_usd_per_hour - owned.variable_usd_per_hour) > 0.03  # renting a 3 % layer pays

    def verdict(realtime: np.ndarray) -> str:
        ev = Evidence(base)
        synthetic = pd.DataFrame({"interactive": 1000.0, "realtime": realtime, "batch": 0.0}, index=hours)
        ev.cached("market: representative year", lambda: synthetic)  # the check reads the year from this cache entry
        return checks.api_for_latency_critical(ev).verdict

    assert verdict(np.where(peak_hours, 50.0, 0.0)) == "supported"
    assert verdict(np.where(peak_hours, 0.0, 50.0)) == "not supported"


def test_c17_stays_not_supported_over_the_ranges_of_its_inputs(base):
    for overrides in ({"demand.realtime_share": 0.12}, {"cloud.list_usd_per_gpu_hour": 2.625}, {"cloud.list_usd_per_gpu_hour": 42.0}):
        assert check_claim(base.with_overrides(overrides), "C17").verdict == "not supported", overrides


# --- C12, C13, C14: the cost of speed and who pays for it --------------------------------------------------------


@pytest.fixture(scope="module")
def speed(base) -> tuple[float, float]:
    """The standard cost [USD per million output tokens] and the fast multiple of notebook 03's case, from econ.serving."""
    gpu_hour = float(owned_cost_by_generation(base).loc[GENERATION, "total_usd_per_gpu_hour"])
    frontier = measured_frontier(GENERATION, ENGINE)
    standard, fast = (float(cost_per_million_tokens(gpu_hour, frontier(x), UTILIZATION)) for x in (STANDARD, FAST))
    return standard, fast / standard


def test_c12_a_fast_token_costs_a_multiple(base, speed):
    _, multiple = speed
    frontier = measured_frontier(GENERATION, ENGINE)
    per_token = 1.0 / frontier.tokens_per_s_per_gpu  # cost per token at any GPU-hour price, by interactivity
    assert np.all(np.diff(per_token) >= 0)
    finding = check_claim(base, "C12")
    assert finding.value == pytest.approx(multiple, rel=1e-12)
    assert finding.verdict == ("supported" if multiple >= 2.0 else "not supported") == "supported"


@pytest.mark.parametrize(("fast", "verdict"), [(180.0, "not supported"), (205.0, "not supported"), (215.0, "supported")])
def test_c12_flips_at_the_fast_speed_it_states(base, monkeypatch, fast, verdict):
    flip = check_claim(base, "C12").flip
    threshold = float(flip.split("less than ")[1].split(" tokens/s")[0])
    assert 205.0 < threshold < 215.0
    monkeypatch.setattr(checks, "FAST_TOKENS_PER_S", fast)
    assert check_claim(base, "C12").verdict == verdict


def probit(statements: list[tuple[float, float]]) -> tuple[float, float]:
    """Median and log spread of the lognormal through two (share paying at least, price) statements."""
    (s1, p1), (s2, p2) = statements
    z1, z2 = norm.isf(s1), norm.isf(s2)
    sigma = (np.log(p2) - np.log(p1)) / (z2 - z1)
    return float(np.exp(np.log(p1) - sigma * z1)), float(sigma)


def best_premium_take_up(statements, standard_cost: float, multiple: float) -> float:
    """Take-up at the premium maximizing (k - k0) x share(k), by bounded Brent over a bracket found on a grid."""
    median, sigma = probit(statements)
    k0 = 1 + (multiple - 1) * standard_cost / PRICE
    share = lambda k: norm.sf((np.log(k) - np.log(median)) / sigma)  # noqa: E731
    grid = np.linspace(k0, 10.0, 20001)
    i = int(np.argmax((grid - k0) * share(grid)))
    best = optimize.minimize_scalar(lambda k: -(k - k0) * share(k), bounds=(grid[i - 1], grid[i + 1]), method="bounded")
    return float(share(best.x))


def test_c13_few_take_fast_at_its_best_premium(base, speed):
    cost, multiple = speed
    take = best_premium_take_up(C13_STATEMENTS, cost, multiple)
    finding = check_claim(base, "C13")
    assert finding.value == pytest.approx(take, rel=1e-4)
    assert finding.verdict == ("supported" if take < 0.2 else "not supported") == "supported"


@pytest.mark.parametrize(("scale", "verdict"), [(9.0, "supported"), (11.0, "not supported")])
def test_c13_flips_when_more_would_pay(base, speed, monkeypatch, scale, verdict):
    scaled = [(s * scale, p) for s, p in C13_STATEMENTS]
    cost, multiple = speed
    assert (best_premium_take_up(scaled, cost, multiple) < 0.2) == (verdict == "supported")
    monkeypatch.setattr(checks, "WTP_VIEWS", {checks.C14_VIEW: tuple(C14_STATEMENTS), checks.C13_VIEW: tuple(scaled)})
    assert check_claim(base, "C13").verdict == verdict


def in_range(statements, standard_cost: float, multiple: float) -> tuple[float, float]:
    """Take-up and added profit at the best multiple in [1.25, 1.5] (bounded Brent; the profit is unimodal there)."""
    median, sigma = probit(statements)
    k0 = 1 + (multiple - 1) * standard_cost / PRICE
    share = lambda k: norm.sf((np.log(k) - np.log(median)) / sigma)  # noqa: E731
    best = optimize.minimize_scalar(lambda k: -(k - k0) * share(k), bounds=(1.25, 1.5), method="bounded", options={"xatol": 1e-9})
    return float(share(best.x)), float(PRICE * (best.x - k0) * share(best.x))


def retention() -> tuple[float, float]:
    """Seats kept by the step and the smooth plan of notebook 03, each seat's bill computed by hand."""
    rng = np.random.default_rng(SEED)
    usage = np.exp(rng.standard_normal(SEATS))
    value = usage * 40.0 * np.exp(0.5 * rng.standard_normal(SEATS))
    step_bill = np.full(SEATS, np.inf)
    for quota, price in reversed(STEP_TIERS):
        step_bill = np.where(usage <= quota, price, step_bill)
    base_fee, included, rate = SMOOTH
    smooth_bill = base_fee + rate * np.maximum(usage - included, 0)
    return float(np.mean(value >= step_bill)), float(np.mean(value >= smooth_bill))


def test_c14_a_fast_tier_at_25_to_50_percent_sells_and_steps_deter(base, speed):
    cost, multiple = speed
    take, profit = in_range(C14_STATEMENTS, cost, multiple)
    claim_take, claim_profit = in_range(CLAIM_STATEMENTS, cost, multiple)
    step, smooth = retention()
    assert take >= 0.2 and profit > 0 and claim_take >= 0.2 and claim_profit > 0 and step < smooth
    finding = check_claim(base, "C14")
    assert finding.verdict == "supported"
    assert finding.value == pytest.approx(take, abs=2e-3)  # the check takes the best of 251 multiples in the range
    assert f"{step * 100:.1f} % of seats against {smooth * 100:.1f} %" in finding.why


def test_c14_depends_when_one_part_fails_and_fails_when_all_do(base, monkeypatch):
    monkeypatch.setattr(checks, "SMOOTH_PLAN", (20.0, 1.0, 100.0))  # the smooth price loses more seats than the steps
    assert check_claim(base, "C14").verdict == "depends"
    monkeypatch.setattr(checks, "STANDARD_PRICE_USD_PER_MILLION_TOKENS", 0.15)  # break-even above 1.5x: no profit in the range
    assert check_claim(base, "C14").verdict == "not supported"
    monkeypatch.setattr(checks, "SMOOTH_PLAN", SMOOTH)
    assert check_claim(base, "C14").verdict == "depends"


def test_every_shipped_scenario_gets_the_same_market_verdicts():
    for name in econ.list_scenarios().index:
        table = econ.claims.evaluate_claims(econ.load_scenario(name), ["C11", "C12", "C13", "C14", "C17"], flips=False)
        assert table["verdict"].tolist() == ["depends", "supported", "supported", "supported", "not supported"], name
        assert set(table["unit"]) == {"1", "x"}  # C12 is a multiple
