"""Notebooks: committed without outputs, and each runs through papermill into offline HTML."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from econ import reports

NOTEBOOKS = sorted(reports.NOTEBOOK_DIR.glob("*.ipynb"))
NETWORK_REFERENCE = re.compile(r"""(src|href)\s*=\s*["']?(https?:)?//""", re.IGNORECASE)


def test_there_are_notebooks():
    assert NOTEBOOKS


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_committed_without_outputs_and_has_parameters(notebook: Path):
    cells = json.loads(notebook.read_text())["cells"]
    assert all(not c.get("outputs") and not c.get("execution_count") for c in cells if c["cell_type"] == "code")
    assert any("parameters" in c.get("metadata", {}).get("tags", []) for c in cells)


@pytest.mark.notebook
@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs_into_offline_html(notebook: Path, tmp_path: Path):
    html = reports.run_notebook(notebook, tmp_path).read_text()
    assert "<svg" in html
    assert not NETWORK_REFERENCE.search(html)
    assert "<script src" not in html
    assert "Traceback" not in html
    assert (tmp_path / notebook.name).exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary leftovers


@pytest.mark.notebook
def test_a_failing_notebook_keeps_its_executed_copy_with_the_traceback(tmp_path: Path):
    import papermill

    notebook = NOTEBOOKS[0]
    with pytest.raises(papermill.PapermillExecutionError):
        reports.run_notebook(notebook, tmp_path, parameters={"months": -5})
    executed = (tmp_path / notebook.name).read_text()
    assert "Error" in executed
    assert not (tmp_path / notebook.with_suffix(".html").name).exists()
