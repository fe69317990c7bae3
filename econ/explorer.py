"""Explore a scenario live: controls for the inputs that matter most, the decision redrawn on each change.

:func:`explore` puts a slider on each of the inputs with the widest swing in the scenario's
tornado (:func:`econ.tornado`, the ranking notebook 05 uses to choose the inputs whose flip
points it shows), each over the interval :func:`econ.breakeven` searches, a dropdown for the
strategy compared with rent and one for the load shape. Each change re-evaluates the
overridden scenario (:func:`econ.evaluate`) and redraws the headline, the bridge of the
strategy minus rent (:func:`econ.waterfall`, :func:`econ.charts.waterfall_chart`) and the
inputs changed. A site key ``build.sites.*.<field>`` sets every candidate site (not the
colocation option), as the tornado and the breakevens do.

The object returned displays as the live widget in JupyterLab and, through the same display
call, as a static snapshot (``text/html`` with the chart as inline SVG) wherever widgets do not
run, such as the offline HTML reports: the IPython display protocol lets one object offer
several representations and the front end shows the richest it supports [1]_ [2]_.

References
----------
.. [1] IPython documentation, "Rich output" / "Integrating your objects with IPython"
   (``_repr_mimebundle_``: one object, several MIME types).
.. [2] Jupyter Widgets documentation, "Widget Events" (``observe``, ``continuous_update``)
   and "Low Level Widget Explanation" (the ``application/vnd.jupyter.widget-view+json``
   MIME type, which a front end without the widget manager cannot render).
"""

from __future__ import annotations

import html
import math
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import altair as alt
import ipywidgets as widgets  # type: ignore[import-untyped]  # ipywidgets ships no type hints
import pandas as pd
import vl_convert

from econ.assumptions import Scenario, field_for
from econ.assumptions.errors import suggest
from econ.assumptions.schema import Field, Value
from econ.breakeven import _bounds
from econ.charts import THEME, theme, waterfall_chart
from econ.reports.display import PERCENT_KEY_MARKERS, format_money, format_value
from econ.risk import tornado
from econ.strategies import Evaluation, evaluate
from econ.waterfall import waterfall

STRATEGY = "strategy"
"""Name of the control that chooses the strategy compared with rent (``Explorer.controls[STRATEGY]``)."""

COMPARED = ("build", "hybrid")
"""Strategies the explorer compares with rent."""

CHOICE_KEYS = ("demand.load_shape",)
"""Categorical keys given a dropdown by default (the hourly load shape evaluates in about 0.35 s the first time)."""

SLIDER_STEPS = 200
"""Steps of a float slider over its range."""

CACHED = 32
"""Evaluations kept, so returning to earlier inputs redraws without re-evaluating."""

IGNORE_MATH = "tex2jax_ignore mathjax_ignore"
"""Classes that keep MathJax from reading the dollar signs of amounts as TeX delimiters."""


def default_keys(scenario: Scenario, top: int = 6, strategy: str = "build") -> list[str]:
    """The ``top`` uncertain inputs with the widest swing in the scenario's tornado, widest first.

    The tornado (:func:`econ.tornado`) of ``strategy`` minus rent ranks every uncertain input
    by the swing of the difference between its P10 and P90; Bernoulli inputs (permit losses),
    which have no interval to slide over, are left out as :func:`econ.flip_points` leaves them.

    Parameters
    ----------
    scenario : Scenario
        The scenario.
    top : int
        Inputs to return (>= 1); fewer if the scenario has fewer uncertain inputs.
    strategy : str
        ``"build"`` or ``"hybrid"``.

    Returns
    -------
    list of str
        Scenario keys; a site key is ``build.sites.*.<field>``.

    Raises
    ------
    ValueError
        If ``top`` is not a positive integer, ``strategy`` is not build or hybrid, or the scenario
        has no uncertain inputs (``risk.distributions``) other than Bernoulli ones.

    Examples
    --------
    >>> from econ.assumptions import load_scenario
    >>> default_keys(load_scenario("base"), 2)
    ['cloud.departing_contract_premium', 'cloud.commit_discount_level']
    """
    if isinstance(top, bool) or not isinstance(top, int) or top < 1:
        raise ValueError(f"top: the number of inputs [inputs] must be an integer >= 1; got {top!r}")
    _check_strategy(strategy)
    bernoulli = {d.key for d in scenario.distributions if d.dist == "bernoulli"}
    if not [d for d in scenario.distributions if d.key not in bernoulli]:
        raise ValueError(f"keys: scenario {scenario.name!r} has no uncertain inputs to rank; pass the keys to explore")
    ranked = tornado(scenario, strategy=strategy).index
    return [str(k) for k in ranked if k not in bernoulli][:top]


