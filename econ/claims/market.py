"""Checks of the claims about base load, the cost of speed and fast-mode pricing (C11-C14, C17).

Each check applies the ``supported_when`` rule of its claim (``data/claims.csv``) to the
models of utilization (:mod:`econ.utilization` on the representative year of
:func:`econ.load_shape.representative_year`, priced by :func:`econ.capacity_tiers`), of
serving (:mod:`econ.serving` on the measured frontiers of ``data/serving_throughput.csv``) and
of pricing (:mod:`econ.pricing`), in the standard cases of ``notebooks/02_base_load_utilization``
and ``notebooks/03_fast_mode_pricing``. The constants below are those notebooks' parameter
defaults (the same values; the notebooks are to import them from here), so that a check and
the notebook section it links to show the same numbers.

The pricing and serving inputs are notebook assumptions and measured data, not scenario
keys: those checks state their own flip (:attr:`Finding.flip`), solved on the model
function with Brent's method (``scipy.optimize.brentq``; Brent, *Algorithms for Minimization
without Derivatives*, 1973, ch. 4). The utilization checks read scenario inputs and leave the
flip to :func:`econ.claims.verdict_flip`.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy import optimize

from econ.assumptions import Scenario
from econ.claims.verdicts import Evidence, Finding, register
from econ.load_shape import representative_year
from econ.pricing import LognormalWTP, optimal_premium, quota_comparison
from econ.reports.display import format_percent
from econ.serving import Frontier, cost_per_million_tokens, measured_frontier, tier_costs
from econ.unit_costs import capacity_tiers, owned_cost_by_generation
from econ.utilization import Tier, size_tiers

__all__ = [
    "C13_VIEW",
    "C14_CLAIM_STATEMENTS",
    "C14_VIEW",
    "FAR_CHEAPER_MULTIPLE",
    "FAST_TOKENS_PER_S",
    "LATENCY_SENSITIVE",
    "LOAD_SEED",
    "LOGIT_MIDPOINT",
    "LOGIT_SCALE",
    "MATERIAL_SHARE",
    "MEAN_LOAD_REFERENCE_GPUS",
    "PREMIUM_RANGE",
    "QUOTA_SEATS",
    "QUOTA_SEED",
    "QUOTA_TIERS",
    "SMALL_MINORITY",
    "SMOOTH_PLAN",
    "SPEED_ENGINE",
    "SPEED_GENERATION",
    "SPEED_UTILIZATION",
    "STANDARD_PRICE_USD_PER_MILLION_TOKENS",
    "STANDARD_TOKENS_PER_S",
    "TOKEN_COST_FAST_TOKENS_PER_S",
    "TOKEN_COST_FRONTIERS",
    "TOKEN_COST_STANDARD_TOKENS_PER_S",
    "USAGE_MEDIAN",
    "USAGE_SIGMA",
    "VALUE_PER_UNIT_MEDIAN_USD",
    "VALUE_SIGMA",
    "WTP_VIEWS",
    "latency_split_plans",
    "reserved_tiers",
    "tiering",
]

UTILIZATION = "02_base_load_utilization"
PRICING = "03_fast_mode_pricing"
SIZING = f"{UTILIZATION}#Sizing on the load-duration curve"
LATENCY_SPLIT = f"{UTILIZATION}#Only latency-critical work to the cloud (C17)"
SPEED_COST = f"{PRICING}#What speed costs to serve (C12)"
TAKE_UP = f"{PRICING}#Who takes fast mode, and the premium that maximizes profit"

# --- The standard case of notebook 02 (its parameter cell; the same values) -------------------------------------------
MEAN_LOAD_REFERENCE_GPUS = 1000.0
"""Mean load of the representative year [reference GPUs] (notebook 02 ``mean_load``); the split scales with it."""
LOAD_SEED = 20261127
"""Seed of the hourly noise (notebook 02 ``seed``, which it sets as ``demand.load_seed``): the shipped scenarios'
own ``demand.load_seed``, so the checks read the scenario's value."""
TOKEN_COST_STANDARD_TOKENS_PER_S = 100.0
"""What notebook 02's standard tier promises [output tokens/s per user] (``standard_tokens_per_s``)."""
TOKEN_COST_FAST_TOKENS_PER_S = 200.0
"""What notebook 02's fast mode promises [output tokens/s per user] (``fast_tokens_per_s``)."""
TOKEN_COST_FRONTIERS: Mapping[str, str] = {"h100-sxm": "vllm", "h200": "vllm", "b200": "tensorrt-llm", "gb200-nvl72": "dynamo-trtllm"}
"""Generation to serving engine of ``data/serving_throughput.csv`` (gpt-oss-120b, 1k in / 1k out), notebook 02 ``frontiers``."""

