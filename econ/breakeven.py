"""Breakevens: where a strategy and renting cost the same, and on which side each one wins.

A breakeven is only useful with its direction: "building is cheaper when the cloud list
price is above $X" and "... below $X" are opposite advice. :func:`breakeven` scans the
difference ``NPV cost(strategy) - NPV cost(rent)`` over an interval in one vectorized run,
refines each sign change with Brent's method (Brent, *Algorithms for Minimization without
Derivatives*, 1973, ch. 4; ``scipy.optimize.brentq``) and reports the side on which the
strategy is cheaper, or that it is cheaper nowhere or everywhere in the interval.

Each value tried gets its own forecast (:func:`econ.strategies.forecast`): a company that
expected a different price would have sized its contracts differently.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import brentq

from econ.assumptions import Scenario, field_for
from econ.inputs import Inputs, array_key, inputs_from_scenario
from econ.plans import Plan, named_plans
from econ.strategies import forecast, market, npv_cost, run_strategy

GRID_POINTS = 25
"""Points of the scan before refining a sign change."""


def varied_inputs(scenario: Scenario, key: str, values: np.ndarray) -> Inputs:
    """The scenario's inputs repeated once per value, with ``key`` set to each value."""
    base = inputs_from_scenario(scenario)
    name = array_key(key)
    if name not in base.arrays:
        numeric = sorted(k for k, spec in _numeric_fields(scenario).items())
        raise ValueError(f"key: {key!r} is not a numeric scenario key; choose one of {numeric[:8]}... (see econ scenarios)")
    return _set_per_row(base.repeat(values.size), key, values)


def _set_per_row(inputs: Inputs, key: str, per_row: np.ndarray) -> Inputs:
    """The inputs with scenario ``key`` set to one value per row.

    A ``build.sites.*.<field>`` key sets every candidate site (not the colocation option); a
    ``build.sites.<id>.<field>`` key sets that site only.
    """
    name = array_key(key)
    current = inputs.arrays[name]
    updated = np.broadcast_to(per_row.reshape((-1,) + (1,) * (current.ndim - 1)), current.shape).copy()
    if name.startswith("site."):
        keep = inputs.colocation.copy()
        if "*" not in key:
            keep[:] = True
            keep[inputs.site_ids.index(key.split(".")[2])] = False
        updated[:, keep] = current[:, keep]
    return inputs.with_arrays({name: updated})


def _numeric_fields(scenario: Scenario) -> dict[str, object]:
    return {k: v for k, v in scenario.values.items() if isinstance(v, int | float) and not isinstance(v, bool)}  # noqa: PD011 (a mapping)


def difference_curve(scenario: Scenario, key: str, values: np.ndarray, strategy: str = "build") -> pd.DataFrame:
    """NPV cost of a strategy minus rent's as one input varies, all values in one vectorized run.

    Parameters
    ----------
    scenario : Scenario
        The scenario.
    key : str
        A numeric scenario key, e.g. ``"cloud.list_usd_per_gpu_hour"``; a site field
        ``"build.sites.*.<field>"`` sets every site.
    values : numpy.ndarray
        Values to try, in the key's unit.
    strategy : str
        ``"build"`` or ``"hybrid"``.

    Returns
    -------
    pandas.DataFrame
        Columns ``key``, ``value``, ``npv_cost_<strategy>_usd``, ``npv_cost_rent_usd`` and
        ``npv_cost_difference_usd`` (strategy minus rent; negative means the strategy is cheaper).

    Raises
    ------
    ValueError
        If ``key`` is not a numeric scenario key.

    Examples
    --------
    >>> from econ.assumptions import load_scenario
    >>> curve = difference_curve(load_scenario("base"), "cloud.list_usd_per_gpu_hour", np.array([5.0, 15.0]))
    >>> list(curve.columns)
    ['key', 'value', 'npv_cost_build_usd', 'npv_cost_rent_usd', 'npv_cost_difference_usd']
    >>> bool(curve["npv_cost_difference_usd"].iloc[1] < curve["npv_cost_difference_usd"].iloc[0])
    True
    """
    values = np.atleast_1d(np.asarray(values, dtype=float))
    inputs = varied_inputs(scenario, key, values)
    plan = forecast(inputs)
    shared = market(inputs)
    own = npv_cost(inputs, run_strategy(inputs, strategy, plan, shared))
    rent = npv_cost(inputs, run_strategy(inputs, "rent", plan, shared))
    return pd.DataFrame(
        {"key": key, "value": values, f"npv_cost_{strategy}_usd": own, "npv_cost_rent_usd": rent, "npv_cost_difference_usd": own - rent}
    )


