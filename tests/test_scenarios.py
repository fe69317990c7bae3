"""The scenario layer: shipped scenarios, inheritance, overrides, hashing and every error path."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from econ.assumptions import SCENARIO_DIR, ScenarioError, list_scenarios, load_scenario, load_table

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
    assert skeptic["build.owned_utilization"] == mp.at["build.owned_utilization", "low"]
    changed = {k for k in base.values if base.values[k] != skeptic.values.get(k)}
    assert changed, "rent-only must differ from base"
    assert all(k in ("cloud.price_decline_annual", "build.owned_utilization") or k.startswith("build.sites.") for k in changed)
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
        "base", {"cloud.commit_discount": 0.35, "build.sites.us-va-loudoun.it_mw": 100, "risk.demand.growth_annual.high": 1.5}
    )
    assert scenario["cloud.commit_discount"] == 0.35
    assert scenario["build.sites.us-va-loudoun.it_mw"] == 100
    assert scenario.sources["cloud.commit_discount"] == "override"
    assert dict(scenario.overrides) == {
        "cloud.commit_discount": 0.35,
        "build.sites.us-va-loudoun.it_mw": 100,
        "risk.demand.growth_annual.high": 1.5,
    }
    growth = next(d for d in scenario.distributions if d.key == "demand.growth_annual")
    assert growth.params["high"] == 1.5
    assert scenario.with_overrides({"cloud.commit_discount": 0.4})["cloud.commit_discount"] == 0.4


def test_data_references_follow_placeholders() -> None:
    text = problems("base", {"accelerator.id": "b200"})
    assert "'@accelerators/b200/networking_storage_capex_usd_per_gpu': the cell is empty" in text
    b200 = load_scenario("base", {"accelerator.id": "b200", "accelerator.networking_capex_usd_per_gpu": 4000.0})
    table = load_table("accelerators")
    assert b200["accelerator.server_price_usd_per_gpu"] == table.at["b200", "server_price_usd_per_gpu_low"]
    assert "data/accelerators.csv [b200, server_price_usd_per_gpu_low]" in b200.sources["accelerator.server_price_usd_per_gpu"]


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
    same = child(tmp_path, "cloud:\n  commit_total_usd: 100.0e+9\n")
    assert load_scenario(same).hash == load_scenario("base").hash


def test_scenario_is_immutable() -> None:
    scenario = load_scenario("base")
    with pytest.raises(TypeError):
        scenario.values["cloud.commit_discount"] = 0.9  # type: ignore[index]
    with pytest.raises(dataclasses.FrozenInstanceError):
        scenario.name = "x"  # type: ignore[misc]


def test_unknown_key_in_file_suggests_nearest(tmp_path: Path) -> None:
    text = problems(child(tmp_path, "cloud:\n  comit_discount: 0.3\n"))
    assert "case.yaml" in text and "cloud.comit_discount" in text and "did you mean 'cloud.commit_discount'" in text


def test_unknown_top_level_and_site_field(tmp_path: Path) -> None:
    text = problems(child(tmp_path, "clouds: {}\n"))
    assert "unknown top-level key 'clouds'" in text and "did you mean 'cloud'" in text
    text = problems(child(tmp_path, "build:\n  sites:\n    us-va-loudoun: {it_mwh: 5}\n", name="site"))
    assert "build.sites.us-va-loudoun.it_mwh" in text and "build.sites.us-va-loudoun.it_mw" in text


def test_unknown_override_suggests_nearest() -> None:
    text = problems("base", {"cloud.commit_discont": 0.3})
    assert "override" in text and "did you mean 'cloud.commit_discount'" in text


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("build.sites.us-va-loudoun.it_mw", -5, "out of range"),
        ("build.owned_utilization", 1.5, "out of range"),
        ("finance.discount_rate_annual", 3.0, "out of range"),
        ("cloud.commit_discount", "a lot", "has type str"),
        ("horizon.years", 15.5, "has type float"),
        ("cloud.commit_total_usd", True, "has type bool"),
        ("tax.gpu_macrs_years", 4, "one of"),
        ("cloud.on_demand_usd_per_gpu_hour", float("nan"), "not finite"),
    ],
)
def test_bad_values_name_key_value_and_range(key: str, value: object, expected: str) -> None:
    text = problems("base", {key: value})
    assert key in text and repr(value) in text and expected in text and "override" in text


def test_errors_are_all_reported_at_once() -> None:
    text = problems("base", {"build.owned_utilization": 1.5, "finance.discount_rate_annual": -1})
    assert "2 problems" in text


def test_commit_longer_than_horizon(tmp_path: Path) -> None:
    text = problems("base", {"cloud.commit_term_years": 20})
    assert "cloud.commit_term_years = 20" in text and "horizon.years = 15" in text


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
    text = problems(child(tmp_path, 'accelerator:\n  power_kw_per_gpu: "@accelerators/h100-sxm/power_kw"\n', name="ref"))
    assert "no column 'power_kw'" in text and "ref.yaml" in text


def test_broken_yaml_missing_file_and_duplicate_key(tmp_path: Path) -> None:
    assert "broken YAML" in problems(write(tmp_path, "broken", "cloud: [unclosed\n"))
    assert "file not found" in problems(tmp_path / "nowhere.yaml")
    assert "duplicate key 'cloud'" in problems(write(tmp_path, "dup", "cloud: {}\ncloud: {}\n"))
    assert "top level must be a mapping" in problems(write(tmp_path, "list", "- 1\n- 2\n"))


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
                cloud.price_decline_annual: {dist: triangular, low: 0.3, mode: 0.1, high: 0.2}
                build.owned_utilisation: {dist: uniform, low: 0.5, high: 0.9}
                demand.growth_annual: {dist: weibull, k: 2}
              correlations:
                - [cloud.price_decline_annual, build.owned_utilization, 1.5]
            """,
        )
    )
    assert "low <= mode <= high" in text
    assert "did you mean 'build.owned_utilization'" in text
    assert "dist = one of" in text
    assert "rho = 1.5" in text or "not an uncertain input" in text


def test_failed_load_leaves_no_state() -> None:
    before = load_scenario("base").hash
    problems("base", {"build.owned_utilization": 7})
    assert load_scenario("base").hash == before
