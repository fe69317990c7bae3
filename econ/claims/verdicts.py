"""Verdicts on the claims of the discussion: a number, a verdict, a reason and the flip points.

Each claim (``data/claims.csv``, C01-C23) has a *check*: a function of the model runs of one
scenario (:class:`Evidence`) that returns a :class:`Finding`: the key number, the verdict
(supported, not supported, depends, or not evaluated with what it needs) and one sentence on
why. A check applies the claim's ``supported_when`` rule to the model's numbers, nothing else.

A verdict is only as good as its robustness. :func:`verdict_flip` moves one scenario input
over its range, re-runs the check at each value (an uncertain input is then held at that
value in every Monte Carlo draw, not only at its central value) and finds, on each side of
the scenario's value, the nearest value at which the verdict changes: a grid scan and then
bisection, which needs no smoothness and converges on a step (Press et al., *Numerical
Recipes*, 3rd ed., 2007, section 9.1). Where the verdict does not change over the range, the
claim is robust over the whole range of the data. This is the verdict-level counterpart of
:func:`econ.flip_point`, which does the same for the recommended plan.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any
from urllib.parse import quote

import numpy as np
import pandas as pd

from econ.assumptions import Scenario, ScenarioError, load_table
from econ.breakeven import _bounds, _unit
from econ.reports.display import format_percent, format_value

VERDICTS = ("supported", "not supported", "depends", "not evaluated")
"""The verdicts a claim can get, in this order in every table."""
GRID_POINTS = 5
"""Values of an input tried across its range before bisecting a change of verdict."""
BISECTIONS = 8
"""Halvings of the bracket around a change of verdict: the flip point to 1/256 of a grid step."""
DEFAULT_DRAWS = 400
"""Monte Carlo draws behind the claims that read probabilities (C01, C05, C22)."""
DEFAULT_SEED = 20261122


@dataclass(frozen=True)
class Finding:
    """What a check finds for one claim in one scenario.

    Attributes
    ----------
    verdict : str
        One of :data:`VERDICTS`.
    value : float
        The key number [``unit``]; NaN when not evaluated.
    label : str
        What the number is, in words ("Build minus rent, expected present value").
    unit : str
        Its unit, as in ``docs/glossary.md`` (``USD``, ``1`` for a fraction, ``ms``, ...).
    why : str
        One sentence: the numbers against the claim's threshold.
    needs : str
        For ``not evaluated``: the model it needs; empty otherwise.
    flip : str
        A flip stated by the check itself, for a claim whose number is measured data rather
        than a scenario input ("not supported if the round trip exceeded 150 ms"); empty
        when the flip points come from scenario inputs.

    Examples
    --------
    >>> f = Finding("supported", 0.75, "Share of work still rented while building", "1", "Most work is still rented.")
    >>> f.shown
    '75.0 %'
    >>> Finding("not evaluated", float("nan"), "Option value", "USD", "No model yet.")
    Traceback (most recent call last):
    ...
    ValueError: needs: say what is missing exactly when the verdict is 'not evaluated'; got verdict 'not evaluated', needs ''
    """

    verdict: str
    value: float
    label: str
    unit: str
    why: str
    needs: str = ""
    flip: str = ""

    def __post_init__(self) -> None:
        if self.verdict not in VERDICTS:
            raise ValueError(f"verdict: must be one of {VERDICTS}; got {self.verdict!r}")
        if (self.verdict == "not evaluated") != bool(self.needs):
            got = f"verdict {self.verdict!r}, needs {self.needs!r}"
            raise ValueError(f"needs: say what is missing exactly when the verdict is 'not evaluated'; got {got}")

    @property
    def shown(self) -> str:
        """The number formatted by its unit (``$1.51 B``, ``22.8 %``, ``140 ms``); ``–`` when NaN."""
        if self.unit == "x" and not math.isnan(self.value):
            return f"{self.value:.2f}×"
        return format_percent(self.value) if self.unit == "1" else format_value("x", self.value, self.unit)


class Evidence:
    """The model runs of one scenario that the checks read, each computed once when first asked for.

    Parameters
    ----------
    scenario : Scenario
        The scenario.
    draws : int
        Monte Carlo draws for the checks that read probabilities.
    seed : int
        Their seed.
    held : mapping of str to float, optional
        Inputs held at these values in every draw [each key's unit]; :func:`verdict_flip`
        holds the input it moves, so that a probability answers to it.

    Examples
    --------
    >>> from econ.assumptions import load_scenario
    >>> ev = Evidence(load_scenario("base"), draws=50)
    >>> ev.evaluation.summary.index.tolist()
    ['rent', 'build', 'hybrid']
    >>> ev.cached("answer", lambda: 42), ev.cached("answer", lambda: 0)
    (42, 42)
    """

    def __init__(self, scenario: Scenario, draws: int = DEFAULT_DRAWS, seed: int = DEFAULT_SEED, held: Mapping[str, float] | None = None):
        if isinstance(draws, bool) or not isinstance(draws, int) or draws < 1:
            raise ValueError(f"draws: must be a whole number of Monte Carlo draws >= 1; got {draws!r}")
        self.scenario = scenario
        self.draws = draws
        self.seed = seed
        self.held = dict(held or {})
        self._cache: dict[str, Any] = {}

    def cached(self, name: str, compute: Callable[[], Any]) -> Any:
        """``compute()`` the first time ``name`` is asked for, the same object after."""
        if name not in self._cache:
            self._cache[name] = compute()
        return self._cache[name]

    @cached_property
    def evaluation(self) -> Any:
        """:func:`econ.evaluate` of the scenario (central values)."""
        from econ.strategies import evaluate

        return evaluate(self.scenario)

    @cached_property
    def simulation(self) -> pd.DataFrame:
        """:func:`econ.simulate` of rent, build and hybrid, with :attr:`held` inputs held."""
        from econ.risk import simulate

        return simulate(self.scenario, self.draws, self.seed, held=self.held)

    @cached_property
    def risk(self) -> pd.DataFrame:
        """:func:`econ.summarize` of :attr:`simulation`."""
        from econ.risk import summarize

        return summarize(self.simulation)

    @cached_property
    def tornado(self) -> pd.DataFrame:
        """:func:`econ.tornado` of build minus rent."""
        from econ.risk import tornado

        return tornado(self.scenario)


Check = Callable[[Evidence], Finding]


@dataclass(frozen=True)
class ClaimCheck:
    """How one claim is checked.

    Attributes
    ----------
    claim_id : str
        ``C01`` ... ``C23``.
    check : callable
        Evidence to :class:`Finding`.
    flip_keys : tuple of str
        Scenario inputs whose flip points are searched (``build.sites.*.x`` moves every site).
    section : str
        Where the detailed report shows the work: ``<notebook stem>#<heading text>``
        (:func:`section_link` makes it a link).

    Examples
    --------
    >>> c = CHECKS["C21"]
    >>> c.flip_keys, section_link(c.section)
    (('build.max_mw_started_per_year',), '01_build_vs_rent.html#Capacity-online-against-demand-(C01,-C03,-C21)')
    """

    claim_id: str
    check: Check
    flip_keys: tuple[str, ...] = ()
    section: str = ""


CHECKS: dict[str, ClaimCheck] = {}
"""Every registered check by claim id (filled by :mod:`econ.claims.capacity`, ``network``, ``market``)."""


def register(claim_id: str, flip_keys: Sequence[str] = (), section: str = "") -> Callable[[Check], Check]:
    """Decorator: register ``check`` as the check of ``claim_id``."""

    def add(check: Check) -> Check:
        if claim_id in CHECKS:
            raise ValueError(f"claim_id: {claim_id!r} already has a check ({CHECKS[claim_id].check.__name__})")
        CHECKS[claim_id] = ClaimCheck(claim_id, check, tuple(flip_keys), section)
        return check

    return add


def claims_table() -> pd.DataFrame:
    """The claims (``data/claims.csv``), index ``claim_id``.

    Examples
    --------
    >>> claims_table().loc["C20", "position"]
    'latency skeptic'
    """
    return load_table("claims")


def _checked(claim_id: str) -> ClaimCheck:
    if claim_id not in CHECKS:
        raise ValueError(f"claim_id: {claim_id!r} is not a claim; choose one of {sorted(CHECKS)}")
    return CHECKS[claim_id]


def check_claim(scenario: Scenario, claim_id: str, *, draws: int = DEFAULT_DRAWS, seed: int = DEFAULT_SEED) -> Finding:
    """The finding on one claim in one scenario.

    Parameters
    ----------
    scenario : Scenario
        The scenario.
    claim_id : str
        ``C01`` ... ``C23``.
    draws, seed : int
        Monte Carlo draws (for the claims that read probabilities) and their seed.

    Examples
    --------
    >>> from econ.assumptions import load_scenario
    >>> f = check_claim(load_scenario("base"), "C21")
    >>> f.verdict, f.unit
    ('supported', '1')
    """
    return _checked(claim_id).check(Evidence(scenario, draws, seed))


@dataclass(frozen=True)
class VerdictFlip:
    """Where the verdict on a claim changes as one input moves away from its scenario value.

    Attributes
    ----------
    claim_id, key : str
        The claim and the input moved.
    verdict : str
        The verdict at the scenario's value; for an uncertain input (``conditional``) the
        verdict if the input were known to be at that value, which may differ from the
        verdict under its uncertainty.
    scenario_value : float
        The input's value in the scenario (the first site's for a ``*`` key) [``unit``].
    down_value, up_value : float
        The nearest values below and above at which the verdict changes; NaN if it does
        not change down to ``low`` (up to ``high``).
    down_verdict, up_verdict : str
        The verdict just beyond each (``verdict`` where nothing changes).
    low, high : float
        The range searched: the input's uncertainty range in the scenario, else a quarter to
        four times its value within its allowed range (as :func:`econ.breakeven`), cut
        where the scenario refuses the values (a share that would make a mix exceed one).
    unit : str
        The input's unit.
    conditional : bool
        True if the input is uncertain in the scenario and was held at each value tried in
        every draw: the verdicts are those of a decision-maker who knew its value.

    Examples
    --------
    >>> f = VerdictFlip("C01", "build.on_time_grace_months", "not supported", 6.0, float("nan"), "not supported", 13.0, "supported",
    ...                 1.5, 24.0, "months")
    >>> print(f)
    build.on_time_grace_months (here 6 months): supported above 13 months
    >>> f.robust
    False
    """

    claim_id: str
    key: str
    verdict: str
    scenario_value: float
    down_value: float
    down_verdict: str
    up_value: float
    up_verdict: str
    low: float
    high: float
    unit: str
    conditional: bool = False

    @property
    def robust(self) -> bool:
        """True if the verdict is the same over the whole range."""
        return math.isnan(self.down_value) and math.isnan(self.up_value)

    @property
    def headroom(self) -> float:
        """Distance from the scenario's value to the nearest flip, as a share of the range searched [1]; 1 if robust."""
        gaps = [abs(x - self.scenario_value) for x in (self.down_value, self.up_value) if not math.isnan(x)]
        return min(gaps) / (self.high - self.low) if gaps else 1.0

    def _show(self, x: float) -> str:
        return format_value("x", x, self.unit) if self.unit not in ("", "1", "x") else f"{x:.4g}"

    def __str__(self) -> str:
        show = self._show
        known = "if known, " if self.conditional else ""
        if self.robust:
            return f"{self.key}: {known}{self.verdict} over its whole range {show(self.low)} to {show(self.high)}"
        parts = []
        if not math.isnan(self.down_value):
            parts.append(f"{self.down_verdict} below {show(self.down_value)}")
        if not math.isnan(self.up_value):
            parts.append(f"{self.up_verdict} above {show(self.up_value)}")
        here = f"here {show(self.scenario_value)}" + (f", if known: {self.verdict}" if self.conditional else "")
        return f"{self.key} ({here}): " + "; ".join(parts)


