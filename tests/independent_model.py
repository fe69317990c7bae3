"""An independent recomputation of the monthly cash flows of strategies rent, build and hybrid.

This module is the implementation ``econ.evaluate`` is checked against in
``tests/test_independent_model.py`` (the project's standard: every kernel is tested against an
independent implementation). A reviewer wrote it from ``docs/model.md``, ``docs/design.md`` and the
docstrings of ``econ.hardware``, ``econ.cloud``, ``econ.build``, ``econ.tax``, ``econ.demand`` and
``econ.strategies``, without reading the package's function bodies, and it reproduced
``econ.evaluate(econ.load_scenario("base")).cashflows`` to the cent in every category and month.

The package is used ONLY to read input values (``econ.load_scenario``); the data tables are read
from the repository's ``data/`` directory. Every formula below is re-implemented here. Comments
cite the section of ``docs/model.md`` (or the docstring) that each formula follows. "[code]" marks
one of the few conventions the reviewers had to take from a package function body because the
docs were silent (the provider's inputs to ``k(t)``, and ``k(0)`` as ``k`` at month 1).

Where the docs are silent a choice is hard-coded here. The reviewer fixed these before comparing
and sized the alternatives one at a time; the package makes the same choices:

- maintenance and facility insurance are shares of hard capex (not capex + development);
- per-GPU staff, GPU property tax and GPU insurance are counted from the purchase month to the
  month before the next refresh; GPU systems are insured at cost, not indexed;
- servers are placed in service for tax in their purchase month;
- a sale is taxed on its gain over the basis left, including any basis no allowance recovers.

Load shape (model.md "Utilization and the shape of load"). Under ``demand.load_shape: flat`` the
fleet's utilization is ``demand.provisioned_utilization`` and owned capacity that serves demand does
``u`` times its capacity of work. Under ``hourly`` the ONE thing taken from the package is the
resolved input, the representative year of hourly load
(``econ.load_shape.representative_year(scenario)["load"]``); from it this module computes, with its
own code, ``s`` (load over its mean), ``pi = max s``, ``u = 1 / pi``, ``E[min(s, k)]`` (a sorted
cumulative sum, see :class:`LoadDurationCurve`) and the merit-order owned work
``D (1 - E[min(s, R / D)])`` that sets the owned fleet's busy share.

Plans and colocation (model.md "Colocation: owned GPUs in leased space" and "Plans and the decision
under uncertainty"). :func:`recompute_plans` costs any plan given as plain inputs (:class:`PlanSpec`:
MW per site, start months, contracts, colocation MW), next to the named ``rent``. Nothing of
``econ.plans``, ``econ.strategies`` or ``econ.build`` is called; the conventions the docs leave open
for colocation, fixed before comparing, are listed in :meth:`_Model.colo_site`.

Abandonment (econ.build module docstring and econ.build.site_schedule docstring; docs/model.md is
silent). A plan may stop a site before it is energized (:class:`PlanSpec` ``stop_month``): it is never
built; development elapsed, the deposit and the construction done are sunk, less
``build.abandon_salvage_share`` of the construction; a GPU order placed at permit costs
``build.gpu_order_cancellation_share`` of the first fleet; the land is sold at cost; the loss is
deducted when it stops (see :meth:`_Model.site_program` and :meth:`_Model._abandon`). Where the
specification is silent a stopped site does not extend the departing-customer window (it never comes
online); econ makes the same choice (checked with a premium, where it moves the flows).

Late-start construction (critical-path "late start", Russell 1970, "Cash flows in networks",
Management Science 16(5)). A site's construction starts at its permit or, where the grid connection or
the long-lead equipment arrives later, as late as it can without delaying energization:
``construction_start = max(permit, floor(max(equipment, grid) - construction_months))`` and mechanical
completion ``ceil(construction_start + construction_months)`` (whole event months). The construction
spend, the capex price date (the middle of construction), the share of construction an abandoned site
has done and a horizon's work in progress are all measured from ``construction_start``; development
still runs from the start to the permit, and the GPU order is still placed at the permit.

Reservations (model.md "Cloud price and contracts"; econ.strategies.forecast and
econ.cloud.cheapest_reservation docstrings). A contract reserves ``cover_share`` of a profile of the
plan's rented need over its term, by ``strategies.<s>.reservation``: ``floor`` (what the plan still
rents in every later month of the term), ``peak`` (the most it has rented so far in the term) or
``cheapest`` (band by band of the need, the start of reservation that costs least in present value at
the WACC against renting the band in one-year tranches, at the contract's price with no size limit and
the short-term price; :func:`cheapest_band_starts`). The base scenario uses ``cheapest`` for all
three strategies; its reserved profiles were compared with ``econ.evaluate(...).runs[s].contracts``
and are identical.

Use :func:`recompute` and :func:`recompute_plans`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import pandas as pd

from econ import load_scenario  # used only to read input values

DATA = Path(__file__).resolve().parents[1] / "data"
HOURS = 730.0  # hours per month (econ.cloud.provisioned_hours docstring: 1 unit-month = 730 h)
SERVICE_LAG = 1  # model.md "Owned program": GPUs paid at the end of month m serve (and draw power) from m + 1
MAX_TAX_YEARS = 60  # declining balance: the remainder is written off in year 60 (econ.tax.schedule docstring)
STRATEGIES = ("rent", "build", "hybrid")
CATEGORIES = (
    "land",
    "development",
    "equipment_deposit",
    "facility_capex",
    "retrofit",
    "gpu_capex",
    "gpu_resale",
    "power",
    "colocation_rent",  # zero for the named strategies: none leases colocation space
    "staff",
    "maintenance",
    "water",
    "property_tax_insurance",
    "residual_value",
    "cloud_contract",
    "take_or_pay_shortfall",
    "cloud_short_term",
    "departing_premium",
    "tax_owned",
    "tax_cloud",
)

Flows = dict[str, np.ndarray]


class ScenarioLike(Protocol):
    """What is read from a scenario: its flat input values and its site ids."""

    @property
    def values(self) -> Mapping[str, Any]: ...

    @property
    def site_ids(self) -> Sequence[str]: ...


def recompute(scenario: ScenarioLike | str = "base", overrides: Mapping[str, Any] | None = None) -> dict[str, Flows]:
    """Monthly cash flows of rent, build and hybrid: strategy -> category -> 180 monthly USD.

    ``scenario`` is a loaded scenario, or a scenario name loaded with ``overrides``. Signs follow
    the package: money paid is negative, money received positive.
    """
    if isinstance(scenario, str):
        scenario = load_scenario(scenario, overrides)
    elif overrides:
        raise ValueError("overrides go with a scenario name; a loaded scenario already carries its own")
    model = _Model(scenario)
    return {
        "rent": model.run_rent(),
        "build": model.run_build("build", 1.0),
        "hybrid": model.run_build("hybrid", model.v("strategies.hybrid.build_share")),
    }


@dataclass(frozen=True)
class PlanSpec:
    """A plan as plain inputs (model.md "Plans and the decision under uncertainty").

    ``site_mw``: IT MW built at each named site (others not built), a share ``MW / build.sites.<id>.it_mw``
    of it; ``start_month``: requested start of named sites (others keep ``build.sites.<id>.start_month``),
    then delayed in site order by the MW budget (claim C21); ``contracts``: (start month, term months,
    cover share of what the plan rents); ``reservation``: ``floor``, ``peak`` or ``cheapest`` (see
    :func:`reservation_profile`); ``colocation_mw``: IT MW of owned GPUs placed in leased colocation space;
    ``stop_month``: month the owner abandons a named site (others never), see :meth:`_Model.site_program`.
    """

    name: str
    site_mw: Mapping[str, float] = field(default_factory=dict)
    start_month: Mapping[str, float] = field(default_factory=dict)
    contracts: Sequence[tuple[int, int, float]] = ()
    reservation: str = "cheapest"
    colocation_mw: float = 0.0
    stop_month: Mapping[str, float] = field(default_factory=dict)


def recompute_plans(scenario: ScenarioLike, plans: Sequence[PlanSpec]) -> dict[str, Flows]:
    """Monthly cash flows of the named ``rent`` and of each plan: name -> category -> 180 monthly USD."""
    model = _Model(scenario)
    out = {"rent": model.run_rent()}
    for plan in plans:
        if plan.name in out:
            raise ValueError(f"plan name {plan.name!r} twice")
        out[plan.name] = model.run_plan(plan)
    return out


def discount_factors(scenario: ScenarioLike) -> np.ndarray:
    """End-of-month discount factors (design.md: annual effective rate converted once to monthly)."""
    values = dict(scenario.values)
    months = int(values["horizon.years"]) * 12
    return (1 + float(values["finance.discount_rate_annual"])) ** (-np.arange(1, months + 1) / 12)


# ------------------------------------------------------------------------------------------------
# Pure helpers
# ------------------------------------------------------------------------------------------------
def crf(r: float, life: float) -> float:
    """Capital recovery factor."""
    return r / (1 - (1 + r) ** -life)


def capacity_cost_per_gpu_hour(
    price: np.ndarray,
    kw: np.ndarray,
    *,
    extras: float,
    rate: float,
    life: float,
    resale: float,
    facility_usd_per_mw: np.ndarray,
    facility_life: float,
    maintenance: float,
    pue: float,
    power_usd_per_mwh: np.ndarray,
    load: float,
    staff_mw: np.ndarray,
    staff_gpu: np.ndarray,
) -> np.ndarray:
    """Levelized cost of a GPU-hour (econ.hardware.capacity_cost_per_gpu_hour docstring).

    Capital charge at the WACC net of resale, facility capital and maintenance, power, staff.
    Property tax and insurance are zero for the provider [code].
    """
    gpu_capital = price * (1 + extras) * (1 - resale * (1 + rate) ** -life) * crf(rate, life)
    facility = facility_usd_per_mw * kw / 1000
    facility_capital = facility * crf(rate, facility_life)
    facility_maintenance = facility * maintenance
    power = kw * pue * load * power_usd_per_mwh * 8760 / 1000
    staff = staff_mw * kw / 1000 + staff_gpu
    return (gpu_capital + facility_capital + facility_maintenance + power + staff) / 8760


def one_year_tranches(need: np.ndarray, unit_price: np.ndarray, start_flag: np.ndarray, term: int) -> tuple[np.ndarray, np.ndarray]:
    """Short-term capacity as tranches of ``term`` months (econ.cloud.short_term_tranches docstring).

    ``need[i]``: capacity beyond the reservations in month i + 1; ``unit_price[i]``: USD per
    unit-hour of a tranche started then; ``start_flag[i]``: the departing premium rate a tranche
    started then pays on its whole term. In each month the need beyond what the tranches started in
    the previous ``term - 1`` months still hold is added as a new tranche, held and paid in months
    j .. j + term - 1, idle months included, cut at the horizon. Returns (paid before the premium,
    premium paid), USD per month.
    """
    months = len(need)
    added = np.zeros(months)
    paid = np.zeros(months)
    premium = np.zeros(months)
    for j in range(months):
        held = added[max(0, j - term + 1) : j].sum()
        add = max(need[j] - held, 0.0)
        if add <= 0:
            continue
        added[j] = add
        end = min(j + term, months)
        paid[j:end] += add * unit_price[j] * HOURS
        premium[j:end] += add * unit_price[j] * HOURS * start_flag[j]
    return paid, premium


def tranche_price(reserved: np.ndarray, price: np.ndarray, start: int, term: int) -> np.ndarray:
    """Average locked price of the reserved capacity in each month of a term (econ.cloud.tranche_price docstring).

    Capacity added in month t (max(R(t) - R(t-1), 0), the first month's whole reservation
    included) is priced at p(t) and keeps it. R never falls within a term (model.md "Cloud price
    and contracts"), so the average is that of everything added so far.
    """
    months = len(reserved)
    out = np.zeros(months)
    held = avg = 0.0
    for t in range(start + 1, min(start + term, months) + 1):
        i = t - 1
        add = max(reserved[i] - held, 0.0)
        if add > 0:
            avg = (avg * held + price[i] * add) / (held + add)
        held = reserved[i]
        out[i] = avg
    return out


def cheapest_band_starts(
    need: np.ndarray, price: np.ndarray, df: np.ndarray, contract_factor: float, short_factor: float, short_term: int
) -> np.ndarray:
    """The reservation of one term that costs least for a known need, band by band (econ.cloud.cheapest_reservation docstring).

    ``need``, ``price``, ``df``: the plan's rented need, list price and end-of-month discount factor
    in each month t = 0 .. L-1 of the term. The need is cut into bands at its distinct positive
    levels v_1 < ... < v_K (widths v_k - v_{k-1}, v_0 = 0); band k is needed in the months with
    need >= v_k. For each band and each start a in 0 .. L (L: never reserved in this term) the
    cost per unit of width is the PV of the short-term tranches that meet the band's need in the
    months t < a (greedy tranches of ``short_term`` months, priced ``short_factor`` x p at their
    start, paid every month of their term, idle ones included, cut at the term's end L) plus the
    lock ``contract_factor`` x p(a) x (df(a) + ... + df(L-1)). The band is reserved from the first
    a of least cost. Returns R(t) = sum of the widths of the bands reserved by month t (never falls).
    """
    L = len(need)
    reserved = np.zeros(L)
    levels = np.unique(need[need > 0])
    # lock[a] = c p(a) sum_{t >= a} df(t) for a < L; 0 for a = L (never reserved)
    tail = np.concatenate((np.cumsum(df[::-1])[::-1], [0.0]))
    lock = np.concatenate((contract_factor * price * tail[:L], [0.0]))
    prev = 0.0
    for level in levels:
        band = need >= level
        # greedy tranches of one unit of width: one starts in a month of need with no tranche still held;
        # a tranche's start is the same whatever later month the band is reserved from (the rule is causal)
        short_paid = np.zeros(L)  # PV of the tranche started in month j (0 where none starts)
        held_until = -1  # last month (inclusive) the latest tranche is held
        for j in range(L):
            if band[j] and j > held_until:
                end = min(j + short_term, L)
                short_paid[j] = short_factor * price[j] * df[j:end].sum()
                held_until = j + short_term - 1
        # short[a]: the tranches started in months t < a
        short = np.concatenate(([0.0], np.cumsum(short_paid)))
        cost = short + lock
        a = int(np.argmin(cost))  # the first start of least cost
        reserved[a:] += level - prev
        prev = level
    return reserved


def reservation_profile(
    rented_plan: np.ndarray,
    start: int,
    term: int,
    shape: str,
    *,
    price: np.ndarray | None = None,
    df: np.ndarray | None = None,
    contract_factor: float | None = None,
    short_factor: float | None = None,
    short_term: int | None = None,
) -> np.ndarray:
    """Reserved capacity of a contract over its term (model.md "Cloud price and contracts"; econ.strategies.forecast docstring).

    floor: in each month, what the plan still rents in every later month of the term (the reverse
    running minimum over the rest of the term); peak: the most the plan has rented so far in the
    term (running maximum); cheapest: band by band, the reservation that costs least in present
    value for the plan's known need (:func:`cheapest_band_starts`), which needs the plan's list
    ``price`` path, the end-of-month discount factors ``df`` (all months of the horizon), the
    contract's price ``contract_factor`` (1 - the best discount of the tiers the term meets, with no
    size limit) and the short-term price ``short_factor`` (both as multiples of the list price) and
    the tranches' ``short_term``. Each way R never falls within the term.
    """
    reserved = np.zeros(len(rented_plan))
    lo, hi = start, min(start + term, len(rented_plan))  # array slice of months start+1 .. start+term
    seg = rented_plan[lo:hi]
    if shape == "floor":
        reserved[lo:hi] = np.minimum.accumulate(seg[::-1])[::-1]
    elif shape == "peak":
        reserved[lo:hi] = np.maximum.accumulate(seg)
    elif shape == "cheapest":
        if price is None or df is None or contract_factor is None or short_factor is None or short_term is None:
            raise ValueError("the cheapest reservation needs price, df, contract_factor, short_factor and short_term")
        reserved[lo:hi] = cheapest_band_starts(seg, price[lo:hi], df[lo:hi], contract_factor, short_factor, short_term)
    else:
        raise ValueError(f"reservation shape {shape!r}")
    return reserved


def tax_schedule(method: str, life: float, first: float, rate: float) -> np.ndarray:
    """Fractions of basis per tax year (econ.tax.schedule docstring)."""
    if method == "none":
        return np.zeros(1)
    if method == "straight_line":
        out, rest, step = [first], 1 - first, (1 - first) / (life - 1)
        while rest > 1e-12:
            a = min(step, rest)
            out.append(a)
            rest -= a
        return np.array(out)
    if method == "declining_balance":
        out, left = [], 1.0
        for _ in range(MAX_TAX_YEARS - 1):
            out.append(left * rate)
            left -= left * rate
        out.append(left)  # the remainder written off in year MAX_TAX_YEARS
        return np.array(out)
    if method == "macrs":
        if life == 39:  # 39-year straight line, mid-month convention, placed in January (IRS Pub. 946 Table A-7a)
            base = np.array([11.5 / 12 / 39] + [1 / 39] * 38 + [0.5 / 12 / 39])
        else:  # half-year convention GDS tables (Pub. 946 Table A-1); irrelevant with 100 % bonus
            tables = {
                5: [0.2, 0.32, 0.192, 0.1152, 0.1152, 0.0576],
                15: [0.05, 0.095, 0.0855, 0.077, 0.0693, 0.0623, 0.059, 0.059, 0.0591, 0.059, 0.0591, 0.059, 0.0591, 0.059, 0.0591, 0.0295],
            }
            base = np.array(tables[int(life)])
        out_m = (1 - first) * base
        out_m[0] += first  # bonus depreciation first
        return out_m
    raise ValueError(method)


def deductions(months: int, placed: int, basis: float, rates: np.ndarray, retired: float = math.inf) -> tuple[np.ndarray, float]:
    """Tax year j's deduction at month placed + 12 j, while held (< retired) and within the horizon; basis left."""
    d = np.zeros(months)
    taken = 0.0
    if placed > months:
        return d, basis  # placed after the horizon: nothing deducted, the basis is all left
    for j, fr in enumerate(rates):
        mo = placed + 12 * j
        if mo >= retired or mo > months:
            break
        d[mo - 1] += basis * fr
        taken += basis * fr
    return d, basis - taken


class LoadDurationCurve:
    """A year's hourly load as a load-duration curve: ``s`` = load / mean load, sorted ascending.

    model.md "Utilization and the shape of load": ``pi = max s``, ``u = 1 / pi`` and
    ``E[min(s, k)] = (s(1) + ... + s(j) + (H - j) k) / H`` over the ``H`` hours sorted ascending,
    ``j`` of them below ``k``.
    """

    def __init__(self, load: np.ndarray) -> None:
        load = np.asarray(load, dtype=float)
        if load.ndim != 1 or len(load) == 0 or not np.isfinite(load).all() or (load < 0).any() or load.mean() <= 0:
            raise ValueError("an hourly load is a non-empty 1-d array of finite, non-negative values with a positive mean")
        self.s = np.sort(load / load.mean())
        self.H = len(self.s)
        self.pi = float(self.s[-1])
        self.u = 1.0 / self.pi
        # below[j] = s(1) + ... + s(j), the sum of the j lowest hours (below[0] = 0)
        self.below = np.concatenate(([0.0], np.cumsum(self.s)))

    def expected_min(self, k: np.ndarray | float) -> np.ndarray:
        """E[min(s, k)] for every k (k >= 0): the mean over the hours of the load capped at k."""
        k = np.asarray(k, dtype=float)
        j = np.searchsorted(self.s, k, side="left")  # hours strictly below k
        return (self.below[j] + (self.H - j) * k) / self.H


def rate_limited_start(mw: np.ndarray, requested: np.ndarray, budget: float) -> np.ndarray:
    """Site s starts in the first year k with (k + 1) B >= cumulative MW of sites 1..s, not before requested (claim C21)."""
    cum = np.cumsum(mw)
    out = []
    for s in range(len(mw)):
        k = 0
        while (k + 1) * budget < cum[s] - 1e-9:
            k += 1
        out.append(max(12.0 * k, requested[s]))
    return np.array(out)


@dataclass
class _Contract:
    start: int
    reserved: np.ndarray
    locked_price: np.ndarray  # USD per unit-hour, before the departing premium
    premium: float


@dataclass
class _Site:
    id: str
    mw: float
    start: int
    permit: int
    construction_start: int  # late start: the permit, or later where the grid or the equipment arrives later
    mechanical: int
    energize: int
    online: int
    rate: float
    server_schedule: np.ndarray
    facility_schedule: np.ndarray
    pue: float
    power_price: float  # USD/MWh at t = 0, before build.power_price_multiplier and escalation
    insurance_share: float
    gpu_property_tax_share: float
    colo: bool = False  # leased space (model.md "Colocation"): rent; no land, deposit, staff per MW or water
    value_life_years: float = 0.0  # life over which the facility (or fit-out) is depreciated at the horizon
    land: float = 0.0
    capex: float = 0.0
    dev: float = 0.0
    facility_basis: float = 0.0
    mid: float = 0.0
    retrofit: float = 0.0
    retrofit_month: int = 0
    stop: float = math.inf  # month the site stops before it is energized (inf: built); see _Model.site_program
    loss: float = 0.0  # a stopped site's loss, deducted when it stops (IRC 165)
    buys: list[dict[str, float]] = field(default_factory=list)
    gpus: np.ndarray = field(default_factory=lambda: np.zeros(0))
    gpu_cost: np.ndarray = field(default_factory=lambda: np.zeros(0))
    serving: np.ndarray = field(default_factory=lambda: np.zeros(0))
    cap: np.ndarray = field(default_factory=lambda: np.zeros(0))
    flows: Flows = field(default_factory=dict)


class _Model:
    """The base model's inputs and the quantities every strategy shares (trajectory, price, demand)."""

    def __init__(self, scenario: ScenarioLike) -> None:
        self.values = dict(scenario.values)
        self.sites = list(scenario.site_ids)
        v = self.v
        self.load_shape = str(v("demand.load_shape"))
        self.curve: LoadDurationCurve | None = None
        if self.load_shape == "hourly":
            # the only input taken from the package for the shape: the resolved representative year
            from econ.load_shape import representative_year

            self.curve = LoadDurationCurve(representative_year(scenario)["load"].to_numpy())
        elif self.load_shape != "flat":
            raise ValueError(f"demand.load_shape {self.load_shape!r}")
        self.M = M = int(v("horizon.years")) * 12  # 180 months
        self.m = np.arange(1, M + 1, dtype=float)  # month index 1..M (end of month)
        start = str(v("horizon.start_month"))
        self.start_year = int(start[:4]) + (int(start[5:7]) - 1) / 12
        self.wacc = v("finance.discount_rate_annual")
        self.extras = v("hardware.network_share") + v("hardware.storage_cpu_share") + v("hardware.spares_share")
        self._trajectory()
        self._price()
        self._demand()
        self._discount_schedule()
        countries = pd.read_csv(DATA / "country_costs.csv").set_index("country_id")
        self.home_rate = float(countries.loc[v("tax.home_country"), "corporate_tax_rate_fraction"])
        self.tax_depreciation = pd.read_csv(DATA / "tax_depreciation.csv")

    def v(self, key: str) -> Any:
        return self.values[key]

    def sv(self, site: str, name: str) -> Any:
        return self.values[f"build.sites.{site}.{name}"]

    # --------------------------------------------------------------------------------------------
    # 1. Hardware trajectory (model.md "One hardware trajectory"; econ.hardware docstrings)
    # --------------------------------------------------------------------------------------------
    def _trajectory(self) -> None:
        v, M, m = self.v, self.M, self.m
        gens = pd.read_csv(DATA / "accelerator_generations.csv").set_index("generation_id")
        self.generations = gens
        ref_tp = v("hardware.reference_throughput_tokens_per_s_per_gpu")
        self.ref_tp = ref_tp
        lag = v("hardware.availability_lag_months")
        avail, price, kw, work = [], [], [], []
        for g in v("hardware.generation_ids").split(","):
            row = gens.loc[g]
            # price and power per GPU: the middle of each generation's published range
            price.append(0.5 * (row.server_price_usd_per_gpu_low + row.server_price_usd_per_gpu_high) * v("hardware.price_multiplier"))
            kw.append(0.5 * (row.it_power_kw_per_gpu_low + row.it_power_kw_per_gpu_high))
            work.append(row.llama31_405b_offline_tokens_per_s_per_gpu / ref_tp)
            # volume purchases start `lag` months into the availability year; months from t = 0
            avail.append((row.availability_year - self.start_year) * 12 + lag)
        # after the last row, a new generation every cadence months: a_L + k c <= M, x_L (1 + g) ** (k c / 12)
        cad = v("hardware.cadence_months")
        gp, gk, gw = v("hardware.price_growth_annual"), v("hardware.power_growth_annual"), v("hardware.work_growth_annual")
        a_last, p_last, k_last, w_last = avail[-1], price[-1], kw[-1], work[-1]
        k = 1
        while a_last + k * cad <= M:
            avail.append(a_last + k * cad)
            price.append(p_last * (1 + gp) ** (k * cad / 12))
            kw.append(k_last * (1 + gk) ** (k * cad / 12))
            work.append(w_last * (1 + gw) ** (k * cad / 12))
            k += 1
        g_avail, g_price, g_kw, g_work = map(np.array, (avail, price, kw, work))
        # frontier at each month end: lowest price per unit of work among generations available (a <= m);
        # ties keep the earlier generation
        front = np.empty(M, dtype=int)
        for i, mm in enumerate(m):
            ok = np.where(g_avail <= mm)[0]
            front[i] = ok[np.argmin(g_price[ok] / g_work[ok])]  # argmin returns the first (earliest) on ties
        self.P_t, self.KW_t, self.W_t = g_price[front], g_kw[front], g_work[front]

    def traj_at(self, month: int) -> tuple[float, float, float]:
        """Frontier bought at a whole month: month 0 buys month 1's frontier; past the end clipped to M."""
        i = int(min(max(month, 1), self.M)) - 1
        return float(self.P_t[i]), float(self.KW_t[i]), float(self.W_t[i])

    def resale_share(self, age_months: float) -> float:
        """b ** age_years x liquidation share (econ.build.resale_share docstring)."""
        return float(self.v("hardware.residual_share_per_year") ** (age_months / 12) * self.v("hardware.liquidation_share"))

    # --------------------------------------------------------------------------------------------
    # 2. Provider cost k(t) and list price p(t) (model.md "Cloud price and contracts";
    #    econ.hardware.capacity_cost_per_gpu_hour docstring)
    # --------------------------------------------------------------------------------------------
    def _price(self) -> None:
        v, m = self.v, self.m
        # [code] econ.strategies.provider_cost: extras = network + storage + spares, rate = the provider's
        # cost of capital (model.md: cloud.provider_discount_rate_annual, not the buyer's WACC), life =
        # refresh years, residual = b ** refresh x liquidation, facility = cloud.provider_facility_usd_per_mw_it,
        # life build.facility_life_years, maintenance build.*, PUE and power cloud.provider_*, load share 1,
        # staff build.*, property tax and insurance 0.
        # model.md: facility, power and staff escalate at the owner's construction, power and inflation
        # rates, (1 + rate) ** (t / 12) at month end t = m.
        esc_fac = (1 + v("build.construction_escalation_annual")) ** (m / 12)
        esc_pow = (1 + v("build.power_price_escalation_annual")) ** (m / 12)
        esc_staff = (1 + v("finance.inflation_annual")) ** (m / 12)
        life = v("hardware.refresh_years")
        k_t = (
            capacity_cost_per_gpu_hour(
                self.P_t,
                self.KW_t,
                extras=self.extras,
                rate=v("cloud.provider_discount_rate_annual"),
                life=life,
                resale=self.resale_share(12 * life),
                facility_usd_per_mw=v("cloud.provider_facility_usd_per_mw_it") * esc_fac,
                facility_life=v("build.facility_life_years"),
                maintenance=v("build.maintenance_share_of_capex_per_year"),
                pue=v("cloud.provider_pue"),
                power_usd_per_mwh=v("cloud.provider_power_usd_per_mwh") * esc_pow,
                load=1.0,
                staff_mw=v("build.staff_usd_per_mw_per_year") * esc_staff,
                staff_gpu=v("build.staff_usd_per_gpu_per_year") * esc_staff,
            )
            / self.W_t
        )
        # p(0): the list price of the list generation per unit of its work; k(0): k at month 1 [code]
        list_work = self.generations.loc[v("cloud.list_generation"), "llama31_405b_offline_tokens_per_s_per_gpu"] / self.ref_tp
        p0 = v("cloud.list_usd_per_gpu_hour") / list_work
        self.price = p0 * k_t / k_t[0] * (1 + v("cloud.markup_change_annual")) ** (m / 12)

    # --------------------------------------------------------------------------------------------
    # 3. Demand (model.md "Units of work"; econ.demand.demand_work, econ.strategies.initial_demand)
    # --------------------------------------------------------------------------------------------
    def _demand(self) -> None:
        v = self.v
        # model.md "Utilization and the shape of load": flat, LBNL's utilization; hourly, 1 / pi of the year
        u = self.u = float(v("demand.provisioned_utilization")) if self.curve is None else self.curve.u
        d0 = v("demand.initial_it_mw") * 1000 / self.KW_t[0] * self.W_t[0] * u  # busy reference GPUs at t = 0
        t_y = self.m / 12
        t1, t2 = v("demand.growth_years"), v("demand.late_growth_years")
        busy = (
            d0 * (1 + v("demand.growth_annual")) ** np.minimum(t_y, t1) * (1 + v("demand.late_growth_annual")) ** np.clip(t_y - t1, 0, t2)
        )
        # price response: evaluate() follows the plan's own price path, so the multiplier is 1
        self.busy = busy  # D, the mean busy work [reference GPUs]
        self.provisioned = busy / u

    # --------------------------------------------------------------------------------------------
    # 4. Contracts (model.md "Cloud price and contracts"; econ.cloud docstrings)
    # --------------------------------------------------------------------------------------------
    def _discount_schedule(self) -> None:
        sched = pd.read_csv(DATA / "commit_schedule.csv")
        lvl = self.v("cloud.commit_discount_level")  # 0 = low, 0.5 = central, 1 = high, linear between
        if lvl <= 0.5:
            disc = sched.discount_fraction_low + (sched.discount_fraction_central - sched.discount_fraction_low) * lvl / 0.5
        else:
            disc = sched.discount_fraction_central + (sched.discount_fraction_high - sched.discount_fraction_central) * (lvl - 0.5) / 0.5
        self.tier_term = sched.term_months.to_numpy(float)
        self.tier_min = sched.min_annual_commit_usd.to_numpy(float)
        self.tier_disc = disc.to_numpy(float)
        # short-term tranches: the shortest tier with no size minimum (12 months)
        no_min = self.tier_min == 0
        shortest = np.argmin(self.tier_term[no_min])
        self.d_short = float(self.tier_disc[no_min][shortest])
        self.short_term = int(self.tier_term[no_min][shortest])

    def contract_discount(self, reserved: np.ndarray, start: int, term: int, premium: float) -> tuple[float, np.ndarray]:
        """Best tier whose term and annual minimum the contract's own annual size at that tier's price meets."""
        tp = tranche_price(reserved, self.price, start, term)
        best = 0.0
        for tt, mn, d in zip(self.tier_term, self.tier_min, self.tier_disc, strict=True):
            annual = np.sum(reserved * HOURS * tp) * (1 - d) * (1 + premium) * 12 / term
            if term >= tt and annual >= mn:
                best = max(best, d)
        return best, tp

    def named_contracts(self, strategy: str) -> list[tuple[int, int, float]]:
        """A named strategy's contracts (strategies.<name>.contracts.<id>), in id order: (start, term, cover share)."""
        prefix = f"strategies.{strategy}.contracts."
        ids = sorted({k[len(prefix) :].split(".")[0] for k in self.values if k.startswith(prefix)})
        out = []
        for c in ids:
            if f"{prefix}{c}.cover_share" not in self.values:
                raise NotImplementedError("contracts of a fixed commit_usd do not occur in the scenarios checked")
            start, term, cover = (self.v(f"{prefix}{c}.{k}") for k in ("start_month", "term_months", "cover_share"))
            out.append((int(start), int(term), float(cover)))
        return out

    def cloud_flows(
        self,
        contract_specs: Sequence[tuple[int, int, float]],
        shape: str,
        rented: np.ndarray,
        window: np.ndarray,
        last_online: float | None,
    ) -> Flows:
        """The plan's contracts on its rented plan (each reserves ``cover`` x the shape's profile), and the rest rented short-term.

        ``shape``: ``floor``, ``peak`` or ``cheapest`` (:func:`reservation_profile`). The cheapest shape
        plans on the plan's list price path ``self.price``, the end-of-month discount factors at the
        WACC, the contract's price factor 1 - (best discount of the tiers whose term the contract
        meets, no size limit, no departing premium) and the short-term factor (1 - d_12)(1 + premium).
        """
        v, M = self.v, self.M
        dep = v("cloud.departing_contract_premium")
        short_factor = (1 - self.d_short) * (1 + v("cloud.short_term_premium"))
        df = (1 + self.wacc) ** (-self.m / 12)  # end-of-month discount factors at the WACC
        contracts = []
        for start, term, cover in contract_specs:
            start, term = int(start), int(term)
            # the cheapest shape plans at the contract's price with no size limit: 1 - the best discount of
            # the tiers whose term the contract meets (no departing premium), against the short-term price
            terms_met = self.tier_term <= term
            contract_factor = 1 - float(self.tier_disc[terms_met].max()) if terms_met.any() else 1.0
            profile = reservation_profile(
                rented,
                start,
                term,
                shape,
                price=self.price,
                df=df,
                contract_factor=contract_factor,
                short_factor=short_factor,
                short_term=self.short_term,
            )
            reserved = cover * profile
            # model.md "A departing customer": the premium applies to a contract signed inside the window
            in_window = last_online is not None and start <= last_online + v("cloud.departure_tail_months")
            premium = dep if in_window else 0.0
            d, tp = self.contract_discount(reserved, start, term, premium)
            contracts.append(_Contract(start, reserved, tp * (1 - d), premium))
        # take-or-pay: the reserved capacity is paid whether used or not
        out = {c: np.zeros(M) for c in ("cloud_contract", "take_or_pay_shortfall", "cloud_short_term", "departing_premium")}
        reserved_total = np.zeros(M)
        for ct in contracts:
            out["cloud_contract"] -= np.minimum(rented, ct.reserved) * HOURS * ct.locked_price
            out["take_or_pay_shortfall"] -= np.maximum(ct.reserved - rented, 0) * HOURS * ct.locked_price
            out["departing_premium"] -= ct.reserved * HOURS * ct.locked_price * ct.premium
            reserved_total += ct.reserved
        # beyond the reservations: one-year tranches at the month's list x (1 - d_12)(1 + s), paid for
        # their whole term; a tranche started inside the window pays the departing premium on its whole term
        beyond = np.maximum(rented - reserved_total, 0)
        paid, premium_paid = one_year_tranches(beyond, self.price * short_factor, dep * window.astype(float), self.short_term)
        out["cloud_short_term"] -= paid
        out["departing_premium"] -= premium_paid
        return out

    # --------------------------------------------------------------------------------------------
    # 5. Strategy rent
    # --------------------------------------------------------------------------------------------
    def run_rent(self) -> Flows:
        flows = {c: np.zeros(self.M) for c in CATEGORIES}
        cf = self.cloud_flows(
            self.named_contracts("rent"), str(self.v("strategies.rent.reservation")), self.provisioned, np.zeros(self.M, bool), None
        )
        for key, a in cf.items():
            flows[key] += a
        # model.md "Tax and discounting": rented capacity is deducted at the home country's rate
        flows["tax_cloud"] = -self.home_rate * sum(cf.values())
        return flows

    # --------------------------------------------------------------------------------------------
    # 6. Strategies build and hybrid (model.md "Owned program", "Tax and discounting";
    #    econ.build, econ.timeline and econ.tax docstrings)
    # --------------------------------------------------------------------------------------------
    def country_schedules(self, country: str) -> tuple[np.ndarray, np.ndarray]:
        """Server schedule, and the facility schedule as the share-weighted mix of its classes."""
        t = self.tax_depreciation[self.tax_depreciation.country_id == country]
        srv = t[t.asset_class == "server"].iloc[0]
        server = tax_schedule(srv.method, srv.life_years, srv.first_year_fraction, srv.rate_per_year_fraction)
        fac = np.zeros(MAX_TAX_YEARS + 1)
        for _, r in t[t.asset_class != "server"].iterrows():
            sch = tax_schedule(r.method, r.life_years, r.first_year_fraction, r.rate_per_year_fraction) * r.share_of_class_fraction
            fac[: len(sch)] += sch
        return server, fac

    def site_program(
        self, shares: Mapping[str, float], requested: Mapping[str, float] | None = None, stops: Mapping[str, float] | None = None
    ) -> list[_Site]:
        """Each built site's schedule (model.md "Owned program"; econ.timeline docstring): event months rounded up.

        Construction starts late (module docstring): ``construction_start = max(permit,
        floor(max(equipment, grid) - construction_months))`` on the whole permit, equipment and grid
        months; mechanical completion ``max(ceil(construction_start + construction_months), 1)``;
        energization ``ceil(max(mechanical, equipment, grid) + delay_months)``; GPUs online at
        ``max(energize, permit + build.gpu_delivery_lead_months)`` (ordered at the permit).

        ``shares``: share of each site's IT MW built (missing = 0, not built); ``requested``: start
        months overriding ``build.sites.<id>.start_month``. Starts are then rate limited in site order
        over every candidate site (an unbuilt site has 0 MW, so it takes no budget).

        ``stops``: month the owner abandons a site (econ.build module and site_schedule docstrings):
        rounded up to a whole month, moved to the start if earlier, and taking effect only before the
        site's energize month and within the horizon (``<= M``); otherwise ignored (the site is built).
        A stopped site keeps its place in the MW budget (its start was decided before it stopped). A
        lost permit (the Monte Carlo's) does not occur here: ``econ.evaluate`` is one draw, no permit lost.
        """
        v, sv = self.v, self.sv
        requested = requested or {}
        stops = stops or {}
        unknown = (set(shares) | set(requested) | set(stops)) - set(self.sites)
        if unknown:
            raise ValueError(f"unknown sites {sorted(unknown)}")
        mw = np.array([sv(s, "it_mw") * float(shares.get(s, 0.0)) for s in self.sites])
        req = np.array([float(requested.get(s, sv(s, "start_month"))) for s in self.sites])
        start = rate_limited_start(mw, req, v("build.max_mw_started_per_year"))
        out = []
        for i, s in enumerate(self.sites):
            if mw[i] <= 0:
                continue  # not built
            st = start[i]
            permit = st + sv(s, "permitting_months")
            # long-lead equipment ordered at risk (at the start) or after the permit
            equip = (st if v("build.order_equipment_before_permit") else permit) + sv(s, "equipment_lead_months")
            grid = st + sv(s, "grid_connection_months")
            # late start (Russell 1970): construction begins at the permit or, where the grid or the
            # equipment (whole event months) arrives later, as late as it can without delaying energization
            p_w, e_w, g_w = math.ceil(permit), math.ceil(equip), math.ceil(grid)
            build_months = sv(s, "construction_months")
            c_start = max(p_w, math.floor(max(e_w, g_w) - build_months + 1e-9))
            mech = max(math.ceil(c_start + build_months - 1e-9), 1)
            energize = max(mech, e_w, g_w) + sv(s, "delay_months")
            online = max(energize, permit + v("build.gpu_delivery_lead_months"))
            server, facility = self.country_schedules(sv(s, "country_id"))
            stop = math.inf
            if math.isfinite(float(stops.get(s, math.inf))):
                stop = max(math.ceil(float(stops[s])), math.ceil(st))  # a whole month, not before the start
                if not (stop < math.ceil(energize) and stop <= self.M):
                    stop = math.inf  # at or after energization, or beyond the horizon: ignored
            out.append(
                _Site(
                    id=s,
                    mw=float(mw[i]),
                    start=math.ceil(st),
                    permit=p_w,
                    construction_start=c_start,
                    mechanical=mech,
                    energize=math.ceil(energize),
                    online=math.ceil(online),
                    stop=stop,
                    rate=float(sv(s, "tax_rate")),
                    server_schedule=server,
                    facility_schedule=facility,
                    pue=float(sv(s, "pue")),
                    power_price=float(sv(s, "power_price_usd_per_mwh")),
                    insurance_share=float(sv(s, "insurance_share_per_year")),
                    gpu_property_tax_share=float(sv(s, "gpu_property_tax_share_per_year")),
                    value_life_years=float(v("build.facility_life_years")),
                )
            )
        return out

    def colo_site(self, mw: float) -> _Site:
        """The colocation hall as one more site (model.md "Colocation: owned GPUs in leased space").

        From the docs: the lease is signed at t = 0 and the hall is ready ``colo.lead_months`` later
        (event month rounded up); GPUs serve from then, or from their delivery lead
        (``build.gpu_delivery_lead_months`` after t = 0) if later; no land, permit, grid or long-lead
        equipment; outside the MW budget; taxed at the rate of ``colo.country_id`` and depreciated on
        that country's facility schedule; the fit-out valued at the horizon over ``colo.lease_years``.

        Choices where the docs are silent, fixed before comparing with the package:

        - the hall's "construction" is the lead time (econ.inputs.colocation_site docstring: "its
          construction time"), from t = 0 (the permit month and the construction start are both 0:
          with no grid or equipment leg of its own the late start is its permit) to ready;
        - the fit-out, stated at t = 0 prices, is escalated like a guide's price from its price date
          (t = 0) to the middle of that construction (``colo.lead_months / 2``), with no overrun and no
          ``build.facility_capex_multiplier`` (which scales the market guides); costs stated in its
          prices (maintenance, facility insurance, the retrofit) are indexed from that middle;
        - development (``build.development_share_of_capex`` of the fit-out) falls at the start: its
          window start .. permit is empty, and econ.ledger.Monthly.spread's docstring puts the whole amount
          of a zero-length window in month max(end, 1);
        - power: ``colo.power_price_usd_per_mwh`` x ``build.power_price_multiplier``, escalated at
          ``build.power_price_escalation_annual`` as an owned site's;
        - the mid-life retrofit (``build.retrofit_after_years`` after ready) is valued at the horizon over
          what is left of the lease after it, as an owned site's is over the facility's remaining life;
        - the hall counts as a site for the departing-customer window (its online month).

        The first version of ``econ.evaluate`` disagreed with the docs on two points (ready one month
        later; a deposit on the fit-out); econ was corrected to the docs.
        """
        v = self.v
        country = str(v("colo.country_id"))
        server, facility = self.country_schedules(country)
        countries = pd.read_csv(DATA / "country_costs.csv").set_index("country_id")
        ready = v("colo.lead_months")
        online = max(ready, v("build.gpu_delivery_lead_months"))
        return _Site(
            id=f"colo-{v('colo.region_id')}",
            mw=float(mw),
            start=0,
            permit=0,
            construction_start=0,  # no grid or equipment of its own: the late start is the permit
            mechanical=max(math.ceil(ready), 1),
            energize=max(math.ceil(ready), 1),
            online=max(math.ceil(online), 1),
            rate=float(countries.loc[country, "corporate_tax_rate_fraction"]),
            server_schedule=server,
            facility_schedule=facility,
            pue=float(v("colo.pue")),
            power_price=float(v("colo.power_price_usd_per_mwh")),
            insurance_share=float(v("colo.insurance_share_per_year")),
            gpu_property_tax_share=float(v("colo.gpu_property_tax_share_per_year")),
            colo=True,
            value_life_years=float(v("colo.lease_years")),
        )

    def escal(self, rate: float, months_from_0: np.ndarray | float) -> np.ndarray:
        return np.asarray((1 + rate) ** (np.asarray(months_from_0, dtype=float) / 12))

    def on_from(self, month: int) -> np.ndarray:
        return (self.m >= month).astype(float)

    def _capex_and_fleet(self, d: _Site) -> None:
        """Land, development, deposit, facility capex, retrofit, GPU purchases and resales of one site."""
        v, sv, M, s = self.v, self.sv, self.M, d.id
        e_c = v("build.construction_escalation_annual")
        life_gpu = round(float(v("hardware.refresh_years")) * 12)
        f = d.flows = {c: np.zeros(M) for c in CATEGORIES}
        d.mid = (d.construction_start + d.mechanical) / 2  # capex price date: the middle of construction
        if d.colo:
            # leased space: no land; the fit-out (t = 0 prices) escalated to the middle of the hall's lead time
            d.land = 0.0
            d.capex = d.mw * v("colo.fitout_usd_per_mw") * (1 + e_c) ** (d.mid / 12)
            dep = 0.0  # no long-lead equipment of its own
        else:
            d.land = d.mw * sv(s, "land_acres_per_mw") * sv(s, "land_usd_per_acre")
            f["land"][max(d.start, 1) - 1] -= d.land  # at the start
            # facility hard capex: the guide's price stated for the middle of its basis year (per site),
            # escalated to the middle of construction, plus overrun
            years = self.start_year + d.mid / 12 - (sv(s, "capex_basis_year") + 0.5)
            d.capex = (
                d.mw
                * sv(s, "capex_usd_per_mw_it")
                * v("build.facility_capex_multiplier")
                * (1 + e_c) ** years
                * (1 + sv(s, "construction_overrun_share"))
            )
            dep = v("build.equipment_deposit_share_of_capex") * d.capex if v("build.order_equipment_before_permit") else 0.0
        # development: soft costs on top of hard capex, spread from the start to the permit (months
        # start+1..permit); a zero-length window (the colocation hall) puts it all in month max(permit, 1).
        # A stopped site pays the months elapsed, start+1..min(permit, stop), at the same monthly amount.
        stopped = math.isfinite(d.stop)
        d.dev = v("build.development_share_of_capex") * d.capex
        if d.permit > d.start:
            dev_end = min(d.permit, int(d.stop)) if stopped else d.permit
            f["development"][d.start : dev_end] -= d.dev / (d.permit - d.start)
            dev_spent = d.dev * (dev_end - d.start) / (d.permit - d.start)
        else:
            f["development"][max(d.permit, 1) - 1] -= d.dev
            dev_spent = d.dev
        f["equipment_deposit"][max(d.start, 1) - 1] -= dep  # at order (start); a stopped site forfeits it
        construction = d.capex - dep
        # construction: construction_start+1..mechanical (hall: 1..ready); a stopped site pays
        # construction_start+1..min(mechanical, stop), nothing if it stops before construction starts
        c0 = d.construction_start
        build_end = min(d.mechanical, int(d.stop)) if stopped else d.mechanical
        f["facility_capex"][c0:build_end] -= construction / (d.mechanical - c0)  # empty if build_end <= construction_start
        d.facility_basis = construction + dep + d.dev  # capitalised, placed in service at energization
        d.gpus, d.gpu_cost, d.serving, d.cap = np.zeros(M), np.zeros(M), np.zeros(M), np.zeros(M)
        if stopped:
            built_spent = construction * min(max((build_end - c0) / (d.mechanical - c0), 0.0), 1.0)
            self._abandon(d, dev_spent + dep, built_spent)
            return
        # mid-life retrofit, escalated (construction index) from the capex price date to its month
        d.retrofit_month = d.energize + round(12 * float(v("build.retrofit_after_years")))
        if d.retrofit_month <= M:
            d.retrofit = v("build.retrofit_share_of_capex") * d.capex * (1 + e_c) ** ((d.retrofit_month - d.mid) / 12)
            f["retrofit"][d.retrofit_month - 1] -= d.retrofit
        # fleet: the frontier at online, replaced every refresh; the replaced fleet sold at the used-market value
        at = d.online
        while at <= M:
            price, kw, work = self.traj_at(at)
            gpus = d.mw * 1000 / kw
            d.buys.append({"at": at, "gpus": gpus, "cap": gpus * work, "cost": gpus * price * (1 + self.extras)})
            at += life_gpu
        for j, b in enumerate(d.buys):
            b["retired"] = d.buys[j + 1]["at"] if j + 1 < len(d.buys) else math.inf
            f["gpu_capex"][int(b["at"]) - 1] -= b["cost"]
            if b["retired"] <= M:
                b["sale"] = b["cost"] * self.resale_share(b["retired"] - b["at"])
                f["gpu_resale"][int(b["retired"]) - 1] += b["sale"]
        # a fleet serves from at + 1 through retired (a replaced fleet serves through the refresh month);
        # per-GPU costs count the fleet held, from its purchase month to the month before the next purchase
        for b in d.buys:
            at, end = int(b["at"]), int(min(b["retired"], M + 1))  # end: first month of the next fleet's purchase
            serve = slice(at - 1 + SERVICE_LAG, min(end - 1 + SERVICE_LAG, M))
            held = slice(at - 1, min(end - 1, M))
            d.cap[serve] = b["cap"]
            d.serving[serve] = 1.0
            d.gpus[held] = b["gpus"]
            d.gpu_cost[held] = b["cost"]

    def _abandon(self, d: _Site, sunk_before_construction: float, built_spent: float) -> None:
        """A site stopped before it is energized (econ.build module docstring): what happens at the stop month.

        All at month max(stop, 1): ``build.abandon_salvage_share`` of the construction spent is
        recovered (facility_capex, positive); a GPU order placed at permit (stop after the permit) for a
        site planned online within the horizon costs ``build.gpu_order_cancellation_share`` of the first
        purchase it would have made at online (the frontier's GPUs in its MW, times 1 + fleet extras;
        gpu_capex); the land is sold at cost. The loss (development and deposit spent, construction
        spent less salvage, plus the cancellation) is deducted then at the site's rate, in
        :meth:`run_owned`. No GPUs, retrofit, opex, depreciation or residual value.
        """
        v, f = self.v, d.flows
        at = max(int(d.stop), 1) - 1
        f["land"][at] += d.land
        salvage = v("build.abandon_salvage_share") * built_spent
        f["facility_capex"][at] += salvage
        cancellation = 0.0
        if d.stop > d.permit and d.online <= self.M:
            price, kw, _ = self.traj_at(d.online)
            cancellation = v("build.gpu_order_cancellation_share") * d.mw * 1000 / kw * price * (1 + self.extras)
            f["gpu_capex"][at] -= cancellation
        d.loss = sunk_before_construction + built_spent - salvage + cancellation

    def owned_work(self, served: np.ndarray) -> np.ndarray:
        """Busy reference GPUs of the owned capacity that serves demand (model.md "Utilization and the shape of load").

        flat: ``u K`` for the served owned capacity ``K``. hourly: in merit order rented capacity
        ``R = max(P - K, 0)`` (paid whole) serves the bottom of the load-duration curve and owned
        capacity the hours above it, ``D (1 - E[min(s, R / D)])``.
        """
        if self.curve is None:
            return served * self.u
        rented = np.maximum(self.provisioned - served, 0.0)
        return self.busy * (1.0 - self.curve.expected_min(rented / self.busy))

    def run_build(self, strategy: str, share: float) -> Flows:
        """A named strategy that builds ``share`` of every site, on its own contracts and reservation shape."""
        return self.run_owned(
            self.site_program(dict.fromkeys(self.sites, share)),
            self.named_contracts(strategy),
            str(self.v(f"strategies.{strategy}.reservation")),
        )

    def run_plan(self, plan: PlanSpec) -> Flows:
        """A plan given as plain inputs (model.md "Plans and the decision under uncertainty")."""
        shares = {s: float(mw) / float(self.sv(s, "it_mw")) for s, mw in plan.site_mw.items()}
        if any(not 0 <= x <= 1 for x in shares.values()):
            raise ValueError(f"{plan.name}: a site's MW is negative or beyond its it_mw")
        program = self.site_program(shares, plan.start_month, plan.stop_month)
        if plan.colocation_mw > 0:
            if plan.colocation_mw > self.v("colo.max_mw"):
                raise ValueError(f"{plan.name}: colocation_mw beyond colo.max_mw")
            program.append(self.colo_site(plan.colocation_mw))
        return self.run_owned(program, list(plan.contracts), plan.reservation)

    def run_owned(self, program: list[_Site], contracts: Sequence[tuple[int, int, float]], shape: str) -> Flows:
        """An owned program (sites and any colocation hall), and what it still rents under its contracts."""
        v, M, m = self.v, self.M, self.m
        flows = {c: np.zeros(M) for c in CATEGORIES}
        for d in program:
            self._capex_and_fleet(d)
        owned_cap = sum((d.cap for d in program), np.zeros(M))
        # owned capacity serves first (no regulated share in the base case); the rest is rented
        served = np.minimum(self.provisioned, owned_cap)
        busy_share = np.divide(self.owned_work(served), owned_cap, out=np.zeros(M), where=owned_cap > 0)
        draw = v("hardware.idle_power_share") + (1 - v("hardware.idle_power_share")) * busy_share  # IT power drawn, share of full load
        infl = v("finance.inflation_annual")
        e_c = v("build.construction_escalation_annual")
        ix_infl = self.escal(infl, m)
        after_y = v("build.retrofit_after_years")
        tax_owned = np.zeros(M)
        for d in program:
            f, rate = d.flows, d.rate
            if math.isfinite(d.stop):  # stopped before energization: the loss deducted when it stops (IRC 165)
                tax_owned[max(int(d.stop), 1) - 1] += rate * d.loss
                for c in CATEGORIES:
                    flows[c] += f[c]
                continue
            l_fac = d.value_life_years  # an owned facility's life; a colocation fit-out's lease
            on_energ = self.on_from(d.energize)
            cap_index = self.escal(infl, m - d.mid)  # costs stated in the capex's prices, indexed from its price date
            # power: IT MW x PUE x price x hours, billed at least the minimum take of the site's MW, while GPUs serve
            billed = np.maximum(draw, v("build.power_minimum_take_share"))
            pprice = d.power_price * v("build.power_price_multiplier") * self.escal(v("build.power_price_escalation_annual"), m)
            f["power"] -= d.serving * d.mw * d.pue * billed * HOURS * pprice
            # colocation: the landlord's staff per MW and water are in the rent; the company's staff per GPU are not
            staff_mw = np.zeros(M) if d.colo else on_energ * v("build.staff_usd_per_mw_per_year") * d.mw / 12 * ix_infl
            staff_gpu = v("build.staff_usd_per_gpu_per_year") * d.gpus / 12 * ix_infl
            f["staff"] -= staff_mw + staff_gpu
            f["maintenance"] -= on_energ * v("build.maintenance_share_of_capex_per_year") * d.capex / 12 * cap_index
            if not d.colo:
                f["water"] -= d.serving * v("build.water_usd_per_mwh_it") * d.mw * draw * HOURS * ix_infl
            else:
                # rent per kW of IT load, escalating from t = 0 ((1 + r) ** (m / 12), econ.timeline.growth
                # docstring), from the month the hall is ready to the horizon
                rent = v("colo.price_usd_per_kw_month") * d.mw * 1000 * self.escal(v("colo.rent_escalation_annual"), m)
                f["colocation_rent"] -= on_energ * rent
            # property tax and insurance: facility insured at hard capex (indexed), GPU systems at cost
            ins_rate = d.insurance_share
            ins_fac = on_energ * ins_rate * d.capex / 12 * cap_index
            ins_gpu = ins_rate * d.gpu_cost / 12
            gpu_ptax = d.gpu_property_tax_share * d.gpu_cost / 12
            f["property_tax_insurance"] -= ins_fac + ins_gpu + gpu_ptax
            # tax at the site's rate (model.md "Tax and discounting"): opex (and colocation rent) deducted when paid
            paid = -(f["power"] + f["maintenance"] + f["water"] + f["colocation_rent"])
            opex = paid + staff_mw + ins_fac + staff_gpu + gpu_ptax + ins_gpu
            tax = rate * opex
            # depreciation: servers from purchase until sold; facility and retrofit from placement
            gains = np.zeros(M)
            gpu_left_held, gpu_value = 0.0, 0.0
            for b in d.buys:
                ded, left = deductions(M, int(b["at"]), b["cost"], d.server_schedule, b["retired"])
                tax += rate * ded
                if b["retired"] <= M:
                    gains[int(b["retired"]) - 1] += b["sale"] - left
                else:
                    # fleet held at the horizon: used-market value b ** age, without the liquidation discount
                    gpu_value += b["cost"] * v("hardware.residual_share_per_year") ** ((M - b["at"]) / 12)
                    gpu_left_held += left
            ded, fac_left = deductions(M, d.energize, d.facility_basis, d.facility_schedule)
            tax += rate * ded
            retro_left = 0.0
            if d.retrofit > 0:
                ded, retro_left = deductions(M, d.retrofit_month, d.retrofit, d.facility_schedule)
                tax += rate * ded
            # residual at the horizon: GPUs at used-market value, facility (hard capex and development) and
            # retrofit at depreciated replacement cost escalated from their price dates, land at cost
            if d.energize > M:
                # the spec values it at progress clip((M - construction_start) / max(mechanical - construction_start, 1), 0, 1)
                raise NotImplementedError("work in progress at the horizon does not occur in the base case")
            age = (M - d.energize) / 12
            replacement = (d.capex + d.dev) * (1 + e_c) ** (max(M - d.mid, 0) / 12)
            fac_value = replacement * min(max(1 - age / l_fac, 0.0), 1.0)
            retro_value = 0.0
            if d.retrofit > 0:
                # depreciated over the facility's remaining life after the retrofit
                retro_replacement = d.retrofit * (1 + e_c) ** ((M - d.retrofit_month) / 12)
                life_after = l_fac - after_y
                retro_value = retro_replacement * max(1 - (M - d.retrofit_month) / 12 / life_after, 0.0) if life_after > 0 else 0.0
            f["residual_value"][M - 1] += gpu_value + fac_value + retro_value + d.land
            # a sale is taxed on its gain over the basis left
            gains[M - 1] += gpu_value - gpu_left_held + fac_value - fac_left + retro_value - retro_left
            tax -= rate * gains
            tax_owned += tax
            for c in CATEGORIES:
                flows[c] += f[c]
        flows["tax_owned"] = tax_owned
        # rented capacity under the strategy's contracts, deducted at the home rate; the departure
        # window runs to the last site online plus the tail
        rented = self.provisioned - served
        # a stopped site never comes online, so it does not extend the window (a choice where the
        # docs are silent; the departing premium is 0 in the base case, where the plans are checked)
        built = [d for d in program if not math.isfinite(d.stop)]
        if built:
            last_online: float | None = float(max(d.online for d in built))
            window = m <= last_online + v("cloud.departure_tail_months")
        else:  # builds nothing: never departs
            last_online, window = None, np.zeros(M, bool)
        cf = self.cloud_flows(contracts, shape, rented, window, last_online)
        for key, a in cf.items():
            flows[key] += a
        flows["tax_cloud"] = -self.home_rate * sum(cf.values())
        return flows