# --- The standard case of notebook 03 (its parameter cell; the same values) -------------------------------------------
SPEED_GENERATION = "b200"
"""Accelerator whose cost of speed is used (notebook 03 ``generation``)."""
SPEED_ENGINE = "tensorrt-llm"
"""Its serving engine (notebook 03 ``engine``)."""
SPEED_UTILIZATION = 0.8
"""Busy share of the serving GPUs [1] (notebook 03 ``utilization``)."""
STANDARD_TOKENS_PER_S = 100.0
"""The standard tier [output tokens/s per user] (notebook 03 ``standard_tokens_per_s``)."""
FAST_TOKENS_PER_S = 250.0
"""The fast tier [output tokens/s per user], the market's "up to 2.5x" (notebook 03 ``fast_tokens_per_s``)."""
STANDARD_PRICE_USD_PER_MILLION_TOKENS = 0.60
"""gpt-oss-120b's output price at Groq and Together [USD per million output tokens] (notebook 03 ``standard_price``;
data/speed_tiers.csv, groq-gptoss120b)."""
C14_VIEW = "C14: +25-50 % for most, 2x for some"
C13_VIEW = "C13: vanishingly few"
WTP_VIEWS: Mapping[str, tuple[tuple[float, float], ...]] = {
    C14_VIEW: ((0.5, 1.35), (0.1, 2.0)),
    C13_VIEW: ((0.05, 1.25), (0.01, 2.0)),
}
"""ASSUMPTIONS, not data (notebook 03 ``wtp_views``): who would pay what multiple of the standard price for fast mode,
as statements (share of customers, multiple they would pay at least) for :meth:`econ.pricing.LognormalWTP.from_quantiles`."""
LOGIT_MIDPOINT, LOGIT_SCALE = 1.35, 0.25
"""The C14 view as a logit: half take fast at 1.35x (notebook 03 ``logit_midpoint``, ``logit_scale``); not used by the checks."""
QUOTA_SEATS = 20000
"""Simulated seats of the quota comparison (notebook 03 ``seats``)."""
QUOTA_SEED = 20261127
"""Seed of the simulated seats (notebook 03 ``seed``)."""
USAGE_MEDIAN, USAGE_SIGMA = 1.0, 1.0
"""Lognormal usage per seat: median [quota units/month] and log spread [1] (notebook 03 ``usage_median``, ``usage_sigma``)."""
VALUE_PER_UNIT_MEDIAN_USD, VALUE_SIGMA = 40.0, 0.5
"""Lognormal value of a unit of usage: median [USD per quota unit] and log spread [1] (notebook 03)."""
QUOTA_TIERS: tuple[tuple[float, float], ...] = ((1.0, 20.0), (5.0, 100.0), (20.0, 200.0))
"""Step plan: (quota [units/month], price [USD/month]) (notebook 03 ``tiers``); its $100 and $200 seats bracket C14's ~$125."""
SMOOTH_PLAN: tuple[float, float, float] = (20.0, 1.0, 12.0)
"""Smooth plan: base [USD/month], included [units/month], rate [USD per unit beyond] (notebook 03 ``smooth``)."""

# --- Thresholds read from the claims' wording ----------------------------------------------------------------------
FAR_CHEAPER_MULTIPLE = 2.0
"""C12's "far cheaper": a standard token costs at most half a fast one, i.e. fast is at least 2x standard [1]. Half is
the gap at which the market itself prices speed: fast tiers at a median 2x standard, batch at 0.5x (data/speed_tiers.csv)."""
SMALL_MINORITY = 0.20
"""C13's "only a few customers": fewer than one customer in five takes the fast tier [1]."""
MATERIAL_SHARE = 0.20
"""C14's "would sell": at least one customer in five takes the fast tier [1]."""
PREMIUM_RANGE = (1.25, 1.5)
"""C14's fast tier "priced 25-50 % above standard" [multiple of the standard price]."""
C14_CLAIM_STATEMENTS: tuple[tuple[float, float], ...] = ((0.5, 2.0), (0.1, 10.0))
"""C14's own willingness to pay, read as statements for :meth:`~econ.pricing.LognormalWTP.from_quantiles`: subscribers of a
~$125 seat "would readily pay double" (half of them, at least 2x) "and reluctantly ten times as much" (a tenth, at least 10x)."""
LATENCY_SENSITIVE = ("realtime",)
"""C17's "latency-critical requests": the realtime (voice) work of the representative year, whose 200 ms target
(data/latency_classes.csv) is the only one under a second; chat, agents and batch are the "other work"."""
TIE = 1e-9
"""Relative tolerance under which two plans' costs are equal (floating point, not economics)."""


# --- Utilization: C11 and C17 --------------------------------------------------------------------------------------


_YEARS: OrderedDict[tuple[tuple[str, Any], ...], pd.DataFrame] = OrderedDict()
"""Representative years by the scenario values they are built from, most recent last: a flip search that moves a price
re-uses the year instead of rebuilding it (~0.1-0.3 s) at every value."""
_YEARS_KEPT = 32


def _year(ev: Evidence) -> pd.DataFrame:
    """The scenario's representative year at :data:`MEAN_LOAD_REFERENCE_GPUS` (notebook 02's ``year``), shared between checks."""

    def compute() -> pd.DataFrame:
        # Everything representative_year reads is a demand.* or horizon.* value: a key over all of them cannot go stale.
        values = ev.scenario.values  # noqa: PD011  (a Scenario's mapping, not a pandas object)
        key = tuple(sorted((k, v) for k, v in values.items() if k.startswith(("demand.", "horizon."))))
        if key in _YEARS:
            _YEARS.move_to_end(key)
        else:
            _YEARS[key] = representative_year(ev.scenario, MEAN_LOAD_REFERENCE_GPUS)
            while len(_YEARS) > _YEARS_KEPT:
                _YEARS.popitem(last=False)
        return _YEARS[key]

    frame: pd.DataFrame = ev.cached("market: representative year", compute)
    return frame


