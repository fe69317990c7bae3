"""econ.reports without kernels: parameters, provenance, results.json, formatting, labels, HTML, contents, index, verdicts."""

from __future__ import annotations

import ast
import html
import json
import math
import re
from pathlib import Path

import nbformat
import numpy as np
import pandas as pd
import pytest
from papermill.parameterize import parameterize_notebook

from econ.assumptions import load_scenario
from econ.reports import format_money, format_percent, format_table, format_value, provenance, show_assumptions, write_results
from econ.reports.display import HEADLINE_LABELS, headline_label, humanize
from econ.reports.files import atomic_write_text
from econ.reports.html import CSS, TOC_MARK, banner, export_html, footer
from econ.reports.index import render_index, write_index
from econ.reports.params import ParameterError, check_plain, coerce_to_default, parse_assignment, resolve_parameters
from econ.reports.provenance import VERDICTS

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


def test_banner_and_index_name_headline_numbers_in_words():
    top = banner(RECORD, "base")
    assert "Net present value of buying a GPU over renting it" in top and 'title="npv_usd"' in top
    assert "npv usd" not in top
    page = render_index({"base": [RECORD]})
    assert "Internal rate of return" in page and "20.0 %/yr" in page
    assert "overrides cloud.commit_discount_level = 0.3" in page  # in the section heading, not only in the row


# headline labels ----------------------------------------------------------------------------

ROOT = Path(__file__).resolve().parents[1]


def _headline_keys(notebook: Path) -> list[str]:
    """Keys of the dict literal passed as headline (third argument or ``headline=``) to write_results."""
    keys: list[str] = []
    for cell in json.loads(notebook.read_text())["cells"]:
        source = "".join(cell["source"])
        if cell["cell_type"] != "code" or "write_results(" not in source:
            continue
        code = "\n".join("" if line.lstrip().startswith(("%", "!")) else line for line in source.splitlines())
        for node in ast.walk(ast.parse(code)):
            name = getattr(node.func, "attr", getattr(node.func, "id", None)) if isinstance(node, ast.Call) else None
            if name != "write_results":
                continue
            given = node.args[2] if len(node.args) > 2 else next(k.value for k in node.keywords if k.arg == "headline")
            assert isinstance(given, ast.Dict), f"{notebook.name}: write the headline as a dict literal"
            keys += [ast.literal_eval(k) for k in given.keys if k is not None]
    return keys


@pytest.mark.parametrize("notebook", sorted((ROOT / "notebooks").glob("*.ipynb")), ids=lambda p: p.stem)
def test_every_headline_key_a_notebook_writes_has_a_label(notebook: Path):
    keys = _headline_keys(notebook)
    assert keys, f"{notebook.name} writes no headline numbers"
    assert sorted(k for k in keys if k not in HEADLINE_LABELS) == [], "add them to econ.reports.display.HEADLINE_LABELS"


