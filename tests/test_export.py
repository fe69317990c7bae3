"""Exports: the workbook's formulas recalculated by LibreOffice agree with econ; tidy tables round-trip."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from econ import evaluate, load_scenario, simulate
from econ.export import FIRST_ROW, cashflow_table, draws_table, tax_bases, to_csv, to_excel, to_parquet
from econ.inputs import inputs_from_scenario
from econ.unit_costs import owned_cost_by_generation

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
needs_soffice = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed: apt-get install libreoffice-calc-nogui")
RTOL = 1e-9
SUMMARY_COLUMNS = [
    "npv_cost_usd",
    "npv_saving_vs_rent_usd",
    "irr_vs_rent_annual",
    "payback_vs_rent_years",
    "discounted_payback_vs_rent_years",
]

# A LibreOffice user profile that recalculates every formula when a file is loaded (0 = always),
# for Office Open XML and ODF files alike; the default would keep the cached results.
RECALC_PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" \
xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


def recalculate(path: Path, work: Path) -> Path:
    """``path`` opened, fully recalculated and saved again by LibreOffice headless; the new file's path."""
    profile = work / "lo-profile"
    (profile / "user").mkdir(parents=True, exist_ok=True)
    (profile / "user" / "registrymodifications.xcu").write_text(RECALC_PROFILE)
    out = work / "recalculated"
    out.mkdir(exist_ok=True)
    assert SOFFICE is not None
    done = subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(out),
            str(path),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    result = out / path.name
    assert done.returncode == 0 and result.exists(), f"soffice failed: {done.stdout}\n{done.stderr}"
    return result


@pytest.fixture(scope="module")
def evaluation():
    return evaluate(load_scenario("base"))


@pytest.fixture(scope="module")
def exported(evaluation, tmp_path_factory):
    """The base scenario's workbook written without cached results (so any agreement comes from a recalculation)."""
    folder = tmp_path_factory.mktemp("xlsx")
    return to_excel(evaluation, folder / "base.xlsx", cached_values=False)


def input_row(book: openpyxl.Workbook, key: str) -> int:
    for row in book["Inputs"].iter_rows(min_row=2):
        if row[0].value == key:
            return int(row[0].row)
    raise KeyError(key)


def summary_values(path: Path) -> pd.DataFrame:
    sheet = openpyxl.load_workbook(path, data_only=True)["Summary"]
    rows = {}
    for row in sheet.iter_rows(min_row=4, values_only=True):
        if row[0] is None:
            break
        rows[row[0]] = [v if isinstance(v, int | float) else np.nan for v in row[1:6]]
    return pd.DataFrame.from_dict(rows, orient="index", columns=SUMMARY_COLUMNS)


def test_workbook_rereads_cleanly_without_external_links(exported):
    book = openpyxl.load_workbook(exported)
    assert book.sheetnames == ["Summary", "Inputs", "rent", "build", "hybrid", "UnitCost"]
    assert not book._external_links
    with zipfile.ZipFile(exported) as z:
        assert not [n for n in z.namelist() if "externalLink" in n]
    formulas = [c.value for ws in book for row in ws.iter_rows() for c in row if isinstance(c.value, str) and c.value.startswith("=")]
    assert formulas
    assert not [f for f in formulas if "_xlfn" in f or "[" in f or "http" in f]


def test_flows_dates_and_inputs_sheet(evaluation, exported):
    book = openpyxl.load_workbook(exported)
    sheet = book["build"]
    frame = evaluation.scenario.to_frame()
    assert book["Inputs"].cell(input_row(book, "finance.discount_rate_annual"), 2).value == pytest.approx(0.1)
    assert {book["Inputs"].cell(r, 1).value for r in range(2, len(frame) + 2)} == set(frame.index)
    header = [c.value for c in sheet[FIRST_ROW - 2]]
    months = evaluation.runs["build"].flows["power"].shape[1]
    col = header.index("gpu_capex") + 1
    values = [sheet.cell(FIRST_ROW + m, col).value for m in range(months)]
    # XlsxWriter writes 16 significant digits: exact to one unit in the 16th digit
    np.testing.assert_allclose(values, evaluation.runs["build"].flows["gpu_capex"][0], rtol=1e-15, atol=0)
    date = sheet.cell(FIRST_ROW, 2).value
    assert date.date() == evaluation.cashflows["date"].iloc[0].date()


