"""Monte Carlo over a scenario's uncertain inputs, and tornado / spider sensitivity.

Sampling is a Gaussian copula (Iman & Conover, "A distribution-free approach to inducing
rank correlation among input variables", *Commun. Stat.* B11(3), 1982; the method @RISK
and Crystal Ball use): correlated standard normals ``Z = X L^T`` (Cholesky ``L`` of the
Pearson matrix ``2 sin(pi rho_s / 6)`` that gives the requested Spearman rank correlation
``rho_s``, Kruskal 1958), mapped to uniforms by the normal CDF and to each marginal by its
inverse CDF. Site keys ``build.sites.*.<field>`` are drawn independently per site.
Each site's permit is lost with its ``permit_loss_probability`` (claim C02).

Draws come from a sampling design (:mod:`econ.sampling`: plain random draws, Latin hypercube
or scrambled Sobol' points) numbered so that draw ``i`` depends only on the seed and ``i``.
Chunks of draws are sampled and evaluated one at a time (memory bounded by the chunk, not the
run) in this process, a process pool or on a Dask cluster (:mod:`econ.parallel`), and the
results are bit-identical whatever the chunk size and wherever the chunks run.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import special, stats

from econ.assumptions import Distribution, Scenario, field_for
from econ.assumptions.schema import STRATEGIES
from econ.assumptions.tables import data_file_hashes
from econ.build import Schedule, site_schedule
from econ.checks import whole_number
from econ.inputs import Inputs, array_key, inputs_from_scenario
from econ.ledger import PresentValue
from econ.parallel import run_tasks
from econ.plans import Plan
from econ.sampling import check_sampling, correlate, design
from econ.strategies import (
    Forecast,
    check_markup,
    demand_path,
    discount_factors_monthly,
    forecast,
    market,
    npv_cost,
    on_time_share,
    run_strategy,
    with_rent,
)


def inverse_cdf(dist: Distribution, u: np.ndarray) -> np.ndarray:
    """Quantile function of a scenario distribution at probabilities ``u`` in (0, 1).

    Triangular: closed form (Johnson, Kotz & Balakrishnan, *Continuous Univariate
    Distributions*, vol. 2, 1995); PERT: beta with ``a = 1 + 4 (mode - low) / (high - low)``,
    ``b = 1 + 4 (high - mode) / (high - low)`` (Vose, *Risk Analysis*, 3rd ed., 2008, §III.7);
    lognormal by median and log-sd; Bernoulli gives 1.0 where ``u < p``.

    Examples
    --------
    >>> d = Distribution("x", "triangular", {"low": 0.0, "mode": 1.0, "high": 2.0})
    >>> inverse_cdf(d, np.array([0.125, 0.5, 0.875])).tolist()
    [0.5, 1.0, 1.5]
    """
    p = dist.params
    u = np.asarray(u, dtype=float)
    if dist.dist == "triangular":
        low, mode, high = p["low"], p["mode"], p["high"]
        cut = (mode - low) / (high - low)
        left = low + np.sqrt(u * (high - low) * (mode - low))
        right = high - np.sqrt((1.0 - u) * (high - low) * (high - mode))
        return np.where(u < cut, left, right)
    if dist.dist == "pert":
        low, mode, high = p["low"], p["mode"], p["high"]
        a, b = 1 + 4 * (mode - low) / (high - low), 1 + 4 * (high - mode) / (high - low)
        return np.asarray(low + (high - low) * stats.beta.ppf(u, a, b))
    if dist.dist == "uniform":
        return p["low"] + u * (p["high"] - p["low"])
    if dist.dist == "normal":
        return np.asarray(p["mean"] + p["sd"] * stats.norm.ppf(u))
    if dist.dist == "lognormal":
        return np.asarray(p["median"] * np.exp(p["sigma"] * stats.norm.ppf(u)))
    if dist.dist == "bernoulli":
        return (u < p["p"]).astype(float)
    raise ValueError(f"unknown distribution family {dist.dist!r}")


def _columns(scenario: Scenario) -> list[tuple[Distribution, str, int | None]]:
    """One sampled column per distribution, or per site for ``build.sites.*`` keys: (dist, label, site)."""
    out: list[tuple[Distribution, str, int | None]] = []
    for d in scenario.distributions:
        if ".*." in d.key:
            field = d.key.rsplit(".", 1)[1]
            out += [(d, f"build.sites.{s}.{field}", i) for i, s in enumerate(scenario.site_ids)]
        elif d.key.startswith("build.sites."):
            site = d.key.split(".")[2]
            out.append((d, d.key, scenario.site_ids.index(site)))
        else:
            out.append((d, d.key, None))
    return out


def _copula_matrix(scenario: Scenario, columns: list[tuple[Distribution, str, int | None]]) -> np.ndarray:
    """Pearson matrix of the normals giving the scenario's Spearman rank correlations."""
    k = len(columns)
    matrix = np.eye(k)
    for a, b, rho in scenario.correlations:
        pearson = 2.0 * np.sin(np.pi * rho / 6.0)
        for i, (da, _, sa) in enumerate(columns):
            for j, (db, _, sb) in enumerate(columns):
                if da.key == a and db.key == b and (sa is None or sb is None or sa == sb):
                    matrix[i, j] = matrix[j, i] = pearson
    return matrix


