"""Write the two synthetic fast-mode pricing surveys of data/ (issue #13). SYNTHETIC: no respondent is real.

Run from the project root: .venv/bin/python data/scripts/make_pricing_surveys.py

They demonstrate econ.pricing.van_westendorp and econ.pricing.gabor_granger; a user's own
survey replaces them. Every price is a multiple of the standard tier's token price, for a
fast tier about 2.5 times faster. Each of 200 respondents has a latent willingness to pay,
lognormal with median 1.6x and log-sd 0.5: an assumption placed between the discussion's
"would pay +25-50 % for speed" and "happily 2x" (claim C14). Van Westendorp answers are that
value times 0.55 (too cheap), 0.8 (cheap), 1.25 (expensive) and 1.8 (too expensive), each with
lognormal noise of log-sd 0.1, rounded to 0.05; eight respondents get their "too cheap" and
"too expensive" answers swapped, as careless respondents do, to show the reported exclusion.
Purchase probabilities at the cheap and expensive answers are drawn on the five-point scale
calibrated as in the NMS extension's default (0.7, 0.5, 0.3, 0.1, 0). Gabor-Granger intent at
1.25x, 1.5x, 2x, 3x, 4x and 6x is 1 where the latent value with noise of log-sd 0.15 is at
least the price.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

SEED = 20261127
RESPONDENTS = 200
DATA = Path(__file__).resolve().parents[1]


def main() -> None:
    rng = np.random.default_rng(SEED)
    wtp = 1.6 * np.exp(0.5 * rng.standard_normal(RESPONDENTS))
    factors = np.array([0.55, 0.8, 1.25, 1.8])
    answers = np.round(wtp[:, None] * factors[None, :] * np.exp(0.1 * rng.standard_normal((RESPONDENTS, 4))) / 0.05) * 0.05
    answers = np.maximum(answers, 0.05)
    careless = rng.choice(RESPONDENTS, 8, replace=False)
    answers[careless, 0], answers[careless, 3] = answers[careless, 3].copy(), answers[careless, 0].copy()
    scale = np.array([0.7, 0.5, 0.3, 0.1, 0.0])
    at_cheap = scale[rng.choice([0, 1, 2], RESPONDENTS, p=[0.5, 0.35, 0.15])]
    at_expensive = scale[rng.choice([2, 3, 4], RESPONDENTS, p=[0.3, 0.45, 0.25])]
    with (DATA / "pricing_survey_vw_synthetic.csv").open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(
            [
                "respondent_id",
                "too_cheap_price_ratio",
                "cheap_price_ratio",
                "expensive_price_ratio",
                "too_expensive_price_ratio",
                "purchase_at_cheap_probability",
                "purchase_at_expensive_probability",
            ]
        )
        for i in range(RESPONDENTS):
            w.writerow([f"r{i + 1:03d}", *(f"{x:.2f}" for x in answers[i]), f"{at_cheap[i]:.1f}", f"{at_expensive[i]:.1f}"])
    offered = [1.25, 1.5, 2.0, 3.0, 4.0, 6.0]
    noisy = wtp[:, None] * np.exp(0.15 * rng.standard_normal((RESPONDENTS, len(offered))))
    with (DATA / "pricing_survey_gg_synthetic.csv").open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["answer_id", "respondent_id", "offered_price_ratio", "purchase_intent_probability"])
        for i in range(RESPONDENTS):
            for j, price in enumerate(offered):
                w.writerow([f"r{i + 1:03d}-{price:g}x", f"r{i + 1:03d}", f"{price:g}", int(noisy[i, j] >= price)])


if __name__ == "__main__":
    main()
