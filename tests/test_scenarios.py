"""The scenario layer: shipped scenarios, inheritance, overrides, hashing and every error path."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import subprocess
import sys
import textwrap
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType

import numpy as np
import pytest

from econ.assumptions import SCENARIO_DIR, Distribution, Scenario, ScenarioError, field_for, list_scenarios, load_scenario, load_table
from econ.assumptions.schema import Field

SHIPPED = ["base", "rent-only", "build", "sovereign"]


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / f"{name}.yaml"
    path.write_text(textwrap.dedent(text))
    return path


def child(tmp_path: Path, text: str, name: str = "case") -> Path:
    """A scenario file in tmp_path that extends the shipped base by absolute path."""
    return write(tmp_path, name, f"extends: {SCENARIO_DIR / 'base.yaml'}\n" + textwrap.dedent(text))


def problems(path_or_name: str | Path, overrides: dict[str, object] | None = None) -> str:
    with pytest.raises(ScenarioError) as info:
        load_scenario(path_or_name, overrides)
    return str(info.value)


@pytest.mark.parametrize("name", SHIPPED)
def test_shipped_scenarios_load_with_every_value_sourced(name: str) -> None:
    scenario = load_scenario(name)
    assert scenario.name == name
    table = scenario.to_frame()
    assert {"value", "unit", "source"} <= set(table.columns)
    numeric = table[[isinstance(v, int | float) and not isinstance(v, bool) for v in table["value"]]]
    unsourced = numeric[numeric["source"].str.contains("no source given|no provenance")]
    assert unsourced.empty, f"values without a source in {name}: {list(unsourced.index)}"
    assert len(scenario.site_ids) >= 8


def test_list_scenarios_names_the_shipped_ones() -> None:
    listing = list_scenarios()
    assert set(SHIPPED) <= set(listing.index)
    assert listing.loc["rent-only", "extends"] == "base"


def test_inheritance_changes_only_what_the_child_says() -> None:
    base, skeptic = load_scenario("base"), load_scenario("rent-only")
    mp = load_table("model_parameters")
    assert skeptic["cloud.markup_change_annual"] == mp.at["cloud.markup_change_annual", "low"]
    changed = {k for k in base.values if base.values[k] != skeptic.values.get(k)}
    assert changed, "rent-only must differ from base"
    assert all(k == "cloud.markup_change_annual" or k.startswith("build.sites.") for k in changed)
    assert skeptic.files[0].endswith("base.yaml") and skeptic.files[-1].endswith("rent-only.yaml")


def test_build_adds_sites_and_keeps_file_order() -> None:
    scenario = load_scenario("build")
    assert scenario.site_ids[:8] == load_scenario("base").site_ids
    assert scenario.site_ids[8:] == ("se-lulea-boden", "is-keflavik")
    assert scenario["build.sites.is-keflavik.build_type"] == "modular"


def test_null_removes_an_inherited_site(tmp_path: Path) -> None:
    scenario = load_scenario(child(tmp_path, "build:\n  sites:\n    ie-dub-dublin: null\n"))
    assert "ie-dub-dublin" not in scenario.site_ids
    assert not any(k.startswith("build.sites.ie-dub-dublin") for k in scenario.values)


def test_overrides_apply_and_are_recorded() -> None:
    scenario = load_scenario(
        "base", {"cloud.commit_discount_level": 0.35, "build.sites.us-va-loudoun.it_mw": 100, "risk.demand.growth_annual.high": 1.5}
    )
    assert scenario["cloud.commit_discount_level"] == 0.35
    assert scenario["build.sites.us-va-loudoun.it_mw"] == 100
    assert scenario.sources["cloud.commit_discount_level"] == "override"
    assert dict(scenario.overrides) == {
        "cloud.commit_discount_level": 0.35,
        "build.sites.us-va-loudoun.it_mw": 100,
        "risk.demand.growth_annual.high": 1.5,
    }
    growth = next(d for d in scenario.distributions if d.key == "demand.growth_annual")
    assert growth.params["high"] == 1.5
    assert scenario.with_overrides({"cloud.commit_discount_level": 0.4})["cloud.commit_discount_level"] == 0.4


def test_data_references_follow_placeholders() -> None:
    site = "build.sites.us-va-loudoun"
    text = problems("base", {f"{site}.build_type": "global-average-jll"})
    assert "'@facility_capex/global-average-jll/construction_months_high': the cell is empty" in text
    jll = load_scenario("base", {f"{site}.build_type": "global-average-jll", f"{site}.construction_months": 24.0})
    assert jll[f"{site}.construction_months"] == 24.0
    modular = load_scenario("base", {f"{site}.build_type": "modular"})
    table = load_table("facility_capex")
    assert modular[f"{site}.construction_months"] == table.at["modular", "construction_months_high"]
    assert "data/facility_capex.csv [modular, construction_months_high]" in modular.sources[f"{site}.construction_months"]


def test_hash_is_stable_across_processes_and_changes_with_any_value() -> None:
    here = load_scenario("base").hash
    code = "from econ.assumptions import load_scenario; print(load_scenario('base').hash)"
    there = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert here == there
    base = load_scenario("base")
    for key, value in list(base.values.items())[::7]:
        if isinstance(value, bool) or not isinstance(value, int | float):
            continue
        bumped = value * 0.5 if value else 1
        try:
            other = load_scenario("base", {key: bumped})
        except ScenarioError:
            continue  # a halved value may leave its range; other keys cover the property
        assert other.hash != here, key


def test_same_values_from_different_files_hash_equal(tmp_path: Path) -> None:
    same = child(tmp_path, "cloud:\n  commit_discount_level: 5.0e-1\n")
    assert load_scenario(same).hash == load_scenario("base").hash


def test_scenario_is_immutable() -> None:
    scenario = load_scenario("base")
    with pytest.raises(TypeError):
        scenario.values["cloud.commit_discount_level"] = 0.9  # type: ignore[index]
    with pytest.raises(dataclasses.FrozenInstanceError):
        scenario.name = "x"  # type: ignore[misc]


def test_unknown_key_in_file_suggests_nearest(tmp_path: Path) -> None:
    text = problems(child(tmp_path, "cloud:\n  comit_discount_level: 0.3\n"))
    assert "case.yaml" in text and "cloud.comit_discount_level" in text and "did you mean 'cloud.commit_discount_level'" in text


def test_unknown_top_level_and_site_field(tmp_path: Path) -> None:
    text = problems(child(tmp_path, "clouds: {}\n"))
    assert "unknown top-level key 'clouds'" in text and "did you mean 'cloud'" in text
    text = problems(child(tmp_path, "build:\n  sites:\n    us-va-loudoun: {it_mwh: 5}\n", name="site"))
    assert "build.sites.us-va-loudoun.it_mwh" in text and "build.sites.us-va-loudoun.it_mw" in text


def test_unknown_override_suggests_nearest() -> None:
    text = problems("base", {"cloud.commit_discont_level": 0.3})
    assert "override" in text and "did you mean 'cloud.commit_discount_level'" in text


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("build.sites.us-va-loudoun.it_mw", -5, "out of range"),
        ("demand.provisioned_utilization", 1.5, "out of range"),
        ("finance.discount_rate_annual", 3.0, "out of range"),
        ("cloud.commit_discount_level", "a lot", "has type str"),
        ("horizon.years", 15.5, "has type float"),
        ("strategies.rent.contracts.c1.commit_usd", True, "has type bool"),
        ("horizon.years", 41, "out of range; expected an int in [1, 40] [years]"),
        ("strategies.rent.contracts.c1.term_months", 60.0, "has type float; expected an int in [1, 480] [months]"),
        ("cloud.list_usd_per_gpu_hour", float("nan"), "not finite"),
    ],
)
def test_bad_values_name_key_value_and_range(key: str, value: object, expected: str) -> None:
    text = problems("base", {key: value})
    assert key in text and repr(value) in text and expected in text and "override" in text


def test_errors_are_all_reported_at_once() -> None:
    text = problems("base", {"demand.provisioned_utilization": 1.5, "finance.discount_rate_annual": -1})
    assert "2 problems" in text


def test_a_contract_ending_after_the_horizon(tmp_path: Path) -> None:
    (problem,) = problems_of("base", {"strategies.rent.contracts.c3.term_months": 61})
    assert problem.startswith("override: ") and "ends after the horizon" in problem
    assert "strategies.rent.contracts.c3.term_months = 61" in problem and "horizon.years = 15" in problem
    assert "strategies.rent.contracts.c3.start_month = 120" in problem
    # A shorter horizon is as likely the cause: it is named, with every contract it cuts.
    shorter = problems_of("base", {"horizon.years": 14})
    assert len(shorter) == 3 and all(p.startswith("override: ") and "horizon.years = 14: 168 months" in p for p in shorter)
    assert [p.split(": ", 2)[1].split(".contracts")[0] for p in shorter] == ["strategies.rent", "strategies.build", "strategies.hybrid"]
    # A contract ending exactly at the horizon (month 180) is allowed, as in base.yaml.
    assert load_scenario("base", {"strategies.rent.contracts.c3.term_months": 60}) == load_scenario("base")


def test_bloc_shares_must_sum_to_one_and_exist(tmp_path: Path) -> None:
    assert "must sum to 1" in problems("base", {"demand.bloc_shares.US": 0.9})
    text = problems(child(tmp_path, "demand:\n  bloc_shares: {EUU: 0.0}\n"))
    assert "bloc 'EUU'" in text and "did you mean 'EU'" in text


def test_site_larger_than_data_allows() -> None:
    text = problems("base", {"build.sites.ie-dub-dublin.it_mw": 400})
    assert "exceeds the site's max_it_mw = 50" in text


def test_unknown_site_and_bad_reference(tmp_path: Path) -> None:
    text = problems(child(tmp_path, "build:\n  sites:\n    us-va-loudon: {}\n"))
    assert "us-va-loudon" in text and "did you mean 'us-va-loudoun'" in text
    ref = 'hardware:\n  reference_throughput_tokens_per_s_per_gpu: "@accelerator_generations/h100-sxm/llama31_405b_tokens"\n'
    text = problems(child(tmp_path, ref, name="ref"))
    assert "no column 'llama31_405b_tokens'" in text and "ref.yaml" in text


def test_broken_yaml_missing_file_and_duplicate_key(tmp_path: Path) -> None:
    assert "broken YAML" in problems(write(tmp_path, "broken", "cloud: [unclosed\n"))
    assert "file not found" in problems(tmp_path / "nowhere.yaml")
    assert "duplicate key 'cloud'" in problems(write(tmp_path, "dup", "cloud: {}\ncloud: {}\n"))
    assert "top level must be a mapping" in problems(write(tmp_path, "list", "- 1\n- 2\n"))
    assert "the key on line 1 is a list; a key must be a name" in problems(write(tmp_path, "listkey", "? [1, 2]\n: 3\n"))


def test_extends_cycle(tmp_path: Path) -> None:
    write(tmp_path, "a", "extends: b\n")
    write(tmp_path, "b", "extends: c\n")
    write(tmp_path, "c", "extends: a\n")
    text = problems(tmp_path / "a.yaml")
    assert "cycle in extends" in text and "a.yaml -> b.yaml -> c.yaml -> a.yaml" in text


def test_bad_distributions_and_correlations(tmp_path: Path) -> None:
    text = problems(
        child(
            tmp_path,
            """
            risk:
              distributions:
                cloud.markup_change_annual: {dist: triangular, low: 0.3, mode: 0.1, high: 0.2}
                demand.provisioned_utilisation: {dist: uniform, low: 0.5, high: 0.9}
                demand.growth_annual: {dist: weibull, k: 2}
              correlations:
                - [cloud.markup_change_annual, demand.provisioned_utilization, 1.5]
            """,
        )
    )
    assert "low <= mode <= high" in text
    assert "did you mean 'demand.provisioned_utilization'" in text
    assert "dist = one of" in text
    assert "rho = 1.5 must be in [-1, 1]" in text  # checked although cloud.markup_change_annual's distribution is rejected
    assert "not an uncertain input" not in text


def test_failed_load_leaves_no_state() -> None:
    before = load_scenario("base").hash
    problems("base", {"demand.provisioned_utilization": 7})
    assert load_scenario("base").hash == before


# --- Overrides are checked against the schema at load time (issue 9) -------------------------------


def every_schema_key() -> dict[str, Field]:
    """Every key a scenario has, with its field: the schema's globals, one site's fields, strategies, blocs."""
    base = load_scenario("base")
    keys = {k: field_for(k) for k in base.values if not k.startswith("build.sites.") or k.startswith("build.sites.us-va-loudoun.")}
    assert all(spec is not None for spec in keys.values())
    return keys  # type: ignore[return-value]


def test_start_month_override_is_checked_at_load_time() -> None:
    text = problems("base", {"horizon.start_month": "foo"})
    assert "override: horizon.start_month = 'foo' is not allowed" in text and "'YYYY-MM'" in text and "1900-01 to 2200-12" in text
    for bad in ("2027-13", "2027-1", "27-01", "2027-01-01", "1899-12", "2263-01", " 2027-01"):
        assert f"horizon.start_month = {bad!r}" in problems("base", {"horizon.start_month": bad})
    assert load_scenario("base", {"horizon.start_month": "2030-06"})["horizon.start_month"] == "2030-06"


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (True, "True"),
        (None, "None"),
        ([], "[]"),
        ({"a": 1}, "{'a': 1}"),
        ((1,), "(1,)"),
        (float("nan"), "nan"),
        (float("-inf"), "-inf"),
        (10**400, "<int of 1329 bits>"),
        (b"x", "b'x'"),
        (1j, "1j"),
        (Decimal("0.1"), "Decimal('0.1')"),
    ],
)
def test_every_schema_key_rejects_hostile_values_naming_key_value_and_what_is_allowed(value: object, shown: str) -> None:
    keys = {k: spec for k, spec in every_schema_key().items() if spec.check(value) is not None}
    with pytest.raises(ScenarioError) as info:
        load_scenario("base", dict.fromkeys(keys, value))
    by_key = {p.split(" = ", 1)[0].removeprefix("override: "): p for p in info.value.problems if p.startswith("override: ")}
    assert set(by_key) == set(keys), set(keys) ^ set(by_key)
    for key, problem in by_key.items():
        spec = keys[key]
        assert problem.startswith(f"override: {key} = {shown} "), problem
        assert problem.endswith(spec.allowed()) or "did you mean" in problem, problem
        if spec.kind in ("float", "int") and not spec.choices:
            assert f"[{spec.unit}]" in problem, problem


def test_numbers_and_strings_are_not_taken_for_each_other() -> None:
    text = problems("base", {"cloud.list_generation": 5})
    assert "cloud.list_generation = 5 has type int; expected a row of data/accelerator_generations.csv" in text
    assert "horizon.start_month = 202701 has type int" in problems("base", {"horizon.start_month": 202701})
    text = problems("base", {"cloud.commit_discount_level": "0.3"})
    assert "cloud.commit_discount_level = '0.3' has type str; expected a float in [0, 1] [1]" in text
    text = problems("base", {"strategies.rent.contracts.c1.start_month": "0"})
    assert "strategies.rent.contracts.c1.start_month = '0' has type str; expected an int in [0, 480] [months]" in text
    assert "has type bool" in problems("base", {"horizon.years": True})
    assert "has type int; expected a bool" in problems("base", {"build.order_equipment_before_permit": 1})


@pytest.mark.parametrize(
    ("key", "value", "choices"),
    [
        ("build.sites.us-va-loudoun.region_id", "us-east-vaa", "a row of data/regions.csv"),
        ("build.sites.us-va-loudoun.build_type", "campuss", "a row of data/facility_capex.csv"),
        ("build.sites.us-va-loudoun.sovereignty_bloc", "EUU", "a value of column 'sovereignty_bloc' of data/regions.csv"),
    ],
)
def test_names_of_data_rows_are_checked_against_the_tables(key: str, value: str, choices: str) -> None:
    with pytest.raises(ScenarioError) as info:
        load_scenario("base", {key: value})
    assert info.value.problems == [info.value.problems[0]], "dependent references must not be reported again"
    assert info.value.problems[0].startswith(f"override: {key} = {value!r} is not allowed; expected {choices}")
    assert "did you mean" in info.value.problems[0]


def test_numpy_scalars_are_taken_as_plain_python_values() -> None:
    overrides = {
        "cloud.commit_discount_level": np.float64(0.3),
        "horizon.years": np.int64(20),
        "build.order_equipment_before_permit": np.bool_(False),
    }
    scenario = load_scenario("base", overrides)
    assert type(scenario["cloud.commit_discount_level"]) is float and type(scenario["horizon.years"]) is int
    assert scenario["build.order_equipment_before_permit"] is False
    assert type(scenario.overrides["horizon.years"]) is int


def test_float_keys_hold_floats_so_equal_numbers_give_equal_scenarios() -> None:
    base = load_scenario("base")
    assert type(base["demand.growth_years"]) is float  # the file says 3
    assert load_scenario("base", {"demand.growth_years": 3}) == load_scenario("base", {"demand.growth_years": 3.0}) == base
    assert load_scenario("base", {"demand.regulated_share": -0.0}).hash == base.hash


# --- Malformed risk overrides -------------------------------------------------------------------------


@pytest.mark.parametrize("value", [[], {}, None, 3, "weibull"])
def test_malformed_distribution_family_names_the_key(value: object) -> None:
    with pytest.raises(ScenarioError) as info:
        load_scenario("base", {"risk.demand.growth_annual.dist": value})
    (problem,) = info.value.problems
    assert problem.startswith(f"override: risk.demand.growth_annual.dist = {value!r} ") and "expected one of 'triangular'" in problem


@pytest.mark.parametrize("value", [[], {"a": 1}, None, True, "high", float("nan"), float("inf"), 10**400])
def test_malformed_distribution_parameter_names_the_key_and_unit(value: object) -> None:
    with pytest.raises(ScenarioError) as info:
        load_scenario("base", {"risk.demand.growth_annual.high": value})
    (problem,) = info.value.problems
    assert problem.startswith("override: risk.demand.growth_annual.high = ")
    assert "expected a finite number [1/year] or a data reference '@table/row/column'" in problem


def test_a_rejected_distribution_does_not_break_its_correlations_too() -> None:
    with pytest.raises(ScenarioError) as info:
        load_scenario("base", {"risk.hardware.work_growth_annual.mode": 0.0})
    (problem,) = info.value.problems  # no "is not an uncertain input" for the correlations that name it
    assert problem.startswith("override risk.hardware.work_growth_annual.mode: ") and "low <= mode <= high" in problem
    text = problems("base", {"risk.demand.growth_annual.dist": "bernoulli"})
    assert "override risk.demand.growth_annual.dist: risk.distributions.demand.growth_annual: bernoulli takes parameters p" in text


def test_valid_risk_overrides_apply() -> None:
    scenario = load_scenario("base", {"risk.demand.growth_annual.dist": "pert", "risk.demand.growth_annual.low": np.float64(0.1)})
    growth = next(d for d in scenario.distributions if d.key == "demand.growth_annual")
    assert growth.dist == "pert" and growth.params["low"] == 0.1


# --- A bad generation names the overridden key first ---------------------------------------------------


def test_bad_list_generation_names_the_key_value_choices_and_suggestion_first() -> None:
    with pytest.raises(ScenarioError) as info:
        load_scenario("base", {"cloud.list_generation": "gb200-nvl27"})
    (problem,) = info.value.problems  # the cross-field rules that read it are not listed as broken
    assert problem.startswith(
        "override: cloud.list_generation = 'gb200-nvl27' is not allowed; expected a row of data/accelerator_generations.csv: 'h100-sxm'"
    )
    assert problem.endswith("did you mean 'gb200-nvl72'?")
    (problem,) = problems_of("base", {"cloud.list_generation": ["gb200-nvl72"]})
    assert problem.startswith("override: cloud.list_generation = ['gb200-nvl72'] has type list")


def test_a_valid_generation_with_missing_data_names_the_override_first() -> None:
    (problem,) = problems_of("base", {"hardware.generation_ids": "h100-sxm,gb200-nvl72,b300-hgx"})
    assert problem.startswith("override: hardware.generation_ids: generation 'b300-hgx' has no ")
    assert "benchmark throughput in data/accelerator_generations.csv" in problem
    # Without the list generation as well: the missing data is still named first, with the override.
    found = problems_of("base", {"hardware.generation_ids": "h100-sxm,b300-hgx"})
    assert found[0].startswith("override: hardware.generation_ids: generation 'b300-hgx' has no ")
    assert all("hardware.generation_ids" in p for p in found)


def test_generation_ids_naming_an_unknown_generation_suggests_the_nearest() -> None:
    (problem,) = problems_of("base", {"hardware.generation_ids": "h100-sxm,h2000,gb200-nvl72"})
    assert problem == "override: hardware.generation_ids: no generation 'h2000' in data/accelerator_generations.csv; did you mean 'h200'?"
    (problem,) = problems_of("base", {"hardware.generation_ids": "h100-sxm,,b200"})
    assert problem.startswith("override: hardware.generation_ids = 'h100-sxm,,b200' is not allowed; expected a str comma-separated")


def test_list_generation_must_be_one_of_the_generation_ids() -> None:
    (problem,) = problems_of("base", {"cloud.list_generation": "vr200-nvl72"})
    assert problem.startswith("override: cloud.list_generation = 'vr200-nvl72' must be one of hardware.generation_ids ")
    assert "['h100-sxm', 'h200', 'b200', 'gb200-nvl72', 'gb300-nvl72']" in problem
    (problem,) = problems_of("base", {"hardware.generation_ids": "h100-sxm,h200"})
    assert "cloud.list_generation = 'gb200-nvl72' must be one of hardware.generation_ids ['h100-sxm', 'h200']" in problem
    both = {"hardware.generation_ids": "h100-sxm,b200", "cloud.list_generation": "b200", "cloud.list_usd_per_gpu_hour": 5.0}
    assert load_scenario("base", both)["cloud.list_generation"] == "b200"


def test_a_decision_date_before_every_generation_names_the_keys() -> None:
    (problem,) = problems_of("base", {"horizon.start_month": "1900-01"})
    assert problem.startswith("override: horizon.start_month = '1900-01' is before any generation of hardware.generation_ids = ")
    assert "hardware.availability_lag_months = 6" in problem and "one must be available by month 1" in problem
    (problem,) = problems_of("base", {"hardware.availability_lag_months": 36.0, "horizon.start_month": "2023-01"})
    assert problem.startswith("override: ") and "comes at month 36" in problem
    assert load_scenario("base", {"horizon.start_month": "2023-06"})["horizon.start_month"] == "2023-06"  # h100-sxm at month 1


# --- Contracts -------------------------------------------------------------------------------------------


def test_a_contract_gives_exactly_one_size(tmp_path: Path) -> None:
    (problem,) = problems_of("base", {"strategies.rent.contracts.c1.commit_usd": 1e9})
    assert problem.startswith("override: strategies.rent.contracts.c1: give exactly one of strategies.rent.contracts.c1.commit_usd [USD]")
    assert problem.endswith("got strategies.rent.contracts.c1.commit_usd = 1000000000.0, strategies.rent.contracts.c1.cover_share = 1.0")
    text = "strategies:\n  rent:\n    contracts:\n      c3: {term_months: 30}\n      c4: {start_month: 150, term_months: 30}\n"
    (problem,) = problems_of(child(tmp_path, text), None)
    assert problem.startswith(f"{tmp_path / 'case.yaml'}: strategies.rent.contracts.c4: give exactly one of ")
    assert problem.endswith("got neither")
    sized = load_scenario(child(tmp_path, text.replace("150, term_months: 30}", "150, term_months: 30, commit_usd: 1.0e+9}"), name="sized"))
    assert sized.contracts("rent").loc["c4", "commit_usd"] == 1e9 and np.isnan(sized.contracts("rent").loc["c4", "cover_share"])


def test_a_contract_must_set_its_start_and_term(tmp_path: Path) -> None:
    text = "strategies:\n  rent:\n    contracts:\n      c3: {term_months: 30}\n      c4: {cover_share: 0.5}\n"
    found = problems_of(child(tmp_path, text), None)
    assert found == [
        "missing key 'strategies.rent.contracts.c4.start_month' (an int in [0, 480] [months])",
        "missing key 'strategies.rent.contracts.c4.term_months' (an int in [1, 480] [months])",
    ]


def test_contracts_of_a_strategy_must_not_overlap() -> None:
    (problem,) = problems_of("base", {"strategies.rent.contracts.c2.start_month": 50})
    assert problem.startswith("override: strategies.rent.contracts.c2 (months 50 to 110: strategies.rent.contracts.c2.start_month = 50")
    assert "overlaps strategies.rent.contracts.c1 (months 0 to 60: " in problem and problem.endswith("terms must not overlap")
    (problem,) = problems_of("base", {"strategies.build.contracts.c1.term_months": 61})  # the earlier contract grows
    assert problem.startswith("override: strategies.build.contracts.c2 ") and "strategies.build.contracts.c1.term_months = 61" in problem
    # Contracts of different strategies may overlap, and back-to-back terms (c1 ends at 60, c2 starts at 60) do not.
    assert load_scenario("base", {"strategies.rent.contracts.c1.term_months": 30}).contracts("rent")["term_months"].tolist() == [30, 60, 60]


def problems_of(path_or_name: str | Path, overrides: object) -> list[str]:
    with pytest.raises(ScenarioError) as info:
        load_scenario(path_or_name, overrides)  # type: ignore[arg-type]
    return info.value.problems


# --- The overrides and name_or_path arguments ----------------------------------------------------------


@pytest.mark.parametrize(
    "overrides", ["abc", 5, 0, "", [], (), 0.0, False, [("cloud.commit_discount_level", 0.3)], {"cloud.commit_discount_level"}]
)
def test_overrides_that_are_not_a_mapping_raise_type_error_naming_overrides(overrides: object) -> None:
    with pytest.raises(TypeError, match=r"^overrides = .* has type \w+; expected None or a mapping of dotted scenario keys \(str\)"):
        load_scenario("base", overrides)  # type: ignore[arg-type]


@pytest.mark.parametrize("key", [1, None, ("cloud", "commit_discount_level"), b"cloud.commit_discount_level"])
def test_override_keys_that_are_not_str_raise_type_error_naming_overrides(key: object) -> None:
    with pytest.raises(TypeError, match=r"^overrides has 1 key\(s\) that are not a str: "):
        load_scenario("base", {key: 0.3, "cloud.commit_discount_level": 0.3})  # type: ignore[dict-item]


def test_none_and_any_mapping_are_accepted_as_overrides() -> None:
    base = load_scenario("base")
    assert load_scenario("base", None) == load_scenario("base", {}) == base
    frozen = MappingProxyType({"cloud.commit_discount_level": 0.4})
    assert load_scenario("base", frozen)["cloud.commit_discount_level"] == 0.4
    with pytest.raises(TypeError, match=r"^overrides = 'x'"):
        base.with_overrides("x")  # type: ignore[arg-type]


@pytest.mark.parametrize("name_or_path", [None, 5, b"base", ["base"], 1.5])
def test_name_or_path_of_a_wrong_type_raises_type_error_naming_it(name_or_path: object) -> None:
    with pytest.raises(TypeError, match=r"^name_or_path = .* has type \w+; expected a shipped scenario's name"):
        load_scenario(name_or_path)  # type: ignore[arg-type]


def test_name_or_path_accepts_a_path() -> None:
    assert load_scenario(SCENARIO_DIR / "base.yaml") == load_scenario("base")


# --- Scenario is a hashable value object ---------------------------------------------------------------


def test_scenario_is_hashable_and_equal_when_it_resolves_to_the_same_inputs(tmp_path: Path) -> None:
    base = load_scenario("base")
    assert isinstance(hash(base), int)
    again = load_scenario("base")
    assert again is not base and again == base and hash(again) == hash(base)
    renamed = load_scenario(child(tmp_path, "name: other\ndescription: the same numbers\n"))
    assert renamed.name == "other" and renamed.files != base.files
    assert renamed == base and hash(renamed) == hash(base) and renamed.hash == base.hash
    same_by_override = load_scenario("base", {"strategies.rent.contracts.c1.cover_share": 1.0})
    assert same_by_override.overrides and same_by_override == base
    changed = base.with_overrides({"cloud.commit_discount_level": 0.4})
    assert changed != base and changed.hash != base.hash
    assert {base: "a", again: "b", changed: "c"} == {base: "b", changed: "c"}
    assert base != base.hash and base != dict(base.values)


def test_scenario_equality_covers_distributions_and_correlations() -> None:
    base = load_scenario("base")
    wider = load_scenario("base", {"risk.demand.growth_annual.high": 1.5})
    assert wider.values == base.values
    assert wider != base and wider.hash != base.hash
    pert = load_scenario("base", {"risk.demand.growth_annual.dist": "pert"})
    assert pert != base and len({base, wider, pert}) == 3


def test_hash_is_the_sha256_of_the_canonical_inputs() -> None:
    base = load_scenario("base")
    payload = {
        "values": dict(sorted(base.values.items())),
        "distributions": [[d.key, d.dist, dict(sorted(d.params.items()))] for d in base.distributions],
        "correlations": [list(c) for c in base.correlations],
    }
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), allow_nan=False)
    assert base.hash == hashlib.sha256(text.encode()).hexdigest()[:16]


def test_hash_cannot_be_given_and_is_recomputed_by_replace() -> None:
    base = load_scenario("base")
    with pytest.raises(TypeError):
        Scenario(base.name, base.description, base.values, base.sources, base.distributions, base.correlations, base.files, hash="x")  # type: ignore[call-arg]
    values = {**base.values, "cloud.commit_discount_level": 0.4}
    replaced = dataclasses.replace(base, values=MappingProxyType(values))
    assert replaced == base.with_overrides({"cloud.commit_discount_level": 0.4}) and replaced.hash != base.hash


def test_distributions_are_hashable_value_objects() -> None:
    base = load_scenario("base")
    assert len({*base.distributions, *load_scenario("rent-only").distributions}) == len(base.distributions)
    a = Distribution("demand.growth_annual", "uniform", {"low": 0.1, "high": 0.3})
    assert a == Distribution("demand.growth_annual", "uniform", MappingProxyType({"high": 0.3, "low": 0.1}))
    assert a != Distribution("demand.growth_annual", "uniform", {"low": 0.1, "high": 0.4})
    assert hash(a) == hash(Distribution("demand.growth_annual", "uniform", {"high": 0.3, "low": 0.1}))
