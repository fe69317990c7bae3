"""Argument checks shared by the array functions (:mod:`econ.utilization`, :mod:`econ.serving`, :mod:`econ.paths`, ...).

A bad value raises a ValueError naming the parameter, what is allowed, its unit and the first
offending values, e.g. ``rent_usd_per_hour: must be finite and > 0 [USD per unit-hour used]; got [-1.0]``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

MAX_LISTED = 5
"""Offending values shown in an error message, at most."""


def finite_array(value: Any, name: str, unit: str, *, positive: bool = False) -> np.ndarray:
    """``value`` as a float array, every element finite and >= 0 (> 0 if ``positive``).

    Raises
    ------
    ValueError
        Naming ``name``, the bound, ``unit`` and up to :data:`MAX_LISTED` offending values.

    Examples
    --------
    >>> finite_array([1.0, 2.0], "price", "USD").tolist()
    [1.0, 2.0]
    >>> finite_array([1.0, 0.0], "price", "USD", positive=True)
    Traceback (most recent call last):
    ...
    ValueError: price: must be finite and > 0 [USD]; got [0.0]
    """
    arr = np.asarray(value, dtype=float)
    bad = ~np.isfinite(arr) | ((arr <= 0) if positive else (arr < 0))
    if bad.any():
        allowed = "> 0" if positive else ">= 0"
        raise ValueError(f"{name}: must be finite and {allowed} [{unit}]; got {np.atleast_1d(arr[bad])[:MAX_LISTED].tolist()}")
    return arr


def whole_number(value: object, name: str, unit: str, minimum: int = 1) -> int:
    """``value`` as an int, if it is an integer (not a bool) >= ``minimum``.

    Raises
    ------
    ValueError
        Naming ``name``, the bound, ``unit`` and the value.

    Examples
    --------
    >>> whole_number(3, "n_paths", "paths")
    3
    >>> whole_number(1, "draws", "draws", minimum=2)
    Traceback (most recent call last):
    ...
    ValueError: draws: must be an integer >= 2 [draws]; got 1
    """
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < minimum:
        raise ValueError(f"{name}: must be an integer >= {minimum} [{unit}]; got {value!r}")
    return int(value)
