"""Formatting for reports: money, percentages, tables, labels and the assumptions appendix.

Tables in notebooks go through :func:`format_table` (a pandas Styler with money, percentage
and GPU-count columns formatted, column names in words, numbers aligned) and the appendix
through :func:`show_assumptions`. The same :func:`format_value` formats headline numbers in
the index and the page header, choosing the format from the unit in the key name, and
:func:`headline_label` names them in words; :func:`humanize` turns any snake_case name into
words with its unit apart.

Examples
--------
>>> format_money(-1_234_567.8)
'-$1.23 M'
>>> format_money(12_345.6)
'$12,346'
>>> format_percent(0.0952)
'9.5 %'
>>> format_value("payback_months", 31.25)
'31.2 months'
>>> format_value("irr_annual", 0.184)
'18.4 %/yr'
>>> headline_label("npv_cost_rent_usd"), humanize("payback_vs_rent_years")
('Present-value cost, rent', 'Payback vs rent (years)')
"""

from __future__ import annotations

import math
import re
from collections.abc import Hashable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

import pandas as pd
from pandas.io.formats.style import Styler

from econ.assumptions import Scenario

if TYPE_CHECKING:
    from pandas.io.formats.style_render import CSSDict

_SCALES = ((1e12, "T"), (1e9, "B"), (1e6, "M"))
PERCENT_KEY_MARKERS = ("share", "discount", "probability", "rate", "_annual", "irr", "mirr", "utilization", "margin")
MONEY_UNITS = ("USD",)
#: Tables with more columns than this (index levels included) get the class ``econ-wide``: a smaller font.
WIDE_TABLE_COLUMNS = 7
#: Narrowest a column of text in :func:`format_table` gets when a wide table squeezes it (CSS length).
TEXT_MIN_WIDTH = "6em"

