"""econ: build-versus-rent economics for AI compute, from sourced assumptions to reports."""

from importlib import import_module
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Any

from econ import finance
from econ.assumptions import ScenarioError, list_scenarios, load_scenario
from econ.breakeven import Breakeven, FlipPoint, breakeven, difference_curve, flip_point, flip_points, plan_costs_over
from econ.decision import optimize
from econ.information import evpi, evppi, first_order_indices
from econ.plans import Plan, make_plan
from econ.risk import simulate, spider, summarize, tornado
from econ.strategies import evaluate
from econ.sweep import sweep
from econ.unit_costs import capacity_tiers, gpu_capex_per_mw, refresh_scan, unit_cost_table
from econ.waterfall import waterfall

if TYPE_CHECKING:
    from econ.explorer import Explorer, explore

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


def __getattr__(name: str) -> Any:
    """``Explorer`` and ``explore`` (:mod:`econ.explorer`), imported on first use.

    The explorer loads altair, jsonschema and ipywidgets (1.5-2 s), which a Monte Carlo worker,
    a report's kernel or a script that only computes never needs (PEP 562 module ``__getattr__``).
    """
    if name in ("Explorer", "explore"):
        module = import_module("econ.explorer")
        globals().update(Explorer=module.Explorer, explore=module.explore)
        return globals()[name]
    raise AttributeError(f"module 'econ' has no attribute {name!r}")


def __dir__() -> list[str]:
    """The module's names, the explorer's included before it is imported."""
    return sorted(set(globals()) | {"Explorer", "explore"})
