"""The error a bad scenario file or override raises."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


class ScenarioError(ValueError):
    """A scenario file or override is invalid; ``problems`` lists every reason found.

    Each problem names the file (or ``override``), the key, the value and what is allowed.
    Loading stops with this error before any scenario object is built, so nothing is
    half-loaded.

    Parameters
    ----------
    scenario : str
        Name or path of the scenario.
    problems : iterable of str
        Every reason found, one sentence each.

    Examples
    --------
    >>> err = ScenarioError("base", ["override: horizon.years = 0 is out of range; expected an int in [1, 40] [years]"])
    >>> isinstance(err, ValueError), err.problems[0].startswith("override: horizon.years")
    (True, True)
    >>> print(err)
    scenario 'base' is invalid (1 problem):
      - override: horizon.years = 0 is out of range; expected an int in [1, 40] [years]
    """

    def __init__(self, scenario: str, problems: Iterable[str]) -> None:
        self.scenario = scenario
        self.problems = list(problems)
        lines = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"scenario {scenario!r} is invalid ({len(self.problems)} problem{'s' * (len(self.problems) > 1)}):\n{lines}")


def suggest(key: str, valid: Iterable[str]) -> str:
    """A ``"; did you mean 'x'?"`` hint with the nearest valid key, or an empty string.

    Examples
    --------
    >>> suggest("cloud.comit_discount", ["cloud.commit_discount", "cloud.commit_term_years"])
    "; did you mean 'cloud.commit_discount'?"
    >>> suggest("zzz", ["cloud.commit_discount"])
    ''
    """
    match = difflib.get_close_matches(key, list(valid), n=1, cutoff=0.6)
    if not match:
        # Compare the last segments too: a typo in a leaf key of a long dotted path.
        leaf = {v.rsplit(".", 1)[-1]: v for v in valid}
        near = difflib.get_close_matches(key.rsplit(".", 1)[-1], list(leaf), n=1, cutoff=0.6)
        match = [leaf[near[0]]] if near else []
    return f"; did you mean {match[0]!r}?" if match else ""
