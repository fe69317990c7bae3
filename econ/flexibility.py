"""Real options on the build program: defer, stage, expand and abandon a site, valued on the cash-flow model (issue #17).

A static NPV fixes every decision at t = 0. An owner can instead wait and see how demand and the
cloud price turn out: start a site later (**defer**), build it in modular halls added one at a time
(**stage**), add a hall to a site when it pays (**expand**), or stop a site before it is
energized (**abandon**). Each is an American (Bermudan) option on the program, valued by
least-squares Monte Carlo (:func:`econ.options.lsm_american`, Longstaff and Schwartz 2001) over
correlated paths of the two drivers a decision-maker learns month by month, demand and the cloud
list price (:mod:`econ.drivers`, calibrated to the scenario's own Monte Carlo).

Payoffs come from the cash-flow model itself. On every path, each alternative (the site started
at month t, or stopped at month t, or not built) is run through :func:`econ.strategies.run_strategy`
with the path's demand and price in place of the central ones, and its after-tax cost is
discounted at the scenario's WACC to t = 0 (:func:`econ.strategies.npv_cost`). The exercise
value at month t on a path is the present value saved by exercising then, so the LSM runs at a
zero rate on values already in t = 0 dollars. Everything else (hardware trajectory, costs,
schedule lead times, taxes) stays at the scenario's central values; the paths carry no permit
loss (a lost permit already stops a site in the static model, :mod:`econ.build`).

Conventions and judgement calls
-------------------------------
- **Contracts.** The cloud contracts are sized at t = 0 on the *static* plan of the option (the
  site started now; every hall now; the program completed) and met by every alternative, as the
  Monte Carlo meets its forecast: deviating from the plan rents the difference short-term, and a
  renewal is re-sized when signed (:func:`econ.strategies.forecast`). Flexibility is therefore
  valued net of the cost of not having reserved for it.
- **Discounting.** The paths are real-world (calibrated to the scenario's uncertainty, not
  risk-neutral), so payoffs are discounted at the WACC, the project's risk-adjusted rate, as the
  static model does (Dixit and Pindyck 1994, ch. 4 and 5, value investment options this way when
  no spanning asset exists, and Copeland and Antikarov 2001 value real options on the project's
  own cash flows, the "marketed asset disclaimer").
- **Other sites stay put.** Every other site of the program keeps its start in the static plan
  (its place in the annual MW budget of claim C21), so an option moves one site only.
- **Halls** (stage, expand) replace a site, or add to it, by modular halls with the scenario's
  ``build.hall_construction_months`` and ``build.hall_capex_multiplier``; a hall after the first
  shares the site's permit, grid connection and long-lead electrical equipment, so it can be
  energized no earlier than the first hall's permit, grid and equipment, and then needs only its
  own construction (data/notes/facility.md, "Modular halls").
- **Timing and flexibility.** What an option adds to the static plan (``option_value``) is split
  in two. The **committed** plan exercises every path at the one month best on average (for
  ``stage``, hall by hall), decided today without learning anything: ``timing_value`` (committed
  less static) is what choosing the date well is worth, which at base is mostly the calendar of
  GPU launches and contract terms; ``flexibility`` (flexible less committed, path by path) is the
  value of waiting to see demand and the cloud price, zero when they are certain. This is Dixit and
  Pindyck's (1994, ch. 2) separation of the value of waiting under certainty from that under
  uncertainty. The committed month is chosen on the same paths it is valued on (a slight upward
  bias) while the rule is cross-fitted (a downward one), so ``flexibility`` errs low.
- **State of the regression.** Demand and price at the decision month (both scaled, with their
  product and the exercise value: :func:`econ.options.lsm_american`).

References
----------
Longstaff, F. A., and E. S. Schwartz (2001), "Valuing American options by simulation: a simple
least-squares approach", *Review of Financial Studies* 14(1):113-147.
Dixit, A. K., and R. S. Pindyck (1994), *Investment under Uncertainty*, Princeton University Press
(ch. 5, the option to wait; ch. 6-7, staging and abandonment).
Trigeorgis, L. (1996), *Real Options: Managerial Flexibility and Strategy in Resource Allocation*,
MIT Press, ch. 1 (the options to defer, stage, expand and abandon) and ch. 7 (their interaction).
Copeland, T., and V. Antikarov (2001), *Real Options: A Practitioner's Guide*, Texere, ch. 4.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cached_property

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from econ.assumptions import Scenario
from econ.build import site_schedule, site_starts
from econ.checks import whole_number
from econ.drivers import DriverCalibration, calibrate_drivers, driver_paths
from econ.inputs import SITE_PREFIX, Inputs, inputs_from_scenario
from econ.options import Estimate, exercise_boundary, lsm_realized
from econ.plans import Plan, named_plans
from econ.strategies import Forecast, check_markup, evaluate, forecast, market, npv_cost, run_strategy

__all__ = [
    "DriverSample",
    "OptionValue",
    "abandon_option",
    "defer_option",
    "expand_option",
    "modular_program",
    "option_table",
    "policy_words",
    "sample_drivers",
    "stage_option",
]

FloatArray = NDArray[np.float64]

_CHUNK = 2000


@dataclass(frozen=True)
class DriverSample:
    """Paths of the drivers for one scenario, and the scenario's central inputs they are run with.

    Attributes
    ----------
    scenario : Scenario
        The scenario.
    inputs : Inputs
        Its central inputs (one draw, no permit lost).
    calibration : DriverCalibration
        The drivers' central paths, volatilities and correlation (:func:`econ.drivers.calibrate_drivers`).
    paths : numpy.ndarray of shape (n_paths, M + 1, 2)
        Demand [reference GPUs, busy] and list price [USD per reference GPU-hour] at months 0..M.
    seed : int
        Seed of the paths.

    Examples
    --------
    >>> from econ.assumptions import load_scenario
    >>> sample = sample_drivers(load_scenario("base"), n_paths=4, seed=5)
    >>> sample.n_paths, sample.inputs.n, sample.seed
    (4, 1, 5)
    """

    scenario: Scenario
    inputs: Inputs
    calibration: DriverCalibration
    paths: FloatArray
    seed: int

    @property
    def n_paths(self) -> int:
        """Number of paths."""
        return int(self.paths.shape[0])

    @cached_property
    def rent_costs(self) -> FloatArray:
        """Present value of each path's costs when everything is rented [USD], shape (n_paths,); computed once per sample."""
        rent = named_plans(self.inputs)["rent"]
        return _costs(self, self.inputs, rent, forecast(self.inputs, plans=[rent]))