def _check_strategy(strategy: object) -> str:
    if strategy not in COMPARED:
        raise ValueError(f"strategy: the strategy compared with rent must be one of {list(COMPARED)}; got {strategy!r}")
    return str(strategy)


def all_sites(key: str) -> bool:
    """Whether ``key`` is a site key that sets every site (``build.sites.*.<field>``).

    Examples
    --------
    >>> all_sites("build.sites.*.delay_months"), all_sites("build.sites.us-va-loudoun.delay_months")
    (True, False)
    """
    parts = key.split(".")
    return len(parts) == 4 and parts[:3] == ["build", "sites", "*"]


def site_overrides(scenario: Scenario, key: str, value: Value) -> dict[str, Value]:
    """The scenario overrides that set ``key`` to ``value``: one per candidate site for ``build.sites.*.<field>``.

    ``scenario.site_ids`` are the candidate sites; the colocation option is not among them, so
    a site key moves the same sites as in :func:`econ.tornado` and :func:`econ.breakeven`.

    Examples
    --------
    >>> from econ.assumptions import load_scenario
    >>> base = load_scenario("base")
    >>> moved = site_overrides(base, "build.sites.*.delay_months", 6.0)
    >>> len(moved) == len(base.site_ids), set(moved.values())
    (True, {6.0})
    >>> site_overrides(base, "cloud.short_term_premium", 0.2)
    {'cloud.short_term_premium': 0.2}
    """
    if all_sites(key):
        return {key.replace("*", site): value for site in scenario.site_ids}
    return {key: value}


def _values_of(scenario: Scenario, key: str) -> list[Value]:
    """The key's value in the scenario: every site's for ``build.sites.*.<field>``."""
    return [scenario[k] for k in site_overrides(scenario, key, 0.0)]


def key_field(scenario: Scenario, key: str) -> Field:
    """The schema field of a key the explorer can control, or a ValueError naming the key.

    Raises
    ------
    ValueError
        If ``key`` is not a key of the scenario (a site key ``build.sites.*.<field>`` needs sites).

    Examples
    --------
    >>> from econ.assumptions import load_scenario
    >>> key_field(load_scenario("base"), "build.sites.*.delay_months").unit
    'months'
    >>> key_field(load_scenario("base"), "cloud.list_price")
    Traceback (most recent call last):
    ...
    ValueError: keys: 'cloud.list_price' is not a key of scenario 'base'; did you mean 'cloud.list_generation'?
    """
    names = list(site_overrides(scenario, key, 0.0))
    spec = field_for(names[0]) if names else None
    known = scenario.values  # noqa: PD011 (a mapping)
    if spec is None or any(n not in known for n in names):
        valid = [*known, *{".".join(["build.sites", "*", k.split(".")[3]]) for k in known if k.startswith("build.sites.")}]
        raise ValueError(f"keys: {key!r} is not a key of scenario {scenario.name!r}{suggest(key, valid)}")
    return spec