def _with(scenario: Scenario, key: str, value: float) -> Scenario:
    keys = [key.replace("*", site) for site in scenario.site_ids] if "*" in key else [key]
    return scenario.with_overrides(dict.fromkeys(keys, float(value)))


def _held(scenario: Scenario, key: str) -> bool:
    return any(d.key == key for d in scenario.distributions)


def verdict_flip(
    scenario: Scenario,
    claim_id: str,
    key: str,
    *,
    bounds: tuple[float, float] | None = None,
    draws: int = DEFAULT_DRAWS,
    seed: int = DEFAULT_SEED,
) -> VerdictFlip:
    """The values of ``key`` nearest its scenario value, each way, at which the verdict on ``claim_id`` changes.

    The check is re-run with the input set to each value: its central value, and, for an
    uncertain input, the same value in every draw (the other inputs drawn as before, common
    random numbers), so the verdicts are those of a decision-maker who knew its value
    (:attr:`VerdictFlip.conditional`). The range is scanned at :data:`GRID_POINTS` values plus the scenario's;
    the first change each side is bisected :data:`BISECTIONS` times.

    Parameters
    ----------
    scenario : Scenario
        The scenario.
    claim_id : str
        ``C01`` ... ``C23``.
    key : str
        A numeric scenario key; ``build.sites.*.<field>`` sets every candidate site.
    bounds : tuple of float, optional
        The range searched [the key's unit]; by default the key's uncertainty range, else a
        quarter to four times its value.
    draws, seed : int
        Monte Carlo draws and seed of the checks that read probabilities.

    Returns
    -------
    VerdictFlip

    Examples
    --------
    >>> from econ.assumptions import load_scenario
    >>> f = verdict_flip(load_scenario("base"), "C21", "build.max_mw_started_per_year", bounds=(100.0, 2000.0))
    >>> f.verdict, f.robust
    ('supported', True)
    """
    claim = _checked(claim_id)
    low, high = _bounds(scenario, key) if bounds is None else (float(bounds[0]), float(bounds[1]))
    if not low < high:
        raise ValueError(f"bounds: need low < high [{_unit(key)}]; got ({low!r}, {high!r})")
    here = float(scenario[key.replace("*", scenario.site_ids[0])])
    hold = _held(scenario, key)
    cache: dict[float, str] = {}

    def verdict_at(x: float) -> str:
        """The verdict with the input at ``x``; "" where the scenario or the model refuses ``x`` (a cross-check of its keys)."""
        if x not in cache:
            try:
                varied = scenario if x == here else _with(scenario, key, x)  # central value: contracts are sized on it
                cache[x] = claim.check(Evidence(varied, draws, seed, {key: x} if hold else None)).verdict
            except ScenarioError:
                if x == here:
                    raise
                cache[x] = ""
        return cache[x]

    grid = np.unique(np.append(np.linspace(low, high, GRID_POINTS), here))
    at = int(np.flatnonzero(grid == here)[0])
    start = verdict_at(here)
    feasible = [float(x) for x in grid if verdict_at(float(x))]  # the range searched ends where the scenario refuses values
    low, high = min(feasible), max(feasible)

    def first_change(steps: range) -> tuple[float, str]:
        inside = here
        for i in steps:
            if not verdict_at(float(grid[i])):
                break
            if verdict_at(float(grid[i])) != start:
                outside = float(grid[i])
                for _ in range(BISECTIONS):
                    mid = 0.5 * (inside + outside)
                    inside, outside = (mid, outside) if verdict_at(mid) == start else (inside, mid)
                return 0.5 * (inside + outside), verdict_at(outside)
            inside = float(grid[i])
        return float("nan"), start

    down, down_verdict = first_change(range(at - 1, -1, -1))
    up, up_verdict = first_change(range(at + 1, grid.size))
    return VerdictFlip(claim_id, key, start, here, down, down_verdict, up, up_verdict, low, high, _unit(key), hold)