def sample_drivers(
    scenario: Scenario,
    n_paths: int = 2000,
    seed: int = 20261127,
    calibration: DriverCalibration | None = None,
    antithetic: bool = True,
    reversion_annual: float = 0.0,
) -> DriverSample:
    """Driver paths for the options of a scenario: calibrated GBMs of demand and the cloud price, centred on the mean.

    The paths' mean is the scenario's central path (``centre="mean"`` in
    :func:`econ.drivers.driver_paths`), so the static plan's average over the paths is close to
    the static model's answer (equal where the model is linear in the drivers), and what the
    options add is not a shift of the drivers' level.

    Parameters
    ----------
    scenario : Scenario
        From :func:`econ.load_scenario`.
    n_paths : int, default 2000
        Number of paths [paths], >= 4 (the rule is fitted on one half and valued on the other),
        even if ``antithetic``.
    seed : int, default 20261127
        Seed of the paths (the calibration has its own, :func:`econ.drivers.calibrate_drivers`).
    calibration : DriverCalibration, optional
        Default: :func:`econ.drivers.calibrate_drivers` of the scenario. Pass one with zero
        ``volatility_annual`` for paths that all follow the central path (the static model).
    antithetic : bool, default True
        Mirrored pairs of paths (:func:`econ.paths.gbm_paths`).
    reversion_annual : float, default 0
        Mean reversion of the drivers' log-deviations [1/year] (0: geometric Brownian motion;
        :func:`econ.drivers.driver_paths`), with the same spread at the horizon.

    Returns
    -------
    DriverSample

    Raises
    ------
    ValueError
        If ``n_paths`` or the calibration is invalid, or the calibration's horizon is not the scenario's.

    Examples
    --------
    >>> from econ.assumptions import load_scenario
    >>> sample = sample_drivers(load_scenario("base"), n_paths=4, seed=1)
    >>> sample.paths.shape, sample.n_paths
    ((4, 181, 2), 4)
    """
    n_paths = whole_number(n_paths, "n_paths", "paths", 4)
    inputs = inputs_from_scenario(scenario)
    check_markup(scenario, inputs)
    cal = calibrate_drivers(scenario) if calibration is None else calibration
    if cal.horizon_months != inputs.months:
        raise ValueError(f"calibration.horizon_months: must be the scenario's horizon, {inputs.months} [months]; got {cal.horizon_months}")
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer):
        raise ValueError(f"seed: must be an integer [1]; got {seed!r}")
    paths = driver_paths(cal, n_paths, int(seed), antithetic=antithetic, centre="mean", reversion_annual=reversion_annual)
    return DriverSample(scenario, inputs, cal, paths, int(seed))


def _rows_of(plan: Plan, rows: slice) -> Plan:
    """A plan whose per-path shares and start months are cut to a chunk of paths."""

    def cut(a: np.ndarray | None) -> np.ndarray | None:
        return None if a is None or np.ndim(a) < 2 or np.shape(a)[0] == 1 else np.asarray(a)[rows]

    share = plan.site_share if np.ndim(plan.site_share) < 2 or np.shape(plan.site_share)[0] == 1 else np.asarray(plan.site_share)[rows]
    return replace(plan, site_share=share, start_month=cut(plan.start_month), stop_month=cut(plan.stop_month))


@dataclass(frozen=True)
class OptionValue:
    """One option on the build program, valued on driver paths.

    Attributes
    ----------
    kind : str
        ``"defer"``, ``"stage"``, ``"expand"`` or ``"abandon"``.
    site : str
        The site it is on.
    description : str
        The option in words, with the alternatives compared.
    static : Estimate
        Present value of exercising as the static plan does (at month 0, on every path) [USD]:
        defer, the site started now against never; stage, every hall now against the campus;
        expand, the added hall now; abandon, 0 (the static plan completes the site).
    flexible : Estimate
        Present value of the option exercised by the least-squares rule [USD]
        (:func:`econ.options.lsm_realized`, fitted on one half of the paths and valued on the
        other, both ways round, so it has no foresight of the paths it is valued on and is
        biased low): the rule decides on fitted values and is credited the realized ones, so an
        option worth about nothing can come out below 0 by Monte Carlo error.
    committed : Estimate
        Present value of the best plan fixed at t = 0 [USD]: the exercise month (for ``stage``,
        each hall's, given the halls before it) whose value is highest on average over the paths,
        or never, kept on every path. It is what a planner gets by timing the decision well
        without waiting to learn anything.
    committed_months : tuple of int
        The months the committed plan exercises at, -1 for never (one per later hall for ``stage``).
    flexibility : Estimate
        ``flexible`` less ``committed``, path by path [USD]: the value of waiting to see demand and
        the cloud price (the option premium under uncertainty, zero when the drivers are certain).
    option_value : float
        ``flexible`` less the static plan's value [USD]: what the option adds to the plan, the sum
        of :attr:`timing_value` (the calendar and the forecast) and ``flexibility`` (the uncertainty).
    perfect_foresight : Estimate or None
        Upper bound: each path exercised at its best month, known in advance [USD]; None for
        ``stage``, whose halls are decided one after another.
    saving_vs_rent_static, saving_vs_rent_committed, saving_vs_rent_flexible : Estimate
        Present value saved against renting everything [USD] by the program with the static
        plan, with the committed plan, and with the option held and exercised by the rule.
    policy : pandas.DataFrame
        One row per exercise month (and, for ``stage``, per hall: ``stage`` is the hall's
        number, 1 for the other options): ``month``, ``exercised_share`` (of all paths, then),
        ``cumulative_share``, ``mean_payoff_usd`` (the exercise value then, averaged over all
        paths: exercising every path at that month), ``price_boundary_usd_per_reference_gpu_hour`` and
        ``demand_boundary_reference_gpus`` (the edge of the exercise region among paths still
        holding the option, NaN where the rule does not split them),
        ``exercised_above_price_boundary`` (True where the rule exercises at high prices, None
        where it does not split the paths), ``central_price_usd_per_reference_gpu_hour`` and
        ``central_demand_reference_gpus`` (the central path, for scale).
    exercise_month : numpy.ndarray of int, shape (n_paths,), or (n_paths, H) for ``stage``
        Month the rule exercises on each path, -1 if never (for ``stage``, one column per hall
        after the first).
    payoffs : numpy.ndarray of shape (n_paths, E), or (n_paths, E, H) for ``stage``
        Exercise value on each path at each exercise month [USD, t = 0].
    exercise_months : tuple of int
        The months at which the option can be exercised.
    n_paths : int
        Number of paths.

    Examples
    --------
    >>> from econ.assumptions import load_scenario
    >>> value = abandon_option(sample_drivers(load_scenario("base"), 8, seed=2), "us-tx-abilene", step_months=24)
    >>> value.kind, value.exercise_months, value.static.value
    ('abandon', (0, 24), 0.0)
    >>> bool(value.flexible.value <= value.perfect_foresight.value)
    True
    """

    kind: str
    site: str
    description: str
    static: Estimate
    flexible: Estimate
    committed: Estimate
    committed_months: tuple[int, ...]
    flexibility: Estimate
    option_value: float
    perfect_foresight: Estimate | None
    saving_vs_rent_static: Estimate
    saving_vs_rent_committed: Estimate
    saving_vs_rent_flexible: Estimate
    policy: pd.DataFrame
    exercise_month: NDArray[np.int64]
    payoffs: FloatArray
    exercise_months: tuple[int, ...]
    n_paths: int

    @property
    def timing_value(self) -> float:
        """``committed`` less ``static`` [USD]: what choosing the month today adds, with nothing learned."""
        return self.committed.value - self.static.value

    @property
    def flips(self) -> bool:
        """Whether holding the option changes the sign of the program's saving against renting."""
        return bool(np.sign(self.saving_vs_rent_static.value) != np.sign(self.saving_vs_rent_flexible.value))