@functools.lru_cache(maxsize=16)
def _copula(scenario: Scenario) -> tuple[tuple[tuple[Distribution, str, int | None], ...], np.ndarray]:
    """A scenario's sampled columns and the Cholesky factor of their copula, once per scenario (not per chunk)."""
    columns = _columns(scenario)
    try:
        chol = np.linalg.cholesky(_copula_matrix(scenario, columns)) if columns else np.zeros((0, 0))
    except np.linalg.LinAlgError:
        raise ValueError("risk.correlations: the implied normal correlation matrix is not positive definite") from None
    chol.flags.writeable = False
    return tuple(columns), chol


def sample_inputs(
    scenario: Scenario, n_draws: int, seed: int, *, sampling: str = "random", start: int = 0, base: Inputs | None = None
) -> tuple[Inputs, pd.DataFrame]:
    """Draw ``n_draws`` input sets from a scenario's distributions: draws ``start .. start + n_draws - 1`` of a design.

    Parameters
    ----------
    scenario : Scenario
        With ``risk.distributions`` and ``risk.correlations``.
    n_draws : int
        Number of draws (>= 1).
    seed : int
        Root seed of the design (>= 0); the same seed gives the same draws.
    sampling : str, default "random"
        The design (:data:`econ.sampling.SAMPLINGS`): ``"random"``, ``"lhs"`` or ``"sobol"``.
    start : int, default 0
        Number of the first draw [draws] (a chunk of a larger run).
    base : Inputs, optional
        The scenario's one-draw inputs (:func:`econ.inputs.inputs_from_scenario`), if already made.

    Returns
    -------
    inputs : Inputs
        The scenario's inputs with the uncertain ones replaced by their draws.
    sampled : pandas.DataFrame
        One row per draw, indexed by draw number: each sampled input (scenario key, site keys
        per site) and ``permit_lost.<site>``.

    Raises
    ------
    ValueError
        If ``n_draws`` < 1, ``seed`` or ``start`` is not a whole number >= 0, the design is
        unknown, or a draw leaves its key's allowed range (e.g. a normal distribution on a
        share): nothing is clipped.

    Examples
    --------
    A chunk of draws is those draws of the whole run:

    >>> from econ.assumptions import load_scenario
    >>> whole = sample_inputs(load_scenario("base"), 10, seed=1)[1]
    >>> part = sample_inputs(load_scenario("base"), 4, seed=1, start=6)[1]
    >>> bool(whole.loc[6:].equals(part))
    True
    """
    _check_draws(n_draws)
    seed, start = whole_number(seed, "seed", "1", 0), whole_number(start, "start", "draws", 0)
    one = inputs_from_scenario(scenario) if base is None else base
    inputs = one.repeat(int(n_draws))
    columns, chol = _copula(scenario)
    candidates = len(scenario.site_ids)  # the colocation option, after them, has no permit to lose
    z, u = design(check_sampling(sampling), seed, start, start + int(n_draws), len(columns), candidates)
    uniforms = special.ndtr(correlate(z, chol))  # the standard normal CDF (what stats.norm.cdf evaluates)
    lost = u < inputs["site.permit_loss_probability"][:, :candidates]
    lost = np.concatenate([lost, np.zeros((n_draws, inputs.permit_lost.shape[1] - candidates), dtype=bool)], axis=1)
    arrays = dict(inputs.arrays)  # the repeated arrays are this call's own: a site's column is drawn in place
    sampled: dict[str, np.ndarray] = {}
    for col, (dist, label, site) in enumerate(columns):
        values = inverse_cdf(dist, uniforms[:, col])
        spec = field_for(label)
        if spec is not None and any(spec.check(float(v)) is not None for v in (values.min(), values.max())):
            raise ValueError(
                f"risk.distributions.{dist.key}: draws leave the allowed range of {label}: {spec.allowed()}; "
                f"drawn from {values.min():g} to {values.max():g}"
            )
        key = array_key(label)
        if site is None:
            arrays[key] = values
        else:
            arrays[key][:, site] = values
        sampled[label] = values
    for i, s in enumerate(scenario.site_ids):
        sampled[f"permit_lost.{s}"] = lost[:, i]
    index = pd.RangeIndex(start, start + n_draws, name="draw")
    return inputs.with_arrays(arrays, permit_lost=lost), pd.DataFrame(sampled, index=index)