def _arrivals(ev: Evidence) -> np.ndarray:
    """All work in the hour it arrives [reference GPUs], as notebook 02 sizes it (``total``)."""
    year = _year(ev)
    load: np.ndarray = (year["interactive"] + year["realtime"] + year["batch"]).to_numpy(float)
    return load


def _tiers(ev: Evidence) -> list[Tier]:
    tiers: list[Tier] = ev.cached("market: capacity tiers", lambda: capacity_tiers(ev.scenario))
    return tiers


def _at(frame: pd.DataFrame, row: str, column: str) -> float:
    """One number of a table [the column's unit]."""
    return float(frame[column].to_dict()[row])


def _by_name(tiers: Sequence[Tier]) -> dict[str, Tier]:
    named = {t.name: t for t in tiers}
    missing = sorted({"owned", "committed", "on_demand"} - set(named))
    if missing:
        raise ValueError(f"tiers: need owned, committed and on_demand tiers (econ.capacity_tiers); {missing} are missing")
    return named


def reserved_tiers(scenario: Scenario, tiers: Sequence[Tier]) -> list[Tier]:
    """The tiers when rented capacity can only be reserved and paid whole, as the build-versus-rent model rents it.

    At the scale of the scenario's company no capacity is sold by the hour (docs/model.md,
    "Utilization and the shape of load"): what is rented is a commitment, or short-term
    capacity beyond the reservations at the shortest open tier's price plus
    ``cloud.short_term_premium``, both paid for every hour whether used or not. The owned and
    committed tiers are those of ``tiers`` (:func:`econ.capacity_tiers`); the on-demand tier is
    replaced by short-term capacity with that price as a fixed cost.

    Parameters
    ----------
    scenario : Scenario
        The scenario (its discount schedule and short-term premium).
    tiers : sequence of Tier
        :func:`econ.capacity_tiers` of the scenario [USD per reference GPU-hour].

    Returns
    -------
    list of Tier
        ``owned``, ``committed`` and ``short_term`` (fixed only).

    Examples
    --------
    >>> from econ.assumptions import load_scenario
    >>> from econ.unit_costs import capacity_tiers
    >>> s = load_scenario("base")
    >>> [(t.name, t.variable_usd_per_hour == 0) for t in reserved_tiers(s, capacity_tiers(s))]
    [('owned', False), ('committed', True), ('short_term', True)]
    """
    from econ.inputs import inputs_from_scenario

    named = _by_name(tiers)
    shortest = float(inputs_from_scenario(scenario).commit_schedule.shortest[0])
    list_price = named["on_demand"].variable_usd_per_hour
    short_term = list_price * (1.0 - shortest) * (1.0 + float(scenario["cloud.short_term_premium"]))
    return [named["owned"], named["committed"], Tier("short_term", short_term, 0.0)]


def tiering(load: Any, tiers: Sequence[Tier]) -> pd.Series:
    """The least-cost tiering of an hourly load against owning everything and renting everything.

    The tiering is :func:`econ.utilization.size_tiers` (each layer of capacity to the tier
    cheapest at the share of hours it is used; Stoft, *Power System Economics*, 2002,
    ch. 1.6-1.7). Owning everything is the same with the owned tier alone (capacity for the
    peak hour); renting everything with the other tiers alone (the cheapest mix of them).
    The tiering "owns a base layer below the peak and rents the rest" when the lowest layer
    with capacity is owned and the owned capacity is above zero and below the peak.

    Parameters
    ----------
    load : array_like
        One hourly load [reference GPUs].
    tiers : sequence of Tier
        Including one named ``owned`` [USD per reference GPU-hour].

    Returns
    -------
    pandas.Series
        ``peak``, ``owned_capacity`` [reference GPUs], ``owned_share_of_peak``,
        ``owned_share_of_work`` [1], ``cost_usd``, ``all_owned_usd``, ``all_rented_usd`` [USD
        over the load's hours], ``owns_base`` (bool) and ``layers`` (the tiers with capacity,
        from the base up, with their share of the peak).

    Examples
    --------
    A base of 4 units all day and 6 more for a quarter of it; owning costs $1 an hour plus
    $0.50 when used, renting $3 when used: own the base, rent the peak.

    >>> t = tiering([10.0] * 6 + [4.0] * 18, [Tier("owned", 1.0, 0.5), Tier("on_demand", 0.0, 3.0)])
    >>> bool(t["owns_base"]), float(t["owned_share_of_peak"]), float(t["cost_usd"]), float(t["all_owned_usd"])
    (True, 0.4, 252.0, 306.0)
    """
    values = np.asarray(load, dtype=float)
    named = {t.name: t for t in tiers}
    if "owned" not in named:
        raise ValueError(f"tiers: one tier must be named 'owned'; got {sorted(named)}")
    rented = [t for t in tiers if t.name != "owned"]
    if not rented:
        raise ValueError("tiers: at least one rented tier is needed besides 'owned'")
    sized = size_tiers(values, list(tiers))
    peak, work = float(values.max()), float(values.sum())
    owned = _at(sized, "owned", "capacity")
    used = sized[sized["capacity"] > TIE * peak]
    owns_base = bool(len(used) and used.index[0] == "owned" and owned < peak * (1.0 - TIE))
    result: dict[str, Any] = {
        "peak": peak,
        "owned_capacity": owned,
        "owned_share_of_peak": owned / peak if peak > 0 else float("nan"),
        "owned_share_of_work": _at(sized, "owned", "unit_hours_served") / work if work > 0 else float("nan"),
        "cost_usd": float(sized.attrs["total_usd"]),
        "all_owned_usd": float(size_tiers(values, [named["owned"]]).attrs["total_usd"]),
        "all_rented_usd": float(size_tiers(values, rented).attrs["total_usd"]),
        "owns_base": owns_base,
        "layers": ", ".join(f"{str(name).replace('_', '-')} {format_percent(c / peak)}" for name, c in used["capacity"].items()),
    }
    return pd.Series(result)