def slider_range(scenario: Scenario, key: str, bounds: tuple[float, float] | None = None) -> tuple[float, float]:
    """The interval a numeric key's slider covers [the key's unit].

    By default the interval :func:`econ.breakeven` searches (the key's distribution range if it
    is uncertain, else 0.25x to 4x its value, within the key's allowed range), widened to take
    in the scenario's value (every site's, for a site key).

    Parameters
    ----------
    scenario : Scenario
        The scenario.
    key : str
        A numeric scenario key.
    bounds : tuple of float, optional
        The interval instead; it must lie in the key's allowed range and hold the scenario's value.

    Raises
    ------
    ValueError
        Naming the key, its unit, the interval and what is allowed.

    Examples
    --------
    >>> from econ.assumptions import load_scenario
    >>> slider_range(load_scenario("base"), "cloud.commit_discount_level")
    (0.0, 1.0)
    >>> slider_range(load_scenario("base"), "cloud.commit_discount_level", (0.2, 2.0))
    Traceback (most recent call last):
    ...
    ValueError: keys: the range of cloud.commit_discount_level is (0.2, 2) [1]; it must lie in the allowed range, a float in [0, 1] [1]
    """
    spec = key_field(scenario, key)
    if spec.kind not in ("float", "int"):
        raise ValueError(f"keys: {key} is a {spec.kind} key ({spec.allowed()}); a range applies to numeric keys only")
    values = [float(v) for v in _values_of(scenario, key)]
    if bounds is None:
        low, high = _bounds(scenario, _distributed(scenario, key))
        low, high = max(low, spec.low), min(high, spec.high)
        low, high = min(low, *values), max(high, *values)
    else:
        low, high = _checked_bounds(key, spec, bounds, values)
    if spec.kind == "int":
        low, high = float(math.ceil(low)), float(math.floor(high))
    if not low < high:
        raise ValueError(f"keys: the range of {key} [{spec.unit}] is empty ({low:g} to {high:g}); pass keys={{{key!r}: (low, high)}}")
    return low, high


def _distributed(scenario: Scenario, key: str) -> str:
    """``build.sites.*.<field>`` for one site's key if only that is uncertain, so its slider covers the distribution's range."""
    parts = key.split(".")
    generic = ".".join(["build.sites", "*", parts[-1]]) if key.startswith("build.sites.") and len(parts) == 4 else key
    uncertain = {d.key for d in scenario.distributions}
    return generic if key not in uncertain and generic in uncertain else key


def _checked_bounds(key: str, spec: Field, bounds: object, values: list[float]) -> tuple[float, float]:
    """User bounds as floats, or a ValueError naming the key, the unit, the bounds and what is allowed."""
    where = f"keys: the range of {key} is {bounds!r} [{spec.unit}]"
    if not isinstance(bounds, tuple | list) or len(bounds) != 2 or not all(isinstance(b, int | float) for b in bounds):
        raise ValueError(f"{where}; expected a pair of numbers (low, high)")
    low, high = float(bounds[0]), float(bounds[1])
    where = f"keys: the range of {key} is ({low:g}, {high:g}) [{spec.unit}]"
    if not low < high:
        raise ValueError(f"{where}; it must have low < high")
    if spec.check(low) is not None or spec.check(high) is not None:
        raise ValueError(f"{where}; it must lie in the allowed range, {spec.allowed()}")
    outside = [v for v in values if not low <= v <= high]
    if outside:
        raise ValueError(f"{where}; it must hold the scenario's value {outside[0]:g}")
    return low, high


def _readout(key: str, unit: str, low: float, high: float) -> str:
    """d3 format of a slider's readout: percent for shares and rates, SI for large amounts."""
    name = key.rsplit(".", 1)[-1]
    step = (high - low) / SLIDER_STEPS
    if unit == "1/year" or (unit == "1" and any(marker in name for marker in PERCENT_KEY_MARKERS)):
        return f".{max(1, -math.floor(math.log10(step * 100)))}%"
    if max(abs(low), abs(high)) >= 1e4:
        return ".3s"
    return ".1f" if high - low >= 10 else ".3f"


