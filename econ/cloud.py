"""Rented capacity: list prices, a take-or-pay commitment, overage and uncommitted renting.

Prices per GPU-hour fall at a constant annual rate d: ``p(m) = p0 (1 - d) ** (m / 12)``.

A strategy that signs a commitment (share ``c`` of the scenario's commitment ``C``) pays
``p (1 - k)`` (commit discount k) on all usage, the way spend commitments (AWS EDP, Azure
MACC, Google Cloud commits) discount all eligible spend; spend beyond ``c C`` is reported as
overage. Each 12-month commitment year has a minimum spend of ``c C / T x a`` (annual minimum share a, prorated for a partial
last year); a shortfall is paid at the end of that year, and any total left unspent at the
end of the term is paid then (take-or-pay; AWS Enterprise Discount Program and Azure MACC
terms, see data/sources.csv). After the term the strategy keeps the committed price
(renewed on the same terms, no minimum).

A strategy without a commitment rents at ``p (1 - u)`` (uncommitted discount u): claim C04,
the provider gives a departing customer no committed terms. Regulated demand rented inside
its bloc pays a sovereign premium on top (claim C09).
"""

from __future__ import annotations

import numpy as np

from econ.inputs import Inputs
from econ.timeline import HOURS_PER_MONTH, growth


def list_price(inputs: Inputs) -> np.ndarray:
    """On-demand price per GPU-hour at each month [USD/GPU-h], shape (n, months)."""
    price: np.ndarray = inputs["cloud.on_demand_usd_per_gpu_hour"][:, None] * growth(-inputs["cloud.price_decline_annual"], inputs.months)
    return price


def commitment_schedule(
    spend: np.ndarray, committed_usd: np.ndarray, term_months: int, annual_minimum_share: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Split spend at the committed price into covered spend and overage, and compute shortfalls.

    Parameters
    ----------
    spend : numpy.ndarray
        Usage valued at the committed price [USD/month], shape (n, months).
    committed_usd : numpy.ndarray
        Commitment c C [USD], shape (n,).
    term_months : int
        Term [months], 1 <= term <= months.
    annual_minimum_share : numpy.ndarray
        Annual minimum as a share of c C / T [1], shape (n,).

    Returns
    -------
    covered : numpy.ndarray
        Spend inside the commitment [USD/month], shape (n, months) (zero after the term).
    shortfall : numpy.ndarray
        Take-or-pay payments [USD/month], shape (n, months).

    Examples
    --------
    A $1,200 commitment over 12 months, fully used: no shortfall.

    >>> cov, short = commitment_schedule(np.full((1, 12), 100.0), np.array([1200.0]), 12, np.array([1.0]))
    >>> float(cov.sum()), float(short.sum())
    (1200.0, 0.0)
    """
    n, months = spend.shape
    in_term = np.arange(months) < term_months
    spend_in_term = np.where(in_term, spend, 0.0)
    capped = np.minimum(np.cumsum(spend_in_term, axis=1), committed_usd[:, None])
    covered = np.diff(capped, axis=1, prepend=0.0)
    shortfall = np.zeros((n, months))
    per_month_minimum = committed_usd * annual_minimum_share / term_months
    paid = np.zeros(n)
    for start in range(0, term_months, 12):  # at most 40 commitment years, not draws
        end = min(start + 12, term_months)
        due = np.maximum(per_month_minimum * (end - start) - spend_in_term[:, start:end].sum(axis=1), 0.0)
        shortfall[:, end - 1] += due
        paid += due
    true_up = np.maximum(committed_usd - capped[:, term_months - 1] - paid, 0.0)
    shortfall[:, term_months - 1] += true_up
    return covered, shortfall


def cloud_costs(inputs: Inputs, commit_share: np.ndarray, rented_gpus: np.ndarray, regulated_gpus: np.ndarray) -> dict[str, np.ndarray]:
    """Cash flows of rented capacity by category, before tax (negative = money out).

    Parameters
    ----------
    inputs : Inputs
        Model inputs (``cloud.*``, ``demand.sovereign_cloud_premium``).
    commit_share : numpy.ndarray
        Share of the scenario's commitment the strategy signs [1], shape (n,).
    rented_gpus : numpy.ndarray
        Rented capacity [busy GPU-equivalents], shape (n, months), including ``regulated_gpus``.
    regulated_gpus : numpy.ndarray
        Part of ``rented_gpus`` that must be rented in-bloc at the sovereign premium, shape (n, months).

    Returns
    -------
    dict of str to numpy.ndarray
            ``cloud_committed`` (spend inside the commitment), ``cloud_overage`` (spend beyond it,
        at the committed price), ``cloud_uncommitted`` and ``take_or_pay_shortfall``, each
        shape (n, months).
    """
    price = list_price(inputs)
    hours = HOURS_PER_MONTH * (rented_gpus + regulated_gpus * inputs["demand.sovereign_cloud_premium"][:, None])
    commits = (commit_share > 0)[:, None]
    committed_price = price * (1.0 - inputs["cloud.commit_discount"][:, None])
    uncommitted_price = price * (1.0 - inputs["cloud.uncommitted_discount"][:, None])
    term = commit_term_months(inputs)
    spend_committed = np.where(commits, hours * committed_price, 0.0)
    covered, shortfall = commitment_schedule(
        spend_committed, inputs["cloud.commit_total_usd"] * commit_share, term, inputs["cloud.annual_minimum_share"]
    )
    return {
        "cloud_committed": -covered,
        "cloud_overage": -(spend_committed - covered),
        "cloud_uncommitted": -np.where(commits, 0.0, hours * uncommitted_price),
        "take_or_pay_shortfall": -shortfall,
    }


def commit_term_months(inputs: Inputs) -> int:
    """The commitment term in whole months; it must be the same in every draw."""
    term = np.round(inputs["cloud.commit_term_years"] * 12.0)
    if np.any(term != term[0]):
        raise ValueError(
            "cloud.commit_term_years [years] must be the same in every draw (it sets the commitment calendar); "
            "vary it across scenarios instead"
        )
    return max(int(term[0]), 1)