@dataclass(frozen=True)
class Breakeven:
    """Where a strategy and renting cost the same, and on which side the strategy wins.

    Attributes
    ----------
    key : str
        The input varied.
    strategy : str
        The strategy compared with rent.
    value : float
        The breakeven value in the key's unit; NaN when there is none in the interval.
    cheaper_when : {"above", "below", "everywhere", "nowhere"}
        Where the strategy is cheaper than renting: above or below ``value``, or over the
        whole interval, or nowhere in it.
    low, high : float
        The interval searched.
    unit : str
        The key's unit.
    crossings : int
        Sign changes found in the interval (more than one: ``value`` is the first).

    Examples
    --------
    >>> print(Breakeven("cloud.list_usd_per_gpu_hour", "build", 7.5, "above", 1.0, 40.0, "USD/GPU-h", 1))
    build is cheaper than rent when cloud.list_usd_per_gpu_hour is above 7.5 [USD/GPU-h]
    """

    key: str
    strategy: str
    value: float
    cheaper_when: str
    low: float
    high: float
    unit: str
    crossings: int

    def __str__(self) -> str:
        """The breakeven in words, e.g. 'build is cheaper than rent when x is above 3.1 [USD]'."""
        subject = f"{self.strategy} is cheaper than rent"
        where = f"in [{self.low:g}, {self.high:g}] [{self.unit}]"
        if self.cheaper_when == "nowhere":
            return f"{subject} nowhere {where} of {self.key}"
        if self.cheaper_when == "everywhere":
            return f"{subject} everywhere {where} of {self.key}"
        more = f" (first of {self.crossings} crossings)" if self.crossings > 1 else ""
        return f"{subject} when {self.key} is {self.cheaper_when} {self.value:.4g} [{self.unit}]{more}"


def breakeven(scenario: Scenario, key: str, strategy: str = "build", *, bounds: tuple[float, float] | None = None) -> Breakeven:
    """The value of ``key`` at which ``strategy`` and rent cost the same, with its direction.

    Parameters
    ----------
    scenario : Scenario
        The scenario.
    key : str
        A numeric scenario key (see :func:`difference_curve`).
    strategy : str
        ``"build"`` or ``"hybrid"``.
    bounds : tuple of float, optional
        Interval searched, in the key's unit; by default the key's distribution range if it
        is uncertain, else 0.25x to 4x its value, within the key's allowed range.

    Returns
    -------
    Breakeven
        Value, direction and interval; ``str()`` says it in words.

    Examples
    --------
    >>> from econ.assumptions import load_scenario
    >>> b = breakeven(load_scenario("base"), "cloud.list_usd_per_gpu_hour", bounds=(1.0, 40.0))
    >>> b.cheaper_when in {"above", "nowhere", "everywhere"}
    True
    """
    low, high = _bounds(scenario, key) if bounds is None else (float(bounds[0]), float(bounds[1]))
    if not low < high:
        raise ValueError(f"bounds: need low < high [{_unit(key)}]; got ({low!r}, {high!r})")
    grid = np.linspace(low, high, GRID_POINTS)
    diff = difference_curve(scenario, key, grid, strategy)["npv_cost_difference_usd"].to_numpy()
    sign = np.sign(diff)
    change = np.flatnonzero(sign[:-1] * sign[1:] < 0)
    unit = _unit(key)
    if change.size == 0:
        where = "everywhere" if np.all(diff < 0) else "nowhere"
        return Breakeven(key, strategy, float("nan"), where, low, high, unit, 0)
    i = int(change[0])

    def f(x: float) -> float:
        return float(difference_curve(scenario, key, np.array([x]), strategy)["npv_cost_difference_usd"].iloc[0])

    value = float(brentq(f, grid[i], grid[i + 1], xtol=1e-9 * max(1.0, abs(grid[i])), rtol=1e-8))
    cheaper_when = "above" if diff[i + 1] < 0 else "below"
    return Breakeven(key, strategy, value, cheaper_when, low, high, unit, int(change.size))