def make_control(scenario: Scenario, key: str, bounds: tuple[float, float] | None = None) -> Any:
    """The widget for one key: a slider for a number, a dropdown for a choice, a checkbox for a flag.

    The control starts at the scenario's value (the first site's, for a site key) and does not
    update continuously while dragged (``continuous_update=False``).

    Parameters
    ----------
    scenario : Scenario
        The scenario.
    key : str
        A scenario key, or ``build.sites.*.<field>``.
    bounds : tuple of float, optional
        A numeric key's range (:func:`slider_range`).

    Returns
    -------
    ipywidgets.ValueWidget
        ``FloatSlider``, ``IntSlider``, ``Dropdown`` or ``Checkbox``; its ``description`` is the key
        with its unit.

    Raises
    ------
    ValueError
        If the key is unknown, its range is invalid, or it is a free-text key with no list of values.

    Examples
    --------
    >>> from econ.assumptions import load_scenario
    >>> slider = make_control(load_scenario("base"), "cloud.short_term_premium")
    >>> type(slider).__name__, slider.value, slider.min, slider.max
    ('FloatSlider', 0.15, 0.0, 0.5)
    >>> make_control(load_scenario("base"), "demand.load_shape").options
    ('flat', 'hourly')
    """
    spec = key_field(scenario, key)
    value = _values_of(scenario, key)[0]
    label = f"{key} [{spec.unit}]" if spec.unit not in ("", "-") else key
    common: dict[str, Any] = {
        "description": label,
        "tooltip": f"{label}: {spec.description}",
        "style": {"description_width": "320px"},
        "layout": widgets.Layout(width="640px"),
    }
    if spec.kind in ("float", "int"):
        low, high = slider_range(scenario, key, bounds)
        if spec.kind == "int":
            return widgets.IntSlider(value=value, min=int(low), max=int(high), step=1, continuous_update=False, **common)
        step = (high - low) / SLIDER_STEPS
        readout = _readout(key, spec.unit, low, high)
        return widgets.FloatSlider(value=value, min=low, max=high, step=step, readout_format=readout, continuous_update=False, **common)
    if bounds is not None:
        raise ValueError(f"keys: {key} is a {spec.kind} key ({spec.allowed()}); a range applies to numeric keys only")
    if spec.kind == "bool":
        return widgets.Checkbox(value=value, indent=False, **common)
    options = tuple(spec.choices) or spec.allowed_values()
    if not options:
        raise ValueError(f"keys: {key} takes {spec.allowed()}, with no list of values to choose from; set it with an override instead")
    return widgets.Dropdown(options=options, value=value, **common)


def headline(summary: pd.DataFrame, strategy: str) -> str:
    """The decision in words: which of the strategy and renting is cheaper, by how much, and both present values.

    Parameters
    ----------
    summary : pandas.DataFrame
        ``Evaluation.summary`` of :func:`econ.evaluate` (``npv_cost_usd`` [USD] by strategy).
    strategy : str
        ``"build"`` or ``"hybrid"``.

    Returns
    -------
    str
        E.g. ``"Build saves $6.90 B against renting. Present value of cost: rent $419.3 B,
        build $412.4 B."``

    Examples
    --------
    >>> costs = pd.DataFrame({"npv_cost_usd": [10e9, 13e9]}, index=["rent", "hybrid"])
    >>> headline(costs, "hybrid")
    'Renting is $3.00 B cheaper than hybrid. Present value of cost: rent $10.00 B, hybrid $13.00 B.'
    """
    rent, own = (float(summary["npv_cost_usd"].to_dict()[s]) for s in ("rent", strategy))
    saving = rent - own
    name = strategy.capitalize()
    if abs(saving) < 0.5:  # less than a dollar either way, once rounded
        verdict = f"{name} and renting cost the same."
    elif saving > 0:
        verdict = f"{name} saves {format_money(saving)} against renting."
    else:
        verdict = f"Renting is {format_money(-saving)} cheaper than {strategy}."
    return f"{verdict} Present value of cost: rent {format_money(rent, 4)}, {strategy} {format_money(own, 4)}."


