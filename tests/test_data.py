"""Integrity checks for the sourced tables in ``data/``.

Every number in ``data/`` must trace to a dated source in ``data/sources.csv`` or to an
``assumption-*`` entry that states its reasoning. See ``data/README.md``.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from pathlib import Path

import pandas as pd
import pytest

DATA = Path(__file__).resolve().parents[1] / "data"

# table name -> key column
TABLES = {
    "commit_schedule": "tier_id",
    "tax_depreciation": "regime_id",
    "regions": "region_id",
    "region_rtt": "pair_id",
    "sites": "site_id",
    "accelerators": "accelerator_id",
    "cloud_gpu_prices": "price_id",
    "cloud_price_changes": "change_id",
    "facility_capex": "build_type",
    "equipment_lead_times": "equipment_id",
    "model_parameters": "parameter",
    # cloud commitments and price trend
    "commit_discounts": "schedule_id",
    "cloud_price_trend": "obs_id",
    "uncommitted_terms": "term_id",
    # hardware trajectory, fleet extras, residual value, demand
    "accelerator_generations": "generation_id",
    "fleet_extras": "extra_id",
    "used_gpu_prices": "obs_id",
    "inference_demand": "obs_id",
    # facility, country, risk, lead times, finance, colocation
    "facility_capex_ai": "capex_id",
    "country_costs": "country_id",
    "site_risks": "risk_id",
    "lead_times_current": "equipment_id",
    "finance_rates": "rate_id",
    "colocation_prices": "price_id",
    # large compute deals and ownership-cost anchors
    "compute_deals": "deal_id",
    "ownership_cost_anchors": "anchor_id",
    # hourly demand shapes (issue 11)
    "demand_shapes": "profile_id",
    # serving throughput-interactivity points (issue 11)
    "serving_throughput": "point_id",
    # synthetic pricing surveys (issue 13)
    "pricing_survey_vw_synthetic": "respondent_id",
    "pricing_survey_gg_synthetic": "answer_id",
    # LLM API speed and service tiers (issue 13)
    "speed_tiers": "tier_id",
    # latency classes (issue 14)
    "latency_classes": "class_id",
    # the discussion's claims and how the package evaluates each
    "claims": "claim_id",
}

# table name -> columns holding dates (YYYY, YYYY-MM or YYYY-MM-DD)
DATE_COLUMNS = {
    "region_rtt": ["measured"],
    "cloud_gpu_prices": ["observed"],
    "cloud_price_changes": ["effective"],
    "equipment_lead_times": ["observed"],
    "facility_capex": ["basis_year"],
    "commit_discounts": ["observed"],
    "cloud_price_trend": ["observed"],
    "uncommitted_terms": ["observed"],
    "accelerator_generations": ["availability_year"],
    "fleet_extras": ["observed"],
    "used_gpu_prices": ["observed"],
    "inference_demand": ["observed"],
    "facility_capex_ai": ["basis_year"],
    "lead_times_current": ["observed"],
    "finance_rates": ["observed"],
    "colocation_prices": ["observed"],
    "compute_deals": ["announced", "start_year"],
    "ownership_cost_anchors": ["published"],
    "serving_throughput": ["measured"],
    "speed_tiers": ["observed"],
}

# tables in long format: the unit of `value_in_unit` is in the `unit` column (see data/README.md)
UNIT_COLUMNS = {
    "inference_demand": {
        "tokens_per_minute",
        "tokens_per_day",
        "tokens_per_week",
        "tokens_per_month",
        "tokens_per_year",
        "usd_per_year",
        "gw",
        "chips",
        "elasticity",
        "fraction_per_year",
    },
    "finance_rates": {"fraction", "fraction_per_year", "ratio", "usd_per_mwh", "years", "fte_per_mw"},
}

# tables whose accelerator column must name a row of accelerators.csv or accelerator_generations.csv
# (`;` separates several ids; empty = not specific to one accelerator)
ACCELERATOR_COLUMNS = {
    "commit_discounts": "accelerator_id",
    "cloud_price_trend": "accelerator_id",
    "uncommitted_terms": "accelerator_id",
    "compute_deals": "accelerator",
    "serving_throughput": "accelerator_id",
}

# accelerators measured in a table but not yet tabulated in accelerators.csv or accelerator_generations.csv
UNTABULATED_ACCELERATORS = {"mi355x"}  # AMD Instinct MI355X (serving_throughput.csv, InferenceMAX)

PROVENANCE_COLUMNS = ["row_key", "column", "source_id", "as_published", "note"]
SOURCE_COLUMNS = ["source_id", "kind", "title", "publisher", "published", "url_or_document", "note"]
SOURCE_KINDS = {"official", "measurement", "publication", "press", "vendor", "assumption"}
MODEL_PARAMETER_COLUMNS = ["parameter", "unit", "low", "central", "high", "note"]

COUNTRY = re.compile(r"^[A-Z]{2}$")  # ISO 3166-1 alpha-2; XX = not country-specific
NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def read(name: str) -> pd.DataFrame:
    """Every cell as a string; an empty cell stays '' (a missing value, not a number)."""
    return pd.read_csv(DATA / f"{name}.csv", dtype=str, keep_default_na=False)


def is_date(text: str) -> bool:
    m = DATE.match(text)
    if not m:
        return False
    year, month, day = (int(g) if g else None for g in m.groups())
    try:
        dt.date(year, month or 1, day or 1)
    except ValueError:
        return False
    return True


@pytest.fixture(scope="module")
def sources() -> pd.DataFrame:
    return read("sources")


@pytest.fixture(scope="module")
def region_ids() -> set[str]:
    return set(read("regions")["region_id"])


def test_date_parser() -> None:
    assert all(is_date(d) for d in ["2025", "2025-06", "2025-06-30", "2024-02-29"])
    assert not any(is_date(d) for d in ["", "25", "2025-13", "2025-02-30", "2023-02-29", "2025/06", "June 2025", "2025-6"])


def test_old_bibliographies_are_merged() -> None:
    assert not (DATA / "geo_sources.csv").exists()
    assert not (DATA / "cost_sources.csv").exists()


def test_sources_columns_and_unique_ids(sources: pd.DataFrame) -> None:
    assert list(sources.columns) == SOURCE_COLUMNS
    assert (sources["source_id"].str.strip() != "").all()
    dup = sources.loc[sources["source_id"].duplicated(), "source_id"].tolist()
    assert not dup, f"duplicate source_id: {dup}"
    bad_kind = sources.loc[~sources["kind"].isin(SOURCE_KINDS), ["source_id", "kind"]]
    assert bad_kind.empty, f"unknown kind:\n{bad_kind}"


def test_sources_have_dates_or_reasoning(sources: pd.DataFrame) -> None:
    assumption = sources["kind"] == "assumption"
    undated = sources.loc[~assumption & (sources["published"].str.strip() == ""), "source_id"].tolist()
    assert not undated, f"sources without a published date: {undated}"
    no_reason = sources.loc[assumption & (sources["note"].str.strip().str.len() < 20), "source_id"].tolist()
    assert not no_reason, f"assumptions without reasoning in note: {no_reason}"
    misnamed = sources.loc[assumption != sources["source_id"].str.startswith("assumption-"), "source_id"].tolist()
    assert not misnamed, f"kind=assumption iff id starts with 'assumption-': {misnamed}"


def test_source_dates_parse(sources: pd.DataFrame) -> None:
    dated = sources[sources["published"] != ""]
    bad = dated.loc[~dated["published"].map(is_date), ["source_id", "published"]]
    assert bad.empty, f"published is not YYYY, YYYY-MM or YYYY-MM-DD:\n{bad}"


@pytest.mark.parametrize(("name", "key"), TABLES.items())
def test_key_unique(name: str, key: str) -> None:
    table = read(name)
    assert key in table.columns
    assert (table[key].str.strip() != "").all(), f"{name}: empty {key}"
    dup = table.loc[table[key].duplicated(), key].tolist()
    assert not dup, f"{name}: duplicate {key}: {dup}"


@pytest.mark.parametrize("name", DATE_COLUMNS)
def test_table_dates_parse(name: str) -> None:
    table = read(name)
    for column in DATE_COLUMNS[name]:
        values = table[column]
        bad = values[(values != "") & ~values.map(is_date)].tolist()
        assert not bad, f"{name}.{column}: not a date: {bad}"


@pytest.mark.parametrize(("name", "key"), TABLES.items())
def test_provenance_points_to_real_cells_and_sources(name: str, key: str, sources: pd.DataFrame) -> None:
    table = read(name)
    prov = read(f"{name}.provenance")
    assert list(prov.columns) == PROVENANCE_COLUMNS
    rows = set(table[key]) | {"*"}
    columns = set(table.columns) | {"*"}
    bad_rows = sorted(set(prov["row_key"]) - rows)
    assert not bad_rows, f"{name}.provenance: row_key not in {name}.csv: {bad_rows}"
    bad_columns = sorted(set(prov["column"]) - columns)
    assert not bad_columns, f"{name}.provenance: column not in {name}.csv: {bad_columns}"
    unknown = sorted(set(prov["source_id"]) - set(sources["source_id"]))
    assert not unknown, f"{name}.provenance: source_id missing from sources.csv: {unknown}"


@pytest.mark.parametrize(("name", "key"), TABLES.items())
def test_every_number_has_provenance(name: str, key: str) -> None:
    table = read(name)
    prov = read(f"{name}.provenance")
    covered = set(zip(prov["row_key"], prov["column"], strict=True))
    missing = []
    for column in table.columns:
        if column == key:
            continue
        for row, value in zip(table[key], table[column], strict=True):
            if not NUMBER.match(value.strip()):
                continue
            if not {(row, column), (row, "*"), ("*", column), ("*", "*")} & covered:
                missing.append(f"{row}.{column}={value}")
    assert not missing, f"{name}: {len(missing)} numeric cells without provenance, e.g. {missing[:10]}"


def test_rtt_regions_exist(region_ids: set[str]) -> None:
    rtt = read("region_rtt")
    unknown = sorted((set(rtt["from_region"]) | set(rtt["to_region"])) - region_ids)
    assert not unknown, f"region_rtt regions not in regions.csv: {unknown}"


def test_site_regions_exist(region_ids: set[str]) -> None:
    sites = read("sites")
    unknown = sorted(set(sites["region_id"]) - region_ids)
    assert not unknown, f"sites.region_id not in regions.csv: {unknown}"


def test_cloud_accelerators_exist() -> None:
    accelerators = set(read("accelerators")["accelerator_id"])
    for name in ("cloud_gpu_prices", "cloud_price_changes"):
        unknown = sorted(set(read(name)["accelerator_id"]) - accelerators)
        assert not unknown, f"{name}.accelerator_id not in accelerators.csv: {unknown}"


def test_model_parameters_ranges() -> None:
    params = read("model_parameters")
    assert list(params.columns) == MODEL_PARAMETER_COLUMNS
    assert params["parameter"].str.fullmatch(r"[a-z]+(\.[a-z0-9_]+)+").all()
    assert (params["unit"].str.strip() != "").all()
    assert (params["note"].str.strip() != "").all()
    values = params[["low", "central", "high"]].apply(pd.to_numeric, errors="raise")
    disordered = params.loc[(values["low"] > values["central"]) | (values["central"] > values["high"]), "parameter"].tolist()
    assert not disordered, f"need low <= central <= high: {disordered}"


def numbers(table: pd.DataFrame, column: str) -> pd.Series:
    """A column as floats; empty or non-numeric cells become NaN."""
    return pd.to_numeric(table[column].where(table[column].str.match(NUMBER)), errors="coerce")


def split_ids(values: pd.Series) -> set[str]:
    """The ids in a column whose cells may hold several ids separated by ';' (empty cells ignored)."""
    return {part.strip() for value in values for part in value.split(";") if part.strip()}


def test_new_table_accelerators_exist() -> None:
    known = set(read("accelerators")["accelerator_id"]) | set(read("accelerator_generations")["generation_id"])
    known |= UNTABULATED_ACCELERATORS
    for name, column in ACCELERATOR_COLUMNS.items():
        unknown = sorted(split_ids(read(name)[column]) - known)
        assert not unknown, f"{name}.{column} not in accelerators.csv or accelerator_generations.csv: {unknown}"


def test_site_risks_sites_exist() -> None:
    site_ids = set(read("sites")["site_id"])
    unknown = sorted(split_ids(read("site_risks")["site_id"]) - site_ids)
    assert not unknown, f"site_risks.site_id not in sites.csv: {unknown}"


def test_country_ids() -> None:
    sites = read("sites")
    assert sites["country_id"].str.fullmatch(COUNTRY).all(), "sites.country_id must be ISO 3166-1 alpha-2"
    for name in ("country_costs", "site_risks", "facility_capex_ai", "finance_rates"):
        ids = read(name)["country_id"]
        bad = sorted(set(ids[(ids != "") & ~ids.str.fullmatch(COUNTRY)]))
        assert not bad, f"{name}.country_id not ISO 3166-1 alpha-2 (or XX): {bad}"
    missing = sorted(set(sites["country_id"]) - set(read("country_costs")["country_id"]))
    assert not missing, f"countries of sites.csv missing from country_costs.csv: {missing}"


@pytest.mark.parametrize("name", UNIT_COLUMNS)
def test_long_tables_give_a_known_unit(name: str) -> None:
    table = read(name)
    has_value = table["value_in_unit"] != ""
    bad = table.loc[has_value & ~table["unit"].isin(UNIT_COLUMNS[name]), ["unit"]]
    assert bad.empty, f"{name}: unit empty or not in the list in tests/test_data.py:\n{bad}"


def _range_groups(columns: list[str]) -> list[tuple[str, str | None, str]]:
    """(low, central or None, high) column triples: `<x>_low`, `<x>_central`/`<x>_mid`/`<x>`, `<x>_high`."""
    groups = []
    for low in columns:
        if not low.endswith("_low"):
            continue
        base = low[: -len("_low")]
        if base + "_high" not in columns:
            continue
        central = next((c for c in (base + "_central", base + "_mid", base) if c in columns), None)
        groups.append((low, central, base + "_high"))
    return groups


@pytest.mark.parametrize("name", [n for n in TABLES if n != "model_parameters"])
def test_low_central_high_are_ordered(name: str) -> None:
    table = read(name)
    key = TABLES[name]
    bad = []
    for low, central, high in _range_groups(list(table.columns)):
        lo, hi = numbers(table, low), numbers(table, high)
        chain = [lo, numbers(table, central), hi] if central else [lo, hi]
        for a, b in itertools.pairwise(chain):
            bad += [f"{k}: {low}..{high}" for k in table.loc[(a > b + 1e-12).fillna(False), key]]
    if "lead_time_months_tail" in table.columns:
        tail = numbers(table, "lead_time_months_tail")
        top = numbers(table, "lead_time_months_high").fillna(numbers(table, "lead_time_months_central"))
        bad += [f"{k}: tail < high" for k in table.loc[(tail < top).fillna(False), key]]
    assert not bad, f"{name}: need low <= central <= high: {sorted(set(bad))}"


@pytest.mark.parametrize("name", list(TABLES))
def test_fractions_and_probabilities_in_range(name: str) -> None:
    """Shares, discounts and rates are in [-1, 1]; growth and change rates are >= -1; probabilities in [0, 1]."""
    table = read(name)
    key = TABLES[name]
    bad = []
    for column in table.columns:
        if "probability" in column:
            lo, hi = 0.0, 1.0
        elif "_fraction" in column and ("growth" in column or "change" in column):
            lo, hi = -1.0, float("inf")
        elif "_fraction" in column:
            lo, hi = -1.0, 1.0
        else:
            continue
        values = numbers(table, column)
        bad += [f"{k}.{column}={v}" for k, v in zip(table[key], values, strict=True) if v < lo or v > hi]
    if name in UNIT_COLUMNS:
        values = numbers(table, "value_in_unit")
        frac = table["unit"].isin({"fraction", "fraction_per_year"})
        bad += [f"{k}.value_in_unit={v}" for k, v in zip(table.loc[frac, key], values[frac], strict=True) if not -1 <= v <= 1]
    assert not bad, f"{name}: out of range: {bad}"


def test_discounts_match_prices() -> None:
    """discount = 1 - price / reference wherever a row gives all three."""
    for name, ref, disc in (
        ("commit_discounts", "on_demand_reference_usd_per_gpu_hour", "discount_vs_on_demand_fraction"),
        ("uncommitted_terms", "reference_on_demand_usd_per_gpu_hour", "discount_vs_reference_fraction"),
    ):
        table = read(name)
        implied = 1 - numbers(table, "gpu_hour_price_usd") / numbers(table, ref)
        off = (implied - numbers(table, disc)).abs() > 0.002
        assert not off.any(), f"{name}: discount != 1 - price/reference: {table.loc[off, TABLES[name]].tolist()}"


def test_deal_implied_prices_match_terms() -> None:
    """implied USD per MW-year = value / (MW x years); per GPU-hour = value / (GPUs x 8760 x years) where GPUs are given."""
    deals = read("compute_deals")
    value, years = numbers(deals, "contract_value_usd"), numbers(deals, "term_years")
    per_mw = value / (numbers(deals, "capacity_mw") * years)
    per_gpu = value / (numbers(deals, "gpus") * 8760 * years)
    off_mw = (per_mw / numbers(deals, "implied_usd_per_mw_year") - 1).abs() > 0.01
    off_gpu = (per_gpu / numbers(deals, "implied_usd_per_gpu_hour") - 1).abs() > 0.01
    assert not off_mw.any(), f"implied_usd_per_mw_year inconsistent: {deals.loc[off_mw, 'deal_id'].tolist()}"
    assert not off_gpu.any(), f"implied_usd_per_gpu_hour inconsistent: {deals.loc[off_gpu, 'deal_id'].tolist()}"


def test_demand_shapes_have_a_weekly_mean_of_one() -> None:
    """Each shape has a weekday and a weekend profile of 24 hourly ratios whose weekly mean is 1."""
    shapes = read("demand_shapes")
    hours = [f"load_h{h:02d}_ratio" for h in range(24)]
    assert list(shapes.columns) == ["profile_id", "shape_id", "workload_class", "day_type", *hours]
    assert (shapes["profile_id"] == shapes["shape_id"] + "-" + shapes["day_type"]).all()
    assert set(shapes["workload_class"]) <= {"interactive", "realtime", "batch"}
    values = shapes[hours].apply(pd.to_numeric, errors="raise")
    assert (values > 0).all().all()
    for shape_id, group in shapes.groupby("shape_id"):
        assert sorted(group["day_type"]) == ["weekday", "weekend"], shape_id
        day_sums = values.loc[group.index].sum(axis=1).set_axis(group["day_type"])
        weekly_mean = (5 * day_sums["weekday"] + 2 * day_sums["weekend"]) / 168
        assert abs(weekly_mean - 1) < 1e-3, f"{shape_id}: weekly mean {weekly_mean}"


def test_serving_throughput_points_are_consistent() -> None:
    """users per GPU = concurrency / TP; total >= output tokens/s; each curve is a Pareto frontier."""
    points = read("serving_throughput")
    tp, conc = numbers(points, "tensor_parallel_gpus"), numbers(points, "concurrent_requests")
    users = numbers(points, "users_per_gpu")
    assert (tp.isna() == users.isna()).all(), "users_per_gpu is given exactly where tensor_parallel_gpus is"
    assert (((users - conc / tp).abs() < 1e-3) | users.isna()).all(), "users_per_gpu != concurrent_requests / tensor_parallel_gpus"
    output, total = numbers(points, "output_tokens_per_s_per_gpu"), numbers(points, "total_tokens_per_s_per_gpu")
    assert (total > output).all(), "total (input + output) tokens/s must exceed output tokens/s"
    assert (numbers(points, "ttft_p99_ms") >= numbers(points, "ttft_ms")).all()
    assert set(points["input_tokens"]) <= {"1024", "8192"} and set(points["output_tokens"]) == {"1024"}
    curve = ["accelerator_id", "engine", "input_tokens", "output_tokens"]
    for key, group in points.groupby(curve):
        ordered = group.assign(user=numbers(group, "output_tokens_per_s_per_user"), gpu=numbers(group, "output_tokens_per_s_per_gpu"))
        ordered = ordered.sort_values("user")
        assert ordered["user"].is_unique, f"{key}: repeated tokens/s per user"
        assert ordered["gpu"].is_monotonic_decreasing and ordered["gpu"].is_unique, f"{key}: not a Pareto frontier"
        with_tp = numbers(ordered, "users_per_gpu").dropna()
        assert with_tp[::-1].is_monotonic_increasing, f"{key}: users_per_gpu must rise as tokens/s per user falls"