def _estimate(values: FloatArray) -> Estimate:
    return Estimate(float(values.mean()), float(values.std(ddof=1) / np.sqrt(values.size)) if values.size > 1 else 0.0)


def _site_index(inputs: Inputs, site: str) -> int:
    candidates = [s for s, colo in zip(inputs.site_ids, inputs.colocation, strict=True) if not colo]
    if site not in candidates:
        raise ValueError(f"site: must be one of the scenario's candidate sites {candidates}; got {site!r}")
    return inputs.site_ids.index(site)


def _exercise_months(window_months: int, step_months: int, months: int, first: int = 0) -> tuple[int, ...]:
    window = whole_number(window_months, "window_months", "months", 0)
    step = whole_number(step_months, "step_months", "months", 1)
    if first + window > months:
        raise ValueError(
            f"window_months: the exercise window must end within the horizon, month {months} [months]; "
            f"got {window} months from month {first}, ending at month {first + window}"
        )
    return tuple(range(first, first + window + 1, step))


def _program(sample: DriverSample, program: Plan | None) -> Plan:
    """The static program (default: the scenario's build strategy), every site at its rate-limited start."""
    inputs = sample.inputs
    base = named_plans(inputs)["build"] if program is None else program
    share = np.asarray(base.shares(1, len(inputs.site_ids)), dtype=float)[0]
    starts = site_schedule(inputs, share[None, :], base.starts(inputs)).start[0]
    return replace(base, name="program", site_share=share, start_month=starts, stop_month=None)


def _policy(
    sample: DriverSample, months: tuple[int, ...], exercised: NDArray[np.int64], payoffs: FloatArray, stage: int = 1
) -> pd.DataFrame:
    rows = []
    for column, m in enumerate(months):
        alive = (exercised == -1) | (exercised >= m)
        now = exercised == m
        state = sample.paths[alive, m, :]
        chosen = now[alive]
        split = chosen.any() and not chosen.all()
        rows.append(
            {
                "stage": stage,
                "month": m,
                "exercised_share": float(now.mean()),
                "cumulative_share": float(((exercised >= 0) & (exercised <= m)).mean()),
                "mean_payoff_usd": float(payoffs[:, column].mean()),
                "price_boundary_usd_per_reference_gpu_hour": exercise_boundary(state[:, 1], now[alive]) if alive.any() else np.nan,
                "demand_boundary_reference_gpus": exercise_boundary(state[:, 0], now[alive]) if alive.any() else np.nan,
                "exercised_above_price_boundary": bool(state[chosen, 1].mean() > state[~chosen, 1].mean()) if split else None,
                "central_price_usd_per_reference_gpu_hour": float(sample.calibration.central[m, 1]),
                "central_demand_reference_gpus": float(sample.calibration.central[m, 0]),
            }
        )
    return pd.DataFrame(rows)


def _best_column(payoffs: FloatArray) -> int:
    """Column of the exercise month with the highest mean value over the paths, -1 (never) when none is positive."""
    mean = payoffs.mean(axis=0)
    best = int(np.argmax(mean))
    return best if mean[best] > 0 else -1


def _value(
    kind: str,
    site: str,
    description: str,
    sample: DriverSample,
    payoffs: FloatArray,
    months: tuple[int, ...],
    static_value: FloatArray,
    static_saving: FloatArray,
    degree: int,
) -> OptionValue:
    """Value the option whose exercise values are ``payoffs`` (paths x exercise months, t = 0 USD)."""
    result = lsm_realized(sample.paths, payoffs, months, degree=degree, cross_fit=True)
    realized = np.zeros(sample.n_paths)
    hit = result.exercise_month >= 0
    column = np.searchsorted(np.asarray(months), result.exercise_month[hit])
    realized[hit] = payoffs[np.flatnonzero(hit), column]
    best = _best_column(payoffs)
    committed = payoffs[:, best] if best >= 0 else np.zeros(sample.n_paths)
    static = _estimate(static_value)
    flexible = Estimate(result.value, result.std_error)
    return OptionValue(
        kind=kind,
        site=site,
        description=description,
        static=static,
        flexible=flexible,
        committed=_estimate(committed),
        committed_months=(months[best] if best >= 0 else -1,),
        flexibility=_estimate(realized - committed),
        option_value=flexible.value - static.value,
        perfect_foresight=_estimate(np.maximum(payoffs.max(axis=1), 0.0)),
        saving_vs_rent_static=_estimate(static_saving),
        saving_vs_rent_committed=_estimate(static_saving - static_value + committed),
        saving_vs_rent_flexible=_estimate(static_saving - static_value + realized),
        policy=_policy(sample, months, result.exercise_month, payoffs),
        exercise_month=result.exercise_month,
        payoffs=payoffs,
        exercise_months=months,
        n_paths=sample.n_paths,
    )


@dataclass(frozen=True)
class _Halls:
    """Where a site's halls are in split inputs, and the shared events of the first hall (one draw)."""

    first: int
    later: tuple[int, ...]
    permit: float
    grid: float
    equipment: float