def chart_svg(chart: alt.TopLevelMixin) -> str:
    """An Altair chart as SVG in the house theme (:mod:`econ.charts`), without changing the active theme.

    Rendered in this process by vl-convert, as the ``svg`` renderer of :func:`econ.charts.setup`
    does; the Vega-Lite version string follows Altair's (``v6_4`` for schema ``v6.4.1``).

    Examples
    --------
    >>> bars = pd.DataFrame({"npv_cost_difference_usd": [2e9, -3e9]}, index=pd.Index(["a", "b"], name="driver"))
    >>> chart_svg(waterfall_chart(bars)).startswith("<svg")
    True
    """
    if THEME not in alt.theme.names():
        plugin: Callable[[], Any] = theme
        alt.theme.register(THEME, enable=False)(plugin)
    with alt.theme.enable(THEME):
        spec = chart.to_dict()
    version = "_".join(alt.SCHEMA_VERSION.split(".")[:2])
    return str(vl_convert.vegalite_to_svg(spec, vl_version=version))


class Explorer:
    """A scenario under live controls: the current inputs, their evaluation and the widget that shows them.

    Made by :func:`explore`. State lives in the controls: a control away from its initial value
    overrides its key (a site key overrides every candidate site; one left at, or moved back to,
    its initial value, the first site's, keeps each site's own value). Changing a control, in
    the widget or with :meth:`set`, evaluates the overridden scenario and redraws; the strategy
    dropdown only redraws (:func:`econ.evaluate` costs every strategy). The last :data:`CACHED`
    evaluations are kept.

    Attributes
    ----------
    base : Scenario
        The scenario as given.
    widget : ipywidgets.VBox
        The controls, the headline, the bridge chart and the table of changed inputs.
    controls : dict of str to ipywidgets.ValueWidget
        One per key, and :data:`STRATEGY` for the strategy compared with rent.
    scenario : Scenario
        The overridden scenario of the current controls (of the last ones that evaluated, if
        :attr:`error` is set).
    result : Evaluation
        Its :func:`econ.evaluate`.
    bars : pandas.DataFrame
        Its :func:`econ.waterfall` for the current strategy.
    changes : dict of str to value
        The controls away from their initial values, as applied to :attr:`scenario`.
    error : ValueError or None
        Why the current controls do not evaluate (e.g. the contract markup leaves its band), or None.
    timings : dict of str to float
        Seconds the last change took: ``scenario_s``, ``evaluate_s``, ``draw_s`` and ``total_s``.

    Examples
    --------
    >>> from econ.assumptions import load_scenario
    >>> ex = Explorer(load_scenario("base"), ["cloud.short_term_premium"], strategy="build")
    >>> ex.set("cloud.short_term_premium", 0.3)
    >>> ex.scenario["cloud.short_term_premium"], ex.changes
    (0.3, {'cloud.short_term_premium': 0.3})
    >>> "text/html" in ex._repr_mimebundle_()
    True
    """

    def __init__(
        self, scenario: Scenario, keys: Sequence[str] | Mapping[str, tuple[float, float] | None], *, strategy: str = "build"
    ) -> None:
        self.base = scenario
        ranges = _key_ranges(keys)
        self.controls: dict[str, Any] = {STRATEGY: _strategy_control(_check_strategy(strategy))}
        self.controls.update({key: make_control(scenario, key, bounds) for key, bounds in ranges.items()})
        self._initial = {key: control.value for key, control in self.controls.items() if key != STRATEGY}
        self._cache: dict[tuple[tuple[str, Value], ...], tuple[Scenario, Evaluation]] = {}
        self._headline = widgets.HTML()
        self._chart = widgets.HTML()
        self._table = widgets.HTML()
        self.widget = self._layout()
        self.changes: dict[str, Value] = {}
        self.scenario, self.result = scenario, evaluate(scenario)
        self._remember(_cache_key({}), self.scenario, self.result)
        self.error: ValueError | None = None
        self.timings: dict[str, float] = {}
        self._quiet = False
        self._redraw(time.perf_counter(), 0.0, 0.0)
        for control in self.controls.values():
            control.observe(self._on_change, names="value")

    @property
    def strategy(self) -> str:
        """The strategy compared with rent (``"build"`` or ``"hybrid"``)."""
        return str(self.controls[STRATEGY].value)

    def set(self, key: str, value: Value) -> None:
        """Set one control, as moving it in the widget would, and re-evaluate.

        Parameters
        ----------
        key : str
            A key of :attr:`controls` (a scenario key as given to :func:`explore`, or :data:`STRATEGY`).
        value : float, int, str or bool
            Within the slider's range [the key's unit], or one of the dropdown's options.

        Raises
        ------
        ValueError
            If the key has no control or the value is outside what the control allows (a slider
            would clamp it silently); or the error of the evaluation, which the widget shows too
            (:attr:`error`).
        """
        control = self._control(key)
        _check_value(key, control, value)
        if control.value == value:
            return
        control.value = value
        if self.error is not None:
            raise self.error

    def reset(self) -> None:
        """Put every input's control back to its initial value (the scenario as given); the strategy stays."""
        self._quiet = True
        try:
            for key, value in self._initial.items():
                self.controls[key].value = value
        finally:
            self._quiet = False
        self._update()

    def html(self) -> str:
        """The current state as static HTML: headline, the bridge chart as inline SVG and the changed inputs.

        What a page without the widget's JavaScript shows (the offline reports): it needs no
        script and fetches nothing.
        """
        parts = [self._headline.value, self._chart.value, self._table.value]
        return f'<div class="econ-explore {IGNORE_MATH}">{"".join(parts)}</div>'

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        """The widget's own bundle (its view for JupyterLab) plus the static snapshot as ``text/html``."""
        bundle = dict(self.widget._repr_mimebundle_(**kwargs) or {})
        bundle["text/plain"] = self._text()
        bundle["text/html"] = self.html()
        return bundle

    def _text(self) -> str:
        problem = f"Not evaluated: {self.error}\n" if self.error is not None else ""
        return f"{problem}{headline(self.result.summary, self.strategy)}"

    def _control(self, key: str) -> Any:
        if key not in self.controls:
            raise ValueError(f"key: {key!r} has no control; the controls are {list(self.controls)}{suggest(key, self.controls)}")
        return self.controls[key]

    def _layout(self) -> Any:
        sliding = (widgets.FloatSlider, widgets.IntSlider)
        choices = [c for c in self.controls.values() if not isinstance(c, sliding)]
        sliders = [c for c in self.controls.values() if isinstance(c, sliding)]
        reset = widgets.Button(description="Reset", tooltip="Every input back to the scenario's value")
        reset.on_click(lambda _: self.reset())
        return widgets.VBox([widgets.HBox([*choices, reset]), *sliders, self._headline, self._chart, self._table])

    def _on_change(self, change: Mapping[str, Any]) -> None:
        if not self._quiet:
            self._update()

    def _update(self) -> None:
        start = time.perf_counter()
        wanted = self._current_changes()
        scenario_s = evaluate_s = 0.0
        try:
            if wanted != self.changes:
                key = _cache_key(wanted)
                if key not in self._cache:
                    scenario = self.base.with_overrides(_overrides(self.base, wanted))
                    scenario_s = time.perf_counter() - start
                    self._remember(key, scenario, evaluate(scenario))
                    evaluate_s = time.perf_counter() - start - scenario_s
                self.scenario, self.result = self._cache[key]
                self.changes = wanted
            self.error = None
        except ValueError as err:  # ScenarioError too: an override out of range, or the markup check
            self.error = err
        self._redraw(start, scenario_s, evaluate_s)

    def _current_changes(self) -> dict[str, Value]:
        return {k: self.controls[k].value for k, v in self._initial.items() if self.controls[k].value != v}

    def _remember(self, key: tuple[tuple[str, Value], ...], scenario: Scenario, result: Evaluation) -> None:
        if len(self._cache) >= CACHED:
            self._cache.pop(next(iter(self._cache)))
        self._cache[key] = (scenario, result)

    def _redraw(self, start: float, scenario_s: float, evaluate_s: float) -> None:
        drawn = time.perf_counter()
        self.bars = waterfall(self.result, self.strategy)
        title = f"{self.strategy.capitalize()} minus rent, present value by driver ({self.base.name})"
        problem = ""
        if self.error is not None:
            problem = (
                f'<p class="econ-explore-error" style="white-space: pre-wrap"><b>Not evaluated:</b> {html.escape(str(self.error))}<br>'
                "The figures below are for the last inputs that evaluated.</p>"
            )
        self._headline.value = (
            f'<div class="{IGNORE_MATH}">{problem}<p><b>{html.escape(headline(self.result.summary, self.strategy))}</b></p></div>'
        )
        self._chart.value = f'<div class="{IGNORE_MATH}">{chart_svg(waterfall_chart(self.bars, title=title))}</div>'
        self._table.value = f'<div class="{IGNORE_MATH}">{_changes_html(self.base, self.changes)}</div>'
        end = time.perf_counter()
        self.timings = {"scenario_s": scenario_s, "evaluate_s": evaluate_s, "draw_s": end - drawn, "total_s": end - start}


