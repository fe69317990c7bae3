"""econ.placement: feasibility by hand, the MILP against exhaustive search, infeasibility, blocs, capacity, region loss, bad input."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from econ.latency import rtt_matrix
from econ.placement import Placement, Workload, feasibility, place, place_exhaustive, region_loss

DATA = Path(__file__).resolve().parents[1] / "data"
RTT = rtt_matrix()
REGIONS = list(RTT.index)
BLOC = pd.read_csv(DATA / "regions.csv").set_index("region_id")["sovereignty_bloc"].to_dict()

VOICE = Workload("voice", 200.0, 1, 150.0)  # round trip <= 50 ms
CHAT = Workload("chat", 1000.0, 1, 300.0)  # round trip <= 700 ms: anywhere
SLOW = Workload("slow", 100.0, 1, 150.0)  # compute alone exceeds the target: nothing, not even cloud, meets it


def demand_frame(*rows: tuple[str, str, float, float]) -> pd.DataFrame:
    """Demand items (region, workload, MW, regulated share), each in its region's bloc of data/regions.csv."""
    frame = pd.DataFrame(list(rows), columns=["region", "workload", "mw", "regulated_share"])
    return frame.assign(bloc=[BLOC[r] for r in frame["region"]])


def site_frame(**sites: tuple[str, float, float, float]) -> pd.DataFrame:
    """Candidate sites by id: (region, max MW, fixed USD/year, USD/MW-year), each in its region's bloc."""
    frame = pd.DataFrame.from_dict(sites, orient="index", columns=["region", "max_mw", "fixed_usd_per_year", "usd_per_mw_year"])
    return frame.assign(bloc=[BLOC[r] for r in frame["region"]])[["region", "bloc", "max_mw", "fixed_usd_per_year", "usd_per_mw_year"]]


def served(p: Placement, n_items: int, regulated: bool | None = None) -> np.ndarray:
    """MW that sites serve per item (all flows, or only the regulated or unregulated ones)."""
    flows = p.flows if regulated is None else p.flows[p.flows["regulated"] == regulated]
    return flows.groupby("item")["mw"].sum().reindex(range(n_items), fill_value=0.0).to_numpy(float)


def check_placement(p: Placement, demand: pd.DataFrame, sites: pd.DataFrame, workloads: list[Workload], cloud) -> None:
    """Everything a placement must satisfy, checked from its tables and :func:`feasibility`."""
    k = len(demand)
    mw, share = demand["mw"].to_numpy(float), demand["regulated_share"].to_numpy(float)
    cloud_mw = p.cloud["cloud_mw"].to_numpy(float)
    # all demand served: flows plus cloud, per item; regulated flows within the regulated share
    np.testing.assert_allclose(served(p, k) + cloud_mw, mw, rtol=1e-9, atol=1e-6)
    assert np.all(served(p, k, regulated=True) <= mw * share + 1e-6)
    assert np.all(served(p, k, regulated=False) <= mw * (1.0 - share) + 1e-6)
    assert np.all(cloud_mw >= -1e-9)
    assert p.cloud[["region", "workload"]].to_numpy().tolist() == demand[["region", "workload"]].to_numpy().tolist()
    # every flow meets its item's target, and a regulated flow stays in the item's bloc
    table = feasibility(demand, sites, workloads, RTT).set_index(["item", "site"])
    assert np.all(p.flows["mw"] > 0)
    for item, site, regulated in zip(p.flows["item"], p.flows["site"], p.flows["regulated"], strict=True):
        assert table.loc[(item, site), "meets_target"], (item, site)
        if regulated:
            assert table.loc[(item, site), "same_bloc"], (item, site)
    # cloud only where it is priced and fast enough
    by_name = {w.name: w for w in workloads}
    for workload, c in zip(demand["workload"], cloud_mw, strict=True):
        allowed = cloud is not None and by_name[workload].compute_ms <= by_name[workload].target_ms
        assert allowed or c <= 1e-9
    # capacity: within the maximum, nothing at an unbuilt site, flows within the built MW
    assert list(p.sites.index) == list(sites.index)
    assert np.all(p.sites["mw"] <= sites["max_mw"] * (1 + 1e-9) + 1e-9)
    assert np.all(p.sites["mw"] >= -1e-9)
    unbuilt = ~p.sites["built"].astype(bool)
    assert np.all(p.sites.loc[unbuilt, "mw"] == 0.0)
    assert np.all(p.sites.loc[unbuilt, "cost_usd_per_year"] == 0.0)
    at_site = p.flows.groupby("site")["mw"].sum().reindex(sites.index, fill_value=0.0)
    assert np.all(at_site <= p.sites["mw"] + 1e-6)
    # the cost is the sites' fixed and per-MW costs plus cloud
    built = p.sites["built"].astype(bool)
    site_cost = np.where(built, sites["fixed_usd_per_year"] + sites["usd_per_mw_year"] * p.sites["mw"], 0.0)
    np.testing.assert_allclose(p.sites["cost_usd_per_year"], site_cost, rtol=1e-12)
    cloud_cost = float(np.sum(cloud_mw * cloud)) if cloud is not None else 0.0
    assert p.cost_usd_per_year == pytest.approx(site_cost.sum() + cloud_cost, rel=1e-7, abs=1e-3)
    # the scenario's sites: exactly the built ones that hold capacity, with their MW
    assert p.scenario_sites() == {str(s): {"it_mw": float(m)} for s, m in p.sites.loc[built & (p.sites["mw"] > 0), "mw"].items()}