def _split(inputs: Inputs, i: int, mw: Sequence[float], modular: Sequence[bool], at_end: bool) -> tuple[Inputs, list[int]]:
    """Inputs with site ``i`` replaced by halls of ``mw`` (or, ``at_end``, site ``i`` kept and the halls added after the candidates).

    A modular hall gets ``build.hall_construction_months`` and its site's capex per MW times
    ``build.hall_capex_multiplier``; every hall keeps its site's other fields.
    """
    k = len(mw)
    order = _order(inputs, i, k, at_end)
    first = int(np.sum(~inputs.colocation)) if at_end else i
    cols = list(range(first, first + k))
    arrays = {key: (v[:, order] if key.startswith(SITE_PREFIX) else v) for key, v in inputs.arrays.items()}
    arrays = {key: np.array(v, dtype=float) if key.startswith(SITE_PREFIX) else v for key, v in arrays.items()}
    for c, size, hall in zip(cols, mw, modular, strict=True):
        arrays[SITE_PREFIX + "it_mw"][:, c] = size
        if hall:
            arrays[SITE_PREFIX + "construction_months"][:, c] = inputs["build.hall_construction_months"]
            arrays[SITE_PREFIX + "capex_usd_per_mw_it"][:, c] *= inputs["build.hall_capex_multiplier"]
    site = inputs.site_ids[i]
    ids = [inputs.site_ids[j] for j in order]
    for n, c in enumerate(cols, start=1):
        ids[c] = f"{site}#hall{n}"
    split = replace(
        inputs,
        site_ids=tuple(ids),
        site_blocs=tuple(inputs.site_blocs[j] for j in order),
        site_countries=tuple(inputs.site_countries[j] for j in order),
        server_tax_schedules=inputs.server_tax_schedules[order],
        facility_tax_schedules=inputs.facility_tax_schedules[order],
        arrays=arrays,
        permit_lost=inputs.permit_lost[:, order],
        colocation=inputs.colocation[order],
    )
    return split, cols


def _shared(inputs: Inputs, halls: _Halls, starts: FloatArray, shares: FloatArray) -> Inputs:
    """Inputs whose later halls wait for the first hall's permit, grid connection and equipment, and not longer, from each start.

    ``starts`` are the plan's requested starts and ``shares`` its shares, shape (n, S): a hall's
    start is the month the MW budget lets it start (:func:`econ.build.site_starts`).
    """
    n = starts.shape[0]
    rows = inputs.repeat(n) if inputs.n == 1 and n > 1 else inputs
    later = list(halls.later)
    start = site_starts(rows, rows["site.it_mw"] * shares, starts)[:, later]
    permitting = np.maximum(halls.permit - start, 0.0)
    ordered = start if rows.order_equipment_before_permit else start + permitting
    updates = {}
    for field, value in (
        ("permitting_months", permitting),
        ("grid_connection_months", np.maximum(halls.grid - start, 0.0)),
        ("equipment_lead_months", np.maximum(halls.equipment - ordered, 0.0)),
    ):
        column = np.array(rows[SITE_PREFIX + field], dtype=float)
        column[:, later] = value
        updates[SITE_PREFIX + field] = column
    return rows.with_arrays(updates)


def _first_hall(inputs: Inputs, cols: list[int], plan: Plan) -> _Halls:
    schedule = site_schedule(inputs, plan.shares(1, len(inputs.site_ids)), plan.starts(inputs))
    c = cols[0]
    return _Halls(c, tuple(cols[1:]), float(schedule.permit[0, c]), float(schedule.grid[0, c]), float(schedule.equipment[0, c]))


def _costs(sample: DriverSample, inputs: Inputs, plan: Plan, plan_forecast: Forecast, halls: _Halls | None = None) -> FloatArray:
    """Present value of each path's after-tax costs under a plan [USD], shape (n_paths,), run in chunks of paths.

    ``inputs`` is one draw; the plan's shares and start months may be one per path (rows), and
    with ``halls`` the later halls of a site wait for its first hall's shared events from each start.
    """
    n, sites = sample.n_paths, len(inputs.site_ids)
    per_row = any(a is not None and np.ndim(a) == 2 and np.shape(a)[0] > 1 for a in (plan.site_share, plan.start_month))
    out = np.empty(n)
    for first in range(0, n, _CHUNK):
        rows = slice(first, min(first + _CHUNK, n))
        k = rows.stop - rows.start
        chunk_plan = _rows_of(plan, rows) if per_row else plan
        chunk = inputs.repeat(k)
        if halls is not None:
            starts = np.broadcast_to(np.asarray(chunk_plan.start_month, dtype=float), (k, sites))
            chunk = _shared(chunk, halls, starts, np.broadcast_to(np.asarray(chunk_plan.site_share, dtype=float), (k, sites)))
        trajectory, _ = market(chunk)
        paths = sample.paths[rows]
        run = run_strategy(chunk, chunk_plan, plan_forecast, (trajectory, paths[:, 1:, 1]), paths[:, 1:, 0])
        out[rows] = npv_cost(chunk, run)
    return out


def _with(plan: Plan, column: int, *, share: float | None = None, start: float | None = None, stop: float | None = None) -> Plan:
    """The plan with one site's share, start month or abandonment month changed."""
    site_share = np.array(plan.site_share, dtype=float)
    starts = np.array(plan.start_month, dtype=float)
    if share is not None:
        site_share[column] = share
    if start is not None:
        starts[column] = start
    stops = None
    if stop is not None:
        stops = np.full(site_share.shape, np.inf)
        stops[column] = stop
    return replace(plan, site_share=site_share, start_month=starts, stop_month=stops)


def _site_in_program(sample: DriverSample, site: str, program: Plan | None) -> tuple[int, Plan, int]:
    """The site's column, the static program (every site at its rate-limited start) and the site's start month.

    Raises
    ------
    ValueError
        If the site is not a candidate the program builds.
    """
    i = _site_index(sample.inputs, site)
    static_plan = _program(sample, program)
    if static_plan.site_share[i] <= 0:
        raise ValueError(f"site: the program does not build {site!r}; pass a program that does (econ.plans.make_plan)")
    return i, static_plan, int(np.asarray(static_plan.start_month)[i])


def _check_degree(degree: int) -> int:
    return whole_number(degree, "degree", "1", 1)