def _own_the_base(t: pd.Series) -> bool:
    return bool(t["owns_base"]) and float(t["cost_usd"]) < float(t["all_owned_usd"]) and float(t["cost_usd"]) < float(t["all_rented_usd"])


def _cheaper(cost: float, other: float) -> str:
    return f"{format_percent(1.0 - cost / other)} cheaper" if cost <= other else f"{format_percent(cost / other - 1.0)} dearer"


@register(
    "C11",
    flip_keys=("cloud.list_usd_per_gpu_hour", "cloud.commit_discount_level", "hardware.price_multiplier"),
    section=SIZING,
)
def own_base_rent_peaks(ev: Evidence) -> Finding:
    """Own the base, rent the peaks: the least-cost tiering owns a base layer below the peak and rents the rest.

    Rule (``data/claims.csv`` C11): the least-cost tiering of the representative year (all
    work as it arrives, notebook 02's ``total``, at :data:`MEAN_LOAD_REFERENCE_GPUS`) owns a base
    layer below the peak and rents the rest, at a lower cost than owning everything and than
    renting everything (:func:`tiering`). It is read twice:

    - peaks rented by the hour: the tiers of :func:`econ.capacity_tiers` (owned, committed,
      on demand at the list price, paid only when used), the screening-curve answer of
      notebook 02;
    - rented capacity reserved and paid whole, as the build-versus-rent model rents it at
      this scale (:func:`reserved_tiers`): there a rented unit costs the same busy or idle,
      so in merit order it runs first and the owned fleet is the peaker (docs/model.md).

    Supported when both readings own the base; not supported when neither does; depends
    when the answer rests on whether peaks can be rented by the hour.
    """
    load = _arrivals(ev)
    by_hour: pd.Series = ev.cached("market: tiering by the hour", lambda: tiering(load, _tiers(ev)))
    reserved: pd.Series = ev.cached("market: tiering reserved", lambda: tiering(load, reserved_tiers(ev.scenario, _tiers(ev))))
    hourly_holds, reserved_holds = _own_the_base(by_hour), _own_the_base(reserved)
    share = float(by_hour["owned_share_of_peak"])
    first = (
        f"With peaks rented by the hour at the list price, the least-cost tiering of the representative year is {by_hour['layers']} "
        f"of the peak (owned capacity does {format_percent(float(by_hour['owned_share_of_work']))} of the work), "
        f"{_cheaper(float(by_hour['cost_usd']), float(by_hour['all_owned_usd']))} than owning everything and "
        f"{_cheaper(float(by_hour['cost_usd']), float(by_hour['all_rented_usd']))} than renting everything"
    )
    second = (
        f"with rented capacity reserved and paid whole, as at this scale (cloud.short_term_premium; docs/model.md), it is "
        f"{reserved['layers']} of the peak"
    )
    if hourly_holds and reserved_holds:
        verdict, tail = "supported", "; both own a base and rent the rest."
    elif not hourly_holds and not reserved_holds:
        verdict, tail = "not supported", "; neither owns a base below the peak and rents the rest at least cost."
    else:
        verdict = "depends"
        tail = (
            ": owning the base and renting the peaks pays only where peaks can be rented by the hour"
            if hourly_holds
            else ": only reserved capacity makes owning the base the least-cost tiering"
        ) + (
            "; a reserved unit costs the same busy or idle, so it never serves rare peaks for less than owned capacity "
            "(where it is cheaper than owning, it runs first in merit order and owned capacity is the peaker)."
        )
    return Finding(
        verdict, share, "Owned share of the peak in the least-cost tiering, peaks rented by the hour", "1", f"{first}; {second}{tail}"
    )


