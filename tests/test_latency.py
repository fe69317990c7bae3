"""econ.latency: the round-trip matrix against its CSV, pipelines and requests by hand, percentiles against Monte Carlo, bad input."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats

from econ.latency import check_rtt, latency_percentiles, pipeline_latency_ms, request_latency_ms, rtt_matrix

DATA = Path(__file__).resolve().parents[1] / "data"
RTT = rtt_matrix()
REGIONS = list(RTT.index)

# a tiny symmetric table, with round numbers to add up by hand
TINY = pd.DataFrame(
    [[0.0, 10.0, 30.0], [10.0, 0.0, 25.0], [30.0, 25.0, 0.0]],
    index=["a", "b", "c"],
    columns=["a", "b", "c"],
)


def table(values: list[list[float]], regions: tuple[str, ...] = ("a", "b")) -> pd.DataFrame:
    return pd.DataFrame(values, index=list(regions), columns=list(regions))


# The round-trip matrix -------------------------------------------------------------------------


def test_rtt_matrix_is_a_symmetric_22_region_table_with_zero_diagonal():
    assert RTT.shape == (22, 22)
    assert list(RTT.index) == list(RTT.columns) == sorted(RTT.index)
    values = RTT.to_numpy(float)
    assert np.all(np.isfinite(values))
    assert np.all(values >= 0)
    assert np.array_equal(values, values.T)
    assert np.all(np.diag(values) == 0.0)
    # between two distinct regions there is always a hop
    assert np.all(values[~np.eye(22, dtype=bool)] > 0)
    assert check_rtt(RTT) is RTT


def test_rtt_matrix_entries_are_the_mean_of_both_directed_rows_of_the_csv():
    raw = pd.read_csv(DATA / "region_rtt.csv")
    # every ordered pair of distinct regions is measured exactly once
    assert not raw.duplicated(["from_region", "to_region"]).any()
    assert len(raw) == 22 * 21
    assert set(raw["from_region"]) | set(raw["to_region"]) == set(REGIONS)
    directed = {(f, t): float(v) for f, t, v in zip(raw["from_region"], raw["to_region"], raw["rtt_ms"], strict=True)}
    for a in REGIONS:
        for b in REGIONS:
            if a == b:
                continue
            expected = (directed[(a, b)] + directed[(b, a)]) / 2.0
            assert RTT.loc[a, b] == expected, (a, b)
    # the docstring's example, and the documented spread between the two directions
    assert RTT.loc["us-east-va", "us-central-tx"] == 35.5
    spread = max(abs(directed[(a, b)] - directed[(b, a)]) for a, b in directed)
    assert spread == 18.0


# Pipelines -------------------------------------------------------------------------------------


def test_three_call_pipeline_across_two_regions_adds_up_by_hand_in_both_topologies():
    # a voice agent in Virginia: speech-to-text in Frankfurt, a model in Virginia, text-to-speech in Frankfurt
    user, far = "us-east-va", "de-fra"
    r = float(RTT.loc[user, far])
    assert r == 94.0  # (the CSV's two directions, averaged)
    calls = [(far, 40.0), (user, 150.0), (far, 60.0)]
    compute = 40.0 + 150.0 + 60.0
    # star: the application calls each service from Virginia: va->fra, va->va (0), va->fra
    assert pipeline_latency_ms(calls, user, RTT) == r + 0.0 + r + compute == 438.0
    assert pipeline_latency_ms(calls, user, RTT, topology="star") == 438.0
    # chain: va->fra, fra->va, va->fra
    assert pipeline_latency_ms(calls, user, RTT, topology="chain") == r + r + r + compute == 532.0


def test_three_call_pipeline_from_a_third_region_by_hand():
    # the user in London, calls in Virginia then twice in Texas
    user, va, tx = "uk-lon", "us-east-va", "us-central-tx"
    lon_va, lon_tx, va_tx = (float(RTT.loc[user, va]), float(RTT.loc[user, tx]), float(RTT.loc[va, tx]))
    assert (lon_va, lon_tx, va_tx) == (78.0, 112.5, 35.5)
    calls = [(va, 10.0), (tx, 20.0), (tx, 30.0)]
    assert pipeline_latency_ms(calls, user, RTT, "star") == lon_va + 2 * lon_tx + 60.0 == 363.0
    assert pipeline_latency_ms(calls, user, RTT, "chain") == lon_va + va_tx + 0.0 + 60.0 == 173.5


def test_pipeline_on_a_hand_built_table():
    calls = [("b", 5.0), ("c", 7.0), ("b", 11.0)]
    # star from a: a-b 10, a-c 30, a-b 10
    assert pipeline_latency_ms(calls, "a", TINY, "star") == 10.0 + 30.0 + 10.0 + 23.0
    # chain from a: a-b 10, b-c 25, c-b 25
    assert pipeline_latency_ms(calls, "a", TINY, "chain") == 10.0 + 25.0 + 25.0 + 23.0
    # from b, star: b-b 0, b-c 25, b-b 0; chain: b-b 0, b-c 25, c-b 25
    assert pipeline_latency_ms(calls, "b", TINY, "star") == 25.0 + 23.0
    assert pipeline_latency_ms(calls, "b", TINY, "chain") == 50.0 + 23.0


@pytest.mark.parametrize("topology", ["star", "chain"])
def test_dataframe_calls_give_the_same_latency_as_pairs(topology):
    pairs = [("de-fra", 40.0), ("us-east-va", 150.0), ("de-fra", 60.0)]
    frame = pd.DataFrame(pairs, columns=["region", "compute_ms"])
    assert pipeline_latency_ms(frame, "us-east-va", RTT, topology) == pipeline_latency_ms(pairs, "us-east-va", RTT, topology)
    # extra columns and a non-default index change nothing
    extra = frame.assign(service=["stt", "llm", "tts"]).set_axis([7, 3, 5])
    assert pipeline_latency_ms(extra, "us-east-va", RTT, topology) == pipeline_latency_ms(pairs, "us-east-va", RTT, topology)


calls_strategy = st.lists(st.tuples(st.sampled_from(REGIONS), st.floats(0.0, 5000.0)), min_size=1, max_size=8)


@given(calls_strategy, st.sampled_from(REGIONS))
def test_pipeline_is_the_sum_of_its_hops_and_compute(calls, user):
    compute = sum(c for _, c in calls)
    star = sum(float(RTT.loc[user, r]) for r, _ in calls) + compute
    path = [user, *(r for r, _ in calls)]
    chain = sum(float(RTT.loc[a, b]) for a, b in itertools.pairwise(path)) + compute
    assert pipeline_latency_ms(calls, user, RTT, "star") == pytest.approx(star, rel=1e-12, abs=1e-9)
    assert pipeline_latency_ms(calls, user, RTT, "chain") == pytest.approx(chain, rel=1e-12, abs=1e-9)
    frame = pd.DataFrame(calls, columns=["region", "compute_ms"])
    assert pipeline_latency_ms(frame, user, RTT, "chain") == pipeline_latency_ms(calls, user, RTT, "chain")
    # one call, or every call in the user's own region: the two topologies agree
    first = calls[:1]
    assert pipeline_latency_ms(first, user, RTT, "star") == pipeline_latency_ms(first, user, RTT, "chain")
    local = [(user, c) for _, c in calls]
    assert pipeline_latency_ms(local, user, RTT, "star") == pipeline_latency_ms(local, user, RTT, "chain") == pytest.approx(compute)


# A request's time by part ----------------------------------------------------------------------


def test_request_latency_parts_add_up_by_hand():
    # 72 ms round trip (Virginia-Dublin), 30 ms queue, 15 ms fixed, 2,000 tokens read at 10,000 tokens/s (200 ms),
    # 101 tokens written at 50 tokens/s per user: the first with the fixed part, the other 100 in 2,000 ms
    rtt = float(RTT.loc["us-east-va", "ie-dub"])
    assert rtt == 72.0
    t = request_latency_ms(rtt, 2000, 10000.0, 101, 50.0, queue_ms=30.0, fixed_ms=15.0)
    assert list(t.columns) == ["network_ms", "queue_ms", "fixed_ms", "prefill_ms", "decode_ms", "ttft_ms", "ttlt_ms"]
    row = t.iloc[0]
    assert (row["network_ms"], row["queue_ms"], row["fixed_ms"], row["prefill_ms"], row["decode_ms"]) == (72.0, 30.0, 15.0, 200.0, 2000.0)
    assert row["ttft_ms"] == 72.0 + 30.0 + 15.0 + 200.0 == 317.0
    assert row["ttlt_ms"] == 317.0 + 2000.0
    # the docstring's example; queue and fixed default to 0; one output token has no decode time
    assert t.shape == (1, 7)
    bare = request_latency_ms(10.0, 1000, 1000.0, 1, 20.0).iloc[0]
    assert (bare["queue_ms"], bare["fixed_ms"], bare["prefill_ms"], bare["decode_ms"]) == (0.0, 0.0, 1000.0, 0.0)
    assert bare["ttft_ms"] == bare["ttlt_ms"] == 1010.0


def test_request_latency_broadcasts_over_arrays():
    rtts = np.array([0.0, 35.5, 94.0])
    outputs = np.array([1, 201, 401])
    t = request_latency_ms(rtts, 4000, 40000.0, outputs, 100.0, queue_ms=5.0, fixed_ms=[20.0])
    assert len(t) == 3
    np.testing.assert_array_equal(t["network_ms"], rtts)
    np.testing.assert_array_equal(t["prefill_ms"], [100.0] * 3)
    np.testing.assert_array_equal(t["decode_ms"], [0.0, 2000.0, 4000.0])
    np.testing.assert_array_equal(t["ttft_ms"], rtts + 5.0 + 20.0 + 100.0)
    np.testing.assert_array_equal(t["ttlt_ms"], t["ttft_ms"] + t["decode_ms"])
    for i in range(3):
        alone = request_latency_ms(float(rtts[i]), 4000, 40000.0, int(outputs[i]), 100.0, queue_ms=5.0, fixed_ms=20.0)
        pd.testing.assert_frame_equal(t.iloc[[i]].reset_index(drop=True), alone)


@given(
    st.floats(0.0, 400.0),
    st.integers(0, 200_000),
    st.floats(100.0, 1e6),
    st.integers(1, 10_000),
    st.floats(1.0, 1000.0),
    st.floats(0.0, 5000.0),
    st.floats(0.0, 500.0),
)
def test_request_latency_parts_always_add_up(rtt, tokens_in, prefill, tokens_out, speed, queue, fixed):
    row = request_latency_ms(rtt, tokens_in, prefill, tokens_out, speed, queue_ms=queue, fixed_ms=fixed).iloc[0]
    assert row["prefill_ms"] == pytest.approx(1000.0 * tokens_in / prefill, rel=1e-12)
    assert row["decode_ms"] == pytest.approx(1000.0 * (tokens_out - 1) / speed, rel=1e-12)
    assert row["ttft_ms"] == pytest.approx(row["network_ms"] + row["queue_ms"] + row["fixed_ms"] + row["prefill_ms"], rel=1e-12)
    assert row["ttlt_ms"] == pytest.approx(row["ttft_ms"] + row["decode_ms"], rel=1e-12)


# Percentiles -----------------------------------------------------------------------------------


@given(st.floats(1.0, 10_000.0), st.floats(0.1, 5.0), st.lists(st.floats(0.1, 99.9), min_size=1, max_size=6))
def test_no_spread_and_no_stalls_give_multiplier_times_median_at_every_percentile(median, multiplier, percentiles):
    out = latency_percentiles(median, 0.0, multiplier, 0.0, 0.0, percentiles)
    assert np.all(out.to_numpy() == multiplier * median)


def test_percentiles_are_labelled_and_default_to_p50_p90_p99_p999():
    out = latency_percentiles(300.0, 0.0, 3.0)
    assert out.index.tolist() == ["p50", "p90", "p99", "p99.9"]
    assert out.tolist() == [900.0] * 4


def test_a_two_point_distribution_jumps_to_the_stall_past_one_minus_its_probability():
    # sigma 0: the latency is 600 with probability 0.9 and 700 with probability 0.1
    out = latency_percentiles(300.0, 0.0, 2.0, 0.1, 100.0, (50.0, 89.999, 90.0, 90.001, 99.0))
    assert out.tolist() == [600.0, 600.0, 600.0, 700.0, 700.0]
    # a stall that always happens shifts everything
    assert latency_percentiles(300.0, 0.0, 1.0, 1.0, 50.0, (1.0, 99.0)).tolist() == [350.0, 350.0]


def test_lognormal_percentiles_without_stalls_match_the_closed_form():
    median, sigma, m = 250.0, 0.4, 1.5
    qs = (5.0, 50.0, 90.0, 99.0, 99.9)
    out = latency_percentiles(median, sigma, m, 0.0, 0.0, qs)
    expected = [m * median * np.exp(sigma * stats.norm.ppf(q / 100.0)) for q in qs]
    np.testing.assert_allclose(out.to_numpy(), expected, rtol=1e-9)


percentile_lists = st.lists(st.floats(0.5, 99.9), min_size=2, max_size=6).map(sorted)


def non_decreasing(low: np.ndarray, high: np.ndarray) -> bool:
    """``high >= low`` up to the root finder's tolerance."""
    return bool(np.all(high >= low - 1e-7 * np.abs(low) - 1e-6))