def evaluate_claims(
    scenario: Scenario,
    claim_ids: Sequence[str] | None = None,
    *,
    draws: int = DEFAULT_DRAWS,
    seed: int = DEFAULT_SEED,
    flips: bool = True,
) -> pd.DataFrame:
    """Every claim's number, verdict, reason and flip points in one scenario.

    Parameters
    ----------
    scenario : Scenario
        The scenario.
    claim_ids : sequence of str, optional
        The claims to check; all of C01-C23 by default.
    draws, seed : int
        Monte Carlo draws and seed of the checks that read probabilities.
    flips : bool
        Search the flip points (:func:`verdict_flip`) of each claim's inputs; without them
        the ``flip`` column is empty (a quick look).

    Returns
    -------
    pandas.DataFrame
        Index ``claim_id``: ``claim``, ``position``, ``verdict``, ``value`` [``unit``],
        ``shown`` (the value formatted), ``label``, ``unit``, ``why``, ``needs``, ``flip``
        (the flip points in words, or "robust over the whole range of the data"),
        ``headroom`` (distance to the nearest flip as a share of that input's range [1], 1
        if robust, NaN if no input was searched), ``nearest_input``,
        ``section`` (``<notebook>#<anchor>`` of the detailed report).

    Examples
    --------
    >>> from econ.assumptions import load_scenario
    >>> t = evaluate_claims(load_scenario("base"), ["C04", "C21"], flips=False)
    >>> t["verdict"].tolist()
    ['supported', 'supported']
    """
    table = claims_table()
    wanted = list(table.index) if claim_ids is None else list(claim_ids)
    for claim_id in wanted:
        _checked(claim_id)
    evidence = Evidence(scenario, draws, seed)
    rows = {}
    for claim_id in wanted:
        claim = CHECKS[claim_id]
        finding = claim.check(evidence)
        rows[claim_id] = {
            "claim": table.loc[claim_id, "claim"],
            "position": table.loc[claim_id, "position"],
            "verdict": finding.verdict,
            "value": finding.value,
            "shown": finding.shown,
            "label": finding.label,
            "unit": finding.unit,
            "why": finding.why,
            "needs": finding.needs,
            **_flips(scenario, claim, finding, draws, seed, search=flips),
            "section": claim.section,
        }
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis("claim_id")