def defer_option(
    sample: DriverSample, site: str, window_months: int = 36, step_months: int = 3, program: Plan | None = None, degree: int = 3
) -> OptionValue:
    """The option to start one site of the program at the best month of a window instead of now, or never.

    The exercise value of starting at month t on a path is the present value saved by the program
    with the site started at t against the program without it: ``PV(without) - PV(started at t)``
    (Dixit and Pindyck 1994, ch. 5: the option to wait). "Now" is the site's start in the static
    program (its place in the MW budget); exercise months run from there every ``step_months``
    to ``window_months`` later. Not exercised by then, the site is never built.

    Parameters
    ----------
    sample : DriverSample
        Driver paths (:func:`sample_drivers`).
    site : str
        A candidate site of the scenario.
    window_months : int, default 36
        Length of the exercise window [months], >= 0, ending within the horizon.
    step_months : int, default 3
        Months between exercise dates [months], >= 1.
    program : Plan, optional
        The static program (:func:`econ.plans.make_plan`); default the scenario's build strategy.
        It must build the site.
    degree : int, default 3
        Highest power of the regression's polynomial basis (:func:`econ.options.lsm_realized`) [1].

    Returns
    -------
    OptionValue
        ``static``: the site started now against never; ``flexible``: the option; the program's
        saving against renting with and without it; the exercise policy.

    Raises
    ------
    ValueError
        If the site is not a candidate the program builds, or the window leaves the horizon.

    Examples
    --------
    With no uncertainty the option is worth the best of the static plans it chooses among:

    >>> import dataclasses
    >>> from econ.assumptions import load_scenario
    >>> from econ.drivers import calibrate_drivers
    >>> scenario = load_scenario("base")
    >>> still = dataclasses.replace(calibrate_drivers(scenario, draws=50), volatility_annual=np.zeros(2))
    >>> value = defer_option(sample_drivers(scenario, 4, calibration=still), "us-tx-abilene", window_months=12, step_months=12)
    >>> value.exercise_months, bool(value.flexible.value == max(value.payoffs[0].max(), 0.0))
    ((0, 12), True)
    """
    degree = _check_degree(degree)
    inputs = sample.inputs
    i, static_plan, first = _site_in_program(sample, site, program)
    months = _exercise_months(window_months, step_months, inputs.months, first)
    rent = named_plans(inputs)["rent"]
    plan_forecast = forecast(inputs, plans=[rent, static_plan])
    never = _costs(sample, inputs, _with(static_plan, i, share=0.0), plan_forecast)
    started = np.column_stack([_costs(sample, inputs, _with(static_plan, i, start=float(m)), plan_forecast) for m in months])
    payoffs = never[:, None] - started
    saving = sample.rent_costs - started[:, 0]
    description = f"start {site} at the best of months {months[0]}-{months[-1]} (every {step_months}), or never, instead of at {months[0]}"
    return _value("defer", site, description, sample, payoffs, months, payoffs[:, 0], saving, degree)


def abandon_option(sample: DriverSample, site: str, step_months: int = 3, program: Plan | None = None, degree: int = 3) -> OptionValue:
    """The option to stop one site of the program before it is energized, when completing it no longer pays.

    The exercise value of stopping at month t on a path is the present value saved by the program
    with the site stopped then against the program completing it: ``PV(completed) - PV(stopped at t)``.
    Stopping sinks the spend so far less the salvage of the construction done, forfeits the
    equipment deposit, pays the GPU order's cancellation if it was placed (at permit) and sells the
    land (:mod:`econ.build`; ``build.abandon_salvage_share``, ``build.gpu_order_cancellation_share``);
    the work the site would have done is rented (Trigeorgis 1996, ch. 1; Myers and Majd 1990,
    "Abandonment value and project life", *Advances in Futures and Options Research* 4:1-21).
    Exercise months run every ``step_months`` from the site's start to the last month before it is energized.

    Parameters
    ----------
    sample : DriverSample
        Driver paths (:func:`sample_drivers`).
    site : str
        A candidate site the program builds.
    step_months : int, default 3
        Months between exercise dates [months], >= 1.
    program : Plan, optional
        The static program; default the scenario's build strategy.
    degree : int, default 3
        Highest power of the regression's polynomial basis [1].

    Returns
    -------
    OptionValue
        ``static`` is 0 (the static plan completes the site); ``flexible`` the option.

    Raises
    ------
    ValueError
        If the site is not a candidate the program builds.

    Examples
    --------
    >>> import dataclasses
    >>> from econ.assumptions import load_scenario
    >>> from econ.drivers import calibrate_drivers
    >>> scenario = load_scenario("base")
    >>> still = dataclasses.replace(calibrate_drivers(scenario, draws=50), volatility_annual=np.zeros(2))
    >>> value = abandon_option(sample_drivers(scenario, 4, calibration=still), "us-tx-abilene", step_months=12)
    >>> value.static.value, value.exercise_months
    (0.0, (0, 12, 24, 36))
    """
    degree = _check_degree(degree)
    step = whole_number(step_months, "step_months", "months", 1)
    inputs = sample.inputs
    i, static_plan, first = _site_in_program(sample, site, program)
    schedule = site_schedule(inputs, static_plan.shares(1, len(inputs.site_ids)), static_plan.starts(inputs))
    months = tuple(range(first, int(schedule.energize[0, i]), step))
    rent = named_plans(inputs)["rent"]
    plan_forecast = forecast(inputs, plans=[rent, static_plan])
    completed = _costs(sample, inputs, static_plan, plan_forecast)
    stopped = np.column_stack([_costs(sample, inputs, _with(static_plan, i, stop=float(m)), plan_forecast) for m in months])
    payoffs = completed[:, None] - stopped
    description = f"stop {site} at the best of months {months[0]}-{months[-1]} (every {step}) before it is energized, or complete it"
    zero = np.zeros(sample.n_paths)
    return _value("abandon", site, description, sample, payoffs, months, zero, sample.rent_costs - completed, degree)


def _split_plan(plan: Plan, order: list[int], cols: list[int], share: float, start: float) -> Plan:
    """A plan of the unsplit inputs on split ones: the halls in ``cols`` at ``share`` and ``start``, other sites as they were."""
    site_share = np.asarray(plan.site_share, dtype=float)[order]
    starts = np.asarray(plan.start_month, dtype=float)[order]
    site_share[cols], starts[cols] = share, start
    return replace(plan, site_share=site_share, start_month=starts)


def _order(inputs: Inputs, i: int, k: int, at_end: bool) -> list[int]:
    """Site order of :func:`_split`'s inputs: site ``i`` repeated ``k`` times in its place, or after the candidates."""
    candidates = int(np.sum(~inputs.colocation))
    if at_end:
        return [*range(candidates), *([i] * k), *range(candidates, len(inputs.site_ids))]
    return [*range(i), *([i] * k), *range(i + 1, len(inputs.site_ids))]