@pytest.mark.parametrize(
    ("key", "label"),
    [
        ("npv_cost_rent_usd", "Present-value cost, rent"),
        ("p_build_cheaper", "Probability build is cheaper"),
        ("breakeven_list_usd_per_gpu_hour", "Breakeven cloud list price"),
        ("npv_saving_vs_colo_usd", "Present-value saving vs colo"),
        ("p_sites_late", "Probability sites late"),
        ("irr_vs_rent_annual", "IRR vs rent"),
        ("payback_vs_rent_months", "Payback vs rent"),
        ("owned_mw", "Owned"),
        ("cost_usd_per_year", "Cost"),
        ("scenario.cloud.commit_discount_level", "Commit discount level"),
    ],
)
def test_headline_labels_are_words_without_the_unit(key, label):
    assert headline_label(key) == label


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("npv_cost_usd", "Present-value cost ($)"),
        ("payback_vs_rent_years", "Payback vs rent (years)"),
        ("price_usd_per_reference_gpu_hour", "Price ($/reference GPU hour)"),
        ("capex_usd_per_mw_it_low", "Capex low ($/MW IT)"),
        ("rtt_ms", "RTT (ms)"),
        ("ttft_1024_tokens_s", "TTFT 1024 tokens (s)"),
        ("npv_cost_difference_p90_usd", "Present-value cost difference P90 ($)"),
        ("premium_c14_view", "Premium C14 view"),
        ("market on demand (neocloud)", "market on demand (neocloud)"),
        ("NPV [USD]", "NPV [USD]"),
        ("0.63", "0.63"),
        ("50%", "50%"),
    ],
)
def test_snake_case_names_become_words_and_other_names_stay(name, text):
    assert humanize(name) == text


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("cost_within_targets_usd_per_year", 1.2e9, "$1.20 B/year"),
        ("blended_usd_per_reference_gpu_hour", 1.834, "$1.83/reference GPU hour"),
        ("cloud_mw", 312.4, "312.4 MW"),
        ("ttft_longest_prompt_min_s", 0.532, "0.532 s"),
        ("owned_capacity_reference_gpus", 48123.4, "48,123"),
    ],
)
def test_headline_units_come_from_the_key(key, value, expected):
    assert format_value(key, value) == expected


# tables -------------------------------------------------------------------------------------

TABLE = pd.DataFrame(
    {"npv_cost_usd": [1.97e11, 2.1e11], "owned_share": [0.25, 0.5], "first_gpus": [48123.4, 1200.0], "what": ["a", "b"]},
    index=pd.Index(["rent", "build"], name="strategy"),
)


def test_tables_show_names_in_words_counts_whole_and_keep_their_data():
    styler = format_table(TABLE, money=["npv_cost_usd"], percent=["owned_share"])
    page = styler.to_html()
    for text in (">Present-value cost<", ">Owned share<", ">First GPUs<", ">What<", ">Strategy<", "48,123", "1,200", "$197 B", "25.0 %"):
        assert text in page, text
    assert "npv_cost_usd" not in page and "48123" not in page
    assert styler.data.columns.tolist() == TABLE.columns.tolist() and TABLE.index.name == "strategy"
    raw = format_table(TABLE, money=["npv_cost_usd"], labels=False).to_html()
    assert ">npv_cost_usd<" in raw and ">strategy<" in raw


def test_wide_tables_get_a_smaller_font_and_numbers_do_not_wrap():
    narrow = format_table(TABLE).to_html()
    wide = format_table(pd.DataFrame({f"column_{i}_usd": [1.0] for i in range(12)})).to_html()
    assert 'class="econ-table"' in narrow and 'class="econ-table econ-wide"' in wide
    assert "white-space: nowrap" in narrow
    assert all(rule in CSS for rule in ("overflow-wrap: anywhere", "table.econ-table.econ-wide", ".jp-RenderedSVG svg"))


def test_the_stylesheet_prints_cleanly():
    printed = CSS.split("@media print", 1)[1]
    rules = ("@page", "a.anchor-link { display: none", "nav.econ-toc { display: none", "break-inside: avoid", "print-color-adjust: exact")
    for rule in rules:
        assert rule in printed, rule


# table of contents --------------------------------------------------------------------------