@dataclass(frozen=True)
class _Run:
    """What every chunk of one simulation shares (shipped with each task)."""

    scenario: Scenario
    base: Inputs
    seed: int
    sampling: str
    plan: Forecast
    strategies: tuple[str | Plan, ...]
    planned: Schedule
    held: tuple[tuple[str, float], ...]
    data: str
    outputs_only: bool = False


@functools.cache
def data_fingerprint() -> str:
    """SHA-256 of econ's data files, which a worker must share with the client [hex]."""
    return hashlib.sha256(repr(sorted(data_file_hashes().items())).encode()).hexdigest()


def _chunk(run: _Run, start: int, stop: int) -> pd.DataFrame:
    """Sample and evaluate draws ``start .. stop - 1`` of a simulation: their inputs and outputs, one row per draw."""
    if data_fingerprint() != run.data:
        raise RuntimeError("econ's data files on this worker differ from the client's: install econ at the same version everywhere")
    inputs, sampled = sample_inputs(run.scenario, stop - start, run.seed, sampling=run.sampling, start=start, base=run.base)
    for key, value in run.held:
        inputs, sampled = _hold(run.scenario, inputs, sampled, key, value)
    book = PresentValue(discount_factors_monthly(inputs["finance.discount_rate_annual"], inputs.months))  # one for the strategies
    shared = market(inputs)
    demand = demand_path(inputs, *shared, run.plan.broadcast(inputs.n).price)  # the same work for every strategy
    out: dict[str, np.ndarray] = {}
    for strategy in run.strategies:
        label = strategy if isinstance(strategy, str) else strategy.name
        result = run_strategy(inputs, strategy, run.plan, shared, demand, book)  # present values, not monthly flows
        out[f"npv_cost_usd_{label}"] = npv_cost(inputs, result)
        out[f"take_or_pay_pv_usd_{label}"] = -result.flows["take_or_pay_shortfall"]
        if label == "build":
            out["sites_on_time_share"] = on_time_share(result.schedule, run.planned, inputs["build.on_time_grace_months"])
    outputs = pd.DataFrame(out, index=sampled.index)
    return outputs if run.outputs_only else pd.concat([sampled, outputs], axis=1)  # (assign() copies the inputs column by column)