def _key_ranges(keys: object) -> dict[str, tuple[float, float] | None]:
    """``keys`` as a mapping of key to range (None: the default range), or a TypeError naming ``keys``."""
    if isinstance(keys, str) or not isinstance(keys, Sequence | Mapping):
        raise TypeError(
            f"keys: expected a list of scenario keys, e.g. ['cloud.markup_change_annual'], or a mapping of key to (low, high); got {keys!r}"
        )
    ranges = dict(keys) if isinstance(keys, Mapping) else dict.fromkeys(keys)
    bad = [k for k in ranges if not isinstance(k, str)]
    if bad:
        raise TypeError(f"keys: every key must be a str, e.g. 'cloud.markup_change_annual'; got {bad!r}")
    if not ranges:
        raise ValueError("keys: expected at least one scenario key; got none")
    if STRATEGY in ranges:
        raise ValueError(f"keys: {STRATEGY!r} is the strategy dropdown, always shown; pass strategy= to choose its initial value")
    return ranges


def _strategy_control(strategy: str) -> Any:
    return widgets.Dropdown(
        options=list(COMPARED), value=strategy, description="compared with rent", style={"description_width": "initial"}
    )


def _check_value(key: str, control: Any, value: object) -> None:
    """A ValueError naming the key and what the control allows if it cannot take ``value`` as given."""
    if isinstance(control, widgets.FloatSlider | widgets.IntSlider):
        x = float(value) if isinstance(value, int | float) and not isinstance(value, bool) else math.nan
        integral = not isinstance(control, widgets.IntSlider) or x.is_integer()
        if not integral or not control.min <= x <= control.max:
            kind = "an integer" if isinstance(control, widgets.IntSlider) else "a number"
            raise ValueError(
                f"value: {key} = {value!r} is not allowed; expected {kind} in the slider's range [{control.min:g}, {control.max:g}] "
                f"({control.description}); pass keys={{{key!r}: (low, high)}} to explore() for another range"
            )
    elif isinstance(control, widgets.Checkbox):
        if not isinstance(value, bool):
            raise ValueError(f"value: {key} = {value!r} is not allowed; expected True or False")
    elif value not in control.options:
        raise ValueError(f"value: {key} = {value!r} is not allowed; expected one of {list(control.options)}")


