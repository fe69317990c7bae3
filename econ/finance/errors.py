"""Exceptions and status codes for undefined financial results."""

from __future__ import annotations

from enum import IntEnum


class UndefinedResultError(ValueError):
    """Raised in strict mode where the default returns NaN (e.g. a cash flow with no IRR).

    Examples
    --------
    >>> from econ.finance import irr
    >>> try:
    ...     irr([100, 200], strict=True)
    ... except UndefinedResultError as err:
    ...     print(str(err).split(":")[0])
    irr
    """


class RootStatus(IntEnum):
    """Why a rate solver (``irr``, ``xirr``) returned what it did, one code per row.

    Attributes
    ----------
    OK
        A unique rate was found and verified by its NPV residual; no other rate r > -1
        makes the NPV zero (proven over the whole axis).
    INVALID_INPUT
        The row holds NaN or inf (only with ``nan_policy='propagate'``).
    NO_SIGN_CHANGE
        All flows have one sign (or are zero): no rate makes the NPV zero.
    NO_ROOT
        The flows change sign more than once and no rate r > -1 makes the NPV zero
        (proven over the whole axis).
    MULTIPLE_ROOTS
        More than one rate makes the NPV zero: the IRR is ambiguous. Pass a ``guess`` to
        get the root nearest to it, or list them all with ``irr_roots``/``xirr_roots``.
    NOT_CONVERGED
        No float64 rate has an NPV residual that passes the check: the solver stopped
        early, or the root lies so close to -100 % (r rounds to -1) or so far above
        (r overflows) that float64 cannot hold it.
    UNVERIFIED
        A root was found, but how many roots there are could not be settled in float64
        (a double root, roots closer together than float64 resolves, or the work limit of
        the root isolation was reached).
    SINGLE_DATE
        All nonzero flows fall on one date, so the NPV does not depend on the rate: it is
        zero at every rate or at none (dated flows only).
    NEAREST_TO_GUESS
        Several rates make the NPV zero and, as asked with ``guess``, the one nearest the
        guess was returned (the spreadsheet convention).

    Examples
    --------
    >>> from econ.finance import irr
    >>> RootStatus(irr([-1600, 10_000, -10_000], full_output=True).status).name
    'MULTIPLE_ROOTS'
    >>> RootStatus(irr([-1600, 10_000, -10_000], guess=0.1, full_output=True).status).name
    'NEAREST_TO_GUESS'
    """

    OK = 0
    INVALID_INPUT = 1
    NO_SIGN_CHANGE = 2
    NO_ROOT = 3
    MULTIPLE_ROOTS = 4
    NOT_CONVERGED = 5
    UNVERIFIED = 6
    SINGLE_DATE = 7
    NEAREST_TO_GUESS = 8
