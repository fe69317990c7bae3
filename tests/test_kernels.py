"""Compiled kernels (econ.kernels) against the NumPy formulation they replace, to the bit.

Each reference below is the array-at-a-time NumPy code the kernel replaced: the kernel must do
the same floating-point operations in the same order, so the results are equal, not just close.
"""

from __future__ import annotations

import functools
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from econ.assumptions import load_scenario
from econ.build import fleet, site_schedule
from econ.cloud import Contract, held_for_term, rented_costs, short_term_tranches, tranche_price
from econ.hardware import HOURS_PER_YEAR, capacity_cost_per_gpu_hour, capital_charges
from econ.kernels import capacity_cost_draws, frontier_draws, present_events, present_rows, running_indices, tail_sums
from econ.risk import sample_inputs
from econ.strategies import provider_cost, serve, trajectory
from econ.tax import deductions
from econ.timeline import HOURS_PER_MONTH, growth, scatter_rows


def _serve_numpy(demand, bloc_shares, demand_blocs, regulated_share, serving_from, added, site_blocs):
    """Capacity per bloc by one scatter and a cumulative sum, then serving bloc by bloc over whole arrays."""
    n, months = demand.shape
    blocs = tuple(dict.fromkeys(site_blocs))
    row = np.array([blocs.index(b) for b in site_blocs])[None, :, None] * n + np.arange(n)[:, None, None]
    capacity = np.cumsum(scatter_rows(months, len(blocs) * n, row, serving_from, added), axis=1).reshape(len(blocs), n, months)
    total = capacity.sum(axis=0)
    share = np.asarray(regulated_share, dtype=float)
    reg = np.repeat(share[:, None], len(demand_blocs), axis=1) if share.ndim == 1 else share
    if not np.any(reg > 0):
        return np.minimum(demand, total), np.zeros_like(demand), total
    weight = reg * np.asarray(bloc_shares, dtype=float)
    got = np.zeros_like(demand)
    for b, bloc in enumerate(demand_blocs):
        if bloc in blocs:
            got += np.minimum(demand * weight[:, b : b + 1], capacity[blocs.index(bloc)])
    regulated = weight.sum(axis=1)[:, None]
    return got + np.minimum(demand * (1.0 - regulated), total - got), demand * regulated - got, total


MONTHS = st.sampled_from([-2.0, 0.0, 1.0, 2.0, 5.0, 12.0, 13.0, np.inf])


@given(
    st.integers(1, 4),
    st.integers(1, 12),
    st.lists(MONTHS, min_size=48, max_size=48),
    st.lists(st.floats(-50.0, 80.0), min_size=48, max_size=48),
    st.lists(st.floats(0.0, 1.0), min_size=16, max_size=16),
    st.sampled_from(["alike", "by bloc", "none"]),
)
def test_serve_is_its_numpy_formulation_to_the_bit(n, months, at, added, shares, regulated):
    rng = np.random.default_rng(n * 100 + months)
    demand = rng.uniform(0.0, 300.0, (n, months))
    site_blocs = ("US", "EU", "US", "EEA")  # EEA has capacity but no demand of its own
    demand_blocs = ("US", "EU", "JP")  # JP has demand but no site
    bloc_shares = np.array([0.5, 0.3, 0.2])
    at_, added_ = np.reshape(at[: n * 12], (n, 4, 3)), np.reshape(added[: n * 12], (n, 4, 3))
    share = {"alike": np.array(shares[:n]), "by bloc": np.reshape(shares[: n * 3], (n, 3)), "none": np.zeros(n)}[regulated]
    got = serve(demand, bloc_shares, demand_blocs, share, at_, added_, site_blocs)
    expected = _serve_numpy(demand, bloc_shares, demand_blocs, share, at_, added_, site_blocs)
    for a, b in zip(got, expected, strict=True):
        assert np.array_equal(a, b)


def test_serve_keeps_nan_demand_as_numpy_does():
    demand = np.array([[np.nan, 50.0]])
    args = (np.array([0.6, 0.4]), ("US", "EU"), np.array([0.5]), np.array([[[1.0]]]), np.array([[[80.0]]]), ("US",))
    for a, b in zip(serve(demand, *args), _serve_numpy(demand, *args), strict=True):
        assert np.array_equal(a, b, equal_nan=True)