# Feasibility by hand ---------------------------------------------------------------------------


def test_feasibility_is_round_trips_times_rtt_plus_compute_against_the_target():
    demand = demand_frame(("us-east-va", "voice", 10.0, 0.0), ("de-fra", "agent", 5.0, 1.0))
    sites = site_frame(tx=("us-central-tx", 50.0, 0.0, 1.0), dub=("ie-dub", 50.0, 0.0, 1.0))
    agent = Workload("agent", 300.0, 3, 200.0)  # three sequential calls: round trip <= 33.3 ms
    table = feasibility(demand, sites, [VOICE, agent], RTT)
    assert list(table.columns) == ["item", "site", "latency_ms", "meets_target", "same_bloc"]
    assert table[["item", "site"]].to_numpy().tolist() == [[0, "tx"], [0, "dub"], [1, "tx"], [1, "dub"]]
    # va-tx 35.5 ms, va-dub 72 ms, fra-tx 123 ms, fra-dub 26.5 ms
    assert table["latency_ms"].tolist() == [35.5 + 150.0, 72.0 + 150.0, 3 * 123.0 + 200.0, 3 * 26.5 + 200.0]
    assert table["meets_target"].tolist() == [True, False, False, True]
    assert table["same_bloc"].tolist() == [True, False, False, True]


def test_a_latency_exactly_at_the_target_meets_it():
    demand = demand_frame(("us-east-va", "edge", 1.0, 0.0))
    sites = site_frame(tx=("us-central-tx", 5.0, 0.0, 1.0))
    at = Workload("edge", 2 * 35.5 + 29.0, 2, 29.0)
    assert feasibility(demand, sites, [at], RTT)["meets_target"].tolist() == [True]
    below = Workload("edge", 2 * 35.5 + 28.999, 2, 29.0)
    assert feasibility(demand, sites, [below], RTT)["meets_target"].tolist() == [False]


# The least-cost placement by hand --------------------------------------------------------------


def test_the_docstring_case_by_hand():
    # chat from Virginia (60 MW, unregulated) and Frankfurt (30 MW, all regulated in the EU):
    # Texas serves Virginia at 5 + 60 x 1.0, Dublin serves Frankfurt at 5 + 30 x 1.2 [USD M/year]; cloud at 2.0 is dearer
    demand = pd.DataFrame(
        {
            "region": ["us-east-va", "de-fra"],
            "workload": ["chat", "chat"],
            "mw": [60.0, 30.0],
            "regulated_share": [0.0, 1.0],
            "bloc": ["US", "EU"],
        }
    )
    sites = site_frame(tx=("us-central-tx", 200.0, 5e6, 1e6), dublin=("ie-dub", 100.0, 5e6, 1.2e6))
    workloads = [Workload("chat", 1000.0, 2, 400.0)]
    for solver in (place, place_exhaustive):
        p = solver(demand, sites, workloads, RTT, cloud_usd_per_mw_year=2e6)
        assert p.sites["mw"].tolist() == pytest.approx([60.0, 30.0])
        assert p.cost_usd_per_year == pytest.approx(5e6 + 60e6 + 5e6 + 36e6, rel=1e-9)
        assert p.cloud["cloud_mw"].tolist() == pytest.approx([0.0, 0.0], abs=1e-9)
        check_placement(p, demand, sites, workloads, 2e6)


@pytest.mark.parametrize(
    ("cloud", "expected_site_mw", "expected_cloud_mw", "expected_cost"),
    [
        (None, [10.0, 0.0], 0.0, 5e6 + 10 * 1e6),  # A: 15 against B: 16 (and 1 USD)
        (1.55e6, [10.0, 0.0], 0.0, 15e6),  # cloud 15.5 is dearer than A
        (1.4e6, [0.0, 0.0], 10.0, 14e6),  # cloud 14 is the cheapest
    ],
)
def test_a_fixed_cost_is_weighed_against_a_dearer_mw_and_cloud(cloud, expected_site_mw, expected_cloud_mw, expected_cost):
    demand = demand_frame(("us-east-va", "chat", 10.0, 0.0))
    sites = site_frame(a=("us-central-tx", 50.0, 5e6, 1e6), b=("us-west-or", 50.0, 1.0, 1.6e6))
    for solver in (place, place_exhaustive):
        p = solver(demand, sites, [CHAT], RTT, cloud)
        assert p.sites["mw"].tolist() == pytest.approx(expected_site_mw, abs=1e-9)
        assert p.sites["built"].tolist() == [m > 0 for m in expected_site_mw]
        assert float(p.cloud["cloud_mw"].iloc[0]) == pytest.approx(expected_cloud_mw, abs=1e-9)
        assert p.cost_usd_per_year == pytest.approx(expected_cost, rel=1e-9)


