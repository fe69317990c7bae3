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
