"""Discounting kernels: NPV, IRR, MIRR, dated flows, payback, annuities, rates, depreciation.

No domain knowledge lives here: these are the finance functions every econ model calls.
Conventions: money out is negative, money in positive; rates are effective per period of
the cash flows (annual for the dated functions ``xnpv``/``xirr``); time is the last axis;
undefined results are NaN unless ``strict=True``.
"""

from econ.finance.annuity import annuity_factor, capital_recovery_factor
from econ.finance.depreciation import depreciation_schedule, macrs_rates, straight_line_rates
from econ.finance.discounting import discount_factors, levelized_cost, npv, xnpv
from econ.finance.errors import RootStatus, UndefinedResultError
from econ.finance.payback import discounted_payback_period, payback_period
from econ.finance.rate_of_return import IRRResult, irr, irr_roots, mirr, xirr, xirr_roots
from econ.finance.rates import (
    annual_rate,
    effective_from_nominal,
    nominal_from_effective,
    nominal_rate,
    periodic_rate,
    real_rate,
)

__all__ = [
    "IRRResult",
    "RootStatus",
    "UndefinedResultError",
    "annual_rate",
    "annuity_factor",
    "capital_recovery_factor",
    "depreciation_schedule",
    "discount_factors",
    "discounted_payback_period",
    "effective_from_nominal",
    "irr",
    "irr_roots",
    "levelized_cost",
    "macrs_rates",
    "mirr",
    "nominal_from_effective",
    "nominal_rate",
    "npv",
    "payback_period",
    "periodic_rate",
    "real_rate",
    "straight_line_rates",
    "xirr",
    "xirr_roots",
    "xnpv",
]