def test_capacity_splits_demand_across_sites_and_cloud():
    # 100 MW of chat; the cheap site holds 30, the dear one 40; the rest goes to cloud
    demand = demand_frame(("us-east-va", "chat", 100.0, 0.0))
    sites = site_frame(cheap=("us-central-tx", 30.0, 0.0, 1e6), dear=("us-west-or", 40.0, 0.0, 1.5e6))
    p = place(demand, sites, [CHAT], RTT, 2e6)
    assert p.sites["mw"].tolist() == pytest.approx([30.0, 40.0])
    assert float(p.cloud["cloud_mw"].iloc[0]) == pytest.approx(30.0)
    assert p.cost_usd_per_year == pytest.approx(30e6 + 60e6 + 60e6)
    check_placement(p, demand, sites, [CHAT], 2e6)
    # without cloud, the sites cannot hold it
    with pytest.raises(
        ValueError, match=r"place: the program has no solution \(a site's maximum MW cannot hold the demand it alone can serve\)"
    ):
        place(demand, sites, [CHAT], RTT)
    with pytest.raises(ValueError, match=r"place_exhaustive: no subset of sites serves the demand"):
        place_exhaustive(demand, sites, [CHAT], RTT)


def test_forced_sites_are_built_and_pay_their_fixed_cost():
    demand = demand_frame(("us-east-va", "chat", 10.0, 0.0))
    sites = site_frame(a=("us-central-tx", 50.0, 5e6, 1e6), b=("us-west-or", 50.0, 2e6, 1.6e6))
    free = place(demand, sites, [CHAT], RTT)
    assert free.sites["built"].tolist() == [True, False]
    assert free.cost_usd_per_year == pytest.approx(5e6 + 10e6)  # A: 15 against B: 18
    # forcing B: it pays its fixed 2, and A still serves the 10 MW at 15 (B's would cost 16)
    forced = place(demand, sites, [CHAT], RTT, None, built=["b"])
    assert forced.sites["built"].tolist() == [True, True]
    assert forced.sites["mw"].tolist() == pytest.approx([10.0, 0.0], abs=1e-9)
    assert forced.cost_usd_per_year == pytest.approx(2e6 + 5e6 + 10e6)
    check_placement(forced, demand, sites, [CHAT], None)
    everywhere = place(demand, sites, [CHAT], RTT, None, built=list(sites.index))
    assert everywhere.sites["built"].tolist() == [True, True]
    assert everywhere.cost_usd_per_year == pytest.approx(forced.cost_usd_per_year)
    with pytest.raises(ValueError, match=re.escape("built: ['zz'] are not candidate sites; sites: ['a', 'b']")):
        place(demand, sites, [CHAT], RTT, None, built=["a", "zz"])


# Infeasibility, and cloud as the fallback ------------------------------------------------------

SITES_VA_DUB = site_frame(va=("us-east-va", 100.0, 1e6, 1e6), dub=("ie-dub", 100.0, 1e6, 1.2e6))
UNREACHABLE = demand_frame(
    ("jp-tok", "voice", 10.0, 0.0),  # voice from Tokyo: Virginia at 162 + 150, Dublin at 226 + 150
    ("kr-seo", "chat", 20.0, 0.5),  # chat from Seoul: Virginia meets the target, but no site is in bloc KR
    ("us-east-va", "chat", 5.0, 1.0),  # fine
)


@pytest.mark.parametrize("solver", [place, place_exhaustive])
def test_a_target_no_site_meets_raises_listing_each_item_and_why(solver):
    message = (
        "demand cannot be served within its targets and blocs:\n"
        "  - jp-tok/voice (10 MW): the nearest site (va) takes 312 ms against a target of 200 ms, and no cloud fallback is allowed\n"
        "  - kr-seo/chat (20 MW): no site of bloc KR meets the 1000 ms target for its regulated share, and no cloud fallback is allowed"
    )
    with pytest.raises(ValueError, match="^" + re.escape(message) + "$"):
        solver(UNREACHABLE, SITES_VA_DUB, [VOICE, CHAT], RTT)
    # cloud priced only in Seoul: Tokyo's voice is still refused, alone
    only_seoul = "demand cannot be served within its targets and blocs:\n  - jp-tok/voice (10 MW): the nearest site (va) takes 312 ms"
    with pytest.raises(ValueError, match="^" + re.escape(only_seoul)):
        solver(UNREACHABLE, SITES_VA_DUB, [VOICE, CHAT], RTT, {"kr-seo": 2e6})


def test_an_in_bloc_site_that_is_too_far_cannot_take_the_regulated_share():
    # voice at 170 ms from Dublin: London (UK bloc, 12.5 ms) meets it, Frankfurt (EU, 26.5 ms) does not
    tight = Workload("voice", 170.0, 1, 150.0)
    demand = demand_frame(("ie-dub", "voice", 8.0, 0.5))
    sites = site_frame(lon=("uk-lon", 50.0, 0.0, 1e6), fra=("de-fra", 50.0, 0.0, 1e6))
    message = (
        "demand cannot be served within its targets and blocs:\n"
        "  - ie-dub/voice (8 MW): no site of bloc EU meets the 170 ms target for its regulated share, and no cloud fallback is allowed"
    )
    with pytest.raises(ValueError, match="^" + re.escape(message) + "$"):
        place(demand, sites, [tight], RTT)
    # with cloud, the regulated 4 MW go to cloud in Dublin and the other 4 to London
    p = place(demand, sites, [tight], RTT, 3e6)
    assert float(p.cloud["cloud_mw"].iloc[0]) == pytest.approx(4.0)
    assert p.flows[["site", "mw", "regulated"]].to_numpy().tolist() == [["lon", pytest.approx(4.0), False]]


