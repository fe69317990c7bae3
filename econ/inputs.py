"""Model inputs as arrays with a leading draw axis, built from a :class:`~econ.assumptions.Scenario`.

Every numeric scenario key becomes an array: global keys have shape ``(n,)``, site fields
``(n, S)`` (sites in scenario order). A deterministic run has ``n = 1``; the Monte Carlo
(:mod:`econ.risk`) replaces the arrays of the uncertain keys by their samples. Keys stay the
scenario's dotted names (``"cloud.price_decline_annual"``), site fields are ``"site.<field>"``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

import numpy as np

from econ.assumptions import Scenario
from econ.assumptions.schema import FIELDS, SITE_FIELDS, STRATEGIES

SITE_PREFIX = "site."


@dataclass(frozen=True)
class Inputs:
    """Arrays the models read, plus the structure that does not vary across draws.

    Attributes
    ----------
    n : int
        Number of draws (leading axis).
    months : int
        Horizon length [months]; cash flows fall at the end of months 1..months.
    site_ids, site_blocs : tuple of str
        Sites in program order and their sovereignty blocs.
    blocs : tuple of str
        Blocs with demand; ``bloc_shares`` [1] is aligned with it.
    bloc_shares : numpy.ndarray
        Share of demand per bloc, shape (B,).
    gpu_macrs_years, facility_macrs_years : int
        MACRS recovery periods [years].
    order_equipment_before_permit : bool
        Long-lead equipment ordered at site start (True) or at permit (False).
    arrays : Mapping[str, numpy.ndarray]
        Global keys -> (n,) and ``site.<field>`` -> (n, S) float arrays; strategy settings
        as ``strategies.<name>.<field>`` -> (n,).
    permit_lost : numpy.ndarray
        (n, S) bool: the site's permit is lost (never built). All False for a plan.
    """

    n: int
    months: int
    site_ids: tuple[str, ...]
    site_blocs: tuple[str, ...]
    blocs: tuple[str, ...]
    bloc_shares: np.ndarray
    gpu_macrs_years: int
    facility_macrs_years: int
    order_equipment_before_permit: bool
    arrays: Mapping[str, np.ndarray]
    permit_lost: np.ndarray

    def __getitem__(self, key: str) -> np.ndarray:
        return self.arrays[key]

    def with_arrays(self, updates: Mapping[str, np.ndarray], permit_lost: np.ndarray | None = None) -> Inputs:
        """A copy with some arrays (and optionally the permit losses) replaced, same number of draws."""
        arrays = {**self.arrays, **{k: np.asarray(v, dtype=float) for k, v in updates.items()}}
        lost = np.asarray(self.permit_lost if permit_lost is None else permit_lost, dtype=bool)
        if any(a.shape[0] != self.n for a in [*arrays.values(), lost]):
            raise ValueError(f"with_arrays: every array must have n = {self.n} draws on its leading axis; use repeat() first")
        return replace(self, arrays=arrays, permit_lost=lost)

    def take(self, rows: np.ndarray | slice) -> Inputs:
        """The inputs of a subset of draws."""
        arrays = {k: v[rows] for k, v in self.arrays.items()}
        lost = self.permit_lost[rows]
        return replace(self, n=lost.shape[0], arrays=arrays, permit_lost=lost)

    def repeat(self, n: int) -> Inputs:
        """Broadcast a one-draw input set to ``n`` identical draws."""
        if self.n != 1:
            raise ValueError(f"repeat: needs a one-draw input set, got n = {self.n}")
        arrays = {k: np.repeat(v, n, axis=0) for k, v in self.arrays.items()}
        return replace(self, n=n, arrays=arrays, permit_lost=np.repeat(self.permit_lost, n, axis=0))


def inputs_from_scenario(scenario: Scenario) -> Inputs:
    """The one-draw (deterministic) inputs of a scenario: the plan, with no permit lost."""
    arrays: dict[str, np.ndarray] = {}
    for key, spec in FIELDS.items():
        if spec.kind in ("float", "int") and key not in ("tax.gpu_macrs_years", "tax.facility_macrs_years", "horizon.years"):
            arrays[key] = np.array([float(scenario[key])])
    sites = scenario.site_ids
    for fname, spec in SITE_FIELDS.items():
        if spec.kind == "float":
            arrays[SITE_PREFIX + fname] = np.array([[float(scenario[f"build.sites.{s}.{fname}"]) for s in sites]]).reshape(1, len(sites))
    for strategy in STRATEGIES:
        for fname in ("build_share", "commit_share"):
            arrays[f"strategies.{strategy}.{fname}"] = np.array([float(scenario[f"strategies.{strategy}.{fname}"])])
    shares = {k.rsplit(".", 1)[1]: float(v) for k, v in scenario.values.items() if k.startswith("demand.bloc_shares.")}
    return Inputs(
        n=1,
        months=int(scenario["horizon.years"]) * 12,
        site_ids=sites,
        site_blocs=tuple(str(scenario[f"build.sites.{s}.sovereignty_bloc"]) for s in sites),
        blocs=tuple(shares),
        bloc_shares=np.array(list(shares.values())),
        gpu_macrs_years=int(scenario["tax.gpu_macrs_years"]),
        facility_macrs_years=int(scenario["tax.facility_macrs_years"]),
        order_equipment_before_permit=bool(scenario["build.order_equipment_before_permit"]),
        arrays=arrays,
        permit_lost=np.zeros((1, len(sites)), dtype=bool),
    )


def array_key(scenario_key: str) -> str:
    """The :class:`Inputs` array key of a scenario key (``build.sites.*.x`` -> ``site.x``)."""
    parts = scenario_key.split(".")
    if scenario_key.startswith("build.sites.") and len(parts) == 4:
        return SITE_PREFIX + parts[3]
    return scenario_key