def _cache_key(changes: Mapping[str, Value]) -> tuple[tuple[str, Value], ...]:
    return tuple(sorted(changes.items()))


def _overrides(scenario: Scenario, changes: Mapping[str, Value]) -> dict[str, Value]:
    """Scenario overrides of the changed controls, a site key expanded to every candidate site."""
    return {k: v for key, value in changes.items() for k, v in site_overrides(scenario, key, value).items()}


def _scenario_value(scenario: Scenario, key: str, unit: str) -> str:
    """The key's value in the scenario, formatted; ``low to high by site`` where the sites differ."""
    values = _values_of(scenario, key)
    if len(set(values)) == 1:
        return format_value(key, values[0], unit)
    if all(isinstance(v, int | float) and not isinstance(v, bool) for v in values):
        low, high = min(values), max(values)
        return f"{format_value(key, low, unit)} to {format_value(key, high, unit)} by site"
    return f"{len(set(values))} values by site"


def _changes_html(scenario: Scenario, changes: Mapping[str, Value]) -> str:
    """The changed inputs as an HTML table: input, scenario value, value explored, unit."""
    if not changes:
        return f"<p>No input changed: scenario {html.escape(scenario.name)!s} as given.</p>"
    rows = []
    for key, value in changes.items():
        spec = key_field(scenario, key)
        rows.append(
            {
                "input": key,
                "scenario value": _scenario_value(scenario, key, spec.unit),
                "explored value": format_value(key, value, spec.unit),
                "unit": spec.unit,
            }
        )
    table = pd.DataFrame(rows).to_html(index=False, classes="econ-table", border=0, escape=True)
    return f"<p>Inputs changed from scenario {html.escape(scenario.name)}:</p>{table}"