def test_compute_beyond_the_target_cannot_be_served_even_by_cloud():
    demand = demand_frame(("us-east-va", "slow", 3.0, 0.0))
    message = (
        "demand cannot be served within its targets and blocs:\n"
        "  - us-east-va/slow (3 MW): the nearest site (va) takes 150 ms against a target of 100 ms, "
        "and cloud in the region cannot meet it either (compute alone exceeds it)"
    )
    with pytest.raises(ValueError, match="^" + re.escape(message) + "$"):
        place(demand, SITES_VA_DUB, [SLOW], RTT, 2e6)


def test_with_a_cloud_price_the_unreachable_demand_goes_to_cloud():
    p = place(UNREACHABLE, SITES_VA_DUB, [VOICE, CHAT], RTT, 2e6)
    # Tokyo's voice all to cloud, Seoul's regulated half to cloud, its other half and Virginia's chat to Virginia
    assert p.cloud["cloud_mw"].tolist() == pytest.approx([10.0, 10.0, 0.0], abs=1e-9)
    assert (p.cloud["cloud_mw"] > 0).sum() == 2
    assert p.sites["mw"].tolist() == pytest.approx([15.0, 0.0], abs=1e-9)
    assert p.sites["built"].tolist() == [True, False]
    assert p.cost_usd_per_year == pytest.approx(1e6 + 15e6 + 20 * 2e6)
    check_placement(p, UNREACHABLE, SITES_VA_DUB, [VOICE, CHAT], 2e6)
    assert place_exhaustive(UNREACHABLE, SITES_VA_DUB, [VOICE, CHAT], RTT, 2e6).cost_usd_per_year == pytest.approx(p.cost_usd_per_year)


def test_a_cloud_price_by_region_prices_each_item_in_its_own_region():
    demand = demand_frame(("us-east-va", "chat", 10.0, 0.0), ("de-fra", "chat", 10.0, 0.0))
    sites = site_frame(tx=("us-central-tx", 100.0, 0.0, 1.5e6))
    p = place(demand, sites, [CHAT], RTT, {"us-east-va": 1e6, "de-fra": 2e6})
    # Virginia's cloud is cheaper than Texas, Frankfurt's is dearer
    assert p.cloud["cloud_mw"].tolist() == pytest.approx([10.0, 0.0], abs=1e-9)
    assert p.cost_usd_per_year == pytest.approx(10e6 + 15e6)


# Blocs -----------------------------------------------------------------------------------------


def test_removing_a_blocs_only_site_forces_cloud_for_its_regulated_demand():
    # Frankfurt: 30 MW of chat, 40 % regulated in the EU; Virginia: 20 MW, all regulated in the US
    demand = demand_frame(("de-fra", "chat", 30.0, 0.4), ("us-east-va", "chat", 20.0, 1.0))
    sites = site_frame(dub=("ie-dub", 100.0, 1e6, 1.2e6), va=("us-east-va", 100.0, 1e6, 1e6))
    p = place(demand, sites, [CHAT], RTT, 3e6)
    # Dublin takes the EU's regulated 12 MW, cheaper Virginia the other 18 and its own 20
    assert p.sites["mw"].tolist() == pytest.approx([12.0, 38.0])
    assert p.cloud["cloud_mw"].tolist() == pytest.approx([0.0, 0.0], abs=1e-9)
    regulated = p.flows[p.flows["regulated"]].groupby("site")["mw"].sum()
    assert regulated.to_dict() == {"dub": pytest.approx(12.0), "va": pytest.approx(20.0)}
    assert p.cost_usd_per_year == pytest.approx(2e6 + 12 * 1.2e6 + 38e6)
    check_placement(p, demand, sites, [CHAT], 3e6)

    without = sites.drop(index="dub")
    q = place(demand, without, [CHAT], RTT, 3e6)
    # the EU's regulated 12 MW now appear as cloud in Frankfurt; the unregulated 18 stay in Virginia
    assert q.cloud["cloud_mw"].tolist() == pytest.approx([30.0 * 0.4, 0.0], abs=1e-9)
    assert q.sites["mw"].tolist() == pytest.approx([38.0])
    assert q.cost_usd_per_year == pytest.approx(1e6 + 38e6 + 12 * 3e6)
    check_placement(q, demand, without, [CHAT], 3e6)
    assert place_exhaustive(demand, without, [CHAT], RTT, 3e6).cost_usd_per_year == pytest.approx(q.cost_usd_per_year)
    # and without cloud it is refused, naming the bloc
    with pytest.raises(
        ValueError, match=re.escape("de-fra/chat (30 MW): no site of bloc EU meets the 1000 ms target for its regulated share")
    ):
        place(demand, without, [CHAT], RTT)


