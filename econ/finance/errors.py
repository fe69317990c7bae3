"""Exceptions and status codes for undefined financial results."""

from __future__ import annotations

from enum import IntEnum


class UndefinedResultError(ValueError):
    """Raised in strict mode where the default returns NaN (e.g. a cash flow with no IRR)."""


class RootStatus(IntEnum):
    """Why a rate solver (``irr``, ``xirr``) returned what it did, one code per row.

    Attributes
    ----------
    OK
        A unique rate was found and verified by its NPV residual.
    INVALID_INPUT
        The row holds NaN or inf (only with ``nan_policy='propagate'``).
    NO_SIGN_CHANGE
        All flows have one sign (or are zero): no rate makes the NPV zero.
    NO_ROOT
        The flows change sign more than once and no rate in the searched range makes
        the NPV zero.
    MULTIPLE_ROOTS
        More than one rate makes the NPV zero: the IRR is ambiguous.
    NOT_CONVERGED
        The solver stopped without a rate whose NPV residual passes the check.
    UNVERIFIED
        One root was found, but its uniqueness could not be proven (dated flows only).
    """

    OK = 0
    INVALID_INPUT = 1
    NO_SIGN_CHANGE = 2
    NO_ROOT = 3
    MULTIPLE_ROOTS = 4
    NOT_CONVERGED = 5
    UNVERIFIED = 6
