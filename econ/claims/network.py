"""Checks of the claims about latency, placement and siting (C06-C10, C15, C16, C18-C20).

Each check applies the ``supported_when`` rule of its claim (``data/claims.csv``) to the
latency and placement models: round trips between regions (:func:`econ.latency.rtt_matrix`), a
request's time by part (:func:`econ.latency.request_latency_ms`), pipelines of calls
(:func:`econ.latency.pipeline_latency_ms`), tails (:func:`econ.latency.latency_percentiles`),
the measured prefill speed (:func:`econ.serving.measured_prefill`), the least-cost placement
of a workload mix within its latency targets and blocs (:func:`econ.placement.place`), its
regional losses (:func:`econ.placement.region_loss`) and owned capacity with deferrable work
moved into troughs (:func:`econ.utilization.size_with_deferral`). The models carry their own
references; a check adds a formula only where it says so.

The standard cases (a chat request of 8,000 prompt tokens from each user region to one
serving region in Texas, 500 MW of demand placed among the scenario's candidate sites, ...)
are the module constants below, the same values as the parameter defaults of notebook
``04_latency_and_placement`` (and ``02_base_load_utilization`` for the deferral), so that a
check and the notebook that shows its work compute the same numbers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from econ.assumptions import load_table
from econ.claims.verdicts import Evidence, Finding, register
from econ.latency import latency_percentiles, pipeline_latency_ms, request_latency_ms, rtt_matrix
from econ.placement import Placement, Workload, candidate_sites, place, region_loss, scenario_mix, workload_demand, workloads
from econ.reports.display import format_money, format_percent
from econ.serving import measured_prefill, time_to_first_token_s

LATENCY = "04_latency_and_placement"
PARTS = f"{LATENCY}#A request's latency, part by part (C06, C07, C15)"
TAILS = f"{LATENCY}#Tails (C08)"
REACH = f"{LATENCY}#Who can serve whom"
SITING = f"{LATENCY}#Where to build (C09, C18, C19)"
PREFILL = "02_base_load_utilization#Time to first token (C15)"

# --- Standard cases: the parameter defaults of notebook 04_latency_and_placement (same values; the notebook is to import them).
SERVING_REGION = "us-central-tx"
"""The "one cheap region" of claim C06 (and the US site of C20)."""
USER_REGIONS = ("us-east-va", "de-fra", "in-mum", "jp-tok", "br-sp")
"""User regions shown in the notebook's latency waterfall; the first is the self-hosted reference of C08.
The checks of "every user region" (C06, C07, C16, C20) use every region of the round-trip table."""
GENERATION, ENGINE = "b200", "tensorrt-llm"
"""Accelerator and engine whose measured prefill speed a request gets (``data/serving_throughput.csv``)."""
PROMPT_TOKENS, ANSWER_TOKENS, TOKENS_PER_S = 8000, 500, 100.0
"""A chat request: prompt and answer [tokens], decode speed [tokens/s per user]."""
QUEUE_MS = 50.0
"""Waiting for a batch slot [ms] (assumption)."""
TOTAL_MW = 500.0
"""Demand placed among the candidate sites [MW] (the base candidate sites hold 1,000 MW)."""
MIX: Mapping[str, float] | None = None
"""Share of demand by latency class; None: the scenario's (:func:`econ.placement.scenario_mix`)."""
SITE_FIXED_USD_PER_YEAR = 3e7
"""What a site costs whatever its size [USD/year] (assumption: a minimum organisation)."""
CLOUD_MARKUP = 1.36
"""Cloud price over the dearest candidate site's cost per MW-year [1] (the base contract markup)."""
MIN_SITE_SHARE = 0.25
""""Building everywhere": every candidate site holds at least this share of its maximum MW [1]."""
MANAGED_MULTIPLIER, ANECDOTE_STALL_PROBABILITY, STALL_MS = 3.0, 0.01, 20000.0
"""Claim C08's anecdote: a managed service three times slower [1], with hangs [1] of 20 s [ms]."""
SELF_HOSTED_SIGMA = 0.3
"""Log-standard deviation of a self-hosted server's time to first token [1] (assumption)."""
PARAMETER_LEVEL = "central"
"""Level (low / central / high) of the measured managed-API latency rows of ``data/model_parameters.csv``."""
# --- Standard case of notebook 02_base_load_utilization (its parameter default).
MEAN_LOAD = 1000.0
"""Mean load of the representative year [reference GPUs]; the owned utilization does not depend on it."""