def expand_option(
    sample: DriverSample,
    site: str,
    extra_mw: float | None = None,
    window_months: int = 48,
    step_months: int = 6,
    program: Plan | None = None,
    degree: int = 3,
) -> OptionValue:
    """The option to add a modular hall to a site of the program, at the best month of a window, or never.

    The site is built as the program plans it; the added hall (``extra_mw`` of IT load, modular
    terms: ``build.hall_construction_months``, ``build.hall_capex_multiplier``) shares its
    permit, grid connection and long-lead equipment, so it is energized no earlier than the site
    and then after its own construction. The exercise value of starting the hall at month t is
    ``PV(program) - PV(program with the hall started at t)`` (Trigeorgis 1996, ch. 1, the option
    to expand). It is placed after the program's other sites in the MW budget, so it never
    delays them. Campuses are built in phases of similar size (data/notes/facility.md, section 12).

    Parameters
    ----------
    sample : DriverSample
        Driver paths (:func:`sample_drivers`).
    site : str
        A candidate site the program builds.
    extra_mw : float, optional
        IT load of the added hall [MW], > 0; default the site's own MW (a second phase of its size).
    window_months : int, default 48
        Length of the exercise window from the site's start [months], ending within the horizon.
    step_months : int, default 6
        Months between exercise dates [months], >= 1.
    program : Plan, optional
        The static program; default the scenario's build strategy.
    degree : int, default 3
        Highest power of the regression's polynomial basis [1].

    Returns
    -------
    OptionValue
        ``static``: the hall started with the site, against never.

    Raises
    ------
    ValueError
        If the site is not a candidate the program builds, ``extra_mw`` is not a positive
        number, or the window leaves the horizon.

    Examples
    --------
    >>> import dataclasses
    >>> from econ.assumptions import load_scenario
    >>> from econ.drivers import calibrate_drivers
    >>> scenario = load_scenario("base")
    >>> still = dataclasses.replace(calibrate_drivers(scenario, draws=50), volatility_annual=np.zeros(2))
    >>> value = expand_option(sample_drivers(scenario, 4, calibration=still), "us-tx-abilene", 100.0, 24, 12)
    >>> value.kind, value.exercise_months, bool(value.flexible.value == max(value.payoffs[0].max(), 0.0))
    ('expand', (0, 12, 24), True)
    """
    degree = _check_degree(degree)
    inputs = sample.inputs
    i, static_plan, first = _site_in_program(sample, site, program)
    mw = float(inputs["site.it_mw"][0, i]) if extra_mw is None else extra_mw
    if isinstance(mw, bool) or not isinstance(mw, int | float) or not np.isfinite(mw) or mw <= 0:
        raise ValueError(f"extra_mw: must be a finite number of MW > 0 [MW]; got {extra_mw!r}")
    months = _exercise_months(window_months, step_months, inputs.months, first)
    split, cols = _split(inputs, i, [float(mw)], [True], at_end=True)
    order = _order(inputs, i, 1, at_end=True)
    program_split = _split_plan(static_plan, order, cols, 0.0, float(first))
    schedule = site_schedule(split, program_split.shares(1, len(split.site_ids)), program_split.starts(split))
    halls = _Halls(i, (cols[0],), float(schedule.permit[0, i]), float(schedule.grid[0, i]), float(schedule.equipment[0, i]))
    planned = (np.asarray(program_split.start_month, dtype=float)[None, :], np.asarray(program_split.site_share, dtype=float)[None, :])
    plan_forecast = forecast(_shared(split, halls, *planned), plans=[program_split])
    without = _costs(sample, split, program_split, plan_forecast, halls)
    started = np.column_stack(
        [_costs(sample, split, _split_plan(static_plan, order, cols, 1.0, float(m)), plan_forecast, halls) for m in months]
    )
    payoffs = without[:, None] - started
    saving = sample.rent_costs - started[:, 0]
    description = f"add a {mw:g} MW modular hall to {site} at the best of months {months[0]}-{months[-1]} (every {step_months}), or never"
    return _value("expand", site, description, sample, payoffs, months, payoffs[:, 0], saving, degree)


def stage_option(
    sample: DriverSample,
    site: str,
    halls: int = 4,
    window_months: int = 48,
    step_months: int = 12,
    program: Plan | None = None,
    degree: int = 3,
) -> OptionValue:
    """The option to build a site in modular halls added one at a time, against one campus built at once.

    The site's IT MW is split into ``halls`` equal modular halls (``build.hall_construction_months``,
    ``build.hall_capex_multiplier``); the first starts when the campus would, the others share its
    permit, grid connection and long-lead equipment. Each later hall in turn is an option to start
    at the best month of the window, or never, valued by least-squares Monte Carlo given the halls
    decided before it (on each path, where the rule put them) and with the halls after it not
    built: a myopic sequence, exact when the halls' values do not interact (a site small against
    demand), a lower bound on the optimal sequential policy otherwise (Trigeorgis 1996, ch. 7, on
    compound and sequential options).

    Parameters
    ----------
    sample : DriverSample
        Driver paths (:func:`sample_drivers`).
    site : str
        A candidate site the program builds.
    halls : int, default 4
        Number of equal halls [1], >= 2.
    window_months : int, default 48
        Length of each later hall's exercise window from the site's start [months].
    step_months : int, default 12
        Months between exercise dates [months], >= 1.
    program : Plan, optional
        The static program; default the scenario's build strategy.
    degree : int, default 3
        Highest power of the regression's polynomial basis [1].

    Returns
    -------
    OptionValue
        ``static``: every hall started with the site (modular terms) against the campus, the
        value of building in halls at all; ``flexible``: the halls added by the rule against the
        campus; ``option_value``: what deciding the later halls later adds.

    Raises
    ------
    ValueError
        If the site is not a candidate the program builds, ``halls`` is not an integer >= 2, or
        the window leaves the horizon.

    Examples
    --------
    >>> import dataclasses
    >>> from econ.assumptions import load_scenario
    >>> from econ.drivers import calibrate_drivers
    >>> scenario = load_scenario("base")
    >>> still = dataclasses.replace(calibrate_drivers(scenario, draws=50), volatility_annual=np.zeros(2))
    >>> value = stage_option(sample_drivers(scenario, 4, calibration=still), "us-tx-abilene", halls=2, window_months=12)
    >>> value.kind, value.exercise_month.shape, value.policy["stage"].unique().tolist()
    ('stage', (4, 1), [2])
    """
    degree = _check_degree(degree)
    k = whole_number(halls, "halls", "1", 2)
    inputs = sample.inputs
    i, static_plan, first = _site_in_program(sample, site, program)
    months = _exercise_months(window_months, step_months, inputs.months, first)
    size = float(inputs["site.it_mw"][0, i]) * float(static_plan.site_share[i]) / k
    split, cols = _split(inputs, i, [size] * k, [True] * k, at_end=False)
    order = _order(inputs, i, k, at_end=False)
    all_now = _split_plan(static_plan, order, cols, 1.0, float(first))
    shared = _first_hall(split, cols, all_now)
    planned = (np.asarray(all_now.start_month, dtype=float)[None, :], np.asarray(all_now.site_share, dtype=float)[None, :])
    plan_forecast = forecast(_shared(split, shared, *planned), plans=[all_now])
    rent = named_plans(inputs)["rent"]
    campus = _costs(sample, inputs, static_plan, forecast(inputs, plans=[rent, static_plan]))
    now = _costs(sample, split, all_now, plan_forecast, shared)
    n = sample.n_paths
    # Rows n..2n-1 run the same paths with the committed plan: each hall at the month best on average, given the halls before it.
    runs = replace(sample, paths=np.concatenate([sample.paths, sample.paths]))
    share = np.tile(np.asarray(all_now.site_share, dtype=float), (2 * n, 1))
    start = np.tile(np.asarray(all_now.start_month, dtype=float), (2 * n, 1))
    share[:, cols[1:]] = 0.0
    decided, matrices, policies, committed_months = [], [], [], []
    for number, col in enumerate(cols[1:], start=2):
        base = _costs(runs, split, replace(all_now, site_share=share.copy(), start_month=start.copy()), plan_forecast, shared)
        started = []
        for m in months:
            with_hall, at = share.copy(), start.copy()
            with_hall[:, col], at[:, col] = 1.0, float(m)
            started.append(_costs(runs, split, replace(all_now, site_share=with_hall, start_month=at), plan_forecast, shared))
        payoffs = base[:, None] - np.column_stack(started)
        rule = lsm_realized(sample.paths, payoffs[:n], months, degree=degree, cross_fit=True).exercise_month
        best = _best_column(payoffs[n:])
        committed_months.append(months[best] if best >= 0 else -1)
        rule = np.concatenate([rule, np.full(n, committed_months[-1])])
        built = rule >= 0
        share[built, col], start[built, col] = 1.0, rule[built]
        decided.append(rule[:n])
        matrices.append(payoffs[:n])
        policies.append(_policy(sample, months, rule[:n], payoffs[:n], number))
    staged = _costs(runs, split, replace(all_now, site_share=share, start_month=start), plan_forecast, shared)
    staged, committed = staged[:n], staged[n:]
    rent_costs = sample.rent_costs
    static, flexible = _estimate(campus - now), _estimate(campus - staged)
    description = (
        f"build {site} in {k} modular halls of {size:g} MW, the first at month {first} and each other at the best of months "
        f"{months[0]}-{months[-1]} (every {step_months}) or never, instead of one campus at month {first}"
    )
    return OptionValue(
        kind="stage",
        site=site,
        description=description,
        static=static,
        flexible=flexible,
        committed=_estimate(campus - committed),
        committed_months=tuple(committed_months),
        flexibility=_estimate(committed - staged),
        option_value=flexible.value - static.value,
        perfect_foresight=None,
        saving_vs_rent_static=_estimate(rent_costs - campus),
        saving_vs_rent_committed=_estimate(rent_costs - committed),
        saving_vs_rent_flexible=_estimate(rent_costs - staged),
        policy=pd.concat(policies, ignore_index=True),
        exercise_month=np.column_stack(decided),
        payoffs=np.stack(matrices, axis=2),
        exercise_months=months,
        n_paths=n,
    )


