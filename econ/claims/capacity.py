"""Checks of the claims about the build program, its risks and the cloud contracts (C01-C05, C21-C23).

Each check applies the ``supported_when`` rule of its claim (``data/claims.csv``) to the
build-versus-rent model (:func:`econ.evaluate`, :func:`econ.simulate`, :func:`econ.tornado`,
:func:`econ.breakeven`); docs/claims.md states each rule and threshold.
"""

from __future__ import annotations

import numpy as np

from econ.assumptions import Scenario
from econ.breakeven import breakeven
from econ.claims.verdicts import Evidence, Finding, register
from econ.drivers import calibrate_drivers
from econ.flexibility import MODULAR_VARIANTS, OptionValue, modular_program, sample_drivers, stage_option
from econ.inputs import ContractSpec, inputs_from_scenario
from econ.plans import Plan, named_plans
from econ.reports.display import format_money, format_percent

PROGRAM = "01_build_vs_rent"
ON_TIME = f"{PROGRAM}#Capacity online against demand (C01, C03, C21)"
RISK = f"{PROGRAM}#How sure are we? (C02, C05)"
CONTRACTS = f"{PROGRAM}#Contracts: what each strategy commits (C22) and the departure window (C04)"
TORNADO_RANK = 5
"""An input 'moves build minus rent most' when its effect is at least that of the tornado's fifth input."""
MAJORITY = 0.5
"""'In more than half of the draws'."""
GATES = {"equipment": "long-lead equipment", "grid": "the grid connection", "mechanical": "construction"}
"""The gates of a site's energization (econ.build.site_schedule), in words."""
RENTED_LARGE = 0.5
"""A 'large share' still rented: at least half of the work."""


def _owns(ev: Evidence) -> bool:
    return bool(ev.evaluation.summary.loc["build", "owned_mw"] > 0)


def _no_sites(label: str, unit: str) -> Finding:
    return Finding(
        "not supported", float("nan"), label, unit, "The scenario's build strategy owns no capacity, so there is no build program to test."
    )


@register("C01", flip_keys=("build.on_time_grace_months", "build.sites.*.delay_months"), section=ON_TIME)
def program_on_schedule(ev: Evidence) -> Finding:
    """Eight to ten sites over several regions, at least half online by plan in most draws."""
    label = "Draws with at least half the sites online on time"
    if not _owns(ev):
        return _no_sites(label, "1")
    sites = ev.evaluation.sites
    count, blocs = len(sites), sites["sovereignty_bloc"].nunique()
    p = float(ev.risk["p_half_sites_on_time"].loc["build"])
    shaped = 8 <= count <= 10 and blocs >= 3
    holds = shaped and p > MAJORITY
    why = (
        f"The build program has {count} sites in {blocs} sovereignty blocs; at least half of them are online within "
        f"{ev.scenario['build.on_time_grace_months']:g} months of plan in {format_percent(p)} of {ev.draws:,} draws "
        f"({'more' if p > MAJORITY else 'not more'} than half)."
    )
    return Finding("supported" if holds else "not supported", p, label, "1", why)


def _permit_free(ev: Evidence) -> Evidence:
    free = ev.scenario.with_overrides({f"build.sites.{s}.permit_loss_probability": 0.0 for s in ev.scenario.site_ids})
    return Evidence(free, ev.draws, ev.seed, ev.held)


@register("C02", flip_keys=("build.sites.*.permit_loss_probability",), section=RISK)
def permits_at_risk(ev: Evidence) -> Finding:
    """Permit loss moves expected build minus rent as much as the inputs that move it most."""
    label = "Expected cost of permit loss to build minus rent"
    if not _owns(ev):
        return _no_sites(label, "USD")
    without = ev.cached("permit free", lambda: _permit_free(ev).risk)
    effect = float(ev.risk.loc["build", "npv_cost_difference_mean_usd"] - without.loc["build", "npv_cost_difference_mean_usd"])
    swings = ev.tornado["swing_usd"].to_numpy()
    bar = float(np.sort(swings)[::-1][min(TORNADO_RANK, swings.size) - 1]) if swings.size else 0.0
    holds = abs(effect) >= bar
    why = (
        f"Losing permits at the sites' probabilities ({format_percent(min(_losses(ev)))} to {format_percent(max(_losses(ev)))}) "
        f"changes expected build minus rent by {format_money(effect)}, against {format_money(bar)} for the tornado's "
        f"input ranked {TORNADO_RANK}."
    )
    return Finding("supported" if holds else "not supported", effect, label, "USD", why)