#: Labels of the headline numbers that the notebooks write with ``write_results``, by key; the
#: unit is not repeated, :func:`format_value` shows it with the number. Other keys get
#: :func:`humanize`'s words.
HEADLINE_LABELS: dict[str, str] = {
    # 00_finance_kernels
    "npv_usd": "Net present value of buying a GPU over renting it",
    "irr_annual": "Internal rate of return",
    "payback_months": "Payback",
    # 01_build_vs_rent
    "npv_cost_rent_usd": "Present-value cost, rent",
    "npv_cost_build_usd": "Present-value cost, build",
    "npv_cost_hybrid_usd": "Present-value cost, hybrid",
    "npv_saving_build_vs_rent_usd": "Present-value saving of build over rent",
    "p_build_cheaper": "Probability build is cheaper",
    "p_hybrid_cheaper": "Probability hybrid is cheaper",
    "p_half_sites_on_time": "Probability half the sites are on time",
    "breakeven_list_usd_per_gpu_hour": "Breakeven cloud list price",
    "rent_first_commit_usd": "Rent's first cloud contract",
    # 02_base_load_utilization
    "owned_capacity_reference_gpus": "Owned capacity, reference GPUs",
    "owned_utilization": "Utilization of owned capacity",
    "blended_usd_per_reference_gpu_hour": "Blended cost per reference GPU-hour",
    "owned_utilization_with_batch_moved": "Owned utilization with batch work moved",
    "cost_saving_from_moving_batch_usd": "Saving from moving batch work",
    "fast_multiple_of_standard_min": "Fast mode's cost over standard, lowest",
    "fast_multiple_of_standard_max": "Fast mode's cost over standard, highest",
    "ttft_longest_prompt_min_s": "Time to first token of the longest prompt, best generation",
    "fleet_utilization_hourly": "Fleet utilization, hourly load",
    "build_saving_vs_rent_hourly_usd": "Saving of build over rent, hourly load",
    "build_owned_utilization_hourly": "Owned utilization of build, hourly load",
    # 03_fast_mode_pricing
    "fast_cost_multiple": "Fast mode's cost over standard",
    "premium_c14_view": "Best fast premium, C14's view",
    "premium_c13_view": "Best fast premium, C13's view",
    "break_even_multiple": "Break-even fast premium",
    "market_fast_median_multiple": "Market's median fast premium",
    "step_plan_retention": "Retention, step plan",
    "smooth_plan_retention": "Retention, smooth plan",
    # 04_latency_and_placement
    "cost_within_targets_usd_per_year": "Cost within latency targets",
    "cost_without_latency_targets_usd_per_year": "Cost without latency targets",
    "cost_every_site_usd_per_year": "Cost of building at every site",
    "cloud_mw": "Capacity rented in the cloud",
    "worst_region_loss_served_share": "Demand served after losing the worst region",
    # 05_decision
    "recommended_plan": "Recommended plan",
    "recommended_mean_cost_usd": "Mean cost of the recommended plan",
    "saving_vs_rent_usd": "Saving of the recommended plan over rent",
    "build_more_than_best_usd": "Extra cost of build over the best plan",
    "plans_costed": "Plans costed",
    "evpi_usd": "Expected value of perfect information",
    # 06_real_options
    "defer_option_value_usd": "Value of deferring the site, over starting it now",
    "stage_option_value_usd": "Value of adding its halls later, over building them at once",
    "expand_option_value_usd": "Value of the option to add a hall, over adding it now",
    "abandon_option_value_usd": "Value of the option to abandon the site before it is energized",
    "defer_flexibility_value_usd": "Of deferring, the value of waiting to learn demand and price",
    "stage_flexibility_value_usd": "Of staging, the value of waiting to learn demand and price",
    "expand_flexibility_value_usd": "Of expanding, the value of waiting to learn demand and price",
    "abandon_flexibility_value_usd": "Of abandoning, the value of waiting to learn demand and price",
    "modular_saving_change_usd": "Change in build's saving with modular halls, used as best they can be",
    "options_flipping_build_vs_rent": "Options that change the sign of build against rent",
    # 07_claims
    "claims_answered": "Claims answered",
    "claims_supported": "Claims supported",
    "claims_not_supported": "Claims not supported",
    "claims_depending": "Claims whose verdict depends",
    "claims_not_evaluated": "Claims not evaluated",
}
#: How :func:`humanize` writes abbreviations found in names.
WORDS = {
    "ai": "AI",
    "api": "API",
    "cf": "CF",
    "cvar": "CVaR",
    "eu": "EU",
    "evpi": "EVPI",
    "evppi": "EVPPI",
    "gpu": "GPU",
    "gpus": "GPUs",
    "gw": "GW",
    "id": "ID",
    "irr": "IRR",
    "it": "IT",
    "kw": "kW",
    "kwh": "kWh",
    "mirr": "MIRR",
    "mw": "MW",
    "mwh": "MWh",
    "ppa": "PPA",
    "pue": "PUE",
    "rtt": "RTT",
    "sla": "SLA",
    "ttft": "TTFT",
    "us": "US",
    "usd": "USD",
    "wacc": "WACC",
}
#: Last words of a name that are its unit (``payback_months``), and how the unit is written.
UNIT_WORDS = {
    "days": "days",
    "gw": "GW",
    "hours": "hours",
    "kwh": "kWh",
    "months": "months",
    "ms": "ms",
    "mw": "MW",
    "mwh": "MWh",
    "s": "s",
    "years": "years",
}
#: Qualifiers that may follow a unit (``capex_usd_per_mw_it_low``): words, not part of the unit.
QUALIFIERS = ("low", "mid", "central", "high", "tail")
_SNAKE = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*")
_NUMBERED = re.compile(r"[cp]\d+")


def _is_missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def format_money(value: float | None, digits: int = 3) -> str:
    """US dollars: whole dollars below a million, else ``digits`` significant figures with M, B or T.

    Parameters
    ----------
    value : float
        Amount [USD]; negative is money out and keeps its sign.
    digits : int
        Significant figures for amounts of a million or more.

    Returns
    -------
    str
        ``"$12,346"``, ``"-$1.23 M"``, ``"$100 B"``; ``"–"`` for None or NaN.

    Examples
    --------
    >>> format_money(48.3e9), format_money(-1234.0), format_money(float("nan"))
    ('$48.3 B', '-$1,234', '–')
    """
    if value is None or _is_missing(value):
        return "–"
    sign = "-" if value < 0 else ""
    size = abs(value)
    if math.isinf(size):
        return f"{sign}$∞"
    for factor, suffix in _SCALES:
        if size >= factor:
            scaled = size / factor
            decimals = max(digits - 1 - math.floor(math.log10(scaled)), 0)
            return f"{sign}${scaled:,.{decimals}f} {suffix}"
    return f"{sign}${size:,.0f}"


