"""The scenario schema: every key a scenario may set, with its type, unit and allowed range.

Every range is finite for quantities and money: the upper bounds are orders of magnitude
above any published figure (``cloud.on_demand_usd_per_gpu_hour`` up to 1,000 USD/GPU-h,
``cloud.commit_total_usd`` up to 1e13 USD), so that a typo (1e15 for 1e5) is caught and no
product of inputs overflows float64 in the models.

Keys are dotted paths into the YAML file (``cloud.commit_discount``). Units are in the key
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


FIELDS: dict[str, Field] = {
    # horizon and finance
    "horizon.start_month": Field(
        "str",
        "YYYY-MM",
        "Calendar month of the decision date t = 0 (labels only)",
        pattern=r"(19\d\d|2[01]\d\d|2200)-(0[1-9]|1[0-2])",
        pattern_doc="'YYYY-MM', a calendar month from 1900-01 to 2200-12",
    ),
    "horizon.years": Field("int", "years", "Length of the model horizon", 1, 40),
    "finance.discount_rate_annual": Field("float", "1/year", "Discount rate (WACC), annual effective, nominal", 0.0, 1.0),
    "finance.tax_rate": Field("float", "1", "Combined income tax rate applied to deductible costs", 0.0, 1.0, high_open=True),
    "finance.construction_loan_rate_annual": Field("float", "1/year", "Construction loan rate, annual effective", 0.0, 1.0),
    "finance.inflation_annual": Field("float", "1/year", "Escalation of staff, maintenance and water costs", -0.05, 0.5),
    "tax.bonus_depreciation_share": _share("Share of an asset's basis deducted in its first year (bonus depreciation)"),
    "tax.gpu_macrs_years": Field("int", "years", "MACRS recovery period of GPU servers (half-year)", choices=(3, 5, 7, 10, 15, 20)),
    "tax.facility_macrs_years": Field("int", "years", "MACRS recovery period of the facility", choices=(15, 20, 39)),
    # demand
    "demand.gpus_initial": Field("float", "GPU", "Demand at t = 0 in busy GPU-equivalents of the chosen accelerator", 0.0, 1e9, True),
    "demand.growth_annual": Field("float", "1/year", "Annual growth of demand while it grows", -0.9, 10.0),
    "demand.growth_years": Field("float", "years", "Years of growth; demand is flat afterwards", 0.0, 40.0),
    "demand.regulated_share": _share("Share of each bloc's demand that must be served inside the bloc (data sovereignty)"),
    "demand.sovereign_cloud_premium": Field(
        "float", "1", "Extra price of in-bloc cloud capacity for regulated demand, as a share of the price", 0.0, 5.0
    ),
    # accelerator
    "accelerator.id": Field("str", "-", "Accelerator the program buys and rents (row of data/accelerators.csv)", table="accelerators"),
    "accelerator.server_price_usd_per_gpu": _money("USD/GPU", "Server price per GPU", 1e7, positive=True),
    "accelerator.networking_capex_usd_per_gpu": _money("USD/GPU", "Cluster networking and storage capex per GPU", 1e7),
    "accelerator.power_kw_per_gpu": Field("float", "kW/GPU", "All-in IT power per GPU at full load", 0.05, 20.0),
    "accelerator.idle_power_share": _share("Power drawn by an idle GPU server as a share of full load"),
    "accelerator.useful_life_years": Field("float", "years", "Economic life of a GPU server before refresh", 1.0, 15.0),
    "accelerator.price_performance_improvement_annual": Field(
        "float", "1/year", "Annual fall in the price of the same serving capacity at refresh", 0.0, 0.9
    ),
    "accelerator.perf_per_watt_improvement_annual": Field(
        "float", "1/year", "Annual gain in serving capacity per watt of new hardware (capacity of a refreshed site)", 0.0, 2.0
    ),
    # cloud
    "cloud.on_demand_usd_per_gpu_hour": _money("USD/GPU-h", "On-demand list price per GPU-hour at t = 0", 1e3, positive=True),
    "cloud.price_decline_annual": Field("float", "1/year", "Annual decline of cloud GPU-hour prices", 0.0, 0.9),
    "cloud.commit_total_usd": _money("USD", "Total spend committed over the term (take-or-pay)", 1e13),
    "cloud.commit_term_years": Field("float", "years", "Term of the commitment", 0.0, 40.0, low_open=True),
    "cloud.commit_discount": Field("float", "1", "Discount against on-demand earned by the commitment", 0.0, 1.0, high_open=True),
    "cloud.annual_minimum_share": _share("Annual minimum spend as a share of total/term (shortfall paid at year end)"),
    "cloud.uncommitted_discount": Field(
        "float", "1", "Discount against on-demand for capacity rented without the commitment (interim renting)", 0.0, 1.0, high_open=True
    ),
    # owned program
    "build.max_mw_started_per_year": Field("float", "MW/year", "Most IT MW the program can start in a year", 1.0, 1e5),
    "build.owned_utilization": Field("float", "1", "Share of owned GPU-hours doing useful work", 0.0, 1.0, low_open=True),
    "build.staff_usd_per_mw_per_year": _money("USD/MW/year", "Site staff cost per IT MW", 1e8),
    "build.maintenance_share_of_capex_per_year": Field("float", "1/year", "Facility maintenance per year as a share of capex", 0.0, 0.3),
    "build.water_usd_per_mwh_it": _money("USD/MWh", "Water cost per MWh of IT energy", 1e4),
    "build.development_share_of_capex": Field("float", "1", "Pre-permit development spend as a share of capex (sunk if lost)", 0.0, 0.5),
    "build.facility_life_years": Field("float", "years", "Economic life of the facility (for residual value)", 1.0, 80.0),
    "build.gpu_delivery_lead_months": Field("float", "months", "Lead time of GPU servers, ordered at construction start", 0.0, 60.0),
    "build.order_equipment_before_permit": Field("bool", "-", "Order long-lead equipment at site start (at risk) instead of at permit"),
    "build.on_time_grace_months": Field("float", "months", "Slip still counted as on time", 0.0, 120.0),
    "build.power_price_escalation_annual": Field("float", "1/year", "Annual escalation of power prices", -0.2, 0.5),
    "build.power_price_multiplier": Field("float", "1", "Multiplier on every site's power price", 0.0, 10.0, low_open=True),
}

SITE_FIELDS: dict[str, Field] = {
    "region_id": Field("str", "-", "Region of the site (row of data/regions.csv)", table="regions"),
    "build_type": Field("str", "-", "Build type (row of data/facility_capex.csv)", table="facility_capex"),
    "sovereignty_bloc": Field("str", "-", "Data-sovereignty bloc of the site's region", table="regions", column="sovereignty_bloc"),
    "it_mw": Field("float", "MW", "IT load built at the site", 0.0, 5000.0, low_open=True),
    "start_month": Field("float", "months", "Earliest month the site's program starts", 0.0, 480.0),
    "power_price_usd_per_mwh": _money("USD/MWh", "Industrial power price at the site at t = 0", 1e4),
    "pue": Field("float", "1", "Power usage effectiveness", 1.0, 3.0),
    "capex_usd_per_mw_it": _money("USD/MW", "Facility capex per IT MW", 1e9, positive=True),
    "permitting_months": Field("float", "months", "Time from start to permit", 0.0, 240.0),
    "grid_connection_months": Field("float", "months", "Time from start to grid connection", 0.0, 240.0),
    "equipment_lead_months": Field("float", "months", "Lead time of the longest-lead equipment (transformer)", 0.0, 240.0),
    "construction_months": Field("float", "months", "Time from permit to mechanical completion", 1.0, 120.0),
    "delay_months": Field("float", "months", "Extra delay to energization (risk input)", 0.0, 240.0),
    "permit_loss_probability": _share("Probability that the permit is lost or revoked"),
    "construction_overrun_share": Field("float", "1", "Facility capex overrun as a share of budget", -0.5, 5.0),
}

STRATEGIES = ("rent", "build", "hybrid")
"""The strategies every scenario compares."""

STRATEGY_FIELDS: dict[str, Field] = {
    "build_share": _share("Share of each site's IT MW that the strategy builds"),
    "commit_share": _share("Share of the cloud commitment the strategy signs"),
}

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
    "accelerator",
    "cloud",
    "build",
    "strategies",
    "risk",
)
"""Keys allowed at the top of a scenario file."""
