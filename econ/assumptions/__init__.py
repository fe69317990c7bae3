"""Sourced inputs: the data tables, scenario files, their validation and provenance.

>>> from econ.assumptions import load_scenario
>>> load_scenario("base")["horizon.years"]
15
"""

from econ.assumptions.errors import ScenarioError
from econ.assumptions.files import SCENARIO_DIR
from econ.assumptions.scenario import Distribution, Scenario, field_for, list_scenarios, load_scenario
from econ.assumptions.tables import DATA_DIR, cell_sources, data_file_hashes, load_sources, load_table

__all__ = [
    "DATA_DIR",
    "SCENARIO_DIR",
    "Distribution",
    "Scenario",
    "ScenarioError",
    "cell_sources",
    "data_file_hashes",
    "field_for",
    "list_scenarios",
    "load_scenario",
    "load_sources",
    "load_table",
]