# The optimizer against exhaustive search on random small instances ----------------------------

WORLDS = [
    ["us-east-va", "us-central-tx", "us-west-or", "ca-east-qc", "mx-qro", "br-sp"],
    ["ie-dub", "uk-lon", "fr-par", "de-fra", "se-sto", "no-osl", "is-kef"],
    ["jp-tok", "kr-seo", "sg-sin", "my-jhr", "id-jkt", "au-syd", "in-mum"],
    REGIONS,
]


@st.composite
def instances(draw):
    """3-6 candidate sites and 2-5 demand items around one part of the world (or all of it), with random workloads."""
    world = draw(st.sampled_from(WORLDS))
    regions = st.sampled_from(world)
    n_workloads = draw(st.integers(1, 3))
    workloads = []
    for i in range(n_workloads):
        trips = draw(st.integers(1, 4))
        compute = draw(st.floats(0.0, 400.0))
        reach = draw(st.floats(10.0, 250.0))  # the farthest round trip that meets the target [ms]
        workloads.append(Workload(f"w{i}", compute + trips * reach, trips, compute))
    n_sites = draw(st.integers(3, 6))
    site_regions = [draw(regions) for _ in range(n_sites)]
    sites = pd.DataFrame(
        {
            "region": site_regions,
            "bloc": [BLOC[r] for r in site_regions],
            "max_mw": [draw(st.floats(1.0, 80.0)) for _ in range(n_sites)],
            "fixed_usd_per_year": [draw(st.one_of(st.just(0.0), st.floats(0.0, 3e7))) for _ in range(n_sites)],
            "usd_per_mw_year": [draw(st.floats(2e5, 3e6)) for _ in range(n_sites)],
        },
        index=[f"s{i}" for i in range(n_sites)],
    )
    n_items = draw(st.integers(2, 5))
    item_regions = [draw(regions) for _ in range(n_items)]
    demand = pd.DataFrame(
        {
            "region": item_regions,
            "workload": [draw(st.sampled_from([w.name for w in workloads])) for _ in range(n_items)],
            "mw": [draw(st.floats(0.5, 40.0)) for _ in range(n_items)],
            "regulated_share": [draw(st.one_of(st.just(0.0), st.just(1.0), st.floats(0.0, 1.0))) for _ in range(n_items)],
            "bloc": [BLOC[r] for r in item_regions],
        }
    )
    cloud = draw(st.one_of(st.none(), st.floats(5e5, 5e6)))
    return demand, sites, workloads, cloud


def attempt(solver, *args) -> tuple[Placement | None, str | None]:
    """The placement, or the message of the ValueError that refused it."""
    try:
        return solver(*args), None
    except ValueError as error:
        return None, str(error)


@settings(max_examples=40)
@given(instances())
def test_the_milp_matches_exhaustive_search(instance):
    demand, sites, workloads, cloud = instance
    fast, refused = attempt(place, demand, sites, workloads, RTT, cloud)
    slow, refused_too = attempt(place_exhaustive, demand, sites, workloads, RTT, cloud)
    if refused is not None:
        # the same demand is refused by both: for the same reasons when it is a target or a bloc, else for capacity
        if refused.startswith("demand cannot be served"):
            assert refused_too == refused
        else:
            assert refused.startswith("place: the program has no solution")
            assert refused_too == "place_exhaustive: no subset of sites serves the demand"
        return
    assert refused_too is None, refused_too
    assert fast.cost_usd_per_year == pytest.approx(slow.cost_usd_per_year, rel=1e-7)
    check_placement(fast, demand, sites, workloads, cloud)
    check_placement(slow, demand, sites, workloads, cloud)


def test_random_instances_are_mostly_feasible_and_match_exhaustive_search():
    """A seeded run of the same check that counts its feasible instances, so the property above is not vacuous."""
    rng = np.random.default_rng(14)
    workloads = [VOICE, CHAT, Workload("agent", 900.0, 4, 300.0)]  # agent: round trip <= 150 ms
    feasible = 0
    for _ in range(15):
        n_sites, n_items = int(rng.integers(3, 7)), int(rng.integers(2, 6))
        site_regions = rng.choice(REGIONS, n_sites).tolist()
        sites = pd.DataFrame(
            {
                "region": site_regions,
                "bloc": [BLOC[r] for r in site_regions],
                "max_mw": rng.uniform(5.0, 60.0, n_sites),
                "fixed_usd_per_year": rng.choice([0.0, 1e6, 5e6, 2e7], n_sites),
                "usd_per_mw_year": rng.uniform(5e5, 2e6, n_sites),
            },
            index=[f"s{i}" for i in range(n_sites)],
        )
        item_regions = rng.choice(REGIONS, n_items).tolist()
        demand = pd.DataFrame(
            {
                "region": item_regions,
                "workload": rng.choice(["voice", "chat", "agent"], n_items),
                "mw": rng.uniform(1.0, 30.0, n_items),
                "regulated_share": rng.choice([0.0, 0.3, 1.0], n_items),
                "bloc": [BLOC[r] for r in item_regions],
            }
        )
        cloud = None if rng.random() < 0.25 else float(rng.uniform(1.5e6, 4e6))
        fast, refused = attempt(place, demand, sites, workloads, RTT, cloud)
        slow, refused_too = attempt(place_exhaustive, demand, sites, workloads, RTT, cloud)
        assert (refused is None) == (refused_too is None), (refused, refused_too)
        if refused is not None:
            continue
        feasible += 1
        assert fast.cost_usd_per_year == pytest.approx(slow.cost_usd_per_year, rel=1e-7)
        check_placement(fast, demand, sites, workloads, cloud)
        check_placement(slow, demand, sites, workloads, cloud)
    assert feasible >= 8  # (9 of the 15: the rest are refused by both, checked above)


