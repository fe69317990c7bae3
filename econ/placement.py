"""Placement: which sites serve which demand within its latency target and bloc, and the least-cost sites (claims C06-C10, C18-C20).

Demand comes in items: a user region, a workload class and an amount [MW of serving
capacity], of which a regulated share must be served inside the region's sovereignty bloc.
A workload class (:class:`Workload`) makes ``round_trips`` sequential calls to the serving
region per request and computes for ``compute_ms``; a site can serve an item when
``round_trips x rtt(user region, site region) + compute_ms`` is within the class's target
(:func:`econ.latency.pipeline_latency_ms` with every call in one region), and its regulated
share only from a site in the same bloc. Cloud capacity in the user's own region is the
priced fallback (no inter-region hop, in-bloc by construction), or absent.

:func:`place` chooses which candidate sites to build and how many MW each gets so that all
demand is served within its targets and blocs at least annual cost: a fixed cost per site
built, a cost per MW-year at each site, and the cloud price per MW-year. It is a small
mixed-integer program (one binary per site) solved with SciPy's HiGHS interface
(``scipy.optimize.milp``; Huangfu & Hall, "Parallelizing the dual revised simplex method",
*Math. Prog. Comp.* 10, 2018); :func:`place_exhaustive` solves the linear program for every
subset of sites, the check on small cases.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import optimize, sparse

from econ.assumptions import Scenario
from econ.checks import MAX_LISTED, finite_array
from econ.latency import check_rtt

__all__ = [
    "Placement",
    "Workload",
    "candidate_sites",
    "feasibility",
    "place",
    "place_exhaustive",
    "region_loss",
    "scenario_mix",
    "workload_demand",
    "workloads",
]


@dataclass(frozen=True)
class Workload:
    """A latency class of requests.

    Attributes
    ----------
    name : str
        Class name (``"voice"``, ``"chat"``...).
    target_ms : float
        Latency target [ms], > 0.
    round_trips : int
        Sequential round trips to the serving region per request, >= 1.
    compute_ms : float
        Compute time of a request at the serving site [ms], >= 0.

    Examples
    --------
    >>> Workload("voice", 200.0, 1, 120.0).latency_ms(35.0)
    155.0
    """

    name: str
    target_ms: float
    round_trips: int
    compute_ms: float

    def __post_init__(self) -> None:
        finite_array(self.target_ms, f"workloads[{self.name!r}].target_ms", "ms", positive=True)
        finite_array(self.compute_ms, f"workloads[{self.name!r}].compute_ms", "ms")
        if isinstance(self.round_trips, bool) or not isinstance(self.round_trips, int | np.integer) or self.round_trips < 1:
            raise ValueError(f"workloads[{self.name!r}].round_trips: must be an integer >= 1; got {self.round_trips!r}")

    def latency_ms(self, rtt_ms: float) -> float:
        """``round_trips x rtt + compute`` [ms]."""
        return float(self.round_trips * rtt_ms + self.compute_ms)


def _check_inputs(demand: pd.DataFrame, sites: pd.DataFrame, workloads: Sequence[Workload], rtt: pd.DataFrame) -> dict[str, Workload]:
    for name, frame, columns in (
        ("demand", demand, ("region", "workload", "mw", "regulated_share", "bloc")),
        ("sites", sites, ("region", "bloc", "max_mw", "fixed_usd_per_year", "usd_per_mw_year")),
    ):
        missing = [c for c in columns if c not in frame]
        if missing:
            raise ValueError(f"{name}: columns {missing} are missing; expected {list(columns)}")
    by_name = {w.name: w for w in workloads}
    unknown = sorted(set(demand["workload"]) - set(by_name))
    if unknown:
        raise ValueError(f"demand: workloads {unknown[:MAX_LISTED]} have no Workload; given {sorted(by_name)}")
    for label, regions in (("demand", demand["region"]), ("sites", sites["region"])):
        missing_regions = sorted(set(regions) - set(rtt.index))
        if missing_regions:
            raise ValueError(f"{label}: regions {missing_regions[:MAX_LISTED]} are not in the round-trip table")
    finite_array(demand["mw"].to_numpy(float), "demand mw", "MW")
    share = demand["regulated_share"].to_numpy(float)
    bad = ~np.isfinite(share) | (share < 0) | (share > 1)
    if bad.any():
        raise ValueError(f"demand regulated_share: must be in [0, 1] [1]; got {share[bad][:MAX_LISTED].tolist()}")
    for col, unit in (("max_mw", "MW"), ("fixed_usd_per_year", "USD/year"), ("usd_per_mw_year", "USD/MW-year")):
        finite_array(sites[col].to_numpy(float), f"sites {col}", unit)
    return by_name


def feasibility(demand: pd.DataFrame, sites: pd.DataFrame, workloads: Sequence[Workload], rtt_ms: pd.DataFrame) -> pd.DataFrame:
    """For every demand item and candidate site: the latency, whether it meets the target, whether it is in-bloc.

    Parameters
    ----------
    demand : pandas.DataFrame
        One row per item: ``region``, ``workload``, ``mw`` [MW], ``regulated_share`` [1],
        ``bloc`` (the region's sovereignty bloc).
    sites : pandas.DataFrame
        Index site ids: ``region``, ``bloc``, ``max_mw`` [MW], ``fixed_usd_per_year``,
        ``usd_per_mw_year``.
    workloads : sequence of Workload
        The classes named in ``demand``.
    rtt_ms : pandas.DataFrame
        Region x region round trips [ms] (:func:`econ.latency.rtt_matrix`).

    Returns
    -------
    pandas.DataFrame
        One row per (item, site): ``item``, ``site``, ``latency_ms``, ``meets_target``, ``same_bloc``.

    Examples
    --------
    >>> from econ.latency import rtt_matrix
    >>> d = pd.DataFrame({"region": ["us-east-va"], "workload": ["voice"], "mw": [10.0], "regulated_share": [0.0], "bloc": ["US"]})
    >>> s = pd.DataFrame({"region": ["us-central-tx", "jp-tok"], "bloc": ["US", "JP"], "max_mw": [50.0, 50.0],
    ...                   "fixed_usd_per_year": [0.0, 0.0], "usd_per_mw_year": [1.0, 1.0]}, index=["tx", "tokyo"])
    >>> feasibility(d, s, [Workload("voice", 200.0, 1, 120.0)], rtt_matrix())["meets_target"].tolist()
    [True, False]
    """
    rtt = check_rtt(rtt_ms)
    by_name = _check_inputs(demand, sites, workloads, rtt)
    table = rtt.to_numpy(float)
    at = {r: i for i, r in enumerate(rtt.index)}
    site_regions, site_blocs = sites["region"].astype(str).tolist(), sites["bloc"].astype(str).tolist()
    rows = []
    for k, (region, workload, bloc) in enumerate(
        zip(*(demand[c].astype(str).tolist() for c in ("region", "workload", "bloc")), strict=True)
    ):
        w = by_name[workload]
        for site, site_region, site_bloc in zip(sites.index, site_regions, site_blocs, strict=True):
            latency = w.latency_ms(table[at[region], at[site_region]])
            rows.append(
                {"item": k, "site": site, "latency_ms": latency, "meets_target": latency <= w.target_ms, "same_bloc": site_bloc == bloc}
            )
    return pd.DataFrame(rows)


@dataclass(frozen=True)
class Placement:
    """What :func:`place` chose.

    Attributes
    ----------
    sites : pandas.DataFrame
        Index site ids: ``built`` (bool), ``mw`` [MW], ``cost_usd_per_year``.
    cloud : pandas.DataFrame
        Per demand item: ``region``, ``workload``, ``cloud_mw`` (served by cloud in the user's region).
    flows : pandas.DataFrame
        ``item``, ``site``, ``mw``, ``regulated`` (bool): which site serves which demand.
    cost_usd_per_year : float
        Sites' fixed and per-MW costs plus cloud.

    Examples
    --------
    >>> sites = pd.DataFrame({"built": [True], "mw": [10.0], "cost_usd_per_year": [5.0]}, index=["a"])
    >>> p = Placement(sites, pd.DataFrame(), pd.DataFrame(), 5.0)
    >>> p.cost_usd_per_year, p.scenario_sites()
    (5.0, {'a': {'it_mw': 10.0}})
    """

    sites: pd.DataFrame
    cloud: pd.DataFrame
    flows: pd.DataFrame
    cost_usd_per_year: float

    def scenario_sites(self) -> dict[str, dict[str, float]]:
        """The built sites as a scenario's ``build.sites`` mapping (``{site_id: {"it_mw": mw}}``).

        Examples
        --------
        >>> p = Placement(pd.DataFrame({"built": [True, False], "mw": [40.0, 0.0], "cost_usd_per_year": [1.0, 0.0]}, index=["a", "b"]),
        ...               pd.DataFrame(), pd.DataFrame(), 1.0)
        >>> p.scenario_sites()
        {'a': {'it_mw': 40.0}}
        """
        built = self.sites[self.sites["built"] & (self.sites["mw"] > 0)]  # a site with no MW is not a site to build
        return {str(s): {"it_mw": float(mw)} for s, mw in built["mw"].items()}


def _program(
    demand: pd.DataFrame,
    sites: pd.DataFrame,
    workloads: Sequence[Workload],
    rtt_ms: pd.DataFrame,
    cloud_usd_per_mw_year: float | Mapping[str, float] | None,
) -> tuple[pd.DataFrame, list[tuple[int, int, bool]], np.ndarray, np.ndarray]:
    """The flow variables allowed and each item's cloud price (inf: no cloud), with the infeasibility check."""
    table = feasibility(demand, sites, workloads, rtt_ms)
    by_name = {w.name: w for w in workloads}
    site_ids = list(sites.index)
    flows: list[tuple[int, int, bool]] = []
    for item, site, meets, same in zip(table["item"], table["site"], table["meets_target"], table["same_bloc"], strict=True):
        if meets:
            flows.append((int(item), site_ids.index(site), False))
            if same:
                flows.append((int(item), site_ids.index(site), True))
    regions, names, blocs = (demand[c].astype(str).tolist() for c in ("region", "workload", "bloc"))
    if cloud_usd_per_mw_year is None:
        price = np.full(len(demand), np.inf)
    elif isinstance(cloud_usd_per_mw_year, Mapping):
        given = finite_array(list(cloud_usd_per_mw_year.values()), "cloud_usd_per_mw_year", "USD/MW-year")
        by_region = dict(zip(map(str, cloud_usd_per_mw_year), given.tolist(), strict=True))
        price = np.array([by_region.get(r, np.inf) for r in regions])
    else:
        price = np.full(len(demand), float(finite_array(cloud_usd_per_mw_year, "cloud_usd_per_mw_year", "USD/MW-year")))
    cloud_ok = np.array([by_name[w].compute_ms <= by_name[w].target_ms for w in names]) & np.isfinite(price)
    mw, share = demand["mw"].to_numpy(float), demand["regulated_share"].to_numpy(float)
    problems = []
    for k in range(len(demand)):
        has_unreg = any(f[0] == k and not f[2] for f in flows) or bool(cloud_ok[k])
        has_reg = any(f[0] == k and f[2] for f in flows) or bool(cloud_ok[k])
        if (mw[k] * (1 - share[k]) > 0 and not has_unreg) or (mw[k] * share[k] > 0 and not has_reg):
            here = table[table["item"] == k]
            target = by_name[names[k]].target_ms
            if len(here) == 0:
                why = "there is no candidate site"
            elif has_unreg:
                why = f"no site of bloc {blocs[k]} meets the {target:g} ms target for its regulated share"
            else:
                nearest = int(np.argmin(here["latency_ms"].to_numpy()))
                site, took = here["site"].iloc[nearest], here["latency_ms"].iloc[nearest]
                why = f"the nearest site ({site}) takes {took:.0f} ms against a target of {target:g} ms"
            cloud = (
                "no cloud fallback is allowed"
                if not np.isfinite(price[k])
                else "cloud in the region cannot meet it either (compute alone exceeds it)"
            )
            problems.append(f"{regions[k]}/{names[k]} ({mw[k]:g} MW): {why}, and {cloud}")
    if problems:
        raise ValueError("demand cannot be served within its targets and blocs:\n  - " + "\n  - ".join(problems))
    return table, flows, np.where(cloud_ok, price, np.inf), mw


Solved = tuple[float, np.ndarray, np.ndarray, np.ndarray, np.ndarray]
"""Cost, sites built, MW, flows and cloud (unregulated then regulated) of a solved program."""


def _solve(
    demand: pd.DataFrame,
    sites: pd.DataFrame,
    flows: list[tuple[int, int, bool]],
    cloud_price: np.ndarray,
    fixed_built: np.ndarray | None,
    fixed_mw: np.ndarray | None = None,
    forced_on: np.ndarray | None = None,
    min_mw: np.ndarray | None = None,
) -> Solved | None:
    """The program: variables [y (S), x (S), flows (F), cloud unregulated (K), cloud regulated (K)]; None if infeasible."""
    n_s, n_f, n_k = len(sites), len(flows), len(demand)
    n = 2 * n_s + n_f + 2 * n_k
    fixed = sites["fixed_usd_per_year"].to_numpy(float)
    per_mw = sites["usd_per_mw_year"].to_numpy(float)
    cap = sites["max_mw"].to_numpy(float)
    price = np.where(np.isfinite(cloud_price), cloud_price, 0.0)
    c = np.concatenate([fixed, per_mw, np.zeros(n_f), price, price])
    entries: list[tuple[int, int, float]] = []  # (row, column, coefficient)
    lower: list[float] = []
    upper: list[float] = []
    mw = demand["mw"].to_numpy(float)
    share = demand["regulated_share"].to_numpy(float)
    for k in range(n_k):  # demand met, unregulated then regulated
        for regulated, need in ((False, mw[k] * (1 - share[k])), (True, mw[k] * share[k])):
            r = len(lower)
            entries += [(r, 2 * n_s + j, 1.0) for j, (item, _, reg) in enumerate(flows) if item == k and reg == regulated]
            entries.append((r, 2 * n_s + n_f + k + (n_k if regulated else 0), 1.0))
            lower.append(need)
            upper.append(need)
    for s in range(n_s):  # flows within capacity, capacity within the site's maximum if built
        r = len(lower)
        entries += [(r, 2 * n_s + j, 1.0) for j, (_, site, _) in enumerate(flows) if site == s]
        entries.append((r, n_s + s, -1.0))
        entries += [(r + 1, n_s + s, 1.0), (r + 1, s, -cap[s])]
        lower += [-np.inf, -np.inf]
        upper += [0.0, 0.0]
    rows, cols, vals = (list(v) for v in zip(*entries, strict=True))
    a = sparse.csr_array((vals, (rows, cols)), shape=(len(lower), n))
    lb, ub = np.zeros(n), np.full(n, np.inf)
    ub[:n_s] = 1.0
    cloud_cols = 2 * n_s + n_f + np.arange(2 * n_k)
    ub[cloud_cols] = np.where(np.isfinite(np.concatenate([cloud_price, cloud_price])), np.inf, 0.0)
    if fixed_built is not None:
        lb[:n_s] = ub[:n_s] = fixed_built.astype(float)
    if forced_on is not None:
        lb[:n_s] = np.maximum(lb[:n_s], forced_on.astype(float))
    if min_mw is not None:
        lb[n_s : 2 * n_s] = np.maximum(lb[n_s : 2 * n_s], min_mw)
    if fixed_mw is not None:
        lb[n_s : 2 * n_s] = ub[n_s : 2 * n_s] = fixed_mw
    integrality = np.zeros(n)
    integrality[:n_s] = 1 if fixed_built is None else 0
    result = optimize.milp(
        c, constraints=optimize.LinearConstraint(a, lower, upper), integrality=integrality, bounds=optimize.Bounds(lb, ub)
    )
    if not result.success or result.x is None:
        return None
    x = result.x
    return float(result.fun), x[:n_s] > 0.5, x[n_s : 2 * n_s], x[2 * n_s : 2 * n_s + n_f], x[2 * n_s + n_f :]


def _placement(demand: pd.DataFrame, sites: pd.DataFrame, flows: list[tuple[int, int, bool]], solved: Solved) -> Placement:
    cost, built, mw, flow, cloud = solved
    n_k = len(demand)
    fixed = sites["fixed_usd_per_year"].to_numpy(float)
    per_mw = sites["usd_per_mw_year"].to_numpy(float)
    built = built & ((mw > 1e-9) | (fixed > 0))  # a site with no MW and no fixed cost is not built (a tie the solver may flag)
    site_table = pd.DataFrame(
        {"built": built, "mw": np.where(built, mw, 0.0), "cost_usd_per_year": np.where(built, fixed + per_mw * mw, 0.0)}, index=sites.index
    )
    cloud_table = demand[["region", "workload"]].assign(cloud_mw=cloud[:n_k] + cloud[n_k:])
    flow_table = pd.DataFrame(
        [
            {"item": demand.index[k], "site": sites.index[s], "mw": float(v), "regulated": reg}
            for (k, s, reg), v in zip(flows, flow, strict=True)
            if v > 1e-9
        ],
        columns=["item", "site", "mw", "regulated"],
    )
    return Placement(site_table, cloud_table, flow_table, cost)


def place(
    demand: pd.DataFrame,
    sites: pd.DataFrame,
    workloads: Sequence[Workload],
    rtt_ms: pd.DataFrame,
    cloud_usd_per_mw_year: float | Mapping[str, float] | None = None,
    built: Sequence[str] | None = None,
    min_built_share: float = 0.0,
) -> Placement:
    """The least-cost sites and MW that serve all demand within its latency targets and blocs.

    Minimizes ``sum_s (F_s y_s + v_s x_s) + sum_k p_k cloud_k`` over site choices ``y_s`` in
    {0, 1} and capacities ``0 <= x_s <= M_s y_s``, with each item's unregulated demand served by
    sites that meet its target, its regulated share by such sites in its bloc, and the rest
    by cloud in its region at ``p_k`` (:func:`feasibility`).

    Parameters
    ----------
    demand, sites, workloads, rtt_ms
        As for :func:`feasibility`.
    cloud_usd_per_mw_year : float or mapping of region to float, optional
        Price of cloud capacity in the user's region [USD/MW-year]; None: no cloud.
    built : sequence of str, optional
        Site ids that must be built (each pays its fixed cost); the program still chooses
        their MW and the other sites. ``list(sites.index)`` is "build everywhere".
    min_built_share : float
        Each site in ``built`` gets at least this share of its ``max_mw`` [1], in [0, 1]: a
        site that is built holds capacity.

    Raises
    ------
    ValueError
        Listing every demand item that no site (and no cloud) can serve within its target and
        bloc, and why: never a silent drop.

    Examples
    --------
    >>> from econ.latency import rtt_matrix
    >>> d = pd.DataFrame({"region": ["us-east-va", "de-fra"], "workload": ["chat", "chat"], "mw": [60.0, 30.0],
    ...                   "regulated_share": [0.0, 1.0], "bloc": ["US", "EU"]})
    >>> s = pd.DataFrame({"region": ["us-central-tx", "ie-dub"], "bloc": ["US", "EU"], "max_mw": [200.0, 100.0],
    ...                   "fixed_usd_per_year": [5e6, 5e6], "usd_per_mw_year": [1e6, 1.2e6]}, index=["tx", "dublin"])
    >>> p = place(d, s, [Workload("chat", 1000.0, 2, 400.0)], rtt_matrix(), cloud_usd_per_mw_year=2e6)
    >>> p.sites["mw"].tolist(), round(p.cost_usd_per_year / 1e6, 1)
    ([60.0, 30.0], 106.0)
    """
    _, flows, price, _ = _program(demand, sites, workloads, rtt_ms, cloud_usd_per_mw_year)
    unknown = sorted(set(built or ()) - set(sites.index))
    if unknown:
        raise ValueError(f"built: {unknown[:MAX_LISTED]} are not candidate sites; sites: {list(sites.index)[:MAX_LISTED]}")
    forced = None if built is None else np.isin(np.asarray(sites.index), list(built))
    share = float(finite_array(min_built_share, "min_built_share", "1"))
    if share > 1:
        raise ValueError(f"min_built_share: must be in [0, 1] [1]; got {min_built_share!r}")
    floor = None if forced is None else np.where(forced, share * sites["max_mw"].to_numpy(float), 0.0)
    solved = _solve(demand, sites, flows, price, None, forced_on=forced, min_mw=floor)
    if solved is None:
        raise ValueError("place: the program has no solution (a site's maximum MW cannot hold the demand it alone can serve)")
    return _placement(demand, sites, flows, solved)


def place_exhaustive(
    demand: pd.DataFrame,
    sites: pd.DataFrame,
    workloads: Sequence[Workload],
    rtt_ms: pd.DataFrame,
    cloud_usd_per_mw_year: float | Mapping[str, float] | None = None,
    limit: int = 12,
) -> Placement:
    """:func:`place` by solving the linear program for every subset of sites (the check on small cases).

    Examples
    --------
    >>> from econ.latency import rtt_matrix
    >>> d = pd.DataFrame({"region": ["us-east-va"], "workload": ["chat"], "mw": [10.0], "regulated_share": [0.0], "bloc": ["US"]})
    >>> s = pd.DataFrame({"region": ["us-central-tx"], "bloc": ["US"], "max_mw": [20.0], "fixed_usd_per_year": [1.0],
    ...                   "usd_per_mw_year": [1.0]}, index=["tx"])
    >>> place_exhaustive(d, s, [Workload("chat", 1000.0, 1, 100.0)], rtt_matrix(), 5.0).cost_usd_per_year
    11.0
    """
    if len(sites) > limit:
        raise ValueError(
            f"sites: {len(sites)} candidate sites make {2 ** len(sites):,} subsets, more than 2 ** limit = {2**limit:,}; use place()"
        )
    _, flows, price, _ = _program(demand, sites, workloads, rtt_ms, cloud_usd_per_mw_year)
    best = None
    for subset in itertools.product([False, True], repeat=len(sites)):
        solved = _solve(demand, sites, flows, price, np.array(subset))
        if solved is not None and (best is None or solved[0] < best[0] - 1e-9):
            best = solved
    if best is None:
        raise ValueError("place_exhaustive: no subset of sites serves the demand")
    return _placement(demand, sites, flows, best)


def region_loss(
    placement: Placement, demand: pd.DataFrame, sites: pd.DataFrame, workloads: Sequence[Workload], rtt_ms: pd.DataFrame
) -> pd.DataFrame:
    """What survives the loss of each region with a built site, without building anything new (claim C19).

    The built capacity of the other sites is kept as placed and re-dispatched (a linear
    program with the site choices and MW fixed); what they cannot serve within its targets
    and blocs is unserved (no cloud: the question is what owned capacity alone still covers).

    Returns
    -------
    pandas.DataFrame
        Index the lost region: ``lost_mw`` (owned MW there), ``served_share`` (share of all
        demand the remaining owned capacity serves) and ``unserved_mw``.

    Examples
    --------
    >>> from econ.latency import rtt_matrix
    >>> d = pd.DataFrame({"region": ["us-east-va"], "workload": ["chat"], "mw": [10.0], "regulated_share": [0.0], "bloc": ["US"]})
    >>> s = pd.DataFrame({"region": ["us-central-tx", "us-east-va"], "bloc": ["US", "US"], "max_mw": [20.0, 20.0],
    ...                   "fixed_usd_per_year": [1.0, 1.0], "usd_per_mw_year": [1.0, 1.0]}, index=["tx", "va"])
    >>> w = [Workload("chat", 1000.0, 1, 100.0)]
    >>> p = Placement(pd.DataFrame({"built": [True, True], "mw": [10.0, 10.0], "cost_usd_per_year": [11.0, 11.0]}, index=["tx", "va"]),
    ...               pd.DataFrame(), pd.DataFrame(), 22.0)
    >>> region_loss(p, d, s, w, rtt_matrix())["served_share"].tolist()
    [1.0, 1.0]
    """
    built = placement.sites[placement.sites["built"]]
    total = float(demand["mw"].sum())
    placed = placement.sites["mw"].reindex(sites.index).fillna(0.0).to_numpy(float)  # by site id, whatever the rows' order
    rows: dict[str, dict[str, float]] = {}
    for region in sorted(set(sites.loc[built.index, "region"])):
        remaining = sites.copy()
        lost = (remaining["region"] == region).to_numpy()
        mw = np.where(lost, 0.0, placed)
        # served share: maximize what the fixed capacity serves, with an expensive penalty on the unserved (as cloud at a high price)
        _, flows, _, _ = _program(demand, remaining, workloads, rtt_ms, 1.0)
        penalty = np.full(len(demand), 1.0)
        free = remaining.assign(fixed_usd_per_year=0.0, usd_per_mw_year=0.0)
        solved = _solve(demand, free, flows, penalty, mw > 0, fixed_mw=mw)
        unserved = float(np.sum(solved[4])) if solved is not None else total
        rows[region] = {
            "lost_mw": float(placed[lost].sum()),
            "served_share": 1.0 - unserved / total if total > 0 else np.nan,
            "unserved_mw": unserved,
        }
    columns = ["lost_mw", "served_share", "unserved_mw"]
    return pd.DataFrame.from_dict(rows, orient="index", columns=columns).reindex(columns=columns).rename_axis("lost_region")


def candidate_sites(scenario: Scenario, fixed_usd_per_year: float) -> pd.DataFrame:
    """A scenario's candidate sites as placement sites: region, bloc, maximum MW and levelized cost per MW-year.

    The cost per MW-year of IT is the pre-tax levelized cost of owned capacity at the site
    (:func:`econ.hardware.capacity_cost_per_gpu_hour`: the frontier GPU at the decision date,
    the site's facility capex, PUE and power price, maintenance, staff, property tax and
    insurance, at the scenario's WACC and lives, at ``demand.provisioned_utilization``) times
    the GPUs a MW holds and 8,760 hours, plus water (``build.water_usd_per_mwh_it`` on the IT
    energy, as the build-versus-rent model charges it; the same price everywhere, since
    ``data/regions.csv`` scores water stress for four regions only). ``fixed_usd_per_year`` is
    what a site costs whatever its size (an assumption the caller states).

    Examples
    --------
    >>> from econ.assumptions import load_scenario
    >>> sites = candidate_sites(load_scenario("base"), 3e7)
    >>> list(sites.columns), bool((sites["usd_per_mw_year"] > 1e6).all())
    (['region', 'bloc', 'max_mw', 'fixed_usd_per_year', 'usd_per_mw_year'], True)
    """
    from econ.hardware import capacity_cost_per_gpu_hour
    from econ.inputs import inputs_from_scenario
    from econ.strategies import trajectory

    fixed = float(finite_array(fixed_usd_per_year, "fixed_usd_per_year", "USD/year"))
    inputs = inputs_from_scenario(scenario)
    path = trajectory(inputs)
    candidates = ~inputs.colocation
    price, kw = path.price_usd_per_gpu[0, 0], path.it_kw_per_gpu[0, 0]
    u = float(inputs["demand.provisioned_utilization"][0])
    idle = float(inputs["hardware.idle_power_share"][0])

    def site(field: str) -> np.ndarray:
        values: np.ndarray = inputs[field][0][candidates]
        return values

    cost = capacity_cost_per_gpu_hour(
        np.asarray(price),
        np.asarray(kw),
        extras_share=inputs.fleet_extras_share[0],
        rate_annual=inputs["finance.discount_rate_annual"][0],
        gpu_life_years=inputs["hardware.refresh_years"][0],
        residual_share=inputs["hardware.residual_share_per_year"][0] ** inputs["hardware.refresh_years"][0]
        * inputs["hardware.liquidation_share"][0],
        facility_usd_per_mw_it=site("site.capex_usd_per_mw_it") * (1.0 + inputs["build.development_share_of_capex"][0]),
        facility_life_years=inputs["build.facility_life_years"][0],
        maintenance_share_per_year=inputs["build.maintenance_share_of_capex_per_year"][0],
        pue=site("site.pue"),
        power_usd_per_mwh=site("site.power_price_usd_per_mwh"),
        load_share=np.asarray(idle + (1.0 - idle) * u),
        staff_usd_per_mw_year=inputs["build.staff_usd_per_mw_per_year"][0],
        staff_usd_per_gpu_year=inputs["build.staff_usd_per_gpu_per_year"][0],
        property_insurance_share_per_year=site("site.insurance_share_per_year") + site("site.gpu_property_tax_share_per_year"),
    )
    gpus_per_mw = 1000.0 / kw
    water_per_mw_year = float(inputs["build.water_usd_per_mwh_it"][0]) * 8760.0 * (idle + (1.0 - idle) * u)
    ids = [s for s, c in zip(inputs.site_ids, candidates, strict=True) if c]
    return pd.DataFrame(
        {
            "region": [str(scenario[f"build.sites.{s}.region_id"]) for s in ids],
            "bloc": [b for b, c in zip(inputs.site_blocs, candidates, strict=True) if c],
            "max_mw": site("site.it_mw"),
            "fixed_usd_per_year": fixed,
            "usd_per_mw_year": cost["total"] * gpus_per_mw * 8760.0 + water_per_mw_year,
        },
        index=pd.Index(ids, name="site_id"),
    )


def workload_demand(scenario: Scenario, total_mw: float, mix: Mapping[str, float]) -> pd.DataFrame:
    """Demand items from a scenario: ``total_mw`` split by bloc, region and workload class.

    By bloc as ``demand.bloc_shares``, evenly over each bloc's regions of ``data/regions.csv``,
    and by workload class as ``mix``; each item's regulated share is its bloc's
    ``demand.regulated_shares.<bloc>``, or ``demand.regulated_share`` where none is stated.

    Examples
    --------
    >>> from econ.assumptions import load_scenario
    >>> d = workload_demand(load_scenario("base"), 1000.0, {"chat": 0.8, "voice": 0.2})
    >>> round(float(d["mw"].sum()), 6), sorted(set(d["workload"]))
    (1000.0, ['chat', 'voice'])
    """
    from econ.assumptions.tables import load_table

    total = float(finite_array(total_mw, "total_mw", "MW"))
    shares = list(mix.values())
    if not shares or any(not (np.isfinite(x) and x >= 0) for x in shares) or abs(sum(shares) - 1.0) > 1e-9:
        raise ValueError(f"mix: workload shares must be >= 0 and sum to 1 [1]; got {dict(mix)}")
    regions = load_table("regions")
    blocs = scenario.bloc_shares
    default = float(scenario["demand.regulated_share"])
    rows = []
    for bloc, share in blocs.items():
        in_bloc = list(regions.index[regions["sovereignty_bloc"] == bloc])
        for region in in_bloc:
            for workload, w in mix.items():
                rows.append(
                    {
                        "region": region,
                        "workload": workload,
                        "mw": total * share * w / len(in_bloc),
                        "regulated_share": float(scenario.get(f"demand.regulated_shares.{bloc}", default) or 0.0),
                        "bloc": bloc,
                    }
                )
    return pd.DataFrame(rows)


def workloads(scenario: Scenario | None = None) -> list[Workload]:
    """The latency classes of ``data/latency_classes.csv`` (voice, chat, agent, batch), with their sourced targets.

    With a scenario, each class's target is the scenario's ``latency.<class>_target_ms`` (the
    table's by default, so a scenario or an override can tighten or loosen it).

    Examples
    --------
    >>> {w.name: w.target_ms for w in workloads()}["chat"]
    1000.0
    >>> from econ.assumptions import load_scenario
    >>> {w.name: w.target_ms for w in workloads(load_scenario("base", {"latency.voice_target_ms": 300}))}["voice"]
    300.0
    """
    from econ.assumptions.tables import load_table

    table = load_table("latency_classes")

    def target(c: str, row: pd.Series) -> float:
        key = f"latency.{c}_target_ms"
        return float(scenario[key]) if scenario is not None and scenario.get(key) is not None else float(row["target_ms"])

    return [Workload(str(c), target(str(c), r), int(r["round_trips_per_request"]), float(r["compute_ms"])) for c, r in table.iterrows()]


def scenario_mix(scenario: Scenario) -> dict[str, float]:
    """A scenario's demand by latency class [1].

    Voice is ``demand.realtime_share``, agent ``demand.agent_share``, batch
    ``demand.batch_share`` and chat the rest.

    Examples
    --------
    >>> from econ.assumptions import load_scenario
    >>> mix = scenario_mix(load_scenario("base"))
    >>> {k: round(v, 2) for k, v in mix.items()}, round(sum(mix.values()), 12)
    ({'voice': 0.03, 'chat': 0.42, 'agent': 0.4, 'batch': 0.15}, 1.0)
    """
    voice, agent, batch = (float(scenario[f"demand.{k}_share"]) for k in ("realtime", "agent", "batch"))
    return {"voice": voice, "chat": 1.0 - voice - agent - batch, "agent": agent, "batch": batch}