@given(
    st.floats(10.0, 2000.0),
    st.one_of(st.just(0.0), st.floats(0.01, 1.5)),  # (a spread too small to move exp(12 sigma) off 1 is a known bug, below)
    st.floats(0.5, 3.0),
    st.floats(0.5, 3.0),
    st.floats(0.0, 1.0),
    st.floats(0.0, 1.0),
    st.floats(0.0, 30_000.0),
    percentile_lists,
)
def test_percentiles_rise_with_the_percentile_the_stall_probability_and_the_multiplier(median, sigma, m1, m2, p1, p2, stall, qs):
    (m_low, m_high), (p_low, p_high) = sorted((m1, m2)), sorted((p1, p2))
    base = latency_percentiles(median, sigma, m_low, p_low, stall, qs).to_numpy()
    assert non_decreasing(base[:-1], base[1:])
    assert non_decreasing(base, latency_percentiles(median, sigma, m_low, p_high, stall, qs).to_numpy())
    assert non_decreasing(base, latency_percentiles(median, sigma, m_high, p_low, stall, qs).to_numpy())


@pytest.mark.parametrize(
    ("median", "sigma", "multiplier", "p", "stall"),
    [
        (300.0, 0.5, 1.3, 0.02, 5000.0),  # stalls move the P99 and above
        (100.0, 0.2, 1.0, 0.0, 0.0),  # a plain lognormal
        (200.0, 1.0, 2.0, 0.1, 1000.0),  # wide spread, frequent stalls that overlap the body
        (300.0, 0.05, 3.0, 0.3, 20_000.0),  # the C08 anecdote's shape: narrow body, long hangs, a gap between them
    ],
)
def test_percentiles_match_a_monte_carlo_of_the_mixture(median, sigma, multiplier, p, stall):
    n = 400_000
    rng = np.random.default_rng(20260730)
    draws = multiplier * median * np.exp(sigma * rng.standard_normal(n)) + stall * (rng.random(n) < p)
    qs = (1.0, 10.0, 50.0, 90.0, 99.0, 99.9)
    got = latency_percentiles(median, sigma, multiplier, p, stall, qs).to_numpy()
    # the share of draws at or below each computed percentile is the percentile, within 5 binomial standard errors
    for q, x in zip(qs, got, strict=True):
        share, level = float(np.mean(draws <= x)), q / 100.0
        assert abs(share - level) <= 5.0 * np.sqrt(level * (1.0 - level) / n), (q, x, share)
    # and the percentiles themselves are close to the sample's
    np.testing.assert_allclose(got, np.percentile(draws, qs), rtol=0.02)


