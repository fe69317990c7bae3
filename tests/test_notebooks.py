"""Notebooks: the contract (parameters, setup cell, no outputs, no model logic) and real runs."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from econ.assumptions import load_scenario
from econ.claims import evaluate_claims
from econ.reports import discover_notebooks, run_notebook
from econ.reports.params import notebook_parameters

NOTEBOOKS = discover_notebooks()
CONTRACT = ("scenario", "overrides", "seed", "output_dir")
NETWORK_REFERENCE = re.compile(r"""(src|href)\s*=\s*["']?(https?:)?//""", re.IGNORECASE)
CSS_NETWORK = re.compile(r"""(@import|url\()\s*["']?(https?:)?//""", re.IGNORECASE)


def check_claims_report(folder: Path, scenario: str) -> None:
    """Every claim C01-C23 appears once in the claims report with a verdict, or not evaluated with its reason, as recomputed."""
    page = (folder / "07_claims.html").read_text()
    record = json.loads((folder / "07_claims.results.json").read_text())
    ids = [f"C{i:02d}" for i in range(1, 24)]
    assert [c["id"] for c in record["claims"]] == ids
    table = evaluate_claims(load_scenario(scenario), flips=False)  # the notebook's default draws and seed
    assert [c["verdict"] for c in record["claims"]] == table["verdict"].tolist()
    for claim in record["claims"]:
        assert page.count(f'id="{claim["id"]}"') == 1, claim["id"]
        section = page.split(f'id="{claim["id"]}"', 1)[1].split("</section>", 1)[0]
        assert f">{claim['verdict']}</span>" in section
        if claim["verdict"] == "not evaluated":
            assert "Not evaluated: needs " + table.at[claim["id"], "needs"] in section.replace("&#x27;", "'")
        else:
            assert claim["value"] and claim["flip"], claim
    answered = sum(c["verdict"] != "not evaluated" for c in record["claims"])
    assert record["headline"]["claims_answered"] == answered


def code_cells(notebook: Path) -> list[dict]:
    return [c for c in json.loads(notebook.read_text())["cells"] if c["cell_type"] == "code"]


def test_there_are_notebooks():
    assert NOTEBOOKS


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_committed_without_outputs(notebook: Path):
    cells = code_cells(notebook)
    assert all(not c.get("outputs") and not c.get("execution_count") for c in cells)


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_has_a_parameters_cell_with_the_contract(notebook: Path):
    cells = code_cells(notebook)
    assert any("parameters" in c.get("metadata", {}).get("tags", []) for c in cells)
    declared = notebook_parameters(notebook)
    assert set(CONTRACT) <= set(declared), f"{notebook.name} must declare {CONTRACT}"
    assert declared["overrides"] == {}


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_sets_up_charts_before_its_parameters(notebook: Path):
    cells = code_cells(notebook)
    first_params = next(i for i, c in enumerate(cells) if "parameters" in c.get("metadata", {}).get("tags", []))
    setup = "".join("".join(c["source"]) for c in cells[:first_params])
    assert re.search(r"charts\.setup\(\)", setup), "a setup cell before the parameters must call econ.charts.setup()"
    assert "renderers.enable" not in "".join("".join(c["source"]) for c in cells), "use econ.charts.setup(), not Altair directly"


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_holds_no_model_logic(notebook: Path):
    source = "\n".join("".join(c["source"]) for c in code_cells(notebook))
    assert not re.search(r"^\s*(def|class)\s", source, re.MULTILINE), "functions and classes belong in the econ package"
    assert "write_results(" in source, "the notebook must write its results.json"


@pytest.mark.notebook
def test_every_notebook_runs_for_base_and_another_scenario(published_reports: tuple[Path, int], tmp_path: Path):
    out, status = published_reports  # `econ report -s base -s rent-only --jobs 2`, shared with the browser tests
    assert status == 0, "see the logs in " + str(out)
    for scenario in ("base", "rent-only"):
        for notebook in NOTEBOOKS:
            record = json.loads((out / scenario / f"{notebook.stem}.results.json").read_text())
            assert record["run"]["status"] == "ok", record["run"]["error"]
            assert record["headline"], "headline numbers written by the notebook"
            prov = record["provenance"]
            assert prov["scenario"]["name"] == scenario
            assert prov["data_files"] and prov["revision"] and prov["time_utc"]
            page = (out / scenario / f"{notebook.stem}.html").read_text()
            assert page.count("<svg") >= 1
            assert not NETWORK_REFERENCE.search(page)
            assert not CSS_NETWORK.search(page)
            assert "<script src" not in page.lower()
            assert "Traceback" not in page
            assert f"— {scenario}</title>" in page
            assert prov["scenario"]["hash"] in page.split('class="econ-footer"')[1]
            assert 'class="econ-banner"' in page
            assert 'class="jp-CodeMirrorEditor' not in page and "In&nbsp;[" not in page  # no code, no prompts
            assert (out / scenario / f"{notebook.stem}.ipynb").exists()
            assert (out / scenario / "logs" / f"{notebook.stem}.log").exists()
    for scenario in ("base", "rent-only"):
        check_claims_report(out / scenario, scenario)
    index = (out / "index.html").read_text()
    assert index.count('class="status-ok"') == 2 * len(NOTEBOOKS)
    assert not NETWORK_REFERENCE.search(index)
    assert not list(out.rglob(".*")), "no temporary files left"

    # Reproducible: the same inputs give the same numbers.
    again = run_notebook(NOTEBOOKS[0], tmp_path / "again", scenario="rent-only")
    first = json.loads((out / "rent-only" / f"{NOTEBOOKS[0].stem}.results.json").read_text())
    assert again["headline"] == first["headline"]
    assert again["provenance"]["scenario"]["hash"] == first["provenance"]["scenario"]["hash"]