def test_the_page_has_a_table_of_contents_whose_links_resolve(tmp_path: Path):
    cells = [
        nbformat.v4.new_markdown_cell("# Title\nIntro."),
        nbformat.v4.new_markdown_cell("## The answer\nText.\n### A check, in `code`"),
        nbformat.v4.new_code_cell(outputs=[nbformat.v4.new_output("display_data", data={"text/markdown": "## How sure are we? (C02)"})]),
        nbformat.v4.new_markdown_cell("## Appendix: résumé"),
    ]
    executed = tmp_path / "x.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=cells), executed)
    page = export_html(executed, "base", RECORD)
    nav = re.search(r'<nav class="econ-toc".*?</nav>', page, re.DOTALL)
    assert nav is not None and TOC_MARK not in page
    assert page.index('class="econ-banner"') < nav.start() < page.index('id="The-answer"')
    links = [html.unescape(h) for h in re.findall(r'href="#([^"]*)"', nav.group(0))]
    ids = {html.unescape(i) for i in re.findall(r'\sid="([^"]*)"', page)}
    assert len(links) == 4 and set(links) <= ids
    assert re.sub(r"<[^>]+>", "|", nav.group(0)).split("|").count("A check, in code") == 1
    assert "<ol><li><a" in nav.group(0).split("The answer", 1)[1]  # the h3 nested under its h2
    assert "Title" not in nav.group(0)  # the h1 is the page's title


# claims in results.json ---------------------------------------------------------------------

CLAIM = {"id": "C05", "verdict": "depends", "value": "$1.5 B", "flip": "permit loss above 12 %", "anchor": "C05", "claim": "Permits."}


def test_claims_are_stored_as_given_and_absent_when_not_given(tmp_path: Path):
    other = {**CLAIM, "id": "C01", "verdict": "supported", "value": ""}
    data = json.loads(write_results(tmp_path / "a", "base", {}, claims=[CLAIM, other]).read_text())
    assert data["claims"] == [CLAIM, other]
    assert "claims" not in json.loads(write_results(tmp_path / "b", "base", {}).read_text())


@pytest.mark.parametrize(
    ("claims", "error", "match"),
    [
        ([{**CLAIM, "verdict": "true"}], ValueError, r"claims\[0\] \('C05'\): verdict 'true' is not one of \['supported', 'not supported'"),
        ([{k: v for k, v in CLAIM.items() if k not in ("flip", "anchor")}], ValueError, r"\('C05'\): missing keys \['flip', 'anchor'\]"),
        ([{**CLAIM, "note": "x"}], ValueError, r"unknown keys \['note'\]"),
        ([CLAIM, CLAIM], ValueError, r"ids \['C05'\] appear more than once"),
        ([{**CLAIM, "value": 0.3}], TypeError, r"'value' must be text, got float 0.3"),
        (["C05"], TypeError, r"claims\[0\] must be a mapping"),
    ],
)
def test_bad_claims_are_rejected_before_anything_is_written(tmp_path: Path, claims, error, match):
    with pytest.raises(error, match=match):
        write_results(tmp_path, "base", {}, claims=claims)
    assert not list(tmp_path.iterdir())


# the verdict matrix of the index ------------------------------------------------------------


def publish(out: Path, folder: str, claims=None, status="ok", overrides=None, notebook="07_claims") -> None:
    """A run record as the runner leaves it in ``<out>/<folder>/``, with the notebook's results.json inside."""
    scratch = out / ".scratch" / folder
    path = write_results(scratch, load_scenario("base", overrides or {}), {"npv_usd": 1e9}, seed=1, claims=claims)
    record = json.loads(path.read_text())
    record["run"] = {
        **RECORD["run"],
        "status": status,
        "error": None if status == "ok" else "ValueError: boom (cell 9)",
        "notebook": f"{notebook}.ipynb",
        "html": f"{notebook}.html" if status == "ok" else None,
        "scenario": "base",
        "folder": folder,
        "parameters": {"scenario": "base", "overrides": overrides or {}, "seed": 1},
    }
    atomic_write_text(out / folder / f"{notebook}.results.json", json.dumps(record))


def verdict(claim_id: str, value: str) -> dict[str, str]:
    return {**CLAIM, "id": claim_id, "verdict": value, "anchor": claim_id, "claim": f"Claim {claim_id} says so."}


