"""Publishing: run the notebooks through papermill into self-contained offline reports.

For notebooks (light imports, no papermill):

- :func:`write_results` -- the last cell of every notebook stores its headline numbers and
  :func:`provenance` in ``results.json``;
- :func:`show_assumptions`, :func:`format_table`, :func:`format_quantities`,
  :func:`format_money`, :func:`format_percent` -- tables formatted for a report.

For the runner (``econ report``, :mod:`econ.cli`): :class:`RunSpec`, :func:`run_one`,
:func:`run_batch`, :func:`run_notebook`, :func:`write_index`, :func:`discover_notebooks`
and :func:`resolve_parameters`, imported on first use.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from econ.reports.display import (
    format_money,
    format_percent,
    format_quantities,
    format_table,
    format_value,
    headline_label,
    humanize,
    show_assumptions,
)
from econ.reports.provenance import provenance, write_results

if TYPE_CHECKING:
    from econ.reports.index import write_index
    from econ.reports.params import ParameterError, resolve_parameters
    from econ.reports.runner import KERNEL_NAME, NOTEBOOK_DIR, RunSpec, discover_notebooks, run_batch, run_notebook, run_one

_LAZY = {
    "write_index": "econ.reports.index",
    "ParameterError": "econ.reports.params",
    "resolve_parameters": "econ.reports.params",
    "KERNEL_NAME": "econ.reports.runner",
    "NOTEBOOK_DIR": "econ.reports.runner",
    "RunSpec": "econ.reports.runner",
    "discover_notebooks": "econ.reports.runner",
    "run_batch": "econ.reports.runner",
    "run_notebook": "econ.reports.runner",
    "run_one": "econ.reports.runner",
}

__all__ = [
    "KERNEL_NAME",
    "NOTEBOOK_DIR",
    "ParameterError",
    "RunSpec",
    "discover_notebooks",
    "format_money",
    "format_percent",
    "format_quantities",
    "format_table",
    "format_value",
    "headline_label",
    "humanize",
    "provenance",
    "resolve_parameters",
    "run_batch",
    "run_notebook",
    "run_one",
    "show_assumptions",
    "write_index",
    "write_results",
]


def __getattr__(name: str) -> Any:
    """Import the runner's names on first use: notebooks only need the light helpers."""
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    msg = f"module 'econ.reports' has no attribute {name!r}"
    raise AttributeError(msg)