def _unit(key: str) -> str:
    spec = field_for(key)
    return spec.unit if spec is not None else ""


def _bounds(scenario: Scenario, key: str) -> tuple[float, float]:
    for d in scenario.distributions:
        if d.key == key:
            p = d.params
            if "low" in p and "high" in p:
                return float(p["low"]), float(p["high"])
    x0 = float(scenario[key.replace("*", scenario.site_ids[0])])
    spec = field_for(key)
    low, high = 0.25 * x0, 4.0 * x0
    if spec is not None:
        low, high = max(low, spec.low), min(high, spec.high)
    return (low, high) if low < high else (x0 - 1.0, x0 + 1.0)


def plan_costs_over(
    scenario: Scenario, key: str, values: np.ndarray, plans: Sequence[Plan] | None = None, *, draws: int = 0, seed: int = 20261122
) -> pd.DataFrame:
    """NPV cost of each plan as one input varies (each value with its own forecast), one vectorized run.

    With ``draws`` > 0 the cost at each value is the mean over that many Monte Carlo draws
    of the other uncertain inputs with this one held at the value (the same draws for every
    value and plan), ``E[C | key = value]``; otherwise the cost at the scenario's central values.

    Parameters
    ----------
    scenario : Scenario
        The scenario.
    key : str
        A numeric scenario key (see :func:`difference_curve`).
    values : numpy.ndarray
        Values to try, in the key's unit.
    plans : sequence of Plan, optional
        The candidate plans; the named rent, build and hybrid by default.
    draws, seed : int
        Monte Carlo draws per value (0: the central values only) and their seed.

    Returns
    -------
    pandas.DataFrame
        Index the values, one column per plan [USD].

    Examples
    --------
    >>> from econ.assumptions import load_scenario
    >>> costs = plan_costs_over(load_scenario("base"), "cloud.list_usd_per_gpu_hour", np.array([8.0, 13.0]))
    >>> list(costs.columns), bool(costs.loc[13.0, "build"] < costs.loc[13.0, "rent"])
    (['rent', 'build', 'hybrid'], True)
    """
    values = np.atleast_1d(np.asarray(values, dtype=float))
    central = varied_inputs(scenario, key, values)
    chosen = list(named_plans(central).values()) if plans is None else list(plans)
    names = [p.name for p in chosen]
    if len(set(names)) != len(names):
        raise ValueError(f"plans: names must be unique; got {names}")
    plan = forecast(central, plans=chosen)  # a company expecting another value sizes its contracts on it
    inputs = central if draws == 0 else _held_at(scenario, key, values, draws, seed)
    shared = market(inputs)
    costs = {p.name: npv_cost(inputs, run_strategy(inputs, _for(inputs, p), plan, shared)) for p in chosen}
    per_value = {name: c.reshape(values.size, -1).mean(axis=1) for name, c in costs.items()}
    return pd.DataFrame(per_value, index=pd.Index(values, name=key))


def _held_at(scenario: Scenario, key: str, values: np.ndarray, draws: int, seed: int) -> Inputs:
    """Monte Carlo draws of the scenario repeated for each value, with ``key`` held at it (value-major order)."""
    from econ.risk import sample_inputs  # econ.risk imports this module's neighbours; imported when used

    if isinstance(draws, bool) or not isinstance(draws, int | np.integer) or draws < 1:
        raise ValueError(f"draws: must be an integer >= 0; got {draws!r}")
    sampled, _ = sample_inputs(scenario, int(draws), seed)
    inputs = sampled.take(np.tile(np.arange(int(draws)), values.size))
    return _set_per_row(inputs, key, np.repeat(values, int(draws)))


