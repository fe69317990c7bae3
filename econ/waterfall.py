"""What an answer is made of: the difference between a strategy and renting, split into drivers.

``NPV cost(strategy) - NPV cost(rent)`` is split into drivers that add up to it exactly
(an additive decomposition of a present value, as a finance analyst's bridge or waterfall
chart shows it). Cloud spend is split by the standard volume-price decomposition of a
variance analysis (Horngren, Datar & Rajan, *Cost Accounting*, 15th ed., 2015, ch. 7):

    spend_S - spend_R = (V_S - V_R) p_R  +  V_S (p_S - p_R)
                        rent avoided        contract-terms premium

month by month, with V the reference GPUs rented and p the average price paid for them
(spend on reserved capacity in use and on short-term capacity, over the capacity rented). Positive bars make the strategy
costlier than renting; negative bars make it cheaper.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from econ.build import OWNED_CATEGORIES
from econ.strategies import Evaluation, discount_factors_monthly

DRIVERS = (
    "owned programme",
    "rent avoided",
    "contract-terms premium",
    "departing-customer premium",
    "take-or-pay",
    "residual and resale value",
    "tax",
)
"""The drivers of a waterfall, in order."""

RESALE = ("residual_value", "gpu_resale")
SPEND = ("cloud_contract", "cloud_short_term")


def waterfall(evaluation: Evaluation, strategy: str = "build") -> pd.DataFrame:
    """The NPV cost difference of ``strategy`` against rent, split into drivers [USD].

    Parameters
    ----------
    evaluation : Evaluation
        From :func:`econ.evaluate`.
    strategy : str
        ``"build"`` or ``"hybrid"``.

    Returns
    -------
    pandas.DataFrame
        Index ``driver`` (:data:`DRIVERS`); column ``npv_cost_difference_usd`` (present
        value, positive = the strategy costs more than renting on this account) and
        ``what``. The rows sum to ``npv_cost_usd[strategy] - npv_cost_usd["rent"]``, which
        ``attrs["total_usd"]`` holds.

    Examples
    --------
    >>> from econ import evaluate, load_scenario
    >>> result = evaluate(load_scenario("base"))
    >>> bars = waterfall(result, "build")
    >>> total = result.summary.loc["build", "npv_cost_usd"] - result.summary.loc["rent", "npv_cost_usd"]
    >>> bool(np.isclose(bars["npv_cost_difference_usd"].sum(), total, rtol=1e-12, atol=1.0))
    True
    """
    if strategy not in evaluation.runs or strategy == "rent":
        raise ValueError(f"strategy: must be one of {[s for s in evaluation.runs if s != 'rent']}; got {strategy!r}")
    rate = np.array([float(evaluation.scenario["finance.discount_rate_annual"])])
    runs = evaluation.runs
    own, rent = runs[strategy], runs["rent"]
    f = discount_factors_monthly(rate, own.flows["power"].shape[1])[0]

    def pv(run_flows: dict[str, np.ndarray], names: tuple[str, ...]) -> float:
        return -float(sum(run_flows[c][0] for c in names) @ f)

    spend_s = -sum(own.flows[c][0] for c in SPEND)
    spend_r = -sum(rent.flows[c][0] for c in SPEND)
    hours_s, hours_r = own.rented_units[0], rent.rented_units[0]
    price_r = np.divide(spend_r, hours_r, out=np.zeros_like(spend_r), where=hours_r > 0)
    price_s = np.divide(spend_s, hours_s, out=price_r.copy(), where=hours_s > 0)
    avoided = float(((hours_s - hours_r) * price_r) @ f)
    premium = float((hours_s * (price_s - price_r)) @ f)
    unexplained = float((spend_s - spend_r) @ f) - avoided - premium  # zero up to rounding: the split is exact
    programme = tuple(c for c in OWNED_CATEGORIES if c not in RESALE)
    bars = {
        "owned programme": pv(own.flows, programme) - pv(rent.flows, programme),
        "rent avoided": avoided,
        "contract-terms premium": premium + unexplained,
        "departing-customer premium": pv(own.flows, ("departing_premium",)) - pv(rent.flows, ("departing_premium",)),
        "take-or-pay": pv(own.flows, ("take_or_pay_shortfall",)) - pv(rent.flows, ("take_or_pay_shortfall",)),
        "residual and resale value": pv(own.flows, RESALE) - pv(rent.flows, RESALE),
        "tax": pv(own.flows, ("tax_owned", "tax_cloud")) - pv(rent.flows, ("tax_owned", "tax_cloud")),
    }
    what = {
        "owned programme": "land, facility, retrofit, GPUs and their running costs, before tax",
        "rent avoided": "cloud capacity no longer rented, valued at the rent strategy's prices",
        "contract-terms premium": "the capacity still rented, times the difference in the price paid for it",
        "departing-customer premium": "what a provider charges a customer it knows is building (claim C04)",
        "take-or-pay": "reserved capacity paid for and not used",
        "residual and resale value": "GPUs sold at refresh and everything owned at the horizon (a credit)",
        "tax": "tax shields and taxes, at each site's and the home country's rate",
    }
    table = pd.DataFrame(
        {"npv_cost_difference_usd": [bars[d] for d in DRIVERS], "what": [what[d] for d in DRIVERS]},
        index=pd.Index(DRIVERS, name="driver"),
    )
    cost = evaluation.summary["npv_cost_usd"]
    table.attrs["total_usd"] = float(cost.loc[[strategy]].to_numpy(float)[0] - cost.loc[["rent"]].to_numpy(float)[0])
    table.attrs["strategy"] = strategy
    return table
