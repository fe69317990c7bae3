"""Monte Carlo over a scenario's uncertain inputs, and tornado / spider sensitivity.

Sampling is a Gaussian copula (Iman & Conover, "A distribution-free approach to inducing
rank correlation among input variables", *Commun. Stat.* B11(3), 1982; the method @RISK
and Crystal Ball use): correlated standard normals ``Z = X L^T`` (Cholesky ``L`` of the
Pearson matrix ``2 sin(pi rho_s / 6)`` that gives the requested Spearman rank correlation
``rho_s``, Kruskal 1958), mapped to uniforms by the normal CDF and to each marginal by its
inverse CDF. Site keys ``build.sites.*.<field>`` are drawn independently per site.
Each site's permit is lost with its ``permit_loss_probability`` (claim C02).

Everything is drawn up front from one ``numpy.random.default_rng(seed)`` stream and then
evaluated in chunks of draws, so results do not depend on the chunk size.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from scipy import stats

from econ.assumptions import Distribution, Scenario, field_for
from econ.assumptions.schema import STRATEGIES
from econ.build import site_schedule
from econ.inputs import Inputs, array_key, inputs_from_scenario
from econ.plans import Plan
from econ.strategies import check_markup, discount_factors_monthly, forecast, market, npv_cost, on_time_share, run_strategy, with_rent


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


def sample_inputs(scenario: Scenario, n_draws: int, seed: int) -> tuple[Inputs, pd.DataFrame]:
    """Draw ``n_draws`` input sets from a scenario's distributions.

    Parameters
    ----------
    scenario : Scenario
        With ``risk.distributions`` and ``risk.correlations``.
    n_draws : int
        Number of draws (>= 1).
    seed : int
        Seed of ``numpy.random.default_rng``; the same seed gives the same draws.

    Returns
    -------
    inputs : Inputs
        The scenario's inputs with the uncertain ones replaced by their draws.
    sampled : pandas.DataFrame
        One row per draw: each sampled input (scenario key, site keys per site) and
        ``permit_lost.<site>``.

    Raises
    ------
    ValueError
        If ``n_draws`` < 1, or a draw leaves its key's allowed range (e.g. a normal
        distribution on a share): nothing is clipped.
    """
    if not isinstance(n_draws, int | np.integer) or n_draws < 1:
        raise ValueError(f"n_draws must be a positive integer [draws]; got {n_draws!r}")
    base = inputs_from_scenario(scenario).repeat(int(n_draws))
    rng = np.random.default_rng(seed)
    columns = _columns(scenario)
    matrix = _copula_matrix(scenario, columns)
    try:
        chol = np.linalg.cholesky(matrix) if columns else np.zeros((0, 0))
    except np.linalg.LinAlgError:
        raise ValueError("risk.correlations: the implied normal correlation matrix is not positive definite") from None
    normals = rng.standard_normal((n_draws, len(columns))) @ chol.T
    uniforms = stats.norm.cdf(normals)
    candidates = len(scenario.site_ids)  # the colocation option, after them, has no permit to lose
    lost = rng.random((n_draws, candidates)) < base["site.permit_loss_probability"][:, :candidates]
    lost = np.concatenate([lost, np.zeros((n_draws, base.permit_lost.shape[1] - candidates), dtype=bool)], axis=1)
    arrays = {k: v.copy() for k, v in base.arrays.items()}
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
    return base.with_arrays(arrays, permit_lost=lost), pd.DataFrame(sampled)


def simulate(
    scenario: Scenario,
    n_draws: int,
    seed: int,
    *,
    chunk_size: int = 5000,
    plans: Sequence[Plan] | None = None,
    held: Mapping[str, float] | None = None,
) -> pd.DataFrame:
    """Monte Carlo of the three strategies (or of given plans): one row per draw.

    Parameters
    ----------
    scenario : Scenario
        The scenario (its ``risk`` block defines what is uncertain).
    n_draws : int
        Number of draws.
    seed : int
        Random seed; results are reproducible and independent of ``chunk_size``.
    chunk_size : int
        Draws evaluated per vectorized call (bounds memory: about 60 MB per 1,000 draws
        for a 10-site, 180-month scenario).
    plans : sequence of Plan, optional
        Plans to simulate instead of the named build and hybrid (:func:`econ.plans.make_plan`),
        on the same draws (common random numbers); the named ``rent`` is always included.
    held : mapping of str to float, optional
        Uncertain inputs held at a value in every draw [each key's unit], the others drawn
        as without it (the same draws for the same seed): ``E[C | key = value]``. A
        ``build.sites.*.<field>`` key holds every candidate site. Contracts are sized on the
        scenario's central values, so hold a key at its central value too
        (``scenario.with_overrides``) to ask what a company expecting that value would do.

    Returns
    -------
    pandas.DataFrame
        The sampled inputs, ``npv_cost_usd_<strategy>`` for rent, build and hybrid [USD],
        ``take_or_pay_pv_usd_<strategy>`` (present value of reserved capacity paid for and
        not used, before tax, claim C22) [USD],
        ``npv_cost_difference_<strategy>_usd`` (build or hybrid minus rent; negative means
        cheaper than renting) and ``sites_on_time_share`` of the build strategy [1].
        ``attrs`` hold the scenario name and hash and the seed.

    Examples
    --------
    >>> from econ.assumptions import load_scenario
    >>> draws = simulate(load_scenario("base"), 100, seed=1)
    >>> bool((draws["npv_cost_usd_rent"] > 0).all())
    True
    """
    inputs, sampled = sample_inputs(scenario, n_draws, seed)
    for key, value in (held or {}).items():
        inputs, sampled = _hold(scenario, inputs, sampled, key, value)
    plan_inputs = inputs_from_scenario(scenario)
    check_markup(scenario, plan_inputs)
    chosen = with_rent(plan_inputs, plans)
    plan = forecast(plan_inputs, plans=chosen)  # contracts are sized on the scenario's plan; each draw meets them
    strategies: list[str | Plan] = list(STRATEGIES) if chosen is None else list(chosen)
    labels = [p if isinstance(p, str) else p.name for p in strategies]
    planned = site_schedule(plan_inputs, plan_inputs["strategies.build.build_share"])
    names = [f"npv_cost_usd_{s}" for s in labels] + [f"take_or_pay_pv_usd_{s}" for s in labels]
    names += ["sites_on_time_share"] if "build" in labels else []
    out: dict[str, list[np.ndarray]] = {name: [] for name in names}
    for start in range(0, n_draws, chunk_size):
        chunk = inputs.take(slice(start, start + chunk_size))
        factors = discount_factors_monthly(chunk["finance.discount_rate_annual"], chunk.months)
        shared = market(chunk)
        for s, label in zip(strategies, labels, strict=True):
            run = run_strategy(chunk, s, plan, shared)
            out[f"npv_cost_usd_{label}"].append(npv_cost(chunk, run))
            out[f"take_or_pay_pv_usd_{label}"].append(-np.einsum("nm,nm->n", run.flows["take_or_pay_shortfall"], factors))
            if label == "build":
                out["sites_on_time_share"].append(on_time_share(run.schedule, planned, chunk["build.on_time_grace_months"]))
    result = sampled.assign(**{k: np.concatenate(v) for k, v in out.items()})
    for s in labels[1:]:
        result[f"npv_cost_difference_{s}_usd"] = result[f"npv_cost_usd_{s}"] - result["npv_cost_usd_rent"]
    result.index.name = "draw"
    result.attrs.update({"scenario": scenario.name, "scenario_hash": scenario.hash, "seed": seed})
    return result


def _hold(scenario: Scenario, inputs: Inputs, sampled: pd.DataFrame, key: str, value: float) -> tuple[Inputs, pd.DataFrame]:
    """The draws with ``key`` set to ``value`` in every row, in the inputs and in the table of sampled inputs."""
    from econ.breakeven import _set_per_row  # econ.breakeven imports this module's neighbours

    if not any(d.key == key for d in scenario.distributions):
        uncertain = sorted(d.key for d in scenario.distributions)
        raise ValueError(f"held: {key!r} is not an uncertain input of scenario {scenario.name!r}; hold one of {uncertain}")
    spec = field_for(key)
    problem = spec.check(float(value)) if spec is not None else None
    if problem is not None:
        raise ValueError(f"held: {key} = {value!r} [{spec.unit if spec else ''}] is outside its allowed range: {problem}")
    inputs = _set_per_row(inputs, key, np.full(inputs.n, float(value)))
    columns = [key.replace("*", site) for site in scenario.site_ids] if "*" in key else [key]
    return inputs, sampled.assign(**dict.fromkeys(columns, float(value)))


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
    arrays = {k: v.copy() for k, v in inputs.arrays.items()}
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