def _losses(ev: Evidence) -> list[float]:
    return [float(ev.scenario[f"build.sites.{s}.permit_loss_probability"]) for s in ev.scenario.site_ids]


@register("C03", flip_keys=("build.sites.*.equipment_lead_months",), section=ON_TIME)
def equipment_sets_pace(ev: Evidence) -> Finding:
    """Long-lead equipment is the last gate before energization at most sites."""
    label = "Sites whose energization waits for long-lead equipment"
    if not _owns(ev):
        return _no_sites(label, "1")
    sites = ev.evaluation.sites
    gates = sites[["equipment_month", "grid_month", "mechanical_month"]]
    by_equipment = gates["equipment_month"] >= gates.max(axis=1)
    share = float(by_equipment.mean())
    last = gates.idxmax(axis=1).str.removesuffix("_month").value_counts()
    why = (
        f"Equipment is the last gate at {int(by_equipment.sum())} of {len(sites)} sites; "
        + ", ".join(
            f"{name.replace('mechanical', 'construction').replace('grid', 'the grid connection')} at {n}" for name, n in last.items()
        )
        + " (the last gate sets energization)."
    )
    return Finding("supported" if share > MAJORITY else "not supported", share, label, "1", why)


@register("C04", flip_keys=("cloud.commit_discount_level", "demand.late_growth_annual"), section=CONTRACTS)
def departing_premium(ev: Evidence) -> Finding:
    """The departing-customer premium decides build against rent within its range."""
    label = "Departing-customer premium at which build and rent cost the same"
    if not _owns(ev):
        return _no_sites(label, "1")
    key = "cloud.departing_contract_premium"
    b = ev.cached("premium breakeven", lambda: breakeven(ev.scenario, key, "build"))
    inside = b.low < b.value < b.high
    why = (
        f"Build costs the same as rent at a departing-customer premium of {format_percent(b.value, 2)}, "
        + ("inside" if inside else "outside")
        + f" its range of {format_percent(b.low)} to {format_percent(b.high)}"
        + (f"; build is cheaper {b.cheaper_when} it." if b.cheaper_when in ("below", "above") else ".")
    )
    if np.isnan(b.value):
        why = f"Build against rent does not change sign over the premium's range {format_percent(b.low)} to {format_percent(b.high)}."
    return Finding("supported" if inside else "not supported", b.value, label, "1", why)


@register("C05", flip_keys=("cloud.departing_contract_premium", "demand.late_growth_annual", "cloud.commit_discount_level"), section=RISK)
def build_or_rent(ev: Evidence) -> Finding:
    """Build is cheaper than rent at central values and in most draws (build side), or in neither (cloud side)."""
    saving = float(ev.evaluation.summary["npv_saving_vs_rent_usd"].loc["build"])
    p = float(ev.risk["p_cheaper_than_rent"].loc["build"])
    mean = float(ev.risk["npv_cost_difference_mean_usd"].loc["build"])
    label = "Build minus rent, expected present value"
    if not _owns(ev):
        return _no_sites(label, "USD")
    central = "saves" if saving > 0 else "costs"
    why = (
        f"At central values build {central} {format_money(abs(saving))} against rent; over {ev.draws:,} draws it is cheaper in "
        f"{format_percent(p)} of them and {format_money(abs(mean))} {'dearer' if mean > 0 else 'cheaper'} on average."
    )
    if saving > 0 and p > MAJORITY:
        verdict = "supported"
    elif saving <= 0 and p <= MAJORITY:
        verdict, why = "not supported", why + " The cloud side holds."
    else:
        verdict, why = "depends", why + " The answer rests on the uncertain inputs."
    return Finding(verdict, mean, label, "USD", why)