def _for(inputs: Inputs, plan: Plan) -> Plan:
    """A named plan rebuilt for these inputs (its shares follow each draw's), other plans as they are."""
    named = named_plans(inputs)
    return named[plan.name] if plan.name in named and plan.site_share.ndim == 2 else plan


@dataclass(frozen=True)
class FlipPoint:
    """Where the recommended plan changes as one input moves away from its scenario value, each way.

    Attributes
    ----------
    key : str
        The input varied.
    recommended : str
        The cheapest plan at the scenario's value.
    scenario_value : float
        The key's value in the scenario (the first site's, for a ``build.sites.*`` key).
    down_value, up_value : float
        The nearest values below and above ``scenario_value`` at which the recommendation
        changes [the key's unit]; NaN if it does not change down to ``low`` (up to ``high``).
    down_plan, up_plan : str
        The plan recommended just beyond each (``recommended`` where nothing flips).
    low, high : float
        The interval searched.
    unit : str
        The key's unit.

    Examples
    --------
    >>> print(FlipPoint("price", "hybrid", 10.5, 9.74, "rent", float("nan"), "hybrid", 5.0, 20.0, "USD/GPU-h"))
    hybrid is recommended at price = 10.5 [USD/GPU-h]; rent below 9.74; hybrid up to 20
    """

    key: str
    recommended: str
    scenario_value: float
    down_value: float
    down_plan: str
    up_value: float
    up_plan: str
    low: float
    high: float
    unit: str

    def __str__(self) -> str:
        """The flip points in words."""
        flips_down, flips_up = np.isfinite(self.down_value), np.isfinite(self.up_value)
        down = f"{self.down_plan} below {self.down_value:.4g}" if flips_down else f"{self.recommended} down to {self.low:.4g}"
        up = f"{self.up_plan} above {self.up_value:.4g}" if flips_up else f"{self.recommended} up to {self.high:.4g}"
        return f"{self.recommended} is recommended at {self.key} = {self.scenario_value:.4g} [{self.unit}]; {down}; {up}"


