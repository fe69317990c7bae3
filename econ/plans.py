"""Plans: what an owner decides, which sites to build, how large and when, and what to commit to the cloud.

A :class:`Plan` is one decision: the share of each candidate site's IT MW to build
(``0`` = not built) and the month each starts, the cloud contracts (start, term and size
of each) and the shape of their reservations. The scenario's three named strategies are
plans (:func:`named_plans`: ``rent`` builds nothing, ``build`` every site, ``hybrid``
``strategies.hybrid.build_share`` of each); any other plan (:func:`make_plan`) is evaluated by
the same model (:func:`econ.evaluate`, :func:`econ.simulate`) on the same draws, so plans
differ only by what was decided.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from econ.assumptions import Scenario
from econ.assumptions.schema import RESERVATIONS, STRATEGIES
from econ.inputs import ContractSpec, Inputs

__all__ = ["Plan", "make_plan", "named_plans"]


@dataclass(frozen=True, eq=False)
class Plan:
    """One decision: sites, their start months, and cloud contracts.

    Attributes
    ----------
    name : str
        Label in results (column and row names).
    site_share : numpy.ndarray
        Share of each candidate site's IT MW built [1], in the scenario's site order, shape
        (S,) or, for a named strategy whose share varies by draw, (n, S).
    start_month : numpy.ndarray or None
        Month each site starts [months], shape (S,) or (n, S); None keeps the scenario's
        ``build.sites.<id>.start_month``. Starts are then delayed, in site order, to respect
        ``build.max_mw_started_per_year`` (claim C21).
    contracts : tuple of ContractSpec
        Cloud contracts, each sized by ``cover_share`` of what the plan rents or by a fixed
        ``commit_usd`` (:func:`econ.strategies.forecast`).
    reservation : str
        ``"cheapest"`` (the default), ``"floor"`` or ``"peak"`` (``strategies.<s>.reservation``).
    stop_month : numpy.ndarray or None
        Month the owner abandons each site [months], shape (S,) or (n, S), ``inf`` for never;
        None abandons none. Only a site not yet energized stops (:func:`econ.build.site_schedule`).

    Examples
    --------
    Half of the first of two candidate sites, one five-year contract reserving all that is rented:

    >>> from econ.inputs import ContractSpec
    >>> plan = Plan("half of one", np.array([0.5, 0.0]), (ContractSpec("c1", 0, 60, float("nan"), 1.0),))
    >>> plan.shares(3, 2).tolist()
    [[0.5, 0.0], [0.5, 0.0], [0.5, 0.0]]
    """

    name: str
    site_share: np.ndarray
    contracts: tuple[ContractSpec, ...]
    reservation: str = "cheapest"
    start_month: np.ndarray | None = field(default=None)
    stop_month: np.ndarray | None = field(default=None)

    def shares(self, n: int, sites: int) -> np.ndarray:
        """The site shares for ``n`` draws, shape (n, S)."""
        share = np.asarray(self.site_share, dtype=float)
        out: np.ndarray = np.broadcast_to(share, (n, sites)) if share.ndim == 1 else share
        return out

    def starts(self, inputs: Inputs) -> np.ndarray:
        """The start month of each site for the inputs' draws [months], shape (n, S)."""
        if self.start_month is None:
            return inputs["site.start_month"]
        out: np.ndarray = np.broadcast_to(np.asarray(self.start_month, dtype=float), inputs["site.start_month"].shape)
        return out

    def stops(self, inputs: Inputs) -> np.ndarray | None:
        """The month each site is abandoned for the inputs' draws [months], shape (n, S), or None for none."""
        if self.stop_month is None:
            return None
        out: np.ndarray = np.broadcast_to(np.asarray(self.stop_month, dtype=float), inputs["site.start_month"].shape)
        return out


def named_plans(inputs: Inputs) -> dict[str, Plan]:
    """The scenario's named strategies as plans, shares per draw (``strategies.<s>.build_share``).

    Examples
    --------
    >>> from econ.assumptions import load_scenario
    >>> from econ.inputs import inputs_from_scenario
    >>> plans = named_plans(inputs_from_scenario(load_scenario("base")))
    >>> {name: float(p.site_share.max()) for name, p in plans.items()}
    {'rent': 0.0, 'build': 1.0, 'hybrid': 0.5}
    """
    sites = len(inputs.site_ids)
    candidates = (~inputs.colocation).astype(float)  # the named strategies do not lease colocation space
    return {
        s: Plan(
            s,
            np.repeat(inputs[f"strategies.{s}.build_share"][:, None], sites, axis=1) * candidates,
            tuple(inputs.contracts[s]),
            inputs.reservations[s],
        )
        for s in STRATEGIES
    }