@register("C21", flip_keys=("build.max_mw_started_per_year",), section=ON_TIME)
def build_rate_limit(ev: Evidence) -> Finding:
    """Under the build-rate limit, building every site still leaves most work rented."""
    owned = float(ev.evaluation.summary["owned_share_of_work"].loc["build"])
    rented = 1.0 - owned
    limit = float(ev.scenario["build.max_mw_started_per_year"])
    why = (
        f"With at most {limit:,.0f} MW started a year, the build strategy still rents {format_percent(rented)} of the work "
        f"over the horizon ({'at least' if rented >= RENTED_LARGE else 'less than'} half)."
    )
    return Finding(
        "supported" if rented >= RENTED_LARGE else "not supported", rented, "Share of work still rented while building", "1", why
    )


def _full_commitment(ev: Evidence) -> Plan:
    """Build every site and keep renting's first contract as signed (its fixed total), then contract as build does."""
    inputs = inputs_from_scenario(ev.scenario)
    build = named_plans(inputs)["build"]
    contracts = ev.evaluation.contracts.set_index(["strategy", "contract"])
    first = build.contracts[0]
    kept = ContractSpec(
        first.name, first.start_month, first.term_months, float(contracts.loc[("rent", first.name), "commit_usd"]), float("nan")
    )
    return Plan("build and keep the commitment", np.asarray(build.site_share, dtype=float), (kept, *build.contracts[1:]), build.reservation)


@register("C22", flip_keys=("build.sites.*.grid_connection_months", "build.max_mw_started_per_year"), section=CONTRACTS)
def commitment_left_empty(ev: Evidence) -> Finding:
    """Building empties the commitment: the builder needs less than half of renting's first commitment."""
    label = "Builder's first commitment as a share of renting's"
    if not _owns(ev):
        return _no_sites(label, "1")
    from econ.risk import simulate

    plan = ev.cached("full commitment", lambda: _full_commitment(ev))
    draws = ev.cached("full commitment draws", lambda: simulate(ev.scenario, ev.draws, ev.seed, plans=[plan], held=ev.held))
    extra = float(draws[f"take_or_pay_pv_usd_{plan.name}"].mean() - ev.simulation["take_or_pay_pv_usd_build"].mean())
    contracts = ev.evaluation.contracts.set_index(["strategy", "contract"])
    first = plan.contracts[0].name
    rent_commit, build_commit = float(contracts["commit_usd"].loc[("rent", first)]), float(contracts["commit_usd"].loc[("build", first)])
    share = build_commit / rent_commit
    why = (
        f"Sized on what it still rents while its sites are built, the builder's first commitment is {format_money(build_commit)}, "
        f"{format_percent(share)} of renting's {format_money(rent_commit)}; keeping renting's in full while building adds "
        f"{format_money(extra)} of expected unused capacity over {ev.draws:,} draws."
    )
    return Finding("supported" if share < MAJORITY else "not supported", share, label, "1", why)


STAGE_HALLS = 4
"""Halls the staged site is built in (C23): phases of a quarter of the site, as Applied Digital's 50 MW halls of a 200 MW campus."""
STAGE_WINDOW_MONTHS, STAGE_STEP_MONTHS = 48, 12
"""Each later hall can start at the site's start or every 12 months (the GPU cadence) for four years (C23)."""
STAGE_PATHS = 1000
"""Driver paths of the staging option (C23): half fit the rule and half value it."""
STAGING = "06_real_options#Modular halls and staging (C23)"


def _staged_site(ev: Evidence) -> str:
    """The build program's largest site, the earliest online among equals: where staging is valued (C23)."""
    sites = ev.evaluation.sites
    candidates = [s for s in ev.scenario.site_ids if s in sites.index]  # the candidates, not the colocation option
    ranked = sites.loc[candidates].assign(neg_mw=lambda t: -t["it_mw"]).sort_values(["neg_mw", "online_month"], kind="stable")
    return str(ranked.index[0])


