"""Model inputs as arrays with a leading draw axis, built from a :class:`~econ.assumptions.Scenario`.

Every numeric scenario key becomes an array: global keys have shape ``(n,)``, site fields
``(n, S)`` (sites in scenario order) and generation fields ``(n, G)``. A deterministic run
has ``n = 1``; the Monte Carlo (:mod:`econ.risk`) replaces the arrays of the uncertain keys
by their samples. Keys stay the scenario's dotted names (``"cloud.markup_change_annual"``);
site fields are ``"site.<field>"`` and generation fields ``"gen.<field>"``.

What does not vary across draws is kept as plain attributes: the site and generation ids,
the contracts' calendars, the discount schedule's tiers and the tax schedules by site.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property

import numpy as np
import pandas as pd

from econ.assumptions import Scenario
from econ.assumptions.schema import FIELDS, SITE_FIELDS, STRATEGIES
from econ.assumptions.tables import load_table
from econ.cloud import DiscountSchedule
from econ.load_shape import YearSpec, scenario_year_spec
from econ.tax import country_schedules
from econ.timeline import growth

SITE_PREFIX = "site."
GEN_PREFIX = "gen."


@dataclass(frozen=True)
class ContractSpec:
    """A contract as the scenario states it (its size is resolved by :func:`econ.strategies.forecast`).

    Attributes
    ----------
    name : str
        Contract id.
    start_month, term_months : int
        Calendar [months].
    commit_usd : float
        Fixed total [USD], or NaN.
    cover_share : float
        Share of the forecast spend committed [1], or NaN.
    """

    name: str
    start_month: int
    term_months: int
    commit_usd: float
    cover_share: float


@dataclass(frozen=True)
class Inputs:
    """Arrays the models read, plus the structure that does not vary across draws.

    Attributes
    ----------
    n : int
        Number of draws (leading axis).
    months : int
        Horizon length [months]; cash flows fall at the end of months 1..months.
    site_ids, site_blocs, site_countries : tuple of str
        Sites in program order, their sovereignty blocs and countries.
    blocs : tuple of str
        Blocs with demand; ``bloc_shares`` [1] is aligned with it.
    bloc_shares : numpy.ndarray
        Share of demand per bloc, shape (B,).
    bloc_regulated : numpy.ndarray
        Regulated share of each bloc's demand where the scenario states one
        (``demand.regulated_shares.<bloc>``), NaN where ``demand.regulated_share`` applies, shape (B,).
    order_equipment_before_permit : bool
        Long-lead equipment ordered at site start (True) or at permit (False).
    generation_ids : tuple of str
        Generations of the hardware trajectory.
    generation_available_month : numpy.ndarray
        Month each generation can be bought in volume [months from t = 0], shape (G,).
    list_work_per_gpu : float
        Work per GPU of the generation the cloud list price is for [reference GPUs].
    contracts : dict of str to list of ContractSpec
        Each strategy's contracts.
    reservations : dict of str to str
        Each strategy's reservation shape, ``"cheapest"``, ``"floor"`` or ``"peak"`` (``strategies.<s>.reservation``).
    load_shape : str
        ``"flat"`` or ``"hourly"`` (``demand.load_shape``, :mod:`econ.load_shape`).
    year : YearSpec
        What the representative years of hourly load share (used when ``load_shape`` is ``"hourly"``).
    schedule_terms, schedule_min_annual_usd : numpy.ndarray
        The discount schedule's tiers [months], [USD/year], shape (R,).
    schedule_discounts : numpy.ndarray
        Each tier's low, central and high discount [1], shape (3, R).
    server_tax_schedules, facility_tax_schedules : numpy.ndarray
        Depreciation fractions per tax year of each site's country, shape (S, Y).
    arrays : Mapping[str, numpy.ndarray]
        Global keys -> (n,), ``site.<field>`` -> (n, S), ``gen.<field>`` -> (n, G) float
        arrays; strategy settings as ``strategies.<name>.build_share`` -> (n,).
    permit_lost : numpy.ndarray
        (n, S) bool: the site's permit is lost (never built). All False for a plan.
    colocation : numpy.ndarray
        (S,) bool: the site is the colocation option (:func:`colocation_site`), the last
        site, after the scenario's candidate sites.
    """

    n: int
    months: int
    site_ids: tuple[str, ...]
    site_blocs: tuple[str, ...]
    site_countries: tuple[str, ...]
    blocs: tuple[str, ...]
    bloc_shares: np.ndarray
    bloc_regulated: np.ndarray
    order_equipment_before_permit: bool
    generation_ids: tuple[str, ...]
    generation_available_month: np.ndarray
    list_work_per_gpu: float
    contracts: dict[str, list[ContractSpec]]
    reservations: dict[str, str]
    load_shape: str
    year: YearSpec
    schedule_terms: np.ndarray
    schedule_min_annual_usd: np.ndarray
    schedule_discounts: np.ndarray
    server_tax_schedules: np.ndarray
    facility_tax_schedules: np.ndarray
    arrays: Mapping[str, np.ndarray]
    permit_lost: np.ndarray
    colocation: np.ndarray
    _indices: dict[str, np.ndarray] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __getitem__(self, key: str) -> np.ndarray:
        return self.arrays[key]

    def growth(self, key: str) -> np.ndarray:
        """Escalation index of the annual rate at ``key``, ``(1 + rate) ** (m / 12)`` (:func:`econ.timeline.growth`), shape (n, months).

        Computed once per input set and shared by every model that escalates with the same rate
        (the provider's costs and each strategy's running costs); read-only.

        Examples
        --------
        >>> from econ.assumptions import load_scenario
        >>> inputs = inputs_from_scenario(load_scenario("base"))
        >>> inputs.growth("finance.inflation_annual") is inputs.growth("finance.inflation_annual")
        True
        """
        if key not in self._indices:
            index = growth(self[key], self.months)
            index.flags.writeable = False
            self._indices[key] = index
        return self._indices[key]

    @cached_property
    def commit_schedule(self) -> DiscountSchedule:
        """The discount schedule of each draw: tiers interpolated at ``cloud.commit_discount_level``.

        Level 0 puts every tier at its low, 0.5 at its central and 1 at its high value,
        linearly in between, so the tiers move together (comonotone) and the schedule stays
        monotone. Computed once per input set.
        """
        level = self["cloud.commit_discount_level"][:, None]
        low, central, high = self.schedule_discounts
        discount = np.where(level <= 0.5, low + (central - low) * level / 0.5, central + (high - central) * (level - 0.5) / 0.5)
        return DiscountSchedule(self.schedule_terms, self.schedule_min_annual_usd, discount)

    @property
    def fleet_extras_share(self) -> np.ndarray:
        """What a fleet costs beyond its GPU systems, as a share of their price [1], shape (n,).

        The fabric at the fleet's scale, storage and CPU nodes, and spares
        (``hardware.network_share + storage_cpu_share + spares_share``).
        """
        share: np.ndarray = self["hardware.network_share"] + self["hardware.storage_cpu_share"] + self["hardware.spares_share"]
        return share

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


def _generations(scenario: Scenario) -> tuple[tuple[str, ...], dict[str, np.ndarray], np.ndarray, float]:
    """Generation ids, their arrays, availability months and the list generation's work per GPU.

    Price and power per GPU are the middle of each generation's published range; work is
    the benchmark throughput over the reference GPU's.
    """
    ids = tuple(g for g in str(scenario["hardware.generation_ids"]).split(",") if g)
    table = load_table("accelerator_generations").loc[list(ids)]
    reference = float(scenario["hardware.reference_throughput_tokens_per_s_per_gpu"])
    arrays = {
        GEN_PREFIX + "price_usd_per_gpu": ((table["server_price_usd_per_gpu_low"] + table["server_price_usd_per_gpu_high"]) / 2).to_numpy(
            float
        ),
        GEN_PREFIX + "it_power_kw_per_gpu": ((table["it_power_kw_per_gpu_low"] + table["it_power_kw_per_gpu_high"]) / 2).to_numpy(float),
        GEN_PREFIX + "work_per_gpu": (table["llama31_405b_offline_tokens_per_s_per_gpu"] / reference).to_numpy(float),
    }
    start = start_year_fraction(scenario)
    available = (table["availability_year"].to_numpy(float) - start) * 12.0 + float(scenario["hardware.availability_lag_months"])
    list_work = float(arrays[GEN_PREFIX + "work_per_gpu"][ids.index(str(scenario["cloud.list_generation"]))])
    return ids, {k: v[None, :] for k, v in arrays.items()}, available, list_work


def start_year_fraction(scenario: Scenario) -> float:
    """The decision date as a fractional calendar year (2027-01 -> 2027.0)."""
    period = pd.Period(str(scenario["horizon.start_month"]), freq="M")
    return period.year + (period.month - 1) / 12.0


def _contracts(scenario: Scenario) -> dict[str, list[ContractSpec]]:
    out = {}
    for strategy in STRATEGIES:
        table = scenario.contracts(strategy)
        out[strategy] = [
            ContractSpec(str(c), int(r["start_month"]), int(r["term_months"]), float(r["commit_usd"]), float(r["cover_share"]))
            for c, r in table.iterrows()
        ]
    return out


def _tax_schedules(countries: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray]:
    pairs = [country_schedules(c) for c in countries]
    width = max([1, *(max(s.size, f.size) for s, f in pairs)])

    def stack(items: list[np.ndarray]) -> np.ndarray:
        return np.array([np.pad(x, (0, width - x.size)) for x in items]).reshape(len(items), width)

    return stack([s for s, _ in pairs]), stack([f for _, f in pairs])


def inputs_from_scenario(scenario: Scenario) -> Inputs:
    """The one-draw (deterministic) inputs of a scenario: the plan, with no permit lost.

    Examples
    --------
    >>> from econ.assumptions import load_scenario
    >>> inputs = inputs_from_scenario(load_scenario("base"))
    >>> inputs.n, inputs["site.it_mw"].shape[1] == len(inputs.site_ids)
    (1, True)
    """
    arrays: dict[str, np.ndarray] = {}
    for key, spec in FIELDS.items():
        if spec.kind in ("float", "int") and key != "horizon.years":
            arrays[key] = np.array([float(scenario[key])])
    colo = colocation_site(scenario)
    sites = (*scenario.site_ids, colo_id(scenario))
    for fname, spec in SITE_FIELDS.items():
        if spec.kind == "float":
            values = [float(scenario[f"build.sites.{s}.{fname}"]) for s in scenario.site_ids] + [colo[fname]]
            arrays[SITE_PREFIX + fname] = np.array([values]).reshape(1, len(sites))
    for strategy in STRATEGIES:
        arrays[f"strategies.{strategy}.build_share"] = np.array([float(scenario[f"strategies.{strategy}.build_share"])])
    countries = (*(str(scenario[f"build.sites.{s}.country_id"]) for s in scenario.site_ids), str(scenario["colo.country_id"]))
    home = str(scenario["tax.home_country"])
    arrays["tax.home_rate"] = load_table("country_costs").loc[[home], "corporate_tax_rate_fraction"].to_numpy(float)
    arrays["horizon.start_year_fraction"] = np.array([start_year_fraction(scenario)])
    gen_ids, gen_arrays, available, list_work = _generations(scenario)
    arrays |= gen_arrays
    shares = scenario.bloc_shares
    tiers = load_table("commit_schedule")
    server, facility = _tax_schedules(countries)
    return Inputs(
        n=1,
        months=int(scenario["horizon.years"]) * 12,
        site_ids=sites,
        site_blocs=(
            *(str(scenario[f"build.sites.{s}.sovereignty_bloc"]) for s in scenario.site_ids),
            str(scenario["colo.sovereignty_bloc"]),
        ),
        site_countries=countries,
        blocs=tuple(shares),
        bloc_shares=np.array(list(shares.values())),
        bloc_regulated=np.array([_stated(scenario, f"demand.regulated_shares.{b}") for b in shares]),
        order_equipment_before_permit=bool(scenario["build.order_equipment_before_permit"]),
        generation_ids=gen_ids,
        generation_available_month=available,
        list_work_per_gpu=list_work,
        contracts=_contracts(scenario),
        reservations={s: str(scenario[f"strategies.{s}.reservation"]) for s in STRATEGIES},
        load_shape=str(scenario["demand.load_shape"]),
        year=scenario_year_spec(scenario),
        schedule_terms=tiers["term_months"].to_numpy(float),
        schedule_min_annual_usd=tiers["min_annual_commit_usd"].to_numpy(float),
        schedule_discounts=tiers[["discount_fraction_low", "discount_fraction_central", "discount_fraction_high"]].to_numpy(float).T,
        server_tax_schedules=server,
        facility_tax_schedules=facility,
        arrays=arrays,
        permit_lost=np.zeros((1, len(sites)), dtype=bool),
        colocation=np.array([False] * len(scenario.site_ids) + [True]),
    )


def _stated(scenario: Scenario, key: str) -> float:
    """A numeric key's value, NaN where the scenario does not state it."""
    value = scenario.get(key)
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else float("nan")