MODULAR_VARIANTS = ("campus", "modular, as soon as ready", "modular, ready when the campus is")
"""The rows of :func:`modular_program`."""


def modular_program(scenario: Scenario) -> pd.DataFrame:
    """The build program with every candidate site built of modular halls, against campuses (claim C23).

    A modular site takes ``build.hall_construction_months`` of construction and its campus capex
    per MW times ``build.hall_capex_multiplier`` (the terms of the halls of :func:`stage_option`);
    its permit, grid connection and long-lead equipment are the site's (data/notes/facility.md,
    section 12). Built as soon as ready, it comes online sooner only where construction is its
    critical path. Started later instead, by the months it saves, it comes online when the campus
    would and spends later, the deterministic form of the option to defer. Leased colocation
    sites are unchanged.

    Parameters
    ----------
    scenario : Scenario
        From :func:`econ.load_scenario`.

    Returns
    -------
    pandas.DataFrame
        Index ``variant`` (:data:`MODULAR_VARIANTS`); columns ``online_month_mw_weighted``
        (the built sites' online months weighted by their IT MW [months]), ``sites_sooner`` (sites
        online before their campus [1]), ``build_saving_vs_rent_usd`` and
        ``hybrid_saving_vs_rent_usd`` (:func:`econ.evaluate`'s NPV saving against renting [USD]).

    Examples
    --------
    >>> from econ.assumptions import load_scenario
    >>> table = modular_program(load_scenario("base"))
    >>> table.index.tolist() == list(MODULAR_VARIANTS)
    True
    >>> bool(table["online_month_mw_weighted"].iloc[1] <= table["online_month_mw_weighted"].iloc[0])
    True
    """
    inputs = inputs_from_scenario(scenario)
    candidates = list(scenario.site_ids)  # the candidate sites, first in the inputs' site order (then the colocation option)
    modular: dict[str, float] = {}
    for j, site in enumerate(candidates):
        modular[f"build.sites.{site}.construction_months"] = float(inputs["build.hall_construction_months"][0])
        capex = float(inputs["site.capex_usd_per_mw_it"][0, j] * inputs["build.hall_capex_multiplier"][0])
        modular[f"build.sites.{site}.capex_usd_per_mw_it"] = capex
    campus = evaluate(scenario)
    soon = evaluate(scenario.with_overrides(modular))
    saved = (campus.sites["online_month"] - soon.sites["online_month"]).clip(lower=0.0)
    later = {
        f"build.sites.{site}.start_month": float(campus.sites.loc[site, "start_month"] + saved.loc[site])
        for site in candidates
        if saved.loc[site] > 0
    }
    ready = evaluate(scenario.with_overrides(modular | later))
    rows = {}
    for name, ev in zip(MODULAR_VARIANTS, (campus, soon, ready), strict=True):
        online = ev.sites.loc[candidates, "online_month"]
        on = np.isfinite(online)
        mw = ev.sites.loc[candidates, "it_mw"].where(on, 0.0)
        saving = ev.summary["npv_saving_vs_rent_usd"]
        rows[name] = {
            "online_month_mw_weighted": float((online.where(on, 0.0) * mw).sum() / mw.sum()) if mw.sum() > 0 else np.nan,
            "sites_sooner": int((online < campus.sites.loc[candidates, "online_month"]).sum()),
            "build_saving_vs_rent_usd": float(saving.loc["build"]),
            "hybrid_saving_vs_rent_usd": float(saving.loc["hybrid"]),
        }
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis("variant")


def _usd(value: float) -> str:
    return f"-${-value / 1e9:,.2f}B" if value < 0 else f"${value / 1e9:,.2f}B"


