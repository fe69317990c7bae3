"""The scenario schema: every key a scenario may set, with its type, unit and allowed range.

Every range is finite for quantities and money: the upper bounds are orders of magnitude
above any published figure (``cloud.list_usd_per_gpu_hour`` up to 1,000 USD/GPU-h, a contract's
``commit_usd`` up to 1e13 USD), so that a typo (1e15 for 1e5) is caught and no
product of inputs overflows float64 in the models.

Keys are dotted paths into the YAML file (``cloud.commit_discount_level``). Units are in the key
names, following the project convention (``_usd``, ``_mw``, ``_months``, ``_annual`` for
annual effective rates, ``_share`` for a fraction in [0, 1]). Per-site keys live under
``build.sites.<site_id>.<field>``; demand shares by sovereignty bloc under
``demand.bloc_shares.<bloc>``; strategy settings under ``strategies.<strategy>.<field>``.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import cache

from econ.assumptions.errors import suggest
from econ.assumptions.tables import load_table

Value = float | int | bool | str


_TYPES: dict[str, tuple[type, ...]] = {"bool": (bool,), "str": (str,), "int": (int,), "float": (int, float)}


def as_float(value: object) -> float | None:
    """``value`` as a float if it is a real number (not a bool) that fits one, else None.

    Examples
    --------
    >>> as_float(3), as_float(2.5), as_float(True), as_float("1"), as_float(10**400)
    (3.0, 2.5, None, None, None)
    """
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        return float(value)
    except OverflowError:  # an int beyond 1.8e308
        return None


def show(value: object, width: int = 80) -> str:
    """``repr(value)`` for error messages, shortened to ``width`` characters; never raises.

    Examples
    --------
    >>> show("h100-sxn")
    "'h100-sxn'"
    >>> show(10**5000)
    '<int of 16610 bits>'
    >>> show(list(range(100)), width=20)
    '[0, 1, 2, 3, 4, 5...'
    """
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 64:
        return f"<int of {value.bit_length()} bits>"
    try:
        text = repr(value)
    except Exception:  # a hostile __repr__ must not hide the real error
        return f"<{type(value).__name__}>"
    return text if len(text) <= width else text[: width - 3] + "..."


@dataclass(frozen=True)
class Field:
    """One scenario key: its type, unit, allowed range and meaning.

    Parameters
    ----------
    kind : {"float", "int", "bool", "str"}
        Python type the value must have (an int is accepted for a float; a bool is never a
        number).
    unit : str
        Unit shown in tables and error messages (``"1"`` for dimensionless fractions, ``"-"``
        for names).
    description : str
        What the key means, one line.
    low, high : float
        Allowed range (``-inf``/``inf`` when unbounded).
    low_open, high_open : bool
        Whether the range excludes its end points.
    choices : tuple of values, optional
        Allowed values, for enumerations.
    table : str, optional
        For a ``str`` key naming a row of a data table: the table (``"accelerators"`` for
        ``data/accelerators.csv``); the value must be one of its row keys, or of the values of
        ``column`` if that is given.
    column : str, optional
        Column of ``table`` whose distinct values are allowed (instead of its row keys).
    pattern : str, optional
        For a ``str`` key: a regular expression the whole value must match.
    pattern_doc : str, optional
        The pattern in words, for error messages.

    Examples
    --------
    >>> f = Field("float", "1/year", "a rate", 0.0, 1.0)
    >>> f.check(0.5) is None, f.check(True), f.check(2)
    (True, 'has type bool; expected a float in [0, 1] [1/year]', 'is out of range; expected a float in [0, 1] [1/year]')
    """

    kind: str
    unit: str
    description: str
    low: float = -math.inf
    high: float = math.inf
    low_open: bool = False
    high_open: bool = False
    choices: tuple[Value, ...] = ()
    table: str = ""
    column: str = ""
    pattern: str = ""
    pattern_doc: str = ""

    def allowed_values(self) -> tuple[str, ...]:
        """The values a ``table`` key may take (row keys or values of ``column``), in table order."""
        return _table_values(self.table, self.column) if self.table else ()

    def allowed(self) -> str:
        """The allowed values in words, with the unit, for error messages."""
        unit = "" if self.unit == "-" else f" [{self.unit}]"
        if self.choices:
            return "one of " + ", ".join(repr(c) for c in self.choices) + unit
        if self.table:
            where = f"a value of column {self.column!r} of" if self.column else "a row of"
            return f"{where} data/{self.table}.csv: " + ", ".join(repr(v) for v in self.allowed_values())
        if self.pattern:
            return f"a str {self.pattern_doc}"
        if self.kind == "bool":
            return "a bool (true or false)"
        if self.kind == "str":
            return f"a str{unit}"
        left = "(" if self.low_open else "["
        right = ")" if self.high_open else "]"
        return f"a{'n' if self.kind == 'int' else ''} {self.kind} in {left}{self.low:g}, {self.high:g}{right}{unit}"

    def check(self, value: object) -> str | None:
        """Return why ``value`` is not allowed, or None if it is.

        The reason starts with what is wrong (``has type``, ``is out of range``, ``is not
        finite``, ``is not allowed``) and ends with :meth:`allowed`; the caller prefixes the
        key and the value.
        """
        ok_type = isinstance(value, _TYPES[self.kind]) and (self.kind == "bool" or not isinstance(value, bool))
        if not ok_type:
            return f"has type {type(value).__name__}; expected {self.allowed()}"
        if self.choices:
            return None if value in self.choices else f"is not allowed; expected {self.allowed()}"
        if self.kind == "str":
            return self._check_text(str(value))
        if self.kind in ("float", "int"):
            x = as_float(value)
            if x is None:
                return f"is out of range; expected {self.allowed()}"
            if not math.isfinite(x):
                return f"is not finite; expected {self.allowed()}"
            below = x < self.low or (self.low_open and x == self.low)
            above = x > self.high or (self.high_open and x == self.high)
            if below or above:
                return f"is out of range; expected {self.allowed()}"
        return None

    def _check_text(self, text: str) -> str | None:
        if self.pattern and not re.fullmatch(self.pattern, text):
            return f"is not allowed; expected {self.allowed()}"
        if self.table and text not in self.allowed_values():
            return f"is not allowed; expected {self.allowed()}{suggest(text, self.allowed_values())}"
        return None


@cache
def _table_values(table: str, column: str) -> tuple[str, ...]:
    frame = load_table(table)  # cached too: the tables do not change while the program runs
    values = frame[column] if column else frame.index
    return tuple(dict.fromkeys(str(v) for v in values))


def _share(description: str) -> Field:
    return Field("float", "1", description, 0.0, 1.0)


def _money(unit: str, description: str, high: float, positive: bool = False) -> Field:
    return Field("float", unit, description, 0.0, high, low_open=positive)


LOAD_SHAPES = ("flat", "hourly")
"""How demand fills provisioned capacity: see ``demand.load_shape``."""

FIELDS: dict[str, Field] = {
    # horizon and finance
    "horizon.start_month": Field(
        "str",
        "YYYY-MM",
        "Calendar month of the decision date t = 0",
        pattern=r"(19\d\d|2[01]\d\d|2200)-(0[1-9]|1[0-2])",
        pattern_doc="'YYYY-MM', a calendar month from 1900-01 to 2200-12",
    ),
    "horizon.years": Field("int", "years", "Length of the model horizon", 1, 40),
    "finance.discount_rate_annual": Field(
        "float", "1/year", "WACC: discount rate of the unlevered after-tax flows, annual effective, nominal", 0.0, 1.0
    ),
    "finance.inflation_annual": Field("float", "1/year", "Escalation of staff, maintenance, water and insurance costs", -0.05, 0.5),
    "tax.home_country": Field(
        "str", "-", "Country whose tax rate applies to rented capacity (row of data/country_costs.csv)", table="country_costs"
    ),
    "tax.loss_carry_forward_until_month": Field(
        "float",
        "months",
        "0: deductions are used when they arise (the company has taxable income); else all are used in this month",
        0.0,
        480.0,
    ),
    # demand
    "demand.initial_it_mw": Field(
        "float", "MW", "Demand at t = 0, as the IT MW of frontier capacity it fills when provisioned", 0.0, 1e6, True
    ),
    "demand.growth_annual": Field("float", "1/year", "Annual growth of work in the first phase", -0.9, 10.0),
    "demand.growth_years": Field("float", "years", "Length of the first phase of growth", 0.0, 40.0),
    "demand.late_growth_annual": Field("float", "1/year", "Annual growth of work in the second phase; flat afterwards", -0.9, 10.0),
    "demand.late_growth_years": Field("float", "years", "Length of the second phase of growth", 0.0, 40.0),
    "demand.price_elasticity": Field(
        "float", "1", "Price elasticity of work (positive: demand falls as price rises), against the plan's price path", 0.0, 5.0
    ),
    "demand.provisioned_utilization": Field(
        "float", "1", "Share of provisioned capacity (owned or rented) the workload keeps busy", 0.0, 1.0, low_open=True
    ),
    "demand.load_shape": Field(
        "str",
        "-",
        "flat: provisioned capacity is busy demand.provisioned_utilization of its hours; hourly: sized to the peak of a "
        "representative year of hourly load (econ.load_shape)",
        choices=LOAD_SHAPES,
    ),
    "demand.interactive_shape": Field(
        "str", "-", "Weekly shape of interactive work (chat, coding)", table="demand_shapes", column="shape_id"
    ),
    "demand.realtime_shape": Field("str", "-", "Weekly shape of realtime work (voice agents)", table="demand_shapes", column="shape_id"),
    "demand.batch_shape": Field(
        "str", "-", "Weekly shape of batch work as it arrives (before it is moved)", table="demand_shapes", column="shape_id"
    ),
    "demand.batch_share": _share("Share of work that is deferrable batch work (load_shape = hourly)"),
    "demand.realtime_share": _share("Share of work that is realtime voice (load_shape = hourly; the voice latency class)"),
    "demand.agent_share": _share("Share of work that is multi-call agent steps (the agent latency class; the rest of interactive is chat)"),
    "demand.batch_deadline_hours": Field("int", "hours", "Hours within which batch work must be done", 1, 168),
    "demand.hourly_noise_cv": Field("float", "1", "Coefficient of variation of hourly load around its shape", 0.0, 2.0),
    "demand.load_seed": Field("int", "1", "Seed of the hourly noise of the representative year", 0, 2**32 - 1),
    "demand.regulated_share": _share("Share of each bloc's demand that must be served inside the bloc (data sovereignty)"),
    "demand.sovereign_cloud_premium": Field(
        "float", "1", "Extra price of in-bloc cloud capacity for regulated demand, as a share of the price", 0.0, 5.0
    ),
    # hardware trajectory
    "hardware.generation_ids": Field(
        "str",
        "-",
        "Accelerator generations of the trajectory, comma-separated rows of data/accelerator_generations.csv",
        pattern=r"[a-z0-9-]+(,[a-z0-9-]+)*",
        pattern_doc="comma-separated generation ids, e.g. 'h100-sxm,b200'",
    ),
    "hardware.reference_throughput_tokens_per_s_per_gpu": _money(
        "tokens/s/GPU", "Throughput of the reference GPU on the trajectory's benchmark (one reference GPU-hour of work)", 1e7, positive=True
    ),
    "hardware.availability_lag_months": Field(
        "float", "months", "Months from the start of a generation's availability year to volume purchases", 0.0, 36.0
    ),
    "hardware.cadence_months": Field("float", "months", "Months between generations after the last tabulated one", 6.0, 60.0),
    "hardware.price_growth_annual": Field("float", "1/year", "Annual growth of the system price per GPU after the table", -0.5, 1.0),
    "hardware.power_growth_annual": Field("float", "1/year", "Annual growth of all-in IT power per GPU after the table", -0.5, 1.0),
    "hardware.work_growth_annual": Field("float", "1/year", "Annual growth of work per GPU after the table", -0.5, 3.0),
    "hardware.price_multiplier": Field("float", "1", "Multiplier on every generation's system price", 0.1, 10.0),
    "hardware.network_share": Field(
        "float", "1", "Back-end and front-end network at fleet scale, as a share of the system price", 0.0, 2.0
    ),
    "hardware.storage_cpu_share": Field("float", "1", "Storage and CPU/management nodes, as a share of the system price", 0.0, 2.0),
    "hardware.spares_share": Field("float", "1", "Spare systems held, as a share of the system price", 0.0, 1.0),
    "hardware.refresh_years": Field("float", "years", "Age at which owned GPU systems are replaced and sold", 1.0, 15.0),
    "hardware.residual_share_per_year": Field("float", "1", "Used-market value kept per year of age (value = b ** age)", 0.0, 1.0),
    "hardware.liquidation_share": _share("Share of the used-market value a seller of whole systems realizes"),
    "hardware.idle_power_share": _share("Power drawn by an idle GPU system as a share of full load"),
    # cloud
    "cloud.list_usd_per_gpu_hour": _money(
        "USD/GPU-h", "On-demand list price per GPU-hour of the list generation at t = 0", 1e3, positive=True
    ),
    "cloud.list_generation": Field(
        "str", "-", "Generation the list price is for (row of data/accelerator_generations.csv)", table="accelerator_generations"
    ),
    "cloud.markup_change_annual": Field(
        "float", "1/year", "Annual change of the cloud price over the full cost of frontier capacity", -0.5, 0.5
    ),
    "cloud.contract_markup_low": Field(
        "float", "1", "Lowest ratio of the best contract price to the provider's full cost in the evidence", 0.1, 10.0
    ),
    "cloud.contract_markup_high": Field(
        "float", "1", "Highest ratio of the best contract price to the provider's full cost in the evidence", 0.1, 10.0
    ),
    "cloud.provider_facility_usd_per_mw_it": _money(
        "USD/MW", "A provider's facility capex per IT MW (for the cost of capacity)", 1e9, positive=True
    ),
    "cloud.provider_pue": Field("float", "1", "A provider's power usage effectiveness", 1.0, 3.0),
    "cloud.provider_discount_rate_annual": Field(
        "float", "1/year", "A provider's cost of capital: the rate of the capital charge in its cost of capacity", 0.0, 1.0
    ),
    "cloud.provider_power_usd_per_mwh": _money("USD/MWh", "A provider's power price", 1e4),
    "cloud.commit_discount_level": _share(
        "Where the discount schedule sits in its range: 0 = every tier at its low, 0.5 = central, 1 = high"
    ),
    "cloud.short_term_premium": Field("float", "1", "Scarcity premium on capacity rented on short terms beyond the reservations", 0.0, 5.0),
    "cloud.departing_contract_premium": Field(
        "float", "1", "Price premium on contracts signed while the customer is building (C04)", 0.0, 2.0
    ),
    "cloud.departure_tail_months": Field(
        "float", "months", "Months after the last planned site is online that the customer is still treated as departing", 0.0, 120.0
    ),
    # latency targets of the workload classes (issue #14)
    "latency.voice_target_ms": _money("ms", "Latency target of a voice agent's turn", 1e9, positive=True),
    "latency.chat_target_ms": _money("ms", "Time-to-first-token target of chat", 1e9, positive=True),
    "latency.agent_target_ms": _money("ms", "Latency target of one agent step", 1e9, positive=True),
    "latency.batch_target_ms": _money("ms", "Completion target of batch work", 1e12, positive=True),
    # colocation: owned GPUs in leased space (issue #12)
    "colo.region_id": Field("str", "-", "Region of the colocation space (row of data/regions.csv)", table="regions"),
    "colo.country_id": Field("str", "-", "Country of the colocation space, for tax (row of data/country_costs.csv)", table="country_costs"),
    "colo.sovereignty_bloc": Field("str", "-", "Data-sovereignty bloc of the colocation space", table="regions", column="sovereignty_bloc"),
    "colo.max_mw": Field("float", "MW", "Most IT MW a plan can lease in colocation", 0.0, 5000.0, low_open=True),
    "colo.price_usd_per_kw_month": _money(
        "USD/kW-month", "Wholesale colocation rent per kW of IT load per month at t = 0, power excluded", 1e4
    ),
    "colo.rent_escalation_annual": Field("float", "1/year", "Annual escalation of the colocation rent", -0.5, 1.0),
    "colo.lead_months": Field("float", "months", "Months from signing to a ready hall", 1.0, 120.0),
    "colo.lease_years": Field("float", "years", "Lease term: the life of the tenant's fit-out", 1.0, 40.0),
    "colo.fitout_usd_per_mw": _money("USD/MW", "Tenant fit-out capex per IT MW (racks, liquid-cooling distribution), at t = 0 prices", 1e9),
    "colo.pue": Field("float", "1", "PUE of the colocation hall, power passed through at cost", 1.0, 3.0),
    "colo.power_price_usd_per_mwh": _money("USD/MWh", "Industrial power price of the colocation region at t = 0", 1e4),
    "colo.insurance_share_per_year": Field(
        "float", "1/year", "Insurance per year as a share of the insured value (fit-out, GPU systems)", 0.0, 0.2
    ),
    "colo.gpu_property_tax_share_per_year": Field(
        "float", "1/year", "Property tax on IT equipment per year as a share of its cost", 0.0, 0.2
    ),
    # owned program
    "build.max_mw_started_per_year": Field("float", "MW/year", "Most IT MW the program can start in a year", 1.0, 1e5),
    "build.staff_usd_per_mw_per_year": _money("USD/MW/year", "Site operations staff cost per IT MW", 1e8),
    "build.staff_usd_per_gpu_per_year": _money("USD/GPU/year", "Operations staff cost per installed GPU", 1e5),
    "build.maintenance_share_of_capex_per_year": Field("float", "1/year", "Facility maintenance per year as a share of capex", 0.0, 0.3),
    "build.water_usd_per_mwh_it": _money("USD/MWh", "Water cost per MWh of IT energy", 1e4),
    "build.development_share_of_capex": Field("float", "1", "Pre-permit development spend as a share of capex (sunk if lost)", 0.0, 0.5),
    "build.equipment_deposit_share_of_capex": Field(
        "float", "1", "Deposit on long-lead equipment ordered at risk, as a share of capex (lost with the permit)", 0.0, 0.5
    ),
    "build.abandon_salvage_share": _share("Share of the construction spent on a site abandoned before energizing recovered by selling it"),
    "build.gpu_order_cancellation_share": _share(
        "Share of the first GPU fleet's cost lost when a site is abandoned after its GPU order was placed (at permit)"
    ),
    "build.hall_construction_months": Field("float", "months", "Construction of a modular hall, order to powered rack", 0.0, 120.0),
    "build.hall_capex_multiplier": Field("float", "1", "Capex per MW of a modular hall over its site's campus capex per MW", 0.1, 10.0),
    "build.facility_life_years": Field(
        "float", "years", "Economic life of the facility (for residual value and the cost of capacity)", 1.0, 80.0
    ),
    "build.gpu_delivery_lead_months": Field("float", "months", "Lead time of GPU systems, ordered at permit", 0.0, 60.0),
    "build.order_equipment_before_permit": Field("bool", "-", "Order long-lead equipment at site start (at risk) instead of at permit"),
    "build.on_time_grace_months": Field("float", "months", "Slip still counted as on time", 0.0, 120.0),
    "build.power_price_escalation_annual": Field("float", "1/year", "Annual escalation of power prices", -0.2, 0.5),
    "build.power_price_multiplier": Field("float", "1", "Multiplier on every site's power price", 0.0, 10.0, low_open=True),
    "build.power_minimum_take_share": _share("Minimum share of contracted power billed whatever the load (large-load tariffs)"),
    "build.construction_escalation_annual": Field(
        "float", "1/year", "Annual escalation of facility construction costs from the basis year", -0.2, 0.5
    ),
    "build.facility_capex_multiplier": Field("float", "1", "Multiplier on every site's facility capex per MW", 0.1, 10.0),
    "build.retrofit_share_of_capex": Field(
        "float", "1", "Mid-life retrofit for rack density, as a share of the facility's capex", 0.0, 2.0
    ),
    "build.retrofit_after_years": Field("float", "years", "Years after energization of the mid-life retrofit", 0.0, 80.0),
}

SITE_FIELDS: dict[str, Field] = {
    "region_id": Field("str", "-", "Region of the site (row of data/regions.csv)", table="regions"),
    "country_id": Field("str", "-", "Country of the site, for tax and costs (row of data/country_costs.csv)", table="country_costs"),
    "build_type": Field("str", "-", "Build type, for construction months (row of data/facility_capex.csv)", table="facility_capex"),
    "capex_market_id": Field(
        "str", "-", "Market whose AI build cost the site takes (row of data/facility_capex_ai.csv)", table="facility_capex_ai"
    ),
    "risk_id": Field("str", "-", "Evidence on the site's permit risk (row of data/site_risks.csv)", table="site_risks"),
    "sovereignty_bloc": Field("str", "-", "Data-sovereignty bloc of the site's region", table="regions", column="sovereignty_bloc"),
    "it_mw": Field("float", "MW", "IT load built at the site", 0.0, 5000.0, low_open=True),
    "start_month": Field("float", "months", "Earliest month the site's program starts", 0.0, 480.0),
    "power_price_usd_per_mwh": _money("USD/MWh", "Industrial power price at the site at t = 0", 1e4),
    "pue": Field("float", "1", "Power usage effectiveness", 1.0, 3.0),
    "capex_usd_per_mw_it": _money("USD/MW", "Facility capex per IT MW in the basis year's prices", 1e9, positive=True),
    "capex_basis_year": Field(
        "float", "year", "Calendar year whose average prices capex_usd_per_mw_it is stated in (mid-year)", 1990.0, 2100.0
    ),
    "permitting_months": Field("float", "months", "Time from start to permit", 0.0, 240.0),
    "grid_connection_months": Field("float", "months", "Time from start to grid connection", 0.0, 240.0),
    "equipment_lead_months": Field("float", "months", "Lead time of the longest-lead equipment (transformer)", 0.0, 240.0),
    "construction_months": Field("float", "months", "Time from permit to mechanical completion", 1.0, 120.0),
    "delay_months": Field("float", "months", "Extra delay to energization (risk input)", 0.0, 240.0),
    "permit_loss_probability": _share("Probability that the permit is lost or revoked"),
    "construction_overrun_share": Field("float", "1", "Facility capex overrun as a share of budget", -0.5, 5.0),
    "land_acres_per_mw": Field("float", "acre/MW", "Land per IT MW", 0.0, 100.0),
    "land_usd_per_acre": _money("USD/acre", "Price of data-centre land", 1e9),
    "insurance_share_per_year": Field(
        "float", "1/year", "Property insurance per year as a share of the insured value (facility and GPU systems)", 0.0, 0.2
    ),
    "gpu_property_tax_share_per_year": Field("float", "1/year", "Property tax on IT equipment per year as a share of its cost", 0.0, 0.2),
    "tax_rate": Field("float", "1", "Corporate income tax rate of the site's country", 0.0, 1.0, high_open=True),
}

STRATEGIES = ("rent", "build", "hybrid")
"""The strategies every scenario compares."""

RESERVATIONS = ("floor", "peak", "cheapest")
"""How a strategy shapes its reservations: see ``strategies.<s>.reservation``."""

STRATEGY_FIELDS: dict[str, Field] = {
    "build_share": _share("Share of each site's IT MW that the strategy builds"),
    "reservation": Field(
        "str",
        "-",
        "Shape of each contract's reservation: cheapest = each band of the plan's need reserved from the month that costs "
        "least against renting it short-term, or not at all; floor = what the plan still rents in every later month of the term "
        "(the rest short-term); peak = the most the plan has rented so far in the term (planned declines paid as take-or-pay)",
        choices=RESERVATIONS,
    ),
}

CONTRACT_FIELDS: dict[str, Field] = {
    "start_month": Field("int", "months", "Months after t = 0 at which the contract's term starts", 0, 480),
    "term_months": Field("int", "months", "Length of the term", 1, 480),
    "commit_usd": _money("USD", "Total committed over the term (take-or-pay); give this or cover_share", 1e13),
    "cover_share": Field(
        "float", "1", "Share of the spend the plan forecasts for the term that is committed; give this or commit_usd", 0.0, 2.0
    ),
}
"""Keys of one contract, ``strategies.<strategy>.contracts.<id>.<field>``."""

CONTRACT_REQUIRED = ("start_month", "term_months")
"""Contract fields every contract must set (plus exactly one of ``commit_usd`` and ``cover_share``)."""

DISTRIBUTIONS: dict[str, tuple[str, ...]] = {
    "triangular": ("low", "mode", "high"),
    "uniform": ("low", "high"),
    "normal": ("mean", "sd"),
    "lognormal": ("median", "sigma"),
    "pert": ("low", "mode", "high"),
    "bernoulli": ("p",),
}
"""Distribution families a ``risk.distributions`` entry may use, with their parameters."""

TOP_LEVEL = (
    "name",
    "description",
    "extends",
    "sources",
    "horizon",
    "finance",
    "tax",
    "demand",
    "hardware",
    "cloud",
    "latency",
    "colo",
    "build",
    "strategies",
    "risk",
)
"""Keys allowed at the top of a scenario file."""
