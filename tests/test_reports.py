"""econ.reports without kernels: parameters, provenance, results.json, formatting, HTML, index."""

from __future__ import annotations

import ast
import json
import math
from pathlib import Path

import nbformat
import numpy as np
import pytest
from papermill.parameterize import parameterize_notebook

from econ.assumptions import load_scenario
from econ.reports import format_money, format_percent, format_value, provenance, show_assumptions, write_results
from econ.reports.files import atomic_write_text
from econ.reports.html import banner, footer
from econ.reports.index import render_index
from econ.reports.params import ParameterError, check_plain, coerce_to_default, parse_assignment, resolve_parameters

NOTEBOOKS = {"00_demo": {"scenario": "base", "overrides": {}, "seed": 0, "output_dir": ".", "months": 60, "rate": 0.1, "label": "x"}}


# -p parsing and checking -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("months=36", ("months", 36)),
        ("rate=0.25", ("rate", 0.25)),
        ("total=5e10", ("total", 5e10)),
        ("flag=true", ("flag", True)),
        ("label=hello world", ("label", "hello world")),
        ('label="36"', ("label", "36")),
        ("xs=[1, 2.5]", ("xs", [1, 2.5])),
        ("m={a: 1, b: [x]}", ("m", {"a": 1, "b": ["x"]})),
        ("cloud.commit_discount_level=0.3", ("cloud.commit_discount_level", 0.3)),
    ],
)
def test_values_are_parsed_to_plain_data(text, expected):
    assert parse_assignment(text) == expected


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("months", "expected KEY=VALUE"),
        ("=3", "expected KEY=VALUE"),
        ("os.system('x')=1", "not a parameter name"),
        ("d=2024-01-01", "date values are not allowed"),
        ("x=!!python/object/apply:os.system [echo]", "cannot parse"),
        ("x=[1, {2: 3}]", "mapping keys must be strings"),
        ("x=.nan", "NaN is not allowed"),
        ("x=!!binary aGVsbG8=", "bytes values are not allowed"),
        ("x={a: !!set {b}}", "set values are not allowed"),
    ],
)
def test_values_that_are_not_plain_data_are_rejected(text, match):
    with pytest.raises(ParameterError, match=match):
        parse_assignment(text)


def test_control_characters_and_deep_nesting_are_rejected():
    with pytest.raises(ParameterError, match="control characters"):
        check_plain("a\nb", "-p x")
    with pytest.raises(ParameterError, match="nested"):
        check_plain([[[[[[[[[[1]]]]]]]]]], "-p x")


def test_values_are_converted_to_the_type_of_the_default_or_rejected():
    assert coerce_to_default("rate", 1, 0.1, "nb") == 1.0
    assert isinstance(coerce_to_default("rate", 1, 0.1, "nb"), float)
    assert coerce_to_default("label", 36, "x", "nb") == "36"
    with pytest.raises(ParameterError, match="expects int"):
        coerce_to_default("months", "abc", 60, "nb")
    with pytest.raises(ParameterError, match="expects int"):
        coerce_to_default("months", True, 60, "nb")
    with pytest.raises(ParameterError, match="expects float"):
        coerce_to_default("rate", [1], 0.1, "nb")


def test_notebook_keys_and_scenario_keys_are_split():
    params, overrides = resolve_parameters(["months=36", "seed=7", "cloud.commit_discount_level=0.3"], NOTEBOOKS, ["base"])
    assert params == {"00_demo": {"months": 36, "seed": 7}}
    assert overrides == {"cloud.commit_discount_level": 0.3}


@pytest.mark.parametrize(
    ("assignment", "match"),
    [
        ("month=36", r"not a parameter of 00_demo nor a key of scenario 'base'; did you mean 'months'\?"),
        ("cloud.commit_discount_levl=0.3", r"did you mean 'cloud.commit_discount_level'\?"),
        ("cloud.commit_discount_level=abc", r"(?s)rejected by scenario 'base'.*commit_discount_level"),
        ("cloud.commit_discount_level=7", r"rejected by scenario 'base'"),
        ("months=abc", "expects int"),
        ("output_dir=/etc", "set by the runner"),
        ("overrides={a: 1}", "set by the runner"),
        ("scenario=build", "set by the runner"),
    ],
)
def test_bad_parameters_are_named_with_a_suggestion(assignment, match):
    with pytest.raises(ParameterError, match=match):
        resolve_parameters([assignment], NOTEBOOKS, ["base"])


def test_injected_parameters_stay_data():
    """papermill writes each value as a literal: quotes, backslashes and code in strings stay text."""
    hostile = '"; import os; os.system("echo pwned") #\\'
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell('label = "x"', metadata={"tags": ["parameters"]})])
    nb.metadata["kernelspec"] = {"name": "econ", "language": "python", "display_name": "econ"}
    nb.metadata["papermill"] = {}
    values = {"label": check_plain(hostile, "-p label"), "overrides": check_plain({"a.b": [1, "'"]}, "-p overrides")}
    out = parameterize_notebook(nb, values)
    injected = next(c for c in out.cells if "injected-parameters" in c.metadata.get("tags", []))
    tree = ast.parse(injected.source)
    assert all(isinstance(node, ast.Assign) for node in tree.body)
    assert {node.targets[0].id: ast.literal_eval(node.value) for node in tree.body} == values


# provenance and results.json ---------------------------------------------------------------