# --- Thresholds, from the claims' own words where they give a number.
SMALL_NETWORK_SHARE = 0.25
"""C06, "network is a small share of time to first token": under a quarter of it."""
CLAIM_NETWORK_MS = 100.0
"""C16: "100 ms of network is already too much" for voice [ms]."""
SLOWER_MULTIPLE = 2.0
"""C08, "several times slower" (the sourced ~3x): the managed median at least twice the self-hosted."""
STALL_RANK = 99.9
"""C08, "occasional stalls lasting many seconds": stalls of 20 s (:data:`STALL_MS`) reach the P99.9, one request in a thousand."""
MIN_BLOCS = 4
"""C09: "at least four" continents, read as sovereignty blocs."""
BILLIONS_USD = 1e9
"""C10, "billions more": at least USD 1 billion in present value."""
HIGH_UTILIZATION = 0.8
"""C10, "keeps a cheap site busy": owned capacity busy at least 80 % of its hours, the base scenario's measured provisioned utilization."""
SEVERAL_SECONDS_MS = 2000.0
"""C15, prefill "takes seconds": at least 2 s [ms]."""
EXTRA_NETWORK_MS = 200.0
"""C15, "a few hundred extra milliseconds of network" [ms]."""
LONG_PROMPT_TOKENS = 32768
"""C15's "typical long prompt" [tokens]: a long document or agent context, a prompt length of notebook 02's
time-to-first-token table (``data/model_parameters.csv`` names 10-100k-token agent contexts)."""
TTFT_SPREAD = (10.0, 90.0)
"""C15, "its normal variation": the self-hosted time to first token from its P10 to its P90."""
MOST = 0.5
"""C18 "most of the spread", C19 "most demand": more than half."""
NEAR_MS, WORLD_MS = 150.0, 300.0
"""C20: "the US and Europe within about 150 ms" and "the whole planet within about 300 ms" of round trip [ms]."""
_MW_TOL = 1e-6
"""Flows below this are solver noise [MW]."""


# --- Shared work, computed once per Evidence.


def _rtt(ev: Evidence) -> pd.DataFrame:
    rtt: pd.DataFrame = ev.cached("network rtt", rtt_matrix)
    return rtt


def _classes(ev: Evidence) -> dict[str, Workload]:
    classes: dict[str, Workload] = ev.cached("network classes", lambda: {w.name: w for w in workloads(ev.scenario)})
    return classes


def _prefill() -> tuple[float, float]:
    """Measured prefill speed [tokens/s per request] and fixed part [ms] of :data:`GENERATION` on :data:`ENGINE`."""
    p = measured_prefill(GENERATION, ENGINE)
    return float(p["prefill_tokens_per_s"]), 1000.0 * float(p["fixed_s"])


def _chat(ev: Evidence) -> pd.DataFrame:
    """The standard chat request from every user region to :data:`SERVING_REGION`, by part [ms], index the user region."""

    def compute() -> pd.DataFrame:
        rtt = _rtt(ev)
        rate, fixed_ms = _prefill()
        regions = list(rtt.index)
        parts = request_latency_ms(
            [float(rtt.loc[u, SERVING_REGION]) for u in regions],
            PROMPT_TOKENS,
            rate,
            ANSWER_TOKENS,
            TOKENS_PER_S,
            queue_ms=QUEUE_MS,
            fixed_ms=fixed_ms,
        )
        parts.index = pd.Index(regions, name="user_region")
        return parts

    chat: pd.DataFrame = ev.cached("network chat", compute)
    return chat


@dataclass(frozen=True)
class _Siting:
    """The notebook's placement case: candidate sites, demand, classes, cloud price and the least-cost placement."""

    sites: pd.DataFrame
    demand: pd.DataFrame
    classes: list[Workload]
    cloud_usd_per_mw_year: float
    chosen: Placement


def _sites(ev: Evidence) -> pd.DataFrame:
    sites: pd.DataFrame = ev.cached("network sites", lambda: candidate_sites(ev.scenario, SITE_FIXED_USD_PER_YEAR))
    return sites


def _siting(ev: Evidence) -> _Siting:
    def compute() -> _Siting:
        s = ev.scenario
        sites = _sites(ev)
        demand = workload_demand(s, TOTAL_MW, MIX or scenario_mix(s))
        classes = list(_classes(ev).values())
        cloud = float(sites["usd_per_mw_year"].max()) * CLOUD_MARKUP
        return _Siting(sites, demand, classes, cloud, place(demand, sites, classes, _rtt(ev), cloud))

    siting: _Siting = ev.cached("network siting", compute)
    return siting


def _no_sites(label: str, unit: str) -> Finding:
    return Finding("not supported", float("nan"), label, unit, "The scenario has no candidate sites, so there is nothing to place.")


def _verdict(holds: bool) -> str:
    return "supported" if holds else "not supported"