def _flips(scenario: Scenario, claim: ClaimCheck, finding: Finding, draws: int, seed: int, *, search: bool) -> dict[str, Any]:
    """The ``flip``, ``headroom`` and ``nearest_input`` columns of one claim."""
    keys = [k for k in claim.flip_keys if _applies(scenario, k)] if search and finding.verdict != "not evaluated" else []
    flips = [verdict_flip(scenario, claim.claim_id, k, draws=draws, seed=seed) for k in keys]
    said = ([finding.flip] if finding.flip and finding.verdict != "not evaluated" else []) + [str(f) for f in flips if not f.robust]
    nearest = min(flips, key=lambda f: f.headroom) if flips else None
    text = "; ".join(said)
    if flips and not said:
        text = "robust over the whole range of the data: " + ", ".join(f"{f.key} ({_range(f)})" for f in flips)
    return {
        "flip": text if search else "",
        "headroom": nearest.headroom if nearest else float("nan"),
        "nearest_input": nearest.key if nearest else "",
    }


def _range(f: VerdictFlip) -> str:
    if f.unit in ("", "1"):
        return f"{f.low:.4g} to {f.high:.4g}"
    return f"{format_value('x', f.low, f.unit)} to {format_value('x', f.high, f.unit)}"


def section_link(section: str) -> str:
    """``"<notebook>#<heading>"`` as the link to that heading in the published report.

    The anchor is the heading's id as nbconvert writes it: spaces to hyphens, then
    URL-encoded outside the characters allowed in a fragment (``_convert_header_id`` in
    ``nbconvert/filters/strings.py``, nbconvert 7).

    Examples
    --------
    >>> section_link("01_build_vs_rent#How sure are we? (C02, C05)")
    '01_build_vs_rent.html#How-sure-are-we?-(C02,-C05)'
    """
    notebook, _, heading = section.partition("#")
    anchor = quote(heading.replace(" ", "-"), safe="?/:@!$&'()*+,;=")
    return f"{notebook}.html" + (f"#{anchor}" if heading else "")


