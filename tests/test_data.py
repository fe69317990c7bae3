"""Integrity checks for the sourced tables in ``data/``.

Every number in ``data/`` must trace to a dated source in ``data/sources.csv`` or to an
``assumption-*`` entry that states its reasoning. See ``data/README.md``.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pandas as pd
import pytest

DATA = Path(__file__).resolve().parents[1] / "data"

# table name -> key column
TABLES = {
    "regions": "region_id",
    "region_rtt": "pair_id",
    "sites": "site_id",
    "accelerators": "accelerator_id",
    "cloud_gpu_prices": "price_id",
    "cloud_price_changes": "change_id",
    "facility_capex": "build_type",
    "equipment_lead_times": "equipment_id",
    "model_parameters": "parameter",
}

# table name -> columns holding dates (YYYY, YYYY-MM or YYYY-MM-DD)
DATE_COLUMNS = {
    "region_rtt": ["measured"],
    "cloud_gpu_prices": ["observed"],
    "cloud_price_changes": ["effective"],
    "equipment_lead_times": ["observed"],
    "facility_capex": ["basis_year"],
}

PROVENANCE_COLUMNS = ["row_key", "column", "source_id", "as_published", "note"]
SOURCE_COLUMNS = ["source_id", "kind", "title", "publisher", "published", "url_or_document", "note"]
SOURCE_KINDS = {"official", "measurement", "industry", "publication", "press", "vendor", "assumption"}
MODEL_PARAMETER_COLUMNS = ["parameter", "unit", "low", "central", "high", "note"]

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