def explore(
    scenario: Scenario,
    keys: Sequence[str] | Mapping[str, tuple[float, float] | None] | None = None,
    *,
    strategy: str = "build",
    top: int = 6,
) -> Explorer:
    """Sliders and dropdowns for a scenario's most telling inputs, re-evaluating the decision on each change.

    In JupyterLab the result displays as a widget: a dropdown for the strategy compared with
    rent, one for each categorical key (:data:`CHOICE_KEYS`), a slider for each numeric key,
    then the headline (both present values, the difference and which is cheaper, in words),
    the bridge of the strategy minus rent by driver (:func:`econ.waterfall`) and the inputs
    changed from the scenario. Each slider change re-evaluates (:func:`econ.evaluate`, about
    0.2 s for a shipped scenario; benchmarks/results/explore.md). Where widgets do not run
    (offline HTML reports) the same display shows a static snapshot of the current state.

    Parameters
    ----------
    scenario : Scenario
        From :func:`econ.load_scenario`.
    keys : sequence of str, or mapping of str to (low, high), optional
        The inputs to control: scenario keys, ``build.sites.*.<field>`` for every site at once,
        categorical keys (a dropdown of their values) or flags. A mapping gives a numeric key's
        slider range [the key's unit] (None: the default). By default the ``top`` inputs of
        :func:`default_keys` (the widest tornado swings) with the range :func:`econ.breakeven`
        searches (:func:`slider_range`), and :data:`CHOICE_KEYS`.
    strategy : str
        The strategy first compared with rent, ``"build"`` or ``"hybrid"``.
    top : int
        Inputs chosen by default (>= 1); ignored when ``keys`` is given.

    Returns
    -------
    Explorer
        ``.widget``, ``.controls``, ``.scenario``, ``.result``, ``.set(key, value)``.

    Raises
    ------
    ValueError
        Naming the key: one that is not a key of the scenario, or a range outside the key's
        allowed values or without the scenario's value; or a bad ``strategy`` or ``top``.
    TypeError
        If ``keys`` is not a list of keys or a mapping.

    Examples
    --------
    >>> from econ.assumptions import load_scenario
    >>> ex = explore(load_scenario("base"), top=3)
    >>> list(ex.controls)
    ['strategy', 'cloud.departing_contract_premium', 'cloud.commit_discount_level', 'demand.late_growth_annual', 'demand.load_shape']
    >>> ex.set("cloud.departing_contract_premium", 0.05)
    >>> bool(ex.result.summary.loc["build", "npv_cost_usd"] > ex.result.summary.loc["rent", "npv_cost_usd"])
    True
    >>> explore(load_scenario("base"), ["build.sites.*.delay_month"])
    Traceback (most recent call last):
    ...
    ValueError: keys: 'build.sites.*.delay_month' is not a key of scenario 'base'; did you mean 'build.sites.*.delay_months'?
    """
    _check_strategy(strategy)
    if keys is None:
        chosen: Sequence[str] | Mapping[str, tuple[float, float] | None] = [
            *default_keys(scenario, top, strategy),
            *(k for k in CHOICE_KEYS if k in scenario.values),  # noqa: PD011 (a mapping)
        ]
    else:
        chosen = keys
    return Explorer(scenario, chosen, strategy=strategy)