# Region loss -----------------------------------------------------------------------------------

TIGHT_VOICE = Workload("voice", 160.0, 1, 120.0)  # round trip <= 40 ms: from Virginia, only Virginia of the two sites
LOSS_DEMAND = demand_frame(("us-east-va", "voice", 10.0, 0.0), ("de-fra", "chat", 20.0, 0.5))
LOSS_SITES = site_frame(va=("us-east-va", 100.0, 0.0, 1.0e6), dub=("ie-dub", 100.0, 0.0, 1.2e6))


def test_losing_the_region_that_holds_all_the_capacity_some_demand_can_use_leaves_it_unserved():
    p = place(LOSS_DEMAND, LOSS_SITES, [TIGHT_VOICE, CHAT], RTT)
    # Virginia: its voice (10) and Frankfurt's unregulated chat (10, cheaper there); Dublin: the EU's regulated 10
    assert p.sites["mw"].tolist() == pytest.approx([20.0, 10.0])
    loss = region_loss(p, LOSS_DEMAND, LOSS_SITES, [TIGHT_VOICE, CHAT], RTT)
    assert loss.index.name == "lost_region"
    assert list(loss.index) == ["ie-dub", "us-east-va"]
    assert list(loss.columns) == ["lost_mw", "served_share", "unserved_mw"]
    # without Dublin: Virginia's 20 MW still serve the voice and the unregulated chat; the regulated 10 have no EU site
    assert loss.loc["ie-dub"].tolist() == pytest.approx([10.0, 20.0 / 30.0, 10.0])
    # without Virginia: nothing else serves its voice (Dublin takes 72 + 120 ms); Dublin's 10 MW serve 10 of the chat
    assert loss.loc["us-east-va"].tolist() == pytest.approx([20.0, 10.0 / 30.0, 20.0])


def hand_placement(mw: dict[str, float]) -> Placement:
    sites = pd.DataFrame({"built": [m > 0 for m in mw.values()], "mw": list(mw.values()), "cost_usd_per_year": 0.0}, index=list(mw))
    return Placement(sites, pd.DataFrame(), pd.DataFrame(), 0.0)


@pytest.mark.parametrize(
    ("mw", "expected"),
    [
        # 30 MW at each: either one alone serves all 25 MW of demand within the target
        ({"va": 30.0, "tx": 30.0}, {"us-central-tx": [30.0, 1.0, 0.0], "us-east-va": [30.0, 1.0, 0.0]}),
        # 15 at each: either one alone serves 15 of the 25
        ({"va": 15.0, "tx": 15.0}, {"us-central-tx": [15.0, 0.6, 10.0], "us-east-va": [15.0, 0.6, 10.0]}),
        # 25 in Texas, 10 in Virginia: losing Virginia leaves enough, losing Texas leaves 10 of 25
        ({"va": 10.0, "tx": 25.0}, {"us-central-tx": [25.0, 0.4, 15.0], "us-east-va": [10.0, 1.0, 0.0]}),
    ],
)
def test_losing_a_region_whose_demand_is_served_elsewhere_within_target(mw, expected):
    demand = demand_frame(("us-east-va", "chat", 10.0, 0.5), ("us-central-tx", "chat", 15.0, 1.0))
    sites = site_frame(va=("us-east-va", 50.0, 0.0, 1.0), tx=("us-central-tx", 50.0, 0.0, 1.0))
    loss = region_loss(hand_placement(mw), demand, sites, [CHAT], RTT)
    assert {r: row.tolist() for r, row in loss.iterrows()} == {r: pytest.approx(v) for r, v in expected.items()}


def test_region_loss_counts_only_owned_capacity_not_cloud():
    # a placement that used cloud for part of the demand: losing a region whose site was idle leaves the cloud part unserved
    demand = demand_frame(("us-east-va", "chat", 10.0, 0.0))
    sites = site_frame(tx=("us-central-tx", 6.0, 0.0, 1e6))
    p = place(demand, sites, [CHAT], RTT, 2e6)
    assert float(p.cloud["cloud_mw"].iloc[0]) == pytest.approx(4.0)
    loss = region_loss(p, demand, sites, [CHAT], RTT)
    assert loss.loc["us-central-tx"].tolist() == pytest.approx([6.0, 0.0, 10.0])


# Bad input -------------------------------------------------------------------------------------

GOOD_DEMAND = demand_frame(("us-east-va", "chat", 10.0, 0.5))
GOOD_SITES = site_frame(va=("us-east-va", 50.0, 1.0, 1.0))


