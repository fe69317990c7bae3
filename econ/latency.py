"""Latency budgets: a request's time from its parts, pipelines of calls across regions, and tails (claims C06-C08, C15, C16, C20).

A request from an application in a user's region to a model served in another region pays
the network round trip between the two regions (``data/region_rtt.csv``, measured P50 round
trips between cloud regions; the last mile from the user to the nearest region is the same
wherever the model runs and is left out), then waits in the queue, reads its prompt (prefill)
and writes its answer token by token (decode). A pipeline makes several calls (a model, an
embedder, a reranker, tools, agent steps), each possibly in another region: their round trips
and compute add up. Tails come from a multiplier on the median and a probability of long
stalls, so that percentiles, not only medians, are reported.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy import optimize, stats

from econ.checks import MAX_LISTED, finite_array

__all__ = ["check_rtt", "latency_percentiles", "pipeline_latency_ms", "request_latency_ms", "rtt_matrix"]


def rtt_matrix() -> pd.DataFrame:
    """The sourced round-trip times between regions [ms], region x region, symmetric, zero on the diagonal.

    ``data/region_rtt.csv`` holds the P50 round trip of each ordered pair (Azure's published
    inter-region latency statistics and others, see its provenance). A round trip crosses
    both directions, so the two directions' figures are averaged (they differ by up to 18 ms
    in the table: measurement, not physics). The diagonal is 0: a call within the user's
    region makes no inter-region hop.

    Examples
    --------
    >>> rtt = rtt_matrix()
    >>> rtt.shape, float(rtt.loc["us-east-va", "us-central-tx"]), float(rtt.loc["us-east-va", "us-east-va"])
    ((22, 22), 35.5, 0.0)
    """
    from econ.assumptions.tables import load_table  # data access stays out of the module's import path

    table = load_table("region_rtt")
    directed = table.pivot_table(index="from_region", columns="to_region", values="rtt_ms", aggfunc="first").astype(float)
    regions = sorted(set(directed.index) | set(directed.columns))
    directed = directed.reindex(index=regions, columns=regions)
    both = (directed + directed.T) / 2.0
    matrix = both.fillna(directed).fillna(directed.T)
    for r in regions:
        matrix.loc[r, r] = 0.0
    matrix.index.name, matrix.columns.name = "from_region", "to_region"
    return matrix


def check_rtt(rtt_ms: pd.DataFrame) -> pd.DataFrame:
    """Refuse a round-trip table that is not square, complete, non-negative and symmetric, naming the regions.

    Examples
    --------
    >>> bad = pd.DataFrame([[0.0, 10.0], [12.0, 0.0]], index=["a", "b"], columns=["a", "b"])
    >>> check_rtt(bad)
    Traceback (most recent call last):
    ...
    ValueError: rtt_ms: the table must be symmetric [ms]; got a->b 10 and b->a 12
    """
    if not isinstance(rtt_ms, pd.DataFrame):
        raise TypeError(f"rtt_ms: expected a region x region DataFrame [ms]; got {type(rtt_ms).__name__}")
    if list(rtt_ms.index) != list(rtt_ms.columns):
        raise ValueError("rtt_ms: rows and columns must be the same regions in the same order")
    values = rtt_ms.to_numpy(float)
    bad = ~np.isfinite(values) | (values < 0)
    if bad.any():
        i, j = np.argwhere(bad)[0]
        where = f"{rtt_ms.index[i]}->{rtt_ms.columns[j]}"
        raise ValueError(f"rtt_ms: round trips must be finite and >= 0 [ms]; got {where} {float(values[i, j])}")
    asym = np.abs(values - values.T) > 1e-9
    if asym.any():
        i, j = np.argwhere(asym)[0]
        raise ValueError(
            f"rtt_ms: the table must be symmetric [ms]; got {rtt_ms.index[i]}->{rtt_ms.columns[j]} {values[i, j]:g} "
            f"and {rtt_ms.columns[j]}->{rtt_ms.index[i]} {values[j, i]:g}"
        )
    return rtt_ms


def _region(rtt_ms: pd.DataFrame, region: str, name: str) -> None:
    if region not in rtt_ms.index:
        listed = list(rtt_ms.index)[:MAX_LISTED]
        raise ValueError(f"{name}: region {region!r} is not in the round-trip table; regions: {listed}...")


def pipeline_latency_ms(calls: Any, user_region: str, rtt_ms: pd.DataFrame, topology: str = "star") -> float:
    """End-to-end latency of calls made one after another by an application in ``user_region`` [ms].

    ``star`` (the default): the application calls each service in turn and waits for it; each
    call costs the round trip ``rtt_ms[user_region, region]`` plus its compute time.
    ``chain``: each service calls the next and waits for it (an agent that calls a tool that
    calls a model); the round trips are user to the first region, then each region to the
    next, plus every call's compute.

    Parameters
    ----------
    calls : sequence of (str, float), or pandas.DataFrame
        ``(serving_region, compute_ms)`` pairs, or a DataFrame with columns ``region`` and
        ``compute_ms``, in call order.
    user_region : str
        Region of the application (the cloud region nearest its users).
    rtt_ms : pandas.DataFrame
        Region x region round trips [ms] (:func:`rtt_matrix`), symmetric.
    topology : str
        ``"star"`` or ``"chain"``.

    Examples
    --------
    A voice agent in Virginia: speech-to-text locally (40 ms), a model in Texas (150 ms),
    text-to-speech locally (60 ms).

    >>> rtt = rtt_matrix()
    >>> pipeline_latency_ms([("us-east-va", 40), ("us-central-tx", 150), ("us-east-va", 60)], "us-east-va", rtt)
    285.5
    """
    rtt = check_rtt(rtt_ms)
    _region(rtt, user_region, "user_region")
    if isinstance(calls, pd.DataFrame):
        missing = [c for c in ("region", "compute_ms") if c not in calls]
        if missing:
            raise ValueError(f"calls: columns {missing} are missing; expected 'region' and 'compute_ms'")
        pairs = list(zip(calls["region"], calls["compute_ms"], strict=True))
    else:
        pairs = [tuple(c) for c in calls]
    if not pairs:
        raise ValueError("calls: at least one call is needed")
    regions = [str(r) for r, _ in pairs]
    for r in regions:
        _region(rtt, r, "calls")
    compute = finite_array([float(c) for _, c in pairs], "calls compute_ms", "ms")
    table = rtt.to_numpy(float)
    at = {r: i for i, r in enumerate(rtt.index)}
    if topology == "star":
        network = sum(table[at[user_region], at[r]] for r in regions)
    elif topology == "chain":
        network = sum(table[at[a], at[b]] for a, b in itertools.pairwise([user_region, *regions]))
    else:
        raise ValueError(f"topology: must be 'star' or 'chain'; got {topology!r}")
    return float(network + compute.sum())


def request_latency_ms(
    rtt_ms: Any,
    input_tokens: Any,
    prefill_tokens_per_s: Any,
    output_tokens: Any,
    tokens_per_s_per_user: Any,
    queue_ms: Any = 0.0,
    fixed_ms: Any = 0.0,
) -> pd.DataFrame:
    """Time to first and to last token of one model call, by part [ms].

    ``ttft = rtt + queue + fixed + 1000 x input / prefill`` and ``ttlt = ttft + 1000 x
    (output - 1) / tokens_per_s_per_user``: the first token arrives when the prompt is read
    (the fixed part: scheduling and the first decode step, :func:`econ.serving.measured_prefill`),
    the others at the decode speed (Zhong et al., *DistServe*, OSDI 2024, section 2). Arguments
    broadcast.

    Returns
    -------
    pandas.DataFrame
        ``network_ms``, ``queue_ms``, ``fixed_ms``, ``prefill_ms``, ``decode_ms``, ``ttft_ms``, ``ttlt_ms``.

    Examples
    --------
    >>> t = request_latency_ms(35.0, 8000, 80000.0, 500, 100.0, queue_ms=20.0, fixed_ms=20.0)
    >>> t[["prefill_ms", "ttft_ms", "ttlt_ms"]].iloc[0].tolist()
    [100.0, 175.0, 5165.0]
    """
    rtt = finite_array(rtt_ms, "rtt_ms", "ms")
    tokens_in = finite_array(input_tokens, "input_tokens", "tokens")
    prefill = finite_array(prefill_tokens_per_s, "prefill_tokens_per_s", "tokens/s per request", positive=True)
    tokens_out = finite_array(output_tokens, "output_tokens", "tokens")
    if np.any(tokens_out < 1):
        raise ValueError(f"output_tokens: must be >= 1 [tokens]; got {np.atleast_1d(tokens_out)[:MAX_LISTED].tolist()}")
    speed = finite_array(tokens_per_s_per_user, "tokens_per_s_per_user", "tokens/s per user", positive=True)
    queue = finite_array(queue_ms, "queue_ms", "ms")
    fixed = finite_array(fixed_ms, "fixed_ms", "ms")
    parts = np.broadcast_arrays(rtt, queue, fixed, 1000.0 * tokens_in / prefill, 1000.0 * (tokens_out - 1.0) / speed)
    network, q, f, pre, dec = (np.atleast_1d(p).astype(float) for p in parts)
    ttft = network + q + f + pre
    return pd.DataFrame(
        {"network_ms": network, "queue_ms": q, "fixed_ms": f, "prefill_ms": pre, "decode_ms": dec, "ttft_ms": ttft, "ttlt_ms": ttft + dec}
    )


def latency_percentiles(
    median_ms: float,
    sigma: float,
    multiplier: float = 1.0,
    stall_probability: float = 0.0,
    stall_ms: float = 0.0,
    percentiles: Sequence[float] = (50.0, 90.0, 99.0, 99.9),
) -> pd.Series:
    """Percentiles of a latency that is lognormal around ``multiplier x median`` and stalls with a probability.

    With probability ``1 - p`` the latency is ``m x median x exp(sigma Z)``; with probability
    ``p`` a stall adds ``stall_ms`` to it. The percentile ``q`` solves the mixture's
    distribution function ``(1 - p) F(x) + p F(x - stall) = q`` (Brent's method on the exact
    CDF, ``scipy.optimize.brentq``), so a stall probability of 1 % moves the P99 and above, not
    the median.

    Parameters
    ----------
    median_ms : float
        Median latency without stalls or multiplier [ms], > 0.
    sigma : float
        Log-standard deviation of the latency around its median [1], >= 0.
    multiplier : float
        Provider's latency multiplier on the median [1], > 0 (e.g. a managed service slower
        than self-hosting, claim C08).
    stall_probability, stall_ms : float
        Probability [1] and length [ms] of a long stall.
    percentiles : sequence of float
        In (0, 100).

    Examples
    --------
    A 300 ms median with no spread: a 2 % chance of a 20 s hang leaves the P90 alone and
    sets the P99.

    >>> latency_percentiles(300.0, 0.0, stall_probability=0.02, stall_ms=20000.0, percentiles=(90.0, 99.0)).tolist()
    [300.0, 20300.0]
    """
    med = float(finite_array(median_ms, "median_ms", "ms", positive=True))
    sd = float(finite_array(sigma, "sigma", "1"))
    m = float(finite_array(multiplier, "multiplier", "1", positive=True))
    p = float(finite_array(stall_probability, "stall_probability", "1"))
    stall = float(finite_array(stall_ms, "stall_ms", "ms"))
    if p > 1:
        raise ValueError(f"stall_probability: must be in [0, 1] [1]; got {stall_probability!r}")
    qs = finite_array(percentiles, "percentiles", "%")
    if np.any((qs <= 0) | (qs >= 100)):
        raise ValueError(f"percentiles: must be in (0, 100) [%]; got {qs[:MAX_LISTED].tolist()}")
    center = m * med

    def base_cdf(x: float) -> float:
        if x <= 0:
            return 0.0
        if sd == 0:
            return 1.0 if x >= center else 0.0
        return float(stats.norm.cdf(np.log(x / center) / sd))

    def cdf(x: float) -> float:
        return (1.0 - p) * base_cdf(x) + p * base_cdf(x - stall)

    out = {}
    for q in qs:
        target = q / 100.0
        if sd == 0:  # a two-point distribution: the quantile is one of the two points
            out[f"p{q:g}"] = center if cdf(center) >= target else center + stall
            continue
        high = max(center * np.exp(12 * sd), center * (1.0 + 1e-6)) + stall  # above the median even for a vanishing spread
        out[f"p{q:g}"] = float(optimize.brentq(lambda x, t=target: cdf(x) - t, 1e-12, high, xtol=1e-9))
    return pd.Series(out)
