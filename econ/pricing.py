"""Fast-mode pricing: willingness to pay, elasticity and the premium that maximizes profit (claims C12-C14).

Demand models give the quantity bought (or the share of customers buying) at a price, and
its point elasticity ``-d ln q / d ln p``:

- :class:`ConstantElasticity`, ``q = scale x p ** -e``;
- :class:`LinearDemand`, ``q = a - b p`` down to zero at the choke price ``a / b``;
- :class:`LognormalWTP` and :class:`EmpiricalWTP`, the share of customers whose
  willingness to pay is at least the price (times a customer count);
- :class:`LogitChoice`, the binary logit share of customers who take a faster tier at a
  premium over the standard one (McFadden, "Conditional logit analysis of qualitative choice
  behavior", 1974).

:func:`optimal_price` maximizes ``(p - c) q(p)``: in closed form for constant elasticity (the
Lerner rule ``p = c e / (e - 1)``; Tirole, *The Theory of Industrial Organization*, 1988,
ch. 1) and for linear demand (``p = (a / b + c) / 2``), numerically otherwise.
:func:`optimal_premium` applies it to a fast tier whose buyers stop paying the standard price
(cannibalization) and cost more to serve. :func:`estimate_elasticity` fits a log-log line to
observed prices and quantities; :func:`van_westendorp` and :func:`gabor_granger` analyse
price surveys; :func:`quota_comparison` compares a plan whose price jumps in steps at its
quotas with a smooth per-use price (claim C14).

Prices are in any one currency unit per unit of quantity (USD per million tokens, or a
multiple of the standard price); quantities in the caller's unit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
import pandas as pd
from scipy import optimize, stats

from econ.checks import MAX_LISTED, finite_array

__all__ = [
    "ConstantElasticity",
    "Elasticity",
    "EmpiricalWTP",
    "LinearDemand",
    "LogitChoice",
    "LognormalWTP",
    "estimate_elasticity",
    "gabor_granger",
    "optimal_premium",
    "optimal_price",
    "profit_curve",
    "quota_comparison",
    "quota_grid",
    "van_westendorp",
]


class Demand(Protocol):
    """What :func:`optimal_price` needs of a demand model."""

    def quantity(self, price: Any) -> np.ndarray:
        """Quantity bought at ``price``."""
        ...

    def upper_price(self) -> float:
        """A price above which nothing worth optimizing is bought."""
        ...


def _prices(price: Any, name: str = "price") -> np.ndarray:
    return finite_array(price, name, "currency per unit", positive=True)


@dataclass(frozen=True)
class ConstantElasticity:
    """Constant-elasticity demand ``q = scale x p ** -elasticity``.

    Parameters
    ----------
    elasticity : float
        ``e`` > 0 [1]; a profit optimum needs ``e`` > 1.
    scale : float
        Quantity at a price of 1 [quantity], > 0.

    Examples
    --------
    >>> d = ConstantElasticity(2.0, 100.0)
    >>> d.quantity([1.0, 2.0]).tolist(), d.point_elasticity(3.0).tolist()
    ([100.0, 25.0], 2.0)
    """

    elasticity: float
    scale: float = 1.0

    def __post_init__(self) -> None:
        finite_array(self.elasticity, "elasticity", "1", positive=True)
        finite_array(self.scale, "scale", "quantity at a price of 1", positive=True)

    def quantity(self, price: Any) -> np.ndarray:
        """``scale x price ** -elasticity``."""
        q: np.ndarray = self.scale * np.power(_prices(price), -self.elasticity)
        return q

    def point_elasticity(self, price: Any) -> np.ndarray:
        """``elasticity`` at every price."""
        return np.full(np.shape(_prices(price)), float(self.elasticity))

    def upper_price(self) -> float:
        """Not used: the optimum is in closed form."""
        return float("inf")


@dataclass(frozen=True)
class LinearDemand:
    """Linear demand ``q = intercept - slope x p``, zero at and above the choke price ``intercept / slope``.

    Examples
    --------
    >>> d = LinearDemand(100.0, 2.0)
    >>> d.quantity([10.0, 60.0]).tolist(), float(d.point_elasticity(25.0))
    ([80.0, 0.0], 1.0)
    """

    intercept: float
    slope: float

    def __post_init__(self) -> None:
        finite_array(self.intercept, "intercept", "quantity at a price of 0", positive=True)
        finite_array(self.slope, "slope", "quantity per unit of price", positive=True)

    def quantity(self, price: Any) -> np.ndarray:
        """``max(intercept - slope x price, 0)``: no demand above the choke price (the model's definition)."""
        q: np.ndarray = np.maximum(self.intercept - self.slope * _prices(price), 0.0)
        return q

    def point_elasticity(self, price: Any) -> np.ndarray:
        """``slope p / (intercept - slope p)``; NaN at and above the choke price, where nothing is bought."""
        p = _prices(price)
        q = self.intercept - self.slope * p
        out: np.ndarray = np.where(q > 0, self.slope * p / np.where(q > 0, q, 1.0), np.nan)
        return out

    def upper_price(self) -> float:
        """The choke price."""
        return float(self.intercept / self.slope)


@dataclass(frozen=True)
class LognormalWTP:
    """Willingness to pay lognormal over customers: the share buying at ``p`` is ``1 - Phi((ln p - ln median) / sigma)``.

    Parameters
    ----------
    median : float
        Median willingness to pay [price], > 0.
    sigma : float
        Standard deviation of its logarithm [1], > 0.
    customers : float
        Customers (or units per customer summed over them); ``quantity`` is the share times this.

    Examples
    --------
    >>> d = LognormalWTP(2.0, 0.5)
    >>> round(float(d.quantity(2.0)), 3), round(float(d.quantity(4.0)), 3)
    (0.5, 0.083)
    """

    median: float
    sigma: float
    customers: float = 1.0

    def __post_init__(self) -> None:
        finite_array(self.median, "median", "price", positive=True)
        finite_array(self.sigma, "sigma", "1", positive=True)
        finite_array(self.customers, "customers", "count", positive=True)

    def _z(self, price: Any) -> np.ndarray:
        z: np.ndarray = (np.log(_prices(price)) - np.log(self.median)) / self.sigma
        return z

    def quantity(self, price: Any) -> np.ndarray:
        """Customers whose willingness to pay is at least ``price``."""
        q: np.ndarray = self.customers * stats.norm.sf(self._z(price))
        return q

    def point_elasticity(self, price: Any) -> np.ndarray:
        """``phi(z) / (sigma (1 - Phi(z)))``, the hazard of the log price over ``sigma``."""
        z = self._z(price)
        e: np.ndarray = np.exp(stats.norm.logpdf(z) - stats.norm.logsf(z)) / self.sigma
        return e

    def upper_price(self) -> float:
        """The price only one customer in a million would pay."""
        return float(self.median * np.exp(self.sigma * stats.norm.isf(1e-6)))

    @classmethod
    def from_quantiles(cls, statements: Sequence[tuple[float, float]], customers: float = 1.0) -> LognormalWTP:
        """Calibrate to statements "this share of customers would pay at least this price".

        Each statement ``(s, p)`` says ``1 - Phi((ln p - ln m) / sigma) = s``, so ``ln p = ln m
        + sigma z`` with ``z = Phi^-1(1 - s)``; two statements fix ``m`` and ``sigma``, more are
        fitted by least squares of ``ln p`` on ``z`` (a probit line, as in Finney, *Probit
        Analysis*, 3rd ed., 1971, ch. 3). It also fits a lognormal to observed take-up at
        several prices.

        Raises
        ------
        ValueError
            For fewer than two statements, shares outside (0, 1), non-positive prices, or
            statements out of order (a higher price with a larger share).

        Examples
        --------
        Half would pay 2x and a tenth would pay 10x:

        >>> d = LognormalWTP.from_quantiles([(0.5, 2.0), (0.1, 10.0)])
        >>> round(d.median, 3), round(d.sigma, 3), round(float(d.quantity(10.0)), 3)
        (2.0, 1.256, 0.1)
        """
        pairs = list(statements)
        if len(pairs) < 2:
            raise ValueError(f"statements: at least two (share, price) statements are needed; got {pairs}")
        share = np.array([float(s) for s, _ in pairs])
        price = np.array([float(p) for _, p in pairs])
        if np.any(~np.isfinite(share) | (share <= 0) | (share >= 1)):
            raise ValueError(f"statements: shares must be in (0, 1) [1]; got {share[:MAX_LISTED].tolist()}")
        _prices(price, "statements price")
        order = np.argsort(price)
        if np.any(np.diff(share[order]) >= 0) or np.any(np.diff(price[order]) <= 0):
            raise ValueError(
                "statements: out of order: a higher price must be paid by a smaller share of customers; "
                f"got {sorted(pairs, key=lambda x: x[1])}"
            )
        z = stats.norm.isf(share)
        slope, intercept = np.polyfit(z, np.log(price), 1)
        return cls(float(np.exp(intercept)), float(slope), customers)


@dataclass(frozen=True)
class EmpiricalWTP:
    """Willingness to pay given by a sample (survey answers, observed choices): the share of the sample at or above the price.

    Examples
    --------
    >>> EmpiricalWTP(np.array([1.0, 2.0, 3.0, 4.0])).quantity([2.0, 3.5]).tolist()
    [0.75, 0.25]
    """

    values: np.ndarray
    customers: float = 1.0

    def __post_init__(self) -> None:
        v = finite_array(self.values, "values", "price", positive=True)
        if v.ndim != 1 or v.size == 0:
            raise ValueError(f"values: one willingness to pay per customer is needed; got shape {v.shape}")

    def quantity(self, price: Any) -> np.ndarray:
        """Customers whose willingness to pay is at least ``price`` (the sample's survival function)."""
        v = np.sort(np.asarray(self.values, dtype=float))
        below = np.searchsorted(v, _prices(price), side="left")
        q: np.ndarray = self.customers * (v.size - below) / v.size
        return q

    def upper_price(self) -> float:
        """The highest willingness to pay in the sample."""
        return float(np.max(self.values))


@dataclass(frozen=True)
class LogitChoice:
    """Binary logit take-up of a faster tier at a premium: ``1 / (1 + exp((premium - midpoint) / scale))``.

    Parameters
    ----------
    midpoint : float
        The premium at which half of the customers take the faster tier [price], > 0.
    scale : float
        Logit scale [price], > 0: the spread of the premium customers accept.
    customers : float
        Customers; ``quantity`` is the share times this.

    Examples
    --------
    >>> d = LogitChoice(1.0, 0.25)
    >>> round(float(d.quantity(1.0)), 3), round(float(d.point_elasticity(1.0)), 3)
    (0.5, 2.0)
    """

    midpoint: float
    scale: float
    customers: float = 1.0

    def __post_init__(self) -> None:
        finite_array(self.midpoint, "midpoint", "price", positive=True)
        finite_array(self.scale, "scale", "price", positive=True)
        finite_array(self.customers, "customers", "count", positive=True)

    def quantity(self, price: Any) -> np.ndarray:
        """Customers taking the faster tier at premium ``price``."""
        q: np.ndarray = self.customers * stats.logistic.sf(_prices(price), loc=self.midpoint, scale=self.scale)
        return q

    def point_elasticity(self, price: Any) -> np.ndarray:
        """``p (1 - P) / scale`` with ``P`` the take-up share."""
        p = _prices(price)
        e: np.ndarray = p * stats.logistic.cdf(p, loc=self.midpoint, scale=self.scale) / self.scale
        return e

    def upper_price(self) -> float:
        """The premium only one customer in a million would pay."""
        return float(self.midpoint + self.scale * np.log(1e6))


def optimal_price(demand: Demand, unit_cost: float) -> float:
    """The price that maximizes ``(price - unit_cost) x quantity(price)``.

    Constant elasticity: the Lerner rule ``c e / (e - 1)``; linear demand: ``(a / b + c) / 2``,
    the midpoint of cost and choke price; any other demand: the best of a log-spaced scan of
    400 prices from the cost to :meth:`upper_price`, refined by bounded Brent minimization
    (``scipy.optimize.minimize_scalar``) between its neighbours.

    Raises
    ------
    ValueError
        For a negative or non-finite cost, a constant elasticity at or below 1 (profit rises
        without bound with the price), or a cost at or above the choke price.

    Examples
    --------
    >>> optimal_price(ConstantElasticity(3.0), 2.0)
    3.0
    >>> optimal_price(LinearDemand(100.0, 2.0), 10.0)
    30.0
    """
    c = float(finite_array(unit_cost, "unit_cost", "currency per unit"))
    if isinstance(demand, ConstantElasticity):
        if demand.elasticity <= 1.0:
            raise ValueError(
                f"demand.elasticity: must be > 1 for a profit optimum [1]; got {demand.elasticity!r} (revenue rises with the price)"
            )
        if c <= 0:
            raise ValueError(
                f"unit_cost: must be > 0 for constant elasticity [currency per unit]; got {c!r} (profit grows as the price falls to 0)"
            )
        return c * demand.elasticity / (demand.elasticity - 1.0)
    if isinstance(demand, LinearDemand):
        choke = demand.upper_price()
        if c >= choke:
            raise ValueError(f"unit_cost: {c:g} is at or above the choke price {choke:g}: nothing sells at a profit")
        return (choke + c) / 2.0
    if isinstance(demand, EmpiricalWTP):  # a step function: the optimum is at one of the sample's values
        values = np.unique(np.asarray(demand.values, dtype=float))
        values = values[values > c]
        if values.size == 0:
            raise ValueError(f"unit_cost: {c:g} is at or above every customer's willingness to pay ({demand.upper_price():g})")
        return float(values[int(np.argmax((values - c) * demand.quantity(values)))])
    high = max(demand.upper_price(), 10.0 * c)
    low = max(c, high * 1e-9)
    for _ in range(100):  # an unbounded willingness to pay: widen the scan until the best price is inside it
        grid = np.geomspace(low, high, 400)
        profit = (grid - c) * demand.quantity(grid)
        i = int(np.argmax(profit))
        if i < grid.size - 1 or not np.isfinite(high * 1e3):
            break
        low, high = grid[-2], high * 1e3
    a, b = grid[max(i - 1, 0)], grid[min(i + 1, grid.size - 1)]
    best = optimize.minimize_scalar(
        lambda p: -float((p - c) * demand.quantity(p)), bounds=(a, b), method="bounded", options={"xatol": 1e-10 * b}
    )
    return float(best.x) if -best.fun >= profit[i] else float(grid[i])


def profit_curve(demand: Demand, unit_cost: float, prices: Any) -> pd.DataFrame:
    """Quantity, revenue and profit at each price.

    Examples
    --------
    >>> profit_curve(LinearDemand(10.0, 1.0), 2.0, [4.0, 6.0])["profit"].tolist()
    [12.0, 16.0]
    """
    p = _prices(prices)
    q = demand.quantity(p)
    c = float(finite_array(unit_cost, "unit_cost", "currency per unit"))
    return pd.DataFrame({"price": p, "quantity": q, "revenue": p * q, "profit": (p - c) * q})


def optimal_premium(take_up: Demand, standard_price: float, standard_cost: float, fast_cost_multiple: float) -> pd.Series:
    """The fast tier's price multiple over standard that maximizes the provider's profit.

    A customer who takes the fast tier at multiple ``k`` of the standard price ``P`` stops
    paying ``P`` for the standard tier (cannibalization) and costs ``m`` times the standard
    unit cost ``C`` to serve (``econ.serving.tier_costs``), so the profit it adds per unit is
    ``k P - m C - (P - C) = P (k - 1 - (m - 1) C / P)``. With ``take_up(k)`` the share of
    customers taking fast at ``k``, the added profit ``P x take_up(k) x (k - k0)`` is the
    profit of :func:`optimal_price` at the unit cost ``k0 = 1 + (m - 1) C / P``: the break-even
    multiple, below which fast mode loses money on every customer who takes it.

    Parameters
    ----------
    take_up : Demand
        Take-up of the fast tier as a function of its price multiple [share of customers].
    standard_price, standard_cost : float
        Standard price and unit cost [currency per unit], price > 0.
    fast_cost_multiple : float
        Unit cost of fast over standard [1], >= 1.

    Returns
    -------
    pandas.Series
        ``premium_multiple``, ``break_even_multiple``, ``take_up`` and
        ``added_profit_per_customer`` [currency per unit x share].

    Examples
    --------
    >>> s = optimal_premium(ConstantElasticity(2.0, 0.1), 10.0, 5.0, 3.0)
    >>> round(float(s["break_even_multiple"]), 2), round(float(s["premium_multiple"]), 2)
    (2.0, 4.0)
    """
    p = float(finite_array(standard_price, "standard_price", "currency per unit", positive=True))
    c = float(finite_array(standard_cost, "standard_cost", "currency per unit"))
    m = float(finite_array(fast_cost_multiple, "fast_cost_multiple", "1", positive=True))
    if m < 1.0:
        raise ValueError(f"fast_cost_multiple: must be >= 1 [1] (a faster tier serves fewer tokens per GPU-hour); got {m!r}")
    k0 = 1.0 + (m - 1.0) * c / p
    k = optimal_price(take_up, k0)
    share = float(take_up.quantity(k))
    return pd.Series(
        {"premium_multiple": k, "break_even_multiple": k0, "take_up": share, "added_profit_per_customer": p * share * (k - k0)}
    )


@dataclass(frozen=True)
class Elasticity:
    """A constant elasticity fitted to observed prices and quantities, with its confidence interval.

    Attributes
    ----------
    elasticity : float
        ``e`` in ``q = scale x p ** -e`` [1].
    low, high : float
        Confidence interval of ``e`` at ``confidence`` (NaN with two points).
    scale : float
        Fitted quantity at a price of 1.
    r_squared : float
        Of the log-log fit.
    points : int
        Observations used.
    confidence : float
        Level of the interval.

    Examples
    --------
    >>> fit = Elasticity(1.5, 1.2, 1.8, 100.0, 0.97, 12, 0.95)
    >>> round(float(fit.demand().quantity(4.0)), 2)
    12.5
    """

    elasticity: float
    low: float
    high: float
    scale: float
    r_squared: float
    points: int
    confidence: float

    def demand(self) -> ConstantElasticity:
        """The fitted :class:`ConstantElasticity`."""
        return ConstantElasticity(self.elasticity, self.scale)


def estimate_elasticity(prices: Any, quantities: Any, confidence: float = 0.95) -> Elasticity:
    """Constant elasticity from observed (price, quantity) points by ordinary least squares on logs.

    ``ln q = ln scale - e ln p``; the interval is ``e +- t(n - 2) x se(e)`` (the OLS slope's
    standard error; Greene, *Econometric Analysis*, 8th ed., 2018, ch. 4).

    Raises
    ------
    ValueError
        For fewer than two points, non-positive prices or quantities, or prices all equal.

    Examples
    --------
    >>> fit = estimate_elasticity([1.0, 2.0, 4.0], [80.0, 20.0, 5.0])
    >>> round(fit.elasticity, 6), round(fit.scale, 6)
    (2.0, 80.0)
    """
    p = _prices(prices, "prices")
    q = finite_array(quantities, "quantities", "quantity", positive=True)
    if p.ndim != 1 or p.shape != q.shape or p.size < 2:
        raise ValueError(f"prices, quantities: need two or more points of the same length; got shapes {p.shape} and {q.shape}")
    if np.ptp(p) == 0:
        raise ValueError("prices: all equal; an elasticity needs prices that vary")
    if not 0 < confidence < 1:
        raise ValueError(f"confidence: must be in (0, 1) [1]; got {confidence!r}")
    x, y = np.log(p), np.log(q)
    slope, intercept = np.polyfit(x, y, 1)
    residual = y - (intercept + slope * x)
    n = p.size
    total = float(np.sum((y - y.mean()) ** 2))
    r2 = 1.0 - float(np.sum(residual**2)) / total if total > 0 else 1.0
    if n > 2:
        se = np.sqrt(np.sum(residual**2) / (n - 2) / np.sum((x - x.mean()) ** 2))
        half = float(stats.t.ppf(0.5 + confidence / 2, n - 2) * se)
    else:
        half = float("nan")
    e = -float(slope)
    return Elasticity(e, e - half, e + half, float(np.exp(intercept)), r2, n, confidence)


VW_COLUMNS = ("too_cheap", "cheap", "expensive", "too_expensive")
"""Columns of a Van Westendorp survey, one answer [price] per respondent."""


def van_westendorp(
    survey: pd.DataFrame, prices: Any | None = None, purchase_cheap: str | None = None, purchase_expensive: str | None = None
) -> dict[str, Any]:
    """Van Westendorp's price sensitivity meter, with the Newton-Miller-Smith purchase-probability extension.

    The four cumulative curves at each price ``p`` (Van Westendorp, "NSS-Price Sensitivity
    Meter", ESOMAR Congress, 1976): "too cheap" and "cheap", the shares of respondents whose
    answer is above ``p``; "expensive" and "too expensive", the shares whose answer is at or
    below ``p``; "not cheap" and "not expensive" their complements. The price points are the
    intersections, as in the R package pricesensitivitymeter: the point of marginal
    cheapness (PMC, "too cheap" and "not cheap"), of marginal expensiveness (PME, "too
    expensive" and "not expensive"), the optimal price point (OPP, "too cheap" and "too
    expensive") and the indifference price point (IPP, "cheap" and "expensive"), each found
    where the difference of the two curves changes sign on the price grid and interpolated
    linearly between the grid's prices.

    With purchase probabilities at the "cheap" and "expensive" answers (Newton, Miller &
    Smith, "A market acceptance extension to traditional price sensitivity measurement",
    AMA Advanced Research Techniques Forum, 1993), each respondent's probability is 0 at and
    beyond "too cheap" and "too expensive" and linear in between; the mean over respondents
    is the trial curve, times the price the revenue curve.

    Respondents whose answers are not strictly increasing (too cheap < cheap < expensive <
    too expensive) are excluded and reported, never silently dropped.

    Parameters
    ----------
    survey : pandas.DataFrame
        Columns ``too_cheap``, ``cheap``, ``expensive``, ``too_expensive`` [price], one row
        per respondent, and optionally the purchase-probability columns.
    prices : array_like, optional
        Price grid; by default every price answered.
    purchase_cheap, purchase_expensive : str, optional
        Columns of purchase probability [0, 1] at the respondent's "cheap" and "expensive"
        prices, for the extension.

    Returns
    -------
    dict
        ``curves`` (DataFrame by price), ``points`` (Series: ``pmc``, ``pme``, ``opp``,
        ``ipp``), ``excluded`` (the rows excluded and why), ``respondents`` (used) and,
        with purchase probabilities, ``nms`` (DataFrame: price, trial, revenue) and
        ``nms_points`` (``price_max_trial``, ``price_max_revenue``).

    Examples
    --------
    Two respondents; the "too cheap" and "too expensive" curves cross at 3.5:

    >>> s = pd.DataFrame({"too_cheap": [1, 4], "cheap": [2, 5], "expensive": [3, 6], "too_expensive": [3.5, 7]})
    >>> float(van_westendorp(s)["points"]["opp"])
    3.5
    """
    missing = [c for c in VW_COLUMNS if c not in survey]
    if missing:
        raise ValueError(f"survey: columns {missing} are missing; a Van Westendorp survey needs {list(VW_COLUMNS)}")
    answers = survey[list(VW_COLUMNS)].apply(pd.to_numeric, errors="coerce")
    finite = np.isfinite(answers.to_numpy(float)).all(axis=1) & (answers.to_numpy(float) > 0).all(axis=1)
    ordered = (np.diff(answers.to_numpy(float), axis=1) > 0).all(axis=1)
    reason = np.where(~finite, "missing or non-positive answer", np.where(~ordered, "answers not in increasing order", ""))
    excluded = survey.loc[reason != ""].assign(reason=reason[reason != ""])
    kept = answers.loc[reason == ""].to_numpy(float)
    if kept.shape[0] == 0:
        raise ValueError(f"survey: no respondent has answers in increasing order ({len(survey)} excluded)")
    grid = np.unique(kept) if prices is None else _prices(prices, "prices")
    too_cheap = (kept[:, 0][None, :] > grid[:, None]).mean(axis=1)
    cheap = (kept[:, 1][None, :] > grid[:, None]).mean(axis=1)
    expensive = (kept[:, 2][None, :] <= grid[:, None]).mean(axis=1)
    too_expensive = (kept[:, 3][None, :] <= grid[:, None]).mean(axis=1)
    curves = pd.DataFrame(
        {
            "too_cheap": too_cheap,
            "cheap": cheap,
            "expensive": expensive,
            "too_expensive": too_expensive,
            "not_cheap": 1.0 - cheap,
            "not_expensive": 1.0 - expensive,
        },
        index=pd.Index(grid, name="price"),
    )
    points = pd.Series(
        {
            "pmc": _crossing(grid, 1.0 - cheap, too_cheap),
            "pme": _crossing(grid, too_expensive, 1.0 - expensive),
            "opp": _crossing(grid, too_expensive, too_cheap),
            "ipp": _crossing(grid, expensive, cheap),
        }
    )
    out: dict[str, Any] = {"curves": curves, "points": points, "excluded": excluded, "respondents": int(kept.shape[0])}
    if (purchase_cheap is None) != (purchase_expensive is None):
        raise ValueError("purchase_cheap, purchase_expensive: the NMS extension needs both purchase-probability columns, or neither")
    if purchase_cheap is not None and purchase_expensive is not None:
        probs = survey.loc[reason == "", [purchase_cheap, purchase_expensive]].to_numpy(float)
        if np.any(~np.isfinite(probs) | (probs < 0) | (probs > 1)):
            raise ValueError(f"{purchase_cheap}, {purchase_expensive}: purchase probabilities must be in [0, 1] [1]")
        trial = np.array(
            [np.interp(grid, row, [0.0, pc, pe, 0.0], left=0.0, right=0.0) for row, (pc, pe) in zip(kept, probs, strict=True)]
        ).mean(axis=0)
        nms = pd.DataFrame({"price": grid, "trial": trial, "revenue": grid * trial})
        out["nms"] = nms
        out["nms_points"] = pd.Series(
            {"price_max_trial": float(grid[int(np.argmax(trial))]), "price_max_revenue": float(grid[int(np.argmax(grid * trial))])}
        )
    return out


def _crossing(price: np.ndarray, rising: np.ndarray, falling: np.ndarray) -> float:
    """The price where ``rising - falling`` first turns non-negative, interpolated linearly; NaN if it never does."""
    d = rising - falling
    hit = np.flatnonzero(d >= 0)
    if hit.size == 0:
        return float("nan")
    i = int(hit[0])
    if i == 0 or d[i] == 0:
        return float(price[i])
    return float(price[i - 1] + (price[i] - price[i - 1]) * (-d[i - 1]) / (d[i] - d[i - 1]))


def gabor_granger(survey: pd.DataFrame, unit_cost: float = 0.0) -> pd.DataFrame:
    """Gabor-Granger demand and revenue curves from purchase intent at price points.

    Each respondent says whether (or how likely) they would buy at each of several prices
    (Gabor & Granger, "Price as an indicator of quality", *Economica* 33, 1966); the demand at
    a price is the mean intent there, revenue the price times it, profit the margin times it.

    Parameters
    ----------
    survey : pandas.DataFrame
        Long form: ``respondent``, ``price`` and ``intent`` (0/1 or a probability in [0, 1]).
    unit_cost : float
        Cost per unit, for the profit column.

    Returns
    -------
    pandas.DataFrame
        Index ``price``: ``demand`` (mean intent), ``respondents`` (distinct), ``revenue``, ``profit``;
        ``attrs`` hold ``price_max_revenue`` and ``price_max_profit``.

    Examples
    --------
    >>> s = pd.DataFrame({"respondent": [1, 1, 2, 2], "price": [1.0, 2.0, 1.0, 2.0], "intent": [1, 1, 1, 0]})
    >>> table = gabor_granger(s)
    >>> table["demand"].tolist(), table.attrs["price_max_revenue"]
    ([1.0, 0.5], 1.0)
    """
    missing = [c for c in ("respondent", "price", "intent") if c not in survey]
    if missing:
        raise ValueError(f"survey: columns {missing} are missing; a Gabor-Granger survey needs respondent, price and intent")
    price = _prices(survey["price"].to_numpy(float), "survey price")
    intent = survey["intent"].to_numpy(float)
    if np.any(~np.isfinite(intent) | (intent < 0) | (intent > 1)):
        raise ValueError(
            f"survey intent: must be in [0, 1] [1]; got {intent[(intent < 0) | (intent > 1) | ~np.isfinite(intent)][:MAX_LISTED].tolist()}"
        )
    c = float(finite_array(unit_cost, "unit_cost", "currency per unit"))
    answers = pd.DataFrame({"price": price, "intent": intent, "respondent": survey["respondent"].to_numpy()})
    table: pd.DataFrame = answers.groupby("price").agg(demand=("intent", "mean"), respondents=("respondent", "nunique"))
    table["revenue"] = table.index.to_numpy() * table["demand"]
    table["profit"] = (table.index.to_numpy() - c) * table["demand"]
    levels = table.index.to_numpy(float)
    table.attrs["price_max_revenue"] = float(levels[int(np.argmax(table["revenue"].to_numpy()))])
    table.attrs["price_max_profit"] = float(levels[int(np.argmax(table["profit"].to_numpy()))])
    return table


def quota_comparison(
    usage: np.ndarray,
    value_per_unit: np.ndarray,
    tiers: Sequence[tuple[float, float]],
    smooth_price: tuple[float, float, float],
) -> pd.DataFrame:
    """Revenue and retention of a plan that jumps in steps at its quotas against a smooth per-use price (claim C14).

    Each seat needs ``usage`` units a month and values each at ``value_per_unit``. Under the
    **step** plan it must buy the cheapest tier whose quota covers its usage (tiers
    ``(quota, price)``); under the **smooth** plan it pays ``base + rate x max(usage -
    included, 0)``. A seat stays when its value ``usage x value_per_unit`` covers what it must
    pay, and leaves otherwise (no partial use: the work is needed whole); a seat beyond the
    largest quota leaves the step plan. Retention is the share of seats that stay; revenue
    what they pay.

    Parameters
    ----------
    usage, value_per_unit : numpy.ndarray
        Per seat [units/month], [currency per unit], same shape.
    tiers : sequence of (float, float)
        Step plan: (quota [units/month], price [currency/month]), quotas increasing.
    smooth_price : tuple of float
        Smooth plan: (base [currency/month], included [units/month], rate [currency per unit]).

    Returns
    -------
    pandas.DataFrame
        Index ``step``, ``smooth``: ``retention``, ``revenue``, ``revenue_per_seat`` (over
        all seats) and ``lost_at_a_step`` (seats lost whose usage is within 20 % above a
        quota: the cliff).

    Examples
    --------
    Two seats use 90 and 110 units and value each at 1: the step plan's jump from 50 to 200
    at 100 units loses the second; the smooth plan keeps both.

    >>> table = quota_comparison(np.array([90.0, 110.0]), np.array([1.0, 1.0]), [(100.0, 50.0), (1000.0, 200.0)], (50.0, 100.0, 0.5))
    >>> table["retention"].tolist(), table["revenue"].tolist()
    ([0.5, 1.0], [50.0, 105.0])
    """
    u = finite_array(usage, "usage", "units/month")
    v = finite_array(value_per_unit, "value_per_unit", "currency per unit")
    if u.shape != v.shape:
        raise ValueError(f"usage, value_per_unit: need the same shape; got {u.shape} and {v.shape}")
    quota = np.array([float(q) for q, _ in tiers])
    price = np.array([float(p) for _, p in tiers])
    if (
        quota.size == 0
        or np.any(np.diff(quota) <= 0)
        or np.any(~np.isfinite(price) | (price < 0))
        or np.any(~np.isfinite(quota) | (quota <= 0))
    ):
        raise ValueError(f"tiers: need (quota, price) pairs with increasing quotas > 0 and prices >= 0; got {list(tiers)}")
    base, included, rate = (float(x) for x in smooth_price)
    if min(base, included, rate) < 0:
        raise ValueError(f"smooth_price: base, included and rate must be >= 0; got {smooth_price}")
    covers = quota[None, :] >= u[..., None]  # the seat buys the cheapest tier whose quota covers its use
    step_pay = np.where(covers, price, np.inf).min(axis=-1)
    smooth_pay = base + rate * np.maximum(u - included, 0.0)
    value = u * v
    near = np.zeros(u.shape, dtype=bool)
    for q in quota:
        near |= (u > q) & (u <= 1.2 * q)
    rows = {}
    for name, pay in (("step", step_pay), ("smooth", smooth_pay)):
        stay = value >= pay
        rows[name] = {
            "retention": float(stay.mean()),
            "revenue": float(np.where(stay, pay, 0.0).sum()),
            "revenue_per_seat": float(np.where(stay, pay, 0.0).mean()),
            "lost_at_a_step": float((~stay & near).mean()),
        }
    return pd.DataFrame.from_dict(rows, orient="index")


def quota_grid(
    usage: np.ndarray,
    value_z: np.ndarray,
    medians: Sequence[float],
    sigmas: Sequence[float],
    tiers: Sequence[tuple[float, float]],
    smooth_price: tuple[float, float, float],
) -> pd.DataFrame:
    """:func:`quota_comparison` over a grid of lognormal values of use, on the same seats.

    Each seat's value per unit is ``median x exp(sigma x z)`` with its own standard normal
    ``z`` (``value_z``), the same for every cell of the grid, so that cells differ only by the
    median and the spread.

    Returns
    -------
    pandas.DataFrame
        One row per (median, sigma): ``step_revenue``, ``smooth_revenue``,
        ``step_minus_smooth_revenue``, ``step_retention``, ``smooth_retention``.

    Examples
    --------
    >>> g = quota_grid(np.array([90.0, 110.0]), np.zeros(2), [1.0], [0.5], [(100.0, 50.0), (1000.0, 200.0)], (50.0, 100.0, 0.5))
    >>> float(g["step_minus_smooth_revenue"].iloc[0])
    -55.0
    """
    z = np.asarray(value_z, dtype=float)
    if not np.all(np.isfinite(z)):
        raise ValueError("value_z: standard normals per seat must be finite [1]")
    rows = []
    for m in medians:
        for sd in sigmas:
            table = quota_comparison(usage, float(m) * np.exp(float(sd) * z), tiers, smooth_price)
            revenue, retention = table["revenue"].to_numpy(float), table["retention"].to_numpy(float)  # rows: step, smooth
            rows.append(
                {
                    "value_median": float(m),
                    "value_sigma": float(sd),
                    "step_revenue": revenue[0],
                    "smooth_revenue": revenue[1],
                    "step_minus_smooth_revenue": revenue[0] - revenue[1],
                    "step_retention": retention[0],
                    "smooth_retention": retention[1],
                }
            )
    return pd.DataFrame(rows).set_index(["value_median", "value_sigma"])