def solvers():
    return [
        pytest.param(lambda d, s, w, r: feasibility(d, s, w, r), id="feasibility"),
        pytest.param(lambda d, s, w, r: place(d, s, w, r, 1.0), id="place"),
        pytest.param(lambda d, s, w, r: place_exhaustive(d, s, w, r, 1.0), id="place_exhaustive"),
    ]


def tiny(values: list[list[float]]) -> pd.DataFrame:
    return pd.DataFrame(values, index=["us-east-va", "de-fra"], columns=["us-east-va", "de-fra"])


@pytest.mark.parametrize("solve", solvers())
@pytest.mark.parametrize(
    ("demand", "sites", "rtt", "message"),
    [
        (
            GOOD_DEMAND.assign(region="xx-nowhere"),
            GOOD_SITES,
            RTT,
            "demand: regions ['xx-nowhere'] are not in the round-trip table",
        ),
        (
            GOOD_DEMAND,
            pd.concat([GOOD_SITES, GOOD_SITES.set_axis(["moon"]).assign(region="moon-base")]),
            RTT,
            "sites: regions ['moon-base'] are not in the round-trip table",
        ),
        (
            GOOD_DEMAND,
            GOOD_SITES,
            tiny([[0.0, 90.0], [95.0, 0.0]]),
            "rtt_ms: the table must be symmetric [ms]; got us-east-va->de-fra 90 and de-fra->us-east-va 95",
        ),
        (
            GOOD_DEMAND,
            GOOD_SITES,
            tiny([[0.0, -90.0], [-90.0, 0.0]]),
            "rtt_ms: round trips must be finite and >= 0 [ms]; got us-east-va->de-fra ",
        ),
        (GOOD_DEMAND.assign(regulated_share=1.5), GOOD_SITES, RTT, "demand regulated_share: must be in [0, 1] [1]; got [1.5]"),
        (GOOD_DEMAND.assign(regulated_share=-0.1), GOOD_SITES, RTT, "demand regulated_share: must be in [0, 1] [1]; got [-0.1]"),
        (
            GOOD_DEMAND.drop(columns=["bloc"]),
            GOOD_SITES,
            RTT,
            "demand: columns ['bloc'] are missing; expected ['region', 'workload', 'mw', 'regulated_share', 'bloc']",
        ),
        (
            GOOD_DEMAND,
            GOOD_SITES.drop(columns=["max_mw", "usd_per_mw_year"]),
            RTT,
            "sites: columns ['max_mw', 'usd_per_mw_year'] are missing; "
            "expected ['region', 'bloc', 'max_mw', 'fixed_usd_per_year', 'usd_per_mw_year']",
        ),
        (GOOD_DEMAND.assign(workload="video"), GOOD_SITES, RTT, "demand: workloads ['video'] have no Workload; given ['chat']"),
        (GOOD_DEMAND.assign(mw=-1.0), GOOD_SITES, RTT, "demand mw: must be finite and >= 0 [MW]; got [-1.0]"),
        (GOOD_DEMAND, GOOD_SITES.assign(max_mw=np.nan), RTT, "sites max_mw: must be finite and >= 0 [MW]; got [nan]"),
        (
            GOOD_DEMAND,
            GOOD_SITES.assign(fixed_usd_per_year=-1.0),
            RTT,
            "sites fixed_usd_per_year: must be finite and >= 0 [USD/year]; got [-1.0]",
        ),
        (
            GOOD_DEMAND,
            GOOD_SITES.assign(usd_per_mw_year=-2.0),
            RTT,
            "sites usd_per_mw_year: must be finite and >= 0 [USD/MW-year]; got [-2.0]",
        ),
    ],
)
def test_bad_demand_sites_or_table_give_the_documented_error(solve, demand, sites, rtt, message):
    with pytest.raises(ValueError, match="^" + re.escape(message)):
        solve(demand, sites, [CHAT], rtt)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("voice", 0.0, 1, 150.0), "workloads['voice'].target_ms: must be finite and > 0 [ms]; got [0.0]"),
        (("voice", -200.0, 1, 150.0), "workloads['voice'].target_ms: must be finite and > 0 [ms]; got [-200.0]"),
        (("voice", np.inf, 1, 150.0), "workloads['voice'].target_ms: must be finite and > 0 [ms]; got [inf]"),
        (("voice", 200.0, 1, -1.0), "workloads['voice'].compute_ms: must be finite and >= 0 [ms]; got [-1.0]"),
        (("voice", 200.0, 0, 150.0), "workloads['voice'].round_trips: must be an integer >= 1; got 0"),
        (("voice", 200.0, -2, 150.0), "workloads['voice'].round_trips: must be an integer >= 1; got -2"),
        (("voice", 200.0, 1.5, 150.0), "workloads['voice'].round_trips: must be an integer >= 1; got 1.5"),
        (("voice", 200.0, True, 150.0), "workloads['voice'].round_trips: must be an integer >= 1; got True"),
    ],
)
def test_a_bad_workload_is_refused_naming_it(args, message):
    with pytest.raises(ValueError, match="^" + re.escape(message) + "$"):
        Workload(*args)