def _count(n: int, noun: str) -> str:
    """``"1 region"``, ``"6 regions"``."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _num(x: Any) -> float:
    """A table cell as a float (pandas' scalar types are wider than float's argument)."""
    return float(x)


# --- C06, C07, C15, C16, C20: latency.


@register("C06", flip_keys=("latency.chat_target_ms",), section=PARTS)
def one_region_for_chat(ev: Evidence) -> Finding:
    """One serving region: every user region meets the chat target and network is a small share of time to first token.

    The standard chat request (:data:`PROMPT_TOKENS` at the measured prefill speed of
    :data:`GENERATION`, :data:`QUEUE_MS` of queueing) from every region of the round-trip
    table to :data:`SERVING_REGION` (:func:`econ.latency.request_latency_ms`, after *DistServe*,
    Zhong et al., OSDI 2024). Supported when the time to first token of every region is within
    ``latency.chat_target_ms`` and the round trip is under :data:`SMALL_NETWORK_SHARE` of it
    everywhere; depends when one part holds and the other not (the conclusion without its
    reason, or the reverse). The number is the largest network share. Its flip is the prompt length: the
    network share falls as the prompt grows, until the time to first token misses the target.
    """
    chat = _chat(ev)
    target = _classes(ev)["chat"].target_ms
    share = chat["network_ms"] / chat["ttft_ms"]
    far = str(share.idxmax())
    worst_share, worst_ttft = float(share.max()), float(chat["ttft_ms"].max())
    meets, small = bool((chat["ttft_ms"] <= target).all()), worst_share < SMALL_NETWORK_SHARE
    read_ms = _num(chat["prefill_ms"].iloc[0])
    why = (
        f"From {SERVING_REGION}, the slowest first token of a chat request with {PROMPT_TOKENS:,} prompt tokens "
        f"arrives in {worst_ttft:.0f} ms "
        f"({'within' if meets else 'beyond'} the {target:,g} ms target), and the round trip is up to {format_percent(worst_share)} of it "
        f"({far}; {'under' if small else 'not under'} {format_percent(SMALL_NETWORK_SHARE, 0)}); the prompt itself is read in "
        f"{read_ms:.0f} ms."
    )
    # The prompt lengths at which the rule holds: other = queue + fixed + 1000 N / rate must exceed net (1 - s) / s
    # at the farthest region and stay within target - net there.
    rate, fixed_ms = _prefill()
    net = _num(chat.at[far, "network_ms"])
    rest = QUEUE_MS + fixed_ms
    low = max(rate * (net * (1.0 - SMALL_NETWORK_SHARE) / SMALL_NETWORK_SHARE - rest) / 1000.0, 0.0)
    high = rate * (target - float(chat["network_ms"].max()) - rest) / 1000.0
    flip = (
        f"supported only for prompts of {low:,.0f} to {high:,.0f} tokens at {GENERATION}'s measured prefill speed ({PROMPT_TOKENS:,} here; "
        "a lower bound beyond 8,192 tokens)"
        if low < high
        else f"no prompt length meets both parts at {GENERATION}'s measured prefill speed"
    )
    verdict = "depends" if meets != small else _verdict(meets)  # one part holds, the other not
    return Finding(verdict, worst_share, "Largest network share of time to first token", "1", why, flip=flip)


@register("C07", section=PARTS)
def pipelines_add_up(ev: Evidence) -> Finding:
    """A multi-call agent step misses its target from the farthest user region while one from a nearby region meets it.

    The agent class of ``data/latency_classes.csv`` makes ``round_trips`` sequential calls,
    each the class's compute over its calls, all to :data:`SERVING_REGION`
    (:func:`econ.latency.pipeline_latency_ms`, star topology). The farthest region is the one
    with the largest round trip to the serving region; the nearby one the smallest other than
    the serving region's own. The number is the farthest region's latency. Its flip, the
    window of ``latency.agent_target_ms`` between the two latencies, is stated in ``flip``.
    """
    rtt = _rtt(ev)
    agent = _classes(ev)["agent"]
    row = rtt.loc[SERVING_REGION].drop(SERVING_REGION)
    far, near = str(row.idxmax()), str(row.idxmin())
    calls = [(SERVING_REGION, agent.compute_ms / agent.round_trips)] * agent.round_trips
    far_ms, near_ms = (pipeline_latency_ms(calls, u, rtt) for u in (far, near))
    misses_far, meets_near = far_ms > agent.target_ms, near_ms <= agent.target_ms
    why = (
        f"An agent step of {agent.round_trips} calls served from {SERVING_REGION} takes {far_ms:,.0f} ms from the farthest region "
        f"({far}, {_num(row[far]):.0f} ms round trip) and {near_ms:,.0f} ms from the nearest ({near}), against a target of "
        f"{agent.target_ms:,.0f} ms: the far one {'misses' if misses_far else 'meets'} it, "
        f"the near one {'meets' if meets_near else 'misses'} it."
    )
    # The rule holds exactly for targets in [near, far): stated here, since the window is narrower than a step of verdict_flip's grid.
    if misses_far and meets_near:
        flip = f"not supported with an agent target of {far_ms:,.0f} ms or more, or under {near_ms:,.0f} ms"
    elif near_ms < far_ms:
        flip = f"supported only with an agent target from {near_ms:,.0f} ms to just under {far_ms:,.0f} ms (here {agent.target_ms:,.0f} ms)"
    else:
        flip = "no agent target separates the far region from the near one"
    return Finding(_verdict(misses_far and meets_near), far_ms, "Agent step from the farthest user region", "ms", why, flip=flip)


@register("C16", flip_keys=("latency.voice_target_ms", "latency.agent_target_ms"), section=REACH)
def voice_needs_nearby(ev: Evidence) -> Finding:
    """Voice misses its target over 100 ms of round trip, while agent (coding) and batch work meet theirs from any region.

    Each class's latency is ``round_trips x rtt + compute`` (:meth:`econ.placement.Workload.latency_ms`,
    :func:`econ.latency.pipeline_latency_ms` with every call in one region): voice at the
    claim's :data:`CLAIM_NETWORK_MS`, agent and batch at the largest round trip between any two
    regions of the table. The number is the voice turn's latency.
    """
    rtt = _rtt(ev)
    classes = _classes(ev)
    voice, agent, batch = classes["voice"], classes["agent"], classes["batch"]
    table = rtt.to_numpy(float)
    i, j = (int(k) for k in np.unravel_index(int(np.argmax(table)), table.shape))
    worst = float(table[i, j])
    a, b = str(rtt.index[i]), str(rtt.columns[j])
    voice_ms, agent_ms, batch_ms = voice.latency_ms(CLAIM_NETWORK_MS), agent.latency_ms(worst), batch.latency_ms(worst)
    misses = voice_ms > voice.target_ms
    anywhere = agent_ms <= agent.target_ms and batch_ms <= batch.target_ms
    why = (
        f"Over {CLAIM_NETWORK_MS:g} ms of round trip a voice turn takes {voice_ms:.0f} ms against its {voice.target_ms:g} ms target "
        f"({'missed' if misses else 'met'}); over the longest round trip in the table ({a} to {b}, {worst:.0f} ms) "
        f"an agent step takes {agent_ms:,.0f} ms against {agent.target_ms:,.0f} ms ({'met' if agent_ms <= agent.target_ms else 'missed'}) "
        f"and batch work {'meets' if batch_ms <= batch.target_ms else 'misses'} its {batch.target_ms / 3.6e6:g}-hour window."
    )
    return Finding(_verdict(misses and anywhere), voice_ms, f"Voice turn over {CLAIM_NETWORK_MS:g} ms of round trip", "ms", why)


@register("C15", section=PREFILL)
def prefill_dominates(ev: Evidence) -> Finding:
    """Prefill of a typical long prompt takes seconds, and 200 ms of network is within the normal variation of time to first token.

    Prefill of :data:`LONG_PROMPT_TOKENS` at the measured speed of :data:`GENERATION`
    (:func:`econ.serving.measured_prefill`, :func:`econ.serving.time_to_first_token_s`; a lower
    bound beyond 8,192 tokens) against :data:`SEVERAL_SECONDS_MS`; and the spread of a
    self-hosted server's time to first token for that prompt (queue, fixed part and prefill;
    lognormal with :data:`SELF_HOSTED_SIGMA`, :func:`econ.latency.latency_percentiles`) from
    its P10 to its P90 against :data:`EXTRA_NETWORK_MS`. The number is the prefill time. Its
    flip is measured data (the prefill speed), stated in ``flip``.
    """
    rate, fixed_ms = _prefill()
    prefill_ms = 1000.0 * float(time_to_first_token_s(LONG_PROMPT_TOKENS, rate))
    server_ms = QUEUE_MS + fixed_ms + prefill_ms
    low, high = latency_percentiles(server_ms, SELF_HOSTED_SIGMA, percentiles=TTFT_SPREAD).to_numpy(float)
    spread = high - low
    seconds, hidden = prefill_ms >= SEVERAL_SECONDS_MS, spread > EXTRA_NETWORK_MS
    limit_s = SEVERAL_SECONDS_MS / 1000.0
    why = (
        f"A {LONG_PROMPT_TOKENS:,}-token prompt is read in {prefill_ms:,.0f} ms at {GENERATION}'s measured prefill speed "
        f"({rate:,.0f} tokens/s per request; {'at least' if seconds else 'under'} {limit_s:g} s), and a self-hosted first token "
        f"varies by {spread:.0f} ms from its P10 to its P90 ({'more' if hidden else 'less'} than {EXTRA_NETWORK_MS:g} ms of network)."
    )
    flip = (
        f"prefill takes {limit_s:g} s only for prompts of {rate * limit_s:,.0f} tokens or more at the measured speed, "
        f"or on a server {SEVERAL_SECONDS_MS / prefill_ms:.1f} times slower for this prompt"
    )
    return Finding(_verdict(seconds and hidden), prefill_ms, f"Prefill of a {LONG_PROMPT_TOKENS:,}-token prompt", "ms", why, flip=flip)


@register("C20", section=PARTS)
def one_us_site_reach(ev: Evidence) -> Finding:
    """The sourced round trip from the US serving region is within 150 ms to the US and Europe and 300 ms everywhere.

    ``data/region_rtt.csv`` (measured P50, :func:`econ.latency.rtt_matrix`) from
    :data:`SERVING_REGION` to the regions of the US bloc and of Europe (``data/regions.csv``)
    against :data:`NEAR_MS`, and to every region against :data:`WORLD_MS`. The number is the
    longest round trip to the US and Europe. The data are measured, so the flip is stated.
    """
    rtt = _rtt(ev)
    regions = load_table("regions")
    row = rtt.loc[SERVING_REGION]
    near_set = [
        r for r in row.index if r in regions.index and (regions.at[r, "sovereignty_bloc"] == "US" or regions.at[r, "continent"] == "Europe")
    ]
    near = row[near_set]
    far_near, far_all = str(near.idxmax()), str(row.idxmax())
    near_ms, all_ms = _num(near.max()), _num(row.max())
    holds = near_ms <= NEAR_MS and all_ms <= WORLD_MS
    why = (
        f"From {SERVING_REGION} the measured P50 round trip is at most {near_ms:.0f} ms to the US and Europe ({far_near}; "
        f"{'within' if near_ms <= NEAR_MS else 'beyond'} {NEAR_MS:g} ms) and at most {all_ms:.0f} ms to any region ({far_all}; "
        f"{'within' if all_ms <= WORLD_MS else 'beyond'} {WORLD_MS:g} ms)."
    )
    word = "not supported" if holds else "supported"
    flip = (
        f"{word} if the round trip to {far_near} {'exceeded' if holds else 'were within'} {NEAR_MS:g} ms (measured {near_ms:.0f} ms) "
        f"{'or' if holds else 'and'} to {far_all} {'exceeded' if holds else 'were within'} {WORLD_MS:g} ms (measured {all_ms:.0f} ms)"
    )
    return Finding(_verdict(holds), near_ms, "Longest round trip from the US serving region to the US and Europe", "ms", why, flip=flip)


# --- C08: tails.


@register("C08", section=TAILS)
def managed_tails(ev: Evidence) -> Finding:
    """The measured managed-service median is several times the self-hosted one, and its tail reaches stalls of 20 s.

    Self-hosted: the standard chat request's time to first token from the first of
    :data:`USER_REGIONS` (as the notebook's Tails cell). Managed: the rows
    ``latency.managed_ttft_p50_ms``, ``latency.managed_ttft_p99_over_p50`` and
    ``latency.stall_probability`` of ``data/model_parameters.csv`` at :data:`PARAMETER_LEVEL`,
    a lognormal with ``sigma = ln(P99/P50) / z_0.99`` and stalls of :data:`STALL_MS`
    (:func:`econ.latency.latency_percentiles`). Supported when the managed median is at least
    :data:`SLOWER_MULTIPLE` times the self-hosted and its P99.9 is at least the stall length.
    The number is the ratio of the medians; the rows are measured data (the stall probability
    a labelled assumption), so the flip is stated.
    """
    self_ms = _num(_chat(ev).at[USER_REGIONS[0], "ttft_ms"])
    rows = ["latency.managed_ttft_p50_ms", "latency.managed_ttft_p99_over_p50", "latency.stall_probability"]
    table = load_table("model_parameters").loc[rows, ["low", "central", "high"]].astype(float)
    p50, tail, stall_p = (_num(table.at[r, PARAMETER_LEVEL]) for r in rows)
    sigma = float(np.log(tail) / 2.3263478740408408)  # z_0.99: P99 / P50 = exp(z sigma)
    managed = latency_percentiles(p50, sigma, 1.0, stall_p, STALL_MS, percentiles=(50.0, 99.0, STALL_RANK))
    median, rare = _num(managed["p50"]), _num(managed[f"p{STALL_RANK:g}"])
    ratio = median / self_ms
    slower, stalls = ratio >= SLOWER_MULTIPLE, stall_p > 0 and rare >= STALL_MS
    stall_s, rank = STALL_MS / 1000.0, f"P{STALL_RANK:g}"
    why = (
        f"Measured managed APIs ({PARAMETER_LEVEL} values) answer in a median {median:,.0f} ms, {ratio:.1f} times the {self_ms:.0f} ms "
        f"of self-hosted serving from {USER_REGIONS[0]} ({'at least' if slower else 'under'} {SLOWER_MULTIPLE:g} times); with a "
        f"{format_percent(stall_p, 2)} chance of a {stall_s:g} s stall (an assumption: no source measures it) their {rank} is "
        f"{rare / 1000:.1f} s ({'reaching' if stalls else 'short of'} {stall_s:g} s)."
    )
    share = format_percent(1.0 - STALL_RANK / 100.0, 1)
    measured = (
        f"(measured {_num(table.at[rows[0], 'low']):,.0f} to {_num(table.at[rows[0], 'high']):,.0f} ms); stall probability "
        f"{format_percent(stall_p, 2)} (low {format_percent(_num(table.at[rows[2], 'low']), 2)})"
    )
    bar = SLOWER_MULTIPLE * self_ms
    if slower and stalls:
        flip = f"not supported if the managed median were under {bar:,.0f} ms or stalls of {stall_s:g} s rarer than {share}"
    else:
        flip = f"supported if the managed median were at least {bar:,.0f} ms and stalls of {stall_s:g} s at least {share}"
    flip += f" of requests; median {median:,.0f} ms " + measured
    return Finding(_verdict(slower and stalls), ratio, "Managed-service median time to first token over self-hosted", "x", why, flip=flip)


# --- C09, C10, C18, C19: placement and siting.


def _bloc_continents(blocs: set[str]) -> list[str]:
    regions = load_table("regions")
    return sorted(set(regions.loc[regions["sovereignty_bloc"].isin(sorted(blocs)), "continent"]))


@register("C09", flip_keys=("demand.regulated_shares.EU",), section=SITING)
def residency_blocs(ev: Evidence) -> Finding:
    """With the scenario's regulated shares, the least-cost placement holds capacity serving regulated demand in at least four blocs.

    The least-cost placement of :data:`TOTAL_MW` of the scenario's mix within its latency
    targets and blocs (:func:`econ.placement.place`, a mixed-integer program). A bloc counts
    when an owned site in it serves regulated demand (the capacity the law makes it hold
    there); a site in a bloc for cheap power alone does not. Regulated demand in blocs with
    no candidate site goes to in-region cloud. The number is the count of blocs; the why adds
    the annual cost of regulation (against the same placement with no regulated share).
    """
    label = "Blocs where owned capacity serves regulated demand"
    if not ev.scenario.site_ids:
        return _no_sites(label, "-")
    siting = _siting(ev)
    flows = siting.chosen.flows
    regulated = flows[flows["regulated"] & (flows["mw"] > _MW_TOL)]
    blocs = set(siting.sites.loc[regulated["site"].unique(), "bloc"].astype(str))
    required = siting.demand[siting.demand["mw"] * siting.demand["regulated_share"] > _MW_TOL]
    required_blocs = set(required["bloc"].astype(str))
    free = ev.cached(
        "network unregulated",
        lambda: place(siting.demand.assign(regulated_share=0.0), siting.sites, siting.classes, _rtt(ev), siting.cloud_usd_per_mw_year),
    )
    added = siting.chosen.cost_usd_per_year - _num(free.cost_usd_per_year)
    enough = len(blocs) >= MIN_BLOCS
    held, needed = _count(len(blocs), "bloc"), _count(len(required_blocs), "bloc")
    held_on, needed_on = (_count(len(_bloc_continents(b)), "continent") for b in (blocs, required_blocs))
    why = (
        f"The least-cost placement of {TOTAL_MW:,.0f} MW serves regulated demand from its own sites in {held} "
        f"({', '.join(sorted(blocs)) or 'none'}; {held_on}; {'at least' if enough else 'fewer than'} {MIN_BLOCS}); "
        f"regulated demand exists in {needed} on {needed_on}, the rest served by in-region cloud, and residency adds "
        f"{format_money(added)} a year to the placement."
    )
    return Finding(_verdict(enough), float(len(blocs)), label, "-", why)


def _annuity(ev: Evidence) -> float:
    """Present value of 1 USD a year over ``horizon.years`` at ``finance.discount_rate_annual`` [years] (the annuity factor)."""
    r, years = _num(ev.scenario["finance.discount_rate_annual"]), _num(ev.scenario["horizon.years"])
    return years if r == 0 else (1.0 - (1.0 + r) ** -years) / r


_DEFERRAL: dict[tuple[Any, ...], pd.DataFrame] = {}
""":func:`econ.utilization.size_with_deferral` by its inputs, across Evidence: a flip of an input it does not read reuses it."""


def _deferral(ev: Evidence) -> pd.DataFrame:
    """Notebook 02's owned tier against on demand, batch work on arrival and moved within its deadline."""

    def compute() -> pd.DataFrame:
        from econ.load_shape import representative_year
        from econ.unit_costs import capacity_tiers
        from econ.utilization import size_with_deferral

        s = ev.scenario
        year = representative_year(s, MEAN_LOAD)
        tiers = capacity_tiers(s)
        firm = (year["interactive"] + year["realtime"]).to_numpy(float)
        batch = year["batch"].to_numpy(float)
        deadline = int(s["demand.batch_deadline_hours"])
        owned, rent = tiers[0], tiers[-1].variable_usd_per_hour
        key = (firm.tobytes(), batch.tobytes(), deadline, owned.fixed_usd_per_hour, owned.variable_usd_per_hour, rent)
        if key not in _DEFERRAL:
            if len(_DEFERRAL) >= 32:
                _DEFERRAL.clear()
            _DEFERRAL[key] = size_with_deferral(firm, batch, deadline, owned.fixed_usd_per_hour, owned.variable_usd_per_hour, rent)
        return _DEFERRAL[key]

    table: pd.DataFrame = ev.cached("network deferral", compute)
    return table


@register("C10", flip_keys=("demand.regulated_shares.EU", "demand.regulated_shares.US"), section=SITING)
def cheap_site_suffices(ev: Evidence) -> Finding:
    """Latency targets and blocs cost billions more than the cheapest sites, and deferrable work keeps owned capacity busy.

    Two parts. (1) The least-cost placement within the latency targets and blocs against the
    least-cost placement with neither (every target lifted, no regulated share; the same
    sites, fixed cost and cloud price), its annual difference as a present value over
    ``horizon.years`` at ``finance.discount_rate_annual`` (the annuity factor
    ``(1 - (1 + r) ** -T) / r``, Brealey, Myers & Allen, *Principles of Corporate Finance*,
    ch. 2), against :data:`BILLIONS_USD`. (2) Notebook 02's owned capacity with the batch work
    moved into troughs within its deadline (:func:`econ.utilization.size_with_deferral`, on the
    representative year and the owned and on-demand tiers of :func:`econ.capacity_tiers`)
    busy at least :data:`HIGH_UTILIZATION` of its hours. Supported when both hold, not
    supported when neither, depends otherwise. The number is the present value of part (1).
    """
    label = "Present value of the extra cost of latency targets and blocs over the cheapest sites"
    if not ev.scenario.site_ids:
        return _no_sites(label, "USD")
    siting = _siting(ev)
    loose = [Workload(w.name, 1e12, w.round_trips, w.compute_ms) for w in siting.classes]
    cheapest = ev.cached(
        "network cheapest",
        lambda: place(siting.demand.assign(regulated_share=0.0), siting.sites, loose, _rtt(ev), siting.cloud_usd_per_mw_year),
    )
    everywhere = place(
        siting.demand,
        siting.sites,
        siting.classes,
        _rtt(ev),
        siting.cloud_usd_per_mw_year,
        built=list(siting.sites.index),
        min_built_share=MIN_SITE_SHARE,
    )
    floor = _num(cheapest.cost_usd_per_year)
    annual, factor = siting.chosen.cost_usd_per_year - floor, _annuity(ev)
    pv = annual * factor
    utilization = _num(_deferral(ev).at["moved", "owned_utilization"])
    costly, busy = pv >= BILLIONS_USD, utilization >= HIGH_UTILIZATION
    years = _num(ev.scenario["horizon.years"])
    why = (
        f"Serving {TOTAL_MW:,.0f} MW within its latency targets and blocs costs {format_money(annual)} a year more than at the cheapest "
        f"sites, {format_money(pv)} in present value over {years:g} years ({format_money(annual * years)} undiscounted; "
        f"{'at least' if costly else 'under'} {format_money(BILLIONS_USD)}; building every candidate site: "
        f"{format_money((everywhere.cost_usd_per_year - floor) * factor)}); with batch work moved into troughs the owned capacity is "
        f"busy {format_percent(utilization)} of its hours ({'at least' if busy else 'under'} {format_percent(HIGH_UTILIZATION, 0)})."
    )
    verdict = "supported" if costly and busy else "not supported" if not (costly or busy) else "depends"
    return Finding(verdict, pv, label, "USD", why)


@register("C18", flip_keys=("demand.provisioned_utilization", "finance.discount_rate_annual"), section=SITING)
def power_decides_siting(ev: Evidence) -> Finding:
    """Power price and PUE explain most of the spread of levelized cost per MW-year across candidate sites, more than network.

    The levelized cost per MW-year of IT of each candidate site
    (:func:`econ.placement.candidate_sites`) is split exactly into three parts by re-running
    it: power (price x PUE x load; it is linear in the power price, so it is the cost less
    the cost at a zero price), the facility (linear in the site's capex, so twice the cost
    less the cost at half of it: capital, maintenance and the property tax and insurance on
    it) and the rest (GPUs, their property tax and insurance, staff, water). Each part's share
    of the variance of the total across sites is its covariance with the total over the
    total's variance, shares that sum to one (Shorrocks, "Inequality decomposition by factor
    components", *Econometrica* 50(1), 1982). The levelized cost has no network term, so
    network's share is zero. Supported when power's share is more than :data:`MOST`. The
    number is power's share.
    """
    label = "Power's share of the spread of levelized cost across candidate sites"
    if not ev.scenario.site_ids:
        return _no_sites(label, "1")
    s = ev.scenario
    ids = list(s.site_ids)
    total = _sites(ev)["usd_per_mw_year"]

    def cost(overrides: dict[str, float]) -> pd.Series:
        series: pd.Series = candidate_sites(s.with_overrides(overrides), SITE_FIXED_USD_PER_YEAR)["usd_per_mw_year"]
        return series.reindex(total.index)

    power = total - cost({f"build.sites.{x}.power_price_usd_per_mwh": 0.0 for x in ids})
    facility = 2.0 * (
        total - cost({f"build.sites.{x}.capex_usd_per_mw_it": 0.5 * float(s[f"build.sites.{x}.capex_usd_per_mw_it"]) for x in ids})
    )
    parts = {"power": power, "facility": facility, "rest": total - power - facility}
    deviation = total - total.mean()
    variance = float((deviation**2).mean())
    shares = {k: float(((v - v.mean()) * deviation).mean()) / variance if variance > 0 else float("nan") for k, v in parts.items()}
    p = shares["power"]
    cheap, dear = str(total.idxmin()), str(total.idxmax())
    low, high = format_money(_num(total.min())), format_money(_num(total.max()))
    why = (
        f"Levelized cost runs from {low} ({cheap}) to {high} ({dear}) per MW-year; power price and PUE explain {format_percent(p)} of "
        f"its variance across the {len(total)} candidate sites, facility capex {format_percent(shares['facility'])} and the rest "
        f"(GPU property tax, insurance) {format_percent(shares['rest'])}; network costs nothing in it, and water is one price "
        "everywhere (water use by cooling type is not modelled)."
    )
    return Finding(_verdict(p > MOST), p, label, "1", why)


@register("C19", flip_keys=("demand.realtime_share",), section=SITING)
def spread_for_resilience(ev: Evidence) -> Finding:
    """A placement spread over several regions keeps most demand served after any single regional loss; one region does not.

    The least-cost placement (as C09) and the least-cost placement with only the candidate
    sites of :data:`SERVING_REGION`, each losing one region at a time with no new building and
    no cloud (:func:`econ.placement.region_loss`). Supported when the spread placement holds
    capacity in at least two regions and keeps more than :data:`MOST` of demand served after
    its worst single loss, while the single-region one does not. The number is the spread
    placement's worst served share. The probability of regional outages is not modelled.
    """
    label = "Demand still served after the worst single regional loss"
    if not ev.scenario.site_ids:
        return _no_sites(label, "1")
    siting = _siting(ev)
    rtt = _rtt(ev)
    built = siting.chosen.sites[siting.chosen.sites["mw"] > _MW_TOL]
    regions = sorted(set(siting.sites.loc[built.index, "region"]))
    spread = region_loss(siting.chosen, siting.demand, siting.sites, siting.classes, rtt)
    worst = min(max(_num(spread["served_share"].min()), 0.0), 1.0) if len(spread) else 0.0  # solver noise kept inside [0, 1]
    lost = str(spread["served_share"].idxmin()) if len(spread) else "-"
    home = siting.sites[siting.sites["region"] == SERVING_REGION]
    if len(home):
        single = place(siting.demand, home, siting.classes, rtt, siting.cloud_usd_per_mw_year)
        alone = region_loss(single, siting.demand, home, siting.classes, rtt)
        single_worst = min(max(_num(alone["served_share"].min()), 0.0), 1.0) if len(alone) else 0.0
    else:
        single_worst = 0.0  # no site there: nothing owned to keep
    holds = len(regions) >= 2 and worst > MOST and single_worst <= MOST
    why = (
        f"Spread over {_count(len(regions), 'region')}, the least-cost placement still serves {format_percent(worst)} of demand "
        f"from its other sites after its worst single loss ({lost}; {'more' if worst > MOST else 'not more'} than half); "
        f"placed in {SERVING_REGION} alone, {format_percent(single_worst)}. The probability of regional outages is not modelled."
    )
    return Finding(_verdict(holds), worst, label, "1", why)