def flip_point(
    scenario: Scenario,
    key: str,
    plans: Sequence[Plan] | None = None,
    *,
    bounds: tuple[float, float] | None = None,
    draws: int = 0,
    seed: int = 20261122,
) -> FlipPoint:
    """The values of ``key`` nearest its scenario value, each way, at which the recommended plan changes.

    The recommended plan is the cheapest: by NPV cost at the scenario's central values, or,
    with ``draws`` > 0, by expected NPV cost over that many draws of the other inputs
    (:func:`plan_costs_over`); each value is tried with its own forecast. The plans' costs are scanned over ``bounds``
    (:data:`GRID_POINTS` values and the scenario's value); the first change of the cheapest
    plan on each side of the scenario's value is refined with Brent's method on the
    difference between the two plans that swap (``scipy.optimize.brentq``). With rent and
    one other plan this is their breakeven (:func:`breakeven`).

    Parameters
    ----------
    scenario : Scenario
        The scenario.
    key : str
        A numeric scenario key (see :func:`difference_curve`).
    plans : sequence of Plan, optional
        The candidates; the named rent, build and hybrid by default.
    bounds : tuple of float, optional
        Interval searched [the key's unit]; by default as for :func:`breakeven`.
    draws, seed : int
        Monte Carlo draws per value (0: central values) and their seed.

    Examples
    --------
    >>> from econ.assumptions import load_scenario
    >>> f = flip_point(load_scenario("base"), "cloud.list_usd_per_gpu_hour", bounds=(5.0, 20.0))
    >>> f.recommended, f.down_plan, round(f.down_value, 2)
    ('build', 'hybrid', 9.18)
    """
    low, high = _bounds(scenario, key) if bounds is None else (float(bounds[0]), float(bounds[1]))
    if not low < high:
        raise ValueError(f"bounds: need low < high [{_unit(key)}]; got ({low!r}, {high!r})")
    here = float(scenario[key.replace("*", scenario.site_ids[0])])
    grid = np.unique(np.append(np.linspace(low, high, GRID_POINTS), here))
    costs = plan_costs_over(scenario, key, grid, plans, draws=draws, seed=seed)
    names = list(costs.columns)
    best = costs.to_numpy().argmin(axis=1)
    at = int(np.flatnonzero(grid == here)[0])
    candidates = list(plans) if plans is not None else list(named_plans(inputs_from_scenario(scenario)).values())

    def refine(i: int, j: int) -> tuple[float, str]:
        """Where, between grid[i] and grid[j], the plan cheapest at grid[i] stops being cheapest, and the plan that takes over.

        The root of the two plans' difference, unless a third plan is cheaper there: then the
        change happens before it, to that plan, and the search repeats between grid[i] and the
        root (a plan cheapest only in a window narrower than a grid step is not skipped).
        """
        stays, near, far, other = names[best[i]], float(grid[i]), float(grid[j]), names[best[j]]
        while True:
            pair = [p for p in candidates if p.name in (stays, other)]

            def gap(x: float, pair: list[Plan] = pair, other: str = other) -> float:
                row = plan_costs_over(scenario, key, np.array([x]), pair, draws=draws, seed=seed).iloc[0]
                return float(row[other] - row[stays])

            lo, hi = sorted((near, far))
            root = float(brentq(gap, lo, hi, xtol=1e-9 * max(1.0, abs(lo)), rtol=1e-8))
            row = plan_costs_over(scenario, key, np.array([root]), candidates, draws=draws, seed=seed).iloc[0]
            winner = str(row.idxmin())
            if winner in (stays, other) or row[winner] >= min(row[stays], row[other]) * (1.0 - 1e-12):
                return root, other
            far, other = root, winner

    down_value, down_plan = float("nan"), names[best[at]]
    for i in range(at, 0, -1):
        if best[i - 1] != best[at]:
            down_value, down_plan = refine(at if i == at else i, i - 1)
            break
    up_value, up_plan = float("nan"), names[best[at]]
    for i in range(at, grid.size - 1):
        if best[i + 1] != best[at]:
            up_value, up_plan = refine(i, i + 1)
            break
    return FlipPoint(key, names[best[at]], here, down_value, down_plan, up_value, up_plan, low, high, _unit(key))


def flip_points(
    scenario: Scenario, keys: Sequence[str] | None = None, plans: Sequence[Plan] | None = None, *, draws: int = 0, seed: int = 20261122
) -> pd.DataFrame:
    """:func:`flip_point` for several inputs: by default every uncertain input of the scenario, over its range.

    Returns
    -------
    pandas.DataFrame
        Index ``input``: ``unit``, ``scenario_value``, ``low``, ``high``, ``recommended``,
        ``down_value``, ``down_plan``, ``up_value``, ``up_plan`` (NaN values where nothing
        flips) and ``statement`` (the flips in words).

    Examples
    --------
    >>> from econ.assumptions import load_scenario
    >>> table = flip_points(load_scenario("base"), ["cloud.list_usd_per_gpu_hour", "cloud.markup_change_annual"])
    >>> table.loc["cloud.markup_change_annual", "recommended"]
    'build'
    """
    chosen = [d.key for d in scenario.distributions if d.dist != "bernoulli"] if keys is None else list(keys)
    rows = {}
    for key in chosen:
        f = flip_point(scenario, key, plans, draws=draws, seed=seed)
        rows[key] = {
            "unit": f.unit,
            "scenario_value": f.scenario_value,
            "low": f.low,
            "high": f.high,
            "recommended": f.recommended,
            "down_value": f.down_value,
            "down_plan": f.down_plan,
            "up_value": f.up_value,
            "up_plan": f.up_plan,
            "statement": str(f),
        }
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis("input")