def latency_split_plans(year: pd.DataFrame, tiers: Sequence[Tier], latency_sensitive: Sequence[str] = LATENCY_SENSITIVE) -> pd.DataFrame:
    """What the year's work costs when only latency-sensitive work goes to the cloud, against the alternatives.

    The cloud's managed API is priced per use: the on-demand tier of ``tiers`` (the list price
    per reference GPU-hour of work, paid only when used). The plans, over the year's hours:

    - ``latency split`` (claim C17): the latency-sensitive classes at the API every hour, the
      other work on owned capacity sized for its own peak, ``F n K + v sum(rest) + r sum(latency)``;
    - ``same fleet, API for overflow``: the same owned capacity serving any work that fits,
      the API only what exceeds it, ``F n K + v sum min(L, K) + r sum max(L - K, 0)``;
    - ``least-cost tiering``, ``all owned`` and ``all rented``: :func:`tiering` of all work.

    For the same owned fleet, the overflow plan never costs more than the split: latency-
    sensitive work that fits in owned capacity's idle hours costs the owned variable cost
    ``v`` there instead of the API's ``r`` (capacity pooled across classes); and the least-cost
    tiering never costs more than the overflow plan (Stoft, *Power System Economics*, 2002,
    ch. 1.7). All work is counted as it arrives (notebook 02's ``total``).

    Parameters
    ----------
    year : pandas.DataFrame
        Hourly load by class [reference GPUs], columns ``interactive``, ``realtime`` and
        ``batch`` (:func:`econ.load_shape.representative_year`).
    tiers : sequence of Tier
        ``owned``, ``committed`` and ``on_demand`` (:func:`econ.capacity_tiers`) [USD per reference GPU-hour].
    latency_sensitive : sequence of str
        The columns sent to the API in the split.

    Returns
    -------
    pandas.DataFrame
        Index ``plan``: ``cost_usd`` [USD over the year], ``owned_capacity`` [reference GPUs]
        and ``api_share_of_work`` (work served at the per-use price) [1] (NaN where it mixes tiers).

    Examples
    --------
    A flat base of 100 units and 10 units of voice in 5 % of the hours: the voice is the peak
    layer, so sending it to the API is the least-cost tiering itself.

    >>> hours = pd.date_range("2027-01-01", periods=100, freq="h")
    >>> year = pd.DataFrame({"interactive": 100.0, "realtime": [10.0] * 5 + [0.0] * 95, "batch": 0.0}, index=hours)
    >>> tiers = [Tier("owned", 1.0, 0.5), Tier("committed", 2.0, 0.0), Tier("on_demand", 0.0, 3.0)]
    >>> plans = latency_split_plans(year, tiers)
    >>> float(plans.at["latency split", "cost_usd"]) == float(plans.at["least-cost tiering", "cost_usd"])
    True
    """
    named = _by_name(tiers)
    unknown = sorted(set(latency_sensitive) - {"interactive", "realtime", "batch"})
    if unknown:
        raise ValueError(f"latency_sensitive: {unknown} are not classes of the representative year (interactive, realtime, batch)")
    classes = ["interactive", "realtime", "batch"]
    load = year[classes].to_numpy(float)
    total = load.sum(axis=1)
    sensitive = year[list(latency_sensitive)].to_numpy(float).sum(axis=1)
    rest = total - sensitive
    owned, api = named["owned"], named["on_demand"]
    fixed, variable, price = owned.fixed_usd_per_hour, owned.variable_usd_per_hour, api.variable_usd_per_hour
    hours, work = total.size, float(total.sum())
    k = float(rest.max())
    split = fixed * hours * k + variable * float(rest.sum()) + price * float(sensitive.sum())
    over = np.maximum(total - k, 0.0)
    overflow = fixed * hours * k + variable * float(np.minimum(total, k).sum()) + price * float(over.sum())
    t = tiering(total, [owned, named["committed"], api])
    rows = {
        "latency split": (split, k, float(sensitive.sum()) / work),
        "same fleet, API for overflow": (overflow, k, float(over.sum()) / work),
        "least-cost tiering": (float(t["cost_usd"]), float(t["owned_capacity"]), float("nan")),
        "all owned": (float(t["all_owned_usd"]), float(t["peak"]), 0.0),
        "all rented": (float(t["all_rented_usd"]), 0.0, float("nan")),
    }
    table = pd.DataFrame.from_dict(rows, orient="index", columns=["cost_usd", "owned_capacity", "api_share_of_work"])
    table.index.name = "plan"
    return table


@register("C17", flip_keys=("demand.realtime_share", "cloud.list_usd_per_gpu_hour"), section=LATENCY_SPLIT)
def api_for_latency_critical(ev: Evidence) -> Finding:
    """Reserve the priced cloud API for latency-critical work and own the rest, if that is the least-cost plan.

    Rule (``data/claims.csv`` C17): the least-cost plan sends only latency-sensitive work
    (:data:`LATENCY_SENSITIVE`) to the cloud at its per-use price and serves the rest from owned
    capacity, at a lower cost than all-owned or all-rented. The split is compared with every
    plan of :func:`latency_split_plans` on the representative year (notebook 02's standard
    case); it is the least-cost plan when none costs less (to :data:`TIE`). The representative
    year has no geography: latency-sensitive work that no owned site reaches within its target
    must go to a cloud in its region whatever it costs (notebook 04), which this check does not
    price.
    """
    plans: pd.DataFrame = ev.cached("market: latency split", lambda: latency_split_plans(_year(ev), _tiers(ev)))
    cost = plans["cost_usd"]
    split = float(cost["latency split"])
    others = cost.drop("latency split")
    best = str(others.idxmin())
    holds = split <= float(others.min()) * (1.0 + TIE) and split < float(cost["all owned"]) and split < float(cost["all rented"])
    extra = split / float(others.min()) - 1.0
    sent = _at(plans, "latency split", "api_share_of_work")
    why = (
        f"Sending only the latency-sensitive work ({' and '.join(LATENCY_SENSITIVE)}, {format_percent(sent)} of the work) to the "
        f"cloud at its per-use price and owning the peak of the rest costs {format_percent(abs(extra))} "
        f"{'more' if extra > 0 else 'less'} than the cheapest alternative ({best}), and is "
        f"{_cheaper(split, float(cost['all owned']))} than owning everything and "
        f"{_cheaper(split, float(cost['all rented']))} than renting everything; with the same owned fleet, sending the cloud only the "
        f"work that overflows it costs {format_percent(1.0 - float(cost['same fleet, API for overflow']) / split)} less, because "
        "latency-sensitive work in owned capacity's idle hours costs only its power."
    )
    return Finding("supported" if holds else "not supported", extra, "Extra cost of the latency split over the least-cost plan", "1", why)