def test_tax_bases_reproduce_econs_taxes(evaluation):
    inputs = inputs_from_scenario(evaluation.scenario)
    for strategy, run in evaluation.runs.items():
        base = tax_bases(inputs, run)
        owned = sum((base.rates[s] * base.owned[s] for s in base.owned), np.zeros(inputs.months))
        scale = np.abs(run.flows["tax_owned"]).max() + 1.0
        assert np.abs(owned - run.flows["tax_owned"][0]).max() <= 1e-12 * scale, strategy
        cloud = float(inputs["tax.home_rate"][0]) * base.cloud
        np.testing.assert_allclose(cloud, run.flows["tax_cloud"][0], rtol=1e-14, atol=0)


@needs_soffice
def test_libreoffice_recalculation_matches_econ(evaluation, exported, tmp_path):
    got = summary_values(recalculate(exported, tmp_path))
    want = evaluation.summary[SUMMARY_COLUMNS]
    assert list(got.index) == list(want.index)
    for column in SUMMARY_COLUMNS:
        g, w = got[column].to_numpy(float), want[column].to_numpy(float)
        finite = np.isfinite(w)
        np.testing.assert_array_equal(np.isfinite(g), finite, err_msg=column)
        np.testing.assert_allclose(
            g[finite], w[finite], rtol=RTOL, atol=1e-6 * float(np.abs(want["npv_cost_usd"]).max()) * RTOL, err_msg=column
        )
    assert np.isfinite(got.loc["build", "irr_vs_rent_annual"])  # the spreadsheet's IRR function was evaluated


@needs_soffice
def test_libreoffice_unit_cost_matches_econ(evaluation, exported, tmp_path):
    sheet = openpyxl.load_workbook(recalculate(exported, tmp_path), data_only=True)["UnitCost"]
    table = owned_cost_by_generation(evaluation.scenario)
    got = [sheet.cell(4 + i, 16).value for i in range(len(table))]
    np.testing.assert_allclose(got, table["total_usd_per_busy_reference_gpu_hour"], rtol=RTOL)


@needs_soffice
def test_discount_rate_cell_moves_every_npv_as_econ_does(evaluation, exported, tmp_path):
    """After the rate changes on the Inputs sheet, every NPV is econ's flows discounted at that rate.

    The analyst's discount rate discounts; the provider's cost of capital, which sets the trend of
    cloud prices, is a key of its own (``cloud.provider_discount_rate_annual``), so the prices do
    not move with it (docs/model.md, "Cloud price and contracts"). What does move in
    ``econ.evaluate`` is the buyer's own plan: the ``cheapest`` reservation compares locking a
    price now with renting short-term in present value, so at another rate it reserves a little
    differently. The sheet holds the plan made at the scenario's rate, and is within 1e-4 of
    econ re-planned (docs/export.md, "A changed discount rate").
    """
    rate = 0.08
    book = openpyxl.load_workbook(exported)
    book["Inputs"].cell(input_row(book, "finance.discount_rate_annual"), 2).value = rate
    changed = tmp_path / "changed.xlsx"
    book.save(changed)
    got = summary_values(recalculate(changed, tmp_path))
    flows = evaluation.cashflows.pivot_table(index="strategy", columns="month", values="usd", aggfunc="sum", sort=False)
    factors = (1.0 + rate) ** (-flows.columns.to_numpy(dtype=float) / 12.0)
    rediscounted = -(flows.to_numpy() @ factors)
    np.testing.assert_allclose(got.loc[list(flows.index), "npv_cost_usd"], rediscounted, rtol=RTOL)
    replanned = evaluate(evaluation.scenario.with_overrides({"finance.discount_rate_annual": rate})).summary
    np.testing.assert_allclose(got["npv_cost_usd"], replanned["npv_cost_usd"], rtol=1e-4)
    assert got.loc["build", "npv_cost_usd"] != pytest.approx(evaluation.summary.loc["build", "npv_cost_usd"], rel=1e-3)


