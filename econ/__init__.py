"""econ: build-versus-rent economics for AI compute, from sourced assumptions to reports."""

from importlib.metadata import PackageNotFoundError, version

from econ import finance
from econ.assumptions import ScenarioError, list_scenarios, load_scenario
from econ.breakeven import Breakeven, FlipPoint, breakeven, difference_curve, flip_point, flip_points, plan_costs_over
from econ.decision import optimize
from econ.explore import Explorer, explore
from econ.information import evpi, evppi, first_order_indices
from econ.plans import Plan, make_plan
from econ.risk import simulate, spider, summarize, tornado
from econ.strategies import evaluate
from econ.sweep import sweep
from econ.unit_costs import capacity_tiers, gpu_capex_per_mw, refresh_scan, unit_cost_table
from econ.waterfall import waterfall

try:
    __version__ = version("econ-ai-infra")
except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
    __version__ = "0+unknown"

__all__ = [
    "Breakeven",
    "Explorer",
    "FlipPoint",
    "Plan",
    "ScenarioError",
    "__version__",
    "breakeven",
    "capacity_tiers",
    "difference_curve",
    "evaluate",
    "evpi",
    "evppi",
    "explore",
    "finance",
    "first_order_indices",
    "flip_point",
    "flip_points",
    "gpu_capex_per_mw",
    "list_scenarios",
    "load_scenario",
    "make_plan",
    "optimize",
    "plan_costs_over",
    "refresh_scan",
    "simulate",
    "spider",
    "summarize",
    "sweep",
    "tornado",
    "unit_cost_table",
    "waterfall",
]
