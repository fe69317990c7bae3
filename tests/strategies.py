"""Hypothesis strategies for cash flows."""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

# Amounts within six orders of magnitude of each other: wider spreads push the IRR so close
# to -100 % that r itself (not ln(1 + r)) cannot hold it to 1e-9 in float64.
amounts = st.floats(min_value=1.0, max_value=1e6, allow_nan=False, allow_infinity=False)
rates = st.floats(min_value=-0.5, max_value=2.0, allow_nan=False, allow_infinity=False)


@st.composite
def conventional_flows(draw: st.DrawFn, min_periods: int = 2, max_periods: int = 60) -> np.ndarray:
    """An investment: outflows first, then inflows (exactly one sign change)."""
    n = draw(st.integers(min_periods, max_periods))
    split = draw(st.integers(1, n - 1))
    out = draw(hnp.arrays(np.float64, split, elements=amounts))
    inflow = draw(hnp.arrays(np.float64, n - split, elements=amounts))
    return np.concatenate([-out, inflow])


@st.composite
def any_flows(draw: st.DrawFn, max_periods: int = 40) -> np.ndarray:
    """Any finite cash flows, signs mixed, zeros allowed."""
    n = draw(st.integers(1, max_periods))
    magnitudes = st.floats(min_value=1e-3, max_value=1e6)
    values = st.one_of(st.just(0.0), magnitudes, magnitudes.map(lambda v: -v))
    return draw(hnp.arrays(np.float64, n, elements=values))