def format_percent(value: float | None, decimals: int = 1) -> str:
    """A fraction as a percentage: ``0.0952`` gives ``"9.5 %"``; ``"–"`` for None or NaN.

    Examples
    --------
    >>> format_percent(0.0952), format_percent(0.25, decimals=0), format_percent(None)
    ('9.5 %', '25 %', '–')
    """
    if value is None or _is_missing(value):
        return "–"
    return f"{value * 100:,.{decimals}f} %"


def format_number(value: Any, decimals: int = 3) -> str:
    """Thousands separators and up to ``decimals`` significant decimals; text passes through."""
    if _is_missing(value):
        return "–"
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if isinstance(value, int) or float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:,.{decimals}g}" if abs(value) < 1 else f"{value:,.{max(decimals - 2, 1)}f}"


def format_count(value: Any) -> str:
    """A count (GPUs, plans) as a whole number with thousands separators; ``"–"`` for None or NaN.

    Examples
    --------
    >>> format_count(48_123.6), format_count(12), format_count(float("nan"))
    ('48,124', '12', '–')
    """
    if _is_missing(value):
        return "–"
    if isinstance(value, bool) or not isinstance(value, int | float) or math.isinf(value):
        return str(value)
    return f"{round(value):,}"


def _split_unit(name: str) -> tuple[list[str], str]:
    """The words of a snake_case ``name`` and its unit as text (``"$"``, ``"$/GPU hour"``, ``"months"``, ``""``)."""
    tokens = name.split("_")
    qualifiers: list[str] = []
    while len(tokens) > 1 and tokens[-1] in QUALIFIERS:
        qualifiers.insert(0, tokens.pop())
    if "usd" in tokens:
        at = tokens.index("usd")
        unit = "$" + "".join("/" if t == "per" else f" {_word(t)}" for t in tokens[at + 1 :]).replace("/ ", "/")
        return tokens[:at] + qualifiers, unit
    if len(tokens) > 2 and tokens[-2] == "per" and tokens[-1] in ("year", "month", "hour"):
        return tokens[:-2] + qualifiers, f"per {tokens[-1]}"
    if len(tokens) > 1 and tokens[-1] in UNIT_WORDS:
        return tokens[:-1] + qualifiers, UNIT_WORDS[tokens[-1]]
    if len(tokens) > 1 and tokens[-1] == "annual":
        return tokens[:-1] + qualifiers, "per year"
    return tokens + qualifiers, ""


def _word(token: str) -> str:
    if _NUMBERED.fullmatch(token):
        return token.upper()
    return WORDS.get(token, token)


def _words(tokens: Sequence[str]) -> str:
    words = [_word(t) for t in tokens]
    if len(words) > 1 and words[0] == "p":
        words[0] = "probability"
    words = ["present value" if w == "npv" and i == len(words) - 1 else "present-value" if w == "npv" else w for i, w in enumerate(words)]
    text = " ".join(words)
    return text[:1].upper() + text[1:]


def humanize(name: str, unit: bool = True) -> str:
    """A snake_case name in words, its unit in brackets; any other name unchanged.

    Parameters
    ----------
    name : str
        A column or key name with its unit last (``npv_cost_usd``, ``payback_months``,
        ``price_usd_per_gpu_hour``). Names that are not lower-case snake_case (``"NPV [USD]"``,
        ``"2.50"``, ``"market on demand"``) are returned as they are.
    unit : bool
        Show the unit, ``"$"`` for ``_usd``; False drops it (for a number formatted with
        :func:`format_value`, which shows it).

    Returns
    -------
    str
        Words with abbreviations spelt out or capitalised (``npv`` "present value", ``p_``
        "probability", ``mw`` "MW", ``gpus`` "GPUs"), the first letter capitalised.

    Examples
    --------
    >>> humanize("npv_cost_usd"), humanize("npv_cost_usd", unit=False)
    ('Present-value cost ($)', 'Present-value cost')
    >>> humanize("price_usd_per_reference_gpu_hour"), humanize("it_mw"), humanize("p_cheaper_than_rent")
    ('Price ($/reference GPU hour)', 'IT (MW)', 'Probability cheaper than rent')
    >>> humanize("irr_vs_rent_annual"), humanize("Market on demand"), humanize("reserved_mean_reference_gpus")
    ('IRR vs rent (per year)', 'Market on demand', 'Reserved mean reference GPUs')
    """
    if not _SNAKE.fullmatch(name):
        return name
    tokens, unit_text = _split_unit(name)
    words = _words(tokens) if tokens else ""
    if not words:
        return unit_text
    return f"{words} ({unit_text})" if unit and unit_text else words