# --- Serving and pricing: C12, C13, C14 ----------------------------------------------------------------------------


def _speed(ev: Evidence) -> tuple[Frontier, pd.DataFrame, float]:
    """Notebook 03's frontier, its batch, standard and fast tiers, and the scenario's owned GPU-hour cost [USD] they are priced at."""

    def compute() -> tuple[Frontier, pd.DataFrame, float]:
        gpu_hour = _at(owned_cost_by_generation(ev.scenario), SPEED_GENERATION, "total_usd_per_gpu_hour")
        frontier = measured_frontier(SPEED_GENERATION, SPEED_ENGINE)
        return frontier, tier_costs(frontier, gpu_hour, SPEED_UTILIZATION, STANDARD_TOKENS_PER_S, FAST_TOKENS_PER_S), gpu_hour

    out: tuple[Frontier, pd.DataFrame, float] = ev.cached("market: cost of speed", compute)
    return out


def _fast_multiple(frontier: Frontier, standard: float, fast: float) -> float:
    """Fast over standard cost per token: the GPU's tokens/s at standard over those at fast (:func:`econ.serving.tier_costs`)."""
    return float(frontier(standard)) / float(frontier(fast))


@register("C12", section=SPEED_COST)
def slow_tokens_cheaper(ev: Evidence) -> Finding:
    """Batching makes slow tokens cheap: cost per token falls with speed per user, and a fast token costs a multiple.

    Rule (``data/claims.csv`` C12): cost per million output tokens falls as tokens/s per user
    falls along the measured frontier (notebook 03's: :data:`SPEED_GENERATION`,
    :data:`SPEED_ENGINE`), so a fast token (:data:`FAST_TOKENS_PER_S`) costs a multiple of a
    standard one (:data:`STANDARD_TOKENS_PER_S`): at least :data:`FAR_CHEAPER_MULTIPLE`. Cost per
    token is the GPU-hour's cost over its tokens (:func:`econ.serving.cost_per_million_tokens`);
    the frontier's measured points are Pareto-efficient and interpolated monotonically (PCHIP),
    so the first part holds on any measured frontier and the multiple decides. The flip is the
    fast speed at which the multiple crosses the threshold, by Brent's method on the frontier.
    """
    frontier, costs, gpu_hour = _speed(ev)
    points = cost_per_million_tokens(gpu_hour, frontier.tokens_per_s_per_gpu, SPEED_UTILIZATION)
    falls = bool(np.all(np.diff(points) >= 0))
    multiple = _at(costs, "fast", "multiple_of_standard")
    holds = falls and multiple >= FAR_CHEAPER_MULTIPLE
    others = [
        _fast_multiple(measured_frontier(g, e), TOKEN_COST_STANDARD_TOKENS_PER_S, TOKEN_COST_FAST_TOKENS_PER_S)
        for g, e in TOKEN_COST_FRONTIERS.items()
    ]
    why = (
        f"On {SPEED_GENERATION} ({SPEED_ENGINE}) a million output tokens costs ${points[0]:.3f} at the most batched measured point "
        f"({frontier.slowest:.0f} tokens/s per user) and ${points[-1]:.2f} at the fastest ({frontier.fastest:.0f}), "
        f"{'rising' if falls else 'not rising'} at every step; a fast token at {FAST_TOKENS_PER_S:g} tokens/s costs {multiple:.2f}x "
        f"a standard one at {STANDARD_TOKENS_PER_S:g} ({'at least' if multiple >= FAR_CHEAPER_MULTIPLE else 'less than'} the "
        f"{FAR_CHEAPER_MULTIPLE:g}x read as 'far cheaper'; notebook 02's generations at {TOKEN_COST_FAST_TOKENS_PER_S:g} tokens/s: "
        f"{min(others):.2f}x to {max(others):.2f}x)."
    )

    def gap(fast: float) -> float:
        return _fast_multiple(frontier, STANDARD_TOKENS_PER_S, fast) - FAR_CHEAPER_MULTIPLE

    if gap(frontier.fastest) > 0:
        speed = float(optimize.brentq(gap, STANDARD_TOKENS_PER_S, frontier.fastest, xtol=0.01))
        flip = (
            f"{'not supported' if holds else 'supported'} if the fast tier promised {'less' if holds else 'more'} than "
            f"{speed:.0f} tokens/s per user (here {FAST_TOKENS_PER_S:g}): its token would cost {'less' if holds else 'more'} "
            f"than {FAR_CHEAPER_MULTIPLE:g}x a standard one; measured {multiple:.2f}x"
        )
    else:
        flip = (
            f"no speed on the measured frontier (up to {frontier.fastest:.0f} tokens/s per user) costs {FAR_CHEAPER_MULTIPLE:g}x standard"
        )
    label = "Cost of a fast token as a share of a standard one"
    return Finding("supported" if holds else "not supported", multiple, label, "x", why, flip=flip)


