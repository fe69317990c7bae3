"""Altair charts for econ reports: the house theme and offline SVG rendering, in one place.

Every notebook starts with ``econ.charts.setup()``. It registers and enables the house theme
and switches Altair to its ``svg`` renderer, which draws each chart in the kernel with
vl-convert and emits ``image/svg+xml``: the published HTML then holds the chart's marks
and needs no JavaScript and no network. Altair's default renderer loads vega-embed from a
CDN and shows nothing offline.

Axis formats for money and percentages are d3-format strings shared with the tables
(:mod:`econ.reports.display`), so a chart and the table under it read the same way.

References
----------
.. [1] Altair documentation, "Displaying Altair Charts" (renderers, ``svg`` with
   vl-convert) and "Customizing Visualizations / Themes" (``alt.theme.register``).
.. [2] d3-format specification, https://d3js.org/d3-format (format strings below).

Examples
--------
>>> import econ.charts
>>> econ.charts.setup()
>>> import altair as alt
>>> alt.theme.active, alt.renderers.active
('econ', 'svg')
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import altair as alt
import numpy as np
import pandas as pd

from econ.reports.display import format_money

THEME = "econ"
#: d3 format of US dollars without cents, e.g. ``$1,234,567``.
MONEY_FORMAT = "$,.0f"
#: d3 format of US dollars in SI units, e.g. ``$1.2G`` for 1.2 billion (axis labels).
MONEY_SI_FORMAT = "$.2~s"
#: Vega expression turning d3's SI "G" (giga) into the "B" (billion) of finance.
MONEY_SI_LABEL = "replace(datum.label, 'G', 'B')"
#: d3 format of a fraction as a percentage, e.g. ``12%``.
PERCENT_FORMAT = ".0%"

#: Colour-blind-safe categorical palette (Okabe and Ito, 2008), strategies in a fixed order.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000")
FONT = "Helvetica, Arial, sans-serif"


def theme() -> dict[str, Any]:
    """The house theme as a Vega-Lite config: sizes, fonts, palette, quiet axes.

    Returns
    -------
    dict
        A Vega-Lite top-level ``config`` wrapped as Altair expects from a theme.
    """
    return {
        "config": {
            "view": {"continuousWidth": 560, "continuousHeight": 300, "stroke": None},
            "font": FONT,
            "title": {"anchor": "start", "fontSize": 15, "fontWeight": 600, "subtitleColor": "#555", "offset": 12},
            "axis": {
                "labelFontSize": 11,
                "titleFontSize": 12,
                "titleFontWeight": 500,
                "gridColor": "#e6e6e6",
                "domainColor": "#888",
                "tickColor": "#888",
            },
            "legend": {"labelFontSize": 11, "titleFontSize": 12, "orient": "bottom"},
            "range": {"category": list(PALETTE)},
            "line": {"strokeWidth": 2},
            "bar": {"cornerRadiusEnd": 1},
        }
    }


def setup() -> None:
    """Enable the house theme and the offline SVG renderer; call once at the top of a notebook.

    Returns nothing, so that a setup cell ending with this call shows no output.
    """
    if THEME not in alt.theme.names():
        plugin: Callable[[], Any] = theme
        alt.theme.register(THEME, enable=False)(plugin)
    alt.theme.enable(THEME)
    alt.renderers.enable("svg")


def money_axis(title: str | None = None) -> alt.Axis:
    """An axis labelled in dollars with k, M and B (``$1.2B``); ``title`` should name the unit."""
    if title:
        return alt.Axis(format=MONEY_SI_FORMAT, labelExpr=MONEY_SI_LABEL, title=title)
    return alt.Axis(format=MONEY_SI_FORMAT, labelExpr=MONEY_SI_LABEL)


def percent_axis(title: str | None = None) -> alt.Axis:
    """An axis labelled in percent (``12%``) for values stored as fractions."""
    return alt.Axis(format=PERCENT_FORMAT, title=title) if title else alt.Axis(format=PERCENT_FORMAT)


#: Colours of the bars of a waterfall and of the two ends of a tornado.
RAISES, LOWERS, TOTAL = PALETTE[3], PALETTE[2], PALETTE[0]


def _money_labels(values: np.ndarray) -> list[str]:
    """``+$1.2 B`` / ``-$3.4 B`` labels for signed amounts [USD]."""
    return [("+" if v > 0 else "") + format_money(float(v)) for v in values]


def waterfall_chart(bars: pd.DataFrame, value: str = "npv_cost_difference_usd", *, title: str | None = None) -> alt.LayerChart:
    """A bridge (waterfall) of drivers that add up to a total, one horizontal bar per driver.

    Each driver's bar runs from the running sum before it to the running sum after it; the
    last bar is the total, from zero. Bars that raise the amount are vermillion, bars that
    lower it green, the total blue, and every bar is labelled with its signed amount.

    Parameters
    ----------
    bars : pandas.DataFrame
        One row per driver, in order, indexed by the driver's name (e.g. the result of
        :func:`econ.waterfall`); ``attrs["strategy"]``, when present, names the total
        ``"<strategy> − rent"``.
    value : str
        The column of signed amounts [USD].
    title : str, optional
        Chart title.

    Returns
    -------
    altair.LayerChart
        Bars, labels and a rule at zero.

    Examples
    --------
    >>> bars = pd.DataFrame({"npv_cost_difference_usd": [5e9, -8e9, 1e9]}, index=pd.Index(["a", "b", "c"], name="driver"))
    >>> chart = waterfall_chart(bars)
    >>> data = chart.layer[0].data.set_index("step")
    >>> data.loc[["b", "total"], ["start", "end"]].to_numpy().tolist()
    [[5000000000.0, -3000000000.0], [0.0, -2000000000.0]]
    >>> data["label"].tolist()
    ['+$5.00 B', '-$8.00 B', '+$1.00 B', '-$2.00 B']
    """
    amount = bars[value].to_numpy(dtype=float)
    end = np.cumsum(amount)
    strategy = bars.attrs.get("strategy")
    total_name = f"{strategy} − rent" if strategy else "total"
    steps = [str(s) for s in bars.index]
    data = pd.DataFrame(
        {
            "step": [*steps, total_name],
            "start": np.r_[end - amount, 0.0],
            "end": np.r_[end, end[-1] if end.size else 0.0],
            "amount": np.r_[amount, end[-1] if end.size else 0.0],
            "kind": ["raises cost" if a > 0 else "lowers cost" for a in amount] + ["total"],
        }
    )
    data["label"] = _money_labels(data["amount"].to_numpy())
    data["label_at"] = np.maximum(data["start"], data["end"])
    order = data["step"].tolist()
    y = alt.Y("step:N", sort=order, title=None, axis=alt.Axis(labelLimit=260))
    colour = alt.Color(
        "kind:N",
        title=None,
        scale=alt.Scale(domain=["raises cost", "lowers cost", "total"], range=[RAISES, LOWERS, TOTAL]),
    )
    base = alt.Chart(data)
    rects = base.mark_bar(height=18).encode(
        y=y, x=alt.X("start:Q", axis=money_axis("Present value [USD], positive = costlier than renting")), x2="end:Q", color=colour
    )
    labels = base.mark_text(align="left", dx=4, fontSize=11).encode(y=y, x="label_at:Q", text="label:N")
    zero = alt.Chart(pd.DataFrame({"x": [0.0]})).mark_rule(color="#333").encode(x="x:Q")
    return alt.LayerChart(layer=[rects, labels, zero], title=title or "", width=480, height=alt.Step(28))


def difference_chart(
    curve: pd.DataFrame,
    x_title: str,
    *,
    breakeven: float | None = None,
    current: float | None = None,
    x_format: str | None = None,
    title: str | None = None,
) -> alt.LayerChart:
    """A strategy's NPV cost minus rent's as one input varies, with the zero line.

    Parameters
    ----------
    curve : pandas.DataFrame
        Columns ``value`` and ``npv_cost_difference_usd`` (e.g. :func:`econ.difference_curve`).
    x_title : str
        Title of the input's axis, with its unit.
    breakeven : float, optional
        Value at which the difference is zero, marked with a point; NaN or None: no mark.
    current : float, optional
        The scenario's value, marked with a dashed rule.
    x_format : str, optional
        d3 format of the input's axis (``".0%"`` for fractions).
    title : str, optional
        Chart title.

    Returns
    -------
    altair.LayerChart

    Examples
    --------
    >>> curve = pd.DataFrame({"value": [1.0, 2.0, 3.0], "npv_cost_difference_usd": [2e9, 0.0, -2e9]})
    >>> chart = difference_chart(curve, "list price [USD/GPU-h]", breakeven=2.0, current=2.5)
    >>> len(chart.layer)  # line, zero rule, breakeven point and label, scenario rule
    5
    """
    axis = alt.Axis(title=x_title, format=x_format) if x_format else alt.Axis(title=x_title)
    line = (
        alt.Chart(curve)
        .mark_line()
        .encode(
            x=alt.X("value:Q", axis=axis, scale=alt.Scale(zero=False, nice=False)),
            y=alt.Y("npv_cost_difference_usd:Q", axis=money_axis("Strategy minus rent, NPV [USD]")),
        )
    )
    layers: list[Any] = [line, alt.Chart(pd.DataFrame({"y": [0.0]})).mark_rule(color="#333").encode(y="y:Q")]
    if breakeven is not None and np.isfinite(breakeven):
        point = pd.DataFrame({"x": [float(breakeven)], "y": [0.0], "label": ["breakeven"]})
        mark = alt.Chart(point).encode(x="x:Q", y="y:Q")
        layers += [mark.mark_point(size=80, filled=True, color=RAISES), mark.mark_text(dy=-12, color=RAISES).encode(text="label:N")]
    if current is not None and np.isfinite(current):
        rule = pd.DataFrame({"x": [float(current)]})
        layers.append(alt.Chart(rule).mark_rule(strokeDash=[4, 3], color="#777").encode(x="x:Q"))
    return alt.LayerChart(layer=layers, title=title or "", width=560, height=240)


def tornado_chart(table: pd.DataFrame, *, top: int = 12, title: str | None = None) -> alt.LayerChart:
    """A tornado: the difference at each input's low and high value, from the scenario's value.

    Parameters
    ----------
    table : pandas.DataFrame
        The result of :func:`econ.tornado` (index ``input``; columns
        ``npv_cost_difference_low_usd``, ``npv_cost_difference_high_usd``, ``swing_usd``;
        ``attrs["base_difference_usd"]``).
    top : int
        Inputs shown, largest swing first.
    title : str, optional
        Chart title.

    Returns
    -------
    altair.LayerChart
        Bars from the scenario's difference to each end, a dashed rule at the scenario's
        difference and a solid rule at zero (left of zero: the strategy is cheaper than renting),
        each named at the top.

    Examples
    --------
    >>> t = pd.DataFrame(
    ...     {"npv_cost_difference_low_usd": [-3e9, 1e9], "npv_cost_difference_high_usd": [4e9, 2e9], "swing_usd": [7e9, 1e9]},
    ...     index=pd.Index(["x", "y"], name="input"),
    ... )
    >>> t.attrs["base_difference_usd"] = 1.5e9
    >>> chart = tornado_chart(t)
    >>> sorted(chart.layer[0].data["end"].unique())
    ['input at high quantile', 'input at low quantile']
    """
    shown = table.sort_values("swing_usd", ascending=False).head(top)
    base_value = float(table.attrs.get("base_difference_usd", 0.0))
    ends = {"npv_cost_difference_low_usd": "input at low quantile", "npv_cost_difference_high_usd": "input at high quantile"}
    data = shown.rename_axis("input").reset_index()
    data = data.melt(id_vars=["input"], value_vars=list(ends), var_name="end", value_name="difference_usd")
    data["end"] = data["end"].map(ends)
    data["base"] = base_value
    y = alt.Y("input:N", sort=[str(i) for i in shown.index], title=None, axis=alt.Axis(labelLimit=300))
    order = list(ends.values())
    bars = (
        alt.Chart(data)
        .mark_bar(height=9)
        .encode(
            y=y,
            yOffset=alt.YOffset("end:N", sort=order),
            x=alt.X("base:Q", axis=money_axis("Strategy minus rent, NPV [USD]")),
            x2="difference_usd:Q",
            color=alt.Color("end:N", title=None, sort=order, scale=alt.Scale(domain=order, range=[PALETTE[1], TOTAL])),
        )
    )
    rules = pd.DataFrame({"x": [base_value, 0.0], "what": ["scenario", "zero"]})
    dash = alt.StrokeDash("what:N", legend=None, scale=alt.Scale(domain=["scenario", "zero"], range=[[4, 3], [1, 0]]))
    centre = alt.Chart(rules).mark_rule(color="#333").encode(x="x:Q", strokeDash=dash)
    names = alt.Chart(rules).mark_text(baseline="bottom", dy=-2, color="#333").encode(x="x:Q", y=alt.value(0), text="what:N")
    return alt.LayerChart(layer=[bars, centre, names], title=title or "", width=480, height=alt.Step(11))


def ecdf_chart(samples: pd.DataFrame, x_title: str, *, title: str | None = None) -> alt.LayerChart:
    """Empirical cumulative distributions of the columns of ``samples``, with a rule at zero.

    Where a curve crosses the zero rule reads as the share of draws below zero (for a cost
    difference against renting: the probability that the strategy is cheaper).

    Parameters
    ----------
    samples : pandas.DataFrame
        One column per series (e.g. per strategy), one row per draw [USD].
    x_title : str
        Title of the value axis, with its unit.
    title : str, optional
        Chart title.

    Returns
    -------
    altair.LayerChart

    Examples
    --------
    >>> chart = ecdf_chart(pd.DataFrame({"build": [3.0, -1.0, 2.0, 0.5]}), "build minus rent [USD]")
    >>> chart.layer[0].data[["value", "share"]].to_numpy().tolist()
    [[-1.0, 0.25], [0.5, 0.5], [2.0, 0.75], [3.0, 1.0]]
    """
    parts = []
    for name in samples.columns:
        values = np.sort(samples[name].dropna().to_numpy(dtype=float))
        parts.append(pd.DataFrame({"series": str(name), "value": values, "share": np.arange(1, values.size + 1) / max(values.size, 1)}))
    data = pd.concat(parts, ignore_index=True)
    lines = (
        alt.Chart(data)
        .mark_line(interpolate="step-after")
        .encode(
            x=alt.X("value:Q", axis=money_axis(x_title)),
            y=alt.Y("share:Q", axis=percent_axis("Share of draws at or below"), scale=alt.Scale(domain=[0, 1])),
            color=alt.Color("series:N", title=None),
        )
    )
    zero = alt.Chart(pd.DataFrame({"x": [0.0]})).mark_rule(color="#333").encode(x="x:Q")
    return alt.LayerChart(layer=[lines, zero], title=title or "", width=560, height=260)


def fan_chart(paths: np.ndarray, central: np.ndarray, y_title: str, *, title: str | None = None) -> alt.LayerChart:
    """Quantile bands of simulated monthly paths (5-95 % and 25-75 %) by year, with the median and the central path.

    Parameters
    ----------
    paths : numpy.ndarray of shape (n_paths, months + 1)
        Paths of one driver, month 0 first [its unit].
    central : numpy.ndarray of shape (months + 1,)
        The scenario's central path [the same unit].
    y_title : str
        Title of the value axis, with its unit.
    title : str, optional
        Chart title.

    Returns
    -------
    altair.LayerChart

    Examples
    --------
    >>> p = np.array([[1.0, 1.0, 2.0], [1.0, 3.0, 4.0], [1.0, 2.0, 3.0]])
    >>> chart = fan_chart(p, np.array([1.0, 2.0, 3.0]), "x [1]")
    >>> chart.data[["year", "p05", "p50", "p95"]].round(3).to_numpy().tolist()[-1]
    [0.167, 2.1, 3.0, 3.9]
    """
    q = np.quantile(np.asarray(paths, dtype=float), [0.05, 0.25, 0.5, 0.75, 0.95], axis=0)
    year = np.arange(q.shape[1]) / 12.0
    data = pd.DataFrame({"year": year, "p05": q[0], "p25": q[1], "p50": q[2], "p75": q[3], "p95": q[4], "central": central})
    x = alt.X("year:Q", title="Years from the decision")
    outer = alt.Chart(data).mark_area(opacity=0.25, color=PALETTE[0]).encode(x=x, y=alt.Y("p05:Q", title=y_title), y2="p95:Q")
    inner = alt.Chart(data).mark_area(opacity=0.4, color=PALETTE[0]).encode(x=x, y="p25:Q", y2="p75:Q")
    median = alt.Chart(data).mark_line(color=PALETTE[0]).encode(x=x, y="p50:Q")
    centre = alt.Chart(data).mark_line(color="#333", strokeDash=[4, 3]).encode(x=x, y="central:Q")
    return alt.LayerChart(layer=[outer, inner, median, centre], title=title or "", width=560, height=240)


def exercise_chart(policy: pd.DataFrame, *, title: str | None = None) -> alt.LayerChart:
    """An option's exercise rule by month: the share of paths exercising then (bars) and the mean exercise value (line).

    Parameters
    ----------
    policy : pandas.DataFrame
        ``OptionValue.policy`` of :mod:`econ.flexibility` (columns ``month``, ``exercised_share``,
        ``mean_payoff_usd``; for a staged site one row per hall and month, the first later hall shown).
    title : str, optional
        Chart title.

    Returns
    -------
    altair.LayerChart
        Two independent y axes: share of paths [%] and mean exercise value [USD].

    Examples
    --------
    >>> policy = pd.DataFrame({"stage": 1, "month": [0, 12], "exercised_share": [0.2, 0.5], "mean_payoff_usd": [1e9, 2e9]})
    >>> exercise_chart(policy).data["exercised_share"].tolist()
    [0.2, 0.5]
    """
    data = policy[policy["stage"] == policy["stage"].min()][["month", "exercised_share", "mean_payoff_usd"]].reset_index(drop=True)
    x = alt.X("month:O", title="Exercise month")
    bars = (
        alt.Chart(data)
        .mark_bar(color=PALETTE[0], opacity=0.7)
        .encode(x=x, y=alt.Y("exercised_share:Q", axis=percent_axis("Share of paths exercising then"), scale=alt.Scale(domain=[0, 1])))
    )
    line = (
        alt.Chart(data)
        .mark_line(color=PALETTE[1], point=True)
        .encode(x=x, y=alt.Y("mean_payoff_usd:Q", axis=money_axis("Mean exercise value (all paths exercising then)")))
    )
    chart: alt.LayerChart = alt.LayerChart(layer=[bars, line], title=title or "", width=480, height=240).resolve_scale(y="independent")
    return chart