def _applies(scenario: Scenario, key: str) -> bool:
    """A flip key the scenario has (a ``*`` key needs candidate sites)."""
    if "*" in key:
        return bool(scenario.site_ids)
    return key in scenario.values  # noqa: PD011 (a mapping)


def claim_records(table: pd.DataFrame) -> list[dict[str, str]]:
    """The rows of :func:`evaluate_claims` as the ``claims`` of :func:`econ.reports.write_results`.

    Each record: ``id``, ``verdict``, ``value`` (formatted), ``flip`` (or what an unevaluated
    claim needs), ``anchor`` (the claim's section in the claims report: its id) and ``claim``.

    Examples
    --------
    >>> from econ.assumptions import load_scenario
    >>> claim_records(evaluate_claims(load_scenario("base"), ["C21"], flips=False))[0]["anchor"]
    'C21'
    """
    return [
        {
            "id": str(claim_id),
            "verdict": str(row["verdict"]),
            "value": str(row["shown"]) if row["verdict"] != "not evaluated" else "",
            "flip": str(row["flip"] or row["needs"]),
            "anchor": str(claim_id),
            "claim": str(row["claim"]),
        }
        for claim_id, row in table.iterrows()
    ]


__all__ = [
    "BISECTIONS",
    "CHECKS",
    "DEFAULT_DRAWS",
    "DEFAULT_SEED",
    "GRID_POINTS",
    "VERDICTS",
    "ClaimCheck",
    "Evidence",
    "Finding",
    "VerdictFlip",
    "check_claim",
    "claim_records",
    "claims_table",
    "evaluate_claims",
    "register",
    "section_link",
    "verdict_flip",
]