def _pricing_inputs(ev: Evidence) -> tuple[float, float, float]:
    """Standard price, standard cost [USD per million output tokens] and fast cost multiple [1], notebook 03's standard case."""
    _, costs, _ = _speed(ev)
    return (
        STANDARD_PRICE_USD_PER_MILLION_TOKENS,
        _at(costs, "standard", "usd_per_million_output_tokens"),
        _at(costs, "fast", "multiple_of_standard"),
    )


def _scaled(statements: Sequence[tuple[float, float]], factor: float) -> list[tuple[float, float]]:
    return [(share * factor, price) for share, price in statements]


def _root(f: Callable[[float], float], low: float, high: float) -> float:
    """Brent's root of ``f`` in [low, high]; NaN when ``f`` does not change sign there."""
    a, b = f(low), f(high)
    if not (np.isfinite(a) and np.isfinite(b)) or a * b > 0:
        return float("nan")
    return float(optimize.brentq(f, low, high, xtol=1e-4))


@register("C13", flip_keys=("hardware.price_multiplier",), section=TAKE_UP)
def few_pay_for_speed(ev: Evidence) -> Finding:
    """Under the few-would-pay view, the profit-maximizing fast tier is taken by a small minority.

    Rule (``data/claims.csv`` C13): with willingness to pay calibrated to the view that few
    would pay (notebook 03's ``C13`` statements, :data:`WTP_VIEWS`, lognormal by
    :meth:`econ.pricing.LognormalWTP.from_quantiles`), the fast premium that maximizes the
    profit it adds (:func:`econ.pricing.optimal_premium`: switchers stop paying the standard
    price and cost the fast multiple to serve) is taken by fewer than :data:`SMALL_MINORITY`
    of customers. The flip scales both statements' shares by one factor and solves (Brent) for
    the factor at which that take-up reaches the threshold.
    """
    price, cost, multiple = _pricing_inputs(ev)
    statements = WTP_VIEWS[C13_VIEW]
    best = optimal_premium(LognormalWTP.from_quantiles(statements), price, cost, multiple)
    take = float(best["take_up"])
    holds = take < SMALL_MINORITY
    why = (
        f"If only {format_percent(statements[0][0])} would pay {statements[0][1]:g}x and {format_percent(statements[1][0])} would pay "
        f"{statements[1][1]:g}x, the premium that maximizes added profit is {float(best['premium_multiple']):.2f}x (break-even "
        f"{float(best['break_even_multiple']):.2f}x, a fast token costing {multiple:.2f}x a standard one) and {format_percent(take)} "
        f"take it, {'under' if holds else 'not under'} the {format_percent(SMALL_MINORITY, 0)} read as 'a few'."
    )

    def gap(factor: float) -> float:
        scaled = LognormalWTP.from_quantiles(_scaled(statements, factor))
        return float(optimal_premium(scaled, price, cost, multiple)["take_up"]) - SMALL_MINORITY

    most = 0.99 / max(s for s, _ in statements)
    factor = _root(gap, 1.0, most) if holds else _root(gap, 0.01, 1.0)
    if np.isnan(factor):
        flip = (
            f"take-up at the best premium stays {'under' if holds else 'at or above'} {format_percent(SMALL_MINORITY, 0)} "
            "for any scaling of the view's shares"
        )
    else:
        shares = " and ".join(f"{format_percent(s * factor)} at {p:g}x" for s, p in statements)
        flip = (
            f"{'not supported' if holds else 'supported'} if the shares willing to pay were {factor:.2f} times the view's ({shares}): "
            f"take-up at the best premium would {'reach' if holds else 'fall under'} {format_percent(SMALL_MINORITY, 0)}"
        )
    return Finding(
        "supported" if holds else "not supported",
        take,
        "Take-up of the fast tier at its best premium, few-would-pay view",
        "1",
        why,
        flip=flip,
    )


def _best_in_range(wtp: LognormalWTP, price: float, cost: float, multiple: float) -> tuple[float, float, float]:
    """The multiple in :data:`PREMIUM_RANGE` that maximizes added profit, its take-up [1] and added profit [USD per million x share].

    Added profit per customer at multiple ``k`` is ``P take_up(k) (k - k0)``, ``k0 = 1 + (m - 1) C / P``
    (:func:`econ.pricing.optimal_premium`); the best of 251 evenly spaced multiples of the range.
    """
    k0 = 1.0 + (multiple - 1.0) * cost / price
    k = np.linspace(PREMIUM_RANGE[0], PREMIUM_RANGE[1], 251)
    take = wtp.quantity(k)
    profit = price * take * (k - k0)
    i = int(np.argmax(profit))
    return float(k[i]), float(take[i]), float(profit[i])


