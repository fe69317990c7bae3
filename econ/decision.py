"""The best plan under uncertainty: sample-average optimization over the Monte Carlo draws.

A plan (:class:`econ.plans.Plan`) is chosen from a discrete set (:class:`Choices`): a level
for each candidate site (a share of its IT MW, 0 = not built), a start delay for each, and one
commitment policy (a contract term renewed back to back over the horizon, reserving a share
of what the plan rents). Every plan is costed on the same draws of the uncertain inputs
(common random numbers), and the objective is a statistic of the draws' NPV costs: the mean,
the conditional value at risk (:func:`cvar`), or the mean plus ``lambda`` times the CVaR.
This is sample-average approximation (Kleywegt, Shapiro & Homem-de-Mello, "The sample
average approximation method for stochastic discrete optimization", *SIAM J. Optim.* 12(2),
2002): the plan that is best on the draws estimates the plan that is best in expectation,
and re-costing the finalists on more draws than the search used (``draws`` against
``search_draws``) estimates how much of the difference between them is sampling noise.

The search (:func:`optimize`) is a best-improvement local search over one coordinate at a
time (a site's level, a site's delay, the term, the cover share), started from the plans
nearest to the named strategies and from the empty plan, with every plan costed once
(cached). It is exact where the cost is separable across coordinates and a heuristic
otherwise; :func:`exhaustive` costs every plan of a small space, and the tests check that
the search finds the same optimum on small instances.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from econ.assumptions import Scenario
from econ.inputs import ContractSpec, Inputs, inputs_from_scenario
from econ.parallel import executor, run_tasks
from econ.plans import Plan, named_plans
from econ.risk import sample_inputs
from econ.strategies import (
    CATEGORIES,
    Forecast,
    check_markup,
    discount_factors_monthly,
    forecast,
    market,
    npv_cost,
    run_strategy,
    with_rent,
)

__all__ = ["Choices", "Optimization", "cvar", "efficient_frontier", "exhaustive", "expected_flows", "optimize", "score"]


def cvar(costs: np.ndarray, level: float = 0.9) -> np.ndarray:
    """Conditional value at risk of costs: the mean of the worst ``1 - level`` of the draws [USD].

    ``CVaR = VaR + E[max(C - VaR, 0)] / (1 - level)`` with ``VaR`` the ``level`` quantile
    (the smallest cost with at least ``level`` of the draws at or below it), which counts a
    fractional share of the draw at the quantile exactly (Rockafellar & Uryasev,
    "Conditional value-at-risk for general loss distributions", *J. Banking & Finance*
    26(7), 2002, eq. 11 and Proposition 8).

    Parameters
    ----------
    costs : numpy.ndarray
        Cost per draw, shape (n,) or (n, P) (one column per plan).
    level : float
        Confidence level, in (0, 1).

    Examples
    --------
    The worst 10 % of ten draws is the largest one; of 20 draws, the mean of the two largest.

    >>> float(cvar(np.arange(1.0, 11.0), 0.9)), float(cvar(np.arange(1.0, 21.0), 0.9))
    (10.0, 19.5)
    >>> float(cvar(np.array([1.0, 2.0, 3.0, 4.0]), 0.6))  # 0.4 of the draws: 4 and 0.6 of 3, over 1.6
    3.625
    """
    if not (isinstance(level, float | int) and 0.0 < level < 1.0):
        raise ValueError(f"level: must be in (0, 1) [1]; got {level!r}")
    c = np.asarray(costs, dtype=float)
    if c.shape[0] == 0 or not np.all(np.isfinite(c)):
        raise ValueError(f"costs: must be a non-empty array of finite costs [USD]; got shape {c.shape}")
    ordered = np.sort(c, axis=0)
    k = int(np.ceil(level * c.shape[0] - 1e-12)) - 1  # 0-based index of the level quantile
    var = ordered[max(k, 0)]
    out: np.ndarray = var + np.maximum(c - var, 0.0).mean(axis=0) / (1.0 - level)
    return out


def score(costs: np.ndarray, objective: str = "mean", level: float = 0.9, risk_weight: float = 1.0) -> np.ndarray:
    """The statistic a plan is chosen on [USD]: ``"mean"``, ``"cvar"`` or ``"mean+cvar"`` (mean + ``risk_weight`` x CVaR).

    Examples
    --------
    >>> c = np.array([[1.0, 2.0], [3.0, 2.0]])
    >>> score(c).tolist(), score(c, "cvar", 0.5).tolist(), score(c, "mean+cvar", 0.5, 1.0).tolist()
    ([2.0, 2.0], [3.0, 2.0], [5.0, 4.0])
    """
    if objective == "mean":
        out: np.ndarray = np.asarray(costs, dtype=float).mean(axis=0)
        return out
    if objective == "cvar":
        return cvar(costs, level)
    if objective == "mean+cvar":
        if not (np.isfinite(risk_weight) and risk_weight >= 0):
            raise ValueError(f"risk_weight: must be finite and >= 0 [1]; got {risk_weight!r}")
        combined: np.ndarray = np.asarray(costs, dtype=float).mean(axis=0) + risk_weight * cvar(costs, level)
        return combined
    raise ValueError(f"objective: must be 'mean', 'cvar' or 'mean+cvar'; got {objective!r}")


@dataclass(frozen=True)
class Choices:
    """The discrete decisions a plan is made of.

    Attributes
    ----------
    site_levels : tuple of float
        Shares of a candidate site's IT MW that may be built [1], each in [0, 1].
    start_delays : tuple of float
        Months a site's start may be delayed from the scenario's ``start_month`` [months], >= 0.
    terms : tuple of int
        Contract terms [months]: a commitment of this term is signed at month 0 and renewed
        back to back to the horizon.
    cover_shares : tuple of float
        Share of what the plan rents that the contracts reserve [1], each in [0, 1].
    sites : tuple of str, optional
        Candidate sites decided on, by id; the others are not built. All the scenario's sites
        if empty.
    colocation_levels : tuple of float
        Shares of ``colo.max_mw`` that may be leased in colocation [1], each in [0, 1].
    reservation : str
        Shape of the reservations, ``"cheapest"`` (the default), ``"floor"`` or ``"peak"``.

    Examples
    --------
    Two sites, each built whole or not, and three cover shares (one delay, one term, no
    colocation): 2 x 2 x 3 plans.

    >>> from econ.assumptions import load_scenario
    >>> small = Choices(site_levels=(0.0, 1.0), sites=("us-va-loudoun", "us-tx-abilene"))
    >>> small.dimensions(load_scenario("base"))
    [2, 2, 1, 1, 1, 3, 1]
    """

    site_levels: tuple[float, ...] = (0.0, 0.5, 1.0)
    start_delays: tuple[float, ...] = (0.0,)
    terms: tuple[int, ...] = (60,)
    cover_shares: tuple[float, ...] = (0.0, 0.5, 1.0)
    sites: tuple[str, ...] = ()
    reservation: str = "cheapest"
    colocation_levels: tuple[float, ...] = (0.0,)

    def check(self, scenario: Scenario) -> None:
        """Refuse empty or out-of-range choices, naming the field, its unit, the value and what is allowed."""
        for name, values, low, high, unit in (
            ("site_levels", self.site_levels, 0.0, 1.0, "1"),
            ("start_delays", self.start_delays, 0.0, 600.0, "months"),
            ("terms", self.terms, 1.0, 480.0, "months"),
            ("cover_shares", self.cover_shares, 0.0, 1.0, "1"),
            ("colocation_levels", self.colocation_levels, 0.0, 1.0, "1"),
        ):
            if not values or any(not (np.isfinite(v) and low <= v <= high) for v in values):
                raise ValueError(f"choices.{name}: must be a non-empty tuple of values in [{low:g}, {high:g}] [{unit}]; got {values!r}")
        unknown = [s for s in self.sites if s not in scenario.site_ids]
        if unknown:
            raise ValueError(f"choices.sites: {unknown} are not candidate sites of {scenario.name!r}; sites: {list(scenario.site_ids)}")

    def check_reachable(self, scenario: Scenario) -> None:
        """Refuse a space in which no site can start within the horizon under the build-rate limit (claim C21).

        A site alone, at its smallest positive level and no delay, starts in the first year
        whose budget ``build.max_mw_started_per_year`` covers its MW
        (:func:`econ.build.rate_limited_start`); if that is at or after the horizon for every
        decided site, no plan builds anything.
        """
        positive = [v for v in self.site_levels if v > 0]
        if not positive:
            return
        budget = float(scenario["build.max_mw_started_per_year"])
        months = int(scenario["horizon.years"]) * 12
        earliest = {
            s: max(
                float(scenario[f"build.sites.{s}.start_month"]),
                12.0 * max(np.ceil(min(positive) * float(scenario[f"build.sites.{s}.it_mw"]) / budget - 1e-9) - 1.0, 0.0),
            )
            for s in self.decided(scenario)
        }
        if min(earliest.values()) >= months:
            raise ValueError(
                f"choices: no site can start within the {months}-month horizon at build.max_mw_started_per_year = {budget:g} [MW/year] "
                f"(earliest starts {earliest}); raise the limit or offer smaller site_levels"
            )

    def decided(self, scenario: Scenario) -> tuple[str, ...]:
        """The sites decided on (all of the scenario's if ``sites`` is empty)."""
        return self.sites or scenario.site_ids

    def dimensions(self, scenario: Scenario) -> list[int]:
        """Number of values of each coordinate: a level and a delay per site, the term, the cover share and the colocation level."""
        n = len(self.decided(scenario))
        return (
            [len(self.site_levels)] * n
            + [len(self.start_delays)] * n
            + [len(self.terms), len(self.cover_shares), len(self.colocation_levels)]
        )


Point = tuple[int, ...]
"""A plan as indexes into :class:`Choices`: level per site, delay per site, term, cover share, colocation level."""


def _canonical(point: Point, choices: Choices, n: int) -> Point:
    """The same plan with the start delay of every site not built set to the first (it changes nothing)."""
    delays = tuple(point[n + i] if choices.site_levels[point[i]] > 0 else 0 for i in range(n))
    return (*point[:n], *delays, *point[2 * n :])


def _plan(scenario: Scenario, choices: Choices, point: Point, months: int) -> Plan:
    sites = choices.decided(scenario)
    n = len(sites)
    share = np.zeros(len(scenario.site_ids) + 1)  # the candidate sites, then the colocation option
    start = np.array([float(scenario[f"build.sites.{s}.start_month"]) for s in scenario.site_ids] + [0.0])
    share[-1] = choices.colocation_levels[point[2 * n + 2]]
    for i, site in enumerate(sites):
        j = scenario.site_ids.index(site)
        share[j] = choices.site_levels[point[i]]
        start[j] += choices.start_delays[point[n + i]]
    term, cover = choices.terms[point[2 * n]], choices.cover_shares[point[2 * n + 1]]
    contracts = tuple(ContractSpec(f"c{k + 1}", m, term, float("nan"), cover) for k, m in enumerate(range(0, months, term)))
    return Plan(_label(choices, sites, point), share, contracts, choices.reservation, start)


def _label(choices: Choices, sites: tuple[str, ...], point: Point) -> str:
    n = len(sites)
    delays = [choices.start_delays[point[n + i]] for i in range(n)]
    built = [
        f"{s} {choices.site_levels[point[i]]:g}" + (f" +{delays[i]:g}m" if delays[i] else "")
        for i, s in enumerate(sites)
        if choices.site_levels[point[i]] > 0
    ]
    colo = choices.colocation_levels[point[2 * n + 2]]
    built += [f"colocation {colo:g}"] if colo > 0 else []
    commit = f"commit {choices.cover_shares[point[2 * n + 1]]:g} x {choices.terms[point[2 * n]]}m"
    return "; ".join([*built, commit]) if built else f"no sites; {commit}"


def _plan_chunk(scenario: Scenario, base: Inputs, seed: int, start: int, stop: int, plan: Plan, fc: Forecast) -> np.ndarray:
    """NPV cost of one plan on draws ``start .. stop - 1`` [USD], sampled where the task runs (the same draws as up front)."""
    chunk, _ = sample_inputs(scenario, stop - start, seed, start=start, base=base)
    cost: np.ndarray = npv_cost(chunk, run_strategy(chunk, plan, fc))
    return cost


@dataclass
class _Costs:
    """NPV cost per draw of each plan, costed once on fixed draws (common random numbers).

    With ``where`` (an executor or a Dask client, :func:`econ.parallel.executor`) each plan and
    chunk of draws is a task that samples its draws itself; the costs are the same to the bit.
    """

    scenario: Scenario
    inputs: Inputs
    plan_inputs: Inputs
    chunk_size: int
    seed: int
    where: Any = None
    cache: dict[str, np.ndarray] = field(default_factory=dict)

    def __call__(self, plans: Sequence[Plan]) -> np.ndarray:
        todo = list({p.name: p for p in plans if p.name not in self.cache}.values())
        if todo and self.where is not None:
            fc = forecast(self.plan_inputs, plans=todo)
            chunks = [(a, min(a + self.chunk_size, self.inputs.n)) for a in range(0, self.inputs.n, self.chunk_size)]
            tasks = [(self.scenario, self.plan_inputs, self.seed, a, b, p, fc) for p in todo for a, b in chunks]
            results = iter(run_tasks(_plan_chunk, tasks, scheduler=self.where, progress=False))
            self.cache.update({p.name: np.concatenate([next(results) for _ in chunks]) for p in todo})
        elif todo:
            fc = forecast(self.plan_inputs, plans=todo)
            parts: dict[str, list[np.ndarray]] = {p.name: [] for p in todo}
            for start in range(0, self.inputs.n, self.chunk_size):
                chunk = self.inputs.take(slice(start, start + self.chunk_size))
                shared = market(chunk)
                for p in todo:
                    parts[p.name].append(npv_cost(chunk, run_strategy(chunk, p, fc, shared)))
            self.cache.update({name: np.concatenate(v) for name, v in parts.items()})
        return np.column_stack([self.cache[p.name] for p in plans])


def _costs(scenario: Scenario, draws: int, seed: int, chunk_size: int, where: Any = None) -> _Costs:
    if isinstance(draws, bool) or not isinstance(draws, int | np.integer) or draws < 2:
        raise ValueError(f"draws: must be an integer >= 2; got {draws!r}")
    plan_inputs = inputs_from_scenario(scenario)
    check_markup(scenario, plan_inputs)
    inputs, _ = sample_inputs(scenario, int(draws), seed, base=plan_inputs)
    return _Costs(scenario, inputs, plan_inputs, chunk_size, int(seed), where)


def _search(
    start: Point, dims: list[int], score: Callable[[list[Point]], np.ndarray], seen: dict[Point, float], canonical: Callable[[Point], Point]
) -> Point:
    """Best-improvement local search over one coordinate at a time, from ``start`` (points in canonical form)."""

    def value(points: list[Point]) -> list[float]:
        new = [p for p in dict.fromkeys(points) if p not in seen]
        if new:
            seen.update(zip(new, score(new).tolist(), strict=True))
        return [seen[p] for p in points]

    current = canonical(start)
    best = value([current])[0]
    while True:
        moves = [canonical((*current[:i], v, *current[i + 1 :])) for i, d in enumerate(dims) for v in range(d) if v != current[i]]
        neighbours = [p for p in dict.fromkeys(moves) if p != current]
        if not neighbours:
            return current
        values = value(neighbours)
        i = int(np.argmin(values))
        if values[i] >= best:
            return current
        current, best = neighbours[i], values[i]


@dataclass(frozen=True)
class Optimization:
    """What :func:`optimize` found.

    Attributes
    ----------
    best : Plan
        The plan with the least objective on all the draws.
    plans : pandas.DataFrame
        Every plan costed, by name: ``mean_usd``, ``cvar_usd`` (at ``level``),
        ``objective_usd`` on the search draws, and for the finalists (the frontier, the
        best and the named strategies) the same on all draws (``*_all_usd``), whether it is
        on the efficient frontier, and ``best_share`` (the share of all draws in which it
        is the cheapest of the frontier plans).
    named : pandas.DataFrame
        The named strategies (rent, build, hybrid) on all draws, and how much more each costs
        than the best plan by the objective.
    by_risk_weight : pandas.DataFrame
        For each risk appetite ``w`` (0 and ``frontier_weights``), the finalist minimizing
        mean + ``w`` x CVaR on all draws, with its mean and CVaR [USD].
    evaluations : int
        Plans costed.
    draws, search_draws : int
        Draws in the final comparison and in the search.

    Examples
    --------
    >>> from econ.assumptions import load_scenario
    >>> small = Choices(site_levels=(0.0, 1.0), cover_shares=(1.0,), sites=("us-va-loudoun",))
    >>> found = optimize(load_scenario("base"), draws=30, search_draws=None, choices=small)
    >>> list(found.named.index), found.draws
    (['rent', 'build', 'hybrid'], 30)
    """

    best: Plan
    plans: pd.DataFrame
    named: pd.DataFrame
    by_risk_weight: pd.DataFrame
    evaluations: int
    draws: int
    search_draws: int


def efficient_frontier(mean: np.ndarray, risk: np.ndarray) -> np.ndarray:
    """Which plans no other plan beats on both expected cost and CVaR (lower is better), shape (P,) bool.

    Examples
    --------
    >>> efficient_frontier(np.array([1.0, 2.0, 2.0, 3.0]), np.array([3.0, 1.0, 2.0, 1.0])).tolist()
    [True, True, False, False]
    """
    m, r = np.asarray(mean, dtype=float), np.asarray(risk, dtype=float)
    worse_or_equal = (m[None, :] <= m[:, None]) & (r[None, :] <= r[:, None])
    strictly = (m[None, :] < m[:, None]) | (r[None, :] < r[:, None])
    dominated = np.asarray((worse_or_equal & strictly).any(axis=1))
    keep: np.ndarray = ~dominated
    return keep


def optimize(
    scenario: Scenario,
    objective: str = "mean",
    *,
    draws: int = 10_000,
    seed: int = 20261122,
    search_draws: int | None = 2_000,
    choices: Choices | None = None,
    level: float = 0.9,
    risk_weight: float = 1.0,
    starts: Iterable[Point] | None = None,
    chunk_size: int = 2_000,
    frontier_weights: Sequence[float] = (0.25, 1.0, 4.0),
    scheduler: Any = None,
    workers: int | None = 1,
) -> Optimization:
    """The plan that minimizes the objective over Monte Carlo draws, and how it compares.

    Parameters
    ----------
    scenario : Scenario
        The scenario: its candidate sites, cloud market and uncertainties.
    objective : str
        ``"mean"`` (expected NPV cost), ``"cvar"`` (CVaR at ``level``) or ``"mean+cvar"``
        (mean + ``risk_weight`` x CVaR) (:func:`score`).
    draws : int
        Draws the finalists are compared on (seeded, common to every plan).
    seed : int
        Seed of the draws.
    search_draws : int, optional
        The first draws the search runs on (fewer is faster); None searches on all.
    choices : Choices, optional
        The decision space; the default decides every site among 0, half and all of its MW,
        with five-year contracts reserving 0, half or all of what the plan rents.
    level, risk_weight : float
        CVaR confidence level [1] and the weight of the CVaR in ``"mean+cvar"`` [1].
    starts : iterable of Point, optional
        Starting points of the search; by default the empty plan and the plans nearest to
        the named strategies.
    chunk_size : int
        Draws per vectorized call.
    frontier_weights : sequence of float
        Risk appetites explored for the frontier: one more search minimizing mean + ``w`` x
        CVaR for each ``w`` [1] (from the same starts, on the same costed plans), so that
        the frontier holds the plans a more risk-averse decision-maker would choose.
    scheduler : None, "dask", str or dask.distributed.Client
        Where the plan evaluations run (:mod:`econ.parallel`): each plan on each chunk of draws
        is a task. The result is the same to the bit wherever they run.
    workers : int or None, default 1
        Processes of the embedded pool or the local cluster [processes]; None for every core.

    Returns
    -------
    Optimization

    Examples
    --------
    >>> from econ.assumptions import load_scenario
    >>> small = Choices(site_levels=(0.0, 1.0), cover_shares=(1.0,), sites=("us-va-loudoun", "us-tx-abilene"))
    >>> result = optimize(load_scenario("base"), draws=40, search_draws=None, choices=small)
    >>> result.evaluations
    4
    """
    choices = choices or Choices()
    choices.check(scenario)
    choices.check_reachable(scenario)
    score(np.zeros((2, 1)), objective, level, risk_weight)  # check the objective's arguments first
    n_all = int(draws)
    n_search = n_all if search_draws is None else int(search_draws)
    if not 2 <= n_search <= n_all:
        raise ValueError(f"search_draws: must be in [2, draws = {n_all}]; got {search_draws!r}")
    with executor(scheduler, workers) as where:
        costs = _costs(scenario, n_all, seed, chunk_size, where)
        search = (
            _Costs(scenario, costs.inputs.take(slice(0, n_search)), costs.plan_inputs, chunk_size, costs.seed, where)
            if n_search < n_all
            else costs
        )
        months = costs.plan_inputs.months
        dims = choices.dimensions(scenario)
        plans: dict[Point, Plan] = {}

        def plan_of(point: Point) -> Plan:
            if point not in plans:
                plans[point] = _plan(scenario, choices, point, months)
            return plans[point]

        n = len(choices.decided(scenario))
        begin = list(starts) if starts is not None else _default_starts(scenario, choices)
        costed: dict[Point, float] = {}
        for weight in (None, *frontier_weights):
            if weight is not None and not (np.isfinite(weight) and weight >= 0):
                raise ValueError(f"frontier_weights: each must be finite and >= 0 [1]; got {weight!r}")

            def values(points: list[Point], w: float | None = weight) -> np.ndarray:
                c = search([plan_of(p) for p in points])
                return score(c, objective, level, risk_weight) if w is None else score(c, "mean+cvar", level, w)

            seen: dict[Point, float] = {}
            for start in begin:
                _search(tuple(start), dims, values, seen, lambda p: _canonical(p, choices, n))
            costed.update(dict.fromkeys(seen, 0.0))
        return _summarize(costs, search, [plans[p] for p in costed], objective, level, risk_weight, (0.0, *frontier_weights))


def _default_starts(scenario: Scenario, choices: Choices) -> list[Point]:
    """The empty plan and the plans nearest to the named strategies (their build share at every site, full cover)."""
    n = len(choices.decided(scenario))
    levels = np.array(choices.site_levels)
    term = int(np.argmin(np.abs(np.array(choices.terms) - 60)))
    cover = int(np.argmax(choices.cover_shares))
    out = []
    for share in (0.0, float(scenario["strategies.hybrid.build_share"]), 1.0):
        level = int(np.argmin(np.abs(levels - share)))
        colo = int(np.argmin(np.abs(np.array(choices.colocation_levels))))
        out.append((level,) * n + (0,) * n + (term, cover, colo))
    return list(dict.fromkeys(out))


def exhaustive(
    scenario: Scenario,
    objective: str = "mean",
    *,
    draws: int = 200,
    seed: int = 20261122,
    choices: Choices | None = None,
    level: float = 0.9,
    risk_weight: float = 1.0,
    limit: int = 2_000,
) -> pd.DataFrame:
    """Every plan of a small decision space costed on the same draws, by objective (the check of :func:`optimize`).

    Plans that differ only in the start delay of a site they do not build are one plan.

    Raises
    ------
    ValueError
        If the space has more than ``limit`` plans.

    Examples
    --------
    >>> from econ.assumptions import load_scenario
    >>> small = Choices(site_levels=(0.0, 1.0), cover_shares=(1.0,), sites=("us-va-loudoun",))
    >>> table = exhaustive(load_scenario("base"), draws=20, choices=small)
    >>> len(table), list(table.columns)
    (2, ['mean_usd', 'cvar_usd', 'objective_usd'])
    """
    choices = choices or Choices()
    choices.check(scenario)
    dims = choices.dimensions(scenario)
    size = int(np.prod(dims))
    if size > limit:
        raise ValueError(f"choices: the space has {size:,} plans, more than limit = {limit:,}; use optimize()")
    costs = _costs(scenario, draws, seed, 5_000)
    months = costs.plan_inputs.months
    n = len(choices.decided(scenario))
    points = list(dict.fromkeys(_canonical(p, choices, n) for p in itertools.product(*(range(d) for d in dims))))
    plans = [_plan(scenario, choices, p, months) for p in points]
    c = costs(plans)
    table = pd.DataFrame(
        {"mean_usd": c.mean(axis=0), "cvar_usd": cvar(c, level), "objective_usd": score(c, objective, level, risk_weight)},
        index=pd.Index([p.name for p in plans], name="plan"),
    )
    return table.sort_values("objective_usd", kind="stable")


def _summarize(
    costs: _Costs,
    search: _Costs,
    chosen: list[Plan],
    objective: str,
    level: float,
    risk_weight: float,
    weights: tuple[float, ...],
) -> Optimization:
    c = search(chosen)
    table = pd.DataFrame(
        {"mean_usd": c.mean(axis=0), "cvar_usd": cvar(c, level), "objective_usd": score(c, objective, level, risk_weight)},
        index=pd.Index([p.name for p in chosen], name="plan"),
    )
    frontier = efficient_frontier(table["mean_usd"].to_numpy(), table["cvar_usd"].to_numpy())
    best_search = int(np.argmin(table["objective_usd"].to_numpy()))
    finalists = [chosen[i] for i in sorted(set(np.flatnonzero(frontier).tolist()) | {best_search})]
    named = named_plans(costs.plan_inputs)
    everything = costs([*finalists, *named.values()])
    final = everything[:, : len(finalists)]
    value = score(final, objective, level, risk_weight)
    best = finalists[int(np.argmin(value))]
    mean_all, cvar_all = final.mean(axis=0), cvar(final, level)
    on_frontier_all = efficient_frontier(mean_all, cvar_all)
    winners = np.argmin(final[:, on_frontier_all], axis=1)
    names = [p.name for p, keep in zip(finalists, on_frontier_all, strict=True) if keep]
    table["on_frontier"] = False
    for j, p in enumerate(finalists):
        table.loc[p.name, ["mean_all_usd", "cvar_all_usd", "objective_all_usd"]] = [mean_all[j], cvar_all[j], value[j]]
        table.loc[p.name, "on_frontier"] = bool(on_frontier_all[j])
        table.loc[p.name, "best_share"] = float(np.mean(winners == names.index(p.name))) if p.name in names else 0.0
    named_costs = everything[:, len(finalists) :]
    named_value = score(named_costs, objective, level, risk_weight)
    best_value = float(value[int(np.argmin(value))])
    named_table = pd.DataFrame(
        {
            "mean_usd": named_costs.mean(axis=0),
            "cvar_usd": cvar(named_costs, level),
            "objective_usd": named_value,
            "more_than_best_usd": named_value - best_value,
        },
        index=pd.Index(list(named), name="strategy"),
    )
    appetite = pd.DataFrame(
        [
            {"risk_weight": w, "plan": finalists[k].name, "mean_usd": mean_all[k], "cvar_usd": cvar_all[k]}
            for w in weights
            for k in [int(np.argmin(mean_all + w * cvar_all))]
        ]
    ).set_index("risk_weight")
    return Optimization(
        best, table.sort_values("objective_usd", kind="stable"), named_table, appetite, len(chosen), costs.inputs.n, search.inputs.n
    )


def expected_flows(
    scenario: Scenario, plans: Sequence[Plan], *, draws: int = 1_000, seed: int = 20261122, chunk_size: int = 5_000
) -> pd.DataFrame:
    """Expected present value of each cash-flow category of each plan, over Monte Carlo draws [USD].

    What an expected-cost difference between plans is made of: the mean over the draws of
    each category's after-tax flows discounted at each draw's WACC (negative: money out),
    the named ``rent`` first. The columns sum to minus each plan's expected NPV cost.

    Examples
    --------
    >>> from econ.assumptions import load_scenario
    >>> from econ.plans import make_plan
    >>> s = load_scenario("base")
    >>> table = expected_flows(s, [make_plan(s, "colo", colocation_mw=100.0, contracts=[(0, 60, 1.0)])], draws=20)
    >>> list(table.columns), bool(table.loc["colocation_rent", "colo"] < 0 == table.loc["colocation_rent", "rent"])
    (['rent', 'colo'], True)
    """
    costs = _costs(scenario, draws, seed, chunk_size)
    chosen = with_rent(costs.plan_inputs, plans) or []
    fc = forecast(costs.plan_inputs, plans=chosen)
    totals = {p.name: dict.fromkeys(CATEGORIES, 0.0) for p in chosen}
    for start in range(0, costs.inputs.n, chunk_size):
        chunk = costs.inputs.take(slice(start, start + chunk_size))
        shared = market(chunk)
        factors = discount_factors_monthly(chunk["finance.discount_rate_annual"], chunk.months)
        for p in chosen:
            run = run_strategy(chunk, p, fc, shared)
            for category, flow in run.flows.items():
                totals[p.name][category] += float(np.einsum("nm,nm->n", flow, factors).sum())
    table = pd.DataFrame(totals) / costs.inputs.n
    table.index.name = "category"
    return table
