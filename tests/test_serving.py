"""econ.serving: the throughput-interactivity frontier, cost per million tokens, tiers, bad input."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.interpolate import PchipInterpolator

from econ.serving import Frontier, cost_per_million_tokens, pareto_points, tier_costs, time_to_first_token_s

USER = [8.0, 15.0, 30.0, 60.0, 120.0]
GPU = [3000.0, 2400.0, 1500.0, 700.0, 150.0]
TOY = Frontier.from_points(USER, GPU, "toy")


def test_the_frontier_passes_through_its_points_and_matches_scipy_pchip():
    np.testing.assert_allclose(TOY(USER), GPU, rtol=1e-12)
    x = np.linspace(8.0, 120.0, 57)
    np.testing.assert_allclose(TOY(x), PchipInterpolator(USER, GPU)(x), rtol=1e-12)


@given(st.floats(8.0, 120.0), st.floats(8.0, 120.0))
def test_faster_users_never_get_more_tokens_per_gpu(a, b):
    slow, fast = sorted((a, b))
    assert TOY(fast) <= TOY(slow) + 1e-9


def test_cost_per_million_tokens_by_hand():
    # $2.50 a GPU-hour, 1,500 tokens/s, busy 70 % of hours: 1,500 x 3,600 x 0.7 = 3.78 M tokens an hour
    assert float(cost_per_million_tokens(2.5, 1500.0, 0.7)) == pytest.approx(2.5 / 3.78, rel=1e-12)
    np.testing.assert_allclose(cost_per_million_tokens(np.array([1.0, 2.0]), 1e6 / 3600, 1.0), [1.0, 2.0])


def test_tiers_cost_what_their_speed_costs():
    table = tier_costs(TOY, 2.0, 0.8, 30.0, 60.0)
    assert table.index.tolist() == ["batch", "standard", "fast"]
    assert table.at["standard", "tokens_per_s_per_gpu"] == pytest.approx(1500.0)
    # fast costs what its lower throughput costs: 1500 / 700 times standard
    assert table.at["fast", "multiple_of_standard"] == pytest.approx(1500.0 / 700.0, rel=1e-12)
    assert table.at["batch", "multiple_of_standard"] == pytest.approx(1500.0 / 3000.0, rel=1e-12)


def test_time_to_first_token_by_hand():
    assert float(time_to_first_token_s(4096, 8192.0)) == 0.5
    np.testing.assert_allclose(time_to_first_token_s([1000, 2000], 10000.0, 0.2), [0.3, 0.4])


def test_pareto_points_keep_every_undominated_point():
    mask = pareto_points([10, 10, 20, 5], [500, 400, 300, 450])
    assert mask.tolist() == [True, False, True, False]


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: TOY(200.0), r"tokens_per_s_per_user: \[200.0\] is outside the measured frontier \[8, 120\] tokens/s per user of toy"),
        (lambda: TOY(4.0), r"outside the measured frontier"),
        (lambda: Frontier.from_points([10, 20], [100, 200], "bad"), r"bad: points .* are dominated by faster ones"),
        (lambda: Frontier.from_points([10, 10], [100, 50], "dup"), r"dup: tokens_per_s_per_user must be strictly increasing"),
        (lambda: Frontier.from_points([10], [100], "one"), r"one: at least two points"),
        (
            lambda: Frontier.from_points([10, -1], [100, 50]),
            r"tokens_per_s_per_user: must be finite and > 0 \[tokens/s per user\]; got \[-1.0\]",
        ),
        (lambda: cost_per_million_tokens(2.0, 100.0, 1.5), r"utilization: must be in \(0, 1\] \[1\]; got \[1.5\]"),
        (lambda: cost_per_million_tokens(0.0, 100.0), r"gpu_hour_usd: must be finite and > 0"),
        (lambda: time_to_first_token_s(-1, 100.0), r"input_tokens: must be finite and >= 0"),
        (lambda: tier_costs(TOY, 2.0, 1.0, 60.0, 30.0), r"fast_tokens_per_s: must be at least standard_tokens_per_s"),
    ],
)
def test_bad_input_gives_the_documented_error(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_every_measured_curve_loads_as_a_frontier_through_its_points():
    from econ.assumptions import load_table
    from econ.serving import measured_frontier

    table = load_table("serving_throughput")
    for (acc, engine, isl, osl), rows in table.groupby(["accelerator_id", "engine", "input_tokens", "output_tokens"]):
        f = measured_frontier(str(acc), str(engine), int(isl), int(osl))
        np.testing.assert_allclose(
            f(rows["output_tokens_per_s_per_user"].to_numpy(float)), rows["output_tokens_per_s_per_gpu"].to_numpy(float), rtol=1e-12
        )


def test_measured_frontier_names_what_is_available():
    from econ.serving import measured_frontier

    with pytest.raises(ValueError, match=r"several engines \['tensorrt-llm', 'vllm'\]: name one"):
        measured_frontier("b200")
    with pytest.raises(ValueError, match=r"no points for 'tpu-v7'.*available: \[\('b200'"):
        measured_frontier("tpu-v7")


def test_cost_per_token_at_a_measured_point_by_hand():
    from econ.assumptions import load_table
    from econ.serving import measured_frontier

    row = load_table("serving_throughput").query("accelerator_id == 'h100-sxm' and input_tokens == 1024").iloc[0]
    f = measured_frontier("h100-sxm")
    per_gpu = float(f(row["output_tokens_per_s_per_user"]))
    # $2.00 a GPU-hour busy 80 % of the time: 2 / (tokens/s x 3600 x 0.8) per token
    assert float(cost_per_million_tokens(2.0, per_gpu, 0.8)) == pytest.approx(
        2.0 / (row["output_tokens_per_s_per_gpu"] * 3600 * 0.8) * 1e6, rel=1e-12
    )


def test_measured_prefill_is_the_line_through_the_two_prompt_lengths_by_hand():
    """H100 vLLM TP8 at 4 concurrent requests: 33.1 ms at 1,024 prompt tokens, 123.2 ms at 8,192 (the table's cells)."""
    from econ.serving import measured_prefill

    p = measured_prefill("h100-sxm")
    rate = (8192 - 1024) / (0.1232 - 0.0331)
    assert float(p["prefill_tokens_per_s"]) == pytest.approx(rate, rel=1e-12)
    assert float(p["fixed_s"]) == pytest.approx(0.0331 - 1024 / rate, rel=1e-12)
    assert (p["concurrent_requests"], p["tensor_parallel_gpus"]) == (4.0, 8.0)
    # the line reproduces both measured points
    ttft = time_to_first_token_s(np.array([1024, 8192]), p["prefill_tokens_per_s"], p["fixed_s"])
    np.testing.assert_allclose(ttft, [0.0331, 0.1232], rtol=1e-12)


def test_measured_prefill_takes_the_least_loaded_configuration_and_names_what_is_available():
    from econ.assumptions import load_table
    from econ.serving import measured_prefill

    table = load_table("serving_throughput")
    for (acc, engine), rows in table.groupby(["accelerator_id", "engine"]):
        p = measured_prefill(str(acc), str(engine))
        assert p["concurrent_requests"] == rows["concurrent_requests"].min()
        assert p["prefill_tokens_per_s"] > 0 and p["fixed_s"] >= 0
    with pytest.raises(ValueError, match=r"several engines \['tensorrt-llm', 'vllm'\]: name one"):
        measured_prefill("b200")
    with pytest.raises(ValueError, match=r"no configuration measured at two prompt lengths for 'tpu-v7'.*available: \[\('b200'"):
        measured_prefill("tpu-v7")