def simulate(
    scenario: Scenario,
    n_draws: int,
    seed: int,
    *,
    chunk_size: int = 2000,
    plans: Sequence[Plan] | None = None,
    held: Mapping[str, float] | None = None,
    sampling: str = "random",
    scheduler: Any = None,
    workers: int | None = 1,
    progress: bool | None = None,
) -> pd.DataFrame:
    """Monte Carlo of the three strategies (or of given plans): one row per draw.

    Parameters
    ----------
    scenario : Scenario
        The scenario (its ``risk`` block defines what is uncertain).
    n_draws : int
        Number of draws.
    seed : int
        Root seed (>= 0); results are reproducible and independent of ``chunk_size``,
        ``workers`` and ``scheduler``.
    chunk_size : int
        Draws sampled and evaluated per task (bounds memory: about 60-70 MB per 1,000 draws
        for a 10-site, 180-month scenario, per worker). At 2,000 the largest arrays (owned
        capacity by bloc, blocs x draws x months) stay within the 32 MiB that a worker's heap
        reuses (:data:`econ.parallel.MALLOC_ENV`); 1,000 to 4,000 are within 5 % a draw.
    plans : sequence of Plan, optional
        Plans to simulate instead of the named build and hybrid (:func:`econ.plans.make_plan`),
        on the same draws (common random numbers); the named ``rent`` is always included.
    held : mapping of str to float, optional
        Uncertain inputs held at a value in every draw [each key's unit], the others drawn
        as without it (the same draws for the same seed): ``E[C | key = value]``. A
        ``build.sites.*.<field>`` key holds every candidate site. Contracts are sized on the
        scenario's central values, so hold a key at its central value too
        (``scenario.with_overrides``) to ask what a company expecting that value would do.
    sampling : str, default "random"
        Sampling design (:mod:`econ.sampling`): ``"random"``, ``"lhs"`` (Latin hypercube in
        blocks of 1,024 draws) or ``"sobol"`` (scrambled Sobol' points).
    scheduler : None, "dask", str or dask.distributed.Client
        Where the chunks run (:mod:`econ.parallel`): None in this process or a local process
        pool; ``"dask"`` a local Dask cluster; an address an existing Dask scheduler.
    workers : int or None, default 1
        Processes for the embedded pool or the local cluster [processes]; None for every core.
        A pool starts its processes with ``spawn``, which imports the calling script again: in
        a script, call from under ``if __name__ == "__main__":`` (Python, "multiprocessing
        programming guidelines"); a notebook needs nothing. Starting a process and importing
        econ takes about 2 s (imports, and loading the compiled kernels), the work of about 20,000 draws.
    progress : bool, optional
        Draw a progress bar over the chunks (default: only when interactive).

    Returns
    -------
    pandas.DataFrame
        Indexed by draw number: the sampled inputs, ``npv_cost_usd_<strategy>`` for rent,
        build and hybrid [USD], ``take_or_pay_pv_usd_<strategy>`` (present value of reserved
        capacity paid for and not used, before tax, claim C22) [USD],
        ``npv_cost_difference_<strategy>_usd`` (build or hybrid minus rent; negative means
        cheaper than renting) and ``sites_on_time_share`` of the build strategy [1].
        ``attrs`` hold the scenario name and hash, the seed and the sampling design.

    Examples
    --------
    >>> from econ.assumptions import load_scenario
    >>> draws = simulate(load_scenario("base"), 100, seed=1)
    >>> bool((draws["npv_cost_usd_rent"] > 0).all())
    True
    """
    run, tasks = prepare(scenario, n_draws, seed, chunk_size=chunk_size, plans=plans, held=held, sampling=sampling)
    frames = run_tasks(_chunk, tasks, scheduler=scheduler, workers=workers, progress=progress, description=f"simulate {scenario.name}")
    return assemble(run, frames)


def prepare(
    scenario: Scenario,
    n_draws: int,
    seed: int,
    *,
    chunk_size: int = 2000,
    plans: Sequence[Plan] | None = None,
    held: Mapping[str, float] | None = None,
    sampling: str = "random",
    outputs_only: bool = False,
) -> tuple[_Run, list[tuple[_Run, int, int]]]:
    """The shared part of a simulation and its chunks, ``(run, start, stop)``: the tasks of :func:`simulate` (same parameters).

    ``outputs_only`` leaves the sampled inputs out of each chunk's table (what a sweep ships back).
    """
    check_arguments(n_draws, seed, chunk_size, sampling)
    plan_inputs = inputs_from_scenario(scenario)
    check_markup(scenario, plan_inputs)
    chosen = with_rent(plan_inputs, plans)
    plan = forecast(plan_inputs, plans=chosen)  # contracts are sized on the scenario's plan; each draw meets them
    strategies: list[str | Plan] = list(STRATEGIES) if chosen is None else list(chosen)
    planned = site_schedule(plan_inputs, plan_inputs["strategies.build.build_share"])
    fixed = tuple((key, float(value)) for key, value in (held or {}).items())
    for key, value in fixed:
        _check_held(scenario, key, value)  # before any task
    run = _Run(scenario, plan_inputs, int(seed), sampling, plan, tuple(strategies), planned, fixed, data_fingerprint(), outputs_only)
    return run, [(run, a, min(a + chunk_size, int(n_draws))) for a in range(0, int(n_draws), chunk_size)]


def assemble(run: _Run, frames: Sequence[pd.DataFrame]) -> pd.DataFrame:
    """The table of :func:`simulate` from the results of its chunks, in order."""
    result: pd.DataFrame = pd.concat(frames)
    labels = [s if isinstance(s, str) else s.name for s in run.strategies]
    for s in labels[1:]:
        result[f"npv_cost_difference_{s}_usd"] = result[f"npv_cost_usd_{s}"] - result["npv_cost_usd_rent"]
    scenario = run.scenario
    result.attrs.update({"scenario": scenario.name, "scenario_hash": scenario.hash, "seed": run.seed, "sampling": run.sampling})
    return result