@needs_soffice
def test_site_tax_rate_cell_matches_econ_exactly(evaluation, exported, tmp_path):
    """Taxes are linear in each rate, so a changed site rate in the sheet is what econ computes with that override."""
    key, rate = "build.sites.us-va-loudoun.tax_rate", 0.35
    book = openpyxl.load_workbook(exported)
    book["Inputs"].cell(input_row(book, key), 2).value = rate
    changed = tmp_path / "taxed.xlsx"
    book.save(changed)
    got = summary_values(recalculate(changed, tmp_path))
    want = evaluate(evaluation.scenario.with_overrides({key: rate})).summary
    np.testing.assert_allclose(got["npv_cost_usd"], want["npv_cost_usd"], rtol=RTOL)
    np.testing.assert_allclose(
        got.loc[["build", "hybrid"], "irr_vs_rent_annual"], want.loc[["build", "hybrid"], "irr_vs_rent_annual"], rtol=1e-7
    )
    assert got.loc["build", "npv_cost_usd"] != pytest.approx(evaluation.summary.loc["build", "npv_cost_usd"], rel=1e-6)


def test_cached_values_are_econs(evaluation, tmp_path):
    path = to_excel(evaluation, tmp_path / "cached.xlsx")
    got = summary_values(path)
    np.testing.assert_allclose(got["npv_cost_usd"], evaluation.summary["npv_cost_usd"], rtol=1e-15)


def test_existing_file_and_unwritable_path(evaluation, tmp_path):
    target = tmp_path / "base.xlsx"
    target.write_text("keep me")
    with pytest.raises(FileExistsError, match="overwrite=True"):
        to_excel(evaluation, target)
    assert target.read_text() == "keep me"
    with pytest.raises(FileNotFoundError, match="does not exist"):
        to_excel(evaluation, tmp_path / "missing" / "base.xlsx")
    with pytest.raises(TypeError, match="evaluation_or_scenario"):
        to_excel("base", tmp_path / "x.xlsx")  # type: ignore[arg-type]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["base.xlsx"]


def test_failed_write_leaves_no_partial_file(tmp_path):
    class Broken(pd.DataFrame):
        def to_parquet(self, *args, **kwargs):  # type: ignore[override]
            Path(args[0]).write_bytes(b"partial")
            raise RuntimeError("disk full")

    with pytest.raises(RuntimeError, match="disk full"):
        to_parquet(Broken({"a": [1]}), tmp_path / "t.parquet")
    assert list(tmp_path.iterdir()) == []


def test_parquet_round_trip_preserves_dtypes_and_values(evaluation, tmp_path):
    flows = cashflow_table(evaluation)
    back = pd.read_parquet(to_parquet(flows, tmp_path / "flows.parquet"))
    pd.testing.assert_frame_equal(back, flows, check_exact=True)
    draws = draws_table(simulate(evaluation.scenario, 20, seed=3))
    back = pd.read_parquet(to_parquet(draws, tmp_path / "draws.parquet"))
    pd.testing.assert_frame_equal(back, draws, check_exact=True)
    assert "hardware.price_growth_annual [1/year]" in back.columns
    assert back["permit_lost.us-va-loudoun [bool]"].dtype == bool


def test_csv_round_trip(evaluation, tmp_path):
    flows = cashflow_table(evaluation)
    back = pd.read_csv(to_csv(flows, tmp_path / "flows.csv"), parse_dates=["date"])
    np.testing.assert_array_equal(back["cash_flow_usd"].to_numpy(), flows["cash_flow_usd"].to_numpy())
    assert (back["date"].dt.date == flows["date"].dt.date).all()