def headline_label(key: str) -> str:
    """The label of a headline number in the page banner and the index.

    Parameters
    ----------
    key : str
        Headline key as written by a notebook, its unit last (``npv_cost_rent_usd``).

    Returns
    -------
    str
        The label in :data:`HEADLINE_LABELS` for a key the notebooks write, else the key in
        words without its unit (:func:`humanize`); the unit is shown with the number
        (:func:`format_value`).

    Examples
    --------
    >>> headline_label("p_build_cheaper"), headline_label("breakeven_list_usd_per_gpu_hour")
    ('Probability build is cheaper', 'Breakeven cloud list price')
    >>> headline_label("npv_owned_fleet_usd_per_year"), headline_label("p_site_late")
    ('Present-value owned fleet', 'Probability site late')
    """
    if key in HEADLINE_LABELS:
        return HEADLINE_LABELS[key]
    return humanize(key.rsplit(".", 1)[-1], unit=False) or key


def _unit_of_key(key: str) -> str:
    name = key.rsplit(".", 1)[-1].lower()
    if name.endswith("_usd") or "_usd_" in name or name.startswith("usd"):
        per = _split_unit(name)[1].removeprefix("$")
        return "USD" + per if per.startswith("/") or name.endswith("_usd") else "USD/"
    last = name.rsplit("_", 1)[-1]
    if "_" in name and last in UNIT_WORDS:
        return UNIT_WORDS[last]
    if name.endswith("_annual") or name in ("irr", "mirr"):
        return "1/year"
    if name.startswith("p_") or any(marker in name for marker in PERCENT_KEY_MARKERS):
        return "1"
    return ""


def format_value(key: str, value: Any, unit: str | None = None) -> str:
    """Format one number for display, from its unit or the unit in its key name.

    Parameters
    ----------
    key : str
        Name of the quantity, unit in the name (``npv_usd``, ``irr_annual``, ``payback_months``).
    value : Any
        The value; text and booleans are shown as they are.
    unit : str, optional
        Unit from the scenario schema (``"USD/MW"``, ``"1"``, ``"1/year"``); inferred from
        ``key`` when omitted.

    Returns
    -------
    str
        Money with ``$``, fractions as percentages (``%/yr`` for annual rates), other
        numbers with their unit.

    Examples
    --------
    >>> format_value("npv_cost_usd", 1.97e11), format_value("irr_vs_rent_annual", 0.12)
    ('$197 B', '12.0 %/yr')
    >>> format_value("capex_usd_per_mw_it", 1.2e7, unit="USD/MW")
    '$12.0 M/MW'
    """
    if _is_missing(value):
        return "–"
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    unit = _unit_of_key(key) if unit is None else unit
    name = key.rsplit(".", 1)[-1].lower()
    if unit == "USD":
        return format_money(value)
    if unit.startswith("USD/"):
        per = unit.removeprefix("USD/")
        text = format_money(value) if abs(value) >= 100 else f"{'-' if value < 0 else ''}${abs(value):,.2f}"
        return f"{text}/{per}" if per else text
    if unit == "1/year":
        return f"{format_percent(value)}/yr"
    if unit == "1" and (name.startswith("p_") or any(marker in name for marker in PERCENT_KEY_MARKERS)):
        return format_percent(value)
    text = format_count(value) if not unit and "gpus" in name else format_number(value)
    return f"{text} {unit}" if unit and unit not in ("1", "-") else text