def test_a_workload_latency_is_round_trips_times_rtt_plus_compute():
    assert Workload("voice", 200.0, 1, 120.0).latency_ms(35.0) == 155.0
    assert Workload("agent", 10_000.0, np.int64(10), 5000.0).latency_ms(72.0) == 5720.0


def test_a_negative_cloud_price_is_refused():
    with pytest.raises(ValueError, match=re.escape("cloud_usd_per_mw_year: must be finite and >= 0 [USD/MW-year]; got [-5.0]")):
        place(GOOD_DEMAND, GOOD_SITES, [CHAT], RTT, -5.0)


def test_exhaustive_search_refuses_too_many_sites():
    sites = pd.concat([GOOD_SITES] * 13).set_axis([f"s{i}" for i in range(13)])
    with pytest.raises(
        ValueError, match=re.escape("sites: 13 candidate sites make 8,192 subsets, more than 2 ** limit = 4,096; use place()")
    ):
        place_exhaustive(GOOD_DEMAND, sites, [CHAT], RTT)


# Bugs these tests found, fixed ------------------------------------------------------------------------------------


@pytest.mark.parametrize("price", [-5.0, np.nan])
def test_a_bad_cloud_price_by_region_is_refused_like_a_scalar_one(price):
    with pytest.raises(ValueError, match=r"cloud_usd_per_mw_year"):
        place(GOOD_DEMAND, GOOD_SITES, [CHAT], RTT, {"us-east-va": price})


def test_a_nan_regulated_share_is_named():
    with pytest.raises(ValueError, match=re.escape("demand regulated_share: must be in [0, 1] [1]; got [nan]")):
        place(GOOD_DEMAND.assign(regulated_share=np.nan), GOOD_SITES, [CHAT], RTT, 1.0)


def test_region_loss_does_not_depend_on_the_order_of_the_sites_rows():
    p = place(LOSS_DEMAND, LOSS_SITES, [TIGHT_VOICE, CHAT], RTT)
    loss = region_loss(p, LOSS_DEMAND, LOSS_SITES.iloc[::-1], [TIGHT_VOICE, CHAT], RTT)
    # Dublin holds 10 MW and Virginia 20 (reversed, it reports 20 and 10)
    assert loss["lost_mw"].to_dict() == {"ie-dub": pytest.approx(10.0), "us-east-va": pytest.approx(20.0)}


def test_region_loss_without_built_sites_keeps_its_columns():
    demand = demand_frame(("us-east-va", "chat", 10.0, 0.0))
    sites = site_frame(tx=("us-central-tx", 50.0, 1e6, 1e6))
    p = place(demand, sites, [CHAT], RTT, 0.5e6)
    assert not p.sites["built"].any()
    loss = region_loss(p, demand, sites, [CHAT], RTT)
    assert list(loss.columns) == ["lost_mw", "served_share", "unserved_mw"]


@pytest.mark.parametrize(("fixed_b", "built"), [(0.0, None), (2e6, ["b"])])
def test_scenario_sites_lists_only_sites_with_capacity(fixed_b, built):
    demand = demand_frame(("us-east-va", "chat", 10.0, 0.0))
    sites = site_frame(a=("us-central-tx", 50.0, 5e6, 1e6), b=("us-west-or", 50.0, fixed_b, 1.6e6))
    p = place(demand, sites, [CHAT], RTT, None, built=built)
    assert p.sites["mw"].tolist() == pytest.approx([10.0, 0.0], abs=1e-9)
    assert all(entry["it_mw"] > 0 for entry in p.scenario_sites().values()), p.scenario_sites()


def test_building_everywhere_with_a_minimum_size_gives_every_site_capacity():
    demand = demand_frame(("us-east-va", "chat", 10.0, 0.0))
    sites = site_frame(a=("us-central-tx", 50.0, 5e6, 1e6), b=("us-west-or", 40.0, 2e6, 1.6e6))
    p = place(demand, sites, [CHAT], RTT, None, built=["a", "b"], min_built_share=0.25)
    assert p.sites["built"].tolist() == [True, True]
    assert p.sites["mw"].tolist() == pytest.approx([12.5, 10.0])  # each at a quarter of its maximum, though 10 MW of demand needs less
    with pytest.raises(ValueError, match=r"min_built_share: must be in \[0, 1\] \[1\]; got 1.5"):
        place(demand, sites, [CHAT], RTT, None, built=["a"], min_built_share=1.5)


def test_the_scenario_mix_is_its_workload_shares_and_sums_to_one():
    from econ.assumptions import ScenarioError, load_scenario
    from econ.placement import scenario_mix

    s = load_scenario("base", {"demand.agent_share": 0.3, "demand.batch_share": 0.2, "demand.realtime_share": 0.05})
    mix = scenario_mix(s)
    assert mix == pytest.approx({"voice": 0.05, "chat": 0.45, "agent": 0.3, "batch": 0.2})
    with pytest.raises(ScenarioError, match=r"demand.batch_share \+ demand.realtime_share \+ demand.agent_share = 1.1 \[1\] exceeds 1"):
        load_scenario("base", {"demand.agent_share": 0.92})
