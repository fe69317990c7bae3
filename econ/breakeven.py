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

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import brentq

from econ.assumptions import Scenario, field_for
from econ.inputs import Inputs, array_key, inputs_from_scenario
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
    inputs = base.repeat(values.size)
    current = inputs.arrays[name]
    updated = np.broadcast_to(values.reshape((-1,) + (1,) * (current.ndim - 1)), current.shape).copy()
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