def option_table(values: Sequence[OptionValue]) -> pd.DataFrame:
    """One row per option: its values, what it adds to the static plan, and whether it flips build against rent.

    Parameters
    ----------
    values : sequence of OptionValue
        From :func:`defer_option`, :func:`stage_option`, :func:`expand_option`, :func:`abandon_option`.

    Returns
    -------
    pandas.DataFrame
        Index ``option`` (``kind`` and site); columns ``static_usd``, ``committed_usd``,
        ``flexible_usd``, ``flexible_std_error_usd``, ``option_value_usd`` (flexible less static),
        ``timing_value_usd`` (committed less static: the month chosen today),
        ``flexibility_value_usd`` and ``flexibility_std_error_usd`` (flexible less committed:
        waiting to learn), ``perfect_foresight_usd`` (NaN for stage), ``saving_vs_rent_static_usd``,
        ``saving_vs_rent_committed_usd``, ``saving_vs_rent_flexible_usd``, ``flips`` and
        ``exercised_share`` (paths on which the rule exercises at all; for stage, its first later hall).

    Examples
    --------
    >>> import dataclasses
    >>> from econ.assumptions import load_scenario
    >>> from econ.drivers import calibrate_drivers
    >>> scenario = load_scenario("base")
    >>> still = dataclasses.replace(calibrate_drivers(scenario, draws=50), volatility_annual=np.zeros(2))
    >>> sample = sample_drivers(scenario, 4, calibration=still)
    >>> table = option_table([abandon_option(sample, "us-tx-abilene", step_months=24)])
    >>> table.index.tolist(), bool(table["flips"].iloc[0])
    (['abandon us-tx-abilene'], False)
    """
    rows = {}
    for v in values:
        exercised = v.exercise_month if v.exercise_month.ndim == 1 else v.exercise_month[:, 0]
        rows[f"{v.kind} {v.site}"] = {
            "static_usd": v.static.value,
            "committed_usd": v.committed.value,
            "flexible_usd": v.flexible.value,
            "flexible_std_error_usd": v.flexible.std_error,
            "option_value_usd": v.option_value,
            "timing_value_usd": v.timing_value,
            "flexibility_value_usd": v.flexibility.value,
            "flexibility_std_error_usd": v.flexibility.std_error,
            "perfect_foresight_usd": np.nan if v.perfect_foresight is None else v.perfect_foresight.value,
            "saving_vs_rent_static_usd": v.saving_vs_rent_static.value,
            "saving_vs_rent_committed_usd": v.saving_vs_rent_committed.value,
            "saving_vs_rent_flexible_usd": v.saving_vs_rent_flexible.value,
            "flips": v.flips,
            "exercised_share": float((exercised >= 0).mean()),
        }
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis("option")


def policy_words(value: OptionValue) -> str:
    """The option and its exercise rule in plain sentences, with the numbers behind them.

    Says what the option is worth against the static plan, how much of that is timing a plan fixed
    today gets too and how much is the value of waiting to learn, where and how often the rule
    exercises, the cloud-price boundary at the month it exercises most (when the rule splits the
    paths there by price), whether the month it prefers is simply the one whose exercise value is
    highest on average (timing, not the drivers), and whether holding the option changes the sign
    of the program's saving against renting.

    Parameters
    ----------
    value : OptionValue
        From one of the option functions.

    Returns
    -------
    str

    Examples
    --------
    >>> import dataclasses
    >>> from econ.assumptions import load_scenario
    >>> from econ.drivers import calibrate_drivers
    >>> scenario = load_scenario("base")
    >>> still = dataclasses.replace(calibrate_drivers(scenario, draws=50), volatility_annual=np.zeros(2))
    >>> words = policy_words(abandon_option(sample_drivers(scenario, 4, calibration=still), "us-tx-abilene", step_months=24))
    >>> words.split(".")[0]
    'Option to abandon: stop us-tx-abilene at the best of months 0-24 (every 24) before it is energized, or complete it'
    """
    v = value
    policy = v.policy[v.policy["stage"] == v.policy["stage"].min()]
    flexible = f"{_usd(v.flexible.value)} ± {_usd(v.flexible.std_error)}"
    noise = 2.0 * float(np.hypot(v.flexible.std_error, v.static.std_error))
    adds = (
        f"the option adds {_usd(v.option_value)}"
        if abs(v.option_value) > noise
        else f"the option adds nothing beyond Monte Carlo error ({_usd(v.option_value)}, two standard errors {_usd(noise)})"
    )
    parts = [f"Option to {v.kind}: {v.description}.", f"Worth {flexible} against {_usd(v.static.value)} for the static plan: {adds}."]
    months = ", ".join("never" if m < 0 else f"month {m}" for m in v.committed_months)
    learned = 2.0 * v.flexibility.std_error
    waiting = (
        f"{_usd(v.flexibility.value)} ± {_usd(v.flexibility.std_error)} is the value of waiting to see demand and the cloud price"
        if abs(v.flexibility.value) > learned
        else f"waiting to see demand and the cloud price adds nothing beyond Monte Carlo error ({_usd(v.flexibility.value)})"
    )
    parts.append(
        f"Of that, {_usd(v.timing_value)} is timing that a plan fixed today gets too, by choosing the month best on average "
        f"({months}), and {waiting}."
    )
    exercised = float(policy["exercised_share"].sum())
    if exercised == 0:
        parts.append("The rule never exercises it.")
    else:
        top = policy.loc[policy["exercised_share"].idxmax()]
        month = int(top["month"])
        parts.append(f"The rule exercises on {exercised:.0%} of paths, most often at month {month} ({float(top['exercised_share']):.0%}).")
        boundary = float(top["price_boundary_usd_per_reference_gpu_hour"])
        if np.isfinite(boundary):
            central = float(top["central_price_usd_per_reference_gpu_hour"])
            side = "above" if top["exercised_above_price_boundary"] else "below"
            parts.append(
                f"At month {month} it exercises where the cloud price is {side} about ${boundary:,.2f} per reference GPU-hour "
                f"({boundary / central:.2f} times the central path)."
            )
        best = policy.loc[policy["mean_payoff_usd"].idxmax()]
        if int(best["month"]) == month:
            parts.append(
                f"That is also the month whose exercise value is highest on average ({_usd(float(best['mean_payoff_usd']))}): "
                "the rule mostly picks a time, not a state of demand and price."
            )
    saving = f"{_usd(v.saving_vs_rent_static.value)} to {_usd(v.saving_vs_rent_flexible.value)}"
    verb = "changes" if v.flips else "does not change"
    parts.append(f"Holding it {verb} the sign of the program's saving against renting ({saving}).")
    return " ".join(parts)