def check_arguments(n_draws: int, seed: int, chunk_size: int, sampling: str) -> None:
    """A ValueError naming the first of a simulation's counts or its design that is invalid (:func:`simulate`)."""
    _check_draws(n_draws)
    whole_number(chunk_size, "chunk_size", "draws", 1)
    whole_number(seed, "seed", "1", 0)
    check_sampling(sampling)


def _check_draws(n_draws: int) -> None:
    if isinstance(n_draws, bool) or not isinstance(n_draws, int | np.integer) or n_draws < 1:
        raise ValueError(f"n_draws must be a positive integer [draws]; got {n_draws!r}")


def _hold(scenario: Scenario, inputs: Inputs, sampled: pd.DataFrame, key: str, value: float) -> tuple[Inputs, pd.DataFrame]:
    """The draws with ``key`` set to ``value`` in every row, in the inputs and in the table of sampled inputs."""
    from econ.breakeven import _set_per_row  # econ.breakeven imports this module's neighbours

    _check_held(scenario, key, value)
    inputs = _set_per_row(inputs, key, np.full(inputs.n, float(value)))
    columns = [key.replace("*", site) for site in scenario.site_ids] if "*" in key else [key]
    return inputs, sampled.assign(**dict.fromkeys(columns, float(value)))


def _check_held(scenario: Scenario, key: str, value: float) -> None:
    """A ValueError unless ``key`` is an uncertain input of the scenario and ``value`` within its allowed range."""
    if not any(d.key == key for d in scenario.distributions):
        uncertain = sorted(d.key for d in scenario.distributions)
        raise ValueError(f"held: {key!r} is not an uncertain input of scenario {scenario.name!r}; hold one of {uncertain}")
    spec = field_for(key)
    problem = spec.check(float(value)) if spec is not None else None
    if problem is not None:
        raise ValueError(f"held: {key} = {value!r} [{spec.unit if spec else ''}] is outside its allowed range: {problem}")


def summarize(draws: pd.DataFrame, quantiles: Sequence[float] = (0.1, 0.5, 0.9)) -> pd.DataFrame:
    """Headline statistics of a simulation, one row per owning strategy.

    Columns: ``p_cheaper_than_rent`` (share of draws where the strategy's NPV cost is below
    rent's), ``npv_cost_difference_p10_usd`` etc. (percentiles of strategy minus rent),
    ``npv_cost_difference_mean_usd`` and, for build, ``p_half_sites_on_time`` (share of draws
    with at least half the sites online on time, claim C01).

    Examples
    --------
    >>> from econ.assumptions import load_scenario
    >>> table = summarize(simulate(load_scenario("base"), 200, seed=1))
    >>> list(table.index)
    ['build', 'hybrid']
    >>> bool(table["p_cheaper_than_rent"].between(0, 1).all())
    True
    """
    rows = {}
    for s in ("build", "hybrid"):
        diff = draws[f"npv_cost_difference_{s}_usd"]
        row = {"p_cheaper_than_rent": float((diff < 0).mean()), "npv_cost_difference_mean_usd": float(diff.mean())}
        row |= {f"npv_cost_difference_p{round(q * 100)}_usd": float(diff.quantile(q)) for q in quantiles}
        row["p_half_sites_on_time"] = float((draws["sites_on_time_share"] >= 0.5).mean()) if s == "build" else np.nan
        rows[s] = row
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis("strategy")


def _one_at_a_time(scenario: Scenario, settings: list[tuple[Distribution, float]], strategy: str) -> np.ndarray:
    """NPV cost difference (strategy minus rent) with one input at a time set to a value."""
    inputs = inputs_from_scenario(scenario).repeat(len(settings))
    arrays = dict(inputs.arrays)  # the repeated arrays are this call's own: each setting is written in place
    for row, (dist, value) in enumerate(settings):
        key = array_key(dist.key)
        if dist.key.startswith("build.sites.") and ".*." not in dist.key:
            arrays[key][row, inputs.site_ids.index(dist.key.split(".")[2])] = value
        elif key.startswith("site."):  # every candidate site; not the colocation option
            arrays[key][row, ~inputs.colocation] = value
        else:
            arrays[key][row] = value
    inputs = inputs.with_arrays(arrays)
    plan = forecast(inputs_from_scenario(scenario))
    shared = market(inputs)
    diff: np.ndarray = npv_cost(inputs, run_strategy(inputs, strategy, plan, shared)) - npv_cost(
        inputs, run_strategy(inputs, "rent", plan, shared)
    )
    return diff