def _quota(ev: Evidence) -> pd.DataFrame:
    def compute() -> pd.DataFrame:
        rng = np.random.default_rng(QUOTA_SEED)
        usage = USAGE_MEDIAN * np.exp(USAGE_SIGMA * rng.standard_normal(QUOTA_SEATS))
        value = VALUE_PER_UNIT_MEDIAN_USD * np.exp(VALUE_SIGMA * rng.standard_normal(QUOTA_SEATS))
        return pd.DataFrame({"usage": usage, "value_per_unit": value})

    seats: pd.DataFrame = ev.cached("market: quota seats", compute)
    return seats


@register("C14", flip_keys=("hardware.price_multiplier",), section=TAKE_UP)
def fast_tier_sells(ev: Evidence) -> Finding:
    """A fast tier at 1.25-1.5x sells and adds profit, and quota steps deter seats.

    Rule (``data/claims.csv`` C14), three parts:

    - calibrated to the C14 view of notebook 03 (:data:`WTP_VIEWS`), the fast multiple in
      :data:`PREMIUM_RANGE` that maximizes added profit is taken by at least
      :data:`MATERIAL_SHARE` of customers and adds profit (:func:`econ.pricing.optimal_premium`'s
      margin ``k - k0``);
    - the same, calibrated to the claim's own statements (:data:`C14_CLAIM_STATEMENTS`);
    - the step plan of notebook 03 keeps fewer seats than its smooth per-use price
      (:func:`econ.pricing.quota_comparison`, :data:`QUOTA_TIERS` against :data:`SMOOTH_PLAN`).

    Supported when all three hold, not supported when none does, depends otherwise. Each
    part's threshold is stated as the flip: the C14 view's median willingness to pay at which
    take-up falls to the threshold (Brent), the fast cost multiple at which ``k0`` reaches the
    top of the range (closed form), and the smooth plan's rate per unit at which it keeps no
    more seats than the step plan (Brent).
    """
    price, cost, multiple = _pricing_inputs(ev)
    view = LognormalWTP.from_quantiles(WTP_VIEWS[C14_VIEW])
    k, take, profit = _best_in_range(view, price, cost, multiple)
    _, claim_take, claim_profit = _best_in_range(LognormalWTP.from_quantiles(C14_CLAIM_STATEMENTS), price, cost, multiple)
    seats = _quota(ev)
    usage, value = seats["usage"].to_numpy(float), seats["value_per_unit"].to_numpy(float)
    quota = quota_comparison(usage, value, QUOTA_TIERS, SMOOTH_PLAN)
    step, smooth = _at(quota, "step", "retention"), _at(quota, "smooth", "retention")
    parts = [take >= MATERIAL_SHARE and profit > 0, claim_take >= MATERIAL_SHARE and claim_profit > 0, step < smooth]
    verdict = "supported" if all(parts) else "not supported" if not any(parts) else "depends"
    k0 = 1.0 + (multiple - 1.0) * cost / price
    why = (
        f"At its best multiple in {PREMIUM_RANGE[0]:g}-{PREMIUM_RANGE[1]:g}x ({k:.2f}x; break-even {k0:.2f}x) the fast tier is taken by "
        f"{format_percent(take)} of customers under notebook 03's C14 view and {format_percent(claim_take)} under the claim's own "
        f"'double readily, ten times reluctantly' (the bar for 'would sell': {format_percent(MATERIAL_SHARE, 0)}), and adds profit under "
        f"{_count(profit > 0, claim_profit > 0)}; the step plan keeps {format_percent(step)} of seats against {format_percent(smooth)} "
        "for the smooth price" + ("." if verdict != "depends" else f", so the parts disagree ({', '.join(_parts(parts))}).")
    )
    sigma = view.sigma
    median = _root(lambda m: _best_in_range(LognormalWTP(m, sigma), price, cost, multiple)[1] - MATERIAL_SHARE, 0.5, 5.0)
    cost_bar = 1.0 + (PREMIUM_RANGE[1] - 1.0) * price / cost
    base, included, rate = SMOOTH_PLAN

    def kept(r: float) -> float:
        return _at(quota_comparison(usage, value, QUOTA_TIERS, (base, included, r)), "smooth", "retention") - step

    rate_bar = _root(kept, 0.0, 1e4)
    flip = (
        f"take-up under the C14 view stays at {format_percent(MATERIAL_SHARE, 0)} or more while its median willingness to pay is above "
        f"{median:.2f}x (here {view.median:.2f}x); fast mode adds profit in the range while a fast token costs less than {cost_bar:.2f}x a "
        f"standard one (here {multiple:.2f}x); the step plan keeps fewer seats while the smooth plan charges less than ${rate_bar:.2f} per "
        f"unit beyond its included use (here ${rate:g}); one part failing makes it depends"
    )
    return Finding(
        verdict,
        take,
        f"Take-up of a fast tier at its best price in {PREMIUM_RANGE[0]:g}-{PREMIUM_RANGE[1]:g}x, C14 view",
        "1",
        why,
        flip=flip,
    )


def _count(first: bool, second: bool) -> str:
    return "both" if first and second else "neither" if not (first or second) else "the C14 view only" if first else "the claim's only"


def _parts(parts: Sequence[bool]) -> list[str]:
    names = ("take-up and profit under the C14 view", "under the claim's statements", "quota retention")
    return [f"{name} {'holds' if ok else 'fails'}" for name, ok in zip(names, parts, strict=True)]