def test_the_index_opens_with_a_verdict_matrix_of_one_cell_per_claim_and_folder(tmp_path: Path):
    out = tmp_path / "reports"
    base = [verdict("C10", "depends"), verdict("C02", "not supported"), verdict("C01", "supported"), verdict("C03", "not evaluated")]
    publish(out, "base", claims=base)
    publish(out, "base", notebook="01_build_vs_rent")  # a report without claims in a claims folder
    publish(out, "base--1a2b3c4d", claims=base[1:], overrides={"cloud.commit_discount_level": 0.3})
    publish(out, "rent-only", notebook="01_build_vs_rent")  # no claims anywhere: no column
    page = write_index(out).read_text()
    matrix = page.split('<table class="econ-matrix">', 1)[1].split("</table>", 1)[0]
    assert page.index("econ-matrix") < page.index('id="folder-base"')
    assert len(re.findall(r'<td class="verdict ', matrix)) == 4 * 2
    assert re.findall(r'<th class="claim"[^>]*><b>(C\d+)</b>', matrix) == ["C01", "C02", "C03", "C10"]
    assert re.findall(r'<th class="folder"[^>]*>([^<]+)<', matrix) == ["base", "base--1a2b3c4d"]
    assert "cloud.commit_discount_level = 0.3" in matrix.split("</thead>")[0]
    for folder in ("base", "base--1a2b3c4d"):
        cell = f'<td class="verdict verdict-not-supported" title="flips: permit loss above 12 %"><a href="{folder}/07_claims.html#C02">'
        assert cell in matrix
    assert '<a href="base/07_claims.html#C01">supported<br><small>$1.5 B</small></a>' in matrix
    assert 'class="verdict verdict-depends"' in matrix and 'class="verdict verdict-not-evaluated"' in matrix
    assert matrix.count(">missing</td>") == 1 and 'title="no verdict for this claim in base--1a2b3c4d/"' in matrix
    assert 'title="Claim C10 says so."' in matrix
    assert re.findall(r"<td>(\d+) of 4</td>", matrix) == ["3", "2"]
    legend = page.split('class="econ-legend"', 1)[1].split("</p>", 1)[0]
    assert all(f'class="verdict-{v.replace(" ", "-")}"' in legend for v in VERDICTS)
    for tint in ("#bfe7dc", "#f5d7bf", "#f9e7bf"):  # tints of the Okabe-Ito green, vermillion and orange
        assert tint in CSS


def test_a_failed_or_damaged_claims_run_does_not_break_the_index(tmp_path: Path):
    out = tmp_path / "reports"
    publish(out, "base", claims=[verdict("C01", "supported")])
    publish(out, "build", status="failed")  # failed before writing its claims: no column
    publish(out, "hourly", claims=[verdict("C01", "depends")], status="failed")  # claims, but no page to link
    publish(out, "sovereign", claims=[verdict("C01", "supported")])
    damaged = json.loads((out / "sovereign" / "07_claims.results.json").read_text())
    damaged["claims"] = ["garbage", {"id": "C02", "verdict": "maybe"}, {"verdict": "supported"}]
    atomic_write_text(out / "sovereign" / "07_claims.results.json", json.dumps(damaged))
    (out / "broken").mkdir()
    (out / "broken" / "07_claims.results.json").write_text("{not json")
    page = write_index(out).read_text()
    matrix = page.split('<table class="econ-matrix">', 1)[1].split("</table>", 1)[0]
    assert re.findall(r'<th class="folder"[^>]*>([^<]+)<', matrix) == ["base", "hourly", "sovereign"]
    assert len(re.findall(r'<td class="verdict ', matrix)) == 2 * 3
    assert '<td class="verdict verdict-depends" title="flips: permit loss above 12 %">depends<br>' in matrix  # no link
    assert "run failed" in matrix.split("</thead>")[0]
    assert "maybe (not a verdict)" in matrix
    assert page.count('<span class="status-failed">') == 2


def test_the_index_without_claims_has_no_matrix():
    assert '<table class="econ-matrix">' not in render_index({"base": [RECORD]})