def tornado(scenario: Scenario, *, low_quantile: float = 0.1, high_quantile: float = 0.9, strategy: str = "build") -> pd.DataFrame:
    """One-at-a-time sensitivity of the NPV cost difference (strategy minus rent).

    Each uncertain input is set to its ``low_quantile`` and ``high_quantile`` values (P10 and
    P90 by default) with every other input at the scenario's value; a site key moves all
    sites together. Rows are sorted by swing, largest first (the tornado order of @RISK and
    of Clemen & Reilly, *Making Hard Decisions*, 2nd ed., 2001, ch. 5).

    Returns
    -------
    pandas.DataFrame
        Index ``input``; columns ``unit``, ``base_value``, ``low_value``, ``high_value``,
        ``npv_cost_difference_low_usd``, ``npv_cost_difference_high_usd``, ``swing_usd``.
        ``attrs["base_difference_usd"]`` is the difference at the scenario's values.

    Raises
    ------
    ValueError
        If the quantiles are not ``0 < low_quantile < high_quantile < 1``.

    Examples
    --------
    >>> from econ.assumptions import load_scenario
    >>> table = tornado(load_scenario("base"))
    >>> bool(table["swing_usd"].is_monotonic_decreasing)
    True
    >>> table.index[0] in {d.key for d in load_scenario("base").distributions}
    True
    """
    if not 0 < low_quantile < high_quantile < 1:
        raise ValueError(f"quantiles must satisfy 0 < low_quantile < high_quantile < 1; got {low_quantile}, {high_quantile}")
    dists = scenario.distributions
    settings = []
    for d in dists:
        settings += [(d, float(inverse_cdf(d, np.array([low_quantile]))[0])), (d, float(inverse_cdf(d, np.array([high_quantile]))[0]))]
    diff = _one_at_a_time(scenario, settings, strategy)
    rows = []
    for i, d in enumerate(dists):
        spec = field_for(d.key)
        base = scenario.get(d.key.replace("*", scenario.site_ids[0]))
        rows.append(
            {
                "input": d.key,
                "unit": spec.unit if spec else "",
                "base_value": base,
                "low_value": settings[2 * i][1],
                "high_value": settings[2 * i + 1][1],
                "npv_cost_difference_low_usd": diff[2 * i],
                "npv_cost_difference_high_usd": diff[2 * i + 1],
            }
        )
    table = pd.DataFrame(rows).set_index("input")
    table["swing_usd"] = (table["npv_cost_difference_high_usd"] - table["npv_cost_difference_low_usd"]).abs()
    table = table.sort_values("swing_usd", ascending=False)
    inputs = inputs_from_scenario(scenario)
    plan = forecast(inputs)
    table.attrs["base_difference_usd"] = float(
        npv_cost(inputs, run_strategy(inputs, strategy, plan))[0] - npv_cost(inputs, run_strategy(inputs, "rent", plan))[0]
    )
    return table


def spider(scenario: Scenario, *, quantiles: Sequence[float] = (0.05, 0.25, 0.5, 0.75, 0.95), strategy: str = "build") -> pd.DataFrame:
    """NPV cost difference as each uncertain input moves through its quantiles (a spider plot).

    Returns
    -------
    pandas.DataFrame
        Tidy: ``input``, ``quantile``, ``value``, ``npv_cost_difference_usd``.

    Examples
    --------
    >>> from econ.assumptions import load_scenario
    >>> base = load_scenario("base")
    >>> legs = spider(base)
    >>> len(legs) == 5 * len(base.distributions)
    True
    """
    settings = [(d, float(inverse_cdf(d, np.array([q]))[0])) for d in scenario.distributions for q in quantiles]
    diff = _one_at_a_time(scenario, settings, strategy)
    return pd.DataFrame(
        {
            "input": [d.key for d, _ in settings],
            "quantile": list(quantiles) * len(scenario.distributions),
            "value": [v for _, v in settings],
            "npv_cost_difference_usd": diff,
        }
    )
