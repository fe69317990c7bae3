"""Serving: from a GPU-hour to a cost per million tokens, by how fast each user is served.

Batching is what makes slow tokens cheap and fast tokens expensive (claims C10-C12, C17):
serving more users at once raises the tokens a GPU produces per second and lowers the
tokens each user receives per second. Measured points of that trade-off (aggregate output
tokens/s per GPU against output tokens/s per user, for one model, sequence lengths and
engine) form a **throughput-interactivity frontier**; between measured points it is
interpolated with a monotone piecewise cubic (PCHIP: Fritsch & Carlson, "Monotone Piecewise
Cubic Interpolation", SIAM J. Numer. Anal. 17(2), 1980; ``scipy.interpolate.PchipInterpolator``),
which keeps the frontier falling where the data fall and never overshoots them. A target
outside the measured range is an error, not an extrapolation.

Cost per million tokens is the cost of a GPU-hour over the tokens it produces in that hour,
as in SemiAnalysis's InferenceMAX total-cost-of-ownership comparisons::

    USD per 1M tokens = gpu_hour_usd / (tokens_per_s_per_gpu x 3600 x utilization) x 1e6
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy.interpolate import PchipInterpolator

from econ.checks import MAX_LISTED, finite_array

__all__ = [
    "Frontier",
    "cost_per_million_tokens",
    "measured_frontier",
    "measured_prefill",
    "pareto_points",
    "tier_costs",
    "time_to_first_token_s",
]


def pareto_points(tokens_per_s_per_user: Any, tokens_per_s_per_gpu: Any) -> np.ndarray:
    """Which measured points are on the frontier: no other point is both faster per user and per GPU.

    Returns
    -------
    numpy.ndarray
        Boolean mask, True for points not dominated (ties kept).

    Examples
    --------
    >>> pareto_points([10, 20, 15, 40], [900, 600, 500, 200]).tolist()
    [True, True, False, True]
    """
    user = finite_array(tokens_per_s_per_user, "tokens_per_s_per_user", "tokens/s per user", positive=True)
    gpu = finite_array(tokens_per_s_per_gpu, "tokens_per_s_per_gpu", "tokens/s per GPU", positive=True)
    if user.shape != gpu.shape or user.ndim != 1:
        raise ValueError(f"tokens_per_s_per_user and tokens_per_s_per_gpu: two 1-D arrays of equal length; got {user.shape}, {gpu.shape}")
    dominated = (
        (user[None, :] >= user[:, None])
        & (gpu[None, :] >= gpu[:, None])
        & ((user[None, :] > user[:, None]) | (gpu[None, :] > gpu[:, None]))
    )
    keep: np.ndarray = np.logical_not(np.any(dominated, axis=1))
    return keep


@dataclass(frozen=True)
class Frontier:
    """A throughput-interactivity frontier: aggregate output tokens/s per GPU at each tokens/s per user.

    Attributes
    ----------
    tokens_per_s_per_user : numpy.ndarray
        Interactivity of the measured points [output tokens/s per user], increasing.
    tokens_per_s_per_gpu : numpy.ndarray
        Their aggregate throughput [output tokens/s per GPU], non-increasing.
    label : str
        What was measured (accelerator, model, sequence lengths, engine).

    Raises
    ------
    ValueError
        For fewer than two points, a non-positive value, repeated interactivity, or a point
        dominated by another (faster per user and per GPU): keep the frontier with
        :func:`pareto_points` first, so that nothing is dropped silently.

    Examples
    --------
    >>> f = Frontier.from_points([10, 20, 40], [900, 600, 200], "toy")
    >>> round(float(f(20)), 6), f.fastest
    (600.0, 40.0)
    """

    tokens_per_s_per_user: np.ndarray
    tokens_per_s_per_gpu: np.ndarray
    label: str = ""

    @classmethod
    def from_points(cls, tokens_per_s_per_user: Any, tokens_per_s_per_gpu: Any, label: str = "") -> Frontier:
        """A frontier from measured points in any order (sorted by interactivity)."""
        user = finite_array(tokens_per_s_per_user, "tokens_per_s_per_user", "tokens/s per user", positive=True)
        gpu = finite_array(tokens_per_s_per_gpu, "tokens_per_s_per_gpu", "tokens/s per GPU", positive=True)
        if user.ndim != 1 or user.shape != gpu.shape or user.size < 2:
            raise ValueError(
                f"{label or 'frontier'}: at least two points, as two 1-D arrays of equal length, are needed; got {user.shape}, {gpu.shape}"
            )
        order = np.argsort(user, kind="stable")
        return cls(user[order], gpu[order], label)

    def __post_init__(self) -> None:
        user, gpu = self.tokens_per_s_per_user, self.tokens_per_s_per_gpu
        name = self.label or "frontier"
        if np.any(np.diff(user) <= 0):
            raise ValueError(f"{name}: tokens_per_s_per_user must be strictly increasing; got {user.tolist()}")
        off = ~pareto_points(user, gpu)
        if off.any():
            points = list(zip(user[off].tolist(), gpu[off].tolist(), strict=True))[:MAX_LISTED]
            raise ValueError(
                f"{name}: points (tokens/s per user, tokens/s per GPU) {points} are dominated by faster ones; keep pareto_points() first"
            )

    @property
    def slowest(self) -> float:
        """Lowest measured interactivity [tokens/s per user] (the most batched point)."""
        return float(self.tokens_per_s_per_user[0])

    @property
    def fastest(self) -> float:
        """Highest measured interactivity [tokens/s per user]."""
        return float(self.tokens_per_s_per_user[-1])

    def __call__(self, tokens_per_s_per_user: Any) -> np.ndarray:
        """Aggregate tokens/s per GPU at an interactivity inside the measured range (PCHIP).

        Raises
        ------
        ValueError
            For a target outside ``[slowest, fastest]``: the frontier is not extrapolated.
        """
        target = finite_array(tokens_per_s_per_user, "tokens_per_s_per_user", "tokens/s per user", positive=True)
        outside = (target < self.slowest) | (target > self.fastest)
        if outside.any():
            raise ValueError(
                f"tokens_per_s_per_user: {np.atleast_1d(target[outside])[:MAX_LISTED].tolist()} is outside the measured frontier "
                f"[{self.slowest:g}, {self.fastest:g}] tokens/s per user of {self.label or 'this frontier'}; it is not extrapolated"
            )
        out: np.ndarray = PchipInterpolator(self.tokens_per_s_per_user, self.tokens_per_s_per_gpu)(target)
        return out


def cost_per_million_tokens(gpu_hour_usd: Any, tokens_per_s_per_gpu: Any, utilization: Any = 1.0) -> np.ndarray:
    """Cost of a million tokens on a GPU that costs ``gpu_hour_usd`` an hour [USD].

    ``gpu_hour_usd / (tokens_per_s_per_gpu x 3600 x utilization) x 1e6``: the GPU-hour's
    cost spread over the tokens it produces while busy (``utilization`` of its hours).

    Examples
    --------
    A $2 GPU-hour producing 1,000 tokens/s, busy half the time: $2 / 1.8 M tokens = $1.11 per million.

    >>> round(float(cost_per_million_tokens(2.0, 1000.0, 0.5)), 4)
    1.1111
    """
    cost = finite_array(gpu_hour_usd, "gpu_hour_usd", "USD per GPU-hour", positive=True)
    rate = finite_array(tokens_per_s_per_gpu, "tokens_per_s_per_gpu", "tokens/s per GPU", positive=True)
    u = np.asarray(utilization, dtype=float)
    if np.any(~np.isfinite(u) | (u <= 0) | (u > 1)):
        raise ValueError(f"utilization: must be in (0, 1] [1]; got {np.atleast_1d(u)[:MAX_LISTED].tolist()}")
    out: np.ndarray = cost / (rate * 3600.0 * u) * 1e6
    return out


def time_to_first_token_s(input_tokens: Any, prefill_tokens_per_s: Any, queue_s: Any = 0.0) -> np.ndarray:
    """Time to first token: waiting in the queue plus reading the prompt [s].

    ``queue_s + input_tokens / prefill_tokens_per_s``, with the prefill rate the one a
    request gets (per request, not per GPU).

    Examples
    --------
    >>> float(time_to_first_token_s(8000, 20000.0, 0.1))
    0.5
    """
    tokens = finite_array(input_tokens, "input_tokens", "tokens")
    rate = finite_array(prefill_tokens_per_s, "prefill_tokens_per_s", "tokens/s per request", positive=True)
    wait = finite_array(queue_s, "queue_s", "s")
    out: np.ndarray = wait + tokens / rate
    return out


def tier_costs(
    frontier: Frontier, gpu_hour_usd: float, utilization: float, standard_tokens_per_s: float, fast_tokens_per_s: float
) -> pd.DataFrame:
    """Cost per million output tokens of a batch, a standard and a fast tier on one frontier.

    The batch tier runs at the frontier's most batched point (:attr:`Frontier.slowest`);
    standard and fast at the interactivity each promises its users. The fast tier's
    ``multiple_of_standard`` is what a "fast mode" must charge over standard to earn the
    same per GPU-hour (claim C17; the pricing model's cost floor).

    Returns
    -------
    pandas.DataFrame
        Index ``batch``, ``standard``, ``fast``: ``tokens_per_s_per_user``,
        ``tokens_per_s_per_gpu``, ``usd_per_million_output_tokens``, ``multiple_of_standard``.

    Examples
    --------
    >>> f = Frontier.from_points([10, 20, 40], [900, 600, 200], "toy")
    >>> tier_costs(f, 2.0, 1.0, 20.0, 40.0)["multiple_of_standard"].round(2).tolist()
    [0.67, 1.0, 3.0]
    """
    speeds = {"batch": frontier.slowest, "standard": float(standard_tokens_per_s), "fast": float(fast_tokens_per_s)}
    if not speeds["standard"] <= speeds["fast"]:
        got = f"{fast_tokens_per_s!r} < {standard_tokens_per_s!r}"
        raise ValueError(f"fast_tokens_per_s: must be at least standard_tokens_per_s [tokens/s per user]; got {got}")
    per_user = np.array(list(speeds.values()))
    per_gpu = frontier(per_user)
    cost = cost_per_million_tokens(gpu_hour_usd, per_gpu, utilization)
    return pd.DataFrame(
        {
            "tokens_per_s_per_user": per_user,
            "tokens_per_s_per_gpu": per_gpu,
            "usd_per_million_output_tokens": cost,
            "multiple_of_standard": cost / cost[1],
        },
        index=pd.Index(list(speeds), name="tier"),
    )


def measured_frontier(accelerator_id: str, engine: str | None = None, input_tokens: int = 1024, output_tokens: int = 1024) -> Frontier:
    """The measured frontier of one accelerator, engine and sequence lengths from ``data/serving_throughput.csv``.

    Parameters
    ----------
    accelerator_id : str
        Row id of the accelerator (``"h100-sxm"``, ``"b200"``, ``"gb200-nvl72"``...).
    engine : str, optional
        Serving engine; may be omitted when the table has one engine for the accelerator.
    input_tokens, output_tokens : int
        Nominal sequence lengths of the benchmark [tokens].

    Returns
    -------
    Frontier
        Output tokens/s per GPU against output tokens/s per user, labelled with its source.

    Raises
    ------
    ValueError
        Naming what is available, when no points or several engines match.

    Examples
    --------
    >>> f = measured_frontier("h100-sxm")
    >>> f.label, bool(f(100.0) > 0)
    ('h100-sxm vllm gpt-oss-120b 1024/1024', True)
    """
    from econ.assumptions.tables import load_table  # data access stays out of the module's import path

    table = load_table("serving_throughput")
    rows = table[
        (table["accelerator_id"] == accelerator_id) & (table["input_tokens"] == input_tokens) & (table["output_tokens"] == output_tokens)
    ]
    if engine is not None:
        rows = rows[rows["engine"] == engine]
    engines = sorted(set(rows["engine"]))
    if rows.empty or len(engines) > 1:
        available = sorted(
            {
                (str(a), str(e), int(i), int(o))
                for a, e, i, o in table[["accelerator_id", "engine", "input_tokens", "output_tokens"]].itertuples(index=False)
            }
        )
        why = "no points" if rows.empty else f"several engines {engines}: name one"
        asked = f"{accelerator_id!r}, {engine!r}, {input_tokens}/{output_tokens}"
        raise ValueError(f"accelerator_id/engine/input_tokens/output_tokens: {why} for {asked}; available: {available}")
    model = str(rows["model"].iloc[0])
    label = f"{accelerator_id} {engines[0]} {model} {input_tokens}/{output_tokens}"
    return Frontier.from_points(
        rows["output_tokens_per_s_per_user"].to_numpy(float), rows["output_tokens_per_s_per_gpu"].to_numpy(float), label
    )


def measured_prefill(accelerator_id: str, engine: str | None = None) -> pd.Series:
    """Prefill speed and fixed latency of one accelerator and engine, from its measured time to first token.

    A request's time to first token is a fixed part (scheduling, the first decode step, the
    network inside the server) plus its prompt read at the prefill rate (Zhong et al.,
    *DistServe*, OSDI 2024, section 2: prefill time grows with the prompt length). The two
    measured points of one configuration at the table's two prompt lengths (1,024 and 8,192
    tokens, the same output length, engine, tensor-parallel size and concurrency) give the
    line through them: ``rate = (I2 - I1) / (T2 - T1)``, ``fixed = T1 - I1 / rate``. The
    configuration is the least loaded one measured at both lengths (lowest concurrency, then
    the most GPUs per replica: the fastest for one request), so queueing is small. Between
    the two lengths the line is the measurement; beyond 8,192 tokens it is a lower bound,
    since attention's cost per token grows with the context.

    Returns
    -------
    pandas.Series
        ``fixed_s`` [s], ``prefill_tokens_per_s`` [tokens/s per request],
        ``input_tokens_low``, ``input_tokens_high`` [tokens], ``ttft_low_s``, ``ttft_high_s``
        [s], ``concurrent_requests`` and ``tensor_parallel_gpus`` (NaN for a disaggregated
        system) of the configuration used.

    Raises
    ------
    ValueError
        Naming what is available, when no configuration is measured at two prompt lengths.

    Examples
    --------
    >>> p = measured_prefill("h100-sxm")
    >>> round(float(p["prefill_tokens_per_s"])), round(float(p["fixed_s"]) * 1000, 1)
    (79556, 20.2)
    >>> round(float(time_to_first_token_s(8192, p["prefill_tokens_per_s"], p["fixed_s"])), 4) == float(p["ttft_high_s"])
    True
    """
    from econ.assumptions.tables import load_table  # data access stays out of the module's import path

    table = load_table("serving_throughput")
    rows = table[table["accelerator_id"] == accelerator_id]
    if engine is not None:
        rows = rows[rows["engine"] == engine]
    engines = sorted(set(rows["engine"]))
    pairs = []
    if len(engines) == 1:
        keys = ["output_tokens", "tensor_parallel_gpus", "concurrent_requests"]
        for _, group in rows.groupby(keys, dropna=False):
            if group["input_tokens"].nunique() == 2 and len(group) == 2:
                conc, tp = float(group["concurrent_requests"].iloc[0]), float(group["tensor_parallel_gpus"].iloc[0])
                pairs.append((conc, -np.nan_to_num(tp, nan=np.inf), group.sort_values("input_tokens")))
    if not pairs:
        available = sorted({(str(a), str(e)) for a, e in table[["accelerator_id", "engine"]].itertuples(index=False)})
        why = f"several engines {engines}: name one" if len(engines) > 1 else "no configuration measured at two prompt lengths"
        raise ValueError(f"accelerator_id/engine: {why} for {accelerator_id!r}, {engine!r}; available: {available}")
    _, _, best = min(pairs, key=lambda p: (p[0], p[1]))
    (i1, i2), (t1, t2) = best["input_tokens"].to_numpy(float), best["ttft_ms"].to_numpy(float) / 1000.0
    rate = (i2 - i1) / (t2 - t1)
    return pd.Series(
        {
            "fixed_s": t1 - i1 / rate,
            "prefill_tokens_per_s": rate,
            "input_tokens_low": i1,
            "input_tokens_high": i2,
            "ttft_low_s": t1,
            "ttft_high_s": t2,
            "concurrent_requests": float(best["concurrent_requests"].iloc[0]),
            "tensor_parallel_gpus": float(best["tensor_parallel_gpus"].iloc[0]),
        },
        name=f"{accelerator_id} {engines[0]}",
    )