def _rented_numpy(rented_units, price, contracts, short_term_factor, departing_premium, window, short_term_months):
    """Contract by contract over whole arrays, then the short-term tranches and their premium."""
    n, months = rented_units.shape
    used, unused, premium_paid = np.zeros((n, months)), np.zeros((n, months)), np.zeros((n, months))
    beyond = rented_units.copy()
    for contract, reserved, locked, premium in contracts:
        span = slice(contract.start_month, contract.end_month)
        level, price_locked = reserved[:, span], locked[:, span]
        covered = np.minimum(beyond[:, span], level)
        used[:, span] += covered * price_locked
        unused[:, span] += (level - covered) * price_locked
        premium_paid[:, span] += level * price_locked * premium[:, None]
        beyond[:, span] -= covered
    short_price = price * short_term_factor[:, None]
    added, short_term = short_term_tranches(beyond, short_price, short_term_months)
    premium_paid += held_for_term(added * short_price * np.where(window, departing_premium[:, None], 0.0), short_term_months)
    return [-used * HOURS_PER_MONTH, -unused * HOURS_PER_MONTH, -short_term * HOURS_PER_MONTH, -premium_paid * HOURS_PER_MONTH]


@given(st.integers(1, 4), st.integers(2, 30), st.integers(1, 13), st.booleans(), st.integers(0, 10**6))
def test_rented_costs_are_their_numpy_formulation_to_the_bit(n, months, term, gap, seed):
    rng = np.random.default_rng(seed)
    units = rng.uniform(0.0, 100.0, (n, months)) * rng.integers(0, 2, (n, months))  # needs that come and go
    price = rng.uniform(1.0, 3.0, (n, months))
    first = Contract("c1", 0, months // 2)
    second = Contract("c2", months // 2 + (1 if gap else 0), months - months // 2 - (1 if gap else 0))
    contracts = []
    for c in (first, second):
        if c.term_months < 1:
            continue
        reserved = np.zeros((n, months))
        reserved[:, c.start_month : c.end_month] = np.maximum.accumulate(rng.uniform(0.0, 80.0, (n, c.term_months)), axis=1)
        locked = np.zeros((n, months))
        locked[:, c.start_month : c.end_month] = rng.uniform(0.5, 2.0, (n, c.term_months))
        contracts.append((c, reserved, locked, rng.uniform(0.0, 0.3, n)))
    factor, departing = rng.uniform(0.8, 1.3, n), rng.uniform(0.0, 0.2, n)
    window = rng.integers(0, 2, (n, months)).astype(bool)
    terms = [(c, reserved[:, c.span], locked[:, c.span], premium) for c, reserved, locked, premium in contracts]
    got = rented_costs(units, price, terms, factor, departing, window, term)
    expected = _rented_numpy(units, price, contracts, factor, departing, window, term)
    for a, b in zip(got.values(), expected, strict=True):
        assert np.array_equal(a, b)
    cash, tax = rng.uniform(0.5, 1.0, (2, n, months))
    values = rented_costs(units, price, terms, factor, departing, window, term, factors=(cash, tax))
    for value, flow in zip(values.values(), expected, strict=True):  # each flow summed month by month, in month order
        assert value.shape == (2, n)
        for k, d in enumerate((cash, tax)):
            in_order = [functools.reduce(lambda total, x: total + x, flow[i] * d[i], 0.0) for i in range(n)]
            assert np.array_equal(value[k], in_order)


def _tranche_numpy(reserved, price, contract):
    span = slice(contract.start_month, contract.end_month)
    level = reserved[:, span]
    within = np.diff(level, axis=1)
    if np.any(within < -1e-9 * np.maximum(np.abs(level[:, 1:]), 1.0)):
        raise ValueError("falls")
    added = np.maximum(np.diff(level, axis=1, prepend=0.0), 0.0)
    units, paid = np.cumsum(added, axis=1), np.cumsum(added * price[:, span], axis=1)
    average = np.zeros(reserved.shape)
    np.divide(paid, units, out=average[:, span], where=units > 0)
    return average


@given(st.integers(1, 4), st.integers(1, 20), st.integers(0, 5), st.booleans(), st.integers(0, 10**6))
def test_tranche_price_is_its_numpy_formulation_to_the_bit(n, term, start, falls, seed):
    rng = np.random.default_rng(seed)
    contract, months = Contract("c", start, term), start + term + 3
    reserved = np.zeros((n, months))
    steps = rng.uniform(0.0, 50.0, (n, term)) * rng.integers(0, 2, (n, term))
    reserved[:, start : start + term] = np.cumsum(steps, axis=1) - falls * rng.uniform(0.0, 5.0, (n, term))
    price = rng.uniform(0.5, 3.0, (n, months))
    try:
        expected = _tranche_numpy(reserved, price, contract)
    except ValueError:
        with pytest.raises(ValueError, match="falls within the term"):
            tranche_price(reserved, price, contract)
        return
    assert np.array_equal(tranche_price(reserved, price, contract), expected)


@given(st.integers(1, 4), st.integers(1, 40), st.booleans(), st.integers(0, 10**6))
def test_tail_sums_are_a_reversed_cumulative_sum_to_the_bit(n, months, indexed, seed):
    rng = np.random.default_rng(seed)
    index, factors = rng.uniform(0.5, 3.0, (n, months)), rng.uniform(0.1, 1.0, (n, months))
    weighted = index * factors if indexed else factors
    assert np.array_equal(tail_sums(index, factors, indexed), np.cumsum(weighted[:, ::-1], axis=1)[:, ::-1])


@given(st.integers(1, 300), st.integers(0, 10**6))
def test_event_sums_are_numpys_row_sums_to_the_bit(events, seed):
    """present_events sums a draw's events in NumPy's pairwise order, at any number of events."""
    rng = np.random.default_rng(seed)
    n, months = 3, 24
    table = rng.uniform(0.1, 1.0, (n, months))
    at = rng.integers(-2, months + 3, (n, events)).astype(float)
    amount = rng.standard_normal((n, events)) * 10.0 ** rng.integers(-3, 9, (n, events))
    inside = (at >= 1) & (at <= months)
    looked_up = np.take_along_axis(table, np.where(inside, at, 1.0).astype(np.int64) - 1, axis=1)
    assert np.array_equal(present_events(table, at, amount), np.where(inside, looked_up * amount, 0.0).sum(axis=1))


@given(st.integers(0, 200), st.integers(0, 10**6))
def test_present_rows_sum_events_in_order_as_bincount_does(events, seed):
    rng = np.random.default_rng(seed)
    n, months = 4, 30
    factors = rng.uniform(0.1, 1.0, (n, months))
    rows, at = rng.integers(0, n, events), rng.integers(-1, months + 2, events).astype(float)
    amount = rng.standard_normal(events) * 1e6
    inside = (at >= 1) & (at <= months)
    worth = amount[inside] * factors[rows[inside], at[inside].astype(np.int64) - 1]
    assert np.array_equal(present_rows(rows, at, amount, factors), np.bincount(rows[inside], weights=worth, minlength=n).astype(float))


def _deductions_numpy(months, placed, basis, rates, retired, shield_rate):
    """The deductions taken as event arrays built with NumPy (repeat, fancy indexing, bincount), into monthly flows."""
    row, asset = np.nonzero(placed <= months)
    start = placed[row, asset]
    first = min(float(start.min()) if start.size else 1.0, 1.0)
    years = min(np.shape(rates)[-1], int((months - first) // 12) + 1)
    rates = np.broadcast_to(np.atleast_2d(rates), (placed.shape[1], np.shape(rates)[-1]))[:, :years]
    written = rates != 0
    length = np.where(written.any(axis=1), years - np.argmax(written[:, ::-1], axis=1), 0)
    taken = np.minimum(length[asset], np.floor((months - start) / 12.0) + 1.0)
    taken = np.minimum(taken, np.maximum(np.ceil((retired[row, asset] - start) / 12.0), 0.0))
    count = taken.astype(np.int64)
    of = np.repeat(np.arange(row.size), count)
    year = np.arange(of.size) - np.repeat(np.cumsum(count) - count, count)
    amount = basis[row, asset][of] * rates[asset[of], year]
    left = np.zeros(placed.shape)
    left[row, asset] = basis[row, asset] - np.bincount(of, weights=amount, minlength=row.size)
    saved = amount * shield_rate[row, asset][of]
    return scatter_rows(months, placed.shape[0], row[of], start[of] + 12.0 * year, saved), left


@given(st.integers(1, 200), st.integers(0, 10**6))
def test_deductions_are_their_numpy_formulation_to_the_bit(months, seed):
    rng = np.random.default_rng(seed)
    n, k = 3, 5
    placed = rng.choice([-3.0, 1.0, 7.0, 30.0, 150.0, np.inf], (n, k))
    retired = placed + rng.choice([6.0, 24.0, 49.0, np.inf], (n, k))
    basis, shield = rng.uniform(0.0, 1e9, (n, k)), rng.uniform(0.0, 0.4, (n, k))
    rates = rng.uniform(0.0, 0.3, (k, 20)) * (rng.uniform(size=(k, 20)) < 0.7)
    flow, left = deductions(months, placed, basis, rates, retired, shield_rate=shield)
    expected_flow, expected_left = _deductions_numpy(months, placed, basis, rates, retired, shield)
    assert np.array_equal(flow, expected_flow)
    assert np.array_equal(left, expected_left)


def _fleet_numpy(inputs, schedule, trajectory):
    """Purchases at online and every refresh over draws x sites x purchases arrays."""
    months = inputs.months
    life = np.maximum(np.round(inputs["hardware.refresh_years"] * 12.0), 1.0)[:, None, None]
    k = np.arange(int(np.ceil(months / life.min())) + 1)[None, None, :]
    at = schedule.online[..., None] + k * life
    happens = schedule.built[..., None] & (at <= months)
    price, kw, work = trajectory.at(np.where(happens, at, 1.0))
    gpus = np.where(happens, schedule.mw[..., None] * 1000.0 / kw, 0.0)
    cost = gpus * price * (1.0 + inputs.fleet_extras_share[:, None, None])
    at = np.where(happens, at, np.inf)
    retired = np.where(np.isfinite(np.roll(at, -1, axis=2)) & (k < k.max()), np.roll(at, -1, axis=2), np.inf)
    return at, gpus, gpus * work, cost, retired


@given(st.integers(0, 10**6), st.sampled_from(["build", "sovereign"]))
def test_fleet_is_its_numpy_formulation_to_the_bit(seed, name):
    rng = np.random.default_rng(seed)
    inputs, _ = sample_inputs(load_scenario(name), 4, seed=seed % 1000)
    schedule = site_schedule(inputs, inputs["strategies.build.build_share"])
    shifted = replace(schedule, online=schedule.online + rng.choice([-40.0, 0.0, 30.0, 200.0], schedule.online.shape))
    path = trajectory(inputs)
    made = fleet(inputs, shifted, path)
    for got, expected in zip(
        (made.at, made.gpus, made.capacity, made.cost, made.retired), _fleet_numpy(inputs, shifted, path), strict=True
    ):
        assert np.array_equal(got, expected)


def _provider_cost_numpy(inputs, path):
    """The provider's cost as capacity_cost_per_gpu_hour computes it, over whole (n, M) arrays."""

    def col(a):
        return np.asarray(a, dtype=float)[:, None]

    staff_index = growth(inputs["finance.inflation_annual"], inputs.months)
    residual = inputs["hardware.residual_share_per_year"] ** inputs["hardware.refresh_years"] * inputs["hardware.liquidation_share"]
    cost = capacity_cost_per_gpu_hour(
        path.price_usd_per_gpu,
        path.it_kw_per_gpu,
        extras_share=col(inputs.fleet_extras_share),
        rate_annual=col(inputs["cloud.provider_discount_rate_annual"]),
        gpu_life_years=col(inputs["hardware.refresh_years"]),
        residual_share=col(residual),
        facility_usd_per_mw_it=col(inputs["cloud.provider_facility_usd_per_mw_it"])
        * growth(inputs["build.construction_escalation_annual"], inputs.months),
        facility_life_years=col(inputs["build.facility_life_years"]),
        maintenance_share_per_year=col(inputs["build.maintenance_share_of_capex_per_year"]),
        pue=col(inputs["cloud.provider_pue"]),
        power_usd_per_mwh=col(inputs["cloud.provider_power_usd_per_mwh"])
        * growth(inputs["build.power_price_escalation_annual"], inputs.months),
        load_share=np.ones((1, 1)),
        staff_usd_per_mw_year=col(inputs["build.staff_usd_per_mw_per_year"]) * staff_index,
        staff_usd_per_gpu_year=col(inputs["build.staff_usd_per_gpu_per_year"]) * staff_index,
        property_insurance_share_per_year=np.zeros((1, 1)),
    )
    return cost["total"] / path.work_per_gpu


@given(st.integers(0, 10**6), st.sampled_from(["build", "base", "sovereign"]))
def test_provider_cost_is_capacity_cost_per_gpu_hour_to_the_bit(seed, name):
    inputs, _ = sample_inputs(load_scenario(name), 6, seed=seed % 1000)
    path = trajectory(inputs)
    assert np.array_equal(provider_cost(inputs, path), _provider_cost_numpy(inputs, path))


@given(st.integers(0, 10**6), st.integers(1, 5), st.integers(1, 30))
def test_capacity_cost_kernel_is_capacity_cost_per_gpu_hour_to_the_bit(seed, n, months):
    """Every term, including the insurance and load share the provider's cost holds at 0 and 1."""
    rng = np.random.default_rng(seed)
    price, kw, work = (rng.uniform(0.1, 5.0, (n, months)) * scale for scale in (3e4, 1.5, 2.0))
    index = [rng.uniform(0.9, 2.0, (n, months)) for _ in range(3)]
    draw = {
        key: rng.uniform(low, high, n)
        for key, low, high in [
            ("extras", 0.0, 0.5), ("rate", -0.05, 0.2), ("gpu_life", 1.0, 8.0), ("residual", 0.0, 0.4), ("facility", 5e6, 2e7),
            ("facility_life", 10.0, 30.0), ("maintenance", 0.0, 0.05), ("insurance", 0.0, 0.02), ("pue", 1.05, 1.6),
            ("load", 0.3, 1.0), ("power", 20.0, 150.0), ("staff_mw", 1e4, 1e5), ("staff_gpu", 0.0, 500.0),
        ]
    }  # fmt: skip
    col = {key: value[:, None] for key, value in draw.items()}
    expected = capacity_cost_per_gpu_hour(
        price, kw, extras_share=col["extras"], rate_annual=col["rate"], gpu_life_years=col["gpu_life"],
        residual_share=col["residual"], facility_usd_per_mw_it=col["facility"] * index[0], facility_life_years=col["facility_life"],
        maintenance_share_per_year=col["maintenance"], pue=col["pue"], power_usd_per_mwh=col["power"] * index[1],
        load_share=col["load"], staff_usd_per_mw_year=col["staff_mw"] * index[2], staff_usd_per_gpu_year=col["staff_gpu"] * index[2],
        property_insurance_share_per_year=col["insurance"],
    )["total"] / work  # fmt: skip
    kept, crf_gpu, crf_facility = capital_charges(draw["rate"], draw["gpu_life"], draw["residual"], draw["facility_life"])
    per_draw = np.column_stack(
        [1.0 + draw["extras"], kept, crf_gpu, crf_facility, draw["facility"], draw["maintenance"], draw["insurance"], draw["pue"],
         draw["load"], draw["power"], draw["staff_mw"], draw["staff_gpu"]]
    )  # fmt: skip
    assert np.array_equal(capacity_cost_draws(price, kw, work, *index, per_draw, HOURS_PER_YEAR), expected)


@given(st.integers(1, 5), st.integers(1, 6), st.integers(1, 40), st.integers(0, 10**6))
def test_frontier_gathers_what_take_along_axis_gathers(n, generations, months, seed):
    rng = np.random.default_rng(seed)
    price, kw, work = rng.uniform(0.5, 2.0, (3, n, generations))
    sets = rng.integers(1, 4)
    choice_by_set = rng.integers(0, generations, (sets, n))
    set_of_month = rng.integers(0, sets, months)
    got = frontier_draws(choice_by_set, set_of_month, price, kw, work)
    choice = np.ascontiguousarray(choice_by_set[set_of_month].T)
    expected = (choice, *(np.take_along_axis(x, choice, axis=1) for x in (price, kw, work)))
    for a, b in zip(got, expected, strict=True):
        assert a.dtype == b.dtype
        assert np.array_equal(a, b)


def test_rented_costs_name_a_contract_whose_arrays_do_not_cover_its_term():
    units, price = np.full((1, 6), 10.0), np.full((1, 6), 2.0)
    horizon = [(Contract("c1", 0, 2), np.full((1, 6), 12.0), np.full((1, 6), 1.0), np.zeros(1))]  # the horizon, not the term
    with pytest.raises(ValueError, match=r"c1's reserved capacity and locked price must cover its term, shape \(n, 2\)"):
        rented_costs(units, price, horizon, np.ones(1), np.zeros(1), np.zeros((1, 6), bool))


@given(st.integers(1, 4), st.integers(1, 30), st.integers(0, 10**6))
def test_running_indices_are_their_numpy_formulation_to_the_bit(n, months, seed):
    rng = np.random.default_rng(seed)
    busy = rng.uniform(0.0, 1.0, (n, months)) * rng.integers(0, 2, (n, months))  # idle months too
    busy[0, 0] = np.nan  # a NaN stays NaN, as numpy.maximum keeps it
    idle, take = rng.uniform(0.0, 0.5, n), rng.uniform(0.0, 0.8, n)
    growth_, inflation = rng.uniform(0.9, 2.0, (2, n, months))
    draw = idle[:, None] + (1.0 - idle[:, None]) * busy
    expected = (HOURS_PER_MONTH * np.maximum(draw, take[:, None]) * growth_, HOURS_PER_MONTH * draw * inflation)
    for got, want in zip(running_indices(busy, idle, take, growth_, inflation, HOURS_PER_MONTH), expected, strict=True):
        assert np.array_equal(got, want, equal_nan=True)
