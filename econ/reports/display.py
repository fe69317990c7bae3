"""Formatting for reports: money, percentages, tables and the assumptions appendix.

Tables in notebooks go through :func:`format_table` (a pandas Styler with money and
percentage columns formatted, index and numbers aligned) and the appendix through
:func:`show_assumptions`. The same :func:`format_value` labels headline numbers in the
index and the page header, choosing the format from the unit in the key name.

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
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Sequence
from typing import Any

import pandas as pd
from pandas.io.formats.style import Styler

from econ.assumptions import Scenario

_SCALES = ((1e12, "T"), (1e9, "B"), (1e6, "M"))
PERCENT_KEY_MARKERS = ("share", "discount", "probability", "rate", "_annual", "irr", "mirr", "utilization", "margin")
MONEY_UNITS = ("USD",)


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


def _unit_of_key(key: str) -> str:
    name = key.rsplit(".", 1)[-1].lower()
    if name.endswith("_usd") or "_usd_" in name or name.startswith("usd"):
        return "USD" if name.endswith("_usd") else "USD/"
    if name.endswith("_months"):
        return "months"
    if name.endswith("_years"):
        return "years"
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
    text = format_number(value)
    return f"{text} {unit}" if unit and unit not in ("1", "-") else text


def format_table(
    frame: pd.DataFrame | pd.Series,
    money: Iterable[str] = (),
    percent: Iterable[str] = (),
    caption: str | None = None,
) -> Styler:
    """A table formatted for a report: money and percentage columns, other numbers readable.

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

    Returns
    -------
    pandas.io.formats.style.Styler
        Displays as HTML in a notebook and in the published page.

    Examples
    --------
    >>> t = pd.DataFrame({"npv_cost_usd": [1.97e11], "owned_share": [0.25]}, index=pd.Index(["rent"], name="strategy"))
    >>> print(format_table(t, money=["npv_cost_usd"], percent=["owned_share"]).to_string())
     npv_cost_usd owned_share
    strategy
    rent $197 B 25.0 %
    """
    table = frame.to_frame() if isinstance(frame, pd.Series) else frame
    money, percent = list(money), list(percent)
    formats: dict[str, Any] = dict.fromkeys(money, format_money)
    formats.update(dict.fromkeys(percent, format_percent))
    others: list[Hashable] = [c for c in table.columns if c not in formats]
    styler = table.style.format(formats).format(format_number, subset=others) if others else table.style.format(formats)
    styler = styler.set_table_attributes('class="econ-table"')
    numeric: list[Hashable] = [c for c in table.columns if pd.api.types.is_numeric_dtype(table[c])]
    if numeric:
        styler = styler.set_properties(subset=numeric, **{"text-align": "right"})
    return styler.set_caption(caption) if caption else styler


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