def test_a_vanishing_spread_gives_the_same_percentiles_as_none():
    assert latency_percentiles(10.0, 1e-20, percentiles=(51.0, 99.0)).tolist() == pytest.approx([10.0, 10.0])


# Bad input -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rtt", "message"),
    [
        (table([[0.0, 10.0], [12.0, 0.0]]), "rtt_ms: the table must be symmetric [ms]; got a->b 10 and b->a 12"),
        (table([[0.0, -1.0], [-1.0, 0.0]]), "rtt_ms: round trips must be finite and >= 0 [ms]; got a->b "),
        (table([[0.0, 5.0], [5.0, np.nan]], ("a", "b")), "rtt_ms: round trips must be finite and >= 0 [ms]; got b->b "),
        (table([[0.0, np.inf], [np.inf, 0.0]]), "rtt_ms: round trips must be finite and >= 0 [ms]; got a->b "),
        (table([[0.0, 10.0], [10.0, 0.0]]).loc[:, ["b", "a"]], "rtt_ms: rows and columns must be the same regions in the same order"),
    ],
)
def test_a_bad_round_trip_table_is_refused_naming_the_regions(rtt, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        check_rtt(rtt)
    with pytest.raises(ValueError, match=re.escape(message)):
        pipeline_latency_ms([("a", 1.0)], "a", rtt)


@pytest.mark.parametrize(("value", "text"), [(-1.0, "-1.0"), (np.nan, "nan")])
def test_a_bad_round_trip_entry_is_quoted_as_a_plain_number(value, text):
    with pytest.raises(ValueError, match=re.escape(f"rtt_ms: round trips must be finite and >= 0 [ms]; got a->b {text}") + "$"):
        check_rtt(table([[0.0, value], [value, 0.0]]))


def test_a_round_trip_table_must_be_a_dataframe():
    with pytest.raises(TypeError, match=r"rtt_ms: expected a region x region DataFrame \[ms\]; got ndarray"):
        check_rtt(np.zeros((2, 2)))


def test_a_region_missing_from_the_table_is_named():
    with pytest.raises(ValueError, match=r"^calls: region 'xx-nowhere' is not in the round-trip table; regions: \['ae-dxb', "):
        pipeline_latency_ms([("us-east-va", 1.0), ("xx-nowhere", 2.0)], "us-east-va", RTT)
    with pytest.raises(ValueError, match=r"^user_region: region 'mars' is not in the round-trip table; regions: \['ae-dxb', "):
        pipeline_latency_ms([("us-east-va", 1.0)], "mars", RTT)
    frame = pd.DataFrame({"region": ["a", "d"], "compute_ms": [1.0, 2.0]})
    with pytest.raises(ValueError, match=re.escape("calls: region 'd' is not in the round-trip table; regions: ['a', 'b', 'c']...")):
        pipeline_latency_ms(frame, "a", TINY)


def test_bad_calls_are_refused():
    with pytest.raises(ValueError, match=r"topology: must be 'star' or 'chain'; got 'mesh'"):
        pipeline_latency_ms([("a", 1.0)], "a", TINY, topology="mesh")
    with pytest.raises(ValueError, match=re.escape("calls: columns ['compute_ms'] are missing; expected 'region' and 'compute_ms'")):
        pipeline_latency_ms(pd.DataFrame({"region": ["a"], "ms": [1.0]}), "a", TINY)
    with pytest.raises(ValueError, match=r"calls: at least one call is needed"):
        pipeline_latency_ms([], "a", TINY)
    with pytest.raises(ValueError, match=re.escape("calls compute_ms: must be finite and >= 0 [ms]; got [-5.0]")):
        pipeline_latency_ms([("a", 1.0), ("b", -5.0)], "a", TINY)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"output_tokens": 0}, "output_tokens: must be >= 1 [tokens]; got [0.0]"),
        ({"prefill_tokens_per_s": 0.0}, "prefill_tokens_per_s: must be finite and > 0 [tokens/s per request]; got [0.0]"),
        ({"tokens_per_s_per_user": -1.0}, "tokens_per_s_per_user: must be finite and > 0 [tokens/s per user]; got [-1.0]"),
        ({"rtt_ms": -1.0}, "rtt_ms: must be finite and >= 0 [ms]; got [-1.0]"),
        ({"input_tokens": np.nan}, "input_tokens: must be finite and >= 0 [tokens]; got [nan]"),
        ({"queue_ms": -2.0}, "queue_ms: must be finite and >= 0 [ms]; got [-2.0]"),
    ],
)
def test_bad_request_inputs_are_named(kwargs, message):
    args = {"rtt_ms": 10.0, "input_tokens": 100, "prefill_tokens_per_s": 1000.0, "output_tokens": 10, "tokens_per_s_per_user": 50.0}
    with pytest.raises(ValueError, match=re.escape(message)):
        request_latency_ms(**{**args, **kwargs})


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"median_ms": 0.0}, "median_ms: must be finite and > 0 [ms]; got [0.0]"),
        ({"sigma": -0.1}, "sigma: must be finite and >= 0 [1]; got [-0.1]"),
        ({"multiplier": 0.0}, "multiplier: must be finite and > 0 [1]; got [0.0]"),
        ({"stall_probability": 1.5}, "stall_probability: must be in [0, 1] [1]; got 1.5"),
        ({"stall_probability": -0.5}, "stall_probability: must be finite and >= 0 [1]; got [-0.5]"),
        ({"percentiles": (50.0, 100.0)}, "percentiles: must be in (0, 100) [%]; got [50.0, 100.0]"),
        ({"percentiles": (0.0,)}, "percentiles: must be in (0, 100) [%]; got [0.0]"),
    ],
)
def test_bad_percentile_inputs_are_named(kwargs, message):
    args = {"median_ms": 300.0, "sigma": 0.5}
    with pytest.raises(ValueError, match=re.escape(message)):
        latency_percentiles(**{**args, **kwargs})