def make_plan(
    scenario: Scenario,
    name: str,
    site_mw: Mapping[str, float] | None = None,
    start_month: Mapping[str, float] | None = None,
    contracts: Sequence[tuple[int, int, float]] = (),
    reservation: str = "cheapest",
    colocation_mw: float = 0.0,
) -> Plan:
    """A plan stated in MW per site and contract periods, checked against the scenario.

    Parameters
    ----------
    scenario : Scenario
        The scenario whose candidate sites the plan chooses among.
    name : str
        Label of the plan; not one of the named strategies' names unless it is that strategy.
    site_mw : mapping of str to float, optional
        IT MW built at each named site [MW], at most its ``build.sites.<id>.it_mw``; sites
        not named are not built.
    start_month : mapping of str to float, optional
        Start month of named sites [months], >= 0; others keep the scenario's.
    contracts : sequence of (start_month, term_months, cover_share)
        Cloud contracts: start [months], term [months] and the share of what the plan
        rents that each reserves [1].
    reservation : str
        ``"cheapest"`` (the default), ``"floor"`` or ``"peak"`` (``strategies.<s>.reservation``).
    colocation_mw : float
        IT MW of owned GPUs placed in leased colocation space [MW], at most ``colo.max_mw``;
        the lease is signed at t = 0 and the hall is ready ``colo.lead_months`` later.

    Raises
    ------
    ValueError
        Naming the parameter, its unit, the value and what is allowed.

    Examples
    --------
    >>> from econ.assumptions import load_scenario
    >>> s = load_scenario("base")
    >>> periods = [(0, 60, 1.0), (60, 60, 1.0), (120, 60, 1.0)]
    >>> p = make_plan(s, "two US sites", {"us-tx-abilene": 100.0, "us-va-loudoun": 150.0}, contracts=periods)
    >>> float(p.site_share[s.site_ids.index("us-tx-abilene")]), len(p.contracts)
    (0.5, 3)
    """
    sites = scenario.site_ids
    share = np.zeros(len(sites) + 1)  # the candidate sites, then the colocation option
    for site, mw in (site_mw or {}).items():
        if site not in sites:
            raise ValueError(f"site_mw: {site!r} is not a candidate site of scenario {scenario.name!r}; sites: {list(sites)}")
        cap = float(scenario[f"build.sites.{site}.it_mw"])
        if not (np.isfinite(mw) and 0.0 <= mw <= cap):
            raise ValueError(f"site_mw[{site!r}]: must be in [0, {cap:g}] [MW] (build.sites.{site}.it_mw); got {mw!r}")
        share[sites.index(site)] = mw / cap if cap > 0 else 0.0
    room = float(scenario["colo.max_mw"])
    if not (np.isfinite(colocation_mw) and 0.0 <= colocation_mw <= room):
        raise ValueError(f"colocation_mw: must be in [0, {room:g}] [MW] (colo.max_mw); got {colocation_mw!r}")
    share[-1] = colocation_mw / room
    starts = None
    if start_month:
        starts = np.array([float(scenario[f"build.sites.{s}.start_month"]) for s in sites] + [0.0])
        for site, month in start_month.items():
            if site not in sites:
                raise ValueError(f"start_month: {site!r} is not a candidate site of scenario {scenario.name!r}; sites: {list(sites)}")
            if not (np.isfinite(month) and month >= 0):
                raise ValueError(f"start_month[{site!r}]: must be finite and >= 0 [months]; got {month!r}")
            starts[sites.index(site)] = month
    if reservation not in RESERVATIONS:
        raise ValueError(f"reservation: must be one of {RESERVATIONS}; got {reservation!r}")
    months = int(scenario["horizon.years"]) * 12
    specs = []
    for i, (start, term, cover) in enumerate(contracts):
        if not (0 <= start < months and 1 <= term <= 480):
            raise ValueError(
                f"contracts[{i}]: start_month must be in [0, {months}) and term_months in [1, 480] [months]; got ({start!r}, {term!r})"
            )
        if not (np.isfinite(cover) and 0.0 <= cover <= 1.0):
            raise ValueError(f"contracts[{i}]: cover_share must be in [0, 1] [1]; got {cover!r}")
        specs.append(ContractSpec(f"c{i + 1}", int(start), int(term), float("nan"), float(cover)))
    return Plan(name, share, tuple(specs), reservation, starts)