def _staging(ev: Evidence) -> OptionValue:
    calibration = calibrate_drivers(ev.scenario, draws=max(ev.draws, 2), seed=ev.seed)
    sample = sample_drivers(ev.scenario, STAGE_PATHS, ev.seed, calibration=calibration)
    return stage_option(sample, _staged_site(ev), STAGE_HALLS, STAGE_WINDOW_MONTHS, STAGE_STEP_MONTHS)


def _modular_gain(scenario: Scenario, multiplier: float) -> float:
    """Build's saving with modular halls, used the better way, less the campus program's [USD], at a hall capex multiplier."""
    table = modular_program(scenario.with_overrides({"build.hall_capex_multiplier": multiplier}))
    return float(table["build_saving_vs_rent_usd"].iloc[1:].max() - table["build_saving_vs_rent_usd"].iloc[0])


def _capex_flip(ev: Evidence, gain: float) -> float:
    """Hall capex multiplier at which modular stops being no worse than campus [1]: the saving is linear in it in each use."""
    here = float(ev.scenario["build.hall_capex_multiplier"])
    step = 0.1 * here
    slope = (_modular_gain(ev.scenario, here + step) - gain) / step
    return here - gain / slope if slope < 0 else float("inf")


@register("C23", section=STAGING)
def modular_builds(ev: Evidence) -> Finding:
    """Modular halls bring capacity online sooner, keep build minus rent no worse, and staging them adds option value."""
    label = "Value of staging modular halls beyond timing"
    if not _owns(ev):
        return _no_sites(label, "USD")
    table = ev.cached("modular program", lambda: modular_program(ev.scenario))
    campus, soon, ready = (table.loc[v] for v in MODULAR_VARIANTS)
    staged: OptionValue = ev.cached("staging", lambda: _staging(ev))
    months_sooner = float(campus["online_month_mw_weighted"] - soon["online_month_mw_weighted"])
    best = max(float(soon["build_saving_vs_rent_usd"]), float(ready["build_saving_vs_rent_usd"]))
    base = float(campus["build_saving_vs_rent_usd"])
    learned = staged.flexibility
    adds = learned.value > 2.0 * learned.std_error
    holds = months_sooner > 0 and best >= base and adds
    built = int(np.sum(np.isfinite(ev.evaluation.sites["online_month"])))
    why = (
        f"Built of modular halls ({ev.scenario['build.hall_construction_months']:g} months of construction), the program comes online "
        f"{months_sooner:.1f} months sooner weighted by MW ({int(soon['sites_sooner'])} of {built} sites; the grid connection or "
        f"equipment sets the others' dates). Used to come online sooner, modular changes build's saving against renting by "
        f"{format_money(float(soon['build_saving_vs_rent_usd']) - base)}; used to spend later for the same dates, by "
        f"{format_money(float(ready['build_saving_vs_rent_usd']) - base)}. Built at {staged.site} in {STAGE_HALLS} halls added one "
        f"at a time, staging is worth {format_money(staged.timing_value)} as timing a plan fixed today also gets, and "
        f"{format_money(learned.value)} ± {format_money(learned.std_error)} for waiting to see demand and the cloud price "
        f"({STAGE_PATHS:,} paths; {'more' if adds else 'not more'} than two standard errors)."
    )
    at = _capex_flip(ev, best - base)
    flip = (
        f"not supported if a modular hall cost more than {at:.3f} times its site's campus capex per MW "
        f"(build.hall_capex_multiplier, here {float(ev.scenario['build.hall_capex_multiplier']):g}), or if staging's flexibility "
        "were within two standard errors of zero"
        if np.isfinite(at)
        else "not supported if staging's flexibility were within two standard errors of zero"
    )
    return Finding("supported" if holds else "not supported", learned.value, label, "USD", why, flip=flip)
