"""The claims of the discussion (C01-C23), each answered with a number, a verdict and its flip points.

:func:`evaluate_claims` checks every claim of ``data/claims.csv`` in one scenario;
:func:`verdict_flip` finds where one input changes a verdict. The checks live by model:
:mod:`econ.claims.capacity` (the build program, its risks, the contracts), ``network``
(latency and placement) and ``market`` (utilization, cost per token and pricing).
"""

from econ.claims import capacity, market, network  # noqa: F401  (each registers its checks)
from econ.claims.verdicts import (
    VERDICTS,
    ClaimCheck,
    Evidence,
    Finding,
    VerdictFlip,
    check_claim,
    claim_records,
    claims_table,
    evaluate_claims,
    section_link,
    verdict_flip,
)

__all__ = [
    "VERDICTS",
    "ClaimCheck",
    "Evidence",
    "Finding",
    "VerdictFlip",
    "check_claim",
    "claim_records",
    "claims_table",
    "evaluate_claims",
    "section_link",
    "verdict_flip",
]