def format_table(
    frame: pd.DataFrame | pd.Series,
    money: Iterable[str] = (),
    percent: Iterable[str] = (),
    caption: str | None = None,
    labels: bool = True,
) -> Styler:
    """A table formatted for a report: column names in words, money, percentages and GPU counts readable.

    Parameters
    ----------
    frame : DataFrame or Series
        The table; a Series becomes one column named after it.
    money : iterable of str
        Columns in US dollars, shown by :func:`format_money`.
    percent : iterable of str
        Columns holding fractions, shown by :func:`format_percent`.
    caption : str, optional
        Caption shown above the table.
    labels : bool
        Show snake_case column and index names in words with their unit (:func:`humanize`;
        ``"$"`` is left out for a money column, whose values show it); False keeps the names.

    Returns
    -------
    pandas.io.formats.style.Styler
        Displays as HTML in a notebook and in the published page. Columns whose name contains
        ``gpus`` (not money or percent) are whole counts with thousands separators; numbers and
        their headings are right-aligned, numbers not wrapped, text columns at least
        :data:`TEXT_MIN_WIDTH` wide; a table of more than :data:`WIDE_TABLE_COLUMNS` columns
        has the class ``econ-wide`` (a smaller font). The data keep their names.

    Examples
    --------
    >>> t = pd.DataFrame(
    ...     {"npv_cost_usd": [1.97e11], "owned_share": [0.25], "first_gpus": [48123.0], "payback_months": [31.0]},
    ...     index=pd.Index(["rent"], name="strategy"),
    ... )
    >>> print(format_table(t, money=["npv_cost_usd"], percent=["owned_share"]).to_string())
     Present-value cost Owned share First GPUs Payback (months)
    Strategy
    rent $197 B 25.0 % 48,123 31
    >>> format_table(t, labels=False).data.columns.tolist() == t.columns.tolist()
    True
    """
    table = frame.to_frame() if isinstance(frame, pd.Series) else frame
    money, percent = list(money), list(percent)
    formats: dict[Hashable, Any] = dict.fromkeys(money, format_money)
    formats.update(dict.fromkeys(percent, format_percent))
    formats.update({c: format_count for c in table.columns if c not in formats and isinstance(c, str) and "gpus" in c})
    if labels:
        table = table.copy(deep=False)  # new names on a shallow copy: the caller's frame keeps its own
        table.index = table.index.set_names([_label(n) for n in table.index.names])
        table.columns = table.columns.set_names([_label(n) for n in table.columns.names])
    others: list[Hashable] = [c for c in table.columns if c not in formats]
    styler = table.style.format(formats).format(format_number, subset=others) if others else table.style.format(formats)
    wide = len(table.columns) + table.index.nlevels > WIDE_TABLE_COLUMNS
    styler = styler.set_table_attributes(f'class="econ-table{" econ-wide" if wide else ""}"')
    styler = _aligned(styler, table)
    if labels and not isinstance(table.columns, pd.MultiIndex):
        money_names = set(money)
        styler = styler.relabel_index([str(_label(c, show_dollar=c not in money_names)) for c in table.columns], axis=1)
    return styler.set_caption(caption) if caption else styler


def _aligned(styler: Styler, table: pd.DataFrame) -> Styler:
    """Numbers and their headings right and unwrapped, text and row labels left (JupyterLab aligns all right).

    A column of text may wrap, but not down to a letter a line beside numbers that do not.
    """
    numeric: list[Hashable] = [c for c in table.columns if pd.api.types.is_numeric_dtype(table[c])]
    text: list[Hashable] = [c for c in table.columns if c not in numeric]
    headings: list[CSSDict] = [
        {"selector": f"th.col{i}", "props": f"text-align: {'right' if c in numeric else 'left'}"} for i, c in enumerate(table.columns)
    ]
    headings.append({"selector": "th.row_heading, th.index_name", "props": "text-align: left"})
    styler = styler.set_table_styles(headings, overwrite=False)
    if numeric:
        styler = styler.set_properties(subset=numeric, **{"text-align": "right", "white-space": "nowrap"})
    if text:
        styler = styler.set_properties(subset=text, **{"text-align": "left", "min-width": TEXT_MIN_WIDTH})
    return styler


def _label(name: Hashable, show_dollar: bool = True) -> Hashable:
    """A table's column or index name in words (:func:`humanize`); names that are not text unchanged."""
    if not isinstance(name, str):
        return name
    text = humanize(name)
    return text if show_dollar else text.removesuffix(" ($)")