def colo_id(scenario: Scenario) -> str:
    """Site id of the colocation option: ``colo-<region>``."""
    return f"colo-{scenario['colo.region_id']}"


def colocation_site(scenario: Scenario) -> dict[str, float]:
    """The colocation option as a site of the model: leased space, so no land, permit, grid or construction of its own.

    Its "facility capex" is the tenant's fit-out (``colo.fitout_usd_per_mw``) stated at t = 0
    prices; the hall is ready ``colo.lead_months`` after signing (its construction time);
    power is passed through at the region's price times the hall's PUE. The rent, and what
    the landlord provides (building, staff per MW, water), are handled by
    :func:`econ.build.owned_costs`.
    """
    rate = float(load_table("country_costs").loc[[str(scenario["colo.country_id"])], "corporate_tax_rate_fraction"].to_numpy(float)[0])
    return {
        "it_mw": float(scenario["colo.max_mw"]),
        "start_month": 0.0,
        "power_price_usd_per_mwh": float(scenario["colo.power_price_usd_per_mwh"]),
        "pue": float(scenario["colo.pue"]),
        "capex_usd_per_mw_it": float(scenario["colo.fitout_usd_per_mw"]),
        "capex_basis_year": start_year_fraction(scenario) - 0.5,  # the basis year's middle is t = 0
        "permitting_months": 0.0,
        "grid_connection_months": 0.0,
        "equipment_lead_months": 0.0,
        "construction_months": float(scenario["colo.lead_months"]),
        "delay_months": 0.0,
        "permit_loss_probability": 0.0,
        "construction_overrun_share": 0.0,
        "land_acres_per_mw": 0.0,
        "land_usd_per_acre": 0.0,
        "insurance_share_per_year": float(scenario["colo.insurance_share_per_year"]),
        "gpu_property_tax_share_per_year": float(scenario["colo.gpu_property_tax_share_per_year"]),
        "tax_rate": rate,
    }


def array_key(scenario_key: str) -> str:
    """The :class:`Inputs` array key of a scenario key (``build.sites.*.x`` -> ``site.x``)."""
    parts = scenario_key.split(".")
    if scenario_key.startswith("build.sites.") and len(parts) == 4:
        return SITE_PREFIX + parts[3]
    return scenario_key