def test_provenance_names_every_input():
    scenario = load_scenario("base", {"cloud.commit_discount_level": 0.3})
    prov = provenance(scenario, seed=42)
    assert prov["scenario"]["name"] == "base"
    assert prov["scenario"]["hash"] == scenario.hash
    assert prov["scenario"]["overrides"] == {"cloud.commit_discount_level": 0.3}
    assert prov["scenario"]["files"] == ["data/scenarios/base.yaml"]
    assert all(len(h) == 64 for h in prov["data_files"].values())
    assert prov["seed"] == 42
    assert prov["revision"]
    assert prov["dirty"] in (True, False, None)
    assert prov["time_utc"].endswith("+00:00")


def test_write_results_is_atomic_and_json_clean(tmp_path: Path):
    headline = {"npv_usd": np.float64(1.5e9), "n": np.int64(3), "irr_annual": math.nan, "ok": True, "note": "x"}
    path = write_results(tmp_path, "base", headline, seed=1, summary="Renting wins.")
    assert path == tmp_path / "results.json"
    data = json.loads(path.read_text())  # strict JSON: no NaN
    assert data["headline"] == {"npv_usd": 1.5e9, "n": 3, "irr_annual": None, "ok": True, "note": "x"}
    assert data["summary"] == "Renting wins."
    assert data["provenance"]["seed"] == 1
    assert [p.name for p in tmp_path.iterdir()] == ["results.json"]


def test_write_results_rejects_non_numbers(tmp_path: Path):
    with pytest.raises(TypeError, match="headline\\['table'\\]"):
        write_results(tmp_path, "base", {"table": [1, 2]})
    assert not list(tmp_path.iterdir())


def test_an_interrupted_write_leaves_the_old_file_and_no_temporary(tmp_path: Path, monkeypatch):
    target = tmp_path / "page.html"
    target.write_text("old")

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("econ.reports.files.os.replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        atomic_write_text(target, "new")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["page.html"]


# formatting ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "value", "unit", "expected"),
    [
        ("npv_usd", 1.234e9, None, "$1.23 B"),
        ("npv_cost_usd", -2.5e6, None, "-$2.50 M"),
        ("capex_usd", 950.0, None, "$950"),
        ("irr_annual", 0.125, None, "12.5 %/yr"),
        ("p_build_cheaper", 0.731, None, "73.1 %"),
        ("payback_months", 31.0, None, "31 months"),
        ("cloud.commit_discount_level", 0.35, "1", "35.0 %"),
        ("finance.discount_rate_annual", 0.0952, "1/year", "9.5 %/yr"),
        ("cloud.on_demand_usd_per_gpu_hour", 6.88, "USD/GPU-h", "$6.88/GPU-h"),
        ("build.capex_usd_per_mw_it", 1.1e7, "USD/MW", "$11.0 M/MW"),
        ("build.sites.x.it_mw", 300, "MW", "300 MW"),
        ("horizon.start_month", "2027-01", "YYYY-MM", "2027-01"),
        ("npv_usd", None, None, "–"),
    ],
)
def test_values_are_formatted_by_unit(key, value, unit, expected):
    assert format_value(key, value, unit) == expected


def test_money_and_percent():
    assert format_money(100e9) == "$100 B"
    assert format_money(float("nan")) == "–"
    assert format_percent(-0.051) == "-5.1 %"


def test_assumptions_appendix_has_units_and_sources_and_marks_overrides():
    scenario = load_scenario("base", {"cloud.commit_discount_level": 0.3})
    html = show_assumptions(scenario).to_html()
    assert "USD/GPU-h" in html and "data/cloud_gpu_prices.csv" in html
    assert "override (this run)" in html
    assert scenario.hash in html


def test_assumptions_asked_for_but_absent_are_an_error_not_a_shorter_table():
    scenario = load_scenario("base")
    shown = show_assumptions(scenario, ["cloud.", "demand.provisioned_utilization"]).data
    assert "demand.provisioned_utilization" in shown.index and shown.index.str.startswith("cloud.").sum() > 5
    with pytest.raises(KeyError, match=r"\['cloud.on_demand_usd_per_gpu_hour', 'accelerator.'\] match no key of scenario 'base'"):
        show_assumptions(scenario, ["cloud.on_demand_usd_per_gpu_hour", "demand.provisioned_utilization", "accelerator."])


# page banner, footer and index --------------------------------------------------------------

RECORD = {
    "summary": "Build <wins>.",
    "headline": {"npv_usd": 2e9, "irr_annual": 0.2},
    "provenance": provenance(load_scenario("base", {"cloud.commit_discount_level": 0.3}), seed=5),
    "run": {
        "status": "ok",
        "error": None,
        "notebook": "01_x.ipynb",
        "title": "Build or rent",
        "seconds": 3.2,
        "html": "01_x.html",
        "executed": "01_x.ipynb",
        "log": "logs/01_x.log",
    },
}


def test_banner_and_footer_carry_the_answer_and_the_provenance():
    top = banner(RECORD, "base")
    assert "Build &lt;wins&gt;." in top and "$2.00 B" in top and "20.0 %/yr" in top
    bottom = footer(RECORD)
    prov = RECORD["provenance"]
    for text in (prov["scenario"]["hash"], "cloud.commit_discount_level = 0.3", prov["revision"], "seed", prov["time_utc"]):
        assert text in bottom
    assert all(digest in bottom for digest in prov["data_files"].values())


def test_index_links_reports_and_shows_failures():
    failed = {"run": {**RECORD["run"], "status": "failed", "error": "ValueError: boom (cell 3)", "html": None, "notebook": "02_y.ipynb"}}
    page = render_index({"base": [RECORD, failed]})
    assert 'href="base/01_x.html"' in page and 'href="base/01_x.ipynb"' in page and 'href="base/logs/01_x.log"' in page
    assert "status-failed" in page and "ValueError: boom (cell 3)" in page
    assert "$2.00 B" in page
    assert "<script" not in page and "http" not in page