def format_quantities(values: pd.Series, caption: str | None = None) -> Styler:
    """A one-column table of named quantities, each formatted by the unit in its name.

    The index holds names such as ``"NPV [USD]"`` or ``npv_usd``; a unit in square brackets
    (``[USD]``, ``[fraction]``, ``[fraction per year]``, ``[months]``) picks the format.

    Examples
    --------
    >>> print(format_quantities(pd.Series({"npv_cost_usd": 1.97e11, "irr_annual": 0.12})).to_string())
     value
    npv_cost_usd $197 B
    irr_annual 12.0 %/yr
    """
    shown = [_format_labelled(str(k), v) for k, v in values.items()]
    table = pd.DataFrame({"value": shown}, index=values.index)
    styler = table.style.set_table_attributes('class="econ-table"').set_properties(subset=["value"], **{"text-align": "right"})
    return styler.set_caption(caption) if caption else styler


def _format_labelled(label: str, value: Any) -> str:
    if "[" in label and label.endswith("]"):
        unit = label.rsplit("[", 1)[1].rstrip("]").strip()
        if unit == "USD":
            return format_money(value)
        if unit.startswith("USD per ") or unit.startswith("USD/"):
            return format_value("x", value, "USD/" + unit.split(" per ", 1)[-1].removeprefix("USD/"))
        if unit == "fraction":
            return format_percent(value)
        if unit == "fraction per year":
            return f"{format_percent(value)}/yr"
        return format_value("x", value, unit)
    return format_value(label, value)


def assumptions_table(scenario: Scenario, keys: Sequence[str] | None = None) -> pd.DataFrame:
    """The resolved inputs of ``scenario`` with values formatted by unit, as plain text.

    Parameters
    ----------
    scenario : Scenario
        The resolved scenario.
    keys : sequence of str, optional
        Keys or key prefixes (``"cloud."``) to list; all keys when omitted.

    Returns
    -------
    DataFrame
        Index ``key``; columns ``value`` (formatted), ``unit``, ``description``, ``source``.

    Raises
    ------
    KeyError
        Naming every key or prefix that matches nothing in the scenario (a report must not
        silently show fewer assumptions than it asked for).
    """
    frame = scenario.to_frame()
    if keys is not None:
        wanted = tuple(keys)

        def matches(k: str, p: str) -> bool:
            return k == p or (p.endswith(".") and k.startswith(p))

        missing = [p for p in wanted if not any(matches(str(k), p) for k in frame.index)]
        if missing:
            raise KeyError(f"keys: {missing} match no key of scenario {scenario.name!r}; `econ scenarios {scenario.name}` lists them")
        frame = frame[[any(matches(str(k), p) for p in wanted) for k in frame.index]]
    shown = [format_value(str(k), v, u) for k, v, u in zip(frame.index, frame["value"], frame["unit"], strict=True)]
    out = frame.assign(value=shown)
    out["source"] = out["source"].where(~out.index.isin(list(scenario.overrides)), "override (this run)")
    return out[["value", "unit", "description", "source"]]


def show_assumptions(scenario: Scenario, keys: Sequence[str] | None = None) -> Styler:
    """The appendix of a report: every resolved assumption with its unit and source.

    Parameters
    ----------
    scenario : Scenario
        The resolved scenario, overrides included (they are marked as such).
    keys : sequence of str, optional
        Keys or key prefixes ending in ``"."`` to list; all when omitted.

    Returns
    -------
    pandas.io.formats.style.Styler
        A left-aligned table captioned with the scenario name and hash.

    Examples
    --------
    >>> from econ.assumptions import load_scenario
    >>> table = show_assumptions(load_scenario("base"), ["demand.provisioned_utilization"])
    >>> table.data.loc["demand.provisioned_utilization", ["value", "unit"]].tolist()
    ['80.0 %', '1']
    """
    table = assumptions_table(scenario, keys)
    caption = f"Assumptions of scenario {scenario.name!r} (hash {scenario.hash})"
    return (
        table.style.set_table_attributes('class="econ-table econ-assumptions"')
        .set_caption(caption)
        .set_properties(subset=["value"], **{"text-align": "right", "white-space": "nowrap"})
        .set_properties(subset=["description", "source"], **{"text-align": "left"})
    )
